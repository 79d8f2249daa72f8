"""Issue #13, breaks 1, 2, 3 and 8 and the weak points around them: what a page, a message or a
search reveals to a user who sees personal data masked, or who may not read hardship files.
The generated matrix (tests/test_reveal_matrix.py) covers every URL; these name each break."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AccessKind, AccessLogEntry
from base import identity
from base.models import Region
from base.roles import Role
from sheets.services import sheet_import
from tests import factories
from tests.sheetfiles import xlsx
from welfare.models import HardshipCase
from workforce.models import Honour, HonourTitle, Mentorship, Worker

pytestmark = pytest.mark.django_db

RUIAN, YUEQING = "330381", "330382"
OWN_ID = factories.valid_id_number(RUIAN, 755, birth="19980905")
OTHER_ID = factories.valid_id_number(YUEQING, 76, birth="19900307")
OWN_PHONE, OTHER_PHONE = "13812347557", "13987650764"


@pytest.fixture
def own_worker():
    return factories.build(
        Worker, Region.objects.get(code=RUIAN), name="张三", id_number=OWN_ID, phone=OWN_PHONE
    )


@pytest.fixture
def other_worker():
    return factories.build(
        Worker,
        Region.objects.get(code=YUEQING),
        name="王萍悦",
        id_number=OTHER_ID,
        phone=OTHER_PHONE,
    )


def as_role(login, role: Role, county: str = RUIAN):
    return login(factories.staff(f"{role}_{county}", role, county))


# --- break 1: the birth date is the hidden part of the ID number ---------------------------------


@pytest.mark.parametrize("role", [Role.CLERK, Role.WELFARE, Role.VIEWER])
def test_a_masked_worker_page_shows_the_birth_year_but_not_the_day(role, own_worker, login):
    page = as_role(login, role).get(reverse("admin:workforce_worker_change", args=[own_worker.pk]))
    content = page.content.decode()
    assert page.status_code == 200
    assert "330381********" in content
    assert "1998年9月5日" not in content and "1998-09-05" not in content
    assert "1998年（月、日已隐藏）" in content


def test_the_admin_role_sees_the_whole_birth_date(own_worker, login):
    page = as_role(login, Role.ADMIN).get(
        reverse("admin:workforce_worker_change", args=[own_worker.pk])
    )
    assert "1998年9月5日" in page.content.decode()


def test_the_birth_date_mask_keeps_the_year_only():
    import datetime

    assert identity.mask_birth_date(datetime.date(1998, 9, 5)) == "1998年（月、日已隐藏）"
    assert identity.mask_birth_date(None) == ""


# --- break 2: prefix searches spell out a hidden number ----------------------------------------


def listed(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return {obj.pk for obj in response.context["cl"].result_list}


def test_a_masked_search_by_id_prefix_finds_nothing(own_worker, login):
    clerk = as_role(login, Role.CLERK)
    url = reverse("admin:workforce_worker_changelist")
    for prefix in (OWN_ID[:10], OWN_ID[:14], OWN_ID[:17]):
        assert listed(clerk, url, q=prefix) == set(), prefix


def test_a_masked_search_takes_the_whole_number_or_the_last_four(own_worker, login):
    clerk = as_role(login, Role.CLERK)
    url = reverse("admin:workforce_worker_changelist")
    assert listed(clerk, url, q=OWN_ID) == {own_worker.pk}
    assert listed(clerk, url, q=OWN_ID[-4:]) == {own_worker.pk}
    assert listed(clerk, url, q="张三") == {own_worker.pk}


def test_a_masked_search_by_a_whole_number_is_in_the_access_log(own_worker, login):
    clerk = factories.staff("clerk", Role.CLERK, RUIAN)
    login(clerk).get(reverse("admin:workforce_worker_changelist"), {"q": OWN_ID})
    [entry] = AccessLogEntry.objects.filter(user=clerk)
    assert entry.kind == AccessKind.SEARCH and not entry.full_numbers
    # A last-four search shows nothing the mask does not: no entry.
    login(clerk).get(reverse("admin:workforce_worker_changelist"), {"q": OWN_ID[-4:]})
    assert AccessLogEntry.objects.filter(user=clerk).count() == 1


def test_the_admin_role_keeps_the_prefix_search(own_worker, login):
    boss = as_role(login, Role.ADMIN)
    assert listed(boss, reverse("admin:workforce_worker_changelist"), q=OWN_ID[:10]) == {
        own_worker.pk
    }


def test_autocomplete_by_id_prefix_offers_nothing_to_a_masked_user(own_worker, login):
    clerk = as_role(login, Role.CLERK)
    params = {"app_label": "workforce", "model_name": "honour", "field_name": "worker"}
    url = reverse("admin:autocomplete")
    prefix = clerk.get(url, {**params, "term": OWN_ID[:12]})
    assert prefix.status_code == 200 and prefix.json()["results"] == []
    tail = clerk.get(url, {**params, "term": OWN_ID[-4:]})
    assert [r["id"] for r in tail.json()["results"]] == [str(own_worker.pk)]


@pytest.mark.parametrize(
    "changelist, lookup, value",
    [
        ("admin:workforce_worker_changelist", "phone__startswith", OWN_PHONE[:5]),
        ("admin:workforce_worker_changelist", "id_number__startswith", OWN_ID[:10]),
        ("admin:workforce_worker_changelist", "id_number__gt", OWN_ID[:10]),
        ("admin:workforce_worker_changelist", "birth_date__month", "9"),
        ("admin:workforce_honour_changelist", "worker__id_number__startswith", OWN_ID[:10]),
        ("admin:workforce_honour_changelist", "worker__phone__startswith", OWN_PHONE[:5]),
    ],
)
def test_a_query_string_lookup_on_a_personal_field_is_refused_to_a_masked_user(
    changelist, lookup, value, own_worker, login
):
    Honour.objects.create(
        worker=own_worker, title=HonourTitle.objects.get(name="浙江工匠"), year=2023
    )
    url = reverse(changelist)
    refused = as_role(login, Role.CLERK).get(url, {lookup: value})
    assert refused.status_code == 400
    if "__" not in lookup.split("__", 1)[1] and not lookup.startswith("worker__"):
        # Django itself allows only a list filter's lookups across a relation, to anyone.
        assert as_role(login, Role.ADMIN).get(url, {lookup: value}).status_code == 200


# --- break 3 and the import's "404 like missing" -------------------------------------------------


def check_rows(user, resource_name, rows):
    report, _changes = sheet_import(
        resource_name=resource_name,
        data=xlsx(rows),
        file_name="check.xlsx",
        user=user,
        dry_run=True,
    )
    return report


@pytest.mark.parametrize("name", ["张三", "王萍悦"])
def test_an_honours_row_with_another_countys_id_names_nobody(name, other_worker):
    clerk = factories.staff("clerk", Role.CLERK, RUIAN)
    header = ["姓名", "身份证号", "所属地区", "荣誉称号", "授予年份"]
    report = check_rows(clerk, "honours", [header, [name, OTHER_ID, "瑞安市", "浙江工匠", 2023]])
    [error] = report.errors
    assert "王萍悦" not in error.message and "乐清" not in error.message
    assert "管辖范围以外" not in error.message
    assert error.message == str(identity.UNAVAILABLE_IN_REGION)


def test_an_honours_row_with_an_own_workers_id_and_another_name_still_says_whose(own_worker):
    clerk = factories.staff("clerk", Role.CLERK, RUIAN)
    header = ["姓名", "身份证号", "所属地区", "荣誉称号", "授予年份"]
    report = check_rows(clerk, "honours", [header, ["李四", OWN_ID, "瑞安市", "浙江工匠", 2023]])
    [error] = report.errors
    assert "张三" in error.message and OWN_ID not in error.message


def test_a_workers_row_with_another_countys_id_does_not_say_where_it_is(other_worker):
    clerk = factories.staff("clerk", Role.CLERK, RUIAN)
    header = ["姓名", "身份证号", "所属地区", "就业形态", "是否工会会员"]
    report = check_rows(clerk, "workers", [header, ["王萍悦", OTHER_ID, "瑞安市", "标准", "是"]])
    [error] = report.errors
    assert "管辖范围以外" not in error.message and "王萍悦" not in error.message
    assert error.message == str(identity.UNAVAILABLE_IN_REGION)


# --- the add form's "already exists" ------------------------------------------------------------


def add_worker(client, id_number):
    return client.post(
        reverse("admin:workforce_worker_add"),
        {
            "name": "新职工",
            "id_number": id_number,
            "region": RUIAN,
            "employment_form": "standard",
            "honour_set-TOTAL_FORMS": 0,
            "honour_set-INITIAL_FORMS": 0,
            "skillcertificate_set-TOTAL_FORMS": 0,
            "skillcertificate_set-INITIAL_FORMS": 0,
        },
    )


def test_adding_a_worker_with_another_countys_id_does_not_confirm_it_exists(other_worker, login):
    response = add_worker(as_role(login, Role.CLERK), OTHER_ID)
    content = response.content.decode()
    assert response.status_code == 200  # the form again, nothing saved
    assert "已存在" not in content
    assert "无法在您的地区登记" in content
    assert Worker.objects.filter(id_number=OTHER_ID).count() == 1


def test_adding_a_worker_twice_in_the_own_county_says_it_exists(own_worker, login):
    content = add_worker(as_role(login, Role.CLERK), OWN_ID).content.decode()
    assert "已存在" in content


# --- the import check's preview is masked, so it is not logged as full numbers -----------------


def test_an_import_check_preview_is_masked_and_not_logged_as_full_numbers(login):
    boss = factories.staff("boss", Role.ADMIN, RUIAN)
    rows = [["职工姓名", "公民身份号码", "县(市、区)"]]
    ids = [factories.valid_id_number(RUIAN, i) for i in range(3)]
    rows += [[f"职工{i}", id_number, "瑞安市"] for i, id_number in enumerate(ids)]
    upload = SimpleUploadedFile("w.xlsx", xlsx(rows))
    job_page = login(boss).post(
        reverse("admin:workforce_worker_import"), {"file": upload}, follow=True
    )
    content = job_page.content.decode()
    assert job_page.status_code == 200 and identity.mask_id_number(ids[0]) in content
    assert not any(id_number in content for id_number in ids)
    assert not AccessLogEntry.objects.filter(user=boss, full_numbers=True).exists()


# --- dashboards: no hardship figure for roles that may not read hardship files -------------------

HARDSHIP_LABELS = ("在档困难职工", "当年新建档", "越温暖")


@pytest.mark.parametrize("role", [Role.CLERK, Role.VIEWER])
def test_a_dashboard_shows_no_hardship_figure_to_a_role_without_hardship_rights(role, login):
    client = as_role(login, role)
    page = client.get(reverse("dashboards:region", args=[RUIAN])).content.decode()
    assert not any(label in page for label in HARDSHIP_LABELS)
    assert "/admin/welfare/hardshipcase/" not in page
    assert "/admin/welfare/dispatch/" not in page
    data = client.get(reverse("dashboards:data", args=[RUIAN])).json()
    assert "hardship_open" not in data["indicators"]
    assert "workers" in data["indicators"]
    book = load_workbook(io.BytesIO(client.get(reverse("dashboards:export", args=[RUIAN])).content))
    cells = " ".join(str(c) for s in book for row in s.iter_rows(values_only=True) for c in row)
    assert not any(label in cells for label in HARDSHIP_LABELS)


@pytest.mark.parametrize("role", [Role.WELFARE, Role.ADMIN])
def test_a_dashboard_shows_hardship_figures_with_their_lists_to_welfare_and_admin(role, login):
    client = as_role(login, role)
    page = client.get(reverse("dashboards:region", args=[RUIAN])).content.decode()
    assert "在档困难职工" in page and "/admin/welfare/hardshipcase/" in page
    assert (
        "hardship_open" in client.get(reverse("dashboards:data", args=[RUIAN])).json()["indicators"]
    )


# --- break 8: the delete page names no type the user may not read ------------------------------


def test_the_delete_page_does_not_tell_a_clerk_that_a_worker_has_a_hardship_file(own_worker, login):
    factories.build(HardshipCase, Region.objects.get(code=RUIAN), worker=own_worker)
    # Another worker, referred to only by a record of another county.
    second = factories.build(Worker, Region.objects.get(code=RUIAN))
    apprentice = factories.build(Worker, Region.objects.get(code=YUEQING))
    Mentorship.objects.create(master=second, apprentice=apprentice, started_on="2024-01-01")
    clerk = as_role(login, Role.CLERK)
    for worker in (own_worker, second):
        url = reverse("admin:workforce_worker_delete", args=[worker.pk])
        content = clerk.get(url).content.decode()
        assert "困难" not in content and "无权删除" not in content
        assert "1 条您无权查看的记录" in content
        clerk.post(url, {"post": "yes"})
        assert Worker.objects.filter(pk=worker.pk).exists()


def test_the_delete_page_names_a_hardship_file_to_the_welfare_officer(own_worker, login):
    factories.build(HardshipCase, Region.objects.get(code=RUIAN), worker=own_worker)
    url = reverse("admin:workforce_worker_delete", args=[own_worker.pk])
    assert "困难职工档案" in as_role(login, Role.WELFARE).get(url).content.decode()
