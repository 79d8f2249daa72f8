"""Demo data for a fresh installation: towns, one account per role and a province of records.

Deterministic: the same --workers N always generates the same records (demo).
"""

import time
from argparse import ArgumentParser, ArgumentTypeError
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils.translation import gettext as _

from base.models import Region
from base.roles import Role
from base.services import staff_user_upsert
from demo import build, data, reporting
from demo.context import ensure_towns
from reporting.models import Submission

DEMO_ADMIN = ("admin", "admin12345")
DEMO_STAFF_PASSWORD = "demo12345"  # noqa: S105 (published demo login)
DEMO_TOWNS = data.DEMO_TOWNS
# Small enough that `make run` loads it in seconds on SQLite.
DEFAULT_WORKERS = 3000

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
    # 台工心港 is 台州's: its counselling officer keeps the city's bookings.
    ("tz_counsellor", Role.COUNSELLOR, "331000"),
)
# The people behind the demo accounts (family name, given name): the header greets them by name.
DEMO_NAMES = {
    "zj_admin": ("周", "建国"),
    "wz_admin": ("王", "海燕"),
    "ra_admin": ("陈", "志明"),
    "ra_clerk": ("林", "晓梅"),
    "ra_welfare": ("黄", "丽华"),
    "ra_viewer": ("郑", "国强"),
    "wz_viewer": ("吴", "文斌"),
    "fq_clerk": ("沈", "佳怡"),
    "tz_counsellor": ("裘", "心怡"),
}


def worker_count(value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        count = -1
    if count < 0:
        raise ArgumentTypeError(
            _("Expected a number of workers (0 or more), got %(value)s.") % {"value": value}
        )
    return count


class Command(BaseCommand):
    help = (
        "Load deterministic demo data: towns, the demo accounts and a province of ledger records "
        "scaled to --workers. Towns and accounts are refreshed on every run; the records are "
        "generated only while the ledger holds none of their kinds, so running it again adds "
        "nothing (empty the ledger first to generate another size). Every kind of record "
        "appears from about 100 workers on."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already has user accounts",
        )
        parser.add_argument(
            "--workers",
            type=worker_count,
            default=DEFAULT_WORKERS,
            help=(
                f"workers to generate (default {DEFAULT_WORKERS}); every other record scales "
                "with them; 0 loads only towns and accounts"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        if options["if_empty"] and user_model.objects.exists():
            self.stdout.write(_("The database already holds data; demo data not loaded."))
        else:
            self.seed(options["workers"], verbosity=options["verbosity"])
            if connection.vendor == "postgresql":
                # A million rows just arrived: plan queries on their statistics, not on guesses
                # (autovacuum would catch up, minutes later).
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
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
    def seed(self, workers: int, *, verbosity: int = 1) -> None:
        ensure_towns()
        user_model = get_user_model()
        username, password = DEMO_ADMIN
        if not user_model.objects.filter(username=username).exists():
            user_model.objects.create_superuser(username=username, password=password)
        for username, role, code in DEMO_STAFF:
            last_name, first_name = DEMO_NAMES[username]
            staff_user_upsert(
                username=username,
                role=role,
                region=Region.objects.get(code=code),
                password=DEMO_STAFF_PASSWORD,
                last_name=last_name,
                first_name=first_name,
            )
        if not workers:
            return
        existing = build.existing_demo_models()
        if existing:
            self.stdout.write(
                _("The ledger already holds records (%(kinds)s); no demo records generated.")
                % {"kinds": "、".join(str(m._meta.verbose_name_plural) for m in existing[:3])}
            )
            return
        started = time.monotonic()
        counts = build.generate(workers=workers)
        # Last, against the records just written: the reports freeze them.
        counts[Submission._meta.label] = reporting.seed_rounds()
        for label, count in counts.items():
            model = apps.get_model(label)
            if not model._meta.auto_created and verbosity >= 1:
                self.stdout.write(f"  {model._meta.verbose_name_plural}: {count}")
        self.stdout.write(
            _("Generated %(rows)d demo records for %(workers)d workers in %(seconds).1f s.")
            % {
                "rows": sum(counts.values()),
                "workers": workers,
                "seconds": time.monotonic() - started,
            }
        )
