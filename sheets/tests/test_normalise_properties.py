"""Property-based tests of the cell normalisers: whatever a hostile or careless sheet holds,
each normaliser returns a clean value or raises CellError, never anything else; cleaning is
idempotent; full-width typing means the same as half-width; values survive a round trip."""

import datetime
import string
from decimal import Decimal

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from base import identity
from sheets import normalise
from sheets.normalise import CellError, Choices

PARSERS = [
    normalise.boolean,
    normalise.gender,
    normalise.date,
    normalise.year,
    normalise.integer,
    normalise.decimal,
    normalise.id_number,
    normalise.phone,
    normalise.credit_code,
    normalise.text_value,
]
LEVELS = Choices(
    {"国家级": "national", "全国": "national", "省级": "province", "县(市、区)级": "county"}
)

# Characters that people, web pages and other systems put into cells: digits and letters of
# both widths, Chinese, the separators and units the normalisers know, control and invisible
# characters, surrogates excluded (no reader can produce them).
cell_alphabet = st.sampled_from(
    string.printable
    + "０１２３４５６７８９ＡＢＣｘＸ－／．，：（）　"
    + "年月日号万元人￥¥是否男女√×、，；【】"
    + "\u200b\ufeff\u00a0\u2028\x00\x7f"
) | st.characters(exclude_categories=["Cs"])
cell_text = st.text(alphabet=cell_alphabet, max_size=40)
# Everything python-calamine or the csv module can hand over for one cell.
cells = st.one_of(
    st.none(),
    cell_text,
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
)


def fullwidth(value: str) -> str:
    """How the same text arrives when typed with the input method in full-width mode."""
    return "".join(
        chr(ord(char) + normalise.FULLWIDTH_OFFSET) if "!" <= char <= "~" else char
        for char in value
    ).replace(" ", "\u3000")


def outcome(function, value, **kwargs):
    try:
        return ("value", function(value, **kwargs))
    except CellError as error:
        return ("error", type(error))


# --- never anything but CellError ----------------------------------------------------------


@pytest.mark.parametrize("function", PARSERS, ids=lambda f: f.__name__)
@given(value=cells)
@example(value="9" * 400)
@example(value="1e400")
@example(value=float("nan"))
@example(value=Decimal("sNaN"))
def test_a_normaliser_returns_a_value_or_a_cell_error_and_nothing_else(function, value):
    try:
        function(value)
    except CellError as error:
        assert error.message and isinstance(error.message, str)
        assert len(error.message) < 400  # the cell is quoted shortened, not whole


@given(value=cells)
def test_text_fold_and_split_never_fail_on_any_cell(value):
    assert isinstance(normalise.text(value), str)
    assert isinstance(normalise.fold(value), str)
    assert all(isinstance(item, str) and item for item in normalise.split_list(value))


@given(value=cells)
def test_choices_accept_their_spellings_and_refuse_anything_else_with_a_cell_error(value):
    try:
        found = LEVELS.clean(value)
    except CellError:
        return
    assert found is None or found in {"national", "province", "county"}


# --- idempotence ---------------------------------------------------------------------------


@given(value=cells)
def test_text_and_fold_are_idempotent(value):
    cleaned = normalise.text(value)
    assert normalise.text(cleaned) == cleaned
    folded = normalise.fold(value)
    assert normalise.fold(folded) == folded


@given(value=cell_text)
def test_clean_text_has_no_outer_spaces_double_spaces_or_invisible_characters(value):
    cleaned = normalise.text(value)
    for line in cleaned.split("\n") if cleaned else []:
        assert line == line.strip() and line
        assert "  " not in line
    assert not set(cleaned) & set("\u200b\u200c\u200d\u2060\ufeff\u3000\r")


birth_dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2020, 12, 31))
region_codes = st.sampled_from(["330381", "330382", "330100", "110101", "440305"])
mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)


@st.composite
def id_numbers(draw):
    serial = draw(st.integers(min_value=0, max_value=999))
    first17 = f"{draw(region_codes)}{draw(birth_dates):%Y%m%d}{serial:03d}"
    return first17 + identity.id_number_check_char(first17)


@st.composite
def credit_codes(draw):
    first17 = draw(st.text(alphabet=identity.CREDIT_CODE_CHARS, min_size=17, max_size=17))
    return first17 + identity.credit_code_check_char(first17)


# Cells each normaliser accepts, written the ways people write them, beside arbitrary cells:
# a property about accepted values needs accepted values to be common.
ACCEPTED = {
    normalise.integer: st.integers(0, 10**9).map(lambda n: f"{n:,}人"),
    normalise.decimal: st.decimals(0, 10**9, places=2).map(lambda d: f"￥{d:,}"),
    normalise.date: st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)).map(
        lambda d: f"{d.year}年{d.month}月{d.day}日"
    ),
    normalise.year: st.integers(1949, 2100).map(lambda y: f"{y}年度"),
    normalise.boolean: st.sampled_from(["是", "否", "Y", "n", "√", "×", "有", "无", " ＴＲＵＥ "]),
    normalise.gender: st.sampled_from(["男", "女", "男性", "F", "ｍ"]),
    normalise.id_number: id_numbers().map(lambda n: f" {n.lower()} "),
    normalise.phone: mobiles.map(lambda m: f"+86 {m[:3]}-{m[3:7]}-{m[7:]}"),
    normalise.credit_code: credit_codes().map(str.lower),
}


@pytest.mark.parametrize("function", list(ACCEPTED), ids=lambda f: f.__name__)
@given(data=st.data())
def test_a_cleaned_value_cleans_to_itself(function, data):
    value = data.draw(ACCEPTED[function] | cells)
    kind, cleaned = outcome(function, value)
    if kind != "value" or cleaned is None:
        return
    if function is normalise.gender:
        written = {"M": "男", "F": "女"}[cleaned]  # stored as a code, written as a word
        assert function(written) == cleaned
        return
    assert function(cleaned) == cleaned


@pytest.mark.parametrize("function", list(ACCEPTED), ids=lambda f: f.__name__)
@given(data=st.data())
def test_what_people_write_is_accepted(function, data):
    assert function(data.draw(ACCEPTED[function])) is not None


# --- full-width and half-width ---------------------------------------------------------------


ascii_cell = st.text(
    alphabet=string.ascii_letters + string.digits + string.punctuation + " ", max_size=30
)


@given(value=ascii_cell)
def test_full_width_typing_folds_to_the_same_as_half_width(value):
    assert normalise.fold(fullwidth(value)) == normalise.fold(value)


@given(
    value=st.text(
        alphabet=[
            c
            for c in string.ascii_letters + string.digits + string.punctuation + " "
            if c not in "!(),:;?~"
        ],
        max_size=30,
    )
)
def test_full_width_text_is_stored_half_width(value):
    assert normalise.text(fullwidth(value)) == normalise.text(value)


# Text keeps the full-width punctuation of Chinese prose (tested above); every other kind of
# value means the same however wide it was typed.
@pytest.mark.parametrize(
    "function", [f for f in PARSERS if f is not normalise.text_value], ids=lambda f: f.__name__
)
@given(value=ascii_cell)
def test_full_width_cells_mean_the_same_as_half_width_ones(function, value):
    assert outcome(function, fullwidth(value)) == outcome(function, value)


# --- round trips ---------------------------------------------------------------------------

dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31))


@given(day=dates)
def test_a_date_written_in_any_usual_spelling_reads_back_as_the_same_date(day):
    spellings = [
        day,
        datetime.datetime.combine(day, datetime.time(8, 30)),
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day.month}.{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        day.strftime("%Y%m%d"),
        fullwidth(day.isoformat()),
        normalise.text(day),
    ]
    for spelling in spellings:
        assert normalise.date(spelling) == day, spelling


@given(
    day=st.dates(
        min_value=normalise.EXCEL_EPOCH + datetime.timedelta(days=normalise.SERIAL_DATE_RANGE[0]),
        max_value=datetime.date(normalise.LATEST_YEAR, 12, 31),
    )
)
def test_a_date_whose_cell_format_was_lost_reads_back_from_its_excel_serial(day):
    serial = (day - normalise.EXCEL_EPOCH).days
    assert normalise.date(float(serial)) == day
    assert normalise.date(serial + 0.75) == day  # a date-time serial


@given(number=st.integers(min_value=0, max_value=10**12))
def test_a_count_reads_back_with_separators_units_and_full_width_digits(number):
    assert normalise.integer(number) == number
    assert normalise.integer(float(number)) == number
    assert normalise.integer(f"{number:,}") == number
    assert normalise.integer(f"{number}人") == number
    assert normalise.integer(f"{number} 家") == number
    assert normalise.integer(fullwidth(str(number))) == number
    assert normalise.integer(normalise.text(number)) == number


@given(amount=st.decimals(min_value=0, max_value=10**9, places=2))
def test_an_amount_reads_back_as_written_and_in_wan(amount):
    assert normalise.decimal(amount) == amount
    assert normalise.decimal(str(amount)) == amount
    assert normalise.decimal(f"{amount:,}元") == amount
    assert normalise.decimal(f"￥{amount}") == amount
    assert normalise.decimal(f"{amount}万") == (amount * 10000).quantize(Decimal("0.01"))
    assert normalise.decimal(str(amount), wan=True) == normalise.decimal(f"{amount}万元")
    assert normalise.decimal(normalise.text(amount)) == amount


@given(number=st.integers(min_value=1949, max_value=2100))
def test_a_year_reads_back_from_number_text_and_date(number):
    for spelling in (
        number,
        float(number),
        str(number),
        f"{number}年",
        f"{number}年度",
        datetime.date(number, 6, 1),
        fullwidth(str(number)),
    ):
        assert normalise.year(spelling) == number


@given(
    value=st.sampled_from([True, False]),
    word=st.sampled_from(["是", "Y", "yes", "√", "1", "有", "TRUE"]),
)
def test_yes_no_words_and_their_opposites(value, word):
    opposite = {"是": "否", "Y": "N", "yes": "no", "√": "×", "1": "0", "有": "无", "TRUE": "FALSE"}
    spelled = word if value else opposite[word]
    assert normalise.boolean(spelled) is value
    assert normalise.boolean(f" {fullwidth(spelled)} ") is value
    assert normalise.boolean(value) is value


items = st.lists(
    st.text(alphabet=string.ascii_letters + "工匠劳模创新室技能", min_size=1, max_size=8),
    min_size=1,
    max_size=6,
)


@given(values=items, separator=st.sampled_from(["、", ",", "，", ";", "；", "/", "\n", " 、 "]))
def test_a_list_cell_splits_back_into_its_items(values, separator):
    assert normalise.split_list(separator.join(values)) == values


# --- identifiers -----------------------------------------------------------------------------


@given(number=id_numbers())
def test_a_valid_id_number_reads_back_whatever_its_spacing_case_or_width(number):
    assert normalise.id_number(number) == number
    assert normalise.id_number(number.lower()) == number
    assert normalise.id_number(f" {number[:6]} {number[6:14]} {number[14:]} ") == number
    assert normalise.id_number("'" + number) == number  # Excel's leading apostrophe
    assert normalise.id_number(fullwidth(number)) == number


@given(number=id_numbers())
def test_an_id_number_typed_as_a_number_is_always_refused(number):
    assume(not number.endswith("X"))
    with pytest.raises(CellError):
        normalise.id_number(int(number))
    with pytest.raises(CellError):
        normalise.id_number(float(number))


@given(mobile=mobiles)
def test_a_mobile_number_reads_back_from_any_usual_spelling(mobile):
    spellings = [
        mobile,
        int(mobile),
        float(mobile),
        f"{mobile}.0",
        f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}",
        f"{mobile[:3]}-{mobile[3:7]}-{mobile[7:]}",
        f"+86{mobile}",
        f"86 {mobile}",
        fullwidth(mobile),
    ]
    for spelling in spellings:
        assert normalise.phone(spelling) == mobile, spelling


@given(
    area=st.from_regex(r"0[1-9][0-9]{1,2}", fullmatch=True),
    number=st.from_regex(r"[2-9][0-9]{6,7}", fullmatch=True),
)
def test_a_landline_with_its_area_code_is_stored_with_one_hyphen(area, number):
    for spelling in (
        f"{area}-{number}",
        f"({area}){number}",
        f"{area} {number}",
        f"{area}—{number}",
    ):
        assert normalise.phone(spelling) == f"{area}-{number}"
