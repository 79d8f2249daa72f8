from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from welfare.models import (
    AssistanceGrant,
    CarePairing,
    HardshipCase,
    RecuperationTrip,
    ServiceStation,
)
from welfare.services import hardship_case_check_transition, hardship_case_mark_aided
from workforce.admin_mixins import RegionFilter, ScopedAdmin, ScopedTabularInline, year_filter


@admin.register(ServiceStation)
class ServiceStationAdmin(ScopedAdmin):
    list_display = (
        "name",
        "region",
        "address",
        "host",
        "open_24h",
        "status",
        "opened_on",
        "upgraded_year",
    )
    list_filter = (RegionFilter, "status", "open_24h", "host", "upgraded_year")
    search_fields = ("^name", "address")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)


class HardshipCaseForm(forms.ModelForm[HardshipCase]):
    """Existing cases change status only along the lifecycle; a new case (an old paper file
    entered now) may start in any status, as long as the dates it needs are there."""

    class Meta:
        model = HardshipCase
        fields = (
            "worker", "level", "causes", "family_size", "monthly_income_per_head", "source",
            "status", "filed_on", "closed_on", "reason",
        )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk and "status" in cleaned:
            hardship_case_check_transition(
                current=self.initial["status"],
                target=cleaned["status"],
                reason=cleaned.get("reason") or "",
            )
        return cleaned


class AssistanceGrantInline(ScopedTabularInline):
    model = AssistanceGrant
    fields = ("kind", "amount", "granted_on", "fund_source")


@admin.register(HardshipCase)
class HardshipCaseAdmin(ScopedAdmin):
    form = HardshipCaseForm
    list_display = ("worker", "level", "status", "source", "filed_on", "closed_on", "family_size")
    list_filter = (
        RegionFilter,
        "status",
        "level",
        "source",
        year_filter("filed_on", _("filed on"), is_date=True),
    )
    search_fields = ("^worker__name", "^worker__id_number")
    list_select_related = ("worker",)
    autocomplete_fields = ("worker",)
    inlines = (AssistanceGrantInline,)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if form.instance.grants.exists():
            hardship_case_mark_aided(case=form.instance)


@admin.register(AssistanceGrant)
class AssistanceGrantAdmin(ScopedAdmin):
    list_display = ("case", "kind", "amount", "granted_on", "fund_source")
    list_filter = (RegionFilter, "kind", year_filter("granted_on", _("granted on"), is_date=True))
    search_fields = ("^case__worker__name", "^case__worker__id_number")
    list_select_related = ("case__worker",)
    autocomplete_fields = ("case",)

    def save_model(
        self, request: HttpRequest, obj: AssistanceGrant, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        hardship_case_mark_aided(case=obj.case)


@admin.register(RecuperationTrip)
class RecuperationTripAdmin(ScopedAdmin):
    list_display = (
        "title",
        "destination",
        "start_date",
        "days",
        "region",
        "declared_headcount",
        "funding",
    )
    list_filter = (
        RegionFilter,
        "funding",
        year_filter("start_date", _("departure date"), is_date=True),
    )
    search_fields = ("^title", "^destination")
    list_select_related = ("region",)
    autocomplete_fields = ("region", "participants")


@admin.register(CarePairing)
class CarePairingAdmin(ScopedAdmin):
    list_display = ("senior", "carer", "started_on")
    list_filter = (RegionFilter,)
    search_fields = ("^senior__name", "^carer__name")
    list_select_related = ("senior", "carer")
    autocomplete_fields = ("senior", "carer")
