from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from adminsite.mixins import RegionFilter, ScopedAdmin, ScopedTabularInline, year_filter
from training.models import (
    Competition,
    CompetitionResult,
    EducationSubsidy,
    Enrolment,
    Instructor,
    Teaching,
    TrainingProvider,
    TrainingSession,
    WorkerLibrary,
)


class InstructorInline(ScopedTabularInline):
    model = Instructor
    fk_name = "academy"
    fields = ("worker", "kind", "engaged_on", "ended_on", "subjects")
    autocomplete_fields = ("worker",)


@admin.register(TrainingProvider)
class TrainingProviderAdmin(ScopedAdmin):
    list_display = ("name", "kind", "region", "parent", "founded_on", "founding_union")
    list_filter = (RegionFilter, "kind", year_filter("founded_on", _("founded on"), is_date=True))
    search_fields = ("^name",)
    list_select_related = ("region", "parent", "founding_union")
    autocomplete_fields = ("region", "parent", "founding_union")
    # Shown on every provider: an academy's instructors are kept here, and another kind is
    # refused one by the instructor's own rule (Instructor.clean).
    inlines = (InstructorInline,)


@admin.register(Instructor)
class InstructorAdmin(ScopedAdmin):
    list_display = ("worker", "academy", "kind", "engaged_on", "ended_on", "subjects")
    list_filter = (
        RegionFilter,
        "kind",
        year_filter("engaged_on", _("engaged on"), is_date=True),
    )
    search_fields = ("^worker__name", "^worker__id_number", "^academy__name")
    list_select_related = ("worker", "academy")
    autocomplete_fields = ("academy", "worker")


class EnrolmentInline(ScopedTabularInline):
    model = Enrolment
    fields = ("worker", "attended", "passed", "certified")
    autocomplete_fields = ("worker",)


class TeachingInline(ScopedTabularInline):
    model = Teaching
    fields = ("instructor",)
    autocomplete_fields = ("instructor",)


@admin.register(Teaching)
class TeachingAdmin(ScopedAdmin):
    list_display = ("session", "instructor")
    list_filter = (RegionFilter, "instructor__kind")
    search_fields = ("^session__title", "^instructor__worker__name", "^instructor__academy__name")
    list_select_related = ("session", "instructor__worker", "instructor__academy")
    autocomplete_fields = ("session", "instructor")


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
        "instructor_names",
    )
    list_filter = (
        RegionFilter,
        "category",
        year_filter("start_date", _("start date"), is_date=True),
    )
    search_fields = ("^title", "^provider__name")
    list_select_related = ("provider", "region")
    autocomplete_fields = ("provider", "region")
    inlines = (TeachingInline, EnrolmentInline)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        # The instructors column: one query for the page's sessions, not one per session.
        return super().get_queryset(request).prefetch_related("instructors__worker")

    @admin.display(description=_("instructors"))
    def instructor_names(self, obj: TrainingSession) -> str:
        return "、".join(instructor.worker.name for instructor in obj.instructors.all())


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


@admin.register(WorkerLibrary)
class WorkerLibraryAdmin(ScopedAdmin):
    list_display = (
        "name",
        "region",
        "host_enterprise",
        "host_union",
        "level",
        "books_count",
        "opened_on",
    )
    list_filter = (RegionFilter, "level", year_filter("opened_on", _("opened on"), is_date=True))
    search_fields = ("^name", "^host_enterprise__name", "^host_union__name")
    list_select_related = ("region", "host_enterprise", "host_union")
    autocomplete_fields = ("region", "host_enterprise", "host_union")
