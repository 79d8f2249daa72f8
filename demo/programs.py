"""Demo records of the programs app: innovation studios and their achievements, the 劳模工匠助企行
service visits with the problems they collected, pilot units of the reform programmes and the
产改联盟 with their members across counties and their 五联 activities, the towns' 产改协调小组, and
the 能级工资集体协商 agreements with their skill-level ladders, the 春风行动 job fairs with the
enterprises at them, and the 「人大+工会」 suggestions of workers and grassroots unions with their
handling.
The targets each region is set are written last, against the records (`demo.targets`).

Named visits and pilots come from the newspaper seeds in `demo.data` (`SEED_PILOTS`, 温州's
职工成长型社会 first batch, the 淳安 and 高楼镇 visits); studio, visit and achievement titles are
drawn from its word lists.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from base.models import Level, county_of, short_name
from demo import data
from demo import identity as ids
from demo.context import County
from demo.generator import END, CountyPart, CountyPeople, Employer, Generator, Person
from demo.sink import Table
from programs.models import (
    Achievement,
    AllianceActivity,
    AllianceMember,
    CoordinationGroup,
    InnovationStudio,
    JobFair,
    JobFairEnterprise,
    PilotUnit,
    ReformAlliance,
    ServiceProblem,
    ServiceVisit,
    Suggestion,
    Target,
    WageAgreement,
    WageLevel,
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
SUGGESTIONS = Table(
    Suggestion,
    (
        "id", "worker_id", "union_id", "region_id", "topic", "text", "received_on",
        "addressed_to", "status", "accepted_on", "assigned_to", "assigned_on", "answer",
        "answered_on", "closed_on", "satisfaction",
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
        "region_id",
    ),
)
PILOTS = Table(
    PilotUnit,
    (
        "id", "programme_id", "unit_type", "name", "region_id", "enterprise_id", "team_name",
        "level", "batch_year", "status",
    ),
)  # fmt: skip
GROUPS = Table(
    CoordinationGroup,
    (
        "id", "region_id", "established_on", "dissolved_on", "leader_name", "leader_post",
        "member_units", "note",
    ),
)  # fmt: skip
# The county whose accounts the demo lists (ra_admin, ra_clerk …).
DEMO_COUNTY = "330381"
# A fair is in its union's region; the enterprises at it carry the fair's (FollowsRegion).
JOB_FAIRS = Table(
    JobFair,
    (
        "id", "name", "region_id", "held_on", "organiser_union_id", "organiser", "venue",
        "online", "seekers_count",
    ),
)  # fmt: skip
JOB_FAIR_ENTERPRISES = Table(
    JobFairEnterprise,
    ("id", "fair_id", "enterprise_id", "positions_count", "hires_count", "region_id"),
)
TARGETS = Table(Target, ("id", "region_id", "indicator", "year", "value"))
# An alliance, its members and activities carry the lead enterprise's region (FollowsRegion).
ALLIANCES = Table(
    ReformAlliance,
    ("id", "name", "lead_id", "kind", "founded_on", "dissolved_on", "description", "region_id"),
)
ALLIANCE_MEMBERS = Table(
    AllianceMember, ("id", "alliance_id", "enterprise_id", "joined_on", "left_on", "region_id")
)
ALLIANCE_ACTIVITIES = Table(
    AllianceActivity,
    ("id", "alliance_id", "kind", "held_on", "title", "enterprises_count", "note", "region_id"),
)
WAGE_AGREEMENTS = Table(
    WageAgreement,
    (
        "id", "kind", "title", "enterprise_id", "industry", "region_id", "signed_on",
        "valid_until", "terminated_on", "enterprises_declared", "workers_covered", "union_side",
        "employer_side",
    ),
)  # fmt: skip
WAGE_COVERED = Table(
    WageAgreement.covered_enterprises.through, ("id", "wageagreement_id", "enterprise_id")
)
WAGE_LEVELS = Table(
    WageLevel,
    ("id", "agreement_id", "skill_level", "minimum_wage", "differential", "order", "region_id"),
)
# How an industry is called in a 行业性 agreement's name (瑞安's 汽摩配, 乐清's 电气, 温州's 鞋革).
WAGE_INDUSTRY_NAMES = {
    "汽车零部件": "汽摩配", "电气机械": "电气", "鞋革制造": "鞋革", "通用设备制造": "泵阀机械",
    "模具塑料": "模具", "化工新材料": "化工", "电子信息": "电子信息", "纺织服装": "纺织服装",
    "五金制品": "五金", "食品加工": "食品", "医药": "医药", "新能源": "新能源", "建筑": "建筑",
    "物流快递": "快递物流", "家政服务": "家政", "水务能源": "水务",
}  # fmt: skip
# Agreements run three years and are renewed; the first terms begin before the demo years, so
# some are in force in every year shown.
WAGE_TERM_YEARS = 3


def wage_terms(rng: random.Random, first_year: int) -> list[tuple[datetime.date, datetime.date]]:
    """Consecutive three-year terms from a day of `first_year` up to the demo's end, each renewal
    signed a few days to a few weeks after the last term ran out."""
    terms = []
    signed = datetime.date(first_year, rng.randint(1, 12), rng.randint(1, 28))
    while signed <= data.DEMO_END:
        try:
            anniversary = signed.replace(year=signed.year + WAGE_TERM_YEARS)
        except ValueError:  # signed on 29 February
            anniversary = datetime.date(signed.year + WAGE_TERM_YEARS, 3, 1)
        until = anniversary - datetime.timedelta(days=1)
        terms.append((signed, until))
        signed = until + datetime.timedelta(days=rng.randint(1, 40))
    return terms


def minimum_wage_floor(year: int) -> int:
    """浙江's first-tier monthly minimum wage in force in `year` (元)."""
    return 2010 if year < 2021 else 2280 if year < 2024 else 2490


class WageAgreements:
    """能级工资集体协商 records: agreements and their ladders. They draw from their own random
    source, so adding them changes no other demo record."""

    def __init__(self, generator: Generator, seed: str) -> None:
        self.g = generator
        self.rng = random.Random(f"wage-agreements-{seed}")  # noqa: S311 (demo data)

    def agreement(
        self,
        *,
        kind: str,
        title: str,
        region: str,
        terms: tuple[datetime.date, datetime.date],
        enterprise: Employer | None = None,
        industry: str = "",
        covered: Sequence[Employer] = (),
        declared: int | None = None,
        workers: int,
        union_side: str,
        employer_side: str,
    ) -> None:
        signed, until = terms
        agreement = self.g.emit(
            WAGE_AGREEMENTS,
            kind,
            f"{title}（{signed.year}—{until.year}年）",
            enterprise.id if enterprise else None,
            industry,
            region,
            signed,
            until,
            None,
            None if covered else declared,
            workers,
            union_side,
            employer_side,
        )
        for employer in covered:
            self.g.emit(WAGE_COVERED, agreement, employer.id)
        # The ladder: 初级工 a little over the minimum wage, each level above a 级差 more.
        rng = self.rng
        wage = minimum_wage_floor(signed.year) + rng.randrange(200, 700, 10)
        top = rng.choice((4, 4, 5, 5, 6))
        for order, level in enumerate(range(1, top + 1), start=1):
            differential = None if order == 1 else Decimal(rng.randrange(300, 900, 50))
            wage += int(differential or 0)
            self.g.emit(WAGE_LEVELS, agreement, level, Decimal(wage), differential, order, region)

    def industry_agreements(
        self, *, place: str, place_name: str, industry: str, employers: Sequence[Employer]
    ) -> None:
        """One industry's agreements in a county or city, renewed term after term."""
        rng = self.rng
        name = WAGE_INDUSTRY_NAMES.get(industry, industry)
        members = [e for e in employers if e.industry == industry and not e.platform]
        listed = len(members) >= 2 and rng.random() < 0.7
        for terms in wage_terms(rng, rng.randint(2017, 2020)):
            covered = rng.sample(members, max(2, len(members) * 3 // 4)) if listed else []
            declared = rng.randint(12, 90)
            workers = sum(max(e.workers, 40) for e in covered) or declared * rng.randint(60, 180)
            self.agreement(
                kind="industry",
                title=f"{place_name}{name}行业能级工资集体协议",
                region=place,
                terms=terms,
                industry=name,
                covered=covered,
                declared=declared,
                workers=workers,
                union_side=f"{place_name}{name}行业工会联合会",
                employer_side=f"{place_name}{name}行业协会",
            )

    def enterprise_agreements(self, employers: Sequence[Employer]) -> None:
        """A minority of 规上 enterprises sign their own agreement, renewed every three years."""
        rng = self.rng
        for employer in employers:
            if not employer.above_scale or employer.platform or rng.random() >= 0.2:
                continue
            for terms in wage_terms(rng, rng.randint(2018, 2024)):
                self.agreement(
                    kind="enterprise",
                    title=f"{employer.name}能级工资集体协议",
                    region=employer.region,
                    terms=terms,
                    enterprise=employer,
                    industry=WAGE_INDUSTRY_NAMES.get(employer.industry, employer.industry),
                    workers=max(employer.workers, rng.randint(80, 400)),
                    union_side=f"{employer.name}工会委员会",
                    employer_side=employer.name,
                )


# 「人大+工会」: what front-line workers raise (seed: 丹西's car-pool suggestion) and what comes of
# it, by topic: (suggestion, answer, to whom it is assigned).
SUGGESTION_TEXTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "commute": (
        ("厂区离市区较远，希望公司牵头组织上下班顺路的职工拼车，降低出行成本",
         "公司工会与行政部联合调研排查，已为职工匹配拼车对象", "企业工会、行政部"),
        ("希望增开工业园区至镇区的职工通勤班车", "已协调公交公司早晚高峰增开班次", "县交通运输局"),
    ),
    "wages": (
        ("希望公司明确技能等级与工资挂钩的标准", "已纳入年度工资集体协商议题并签订专项协议",
         "企业工会"),
        ("建议加班工资按月及时足额发放", "企业已整改，加班工资随当月工资发放", "县人力社保局"),
    ),
    "safety": (
        ("车间夏季高温，建议增加防暑降温设施", "已加装工业风扇并发放防暑降温用品", "企业安全生产部门"),
        ("建议在叉车通道加装警示标识和隔离栏", "已完成厂区通道安全改造", "企业安全生产部门"),
    ),
    "skills": (
        ("希望组织技能等级认定培训，方便一线职工提升等级", "已联合工匠学院开设技能提升班",
         "镇(街道)总工会"),
        ("建议开设数控编程夜校班", "已在职工学校开设夜校班", "县总工会"),
    ),
    "hours": (
        ("希望合理安排轮班，保证每周至少休息一天", "企业已调整排班制度", "企业工会"),
        ("建议旺季加班实行调休", "企业已建立加班调休台账", "企业工会、行政部"),
    ),
    "welfare": (
        ("希望食堂增加夜班职工餐", "食堂已增设夜班供餐时段", "企业工会"),
        ("建议暑期为外地职工子女提供托管", "已开办职工子女暑托班", "镇(街道)总工会"),
    ),
    "rights": (
        ("希望帮助新入职职工签订书面劳动合同", "已督促企业补签劳动合同", "县人力社保局"),
    ),
    "other": (
        ("建议在厂区增设快递收发点", "已在门卫室设立快递代收点", "企业行政部"),
    ),
}  # fmt: skip
SUGGESTION_TOPIC_WEIGHTS = {
    "commute": 3, "wages": 4, "safety": 3, "skills": 3, "hours": 2, "welfare": 3, "rights": 1,
    "other": 1,
}  # fmt: skip
DEPUTY_RANKS = (("省人大代表", 1), ("市人大代表", 2), ("县人大代表", 5))


class Programs:
    """What the programs records share across counties: the large employers of each city (the
    pool of 温州's growth-programme pilots); the visits, pilots and targets above the counties."""

    def __init__(self, generator: Generator) -> None:
        self.g = generator
        self.city_employers: dict[str, list[Employer]] = defaultdict(list)

    def city_wage_agreements(self) -> None:
        """温州's own 鞋革 agreement, which lists 鞋革 enterprises of several of its counties."""
        wenzhou = "330300"
        shoes = [e for e in self.city_employers.get(wenzhou, []) if e.industry == "鞋革制造"]
        if shoes:
            WageAgreements(self.g, wenzhou).industry_agreements(
                place=wenzhou, place_name="温州市", industry="鞋革制造", employers=shoes
            )

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
        linked = self.g.sample(craftsmen, self.g.rng.randint(2, 6)) if self.g.chance(0.6) else []
        if problems is not None:
            linked = self.g.sample(craftsmen, 4)
        listed = problems if problems is not None else 0
        if problems is None and linked and self.g.chance(0.5):
            listed = self.g.rng.randint(1, 7)
        statuses: list[tuple[str, datetime.date | None]] = []
        for _ in range(listed):
            status = self.g.weighted(("solved", "in_progress", "open"), (55, 30, 15))
            solved_on = None
            if status == "solved":
                solved = day.toordinal() + self.g.rng.randint(1, 120)
                if solved > END:
                    status = "in_progress"
                else:
                    solved_on = datetime.date.fromordinal(solved)
            statuses.append((status, solved_on))
        if listed:
            collected, solved_count = listed, sum(1 for s, _d in statuses if s == "solved")
        else:
            collected = self.g.rng.randint(0, 10)
            solved_count = self.g.rng.randint(0, collected)
        benefit = self.g.money(10_000, 3_000_000) if self.g.chance(0.6) else None
        visit = self.g.emit(
            VISITS,
            title,
            day,
            region or county.code,
            0 if linked else self.g.rng.randint(3, 12),
            self.g.rng.randint(1, 6),
            collected,
            solved_count,
            self.g.rng.randint(0, 120),
            benefit,
        )
        for person in linked:
            self.g.emit(VISIT_CRAFTSMEN, visit, person.id)
        for description, (status, solved_on) in zip(
            self.g.sample(data.PROBLEMS, listed), statuses, strict=False
        ):
            employer = self.g.pick(employers).id if employers else None
            expert = self.g.pick(linked).id if linked else None
            self.g.emit(
                PROBLEMS,
                visit,
                employer,
                description,
                expert,
                status,
                day,
                solved_on,
                region or county.code,
            )

    def pilots_of_growth_programme(self) -> None:
        """温州's first batch of 职工成长型社会 enterprises and teams, from its larger employers."""
        programme = self.g.context.programmes.get(data.GROWTH_PROGRAMME)
        if programme is None:
            return
        employers = self.city_employers[data.GROWTH_CITY]
        chosen = self.g.sample(employers, data.GROWTH_FIRST_BATCH[0])
        for employer in chosen:
            self.g.emit(
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
            team = self.g.pick(data.TEAM_WORKSHOPS) + self.g.pick(data.TEAM_SUFFIXES)
            self.g.emit(
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

    def alliances(self) -> None:
        """A handful of 产改联盟 per city, led by its larger employers (天台's first one by
        浙江银轮机械, seed 000), with members from the lead's county, the city's other counties
        and now and then another city; each holds a few 五联 activities a year."""
        g = self.g
        county_names = {county.code: county.name for county in g.context.counties}
        names: set[str] = set()
        everywhere = [e for employers in self.city_employers.values() for e in employers]
        for city in g.context.cities:
            employers = self.city_employers[city.code]
            if len(employers) < 2:
                continue
            leads: list[tuple[Employer, str, datetime.date, str]] = []
            if city.code == data.FIRST_ALLIANCE.region[:4] + "00":  # 台州市
                seeded = [e for e in employers if e.name == data.FIRST_ALLIANCE.lead]
                if seeded:
                    first = data.FIRST_ALLIANCE
                    leads.append((seeded[0], first.name, first.founded_on, first.description))
            count = min(5, max(2, len(employers) // 6))
            for lead in g.sample(employers, count):
                if lead in [entry[0] for entry in leads]:
                    continue
                founded = g.day_in(g.rng.randint(2021, data.LAST_YEAR))
                leads.append((lead, "", founded, ""))
            # The county the demo accounts keep (瑞安) shows an alliance of its own.
            home = [e for e in employers if county_of(e.region) == DEMO_COUNTY]
            if home and not any(county_of(entry[0].region) == DEMO_COUNTY for entry in leads):
                leads.append(
                    (max(home, key=lambda e: e.weight), "", datetime.date(2022, 5, 18), "")
                )
            for lead, name, founded, description in leads:
                kind = g.weighted(("chain", "area", "industry"), (60, 20, 20))
                if not name:
                    county = county_names.get(county_of(lead.region), city.name)
                    name = {
                        "chain": f"{county}{lead.industry}产业链产改联盟",
                        "area": f"{county}{lead.short}片区产改联盟",
                        "industry": f"{county}{lead.industry}行业产改联盟",
                    }[kind]
                else:
                    kind = "chain"
                base, serial = name, 1
                while name in names:
                    serial += 1
                    name = f"{base}（{serial}）"
                names.add(name)
                self.alliance(lead, name, kind, founded, description, employers, everywhere)

    def alliance(
        self,
        lead: Employer,
        name: str,
        kind: str,
        founded: datetime.date,
        description: str,
        city: Sequence[Employer],
        everywhere: Sequence[Employer],
    ) -> None:
        g, rng = self.g, self.g.rng
        dissolved = None
        if founded.year < data.LAST_YEAR - 1 and g.chance(0.05):
            dissolved = g.day_in(rng.randint(founded.year + 1, data.LAST_YEAR - 1))
        region = lead.region
        description = (
            description
            or f"由{lead.name}牵头，{name}开展组织联建、事务联商、资源共享、活动联办、品牌联创。"
        )
        alliance = g.emit(ALLIANCES, name, lead.id, kind, founded, dissolved, description, region)
        # The lead is listed among the members (docs/indicators.md): the seeds count it.
        members: list[Employer] = [lead]
        here = [e for e in city if e is not lead and county_of(e.region) == county_of(region)]
        elsewhere = [e for e in city if county_of(e.region) != county_of(region)]
        members += g.sample(here, rng.randint(2, 6))
        members += g.sample(elsewhere, rng.randint(0, 3))
        if g.chance(0.2):
            members += g.sample([e for e in everywhere if e not in city], 1)
        last = (dissolved or data.DEMO_END).toordinal()
        for member in {m.id: m for m in members}.values():
            joined = founded
            if member is not lead and g.chance(0.3):
                joined = datetime.date.fromordinal(rng.randint(founded.toordinal(), last))
            left = None
            if member is not lead and joined.toordinal() < last and g.chance(0.06):
                left = datetime.date.fromordinal(rng.randint(joined.toordinal(), last))
            g.emit(ALLIANCE_MEMBERS, alliance, member.id, joined, left, region)
        titles: set[tuple[str, datetime.date]] = set()
        for year in range(founded.year, (dissolved or data.DEMO_END).year + 1):
            for _ in range(rng.choices((0, 1, 2, 3, 4), (10, 25, 30, 25, 10))[0]):
                day = g.day_in(year)
                if day < founded or day.toordinal() > last:
                    continue
                activity_kind = g.pick(tuple(data.ALLIANCE_ACTIVITIES))
                title = f"{g.pick(data.ALLIANCE_ACTIVITIES[activity_kind])}（{day.month}月）"
                if (title, day) in titles:
                    continue
                titles.add((title, day))
                taking_part = rng.randint(2, max(2, len(members)))
                g.emit(
                    ALLIANCE_ACTIVITIES,
                    alliance,
                    activity_kind,
                    day,
                    title,
                    taking_part,
                    "",
                    region,
                )


class CountyPrograms(CountyPart):
    """One county's studios, achievements, service visits and pilot units."""

    def __init__(self, programs: Programs, here: CountyPeople) -> None:
        super().__init__(here)
        self.programs = programs
        self.achievement_titles: set[tuple[str, int, str]] = set()

    def coordination_groups(self) -> None:
        """A 产改协调小组 in every town of data.GROUP_COUNTIES and most towns elsewhere; now and
        then an earlier group was dissolved and set up again. Drawn from a random source of its
        own: the other records stay as they were without the groups."""
        every = self.county.code in data.GROUP_COUNTIES
        for town in self.county.towns:
            rng = random.Random(f"group-{town.code}")  # noqa: S311 (demo data, not secrets)
            if not every and rng.random() >= data.GROUP_CHANCE:
                continue
            established = datetime.date(rng.choice((2021, 2021, 2022, 2022, 2023, 2024)), 1, 1)
            established += datetime.timedelta(days=rng.randrange(360))
            if rng.random() < 0.15:
                # The first group, set up early, was dissolved when the town was reorganised.
                first = datetime.date(2019, established.month, min(established.day, 28))
                dissolved = datetime.date(2020, established.month, min(established.day, 28))
                self.group(rng, town.code, first, dissolved, "镇街调整后重新组建")
            self.group(rng, town.code, established, None, "")

    def group(
        self,
        rng: random.Random,
        town: str,
        established: datetime.date,
        dissolved: datetime.date | None,
        note: str,
    ) -> None:
        leader = ids.person_name(rng, male=rng.random() < 0.7)
        post = rng.choice(data.GROUP_POSTS)
        self.g.emit(GROUPS, town, established, dissolved, leader, post, rng.randint(6, 18), note)

    def remember_employers(self) -> None:
        big = [e for e in self.employers if e.above_scale and not e.platform]
        self.programs.city_employers[self.county.city.code].extend(big)

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
        showcase = self.county.code == data.SHOWCASE_COUNTY
        quota = max(self.quota["studios"], data.SHOWCASE_STUDIOS if showcase else 0)
        for index in range(quota):
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
            levels = (Level.NATIONAL, Level.PROVINCIAL, Level.CITY, Level.COUNTY)
            level = g.weighted(levels, (3, 15, 32, 50))
            named = rng.choices(range(2012, data.LAST_YEAR + 1), range(1, data.LAST_YEAR - 2010))[0]
            if showcase and index < len(levels):
                # One studio at every level, named before the demo years and never revoked.
                level, named = levels[index], min(named, data.FIRST_YEAR - 1)
            revoked = None
            if named < data.LAST_YEAR and rng.random() < 0.08 and not (showcase and index < 4):
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
            self.programs.visit(county, title, day, craftsmen, self.employers, region=region)
        if county.code == "330381":
            self.programs.visit(
                county,
                "劳模工匠助企服务·高楼镇早春茶指导",
                datetime.date(2024, 3, 12),
                craftsmen,
                [],
                region="330381110",
            )
        if county.code == "330127":
            self.programs.visit(
                county,
                "劳模工匠助企行·淳安专场",
                datetime.date(2025, 5, 20),
                craftsmen,
                self.employers,
                problems=7,
            )

    def job_fairs(self) -> None:
        JobFairs(self.g, self.county, self.employers).run()

    def wage_agreements(self) -> None:
        """The county's industry-wide agreements in its own industries (一县一业), and the
        enterprise agreements of a minority of its 规上 enterprises."""
        county = self.county
        agreements = WageAgreements(self.g, county.code)
        industries = data.COUNTY_SPECIALTIES.get(county.code, ())
        if not industries and self.employers and agreements.rng.random() < 0.6:
            counts: dict[str, int] = defaultdict(int)
            for employer in self.employers:
                if not employer.platform:
                    counts[employer.industry] += 1
            industries = (max(sorted(counts), key=counts.__getitem__),) if counts else ()
        for industry in industries:
            agreements.industry_agreements(
                place=county.code,
                place_name=county.name,
                industry=industry,
                employers=self.employers,
            )
        agreements.enterprise_agreements(self.employers)

    def suggestions(self) -> None:
        """「人大+工会」 suggestions since the channel opened (2023), from workers and grassroots
        unions of the county, about one a year for every 250 workers; nearly all are closed, most
        within 30 days of 受理, and most proposers are satisfied (丹西: 16 collected, 15 solved).
        Drawn from their own random source: the other records stay as they were."""
        rng = random.Random(f"suggestions-{self.county.code}")  # noqa: S311 (demo data)
        people = [p for p in self.people if p.employer is not None]
        unions = [e for e in self.employers if e.union_id]
        if not people:
            return
        towns = self.county.towns
        deputies = [
            (f"{rank}{ids.person_name(rng, male=rng.random() < 0.6)}", weight)
            for rank, weight in DEPUTY_RANKS
            for _ in range(2)
        ]
        topics = list(SUGGESTION_TOPIC_WEIGHTS)
        weights = list(SUGGESTION_TOPIC_WEIGHTS.values())
        first = datetime.date(2023, 3, 1).toordinal()
        count = max(3, round(self.size * (END - first) / 365 / 250))
        for _ in range(count):
            received = datetime.date.fromordinal(rng.randint(first, END))
            if unions and rng.random() < 0.2:
                employer = rng.choice(unions)
                worker, union, region = None, employer.union_id, employer.region
            else:
                person = rng.choice(people)
                worker, union, region = person.id, None, person.region
            topic = rng.choices(topics, weights)[0]
            text, answer, assignee = rng.choice(SUGGESTION_TEXTS[topic])
            if towns and rng.random() < 0.25:
                town = next((t for t in towns if t.code == region), rng.choice(towns))
                addressed = f"{town.name}人大工委"
            else:
                addressed = rng.choices([d for d, _w in deputies], [w for _d, w in deputies])[0]
            accepted = received + datetime.timedelta(days=rng.choice((0, 0, 1, 2)))
            assigned = accepted + datetime.timedelta(days=rng.randint(1, 5))
            answered = assigned + datetime.timedelta(days=rng.randint(3, 22))
            closed = answered + datetime.timedelta(days=rng.randint(1, 10))
            if rng.random() < 0.06:
                closed = datetime.date.max  # 转交相关部门办理落实中: not closed yet
            reached = [day <= data.DEMO_END for day in (accepted, assigned, answered, closed)]
            if not reached[0]:
                continue
            status = ("accepted", "assigned", "answered", "closed")[sum(reached) - 1]
            satisfaction = ""
            if reached[3]:
                satisfaction = rng.choices(("satisfied", "basically", "dissatisfied"), (75, 20, 5))[
                    0
                ]
            self.g.emit(
                SUGGESTIONS,
                worker,
                union,
                region,
                topic,
                text,
                received,
                addressed,
                status,
                accepted,
                assignee if reached[1] else "",
                assigned if reached[1] else None,
                answer if reached[2] else "",
                answered if reached[2] else None,
                closed if reached[3] else None,
                satisfaction,
            )

    def pilots(self) -> None:
        g, rng = self.g, self.rng
        programmes = g.context.programmes
        county = self.county
        seeded = [p for p in data.SEED_PILOTS if county_of(p.region) == county.code]
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


class JobFairs:
    """One county's 春风行动 fairs: the county federation's fair after the Spring Festival every
    year, from 2022 a live-streamed one now and then, and some towns' own. Drawn from a random
    source of the county's own, so the records drawn before stay as they were."""

    def __init__(self, generator: Generator, county: County, employers: Sequence[Employer]) -> None:
        self.g = generator
        self.county = county
        self.rng = random.Random(f"job-fairs-{county.code}")  # noqa: S311 (demo data)
        self.employers = [e for e in employers if not e.platform]

    def run(self) -> None:
        county, rng = self.county, self.rng
        place = short_name(county.name)
        federation = self.g.federations.get(county.code)
        for year in data.YEARS:
            # 春风行动 runs from the Spring Festival into March.
            day = datetime.date(year, 2, 1) + datetime.timedelta(days=rng.randrange(45))
            venue = (
                f"{place}市{rng.choice(data.FAIR_VENUES)}"
                if county.name.endswith("市")
                else (f"{county.name}{rng.choice(data.FAIR_VENUES)}")
            )
            self.fair(
                f"{place}工会{year}年“春风行动”暨就业服务月招聘会",
                county.code,
                day,
                union=federation,
                venue=venue,
                share=rng.uniform(0.25, 0.45),
            )
            if year >= 2022 and rng.random() < data.FAIR_ONLINE_CHANCE:
                self.fair(
                    f"{place}工会{year}年“春风送岗”直播带岗专场",
                    county.code,
                    day + datetime.timedelta(days=rng.randrange(7, 30)),
                    union=None,
                    organiser=f"{county.name}总工会、{county.name}人力资源和社会保障局",
                    online=True,
                    share=rng.uniform(0.05, 0.15),
                )
            for town in county.towns:
                if rng.random() >= data.FAIR_TOWN_CHANCE:
                    continue
                self.fair(
                    f"{place}{town.name}{year}年工会“春风行动”招聘会",  # town names repeat
                    town.code,
                    day + datetime.timedelta(days=rng.randrange(3, 40)),
                    union=self.g.federations.get(town.code),
                    venue=f"{town.name}职工服务中心",
                    share=rng.uniform(0.3, 0.6),
                )

    def fair(
        self,
        name: str,
        region: str,
        day: datetime.date,
        *,
        union: int | None,
        organiser: str = "",
        venue: str = "",
        online: bool = False,
        share: float,
    ) -> None:
        """A fair with a share of the region's employers taking part: 20–80 positions each
        (规上 more), about one in seven agreed to hire; seekers about half the positions."""
        rng = self.rng
        if union is None and not organiser:
            organiser = f"{self.county.name}总工会"
        local = [e for e in self.employers if e.region.startswith(region)]
        taking_part = rng.sample(local, min(len(local), max(1, round(len(local) * share))))
        taking_part.sort(key=lambda e: e.id)
        positions = [
            rng.randint(20, 80) if e.above_scale else rng.randint(3, 25) for e in taking_part
        ]
        hires = [round(p * rng.uniform(0.08, 0.2)) for p in positions]
        seekers = round(sum(positions) * rng.uniform(0.4, 0.7)) if positions else 0
        fair_id = self.g.emit(
            JOB_FAIRS, name, region, day, union, organiser, venue, online, seekers
        )
        for employer, offered, hired in zip(taking_part, positions, hires, strict=True):
            self.g.emit(JOB_FAIR_ENTERPRISES, fair_id, employer.id, offered, hired, region)
