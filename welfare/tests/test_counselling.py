"""台工心港 (docs/indicators.md, "台工心港"; docs/security.md, "Who booked a consultation"): the
assessment tallies, the bookings and the lectures, who may see what, and the dashboard figures —
on a small ledger built by hand, with the numbers worked out in the comments.

The ledger (瑞安 330381 and 乐清 330382, both under 温州 330300):

- assessments taken: 瑞安 2025-03 SCL-90 40 (3 went on to book), 2025-03 PHQ-9 25 (2),
  2025-11 GAD-7 15, 2024-12 SCL-90 100; 乐清 2025-05 PHQ-9 30.
- bookings: 瑞安 2025-02-10 held, 2025-03-05 held, 2025-04-01 cancelled, 2025-04-02 missed,
  2025-12-30 still booked, 2024-12-31 held; 乐清 2025-06-01 held.
- lectures: 瑞安 2025-05-20 lecture of 120, 2025-09-10 salon of 35, 2024-10-10 lecture of 60;
  乐清 2025-07-01 group activity of 80.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from base import identity
from base.models import Region
from base.roles import Role
from dashboards import dashboard
from dashboards import selectors as figures
from dashboards.catalogue import BY_KEY, Period
from sheets.services import sheet_import
from tests import factories
from tests.sheetfiles import xlsx
from welfare.models import (
    AssessmentScale,
    BookingStatus,
    CounsellingAssessment,
    CounsellingBooking,
    CounsellingLecture,
    LectureKind,
)
from welfare.services import (
    counselling_assessment_record,
    counselling_booking_record,
    counselling_booking_set_status,
    counselling_lecture_record,
)

pytestmark = pytest.mark.django_db

RUIAN, YUEQING, WENZHOU = "330381", "330382", "330300"
HELD, BOOKED = BookingStatus.HELD, BookingStatus.BOOKED
D = datetime.date


def region(code: str) -> Region:
    return Region.objects.get(code=code)


@pytest.fixture
def counsellor() -> Any:
    return factories.staff("wz_counsellor", Role.COUNSELLOR, WENZHOU)


@pytest.fixture
def ledger(counsellor: Any) -> dict[str, Any]:
    def tally(code: str, year: int, month: int, scale: str, taken: int, referred: int = 0) -> None:
        counselling_assessment_record(
            region=region(code),
            year=year,
            month=month,
            scale=scale,
            taken=taken,
            referred=referred,
            user=counsellor,
        )

    tally(RUIAN, 2025, 3, AssessmentScale.SCL90, 40, 3)
    tally(RUIAN, 2025, 3, AssessmentScale.PHQ9, 25, 2)
    tally(RUIAN, 2025, 11, AssessmentScale.GAD7, 15)
    tally(RUIAN, 2024, 12, AssessmentScale.SCL90, 100)
    tally(YUEQING, 2025, 5, AssessmentScale.PHQ9, 30)

    people = iter(range(1, 100))

    def book(code: str, day: datetime.date, status: str) -> CounsellingBooking:
        serial = next(people)
        return counselling_booking_record(
            region=region(code),
            name=f"来访者{serial}",
            phone=f"1390576{serial:04d}",
            id_number=factories.valid_id_number(code, serial),
            booked_for=day,
            status=status,
            counsellor="周心怡",
            user=counsellor,
        )

    bookings = [
        book(RUIAN, D(2025, 2, 10), HELD),
        book(RUIAN, D(2025, 3, 5), HELD),
        book(RUIAN, D(2025, 4, 1), BookingStatus.CANCELLED),
        book(RUIAN, D(2025, 4, 2), BookingStatus.NO_SHOW),
        book(RUIAN, D(2025, 12, 30), BOOKED),
        book(RUIAN, D(2024, 12, 31), HELD),
        book(YUEQING, D(2025, 6, 1), HELD),
    ]

    def lecture(code: str, day: datetime.date, topic: str, audience: int, kind: str) -> None:
        counselling_lecture_record(
            region=region(code),
            held_on=day,
            topic=topic,
            audience=audience,
            kind=kind,
            user=counsellor,
        )

    lecture(RUIAN, D(2025, 5, 20), "职场压力与情绪管理", 120, LectureKind.LECTURE)
    lecture(RUIAN, D(2025, 9, 10), "亲子沟通", 35, LectureKind.SALON)
    lecture(RUIAN, D(2024, 10, 10), "婚恋关系", 60, LectureKind.LECTURE)
    lecture(YUEQING, D(2025, 7, 1), "团体减压", 80, LectureKind.GROUP)
    return {"bookings": bookings}


def counted(code: str, year: int) -> tuple[Any, ...]:
    values = figures.indicators_for(region(code), year)
    return (
        values["counselling_assessments"],
        values["counselling_consultations"],
        values["counselling_lectures"],
        values["counselling_lecture_audience"],
    )


# --- the indicators ------------------------------------------------------------------------------


def test_assessments_taken_add_up_every_scale_of_the_year(ledger):
    # 瑞安 2025: 40 + 25 + 15 = 80; 2024: 100; 乐清 2025: 30; 温州 2025: 80 + 30 = 110.
    assert counted(RUIAN, 2025)[0] == 80
    assert counted(RUIAN, 2024)[0] == 100
    assert counted(YUEQING, 2025)[0] == 30
    assert counted(WENZHOU, 2025)[0] == 110


def test_a_half_year_report_counts_the_tallies_of_its_months(ledger):
    # 1–6月: 瑞安's March tallies (40 + 25), not November's 15.
    raw = figures.period_raw(region(RUIAN), Period(2025, 6), ["counselling_assessments"])
    assert raw["counselling_assessments"] == 65


def test_only_consultations_held_count(ledger):
    # 瑞安 2025: the two held (02-10, 03-05); cancelled, missed and still booked do not count.
    # 2024: the one of 12-31. 温州 2025: 瑞安 2 + 乐清 1.
    assert counted(RUIAN, 2025)[1] == 2
    assert counted(RUIAN, 2024)[1] == 1
    assert counted(WENZHOU, 2025)[1] == 3


def test_a_booking_held_later_counts_once_it_is_held(ledger, counsellor):
    booking = ledger["bookings"][4]  # 瑞安 2025-12-30, still booked
    counselling_booking_set_status(booking=booking, status=HELD, user=counsellor)
    assert counted(RUIAN, 2025)[1] == 3


def test_lectures_and_their_audience(ledger):
    # 瑞安 2025: 2 lectures, 120 + 35 = 155; 2024: 1 of 60; 温州 2025: 3, 155 + 80 = 235.
    assert counted(RUIAN, 2025)[2:] == (2, 155)
    assert counted(RUIAN, 2024)[2:] == (1, 60)
    assert counted(WENZHOU, 2025)[2:] == (3, 235)


def test_the_four_indicators_are_period_figures_with_units():
    for key in (
        "counselling_assessments",
        "counselling_consultations",
        "counselling_lectures",
        "counselling_lecture_audience",
    ):
        assert BY_KEY[key].timing == "period"
        assert BY_KEY[key].group == "welfare"


# --- the records' own rules ------------------------------------------------------------------------


def test_a_tally_is_one_per_region_month_and_scale_and_a_second_corrects_it(ledger, counsellor):
    counselling_assessment_record(
        region=region(RUIAN),
        year=2025,
        month=3,
        scale=AssessmentScale.SCL90,
        taken=44,
        referred=4,
        user=counsellor,
    )
    assert CounsellingAssessment.objects.filter(region=RUIAN, year=2025, month=3).count() == 2
    assert counted(RUIAN, 2025)[0] == 84  # 44 + 25 + 15


def test_more_cannot_book_than_took_the_assessment(counsellor):
    with pytest.raises(ValidationError):
        counselling_assessment_record(
            region=region(RUIAN),
            year=2025,
            month=1,
            scale=AssessmentScale.PSS,
            taken=5,
            referred=6,
            user=counsellor,
        )


def test_a_month_outside_one_to_twelve_is_refused(counsellor):
    with pytest.raises(ValidationError):
        counselling_assessment_record(
            region=region(RUIAN), year=2025, month=13, scale="pss", taken=5, user=counsellor
        )


def test_a_consultation_still_to_come_cannot_have_been_held(counsellor):
    with pytest.raises(ValidationError):
        counselling_booking_record(
            region=region(RUIAN),
            name="来访者",
            phone="13905760001",
            booked_for=datetime.date.today() + datetime.timedelta(days=3),
            status=HELD,
            user=counsellor,
        )


def test_a_booking_validates_its_phone_and_id_number(counsellor):
    with pytest.raises(ValidationError):
        counselling_booking_record(
            region=region(RUIAN),
            name="来访者",
            phone="12345",
            booked_for=D(2025, 1, 1),
            user=counsellor,
        )
    with pytest.raises(ValidationError):
        counselling_booking_record(
            region=region(RUIAN),
            name="来访者",
            phone="13905760001",
            id_number="330381198501010000",
            booked_for=D(2025, 1, 1),
            user=counsellor,
        )


def test_a_bookings_string_names_nobody(ledger):
    booking = ledger["bookings"][0]
    assert booking.name not in str(booking) and booking.phone not in str(booking)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.CLERK, Role.WELFARE, Role.VIEWER])
def test_no_other_role_writes_the_counselling_records(role):
    user = factories.staff(f"ra_{role}", role, RUIAN)
    with pytest.raises(PermissionDenied):
        counselling_booking_record(
            region=region(RUIAN),
            name="来访者",
            phone="13905760001",
            booked_for=D(2025, 1, 1),
            user=user,
        )
    with pytest.raises(PermissionDenied):
        counselling_lecture_record(
            region=region(RUIAN), held_on=D(2025, 1, 1), topic="x", audience=1, user=user
        )


def test_a_county_counsellor_cannot_book_in_another_county():
    ruian = factories.staff("ra_counsellor", Role.COUNSELLOR, RUIAN)
    with pytest.raises(PermissionDenied):
        counselling_booking_record(
            region=region(YUEQING),
            name="来访者",
            phone="13905760001",
            booked_for=D(2025, 1, 1),
            user=ruian,
        )


# --- who sees who booked ---------------------------------------------------------------------------


def test_the_counsellor_sees_who_booked_in_full_and_the_view_is_logged(ledger, login):
    from audit.models import AccessLogEntry

    user = factories.staff("ra_counsellor", Role.COUNSELLOR, RUIAN)
    booking = ledger["bookings"][0]
    client = login(user)
    listing = client.get(reverse("admin:welfare_counsellingbooking_changelist"))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert booking.name in page and booking.phone in page and booking.id_number in page
    # 乐清's booking is outside a 瑞安 counsellor's scope.
    assert ledger["bookings"][6].phone not in page
    client.get(reverse("admin:welfare_counsellingbooking_change", args=[booking.pk]))
    assert AccessLogEntry.objects.filter(user=user, full_numbers=True).exists()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.CLERK, Role.WELFARE, Role.VIEWER])
def test_no_other_role_opens_a_booking_whatever_its_rights(role, ledger, login):
    user = factories.staff(f"ra_{role}", role, RUIAN)
    booking = ledger["bookings"][0]
    client = login(user)
    for url in (
        reverse("admin:welfare_counsellingbooking_changelist"),
        reverse("admin:welfare_counsellingbooking_change", args=[booking.pk]),
        reverse("admin:welfare_counsellingbooking_history", args=[booking.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert booking.phone not in response.content.decode()


def test_an_administrators_full_number_right_does_not_reveal_who_booked():
    admin = factories.staff("ra_admin", Role.ADMIN, RUIAN)
    assert admin.has_perm("workforce.view_full_id_number")
    assert set(identity.masked_fields(admin, CounsellingBooking)) == {"id_number", "phone"}
    counsellor = factories.staff("ra_counsellor", Role.COUNSELLOR, RUIAN)
    assert identity.masked_fields(counsellor, CounsellingBooking) == {}
    # Elsewhere the counsellor holds no full-number right at all.
    from workforce.models import Worker

    assert set(identity.masked_fields(counsellor, Worker)) >= {"id_number", "phone"}


@pytest.mark.parametrize("role", [Role.ADMIN, Role.VIEWER])
def test_the_dashboard_shows_others_the_counts_but_not_the_consultations(role):
    user = factories.staff(f"ra_{role}", role, RUIAN)
    shown = {indicator.key for indicator in dashboard.readable_indicators(user)}
    assert {"counselling_assessments", "counselling_lectures"} <= shown
    assert "counselling_lecture_audience" in shown
    assert "counselling_consultations" not in shown


def test_the_counsellor_reads_the_four_figures_and_no_other_record(ledger, login):
    user = factories.staff("ra_counsellor", Role.COUNSELLOR, RUIAN)
    shown = {indicator.key for indicator in dashboard.readable_indicators(user)}
    assert {
        "counselling_assessments",
        "counselling_consultations",
        "counselling_lectures",
        "counselling_lecture_audience",
    } <= shown
    assert "workers" not in shown and "hardship_open" not in shown
    client = login(user)
    assert client.get(reverse("admin:workforce_worker_changelist")).status_code == 403
    assert client.get(reverse("admin:welfare_hardshipcase_changelist")).status_code == 403


def test_the_consultations_card_leads_the_counsellor_to_exactly_the_bookings_held(ledger, login):
    from dashboards.links import link_for

    user = factories.staff("ra_counsellor", Role.COUNSELLOR, RUIAN)
    url = link_for("counselling_consultations", RUIAN, 2025)
    assert url is not None
    response = login(user).get(url)
    listed = {o.pk for o in response.context["cl"].result_list}
    assert listed == {ledger["bookings"][0].pk, ledger["bookings"][1].pk}
    # The same link opened by an administrator is refused: the list names people.
    admin = factories.staff("ra_admin", Role.ADMIN, RUIAN)
    assert login(admin).get(url).status_code == 403


def test_the_workbench_offers_the_counsellor_its_own_jobs(login):
    user = factories.staff("ra_counsellor", Role.COUNSELLOR, RUIAN)
    page = login(user).get(reverse("admin:index"))
    assert page.status_code == 200
    assert reverse("admin:welfare_counsellingbooking_add") in page.content.decode()
    admin = factories.staff("ra_admin", Role.ADMIN, RUIAN)
    page = login(admin).get(reverse("admin:index"))
    assert reverse("admin:welfare_counsellingbooking_add") not in page.content.decode()


# --- sheets ----------------------------------------------------------------------------------------


def test_a_messy_tally_sheet_imports_with_its_aliases():
    user = factories.staff("ra_counsellor", Role.COUNSELLOR, RUIAN)
    data = xlsx(
        [
            ["地区", "年度", "月", "测评量表", "测评人数", "转介人次"],
            ["瑞安市", "2025年", "3", "SCL-90", "40人", 3],
            ["瑞安市", 2025, 3, "焦虑自评", 12, None],
        ]
    )
    report, _changes = sheet_import(
        resource_name="counselling-assessments",
        data=data,
        file_name="心港.xlsx",
        user=user,
        dry_run=False,
    )
    assert report.errors == [], [str(e) for e in report.errors]
    rows = CounsellingAssessment.objects.order_by("scale").values_list("scale", "taken", "referred")
    assert list(rows) == [("gad7", 12, 0), ("scl90", 40, 3)]


def test_a_lecture_sheet_imports_and_an_administrator_may_not_import_it():
    data = xlsx(
        [
            ["所属地区", "讲座日期", "讲座主题", "活动形式", "单位", "听众人数"],
            ["瑞安市", "2025-05-20", "职场压力与情绪管理", "心理讲座", "瑞安市总工会", "120"],
            ["瑞安市", "2025/9/10", "亲子沟通", "沙龙", "", 35],
        ]
    )
    admin = factories.staff("ra_admin", Role.ADMIN, RUIAN)
    with pytest.raises(PermissionDenied):
        sheet_import(
            resource_name="counselling-lectures",
            data=data,
            file_name="讲座.xlsx",
            user=admin,
            dry_run=False,
        )
    user = factories.staff("ra_counsellor", Role.COUNSELLOR, RUIAN)
    report, _changes = sheet_import(
        resource_name="counselling-lectures",
        data=data,
        file_name="讲座.xlsx",
        user=user,
        dry_run=False,
    )
    assert report.errors == [], [str(e) for e in report.errors]
    assert sorted(CounsellingLecture.objects.values_list("kind", "audience")) == [
        ("lecture", 120),
        ("salon", 35),
    ]
