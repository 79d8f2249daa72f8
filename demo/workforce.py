"""Demo records of the workforce app: employers, their unions, workers, skill certificates,
honours and mentorships, and the union federations from the towns up to the province.

Named employers, unions and local honour titles come from the newspaper seeds in `demo.data`
(`SEED_ENTERPRISES`, `SEED_UNIONS`, `CITY_TITLES`, `COUNTY_TITLES`, `TOWN_TITLES`); the rest is
drawn in the proportions the source pages suggest (one employer per ~30 workers, 60 % union
members, 8 % new-form workers, 35 % with a skill certificate, 1 % model workers and craftsmen).
The workers built here are the people every other domain's records are about.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
from collections import Counter, defaultdict

from base.identity import visible_tail
from base.models import Level, county_of, short_name
from demo import data
from demo import identity as ids
from demo.context import Context, County
from demo.generator import END, CountyPart, CountyPeople, Employer, Generator, Person
from demo.sink import Table
from workforce.models import (
    Enterprise,
    Honour,
    Mentorship,
    SkillCertificate,
    UnionOrganisation,
    Worker,
)

ENTERPRISES = Table(
    Enterprise,
    (
        "id", "name", "credit_code", "region_id", "ownership", "industry", "above_scale",
        "employee_count", "has_union", "reform_status", "reform_started_on",
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
        "occupation", "employment_form", "union_member", "union_joined_on", "registered_on",
        "left_on", "id_last4", "phone_last4",
    ),
)  # fmt: skip
HONOURS = Table(Honour, ("id", "worker_id", "title_id", "year", "region_id"))
CERTIFICATES = Table(
    SkillCertificate,
    (
        "id", "worker_id", "level", "occupation", "certified_on", "issuer_kind", "issuer",
        "issuing_enterprise_id", "number", "region_id",
    ),
)  # fmt: skip
MENTORSHIPS = Table(
    Mentorship,
    ("id", "master_id", "apprentice_id", "started_on", "ended_on", "outcome", "region_id"),
)

AGE_BRACKETS = ((18, 25, 15), (26, 35, 30), (36, 45, 27), (46, 55, 20), (56, 65, 7), (66, 72, 1))
NEW_FORM_SHARE = 0.08
# Highest skill level of a certificate holder: 高级工 and above are ~30 % of the skilled.
SKILL_WEIGHTS = (3, 25, 42, 20, 7, 2.5, 0.35, 0.15)
# Minimum age for a level (技师 at 28, 特级/首席技师 at 35).
SKILL_MIN_AGE = (16, 18, 19, 22, 28, 30, 35, 35)
HONOUR_CHANCE = (0.004, 0.004, 0.006, 0.009, 0.03, 0.06, 0.12, 0.3, 0.4)  # by skill level + 1
HONOUR_LEVEL_WEIGHTS = (40, 22, 20, 12, 5, 1)  # enterprise … national
HONOUR_LEVEL_WEIGHTS_SKILLED = (25, 18, 24, 20, 11, 2)
# The register grows as a real one does: a third of today's workers were registered before the
# demo years, the rest year by year; some leave it again (moved away, retired).
REGISTERED_BEFORE_SHARE = 0.35
EARLIEST_REGISTRATION = datetime.date(2008, 1, 1)
LEFT_SHARE = 0.07
RETIREMENT_AGE = 60


class Workforce:
    """What the workforce records share across counties: credit codes already given, the
    certificate serial and the honour titles; and the federations, written after every county."""

    def __init__(self, generator: Generator) -> None:
        self.g = generator
        self.credit_codes: set[str] = set()
        self.certificate_serial = itertools.count(1)
        self.titles = TitleBook(generator.context)

    def federations(self) -> None:
        """The federations of unions above the counties, with their members."""
        province = self.g.context.province.code
        total = 0
        for city in self.g.context.cities:
            members = sum(
                tally.union_members
                for code, tally in self.g.tallies.items()
                if code[:4] == city.code[:4]
            )
            total += members
            self.g.federations[city.code] = self.g.emit(
                UNIONS,
                f"{city.name}总工会",
                "federation",
                city.code,
                None,
                members,
                datetime.date(1950, 5, 1),
            )
        self.g.emit(
            UNIONS, "浙江省总工会", "federation", province, None, total, datetime.date(1950, 5, 1)
        )


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


class CountyWorkforce(CountyPart):
    """One county's employers, workers and everything recorded about them in the workforce app."""

    def __init__(self, workforce: Workforce, here: CountyPeople) -> None:
        super().__init__(here)
        self.workforce = workforce
        self.used_ids: set[int] = set()
        self.seeded: set[int] = set()

    def employers_and_workers(self) -> None:
        """The county's employers, then its workers (each with certificates and honours), then
        its retired seniors: the people the other domains' records are about."""
        self.make_employers()
        assignments = self.assign_workers()
        self.emit_employers()
        for form, employer in assignments:
            self.worker(form, employer)
        for _ in range(self.quota["seniors"]):
            self.senior()
        if self.county.code == data.SHOWCASE_COUNTY:
            self.honours_at_every_level()

    def honours_at_every_level(self) -> None:
        """Someone honoured at each level the county has none at yet (data.SHOWCASE_COUNTY)."""
        unhonoured = [p for p in self.people if not p.honour and p.age >= 30]
        for level in sorted(Level, reverse=True):
            if any(p.honour == level for p in self.people):
                continue
            # A town title needs a worker kept at a town: try a few people for each level.
            for person in self.g.sample(unhonoured, min(8, len(unhonoured))):
                self.honour(person, level, latest=data.LAST_YEAR - 1)
                if person.honour == level:
                    unhonoured.remove(person)
                    break

    # -- employers ----------------------------------------------------------------------------

    def make_employers(self) -> None:
        g, county = self.g, self.county
        for seed in data.SEED_ENTERPRISES:
            if county_of(seed.region) == county.code:
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
            while not code or code in self.workforce.credit_codes:
                code = ids.credit_code(
                    self.rng, self.county.code, "51" if ownership == "other" else "91"
                )
            self.workforce.credit_codes.add(code)
            employees = round(e.workers * (1 + self.rng.random() * 0.5)) if e.workers else None
            status, started = self.reform(e)
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
                    status,
                    started,
                ),
            )

    def reform(self, employer: Employer) -> tuple[str, datetime.date | None]:
        """The employer's reform status and start date (data.REFORM_*). Drawn from a random
        source of its own, so that adding the reform left every other demo record as it was."""
        county = self.county.code
        coverage = data.REFORM_COVERAGE.get(county)
        if coverage is None:
            coverage = random.Random(f"reform-{county}").uniform(*data.REFORM_COVERAGE_RANGE)  # noqa: S311
        rng = random.Random(f"reform-{employer.id}")  # noqa: S311 (demo data, not secrets)
        if employer.id in self.seeded:
            # The named employers of the seeds lead the reform in their places.
            return "pilot", datetime.date(2021, 3, 1) + datetime.timedelta(days=rng.randrange(300))
        if rng.random() >= (coverage if employer.above_scale else data.REFORM_SMALL_SHARE):
            return "not_started", None
        year = rng.choices(list(data.REFORM_START_YEARS), list(data.REFORM_START_YEARS.values()))[0]
        first = datetime.date(year, 1, 1).toordinal()
        day = datetime.date.fromordinal(rng.randint(first, min(first + 364, END)))
        return ("pilot" if rng.random() < data.REFORM_PILOT_SHARE else "started"), day

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
        registered, left = self.register_dates(birth)
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
                registered,
                left,
                visible_tail(id_number),
                visible_tail(phone),
            ),
        )
        self.certificates(person)
        self.honours(person)
        self.people.append(person)
        g.remember(person, self.county.city.code)

    def register_dates(self, birth: datetime.date) -> tuple[datetime.date, datetime.date | None]:
        """登记日期 (never before the worker turned 18) and, for a few, 离册日期."""
        g, rng = self.g, self.rng
        adult = max(birth.toordinal() + 18 * 366, EARLIEST_REGISTRATION.toordinal())
        if rng.random() < REGISTERED_BEFORE_SHARE:
            first_demo_day = datetime.date(data.FIRST_YEAR, 1, 1).toordinal()
            registered = g.day_between(adult, first_demo_day - 1)
        else:
            registered = g.day_in(g.year())
        if registered.toordinal() < adult:
            registered = datetime.date.fromordinal(min(adult, END))
        left = None
        if rng.random() < LEFT_SHARE and registered.toordinal() + 180 < END:
            left = g.day_between(registered.toordinal() + 180, END)
        return registered, left

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
            number = (
                f"S{self.county.code}{day.year}{level}{next(self.workforce.certificate_serial):07d}"
            )
        g.emit(
            CERTIFICATES,
            person.id,
            level,
            person.occupation,
            day,
            kind,
            issuer,
            issuing,
            number,
            person.region,
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
            options = self.workforce.titles.options(level, self.county, person.region, industry)
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
        g.emit(HONOURS, person.id, title, year, person.region)
        person.honour = max(person.honour, level)
        if kind == "craftsman" and level >= Level.PROVINCIAL:
            person.craftsman_since = min(year, person.craftsman_since or year)
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
                None,
                # Retired long ago: off the register since the sixtieth birthday.
                birth.replace(year=birth.year + RETIREMENT_AGE, day=min(birth.day, 28)),
                visible_tail(id_number),
                visible_tail(phone),
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
                employer.union_id = g.emit(
                    UNIONS,
                    f"{employer.name}工会委员会",
                    "grassroots",
                    employer.region,
                    employer.id,
                    employer.members or None,
                    founded,
                )
            members_by_town[employer.region] += employer.members
        g.federations[county.code] = g.emit(
            UNIONS,
            f"{county.name}总工会",
            "federation",
            county.code,
            None,
            self.tally.union_members,
            datetime.date(1952, 5, 1),
        )
        for town in county.towns:
            g.federations[town.code] = g.emit(
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
            if county_of(union.region) == county.code:
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
            g.emit(
                MENTORSHIPS, master.id, apprentice.id, started, ended, outcome, apprentice.region
            )
