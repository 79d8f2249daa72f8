"""A worker's 成长档案 (growth record): the order of its lines, the numbers at its top, masking,
the access log, the workbook and a fixed number of queries (growth/selectors.py,
growth/workbook.py, adminsite/growth.py)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AccessKind, AccessLogEntry
from base.models import Level, Region
from base.roles import Role
from growth.selectors import EntryKind, growth_record
from programs.models import InnovationStudio
from tests import factories
from training.models import (
    Award,
    Competition,
    CompetitionResult,
    EducationSubsidy,
    Enrolment,
    TrainingSession,
)
from welfare.models import BenefitKind, BenefitTaken, HardshipCase
from workforce.models import (
    Honour,
    HonourTitle,
    Mentorship,
    SkillCertificate,
    SkillLevel,
    Transfer,
    TransferStatus,
    Worker,
)

pytestmark = pytest.mark.django_db

RUIAN, YUEQING = "330381", "330382"
FULL_ID = factories.valid_id_number(RUIAN, 123, birth="19860412")
MASKED_ID = f"{RUIAN}********{FULL_ID[-4:]}"
FULL_PHONE = "13857712345"
MASKED_PHONE = "138****2345"


def region(code: str) -> Region:
    return Region.objects.get(code=code)


@pytest.fixture
def worker() -> Worker:
    return factories.build(
        Worker, region(RUIAN), name="陈建国", id_number=FULL_ID, phone=FULL_PHONE
    )


def session(on: datetime.date, hours: str | None, title: str) -> TrainingSession:
    return factories.build(
        TrainingSession,
        region(RUIAN),
        title=title,
        start_date=on,
        hours=Decimal(hours) if hours is not None else None,
    )


@pytest.fixture
def full_record(worker: Worker) -> Worker:
    """One record of every kind, entered out of order."""
    ruian = region(RUIAN)
    factories.build(
        BenefitTaken,
        ruian,
        worker=worker,
        kind=BenefitKind.HEALTH_CHECK,
        taken_on=datetime.date(2024, 6, 1),
    )
    factories.build(
        SkillCertificate,
        ruian,
        worker=worker,
        occupation="数控车工",
        level=SkillLevel.INTERMEDIATE,
        certified_on=datetime.date(2019, 5, 1),
    )
    factories.build(
        SkillCertificate,
        ruian,
        worker=worker,
        occupation="数控车工",
        level=SkillLevel.TECHNICIAN,
        certified_on=datetime.date(2023, 11, 20),
    )
    city_title = factories.build(HonourTitle, ruian, name="温州市五一劳动奖章", level=Level.CITY)
    county_title = factories.build(HonourTitle, ruian, name="瑞安市技术能手", level=Level.COUNTY)
    factories.build(Honour, ruian, worker=worker, title=county_title, year=2020)
    factories.build(Honour, ruian, worker=worker, title=city_title, year=2023)
    for on, hours, title, attended in (
        (datetime.date(2021, 3, 10), "16.5", "数控编程提升班", True),
        (datetime.date(2021, 9, 1), "8", "安全生产培训", True),
        (datetime.date(2022, 4, 2), None, "工匠讲堂", True),  # recorded without hours
        (datetime.date(2022, 5, 6), "40", "技师研修班", False),  # enrolled, did not attend
    ):
        factories.build(
            Enrolment, ruian, worker=worker, session=session(on, hours, title), attended=attended
        )
    competition = factories.build(
        Competition, ruian, name="瑞安市数控技能大赛", held_on=datetime.date(2022, 10, 1)
    )
    factories.build(
        CompetitionResult, ruian, competition=competition, worker=worker, award=Award.FIRST
    )
    apprentice = factories.build(Worker, ruian, name="林小青")
    factories.build(
        Mentorship,
        ruian,
        master=worker,
        apprentice=apprentice,
        started_on=datetime.date(2023, 2, 1),
    )
    master = factories.build(Worker, ruian, name="王师傅")
    factories.build(
        Mentorship, ruian, master=master, apprentice=worker, started_on=datetime.date(2018, 9, 1)
    )
    factories.build(
        InnovationStudio, ruian, name="陈建国数控创新工作室", leader=worker, named_year=2022
    )
    factories.build(
        EducationSubsidy,
        ruian,
        worker=worker,
        school="浙江工业大学",
        year=2020,
        amount=Decimal("3000"),
    )
    factories.build(
        Transfer,
        ruian,
        worker=worker,
        from_region=region(YUEQING),
        to_region=ruian,
        status=TransferStatus.ACCEPTED,
        started_on=datetime.date(2017, 6, 20),
        accepted_on=datetime.date(2017, 7, 1),
    )
    return worker


def growth_url(worker: Worker, xlsx: bool = False) -> str:
    name = "admin:workforce_worker_growth_xlsx" if xlsx else "admin:workforce_worker_growth"
    return reverse(name, args=[worker.pk])


def test_the_lines_stand_in_time_order_year_only_records_after_their_years_dated_ones(
    full_record,
):
    user = factories.staff("ra_admin", Role.ADMIN, RUIAN)
    record = growth_record(user=user, worker=full_record)
    lines = [(entry.when, entry.kind) for entry in record.entries]
    assert lines == [
        ("2017-07-01", EntryKind.TRANSFER),
        ("2018-09-01", EntryKind.APPRENTICE),
        ("2019-05-01", EntryKind.CERTIFICATE),
        ("2020年", EntryKind.HONOUR),
        ("2020年", EntryKind.SUBSIDY),
        ("2021-03-10", EntryKind.TRAINING),
        ("2021-09-01", EntryKind.TRAINING),
        ("2022-04-02", EntryKind.TRAINING),
        ("2022-05-06", EntryKind.TRAINING),
        ("2022-10-01", EntryKind.COMPETITION),
        ("2022年", EntryKind.STUDIO),
        ("2023-02-01", EntryKind.MENTOR),
        ("2023-11-20", EntryKind.CERTIFICATE),
        ("2023年", EntryKind.HONOUR),
        ("2024-06-01", EntryKind.BENEFIT),
    ]
    assert record.entries[1].title == "拜王师傅为师"
    assert record.entries[11].title == "收林小青为徒"
    assert record.entries[0].title == "乐清市 → 瑞安市"


def test_the_headline_counts_what_the_lines_hold(full_record):
    user = factories.staff("ra_clerk", Role.CLERK, RUIAN)
    head = growth_record(user=user, worker=full_record).headline
    assert head.certificates == 2
    assert head.highest_skill_level == "技师(二级)"
    assert head.honours == 2
    assert head.highest_honour == "市级"
    # Attended: 16.5 + 8 + a session without hours; the 40 hours not attended do not count.
    assert head.sessions_attended == 3
    assert head.training_hours == Decimal("24.5")
    assert (head.competitions, head.awards) == (1, 1)
    assert (head.apprentices, head.masters) == (1, 1)
    assert head.studios == 1
    assert (head.subsidies, head.subsidy_amount) == (1, Decimal("3000"))
    assert head.benefits == 1
    assert head.transfers == 1


def test_training_lines_carry_the_hours_only_of_sessions_attended(full_record):
    user = factories.staff("ra_clerk", Role.CLERK, RUIAN)
    record = growth_record(user=user, worker=full_record)
    training = [(e.title, e.hours) for e in record.entries if e.kind == EntryKind.TRAINING]
    assert training == [
        ("数控编程提升班", Decimal("16.5")),
        ("安全生产培训", Decimal("8.0")),
        ("工匠讲堂", None),
        ("技师研修班", None),
    ]


def test_a_master_of_another_county_is_not_named(worker):
    other = factories.build(Worker, region(YUEQING), name="赵远方")
    factories.build(
        Mentorship,
        region(RUIAN),
        master=other,
        apprentice=worker,
        started_on=datetime.date(2020, 1, 1),
    )
    user = factories.staff("ra_clerk", Role.CLERK, RUIAN)
    record = growth_record(user=user, worker=worker)
    assert [entry.title for entry in record.entries] == ["拜辖区外人员为师"]


def test_a_mentorship_kept_by_another_county_is_left_out(worker):
    # As master of another county's apprentice: the record is that county's.
    apprentice = factories.build(Worker, region(YUEQING), name="赵小远")
    factories.build(
        Mentorship,
        region(YUEQING),
        master=worker,
        apprentice=apprentice,
        started_on=datetime.date(2020, 1, 1),
    )
    user = factories.staff("ra_clerk", Role.CLERK, RUIAN)
    assert growth_record(user=user, worker=worker).entries == []


def test_a_hardship_file_is_never_part_of_the_record(worker, login):
    factories.build(HardshipCase, region(RUIAN), worker=worker)
    user = factories.staff("ra_welfare", Role.WELFARE, RUIAN)
    response = login(user).get(growth_url(worker))
    assert response.status_code == 200
    # The officer's sidebar lists the hardship table; the record itself says nothing of it.
    page = response.content.decode()
    content = page[page.index('id="content-main"') :]
    assert "困难职工档案" not in content and "帮扶记录" not in content
    assert response.context["record"].entries == []


@pytest.mark.parametrize("role", [Role.CLERK, Role.WELFARE, Role.VIEWER])
def test_a_masked_role_sees_masked_numbers_and_is_not_logged(role, worker, login):
    user = factories.staff(f"ra_{role}", role, RUIAN)
    response = login(user).get(growth_url(worker))
    assert response.status_code == 200
    page = response.content.decode()
    assert MASKED_ID in page and MASKED_PHONE in page
    assert FULL_ID not in page and FULL_PHONE not in page
    assert "1986-04-12" not in page and "1986年（月、日已隐藏）" in page
    assert not AccessLogEntry.objects.exists()


def test_an_admin_sees_full_numbers_and_the_display_is_logged(worker, login):
    user = factories.staff("ra_admin", Role.ADMIN, RUIAN)
    response = login(user).get(growth_url(worker))
    page = response.content.decode()
    assert FULL_ID in page and FULL_PHONE in page and "1986-04-12" in page
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.kind, entry.full_numbers) == (user, AccessKind.RECORD, True)
    assert (entry.object_id, entry.rows) == (str(worker.pk), 1)
    assert entry.path == growth_url(worker)


def test_another_countys_worker_is_not_found(login):
    other = factories.build(Worker, region(YUEQING))
    client = login(factories.staff("ra_admin", Role.ADMIN, RUIAN))
    assert client.get(growth_url(other)).status_code == 404
    assert client.get(growth_url(other, xlsx=True)).status_code == 404
    assert client.get("/admin/workforce/worker/x/growth/").status_code == 404


def sheet_rows(content: bytes) -> list[tuple]:
    book = load_workbook(io.BytesIO(content))
    return [tuple(row) for row in book.active.iter_rows(values_only=True)]


def test_the_workbook_holds_the_lines_with_dates_as_dates(full_record, login):
    user = factories.staff("ra_viewer", Role.VIEWER, RUIAN)
    response = login(user).get(growth_url(full_record, xlsx=True))
    assert response.status_code == 200
    rows = sheet_rows(response.content)
    assert rows[0][0] == "陈建国的成长档案"
    cells = [value for row in rows for value in row if value is not None]
    assert MASKED_ID in cells and FULL_ID not in cells and FULL_PHONE not in cells
    assert "技师(二级)" in cells
    header = rows.index(("日期", "年份", "类别", "事项", "详情", "学时"))
    lines = rows[header + 1 : header + 16]
    assert lines[0][:4] == (datetime.datetime(2017, 7, 1), 2017, "调动", "乐清市 → 瑞安市")
    assert lines[3][:4] == (None, 2020, "荣誉", "瑞安市技术能手")
    assert lines[5][3:] == ("数控编程提升班", lines[5][4], 16.5)
    assert lines[14][:3] == (datetime.datetime(2024, 6, 1), 2024, "礼遇工匠")
    # 培训学时 at the top: 16.5 + 8 (the session not attended adds nothing).
    at = cells.index("培训学时")
    assert cells[at + 1] == 24.5
    entry = AccessLogEntry.objects.get()
    assert (entry.kind, entry.full_numbers, entry.rows) == (AccessKind.EXPORT, False, 1)


def test_an_admins_workbook_carries_full_numbers_and_says_so_in_the_log(worker, login):
    user = factories.staff("ra_admin", Role.ADMIN, RUIAN)
    response = login(user).get(growth_url(worker, xlsx=True))
    cells = [value for row in sheet_rows(response.content) for value in row]
    assert FULL_ID in cells and FULL_PHONE in cells
    entry = AccessLogEntry.objects.get()
    assert (entry.kind, entry.full_numbers) == (AccessKind.EXPORT, True)


def test_the_worker_page_and_the_search_open_the_record(worker, login):
    client = login(factories.staff("ra_clerk", Role.CLERK, RUIAN))
    change = client.get(reverse("admin:workforce_worker_change", args=[worker.pk]))
    assert growth_url(worker) in change.content.decode()
    found = client.get(reverse("admin:find_person"), {"q": "陈建"})
    assert growth_url(worker) in found.content.decode()


def add_one_of_each(worker: Worker, serial: int) -> None:
    ruian = region(RUIAN)
    day = datetime.date(2010 + serial, 3, 1)
    factories.build(SkillCertificate, ruian, worker=worker, certified_on=day)
    factories.build(Honour, ruian, worker=worker, year=day.year)
    factories.build(Enrolment, ruian, worker=worker, session=session(day, "4", f"班{serial}"))
    factories.build(CompetitionResult, ruian, worker=worker)
    factories.build(Mentorship, ruian, master=worker, started_on=day)
    factories.build(Mentorship, ruian, apprentice=worker, started_on=day)
    factories.build(InnovationStudio, ruian, leader=worker, named_year=day.year)
    factories.build(EducationSubsidy, ruian, worker=worker, year=day.year)
    factories.build(BenefitTaken, ruian, worker=worker, taken_on=day)
    factories.build(
        Transfer,
        ruian,
        worker=worker,
        from_region=region(YUEQING),
        to_region=ruian,
        status=TransferStatus.CANCELLED,
        started_on=day,
    )


# The page's queries whatever the record holds: the session, the user, their permissions and
# scope (5), the worker, one per kind of record (10), the access log's entry (5), the header's
# role and region (2) and the session's save (3).
MOST_QUERIES = 26


@pytest.mark.parametrize("xlsx", [False, True], ids=["page", "xlsx"])
def test_the_record_takes_a_fixed_number_of_queries(
    worker, login, xlsx, django_assert_max_num_queries
):
    client = login(factories.staff("ra_admin", Role.ADMIN, RUIAN))
    add_one_of_each(worker, 1)
    with django_assert_max_num_queries(MOST_QUERIES) as few:
        assert client.get(growth_url(worker, xlsx=xlsx)).status_code == 200
    for serial in range(2, 8):
        add_one_of_each(worker, serial)
    with django_assert_max_num_queries(MOST_QUERIES) as many:
        response = client.get(growth_url(worker, xlsx=xlsx))
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
