"""Reads for the 助企行 problem tracker, the 产改联盟 and the 春风行动 fairs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Coalesce

from base import scope
from programs.models import AllianceMember, JobFair, ProblemStatus, ServiceProblem
from workforce.models import Honour, HonourKind

OPEN_PROBLEM_STATUSES = (ProblemStatus.OPEN, ProblemStatus.IN_PROGRESS)
# An expert of the tracker is a model worker or a craftsman: holds an honour of these kinds.
EXPERT_HONOURS = (HonourKind.CRAFTSMAN, HonourKind.MODEL_WORKER)


def honoured_experts(*, worker_ids: Iterable[int]) -> set[int]:
    """Those of the workers who may be a problem's expert (hold a model-worker or craftsman
    honour), in one query for all of them: a form asks for one, a sheet for all its rows."""
    wanted = sorted({pk for pk in worker_ids if pk is not None})
    found: set[int] = set()
    for start in range(0, len(wanted), 500):  # (SQLite's limit on a query's parameters)
        found.update(
            Honour.objects.filter(
                worker_id__in=wanted[start : start + 500], title__kind__in=EXPERT_HONOURS
            ).values_list("worker_id", flat=True)
        )
    return found


def open_problems(*, user: Any) -> QuerySet[ServiceProblem]:
    """Problems not yet solved in the user's scope, the longest open first."""
    queryset = ServiceProblem.objects.filter(status__in=OPEN_PROBLEM_STATUSES)
    return (
        scope.filter_for_user(queryset, user)
        .select_related("visit__region", "enterprise", "expert")
        .order_by("reported_on", "pk")
    )


# --- 产改联盟 -----------------------------------------------------------------------------------
# An alliance, its memberships and activities belong to the lead enterprise's region: whoever
# sees that region sees the alliance. A member may lie in any region; a user whose scope does
# not hold the member's region sees it as a name only — no link to it, no credit code, nothing
# else of it (docs/security.md). These three functions are that rule; the admin, the export
# and the tests ask them.


def member_shown_in_full(*, user: Any, member: AllianceMember) -> bool:
    """Whether the user may see more of a member enterprise than its name (and follow it)."""
    return scope.region_in_scope(user, member.enterprise.region_id)


def members_shown_in_full(
    queryset: QuerySet[AllianceMember], *, user: Any
) -> QuerySet[AllianceMember]:
    """The memberships whose enterprise lies in the user's scope."""
    prefix = scope.scope_prefix(user)
    if prefix is None:
        return queryset.none()
    return queryset.filter(enterprise__region__code__startswith=prefix)


def members_shown_as_names(
    queryset: QuerySet[AllianceMember], *, user: Any
) -> QuerySet[AllianceMember]:
    """The memberships whose enterprise lies outside the user's scope: shown as names."""
    return queryset.exclude(pk__in=members_shown_in_full(queryset, user=user).values("pk"))


# --- 春风行动 -----------------------------------------------------------------------------------


def job_fairs_with_totals(queryset: QuerySet[JobFair]) -> QuerySet[JobFair]:
    """The fairs with their enterprises (家次), positions and hires added up in the same query
    (`enterprise_total`, `position_total`, `hire_total`): the admin's list shows them for a page
    of fairs without a query per fair."""
    return queryset.annotate(
        enterprise_total=Count("enterprises"),
        position_total=Coalesce(Sum("enterprises__positions_count"), 0),
        hire_total=Coalesce(Sum("enterprises__hires_count"), 0),
    )
