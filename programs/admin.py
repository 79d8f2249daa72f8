from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from programs.models import (
    Achievement,
    InnovationStudio,
    PilotUnit,
    Programme,
    ServiceProblem,
    ServiceVisit,
    Target,
)
from workforce.admin_mixins import (
    ReferenceAdmin,
    RegionFilter,
    ScopedAdmin,
    ScopedTabularInline,
    year_filter,
)


@admin.register(Programme)
class ProgrammeAdmin(ReferenceAdmin):
    list_display = ("name", "short_name")
    search_fields = ("name", "short_name")


@admin.register(PilotUnit)
class PilotUnitAdmin(ScopedAdmin):
    list_display = (
        "name",
        "team_name",
        "unit_type",
        "programme",
        "region",
        "level",
        "batch_year",
        "status",
    )
    list_filter = (RegionFilter, "programme", "unit_type", "level", "status", "batch_year")
    search_fields = ("^name", "^team_name")
    list_select_related = ("programme", "region")
    autocomplete_fields = ("region", "enterprise")


@admin.register(Target)
class TargetAdmin(ScopedAdmin):
    list_display = ("region", "indicator", "year", "value")
    list_filter = (RegionFilter, "year", "indicator")
    search_fields = ("^region__name", "=indicator")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)


class AchievementInline(ScopedTabularInline):
    model = Achievement
    fields = ("title", "kind", "year", "region", "patent_number", "economic_benefit")
    autocomplete_fields = ("region",)


@admin.register(InnovationStudio)
class InnovationStudioAdmin(ScopedAdmin):
    list_display = (
        "name",
        "kind",
        "level",
        "region",
        "enterprise",
        "leader",
        "member_count",
        "named_year",
        "revoked_year",
    )
    list_filter = (RegionFilter, "kind", "level", "named_year", "revoked_year")
    search_fields = ("^name", "^enterprise__name", "^leader__name")
    list_select_related = ("region", "enterprise", "leader")
    autocomplete_fields = ("region", "enterprise", "leader")
    inlines = (AchievementInline,)


@admin.register(Achievement)
class AchievementAdmin(ScopedAdmin):
    list_display = (
        "title",
        "kind",
        "year",
        "region",
        "studio",
        "patent_number",
        "economic_benefit",
    )
    list_filter = (RegionFilter, "kind", year_filter("year", _("year"), is_date=False))
    search_fields = ("^title", "=patent_number", "^studio__name")
    list_select_related = ("region", "studio")
    autocomplete_fields = ("region", "studio")


class ServiceProblemInline(ScopedTabularInline):
    model = ServiceProblem
    fields = ("description", "enterprise", "expert", "status", "solved_on")
    autocomplete_fields = ("enterprise", "expert")


@admin.register(ServiceVisit)
class ServiceVisitAdmin(ScopedAdmin):
    list_display = (
        "title", "date", "region", "craftsmen_count", "enterprises_served", "problems_collected",
        "problems_solved", "workers_trained", "economic_benefit",
    )  # fmt: skip
    list_filter = (RegionFilter, year_filter("date", _("service date"), is_date=True))
    search_fields = ("^title",)
    list_select_related = ("region",)
    autocomplete_fields = ("region", "craftsmen")
    inlines = (ServiceProblemInline,)


@admin.register(ServiceProblem)
class ServiceProblemAdmin(ScopedAdmin):
    list_display = ("description", "visit", "enterprise", "expert", "status", "solved_on")
    list_filter = (RegionFilter, "status")
    search_fields = ("description", "^visit__title", "^enterprise__name")
    list_select_related = ("visit", "enterprise", "expert")
    autocomplete_fields = ("visit", "enterprise", "expert")
