"""Editing records in the browser: a worker and its history, two editors at once, a hardship
case through its lifecycle, and a record of another county."""

from __future__ import annotations

import datetime

from playwright.sync_api import expect

from base.models import Region
from base.roles import Role
from tests import factories
from tests.browser.conftest import log_in, screenshot
from welfare.models import AssistanceGrant, CaseStatus, HardshipCase
from workforce.models import Worker


def open_worker(page, name: str) -> None:
    page.get_by_role("link", name="职工名册").first.click()
    page.locator("#result_list").get_by_role("link", name=name).click()
    expect(page.get_by_label("姓名")).to_have_value(name)


def test_a_clerk_edits_a_worker_sees_the_history_and_a_second_editor_is_told_of_the_conflict(
    open_browser, live
):
    tangxia = factories.town("330381101", "塘下镇")
    factories.build(Worker, tangxia, name="陈建国", occupation="车工")
    factories.staff("zhang", Role.CLERK, "330381")
    factories.staff("li", Role.CLERK, "330381")
    first, second = open_browser(), open_browser()
    log_in(first, live, "zhang")
    log_in(second, live, "li")
    open_worker(first, "陈建国")
    open_worker(second, "陈建国")  # both have the form open

    first.get_by_label("职业(工种)").fill("焊工")
    first.get_by_role("button", name="保存", exact=True).click()
    expect(first.locator(".messagelist .success")).to_contain_text("陈建国")
    first.locator("#result_list").get_by_role("link", name="陈建国").click()
    first.get_by_role("link", name="修改记录").click()
    history = first.locator("#change-history")
    expect(history).to_contain_text("zhang")
    expect(history).to_contain_text("车工")
    expect(history).to_contain_text("焊工")
    screenshot(first, "journey3-history-shows-the-change")

    second.get_by_label("职业(工种)").fill("电工")
    second.get_by_role("button", name="保存", exact=True).click()
    conflict = second.locator(".errornote, .errorlist.nonfield")
    expect(conflict.first).to_be_visible()
    expect(second.locator(".errorlist.nonfield")).to_contain_text("zhang")
    expect(second.locator(".errorlist.nonfield")).to_contain_text("“车工” → “焊工”")
    expect(second.get_by_label("职业(工种)")).to_have_value("电工")  # the editor's own value kept
    screenshot(second, "journey3-second-editor-told-of-the-conflict")
    assert Worker.objects.get(name="陈建国").occupation == "焊工"


def test_a_welfare_officer_records_a_grant_and_moves_the_case_on(page, live):
    tangxia = factories.town("330381101", "塘下镇")
    worker = factories.build(Worker, tangxia, name="林晓燕")
    case = factories.build(
        HardshipCase, tangxia, worker=worker, status=CaseStatus.FILED,
        filed_on=datetime.date(2025, 3, 1), causes=["illness"],
    )  # fmt: skip
    factories.staff("ra_welfare", Role.WELFARE, "330381")

    log_in(page, live, "ra_welfare")
    page.get_by_role("link", name="困难职工档案").first.click()
    page.locator("#result_list").get_by_role("link", name="林晓燕").click()
    status = page.locator(".field-status .readonly")
    expect(status).to_have_text("已建档")

    page.get_by_role("button", name="再添加一条帮扶记录").click()
    page.locator('select[name="grants-0-kind"]').select_option(label="医疗救助")
    page.locator('input[name="grants-0-amount"]').fill("2000")
    page.locator('input[name="grants-0-granted_on"]').fill("2025-04-10")
    page.locator('input[name="grants-0-fund_source"]').fill("市总工会帮扶资金")
    page.get_by_role("button", name="保存并继续修改").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(status).to_have_text("已帮扶")  # granting aid moves the case by itself
    assert AssistanceGrant.objects.get(case=case).amount == 2000

    page.get_by_label("下一步").select_option(label="已解困")
    page.get_by_role("button", name="保存并继续修改").click()
    expect(page.locator(".errornote")).to_be_visible()  # closing needs its reason
    expect(status).to_have_text("已帮扶")
    screenshot(page, "journey5-closing-needs-a-reason")
    page.get_by_label("下一步").select_option(label="已解困")
    page.get_by_label("办理日期").fill("2025-12-20")
    page.get_by_label("办理说明").fill("子女就业，家庭收入稳定")
    page.get_by_role("button", name="保存并继续修改").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(status).to_have_text("已解困")
    timeline = page.locator(".case-timeline")
    expect(timeline).to_contain_text("已帮扶")
    expect(timeline).to_contain_text("子女就业，家庭收入稳定")
    screenshot(page, "journey5-case-closed-after-aid")
    case.refresh_from_db()
    assert (case.status, case.closed_on) == (CaseStatus.CLOSED, datetime.date(2025, 12, 20))


def test_a_clerk_opening_another_countys_record_is_refused(page, live):
    own = factories.build(Worker, factories.town("330381101", "塘下镇"), name="周志强")
    other = factories.build(Worker, Region.objects.get(code="330382"), name="乐清职工")
    factories.staff("ra_clerk", Role.CLERK, "330381")

    log_in(page, live, "ra_clerk")
    page.goto(f"{live.url}/admin/workforce/worker/{own.pk}/change/")
    expect(page.get_by_label("姓名")).to_have_value("周志强")

    for url in (
        f"/admin/workforce/worker/{other.pk}/change/",
        f"/admin/workforce/worker/{other.pk}/history/",
        f"/admin/workforce/worker/{other.pk}/delete/",
    ):
        response = page.goto(live.url + url)
        assert response.status == 404, url
        expect(page.locator("body")).not_to_contain_text("乐清职工")
        expect(page.locator("h1")).to_have_text("找不到该记录，或它不在您的管辖范围内")
    screenshot(page, "journey6-other-county-refused")
