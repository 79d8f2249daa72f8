"""Personal data, history and delete protection on the worker pages."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from base.models import Region
from base.roles import Role
from base.services import record_save
from tests import factories
from workforce.models import Honour, HonourTitle, Worker

pytestmark = pytest.mark.django_db

FULL_ID = "330381199001011230"
MASKED_ID = "330381********1230"


@pytest.fixture
def worker():
    return factories.build(
        Worker,
        Region.objects.get(code="330381"),
        name="陈建国",
        id_number=FULL_ID,
        phone="13857712345",
    )


def change_url(worker):
    return reverse("admin:workforce_worker_change", args=[worker.pk])


def form_data(worker, **changes):
    data = {
        "name": worker.name,
        "id_number": MASKED_ID,
        "phone": "138****2345",
        "region": worker.region_id,
        "enterprise": "",
        "occupation": worker.occupation,
        "employment_form": worker.employment_form,
        "union_joined_on": "",
        "honours-TOTAL_FORMS": "0",
        "honours-INITIAL_FORMS": "0",
        "certificates-TOTAL_FORMS": "0",
        "certificates-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("role", [Role.CLERK, Role.WELFARE, Role.VIEWER])
def test_staff_without_the_permission_never_see_a_full_id_number(role, worker, login):
    client = login(factories.staff("u", role, "330381"))
    for page in (reverse("admin:workforce_worker_changelist"), change_url(worker)):
        content = client.get(page).content.decode()
        assert FULL_ID not in content
        assert "13857712345" not in content
        assert MASKED_ID in content


def test_admin_role_sees_full_id_numbers(worker, login):
    client = login(factories.staff("boss", Role.ADMIN, "330381"))
    assert FULL_ID in client.get(reverse("admin:workforce_worker_changelist")).content.decode()


def test_clerk_saving_the_masked_form_keeps_the_stored_numbers(worker, login):
    client = login(factories.staff("clerk", Role.CLERK, "330381"))
    response = client.post(change_url(worker), form_data(worker, occupation="焊工"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    worker.refresh_from_db()
    assert (worker.id_number, worker.phone, worker.occupation) == (FULL_ID, "13857712345", "焊工")


def test_clerk_corrects_an_id_number_by_typing_the_full_new_one(worker, login):
    client = login(factories.staff("clerk", Role.CLERK, "330381"))
    response = client.post(
        change_url(worker),
        form_data(worker, id_number="11010119900307387X", change_reason="身份证复印件核对"),
    )
    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.id_number == "11010119900307387X"
    assert worker.history.first().history_change_reason == "身份证复印件核对"
    response = client.post(
        change_url(worker), form_data(worker, id_number="330381199001011234", change_reason="x")
    )
    assert "id_number" in response.context["adminform"].form.errors  # wrong check digit


def test_a_new_id_number_without_a_reason_is_refused_and_another_change_needs_none(worker, login):
    client = login(factories.staff("clerk", Role.CLERK, "330381"))
    refused = client.post(change_url(worker), form_data(worker, id_number="11010119900307387X"))
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["change_reason"] == [
        "修改身份证号须填写修改原因。"
    ]
    worker.refresh_from_db()
    assert worker.id_number == FULL_ID
    # The same rule holds for any service that saves the worker.
    worker.id_number = "11010119900307387X"
    with pytest.raises(ValidationError):
        record_save(record=worker, user=factories.staff("boss", Role.ADMIN, "330381"))
    worker.refresh_from_db()
    assert client.post(change_url(worker), form_data(worker, occupation="钳工")).status_code == 302


def test_clerk_cannot_move_a_worker_to_another_county(worker, login):
    client = login(factories.staff("clerk", Role.CLERK, "330381"))
    response = client.post(change_url(worker), form_data(worker, region="330382"))
    assert response.status_code == 200
    assert "region" in response.context["adminform"].form.errors
    worker.refresh_from_db()
    assert worker.region_id == "330381"


def test_history_page_shows_who_changed_what_with_numbers_masked(worker, login):
    admin_user = factories.staff("boss", Role.ADMIN, "330381")
    login(admin_user).post(
        change_url(worker),
        form_data(
            worker,
            id_number="11010119900307387X",
            phone="13900001111",
            occupation="钳工",
            change_reason="户籍迁移",
        ),
    )
    clerk = login(factories.staff("clerk", Role.CLERK, "330381"))
    content = clerk.get(
        reverse("admin:workforce_worker_history", args=[worker.pk])
    ).content.decode()
    assert "boss" in content and "钳工" in content
    assert FULL_ID not in content and "11010119900307387X" not in content
    assert "110101********387X" in content
    # The revert form would print every old value in full.
    record = worker.history.first()
    revert = reverse("admin:workforce_worker_simple_history", args=[worker.pk, record.pk])
    assert clerk.get(revert).status_code == 403


def test_history_shows_labels_and_the_first_edit_of_a_record_loaded_without_history(worker, login):
    # Loaded in bulk (the demo data, a migration): the record has no history of its own.
    worker.history.all().delete()
    worker.employment_form = "ride_hailing"
    Worker.objects.filter(pk=worker.pk).update(employment_form="ride_hailing")
    clerk = login(factories.staff("clerk", Role.CLERK, "330381"))
    saved = clerk.post(change_url(worker), form_data(worker, employment_form="courier"))
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    page = clerk.get(reverse("admin:workforce_worker_history", args=[worker.pk]))
    changes = [
        (str(change["field"]), str(change["old"]), str(change["new"]))
        for record in page.context["page_obj"]
        for change in getattr(record, "history_delta_changes", [])
    ]
    assert changes == [("就业形态", "网约车司机", "快递员")]
    # The first copy is the stored row as it was: nobody's edit, and it says so.
    first = worker.history.earliest()
    assert first.history_user is None and first.employment_form == "ride_hailing"
    assert first.history_change_reason == "首次记录（在台账中修改之前的原样）"
    content = page.content.decode()
    assert "ride_hailing" not in content and "courier" not in content
    assert "还原" not in content


def test_deleting_a_worker_with_honours_is_refused_with_what_refers_to_it(worker, login):
    Honour.objects.create(worker=worker, title=HonourTitle.objects.get(name="浙江工匠"), year=2023)
    client = login(factories.staff("clerk", Role.CLERK, "330381"))
    url = reverse("admin:workforce_worker_delete", args=[worker.pk])
    content = client.get(url).content.decode()
    assert "浙江工匠" in content
    client.post(url, {"post": "yes"})
    assert Worker.objects.filter(pk=worker.pk).exists()


def test_referrers_in_other_counties_are_counted_not_named(worker, login):
    from workforce.models import Mentorship

    apprentice = factories.build(Worker, Region.objects.get(code="330382"), name="外县徒弟")
    Mentorship.objects.create(master=worker, apprentice=apprentice, started_on="2024-01-01")
    client = login(factories.staff("clerk", Role.CLERK, "330381"))
    content = client.get(
        reverse("admin:workforce_worker_delete", args=[worker.pk])
    ).content.decode()
    assert "外县徒弟" not in content
    assert "1 条您无权查看的记录" in content


def test_search_finds_workers_by_name_prefix_and_id_number(worker, login):
    other = factories.build(Worker, Region.objects.get(code="330382"), name="陈建华")
    client = login(factories.staff("clerk", Role.CLERK, "330381"))
    changelist = reverse("admin:workforce_worker_changelist")
    found = client.get(changelist, {"q": "陈建"}).context["cl"].result_list
    assert [w.pk for w in found] == [worker.pk]  # the namesake in 乐清 stays invisible
    assert [
        w.pk for w in client.get(changelist, {"q": worker.id_number}).context["cl"].result_list
    ] == [worker.pk]
    assert other.pk not in {
        w.pk for w in client.get(changelist, {"q": "陈"}).context["cl"].result_list
    }


@pytest.mark.parametrize("listed_keys", [500, 1], ids=["few employers", "many employers"])
def test_search_finds_workers_by_their_employer_s_name(login, monkeypatch, listed_keys):
    """Typing the start of an employer's name lists its workers in the user's scope, whether
    few employers match (their keys go into the query) or many (a subquery)."""
    from adminsite import mixins
    from workforce.models import Enterprise

    monkeypatch.setattr(mixins, "LISTED_KEYS", listed_keys)
    ruian, yueqing = Region.objects.get(code="330381"), Region.objects.get(code="330382")
    bridge = factories.build(Enterprise, ruian, name="瑞安桥梁建设有限公司")
    roads = factories.build(Enterprise, ruian, name="瑞安桥头道路工程公司")
    outside = factories.build(Enterprise, yueqing, name="瑞安桥梁乐清分公司")
    mine = [factories.build(Worker, ruian, enterprise=e) for e in (bridge, roads)]
    factories.build(Worker, yueqing, enterprise=outside)
    factories.build(Worker, ruian)  # no employer
    client = login(factories.staff("clerk", Role.CLERK, "330381"))
    found = client.get(reverse("admin:workforce_worker_changelist"), {"q": "瑞安桥"})
    assert {w.pk for w in found.context["cl"].result_list} == {w.pk for w in mine}


def test_region_filter_drills_down_to_a_town(login):
    town = factories.town("330381101", "塘下镇")
    in_town = factories.build(Worker, town)
    in_county = factories.build(Worker, Region.objects.get(code="330381"))
    client = login(factories.staff("wz", Role.VIEWER, "330300"))
    changelist = reverse("admin:workforce_worker_changelist")
    listed = client.get(changelist, {"region": "330381101"}).context["cl"].result_list
    assert [w.pk for w in listed] == [in_town.pk]
    listed = client.get(changelist, {"region": "330381"}).context["cl"].result_list
    assert {w.pk for w in listed} == {in_town.pk, in_county.pk}
    # A region outside the scope filters to nothing rather than widening it.
    clerk = login(factories.staff("tx", Role.CLERK, "330381101"))
    assert list(clerk.get(changelist, {"region": "330381"}).context["cl"].result_list) == []


def test_autocomplete_offers_only_workers_in_scope(worker, login):
    factories.build(Worker, Region.objects.get(code="330382"), name="陈建华")
    client = login(factories.staff("clerk", Role.CLERK, "330381"))
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": "陈", "app_label": "workforce", "model_name": "honour", "field_name": "worker"},
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["id"] for r in results] == [str(worker.pk)]
    assert FULL_ID not in response.content.decode()
