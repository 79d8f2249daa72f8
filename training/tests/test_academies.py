"""Academies (工匠学院) and their instructors (讲师): the rules every write path asks, and the five
dashboard numbers against docs/indicators.md, each worked out by hand from a small ledger."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from base.models import Region
from dashboards import selectors
from dashboards.catalogue import BY_KEY, SOURCES, Period
from tests import factories
from training.models import (
    Enrolment,
    Instructor,
    InstructorKind,
    ProviderKind,
    Teaching,
    TrainingProvider,
    TrainingSession,
)
from workforce.models import UnionOrganisation, Worker

pytestmark = pytest.mark.django_db

Y = 2024
JAN_1 = datetime.date(Y, 1, 1)
DEC_31 = datetime.date(Y, 12, 31)
NEXT_JAN_1 = datetime.date(Y + 1, 1, 1)
CRAFTSMAN, TRAINER = InstructorKind.CRAFTSMAN, InstructorKind.TRAINER


@pytest.fixture
def ruian() -> Region:
    return Region.objects.get(code="330381")  # 瑞安市


@pytest.fixture
def yueqing() -> Region:
    return Region.objects.get(code="330382")  # 乐清市, another county of 温州市


@pytest.fixture
def wenzhou() -> Region:
    return Region.objects.get(code="330300")


def provider(
    where: Region, kind: str, founded: datetime.date | None = None, **extra: object
) -> TrainingProvider:
    return factories.build(TrainingProvider, where, kind=kind, founded_on=founded, **extra)


def instructor(
    academy: TrainingProvider,
    kind: str,
    engaged: datetime.date,
    ended: datetime.date | None = None,
    person: Worker | None = None,
) -> Instructor:
    return factories.build(
        Instructor,
        academy.region,
        academy=academy,
        worker=person or factories.build(Worker, academy.region),
        kind=kind,
        engaged_on=engaged,
        ended_on=ended,
    )


def session(
    where: Region,
    start: datetime.date,
    teachers: list[Instructor],
    declared: int | None = None,
) -> TrainingSession:
    made = factories.build(TrainingSession, where, start_date=start, declared_headcount=declared)
    for teacher in teachers:
        Teaching.objects.create(session=made, instructor=teacher)
    return made


def values(where: Region, year: int = Y) -> dict:
    return selectors.indicators_for(where, year)


# --- the rules ----------------------------------------------------------------------------------


def test_only_an_academy_or_a_branch_engages_instructors(ruian):
    school = provider(ruian, ProviderKind.SCHOOL)
    engagement = Instructor(
        academy=school,
        worker=factories.build(Worker, ruian),
        kind=CRAFTSMAN,
        engaged_on=JAN_1,
    )
    with pytest.raises(ValidationError) as refused:
        engagement.full_clean()
    assert "academy" in refused.value.message_dict
    engagement.academy = provider(ruian, ProviderKind.BRANCH)
    engagement.full_clean()


def test_an_engagement_cannot_end_before_it_began(ruian):
    academy = provider(ruian, ProviderKind.ACADEMY)
    engagement = Instructor(
        academy=academy,
        worker=factories.build(Worker, ruian),
        kind=TRAINER,
        engaged_on=DEC_31,
        ended_on=JAN_1,
    )
    with pytest.raises(ValidationError) as refused:
        engagement.full_clean()
    assert "ended_on" in refused.value.message_dict


def test_a_worker_is_engaged_once_by_the_same_academy(ruian):
    academy = provider(ruian, ProviderKind.ACADEMY)
    first = instructor(academy, CRAFTSMAN, JAN_1)
    again = Instructor(academy=academy, worker=first.worker, kind=TRAINER, engaged_on=DEC_31)
    with pytest.raises(ValidationError) as refused:
        again.full_clean()
    assert refused.value.message_dict["__all__"] == ["该职工已是本学院的讲师。"]


def test_partner_schools_belong_to_academies_only(ruian):
    union = factories.build(UnionOrganisation, ruian)
    # A union founds its workers' school as it founds an academy.
    school = TrainingProvider(
        name="瑞安市职工学校", kind=ProviderKind.SCHOOL, region=ruian, founding_union=union
    )
    school.full_clean()
    school.partners = "瑞安市技师学院"
    with pytest.raises(ValidationError) as refused:
        school.full_clean()
    assert "partners" in refused.value.message_dict
    # The database says so too, for a write that skips the model's checks.
    with pytest.raises(IntegrityError), transaction.atomic():
        school.save()
    academy = TrainingProvider(
        name="瑞安市工匠学院",
        kind=ProviderKind.ACADEMY,
        region=ruian,
        founding_union=union,
        partners="瑞安市技师学院、温州职业技术学院",
    )
    academy.full_clean()


def test_a_teaching_counts_where_its_session_is_organised(ruian, yueqing):
    academy = provider(ruian, ProviderKind.ACADEMY)
    taught = session(yueqing, JAN_1, [instructor(academy, CRAFTSMAN, JAN_1)])
    assert Teaching.objects.get(session=taught).region_id == yueqing.code


def test_an_engagement_counts_in_the_academys_region_and_follows_it(ruian, yueqing):
    academy = provider(ruian, ProviderKind.ACADEMY)
    engagement = instructor(academy, TRAINER, JAN_1, person=factories.build(Worker, yueqing))
    assert engagement.region_id == ruian.code
    academy.region = yueqing
    academy.save()
    engagement.refresh_from_db()
    assert engagement.region_id == yueqing.code


# --- the indicators -----------------------------------------------------------------------------


def test_academies_are_those_founded_by_the_end_of_the_year_and_not_their_branches(
    ruian, yueqing, wenzhou
):
    provider(ruian, ProviderKind.ACADEMY, datetime.date(Y - 1, 5, 1))  # counts from Y-1
    provider(ruian, ProviderKind.ACADEMY, DEC_31)  # founded on the last day: counts in Y
    provider(ruian, ProviderKind.ACADEMY, NEXT_JAN_1)  # not yet
    provider(ruian, ProviderKind.ACADEMY)  # no founding date: counted every year
    provider(ruian, ProviderKind.BRANCH, datetime.date(2020, 1, 1))  # a branch: never
    provider(ruian, ProviderKind.SCHOOL, datetime.date(2020, 1, 1))  # not an academy
    provider(yueqing, ProviderKind.ACADEMY, datetime.date(2022, 3, 1))
    provider(wenzhou, ProviderKind.ACADEMY, datetime.date(2021, 9, 1))  # the city's own

    assert values(ruian)["academies"] == 3  # Y-1's, 31 December's, the undated
    assert values(ruian, Y - 1)["academies"] == 2  # Y-1's and the undated
    assert values(yueqing)["academies"] == 1
    assert values(wenzhou)["academies"] == 3 + 1 + 1


def test_instructors_are_those_engaged_on_31_december_in_the_academys_region(
    ruian, yueqing, wenzhou
):
    academy = provider(ruian, ProviderKind.ACADEMY)
    branch = provider(ruian, ProviderKind.BRANCH, parent=academy)
    instructor(academy, CRAFTSMAN, datetime.date(Y - 1, 3, 1))  # 1: engaged, craftsman
    instructor(academy, TRAINER, DEC_31)  # 2: engaged on the last day
    instructor(academy, CRAFTSMAN, datetime.date(2022, 1, 1), ended=DEC_31)  # ended on it: out
    instructor(academy, CRAFTSMAN, datetime.date(2022, 1, 1), ended=NEXT_JAN_1)  # 3: craftsman
    instructor(academy, TRAINER, datetime.date(Y + 1, 1, 2))  # not yet engaged
    instructor(branch, CRAFTSMAN, datetime.date(Y, 6, 1))  # 4: a branch's, craftsman
    # 5: a 乐清 worker engaged by 瑞安's academy counts in 瑞安.
    instructor(academy, TRAINER, JAN_1, person=factories.build(Worker, yueqing))

    result = values(ruian)
    assert (result["instructors"], result["craftsman_instructors"]) == (5, 3)
    assert (values(yueqing)["instructors"], values(yueqing)["craftsman_instructors"]) == (0, 0)
    # End of Y-1: the first, the one ended in Y and the one ended in Y+1, all craftsmen.
    before = values(ruian, Y - 1)
    assert (before["instructors"], before["craftsman_instructors"]) == (3, 3)
    assert values(wenzhou)["instructors"] == 5


def test_sessions_and_trainees_taught_by_craftsman_instructors(ruian, yueqing, wenzhou):
    academy = provider(ruian, ProviderKind.ACADEMY)
    master = instructor(academy, CRAFTSMAN, datetime.date(2022, 1, 1))
    other_master = instructor(academy, CRAFTSMAN, datetime.date(2022, 1, 1))
    trainer = instructor(academy, TRAINER, datetime.date(2022, 1, 1))
    retired = instructor(academy, CRAFTSMAN, datetime.date(2022, 1, 1), ended=DEC_31)

    # Two craftsmen teach it: one session, and its 2 enrolled trainees once (the roster wins
    # over the declared 100).
    both = session(ruian, JAN_1, [master, other_master], declared=100)
    for _ in range(2):
        factories.build(Enrolment, ruian, session=both, worker=factories.build(Worker, ruian))
    session(ruian, DEC_31, [trainer], declared=40)  # only an in-house trainer: not counted
    session(ruian, datetime.date(Y, 6, 1), [trainer, master], declared=30)  # counted: 30
    # Taught in July by a craftsman whose engagement ended later that year: counted, and a
    # session with neither roster nor headcount adds no trainees.
    session(ruian, datetime.date(Y, 7, 1), [retired])
    session(ruian, NEXT_JAN_1, [master], declared=500)  # next year
    factories.build(TrainingSession, ruian, start_date=JAN_1, declared_headcount=60)  # no one
    # 瑞安's craftsman teaches a 乐清 session: it counts where the session is organised.
    session(yueqing, datetime.date(Y, 3, 1), [master], declared=25)

    result = values(ruian)
    assert result["craftsman_taught_sessions"] == 3
    assert result["craftsman_taught_trainees"] == 2 + 30 + 0
    assert result["training_sessions"] == 5  # every session of Y, taught or not
    assert (
        values(yueqing)["craftsman_taught_sessions"],
        values(yueqing)["craftsman_taught_trainees"],
    ) == (1, 25)
    assert (
        values(wenzhou)["craftsman_taught_sessions"],
        values(wenzhou)["craftsman_taught_trainees"],
    ) == (4, 57)


def test_the_records_behind_the_taught_sessions_are_the_sessions_counted(ruian):
    academy = provider(ruian, ProviderKind.ACADEMY)
    master = instructor(academy, CRAFTSMAN, datetime.date(2022, 1, 1))
    trainer = instructor(academy, TRAINER, datetime.date(2022, 1, 1))
    taught = session(ruian, JAN_1, [master, trainer])
    session(ruian, JAN_1.replace(month=2), [trainer])
    indicator = BY_KEY["craftsman_taught_sessions"]
    assert indicator.source is not None and indicator.measure is not None
    rows = indicator.measure.rows(SOURCES[indicator.source], Period(Y))
    assert list(TrainingSession.objects.filter(rows)) == [taught]


# --- the cached dashboards ----------------------------------------------------------------------


@pytest.mark.usefixtures("local_cache")
def test_a_changed_instructor_or_teaching_recounts_the_towns_whose_sessions_they_teach(
    ruian, django_capture_on_commit_callbacks
):
    from dashboards import dashboard

    town = factories.town("330381102", "塘下镇")
    with django_capture_on_commit_callbacks(execute=True):
        academy = provider(ruian, ProviderKind.ACADEMY)
        teacher = instructor(academy, TRAINER, datetime.date(2022, 1, 1))
        session(town, datetime.date(Y, 5, 1), [teacher], declared=12)

    def taught() -> tuple[int, int]:
        figures = dashboard.build(town, Y)["indicators"]
        return figures["craftsman_taught_sessions"], figures["craftsman_taught_trainees"]

    assert taught() == (0, 0)  # cached for the town, whose own records did not change below
    with django_capture_on_commit_callbacks(execute=True):
        teacher.kind = CRAFTSMAN
        teacher.save()
    assert taught() == (1, 12)
    with django_capture_on_commit_callbacks(execute=True):
        Teaching.objects.get(instructor=teacher).delete()
    assert taught() == (0, 0)


def test_merging_two_records_engaged_by_the_same_academy_is_left_to_a_person(ruian):
    from base.roles import Role
    from workforce.services import worker_merge

    academy = provider(ruian, ProviderKind.ACADEMY)
    keep = factories.build(Worker, ruian, name="王建国")
    duplicate = factories.build(Worker, ruian, name="王建国")
    instructor(academy, CRAFTSMAN, JAN_1, person=keep)
    # The duplicate's engagement has a session taught: dropping it would lose the teaching.
    session(ruian, JAN_1, [instructor(academy, CRAFTSMAN, JAN_1, person=duplicate)])
    with pytest.raises(ValidationError):
        worker_merge(
            keep=keep, duplicate=duplicate, user=factories.staff("ra", Role.ADMIN, "330381")
        )
    assert Worker.objects.filter(pk=duplicate.pk).exists()
    assert Instructor.objects.filter(worker=duplicate).count() == 1
