"""光FU行 solar projects: application → joint survey → tripartite agreement → installed →
grid-connected, the documents checklist, yearly income, and the list by stage."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from base.roles import Role
from tests import factories
from welfare.models import SolarDocument, SolarIncome, SolarProject, SolarStage
from welfare.services import solar_income_record, solar_project_advance, solar_project_apply
from workforce.models import Worker

pytestmark = pytest.mark.django_db

ALL_DOCUMENTS = [choice.value for choice in SolarDocument]


@pytest.fixture
def town_officer(ruian_towns):
    return factories.staff("tangxia_welfare", Role.WELFARE, "330381101")


@pytest.fixture
def county_officer(ruian_towns):
    return factories.staff("ruian_welfare", Role.WELFARE, "330381")


@pytest.fixture
def household(ruian_towns):
    return factories.build(Worker, ruian_towns["tangxia"], name="俞阿根")


def apply(household, user, documents=()):
    return solar_project_apply(
        worker=household, applied_on=datetime.date(2024, 3, 1), documents=documents, user=user
    )


def test_a_project_walks_every_stage_and_then_records_income(
    household, town_officer, county_officer
):
    project = apply(household, town_officer, documents=ALL_DOCUMENTS)
    days = [datetime.date(2024, 3, 10), datetime.date(2024, 4, 1), datetime.date(2024, 5, 6)]
    days.append(datetime.date(2024, 5, 20))
    for day in days:
        solar_project_advance(project=project, user=county_officer, on=day)
    project.refresh_from_db()
    assert project.stage == SolarStage.CONNECTED
    assert (project.surveyed_on, project.connected_on) == (days[0], days[3])

    solar_income_record(project=project, year=2024, income=Decimal("1500"), user=county_officer)
    solar_income_record(project=project, year=2024, income=Decimal("1650"), user=county_officer)
    assert list(project.incomes.values_list("year", "income")) == [(2024, Decimal("1650.00"))]
    with pytest.raises(ValidationError):
        solar_project_advance(project=project, user=county_officer)


def test_the_agreement_needs_the_whole_documents_checklist(household, town_officer, county_officer):
    project = apply(household, town_officer, documents=[SolarDocument.HARDSHIP_PROOF])
    solar_project_advance(project=project, user=county_officer)
    with pytest.raises(ValidationError) as error:
        solar_project_advance(project=project, user=county_officer)
    assert "户口簿" in str(error.value) and "房屋权属证明" in str(error.value)
    project.refresh_from_db()
    assert project.stage == SolarStage.SURVEYED


def test_a_town_applies_but_does_not_survey_and_a_clerk_does_neither(
    household, town_officer, ruian_towns
):
    project = apply(household, town_officer)
    with pytest.raises(PermissionDenied):
        solar_project_advance(project=project, user=town_officer)
    clerk = factories.staff("clerk", Role.CLERK, "330381")
    with pytest.raises(PermissionDenied):
        apply(factories.build(Worker, ruian_towns["tangxia"]), clerk)


def test_income_is_refused_before_grid_connection(household, town_officer, county_officer):
    project = apply(household, town_officer)
    with pytest.raises(ValidationError):
        solar_income_record(project=project, year=2024, income=Decimal("100"), user=county_officer)
    assert not SolarIncome.objects.exists()


def test_a_stage_without_its_date_is_refused_by_the_model(household):
    project = SolarProject(
        worker=household, applied_on=datetime.date(2024, 3, 1), stage=SolarStage.INSTALLED
    )
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert {"surveyed_on", "agreed_on", "installed_on"} <= set(error.value.message_dict)


# --- through the admin -----------------------------------------------------------------------


def test_the_admin_applies_advances_by_action_and_lists_by_stage(
    household, town_officer, county_officer, login
):
    town = login(town_officer)
    response = town.post(
        reverse("admin:welfare_solarproject_add"),
        {
            "worker": household.pk, "applied_on": "2024-03-01", "documents": ALL_DOCUMENTS,
            "incomes-TOTAL_FORMS": "0", "incomes-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    assert response.status_code == 302
    project = SolarProject.objects.get()
    changelist = reverse("admin:welfare_solarproject_changelist")
    action = {"action": "advance_stage", "_selected_action": [project.pk]}

    town.post(changelist, action)
    project.refresh_from_db()
    assert project.stage == SolarStage.APPLIED  # refused to the town

    county = login(county_officer)
    county.post(changelist, action)
    county.post(changelist, action)
    project.refresh_from_db()
    assert project.stage == SolarStage.AGREED

    listed = county.get(changelist, {"stage__exact": "agreed"}).context["cl"].result_list
    assert [p.pk for p in listed] == [project.pk]
    assert not county.get(changelist, {"stage__exact": "applied"}).context["cl"].result_list
