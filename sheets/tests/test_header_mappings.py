"""Unknown headers mapped once: on the check page a header the sheet type does not know can be
given a meaning, kept for the user and sheet type, applied to their next import, cleared at will
— and never applied to anyone else's import."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from base.roles import Role
from sheets.models import HeaderMapping, ImportJob, JobStatus
from sheets.services import header_mapping_save
from tests import factories
from tests.sheetfiles import xlsx
from workforce.models import Worker

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "身份证号", "所属地区", "现从事工作"]
ROW = ["贺静峰", "330327197407119711", "苍南县", "叉车司机"]


def checked(client) -> tuple[ImportJob, str]:
    data = xlsx([HEADER, ROW])
    response = client.post(
        reverse("admin:workforce_worker_import"), {"file": SimpleUploadedFile("w.xlsx", data)}
    )
    return ImportJob.objects.latest("pk"), response["Location"]


@pytest.fixture
def clerk(login):
    return login(factories.staff("cn_clerk", Role.CLERK, "330327"))


def test_an_unknown_header_is_offered_a_column_and_the_choice_applies_now(clerk):
    job, location = checked(clerk)
    assert job.report["unknown_headers"] == ["现从事工作"]
    page = clerk.get(location).content.decode()
    assert 'name="map-现从事工作"' in page and ">职业(工种)</option>" in page
    # Columns the sheet already has are not offered again.
    assert ">姓名</option>" not in page
    response = clerk.post(
        reverse("admin:sheets_importjob_headers", args=[job.pk]), {"map-现从事工作": "occupation"}
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.CHECKED and job.report["mapped"] == {"现从事工作": "occupation"}
    clerk.post(reverse("admin:sheets_importjob_confirm", args=[job.pk]))
    assert Worker.objects.get().occupation == "叉车司机"


def test_the_next_import_of_the_same_user_uses_the_saved_choice(clerk):
    job, _location = checked(clerk)
    clerk.post(
        reverse("admin:sheets_importjob_headers", args=[job.pk]), {"map-现从事工作": "occupation"}
    )
    job, location = checked(clerk)
    assert job.report["mapped"] == {"现从事工作": "occupation"}
    assert "按上次的对应关系" in clerk.get(location).content.decode()


def test_one_users_mapping_never_applies_to_another_user(clerk, login):
    job, _location = checked(clerk)
    clerk.post(
        reverse("admin:sheets_importjob_headers", args=[job.pk]), {"map-现从事工作": "occupation"}
    )
    colleague = login(factories.staff("cn_clerk2", Role.CLERK, "330327"))
    job, location = checked(colleague)
    assert job.report["mapped"] == {} and job.report["unknown_headers"] == ["现从事工作"]
    assert "按上次的对应关系" not in colleague.get(location).content.decode()


def test_a_user_can_clear_their_saved_choices(clerk):
    job, _location = checked(clerk)
    clerk.post(
        reverse("admin:sheets_importjob_headers", args=[job.pk]), {"map-现从事工作": "occupation"}
    )
    job, _location = checked(clerk)
    clerk.post(reverse("admin:sheets_importjob_headers", args=[job.pk]), {"clear": "1"})
    assert not HeaderMapping.objects.exists()
    job.refresh_from_db()
    assert job.report["mapped"] == {} and job.report["unknown_headers"] == ["现从事工作"]


def test_only_a_column_of_the_sheet_type_can_be_chosen():
    user = factories.staff("cn_clerk", Role.CLERK, "330327")
    with pytest.raises(ValidationError):
        header_mapping_save(user=user, resource_name="workers", choices={"现从事工作": "password"})
    assert not HeaderMapping.objects.exists()


def test_another_users_job_cannot_be_remapped(clerk, login):
    job, _location = checked(clerk)
    colleague = login(factories.staff("cn_clerk2", Role.CLERK, "330327"))
    response = colleague.post(
        reverse("admin:sheets_importjob_headers", args=[job.pk]), {"map-现从事工作": "occupation"}
    )
    assert response.status_code == 404 and not HeaderMapping.objects.exists()
