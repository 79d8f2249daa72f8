"""Import jobs belong to their owner and the owner's admins (issue #13, breaks 5 and 6): the job
page, its status, its error workbook, confirm and undo answer 404 to anyone else, as if the job
did not exist."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from base.roles import Role
from sheets.models import ImportJob, JobStatus
from tests import factories
from tests.sheetfiles import xlsx
from workforce.models import Worker

# The undo button asks first; this is the answer "yes".
CONFIRMED = {"confirmed": "yes"}

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "身份证号", "所属地区", "就业形态", "是否工会会员"]
ID_A = "330381197407119716"


def good_rows() -> list[list[str]]:
    return [["张三", factories.valid_id_number("330381", 7), "瑞安市", "快递员", "是"]]


def bad_rows() -> list[list[str]]:
    return [["李四", "330381197407119710", "瑞安市", "快递员", "是"]]  # wrong check digit


def upload(client, rows) -> ImportJob:
    data = xlsx([HEADER, *rows], title="职工名册")
    response = client.post(
        reverse("admin:workforce_worker_import"),
        {"file": SimpleUploadedFile("workers.xlsx", data)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.latest("pk")


@pytest.fixture
def people(login):
    users = {
        "admin": factories.staff("ra_admin", Role.ADMIN, "330381"),
        "clerk": factories.staff("ra_clerk", Role.CLERK, "330381"),
        "colleague": factories.staff("ra_clerk2", Role.CLERK, "330381"),
        "viewer": factories.staff("ra_viewer", Role.VIEWER, "330381"),
        "city_admin": factories.staff("wz_admin", Role.ADMIN, "330300"),
        "other_admin": factories.staff("yq_admin", Role.ADMIN, "330382"),
    }
    return {name: (user, login(user)) for name, user in users.items()}


def job_urls(job: ImportJob) -> dict[str, str]:
    return {
        view: reverse(f"admin:sheets_importjob_{view}", args=[job.pk])
        for view in ("change", "status", "errors")
    }


def test_a_clerk_or_viewer_cannot_download_an_admins_error_workbook(people):
    _admin, admin_client = people["admin"]
    job = upload(admin_client, bad_rows())
    assert job.status == JobStatus.FAILED
    assert admin_client.get(job_urls(job)["errors"]).status_code == 200
    for name in ("clerk", "viewer", "colleague"):
        _user, client = people[name]
        for view, url in job_urls(job).items():
            assert client.get(url).status_code == 404, (name, view)


def test_a_clerk_cannot_undo_an_admins_import(people):
    _admin, admin_client = people["admin"]
    job = upload(admin_client, good_rows())
    admin_client.post(reverse("admin:sheets_importjob_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    _clerk, clerk_client = people["clerk"]
    response = clerk_client.post(reverse("admin:sheets_importjob_undo", args=[job.pk]), CONFIRMED)
    assert response.status_code == 404
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert Worker.objects.filter(name="张三").exists()


def test_a_clerk_cannot_confirm_or_undo_a_colleagues_import(people):
    _colleague, colleague_client = people["colleague"]
    job = upload(colleague_client, good_rows())
    _clerk, clerk_client = people["clerk"]
    assert (
        clerk_client.post(reverse("admin:sheets_importjob_confirm", args=[job.pk])).status_code
        == 404
    )
    job.refresh_from_db()
    assert job.status == JobStatus.CHECKED
    assert not Worker.objects.filter(name="张三").exists()


def test_the_owners_admins_see_and_undo_a_clerks_import(people):
    _clerk, clerk_client = people["clerk"]
    job = upload(clerk_client, good_rows())
    clerk_client.post(reverse("admin:sheets_importjob_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    for name in ("admin", "city_admin"):
        _user, client = people[name]
        assert client.get(job_urls(job)["change"]).status_code == 200, name
    _other, other_client = people["other_admin"]
    assert other_client.get(job_urls(job)["change"]).status_code == 404
    assert (
        other_client.post(
            reverse("admin:sheets_importjob_undo", args=[job.pk]), CONFIRMED
        ).status_code
        == 404
    )
    _admin, admin_client = people["admin"]
    page = admin_client.get(job_urls(job)["change"]).content.decode()
    assert reverse("admin:sheets_importjob_undo", args=[job.pk]) in page
    admin_client.post(reverse("admin:sheets_importjob_undo", args=[job.pk]), CONFIRMED)
    job.refresh_from_db()
    assert job.status == JobStatus.UNDONE
    assert not Worker.objects.filter(name="张三").exists()


def test_the_import_log_lists_own_jobs_and_for_admins_their_scopes(people):
    _clerk, clerk_client = people["clerk"]
    _colleague, colleague_client = people["colleague"]
    mine = upload(clerk_client, bad_rows())
    theirs = upload(colleague_client, bad_rows())
    listed = clerk_client.get(reverse("admin:sheets_importjob_changelist")).context["cl"]
    assert {job.pk for job in listed.result_list} == {mine.pk}
    _admin, admin_client = people["admin"]
    listed = admin_client.get(reverse("admin:sheets_importjob_changelist")).context["cl"]
    assert {job.pk for job in listed.result_list} >= {mine.pk, theirs.pk}
