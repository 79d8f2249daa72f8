"""The forms of reporting rounds: opening a round, and the fields an action asks for."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dashboards.catalogue import GROUPS, INDICATORS
from reporting.models import PeriodKind

PART_CHOICES = [
    (1, _("first (the year, the first half or Q1)")),
    (2, _("second (the second half or Q2)")),
    (3, _("third quarter")),
    (4, _("fourth quarter")),
]


def indicator_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (str(title), [(i.key, str(i.label)) for i in INDICATORS if i.group == group])
        for group, title in GROUPS.items()
    ]


class RoundForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("period"), choices=PeriodKind.choices)
    part = forms.TypedChoiceField(label=_("part of the year"), choices=PART_CHOICES, coerce=int)
    due_on = forms.DateField(
        label=_("due on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    indicators = forms.MultipleChoiceField(
        label=_("indicators"), choices=indicator_choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("year", today.year)
            self.initial.setdefault("kind", PeriodKind.ANNUAL)


class SubmitForm(forms.Form):
    head = forms.CharField(label=_("head of unit"), max_length=50)
    missing_reason = forms.CharField(
        label=_("reason for children not approved"), required=False, widget=forms.Textarea
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea)
