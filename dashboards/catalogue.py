"""The indicator catalogue (docs/indicators.md): every dashboard number's key, label, unit,
group, definition (口径) and the query that computes it. Targets, dashboards, JSON and exports
all take their keys from here, and `dashboards.selectors` evaluates the queries described here, so
a definition and its query cannot drift apart.

How a query is described: each indicator names a `Source` (a table, the lookup path from its rows
to their Region, and which rows belong to year Y) and a `Measure` (an aggregate over those rows,
given the year). Indicators over the same source are computed together in one aggregate query with
conditional aggregation. A share names the two indicators it divides instead.

The catalogue stands on the floor above the domain apps and imports their models directly; a
target names its indicator by key and learns the keys when this app loads (`programs.indicators`),
so no domain model imports the catalogue.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from base.models import Level
from programs.models import (
    SATISFIED_RATINGS,
    SUGGESTION_CLOSING_DAYS,
    Achievement,
    AchievementKind,
    AllianceActivity,
    AllianceKind,
    AllianceMember,
    CoordinationGroup,
    InnovationStudio,
    JobFair,
    JobFairEnterprise,
    PilotStatus,
    PilotUnit,
    ReformAlliance,
    ServiceVisit,
    Suggestion,
    SuggestionStatus,
    UnitType,
    WageAgreement,
    WageAgreementKind,
)
from training.models import (
    Competition,
    CompetitionResult,
    EducationSubsidy,
    Enrolment,
    Instructor,
    InstructorKind,
    LibraryLevel,
    ProviderKind,
    Teaching,
    TrainingProvider,
    TrainingSession,
    WorkerLibrary,
)
from welfare.models import (
    AssistanceGrant,
    BenefitKind,
    BenefitTaken,
    BookingStatus,
    CareOccasion,
    CareVisit,
    CaseStatus,
    CounsellingAssessment,
    CounsellingBooking,
    CounsellingLecture,
    Dispatch,
    DispatchStatus,
    HardshipCase,
    RecuperationTrip,
    ServiceStation,
    StationStatus,
)
from welfare.selectors import entitling_honours, timely_visit
from workforce.models import (
    HIGH_SKILLED_FROM,
    SKILLED_FROM,
    EmploymentForm,
    Enterprise,
    Honour,
    Mentorship,
    Ownership,
    ReformStatus,
    SkillCertificate,
    Worker,
)

Kind = Literal["count", "money", "percent"]
# 时点数: a stock as it stands at the end of Y (the register, the studios named and not revoked);
# 时期数: a flow counted during Y (sessions started, grants granted). The page says which.
Timing = Literal["point", "period"]
# Decimal places of a value of each kind (docs/indicators.md, conventions).
PRECISION: dict[str, int] = {"count": 0, "money": 2, "percent": 1}


@dataclass(frozen=True)
class Period:
    """The year asked for; "in Y" is 1 January to 31 December, "end of Y" is 31 December.

    A part-year report (半年报, 季报) counts from 1 January to the end of its last month
    (`through`), as union statistics do (1–6月累计): a flow is the year to date, a stock stands
    at that day. Records dated only by a year (honours, achievements, subsidies) count by year."""

    year: int
    through: int = 12  # the last month counted

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def end(self) -> datetime.date:
        if self.through == 12:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, self.through + 1, 1) - datetime.timedelta(days=1)

    @property
    def dates(self) -> tuple[datetime.date, datetime.date]:
        return (self.start, self.end)


RowFilter = Callable[[Period], Q]
# A measure builds one aggregate for a year. `rows` is the year's row filter folded into the
# aggregate's FILTER clause when several years share one query (trends); it is Q() otherwise.
Measure = Callable[[Period, Q], Combinable]


@dataclass(frozen=True)
class Source:
    """A base queryset: the rows of `model` that belong to a region's subtree and to year Y."""

    key: str
    model: type[models.Model]
    rows: RowFilter | None = None  # None: the rows of every year

    def model_class(self) -> type[models.Model]:
        return self.model

    @property
    def region_path(self) -> str:
        """The lookup from a row to its Region: the model's own scope path (the region a record
        counts in is the region that scopes it), without its final `__code`."""
        path: str = getattr(self.model, "scope_path")  # noqa: B009 (not every model declares it)
        return path.removesuffix("__code")

    def in_region(self, prefix: str) -> Q:
        # `worker__region__code` is trimmed by Django to the `worker.region_id` column: no join
        # to Region, and a LIKE 'prefix%' that the varchar_pattern_ops index of the FK can serve.
        return Q(**{f"{self.region_path}__code__startswith": prefix})

    def region_code(self) -> F:
        """The row's region code (the FK column itself: Region's primary key is the code)."""
        return F(self.region_path)

    def year_rows(self, period: Period) -> Q:
        return self.rows(period) if self.rows is not None else Q()


@dataclass(frozen=True)
class Indicator:
    key: str
    label: Promise
    unit: Promise  # the counting unit: 人, 人次, 个, 家次, 项, 期, 场, 对, 件, 元 or %
    group: str
    definition: Promise = field(compare=False)  # the 口径, shown on hover
    timing: Timing = field(kw_only=True)  # 时点数 or 时期数: every indicator says which
    kind: Kind = "count"
    additive: bool = True  # children's values add up to the parent's (minus its own records)
    source: str | None = None  # a key of SOURCES
    measure: Measure | None = field(default=None, compare=False)
    ratio: tuple[str, str] | None = None  # a share: numerator key / denominator key × 100

    @property
    def precision(self) -> int:
        """Decimal places of the value (and of its target): 0 for a count."""
        return PRECISION[self.kind]


# --- sources ----------------------------------------------------------------------------------


def _in_year(date_field: str) -> RowFilter:
    return lambda period: Q(**{f"{date_field}__range": period.dates})


def _year_is(year_field: str) -> RowFilter:
    return lambda period: Q(**{year_field: period.year})


def _on_register(period: Period) -> Q:
    """On the register at the end of Y: registered by then (or undated) and not left by then."""
    return (Q(registered_on__lte=period.end) | Q(registered_on__isnull=True)) & (
        Q(left_on__isnull=True) | Q(left_on__gt=period.end)
    )


def _certificates_rows(period: Period) -> Q:
    return Q(certified_on__lte=period.end)


def _honours_rows(period: Period) -> Q:
    return Q(year__lte=period.year)


def _pilot_rows(period: Period) -> Q:

    return Q(status__in=(PilotStatus.NAMED, PilotStatus.ACCEPTED), batch_year__lte=period.year)


def _studio_rows(period: Period) -> Q:
    return Q(named_year__lte=period.year) & (
        Q(revoked_year__isnull=True) | Q(revoked_year__gt=period.year)
    )


def _station_rows(period: Period) -> Q:

    return Q(status=StationStatus.IN_SERVICE, opened_on__lte=period.end) | Q(
        upgraded_year=period.year
    )


def _alliance_rows(period: Period, path: str = "") -> Q:
    """An alliance standing at the end of Y: founded by then and not dissolved by then."""
    return Q(**{f"{path}founded_on__lte": period.end}) & (
        Q(**{f"{path}dissolved_on__isnull": True}) | Q(**{f"{path}dissolved_on__gt": period.end})
    )


def _alliance_member_rows(period: Period) -> Q:
    """A membership current at the end of Y, of an alliance standing then."""
    return (
        Q(joined_on__lte=period.end)
        & (Q(left_on__isnull=True) | Q(left_on__gt=period.end))
        & _alliance_rows(period, "alliance__")
    )


def _group_in_place(period: Period) -> Q:
    """A coordination group set up by the end of Y and not dissolved by then."""
    return Q(established_on__lte=period.end) & (
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=period.end)
    )


def _wage_agreement_in_force(period: Period) -> Q:
    """In force on the last day of the period: signed by then, valid through it, not ended early."""
    return Q(signed_on__lte=period.end, valid_until__gte=period.end) & (
        Q(terminated_on__isnull=True) | Q(terminated_on__gt=period.end)
    )


def _academy_rows(period: Period) -> Q:
    """Academies (not their branches) founded on or before 31 December, or with no date."""
    return Q(kind=ProviderKind.ACADEMY) & (
        Q(founded_on__lte=period.end) | Q(founded_on__isnull=True)
    )


def _instructor_rows(period: Period) -> Q:
    """Engaged on or before 31 December and the engagement not ended on or before it."""
    return Q(engaged_on__lte=period.end) & (Q(ended_on__isnull=True) | Q(ended_on__gt=period.end))


def _assessment_months(period: Period) -> Q:
    """A monthly tally counts in its year, up to the last month a part-year report covers."""
    return Q(year=period.year, month__lte=period.through)


def _suggestion_rows(period: Period) -> Q:
    # Every suggestion counted by one of the suggestion indicators: received or closed during Y.
    return Q(received_on__range=period.dates) | Q(closed_on__range=period.dates)


def _hardship_rows(period: Period) -> Q:
    # Every case counted by one of the three hardship indicators: on file at the end of Y, or
    # filed or closed during Y.
    return Q(filed_on__lte=period.end) | Q(closed_on__range=period.dates)


SOURCES: dict[str, Source] = {
    source.key: source
    for source in (
        Source("workers", Worker, _on_register),
        # Enterprises keep no dates: every year counts the enterprises on file, as flagged today.
        Source("enterprises", Enterprise),
        Source("certificates", SkillCertificate, _certificates_rows),
        Source("honours", Honour, _honours_rows),
        Source("mentorships", Mentorship, _in_year("started_on")),
        Source("pilot_units", PilotUnit, _pilot_rows),
        Source("studios", InnovationStudio, _studio_rows),
        Source("coordination_groups", CoordinationGroup, _group_in_place),
        Source("achievements", Achievement, _year_is("year")),
        # Kept in the lead enterprise's region, members and activities with their alliance.
        Source("alliances", ReformAlliance, _alliance_rows),
        Source("alliance_members", AllianceMember, _alliance_member_rows),
        Source("alliance_activities", AllianceActivity, _in_year("held_on")),
        Source("service_visits", ServiceVisit, _in_year("date")),
        Source("wage_agreements", WageAgreement, _wage_agreement_in_force),
        Source("training_sessions", TrainingSession, _in_year("start_date")),
        Source("academies", TrainingProvider, _academy_rows),
        Source("instructors", Instructor, _instructor_rows),
        Source("competitions", Competition, _in_year("held_on")),
        Source("education_subsidies", EducationSubsidy, _year_is("year")),
        Source("stations", ServiceStation, _station_rows),
        Source("hardship_cases", HardshipCase, _hardship_rows),
        Source(
            "assistance_grants",
            AssistanceGrant,
            _in_year("granted_on"),
        ),
        Source("recuperation_trips", RecuperationTrip, _in_year("start_date")),
        Source("dispatches", Dispatch, _in_year("received_on")),
        # Kept in the worker's or the grassroots union's region.
        Source("suggestions", Suggestion, _suggestion_rows),
        Source("craftsman_benefits", BenefitTaken, _in_year("taken_on")),
        Source("care_occasions", CareOccasion, _in_year("happened_on")),
        Source("care_visits", CareVisit, _in_year("visited_on")),
        # 春风行动: a fair in its union's region; the enterprises at it with their fair.
        Source("job_fairs", JobFair, _in_year("held_on")),
        Source("job_fair_enterprises", JobFairEnterprise, _in_year("fair__held_on")),
        Source("worker_libraries", WorkerLibrary, lambda period: Q(opened_on__lte=period.end)),
        Source("counselling_assessments", CounsellingAssessment, _assessment_months),
        Source("counselling_bookings", CounsellingBooking, _in_year("booked_for")),
        Source("counselling_lectures", CounsellingLecture, _in_year("held_on")),
    )
}


# --- measures ---------------------------------------------------------------------------------

Where = Callable[[Period], Q]


def _where(where: Where | None, period: Period, rows: Q) -> Q:
    return rows & where(period) if where is not None else rows


@dataclass(frozen=True)
class RowMeasure:
    """An aggregate over the source rows that match `where`. Those rows are the records behind
    the number, so the admin list of the source can show exactly them (`rows`)."""

    where: Where | None = None

    def rows(self, source: Source, period: Period) -> Q:
        return _where(self.where, period, source.year_rows(period))


@dataclass(frozen=True)
class CountMeasure(RowMeasure):
    def __call__(self, period: Period, rows: Q) -> Combinable:
        return Count("pk", filter=_where(self.where, period, rows))


@dataclass(frozen=True)
class DistinctMeasure(RowMeasure):
    path: str = "pk"

    def __call__(self, period: Period, rows: Q) -> Combinable:
        return Count(self.path, distinct=True, filter=_where(self.where, period, rows))


@dataclass(frozen=True)
class TotalMeasure(RowMeasure):
    expression: str | Callable[[], Combinable] = "pk"

    def __call__(self, period: Period, rows: Q) -> Combinable:
        value = self.expression if isinstance(self.expression, str) else self.expression()
        return Sum(value, filter=_where(self.where, period, rows))


def count(where: Where | None = None) -> Measure:
    """The number of rows (that also match `where`)."""
    return CountMeasure(where)


def distinct(path: str, where: Where | None = None) -> Measure:
    """The number of distinct values of `path` (e.g. distinct workers)."""
    return DistinctMeasure(where, path)


def total(expression: str | Callable[[], Combinable], where: Where | None = None) -> Measure:
    """The sum of a field, or of a per-row expression built at query time."""
    return TotalMeasure(where, expression)


def difference(minuend: Measure, subtrahend: Measure) -> Measure:
    return lambda period, rows: minuend(period, rows) - subtrahend(period, rows)


def _where_q(**lookups: object) -> Where:
    return lambda period: Q(**lookups)


def _linked_count(model: type[models.Model], link: str, **lookups: object) -> Subquery:
    """The number of rows of `model` whose `link` is the outer row (NULL when none)."""
    related = model._default_manager.filter(**{link: OuterRef("pk")}, **lookups)
    grouped = related.order_by().values(link).annotate(n=Count("*")).values("n")
    return Subquery(grouped, output_field=IntegerField())


def _linked_m2m_count(model: type[models.Model], relation: str) -> Subquery:
    """The number of rows linked to the outer row through the many-to-many `relation`."""
    m2m = model._meta.get_field(relation)
    assert isinstance(m2m, models.ManyToManyField)
    through = m2m.remote_field.through
    assert isinstance(through, type)
    return _linked_count(through, m2m.m2m_field_name())


def linked_else_declared(
    linked: Callable[[], Subquery], declared: str, where: Where | None = None
) -> Measure:
    """Per row the linked records where there are any, else the declared count (0 when none)."""
    return total(
        lambda: Coalesce(linked(), F(declared), Value(0), output_field=IntegerField()), where
    )


def declared_else_linked(declared: str, linked: Callable[[], Subquery]) -> Measure:
    """Per row the declared count where there is one, else the linked records."""
    return total(lambda: Coalesce(F(declared), linked(), Value(0), output_field=IntegerField()))


def highest_level(level: int) -> Measure:
    """Distinct workers whose highest honour is `level`: those with an honour at `level` or above
    minus those with one above it. The six levels telescope to all honoured workers."""
    at_least = distinct("worker", _where_q(title__level__gte=level))
    if level == max(Level.values):
        return at_least
    return difference(at_least, distinct("worker", _where_q(title__level__gte=level + 1)))


def _pilot_type(name: str) -> Where:
    def where(period: Period) -> Q:

        return Q(unit_type=UnitType[name])

    return where


def _achievement_kind(name: str) -> Where:
    def where(period: Period) -> Q:

        return Q(kind=AchievementKind[name])

    return where


def _reform_started_by_year_end(period: Period) -> Q:
    """规上 enterprises that started the reform (已开展 or 试点) on or before the end of Y."""
    return Q(
        above_scale=True,
        reform_status__in=(ReformStatus.STARTED, ReformStatus.PILOT),
        reform_started_on__lte=period.end,
    )


def _private_reform_started_by_year_end(period: Period) -> Q:
    return _reform_started_by_year_end(period) & Q(ownership=Ownership.NON_PUBLIC)


def _union_member_by_year_end(period: Period) -> Q:
    return Q(union_member=True) & (
        Q(union_joined_on__lte=period.end) | Q(union_joined_on__isnull=True)
    )


def _new_form(period: Period) -> Q:
    return ~Q(employment_form=EmploymentForm.STANDARD)


def _certified_in_year(period: Period) -> Q:
    return Q(certified_on__range=period.dates)


def _in_service_opened(period: Period) -> Q:

    return Q(status=StationStatus.IN_SERVICE, opened_on__lte=period.end)


def _in_service_24h(period: Period) -> Q:
    return _in_service_opened(period) & Q(open_24h=True)


def _hardship_open(period: Period) -> Q:

    return (
        Q(filed_on__lte=period.end)
        & ~Q(status=CaseStatus.REJECTED)
        & (Q(closed_on__isnull=True) | Q(closed_on__gt=period.end))
    )


def _dispatch_handled(period: Period) -> Q:

    return ~Q(status=DispatchStatus.RECEIVED)


def _dispatch_overdue(period: Period) -> Q:
    # Answered after the due date, or still unanswered past it today: a count as of today, so
    # last year's number can still grow while its dispatches stay unanswered.

    return Q(answered_on__gt=F("due_on")) | Q(
        status=DispatchStatus.RECEIVED, due_on__lt=timezone.localdate()
    )


def _benefit_kind(kind: str) -> Where:
    return lambda period: Q(kind=kind)


def _visited_in_time(period: Period) -> Q:
    return timely_visit()


def _entitled_to_benefits(period: Period) -> Q:
    return entitling_honours(period.year)


def _session_enrolments() -> Subquery:
    return _linked_count(Enrolment, "session")


def _session_certified() -> Subquery:
    return _linked_count(Enrolment, "session", certified=True)


def _taught_by_craftsman(period: Period) -> Q:
    """Sessions with at least one 劳模工匠讲师 among their instructors (a subquery, so that a
    session taught by two of them is still one row)."""
    links = Teaching.objects.filter(instructor__kind=InstructorKind.CRAFTSMAN)
    return Q(pk__in=links.values("session_id"))


def _competition_results() -> Subquery:
    return _linked_count(CompetitionResult, "competition")


def _visit_craftsmen() -> Subquery:
    return _linked_m2m_count(ServiceVisit, "craftsmen")


def _trip_participants() -> Subquery:
    return _linked_m2m_count(RecuperationTrip, "participants")


def _wage_kind(name: str) -> Where:
    def where(period: Period) -> Q:
        return Q(kind=WageAgreementKind[name])

    return where


def _wage_agreement_enterprises() -> Combinable:
    # An enterprise agreement covers its own enterprise; an industry-wide one the enterprises it
    # links, else the number it declares.
    return Case(
        When(kind=WageAgreementKind.ENTERPRISE, then=Value(1)),
        default=Coalesce(
            _linked_m2m_count(WageAgreement, "covered_enterprises"),
            F("enterprises_declared"),
            Value(0),
        ),
        output_field=IntegerField(),
    )


def _above_scale_covered(period: Period) -> Q:
    """A 规上 enterprise under an agreement in force: its own enterprise agreement, or an
    industry-wide agreement that links it by name (wherever that agreement is recorded)."""
    in_force = WageAgreement.objects.filter(_wage_agreement_in_force(period))
    own = in_force.filter(kind=WageAgreementKind.ENTERPRISE, enterprise=OuterRef("pk"))
    linked = in_force.filter(kind=WageAgreementKind.INDUSTRY, covered_enterprises=OuterRef("pk"))
    return Q(above_scale=True) & (Q(Exists(own)) | Q(Exists(linked)))


def _suggestion_received(period: Period) -> Q:
    return Q(received_on__range=period.dates)


def _suggestion_closed(period: Period) -> Q:
    return Q(status=SuggestionStatus.CLOSED, closed_on__range=period.dates)


def _suggestion_closed_in_time(period: Period) -> Q:
    # 办结时限: SUGGESTION_CLOSING_DAYS after 受理 (programs.models).
    return _suggestion_closed(period) & Q(
        closed_on__lte=F("accepted_on") + datetime.timedelta(days=SUGGESTION_CLOSING_DAYS)
    )


def _suggestion_satisfied(period: Period) -> Q:
    return _suggestion_closed(period) & Q(satisfaction__in=SATISFIED_RATINGS)


# --- the catalogue ----------------------------------------------------------------------------

GROUPS: dict[str, Promise] = {
    "workforce": _("Workforce"),
    "programmes": _("Reform programmes"),
    "training": _("Training and competitions"),
    "welfare": _("Care and welfare"),
}

PEOPLE = _("people")
PERSON_TIMES = _("person-times")
ITEMS = _("items")
UNITS = _("units")
YUAN = _("yuan")
PERCENT = _("%")
SESSIONS = _("sessions (unit)")  # 期: a training class
EVENTS = _("events (unit)")  # 场: a competition, a service visit
ENTERPRISE_TIMES = _("enterprise-times")  # 家次
PAIRS = _("pairs (unit)")  # 对: master and apprentice
CASES = _("cases (unit)")  # 件: a dispatch
ENTERPRISES = _("enterprises (unit)")  # 家: enterprises counted once each
POINT: Timing = "point"
PERIOD: Timing = "period"

TIMINGS: dict[str, Promise] = {
    POINT: _("point figure, as at 31 December"),
    PERIOD: _("period figure, during the year"),
}

INDICATORS: tuple[Indicator, ...] = (
    # Workforce: the register at the end of Y, then certificates and honours up to Y.
    Indicator(
        "workers",
        _("Registered workers"),
        PEOPLE,
        "workforce",
        _(
            "Workers in the region on the register on 31 December: registered on or before "
            "that day (or with no registration date) and not left the register on or before it."
        ),
        source="workers",
        measure=count(),
        timing=POINT,
    ),
    Indicator(
        "union_members",
        _("Union members"),
        PEOPLE,
        "workforce",
        _(
            "Of the registered workers, those marked as union members who joined the union on "
            "or before 31 December (or have no joining date)."
        ),
        source="workers",
        measure=count(_union_member_by_year_end),
        timing=POINT,
    ),
    Indicator(
        "new_form_workers",
        _("New-form workers"),
        PEOPLE,
        "workforce",
        _("Of the registered workers, those whose employment form is not standard employment."),
        source="workers",
        measure=count(_new_form),
        timing=POINT,
    ),
    Indicator(
        "above_scale_enterprises",
        _("Above-scale enterprises"),
        ENTERPRISES,
        "workforce",
        _(
            "Enterprises on file in the region marked as above designated size (规上). The "
            "register keeps no date for the mark, so every year counts the enterprises as they "
            "are marked today."
        ),
        source="enterprises",
        measure=count(_where_q(above_scale=True)),
        timing=POINT,
    ),
    # 产改覆盖: how many 规上 enterprises have started the reform, of all and of the private ones.
    Indicator(
        "above_scale_reformed",
        _("Above-scale enterprises in the reform"),
        ENTERPRISES,
        "programmes",
        _(
            "Of the above-scale enterprises, those whose reform status is started or pilot with "
            "a start date on or before 31 December."
        ),
        source="enterprises",
        measure=count(_reform_started_by_year_end),
        timing=POINT,
    ),
    Indicator(
        "reform_coverage",
        _("Reform coverage of above-scale enterprises"),
        PERCENT,
        "programmes",
        _(
            "Above-scale enterprises in the reform divided by above-scale enterprises, times "
            "100; 0 when there are none."
        ),
        kind="percent",
        additive=False,
        ratio=("above_scale_reformed", "above_scale_enterprises"),
        timing=POINT,
    ),
    Indicator(
        "above_scale_private",
        _("Above-scale private enterprises"),
        ENTERPRISES,
        "programmes",
        _("Of the above-scale enterprises, those of non-public ownership (民营)."),
        source="enterprises",
        measure=count(_where_q(above_scale=True, ownership=Ownership.NON_PUBLIC)),
        timing=POINT,
    ),
    Indicator(
        "above_scale_private_reformed",
        _("Above-scale private enterprises in the reform"),
        ENTERPRISES,
        "programmes",
        _(
            "Of the above-scale private enterprises, those whose reform status is started or "
            "pilot with a start date on or before 31 December."
        ),
        source="enterprises",
        measure=count(_private_reform_started_by_year_end),
        timing=POINT,
    ),
    Indicator(
        "reform_coverage_private",
        _("Reform coverage of above-scale private enterprises"),
        PERCENT,
        "programmes",
        _(
            "Above-scale private enterprises in the reform divided by above-scale private "
            "enterprises, times 100; 0 when there are none."
        ),
        kind="percent",
        additive=False,
        ratio=("above_scale_private_reformed", "above_scale_private"),
        timing=POINT,
    ),
    Indicator(
        "towns_with_group",
        _("Towns with a reform coordination group"),
        UNITS,
        "programmes",
        _(
            "Towns and parks in the region with a reform coordination group set up on or before "
            "31 December and not dissolved on or before it."
        ),
        source="coordination_groups",
        measure=distinct("region"),
        timing=POINT,
    ),
    Indicator(
        "skilled_workers",
        _("Skilled workers"),
        PEOPLE,
        "workforce",
        _(
            "Distinct workers in the region holding a skill certificate at junior worker (level 5) "
            "or above, certified on or before 31 December of the year."
        ),
        source="certificates",
        measure=distinct("worker", _where_q(level__gte=SKILLED_FROM)),
        timing=POINT,
    ),
    Indicator(
        "high_skilled_workers",
        _("Highly skilled workers"),
        PEOPLE,
        "workforce",
        _(
            "Distinct workers in the region holding a skill certificate at senior worker (level 3) "
            "or above (technician, senior technician, special-grade and chief technician), "
            "certified on or before 31 December of the year."
        ),
        source="certificates",
        measure=distinct("worker", _where_q(level__gte=HIGH_SKILLED_FROM)),
        timing=POINT,
    ),
    Indicator(
        "high_skilled_share",
        _("Share of highly skilled workers"),
        PERCENT,
        "workforce",
        _("Highly skilled workers divided by skilled workers, times 100; 0 when there are none."),
        kind="percent",
        additive=False,
        ratio=("high_skilled_workers", "skilled_workers"),
        timing=POINT,
    ),
    Indicator(
        "certificates_issued",
        _("Skill certificates issued in the year"),
        PERSON_TIMES,
        "workforce",
        _("Skill certificates of workers in the region certified during the year."),
        source="certificates",
        measure=count(_certified_in_year),
        timing=PERIOD,
    ),
    Indicator(
        "craftsmen",
        _("Model workers and craftsmen"),
        PEOPLE,
        "workforce",
        _("Distinct workers in the region with at least one honour awarded in or before the year."),
        source="honours",
        measure=distinct("worker"),
        timing=POINT,
    ),
    Indicator(
        "craftsmen_national",
        _("National model workers and craftsmen"),
        PEOPLE,
        "workforce",
        _(
            "Model workers and craftsmen whose highest honour awarded in or before the year is "
            "national."
        ),
        source="honours",
        measure=highest_level(Level.NATIONAL),
        timing=POINT,
    ),
    Indicator(
        "craftsmen_provincial",
        _("Provincial model workers and craftsmen"),
        PEOPLE,
        "workforce",
        _(
            "Model workers and craftsmen whose highest honour awarded in or before the year is "
            "provincial."
        ),
        source="honours",
        measure=highest_level(Level.PROVINCIAL),
        timing=POINT,
    ),
    Indicator(
        "craftsmen_city",
        _("City model workers and craftsmen"),
        PEOPLE,
        "workforce",
        _(
            "Model workers and craftsmen whose highest honour awarded in or before the year is at "
            "city level."
        ),
        source="honours",
        measure=highest_level(Level.CITY),
        timing=POINT,
    ),
    Indicator(
        "craftsmen_county",
        _("County model workers and craftsmen"),
        PEOPLE,
        "workforce",
        _(
            "Model workers and craftsmen whose highest honour awarded in or before the year is at "
            "county level."
        ),
        source="honours",
        measure=highest_level(Level.COUNTY),
        timing=POINT,
    ),
    Indicator(
        "craftsmen_town",
        _("Town model workers and craftsmen"),
        PEOPLE,
        "workforce",
        _(
            "Model workers and craftsmen whose highest honour awarded in or before the year is at "
            "town level."
        ),
        source="honours",
        measure=highest_level(Level.TOWN),
        timing=POINT,
    ),
    Indicator(
        "craftsmen_enterprise",
        _("Enterprise model workers and craftsmen"),
        PEOPLE,
        "workforce",
        _(
            "Model workers and craftsmen whose highest honour awarded in or before the year is at "
            "enterprise level; the six levels add up to all model workers and craftsmen."
        ),
        source="honours",
        measure=highest_level(Level.ENTERPRISE),
        timing=POINT,
    ),
    Indicator(
        "mentorships_new",
        _("New mentorships"),
        PAIRS,
        "workforce",
        _("Mentorships started during the year whose apprentice is in the region."),
        source="mentorships",
        measure=count(),
        timing=PERIOD,
    ),
    # Programmes.
    Indicator(
        "pilot_units",
        _("Pilot and demonstration units"),
        UNITS,
        "programmes",
        _(
            "Pilot units in the region with status named or accepted and a batch year in or "
            "before the year."
        ),
        source="pilot_units",
        measure=count(),
        timing=POINT,
    ),
    Indicator(
        "pilot_counties",
        _("Pilot counties"),
        UNITS,
        "programmes",
        _("Pilot and demonstration units of type county."),
        source="pilot_units",
        measure=count(_pilot_type("COUNTY")),
        timing=POINT,
    ),
    Indicator(
        "pilot_towns",
        _("Pilot towns and parks"),
        UNITS,
        "programmes",
        _("Pilot and demonstration units of type town or park."),
        source="pilot_units",
        measure=count(_pilot_type("TOWN")),
        timing=POINT,
    ),
    Indicator(
        "pilot_enterprises",
        _("Pilot enterprises"),
        UNITS,
        "programmes",
        _("Pilot and demonstration units of type enterprise."),
        source="pilot_units",
        measure=count(_pilot_type("ENTERPRISE")),
        timing=POINT,
    ),
    Indicator(
        "pilot_teams",
        _("Pilot teams"),
        UNITS,
        "programmes",
        _("Pilot and demonstration units of type team; the four types add up to all pilot units."),
        source="pilot_units",
        measure=count(_pilot_type("TEAM")),
        timing=POINT,
    ),
    Indicator(
        "studios",
        _("Innovation studios"),
        UNITS,
        "programmes",
        _(
            "Innovation studios in the region named in or before the year and not revoked in or "
            "before the year."
        ),
        source="studios",
        measure=count(),
        timing=POINT,
    ),
    Indicator(
        "studios_national",
        _("National innovation studios"),
        UNITS,
        "programmes",
        _("Innovation studios counted above at national level."),
        source="studios",
        measure=count(_where_q(level=Level.NATIONAL)),
        timing=POINT,
    ),
    Indicator(
        "studios_provincial",
        _("Provincial innovation studios"),
        UNITS,
        "programmes",
        _("Innovation studios counted above at provincial level."),
        source="studios",
        measure=count(_where_q(level=Level.PROVINCIAL)),
        timing=POINT,
    ),
    Indicator(
        "studios_city",
        _("City innovation studios"),
        UNITS,
        "programmes",
        _("Innovation studios counted above at city level."),
        source="studios",
        measure=count(_where_q(level=Level.CITY)),
        timing=POINT,
    ),
    Indicator(
        "studios_county",
        _("County innovation studios"),
        UNITS,
        "programmes",
        _(
            "Innovation studios counted above at county level; the four levels add up to all "
            "innovation studios."
        ),
        source="studios",
        measure=count(_where_q(level=Level.COUNTY)),
        timing=POINT,
    ),
    Indicator(
        "studio_members",
        _("Innovation team members"),
        PEOPLE,
        "programmes",
        _("Sum of the member counts of the innovation studios counted above."),
        source="studios",
        measure=total("member_count"),
        timing=POINT,
    ),
    # 产改联盟: counted in the lead enterprise's region, members wherever they are.
    Indicator(
        "alliances",
        _("Reform alliances"),
        UNITS,
        "programmes",
        _(
            "Reform alliances whose lead enterprise is in the region, founded on or before "
            "31 December and not dissolved on or before it. An alliance counts in its lead's "
            "region even when its members are elsewhere."
        ),
        source="alliances",
        measure=count(),
        timing=POINT,
    ),
    Indicator(
        "alliances_chain",
        _("Industrial-chain reform alliances"),
        UNITS,
        "programmes",
        _("Reform alliances counted above of kind industrial chain."),
        source="alliances",
        measure=count(_where_q(kind=AllianceKind.CHAIN)),
        timing=POINT,
    ),
    Indicator(
        "alliances_area",
        _("Area reform alliances"),
        UNITS,
        "programmes",
        _("Reform alliances counted above of kind area."),
        source="alliances",
        measure=count(_where_q(kind=AllianceKind.AREA)),
        timing=POINT,
    ),
    Indicator(
        "alliances_industry",
        _("Industry reform alliances"),
        UNITS,
        "programmes",
        _(
            "Reform alliances counted above of kind industry; the three kinds add up to all "
            "reform alliances."
        ),
        source="alliances",
        measure=count(_where_q(kind=AllianceKind.INDUSTRY)),
        timing=POINT,
    ),
    Indicator(
        "alliance_members",
        _("Reform alliance member enterprises"),
        ENTERPRISES,
        "programmes",
        _(
            "Memberships current on 31 December (joined on or before it, not left on or before "
            "it) of the reform alliances counted above, counted in the alliance's region "
            "wherever the member is. An enterprise in two alliances counts in each; the lead "
            "counts when it is listed among the members."
        ),
        source="alliance_members",
        measure=count(),
        timing=POINT,
    ),
    Indicator(
        "alliance_activities",
        _("Joint activities of reform alliances"),
        EVENTS,
        "programmes",
        _(
            "Activities of the five joint kinds (organisation, affairs, resources, activities, "
            "brand) held during the year by reform alliances of the region."
        ),
        source="alliance_activities",
        measure=count(),
        timing=PERIOD,
    ),
    Indicator(
        "achievements",
        _("Innovation achievements"),
        ITEMS,
        "programmes",
        _("Innovation achievements in the region of the year, all kinds."),
        source="achievements",
        measure=count(),
        timing=PERIOD,
    ),
    Indicator(
        "patents",
        _("Patents"),
        ITEMS,
        "programmes",
        _("Innovation achievements in the region of the year of kind patent."),
        source="achievements",
        measure=count(_achievement_kind("PATENT")),
        timing=PERIOD,
    ),
    Indicator(
        "operation_methods",
        _("Advanced operation methods"),
        ITEMS,
        "programmes",
        _("Innovation achievements in the region of the year of kind advanced operation method."),
        source="achievements",
        measure=count(_achievement_kind("OPERATION_METHOD")),
        timing=PERIOD,
    ),
    Indicator(
        "achievement_benefit",
        _("Economic benefit of achievements"),
        YUAN,
        "programmes",
        _("Sum of the economic benefit of the innovation achievements in the region of the year."),
        kind="money",
        source="achievements",
        measure=total("economic_benefit"),
        timing=PERIOD,
    ),
    Indicator(
        "service_visits",
        _("Service visits to enterprises"),
        EVENTS,
        "programmes",
        _("Craftsmen service visits in the region dated in the year."),
        source="service_visits",
        measure=count(),
        timing=PERIOD,
    ),
    Indicator(
        "service_craftsmen",
        _("Craftsmen taking part"),
        PERSON_TIMES,
        "programmes",
        _(
            "Sum over those visits of the craftsmen taking part: the number of linked workers "
            "where any are linked, else the declared count."
        ),
        source="service_visits",
        measure=linked_else_declared(_visit_craftsmen, "craftsmen_count"),
        timing=PERIOD,
    ),
    Indicator(
        "service_enterprises",
        _("Enterprises served"),
        ENTERPRISE_TIMES,
        "programmes",
        _("Sum over those visits of the enterprises served."),
        source="service_visits",
        measure=total("enterprises_served"),
        timing=PERIOD,
    ),
    Indicator(
        "service_problems",
        _("Problems collected"),
        UNITS,
        "programmes",
        _("Sum over those visits of the problems collected."),
        source="service_visits",
        measure=total("problems_collected"),
        timing=PERIOD,
    ),
    Indicator(
        "service_problems_solved",
        _("Problems solved"),
        UNITS,
        "programmes",
        _("Sum over those visits of the problems solved."),
        source="service_visits",
        measure=total("problems_solved"),
        timing=PERIOD,
    ),
    Indicator(
        "service_workers_trained",
        _("Technical workers trained"),
        PERSON_TIMES,
        "programmes",
        _("Sum over those visits of the workers trained."),
        source="service_visits",
        measure=total("workers_trained"),
        timing=PERIOD,
    ),
    Indicator(
        "service_benefit",
        _("Economic benefit of service visits"),
        YUAN,
        "programmes",
        _("Sum over those visits of the economic benefit."),
        kind="money",
        source="service_visits",
        measure=total("economic_benefit"),
        timing=PERIOD,
    ),
    # 能级工资集体协商: agreements in force on 31 December, counted in their region (an
    # enterprise agreement in its enterprise's).
    Indicator(
        "wage_agreements",
        _("Skill-level wage agreements in force"),
        UNITS,
        "programmes",
        _(
            "Skill-level wage collective agreements in the region in force on 31 December: signed "
            "on or before that day, valid until that day or later, and not terminated on or "
            "before it."
        ),
        source="wage_agreements",
        measure=count(),
        timing=POINT,
    ),
    Indicator(
        "wage_agreements_industry",
        _("Industry-wide wage agreements in force"),
        UNITS,
        "programmes",
        _("Wage agreements counted above that are industry-wide."),
        source="wage_agreements",
        measure=count(_wage_kind("INDUSTRY")),
        timing=POINT,
    ),
    Indicator(
        "wage_agreements_enterprise",
        _("Enterprise wage agreements in force"),
        UNITS,
        "programmes",
        _(
            "Wage agreements counted above signed by one enterprise; with the industry-wide ones "
            "they add up to all agreements in force."
        ),
        source="wage_agreements",
        measure=count(_wage_kind("ENTERPRISE")),
        timing=POINT,
    ),
    Indicator(
        "wage_agreement_enterprises",
        _("Enterprises covered by wage agreements"),
        ENTERPRISE_TIMES,
        "programmes",
        _(
            "Sum over the agreements in force of the enterprises each covers: 1 for an "
            "enterprise agreement; for an industry-wide one the enterprises it links where any "
            "are linked, else its declared number. An enterprise under two agreements counts "
            "under each."
        ),
        source="wage_agreements",
        measure=total(_wage_agreement_enterprises),
        timing=POINT,
    ),
    Indicator(
        "wage_agreement_workers",
        _("Workers covered by wage agreements"),
        PEOPLE,
        "programmes",
        _("Sum over the agreements in force of the workers each declares it covers."),
        source="wage_agreements",
        measure=total("workers_covered"),
        timing=POINT,
    ),
    Indicator(
        "above_scale_covered",
        _("Above-scale enterprises under a wage agreement"),
        ENTERPRISES,
        "programmes",
        _(
            "Above-scale enterprises in the region under a wage agreement in force on 31 "
            "December: their own enterprise agreement, or an industry-wide agreement that lists "
            "them, wherever it is recorded. Each enterprise counts once, in its own region."
        ),
        source="enterprises",
        measure=count(_above_scale_covered),
        timing=POINT,
    ),
    Indicator(
        "wage_agreement_coverage",
        _("Share of above-scale enterprises under a wage agreement"),
        PERCENT,
        "programmes",
        _(
            "Above-scale enterprises under a wage agreement divided by above-scale enterprises, "
            "times 100; 0 when there are none."
        ),
        kind="percent",
        additive=False,
        ratio=("above_scale_covered", "above_scale_enterprises"),
        timing=POINT,
    ),
    # Training: sessions and trips belong to their organiser region, with all their enrolments.
    Indicator(
        "training_sessions",
        _("Training sessions"),
        SESSIONS,
        "training",
        _("Training sessions organised in the region starting in the year."),
        source="training_sessions",
        measure=count(),
        timing=PERIOD,
    ),
    Indicator(
        "training_participants",
        _("Training participants"),
        PERSON_TIMES,
        "training",
        _(
            "Sum over those sessions of the number of enrolments where the session has any, else "
            "its declared headcount."
        ),
        source="training_sessions",
        measure=linked_else_declared(_session_enrolments, "declared_headcount"),
        timing=PERIOD,
    ),
    Indicator(
        "training_certified",
        _("Certificates obtained in training"),
        PERSON_TIMES,
        "training",
        _("Enrolments in those sessions with a certificate obtained."),
        source="training_sessions",
        measure=total(lambda: Coalesce(_session_certified(), Value(0))),
        timing=PERIOD,
    ),
    # Academies and their instructors (工匠学院, 讲师): an instructor counts in the academy's
    # region; the sessions they teach in the session's organiser region, as every session does.
    Indicator(
        "academies",
        _("Craftsman academies"),
        UNITS,
        "training",
        _(
            "Craftsman academies (工匠学院, 劳模工匠产业人才学院) in the region founded on or before "
            "31 December, or with no founding date; an academy's branches (分院) are part of it "
            "and not counted again."
        ),
        source="academies",
        measure=count(),
        timing=POINT,
    ),
    Indicator(
        "instructors",
        _("Academy instructors"),
        PEOPLE,
        "training",
        _(
            "Instructors engaged by the academies and branches in the region on 31 December: "
            "engaged on or before that day and the engagement not ended on or before it. A "
            "worker engaged by two academies counts at each."
        ),
        source="instructors",
        measure=count(),
        timing=POINT,
    ),
    Indicator(
        "craftsman_instructors",
        _("Model worker and craftsman instructors"),
        PEOPLE,
        "training",
        _("Of those instructors, the model worker and craftsman instructors (劳模工匠讲师)."),
        source="instructors",
        measure=count(_where_q(kind=InstructorKind.CRAFTSMAN)),
        timing=POINT,
    ),
    Indicator(
        "craftsman_taught_sessions",
        _("Sessions taught by craftsman instructors"),
        SESSIONS,
        "training",
        _(
            "Training sessions organised in the region starting in the year with at least one "
            "model worker or craftsman instructor among their instructors."
        ),
        source="training_sessions",
        measure=count(_taught_by_craftsman),
        timing=PERIOD,
    ),
    Indicator(
        "craftsman_taught_trainees",
        _("Trainees taught by craftsman instructors"),
        PERSON_TIMES,
        "training",
        _(
            "Sum over those sessions of the number of enrolments where the session has any, "
            "else its declared headcount (as training participants are counted)."
        ),
        source="training_sessions",
        measure=linked_else_declared(
            _session_enrolments, "declared_headcount", _taught_by_craftsman
        ),
        timing=PERIOD,
    ),
    Indicator(
        "competitions",
        _("Skill competitions"),
        EVENTS,
        "training",
        _("Skill competitions in the region held in the year."),
        source="competitions",
        measure=count(),
        timing=PERIOD,
    ),
    Indicator(
        "competition_participants",
        _("Competition participants"),
        PERSON_TIMES,
        "training",
        _(
            "Sum over those competitions of the declared participant count, or the number of "
            "results where no count is declared."
        ),
        source="competitions",
        measure=declared_else_linked("participant_count", _competition_results),
        timing=PERIOD,
    ),
    Indicator(
        "education_subsidies",
        _("Education subsidies"),
        PEOPLE,
        "training",
        _("Education subsidies of the year to workers in the region."),
        source="education_subsidies",
        measure=count(),
        timing=PERIOD,
    ),
    Indicator(
        "education_subsidy_amount",
        _("Education subsidy amount"),
        YUAN,
        "training",
        _("Sum of the amounts of those education subsidies."),
        kind="money",
        source="education_subsidies",
        measure=total("amount"),
        timing=PERIOD,
    ),
    # Welfare.
    Indicator(
        "stations",
        _("Outdoor-worker service stations"),
        UNITS,
        "welfare",
        _("Service stations in the region in service and opened on or before 31 December."),
        source="stations",
        measure=count(_in_service_opened),
        timing=POINT,
    ),
    Indicator(
        "stations_24h",
        _("Stations open 24 hours"),
        UNITS,
        "welfare",
        _("Service stations counted above that are open 24 hours."),
        source="stations",
        measure=count(_in_service_24h),
        timing=POINT,
    ),
    Indicator(
        "stations_upgraded",
        _("Stations upgraded in the year"),
        UNITS,
        "welfare",
        _("Service stations in the region upgraded in the year, whatever their status now."),
        source="stations",
        measure=count(_year_is("upgraded_year")),
        timing=PERIOD,
    ),
    Indicator(
        "hardship_open",
        _("Hardship cases on file"),
        PEOPLE,
        "welfare",
        _(
            "Hardship cases of workers in the region filed on or before 31 December, not "
            "rejected, and not closed on or before 31 December."
        ),
        source="hardship_cases",
        measure=count(_hardship_open),
        timing=POINT,
    ),
    Indicator(
        "hardship_new",
        _("Hardship cases filed in the year"),
        PEOPLE,
        "welfare",
        _("Hardship cases of workers in the region filed during the year."),
        source="hardship_cases",
        measure=count(_in_year("filed_on")),
        timing=PERIOD,
    ),
    Indicator(
        "hardship_closed",
        _("Hardship cases closed in the year"),
        PEOPLE,
        "welfare",
        _("Hardship cases of workers in the region closed (out of hardship) during the year."),
        source="hardship_cases",
        measure=count(_in_year("closed_on")),
        timing=PERIOD,
    ),
    Indicator(
        "assistance_amount",
        _("Assistance granted"),
        YUAN,
        "welfare",
        _(
            "Sum of the assistance grants granted during the year on cases of workers in the region."
        ),
        kind="money",
        source="assistance_grants",
        measure=total("amount"),
        timing=PERIOD,
    ),
    Indicator(
        "assistance_recipients",
        _("Assistance recipients"),
        PEOPLE,
        "welfare",
        _("Distinct hardship cases of workers in the region with a grant granted in the year."),
        source="assistance_grants",
        measure=distinct("case"),
        timing=PERIOD,
    ),
    Indicator(
        "recuperation_participants",
        _("Recuperation participants"),
        PERSON_TIMES,
        "welfare",
        _(
            "Sum over recuperation trips organised in the region starting in the year of the "
            "linked participants where any, else the declared headcount."
        ),
        source="recuperation_trips",
        measure=linked_else_declared(_trip_participants, "declared_headcount"),
        timing=PERIOD,
    ),
    # 礼遇工匠: the benefits honoured craftsmen are due by rule (welfare.selectors, the due rule).
    Indicator(
        "craftsmen_entitled",
        _("Craftsmen entitled to benefits"),
        PEOPLE,
        "welfare",
        _(
            "Distinct workers in the region holding an honour awarded in or before the year that "
            "an active benefit rule in force by the year covers (an honour of the rule's kind at "
            "its level or above), as the rule table stands today."
        ),
        source="honours",
        measure=distinct("worker", _entitled_to_benefits),
        timing=POINT,
    ),
    Indicator(
        "craftsman_benefits",
        _("Craftsman benefits taken"),
        PERSON_TIMES,
        "welfare",
        _(
            "Benefits (recuperation, health checks, fitness cards) taken during the year by "
            "honoured craftsmen in the region; a worker taking two counts twice."
        ),
        source="craftsman_benefits",
        measure=count(),
        timing=PERIOD,
    ),
    Indicator(
        "craftsman_benefits_recuperation",
        _("Craftsman recuperation taken"),
        PERSON_TIMES,
        "welfare",
        _("Of the craftsman benefits taken in the year, recuperation."),
        source="craftsman_benefits",
        measure=count(_benefit_kind(BenefitKind.RECUPERATION)),
        timing=PERIOD,
    ),
    Indicator(
        "craftsman_benefits_health_check",
        _("Craftsman health checks taken"),
        PERSON_TIMES,
        "welfare",
        _("Of the craftsman benefits taken in the year, health checks."),
        source="craftsman_benefits",
        measure=count(_benefit_kind(BenefitKind.HEALTH_CHECK)),
        timing=PERIOD,
    ),
    Indicator(
        "craftsman_benefits_fitness_card",
        _("Craftsman fitness cards taken"),
        PERSON_TIMES,
        "welfare",
        _(
            "Of the craftsman benefits taken in the year, fitness cards; the three kinds add up "
            "to the craftsman benefits taken."
        ),
        source="craftsman_benefits",
        measure=count(_benefit_kind(BenefitKind.FITNESS_CARD)),
        timing=PERIOD,
    ),
    # 六必访: the visits union chairmen make to workers on the six occasions (welfare.selectors,
    # the visit rule). Counts only: who was visited, and why, stays in the restricted records.
    Indicator(
        "care_visits",
        _("六必访 visits made"),
        PERSON_TIMES,
        "welfare",
        _(
            "Visits (六必访) made during the year to workers in the region on one of the six "
            "occasions; a worker visited twice counts twice."
        ),
        source="care_visits",
        measure=count(),
        timing=PERIOD,
    ),
    Indicator(
        "care_workers_visited",
        _("Workers visited (六必访)"),
        PEOPLE,
        "welfare",
        _("Distinct workers in the region visited (六必访) during the year."),
        source="care_visits",
        measure=distinct("worker"),
        timing=PERIOD,
    ),
    Indicator(
        "care_visit_aid",
        _("Aid given on visits (六必访)"),
        YUAN,
        "welfare",
        _(
            "Sum of the aid (money and goods at their value) given on the visits made during "
            "the year to workers in the region; a visit without aid adds 0."
        ),
        kind="money",
        source="care_visits",
        measure=total("aid"),
        timing=PERIOD,
    ),
    Indicator(
        "care_occasions",
        _("Occasions recorded (六必访)"),
        CASES,
        "welfare",
        _(
            "Occasions among the six (生病住院、家庭受灾、家属重病、亲属去世、家庭纠纷、家遇急事) "
            "recorded for workers in the region that happened during the year."
        ),
        source="care_occasions",
        measure=count(),
        timing=PERIOD,
    ),
    Indicator(
        "care_occasions_visited_in_time",
        _("Occasions visited within 7 days"),
        CASES,
        "welfare",
        _(
            "Of the occasions recorded that happened during the year, those answered by a visit "
            "made within 7 days of the occasion (the visit names the occasion), whenever the "
            "visit was recorded."
        ),
        source="care_occasions",
        measure=count(_visited_in_time),
        timing=PERIOD,
    ),
    Indicator(
        "care_visit_timeliness",
        _("Share of occasions visited within 7 days"),
        PERCENT,
        "welfare",
        _(
            "Occasions visited within 7 days divided by occasions recorded, times 100; 0 when "
            "there are none."
        ),
        kind="percent",
        additive=False,
        ratio=("care_occasions_visited_in_time", "care_occasions"),
        timing=PERIOD,
    ),
    Indicator(
        "dispatches_received",
        _("越温暖 dispatches received"),
        CASES,
        "welfare",
        _(
            "People of the city's 越温暖 sensing list received during the year and assigned to a "
            "town union in the region; a person dispatched twice counts twice."
        ),
        source="dispatches",
        measure=count(),
        timing=PERIOD,
    ),
    Indicator(
        "dispatches_handled",
        _("越温暖 dispatches answered"),
        CASES,
        "welfare",
        _(
            "Dispatches received during the year that the town union has answered (confirmed, "
            "opening a hardship case, or found not eligible), whenever it answered."
        ),
        source="dispatches",
        measure=count(_dispatch_handled),
        timing=PERIOD,
    ),
    Indicator(
        "dispatches_overdue",
        _("越温暖 dispatches overdue"),
        CASES,
        "welfare",
        _(
            "Dispatches received during the year answered after their due date, or still "
            "unanswered with the due date passed (as of today)."
        ),
        source="dispatches",
        measure=count(_dispatch_overdue),
        timing=PERIOD,
    ),
    # 春风行动: the year's job fairs held by the unions of the region.
    Indicator(
        "job_fairs",
        _("春风行动 job fairs"),
        EVENTS,
        "welfare",
        _("Job fairs held during the year by unions of the region, on site or online."),
        source="job_fairs",
        measure=count(),
        timing=PERIOD,
    ),
    Indicator(
        "job_fair_enterprises",
        _("Enterprises at job fairs"),
        ENTERPRISE_TIMES,
        "welfare",
        _("Enterprises listed at those fairs: an enterprise at three fairs counts three times."),
        source="job_fair_enterprises",
        measure=count(),
        timing=PERIOD,
    ),
    Indicator(
        "job_fair_positions",
        _("Positions offered at job fairs"),
        UNITS,
        "welfare",
        _("Sum of the positions the enterprises listed at those fairs offered."),
        source="job_fair_enterprises",
        measure=total("positions_count"),
        timing=PERIOD,
    ),
    Indicator(
        "job_fair_seekers",
        _("Job seekers at job fairs"),
        PERSON_TIMES,
        "welfare",
        _("Sum of the job seekers each of those fairs recorded as attending."),
        source="job_fairs",
        measure=total("seekers_count"),
        timing=PERIOD,
    ),
    Indicator(
        "job_fair_hires",
        _("Hires agreed at job fairs"),
        PEOPLE,
        "welfare",
        _(
            "Sum of the job seekers the enterprises listed at those fairs agreed to hire "
            "(达成就业意向)."
        ),
        source="job_fair_enterprises",
        measure=total("hires_count"),
        timing=PERIOD,
    ),
    # 职工书屋: the libraries open at the end of Y, by their demonstration title.
    Indicator(
        "worker_libraries",
        _("Worker libraries"),
        UNITS,
        "welfare",
        _("Worker libraries (职工书屋) in the region opened on or before 31 December."),
        source="worker_libraries",
        measure=count(),
        timing=POINT,
    ),
    Indicator(
        "worker_libraries_national",
        _("National demonstration worker libraries"),
        UNITS,
        "welfare",
        _("Worker libraries counted above that hold the national demonstration title."),
        source="worker_libraries",
        measure=count(_where_q(level=LibraryLevel.NATIONAL)),
        timing=POINT,
    ),
    Indicator(
        "worker_libraries_provincial",
        _("Provincial demonstration worker libraries"),
        UNITS,
        "welfare",
        _("Worker libraries counted above that hold the provincial demonstration title."),
        source="worker_libraries",
        measure=count(_where_q(level=LibraryLevel.PROVINCIAL)),
        timing=POINT,
    ),
    Indicator(
        "worker_libraries_city",
        _("City demonstration worker libraries"),
        UNITS,
        "welfare",
        _("Worker libraries counted above that hold the city demonstration title."),
        source="worker_libraries",
        measure=count(_where_q(level=LibraryLevel.CITY)),
        timing=POINT,
    ),
    Indicator(
        "worker_libraries_other",
        _("Worker libraries without a demonstration title"),
        UNITS,
        "welfare",
        _(
            "Worker libraries counted above with no demonstration title; the four add up to "
            "all worker libraries."
        ),
        source="worker_libraries",
        measure=count(_where_q(level="")),
        timing=POINT,
    ),
    # 台工心港: counts only. The consultations held are read by the counsellor role alone (the
    # only role that may read the bookings): in a town, a count of consultations is near to a name.
    Indicator(
        "counselling_assessments",
        _("台工心港 assessments taken"),
        PERSON_TIMES,
        "welfare",
        _(
            "Self-assessments taken on the 台工心港 platform during the year, summed over the "
            "monthly tallies of every scale; a worker taking two scales, or one twice, counts each "
            "time."
        ),
        source="counselling_assessments",
        measure=total("taken"),
        timing=PERIOD,
    ),
    Indicator(
        "counselling_consultations",
        _("台工心港 consultations held"),
        PERSON_TIMES,
        "welfare",
        _(
            "Bookings with a consultation date in the year whose consultation took place "
            "(cancelled, missed and still-to-come bookings not counted)."
        ),
        source="counselling_bookings",
        measure=count(_where_q(status=BookingStatus.HELD)),
        timing=PERIOD,
    ),
    Indicator(
        "counselling_lectures",
        _("台工心港 lectures held"),
        EVENTS,
        "welfare",
        _("Psychological lectures, salons and group activities held during the year."),
        source="counselling_lectures",
        measure=count(),
        timing=PERIOD,
    ),
    Indicator(
        "counselling_lecture_audience",
        _("台工心港 lecture audience"),
        PERSON_TIMES,
        "welfare",
        _(
            "The audience of the psychological lectures, salons and group activities held during "
            "the year, as each recorded it; a worker at two counts twice."
        ),
        source="counselling_lectures",
        measure=total("audience"),
        timing=PERIOD,
    ),
    # 「人大+工会」 suggestions, in the region of the worker or union they come from.
    Indicator(
        "suggestions_received",
        _("「人大+工会」 suggestions received"),
        CASES,
        "welfare",
        _(
            "Suggestions of workers and grassroots unions received through the 「人大+工会」 "
            "channel during the year (by the day received), whatever their handling since."
        ),
        source="suggestions",
        measure=count(_suggestion_received),
        timing=PERIOD,
    ),
    Indicator(
        "suggestions_closed",
        _("「人大+工会」 suggestions closed"),
        CASES,
        "welfare",
        _(
            "Suggestions closed (办结) during the year (by the closing day), whenever they were "
            "received."
        ),
        source="suggestions",
        measure=count(_suggestion_closed),
        timing=PERIOD,
    ),
    Indicator(
        "suggestions_closed_in_time",
        _("「人大+工会」 suggestions closed within the time limit"),
        CASES,
        "welfare",
        _(
            "Suggestions closed during the year no more than 30 days after they were accepted "
            "(受理); the closing and acceptance days themselves count as days 30 and 0."
        ),
        source="suggestions",
        measure=count(_suggestion_closed_in_time),
        timing=PERIOD,
    ),
    Indicator(
        "suggestions_satisfied",
        _("「人大+工会」 suggestions closed to satisfaction"),
        CASES,
        "welfare",
        _(
            "Suggestions closed during the year that the proposer rated satisfied or basically "
            "satisfied (满意、基本满意)."
        ),
        source="suggestions",
        measure=count(_suggestion_satisfied),
        timing=PERIOD,
    ),
    Indicator(
        "suggestion_satisfaction",
        _("「人大+工会」 suggestion satisfaction"),
        PERCENT,
        "welfare",
        _(
            "Suggestions closed to satisfaction divided by suggestions closed during the year, "
            "times 100; 0 when none was closed."
        ),
        kind="percent",
        additive=False,
        ratio=("suggestions_satisfied", "suggestions_closed"),
        timing=PERIOD,
    ),
)

BY_KEY: dict[str, Indicator] = {indicator.key: indicator for indicator in INDICATORS}

# Charts that split one indicator into parts that add up to it.
BREAKDOWNS: dict[str, tuple[str, ...]] = {
    "craftsmen": (
        "craftsmen_national",
        "craftsmen_provincial",
        "craftsmen_city",
        "craftsmen_county",
        "craftsmen_town",
        "craftsmen_enterprise",
    ),
    "studios": ("studios_national", "studios_provincial", "studios_city", "studios_county"),
    "pilot_units": ("pilot_counties", "pilot_towns", "pilot_enterprises", "pilot_teams"),
    "alliances": ("alliances_chain", "alliances_area", "alliances_industry"),
    "craftsman_benefits": (
        "craftsman_benefits_recuperation",
        "craftsman_benefits_health_check",
        "craftsman_benefits_fitness_card",
    ),
    "worker_libraries": (
        "worker_libraries_national",
        "worker_libraries_provincial",
        "worker_libraries_city",
        "worker_libraries_other",
    ),
}
# Each breakdown's chart title; a chart is drawn only for a user who may read its whole.
BREAKDOWN_TITLES: dict[str, Promise] = {
    "craftsmen": _("Model workers and craftsmen by level"),
    "studios": _("Innovation studios by level"),
    "pilot_units": _("Pilot units by type"),
    "alliances": _("Reform alliances by kind"),
    "craftsman_benefits": _("Craftsman benefits taken by kind"),
    "worker_libraries": _("Worker libraries by demonstration title"),
}
