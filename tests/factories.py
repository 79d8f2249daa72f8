"""Test data builders, in one place for every app's tests."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser

from workforce.models import Region, RegionLevel
from workforce.roles import Role
from workforce.services import staff_user_upsert

PASSWORD = "test-pass-123"


def town(code: str, name: str | None = None) -> Region:
    """A town under the county its code starts with (counties come from the migration)."""
    region, _created = Region.objects.get_or_create(
        code=code,
        defaults={
            "name": name or f"镇{code[-3:]}",
            "level": RegionLevel.TOWN,
            "parent_id": code[:6],
        },
    )
    return region


def staff(username: str, role: Role | str, region_code: str) -> AbstractUser:
    user, _created = staff_user_upsert(
        username=username,
        role=Role(role),
        region=Region.objects.get(code=region_code),
        password=PASSWORD,
    )
    return user


def superuser(username: str = "root") -> AbstractUser:
    user = get_user_model().objects.create_superuser(username=username, password=PASSWORD)
    assert isinstance(user, AbstractUser)
    return user


def user_without_region(username: str = "nobody") -> AbstractUser:
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, is_staff=True)
    assert isinstance(user, AbstractUser)
    return user
