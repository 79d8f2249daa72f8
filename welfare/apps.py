from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelfareConfig(AppConfig):
    name = "welfare"
    verbose_name = _("Care and welfare")
    default_auto_field = "django.db.models.BigAutoField"
