from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BaseConfig(AppConfig):
    """The ground floor every domain app stands on: regions, staff accounts and their roles and
    scope, and the rules every record follows (identity numbers, steps, concurrent edits).

    It imports no domain app; `tests/test_layers.py` holds it to that."""

    name = "base"
    verbose_name = _("Regions and staff")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, pre_save

        from base import following
        from base.history import baseline_history
        from base.names import name_link_rows
        from base.roles import sync_role_permissions

        # Permissions only exist once every app has migrated, so roles are synced after each
        # app's post_migrate (idempotent); a model added later gets its role rights the same way.
        post_migrate.connect(sync_role_permissions, dispatch_uid="base.sync_roles")
        # Every record with a history: one bulk-loaded without any gets its first copy first.
        pre_save.connect(baseline_history, dispatch_uid="base.baseline_history")
        name_link_rows()
        # A certificate's, a case's … stored region follows its worker's on every save.
        following.connect()
