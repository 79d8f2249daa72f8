"""What every domain's demo builder shares: one seeded random source, the ids, the sink, the
people and employers of the county in hand, and the tallies the federations add up.

A single `random.Random(SEED)` feeds every domain in a fixed order, which is what makes the same
`--workers N` produce the same rows: a domain builder must draw its numbers in the same sequence
whatever module it lives in. Nothing here writes a record of its own; the domain modules
(`demo.workforce`, `demo.programs`, `demo.training`, `demo.welfare`) emit through `emit`.
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from demo import data
from demo.context import Context, County
from demo.sink import Sink, Table

SEED = 20230501
T = TypeVar("T")

START = datetime.date(data.FIRST_YEAR, 1, 1).toordinal()
END = data.DEMO_END.toordinal()


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
    union_id: int = 0  # its grassroots union's id, once emitted (0: none)


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
    # The year of the first craftsman honour at provincial level or above (浙江工匠 …), the one
    # the 礼遇工匠 benefits are due for; 0 without one.
    craftsman_since: int = 0


@dataclass
class Tally:
    """Per-county numbers the federations above the counties add up (their union members)."""

    union_members: int = 0


class Generator:
    """One run's shared state: the random source and its helpers, the next free ids, the sink,
    the per-region tallies and the sample of each city's workers."""

    def __init__(self, context: Context, *, workers: int, sink: Sink) -> None:
        self.context = context
        self.total_workers = workers
        self.sink = sink
        self.rng = random.Random(SEED)  # noqa: S311 (demo data, not secrets)
        self.next_ids = dict(context.first_ids)
        self.tallies: dict[str, Tally] = defaultdict(Tally)
        # Workers that province- and city-level events may draw from, a bounded sample per city.
        self.city_pool: dict[str, list[Person]] = defaultdict(list)
        self.city_seen: Counter[str] = Counter()
        # Each region's federation of unions (总工会) by region code, once emitted: the union
        # that founds the region's academy, holds its job fairs, keeps a town's library.
        self.federations: dict[str, int] = {}
        self.year_cumulative = tuple(itertools.accumulate(data.YEAR_WEIGHTS))

    # -- ids and rows -------------------------------------------------------------------------

    def new_id(self, table: Table) -> int:
        pk = self.next_ids[table]
        self.next_ids[table] = pk + 1
        return pk

    def emit(self, table: Table, *values: Any) -> int:
        pk = self.new_id(table)
        self.sink.add(table, (pk, *values))
        return pk

    # -- random draws -------------------------------------------------------------------------

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

    # -- the city pools -----------------------------------------------------------------------

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

    def everyone(self) -> list[Person]:
        """The sampled workers of every city, the pool of province-level events."""
        return [p for city in self.context.cities for p in self.city_pool[city.code]]


class CountyPeople:
    """One county in hand: its quotas, employers, workers and retired seniors. The workforce
    builder fills it; every other domain's county builder reads it. Only one county is held at a
    time, so memory stays bounded by the largest county, not the province."""

    def __init__(
        self, generator: Generator, county: County, workers: int, quota: dict[str, int]
    ) -> None:
        self.g = generator
        self.county = county
        self.size = workers
        self.quota = quota
        self.tally = generator.tallies[county.code]
        self.employers: list[Employer] = []
        self.people: list[Person] = []
        self.seniors: list[Person] = []
        self.quota["seniors"] = min(self.quota["seniors"], workers)
        # Industries are drawn with the county's specialties six times as likely.
        weights = [
            w * (6 if name in data.COUNTY_SPECIALTIES.get(county.code, ()) else 1)
            for name, w in data.BASE_INDUSTRY_WEIGHTS.items()
        ]
        self.industries = list(data.BASE_INDUSTRY_WEIGHTS)
        self.industry_cumulative = list(itertools.accumulate(weights))

    def industry(self) -> str:
        return self.g.rng.choices(self.industries, cum_weights=self.industry_cumulative)[0]


class CountyPart:
    """The base of a domain's county builder: the county in hand under the names the builders
    use (`self.people`, `self.employers` …), so a builder reads like the county it describes."""

    def __init__(self, here: CountyPeople) -> None:
        self.here = here
        self.g = here.g
        self.rng = here.g.rng
        self.county = here.county

    @property
    def size(self) -> int:
        return self.here.size

    @property
    def quota(self) -> dict[str, int]:
        return self.here.quota

    @property
    def tally(self) -> Tally:
        return self.here.tally

    @property
    def employers(self) -> list[Employer]:
        return self.here.employers

    @property
    def people(self) -> list[Person]:
        return self.here.people

    @property
    def seniors(self) -> list[Person]:
        return self.here.seniors

    def industry(self) -> str:
        return self.here.industry()
