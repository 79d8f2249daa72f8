"""Writes for the workforce app: keyword-only `<entity>_<action>` functions."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.db import transaction

from workforce.models import Region, StaffProfile
from workforce.roles import Role


@transaction.atomic
def staff_assign(*, user: User, role: Role, region: Region) -> StaffProfile:
    """Give a staff user exactly one role and one region scope."""
    other_roles = user.groups.filter(name__in=[r.value for r in Role]).exclude(name=role.value)
    user.groups.remove(*other_roles)
    user.groups.add(Group.objects.get(name=role.value))
    profile = StaffProfile.objects.filter(user=user).first() or StaffProfile(user=user)
    profile.region = region
    profile.full_clean()
    profile.save()
    user.__dict__.pop("_scope_prefix_cache", None)
    return profile


@transaction.atomic
def staff_user_upsert(
    *, username: str, role: Role, region: Region, password: str | None = None
) -> tuple[User, bool]:
    """Create, or update, an active staff user who can log in to the admin.

    Returns the user and whether it was created.
    """
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    created = user is None
    if user is None:
        user = user_model(username=username)
    user.is_staff = True
    user.is_active = True
    if password is not None:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    staff_assign(user=user, role=role, region=region)
    return user, created
