"""Demo records of the training app: training providers (浙江工匠学院, its city branches and each
county's schools and bases), sessions with their enrolments, skills competitions with their
results, and education subsidies.

Providers, the named sessions and competitions (平湖's courier course, 余杭's 百行百匠百赛, 兰溪's
weaving contest) come from the newspaper seeds in `demo.data` (`ACADEMY`, `SEED_PROVIDERS`,
`SESSION_TEMPLATES` …); rosters and winners are drawn from the county's workers.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Sequence
from decimal import Decimal

from base.models import Level, short_name
from demo import data
from demo.generator import CountyPart, CountyPeople, Generator, Person
from demo.sink import Table
from training.models import (
    Competition,
    CompetitionResult,
    EducationSubsidy,
    Enrolment,
    TrainingProvider,
    TrainingSession,
)

PROVIDERS = Table(TrainingProvider, ("id", "name", "kind", "region_id", "parent_id"))
SESSIONS = Table(
    TrainingSession,
    (
        "id", "title", "provider_id", "region_id", "category", "start_date", "end_date", "hours",
        "declared_headcount", "subsidy",
    ),
)  # fmt: skip
ENROLMENTS = Table(
    Enrolment, ("id", "session_id", "worker_id", "attended", "passed", "certified", "region_id")
)
COMPETITIONS = Table(
    Competition,
    ("id", "name", "level", "tier", "trade", "held_on", "region_id", "participant_count"),
)
RESULTS = Table(
    CompetitionResult,
    ("id", "competition_id", "worker_id", "rank", "award", "title_granted", "region_id"),
)
SUBSIDIES = Table(
    EducationSubsidy,
    ("id", "worker_id", "school", "major", "level", "year", "amount", "status", "region_id"),
)


class Training:
    """What the training records share across counties: the providers of each region and the
    competition names already used; the sessions and competitions at every level go through
    `session` and `competition`."""

    def __init__(self, generator: Generator) -> None:
        self.g = generator
        self.providers: dict[str, list[int]] = defaultdict(list)  # region → provider ids
        self.competition_names: set[tuple[str, datetime.date]] = set()

    def top_providers(self) -> None:
        province = self.g.context.province.code
        academy = self.g.emit(PROVIDERS, data.ACADEMY, "academy", province, None)
        self.providers[province].append(academy)
        for city in self.g.context.cities:
            branch = f"{data.ACADEMY}{short_name(city.name)}分院"
            self.providers[city.code].append(
                self.g.emit(PROVIDERS, branch, "branch", city.code, academy)
            )
        for provider in data.SEED_PROVIDERS:
            self.providers[provider.region].append(
                self.g.emit(PROVIDERS, provider.name, provider.kind, provider.region, None)
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
        count = results if results is not None else self.g.rng.randint(5, 20)
        winners = self.g.sample(pool, count)
        if declared is None and self.g.chance(0.8):
            declared = len(winners) + self.g.rng.randint(10, 150)
        if not tier:
            tier = self.g.weighted(("key", "demonstration", "regular"), (10, 25, 65))
        competition = self.g.emit(COMPETITIONS, name, level, tier, trade, held_on, region, declared)
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
            self.g.emit(RESULTS, competition, person.id, rank, award, granted, person.region)

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
            self.g.rng.randint(24, 120) if category == "skills" else self.g.rng.randint(4, 40)
        )
        end = start + datetime.timedelta(days=0 if hours <= 8 else self.g.rng.randint(1, 30))
        subsidy = self.g.money(2000, 200_000) if self.g.chance(0.4) else None
        roster: list[Person] = []
        if declared is None:
            if len(pool) >= 15 and self.g.chance(0.4):
                roster = self.g.sample(pool, self.g.rng.randint(15, 60))
            else:
                declared = self.g.rng.randint(20, 300)
        session = self.g.emit(
            SESSIONS, title, provider, region, category, start, end, hours, declared, subsidy
        )
        for person in roster:
            attended = self.g.chance(0.95)
            passed = attended and self.g.chance(0.85)
            certified = passed and category == "skills" and self.g.chance(0.4)
            self.g.emit(ENROLMENTS, session, person.id, attended, passed, certified, person.region)


class CountyTraining(CountyPart):
    """One county's providers, sessions, competitions and education subsidies."""

    def __init__(self, training: Training, here: CountyPeople) -> None:
        super().__init__(here)
        self.training = training
        self.provider_names = {p.name for p in data.SEED_PROVIDERS if p.region == here.county.code}

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
                person.region,
            )

    def providers_and_sessions(self) -> None:
        g = self.g
        county = self.county
        providers = self.training.providers[county.code]
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
            self.training.session(region, title, category, start, pool, provider=provider)
        if county.code == "330482":
            self.training.session(
                "330482",
                "平湖市快递行业“素养+技能”提升培训班",
                "new_form",
                datetime.date(2023, 4, 18),
                new_form,
            )
        if county.code == "330114":
            self.training.session(
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
            self.training.competition(region, name, level, day, trade, pool)
        if county.code == "330110":
            for year in (2021, 2022, 2023, 2024):
                self.training.competition(
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
            self.training.competition(
                county.code,
                "2022年兰溪市纺织职业技能竞赛（织布工）",
                Level.COUNTY,
                datetime.date(2022, 10, 15),
                "织布工",
                by_trade["织布工"] or self.people,
            )
