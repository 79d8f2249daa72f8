"""The admin's side of the cross-cutting rules: region scope, personal-data masking, history,
delete protection and list pages that stay fast at a million rows. Every ModelAdmin of a domain
record derives from `ScopedAdmin`; reference tables from `ReferenceAdmin`."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.utils import NestedObjects, flatten_fieldsets, unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db import models, router
from django.db.models import Q
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from audit.models import AccessKind
from audit.services import access_log_display, access_log_record
from base import concurrency, history, identity, scope, services
from base.identity import PERSONAL_DATA_FIELDS, masked_fields
from base.models import Region
from base.querystring import query_year
from base.steps import Step, Workflow, entry_states, step_allowed, workflow_of_model
from sheets.admin_views import SheetAdminMixin


def boolean_icon(value: bool | None) -> str:
    """Django's yes/no icon, with its alternative text in words ("是", not "True"): screen
    readers read it, and the stock one is English whatever the language."""
    name = {True: "yes", False: "no", None: "unknown"}[value]
    spoken = {True: _("Yes"), False: _("No"), None: _("Unknown")}[value]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{name}.svg"), spoken)


# Every admin page draws booleans through this one function (lists, read-only fields).
setattr(admin_list, "_boolean_icon", boolean_icon)  # noqa: B010 (a private name mypy cannot see)

# A form field of foreign-key choices (single or multiple), or None where the admin offers none.
ChoiceFieldT = TypeVar("ChoiceFieldT", bound=ModelChoiceField[Any] | None)


class CappedCountPaginator(Paginator[Any]):
    """Counts at most CAP rows: a province list of a million workers must not run COUNT(*) over
    the whole table on every page. Past the cap the list says "more than 10,000"."""

    CAP = 10_000

    @cached_property
    def count(self) -> int:
        # Unordered: which 10,001 rows are counted does not change the answer, and an order
        # would make PostgreSQL sort the whole scope first.
        queryset: Any = self.object_list
        return int(queryset.order_by()[: self.CAP + 1].count())

    def page(self, number: Any) -> Any:
        """A page of a list marked by `newest_first_in_region`: each region's newest rows from
        its own (region, id) index, merged (see there)."""
        codes: list[str] | None = getattr(self.object_list, NEWEST_PER_REGION, None)
        if codes is None:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        queryset: Any = self.object_list
        newest: list[int] = []
        for code in codes:
            region_rows = queryset.filter(region_id=code).order_by("-pk")
            newest.extend(region_rows.values_list("pk", flat=True)[:top])
        chosen = sorted(newest, reverse=True)[bottom:top]
        return Page(list(queryset.filter(pk__in=chosen)), number, self)

    @property
    def capped(self) -> bool:
        return self.count > self.CAP


def hidden_personal_fields(request: HttpRequest, model: type[models.Model]) -> dict[str, Any]:
    """The personal-data fields of `model` the user may only see masked, with their masks."""
    return masked_fields(request.user, model)


def masked_column(model: type[models.Model], name: str, mask: Callable[[Any], str]) -> Any:
    @admin.display(description=capfirst(getattr(model._meta.get_field(name), "verbose_name", name)))
    def column(obj: models.Model) -> str:
        return mask(getattr(obj, name))

    column.__name__ = f"masked_{name}"
    return column


class MaskedHistoryHelper(HistoricalRecordContextHelper):
    """Shows personal-data changes on the history page masked, like everywhere else."""

    def __init__(self, model: Any, record: Any, *, hidden: dict[str, Any]) -> None:
        super().__init__(model, record)
        self.hidden = hidden

    def prepare_delta_change_value(self, change: Any, value: Any) -> Any:
        if change.field in self.hidden:
            return self.hidden[change.field](value)
        prepared = super().prepare_delta_change_value(change, value)
        label = value_label(self.model._meta.get_field(change.field), prepared)
        if isinstance(label, list):
            return "、".join(str(item) for item in label) or "—"
        return label


def value_label(field: Any, value: Any) -> Any:
    """A stored value as the user reads it elsewhere: a choice by its label (「网约车司机」, not
    `ride_hailing`), a checklist by its items' labels, yes/no, a date in Chinese, a deleted
    related record named as such, and an empty value as a dash."""
    if isinstance(value, list):
        return [value_label(field, item) for item in value]
    if isinstance(value, DeletedObject):
        return _("(a deleted %(thing)s)") % {"thing": value.model._meta.verbose_name}
    if value is None or value == "":
        return "—"
    item_choices = dict(getattr(field, "item_choices", ()))
    if item_choices and isinstance(value, str):
        return item_choices.get(value, value)
    choices = dict(getattr(field, "flatchoices", ()) or ())
    if choices:
        return str(choices.get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return formats.localize(timezone.localtime(value))
    if isinstance(value, datetime.date):
        return formats.localize(value)
    return value


class RegionFilter(admin.SimpleListFilter):
    """Drill down the user's scope: the children of the chosen region (or of the scope root)."""

    title = gettext_lazy("region")
    parameter_name = "region"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        root = scope.scope_region(request.user)
        if root is None:
            return []
        base = self.chosen(request) or root
        children = [(child.code, f"\u3000{child}") for child in base.children.order_by("code")]
        return [(base.code, str(base)), *children]

    def has_output(self) -> bool:
        # Django drops a filter without choices, and with it the filtering of a chosen value.
        return True

    def chosen(self, request: HttpRequest) -> Region | None:
        """The chosen region, if the user may see it (asked once per list: its choices, its
        filtering and the list's order all need it)."""
        code = self.value()
        if not code:
            return None
        if getattr(self, "_chosen_code", None) != code:
            self._chosen_code = code
            self._chosen_region = scope.visible_regions(request.user).filter(code=code).first()
        return self._chosen_region

    def queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> Any:
        if not self.value():
            return queryset
        chosen = self.chosen(request)
        if chosen is None:
            return queryset.none()
        return queryset.filter(**{f"{scope.scope_path(queryset.model)}__startswith": chosen.prefix})


def year_filter(field: str, title: str | Any, *, is_date: bool) -> type[admin.SimpleListFilter]:
    """A filter by calendar year over the last ten years (no DISTINCT over a huge table)."""

    class YearFilter(admin.SimpleListFilter):
        parameter_name = f"{field}_year"

        def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
            this_year = timezone.localdate().year
            return [(str(year), str(year)) for year in range(this_year, this_year - 10, -1)]

        def queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> Any:
            year = query_year(self.value())
            if year is None:
                # No year, or one no record can have ("²", twenty digits): the whole list.
                return queryset
            lookup = f"{field}__year" if is_date else field
            return queryset.filter(**{lookup: year})

    YearFilter.title = title
    YearFilter.__name__ = f"{field.title().replace('_', '')}YearFilter"
    return YearFilter


LISTED_KEYS = 500


def search_condition(
    model: type[models.Model], spec: str, term: str, lookup: str | None = None
) -> Q:
    """One search field against one term, index-friendly at scale.

    "^name" is a prefix match (LIKE 'x%', served by a varchar_pattern_ops index), "=code" an
    exact match, a bare name a substring match (only for small tables). A path through a foreign
    key becomes `fk IN (SELECT id ... WHERE ...)`, so PostgreSQL can OR indexes instead of joining.
    """
    lookup = lookup or {"^": "startswith", "=": "exact"}.get(spec[0], "icontains")
    path = spec.lstrip("^=")
    first, _sep, rest = path.partition("__")
    field = model._meta.get_field(first)
    if (
        rest
        and isinstance(field.related_model, type)
        and issubclass(field.related_model, models.Model)
    ):
        related = field.related_model._default_manager.filter(
            _tail_or(field.related_model, rest, lookup, term)
        )
        # The few matching records (employers named 「温州建设…」) go into the query as a list:
        # the planner then ORs the foreign key's index with the other fields' instead of
        # testing a subquery on every row of the table (5,000,000 workers scanned to count a
        # name search's 770 matches). Many matches keep the subquery.
        keys = list(related.values_list("pk", flat=True)[: LISTED_KEYS + 1])
        if len(keys) <= LISTED_KEYS:
            return Q(**{f"{first}__in": keys})
        return Q(**{f"{first}__in": related.values("pk")})
    return _tail_or(model, path, lookup, term)


def _tail_or(model: type[models.Model], path: str, lookup: str, term: str) -> Q:
    """`path__lookup=term`; a search by the last four characters asks the model's indexed
    column of them instead (Worker.tail_columns): LIKE '%1234' reads every row."""
    tails: dict[str, str] = getattr(model, "tail_columns", {})
    if lookup == "endswith" and path in tails and len(term) == identity.VISIBLE_TAIL:
        return Q(**{tails[path]: identity.visible_tail(term)})
    return Q(**{f"{path}__{lookup}": term})


class HistoryAdmin(SimpleHistoryAdmin):
    """History pages with personal data masked; the revert form only for full-data users."""

    def get_historical_record_context_helper(self, request: HttpRequest, record: Any) -> Any:
        return MaskedHistoryHelper(
            self.model, record, hidden=hidden_personal_fields(request, self.model)
        )

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # simple-history falls back to the last historical copy of an object the queryset does
        # not return; an out-of-scope or deleted record must simply not be found.
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404
        response: HttpResponse = super().history_view(request, object_id, extra_context)
        _log_display(request, self.model, AccessKind.HISTORY, response, object_id=object_id)
        return response

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404
        if hidden_personal_fields(request, self.model):
            # The revert form shows every old value in full.
            raise PermissionDenied
        response: HttpResponse = super().history_form_view(
            request, object_id, version_id, extra_context
        )
        _log_display(request, self.model, AccessKind.HISTORY, response, object_id=object_id)
        return response


def step_action(*steps: Step) -> Callable[[Any], Any]:
    """Marks an admin action as taking one of these steps of base/steps.py: the list offers it
    only to users whose role and region may take one of them."""

    def mark(function: Any) -> Any:
        function.steps = steps
        return function

    return mark


class ActionsAdminMixin(admin.ModelAdmin[Any]):
    """A list offers an action only to those who may use it: a step action to those the step
    table allows; any other action without its own permissions (Django's `permissions=`) is a
    write, for those who may change the records. A viewer is offered none."""

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions: dict[str, Any] = super().get_actions(request)
        return {
            name: action
            for name, action in actions.items()
            if action is not None and self.may_run_action(request, action[0])
        }

    def may_run_action(self, request: HttpRequest, function: Any) -> bool:
        steps = getattr(function, "steps", None)
        if steps:
            return any(step_allowed(request.user, step) for step in steps)
        if getattr(function, "allowed_permissions", None):
            return True  # Django has already asked
        return self.has_change_permission(request)


class ScopedAdminMixin(admin.ModelAdmin[Any]):
    """Lists, object pages, foreign-key choices, saves and deletes limited to the user's region
    scope. An object outside the scope is treated as if it did not exist (404)."""

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return scope.filter_for_user(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return _scope_choices(field, db_field, request)

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField[Any] | None:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return _scope_choices(field, db_field, request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The form's choices already exclude other regions; this guards any path around them.
        if not scope.object_in_scope(request.user, obj):
            raise PermissionDenied(_("This record would fall outside your region."))
        super().save_model(request, obj, form, change)

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        # ?phone__startswith=138 would spell a hidden number out, one digit at a time.
        user = getattr(request, "user", None) or AnonymousUser()
        if not identity.lookup_allowed_for(user, self.model, lookup):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return unique_in_scope_form(form, request.user)

    def _get_obj_does_not_exist_redirect(
        self, request: HttpRequest, opts: Any, object_id: str
    ) -> HttpResponse:
        # Django redirects to the index with "does not exist"; an out-of-scope object must look
        # exactly like a missing one, and a plain 404 does that for change, delete and history.
        raise Http404


def unique_in_scope_form(form: type[forms.ModelForm[Any]], user: Any) -> type[forms.ModelForm[Any]]:
    """ "Worker with this ID number already exists" is true only of a record the user can see:
    for one of another region it would confirm what a 404 hides, so the form says what the
    import says (identity.UNAVAILABLE_IN_REGION)."""
    model = form._meta.model
    if not scope.is_scoped(model):
        return form

    class UniqueInScopeForm(form):  # type: ignore[valid-type,misc]
        def validate_unique(self) -> None:
            super().validate_unique()
            for name, errors in list(self.errors.as_data().items()):
                if not any(error.code == "unique" for error in errors):
                    continue
                value = getattr(self.instance, name, None)
                clashing = model._default_manager.filter(**{name: value})
                if self.instance.pk is not None:
                    clashing = clashing.exclude(pk=self.instance.pk)
                if scope.filter_for_user(clashing, user).exists():
                    continue
                self.errors[name] = self.error_class(
                    [str(error) for error in errors if error.code != "unique"]
                    + [str(identity.UNAVAILABLE_IN_REGION)]
                )

    return UniqueInScopeForm


def _scope_choices(field: ChoiceFieldT, db_field: Any, request: HttpRequest) -> ChoiceFieldT:
    if field is not None and field.queryset is not None:
        field.queryset = scope.referable(field.queryset, request.user)
    return field


# A list narrowed to one county or town (by the user's scope or the region filter) is read
# region by region from each one's (region, id) index when it has at most this many regions (a
# county and its towns), and sorted from the region index beyond that.
NARROW_PREFIX = 6
MERGED_REGIONS = 64
NEWEST_PER_REGION = "newest_per_region"


def newest_first_in_region(queryset: models.QuerySet[Any], prefix: str) -> models.QuerySet[Any]:
    """A county's list, newest first, read from the county's own rows.

    Ordered by the bare primary key, PostgreSQL walks the whole table's newest rows backwards
    until 50 of the county's turn up: records arrive county by county (each county imports its
    sheet), so for a county whose last import was a while ago that is every other county's
    newer rows — 297,000 certificates for 慈溪市 at a million workers, the whole province at
    scale. Instead the list is marked with the county's region codes (the county itself and
    its towns) and its paginator takes each region's newest rows from the (region, id) index,
    a short backward scan each, and keeps the newest 50 of those: a page costs the same
    whatever the size of the county or the province. A list of more regions than that sorts
    the scope's rows by an expression the primary-key index cannot serve (read from the region
    index, bounded by the scope's size). Lists of a city or the province keep the walk, which
    their share of the rows makes short; a column the user sorts by is kept as it is."""
    if (
        len(prefix) < NARROW_PREFIX
        or set(queryset.query.order_by) != {"-pk"}  # ChangeList repeats "-pk"
        or scope.scope_path(queryset.model) != "region__code"
    ):
        return queryset
    codes = list(Region.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    if len(codes) <= MERGED_REGIONS:
        setattr(queryset, NEWEST_PER_REGION, codes)  # read by CappedCountPaginator.page
        return queryset
    newest = models.ExpressionWrapper(models.F("pk") + 0, output_field=models.BigIntegerField())
    return queryset.order_by(newest.desc())


class ScopedChangeList(ChangeList):
    def get_queryset(self, request: HttpRequest, exclude_parameters: Any = None) -> Any:
        queryset = super().get_queryset(request, exclude_parameters)
        prefix = scope.scope_prefix(request.user) or ""
        for spec in self.filter_specs:
            # The region filter narrows the scope to a region inside it (it refuses others).
            if isinstance(spec, RegionFilter) and (region := spec.chosen(request)) is not None:
                prefix = region.prefix
        return newest_first_in_region(queryset, prefix)


class ScopedAdmin(SheetAdminMixin, ActionsAdminMixin, ScopedAdminMixin, HistoryAdmin):
    """The base of every domain record's admin."""

    paginator = CappedCountPaginator
    change_form_template = "admin/ledger/change_form.html"
    show_full_result_count = False  # a second COUNT(*) of the whole scope per search
    show_facets = admin.ShowFacets.NEVER  # one COUNT per filter choice: too dear at scale
    list_per_page = 50
    ordering = ("-pk",)

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return ScopedChangeList

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        shown = set(self.get_list_display(request)) & PERSONAL_DATA_FIELDS.keys()
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if shown and changelist is not None:
            _log_display(
                request, self.model, AccessKind.LIST, response, rows=len(changelist.result_list)
            )
        return response

    def get_changelist_instance(self, request: HttpRequest) -> Any:
        changelist = super().get_changelist_instance(request)
        if not self.search_help_text:
            changelist.search_help_text = search_hint(
                self.model, self.get_search_fields(request), request.user
            )
        return changelist

    def get_list_filter(self, request: HttpRequest) -> Any:
        from dashboards.admin_filters import IndicatorFilter, counted_on
        from reporting.admin_filters import SubmittedFigureFilter, figure_sources

        filters = list(super().get_list_filter(request))
        if counted_on(self.model):
            # The dashboards link here with ?indicator=KEY&indicator_year=Y.
            filters.append(IndicatorFilter)
        if self.model in figure_sources():
            # A submitted report links here with ?figure=ID: the records it froze.
            filters.append(SubmittedFigureFilter)
        return filters

    # --- personal data -------------------------------------------------------------------
    def get_list_display(self, request: HttpRequest) -> Any:
        display = list(super().get_list_display(request))
        for name, mask in hidden_personal_fields(request, self.model).items():
            if name in display:
                display[display.index(name)] = masked_column(self.model, name, mask)
        return display

    def _read_only_hidden(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        """Personal-data fields shown read-only — on a viewer's page, or derived fields such as
        the birth date on anyone's — which Django prints as stored: those get a masked stand-in."""
        if obj is None:
            return {}
        hidden = hidden_personal_fields(request, self.model)
        if not self.has_change_permission(request, obj):
            return hidden
        readonly = set(super().get_readonly_fields(request, obj))
        return {name: mask for name, mask in hidden.items() if name in readonly}

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets: list[tuple[Any, dict[str, Any]]] = [
            (title, {**options, "fields": [n for n in options["fields"] if n != REASON_FIELD]})
            for title, options in super().get_fieldsets(request, obj)
        ]
        if self._asks_reason(request, obj):
            # Last, where the clerk looks before saving.
            fieldsets.append((_("Reason for the change"), {"fields": [REASON_FIELD]}))
        hidden = self._read_only_hidden(request, obj)
        if not hidden:
            return fieldsets
        masked = []
        for title, options in fieldsets:
            names = [
                f"masked_{n}" if isinstance(n, str) and n in hidden else n
                for n in options["fields"]
            ]
            masked.append((title, {**options, "fields": list(dict.fromkeys(names))}))
        return masked

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly + [f"masked_{name}" for name in self._read_only_hidden(request, obj)]

    def __getattr__(self, name: str) -> Any:
        # masked_<field> as a read-only admin column, for any personal-data field.
        if name.startswith("masked_") and name[7:] in PERSONAL_DATA_FIELDS:
            field = name[7:]
            return masked_column(self.model, field, PERSONAL_DATA_FIELDS[field][1])
        raise AttributeError(name)

    def _asks_reason(self, request: HttpRequest, obj: Any) -> bool:
        return obj is not None and self.has_change_permission(request, obj)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if "fields" not in kwargs:
            # As Django would (simple-history's past-version page asks without fields).
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        if kwargs["fields"]:
            # Not a field of the model: the form below declares it.
            kwargs["fields"] = [name for name in kwargs["fields"] if name != REASON_FIELD]
        form = super().get_form(request, obj, change=change, **kwargs)
        hidden = hidden_personal_fields(request, self.model)
        if obj is not None and hidden:
            form = masked_input_form(form, hidden)
        if obj is not None and concurrency.is_versioned(self.model):
            form = versioned_form(form, request.user)
        if self._asks_reason(request, obj):
            form = reasoned_form(form, history.reason_required_fields(self.model))
        workflow = workflow_of_model(self.model._meta.label_lower)
        if obj is None and workflow is not None:
            form = entry_state_form(form, workflow, request.user)
        return form

    # --- writes through the services --------------------------------------------------------
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.record_save(
            record=obj,
            user=request.user,
            expected_version=getattr(form, "record_version", "") if change else "",
            reason=form.cleaned_data.get(REASON_FIELD, "") if change else "",
        )

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if object_id is not None:
                _log_display(request, self.model, AccessKind.RECORD, response, object_id=object_id)
            return response
        except concurrency.EditConflict as conflict:
            # Someone saved between the form's check and the locked save (a narrow window):
            # nothing was written; show what changed on the fresh record.
            self.message_user(request, " ".join(conflict.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.record_delete(record=obj, user=request.user)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return self.response_post_save_change(request, self.get_object(request, object_id))

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if not protected:
            return to_delete, model_count, perms_needed, protected
        # Name only the referring records the user may see; count the others together, so that
        # a hardship file (which a clerk may not read) looks like any other unseen record.
        user = request.user
        collector = NestedObjects(using=router.db_for_write(self.model))
        collector.collect(objs)
        shown, others = [], 0
        for obj in collector.protected:
            opts = obj._meta
            readable = user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
            if not readable or (
                scope.is_scoped(type(obj)) and not scope.object_in_scope(user, obj)
            ):
                others += 1
            else:
                shown.append(f"{capfirst(opts.verbose_name)}: {obj}")
        if others:
            shown.append(_("%(count)d records you may not see") % {"count": others})
        # "You may not delete: 困难职工档案" would name the type; the protected list refuses.
        readable_names = {
            str(m._meta.verbose_name)
            for m in {type(o) for o in collector.protected}
            if user.has_perm(f"{m._meta.app_label}.view_{m._meta.model_name}")
        }
        perms_needed = {name for name in perms_needed if str(name) in readable_names}
        return to_delete, model_count, perms_needed, shown

    # --- search that scales -----------------------------------------------------------------
    def get_search_results(
        self, request: HttpRequest, queryset: models.QuerySet[Any], search_term: str
    ) -> tuple[models.QuerySet[Any], bool]:
        fields = self.get_search_fields(request)
        terms = search_term.split()
        if not fields or not terms:
            return queryset, False
        whole_values = False
        for term in terms:
            specs = fields
            if _looks_like_code(term):
                # An ID number or code: match only code columns, so that PostgreSQL uses their
                # index instead of OR-ing name scans over a million rows.
                specs = [f for f in fields if _is_code(f)] or fields
                term = term.upper()
            elif not term.isascii():
                # A name in Chinese: no ID number, credit code or certificate number holds one.
                specs = [f for f in fields if not _is_code(f)] or fields
            condition = Q(pk__in=[])
            for spec in specs:
                path = spec.lstrip("^=")
                found = identity.personal_field_and_owner(self.model, path)
                lookup = None
                if found is not None:
                    personal, owner = found
                    # Identity decides: a masked user matches whole values or the last four.
                    default = {"^": "startswith", "=": "exact"}.get(spec[0], "icontains")
                    lookup = identity.search_lookup(request.user, personal, default, term, owner)
                    if lookup is None:
                        continue
                    whole_values |= identity.is_whole_value(
                        personal, term
                    ) and not identity.sees_in_full(request.user, personal, owner)
                condition |= search_condition(self.model, spec, term, lookup)
            queryset = queryset.filter(condition)
        if whole_values:
            # A masked user confirming a guessed whole number (the birth year is shown, the
            # month and day are not) leaves a trace for the admins, who read the access log.
            access_log_record(
                request=request,
                kind=AccessKind.SEARCH,
                model=self.model,
                rows=0,
                full_numbers=False,
            )
        return queryset, False


CODE_FIELDS = ("id_number", "credit_code", "number", "code")


def _is_code(spec: str) -> bool:
    """Whether a search field holds codes (ID numbers, credit codes, certificate numbers)."""
    return spec.lstrip("^=").endswith(CODE_FIELDS)


def search_hint(model: type[models.Model], specs: Any, user: Any) -> str:
    """What the search box of a list searches, in words: each search field by its name (with
    its record's name when it is another record's: 「企业名称」), how much of it to type, and
    for a masked number what a masked user may type (the whole number or the last four)."""
    labels, prefixes = [], False
    for spec in specs:
        path = spec.lstrip("^=")
        label = _field_path_label(model, path)
        found = identity.personal_field_and_owner(model, path)
        if found is not None and not identity.sees_in_full(user, *found):
            label += _("(the whole number or its last four characters)")
        elif spec.startswith("="):
            label += _("(the whole value)")
        elif spec.startswith("^"):
            prefixes = True
        labels.append(label)
    if not labels:
        return ""
    hint = _("Search by %(fields)s.") % {"fields": "、".join(dict.fromkeys(labels))}
    if prefixes:
        hint += _("Type the beginning: a name's first characters are enough.")
    return hint


def _field_path_label(model: type[models.Model], path: str) -> str:
    current: Any = model
    names: list[str] = []
    for part in path.split("__"):
        field = current._meta.get_field(part)
        if field.is_relation and field.related_model is not None:
            current = field.related_model
            names = [str(current._meta.verbose_name)]
            continue
        label = str(getattr(field, "verbose_name", part))
        # 「职工」+「姓名」 reads 职工姓名; 「企业」+「企业名称」 stays 企业名称.
        names = [n for n in names if n not in label] + [label]
    return "".join(names)


def _looks_like_code(term: str) -> bool:
    """ID numbers and credit codes are stored upper-case; users type a lowercase x."""
    return len(term) >= 6 and term[:6].isdigit()


def masked_input_form(
    form: type[forms.ModelForm[Any]], hidden: dict[str, Any]
) -> type[forms.ModelForm[Any]]:
    """Shows personal-data fields masked; submitting the mask unchanged keeps the stored value,
    typing a full new value replaces it (and is validated like any other input)."""

    class MaskedInputForm(form):  # type: ignore[valid-type,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            for name, mask in hidden.items():
                if name in self.fields:
                    self.initial[name] = mask(getattr(self.instance, name))
                    self.fields[name].help_text = _(
                        "Shown masked. Leave it as it is, or type the full new value to change it."
                    )

        def clean(self) -> dict[str, Any]:
            cleaned: dict[str, Any] = super().clean()
            for name in hidden:
                if name in cleaned and cleaned[name] == self.initial.get(name):
                    cleaned[name] = getattr(self.instance, name)
            return cleaned

    return MaskedInputForm


def entry_state_form(
    form: type[forms.ModelForm[Any]], workflow: Workflow, user: Any
) -> type[forms.ModelForm[Any]]:
    """A form for a new record offers only the states such a record may be created in
    (base.steps.entry_states); any other submitted state is not a valid choice."""
    name = workflow.state_field
    if name is None or name not in form.base_fields:
        return form

    class EntryStateForm(form):  # type: ignore[valid-type,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            field = self.fields[name]
            allowed = set(entry_states(workflow=workflow, user=user))
            assert isinstance(field, forms.ChoiceField)
            offered: Any = field.choices
            field.choices = [(v, label) for v, label in offered if v in allowed or v == ""]

    return EntryStateForm


REASON_FIELD = "change_reason"


def reasoned_form(
    form: type[forms.ModelForm[Any]], required: frozenset[str]
) -> type[forms.ModelForm[Any]]:
    """An edit form that asks why (修改原因, kept in the record's history); the rule of when it
    must be given is base.history's, asked here to show the error beside the field and asked
    again by the save."""

    class ReasonedForm(form):  # type: ignore[valid-type,misc]
        change_reason = forms.CharField(
            label=_("reason for the change"),
            required=False,
            max_length=history.REASON_MAX,
            help_text=_("Kept in the record's history. Required when %(fields)s change.")
            % {
                "fields": "、".join(
                    history.field_label(form._meta.model, name) for name in sorted(required)
                )
            }
            if required
            else _("Kept in the record's history."),
        )

        def _post_clean(self) -> None:
            super()._post_clean()  # the instance now holds the submitted values
            try:
                history.change_reason_check(
                    record=self.instance, reason=self.cleaned_data.get(REASON_FIELD, "")
                )
            except ValidationError as error:
                self.add_error(None, error)

    return ReasonedForm


def _log_display(
    request: HttpRequest,
    model: type[models.Model],
    kind: AccessKind,
    response: HttpResponse,
    *,
    rows: int = 1,
    object_id: str = "",
) -> None:
    """A page that was actually shown (not a refusal or a redirect after saving) goes to the
    access log when it showed full numbers."""
    if request.method == "GET" and response.status_code == 200:
        access_log_display(request=request, kind=kind, model=model, rows=rows, object_id=object_id)


def versioned_form(form: type[forms.ModelForm[Any]], user: Any) -> type[forms.ModelForm[Any]]:
    """An edit form that carries the version of the record it was opened at (a hidden input
    rendered by admin/ledger/change_form.html) and refuses to save over a newer one."""

    class VersionedForm(form):  # type: ignore[valid-type,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            # Kept across re-displays of an invalid form, so a change made meanwhile is caught.
            self.record_version = self.data.get(concurrency.VERSION_FIELD) or (
                concurrency.version_of(self.instance)
            )

        def clean(self) -> dict[str, Any]:
            cleaned: dict[str, Any] = super().clean()
            try:
                # The instance was read from the database for this request: it is the stored copy.
                concurrency.check_version(
                    record=self.instance, expected=self.record_version, user=user
                )
            except concurrency.EditConflict as conflict:
                self.add_error(None, conflict)
                # Saving again, having read what changed, is a deliberate overwrite.
                self.record_version = concurrency.version_of(self.instance)
            return cleaned

    return VersionedForm


class ScopedInline:
    """Inline rows: foreign-key choices limited to the scope, like the parent form."""

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        return _scope_choices(field, db_field, request)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
        return _scope_choices(field, db_field, request)


class ScopedTabularInline(ScopedInline, admin.TabularInline[Any, Any]):
    extra = 0
    show_change_link = True


class ReferenceAdmin(SheetAdminMixin, ActionsAdminMixin, HistoryAdmin):
    """Reference tables (honour titles, programmes): the same for every region; the admin role
    keeps them and everyone else reads them."""

    list_per_page = 100
