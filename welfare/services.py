"""Writes for hardship cases: the lifecycle and the grants that move a case to "aided"."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from welfare.models import CASE_TRANSITIONS, AssistanceGrant, CaseStatus, HardshipCase
from workforce.services import record_save


def hardship_case_check_transition(*, current: str, target: str, reason: str = "") -> None:
    """Refuse a status change the lifecycle does not allow (reported → verified → filed →
    aided → closed, or rejected before filing) and a closing or rejection without a reason."""
    if target == current:
        return
    if target not in CASE_TRANSITIONS[current]:
        raise ValidationError(
            {
                "status": _("A case cannot go from “%(current)s” to “%(target)s”.")
                % {"current": CaseStatus(current).label, "target": CaseStatus(target).label}
            }
        )
    if target in (CaseStatus.CLOSED, CaseStatus.REJECTED) and not reason.strip():
        raise ValidationError({"reason": _("Give the reason the case was closed or not filed.")})


@transaction.atomic
def hardship_case_transition(
    *,
    case: HardshipCase,
    to_status: str,
    user: Any,
    on: datetime.date | None = None,
    reason: str = "",
) -> HardshipCase:
    """Move a case to its next status, stamping the date that status needs."""
    hardship_case_check_transition(current=case.status, target=to_status, reason=reason)
    day = on or timezone.localdate()
    if to_status == CaseStatus.FILED:
        case.filed_on = day
    if to_status == CaseStatus.CLOSED:
        case.closed_on = day
    if reason:
        case.reason = reason
    case.status = to_status
    record_save(record=case, user=user)
    return case


def hardship_case_mark_aided(*, case: HardshipCase) -> None:
    """A filed case that received a grant is "aided"."""
    if case.status == CaseStatus.FILED:
        case.status = CaseStatus.AIDED
        case.save(update_fields=["status", "updated_at"])


@transaction.atomic
def assistance_grant_create(
    *,
    case: HardshipCase,
    kind: str,
    amount: Decimal,
    granted_on: datetime.date,
    user: Any,
    fund_source: str = "",
) -> AssistanceGrant:
    grant = AssistanceGrant(
        case=case, kind=kind, amount=amount, granted_on=granted_on, fund_source=fund_source
    )
    record_save(record=grant, user=user)
    hardship_case_mark_aided(case=case)
    return grant
