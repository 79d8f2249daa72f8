"""Writes whose figures change in regions other than the written record's own.

The dashboards' cache recounts the regions a write touched (dashboards/cache.py): the region of
the record written. One indicator counts records of one region by records kept in another:
`above_scale_covered` counts an enterprise in its own region when an industry-wide wage
agreement lists it, and a city's agreement lists enterprises of its counties. So a write to an
agreement (its terms, its deletion, its list of enterprises, an import of agreements) also
touches the regions of the enterprises it lists; this module tells the cache so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models
from django.db.models.signals import m2m_changed, post_save, pre_delete

from dashboards import cache
from programs.models import WageAgreement
from sheets.signals import bulk_written
from workforce.models import Enterprise

LISTED = WageAgreement.covered_enterprises.through


def listed_regions(agreement_ids: Iterable[Any]) -> set[str]:
    """The regions of the enterprises the agreements list."""
    ids = sorted({pk for pk in agreement_ids if pk is not None})
    found: set[str] = set()
    for start in range(0, len(ids), cache.CHUNK):
        found.update(
            str(code)
            for code in LISTED.objects.filter(wageagreement_id__in=ids[start : start + cache.CHUNK])
            .values_list("enterprise__region_id", flat=True)
            .distinct()
        )
    return found


def _touch(codes: set[str]) -> None:
    if codes:
        cache.written(codes)


def _agreement_saved(sender: type[models.Model], instance: WageAgreement, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        _touch(listed_regions([instance.pk]))


def _agreement_deleted(sender: type[models.Model], instance: WageAgreement, **kwargs: Any) -> None:
    # Read before the rows of its list go with it (a cascade sends no m2m_changed).
    _touch(listed_regions([instance.pk]))


def _agreements_written(
    sender: type[models.Model], objects: Sequence[models.Model] | None = None, **kwargs: Any
) -> None:
    if objects is None:
        cache.written(None)
    else:
        _touch(listed_regions(obj.pk for obj in objects))


def _list_changed(
    sender: type[models.Model],
    instance: models.Model,
    action: str,
    reverse: bool,
    pk_set: set[Any] | None,
    **kwargs: Any,
) -> None:
    if reverse:  # an enterprise's agreements changed: the enterprise's own region
        if action.startswith("post_"):
            _touch({str(instance.region_id)} if isinstance(instance, Enterprise) else set())
        return
    if action == "pre_clear":  # the enterprises about to be taken off, while still listed
        _touch(listed_regions([instance.pk]))
    elif action in ("post_add", "post_remove") and pk_set:
        codes = Enterprise.objects.filter(pk__in=pk_set).values_list("region_id", flat=True)
        _touch({str(code) for code in codes.distinct()})


def connect() -> None:
    """Called once from DashboardsConfig.ready(), beside cache.connect()."""
    uid = "dashboards-coverage"
    post_save.connect(_agreement_saved, sender=WageAgreement, dispatch_uid=f"{uid}-save")
    pre_delete.connect(_agreement_deleted, sender=WageAgreement, dispatch_uid=f"{uid}-delete")
    bulk_written.connect(_agreements_written, sender=WageAgreement, dispatch_uid=f"{uid}-bulk")
    m2m_changed.connect(_list_changed, sender=LISTED, dispatch_uid=f"{uid}-list")
