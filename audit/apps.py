from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The personal-data access log: who saw full ID numbers or exported personal data."""

    name = "audit"
    verbose_name = _("Personal-data access log")
    default_auto_field = "django.db.models.BigAutoField"
