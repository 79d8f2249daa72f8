import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from base.roles import Role, role_of

pytestmark = pytest.mark.django_db


def test_add_staff_creates_an_active_staff_user_who_can_log_in(capsys):
    call_command("add_staff", "chen", region="330381", role="clerk", password="Harbour-lantern-42")
    user = authenticate(username="chen", password="Harbour-lantern-42")
    assert user is not None and user.is_active and user.is_staff and not user.is_superuser
    assert role_of(user) == Role.CLERK
    assert user.staff_profile.region.name == "瑞安市"
    assert "chen" in capsys.readouterr().out


def test_add_staff_updates_an_existing_user_to_a_new_role_and_region():
    call_command(
        "add_staff", "chen", region="330381", role="clerk", password="First-harbour-lantern"
    )
    call_command(
        "add_staff", "chen", region="330300", role="welfare", password="Second-harbour-lantern"
    )
    user = get_user_model().objects.get(username="chen")
    assert list(user.groups.values_list("name", flat=True)) == ["welfare"]
    assert user.staff_profile.region_id == "330300"
    assert user.check_password("Second-harbour-lantern")


def test_add_staff_makes_a_counselling_officer_who_opens_only_the_counselling_tables():
    call_command(
        "add_staff", "xu", region="331000", role="counsellor", password="Harbour-lantern-42"
    )
    user = get_user_model().objects.get(username="xu")
    assert role_of(user) == Role.COUNSELLOR
    assert user.has_perm("welfare.view_booked_person")
    assert not user.has_perm("workforce.view_worker")


def test_add_staff_refuses_a_weak_password_and_says_why():
    with pytest.raises(CommandError, match="12 个字符"):
        call_command("add_staff", "chen", region="330381", role="clerk", password="short-1")
    assert not get_user_model().objects.filter(username="chen").exists()


def test_add_staff_refuses_an_unknown_region_and_suggests_candidates():
    with pytest.raises(CommandError, match="330381 瑞安市"):
        call_command("add_staff", "chen", region="瑞安", role="clerk", password="p")
    with pytest.raises(CommandError, match="999999"):
        call_command("add_staff", "chen", region="999999", role="clerk", password="p")
    assert not get_user_model().objects.filter(username="chen").exists()


def test_add_staff_refuses_an_unknown_role_and_lists_the_roles():
    with pytest.raises(CommandError, match=r"admin.*clerk.*welfare.*viewer.*counsellor"):
        call_command("add_staff", "chen", region="330381", role="boss", password="p")
    assert not get_user_model().objects.filter(username="chen").exists()


def test_add_staff_errors_are_in_chinese():
    with pytest.raises(CommandError, match="未知的区划代码"):
        call_command("add_staff", "chen", region="999999", role="clerk", password="p")


def test_seed_demo_creates_the_demo_logins_once(capsys):
    call_command("seed_demo", "--if-empty")
    admin = authenticate(username="admin", password="admin12345")
    assert admin is not None and admin.is_superuser
    ra_clerk = authenticate(username="ra_clerk", password="demo12345")
    assert role_of(ra_clerk) == Role.CLERK
    users = get_user_model().objects.count()
    call_command("seed_demo", "--if-empty")
    assert get_user_model().objects.count() == users
    assert "admin / admin12345" in capsys.readouterr().out
