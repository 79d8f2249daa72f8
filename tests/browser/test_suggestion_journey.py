"""A 「人大+工会」 suggestion through the admin as a town union's clerk handles it: received
and accepted (受理) on the add form, then assigned (交办), answered (答复) and closed (办结) with
the proposer's satisfaction, one step at a time; a skipped step is refused on the form."""

from __future__ import annotations

import datetime

from playwright.sync_api import expect

from base.roles import Role
from programs.models import Suggestion, SuggestionStatus
from tests import factories
from tests.browser.conftest import log_in, screenshot
from workforce.models import Worker


def save_and_continue(page) -> None:
    page.get_by_role("button", name="保存并继续修改").click()


def test_a_clerk_takes_a_suggestion_from_acceptance_to_closing(page, live):
    tangxia = factories.town("330381101", "塘下镇")
    worker = factories.build(Worker, tangxia, name="林美娟")
    factories.staff("tx_clerk", Role.CLERK, "330381101")

    log_in(page, live, "tx_clerk")
    page.goto(f"{live.url}/admin/programs/suggestion/add/")

    # 受理: the worker chosen by name (the autocomplete shows the masked ID number).
    page.locator(".field-worker .select2-selection").click()
    page.locator(".select2-search__field").fill("林美")
    option = page.locator(".select2-results__option", has_text="林美娟")
    expect(option).to_contain_text("*")  # masked, as everywhere
    option.click()
    page.get_by_label("建议类别").select_option(label="通勤出行")
    page.locator("textarea[name=text]").fill(
        "厂区离市区较远，希望公司牵头组织上下班顺路的职工拼车，降低出行成本"
    )
    page.get_by_label("收到日期").fill("2025-04-01")
    page.get_by_label("人大代表或委员会").fill("省人大代表刘永跃")
    page.get_by_label("状态").select_option(label="已受理")
    page.get_by_label("受理日期").fill("2025-04-02")
    save_and_continue(page)
    expect(page.locator(".messagelist .success")).to_be_visible()
    item = Suggestion.objects.get(worker=worker)
    assert (item.status, item.region_id) == (SuggestionStatus.ACCEPTED, "330381101")

    # A skipped step (straight to 已答复) is refused, naming the rule.
    page.get_by_label("状态").select_option(label="已答复")
    page.get_by_label("答复内容").fill("已组织拼车")
    save_and_continue(page)
    expect(page.locator(".errorlist").first).to_contain_text("已受理")
    screenshot(page, "suggestion-skipped-step-refused")

    # 交办.
    page.get_by_label("状态").select_option(label="已交办")
    page.get_by_label("答复内容").fill("")
    page.get_by_label("交办对象").fill("公司工会、行政部")
    page.get_by_label("交办日期").fill("2025-04-03")
    save_and_continue(page)
    expect(page.locator(".messagelist .success")).to_be_visible()

    # 答复.
    page.get_by_label("状态").select_option(label="已答复")
    page.get_by_label("答复内容").fill("公司工会与行政部联合调研排查，已为90多名职工找到拼车对象")
    page.get_by_label("答复日期").fill("2025-04-20")
    save_and_continue(page)
    expect(page.locator(".messagelist .success")).to_be_visible()

    # 办结 needs the proposer's satisfaction.
    page.get_by_label("状态").select_option(label="已办结")
    page.get_by_label("办结日期").fill("2025-04-25")
    save_and_continue(page)
    expect(page.locator(".errorlist").first).to_contain_text("满意度")
    page.get_by_label("满意度").select_option(label="满意")
    save_and_continue(page)
    expect(page.locator(".messagelist .success")).to_be_visible()
    screenshot(page, "suggestion-closed")

    item.refresh_from_db()
    assert (item.status, item.closed_on, item.satisfaction) == (
        SuggestionStatus.CLOSED,
        datetime.date(2025, 4, 25),
        "satisfied",
    )
    assert item.closed_in_time()
    assert item.history.count() == 4

    # The list shows it closed, the proposer masked.
    page.goto(f"{live.url}/admin/programs/suggestion/")
    row = page.locator("#result_list tbody tr").first
    expect(row).to_contain_text("已办结")
    expect(row).to_contain_text("满意")
    expect(row).not_to_contain_text(worker.id_number)
