"""Where a dashboard number leads: the admin list filtered to exactly the records it counts.

Every indicator measured over rows of one source (`RowMeasure`: counts, distinct counts, sums)
links to that source's admin list with the `indicator` filter, which applies the catalogue's own
definition — the same Q as the number. A sum or a distinct count lists the rows it adds up (the
visits behind 参与劳模工匠, the certificates behind 技能人才). Measures built from other measures
(the highest-level craftsmen counts, shares) have no single list and no link.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from dashboards.catalogue import BY_KEY, SOURCES, RowMeasure


def link_for(key: str, region_code: str, year: int) -> str | None:
    indicator = BY_KEY.get(key)
    if indicator is None or indicator.source is None:
        return None
    if not isinstance(indicator.measure, RowMeasure):
        return None
    opts = SOURCES[indicator.source].model_class()._meta
    try:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    except NoReverseMatch:
        return None
    query = {"region": region_code, "indicator": key, "indicator_year": str(year)}
    return f"{url}?{urlencode(query)}"
