"""The ledger's admin site: the stock one with a work page for each role as its index
(adminsite/workbench.py), the full table list one click away, and the one box that finds a
person (workforce/selectors.py). Installed as `admin.site` by adminsite/apps.py."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, URLPattern, URLResolver, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from adminsite import workbench
from audit.models import AccessKind
from audit.services import access_log_display, access_log_record
from base import scope
from workforce.models import Worker
from workforce.selectors import TermKind, find_people

# The table list in the order of the domain (docs/design.md §2): the records first, then the
# imports, the regions and staff, and the logs.
APP_ORDER = ("workforce", "programs", "training", "welfare", "sheets", "base", "audit")


def display_name(user: Any) -> str:
    """A person's name as Chinese writes it (family name first), or their login name."""
    name = f"{getattr(user, 'last_name', '')}{getattr(user, 'first_name', '')}".strip()
    return name or str(user.get_username())


def _admin_url(app_label: str, model_name: str, view: str, *args: Any) -> str | None:
    try:
        return reverse(f"admin:{app_label}_{model_name}_{view}", args=args or None)
    except NoReverseMatch:
        return None


def _filtered_list(appearance: Any, pk: int) -> str | None:
    """The admin list of one kind of record, filtered to those naming the person."""
    url = _admin_url(appearance.app_label, appearance.model_name, "changelist")
    return f"{url}?{appearance.relation}__id__exact={pk}" if url else None


class LedgerAdminSite(admin.AdminSite):
    site_header = gettext_lazy("Union Workforce Ledger")
    site_title = gettext_lazy("Union Workforce Ledger")
    index_title = gettext_lazy("Workbench")
    site_url = None  # "/" is the workbench itself: no "view site" link

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        context = super().each_context(request)
        user = request.user
        if user.is_authenticated:
            # Read when the header renders: the region is one small query, cached on the user.
            context["user_display_name"] = display_name(user)
            context["user_region"] = lambda: scope.scope_region(user)
        return context

    def get_urls(self) -> list[URLResolver | URLPattern]:
        return [
            path("find/", self.admin_view(self.find_person), name="find_person"),
            path("tables/", self.admin_view(self.tables), name="tables"),
            *super().get_urls(),
        ]

    def get_app_list(
        self, request: HttpRequest, app_label: str | None = None
    ) -> list[dict[str, Any]]:
        apps = super().get_app_list(request, app_label)
        rank = {label: i for i, label in enumerate(APP_ORDER)}
        return sorted(apps, key=lambda app: rank.get(app["app_label"], len(APP_ORDER)))

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        context = {
            **self.each_context(request),
            "title": _("Workbench"),
            **workbench.context(request),
            **(extra_context or {}),
        }
        request.current_app = self.name
        return TemplateResponse(request, "admin/workbench/index.html", context)

    def tables(self, request: HttpRequest) -> HttpResponse:
        """Every table the user may open, grouped as the domain is: the stock admin index."""
        context = {
            **self.each_context(request),
            "title": _("All tables"),
            "subtitle": None,
            "app_list": self.get_app_list(request),
        }
        request.current_app = self.name
        return TemplateResponse(request, "admin/workbench/tables.html", context)

    def find_person(self, request: HttpRequest) -> HttpResponse:
        term = request.GET.get("q", "").strip()[:50]
        found = find_people(user=request.user, term=term) if term else None
        results = []
        if found is not None:
            if found.whole_value:
                # A masked user confirming a guessed whole number leaves a trace, like the
                # search box of a list (adminsite/mixins.py).
                access_log_record(
                    request=request,
                    kind=AccessKind.SEARCH,
                    model=Worker,
                    rows=0,
                    full_numbers=False,
                )
            # Full numbers shown (an admin's results) are logged like a list showing them.
            access_log_display(
                request=request, kind=AccessKind.LIST, model=Worker, rows=len(found.people)
            )
            for person in found.people:
                results.append(
                    {
                        "person": person,
                        "url": _admin_url("workforce", "worker", "change", person.pk),
                        "growth_url": _admin_url("workforce", "worker", "growth", person.pk),
                        "appearances": [
                            {
                                "kind": appearance.kind,
                                "list": _filtered_list(appearance, person.pk),
                                "records": [
                                    {
                                        "label": label,
                                        "url": _admin_url(
                                            appearance.app_label,
                                            appearance.model_name,
                                            "change",
                                            pk,
                                        ),
                                    }
                                    for pk, label in appearance.records
                                ],
                            }
                            for appearance in person.appearances
                        ],
                    }
                )
        hints = {
            TermKind.NAME: _("by the beginning of the name"),
            TermKind.ID_NUMBER: _("by the whole ID number"),
            TermKind.PHONE: _("by the whole phone number"),
            TermKind.TAIL: _("by the last four characters of the ID or phone number"),
            TermKind.MASKED: _("by the masked number as shown"),
        }
        context = {
            **self.each_context(request),
            "title": _("Find a person"),
            "term": term,
            "found": found,
            "read_as": hints.get(found.kind) if found else None,
            "results": results,
        }
        request.current_app = self.name
        return TemplateResponse(request, "admin/workbench/find.html", context)
