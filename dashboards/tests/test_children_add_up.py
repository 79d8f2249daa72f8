"""Children add up (docs/indicators.md): on generated records of every source table, at every
level, the sub-region rows and 本级 add up to the region for EVERY additive indicator of the
catalogue, and every share is recomputed from summed parts, never summed itself.

The indicators checked are read from the catalogue, so a new additive indicator is covered as
soon as it exists; a new source table needs a builder here, or the first test fails."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from base.models import Level, Region, RegionLevel
from dashboards import dashboard, selectors
from dashboards.catalogue import BY_KEY, INDICATORS, SOURCES
from programs.models import (
    Achievement,
    AchievementKind,
    AllianceActivity,
    AllianceActivityKind,
    AllianceKind,
    AllianceMember,
    CoordinationGroup,
    InnovationStudio,
    JobFair,
    JobFairEnterprise,
    PilotStatus,
    PilotUnit,
    ReformAlliance,
    Satisfaction,
    ServiceVisit,
    Suggestion,
    SuggestionStatus,
    UnitType,
    WageAgreement,
    WageAgreementKind,
)
from tests import factories
from training.models import (
    Competition,
    EducationSubsidy,
    Enrolment,
    Instructor,
    InstructorKind,
    ProviderKind,
    Teaching,
    TrainingProvider,
    TrainingSession,
    WorkerLibrary,
)
from welfare.models import (
    AssessmentScale,
    AssistanceGrant,
    BenefitKind,
    BenefitTaken,
    BookingStatus,
    CareOccasion,
    CareOccasionKind,
    CareVisit,
    CaseStatus,
    CounsellingAssessment,
    CounsellingBooking,
    CounsellingLecture,
    Dispatch,
    HardshipCase,
    RecuperationTrip,
    ServiceStation,
    StationStatus,
)
from workforce.models import (
    EmploymentForm,
    Enterprise,
    Honour,
    HonourTitle,
    Mentorship,
    Ownership,
    ReformStatus,
    SkillCertificate,
    SkillLevel,
    UnionOrganisation,
    Worker,
)

pytestmark = pytest.mark.django_db

Y = 2024
# Where generated records are kept: the province, two cities, two counties and two towns, so
# every level has records of its own and records in its children and grandchildren.
PLACES = ("330000", "330300", "330100", "330381", "330382", "330381101", "330381001")
LEVELS = ("330000", "330300", "330381", "330381101")  # province, city, county, town
_towns = itertools.count()  # new towns of the coordination-group builder


def day(variant: int, year: int = Y) -> datetime.date:
    return datetime.date(year, 1 + variant % 12, 1 + variant % 28)


def pick(options: Any, variant: int) -> Any:
    options = list(options)
    return options[variant % len(options)]


def worker(where: Region, variant: int) -> Worker:
    left = day(variant, Y) if variant % 4 == 0 else None
    return factories.build(
        Worker,
        where,
        union_member=variant % 2 == 0,
        union_joined_on=day(variant, Y - variant % 3) if variant % 2 == 0 else None,
        employment_form=pick(EmploymentForm, variant),
        registered_on=day(variant, Y - variant % 5) if variant % 3 else None,
        left_on=left,
    )


def title(variant: int) -> HonourTitle:
    return HonourTitle.objects.filter(level=pick(Level, variant)).order_by("name")[0]


def _case(where: Region, variant: int) -> HardshipCase:
    return factories.build(
        HardshipCase,
        where,
        worker=worker(where, variant),
        status=pick((CaseStatus.FILED, CaseStatus.AIDED), variant),
        filed_on=day(variant, Y - variant % 2),
    )


def _session(where: Region, variant: int) -> TrainingSession:
    session = factories.build(
        TrainingSession, where, start_date=day(variant), declared_headcount=10 + variant
    )
    if variant % 2:
        factories.build(
            Enrolment, where, session=session, worker=worker(where, variant), certified=True
        )
    if variant % 3:
        Teaching.objects.create(session=session, instructor=_instructor(where, variant))
    return session


def _alliance(where: Region, variant: int) -> ReformAlliance:
    return factories.build(
        ReformAlliance,
        where,
        lead=factories.build(Enterprise, where),
        kind=pick(AllianceKind, variant),
        founded_on=day(variant, Y - variant % 2),
        dissolved_on=day(variant, Y) if variant % 5 == 4 and variant % 2 else None,
    )


def _alliance_member(where: Region, variant: int) -> AllianceMember:
    # The member enterprise lies in another place than the alliance: it counts with the alliance.
    elsewhere = Region.objects.get(code=pick(PLACES, variant))
    alliance = _alliance(where, variant)
    return factories.build(
        AllianceMember,
        where,
        alliance=alliance,
        enterprise=factories.build(Enterprise, elsewhere),
        joined_on=alliance.founded_on,
        left_on=day(variant, Y) if variant % 3 == 2 and alliance.founded_on.year < Y else None,
    )


def _academy(where: Region, variant: int) -> TrainingProvider:
    return factories.build(
        TrainingProvider,
        where,
        kind=pick((ProviderKind.ACADEMY, ProviderKind.BRANCH), variant),
        founded_on=day(variant, Y - variant % 2),
    )


def _instructor(where: Region, variant: int) -> Instructor:
    return factories.build(
        Instructor,
        where,
        academy=_academy(where, variant),
        worker=worker(where, variant),
        kind=pick(InstructorKind, variant),
        engaged_on=day(variant, Y - variant % 2),
    )


def _pilot(where: Region, variant: int) -> PilotUnit:
    unit_type = pick(UnitType, variant)
    extra = {"team_name": f"{variant}班"} if unit_type == UnitType.TEAM else {}
    return factories.build(
        PilotUnit,
        where,
        unit_type=unit_type,
        status=pick((PilotStatus.NAMED, PilotStatus.ACCEPTED), variant),
        batch_year=Y - variant % 3,
        **extra,
    )


def _enterprise(where: Region, variant: int) -> Enterprise:
    status = pick(ReformStatus, variant)
    return factories.build(
        Enterprise,
        where,
        above_scale=variant % 3 != 0,
        ownership=pick((Ownership.NON_PUBLIC, Ownership.STATE), variant // 2),
        reform_status=status,
        # Some started after Y: not yet counted in it.
        reform_started_on=None
        if status == ReformStatus.NOT_STARTED
        else day(variant, Y + 1 - variant % 4),
    )


def _coordination_group(where: Region, variant: int) -> CoordinationGroup:
    # A group belongs to a town, and a town has one group in place at a time: the town itself
    # while it has none, else a new town of the first county in the subtree.
    town = where
    if where.level != RegionLevel.TOWN or CoordinationGroup.objects.filter(region=where).exists():
        county = Region.objects.filter(
            code__startswith=where.prefix[:6], level=RegionLevel.COUNTY
        ).order_by("code")[0]
        town = factories.town(f"{county.code}{400 + next(_towns) % 500:03d}")
    return factories.build(
        CoordinationGroup,
        town,
        established_on=day(variant, Y - variant % 3),
        dissolved_on=day(variant, Y) if variant % 5 == 4 else None,
    )


def _wage_agreement(where: Region, variant: int) -> WageAgreement:
    # In force at the end of Y; an industry-wide agreement lists a 规上 enterprise of its region
    # and declares the rest, an enterprise agreement covers its own.
    dates = {"signed_on": day(variant, Y - variant % 3), "valid_until": day(variant, Y + 2)}
    if variant % 2:
        own = factories.build(Enterprise, where, above_scale=True)
        return factories.build(
            WageAgreement,
            where,
            kind=WageAgreementKind.ENTERPRISE,
            enterprise=own,
            workers_covered=100 + variant,
            **dates,
        )
    agreement = factories.build(
        WageAgreement, where, enterprises_declared=variant, workers_covered=variant, **dates
    )
    if variant % 4 == 0:
        agreement.covered_enterprises.add(factories.build(Enterprise, where, above_scale=True))
    return agreement


def _suggestion(where: Region, variant: int) -> Suggestion:
    # Received in Y from a worker or (every third) a grassroots union of the region; two in
    # three closed, some late (up to 44 days after 受理), with each rating in turn.
    received = day(variant)
    source: dict[str, Any] = (
        {"union": factories.build(UnionOrganisation, where)}
        if variant % 3 == 2
        else {"worker": worker(where, variant)}
    )
    closed = variant % 3 != 0
    closing = received + datetime.timedelta(days=(7 * variant) % 45)
    return factories.build(
        Suggestion,
        where,
        **source,
        received_on=received,
        accepted_on=received,
        status=SuggestionStatus.CLOSED if closed else SuggestionStatus.ACCEPTED,
        assigned_to="企业工会" if closed else "",
        assigned_on=received if closed else None,
        answer="已答复" if closed else "",
        answered_on=received if closed else None,
        closed_on=closing if closed else None,
        satisfaction=pick(Satisfaction, variant) if closed else "",
    )


# One record of each source table that counts in Y, varied by `variant` (levels, kinds, forms).
def care_visit(where: Region, variant: int) -> CareVisit:
    """A visit answering an occasion of the same worker, 0 to 12 days after it (some within the
    7 days, some later), with aid on some."""
    person = worker(where, variant)
    occasion = factories.build(
        CareOccasion,
        where,
        worker=person,
        kind=pick(CareOccasionKind, variant),
        happened_on=day(variant, Y - 1 if variant % 5 == 0 else Y),
    )
    return factories.build(
        CareVisit,
        where,
        worker=person,
        kind=occasion.kind,
        occasion=occasion,
        visited_on=occasion.happened_on + datetime.timedelta(days=3 * (variant % 5)),
        aid=Decimal(200 * (variant % 3)),
    )


def counselling_tally(where: Region, v: int) -> CounsellingAssessment:
    """One tally per region, month and scale: a variant drawn twice adds to its month's tally."""
    tally, _created = CounsellingAssessment.objects.get_or_create(
        region=where,
        year=Y - v % 2,
        month=1 + v % 12,
        scale=pick(AssessmentScale, v),
        defaults={"taken": 0, "referred": 0},
    )
    tally.taken += 10 * v + 1
    tally.referred += v % 2
    tally.save()
    return tally


BUILDERS: dict[str, Callable[[Region, int], Any]] = {
    "workers": worker,
    "enterprises": _enterprise,
    "certificates": lambda where, v: factories.build(
        SkillCertificate,
        where,
        worker=worker(where, v),
        level=pick(SkillLevel, v),
        certified_on=day(v, Y - v % 3),
    ),
    "honours": lambda where, v: factories.build(
        Honour, where, worker=worker(where, v), title=title(v), year=Y - v % 4
    ),
    "mentorships": lambda where, v: factories.build(
        Mentorship, where, master=worker(where, v), apprentice=worker(where, v), started_on=day(v)
    ),
    "pilot_units": _pilot,
    "coordination_groups": _coordination_group,
    "studios": lambda where, v: factories.build(
        InnovationStudio,
        where,
        level=pick((Level.NATIONAL, Level.PROVINCIAL, Level.CITY, Level.COUNTY), v),
        named_year=Y - v % 3,
        revoked_year=None,
        member_count=v,
    ),
    "achievements": lambda where, v: factories.build(
        Achievement,
        where,
        year=Y,
        kind=pick(AchievementKind, v),
        economic_benefit=Decimal(v * 1234) / 100,
    ),
    "alliances": _alliance,
    "alliance_members": _alliance_member,
    "alliance_activities": lambda where, v: factories.build(
        AllianceActivity,
        where,
        alliance=_alliance(where, v),
        kind=pick(AllianceActivityKind, v),
        held_on=day(v, Y - v % 2),
    ),
    "wage_agreements": _wage_agreement,
    "service_visits": lambda where, v: factories.build(
        ServiceVisit,
        where,
        date=day(v),
        craftsmen_count=v,
        enterprises_served=v + 1,
        problems_collected=v,
        problems_solved=v // 2,
        workers_trained=3 * v,
        economic_benefit=Decimal(v * 25_000),
    ),
    "training_sessions": _session,
    "academies": _academy,
    "instructors": _instructor,
    "competitions": lambda where, v: factories.build(
        Competition, where, held_on=day(v), participant_count=5 * v
    ),
    "education_subsidies": lambda where, v: factories.build(
        EducationSubsidy, where, worker=worker(where, v), year=Y, amount=Decimal(1000 + v)
    ),
    "stations": lambda where, v: factories.build(
        ServiceStation,
        where,
        opened_on=day(v, Y - v % 2),
        status=StationStatus.IN_SERVICE,
        open_24h=v % 2 == 1,
        upgraded_year=Y if v % 3 == 0 else None,
    ),
    "hardship_cases": _case,
    "assistance_grants": lambda where, v: factories.build(
        AssistanceGrant,
        where,
        case=_case(where, v),
        amount=Decimal(300 * (v + 1)),
        granted_on=day(v),
    ),
    "recuperation_trips": lambda where, v: factories.build(
        RecuperationTrip, where, start_date=day(v), declared_headcount=4 + v
    ),
    "dispatches": lambda where, v: factories.build(
        Dispatch, where, received_on=day(v), due_on=day(v) + datetime.timedelta(days=15)
    ),
    "suggestions": _suggestion,
    "craftsman_benefits": lambda where, v: factories.build(
        BenefitTaken, where, worker=worker(where, v), kind=pick(BenefitKind, v), taken_on=day(v)
    ),
    "care_occasions": lambda where, v: factories.build(
        CareOccasion,
        where,
        worker=worker(where, v),
        kind=pick(CareOccasionKind, v),
        happened_on=day(v),
    ),
    "care_visits": lambda where, v: care_visit(where, v),
    "job_fairs": lambda where, v: factories.build(
        JobFair, where, held_on=day(v, Y - v % 2), seekers_count=50 * v
    ),
    "job_fair_enterprises": lambda where, v: factories.build(
        JobFairEnterprise,
        where,
        fair=factories.build(JobFair, where, held_on=day(v, Y - v % 2)),
        positions_count=7 * v,
        hires_count=v,
    ),
    "worker_libraries": lambda where, v: factories.build(
        WorkerLibrary,
        where,
        level=pick(("national", "provincial", "city", ""), v),
        opened_on=day(v, Y + 1 - v % 3),
    ),
    "counselling_assessments": lambda where, v: counselling_tally(where, v),
    "counselling_bookings": lambda where, v: factories.build(
        CounsellingBooking, where, booked_for=day(v, Y - v % 2), status=pick(BookingStatus, v)
    ),
    "counselling_lectures": lambda where, v: factories.build(
        CounsellingLecture, where, held_on=day(v, Y - v % 2), audience=10 * v + 1
    ),
}

ADDITIVE = [indicator.key for indicator in INDICATORS if indicator.additive]
SHARES = [indicator for indicator in INDICATORS if indicator.ratio is not None]

records = st.lists(
    st.tuples(
        st.sampled_from(sorted(BUILDERS)),
        st.sampled_from(PLACES),
        st.integers(min_value=0, max_value=11),
    ),
    min_size=1,
    max_size=20,
)


def test_every_source_table_has_a_builder_and_every_indicator_is_additive_or_a_share():
    assert set(BUILDERS) == set(SOURCES)
    for indicator in INDICATORS:
        assert indicator.additive != (indicator.ratio is not None), indicator.key


def share(values: dict[str, Any], key: str) -> Decimal:
    numerator, denominator = (Decimal(values[part]) for part in BY_KEY[key].ratio or ())
    if not denominator:
        return Decimal("0.0")
    return (numerator * 100 / denominator).quantize(Decimal("0.1"), ROUND_HALF_UP)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(generated=records)
def test_sub_regions_and_own_level_add_up_to_the_region_at_every_level(generated, db):
    with transaction.atomic():
        factories.town("330381101")
        factories.town("330381001")
        for source, code, variant in generated:
            BUILDERS[source](Region.objects.get(code=code), variant)

        for code in LEVELS:
            region = Region.objects.get(code=code)
            data = dashboard.build(region, Y)
            whole = data["indicators"]
            # The region counted on its own, not from its children: the rows must add up to it.
            assert whole == selectors.indicators_for(region, Y), code
            rows = data["children"]
            if region.children.exists():
                assert rows[-1]["code"] == code and rows[-1]["name"] == "本级"
                assert [row["code"] for row in rows[:-1]] == list(
                    region.children.order_by("code").values_list("code", flat=True)
                )
            else:
                assert rows == []  # a town: nothing below it, no 本级 row either
                continue
            for key in ADDITIVE:
                assert sum(row["indicators"][key] for row in rows) == whole[key], (code, key)
            for indicator in SHARES:
                # Each row's share from its own parts; the region's from the summed parts.
                for row in rows:
                    assert row["indicators"][indicator.key] == share(
                        row["indicators"], indicator.key
                    )
                assert whole[indicator.key] == share(whole, indicator.key), (code, indicator.key)
        transaction.set_rollback(True)


def test_a_share_of_the_region_is_not_the_sum_of_its_childrens_shares():
    ruian = Region.objects.get(code="330381")
    town = factories.town("330381101")
    for level, where in ((SkillLevel.SENIOR, ruian), (SkillLevel.JUNIOR, town)):
        factories.build(
            SkillCertificate, where, worker=worker(where, 1), level=level, certified_on=day(1)
        )
    rows = dashboard.build(ruian, Y)["children"]
    assert [row["indicators"]["high_skilled_share"] for row in rows] == [
        Decimal("0.0"),
        Decimal("100.0"),
    ]
    assert dashboard.build(ruian, Y)["indicators"]["high_skilled_share"] == Decimal("50.0")
