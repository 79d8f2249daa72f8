"""A record that belongs to its worker's region (a certificate, an honour, a case, a grant …)
stores that region itself, and every write path keeps it in step: generated over every follower
model, so a new one is covered the day it is declared."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from base import following, scope
from base.models import FollowsRegion, Region
from sheets import bulk
from tests import factories
from workforce.models import SkillCertificate, Worker
from workforce.services import transfer_accept, transfer_start, worker_merge

pytestmark = pytest.mark.django_db

TANGXIA, ANYANG, YUEQING = "330381101", "330381001", "330382"
FOLLOWERS = [model for model, _name in following.followers()]


def label(model: type[models.Model]) -> str:
    return model._meta.label


def root_of(record: models.Model) -> models.Model:
    """The record at the start of the chain (a grant → its case → the worker)."""
    while isinstance(record, FollowsRegion):
        record = getattr(record, record.region_follows)
    return record


def regions(record: models.Model) -> tuple[str, str]:
    """(the record's stored region, its root record's region), both read from the database."""
    fresh = type(record)._default_manager.get(pk=record.pk)
    assert isinstance(fresh, FollowsRegion)
    return fresh.region_id, root_of(fresh).region_id  # type: ignore[attr-defined]


@pytest.fixture
def towns() -> dict[str, Region]:
    return {
        "tangxia": factories.town(TANGXIA, "塘下镇"),
        "anyang": factories.town(ANYANG, "安阳街道"),
        "yueqing": Region.objects.get(code=YUEQING),
    }


def test_every_record_scoped_through_another_record_stores_its_region() -> None:
    """A model whose scope runs through another record (a worker, a case) makes every scoped
    list and dashboard join through it; such a model must follow that record's region instead.
    A new model scoped through its worker fails here until it does."""
    joined = [
        label(model)
        for model in apps.get_models()
        if scope.is_scoped(model)
        and scope.scope_path(model).count("__") > 1
        # Staff accounts (a few thousand) are scoped through their profile, and never listed
        # by the million.
        and model is not get_user_model()
    ]
    assert joined == []
    assert {"workforce.SkillCertificate", "welfare.AssistanceGrant"} <= {
        label(model) for model in FOLLOWERS
    }


@pytest.mark.parametrize("model", FOLLOWERS, ids=label)
def test_a_new_record_takes_the_region_of_the_record_it_follows(
    model: type[models.Model], towns: dict[str, Region]
) -> None:
    record = factories.build(model, towns["tangxia"])
    assert regions(record) == (TANGXIA, TANGXIA)
    assert scope.region_code_of(record) == TANGXIA


# Many-to-many links kept as records of their own that follow a region (a session's Teaching):
# Django's `.add()` writes them with bulk_create, which never calls `save`.
LINKS_THROUGH_FOLLOWERS = [
    (model, field.name)
    for model in apps.get_models()
    for field in model._meta.local_many_to_many
    if issubclass(field.remote_field.through, FollowsRegion)  # type: ignore[arg-type]
]


@pytest.mark.parametrize(
    ("model", "name"), LINKS_THROUGH_FOLLOWERS, ids=lambda v: v if isinstance(v, str) else label(v)
)
def test_a_link_added_through_a_follower_takes_its_region(
    model: type[models.Model], name: str, towns: dict[str, Region]
) -> None:
    record = factories.build(model, towns["tangxia"])
    field: Any = model._meta.get_field(name)
    target = factories.build(field.related_model, towns["tangxia"])
    getattr(record, name).add(target)
    link = field.remote_field.through._default_manager.get()
    assert regions(link) == (TANGXIA, TANGXIA)
    assert following.out_of_step() == {}


@pytest.mark.parametrize("model", FOLLOWERS, ids=label)
def test_a_record_follows_when_its_worker_is_saved_in_another_region(
    model: type[models.Model], towns: dict[str, Region]
) -> None:
    record = factories.build(model, towns["tangxia"])
    root = root_of(record)
    root.region = towns["yueqing"]  # type: ignore[attr-defined]
    root.save()
    assert regions(record) == (YUEQING, YUEQING)
    assert following.out_of_step() == {}


@pytest.mark.parametrize("model", FOLLOWERS, ids=label)
def test_a_record_follows_when_an_import_moves_its_worker(
    model: type[models.Model], towns: dict[str, Region]
) -> None:
    """The import's bulk writer: a sheet that changes a worker's 所属地区."""
    record = factories.build(model, towns["tangxia"])
    root = root_of(record)
    root.region_id = YUEQING  # type: ignore[attr-defined]
    bulk.update([root], ["region"], user=None, reason="test")
    assert regions(record) == (YUEQING, YUEQING)
    assert following.out_of_step() == {}


@pytest.mark.parametrize("model", FOLLOWERS, ids=label)
def test_a_record_imported_takes_its_worker_s_region(
    model: type[models.Model], towns: dict[str, Region]
) -> None:
    """The import's bulk writer creating records that name only their worker's key."""
    record = factories.build(model, towns["anyang"])
    values: dict[str, Any] = {
        field.attname: getattr(record, field.attname)
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name != "region"
    }
    model._default_manager.filter(pk=record.pk).delete()
    copy = model(**values)
    bulk.insert([copy], user=None, reason="test")
    assert regions(copy) == (ANYANG, ANYANG)


WORKER_FOLLOWERS = [
    (model, name)
    for model, name in following.followers()
    if model._meta.get_field(name).related_model is Worker
]


@pytest.mark.parametrize(
    ("model", "name"), WORKER_FOLLOWERS, ids=[f"{label(m)}.{n}" for m, n in WORKER_FOLLOWERS]
)
def test_a_record_moved_by_a_merge_takes_the_kept_worker_s_region(
    model: type[models.Model], name: str, towns: dict[str, Region]
) -> None:
    """A merge moves the duplicate's records to the kept worker, in another town; the records
    following them (a case's grants and timeline) move with them."""
    record = factories.build(model, towns["tangxia"])
    duplicate = getattr(record, name)
    keep = factories.build(Worker, towns["anyang"], name=duplicate.name)
    dependants = [
        factories.build(follower, towns["tangxia"], **{followed: record})
        for follower, followed in following.followers_of(model)
    ]
    worker_merge(keep=keep, duplicate=duplicate, user=factories.superuser())
    for moved in [record, *dependants]:
        assert regions(moved) == (ANYANG, ANYANG)
    assert following.out_of_step() == {}


def test_a_county_s_certificate_list_shows_a_transferred_worker_s_certificates(
    client: Any, towns: dict[str, Region]
) -> None:
    """After a transfer is accepted, the receiving county's clerk finds the worker's
    certificates in the certificate list, and the county left behind no longer does."""
    certificate = factories.build(SkillCertificate, towns["tangxia"])
    worker = certificate.worker
    transfer = transfer_start(
        worker=worker,
        to_region=towns["yueqing"],
        user=factories.staff("ra_admin", "admin", "330381"),
    )
    transfer_accept(transfer=transfer, user=factories.staff("yq_admin", "admin", YUEQING))
    url = "/admin/workforce/skillcertificate/"
    for username, code, seen in (("yq_clerk", YUEQING, True), ("ra_clerk", "330381", False)):
        client.force_login(factories.staff(username, "clerk", code))
        page = client.get(url)
        assert page.status_code == 200
        assert (worker.name in page.content.decode()) is seen, username


def test_check_regions_finds_and_repairs_a_record_out_of_step(towns: dict[str, Region]) -> None:
    """A row changed behind the application's back (a manual UPDATE) is reported by name and put
    back in step by --repair; its grants and timeline follow."""
    from io import StringIO

    from django.core.management import CommandError, call_command

    from welfare.models import AssistanceGrant, HardshipCase

    grant = factories.build(AssistanceGrant, towns["tangxia"])
    HardshipCase.objects.filter(pk=grant.case_id).update(region_id=YUEQING)
    with pytest.raises(CommandError, match="困难职工档案"):
        call_command("check_regions")
    out = StringIO()
    call_command("check_regions", "--repair", stdout=out)
    assert "困难职工档案" in out.getvalue()
    assert regions(grant) == (TANGXIA, TANGXIA)
    assert following.out_of_step() == {}
