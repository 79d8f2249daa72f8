from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dashboards import cache, coverage
        from dashboards.catalogue import INDICATORS
        from programs import indicators

        cache.connect()
        coverage.connect()
        # Targets name indicators by key; they learn the keys from the catalogue here.
        indicators.register({indicator.key: indicator.label for indicator in INDICATORS})
