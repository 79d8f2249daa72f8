from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from adminsite import growth
from adminsite.mixins import (
    ReferenceAdmin,
    RegionFilter,
    ScopedAdmin,
    ScopedTabularInline,
    step_action,
    year_filter,
)
from base.models import Region, RegionLevel
from base.steps import Step
from workforce.models import (
    Enterprise,
    Honour,
    HonourTitle,
    Mentorship,
    SkillCertificate,
    Transfer,
    UnionOrganisation,
    Worker,
)
from workforce.services import transfer_accept, transfer_cancel, transfer_start, worker_merge


@admin.register(Enterprise)
class EnterpriseAdmin(ScopedAdmin):
    list_display = (
        "name", "credit_code", "region", "ownership", "industry", "above_scale",
        "employee_count", "has_union", "reform_status", "reform_started_on",
    )  # fmt: skip
    list_filter = (RegionFilter, "ownership", "above_scale", "has_union", "reform_status")
    search_fields = ("^name", "^credit_code")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)


@admin.register(UnionOrganisation)
class UnionOrganisationAdmin(ScopedAdmin):
    list_display = ("name", "kind", "region", "enterprise", "member_count", "founded_on")
    list_filter = (RegionFilter, "kind")
    search_fields = ("^name",)
    list_select_related = ("region", "enterprise")
    autocomplete_fields = ("region", "enterprise")


class HonourInline(ScopedTabularInline):
    model = Honour
    fields = ("title", "year")
    autocomplete_fields = ("title",)


class SkillCertificateInline(ScopedTabularInline):
    model = SkillCertificate
    fields = ("occupation", "level", "certified_on", "issuer_kind", "issuer", "number")


@admin.register(Worker)
class WorkerAdmin(ScopedAdmin):
    list_display = (
        "name", "id_number", "gender", "phone", "region", "enterprise", "occupation",
        "employment_form", "union_member",
    )  # fmt: skip
    list_filter = (RegionFilter, "employment_form", "union_member", "gender")
    # Prefix searches only: a substring search would scan a million rows.
    search_fields = ("^name", "^id_number", "^enterprise__name")
    list_select_related = ("region", "enterprise")
    autocomplete_fields = ("region", "enterprise")
    readonly_fields = ("gender", "birth_date")
    fieldsets = (
        (None, {"fields": ("name", "id_number", "gender", "birth_date", "phone")}),
        (_("Work"), {"fields": ("region", "enterprise", "occupation", "employment_form")}),
        (_("Register"), {"fields": ("registered_on", "left_on")}),
        (_("Union"), {"fields": ("union_member", "union_joined_on")}),
    )
    inlines = (HonourInline, SkillCertificateInline)
    actions = ("merge_workers",)
    # The worker's page links to their 成长档案 (growth record).
    # Not admin/workforce/worker/change_form.html: Django would give that to any site's worker page.
    change_form_template = "admin/workforce/worker_change_form.html"

    def get_urls(self) -> list[Any]:
        return [
            path(
                "<path:object_id>/growth/",
                self.admin_site.admin_view(self.growth_view),
                name="workforce_worker_growth",
            ),
            path(
                "<path:object_id>/growth.xlsx",
                self.admin_site.admin_view(self.growth_xlsx_view),
                name="workforce_worker_growth_xlsx",
            ),
            *super().get_urls(),
        ]

    def growth_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return growth.growth_view(self, request, object_id)

    def growth_xlsx_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return growth.growth_xlsx_view(self, request, object_id)

    @step_action(Step.WORKER_MERGE)
    @admin.action(description=_("Merge the two selected records of the same person"))
    def merge_workers(
        self, request: HttpRequest, queryset: models.QuerySet[Any]
    ) -> TemplateResponse | None:
        return merge_workers_view(self, request, queryset)


@admin.register(HonourTitle)
class HonourTitleAdmin(ReferenceAdmin):
    list_display = ("name", "level", "kind", "awarded_by")
    list_filter = ("level", "kind")
    search_fields = ("name",)


@admin.register(Honour)
class HonourAdmin(ScopedAdmin):
    list_display = ("worker", "title", "title_level", "year")
    list_filter = (
        RegionFilter,
        "title__level",
        "title__kind",
        year_filter("year", _("year awarded"), is_date=False),
    )
    search_fields = ("^worker__name", "^worker__id_number", "^title__name")
    list_select_related = ("worker", "title")
    autocomplete_fields = ("worker", "title")

    @admin.display(description=_("level"), ordering="title__level")
    def title_level(self, obj: Honour) -> str:
        return obj.title.get_level_display()


@admin.register(SkillCertificate)
class SkillCertificateAdmin(ScopedAdmin):
    list_display = (
        "worker",
        "occupation",
        "level",
        "certified_on",
        "issuer_kind",
        "issuer",
        "number",
    )
    list_filter = (
        RegionFilter,
        "level",
        "issuer_kind",
        year_filter("certified_on", _("certified on"), is_date=True),
    )
    search_fields = ("^worker__name", "^worker__id_number", "=number", "^occupation")
    list_select_related = ("worker",)
    autocomplete_fields = ("worker", "issuing_enterprise")


@admin.register(Mentorship)
class MentorshipAdmin(ScopedAdmin):
    list_display = ("master", "apprentice", "started_on", "ended_on", "outcome")
    list_filter = (RegionFilter, year_filter("started_on", _("started on"), is_date=True))
    search_fields = ("^master__name", "^apprentice__name", "^apprentice__id_number")
    list_select_related = ("master", "apprentice")
    autocomplete_fields = ("master", "apprentice")


class TransferForm(forms.ModelForm[Transfer]):
    # The receiving county lies outside the sender's scope by definition: every county is
    # offered (a plain list of about a hundred), not the scoped region choices.
    to_region = forms.ChoiceField(label=_("to county"))

    class Meta:
        model = Transfer
        fields = ("worker", "to_region", "started_on", "note")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        to_region = self.fields.get("to_region")
        if not isinstance(to_region, forms.ChoiceField):
            return  # the change page shows a transfer read-only
        counties = Region.objects.filter(level=RegionLevel.COUNTY).order_by("code")
        to_region.choices = [("", "---------"), *((c.code, str(c)) for c in counties)]

    def clean_to_region(self) -> Region:
        region = Region.objects.filter(
            code=self.cleaned_data["to_region"], level=RegionLevel.COUNTY
        ).first()
        if region is None:
            raise ValidationError(_("Choose a county."))
        return region


@admin.register(Transfer)
class TransferAdmin(ScopedAdmin):
    """Transfers are started here (add) and accepted or cancelled by the list's actions; a
    transfer itself is never edited, so both counties' history shows what happened."""

    form = TransferForm
    list_display = (
        "worker", "from_region", "to_region", "status", "started_on", "accepted_on",
    )  # fmt: skip
    list_filter = (RegionFilter, "status")
    search_fields = ("^worker__name", "^worker__id_number")
    list_select_related = ("worker", "from_region", "to_region")
    autocomplete_fields = ("worker",)
    actions = ("accept_transfers", "cancel_transfers")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A transfer is the record both counties keep of a move; a mistaken one is cancelled.
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ()
        return (
            "worker", "from_region", "to_region", "status", "started_on", "started_by",
            "accepted_on", "accepted_by", "note",
        )  # fmt: skip

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return TransferForm.Meta.fields
        return self.get_readonly_fields(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The admin goes on with `obj` (its log entry, its redirect): it becomes the saved one.
        obj.__dict__.update(
            transfer_start(
                worker=obj.worker,
                to_region=obj.to_region,
                on=obj.started_on,
                note=obj.note,
                user=request.user,
            ).__dict__
        )

    def _run(self, request: HttpRequest, queryset: Any, service: Any, done: Any) -> None:
        for transfer in queryset.select_related("worker", "to_region"):
            try:
                service(transfer=transfer, user=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{transfer.worker.name}: {' '.join(error.messages)}", messages.ERROR
                )
            except PermissionDenied as error:
                self.message_user(request, f"{transfer.worker.name}: {error}", messages.ERROR)
            else:
                self.message_user(request, done % {"worker": transfer.worker.name})

    @step_action(Step.TRANSFER_ACCEPT)
    @admin.action(description=_("Accept the selected transfers (receiving county)"))
    def accept_transfers(self, request: HttpRequest, queryset: Any) -> None:
        self._run(request, queryset, transfer_accept, _("%(worker)s: transfer accepted."))

    @step_action(Step.TRANSFER_CANCEL)
    @admin.action(description=_("Cancel the selected transfers (sending county)"))
    def cancel_transfers(self, request: HttpRequest, queryset: Any) -> None:
        self._run(request, queryset, transfer_cancel, _("%(worker)s: transfer cancelled."))


def merge_workers_view(
    model_admin: WorkerAdmin, request: HttpRequest, queryset: Any
) -> TemplateResponse | None:
    """Asks which record to keep (the one with the correct ID number), then merges."""
    workers = list(queryset.order_by("pk")[:3])
    if len(workers) != 2:
        model_admin.message_user(request, _("Select exactly two records to merge."), messages.ERROR)
        return None
    keep_pk = request.POST.get("keep")
    if "apply" in request.POST and keep_pk in {str(w.pk) for w in workers}:
        keep = next(w for w in workers if str(w.pk) == keep_pk)
        duplicate = next(w for w in workers if str(w.pk) != keep_pk)
        try:
            worker_merge(keep=keep, duplicate=duplicate, user=request.user)
        except ValidationError as error:
            model_admin.message_user(request, " ".join(error.messages), messages.ERROR)
        except PermissionDenied as error:
            model_admin.message_user(request, str(error), messages.ERROR)
        else:
            model_admin.message_user(
                request, _("Merged into %(worker)s.") % {"worker": keep}, messages.SUCCESS
            )
        return None
    return TemplateResponse(
        request,
        "admin/workforce/worker/merge.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": _("Merge two records of the same person"),
            "workers": workers,
            "opts": model_admin.model._meta,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        },
    )
