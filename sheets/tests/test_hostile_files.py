"""Hostile and broken files: each is refused whole, with a message and without a traceback,
through the command line and through the admin's upload; exports never carry a live formula."""

from __future__ import annotations

import csv
import datetime
import io
import random
import re
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from base import identity
from base.models import Region
from base.roles import Role
from sheets.models import ImportJob, JobStatus
from sheets.tests.test_import_sheet import run, table_counts
from sheets.workbooks import FORMULA_STARTS, error_workbook
from tests import factories
from tests.sheetfiles import write, xlsx
from workforce.models import Worker

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "身份证号", "所属地区"]
ID_A, ID_B = "330327197407119711", "330327196403223752"
GOOD_ROWS = [HEADER, ["贺静峰", ID_A, "苍南县"], ["付建一", ID_B, "苍南县"]]


def replace_in_sheet_xml(data: bytes, change) -> bytes:
    """The workbook with its first worksheet's XML passed through `change`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            target.writestr(item, content)
    return out.getvalue()


def declare_whole_sheet(xml: bytes) -> bytes:
    return re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:XFD1048576"/>', xml)


def stray_cell_in_the_last_cell_of_excel(xml: bytes) -> bytes:
    xml = declare_whole_sheet(xml)
    return xml.replace(
        b"</sheetData>",
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
    )


def empty_rows_to_the_end(xml: bytes) -> bytes:
    """Only a header, then a million formatted but empty rows (a "select all, format" sheet)."""
    rows = b"".join(
        b'<row r="%d" s="1" customFormat="1"/>' % number for number in range(2, 1_048_577)
    )
    start = xml.index(b"<sheetData>") + len(b"<sheetData>")
    end = xml.index(b"</row>", start) + len(b"</row>")  # keep the header row only
    return xml[:end] + rows + xml[xml.index(b"</sheetData>") :]


def formulas_instead_of_values() -> bytes:
    """Names and ID numbers as formulas saved by a program, so with no computed values."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(['=HYPERLINK("http://example.invalid/x","贺静峰")', "=A1&A1", "苍南县"])
    sheet.append(["=cmd|' /C calc'!A0", '="330327"&"196403223752"', "苍南县"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(rows, encoding: str) -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue().encode(encoding)


def random_bytes() -> bytes:
    return random.Random(6).randbytes(4096)  # noqa: S311 (fixed noise, not a secret)


def valid_id_numbers(count: int):
    start = datetime.date(1960, 1, 1)
    for number in range(count):
        born = start + datetime.timedelta(days=number // 1000)
        first17 = f"330327{born:%Y%m%d}{number % 1000:03d}"
        yield first17 + identity.id_number_check_char(first17)


def hundred_thousand_rows_one_bad_at_the_end() -> bytes:
    """100,000 good workers and, in the very last row, a wrong check digit."""
    lines = ["姓名,身份证号,所属地区"]
    lines += [
        f"职工{number},{id_number},苍南县"
        for number, id_number in enumerate(valid_id_numbers(100_000))
    ]
    last = lines[-1].split(",")
    last[1] = last[1][:17] + ("0" if last[1][17] != "0" else "1")
    lines[-1] = ",".join(last)
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


# name → (file name, contents, what the message the user reads says)
CORPUS = {
    "truncated xlsx": ("名册.xlsx", lambda: xlsx(GOOD_ROWS)[:700], "文件已损坏或不完整"),
    "zip cut before its directory": (
        "名册.xlsx",
        lambda: xlsx(GOOD_ROWS)[:-40],
        "文件已损坏或不完整",
    ),
    "an image renamed .xlsx": (
        "名册.xlsx",
        lambda: b"\x89PNG\r\n\x1a\n" + random_bytes(),
        "不是电子表格",
    ),
    "a pdf renamed .xls": ("名册.xls", lambda: b"%PDF-1.7\n" + random_bytes(), "不是电子表格"),
    "huge declared dimension with a stray last cell": (
        "名册.xlsx",
        lambda: replace_in_sheet_xml(xlsx(GOOD_ROWS), stray_cell_in_the_last_cell_of_excel),
        "工作表“Sheet”超过 1000000 行",
    ),
    "a million empty formatted rows": (
        "名册.xlsx",
        lambda: replace_in_sheet_xml(xlsx([HEADER]), empty_rows_to_the_end),
        "表头行（第 1 行）下面没有数据",
    ),
    "formulas without values": ("名册.xlsx", formulas_instead_of_values, "此列必须填写"),
    "formula text in a csv": (
        "名册.csv",
        lambda: csv_text([HEADER, ["=cmd|' /C calc'!A0", ID_A, "苍南县"]], "utf-8-sig"),
        "是电子表格公式",
    ),
    "utf-16 csv without a byte-order mark": (
        "名册.csv",
        lambda: csv_text(GOOD_ROWS, "utf-16-le"),
        "无法识别 CSV 文件的文字编码",
    ),
    "random bytes named .csv": ("名册.csv", random_bytes, "不是电子表格"),
    "100,000 rows, the last one bad": (
        "名册.csv",
        hundred_thousand_rows_one_bad_at_the_end,
        ("身份证号校验位错误", "100001"),  # the reason and the row it is on
    ),
}


def expected(case: str) -> tuple[str, ...]:
    said = CORPUS[case][2]
    return (said,) if isinstance(said, str) else tuple(said)


@pytest.fixture(scope="module")
def corpus():
    return {name: (file_name, build()) for name, (file_name, build, _m) in CORPUS.items()}


@pytest.fixture
def clerk(login):
    return login(factories.staff("cn_clerk", Role.CLERK, "330327"))


@pytest.mark.parametrize("case", list(CORPUS))
def test_the_command_refuses_a_hostile_file_whole_with_a_message(case, corpus, tmp_path):
    file_name, data = corpus[case]
    before = table_counts()
    status, lines = run("workers", write(tmp_path, file_name, data))
    output = "\n".join(lines)
    assert status == 1
    assert "Traceback" not in output
    assert all(part in output for part in expected(case)), output[:2000]
    assert re.fullmatch(r"created=0 updated=0 skipped=\d+ errors=[1-9]\d*", lines[-1])
    assert table_counts() == before


@pytest.mark.parametrize("case", list(CORPUS))
def test_the_admin_refuses_a_hostile_file_whole_with_a_message(case, corpus, clerk):
    file_name, data = corpus[case]
    before = table_counts()
    response = clerk.post(
        reverse("admin:workforce_worker_import"), {"file": SimpleUploadedFile(file_name, data)}
    )
    assert response.status_code == 302
    job = ImportJob.objects.latest("pk")
    assert job.status == JobStatus.FAILED
    page = clerk.get(response["Location"]).content.decode()
    assert all(part in page for part in expected(case))
    assert "Traceback" not in page
    assert clerk.post(reverse("admin:sheets_importjob_confirm", args=[job.pk])).status_code == 403
    assert table_counts() == before


def test_a_declared_whole_sheet_dimension_alone_is_not_trusted_and_the_rows_import(tmp_path):
    data = replace_in_sheet_xml(xlsx(GOOD_ROWS), declare_whole_sheet)
    status, lines = run("workers", write(tmp_path, "名册.xlsx", data))
    assert status == 0, lines
    assert lines[-1] == "created=2 updated=0 skipped=0 errors=0"
    assert Worker.objects.count() == 2


def test_excel_formulas_with_computed_values_import_as_their_values(tmp_path):
    """What Excel shows is what is imported: a 序号 or a joined name computed by a formula."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["贺静峰", ID_A, "苍南县"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    # Excel keeps a formula and its last result side by side: <f> and <v>.
    data = replace_in_sheet_xml(
        buffer.getvalue(),
        lambda xml: re.sub(
            rb'<c r="A2" t="inlineStr"><is><t>[^<]*</t></is></c>',
            '<c r="A2" t="str"><f>"贺"&amp;"静峰"</f><v>贺静峰</v></c>'.encode(),
            xml,
        ),
    )
    status, lines = run("workers", write(tmp_path, "名册.xlsx", data))
    assert status == 0, lines
    assert Worker.objects.get().name == "贺静峰"


# --- upload size ------------------------------------------------------------------------------


MEGABYTE = 1024 * 1024
ONE_AND_A_HALF_MEGABYTES = b"a,b\r\n" * (3 * MEGABYTE // 10)


@override_settings(SHEETS_MAX_UPLOAD_BYTES=MEGABYTE)
def test_an_upload_over_the_limit_is_refused_on_the_form_before_it_is_read(clerk):
    big = SimpleUploadedFile("名册.csv", ONE_AND_A_HALF_MEGABYTES)
    response = clerk.post(reverse("admin:workforce_worker_import"), {"file": big})
    assert response.status_code == 200
    assert "文件过大（1.5 MB），上限为 1 MB" in response.content.decode()
    assert not ImportJob.objects.exists()


@override_settings(SHEETS_MAX_UPLOAD_BYTES=MEGABYTE)
def test_the_command_line_keeps_the_same_upload_limit(tmp_path):
    status, lines = run("workers", write(tmp_path, "名册.csv", ONE_AND_A_HALF_MEGABYTES))
    assert status == 1
    assert "文件过大（1.5 MB），上限为 1 MB" in "\n".join(lines)


@override_settings(SHEETS_MAX_UPLOAD_BYTES=2 * MEGABYTE)
def test_a_file_under_the_limit_is_read(tmp_path):
    _status, lines = run("workers", write(tmp_path, "名册.csv", ONE_AND_A_HALF_MEGABYTES))
    assert "文件过大" not in "\n".join(lines)


# --- exported cells ---------------------------------------------------------------------------

PAYLOADS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1"]


def cell_kinds(data: bytes) -> list[tuple[object, str, bool]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [
        (cell.value, cell.data_type, bool(cell.quotePrefix))
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS)
    ]


def test_exported_text_that_looks_like_a_formula_stays_text(clerk):
    region = Region.objects.get(code="330327")
    enterprise = factories.build(
        __import__("workforce.models", fromlist=["Enterprise"]).Enterprise, region
    )
    for number, payload in enumerate(PAYLOADS):
        worker = factories.build(Worker, region, enterprise=enterprise)
        Worker.objects.filter(pk=worker.pk).update(
            name=payload, occupation=f'=HYPERLINK("x","{number}")'
        )
    response = clerk.get(reverse("admin:workforce_worker_export"))
    found = cell_kinds(response.content)
    exported = {value for value, _kind, _quoted in found}
    assert set(PAYLOADS) <= exported
    assert all(kind == "s" and quoted for _value, kind, quoted in found), found


def test_the_error_workbook_of_a_csv_carries_no_formula(corpus):
    from sheets.rows import Report, RowError

    data = csv_text([HEADER, ["=cmd|' /C calc'!A0", "@SUM(1)", "+1"]], "utf-8-sig")
    report = Report(resource="workers")
    report.errors.append(RowError(2, "姓名", "“=cmd|' /C calc'!A0” 是电子表格公式"))
    workbook = error_workbook(data, "名册.csv", report)
    found = cell_kinds(workbook)
    assert {value for value, _k, _q in found} >= {"=cmd|' /C calc'!A0", "@SUM(1)", "+1"}
    assert all(kind == "s" and quoted for _value, kind, quoted in found), found


def test_the_dashboard_report_writes_region_and_reporter_names_as_text(login, ruian_towns):
    user = factories.staff("ra_admin", Role.ADMIN, "330381")
    user.first_name = "=cmd|' /C calc'!A0"
    user.save()
    Region.objects.filter(code="330381101").update(name="@SUM(A1)")
    response = login(user).get(reverse("dashboards:export", args=["330381"]))
    found = cell_kinds(response.content)
    assert {"=cmd|' /C calc'!A0", "@SUM(A1)"} <= {value for value, _k, _q in found}
    assert all(kind == "s" and quoted for _value, kind, quoted in found), found
