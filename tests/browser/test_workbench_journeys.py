"""Each role starts at its 工作台 and does its most common job from there (issue #17): a clerk
finds a person by the last four of the ID number and opens them; a welfare officer opens a case
due for review; an official opens the dashboard of a sub-region behind its target. Screenshots
at 1440 × 900 go to artifacts/ to be looked at for wrapped names, codes and English."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from base.models import Region
from base.roles import Role
from programs.models import Target
from tests import factories
from tests.browser.conftest import log_in, screenshot, serious_accessibility_violations
from welfare.models import CaseStatus, HardshipCase
from workforce.models import Honour, Worker

WIDE = {"width": 1440, "height": 900}


def named_staff(username: str, role: Role, code: str, last: str, first: str) -> None:
    user = factories.staff(username, role, code)
    user.last_name, user.first_name = last, first
    user.save()


def test_a_clerk_finds_a_person_by_the_last_four_of_the_id_number_and_opens_them(page, live):
    tangxia = factories.town("330381101", "塘下镇")
    worker = factories.build(Worker, tangxia, name="欧阳建国", phone="13800135678")
    factories.build(Honour, tangxia, worker=worker)
    # Another county's namesake is never among the results.
    factories.build(Worker, Region.objects.get(code="330382"), name="欧阳建国")
    named_staff("ra_clerk", Role.CLERK, "330381", "林", "晓梅")

    page.set_viewport_size(WIDE)
    log_in(page, live, "ra_clerk")
    expect(page.locator("#user-tools")).to_contain_text("林晓梅（瑞安市）")
    expect(page.locator("h1")).to_have_text("瑞安市工作台")
    for job in ("导入表格", "下载模板", "新增职工"):
        expect(page.get_by_role("link", name=job, exact=True)).to_be_visible()
    screenshot(page, "workbench-clerk")
    assert not serious_accessibility_violations(page)

    box = page.locator("#workbench-find")
    box.fill(worker.id_number[-4:])
    box.press("Enter")
    results = page.locator(".find-person-result")
    expect(results).to_have_count(1)
    expect(results).to_contain_text("欧阳建国")
    expect(results).to_contain_text(worker.id_number[:6] + "********" + worker.id_number[-4:])
    expect(results).to_contain_text("劳模工匠名册")
    expect(page.locator("#content")).not_to_contain_text(worker.id_number)
    screenshot(page, "workbench-clerk-find")
    assert not serious_accessibility_violations(page)

    results.get_by_role("link", name="欧阳建国", exact=True).click()
    expect(page.locator("#id_name")).to_have_value("欧阳建国")


def test_a_welfare_officer_opens_a_case_due_for_review_from_the_workbench(page, live):
    tangxia = factories.town("330381101", "塘下镇")
    worker = factories.build(Worker, tangxia, name="黄小燕")
    case = factories.build(HardshipCase, tangxia, worker=worker, status=CaseStatus.FILED,
                           filed_on=datetime.date(2020, 1, 1))  # fmt: skip
    named_staff("ra_welfare", Role.WELFARE, "330381", "黄", "丽华")

    page.set_viewport_size(WIDE)
    log_in(page, live, "ra_welfare")
    reviews = page.locator(".workbench-reviews")
    expect(reviews).to_contain_text("黄小燕")
    screenshot(page, "workbench-welfare")
    assert not serious_accessibility_violations(page)
    reviews.get_by_role("link", name="黄小燕").click()
    expect(page).to_have_url(f"{live.url}/admin/welfare/hardshipcase/{case.pk}/change/")


def test_an_official_opens_the_dashboard_of_a_sub_region_behind_its_target(page, live):
    year = timezone.localdate().year
    anyang = factories.town("330381001", "安阳街道")
    tangxia = factories.town("330381101", "塘下镇")
    Target.objects.create(region=anyang, year=year, indicator="workers", value=10)
    Target.objects.create(region=tangxia, year=year, indicator="workers", value=1)
    for town in (anyang, tangxia):
        factories.build(Worker, town)
    named_staff("ra_viewer", Role.VIEWER, "330381", "郑", "国强")

    page.set_viewport_size(WIDE)
    log_in(page, live, "ra_viewer")
    behind = page.locator(".workbench-behind")
    expect(behind).to_contain_text("安阳街道")
    expect(behind).not_to_contain_text("塘下镇")
    screenshot(page, "workbench-official")
    assert not serious_accessibility_violations(page)
    behind.get_by_role("link", name="安阳街道").click()
    expect(page.locator("h1")).to_contain_text("安阳街道")
