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
