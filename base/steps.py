"""Who may take each step of the case-work workflows (hardship cases, 越温暖 dispatches, 助企行
problems, 光FU行 solar projects, transfers and merges of worker records). The one table of these rules: services enforce it, the admin and the to-do
page ask it which buttons and lists to show.

A step names the roles that may take it and the narrowest scope a user may hold to take it: a
town union reports a case and answers a dispatch, a county (or wider) welfare officer verifies,
files, closes and reviews (docs/design.md §3; seed 004: the county receives the city's dispatches and
passes them to the towns).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from base import scope
from base.models import PREFIX_LENGTH, RegionLevel
from base.roles import Role, role_of


class Step(models.TextChoices):
    CASE_REPORT = "case_report", gettext_lazy("report a hardship case")
    CASE_VERIFY = "case_verify", gettext_lazy("verify a hardship case")
    CASE_FILE = "case_file", gettext_lazy("file a hardship case")
    CASE_AID = "case_aid", gettext_lazy("grant aid on a hardship case")
    CASE_CLOSE = "case_close", gettext_lazy("close a hardship case")
    CASE_REJECT = "case_reject", gettext_lazy("reject a hardship case")
    CASE_REVIEW = "case_review", gettext_lazy("review a hardship case")
    DISPATCH_RECEIVE = "dispatch_receive", gettext_lazy("receive a dispatch")
    DISPATCH_ANSWER = "dispatch_answer", gettext_lazy("answer a dispatch")
    PROBLEM_TRACK = "problem_track", gettext_lazy("track a service problem")
    SOLAR_APPLY = "solar_apply", gettext_lazy("apply for a solar project")
    SOLAR_ADVANCE = "solar_advance", gettext_lazy("advance a solar project")
    TRANSFER_START = "transfer_start", gettext_lazy("start a transfer")
    TRANSFER_ACCEPT = "transfer_accept", gettext_lazy("accept a transfer")
    WORKER_MERGE = "worker_merge", gettext_lazy("merge worker records")


@dataclass(frozen=True)
class StepRule:
    roles: frozenset[Role]
    # The narrowest scope that may take the step: COUNTY means a county, city or province user.
    narrowest: RegionLevel


WELFARE_ROLES = frozenset({Role.ADMIN, Role.WELFARE})
RECORD_ROLES = frozenset({Role.ADMIN, Role.CLERK, Role.WELFARE})

STEP_RULES: dict[Step, StepRule] = {
    Step.CASE_REPORT: StepRule(WELFARE_ROLES, RegionLevel.TOWN),
    Step.CASE_VERIFY: StepRule(WELFARE_ROLES, RegionLevel.COUNTY),
    Step.CASE_FILE: StepRule(WELFARE_ROLES, RegionLevel.COUNTY),
    Step.CASE_AID: StepRule(WELFARE_ROLES, RegionLevel.COUNTY),
    Step.CASE_CLOSE: StepRule(WELFARE_ROLES, RegionLevel.COUNTY),
    Step.CASE_REJECT: StepRule(WELFARE_ROLES, RegionLevel.COUNTY),
    Step.CASE_REVIEW: StepRule(WELFARE_ROLES, RegionLevel.COUNTY),
    # Dispatches are hardship data: the welfare and admin roles only.
    Step.DISPATCH_RECEIVE: StepRule(WELFARE_ROLES, RegionLevel.COUNTY),
    Step.DISPATCH_ANSWER: StepRule(WELFARE_ROLES, RegionLevel.TOWN),
    Step.PROBLEM_TRACK: StepRule(RECORD_ROLES, RegionLevel.TOWN),
    # 光FU行: grassroots unions apply; the county union and power company survey and install.
    Step.SOLAR_APPLY: StepRule(WELFARE_ROLES, RegionLevel.TOWN),
    Step.SOLAR_ADVANCE: StepRule(WELFARE_ROLES, RegionLevel.COUNTY),
    # 调动 is between counties: each side is a county (or wider) office.
    Step.TRANSFER_START: StepRule(RECORD_ROLES, RegionLevel.COUNTY),
    Step.TRANSFER_ACCEPT: StepRule(RECORD_ROLES, RegionLevel.COUNTY),
    Step.WORKER_MERGE: StepRule(RECORD_ROLES, RegionLevel.COUNTY),
}


def step_allowed(user: Any, step: Step) -> bool:
    """Whether the user's role and scope allow the step (anywhere in their scope)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    prefix = scope.scope_prefix(user)
    if not prefix:
        return False
    rule = STEP_RULES[step]
    return role_of(user) in rule.roles and len(prefix) <= PREFIX_LENGTH[rule.narrowest]


def step_require(*, user: Any, step: Step, record: models.Model | None = None) -> None:
    """Refuse (PermissionDenied) a step the user may not take, or on a record outside their
    scope."""
    if not step_allowed(user, step):
        raise PermissionDenied(
            _("Your role or region does not allow you to %(step)s.") % {"step": step.label}
        )
    if record is not None and not scope.object_in_scope(user, record):
        raise PermissionDenied(_("This record is outside your region."))
