import datetime
from decimal import Decimal

import pytest
from django.utils.translation import override

from sheets import normalise
from sheets.headers import (
    ALIASES,
    Column,
    HeaderError,
    column,
    column_letter,
    find_header,
    header_key,
)
from sheets.reader import read_sheet
from tests.sheetfiles import SAMPLES

WORKERS = [
    column("name", "姓名", required=True),
    column("id_number", "身份证号", required=True),
    column("phone", "手机号"),
    column("region", "所属地区", required=True),
    column("employer", "工作单位"),
    column("occupation", "职业(工种)"),
    column("employment_form", "就业形态"),
    column("is_member", "是否工会会员"),
    column("joined_on", "入会日期"),
]


def header_error(rows, columns, **kwargs) -> str:
    with override("en"), pytest.raises(HeaderError) as caught:
        find_header(rows, columns, **kwargs)
    assert caught.value.message == str(caught.value)
    return caught.value.message


# --- finding the header row -----------------------------------------------------------------


def test_header_below_a_title_a_note_and_a_blank_row_is_found():
    rows = [
        ["2024年瑞安市职工名册"],
        ["注：身份证号码请设置为文本格式"],
        [],
        ["序号", "姓名", "身份证号", "所属地区", "备注"],
        [1, "张三", "330327197407119711", "瑞安市", ""],
    ]
    match = find_header(rows, WORKERS)
    assert match.row_index == 3
    assert {index: col.name for index, col in match.columns.items()} == {
        1: "name",
        2: "id_number",
        3: "region",
    }
    assert match.unknown == ["序号", "备注"]
    assert match.missing == []
    assert match.index_of("region") == 3
    assert match.index_of("phone") is None


def test_the_row_naming_most_columns_wins():
    rows = [
        ["姓名"],  # a stray word in a title area
        ["姓名", "身份证号", "所属地区"],
    ]
    assert find_header(rows, WORKERS).row_index == 1


def test_on_a_tie_the_earlier_row_wins():
    rows = [["姓名", "身份证号"], ["姓名", "身份证号"]]
    assert find_header(rows, WORKERS).row_index == 0


def test_columns_are_matched_in_any_order_and_by_alias():
    rows = [["县(市、区)", "公民身份号码", "职工姓名", "联系电话", "是否入会"]]
    match = find_header(rows, WORKERS)
    assert [match.columns[index].name for index in range(5)] == [
        "region",
        "id_number",
        "name",
        "phone",
        "is_member",
    ]


@pytest.mark.parametrize(
    "written",
    [
        "身份证号码",
        "身份证号码 ",
        "身份证\n号码",
        "身份证 号码",
        "*身份证号",
        "身份证号*",
        "身份证号＊",
        "身份证号（必填）",
        "身份证号(必填)",
        "* 身份证号（必填）",
        "证件号码：",
    ],
)
def test_headers_match_whatever_spacing_and_required_markers_people_add(written):
    match = find_header([["姓名", written]], WORKERS)
    assert match.columns[1].name == "id_number"


def test_full_width_brackets_in_headers_are_folded():
    columns = [column("occupation", "职业(工种)"), column("region", "所属地区")]
    match = find_header([["职业（工种）", "县（市、区）"]], columns)
    assert [col.name for col in match.columns.values()] == ["occupation", "region"]


def test_missing_required_columns_are_listed():
    match = find_header([["姓名", "手机号"]], WORKERS)
    assert [col.header for col in match.missing] == ["身份证号", "所属地区"]


def test_a_sheet_without_a_header_row_is_an_error_naming_the_expected_headers():
    rows = [["2024年名册"], ["张三", "330327197407119711"]]
    message = header_error(rows, WORKERS)
    assert "No header row was found in the first 2 rows" in message
    assert "姓名, 身份证号, 所属地区, 手机号" in message


def test_a_header_below_the_scanned_rows_is_not_found():
    rows = [[f"说明第{n}行"] for n in range(5)] + [["姓名", "身份证号"]]
    assert "first 5 rows" in header_error(rows, WORKERS, scan=5)
    assert find_header(rows, WORKERS, scan=6).row_index == 5


def test_the_same_column_twice_is_an_error_naming_it():
    message = header_error([["姓名", "身份证号", "职工姓名"]], WORKERS)
    assert "“姓名” appears twice" in message
    assert "columns A and C" in message


def test_an_empty_sheet_has_no_header():
    assert "No header row was found" in header_error([], WORKERS)


def test_a_columns_own_header_wins_over_another_columns_alias():
    columns = [column("region", "所属地区"), column("address", "所在地")]
    match = find_header([["所在地", "区划"]], columns)
    assert match.columns[0].name == "address"
    assert match.columns[1].name == "region"


def test_numbers_and_dates_in_the_header_row_are_reported_as_unknown():
    match = find_header([["姓名", 2024, datetime.date(2024, 1, 1)]], WORKERS)
    assert match.unknown == ["2024", "2024-01-01"]


# --- 万元 columns ---------------------------------------------------------------------------

BENEFIT = column("economic_benefit", "经济效益(元)", wan=True)


@pytest.mark.parametrize(
    "written", ["经济效益（万元）", "经济效益(万元)", "经济效益 (万元)", "经济效益（万）"]
)
def test_a_header_in_wan_marks_the_column_for_multiplying(written):
    match = find_header([["活动名称", written]], [column("name", "活动名称"), BENEFIT])
    assert match.columns[1] is BENEFIT
    assert match.wan == {"economic_benefit"}


@pytest.mark.parametrize("written", ["经济效益(元)", "经济效益（元）", "经济效益", "创造经济效益"])
def test_a_header_in_yuan_or_without_unit_is_not_multiplied(written):
    match = find_header([[written]], [BENEFIT])
    assert match.columns[0] is BENEFIT
    assert match.wan == set()


def test_both_yuan_and_wan_columns_for_one_field_are_an_error():
    message = header_error([["经济效益(元)", "经济效益(万元)"]], [BENEFIT])
    assert "appears twice" in message


# --- column() and the alias registry --------------------------------------------------------


def test_column_merges_registry_aliases_after_its_own():
    col = column("name", "姓名", required=True, aliases=("劳模姓名",))
    assert col == Column(
        name="name",
        header="姓名",
        aliases=("劳模姓名", *ALIASES["姓名"]),
        required=True,
    )


def test_column_never_lists_its_header_or_an_alias_twice():
    col = column("id_number", "身份证号", aliases=("身份证号", "身份证号码", "身份证号码 "))
    folded = [normalise.fold(alias) for alias in col.aliases]
    assert "身份证号" not in folded
    assert len(folded) == len(set(folded))


def test_column_in_wan_derives_yuan_and_wan_headers():
    assert BENEFIT.header == "经济效益(元)"
    assert "经济效益" in BENEFIT.aliases
    assert "创造经济效益(元)" in BENEFIT.aliases
    assert BENEFIT.wan_aliases[0] == "经济效益(万元)"
    assert "创造经济效益(万元)" in BENEFIT.wan_aliases


def test_a_yuan_column_without_wan_accepts_the_bare_name_but_not_wan():
    subsidy = column("subsidy", "补贴金额(元)")
    assert subsidy.wan_aliases == ()
    assert find_header([["补贴金额"]], [subsidy]).columns[0] is subsidy
    assert find_header([["补贴金额（元）"]], [subsidy]).columns[0] is subsidy
    assert find_header([["姓名", "补贴金额(万元)"]], [subsidy, WORKERS[0]]).unknown == [
        "补贴金额(万元)"
    ]


def test_registry_aliases_never_fold_onto_their_own_header():
    for header, aliases in ALIASES.items():
        assert normalise.fold(header) not in {normalise.fold(alias) for alias in aliases}, header


def test_header_key_and_column_letter():
    assert header_key(" *经济效益（万元）（必填） ") == "经济效益(万元)"
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


# --- the sample files -----------------------------------------------------------------------


def read_sample(name: str):
    return read_sheet((SAMPLES / name).read_bytes(), name).rows


def test_sample_workers_cangnan_header_and_values():
    rows = read_sample("workers_cangnan.xlsx")
    match = find_header(rows, WORKERS)
    assert match.row_index == 3  # title, note, blank row above
    assert match.unknown == ["序号"]
    assert match.missing == []
    names = {col.name: index for index, col in match.columns.items()}
    assert set(names) == {
        "name",
        "id_number",
        "region",
        "employer",
        "employment_form",
        "is_member",
        "joined_on",
    }
    data = [row for row in rows[match.row_index + 1 :] if row]
    assert {normalise.boolean(row[names["is_member"]]) for row in data} == {True, False}
    assert {row[names["is_member"]] for row in data} >= {"是", "否", "√", "1"}
    assert all(normalise.id_number(row[names["id_number"]]) for row in data)
    assert normalise.date(data[0][names["joined_on"]]) == datetime.date(2018, 1, 1)


def test_sample_service_visits_chunan_header_in_wan_under_a_merged_title():
    columns = [
        column("name", "活动名称", required=True),
        column("served_on", "服务日期", required=True),
        column("region", "所属地区", required=True),
        column("models", "参与劳模工匠人数", required=True),
        column("enterprises", "服务企业数", required=True),
        column("problems", "收集问题数"),
        column("solved", "解决问题数"),
        column("trained", "培训技术工人人次"),
        column("economic_benefit", "经济效益(元)", wan=True),
    ]
    rows = read_sample("service_visits_chunan.xlsx")
    match = find_header(rows, columns)
    assert match.row_index == 2
    assert len(match.columns) == 9
    assert match.unknown == []
    assert match.missing == []
    assert match.wan == {"economic_benefit"}
    first = rows[match.row_index + 1]
    benefit = match.index_of("economic_benefit")
    assert normalise.decimal(first[benefit], wan=True) == Decimal("12500.00")
    assert normalise.date(first[match.index_of("served_on")]) == datetime.date(2023, 3, 23)
    assert normalise.integer(first[match.index_of("models")]) == 2


def test_sample_stations_qingtian_header_and_values():
    columns = [
        column("name", "站点名称", required=True),
        column("region", "所属地区", required=True),
        column("address", "地址", required=True),
        column("longitude", "经度"),
        column("latitude", "纬度"),
        column("builder", "建设主体"),
        column("open_24h", "是否24小时"),
        column("functions", "服务功能"),
        column("built_on", "建成日期"),
        column("upgraded_in", "改造提升年份"),
        column("status", "状态"),
    ]
    rows = read_sample("stations_qingtian.xlsx")
    match = find_header(rows, columns)
    assert match.row_index == 0
    assert (len(match.columns), match.unknown, match.missing) == (11, [], [])
    second = rows[2]
    assert normalise.date(second[match.index_of("built_on")]) == datetime.date(2022, 2, 2)
    assert normalise.year(second[match.index_of("upgraded_in")]) == 2023
    assert normalise.split_list(second[match.index_of("functions")]) == [
        "饮水",
        "热饭",
        "休息",
        "充电",
    ]
    assert normalise.decimal(second[match.index_of("longitude")], places=6) == Decimal("120.291000")


def test_sample_hardship_xinchang_header_and_values():
    columns = [
        column("name", "姓名", required=True),
        column("id_number", "身份证号", required=True),
        column("region", "所属地区", required=True),
        column("employer", "工作单位"),
        column("kind", "困难类型", required=True),
        column("causes", "致困原因", required=True),
        column("household", "家庭人口"),
        column("income", "家庭月人均收入(元)"),
        column("source", "来源"),
        column("status", "状态", required=True),
        column("filed_on", "建档日期"),
        column("resolved_on", "解困日期"),
        column("resolution", "解困原因"),
    ]
    rows = read_sample("hardship_xinchang.xlsx")
    match = find_header(rows, columns)
    assert match.row_index == 0
    assert (len(match.columns), match.unknown, match.missing) == (10, [], [])
    first = rows[1]
    assert normalise.split_list(first[match.index_of("causes")]) == ["因病", "因学"]
    assert normalise.integer(first[match.index_of("household")]) == 3
    assert normalise.decimal(first[match.index_of("income")]) == Decimal("1200.00")
    assert normalise.date(first[match.index_of("filed_on")]) == datetime.date(2024, 3, 1)


def test_every_sample_file_is_covered_by_a_test_above():
    assert sorted(path.name for path in SAMPLES.glob("*.xlsx")) == [
        "hardship_xinchang.xlsx",
        "service_visits_chunan.xlsx",
        "stations_qingtian.xlsx",
        "workers_cangnan.xlsx",
    ]
