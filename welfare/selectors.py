"""Reads for case work: the to-do lists of a user's scope."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet

from base import scope
from welfare.models import (
    REVIEW_INTERVAL_DAYS,
    REVIEWED_STATUSES,
    Dispatch,
    DispatchStatus,
    HardshipCase,
)


def review_cutoff(today: datetime.date) -> datetime.date:
    return today - datetime.timedelta(days=REVIEW_INTERVAL_DAYS)


def cases_due_for_review(*, user: Any, today: datetime.date) -> QuerySet[HardshipCase]:
    """Cases on file whose last review (or, never reviewed, their filing) is a year old or
    more, longest waiting first."""
    cutoff = review_cutoff(today)
    due = Q(last_reviewed_on__lte=cutoff) | Q(last_reviewed_on__isnull=True, filed_on__lte=cutoff)
    queryset = HardshipCase.objects.filter(due, status__in=REVIEWED_STATUSES)
    return (
        scope.filter_for_user(queryset, user)
        .select_related("worker__region")
        .order_by("last_reviewed_on", "filed_on", "pk")
    )


def dispatches_overdue(*, user: Any, today: datetime.date) -> QuerySet[Dispatch]:
    """Dispatches not answered by their due date, the longest overdue first."""
    queryset = Dispatch.objects.filter(status=DispatchStatus.RECEIVED, due_on__lt=today)
    return scope.filter_for_user(queryset, user).select_related("region").order_by("due_on", "pk")
