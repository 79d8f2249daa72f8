"""Every display of full ID numbers and every export of personal data is logged; the admins of
the scope read the log and nobody edits it."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from audit.models import AccessKind, AccessLogEntry
from base.models import Region
from base.roles import Role
from tests import factories
from training.models import TrainingSession
from workforce.models import Worker

pytestmark = pytest.mark.django_db

RUIAN, YUEQING = "330381", "330382"


@pytest.fixture
def workers():
    region = Region.objects.get(code=RUIAN)
    return [factories.build(Worker, region) for _ in range(3)]


def entries(user):
    return list(AccessLogEntry.objects.filter(user=user))


def test_admin_opening_a_worker_with_full_numbers_is_logged(workers, login):
    boss = factories.staff("boss", Role.ADMIN, RUIAN)
    worker = workers[0]
    login(boss).get(reverse("admin:workforce_worker_change", args=[worker.pk]))
    [entry] = entries(boss)
    assert (entry.kind, entry.rows, entry.object_id) == (AccessKind.RECORD, 1, str(worker.pk))
    assert entry.full_numbers and entry.region_id == RUIAN


def test_clerk_seeing_masked_numbers_is_not_logged_as_a_display(workers, login):
    clerk = factories.staff("clerk", Role.CLERK, RUIAN)
    client = login(clerk)
    client.get(reverse("admin:workforce_worker_change", args=[workers[0].pk]))
    client.get(reverse("admin:workforce_worker_changelist"))
    assert entries(clerk) == []


def test_admin_listing_workers_logs_how_many_rows_were_shown(workers, login):
    boss = factories.staff("boss", Role.ADMIN, RUIAN)
    login(boss).get(reverse("admin:workforce_worker_changelist"))
    [entry] = entries(boss)
    assert (entry.kind, entry.rows) == (AccessKind.LIST, 3)


def test_history_page_with_full_numbers_is_logged(workers, login):
    boss = factories.staff("boss", Role.ADMIN, RUIAN)
    login(boss).get(reverse("admin:workforce_worker_history", args=[workers[0].pk]))
    assert [e.kind for e in entries(boss)] == [AccessKind.HISTORY]


@pytest.mark.parametrize(("role", "full"), [(Role.CLERK, False), (Role.ADMIN, True)])
def test_every_export_of_personal_data_is_logged(workers, login, role, full):
    user = factories.staff("someone", role, RUIAN)
    response = login(user).get(reverse("admin:workforce_worker_export"))
    assert response.status_code == 200
    [entry] = entries(user)
    assert (entry.kind, entry.rows, entry.full_numbers) == (AccessKind.EXPORT, 3, full)


def test_export_without_personal_data_is_not_logged(login):
    factories.build(TrainingSession, Region.objects.get(code=RUIAN))
    clerk = factories.staff("clerk", Role.CLERK, RUIAN)
    assert login(clerk).get(reverse("admin:training_trainingsession_export")).status_code == 200
    assert entries(clerk) == []


def test_admins_read_the_log_of_their_scope_only(workers, login):
    ruian_boss = factories.staff("ruian_boss", Role.ADMIN, RUIAN)
    yueqing_boss = factories.staff("yueqing_boss", Role.ADMIN, YUEQING)
    login(ruian_boss).get(reverse("admin:workforce_worker_changelist"))
    entry = AccessLogEntry.objects.get()
    log = reverse("admin:audit_accesslogentry_changelist")
    assert [e.pk for e in login(ruian_boss).get(log).context["cl"].result_list] == [entry.pk]
    assert list(login(yueqing_boss).get(log).context["cl"].result_list) == []
    page = reverse("admin:audit_accesslogentry_change", args=[entry.pk])
    assert login(yueqing_boss).get(page).status_code == 404


@pytest.mark.parametrize("role", [Role.CLERK, Role.WELFARE, Role.VIEWER])
def test_other_roles_cannot_read_the_log(role, login):
    user = factories.staff("someone", role, RUIAN)
    assert login(user).get(reverse("admin:audit_accesslogentry_changelist")).status_code == 403


def test_nobody_edits_or_deletes_an_entry_through_the_admin(workers, login):
    root = factories.superuser()
    client = login(root)
    client.get(reverse("admin:workforce_worker_changelist"))
    entry = AccessLogEntry.objects.get()
    change = reverse("admin:audit_accesslogentry_change", args=[entry.pk])
    client.post(change, {"rows": 0, "kind": "list"})
    assert (
        client.post(
            reverse("admin:audit_accesslogentry_delete", args=[entry.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    entry.refresh_from_db()
    assert entry.rows == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_database_refuses_to_change_or_delete_entries(workers, login):
    boss = factories.staff("boss", Role.ADMIN, RUIAN)
    login(boss).get(reverse("admin:workforce_worker_changelist"))
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLogEntry.objects.update(rows=0)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLogEntry.objects.all().delete()
    assert AccessLogEntry.objects.get().rows == 3
