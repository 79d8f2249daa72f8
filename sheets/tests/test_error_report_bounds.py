"""The error workbook is built once, when the check runs, and stored (issue #13, break 11); a
job's page lists a bounded number of errors, never 600,000 (69.5 MB of HTML)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from base.roles import Role
from sheets import admin as sheets_admin
from sheets import services, workbooks
from sheets.models import ImportJob, JobStatus
from tests import factories
from tests.sheetfiles import xlsx

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "身份证号", "所属地区", "就业形态", "是否工会会员"]


def bad_rows(count: int) -> list[list[str]]:
    # A valid birth date and region, a wrong check digit: one error per row.
    rows = []
    for serial in range(count):
        good = factories.valid_id_number("330381", serial)
        wrong = good[:17] + ("0" if good[17] != "0" else "1")
        rows.append([f"职工{serial}", wrong, "瑞安市", "快递员", "是"])
    return rows


@pytest.fixture
def clerk(login):
    return login(factories.staff("ra_clerk", Role.CLERK, "330381"))


def check(client, rows) -> ImportJob:
    upload = SimpleUploadedFile("workers.xlsx", xlsx([HEADER, *rows]))
    assert (
        client.post(reverse("admin:workforce_worker_import"), {"file": upload}).status_code == 302
    )
    return ImportJob.objects.latest("pk")


def test_the_error_workbook_is_stored_by_the_check_and_served_without_reading_the_upload(
    clerk, monkeypatch
):
    job = check(clerk, bad_rows(3))
    assert job.status == JobStatus.FAILED and job.error_file

    # A download must not parse the upload again (a million-row file took 27 s and 942 MB each
    # time): any parse now fails the test.
    def no_parse(*args, **kwargs):
        raise AssertionError("the upload was parsed again")

    monkeypatch.setattr(workbooks, "load_workbook", no_parse)
    monkeypatch.setattr(workbooks, "read_sheet", no_parse)
    response = clerk.get(reverse("admin:sheets_importjob_errors", args=[job.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][-1] == "错误原因"
    assert sheet.max_row == 4  # the user's own rows, marked


def test_the_job_page_lists_the_first_200_errors_with_the_total(clerk):
    job = check(clerk, bad_rows(450))
    assert job.errors == 450
    page = clerk.get(reverse("admin:sheets_importjob_change", args=[job.pk])).content.decode()
    # The first 200 errors, one message over every row: one line listing rows 2 to 201.
    assert page.count('class="sheet-error"') == 1
    assert "第 2–201 行" in page and "B2–B201" in page
    assert "450" in page
    assert reverse("admin:sheets_importjob_errors", args=[job.pk]) in page


def test_a_huge_error_list_is_stored_capped_with_both_counts(clerk, monkeypatch):
    monkeypatch.setattr(workbooks, "ERROR_COPY_MAX_ROWS", 10)
    monkeypatch.setattr(workbooks, "ERROR_LIST_MAX", 20)
    monkeypatch.setattr(services, "REPORT_ERRORS_KEPT", 25)
    monkeypatch.setattr(sheets_admin, "JOB_PAGE_ERRORS", 5)
    job = check(clerk, bad_rows(30))
    # The import log keeps the count of all rows with errors and the first messages.
    assert job.errors == 30
    assert len(job.report["errors"]) == 25
    assert (job.report["errors_total"], job.report["error_rows"]) == (30, 30)
    assert job.error_file_is_copy is False
    response = clerk.get(reverse("admin:sheets_importjob_errors", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert "30" in str(values[0][0]) and "20" in str(values[0][0])  # the note: 20 of 30
    assert len(values) == 2 + 20  # note, header, the first 20 errors
    page = clerk.get(reverse("admin:sheets_importjob_change", args=[job.pk])).content.decode()
    assert page.count('class="sheet-error"') == 1
    assert "第 2–6 行" in page  # the 5 shown


def test_the_command_line_still_prints_every_error(tmp_path, monkeypatch, capsys):
    from django.core.management import call_command

    monkeypatch.setattr(services, "REPORT_ERRORS_KEPT", 5)
    path = tmp_path / "workers.xlsx"
    path.write_bytes(xlsx([HEADER, *bad_rows(12)]))
    with pytest.raises(SystemExit):
        call_command("import_sheet", "workers", str(path), "--dry-run")
    err = capsys.readouterr().err
    assert err.count("row ") == 12


def test_an_xlsx_hiding_a_huge_sheet_behind_few_rows_gets_the_list_not_a_copy(monkeypatch):
    # Few data rows, but worksheets that unpack to more than the limit: openpyxl would load
    # every formatted empty row of them.
    from sheets.rows import Report, RowError

    monkeypatch.setattr(workbooks, "ERROR_COPY_MAX_XML", 1_000)
    report = Report(resource="workers", rows_total=3)
    report.errors.append(RowError(2, "身份证号", "校验位错误"))
    data = xlsx([HEADER, *bad_rows(40)])
    assert workbooks.error_workbook_for(data, "w.xlsx", report).is_copy is False
    monkeypatch.setattr(workbooks, "ERROR_COPY_MAX_XML", 10_000_000)
    assert workbooks.error_workbook_for(data, "w.xlsx", report).is_copy is True


def test_600000_errors_make_a_small_stored_report_workbook_and_page(login):
    # The scale of the attack, with the real limits: 600,000 rows with an error each.
    from base.models import Region
    from sheets.rows import Report, RowError

    report = Report(resource="workers", rows_total=600_000)
    report.errors = [RowError(n, "身份证号", "身份证号校验位错误") for n in range(2, 600_002)]
    workbook = workbooks.error_workbook_for(b"", "bomb.xlsx", report)
    assert workbook.is_copy is False
    assert len(workbook.data) < 1_000_000
    sheet = load_workbook(io.BytesIO(workbook.data), read_only=True).active
    assert sum(1 for _row in sheet.iter_rows()) == 2 + workbooks.ERROR_LIST_MAX
    stored = report.kept(services.REPORT_ERRORS_KEPT)
    owner = factories.staff("ra_clerk", Role.CLERK, "330381")
    job = ImportJob.objects.create(
        user=owner,
        region=Region.objects.get(code="330381"),
        resource="workers",
        file_name="bomb.xlsx",
        sha256="0" * 64,
        data=b"",
        status=JobStatus.FAILED,
        rows_total=600_000,
        errors=stored.error_count,
        report=stored.as_json(),
        error_file=workbook.data,
    )
    assert job.errors == 600_000 and len(stored.errors) == services.REPORT_ERRORS_KEPT
    page = login(owner).get(reverse("admin:sheets_importjob_change", args=[job.pk])).content
    assert len(page) < 200_000  # was 69.5 MB
    assert b"600000" in page or b"600,000" in page
