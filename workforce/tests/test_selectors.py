"""The one box that finds a person (workforce/selectors.py)."""

from __future__ import annotations

from typing import Any

import pytest

from base import identity, scope
from base.models import Region
from base.roles import Role
from sheets import bulk
from tests import factories
from workforce.models import Honour, Worker
from workforce.selectors import LIMIT, TermKind, find_people, read_term, referring_relations

RUIAN, YUEQING = "330381", "330382"


def worker_in(county: str, **values: Any) -> Worker:
    return factories.build(Worker, Region.objects.get(code=county), **values)


def found_pks(user: Any, term: str) -> set[int]:
    return {person.pk for person in find_people(user=user, term=term).people}


@pytest.fixture
def clerk(db: Any) -> Any:
    return factories.staff("clerk", Role.CLERK, RUIAN)


@pytest.mark.django_db
def test_the_last_four_of_an_id_or_phone_number_find_the_person(clerk: Any) -> None:
    worker = worker_in(RUIAN, phone="13800135678")
    assert worker.pk in found_pks(clerk, worker.id_number[-4:])
    assert worker.pk in found_pks(clerk, "5678")


@pytest.mark.django_db
def test_a_lowercase_x_check_character_finds_the_stored_capital(clerk: Any) -> None:
    first17 = f"{RUIAN}19850101103"
    number = first17 + identity.id_number_check_char(first17)
    assert number.endswith("X"), "this serial gives an X check character"
    worker = worker_in(RUIAN, id_number=number)
    assert worker.pk in found_pks(clerk, number[-4:].lower())
    assert worker.pk in found_pks(clerk, number.lower())


@pytest.mark.django_db
def test_a_whole_number_a_name_and_the_masked_number_as_shown_find_the_person(
    clerk: Any,
) -> None:
    worker = worker_in(RUIAN, name="张晓明", phone="13800135678")
    for term in (
        worker.id_number,
        "13800135678",
        "张晓",
        identity.mask_id_number(worker.id_number),
        identity.mask_phone(worker.phone),
    ):
        assert worker.pk in found_pks(clerk, term), term


@pytest.mark.django_db
def test_a_prefix_of_a_hidden_number_finds_nobody(clerk: Any) -> None:
    # Prefix searches would spell a hidden number out, digit by digit (base/identity.py).
    worker = worker_in(RUIAN, phone="13800135678")
    for prefix in (worker.id_number[:17], worker.id_number[:10], worker.id_number[:4], "1380013"):
        assert worker.pk not in found_pks(clerk, prefix), prefix


@pytest.mark.django_db
def test_another_countys_person_is_never_found(clerk: Any) -> None:
    other = worker_in(YUEQING, name="王小二", phone="13800139999")
    for term in (other.id_number, other.id_number[-4:], "9999", "王小二", "13800139999"):
        assert other.pk not in found_pks(clerk, term), term


@pytest.mark.django_db
def test_a_masked_user_sees_masked_numbers_and_an_admin_full_ones(clerk: Any) -> None:
    worker = worker_in(RUIAN, phone="13800135678")
    admin = factories.staff("admin", Role.ADMIN, RUIAN)
    (as_clerk,) = find_people(user=clerk, term=worker.id_number[-4:]).people
    (as_admin,) = find_people(user=admin, term=worker.id_number[-4:]).people
    assert as_clerk.id_number == identity.mask_id_number(worker.id_number)
    assert as_clerk.phone == "138****5678"
    assert as_admin.id_number == worker.id_number and as_admin.phone == "13800135678"


@pytest.mark.django_db
def test_a_masked_user_confirming_a_whole_number_is_marked_for_the_access_log(
    clerk: Any,
) -> None:
    worker = worker_in(RUIAN)
    assert find_people(user=clerk, term=worker.id_number).whole_value
    assert not find_people(user=clerk, term=worker.id_number[-4:]).whole_value
    admin = factories.staff("admin", Role.ADMIN, RUIAN)
    assert not find_people(user=admin, term=worker.id_number).whole_value


@pytest.mark.django_db
def test_the_results_say_where_the_person_appears_in_records_the_user_may_read(
    clerk: Any,
) -> None:
    from welfare.models import HardshipCase

    region = Region.objects.get(code=RUIAN)
    worker = worker_in(RUIAN)
    honour = factories.build(Honour, region, worker=worker)
    factories.build(HardshipCase, region, worker=worker)
    welfare = factories.staff("welfare", Role.WELFARE, RUIAN)

    def kinds(user: Any) -> dict[str, list[Any]]:
        (person,) = find_people(user=user, term=worker.id_number[-4:]).people
        return {a.model_name: [pk for pk, _label in a.records] for a in person.appearances}

    assert kinds(clerk)["honour"] == [honour.pk]
    assert "hardshipcase" not in kinds(clerk)  # a clerk may not read hardship files
    assert "hardshipcase" in kinds(welfare)


@pytest.mark.django_db
def test_every_kind_of_record_naming_a_worker_is_shown_to_a_role_that_may_read_it() -> None:
    # Generated: a kind added later that names a worker appears without touching the search.
    admin = factories.superuser()
    region = Region.objects.get(code=RUIAN)
    worker = worker_in(RUIAN)
    expected = set()
    for relation in Worker._meta.related_objects:
        model: Any = relation.related_model
        if not scope.is_scoped(model):
            continue
        obj = factories.build(
            model, region, **({} if relation.many_to_many else {relation.field.name: worker})
        )
        if relation.many_to_many:
            getattr(obj, relation.field.name).add(worker)
        expected.add((model._meta.model_name, relation.field.name))
    (person,) = find_people(user=admin, term=worker.id_number[-4:]).people
    shown = {(a.model_name, a.relation) for a in person.appearances}
    assert shown == expected
    assert {
        (r.related_model._meta.model_name, r.field.name) for r in referring_relations(admin)
    } == expected
    assert expected, "records name workers"


@pytest.mark.django_db
def test_the_search_costs_the_same_queries_for_one_person_or_a_page(
    clerk: Any, django_assert_max_num_queries: Any
) -> None:
    region = Region.objects.get(code=RUIAN)
    for _ in range(LIMIT + 3):
        honour = factories.build(Honour, region)
        honour.worker.name = "林" + honour.worker.name
        honour.worker.save()
    # The scope, the people, and one query per kind of record (two for a many-to-many).
    budget = 3 + 2 * len(referring_relations(clerk))
    with django_assert_max_num_queries(budget):
        found = find_people(user=clerk, term="林")
    assert len(found.people) == LIMIT and found.more
    assert all(any(a.model_name == "honour" for a in p.appearances) for p in found.people)


def test_a_term_is_read_as_what_a_user_would_mean() -> None:
    assert read_term("1234")[0] == TermKind.TAIL
    assert read_term("123x")[0] == TermKind.TAIL
    assert read_term("330381********1234")[0] == TermKind.MASKED
    assert read_term("138****5678")[0] == TermKind.MASKED
    assert read_term("13800135678")[0] == TermKind.PHONE
    assert read_term("张三")[0] == TermKind.NAME
    assert read_term("33038119")[0] == TermKind.UNREADABLE  # a prefix is never searched
    assert read_term("")[0] == TermKind.UNREADABLE


@pytest.mark.django_db
def test_the_search_keys_follow_every_write_path(clerk: Any) -> None:
    worker = worker_in(RUIAN, phone="13800135678")
    assert (worker.id_last4, worker.phone_last4) == (worker.id_number[-4:], "5678")
    # An import's bulk update of the phone writes its key too (sheets/bulk.py).
    worker.phone = "13900131111"
    worker.derive_from_id_number()
    bulk.update([worker], ["phone"], user=clerk, reason="test")
    worker.refresh_from_db()
    assert worker.phone_last4 == "1111"
    assert worker.pk in found_pks(clerk, "1111")
    # An import's bulk insert carries them from the object.
    new = Worker(
        name="新人",
        id_number=factories.valid_id_number(RUIAN, 77),
        phone="13700002222",
        region=worker.region,
    )
    new.derive_from_id_number()
    bulk.insert([new], user=clerk, reason="test")
    assert Worker.objects.get(pk=new.pk).phone_last4 == "2222"
    assert new.pk in found_pks(clerk, new.id_number[-4:])


@pytest.mark.django_db
def test_a_lists_search_by_the_last_four_asks_the_indexed_column(clerk: Any, login: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    worker = worker_in(RUIAN, phone="13800135678")
    honour = factories.build(Honour, Region.objects.get(code=RUIAN), worker=worker)
    client = login(clerk)
    for url, expected in (
        (reverse("admin:workforce_worker_changelist"), worker.pk),
        (reverse("admin:workforce_honour_changelist"), honour.pk),
    ):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"q": worker.id_number[-4:]})
        assert expected in {obj.pk for obj in response.context["cl"].result_list}
        searched = " ".join(q["sql"] for q in captured.captured_queries)
        assert "id_last4" in searched and "LIKE '%" not in searched.replace('"', "'")
