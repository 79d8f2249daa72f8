"""Range checks shared by models, forms and imports (identifiers live in `identity`)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import F, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The mainland's bounding box (GB/T 2260 extremes, rounded outwards).
LATITUDE_RANGE = (Decimal("3.8"), Decimal("53.6"))
LONGITUDE_RANGE = (Decimal("73.4"), Decimal("135.1"))
# Records of model workers go back to the 1950s; nothing is planned beyond 2100.
YEAR_RANGE = (1949, 2100)

latitude_validators = [
    MinValueValidator(LATITUDE_RANGE[0], _("This latitude is outside China.")),
    MaxValueValidator(LATITUDE_RANGE[1], _("This latitude is outside China.")),
]
longitude_validators = [
    MinValueValidator(LONGITUDE_RANGE[0], _("This longitude is outside China.")),
    MaxValueValidator(LONGITUDE_RANGE[1], _("This longitude is outside China.")),
]
money_validators = [MinValueValidator(Decimal("0"), _("An amount cannot be negative."))]
year_validators = [
    MinValueValidator(YEAR_RANGE[0], _("The year must be %(limit_value)s or later.")),
    MaxValueValidator(YEAR_RANGE[1], _("The year must be %(limit_value)s or earlier.")),
]


def year_in_range(field: str) -> Q:
    """A CheckConstraint condition: the year field is blank or within YEAR_RANGE."""
    return Q(**{f"{field}__isnull": True}) | Q(
        **{f"{field}__gte": YEAR_RANGE[0], f"{field}__lte": YEAR_RANGE[1]}
    )


def not_negative(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0})


def ordered(start: str, end: str) -> Q:
    """A CheckConstraint condition: `end` is blank or not before `start`."""
    return (
        Q(**{f"{end}__isnull": True})
        | Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__gte": F(start)})
    )


def validate_date_order(
    start: datetime.date | int | None,
    end: datetime.date | int | None,
    *,
    end_field: str,
    message: str | Promise | None = None,
) -> None:
    if start is not None and end is not None and end < start:  # type: ignore[operator]
        raise ValidationError({end_field: message or _("This cannot be before the start.")})
