"""Region scope: which records a user may see and change. The one place this rule lives.

A staff user is attached to one region (`StaffProfile`) and sees that region's whole subtree,
i.e. every record whose region code starts with the region's prefix (`33` province, `3303` city,
`330381` county, `330381101` town). A superuser sees everything; anyone else without a region sees
nothing. Models declare `scope_path`, the lookup path from the model to a region code.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q

from base.models import (
    PREFIX_LENGTH,
    FollowsRegion,
    Region,
    RegionLevel,
    RegionQuerySet,
    StaffProfile,
)

M = TypeVar("M", bound=models.Model)

AnyUser = AbstractBaseUser | AnonymousUser

EVERYTHING = ""  # the prefix every code starts with
_CACHE_ATTR = "_scope_prefix_cache"


def scope_prefix(user: AnyUser) -> str | None:
    """The code prefix of the user's scope: "" for everything, None for nothing."""
    if not user.is_authenticated or not user.is_active:
        return None
    if getattr(user, "is_superuser", False):
        return EVERYTHING
    cached = user.__dict__.get(_CACHE_ATTR)
    if cached is not None:
        return cached or None
    profile = StaffProfile.objects.select_related("region").filter(user_id=user.pk).first()
    prefix = profile.region.prefix if profile is not None else None
    user.__dict__[_CACHE_ATTR] = prefix or ""  # "" caches "no scope" for a non-superuser
    return prefix


def covers_province(user: AnyUser) -> bool:
    """Whether the user's scope is the whole province (a province account, a superuser)."""
    prefix = scope_prefix(user)
    return prefix is not None and len(prefix) <= PREFIX_LENGTH[RegionLevel.PROVINCE]


def scope_path(model: type[models.Model]) -> str:
    """The lookup path from `model` to a region code, e.g. "worker__region__code"."""
    path = getattr(model, "scope_path", None)
    if path is None and model is get_user_model():
        path = "staff_profile__region__code"
    if not isinstance(path, str):
        raise ImproperlyConfigured(
            f"{model.__name__} has no scope_path: records without a region cannot be scoped."
        )
    return path


def is_scoped(model: type[models.Model]) -> bool:
    try:
        scope_path(model)
    except ImproperlyConfigured:
        return False
    return True


def filter_for_user(queryset: models.QuerySet[M], user: AnyUser) -> models.QuerySet[M]:
    """Only the rows of `queryset` inside the user's scope."""
    path = scope_path(queryset.model)
    prefix = scope_prefix(user)
    if prefix is None:
        return queryset.none()
    if prefix == EVERYTHING:
        return queryset
    condition = Q(**{f"{path}__startswith": prefix})
    # A record two regions share (a transfer between counties) names its other side's path.
    for shared in getattr(queryset.model, "shared_scope_paths", ()):
        condition |= Q(**{f"{shared}__startswith": prefix})
    return queryset.filter(condition)


def referable(queryset: models.QuerySet[M], user: AnyUser) -> models.QuerySet[M]:
    """The records of `queryset` a record the user writes may refer to (an enterprise, a
    studio, a session, a competition …): those in the user's scope, or all of a reference
    table that belongs to no region (honour titles, programmes). The admin's foreign-key
    choices and every look-up of a sheet import ask this; a record outside answers "not found",
    so a reference never proves that another region's record exists."""
    return filter_for_user(queryset, user) if is_scoped(queryset.model) else queryset


def scope_region(user: AnyUser) -> Region | None:
    """The root of the user's scope: their region, the province for a superuser."""
    prefix = scope_prefix(user)
    if prefix is None:
        return None
    if prefix == EVERYTHING:
        return Region.objects.filter(parent__isnull=True).order_by("code").first()
    if user.pk is None:
        return None
    profile = StaffProfile.objects.select_related("region").filter(user_id=user.pk).first()
    return profile.region if profile else None


def visible_regions(user: AnyUser) -> RegionQuerySet:
    return filter_for_user(Region.objects.all(), user)  # type: ignore[return-value]


def region_in_scope(user: AnyUser, code: str | None) -> bool:
    prefix = scope_prefix(user)
    if prefix is None or code is None:
        return False
    return code.startswith(prefix)


def region_code_of(obj: models.Model) -> str | None:
    """Follow the model's scope path on an instance (saved or not) to its region code."""
    return region_code_reader(type(obj))(obj)


@functools.cache
def region_code_reader(model: type[models.Model]) -> Callable[[models.Model], str | None]:
    """A function reading an instance's region code, its path resolved once per model.

    The last hop reads the foreign key column itself (`region_id` is the code), so an instance
    whose related records are loaded or cached costs no query.
    """
    parts = scope_path(model).split("__")
    hops: list[str] = parts
    owner: Any = model
    for part in parts[:-2]:
        owner = owner._meta.get_field(part).related_model
    if len(parts) >= 2:
        field = owner._meta.get_field(parts[-2])
        if isinstance(field, models.ForeignKey) and field.target_field.name == parts[-1]:
            hops = [*parts[:-2], field.attname]

    def read(obj: models.Model) -> str | None:
        value: Any = obj
        for hop in hops:
            value = getattr(value, hop, None)
            if value is None:
                return None
        return str(value)

    if issubclass(model, FollowsRegion):
        # A record not saved yet (a service checking its scope first) has its worker's region
        # already: the one it will be saved with.
        def read_following(obj: models.Model) -> str | None:
            assert isinstance(obj, FollowsRegion)
            obj.follow_region(load=False)
            return read(obj)

        return read_following
    return read


def related_to_load(model: type[models.Model]) -> list[str]:
    """select_related() paths that make region_code_of() free for rows of `model`."""
    parts = scope_path(model).split("__")[:-2]
    return ["__".join(parts)] if parts else []


def object_in_scope(user: AnyUser, obj: models.Model) -> bool:
    return region_in_scope(user, region_code_of(obj))
