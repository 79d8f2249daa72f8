"""The admin offers each user only what they may use: actions, lifecycle states, and a search
box that says what it searches — for every registered admin and every role."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from adminsite.mixins import NEWEST_PER_REGION, REASON_FIELD, ScopedAdmin, search_hint
from base.models import Region
from base.roles import COUNSELLOR_ONLY_MODELS, Role
from base.steps import WORKFLOWS, step_allowed
from tests import factories
from welfare.models import HardshipCase
from workforce.models import Worker

pytestmark = pytest.mark.django_db

COUNTY, TOWN = "330381", "330381101"
ADMINS = [
    (model, model_admin)
    for model, model_admin in admin.site._registry.items()
    if model._meta.app_label != "django_tasks_database"
]


def request_as(user, path="/admin/"):
    request = RequestFactory().get(path)
    request.user = user
    return request


def role_users(ruian_towns):
    users = {f"{role} (county)": factories.staff(f"c_{role}", role, COUNTY) for role in Role}
    users |= {f"{role} (town)": factories.staff(f"t_{role}", role, TOWN) for role in Role}
    return users


def test_every_list_offers_each_role_only_the_actions_it_may_take(ruian_towns):
    failures = []
    for who, user in role_users(ruian_towns).items():
        request = request_as(user)
        for model, model_admin in ADMINS:
            if not model_admin.has_view_permission(request):
                continue
            for name, (function, _name, _label) in model_admin.get_actions(request).items():
                steps = getattr(function, "steps", ())
                perms = getattr(function, "allowed_permissions", ())
                if steps:
                    may = any(step_allowed(user, step) for step in steps)
                elif perms:
                    may = all(getattr(model_admin, f"has_{p}_permission")(request) for p in perms)
                else:
                    may = model_admin.has_change_permission(request)
                if not may:
                    failures.append(f"{who} is offered {model._meta.label}.{name}")
                if who.startswith(Role.VIEWER):
                    failures.append(f"a viewer is offered {model._meta.label}.{name}")
    assert not failures, "\n".join(failures)


def test_a_viewer_is_not_offered_merge_and_a_county_clerk_is(ruian_towns, login):
    url = reverse("admin:workforce_worker_changelist")
    viewer = login(factories.staff("viewer", Role.VIEWER, COUNTY)).get(url).content.decode()
    clerk = login(factories.staff("clerk", Role.CLERK, COUNTY)).get(url).content.decode()
    town = login(factories.staff("town_clerk", Role.CLERK, TOWN)).get(url).content.decode()
    merge = "merge_workers"
    assert merge not in viewer and 'name="action"' not in viewer
    assert merge in clerk
    assert merge not in town  # a merge is a county's step


def test_every_new_record_form_offers_only_the_states_a_record_may_be_created_in(ruian_towns):
    checked = 0
    for who, user in role_users(ruian_towns).items():
        request = request_as(user)
        for workflow in WORKFLOWS:
            if workflow.state_field is None:
                continue
            model = next(m for m, _a in ADMINS if m._meta.label == workflow.model)
            model_admin = admin.site._registry[model]
            if not model_admin.has_add_permission(request):
                continue
            form = model_admin.get_form(request, None)()
            if workflow.state_field not in form.fields:
                continue
            offered = {value for value, _label in form.fields[workflow.state_field].choices}
            offered.discard("")
            allowed = {
                state
                for state in workflow.states() - workflow.terminal
                if step_allowed(user, workflow.step_into(state).step)
            }
            assert offered == allowed, (who, workflow.name, offered)
            assert not offered & workflow.terminal, (who, workflow.name)
            checked += 1
    assert checked, "no new-record form with a state was found"


def test_a_new_hardship_case_cannot_be_entered_closed(ruian_towns, login):
    officer = factories.staff("officer", Role.WELFARE, COUNTY)
    worker = factories.build(Worker, Region.objects.get(code=COUNTY))
    client = login(officer)
    page = client.get(reverse("admin:welfare_hardshipcase_add"))
    choices = dict(page.context["adminform"].form.fields["status"].choices)
    assert "已解困" not in choices.values() and "不予建档" not in choices.values()
    assert "已建档" in choices.values()  # an old file, with its filing date
    response = client.post(
        reverse("admin:welfare_hardshipcase_add"),
        {
            "worker": worker.pk, "level": "relative", "causes": ["illness"],
            "source": "grassroots", "status": "closed", "filed_on": "2023-01-01",
            "closed_on": "2024-01-01", "reason": "已就业",
            "grants-TOTAL_FORMS": "0", "grants-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    assert "status" in response.context["adminform"].form.errors
    assert not HardshipCase.objects.exists()


def test_every_searchable_list_says_what_its_box_searches(ruian_towns):
    clerk = factories.staff("clerk", Role.CLERK, COUNTY)
    for model, model_admin in ADMINS:
        fields = model_admin.get_search_fields(request_as(clerk))
        if fields:
            assert search_hint(model, fields, clerk), model._meta.label


def test_the_worker_search_hint_tells_a_masked_user_what_they_may_type(ruian_towns, login):
    url = reverse("admin:workforce_worker_changelist")
    clerk = login(factories.staff("clerk", Role.CLERK, COUNTY)).get(url)
    boss = login(factories.staff("boss", Role.ADMIN, COUNTY)).get(url)
    assert clerk.context["cl"].search_help_text == (
        "可按姓名、身份证号（完整号码或后四位）、企业单位名称搜索。从开头输入即可，如姓名的前一两个字。"
    )
    assert "后四位" not in boss.context["cl"].search_help_text
    assert "身份证号" in boss.context["cl"].search_help_text


def test_the_reason_is_asked_on_edit_forms_only_of_those_who_may_edit(ruian_towns, login):
    worker = factories.build(Worker, Region.objects.get(code=COUNTY))
    url = reverse("admin:workforce_worker_change", args=[worker.pk])
    clerk = login(factories.staff("clerk", Role.CLERK, COUNTY)).get(url)
    viewer = login(factories.staff("viewer", Role.VIEWER, COUNTY)).get(url)
    assert REASON_FIELD in clerk.context["adminform"].form.fields
    assert REASON_FIELD not in viewer.context["adminform"].form.fields
    add = login(factories.staff("clerk2", Role.CLERK, COUNTY)).get(
        reverse("admin:workforce_worker_add")
    )
    assert REASON_FIELD not in add.context["adminform"].form.fields


@pytest.mark.parametrize(
    ("username", "role", "code", "params", "seen"),
    [
        ("county_clerk", Role.CLERK, COUNTY, {}, COUNTY),
        ("town_clerk", Role.CLERK, TOWN, {}, TOWN),
        ("city_admin", Role.ADMIN, "330300", {"region": COUNTY}, COUNTY),
        ("city_admin", Role.ADMIN, "330300", {}, "3303"),
    ],
    ids=["county scope", "town scope", "city narrowed to the county", "city"],
)
def test_every_page_of_a_list_shows_the_next_newest_records_across_the_towns_of_its_region(
    ruian_towns, login, monkeypatch, username, role, code, params, seen
):
    """However a list is narrowed (scope or region filter), page after page it shows the
    region's records newest first, the towns' and the county's own interleaved — however the
    pages are put together (a county's is read region by region and merged)."""
    from workforce.admin import SkillCertificateAdmin
    from workforce.models import SkillCertificate

    monkeypatch.setattr(SkillCertificateAdmin, "list_per_page", 2)
    county = Region.objects.get(code=COUNTY)
    places = [ruian_towns["tangxia"], ruian_towns["anyang"], county, ruian_towns["yueqing_town"]]
    made = [factories.build(SkillCertificate, place) for place in places * 2]
    client = login(factories.staff(username, role, code))
    url = reverse("admin:workforce_skillcertificate_changelist")
    shown: list[int] = []
    for page in range(1, 10):
        response = client.get(url, {**params, "p": page})
        if response.status_code != 200:
            break  # past the last page
        shown += [obj.pk for obj in response.context["cl"].result_list]
        if not response.context["cl"].multi_page:
            break  # one page holds them all (the admin then ignores the page number)
    assert shown == [obj.pk for obj in reversed(made) if obj.region_id.startswith(seen)]


REGION_LISTS = [
    (model, model_admin)
    for model, model_admin in ADMINS
    if isinstance(model_admin, ScopedAdmin)
    and model._meta.app_label in ("workforce", "training", "welfare", "programs")
    and getattr(model, "scope_path", None) == "region__code"
]


@pytest.mark.parametrize(
    ("model", "model_admin"), REGION_LISTS, ids=[m._meta.label for m, _a in REGION_LISTS]
)
def test_every_region_list_pages_a_county_newest_first(
    ruian_towns, login, monkeypatch, model, model_admin
):
    """Every list scoped by a region column of its own, read region by region for a county:
    one record a page, the county's and its towns' interleaved newest first, none missing."""
    monkeypatch.setattr(type(model_admin), "list_per_page", 1)
    county = Region.objects.get(code=COUNTY)
    places = [ruian_towns["tangxia"], county, ruian_towns["anyang"]]
    made = [factories.build(model, place) for place in places]
    # The bookings of 台工心港 open to the counsellor role alone.
    role = Role.COUNSELLOR if model._meta.label_lower in COUNSELLOR_ONLY_MODELS else Role.ADMIN
    client = login(factories.staff("county_user", role, COUNTY))
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    shown = []
    for page in range(1, 5):
        response = client.get(url, {"p": page})
        if response.status_code != 200:
            break
        changelist = response.context["cl"]
        # Read from each region's index, not by walking the province's newest rows.
        assert getattr(changelist.queryset, NEWEST_PER_REGION, None) is not None
        shown += [obj.pk for obj in changelist.result_list]
    expected = sorted(
        (obj.pk for obj in model._default_manager.filter(region__code__startswith=COUNTY)),
        reverse=True,
    )
    assert shown == expected
    assert {obj.pk for obj in made} <= set(shown)
