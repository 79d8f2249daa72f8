from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "workforce"
    verbose_name = _("Workforce")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from workforce.roles import sync_role_permissions

        # Permissions only exist once every app has migrated, so roles are synced after each
        # app's post_migrate (idempotent); a model added later gets its role rights the same way.
        post_migrate.connect(sync_role_permissions, dispatch_uid="workforce.sync_roles")
