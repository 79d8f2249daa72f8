from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from adminsite.mixins import CappedCountPaginator, RegionFilter, ScopedAdminMixin, year_filter
from audit.models import AccessLogEntry


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ScopedAdminMixin):
    """Read-only for everyone, superusers included: the log is evidence."""

    list_display = ("at", "user", "region", "kind", "record_type", "rows", "full_numbers", "path")
    list_filter = (RegionFilter, "kind", "full_numbers", year_filter("at", _("when"), is_date=True))
    search_fields = ("^user__username",)
    list_select_related = ("user", "region")
    paginator = CappedCountPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    ordering = ("-at",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
