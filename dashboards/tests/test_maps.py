"""The dashboard map: every child region has its shape (or its point), found by code."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from base.models import Region, RegionLevel
from base.roles import Role
from dashboards import maps
from tests import clock, factories
from welfare.models import ServiceStation
from workforce.models import Worker

pytestmark = pytest.mark.django_db
THIS_YEAR = clock.A_WORKING_DAY.year


@pytest.fixture(autouse=True)
def _a_fixed_today(monkeypatch):
    clock.freeze(monkeypatch, clock.A_WORKING_DAY)


def drawn(region: Region) -> dict[str, str]:
    """The codes the region's map draws, as shapes or points, with the name each carries."""
    boundaries = json.loads(maps.boundary_file(region).read_text())
    shapes = {f["properties"]["code"]: f["properties"]["name"] for f in boundaries["features"]}
    points = {point["code"]: point["name"] for point in boundaries["points"]}
    assert not shapes.keys() & points.keys()
    return shapes | points


def mapped_regions() -> list[Region]:
    return list(
        Region.objects.filter(level__in=(RegionLevel.PROVINCE, RegionLevel.CITY)).order_by("code")
    )


def test_the_province_and_every_city_have_a_map():
    regions = mapped_regions()
    assert len(regions) == 12
    assert all(maps.has_map(region) for region in regions)
    assert not maps.has_map(Region.objects.get(code="330381"))  # towns have no boundaries


def test_every_child_region_is_on_its_parents_map_by_code_and_nothing_else():
    """Over the region table: a city or county added, renamed or recoded without its shape (or
    point) in static/vendor/zhejiang-map fails here, naming it."""
    wrong = {}
    for region in mapped_regions():
        children = dict(region.children.values_list("code", "name"))
        assert children, region
        on_map = drawn(region)
        if on_map != children:
            wrong[region.code] = {
                "not on the map": sorted(children.items() - on_map.items()),
                "on the map only": sorted(on_map.items() - children.items()),
            }
    assert not wrong


def test_a_city_page_carries_its_counties_values_links_and_stations(login):
    ruian = Region.objects.get(code="330381")
    for _ in range(2):
        factories.build(Worker, ruian)
    factories.build(
        ServiceStation, ruian, name="塘下爱心驿站", latitude=Decimal("27.8"),
        longitude=Decimal("120.6"), opened_on=clock.A_WORKING_DAY,
    )  # fmt: skip
    factories.build(ServiceStation, ruian, name="无坐标驿站", latitude=None, longitude=None)
    client = login(factories.staff("wz_admin", Role.ADMIN, "330300"))
    response = client.get(reverse("dashboards:region", args=["330300"]), {"year": THIS_YEAR})
    data = response.context["map_data"]
    assert data["url"].endswith("vendor/zhejiang-map/330300.json")
    child = next(c for c in data["children"] if c["code"] == "330381")
    assert child["name"] == "瑞安市" and child["values"]["workers"] == 2
    assert child["url"] == f"/dashboards/330381/?year={THIS_YEAR}"
    assert data["stations"] == [{"name": "塘下爱心驿站", "value": [120.6, 27.8]}]
    page = response.content.decode()
    assert 'id="dashboard-map"' in page and 'id="map-indicator"' in page


def test_a_user_who_may_not_read_stations_sees_none_on_the_map(login):
    factories.build(
        ServiceStation, Region.objects.get(code="330381"), latitude=Decimal("27.8"),
        longitude=Decimal("120.6"), opened_on=clock.A_WORKING_DAY,
    )  # fmt: skip
    user = factories.staff("wz_viewer", Role.VIEWER, "330300")
    user.user_permissions.clear()
    for group in user.groups.all():
        group.permissions.remove(*group.permissions.filter(codename="view_servicestation"))
    client = login(user)
    data = client.get(reverse("dashboards:region", args=["330300"])).context["map_data"]
    assert data["stations"] is None


def test_a_county_page_has_no_map(login):
    client = login(factories.staff("ra", Role.VIEWER, "330381"))
    response = client.get(reverse("dashboards:region", args=["330381"]))
    assert response.context["map_data"] is None
    assert 'id="dashboard-map"' not in response.content.decode()
