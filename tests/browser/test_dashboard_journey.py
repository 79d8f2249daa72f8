"""A county official reads the dashboard in the browser: 口径, records behind a number, drill
down, another year, the xlsx report."""

from __future__ import annotations

import datetime
import io

import openpyxl
from playwright.sync_api import expect

from base.models import Region
from base.roles import Role
from programs.models import InnovationStudio
from tests import clock, factories
from tests.browser.conftest import log_in, screenshot
from workforce.models import Worker

NAMES = ["陈建国", "林晓燕", "周志强", "黄丽萍", "吴海波"]


def card(page, key: str):
    return page.locator(f'.kpi-card[data-key="{key}"]')


def test_an_official_reads_explores_and_exports_the_county_dashboard(page, live, monkeypatch):
    # The page opens on the server's current year; the test names that year, so the clock (the
    # live server runs in this process) stands still.
    this_year = clock.freeze(monkeypatch, clock.A_WORKING_DAY).year
    tangxia = factories.town("330381101", "塘下镇")
    anyang = factories.town("330381001", "安阳街道")
    for name in NAMES[:3]:
        factories.build(Worker, tangxia, name=name)
    for name in NAMES[3:]:
        factories.build(Worker, anyang, name=name)
    factories.build(Worker, Region.objects.get(code="330382"), name="乐清职工")  # another county
    factories.build(
        InnovationStudio, tangxia, name="塘下镇汽摩配创新工作室", named_year=this_year,
        revoked_year=None,
    )  # fmt: skip
    factories.staff("ra_viewer", Role.VIEWER, "330381")

    log_in(page, live, "ra_viewer")
    page.get_by_role("link", name="数据看板").click()
    expect(page.locator("h1")).to_contain_text("瑞安市")
    workers = card(page, "workers")
    expect(workers.locator(".kpi-value")).to_have_text("5人")

    definition = workers.locator(".kpi-definition")
    expect(definition).to_be_hidden()
    workers.locator(".kpi-value a").hover()
    expect(definition).to_be_visible()
    expect(definition).to_contain_text("辖区内12月31日在册的职工人数")
    expect(definition).to_contain_text("时点数")
    screenshot(page, "journey4-county-dashboard-with-definition")

    workers.locator(".kpi-value a").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(5)
    for name in NAMES:
        expect(page.locator("#result_list")).to_contain_text(name)
    expect(page.locator("#result_list")).not_to_contain_text("乐清职工")
    page.go_back()

    page.locator("#children-table").get_by_role("link", name="塘下镇").click()
    expect(page.locator("h1")).to_contain_text("塘下镇")
    expect(card(page, "workers").locator(".kpi-value")).to_have_text("3人")
    expect(card(page, "studios").locator(".kpi-value")).to_contain_text("1")

    page.get_by_label("年份").select_option(str(this_year - 1))
    page.get_by_role("button", name="查看").click()
    expect(page).to_have_url(f"{live.url}/dashboards/330381101/?year={this_year - 1}")
    expect(card(page, "studios").locator(".kpi-value")).to_contain_text("0")
    expect(card(page, "workers").locator(".kpi-value")).to_have_text("3人")
    screenshot(page, "journey4-town-dashboard-previous-year")

    with page.expect_download() as download:
        page.get_by_role("link", name="导出上报表(xlsx)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    report = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    assert "塘下镇" in report["A1"].value and str(this_year - 1) in report["A1"].value
    rows = {row[2]: row for row in report.iter_rows(min_row=6, values_only=True)}
    assert rows["在册职工"][4] == 3


def column_values(page, header: str) -> list[str]:
    """The cells of one column of the sub-region table, body rows then the 合计 row."""
    headers = page.locator("#children-table thead th").all_inner_texts()
    index = next(i for i, text in enumerate(headers) if text.startswith(header)) + 1
    cells = page.locator(f"#children-table tbody tr > :nth-child({index})").all_inner_texts()
    total = page.locator(f"#children-table tfoot tr > :nth-child({index})").inner_text()
    return [*cells, total]


def test_a_county_page_adds_up_its_towns_and_own_level_and_the_year_changes_the_register(
    page, live, monkeypatch
):
    this_year = clock.freeze(monkeypatch, clock.A_WORKING_DAY).year
    ruian = Region.objects.get(code="330381")
    tangxia = factories.town("330381101", "塘下镇")
    anyang = factories.town("330381001", "安阳街道")
    last_year = datetime.date(this_year - 1, 6, 1)
    this_spring = datetime.date(this_year, 3, 1)
    for name in NAMES[:3]:
        factories.build(Worker, tangxia, name=name, registered_on=last_year)
    factories.build(Worker, anyang, name=NAMES[3], registered_on=this_spring)
    factories.build(Worker, anyang, name="安阳新职工", registered_on=this_spring)
    factories.build(Worker, ruian, name=NAMES[4], registered_on=last_year)  # kept at the county
    factories.build(Worker, ruian, name="离册职工", registered_on=last_year, left_on=this_spring)
    factories.staff("ra_viewer", Role.VIEWER, "330381")

    log_in(page, live, "ra_viewer")
    page.goto(f"{live.url}/dashboards/330381/?year={this_year}")
    expect(card(page, "workers").locator(".kpi-value")).to_have_text("6人")
    expect(card(page, "workers").locator(".kpi-change")).to_contain_text("同比 +1人（20.0%）")
    rows = page.locator("#children-table tbody tr th").all_inner_texts()
    assert rows == ["安阳街道", "塘下镇", "本级"]
    workers = column_values(page, "在册职工")
    assert workers == ["2人", "3人", "1人", "6人"]  # towns + 本级 = 合计 = the county
    screenshot(page, "figures-county-towns-own-level-total")

    page.get_by_label("年份").select_option(str(this_year - 1))
    page.get_by_role("button", name="查看").click()
    expect(page).to_have_url(f"{live.url}/dashboards/330381/?year={this_year - 1}")
    # Last year's register: 安阳's worker was not registered yet, the one who left still was.
    expect(card(page, "workers").locator(".kpi-value")).to_have_text("5人")
    assert column_values(page, "在册职工") == ["0人", "3人", "2人", "5人"]
    page.get_by_label("年份").select_option(str(this_year - 2))
    page.get_by_role("button", name="查看").click()
    expect(card(page, "workers").locator(".kpi-value")).to_have_text("0人")
    screenshot(page, "figures-county-two-years-before")
