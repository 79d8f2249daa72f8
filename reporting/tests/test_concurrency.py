"""Two admins acting on one report at the same moment, on PostgreSQL with real transactions:
one action is done, the other refused with who acted first, and nothing half-written."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from reporting import services
from reporting.models import Action, Status, Submission
from reporting.tests.test_services import COUNTY, open_round

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL's transactions"
    ),
]


def test_of_two_reviewers_at_once_one_acts_and_the_other_is_told(people):
    round_ = open_round(people)
    sub = Submission.objects.get(round=round_, region=COUNTY)
    sub = services.submission_submit(
        by=people["county"], submission=sub, version=sub.version, head="李明"
    )
    seen = sub.version
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def review(name: str, action: Callable[[], object]) -> None:
        try:
            start.wait()
            action()
            outcomes[name] = "done"
        except services.Conflict as conflict:
            outcomes[name] = conflict.messages[0]
        finally:
            connections.close_all()

    approve = threading.Thread(
        target=review,
        args=("approve", lambda: services.submission_approve(
            by=people["city"], submission=sub, version=seen)),
    )  # fmt: skip
    give_back = threading.Thread(
        target=review,
        args=("return", lambda: services.submission_return(
            by=people["city2"], submission=sub, version=seen, comment="请核实")),
    )  # fmt: skip
    approve.start(), give_back.start()
    approve.join(), give_back.join()

    done = [name for name, outcome in outcomes.items() if outcome == "done"]
    assert len(done) == 1, outcomes
    refused = next(outcome for name, outcome in outcomes.items() if name not in done)
    first_actor = "周建国" if done == ["approve"] else "陈海燕"
    assert first_actor in refused
    stored = Submission.objects.get(pk=sub.pk)
    assert stored.status == (Status.APPROVED if done == ["approve"] else Status.RETURNED)
    assert stored.version == seen + 1
    reviews = stored.events.exclude(action=Action.SUBMITTED)
    assert reviews.count() == 1
