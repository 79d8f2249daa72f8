"""An official finds a region on the map and opens it, then prints the dashboard on A4."""

from __future__ import annotations

import math
import os
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from base.models import Region
from base.roles import Role
from dashboards.catalogue import INDICATORS
from tests import clock, factories
from tests.browser.conftest import ARTIFACTS, log_in, screenshot
from workforce.models import Worker

PDFTOTEXT = shutil.which("pdftotext")
PDFTOPPM = shutil.which("pdftoppm")


@pytest.fixture
def poppler() -> None:
    """poppler's pdftotext and pdftoppm read the printed pages; required in CI."""
    if PDFTOTEXT and PDFTOPPM:
        return
    reason = "pdftotext/pdftoppm not found: install poppler-utils"
    if os.environ.get("REQUIRE_BROWSER"):
        pytest.fail(f"{reason} (required: REQUIRE_BROWSER is set)")
    pytest.skip(reason)


def test_a_city_official_colours_the_map_and_opens_a_county_from_it(page, live, monkeypatch):
    this_year = clock.freeze(monkeypatch, clock.A_WORKING_DAY).year
    for _ in range(3):
        factories.build(Worker, Region.objects.get(code="330381"))
    factories.build(Worker, Region.objects.get(code="330382"))
    factories.staff("wz_viewer", Role.VIEWER, "330300")

    log_in(page, live, "wz_viewer")
    page.goto(f"{live.url}/dashboards/330300/?year={this_year}")
    chart = page.locator("#map")
    expect(chart).to_have_attribute("data-ready", "true")
    assert int(chart.get_attribute("data-features") or 0) == 11  # 12 counties, 龙港市 a point
    assert chart.locator("svg path").count() > 11
    expect(chart.locator("svg text", has_text="瑞安市")).to_be_visible()
    page.get_by_label("着色指标").select_option("skilled_workers")
    expect(chart.locator("svg text", has_text="乐清市")).to_be_visible()
    screenshot(page, "map-city-counties")

    chart.scroll_into_view_if_needed()
    box = chart.locator("svg text", has_text="瑞安市").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page).to_have_url(f"{live.url}/dashboards/330381/?year={this_year}")
    expect(page.locator("h1")).to_contain_text("瑞安市")
    expect(page.locator("#map")).to_have_count(0)  # a county's towns have no boundaries


def printed(page, name: str) -> list[str]:
    """The page printed to A4 by the browser: the text of each printed page; PNGs of the pages
    in artifacts/ for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / f"{name}.pdf"
    for stale in ARTIFACTS.glob(f"{name}-*.png"):
        stale.unlink()
    page.pdf(path=str(pdf), format="A4", print_background=True)
    subprocess.run(
        [PDFTOPPM or "pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / name)],
        check=True, timeout=120,
    )  # fmt: skip
    text = subprocess.run(
        [PDFTOTEXT or "pdftotext", "-layout", str(pdf), "-"],
        check=True, capture_output=True, text=True, timeout=60,
    ).stdout  # fmt: skip
    return [sheet for sheet in text.split("\f") if sheet.strip()]


# The cards and the sub-regions' table take a page per twenty indicators (111 print on six); a
# county's charts one page after, the province's map, charts and eleven cities' rows four more.
@pytest.mark.parametrize(("code", "username", "extra_pages"), [("330381", "ra_viewer", 1), ("330000", "zj_viewer", 5)])  # fmt: skip
def test_the_dashboard_prints_on_a4_without_the_admin_and_with_narrow_tables(
    code, username, extra_pages, poppler, page, live, monkeypatch
):
    most_pages = math.ceil(len(INDICATORS) / 20) + extra_pages
    this_year = clock.freeze(monkeypatch, clock.A_WORKING_DAY).year
    for town_code, name in (("330381101", "塘下镇"), ("330381001", "安阳街道")):
        for _ in range(2):
            factories.build(Worker, factories.town(town_code, name))
    factories.staff(username, Role.VIEWER, code)

    log_in(page, live, username)
    page.goto(f"{live.url}/dashboards/{code}/?year={this_year}")
    if code == "330000":
        expect(page.locator("#map")).to_have_attribute("data-ready", "true")
    pages = printed(page, f"print-dashboard-{code}")
    assert 2 <= len(pages) <= most_pages, len(pages)
    whole = "\n".join(pages)
    # No admin chrome on paper: the user tools, the sidebar's model list, the toolbar.
    for chrome in ("注销", "修改密码", "导出上报表", "开始输入以筛选"):
        assert chrome not in whole, chrome
    assert "在册职工" in pages[0]
    # The sub-region tables: narrow enough that the page is not cut (every row holds its region
    # and its last column), and each page they run onto starts with their header.
    table_pages = [sheet for sheet in pages if "下级地区 ·" in sheet]
    assert table_pages
    for sheet in table_pages:
        assert "完成率" in sheet and "排名" in sheet
    first_child = "塘下镇" if code == "330381" else "杭州市"
    assert first_child in "\n".join(table_pages)
    # pdftoppm numbers the pages with as many digits as the last one needs (-01 from ten pages).
    assert list(ARTIFACTS.glob(f"print-dashboard-{code}-*.png"))
