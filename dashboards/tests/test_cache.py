"""Computed dashboards are cached until a counted record changes — by a form, a service or an
import — and never served stale after that."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import models

from base.models import Region
from dashboards import cache as dashboard_cache
from dashboards import dashboard
from dashboards.catalogue import SOURCES
from tests import factories
from tests.sheetfiles import xlsx
from workforce.models import Worker

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("local_cache"),
]


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


# --- kept per partition: a write recounts only the counties it touched -------------------------


@pytest.fixture
def recounted(monkeypatch):
    """The partitions counted from the records, call by call (each call one query per source)."""
    from dashboards import selectors

    calls: list[list[str]] = []
    original = selectors.code_values

    def spy(prefixes, years, **kwargs):
        calls.append(sorted(prefixes))
        return original(prefixes, years, **kwargs)

    monkeypatch.setattr(selectors, "code_values", spy)
    return calls


def figures(code: str) -> dict:
    region = Region.objects.get(code=code)
    return dashboard.build(region, 2025, with_charts=True)


PROVINCE, WENZHOU, RUIAN, YUEQING, HANGZHOU = "330000", "330300", "330381", "330382", "330100"
TANGXIA, ANYANG = "330381101", "330381001"  # towns of 瑞安


def test_a_write_in_one_town_is_counted_by_its_county_city_and_province_on_the_next_request(
    recounted, django_capture_on_commit_callbacks
):
    before = {code: figures(code) for code in (PROVINCE, WENZHOU, RUIAN, YUEQING)}
    recounted.clear()
    with django_capture_on_commit_callbacks(execute=True):
        factories.build(Worker, factories.town(TANGXIA, "塘下镇"))

    after = {code: figures(code) for code in (PROVINCE, WENZHOU, RUIAN, YUEQING)}

    for code in (PROVINCE, WENZHOU, RUIAN):
        assert after[code]["indicators"]["workers"] == before[code]["indicators"]["workers"] + 1
        assert after[code]["trend"]["series"]["workers"][-1] == after[code]["indicators"]["workers"]
    assert after[YUEQING] == before[YUEQING]
    # Only 瑞安's records were counted again, once, for all three dashboards; 乐清's dashboard
    # was not computed at all.
    assert recounted == [[RUIAN]]


def test_a_later_write_in_the_same_county_recounts_only_the_town_written(
    recounted, django_capture_on_commit_callbacks
):
    from dashboards import selectors

    tangxia, anyang = factories.town(TANGXIA, "塘下镇"), factories.town(ANYANG, "安阳街道")
    figures(PROVINCE)
    with django_capture_on_commit_callbacks(execute=True):
        factories.build(Worker, tangxia)
    figures(PROVINCE)  # the county's first write of the day: 瑞安 counted whole, town by town
    recounted.clear()

    with django_capture_on_commit_callbacks(execute=True):
        factories.build(Worker, anyang)
        factories.build(Worker, anyang)

    assert recounted == []  # nothing is counted before someone asks
    for code in (PROVINCE, WENZHOU, RUIAN, ANYANG):
        region = Region.objects.get(code=code)
        assert figures(code)["indicators"] == selectors.indicators_for(region, 2025), code
    by_town = {row["code"]: row["indicators"]["workers"] for row in figures(RUIAN)["children"]}
    assert (by_town[TANGXIA], by_town[ANYANG]) == (1, 2)
    assert recounted == [[ANYANG]]


def test_a_transfer_recounts_the_county_it_leaves_and_the_one_it_joins(
    recounted, django_capture_on_commit_callbacks
):
    from workforce.services import transfer_accept, transfer_start

    ruian, yueqing = Region.objects.get(code=RUIAN), Region.objects.get(code=YUEQING)
    with django_capture_on_commit_callbacks(execute=True):
        worker = factories.build(Worker, ruian)
    before = {code: figures(code)["indicators"]["workers"] for code in (RUIAN, YUEQING, WENZHOU)}
    recounted.clear()
    with django_capture_on_commit_callbacks(execute=True):
        transfer = transfer_start(
            worker=worker, to_region=yueqing, user=factories.staff("ra_admin", "admin", RUIAN)
        )
    with django_capture_on_commit_callbacks(execute=True):
        transfer_accept(transfer=transfer, user=factories.staff("yq_admin", "admin", YUEQING))

    after = {code: figures(code)["indicators"]["workers"] for code in (RUIAN, YUEQING, WENZHOU)}
    assert after == {
        RUIAN: before[RUIAN] - 1,
        YUEQING: before[YUEQING] + 1,
        WENZHOU: before[WENZHOU],
    }
    assert sorted(p for call in recounted for p in call) == [RUIAN, YUEQING]


def test_an_import_recounts_only_the_counties_of_its_rows(
    recounted, django_capture_on_commit_callbacks
):
    from sheets.services import sheet_import
    from tests.factories import valid_id_number

    before = {code: figures(code)["indicators"]["workers"] for code in (RUIAN, HANGZHOU)}
    recounted.clear()
    rows = [["职工姓名", "公民身份号码", "县(市、区)"]]
    rows += [[f"职工{i}", valid_id_number(RUIAN, i), "瑞安市"] for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        report, _changes = sheet_import(
            resource_name="workers",
            data=xlsx(rows),
            file_name="w.xlsx",
            user=factories.superuser(),
            dry_run=False,
        )
    assert report.created == 3, report.errors

    after = {code: figures(code)["indicators"]["workers"] for code in (RUIAN, HANGZHOU)}
    assert after == {RUIAN: before[RUIAN] + 3, HANGZHOU: before[HANGZHOU]}
    assert recounted == [[RUIAN]]


def test_a_token_lost_from_the_cache_recounts_and_never_brings_back_older_figures(
    django_capture_on_commit_callbacks,
):

    before = figures(WENZHOU)["indicators"]["workers"]
    with django_capture_on_commit_callbacks(execute=True):
        factories.build(Worker, Region.objects.get(code=RUIAN))
    # Culled, or the cache emptied of its tokens: a new token, never the first one again.
    cache.delete_many(
        [
            dashboard_cache.GLOBAL_KEY,
            dashboard_cache.partition_token(RUIAN),
            dashboard_cache.region_token(RUIAN),
        ]
    )
    assert figures(WENZHOU)["indicators"]["workers"] == before + 1


def test_a_record_kept_at_a_city_itself_is_counted_by_the_city_and_the_province(
    django_capture_on_commit_callbacks,
):
    before = {code: figures(code) for code in (PROVINCE, WENZHOU)}
    with django_capture_on_commit_callbacks(execute=True):
        factories.build(Worker, Region.objects.get(code=WENZHOU))
    after = {code: figures(code) for code in (PROVINCE, WENZHOU)}
    for code in (PROVINCE, WENZHOU):
        assert after[code]["indicators"]["workers"] == before[code]["indicators"]["workers"] + 1
    own_level = after[WENZHOU]["children"][-1]
    assert own_level["own_level"] and own_level["indicators"]["workers"] == 1


@pytest.mark.parametrize("source", sorted(SOURCES), ids=str)
def test_every_counted_record_tells_which_county_it_touched_when_saved_moved_and_deleted(
    source, monkeypatch, django_capture_on_commit_callbacks
):
    """Every source table of the catalogue, whatever the path from its rows to their region
    (their own region, their worker's, their case's worker's): a new record, a record moved to
    another county and a deleted record each recount exactly the regions involved."""

    invalidated: list[set[str] | None] = []
    monkeypatch.setattr(dashboard_cache, "invalidate", invalidated.append)
    model = SOURCES[source].model_class()
    ruian, yueqing = factories.town(TANGXIA, "塘下镇"), Region.objects.get(code=YUEQING)

    # Reference tables it needs (an honour's title) are written first: a write to one of those
    # recounts everything, which is not what this test is about.
    references = {
        field.name: factories.build(field.related_model, ruian)
        for field in model._meta.concrete_fields
        if field.is_relation
        and not field.null
        and isinstance(field.related_model, type)
        and field.related_model is not Region
        and dashboard_cache._region_path(field.related_model) is None
    }
    dashboard_cache._flush()  # as if those had been committed on their own
    invalidated.clear()
    with django_capture_on_commit_callbacks(execute=True):
        record = factories.build(model, ruian, **references)
    assert invalidated == [{TANGXIA}], "a new record"

    # Moved: its own region changed, or the record it counts through is another county's.
    # A record that follows its worker's (its case's) region moves with that record.
    # A record that takes its region from whichever of several records it names (a suggestion
    # from a worker or a union) moves when that record is another county's.
    named = [n for n in getattr(model, "region_sources", ()) if getattr(record, f"{n}_id")]
    first = (
        next(iter(named), None)
        or getattr(model, "region_follows", None)
        or SOURCES[source].region_path.split("__")[0]
    )
    related = model._meta.get_field(first).related_model
    assert isinstance(related, type)
    if related is Region:
        # 乐清 itself, or one of its towns for a record kept only at a town (a 产改协调小组).
        field = model._meta.get_field(first)
        assert isinstance(field, models.ForeignKey)
        destination = factories.region_that_fits(field, yueqing)
        moved_to = destination.code
    else:
        destination, moved_to = factories.build(related, yueqing), YUEQING
    invalidated.clear()
    with django_capture_on_commit_callbacks(execute=True):
        setattr(record, first, destination)
        record.save()
    assert invalidated == [{TANGXIA, moved_to}], "a moved record"

    invalidated.clear()
    with django_capture_on_commit_callbacks(execute=True):
        type(record)._default_manager.filter(pk=record.pk).delete()
    assert invalidated == [{moved_to}], "a deleted record"
