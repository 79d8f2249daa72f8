"""Reads for the 助企行 problem tracker."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from base import scope
from programs.models import ProblemStatus, ServiceProblem

OPEN_PROBLEM_STATUSES = (ProblemStatus.OPEN, ProblemStatus.IN_PROGRESS)


def open_problems(*, user: Any) -> QuerySet[ServiceProblem]:
    """Problems not yet solved in the user's scope, the longest open first."""
    queryset = ServiceProblem.objects.filter(status__in=OPEN_PROBLEM_STATUSES)
    return (
        scope.filter_for_user(queryset, user)
        .select_related("visit__region", "enterprise", "expert")
        .order_by("reported_on", "pk")
    )
