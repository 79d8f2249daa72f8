import pytest
from django.contrib.auth import get_user_model

from base import scope
from base.models import Region
from base.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


def visible_codes(user) -> set[str]:
    return set(scope.visible_regions(user).values_list("code", flat=True))


def test_province_user_sees_the_whole_province(ruian_towns):
    user = factories.staff("zj", Role.VIEWER, "330000")
    assert visible_codes(user) == set(Region.objects.values_list("code", flat=True))


def test_city_user_sees_only_their_city(ruian_towns):
    user = factories.staff("wz", Role.VIEWER, "330300")
    codes = visible_codes(user)
    assert {"330300", "330381", "330382", "330381001", "330382001"} <= codes
    assert all(code.startswith("3303") for code in codes)
    assert "330100" not in codes


def test_county_user_sees_only_their_county_and_its_towns(ruian_towns):
    user = factories.staff("ra", Role.CLERK, "330381")
    assert visible_codes(user) == {"330381", "330381001", "330381101"}


def test_town_user_sees_only_their_town(ruian_towns):
    user = factories.staff("tx", Role.CLERK, "330381101")
    assert visible_codes(user) == {"330381101"}
    assert not scope.region_in_scope(user, "330381")
    assert not scope.region_in_scope(user, "330381001")


def test_user_without_region_sees_nothing(ruian_towns):
    assert visible_codes(factories.user_without_region()) == set()


def test_superuser_sees_everything(ruian_towns):
    assert len(visible_codes(factories.superuser())) == Region.objects.count()


def test_deactivated_user_sees_nothing(ruian_towns):
    user = factories.staff("gone", Role.CLERK, "330381")
    user.is_active = False
    assert visible_codes(user) == set()


def test_staff_accounts_are_scoped_by_their_region(ruian_towns):
    ruian = factories.staff("ra", Role.ADMIN, "330381")
    factories.staff("tx", Role.CLERK, "330381101")
    factories.staff("yq", Role.CLERK, "330382")
    visible = scope.filter_for_user(get_user_model().objects.all(), ruian)
    assert set(visible.values_list("username", flat=True)) == {"ra", "tx"}


def test_objects_are_judged_by_their_region_code(ruian_towns):
    user = factories.staff("ra", Role.CLERK, "330381")
    assert scope.object_in_scope(user, ruian_towns["tangxia"])
    assert not scope.object_in_scope(user, ruian_towns["yueqing_town"])
    # An unsaved object is judged by where it would be saved.
    assert not scope.object_in_scope(user, Region(code="330382009", parent_id="330382"))
