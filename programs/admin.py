from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from adminsite.mixins import (
    ReferenceAdmin,
    RegionFilter,
    ScopedAdmin,
    ScopedTabularInline,
    year_filter,
)
from programs import indicators
from programs.models import (
    SUGGESTION_CLOSING_DAYS,
    Achievement,
    AllianceActivity,
    AllianceMember,
    CoordinationGroup,
    InnovationStudio,
    JobFair,
    JobFairEnterprise,
    PilotUnit,
    ProblemStatus,
    Programme,
    ReformAlliance,
    ServiceProblem,
    ServiceVisit,
    Suggestion,
    SuggestionStatus,
    Target,
    WageAgreement,
    WageLevel,
)
from programs.selectors import (
    OPEN_PROBLEM_STATUSES,
    job_fairs_with_totals,
    member_shown_in_full,
    members_shown_as_names,
    members_shown_in_full,
)
from programs.services import (
    service_problem_check,
    service_problem_delete,
    service_problem_save,
    service_visit_sync_problem_counts,
    suggestion_check,
    suggestion_delete,
    suggestion_save,
    wage_agreement_covered_check,
    wage_agreement_save,
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


class IndicatorFilter(admin.SimpleListFilter):
    title = _("indicator")
    parameter_name = "indicator"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return indicators.choices()

    def queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> Any:
        return queryset.filter(indicator=self.value()) if self.value() else queryset


@admin.register(Target)
class TargetAdmin(ScopedAdmin):
    list_display = ("region", "indicator_name", "year", "value")
    list_filter = (RegionFilter, "year", IndicatorFilter)
    search_fields = ("^region__name", "=indicator")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)

    @admin.display(description=_("indicator"), ordering="indicator")
    def indicator_name(self, target: Target) -> str:
        return target.indicator_label

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # The catalogue's indicators as a list to pick from (the model keeps only the key).
        if db_field.name == "indicator":
            return forms.ChoiceField(
                label=db_field.verbose_name,
                choices=[("", "---------"), *indicators.choices()],
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class AchievementInline(ScopedTabularInline):
    model = Achievement
    fields = ("title", "kind", "year", "region", "patent_number", "economic_benefit")
    autocomplete_fields = ("region",)


@admin.register(CoordinationGroup)
class CoordinationGroupAdmin(ScopedAdmin):
    list_display = (
        "region", "established_on", "dissolved_on", "leader_name", "leader_post", "member_units",
    )  # fmt: skip
    list_filter = (RegionFilter, ("dissolved_on", admin.EmptyFieldListFilter))
    search_fields = ("^region__name", "^leader_name")
    list_select_related = ("region",)
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


class ServiceProblemForm(forms.ModelForm[ServiceProblem]):
    """Checks the tracker's rules before saving, so a refused change shows on the form."""

    user: Any = None

    class Meta:
        model = ServiceProblem
        fields = ("description", "enterprise", "expert", "status", "reported_on", "solved_on")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        status = cleaned.get("status")
        if status:
            expert = cleaned.get("expert")
            try:
                service_problem_check(
                    problem=self.instance,
                    user=self.user,
                    previous_status=self.instance.status if self.instance.pk else None,
                    expert_changed=(expert.pk if expert else None) != self.initial.get("expert"),
                    data=dict(cleaned),
                )
            except PermissionDenied as error:
                raise ValidationError(str(error)) from None
        return cleaned


class ServiceProblemInline(ScopedTabularInline):
    model = ServiceProblem
    form = ServiceProblemForm
    fields = ("description", "enterprise", "expert", "status", "reported_on", "solved_on")
    autocomplete_fields = ("enterprise", "expert")

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        # Each problem's form asks the step table with the requesting user.
        kwargs["form"] = type("ServiceProblemForm", (ServiceProblemForm,), {"user": request.user})
        return super().get_formset(request, obj, **kwargs)


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

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        service_visit_sync_problem_counts(visit=form.instance)


class OpenProblemsFilter(admin.SimpleListFilter):
    """Open problems, oldest first: the tracker's "by age" list."""

    title = _("progress")
    parameter_name = "open"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("open, oldest first"))]

    def queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> Any:
        if self.value() != "yes":
            return queryset
        return queryset.filter(status__in=OPEN_PROBLEM_STATUSES).order_by("reported_on", "pk")


@admin.register(ServiceProblem)
class ServiceProblemAdmin(ScopedAdmin):
    form = ServiceProblemForm
    list_display = (
        "description", "visit", "enterprise", "expert", "status", "reported_on", "age_days",
        "solved_on",
    )  # fmt: skip
    list_filter = (RegionFilter, OpenProblemsFilter, "status")
    search_fields = ("description", "^visit__title", "^enterprise__name")
    list_select_related = ("visit", "enterprise", "expert")
    autocomplete_fields = ("visit", "enterprise", "expert")

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("visit", *ServiceProblemForm.Meta.fields)

    @admin.display(description=_("days open"))
    def age_days(self, obj: ServiceProblem) -> int | str:
        if obj.status == ProblemStatus.SOLVED or obj.reported_on is None:
            return "—"
        return (timezone.localdate() - obj.reported_on).days

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        service_problem_save(
            problem=obj,
            user=request.user,
            previous_status=form.initial.get("status") if change else None,
            previous_expert_id=form.initial.get("expert") if change else None,
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        service_problem_delete(problem=obj, user=request.user)


# --- 产改联盟 -----------------------------------------------------------------------------------
# A member enterprise outside the user's scope is shown as its name only: no link, no credit
# code, nothing else of it (programs.selectors, docs/security.md).


@admin.display(description=_("member enterprise"))
def member_name(member: AllianceMember) -> str:
    return member.enterprise.name


class AllianceMemberInline(ScopedTabularInline):
    """The members in the user's scope: listed, changed and removed here."""

    model = AllianceMember
    fields = ("enterprise", "joined_on", "left_on")
    autocomplete_fields = ("enterprise",)
    verbose_name_plural = _("members in your region")

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        queryset = super().get_queryset(request).select_related("enterprise")
        return members_shown_in_full(queryset, user=request.user)


class AllianceMemberNameInline(ScopedTabularInline):
    """The members outside the user's scope: their names, read-only."""

    model = AllianceMember
    fields = ("member", "joined_on", "left_on")
    readonly_fields = ("member", "joined_on", "left_on")
    show_change_link = False
    can_delete = False
    verbose_name_plural = _("members in other regions (names only)")

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        queryset = super().get_queryset(request).select_related("enterprise")
        return members_shown_as_names(queryset, user=request.user)

    @admin.display(description=_("member enterprise"))
    def member(self, obj: AllianceMember) -> str:
        return member_name(obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AllianceActivityInline(ScopedTabularInline):
    model = AllianceActivity
    fields = ("kind", "held_on", "title", "enterprises_count", "note")


@admin.register(ReformAlliance)
class ReformAllianceAdmin(ScopedAdmin):
    list_display = ("name", "kind", "lead", "region", "founded_on", "dissolved_on")
    list_filter = (
        RegionFilter,
        "kind",
        year_filter("founded_on", _("founded on"), is_date=True),
    )
    search_fields = ("^name", "^lead__name")
    list_select_related = ("region", "lead")
    autocomplete_fields = ("lead",)
    fields = ("name", "lead", "kind", "founded_on", "dissolved_on", "description")
    inlines = (AllianceMemberInline, AllianceMemberNameInline, AllianceActivityInline)


@admin.register(AllianceMember)
class AllianceMemberAdmin(ScopedAdmin):
    """Memberships, for the records behind a figure; kept with their alliance."""

    # The member by name alone: the list shows members of every region alike.
    list_display = ("alliance", "member", "joined_on", "left_on", "region")
    list_filter = (RegionFilter, year_filter("joined_on", _("joined on"), is_date=True))
    search_fields = ("^alliance__name", "^enterprise__name")
    list_select_related = ("alliance", "enterprise", "region")
    autocomplete_fields = ("alliance", "enterprise")

    def _in_full(self, request: HttpRequest, obj: Any) -> bool:
        return obj is None or member_shown_in_full(user=request.user, member=obj)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if self._in_full(request, obj):
            return ("alliance", "enterprise", "joined_on", "left_on")
        return ("alliance", "member", "joined_on", "left_on")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        if not self._in_full(request, obj):
            readonly.append("member")
        return readonly

    @admin.display(description=_("member enterprise"))
    def member(self, obj: AllianceMember) -> str:
        return member_name(obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Another region's member is changed or removed by a user whose scope holds it.
        return self._in_full(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._in_full(request, obj) and super().has_delete_permission(request, obj)


@admin.register(AllianceActivity)
class AllianceActivityAdmin(ScopedAdmin):
    list_display = ("title", "alliance", "kind", "held_on", "enterprises_count", "region")
    list_filter = (
        RegionFilter,
        "kind",
        year_filter("held_on", _("held on"), is_date=True),
    )
    search_fields = ("^title", "^alliance__name")
    list_select_related = ("alliance", "region")
    autocomplete_fields = ("alliance",)


class WageLevelInline(ScopedTabularInline):
    model = WageLevel
    fields = ("order", "skill_level", "minimum_wage", "differential")
    show_change_link = False


class WageAgreementForm(forms.ModelForm[WageAgreement]):
    """Asks the service's rule on the enterprises listed, so a refusal shows on the form."""

    user: Any = None

    class Meta:
        model = WageAgreement
        fields = (
            "kind", "title", "enterprise", "industry", "region", "signed_on", "valid_until",
            "terminated_on", "covered_enterprises", "enterprises_declared", "workers_covered",
            "union_side", "employer_side",
        )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        covered = cleaned.get("covered_enterprises")
        if covered is not None and cleaned.get("kind"):
            probe = WageAgreement(kind=cleaned["kind"])
            try:
                wage_agreement_covered_check(
                    agreement=probe, enterprises=list(covered), user=self.user
                )
            except PermissionDenied as error:
                raise ValidationError(str(error)) from None
        return cleaned


@admin.register(WageAgreement)
class WageAgreementAdmin(ScopedAdmin):
    form = WageAgreementForm
    list_display = (
        "title", "kind", "region", "enterprise", "industry", "signed_on", "valid_until",
        "terminated_on", "enterprises_declared", "workers_covered",
    )  # fmt: skip
    list_filter = (
        RegionFilter,
        "kind",
        year_filter("signed_on", _("signed on"), is_date=True),
        year_filter("valid_until", _("valid until"), is_date=True),
    )
    search_fields = ("^title", "^industry", "^enterprise__name")
    list_select_related = ("region", "enterprise")
    autocomplete_fields = ("region", "enterprise", "covered_enterprises")
    fieldsets = (
        (None, {"fields": ("kind", "title", "enterprise", "industry", "region")}),
        (_("Term"), {"fields": ("signed_on", "valid_until", "terminated_on")}),
        (
            _("Coverage"),
            {"fields": ("covered_enterprises", "enterprises_declared", "workers_covered")},
        ),
        (_("Parties"), {"fields": ("union_side", "employer_side")}),
    )
    inlines = (WageLevelInline,)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        wage_agreement_save(agreement=obj, user=request.user)


@admin.register(WageLevel)
class WageLevelAdmin(ScopedAdmin):
    list_display = ("agreement", "skill_level", "minimum_wage", "differential", "order")
    list_filter = (RegionFilter, "skill_level", "agreement__kind")
    search_fields = ("^agreement__title",)
    list_select_related = ("agreement",)
    autocomplete_fields = ("agreement",)


# --- 春风行动 -----------------------------------------------------------------------------------


class JobFairEnterpriseInline(ScopedTabularInline):
    model = JobFairEnterprise
    fields = ("enterprise", "positions_count", "hires_count")
    autocomplete_fields = ("enterprise",)


@admin.register(JobFair)
class JobFairAdmin(ScopedAdmin):
    list_display = (
        "name",
        "held_on",
        "region",
        "organiser_union",
        "organiser",
        "venue",
        "online",
        "seekers_count",
        "enterprise_total",
        "position_total",
        "hire_total",
    )
    list_filter = (RegionFilter, "online", year_filter("held_on", _("held on"), is_date=True))
    search_fields = ("^name", "^venue")
    list_select_related = ("region", "organiser_union")
    autocomplete_fields = ("region", "organiser_union")
    inlines = (JobFairEnterpriseInline,)

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        # The totals columns: summed in the list's own query (programs.selectors).
        return job_fairs_with_totals(super().get_queryset(request))

    @admin.display(description=_("enterprises taking part"), ordering="enterprise_total")
    def enterprise_total(self, obj: JobFair) -> int:
        return int(getattr(obj, "enterprise_total", 0))

    @admin.display(description=_("positions offered"), ordering="position_total")
    def position_total(self, obj: JobFair) -> int:
        return int(getattr(obj, "position_total", 0))

    @admin.display(description=_("hires agreed"), ordering="hire_total")
    def hire_total(self, obj: JobFair) -> int:
        return int(getattr(obj, "hire_total", 0))


@admin.register(JobFairEnterprise)
class JobFairEnterpriseAdmin(ScopedAdmin):
    list_display = ("enterprise", "fair", "positions_count", "hires_count", "region")
    list_filter = (RegionFilter, year_filter("fair__held_on", _("held on"), is_date=True))
    search_fields = ("^enterprise__name", "^fair__name")
    list_select_related = ("fair", "enterprise", "region")
    autocomplete_fields = ("fair", "enterprise")


# --- 「人大+工会」 suggestions ------------------------------------------------------------------
# Handled like the problem tracker: the status field takes one step of the step table at a
# time (受理 → 交办 → 答复 → 办结), with the data the step needs on the same form.


class SuggestionForm(forms.ModelForm[Suggestion]):
    """Checks the step table before saving, so a refused step shows on the form."""

    user: Any = None

    class Meta:
        model = Suggestion
        fields = (
            "worker", "union", "topic", "text", "received_on", "addressed_to", "status",
            "accepted_on", "assigned_to", "assigned_on", "answer", "answered_on", "closed_on",
            "satisfaction",
        )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        status = cleaned.get("status")
        if status:
            try:
                suggestion_check(
                    suggestion=self.instance,
                    user=self.user,
                    previous_status=self.instance.status if self.instance.pk else None,
                    data=dict(cleaned),
                )
            except PermissionDenied as error:
                raise ValidationError(str(error)) from None
        return cleaned


class OpenSuggestionsFilter(admin.SimpleListFilter):
    """Suggestions not yet closed, oldest first."""

    title = _("progress")
    parameter_name = "open"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("not closed, oldest first"))]

    def queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> Any:
        if self.value() != "yes":
            return queryset
        return queryset.exclude(status=SuggestionStatus.CLOSED).order_by("received_on", "pk")


@admin.register(Suggestion)
class SuggestionAdmin(ScopedAdmin):
    form = SuggestionForm
    # The worker as everywhere: by name with the ID number masked (Worker.__str__).
    list_display = (
        "received_on", "topic", "proposer", "addressed_to", "status", "accepted_on",
        "days_open", "closed_on", "satisfaction",
    )  # fmt: skip
    list_filter = (
        RegionFilter,
        OpenSuggestionsFilter,
        "status",
        "topic",
        "satisfaction",
        year_filter("received_on", pgettext_lazy("suggestion", "received on"), is_date=True),
    )
    search_fields = ("text", "addressed_to", "^worker__name", "^union__name")
    list_select_related = ("worker", "union")
    autocomplete_fields = ("worker", "union")
    fieldsets = (
        (_("suggestion"), {"fields": SuggestionForm.Meta.fields[:6]}),
        (
            _("handling"),
            {
                "fields": SuggestionForm.Meta.fields[6:],
                "description": format_lazy(
                    _(
                        "One step at a time: 受理 → 交办 → 答复 → 办结. Choose the next status "
                        "and fill in what the step needs; a date left empty is today. Closing is "
                        "due within {days} days of acceptance."
                    ),
                    days=SUGGESTION_CLOSING_DAYS,
                ),
            },
        ),
    )

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    @admin.display(description=_("proposer"))
    def proposer(self, obj: Suggestion) -> str:
        return str(obj.worker or obj.union)

    @admin.display(description=_("days open"))
    def days_open(self, obj: Suggestion) -> int | str:
        if obj.status == SuggestionStatus.CLOSED or obj.accepted_on is None:
            return "—"
        return (timezone.localdate() - obj.accepted_on).days

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        suggestion_save(
            suggestion=obj,
            user=request.user,
            previous_status=form.initial.get("status") if change else None,
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        suggestion_delete(suggestion=obj, user=request.user)
