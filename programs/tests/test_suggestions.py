"""「人大+工会」 suggestions: the handling rules (受理 → 交办 → 答复 → 办结 through the step table),
the region a suggestion counts in, and the dashboard numbers against docs/indicators.md on a
small ledger worked out by hand."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from base.models import Region
from base.roles import Role
from dashboards import selectors
from programs.models import SUGGESTION_CLOSING_DAYS, Suggestion, SuggestionStatus
from programs.services import (
    suggestion_answer,
    suggestion_assign,
    suggestion_close,
    suggestion_receive,
)
from tests import factories
from workforce.models import UnionOrganisation, Worker

pytestmark = pytest.mark.django_db

Y = 2024
KEYS = (
    "suggestions_received",
    "suggestions_closed",
    "suggestions_closed_in_time",
    "suggestions_satisfied",
    "suggestion_satisfaction",
)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def suggestion(
    source: Worker | UnionOrganisation,
    received: str,
    accepted: str,
    *,
    closed: str | None = None,
    satisfaction: str = "",
    assigned: bool = True,
) -> Suggestion:
    """A suggestion as it stands: closed when `closed` is given (answered the day before)."""
    values: dict[str, Worker | UnionOrganisation] = (
        {"worker": source} if isinstance(source, Worker) else {"union": source}
    )
    accepted_on = day(accepted)
    closed_on = day(closed) if closed else None
    return factories.build(
        Suggestion,
        source.region,
        **values,
        topic="commute",
        text="希望公司牵头组织上下班顺路的职工拼车",
        received_on=day(received),
        addressed_to="省人大代表刘永跃",
        status=SuggestionStatus.CLOSED if closed else SuggestionStatus.ASSIGNED,
        accepted_on=accepted_on,
        assigned_to="公司工会、行政部" if assigned else "",
        assigned_on=accepted_on if assigned else None,
        answer="已为职工找到拼车对象" if closed else "",
        answered_on=closed_on - datetime.timedelta(days=1) if closed_on else None,
        closed_on=closed_on,
        satisfaction=satisfaction,
    )


@pytest.fixture
def ledger(ruian_towns):
    """瑞安 (330381: 安阳 a worker's suggestions, 塘下 a union's) and 乐清 (330382), in Y = 2024.

    S1 安阳 received 1 Mar, accepted 2 Mar, closed 1 Apr (30 days: in time), 满意.
    S2 安阳 received and accepted 10 May, closed 10 Jun (31 days: late), 基本满意.
    S3 塘下 union, received 20 Nov, accepted 21 Nov, closed 5 Jan of Y+1 (45 days: late), 满意.
    S4 塘下 union, received 15 Dec of Y-1, accepted 16 Dec, closed 10 Jan of Y (25 days), 不满意.
    S5 安阳 received and accepted 1 Aug, assigned, not closed.
    S6 乐清 received and accepted 1 Feb, closed 20 Feb (19 days), 满意.
    S7 安阳 received 1 Sep, accepted 3 Sep, closed 3 Oct (30 days: in time), 不满意."""
    anyang, tangxia, yueqing = (
        ruian_towns["anyang"],
        ruian_towns["tangxia"],
        ruian_towns["yueqing_town"],
    )
    worker = factories.build(Worker, anyang, name="林美娟")
    union = factories.build(UnionOrganisation, tangxia, name="塘下镇某汽配公司工会")
    other = factories.build(Worker, yueqing, name="周国庆")
    suggestion(worker, "2024-03-01", "2024-03-02", closed="2024-04-01", satisfaction="satisfied")
    suggestion(worker, "2024-05-10", "2024-05-10", closed="2024-06-10", satisfaction="basically")
    suggestion(union, "2024-11-20", "2024-11-21", closed="2025-01-05", satisfaction="satisfied")
    suggestion(union, "2023-12-15", "2023-12-16", closed="2024-01-10", satisfaction="dissatisfied")
    suggestion(worker, "2024-08-01", "2024-08-01")
    suggestion(other, "2024-02-01", "2024-02-01", closed="2024-02-20", satisfaction="satisfied")
    suggestion(worker, "2024-09-01", "2024-09-03", closed="2024-10-03", satisfaction="dissatisfied")
    return {"worker": worker, "union": union, "other": other}


def figures(code: str, year: int = Y) -> dict:
    values = selectors.indicators_for(Region.objects.get(code=code), year)
    return {key: values[key] for key in KEYS}


def test_the_time_limit_is_thirty_days_from_acceptance():
    # docs/indicators.md states the 办结时限 as 30 days; the code keeps it in one constant.
    assert SUGGESTION_CLOSING_DAYS == 30


def test_a_county_counts_suggestions_received_and_closed_in_the_year(ledger):
    # Received in 2024: S1, S2, S3, S5, S7 = 5 (S4 came in 2023, S6 is 乐清's).
    # Closed in 2024: S1, S2, S4, S7 = 4 (S3 closed in 2025). Within 30 days of 受理: S1 (30),
    # S4 (25), S7 (30) = 3; S2 took 31. Satisfied or basically: S1, S2 = 2 of 4 → 50.0 %.
    assert figures("330381") == {
        "suggestions_received": 5,
        "suggestions_closed": 4,
        "suggestions_closed_in_time": 3,
        "suggestions_satisfied": 2,
        "suggestion_satisfaction": Decimal("50.0"),
    }


def test_the_city_adds_its_counties_and_the_share_is_recomputed(ledger):
    # 乐清: S6 received and closed in 19 days, 满意: 1, 1, 1, 1 → 100.0 %.
    assert figures("330382") == {
        "suggestions_received": 1,
        "suggestions_closed": 1,
        "suggestions_closed_in_time": 1,
        "suggestions_satisfied": 1,
        "suggestion_satisfaction": Decimal("100.0"),
    }
    # 温州: 5 + 1 received, 4 + 1 closed, 3 + 1 in time, 2 + 1 satisfied → 3 / 5 = 60.0 %.
    assert figures("330300") == {
        "suggestions_received": 6,
        "suggestions_closed": 5,
        "suggestions_closed_in_time": 4,
        "suggestions_satisfied": 3,
        "suggestion_satisfaction": Decimal("60.0"),
    }


def test_a_suggestion_closed_the_next_year_counts_there(ledger):
    # 2025 in 瑞安: nothing received; S3 closed 45 days after 受理 (late), 满意 → 1 of 1.
    assert figures("330381", 2025) == {
        "suggestions_received": 0,
        "suggestions_closed": 1,
        "suggestions_closed_in_time": 0,
        "suggestions_satisfied": 1,
        "suggestion_satisfaction": Decimal("100.0"),
    }
    # 2023 in 瑞安: S4 received, nothing closed → the share is 0.
    assert figures("330381", 2023) == {
        "suggestions_received": 1,
        "suggestions_closed": 0,
        "suggestions_closed_in_time": 0,
        "suggestions_satisfied": 0,
        "suggestion_satisfaction": Decimal("0"),
    }


def test_a_town_counts_its_own(ledger):
    # 塘下: S3 received in 2024, S4 closed in 2024 (25 days, 不满意) → 0 of 1.
    assert figures("330381101") == {
        "suggestions_received": 1,
        "suggestions_closed": 1,
        "suggestions_closed_in_time": 1,
        "suggestions_satisfied": 0,
        "suggestion_satisfaction": Decimal("0"),
    }


# --- the rules --------------------------------------------------------------------------------


@pytest.fixture
def clerk():
    return factories.staff("ruian_clerk", Role.CLERK, "330381")


def test_a_suggestion_goes_from_accepted_to_closed_step_by_step(ruian_towns, clerk):
    worker = factories.build(Worker, ruian_towns["anyang"])
    item = suggestion_receive(
        user=clerk,
        worker=worker,
        topic="commute",
        text="希望组织顺路职工拼车",
        received_on=day("2024-03-01"),
        addressed_to="省人大代表刘永跃",
        accepted_on=day("2024-03-02"),
    )
    assert (item.status, item.region_id) == ("accepted", "330381001")
    # No skipped step: an accepted suggestion is not answered before it is assigned.
    with pytest.raises(ValidationError) as skipped:
        suggestion_answer(suggestion=item, user=clerk, answer="已答复")
    assert "status" in skipped.value.message_dict
    item = Suggestion.objects.get(pk=item.pk)
    with pytest.raises(ValidationError) as nobody:
        suggestion_assign(suggestion=item, user=clerk, assigned_to="")
    assert "assigned_to" in nobody.value.message_dict
    item = Suggestion.objects.get(pk=item.pk)
    suggestion_assign(suggestion=item, user=clerk, assigned_to="公司工会", on=day("2024-03-05"))
    suggestion_answer(suggestion=item, user=clerk, answer="已组织拼车", on=day("2024-03-20"))
    with pytest.raises(ValidationError) as unrated:
        suggestion_close(suggestion=item, user=clerk, satisfaction="", on=day("2024-04-01"))
    assert "satisfaction" in unrated.value.message_dict
    item = Suggestion.objects.get(pk=item.pk)
    suggestion_close(suggestion=item, user=clerk, satisfaction="satisfied", on=day("2024-04-01"))
    item.refresh_from_db()
    assert (item.status, item.closed_on, item.closed_in_time()) == (
        "closed",
        day("2024-04-01"),
        True,
    )
    assert item.history.count() == 4


def test_a_viewer_and_another_county_may_not_take_a_step(ruian_towns, clerk):
    worker = factories.build(Worker, ruian_towns["anyang"])
    viewer = factories.staff("ruian_viewer", Role.VIEWER, "330381")
    with pytest.raises(PermissionDenied):
        suggestion_receive(
            user=viewer, worker=worker, topic="wages", text="x", received_on=day("2024-03-01"),
            addressed_to="人大丹西工委",
        )  # fmt: skip
    yueqing_clerk = factories.staff("yq_clerk", Role.CLERK, "330382")
    with pytest.raises(PermissionDenied):
        suggestion_receive(
            user=yueqing_clerk, worker=worker, topic="wages", text="x",
            received_on=day("2024-03-01"), addressed_to="人大丹西工委",
        )  # fmt: skip
    item = suggestion_receive(
        user=clerk, worker=worker, topic="wages", text="x", received_on=day("2024-03-01"),
        addressed_to="人大丹西工委",
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        suggestion_assign(suggestion=item, user=yueqing_clerk, assigned_to="街道")


def test_a_suggestion_comes_from_a_worker_or_a_union_and_counts_in_its_region(ruian_towns, clerk):
    worker = factories.build(Worker, ruian_towns["anyang"])
    union = factories.build(UnionOrganisation, ruian_towns["tangxia"])
    with pytest.raises(ValidationError):
        suggestion_receive(
            user=clerk, worker=worker, union=union, topic="safety", text="x",
            received_on=day("2024-03-01"), addressed_to="人大丹西工委",
        )  # fmt: skip
    with pytest.raises(ValidationError):
        suggestion_receive(
            user=clerk, topic="safety", text="x", received_on=day("2024-03-01"),
            addressed_to="人大丹西工委",
        )  # fmt: skip
    item = suggestion_receive(
        user=clerk, union=union, topic="safety", text="x", received_on=day("2024-03-01"),
        addressed_to="人大丹西工委",
    )  # fmt: skip
    assert item.region_id == "330381101"
    # The database refuses both at once too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Suggestion.objects.filter(pk=item.pk).update(worker=worker)


def test_dates_follow_the_steps(ruian_towns, clerk):
    worker = factories.build(Worker, ruian_towns["anyang"])
    with pytest.raises(ValidationError) as early:
        suggestion_receive(
            user=clerk, worker=worker, topic="hours", text="x", received_on=day("2024-03-05"),
            addressed_to="人大丹西工委", accepted_on=day("2024-03-01"),
        )  # fmt: skip
    assert "accepted_on" in early.value.message_dict
