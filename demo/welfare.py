"""Demo records of the welfare app: outdoor-worker service stations, hardship cases with their
assistance grants, recuperation trips with their participants, the care pairings of retired
model workers aged 80 or more with younger craftsmen, the 礼遇工匠 benefits the craftsmen
honoured at provincial level or above took, the 六必访 occasions and visits; and 台州's 台工心港
psychological service (seed 001): monthly self-assessment tallies by scale, consultation bookings
and lectures.

Named stations, funds and trips come from the newspaper seeds in `demo.data` (青田's 小哥之家,
绍兴's 越温暖 dispatch, the solar-income county, 海盐's 礼遇工匠 trip, `DESTINATIONS`,
`FUND_SOURCES` …); cases are drawn so that every status appears with the dates it needs.
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from base.models import county_of, short_name
from demo import data
from demo import identity as ids
from demo.generator import END, START, CountyPart, CountyPeople, Generator, Person
from demo.sink import Table
from welfare.models import (
    AssessmentScale,
    AssistanceGrant,
    BenefitKind,
    BenefitTaken,
    BookingStatus,
    CareOccasion,
    CareOccasionKind,
    CareOccasionSource,
    CarePairing,
    CareVisit,
    CaseStatus,
    CounsellingAssessment,
    CounsellingBooking,
    CounsellingLecture,
    Facility,
    HardshipCase,
    HardshipCause,
    LectureKind,
    RecuperationTrip,
    ServiceStation,
)
from welfare.selectors import CARE_CASE_STATUSES, case_occasion

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
        "status", "filed_on", "closed_on", "reason", "verification_note", "region_id",
    ),
    json_columns=frozenset({"causes"}),
)  # fmt: skip
# What a county writes when it has visited the home and found the hardship real.
VERIFIED_NOTE = "入户核实，情况属实。"
GRANTS = Table(
    AssistanceGrant, ("id", "case_id", "kind", "amount", "granted_on", "fund_source", "region_id")
)
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
PAIRINGS = Table(CarePairing, ("id", "senior_id", "carer_id", "started_on", "region_id"))
BENEFITS = Table(
    BenefitTaken,
    ("id", "worker_id", "kind", "taken_on", "place", "cost", "trip_id", "note", "region_id"),
)
ASSESSMENTS = Table(
    CounsellingAssessment, ("id", "region_id", "year", "month", "scale", "taken", "referred")
)
BOOKINGS = Table(
    CounsellingBooking,
    ("id", "region_id", "name", "phone", "id_number", "booked_for", "status", "counsellor"),
)
LECTURES = Table(
    CounsellingLecture, ("id", "region_id", "held_on", "topic", "kind", "host", "audience")
)
# 台工心港 is 台州市总工会's platform (seed 001), opened to the city's workers; its demo records
# start with its first full year.
COUNSELLING_CITY = "331000"
COUNSELLING_SINCE = 2024
# Monthly self-assessments per county by scale (the general checklist most, burnout least), and
# the share of those who go on to book a consultation.
SCALE_MONTHLY: dict[str, tuple[int, int]] = {
    AssessmentScale.SCL90: (40, 160),
    AssessmentScale.PHQ9: (25, 110),
    AssessmentScale.GAD7: (20, 90),
    AssessmentScale.PSS: (10, 60),
    AssessmentScale.BURNOUT: (5, 40),
}
REFERRED_SHARE = (0.02, 0.06)
BOOKING_OUTCOMES: dict[str, float] = {
    BookingStatus.HELD: 78,
    BookingStatus.CANCELLED: 12,
    BookingStatus.NO_SHOW: 10,
}
COUNSELLORS = ("周心怡", "裘晓岚", "潘静", "陈思远", "林若溪", "王慧敏")
# Seven themes of the platform's lectures (seed 001: 7 大主题, 34 种内容), a few of each.
LECTURE_TOPICS = (
    "职场压力与情绪管理", "人际关系与沟通", "婚姻情感经营", "亲子教育与家庭沟通",
    "职场成长与自我调适", "睡眠与身心健康", "正念减压体验",
)  # fmt: skip
LECTURE_HOSTS = ("工会", "总工会", "职工服务中心")
# The rules the migration seeds (welfare/migrations/0009): every N years from 2023, for the
# craftsmen honoured at provincial level or above (Person.craftsman_since); and the share of
# those due in a year who take the benefit that year (the rest wait, and fall overdue).
BENEFITS_SINCE = 2023
BENEFIT_EVERY: dict[str, int] = {
    BenefitKind.RECUPERATION: 3,
    BenefitKind.HEALTH_CHECK: 2,
    BenefitKind.FITNESS_CARD: 1,
}
BENEFIT_TAKE_UP: dict[str, float] = {
    BenefitKind.RECUPERATION: 0.55,
    BenefitKind.HEALTH_CHECK: 0.7,
    BenefitKind.FITNESS_CARD: 0.6,
}
OCCASIONS = Table(
    CareOccasion,
    ("id", "worker_id", "kind", "happened_on", "source", "reported_by", "note", "region_id"),
)
VISITS = Table(
    CareVisit,
    (
        "id", "worker_id", "kind", "visited_on", "visitors", "aid", "occasion_id", "case_id",
        "note", "region_id",
    ),
)  # fmt: skip
# 六必访 (seed 001): how often each occasion is recorded, the aid a visit brings (yuan; a
# family dispute is talked through, not paid), who goes and who tells the union.
OCCASION_WEIGHTS: dict[str, float] = {
    CareOccasionKind.HOSPITALISED: 38,
    CareOccasionKind.FAMILY_ILLNESS: 20,
    CareOccasionKind.BEREAVEMENT: 22,
    CareOccasionKind.HOME_DISASTER: 5,
    CareOccasionKind.FAMILY_DISPUTE: 6,
    CareOccasionKind.EMERGENCY: 9,
}
OCCASION_AID: dict[str, tuple[int, int]] = {
    CareOccasionKind.HOSPITALISED: (500, 2000),
    CareOccasionKind.FAMILY_ILLNESS: (500, 2000),
    CareOccasionKind.BEREAVEMENT: (300, 1000),
    CareOccasionKind.HOME_DISASTER: (1000, 5000),
    CareOccasionKind.FAMILY_DISPUTE: (0, 0),
    CareOccasionKind.EMERGENCY: (500, 2000),
}
VISITORS = (
    "工会主席、单位领导",
    "工会主席、车间主任",
    "工会主席、工会干部",
    "工会主席、单位领导、班组长",
    "工会副主席、人事经理",
)
REPORTERS: tuple[tuple[str, str], ...] = (
    (CareOccasionSource.COLLEAGUE, "班组长"),
    (CareOccasionSource.COLLEAGUE, "车间主任"),
    (CareOccasionSource.COLLEAGUE, "同事"),
    (CareOccasionSource.SELF, "本人"),
    (CareOccasionSource.SELF, "家属"),
    (CareOccasionSource.UNION, "工会小组长"),
    (CareOccasionSource.ENTERPRISE, "人事部门"),
)
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


class Welfare:
    """What the welfare records share across counties: the case serial (the first cases take
    every status in turn, so even a tiny demo shows each); trips at every level go through
    `trip`."""

    def __init__(self, generator: Generator) -> None:
        self.g = generator
        self.case_serial = itertools.count()
        self.benefits_written = 0
        self.occasions_written = 0
        self.occasions_waiting = 0

    def benefit(self, person: Person, kind: str, on: datetime.date, county_name: str) -> None:
        g = self.g
        if kind == BenefitKind.RECUPERATION:
            place, cost = g.pick(data.DESTINATIONS), g.money(1500, 3000)
        elif kind == BenefitKind.HEALTH_CHECK:
            place, cost = f"{short_name(county_name)}人民医院体检中心", g.money(600, 1500)
        else:
            # 县总工会职工健身俱乐部免费健身年卡 (seed 000): free.
            place, cost = f"{county_name}总工会职工健身俱乐部", None
        g.emit(BENEFITS, person.id, kind, on, place, cost, None, "", person.region)
        self.benefits_written += 1

    def benefits_somewhere(self, everyone: Sequence[Person]) -> None:
        """A tiny demo may have no craftsman honoured at provincial level: a few of its most
        honoured workers then have a health check, so the table is never empty."""
        if self.benefits_written:
            return
        names = {county.code: county.name for county in self.g.context.counties}
        ranked = sorted(everyone, key=lambda p: (-p.honour, p.id))[:3]
        for person in ranked:
            on = self.g.day_in(data.LAST_YEAR - 1)
            county = names.get(county_of(person.region), "")
            self.benefit(person, BenefitKind.HEALTH_CHECK, on, county)

    def occasions_somewhere(self, everyone: Sequence[Person]) -> None:
        """A small demo may draw no 六必访 occasion, or none still waiting: then one worker has
        an occasion visited three days later, and another one waiting for a visit, so the
        to-do list has something to show."""
        g = self.g
        if not everyone:
            return
        first, second = (sorted(everyone, key=lambda p: p.id) * 2)[:2]
        if not self.occasions_written:
            kind, happened = CareOccasionKind.HOSPITALISED, data.DEMO_END - datetime.timedelta(40)
            occasion = g.emit(
                OCCASIONS, first.id, kind, happened, CareOccasionSource.COLLEAGUE, "班组长", "",
                first.region,
            )  # fmt: skip
            on = happened + datetime.timedelta(days=3)
            g.emit(
                VISITS, first.id, kind, on, VISITORS[0], Decimal(1000), occasion, None, "",
                first.region,
            )  # fmt: skip
            self.occasions_written += 1
        if not self.occasions_waiting:
            kind, happened = CareOccasionKind.EMERGENCY, data.DEMO_END - datetime.timedelta(12)
            g.emit(
                OCCASIONS, second.id, kind, happened, CareOccasionSource.SELF, "家属", "",
                second.region,
            )  # fmt: skip
            self.occasions_written += 1
            self.occasions_waiting += 1

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
        wanted = size or self.g.rng.randint(10, 40)
        # A named trip (a given size) lists whoever the ledger has; others half the time.
        if pool and (size is not None or (len(pool) >= 10 and self.g.chance(0.5))):
            participants = self.g.sample(pool, wanted)
        else:
            declared = size or self.g.rng.randint(20, 200)
        trip = self.g.emit(
            TRIPS,
            title,
            destination or self.g.pick(data.DESTINATIONS),
            start,
            days or self.g.rng.randint(2, 5),
            region,
            declared,
            self.g.money(300, 2500),
            self.g.weighted(("union", "enterprise", "mixed"), (60, 15, 25)),
        )
        for person in participants:
            self.g.emit(TRIP_PARTICIPANTS, trip, person.id)


class CountyWelfare(CountyPart):
    """One county's care pairings, hardship cases, service stations and recuperation trips."""

    def __init__(self, welfare: Welfare, here: CountyPeople) -> None:
        super().__init__(here)
        self.welfare = welfare
        # The county's hardship cases as drawn (id, person, causes, status, filed on): the
        # 六必访 visits answer some of them. Kept without drawing a number.
        self.cases: list[tuple[int, Person, list[str], str, datetime.date | None]] = []

    def care_pairings(self) -> None:
        g = self.g
        carers = [p for p in self.people if p.honour and p.age < 60]
        carers = carers or [p for p in self.people if p.skill >= 3 and p.age < 60]
        carers = carers or [p for p in self.people if p.age < 60]
        for senior in self.seniors:
            for carer in self.g.sample(carers, 2 if g.chance(0.25) else 1):
                g.emit(PAIRINGS, senior.id, carer.id, g.day_in(g.year()), senior.region)

    def hardship(self) -> None:
        g, rng = self.g, self.rng
        statuses = list(CASE_STATUS_WEIGHTS)
        shaoxing = self.county.city.code == data.DISPATCH_CITY
        for person in g.sample(self.people, self.quota["cases"]):
            serial = next(self.welfare.case_serial)
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
            person.region,
        )
        self.cases.append((case, person, causes, status, filed_on))
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
            g.emit(GRANTS, case, kind, g.money(low, high), day, fund, person.region)

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
            self.welfare.trip(county.code, title, start, pool)
        if county.code == "330424":
            honoured = [p for p in self.people if p.honour]
            self.welfare.trip(
                county.code,
                "海盐县“礼遇工匠”浙江工匠疗休养",
                datetime.date(2023, 5, 8),
                honoured,
                destination="安吉余村",
                days=3,
                size=len(honoured) or 8,
            )

    def craftsman_benefits(self) -> None:
        """礼遇工匠: each craftsman honoured at provincial level or above takes each benefit in
        some of the years it is due (BENEFIT_TAKE_UP), so that this year some fall due and
        some are overdue (welfare.selectors.benefits_due)."""
        g = self.g
        for person in self.people:
            if not person.craftsman_since:
                continue
            start = max(person.craftsman_since, BENEFITS_SINCE)
            for kind, every in BENEFIT_EVERY.items():
                due = start
                for year in range(start, data.LAST_YEAR + 1):
                    if year >= due and g.chance(BENEFIT_TAKE_UP[kind]):
                        self.welfare.benefit(person, kind, g.day_in(year), self.county.name)
                        due = year + every

    def care_visits(self) -> None:
        """六必访: occasions recorded for about one worker in 60 over the years, most visited
        within a week, some later, about one in eight not yet; and the hardship cases on file
        whose cause is among the six, four in five visited after their filing. A source of its
        own, so the records drawn before stay the same."""
        g = self.g
        rng = random.Random(f"care-visits-{self.county.code}")  # noqa: S311 (demo data)
        end = data.DEMO_END
        open_case = {
            person.id: case
            for case, person, _causes, status, _filed in self.cases
            if status in (CaseStatus.REPORTED, CaseStatus.VERIFIED, CaseStatus.FILED,
                          CaseStatus.AIDED)
        }  # fmt: skip
        kinds, weights = list(OCCASION_WEIGHTS), list(OCCASION_WEIGHTS.values())
        occasions: set[tuple[int, str, datetime.date]] = set()
        visits: set[tuple[int, str, datetime.date]] = set()

        def visit(
            person: Person, kind: str, on: datetime.date, occasion: int | None, case: int | None
        ) -> None:
            if on > end or (person.id, kind, on) in visits:
                return
            visits.add((person.id, kind, on))
            low, high = OCCASION_AID[kind]
            aid = Decimal(0)
            if high and rng.random() < 0.85:  # else goods only, or words
                aid = Decimal(rng.randrange(low // 100, high // 100 + 1) * 100)
            g.emit(
                VISITS, person.id, kind, on, rng.choice(VISITORS), aid, occasion, case, "",
                person.region,
            )  # fmt: skip

        # About one worker in 60 over the years (a fraction drawn as a chance).
        count = int(len(self.people) / 60 + rng.random())
        for person in rng.sample(self.people, min(count, len(self.people))):
            kind = rng.choices(kinds, weights)[0]
            span = end.toordinal() - START
            happened = datetime.date.fromordinal(START + int(span * rng.random() ** 0.5))
            if (person.id, kind, happened) in occasions:
                continue
            occasions.add((person.id, kind, happened))
            source, reporter = rng.choice(REPORTERS)
            occasion = g.emit(
                OCCASIONS, person.id, kind, happened, source, reporter, "", person.region
            )
            self.welfare.occasions_written += 1
            roll = rng.random()
            if roll < 0.12:
                self.welfare.occasions_waiting += 1
                continue  # not visited yet: on the to-do list
            delay = rng.randint(0, 6) if roll < 0.8 else rng.randint(7, 25)
            on = happened + datetime.timedelta(days=delay)
            if on > end:
                self.welfare.occasions_waiting += 1  # the visit would come after the demo's end
            visit(person, kind, on, occasion, open_case.get(person.id))
        for case, person, causes, status, filed in self.cases:
            called = case_occasion(causes)  # the visit rule's own mapping
            if called is None or filed is None:
                continue
            if status not in CARE_CASE_STATUSES:
                continue
            if rng.random() < 0.8:
                on = filed + datetime.timedelta(days=rng.randint(2, 30))
                visit(person, called, on, None, case)


def counselling(generator: Generator) -> None:
    """台工心港: every 台州 county's monthly assessment tallies by scale, a few consultation
    bookings a month (most held, some cancelled or missed, the days ahead still booked) and a
    lecture every month or two. A random source of its own, so that the records drawn before
    stay the same."""
    g = generator
    rng = random.Random("counselling")  # noqa: S311 (demo data, not secrets)
    today = data.DEMO_END
    counties = [c for c in g.context.counties if c.city.code == COUNSELLING_CITY]
    statuses = list(BOOKING_OUTCOMES)
    for county in counties:
        sequence = itertools.count(300)
        for year in range(COUNSELLING_SINCE, data.LAST_YEAR + 1):
            for month in range(1, 13):
                first = datetime.date(year, month, 1)
                if first > today:
                    break
                for scale, (low, high) in SCALE_MONTHLY.items():
                    taken = rng.randint(low, high)
                    referred = round(taken * rng.uniform(*REFERRED_SHARE))
                    g.emit(ASSESSMENTS, county.code, year, month, scale, taken, referred)
                for _ in range(rng.randint(1, 4)):
                    day = first + datetime.timedelta(days=rng.randrange(28))
                    if day > today + datetime.timedelta(days=20):
                        continue
                    status = (
                        BookingStatus.BOOKED
                        if day > today
                        else rng.choices(statuses, list(BOOKING_OUTCOMES.values()))[0]
                    )
                    male = rng.random() < 0.45
                    birth = (
                        f"{rng.randint(1968, 2002)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
                    )
                    # The 17th digit is odd for men.
                    serial = (2 * next(sequence) + (1 if male else 0)) % 1000
                    id_number = (
                        ids.id_number(county.code, birth, serial) if rng.random() < 0.4 else ""
                    )
                    g.emit(
                        BOOKINGS,
                        county.code,
                        ids.person_name(rng, male=male),
                        ids.mobile(rng),
                        id_number,
                        day,
                        status,
                        rng.choice(COUNSELLORS),
                    )
                if rng.random() < 0.6:
                    held_on = first + datetime.timedelta(days=rng.randrange(28))
                    if held_on <= today:
                        kind = rng.choices(list(LectureKind), (6, 2, 2))[0]
                        g.emit(
                            LECTURES,
                            county.code,
                            held_on,
                            f"{rng.choice(LECTURE_TOPICS)}（{month}月）",
                            kind,
                            f"{county.name}{rng.choice(LECTURE_HOSTS)}",
                            rng.randint(25, 180),
                        )
