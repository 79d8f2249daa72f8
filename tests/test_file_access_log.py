"""Every file that takes personal data out is logged (issue #13, break 9), proven for every sheet
type of the registry and every role: an export, and an error workbook.

What a file holds is read from the file itself — the full ID and phone numbers of the people on
record, or their masks — never from the code under test, so a new sheet type is covered the day
it is registered and fails here if its files leave unlogged.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AccessKind, AccessLogEntry
from base.identity import mask_id_number, mask_phone, personal_fields
from base.models import Region
from base.roles import RESTRICTED_MODELS, Role
from sheets.models import ImportJob
from sheets.resources import all_resources
from sheets.selectors import can_import
from tests import factories
from tests.sheetfiles import xlsx
from workforce.models import Worker

pytestmark = pytest.mark.django_db

COUNTY = "330381"
PHONE = "13857712345"
RESOURCES = sorted(all_resources())


def cells(content: bytes) -> set[str]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return {
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    }


def what_it_holds(content: bytes) -> tuple[bool, bool]:
    """(full numbers, any personal number at all) among the file's cells."""
    full: set[str] = set()
    for model in apps.get_models():  # workers, and anyone else on record with a number
        for field in personal_fields(model):
            # ID and phone numbers; the birth date is revealed and masked with the ID number.
            values = model._default_manager.values_list(field, flat=True)
            full |= {value for value in values if value and isinstance(value, str)}
    masked = {mask_id_number(n) for n in full if len(n) == 18} | {
        mask_phone(n) for n in full if len(n) != 18
    }
    found = cells(content)
    return bool(found & full), bool(found & (full | masked))


def entries_after(before: int) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.order_by("pk")[before:])


def may_view(user: Any, model: Any) -> bool:
    return user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")


@pytest.mark.parametrize("name", RESOURCES)
def test_every_export_with_personal_data_is_logged_with_its_rows_and_whether_full(name, login):
    resource = all_resources()[name]
    model = resource.model
    county = Region.objects.get(code=COUNTY)
    if model is Region:
        factories.town(f"{COUNTY}001")
    else:
        record = factories.build(model, county)
        # The people a record may name (a studio's leader, a visit's expert) are named.
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Worker and field.null:
                setattr(record, field.name, factories.build(Worker, county))
        record.save()
    Worker.objects.update(phone=PHONE)
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_export")
    exported_by = 0
    for role in Role:
        user = factories.staff(f"{role}_exporter", role, COUNTY)
        if not may_view(user, model):
            continue
        before = AccessLogEntry.objects.count()
        response = login(user).get(url)
        assert response.status_code == 200, (name, role)
        exported_by += 1
        rows = sum(1 for _ in load_workbook(io.BytesIO(response.content)).active.iter_rows()) - 1
        full, personal = what_it_holds(response.content)
        logged = entries_after(before)
        if personal or opts.label_lower in RESTRICTED_MODELS:
            assert len(logged) == 1, f"{name} export by {role}: {len(logged)} log entries"
            entry = logged[0]
            assert (entry.kind, entry.rows, entry.full_numbers, entry.user_id) == (
                AccessKind.EXPORT,
                rows,
                full,
                user.pk,
            ), f"{name} export by {role}"
        else:
            assert logged == [], f"{name} export by {role} holds no personal data but was logged"
    assert exported_by, f"no role may export {name}"


def bad_sheet(resource: Any) -> bytes:
    """The sheet's own headers and one row that cannot import, holding full numbers in its
    personal-data columns."""
    header, row = [], []
    for serial, field in enumerate(resource.sheet_fields().values(), start=1):
        header.append(field.header)
        if field.personal == "id_number":
            row.append(factories.valid_id_number(COUNTY, 500 + serial))
        elif field.personal == "phone":
            row.append(PHONE)
        else:
            row.append("？" * 300)  # longer than any text column: refused
    return xlsx([header, row])


@pytest.mark.parametrize("name", RESOURCES)
def test_every_error_workbook_is_logged_with_whether_it_holds_full_numbers(name, login):
    resource = all_resources()[name]
    model = resource.model
    opts = model._meta
    import_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_import")
    downloaded_by = 0
    for role in Role:
        user = factories.staff(f"{role}_importer", role, COUNTY)
        if not can_import(user, resource):
            continue
        client = login(user)
        upload = SimpleUploadedFile(f"{name}.xlsx", bad_sheet(resource))
        assert client.post(import_url, {"file": upload}).status_code == 302
        job = ImportJob.objects.latest("pk")
        assert job.errors, f"{name}: the bad sheet imported"
        before = AccessLogEntry.objects.count()
        response = client.get(reverse("admin:sheets_importjob_errors", args=[job.pk]))
        assert response.status_code == 200, (name, role)
        downloaded_by += 1
        # The sheet's own ID numbers are people too (not on record): read them from the upload.
        typed = {v for v in cells(bad_sheet(resource)) if not v.startswith("？")} - {
            f.header for f in resource.sheet_fields().values()
        }
        found = cells(response.content)
        full = bool(found & typed)
        logged = entries_after(before)
        if full or opts.label_lower in RESTRICTED_MODELS:
            assert len(logged) == 1, f"{name} error workbook by {role}: {len(logged)} entries"
            entry = logged[0]
            assert (entry.kind, entry.full_numbers, entry.user_id) == (
                AccessKind.ERRORS,
                full,
                user.pk,
            ), f"{name} error workbook by {role}"
            if full:
                assert entry.rows == job.rows_total
        else:
            assert logged == [], f"{name} error workbook by {role} holds nothing personal"
    assert downloaded_by, f"no role may import {name}"
