"""Writes for hardship cases, 越温暖 dispatches and 光FU行 solar projects: every step of their
lifecycles asks the step table (base.steps: who may take it, from which state, into which, with
which data) and a case's steps are written to its timeline (CaseEvent)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from base import following, identity
from base.models import Region
from base.roles import keeps_province_table
from base.services import record_save
from base.steps import (
    RULE,
    WORKFLOW,
    Step,
    state_entry_check,
    step_between,
    step_check,
    step_data,
    step_require,
)
from welfare.models import (
    CASE_WORKFLOW,
    DISPATCH_DAYS_TO_ANSWER,
    AssistanceGrant,
    BenefitRule,
    BenefitTaken,
    BookingStatus,
    CareOccasion,
    CareOccasionSource,
    CareVisit,
    CaseEvent,
    CaseEventKind,
    CaseSource,
    CaseStatus,
    CounsellingAssessment,
    CounsellingBooking,
    CounsellingLecture,
    Dispatch,
    DispatchStatus,
    HardshipCase,
    HardshipCause,
    RecuperationTrip,
    SolarIncome,
    SolarProject,
    SolarStage,
)
from workforce.models import Worker

OPEN_STATUSES = (CaseStatus.REPORTED, CaseStatus.VERIFIED, CaseStatus.FILED, CaseStatus.AIDED)
SOLAR_WORKFLOW = WORKFLOW["solar_project"]


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
    step_check(step=Step.CASE_REPORT, user=user, record=case)
    hardship_case_check_entry(user=user, previous_status=None, data={}, record=case)
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


def open_cases_of(*, worker_ids: Iterable[int]) -> dict[int, datetime.date | None]:
    """The workers' open cases (reported to aided), by worker: their filing date (None while not
    yet filed). One query for any number of workers."""
    wanted = sorted({pk for pk in worker_ids if pk is not None})
    if not wanted:
        return {}
    return dict(
        HardshipCase.objects.filter(worker_id__in=wanted, status__in=OPEN_STATUSES).values_list(
            "worker_id", "filed_on"
        )
    )


def hardship_case_check_entry(
    *,
    user: Any,
    previous_status: str | None,
    data: Mapping[str, Any],
    record: HardshipCase | None = None,
    open_cases: Mapping[int, datetime.date | None] | None = None,
) -> Step | None:
    """Everything entering or changing a case as it stands asks, without saving (the admin form
    of a new case, hardship_case_record, hardship_case_report and every hardship sheet row):

    - a new case (`previous_status` None) is entered in its status by the step into it: the
      user may take that step and the case holds the data it needs (已帮扶 its 建档日期;
      已解困 its date and its reason);
    - a worker has one open case at a time: a new open case for a worker who has one is refused
      (a sheet row for that case matches it instead, see the hardship sheet's natural key);
    - a change of status is the one step of the table between the two, taken by the user with
      its data (in `data`, else on `record`).

    `data` holds the case's fields by name (the worker as a record or its pk); `open_cases` the
    open cases of the workers concerned (open_cases_of), looked up when not given. Returns the
    step taken (None: no change of status)."""
    status = str(data.get("status") or getattr(record, "status", ""))
    if previous_status is None:
        step = state_entry_check(
            workflow=CASE_WORKFLOW, state=status, user=user, record=record, data=data
        )
        worker = data.get("worker", getattr(record, "worker_id", None))
        worker_id = getattr(worker, "pk", worker)
        if status in OPEN_STATUSES and worker_id is not None:
            if open_cases is None:
                open_cases = open_cases_of(worker_ids=[worker_id])
            if worker_id in open_cases:
                filed_on = open_cases[worker_id]
                raise ValidationError(
                    {
                        "filed_on" if filed_on else "worker": (
                            _(
                                "This worker already has an open case filed on %(date)s: a "
                                "worker has one open case at a time."
                            )
                            % {"date": filed_on}
                            if filed_on
                            else _(
                                "This worker already has an open case not yet filed: a worker "
                                "has one open case at a time."
                            )
                        )
                    }
                )
        return step
    if status == previous_status:
        return None
    step = step_between(workflow=CASE_WORKFLOW, current=previous_status, wanted=status)
    step_check(step=step, user=user, record=record, data=data, current=previous_status)
    return step


@transaction.atomic
def hardship_case_record(*, case: HardshipCase, user: Any) -> HardshipCase:
    """Enter a case as it stands on paper (an old file may already be filed or closed): the
    user must be allowed the step that puts a case in that status, and the case must hold the
    data that step needs (hardship_case_check_entry)."""
    hardship_case_check_entry(user=user, previous_status=None, data={}, record=case)
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
    *,
    case: HardshipCase,
    to_status: str,
    user: Any,
    on: datetime.date | None = None,
    reason: str = "",
    note: str = "",
) -> tuple[Step, dict[str, Any]]:
    """Everything a status change asks before it is made, without saving (forms ask this
    first): the one step of the table from the case's status to `to_status`, the user's role
    and region, and the data that step needs. Returns the step and the fields it writes."""
    step = step_between(workflow=CASE_WORKFLOW, current=case.status, wanted=to_status)
    data = step_data(step, on=on or timezone.localdate(), reason=reason, verification_note=note)
    step_check(step=step, user=user, record=case, data=data)
    return step, data


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
    step, data = hardship_case_check_step(
        case=case, to_status=to_status, user=user, on=on, reason=reason, note=note
    )
    for field, value in data.items():
        setattr(case, field, value)
    case.status = to_status
    # The step is why the status changed (the history's 修改原因), with the note if any.
    why = "：".join(part for part in (str(step.label), reason or note) if part)
    record_save(record=case, user=user, reason=why)
    case_event_record(
        case=case,
        kind=CaseEventKind.TRANSITION,
        from_status=current,
        on=on or timezone.localdate(),
        user=user,
        note=reason or note,
    )
    return case


@transaction.atomic
def hardship_case_review(
    *, case: HardshipCase, user: Any, on: datetime.date | None = None, note: str = ""
) -> HardshipCase:
    """The annual review of a filed case (年度复核): the case stays on file for another year."""
    day = on or timezone.localdate()
    step_check(
        step=Step.CASE_REVIEW, user=user, record=case, data=step_data(Step.CASE_REVIEW, on=day)
    )
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
    """A filed case that received a grant is "aided": the aid step of the table (the user's
    role and region were asked when the grant was recorded)."""
    hardship_cases_mark_aided(cases=[case], user=user)


def hardship_cases_mark_aided(
    *, cases: Iterable[HardshipCase], user: Any
) -> tuple[list[HardshipCase], list[CaseEvent]]:
    """Every filed case among `cases` that received a grant becomes aided, each with its line
    on the timeline dated by its first grant since filing (a grant entered or imported later
    still says when aid began), by `user`. A few queries for any number of cases (a grants
    sheet marks all of its cases at once). Returns the cases moved (each was filed) and the
    timeline lines written."""
    by_pk = {case.pk: case for case in cases if case.pk is not None}
    if not by_pk:
        return [], []
    # The database's status, not the objects' (a sheet's rows may hold stale copies).
    filed = set(
        HardshipCase.objects.filter(pk__in=by_pk, status=CaseStatus.FILED).values_list(
            "pk", flat=True
        )
    )
    if not filed:
        return [], []
    step_between(workflow=CASE_WORKFLOW, current=CaseStatus.FILED, wanted=CaseStatus.AIDED)
    first_grant = dict(
        AssistanceGrant.objects.filter(case_id__in=filed, granted_on__gte=F("case__filed_on"))
        .values("case_id")
        .annotate(first=Min("granted_on"))
        .values_list("case_id", "first")
    )
    now, today = timezone.now(), timezone.localdate()
    actor = user if user is not None and getattr(user, "pk", None) else None
    moved = [by_pk[pk] for pk in sorted(filed)]
    for case in moved:
        case.status, case.updated_at = CaseStatus.AIDED, now
    bulk_update_with_history(moved, HardshipCase, ["status", "updated_at"], default_user=actor)
    events = [
        CaseEvent(
            case=case,
            kind=CaseEventKind.TRANSITION,
            from_status=CaseStatus.FILED,
            to_status=CaseStatus.AIDED,
            on=first_grant.get(case.pk) or today,
            user=actor,
            note=_("Aid granted."),
        )
        for case in moved
    ]
    return moved, case_events_write(events=events, user=actor)


def case_events_write(*, events: list[CaseEvent], user: Any) -> list[CaseEvent]:
    """Write many timeline lines at once (with their history rows): an import's. Each line is
    checked as case_event_record checks one, without a query per line."""
    for event in events:
        event.full_clean(
            exclude=["case", "user"], validate_unique=False, validate_constraints=False
        )
    if events:
        actor = user if user is not None and getattr(user, "pk", None) else None
        following.fill(events)
        bulk_create_with_history(events, CaseEvent, default_user=actor)
    return events


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
    """Grant aid on a case: the aid step (a filed or aided case; the first grant makes a filed
    case aided)."""
    step_require(user=user, step=Step.CASE_AID, record=case)
    grant = AssistanceGrant(
        case=case, kind=kind, amount=amount, granted_on=granted_on, fund_source=fund_source
    )
    grant.full_clean()  # a case not filed is refused on the grant's own field first
    step_check(step=Step.CASE_AID, user=user, record=case)
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
    step_check(step=Step.DISPATCH_RECEIVE, user=user, record=dispatch)
    record_save(record=dispatch, user=user)
    return dispatch


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
    day = on or timezone.localdate()
    step_check(
        step=Step.DISPATCH_CONFIRM,
        user=user,
        record=dispatch,
        data=step_data(Step.DISPATCH_CONFIRM, on=day),
    )
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
    data = step_data(Step.DISPATCH_REJECT, on=on or timezone.localdate(), reason=reason)
    step_check(step=Step.DISPATCH_REJECT, user=user, record=dispatch, data=data)
    for field, value in data.items():
        setattr(dispatch, field, value)
    dispatch.status = DispatchStatus.NOT_ELIGIBLE
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
    step_check(step=Step.SOLAR_APPLY, user=user, record=project)
    record_save(record=project, user=user)
    return project


def solar_project_check_advance(
    *, project: SolarProject, user: Any, on: datetime.date | None = None
) -> tuple[Step, dict[str, Any]]:
    """The step that moves the project to its next stage, if the user may take it with the data
    it needs (the agreement needs the full documents checklist), without saving."""
    following = [rule for rule in SOLAR_WORKFLOW.steps_from(project.stage) if rule.into is not None]
    if not following:
        raise ValidationError({"stage": _("This installation is already grid-connected.")})
    step = following[0].step
    data = step_data(step, on=on or timezone.localdate())
    step_check(step=step, user=user, record=project, data=data)
    return step, data


@transaction.atomic
def solar_project_advance(
    *, project: SolarProject, user: Any, on: datetime.date | None = None
) -> SolarProject:
    """Move a project to its next stage (survey → agreement → installed → grid-connected)."""
    step, data = solar_project_check_advance(project=project, user=user, on=on)
    for field, value in data.items():
        setattr(project, field, value)
    project.stage = str(RULE[step].into)
    record_save(record=project, user=user)
    return project


@transaction.atomic
def solar_income_record(
    *, project: SolarProject, year: int, income: Decimal, user: Any
) -> SolarIncome:
    """Record (or correct) a year's income of a connected installation."""
    step_check(step=Step.SOLAR_INCOME, user=user, record=project)
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


# --- 礼遇工匠: the benefit rules and the benefits taken ---------------------------------------


def may_keep_benefit_rules(user: Any) -> bool:
    """The benefit rules are the province's: only an administrator whose scope is the whole
    province (or a superuser) adds, changes or deletes them; everyone else reads them."""
    return bool(getattr(user, "is_authenticated", False)) and keeps_province_table(
        user, BenefitRule._meta.label_lower
    )


def benefit_rule_save(*, rule: BenefitRule, user: Any) -> BenefitRule:
    if not may_keep_benefit_rules(user):
        raise PermissionDenied(_("Only the province's administrators keep the benefit rules."))
    record_save(record=rule, user=user)
    return rule


def benefit_taken_record(
    *,
    worker: Worker,
    kind: str,
    taken_on: datetime.date,
    user: Any,
    place: str = "",
    cost: Decimal | None = None,
    trip: RecuperationTrip | None = None,
    note: str = "",
) -> BenefitTaken:
    """Record a benefit an honoured craftsman took, in the county that keeps the worker."""
    benefit = BenefitTaken(
        worker=worker,
        kind=kind,
        taken_on=taken_on,
        place=place,
        cost=cost,
        trip=trip,
        note=note,
    )
    record_save(record=benefit, user=user)
    return benefit


# --- 六必访: the occasions and the visits --------------------------------------------------------


def care_occasion_record(
    *,
    worker: Worker,
    kind: str,
    happened_on: datetime.date,
    user: Any,
    source: str = CareOccasionSource.UNION,
    reported_by: str = "",
    note: str = "",
) -> CareOccasion:
    """Record one of the six occasions for a worker: it calls for a visit (the visit rule,
    welfare.selectors) until one answers it."""
    occasion = CareOccasion(
        worker=worker,
        kind=kind,
        happened_on=happened_on,
        source=source,
        reported_by=reported_by,
        note=note,
    )
    record_save(record=occasion, user=user)
    return occasion


def care_visit_link_case(*, visit: CareVisit) -> None:
    """Link a visit that names no hardship case to the worker's open case, where there is one:
    the visit then answers the case too."""
    if visit.case_id is not None or visit.worker_id is None:
        return
    case = (
        HardshipCase.objects.filter(worker_id=visit.worker_id, status__in=OPEN_STATUSES)
        .order_by("-filed_on", "-pk")
        .first()
    )
    if case is not None:
        visit.case = case


def care_visit_save(*, visit: CareVisit, user: Any, expected_version: str = "") -> CareVisit:
    """Save a visit (the admin form's path): linked to the worker's open case where it names
    none, then validated and saved in the user's scope."""
    care_visit_link_case(visit=visit)
    record_save(record=visit, user=user, expected_version=expected_version)
    return visit


def care_visit_record(
    *,
    worker: Worker,
    kind: str,
    visited_on: datetime.date,
    visitors: str,
    user: Any,
    aid: Decimal = Decimal("0"),
    occasion: CareOccasion | None = None,
    case: HardshipCase | None = None,
    note: str = "",
) -> CareVisit:
    """Record a visit made on one of the six occasions, answering `occasion` where given and
    linked to the worker's hardship case where one exists."""
    visit = CareVisit(
        worker=worker,
        kind=kind,
        visited_on=visited_on,
        visitors=visitors,
        aid=aid,
        occasion=occasion,
        case=case,
        note=note,
    )
    return care_visit_save(visit=visit, user=user)


# --- 台工心港: assessment tallies, bookings, lectures -----------------------------------------


def _counselling_check(user: Any, model: type[Any], action: str) -> None:
    """The counselling tables are written by the counsellor role alone (base/roles.py): the
    services refuse anyone else, whichever door they came through."""
    opts = model._meta
    if not user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
        raise PermissionDenied(_("Only the counselling officers keep the counselling records."))


def counselling_assessment_record(
    *,
    region: Region,
    year: int,
    month: int,
    scale: str,
    taken: int,
    referred: int = 0,
    user: Any,
) -> CounsellingAssessment:
    """Record (or correct) the number of assessments taken on a scale in a region's month."""
    tally = CounsellingAssessment.objects.filter(
        region=region, year=year, month=month, scale=scale
    ).first()
    _counselling_check(user, CounsellingAssessment, "change" if tally else "add")
    if tally is None:
        tally = CounsellingAssessment(region=region, year=year, month=month, scale=scale)
    tally.taken, tally.referred = taken, referred
    record_save(record=tally, user=user)
    return tally


def counselling_booking_record(
    *,
    region: Region,
    name: str,
    phone: str,
    booked_for: datetime.date,
    user: Any,
    id_number: str = "",
    counsellor: str = "",
    status: str = BookingStatus.BOOKED,
) -> CounsellingBooking:
    """Book a consultation for a person (no word of why: the record keeps none)."""
    _counselling_check(user, CounsellingBooking, "add")
    booking = CounsellingBooking(
        region=region,
        name=name,
        phone=phone,
        id_number=id_number,
        booked_for=booked_for,
        counsellor=counsellor,
        status=status,
    )
    record_save(record=booking, user=user)
    return booking


def counselling_booking_set_status(
    *, booking: CounsellingBooking, status: str, user: Any, counsellor: str | None = None
) -> CounsellingBooking:
    """A booking held, cancelled or missed (or booked again)."""
    _counselling_check(user, CounsellingBooking, "change")
    booking.status = status
    if counsellor is not None:
        booking.counsellor = counsellor
    record_save(record=booking, user=user)
    return booking


def counselling_lecture_record(
    *,
    region: Region,
    held_on: datetime.date,
    topic: str,
    audience: int,
    user: Any,
    kind: str = "lecture",
    host: str = "",
) -> CounsellingLecture:
    """Record (or correct) a lecture, salon or group activity and its audience."""
    lecture = CounsellingLecture.objects.filter(region=region, held_on=held_on, topic=topic).first()
    _counselling_check(user, CounsellingLecture, "change" if lecture else "add")
    if lecture is None:
        lecture = CounsellingLecture(region=region, held_on=held_on, topic=topic)
    lecture.audience, lecture.kind, lecture.host = audience, kind, host
    record_save(record=lecture, user=user)
    return lecture
