"""A multi-choice field (服务功能, 致困原因) stored as a JSON list of choice values."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChoiceListField(models.JSONField):
    """A list of values from `choices`, kept in the choices' order, without duplicates.

    JSON instead of a link table: the lists are short, fixed, read with their record and counted
    rarely; PostgreSQL can still index them (GIN) if a dashboard ever needs it.
    """

    def __init__(self, *args: Any, item_choices: Any = (), **kwargs: Any) -> None:
        self.item_choices = list(item_choices)
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["item_choices"] = self.item_choices
        return name, path, args, kwargs

    def validate(self, value: Any, model_instance: Any) -> None:
        super().validate(value, model_instance)
        allowed = {choice for choice, _label in self.item_choices}
        if not isinstance(value, list) or any(item not in allowed for item in value):
            raise ValidationError(_("Choose only from the listed values."), code="invalid_choice")

    def formfield(self, *args: Any, **kwargs: Any) -> Any:
        return forms.TypedMultipleChoiceField(
            choices=self.item_choices,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )

    def labels(self, values: list[str]) -> list[str]:
        names = dict(self.item_choices)
        return [str(names.get(value, value)) for value in values]


# Unparameterised on purpose: the django-stubs plugin then infers Decimal, or Decimal | None
# for null=True, as it does for DecimalField itself.
class MoneyField(models.DecimalField):  # type: ignore[type-arg]
    """An amount in yuan with fen precision, never negative."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from base.validators import money_validators

        kwargs.setdefault("max_digits", 16)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("validators", money_validators)
        super().__init__(*args, **kwargs)
