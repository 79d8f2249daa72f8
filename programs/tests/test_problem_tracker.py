"""The 助企行 problem tracker: problems move open → in progress → solved with a model worker or
craftsman as expert, and a visit's counts follow its tracked problems."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from base.models import Level
from base.roles import Role
from programs.models import ProblemStatus, ServiceProblem, ServiceVisit
from programs.selectors import open_problems
from programs.services import (
    service_problem_assign,
    service_problem_delete,
    service_problem_save,
    service_problem_transition,
)
from tests import clock, factories
from workforce.models import Enterprise, Honour, HonourKind, HonourTitle, Worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(ruian_towns):
    return factories.staff("ruian_clerk", Role.CLERK, "330381")


@pytest.fixture
def visit(ruian_towns):
    return factories.build(
        ServiceVisit,
        ruian_towns["tangxia"],
        title="劳模工匠助企行·塘下站",
        date=datetime.date(2025, 4, 10),
        problems_collected=9,
        problems_solved=4,
    )


def craftsman(region) -> Worker:
    person = factories.build(Worker, region, name="王工匠")
    title = HonourTitle.objects.create(
        name="瑞安工匠", level=Level.COUNTY, kind=HonourKind.CRAFTSMAN
    )
    Honour.objects.create(worker=person, title=title, year=2023)
    return person


def problem(visit, user, description, **more) -> ServiceProblem:
    return service_problem_save(
        problem=ServiceProblem(visit=visit, description=description, **more), user=user
    )


def test_tracked_problems_replace_the_counts_a_visit_declared(visit, clerk, ruian_towns):
    enterprise = factories.build(Enterprise, ruian_towns["tangxia"])
    first = problem(visit, clerk, "焊接变形", enterprise=enterprise)
    problem(visit, clerk, "数控编程")
    visit.refresh_from_db()
    assert (visit.problems_collected, visit.problems_solved) == (2, 0)
    assert first.reported_on == visit.date  # collected on the visit's day

    service_problem_assign(problem=first, expert=craftsman(ruian_towns["tangxia"]), user=clerk)
    service_problem_transition(problem=first, to_status=ProblemStatus.IN_PROGRESS, user=clerk)
    service_problem_transition(
        problem=first, to_status=ProblemStatus.SOLVED, user=clerk, on=datetime.date(2025, 5, 2)
    )
    visit.refresh_from_db()
    assert (visit.problems_collected, visit.problems_solved) == (2, 1)
    assert first.solved_on == datetime.date(2025, 5, 2)

    service_problem_delete(problem=first, user=clerk)
    visit.refresh_from_db()
    assert (visit.problems_collected, visit.problems_solved) == (1, 0)


def test_a_visit_without_tracked_problems_keeps_its_declared_counts(visit):
    visit.refresh_from_db()
    assert (visit.problems_collected, visit.problems_solved) == (9, 4)


def test_the_expert_must_be_a_model_worker_or_craftsman(visit, clerk, ruian_towns):
    item = problem(visit, clerk, "焊接变形")
    plain = factories.build(Worker, ruian_towns["tangxia"])
    with pytest.raises(ValidationError) as error:
        service_problem_assign(problem=item, expert=plain, user=clerk)
    assert "expert" in error.value.message_dict


def test_a_solved_problem_stays_solved(visit, clerk):
    item = problem(visit, clerk, "焊接变形")
    service_problem_transition(problem=item, to_status=ProblemStatus.SOLVED, user=clerk)
    with pytest.raises(ValidationError) as error:
        service_problem_transition(problem=item, to_status=ProblemStatus.OPEN, user=clerk)
    assert "status" in error.value.message_dict


@pytest.mark.parametrize(("role", "region"), [(Role.VIEWER, "330381"), (Role.CLERK, "330382")])
def test_tracking_is_refused_to_viewers_and_other_counties(visit, role, region):
    with pytest.raises(PermissionDenied):
        problem(visit, factories.staff("someone", role, region), "焊接变形")
    assert not ServiceProblem.objects.exists()


def test_open_problems_are_listed_oldest_first_in_scope(visit, clerk, ruian_towns):
    later = factories.build(ServiceVisit, ruian_towns["anyang"], date=datetime.date(2025, 6, 1))
    newer = problem(later, clerk, "设备调试")
    older = problem(visit, clerk, "焊接变形")
    solved = problem(visit, clerk, "工艺改进")
    service_problem_transition(problem=solved, to_status=ProblemStatus.SOLVED, user=clerk)
    elsewhere = factories.build(ServiceVisit, ruian_towns["yueqing_town"])
    ServiceProblem.objects.create(visit=elsewhere, description="乐清的问题")

    assert list(open_problems(user=clerk)) == [older, newer]


# --- through the admin -----------------------------------------------------------------------


def test_the_admin_tracks_a_problem_and_the_visit_follows(
    visit, clerk, ruian_towns, login, monkeypatch
):
    # Solving stamps today's date: the clock stands still so midnight cannot fall in between.
    today = clock.freeze(monkeypatch, clock.A_WORKING_DAY).date()
    client = login(clerk)
    expert = craftsman(ruian_towns["tangxia"])
    add = client.post(
        reverse("admin:programs_serviceproblem_add"),
        {"visit": visit.pk, "description": "焊接变形", "status": "open"},
    )
    assert add.status_code == 302
    item = ServiceProblem.objects.get()
    url = reverse("admin:programs_serviceproblem_change", args=[item.pk])
    data = {"visit": visit.pk, "description": "焊接变形", "expert": expert.pk,
            "reported_on": "2025-04-10"}  # fmt: skip
    assert client.post(url, {**data, "status": "in_progress"}).status_code == 302
    assert client.post(url, {**data, "status": "solved"}).status_code == 302
    refused = client.post(url, {**data, "status": "open"})
    assert refused.status_code == 200
    item.refresh_from_db()
    visit.refresh_from_db()
    assert (item.status, item.expert, item.solved_on) == (
        ProblemStatus.SOLVED,
        expert,
        today,
    )
    assert (visit.problems_collected, visit.problems_solved) == (1, 1)


def test_the_visit_page_recounts_after_its_problem_rows_change(visit, clerk, login):
    client = login(clerk)
    url = reverse("admin:programs_servicevisit_change", args=[visit.pk])
    data = {
        "title": visit.title, "date": "2025-04-10", "region": visit.region_id,
        "craftsmen_count": 3, "enterprises_served": 2, "problems_collected": 9,
        "problems_solved": 4, "workers_trained": 0,
        "problems-TOTAL_FORMS": "2", "problems-INITIAL_FORMS": "0",
        "problems-0-description": "焊接变形", "problems-0-status": "open",
        "problems-1-description": "数控编程", "problems-1-status": "solved",
        "problems-1-solved_on": "2025-04-10",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    visit.refresh_from_db()
    assert (visit.problems_collected, visit.problems_solved) == (2, 1)


# --- through a sheet: status changes are steps of the table -------------------------------------


def import_problems(user, rows):
    from sheets.services import import_job_create, import_job_execute
    from tests.sheetfiles import xlsx

    header = ["活动名称", "服务日期", "所属地区", "难题描述", "状态", "解决日期"]
    job = import_job_create(
        user=user, resource_name="service-problems", file_name="p.xlsx", data=xlsx([header, *rows])
    )
    job = import_job_execute(job=job, dry_run=False, user=user)
    return [(error["row"], error["column"]) for error in job.report["errors"]]


def test_a_sheet_solves_a_problem_only_with_its_date_and_never_reopens_a_solved_one(visit, clerk):
    tracked = problem(visit, clerk, "数控机床精度下降")
    row = [visit.title, visit.date.isoformat(), "塘下镇", "数控机床精度下降"]
    assert import_problems(clerk, [[*row, "已解决", None]]) == [(2, "解决日期")]
    assert import_problems(clerk, [[*row, "已解决", "2025-05-01"]]) == []
    tracked.refresh_from_db()
    assert (tracked.status, tracked.solved_on) == (ProblemStatus.SOLVED, datetime.date(2025, 5, 1))

    assert import_problems(clerk, [[*row, "待解决", None]]) == [(2, "状态")]
    tracked.refresh_from_db()
    assert tracked.status == ProblemStatus.SOLVED
