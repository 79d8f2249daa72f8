"""Test data builders, in one place for every app's tests."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator
from django.db import models

from base import identity
from base.fields import ChoiceListField
from base.models import Region, RegionLevel
from base.roles import Role
from base.services import staff_user_upsert

M = TypeVar("M", bound=models.Model)

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


def named_staff(username: str, role: Role | str, region_code: str, full_name: str) -> AbstractUser:
    """A staff account with a full name (family name first): what signs a report."""
    user = staff(username, role, region_code)
    user.last_name, user.first_name = full_name[0], full_name[1:]
    user.save()
    return user


def superuser(username: str = "root") -> AbstractUser:
    user = get_user_model().objects.create_superuser(username=username, password=PASSWORD)
    assert isinstance(user, AbstractUser)
    return user


def user_without_region(username: str = "nobody") -> AbstractUser:
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, is_staff=True)
    assert isinstance(user, AbstractUser)
    return user


# --- a generic builder: one valid record of any model, inside a given region -------------------

# Numbers the generated values (names, ID numbers, credit codes, phones). The root conftest
# restarts it for every test, so a test gets the same values whatever ran before it.
_counter = itertools.count(1)
# Generated ID numbers carry this birth date; tests that write an ID number by hand
# (`valid_id_number(code, n)`) keep the default one, so the two never name the same person.
GENERATED_BIRTH = "19850102"


def restart_serials() -> None:
    global _counter
    _counter = itertools.count(1)


def valid_id_number(region_code: str, serial: int, birth: str = "19850101") -> str:
    first17 = f"{region_code[:6]}{birth}{serial % 1000:03d}"
    return first17 + identity.id_number_check_char(first17)


def valid_credit_code(region_code: str, serial: int) -> str:
    body = f"91{region_code[:6]}{serial:09d}"
    return body + identity.credit_code_check_char(body)


def _value_for(field: models.Field, region: Region, serial: int) -> Any:
    validators = getattr(field, "validators", [])
    if identity.validate_id_number in validators:
        return valid_id_number(region.code, serial, birth=GENERATED_BIRTH)
    if identity.validate_credit_code in validators:
        return valid_credit_code(region.code, serial)
    if identity.validate_phone in validators:
        return f"138{serial:08d}"
    if isinstance(field, ChoiceListField):
        return [field.item_choices[0][0]]
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.DateField):
        return datetime.date(2024, 3, 1)
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.PositiveSmallIntegerField):
        # The small integers of these models are years, unless a validator caps them lower
        # (a benefit rule's every N years).
        caps = [v.limit_value for v in validators if isinstance(v, MaxValueValidator)]
        return min([2024, *caps])
    if isinstance(field, models.IntegerField):
        return 1
    if isinstance(field, models.DecimalField):
        return Decimal("100.00")
    if isinstance(field, models.CharField | models.TextField):
        return f"{field.name}-{serial}"[: field.max_length or 50]
    raise NotImplementedError(f"no test value for {field!r}")


def region_that_fits(field: models.ForeignKey[Any, Any], region: Region) -> Region:
    """`region`, or for a field that takes only towns (a coordination group's) and a region
    above a town, a new town under it: new, so that a record one per town can always be built."""
    limit = field.get_limit_choices_to()
    fits = limit if isinstance(limit, models.Q) else models.Q(**limit)
    if not limit or Region.objects.filter(fits, pk=region.pk).exists():
        return region
    county = Region.objects.filter(
        code__startswith=region.prefix, level=RegionLevel.COUNTY
    ).order_by("code")[0]
    taken = set(Region.objects.filter(parent=county).values_list("code", flat=True))
    code = next(
        f"{county.code}{n}" for n in range(999, 900, -1) if f"{county.code}{n}" not in taken
    )
    return town(code)


def _wage_agreement(region: Region, serial: int, overrides: dict[str, Any]) -> dict[str, Any]:
    # Valid for three years from signing; an enterprise agreement when an enterprise is given
    # (a record referring to one), else an industry-wide agreement, which names none.
    kind = "enterprise" if overrides.get("enterprise") is not None else "industry"
    return {
        "kind": kind,
        "industry": "鞋革",
        "signed_on": datetime.date(2023, 3, 1),
        "valid_until": datetime.date(2026, 2, 28),
    }


def _job_fair(region: Region, serial: int, overrides: dict[str, Any]) -> dict[str, Any]:
    # A fair is held by a union on record or a named organiser: by name unless a union is given.
    return {} if overrides.get("organiser_union") is not None else {"organiser": "县总工会"}


def _worker_library(region: Region, serial: int, overrides: dict[str, Any]) -> dict[str, Any]:
    # Hosted by one of an enterprise and a union: an enterprise of the region unless the test
    # names either host.
    if "host_enterprise" in overrides or "host_union" in overrides:
        return {}
    from workforce.models import Enterprise

    return {"host_enterprise": build(Enterprise, region)}


def _counselling_booking(region: Region, serial: int, overrides: dict[str, Any]) -> dict[str, Any]:
    # The ID number is optional on a booking: given, so that the reveal matrix looks for it too.
    return {"id_number": valid_id_number(region.code, serial, birth=GENERATED_BIRTH)}


def _suggestion(region: Region, serial: int, overrides: dict[str, Any]) -> dict[str, Any]:
    # From a worker of the region unless the test names the worker or the union; accepted.
    from workforce.models import Worker

    values: dict[str, Any] = {"accepted_on": datetime.date(2024, 3, 1)}
    if "worker" not in overrides and "union" not in overrides:
        values["worker"] = build(Worker, region)
    return values


# Values a model's rules tie together, which one value per field cannot give (model label →
# values for a record in `region`, given the test's overrides); those overrides still win.
SPECIAL_VALUES: dict[str, Any] = {
    "programs.WageAgreement": _wage_agreement,
    "programs.JobFair": _job_fair,
    "training.WorkerLibrary": _worker_library,
    "welfare.CounsellingBooking": _counselling_booking,
    "programs.Suggestion": _suggestion,
}


def build(model: type[M], region: Region, **overrides: Any) -> M:
    """Save one record of `model` that belongs to `region`, filling required fields and
    building required foreign keys (in the same region) recursively."""
    serial = next(_counter)
    values: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.name in overrides or field.primary_key or field.has_default():
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        if field.is_relation and field.related_model is Region:
            # Even when optional: the record belongs there (or to a new town of it, below).
            assert isinstance(field, models.ForeignKey)
            values[field.name] = region_that_fits(field, region)
            continue
        if not field.editable or field.null:
            continue
        if field.is_relation:
            related = field.related_model
            assert isinstance(related, type)
            values[field.name] = region if related is Region else build(related, region)
            continue
        # A phone number is filled even when optional: the reveal matrix looks for it.
        if (
            field.blank
            and isinstance(field, models.CharField | models.TextField)
            and identity.validate_phone not in getattr(field, "validators", [])
        ):
            continue
        values[field.name] = _value_for(field, region, serial)
    special = SPECIAL_VALUES.get(model._meta.label)
    if special is not None:
        values.update(special(region, serial, overrides))
    values.update(_varied(model, serial))
    obj = model._default_manager.create(**{**values, **overrides})
    return obj


def _varied(model: type[models.Model], serial: int) -> dict[str, Any]:
    """Values that make two generated records of a model whose natural key is made of choices
    differ (the first choice of each would collide): a benefit rule's benefit and level."""
    if model._meta.label_lower == "welfare.counsellingassessment":
        # One tally per region, month and scale.
        return {"month": 1 + serial % 12, "year": 2000 + serial // 12}
    if model._meta.label_lower == "welfare.benefitrule":
        benefits = ("recuperation", "health_check", "fitness_card")
        return {
            "benefit": benefits[serial % len(benefits)],
            "min_level": 1 + (serial // len(benefits)) % 6,
        }
    return {}


def role_groups(role: Role) -> list[Any]:
    from django.contrib.auth.models import Group

    return list(Group.objects.filter(name=role.value))
