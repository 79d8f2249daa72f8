"""Writes for the 助企行 problem tracker ("难题—专家—进度"): problems move open → in progress →
solved, an expert is a model worker or craftsman, and a visit's problem counts follow the
problems tracked on it."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from base.services import record_delete, record_save
from base.steps import Step, step_require
from programs.models import PROBLEM_TRANSITIONS, ProblemStatus, ServiceProblem, ServiceVisit
from workforce.models import HonourKind, Worker

EXPERT_HONOURS = (HonourKind.CRAFTSMAN, HonourKind.MODEL_WORKER)


def service_problem_check(
    *, previous_status: str | None, status: str, expert: Worker | None, expert_changed: bool
) -> None:
    """The tracker's rules for one change: the status moves along the tracker, and a newly
    assigned expert is a model worker or craftsman (holds such an honour)."""
    if previous_status and status not in {previous_status, *PROBLEM_TRANSITIONS[previous_status]}:
        raise ValidationError(
            {
                "status": _("A problem cannot go from “%(current)s” to “%(target)s”.")
                % {
                    "current": ProblemStatus(previous_status).label,
                    "target": ProblemStatus(status).label,
                }
            }
        )
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
    step_require(user=user, step=Step.PROBLEM_TRACK, record=problem)
    service_problem_check(
        previous_status=previous_status,
        status=problem.status,
        expert=problem.expert,
        expert_changed=problem.expert_id != previous_expert_id,
    )
    if problem.status == ProblemStatus.SOLVED and problem.solved_on is None:
        problem.solved_on = timezone.localdate()
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
