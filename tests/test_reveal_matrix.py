"""The generated "what it reveals" matrix (tests/reveal.py): every URL the project serves,
rendered as each of the five roles of one county with records of their own county and of
another, searched for what the role must not learn."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.test import override_settings
from django.urls import path

from base.roles import Role
from tests import factories, matrix, reveal
from tests.test_authorisation_matrix import ENDPOINTS, is_system
from welfare.models import CounsellingBooking
from workforce.models import Worker

CHECKED = [e for e in ENDPOINTS if not is_system(e) and matrix.classify(e)]


def test_every_url_is_classified_for_what_it_reveals():
    # The same classification as the authorisation matrix: a new URL fails both until classified.
    unknown = [e.label for e in ENDPOINTS if not is_system(e) and matrix.classify(e) is None]
    assert not unknown, f"URLs the reveal matrix cannot classify: {unknown}"
    assert len(CHECKED) == len([e for e in ENDPOINTS if not is_system(e)])


@pytest.fixture(autouse=True)
def fresh_records():
    matrix.forget_records()
    yield
    matrix.forget_records()


def as_role(role: Role) -> tuple[Any, reveal.RecordingClient]:
    user: Any = factories.staff(f"{role}_user", role, matrix.OWN_COUNTY)
    client = reveal.RecordingClient()
    client.force_login(user)
    return user, client


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", CHECKED, ids=lambda e: e.label)
def test_no_page_reveals_what_the_role_may_not_learn(endpoint):
    failures = []
    for role in Role:
        user, client = as_role(role)
        found = reveal.check(matrix.classify(endpoint), endpoint, role, user, client)
        failures += [f"{role}: {failure}" for failure in found]
    assert not failures, "\n".join(failures)


# --- the matrix itself catches a leak ----------------------------------------------------------


class PlainWorkerAdmin(admin.ModelAdmin):
    """Scoped, but shows numbers as stored and searches them by prefix: what the matrix is for."""

    list_display = ("name", "id_number", "phone", "birth_date")
    search_fields = ("^id_number",)

    def get_queryset(self, request):
        from base import scope

        return scope.filter_for_user(super().get_queryset(request), request.user)


class BookingsForEveryoneAdmin(admin.ModelAdmin):
    """Scoped, but lets anyone with a login see who booked a consultation."""

    list_display = ("name", "phone", "id_number", "booked_for", "status")

    def get_queryset(self, request):
        from base import scope

        return scope.filter_for_user(super().get_queryset(request), request.user)

    def has_view_permission(self, request, obj=None):
        return True

    def has_module_permission(self, request):
        return True


leaky_site = admin.AdminSite(name="reveal_admin")
leaky_site.register(Worker, PlainWorkerAdmin)
leaky_site.register(CounsellingBooking, BookingsForEveryoneAdmin)
urlpatterns = [path("leaky/", leaky_site.urls)]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_page_showing_numbers_in_full_fails_the_matrix():
    user, client = as_role(Role.CLERK)
    own = matrix.record_in(Worker, matrix.OWN_COUNTY)
    client.get("/leaky/workforce/worker/", {"q": own.id_number[:10]})
    failures = reveal.scan(user, client.responses)
    assert any("the own county's workforce.Worker.id_number in full" in f for f in failures)
    assert any("the own county's workforce.Worker.phone in full" in f for f in failures)
    assert any("the birth date in workforce.Worker.id_number" in f for f in failures)


@pytest.mark.django_db
def test_the_matrix_knows_another_countys_numbers_and_the_hardship_types():
    user, _client = as_role(Role.CLERK)
    other = matrix.record_in(Worker, matrix.OTHER_COUNTY)
    secrets = reveal.secrets_for(user)
    assert other.id_number in secrets.words and other.phone in secrets.words
    assert "困难职工档案" in secrets.words and "在档困难职工" in reveal.dashboard_secrets(user)
    welfare, _client = as_role(Role.WELFARE)
    assert "困难职工档案" not in reveal.secrets_for(welfare).words


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize("role", [Role.ADMIN, Role.WELFARE, Role.VIEWER])
def test_a_page_showing_who_booked_fails_the_matrix(role):
    """Who booked a consultation is a secret for every role but the counsellor, of the own county
    too, whatever the role's full-number rights (an administrator's among them)."""
    user, client = as_role(role)
    booking = matrix.record_in(CounsellingBooking, matrix.OWN_COUNTY)
    page = client.get("/leaky/welfare/counsellingbooking/").content.decode()
    assert booking.name in page and booking.phone in page  # the leaky page shows them
    failures = reveal.scan(user, client.responses)
    assert any(f"who is in a welfare.CounsellingBooking: {booking.name}" in f for f in failures)


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_the_counsellor_may_see_its_own_countys_bookings_but_not_anothers():
    user, client = as_role(Role.COUNSELLOR)
    own = matrix.record_in(CounsellingBooking, matrix.OWN_COUNTY)
    other = matrix.record_in(CounsellingBooking, matrix.OTHER_COUNTY)
    secrets = reveal.secrets_for(user)
    assert own.phone not in secrets.words and own.name not in secrets.names
    assert other.phone in secrets.words and other.name in secrets.names
    client.get("/leaky/welfare/counsellingbooking/")
    assert not [f for f in reveal.scan(user, client.responses) if "CounsellingBooking" in f]


@pytest.mark.django_db
def test_every_role_but_the_counsellor_must_not_learn_who_booked():
    for role in (Role.ADMIN, Role.CLERK, Role.WELFARE, Role.VIEWER):
        user, _client = as_role(role)
        booking = matrix.record_in(CounsellingBooking, matrix.OWN_COUNTY)
        secrets = reveal.secrets_for(user)
        assert booking.name in secrets.names, role
        assert booking.phone in secrets.words and booking.id_number in secrets.words, role
