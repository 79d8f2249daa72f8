"""Reads of reporting rounds: the figures of a submission (live or as submitted), the children
behind a parent's report, completeness and what is overdue. Plain data out."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from base import scope
from base.models import Region
from dashboards import dashboard
from dashboards.catalogue import BY_KEY, TIMINGS, Period
from dashboards.formatting import change, display
from dashboards.links import link_for
from dashboards.selectors import Number, add_raw, finish, period_raw
from reporting import history, records, rules
from reporting.models import (
    OPEN_STATUSES,
    REPORTED_STATUSES,
    Figure,
    PeriodKind,
    Round,
    Status,
    Submission,
)


def period_of(round_: Round) -> Period:
    return Period(round_.year, round_.through)


def as_number(key: str, value: Decimal | None) -> Number | None:
    """A stored value in its indicator's own shape (reporting/history.as_number), or None."""
    return None if value is None else history.as_number(key, value)


def children_of(submission: Submission) -> list[Submission]:
    """The submissions of the same round by the regions directly below this one."""
    return list(
        Submission.objects.filter(round_id=submission.round_id, region__parent=submission.region_id)
        .select_related("region")
        .order_by("region_id")
    )


def frozen_values(
    submission: Submission, figures: Mapping[str, Figure] | None = None
) -> dict[str, Number | None]:
    """The round's figures as the report froze them, from its `figures` when already loaded."""
    keys = submission.round.indicators
    if figures is None:
        stored = dict(submission.figures.values_list("key", "value"))
    else:
        stored = {key: figure.value for key, figure in figures.items()}
    return {key: as_number(key, stored.get(key)) for key in keys}


def frozen_parts(figures: Mapping[str, Figure]) -> dict[str, dict[str, Number | None]]:
    """Each counted region's values (by code; "" is 本级) as a parent's figures froze them."""
    parts: dict[str, dict[str, Number | None]] = {}
    for key, figure in figures.items():
        for code, raw in (figure.parts or {}).items():
            # Kept as text in JSON: back to a number of the indicator's kind.
            parts.setdefault(code, {})[key] = (
                None if raw is None else as_number(key, Decimal(str(raw)))
            )
    return parts


def values_of_children(
    children: Iterable[Submission], statuses: Collection[str] = (Status.APPROVED,)
) -> dict[str, dict[str, Number | None]]:
    """The frozen values, by region code, of the children in `statuses`; another child counts
    nothing. A parent's report adds only what it approved; a round's data sheet shows every
    child that reported."""
    counted = [child for child in children if child.status in statuses]
    figures = Figure.objects.filter(submission__in=counted).values_list(
        "submission__region_id", "key", "value"
    )
    found: dict[str, dict[str, Number | None]] = {child.region_id: {} for child in counted}
    for code, key, value in figures:
        found[code][key] = as_number(key, value)
    return found


def total(parts: Iterable[Mapping[str, Number | None]], keys: Sequence[str]) -> dict[str, Number]:
    """The sum of several regions' figures: additive figures summed, each share recomputed from
    its summed parts (a share never adds up). Keys no longer in the catalogue are skipped."""
    raw: dict[str, Any] = {}
    for values in parts:
        add_raw(raw, {k: v for k, v in values.items() if k in BY_KEY and BY_KEY[k].ratio is None})
    return finish(raw, keys)


@dataclass(frozen=True)
class Composition:
    """A submission's figures as they would be submitted now: the whole, and for a parent each
    approved child's part and 本级's."""

    values: dict[str, Number]
    parts: dict[str, dict[str, Number | None]]  # region code → values; "" is 本级
    children: list[Submission]


OWN_PART = ""


def live(submission: Submission) -> Composition:
    """The figures of an open submission: a region with no reporting children counts its whole
    subtree; a parent adds its approved children's submitted figures to 本级, the records kept
    at its own level."""
    round_ = submission.round
    keys = round_.indicators
    period = period_of(round_)
    children = children_of(submission)
    if not children:
        return Composition(finish(period_raw(submission.region, period, keys), keys), {}, [])
    own = finish(period_raw(submission.region, period, keys, own_only=True), keys)
    parts: dict[str, dict[str, Number | None]] = {**values_of_children(children), OWN_PART: {**own}}
    return Composition(total(parts.values(), keys), parts, children)


def visible_rounds(user: Any) -> QuerySet[Round]:
    """The rounds a user sees: opened in their scope, or by a region above them."""
    if getattr(user, "is_superuser", False):
        return Round.objects.all()
    here = rules.home(user)
    if here is None:
        return Round.objects.none()
    above = [here.code[:length] for length in (2, 4, 6) if len(here.prefix) > length]
    ancestors = [code.ljust(6, "0") for code in above]
    return Round.objects.filter(
        Q(region__code__startswith=here.prefix) | Q(region__code__in=ancestors)
    ).select_related("region")


def completeness_status(submission: Submission, today: datetime.date) -> str:
    """已报 / 已审核 / 退回 / 逾期 / 未报, as the completeness table says it."""
    if submission.status == Status.APPROVED:
        return "approved"
    if submission.status == Status.SUBMITTED:
        return "submitted"
    if submission.status == Status.RETURNED:
        return "overdue_returned" if submission.round.overdue(today) else "returned"
    return "overdue" if submission.round.overdue(today) else "pending"


def children_in_scope(round_: Round, parent: Region, user: Any) -> QuerySet[Submission]:
    return scope.filter_for_user(
        Submission.objects.filter(round=round_, region__parent=parent), user
    ).select_related("region", "round", "submitted_by", "reviewed_by")


def _tally(tally: dict[str, int], status: str, overdue: bool, n: int = 1) -> None:
    """Count `n` reports of one status into a completeness tally: reported (submitted or
    approved), approved, returned, late (open after the due date) or not yet due."""
    tally["total"] += n
    if status in REPORTED_STATUSES:
        tally["reported"] += n
    if status == Status.APPROVED:
        tally["approved"] += n
    if status == Status.RETURNED:
        tally["returned"] += n
    if status in OPEN_STATUSES:
        tally["overdue" if overdue else "pending"] += n


def _empty_tally() -> dict[str, int]:
    return {"total": 0, "reported": 0, "approved": 0, "returned": 0, "overdue": 0, "pending": 0}


def counts(submissions: Iterable[Submission], today: datetime.date) -> dict[str, int]:
    """How many children have reported (submitted or approved), been approved, returned, are
    late (not reported after the due date) or not reported yet."""
    tally = _empty_tally()
    for submission in submissions:
        _tally(tally, submission.status, submission.round.overdue(today))
    return tally


def counts_by_round(
    rounds: Sequence[Round], parent: Region, user: Any, today: datetime.date
) -> dict[int, dict[str, int]]:
    """`counts` of the children of `parent` for many rounds in one grouped query (the rounds
    page lists up to a hundred)."""
    rows = (
        scope.filter_for_user(
            Submission.objects.filter(round__in=rounds, region__parent=parent), user
        )
        .order_by()
        .values_list("round_id", "status")
        .annotate(n=Count("pk"))
    )
    by_pk = {round_.pk: round_ for round_ in rounds}
    result = {round_.pk: _empty_tally() for round_ in rounds}
    for round_pk, status, n in rows:
        _tally(result[round_pk], status, by_pk[round_pk].overdue(today), n)
    return result


def overdue_below(user: Any, today: datetime.date) -> QuerySet[Submission]:
    """催报: the submissions of the user's direct children not reported by their round's due
    date, oldest due first (the 工作台 and the to-do page)."""
    here = rules.home(user)
    if here is None:
        return Submission.objects.none()
    return (
        Submission.objects.filter(
            region__parent=here, status__in=OPEN_STATUSES, round__due_on__lt=today
        )
        .select_related("region", "round")
        .order_by("round__due_on", "region_id")
    )


def own_open(user: Any) -> QuerySet[Submission]:
    """The user's own region's reports still to submit, the soonest due first."""
    here = rules.home(user)
    if here is None:
        return Submission.objects.none()
    return (
        Submission.objects.filter(region=here, status__in=OPEN_STATUSES)
        .select_related("region", "round")
        .order_by("round__due_on", "id")
    )


def awaiting_review(user: Any) -> QuerySet[Submission]:
    """The children's reports submitted and waiting for the user's region to review them."""
    here = rules.home(user)
    if here is None:
        return Submission.objects.none()
    return (
        Submission.objects.filter(region__parent=here, status=Status.SUBMITTED)
        .select_related("region", "round")
        .order_by("submitted_at")
    )


STATUS_LABELS = {
    "pending": gettext_lazy("not reported"),
    "submitted": gettext_lazy("reported, awaiting review"),
    "approved": gettext_lazy("approved"),
    "returned": gettext_lazy("returned"),
    # "overdue" alone is the welfare desk's 超期 (an answer late); a report is 逾期未报.
    "overdue": pgettext_lazy("reporting", "overdue"),
    "overdue_returned": gettext_lazy("returned, overdue"),
}


def status_label(submission: Submission, today: datetime.date) -> str:
    return str(STATUS_LABELS[completeness_status(submission, today)])


def period_label(round_: Round) -> str:
    """2025年度, 2026年上半年, 2026年第3季度 — with the months it counts through."""
    if round_.kind == PeriodKind.ANNUAL:
        return _("%(year)d, the whole year") % {"year": round_.year}
    if round_.kind == PeriodKind.HALF:
        half = _("first half") if round_.part == 1 else _("second half")
        return _("%(year)d %(half)s (January to %(month)d)") % {
            "year": round_.year,
            "half": half,
            "month": round_.through,
        }
    return _("%(year)d quarter %(part)d (January to %(month)d)") % {
        "year": round_.year,
        "part": round_.part,
        "month": round_.through,
    }


def readable_keys(submission: Submission, user: Any) -> list[str]:
    """The round's indicators the user may read (a hardship figure only to those who may open
    hardship files, as on the dashboard)."""
    return readable_in(submission.round, user)


def readable_in(round_: Round, user: Any) -> list[str]:
    """The indicators of a round the user may read, in the round's order."""
    return [
        key for key in round_.indicators if key in BY_KEY and dashboard.readable(user, BY_KEY[key])
    ]


def _shown(key: str, value: Any) -> str:
    indicator = BY_KEY[key]
    if value is None:
        return "—"
    return display(value, indicator.kind, str(indicator.unit))


def view_of(submission: Submission, user: Any) -> dict[str, Any]:
    """What the report's page shows the user: each readable figure live (open) or as submitted
    with its live value beside it, the 说明, 口径 and records; for a parent, each child."""
    keys = readable_keys(submission, user)
    composition = live(submission)
    frozen = submission.status not in OPEN_STATUSES
    figures = {f.key: f for f in submission.figures.all()}
    annual = submission.round.kind == PeriodKind.ANNUAL
    rows = []
    for key in keys:
        indicator = BY_KEY[key]
        figure = figures.get(key)
        now = composition.values.get(key)
        submitted = as_number(key, figure.value) if frozen and figure else None
        differs = frozen and submitted is not None and now is not None and now != submitted
        rows.append(
            {
                "indicator": indicator,
                "key": key,
                "timing": TIMINGS[indicator.timing],
                "live": _shown(key, now),
                "submitted": _shown(key, submitted) if frozen else None,
                "difference": change(now, submitted, indicator.kind, str(indicator.unit))
                if differs
                else None,
                "definition": figure.definition if frozen and figure else indicator.definition,
                "note": figure.note if figure else "",
                "records": figure.records_count if frozen and figure else None,
                "records_link": records_link(figure, user) if frozen and figure else None,
                "link": link_for(key, submission.region_id, submission.round.year)
                if annual and not composition.children
                else None,
            }
        )
    children = []
    parts = frozen_parts(figures) if frozen else composition.parts
    today = timezone.localdate()
    for child in composition.children:
        values = parts.get(child.region_id)
        children.append(
            {
                "submission": child,
                "label": status_label(child, today),
                "counted": values is not None,
                "cells": [
                    _shown(key, values.get(key)) if values is not None else "—" for key in keys
                ],
            }
        )
    if composition.children:
        own = parts.get(OWN_PART, {})
        children.append(
            {
                "submission": None,
                "label": "",
                "counted": True,
                "cells": [_shown(key, own.get(key)) for key in keys],
            }
        )
    return {
        "figures": rows,
        "children": children,
        "child_columns": [BY_KEY[key] for key in keys],
        "missing": [c.region.name for c in composition.children if c.status != Status.APPROVED],
    }


def records_link(figure: Figure, user: Any) -> str | None:
    """The admin list of exactly the records a submitted figure froze, for a user who may open
    them (reporting/admin_filters.py)."""
    if figure.records is None:
        return None
    return records_url(figure.pk, figure.records_model, user)


def records_url(figure: int, records_model: str, user: Any) -> str | None:
    """The admin list of the records of the frozen figure `figure`, kept in `records_model`
    ("app.model"), when the user may open that list."""
    if not records_model or not _may_open(user, records_model):
        return None
    app_label, _dot, model_name = records_model.partition(".")
    try:
        url = reverse(f"admin:{app_label}_{model_name}_changelist")
    except NoReverseMatch:
        return None
    return f"{url}?figure={figure}"


def as_document(submission: Submission, user: Any) -> dict[str, Any]:
    """The JSON of a report: what was submitted (or, while open, the live figures), signed and
    reviewed, each figure with its 口径, 说明 and — to those who may open them — the keys of the
    records behind it."""
    keys = readable_keys(submission, user)
    frozen = submission.status not in OPEN_STATUSES
    figures = {f.key: f for f in submission.figures.all()}
    values = frozen_values(submission, figures) if frozen else live(submission).values
    round_ = submission.round
    document: dict[str, Any] = {
        "round": {
            "id": round_.pk,
            "name": round_.name,
            "year": round_.year,
            "period": round_.kind,
            "part": round_.part,
            "through_month": round_.through,
            "due_on": round_.due_on.isoformat(),
            "opened_by_region": round_.region_id,
        },
        "region": {"code": submission.region_id, "name": submission.region.name},
        "status": submission.status,
        "frozen": frozen,
        "submitted_at": submission.submitted_at.isoformat() if submission.submitted_at else None,
        "filled_in_by": submission.signer,
        "head_of_unit": submission.head,
        "reviewed_at": submission.reviewed_at.isoformat() if submission.reviewed_at else None,
        "review_comment": submission.review_comment,
        "missing_reason": submission.missing_reason,
        "figures": [],
    }
    for key in keys:
        figure = figures.get(key)
        indicator = BY_KEY[key]
        item: dict[str, Any] = {
            "key": key,
            "label": figure.label if frozen and figure else str(indicator.label),
            "unit": figure.unit if frozen and figure else str(indicator.unit),
            "value": values.get(key),
            "definition": figure.definition if frozen and figure else str(indicator.definition),
            "note": figure.note if figure else "",
        }
        if frozen and figure is not None:
            item["parts"] = figure.parts
            item["records_count"] = figure.records_count
            if figure.records is not None and _may_open(user, figure.records_model):
                item["records_model"] = figure.records_model
                item["records"] = records.decode(figure.records)
        document["figures"].append(item)
    return document


def _may_open(user: Any, label: str) -> bool:
    app_label, _dot, model_name = label.partition(".")
    return bool(model_name) and bool(user.has_perm(f"{app_label}.view_{model_name}"))
