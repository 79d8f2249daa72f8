"""Who may do what in a reporting round: the one statement every view, service and test asks.

Admins of a region submit its report; the admins of its parent review it; clerks write the
说明 of their own region's open report; every role sees the rounds and reports of its scope.
"""

from __future__ import annotations

from typing import Any

from base import scope
from base.models import Region, RegionLevel
from base.roles import Role, role_of
from reporting.models import Round, Submission

# The levels that open rounds, and those that report in them (down to the counties).
OPENING_LEVELS = (RegionLevel.PROVINCE, RegionLevel.CITY)
REPORTING_LEVELS = (RegionLevel.CITY, RegionLevel.COUNTY)


def home(user: Any) -> Region | None:
    """The region the user acts for: their own (a superuser acts for none)."""
    if getattr(user, "is_superuser", False):
        return None
    return scope.scope_region(user)


def is_admin_of(user: Any, region: Region | None) -> bool:
    here = home(user)
    return (
        region is not None
        and here is not None
        and here.code == region.code
        and (role_of(user) == Role.ADMIN)
    )


def may_open(user: Any, region: Region) -> bool:
    return region.level in OPENING_LEVELS and is_admin_of(user, region)


def may_manage(user: Any, round_: Round) -> bool:
    """The opener's admins move a round's due date or withdraw it."""
    return is_admin_of(user, round_.region)


def may_see_round(user: Any, round_: Round) -> bool:
    """A round is seen by its opener's scope and by those it asks (below the opener)."""
    here = home(user)
    if getattr(user, "is_superuser", False):
        return True
    if here is None:
        return False
    return here.code.startswith(round_.region.prefix) or round_.region.code.startswith(here.prefix)


def may_see(user: Any, submission: Submission) -> bool:
    return scope.region_in_scope(user, submission.region_id)


def may_submit(user: Any, submission: Submission) -> bool:
    return is_admin_of(user, submission.region)


def may_review(user: Any, submission: Submission) -> bool:
    return is_admin_of(user, submission.region.parent)


def may_note(user: Any, submission: Submission) -> bool:
    here = home(user)
    return (
        here is not None
        and here.code == submission.region_id
        and role_of(user) in (Role.ADMIN, Role.CLERK)
    )
