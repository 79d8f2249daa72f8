"""Walks the admin registry: for every registered model and every role of a county, the admin
answers exactly as DESIGN.md §4 and the scope rule say. A model registered later is covered
without new test code; a model admin that does not apply the scope fails here."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests import factories
from workforce import scope
from workforce.admin_mixins import ReferenceAdmin, ScopedAdminMixin
from workforce.models import Region
from workforce.roles import DOMAIN_APPS, REFERENCE_MODELS, Role, _role_allows

OWN_COUNTY, OTHER_COUNTY = "330381", "330382"  # 瑞安市, 乐清市 (both 温州市)

# The account admin has its own tests (workforce/tests/test_admin.py).
MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in DOMAIN_APPS),
    key=lambda model: model._meta.label,
)
# Third-party admins (the task queue) are for superusers only.
SYSTEM_MODELS = sorted(
    (
        model
        for model in admin.site._registry
        if model._meta.app_label not in DOMAIN_APPS and model is not get_user_model()
    ),
    key=lambda model: model._meta.label,
)


def model_key(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def allowed(role: Role, model, action: str) -> bool:
    return _role_allows(role, model_key(model), f"{action}_{model._meta.model_name}")


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def record_in(model, county: str):
    if model is Region:
        return factories.town(f"{county}001")
    return factories.build(model, Region.objects.get(code=county))


@pytest.mark.parametrize("model", MODELS, ids=model_key)
def test_every_admin_applies_the_scope_or_is_a_reference_table(model):
    model_admin = admin.site._registry[model]
    if model_key(model) in REFERENCE_MODELS and model is not Region:
        assert isinstance(model_admin, ReferenceAdmin)
        assert not scope.is_scoped(model)
    else:
        assert scope.is_scoped(model), f"{model_key(model)} has no scope_path"
        assert isinstance(model_admin, ScopedAdminMixin), f"{model_key(model)} admin is not scoped"


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize("model", MODELS, ids=model_key)
def test_county_staff_see_exactly_their_scope(model, role, login):
    user = factories.staff(f"{role}_user", role, OWN_COUNTY)
    client = login(user)
    own, other = record_in(model, OWN_COUNTY), record_in(model, OTHER_COUNTY)
    scoped = scope.is_scoped(model)
    can_view, can_add, can_delete = (allowed(role, model, a) for a in ("view", "add", "delete"))

    listing = client.get(url(model, "changelist"))
    assert listing.status_code == (200 if can_view else 403)
    if can_view:
        listed = {obj.pk for obj in listing.context["cl"].result_list}
        assert own.pk in listed
        assert (other.pk in listed) is not scoped

    assert client.get(url(model, "change", own.pk)).status_code == (200 if can_view else 403)
    assert client.get(url(model, "history", own.pk)).status_code == (200 if can_view else 403)
    if scoped:
        for view in ("change", "history", "delete"):
            assert client.get(url(model, view, other.pk)).status_code in (403, 404), view
    if not can_delete:
        assert client.get(url(model, "delete", own.pk)).status_code == 403

    adding = client.get(url(model, "add"))
    assert adding.status_code == (200 if can_add else 403)
    if can_add:
        form = adding.context["adminform"].form
        for name, field in form.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None or not scope.is_scoped(queryset.model):
                continue
            offered = set(queryset.values_list("pk", flat=True))
            in_scope = set(
                scope.filter_for_user(queryset.model.objects.all(), user).values_list(
                    "pk", flat=True
                )
            )
            assert offered <= in_scope, f"{name} offers records of another region"


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=model_key)
def test_user_without_a_region_sees_no_records(model, login):
    record_in(model, OWN_COUNTY)
    user = factories.user_without_region()
    user.groups.add(*factories.role_groups(Role.ADMIN))
    response = login(user).get(url(model, "changelist"))
    assert response.status_code == 200
    if scope.is_scoped(model):
        assert list(response.context["cl"].result_list) == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize("model", SYSTEM_MODELS, ids=model_key)
def test_system_admins_are_closed_to_every_role(model, role, login):
    client = login(factories.staff(f"{role}_user", role, OWN_COUNTY))
    assert client.get(url(model, "changelist")).status_code == 403
