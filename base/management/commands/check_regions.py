from argparse import ArgumentParser
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from base import following


def _name(label: str) -> str:
    """A model's name as staff know it (技能等级证书), not its code."""
    return str(apps.get_model(label)._meta.verbose_name_plural)


class Command(BaseCommand):
    help = (
        "Check that every record stored with its worker's region (certificates, honours, "
        "cases, grants …) still has it; --repair puts the ones that do not back in step."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--repair", action="store_true", help="repair what is out of step")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["repair"]:
            with transaction.atomic():
                repaired = following.repair()
            for name, count in repaired.items():
                self.stdout.write(
                    _("%(model)s: %(count)d rows repaired.")
                    % {"model": _name(name), "count": count}
                )
        found = following.out_of_step()
        if found:
            lines = [
                _("%(model)s: %(count)d rows") % {"model": _name(name), "count": count}
                for name, count in found.items()
            ]
            raise CommandError(
                _(
                    "Records whose region is not their worker's: %(list)s. Run check_regions --repair."
                )
                % {"list": "; ".join(lines)}
            )
        self.stdout.write(_("Every record's region is its worker's."))
