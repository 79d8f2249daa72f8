from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from adminsite.mixins import RegionFilter, ScopedAdmin, ScopedTabularInline, year_filter
from training.models import (
    Competition,
    CompetitionResult,
    EducationSubsidy,
    Enrolment,
    TrainingProvider,
    TrainingSession,
)


@admin.register(TrainingProvider)
class TrainingProviderAdmin(ScopedAdmin):
    list_display = ("name", "kind", "region", "parent")
    list_filter = (RegionFilter, "kind")
    search_fields = ("^name",)
    list_select_related = ("region", "parent")
    autocomplete_fields = ("region", "parent")


class EnrolmentInline(ScopedTabularInline):
    model = Enrolment
    fields = ("worker", "attended", "passed", "certified")
    autocomplete_fields = ("worker",)


@admin.register(TrainingSession)
class TrainingSessionAdmin(ScopedAdmin):
    list_display = (
        "title",
        "provider",
        "region",
        "category",
        "start_date",
        "end_date",
        "hours",
        "declared_headcount",
        "subsidy",
    )
    list_filter = (
        RegionFilter,
        "category",
        year_filter("start_date", _("start date"), is_date=True),
    )
    search_fields = ("^title", "^provider__name")
    list_select_related = ("provider", "region")
    autocomplete_fields = ("provider", "region")
    inlines = (EnrolmentInline,)


@admin.register(Enrolment)
class EnrolmentAdmin(ScopedAdmin):
    list_display = ("worker", "session", "attended", "passed", "certified")
    list_filter = (RegionFilter, "attended", "passed", "certified")
    search_fields = ("^worker__name", "^worker__id_number", "^session__title")
    list_select_related = ("worker", "session")
    autocomplete_fields = ("worker", "session")


class CompetitionResultInline(ScopedTabularInline):
    model = CompetitionResult
    fields = ("worker", "rank", "award", "title_granted")
    autocomplete_fields = ("worker",)


@admin.register(Competition)
class CompetitionAdmin(ScopedAdmin):
    list_display = ("name", "level", "tier", "trade", "held_on", "region", "participant_count")
    list_filter = (
        RegionFilter,
        "level",
        "tier",
        year_filter("held_on", _("held on"), is_date=True),
    )
    search_fields = ("^name", "^trade")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)
    inlines = (CompetitionResultInline,)


@admin.register(CompetitionResult)
class CompetitionResultAdmin(ScopedAdmin):
    list_display = ("worker", "competition", "rank", "award", "title_granted")
    list_filter = (RegionFilter, "award")
    search_fields = ("^worker__name", "^worker__id_number", "^competition__name")
    list_select_related = ("worker", "competition")
    autocomplete_fields = ("worker", "competition")


@admin.register(EducationSubsidy)
class EducationSubsidyAdmin(ScopedAdmin):
    list_display = ("worker", "school", "major", "level", "year", "amount", "status")
    list_filter = (RegionFilter, "level", year_filter("year", _("year"), is_date=False))
    search_fields = ("^worker__name", "^worker__id_number", "^school")
    list_select_related = ("worker",)
    autocomplete_fields = ("worker",)
