from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SheetsConfig(AppConfig):
    """Spreadsheet import and export (台账): reading files, finding headers, normalising values,
    the bulk import engine and the import log."""

    name = "sheets"
    verbose_name = _("Spreadsheet imports")
    default_auto_field = "django.db.models.BigAutoField"
