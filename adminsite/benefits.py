"""礼遇工匠 on the 工作台 and the to-do page: the craftsmen of the user's scope due a benefit
this year or overdue (welfare.selectors.benefits_due, the due rule), each with a link that
records the benefit taken. Shown to the welfare officers and administrators; the ID numbers
are always masked, as on every list (base.identity)."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from base import identity
from base.roles import Role, role_of
from welfare.selectors import benefits_due


def shown_to(user: Any) -> bool:
    return bool(
        getattr(user, "is_superuser", False) or role_of(user) in (Role.ADMIN, Role.WELFARE)
    ) and user.has_perm("welfare.view_benefittaken")


def due_rows(user: Any, today: datetime.date) -> list[dict[str, Any]]:
    """Every benefit due this year or overdue in the user's scope, the longest overdue first."""
    may_record = user.has_perm("welfare.add_benefittaken")
    add_url = reverse("admin:welfare_benefittaken_add")
    rows = []
    for due in benefits_due(user=user, year=today.year):
        query = {"worker": due.worker.pk, "kind": due.kind, "taken_on": today.isoformat()}
        rows.append(
            {
                "due": due,
                "name": due.worker.name,
                # A to-do list never shows a full number, whoever reads it (an unlogged
                # display): the worker's own page reveals it, and logs that it did.
                "id_number": identity.mask_id_number(due.worker.id_number),
                "region": due.worker.region.name,
                "benefit": due.kind_label,
                "record_url": f"{add_url}?{urlencode(query)}" if may_record else None,
            }
        )
    return rows
