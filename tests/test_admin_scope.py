"""Walks the admin registry: every domain model's admin applies the scope (or is a reference
table), forms offer only in-scope choices, and a user without a region sees nothing. A model
registered later is covered without new test code. Every URL, for every role, is walked by the
authorisation matrix (test_authorisation_matrix.py)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from adminsite.mixins import ReferenceAdmin, ScopedAdminMixin
from base import scope
from base.models import Region
from base.roles import (
    COUNSELLOR_ONLY_MODELS,
    DOMAIN_APPS,
    PROVINCE_KEPT_MODELS,
    REFERENCE_MODELS,
    Role,
    _role_allows,
)
from tests import factories

OWN_COUNTY, OTHER_COUNTY = "330381", "330382"  # 瑞安市, 乐清市 (both 温州市)

# The account admin has its own tests (workforce/tests/test_admin.py).
MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in DOMAIN_APPS),
    key=lambda model: model._meta.label,
)


def model_key(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def allowed(role: Role, model, action: str) -> bool:
    """What the role may do in a county (the users here are all a county's)."""
    if model_key(model) in PROVINCE_KEPT_MODELS and action != "view":
        return False
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
@pytest.mark.parametrize("role", [Role.ADMIN, Role.WELFARE], ids=str)
@pytest.mark.parametrize("model", MODELS, ids=model_key)
def test_add_forms_offer_only_records_of_the_scope(model, role, login):
    """Pages and lists are walked by the authorisation matrix (test_authorisation_matrix.py);
    here, the choices a new record's form offers."""
    user = factories.staff(f"{role}_user", role, OWN_COUNTY)
    record_in(model, OWN_COUNTY), record_in(model, OTHER_COUNTY)
    adding = login(user).get(url(model, "add"))
    if not allowed(role, model, "add"):
        assert adding.status_code == 403
        return
    form = adding.context["adminform"].form
    for name, field in form.fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is None or not scope.is_scoped(queryset.model):
            continue
        offered = set(queryset.values_list("pk", flat=True))
        in_scope = set(
            scope.filter_for_user(queryset.model.objects.all(), user).values_list("pk", flat=True)
        )
        assert offered <= in_scope, f"{name} offers records of another region"


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=model_key)
def test_user_without_a_region_sees_no_records(model, login):
    record_in(model, OWN_COUNTY)
    user = factories.user_without_region()
    # The role that may read the list: the admin's, or for who booked a consultation the
    # counsellor's (no administrator opens the bookings).
    only = model._meta.label_lower in COUNSELLOR_ONLY_MODELS
    user.groups.add(*factories.role_groups(Role.COUNSELLOR if only else Role.ADMIN))
    response = login(user).get(url(model, "changelist"))
    assert response.status_code == 200
    if scope.is_scoped(model):
        assert list(response.context["cl"].result_list) == []
