"""An import whose process dies mid-way leaves nothing written and its job marked failed."""

from __future__ import annotations

import datetime
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from base.models import Region
from base.roles import Role
from sheets.models import ImportJob, JobStatus
from sheets.services import import_job_reap
from tests import factories
from tests.sheetfiles import csv_bytes
from workforce.models import Worker

ROOT = Path(__file__).resolve().parents[2]


def running_job(runner: str, heartbeat_minutes_ago: float, user=None) -> ImportJob:
    return ImportJob.objects.create(
        user=user,
        region=Region.objects.get(code="330381"),
        resource="workers",
        file_name="workers.xlsx",
        sha256="0" * 64,
        data=b"",
        status=JobStatus.RUNNING,
        runner=runner,
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=heartbeat_minutes_ago),
    )


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.mark.django_db
def test_a_job_whose_process_died_is_marked_failed_with_a_message():
    job = running_job(f"{socket.gethostname()}:{dead_pid()}", heartbeat_minutes_ago=0)
    assert import_job_reap() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert (
        "中断" in job.report["errors"][0]["message"]
        or "interrupted" in job.report["errors"][0]["message"]
    )


@pytest.mark.django_db
def test_a_job_still_running_here_is_left_alone():
    job = running_job(f"{socket.gethostname()}:{os.getpid()}", heartbeat_minutes_ago=1)
    assert import_job_reap() == 0
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING


@pytest.mark.django_db
def test_a_job_on_another_machine_is_failed_only_when_silent_for_long():
    recent = running_job("other-host:123", heartbeat_minutes_ago=5)
    silent = running_job("other-host:456", heartbeat_minutes_ago=45)
    assert import_job_reap() == 1
    recent.refresh_from_db(), silent.refresh_from_db()
    assert (recent.status, silent.status) == (JobStatus.RUNNING, JobStatus.FAILED)


@pytest.mark.django_db
def test_the_job_page_shows_a_dead_job_as_failed(login):
    clerk = factories.staff("clerk", Role.CLERK, "330381")
    job = running_job(f"{socket.gethostname()}:{dead_pid()}", heartbeat_minutes_ago=0, user=clerk)
    client = login(clerk)
    status = client.get(reverse("admin:sheets_importjob_status", args=[job.pk])).json()
    assert (status["status"], status["finished"]) == (JobStatus.FAILED, True)


def database_url() -> str:
    settings = connection.settings_dict
    return "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(
        USER=settings["USER"] or "postgres",
        HOST=settings["HOST"] or "127.0.0.1",
        PORT=settings["PORT"] or 5432,
        NAME=settings["NAME"],
    )


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs a database a second process shares (the SQLite test database is in memory)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_killing_an_import_mid_way_writes_nothing_and_the_job_is_marked_failed(tmp_path):
    rows = [["职工姓名", "公民身份号码", "县(市、区)", "就业形态"]]
    for serial in range(40_000):
        rows.append(
            [
                f"职工{serial}",
                factories.valid_id_number("330381", serial, birth=f"19{60 + serial % 40}0101"),
                "瑞安市",
                "快递员",
            ]
        )
    sheet = tmp_path / "workers.csv"
    sheet.write_bytes(csv_bytes(rows))
    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_sheet", "workers", str(sheet)],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": database_url(),
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    job = None
    # Kill it late: after most rows were read, when the write has begun or is about to.
    while time.monotonic() < deadline and process.poll() is None:
        job = ImportJob.objects.filter(status=JobStatus.RUNNING).first()
        if job and job.rows_total and job.rows_done >= job.rows_total * 0.9:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the import finished before it could be interrupted"
    process.send_signal(signal.SIGKILL)
    process.wait()

    assert Worker.objects.count() == 0
    assert import_job_reap() == 1
    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_database_dropping_mid_write_leaves_nothing_half_written(tmp_path, monkeypatch):
    """Enterprises and workers are written before the honours that refer to them; the connection
    failing at the honours must take the enterprises and workers back with it."""
    from django.core.management import call_command
    from django.db import OperationalError

    from sheets import bulk
    from tests.sheetfiles import write, xlsx
    from workforce.models import Enterprise, Honour

    if not Region.objects.filter(code="330327").exists():
        pytest.skip("regions come from the migration")
    real_insert = bulk.insert
    written = []

    def insert_then_drop(objects, **kwargs):
        written.append(objects[0]._meta.model)
        if objects and objects[0]._meta.model is Honour:
            raise OperationalError("server closed the connection unexpectedly")
        return real_insert(objects, **kwargs)

    monkeypatch.setattr(bulk, "insert", insert_then_drop)
    rows = [
        ["姓名", "身份证号", "所属地区", "工作单位", "荣誉称号", "授予年份"],
        ["林小红", "33032719700105644X", "苍南县", "浙江银轮机械股份有限公司", "浙江工匠", 2023],
    ]
    with pytest.raises(SystemExit):
        call_command("import_sheet", "honours", str(write(tmp_path, "h.xlsx", xlsx(rows))))
    assert written == [Enterprise, Worker, Honour]  # the parents were written, then it failed
    assert (Enterprise.objects.count(), Worker.objects.count(), Honour.objects.count()) == (0, 0, 0)
    assert ImportJob.objects.get().status == JobStatus.FAILED
