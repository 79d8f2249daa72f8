"""The to-do page: what is waiting on the user's region, in their scope — across the domains
(cases, dispatches, problems, craftsman benefits, 六必访 visits) and the reporting rounds, so it stands on the admin's floor."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Count
from django.db.models.functions import Substr
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from adminsite import benefits, visits
from base.models import Region
from programs.selectors import open_problems
from reporting import selectors as reporting
from welfare.selectors import cases_due_for_review, dispatches_overdue

# Each list shows the longest-waiting rows; the admin list behind its link has them all.
SHOWN = 50


def _overdue_by_county(queryset: Any) -> list[dict[str, Any]]:
    rows = (
        queryset.order_by()
        .annotate(county=Substr("region_id", 1, 6))
        .values("county")
        .annotate(count=Count("pk"))
        .order_by("county")
    )
    counts = {row["county"]: row["count"] for row in rows}
    names = dict(Region.objects.filter(code__in=counts).values_list("code", "name"))
    return [{"name": names.get(code, code), "count": n} for code, n in counts.items()]


@staff_member_required
def todo(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    # None: a list the user's role does not see (the page leaves it out).
    sections: dict[str, Any] = {
        "dispatches": None,
        "reviews": None,
        "problems": None,
        "benefits": None,
        "visits": None,
    }
    if user.has_perm("welfare.view_dispatch"):
        overdue = dispatches_overdue(user=user, today=today)
        sections["dispatches"] = {
            "rows": [
                {"dispatch": d, "days_overdue": (today - d.due_on).days} for d in overdue[:SHOWN]
            ],
            "by_county": _overdue_by_county(overdue),
        }
    if user.has_perm("welfare.view_hardshipcase"):
        sections["reviews"] = list(cases_due_for_review(user=user, today=today)[:SHOWN])
    if user.has_perm("programs.view_serviceproblem"):
        sections["problems"] = [
            {"problem": p, "days_open": (today - p.reported_on).days if p.reported_on else None}
            for p in open_problems(user=user)[:SHOWN]
        ]
    if benefits.shown_to(user):
        rows = benefits.due_rows(user, today)
        sections["benefits"] = {"rows": rows[:SHOWN], "count": len(rows)}
    if visits.shown_to(user):
        rows = visits.due_rows(user, today)
        sections["visits"] = {"rows": rows[:SHOWN], "count": len(rows)}
    overdue_reports = reporting.overdue_below(user, today)
    context = {
        **admin.site.each_context(request),
        "title": _("To-do"),
        "overdue_reports": [
            {"submission": s, "days": (today - s.round.due_on).days}
            for s in overdue_reports[:SHOWN]
        ],
        "own_reports": [
            {"submission": s, "label": reporting.status_label(s, today)}
            for s in reporting.own_open(user)[:SHOWN]
        ],
        "today": today,
        "shown": SHOWN,
        **sections,
    }
    return TemplateResponse(request, "admin/todo.html", context)
