"""Writes for the 助企行 problem tracker ("难题—专家—进度"): problems move open → in progress →
solved by the steps of the step table (base.steps), an expert is a model worker or craftsman,
and a visit's problem counts follow the problems tracked on it. And the 能级工资集体协商
agreements with their skill-level ladders."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from base import scope
from base.models import Region
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
from programs.models import (
    AllianceActivity,
    AllianceMember,
    JobFair,
    JobFairEnterprise,
    ProblemStatus,
    ReformAlliance,
    ServiceProblem,
    ServiceVisit,
    Suggestion,
    SuggestionStatus,
    WageAgreement,
    WageAgreementKind,
    WageLevel,
)
from programs.selectors import honoured_experts
from workforce.models import Enterprise, UnionOrganisation, Worker

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


def service_problem_expert_check(
    *, expert: Worker | None, expert_changed: bool, honoured: Collection[int] | None = None
) -> None:
    """An expert newly assigned to a problem is a model worker or craftsman on the register
    (holds such an honour). `honoured`: the workers known to hold one (a sheet asks for all its
    rows at once, selectors.honoured_experts); else the expert is looked up."""
    if expert is None or not expert_changed:
        return
    if honoured is None:
        honoured = honoured_experts(worker_ids=[expert.pk]) if expert.pk else set()
    if expert.pk is None or expert.pk not in honoured:
        raise ValidationError(
            {"expert": _("The expert must be a model worker or craftsman on the register.")}
        )


def service_problem_check(
    *,
    problem: ServiceProblem,
    user: Any,
    previous_status: str | None,
    expert_changed: bool,
    data: dict[str, Any] | None = None,
    undated_today: bool = True,
    honoured: Collection[int] | None = None,
) -> None:
    """The tracker's rules for one change, without saving: its step (service_problem_check_step)
    and a newly assigned expert who is a model worker or craftsman (service_problem_expert_check).
    `data` (a form's cleaned data, a sheet row's values) stands in for the problem's own fields;
    the service, the admin form and the problem sheet all ask this."""
    data = data or {}
    service_problem_check_step(
        user=user,
        previous_status=previous_status,
        data=data,
        record=problem if problem.visit_id is not None else None,
        undated_today=undated_today,
    )
    service_problem_expert_check(
        expert=data.get("expert", problem.expert),
        expert_changed=expert_changed,
        honoured=honoured,
    )


def service_visit_sync_problem_counts(*, visit: ServiceVisit) -> None:
    """A visit with tracked problems counts them: collected = listed, solved = solved. A visit
    without any keeps the counts its sheet declared."""
    service_visits_sync_problem_counts(visits=[visit], user=None)


def service_visits_sync_problem_counts(
    *, visits: Iterable[ServiceVisit], user: Any
) -> dict[int, dict[str, int]]:
    """service_visit_sync_problem_counts for many visits in two queries (a problem sheet
    recounts every visit it touched). Returns the counts each changed visit had before."""
    by_pk = {visit.pk: visit for visit in visits if visit.pk is not None}
    if not by_pk:
        return {}
    counts = (
        ServiceProblem.objects.filter(visit_id__in=by_pk)
        .values("visit_id")
        .annotate(listed=Count("pk"), solved=Count("pk", filter=Q(status=ProblemStatus.SOLVED)))
        .values_list("visit_id", "listed", "solved")
    )
    now = timezone.now()
    before: dict[int, dict[str, int]] = {}
    changed = []
    for pk, listed, solved in counts:
        visit = by_pk[pk]
        if (visit.problems_collected, visit.problems_solved) == (listed, solved):
            continue
        before[pk] = {
            "problems_collected": visit.problems_collected,
            "problems_solved": visit.problems_solved,
        }
        visit.problems_collected, visit.problems_solved, visit.updated_at = listed, solved, now
        changed.append(visit)
    if changed:
        actor = user if user is not None and getattr(user, "pk", None) else None
        bulk_update_with_history(
            changed,
            ServiceVisit,
            ["problems_collected", "problems_solved", "updated_at"],
            default_user=actor,
        )
    return before


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


# --- 产改联盟 -----------------------------------------------------------------------------------


def reform_alliance_create(
    *,
    user: Any,
    name: str,
    lead: Enterprise,
    kind: str,
    founded_on: datetime.date,
    dissolved_on: datetime.date | None = None,
    description: str = "",
) -> ReformAlliance:
    """Found an alliance in its lead enterprise's region (the user's scope must hold it). The
    lead is not made a member by this: it counts among the member enterprises when it is
    listed as one, by every path alike (docs/indicators.md)."""
    alliance = ReformAlliance(
        name=name,
        lead=lead,
        kind=kind,
        founded_on=founded_on,
        dissolved_on=dissolved_on,
        description=description,
    )
    record_save(record=alliance, user=user)
    return alliance


def alliance_member_add(
    *,
    user: Any,
    alliance: ReformAlliance,
    enterprise: Enterprise,
    joined_on: datetime.date | None = None,
    left_on: datetime.date | None = None,
) -> AllianceMember:
    """List an enterprise as a member. The membership is the alliance's record (its region);
    the enterprise is a reference, which the user must be able to refer to, as any reference
    in a form or a sheet: a member in another county is listed by a user whose scope holds
    both (the city's or the province's federation)."""
    if not scope.referable(Enterprise.objects.filter(pk=enterprise.pk), user).exists():
        raise PermissionDenied(_("This enterprise is outside your region."))
    member = AllianceMember(alliance=alliance, enterprise=enterprise, left_on=left_on)
    if joined_on is not None:  # else the alliance's founding day (AllianceMember.clean)
        member.joined_on = joined_on
    record_save(record=member, user=user)
    return member


def alliance_activity_add(
    *,
    user: Any,
    alliance: ReformAlliance,
    kind: str,
    held_on: datetime.date,
    title: str,
    enterprises_count: int = 0,
    note: str = "",
) -> AllianceActivity:
    """Record one of the 五联 activities an alliance held."""
    activity = AllianceActivity(
        alliance=alliance,
        kind=kind,
        held_on=held_on,
        title=title,
        enterprises_count=enterprises_count,
        note=note,
    )
    record_save(record=activity, user=user)
    return activity


def wage_agreement_covered_check(
    *, agreement: WageAgreement, enterprises: Collection[Enterprise], user: Any
) -> None:
    """The enterprises an agreement lists as covered: only an industry-wide agreement lists
    them (an enterprise agreement covers its own enterprise), and each in the user's scope."""
    if not enterprises:
        return
    if agreement.kind != WageAgreementKind.INDUSTRY:
        raise ValidationError(
            {
                "covered_enterprises": _(
                    "Only an industry-wide agreement lists the enterprises it covers."
                )
            }
        )
    if any(not scope.object_in_scope(user, enterprise) for enterprise in enterprises):
        raise PermissionDenied(_("An enterprise the agreement lists is outside your region."))


@transaction.atomic
def wage_agreement_save(
    *,
    agreement: WageAgreement,
    user: Any,
    covered_enterprises: Collection[Enterprise] | None = None,
    levels: Iterable[WageLevel] | None = None,
) -> WageAgreement:
    """Record an agreement or a change to it; `covered_enterprises` and `levels`, when given,
    replace the enterprises it lists and its skill-level ladder."""
    agreement.follow_enterprise()
    # The agreement's own rules first: an enterprise agreement without its enterprise has no
    # region yet, and is refused for that, not as outside the user's scope.
    agreement.full_clean()
    if covered_enterprises is not None:
        wage_agreement_covered_check(
            agreement=agreement, enterprises=covered_enterprises, user=user
        )
    record_save(record=agreement, user=user)
    if covered_enterprises is not None:
        agreement.covered_enterprises.set(covered_enterprises)
    if levels is not None:
        agreement.levels.all().delete()
        for order, level in enumerate(levels, start=1):
            level.agreement = agreement
            level.order = level.order or order
            record_save(record=level, user=user)
    return agreement


# --- 春风行动 -----------------------------------------------------------------------------------


def job_fair_create(
    *,
    user: Any,
    name: str,
    region: Region | None = None,
    held_on: datetime.date,
    organiser_union: UnionOrganisation | None = None,
    organiser: str = "",
    venue: str = "",
    online: bool = False,
    seekers_count: int = 0,
) -> JobFair:
    """Record a fair in the region of the union that holds it (its region when the union is
    named and no region given), inside the user's scope."""
    fair = JobFair(
        name=name,
        region=region if region is not None else getattr(organiser_union, "region", None),
        held_on=held_on,
        organiser_union=organiser_union,
        organiser=organiser,
        venue=venue,
        online=online,
        seekers_count=seekers_count,
    )
    record_save(record=fair, user=user)
    return fair


def job_fair_enterprise_add(
    *,
    user: Any,
    fair: JobFair,
    enterprise: Enterprise,
    positions_count: int = 0,
    hires_count: int = 0,
) -> JobFairEnterprise:
    """List an enterprise at a fair with the positions it offered and the hires it agreed. The
    enterprise must be one the user may refer to and lie within the fair's region."""
    if not scope.referable(Enterprise.objects.filter(pk=enterprise.pk), user).exists():
        raise PermissionDenied(_("This enterprise is outside your region."))
    row = JobFairEnterprise(
        fair=fair,
        enterprise=enterprise,
        positions_count=positions_count,
        hires_count=hires_count,
    )
    record_save(record=row, user=user)
    return row


# --- 「人大+工会」 suggestions -------------------------------------------------------------------

SUGGESTION_WORKFLOW = WORKFLOW["suggestion"]


def suggestion_check(
    *,
    suggestion: Suggestion,
    user: Any,
    previous_status: str | None,
    data: dict[str, Any] | None = None,
    undated_today: bool = True,
) -> None:
    """The step side of a change, without saving: a new suggestion (`previous_status` None) is
    entered in its status by the step into it (with every earlier step's data), a status change
    is one step of the table (who may take it, the data it needs, in `data` or else on the
    suggestion), any other change is the recorder's (who may accept one). A step left undated is
    taken today, as suggestion_save dates it, unless `undated_today` is off (a sheet row holds
    its own dates). The service, the admin form and the suggestions sheet all ask this."""
    data = dict(data or {})
    record = suggestion if not suggestion._state.adding else None
    status = str(data.get("status", suggestion.status))
    if undated_today and status != previous_status:
        for field, day in step_data(
            SUGGESTION_WORKFLOW.step_into(status).step, on=timezone.localdate()
        ).items():
            if not data.get(field, getattr(suggestion, field, None)):
                data[field] = day
    if record is None:
        # A new record: its own values stand where `data` says nothing.
        for need in (n for r in SUGGESTION_WORKFLOW.rules for n in r.needs):
            data.setdefault(need.field, getattr(suggestion, need.field, None))
    if previous_status is None:
        state_entry_check(
            workflow=SUGGESTION_WORKFLOW, state=status, user=user, record=record, data=data
        )
    elif status != previous_status:
        step = step_between(workflow=SUGGESTION_WORKFLOW, current=previous_status, wanted=status)
        step_check(step=step, user=user, record=record, data=data, current=previous_status)
    else:
        step_require(user=user, step=Step.SUGGESTION_ACCEPT, record=record)


def suggestion_save(
    *, suggestion: Suggestion, user: Any, previous_status: str | None = None
) -> Suggestion:
    """Record a new suggestion or a change to one. A step taken without its date is taken
    today."""
    if suggestion.status != previous_status:
        for field, value in step_data(
            SUGGESTION_WORKFLOW.step_into(suggestion.status).step, on=timezone.localdate()
        ).items():
            if getattr(suggestion, field) is None:
                setattr(suggestion, field, value)
    suggestion.source_check()
    suggestion.follow_source()  # the scope check asks the region before full_clean
    suggestion_check(suggestion=suggestion, user=user, previous_status=previous_status)
    record_save(record=suggestion, user=user)
    return suggestion


def suggestion_receive(
    *,
    user: Any,
    topic: str,
    text: str,
    received_on: datetime.date,
    addressed_to: str,
    worker: Worker | None = None,
    union: UnionOrganisation | None = None,
    accepted_on: datetime.date | None = None,
) -> Suggestion:
    """受理: a suggestion received from a worker or a grassroots union, accepted on
    `accepted_on` (today unless told)."""
    suggestion = Suggestion(
        worker=worker,
        union=union,
        topic=topic,
        text=text,
        received_on=received_on,
        addressed_to=addressed_to,
        status=SuggestionStatus.ACCEPTED,
        accepted_on=accepted_on,
    )
    return suggestion_save(suggestion=suggestion, user=user)


def _suggestion_step(
    suggestion: Suggestion, user: Any, to_status: str, **values: Any
) -> Suggestion:
    previous = suggestion.status
    suggestion.status = to_status
    for field, value in values.items():
        setattr(suggestion, field, value)
    return suggestion_save(suggestion=suggestion, user=user, previous_status=previous)


def suggestion_assign(
    *, suggestion: Suggestion, user: Any, assigned_to: str, on: datetime.date | None = None
) -> Suggestion:
    """交办: the suggestion handed to a department, an enterprise or a person."""
    return _suggestion_step(
        suggestion, user, SuggestionStatus.ASSIGNED, assigned_to=assigned_to, assigned_on=on
    )


def suggestion_answer(
    *, suggestion: Suggestion, user: Any, answer: str, on: datetime.date | None = None
) -> Suggestion:
    """答复: the answer given to the proposer."""
    return _suggestion_step(
        suggestion, user, SuggestionStatus.ANSWERED, answer=answer, answered_on=on
    )


def suggestion_close(
    *, suggestion: Suggestion, user: Any, satisfaction: str, on: datetime.date | None = None
) -> Suggestion:
    """办结: closed with the proposer's satisfaction (满意/基本满意/不满意)."""
    return _suggestion_step(
        suggestion, user, SuggestionStatus.CLOSED, satisfaction=satisfaction, closed_on=on
    )


def suggestion_delete(*, suggestion: Suggestion, user: Any) -> None:
    step_require(user=user, step=Step.SUGGESTION_ACCEPT, record=suggestion)
    record_delete(record=suggestion, user=user)
