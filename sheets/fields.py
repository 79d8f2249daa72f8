"""Columns of a sheet: django-import-export `Field`s whose widgets speak the sheets' conventions.

django-import-export's own widgets read 是/否 as False and infer nothing for Chinese headers, so
every column names its widget here; each widget cleans through `sheets.normalise` (the one place
values are normalised) and renders what the importer reads back unchanged (round trip).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.functional import cached_property
from import_export.fields import Field
from import_export.widgets import Widget

from base.identity import PERSONAL_DATA_FIELDS
from sheets import normalise
from sheets.headers import Column, column


class SheetWidget(Widget):
    """Cleans one cell; renders one value for export. `choices` feed template dropdowns."""

    text_format = False  # format the template column as text (ID and phone numbers)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        return normalise.text_value(value) or None

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return "" if value is None else value

    def choices(self) -> list[str]:
        return []


class Text(SheetWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        return normalise.text_value(value)


class Integer(SheetWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int | None:
        return normalise.integer(value)


class Year(SheetWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int | None:
        return normalise.year(value)


class Money(SheetWidget):
    """Yuan; a column headed in 万元 is multiplied by 10 000 (the header decides, per file)."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Decimal | None:
        return normalise.decimal(value, wan=bool(kwargs.get("wan")))

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        return "" if value is None else value  # openpyxl writes a Decimal as a number


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
    text_format = True

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str | None:
        return normalise.id_number(value)


class Phone(SheetWidget):
    text_format = True

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str | None:
        return normalise.phone(value)


class CreditCode(SheetWidget):
    text_format = True

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str | None:
        return normalise.credit_code(value)


class Reference(SheetWidget):
    """A column naming another record (region, enterprise, title …). Cleaning keeps the text;
    the importer resolves it against the database in bulk, with the row's context."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str | None:
        return normalise.text_value(value) or None

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
    ) -> None:
        super().__init__(attribute=attribute, column_name=header, widget=widget or Text())
        self.header = header
        self.required = required
        self.aliases = aliases
        self.wan = wan
        # The PERSONAL_DATA_FIELDS entry that masks this column on export, if any.
        self.personal = personal

    def sheet_column(self, name: str) -> Column:
        return column(name, self.header, required=self.required, aliases=self.aliases, wan=self.wan)

    def masked(self, value: Any) -> Any:
        """The value as someone without the personal-data permission sees it."""
        return PERSONAL_DATA_FIELDS[self.personal][1](value) if self.personal else value

    def export_value(self, instance: models.Model, *, reveal: set[str]) -> Any:
        value = self.widget.render(self.get_value(instance))
        return value if self.personal in reveal else self.masked(value)
