"""python manage.py backup_db [--output FILE]: a backup of the whole database."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump -Fc for PostgreSQL, a copy for SQLite) into backups/."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--output", help="file to write (default: backups/NAME-STAMP.*)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = backup(Path(options["output"]) if options["output"] else None)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(_("Backup written to %(path)s") % {"path": path})
