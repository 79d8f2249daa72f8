from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demonstration data for every domain (`manage.py seed_demo`): the top floor, since it
    writes the records of every app below it and nothing imports it."""

    name = "demo"
    verbose_name = _("Demo data")
