"""A backup restored into an empty database holds every record (PostgreSQL or SQLite, whichever
the tests run on)."""

import io
import sqlite3
import uuid

import psycopg
import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from workforce.models import Worker

# pg_dump sees only committed data; serialized_rollback puts back the regions and roles the
# migrations created, which the flush after a transactional test would otherwise take away.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def model_tables() -> dict[str, str]:
    return {
        model._meta.label: model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def counts_here() -> dict[str, int]:
    return {label: apps.get_model(label)._base_manager.count() for label in model_tables()}


def counts_in(cursor) -> dict[str, int]:
    found = {}
    for label, table in model_tables().items():
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (table names from models)
        found[label] = cursor.fetchone()[0]
    return found


def id_numbers_in(cursor) -> set[str]:
    cursor.execute(f'SELECT id_number FROM "{Worker._meta.db_table}"')  # noqa: S608
    return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def demo_data():
    with translation.override("en"):
        call_command("seed_demo", workers=60, stdout=io.StringIO())
    counts = counts_here()
    assert counts["workforce.Worker"] == 60 and counts["welfare.HardshipCase"] > 0
    return counts


@pytest.fixture
def empty_database(tmp_path):
    """A new, empty database of the same kind as the test database; its URL."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        name = f"{db['NAME']}_restore_{uuid.uuid4().hex[:8]}"
        server = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        yield f"{server}/{name}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"


def open_database(url):
    if url.startswith("postgres"):
        return psycopg.connect(url)
    return sqlite3.connect(url.removeprefix("sqlite:///"))


def test_a_backup_restored_into_an_empty_database_holds_every_record(
    demo_data, empty_database, tmp_path
):
    path = tmp_path / "ledger.backup"
    call_command("backup_db", output=str(path), stdout=io.StringIO())
    assert path.stat().st_size > 0
    call_command(
        "restore_db", str(path), database_url=empty_database, no_input=True, stdout=io.StringIO()
    )
    with open_database(empty_database) as restored:
        cursor = restored.cursor()
        assert counts_in(cursor) == demo_data
        assert id_numbers_in(cursor) == set(Worker.objects.values_list("id_number", flat=True))


def test_restoring_over_a_changed_database_brings_back_the_backup(demo_data, tmp_path):
    path = tmp_path / "ledger.backup"
    call_command("backup_db", output=str(path), stdout=io.StringIO())
    Worker.objects.filter(pk__in=Worker.objects.values("pk")[:5]).update(name="已改")
    call_command("restore_db", str(path), no_input=True, stdout=io.StringIO())
    connection.close()  # the restore replaced what the open connection had cached
    assert not Worker.objects.filter(name="已改").exists()
    assert counts_here() == demo_data


def test_a_file_that_is_no_backup_is_refused_and_nothing_changes(demo_data, tmp_path):
    path = tmp_path / "not-a-backup.dump"
    path.write_bytes(b"PK\x03\x04 this is a zip, not a backup")
    with pytest.raises(CommandError, match="backup"):
        call_command("restore_db", str(path), no_input=True)
    assert counts_here() == demo_data


def test_a_missing_backup_file_is_named():
    with pytest.raises(CommandError, match=r"no-such\.dump"):
        call_command("restore_db", "no-such.dump", no_input=True)


def test_a_backup_without_a_name_goes_to_the_backups_folder_and_is_named_after_the_database(
    demo_data, settings
):
    out = io.StringIO()
    call_command("backup_db", stdout=out)
    written = out.getvalue().split()[-1]
    try:
        assert "/backups/" in written
        name = str(connection.settings_dict["NAME"])
        assert connection.vendor != "postgresql" or f"/backups/{name}-" in written
    finally:
        import pathlib

        pathlib.Path(written).unlink()
