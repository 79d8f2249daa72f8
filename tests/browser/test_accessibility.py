"""axe-core (vendored from npm) on the pages people work in: no serious or critical violations,
and every page declares itself Chinese."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from base.models import Region
from base.roles import Role
from reporting import services as reporting
from reporting.models import Submission
from tests import factories
from tests.browser.conftest import (
    RequestLog,
    log_in,
    screenshot,
    serious_accessibility_violations,
)
from tests.sheetfiles import xlsx
from welfare.models import CaseStatus, HardshipCase
from workforce.models import Worker


def check_pages(page, live, paths: list[str]) -> None:
    found = {}
    for path in paths:
        page.goto(live.url + path)
        assert page.locator("html").get_attribute("lang") == "zh-hans", path
        violations = serious_accessibility_violations(page)
        if violations:
            found[path] = violations
    assert not found, found


def test_the_login_page_is_accessible(page, live):
    check_pages(page, live, ["/admin/login/"])


def test_a_clerks_admin_and_import_pages_are_accessible(page, live, tmp_path):
    tangxia = factories.town("330381101", "塘下镇")
    worker = factories.build(Worker, tangxia, name="陈建国", occupation="车工")
    factories.build(Worker, tangxia, name="林晓燕")
    factories.staff("ra_clerk", Role.CLERK, "330381")
    log_in(page, live, "ra_clerk")
    check_pages(
        page,
        live,
        [
            "/admin/",
            "/admin/workforce/worker/",
            f"/admin/workforce/worker/{worker.pk}/change/",
            f"/admin/workforce/worker/{worker.pk}/history/",
            "/admin/workforce/worker/import/",
        ],
    )

    sheet = tmp_path / "职工名册.xlsx"
    sheet.write_bytes(
        xlsx(
            [
                ["姓名", "身份证号", "所属地区", "就业形态"],
                ["周志强", factories.valid_id_number("330381", 7), "瑞安市塘下镇", "快递员"],
                ["黄丽萍", "330381123", "瑞安市塘下镇", "外卖骑手"],
            ]
        )
    )
    page.get_by_label("表格文件").set_input_files(sheet)
    page.get_by_role("button", name="校验表格").click()
    expect(page.locator("#sheet-errors")).to_be_visible()
    assert not serious_accessibility_violations(page)  # the check report with its error table
    page.get_by_role("link", name="导入记录").first.click()
    assert not serious_accessibility_violations(page)  # the import log


def test_an_officials_dashboard_is_accessible(page, live):
    for name in ("陈建国", "林晓燕"):
        factories.build(Worker, factories.town("330381101", "塘下镇"), name=name)
    factories.staff("ra_viewer", Role.VIEWER, "330381")
    log_in(page, live, "ra_viewer")
    check_pages(page, live, ["/dashboards/330381/", "/dashboards/330381101/"])


def test_a_city_dashboard_with_its_map_is_accessible(page, live):
    factories.build(Worker, Region.objects.get(code="330381"))
    factories.staff("wz_viewer", Role.VIEWER, "330300")
    log_in(page, live, "wz_viewer")
    check_pages(page, live, ["/dashboards/330300/"])  # it waits for the map's boundaries too


def test_a_welfare_officers_case_pages_are_accessible(page, live):
    tangxia = factories.town("330381101", "塘下镇")
    case = factories.build(
        HardshipCase, tangxia, worker=factories.build(Worker, tangxia, name="林晓燕"),
        status=CaseStatus.FILED, filed_on=datetime.date(2025, 3, 1),
    )  # fmt: skip
    factories.staff("ra_welfare", Role.WELFARE, "330381")
    log_in(page, live, "ra_welfare")
    check_pages(
        page,
        live,
        ["/admin/welfare/hardshipcase/", f"/admin/welfare/hardshipcase/{case.pk}/change/"],
    )
    screenshot(page, "accessibility-hardship-case")


def test_a_city_admins_reporting_pages_are_accessible(page, live):
    """In a round the province opened: the rounds, opening one, a round's completeness, a county's report under review (the
    review form) and the city's own open report (notes, the submit form and its reason)."""
    factories.build(Worker, Region.objects.get(code="330381"))
    province = factories.staff("zj_admin", Role.ADMIN, "330000")
    city = factories.staff("wz_admin", Role.ADMIN, "330300")
    county = factories.staff("ra_admin", Role.ADMIN, "330381")
    for user, (last, first) in ((city, ("周", "建国")), (county, ("林", "晓东"))):
        user.last_name, user.first_name = last, first
        user.save()
    round_ = reporting.round_open(
        by=province, region=Region.objects.get(code="330000"), name="2025年度产改统计",
        year=2025, kind="annual", part=1, indicators=["workers", "union_members"],
        due_on=timezone.localdate(),
    )  # fmt: skip
    reported = Submission.objects.get(round=round_, region="330381")
    reporting.submission_submit(by=county, submission=reported, version=0, head="李明")
    own = Submission.objects.get(round=round_, region="330300")
    log_in(page, live, "wz_admin")
    check_pages(
        page,
        live,
        [
            "/reporting/",
            "/reporting/rounds/new/",
            f"/reporting/rounds/{round_.pk}/",
            f"/reporting/submissions/{reported.pk}/",
        ],
    )
    expect(page.locator("#review")).to_be_visible()
    check_pages(page, live, [f"/reporting/submissions/{own.pk}/"])
    expect(page.locator("#id_missing_reason")).to_be_visible()
    expect(page.locator("#note-workers")).to_be_visible()
    page.locator("#id_head").fill(" ")
    page.locator("#id_missing_reason").fill("其余县（市、区）尚未报送。")
    page.locator("#submit input[type=submit]").click()  # refused: no head of unit named
    expect(page.locator(".messagelist .error")).to_be_visible()
    assert not serious_accessibility_violations(page)


def test_the_request_guard_catches_a_page_that_asks_another_host(browser, live):
    """The guard every browser test runs under: it must notice a foreign request."""
    context = browser.new_context()
    log = RequestLog(live.url)
    context.on("request", log.record)
    # Nothing may really leave the machine, even here.
    context.route("http://cdn.example.com/**", lambda route: route.abort())
    page = context.new_page()
    page.goto(f"{live.url}/admin/login/")
    page.evaluate(
        "() => new Promise((done) => { const img = new Image(); img.onerror = done;"
        " img.src = 'http://cdn.example.com/logo.png'; })"
    )
    context.close()
    assert log.foreign == ["http://cdn.example.com/logo.png"]
    assert any(url.startswith(live.url) for url in log.urls)
