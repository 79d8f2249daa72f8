import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from base.models import Region
from base.roles import Role, role_of
from tests import factories

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def ruian_admin(ruian_towns):
    return factories.staff("ra_admin", Role.ADMIN, "330381")


@pytest.fixture
def accounts(ruian_towns):
    return {
        "ruian_clerk": factories.staff("ra_clerk", Role.CLERK, "330381"),
        "tangxia_clerk": factories.staff("tx_clerk", Role.CLERK, "330381101"),
        "yueqing_clerk": factories.staff("yq_clerk", Role.CLERK, "330382"),
        "wenzhou_admin": factories.staff("wz_admin", Role.ADMIN, "330300"),
        "root": factories.superuser(),
    }


def user_url(user, view="change"):
    return reverse(f"admin:auth_user_{view}", args=[user.pk])


def test_login_page_is_chinese_and_titled_with_the_product_name():
    response = Client().get(reverse("admin:login"))
    content = response.content.decode()
    assert "产改台账" in content
    assert "用户名" in content and "密码" in content


def test_english_browser_still_gets_the_chinese_admin():
    response = Client(headers={"accept-language": "en-US,en;q=0.9"}).get(reverse("admin:login"))
    assert "产改台账" in response.content.decode()


def test_language_cookie_switches_to_english():
    client = Client()
    client.cookies["django_language"] = "en"
    assert "Union Workforce Ledger" in client.get(reverse("admin:login")).content.decode()


def test_admin_lists_only_the_accounts_of_their_scope(login, ruian_admin, accounts):
    response = login(ruian_admin).get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 200
    listed = {user.username for user in response.context["cl"].result_list}
    assert listed == {"ra_admin", "ra_clerk", "tx_clerk"}


@pytest.mark.parametrize("name", ["yueqing_clerk", "wenzhou_admin", "root"])
@pytest.mark.parametrize("view", ["change", "history", "password_change"])
def test_admin_cannot_open_accounts_outside_their_scope(login, ruian_admin, accounts, name, view):
    response = login(ruian_admin).get(user_url(accounts[name], view))
    assert response.status_code == 404


def test_accounts_are_deactivated_never_deleted(login, ruian_admin, accounts):
    response = login(ruian_admin).get(user_url(accounts["ruian_clerk"], "delete"))
    assert response.status_code == 403


def test_admin_creates_a_clerk_in_their_scope(login, ruian_admin, ruian_towns):
    response = login(ruian_admin).post(
        reverse("admin:auth_user_add"),
        {
            "username": "new_clerk",
            "usable_password": "true",
            "password1": "Xq8!vLw2#pZr",
            "password2": "Xq8!vLw2#pZr",
            "role": "clerk",
            "region": "330381101",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="new_clerk")
    assert user.is_staff and not user.is_superuser
    assert role_of(user) == Role.CLERK
    assert user.staff_profile.region_id == "330381101"


def test_admin_cannot_give_an_account_a_region_outside_their_scope(login, ruian_admin, ruian_towns):
    response = login(ruian_admin).post(
        reverse("admin:auth_user_add"),
        {
            "username": "intruder",
            "usable_password": "true",
            "password1": "Xq8!vLw2#pZr",
            "password2": "Xq8!vLw2#pZr",
            "role": "admin",
            "region": "330382",
        },
    )
    assert response.status_code == 200
    assert "region" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="intruder").exists()


def test_region_choices_for_accounts_are_the_admins_scope(login, ruian_admin):
    form = login(ruian_admin).get(reverse("admin:auth_user_add")).context["adminform"].form
    assert set(form.fields["region"].queryset.values_list("code", flat=True)) == {
        "330381", "330381001", "330381101",
    }  # fmt: skip


def test_admin_deactivates_an_account_and_changes_its_role(login, ruian_admin, accounts):
    clerk = accounts["tangxia_clerk"]
    response = login(ruian_admin).post(
        user_url(clerk),
        {"username": clerk.username, "role": "viewer", "region": "330381101", "is_active": ""},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    clerk.refresh_from_db()
    assert not clerk.is_active
    assert role_of(clerk) == Role.VIEWER


def test_admin_resets_a_password_in_their_scope(login, ruian_admin, accounts):
    clerk = accounts["ruian_clerk"]
    response = login(ruian_admin).post(
        user_url(clerk, "password_change"),
        {"password1": "N3w-Secret!9x", "password2": "N3w-Secret!9x", "usable_password": "true"},
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password("N3w-Secret!9x")


def test_admin_cannot_make_a_superuser(login, ruian_admin, accounts):
    form = login(ruian_admin).get(user_url(accounts["ruian_clerk"])).context["adminform"].form
    assert "is_superuser" not in form.fields
    assert "groups" not in form.fields and "user_permissions" not in form.fields


def test_clerk_cannot_manage_accounts(login, accounts):
    response = login(accounts["ruian_clerk"]).get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 403


def test_clerk_lists_only_regions_of_their_scope_and_cannot_add(login, accounts):
    client = login(accounts["ruian_clerk"])
    response = client.get(reverse("admin:base_region_changelist"))
    listed = {region.code for region in response.context["cl"].result_list}
    assert listed == {"330381", "330381001", "330381101"}
    assert client.get(reverse("admin:base_region_add")).status_code == 403


def test_other_county_region_page_is_not_found(login, accounts):
    client = login(accounts["ruian_clerk"])
    assert client.get(reverse("admin:base_region_change", args=["330382"])).status_code == 404
    assert client.get(reverse("admin:base_region_history", args=["330382001"])).status_code == 404


def test_admin_adds_a_town_under_their_county(login, ruian_admin):
    response = login(ruian_admin).post(
        reverse("admin:base_region_add"),
        {"code": "330381102", "name": "莘塍街道", "level": "town", "parent": "330381"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Region.objects.get(code="330381102").parent_id == "330381"


def test_admin_cannot_add_a_town_under_another_county(login, ruian_admin):
    response = login(ruian_admin).post(
        reverse("admin:base_region_add"),
        {"code": "330382102", "name": "别处镇", "level": "town", "parent": "330382"},
    )
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    assert not Region.objects.filter(code="330382102").exists()


def test_admin_cannot_add_a_county(login, ruian_admin):
    response = login(ruian_admin).post(
        reverse("admin:base_region_add"),
        {"code": "330399", "name": "新县", "level": "county", "parent": "330381"},
    )
    assert response.status_code == 200
    assert "level" in response.context["adminform"].form.errors


def test_admin_may_rename_a_town_but_not_their_county(login, ruian_admin):
    client = login(ruian_admin)
    response = client.post(
        reverse("admin:base_region_change", args=["330381101"]),
        {"name": "塘下镇（新）", "mountain_island": ""},
    )
    assert response.status_code == 302
    assert Region.objects.get(code="330381101").name == "塘下镇（新）"
    response = client.post(reverse("admin:base_region_change", args=["330381"]), {"name": "改名市"})
    assert response.status_code == 403
    assert Region.objects.get(code="330381").name == "瑞安市"
