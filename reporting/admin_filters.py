"""The admin list filter behind a submitted figure: exactly the records it was counted from at
submission (`?figure=<id>`), whatever has changed since."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dashboards.catalogue import SOURCES
from reporting import records, rules
from reporting.models import Figure


def figure_sources() -> set[type[models.Model]]:
    """The models whose records a submitted figure may keep the keys of: every source table
    of the catalogue."""
    return {source.model_class() for source in SOURCES.values()}


def keys_in(keys: list[int]) -> RawSQL:
    """The keys as a subquery of one parameter: a county's hundreds of thousands of keys would
    exceed the parameters a statement may carry as `IN (%s, %s, …)`."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [keys])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(keys)])


class SubmittedFigureFilter(admin.SimpleListFilter):
    title = _("submitted figure")
    parameter_name = "figure"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        value = self.value()
        if value is None:
            return []
        figure = self.figure(request, model_admin.model)
        if figure is None:
            # A choice all the same: Django applies only filters with choices, and a figure
            # that is not there (or not the user's) must list nothing, not everything.
            return [(value, str(_("no such submitted figure")))]
        submission = figure.submission
        return [
            (str(figure.pk), f"{submission.region.name} · {submission.round.name} · {figure.label}")
        ]

    def figure(self, request: HttpRequest, model: type[models.Model]) -> Figure | None:
        """The figure asked for, if it counted rows of this model and the user may see its
        report; otherwise None (the list then shows nothing)."""
        value = self.value()
        if not value or not value.isdigit():
            return None
        figure = (
            Figure.objects.select_related("submission__region", "submission__round")
            .filter(pk=int(value), records_model=model._meta.label_lower)
            .first()
        )
        if figure is None or not rules.may_see(request.user, figure.submission):
            return None
        return figure

    def queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> Any:
        if self.value() is None:
            return queryset
        figure = self.figure(request, queryset.model)
        if figure is None or figure.records is None:
            return queryset.none()
        return queryset.filter(pk__in=keys_in(records.decode(figure.records)))
