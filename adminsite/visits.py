"""六必访 on the 工作台 and the to-do page: the occasions of the user's scope that call for a
visit not yet made (welfare.selectors.visits_due, the visit rule), the longest waiting first,
each with a link that fills in the visit form. Shown to the welfare officers and
administrators (the occasions are restricted like the hardship files); the ID numbers are
always masked, as on every to-do list (base.identity)."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from base import identity
from base.roles import Role, role_of
from welfare.selectors import visits_due


def shown_to(user: Any) -> bool:
    return bool(
        getattr(user, "is_superuser", False) or role_of(user) in (Role.ADMIN, Role.WELFARE)
    ) and user.has_perm("welfare.view_carevisit")


def due_rows(user: Any, today: datetime.date) -> list[dict[str, Any]]:
    """Every occasion in the user's scope waiting for a visit, the longest waiting first."""
    may_record = user.has_perm("welfare.add_carevisit")
    add_url = reverse("admin:welfare_carevisit_add")
    rows = []
    for due in visits_due(user=user, today=today):
        query: dict[str, Any] = {
            "worker": due.worker.pk,
            "kind": due.kind,
            "visited_on": today.isoformat(),
        }
        if due.occasion is not None:
            query["occasion"] = due.occasion.pk
        if due.case is not None:
            query["case"] = due.case.pk
        rows.append(
            {
                "due": due,
                "name": due.worker.name,
                # A to-do list never shows a full number, whoever reads it (an unlogged
                # display): the worker's own page reveals it, and logs that it did.
                "id_number": identity.mask_id_number(due.worker.id_number),
                "region": due.worker.region.name,
                "occasion": due.kind_label,
                "days": (today - due.since).days,
                "record_url": f"{add_url}?{urlencode(query)}" if may_record else None,
            }
        )
    return rows
