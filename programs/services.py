"""Writes for the 助企行 problem tracker ("难题—专家—进度"): problems move open → in progress →
solved by the steps of the step table (base.steps), an expert is a model worker or craftsman,
and a visit's problem counts follow the problems tracked on it."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from base.services import record_delete, record_save
from base.steps import (
    WORKFLOW,
    Step,
    state_entry_check,
    step_between,
    step_check,
    step_data,
    step_require,
)
from programs.models import ProblemStatus, ServiceProblem, ServiceVisit
from workforce.models import HonourKind, Worker

EXPERT_HONOURS = (HonourKind.CRAFTSMAN, HonourKind.MODEL_WORKER)
PROBLEM_WORKFLOW = WORKFLOW["service_problem"]


def service_problem_check_step(
    *,
    user: Any,
    previous_status: str | None,
    data: dict[str, Any],
    record: ServiceProblem | None = None,
    undated_today: bool = True,
) -> None:
    """The step side of a change, without saving: a new problem (`previous_status` None) is
    entered in its status by the step into it, a status change is one step of the table (who
    may take it, the data it needs, in `data` or else on `record`), any other change is the
    recorder's. A step left undated is taken today, as service_problem_save dates it, unless
    `undated_today` is off (a sheet row holds its own dates)."""
    data = dict(data)
    status = str(data.get("status", getattr(record, "status", "")))
    if undated_today and status != previous_status:
        for field, day in step_data(
            PROBLEM_WORKFLOW.step_into(status).step, on=timezone.localdate()
        ).items():
            if not data.get(field, getattr(record, field, None)):
                data[field] = day
    if previous_status is None:
        state_entry_check(
            workflow=PROBLEM_WORKFLOW, state=status, user=user, record=record, data=data
        )
    elif status != previous_status:
        step = step_between(workflow=PROBLEM_WORKFLOW, current=previous_status, wanted=status)
        step_check(step=step, user=user, record=record, data=data, current=previous_status)
    else:
        step_require(user=user, step=Step.PROBLEM_REPORT, record=record)


def service_problem_check(
    *,
    problem: ServiceProblem,
    user: Any,
    previous_status: str | None,
    expert_changed: bool,
    data: dict[str, Any] | None = None,
) -> None:
    """The tracker's rules for one change, without saving: its step (service_problem_check_step)
    and a newly assigned expert who is a model worker or craftsman (holds such an honour).
    `data` (a form's cleaned data) stands in for the problem's own fields."""
    data = data or {}
    service_problem_check_step(
        user=user,
        previous_status=previous_status,
        data=data,
        record=problem if problem.visit_id is not None else None,
    )
    expert = data.get("expert", problem.expert)
    if (
        expert is not None
        and expert_changed
        and not expert.honours.filter(title__kind__in=EXPERT_HONOURS).exists()
    ):
        raise ValidationError(
            {"expert": _("The expert must be a model worker or craftsman on the register.")}
        )


def service_visit_sync_problem_counts(*, visit: ServiceVisit) -> None:
    """A visit with tracked problems counts them: collected = listed, solved = solved. A visit
    without any keeps the counts its sheet declared."""
    counts = visit.problems.aggregate(
        listed=Count("pk"), solved=Count("pk", filter=Q(status=ProblemStatus.SOLVED))
    )
    if not counts["listed"]:
        return
    if (visit.problems_collected, visit.problems_solved) == (counts["listed"], counts["solved"]):
        return
    visit.problems_collected = counts["listed"]
    visit.problems_solved = counts["solved"]
    visit.save(update_fields=["problems_collected", "problems_solved", "updated_at"])


@transaction.atomic
def service_problem_save(
    *,
    problem: ServiceProblem,
    user: Any,
    previous_status: str | None = None,
    previous_expert_id: int | None = None,
) -> ServiceProblem:
    """Record a new problem or a change to one (status, expert, dates), then recount its visit.
    A problem marked solved without a date is solved today."""
    if problem.status != previous_status:
        # The date the step records, today when the user gave none.
        for field, value in step_data(
            PROBLEM_WORKFLOW.step_into(problem.status).step, on=timezone.localdate()
        ).items():
            if getattr(problem, field) is None:
                setattr(problem, field, value)
    service_problem_check(
        problem=problem,
        user=user,
        previous_status=previous_status,
        expert_changed=problem.expert_id != previous_expert_id,
    )
    record_save(record=problem, user=user)
    service_visit_sync_problem_counts(visit=problem.visit)
    return problem


@transaction.atomic
def service_problem_transition(
    *,
    problem: ServiceProblem,
    to_status: str,
    user: Any,
    on: datetime.date | None = None,
) -> ServiceProblem:
    previous = problem.status
    problem.status = to_status
    if to_status == ProblemStatus.SOLVED:
        problem.solved_on = on or timezone.localdate()
    return service_problem_save(
        problem=problem, user=user, previous_status=previous, previous_expert_id=problem.expert_id
    )


@transaction.atomic
def service_problem_assign(*, problem: ServiceProblem, expert: Worker, user: Any) -> ServiceProblem:
    previous_expert_id = problem.expert_id
    problem.expert = expert
    return service_problem_save(
        problem=problem,
        user=user,
        previous_status=problem.status,
        previous_expert_id=previous_expert_id,
    )


@transaction.atomic
def service_problem_delete(*, problem: ServiceProblem, user: Any) -> None:
    visit = problem.visit
    record_delete(record=problem, user=user)
    service_visit_sync_problem_counts(visit=visit)
