from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:pk>/", views.round_page, name="round"),
    path("rounds/<int:pk>/act/", views.round_act, name="round_act"),
    path("rounds/<int:pk>/completeness.xlsx", views.round_xlsx, name="round_xlsx"),
    path("submissions/<int:pk>/", views.submission_page, name="submission"),
    path("submissions/<int:pk>/data.json", views.submission_json, name="submission_json"),
    path("submissions/<int:pk>/report.xlsx", views.submission_xlsx, name="submission_xlsx"),
    path("submissions/<int:pk>/act/", views.submission_act, name="submission_act"),
]
