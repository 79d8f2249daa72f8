from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from adminsite.mixins import (
    ReferenceAdmin,
    RegionFilter,
    ScopedAdmin,
    ScopedTabularInline,
    hidden_personal_fields,
    step_action,
    year_filter,
)
from base.steps import Step, step_allowed, step_check, step_data, step_require
from welfare.models import (
    CASE_WORKFLOW,
    SOLAR_STAGE_DATES,
    AssistanceGrant,
    BenefitRule,
    BenefitTaken,
    CareOccasion,
    CarePairing,
    CareVisit,
    CaseEvent,
    CaseStatus,
    CounsellingAssessment,
    CounsellingBooking,
    CounsellingLecture,
    Dispatch,
    DispatchStatus,
    HardshipCase,
    HardshipLevel,
    RecuperationTrip,
    ServiceStation,
    SolarIncome,
    SolarProject,
)
from welfare.selectors import cases_due_for_review
from welfare.services import (
    benefit_rule_save,
    care_visit_link_case,
    dispatch_confirm,
    dispatch_receive,
    dispatch_reject,
    hardship_case_check_entry,
    hardship_case_check_step,
    hardship_case_mark_aided,
    hardship_case_record,
    hardship_case_review,
    hardship_case_transition,
    may_keep_benefit_rules,
    solar_project_advance,
    solar_project_apply,
)


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
    """A new case: reported by a town union, or an old paper file entered in the status it has
    reached (the user must be allowed the step that leads there)."""

    user: Any = None  # the requesting user, set by HardshipCaseAdmin.get_form

    class Meta:
        model = HardshipCase
        fields = (
            "worker", "level", "causes", "family_size", "monthly_income_per_head", "source",
            "status", "filed_on", "closed_on", "rejected_on", "reason", "verification_note",
        )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        status = cleaned.get("status")
        if not status:
            return cleaned
        try:
            hardship_case_check_entry(user=self.user, previous_status=None, data=cleaned)
        except PermissionDenied as error:
            self.add_error("status", str(error))
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


REVIEW = "review"


class HardshipCaseStepForm(forms.ModelForm[HardshipCase]):
    """An existing case: its status moves only by a step of the lifecycle, with that step's data,
    so the services write the timeline."""

    user: Any = None

    next_step = forms.ChoiceField(label=_("next step"), required=False)
    step_on = forms.DateField(
        label=_("step date"),
        required=False,
        widget=AdminDateWidget,
        help_text=_("The filing, closing, rejection or review date; today when left empty."),
    )
    step_note = forms.CharField(
        label=_("step note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Verifying needs the verification note; closing or rejecting needs the reason."
        ),
    )

    class Meta:
        model = HardshipCase
        fields = ("worker", "level", "causes", "family_size", "monthly_income_per_head", "source")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.status
        choices: list[tuple[str, Any]] = [("", "---------")]
        following = CASE_WORKFLOW.steps_from(current)
        choices += [
            (rule.into, CaseStatus(rule.into).label)
            for rule in following
            # Aid is recorded by granting it, which moves the case by itself.
            if rule.into is not None and rule.into != current and rule.step != Step.CASE_AID
        ]
        if any(rule.step == Step.CASE_REVIEW for rule in following):
            choices.append((REVIEW, _("annual review")))
        next_step = self.fields["next_step"]
        assert isinstance(next_step, forms.ChoiceField)
        next_step.choices = choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        step = cleaned.get("next_step")
        on = cleaned.get("step_on") or timezone.localdate()
        note = cleaned.get("step_note") or ""
        try:
            if step == REVIEW:
                step_check(
                    step=Step.CASE_REVIEW,
                    user=self.user,
                    record=self.instance,
                    data=step_data(Step.CASE_REVIEW, on=on),
                )
            elif step:
                reason = note if step in (CaseStatus.CLOSED, CaseStatus.REJECTED) else ""
                hardship_case_check_step(
                    case=self.instance,
                    to_status=step,
                    user=self.user,
                    on=on,
                    reason=reason,
                    note=note,
                )
        except PermissionDenied as error:
            self.add_error("next_step", str(error))
        except ValidationError as error:
            self.add_error("step_note" if step else None, error.messages)
        return cleaned


class AssistanceGrantInline(ScopedTabularInline):
    model = AssistanceGrant
    fields = ("kind", "amount", "granted_on", "fund_source")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_add_permission(request, obj) and step_allowed(
            request.user, Step.CASE_AID
        )


class DueForReviewFilter(admin.SimpleListFilter):
    title = _("annual review")
    parameter_name = "review_due"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("due for review"))]

    def queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> Any:
        if self.value() != "yes":
            return queryset
        due = cases_due_for_review(user=request.user, today=timezone.localdate())
        return queryset.filter(pk__in=due.values("pk"))


@admin.register(HardshipCase)
class HardshipCaseAdmin(ScopedAdmin):
    form = HardshipCaseForm
    list_display = (
        "worker", "level", "status", "source", "filed_on", "last_reviewed_on", "closed_on",
        "family_size",
    )  # fmt: skip
    list_filter = (
        RegionFilter,
        "status",
        "level",
        "source",
        DueForReviewFilter,
        year_filter("filed_on", _("filed on"), is_date=True),
    )
    search_fields = ("^worker__name", "^worker__id_number")
    list_select_related = ("worker",)
    autocomplete_fields = ("worker",)
    inlines = (AssistanceGrantInline,)
    actions = ("record_review",)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        kwargs["form"] = HardshipCaseForm if obj is None else HardshipCaseStepForm
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return HardshipCaseForm.Meta.fields
        return (
            *HardshipCaseStepForm.Meta.fields, "status", "filed_on", "last_reviewed_on",
            "closed_on", "rejected_on", "reason", "verification_note", "next_step", "step_on",
            "step_note", "timeline",
        )  # fmt: skip

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly += [
                "status", "filed_on", "last_reviewed_on", "closed_on", "rejected_on", "reason",
                "verification_note", "timeline",
            ]  # fmt: skip
        return readonly

    @admin.display(description=_("timeline"))
    def timeline(self, obj: HardshipCase) -> str:
        # In the order things happened (a grant entered late still takes its place).
        events = obj.events.select_related("user").order_by("on", "at", "pk")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    event.on,
                    event.get_kind_display(),
                    event.get_from_status_display() if event.from_status else "—",
                    event.get_to_status_display(),
                    event.user or "—",
                    event.note,
                )
                for event in events
            ),
        )
        return format_html(
            '<table class="case-timeline"><thead><tr><th>{}</th><th>{}</th><th>{}</th>'
            "<th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("date"),
            _("event"),
            _("from status"),
            _("to status"),
            _("by"),
            _("note"),
            rows,
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            hardship_case_record(case=obj, user=request.user)
            return
        super().save_model(request, obj, form, change)
        step = form.cleaned_data.get("next_step")
        on = form.cleaned_data.get("step_on")
        note = form.cleaned_data.get("step_note") or ""
        if step == REVIEW:
            hardship_case_review(case=obj, user=request.user, on=on, note=note)
        elif step:
            closing = step in (CaseStatus.CLOSED, CaseStatus.REJECTED)
            hardship_case_transition(
                case=obj,
                to_status=step,
                user=request.user,
                on=on,
                reason=note if closing else "",
                note="" if closing else note,
            )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if form.instance.grants.exists():
            hardship_case_mark_aided(case=form.instance, user=request.user)

    @step_action(Step.CASE_REVIEW)
    @admin.action(description=_("Record the annual review of the selected cases"))
    def record_review(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        reviewed, refused = 0, []
        for case in queryset.select_related("worker"):
            try:
                hardship_case_review(case=case, user=request.user)
                reviewed += 1
            except ValidationError as error:
                refused.append(f"{case.worker.name}: {' '.join(error.messages)}")
            except PermissionDenied as error:
                refused.append(f"{case.worker.name}: {error}")
        if reviewed:
            self.message_user(
                request, _("%(count)d cases reviewed.") % {"count": reviewed}, messages.SUCCESS
            )
        for line in refused:
            self.message_user(request, line, messages.ERROR)


@admin.register(AssistanceGrant)
class AssistanceGrantAdmin(ScopedAdmin):
    list_display = ("case", "kind", "amount", "granted_on", "fund_source")
    list_filter = (RegionFilter, "kind", year_filter("granted_on", _("granted on"), is_date=True))
    search_fields = ("^case__worker__name", "^case__worker__id_number")
    list_select_related = ("case__worker",)
    autocomplete_fields = ("case",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and step_allowed(request.user, Step.CASE_AID)

    def save_model(
        self, request: HttpRequest, obj: AssistanceGrant, form: Any, change: bool
    ) -> None:
        step_require(user=request.user, step=Step.CASE_AID, record=obj.case)
        super().save_model(request, obj, form, change)
        hardship_case_mark_aided(case=obj.case, user=request.user)


@admin.register(CaseEvent)
class CaseEventAdmin(ScopedAdmin):
    """The timelines of all cases, read-only: events are written by the services."""

    list_display = ("case", "kind", "from_status", "to_status", "on", "user", "at")
    list_filter = (RegionFilter, "kind", "to_status")
    search_fields = ("^case__worker__name", "^case__worker__id_number")
    list_select_related = ("case__worker", "user")


class DispatchAnswer(models.TextChoices):
    CONFIRM = "confirm", _("confirmed: open a case")
    REJECT = "reject", _("not eligible")


class DispatchAddForm(forms.ModelForm[Dispatch]):
    class Meta:
        model = Dispatch
        fields = ("name", "id_number", "region", "reference", "causes", "received_on", "due_on")


class DispatchAnswerForm(forms.ModelForm[Dispatch]):
    """The town's answer to a dispatch, taken by the services."""

    user: Any = None

    answer = forms.ChoiceField(
        label=_("answer"), required=False, choices=[("", "---------"), *DispatchAnswer.choices]
    )
    answer_on = forms.DateField(
        label=_("answered on"), required=False, widget=AdminDateWidget,
        help_text=_("Today when left empty."),
    )  # fmt: skip
    case_level = forms.ChoiceField(
        label=_("hardship level"),
        required=False,
        choices=[("", "---------"), *HardshipLevel.choices],
        help_text=_("For a confirmed person: the level of the case it opens."),
    )
    feedback = forms.CharField(
        label=_("feedback"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the person is not eligible, or what the town found."),
    )

    class Meta:
        model = Dispatch
        fields = ("region", "reference", "causes", "due_on")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        answer = cleaned.get("answer")
        if not answer:
            return cleaned
        step = Step.DISPATCH_CONFIRM if answer == DispatchAnswer.CONFIRM else Step.DISPATCH_REJECT
        on = cleaned.get("answer_on") or timezone.localdate()
        data = step_data(step, on=on, reason=cleaned.get("feedback") or "")
        try:
            step_check(step=step, user=self.user, record=self.instance, data=data)
        except PermissionDenied as error:
            self.add_error("answer", str(error))
        except ValidationError as error:
            # The step's fields under the form's names for them.
            on_form = {"reason": "feedback", "answered_on": "answer_on"}
            for field, messages_ in error.message_dict.items():
                self.add_error(on_form.get(field, "answer"), messages_)
        if answer == DispatchAnswer.CONFIRM and not cleaned.get("case_level"):
            self.add_error("case_level", _("Choose the hardship level of the case to open."))
        return cleaned


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("past due, not answered"))]

    def queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> Any:
        if self.value() != "yes":
            return queryset
        return queryset.filter(status=DispatchStatus.RECEIVED, due_on__lt=timezone.localdate())


@admin.register(Dispatch)
class DispatchAdmin(ScopedAdmin):
    list_display = (
        "name", "id_number", "region", "received_on", "due_on", "status", "answered_on", "case",
    )  # fmt: skip
    list_filter = (
        RegionFilter,
        "status",
        OverdueFilter,
        year_filter("received_on", _("received on"), is_date=True),
    )
    search_fields = ("^name", "=id_number", "=reference")
    list_select_related = ("region", "case__worker")
    autocomplete_fields = ("region",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and step_allowed(
            request.user, Step.DISPATCH_RECEIVE
        )

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        kwargs["form"] = DispatchAddForm if obj is None else DispatchAnswerForm
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return DispatchAddForm.Meta.fields
        # The ID number is never edited after receipt: read-only, masked for those who see masks.
        return (
            "name", self._id_number_field(request), "worker", *DispatchAnswerForm.Meta.fields, "received_on",
            "status", "answered_on", "reason", "case", "answer", "answer_on", "case_level",
            "feedback",
        )  # fmt: skip

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly += [
                "name", self._id_number_field(request), "worker", "received_on", "status",
                "answered_on", "reason", "case",
            ]  # fmt: skip
        return readonly

    def _id_number_field(self, request: HttpRequest) -> str:
        return (
            "masked_id_number"
            if "id_number" in hidden_personal_fields(request, Dispatch)
            else "id_number"
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            # The admin goes on with `obj` (its log entry, its redirect): it becomes the saved one.
            obj.__dict__.update(
                dispatch_receive(
                    name=obj.name,
                    id_number=obj.id_number,
                    region=obj.region,
                    received_on=obj.received_on,
                    due_on=obj.due_on,
                    causes=obj.causes,
                    reference=obj.reference,
                    user=request.user,
                ).__dict__
            )
            return
        super().save_model(request, obj, form, change)
        answer = form.cleaned_data.get("answer")
        on = form.cleaned_data.get("answer_on")
        feedback = form.cleaned_data.get("feedback") or ""
        if answer == DispatchAnswer.CONFIRM:
            dispatch_confirm(
                dispatch=obj,
                user=request.user,
                level=form.cleaned_data["case_level"],
                on=on,
                note=feedback,
            )
        elif answer == DispatchAnswer.REJECT:
            dispatch_reject(dispatch=obj, user=request.user, reason=feedback, on=on)


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


class SolarIncomeInline(ScopedTabularInline):
    model = SolarIncome
    fields = ("year", "income")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_add_permission(request, obj) and step_allowed(
            request.user, Step.SOLAR_INCOME
        )


@admin.register(SolarProject)
class SolarProjectAdmin(ScopedAdmin):
    list_display = (
        "worker", "stage", "applied_on", "surveyed_on", "agreed_on", "installed_on",
        "connected_on", "documents_missing",
    )  # fmt: skip
    list_filter = (RegionFilter, "stage", year_filter("applied_on", _("applied on"), is_date=True))
    search_fields = ("^worker__name", "^worker__id_number")
    list_select_related = ("worker",)
    autocomplete_fields = ("worker", "case")
    inlines = (SolarIncomeInline,)
    actions = ("advance_stage",)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("worker", "case", "applied_on", "documents", "capacity_kw", "note")
        return (
            "worker", "case", "stage", "applied_on", "surveyed_on", "agreed_on", "installed_on",
            "connected_on", "documents", "capacity_kw", "note",
        )  # fmt: skip

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # Stages move only by the "advance" action, which dates them.
            readonly += ["worker", "stage", *SOLAR_STAGE_DATES.values()]
        return readonly

    @admin.display(description=_("documents missing"))
    def documents_missing(self, obj: SolarProject) -> str:
        return "、".join(str(label) for label in obj.missing_documents) or "—"

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        obj.__dict__.update(
            solar_project_apply(
                worker=obj.worker,
                case=obj.case,
                applied_on=obj.applied_on,
                documents=obj.documents,
                note=obj.note,
                user=request.user,
            ).__dict__
        )

    @step_action(Step.SOLAR_SURVEY, Step.SOLAR_AGREE, Step.SOLAR_INSTALL, Step.SOLAR_CONNECT)
    @admin.action(description=_("Advance the selected projects to their next stage (dated today)"))
    def advance_stage(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for project in queryset.select_related("worker"):
            try:
                solar_project_advance(project=project, user=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{project.worker.name}: {' '.join(error.messages)}", messages.ERROR
                )
            except PermissionDenied as error:
                self.message_user(request, f"{project.worker.name}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(worker)s: now “%(stage)s”.")
                    % {"worker": project.worker.name, "stage": project.get_stage_display()},
                    messages.SUCCESS,
                )


@admin.register(SolarIncome)
class SolarIncomeAdmin(ScopedAdmin):
    list_display = ("project", "year", "income")
    list_filter = (RegionFilter, year_filter("year", _("year"), is_date=False))
    search_fields = ("^project__worker__name",)
    list_select_related = ("project__worker",)
    autocomplete_fields = ("project",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and step_allowed(request.user, Step.SOLAR_INCOME)


@admin.register(BenefitRule)
class BenefitRuleAdmin(ReferenceAdmin):
    """The 礼遇工匠 rules: every role reads them; only the province's administrators keep
    them (welfare.services.may_keep_benefit_rules)."""

    list_display = (
        "name", "benefit", "every_years", "title_kind", "min_level", "since_year", "active",
    )  # fmt: skip
    list_filter = ("benefit", "active", "title_kind", "min_level")
    search_fields = ("name",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and may_keep_benefit_rules(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and may_keep_benefit_rules(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and may_keep_benefit_rules(request.user)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        benefit_rule_save(rule=obj, user=request.user)


@admin.register(BenefitTaken)
class BenefitTakenAdmin(ScopedAdmin):
    list_display = ("worker", "kind", "taken_on", "place", "cost", "trip")
    list_filter = (
        RegionFilter,
        "kind",
        year_filter("taken_on", _("taken on"), is_date=True),
    )
    search_fields = ("^worker__name", "^worker__id_number", "^place")
    list_select_related = ("worker", "trip")
    autocomplete_fields = ("worker", "trip")
    fields = ("worker", "kind", "taken_on", "place", "cost", "trip", "note")


@admin.register(CareOccasion)
class CareOccasionAdmin(ScopedAdmin):
    """六必访: the occasions recorded for workers; each calls for a visit until one answers it
    (the to-do page lists those waiting). Restricted like the hardship files."""

    list_display = ("worker", "kind", "happened_on", "source", "reported_by", "visited")
    list_filter = (
        RegionFilter,
        "kind",
        "source",
        year_filter("happened_on", _("happened on"), is_date=True),
    )
    search_fields = ("^worker__name", "^worker__id_number")
    list_select_related = ("worker",)
    autocomplete_fields = ("worker",)
    fields = ("worker", "kind", "happened_on", "source", "reported_by", "note")

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        # One EXISTS per listed row, no join over all the visits.
        queryset: models.QuerySet[Any] = super().get_queryset(request)
        answered = CareVisit.objects.filter(occasion=models.OuterRef("pk"))
        annotated: models.QuerySet[Any] = queryset.annotate(is_visited=models.Exists(answered))
        return annotated

    @admin.display(description=_("visited"), boolean=True)
    def visited(self, obj: Any) -> bool:
        return bool(getattr(obj, "is_visited", False))


@admin.register(CareVisit)
class CareVisitAdmin(ScopedAdmin):
    """六必访: the visits made, with the aid given, linked to the occasion they answer and to
    the worker's hardship case. Restricted like the hardship files."""

    list_display = ("worker", "kind", "visited_on", "visitors", "aid", "occasion", "case")
    list_filter = (
        RegionFilter,
        "kind",
        year_filter("visited_on", _("visited on"), is_date=True),
    )
    search_fields = ("^worker__name", "^worker__id_number", "visitors")
    list_select_related = ("worker", "occasion__worker", "case__worker")
    autocomplete_fields = ("worker", "occasion", "case")
    fields = ("worker", "kind", "visited_on", "visitors", "aid", "occasion", "case", "note")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # Linked to the worker's open hardship case where the form names none.
        care_visit_link_case(visit=obj)
        super().save_model(request, obj, form, change)


# --- 台工心港 ---------------------------------------------------------------------------------


@admin.register(CounsellingAssessment)
class CounsellingAssessmentAdmin(ScopedAdmin):
    list_display = ("region", "year", "month", "scale", "taken", "referred")
    list_filter = (RegionFilter, "scale", year_filter("year", _("year"), is_date=False))
    search_fields = ("^region__name",)
    list_select_related = ("region",)
    autocomplete_fields = ("region",)
    fields = ("region", "year", "month", "scale", "taken", "referred")


@admin.register(CounsellingBooking)
class CounsellingBookingAdmin(ScopedAdmin):
    # Opened by the counsellor role alone (base/roles.py): nothing here says why anyone booked.
    list_display = ("booked_for", "name", "phone", "id_number", "region", "status", "counsellor")
    list_filter = (
        RegionFilter,
        "status",
        year_filter("booked_for", _("consultation date"), is_date=True),
    )
    search_fields = ("^name", "=phone", "=id_number", "^counsellor")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)
    fields = ("region", "name", "phone", "id_number", "booked_for", "status", "counsellor")


@admin.register(CounsellingLecture)
class CounsellingLectureAdmin(ScopedAdmin):
    list_display = ("held_on", "topic", "kind", "region", "host", "audience")
    list_filter = (RegionFilter, "kind", year_filter("held_on", _("date held"), is_date=True))
    search_fields = ("^topic", "^host")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)
    fields = ("region", "held_on", "topic", "kind", "host", "audience")
