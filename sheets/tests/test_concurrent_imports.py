"""Two overlapping sheets imported at the same moment: the database's unique constraints, not
only the importer's look-ups, keep every person once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from sheets import importer
from sheets.services import sheet_import
from tests import factories
from tests.sheetfiles import xlsx
from workforce.models import Worker

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two writers at once need a server database (SQLite serialises whole files)",
)

HEADER = ["职工姓名", "公民身份号码", "县(市、区)"]


def sheet(serials: range) -> bytes:
    rows = [[f"职工{i}", factories.valid_id_number("330381", i), "瑞安市"] for i in serials]
    return xlsx([HEADER, *rows])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_overlapping_imports_at_once_leave_no_duplicates(monkeypatch):
    # Both imports have checked their rows against the database (neither person exists yet)
    # before either writes: the moment a Python-only check lets duplicates through.
    both_checked = threading.Barrier(2, timeout=60)
    real_write = importer.write

    def write_together(*args, **kwargs):
        both_checked.wait()
        return real_write(*args, **kwargs)

    monkeypatch.setattr(importer, "write", write_together)
    user = factories.superuser()
    reports = {}

    def run(name: str, data: bytes) -> None:
        try:
            reports[name], _changes = sheet_import(
                resource_name="workers",
                data=data,
                file_name=f"{name}.xlsx",
                user=user,
                dry_run=False,
            )
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=("a", sheet(range(0, 60)))),
        threading.Thread(target=run, args=("b", sheet(range(40, 100)))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    ids = list(Worker.objects.values_list("id_number", flat=True))
    assert len(ids) == len(set(ids))  # nobody twice
    created = sorted(report.created for report in reports.values())
    refused = [report for report in reports.values() if report.errors]
    # One import wrote its 60 rows; the other was refused whole, saying why, and wrote nothing.
    assert created == [0, 60] and len(refused) == 1
    assert "数据库拒绝" in refused[0].errors[0].message or "refused" in refused[0].errors[0].message
    assert len(ids) == 60
