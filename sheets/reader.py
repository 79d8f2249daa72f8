"""Uploaded files in, rows of cells out: .xlsx/.xlsm and .xls through python-calamine, .csv
through the csv module. Anything unreadable is one `SheetError` with a message for the user.

What python-calamine 0.9 returns per cell (checked in sheets/tests/test_reader.py):

- empty cell: "" (never None), also for the covered cells of a merged range;
- text: str, as stored (a text cell holding "330381199001011234" stays that string);
- number: float in .xlsx, even when integral (12 → 12.0); in .xls an integral number is an int
  (12) and others are float. An 18-digit ID typed as a number is a float such as
  3.303811990010113e+17, its last digits already lost;
- boolean: bool;
- date-formatted number: datetime.date; date-time format: datetime.datetime; time format:
  datetime.time; duration format ([h]:mm): datetime.timedelta. A date typed as text
  ("2023年5月8日") stays str; a date whose cell format was lost is a float serial (45054.0);
- formula: its cached result as above; a formula saved without a cached value (openpyxl
  writes those) reads as "";
- error (#N/A, #DIV/0!, #REF!): "" — indistinguishable from an empty cell;
- merged cells: the value in the top-left cell only. `read_sheet` copies the value of a
  merged range one column wide down the range (a region or unit merged over its rows), so each
  row carries it; wider merged ranges (titles, notes) are left as calamine gives them.

CSV cells are all str ("" when empty). Rows are returned from the first row of the sheet, so
row i of `Sheet.rows` is the sheet's row i + 1; blank rows in the middle are kept, trailing
blank rows dropped, and trailing blank cells of each row trimmed.

Guards: a file over `max_bytes` is refused before parsing; a sheet whose extent (last row ×
last column) would exceed `max_cells`, or with more than `max_rows` rows, is refused. For .xlsx
the extent is found by scanning the worksheet XML before calamine sees it, because calamine
allocates the full rectangle up to the farthest cell and aborts the whole process when that
allocation fails (one stray value in XFD1048576 is enough).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import python_calamine
from django.utils.translation import gettext as _

from sheets.headers import column_letter

__all__ = [
    "MAX_BYTES",
    "MAX_CELLS",
    "MAX_ROWS",
    "SUPPORTED_EXTENSIONS",
    "Sheet",
    "SheetError",
    "read_sheet",
    "too_large",
]

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 1_000_000
# About 1 GB inside calamine (32 bytes a cell) at the worst: 1,000,000 rows of 20 columns.
MAX_CELLS = 20_000_000
# Uncompressed size of all parts of a workbook; a 100,000-row sheet is about 50 MB of XML.
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024
SUPPORTED_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".csv")
EXCEL_MAX_COLUMNS = 16384

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class SheetError(Exception):
    """A file that cannot be read as a sheet; `.message` is for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Sheet:
    rows: list[list[Any]]
    sheet_name: str | None


def read_sheet(
    data: bytes,
    filename: str,
    *,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
    max_cells: int = MAX_CELLS,
) -> Sheet:
    """The first visible worksheet with data of an .xlsx/.xlsm/.xls file, or a .csv file."""
    extension = PurePath(filename).suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        raise SheetError(
            _("“%(name)s” is not a file type that can be imported. Upload a %(types)s file.")
            % {"name": PurePath(filename).name, "types": _(", ").join(SUPPORTED_EXTENSIONS)}
        )
    if len(data) > max_bytes:
        raise too_large(len(data), max_bytes)
    if not data or data.isspace():
        raise _empty()
    limits = _Limits(max_rows=max_rows, max_cells=max_cells)
    if data.startswith(ZIP_MAGIC):
        sheet = _read_zip_workbook(data, limits)
    elif data.startswith(OLE_MAGIC):
        sheet = _read_ole_workbook(data, limits)
    elif extension == ".csv":
        sheet = _read_csv(data, limits)
        _trim(sheet.rows)
    else:
        raise _not_a_workbook(data)
    if not sheet.rows:
        raise _empty()
    return sheet


@dataclass(frozen=True)
class _Limits:
    max_rows: int
    max_cells: int

    def check(self, rows: int, columns: int) -> None:
        if rows > self.max_rows:
            raise SheetError(
                _("The sheet has more than %(limit)d rows; split it into smaller files.")
                % {"limit": self.max_rows}
            )
        if rows * columns > self.max_cells:
            raise SheetError(
                _(
                    "The sheet reaches row %(row)d and column %(column)s, too large to import. "
                    "Delete the unused rows and columns (or split the sheet) and try again."
                )
                % {"row": rows, "column": column_letter(columns - 1)}
            )


def too_large(size: int, limit: int) -> SheetError:
    """The message for a file over the upload limit (the admin's form says the same)."""
    return SheetError(
        _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
        % {"size": _megabytes(size), "limit": _megabytes(limit)}
    )


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".removesuffix(".0")


# --- messages -------------------------------------------------------------------------------


def _too_large_unpacked() -> SheetError:
    return SheetError(
        _(
            "The workbook is too large once unpacked. Delete unused sheets, rows and columns, "
            "or split it into smaller files."
        )
    )


def _empty() -> SheetError:
    return SheetError(_("The file contains no data."))


def _damaged() -> SheetError:
    return SheetError(
        _(
            "The file is damaged or incomplete and cannot be read. Open it in Excel or WPS, "
            "save it again as .xlsx and upload the new file."
        )
    )


def _password() -> SheetError:
    return SheetError(
        _(
            "The workbook is protected with a password. Open it in Excel or WPS, remove the "
            "password (or save an unprotected copy) and upload that file."
        )
    )


def _not_a_spreadsheet(kind: str) -> SheetError:
    return SheetError(
        _("This file is a %(kind)s, not a spreadsheet. Upload an Excel (.xlsx, .xls) or CSV file.")
        % {"kind": kind}
    )


def _not_a_workbook(data: bytes) -> SheetError:
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"mime-version")):
        # Many systems export a web page or XML named .xls; Excel opens it with a warning.
        return SheetError(
            _(
                "This file is named like an Excel file but is a web page or XML export. "
                "Open it in Excel or WPS, choose Save As, pick the .xlsx format and upload "
                "the new file."
            )
        )
    if b"\x00" not in data[:4096] and _decodes_as_text(data[:4096]):
        return SheetError(
            _(
                "This file is named like an Excel file but contains plain text. Save it as "
                ".xlsx from Excel or WPS, or rename it to .csv if it is comma-separated."
            )
        )
    return _not_a_spreadsheet(_("file of another kind (an image or a document, for example)"))


def _decodes_as_text(sample: bytes) -> bool:
    for encoding in ("utf-8", "gb18030"):
        try:
            sample.decode(encoding)
        except UnicodeDecodeError as error:
            if error.start >= len(sample) - 4:  # a character cut by the sample's end
                return True
            continue
        return True
    return False


# --- Excel workbooks ------------------------------------------------------------------------


def _read_zip_workbook(data: bytes, limits: _Limits) -> Sheet:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except Exception:
        raise _damaged() from None
    with archive:
        if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
            raise _zip_kind(archive, names)
        try:
            _check_zip_extents(archive, limits)
        except SheetError:
            raise
        except Exception:
            raise _damaged() from None
    return _read_with_calamine(data, limits)


def _zip_kind(archive: zipfile.ZipFile, names: set[str]) -> SheetError:
    if "word/document.xml" in names:
        return _not_a_spreadsheet(_("Word document"))
    if "ppt/presentation.xml" in names:
        return _not_a_spreadsheet(_("PowerPoint presentation"))
    if "mimetype" in names:
        try:
            mimetype = archive.read("mimetype")[:100]
        except Exception:
            mimetype = b""
        if b"spreadsheet" in mimetype:
            return SheetError(
                _(
                    "OpenDocument spreadsheets (.ods) cannot be imported. Open the file in "
                    "WPS or LibreOffice, save it as .xlsx and upload the new file."
                )
            )
    return _not_a_spreadsheet(_("ZIP archive"))


def _read_ole_workbook(data: bytes, limits: _Limits) -> Sheet:
    # An encrypted .xlsx is an OLE compound file holding EncryptionInfo and EncryptedPackage
    # streams; the directory stores stream names in UTF-16.
    if _ole_stream("EncryptionInfo") in data or _has_biff_filepass(data):
        raise _password()
    if _ole_stream("Workbook") not in data and _ole_stream("Book") not in data:
        if _ole_stream("WordDocument") in data:
            raise _not_a_spreadsheet(_("Word document"))
        if _ole_stream("PowerPoint Document") in data:
            raise _not_a_spreadsheet(_("PowerPoint presentation"))
    return _read_with_calamine(data, limits)


def _ole_stream(name: str) -> bytes:
    """A stream name as a compound file's directory stores it (UTF-16, NUL-terminated)."""
    return name.encode("utf-16-le") + b"\x00\x00"


_BIFF_BOF = 0x0809
_BIFF_EOF = 0x000A
_BIFF_FILEPASS = 0x002F


def _has_biff_filepass(data: bytes) -> bool:
    """Whether the .xls workbook globals carry a FILEPASS record (password to open).

    calamine reports such files only as "cannot detect file format". Excel writes FILEPASS
    right after the first BOF, so walking the records that follow a sector-aligned BOF finds
    it without a full compound-file reader.
    """
    for start in range(512, min(len(data), 512 * 64), 512):
        if int.from_bytes(data[start : start + 2], "little") != _BIFF_BOF:
            continue
        position = start
        for _record in range(64):
            record = int.from_bytes(data[position : position + 2], "little")
            length = int.from_bytes(data[position + 2 : position + 4], "little")
            if record == _BIFF_FILEPASS:
                return True
            if record == _BIFF_EOF or position + 4 > len(data):
                break
            position += 4 + length
        return False
    return False


def _read_with_calamine(data: bytes, limits: _Limits) -> Sheet:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        for meta in workbook.sheets_metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            # Hidden sheets hold the lists behind a template's dropdowns, not data.
            if meta.visible != python_calamine.SheetVisibleEnum.Visible:
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            end = sheet.end
            if end is None:
                continue
            # For .xls calamine has allocated the sheet by now, but that format stops at
            # 65,536 × 256 cells; .xlsx was checked before calamine saw it.
            limits.check(end[0] + 1, end[1] + 1)
            rows = sheet.to_python(skip_empty_area=False)
            _fill_merged(rows, sheet.merged_cell_ranges or [])
            _trim(rows)
            if rows:
                return Sheet(rows=rows, sheet_name=meta.name)
        raise _empty()
    except SheetError:
        raise
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:
        # calamine raises CalamineError subclasses, and pyo3's PanicException (a BaseException)
        # when its Rust code panics on a malformed file; none of them may reach the user.
        raise _damaged() from None


def _fill_merged(
    rows: list[list[Any]], ranges: list[tuple[tuple[int, int], tuple[int, int]]]
) -> None:
    for (first_row, first_col), (last_row, last_col) in ranges:
        if first_col != last_col or last_row <= first_row or first_row >= len(rows):
            continue
        top = rows[first_row]
        if first_col >= len(top):
            continue
        value = top[first_col]
        for row in rows[first_row + 1 : last_row + 1]:
            if first_col < len(row) and row[first_col] == "":
                row[first_col] = value


# --- .xlsx extent guard ---------------------------------------------------------------------

# The "shape" of worksheet XML: capitals → A, other letters → a (but c and r, which name cell
# tags and their reference), digits → 0, quotes → ", and whitespace, ">" and "/" → space so that
# every cell start tag reads `<c ` and a usual one `<c r="A`. ":" → "<" folds namespaced tags
# (`<x:c`) in.
_SHAPE = bytes.maketrans(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabdefghijklmnopqstuvwxyz0123456789\t\r\n'>/:",
    b"A" * 26 + b"a" * 24 + b"0" * 10 + b'   "  <',
)
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_REF_ATTRIBUTE = re.compile(rb"""(?:^|\s)r\s*=\s*["']([A-Za-z]{0,3})(\d*)["']""")
_WIDE_REF = re.compile(rb' r="([A-Z]{2,3})\d')
_WORKSHEET_RELATION = re.compile(
    rb"<(?:\w+:)?Relationship\b[^>]*?Type=\"[^\"]*/worksheet\"[^>]*>", re.IGNORECASE
)
_TARGET = re.compile(rb'Target="([^"]+)"')


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - ord("A") + 1
    return number


def _worksheet_parts(archive: zipfile.ZipFile, names: set[str]) -> set[str]:
    parts = {name for name in names if name.startswith("xl/worksheets/") and name.endswith(".xml")}
    if "xl/_rels/workbook.xml.rels" in names:
        rels = archive.read("xl/_rels/workbook.xml.rels")
        for relation in _WORKSHEET_RELATION.findall(rels):
            target = _TARGET.search(relation)
            if target:
                path = target[1].decode("utf-8", "replace")
                path = path.lstrip("/") if path.startswith("/") else f"xl/{path}"
                parts.add(str(PurePath(path)).replace("\\", "/"))
    return parts & names


def _check_zip_extents(archive: zipfile.ZipFile, limits: _Limits) -> None:
    infos = archive.infolist()
    if sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES:
        raise _too_large_unpacked()
    for name in _worksheet_parts(archive, {info.filename for info in infos}):
        with archive.open(name) as part:
            xml = part.read(MAX_UNZIPPED_BYTES + 1)
        if len(xml) > MAX_UNZIPPED_BYTES:  # the declared size lied
            raise _too_large_unpacked()
        rows, columns = _xml_extent(xml, limits)
        limits.check(rows, columns)


def _xml_extent(xml: bytes, limits: _Limits) -> tuple[int, int]:
    """(last row, last column) of the cells of a worksheet part, as far as they matter for
    `limits`: the row is the largest reference at or above the size that could break a limit
    (1 when there is none), the column is exact past Z and at most 26 otherwise.

    Scanning every reference with a regex takes as long as calamine's own parse, so the usual
    case is decided by counting and finding substrings in the sheet's shape (see _SHAPE):
    `<c r="AA` is a column past Z, "A000000" a reference to a row of 6+ digits.
    """
    shape = xml.translate(_SHAPE)
    if shape.count(b"<c ") != shape.count(b'<c r="A'):
        # Some cell has no reference, or an unusual one: place every cell the slow way.
        return _walk_extent(xml)
    if b'<c r="AA' in shape:
        columns = max(26, *(_column_number(letters) for letters in _WIDE_REF.findall(xml)))
        return _rows_beyond(xml, shape, limits, columns), columns
    rows = _rows_beyond(xml, shape, limits, 26)
    if rows > limits.max_rows or rows * 26 <= limits.max_cells:
        return rows, 26
    # A long sheet: its real width decides (a few more searches, for a sheet this size).
    columns = next(
        (
            26 - index
            for index, letter in enumerate(b"ZYXWVUTSRQPONMLKJIHGFEDCB")
            if b'<c r="' + bytes([letter]) in xml
        ),
        1,
    )
    return _rows_beyond(xml, shape, limits, columns), columns


def _rows_beyond(xml: bytes, shape: bytes, limits: _Limits, columns: int) -> int:
    """The largest row reference with as many digits as the row limit for this width, or the
    first one past that limit; 1 when every reference is shorter."""
    limit = max(1, min(limits.max_rows, limits.max_cells // columns))
    marker = b"A" + b"0" * len(str(limit))
    rows = 1
    position = shape.find(marker)
    while position != -1:
        rows = max(rows, _row_at(xml, shape, position))
        if rows > limit:
            # Too large already; the last reference is usually the farthest, for the message.
            return max(rows, _row_at(xml, shape, shape.rfind(marker)))
        position = shape.find(marker, position + 1)
    return rows


def _row_at(xml: bytes, shape: bytes, position: int) -> int:
    """The row of the cell reference whose letters end at `position`, 0 when it is none."""
    start = position
    while start > 0 and shape[start - 1] == ord("A"):
        start -= 1
    number = xml[position + 1 : shape.find(b'"', position)]
    if shape[start - 4 : start] == b' r="' and number.isdigit():
        return int(number)
    return 0


def _walk_extent(xml: bytes) -> tuple[int, int]:
    """Place every cell as calamine does: at its reference, or after the previous cell (and
    the previous row) when it has none."""
    row = column = 0
    last_row = last_column = 0
    for tag in _TAG.finditer(xml):
        reference = _REF_ATTRIBUTE.search(tag[2])
        if tag[1] == b"row":
            row = int(reference[2]) if reference and reference[2] else row + 1
            column = 0
            continue
        if reference and reference[1]:
            column = _column_number(reference[1])
            row = int(reference[2]) if reference[2] else row
        else:
            column += 1
        last_row, last_column = max(last_row, row, 1), max(last_column, column)
    return last_row, min(max(last_column, 1), EXCEL_MAX_COLUMNS)


# --- CSV ------------------------------------------------------------------------------------

_CSV_DELIMITERS = ",;\t"


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # "Unicode text" saved by Excel
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        # Excel and WPS save "CSV UTF-8" with a BOM and plain CSV in the system code page,
        # GBK on Chinese Windows; GB18030 is its superset.
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _unknown_encoding()


def _unknown_encoding() -> SheetError:
    return SheetError(
        _(
            "The text encoding of the CSV file is not recognised. Save it from Excel or WPS "
            "as “CSV UTF-8” or as .xlsx and upload it again."
        )
    )


def _delimiter(content: str) -> str:
    sample = content[:16384]
    if len(content) > len(sample) and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    try:
        return csv.Sniffer().sniff(sample, delimiters=_CSV_DELIMITERS).delimiter
    except csv.Error:
        return ","


def _looks_like_utf16(sample: bytes) -> bool:
    """Text saved as UTF-16 without its byte-order mark: its ASCII characters (digits,
    commas, line breaks) leave NULs in every other byte, all on the same side, where other
    binary data has them on both (a Chinese character such as 一, U+4E00, adds a few)."""
    even, odd = sample[0::2], sample[1::2]
    nuls = sorted((even.count(0), odd.count(0)))
    return nuls[1] >= max(2, len(sample) // 16) and nuls[0] * 8 <= nuls[1]


def _read_csv(data: bytes, limits: _Limits) -> Sheet:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        if _looks_like_utf16(data[:4096]):
            raise _unknown_encoding()
        raise _not_a_workbook(data)
    content = _decode(data)
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=_delimiter(content))
    rows: list[list[Any]] = []
    try:
        for row in reader:
            if len(rows) >= limits.max_rows:
                limits.check(len(rows) + 1, 1)
            rows.append(row)
    except csv.Error:
        raise _damaged() from None
    return Sheet(rows=rows, sheet_name=None)


# --- trimming -------------------------------------------------------------------------------


def _blank(cell: Any) -> bool:
    return cell is None or cell == "" or (type(cell) is str and cell.isspace())


def _trim(rows: list[list[Any]]) -> None:
    for row in rows:
        while row and _blank(row[-1]):
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
