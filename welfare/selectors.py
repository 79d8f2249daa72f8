"""Reads for case work: the to-do lists of a user's scope, the 礼遇工匠 benefits due and the
六必访 visits called for."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, Max, Min, OuterRef, Q, QuerySet

from base import scope
from welfare.models import (
    REVIEW_INTERVAL_DAYS,
    REVIEWED_STATUSES,
    BenefitKind,
    BenefitRule,
    BenefitTaken,
    CareOccasion,
    CareOccasionKind,
    CareVisit,
    Dispatch,
    DispatchStatus,
    HardshipCase,
    HardshipCause,
)
from workforce.models import Honour, Worker


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


# --- 礼遇工匠: who is due which benefit -------------------------------------------------------
#
# The due rule, written once (docs/indicators.md, "礼遇工匠"): a worker is entitled under a rule
# from the later of the year of their first honour the rule covers and the year the rule took
# effect (`since_year`). Entitled in year Y, they are due the rule's benefit in Y when they have
# not taken it since their entitlement began, or took it last in Y − N or earlier (N the rule's
# `every_years`): the benefit falls due in `due_year` (below) and stays due until taken. It is
# overdue in Y when it already fell due in an earlier year. Where several rules grant the same
# benefit to a worker, the one that makes it due earliest counts.


def entitling_honours(year: int) -> Q:
    """The honours (workforce.Honour rows) awarded in or before `year` that entitle their holder
    to a benefit under an active rule in force by `year`: the dashboards count their holders,
    the due list reads them."""
    rules = BenefitRule.objects.filter(
        active=True, since_year__lte=year, min_level__lte=OuterRef("title__level")
    ).filter(Q(title_kind="") | Q(title_kind=OuterRef("title__kind")))
    return Q(year__lte=year) & Q(Exists(rules))


def due_year(*, entitled_from: int, every_years: int, last_taken: datetime.date | None) -> int:
    """The year a benefit falls due: the first year of entitlement while it was not taken since,
    else N years after the year it was last taken."""
    if last_taken is None or last_taken.year < entitled_from:
        return entitled_from
    return last_taken.year + every_years


@dataclass(frozen=True)
class BenefitDue:
    """A benefit a craftsman is due in `year`: it fell due in `due_year` (overdue if earlier)."""

    worker: Worker
    kind: str
    rule: BenefitRule
    entitled_from: int
    last_taken: datetime.date | None
    due_year: int
    year: int

    @property
    def overdue(self) -> bool:
        return self.due_year < self.year

    @property
    def kind_label(self) -> str:
        return str(BenefitKind(self.kind).label)


def benefits_due(*, user: Any, year: int) -> list[BenefitDue]:
    """The benefits the craftsmen in the user's scope are due in `year`, overdue first (the
    longest waiting first), then those falling due in `year`; workers who have left the
    register by the end of `year` are left out. A few queries whatever the number of
    craftsmen: one per active rule, one for the benefits taken, one for the workers."""
    rules = list(BenefitRule.objects.filter(active=True, since_year__lte=year))
    if not rules:
        return []
    honours = scope.filter_for_user(Honour.objects.all(), user).filter(year__lte=year)
    # (worker, benefit) -> (entitled from, rule)
    entitled: dict[tuple[int, str], list[tuple[int, BenefitRule]]] = {}
    for rule in rules:
        first_years = (
            honours.filter(rule.applies_to())
            .order_by()
            .values("worker_id")
            .annotate(first=Min("year"))
            .values_list("worker_id", "first")
        )
        for worker_id, first in first_years:
            entitled.setdefault((worker_id, rule.benefit), []).append(
                (max(first, rule.since_year), rule)
            )
    if not entitled:
        return []
    kinds = {rule.benefit for rule in rules}
    taken = dict(
        (((worker_id, kind), last))
        for worker_id, kind, last in scope.filter_for_user(BenefitTaken.objects.all(), user)
        .filter(kind__in=kinds, taken_on__lte=datetime.date(year, 12, 31))
        .filter(worker_id__in=honours.values("worker_id"))
        .order_by()
        .values("worker_id", "kind")
        .annotate(last=Max("taken_on"))
        .values_list("worker_id", "kind", "last")
    )
    found: list[tuple[int, str, int, int, BenefitRule, datetime.date | None]] = []
    for (worker_id, kind), grants in entitled.items():
        last = taken.get((worker_id, kind))
        # The rule that makes the benefit due earliest (then the earliest entitlement) counts.
        due, since, rule = min(
            (
                (
                    due_year(entitled_from=since, every_years=rule.every_years, last_taken=last),
                    since,
                    rule,
                )
                for since, rule in grants
            ),
            key=lambda item: (item[0], item[1], item[2].pk),
        )
        if due <= year:
            found.append((worker_id, kind, due, since, rule, last))
    end = datetime.date(year, 12, 31)
    workers = {
        worker.pk: worker
        for worker in Worker.objects.select_related("region").filter(
            pk__in={row[0] for row in found}
        )
        if worker.left_on is None or worker.left_on > end
    }
    due_list = [
        BenefitDue(
            worker=workers[worker_id],
            kind=kind,
            rule=rule,
            entitled_from=since,
            last_taken=last,
            due_year=due,
            year=year,
        )
        for worker_id, kind, due, since, rule, last in found
        if worker_id in workers
    ]
    kind_order = list(BenefitKind.values)
    due_list.sort(
        key=lambda row: (
            row.due_year,
            row.worker.region_id,
            row.worker.name,
            kind_order.index(row.kind),
        )
    )
    return due_list


# --- 六必访: which occasions call for a visit not yet made ---------------------------------------
#
# The visit rule, written once (docs/indicators.md, "六必访"). A visit is called for by
#  - each occasion recorded for a worker (CareOccasion): it is answered by a visit that names it
#    (CareVisit.occasion), and waits from the day it happened;
#  - each hardship case on file (filed or aided) one of whose causes is one of the six
#    occasions (CASE_CAUSE_OCCASIONS: illness → 生病住院, disaster → 家庭受灾, accident → 家遇急事):
#    it is answered by any visit linked to the case (CareVisit.case), and waits from the day it
#    was filed. Education costs, disability, unemployment and other causes are not among the
#    six, so those cases call for no visit by themselves.
# A visit recorded for an occasion is linked to the worker's open case by welfare.services, so
# one visit answers both where the worker has both.

CASE_CAUSE_OCCASIONS: dict[str, str] = {
    HardshipCause.ILLNESS: CareOccasionKind.HOSPITALISED,
    HardshipCause.DISASTER: CareOccasionKind.HOME_DISASTER,
    HardshipCause.ACCIDENT: CareOccasionKind.EMERGENCY,
}
# The statuses of a case on file that still calls for visits.
CARE_CASE_STATUSES = REVIEWED_STATUSES
# A visit made within this many days of the occasion counts as timely (the dashboards' share).
CARE_VISIT_TIMELY_DAYS = 7


def case_occasion(causes: list[str]) -> str | None:
    """The occasion a hardship case calls a visit for: that of its first cause among the six
    (the causes are kept in their choices' order), or None."""
    for cause in causes:
        if cause in CASE_CAUSE_OCCASIONS:
            return CASE_CAUSE_OCCASIONS[cause]
    return None


@dataclass(frozen=True)
class VisitDue:
    """An occasion that calls for a visit not yet made: a recorded occasion (`occasion`), or a
    hardship case whose cause is among the six (`case`)."""

    worker: Worker
    kind: str
    since: datetime.date
    occasion: CareOccasion | None
    case: HardshipCase | None

    @property
    def kind_label(self) -> str:
        return str(CareOccasionKind(self.kind).label)


def visits_due(*, user: Any, today: datetime.date) -> list[VisitDue]:
    """The occasions in the user's scope that call for a visit not yet made (the visit rule),
    the longest waiting first. Two queries whatever their number: the occasions and the cases.
    (A visit recorded for an occasion is linked to the worker's open case when saved.)"""
    occasions = list(
        scope.filter_for_user(CareOccasion.objects.all(), user)
        .filter(happened_on__lte=today)
        .filter(~Exists(CareVisit.objects.filter(occasion=OuterRef("pk"))))
        .select_related("worker__region")
        .order_by("happened_on", "pk")
    )
    cases = [
        case
        for case in scope.filter_for_user(HardshipCase.objects.all(), user)
        .filter(status__in=CARE_CASE_STATUSES, filed_on__lte=today)
        .filter(~Exists(CareVisit.objects.filter(case=OuterRef("pk"))))
        .select_related("worker__region")
        .order_by("filed_on", "pk")
        if case_occasion(case.causes) is not None
    ]
    due = [
        VisitDue(
            worker=occasion.worker,
            kind=occasion.kind,
            since=occasion.happened_on,
            occasion=occasion,
            case=None,
        )
        for occasion in occasions
    ]
    for case in cases:
        assert case.filed_on is not None  # a case on file has its filing date
        due.append(
            VisitDue(
                worker=case.worker,
                kind=case_occasion(case.causes) or "",
                since=case.filed_on,
                occasion=None,
                case=case,
            )
        )
    due.sort(key=lambda row: (row.since, row.worker.region_id, row.worker.name, row.kind))
    return due


def timely_visit() -> Q:
    """An occasion (CareOccasion row) answered by a visit made within CARE_VISIT_TIMELY_DAYS
    days of it: the numerator of the dashboards' share of timely visits."""
    visits = CareVisit.objects.filter(
        occasion=OuterRef("pk"),
        visited_on__lte=OuterRef("happened_on") + datetime.timedelta(days=CARE_VISIT_TIMELY_DAYS),
    )
    return Q(Exists(visits))
