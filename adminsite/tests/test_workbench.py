"""工作台 (adminsite/workbench.py) and the site around it (adminsite/sites.py): what each role
finds on the page it lands on, the header, the table list and the person search page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from adminsite.sites import APP_ORDER
from audit.models import AccessKind, AccessLogEntry
from base.models import Region
from base.roles import Role
from programs.models import Target
from sheets.models import ImportJob, JobStatus
from tests import factories
from welfare.models import CaseStatus, HardshipCase
from workforce.models import Worker

RUIAN, YUEQING = "330381", "330382"
INDEX = reverse("admin:index")


def staff(role: Role, code: str = RUIAN, **names: str) -> Any:
    user = factories.staff(f"{role}_user", role, code)
    if names:
        for key, value in names.items():
            setattr(user, key, value)
        user.save()
    return user


def page(client: Any, url: str = INDEX, **query: str) -> tuple[Any, str]:
    response = client.get(url, query)
    assert response.status_code == 200
    return response, response.content.decode()


@pytest.mark.django_db
def test_the_header_names_the_user_and_their_region(login: Any) -> None:
    client = login(staff(Role.CLERK, last_name="林", first_name="晓梅"))
    _response, html = page(client)
    assert "林晓梅" in html and "（瑞安市）" in html
    assert "clerk_user" not in html.split("</header>")[0]


@pytest.mark.django_db
def test_a_clerk_lands_on_their_jobs_figures_and_own_recent_imports(login: Any) -> None:
    clerk = staff(Role.CLERK)
    region = Region.objects.get(code=RUIAN)
    Target.objects.create(
        region=region, year=timezone.localdate().year, indicator="workers", value=10
    )
    factories.build(Worker, region)
    colleague: Any = factories.staff("colleague", Role.CLERK, RUIAN)
    mine = ImportJob.objects.create(user=clerk, region=region, resource="workers", file_name="我的名册.xlsx",
                                    sha256="0" * 64, data=b"", status=JobStatus.DONE)  # fmt: skip
    ImportJob.objects.create(user=colleague, region=region, resource="workers", file_name="同事的.xlsx",
                             sha256="0" * 64, data=b"", status=JobStatus.DONE)  # fmt: skip
    response, html = page(login(clerk))
    context = response.context
    assert context["kind"] == "clerk"
    labels = [job["label"] for job in context["jobs"]]
    assert labels[:3] == ["导入表格", "下载模板", "新增职工"]
    assert reverse("admin:workforce_worker_add") in html
    assert [t["label"] for t in context["tables"]][:2] == ["职工名册", "劳模工匠名册"]
    card = next(c for c in context["figures"]["cards"] if str(c["label"]) == "在册职工")
    assert (card["shown"], card["target"], card["completion"]) == ("1人", "10人", 10)
    assert [job.pk for job in context["imports"]] == [mine.pk]
    assert "我的名册.xlsx" in html and "同事的.xlsx" not in html
    # Hardship files are not a clerk's: neither their list nor the job to file one.
    assert context["due"]["reviews"] is None and "困难职工" not in html


@pytest.mark.django_db
def test_a_welfare_officer_lands_on_the_cases_due_for_review(login: Any) -> None:
    region = Region.objects.get(code=RUIAN)
    long_ago = datetime.date(2020, 1, 1)
    due = factories.build(HardshipCase, region, status=CaseStatus.FILED, filed_on=long_ago)
    elsewhere = factories.build(
        HardshipCase, Region.objects.get(code=YUEQING), status=CaseStatus.FILED, filed_on=long_ago
    )
    response, html = page(login(staff(Role.WELFARE)))
    assert response.context["kind"] == "welfare"
    assert [case.pk for case in response.context["due"]["reviews"]["rows"]] == [due.pk]
    assert reverse("admin:welfare_hardshipcase_change", args=[due.pk]) in html
    assert reverse("admin:welfare_hardshipcase_change", args=[elsewhere.pk]) not in html
    assert response.context["jobs"][0]["label"] == "新建困难职工档案"


@pytest.mark.django_db
def test_an_official_sees_the_sub_regions_behind_their_targets_and_those_changed(
    login: Any, ruian_towns: dict[str, Region]
) -> None:
    year = timezone.localdate().year
    behind, on_track = ruian_towns["anyang"], ruian_towns["tangxia"]
    Target.objects.create(region=behind, year=year, indicator="workers", value=4)
    Target.objects.create(region=on_track, year=year, indicator="workers", value=1)
    factories.build(Worker, behind)
    factories.build(Worker, on_track)
    ImportJob.objects.create(user=None, region=on_track, resource="workers", file_name="a.xlsx",
                             sha256="0" * 64, data=b"", status=JobStatus.DONE, created=3,
                             updated=2, finished_at=timezone.now())  # fmt: skip
    response, html = page(login(staff(Role.VIEWER)))
    figures = response.context["figures"]
    assert [(row["name"], row["rate"]) for row in figures["behind"]] == [("安阳街道", 25)]
    assert reverse("dashboards:region", args=[behind.code]) in html
    assert [(row["name"], row["rows"]) for row in response.context["changed"]] == [("塘下镇", 5)]
    # A viewer changes nothing: the only job offered is reading the import log.
    assert [job["label"] for job in response.context["jobs"]] == ["导入记录"]


@pytest.mark.django_db
def test_the_full_table_list_is_one_click_away_in_the_domains_order(login: Any) -> None:
    client = login(staff(Role.CLERK))
    _response, html = page(client)
    assert reverse("admin:tables") in html
    response, _html = page(client, reverse("admin:tables"))
    labels = [app["app_label"] for app in response.context["app_list"]]
    assert labels[0] == "workforce"
    assert labels == sorted(
        labels,
        key=lambda label: (
            label not in APP_ORDER,
            APP_ORDER.index(label) if label in APP_ORDER else 0,
        ),
    )
    assert labels.index("workforce") < labels.index("base")


@pytest.mark.django_db
def test_the_search_page_lists_the_person_with_links_and_logs_a_confirmed_number(
    login: Any,
) -> None:
    clerk = staff(Role.CLERK)
    worker = factories.build(Worker, Region.objects.get(code=RUIAN))
    client = login(clerk)
    _response, html = page(client, reverse("admin:find_person"), q=worker.id_number[-4:])
    assert reverse("admin:workforce_worker_change", args=[worker.pk]) in html
    assert worker.id_number not in html
    assert not AccessLogEntry.objects.exists()
    page(client, reverse("admin:find_person"), q=worker.id_number)
    entry = AccessLogEntry.objects.get()
    assert (entry.kind, entry.user_id, entry.full_numbers) == (AccessKind.SEARCH, clerk.pk, False)


@pytest.mark.django_db
def test_an_admin_seeing_full_numbers_in_the_results_is_logged(login: Any) -> None:
    worker = factories.build(Worker, Region.objects.get(code=RUIAN))
    client = login(staff(Role.ADMIN))
    _response, html = page(client, reverse("admin:find_person"), q=worker.id_number[-4:])
    assert worker.id_number in html
    assert AccessLogEntry.objects.get().full_numbers


@pytest.mark.django_db
def test_the_search_box_sits_in_the_header_of_every_page(login: Any) -> None:
    client = login(staff(Role.CLERK))
    for url in (INDEX, reverse("admin:workforce_worker_changelist"), reverse("todo")):
        _response, html = page(client, url)
        header = html.split("</header>")[0]
        assert reverse("admin:find_person") in header, url
