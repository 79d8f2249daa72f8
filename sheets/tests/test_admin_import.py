"""The admin's import, export, template, error workbook and undo, as a clerk uses them."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from base.models import Region
from base.roles import Role
from sheets.models import ImportJob, JobStatus
from tests import factories
from tests.sheetfiles import xlsx
from workforce.models import Worker

# The undo button asks first; this is the answer "yes".
CONFIRMED = {"confirmed": "yes"}

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "身份证号", "所属地区", "就业形态", "是否工会会员"]
ID_A, ID_B = "330327197407119711", "330327196403223752"


@pytest.fixture
def clerk(login):
    return login(factories.staff("cn_clerk", Role.CLERK, "330327"))


def upload(client, rows, name="workers.xlsx"):
    data = xlsx([HEADER, *rows], title="苍南县职工名册")
    response = client.post(
        reverse("admin:workforce_worker_import"), {"file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.latest("pk"), response["Location"]


def test_the_list_offers_import_template_and_export_to_a_clerk(clerk):
    content = clerk.get(reverse("admin:workforce_worker_changelist")).content.decode()
    for url in ("import", "template", "export"):
        assert reverse(f"admin:workforce_worker_{url}") in content


def test_a_viewer_gets_export_but_no_import(login):
    viewer = login(factories.staff("v", Role.VIEWER, "330327"))
    content = viewer.get(reverse("admin:workforce_worker_changelist")).content.decode()
    assert reverse("admin:workforce_worker_import") not in content
    assert viewer.get(reverse("admin:workforce_worker_import")).status_code == 403
    assert viewer.get(reverse("admin:workforce_worker_export")).status_code == 200


def test_the_template_has_the_headers_an_example_dropdowns_and_text_id_column(clerk):
    response = clerk.get(reverse("admin:workforce_worker_template"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["姓名*", "身份证号*", "手机号"]
    assert sheet.cell(row=2, column=2).value == "330381199001011230"
    assert sheet.cell(row=2, column=2).number_format == "@"
    ranges = " ".join(str(v.sqref) for v in sheet.data_validations.dataValidation)
    employment = headers.index("就业形态") + 1
    assert openpyxl.utils.get_column_letter(employment) in ranges


def test_upload_check_then_confirm(clerk):
    job, location = upload(
        clerk,
        [["贺静峰", ID_A, "苍南县", "快递员", "是"], ["付建一", ID_B, "苍南县", "外卖骑手", "否"]],
    )
    assert job.status == JobStatus.CHECKED and not Worker.objects.exists()
    page = clerk.get(location).content.decode()
    assert "贺静峰" in page and ID_A not in page  # the preview masks ID numbers
    # A real table: one column per sheet column, headed as the sheet heads it, choices as labels.
    assert '<th scope="col">就业形态</th>' in page and "<td>快递员</td>" in page
    assert "courier" not in page
    response = clerk.post(reverse("admin:sheets_importjob_confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.created, job.errors) == (JobStatus.DONE, 2, 0)
    assert Worker.objects.count() == 2


def test_a_bad_row_is_shown_with_row_column_and_reason_and_comes_back_red(clerk):
    job, location = upload(
        clerk,
        [
            ["贺静峰", ID_A, "苍南县", "快递员", "是"],
            ["付建一", "330327196403223753", "苍南县", "外卖骑手", "否"],
        ],
    )
    assert job.status == JobStatus.FAILED
    page = clerk.get(location).content.decode()
    assert "sheet-error" in page and "身份证号" in page
    response = clerk.get(reverse("admin:sheets_importjob_errors", args=[job.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header_row = 2  # the title row stays where the user put it
    headers = [cell.value for cell in sheet[header_row]]
    assert headers[-1] == "错误原因"
    bad = sheet.cell(row=4, column=2)
    assert bad.fill.start_color.rgb.endswith("FF9999")
    assert sheet.cell(row=4, column=len(headers)).value
    assert sheet.cell(row=3, column=len(headers)).value is None
    assert clerk.post(reverse("admin:sheets_importjob_confirm", args=[job.pk])).status_code == 403


def test_an_import_is_undone_unless_its_records_changed_since(clerk):
    job, _location = upload(clerk, [["贺静峰", ID_A, "苍南县", "快递员", "是"]])
    clerk.post(reverse("admin:sheets_importjob_confirm", args=[job.pk]))
    worker = Worker.objects.get()
    worker.occupation = "快递员"
    worker.save()
    clerk.post(reverse("admin:sheets_importjob_undo", args=[job.pk]), CONFIRMED)
    assert Worker.objects.exists()
    job2, _location = upload(
        clerk, [["付建一", ID_B, "苍南县", "外卖骑手", "否"]], name="second.xlsx"
    )
    clerk.post(reverse("admin:sheets_importjob_confirm", args=[job2.pk]))
    clerk.post(reverse("admin:sheets_importjob_undo", args=[job2.pk]), CONFIRMED)
    job2.refresh_from_db()
    assert job2.status == JobStatus.UNDONE
    assert not Worker.objects.filter(id_number=ID_B).exists()


def test_undo_asks_first_saying_what_it_will_delete(clerk):
    job, _location = upload(clerk, [["贺静峰", ID_A, "苍南县", "快递员", "是"]])
    clerk.post(reverse("admin:sheets_importjob_confirm", args=[job.pk]))
    url = reverse("admin:sheets_importjob_undo", args=[job.pk])
    asked = clerk.post(url)
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "本次导入新增的 1 条记录将被删除。" in page and "确定撤销本次导入" in page
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and Worker.objects.filter(id_number=ID_A).exists()
    clerk.post(url, CONFIRMED)
    job.refresh_from_db()
    assert job.status == JobStatus.UNDONE and not Worker.objects.filter(id_number=ID_A).exists()


def test_export_respects_the_filter_and_the_scope_and_masks_id_numbers(clerk):
    county = Region.objects.get(code="330327")
    mine = factories.build(
        Worker, county, name='=HYPERLINK("http://x")', id_number=ID_A, employment_form="courier"
    )
    factories.build(Worker, county, name="付建一", id_number=ID_B)
    factories.build(Worker, Region.objects.get(code="330381"), name="外县")
    response = clerk.get(
        reverse("admin:workforce_worker_export"), {"employment_form__exact": "courier"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("姓名", "身份证号", "手机号")
    assert len(rows) == 2
    assert rows[1][1] == "330327********9711"
    name_cell = sheet.cell(row=2, column=1)
    assert name_cell.data_type == "s" and name_cell.value == mine.name  # text, never a formula


def test_export_then_import_changes_nothing(login, tmp_path):
    admin = login(factories.staff("cn_admin", Role.ADMIN, "330327"))
    county = Region.objects.get(code="330327")
    factories.build(
        Worker,
        county,
        name="贺静峰",
        id_number=ID_A,
        phone="13857712345",
        union_member=True,
        union_joined_on="2018-01-01",
    )
    factories.build(Worker, county, name="付建一", id_number=ID_B, employment_form="food_delivery")
    exported = admin.get(reverse("admin:workforce_worker_export")).content
    response = admin.post(
        reverse("admin:workforce_worker_import"),
        {"file": SimpleUploadedFile("export.xlsx", exported)},
    )
    job = ImportJob.objects.latest("pk")
    assert response.status_code == 302
    assert (job.status, job.created, job.updated, job.skipped, job.errors) == (
        JobStatus.CHECKED,
        0,
        0,
        2,
        0,
    )


@override_settings(SHEETS_BACKGROUND_BYTES=10)
def test_a_large_file_runs_in_the_background_and_reports_progress(clerk):
    job, _location = upload(clerk, [["贺静峰", ID_A, "苍南县", "快递员", "是"]])
    status = clerk.get(reverse("admin:sheets_importjob_status", args=[job.pk])).json()
    assert status["finished"] and status["percent"] == 100 and status["status"] == "checked"


def test_a_clerk_cannot_see_another_countys_import_job(clerk, login):
    job, _location = upload(clerk, [["贺静峰", ID_A, "苍南县", "快递员", "是"]])
    other = login(factories.staff("ra_clerk", Role.CLERK, "330381"))
    assert other.get(reverse("admin:sheets_importjob_change", args=[job.pk])).status_code == 404
    assert other.get(reverse("admin:sheets_importjob_status", args=[job.pk])).status_code == 404
