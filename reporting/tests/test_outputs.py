"""The workbooks of reporting rounds: a report as filed (frozen, signed, reviewed) and a round's
completeness over a region's children."""

from __future__ import annotations

import dataclasses
import datetime
import io
import re
from decimal import Decimal
from urllib.parse import unquote

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from base.models import Region
from base.roles import Role
from dashboards.catalogue import BY_KEY, INDICATORS
from dashboards.tests.test_report import printed_pages, printer  # noqa: F401 (a fixture)
from reporting import outputs, selectors, services
from reporting.models import Round, Status, Submission
from tests import factories
from workforce.models import Worker

PROVINCE, CITY, COUNTY, OTHER_COUNTY = "330000", "330300", "330381", "330382"
KEYS = ["workers", "union_members", "high_skilled_share"]
HARDSHIP = "hardship_open"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def open_round(people, *, keys=KEYS, by="city", code=CITY) -> Round:
    return services.round_open(
        by=people[by],
        region=Region.objects.get(code=code),
        name="2026年度产改统计",
        year=timezone.localdate().year,
        kind="annual",
        part=1,
        indicators=keys,
        due_on=timezone.localdate() + datetime.timedelta(days=10),
    )


def submission(round_: Round, code: str) -> Submission:
    return Submission.objects.select_related("round", "region").get(round=round_, region=code)


def submit(people, sub: Submission, who: str = "county", **extra) -> Submission:
    return services.submission_submit(
        by=people[who], submission=sub, version=sub.version, head=extra.pop("head", "李明"), **extra
    )


def approve(people, sub: Submission, who: str = "city", comment: str = "") -> Submission:
    return services.submission_approve(
        by=people[who], submission=sub, version=sub.version, comment=comment
    )


def cells(sheet) -> list:
    return [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]


def text_of(book: openpyxl.Workbook) -> str:
    return "\n".join(str(cell) for sheet in book.worksheets for cell in cells(sheet))


def open_book(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def figure_rows(sheet) -> dict[str, tuple]:
    """The table of the indicators sheet by indicator label."""
    return {row[2]: row for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)}


def labelled(sheet, label: str):
    """The cell right of a label (the signature and heading lines)."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == label:
                return sheet.cell(row=cell.row, column=cell.column + 1)
    raise AssertionError(f"no {label}")


def no_english(text: str) -> None:
    words = set(re.findall(r"[A-Za-z]{3,}", text))
    assert not words, words


def test_a_submitted_report_shows_its_frozen_figures_and_signatures(people, monkeypatch):
    county = Region.objects.get(code=COUNTY)
    for _ in range(3):
        factories.build(Worker, county)
    round_ = open_round(people)
    sub = submit(people, submission(round_, COUNTY))
    services.submission_approve(
        by=people["city"], submission=sub, version=sub.version, comment="数据核实无误"
    )
    frozen_definition = str(BY_KEY["workers"].definition)
    # The catalogue's 口径 and label are reworded after submission; the report keeps its own.
    reworded = dataclasses.replace(BY_KEY["workers"], definition="新口径", label="新名称")
    monkeypatch.setitem(BY_KEY, "workers", reworded)
    factories.build(Worker, county)  # the ledger moves on after submission
    assert selectors.live(submission(round_, COUNTY)).values["workers"] == 4

    book = open_book(
        outputs.submission_workbook(submission=submission(round_, COUNTY), user=people["county"])
    )
    sheet = book["指标"]
    assert book.sheetnames == ["指标"]  # a county has no children reporting
    title = sheet["A1"].value
    assert "瑞安市" in title and "2026年度产改统计" in title and "草稿" not in title
    header = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "序号")
    assert header == ("序号", "类别", "指标", "单位", "填报数", "说明", "口径")
    workers = figure_rows(sheet)["在册职工"]  # the label as it read when submitted
    assert workers[3:5] == ("人", 3) and isinstance(workers[4], int)
    assert workers[6] == frozen_definition and "12月31日" in frozen_definition
    assert "新口径" not in text_of(book) and "新名称" not in text_of(book)
    share = figure_rows(sheet)[str(BY_KEY["high_skilled_share"].label)]
    assert share[3] == "%"
    assert labelled(sheet, "区划代码").value == COUNTY
    assert labelled(sheet, "填报人").value == "林晓东"
    assert labelled(sheet, "单位负责人").value == "李明"
    today = timezone.localdate().isoformat()
    assert labelled(sheet, "报送日期").value == today
    assert labelled(sheet, "审核人").value == "周建国"
    assert labelled(sheet, "审核日期").value == today
    assert labelled(sheet, "审核意见").value == "数据核实无误"
    assert labelled(sheet, "状态").value == "已审核"
    assert "2026年度" in labelled(sheet, "统计期").value
    no_english(text_of(book))


def test_numbers_are_numbers_with_the_format_of_their_kind(people):
    round_ = open_round(people, keys=["workers", "achievement_benefit", "high_skilled_share"])
    sheet = open_book(
        outputs.submission_workbook(submission=submission(round_, COUNTY), user=people["county"])
    )["指标"]
    formats = {
        row[2].value: row[4].number_format
        for row in sheet.iter_rows()
        if isinstance(row[0].value, int)
    }
    assert formats[str(BY_KEY["workers"].label)] == "#,##0"
    assert formats[str(BY_KEY["achievement_benefit"].label)] == "#,##0.00"
    assert formats[str(BY_KEY["high_skilled_share"].label)] == "0.0"
    setup = sheet.page_setup
    assert str(setup.paperSize) == sheet.PAPERSIZE_A4 and setup.orientation == "landscape"
    assert sheet.print_title_rows.startswith("$1:")
    assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"


def test_a_submitted_report_not_yet_reviewed_leaves_the_review_lines_blank(people):
    round_ = open_round(people)
    sub = submit(people, submission(round_, COUNTY))
    sheet = open_book(outputs.submission_workbook(submission=sub, user=people["county"]))["指标"]
    assert labelled(sheet, "填报人").value == "林晓东"
    for label in ("审核人", "审核日期", "审核意见"):
        line = labelled(sheet, label)
        assert line.value is None and line.border.bottom.style == "thin", label


def test_an_open_report_is_a_draft_with_live_figures_and_blank_signatures(people):
    county = Region.objects.get(code=COUNTY)
    factories.build(Worker, county)
    round_ = open_round(people)
    services.figure_note(
        by=people["clerk"], submission=submission(round_, COUNTY), key="workers", note="含新入职"
    )
    factories.build(Worker, county)
    book = open_book(
        outputs.submission_workbook(submission=submission(round_, COUNTY), user=people["county"])
    )
    sheet = book["指标"]
    assert "草稿" in sheet["A1"].value and "未提交" in sheet["A1"].value
    assert any("草稿" in str(cell) and "实时" in str(cell) for cell in cells(sheet))
    workers = figure_rows(sheet)[str(BY_KEY["workers"].label)]
    assert workers[4] == 2 and workers[5] == "含新入职"
    assert workers[6] == str(BY_KEY["workers"].definition)
    for label in ("填报人", "单位负责人", "报送日期", "审核人"):
        line = labelled(sheet, label)
        assert line.value is None and line.border.bottom.style == "thin", label
    no_english(text_of(book))


def test_a_returned_report_is_a_draft_that_says_why_it_came_back(people):
    round_ = open_round(people)
    sub = submit(people, submission(round_, COUNTY))
    services.submission_return(
        by=people["city"], submission=sub, version=sub.version, comment="在册职工偏少，请核实"
    )
    sheet = open_book(
        outputs.submission_workbook(submission=submission(round_, COUNTY), user=people["county"])
    )["指标"]
    assert "草稿" in sheet["A1"].value
    assert any("周建国" in str(c) and "在册职工偏少，请核实" in str(c) for c in cells(sheet))
    assert labelled(sheet, "填报人").value is None  # the earlier signature no longer stands


def test_a_reopened_report_names_who_reopened_it_and_why(people):
    round_ = open_round(people)
    sub = approve(people, submit(people, submission(round_, COUNTY)), comment="同意")
    services.submission_reopen(
        by=people["city2"], submission=sub, version=sub.version, reason="技能人才口径调整"
    )
    sheet = open_book(
        outputs.submission_workbook(submission=submission(round_, COUNTY), user=people["county"])
    )["指标"]
    assert "草稿" in sheet["A1"].value
    notice = next(str(c) for c in cells(sheet) if "技能人才口径调整" in str(c))
    assert "陈海燕" in notice and "周建国" not in notice
    assert labelled(sheet, "审核人").value is None  # the approval no longer stands


def report_of_city(people, keys=KEYS) -> Submission:
    """A province round: 瑞安市 approved by the city, 乐清市 submitted but not approved, the rest
    drafts; the city submits without them, its own workers kept at the city itself."""
    for code, count in ((COUNTY, 3), (OTHER_COUNTY, 2), (CITY, 1)):
        for _ in range(count):
            factories.build(Worker, Region.objects.get(code=code))
    round_ = open_round(people, keys=keys, by="province", code=PROVINCE)
    approve(people, submit(people, submission(round_, COUNTY)))
    submit(people, submission(round_, OTHER_COUNTY), who="other")
    return submit(people, submission(round_, CITY), who="city", missing_reason="乐清市尚在核实")


@pytest.fixture
def city_report(people) -> Submission:
    return report_of_city(people)


def child_lines(sheet) -> dict[str, tuple]:
    """The rows of the first block of a table of regions, by region name."""
    lines: dict[str, tuple] = {}
    for row in sheet.iter_rows(values_only=True):
        if row[1] and row[0] != "区划代码" and (row[0] or "合计" in row[1]):
            lines.setdefault(row[1], row)
    return lines


def test_a_parents_report_shows_each_childs_part_own_level_and_total(people, city_report):
    book = open_book(outputs.submission_workbook(submission=city_report, user=people["city"]))
    assert book.sheetnames == ["指标", "下级地区"]
    sheet = book["下级地区"]
    header = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "区划代码")
    assert header[:4] == ("区划代码", "地区", "状态", "计入合计")
    workers = header.index("在册职工\n（人）")
    lines = child_lines(sheet)
    assert lines["瑞安市"][3] == "计入" and lines["瑞安市"][workers] == 3
    assert lines["乐清市"][3] == "未计入" and lines["乐清市"][workers] is None
    assert lines["乐清市"][2] == "已报待审"
    assert lines["本级"][workers] == 1
    frozen = city_report.figures.get(key="workers").value
    assert lines["合计"][workers] == frozen == 4
    not_counted = [name for name, row in lines.items() if row[3] == "未计入"]
    assert (
        len(not_counted)
        == Submission.objects.filter(round=city_report.round, region__parent=CITY)
        .exclude(status=Status.APPROVED)
        .count()
    )
    first = book["指标"]
    assert any("乐清市尚在核实" in str(cell) for cell in cells(first))
    no_english(text_of(book))


def test_a_parents_workbook_asks_a_few_queries_whatever_its_children(
    people, city_report, django_assert_max_num_queries
):
    sub = submission(city_report.round, CITY)
    with django_assert_max_num_queries(6):
        outputs.submission_workbook(submission=sub, user=people["city"])


def test_a_completeness_workbook_asks_a_few_queries_whatever_the_children(
    people, city_report, django_assert_max_num_queries
):
    province = Region.objects.get(code=PROVINCE)
    with django_assert_max_num_queries(5):
        outputs.completeness_workbook(
            round_=city_report.round, parent=province, user=people["province"]
        )


def test_an_open_parents_report_shows_its_live_parts(people, city_report):
    sub = services.submission_return(
        by=people["province"], submission=city_report, version=city_report.version, comment="补充"
    )
    book = open_book(outputs.submission_workbook(submission=sub, user=people["city"]))
    sheet = book["下级地区"]
    header = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "区划代码")
    workers = header.index("在册职工\n（人）")
    lines = child_lines(sheet)
    assert lines["瑞安市"][workers] == 3 and lines["本级"][workers] == 1
    assert lines["合计"][workers] == 4


@pytest.mark.parametrize(("who", "sees"), [("county", True), ("clerk", False), ("viewer", False)])
def test_a_hardship_figure_only_to_those_who_may_open_hardship_files(people, who, sees):
    round_ = open_round(people, keys=["workers", HARDSHIP])
    book = open_book(
        outputs.submission_workbook(submission=submission(round_, COUNTY), user=people[who])
    )
    labels = set(figure_rows(book["指标"]))
    assert (str(BY_KEY[HARDSHIP].label) in labels) is sees
    assert str(BY_KEY["workers"].label) in labels


def test_completeness_lists_each_county_with_status_counts_and_days_overdue(people):
    for code in (COUNTY, OTHER_COUNTY):
        for _ in range(2):
            factories.build(Worker, Region.objects.get(code=code))
    round_ = open_round(people, keys=["workers", "high_skilled_share", HARDSHIP])
    approve(people, submit(people, submission(round_, COUNTY)), comment="同意")
    submit(people, submission(round_, OTHER_COUNTY), who="other")
    today = timezone.localdate()
    Round.objects.filter(pk=round_.pk).update(due_on=today - datetime.timedelta(days=3))
    round_.refresh_from_db()
    # 瑞安市 reported the day before the due date; 乐清市 today, three days late.
    on_time = timezone.now() - datetime.timedelta(days=4)
    Submission.objects.filter(round=round_, region=COUNTY).update(submitted_at=on_time)
    content = outputs.completeness_workbook(
        round_=round_, parent=Region.objects.get(code=CITY), user=people["city"]
    )
    book = open_book(content)
    assert book.sheetnames == ["报送情况", "数据"]
    sheet = book["报送情况"]
    header = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "区划代码")
    assert header == (
        "区划代码",
        "地区",
        "状态",
        "提交时间",
        "填报人",
        "单位负责人",
        "审核时间",
        "审核意见",
        "逾期天数",
    )
    rows = {
        row[0]: row
        for row in sheet.iter_rows(values_only=True)
        if row[0] and row[0][:4] == CITY[:4]
    }
    counties = Region.objects.filter(parent=CITY).count()
    assert len(rows) == counties
    assert rows[COUNTY][2] == "已审核" and rows[COUNTY][4:6] == ("林晓东", "李明")
    assert rows[COUNTY][7] == "同意" and rows[COUNTY][8] is None  # on time
    assert rows[OTHER_COUNTY][2] == "已报待审" and rows[OTHER_COUNTY][4] == "吴敏"
    assert rows[OTHER_COUNTY][8] == 3  # submitted, but late
    late = next(row for code, row in rows.items() if code not in (COUNTY, OTHER_COUNTY))
    assert late[2] == "逾期未报" and late[8] == 3 and late[3] is None
    counts_line = next(str(c) for c in cells(sheet) if "已报" in str(c) and "个" in str(c))
    assert f"下级地区共 {counties} 个" in counts_line and "已报 2 个" in counts_line
    assert f"逾期未报 {counties - 2} 个" in counts_line

    data = book["数据"]
    header = next(row for row in data.iter_rows(values_only=True) if row[0] == "区划代码")
    workers = header.index("在册职工\n（人）")
    share = header.index(
        next(h for h in header if h and str(BY_KEY["high_skilled_share"].label) in h)
    )
    titles = [
        cell for row in data.iter_rows(values_only=True) if row[0] == "区划代码" for cell in row
    ]
    assert str(BY_KEY[HARDSHIP].label) + "\n（人）" in titles  # a block of its own group
    lines = child_lines(data)
    assert lines["瑞安市"][workers] == 2 and lines["乐清市"][workers] == 2
    assert all(
        row[workers] is None
        for name, row in lines.items()
        if name not in ("瑞安市", "乐清市", "已报地区合计")
    )
    total = lines["已报地区合计"]
    assert total[workers] == 4
    assert isinstance(total[share], Decimal | float | int)
    no_english(text_of(book))


def test_completeness_data_keeps_hardship_from_a_viewer(people):
    round_ = open_round(people, keys=["workers", HARDSHIP])
    viewer = factories.named_staff("wz_viewer", Role.VIEWER, CITY, "何平")
    book = open_book(
        outputs.completeness_workbook(
            round_=round_, parent=Region.objects.get(code=CITY), user=viewer
        )
    )
    headers = " ".join(str(cell) for cell in cells(book["数据"]))
    assert str(BY_KEY[HARDSHIP].label) not in headers
    assert str(BY_KEY["workers"].label) in headers


# --- printed by LibreOffice ---------------------------------------------------------------------


def test_libreoffice_prints_the_report_in_chinese_with_no_column_cut(
    people,
    printer,  # noqa: F811 (the fixture imported above)
    tmp_path,
):
    # Every indicator of the catalogue: the widest report a round can ask.
    city_report = report_of_city(people, keys=[indicator.key for indicator in INDICATORS])
    approve(people, city_report, who="province", comment="同意上报")
    sub = submission(city_report.round, CITY)
    pages = printed_pages(
        tmp_path, outputs.submission_workbook(submission=sub, user=people["city"])
    )
    assert pages
    for number, page in enumerate(pages, start=1):
        assert "温州市" in page, f"page {number} lacks the title"
        assert f"第 {number} 页，共 {len(pages)} 页" in page
        no_english(page)
    listing = [page for page in pages if "序号" in page]
    assert listing and all("口径" in page for page in listing)  # the last column is on the page
    signed = "\n".join(pages)
    for text in ("周建国", "李明", "郑宏", "同意上报", "计入", "未计入", "本级", "合计"):
        assert text in signed, text


# --- the downloads ------------------------------------------------------------------------------


def test_a_report_downloads_to_those_who_see_it_and_to_no_one_else(people, login):
    round_ = open_round(people)
    sub = submit(people, submission(round_, COUNTY))
    url = reverse("reporting:submission_xlsx", args=[sub.pk])
    response = login(people["city"]).get(url)
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert "瑞安市" in unquote(response["Content-Disposition"])
    assert labelled(open_book(response.content)["指标"], "填报人").value == "林晓东"
    assert login(people["other"]).get(url).status_code == 404  # another county's report


def test_a_rounds_completeness_downloads_for_the_users_region(people, login):
    round_ = open_round(people)
    response = login(people["city"]).get(reverse("reporting:round_xlsx", args=[round_.pk]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    sheet = open_book(response.content)["报送情况"]
    codes = {row[0] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert set(Region.objects.filter(parent=CITY).values_list("code", flat=True)) <= codes


def test_libreoffice_prints_the_completeness_in_chinese_with_no_column_cut(
    people,
    printer,  # noqa: F811 (the fixture imported above)
    tmp_path,
):
    round_ = report_of_city(people, keys=[indicator.key for indicator in INDICATORS]).round
    content = outputs.completeness_workbook(
        round_=round_, parent=Region.objects.get(code=PROVINCE), user=people["province"]
    )
    pages = printed_pages(tmp_path, content)
    for number, page in enumerate(pages, start=1):
        assert "浙江省报送情况" in page, f"page {number} lacks the title"
        assert f"第 {number} 页，共 {len(pages)} 页" in page
        no_english(page)
    first = pages[0]
    assert "逾期天数" in first and "温州市" in first and "杭州市" in first  # the last column
    assert any("已报地区合计" in page for page in pages[1:])
    # The longest county name of the province printed whole, in both sheets.
    lishui = outputs.completeness_workbook(
        round_=round_, parent=Region.objects.get(code="331100"), user=people["province"]
    )
    names = [
        line.split()[1]
        for page in printed_pages(tmp_path, lishui)
        for line in page.splitlines()
        if line.startswith("331127 ")
    ]
    assert names and set(names) == {"景宁畲族自治县"}, names
