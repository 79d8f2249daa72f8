"""A county official reads the dashboard in the browser: 口径, records behind a number, drill
down, another year, the xlsx report."""

from __future__ import annotations

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
    expect(definition).to_contain_text("口径：辖区内在册职工人数")
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
