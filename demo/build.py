"""The demo ledger: a deterministic province of workers and everything the ledger keeps on them.

`generate(workers=N)` writes it; everything else scales with N in the proportions the source pages
suggest (one employer per ~30 workers, 60 % union members, 8 % new-form workers, 35 % with a
skill certificate, 1 % model workers and craftsmen …). The work goes county by county, so only
one county's workers are ever held in memory, and rows stream out through a `Sink`.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.db import connections, models

from base.models import Level, Region, RegionLevel
from demo import data
from demo import identity as ids
from demo.sink import DatabaseSink, Sink, Table
from programs.models import (
    Achievement,
    InnovationStudio,
    PilotUnit,
    Programme,
    ServiceProblem,
    ServiceVisit,
    Target,
)
from training.models import (
    Competition,
    CompetitionResult,
    EducationSubsidy,
    Enrolment,
    TrainingProvider,
    TrainingSession,
)
from welfare.models import (
    AssistanceGrant,
    CarePairing,
    CaseStatus,
    Facility,
    HardshipCase,
    HardshipCause,
    RecuperationTrip,
    ServiceStation,
)
from workforce.models import (
    Enterprise,
    Honour,
    HonourTitle,
    Mentorship,
    SkillCertificate,
    UnionOrganisation,
    Worker,
)

SEED = 20230501
T = TypeVar("T")

ENTERPRISES = Table(
    Enterprise,
    (
        "id", "name", "credit_code", "region_id", "ownership", "industry", "above_scale",
        "employee_count", "has_union",
    ),
)  # fmt: skip
UNIONS = Table(
    UnionOrganisation,
    ("id", "name", "kind", "region_id", "enterprise_id", "member_count", "founded_on"),
)
WORKERS = Table(
    Worker,
    (
        "id", "name", "id_number", "gender", "birth_date", "phone", "region_id", "enterprise_id",
        "occupation", "employment_form", "union_member", "union_joined_on",
    ),
)  # fmt: skip
HONOURS = Table(Honour, ("id", "worker_id", "title_id", "year"))
CERTIFICATES = Table(
    SkillCertificate,
    (
        "id", "worker_id", "level", "occupation", "certified_on", "issuer_kind", "issuer",
        "issuing_enterprise_id", "number",
    ),
)  # fmt: skip
MENTORSHIPS = Table(
    Mentorship, ("id", "master_id", "apprentice_id", "started_on", "ended_on", "outcome")
)
STUDIOS = Table(
    InnovationStudio,
    (
        "id", "name", "kind", "level", "enterprise_id", "region_id", "leader_id", "member_count",
        "industry", "named_year", "revoked_year",
    ),
)  # fmt: skip
ACHIEVEMENTS = Table(
    Achievement,
    ("id", "studio_id", "region_id", "title", "kind", "year", "patent_number", "economic_benefit"),
)
VISITS = Table(
    ServiceVisit,
    (
        "id", "title", "date", "region_id", "craftsmen_count", "enterprises_served",
        "problems_collected", "problems_solved", "workers_trained", "economic_benefit",
    ),
)  # fmt: skip
VISIT_CRAFTSMEN = Table(ServiceVisit.craftsmen.through, ("id", "servicevisit_id", "worker_id"))
PROBLEMS = Table(
    ServiceProblem,
    (
        "id",
        "visit_id",
        "enterprise_id",
        "description",
        "expert_id",
        "status",
        "reported_on",
        "solved_on",
    ),
)
PROVIDERS = Table(TrainingProvider, ("id", "name", "kind", "region_id", "parent_id"))
SESSIONS = Table(
    TrainingSession,
    (
        "id", "title", "provider_id", "region_id", "category", "start_date", "end_date", "hours",
        "declared_headcount", "subsidy",
    ),
)  # fmt: skip
ENROLMENTS = Table(Enrolment, ("id", "session_id", "worker_id", "attended", "passed", "certified"))
COMPETITIONS = Table(
    Competition,
    ("id", "name", "level", "tier", "trade", "held_on", "region_id", "participant_count"),
)
RESULTS = Table(
    CompetitionResult, ("id", "competition_id", "worker_id", "rank", "award", "title_granted")
)
SUBSIDIES = Table(
    EducationSubsidy, ("id", "worker_id", "school", "major", "level", "year", "amount", "status")
)
STATIONS = Table(
    ServiceStation,
    (
        "id", "name", "region_id", "address", "latitude", "longitude", "host", "open_24h",
        "facilities", "opened_on", "upgraded_year", "status",
    ),
    json_columns=frozenset({"facilities"}),
)  # fmt: skip
CASES = Table(
    HardshipCase,
    (
        "id", "worker_id", "level", "causes", "family_size", "monthly_income_per_head", "source",
        "status", "filed_on", "closed_on", "reason", "verification_note",
    ),
    json_columns=frozenset({"causes"}),
)  # fmt: skip
# What a county writes when it has visited the home and found the hardship real.
VERIFIED_NOTE = "入户核实，情况属实。"
GRANTS = Table(AssistanceGrant, ("id", "case_id", "kind", "amount", "granted_on", "fund_source"))
TRIPS = Table(
    RecuperationTrip,
    (
        "id", "title", "destination", "start_date", "days", "region_id", "declared_headcount",
        "cost_per_person", "funding",
    ),
)  # fmt: skip
TRIP_PARTICIPANTS = Table(
    RecuperationTrip.participants.through, ("id", "recuperationtrip_id", "worker_id")
)
PAIRINGS = Table(CarePairing, ("id", "senior_id", "carer_id", "started_on"))
PILOTS = Table(
    PilotUnit,
    (
        "id", "programme_id", "unit_type", "name", "region_id", "enterprise_id", "team_name",
        "level", "batch_year", "status",
    ),
)  # fmt: skip
TARGETS = Table(Target, ("id", "region_id", "indicator", "year", "value"))

# Parents before children: the database sink writes its buffers in this order.
TABLES: tuple[Table, ...] = (
    ENTERPRISES, UNIONS, WORKERS, HONOURS, CERTIFICATES, MENTORSHIPS, STUDIOS, ACHIEVEMENTS,
    VISITS, VISIT_CRAFTSMEN, PROBLEMS, PROVIDERS, SESSIONS, ENROLMENTS, COMPETITIONS, RESULTS,
    SUBSIDIES, STATIONS, CASES, GRANTS, TRIPS, TRIP_PARTICIPANTS, PAIRINGS, PILOTS, TARGETS,
)  # fmt: skip
# The domain models the demo fills (through tables aside): demo records go only into a ledger
# where all of them are still empty.
DEMO_MODELS: tuple[type[models.Model], ...] = tuple(
    table.model for table in TABLES if not table.model._meta.auto_created
)

# Per worker (or per N) rates; the minimum keeps every table populated on a tiny demo.
RATES: dict[str, tuple[float, int]] = {
    "enterprises": (1 / 30, 1),
    "seniors": (1 / 1000, 3),
    "studios": (1 / 500, 12),
    "visits": (1 / 170, 12),
    "sessions": (1 / 60, 18),
    "competitions": (1 / 700, 10),
    "stations": (1 / 300, 12),
    "trips": (1 / 1500, 8),
    "cases": (0.012, 12),
    "subsidies": (0.02, 8),
    "mentorships": (0.02, 8),
    "providers": (1 / 20_000, 6),
}
AGE_BRACKETS = ((18, 25, 15), (26, 35, 30), (36, 45, 27), (46, 55, 20), (56, 65, 7), (66, 72, 1))
NEW_FORM_SHARE = 0.08
# Highest skill level of a certificate holder: 高级工 and above are ~30 % of the skilled.
SKILL_WEIGHTS = (3, 25, 42, 20, 7, 2.5, 0.35, 0.15)
# Minimum age for a level (技师 at 28, 特级/首席技师 at 35).
SKILL_MIN_AGE = (16, 18, 19, 22, 28, 30, 35, 35)
HONOUR_CHANCE = (0.004, 0.004, 0.006, 0.009, 0.03, 0.06, 0.12, 0.3, 0.4)  # by skill level + 1
HONOUR_LEVEL_WEIGHTS = (40, 22, 20, 12, 5, 1)  # enterprise … national
HONOUR_LEVEL_WEIGHTS_SKILLED = (25, 18, 24, 20, 11, 2)
CASE_STATUS_WEIGHTS: dict[str, float] = {
    CaseStatus.REPORTED: 8,
    CaseStatus.VERIFIED: 7,
    CaseStatus.FILED: 25,
    CaseStatus.AIDED: 35,
    CaseStatus.CLOSED: 20,
    CaseStatus.REJECTED: 5,
}
FACILITY_CHANCE: dict[str, float] = {
    Facility.WATER: 1.0,
    Facility.HOT_MEAL: 0.7,
    Facility.REST: 1.0,
    Facility.CHARGING: 0.75,
    Facility.TOILET: 0.6,
    Facility.MEDICINE: 0.8,
    Facility.AIR_CONDITIONING: 0.6,
    Facility.READING: 0.35,
    Facility.LEGAL_ADVICE: 0.3,
}
START = datetime.date(data.FIRST_YEAR, 1, 1).toordinal()
END = data.DEMO_END.toordinal()


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` in proportion to `weights`, rounding by largest remainder (sums exactly)."""
    weight_sum = sum(weights)
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    raw = [total * w / weight_sum for w in weights]
    shares = [int(x) for x in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: (shares[i] - raw[i], i))
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


def short_name(name: str) -> str:
    """瑞安市 → 瑞安, 景宁畲族自治县 → 景宁, 凤桥镇 → 凤桥 (as local titles and names use them)."""
    for suffix in ("畲族自治县", "街道", "市", "区", "县", "镇"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


@dataclass(frozen=True)
class Place:
    code: str
    name: str


@dataclass(frozen=True)
class County:
    code: str
    name: str
    city: Place
    mountain_island: bool
    towns: tuple[Place, ...]


@dataclass(frozen=True)
class Context:
    """What the generator reads from the database: regions, reference tables, first free ids."""

    province: Place
    cities: tuple[Place, ...]
    counties: tuple[County, ...]
    titles: dict[str, tuple[int, int, str]]  # name → (id, level, kind)
    programmes: dict[str, int]
    first_ids: dict[Table, int]


def local_titles(
    cities: Iterable[Place], counties: Iterable[County]
) -> list[tuple[str, int, str, str]]:
    """City, county and town honour titles (name, level, kind, awarded by) that the reference
    fixture leaves to local imports."""
    titles: list[tuple[str, int, str, str]] = [
        (f"{city.name}劳动模范", Level.CITY, "model_worker", f"{city.name}人民政府")
        for city in cities
    ]
    for county in counties:
        titles.append(
            (f"{county.name}劳动模范", Level.COUNTY, "model_worker", f"{county.name}人民政府")
        )
        for town in county.towns:
            name = data.TOWN_TITLES.get(town.code, f"{short_name(town.name)}工匠")
            titles.append((name, Level.TOWN, "craftsman", f"{town.name}总工会"))
    return titles


def ensure_towns(using: str = "default") -> None:
    """Create the demo towns that are missing (each checked against its county first) and give
    renamed ones their demo name back."""
    regions = Region.objects.using(using)
    existing = dict(regions.filter(level=RegionLevel.TOWN).values_list("code", "name"))
    counties = regions.in_bulk({county for county, _code, _name in data.DEMO_TOWNS})
    missing = []
    for county_code, code, name in data.DEMO_TOWNS:
        if code not in existing:
            town = Region(
                code=code, name=name, level=RegionLevel.TOWN, parent=counties[county_code]
            )
            town.full_clean(validate_unique=False, validate_constraints=False)
            missing.append(town)
        elif existing[code] != name:
            regions.filter(code=code).update(name=name)
    regions.bulk_create(missing)


def load_context(using: str = "default") -> Context:
    regions = list(
        Region.objects.using(using)
        .exclude(level=RegionLevel.TOWN)
        .order_by("code")
        .values_list("code", "name", "level", "parent_id", "mountain_island")
    )
    province = next(Place(code, name) for code, name, level, *_ in regions if level == "province")
    cities = {code: Place(code, name) for code, name, level, *_ in regions if level == "city"}
    towns: dict[str, list[Place]] = defaultdict(list)
    for county_code, code, name in sorted(data.DEMO_TOWNS, key=lambda town: town[1]):
        towns[county_code].append(Place(code, name))
    counties = tuple(
        County(code, name, cities[parent], mountain, tuple(towns.get(code, ())))
        for code, name, level, parent, mountain in regions
        if level == "county"
    )
    known = set(HonourTitle.objects.using(using).values_list("name", flat=True))
    HonourTitle.objects.using(using).bulk_create(
        HonourTitle(name=name, level=level, kind=kind, awarded_by=awarded_by)
        for name, level, kind, awarded_by in local_titles(cities.values(), counties)
        if name not in known
    )
    titles = {
        name: (pk, level, kind)
        for pk, name, level, kind in HonourTitle.objects.using(using).values_list(
            "pk", "name", "level", "kind"
        )
    }
    programmes = dict(Programme.objects.using(using).values_list("name", "pk"))
    first_ids = {
        table: (table.model._default_manager.using(using).aggregate(m=models.Max("pk"))["m"] or 0)
        + 1
        for table in TABLES
    }
    return Context(province, tuple(cities.values()), counties, titles, programmes, first_ids)


def existing_demo_models(using: str = "default") -> list[type[models.Model]]:
    return [model for model in DEMO_MODELS if model._default_manager.using(using).exists()]


def generate(*, workers: int, using: str = "default", batch_size: int = 20_000) -> dict[str, int]:
    """Write the demo ledger for `workers` workers; returns the rows written per model label."""
    context = load_context(using)
    sink = DatabaseSink(TABLES, using=using, batch_size=batch_size)
    connection = connections[using]
    postgres = connection.vendor == "postgresql"
    if postgres:
        # Check foreign keys batch by batch instead of queueing millions of checks until commit.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    Generator(context, workers=workers, sink=sink).run()
    sink.finish()
    if postgres:
        # Back to Django's default for the rest of the transaction (a failure rolls it back).
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return {table.label: count for table, count in sink.counts.items()}


@dataclass(slots=True)
class Employer:
    id: int
    name: str
    short: str
    region: str
    industry: str
    above_scale: bool
    has_union: bool
    weight: float
    ownership: str = "non_public"
    platform: str = ""  # the employment form of a platform franchisee's workers
    workers: int = 0
    members: int = 0


@dataclass(slots=True)
class Person:
    id: int
    region: str
    employer: Employer | None
    age: int
    male: bool
    form: str
    occupation: str
    birth: datetime.date
    name: str
    skill: int = -1  # highest certificate level, -1 without one
    honour: int = 0  # highest honour level, 0 without one


@dataclass
class Tally:
    """Per-region numbers the targets are set against."""

    union_members: int = 0
    skilled_from: Counter[int] = field(default_factory=Counter)  # year of the first certificate
    high_skilled_from: Counter[int] = field(default_factory=Counter)
    craftsmen_from: Counter[int] = field(default_factory=Counter)
    studios: Counter[int] = field(default_factory=Counter)  # active studios per year
    service_visits: Counter[int] = field(default_factory=Counter)
    training_sessions: Counter[int] = field(default_factory=Counter)
    stations: Counter[int] = field(default_factory=Counter)  # in service at the end of a year

    def value(self, indicator: str, year: int) -> int:
        """The indicator's value in `year` (docs/indicators.md), from what was generated."""
        cumulative = {
            "skilled_workers": self.skilled_from,
            "high_skilled_workers": self.high_skilled_from,
            "craftsmen": self.craftsmen_from,
        }
        if indicator == "union_members":
            return self.union_members
        if indicator in cumulative:
            return sum(n for y, n in cumulative[indicator].items() if y <= year)
        counter: Counter[int] = getattr(self, indicator)
        return counter[year]

    def add(self, other: Tally) -> None:
        self.union_members += other.union_members
        for name in (
            "skilled_from",
            "high_skilled_from",
            "craftsmen_from",
            "studios",
            "service_visits",
            "training_sessions",
            "stations",
        ):
            getattr(self, name).update(getattr(other, name))


class Generator:
    """Emits the rows of the demo ledger for one N, always the same ones."""

    def __init__(self, context: Context, *, workers: int, sink: Sink) -> None:
        self.context = context
        self.total_workers = workers
        self.sink = sink
        self.rng = random.Random(SEED)  # noqa: S311 (demo data, not secrets)
        self.next_ids = dict(context.first_ids)
        self.credit_codes: set[str] = set()
        self.certificate_serial = itertools.count(1)
        self.case_serial = itertools.count()
        self.competition_names: set[tuple[str, datetime.date]] = set()
        self.tallies: dict[str, Tally] = defaultdict(Tally)
        # Workers that province- and city-level events may draw from, a bounded sample per city.
        self.city_pool: dict[str, list[Person]] = defaultdict(list)
        self.city_seen: Counter[str] = Counter()
        self.city_employers: dict[str, list[Employer]] = defaultdict(list)
        self.providers: dict[str, list[int]] = defaultdict(list)  # region → provider ids
        self.year_cumulative = tuple(itertools.accumulate(data.YEAR_WEIGHTS))
        self.titles = TitleBook(context)

    # -- small helpers ------------------------------------------------------------------------

    def new_id(self, table: Table) -> int:
        pk = self.next_ids[table]
        self.next_ids[table] = pk + 1
        return pk

    def emit(self, table: Table, *values: Any) -> int:
        pk = self.new_id(table)
        self.sink.add(table, (pk, *values))
        return pk

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, options: Sequence[T]) -> T:
        return options[int(self.rng.random() * len(options))]

    def weighted(self, options: Sequence[T], weights: Sequence[float]) -> T:
        return self.rng.choices(options, weights)[0]

    def year(self) -> int:
        return self.rng.choices(data.YEARS, cum_weights=self.year_cumulative)[0]

    def day_in(self, year: int) -> datetime.date:
        first = datetime.date(year, 1, 1).toordinal()
        last = min(datetime.date(year, 12, 31).toordinal(), END)
        return datetime.date.fromordinal(self.rng.randint(first, last))

    def day_between(self, first: int, last: int) -> datetime.date:
        return datetime.date.fromordinal(self.rng.randint(first, max(first, last)))

    def recent_day(self, first: int) -> datetime.date:
        """A day from `first` to the end, more often recent (records pile up in later years)."""
        span = max(0, END - first)
        return datetime.date.fromordinal(first + int(span * self.rng.random() ** 0.6))

    def money(self, low: int, high: int, step: int = 100) -> Decimal:
        return Decimal(self.rng.randrange(low // step, high // step + 1) * step)

    def region_in(self, county: County, town_share: float = 0.6) -> str:
        if county.towns and self.chance(town_share):
            return self.pick(county.towns).code
        return county.code

    def place_name(self, code: str, county: County) -> str:
        for town in county.towns:
            if town.code == code:
                return town.name
        return county.name

    def sample(self, people: Sequence[T], k: int) -> list[T]:
        return self.rng.sample(people, min(k, len(people)))

    # -- the run ------------------------------------------------------------------------------

    def run(self) -> None:
        counties = self.context.counties
        weights = self.county_weights()
        workers = apportion(self.total_workers, weights)
        quotas = {
            name: apportion(max(minimum, round(rate * self.total_workers)), workers)
            for name, (rate, minimum) in RATES.items()
        }
        self.top_providers()
        for index, county in enumerate(counties):
            CountyBuilder(
                self, county, workers[index], {k: v[index] for k, v in quotas.items()}
            ).run()
        self.province_and_city_events()
        self.federations()
        self.pilots_of_growth_programme()
        self.targets()
        self.sink.flush()

    def county_weights(self) -> list[float]:
        raw = [
            (0.6 + self.rng.random()) * (0.6 if county.mountain_island else 1.0)
            for county in self.context.counties
        ]
        per_city: dict[str, float] = defaultdict(float)
        for county, weight in zip(self.context.counties, raw, strict=True):
            per_city[county.city.code] += weight
        return [
            data.CITY_WEIGHTS[county.city.code] * weight / per_city[county.city.code]
            for county, weight in zip(self.context.counties, raw, strict=True)
        ]

    def remember(self, person: Person, city: str) -> None:
        """Reservoir-sample the city's workers for province- and city-level events."""
        self.city_seen[city] += 1
        pool = self.city_pool[city]
        if len(pool) < 400:
            pool.append(person)
        else:
            slot = self.rng.randrange(self.city_seen[city])
            if slot < 400:
                pool[slot] = person

    def top_providers(self) -> None:
        province = self.context.province.code
        academy = self.emit(PROVIDERS, data.ACADEMY, "academy", province, None)
        self.providers[province].append(academy)
        for city in self.context.cities:
            branch = f"{data.ACADEMY}{short_name(city.name)}分院"
            self.providers[city.code].append(
                self.emit(PROVIDERS, branch, "branch", city.code, academy)
            )
        for provider in data.SEED_PROVIDERS:
            self.providers[provider.region].append(
                self.emit(PROVIDERS, provider.name, provider.kind, provider.region, None)
            )

    # -- province and city level ----------------------------------------------------------------

    def province_and_city_events(self) -> None:
        province = self.context.province
        everyone = [p for city in self.context.cities for p in self.city_pool[city.code]]
        per_year = 1 + self.total_workers // 200_000
        for year in data.YEARS:
            for _ in range(per_year):
                trade = self.pick(everyone).occupation if everyone else "焊工"
                self.competition(
                    province.code,
                    f"{year}年浙江省职工职业技能竞赛（{trade}）",
                    Level.PROVINCIAL,
                    self.day_in(year),
                    trade,
                    everyone,
                    title="浙江金蓝领",
                    tier=self.pick(("key", "demonstration")),
                )
            for serial in range(1, per_year + 1):
                self.session(
                    province.code,
                    f"浙江工匠学院高技能人才研修班（{year}年第{serial}期）",
                    "skills",
                    self.day_in(year),
                    everyone,
                    provider=self.providers[province.code][0],
                )
            honoured = [p for p in everyone if p.honour] or everyone
            self.trip(province.code, f"{year}年浙江工匠疗休养", self.day_in(year), honoured)
        domestic = [p for p in everyone if not p.male and p.form in ("domestic", "standard")]
        self.competition(
            province.code,
            "2025年全省女职工生活照料服务职业技能竞赛",
            Level.PROVINCIAL,
            datetime.date(2025, 5, 28),
            "家政服务",
            domestic,
            title="浙江金蓝领",
            declared=83,
            results=22,
            tier="demonstration",
        )
        for city in self.context.cities:
            pool = self.city_pool[city.code]
            # City events grow with the city's workforce: a tiny demo gets one of each.
            events = max(1, round(self.city_seen[city.code] / 20_000))
            for serial in range(1, events + 1):
                held_on = self.day_in(self.year())
                trade = self.pick(pool).occupation if pool else "电工"
                self.competition(
                    city.code,
                    f"{held_on.year}年{city.name}职工职业技能竞赛（{trade}）",
                    Level.CITY,
                    held_on,
                    trade,
                    pool,
                    title=f"{city.name}技术能手",
                )
                start = self.day_in(self.year())
                self.session(
                    city.code,
                    f"{city.name}劳模工匠讲师培训班（{start.year}年第{serial}期）",
                    "other",
                    start,
                    pool,
                    provider=self.providers[city.code][0],
                )
        wenzhou = [p for p in self.city_pool["330300"] if p.form != "standard" or p.honour]
        self.trip(
            "330300",
            "温州市关爱一线职工疗休养活动",
            datetime.date(2021, 3, 2),
            wenzhou,
            destination="乐清雁荡山",
            days=2,
            size=40,
        )
        self.session(
            "331000",
            "台州市首期产业工人班组长创新赋能培训班",
            "team_leader",
            datetime.date(2023, 3, 16),
            [],
            declared=60,
        )
        mountain = [county for county in self.context.counties if county.mountain_island]
        craftsmen = [p for p in everyone if p.honour]
        for year in (2025, 2026):
            for county in self.sample(mountain, 8):
                self.visit(
                    county,
                    f"劳模工匠助企行进山区海岛县专项行动（{county.name}专场）",
                    self.day_in(year),
                    craftsmen,
                    [],
                )

    def competition(
        self,
        region: str,
        name: str,
        level: int,
        held_on: datetime.date,
        trade: str,
        pool: Sequence[Person],
        *,
        title: str = "",
        declared: int | None = None,
        results: int | None = None,
        tier: str = "",
    ) -> None:
        base, serial = name, 1
        while (name, held_on) in self.competition_names:
            serial += 1
            name = f"{base}（第{serial}场）"
        self.competition_names.add((name, held_on))
        count = results if results is not None else self.rng.randint(5, 20)
        winners = self.sample(pool, count)
        if declared is None and self.chance(0.8):
            declared = len(winners) + self.rng.randint(10, 150)
        if not tier:
            tier = self.weighted(("key", "demonstration", "regular"), (10, 25, 65))
        competition = self.emit(COMPETITIONS, name, level, tier, trade, held_on, region, declared)
        for rank, person in enumerate(winners, start=1):
            award = (
                "first"
                if rank == 1
                else "second"
                if rank <= 3
                else "third"
                if rank <= 6
                else "merit"
            )
            granted = title if rank <= 3 and level >= Level.CITY else ""
            self.emit(RESULTS, competition, person.id, rank, award, granted)

    def session(
        self,
        region: str,
        title: str,
        category: str,
        start: datetime.date,
        pool: Sequence[Person],
        *,
        provider: int | None = None,
        declared: int | None = None,
    ) -> None:
        hours = Decimal(
            self.rng.randint(24, 120) if category == "skills" else self.rng.randint(4, 40)
        )
        end = start + datetime.timedelta(days=0 if hours <= 8 else self.rng.randint(1, 30))
        subsidy = self.money(2000, 200_000) if self.chance(0.4) else None
        roster: list[Person] = []
        if declared is None:
            if len(pool) >= 15 and self.chance(0.4):
                roster = self.sample(pool, self.rng.randint(15, 60))
            else:
                declared = self.rng.randint(20, 300)
        session = self.emit(
            SESSIONS, title, provider, region, category, start, end, hours, declared, subsidy
        )
        for person in roster:
            attended = self.chance(0.95)
            passed = attended and self.chance(0.85)
            certified = passed and category == "skills" and self.chance(0.4)
            self.emit(ENROLMENTS, session, person.id, attended, passed, certified)
        self.tallies[region].training_sessions[start.year] += 1

    def trip(
        self,
        region: str,
        title: str,
        start: datetime.date,
        pool: Sequence[Person],
        *,
        destination: str = "",
        days: int | None = None,
        size: int | None = None,
    ) -> None:
        participants: list[Person] = []
        declared = None
        wanted = size or self.rng.randint(10, 40)
        # A named trip (a given size) lists whoever the ledger has; others half the time.
        if pool and (size is not None or (len(pool) >= 10 and self.chance(0.5))):
            participants = self.sample(pool, wanted)
        else:
            declared = size or self.rng.randint(20, 200)
        trip = self.emit(
            TRIPS,
            title,
            destination or self.pick(data.DESTINATIONS),
            start,
            days or self.rng.randint(2, 5),
            region,
            declared,
            self.money(300, 2500),
            self.weighted(("union", "enterprise", "mixed"), (60, 15, 25)),
        )
        for person in participants:
            self.emit(TRIP_PARTICIPANTS, trip, person.id)

    def visit(
        self,
        county: County,
        title: str,
        day: datetime.date,
        craftsmen: Sequence[Person],
        employers: Sequence[Employer],
        *,
        region: str = "",
        problems: int | None = None,
    ) -> None:
        linked = self.sample(craftsmen, self.rng.randint(2, 6)) if self.chance(0.6) else []
        if problems is not None:
            linked = self.sample(craftsmen, 4)
        listed = problems if problems is not None else 0
        if problems is None and linked and self.chance(0.5):
            listed = self.rng.randint(1, 7)
        statuses: list[tuple[str, datetime.date | None]] = []
        for _ in range(listed):
            status = self.weighted(("solved", "in_progress", "open"), (55, 30, 15))
            solved_on = None
            if status == "solved":
                solved = day.toordinal() + self.rng.randint(1, 120)
                if solved > END:
                    status = "in_progress"
                else:
                    solved_on = datetime.date.fromordinal(solved)
            statuses.append((status, solved_on))
        if listed:
            collected, solved_count = listed, sum(1 for s, _d in statuses if s == "solved")
        else:
            collected = self.rng.randint(0, 10)
            solved_count = self.rng.randint(0, collected)
        benefit = self.money(10_000, 3_000_000) if self.chance(0.6) else None
        visit = self.emit(
            VISITS,
            title,
            day,
            region or county.code,
            0 if linked else self.rng.randint(3, 12),
            self.rng.randint(1, 6),
            collected,
            solved_count,
            self.rng.randint(0, 120),
            benefit,
        )
        for person in linked:
            self.emit(VISIT_CRAFTSMEN, visit, person.id)
        for description, (status, solved_on) in zip(
            self.sample(data.PROBLEMS, listed), statuses, strict=False
        ):
            employer = self.pick(employers).id if employers else None
            expert = self.pick(linked).id if linked else None
            self.emit(PROBLEMS, visit, employer, description, expert, status, day, solved_on)
        self.tallies[region or county.code].service_visits[day.year] += 1

    def federations(self) -> None:
        """The federations of unions above the counties, with their members."""
        province = self.context.province.code
        total = 0
        for city in self.context.cities:
            members = sum(
                tally.union_members
                for code, tally in self.tallies.items()
                if code[:4] == city.code[:4]
            )
            total += members
            self.emit(
                UNIONS,
                f"{city.name}总工会",
                "federation",
                city.code,
                None,
                members,
                datetime.date(1950, 5, 1),
            )
        self.emit(
            UNIONS, "浙江省总工会", "federation", province, None, total, datetime.date(1950, 5, 1)
        )

    def pilots_of_growth_programme(self) -> None:
        """温州's first batch of 职工成长型社会 enterprises and teams, from its larger employers."""
        programme = self.context.programmes.get(data.GROWTH_PROGRAMME)
        if programme is None:
            return
        employers = self.city_employers[data.GROWTH_CITY]
        chosen = self.sample(employers, data.GROWTH_FIRST_BATCH[0])
        for employer in chosen:
            self.emit(
                PILOTS,
                programme,
                "enterprise",
                employer.name,
                employer.region,
                employer.id,
                "",
                Level.CITY,
                2023,
                "named",
            )
        for employer in chosen[: data.GROWTH_FIRST_BATCH[1]]:
            team = self.pick(data.TEAM_WORKSHOPS) + self.pick(data.TEAM_SUFFIXES)
            self.emit(
                PILOTS,
                programme,
                "team",
                employer.name,
                employer.region,
                employer.id,
                team,
                Level.CITY,
                2023,
                "named",
            )

    def targets(self) -> None:
        seeded = {
            (region, indicator, year): value for region, indicator, year, value in data.SEED_TARGETS
        }
        province = self.context.province.code
        regions = [province]
        regions += [city.code for city in self.context.cities]
        regions += [county.code for county in self.context.counties]
        totals: dict[str, Tally] = {code: Tally() for code in regions}
        for code, tally in self.tallies.items():
            # A record counts for its own region and every region above it.
            for region in dict.fromkeys((code[:6], code[:4] + "00", province)):
                if region in totals:
                    totals[region].add(tally)
        for region in regions:
            for indicator in data.TARGET_INDICATORS:
                for year in data.YEARS:
                    actual = totals[region].value(indicator, year)
                    if actual and (region, indicator, year) not in seeded:
                        target = max(1, round(actual * (0.9 + 0.3 * self.rng.random())))
                        self.emit(TARGETS, region, indicator, year, Decimal(target))
        for (region, indicator, year), value in seeded.items():
            self.emit(TARGETS, region, indicator, year, Decimal(value))


class TitleBook:
    """Which honour titles a worker of a given place can hold, per level."""

    def __init__(self, context: Context) -> None:
        self.titles = context.titles

    def get(self, name: str) -> tuple[int, str] | None:
        found = self.titles.get(name)
        return (found[0], found[2]) if found else None

    def options(
        self, level: int, county: County, region: str, industry: str
    ) -> list[tuple[int, str]]:
        names: tuple[str, ...]
        if level == Level.NATIONAL:
            names = (
                "全国劳动模范",
                "全国五一劳动奖章",
                "全国五一劳动奖章",
                "全国技术能手",
                "大国工匠",
            )
            if industry == "纺织服装":
                names += ("中国纺织大工匠",)
        elif level == Level.PROVINCIAL:
            names = (
                "浙江省劳动模范",
                "浙江省五一劳动奖章",
                "浙江工匠",
                "浙江工匠",
                "浙江杰出工匠",
                "浙江青年工匠",
                "浙江金蓝领",
                "浙江金蓝领",
                "浙江省技术能手",
            )
        elif level == Level.CITY:
            names = (f"{county.city.name}劳动模范", *data.CITY_TITLES.get(county.city.code, ()))
        elif level == Level.COUNTY:
            names = (f"{county.name}劳动模范", *data.COUNTY_TITLES.get(county.code, ()))
        elif level == Level.TOWN:
            town = next((t for t in county.towns if t.code == region), None)
            if town is None:
                return []
            names = (data.TOWN_TITLES.get(town.code, f"{short_name(town.name)}工匠"),)
        else:
            names = ("企业劳动模范", "企业首席技师")
        return [title for title in map(self.get, names) if title is not None]


class CountyBuilder:
    """One county: its employers, workers and everything recorded about them."""

    def __init__(
        self, generator: Generator, county: County, workers: int, quota: dict[str, int]
    ) -> None:
        self.g = generator
        self.rng = generator.rng
        self.county = county
        self.size = workers
        self.quota = quota
        self.tally = generator.tallies[county.code]
        self.employers: list[Employer] = []
        self.people: list[Person] = []
        self.seniors: list[Person] = []
        self.used_ids: set[int] = set()
        self.seeded: set[int] = set()
        self.achievement_titles: set[tuple[str, int, str]] = set()
        self.provider_names = {p.name for p in data.SEED_PROVIDERS if p.region == county.code}
        self.quota["seniors"] = min(self.quota["seniors"], workers)
        industries = list(data.BASE_INDUSTRY_WEIGHTS)
        weights = [
            w * (6 if name in data.COUNTY_SPECIALTIES.get(county.code, ()) else 1)
            for name, w in data.BASE_INDUSTRY_WEIGHTS.items()
        ]
        self.industries = industries
        self.industry_cumulative = list(itertools.accumulate(weights))

    def run(self) -> None:
        g = self.g
        self.make_employers()
        assignments = self.assign_workers()
        self.emit_employers()
        for form, employer in assignments:
            self.worker(form, employer)
        for _ in range(self.quota["seniors"]):
            self.senior()
        self.unions()
        self.mentorships()
        self.care_pairings()
        self.subsidies()
        self.hardship()
        self.studios()
        self.visits()
        self.training()
        self.competitions()
        self.stations()
        self.trips()
        self.pilots()
        big = [e for e in self.employers if e.above_scale and not e.platform]
        g.city_employers[self.county.city.code].extend(big)

    # -- employers ----------------------------------------------------------------------------

    def industry(self) -> str:
        return self.rng.choices(self.industries, cum_weights=self.industry_cumulative)[0]

    def make_employers(self) -> None:
        g, county = self.g, self.county
        for seed in data.SEED_ENTERPRISES:
            if seed.region[:6] == county.code:
                self.employers.append(
                    Employer(
                        g.new_id(ENTERPRISES),
                        seed.name,
                        seed.short_name,
                        seed.region,
                        seed.industry,
                        True,
                        True,
                        float(seed.size),
                        seed.ownership,
                    )
                )
                self.seeded.add(self.employers[-1].id)
        count = self.quota["enterprises"]
        if self.size and not count and not self.employers:
            count = 1
        new_form = self.size * NEW_FORM_SHARE
        platforms = min(count // 3, max(0, round(new_form / 40)) + (1 if new_form >= 1 else 0))
        names: set[str] = {e.name for e in self.employers}
        place = short_name(county.name)
        forms = list(data.NEW_FORM_WEIGHTS)
        for index in range(platforms):
            form = forms[index % len(forms)]
            brand = data.PLATFORM_BRANDS[form][
                index // len(forms) % len(data.PLATFORM_BRANDS[form])
            ]
            name = f"{county.name}{brand}服务有限公司"
            if name in names:
                continue
            names.add(name)
            industry = "家政服务" if form == "domestic" else "物流快递"
            self.employers.append(
                Employer(
                    g.new_id(ENTERPRISES),
                    name,
                    brand,
                    self.g.region_in(county),
                    industry,
                    False,
                    self.rng.random() < 0.5,
                    1.0,
                    platform=form,
                )
            )
        for _ in range(count - platforms):
            industry = self.industry()
            for _attempt in range(5):
                brand = self.g.pick(data.BRAND_FIRST) + self.g.pick(data.BRAND_SECOND)
                word = self.g.pick(data.INDUSTRIES[industry].name_words)
                prefix = self.g.pick((place, "浙江", place))
                name = f"{prefix}{brand}{word}{self.g.pick(data.COMPANY_SUFFIXES)}"
                if name not in names:
                    break
            else:
                continue
            names.add(name)
            above = g.chance(0.18)
            size = (1.0 / (1.0 - self.rng.random()) ** 0.8) * (4 if above else 1)
            has_union = g.chance(0.85 if above else 0.45)
            self.employers.append(
                Employer(
                    g.new_id(ENTERPRISES),
                    name,
                    brand + word,
                    g.region_in(county),
                    industry,
                    above,
                    has_union,
                    min(size, 80.0),
                )
            )

    def assign_workers(self) -> list[tuple[str, Employer | None]]:
        ordinary = [e for e in self.employers if not e.platform]
        cumulative = list(itertools.accumulate(e.weight for e in ordinary))
        by_form: dict[str, list[Employer]] = defaultdict(list)
        for platform in self.employers:
            if platform.platform:
                by_form[platform.platform].append(platform)
        forms = list(data.NEW_FORM_WEIGHTS)
        form_weights = list(data.NEW_FORM_WEIGHTS.values())
        assignments: list[tuple[str, Employer | None]] = []
        for _ in range(self.size - self.quota["seniors"]):
            employer: Employer | None = None
            if self.g.chance(NEW_FORM_SHARE):
                form = self.rng.choices(forms, form_weights)[0]
                if by_form[form] and self.g.chance(0.6):
                    employer = self.g.pick(by_form[form])
            else:
                form = "standard"
                if ordinary:
                    employer = ordinary[
                        bisect.bisect(cumulative, self.rng.random() * cumulative[-1])
                    ]
            if employer is not None:
                employer.workers += 1
            assignments.append((form, employer))
        return assignments

    def emit_employers(self) -> None:
        g = self.g
        for e in self.employers:
            ownership = e.ownership
            if e.id not in self.seeded and g.chance(0.1):
                ownership = g.weighted(("state", "collective", "foreign"), (4, 2, 3))
            code = ""
            while not code or code in g.credit_codes:
                code = ids.credit_code(
                    self.rng, self.county.code, "51" if ownership == "other" else "91"
                )
            g.credit_codes.add(code)
            employees = round(e.workers * (1 + self.rng.random() * 0.5)) if e.workers else None
            g.sink.add(
                ENTERPRISES,
                (
                    e.id,
                    e.name,
                    code,
                    e.region,
                    ownership,
                    e.industry,
                    e.above_scale,
                    employees,
                    e.has_union,
                ),
            )

    # -- workers ------------------------------------------------------------------------------

    def birth(self, age: int, male: bool) -> tuple[datetime.date, str]:
        """A birth date and an ID number for it, unique within the county."""
        while True:
            # At least `age` full years before the end date, whatever the leap days.
            born = END - round(age * 365.25) - 1 - self.rng.randrange(364)
            sequence = self.rng.randrange(1, 500) * 2 + (1 if male else 0)
            key = born * 1000 + sequence
            if key not in self.used_ids:
                self.used_ids.add(key)
                break
        birth = datetime.date.fromordinal(born)
        return birth, ids.id_number(self.county.code, f"{birth:%Y%m%d}", sequence)

    def worker(self, form: str, employer: Employer | None) -> None:
        g, rng = self.g, self.rng
        low, high, _weight = rng.choices(AGE_BRACKETS, [b[2] for b in AGE_BRACKETS])[0]
        if form != "standard":
            # Platform work is young people's work: nobody under 20 or over 55.
            low, high = max(low, 20), min(high, 55)
            if low > high:
                low = 46
        age = rng.randint(low, high)
        male_share = {
            "domestic": 0.1,
            "courier": 0.9,
            "food_delivery": 0.9,
            "ride_hailing": 0.95,
            "truck_driver": 0.97,
        }.get(form, 0.58)
        male = rng.random() < male_share
        birth, id_number = self.birth(age, male)
        region = employer.region if employer else g.region_in(self.county)
        if form != "standard":
            occupation = data.NEW_FORM_OCCUPATIONS[form]
        else:
            industry = employer.industry if employer else self.industry()
            occupation = g.pick(data.INDUSTRIES[industry].occupations)
        name = ids.person_name(rng, male=male)
        person = Person(
            g.new_id(WORKERS), region, employer, age, male, form, occupation, birth, name
        )
        member_chance = (
            0.55 if form != "standard" else 0.85 if employer and employer.has_union else 0.3
        )
        member = rng.random() < member_chance
        joined = None
        if member:
            self.tally.union_members += 1
            if employer:
                employer.members += 1
            if rng.random() < 0.85:
                adult = birth.toordinal() + 18 * 366
                joined = g.day_between(max(adult, datetime.date(1995, 1, 1).toordinal()), END)
        phone = ids.mobile(rng) if rng.random() < 0.92 else ""
        g.sink.add(
            WORKERS,
            (
                person.id,
                name,
                id_number,
                "M" if male else "F",
                birth,
                phone,
                region,
                employer.id if employer else None,
                occupation,
                form,
                member,
                joined,
            ),
        )
        self.certificates(person)
        self.honours(person)
        self.people.append(person)
        g.remember(person, self.county.city.code)

    def certificates(self, person: Person) -> None:
        g, rng = self.g, self.rng
        if rng.random() >= (0.38 if person.form == "standard" else 0.18):
            return
        level = rng.choices(range(8), SKILL_WEIGHTS)[0]
        while SKILL_MIN_AGE[level] > person.age:
            level -= 1
        adult = person.birth.toordinal() + 18 * 366
        first = max(adult, datetime.date(2010, 1, 1).toordinal())
        if first > END:
            return
        certified = g.recent_day(first)
        earlier: datetime.date | None = None
        if level >= 2 and rng.random() < 0.35 and certified.toordinal() - 400 > first:
            earlier = g.day_between(first, certified.toordinal() - 400)
            self.certificate(person, level - 1, earlier)
        self.certificate(person, level, certified)
        person.skill = level
        first_skilled = earlier if earlier is not None and level - 1 >= 1 else certified
        if level >= 1:
            self.tally.skilled_from[first_skilled.year] += 1
        if level >= 3:
            first_high = earlier if earlier is not None and level - 1 >= 3 else certified
            self.tally.high_skilled_from[first_high.year] += 1

    def certificate(self, person: Person, level: int, day: datetime.date) -> None:
        g, rng = self.g, self.rng
        employer = person.employer
        issuing = None
        if employer and employer.above_scale and rng.random() < 0.5:
            kind, issuer, issuing = "enterprise", employer.name, employer.id
        elif rng.random() < 0.6:
            kind = "social"
            issuer = short_name(self.county.name) + g.pick(data.SKILL_ISSUERS_SOCIAL)
        else:
            kind, issuer = "centre", self.county.city.name + data.ISSUER_CENTRE
        number = None
        if rng.random() < 0.92:
            number = f"S{self.county.code}{day.year}{level}{next(g.certificate_serial):07d}"
        g.emit(
            CERTIFICATES, person.id, level, person.occupation, day, kind, issuer, issuing, number
        )

    def honours(self, person: Person) -> None:
        rng = self.rng
        if rng.random() >= HONOUR_CHANCE[person.skill + 1]:
            return
        weights = HONOUR_LEVEL_WEIGHTS_SKILLED if person.skill >= 4 else HONOUR_LEVEL_WEIGHTS
        level = rng.choices(range(1, 7), weights)[0]
        first = self.honour(person, level, latest=data.LAST_YEAR)
        if first and level > 1 and rng.random() < 0.25:
            self.honour(person, rng.randint(1, level - 1), latest=first - 1)

    def honour(self, person: Person, level: int, *, latest: int, senior: bool = False) -> int:
        """Award one honour of `level` (or the nearest lower level the place has); its year."""
        g, rng = self.g, self.rng
        industry = person.employer.industry if person.employer else ""
        options: list[tuple[int, str]] = []
        while level >= 1:
            options = g.titles.options(level, self.county, person.region, industry)
            if options:
                break
            level -= 1
        if not options:
            return 0
        if senior:
            options = [o for o in options if o[1] == "model_worker"] or options
        title, kind = g.pick(options)
        earliest = person.birth.year + (25 if kind == "model_worker" else 20)
        if senior:
            years = [y for y in data.SENIOR_HONOUR_YEARS if earliest <= y <= latest]
        elif kind == "model_worker" and level >= Level.PROVINCIAL:
            years = [y for y in data.MODEL_WORKER_YEARS if earliest <= y <= latest]
        else:
            years = list(range(max(earliest, 2012), latest + 1))
        if not years:
            return 0
        year = years[min(len(years) - 1, int(len(years) * rng.random() ** 0.5))]
        g.emit(HONOURS, person.id, title, year)
        if not person.honour:
            self.tally.craftsmen_from[year] += 1
        person.honour = max(person.honour, level)
        return year

    def senior(self) -> None:
        """A retired model worker aged 80 or more, for the care pairings."""
        g, rng = self.g, self.rng
        age = rng.randint(80, 90)
        male = rng.random() < 0.7
        birth, id_number = self.birth(age, male)
        region = g.region_in(self.county)
        name = ids.person_name(rng, male=male)
        person = Person(g.new_id(WORKERS), region, None, age, male, "standard", "", birth, name)
        phone = ids.mobile(rng) if rng.random() < 0.5 else ""
        g.sink.add(
            WORKERS,
            (
                person.id,
                name,
                id_number,
                "M" if male else "F",
                birth,
                phone,
                region,
                None,
                "",
                "standard",
                False,
                None,
            ),
        )
        level = g.weighted((Level.NATIONAL, Level.PROVINCIAL, Level.CITY), (1, 4, 5))
        if not self.honour(person, level, latest=2000, senior=True):
            self.honour(person, Level.CITY, latest=data.LAST_YEAR)
        self.seniors.append(person)

    # -- records about workers -----------------------------------------------------------------

    def unions(self) -> None:
        g, county = self.g, self.county
        seeded = {u.enterprise for u in data.SEED_UNIONS}
        members_by_town: Counter[str] = Counter()
        for employer in self.employers:
            if employer.has_union and employer.name not in seeded:
                founded = g.day_between(datetime.date(1995, 1, 1).toordinal(), END)
                g.emit(
                    UNIONS,
                    f"{employer.name}工会委员会",
                    "grassroots",
                    employer.region,
                    employer.id,
                    employer.members or None,
                    founded,
                )
            members_by_town[employer.region] += employer.members
        g.emit(
            UNIONS,
            f"{county.name}总工会",
            "federation",
            county.code,
            None,
            self.tally.union_members,
            datetime.date(1952, 5, 1),
        )
        for town in county.towns:
            g.emit(
                UNIONS,
                f"{town.name}总工会",
                "federation",
                town.code,
                None,
                members_by_town[town.code] or None,
                datetime.date(2005, 1, 1),
            )
        forms = Counter(p.form for p in self.people if p.form != "standard")
        joint = (
            ("courier", "快递小哥联合工会"),
            ("ride_hailing", "网约车联合工会"),
            ("food_delivery", "外卖骑手联合工会"),
        )
        for form, suffix in joint:
            if forms[form]:
                g.emit(
                    UNIONS,
                    f"{county.name}{suffix}",
                    "joint",
                    county.code,
                    None,
                    round(forms[form] * 0.55) or None,
                    g.day_in(g.pick((2021, 2022, 2023))),
                )
        ids_by_name = {e.name: e.id for e in self.employers}
        for union in data.SEED_UNIONS:
            if union.region[:6] == county.code:
                g.emit(
                    UNIONS,
                    union.name,
                    union.kind,
                    union.region,
                    ids_by_name.get(union.enterprise),
                    union.members,
                    union.founded_on,
                )

    def mentorships(self) -> None:
        g = self.g
        masters = [p for p in self.people if p.skill >= 3 or p.honour]
        if not masters:
            masters = [p for p in self.people if p.age >= 35]
        by_employer: dict[int, list[Person]] = defaultdict(list)
        for person in masters:
            if person.employer:
                by_employer[person.employer.id].append(person)
        young = [p for p in self.people if p.age < 40] or self.people
        pairs: set[tuple[int, int, datetime.date]] = set()
        for _ in range(self.quota["mentorships"] if masters else 0):
            apprentice = g.pick(young)
            same = by_employer.get(apprentice.employer.id, []) if apprentice.employer else []
            # A master is some years older than the apprentice.
            master = next(
                (
                    m
                    for m in (g.pick(same or masters) for _ in range(5))
                    if m.age >= apprentice.age + 5
                ),
                None,
            )
            if master is None:
                continue
            started = g.day_in(g.year())
            if (master.id, apprentice.id, started) in pairs:
                continue
            pairs.add((master.id, apprentice.id, started))
            ended = None
            outcome = ""
            finish = started.toordinal() + self.rng.randint(365, 1095)
            if finish <= END and g.chance(0.7):
                ended = datetime.date.fromordinal(finish)
                outcome = g.pick(data.MENTORSHIP_OUTCOMES)
            g.emit(MENTORSHIPS, master.id, apprentice.id, started, ended, outcome)

    def care_pairings(self) -> None:
        g = self.g
        carers = [p for p in self.people if p.honour and p.age < 60]
        carers = carers or [p for p in self.people if p.skill >= 3 and p.age < 60]
        carers = carers or [p for p in self.people if p.age < 60]
        for senior in self.seniors:
            for carer in self.g.sample(carers, 2 if g.chance(0.25) else 1):
                g.emit(PAIRINGS, senior.id, carer.id, g.day_in(g.year()))

    def subsidies(self) -> None:
        g = self.g
        eligible = [p for p in self.people if p.age < 45]
        for person in g.sample(eligible, self.quota["subsidies"]):
            year = g.year()
            adult = person.birth.year + 18
            if year < adult:
                continue
            level = g.weighted(("junior_college", "bachelor"), (60, 40))
            g.emit(
                SUBSIDIES,
                person.id,
                g.pick(data.SCHOOLS),
                g.pick(data.MAJORS),
                level,
                year,
                g.money(2000, 6000),
                g.pick(data.SUBSIDY_STATUSES),
            )

    def hardship(self) -> None:
        g, rng = self.g, self.rng
        statuses = list(CASE_STATUS_WEIGHTS)
        shaoxing = self.county.city.code == data.DISPATCH_CITY
        for person in g.sample(self.people, self.quota["cases"]):
            serial = next(g.case_serial)
            status = (
                statuses[serial]
                if serial < len(statuses)
                else g.weighted(statuses, list(CASE_STATUS_WEIGHTS.values()))
            )
            floor = START
            if rng.random() < 0.12:
                # An earlier case that ended: the same worker may be filed again later.
                filed = g.day_between(START, START + 300)
                closed = filed + datetime.timedelta(days=rng.randint(200, 500))
                self.case(person, CaseStatus.CLOSED, filed, closed, shaoxing)
                floor = closed.toordinal() + 30
            filed_on = closed_on = None
            if status in (CaseStatus.FILED, CaseStatus.AIDED, CaseStatus.CLOSED):
                filed_on = g.day_between(floor, END - 30)
                if status == CaseStatus.CLOSED:
                    closed_on = g.day_between(filed_on.toordinal() + 90, END)
            self.case(person, status, filed_on, closed_on, shaoxing)

    def case(
        self,
        person: Person,
        status: str,
        filed_on: datetime.date | None,
        closed_on: datetime.date | None,
        shaoxing: bool,
    ) -> None:
        g, rng = self.g, self.rng
        causes = sorted(
            {
                g.weighted(list(HardshipCause.values), (30, 12, 15, 5, 10, 15, 5))
                for _ in range(rng.randint(1, 2))
            },
            key=list(HardshipCause.values).index,
        )
        source = g.weighted(
            ("grassroots", "dispatch", "application", "other"),
            (30, 60, 8, 2) if shaoxing else (60, 0, 30, 10),
        )
        reason = ""
        if status == CaseStatus.CLOSED:
            reason = g.pick(data.HARDSHIP_REASONS_CLOSED)
        elif status == CaseStatus.REJECTED:
            reason = g.pick(data.HARDSHIP_REASONS_REJECTED)
        case = g.emit(
            CASES,
            person.id,
            g.weighted(("deep", "relative", "accident", "marginal"), (25, 40, 10, 25)),
            causes,
            rng.randint(1, 6),
            Decimal(rng.randrange(400, 2600)),
            source,
            status,
            filed_on,
            closed_on,
            reason,
            "" if status in (CaseStatus.REPORTED, CaseStatus.REJECTED) else VERIFIED_NOTE,
        )
        if filed_on is None or status == CaseStatus.FILED:
            return
        last = (closed_on or data.DEMO_END).toordinal()
        granted: set[tuple[str, datetime.date]] = set()
        for _ in range(rng.randint(1, 4 if status == CaseStatus.AIDED else 3)):
            kind = g.weighted(
                ("living", "medical", "education", "festival", "in_kind", "other"),
                (30, 25, 12, 20, 10, 3),
            )
            if self.county.code == data.SOLAR_COUNTY and rng.random() < 0.3:
                kind = "solar"
            day = g.day_between(filed_on.toordinal(), last)
            if (kind, day) in granted:
                continue
            granted.add((kind, day))
            amounts = {
                "medical": (2000, 20_000),
                "festival": (500, 2000),
                "in_kind": (300, 1000),
                "solar": (15_000, 30_000),
            }
            low, high = amounts.get(kind, (1000, 5000))
            fund = g.pick(data.FUND_SOURCES)
            if kind == "solar":
                fund = "光FU行公益项目"
            elif shaoxing and source == "dispatch":
                fund = "越温暖专项帮扶资金"
            g.emit(GRANTS, case, kind, g.money(low, high), day, fund)

    # -- programmes ------------------------------------------------------------------------------

    def craftsmen(self) -> list[Person]:
        return [p for p in self.people if p.honour] or [p for p in self.people if p.skill >= 3]

    def studios(self) -> None:
        g, rng = self.g, self.rng
        hosts = [e for e in self.employers if e.above_scale and not e.platform] or self.employers
        if not hosts:
            return
        leaders: dict[int, list[Person]] = defaultdict(list)
        for person in self.craftsmen():
            if person.employer:
                leaders[person.employer.id].append(person)
        any_leaders = self.craftsmen()
        names: set[tuple[str, str]] = set()
        for _ in range(self.quota["studios"]):
            host = g.pick(hosts)
            leader_pool = leaders.get(host.id) or any_leaders
            leader = g.pick(leader_pool) if leader_pool and rng.random() < 0.85 else None
            if leader is not None:
                kind = g.weighted(
                    ("model_worker", "craftsman", "skill_master", "high_skill"), (35, 30, 20, 15)
                )
            else:
                kind = g.weighted(("high_skill", "employee"), (40, 60))
            leader_name = leader.name if leader else host.short
            name = {
                "model_worker": f"{leader_name}劳模创新工作室",
                "craftsman": f"{leader_name}工匠创新工作室",
                "skill_master": f"{leader_name}技能大师工作室",
                "high_skill": f"{host.short}高技能人才创新工作室",
                "employee": f"{host.short}职工创新工作室",
            }[kind]
            base, serial = name, 1
            while (name, host.region) in names:
                serial += 1
                name = f"{base}（{serial}）"
            names.add((name, host.region))
            level = g.weighted(
                (Level.NATIONAL, Level.PROVINCIAL, Level.CITY, Level.COUNTY), (3, 15, 32, 50)
            )
            named = rng.choices(range(2012, data.LAST_YEAR + 1), range(1, data.LAST_YEAR - 2010))[0]
            revoked = None
            if named < data.LAST_YEAR and rng.random() < 0.08:
                revoked = rng.randint(named + 1, data.LAST_YEAR)
            studio = g.emit(
                STUDIOS,
                name,
                kind,
                level,
                host.id,
                host.region,
                leader.id if leader else None,
                rng.randint(5, 25),
                host.industry,
                named,
                revoked,
            )
            for year in data.YEARS:
                if year >= named and (revoked is None or year < revoked):
                    self.tally.studios[year] += 1
                    for _ in range(rng.choices((0, 1, 2, 3), (45, 30, 17, 8))[0]):
                        self.achievement(studio, host.region, host.industry, year, leader)
        loose = self.size // 2000 + (1 if rng.random() < (self.size % 2000) / 2000 else 0)
        for _ in range(loose):
            industry = self.industry()
            self.achievement(None, self.county.code, industry, g.year(), None)

    def achievement(
        self, studio: int | None, region: str, industry: str, year: int, leader: Person | None
    ) -> None:
        g, rng = self.g, self.rng
        thing = g.pick(data.INDUSTRIES[industry].objects)
        kind = g.weighted(
            ("excellent", "operation_method", "patent", "suggestion", "breakthrough"),
            (25, 20, 30, 15, 10),
        )
        title = {
            "excellent": f"{thing}{g.pick(data.IMPROVEMENTS)}",
            "operation_method": f"{thing}{g.pick(data.OPERATION_WORDS)}操作法",
            "patent": f"一种用于{thing}的{g.pick(data.PATENT_DEVICES)}",
            "suggestion": f"关于{thing}{g.pick(data.IMPROVEMENTS)}的合理化建议",
            "breakthrough": f"{thing}{g.pick(data.BREAKTHROUGH_TOPICS)}技术攻关",
        }[kind]
        if kind == "operation_method" and leader is not None and rng.random() < 0.5:
            title = f"{leader.name}{thing}操作法"
        base, serial = title, 1
        while (title, year, region) in self.achievement_titles:
            serial += 1
            title = f"{base}（{serial}）"
        self.achievement_titles.add((title, year, region))
        patent = ""
        benefit_chance = {
            "patent": 0.5,
            "excellent": 0.7,
            "breakthrough": 0.7,
            "operation_method": 0.4,
        }
        if kind == "patent":
            patent = ids.patent_number(rng, year - rng.randint(1, 2), invention=rng.random() < 0.3)
        benefit = None
        if rng.random() < benefit_chance.get(kind, 0.3):
            benefit = g.money(10_000, 2_000_000 if kind != "suggestion" else 200_000)
        g.emit(ACHIEVEMENTS, studio, region, title, kind, year, patent, benefit)

    def visits(self) -> None:
        g = self.g
        county = self.county
        craftsmen = self.craftsmen()
        ordinary = [e for e in self.employers if not e.platform]
        titles: set[tuple[str, datetime.date, str]] = set()
        for index in range(self.quota["visits"]):
            region = g.region_in(county, 0.4)
            day = g.day_in(g.year())
            focus = g.pick(ordinary) if ordinary and g.chance(0.5) else None
            if focus is not None:
                title = f"劳模工匠助企行·走进{focus.short}"
            else:
                title = f"{g.place_name(region, county)}劳模工匠助企行（{self.industry()}专场）"
            if (title, day, region) in titles:
                title = f"{title}第{index + 1}场"
            titles.add((title, day, region))
            g.visit(county, title, day, craftsmen, self.employers, region=region)
        if county.code == "330381":
            g.visit(
                county,
                "劳模工匠助企服务·高楼镇早春茶指导",
                datetime.date(2024, 3, 12),
                craftsmen,
                [],
                region="330381110",
            )
        if county.code == "330127":
            g.visit(
                county,
                "劳模工匠助企行·淳安专场",
                datetime.date(2025, 5, 20),
                craftsmen,
                self.employers,
                problems=7,
            )

    def training(self) -> None:
        g = self.g
        county = self.county
        providers = g.providers[county.code]
        if not providers:
            providers.append(
                g.emit(PROVIDERS, f"{county.name}工匠学院", "academy", county.code, None)
            )
            self.provider_names.add(f"{county.name}工匠学院")
        for _ in range(self.quota["providers"]):
            kind = g.weighted(("base", "school", "night_school", "other"), (40, 30, 20, 10))
            host = g.pick(self.employers) if self.employers else None
            name = {
                "base": f"{short_name(county.name)}{host.short if host else ''}实训基地",
                "school": f"{county.name}职工学校",
                "night_school": f"{county.name}工匠夜校",
                "other": f"{county.name}职工服务中心",
            }[kind]
            if name not in self.provider_names:
                providers.append(g.emit(PROVIDERS, name, kind, county.code, None))
                self.provider_names.add(name)
        categories = list(data.SESSION_CATEGORY_WEIGHTS)
        weights = list(data.SESSION_CATEGORY_WEIGHTS.values())
        serial: Counter[tuple[str, str, int]] = Counter()
        new_form = [p for p in self.people if p.form != "standard"]
        for _ in range(self.quota["sessions"]):
            category = self.rng.choices(categories, weights)[0]
            template = g.pick(data.SESSION_TEMPLATES[category])
            trade = g.pick(self.people).occupation if self.people else "电工"
            region = g.region_in(county, 0.25)
            start = g.day_in(g.year())
            base = short_name(g.place_name(region, county)) + template.format(trade=trade)
            serial[(base, region, start.year)] += 1
            title = f"{base}（{start.year}年第{serial[(base, region, start.year)]}期）"
            pool = new_form if category == "new_form" else self.people
            provider = g.pick(providers) if g.chance(0.7) else None
            g.session(region, title, category, start, pool, provider=provider)
        if county.code == "330482":
            g.session(
                "330482",
                "平湖市快递行业“素养+技能”提升培训班",
                "new_form",
                datetime.date(2023, 4, 18),
                new_form,
            )
        if county.code == "330114":
            g.session(
                "330114001",
                "新就业形态劳动者“安全必修课”急救培训",
                "safety",
                datetime.date(2023, 6, 7),
                [],
                declared=50,
            )

    def competitions(self) -> None:
        g = self.g
        county = self.county
        by_trade: dict[str, list[Person]] = defaultdict(list)
        for person in self.people:
            by_trade[person.occupation].append(person)
        for _ in range(self.quota["competitions"]):
            trade = g.pick(self.people).occupation if self.people else "电工"
            region = g.region_in(county, 0.2)
            level = Level.TOWN if region != county.code else Level.COUNTY
            day = g.day_in(g.year())
            name = f"{day.year}年{g.place_name(region, county)}{trade}职业技能竞赛"
            pool = by_trade[trade] if len(by_trade[trade]) >= 5 else self.people
            g.competition(region, name, level, day, trade, pool)
        if county.code == "330110":
            for year in (2021, 2022, 2023, 2024):
                g.competition(
                    county.code,
                    f"{year}年余杭区“百行百匠百赛”技能竞赛",
                    Level.COUNTY,
                    datetime.date(year, 9, 20),
                    "综合",
                    self.people,
                    declared=2200,
                    tier="key",
                )
        if county.code == "330781":
            g.competition(
                county.code,
                "2022年兰溪市纺织职业技能竞赛（织布工）",
                Level.COUNTY,
                datetime.date(2022, 10, 15),
                "织布工",
                by_trade["织布工"] or self.people,
            )

    def stations(self) -> None:
        g, rng = self.g, self.rng
        county = self.county
        lat0, lon0 = data.CITY_CENTRES[county.city.code]
        names: set[tuple[str, str]] = set()
        for index in range(self.quota["stations"]):
            region = g.region_in(county)
            place = g.place_name(region, county)
            host = g.weighted(
                ("union", "community", "enterprise", "bank", "merchant", "other"),
                (35, 25, 15, 12, 10, 3),
            )
            road = g.pick(data.ROAD_WORDS) + "路"
            host_employer = g.pick(self.employers).short if self.employers else place
            name = {
                "union": f"{place}总工会户外劳动者服务站",
                "community": f"{g.pick(data.COMMUNITY_WORDS)}社区爱心驿站",
                "enterprise": f"{host_employer}爱心驿站",
                "bank": f"{g.pick(data.BANKS)}{short_name(place)}支行爱心驿站",
                "merchant": f"{road}小哥驿站",
                "other": f"{place}{road}爱心驿站",
            }[host]
            if (name, region) in names:
                name = f"{name}（{index + 1}号站）"
            names.add((name, region))
            town = place if place != county.name else ""
            address = f"{county.city.name}{county.name}{town}{road}{rng.randint(1, 999)}号"
            lat = min(
                max(lat0 + (rng.random() - 0.5) * 0.6, data.LATITUDE_BOX[0]), data.LATITUDE_BOX[1]
            )
            lon = min(
                max(lon0 + (rng.random() - 0.5) * 0.7, data.LONGITUDE_BOX[0]), data.LONGITUDE_BOX[1]
            )
            facilities = [f for f, p in FACILITY_CHANCE.items() if rng.random() < p]
            opened = g.recent_day(datetime.date(2019, 1, 1).toordinal())
            upgraded = (
                rng.randint(max(opened.year, data.FIRST_YEAR), data.LAST_YEAR)
                if rng.random() < 0.4
                else None
            )
            closed = rng.random() < 0.03
            g.emit(
                STATIONS,
                name,
                region,
                address,
                Decimal(f"{lat:.6f}"),
                Decimal(f"{lon:.6f}"),
                host,
                rng.random() < 0.08,
                facilities,
                opened,
                upgraded,
                "closed" if closed else "in_service",
            )
            if not closed:
                for year in data.YEARS:
                    if opened.year <= year:
                        self.tally.stations[year] += 1
        if county.code == "331121":
            g.emit(
                STATIONS,
                "侨乡先锋驿站——小哥之家",
                "331121001",
                "丽水市青田县鹤城街道月里湾社区",
                Decimal("28.139000"),
                Decimal("120.289000"),
                "union",
                True,
                list(FACILITY_CHANCE),
                datetime.date(2021, 6, 1),
                2023,
                "in_service",
            )

    def trips(self) -> None:
        g = self.g
        county = self.county
        pool = [p for p in self.people if p.honour or p.form != "standard"] or self.people
        serial: Counter[int] = Counter()
        for _ in range(self.quota["trips"]):
            start = g.day_in(g.year())
            serial[start.year] += 1
            title = f"{start.year}年{county.name}一线职工疗休养（第{serial[start.year]}批）"
            g.trip(county.code, title, start, pool)
        if county.code == "330424":
            honoured = [p for p in self.people if p.honour]
            g.trip(
                county.code,
                "海盐县“礼遇工匠”浙江工匠疗休养",
                datetime.date(2023, 5, 8),
                honoured,
                destination="安吉余村",
                days=3,
                size=len(honoured) or 8,
            )

    def pilots(self) -> None:
        g, rng = self.g, self.rng
        programmes = g.context.programmes
        county = self.county
        seeded = [p for p in data.SEED_PILOTS if p.region[:6] == county.code]
        employer_ids = {e.name: e.id for e in self.employers}
        for pilot in seeded:
            programme = programmes.get(pilot.programme)
            if programme is not None:
                g.emit(
                    PILOTS,
                    programme,
                    pilot.unit_type,
                    pilot.name,
                    pilot.region,
                    employer_ids.get(pilot.name),
                    pilot.team_name,
                    pilot.level,
                    pilot.batch_year,
                    pilot.status,
                )
        taken = {(p.programme, p.unit_type, p.name, p.region, p.team_name) for p in seeded}
        main = programmes.get(data.PILOT_PROGRAMME)
        lead = programmes.get(data.LEAD_GOOSE_PROGRAMME)
        if main is None:
            return

        def unit(
            programme: int,
            unit_type: str,
            name: str,
            region: str,
            employer: int | None,
            team: str,
            level: int,
        ) -> None:
            key = (
                data.PILOT_PROGRAMME if programme == main else data.LEAD_GOOSE_PROGRAMME,
                unit_type,
                name,
                region,
                team,
            )
            if key in taken:
                return
            taken.add(key)
            batch = rng.randint(2019, data.LAST_YEAR)
            status = "accepted" if batch <= 2022 else "named"
            if batch == data.LAST_YEAR:
                status = "declared"
            elif rng.random() < 0.03:
                status = "revoked"
            g.emit(PILOTS, programme, unit_type, name, region, employer, team, level, batch, status)

        if rng.random() < 0.25:
            unit(
                main,
                "county",
                county.name,
                county.code,
                None,
                "",
                g.pick((Level.PROVINCIAL, Level.CITY)),
            )
        for town in county.towns:
            if rng.random() < 0.35:
                unit(
                    main, "town", town.name, town.code, None, "", g.pick((Level.CITY, Level.COUNTY))
                )
        for employer in self.employers:
            if employer.platform or rng.random() >= (0.15 if employer.above_scale else 0.02):
                continue
            level = g.weighted((Level.PROVINCIAL, Level.CITY, Level.COUNTY), (10, 35, 55))
            programme = lead if lead is not None and rng.random() < 0.3 else main
            unit(programme, "enterprise", employer.name, employer.region, employer.id, "", level)
            if rng.random() < 0.4:
                for _ in range(rng.randint(1, 3)):
                    team = g.pick(data.TEAM_WORKSHOPS) + g.pick(data.TEAM_SUFFIXES)
                    unit(main, "team", employer.name, employer.region, employer.id, team, level)
