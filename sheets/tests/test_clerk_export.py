"""A clerk's own export goes back in: exported with ID and phone numbers masked for their role,
corrected in Excel, imported again through the admin — only the edited rows change, a masked
cell means "as the record holds it", and a masked cell that cannot be matched says why."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from base.models import Region
from base.roles import Role
from sheets.fields import RECORD_KEY_HEADER
from sheets.models import ImportJob, JobStatus
from sheets.resources import all_resources
from tests import factories
from workforce.models import Worker

pytestmark = pytest.mark.django_db

ID_A, ID_B, ID_C = "330327197407119711", "330327196403223752", "33032719700105644X"
NEW_ID = factories.valid_id_number("330327", 321, birth="19910203")


@pytest.fixture
def clerk(login: Any) -> Any:
    county = Region.objects.get(code="330327")
    for name, number, phone in (  # 赵杰国 has no phone on record
        ("贺静峰", ID_A, "13857712345"),
        ("付建一", ID_B, "13957712346"),
        ("赵杰国", ID_C, ""),
    ):
        factories.build(Worker, county, name=name, id_number=number, phone=phone)
    return login(factories.staff("cn_clerk", Role.CLERK, "330327"))


def export(client: Any) -> openpyxl.Workbook:
    response = client.get(reverse("admin:workforce_worker_export"))
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def columns(sheet: Any) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[1]}


def row_of(sheet: Any, name: str) -> int:
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == name)


def reimport(client: Any, workbook: openpyxl.Workbook) -> ImportJob:
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(
        reverse("admin:workforce_worker_import"),
        {"file": SimpleUploadedFile("职工名册-修改.xlsx", buffer.getvalue())},
    )
    assert response.status_code == 302
    job = ImportJob.objects.latest("pk")
    if job.status == JobStatus.CHECKED:
        client.post(reverse("admin:sheets_importjob_confirm", args=[job.pk]))
        job.refresh_from_db()
    return job


def errors(job: ImportJob) -> list[str]:
    return [f"{e['column']}: {e['message']}" for e in job.report["errors"]]


def test_the_export_is_masked_for_the_clerk_and_carries_a_protected_record_key(clerk):
    sheet = export(clerk).active
    at = columns(sheet)
    assert list(at)[-1] == RECORD_KEY_HEADER
    row = row_of(sheet, "贺静峰")
    assert sheet.cell(row, at["身份证号"]).value == "330327********9711"
    assert sheet.cell(row, at["手机号"]).value == "138****2345"
    worker = Worker.objects.get(id_number=ID_A)
    assert sheet.cell(row, at[RECORD_KEY_HEADER]).value == worker.pk
    # Only the key is locked (no password: a guard against typing over it); rows can still be
    # sorted, filtered, added and deleted.
    assert sheet.protection.sheet
    assert not sheet.protection.sort and not sheet.protection.insertRows
    assert sheet.cell(row, at[RECORD_KEY_HEADER]).protection.locked
    assert not sheet.cell(row, at["姓名"]).protection.locked
    assert not sheet.cell(row, at["身份证号"]).protection.locked


def test_edited_cells_update_only_their_rows_and_masked_ids_stay_untouched(clerk):
    workbook = export(clerk)
    sheet = workbook.active
    at = columns(sheet)
    sheet.cell(row_of(sheet, "付建一"), at["姓名"]).value = "付建二"
    sheet.cell(row_of(sheet, "赵杰国"), at["手机号"]).value = "13600001111"
    before = {w.pk: (w.id_number, w.phone, w.updated_at) for w in Worker.objects.all()}
    job = reimport(clerk, workbook)
    assert errors(job) == []
    assert (job.status, job.created, job.updated, job.skipped) == (JobStatus.DONE, 0, 2, 1)
    assert Worker.objects.count() == 3
    workers = {w.pk: w for w in Worker.objects.all()}
    for pk, (number, phone, _updated) in before.items():
        assert workers[pk].id_number == number  # never written from the masked cell
        if workers[pk].name != "赵杰国":
            assert workers[pk].phone == phone
    assert Worker.objects.get(id_number=ID_B).name == "付建二"
    assert Worker.objects.get(id_number=ID_C).phone == "13600001111"
    untouched = Worker.objects.get(id_number=ID_A)
    assert untouched.updated_at == before[untouched.pk][2]


def test_a_masked_cell_changed_to_a_new_full_id_changes_that_workers_id(clerk):
    workbook = export(clerk)
    sheet = workbook.active
    at = columns(sheet)
    sheet.cell(row_of(sheet, "贺静峰"), at["身份证号"]).value = NEW_ID
    pk = Worker.objects.get(id_number=ID_A).pk
    job = reimport(clerk, workbook)
    assert errors(job) == []
    assert (job.created, job.updated) == (0, 1)
    assert Worker.objects.get(pk=pk).id_number == NEW_ID  # the same worker, not a new one
    assert Worker.objects.count() == 3


@pytest.mark.parametrize(
    ("cell", "needle"),
    [
        ("330327197407119712", "校验"),  # a new ID is checked as any ID is
        (ID_B, "已属于另一条记录"),  # and may not be another worker's
    ],
)
def test_a_changed_id_is_checked_like_one(clerk, cell, needle):
    workbook = export(clerk)
    sheet = workbook.active
    at = columns(sheet)
    sheet.cell(row_of(sheet, "贺静峰"), at["身份证号"]).value = cell
    job = reimport(clerk, workbook)
    [message] = errors(job)
    assert message.startswith("身份证号") and needle in message
    assert Worker.objects.get(name="贺静峰").id_number == ID_A


def test_a_masked_id_without_the_record_key_says_to_keep_it(clerk):
    workbook = export(clerk)
    sheet = workbook.active
    at = columns(sheet)
    sheet.delete_cols(at[RECORD_KEY_HEADER])
    job = reimport(clerk, workbook)
    assert job.status == JobStatus.FAILED or job.errors == 3
    assert all("记录编号" in message and "打码" in message for message in errors(job))
    assert len(errors(job)) >= 3


def test_a_masked_id_whose_record_is_gone_or_outside_the_scope_says_so(clerk):
    other = factories.build(Worker, Region.objects.get(code="330381"), name="外县")
    workbook = export(clerk)
    sheet = workbook.active
    at = columns(sheet)
    gone = Worker.objects.get(id_number=ID_B)
    sheet.cell(row_of(sheet, "贺静峰"), at[RECORD_KEY_HEADER]).value = other.pk
    sheet.cell(row_of(sheet, "赵杰国"), at["身份证号"]).value = "330327********0000"
    gone.delete()
    job = reimport(clerk, workbook)
    messages = errors(job)
    assert len(messages) == 3
    assert sum("已被删除，或不在您的管辖范围内" in m for m in messages) == 2
    assert sum("不符" in m for m in messages) == 1
    assert Worker.objects.get(pk=other.pk).name == "外县"


def test_every_export_of_a_numbered_model_ends_with_the_record_key():
    for resource in all_resources().values():
        headers = [field.header for field in resource.sheet_fields().values()]
        if resource.model._meta.pk.name == "id":
            assert headers[-1] == RECORD_KEY_HEADER, resource.resource_name
        else:
            assert RECORD_KEY_HEADER not in headers  # regions: matched by their code
