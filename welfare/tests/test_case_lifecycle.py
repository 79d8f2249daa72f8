"""The hardship case as a case: who may take each step, the data each step needs, the timeline
every step writes, and the annual review — through the services and through the admin."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from base.roles import Role
from sheets.models import ImportJob, JobStatus
from tests import factories
from tests.sheetfiles import xlsx
from welfare.models import CaseEvent, CaseEventKind, CaseStatus, HardshipCase
from welfare.selectors import cases_due_for_review
from welfare.services import (
    hardship_case_report,
    hardship_case_review,
    hardship_case_transition,
)
from workforce.models import Worker

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 30)


@pytest.fixture
def town_officer(ruian_towns):
    """A welfare user of 塘下镇: the town union that reports cases."""
    return factories.staff("tangxia_welfare", Role.WELFARE, "330381101")


@pytest.fixture
def county_officer(ruian_towns):
    return factories.staff("ruian_welfare", Role.WELFARE, "330381")


@pytest.fixture
def worker(ruian_towns):
    return factories.build(Worker, ruian_towns["tangxia"], name="林美娟")


def report(worker, user):
    return hardship_case_report(
        worker=worker, level="relative", causes=["illness"], user=user, note="村里反映"
    )


def test_a_town_reports_and_the_county_verifies_files_aids_and_closes(
    worker, town_officer, county_officer
):
    case = report(worker, town_officer)
    hardship_case_transition(
        case=case, to_status=CaseStatus.VERIFIED, user=county_officer, note="入户核实属实"
    )
    hardship_case_transition(
        case=case, to_status=CaseStatus.FILED, user=county_officer, on=datetime.date(2024, 3, 1)
    )
    hardship_case_transition(
        case=case,
        to_status=CaseStatus.CLOSED,
        user=county_officer,
        on=datetime.date(2025, 2, 1),
        reason="子女就业，收入达标",
    )

    case.refresh_from_db()
    assert case.verification_note == "入户核实属实"
    assert (case.filed_on, case.closed_on) == (datetime.date(2024, 3, 1), datetime.date(2025, 2, 1))
    timeline = list(case.events.order_by("at", "pk"))
    assert [(e.from_status, e.to_status) for e in timeline] == [
        ("", "reported"),
        ("reported", "verified"),
        ("verified", "filed"),
        ("filed", "closed"),
    ]
    assert [e.user for e in timeline] == [town_officer, *[county_officer] * 3]
    assert timeline[-1].note == "子女就业，收入达标"
    assert timeline[2].on == datetime.date(2024, 3, 1)


@pytest.mark.parametrize(
    ("target", "role", "region"),
    [
        (CaseStatus.VERIFIED, Role.WELFARE, "330381101"),  # a town does not verify
        (CaseStatus.REJECTED, Role.WELFARE, "330381101"),  # nor reject
        (CaseStatus.VERIFIED, Role.CLERK, "330381"),  # a clerk never handles hardship files
        (CaseStatus.VERIFIED, Role.VIEWER, "330381"),
        (CaseStatus.VERIFIED, Role.WELFARE, "330382"),  # another county's officer
    ],
)
def test_steps_are_refused_to_the_wrong_role_or_region(worker, town_officer, target, role, region):
    case = report(worker, town_officer)
    user = factories.staff("someone", role, region)
    with pytest.raises(PermissionDenied):
        hardship_case_transition(case=case, to_status=target, user=user, note="x", reason="x")
    case.refresh_from_db()
    assert case.status == CaseStatus.REPORTED
    assert case.events.count() == 1


def test_an_admin_of_the_county_may_take_every_step(worker, town_officer):
    admin_user = factories.staff("ruian_admin", Role.ADMIN, "330381")
    case = report(worker, town_officer)
    hardship_case_transition(case=case, to_status=CaseStatus.VERIFIED, user=admin_user, note="核实")
    hardship_case_transition(
        case=case, to_status=CaseStatus.REJECTED, user=admin_user, reason="收入超标"
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.REJECTED
    assert case.rejected_on is not None


def test_reporting_is_refused_to_a_clerk(worker):
    clerk = factories.staff("clerk", Role.CLERK, "330381101")
    with pytest.raises(PermissionDenied):
        report(worker, clerk)
    assert not HardshipCase.objects.exists()


def test_each_step_asks_for_its_data(worker, town_officer, county_officer):
    case = report(worker, town_officer)
    with pytest.raises(ValidationError) as error:
        hardship_case_transition(case=case, to_status=CaseStatus.VERIFIED, user=county_officer)
    assert "verification_note" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        hardship_case_transition(case=case, to_status=CaseStatus.REJECTED, user=county_officer)
    assert "reason" in error.value.message_dict
    case.refresh_from_db()
    assert case.status == CaseStatus.REPORTED


def filed_case(worker, user, filed_on, reviewed_on=None):
    case = HardshipCase.objects.create(
        worker=worker,
        level="deep",
        causes=["illness"],
        status=CaseStatus.FILED,
        filed_on=filed_on,
        last_reviewed_on=reviewed_on,
    )
    return case


def test_a_case_unreviewed_for_a_year_is_due_and_a_review_clears_it(
    worker, county_officer, ruian_towns
):
    due = filed_case(worker, county_officer, datetime.date(2024, 6, 1))
    recent = filed_case(
        factories.build(Worker, ruian_towns["anyang"]), county_officer, datetime.date(2024, 1, 1),
        reviewed_on=datetime.date(2025, 1, 1),
    )  # fmt: skip
    filed_case(
        factories.build(Worker, ruian_towns["yueqing_town"]), None, datetime.date(2023, 1, 1)
    )

    assert list(cases_due_for_review(user=county_officer, today=TODAY)) == [due]

    hardship_case_review(case=due, user=county_officer, on=TODAY, note="家庭情况无变化")
    assert list(cases_due_for_review(user=county_officer, today=TODAY)) == []
    event = due.events.get()
    assert (event.kind, event.on, event.note) == (CaseEventKind.REVIEW, TODAY, "家庭情况无变化")
    assert recent.events.count() == 0


def test_a_town_officer_cannot_review_and_a_rejected_case_is_not_reviewed(
    worker, town_officer, county_officer
):
    case = filed_case(worker, county_officer, datetime.date(2024, 1, 1))
    with pytest.raises(PermissionDenied):
        hardship_case_review(case=case, user=town_officer)
    reported = report(factories.build(Worker, worker.region), town_officer)
    with pytest.raises(ValidationError):
        hardship_case_review(case=reported, user=county_officer)


# --- through the admin -----------------------------------------------------------------------


def change_data(case, **step):
    return {
        "worker": case.worker_id,
        "level": case.level,
        "causes": case.causes,
        "source": case.source,
        "grants-TOTAL_FORMS": "0",
        "grants-INITIAL_FORMS": "0",
        **step,
    }


def test_the_admin_walks_a_case_from_report_to_closure(worker, town_officer, county_officer, login):
    town, county = login(town_officer), login(county_officer)
    add = town.post(
        reverse("admin:welfare_hardshipcase_add"),
        {
            "worker": worker.pk, "level": "relative", "causes": ["illness"],
            "source": "grassroots", "status": "reported", "grants-TOTAL_FORMS": "0",
            "grants-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    assert add.status_code == 302
    case = HardshipCase.objects.get()
    url = reverse("admin:welfare_hardshipcase_change", args=[case.pk])

    refused = town.post(url, change_data(case, next_step="verified", step_note="看过了"))
    assert refused.status_code == 200
    assert "next_step" in refused.context["adminform"].form.errors

    steps = [
        {"next_step": "verified", "step_note": "入户核实属实"},
        {"next_step": "filed", "step_on": "2024-03-01"},
        {"next_step": "review", "step_on": "2025-03-01", "step_note": "年度复核"},
        {"next_step": "closed", "step_on": "2025-05-01", "step_note": "已就业"},
    ]
    for step in steps:
        response = county.post(url, change_data(case, **step))
        assert response.status_code == 302, response.context["adminform"].form.errors

    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.last_reviewed_on == datetime.date(2025, 3, 1)
    assert case.closed_on == datetime.date(2025, 5, 1) and case.reason == "已就业"
    page = county.get(url).content.decode()
    for text in ("入户核实属实", "年度复核", "已就业", "tangxia_welfare", "ruian_welfare"):
        assert text in page
    assert CaseEvent.objects.filter(case=case).count() == 5


def test_the_admin_refuses_closing_without_a_reason(worker, county_officer, login):
    case = filed_case(worker, county_officer, datetime.date(2024, 1, 1))
    client = login(county_officer)
    url = reverse("admin:welfare_hardshipcase_change", args=[case.pk])
    response = client.post(url, change_data(case, next_step="closed"))
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == CaseStatus.FILED


def test_a_town_cannot_enter_an_old_file_as_already_filed(worker, town_officer, login):
    response = login(town_officer).post(
        reverse("admin:welfare_hardshipcase_add"),
        {
            "worker": worker.pk, "level": "relative", "causes": ["illness"],
            "source": "grassroots", "status": "filed", "filed_on": "2023-01-01",
            "grants-TOTAL_FORMS": "0", "grants-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert not HardshipCase.objects.exists()


def test_the_review_action_reviews_due_cases_and_reports_refusals(
    worker, county_officer, town_officer, login
):
    due = filed_case(worker, county_officer, datetime.date(2023, 1, 1))
    reported = report(factories.build(Worker, worker.region), town_officer)
    response = login(county_officer).post(
        reverse("admin:welfare_hardshipcase_changelist"),
        {"action": "record_review", "_selected_action": [due.pk, reported.pk]},
        follow=True,
    )
    assert response.status_code == 200
    due.refresh_from_db()
    assert due.last_reviewed_on is not None
    assert due.events.filter(kind=CaseEventKind.REVIEW).exists()
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 2  # one success, one refusal naming the case not on file
    assert any(reported.worker.name in m for m in messages)
    assert reported.events.filter(kind=CaseEventKind.REVIEW).count() == 0


def test_a_town_may_import_reported_cases_but_not_filed_ones(worker, town_officer, login):
    header = ["姓名", "身份证号", "所属地区", "困难类型", "致困原因", "状态", "建档日期"]
    rows = [
        [worker.name, worker.id_number, "塘下镇", "相对", "大病", "已上报", ""],
        ["陈立", factories.valid_id_number("330381", 21), "塘下镇", "深度", "残", "已建档", "2024-01-05"],
    ]  # fmt: skip
    response = login(town_officer).post(
        reverse("admin:welfare_hardshipcase_import"),
        {"file": SimpleUploadedFile("cases.xlsx", xlsx([header, *rows]))},
    )
    assert response.status_code == 302
    job = ImportJob.objects.latest("pk")
    assert job.status == JobStatus.FAILED
    [error] = job.report["errors"]
    assert (error["column"], error["row"]) == ("状态", 3)


def test_the_timeline_dates_aid_by_the_first_grant_and_reads_in_the_order_things_happened(
    worker, town_officer, county_officer
):
    from welfare.services import assistance_grant_create

    case = report(worker, town_officer)
    hardship_case_transition(
        case=case, to_status=CaseStatus.VERIFIED, user=county_officer, note="属实"
    )
    hardship_case_transition(
        case=case, to_status=CaseStatus.FILED, user=county_officer, on=datetime.date(2025, 3, 1)
    )
    # An old paper grant entered today: the case was aided on the day it was paid.
    assistance_grant_create(
        case=case,
        kind="medical",
        amount=2000,
        granted_on=datetime.date(2025, 4, 10),
        user=county_officer,
    )
    aided = case.events.get(to_status=CaseStatus.AIDED)
    assert aided.on == datetime.date(2025, 4, 10)


# --- through a sheet: a row that changes a case's status is one step of the table ------------


def import_cases(user, rows, *, dry_run=False):
    from sheets.services import import_job_create, import_job_execute

    header = ["姓名", "身份证号", "所属地区", "困难类型", "致困原因", "状态", "核实情况"]
    job = import_job_create(
        user=user,
        resource_name="hardship-cases",
        file_name="cases.xlsx",
        data=xlsx([header, *rows]),
    )
    job = import_job_execute(job=job, dry_run=dry_run, user=user)
    return [(error["row"], error["column"]) for error in job.report["errors"]]


def test_a_sheet_verifies_a_reported_case_only_with_the_note_and_by_the_county(
    worker, town_officer, county_officer
):
    case = report(worker, town_officer)
    row = [worker.name, worker.id_number, "塘下镇", "相对", "大病", "已核实"]

    # The town may not take the county's step, even by sheet.
    assert import_cases(town_officer, [[*row, "入户核实属实"]]) == [(2, "状态")]
    # The step needs its data in the row.
    assert import_cases(county_officer, [[*row, ""]]) == [(2, "核实情况")]
    case.refresh_from_db()
    assert case.status == CaseStatus.REPORTED

    assert import_cases(county_officer, [[*row, "入户核实属实"]]) == []
    case.refresh_from_db()
    assert (case.status, case.verification_note) == (CaseStatus.VERIFIED, "入户核实属实")
    # The step is on the case's timeline, by the importing officer.
    moved = case.events.get(kind=CaseEventKind.TRANSITION)
    assert (moved.from_status, moved.to_status, moved.user) == (
        CaseStatus.REPORTED,
        CaseStatus.VERIFIED,
        county_officer,
    )


def test_a_case_entered_by_sheet_is_on_its_timeline_from_its_filing_date(county_officer):
    header = ["姓名", "身份证号", "所属地区", "困难类型", "致困原因", "状态", "建档日期"]
    row = [
        "陈立",
        factories.valid_id_number("330381", 31),
        "塘下镇",
        "深度",
        "残",
        "已建档",
        "2024-01-05",
    ]
    from sheets.services import import_job_create, import_job_execute

    job = import_job_create(
        user=county_officer, resource_name="hardship-cases", file_name="c.xlsx",
        data=xlsx([header, row]),
    )  # fmt: skip
    assert import_job_execute(job=job, dry_run=False, user=county_officer).report["errors"] == []
    event = HardshipCase.objects.get().events.get()
    assert (event.kind, event.from_status, event.to_status, event.on) == (
        CaseEventKind.RECORDED,
        "",
        CaseStatus.FILED,
        datetime.date(2024, 1, 5),
    )


def test_a_sheet_cannot_skip_a_step_or_go_back(worker, town_officer, county_officer):
    case = report(worker, town_officer)
    hardship_case_transition(
        case=case, to_status=CaseStatus.VERIFIED, user=county_officer, note="属实"
    )
    back = [worker.name, worker.id_number, "塘下镇", "相对", "大病", "待核实", "属实"]
    assert import_cases(county_officer, [back]) == [(2, "状态")]
    case.refresh_from_db()
    assert case.status == CaseStatus.VERIFIED


def test_a_town_officer_cannot_aid_a_case_by_importing_grants(worker, town_officer, county_officer):
    from sheets.services import import_job_create, import_job_execute

    case = filed_case(worker, county_officer, datetime.date(2024, 1, 1))
    header = ["姓名", "身份证号", "帮扶类型", "金额(元)", "发放日期"]
    row = [worker.name, worker.id_number, "生活", "800", "2024-05-01"]

    def import_grants(user):
        job = import_job_create(
            user=user, resource_name="grants", file_name="g.xlsx", data=xlsx([header, row])
        )
        return import_job_execute(job=job, dry_run=False, user=user).report["errors"]

    assert [e["column"] for e in import_grants(town_officer)] == ["身份证号"]
    case.refresh_from_db()
    assert case.status == CaseStatus.FILED
    assert import_grants(county_officer) == []
    case.refresh_from_db()
    assert case.status == CaseStatus.AIDED
