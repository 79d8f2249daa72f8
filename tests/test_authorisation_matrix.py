"""The generated authorisation matrix (tests/matrix.py): every URL the project serves, for each
of the five roles of one county, against a record of their own county and one of another."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import override_settings

from base.roles import Role
from tests import factories, matrix
from workforce.models import Worker

ENDPOINTS = matrix.endpoints()
# Third-party admins (the task queue) are for superusers only: one rule for all their URLs.
SYSTEM_APPS = {"django_tasks_database"}


def is_system(endpoint: matrix.Endpoint) -> bool:
    model_admin = matrix._model_admin_of(endpoint.callback)
    return model_admin is not None and model_admin.model._meta.app_label in SYSTEM_APPS


def test_every_url_is_classified():
    unknown = [e.label for e in ENDPOINTS if not is_system(e) and matrix.classify(e) is None]
    assert not unknown, f"URLs the authorisation matrix cannot classify: {unknown}"


@pytest.fixture(autouse=True)
def fresh_records():
    matrix.forget_records()
    yield
    matrix.forget_records()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "endpoint",
    [e for e in ENDPOINTS if not is_system(e) and matrix.classify(e)],
    ids=lambda e: e.label,
)
def test_each_role_gets_exactly_what_design_allows(endpoint, login):
    failures = []
    for role in Role:
        user = factories.staff(f"{role}_user", role, matrix.OWN_COUNTY)
        found = matrix.check(matrix.classify(endpoint), endpoint, role, user, login(user))
        failures += [f"{role}: {failure}" for failure in found]
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role), ids=str)
def test_system_admins_are_closed_to_every_role(role, login):
    client = login(factories.staff(f"{role}_user", role, matrix.OWN_COUNTY))
    for endpoint in (e for e in ENDPOINTS if is_system(e)):
        url = matrix.fill(endpoint.route, object_id=1)
        # Lists and forms refuse; an object URL says nothing either way (no such record).
        assert client.get(url).status_code in (302, 403, 404), url
        if "<" not in endpoint.route:
            assert client.get(url).status_code == 403, url


# --- the matrix itself catches a leak ----------------------------------------------------------

leaky_site = admin.AdminSite(name="matrix_admin")
leaky_site.register(Worker, admin.ModelAdmin)  # no scope: every county's workers
leaky_site.register(get_user_model())
urlpatterns = [__import__("django.urls", fromlist=["path"]).path("leaky/", leaky_site.urls)]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_an_unscoped_admin_fails_the_matrix(login):
    user = factories.staff("clerk_user", Role.CLERK, matrix.OWN_COUNTY)
    client = login(user)
    failures = []
    for endpoint in matrix.endpoints(__name__):
        rule = matrix.classify(endpoint)
        if rule is not None and rule.kind == "model" and rule.model is Worker:
            failures += matrix.check(rule, endpoint, Role.CLERK, user, client)
    assert any("lists a record of another county" in f for f in failures)
    assert any("another county): answered 200" in f for f in failures)
