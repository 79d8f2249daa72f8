"""Demo records of the training app: training providers (浙江工匠学院, its city branches and each
county's schools and bases), sessions with their enrolments, skills competitions with their
results, and education subsidies.

Providers, the named sessions and competitions (平湖's courier course, 余杭's 百行百匠百赛, 兰溪's
weaving contest) come from the newspaper seeds in `demo.data` (`ACADEMY`, `SEED_PROVIDERS`,
`SESSION_TEMPLATES` …); rosters and winners are drawn from the county's workers.

Academies (工匠学院, 劳模工匠产业人才学院: the seeds' 鹿城 and 海盐 ones, one per county without a seeded
provider, one per city) engage instructors — the county's honoured workers as 劳模工匠讲师 (鹿城 engaged
six at its founding), skilled workers of its employers as 企业内训师 — who teach a share of the
sessions the academy runs. They are drawn last, from a random source of their own, so that adding
them left every other demo record as it was.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from decimal import Decimal

from base.models import Level, short_name
from demo import data
from demo.generator import END, SEED, CountyPart, CountyPeople, Generator, Person
from demo.sink import Table
from training.models import (
    Competition,
    CompetitionResult,
    EducationSubsidy,
    Enrolment,
    Instructor,
    Teaching,
    TrainingProvider,
    TrainingSession,
    WorkerLibrary,
)

PROVIDERS = Table(
    TrainingProvider,
    (
        "id", "name", "kind", "region_id", "parent_id", "founded_on", "founding_union_id",
        "partners",
    ),
)  # fmt: skip
INSTRUCTORS = Table(
    Instructor,
    ("id", "academy_id", "worker_id", "kind", "engaged_on", "ended_on", "subjects", "region_id"),
)
TEACHINGS = Table(Teaching, ("id", "session_id", "instructor_id", "region_id"))
SESSIONS = Table(
    TrainingSession,
    (
        "id", "title", "provider_id", "region_id", "category", "start_date", "end_date", "hours",
        "declared_headcount", "subsidy",
    ),
)  # fmt: skip
LIBRARIES = Table(
    WorkerLibrary,
    (
        "id", "name", "region_id", "host_enterprise_id", "host_union_id", "level",
        "books_count", "opened_on",
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
        # Academies and branches (id → region, founded on) and each provider's sessions (id,
        # start, region): what instructors are engaged by and teach.
        self.academies: dict[int, tuple[str, datetime.date | None]] = {}
        self.sessions_of: dict[int, list[tuple[int, datetime.date, str]]] = defaultdict(list)
        # The academies' own random source (see the module's docstring).
        self.rng = random.Random(SEED + 19)  # noqa: S311 (demo data, not secrets)

    def provider(
        self,
        name: str,
        kind: str,
        region: str,
        parent: int | None,
        *,
        union: int | None = None,
        partners: str = "",
    ) -> int:
        """Emit a provider; an academy or branch gets a founding date from 2019 on."""
        if kind not in ("academy", "branch"):
            return self.g.emit(PROVIDERS, name, kind, region, parent, None, None, "")
        first = datetime.date(2019, 1, 1).toordinal()
        founded = datetime.date.fromordinal(self.rng.randint(first, END - 365))
        pk = self.g.emit(PROVIDERS, name, kind, region, parent, founded, union, partners)
        self.academies[pk] = (region, founded)
        return pk

    def top_providers(self) -> None:
        province = self.g.context.province.code
        academy = self.provider(data.ACADEMY, "academy", province, None)
        self.providers[province].append(academy)
        for city in self.g.context.cities:
            branch = f"{data.ACADEMY}{short_name(city.name)}分院"
            self.providers[city.code].append(self.provider(branch, "branch", city.code, academy))
        for seeded in data.SEED_PROVIDERS:
            self.providers[seeded.region].append(
                self.provider(
                    seeded.name,
                    seeded.kind,
                    seeded.region,
                    None,
                    partners=data.ACADEMY_PARTNERS.get(seeded.name, ""),
                )
            )

    def city_academies(self, federations: dict[str, int]) -> None:
        """A 劳模工匠产业人才学院 founded by each city's federation, where the seeds name none."""
        seeded = {p.region for p in data.SEED_PROVIDERS if p.kind == "academy"}
        for city in self.g.context.cities:
            if city.code in seeded:
                continue
            self.provider(
                f"{short_name(city.name)}劳模工匠产业人才学院",
                "academy",
                city.code,
                None,
                union=federations.get(city.code),
                partners=f"{short_name(city.name)}技师学院",
            )

    def instructors(
        self, academy: int, honoured: Sequence[Person], skilled: Sequence[Person]
    ) -> list[tuple[int, str, datetime.date]]:
        """Engage the academy's instructors: (instructor id, kind, engaged on) of each."""
        region, founded = self.academies[academy]
        rng = self.rng
        start = (founded or datetime.date(2019, 1, 1)).toordinal()
        craftsmen = rng.sample(list(honoured), min(len(honoured), rng.randint(4, 8)))
        trainers = rng.sample(list(skilled), min(len(skilled), rng.randint(2, 6)))
        engaged: list[tuple[int, str, datetime.date]] = []
        chosen: set[int] = set()
        for kind, people in (("craftsman", craftsmen), ("trainer", trainers)):
            for person in people:
                if person.id in chosen:
                    continue
                chosen.add(person.id)
                # Most are engaged at the founding (鹿城's first six were), the rest later.
                offset = 0 if rng.random() < 0.6 else rng.randint(30, 700)
                on = datetime.date.fromordinal(min(start + offset, END))
                ended = None
                if rng.random() < 0.1 and on.toordinal() + 400 < END:
                    ended = datetime.date.fromordinal(rng.randint(on.toordinal() + 365, END))
                subjects = (
                    person.occupation if kind == "trainer" else f"{person.occupation}绝技绝活"
                )
                pk = self.g.emit(
                    INSTRUCTORS, academy, person.id, kind, on, ended, subjects[:200], region
                )
                engaged.append((pk, kind, on))
        return engaged

    def teach(self, academy: int, engaged: Sequence[tuple[int, str, datetime.date]]) -> None:
        """Give about two in three of the academy's sessions one to three of its instructors
        engaged by the session's start."""
        for session, start, region in self.sessions_of.get(academy, []):
            teachers = [pk for pk, _kind, on in engaged if on <= start]
            if not teachers or self.rng.random() > 0.65:
                continue
            for pk in self.rng.sample(teachers, min(len(teachers), self.rng.randint(1, 3))):
                self.g.emit(TEACHINGS, session, pk, region)

    def province_and_city_instructors(self) -> None:
        """The instructors of the academies and branches above the counties, from the cities'
        sampled workers, and the sessions they teach."""
        everyone = self.g.everyone()
        for academy, (region, _founded) in list(self.academies.items()):
            if len(region) != 6 or region[4:] != "00":
                continue  # a county's academy: engaged with its county
            pool = (
                everyone if region == self.g.context.province.code else (self.g.city_pool[region])
            )
            honoured = [p for p in pool if p.honour]
            skilled = [p for p in pool if p.skill >= 2 and p.employer is not None]
            self.teach(academy, self.instructors(academy, honoured, skilled))

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
        if provider is not None:
            self.sessions_of[provider].append((session, start, region))
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
                self.training.provider(
                    f"{county.name}工匠学院",
                    "academy",
                    county.code,
                    None,
                    union=g.federations.get(county.code),
                    partners=f"{county.name}职业技术学校"
                    if self.training.rng.random() < 0.5
                    else "",
                )
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
                providers.append(self.training.provider(name, kind, county.code, None))
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

    def instructors(self) -> None:
        """The county's academies engage its honoured workers and its employers' skilled
        workers, who teach a share of the academies' sessions."""
        honoured = [p for p in self.people if p.honour]
        skilled = [p for p in self.people if p.skill >= 2 and p.employer is not None]
        for academy, (region, _founded) in list(self.training.academies.items()):
            if region[:6] == self.county.code:
                self.training.teach(academy, self.training.instructors(academy, honoured, skilled))

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

    def worker_libraries(self) -> None:
        """职工书屋: in about a third of the 规上 enterprises with a union and at half the towns'
        职工之家, a few named demonstration libraries among them (data.LIBRARY_LEVELS); 平湖's
        曹桥街道 5G智汇谷 library from the seeds. A random source of the county's own."""
        county, g = self.county, self.g
        rng = random.Random(f"worker-libraries-{county.code}")  # noqa: S311 (demo data)
        levels = [level for level, _share in data.LIBRARY_LEVELS]
        shares = [share for _level, share in data.LIBRARY_LEVELS]
        first = datetime.date(2015, 1, 1).toordinal()

        taken: set[tuple[str, str]] = set()

        def library(name: str, region: str, enterprise: int | None, union: int | None) -> None:
            if (name, region) in taken:  # two employers of one short name in a town
                name = f"{name}（{len(taken) + 1}）"
            taken.add((name, region))
            level = rng.choices(levels, shares)[0]
            books = rng.randrange(10, 120) * 100 if level else rng.randrange(5, 40) * 100
            opened = datetime.date.fromordinal(rng.randint(first, END))
            g.emit(LIBRARIES, name, region, enterprise, union, level, books, opened)

        seed_name, seed_county, seed_town, seed_level, seed_opened = data.FIRST_LIBRARY
        for town in county.towns:
            union = g.federations.get(town.code)
            if county.code == seed_county and town.name == seed_town and union is not None:
                g.emit(LIBRARIES, seed_name, town.code, None, union, seed_level, 6000, seed_opened)
            elif union is not None and rng.random() < data.LIBRARY_TOWN_CHANCE:
                library(f"{town.name}总工会职工书屋", town.code, None, union)
        for employer in self.employers:
            if not (employer.above_scale and employer.has_union) or employer.platform:
                continue
            if rng.random() < data.LIBRARY_HOST_CHANCE:
                library(f"{employer.short}职工书屋", employer.region, employer.id, None)
