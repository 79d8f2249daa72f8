from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations on the whole installation: database backup and restore."""

    name = "ops"
    verbose_name = "operations"
