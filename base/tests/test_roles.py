import pytest
from django.contrib.auth.models import Group

from base.roles import Role, _role_allows
from tests import factories

pytestmark = pytest.mark.django_db


def perms(role: Role) -> set[str]:
    group = Group.objects.get(name=role.value)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_migrate_creates_the_five_role_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "admin",
        "clerk",
        "welfare",
        "viewer",
        "counsellor",
    }


def test_admin_manages_staff_accounts_and_towns():
    admin = perms(Role.ADMIN)
    assert {"auth.add_user", "auth.change_user", "auth.view_user"} <= admin
    assert {"base.add_region", "base.change_region", "base.view_region"} <= admin
    assert "auth.delete_user" not in admin  # accounts are deactivated, never deleted


@pytest.mark.parametrize("role", [Role.CLERK, Role.WELFARE, Role.VIEWER])
def test_other_roles_only_read_regions_and_never_touch_accounts(role):
    granted = perms(role)
    assert "base.view_region" in granted
    assert (
        not {
            "base.add_region",
            "base.change_region",
            "auth.view_user",
            "auth.change_user",
        }
        & granted
    )


def test_role_permissions_reach_the_user():
    clerk = factories.staff("clerk", Role.CLERK, "330381")
    assert clerk.has_perm("base.view_region")
    assert not clerk.has_perm("base.add_region")


@pytest.mark.parametrize(
    ("model_key", "codename", "expected"),
    [
        # Hardship files: welfare and admin only.
        ("welfare.hardshipcase", "view_hardshipcase", {Role.ADMIN, Role.WELFARE}),
        ("welfare.assistancegrant", "add_assistancegrant", {Role.ADMIN, Role.WELFARE}),
        # Ordinary records: clerks and welfare officers write, viewers read.
        ("workforce.worker", "change_worker", {Role.ADMIN, Role.CLERK, Role.WELFARE}),
        ("workforce.worker", "view_worker", set(Role) - {Role.COUNSELLOR}),
        # Reference tables: the admin keeps them, everyone reads.
        ("workforce.honourtitle", "add_honourtitle", {Role.ADMIN}),
        ("programs.programme", "view_programme", set(Role) - {Role.COUNSELLOR}),
        ("base.region", "view_region", set(Role)),
        # A dedicated permission such as full ID numbers is the admin's alone.
        ("workforce.worker", "view_full_id_number", {Role.ADMIN}),
        # 台工心港: who booked is the counsellor's alone, administrators included out.
        ("welfare.counsellingbooking", "view_counsellingbooking", {Role.COUNSELLOR}),
        ("welfare.counsellingbooking", "view_booked_person", {Role.COUNSELLOR}),
        ("welfare.counsellingbooking", "delete_counsellingbooking", {Role.COUNSELLOR}),
        # The tallies and lectures: the counsellor keeps them, every role reads them.
        ("welfare.counsellingassessment", "add_counsellingassessment", {Role.COUNSELLOR}),
        ("welfare.counsellinglecture", "change_counsellinglecture", {Role.COUNSELLOR}),
        ("welfare.counsellinglecture", "view_counsellinglecture", set(Role)),
        # The counsellor opens no other record: no hardship file, no import of another's.
        ("welfare.hardshipcase", "view_hardshipcase", {Role.ADMIN, Role.WELFARE}),
        ("sheets.importjob", "view_importjob", set(Role)),
        ("audit.accesslogentry", "view_accesslogentry", {Role.ADMIN}),
    ],
)
def test_role_rules_for_domain_records(model_key, codename, expected):
    assert {role for role in Role if _role_allows(role, model_key, codename)} == expected


def test_the_counsellor_role_holds_the_counselling_tables_and_nothing_else():
    granted = perms(Role.COUNSELLOR)
    counselling = {
        f"welfare.{action}_{model}"
        for action in ("view", "add", "change", "delete")
        for model in ("counsellingassessment", "counsellingbooking", "counsellinglecture")
    }
    assert granted == counselling | {
        "welfare.view_booked_person",
        "base.view_region",
        "sheets.view_importjob",
    }


def test_no_other_role_sees_who_booked_not_even_an_administrator():
    for role in (Role.ADMIN, Role.CLERK, Role.WELFARE, Role.VIEWER):
        granted = perms(role)
        assert "welfare.view_counsellingbooking" not in granted, role
        assert "welfare.view_booked_person" not in granted, role
        assert "welfare.view_counsellinglecture" in granted, role
        assert "welfare.add_counsellinglecture" not in granted, role
