"""Computed dashboards are cached until a counted record changes — by a form, a service or an
import — and never served stale after that."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings

from base.models import Region
from dashboards import dashboard
from tests import factories
from tests.sheetfiles import xlsx
from workforce.models import Worker

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("local_cache"),
]


@pytest.fixture
def local_cache():
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ):
        cache.clear()
        yield
        cache.clear()


def workers(region: Region) -> int:
    return dashboard.build(region, 2025)["indicators"]["workers"]


def test_a_second_view_reads_the_cache_without_queries(django_assert_num_queries):
    ruian = Region.objects.get(code="330381")
    workers(ruian)
    with django_assert_num_queries(0):
        workers(ruian)


def test_saving_a_record_refreshes_the_numbers(django_capture_on_commit_callbacks):
    ruian = Region.objects.get(code="330381")
    before = workers(ruian)
    with django_capture_on_commit_callbacks(execute=True):
        factories.build(Worker, ruian)
    assert workers(ruian) == before + 1


def test_deleting_a_record_refreshes_the_numbers(django_capture_on_commit_callbacks):
    ruian = Region.objects.get(code="330381")
    with django_capture_on_commit_callbacks(execute=True):
        worker = factories.build(Worker, ruian)
    before = workers(ruian)
    with django_capture_on_commit_callbacks(execute=True):
        worker.delete()
    assert workers(ruian) == before - 1


def test_an_import_refreshes_the_numbers(django_capture_on_commit_callbacks):
    from sheets.services import sheet_import
    from tests.factories import valid_id_number

    ruian = Region.objects.get(code="330381")
    before = workers(ruian)
    rows = [["职工姓名", "公民身份号码", "县(市、区)"]]
    rows += [[f"职工{i}", valid_id_number("330381", i), "瑞安市"] for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        report, _changes = sheet_import(
            resource_name="workers",
            data=xlsx(rows),
            file_name="w.xlsx",
            user=factories.superuser(),
            dry_run=False,
        )
    assert report.created == 3, report.errors
    assert workers(ruian) == before + 3


def test_a_write_that_rolls_back_keeps_the_cached_numbers(django_assert_num_queries):
    from django.db import transaction

    ruian = Region.objects.get(code="330381")
    before = workers(ruian)
    try:
        with transaction.atomic():
            factories.build(Worker, ruian)
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    with django_assert_num_queries(0):
        assert workers(ruian) == before
