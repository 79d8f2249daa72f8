"""Writes of reporting rounds: open a round, write a 说明, submit (freezing every figure),
approve, return, re-open. Every action checks who may take it (reporting/rules.py) and the
version the actor saw: of two admins acting at once on one submission, the second is refused
and told who acted first, and nothing of theirs is written."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from base.models import Region
from dashboards import cache, dashboard
from dashboards.catalogue import BY_KEY, SOURCES
from dashboards.report import person_name
from dashboards.selectors import Number, records_behind, with_parts
from reporting import records, rules, selectors
from reporting.models import (
    OPEN_STATUSES,
    Action,
    Event,
    Figure,
    PeriodKind,
    Round,
    Status,
    Submission,
)

T = TypeVar("T")
SERIALIZATION_FAILURE = "40001"


class Conflict(ValidationError):
    """The submission moved since the actor opened it."""


def indicators_closed(keys: Sequence[str]) -> list[str]:
    """The keys asked for in catalogue order, with the two parts of every share asked: a share
    is re-computed from its parts when a parent adds up its children."""
    unknown = [key for key in keys if key not in BY_KEY]
    if unknown:
        raise ValidationError(
            _("Not in the indicator catalogue: %(keys)s") % {"keys": "、".join(unknown)}
        )
    wanted = {indicator.key for indicator in with_parts(keys)}
    return [key for key in BY_KEY if key in wanted]


def reporting_regions(region: Region) -> list[Region]:
    """Every region below `region` that reports in its rounds: cities and counties."""
    return list(
        Region.objects.filter(
            code__startswith=region.prefix, level__in=rules.REPORTING_LEVELS
        ).exclude(code=region.code)
    )


@transaction.atomic
def round_open(
    *,
    by: Any,
    region: Region,
    name: str,
    year: int,
    kind: str,
    part: int,
    indicators: Sequence[str],
    due_on: datetime.date,
) -> Round:
    """Open a round for every city and county below `region`, each with a submission to fill."""
    if not rules.may_open(by, region):
        raise PermissionDenied(
            _("Only an administrator of a province or city may open a reporting round.")
        )
    today = timezone.localdate()
    if due_on < today:
        raise ValidationError(
            {"due_on": _("The due date %(date)s has passed.") % {"date": due_on.isoformat()}}
        )
    if not indicators:
        raise ValidationError({"indicators": _("Choose at least one indicator.")})
    round_ = Round(
        region=region,
        name=name.strip(),
        year=year,
        kind=kind,
        part=part,
        indicators=indicators_closed(indicators),
        due_on=due_on,
        opened_by=by,
    )
    if kind not in PeriodKind.values:
        raise ValidationError({"kind": _("Choose annual, half-year or quarter.")})
    round_.full_clean()
    round_.save()
    # A report's figures are written when they are first explained or frozen: a province's
    # round is a hundred reports, not a hundred times every indicator.
    Submission.objects.bulk_create(
        Submission(round=round_, region=child) for child in reporting_regions(region)
    )
    return round_


def _managing(by: Any, round_: Round) -> Round:
    if not rules.may_manage(by, round_):
        raise PermissionDenied(
            _("Only an administrator of %(region)s may change this round.")
            % {"region": round_.region.name}
        )
    return Round.objects.select_for_update().get(pk=round_.pk)


@transaction.atomic
def round_move_due(*, by: Any, round_: Round, due_on: datetime.date, reason: str) -> Round:
    """Move a round's due date (延期, or earlier), with the reason kept in its history. A report
    already filed stays as filed; the overdue ones are counted against the new date."""
    locked = _managing(by, round_)
    if due_on < timezone.localdate():
        raise ValidationError(
            {"due_on": _("The due date %(date)s has passed.") % {"date": due_on.isoformat()}}
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the due date moves.")})
    if due_on == locked.due_on:
        return locked
    locked.due_on = due_on
    locked.full_clean()
    locked._history_user = by  # type: ignore[attr-defined]
    locked._change_reason = reason[:100]  # type: ignore[attr-defined]
    locked.save()
    return locked


@transaction.atomic
def round_withdraw(*, by: Any, round_: Round, reason: str) -> None:
    """Withdraw a round opened by mistake, with its empty reports and their 说明. Refused once a
    region has submitted in it: a signed report is a record, and the round is how it is found."""
    locked = _managing(by, round_)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the round is withdrawn.")})
    if Event.objects.filter(submission__round=locked).exists():
        raise ValidationError(
            _(
                "A region has already submitted in %(round)s, so it cannot be withdrawn; "
                "move its due date instead."
            )
            % {"round": locked.name}
        )
    Figure.objects.filter(submission__round=locked).delete()
    locked.submissions.all().delete()
    locked._history_user = by  # type: ignore[attr-defined]
    locked._change_reason = reason[:100]  # type: ignore[attr-defined]
    locked.delete()


def _who_acted(submission: Submission) -> str:
    event = submission.events.order_by("-at", "-id").first()
    if event is None:
        return _("Someone else changed this report; reload the page.")
    return _("%(who)s %(action)s this report at %(when)s first; reload the page.") % {
        "who": event.by_name or str(event.by),
        "action": event.get_action_display(),
        "when": formats.date_format(timezone.localtime(event.at), "Y-m-d H:i"),
    }


@contextmanager
def _acting_on(submission: Submission, version: int | None) -> Iterator[Submission]:
    """The submission locked for an action, refused when it moved past `version`. On
    PostgreSQL the action reads one snapshot (repeatable read): the figures and the records
    behind them are counted at the same moment."""
    outermost = not connection.in_atomic_block
    try:
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            # Only the submission's row is locked: the province's region has no parent, and
            # PostgreSQL refuses FOR UPDATE on the nullable side of the outer join to it.
            locked = (
                Submission.objects.select_for_update(of=("self",))
                .select_related("round", "region", "region__parent")
                .get(pk=submission.pk)
            )
            if version is not None and locked.version != version:
                raise Conflict(_who_acted(locked))
            was_approved = locked.status == Status.APPROVED
            yield locked
            locked.version += 1
            locked.save()
            if was_approved or locked.status == Status.APPROVED:
                # A past year's dashboard shows the approved report's figures
                # (reporting/history.py): an approval given or taken back recounts the
                # dashboards of the region and the regions above it once this commits.
                cache.written([locked.region_id])
    except DatabaseError as error:
        # Another admin's action committed between our snapshot and our lock.
        if getattr(getattr(error, "__cause__", None), "sqlstate", None) == SERIALIZATION_FAILURE:
            raise Conflict(_who_acted(Submission.objects.get(pk=submission.pk))) from error
        raise


def _event(submission: Submission, action: str, by: Any, comment: str = "", **extra: Any) -> None:
    Event.objects.create(
        submission=submission,
        action=action,
        by=by,
        by_name=person_name(by) or by.get_username(),
        comment=comment,
        **extra,
    )


def _refuse_unless_open(submission: Submission) -> None:
    if submission.status in OPEN_STATUSES:
        return
    event = submission.events.filter(action=Action.SUBMITTED).order_by("-at", "-id").first()
    raise ValidationError(
        _("This report was submitted by %(who)s on %(when)s; its figures are frozen.")
        % {
            "who": submission.signer or (event.by_name if event else ""),
            "when": formats.date_format(
                timezone.localtime(submission.submitted_at or timezone.now()), "Y-m-d H:i"
            ),
        }
    )


def _text(value: str) -> str:
    """A 说明 as compared: browsers send a textarea's line breaks as CRLF."""
    return value.replace("\r\n", "\n").strip()


def figure_note(
    *, by: Any, submission: Submission, key: str, note: str, seen: str | None = None
) -> Figure:
    """Write the 说明 of one indicator of an open report. `seen` is the 说明 the writer's page
    showed: when someone changed it since, the write is refused naming them (a form saved with
    this 说明 untouched leaves the newer one alone)."""
    if not rules.may_note(by, submission):
        raise PermissionDenied(_("Only the report's own region may explain its figures."))
    with transaction.atomic():
        locked = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("round")
            .get(pk=submission.pk)
        )
        _refuse_unless_open(locked)
        if key not in locked.round.indicators:
            raise ValidationError(_("The round does not ask for this indicator."))
        if not dashboard.readable(by, BY_KEY[key]):
            # A figure the user may not read (a hardship count for a clerk) is not theirs to
            # explain either.
            raise PermissionDenied(_("You may not read this figure."))
        figure, _created = Figure.objects.get_or_create(submission=locked, key=key)
        note = _text(note)
        if note == _text(figure.note) or (seen is not None and note == _text(seen)):
            return figure  # nothing of this writer's changes it
        if seen is not None and _text(seen) != _text(figure.note):
            raise Conflict(
                _(
                    "%(who)s changed the explanation of “%(label)s” at %(when)s; reload the "
                    "page to see it before changing it."
                )
                % {
                    "who": (person_name(figure.note_by) or figure.note_by.get_username())
                    if figure.note_by
                    else _("Someone"),
                    "label": BY_KEY[key].label,
                    "when": formats.date_format(timezone.localtime(figure.note_at), "Y-m-d H:i")
                    if figure.note_at
                    else "",
                }
            )
        figure.note = note
        figure.note_by = by
        figure.note_at = timezone.now()
        figure.full_clean()
        figure.save(update_fields=["note", "note_by", "note_at"])
    return figure


def _zh(text: Any) -> str:
    with translation.override("zh-hans"):
        return str(text)


def _stored(value: Number | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _freeze(submission: Submission) -> dict[str, str]:
    """Every figure of the report as it stands now, with its 口径, unit and label as they read
    now and the keys of the records behind it; returns the values for the event log."""
    round_ = submission.round
    keys = round_.indicators
    composition = selectors.live(submission)
    period = selectors.period_of(round_)
    behind = records_behind(submission.region, period, keys, own_only=bool(composition.children))
    figures = {figure.key: figure for figure in submission.figures.all()}
    for key in keys:
        indicator = BY_KEY[key]
        figure = figures.get(key) or Figure(submission=submission, key=key)
        figure.value = _stored(composition.values[key])
        figure.label = _zh(indicator.label)
        figure.unit = _zh(indicator.unit)
        figure.definition = _zh(indicator.definition)
        figure.parts = {
            code: None if values.get(key) is None else str(values[key])
            for code, values in composition.parts.items()
        }
        model_label, pks = behind.get(key, ("", []))
        if not model_label and indicator.source is not None:
            model_label = SOURCES[indicator.source].model_class()._meta.label_lower
        figure.records_model = model_label
        figure.records_count = len(pks) if key in behind else None
        figure.records = records.encode(pks) if key in behind else None
        figure.save()
    return {key: str(composition.values[key]) for key in keys}


def submission_submit(
    *,
    by: Any,
    submission: Submission,
    version: int | None,
    head: str,
    missing_reason: str = "",
) -> Submission:
    """提交: freeze the report, signed with the submitter's full name, the head of unit and the
    date. A parent submits when every child is approved, or says why not."""
    if not rules.may_submit(by, submission):
        raise PermissionDenied(_("Only an administrator of the region may submit its report."))
    signer = person_name(by)
    if not signer:
        raise ValidationError(
            _("Your account has no full name; a report is signed with it. Ask an administrator.")
        )
    if not head.strip():
        raise ValidationError({"head": _("Name the head of unit who answers for the report.")})
    with _acting_on(submission, version) as locked:
        _refuse_unless_open(locked)
        missing = [
            child.region.name
            for child in selectors.children_of(locked)
            if child.status != Status.APPROVED
        ]
        if missing and not missing_reason.strip():
            raise ValidationError(
                {
                    "missing_reason": _(
                        "Not yet approved: %(regions)s. Wait for them, or say why the report "
                        "goes without them."
                    )
                    % {"regions": "、".join(missing)}
                }
            )
        values = _freeze(locked)
        locked.status = Status.SUBMITTED
        locked.submitted_by = by
        locked.submitted_at = timezone.now()
        locked.signer = signer
        locked.head = head.strip()
        locked.missing_reason = missing_reason.strip() if missing else ""
        locked.reviewed_by = None
        locked.reviewed_at = None
        locked.review_comment = ""
        locked.full_clean()
        _event(
            locked,
            Action.SUBMITTED,
            by,
            locked.missing_reason,
            values={"figures": values, "head": locked.head, "missing": missing},
        )
    return locked


def _review(
    *, by: Any, submission: Submission, version: int | None, act: Callable[[Submission], None]
) -> Submission:
    if not rules.may_review(by, submission):
        raise PermissionDenied(
            _("Only an administrator of the region above may review this report.")
        )
    with _acting_on(submission, version) as locked:
        act(locked)
        locked.full_clean()
    return locked


def submission_approve(
    *, by: Any, submission: Submission, version: int | None, comment: str = ""
) -> Submission:
    """审核: the parent's admin accepts a submitted report."""

    def act(locked: Submission) -> None:
        if locked.status != Status.SUBMITTED:
            raise ValidationError(_status_message(locked))
        if locked.submitted_by_id == by.pk:
            raise PermissionDenied(_("You submitted this report; someone else must review it."))
        locked.status = Status.APPROVED
        locked.reviewed_by = by
        locked.reviewed_at = timezone.now()
        locked.review_comment = comment.strip()
        _event(locked, Action.APPROVED, by, locked.review_comment)

    return _review(by=by, submission=submission, version=version, act=act)


def submission_return(
    *, by: Any, submission: Submission, version: int | None, comment: str
) -> Submission:
    """退回: the report goes back to its region as a draft, with the reviewer's comment."""
    if not comment.strip():
        raise ValidationError({"comment": _("Say why the report goes back.")})

    def act(locked: Submission) -> None:
        if locked.status != Status.SUBMITTED:
            raise ValidationError(_status_message(locked))
        locked.status = Status.RETURNED
        locked.reviewed_by = by
        locked.reviewed_at = timezone.now()
        locked.review_comment = comment.strip()
        _event(locked, Action.RETURNED, by, locked.review_comment)

    return _review(by=by, submission=submission, version=version, act=act)


def submission_reopen(
    *, by: Any, submission: Submission, version: int | None, reason: str
) -> Submission:
    """Re-open an approved report (back to its region as returned), for a reason kept in the
    log. Not while the parent's own report, which counts it, is submitted or approved."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the approved report is re-opened.")})

    def act(locked: Submission) -> None:
        if locked.status != Status.APPROVED:
            raise ValidationError(_status_message(locked))
        parent = Submission.objects.filter(
            round_id=locked.round_id, region_id=locked.region.parent_id
        ).first()
        if parent is not None and parent.status not in OPEN_STATUSES:
            raise ValidationError(
                _(
                    "%(region)s's own report, which counts this one, is %(status)s; it must be "
                    "returned first."
                )
                % {"region": parent.region.name, "status": parent.get_status_display()}
            )
        locked.status = Status.RETURNED
        locked.review_comment = reason.strip()
        _event(locked, Action.REOPENED, by, reason.strip())

    return _review(by=by, submission=submission, version=version, act=act)


def _status_message(submission: Submission) -> str:
    if submission.status == Status.APPROVED:
        return _("This report was approved by %(who)s on %(when)s.") % {
            "who": person_name(submission.reviewed_by) or str(submission.reviewed_by),
            "when": formats.date_format(
                timezone.localtime(submission.reviewed_at or timezone.now()), "Y-m-d H:i"
            ),
        }
    if submission.status in OPEN_STATUSES:
        return _("This report has not been submitted.")
    return _("This report is waiting for review.")
