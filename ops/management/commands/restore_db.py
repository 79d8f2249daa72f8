"""python manage.py restore_db FILE [--database-url URL] [--no-input]: replace the database's
contents with a backup written by backup_db."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ops.backup import BACKUP_DIR, BackupError, database_settings, restore


class Command(BaseCommand):
    help = "Restore a backup made by backup_db, replacing everything in the database."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="a file in backups/ (or any path)")
        parser.add_argument(
            "--database-url", help="restore into this database instead of the configured one"
        )
        parser.add_argument("--no-input", action="store_true", help="do not ask for confirmation")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.exists() and not path.is_absolute():
            path = BACKUP_DIR / path  # `make restore FILE=name` names a file in backups/
        name = database_settings(options["database_url"])["NAME"]
        if not options["no_input"]:
            answer = input(
                _("Everything in database %(name)s will be replaced by %(file)s. Type yes: ")
                % {"name": name, "file": path}
            )
            if answer.strip().lower() != "yes":
                raise CommandError(_("Restore cancelled."))
        try:
            restore(path, database_url=options["database_url"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _("Database %(name)s restored from %(path)s") % {"name": name, "path": path}
        )
