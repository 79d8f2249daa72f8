"""One rule per entity, both paths (issue #14): every rule a service or an admin form enforces on
a case-work record is asked, without saving, by the service, the admin form and the sheet import
alike, and each path refuses a change that breaks it with the same words; the sheet's refusal
names the column.

Generated, not listed: from the step table (base/steps.py), for every workflow whose records a
sheet writes, every state × every datum the step into it needs (a new row entering that state),
every pair of states (a row changing a stored record: the step between them with each of its
data, or no step at all — a skipped step or a way back) and every step an importing role may not
take. The rules that are not steps (an expert holds an honour, one open case per worker, …) are
found in the services' source: a new `raise ValidationError(...)` in a domain service without a
row in NAMED (its three paths) or NO_SHEET (why no sheet can break it) fails, as does a sheet
type writing a workflow's records without being proven here.
"""

from __future__ import annotations

import ast
import datetime
import inspect
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from base import steps
from base.models import Level
from base.roles import Role
from base.steps import NEW, RULE, WORKFLOW, WORKFLOWS, Need, Step, Workflow, step_allowed
from programs import services as programs_services
from programs.admin import ServiceProblemForm, SuggestionForm
from programs.models import ServiceProblem, ServiceVisit, Suggestion
from programs.services import service_problem_save, suggestion_save
from sheets.fields import Choice
from sheets.resources import all_resources
from sheets.selectors import can_import
from sheets.services import import_job_create, import_job_execute
from tests import clock, factories
from tests.sheetfiles import xlsx
from welfare import services as welfare_services
from welfare.admin import HardshipCaseForm, HardshipCaseStepForm
from welfare.models import AssistanceGrant, CaseStatus, HardshipCase
from welfare.services import (
    hardship_case_record,
    hardship_case_transition,
)
from workforce.models import Honour, HonourKind, HonourTitle, Worker

pytestmark = pytest.mark.django_db

COUNTY, TOWN = "330381", "330381101"  # 瑞安市, its 塘下镇
# The sheet type that writes each workflow's records with their state column.
SHEETS = {
    "hardship_case": "hardship-cases",
    "service_problem": "service-problems",
    "suggestion": "suggestions",
}
# Workflows a sheet writes without a state column: the one step its rows take.
STATELESS_SHEETS = {"dispatches": Step.DISPATCH_RECEIVE, "grants": Step.CASE_AID}
# A value for every field a step needs, in the order a record's life gives them.
VALUES: dict[str, Any] = {
    "verification_note": "入户核实属实",
    "filed_on": datetime.date(2024, 1, 5),
    "rejected_on": datetime.date(2024, 2, 1),
    "closed_on": datetime.date(2024, 6, 1),
    "reason": "已稳定就业",
    "solved_on": datetime.date(2025, 5, 1),
    "accepted_on": datetime.date(2024, 1, 10),
    "assigned_to": "公司工会、行政部",
    "assigned_on": datetime.date(2024, 2, 1),
    "answer": "已为职工找到拼车对象",
    "answered_on": datetime.date(2024, 3, 1),
    "satisfaction": "satisfied",
}
# A suggestion's own columns, the same on every path (the worker is env.worker).
SUGGESTION: dict[str, Any] = {
    "topic": "commute",
    "text": "希望公司牵头组织顺路职工拼车",
    "received_on": datetime.date(2024, 1, 2),
    "addressed_to": "省人大代表刘永跃",
}
# Workflows whose service takes an undated step today (the sheet, which holds history, must
# give the date): service_problem_save. The hardship services are told the date or take today.
SERVICE_DATES_ENTRY = {"service_problem", "suggestion"}


# --- the records, the users, the three paths per workflow ---------------------------------------


@pytest.fixture
def env(ruian_towns, monkeypatch):
    clock.freeze(monkeypatch, clock.A_WORKING_DAY)
    return Env(ruian_towns)


class Env:
    def __init__(self, towns: dict[str, Any]) -> None:
        self.towns = towns
        self.worker = factories.build(Worker, towns["tangxia"], name="林美娟")
        self.visit = factories.build(
            ServiceVisit,
            towns["tangxia"],
            title="劳模工匠助企行·塘下站",
            date=datetime.date(2025, 4, 10),
        )
        self.users = {
            "county_welfare": factories.staff("ra_welfare", Role.WELFARE, COUNTY),
            "town_welfare": factories.staff("tx_welfare", Role.WELFARE, TOWN),
            "county_clerk": factories.staff("ra_clerk", Role.CLERK, COUNTY),
            "town_clerk": factories.staff("tx_clerk", Role.CLERK, TOWN),
        }
        self.user = self.users["county_welfare"]


def state_data(workflow: Workflow, state: str) -> dict[str, Any]:
    """The data a record holds in `state`: every field the steps leading there need (the
    shortest way from a new record)."""
    paths: dict[str, list[Step]] = {NEW: []}
    queue = deque([NEW])
    while queue:
        current = queue.popleft()
        for rule in workflow.steps_from(current):
            if rule.into is not None and rule.into not in paths:
                paths[rule.into] = [*paths[current], rule.step]
                queue.append(rule.into)
    return {need.field: VALUES[need.field] for step in paths[state] for need in RULE[step].needs}


def stored(env: Env, workflow: Workflow, state: str) -> Any:
    """A record already standing in `state` (as an older import or the admin left it)."""
    data = state_data(workflow, state)
    if workflow.name == "suggestion":
        return Suggestion.objects.create(worker=env.worker, status=state, **SUGGESTION, **data)
    if workflow.name == "hardship_case":
        return HardshipCase.objects.create(
            worker=env.worker, level="relative", causes=["illness"], status=state, **data
        )
    return ServiceProblem.objects.create(
        visit=env.visit, description="数控机床精度下降", status=state, **data
    )


def sheet_errors(env: Env, workflow: Workflow, state: str, data: dict[str, Any], user: Any = None):
    """Import one row entering or moving a record into `state` with `data`; the refusals as
    (row, column, message)."""
    resource = all_resources()[SHEETS[workflow.name]]
    status = resource.sheet_fields()["status"].widget.render(state)
    fields = {name: field.attribute for name, field in resource.sheet_fields().items()}
    if workflow.name == "suggestion":
        header = ["职工姓名", "身份证号", "所属地区", "建议类别", "建议内容", "收到日期"]
        header += ["人大代表或委员会", "办理状态"]
        row = [env.worker.name, env.worker.id_number, "塘下镇", "通勤", SUGGESTION["text"]]
        row += [SUGGESTION["received_on"].isoformat(), SUGGESTION["addressed_to"], status]
    elif workflow.name == "hardship_case":
        header = ["姓名", "身份证号", "所属地区", "困难类型", "致困原因", "状态"]
        row = [env.worker.name, env.worker.id_number, "塘下镇", "相对", "大病", status]
    else:
        header = ["活动名称", "服务日期", "所属地区", "难题描述", "状态"]
        row = [env.visit.title, env.visit.date.isoformat(), "塘下镇", "数控机床精度下降", status]
    for name, attribute in fields.items():
        if attribute in VALUES:
            header.append(resource.sheet_fields()[name].header)
            value = data.get(attribute)
            widget = resource.sheet_fields()[name].widget
            if isinstance(widget, Choice):
                value = widget.render(value) or None
            row.append(value.isoformat() if isinstance(value, datetime.date) else value)
    return import_rows(user or env.user, SHEETS[workflow.name], [header, row])


def import_rows(user: Any, resource: str, rows: list[list[Any]]) -> list[tuple[int, str, str]]:
    job = import_job_create(user=user, resource_name=resource, file_name="s.xlsx", data=xlsx(rows))
    job = import_job_execute(job=job, dry_run=False, user=user)
    return [(e["row"], e["column"], e["message"]) for e in job.report["errors"]]


def refusal(call: Callable[[], Any]) -> str | None:
    """What a service says refusing (None: it did what was asked), leaving nothing behind."""
    try:
        with transaction.atomic():
            call()
            transaction.set_rollback(True)
    except (ValidationError, PermissionDenied) as error:
        return " ".join(getattr(error, "messages", [str(error)]))
    return None


def service_entry(env: Env, workflow: Workflow, state: str, data: dict[str, Any], user: Any):
    if workflow.name == "suggestion":
        item = Suggestion(worker=env.worker, status=state, **SUGGESTION, **data)
        return refusal(lambda: suggestion_save(suggestion=item, user=user))
    if workflow.name == "hardship_case":
        case = HardshipCase(
            worker=env.worker, level="relative", causes=["illness"], status=state, **data
        )
        return refusal(lambda: hardship_case_record(case=case, user=user))
    problem = ServiceProblem(visit=env.visit, description="焊接变形", status=state, **data)
    return refusal(lambda: service_problem_save(problem=problem, user=user))


def form_entry(env: Env, workflow: Workflow, state: str, data: dict[str, Any], user: Any):
    values = {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in data.items()}
    if workflow.name == "suggestion":
        suggestion_form: Any = type("F", (SuggestionForm,), {"user": user})
        form = suggestion_form(data={**suggestion_form_data(env), "status": state, **values})
        return (
            None if form.is_valid() else " ".join(str(m) for e in form.errors.values() for m in e)
        )
    if workflow.name == "hardship_case":
        form_class: Any = type("F", (HardshipCaseForm,), {"user": user})
        form = form_class(
            data={
                "worker": env.worker.pk,
                "level": "relative",
                "causes": ["illness"],
                "source": "grassroots",
                "status": state,
                **values,
            }
        )
    else:
        form_class = type("F", (ServiceProblemForm,), {"user": user})
        form = form_class(
            data={"description": "焊接变形", "status": state, **values},
            instance=ServiceProblem(visit=env.visit),
        )
    return None if form.is_valid() else " ".join(str(m) for e in form.errors.values() for m in e)


def suggestion_form_data(env: Env) -> dict[str, Any]:
    return {
        "worker": env.worker.pk,
        **SUGGESTION,
        "received_on": SUGGESTION["received_on"].isoformat(),
    }


def service_move(env: Env, workflow: Workflow, record: Any, state: str, data: dict[str, Any]):
    if workflow.name == "suggestion":
        previous = record.status
        record.status = state
        for name, value in data.items():
            setattr(record, name, value)
        return refusal(
            lambda: suggestion_save(suggestion=record, user=env.user, previous_status=previous)
        )
    if workflow.name == "hardship_case":
        return refusal(
            lambda: hardship_case_transition(
                case=record,
                to_status=state,
                user=env.user,
                on=data.get("filed_on") or data.get("closed_on") or data.get("rejected_on"),
                reason=data.get("reason", ""),
                note=data.get("verification_note", ""),
            )
        )
    previous = record.status
    record.status = state
    record.solved_on = data.get("solved_on")
    return refusal(
        lambda: service_problem_save(
            problem=record, user=env.user, previous_status=previous, previous_expert_id=None
        )
    )


def form_move(env: Env, workflow: Workflow, record: Any, state: str, data: dict[str, Any]):
    if workflow.name == "suggestion":
        values = {
            k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in data.items()
        }
        suggestion_form: Any = type("F", (SuggestionForm,), {"user": env.user})
        form = suggestion_form(
            instance=record, data={**suggestion_form_data(env), "status": state, **values}
        )
        return (
            None if form.is_valid() else " ".join(str(m) for e in form.errors.values() for m in e)
        )
    if workflow.name == "hardship_case":
        form_class: Any = type("F", (HardshipCaseStepForm,), {"user": env.user})
        closing = state in (CaseStatus.CLOSED, CaseStatus.REJECTED)
        note = data.get("reason" if closing else "verification_note", "")
        day = data.get("filed_on") or data.get("closed_on") or data.get("rejected_on")
        form = form_class(
            instance=record,
            data={
                "worker": env.worker.pk,
                "level": "relative",
                "causes": ["illness"],
                "source": "grassroots",
                "next_step": state,
                "step_note": note,
                "step_on": day.isoformat() if day else "",
            },
        )
    else:
        form_class = type("F", (ServiceProblemForm,), {"user": env.user})
        solved = data.get("solved_on")
        form = form_class(
            instance=record,
            initial={"expert": None},
            data={
                "description": record.description,
                "status": state,
                "solved_on": solved.isoformat() if solved else "",
            },
        )
    return None if form.is_valid() else " ".join(str(m) for e in form.errors.values() for m in e)


# --- the generated table ------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    workflow: str
    state: str
    need: Need

    def __str__(self) -> str:
        return f"{self.workflow}:{self.state}-without-{self.need.field}"


@dataclass(frozen=True)
class Move:
    workflow: str
    current: str
    wanted: str
    need: Need | None  # None: the move itself (allowed with all its data, or no step at all)

    def __str__(self) -> str:
        return f"{self.workflow}:{self.current}->{self.wanted}" + (
            f"-without-{self.need.field}" if self.need else ""
        )


def entries() -> list[Entry]:
    return [
        Entry(name, state, need)
        for name in SHEETS
        for state in sorted(WORKFLOW[name].states())
        for need in WORKFLOW[name].step_into(state).needs
    ]


def addresses(workflow: Workflow, current: str, wanted: str) -> bool:
    """Whether a row for `wanted` carrying the stored record's data is that record by the
    sheet's natural key: a hardship row is the worker's open case, or the case filed on its
    建档日期; a row dated for filing is not a rejected (never filed) case but a new one."""
    if workflow.name != "hardship_case" or current in welfare_services.OPEN_STATUSES:
        return True
    row = {**state_data(workflow, wanted), **state_data(workflow, current)}
    return row.get("filed_on") == state_data(workflow, current).get("filed_on")


def moves() -> list[Move]:
    found = []
    for name in SHEETS:
        workflow = WORKFLOW[name]
        for current in sorted(workflow.states()):
            for wanted in sorted(workflow.states() - {current}):
                if not addresses(workflow, current, wanted):
                    continue  # a new record: test_a_rejected_case_is_not_filed_again_by_a_row
                found.append(Move(name, current, wanted, None))
                step = next((r for r in workflow.steps_from(current) if r.into == wanted), None)
                for need in step.needs if step else ():
                    found.append(Move(name, current, wanted, need))
    return found


def test_every_workflow_a_sheet_writes_is_proven_here():
    for name, resource in all_resources().items():
        for workflow in WORKFLOWS:
            if resource.model._meta.label != workflow.model or workflow.state_field is None:
                continue  # (a merge has no state: no sheet merges records)
            attributes = {field.attribute for field in resource.sheet_fields().values()}
            if workflow.state_field in attributes:
                assert SHEETS.get(workflow.name) == name, f"{name} writes {workflow.name}"
            else:
                assert name in STATELESS_SHEETS, f"{name} writes {workflow.name}'s records"
    # Every field a step of a proven workflow needs is a column of its sheet, with a value here.
    for name, sheet in SHEETS.items():
        attributes = {f.attribute for f in all_resources()[sheet].sheet_fields().values()}
        for rule in WORKFLOW[name].rules:
            # (A step that keeps the state — the annual review — has no sheet: NO_SHEET.)
            for need in rule.needs if rule.into is not None else ():
                assert need.field in VALUES and need.field in attributes, (rule.step, need)


@pytest.mark.parametrize("case", entries(), ids=str)
def test_a_record_entered_without_the_data_its_state_needs_is_refused_on_every_path(env, case):
    workflow = WORKFLOW[case.workflow]
    resource = all_resources()[SHEETS[case.workflow]]
    data = state_data(workflow, case.state)
    without = {k: v for k, v in data.items() if k != case.need.field}
    message = str(case.need.message)

    errors = sheet_errors(env, workflow, case.state, without)
    assert errors and errors[0][:2] == (2, resource.header_for(case.need.field)), errors
    assert message in errors[0][2]
    assert not workflow_records(workflow).exists()

    if case.need.dated and case.workflow in SERVICE_DATES_ENTRY:
        # The service and the form take an undated step today; a sheet holds history.
        assert service_entry(env, workflow, case.state, without, env.user) is None
        assert form_entry(env, workflow, case.state, without, env.user) is None
    else:
        assert message in (service_entry(env, workflow, case.state, without, env.user) or "")
        assert message in (form_entry(env, workflow, case.state, without, env.user) or "")
    # With its data, every path enters it.
    assert service_entry(env, workflow, case.state, data, env.user) is None
    assert form_entry(env, workflow, case.state, data, env.user) is None
    assert sheet_errors(env, workflow, case.state, data) == []


def workflow_records(workflow: Workflow) -> Any:
    if workflow.name == "suggestion":
        return Suggestion.objects
    return HardshipCase.objects if workflow.name == "hardship_case" else ServiceProblem.objects


@pytest.mark.parametrize("case", moves(), ids=str)
def test_a_change_of_state_is_one_step_with_its_data_on_every_path(env, case):
    workflow = WORKFLOW[case.workflow]
    resource = all_resources()[SHEETS[case.workflow]]
    state_column = resource.header_for(workflow.state_field or "")
    step = next((r for r in workflow.steps_from(case.current) if r.into == case.wanted), None)
    record = stored(env, workflow, case.current)
    # The row holds the record's data and what the wanted state needs.
    data = {**state_data(workflow, case.current), **state_data(workflow, case.wanted)}
    if step is not None:
        data = {
            k: v
            for k, v in data.items()
            if k in state_data(workflow, case.current) or any(n.field == k for n in step.needs)
        }
    if case.need is not None:
        data.pop(case.need.field)

    errors = sheet_errors(env, workflow, case.wanted, data)
    record.refresh_from_db()
    if step is None:
        assert [e[:2] for e in errors] == [(2, state_column)], errors
        assert record.status == case.current
        assert service_move(env, workflow, record, case.wanted, data)
        record.refresh_from_db()
        assert form_move(env, workflow, record, case.wanted, data)
        return
    if case.need is None:
        assert errors == []
        assert getattr(record, workflow.state_field or "") == case.wanted
        return
    message = str(case.need.message)
    assert errors and errors[0][:2] == (2, resource.header_for(case.need.field)), errors
    assert message in errors[0][2]
    assert record.status == case.current
    if case.need.field in state_data(workflow, case.current):
        return  # the record holds it: only a row can take it away
    if case.need.dated:
        # The service and the form date the step today (a sheet must give the day).
        assert service_move(env, workflow, record, case.wanted, data) is None
        return
    assert message in (service_move(env, workflow, record, case.wanted, data) or "")
    record.refresh_from_db()
    assert message in (form_move(env, workflow, record, case.wanted, data) or "")


def refused_steps() -> list[tuple[str, str, str]]:
    """(workflow, state, user) where an importing user may not take the step into the state."""
    found = []
    for name in SHEETS:
        workflow = WORKFLOW[name]
        for state in sorted(workflow.states()):
            rule = workflow.step_into(state)
            for user in ("county_welfare", "town_welfare", "county_clerk", "town_clerk"):
                level, role = user.split("_")
                narrow = level == "town"
                allowed_role = {"welfare": Role.WELFARE, "clerk": Role.CLERK}[role] in rule.roles
                if allowed_role and not (narrow and rule.narrowest != steps.TOWN):
                    continue
                found.append((name, state, user))
    return found


@pytest.mark.parametrize(("workflow_name", "state", "user"), refused_steps())
def test_a_step_the_importing_role_may_not_take_is_refused_on_every_path(
    env, workflow_name, state, user
):
    workflow = WORKFLOW[workflow_name]
    who = env.users[user]
    resource = all_resources()[SHEETS[workflow_name]]
    rule = workflow.step_into(state)
    assert not step_allowed(who, rule.step)
    data = state_data(workflow, state)
    if can_import(who, resource):  # (one who may not import at all is refused the whole sheet)
        errors = sheet_errors(env, workflow, state, data, user=who)
        assert [e[:2] for e in errors] == [(2, resource.header_for("status"))], errors
    assert service_entry(env, workflow, state, data, who)
    assert form_entry(env, workflow, state, data, who)


# --- the rules that are not steps ---------------------------------------------------------------


def craftsman(env: Env) -> Worker:
    person = factories.build(Worker, env.towns["tangxia"], name="王工匠")
    title = HonourTitle.objects.create(
        name="瑞安工匠", level=Level.COUNTY, kind=HonourKind.CRAFTSMAN
    )
    Honour.objects.create(worker=person, title=title, year=2023)
    return person


def problem_rows(env: Env, expert: Worker, status: str = "待解决") -> list[list[Any]]:
    header = ["活动名称", "服务日期", "所属地区", "难题描述", "专家姓名", "专家身份证号", "状态"]
    row = [env.visit.title, env.visit.date.isoformat(), "塘下镇", "焊接变形"]
    return [header, [*row, expert.name, expert.id_number, status]]


def expert_paths(env: Env, expert: Worker) -> tuple[str | None, str | None, list[Any]]:
    problem = service_problem_save(
        problem=ServiceProblem(visit=env.visit, description="焊接变形"), user=env.user
    )
    service = refusal(
        lambda: programs_services.service_problem_assign(
            problem=problem, expert=expert, user=env.user
        )
    )
    problem.refresh_from_db()
    form_class: Any = type("F", (ServiceProblemForm,), {"user": env.user})
    form = form_class(
        instance=problem,
        initial={"expert": None},
        data={"description": problem.description, "status": "open", "expert": expert.pk},
    )
    form_says = None if form.is_valid() else " ".join(m for e in form.errors.values() for m in e)
    problem.delete()
    return service, form_says, import_rows(env.user, "service-problems", problem_rows(env, expert))


def one_open_case_paths(env: Env, open_state: str) -> tuple[str | None, str | None, list[Any]]:
    """A worker with an open case in `open_state`; another case entered as filed on another
    day, by the service, the admin form and a sheet row."""
    stored(env, WORKFLOW["hardship_case"], open_state)
    other = {"verification_note": "属实", "filed_on": datetime.date(2024, 9, 1)}
    workflow = WORKFLOW["hardship_case"]
    return (
        service_entry(env, workflow, CaseStatus.FILED, other, env.user),
        form_entry(env, workflow, CaseStatus.FILED, other, env.user),
        sheet_errors(env, workflow, CaseStatus.FILED, other),
    )


@dataclass(frozen=True)
class Named:
    """A rule of a service that is no step: its three paths and what each must answer."""

    paths: Callable[[Env], tuple[str | None, str | None, list[Any]]]
    column: str  # the column the sheet's refusal names
    # The sheet says this instead of the rule's own words (None: the rule's own words).
    sheet_says: str | None = None


NAMED: dict[str, Named] = {
    "The expert must be a model worker or craftsman on the register.": Named(
        lambda env: expert_paths(env, factories.build(Worker, env.towns["tangxia"], name="张三")),
        "专家姓名",
    ),
    "This worker already has an open case filed on %(date)s: a worker has one open case at a "
    "time.": Named(lambda env: one_open_case_paths(env, CaseStatus.AIDED), "建档日期"),
    # The row is the worker's open case (not yet filed), which a row cannot file before it is
    # verified: the sheet refuses the skipped step.
    "This worker already has an open case not yet filed: a worker has one open case at a "
    "time.": Named(
        lambda env: one_open_case_paths(env, CaseStatus.REPORTED),
        "状态",
        sheet_says="A record cannot go from “%(current)s” to “%(wanted)s”.",
    ),
}
# Rules of the services no sheet can break, and why.
NO_SHEET = {
    "Only the receiving county accepts a transfer.": "no sheet writes transfers",
    "Only the sending county cancels a transfer.": "no sheet writes transfers",
    "Choose two different records to merge.": "no sheet merges records",
    "%(a)s and %(b)s have different names: they are not the same person.": "no sheet merges",
    "Both records hold a %(thing)s that cannot be combined (%(record)s); settle it first.": (
        "no sheet merges records"
    ),
    "A review cannot predate the filing.": "the hardship sheet has no review column",
    "This installation is already grid-connected.": "no sheet writes solar projects",
    "This enterprise is outside your region.": (
        "the alliance-members and job-fair-enterprises sheets look enterprises up among those "
        "the importer may refer to (sheets.lookups): another region's is not found, as in the "
        "admin's choices"
    ),
    "Only an industry-wide agreement lists the enterprises it covers.": (
        "no sheet lists a wage agreement's enterprises (the admin does)"
    ),
    "An enterprise the agreement lists is outside your region.": (
        "no sheet lists a wage agreement's enterprises (the admin does)"
    ),
    "Only the province's administrators keep the benefit rules.": "no sheet writes benefit rules",
    "Only the counselling officers keep the counselling records.": (
        "the same permissions stop the other paths first: the admin's add and change rights and "
        "the sheets' can_import (welfare/tests/test_counselling.py imports as an administrator)"
    ),
}


def service_rules() -> set[str]:
    """The message of every `raise ValidationError/PermissionDenied(...)` in a domain service."""
    from programs import services as programs
    from workforce import services as workforce

    found = set()
    for module in (workforce, programs, welfare_services):
        tree = ast.parse(inspect.getsource(module))
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                if ast.unparse(node.exc.func) not in ("ValidationError", "PermissionDenied"):
                    continue
                for call in ast.walk(node.exc):
                    if isinstance(call, ast.Call) and ast.unparse(call.func) == "_":
                        found.add(ast.literal_eval(call.args[0]))
    return found


def test_every_rule_a_service_raises_is_proven_on_every_path_or_has_no_sheet():
    assert service_rules() == NAMED.keys() | NO_SHEET.keys()


@pytest.mark.parametrize("message", sorted(NAMED))
def test_a_rule_that_is_no_step_is_refused_alike_by_service_form_and_sheet(env, message):
    from django.utils.translation import gettext

    rule = NAMED[message]
    words = gettext(message).split("%")[0]
    service, form, sheet = rule.paths(env)
    assert service and words in service
    assert form and words in form
    assert [error[:2] for error in sheet] == [(2, rule.column)], sheet
    assert gettext(rule.sheet_says or message).split("%")[0] in sheet[0][2]


def test_a_craftsman_is_accepted_as_expert_on_every_path(env):
    assert expert_paths(env, craftsman(env)) == (None, None, [])


def test_a_sheet_files_the_workers_open_case_instead_of_adding_a_second(env):
    workflow = WORKFLOW["hardship_case"]
    case = stored(env, workflow, CaseStatus.VERIFIED)
    assert sheet_errors(env, workflow, CaseStatus.FILED, state_data(workflow, "filed")) == []
    case.refresh_from_db()
    assert (case.status, case.filed_on) == (CaseStatus.FILED, VALUES["filed_on"])
    assert HardshipCase.objects.count() == 1
    # The step is on its timeline, by the importing officer.
    event = case.events.get()
    assert (event.from_status, event.to_status, event.user) == ("verified", "filed", env.user)


def test_a_rejected_case_is_not_filed_again_by_a_row_but_a_new_case_is_entered(env):
    workflow = WORKFLOW["hardship_case"]
    rejected = stored(env, workflow, CaseStatus.REJECTED)
    assert sheet_errors(env, workflow, CaseStatus.FILED, state_data(workflow, "filed")) == []
    rejected.refresh_from_db()
    assert rejected.status == CaseStatus.REJECTED
    assert HardshipCase.objects.filter(status=CaseStatus.FILED).count() == 1


def test_undoing_a_sheet_that_moved_cases_removes_their_timeline_lines(env):
    from sheets.services import import_job_undo

    workflow = WORKFLOW["hardship_case"]
    case = stored(env, workflow, CaseStatus.VERIFIED)
    header_and_row = xlsx_rows_for(env, CaseStatus.FILED, state_data(workflow, "filed"))
    job = import_job_create(
        user=env.user, resource_name="hardship-cases", file_name="c.xlsx", data=header_and_row
    )
    job = import_job_execute(job=job, dry_run=False, user=env.user)
    assert case.events.count() == 1
    import_job_undo(job=job, user=env.user)
    case.refresh_from_db()
    assert (case.status, case.filed_on, case.events.count()) == (CaseStatus.VERIFIED, None, 0)


def test_a_grants_sheet_aids_its_cases_by_the_importing_user_and_undo_takes_it_back(env):
    from sheets.services import import_job_undo

    case = stored(env, WORKFLOW["hardship_case"], CaseStatus.FILED)
    other = factories.build(Worker, env.towns["tangxia"], name="陈立")
    second = HardshipCase.objects.create(
        worker=other, level="deep", causes=["illness"], status="filed", filed_on=VALUES["filed_on"]
    )
    header = ["姓名", "身份证号", "帮扶类型", "金额(元)", "发放日期"]
    rows = [
        [env.worker.name, env.worker.id_number, "生活", "800", "2024-05-01"],
        [env.worker.name, env.worker.id_number, "医疗", "1200", "2024-03-01"],
        [other.name, other.id_number, "生活", "500", "2024-04-01"],
    ]
    job = import_job_create(
        user=env.user, resource_name="grants", file_name="g.xlsx", data=xlsx([header, *rows])
    )
    job = import_job_execute(job=job, dry_run=False, user=env.user)
    assert job.report["errors"] == []
    for record, first in ((case, datetime.date(2024, 3, 1)), (second, datetime.date(2024, 4, 1))):
        record.refresh_from_db()
        event = record.events.get()
        assert (record.status, event.on, event.user) == (CaseStatus.AIDED, first, env.user)
    import_job_undo(job=job, user=env.user)
    for record in (case, second):
        record.refresh_from_db()
        assert (record.status, record.events.count()) == (CaseStatus.FILED, 0)
    assert not AssistanceGrant.objects.exists()


def test_a_problem_sheet_recounts_its_visit_and_undo_restores_the_declared_counts(env):
    from sheets.services import import_job_undo

    ServiceVisit.objects.filter(pk=env.visit.pk).update(problems_collected=9, problems_solved=4)
    expert = craftsman(env)
    job = import_job_create(
        user=env.user,
        resource_name="service-problems",
        file_name="p.xlsx",
        data=xlsx(problem_rows(env, expert)),
    )
    job = import_job_execute(job=job, dry_run=False, user=env.user)
    env.visit.refresh_from_db()
    assert (env.visit.problems_collected, env.visit.problems_solved) == (1, 0)
    import_job_undo(job=job, user=env.user)
    env.visit.refresh_from_db()
    assert (env.visit.problems_collected, env.visit.problems_solved) == (9, 4)


def xlsx_rows_for(env: Env, state: str, data: dict[str, Any]) -> bytes:
    resource = all_resources()["hardship-cases"]
    status = resource.sheet_fields()["status"].widget.render(state)
    header = [
        "姓名",
        "身份证号",
        "所属地区",
        "困难类型",
        "致困原因",
        "状态",
        "建档日期",
        "核实情况",
    ]
    filed = data.get("filed_on")
    row = [env.worker.name, env.worker.id_number, "塘下镇", "相对", "大病", status]
    return xlsx([header, [*row, filed.isoformat() if filed else "", data.get("verification_note")]])


def test_the_side_effects_of_a_sheet_cost_no_query_per_row(env):
    """Moving 3 or 12 cases by sheet (each step asked of the table with the importing user's
    role, each with its timeline line) takes as many queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    workflow = WORKFLOW["hardship_case"]
    filed = state_data(workflow, "filed")
    resource = all_resources()["hardship-cases"]
    status = resource.sheet_fields()["status"].widget.render(CaseStatus.FILED)
    header = [
        "姓名",
        "身份证号",
        "所属地区",
        "困难类型",
        "致困原因",
        "状态",
        "建档日期",
        "核实情况",
    ]

    def queries(count: int, offset: int) -> int:
        rows = []
        for serial in range(offset, offset + count):
            worker = factories.build(
                Worker,
                env.towns["tangxia"],
                name=f"职工{serial}",
                id_number=factories.valid_id_number("330381", serial),
            )
            HardshipCase.objects.create(
                worker=worker, level="relative", causes=["illness"], status="verified",
                verification_note="属实",
            )  # fmt: skip
            row = [worker.name, worker.id_number, "塘下镇", "相对", "大病", status]
            rows.append([*row, filed["filed_on"].isoformat(), "属实"])
        with CaptureQueriesContext(connection) as captured:
            assert import_rows(env.user, "hardship-cases", [header, *rows]) == []
        return len(captured)

    queries(2, 50)  # (the first import fills the caches of content types and regions)
    assert queries(3, 100) == queries(12, 200)
    assert CaseEventCount() == 17


def CaseEventCount() -> int:
    from welfare.models import CaseEvent

    return CaseEvent.objects.filter(to_status=CaseStatus.FILED).count()


def test_a_grants_sheet_finds_cases_and_aids_them_without_a_query_per_row(env):
    """3 or 12 grants on as many filed cases: as many queries (each case found among those
    prefetched, each made aided with its timeline line in bulk)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    header = ["姓名", "身份证号", "帮扶类型", "金额(元)", "发放日期"]

    def queries(count: int, offset: int) -> int:
        rows = []
        for serial in range(offset, offset + count):
            worker = factories.build(
                Worker,
                env.towns["tangxia"],
                name=f"职工{serial}",
                id_number=factories.valid_id_number("330381", serial),
            )
            HardshipCase.objects.create(
                worker=worker, level="relative", causes=["illness"], status="filed",
                filed_on=VALUES["filed_on"],
            )  # fmt: skip
            rows.append([worker.name, worker.id_number, "生活", "800", "2024-05-01"])
        with CaptureQueriesContext(connection) as captured:
            assert import_rows(env.user, "grants", [header, *rows]) == []
        return len(captured)

    queries(2, 50)  # (the first import fills the caches of content types and regions)
    assert queries(3, 100) == queries(12, 200)
    assert HardshipCase.objects.filter(status=CaseStatus.AIDED).count() == 17
