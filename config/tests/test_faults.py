"""A database that cannot be reached: a clear 503 page, a one-line CLI error with a non-zero
exit, and nothing half-written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

from base.roles import Role
from tests import factories

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def database_down(monkeypatch):
    def refuse(self):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: refused')

    def go_down():
        monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)

    return go_down


@pytest.mark.django_db
def test_pages_answer_503_with_a_chinese_explanation_when_the_database_is_down(
    login, database_down
):
    client = login(factories.staff("clerk", Role.CLERK, "330381"))
    client.raise_request_exception = False
    database_down()
    response = client.get("/admin/workforce/worker/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "暂时无法使用" in page
    assert "Traceback" not in page


@pytest.mark.django_db
def test_dashboard_json_answers_503_as_json_when_the_database_is_down(login, database_down):
    client = login(factories.staff("clerk", Role.CLERK, "330381"))
    client.raise_request_exception = False
    database_down()
    response = client.get("/dashboards/330381/data.json")
    assert response.status_code == 503
    assert response.json()["error"] == "database_unavailable"


def test_other_server_errors_stay_500(rf):
    from config.views import handler500

    try:
        raise ValueError("a bug")
    except ValueError:
        response = handler500(rf.get("/"))
    assert response.status_code == 500


def test_command_line_exits_non_zero_with_one_clear_line_when_the_database_is_down(tmp_path):
    sheet = tmp_path / "workers.csv"
    sheet.write_text("职工姓名,公民身份号码\n张三,330327197407119711\n", encoding="utf-8")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nowhere",  # nothing listens on port 1
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "import_sheet", "workers", str(sheet)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1  # import_sheet's contract: 1 on any error
    assert "Traceback" not in result.stderr
    assert "127.0.0.1" in result.stderr  # says which database it could not reach
    assert result.stdout.strip().endswith("created=0 updated=0 skipped=0 errors=1")


def test_other_commands_exit_non_zero_without_a_traceback_when_the_database_is_down():
    env = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nowhere"}
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo", "--if-empty"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert "port 1" in result.stderr
