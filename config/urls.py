from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from adminsite.todo import todo

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("dashboards/", include("dashboards.urls")),
    path("todo/", todo, name="todo"),
    path("reporting/", include("reporting.urls")),
]

# A database that cannot be reached answers 503, not 500 (config/views.py).
handler500 = "config.views.handler500"
