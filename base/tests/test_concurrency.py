"""Two people editing the same record: the second save is refused, saying what changed."""

import re

import pytest
from django.contrib import messages
from django.db import transaction

from base import concurrency
from base.models import Region
from base.roles import Role
from base.services import record_save
from tests import factories
from workforce.models import Worker
from workforce.tests.test_worker_admin import FULL_ID, change_url, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker():
    return factories.build(
        Worker,
        Region.objects.get(code="330381"),
        name="陈建国",
        id_number=FULL_ID,
        phone="13857712345",
        occupation="车工",
    )


def opened_version(client, worker) -> str:
    """The version the edit page hands the browser, as a user opening it would get."""
    page = client.get(change_url(worker)).content.decode()
    match = re.search(r'name="_version" value="([^"]+)"', page)
    assert match, "the edit form carries no version"
    return match.group(1)


def form_errors(response) -> str:
    return " ".join(response.context["adminform"].form.non_field_errors())


def test_second_editor_is_refused_and_told_what_changed(worker, login):
    first = login(factories.staff("zhang", Role.CLERK, "330381"))
    second = login(factories.staff("li", Role.CLERK, "330381"))
    version_first = opened_version(first, worker)
    version_second = opened_version(second, worker)

    saved = first.post(
        change_url(worker), form_data(worker, occupation="焊工", _version=version_first)
    )
    assert saved.status_code == 302

    refused = second.post(
        change_url(worker), form_data(worker, occupation="电工", _version=version_second)
    )
    assert refused.status_code == 200
    message = form_errors(refused)
    assert "zhang" in message
    assert "职业(工种)：“车工” → “焊工”" in message
    worker.refresh_from_db()
    assert worker.occupation == "焊工"  # never silently overwritten


def test_saving_again_after_reading_the_conflict_keeps_the_second_editors_values(worker, login):
    first = login(factories.staff("zhang", Role.CLERK, "330381"))
    second = login(factories.staff("li", Role.CLERK, "330381"))
    stale = opened_version(second, worker)
    first.post(
        change_url(worker),
        form_data(worker, occupation="焊工", _version=opened_version(first, worker)),
    )
    refused = second.post(change_url(worker), form_data(worker, occupation="电工", _version=stale))
    # The re-displayed form carries the version the refusal was based on.
    fresh = re.search(r'name="_version" value="([^"]+)"', refused.content.decode()).group(1)
    assert fresh != stale

    again = second.post(change_url(worker), form_data(worker, occupation="电工", _version=fresh))
    assert again.status_code == 302
    worker.refresh_from_db()
    assert worker.occupation == "电工"


def test_an_invalid_form_redisplayed_still_catches_a_change_made_meanwhile(worker, login):
    first = login(factories.staff("zhang", Role.CLERK, "330381"))
    second = login(factories.staff("li", Role.CLERK, "330381"))
    stale = opened_version(second, worker)
    invalid = second.post(change_url(worker), form_data(worker, name="", _version=stale))
    assert f'value="{stale}"' in invalid.content.decode()
    first.post(
        change_url(worker),
        form_data(worker, occupation="焊工", _version=opened_version(first, worker)),
    )
    refused = second.post(change_url(worker), form_data(worker, name="陈建", _version=stale))
    assert "职业(工种)：“车工” → “焊工”" in form_errors(refused)


def test_conflict_message_masks_id_numbers_for_staff_without_the_permission(worker, login):
    admin_client = login(factories.staff("boss", Role.ADMIN, "330381"))
    clerk = login(factories.staff("li", Role.CLERK, "330381"))
    stale = opened_version(clerk, worker)
    admin_client.post(
        change_url(worker),
        form_data(
            worker,
            id_number="11010119900307387X",
            phone="13857712345",
            change_reason="身份证复印件核对",
            _version=opened_version(admin_client, worker),
        ),
    )
    message = form_errors(clerk.post(change_url(worker), form_data(worker, _version=stale)))
    assert "11010119900307387X" not in message and FULL_ID not in message
    assert "110101********387X" in message


def test_an_import_saved_meanwhile_also_refuses_the_stale_form(worker, login):
    clerk = login(factories.staff("li", Role.CLERK, "330381"))
    stale = opened_version(clerk, worker)
    # A sheet import (or any system task) writes without a user.
    Worker.objects.filter(pk=worker.pk).update(occupation="钳工")
    worker.refresh_from_db()
    worker.save()
    refused = clerk.post(change_url(worker), form_data(worker, occupation="电工", _version=stale))
    assert refused.status_code == 200
    assert "钳工" in form_errors(refused)


def test_service_refuses_a_save_based_on_a_stale_version(worker):
    user = factories.staff("li", Role.CLERK, "330381")
    stale = concurrency.version_of(worker)
    other = Worker.objects.get(pk=worker.pk)
    other.occupation = "焊工"
    record_save(record=other, user=user, expected_version=stale)

    worker.occupation = "电工"
    with pytest.raises(concurrency.EditConflict), transaction.atomic():
        record_save(record=worker, user=user, expected_version=stale)
    assert Worker.objects.get(pk=worker.pk).occupation == "焊工"


def test_record_deleted_while_editing_is_reported(worker):
    user = factories.staff("li", Role.CLERK, "330381")
    stale = concurrency.version_of(worker)
    Worker.objects.filter(pk=worker.pk).delete()
    with pytest.raises(concurrency.EditConflict, match="已被删除"):
        record_save(record=worker, user=user, expected_version=stale)


def test_a_conflict_slipping_past_the_form_check_is_refused_without_writing(
    worker, login, monkeypatch
):
    """The narrow window between the form's check and the locked save: nothing is written and
    the editor is told, on the fresh page, what changed."""
    clerk = login(factories.staff("li", Role.CLERK, "330381"))
    version = opened_version(clerk, worker)
    real_check = concurrency.check_version
    calls = {"n": 0}

    def check_then_someone_saves(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:  # the service's check, after the form's passed
            Worker.objects.filter(pk=worker.pk).update(occupation="钳工")
            stored = Worker.objects.get(pk=worker.pk)
            stored.save()
        return real_check(**kwargs)

    monkeypatch.setattr(concurrency, "check_version", check_then_someone_saves)
    response = clerk.post(
        change_url(worker), form_data(worker, occupation="电工", _version=version), follow=True
    )
    shown = [m for m in response.context["messages"] if m.level == messages.ERROR]
    assert shown and "钳工" in str(shown[0])
    # The stand-in "other save" ran inside this request's transaction and was rolled back
    # with it; what matters is that the editor's value was not written.
    assert Worker.objects.get(pk=worker.pk).occupation != "电工"
