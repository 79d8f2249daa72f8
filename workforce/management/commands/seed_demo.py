"""Demo data for a fresh installation: towns from the source pages and one account per role.

Deterministic: running it twice leaves the same data.
"""

from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from workforce.models import Region, RegionLevel
from workforce.roles import Role
from workforce.services import staff_user_upsert

DEMO_ADMIN = ("admin", "admin12345")
DEMO_STAFF_PASSWORD = "demo12345"  # noqa: S105 (published demo login)

# Towns, streets and parks named in the seeds (county code, town code, name).
DEMO_TOWNS = (
    ("330381", "330381001", "安阳街道"),
    ("330381", "330381002", "玉海街道"),
    ("330381", "330381101", "塘下镇"),
    ("330381", "330381102", "莘塍街道"),
    ("330402", "330402101", "凤桥镇"),
    ("330402", "330402001", "建设街道"),
    ("330482", "330482005", "曹桥街道"),
    ("331083", "331083001", "玉城街道"),
    ("330203", "330203101", "集士港镇"),
    ("330203", "330203001", "南门街道"),
    ("330624", "330624001", "南明街道"),
    ("330127", "330127100", "千岛湖镇"),
    ("331121", "331121001", "鹤城街道"),
    ("330327", "330327100", "灵溪镇"),
    ("330782", "330782001", "稠城街道"),
    ("330302", "330302001", "五马街道"),
)

# (username, role, region code): one account per role, at each level of the hierarchy.
DEMO_STAFF = (
    ("zj_admin", Role.ADMIN, "330000"),
    ("wz_admin", Role.ADMIN, "330300"),
    ("ra_admin", Role.ADMIN, "330381"),
    ("ra_clerk", Role.CLERK, "330381"),
    ("ra_welfare", Role.WELFARE, "330381"),
    ("ra_viewer", Role.VIEWER, "330381"),
    ("wz_viewer", Role.VIEWER, "330300"),
    ("fq_clerk", Role.CLERK, "330402101"),
)


class Command(BaseCommand):
    help = "Load deterministic demo data (towns and demo accounts)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already has user accounts",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        if options["if_empty"] and user_model.objects.exists():
            self.stdout.write(_("The database already holds data; demo data not loaded."))
        else:
            self.seed()
            self.stdout.write(self.style.SUCCESS(_("Demo data loaded.")))
        self.stdout.write(
            _("Demo login: %(username)s / %(password)s (superuser)")
            % {"username": DEMO_ADMIN[0], "password": DEMO_ADMIN[1]}
        )
        self.stdout.write(
            _("Role accounts (password %(password)s): %(usernames)s")
            % {
                "password": DEMO_STAFF_PASSWORD,
                "usernames": ", ".join(username for username, _role, _code in DEMO_STAFF),
            }
        )

    @transaction.atomic
    def seed(self) -> None:
        for county_code, code, name in DEMO_TOWNS:
            town = Region(
                code=code,
                name=name,
                level=RegionLevel.TOWN,
                parent=Region.objects.get(code=county_code),
            )
            town.full_clean(validate_unique=False)
            Region.objects.update_or_create(
                code=code,
                defaults={"name": name, "level": RegionLevel.TOWN, "parent_id": county_code},
            )
        user_model = get_user_model()
        username, password = DEMO_ADMIN
        if not user_model.objects.filter(username=username).exists():
            user_model.objects.create_superuser(username=username, password=password)
        for username, role, code in DEMO_STAFF:
            staff_user_upsert(
                username=username,
                role=role,
                region=Region.objects.get(code=code),
                password=DEMO_STAFF_PASSWORD,
            )
