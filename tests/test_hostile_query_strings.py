"""No query string answers 500: every list filter of every admin and every dashboard URL, sent
the numbers that broke them (`isdigit` accepts "²" and "٣", twenty digits overflow the database).

Generated from the admin registry and the URL configuration, so a new admin, filter or dashboard
page is covered the day it is added.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from base.querystring import query_int, query_year
from base.roles import Role
from tests import factories

OWN_COUNTY = "330381"
HOSTILE_NUMBERS = (
    "²",
    "٣",
    "99999999999999999999999",
    "-1",
    "1e5",
    " 12",
    "",
    "2024\x00",  # PostgreSQL refuses NUL in any text: a 500 before config.middleware
)
SYSTEM_APPS = {"django_tasks_database"}
MODEL_ADMINS = [
    model_admin
    for model, model_admin in admin.site._registry.items()
    if model._meta.app_label not in SYSTEM_APPS
]


@pytest.mark.parametrize(
    "raw",
    ["²", "٣", "²⁰²⁴", "99999999999999999999999", "-1", "+5", "1e5", " 12", "12 ", "1_0", "", None],
)
def test_query_numbers_accept_only_ascii_digits_within_range(raw: Any) -> None:
    assert query_int(raw, low=0, high=10**6) is None


def test_query_numbers_read_plain_digits_and_the_last_repeated_value() -> None:
    assert query_int("42", low=0, high=100) == 42
    assert query_year(["1990", "2024"]) == 2024
    assert query_year("2101") is None
    assert query_year("1948") is None


def _filter_parameters(model_admin: admin.ModelAdmin[Any], user: Any) -> list[str]:
    """Every query parameter the list's filters read, as the change list itself builds them."""
    request = RequestFactory().get("/")
    request.user = user
    changelist = model_admin.get_changelist_instance(request)
    names: list[str] = ["p"]  # the paginator's page number
    for spec in changelist.filter_specs:
        names += [name for name in spec.expected_parameters() if name]
    return names


@pytest.mark.django_db
@pytest.mark.parametrize("model_admin", MODEL_ADMINS, ids=lambda a: a.model._meta.label_lower)
def test_no_list_filter_value_answers_500(model_admin: admin.ModelAdmin[Any]) -> None:
    # The admin role sees every list of its scope; the filters are the same for every role.
    user = factories.staff("admin_user", Role.ADMIN, OWN_COUNTY)
    client = Client(raise_request_exception=False)
    client.force_login(user)  # type: ignore[arg-type]
    opts = model_admin.model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    parameters = _filter_parameters(model_admin, user)
    assert "p" in parameters
    failures = [
        f"?{name}={raw!r}"
        for name in parameters
        for raw in HOSTILE_NUMBERS
        if client.get(url, {name: raw}).status_code >= 500
    ]
    assert not failures, f"{url} answered 500 for {failures}"


@pytest.mark.django_db
def test_no_dashboard_year_answers_500(ruian_towns: Any) -> None:
    user = factories.staff("viewer_user", Role.VIEWER, OWN_COUNTY)
    client = Client(raise_request_exception=False)
    client.force_login(user)  # type: ignore[arg-type]
    pages = [
        reverse(f"dashboards:{name}", args=[OWN_COUNTY]) for name in ("region", "data", "export")
    ]
    failures = [
        f"{page}?year={raw!r}"
        for page in pages
        for raw in HOSTILE_NUMBERS
        # 200 with the default year; 400 for a NUL (config.middleware.RefuseNulMiddleware).
        if client.get(page, {"year": raw}).status_code != (400 if "\x00" in raw else 200)
    ]
    assert not failures, failures


@pytest.mark.django_db
def test_dashboard_reads_a_plain_year_and_ignores_a_superscript(ruian_towns: Any) -> None:
    user = factories.staff("viewer_user", Role.VIEWER, OWN_COUNTY)
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    url = reverse("dashboards:data", args=[OWN_COUNTY])
    plain = client.get(url, {"year": "2023"}).json()
    superscript = client.get(url, {"year": "²"}).json()
    assert plain["year"] == 2023
    assert superscript["year"] != 2


@pytest.mark.django_db
def test_a_nul_character_anywhere_in_the_address_is_a_bad_request(ruian_towns: Any) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(factories.staff("admin_user", Role.ADMIN, OWN_COUNTY))  # type: ignore[arg-type]
    worker_list = reverse("admin:workforce_worker_changelist")
    assert client.get(worker_list, {"region": "\x00"}).status_code == 400
    assert client.get(worker_list, {"q": "张\x00"}).status_code == 400
    assert client.get("/dashboards/%00/").status_code == 400
    assert client.get(worker_list, {"region": OWN_COUNTY}).status_code == 200
