import datetime
from decimal import Decimal

import pytest
from django.utils.translation import override

from sheets import normalise
from sheets.normalise import CellError, Choices

BLANKS = [None, "", "   ", "\u3000", " \u3000\t", "\u200b"]


def error_message(function, *args, **kwargs) -> str:
    with override("en"), pytest.raises(CellError) as caught:
        function(*args, **kwargs)
    assert caught.value.message == str(caught.value)
    return caught.value.message


# --- blanks ---------------------------------------------------------------------------------


@pytest.mark.parametrize("blank", BLANKS)
@pytest.mark.parametrize(
    "function",
    [
        normalise.boolean,
        normalise.gender,
        normalise.date,
        normalise.year,
        normalise.integer,
        normalise.decimal,
        normalise.id_number,
        normalise.phone,
        normalise.credit_code,
    ],
)
def test_blank_cell_is_none_for_every_kind_of_value(function, blank):
    assert function(blank) is None


@pytest.mark.parametrize("blank", BLANKS)
def test_blank_cell_is_empty_text(blank):
    assert normalise.text(blank) == ""


@pytest.mark.parametrize("blank", BLANKS)
def test_blank_cell_is_no_choice_and_an_empty_list(blank):
    assert normalise.choice(blank, {"是": "yes"}) is None
    assert normalise.split_list(blank) == []
    assert normalise.choice_list(blank, {"是": "yes"}) == []


def test_cell_error_is_a_value_error_with_a_message():
    error = CellError("bad")
    assert isinstance(error, ValueError)
    assert error.message == "bad"


# --- text and fold --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  张三  ", "张三"),
        ("\u3000张三\u3000", "张三"),
        ("张  三", "张 三"),
        ("张\u3000\u3000三", "张 三"),
        ("ＡＢＣ１２３", "ABC123"),
        ("ｚｌ２０２３．１", "zl2023.1"),
        ("50％", "50%"),
        ("\u200b瑞安市\ufeff", "瑞安市"),
        ("第一行 \r\n  第二行\n\n", "第一行\n第二行"),
        (12, "12"),
        (12.0, "12"),
        (12.5, "12.5"),
        (120.29, "120.29"),
        (0.1 + 0.2, "0.3"),
        (True, "TRUE"),
        (Decimal("12.50"), "12.5"),
        (datetime.date(2023, 5, 8), "2023-05-08"),
        (datetime.datetime(2023, 5, 8), "2023-05-08"),
        (datetime.datetime(2023, 5, 8, 10, 30), "2023-05-08 10:30:00"),
        (datetime.time(10, 30), "10:30:00"),
    ],
)
def test_text_trims_spaces_and_makes_full_width_letters_and_digits_half_width(raw, expected):
    assert normalise.text(raw) == expected


def test_text_keeps_the_punctuation_of_chinese_prose():
    assert normalise.text("饮水，热饭；休息！") == "饮水，热饭；休息！"
    assert normalise.text("瑞安市某某机械（集团）有限公司") == "瑞安市某某机械（集团）有限公司"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("经济效益（万元）", "经济效益(万元)"),
        ("乡镇（街道）", "乡镇(街道)"),
        ("县（市、区）", "县(市、区)"),
        ("【试点】", "[试点]"),
        (" 身份证 号码 ", "身份证号码"),
        ("身份证\n号码", "身份证号码"),
        ("TRUE", "true"),
        ("ＹＥＳ", "yes"),
        ("饮水，热饭", "饮水,热饭"),
    ],
)
def test_fold_makes_spellings_comparable(raw, expected):
    assert normalise.fold(raw) == expected


# --- booleans and gender --------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "是",
        "是的",
        "Y",
        "y",
        "YES",
        "√",
        "✓",
        "1",
        1,
        1.0,
        "1.0",
        "有",
        "TRUE",
        "True",
        True,
        "是 ",
    ],
)
def test_yes_values_are_true(raw):
    assert normalise.boolean(raw) is True


@pytest.mark.parametrize(
    "raw", ["否", "N", "n", "no", "×", "✗", "0", 0, 0.0, "无", "FALSE", "false", False]
)
def test_no_values_are_false(raw):
    assert normalise.boolean(raw) is False


@pytest.mark.parametrize("raw", ["可能", "2", 2, "x", "是否", "-", datetime.date(2023, 1, 1)])
def test_anything_else_in_a_yes_no_column_is_an_error_not_a_silent_no(raw):
    message = error_message(normalise.boolean, raw)
    assert "is not a yes/no value" in message
    assert normalise.text(raw) in message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("男", "M"), ("女", "F"), ("男性", "M"), ("女性", "F"), ("M", "M"), ("f", "F")],
)
def test_gender_is_m_or_f(raw, expected):
    assert normalise.gender(raw) == expected


def test_unknown_gender_is_an_error():
    assert "“未知” is not a gender" in error_message(normalise.gender, "未知")


# --- dates and years ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        datetime.date(2023, 5, 8),
        datetime.datetime(2023, 5, 8, 14, 0),
        "2023-05-08",
        "2023/5/8",
        "2023.5.8",
        "2023年5月8日",
        "2023年05月08日",
        "2023-5-8",
        "20230508",
        20230508,
        "２０２３－０５－０８",
        " 2023 年 5 月 8 日 ",
        "2023-05-08 00:00:00",
        45054,
        45054.0,
        45054.6,
        "45054",
    ],
)
def test_dates_as_people_type_them(raw):
    assert normalise.date(raw) == datetime.date(2023, 5, 8)


@pytest.mark.parametrize(
    "raw", ["2023年5月", "2023-05", "2023/5", "2023.5", "2023年5月份", "202305", 2023.5, 2023.05]
)
def test_a_date_given_only_as_a_month_is_the_first_of_that_month(raw):
    assert normalise.date(raw) == datetime.date(2023, 5, 1)


def test_a_month_typed_as_a_text_keeps_october():
    assert normalise.date("2023.10") == datetime.date(2023, 10, 1)


def test_a_month_excel_turned_into_the_number_2023_1_is_refused_as_ambiguous():
    assert "January or October" in error_message(normalise.date, 2023.1)


@pytest.mark.parametrize("raw", ["2023", "2023年", 2023, 2023.0])
def test_a_date_given_only_as_a_year_is_the_first_of_january(raw):
    assert normalise.date(raw) == datetime.date(2023, 1, 1)


@pytest.mark.parametrize("raw", ["2023-02-30", "2023年13月1日", "2023-13"])
def test_an_impossible_date_is_an_error(raw):
    assert "is not a real date" in error_message(normalise.date, raw)


@pytest.mark.parametrize("raw", ["1899-12-31", "2101-01-01", "1850", datetime.date(1850, 1, 1)])
def test_a_date_outside_1900_to_2100_is_an_error(raw):
    message = error_message(normalise.date, raw)
    assert "between 1900 and 2100" in message or "is not a date" in message


@pytest.mark.parametrize("raw", ["明天", "5/8/2023", "23-5-8", True, datetime.time(10, 0), 12.5])
def test_text_that_is_no_date_is_an_error(raw):
    assert "is not a date" in error_message(normalise.date, raw)


@pytest.mark.parametrize(
    "raw",
    [2023, 2023.0, "2023", "2023年", "2023年度", " ２０２３ ", "2023.0", datetime.date(2023, 6, 1)],
)
def test_years_as_people_type_them(raw):
    assert normalise.year(raw) == 2023


@pytest.mark.parametrize("raw", [1948, "1900", 2101])
def test_a_year_outside_1949_to_2100_is_an_error(raw):
    assert "between 1949 and 2100" in error_message(normalise.year, raw)


@pytest.mark.parametrize("raw", [2023.5, "去年", "23", True])
def test_something_that_is_no_year_is_an_error(raw):
    assert "is not a year" in error_message(normalise.year, raw)


# --- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (12, 12),
        (12.0, 12),
        ("12", 12),
        ("12.0", 12),
        ("1,234", 1234),
        ("12人", 12),
        ("12 家", 12),
        ("3口", 3),
        ("20人次", 20),
        ("１２", 12),
        (0, 0),
    ],
)
def test_whole_numbers_as_people_type_them(raw, expected):
    assert normalise.integer(raw) == expected


@pytest.mark.parametrize("raw", [12.5, "12.5", "十二", "12万", "1,23", True, "12 34"])
def test_a_fraction_or_text_in_a_count_column_is_an_error(raw):
    assert "is not a whole number" in error_message(normalise.integer, raw)


def test_a_negative_count_is_an_error_unless_allowed():
    assert "must not be negative" in error_message(normalise.integer, "-3")
    assert normalise.integer("-3", allow_negative=True) == -3


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,234.56", Decimal("1234.56")),
        ("1234.5元", Decimal("1234.50")),
        ("￥1,234", Decimal("1234.00")),
        ("¥ 1,234", Decimal("1234.00")),
        ("人民币1200元", Decimal("1200.00")),
        (1234.5, Decimal("1234.50")),
        (1200, Decimal("1200.00")),
        (0.1 + 0.2, Decimal("0.30")),
        ("3万", Decimal("30000.00")),
        ("1.5万元", Decimal("15000.00")),
    ],
)
def test_money_as_people_type_it_is_exact_to_the_fen(raw, expected):
    result = normalise.decimal(raw)
    assert result == expected
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.25", Decimal("12500.00")),
        (1.25, Decimal("12500.00")),
        (1.1, Decimal("11000.00")),
        ("0.00005", Decimal("0.50")),
        ("0.000049", Decimal("0.49")),
        (3, Decimal("30000.00")),
    ],
)
def test_money_in_wan_is_multiplied_by_ten_thousand_in_decimal_arithmetic(raw, expected):
    assert normalise.decimal(raw, wan=True) == expected


def test_an_amount_in_yuan_written_in_a_wan_column_is_not_multiplied():
    assert normalise.decimal("12500元", wan=True) == Decimal("12500.00")


def test_float_cells_carry_no_binary_noise_into_money():
    # Decimal(1234.56) would be 1234.55999999999994543031789362430572509765625.
    assert normalise.decimal(1234.56) == Decimal("1234.56")
    # A formula's result as Excel shows it (15 significant digits), not its binary noise.
    assert normalise.decimal(0.1 + 0.2) == Decimal("0.30")


def test_coordinates_keep_more_decimals_when_asked():
    assert normalise.decimal(120.2915, places=6) == Decimal("120.291500")
    assert normalise.decimal(120.291, places=6) == Decimal("120.291000")


@pytest.mark.parametrize(
    ("raw", "places", "rule"),
    [
        ("1.005", 2, "at most 2 digits after the decimal point"),
        (0.125, 2, "at most 2 digits after the decimal point"),
        ("24.25", 1, "at most 1 digits after the decimal point"),
        (120.2915001, 6, "at most 6 digits after the decimal point"),
        ("1.0000491万", 2, "at most 2 digits after the decimal point"),
    ],
)
def test_a_value_with_more_decimals_than_the_field_keeps_is_refused_not_rounded(raw, places, rule):
    assert rule in error_message(lambda value: normalise.decimal(value, places=places), raw)


def test_trailing_zeros_are_not_decimals_the_field_would_lose():
    assert normalise.decimal("24.000", places=1) == Decimal("24.0")
    assert normalise.decimal(24, places=1) == Decimal("24.0")


def test_a_value_with_more_digits_than_the_field_holds_is_refused():
    assert normalise.decimal("99999.9", places=1, max_digits=6) == Decimal("99999.9")
    message = error_message(
        lambda value: normalise.decimal(value, places=1, max_digits=6), "100000"
    )
    assert "at most 5 digits before the decimal point" in message


@pytest.mark.parametrize("raw", ["abc", "1,2,3", "1.2.3", True, "12元5角"])
def test_text_in_a_money_column_is_an_error(raw):
    assert "is not an amount" in error_message(normalise.decimal, raw)


def test_negative_money_is_an_error():
    assert "must not be negative" in error_message(normalise.decimal, "-5")
    assert "must not be negative" in error_message(normalise.decimal, -0.5)


# --- identifiers ----------------------------------------------------------------------------


def test_id_number_with_a_lowercase_x_is_upper_cased():
    assert normalise.id_number("33032719700105644x") == "33032719700105644X"


@pytest.mark.parametrize(
    "raw", [" 330327197407119711 ", "330327 19740711 9711", "'330327197407119711"]
)
def test_id_number_spaces_and_a_leading_apostrophe_are_dropped(raw):
    assert normalise.id_number(raw) == "330327197407119711"


@pytest.mark.parametrize("raw", [330327197407119711, 3.303271974071197e17, "3.30327E+17", "3.3E17"])
def test_id_number_typed_as_a_number_is_refused(raw):
    message = error_message(normalise.id_number, raw)
    assert "stored as a number" in message
    assert "text format" in message


def test_id_number_failing_its_check_digit_is_refused_with_the_identity_message():
    message = error_message(normalise.id_number, "330327197407119712")
    assert message == "The check digit of this ID number is wrong; please check the number."


def test_id_number_of_the_wrong_length_is_refused():
    assert "18 characters" in error_message(normalise.id_number, "33032719740711971")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        (13800138000, "13800138000"),
        (13800138000.0, "13800138000"),
        ("13800138000.0", "13800138000"),
        ("0577-65812345", "0577-65812345"),
        ("0577 65812345", "0577-65812345"),
        ("（0577）65812345", "0577-65812345"),
        ("057765812345", "057765812345"),
    ],
)
def test_phone_numbers_as_people_type_them(raw, expected):
    assert normalise.phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "1380013800", 57765812345, "138001380001"])
def test_a_number_that_is_no_phone_is_an_error(raw):
    assert "11-digit mobile number" in error_message(normalise.phone, raw)


def test_credit_code_is_upper_cased_and_checked():
    assert normalise.credit_code(" 91330100716105852f ") == "91330100716105852F"
    assert "check character" in error_message(normalise.credit_code, "91330100716105852A")


def test_credit_code_typed_as_a_number_is_refused():
    assert "stored as a number" in error_message(normalise.credit_code, 1.2330000e17)


# --- choices and lists ----------------------------------------------------------------------

LEVELS = {
    "县(市、区)级": "county",
    "县级": "county",
    "区级": "county",
    "市级": "city",
    "省级": "province",
}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("县（市、区）级", "county"), ("县级", "county"), (" 市 级 ", "city"), ("省级", "province")],
)
def test_choice_values_are_compared_folded(raw, expected):
    assert normalise.choice(raw, LEVELS) == expected
    assert Choices(LEVELS).clean(raw) == expected


def test_unknown_choice_lists_the_canonical_spellings():
    message = error_message(normalise.choice, "县市", LEVELS)
    assert message == "“县市” is not one of: 县(市、区)级, 市级, 省级"


def test_choices_refuse_two_values_for_one_folded_spelling():
    with pytest.raises(ValueError, match="folds to"):
        Choices({"县级": "county", "县 级": "city"})


def test_choices_know_their_spellings():
    choices = Choices(LEVELS)
    assert "县（市、区）级" in choices
    assert "国家级" not in choices
    assert choices.canonical == ("县(市、区)级", "市级", "省级")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("因病、因学", ["因病", "因学"]),
        ("饮水，热饭；休息、充电", ["饮水", "热饭", "休息", "充电"]),
        ("饮水,热饭;休息", ["饮水", "热饭", "休息"]),
        ("饮水 / 热饭", ["饮水", "热饭"]),
        ("饮水\n热饭", ["饮水", "热饭"]),
        ("、饮水，，热饭、", ["饮水", "热饭"]),
        ("饮水", ["饮水"]),
    ],
)
def test_lists_split_on_the_separators_people_use(raw, expected):
    assert normalise.split_list(raw) == expected


def test_choice_list_maps_each_item_once_in_the_order_written():
    assert normalise.choice_list("市级、县级，县(市、区)级", LEVELS) == ["city", "county"]


def test_choice_list_with_an_unknown_item_is_an_error():
    assert "“国家级” is not one of" in error_message(normalise.choice_list, "市级、国家级", LEVELS)


def test_messages_are_translated_to_chinese():
    with override("zh-hans"), pytest.raises(CellError) as caught:
        normalise.boolean("可能")
    # The catalogue is compiled later; until then the English text is shown, never an empty one.
    assert "可能" in caught.value.message


def test_a_separator_inside_brackets_does_not_split_the_item():
    assert normalise.split_list("县(市、区)级、市级，乡镇（街道）") == [
        "县(市、区)级",
        "市级",
        "乡镇（街道）",
    ]
