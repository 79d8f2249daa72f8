from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelfareConfig(AppConfig):
    name = "welfare"
    verbose_name = _("Care and welfare")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from welfare.services import case_moved_by_merge
        from workforce.signals import record_moved_by_merge

        record_moved_by_merge.connect(case_moved_by_merge, dispatch_uid="welfare.case_moved")
