"""The step table (base.steps) against the models and the services, for every workflow.

The table is the one statement of who may take which step from which state into which, with
which data. These tests prove the class, not cases: every state of every model named by the
table is reached and left (or declared terminal), and for every workflow, every state × every
step × every role and region level, the service that takes the step agrees with the table —
allowed exactly where the table says. A step added to `Step` without a service walking it here,
or a status added to a model without a step, fails.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from base.models import Region
from base.roles import Role
from base.steps import (
    NEW,
    RULE,
    WORKFLOW_OF,
    WORKFLOWS,
    Step,
    Workflow,
    state_entry_check,
    step_allowed,
    step_between,
    step_check,
)
from programs.models import ServiceProblem, ServiceVisit, Suggestion
from programs.services import (
    service_problem_save,
    service_problem_transition,
    suggestion_answer,
    suggestion_assign,
    suggestion_close,
    suggestion_receive,
)
from tests import factories
from welfare.models import (
    CASE_WORKFLOW,
    AssistanceGrant,
    CaseStatus,
    Dispatch,
    DispatchStatus,
    HardshipCase,
    SolarDocument,
    SolarIncome,
    SolarProject,
)
from welfare.services import (
    assistance_grant_create,
    dispatch_confirm,
    dispatch_receive,
    dispatch_reject,
    hardship_case_report,
    hardship_case_review,
    hardship_case_transition,
    solar_income_record,
    solar_project_advance,
    solar_project_apply,
)
from workforce.models import Transfer, TransferStatus, Worker
from workforce.services import transfer_accept, transfer_cancel, transfer_start, worker_merge

TOWN, COUNTY, OTHER_COUNTY = "330381101", "330381", "330382"
LONG_AGO = datetime.date(2020, 1, 1)


def _model(workflow: Workflow) -> Any:
    return apps.get_model(workflow.model)


def _choices(workflow: Workflow) -> set[str]:
    assert workflow.state_field is not None
    field = _model(workflow)._meta.get_field(workflow.state_field)
    return {str(value) for value, _label in field.choices}


STATEFUL = [workflow for workflow in WORKFLOWS if workflow.state_field is not None]


# --- the table against the models --------------------------------------------------------------


@pytest.mark.parametrize("workflow", STATEFUL, ids=lambda w: w.name)
def test_every_status_of_the_model_is_reached_and_left_by_a_step_unless_terminal(workflow):
    choices = _choices(workflow)
    reached = {rule.into for rule in workflow.rules if rule.into is not None}
    left = {state for rule in workflow.rules for state in rule.sources if rule.into != state}
    assert choices == workflow.states(), "the table names exactly the model's statuses"
    assert choices - reached == set(), "a status no step leads into"
    assert choices - workflow.terminal - left == set(), "a status no step leaves (not terminal)"
    assert workflow.terminal <= choices
    for state in workflow.terminal:
        assert not workflow.transitions()[state], f"terminal “{state}” is left by a step"


@pytest.mark.parametrize("workflow", STATEFUL, ids=lambda w: w.name)
def test_every_status_is_reachable_from_a_new_record(workflow):
    reached = {rule.into for rule in workflow.rules if NEW in rule.sources}
    frontier = set(reached)
    while frontier:
        frontier = {
            target for state in frontier for target in workflow.transitions()[state]
        } - reached
        reached |= frontier
    assert reached == _choices(workflow)


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.name)
def test_each_step_names_fields_of_its_model_and_one_step_joins_two_states(workflow):
    fields = {field.name for field in _model(workflow)._meta.get_fields()}
    for rule in workflow.rules:
        assert {need.field for need in rule.needs} <= fields, rule.step
    pairs = [(source, rule.into) for rule in workflow.rules for source in rule.sources if rule.into]
    assert len(pairs) == len(set(pairs)), "two steps between the same two states"


def test_every_step_has_exactly_one_row():
    rows = [rule.step for workflow in WORKFLOWS for rule in workflow.rules]
    assert sorted(rows) == sorted(Step)


def test_the_hardship_graph_is_the_documented_lifecycle():
    # docs/design.md §4: reported → verified → filed → aided → closed; reported or verified →
    # rejected; closed and rejected are final.
    assert CASE_WORKFLOW.transitions() == {
        "reported": {"verified", "rejected"},
        "verified": {"filed", "rejected"},
        "filed": {"aided", "closed"},
        "aided": {"closed"},
        "closed": set(),
        "rejected": set(),
    }


# --- the questions, without saving --------------------------------------------------------------


@pytest.mark.django_db
def test_the_table_is_askable_without_saving_and_names_the_rule(ruian_towns):
    town_officer = factories.staff("tw", Role.WELFARE, TOWN)
    county_officer = factories.staff("cw", Role.WELFARE, COUNTY)
    worker = factories.build(Worker, ruian_towns["tangxia"])
    case = HardshipCase.objects.create(worker=worker, level="deep", causes=["illness"])

    with pytest.raises(PermissionDenied) as refused:
        step_check(
            step=Step.CASE_VERIFY, user=town_officer, record=case, data={"verification_note": "x"}
        )
    # The rule itself: who may, from which level, take which step.
    assert str(refused.value) == "只有县(市、区)及以上地区的管理员、帮扶专员可以核实困难职工档案。"
    with pytest.raises(ValidationError) as missing:
        step_check(step=Step.CASE_VERIFY, user=county_officer, record=case)
    assert "verification_note" in missing.value.message_dict
    step_check(
        step=Step.CASE_VERIFY, user=county_officer, record=case, data={"verification_note": "x"}
    )

    assert (
        step_between(workflow=CASE_WORKFLOW, current="reported", wanted="verified")
        == Step.CASE_VERIFY
    )
    for current, wanted in [("reported", "filed"), ("closed", "filed"), ("filed", "verified")]:
        with pytest.raises(ValidationError):  # a skipped step, a way back
            step_between(workflow=CASE_WORKFLOW, current=current, wanted=wanted)

    # A record entered already closed needs the closing date and reason.
    with pytest.raises(ValidationError) as late:
        state_entry_check(
            workflow=CASE_WORKFLOW, state="closed", user=county_officer, data={"filed_on": LONG_AGO}
        )
    assert {"closed_on", "reason"} == set(late.value.message_dict)
    case.refresh_from_db()
    assert (case.status, case.verification_note) == ("reported", "")


# --- every workflow × state × step × role: the services agree with the table ----------------------


def _worker(region: Region, serial: int, name: str = "林美娟") -> Worker:
    return factories.build(
        Worker, region, name=name, id_number=factories.valid_id_number(region.code, serial)
    )


def _case(state: str, region: Region) -> HardshipCase:
    filed = state in ("filed", "aided", "closed")
    return HardshipCase.objects.create(
        worker=_worker(region, 501),
        level="deep",
        causes=["illness"],
        status=state,
        filed_on=LONG_AGO if filed else None,
        closed_on=datetime.date(2021, 1, 1) if state == "closed" else None,
        rejected_on=datetime.date(2021, 1, 1) if state == "rejected" else None,
        reason="x" if state in ("closed", "rejected") else "",
    )


def _dispatch(state: str, region: Region) -> Dispatch:
    return Dispatch.objects.create(
        name="周国庆",
        id_number=factories.valid_id_number(region.code, 502),
        region=region,
        received_on=LONG_AGO,
        due_on=LONG_AGO + datetime.timedelta(days=15),
        status=state,
        answered_on=None if state == DispatchStatus.RECEIVED else LONG_AGO,
        reason="不符合" if state == DispatchStatus.NOT_ELIGIBLE else "",
    )


def _problem(state: str, region: Region) -> ServiceProblem:
    visit = factories.build(ServiceVisit, region, date=LONG_AGO)
    return ServiceProblem.objects.create(
        visit=visit,
        description="设备故障",
        status=state,
        reported_on=LONG_AGO,
        solved_on=LONG_AGO if state == "solved" else None,
    )


def _suggestion(state: str, region: Region) -> Suggestion:
    order = ("accepted", "assigned", "answered", "closed")
    reached = order.index(state)
    return Suggestion.objects.create(
        worker=_worker(region, 511),
        topic="commute",
        text="希望公司牵头组织顺路职工拼车",
        received_on=LONG_AGO,
        addressed_to="刘永跃(省人大代表)",
        status=state,
        accepted_on=LONG_AGO,
        assigned_to="公司工会、行政部" if reached >= 1 else "",
        assigned_on=LONG_AGO if reached >= 1 else None,
        answer="已为90多名职工找到拼车对象" if reached >= 2 else "",
        answered_on=LONG_AGO if reached >= 2 else None,
        closed_on=LONG_AGO if reached >= 3 else None,
        satisfaction="satisfied" if reached >= 3 else "",
    )


def _suggestion_receive(state: str, user: Any, town: Region) -> bool:
    suggestion = suggestion_receive(
        worker=_worker(town, 512),
        topic="commute",
        text="希望组织拼车",
        received_on=LONG_AGO,
        addressed_to="刘永跃",
        user=user,
    )
    return suggestion.pk is not None and suggestion.accepted_on is not None


def _suggestion_to(into: str) -> Callable[[str, Any, Region], bool]:
    def take(state: str, user: Any, town: Region) -> bool:
        suggestion = _suggestion(state, town)
        if into == "assigned":
            suggestion_assign(suggestion=suggestion, user=user, assigned_to="街道总工会")
        elif into == "answered":
            suggestion_answer(suggestion=suggestion, user=user, answer="已答复")
        else:
            suggestion_close(suggestion=suggestion, user=user, satisfaction="basically")
        suggestion.refresh_from_db()
        return state != into and suggestion.status == into

    return take


def _solar(state: str, region: Region) -> SolarProject:
    dates = ("applied_on", "surveyed_on", "agreed_on", "installed_on", "connected_on")
    order = ("applied", "surveyed", "agreed", "installed", "connected")
    reached = order.index(state) + 1
    return SolarProject.objects.create(
        worker=_worker(region, 503),
        stage=state,
        documents=[value for value, _label in SolarDocument.choices],
        **{field: LONG_AGO for field in dates[:reached]},
    )


def _transfer(state: str, from_region: Region, to_region: Region) -> Transfer:
    return Transfer.objects.create(
        worker=_worker(from_region, 504),
        from_region=from_region,
        to_region=to_region,
        status=state,
        started_on=LONG_AGO,
        accepted_on=LONG_AGO if state == TransferStatus.ACCEPTED else None,
    )


def _case_to(into: str) -> Callable[[str, Any, Region], bool]:
    def take(state: str, user: Any, town: Region) -> bool:
        case = _case(state, town)
        hardship_case_transition(
            case=case, to_status=into, user=user, note="入户核实", reason="已就业"
        )
        case.refresh_from_db()
        return case.status == into and case.events.filter(to_status=into).exists()

    return take


def _report(state: str, user: Any, town: Region) -> bool:
    case = hardship_case_report(
        worker=_worker(town, 505), level="deep", causes=["illness"], user=user
    )
    return case.pk is not None


def _aid(state: str, user: Any, town: Region) -> bool:
    case = _case(state, town)
    assistance_grant_create(
        case=case,
        kind="living",
        amount=Decimal("500"),
        granted_on=datetime.date(2020, 6, 1),
        user=user,
    )
    case.refresh_from_db()
    return case.status == CaseStatus.AIDED and AssistanceGrant.objects.filter(case=case).exists()


def _review(state: str, user: Any, town: Region) -> bool:
    case = _case(state, town)
    hardship_case_review(case=case, user=user)
    case.refresh_from_db()
    return case.last_reviewed_on is not None


def _receive(state: str, user: Any, town: Region) -> bool:
    dispatch_receive(
        name="周国庆",
        id_number=factories.valid_id_number(town.code, 506),
        region=town,
        received_on=LONG_AGO,
        user=user,
    )
    return Dispatch.objects.exists()


def _confirm(state: str, user: Any, town: Region) -> bool:
    dispatch = _dispatch(state, town)
    dispatch_confirm(dispatch=dispatch, user=user, level="relative")
    dispatch.refresh_from_db()
    return dispatch.status == DispatchStatus.CONFIRMED and dispatch.case_id is not None


def _not_eligible(state: str, user: Any, town: Region) -> bool:
    dispatch = _dispatch(state, town)
    dispatch_reject(dispatch=dispatch, user=user, reason="收入超标")
    dispatch.refresh_from_db()
    return dispatch.status == DispatchStatus.NOT_ELIGIBLE and dispatch.reason == "收入超标"


def _problem_report(state: str, user: Any, town: Region) -> bool:
    visit = factories.build(ServiceVisit, town, date=LONG_AGO)
    problem = service_problem_save(
        problem=ServiceProblem(visit=visit, description="缺工"), user=user
    )
    return problem.pk is not None


def _problem_to(into: str) -> Callable[[str, Any, Region], bool]:
    def take(state: str, user: Any, town: Region) -> bool:
        problem = _problem(state, town)
        service_problem_transition(problem=problem, to_status=into, user=user)
        problem.refresh_from_db()
        # A step changes the status: staying where it was is not the step taken.
        return state != into and problem.status == into

    return take


def _apply(state: str, user: Any, town: Region) -> bool:
    solar_project_apply(worker=_worker(town, 507), applied_on=LONG_AGO, user=user)
    return SolarProject.objects.exists()


def _advance_to(into: str) -> Callable[[str, Any, Region], bool]:
    def take(state: str, user: Any, town: Region) -> bool:
        project = _solar(state, town)
        solar_project_advance(project=project, user=user)
        project.refresh_from_db()
        return project.stage == into

    return take


def _income(state: str, user: Any, town: Region) -> bool:
    project = _solar(state, town)
    solar_income_record(project=project, year=2024, income=Decimal("1500"), user=user)
    return SolarIncome.objects.filter(project=project).exists()


def _start(state: str, user: Any, town: Region) -> bool:
    transfer_start(
        worker=_worker(town, 508), to_region=Region.objects.get(code=OTHER_COUNTY), user=user
    )
    return Transfer.objects.exists()


def _accept(state: str, user: Any, town: Region) -> bool:
    # A worker of another county coming to the users' county.
    transfer = _transfer(
        state, Region.objects.get(code=OTHER_COUNTY), Region.objects.get(code=COUNTY)
    )
    transfer_accept(transfer=transfer, user=user)
    transfer.refresh_from_db()
    return transfer.status == TransferStatus.ACCEPTED and transfer.accepted_by == user


def _cancel(state: str, user: Any, town: Region) -> bool:
    transfer = _transfer(state, town, Region.objects.get(code=OTHER_COUNTY))
    transfer_cancel(transfer=transfer, user=user)
    transfer.refresh_from_db()
    return transfer.status == TransferStatus.CANCELLED


def _merge(state: str, user: Any, town: Region) -> bool:
    keep, duplicate = _worker(town, 509, "王强"), _worker(town, 510, "王强")
    worker_merge(keep=keep, duplicate=duplicate, user=user)
    return not Worker.objects.filter(pk=duplicate.pk).exists()


# How each step is taken through its service, on a record in a given state (creating steps
# create the record). Every step of the table must be here.
TAKERS: dict[Step, Callable[[str, Any, Region], bool]] = {
    Step.CASE_REPORT: _report,
    Step.CASE_VERIFY: _case_to("verified"),
    Step.CASE_FILE: _case_to("filed"),
    Step.CASE_AID: _aid,
    Step.CASE_CLOSE: _case_to("closed"),
    Step.CASE_REJECT: _case_to("rejected"),
    Step.CASE_REVIEW: _review,
    Step.DISPATCH_RECEIVE: _receive,
    Step.DISPATCH_CONFIRM: _confirm,
    Step.DISPATCH_REJECT: _not_eligible,
    Step.PROBLEM_REPORT: _problem_report,
    Step.PROBLEM_START: _problem_to("in_progress"),
    Step.PROBLEM_REOPEN: _problem_to("open"),
    Step.PROBLEM_SOLVE: _problem_to("solved"),
    Step.SUGGESTION_ACCEPT: _suggestion_receive,
    Step.SUGGESTION_ASSIGN: _suggestion_to("assigned"),
    Step.SUGGESTION_ANSWER: _suggestion_to("answered"),
    Step.SUGGESTION_CLOSE: _suggestion_to("closed"),
    Step.SOLAR_APPLY: _apply,
    Step.SOLAR_SURVEY: _advance_to("surveyed"),
    Step.SOLAR_AGREE: _advance_to("agreed"),
    Step.SOLAR_INSTALL: _advance_to("installed"),
    Step.SOLAR_CONNECT: _advance_to("connected"),
    Step.SOLAR_INCOME: _income,
    Step.TRANSFER_START: _start,
    Step.TRANSFER_ACCEPT: _accept,
    Step.TRANSFER_CANCEL: _cancel,
    Step.WORKER_MERGE: _merge,
}


def test_every_step_of_the_table_is_walked_through_its_service():
    assert set(TAKERS) == set(Step)


def _walk() -> list[tuple[Step, str]]:
    """Every step from every state of its workflow: a creating step from NEW (it makes its
    record), any other step from each of the model's statuses (or once, for a stateless one)."""
    cases = []
    for step in Step:
        workflow, rule = WORKFLOW_OF[step], RULE[step]
        if NEW in rule.sources:
            cases.append((step, NEW))
        elif workflow.state_field is None:
            cases.append((step, ""))
        else:
            cases += [(step, state) for state in sorted(_choices(workflow))]
    return cases


class _Undo(Exception):
    pass


@pytest.mark.django_db
@pytest.mark.parametrize(("step", "state"), _walk(), ids=lambda v: str(v) or "-")
def test_the_service_takes_a_step_exactly_where_the_table_allows_it(ruian_towns, step, state):
    town = ruian_towns["tangxia"]
    rule = RULE[step]
    users = {
        (role, level): factories.staff(f"{role}_{level}", role, code)
        for role in Role
        for level, code in (("town", TOWN), ("county", COUNTY))
    }
    users[("superuser", "province")] = factories.superuser()
    for (role, level), user in users.items():
        expected = step_allowed(user, step) and (
            WORKFLOW_OF[step].state_field is None or state in rule.sources
        )
        taken = False
        try:
            with transaction.atomic():
                try:
                    taken = TAKERS[step](state, user, town)
                except (PermissionDenied, ValidationError):
                    taken = False
                raise _Undo
        except _Undo:
            pass
        assert taken == expected, f"{step} from “{state}” by {role} of a {level}"
