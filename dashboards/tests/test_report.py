"""The 上报表样 workbook as an official prints, signs and files it."""

from __future__ import annotations

import io
import math
import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl.utils import get_column_letter

from base.models import Region
from base.roles import Role
from dashboards import dashboard, report
from dashboards.catalogue import BY_KEY, INDICATORS
from programs.models import Target
from tests import clock, factories
from workforce.models import Worker

pytestmark = pytest.mark.django_db
THIS_YEAR = clock.A_WORKING_DAY.year


@pytest.fixture(autouse=True)
def _a_fixed_today(monkeypatch):
    clock.freeze(monkeypatch, clock.A_WORKING_DAY)


@pytest.fixture
def ruian():
    """瑞安市 with workers in two towns and one kept at the county itself; targets for both towns."""
    county = Region.objects.get(code="330381")
    tangxia = factories.town("330381101", "塘下镇")
    anyang = factories.town("330381001", "安阳街道")
    for _ in range(3):
        factories.build(Worker, tangxia)
    factories.build(Worker, anyang)
    factories.build(Worker, county)
    factories.build(Worker, Region.objects.get(code="330382"))  # another county
    for town, target in ((tangxia, 4), (anyang, 2)):
        Target.objects.create(region=town, indicator="workers", year=THIS_YEAR, value=target)
    return county


def export(client, code: str = "330381") -> openpyxl.Workbook:
    response = client.get(reverse("dashboards:export", args=[code]), {"year": THIS_YEAR})
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def named_viewer(login):
    user = factories.staff("ra_viewer", Role.VIEWER, "330381")
    user.last_name, user.first_name = "林", "晓燕"
    user.save()
    return login(user)


def test_the_reporter_is_the_users_name_in_chinese_order_never_the_login(login, ruian):
    sheet = export(named_viewer(login))["指标"]
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "林晓燕" in values and "ra_viewer" not in values
    nameless = export(login(factories.staff("ra_clerk", Role.CLERK, "330381")))["指标"]
    values = [cell for row in nameless.iter_rows(values_only=True) for cell in row]
    assert "ra_clerk" not in values  # left blank, to be signed by hand


def test_the_report_is_laid_out_for_a4_with_signature_lines_and_page_numbers(login, ruian):
    book = export(named_viewer(login))
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert str(setup.paperSize) == sheet.PAPERSIZE_A4 and setup.orientation == "landscape"
        assert setup.fitToWidth == 1 and setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows and sheet.print_title_rows.startswith("$1:")
        last = f"{get_column_letter(sheet.max_column)}${sheet.max_row}"
        assert sheet.print_area.endswith(f"!$A$1:${last}")  # the whole used range
        assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"
    values = [cell for row in book["指标"].iter_rows(values_only=True) for cell in row]
    for line in ("单位负责人（签字）", "审核人（签字）", "日期", "填报人", "填报日期"):
        assert line in values, line


def test_numbers_are_numbers_with_their_unit_in_the_header_only(login, ruian):
    book = export(named_viewer(login))
    sheet = book["指标"]
    header = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "序号")
    assert header[3] == "单位" and header[4] == "本年数值"
    for row in sheet.iter_rows(min_row=6):
        if not isinstance(row[0].value, int):
            continue
        value, target = row[4], row[5]
        assert value.value is None or isinstance(value.value, int | float | Decimal)
        # Whole numbers for a count in 人, one decimal in 万人, two for money at any scale.
        assert re.fullmatch(r"#,##0(\.0{1,2})?|0\.0", value.number_format), value.number_format
        assert target.number_format == value.number_format  # one unit for both
        assert target.value is None or isinstance(target.value, int | float | Decimal)
    children = book["下级地区"]
    for row in children.iter_rows(min_row=2, values_only=True):
        if row[0] != "区划代码":  # the header of a block holds the units
            assert not [cell for cell in row[2:] if isinstance(cell, str)], row


def test_value_and_target_are_written_in_the_indicators_unit_at_one_scale(login, ruian):
    from programs.models import Achievement

    factories.build(Achievement, ruian, year=THIS_YEAR, economic_benefit=Decimal("29100"))
    Target.objects.create(
        region=ruian, indicator="achievement_benefit", year=THIS_YEAR, value=Decimal("3900")
    )
    Target.objects.create(region=ruian, indicator="studios", year=THIS_YEAR, value=4)
    sheet = export(named_viewer(login))["指标"]
    rows = {row[2]: row for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)}
    benefit = rows[str(BY_KEY["achievement_benefit"].label)]
    # 2.91万元 against 0.39万元: the target follows its value into 万元, never 3900 beside it.
    assert benefit[3:6] == ("万元", 2.91, 0.39)
    studios = rows[str(BY_KEY["studios"].label)]
    assert studios[3] == str(BY_KEY["studios"].unit) and studios[5] == 4
    assert isinstance(studios[5], int)  # a count's target is a whole number, not 4.00


def sub_region_lines(sheet) -> dict[str, list[tuple]]:
    """The block rows of the sub-regions sheet by region name (one entry per block)."""
    lines: dict[str, list[tuple]] = {}
    for row in sheet.iter_rows(values_only=True):
        if row[1] and row[0] != "区划代码" and (row[0] or row[1] == "合计"):
            lines.setdefault(row[1], []).append(row)
    return lines


def test_sub_regions_add_up_with_own_level_and_total_and_are_ranked(login, ruian):
    sheet = export(named_viewer(login))["下级地区"]
    lines = sub_region_lines(sheet)
    headers = [row for row in sheet.iter_rows(values_only=True) if row[0] == "区划代码"]
    first_header = headers[0]
    workers = first_header.index("在册职工\n（人）")
    assert lines["塘下镇"][0][workers] == 3 and lines["安阳街道"][0][workers] == 1
    assert lines["本级"][0][workers] == 1 and lines["合计"][0][workers] == 5
    # 完成率 and 排名: 塘下镇 3 of 4 (75.0%) ranks ahead of 安阳街道 1 of 2 (50.0%).
    assert lines["塘下镇"][0][2] == 75 and lines["塘下镇"][0][3] == 1
    assert lines["安阳街道"][0][2] == 50 and lines["安阳街道"][0][3] == 2
    # Every additive count: the children and 本级 add up to 合计, block by block.
    for block, header in enumerate(headers):
        for column, title in enumerate(header[4:], start=4):
            if title is None:
                continue
            indicator = next(
                i for i in INDICATORS if report.unit_header(str(i.label), str(i.unit)) == title
            )
            if not indicator.additive or indicator.ratio is not None:
                continue
            parts = [lines[name][block][column] for name in ("塘下镇", "安阳街道", "本级")]
            assert sum(parts) == lines["合计"][block][column], title


def test_every_readable_indicator_has_one_column_and_no_block_is_wider_than_a_page(login, ruian):
    client = named_viewer(login)
    sheet = export(client)["下级地区"]
    titles = [
        title
        for row in sheet.iter_rows(values_only=True)
        if row[0] == "区划代码"
        for title in row[4:]
        if title
    ]
    user = get_user_model().objects.get(username="ra_viewer")
    readable = [
        report.unit_header(str(i.label), str(i.unit)) for i in dashboard.readable_indicators(user)
    ]
    assert sorted(titles) == sorted(readable)
    widths = [
        len([t for t in row if t])
        for row in sheet.iter_rows(values_only=True)
        if row[0] == "区划代码"
    ]
    assert max(widths) <= 4 + report.BLOCK_COLUMNS


def test_a_town_has_no_sub_regions_sheet(login, ruian):
    book = export(named_viewer(login), "330381101")
    assert book.sheetnames == ["指标"]


def test_a_unit_header_keeps_a_unit_the_label_names_already():
    assert report.unit_header("在册职工", "人") == "在册职工\n（人）"
    assert report.unit_header("高技能人才占比(%)", "%") == "高技能人才占比(%)"
    assert BY_KEY["workers"].unit


# --- printed by LibreOffice ---------------------------------------------------------------------

SOFFICE = shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")


@pytest.fixture
def printer() -> None:
    """LibreOffice and poppler's pdftotext; skipped without them locally, required in CI."""
    if SOFFICE and PDFTOTEXT:
        return
    reason = (
        "LibreOffice or pdftotext not found: printing tests skipped; install them with "
        "`apt-get install libreoffice-calc-nogui poppler-utils`"
    )
    if os.environ.get("REQUIRE_BROWSER"):
        pytest.fail(reason.replace("skipped", "required (REQUIRE_BROWSER is set)"))
    pytest.skip(reason)


def printed_pages(tmp_path: Path, content: bytes) -> list[str]:
    """The text of each page LibreOffice prints from the workbook (every sheet, in order)."""
    source = tmp_path / "report.xlsx"
    source.write_bytes(content)
    profile = tmp_path / "libreoffice-profile"  # its own profile: runs in parallel do not clash
    subprocess.run(
        [SOFFICE or "soffice", f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = subprocess.run(
        [PDFTOTEXT or "pdftotext", "-raw", str(tmp_path / "report.pdf"), "-"],
        check=True, capture_output=True, text=True, timeout=60,
    ).stdout  # fmt: skip
    return [page for page in text.split("\f") if page.strip()]


@pytest.mark.parametrize("code", ["330381", "330000"])
def test_libreoffice_prints_the_report_on_few_pages_with_no_column_cut(
    code, printer, login, ruian, tmp_path
):
    user = factories.staff("zj_admin", Role.ADMIN, "330000")
    response = login(user).get(reverse("dashboards:export", args=[code]), {"year": THIS_YEAR})
    pages = printed_pages(tmp_path, response.content)
    blocks = report.column_blocks(dashboard.readable_indicators(user), report.BLOCK_COLUMNS)
    indicators = dashboard.readable_indicators(user)
    listing = [page for page in pages if "序号" in page]
    # The indicator list at twenty or more to a page, the sub-region blocks two or more to a
    # page (an odd block out takes a page of its own).
    assert 2 <= len(listing) <= math.ceil(len(indicators) / 20), len(listing)
    assert len(pages) - len(listing) <= math.ceil(len(blocks) / 2), len(pages)
    title = f"{Region.objects.get(code=code).name}{THIS_YEAR}年"
    for number, page in enumerate(pages, start=1):
        assert title in page, f"page {number} lacks the title"
        assert f"第 {number} 页，共 {len(pages)} 页" in page
    assert all("口径" in page for page in listing)  # the last column is on the page
    # A sub-region block printed whole: its 合计 line holds one number per column of the block.
    totals = [
        line.split()[1:]
        for page in pages
        for line in page.splitlines()
        if line.startswith("合计 ") and "序号" not in page
    ]
    assert [len(values) for values in totals] == [len(block) for block in blocks]
    assert all(re.fullmatch(r"-?[\d,]+(\.\d+)?", value) for values in totals for value in values)
