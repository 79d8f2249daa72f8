"""Identifiers of people and organisations: validation, derived facts and masking.

The one place that knows 公民身份号码 (GB 11643, ISO 7064 MOD 11-2), 统一社会信用代码
(GB 32100) and phone numbers. Forms, services and imports all call these functions.
"""

from __future__ import annotations

import datetime
import operator
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.models import Model

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
EARLIEST_BIRTH_YEAR = 1900

CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_PATTERN = re.compile(rf"^[{CREDIT_CODE_CHARS}]{{18}}$")

MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_PATTERN = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


# The bytes of 17 ASCII digits are the digits plus ord("0"): the weighted sum of the bytes is
# the weighted sum of the digits plus this.
_ASCII_DIGITS_WEIGHT = ord("0") * sum(ID_WEIGHTS)


def id_number_check_char(first17: str) -> str:
    # Called once per row of a 100 000-row import: the bytes of the common ASCII case need no
    # int() per digit; other digits (any script's, as int() reads them) take the general way.
    if len(first17) == 17 and first17.isascii() and first17.isdigit():
        total = sum(map(operator.mul, first17.encode(), ID_WEIGHTS)) - _ASCII_DIGITS_WEIGHT
    else:
        total = sum(map(operator.mul, map(int, first17), ID_WEIGHTS))
    return ID_CHECK_CHARS[total % 11]


def normalise_id_number(value: str) -> str:
    """Trim and upper-case (a lowercase x is the same check character)."""
    return value.strip().upper()


def id_number_birth_date(id_number: str) -> datetime.date:
    """The birth date written in digits 7–14; ValueError when it is no real date."""
    return datetime.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def id_number_gender(id_number: str) -> str:
    """ "M" or "F": the 17th digit is odd for men."""
    return "M" if int(id_number[16]) % 2 else "F"


def validate_id_number(value: str) -> None:
    """Raise ValidationError unless `value` is a well-formed 18-character citizen ID number."""
    if not ID_PATTERN.match(value):
        raise ValidationError(
            _("An ID number has 18 characters: 17 digits and a digit or X."), code="id_format"
        )
    try:
        born = id_number_birth_date(value)
    except ValueError:
        raise ValidationError(
            _("The birth date in this ID number does not exist."), code="id_birth_date"
        ) from None
    # date.today() is local time: Django sets the process time zone to TIME_ZONE.
    if born.year < EARLIEST_BIRTH_YEAR or born > datetime.date.today():
        raise ValidationError(
            _("The birth date in this ID number is not plausible."), code="id_birth_date"
        )
    if id_number_check_char(value[:17]) != value[17]:
        raise ValidationError(
            _("The check digit of this ID number is wrong; please check the number."),
            code="id_check_digit",
        )


def credit_code_check_char(first17: str) -> str:
    total = sum(
        CREDIT_CODE_CHARS.index(char) * weight
        for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    """Raise ValidationError unless `value` is a unified social credit code (GB 32100)."""
    if not CREDIT_CODE_PATTERN.match(value):
        raise ValidationError(
            _(
                "A unified social credit code has 18 characters: digits and capital letters "
                "other than I, O, Z, S and V."
            ),
            code="credit_code_format",
        )
    if credit_code_check_char(value[:17]) != value[17]:
        raise ValidationError(
            _("The check character of this unified social credit code is wrong."),
            code="credit_code_check",
        )


def validate_phone(value: str) -> None:
    """A mainland mobile number (11 digits) or a landline with area code."""
    if not (MOBILE_PATTERN.match(value) or LANDLINE_PATTERN.match(value)):
        raise ValidationError(
            _("Enter an 11-digit mobile number or a landline number with its area code."),
            code="phone",
        )


def mask_id_number(value: str | None) -> str:
    """330381********1234: the region and the last four stay readable."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    """138****5678."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_birth_date(value: datetime.date | str | None) -> str:
    """1998: the year at most. Digits 7–14 of an ID number are the birth date, so a full birth
    date beside a masked number would give the hidden digits away."""
    if not value:
        return ""
    year = value.year if isinstance(value, datetime.date) else str(value)[:4]
    return str(_("%(year)s (month and day hidden)") % {"year": year})


def is_masked(value: str) -> bool:
    return "*" in value


# Personal-data fields, wherever a model has them: the permission that reveals each in full and
# the mask shown to everyone else (lists, forms, history, exports). The birth date is revealed
# with the ID number it is written in.
PERSONAL_DATA_FIELDS: dict[str, tuple[str, Callable[[Any], str]]] = {
    "id_number": ("workforce.view_full_id_number", mask_id_number),
    "phone": ("workforce.view_full_phone", mask_phone),
    "birth_date": ("workforce.view_full_id_number", mask_birth_date),
}
# The fields a person is searched by: the others (the birth date) are never searched.
SEARCHABLE_PERSONAL_FIELDS = ("id_number", "phone")
# A masked user may search by the characters the mask shows at the end.
VISIBLE_TAIL = 4


def visible_tail(value: str) -> str:
    """The characters a masked ID or phone number shows at its end (what a masked user may
    search by), upper-case like a stored ID number's check character."""
    return value.strip().upper()[-VISIBLE_TAIL:] if value else ""


def reveal_permission(model: type[Model] | None, name: str) -> str:
    """The permission that shows a personal-data field of `model` in full: the model's own
    `personal_data_permission` where it declares one (who booked a consultation is revealed by a
    permission of its own, which the full-number rights do not give), else the field's."""
    own = getattr(model, "personal_data_permission", None) if model is not None else None
    return own or PERSONAL_DATA_FIELDS[name][0]


def personal_fields(model: type[Model]) -> list[str]:
    """The personal-data fields `model` has."""
    names = {field.name for field in model._meta.get_fields()}
    return [name for name in PERSONAL_DATA_FIELDS if name in names]


def masked_fields(user: Any, model: type[Model]) -> dict[str, Callable[[Any], str]]:
    """The personal-data fields of `model` the user may only see masked, with their masks."""
    return {
        name: PERSONAL_DATA_FIELDS[name][1]
        for name in personal_fields(model)
        if not user.has_perm(reveal_permission(model, name))
    }


def revealed_fields(user: Any, model: type[Model] | None = None) -> set[str]:
    """The personal-data fields the user sees in full, on whichever model has them (on `model`
    when given: a model with a permission of its own reveals by that)."""
    return {name for name in PERSONAL_DATA_FIELDS if user.has_perm(reveal_permission(model, name))}


def personal_field_in(model: type[Model], path: str) -> str | None:
    """The personal-data field a lookup path ends on (`phone`, `worker__id_number__startswith`),
    following foreign keys from `model`; None when the path reaches none."""
    found = personal_field_and_owner(model, path)
    return found[0] if found else None


def personal_field_and_owner(model: type[Model], path: str) -> tuple[str, Any] | None:
    current: Any = model
    for part in path.split("__"):
        try:
            field = current._meta.get_field(part)
        except Exception:
            return None
        if part in PERSONAL_DATA_FIELDS and not field.is_relation:
            return part, current
        if not field.is_relation or field.related_model is None:
            return None
        current = field.related_model
    return None


def sees_in_full(user: Any, field: str, model: type[Model] | None = None) -> bool:
    """Whether the user sees `field` in full (of `model` when given: its own permission)."""
    return field not in PERSONAL_DATA_FIELDS or bool(user.has_perm(reveal_permission(model, field)))


def search_lookup(
    user: Any, field: str, default: str, term: str, model: type[Model] | None = None
) -> str | None:
    """How a search term may be matched against a personal-data field for this user.

    Someone who sees the field in full searches as the admin declares (`default`, a prefix);
    a masked user by the whole value (`exact`) or by the last four characters the mask shows
    (`endswith`), never by a prefix: 69 prefix searches would spell out a hidden number. None:
    the field is never searched (the birth date)."""
    if field not in SEARCHABLE_PERSONAL_FIELDS:
        return None if field in PERSONAL_DATA_FIELDS else default
    if sees_in_full(user, field, model):
        return default
    return "endswith" if len(term) == VISIBLE_TAIL else "exact"


def is_whole_value(field: str, term: str) -> bool:
    """Whether `term` is written like a whole value of the field (a search that confirms one)."""
    if field == "id_number":
        return bool(ID_PATTERN.match(term))
    if field == "phone":
        return bool(MOBILE_PATTERN.match(term) or LANDLINE_PATTERN.match(term))
    return False


def lookup_allowed_for(user: Any, model: type[Model], lookup: str) -> bool:
    """Query-string filters (`?phone__startswith=`) on a personal-data field are refused to a
    user who sees that field masked: any lookup but a whole value is a prefix oracle."""
    found = personal_field_and_owner(model, lookup)
    return found is None or sees_in_full(user, found[0], found[1])


def person_name_shown(user: Any, person: Model) -> str | None:
    """The name of a person as a message may give it: never for someone outside the user's
    region, whose existence must look exactly like a missing record's."""
    from base import scope

    return str(getattr(person, "name", "")) if scope.object_in_scope(user, person) else None


# What a form or an import says of a key (an ID number, a credit code) already held by a record
# outside the user's region: the same words whoever holds it, so that it confirms nothing.
UNAVAILABLE_IN_REGION = _(
    "This cannot be registered in your region. Check the value; if it is right, ask your "
    "administrator."
)
