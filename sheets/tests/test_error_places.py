"""Every refusal names its place: the sheet's own header text and the Excel cell, in the check
page, the command line and the error workbook (where that cell is filled red)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from base.roles import Role
from sheets.headers import column_letter
from sheets.importer import run_import
from sheets.models import ImportJob
from sheets.resources import all_resources
from sheets.services import SystemActor
from tests import factories
from tests.sheetfiles import write, xlsx

pytestmark = pytest.mark.django_db

# The office's own headers (aliases), in its own order: columns A to H, header in row 2.
HEADER = [
    "序号",
    "职工姓名",
    "公民身份号码",
    "县(市、区)",
    "工作单位",
    "就业形态",
    "是否工会会员",
    "入会日期",
]
ID_A, ID_B, ID_C = "330327197407119711", "330327196403223752", "33032719700105644X"
GOOD = [1, "贺静峰", ID_A, "苍南县", None, "快递员", "是", "2018-01-01"]


def check(tmp_path: Path, rows: list[list[object]], *args: str) -> tuple[list[str], ImportJob]:
    """`import_sheet workers --dry-run` on the rows; its printed lines and the job it left."""
    path = write(tmp_path, "workers.xlsx", xlsx([HEADER, *rows], title="苍南县职工名册"))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit):
        call_command(
            "import_sheet", "workers", str(path), "--dry-run", *args, stdout=out, stderr=err
        )
    return err.getvalue().splitlines(), ImportJob.objects.latest("pk")


def red_cells(job: ImportJob) -> set[str]:
    assert job.error_file is not None
    sheet = openpyxl.load_workbook(io.BytesIO(bytes(job.error_file))).active
    return {
        cell.coordinate
        for row in sheet.iter_rows()
        for cell in row
        if cell.fill.fill_type == "solid" and cell.column <= len(HEADER)
    }


def only_error(job: ImportJob) -> dict[str, object]:
    errors = job.report["errors"]
    assert len(errors) == 1, errors
    return errors[0]


def test_a_cell_the_widget_refuses_names_the_sheets_header_and_its_cell(tmp_path):
    lines, job = check(
        tmp_path, [GOOD, [2, "付建一", ID_B, "苍南县", None, "快递员", "也许", None]]
    )
    error = only_error(job)
    assert (error["row"], error["column"], error["cell"]) == (4, "是否工会会员", "G4")
    assert lines[0].startswith("row 4, column 是否工会会员, cell G4: ")
    assert red_cells(job) == {"G4"}


def test_an_empty_required_cell_is_named_by_the_header_the_sheet_uses(tmp_path):
    lines, job = check(tmp_path, [GOOD, [2, "付建一", None, "苍南县", None, "快递员", "是", None]])
    error = only_error(job)
    # The sheet says 公民身份号码, not the template's 身份证号.
    assert (error["column"], error["cell"]) == ("公民身份号码", "C4")
    assert lines[0].startswith("row 4, column 公民身份号码, cell C4: ")
    assert red_cells(job) == {"C4"}


def test_a_reference_that_is_not_found_names_its_cell(tmp_path):
    lines, job = check(tmp_path, [GOOD, [2, "付建一", ID_B, "火星市", None, "快递员", "是", None]])
    error = only_error(job)
    assert (error["column"], error["cell"]) == ("县(市、区)", "D4")
    assert lines[0].startswith("row 4, column 县(市、区), cell D4: ")
    assert red_cells(job) == {"D4"}


def test_a_value_the_model_field_refuses_names_its_cell(tmp_path):
    too_long = "贺" * 200  # the name column is shorter: the model field's own rule
    lines, job = check(tmp_path, [GOOD, [2, too_long, ID_B, "苍南县", None, "快递员", "是", None]])
    error = only_error(job)
    assert (error["column"], error["cell"]) == ("职工姓名", "B4")
    assert lines[0].startswith("row 4, column 职工姓名, cell B4: ")
    assert red_cells(job) == {"B4"}


def test_a_duplicate_key_marks_the_key_cells_of_both_rows(tmp_path):
    twice = [3, "贺静峰", ID_A, "苍南县", None, "快递员", "是", None]
    lines, job = check(
        tmp_path, [GOOD, [2, "付建一", ID_B, "苍南县", None, "标准", "否", None], twice]
    )
    errors = job.report["errors"]
    assert [(e["row"], e["column"], e["cell"]) for e in errors] == [
        (3, "公民身份号码", "C3"),
        (5, "公民身份号码", "C5"),
    ]
    assert "第 5 行" in errors[0]["message"] and "第 3 行" in errors[1]["message"]
    assert [line.split(":")[0] for line in lines[:2]] == [
        "row 3, column 公民身份号码, cell C3",
        "row 5, column 公民身份号码, cell C5",
    ]
    assert red_cells(job) == {"C3", "C5"}


def test_a_region_outside_the_scope_is_named_with_the_scope(tmp_path):
    factories.staff("cn_clerk", Role.CLERK, "330327")
    row = [2, "付建一", ID_B, "瑞安市", None, "快递员", "是", None]
    _lines, job = check(tmp_path, [GOOD, row], "--user", "cn_clerk")
    error = only_error(job)
    assert (error["column"], error["cell"]) == ("县(市、区)", "D4")
    assert "瑞安市" in str(error["message"]) and "苍南县" in str(error["message"])
    assert red_cells(job) == {"D4"}


def test_no_error_of_a_row_says_column_dash(tmp_path):
    rows = [
        GOOD,
        [2, "付建一", None, "苍南县", None, "快递员", "也许", None],
        [3, "赵杰国", ID_C, "火星市", None, "飞行员", "是", "昨天"],
        [4, "贺静峰", ID_A, "苍南县", None, "快递员", "是", None],
    ]
    lines, job = check(tmp_path, rows)
    assert job.report["errors"]
    for error in job.report["errors"]:
        assert error["column"] != "—" and error["cell"], error
    assert not [line for line in lines if "column —" in line]


def test_the_check_page_shows_header_and_cell(tmp_path, login):
    client = login(factories.staff("cn_clerk", Role.CLERK, "330327"))
    data = xlsx([HEADER, GOOD, [2, "付建一", ID_B, "苍南县", None, "快递员", "也许", None]])
    response = client.post(
        reverse("admin:workforce_worker_import"), {"file": SimpleUploadedFile("w.xlsx", data)}
    )
    page = client.get(response["Location"]).content.decode()
    assert "<td>是否工会会员</td><td>G3</td>" in page
    assert "有错误" in page and "失败" not in page


@pytest.mark.parametrize("name", sorted(all_resources()))
def test_every_sheet_type_names_the_header_and_cell_of_each_error(name):
    """Generated over the registry: a sheet of every column, twice the same row of a value most
    columns refuse (a sheet of text columns only is refused as a duplicate); every error it gets
    is on a column of the sheet (never "—") at that column's cell of its row."""
    resource = all_resources()[name]
    headers = [column.header for column in resource.columns()]
    row = ["？？不是有效值"] * len(headers)
    rows: list[list[object]] = [headers, row, list(row)]
    report, changes = run_import(resource(), rows, user=SystemActor(), dry_run=True)
    assert report.errors and not changes, name
    letters = {header: column_letter(index) for index, header in enumerate(headers)}
    for error in report.errors:
        assert error.column != "—", (name, error)
        if error.column == "整行":
            continue  # a rule over the whole record names no cell
        parts = error.column.split("、")
        expected = [f"{letters[part]}{error.row}" for part in parts]
        assert error.row in (2, 3) and error.cells() == expected, (name, error)
