"""A reporting round in the browser, from the county to the province: a county submits → the
city returns it with a comment → the county adds a note and resubmits → the city approves → the
city submits → the province sees the round complete for that city and overdue for the others;
a record added afterwards changes the live figure and not the submitted one.

Every step is a form filled and a button clicked by the person whose job it is, each in their
own browser. Assertions lean on structure (ids, classes, data attributes, stored values): the
wording is being translated. Screenshots of the county's submitted report, the city's review
page and the province's round page go to artifacts/ to be looked at."""

from __future__ import annotations

import datetime
import re

from playwright.sync_api import expect

from base.models import Region
from base.roles import Role
from reporting.models import Figure, Round, Status, Submission
from tests import clock, factories, wording
from tests.browser.conftest import log_in, screenshot, serious_accessibility_violations
from workforce.models import Worker

PROVINCE, CITY, COUNTY = "330000", "330300", "330381"  # 浙江省, 温州市, 瑞安市
WIDE = {"width": 1440, "height": 900}
COMMENT = "职工人数比上年少了三成，请核实后在说明中写明原因。"
NOTE = "部分企业职工年中转入乐清市，已核实。"
REASON = "其余县（市、区）尚未报送，先行上报瑞安市数据。"


def status_of(code: str) -> str:
    return Submission.objects.get(region=code).status


def expect_status(page, status: str) -> None:
    expect(page.locator("#submission-status")).to_have_attribute("data-status", status)


def number(text: str) -> int:
    found = re.search(r"\d[\d,]*", text)
    assert found, text
    return int(found.group().replace(",", ""))


def test_a_round_goes_from_the_county_through_the_city_to_the_province(
    open_browser, live, monkeypatch
):
    clock.freeze(monkeypatch, clock.A_WORKING_DAY)  # 2025-06-30, the round's due date
    today = clock.A_WORKING_DAY.date()
    ruian = Region.objects.get(code=COUNTY)
    for _ in range(3):
        factories.build(Worker, ruian)
    factories.named_staff("zj_admin", Role.ADMIN, PROVINCE, "郑宏")
    factories.named_staff("wz_admin", Role.ADMIN, CITY, "周建国")
    factories.named_staff("ra_admin", Role.ADMIN, COUNTY, "林晓东")
    factories.named_staff("ra_clerk", Role.CLERK, COUNTY, "王丽")
    english: dict[str, list[str]] = {}

    def look(page, name: str) -> None:
        """A screenshot, the page's own language, and the English left on it."""
        assert page.locator("html").get_attribute("lang") == "zh-hans", page.url
        screenshot(page, name)
        assert not serious_accessibility_violations(page), name
        found = wording.english_in(page.content(), also_allowed=wording.usernames() | {"JSON"})
        if found:
            english[name] = found

    # The province opens the round, due today, for every city and county of the province.
    province = open_browser()
    province.set_viewport_size(WIDE)
    log_in(province, live, "zj_admin")
    province.goto(f"{live.url}/reporting/")
    province.locator('a[href="/reporting/rounds/new/"]').click()
    province.locator("#id_name").fill("2025年度产改统计")
    province.locator("#id_year").fill(str(today.year))
    province.locator("#id_kind").select_option("annual")
    province.locator("#id_part").select_option("1")
    province.locator("#id_due_on").fill(today.isoformat())
    province.locator('input[name="indicators"][value="workers"]').check()
    province.locator('input[name="indicators"][value="union_members"]').check()
    province.locator('input[type="submit"]').click()
    expect(province.locator("table#completeness")).to_be_visible()
    round_ = Round.objects.get()
    assert round_.region_id == PROVINCE and round_.due_on == today
    assert round_.indicators == ["workers", "union_members"]
    cities = Region.objects.filter(parent=PROVINCE).count()
    expect(province.locator("table#completeness tbody tr.status-pending")).to_have_count(cities)

    # The county submits, signed by its admin, for its head of unit.
    county = open_browser()
    county.set_viewport_size(WIDE)
    log_in(county, live, "ra_admin")
    county.goto(f"{live.url}/reporting/")
    look(county, "reporting-county-rounds")
    county.locator("table#rounds").get_by_role("link", name="2025年度产改统计").click()
    county.locator('a[href^="/reporting/submissions/"]').first.click()
    expect(county.locator("h1")).to_contain_text("瑞安市")
    expect_status(county, "draft")
    expect(county.locator('table.figures tr[data-key="workers"] td.live')).to_contain_text("3")
    county.locator("#id_head").fill("李明")
    county.locator("#submit input[type=submit]").click()
    expect_status(county, "submitted")
    assert status_of(COUNTY) == Status.SUBMITTED
    expect(county.locator("#submit")).to_have_count(0)
    expect(county.locator("p.signed")).to_contain_text("林晓东")
    expect(county.locator("p.signed")).to_contain_text("李明")
    expect(county.locator("table.figures td.submitted").first).to_be_visible()
    county_report = county.url
    look(county, "reporting-county-submitted")

    # The city sees it reported on its round page and returns it with a comment.
    city = open_browser()
    city.set_viewport_size(WIDE)
    log_in(city, live, "wz_admin")
    city.goto(f"{live.url}/reporting/")
    city.locator("table#rounds").get_by_role("link", name="2025年度产改统计").click()
    row = city.locator(f'table#completeness tr[data-region="{COUNTY}"]')
    expect(row).to_have_class(re.compile(r"\bstatus-submitted\b"))
    row.get_by_role("link", name="瑞安市").click()
    expect(city.locator("#review")).to_be_visible()
    expect(city.locator("#review button[value=approve]")).to_be_visible()
    look(city, "reporting-city-review")
    city.locator("#id_comment").fill(COMMENT)
    city.locator("#review button[value=return]").click()
    expect_status(city, "returned")
    assert status_of(COUNTY) == Status.RETURNED
    expect(city.locator("#review")).to_have_count(0)

    # The county reads the comment; its clerk explains the figure; the admin resubmits.
    county.goto(county_report)
    expect_status(county, "returned")
    expect(county.locator(".review-comment")).to_contain_text(COMMENT)
    clerk = open_browser()
    clerk.set_viewport_size(WIDE)
    log_in(clerk, live, "ra_clerk")
    clerk.goto(county_report)
    expect(clerk.locator("#submit")).to_have_count(0)  # a clerk explains, the admin submits
    clerk.locator("#note-workers").fill(NOTE)
    clerk.locator("#figures-form input[type=submit]").click()
    expect(clerk.locator("#note-workers")).to_have_value(NOTE)
    assert Figure.objects.get(submission__region=COUNTY, key="workers").note == NOTE
    county.reload()
    expect(county.locator("#note-workers")).to_have_value(NOTE)
    expect(county.locator("#id_head")).to_have_value("李明")  # as signed last time
    county.locator("#submit input[type=submit]").click()
    expect_status(county, "submitted")
    assert status_of(COUNTY) == Status.SUBMITTED
    expect(county.locator(".review-comment")).to_have_count(0)
    expect(county.locator('table.figures tr[data-key="workers"]')).to_contain_text(NOTE)

    # The city approves it, then submits its own report, saying why the other counties are
    # not in it.
    city.reload()
    city.locator("#review button[value=approve]").click()
    expect_status(city, "approved")
    assert status_of(COUNTY) == Status.APPROVED
    city.locator(".breadcrumbs a").nth(2).click()  # back to the round
    row = city.locator(f'table#completeness tr[data-region="{COUNTY}"]')
    expect(row).to_have_class(re.compile(r"\bstatus-approved\b"))
    others = Region.objects.filter(parent=CITY).exclude(code=COUNTY).count()
    expect(city.locator("table#completeness tbody tr.status-pending")).to_have_count(others)
    look(city, "reporting-city-round")
    own = Submission.objects.get(region=CITY)
    city.locator(f'a[href="/reporting/submissions/{own.pk}/"]').first.click()
    expect(city.locator("h1")).to_contain_text("温州市")
    expect(city.locator("#children")).to_contain_text("瑞安市")
    expect(city.locator("#id_missing_reason")).to_be_visible()
    # The counties not approved are named, and the reason is asked for before sending.
    expect(city.locator("#submit .errornote")).to_contain_text("乐清市")
    expect(city.locator("#id_missing_reason")).to_have_attribute("required", "")
    city.locator("#id_head").fill("陈立新")
    city.locator("#submit input[type=submit]").click()
    assert city.locator("#id_missing_reason").evaluate("(area) => !area.validity.valid")
    assert status_of(CITY) == Status.DRAFT
    city.locator("#id_missing_reason").fill(REASON)
    city.locator("#submit input[type=submit]").click()
    expect_status(city, "submitted")
    assert status_of(CITY) == Status.SUBMITTED
    expect(city.locator(".missing-reason")).to_contain_text(REASON)
    city_workers = city.locator('table.figures tr[data-key="workers"] td.submitted')
    assert number(city_workers.inner_text()) == 3  # only 瑞安市, the one approved
    expect(city.locator("#children tr.not-counted")).to_have_count(others)
    look(city, "reporting-city-own-submitted")

    # A worker registered afterwards changes the live figure, not the submitted one.
    factories.build(Worker, ruian)
    county.reload()
    expect_status(county, "approved")
    workers = county.locator('table.figures tr[data-key="workers"]')
    assert number(workers.locator("td.submitted").inner_text()) == 3
    assert number(workers.locator("td.live").inner_text()) == 4
    expect(workers.locator("td.difference")).not_to_be_empty()
    assert Figure.objects.get(submission__region=COUNTY, key="workers").value == 3
    look(county, "reporting-county-live-vs-submitted")
    data = county.request.get(
        live.url + county.locator('a[href$="/data.json"]').get_attribute("href")
    )
    document = data.json()
    assert document["frozen"] and document["status"] == Status.APPROVED
    assert document["filled_in_by"] == "林晓东" and document["head_of_unit"] == "李明"
    figure = next(f for f in document["figures"] if f["key"] == "workers")
    assert figure["value"] == 3 and figure["note"] == NOTE and figure["records_count"] == 3

    # Three days on, the province sees 温州市 reported and the other cities overdue.
    clock.freeze(monkeypatch, clock.A_WORKING_DAY + datetime.timedelta(days=3))
    province = open_browser()  # a new day, a new session
    province.set_viewport_size(WIDE)
    log_in(province, live, "zj_admin")
    province.goto(f"{live.url}/reporting/")
    province.locator("table#rounds").get_by_role("link", name="2025年度产改统计").click()
    table = province.locator("table#completeness")
    expect(table.locator(f'tr[data-region="{CITY}"]')).to_have_class(
        re.compile(r"\bstatus-submitted\b")
    )
    expect(table.locator("tbody tr.status-overdue")).to_have_count(cities - 1)
    expect(table.locator("tbody tr")).to_have_count(cities)
    expect(table.locator('tr[data-region="330100"] td').last).to_have_text("3")  # days overdue
    # Reported, of, approved, returned, overdue, not yet due: in whatever order the words put them.
    counts = province.locator("#round-counts").inner_text()
    assert sorted(int(n) for n in re.findall(r"\d+", counts)) == sorted(
        [1, cities, 0, 0, cities - 1, 0]
    ), counts
    look(province, "reporting-province-round")

    assert not english, "English left on the pages: " + " | ".join(
        f"{name}: {'; '.join(found)}" for name, found in english.items()
    )
