"""越温暖 dispatches: the county receives the city's list (form or sheet), the town answers —
confirmed opens a case, not eligible needs a reason — and overdue ones are listed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from base.roles import Role
from sheets.models import ImportJob, JobStatus
from tests import factories
from tests.sheetfiles import xlsx
from welfare.models import (
    CaseEventKind,
    CaseSource,
    CaseStatus,
    Dispatch,
    DispatchStatus,
    HardshipCase,
)
from welfare.selectors import dispatches_overdue
from welfare.services import dispatch_confirm, dispatch_receive, dispatch_reject
from workforce.models import Worker

pytestmark = pytest.mark.django_db

ID_NEW = factories.valid_id_number("330381", 11, "19780304")


@pytest.fixture
def county_officer(ruian_towns):
    return factories.staff("ruian_welfare", Role.WELFARE, "330381")


@pytest.fixture
def town_officer(ruian_towns):
    return factories.staff("tangxia_welfare", Role.WELFARE, "330381101")


def receive(user, town, id_number=ID_NEW, received_on=datetime.date(2025, 5, 6), **more):
    return dispatch_receive(
        name="周国庆",
        id_number=id_number,
        region=town,
        received_on=received_on,
        causes=["illness"],
        user=user,
        **more,
    )


def test_a_received_dispatch_matches_the_registered_worker_and_is_due_in_15_days(
    county_officer, ruian_towns
):
    worker = factories.build(Worker, ruian_towns["tangxia"], name="周国庆")
    dispatch = receive(county_officer, ruian_towns["tangxia"], id_number=worker.id_number.lower())
    assert dispatch.worker == worker
    assert dispatch.due_on == datetime.date(2025, 5, 21)
    assert dispatch.status == DispatchStatus.RECEIVED


def test_a_town_confirms_and_a_case_opens_for_a_person_not_yet_registered(
    county_officer, town_officer, ruian_towns
):
    dispatch = receive(county_officer, ruian_towns["tangxia"])
    dispatch_confirm(
        dispatch=dispatch,
        user=town_officer,
        level="relative",
        on=datetime.date(2025, 5, 12),
        note="大病住院",
    )
    dispatch.refresh_from_db()
    case = dispatch.case
    assert dispatch.status == DispatchStatus.CONFIRMED
    assert dispatch.answered_on == datetime.date(2025, 5, 12)
    assert case.worker.id_number == ID_NEW and case.worker.region == ruian_towns["tangxia"]
    assert (case.status, case.source, case.causes) == (
        CaseStatus.REPORTED,
        CaseSource.DISPATCH,
        ["illness"],
    )
    event = case.events.get()
    assert (event.kind, event.user, event.note) == (
        CaseEventKind.DISPATCH,
        town_officer,
        "大病住院",
    )


def test_confirming_a_worker_with_an_open_case_joins_that_case(
    county_officer, town_officer, ruian_towns
):
    worker = factories.build(Worker, ruian_towns["tangxia"], name="周国庆")
    open_case = HardshipCase.objects.create(worker=worker, level="deep", causes=["illness"])
    dispatch = receive(county_officer, ruian_towns["tangxia"], id_number=worker.id_number)
    dispatch_confirm(dispatch=dispatch, user=town_officer, level="relative")
    assert dispatch.case == open_case
    assert HardshipCase.objects.count() == 1


def test_not_eligible_needs_a_reason_and_an_answered_dispatch_stays_answered(
    county_officer, town_officer, ruian_towns
):
    dispatch = receive(county_officer, ruian_towns["tangxia"])
    with pytest.raises(ValidationError):
        dispatch_reject(dispatch=dispatch, user=town_officer, reason=" ")
    dispatch_reject(dispatch=dispatch, user=town_officer, reason="家庭收入高于标准")
    with pytest.raises(ValidationError):
        dispatch_confirm(dispatch=dispatch, user=town_officer, level="relative")
    dispatch.refresh_from_db()
    assert (dispatch.status, dispatch.reason, dispatch.case) == (
        DispatchStatus.NOT_ELIGIBLE,
        "家庭收入高于标准",
        None,
    )


@pytest.mark.parametrize(
    ("role", "region"),
    [
        (Role.WELFARE, "330381101"),  # a town does not receive the city's list
        (Role.CLERK, "330381"),  # dispatches are hardship data
        (Role.WELFARE, "330382"),  # another county
    ],
)
def test_receiving_is_refused_outside_the_county_welfare_roles(ruian_towns, role, region):
    with pytest.raises(PermissionDenied):
        receive(factories.staff("someone", role, region), ruian_towns["tangxia"])
    assert not Dispatch.objects.exists()


@pytest.mark.parametrize(
    ("role", "region"),
    [(Role.WELFARE, "330381001"), (Role.CLERK, "330381101"), (Role.VIEWER, "330381")],
)
def test_answering_is_refused_to_other_towns_and_other_roles(
    county_officer, ruian_towns, role, region
):
    dispatch = receive(county_officer, ruian_towns["tangxia"])
    user = factories.staff("someone", role, region)
    with pytest.raises(PermissionDenied):
        dispatch_reject(dispatch=dispatch, user=user, reason="不符合")
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.RECEIVED


def test_overdue_dispatches_are_the_unanswered_ones_past_due_in_the_users_scope(
    county_officer, town_officer, ruian_towns
):
    late = receive(county_officer, ruian_towns["tangxia"], received_on=datetime.date(2025, 1, 2))
    receive(
        county_officer,
        ruian_towns["anyang"],
        id_number=factories.valid_id_number("330381", 12),
        received_on=datetime.date(2025, 6, 25),
    )
    answered = receive(
        county_officer,
        ruian_towns["tangxia"],
        id_number=factories.valid_id_number("330381", 13),
        received_on=datetime.date(2025, 1, 2),
    )
    dispatch_reject(
        dispatch=answered, user=town_officer, reason="已退休", on=datetime.date(2025, 3, 1)
    )
    today = datetime.date(2025, 6, 30)
    assert list(dispatches_overdue(user=county_officer, today=today)) == [late]
    other = factories.staff("yueqing", Role.WELFARE, "330382")
    assert list(dispatches_overdue(user=other, today=today)) == []


# --- through the admin -----------------------------------------------------------------------


def test_the_admin_receives_a_dispatch_and_the_town_confirms_it(
    county_officer, town_officer, ruian_towns, login
):
    county = login(county_officer)
    response = county.post(
        reverse("admin:welfare_dispatch_add"),
        {
            "name": "周国庆", "id_number": ID_NEW, "region": "330381101", "reference": "YWN-0007",
            "causes": ["illness"], "received_on": "2025-05-06", "due_on": "",
        },
    )  # fmt: skip
    assert response.status_code == 302
    dispatch = Dispatch.objects.get()
    assert dispatch.due_on == datetime.date(2025, 5, 21)

    town = login(town_officer)
    url = reverse("admin:welfare_dispatch_change", args=[dispatch.pk])
    page = town.get(url).content.decode()
    assert ID_NEW not in page  # shown masked
    base = {"region": "330381101", "reference": "YWN-0007", "causes": ["illness"],
            "due_on": "2025-05-21"}  # fmt: skip
    missing_level = town.post(url, {**base, "answer": "confirm"})
    assert missing_level.status_code == 200
    assert "case_level" in missing_level.context["adminform"].form.errors
    response = town.post(
        url, {**base, "answer": "confirm", "case_level": "relative", "feedback": "核实属实"}
    )
    assert response.status_code == 302
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.CONFIRMED
    assert dispatch.case.source == CaseSource.DISPATCH


def test_the_admin_refuses_a_town_that_is_not_the_assigned_one(county_officer, ruian_towns, login):
    dispatch = receive(county_officer, ruian_towns["tangxia"])
    other_town = login(factories.staff("anyang_welfare", Role.WELFARE, "330381001"))
    url = reverse("admin:welfare_dispatch_change", args=[dispatch.pk])
    assert other_town.get(url).status_code == 404


def test_a_town_officer_gets_no_add_button_for_dispatches(town_officer, login):
    assert login(town_officer).get(reverse("admin:welfare_dispatch_add")).status_code == 403


def test_the_sensing_list_is_imported_from_a_sheet(county_officer, ruian_towns, login):
    worker = factories.build(Worker, ruian_towns["anyang"], name="陈海燕")
    rows = [
        ["姓名", "身份证号", "所属镇街", "派单编号", "致困原因", "派单日期", "反馈期限"],
        ["周国庆", ID_NEW, "塘下镇", "YWN-1", "大病", "2025-05-06", ""],
        ["陈海燕", worker.id_number, "安阳街道", "YWN-2", "子女上学", "2025-05-06", "2025-05-10"],
    ]
    client = login(county_officer)
    response = client.post(
        reverse("admin:welfare_dispatch_import"),
        {"file": SimpleUploadedFile("越温暖派单.xlsx", xlsx(rows, title="5月派单"))},
    )
    assert response.status_code == 302
    job = ImportJob.objects.latest("pk")
    assert job.status == JobStatus.CHECKED, job.errors
    client.post(reverse("admin:sheets_importjob_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.created) == (JobStatus.DONE, 2)
    first, second = Dispatch.objects.order_by("reference")
    assert (first.region_id, first.due_on, first.worker) == (
        "330381101",
        datetime.date(2025, 5, 21),
        None,
    )
    assert (second.worker, second.due_on, second.causes) == (
        worker,
        datetime.date(2025, 5, 10),
        ["education"],
    )


def test_the_dispatch_page_shows_the_full_id_number_only_with_the_permission(
    county_officer, ruian_towns, login
):
    dispatch = dispatch_receive(
        name="周国庆",
        id_number=ID_NEW,
        region=ruian_towns["anyang"],
        received_on=datetime.date(2025, 5, 6),
        user=county_officer,
    )
    url = reverse("admin:welfare_dispatch_change", args=[dispatch.pk])
    assert ID_NEW not in login(county_officer).get(url).content.decode()
    boss = factories.staff("boss", Role.ADMIN, "330381")
    assert ID_NEW in login(boss).get(url).content.decode()
