"""登记日期 and 离册日期: one rule (not leaving before being registered) for the admin's form, the
database and the workers sheet alike; and the targets sheet still takes an indicator's name as
officials write it, with its unit."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from base.models import Region
from programs.models import Target
from tests import factories
from tests.sheetfiles import write, xlsx
from workforce.models import Worker

pytestmark = pytest.mark.django_db

HEADER = ["姓名", "身份证号", "所属地区", "登记日期", "离册日期"]


def run(tmp_path, rows: list[list[object]], resource: str = "workers") -> tuple[int, str]:
    path = write(tmp_path, "sheet.xlsx", xlsx(rows))
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_sheet", resource, str(path), stdout=out, stderr=err)
        status = 0
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    return status, err.getvalue() + out.getvalue()


def test_a_worker_cannot_leave_the_register_before_being_registered():
    ruian = Region.objects.get(code="330381")
    worker = factories.build(Worker, ruian, registered_on=datetime.date(2024, 5, 1))
    worker.left_on = datetime.date(2024, 4, 30)
    with pytest.raises(ValidationError) as error:
        worker.full_clean()
    assert "left_on" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        worker.save()


def test_the_workers_sheet_sets_the_register_dates_and_refuses_them_reversed(tmp_path):
    status, output = run(
        tmp_path,
        [HEADER, ["陈建国", "330381199001011230", "瑞安市", "2021-03-01", "2024-06-30"]],
    )
    assert status == 0, output
    worker = Worker.objects.get(id_number="330381199001011230")
    assert (worker.registered_on, worker.left_on) == (
        datetime.date(2021, 3, 1),
        datetime.date(2024, 6, 30),
    )

    status, output = run(
        tmp_path,
        [HEADER, ["林晓燕", "330381199202021240", "瑞安市", "2024-06-30", "2021-03-01"]],
    )
    assert status == 1
    assert "离册日期不能早于登记日期" in output
    assert not Worker.objects.filter(id_number="330381199202021240").exists()


@pytest.mark.parametrize("name", ["培训班(期)", "培训班（期）", "培训班", "training_sessions"])
def test_a_target_names_its_indicator_with_or_without_the_unit(tmp_path, name):
    status, output = run(
        tmp_path,
        [["所属地区", "指标", "年份", "目标值"], ["瑞安市", name, 2025, 12]],
        resource="targets",
    )
    assert status == 0, output
    assert Target.objects.get(region_id="330381", year=2025).indicator == "training_sessions"
