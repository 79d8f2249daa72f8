from django.urls import path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.page, name="region"),
    path("<str:code>/data.json", views.data_json, name="data"),
    path("<str:code>/export.xlsx", views.export_xlsx, name="export"),
]
