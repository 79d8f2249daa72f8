"""Writes every domain shares: staff accounts and their scope, and saving or deleting any record
inside the user's scope."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from base import concurrency, history, scope
from base.models import Region, StaffProfile
from base.roles import ROLE_CACHE, Role


@transaction.atomic
def staff_assign(*, user: User, role: Role, region: Region) -> StaffProfile:
    """Give a staff user exactly one role and one region scope."""
    other_roles = user.groups.filter(name__in=[r.value for r in Role]).exclude(name=role.value)
    user.groups.remove(*other_roles)
    user.groups.add(Group.objects.get(name=role.value))
    user.__dict__.pop(ROLE_CACHE, None)
    profile = StaffProfile.objects.filter(user=user).first() or StaffProfile(user=user)
    profile.region = region
    profile.full_clean()
    profile.save()
    user.__dict__.pop("_scope_prefix_cache", None)
    return profile


@transaction.atomic
def staff_user_upsert(
    *,
    username: str,
    role: Role,
    region: Region,
    password: str | None = None,
    last_name: str | None = None,
    first_name: str | None = None,
) -> tuple[User, bool]:
    """Create, or update, an active staff user who can log in to the admin. A name given
    replaces the stored one (the header greets the user by it); None keeps it.

    Returns the user and whether it was created.
    """
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    created = user is None
    if user is None:
        user = user_model(username=username)
    user.is_staff = True
    user.is_active = True
    if last_name is not None:
        user.last_name = last_name
    if first_name is not None:
        user.first_name = first_name
    if password is not None:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    staff_assign(user=user, role=role, region=region)
    return user, created


def _referrers_message(error: ProtectedError) -> str:
    """Say what still refers to a record, without naming records outside the user's scope."""
    counts: Counter[str] = Counter()
    for obj in error.protected_objects:
        counts[str(obj._meta.verbose_name_plural)] += 1
    parts = "、".join(
        _("%(count)d %(things)s") % {"count": count, "things": things}
        for things, count in counts.items()
    )
    return _("This record is still referred to by %(referrers)s; it cannot be deleted.") % {
        "referrers": parts
    }


@transaction.atomic
def record_save(
    *, record: models.Model, user: Any, expected_version: str = "", reason: str = ""
) -> models.Model:
    """Validate and save any domain record the user may keep, inside their scope.

    With `expected_version` (the version an edit form was opened at) the save is refused with
    an `EditConflict` when someone else saved the record since. `reason` is the 修改原因 kept in
    the record's history; a change to an ID number or a case's status must give one.
    """
    if scope.is_scoped(type(record)) and not scope.object_in_scope(user, record):
        raise PermissionDenied(_("This record would fall outside your region."))
    record.full_clean()
    history.change_reason_check(record=record, reason=reason)
    history.change_reason_set(record=record, reason=reason)
    concurrency.check_version(record=record, expected=expected_version, user=user)
    record.save()
    return record


def record_delete(*, record: models.Model, user: Any) -> None:
    """Delete a record nothing refers to; otherwise refuse, saying what still refers to it."""
    if scope.is_scoped(type(record)) and not scope.object_in_scope(user, record):
        raise PermissionDenied(_("This record is outside your region."))
    try:
        with transaction.atomic():
            record.delete()
    except ProtectedError as error:
        raise ValidationError(_referrers_message(error)) from error
