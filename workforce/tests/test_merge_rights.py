"""A merge moves every record of the duplicate onto the kept worker: the user must be able to
change each of them (role table and scope), or nothing moves and the refusal names nothing; each
moved record gets its history entry, a hardship case a line on its timeline.

Generated over `Worker._meta.related_objects`: a new kind of record pointing at a worker is
covered by the same rule, and by these tests, the day it is added.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from base.models import Region
from base.roles import Role, role_permissions
from tests import factories
from welfare.models import CaseEvent, CaseEventKind, HardshipCase
from workforce.models import Worker
from workforce.services import (
    merge_relations,
    transfer_accept,
    transfer_relations,
    transfer_start,
    worker_merge,
)

pytestmark = pytest.mark.django_db

COUNTY, OTHER_COUNTY = "330381", "330382"
RELATIONS = merge_relations()


def relation_id(relation: Any) -> str:
    return f"{relation.related_model._meta.label_lower}.{relation.field.name}"


@pytest.fixture
def town(ruian_towns: dict[str, Region]) -> Region:
    return ruian_towns["anyang"]


@pytest.fixture
def twins(town: Region) -> tuple[Worker, Worker]:
    keep = factories.build(Worker, town, name="郑建国")
    duplicate = factories.build(Worker, town, name="郑建国")
    return keep, duplicate


def record_of(relation: Any, worker: Worker, region: Region) -> Any:
    """One record pointing at `worker` along `relation` (a link, for many-to-many)."""
    model = relation.related_model
    if relation.many_to_many:
        owner = factories.build(model, region)
        getattr(owner, relation.field.name).add(worker)
        return owner
    return factories.build(model, region, **{relation.field.name: worker})


def points_at(record: Any, relation: Any, worker: Worker) -> bool:
    record = type(record)._default_manager.get(pk=record.pk)
    if relation.many_to_many:
        return getattr(record, relation.field.name).filter(pk=worker.pk).exists()
    return getattr(record, f"{relation.field.name}_id") == worker.pk


def may_change(role: Role, model: Any) -> bool:
    codename = f"change_{model._meta.model_name}"
    return any(
        p.codename == codename and p.content_type.app_label == model._meta.app_label
        for p in role_permissions(role)
    )


def test_every_relation_of_a_worker_is_moved_by_a_merge() -> None:
    # The merge walks the model's own relations: nothing to forget when one is added.
    assert {relation_id(r) for r in RELATIONS} == {
        relation_id(r) for r in Worker._meta.related_objects
    }


@pytest.mark.parametrize("relation", RELATIONS, ids=relation_id)
def test_a_merge_moves_a_record_only_for_a_user_who_may_change_it(
    relation: Any, twins: tuple[Worker, Worker], town: Region
) -> None:
    keep, duplicate = twins
    record = record_of(relation, duplicate, town)
    for role in (Role.VIEWER, Role.CLERK, Role.WELFARE):
        if role == Role.VIEWER or may_change(role, relation.related_model):
            continue
        user = factories.staff(f"county_{role}", role, COUNTY)
        with pytest.raises(PermissionDenied):
            worker_merge(keep=keep, duplicate=duplicate, user=user)
        assert Worker.objects.filter(pk=duplicate.pk).exists()
        assert points_at(record, relation, duplicate)

    admin_user = factories.staff("county_admin", Role.ADMIN, COUNTY)
    worker_merge(keep=keep, duplicate=duplicate, user=admin_user)
    assert not Worker.objects.filter(pk=duplicate.pk).exists()
    assert points_at(record, relation, keep)
    # Its history says who moved it, and why.
    entry = record.history.order_by("-history_id").first()
    assert entry.history_user_id == admin_user.pk
    assert "合并职工记录" in (entry.history_change_reason or "")


@pytest.mark.parametrize("relation", RELATIONS, ids=relation_id)
def test_a_merge_never_moves_a_record_of_another_county(
    relation: Any, twins: tuple[Worker, Worker], ruian_towns: dict[str, Region]
) -> None:
    """A record that points at the duplicate but lies in another county (a 乐清 visit with a 瑞安
    craftsman) is not the county admin's to rewrite."""
    if getattr(relation.related_model, "region_follows", None) == relation.field.name:
        pytest.skip("this record's region is its worker's: it is always in the merging county")
    keep, duplicate = twins
    record = record_of(relation, duplicate, ruian_towns["yueqing_town"])
    if relation.field.name in getattr(relation.related_model, "region_sources", ()):
        # A record that took its worker's region when received (a suggestion) stays there when
        # the worker moves: received in 乐清 before the worker came to 瑞安.
        type(record)._default_manager.filter(pk=record.pk).update(
            region=ruian_towns["yueqing_town"]
        )
    with pytest.raises(PermissionDenied):
        worker_merge(keep=keep, duplicate=duplicate, user=factories.staff("a", Role.ADMIN, COUNTY))
    assert points_at(record, relation, duplicate)


def test_a_clerk_cannot_move_a_hardship_case_and_is_not_told_it_exists(
    twins: tuple[Worker, Worker], ruian_towns: dict[str, Region]
) -> None:
    keep, duplicate = twins
    case = HardshipCase.objects.create(worker=duplicate, level="deep", causes=["illness"])
    clerk = factories.staff("county_clerk", Role.CLERK, COUNTY)
    with override("zh-hans"), pytest.raises(PermissionDenied) as refused:
        worker_merge(keep=keep, duplicate=duplicate, user=clerk)
    message = str(refused.value)
    assert "困难" not in message and "档案" not in message
    assert "权限更大的同事" in message
    case.refresh_from_db()
    assert case.worker == duplicate
    assert Worker.objects.filter(pk=duplicate.pk).exists()
    # A namesake without any hardship file merges as before: the refusal above was the case.
    other = factories.build(Worker, ruian_towns["anyang"], name="王小明")
    namesake = factories.build(Worker, ruian_towns["anyang"], name="王小明")
    worker_merge(keep=other, duplicate=namesake, user=clerk)
    assert not Worker.objects.filter(pk=namesake.pk).exists()


def test_the_admin_page_refuses_the_clerk_s_merge_with_the_same_message(
    twins: tuple[Worker, Worker], login: Any
) -> None:
    keep, duplicate = twins
    HardshipCase.objects.create(worker=duplicate, level="deep", causes=["illness"])
    client: Client = login(factories.staff("county_clerk", Role.CLERK, COUNTY))
    changelist = reverse("admin:workforce_worker_changelist")
    selection = {"action": "merge_workers", "_selected_action": [keep.pk, duplicate.pk]}
    answer = client.post(
        changelist, {**selection, "apply": "1", "keep": keep.pk}, follow=True
    ).content.decode()
    assert "权限更大的同事" in answer
    assert "困难职工" not in answer
    assert Worker.objects.filter(pk=duplicate.pk).exists()


def test_a_hardship_case_moved_by_a_merge_has_a_line_on_its_timeline(
    twins: tuple[Worker, Worker],
) -> None:
    keep, duplicate = twins
    case = HardshipCase.objects.create(worker=duplicate, level="deep", causes=["illness"])
    officer = factories.staff("county_welfare", Role.WELFARE, COUNTY)
    duplicate_pk = duplicate.pk
    worker_merge(keep=keep, duplicate=duplicate, user=officer)
    event = CaseEvent.objects.get(case=case, kind=CaseEventKind.MERGED)
    assert event.user == officer
    assert str(duplicate_pk) in event.note and str(keep.pk) in event.note
    assert event.from_status == event.to_status == case.status


# --- transfers take the worker's records to another county: the same rule ------------------

TRANSFER_RELATIONS = transfer_relations()


def test_a_transfer_takes_every_record_whose_region_is_its_worker_s() -> None:
    following = {
        relation_id(r)
        for r in Worker._meta.related_objects
        if not r.many_to_many and getattr(r.related_model, "region_follows", None) == r.field.name
    }
    assert {relation_id(r) for r in TRANSFER_RELATIONS} == following
    assert "welfare.hardshipcase.worker" in following


@pytest.mark.parametrize("relation", TRANSFER_RELATIONS, ids=relation_id)
def test_a_transfer_needs_the_right_to_change_every_record_it_takes_along(
    relation: Any, town: Region, ruian_towns: dict[str, Region]
) -> None:
    worker = factories.build(Worker, town, name="郑建国")
    record_of(relation, worker, town)
    destination = Region.objects.get(code=OTHER_COUNTY)
    for role in (Role.CLERK, Role.WELFARE):
        if may_change(role, relation.related_model):
            continue
        with pytest.raises(PermissionDenied):
            transfer_start(
                worker=worker,
                to_region=destination,
                user=factories.staff(f"s_{role}", role, COUNTY),
            )
    transfer = transfer_start(
        worker=worker, to_region=destination, user=factories.staff("s_admin", Role.ADMIN, COUNTY)
    )
    for role in (Role.CLERK, Role.WELFARE):
        if may_change(role, relation.related_model):
            continue
        with pytest.raises(PermissionDenied):
            transfer_accept(
                transfer=transfer, user=factories.staff(f"r_{role}", role, OTHER_COUNTY)
            )
    transfer_accept(transfer=transfer, user=factories.staff("r_admin", Role.ADMIN, OTHER_COUNTY))
    worker.refresh_from_db()
    assert worker.region.code.startswith(OTHER_COUNTY)


def test_a_clerk_cannot_send_a_worker_s_hardship_file_to_another_county(town: Region) -> None:
    worker = factories.build(Worker, town, name="郑建国")
    HardshipCase.objects.create(worker=worker, level="deep", causes=["illness"])
    destination = Region.objects.get(code=OTHER_COUNTY)
    with override("zh-hans"), pytest.raises(PermissionDenied) as refused:
        transfer_start(
            worker=worker, to_region=destination, user=factories.staff("c", Role.CLERK, COUNTY)
        )
    assert "权限更大的同事" in str(refused.value)
    assert "困难" not in str(refused.value)
