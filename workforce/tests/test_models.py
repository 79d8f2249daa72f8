import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from base.models import Region
from tests import factories
from training.models import TrainingSession
from welfare.models import HardshipCase, ServiceStation
from workforce.models import Enterprise, Mentorship, Worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def ruian():
    return Region.objects.get(code="330381")


def test_worker_gender_and_birth_date_follow_the_id_number(ruian):
    worker = Worker.objects.create(name="林小红", id_number="33032719700105644x", region=ruian)
    worker.refresh_from_db()
    assert worker.id_number == "33032719700105644X"
    assert (worker.gender, worker.birth_date) == ("F", datetime.date(1970, 1, 5))


def test_database_refuses_a_second_worker_with_the_same_id_number(ruian):
    Worker.objects.create(name="甲", id_number="330381199001011230", region=ruian)
    with pytest.raises(IntegrityError), transaction.atomic():
        Worker.objects.create(name="乙", id_number="330381199001011230", region=ruian)


def test_worker_with_a_wrong_check_digit_is_invalid(ruian):
    worker = Worker(name="甲", id_number="330381199001011234", region=ruian)
    with pytest.raises(ValidationError) as error:
        worker.full_clean()
    assert "id_number" in error.value.message_dict


def test_enterprises_without_a_credit_code_are_unique_by_name_in_their_region(ruian):
    Enterprise.objects.create(name="瑞安某厂", region=ruian)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enterprise.objects.create(name="瑞安某厂", region=ruian)
    Enterprise.objects.create(name="瑞安某厂", region_id="330382")  # another county's namesake


def test_enterprise_credit_code_is_checked(ruian):
    enterprise = Enterprise(name="甲公司", credit_code="91350100M000100Y44", region=ruian)
    with pytest.raises(ValidationError) as error:
        enterprise.full_clean()
    assert "credit_code" in error.value.message_dict


def test_end_dates_cannot_precede_start_dates(ruian):
    session = TrainingSession(
        title="焊工班", region=ruian, category="skills",
        start_date=datetime.date(2024, 5, 1), end_date=datetime.date(2024, 4, 1),
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert "end_date" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        session.save()


def test_a_master_cannot_mentor_themselves(ruian):
    worker = factories.build(Worker, ruian)
    with pytest.raises(IntegrityError), transaction.atomic():
        Mentorship.objects.create(
            master=worker, apprentice=worker, started_on=datetime.date(2024, 1, 1)
        )


def test_station_coordinates_must_lie_in_china(ruian):
    station = ServiceStation(
        name="驿站",
        region=ruian,
        address="某路1号",
        latitude=Decimal("60"),
        longitude=Decimal("120"),
    )
    with pytest.raises(ValidationError) as error:
        station.full_clean()
    assert "latitude" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        station.save()


def test_money_cannot_be_negative(ruian):
    worker = factories.build(Worker, ruian)
    case = HardshipCase(
        worker=worker, level="deep", causes=["illness"], monthly_income_per_head=Decimal("-1")
    )
    with pytest.raises(ValidationError) as error:
        case.full_clean()
    assert "monthly_income_per_head" in error.value.message_dict


def test_years_outside_the_sane_range_are_refused(ruian):
    from workforce.models import Honour, HonourTitle

    honour = Honour(
        worker=factories.build(Worker, ruian), title=HonourTitle.objects.first(), year=1800
    )
    with pytest.raises(ValidationError) as error:
        honour.full_clean()
    assert "year" in error.value.message_dict


def test_facilities_accept_only_listed_values(ruian):
    station = ServiceStation(
        name="驿站", region=ruian, address="某路1号", facilities=["water", "spa"]
    )
    with pytest.raises(ValidationError) as error:
        station.full_clean()
    assert "facilities" in error.value.message_dict
