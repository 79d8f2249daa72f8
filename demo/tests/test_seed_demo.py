import datetime
import io
import random
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone, translation

from base import identity
from base.models import Level, Region
from dashboards import selectors
from dashboards.formatting import completion
from demo import build, data
from demo.sink import DigestSink
from programs.models import ServiceVisit, Target
from training.models import TrainingSession
from welfare.models import (
    AssistanceGrant,
    CareOccasion,
    CarePairing,
    CareVisit,
    CaseStatus,
    Facility,
    HardshipCase,
    RecuperationTrip,
    ServiceStation,
)
from workforce.models import Enterprise, HonourTitle, Worker

pytestmark = pytest.mark.django_db

WORKERS = 300


def seed(workers: int = WORKERS) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("seed_demo", workers=workers, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One small demo for the whole module (seeding is the slow part), rolled back at the end;
    each test still runs in its own savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = seed()
        yield output
        transaction.set_rollback(True)


def row_counts() -> dict[str, int]:
    models = [
        *build.DEMO_MODELS,
        ServiceVisit.craftsmen.through,
        RecuperationTrip.participants.through,
    ]
    return {model._meta.label: model._default_manager.count() for model in models}


class Rows:
    """Collects generated rows without a database write (for proportions of a larger demo)."""

    def __init__(self):
        self.rows = defaultdict(list)

    def add(self, table, row):
        self.rows[table.label].append(dict(zip(table.columns, row, strict=True)))

    def flush(self):
        pass


def test_every_kind_of_record_gets_demo_rows_and_the_logins_work(seeded):
    assert Worker.objects.count() == WORKERS
    assert not [label for label, count in row_counts().items() if not count]
    assert authenticate(username="admin", password="admin12345").is_superuser
    assert authenticate(username="fq_clerk", password="demo12345") is not None
    assert "admin / admin12345" in seeded


def test_every_city_has_several_towns_under_their_own_county(seeded):
    towns = Region.objects.filter(level="town")
    per_city = Counter(town.code[:4] for town in towns)
    assert set(per_city) == {code[:4] for code in data.CITY_WEIGHTS}
    assert min(per_city.values()) >= 3
    for town in towns:
        assert len(town.code) == 9 and town.code.startswith(town.parent_id)


def test_workers_carry_valid_id_numbers_that_match_their_gender_birth_date_and_county(seeded):
    for worker in Worker.objects.all():
        identity.validate_id_number(worker.id_number)
        assert worker.id_number[:6] == worker.region_id[:6]
        assert worker.gender == identity.id_number_gender(worker.id_number)
        assert worker.birth_date == identity.id_number_birth_date(worker.id_number)
        age = (data.DEMO_END - worker.birth_date).days // 365.25
        assert 18 <= age <= 90
        if worker.phone:
            identity.validate_phone(worker.phone)
    assert Worker.objects.values("id_number").distinct().count() == WORKERS


def test_enterprises_carry_valid_unique_credit_codes_and_include_the_named_employers(seeded):
    codes = list(Enterprise.objects.values_list("credit_code", flat=True))
    for code in codes:
        identity.validate_credit_code(code)
    assert len(set(codes)) == len(codes)
    names = set(Enterprise.objects.values_list("name", flat=True))
    assert {"雅戈尔集团股份有限公司", "华峰集团有限公司", "浙江银轮机械股份有限公司"} <= names


def test_every_record_passes_the_checks_the_admin_would_apply(seeded):
    # Links, uniqueness and constraints are the database's job (and it has enforced them); this
    # checks the field validators and each model's clean().
    for model in build.DEMO_MODELS:
        links = [field.name for field in model._meta.fields if field.is_relation]
        for record in model._default_manager.select_related():
            record.full_clean(exclude=links, validate_unique=False, validate_constraints=False)


def test_every_record_stores_its_worker_s_region(seeded):
    """The seed writes rows straight to the tables: each certificate, case, grant … carries the
    region of the worker (the case) it belongs to, as every other write path keeps it."""
    from base import following

    assert following.out_of_step() == {}


def test_hardship_cases_cover_every_status_with_the_dates_it_needs(seeded):
    cases = list(HardshipCase.objects.all())
    assert {case.status for case in cases} == set(CaseStatus.values)
    for case in cases:
        filed = case.status in (CaseStatus.FILED, CaseStatus.AIDED, CaseStatus.CLOSED)
        assert (case.filed_on is not None) == filed
        assert (case.closed_on is not None) == (case.status == CaseStatus.CLOSED)
        if case.closed_on:
            assert case.closed_on >= case.filed_on
    for grant in AssistanceGrant.objects.select_related("case"):
        assert grant.case.status in (CaseStatus.AIDED, CaseStatus.CLOSED)
        assert grant.granted_on >= grant.case.filed_on


def test_care_pairings_pair_honoured_seniors_of_80_or_more_with_younger_workers(seeded):
    eighty_years_before_the_end = data.DEMO_END.replace(year=data.DEMO_END.year - 80)
    for pairing in CarePairing.objects.select_related("senior", "carer"):
        assert pairing.senior.birth_date <= eighty_years_before_the_end
        assert pairing.carer.birth_date > pairing.senior.birth_date
        assert pairing.senior.honours.exists()


def test_some_care_occasions_are_visited_and_some_still_wait(seeded):
    # 六必访: the to-do list has occasions to show, and the visits answer their own worker's.
    assert CareOccasion.objects.filter(visits__isnull=True).exists()
    assert CareVisit.objects.filter(occasion__isnull=False).exists()
    for visit in CareVisit.objects.select_related("occasion", "case"):
        assert visit.visited_on <= data.DEMO_END
        if visit.occasion is not None:
            assert visit.occasion.worker_id == visit.worker_id
            assert visit.occasion.kind == visit.kind
            assert visit.visited_on >= visit.occasion.happened_on
        if visit.case is not None:
            assert visit.case.worker_id == visit.worker_id


def test_stations_lie_in_zhejiang_with_listed_facilities(seeded):
    for station in ServiceStation.objects.all():
        assert Decimal("27") <= station.latitude <= Decimal("31.2")
        assert Decimal("118") <= station.longitude <= Decimal("123")
        assert set(station.facilities) <= set(Facility.values)


def test_records_spread_over_the_five_year_window_and_stop_at_the_demo_end(seeded):
    starts = list(TrainingSession.objects.values_list("start_date", flat=True))
    assert {day.year for day in starts} == set(range(2021, 2027))
    assert max(starts) <= data.DEMO_END


def test_targets_are_set_against_the_demo_data_so_completion_reads_like_a_real_year(seeded):
    regions = {region.code: region for region in Region.objects.all()}
    targets = list(Target.objects.all())
    assert targets
    assert {target.indicator for target in targets} == set(data.TARGET_INDICATORS)
    # Towns have targets too, so a county's page ranks its towns.
    assert any(regions[target.region_id].level == "town" for target in targets)
    values = selectors.subtree_values(regions.values(), data.YEARS, data.TARGET_INDICATORS)
    rates = [completion(values[t.region_id][t.year][t.indicator], t.value) for t in targets]
    within = [rate for rate in rates if Decimal(60) <= rate <= Decimal(120)]
    assert len(within) >= 0.8 * len(rates)
    assert len(set(rates)) > 10  # a spread of completions, not every target met exactly


def test_the_register_grows_year_by_year_and_each_years_count_is_a_hand_count(seeded):
    years = list(range(data.LAST_YEAR - 4, data.LAST_YEAR + 1))
    province = Region.objects.get(code="330000")
    series = selectors.trend(province, years, ["workers", "union_members"])
    people = list(
        Worker.objects.values("registered_on", "left_on", "union_member", "union_joined_on")
    )
    for index, year in enumerate(years):
        end = datetime.date(year, 12, 31)
        on_register = [
            p
            for p in people
            if (p["registered_on"] is None or p["registered_on"] <= end)
            and (p["left_on"] is None or p["left_on"] > end)
        ]
        members = [
            p
            for p in on_register
            if p["union_member"] and (p["union_joined_on"] is None or p["union_joined_on"] <= end)
        ]
        assert series["workers"][index] == len(on_register), year
        assert series["union_members"][index] == len(members), year
    assert series["workers"] == sorted(set(series["workers"]))  # grows every year
    assert any(p["left_on"] for p in people)  # and some leave it


def test_the_showcase_county_has_craftsmen_and_studios_at_every_level(seeded):
    sink = Rows()
    build.ProvinceBuilder(build.load_context(), workers=3000, sink=sink).run()
    here = {
        p["id"]
        for p in sink.rows["workforce.worker"]
        if p["region_id"].startswith(data.SHOWCASE_COUNTY)
    }
    levels = dict(HonourTitle.objects.values_list("id", "level"))
    highest: dict[int, int] = {}
    for honour in sink.rows["workforce.honour"]:
        if honour["worker_id"] in here:
            level = levels[honour["title_id"]]
            highest[honour["worker_id"]] = max(highest.get(honour["worker_id"], 0), level)
    assert set(highest.values()) == set(Level.values)
    studios = {
        studio["level"]
        for studio in sink.rows["programs.innovationstudio"]
        if studio["region_id"].startswith(data.SHOWCASE_COUNTY) and studio["revoked_year"] is None
    }
    assert studios == {Level.NATIONAL, Level.PROVINCIAL, Level.CITY, Level.COUNTY}


def test_running_it_again_adds_nothing(seeded):
    before = row_counts()
    output = seed()
    assert row_counts() == before
    assert "The ledger already holds records" in output


def test_zero_workers_loads_towns_and_accounts_but_no_records(seeded):
    before = row_counts()
    output = seed(workers=0)
    assert row_counts() == before
    assert "Generated" not in output and "Demo data loaded." in output
    assert Region.objects.filter(code="330402101", name="凤桥镇").exists()


def test_the_same_size_always_generates_the_same_records(seeded):
    context = build.load_context()
    digests = []
    for global_seed, workers in ((1, WORKERS), (2, WORKERS), (1, WORKERS + 1)):
        # The demo draws from its own seeded generator, never from the `random` module, which
        # pytest-randomly reseeds for every test: a different global seed changes nothing.
        random.seed(global_seed)
        sink = DigestSink()
        build.ProvinceBuilder(context, workers=workers, sink=sink).run()
        digests.append(sink.hexdigest())
    assert digests[0] == digests[1]
    assert digests[2] != digests[0]


def test_a_larger_demo_has_realistic_proportions(seeded):
    workers = 5000
    sink = Rows()
    build.ProvinceBuilder(build.load_context(), workers=workers, sink=sink).run()
    people = sink.rows["workforce.worker"]
    assert len(people) == workers
    assert 0.55 < sum(p["union_member"] for p in people) / workers < 0.7
    assert 0.06 < sum(p["employment_form"] != "standard" for p in people) / workers < 0.1
    top = Counter()
    for certificate in sink.rows["workforce.skillcertificate"]:
        top[certificate["worker_id"]] = max(top[certificate["worker_id"]], certificate["level"])
    assert 0.3 < len(top) / workers < 0.42
    skilled = [level for level in top.values() if level >= 1]
    assert 0.22 < sum(level >= 3 for level in skilled) / len(skilled) < 0.38
    honoured = {honour["worker_id"] for honour in sink.rows["workforce.honour"]}
    assert 0.006 < len(honoured) / workers < 0.02
    assert workers / 40 < len(sink.rows["workforce.enterprise"]) < workers / 22
    # 产改覆盖: around the province's 80.2 % of 规上民营企业 by the end of last year; a group in
    # most demo towns and in every town of 瑞安 and 海曙.
    end = datetime.date(data.LAST_YEAR - 1, 12, 31)
    private = [
        e
        for e in sink.rows["workforce.enterprise"]
        if e["above_scale"] and e["ownership"] == "non_public"
    ]
    started = [e for e in private if e["reform_started_on"] and e["reform_started_on"] <= end]
    # (A small demo leans on the named employers of the seeds, who all lead the reform.)
    assert 0.7 < len(started) / len(private) < 0.92
    in_place = {
        g["region_id"] for g in sink.rows["programs.coordinationgroup"] if not g["dissolved_on"]
    }
    towns = {code for _county, code, _name in data.DEMO_TOWNS}
    assert 0.6 < len(in_place) / len(towns) < 1
    assert {
        code for county, code, _name in data.DEMO_TOWNS if county in ("330381", "330203")
    } <= in_place


def test_the_demo_has_last_years_approved_report_and_this_years_open_round(seeded):
    from reporting import selectors
    from reporting.models import Status, Submission

    approved = Submission.objects.get(status=Status.APPROVED)
    assert approved.region_id == "330381" and approved.round.year == timezone.localdate().year - 1
    frozen = selectors.frozen_values(approved)
    assert frozen == selectors.live(approved).values and frozen["workers"] > 0
    note = Submission.objects.get(round__kind="half", region="330381").figures.get(key="workers")
    assert note.note
