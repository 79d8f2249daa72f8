"""The step table of every case-work workflow — hardship cases, 越温暖 dispatches, the 助企行
problem tracker, 「人大+工会」 suggestions, 光FU行 solar projects, transfers between counties and
merges of worker records — and the questions every path (service, admin form or action, sheet import) asks it.

One row per step says everything about it: who may take it (the roles, and the narrowest region
level a user may hold: a town union reports a case and answers a dispatch, a county or wider
welfare officer verifies, files, closes and reviews; docs/design.md §3, seed 004), the states it
may start from, the state it leads into and the data it needs. The transition graph (which state
may follow which) is derived from the rows (`Workflow.transitions`), never written again.

Why the whole table is here rather than beside each model's states: a reader (and issue #14's
import engine) finds every workflow's every rule in one place, and `base` cannot import the
domain apps' status enums, so states are named by the values the models store. The models keep
what a state *is* (its choice and label); this table says how a record moves between them. The
tests tie the two together: every state in the table is one of its model's choices, every choice
is reached and left by some step (or declared terminal), every field a step needs is a field of
the model, and every step is walked through its service for every state and role
(`tests/test_step_table.py`).

The questions, all answerable without saving:
- `step_check(step=…, user=…, record=…, data=…)` refuses, naming the rule, a step the user's role
  or region may not take, on a record outside their scope, from the wrong state, or without its
  data (PermissionDenied for who, ValidationError for what);
- `step_between(workflow=…, current=…, wanted=…)` finds the one step from a state to another, or
  refuses the change (no skipped step, no way back unless a row says so);
- `state_entry_check(…)` asks whether a record may be entered as it already stands in a state (an
  old paper file, a sheet row): the user must be allowed the step into that state and the record
  must hold the data that step needs.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from base import scope
from base.models import PREFIX_LENGTH, RegionLevel
from base.roles import Role, role_of

# The state of a record that does not exist yet: a step starting from NEW creates the record.
NEW = ""


class Step(models.TextChoices):
    CASE_REPORT = "case_report", gettext_lazy("report a hardship case")
    CASE_VERIFY = "case_verify", gettext_lazy("verify a hardship case")
    CASE_FILE = "case_file", gettext_lazy("file a hardship case")
    CASE_AID = "case_aid", gettext_lazy("grant aid on a hardship case")
    CASE_CLOSE = "case_close", gettext_lazy("close a hardship case")
    CASE_REJECT = "case_reject", gettext_lazy("reject a hardship case")
    CASE_REVIEW = "case_review", gettext_lazy("review a hardship case")
    DISPATCH_RECEIVE = "dispatch_receive", gettext_lazy("receive a dispatch")
    DISPATCH_CONFIRM = "dispatch_confirm", gettext_lazy("confirm a dispatched person")
    DISPATCH_REJECT = "dispatch_reject", gettext_lazy("find a dispatched person not eligible")
    PROBLEM_REPORT = "problem_report", gettext_lazy("record a service problem")
    PROBLEM_START = "problem_start", gettext_lazy("start work on a service problem")
    PROBLEM_REOPEN = "problem_reopen", gettext_lazy("reopen a service problem")
    PROBLEM_SOLVE = "problem_solve", gettext_lazy("mark a service problem solved")
    SUGGESTION_ACCEPT = "suggestion_accept", gettext_lazy("accept a suggestion")
    SUGGESTION_ASSIGN = "suggestion_assign", gettext_lazy("assign a suggestion")
    SUGGESTION_ANSWER = "suggestion_answer", gettext_lazy("answer a suggestion")
    SUGGESTION_CLOSE = "suggestion_close", gettext_lazy("close a suggestion")
    SOLAR_APPLY = "solar_apply", gettext_lazy("apply for a solar project")
    SOLAR_SURVEY = "solar_survey", gettext_lazy("record a solar project's joint survey")
    SOLAR_AGREE = "solar_agree", gettext_lazy("record a solar project's tripartite agreement")
    SOLAR_INSTALL = "solar_install", gettext_lazy("record a solar installation")
    SOLAR_CONNECT = "solar_connect", gettext_lazy("record a solar grid connection")
    SOLAR_INCOME = "solar_income", gettext_lazy("record a solar project's income")
    TRANSFER_START = "transfer_start", gettext_lazy("start a transfer")
    TRANSFER_ACCEPT = "transfer_accept", gettext_lazy("accept a transfer")
    TRANSFER_CANCEL = "transfer_cancel", gettext_lazy("cancel a transfer")
    WORKER_MERGE = "worker_merge", gettext_lazy("merge worker records")


@dataclass(frozen=True)
class Need:
    """A field the record must hold (non-blank) once the step is taken."""

    field: str
    message: Promise
    # A checklist field (ChoiceListField) that must tick every one of its choices.
    every_choice: bool = False
    # The field records the day the step is taken: a service fills it (today unless told), a
    # sheet row must hold it.
    dated: bool = False


@dataclass(frozen=True)
class StepRule:
    step: Step
    roles: frozenset[Role]
    # The narrowest scope that may take the step: COUNTY means a county, city or province user.
    narrowest: RegionLevel
    # The states the step may start from (NEW: it creates the record); empty for a workflow
    # without states (a merge).
    sources: frozenset[str]
    # The state it leads into; None: the record keeps its state (a review, an income).
    into: str | None
    needs: tuple[Need, ...] = ()


@dataclass(frozen=True)
class Workflow:
    name: str
    model: str  # "app_label.ModelName"
    state_field: str | None
    # States no step leaves, on purpose.
    terminal: frozenset[str]
    rules: tuple[StepRule, ...]

    def states(self) -> set[str]:
        found = {state for rule in self.rules for state in rule.sources} - {NEW}
        return found | {rule.into for rule in self.rules if rule.into is not None}

    def transitions(self) -> dict[str, frozenset[str]]:
        """The graph: for each state, the states a step may move a record into (changes only)."""
        return {
            state: frozenset(
                rule.into
                for rule in self.rules
                if state in rule.sources and rule.into is not None and rule.into != state
            )
            for state in sorted(self.states())
        }

    def steps_from(self, state: str) -> tuple[StepRule, ...]:
        return tuple(rule for rule in self.rules if state in rule.sources)

    def step_into(self, state: str) -> StepRule:
        """The step that puts a record in `state`: the creating one when there is one."""
        into = [rule for rule in self.rules if rule.into == state]
        creating = [rule for rule in into if NEW in rule.sources]
        return (creating or into)[0]

    def state_label(self, state: str) -> str:
        if state == NEW:
            return _("not yet recorded")
        assert self.state_field is not None
        field = apps.get_model(self.model)._meta.get_field(self.state_field)
        return str(dict(field.flatchoices).get(state, state))


WELFARE_ROLES = frozenset({Role.ADMIN, Role.WELFARE})
RECORD_ROLES = frozenset({Role.ADMIN, Role.CLERK, Role.WELFARE})
TOWN, COUNTY = RegionLevel.TOWN, RegionLevel.COUNTY


FILED_ON = Need("filed_on", gettext_lazy("A filed case needs its filing date."))
REASON = Need("reason", gettext_lazy("Give the reason the case was closed or not filed."))

ACCEPTED_ON = Need(
    "accepted_on", gettext_lazy("An accepted suggestion needs its date of acceptance.")
)
ASSIGNED_TO = Need("assigned_to", gettext_lazy("Say to whom the suggestion is assigned."))
ASSIGNED_ON = Need(
    "assigned_on", gettext_lazy("An assigned suggestion needs its date of assignment.")
)
ANSWER = Need("answer", gettext_lazy("Write down the answer given."))
ANSWERED_ON = Need("answered_on", gettext_lazy("An answered suggestion needs its answer date."))

WORKFLOWS: tuple[Workflow, ...] = (
    # reported → verified → filed (建档) → aided → closed (解困脱困); reported or verified →
    # rejected (不予建档). A case may receive aid more than once; filed and aided cases are
    # reviewed once a year. Dispatches are hardship data too: welfare and admin roles only.
    Workflow(
        "hardship_case",
        "welfare.HardshipCase",
        "status",
        terminal=frozenset({"closed", "rejected"}),
        rules=(
            StepRule(Step.CASE_REPORT, WELFARE_ROLES, TOWN, frozenset({NEW}), "reported"),
            StepRule(
                Step.CASE_VERIFY,
                WELFARE_ROLES,
                COUNTY,
                frozenset({"reported"}),
                "verified",
                (
                    Need(
                        "verification_note",
                        gettext_lazy("Write down what the verification found."),
                    ),
                ),
            ),
            StepRule(
                Step.CASE_FILE,
                WELFARE_ROLES,
                COUNTY,
                frozenset({"verified"}),
                "filed",
                (Need("filed_on", FILED_ON.message, dated=True),),
            ),
            StepRule(
                Step.CASE_AID,
                WELFARE_ROLES,
                COUNTY,
                frozenset({"filed", "aided"}),
                "aided",
                (FILED_ON,),
            ),
            StepRule(
                Step.CASE_CLOSE,
                WELFARE_ROLES,
                COUNTY,
                frozenset({"filed", "aided"}),
                "closed",
                (
                    FILED_ON,
                    Need(
                        "closed_on",
                        gettext_lazy("A closed case needs its closing date."),
                        dated=True,
                    ),
                    REASON,
                ),
            ),
            StepRule(
                Step.CASE_REJECT,
                WELFARE_ROLES,
                COUNTY,
                frozenset({"reported", "verified"}),
                "rejected",
                (
                    Need(
                        "rejected_on",
                        gettext_lazy("A rejected case needs its rejection date."),
                        dated=True,
                    ),
                    REASON,
                ),
            ),
            StepRule(
                Step.CASE_REVIEW,
                WELFARE_ROLES,
                COUNTY,
                frozenset({"filed", "aided"}),
                None,
                (Need("last_reviewed_on", gettext_lazy("A review needs its date."), dated=True),),
            ),
        ),
    ),
    # The county receives the city's list and passes it to the towns, which verify and answer.
    Workflow(
        "dispatch",
        "welfare.Dispatch",
        "status",
        terminal=frozenset({"confirmed", "not_eligible"}),
        rules=(
            StepRule(Step.DISPATCH_RECEIVE, WELFARE_ROLES, COUNTY, frozenset({NEW}), "received"),
            StepRule(
                Step.DISPATCH_CONFIRM,
                WELFARE_ROLES,
                TOWN,
                frozenset({"received"}),
                "confirmed",
                (
                    Need(
                        "answered_on",
                        gettext_lazy("An answered dispatch needs its answer date."),
                        dated=True,
                    ),
                ),
            ),
            StepRule(
                Step.DISPATCH_REJECT,
                WELFARE_ROLES,
                TOWN,
                frozenset({"received"}),
                "not_eligible",
                (
                    Need(
                        "answered_on",
                        gettext_lazy("An answered dispatch needs its answer date."),
                        dated=True,
                    ),
                    Need("reason", gettext_lazy("Say why the person is not eligible.")),
                ),
            ),
        ),
    ),
    # 助企行 "难题—专家—进度": any record-keeping role of the visit's region tracks its problems.
    Workflow(
        "service_problem",
        "programs.ServiceProblem",
        "status",
        terminal=frozenset({"solved"}),
        rules=(
            StepRule(Step.PROBLEM_REPORT, RECORD_ROLES, TOWN, frozenset({NEW}), "open"),
            StepRule(Step.PROBLEM_START, RECORD_ROLES, TOWN, frozenset({"open"}), "in_progress"),
            StepRule(Step.PROBLEM_REOPEN, RECORD_ROLES, TOWN, frozenset({"in_progress"}), "open"),
            StepRule(
                Step.PROBLEM_SOLVE,
                RECORD_ROLES,
                TOWN,
                frozenset({"open", "in_progress"}),
                "solved",
                (Need("solved_on", gettext_lazy("A solved problem needs its date."), dated=True),),
            ),
        ),
    ),
    # 「人大+工会」 suggestions (丹西: the street's 人大工委 and 总工会 at an enterprise's liaison
    # point): the town union records and handles them as the problem tracker's problems, any
    # record-keeping role of the suggestion's region, each step from a town up. A suggestion
    # entered further on (a sheet row) holds every earlier step's data as well as its own.
    Workflow(
        "suggestion",
        "programs.Suggestion",
        "status",
        terminal=frozenset({"closed"}),
        rules=(
            StepRule(
                Step.SUGGESTION_ACCEPT,
                RECORD_ROLES,
                TOWN,
                frozenset({NEW}),
                "accepted",
                (Need("accepted_on", ACCEPTED_ON.message, dated=True),),
            ),
            StepRule(
                Step.SUGGESTION_ASSIGN,
                RECORD_ROLES,
                TOWN,
                frozenset({"accepted"}),
                "assigned",
                (
                    ACCEPTED_ON,
                    ASSIGNED_TO,
                    Need("assigned_on", ASSIGNED_ON.message, dated=True),
                ),
            ),
            StepRule(
                Step.SUGGESTION_ANSWER,
                RECORD_ROLES,
                TOWN,
                frozenset({"assigned"}),
                "answered",
                (
                    ACCEPTED_ON,
                    ASSIGNED_TO,
                    ASSIGNED_ON,
                    ANSWER,
                    Need("answered_on", ANSWERED_ON.message, dated=True),
                ),
            ),
            StepRule(
                Step.SUGGESTION_CLOSE,
                RECORD_ROLES,
                TOWN,
                frozenset({"answered"}),
                "closed",
                (
                    ACCEPTED_ON,
                    ASSIGNED_TO,
                    ASSIGNED_ON,
                    ANSWER,
                    ANSWERED_ON,
                    Need(
                        "closed_on",
                        gettext_lazy("A closed suggestion needs its closing date."),
                        dated=True,
                    ),
                    Need(
                        "satisfaction",
                        gettext_lazy("A closed suggestion needs the proposer's satisfaction."),
                    ),
                ),
            ),
        ),
    ),
    # 光FU行: grassroots unions apply; the county union and the power company survey the roof,
    # the household signs the tripartite agreement (with every document), volunteers install.
    Workflow(
        "solar_project",
        "welfare.SolarProject",
        "stage",
        terminal=frozenset(),
        rules=(
            StepRule(
                Step.SOLAR_APPLY,
                WELFARE_ROLES,
                TOWN,
                frozenset({NEW}),
                "applied",
                (
                    Need(
                        "applied_on", gettext_lazy("Each stage reached needs its date."), dated=True
                    ),
                ),
            ),
            StepRule(
                Step.SOLAR_SURVEY,
                WELFARE_ROLES,
                COUNTY,
                frozenset({"applied"}),
                "surveyed",
                (
                    Need(
                        "surveyed_on",
                        gettext_lazy("Each stage reached needs its date."),
                        dated=True,
                    ),
                ),
            ),
            StepRule(
                Step.SOLAR_AGREE,
                WELFARE_ROLES,
                COUNTY,
                frozenset({"surveyed"}),
                "agreed",
                (
                    Need(
                        "agreed_on", gettext_lazy("Each stage reached needs its date."), dated=True
                    ),
                    Need(
                        "documents",
                        gettext_lazy("The agreement needs every document; missing: %(missing)s."),
                        every_choice=True,
                    ),
                ),
            ),
            StepRule(
                Step.SOLAR_INSTALL,
                WELFARE_ROLES,
                COUNTY,
                frozenset({"agreed"}),
                "installed",
                (
                    Need(
                        "installed_on",
                        gettext_lazy("Each stage reached needs its date."),
                        dated=True,
                    ),
                ),
            ),
            StepRule(
                Step.SOLAR_CONNECT,
                WELFARE_ROLES,
                COUNTY,
                frozenset({"installed"}),
                "connected",
                (
                    Need(
                        "connected_on",
                        gettext_lazy("Each stage reached needs its date."),
                        dated=True,
                    ),
                ),
            ),
            # The surplus power sold once connected is the household's income.
            StepRule(Step.SOLAR_INCOME, WELFARE_ROLES, COUNTY, frozenset({"connected"}), None),
        ),
    ),
    # 调动 is between counties: each side is a county (or wider) office; the sender starts or
    # cancels, the receiver accepts (the service checks which side the user is on).
    Workflow(
        "transfer",
        "workforce.Transfer",
        "status",
        terminal=frozenset({"accepted", "cancelled"}),
        rules=(
            StepRule(Step.TRANSFER_START, RECORD_ROLES, COUNTY, frozenset({NEW}), "started"),
            StepRule(
                Step.TRANSFER_ACCEPT,
                RECORD_ROLES,
                COUNTY,
                frozenset({"started"}),
                "accepted",
                (
                    Need(
                        "accepted_on",
                        gettext_lazy("An accepted transfer needs its acceptance date."),
                        dated=True,
                    ),
                ),
            ),
            StepRule(
                Step.TRANSFER_CANCEL, RECORD_ROLES, COUNTY, frozenset({"started"}), "cancelled"
            ),
        ),
    ),
    # Two records of one person become one: a worker has no states, only who may merge.
    Workflow(
        "worker_merge",
        "workforce.Worker",
        None,
        terminal=frozenset(),
        rules=(StepRule(Step.WORKER_MERGE, RECORD_ROLES, COUNTY, frozenset(), None),),
    ),
)

WORKFLOW: dict[str, Workflow] = {workflow.name: workflow for workflow in WORKFLOWS}
RULE: dict[Step, StepRule] = {rule.step: rule for workflow in WORKFLOWS for rule in workflow.rules}
WORKFLOW_OF: dict[Step, Workflow] = {
    rule.step: workflow for workflow in WORKFLOWS for rule in workflow.rules
}


def step_data(step: Step, *, on: datetime.date, **values: Any) -> dict[str, Any]:
    """The data a service hands a step: `on` for every field the step dates, and those of
    `values` the step needs (a service's other arguments are not the record's)."""
    data: dict[str, Any] = {}
    for need in RULE[step].needs:
        if need.dated:
            data[need.field] = on
        elif need.field in values:
            data[need.field] = values[need.field]
    return data


def step_allowed(user: Any, step: Step) -> bool:
    """Whether the user's role and scope allow the step (anywhere in their scope)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    prefix = scope.scope_prefix(user)
    if not prefix:
        return False
    rule = RULE[step]
    return role_of(user) in rule.roles and len(prefix) <= PREFIX_LENGTH[rule.narrowest]


def _refusal(step: Step) -> str:
    rule = RULE[step]
    roles = "、".join(str(role.label) for role in Role if role in rule.roles)
    level = RegionLevel(rule.narrowest).label
    return _("Only %(roles)s of a %(level)s or a wider region may %(step)s.") % {
        "roles": roles,
        "level": level,
        "step": step.label,
    }


def step_require(*, user: Any, step: Step, record: models.Model | None = None) -> None:
    """Refuse (PermissionDenied, naming the rule) a step the user's role or region may not take,
    or on a record outside their scope."""
    if not step_allowed(user, step):
        raise PermissionDenied(_refusal(step))
    if record is not None and not scope.object_in_scope(user, record):
        raise PermissionDenied(_("This record is outside your region."))


def _missing(need: Need, record: models.Model | None, data: Mapping[str, Any]) -> list[str]:
    """What the record lacks for this need: [] when nothing, else the missing items' labels
    (for a checklist) or [the field's name]."""
    value = data[need.field] if need.field in data else getattr(record, need.field, None)
    if need.every_choice and record is not None:
        field = record._meta.get_field(need.field)
        return [
            str(label)
            for choice, label in getattr(field, "item_choices", ())
            if choice not in (value or ())
        ]
    if value is None or (isinstance(value, str | list | tuple) and not str(value).strip()):
        return [need.field]
    if isinstance(value, list | tuple) and not value:
        return [need.field]
    return []


def needs_check(
    *, step: Step, record: models.Model | None = None, data: Mapping[str, Any] | None = None
) -> None:
    """Refuse (ValidationError on each missing field) a step without the data it needs: taken
    from `data` when given there, otherwise from the record as it stands."""
    data = data or {}
    errors: dict[str, str] = {}
    for need in RULE[step].needs:
        missing = _missing(need, record, data)
        if missing:
            message = str(need.message)
            errors[need.field] = (
                message % {"missing": "、".join(missing)} if need.every_choice else message
            )
    if errors:
        raise ValidationError(errors)


def _state_of(workflow: Workflow, record: models.Model | None) -> str:
    if record is None or record._state.adding or workflow.state_field is None:
        return NEW
    return str(getattr(record, workflow.state_field))


def step_check(
    *,
    step: Step,
    user: Any,
    record: models.Model | None = None,
    data: Mapping[str, Any] | None = None,
    current: str | None = None,
) -> None:
    """Everything a step asks before it is taken, without saving: the user's role and region
    (PermissionDenied), the record in their scope (PermissionDenied), the state it starts from
    (`current`, or the record's own; NEW for a record not yet saved) and the data it needs
    (ValidationError naming the field)."""
    step_require(user=user, step=step, record=record)
    workflow, rule = WORKFLOW_OF[step], RULE[step]
    if workflow.state_field is not None:
        state = _state_of(workflow, record) if current is None else current
        if state not in rule.sources:
            raise ValidationError(
                {
                    workflow.state_field: _("One cannot %(step)s that is “%(state)s”.")
                    % {"step": step.label, "state": workflow.state_label(state)}
                }
            )
    needs_check(step=step, record=record, data=data)


def step_between(*, workflow: Workflow, current: str, wanted: str) -> Step:
    """The one step that moves a record from `current` to another state `wanted`; a change no
    step makes (a skipped step, a way back) is refused (ValidationError on the state field)."""
    for rule in workflow.rules:
        if current in rule.sources and rule.into == wanted and wanted != current:
            return rule.step
    raise ValidationError(
        {
            workflow.state_field or "__all__": _(
                "A record cannot go from “%(current)s” to “%(wanted)s”."
            )
            % {
                "current": workflow.state_label(current),
                "wanted": workflow.state_label(wanted),
            }
        }
    )


def step_date(workflow: Workflow, current: str, record: models.Model) -> datetime.date | None:
    """The day a record moved from `current` into the state it now holds, as the step's dated
    field records it (None when the step records no date)."""
    assert workflow.state_field is not None
    step = step_between(
        workflow=workflow, current=current, wanted=str(getattr(record, workflow.state_field))
    )
    for need in RULE[step].needs:
        if need.dated:
            value = getattr(record, need.field)
            return value if isinstance(value, datetime.date) else None
    return None


def state_entry_check(
    *,
    workflow: Workflow,
    state: str,
    user: Any,
    record: models.Model | None = None,
    data: Mapping[str, Any] | None = None,
) -> Step:
    """A record entered as it already stands in `state` (an old paper file, a sheet row): the
    user must be allowed the step that leads into that state, and the record must hold the data
    that step needs. Returns that step."""
    step = workflow.step_into(state).step
    step_require(user=user, step=step, record=record)
    needs_check(step=step, record=record, data=data)
    return step


def entry_states(*, workflow: Workflow, user: Any) -> list[str]:
    """The states a form may create a record in, in the model's order: those the user may step
    into (`state_entry_check` asks the same), except the ends a workflow leaves no more (a
    hardship case 已解困 or 不予建档). A form starts a record that is still being worked; an
    ended one is history, entered with its old file on a sheet, where each row carries the data
    of the step into its state."""
    assert workflow.state_field is not None
    field = apps.get_model(workflow.model)._meta.get_field(workflow.state_field)
    return [
        str(state)
        for state, _label in getattr(field, "flatchoices", ())
        if state in workflow.states()
        and state not in workflow.terminal
        and step_allowed(user, workflow.step_into(state).step)
    ]


def workflow_of_model(label: str) -> Workflow | None:
    """The workflow whose records are of the model `label` ("app_label.modelname") and have a
    state, if any."""
    for workflow in WORKFLOWS:
        if workflow.model.lower() == label and workflow.state_field is not None:
            return workflow
    return None
