"""只导入无误的行: on the confirm step, an explicit choice writes the rows without errors in one
transaction and keeps the others in the error workbook; all or nothing stays the default."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from base.roles import Role
from sheets.models import ImportJob, JobStatus
from tests import factories
from tests.sheetfiles import write, xlsx
from workforce.models import Enterprise, Honour, Worker

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "身份证号", "所属地区", "工作单位", "就业形态", "是否工会会员"]
ID_A, ID_B, ID_C = "330327197407119711", "330327196403223752", "33032719700105644X"
GOOD_A = ["贺静峰", ID_A, "苍南县", "苍南一号物流有限公司", "快递员", "是"]
GOOD_B = ["付建一", ID_B, "苍南县", None, "外卖骑手", "否"]
# Refused (也许 is neither yes nor no), and it names an employer no other row names.
BAD_C = ["赵杰国", ID_C, "苍南县", "只在坏行里的公司", "标准", "也许"]


@pytest.fixture
def clerk(login):
    return login(factories.staff("cn_clerk", Role.CLERK, "330327"))


def checked(client, rows):
    data = xlsx([HEADER, *rows])
    response = client.post(
        reverse("admin:workforce_worker_import"), {"file": SimpleUploadedFile("w.xlsx", data)}
    )
    return ImportJob.objects.latest("pk"), response["Location"]


def test_a_check_with_errors_offers_the_choice_but_writes_nothing_by_default(clerk):
    job, location = checked(clerk, [GOOD_A, BAD_C, GOOD_B])
    assert job.status == JobStatus.FAILED and job.report["writable"] == 2
    page = clerk.get(location).content.decode()
    assert "只导入无误的行（2 行）" in page and 'name="only_valid"' in page
    # The ordinary confirm is not offered on a check with errors, and is refused if posted.
    response = clerk.post(reverse("admin:sheets_importjob_confirm", args=[job.pk]))
    assert response.status_code == 403 and not Worker.objects.exists()


def test_only_valid_writes_the_good_rows_and_keeps_the_bad_ones_in_the_workbook(clerk):
    job, location = checked(clerk, [GOOD_A, BAD_C, GOOD_B])
    response = clerk.post(
        reverse("admin:sheets_importjob_confirm", args=[job.pk]), {"only_valid": "1"}
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.only_valid, job.created, job.errors) == (JobStatus.DONE, True, 2, 1)
    assert set(Worker.objects.values_list("id_number", flat=True)) == {ID_A, ID_B}
    # The refused row's new employer is not written; the good row's is.
    assert list(Enterprise.objects.values_list("name", flat=True)) == ["苍南一号物流有限公司"]
    page = clerk.get(location).content.decode()
    assert "已写入 2 行无误的数据" in page and "1 行有错误，未导入" in page
    workbook = clerk.get(reverse("admin:sheets_importjob_errors", args=[job.pk]))
    assert workbook.status_code == 200
    log = clerk.get(reverse("admin:sheets_importjob_changelist")).content.decode()
    # The log shows the partial import, and its filter names sheet types as users know them.
    assert 'href="?resource=workers"' in log and ">workers</a>" not in log
    assert "职工名册</a>" in log


def test_undo_of_a_partial_import_removes_what_it_wrote(clerk):
    job, _location = checked(clerk, [GOOD_A, BAD_C, GOOD_B])
    clerk.post(reverse("admin:sheets_importjob_confirm", args=[job.pk]), {"only_valid": "1"})
    response = clerk.post(
        reverse("admin:sheets_importjob_undo", args=[job.pk]), {"confirmed": "yes"}
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.UNDONE
    assert not Worker.objects.exists() and not Enterprise.objects.exists()


def test_a_row_refused_after_its_worker_was_resolved_adds_no_worker(tmp_path):
    """An honour row adds its worker when new; the row is refused (an unknown title) only after
    that worker was made for it, and with --only-valid the worker must not be written."""
    header = ["姓名", "身份证号", "所属地区", "工作单位", "荣誉称号", "授予年份"]
    rows = [
        ["贺静峰", ID_A, "苍南县", "苍南一号物流有限公司", "浙江省劳动模范", 2020],
        ["赵杰国", ID_C, "苍南县", "只在坏行里的公司", "月球劳动模范", 2021],
    ]
    path = write(tmp_path, "honours.xlsx", xlsx([header, *rows]))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import_sheet", "honours", str(path), "--only-valid", stdout=out, stderr=err)
    assert err.getvalue().startswith("row 3, column 荣誉称号, cell E3: ")
    assert out.getvalue().splitlines()[-1] == "created=1 updated=0 skipped=0 errors=1"
    assert list(Honour.objects.values_list("worker__id_number", flat=True)) == [ID_A]
    assert list(Worker.objects.values_list("id_number", flat=True)) == [ID_A]
    assert list(Enterprise.objects.values_list("name", flat=True)) == ["苍南一号物流有限公司"]
    # The check's notes count only what the written rows add.
    report = ImportJob.objects.latest("pk").report
    assert "将新增 1 名尚未登记的职工。" in report["notes"]


def run(tmp_path: Path, rows: list[list[object]], *args: str) -> tuple[int, list[str]]:
    path = write(tmp_path, "w.xlsx", xlsx([HEADER, *rows]))
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_sheet", "workers", str(path), *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    return status, (err.getvalue() + out.getvalue()).splitlines()


def test_the_command_line_is_all_or_nothing_unless_asked(tmp_path):
    status, lines = run(tmp_path, [GOOD_A, BAD_C, GOOD_B])
    assert (status, lines[-1]) == (1, "created=0 updated=0 skipped=0 errors=1")
    assert not Worker.objects.exists()
    status, lines = run(tmp_path, [GOOD_A, BAD_C, GOOD_B], "--only-valid")
    assert status == 1  # something was refused: the exit status says so
    assert lines[0].startswith("row 3, column 是否工会会员, cell F3: ")
    assert lines[-1] == "created=2 updated=0 skipped=0 errors=1"
    assert set(Worker.objects.values_list("id_number", flat=True)) == {ID_A, ID_B}
    assert not Enterprise.objects.filter(name="只在坏行里的公司").exists()
    job = ImportJob.objects.latest("pk")
    assert (job.status, job.only_valid, job.created, job.errors) == (JobStatus.DONE, True, 2, 1)
