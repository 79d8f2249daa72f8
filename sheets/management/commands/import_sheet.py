"""python manage.py import_sheet RESOURCE FILE [--dry-run] [--only-valid] [--user USERNAME]

All or nothing by default; with --only-valid the rows without errors are written and the others
reported. Errors as `row N, column C, cell G2: message` (column as the sheet's header says it);
the last line printed is always `created=N updated=N skipped=N errors=N`; exit status 1 on any
error, also when the valid rows were written.
"""

from __future__ import annotations

import logging
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from config.faults import database_unreachable
from sheets.resources import all_resources
from sheets.rows import Report, RowError
from sheets.services import SystemActor, import_job_create, import_job_execute, import_job_reap

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Import a spreadsheet (xlsx, xls or csv) of one resource; all rows or none, "
        "or with --only-valid the rows without errors."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("resource", help="one of: " + ", ".join(sorted(all_resources())))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--only-valid",
            action="store_true",
            help="write the rows without errors and report the others (default: all or nothing)",
        )
        parser.add_argument("--user", help="import with this user's region scope and rights")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = self.run(options)
        except Exception as error:
            report = Report(resource=options["resource"])
            if database_unreachable(error):
                # The database is away: an operating condition, said in one line.
                first_line = str(error).strip().splitlines()[0]
                message = _(
                    "The database could not be used: %(error)s. Check that it is running "
                    "and try again."
                ) % {"error": first_line}
            else:
                # The contract: a message and the summary line, never a bare traceback.
                logger.exception("import_sheet failed")
                message = _("The import failed: %(error)s") % {"error": error}
            report.errors.append(RowError(0, "—", message))
        for line in report.warnings + report.notes:
            self.stdout.write(line)
        for row_error in report.errors:
            self.stderr.write(row_error.line())
        self.stderr.flush()
        self.stdout.write(report.summary())
        self.stdout.flush()
        if report.errors:
            sys.exit(1)

    def run(self, options: dict[str, Any]) -> Report:
        name = options["resource"]
        report = Report(resource=name)
        resources = all_resources()
        if name not in resources:
            report.errors.append(
                RowError(0, "—", _("Unknown resource %(name)s. Resources: %(names)s.")
                         % {"name": name, "names": ", ".join(sorted(resources))})
            )  # fmt: skip
            return report
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            report.errors.append(
                RowError(
                    0,
                    "—",
                    _("Cannot read %(file)s: %(error)s") % {"file": path, "error": error.strerror},
                )
            )
            return report
        user: Any = SystemActor()
        if options.get("user"):
            user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                report.errors.append(
                    RowError(0, "—", _("No active user %(name)s.") % {"name": options["user"]})
                )
                return report
        try:
            job = import_job_create(user=user, resource_name=name, file_name=path.name, data=data)
        except PermissionDenied as error:
            report.errors.append(RowError(0, "—", str(error)))
            return report
        import_job_reap()
        bar = self.progress_bar(path.name) if sys.stderr.isatty() else None
        whole: list[Report] = []  # every error, where the job keeps the first ones
        job = import_job_execute(
            job=job,
            dry_run=options["dry_run"],
            user=user,
            on_progress=bar,
            on_report=whole.append,
            only_valid=options["only_valid"],
        )
        if bar is not None:
            sys.stderr.write("\n")
        return whole[0] if whole else Report.from_json(job.report)

    def progress_bar(self, name: str) -> Any:
        """A one-line bar redrawn in place; only for a terminal, never in logs or pipes."""

        def draw(done: int, total: int) -> None:
            width = 30
            filled = width * done // total if total else 0
            line = _("Importing %(file)s") % {"file": name}
            sys.stderr.write(f"\r{line} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            sys.stderr.flush()

        return draw
