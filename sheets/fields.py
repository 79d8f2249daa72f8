"""Columns of a sheet: django-import-export `Field`s whose widgets speak the sheets' conventions.

django-import-export's own widgets read 是/否 as False and infer nothing for Chinese headers, so
every column names its widget here; each widget cleans through `sheets.normalise` (the one place
values are normalised) and renders what the importer reads back unchanged (round trip).

The widget says how a cell is *read* (an amount, a date, a choice); what the value may *be*
(decimal places, digits, length, range) is the model field's: each resource binds its columns to
the model field behind their `attribute` (followed through relations, `worker__name` is
Worker.name), and a value the field could not hold unchanged is a cell error, never rounded or cut.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from import_export.fields import Field
from import_export.widgets import Widget

from base.identity import PERSONAL_DATA_FIELDS
from sheets import normalise
from sheets.headers import Column, column


@dataclasses.dataclass(frozen=True)
class Limits:
    """What the model field behind a column can hold: a value outside is a cell error."""

    max_length: int | None = None
    max_digits: int | None = None
    decimal_places: int | None = None
    min_value: Any = None
    max_value: Any = None
    # The field's own range validators (its messages name the rule: "该纬度不在中国境内").
    range_validators: tuple[Any, ...] = ()

    @property
    def allow_negative(self) -> bool:
        return self.min_value is None or self.min_value < 0

    def check_length(self, value: str) -> str:
        if self.max_length is not None and len(value) > self.max_length:
            raise normalise.CellError(
                _("“%(value)s”: at most %(limit)d characters (this has %(length)d).")
                % {"value": normalise.shown(value), "limit": self.max_length, "length": len(value)}
            )
        return value

    def check_range(self, value: Any) -> Any:
        for validator in self.range_validators:
            try:
                validator(value)
            except ValidationError as error:
                raise normalise.CellError(
                    _("“%(value)s”: %(problem)s")
                    % {"value": normalise.shown(value), "problem": " ".join(error.messages)}
                ) from None
        return value


NO_LIMITS = Limits()


def model_field_at(model: type[models.Model], attribute: str) -> models.Field[Any, Any]:
    """The model field a column's `attribute` names, following relations (`worker__name`)."""
    if attribute == "pk":
        return model._meta.pk
    current: Any = model
    parts = attribute.split("__")
    for depth, part in enumerate(parts, start=1):
        field = current._meta.get_field(part)  # FieldDoesNotExist: a column naming nothing
        if depth < len(parts):
            if not (field.is_relation and field.related_model is not None):
                raise FieldDoesNotExist(
                    f"{current.__name__}.{part} is not a relation ({attribute})"
                )
            current = field.related_model
    return field  # type: ignore[no-any-return]


def _limit_value(validator: Any) -> Any:
    limit = validator.limit_value
    return limit() if callable(limit) else limit


def limits_of(field: models.Field[Any, Any]) -> Limits:
    """The limits of a model field as a column must keep them (a relation has none: the record
    it names is looked up, and its own columns carry the limits of its fields)."""
    if field.is_relation or field.choices:
        return NO_LIMITS  # a choice column accepts only the choices' labels
    max_length = field.max_length if isinstance(field, models.CharField) else None
    max_digits = decimal_places = None
    if isinstance(field, models.DecimalField):
        max_digits, decimal_places = field.max_digits, field.decimal_places
    validators = tuple(
        v for v in field.validators if isinstance(v, MinValueValidator | MaxValueValidator)
    )
    minima = [_limit_value(v) for v in validators if isinstance(v, MinValueValidator)]
    maxima = [_limit_value(v) for v in validators if isinstance(v, MaxValueValidator)]
    return Limits(
        max_length=max_length,
        max_digits=max_digits,
        decimal_places=decimal_places,
        min_value=max(minima) if minima else None,
        max_value=min(maxima) if maxima else None,
        range_validators=validators,
    )


class SheetWidget(Widget):
    """Cleans one cell; renders one value for export. `choices` feed template dropdowns.

    `limits` are the bound column's (see `SheetField.bind`); an unbound widget has none."""

    text_format = False  # format the template column as text (ID and phone numbers)
    limits: Limits = NO_LIMITS

    def bound(self, limits: Limits) -> SheetWidget:
        """A copy of this widget keeping `limits` (widgets are shared between resources)."""
        widget = copy.copy(self)
        widget.limits = limits
        return widget

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        return self.limits.check_length(normalise.text_value(value)) or None

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return "" if value is None else value

    def choices(self) -> list[str]:
        return []


# Excel keeps 15 significant digits of a number; a value with more is exported as text, so that
# the export reads back exactly (an amount of 16 digits, 99 999 999 999 999.99 元).
EXCEL_DIGITS = 15


class Text(SheetWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        return self.limits.check_length(normalise.text_value(value))


class Integer(SheetWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int | None:
        number = normalise.integer(value, allow_negative=self.limits.allow_negative)
        return None if number is None else self.limits.check_range(number)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        if value is None:
            return ""
        return str(value) if len(str(abs(value))) > EXCEL_DIGITS else value


class RecordKey(Integer):
    """记录编号: the record's primary key, written by exports so that their rows find their
    records again (and masked cells can be restored from them)."""


class Year(SheetWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int | None:
        number = normalise.year(value)
        return None if number is None else self.limits.check_range(number)


class Number(SheetWidget):
    """A decimal number (学时, 经度): places, digits and range from the model field."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Decimal | None:
        limits = self.limits
        number = normalise.decimal(
            value,
            wan=bool(kwargs.get("wan")),
            places=limits.decimal_places,
            max_digits=limits.max_digits,
            allow_negative=limits.allow_negative,
        )
        return None if number is None else self.limits.check_range(number)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        if value is None:
            return ""
        if len(value.as_tuple().digits) > EXCEL_DIGITS:
            return format(value, "f")  # as text: a number cell would lose digits
        return value  # openpyxl writes a Decimal as a number


class Money(Number):
    """Yuan; a column headed in 万元 is multiplied by 10 000 (the header decides, per file)."""


class Date(SheetWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> datetime.date | None:
        return normalise.date(value)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return value.isoformat() if value else ""


class Boolean(SheetWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool | None:
        return normalise.boolean(value)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return "是" if value else "否"

    def choices(self) -> list[str]:
        return ["是", "否"]


class Choice(SheetWidget):
    """A choice column: the model's Chinese labels plus the spellings people write."""

    def __init__(
        self, options: Iterable[tuple[Any, Any]], *, aliases: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__()
        self._options = list(options)
        self._aliases = dict(aliases or {})

    @cached_property
    def labels(self) -> dict[Any, str]:
        # Sheets are Chinese whatever language the page that triggered loading was in.
        with translation.override("zh-hans"):
            return {value: str(label) for value, label in self._options}

    @cached_property
    def parser(self) -> normalise.Choices:
        accepted: dict[str, Any] = {label: value for value, label in self.labels.items()}
        accepted.update(self._aliases)
        return normalise.Choices(accepted)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        return self.parser.clean(value)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return self.labels.get(value, "" if value is None else value)

    def choices(self) -> list[str]:
        return list(self.labels.values())


class ChoiceList(Choice):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> list[Any]:
        return [self.parser.clean(item) for item in normalise.split_list(value)]

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return "、".join(self.labels.get(item, item) for item in value or [])

    def choices(self) -> list[str]:
        return []  # a list cell: no single-value dropdown


class IdNumber(SheetWidget):
    """An ID number; a masked one (330381********1234, as an export shows it to a role without
    the permission) is kept as `Masked`, for the import to restore from the record it names."""

    text_format = True

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str | None:
        return normalise.masked(value) or normalise.id_number(value)


class Phone(SheetWidget):
    text_format = True

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str | None:
        masked = normalise.masked(value)
        if masked:
            return masked
        cleaned = normalise.phone(value)
        return None if cleaned is None else self.limits.check_length(cleaned)


class CreditCode(SheetWidget):
    text_format = True

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str | None:
        return normalise.credit_code(value)


class Reference(SheetWidget):
    """A column naming another record (region, enterprise, title …). Cleaning keeps the text;
    the importer resolves it against the database in bulk, with the row's context. Its limits
    are those of the field it names (an enterprise's name): a name too long for it can neither
    match a record nor create one."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str | None:
        return self.limits.check_length(normalise.text_value(value)) or None

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return "" if value is None else str(value)


class RegionName(Reference):
    """Exported as the name with its county (瑞安市塘下镇) so that town names stay unique."""

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        if value is None:
            return ""
        if value.level == "town" and value.parent is not None:
            return f"{value.parent.name}{value.name}"
        return value.name


class SheetField(Field):
    """A column: its export path (`attribute`), header, widget and header aliases."""

    def __init__(
        self,
        attribute: str,
        header: str,
        widget: SheetWidget | None = None,
        *,
        required: bool = False,
        aliases: tuple[str, ...] = (),
        wan: bool = False,
        personal: str | None = None,
        export_only: bool = False,
    ) -> None:
        super().__init__(attribute=attribute, column_name=header, widget=widget or Text())
        self.header = header
        self.required = required
        self.aliases = aliases
        self.wan = wan
        # The PERSONAL_DATA_FIELDS entry that masks this column on export, if any.
        self.personal = personal
        # Written by exports, read by imports, left out of templates (记录编号).
        self.export_only = export_only
        self.model_field: models.Field[Any, Any] | None = None  # set by `bind`

    @property
    def limits(self) -> Limits:
        widget = self.widget
        return widget.limits if isinstance(widget, SheetWidget) else NO_LIMITS

    def bind(self, model: type[models.Model]) -> SheetField:
        """A copy of this column for a resource of `model`: its model field found through
        `attribute`, and a widget keeping that field's limits. Columns are declared once on a
        base resource and inherited, so the declared field itself is never changed."""
        bound = copy.copy(self)
        bound.model_field = model_field_at(model, self.attribute)
        if isinstance(self.widget, SheetWidget):
            bound.widget = self.widget.bound(limits_of(bound.model_field))
        return bound

    def sheet_column(self, name: str) -> Column:
        return column(name, self.header, required=self.required, aliases=self.aliases, wan=self.wan)

    def masked(self, value: Any) -> Any:
        """The value as someone without the personal-data permission sees it."""
        return PERSONAL_DATA_FIELDS[self.personal][1](value) if self.personal else value

    def export_value(self, instance: models.Model, *, reveal: set[str]) -> Any:
        value = self.widget.render(self.get_value(instance))
        return value if self.personal in reveal else self.masked(value)


RECORD_KEY_HEADER = "记录编号"


def record_key_field() -> SheetField:
    """The 记录编号 column every export of a model with a numeric key ends with."""
    return SheetField("pk", RECORD_KEY_HEADER, RecordKey(), export_only=True, aliases=("记录ID",))
