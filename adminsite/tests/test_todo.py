"""The county to-do page: overdue dispatches (with a count per county), cases due for review and
open problems, each for the user's scope and role."""

import datetime

import pytest
from django.urls import reverse

from base.roles import Role
from programs.models import ServiceProblem, ServiceVisit
from tests import factories
from welfare.models import Dispatch, HardshipCase
from workforce.models import Worker

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.date(2020, 1, 1)


@pytest.fixture
def records(ruian_towns):
    """One of each to-do in 瑞安 (塘下镇) and one of each in 乐清."""
    made = {}
    for key, town in (("own", ruian_towns["tangxia"]), ("other", ruian_towns["yueqing_town"])):
        person = factories.build(Worker, town, name=f"{key}-困难职工")
        made[f"{key}_case"] = HardshipCase.objects.create(
            worker=person, level="deep", causes=["illness"], status="filed", filed_on=LONG_AGO
        )
        made[f"{key}_dispatch"] = factories.build(
            Dispatch, town, name=f"{key}-派单", received_on=LONG_AGO, due_on=LONG_AGO
        )
        visit = factories.build(ServiceVisit, town, date=LONG_AGO)
        made[f"{key}_problem"] = ServiceProblem.objects.create(
            visit=visit, description=f"{key}-难题", reported_on=LONG_AGO
        )
    return made


def test_a_county_welfare_officer_sees_the_three_lists_of_the_county_only(records, login):
    client = login(factories.staff("ruian_welfare", Role.WELFARE, "330381"))
    response = client.get(reverse("todo"))
    page = response.content.decode()
    assert response.status_code == 200
    for text in ("own-派单", "own-困难职工", "own-难题"):
        assert text in page
    for text in ("other-派单", "other-困难职工", "other-难题"):
        assert text not in page
    assert response.context["dispatches"]["by_county"] == [{"name": "瑞安市", "count": 1}]


def test_a_city_officer_sees_overdue_dispatches_per_county(records, login):
    client = login(factories.staff("wenzhou_welfare", Role.WELFARE, "330300"))
    by_county = client.get(reverse("todo")).context["dispatches"]["by_county"]
    assert by_county == [{"name": "瑞安市", "count": 1}, {"name": "乐清市", "count": 1}]


def test_a_clerk_sees_open_problems_but_no_hardship_data(records, login):
    client = login(factories.staff("ruian_clerk", Role.CLERK, "330381"))
    response = client.get(reverse("todo"))
    page = response.content.decode()
    assert "own-难题" in page
    assert "own-派单" not in page and "own-困难职工" not in page
    assert response.context["dispatches"] is None and response.context["reviews"] is None


def test_the_page_is_for_staff_only(client):
    response = client.get(reverse("todo"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_admin_index_links_the_to_do_page(login):
    client = login(factories.staff("ruian_welfare", Role.WELFARE, "330381"))
    assert reverse("todo") in client.get(reverse("admin:index")).content.decode()
