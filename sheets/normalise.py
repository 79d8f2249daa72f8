"""Cell values as people type them, turned into Python values: the one place that does it.

Every function takes a raw cell as the readers give it (str, int, float, bool, date, datetime,
time, timedelta or None; python-calamine gives "" for an empty cell) and returns the clean value,
or raises `CellError` whose `.message` is ready to show to the user. A blank cell (None, "", or
only spaces, full-width spaces included) is None for every function, "" for `text`.

Width: `text` turns full-width digits, letters and ASCII symbols (typed with the input method in
full-width mode) into half-width, but keeps the full-width punctuation that is correct in Chinese
prose (，：；！？（）～), so "饮水，热饭" and "某某（集团）有限公司" are stored as written. `fold`,
used for every comparison (headers, choices, names), converts the whole U+FF01–U+FF5E range.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from base import identity
from base.validators import YEAR_RANGE

__all__ = [
    "CellError",
    "Choices",
    "Masked",
    "boolean",
    "choice",
    "choice_list",
    "credit_code",
    "date",
    "decimal",
    "fold",
    "gender",
    "id_number",
    "integer",
    "is_blank",
    "masked",
    "phone",
    "shown",
    "split_list",
    "text",
    "text_value",
    "year",
]


class CellError(ValueError):
    """A cell that cannot be read as the column's kind of value; `.message` is for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- width and spaces -----------------------------------------------------------------------

FULLWIDTH_OFFSET = 0xFEE0  # U+FF01 "！" - U+0021 "!"
# Full-width characters that are ordinary Chinese punctuation, kept as typed by `text`.
CJK_PUNCTUATION = "！（），：；？～"

_TranslateTable = dict[int, int | str | None]

_FULL_TO_HALF: _TranslateTable = {code: code - FULLWIDTH_OFFSET for code in range(0xFF01, 0xFF5F)}
_FULL_TO_HALF[0x3000] = 0x20
_FULL_TO_HALF[0xFFE5] = 0xA5  # ￥ full-width yen sign, as the currency sign in money cells
_TEXT_WIDTH: _TranslateTable = str.maketrans(
    {code: half for code, half in _FULL_TO_HALF.items() if chr(code) not in CJK_PUNCTUATION}
)
_FOLD_WIDTH: _TranslateTable = str.maketrans(
    {
        **_FULL_TO_HALF,
        ord("【"): "[",
        ord("】"): "]",
        ord("〔"): "[",
        ord("〕"): "]",
        ord("［"): "[",
        ord("］"): "]",
        **{code: code + 32 for code in range(ord("A"), ord("Z") + 1)},
    }
)
# Zero-width characters arrive with text pasted from web pages and chat; they are never content.
_INVISIBLE: _TranslateTable = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_SPACES = re.compile(r"[^\S\n]+")  # runs of whitespace other than line breaks
_ALL_SPACE = re.compile(r"\s+")


def is_blank(value: Any) -> bool:
    """None, "" or a string of only whitespace (U+3000 and zero-width spaces included)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value or (
            (not value.isprintable() or value[0].isspace() or value[-1].isspace())
            and not value.translate(_INVISIBLE).strip()
        )
    return False


def _float_text(value: float) -> str:
    if value.is_integer():
        return str(int(value))
    # Excel keeps 15 significant digits; this also hides binary noise such as 0.30000000000000004.
    return format(value, ".15g")


# A cell that text() would return unchanged: no outer or double spaces, no full-width ASCII,
# no invisible or control characters.
_PLAIN = re.compile(
    r"(?! )(?:[^\s\x00-\x1f\x7f\u00a0\u200b-\u200f\u2028\u2029\u3000\ufeff\uff01-\uff5e]| (?! ))*(?<! )"
)


def text(value: Any) -> str:
    """The cell as clean text: trimmed, half-width, single spaces; "" when blank."""
    if value is None:
        return ""
    if isinstance(value, str):
        if _PLAIN.fullmatch(value):
            return value  # most cells: nothing to trim, fold or collapse
        cleaned = value.translate(_INVISIBLE).translate(_TEXT_WIDTH)
        cleaned = cleaned.replace("\r\n", "\n").replace("\r", "\n")
        lines = (_SPACES.sub(" ", line).strip() for line in cleaned.split("\n"))
        return "\n".join(line for line in lines if line)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value) if math.isfinite(value) else ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return text(str(value))


def text_value(value: Any) -> str:
    """`text` for a text column: a cell that a spreadsheet would run as a formula (written in
    a CSV or as a text cell, such as `=HYPERLINK(...)` or the `=cmd|...` of a formula-injection
    payload) is refused; no name, address or note begins with "=". Excel's own formula cells
    arrive as their computed values and are not affected."""
    cleaned = text(value)
    if cleaned.startswith("="):
        raise CellError(
            _("“%(value)s” is a spreadsheet formula, not a value; type the value itself.")
            % {"value": _shown(cleaned)}
        )
    return cleaned


def fold(value: Any) -> str:
    """The form used to compare headers and choice values: half-width, brackets (), [], no
    whitespace, ASCII lower-case. `经济效益（万元）` folds to `经济效益(万元)`."""
    return _ALL_SPACE.sub("", text(value).translate(_FOLD_WIDTH))


def _shown(value: Any) -> str:
    """The value as quoted back to the user in a message."""
    shown = text(value)
    return shown if len(shown) <= 40 else shown[:40] + "…"


shown = _shown  # for the column widgets' messages (sheets.fields)


# --- yes/no and gender ----------------------------------------------------------------------

_BOOLEAN_WORDS: dict[str, bool] = {
    **dict.fromkeys(
        ("是", "是的", "y", "yes", "√", "✓", "✔", "☑", "1", "1.0", "有", "true", "对"), True
    ),
    **dict.fromkeys(
        ("否", "不是", "n", "no", "×", "✗", "✘", "☒", "0", "0.0", "无", "没有", "false"), False
    ),
}


def boolean(value: Any) -> bool | None:
    """是/否, Y/N, √/×, 1/0, 有/无, TRUE/FALSE. Anything else is an error, never a silent "no"."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        found = _BOOLEAN_WORDS.get(fold(value))
        if found is not None:
            return found
    raise CellError(
        _("“%(value)s” is not a yes/no value; write 是 or 否.") % {"value": _shown(value)}
    )


_GENDER_WORDS = {
    **dict.fromkeys(("男", "男性", "m", "male"), "M"),
    **dict.fromkeys(("女", "女性", "f", "female"), "F"),
}


def gender(value: Any) -> str | None:
    """男/女 (男性/女性, M/F) as "M" or "F"."""
    if is_blank(value):
        return None
    found = _GENDER_WORDS.get(fold(value)) if isinstance(value, str) else None
    if found is None:
        raise CellError(
            _("“%(value)s” is not a gender; write 男 or 女.") % {"value": _shown(value)}
        )
    return found


# --- dates ----------------------------------------------------------------------------------

# A date may be any day of the 20th or 21st century (a birth date, a founding date); a year a
# record is kept under (awarded, named, a batch) is a year the models accept (YEAR_RANGE).
EARLIEST_YEAR = 1900
EARLIEST_RECORD_YEAR, LATEST_YEAR = YEAR_RANGE
# Excel stores a date as days since 1899-12-30; 20000–80000 is 1954–2119, so a number in that
# range in a date column is a date cell whose format was lost (CSV export, "general" format).
EXCEL_EPOCH = datetime.date(1899, 12, 30)
SERIAL_DATE_RANGE = (20000, 80000)

_SEP = r"\s*[-/.年]\s*"
_TIME_TAIL = r"(?:[ tT]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_FULL_DATE = re.compile(
    rf"^(\d{{4}}){_SEP}(\d{{1,2}})\s*(?:[-/.月])\s*(\d{{1,2}})\s*[日号]?{_TIME_TAIL}$"
)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH = re.compile(rf"^(\d{{4}}){_SEP}(\d{{1,2}})\s*月?(?:份)?$")
_COMPACT_MONTH = re.compile(r"^(\d{4})(\d{2})$")
_YEAR = re.compile(r"^(\d{4})\s*(?:年度?)?$")
_YEAR_ONLY = re.compile(r"^(\d{4})(?:\.0+)?\s*(?:年度?)?$")  # "2023.0": a year column in CSV


def _make_date(raw: Any, year: int, month: int = 1, day: int = 1) -> datetime.date:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise CellError(
            _("“%(value)s”: the year must be between %(earliest)d and %(latest)d.")
            % {"value": _shown(raw), "earliest": EARLIEST_YEAR, "latest": LATEST_YEAR}
        )
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError(_("“%(value)s” is not a real date.") % {"value": _shown(raw)}) from None


def _not_a_date(raw: Any) -> CellError:
    return CellError(
        _("“%(value)s” is not a date; write it like 2023-05-08 or 2023年5月8日.")
        % {"value": _shown(raw)}
    )


def _serial_date(raw: Any, serial: int) -> datetime.date:
    # The serial range reaches 2119: the year is checked like a typed one (a date of 2101 is
    # refused, not stored and then refused when the record is read back).
    day = EXCEL_EPOCH + datetime.timedelta(days=serial)
    return _make_date(raw, day.year, day.month, day.day)


def _date_from_number(raw: Any, number: float) -> datetime.date:
    if number.is_integer():
        whole = int(number)
        if EARLIEST_YEAR <= whole <= LATEST_YEAR:
            return _make_date(raw, whole)
        if SERIAL_DATE_RANGE[0] <= whole <= SERIAL_DATE_RANGE[1]:
            return _serial_date(raw, whole)
        digits = str(whole)
        if _COMPACT_DATE.match(digits) or _COMPACT_MONTH.match(digits):
            return _date_from_text(raw, digits)
        raise _not_a_date(raw)
    if SERIAL_DATE_RANGE[0] <= number <= SERIAL_DATE_RANGE[1]:
        # A date-time serial: the fraction is the time of day.
        return _serial_date(raw, math.floor(number))
    # `2023.5` typed into a cell Excel treats as a number: the fraction is the month, but a
    # trailing zero is gone, so 2023.1 may have been 2023.10.
    whole_part, _dot, fraction = repr(number).partition(".")
    if len(whole_part) == 4 and fraction.isdigit() and len(fraction) <= 2:
        if fraction == "1":
            raise CellError(
                _(
                    "“%(value)s” could be January or October: Excel dropped the final 0. "
                    "Write the month as 2023年10月 or 2023-10."
                )
                % {"value": _shown(raw)}
            )
        return _make_date(raw, int(whole_part), int(fraction))
    raise _not_a_date(raw)


def date(value: Any) -> datetime.date | None:
    """A date as a real Excel date or typed as 2023-05-08, 2023/5/8, 2023.5.8, 2023年5月8日,
    20230508; 2023年5月 / 2023-05 is the first of the month and 2023 / 2023年 is 1 January."""
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return _make_date(value, value.year, value.month, value.day)
    if isinstance(value, datetime.date):
        return _make_date(value, value.year, value.month, value.day)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _not_a_date(value)
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise _not_a_date(value)
        return _date_from_number(value, float(value))
    return _date_from_text(value, text(value).translate(_FOLD_WIDTH))  # ： － typed full-width


def _date_from_text(value: Any, cleaned: str) -> datetime.date:
    for pattern in (_FULL_DATE, _COMPACT_DATE):
        match = pattern.match(cleaned)
        if match:
            return _make_date(value, *(int(part) for part in match.groups()))
    for pattern in (_MONTH, _COMPACT_MONTH):
        match = pattern.match(cleaned)
        if match:
            return _make_date(value, int(match[1]), int(match[2]))
    match = _YEAR.match(cleaned)
    if match:
        return _make_date(value, int(match[1]))
    if re.fullmatch(r"\d+(?:\.\d+)?", cleaned):
        return _date_from_number(value, float(cleaned))
    raise _not_a_date(value)


def year(value: Any) -> int | None:
    """A year: 2023, 2023.0, "2023", "2023年", "2023年度", or a date (its year)."""
    if is_blank(value):
        return None
    found: int | None = None
    if isinstance(value, datetime.date):  # datetime is a date too
        found = value.year
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if math.isfinite(value) and float(value).is_integer():
            found = int(value)
    elif isinstance(value, str):
        match = _YEAR_ONLY.match(text(value).translate(_FOLD_WIDTH))
        if match:
            found = int(match[1])
        else:
            try:
                parsed = date(value)
            except CellError:
                parsed = None
            found = parsed.year if parsed else None
    if found is None:
        raise CellError(
            _("“%(value)s” is not a year; write it like 2023.") % {"value": _shown(value)}
        )
    if not EARLIEST_RECORD_YEAR <= found <= LATEST_YEAR:
        raise CellError(
            _("“%(value)s”: the year must be between %(earliest)d and %(latest)d.")
            % {"value": _shown(value), "earliest": EARLIEST_RECORD_YEAR, "latest": LATEST_YEAR}
        )
    return found


# --- numbers --------------------------------------------------------------------------------

# Units people write after a count; never magnitudes (万, 千), which would change the number.
COUNT_UNITS = (
    "人次",
    "人",
    "名",
    "位",
    "个",
    "家",
    "户",
    "口",
    "次",
    "场",
    "期",
    "项",
    "件",
    "条",
    "所",
    "批",
    "班",
    "天",
    "日",
    "小时",
    "学时",
    "课时",
    "岁",
)
_COUNT = re.compile(
    r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.0*)?\s*(?:" + "|".join(COUNT_UNITS) + r")?$"
)
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


_SPACE_BESIDE_NON_DIGIT = re.compile(r"\s+(?=\D)|(?<=\D)\s+")


def _numeric_text(value: str) -> str:
    """Half-width, with spaces dropped except between digits ("12 家" is 12, "12 34" no number)."""
    return _SPACE_BESIDE_NON_DIGIT.sub("", text(value).translate(_FOLD_WIDTH))


def integer(value: Any, *, allow_negative: bool = False) -> int | None:
    """A whole number: 12, 12.0, "12", "1,234", "12人", "12 家"."""
    if is_blank(value):
        return None
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float):
        number = int(value) if math.isfinite(value) and value.is_integer() else None
    elif isinstance(value, str):
        match = _COUNT.match(_numeric_text(value))
        if match:
            number = int(match[2].replace(",", ""))
            number = -number if match[1] == "-" else number
    if number is None:
        raise CellError(
            _("“%(value)s” is not a whole number.") % {"value": _shown(value)},
        )
    if number < 0 and not allow_negative:
        raise CellError(_("“%(value)s” must not be negative.") % {"value": _shown(value)})
    return number


_CURRENCY_PREFIXES = ("¥", "RMB", "rmb", "人民币")
WAN = Decimal(10000)


def decimal(
    value: Any,
    *,
    wan: bool = False,
    places: int | None = 2,
    max_digits: int | None = None,
    allow_negative: bool = False,
) -> Decimal | None:
    """A decimal number (an amount of money in 元 by default), exact to `places` decimals.

    Accepts "1,234.56", "1234.5元", "￥1,234" and numbers. With `wan` the column is in 万元 and
    the value is multiplied by 10 000. A unit written in the cell wins over the column's:
    "3万" or "3万元" is 30 000 元 in any column, "12500元" is 12 500 元 even in a 万元 column.

    A value with more decimals than `places`, or more than `max_digits` digits in all, is an
    error naming the rule: it is never rounded or cut (120.291 is not stored as 120.29). A
    number cell is read as Excel shows it, to 15 significant digits, so the binary noise of a
    formula (0.1 + 0.2 = 0.30000000000000004) is not mistaken for decimals.
    """
    if is_blank(value):
        return None
    amount: Decimal | None = None
    in_wan = wan
    if isinstance(value, bool):
        amount = None
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        # Decimal(value) would carry the binary expansion (1234.56 is 1234.55999…); Excel keeps
        # and shows 15 significant digits, and so does this.
        amount = Decimal(_float_text(value)) if math.isfinite(value) else None
    elif isinstance(value, Decimal):
        amount = value if value.is_finite() else None
    elif isinstance(value, str):
        cleaned = _numeric_text(value)
        for prefix in _CURRENCY_PREFIXES:
            cleaned = cleaned.removeprefix(prefix)
        if cleaned.endswith(("万元", "万")):
            cleaned, in_wan = cleaned.removesuffix("元").removesuffix("万"), True
        elif cleaned.endswith("元"):
            cleaned, in_wan = cleaned.removesuffix("元"), False
        if _NUMBER.match(cleaned):
            try:
                amount = Decimal(cleaned.replace(",", ""))
            except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
                amount = None
    if amount is None:
        raise CellError(
            _("“%(value)s” is not an amount; write a number such as 1234.56.")
            % {"value": _shown(value)}
        )
    if amount < 0 and not allow_negative:
        raise CellError(_("“%(value)s” must not be negative.") % {"value": _shown(value)})
    if in_wan:
        amount *= WAN
    if amount == 0:
        amount = abs(amount)  # "-0" is zero, not "-0.00"
    if places is None:
        return amount
    try:
        exact = amount.quantize(Decimal(1).scaleb(-places))
    except InvalidOperation:
        # More digits than decimal arithmetic keeps (28): no real amount, and no column holds it.
        raise CellError(
            _("“%(value)s” is too large to be an amount.") % {"value": _shown(value)}
        ) from None
    if exact != amount:
        raise CellError(
            _("“%(value)s”: at most %(places)d digits after the decimal point.")
            % {"value": _shown(value), "places": places}
        )
    if max_digits is not None and len(exact.as_tuple().digits) > max_digits:
        raise CellError(
            _("“%(value)s”: at most %(digits)d digits before the decimal point.")
            % {"value": _shown(value), "digits": max_digits - places}
        )
    return exact


# --- identifiers ----------------------------------------------------------------------------


class Masked(str):
    """A masked ID or phone number as an export shows it (330381********1234): not a value of
    its own, but "what the record holds", restored by the import from the record it names."""

    __slots__ = ()


def masked(value: Any) -> Masked | None:
    """The cell as `Masked` when it holds a masked number (digits with a run of *), else None."""
    if type(value) is not str or "*" not in value:
        return None
    cleaned = _ALL_SPACE.sub("", text(value)).lstrip("'`")
    if re.fullmatch(r"[0-9]*\*+[0-9Xx]*", cleaned) and any(c.isdigit() for c in cleaned):
        return Masked(cleaned.upper())
    return None


_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:\.\d+)?[eE][+-]?\d+$")
# Cells `id_number` and `phone` would return as they are (ASCII digits: \d takes any script's).
_CLEAN_ID_NUMBER = re.compile(r"[0-9]{17}[0-9X]")
_CLEAN_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def _is_number_cell(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _validation_message(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def id_number(value: Any) -> str | None:
    """A citizen ID number, checked (format, birth date, check digit); a lowercase x becomes X.

    A cell Excel holds as a number is refused: an 18-digit number keeps only 15 significant
    digits, so the stored ID would be wrong even when it looks right.
    """
    if type(value) is str and _CLEAN_ID_NUMBER.fullmatch(value):
        cleaned = value  # most cells: nothing below would change them, only the check is left
    elif is_blank(value):
        return None
    else:
        raw = text(value) if not _is_number_cell(value) else ""
        if _is_number_cell(value) or _SCIENTIFIC.match(raw):
            raise CellError(
                _(
                    "The ID number is stored as a number, and Excel loses its last digits. "
                    "Set the ID number column to text format and type the numbers again."
                )
            )
        # A leading apostrophe is how people force text in Excel; it survives in CSV and WPS.
        cleaned = _ALL_SPACE.sub("", raw).lstrip("'‘’`").upper()
    try:
        identity.validate_id_number(cleaned)
    except ValidationError as error:
        raise CellError(_validation_message(error)) from None
    return cleaned


_MOBILE_PREFIX = re.compile(r"^(?:\+?86)(?=1\d{10}$)")
_LANDLINE = re.compile(r"^\(?(0\d{2,3})\)?[\s\-—]*(\d{7,8})(?:\s*(?:-|转|ext\.?)\s*(\d{1,6}))?$")


def phone(value: Any) -> str | None:
    """A mobile number (11 digits, spaces and hyphens removed) or a landline with its area code,
    stored as 0577-65812345. A mobile typed as a number keeps its digits, so numbers are fine."""
    if type(value) is str and _CLEAN_MOBILE.fullmatch(value):
        return value  # most cells: a mobile number as it should be written
    if is_blank(value):
        return None
    if _is_number_cell(value):
        finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
        cleaned = str(int(value)) if finite and float(value).is_integer() else text(value)
    else:
        cleaned = text(value).translate(_FOLD_WIDTH).lstrip("'`")
        # "13800138000.0": a number cell exported to CSV
        cleaned = re.sub(r"^(\d{7,})\.0+$", r"\1", cleaned)
    compact = _MOBILE_PREFIX.sub("", re.sub(r"[\s\-—]", "", cleaned))
    if identity.MOBILE_PATTERN.match(compact):
        cleaned = compact
    else:
        # Without a separator the area code's length is unknown (010 or 0101?): keep as typed.
        landline = _LANDLINE.match(cleaned) if re.search(r"[\s\-—()]", cleaned) else None
        if landline:
            area, number, extension = landline.groups()
            cleaned = f"{area}-{number}" + (f"-{extension}" if extension else "")
    try:
        identity.validate_phone(cleaned)
    except ValidationError as error:
        raise CellError(
            _("“%(value)s”: %(problem)s")
            % {"value": _shown(value), "problem": _validation_message(error)}
        ) from None
    return cleaned


def credit_code(value: Any) -> str | None:
    """A unified social credit code, upper-cased and checked (GB 32100)."""
    if is_blank(value):
        return None
    if _is_number_cell(value):
        raise CellError(
            _(
                "The unified social credit code is stored as a number, and Excel loses digits. "
                "Set the column to text format and type the code again."
            )
        )
    cleaned = _ALL_SPACE.sub("", text(value).translate(_FOLD_WIDTH)).lstrip("'`").upper()
    try:
        identity.validate_credit_code(cleaned)
    except ValidationError as error:
        raise CellError(_validation_message(error)) from None
    return cleaned


# --- choices and lists ----------------------------------------------------------------------


class Choices:
    """The accepted spellings of a choice column, compared by `fold`.

    `mapping` maps every accepted spelling to the stored value, e.g. {"县级": "county",
    "县(市、区)级": "county", "市级": "city"}. The first spelling of each stored value is its
    canonical one, listed in error messages. Build it once per column, not per cell.
    """

    def __init__(self, mapping: Mapping[str, str]) -> None:
        self._folded: dict[str, str] = {}
        first_spelling: dict[str, str] = {}
        for spelling, stored in mapping.items():
            key = fold(spelling)
            if self._folded.get(key, stored) != stored:
                raise ValueError(
                    f"{spelling!r} folds to {key!r}, already taken by {self._folded[key]!r}"
                )
            self._folded[key] = stored
            first_spelling.setdefault(stored, spelling)
        self.canonical: tuple[str, ...] = tuple(first_spelling.values())
        self.values: frozenset[str] = frozenset(first_spelling)

    def clean(self, value: Any) -> str | None:
        if is_blank(value):
            return None
        try:
            return self._folded[fold(value)]
        except KeyError:
            raise CellError(
                _("“%(value)s” is not one of: %(options)s")
                % {"value": _shown(value), "options": _(", ").join(self.canonical)}
            ) from None

    def __contains__(self, value: object) -> bool:
        return fold(value) in self._folded


def _as_choices(options: Mapping[str, str] | Choices) -> Choices:
    return options if isinstance(options, Choices) else Choices(options)


def choice(value: Any, options: Mapping[str, str] | Choices) -> str | None:
    """The stored value for the spelling in the cell; pass a `Choices` to avoid refolding."""
    return _as_choices(options).clean(value)


_LIST_SEPARATORS = frozenset("、,，;；/／\n")
_OPENING = frozenset("(（[［【〔")
_CLOSING = frozenset(")）]］】〕")


def split_list(value: Any) -> list[str]:
    """Items of a list cell separated by 、 , ， ; ； / or line breaks, blanks dropped. A
    separator inside brackets belongs to the item: "县(市、区)级、市级" is two items."""
    if is_blank(value):
        return []
    items: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text(value):
        if char in _OPENING:
            depth += 1
        elif char in _CLOSING:
            depth = max(depth - 1, 0)
        elif char in _LIST_SEPARATORS and depth == 0:
            items.append("".join(current))
            current = []
            continue
        current.append(char)
    items.append("".join(current))
    return [cleaned for cleaned in map(text, items) if cleaned]


def choice_list(value: Any, options: Mapping[str, str] | Choices) -> list[str]:
    """`split_list`, each item a `choice`, without repeats, in the order written."""
    choices = _as_choices(options)
    return _unique(choices.clean(item) for item in split_list(value))


def _unique(items: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item is not None))
