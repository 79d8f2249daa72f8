"""Regions and staff profiles moved from the workforce app to base without touching a table: a
database migrated before the move keeps its rows, and the permissions and history entries that
point at their content types keep pointing at the same rows."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from base.models import Region

# The last migration of each app before the move (the move itself is base 0001, the apps'
# `*_region_in_base` and workforce 0008).
BEFORE_THE_MOVE = [
    ("workforce", "0007_person_name_label"),
    ("programs", "0004_target_dispatch_indicators"),
    ("training", "0001_initial"),
    ("welfare", "0004_person_name_label"),
    ("sheets", "0002_job_runner"),
    ("audit", "0002_append_only"),
    ("base", None),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([node for node in targets if node[1]]).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_database_from_before_the_move_keeps_its_regions_and_content_types():
    moved = ContentType.objects.get_for_model(Region)
    try:
        old_apps = migrate(BEFORE_THE_MOVE)
        old_region = old_apps.get_model("workforce", "Region")
        old_region.objects.create(code="330381199", name="迁移镇", level="town", parent_id="330381")
        content_type = old_apps.get_model("contenttypes", "ContentType")
        assert content_type.objects.get(pk=moved.pk).app_label == "workforce"
    finally:
        migrate(latest())
    ContentType.objects.clear_cache()
    assert ContentType.objects.get_for_model(Region).pk == moved.pk
    town = Region.objects.get(code="330381199")
    assert (town.name, town.parent_id) == ("迁移镇", "330381")


# The last migration of each app before records stored their worker's region.
BEFORE_FOLLOWING = [
    ("workforce", "0010_worker_search_keys"),
    ("training", "0002_region_in_base"),
    ("welfare", "0006_case_event_merged"),
    ("programs", "0006_target_indicator_by_key"),
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_records_written_before_they_stored_their_region_have_it_after_migrate():
    """An upgrade (or a restored backup) needs nothing but `migrate`: the certificates, cases
    and grants already there take their worker's region, grants through their case."""
    from base import following
    from tests import factories
    from welfare.models import AssistanceGrant
    from workforce.models import SkillCertificate

    factories.town("330381101", "塘下镇")
    try:
        old = migrate(BEFORE_FOLLOWING)
        worker = old.get_model("workforce", "Worker").objects.create(
            name="陈迁移",
            id_number=factories.valid_id_number("330381", 9001),
            region_id="330381101",
        )
        old.get_model("workforce", "SkillCertificate").objects.create(
            worker=worker, level=4, occupation="焊工", certified_on="2024-03-01"
        )
        case = old.get_model("welfare", "HardshipCase").objects.create(
            worker=worker, level="relative", causes=["illness"], status="filed",
            filed_on="2024-03-01",
        )  # fmt: skip
        old.get_model("welfare", "AssistanceGrant").objects.create(
            case=case, kind="living", amount="1000.00", granted_on="2024-04-01"
        )
    finally:
        migrate(latest())
    assert SkillCertificate.objects.get().region_id == "330381101"
    assert AssistanceGrant.objects.get().region_id == "330381101"
    assert following.out_of_step() == {}
