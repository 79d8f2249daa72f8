"""A clerk types a worker's name in the search box, opens the worker's 成长档案 from the results
and prints it: A4 pages without the admin around it, in Chinese, the table's header on every
page. The printed pages go to artifacts/ as PDF and PNG to be looked at."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from base.models import Level, Region
from base.roles import Role
from tests import factories
from tests.browser.conftest import log_in, screenshot, serious_accessibility_violations
from tests.browser.test_dashboard_map_and_print import poppler, printed  # noqa: F401 (fixture)
from training.models import Enrolment, TrainingSession
from workforce.models import Honour, HonourTitle, SkillCertificate, SkillLevel, Worker

WIDE = {"width": 1440, "height": 900}


@pytest.mark.usefixtures("poppler")
def test_a_clerk_opens_a_growth_record_from_the_search_box_and_prints_it(page, live):
    tangxia = factories.town("330381101", "塘下镇")
    worker = factories.build(Worker, tangxia, name="欧阳建国", phone="13800135678")
    title, _new = HonourTitle.objects.get_or_create(
        name="浙江省五一劳动奖章", defaults={"level": Level.PROVINCIAL}
    )
    factories.build(Honour, tangxia, worker=worker, title=title, year=2023)
    factories.build(
        SkillCertificate,
        tangxia,
        worker=worker,
        occupation="数控车工",
        level=SkillLevel.SENIOR_TECHNICIAN,
        certified_on=datetime.date(2022, 6, 30),
    )
    # Four years of monthly training: enough lines for the table to run onto a second page.
    for month in range(48):
        day = datetime.date(2023 + month // 12, month % 12 + 1, 8)
        session = factories.build(
            TrainingSession,
            tangxia,
            title=f"瑞安市汽摩配产业数控加工技能提升培训班（第{month + 1}期）",
            start_date=day,
            hours=Decimal("8"),
        )
        factories.build(Enrolment, tangxia, worker=worker, session=session)
    factories.build(Worker, Region.objects.get(code="330382"), name="欧阳建国")
    factories.staff("ra_clerk", Role.CLERK, "330381")

    page.set_viewport_size(WIDE)
    log_in(page, live, "ra_clerk")
    box = page.locator("#workbench-find")
    box.fill("欧阳建国")
    box.press("Enter")
    results = page.locator(".find-person-result")
    expect(results).to_have_count(1)  # never the other county's namesake
    results.get_by_role("link", name="欧阳建国的成长档案").click()

    expect(page.locator("h1")).to_have_text("欧阳建国的成长档案")
    content = page.locator("#content-main")
    expect(content).to_contain_text("培训学时")
    expect(content).to_contain_text("384.0")  # 48 sessions × 8 hours
    expect(content).to_contain_text("高级技师(一级)")
    expect(content).to_contain_text(worker.id_number[:6] + "********" + worker.id_number[-4:])
    expect(content).not_to_contain_text(worker.id_number)
    expect(page.locator(".growth-entries tbody tr")).to_have_count(50)
    screenshot(page, "growth-record")
    assert not serious_accessibility_violations(page)

    # The print button prints (the browser's dialogue is replaced by a flag here).
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="打印").click()
    assert page.evaluate("window.printed") is True

    pages = printed(page, "print-growth-record")
    assert 2 <= len(pages) <= 3, len(pages)
    whole = "\n".join(pages)
    # No admin chrome on paper, nor the page's own buttons (打印 stays only in 打印日期).
    for chrome in ("注销", "修改密码", "导出 Excel", "打印", "开始输入以筛选"):
        assert chrome not in whole.replace("打印日期", ""), chrome
    assert "欧阳建国的成长档案" in pages[0] and "成长概况" in pages[0]
    # The table's header repeats on each page it runs onto; every line keeps its date.
    for sheet in pages:
        if "提升培训班" in sheet:
            assert "日期" in sheet and "学时" in sheet
    assert "2026-12-08" in whole and "第48期" in whole
    assert "成长档案不含困难帮扶类信息" in pages[-1]
