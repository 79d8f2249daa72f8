"""import_sheet as the contract in docs/design.md §5 states it, with sheets built as staff build them."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from base.models import Region
from base.roles import Role
from programs.models import ServiceVisit
from tests import factories
from tests.sheetfiles import SAMPLES, csv_bytes, write, xls, xlsx
from welfare.models import HardshipCase, ServiceStation
from workforce.models import Enterprise, Honour, Worker

pytestmark = pytest.mark.django_db

WORKER_HEADER = [
    "序号",
    "职工姓名",
    "公民身份号码",
    "县(市、区)",
    "工作单位",
    "就业形态",
    "是否工会会员",
    "入会日期",
]
ID_A, ID_B, ID_C = "330327197407119711", "330327196403223752", "33032719700105644X"


def run(resource: str, path: Path, *args: str) -> tuple[int, list[str]]:
    """Run the command; returns its exit status and every printed line, stdout then stderr."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_sheet", resource, str(path), *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    lines = [line for line in (err.getvalue() + out.getvalue()).splitlines() if line.strip()]
    return status, lines


def table_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for app in ("workforce", "programs", "training", "welfare")
        for model in apps.get_app_config(app).get_models()
    }


def workers_file(tmp_path: Path, rows: list[list[object]], name: str = "workers.xlsx") -> Path:
    return write(
        tmp_path,
        name,
        xlsx(
            [WORKER_HEADER, *rows],
            title="苍南县新就业形态劳动者入会名册",
            note="注：身份证号码请设置为文本格式",
        ),
    )


@pytest.mark.parametrize(
    ("resource", "sample", "model", "count"),
    [
        ("workers", "workers_cangnan.xlsx", Worker, 40),
        ("hardship-cases", "hardship_xinchang.xlsx", HardshipCase, 12),
        ("service-visits", "service_visits_chunan.xlsx", ServiceVisit, 25),
        ("stations", "stations_qingtian.xlsx", ServiceStation, 15),
    ],
)
def test_every_sample_sheet_imports_as_is_and_twice_changes_nothing(resource, sample, model, count):
    status, lines = run(resource, SAMPLES / sample)
    assert status == 0, lines
    assert lines[-1] == f"created={count} updated=0 skipped=0 errors=0"
    assert model.objects.count() == count
    status, lines = run(resource, SAMPLES / sample)
    assert (status, lines[-1]) == (0, f"created=0 updated=0 skipped={count} errors=0")


def test_title_rows_notes_aliases_and_yes_no_spellings_are_understood(tmp_path):
    path = workers_file(
        tmp_path,
        [
            [1, "贺静峰", ID_A, "苍南县", None, "快递员", "是", "2018年1月"],
            [2, "付建一", ID_B, "苍南", None, "外卖骑手", "√", "2019/2/3"],
            [3, "赵杰国", ID_C.lower(), "温州市苍南县", None, "标准", "否", None],
        ],
    )
    status, lines = run("workers", path)
    assert status == 0, lines
    a, b, c = (Worker.objects.get(id_number=i) for i in (ID_A, ID_B, ID_C))
    assert (a.union_member, a.union_joined_on, a.employment_form) == (
        True,
        datetime.date(2018, 1, 1),
        "courier",
    )
    assert (b.union_joined_on, b.region_id) == (datetime.date(2019, 2, 3), "330327")
    assert (c.union_member, c.gender) == (False, "F")
    assert any("序号" in line for line in lines)  # the ignored column is reported


def test_a_boolean_that_is_not_yes_or_no_fails_the_row_instead_of_meaning_no(tmp_path):
    path = workers_file(tmp_path, [[1, "贺静峰", ID_A, "苍南县", None, "快递员", "也许", None]])
    status, lines = run("workers", path)
    assert status == 1
    assert lines[0].startswith("row 5, column 是否工会会员, cell G5:")
    assert lines[-1] == "created=0 updated=0 skipped=0 errors=1"


@pytest.mark.parametrize(
    ("cell", "needle"),
    [
        (330327197407119711, "文本"),  # typed as a number: Excel already lost the last digits
        ("330327197407119712", "校验"),  # check digit wrong
    ],
)
def test_id_numbers_typed_as_numbers_or_with_a_wrong_check_digit_are_refused(
    tmp_path, cell, needle
):
    path = workers_file(tmp_path, [[1, "贺静峰", cell, "苍南县", None, "快递员", "是", None]])
    before = table_counts()
    status, lines = run("workers", path)
    assert status == 1
    assert needle in lines[0] and "row 5" in lines[0]
    assert table_counts() == before


def test_one_bad_row_writes_nothing_and_lists_every_bad_row(tmp_path):
    path = workers_file(
        tmp_path,
        [
            [1, "贺静峰", ID_A, "苍南县", None, "快递员", "是", None],
            [2, "付建一", "330327196403223753", "苍南县", None, "外卖骑手", "否", None],
            [3, "赵杰国", ID_C, "火星县", None, "标准", "否", None],
        ],
    )
    before = table_counts()
    status, lines = run("workers", path)
    assert status == 1
    assert [line.split(",")[0] for line in lines[:2]] == ["row 6", "row 7"]
    assert lines[-1] == "created=0 updated=0 skipped=0 errors=2"
    assert table_counts() == before


def test_an_unknown_region_lists_candidates_and_an_ambiguous_one_asks_for_the_code(tmp_path):
    factories.town("330327100", "灵溪镇")
    factories.town("330382100", "城东街道")
    factories.town("330381100", "城东街道")
    path = workers_file(
        tmp_path,
        [
            [1, "贺静峰", ID_A, "苍南镇", None, "快递员", "是", None],
            [2, "付建一", ID_B, "城东街道", None, "快递员", "是", None],
        ],
    )
    status, lines = run("workers", path)
    assert status == 1
    assert "330327" in lines[0]  # 苍南县 offered as a candidate
    assert "乐清市城东街道" in lines[1] and "瑞安市城东街道" in lines[1]


def test_the_same_key_twice_in_one_file_names_both_rows(tmp_path):
    path = workers_file(
        tmp_path,
        [
            [1, "贺静峰", ID_A, "苍南县", None, "快递员", "是", None],
            [2, "贺静峰", ID_A, "苍南县", None, "外卖骑手", "是", None],
        ],
    )
    status, lines = run("workers", path)
    assert status == 1
    # Both rows are refused, each naming the other, at their ID number cells.
    assert lines[0].startswith("row 5, column 公民身份号码, cell C5:") and "第 6 行" in lines[0]
    assert lines[1].startswith("row 6, column 公民身份号码, cell C6:") and "第 5 行" in lines[1]


def test_a_row_outside_the_users_scope_is_a_row_error(tmp_path):
    factories.staff("cn_clerk", Role.CLERK, "330327")
    path = workers_file(
        tmp_path,
        [
            [1, "贺静峰", ID_A, "苍南县", None, "快递员", "是", None],
            [2, "付建一", ID_B, "瑞安市", None, "快递员", "是", None],
        ],
    )
    status, lines = run("workers", path, "--user", "cn_clerk")
    assert status == 1
    assert lines[0].startswith("row 6, column 所属地区") or "row 6" in lines[0]
    assert not Worker.objects.exists()


def test_a_viewer_may_not_import(tmp_path):
    factories.staff("viewer", Role.VIEWER, "330327")
    path = workers_file(tmp_path, [[1, "贺静峰", ID_A, "苍南县", None, "快递员", "是", None]])
    status, lines = run("workers", path, "--user", "viewer")
    assert status == 1
    assert lines[-1] == "created=0 updated=0 skipped=0 errors=1"


def test_a_dry_run_reports_the_same_and_writes_nothing(tmp_path):
    path = workers_file(tmp_path, [[1, "贺静峰", ID_A, "苍南县", None, "快递员", "是", None]])
    status, lines = run("workers", path, "--dry-run")
    assert (status, lines[-1]) == (0, "created=1 updated=0 skipped=0 errors=0")
    assert not Worker.objects.exists()


def test_a_corrected_file_updates_only_the_rows_that_changed(tmp_path):
    rows = [
        [1, "贺静峰", ID_A, "苍南县", None, "快递员", "是", None],
        [2, "付建一", ID_B, "苍南县", None, "外卖骑手", "否", None],
    ]
    run("workers", workers_file(tmp_path, rows))
    rows[1][5] = "网约车司机"
    status, lines = run("workers", workers_file(tmp_path, rows, "corrected.xlsx"))
    assert (status, lines[-1]) == (0, "created=0 updated=1 skipped=1 errors=0")
    assert Worker.objects.get(id_number=ID_B).employment_form == "ride_hailing"
    assert Worker.objects.get(id_number=ID_B).history.count() == 2  # the import is audited


def test_each_new_record_has_one_history_row_with_its_values_the_file_and_the_user(tmp_path):
    """On PostgreSQL the "+" history rows are copied from the rows just written; they say what
    the record held, who imported it and from which file, as a saved record's would."""
    clerk = factories.staff("cn_clerk", Role.CLERK, "330327")
    rows = [
        [1, "贺静峰", ID_A, "苍南县", "苍南县灵溪镇快递站", "快递员", "是", "2023年5月"],
        [2, "付建一", ID_B, "苍南县", None, "外卖骑手", "否", None],
    ]
    status, lines = run("workers", workers_file(tmp_path, rows), "--user", "cn_clerk")
    assert (status, lines[-1]) == (0, "created=2 updated=0 skipped=0 errors=0")
    for worker in Worker.objects.all():
        (entry,) = worker.history.all()
        assert entry.history_type == "+"
        assert entry.history_user_id == clerk.pk
        assert "workers.xlsx" in entry.history_change_reason
        for field in ("name", "id_number", "region_id", "enterprise_id", "employment_form"):
            assert getattr(entry, field) == getattr(worker, field), field
        assert (entry.union_member, entry.union_joined_on, entry.created_at) == (
            worker.union_member,
            worker.union_joined_on,
            worker.created_at,
        )
    (station,) = Enterprise.objects.all()
    assert station.history.get().history_type == "+"


def test_a_changed_record_keeps_its_creation_time_in_the_table_and_in_its_history(tmp_path):
    """The import compares without the records' timestamps and fetches them for the records it
    changes: the record and its new history row still carry when it was created."""
    rows = [
        [1, "贺静峰", ID_A, "苍南县", None, "快递员", "是", None],
        [2, "付建一", ID_B, "苍南县", None, "外卖骑手", "否", None],
    ]
    run("workers", workers_file(tmp_path, rows))
    created = datetime.datetime(2024, 3, 1, 8, 0, tzinfo=datetime.UTC)
    Worker.objects.filter(id_number=ID_B).update(created_at=created, updated_at=created)
    rows[1][5] = "网约车司机"
    status, lines = run("workers", workers_file(tmp_path, rows, "corrected.xlsx"))
    assert (status, lines[-1]) == (0, "created=0 updated=1 skipped=1 errors=0")
    worker = Worker.objects.get(id_number=ID_B)
    assert worker.created_at == created
    assert worker.updated_at > created
    latest = worker.history.order_by("-history_date", "-history_id").first()
    assert latest is not None
    assert (latest.history_type, latest.created_at) == ("~", created)
    assert latest.employment_form == "ride_hailing"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_files_in_utf8_and_gbk_import(tmp_path, encoding):
    rows = [["姓名", "身份证号", "所属地区", "是否工会会员"], ["贺静峰", ID_A, "苍南县", "是"]]
    status, lines = run("workers", write(tmp_path, "w.csv", csv_bytes(rows, encoding=encoding)))
    assert (status, lines[-1]) == (0, "created=1 updated=0 skipped=0 errors=0")
    assert Worker.objects.get().name == "贺静峰"


def test_legacy_xls_files_import(tmp_path):
    rows = [["姓名", "身份证号", "所属地区"], ["贺静峰", ID_A, "苍南县"]]
    status, lines = run("workers", write(tmp_path, "w.xls", xls(rows)))
    assert (status, lines[-1]) == (0, "created=1 updated=0 skipped=0 errors=0")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (datetime.datetime(2023, 5, 8), datetime.date(2023, 5, 8)),
        ("2023-05-08", datetime.date(2023, 5, 8)),
        ("2023/5/8", datetime.date(2023, 5, 8)),
        ("2023.5.8", datetime.date(2023, 5, 8)),
        ("2023年5月8日", datetime.date(2023, 5, 8)),
        ("2023年5月", datetime.date(2023, 5, 1)),
        ("2023", datetime.date(2023, 1, 1)),
    ],
)
def test_dates_in_every_usual_spelling(tmp_path, cell, expected):
    path = workers_file(tmp_path, [[1, "贺静峰", ID_A, "苍南县", None, "快递员", "是", cell]])
    status, lines = run("workers", path)
    assert status == 0, lines
    assert Worker.objects.get().union_joined_on == expected


def test_money_in_wan_yuan_is_multiplied_exactly(tmp_path):
    header = [
        "活动名称",
        "服务日期",
        "所属地区",
        "参与劳模工匠人数",
        "服务企业数",
        "经济效益（万元）",
    ]
    rows = [
        header,
        ["进淳安第1场", "2023年3月23日", "淳安县", 2, 1, "1.23456"],
        ["进淳安第2场", "2023-3-24", "淳安县", 2, 1, 0.1],
    ]
    status, lines = run("service-visits", write(tmp_path, "v.xlsx", xlsx(rows)))
    assert status == 0, lines
    benefits = dict(ServiceVisit.objects.values_list("title", "economic_benefit"))
    assert benefits == {"进淳安第1场": Decimal("12345.60"), "进淳安第2场": Decimal("1000.00")}


def test_a_missing_required_column_is_one_clear_error(tmp_path):
    rows = [["姓名", "所属地区"], ["贺静峰", "苍南县"]]
    before = table_counts()
    status, lines = run("workers", write(tmp_path, "w.xlsx", xlsx(rows)))
    assert status == 1
    assert "身份证号" in lines[0]
    assert table_counts() == before


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("broken.xlsx", xlsx([["姓名", "身份证号", "所属地区"]])[:300]),
        ("picture.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        ("report.pdf", b"%PDF-1.4"),
        ("empty.csv", b""),
    ],
)
def test_bad_files_exit_1_with_a_message_and_no_traceback(tmp_path, name, data):
    before = table_counts()
    status, lines = run("workers", write(tmp_path, name, data))
    assert status == 1
    assert not any("Traceback" in line for line in lines)
    assert len(lines) >= 2 and lines[-1] == "created=0 updated=0 skipped=0 errors=1"
    assert table_counts() == before


def test_an_unknown_resource_is_refused_with_the_list(tmp_path):
    status, lines = run("wokers", write(tmp_path, "w.csv", b"a"))
    assert status == 1
    assert "workers" in lines[0]
    assert lines[-1] == "created=0 updated=0 skipped=0 errors=1"


def test_honours_create_missing_workers_and_report_them(tmp_path):
    rows = [
        ["姓名", "身份证号", "所属地区", "工作单位", "荣誉称号", "授予年份"],
        ["林小红", ID_C, "苍南县", "浙江银轮机械股份有限公司", "浙江工匠", "2023年"],
        ["林小红", ID_C, "苍南县", "浙江银轮机械股份有限公司", "浙江省劳动模范", 2020],
    ]
    status, lines = run("honours", write(tmp_path, "h.xlsx", xlsx(rows)))
    assert status == 0, lines
    assert Honour.objects.count() == 2
    worker = Worker.objects.get(id_number=ID_C)
    assert worker.enterprise == Enterprise.objects.get(name="浙江银轮机械股份有限公司")
    assert any("1" in line for line in lines[:-1])  # the report counts the workers created


def test_the_same_id_number_under_two_names_is_refused(tmp_path):
    rows = [
        ["姓名", "身份证号", "所属地区", "荣誉称号", "授予年份"],
        ["林小红", ID_C, "苍南县", "浙江工匠", 2023],
        ["林晓红", ID_C, "苍南县", "浙江金蓝领", 2023],
    ]
    status, lines = run("honours", write(tmp_path, "h.xlsx", xlsx(rows)))
    assert status == 1
    assert lines[0].startswith("row 3") and "2" in lines[0]


def test_a_hardship_case_may_arrive_closed_with_its_dates_but_not_without(tmp_path):
    header = [
        "姓名",
        "身份证号",
        "所属地区",
        "困难类型",
        "致困原因",
        "状态",
        "建档日期",
        "解困日期",
        "解困原因",
    ]
    rows = [
        header,
        [
            "邓秀文",
            "330624199902071985",
            "新昌县",
            "相对困难",
            "因病、因学",
            "已解困",
            "2022-03-01",
            "2023-08-01",
            "子女就业",
        ],
    ]
    assert run("hardship-cases", write(tmp_path, "ok.xlsx", xlsx(rows)))[0] == 0
    rows[1][0:2] = ["叶海涛", "330624198206252462"]
    rows[1][7] = None
    status, lines = run("hardship-cases", write(tmp_path, "bad.xlsx", xlsx(rows)))
    assert status == 1 and "row 2" in lines[0]
    # 已解困 needs its reason as well as its date (the close step's data).
    rows[1][7:9] = ["2023-08-01", None]
    status, lines = run("hardship-cases", write(tmp_path, "no-reason.xlsx", xlsx(rows)))
    assert status == 1 and lines[0].startswith("row 2, column 解困原因")


def test_regions_import_adds_towns_under_their_county(tmp_path):
    rows = [["区划代码", "名称", "级别", "上级区划代码"], ["330327101", "宜山镇", "镇", "330327"]]
    status, lines = run("regions", write(tmp_path, "r.xlsx", xlsx(rows)))
    assert status == 0, lines
    assert Region.objects.get(code="330327101").parent_id == "330327"
