"""Backups of the whole database: `pg_dump -Fc` / `pg_restore` for PostgreSQL, SQLite's online
backup API (a consistent copy even while the server writes) for SQLite.

The commands `backup_db` and `restore_db` (and `make backup` / `make restore`) call these.
"""

from __future__ import annotations

import datetime
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import dj_database_url
from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

BACKUP_DIR = settings.BASE_DIR / "backups"
PG_DUMP_SUFFIX = ".dump"
SQLITE_SUFFIX = ".sqlite3"


class BackupError(Exception):
    """A backup or restore that could not be done; the message is for the operator."""


def database_settings(database_url: str | None = None) -> dict[str, Any]:
    """The running database's settings, or those of `database_url`."""
    if database_url:
        return dict(dj_database_url.parse(database_url))
    return dict(connection.settings_dict)


def is_postgresql(db: dict[str, Any]) -> bool:
    return "postgresql" in db["ENGINE"]


def default_path(db: dict[str, Any]) -> Path:
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    name = Path(str(db["NAME"])).stem if not is_postgresql(db) else str(db["NAME"])
    suffix = PG_DUMP_SUFFIX if is_postgresql(db) else SQLITE_SUFFIX
    return BACKUP_DIR / f"{name}-{stamp}{suffix}"


def _pg_arguments(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore; the password goes in the environment, never
    on the command line (which other users of the server can read)."""
    arguments = []
    if db.get("HOST"):
        arguments += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        arguments += ["--port", str(db["PORT"])]
    if db.get("USER"):
        arguments += ["--username", str(db["USER"])]
    environment = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if db.get("PASSWORD"):
        environment["PGPASSWORD"] = str(db["PASSWORD"])
    return [*arguments, "--no-password"], environment


def _program(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            _("%(program)s was not found; install the PostgreSQL client tools.") % {"program": name}
        )
    return found


def _run(command: list[str], environment: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603 (fixed program, arguments from settings, no shell)
        command, env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s failed: %(error)s")
            % {"program": Path(command[0]).name, "error": result.stderr.strip()}
        )


def backup(path: Path | None = None) -> Path:
    """Write a backup of the running database to `path` (default: backups/NAME-STAMP.*)."""
    db = database_settings()
    target = path or default_path(db)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    try:
        if is_postgresql(db):
            arguments, environment = _pg_arguments(db)
            _run(
                [_program("pg_dump"), "--format=custom", "--file", str(partial), *arguments,
                 "--dbname", str(db["NAME"])],
                environment,
            )  # fmt: skip
        else:
            connection.ensure_connection()
            with sqlite3.connect(partial) as copy:
                connection.connection.backup(copy)
            copy.close()
        # Only a finished backup gets the real name: a crash leaves a .partial, never a file
        # that looks whole.
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def restore(path: Path, *, database_url: str | None = None) -> None:
    """Replace the contents of the running database (or of `database_url`) with a backup.

    PostgreSQL: in one transaction, so a failed restore leaves the database as it was.
    """
    if not path.is_file():
        raise BackupError(_("No backup file %(path)s.") % {"path": path})
    db = database_settings(database_url)
    if is_postgresql(db):
        if path.read_bytes()[:5] != b"PGDMP":
            raise BackupError(
                _("%(path)s is not a PostgreSQL backup (pg_dump -Fc).") % {"path": path}
            )
        arguments, environment = _pg_arguments(db)
        _run(
            [_program("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
             "--single-transaction", "--exit-on-error", *arguments, "--dbname", str(db["NAME"]),
             str(path)],
            environment,
        )  # fmt: skip
        return
    if path.read_bytes()[:16] != b"SQLite format 3\x00":
        raise BackupError(_("%(path)s is not an SQLite backup.") % {"path": path})
    with sqlite3.connect(path) as source:
        if database_url:
            with sqlite3.connect(str(db["NAME"])) as target:
                source.backup(target)
            target.close()
        else:
            connection.ensure_connection()
            source.backup(connection.connection)
    source.close()
