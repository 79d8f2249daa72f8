"""The dashboard numbers against docs/indicators.md: each test builds a few records by hand and states
the number an official would count from the 口径, edge cases included."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from base.models import Level, Region
from dashboards import selectors
from dashboards.catalogue import BREAKDOWNS, BY_KEY, INDICATORS, SOURCES
from programs.models import (
    Achievement,
    AchievementKind,
    InnovationStudio,
    PilotStatus,
    PilotUnit,
    ServiceVisit,
    Target,
    UnitType,
)
from tests import clock, factories
from training.models import (
    Competition,
    CompetitionResult,
    EducationSubsidy,
    Enrolment,
    TrainingSession,
)
from welfare.models import (
    AssistanceGrant,
    CaseStatus,
    Dispatch,
    HardshipCase,
    RecuperationTrip,
    ServiceStation,
    StationStatus,
)
from workforce.models import (
    EmploymentForm,
    Honour,
    HonourTitle,
    Mentorship,
    SkillCertificate,
    SkillLevel,
    Worker,
)

pytestmark = pytest.mark.django_db

Y = 2024
JAN_1 = datetime.date(Y, 1, 1)
DEC_31 = datetime.date(Y, 12, 31)
NEXT_JAN_1 = datetime.date(Y + 1, 1, 1)
LAST_DEC_31 = datetime.date(Y - 1, 12, 31)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


@pytest.fixture
def ruian():
    return region("330381")  # 瑞安市


@pytest.fixture
def yueqing():
    return region("330382")  # 乐清市, another county of 温州市


@pytest.fixture
def wenzhou():
    return region("330300")


@pytest.fixture
def province():
    return region("330000")


def worker(where: Region, **overrides) -> Worker:
    return factories.build(Worker, where, **overrides)


def title(level: Level) -> HonourTitle:
    return HonourTitle.objects.filter(level=level).order_by("name")[0]


def certificate(person: Worker, level: SkillLevel, on: datetime.date) -> SkillCertificate:
    return factories.build(
        SkillCertificate, person.region, worker=person, level=level, certified_on=on
    )


def honour(person: Worker, level: Level, year: int) -> Honour:
    return factories.build(Honour, person.region, worker=person, title=title(level), year=year)


def values(where: Region, year: int = Y) -> dict:
    return selectors.indicators_for(where, year)


# --- the catalogue ----------------------------------------------------------------------------


def test_every_indicator_has_a_definition_kind_and_query():
    assert len(INDICATORS) == 111
    for indicator in INDICATORS:
        assert str(indicator.definition)
        assert indicator.timing in ("point", "period")
        assert indicator.kind in ("count", "money", "percent")
        if indicator.ratio is not None:
            assert indicator.kind == "percent"
            assert not indicator.additive
            assert all(part in BY_KEY for part in indicator.ratio)
        else:
            assert indicator.source in SOURCES
            assert indicator.measure is not None
            assert indicator.additive


def test_breakdowns_name_catalogue_keys():
    for whole, parts in BREAKDOWNS.items():
        assert whole in BY_KEY
        assert all(part in BY_KEY for part in parts)


def test_values_have_the_type_of_their_kind(ruian):
    factories.build(Achievement, ruian, year=Y, economic_benefit=Decimal("10.5"))
    result = values(ruian)
    assert list(result) == [indicator.key for indicator in INDICATORS]
    for indicator in INDICATORS:
        value = result[indicator.key]
        if indicator.kind == "count":
            assert type(value) is int, indicator.key
        else:
            assert isinstance(value, Decimal), indicator.key
            places = 2 if indicator.kind == "money" else 1
            assert value.as_tuple().exponent == -places, indicator.key
    assert result["achievement_benefit"] == Decimal("10.50")


def test_a_region_without_records_is_all_zeros(ruian):
    result = values(ruian)
    assert all(value == 0 for value in result.values())
    assert result["high_skilled_share"] == Decimal("0.0")


# --- workforce --------------------------------------------------------------------------------


def test_workers_union_members_and_new_form_workers_are_counted_in_the_subtree(ruian, yueqing):
    town = factories.town("330381101")
    worker(ruian, union_member=True)
    worker(town, union_member=True, employment_form=EmploymentForm.FOOD_DELIVERY)
    worker(town, employment_form=EmploymentForm.COURIER)
    worker(yueqing, union_member=True, employment_form=EmploymentForm.COURIER)

    result = values(ruian)
    assert (result["workers"], result["union_members"], result["new_form_workers"]) == (3, 2, 2)
    assert values(town)["workers"] == 2
    assert values(region("330300"))["workers"] == 4


def test_a_skilled_worker_with_several_certificates_is_counted_once(ruian):
    twice = worker(ruian)
    certificate(twice, SkillLevel.JUNIOR, datetime.date(Y - 3, 5, 1))
    certificate(twice, SkillLevel.INTERMEDIATE, datetime.date(Y - 1, 5, 1))
    apprentice_only = worker(ruian)
    certificate(apprentice_only, SkillLevel.APPRENTICE, datetime.date(Y - 1, 5, 1))

    result = values(ruian)
    assert result["skilled_workers"] == 1  # an apprentice certificate is below 初级工
    assert result["high_skilled_workers"] == 0


def test_high_skilled_workers_start_at_senior_worker_and_their_share_has_one_decimal(ruian):
    for level in (SkillLevel.SENIOR, SkillLevel.CHIEF_TECHNICIAN):
        certificate(worker(ruian), level, datetime.date(Y - 1, 1, 1))
    for level in (SkillLevel.JUNIOR, SkillLevel.INTERMEDIATE, SkillLevel.INTERMEDIATE, 2, 1):
        certificate(worker(ruian), level, datetime.date(Y - 1, 1, 1))
    # A worker who rose from junior to technician is one skilled and one highly skilled worker.
    riser = worker(ruian)
    certificate(riser, SkillLevel.JUNIOR, datetime.date(Y - 2, 1, 1))
    certificate(riser, SkillLevel.TECHNICIAN, datetime.date(Y - 1, 1, 1))

    result = values(ruian)
    assert result["skilled_workers"] == 8
    assert result["high_skilled_workers"] == 3
    assert result["high_skilled_share"] == Decimal("37.5")  # 3 / 8


def test_a_certificate_counts_from_its_certification_day_to_31_december(ruian):
    on_new_years_eve = worker(ruian)
    certificate(on_new_years_eve, SkillLevel.SENIOR, DEC_31)
    next_year = worker(ruian)
    certificate(next_year, SkillLevel.SENIOR, NEXT_JAN_1)
    certificate(worker(ruian), SkillLevel.JUNIOR, LAST_DEC_31)
    certificate(worker(ruian), SkillLevel.APPRENTICE, JAN_1)

    result = values(ruian)
    assert result["skilled_workers"] == 2
    assert result["high_skilled_workers"] == 1
    assert result["high_skilled_share"] == Decimal("50.0")
    # Issued in the year: every level, 1 January to 31 December.
    assert result["certificates_issued"] == 2
    assert values(ruian, Y + 1)["skilled_workers"] == 3


def test_a_share_rounds_half_up_to_one_decimal(ruian):
    certificate(worker(ruian), SkillLevel.SENIOR, JAN_1)
    for _ in range(2):
        certificate(worker(ruian), SkillLevel.JUNIOR, JAN_1)
    assert values(ruian)["high_skilled_share"] == Decimal("33.3")  # 1 / 3


def test_a_craftsman_is_counted_once_at_the_highest_level_awarded_by_the_year(ruian):
    rising = worker(ruian)
    honour(rising, Level.ENTERPRISE, Y - 4)
    honour(rising, Level.CITY, Y - 2)
    honour(rising, Level.NATIONAL, Y)
    later_honour = worker(ruian)
    honour(later_honour, Level.COUNTY, Y - 1)
    honour(later_honour, Level.PROVINCIAL, Y + 1)  # not yet in Y
    town_only = worker(ruian)
    honour(town_only, Level.TOWN, Y - 5)
    honour(town_only, Level.TOWN, Y - 4)
    honour(worker(ruian), Level.NATIONAL, Y + 1)  # not a craftsman in Y at all

    result = values(ruian)
    assert result["craftsmen"] == 3
    assert {key: result[key] for key in BREAKDOWNS["craftsmen"]} == {
        "craftsmen_national": 1,
        "craftsmen_provincial": 0,
        "craftsmen_city": 0,
        "craftsmen_county": 1,
        "craftsmen_town": 1,
        "craftsmen_enterprise": 0,
    }
    earlier = values(ruian, Y - 2)
    assert earlier["craftsmen"] == 2
    assert (earlier["craftsmen_city"], earlier["craftsmen_town"]) == (1, 1)


def test_the_six_craftsman_levels_add_up_to_all_craftsmen(ruian):
    for level in Level:
        person = worker(ruian)
        honour(person, level, Y)
        if level > Level.ENTERPRISE:
            honour(person, Level(level - 1), Y - 1)
    result = values(ruian)
    assert result["craftsmen"] == 6
    assert sum(result[key] for key in BREAKDOWNS["craftsmen"]) == 6
    assert all(result[key] == 1 for key in BREAKDOWNS["craftsmen"])


def test_a_new_mentorship_belongs_to_its_apprentices_region_and_start_year(ruian, yueqing):
    master = worker(yueqing)
    for started in (JAN_1, DEC_31, NEXT_JAN_1, LAST_DEC_31):
        factories.build(
            Mentorship, ruian, master=master, apprentice=worker(ruian), started_on=started
        )
    factories.build(
        Mentorship, ruian, master=worker(ruian), apprentice=worker(yueqing), started_on=JAN_1
    )

    assert values(ruian)["mentorships_new"] == 2
    # 乐清's master of four 瑞安 apprentices does not count there; its own apprentice does.
    assert values(yueqing)["mentorships_new"] == 1


# --- programmes -------------------------------------------------------------------------------


def pilot(where: Region, unit_type: UnitType, status=PilotStatus.NAMED, batch_year=Y, **extra):
    if unit_type == UnitType.TEAM:
        extra.setdefault("team_name", "一班")
    return factories.build(
        PilotUnit, where, unit_type=unit_type, status=status, batch_year=batch_year, **extra
    )


def test_pilot_units_are_named_or_accepted_by_the_year_and_their_types_add_up(ruian):
    pilot(ruian, UnitType.COUNTY, PilotStatus.ACCEPTED, Y - 2)
    pilot(ruian, UnitType.TOWN)
    pilot(ruian, UnitType.ENTERPRISE)
    pilot(ruian, UnitType.ENTERPRISE, PilotStatus.ACCEPTED)
    pilot(ruian, UnitType.TEAM)
    pilot(ruian, UnitType.ENTERPRISE, PilotStatus.DECLARED)
    pilot(ruian, UnitType.TEAM, PilotStatus.REVOKED)
    pilot(ruian, UnitType.TOWN, batch_year=Y + 1)

    result = values(ruian)
    parts = {key: result[key] for key in BREAKDOWNS["pilot_units"]}
    assert parts == {
        "pilot_counties": 1,
        "pilot_towns": 1,
        "pilot_enterprises": 2,
        "pilot_teams": 1,
    }
    assert result["pilot_units"] == sum(parts.values()) == 5
    assert values(ruian, Y - 1)["pilot_units"] == 1


def studio(where: Region, level: Level, named: int, revoked: int | None = None, members=0):
    return factories.build(
        InnovationStudio,
        where,
        level=level,
        named_year=named,
        revoked_year=revoked,
        member_count=members,
    )


def test_revoked_studio_is_not_counted_in_or_after_its_revocation_year(ruian):
    studio(ruian, Level.NATIONAL, Y - 3, revoked=Y, members=10)
    studio(ruian, Level.CITY, Y - 3, revoked=Y + 1, members=7)

    assert values(ruian, Y - 1)["studios"] == 2
    this_year = values(ruian)
    assert (this_year["studios"], this_year["studios_national"], this_year["studios_city"]) == (
        1,
        0,
        1,
    )
    assert this_year["studio_members"] == 7
    assert values(ruian, Y + 1)["studios"] == 0


def test_studios_named_after_the_year_are_not_counted_and_levels_add_up(ruian):
    studio(ruian, Level.NATIONAL, Y, members=12)
    studio(ruian, Level.PROVINCIAL, Y - 1, members=5)
    studio(ruian, Level.COUNTY, Y - 1, members=3)
    studio(ruian, Level.COUNTY, Y - 2)
    studio(ruian, Level.CITY, Y + 1, members=100)

    result = values(ruian)
    parts = {key: result[key] for key in BREAKDOWNS["studios"]}
    assert parts == {
        "studios_national": 1,
        "studios_provincial": 1,
        "studios_city": 0,
        "studios_county": 2,
    }
    assert result["studios"] == sum(parts.values()) == 4
    assert result["studio_members"] == 20


def test_achievements_of_the_year_by_kind_and_their_benefit(ruian):
    kinds = [AchievementKind.PATENT, AchievementKind.PATENT, AchievementKind.OPERATION_METHOD]
    for kind, benefit in zip(kinds, ("1000.10", None, "250.00"), strict=True):
        factories.build(
            Achievement,
            ruian,
            year=Y,
            kind=kind,
            economic_benefit=Decimal(benefit) if benefit else None,
        )
    factories.build(Achievement, ruian, year=Y, kind=AchievementKind.SUGGESTION, economic_benefit=1)
    factories.build(
        Achievement, ruian, year=Y - 1, kind=AchievementKind.PATENT, economic_benefit=99
    )

    result = values(ruian)
    assert (result["achievements"], result["patents"], result["operation_methods"]) == (4, 2, 1)
    assert result["achievement_benefit"] == Decimal("1251.10")


def test_service_craftsmen_are_the_linked_workers_else_the_declared_count(ruian, yueqing):
    linked = factories.build(
        ServiceVisit,
        ruian,
        date=DEC_31,
        craftsmen_count=9,  # ignored: two craftsmen are linked by name
        enterprises_served=3,
        problems_collected=5,
        problems_solved=2,
        workers_trained=40,
        economic_benefit=Decimal("1000.00"),
    )
    linked.craftsmen.add(worker(ruian), worker(yueqing))
    factories.build(
        ServiceVisit,
        ruian,
        date=JAN_1,
        craftsmen_count=4,
        enterprises_served=1,
        problems_collected=1,
        problems_solved=1,
        workers_trained=10,
    )
    factories.build(ServiceVisit, ruian, date=NEXT_JAN_1, craftsmen_count=50, enterprises_served=50)

    result = values(ruian)
    assert result["service_visits"] == 2
    assert result["service_craftsmen"] == 2 + 4
    assert (result["service_enterprises"], result["service_problems"]) == (4, 6)
    assert (result["service_problems_solved"], result["service_workers_trained"]) == (3, 50)
    assert result["service_benefit"] == Decimal("1000.00")


# --- training ---------------------------------------------------------------------------------


def session(where: Region, start: datetime.date, declared: int | None = None) -> TrainingSession:
    return factories.build(TrainingSession, where, start_date=start, declared_headcount=declared)


def test_training_participants_are_enrolments_where_any_else_the_declared_headcount(ruian, yueqing):
    rostered = session(ruian, JAN_1, declared=100)  # the roster wins over the declared 100
    for certified in (True, True, False):
        factories.build(
            Enrolment, ruian, session=rostered, worker=worker(ruian), certified=certified
        )
    # A session belongs to its organiser region even when its trainees come from elsewhere.
    factories.build(Enrolment, ruian, session=rostered, worker=worker(yueqing), certified=True)
    session(ruian, DEC_31, declared=30)
    session(ruian, DEC_31)  # neither roster nor headcount: 0
    elsewhere = session(yueqing, JAN_1)
    factories.build(Enrolment, ruian, session=elsewhere, worker=worker(ruian), certified=True)
    session(ruian, NEXT_JAN_1, declared=500)

    result = values(ruian)
    assert result["training_sessions"] == 3
    assert result["training_participants"] == 4 + 30
    assert result["training_certified"] == 3
    assert values(yueqing)["training_participants"] == 1


def test_competition_participants_are_the_declared_count_else_the_number_of_results(ruian):
    declared = factories.build(Competition, ruian, held_on=JAN_1, participant_count=120)
    factories.build(CompetitionResult, ruian, competition=declared, worker=worker(ruian))
    results_only = factories.build(Competition, ruian, held_on=DEC_31, participant_count=None)
    for _ in range(3):
        factories.build(CompetitionResult, ruian, competition=results_only, worker=worker(ruian))
    factories.build(Competition, ruian, held_on=LAST_DEC_31, participant_count=1000)

    result = values(ruian)
    assert result["competitions"] == 2
    assert result["competition_participants"] == 123


def test_education_subsidies_belong_to_the_workers_region_and_year(ruian, yueqing):
    for amount in ("3000.00", "1500.50"):
        factories.build(EducationSubsidy, ruian, worker=worker(ruian), year=Y, amount=amount)
    factories.build(EducationSubsidy, ruian, worker=worker(ruian), year=Y - 1, amount=9)
    factories.build(EducationSubsidy, ruian, worker=worker(yueqing), year=Y, amount=9)

    result = values(ruian)
    assert result["education_subsidies"] == 2
    assert result["education_subsidy_amount"] == Decimal("4500.50")


# --- welfare ----------------------------------------------------------------------------------


def station(where: Region, opened, status=StationStatus.IN_SERVICE, **extra) -> ServiceStation:
    return factories.build(ServiceStation, where, opened_on=opened, status=status, **extra)


def test_stations_in_service_opened_by_31_december_and_those_upgraded_whatever_their_status(
    ruian,
):
    station(ruian, DEC_31, open_24h=True)
    station(ruian, LAST_DEC_31, upgraded_year=Y)
    station(ruian, NEXT_JAN_1, open_24h=True)
    station(ruian, JAN_1, StationStatus.CLOSED, open_24h=True, upgraded_year=Y)
    station(ruian, JAN_1, upgraded_year=Y - 1)

    result = values(ruian)
    assert (result["stations"], result["stations_24h"], result["stations_upgraded"]) == (3, 1, 2)


def case(where: Region, status, filed=None, closed=None) -> HardshipCase:
    return factories.build(
        HardshipCase, where, worker=worker(where), status=status, filed_on=filed, closed_on=closed
    )


def test_closed_or_rejected_hardship_cases_are_not_on_file(ruian):
    case(ruian, CaseStatus.FILED, filed=DEC_31)  # open, new
    case(ruian, CaseStatus.AIDED, filed=LAST_DEC_31)  # open
    case(ruian, CaseStatus.CLOSED, filed=JAN_1, closed=DEC_31)  # new, closed in Y
    case(ruian, CaseStatus.CLOSED, filed=datetime.date(Y - 2, 6, 1), closed=NEXT_JAN_1)  # open
    case(ruian, CaseStatus.CLOSED, filed=datetime.date(Y - 2, 6, 1), closed=LAST_DEC_31)
    case(ruian, CaseStatus.REJECTED, filed=datetime.date(Y, 3, 1))  # rejected: never on file
    case(ruian, CaseStatus.REPORTED)  # not filed yet
    case(ruian, CaseStatus.FILED, filed=NEXT_JAN_1)

    result = values(ruian)
    assert result["hardship_open"] == 3
    assert result["hardship_new"] == 3  # filed in Y, whatever became of them
    assert result["hardship_closed"] == 1
    assert values(ruian, Y - 1)["hardship_closed"] == 1


def test_assistance_recipients_are_distinct_cases_with_a_grant_in_the_year(ruian, yueqing):
    twice = case(ruian, CaseStatus.AIDED, filed=datetime.date(Y - 1, 3, 1))
    factories.build(AssistanceGrant, ruian, case=twice, kind="living", amount=500, granted_on=JAN_1)
    factories.build(
        AssistanceGrant, ruian, case=twice, kind="medical", amount="1200.25", granted_on=DEC_31
    )
    once = case(ruian, CaseStatus.AIDED, filed=datetime.date(Y - 1, 3, 1))
    factories.build(
        AssistanceGrant, ruian, case=once, amount=300, granted_on=datetime.date(Y, 6, 1)
    )
    factories.build(AssistanceGrant, ruian, case=once, amount=999, granted_on=LAST_DEC_31)
    other = case(yueqing, CaseStatus.AIDED, filed=datetime.date(Y - 1, 3, 1))
    factories.build(AssistanceGrant, yueqing, case=other, amount=777, granted_on=JAN_1)

    result = values(ruian)
    assert result["assistance_recipients"] == 2
    assert result["assistance_amount"] == Decimal("2000.25")


def dispatch(where: Region, received: datetime.date, due: datetime.date, **answer) -> Dispatch:
    return factories.build(Dispatch, where, received_on=received, due_on=due, **answer)


def test_dispatches_received_in_the_year_are_counted_in_their_assigned_region(ruian, yueqing):
    town = factories.town("330381101")
    dispatch(town, JAN_1, datetime.date(Y, 1, 16))
    dispatch(ruian, DEC_31, NEXT_JAN_1)
    dispatch(ruian, LAST_DEC_31, datetime.date(Y, 1, 15))  # last year's
    dispatch(yueqing, JAN_1, datetime.date(Y, 1, 16))  # another county's

    assert values(ruian)["dispatches_received"] == 2
    assert values(ruian, Y - 1)["dispatches_received"] == 1


def test_answered_dispatches_are_handled_whenever_the_answer_came(ruian):
    due = datetime.date(Y, 12, 20)
    dispatch(ruian, datetime.date(Y, 12, 5), due, status="confirmed", answered_on=NEXT_JAN_1)
    dispatch(ruian, datetime.date(Y, 6, 1), due, status="not_eligible", answered_on=datetime.date(Y, 6, 9), reason="收入超标")  # fmt: skip
    dispatch(ruian, datetime.date(Y, 6, 1), due)  # still waiting

    assert values(ruian)["dispatches_handled"] == 2


def test_dispatches_answered_late_or_still_unanswered_past_due_are_overdue(ruian, monkeypatch):
    # "Still unanswered past due" is counted against today: the clock stands still.
    today = clock.freeze(monkeypatch, clock.A_WORKING_DAY).date()
    due = datetime.date(Y, 3, 15)
    dispatch(
        ruian, datetime.date(Y, 3, 1), due, status="confirmed", answered_on=datetime.date(Y, 3, 16)
    )  # late
    dispatch(ruian, datetime.date(Y, 3, 2), due, status="confirmed", answered_on=due)  # on the day
    dispatch(ruian, datetime.date(Y, 3, 3), due)  # never answered, due long ago
    far = today + datetime.timedelta(days=30)
    dispatch(ruian, datetime.date(Y, 3, 4), far)  # unanswered, not yet due

    assert values(ruian)["dispatches_overdue"] == 2


def test_recuperation_participants_are_linked_workers_else_the_declared_headcount(ruian):
    linked = factories.build(RecuperationTrip, ruian, start_date=JAN_1, declared_headcount=40)
    linked.participants.add(worker(ruian), worker(ruian), worker(ruian))
    factories.build(RecuperationTrip, ruian, start_date=DEC_31, declared_headcount=25)
    factories.build(RecuperationTrip, ruian, start_date=DEC_31, title="no headcount")
    factories.build(RecuperationTrip, ruian, start_date=NEXT_JAN_1, declared_headcount=60)

    assert values(ruian)["recuperation_participants"] == 3 + 25


# --- children, trend, breakdowns, targets ----------------------------------------------------


def one_of_each(where: Region) -> None:
    """One record for every source table, all in `where` and counted in Y (and 3 workers:
    a craftsman, a master and a hardship case's worker)."""
    person = worker(where, union_member=True)
    certificate(person, SkillLevel.SENIOR, JAN_1)
    honour(person, Level.CITY, Y)
    factories.build(Mentorship, where, master=worker(where), apprentice=person, started_on=JAN_1)
    pilot(where, UnitType.ENTERPRISE)
    studio(where, Level.COUNTY, Y, members=4)
    factories.build(Achievement, where, year=Y, economic_benefit="10.00")
    factories.build(ServiceVisit, where, date=JAN_1, craftsmen_count=2, economic_benefit=5)
    session(where, JAN_1, declared=20)
    factories.build(Competition, where, held_on=JAN_1, participant_count=8)
    factories.build(EducationSubsidy, where, worker=person, year=Y, amount="100.00")
    station(where, JAN_1)
    aided = case(where, CaseStatus.AIDED, filed=JAN_1)
    factories.build(AssistanceGrant, where, case=aided, amount="50.00", granted_on=JAN_1)
    factories.build(RecuperationTrip, where, start_date=JAN_1, declared_headcount=6)


def additive_keys() -> list[str]:
    return [indicator.key for indicator in INDICATORS if indicator.additive]


def test_children_add_up_to_the_parent_minus_what_is_recorded_at_its_own_level(
    wenzhou, ruian, yueqing
):
    one_of_each(ruian)
    one_of_each(factories.town("330381101"))
    one_of_each(yueqing)
    one_of_each(wenzhou)  # kept at the city's own level: in the city's total, in no county
    one_of_each(region("330100"))  # another city

    parent = values(wenzhou)
    children = selectors.children_indicators(wenzhou, Y)
    own_level = values(region("330100"))  # what one_of_each adds, measured in a clean city
    assert set(children) == set(wenzhou.children.values_list("code", flat=True))
    for key in additive_keys():
        assert sum(child[key] for child in children.values()) == parent[key] - own_level[key], key
    assert children["330381"]["workers"] == 6  # 瑞安市 and its town: 3 workers each
    assert children["330382"]["workers"] == 3
    assert children["330381"]["high_skilled_share"] == Decimal("100.0")


def test_children_without_records_get_zeros(ruian):
    anyang = factories.town("330381001")
    tangxia = factories.town("330381101")
    one_of_each(tangxia)
    children = selectors.children_indicators(ruian, Y)
    assert list(children) == [anyang.code, tangxia.code]
    assert all(value == 0 for value in children[anyang.code].values())
    assert list(children[anyang.code]) == [indicator.key for indicator in INDICATORS]
    assert children[tangxia.code]["craftsmen_city"] == 1
    assert children[tangxia.code]["recuperation_participants"] == 6


def test_a_town_has_no_children(ruian):
    assert selectors.children_indicators(factories.town("330381101"), Y) == {}


def test_the_provinces_children_are_its_cities(province, ruian):
    one_of_each(ruian)
    children = selectors.children_indicators(province, Y)
    assert len(children) == 11
    assert children["330300"]["workers"] == 3
    assert children["330100"]["workers"] == 0


def test_region_and_children_agree_with_the_two_separate_calls(wenzhou, ruian, yueqing):
    one_of_each(ruian)
    one_of_each(wenzhou)
    certificate(worker(yueqing), SkillLevel.JUNIOR, JAN_1)
    whole, children = selectors.region_and_children(wenzhou, Y)
    assert whole == values(wenzhou)
    assert children == selectors.children_indicators(wenzhou, Y)
    assert whole["high_skilled_share"] == Decimal("66.7")  # 2 of 3, recomputed from the sums


@pytest.mark.parametrize("code", ["330000", "330300", "330381"])
def test_a_dashboard_costs_the_same_few_queries_at_every_level(code, ruian):
    factories.town("330381101")
    one_of_each(ruian)
    where = region(code)
    with CaptureQueriesContext(connection) as own:
        selectors.indicators_for(where, Y)
    with CaptureQueriesContext(connection) as children:
        selectors.children_indicators(where, Y)
    with CaptureQueriesContext(connection) as targets:
        selectors.targets_for(where, Y)
        selectors.children_targets(where, Y)
    assert len(own) == len(SOURCES)  # one aggregate query per source table
    assert len(children) == len(SOURCES) + 1  # plus the list of children
    assert len(targets) == 2


def test_the_query_count_does_not_grow_with_children_or_rows(ruian, django_assert_max_num_queries):
    for number in range(1, 8):
        one_of_each(factories.town(f"330381{number:03d}"))
    with django_assert_max_num_queries(len(SOURCES) + 1):
        children = selectors.children_indicators(ruian, Y)
    assert len(children) == 7


def test_the_trend_has_each_years_value_in_order(ruian):
    studio(ruian, Level.CITY, Y - 2, revoked=Y)
    studio(ruian, Level.CITY, Y - 1)
    certificate(worker(ruian), SkillLevel.SENIOR, datetime.date(Y - 1, 7, 1))
    certificate(worker(ruian), SkillLevel.JUNIOR, datetime.date(Y, 7, 1))
    worker(ruian)
    years = [Y - 3, Y - 2, Y - 1, Y]
    keys = ["studios", "skilled_workers", "high_skilled_share", "workers", "certificates_issued"]

    series = selectors.trend(ruian, years, keys)
    assert series == {
        "studios": [0, 1, 2, 1],
        "skilled_workers": [0, 0, 1, 2],
        "high_skilled_share": [Decimal(0), Decimal(0), Decimal("100.0"), Decimal("50.0")],
        "workers": [3, 3, 3, 3],  # the register is a snapshot, the same every year
        "certificates_issued": [0, 0, 1, 1],
    }
    for index, year in enumerate(years):
        assert {key: series[key][index] for key in keys} == {
            key: values(ruian, year)[key] for key in keys
        }


def test_the_trend_needs_one_query_per_source_table_whatever_the_years(ruian):
    with CaptureQueriesContext(connection) as queries:
        selectors.trend(ruian, list(range(Y - 4, Y + 1)), ["studios", "workers", "stations"])
    assert len(queries) == 3


def test_breakdowns_split_craftsmen_studios_and_pilot_units_into_their_parts(ruian):
    one_of_each(ruian)
    studio(ruian, Level.NATIONAL, Y - 1)
    result = selectors.breakdowns(ruian, Y)
    assert list(result) == [
        "craftsmen",
        "studios",
        "pilot_units",
        "alliances",
        "craftsman_benefits",
        "worker_libraries",
    ]
    assert result["craftsmen"]["craftsmen_city"] == 1
    assert result["studios"] == {
        "studios_national": 1,
        "studios_provincial": 0,
        "studios_city": 0,
        "studios_county": 1,
    }
    assert sum(result["pilot_units"].values()) == values(ruian)["pilot_units"] == 1


def test_targets_are_a_regions_own_and_each_childs_own(wenzhou, ruian, yueqing):
    Target.objects.create(region=wenzhou, indicator="pilot_teams", year=Y, value=300)
    Target.objects.create(region=wenzhou, indicator="pilot_teams", year=Y + 1, value=400)
    Target.objects.create(region=ruian, indicator="skilled_workers", year=Y, value=200000)
    Target.objects.create(region=ruian, indicator="pilot_teams", year=Y, value=50)
    town = factories.town("330381101")
    Target.objects.create(region=town, indicator="pilot_teams", year=Y, value=5)

    assert selectors.targets_for(wenzhou, Y) == {"pilot_teams": Decimal("300.00")}
    assert selectors.targets_for(ruian, Y) == {
        "skilled_workers": Decimal("200000.00"),
        "pilot_teams": Decimal("50.00"),
    }
    assert selectors.children_targets(wenzhou, Y) == {
        "330381": {"skilled_workers": Decimal("200000"), "pilot_teams": Decimal("50")}
    }
    assert selectors.children_targets(ruian, Y) == {town.code: {"pilot_teams": Decimal(5)}}
    assert selectors.children_targets(yueqing, Y) == {}


# --- the register at the end of the year, ranks ---------------------------------------------


def test_workers_are_counted_on_the_register_as_it_stood_on_31_december(ruian):
    worker(ruian, registered_on=DEC_31, union_member=True, union_joined_on=NEXT_JAN_1)
    worker(ruian, registered_on=NEXT_JAN_1)  # registered too late for Y
    worker(ruian, registered_on=LAST_DEC_31, left_on=DEC_31)  # left on the last day
    worker(ruian, registered_on=LAST_DEC_31, left_on=NEXT_JAN_1, union_member=True)
    worker(ruian, employment_form=EmploymentForm.COURIER)  # no dates: always on the register

    result = values(ruian)
    assert (result["workers"], result["union_members"], result["new_form_workers"]) == (3, 1, 1)
    assert selectors.trend(ruian, [Y - 1, Y, Y + 1], ["workers", "union_members"]) == {
        "workers": [3, 3, 3],  # Y-1: the two registered then and the undated one
        "union_members": [1, 1, 1],  # Y+1: the first joined, the fourth left
    }


def test_region_figures_carry_last_year_and_the_own_level_in_the_same_queries(ruian):
    town = factories.town("330381101")
    worker(town, registered_on=LAST_DEC_31)
    worker(town, registered_on=JAN_1)
    worker(ruian, registered_on=JAN_1)  # kept at the county itself: 本级
    with CaptureQueriesContext(connection) as queries:
        whole, previous, children, own = selectors.region_figures(ruian, Y)
    assert len(queries) == len(SOURCES) + 1  # both years and every child in one pass
    assert (whole["workers"], previous["workers"]) == (3, 1)
    assert children[town.code]["workers"] == 2 and own["workers"] == 1


def test_ranks_go_by_average_completion_and_share_equal_places():
    rows = [
        {"code": "a", "indicators": {"workers": 9, "studios": 1}, "targets": {"workers": 10}},
        {"code": "b", "indicators": {"workers": 5, "studios": 2}, "targets": {"workers": 5, "studios": 1}},
        {"code": "c", "indicators": {"workers": 18}, "targets": {"workers": 20}},
        {"code": "d", "indicators": {"workers": 3}, "targets": {}},
        {"code": "e", "indicators": {"workers": 1}, "targets": {}, "own_level": True},
    ]  # fmt: skip
    ranked = selectors.ranking(rows)
    assert [(row["completion"], row["rank"]) for row in ranked] == [
        (Decimal("90.0"), 2),
        (Decimal("150.0"), 1),  # (100 + 200) / 2
        (Decimal("90.0"), 2),
        (None, None),
        (None, None),
    ]
