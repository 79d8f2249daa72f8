"""The admin list filter behind a dashboard number's link."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from base.querystring import query_year
from dashboards.catalogue import BY_KEY, INDICATORS, SOURCES, Period, RowMeasure
from dashboards.dashboard import default_year


def counted_on(model: type[models.Model]) -> list[str]:
    """Keys of the indicators that count rows of `model`."""
    return [
        indicator.key
        for indicator in INDICATORS
        if indicator.source is not None
        and isinstance(indicator.measure, RowMeasure)
        and SOURCES[indicator.source].model_class() is model
    ]


class IndicatorFilter(admin.SimpleListFilter):
    """Exactly the rows a dashboard count counts, for the year in `indicator_year`."""

    title = _("dashboard indicator")
    parameter_name = "indicator"
    year_parameter = "indicator_year"

    def __init__(
        self, request: HttpRequest, params: dict[str, Any], model: Any, model_admin: Any
    ) -> None:
        # Taken here so that the change list does not read it as a field lookup.
        years = params.pop(self.year_parameter, None)
        self.year = query_year(years) or default_year()
        super().__init__(request, params, model, model_admin)

    def expected_parameters(self) -> list[str | None]:
        return [self.parameter_name, self.year_parameter]

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            (key, f"{BY_KEY[key].label}（{self.year}）") for key in counted_on(model_admin.model)
        ]

    def queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> Any:
        key = self.value()
        if not key:
            return queryset
        indicator = BY_KEY.get(key)
        if indicator is None or key not in counted_on(queryset.model):
            return queryset.none()
        assert isinstance(indicator.measure, RowMeasure) and indicator.source is not None
        return queryset.filter(indicator.measure.rows(SOURCES[indicator.source], Period(self.year)))
