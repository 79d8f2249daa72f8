"""What the demo generator reads from the database before it writes anything.

The regions (province, cities, counties from the regions fixture, towns from `data.DEMO_TOWNS`),
the honour titles (the reference fixture's, plus the local city, county and town titles the
newspaper seeds name), the programmes and the first free id of every table. Nothing here draws a
random number, so reading the context never shifts the generated records.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import models

from base.models import Level, Region, RegionLevel, short_name
from demo import data
from demo.sink import Table
from programs.models import Programme
from workforce.models import HonourTitle


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


def load_context(tables: Sequence[Table], using: str = "default") -> Context:
    """Read the context, adding the local honour titles that are missing; `tables` are the ones
    the generator will write, whose first free ids it needs."""
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
        for table in tables
    }
    return Context(province, tuple(cities.values()), counties, titles, programmes, first_ids)
