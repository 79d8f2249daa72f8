"""调动 between counties (the sender starts, the receiver accepts, both keep the record) and
merging two records of one person into the one with the corrected ID number."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from base import scope
from base.models import Level, Region
from base.roles import Role
from programs.models import ServiceVisit
from tests import factories
from training.models import Enrolment, TrainingSession
from welfare.models import HardshipCase
from workforce.models import Honour, HonourTitle, SkillCertificate, Transfer, TransferStatus, Worker
from workforce.services import transfer_accept, transfer_cancel, transfer_start, worker_merge

pytestmark = pytest.mark.django_db


@pytest.fixture
def ruian_clerk(ruian_towns):
    return factories.staff("ruian_clerk", Role.CLERK, "330381")


@pytest.fixture
def yueqing_clerk(ruian_towns):
    return factories.staff("yueqing_clerk", Role.CLERK, "330382")


@pytest.fixture
def worker(ruian_towns):
    person = factories.build(Worker, ruian_towns["tangxia"], name="郑建国")
    Honour.objects.create(
        worker=person,
        title=HonourTitle.objects.create(name="瑞安工匠", level=Level.COUNTY),
        year=2022,
    )
    return person


def test_the_sender_starts_the_receiver_accepts_and_both_keep_the_record(
    worker, ruian_clerk, yueqing_clerk
):
    transfer = transfer_start(
        worker=worker,
        to_region=Region.objects.get(code="330382"),
        user=ruian_clerk,
        on=datetime.date(2025, 3, 1),
        note="随企业搬迁",
    )
    transfer_accept(transfer=transfer, user=yueqing_clerk, on=datetime.date(2025, 3, 5))

    worker.refresh_from_db()
    assert worker.region_id == "330382"
    assert (transfer.status, transfer.accepted_by) == (TransferStatus.ACCEPTED, yueqing_clerk)
    assert worker.history.filter(region_id="330381101").exists()  # the old region stays on record
    # The worker (and their honours) now belong to 乐清; the transfer stays visible to both.
    for user in (ruian_clerk, yueqing_clerk):
        assert list(scope.filter_for_user(Transfer.objects.all(), user)) == [transfer]
    assert Honour.objects.get(worker=worker).worker.region_id == "330382"


@pytest.mark.parametrize(
    ("who", "action"),
    [
        ("ruian_clerk", "accept"),  # the sender cannot accept its own transfer
        ("yueqing_viewer", "accept"),
        ("tangxia_clerk", "start"),  # a town does not start a move between counties
        ("yueqing_clerk", "start"),  # nor another county for a worker it does not hold
        ("yueqing_clerk", "cancel"),  # only the sender withdraws
    ],
)
def test_transfer_steps_are_refused_to_the_wrong_side(worker, ruian_clerk, who, action):
    users = {
        "ruian_clerk": ruian_clerk,
        "yueqing_viewer": factories.staff("yv", Role.VIEWER, "330382"),
        "tangxia_clerk": factories.staff("tc", Role.CLERK, "330381101"),
        "yueqing_clerk": factories.staff("yc", Role.CLERK, "330382"),
    }
    yueqing = Region.objects.get(code="330382")
    if action == "start":
        with pytest.raises(PermissionDenied):
            transfer_start(worker=worker, to_region=yueqing, user=users[who])
        assert not Transfer.objects.exists()
        return
    transfer = transfer_start(worker=worker, to_region=yueqing, user=ruian_clerk)
    service = transfer_accept if action == "accept" else transfer_cancel
    with pytest.raises(PermissionDenied):
        service(transfer=transfer, user=users[who])
    transfer.refresh_from_db()
    worker.refresh_from_db()
    assert (transfer.status, worker.region_id) == (TransferStatus.STARTED, "330381101")


def test_a_transfer_within_the_county_or_a_second_pending_one_is_refused(worker, ruian_clerk):
    with pytest.raises(ValidationError):
        transfer_start(worker=worker, to_region=Region.objects.get(code="330381"), user=ruian_clerk)
    yueqing = Region.objects.get(code="330382")
    transfer_start(worker=worker, to_region=yueqing, user=ruian_clerk)
    with pytest.raises(ValidationError):
        transfer_start(worker=worker, to_region=yueqing, user=ruian_clerk)


def test_the_admin_starts_and_the_other_county_accepts_by_action(
    worker, ruian_clerk, yueqing_clerk, login
):
    sender, receiver = login(ruian_clerk), login(yueqing_clerk)
    response = sender.post(
        reverse("admin:workforce_transfer_add"),
        {"worker": worker.pk, "to_region": "330382", "started_on": "2025-03-01", "note": ""},
    )
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    listed = receiver.get(reverse("admin:workforce_transfer_changelist")).context["cl"]
    assert [t.pk for t in listed.result_list] == [transfer.pk]
    changelist = reverse("admin:workforce_transfer_changelist")
    action = {"action": "accept_transfers", "_selected_action": [transfer.pk]}
    sender.post(changelist, action)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.STARTED  # the sender's accept is refused
    receiver.post(changelist, action)
    transfer.refresh_from_db()
    worker.refresh_from_db()
    assert (transfer.status, worker.region_id) == (TransferStatus.ACCEPTED, "330382")
    assert (
        receiver.get(reverse("admin:workforce_transfer_change", args=[transfer.pk])).status_code
        == 200
    )
    assert (
        sender.get(reverse("admin:workforce_transfer_change", args=[transfer.pk])).status_code
        == 200
    )
    # The record of the move is kept: nobody deletes it.
    assert (
        sender.get(reverse("admin:workforce_transfer_delete", args=[transfer.pk])).status_code
        == 403
    )


# --- merges ------------------------------------------------------------------------------------


@pytest.fixture
def twins(ruian_towns, worker):
    """The same person twice: `worker` (correct ID) and a record with a mistyped ID number."""
    duplicate = factories.build(Worker, ruian_towns["anyang"], name="郑建国")
    return worker, duplicate


def test_merging_carries_over_honours_certificates_enrolments_cases_and_links(twins, ruian_towns):
    # Hardship cases move too, so it takes a role that may change them (test_merge_rights.py).
    ruian_admin = factories.staff("ruian_admin", Role.ADMIN, "330381")
    keep, duplicate = twins
    town = keep.region
    same_title = Honour.objects.get(worker=keep).title
    Honour.objects.create(worker=duplicate, title=same_title, year=2022)  # the same honour twice
    other = Honour.objects.create(
        worker=duplicate,
        title=HonourTitle.objects.create(name="温州工匠", level=Level.CITY),
        year=2024,
    )
    certificate = factories.build(SkillCertificate, town, worker=duplicate)
    enrolment = factories.build(Enrolment, town, worker=duplicate)
    factories.build(Enrolment, town, worker=keep, session=enrolment.session)
    case = HardshipCase.objects.create(worker=duplicate, level="deep", causes=["illness"])
    visit = factories.build(ServiceVisit, town)
    visit.craftsmen.add(keep, duplicate)

    worker_merge(keep=keep, duplicate=duplicate, user=ruian_admin)

    assert not Worker.objects.filter(pk=duplicate.pk).exists()
    assert Honour.objects.filter(worker=keep).count() == 2
    other.refresh_from_db()
    certificate.refresh_from_db()
    case.refresh_from_db()
    assert (other.worker, certificate.worker, case.worker) == (keep, keep, keep)
    assert Enrolment.objects.filter(worker=keep).count() == 1
    assert list(visit.craftsmen.all()) == [keep]
    assert TrainingSession.objects.count() == 1


def test_merging_stops_when_both_records_have_an_unfiled_case(twins, ruian_towns):
    keep, duplicate = twins
    ruian_admin = factories.staff("ruian_admin", Role.ADMIN, "330381")
    HardshipCase.objects.create(worker=keep, level="deep", causes=["illness"])
    HardshipCase.objects.create(worker=duplicate, level="relative", causes=["education"])
    with pytest.raises(ValidationError):
        worker_merge(keep=keep, duplicate=duplicate, user=ruian_admin)
    assert Worker.objects.filter(pk=duplicate.pk).exists()
    assert HardshipCase.objects.filter(worker=duplicate).count() == 1


def test_merging_refuses_different_people_and_viewers(twins, ruian_clerk, ruian_towns):
    keep, duplicate = twins
    stranger = factories.build(Worker, ruian_towns["tangxia"], name="另一个人")
    with pytest.raises(ValidationError):
        worker_merge(keep=keep, duplicate=stranger, user=ruian_clerk)
    viewer = factories.staff("viewer", Role.VIEWER, "330381")
    with pytest.raises(PermissionDenied):
        worker_merge(keep=keep, duplicate=duplicate, user=viewer)


def test_the_admin_asks_which_record_to_keep_then_merges(twins, ruian_clerk, login):
    keep, duplicate = twins
    client = login(ruian_clerk)
    changelist = reverse("admin:workforce_worker_changelist")
    selection = {"action": "merge_workers", "_selected_action": [keep.pk, duplicate.pk]}
    confirm = client.post(changelist, selection)
    assert confirm.status_code == 200
    assert "keep" in confirm.content.decode()
    assert duplicate.id_number not in confirm.content.decode()  # shown masked
    client.post(changelist, {**selection, "apply": "1", "keep": keep.pk})
    assert list(Worker.objects.filter(name="郑建国")) == [keep]
