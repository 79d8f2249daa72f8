"""Writes for hardship cases and 越温暖 dispatches: every step of their lifecycles, each checked
against the step rules (base.steps) and written to the case's timeline (CaseEvent)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from base import identity
from base.models import Region
from base.services import record_save
from base.steps import Step, step_require
from welfare.models import (
    CASE_TRANSITIONS,
    DISPATCH_DAYS_TO_ANSWER,
    REVIEWED_STATUSES,
    SOLAR_STAGE_DATES,
    SOLAR_STAGES,
    AssistanceGrant,
    CaseEvent,
    CaseEventKind,
    CaseSource,
    CaseStatus,
    Dispatch,
    DispatchStatus,
    HardshipCase,
    HardshipCause,
    SolarIncome,
    SolarProject,
    SolarStage,
)
from workforce.models import Worker

# The step that moves a case into each status.
STEP_INTO: dict[str, Step] = {
    CaseStatus.REPORTED: Step.CASE_REPORT,
    CaseStatus.VERIFIED: Step.CASE_VERIFY,
    CaseStatus.FILED: Step.CASE_FILE,
    CaseStatus.AIDED: Step.CASE_AID,
    CaseStatus.CLOSED: Step.CASE_CLOSE,
    CaseStatus.REJECTED: Step.CASE_REJECT,
}
OPEN_STATUSES = (CaseStatus.REPORTED, CaseStatus.VERIFIED, CaseStatus.FILED, CaseStatus.AIDED)


def hardship_case_check_transition(*, current: str, target: str, reason: str = "") -> None:
    """Refuse a status change the lifecycle does not allow (reported → verified → filed →
    aided → closed, or rejected before filing) and a closing or rejection without a reason."""
    if target == current:
        return
    if target not in CASE_TRANSITIONS[current]:
        raise ValidationError(
            {
                "status": _("A case cannot go from “%(current)s” to “%(target)s”.")
                % {"current": CaseStatus(current).label, "target": CaseStatus(target).label}
            }
        )
    if target in (CaseStatus.CLOSED, CaseStatus.REJECTED) and not reason.strip():
        raise ValidationError({"reason": _("Give the reason the case was closed or not filed.")})


def case_event_record(
    *,
    case: HardshipCase,
    kind: str,
    from_status: str,
    on: datetime.date,
    user: Any,
    note: str = "",
) -> CaseEvent:
    event = CaseEvent(
        case=case,
        kind=kind,
        from_status=from_status,
        to_status=case.status,
        on=on,
        user=user if user is not None and user.is_authenticated else None,
        note=note,
    )
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def hardship_case_report(
    *,
    worker: Worker,
    level: str,
    causes: Sequence[str],
    user: Any,
    source: str = CaseSource.GRASSROOTS,
    family_size: int | None = None,
    monthly_income_per_head: Decimal | None = None,
    on: datetime.date | None = None,
    note: str = "",
) -> HardshipCase:
    """A town union reports a worker in hardship: a new case awaiting county verification."""
    case = HardshipCase(
        worker=worker,
        level=level,
        causes=list(causes),
        source=source,
        family_size=family_size,
        monthly_income_per_head=monthly_income_per_head,
        status=CaseStatus.REPORTED,
    )
    step_require(user=user, step=Step.CASE_REPORT, record=case)
    record_save(record=case, user=user)
    case_event_record(
        case=case,
        kind=CaseEventKind.RECORDED,
        from_status="",
        on=on or timezone.localdate(),
        user=user,
        note=note,
    )
    return case


@transaction.atomic
def hardship_case_record(*, case: HardshipCase, user: Any) -> HardshipCase:
    """Enter a case as it stands on paper (an old file may already be filed or closed): the
    user must be allowed the step that puts a case in that status."""
    step_require(user=user, step=STEP_INTO[case.status], record=case)
    record_save(record=case, user=user)
    case_event_record(
        case=case,
        kind=CaseEventKind.RECORDED,
        from_status="",
        on=case.closed_on or case.rejected_on or case.filed_on or timezone.localdate(),
        user=user,
    )
    return case


def hardship_case_check_step(
    *, case: HardshipCase, to_status: str, user: Any, reason: str = "", note: str = ""
) -> None:
    """Everything a status change needs before it is made: the lifecycle allows it, the user's
    role and region allow the step, and the step's data is there (forms ask this first)."""
    hardship_case_check_transition(current=case.status, target=to_status, reason=reason)
    step_require(user=user, step=STEP_INTO[to_status], record=case)
    if to_status == CaseStatus.VERIFIED and not note.strip():
        raise ValidationError({"verification_note": _("Write down what the verification found.")})


@transaction.atomic
def hardship_case_transition(
    *,
    case: HardshipCase,
    to_status: str,
    user: Any,
    on: datetime.date | None = None,
    reason: str = "",
    note: str = "",
) -> HardshipCase:
    """Move a case to its next status, with the data that step needs: a verification note to
    verify, the filing date to file (today unless given), a reason to close or reject."""
    current = case.status
    if to_status == current:
        return case
    hardship_case_check_step(case=case, to_status=to_status, user=user, reason=reason, note=note)
    day = on or timezone.localdate()
    if to_status == CaseStatus.VERIFIED:
        case.verification_note = note
    if to_status == CaseStatus.FILED:
        case.filed_on = day
    if to_status == CaseStatus.CLOSED:
        case.closed_on = day
    if to_status == CaseStatus.REJECTED:
        case.rejected_on = day
    if reason:
        case.reason = reason
    case.status = to_status
    record_save(record=case, user=user)
    case_event_record(
        case=case,
        kind=CaseEventKind.TRANSITION,
        from_status=current,
        on=day,
        user=user,
        note=reason or note,
    )
    return case


@transaction.atomic
def hardship_case_review(
    *, case: HardshipCase, user: Any, on: datetime.date | None = None, note: str = ""
) -> HardshipCase:
    """The annual review of a filed case (年度复核): the case stays on file for another year."""
    step_require(user=user, step=Step.CASE_REVIEW, record=case)
    if case.status not in REVIEWED_STATUSES:
        raise ValidationError({"status": _("Only a case on file (filed or aided) is reviewed.")})
    day = on or timezone.localdate()
    if case.filed_on and day < case.filed_on:
        raise ValidationError({"last_reviewed_on": _("A review cannot predate the filing.")})
    case.last_reviewed_on = day
    case.full_clean()
    case.save(update_fields=["last_reviewed_on", "updated_at"])
    case_event_record(
        case=case, kind=CaseEventKind.REVIEW, from_status=case.status, on=day, user=user, note=note
    )
    return case


def hardship_case_mark_aided(*, case: HardshipCase, user: Any = None) -> None:
    """A filed case that received a grant is "aided"."""
    if case.status == CaseStatus.FILED:
        case.status = CaseStatus.AIDED
        case.save(update_fields=["status", "updated_at"])
        # The case was aided when its first grant since filing was paid, which a grant entered
        # (or imported) later still says.
        grants = case.grants.filter(granted_on__gte=case.filed_on) if case.filed_on else None
        first = grants.aggregate(first=Min("granted_on"))["first"] if grants is not None else None
        case_event_record(
            case=case,
            kind=CaseEventKind.TRANSITION,
            from_status=CaseStatus.FILED,
            on=first or timezone.localdate(),
            user=user,
            note=_("Aid granted."),
        )


@transaction.atomic
def assistance_grant_create(
    *,
    case: HardshipCase,
    kind: str,
    amount: Decimal,
    granted_on: datetime.date,
    user: Any,
    fund_source: str = "",
) -> AssistanceGrant:
    step_require(user=user, step=Step.CASE_AID, record=case)
    grant = AssistanceGrant(
        case=case, kind=kind, amount=amount, granted_on=granted_on, fund_source=fund_source
    )
    record_save(record=grant, user=user)
    hardship_case_mark_aided(case=case, user=user)
    return grant


# --- 越温暖 dispatches ---------------------------------------------------------------------------


def _worker_by_id_number(id_number: str) -> Worker | None:
    return Worker.objects.filter(id_number=identity.normalise_id_number(id_number)).first()


@transaction.atomic
def dispatch_receive(
    *,
    name: str,
    id_number: str,
    region: Region,
    received_on: datetime.date,
    user: Any,
    due_on: datetime.date | None = None,
    causes: Sequence[str] = (),
    reference: str = "",
) -> Dispatch:
    """The county records a person from the city's sensing list and assigns them to a town
    union; a worker already on the register is matched by ID number."""
    dispatch = Dispatch(
        name=name,
        id_number=identity.normalise_id_number(id_number),
        region=region,
        received_on=received_on,
        due_on=due_on or received_on + datetime.timedelta(days=DISPATCH_DAYS_TO_ANSWER),
        causes=list(causes),
        reference=reference,
        worker=_worker_by_id_number(id_number),
    )
    step_require(user=user, step=Step.DISPATCH_RECEIVE, record=dispatch)
    record_save(record=dispatch, user=user)
    return dispatch


def _require_open(dispatch: Dispatch) -> None:
    if dispatch.status != DispatchStatus.RECEIVED:
        raise ValidationError({"status": _("This dispatch has already been answered.")})


@transaction.atomic
def dispatch_confirm(
    *,
    dispatch: Dispatch,
    user: Any,
    level: str,
    causes: Sequence[str] = (),
    on: datetime.date | None = None,
    note: str = "",
) -> Dispatch:
    """The town confirms the person is in hardship: the dispatch opens a case (or joins the
    worker's case already open), registering the worker first if they are not on the register."""
    step_require(user=user, step=Step.DISPATCH_ANSWER, record=dispatch)
    _require_open(dispatch)
    day = on or timezone.localdate()
    worker = dispatch.worker or _worker_by_id_number(dispatch.id_number)
    if worker is None:
        worker = Worker(name=dispatch.name, id_number=dispatch.id_number, region=dispatch.region)
        record_save(record=worker, user=user)
    case = (
        HardshipCase.objects.filter(worker=worker, status__in=OPEN_STATUSES).order_by("-pk").first()
    )
    opened = case is None
    if case is None:
        case = HardshipCase(
            worker=worker,
            level=level,
            causes=list(causes or dispatch.causes or [HardshipCause.OTHER]),
            source=CaseSource.DISPATCH,
            status=CaseStatus.REPORTED,
        )
        record_save(record=case, user=user)
    case_event_record(
        case=case,
        kind=CaseEventKind.DISPATCH,
        from_status="" if opened else case.status,
        on=day,
        user=user,
        note=note or dispatch.reference,
    )
    dispatch.worker = worker
    dispatch.case = case
    dispatch.status = DispatchStatus.CONFIRMED
    dispatch.answered_on = day
    dispatch.reason = note
    record_save(record=dispatch, user=user)
    return dispatch


@transaction.atomic
def dispatch_reject(
    *, dispatch: Dispatch, user: Any, reason: str, on: datetime.date | None = None
) -> Dispatch:
    """The town finds the person not eligible and says why."""
    step_require(user=user, step=Step.DISPATCH_ANSWER, record=dispatch)
    _require_open(dispatch)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the person is not eligible.")})
    dispatch.status = DispatchStatus.NOT_ELIGIBLE
    dispatch.answered_on = on or timezone.localdate()
    dispatch.reason = reason
    record_save(record=dispatch, user=user)
    return dispatch


# --- 光FU行 solar projects ----------------------------------------------------------------------


@transaction.atomic
def solar_project_apply(
    *,
    worker: Worker,
    applied_on: datetime.date,
    user: Any,
    case: HardshipCase | None = None,
    documents: Sequence[str] = (),
    note: str = "",
) -> SolarProject:
    """A grassroots union applies for a household (申请表)."""
    project = SolarProject(
        worker=worker,
        case=case,
        applied_on=applied_on,
        documents=list(documents),
        note=note,
        stage=SolarStage.APPLIED,
    )
    step_require(user=user, step=Step.SOLAR_APPLY, record=project)
    record_save(record=project, user=user)
    return project


def solar_project_check_advance(*, project: SolarProject, user: Any) -> str:
    """The next stage, if the user may move the project there: the county unions take every
    step after the application, and the agreement needs the full documents checklist."""
    step_require(user=user, step=Step.SOLAR_ADVANCE, record=project)
    position = SOLAR_STAGES.index(project.stage)
    if position + 1 == len(SOLAR_STAGES):
        raise ValidationError({"stage": _("This installation is already grid-connected.")})
    target = SOLAR_STAGES[position + 1]
    if target == SolarStage.AGREED and project.missing_documents:
        raise ValidationError(
            {
                "documents": _("The agreement needs every document; missing: %(missing)s.")
                % {"missing": "、".join(str(label) for label in project.missing_documents)}
            }
        )
    return target


@transaction.atomic
def solar_project_advance(
    *, project: SolarProject, user: Any, on: datetime.date | None = None
) -> SolarProject:
    """Move a project to its next stage (survey → agreement → installed → grid-connected)."""
    target = solar_project_check_advance(project=project, user=user)
    setattr(project, SOLAR_STAGE_DATES[target], on or timezone.localdate())
    project.stage = target
    record_save(record=project, user=user)
    return project


@transaction.atomic
def solar_income_record(
    *, project: SolarProject, year: int, income: Decimal, user: Any
) -> SolarIncome:
    """Record (or correct) a year's income of a connected installation."""
    step_require(user=user, step=Step.SOLAR_ADVANCE, record=project)
    record = SolarIncome.objects.filter(project=project, year=year).first() or SolarIncome(
        project=project, year=year
    )
    record.income = income
    record_save(record=record, user=user)
    return record


def case_moved_by_merge(
    sender: Any, *, record: Any, user: Any, keep: Worker, duplicate: Worker, **kwargs: Any
) -> None:
    """Receiver of workforce's record_moved_by_merge: a hardship case moved onto another worker
    record gets a line on its timeline, like every other thing done to it."""
    if not isinstance(record, HardshipCase):
        return
    case_event_record(
        case=record,
        kind=CaseEventKind.MERGED,
        from_status=record.status,
        on=timezone.localdate(),
        user=user,
        note=_("Moved from worker record %(from)s to %(to)s by a merge.")
        % {"from": duplicate.pk, "to": keep.pk},
    )
