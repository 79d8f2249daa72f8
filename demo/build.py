"""The demo ledger: a deterministic province of workers and everything the ledger keeps on them.

`generate(workers=N)` writes it; everything else scales with N in the proportions the source pages
suggest (one employer per ~30 workers, 60 % union members, 8 % new-form workers, 35 % with a
skill certificate, 1 % model workers and craftsmen …). The work goes county by county, so only
one county's workers are ever held in memory, and rows stream out through a `Sink`.

This module is the driver: it splits the workers over the counties, runs each county's domain
builders in a fixed order (`demo.workforce`, then `demo.welfare`, `demo.training`,
`demo.programs` interleaved as their records need each other), then the province- and city-level
events and the targets. The order is part of the output: every builder draws from one seeded
random source, so moving a call moves every record after it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Sequence

from django.db import connections, models

from base.models import Level
from demo import data, programs, targets, training, welfare, workforce
from demo.context import Context
from demo.context import load_context as read_context
from demo.generator import CountyPeople, Generator
from demo.sink import DatabaseSink, Sink, Table

# Parents before children: the database sink writes its buffers in this order.
TABLES: tuple[Table, ...] = (
    workforce.ENTERPRISES,
    workforce.UNIONS,
    workforce.WORKERS,
    workforce.HONOURS,
    workforce.CERTIFICATES,
    workforce.MENTORSHIPS,
    programs.STUDIOS,
    programs.ACHIEVEMENTS,
    programs.VISITS,
    programs.VISIT_CRAFTSMEN,
    programs.PROBLEMS,
    programs.WAGE_AGREEMENTS,
    programs.WAGE_COVERED,
    programs.WAGE_LEVELS,
    programs.SUGGESTIONS,
    training.PROVIDERS,
    training.INSTRUCTORS,
    training.SESSIONS,
    training.TEACHINGS,
    training.ENROLMENTS,
    training.COMPETITIONS,
    training.RESULTS,
    training.SUBSIDIES,
    welfare.STATIONS,
    welfare.CASES,
    welfare.GRANTS,
    welfare.TRIPS,
    welfare.TRIP_PARTICIPANTS,
    welfare.PAIRINGS,
    welfare.BENEFITS,
    welfare.OCCASIONS,
    welfare.VISITS,
    welfare.ASSESSMENTS,
    welfare.BOOKINGS,
    welfare.LECTURES,
    programs.PILOTS,
    programs.ALLIANCES,
    programs.ALLIANCE_MEMBERS,
    programs.ALLIANCE_ACTIVITIES,
    programs.GROUPS,
    programs.JOB_FAIRS,
    programs.JOB_FAIR_ENTERPRISES,
    training.LIBRARIES,
    programs.TARGETS,
)
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


def load_context(using: str = "default") -> Context:
    return read_context(TABLES, using)


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
    ProvinceBuilder(context, workers=workers, sink=sink).run()
    sink.finish()
    if postgres:
        # Back to Django's default for the rest of the transaction (a failure rolls it back).
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    counts = {table.label: count for table, count in sink.counts.items()}
    # Last, against the records just written (demo/targets.py).
    counts[programs.TARGETS.label] = targets.set_targets(using)
    return counts


class ProvinceBuilder:
    """Emits the rows of the demo ledger for one N, always the same ones."""

    def __init__(self, context: Context, *, workers: int, sink: Sink) -> None:
        self.g = Generator(context, workers=workers, sink=sink)
        self.workforce = workforce.Workforce(self.g)
        self.programs = programs.Programs(self.g)
        self.training = training.Training(self.g)
        self.welfare = welfare.Welfare(self.g)

    def run(self) -> None:
        g = self.g
        counties = g.context.counties
        weights = self.county_weights()
        workers = apportion(g.total_workers, weights)
        quotas = {
            name: apportion(max(minimum, round(rate * g.total_workers)), workers)
            for name, (rate, minimum) in RATES.items()
        }
        self.training.top_providers()
        for index, county in enumerate(counties):
            here = CountyPeople(g, county, workers[index], {k: v[index] for k, v in quotas.items()})
            CountyBuilder(self, here).run()
        self.province_and_city_events()
        self.workforce.federations()
        self.training.city_academies(self.g.federations)
        self.training.province_and_city_instructors()
        self.programs.pilots_of_growth_programme()
        self.programs.alliances()
        self.programs.city_wage_agreements()
        self.welfare.benefits_somewhere(g.everyone())
        self.welfare.occasions_somewhere(g.everyone())
        welfare.counselling(g)
        g.sink.flush()

    def county_weights(self) -> list[float]:
        g = self.g
        raw = [
            (0.6 + g.rng.random()) * (0.6 if county.mountain_island else 1.0)
            for county in g.context.counties
        ]
        per_city: dict[str, float] = defaultdict(float)
        for county, weight in zip(g.context.counties, raw, strict=True):
            per_city[county.city.code] += weight
        return [
            data.CITY_WEIGHTS[county.city.code] * weight / per_city[county.city.code]
            for county, weight in zip(g.context.counties, raw, strict=True)
        ]

    # -- province and city level ----------------------------------------------------------------

    def province_and_city_events(self) -> None:
        g = self.g
        province = g.context.province
        everyone = g.everyone()
        per_year = 1 + g.total_workers // 200_000
        for year in data.YEARS:
            for _ in range(per_year):
                trade = g.pick(everyone).occupation if everyone else "焊工"
                self.training.competition(
                    province.code,
                    f"{year}年浙江省职工职业技能竞赛（{trade}）",
                    Level.PROVINCIAL,
                    g.day_in(year),
                    trade,
                    everyone,
                    title="浙江金蓝领",
                    tier=g.pick(("key", "demonstration")),
                )
            for serial in range(1, per_year + 1):
                self.training.session(
                    province.code,
                    f"浙江工匠学院高技能人才研修班（{year}年第{serial}期）",
                    "skills",
                    g.day_in(year),
                    everyone,
                    provider=self.training.providers[province.code][0],
                )
            honoured = [p for p in everyone if p.honour] or everyone
            self.welfare.trip(province.code, f"{year}年浙江工匠疗休养", g.day_in(year), honoured)
        domestic = [p for p in everyone if not p.male and p.form in ("domestic", "standard")]
        self.training.competition(
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
        for city in g.context.cities:
            pool = g.city_pool[city.code]
            # City events grow with the city's workforce: a tiny demo gets one of each.
            events = max(1, round(g.city_seen[city.code] / 20_000))
            for serial in range(1, events + 1):
                held_on = g.day_in(g.year())
                trade = g.pick(pool).occupation if pool else "电工"
                self.training.competition(
                    city.code,
                    f"{held_on.year}年{city.name}职工职业技能竞赛（{trade}）",
                    Level.CITY,
                    held_on,
                    trade,
                    pool,
                    title=f"{city.name}技术能手",
                )
                start = g.day_in(g.year())
                self.training.session(
                    city.code,
                    f"{city.name}劳模工匠讲师培训班（{start.year}年第{serial}期）",
                    "other",
                    start,
                    pool,
                    provider=self.training.providers[city.code][0],
                )
        wenzhou = [p for p in g.city_pool["330300"] if p.form != "standard" or p.honour]
        self.welfare.trip(
            "330300",
            "温州市关爱一线职工疗休养活动",
            datetime.date(2021, 3, 2),
            wenzhou,
            destination="乐清雁荡山",
            days=2,
            size=40,
        )
        self.training.session(
            "331000",
            "台州市首期产业工人班组长创新赋能培训班",
            "team_leader",
            datetime.date(2023, 3, 16),
            [],
            declared=60,
        )
        mountain = [county for county in g.context.counties if county.mountain_island]
        craftsmen = [p for p in everyone if p.honour]
        for year in (2025, 2026):
            for county in g.sample(mountain, 8):
                self.programs.visit(
                    county,
                    f"劳模工匠助企行进山区海岛县专项行动（{county.name}专场）",
                    g.day_in(year),
                    craftsmen,
                    [],
                )


class CountyBuilder:
    """One county: its employers and workers first, then every domain's records about them."""

    def __init__(self, province: ProvinceBuilder, here: CountyPeople) -> None:
        self.workforce = workforce.CountyWorkforce(province.workforce, here)
        self.programs = programs.CountyPrograms(province.programs, here)
        self.training = training.CountyTraining(province.training, here)
        self.welfare = welfare.CountyWelfare(province.welfare, here)

    def steps(self) -> list[Callable[[], None]]:
        """Every domain's records of the county in the order they are drawn: the workers first,
        since every other record is about them. The order is part of the output: all steps share
        one random source, so moving a step changes every record drawn after it."""
        return [
            self.workforce.employers_and_workers,
            self.workforce.unions,
            self.workforce.mentorships,
            self.welfare.care_pairings,
            self.training.subsidies,
            self.welfare.hardship,
            self.programs.studios,
            self.programs.visits,
            self.training.providers_and_sessions,
            self.training.competitions,
            self.welfare.stations,
            self.welfare.trips,
            self.programs.pilots,
            self.programs.remember_employers,
            self.programs.coordination_groups,
            self.programs.wage_agreements,
            self.programs.suggestions,
            self.welfare.craftsman_benefits,
            self.welfare.care_visits,
            self.training.instructors,
            self.programs.job_fairs,
            self.training.worker_libraries,
        ]

    def run(self) -> None:
        for step in self.steps():
            step()
