"""六必访 (docs/indicators.md, "六必访"): the occasions that call for a visit, the visits that
answer them, the to-do list of those still waiting and the dashboard figures — on a small
ledger built by hand, with the numbers worked out in the comments.

The ledger (瑞安 unless said; the day is 2026-03-10):

- 甲: 生病住院 on 2026-02-01 (told by the team leader), not visited.
- 乙: 亲属去世 on 2026-01-10, visited 2026-01-15 (5 days: in time) with 500 yuan; visited again
  on 2026-02-20 for a 家庭纠纷 no occasion record names, no aid.
- 丙: 家庭受灾 on 2025-12-20, visited 2026-01-05 (16 days: late), no aid.
- 丁: a hardship case filed 2026-01-20 for illness and education costs: illness is 生病住院,
  so it calls for a visit; not visited.
- 戊: a hardship case filed 2025-11-03 for education costs only: no visit called for.
- 庚: a hardship case filed 2025-06-01 for a disaster (家庭受灾), aided, visited 2025-06-05 with
  1000 yuan (the visit linked to the case).
- 己 (乐清): 家遇急事 on 2026-02-15, not visited.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from base import identity
from base.models import Region
from base.roles import Role
from dashboards import selectors as dashboard
from sheets.services import sheet_import
from tests import clock, factories
from tests.sheetfiles import xlsx
from welfare.models import (
    CareOccasion,
    CareOccasionKind,
    CareOccasionSource,
    CareVisit,
    CaseStatus,
    HardshipCase,
    HardshipCause,
)
from welfare.selectors import case_occasion, visits_due
from welfare.services import care_occasion_record, care_visit_record
from workforce.models import Worker

pytestmark = pytest.mark.django_db

RUIAN, YUEQING, WENZHOU = "330381", "330382", "330300"
TODAY = datetime.date(2026, 3, 10)
K = CareOccasionKind


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def person(code: str, name: str) -> Worker:
    return factories.build(Worker, region(code), name=name)


def occasion(who: Worker, kind: str, on: datetime.date, **fields: Any) -> CareOccasion:
    return factories.build(
        CareOccasion, who.region, worker=who, kind=kind, happened_on=on, **fields
    )


def visit(who: Worker, kind: str, on: datetime.date, aid: str = "0", **fields: Any) -> CareVisit:
    return factories.build(
        CareVisit,
        who.region,
        worker=who,
        kind=kind,
        visited_on=on,
        visitors="许明术、单位领导",
        aid=Decimal(aid),
        **fields,
    )


def case(who: Worker, causes: list[str], filed_on: datetime.date, **fields: Any) -> HardshipCase:
    fields.setdefault("status", CaseStatus.FILED)
    return factories.build(
        HardshipCase, who.region, worker=who, causes=causes, filed_on=filed_on, **fields
    )


@pytest.fixture
def ledger() -> dict[str, Any]:
    jia = person(RUIAN, "甲职工")
    jia_ill = occasion(jia, K.HOSPITALISED, datetime.date(2026, 2, 1), reported_by="班组长")
    yi = person(RUIAN, "乙职工")
    yi_loss = occasion(yi, K.BEREAVEMENT, datetime.date(2026, 1, 10))
    visit(yi, K.BEREAVEMENT, datetime.date(2026, 1, 15), "500", occasion=yi_loss)
    visit(yi, K.FAMILY_DISPUTE, datetime.date(2026, 2, 20))
    bing = person(RUIAN, "丙职工")
    bing_flood = occasion(bing, K.HOME_DISASTER, datetime.date(2025, 12, 20))
    visit(bing, K.HOME_DISASTER, datetime.date(2026, 1, 5), occasion=bing_flood)
    ding = person(RUIAN, "丁职工")
    ding_case = case(
        ding, [HardshipCause.ILLNESS, HardshipCause.EDUCATION], datetime.date(2026, 1, 20)
    )
    wu = person(RUIAN, "戊职工")
    case(wu, [HardshipCause.EDUCATION], datetime.date(2025, 11, 3))
    geng = person(RUIAN, "庚职工")
    geng_case = case(
        geng, [HardshipCause.DISASTER], datetime.date(2025, 6, 1), status=CaseStatus.AIDED
    )
    visit(geng, K.HOME_DISASTER, datetime.date(2025, 6, 5), "1000", case=geng_case)
    ji = person(YUEQING, "己职工")
    ji_urgent = occasion(ji, K.EMERGENCY, datetime.date(2026, 2, 15))
    return {
        "jia": jia,
        "jia_ill": jia_ill,
        "ding": ding,
        "ding_case": ding_case,
        "ji": ji,
        "ji_urgent": ji_urgent,
    }


@pytest.fixture
def ruian_officer() -> Any:
    return factories.staff("ruian_welfare", Role.WELFARE, RUIAN)


def waiting(user: Any) -> list[tuple[str, str, datetime.date]]:
    return [(row.worker.name, row.kind, row.since) for row in visits_due(user=user, today=TODAY)]


# --- the visit rule ------------------------------------------------------------------------------


def test_the_causes_that_are_among_the_six_occasions():
    assert case_occasion([HardshipCause.ILLNESS]) == K.HOSPITALISED
    assert case_occasion([HardshipCause.EDUCATION, HardshipCause.DISASTER]) == K.HOME_DISASTER
    assert case_occasion([HardshipCause.ACCIDENT]) == K.EMERGENCY
    assert case_occasion([HardshipCause.EDUCATION, HardshipCause.UNEMPLOYMENT]) is None


def test_occasions_without_a_visit_wait_oldest_first_and_visited_ones_do_not(ledger, ruian_officer):
    # 丁's case (filed 01-20) before 甲's illness (02-01); 乙 and 丙 were visited, 庚's case too,
    # 戊's causes are not among the six, 己 is 乐清's.
    assert waiting(ruian_officer) == [
        ("丁职工", K.HOSPITALISED, datetime.date(2026, 1, 20)),
        ("甲职工", K.HOSPITALISED, datetime.date(2026, 2, 1)),
    ]


def test_another_countys_occasion_is_not_shown_and_the_city_sees_both(ledger):
    yueqing = factories.staff("yueqing_welfare", Role.WELFARE, YUEQING)
    assert waiting(yueqing) == [("己职工", K.EMERGENCY, datetime.date(2026, 2, 15))]
    wenzhou = factories.staff("wenzhou_admin", Role.ADMIN, WENZHOU)
    assert [name for name, _kind, _since in waiting(wenzhou)] == ["丁职工", "甲职工", "己职工"]


def test_a_visit_takes_the_occasion_off_the_list(ledger, ruian_officer):
    care_visit_record(
        worker=ledger["jia"],
        kind=K.HOSPITALISED,
        visited_on=datetime.date(2026, 3, 10),
        visitors="许明术",
        aid=Decimal("800"),
        occasion=ledger["jia_ill"],
        user=ruian_officer,
    )
    assert [name for name, _kind, _since in waiting(ruian_officer)] == ["丁职工"]


def test_a_visit_is_linked_to_the_workers_open_case_and_answers_it(ledger, ruian_officer):
    recorded = care_visit_record(
        worker=ledger["ding"],
        kind=K.HOSPITALISED,
        visited_on=datetime.date(2026, 1, 25),
        visitors="许明术、单位领导",
        user=ruian_officer,
    )
    assert recorded.case == ledger["ding_case"]
    assert recorded.aid == Decimal("0")
    assert recorded.region_id == ledger["ding"].region_id
    assert [name for name, _kind, _since in waiting(ruian_officer)] == ["甲职工"]


def test_a_visit_names_only_its_own_workers_occasion_and_not_before_it(ledger, ruian_officer):
    with pytest.raises(ValidationError) as error:
        care_visit_record(
            worker=ledger["ding"], kind=K.HOSPITALISED, visited_on=TODAY, visitors="许明术",
            occasion=ledger["jia_ill"], user=ruian_officer,
        )  # fmt: skip
    assert "occasion" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        care_visit_record(
            worker=ledger["jia"], kind=K.HOSPITALISED, visited_on=datetime.date(2026, 1, 30),
            visitors="许明术", occasion=ledger["jia_ill"], user=ruian_officer,
        )  # fmt: skip
    assert "visited_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        care_visit_record(
            worker=ledger["jia"], kind=K.BEREAVEMENT, visited_on=TODAY, visitors="许明术",
            occasion=ledger["jia_ill"], user=ruian_officer,
        )  # fmt: skip
    assert "kind" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        care_visit_record(
            worker=ledger["jia"], kind=K.HOSPITALISED, visited_on=TODAY, visitors="许明术",
            aid=Decimal("-1"), user=ruian_officer,
        )  # fmt: skip
    assert "aid" in error.value.message_dict


def test_another_countys_worker_is_not_the_officers_to_record(ledger, ruian_officer):
    with pytest.raises(PermissionDenied):
        care_occasion_record(
            worker=ledger["ji"], kind=K.FAMILY_ILLNESS, happened_on=TODAY, user=ruian_officer
        )
    with pytest.raises(PermissionDenied):
        care_visit_record(
            worker=ledger["ji"], kind=K.EMERGENCY, visited_on=TODAY, visitors="许明术",
            occasion=ledger["ji_urgent"], user=ruian_officer,
        )  # fmt: skip


# --- the indicators ------------------------------------------------------------------------------


KEYS = (
    "care_visits",
    "care_workers_visited",
    "care_visit_aid",
    "care_occasions",
    "care_occasions_visited_in_time",
    "care_visit_timeliness",
)


def figures(code: str, year: int) -> tuple[Any, ...]:
    values = dashboard.indicators_for(region(code), year)
    return tuple(values[key] for key in KEYS)


def test_the_visit_figures_of_a_year_worked_by_hand(ledger):
    # 瑞安 2026: visits 乙 ×2 (01-15, 02-20) and 丙 (01-05) = 3, by 2 workers, aid 500 + 0 + 0.
    # Occasions of 2026: 甲 (02-01) and 乙 (01-10) = 2; 乙's was visited in 5 days, 甲's not at
    # all: 1 in time, 1 / 2 = 50 %.
    assert figures(RUIAN, 2026) == (3, 2, Decimal("500"), 2, 1, Decimal("50.0"))
    # 瑞安 2025: 庚's visit with 1000; the one occasion (丙's, 12-20) was visited after 16 days.
    assert figures(RUIAN, 2025) == (1, 1, Decimal("1000"), 1, 0, Decimal("0.0"))
    # 温州 2026: 乐清 adds 己's occasion, not visited: 1 in time of 3 = 33.3 %.
    assert figures(WENZHOU, 2026) == (3, 2, Decimal("500"), 3, 1, Decimal("33.3"))


def test_a_visit_on_the_seventh_day_is_in_time_on_the_eighth_it_is_not(ledger):
    gui = person(RUIAN, "癸职工")
    on_time = occasion(gui, K.FAMILY_ILLNESS, datetime.date(2026, 3, 1))
    visit(gui, K.FAMILY_ILLNESS, datetime.date(2026, 3, 8), occasion=on_time)
    late = occasion(gui, K.EMERGENCY, datetime.date(2026, 3, 2))
    visit(gui, K.EMERGENCY, datetime.date(2026, 3, 10), occasion=late)
    # 瑞安 2026 now: occasions 2 + 2 = 4, in time 1 + 1 = 2: 50 %.
    values = dashboard.indicators_for(region(RUIAN), 2026)
    assert values["care_occasions"] == 4
    assert values["care_occasions_visited_in_time"] == 2


# --- the list on the 工作台 and the to-do page -------------------------------------------------


def test_the_to_do_page_lists_them_masked_with_days_and_a_link_that_fills_the_form(
    ledger, login, monkeypatch
):
    clock.freeze(monkeypatch, datetime.datetime(2026, 3, 10, 10, 0, tzinfo=clock.SHANGHAI))
    admin = login(factories.staff("ruian_admin", Role.ADMIN, RUIAN))
    todo = admin.get(reverse("todo")).content.decode()
    section = todo.split('id="visits-due"')[1].split("</section>")[0]
    assert section.count("<tr") == 1 + 2
    assert section.index("丁职工") < section.index("甲职工")
    assert "己职工" not in section
    # 丁 waits since 01-20: 11 + 28 + 10 = 49 days; 甲 since 02-01: 27 + 10 = 37.
    assert "<td>49</td>" in section and "<td>37</td>" in section
    jia = ledger["jia"]
    assert jia.id_number not in todo
    assert identity.mask_id_number(jia.id_number) in section
    add = reverse("admin:welfare_carevisit_add")
    link = (
        f"{add}?worker={jia.pk}&amp;kind=hospitalised&amp;visited_on=2026-03-10"
        f"&amp;occasion={ledger['jia_ill'].pk}"
    )
    assert link in section
    assert f"case={ledger['ding_case'].pk}" in section
    form = admin.get(link.replace("&amp;", "&"))
    assert form.status_code == 200
    initial = form.context["adminform"].form.initial
    assert initial["worker"] == str(jia.pk)
    assert initial["occasion"] == str(ledger["jia_ill"].pk)


def test_the_workbench_lists_them_and_a_clerk_sees_neither(ledger, login, monkeypatch):
    clock.freeze(monkeypatch, datetime.datetime(2026, 3, 10, 10, 0, tzinfo=clock.SHANGHAI))
    officer = login(factories.staff("ruian_welfare", Role.WELFARE, RUIAN))
    html = officer.get(reverse("admin:index")).content.decode()
    section = html.split('class="module workbench-visits"')[1].split("</section>")[0]
    assert "丁职工" in section and "甲职工" in section and "己职工" not in section
    clerk = login(factories.staff("ruian_clerk", Role.CLERK, RUIAN))
    assert "workbench-visits" not in clerk.get(reverse("admin:index")).content.decode()
    assert 'id="visits-due"' not in clerk.get(reverse("todo")).content.decode()


# --- the care-occasions and care-visits sheets --------------------------------------------------


def test_a_messy_visits_sheet_imports_and_answers_the_occasions(ledger, ruian_officer):
    jia, ding = ledger["jia"], ledger["ding"]
    rows = [
        ["序号", "姓名", "身份证号", "慰问事由", "慰问日期", "慰问人员", "慰问金", "帮扶情况"],
        [1, " 甲职工 ", jia.id_number.lower(), "住院", "2026.2.6", "许明术、单位领导", "1,000", ""],
        [2, "丁职工", ding.id_number, "生病住院", "2026年1月22日", "许明术", "", "送去慰问品"],
    ]  # fmt: skip
    report, _changes = sheet_import(
        resource_name="care-visits",
        data=xlsx(rows),
        file_name="六必访台账.xlsx",
        user=ruian_officer,
        dry_run=False,
    )
    assert not report.errors, report.errors
    jia_visit = CareVisit.objects.get(worker=jia)
    # 甲's 生病住院 of 02-01 is 5 days before: answered; no case.
    assert (jia_visit.visited_on, jia_visit.aid, jia_visit.occasion, jia_visit.case) == (
        datetime.date(2026, 2, 6),
        Decimal("1000.00"),
        ledger["jia_ill"],
        None,
    )
    ding_visit = CareVisit.objects.get(worker=ding)
    # 丁 has no occasion record; the visit is linked to his open case and answers it.
    assert (ding_visit.aid, ding_visit.occasion, ding_visit.case) == (
        Decimal("0"),
        None,
        ledger["ding_case"],
    )
    assert waiting(ruian_officer) == []


def test_an_occasions_sheet_imports_with_its_spellings_and_lists_them(ledger, ruian_officer):
    jia = ledger["jia"]
    rows = [
        ["姓名", "身份证号", "情形", "发生时间", "来源", "反映人"],
        ["甲职工", jia.id_number, "家人重病", "2026-03-01", "班组长", "王班长"],
    ]
    report, _changes = sheet_import(
        resource_name="care-occasions",
        data=xlsx(rows),
        file_name="六必访.xlsx",
        user=ruian_officer,
        dry_run=False,
    )
    assert not report.errors, report.errors
    added = CareOccasion.objects.get(worker=jia, kind=K.FAMILY_ILLNESS)
    assert (added.happened_on, added.source, added.reported_by) == (
        datetime.date(2026, 3, 1),
        CareOccasionSource.COLLEAGUE,
        "王班长",
    )
    assert ("甲职工", K.FAMILY_ILLNESS, datetime.date(2026, 3, 1)) in waiting(ruian_officer)


def test_a_row_with_another_countys_worker_names_nobody(ledger, ruian_officer):
    ji = ledger["ji"]
    rows = [
        ["姓名", "身份证号", "走访事由", "走访日期", "走访人员"],
        ["己职工", ji.id_number, "家遇急事", "2026-02-16", "许明术"],
    ]
    report, _changes = sheet_import(
        resource_name="care-visits",
        data=xlsx(rows),
        file_name="六必访台账.xlsx",
        user=ruian_officer,
        dry_run=True,
    )
    [error] = report.errors
    assert "己职工" not in error.message and "乐清" not in error.message


def test_a_clerk_may_not_import_visits(ledger):
    clerk = factories.staff("ruian_clerk", Role.CLERK, RUIAN)
    rows = [
        ["姓名", "身份证号", "走访事由", "走访日期", "走访人员"],
        ["甲职工", ledger["jia"].id_number, "生病住院", "2026-02-06", "许明术"],
    ]
    with pytest.raises(PermissionDenied):
        sheet_import(
            resource_name="care-visits",
            data=xlsx(rows),
            file_name="六必访台账.xlsx",
            user=clerk,
            dry_run=True,
        )
