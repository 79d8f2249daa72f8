"""工作台: the page each role lands on after login (docs/design.md §9).

What a role does most is on it, read from the apps' own selectors: a clerk's key figures
against targets, their recent imports, what is due and the jobs they start from here; a welfare
officer's cases due for review, overdue dispatches the craftsmen due a benefit (礼遇工匠) and the
workers waiting for a 六必访 visit; an official's (viewer, admin) dashboard
summary and the sub-regions behind their targets or changed by recent imports. Each part is
shown only to a role with the right to read what it counts (the same rights as the pages its
links open). Everything is bounded: the first rows of each list, no count over a big table.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Count, Sum
from django.db.models.functions import Substr
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from adminsite import benefits, visits
from base import scope
from base.models import PREFIX_LENGTH, Region
from base.roles import Role, role_of
from dashboards import dashboard
from dashboards.formatting import completion, display
from dashboards.links import link_for
from programs.selectors import open_problems
from reporting import selectors as reporting
from sheets.models import ImportJob, JobStatus
from sheets.selectors import import_jobs_visible_to
from welfare.selectors import cases_due_for_review, dispatches_overdue

# The figures a workbench shows when the region has no targets (the dashboard's headline row).
HEADLINE_KEYS = dashboard.TREND_KEYS
FIGURES = 6
# The first rows of each list; the page behind its link has the rest.
SHOWN = 8
# Imports in this many days make a sub-region "changed".
CHANGED_DAYS = 7


@dataclass(frozen=True)
class Job:
    """A one-click job: a model's admin view, offered to a role holding the permission."""

    label: str
    model: str  # app_label.model_name
    view: str  # the admin URL name's last part: add, import, template, changelist
    permission: str  # add, change, view


def jobs() -> list[Job]:
    return [
        Job(_("Import a sheet"), "workforce.worker", "import", "add"),
        Job(_("Download the template"), "workforce.worker", "template", "add"),
        Job(_("Add a worker"), "workforce.worker", "add", "add"),
        Job(_("File a hardship case"), "welfare.hardshipcase", "add", "add"),
        Job(_("Record a dispatch"), "welfare.dispatch", "add", "add"),
        # 台工心港: the counsellor role's whole work (no other role may add these).
        Job(_("Book a consultation"), "welfare.counsellingbooking", "add", "add"),
        Job(_("Record a psychological lecture"), "welfare.counsellinglecture", "add", "add"),
        Job(_("Assessment tallies"), "welfare.counsellingassessment", "changelist", "add"),
        Job(_("Import log"), "sheets.importjob", "changelist", "view"),
    ]


def offered_jobs(user: Any) -> list[dict[str, str]]:
    """The jobs the user may start, their own domain's first (a welfare officer's cases)."""
    offered = []
    first = "welfare." if role_kind(user) == "welfare" else "workforce."
    for job in sorted(jobs(), key=lambda job: not job.model.startswith(first)):
        app_label, model_name = job.model.split(".")
        if not user.has_perm(f"{app_label}.{job.permission}_{model_name}"):
            continue
        try:
            url = reverse(f"admin:{app_label}_{model_name}_{job.view}")
        except NoReverseMatch:
            continue
        offered.append({"label": job.label, "url": url})
    return offered


# The lists each kind of user opens most, in that order; each shown to a role that may read it.
FREQUENT_TABLES = {
    "clerk": (
        "workforce.worker", "workforce.honour", "workforce.skillcertificate",
        "workforce.enterprise", "training.enrolment", "programs.innovationstudio",
    ),
    "welfare": (
        "welfare.hardshipcase", "welfare.dispatch", "welfare.assistancegrant",
        "workforce.worker", "welfare.carepairing", "welfare.servicestation",
    ),
    "official": (
        "workforce.worker", "workforce.honour", "programs.innovationstudio",
        "programs.target", "welfare.hardshipcase", "training.trainingsession",
    ),
}  # fmt: skip


def frequent_tables(user: Any, kind: str) -> list[dict[str, str]]:
    """The lists the role opens most, by their names in the table list, one click away."""
    tables = []
    for label in FREQUENT_TABLES[kind]:
        model = apps.get_model(label)
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        try:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        except NoReverseMatch:
            continue
        tables.append({"label": str(opts.verbose_name_plural), "url": url})
    return tables


def role_kind(user: Any) -> str:
    """Which workbench: "clerk", "welfare" or "official" (viewer, admin, superuser)."""
    role = role_of(user)
    if role == Role.CLERK:
        return "clerk"
    if role == Role.WELFARE:
        return "welfare"
    return "official"


def figures(user: Any, region: Region, year: int) -> dict[str, Any]:
    """The region's key figures against targets (those with a target first), and its children
    below target — from the cached dashboard every official reads."""
    data = dashboard.for_user(dashboard.build(region, year), user)
    readable = dashboard.readable_indicators(user)
    with_target = [i for i in readable if i.key in data["targets"]]
    headline = [i for i in readable if i.key in HEADLINE_KEYS and i not in with_target]
    cards = []
    for indicator in (with_target + headline)[:FIGURES]:
        value = data["indicators"].get(indicator.key)
        target = data["targets"].get(indicator.key)
        unit = str(indicator.unit)
        cards.append(
            {
                "label": indicator.label,
                "shown": display(value, indicator.kind, unit),
                "target": display(target, indicator.kind, unit) if target is not None else None,
                "completion": completion(value, target),
                "link": link_for(indicator.key, region.code, year),
            }
        )
    labels = {i.key: i.label for i in readable}
    behind = []
    for child in data["children"]:
        rates = [
            (rate, key)
            for key, target in child["targets"].items()
            if key in labels
            and (rate := completion(child["indicators"].get(key), target)) is not None
            and rate < Decimal(100)
        ]
        if rates:
            rate, key = min(rates)
            behind.append(
                {"code": child["code"], "name": child["name"], "label": labels[key], "rate": rate}
            )
    behind.sort(key=lambda row: row["rate"])
    return {"cards": cards, "behind": behind}


def changed_children(region: Region, today: datetime.date) -> list[dict[str, Any]]:
    """The direct children whose records imports changed in the last CHANGED_DAYS days, with
    the rows written: one grouped query over the import log (not over the records)."""
    children = dict(region.children.values_list("code", "name"))
    if not children:
        return []
    level = region.children.values_list("level", flat=True).first()
    length = PREFIX_LENGTH[level] if level else len(region.prefix)
    since = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=CHANGED_DAYS), datetime.time())
    )
    rows = (
        ImportJob.objects.filter(
            status=JobStatus.DONE, finished_at__gte=since, region__code__startswith=region.prefix
        )
        .annotate(child=Substr("region_id", 1, length))
        .order_by()
        .values("child")
        .annotate(imports=Count("pk"), rows=Sum("created") + Sum("updated"))
        .order_by("-rows")
    )
    by_prefix = {code[:length]: (code, name) for code, name in children.items()}
    changed = []
    for row in rows:
        if row["child"] in by_prefix:
            code, name = by_prefix[row["child"]]
            changed.append(
                {"code": code, "name": name, "imports": row["imports"], "rows": row["rows"] or 0}
            )
    return changed


def due(user: Any, today: datetime.date) -> dict[str, Any]:
    """What waits on the user's scope (the to-do page's lists), the first rows of each, or None
    for a list the role may not read."""
    sections: dict[str, Any] = {
        "reviews": None,
        "dispatches": None,
        "problems": None,
        "benefits": None,
        "visits": None,
    }
    if user.has_perm("welfare.view_hardshipcase"):
        cases = list(cases_due_for_review(user=user, today=today)[: SHOWN + 1])
        sections["reviews"] = {"rows": cases[:SHOWN], "more": len(cases) > SHOWN}
    if user.has_perm("welfare.view_dispatch"):
        dispatches = list(dispatches_overdue(user=user, today=today)[: SHOWN + 1])
        sections["dispatches"] = {
            "rows": [{"dispatch": d, "days": (today - d.due_on).days} for d in dispatches[:SHOWN]],
            "more": len(dispatches) > SHOWN,
        }
    if user.has_perm("programs.view_serviceproblem"):
        problems = list(open_problems(user=user)[: SHOWN + 1])
        sections["problems"] = {"rows": problems[:SHOWN], "more": len(problems) > SHOWN}
    if benefits.shown_to(user):
        rows = benefits.due_rows(user, today)
        sections["benefits"] = {"rows": rows[:SHOWN], "more": len(rows) > SHOWN}
    if visits.shown_to(user):
        rows = visits.due_rows(user, today)
        sections["visits"] = {"rows": rows[:SHOWN], "more": len(rows) > SHOWN}
    return sections


def reports(user: Any, today: datetime.date) -> dict[str, Any]:
    """Reporting rounds: the region's own reports to file, its children's reports waiting for
    review (an admin's), and 催报 — children late with theirs. The first rows of each."""
    overdue = list(reporting.overdue_below(user, today)[: SHOWN + 1])
    own = list(reporting.own_open(user)[:SHOWN])
    return {
        "own": [{"submission": s, "label": reporting.status_label(s, today)} for s in own],
        "review": list(reporting.awaiting_review(user)[:SHOWN])
        if role_of(user) == Role.ADMIN
        else [],
        "overdue": [
            {"submission": s, "days": (today - s.round.due_on).days} for s in overdue[:SHOWN]
        ],
        "more": len(overdue) > SHOWN,
    }


def recent_imports(user: Any) -> list[ImportJob]:
    """The user's own latest imports (the import log's index on user and time)."""
    return list(import_jobs_visible_to(user).filter(user_id=user.pk).order_by("-created_at")[:5])


def context(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    year = dashboard.default_year()
    region = scope.scope_region(user)
    kind = role_kind(user)
    page: dict[str, Any] = {
        "kind": kind,
        "region": region,
        "year": year,
        "jobs": offered_jobs(user),
        "tables": frequent_tables(user, kind),
        "due": due(user, today),
        "reports": reports(user, today),
        "imports": recent_imports(user) if kind == "clerk" else [],
        "figures": None,
        "changed": [],
    }
    if region is not None and kind != "welfare":
        page["figures"] = figures(user, region, year)
        if kind == "official":
            page["changed"] = changed_children(region, today)
    return page
