import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from base.models import Region
from base.roles import Role
from tests import factories
from welfare.models import CaseStatus, HardshipCase
from welfare.services import assistance_grant_create, hardship_case_transition
from workforce.models import Worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    worker = factories.build(Worker, Region.objects.get(code="330624"), name="邓秀文")
    return HardshipCase.objects.create(
        worker=worker, level="relative", causes=["illness", "education"]
    )


@pytest.fixture
def officer():
    return factories.staff("welfare", Role.WELFARE, "330624")


def test_clerk_cannot_list_or_open_hardship_cases(case, login):
    client = login(factories.staff("clerk", Role.CLERK, "330624"))
    assert client.get(reverse("admin:welfare_hardshipcase_changelist")).status_code == 403
    assert (
        client.get(reverse("admin:welfare_hardshipcase_change", args=[case.pk])).status_code == 403
    )
    assert client.get(reverse("admin:welfare_assistancegrant_changelist")).status_code == 403


def test_welfare_officer_of_the_county_opens_the_case(case, officer, login):
    client = login(officer)
    response = client.get(reverse("admin:welfare_hardshipcase_changelist"))
    assert [c.pk for c in response.context["cl"].result_list] == [case.pk]
    assert (
        client.get(reverse("admin:welfare_hardshipcase_change", args=[case.pk])).status_code == 200
    )


def test_welfare_officer_of_another_county_cannot_open_the_case(case, login):
    client = login(factories.staff("elsewhere", Role.WELFARE, "330381"))
    assert (
        client.get(reverse("admin:welfare_hardshipcase_change", args=[case.pk])).status_code == 404
    )


def test_a_case_walks_its_lifecycle_with_the_dates_each_step_needs(case, officer):
    hardship_case_transition(
        case=case, to_status=CaseStatus.VERIFIED, user=officer, note="入户核实：女儿大病"
    )
    hardship_case_transition(
        case=case, to_status=CaseStatus.FILED, user=officer, on=datetime.date(2024, 3, 1)
    )
    assert case.filed_on == datetime.date(2024, 3, 1)
    assistance_grant_create(
        case=case,
        kind="living",
        amount=Decimal("2000"),
        granted_on=datetime.date(2024, 4, 1),
        user=officer,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.AIDED
    hardship_case_transition(
        case=case,
        to_status=CaseStatus.CLOSED,
        user=officer,
        on=datetime.date(2025, 1, 10),
        reason="再就业",
    )
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.reason) == (
        CaseStatus.CLOSED,
        datetime.date(2025, 1, 10),
        "再就业",
    )


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (CaseStatus.REPORTED, CaseStatus.FILED),  # not verified yet
        (CaseStatus.REPORTED, CaseStatus.AIDED),
        (CaseStatus.VERIFIED, CaseStatus.CLOSED),
        (CaseStatus.CLOSED, CaseStatus.FILED),  # a closed case stays closed
        (CaseStatus.REJECTED, CaseStatus.VERIFIED),
    ],
)
def test_illegal_jumps_are_refused(case, officer, start, target):
    HardshipCase.objects.filter(pk=case.pk).update(
        status=start,
        filed_on=datetime.date(2024, 1, 1),
        closed_on=datetime.date(2024, 6, 1) if start == "closed" else None,
    )
    case.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        hardship_case_transition(case=case, to_status=target, user=officer, reason="x")
    assert "status" in error.value.message_dict
    case.refresh_from_db()
    assert case.status == start


def test_closing_needs_a_reason(case, officer):
    HardshipCase.objects.filter(pk=case.pk).update(
        status="filed", filed_on=datetime.date(2024, 1, 1)
    )
    case.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        hardship_case_transition(case=case, to_status=CaseStatus.CLOSED, user=officer)
    assert "reason" in error.value.message_dict


def test_aid_is_refused_before_the_case_is_filed(case, officer):
    with pytest.raises(ValidationError) as error:
        assistance_grant_create(
            case=case,
            kind="living",
            amount=Decimal("500"),
            granted_on=datetime.date(2024, 4, 1),
            user=officer,
        )
    assert "case" in error.value.message_dict


def test_an_old_file_may_be_entered_already_closed_with_its_dates(officer):
    worker = factories.build(Worker, Region.objects.get(code="330624"))
    case = HardshipCase(
        worker=worker, level="deep", causes=["illness"], status=CaseStatus.CLOSED,
        filed_on=datetime.date(2022, 3, 1), closed_on=datetime.date(2023, 8, 1),
    )  # fmt: skip
    case.full_clean()
    case.status = CaseStatus.CLOSED
    case.closed_on = None
    with pytest.raises(ValidationError) as error:
        case.full_clean()
    assert "closed_on" in error.value.message_dict


def test_the_admin_form_refuses_an_illegal_jump(case, officer, login):
    client = login(officer)
    data = {
        "worker": case.worker_id,
        "level": "relative",
        "causes": ["illness"],
        "source": "grassroots",
        "next_step": "filed",
        "step_on": "2024-03-01",
        "step_note": "",
        "grants-TOTAL_FORMS": "0",
        "grants-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:welfare_hardshipcase_change", args=[case.pk]), data)
    assert response.status_code == 200
    assert "next_step" in response.context["adminform"].form.errors
    case.refresh_from_db()
    assert case.status == CaseStatus.REPORTED
    data.update(next_step="verified", step_note="入户核实属实")
    response = client.post(reverse("admin:welfare_hardshipcase_change", args=[case.pk]), data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.VERIFIED
