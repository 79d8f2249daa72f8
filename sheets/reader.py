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
import html
import io
import itertools
import operator
import re
import zipfile
from dataclasses import dataclass
from operator import methodcaller
from pathlib import PurePath
from typing import Any
from xml.parsers import expat

import python_calamine
from django.conf import settings
from django.utils.translation import gettext as _

from sheets.headers import column_letter

__all__ = [
    "MAX_BYTES",
    "MAX_CELLS",
    "SUPPORTED_EXTENSIONS",
    "Sheet",
    "SheetError",
    "read_sheet",
    "too_large",
]

MAX_BYTES = 20 * 1024 * 1024
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
    max_rows: int | None = None,
    max_cells: int = MAX_CELLS,
    max_columns: int | None = None,
    max_cell_chars: int | None = None,
    max_total_chars: int | None = None,
) -> Sheet:
    """The first visible worksheet with data of an .xlsx/.xlsm/.xls file, or a .csv file.

    The limits not given come from the settings (SHEETS_MAX_ROWS, SHEETS_MAX_COLUMNS,
    SHEETS_MAX_CELL_CHARS, SHEETS_MAX_TOTAL_CHARS); every path that reads a sheet — the admin's
    upload, `import_sheet`, the error workbook — comes through here and so keeps them."""
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
    limits = _Limits(
        max_rows=settings.SHEETS_MAX_ROWS if max_rows is None else max_rows,
        max_cells=max_cells,
        max_columns=settings.SHEETS_MAX_COLUMNS if max_columns is None else max_columns,
        max_cell_chars=settings.SHEETS_MAX_CELL_CHARS if max_cell_chars is None else max_cell_chars,
        max_total_chars=(
            settings.SHEETS_MAX_TOTAL_CHARS if max_total_chars is None else max_total_chars
        ),
    )
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
    max_columns: int = 16384
    max_cell_chars: int = 32767
    max_total_chars: int = 10**9

    def check(self, rows: int, columns: int, sheet_name: str | None = None) -> None:
        if rows > self.max_rows:
            raise SheetError(
                _(
                    "The sheet %(sheet)s has more than %(limit)d rows (it reaches row %(row)d); "
                    "split it into smaller files."
                )
                % {"sheet": _quoted(sheet_name), "limit": self.max_rows, "row": rows}
            )
        if rows * columns > self.max_cells:
            raise SheetError(
                _(
                    "The sheet reaches row %(row)d and column %(column)s, too large to import. "
                    "Delete the unused rows and columns (or split the sheet) and try again."
                )
                % {"row": rows, "column": column_letter(columns - 1)}
            )
        if columns > self.max_columns:
            raise SheetError(
                _(
                    "The sheet %(sheet)s has more than %(limit)d columns (it reaches column "
                    "%(column)s); delete the unused columns and try again."
                )
                % {
                    "sheet": _quoted(sheet_name),
                    "limit": self.max_columns,
                    "column": column_letter(columns - 1),
                }
            )

    def cell_too_long(self, sheet_name: str | None, row: int, column: int) -> SheetError:
        if row and column and not sheet_name:
            return SheetError(
                _(
                    "The cell in row %(row)d, column %(column)s holds more than %(limit)d "
                    "characters, the most a cell may hold. Shorten it and try again."
                )
                % {"row": row, "column": column_letter(column - 1), "limit": self.max_cell_chars}
            )
        if row and column:
            return SheetError(
                _(
                    "The cell in row %(row)d, column %(column)s of the sheet %(sheet)s holds "
                    "more than %(limit)d characters, the most a cell may hold. Shorten it and "
                    "try again."
                )
                % {
                    "row": row,
                    "column": column_letter(column - 1),
                    "sheet": _quoted(sheet_name),
                    "limit": self.max_cell_chars,
                }
            )
        return SheetError(
            _(
                "The file holds a text of more than %(limit)d characters, the most a cell may "
                "hold. Shorten it and try again."
            )
            % {"limit": self.max_cell_chars}
        )

    def too_much_text(self) -> SheetError:
        return SheetError(
            _(
                "The file holds more than %(limit)d characters of text in all; split it into "
                "smaller files."
            )
            % {"limit": self.max_total_chars}
        )


def _quoted(sheet_name: str | None) -> str:
    return f"“{sheet_name}”" if sheet_name else ""


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
    return _read_with_calamine(data, limits, streamed=True)


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


def _read_with_calamine(data: bytes, limits: _Limits, *, streamed: bool = False) -> Sheet:
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
            if not streamed:
                # .xls: calamine has read it already (BIFF caps it at 65,536 × 256 cells and
                # a cell at 32,767 characters); the cells are measured before any is parsed.
                _check_cells(rows, limits, meta.name)
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


# --- .xlsx guard: streamed before calamine sees the file --------------------------------------

_WORKSHEET_RELATION = re.compile(
    rb"<(?:\w+:)?Relationship\b[^>]*?Type=\"[^\"]*/worksheet\"[^>]*>", re.IGNORECASE
)
_TARGET = re.compile(rb'Target="([^"]+)"')
_RELATION_ID = re.compile(rb'\bId="([^"]+)"')
_SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_SHEET_NAME = re.compile(rb'\bname="([^"]*)"')
_SHEET_RELATION = re.compile(rb'\b(?:\w+:)?id="([^"]+)"')
_CELL_REFERENCE = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")
# Small parts read whole to find the worksheets and their names.
_INDEX_PART_BYTES = 16 * 1024 * 1024
# Parts calamine reads besides the worksheets and shared strings (styles, workbook, relations).
_OTHER_PART_BYTES = 64 * 1024 * 1024
_CHUNK = 1024 * 1024
# Real worksheet XML nests about six elements deep.
_MAX_DEPTH = 64


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _read_small(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as part:
        data = part.read(_INDEX_PART_BYTES + 1)
    if len(data) > _INDEX_PART_BYTES:
        raise _too_large_unpacked()
    return data


def _worksheet_parts(archive: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """Each worksheet part with the name its tab shows (the part's file name if unknown)."""
    parts = {
        name: PurePath(name).stem
        for name in names
        if name.startswith("xl/worksheets/") and name.endswith(".xml")
    }
    if "xl/_rels/workbook.xml.rels" not in names:
        return parts
    rels = _read_small(archive, "xl/_rels/workbook.xml.rels")
    targets: dict[bytes, str] = {}
    for relation in _WORKSHEET_RELATION.findall(rels):
        target, relation_id = _TARGET.search(relation), _RELATION_ID.search(relation)
        if target:
            path = target[1].decode("utf-8", "replace")
            path = path.lstrip("/") if path.startswith("/") else f"xl/{path}"
            path = str(PurePath(path)).replace("\\", "/")
            parts.setdefault(path, PurePath(path).stem)
            if relation_id:
                targets[relation_id[1]] = path
    if "xl/workbook.xml" in names:
        for entry in _SHEET_ENTRY.findall(_read_small(archive, "xl/workbook.xml")):
            name, relation_id = _SHEET_NAME.search(entry), _SHEET_RELATION.search(entry)
            if name and relation_id and relation_id[1] in targets:
                parts[targets[relation_id[1]]] = html.unescape(name[1].decode("utf-8", "replace"))
    return {part: sheet for part, sheet in parts.items() if part in names}


def _check_zip_extents(archive: zipfile.ZipFile, limits: _Limits) -> None:
    """Stream every part calamine will read and refuse the workbook at the first limit it
    passes: cell length, total characters, rows, columns, depth, unpacked size. Memory stays at
    one chunk whatever the file holds; no regular expression sees cell text."""
    infos = archive.infolist()
    if sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES:
        raise _too_large_unpacked()
    names = {info.filename for info in infos}
    worksheets = _worksheet_parts(archive, names)
    if not _plainly_within_limits(archive, names, worksheets, limits):
        _scan_zip_extents(archive, names, worksheets, limits)
    for info in infos:
        if info.filename not in worksheets and info.filename != "xl/sharedStrings.xml":
            _check_part_size(archive, info.filename)


def _scan_zip_extents(
    archive: zipfile.ZipFile, names: set[str], worksheets: dict[str, str], limits: _Limits
) -> None:
    """The exact scan: every element through expat, each limit checked where it is passed (so
    that the refusal names the cell or row). About 3 s of Python for 100,000 rows."""
    budget = _Budget(limits)
    long_strings: set[int] = set()
    if "xl/sharedStrings.xml" in names:
        strings = _SharedStringsScan(limits, budget)
        _stream(archive, "xl/sharedStrings.xml", strings)
        long_strings = strings.long_strings
    for name, sheet_name in sorted(worksheets.items()):
        scan = _WorksheetScan(limits, budget, sheet_name, long_strings)
        _stream(archive, name, scan)
        scan.finish()
    if long_strings:
        # Text no visible cell shows, but calamine would still load it.
        raise limits.cell_too_long(None, 0, 0)


# --- .xlsx guard, the quick look: bounds from byte counts, no Python per element --------------
#
# The exact scan calls Python for every element (nine times per inline-string cell): about 3 s
# of a 100,000-row import, more than calamine's whole read. Most workbooks are plainly within
# every limit, and that can be shown with byte operations that run in C (bytes.count, split,
# findall), each giving a bound at least as large as what the exact scan would count:
#
# - a cell's (or shared string's) text is at most the bytes from its start tag to the next
#   one, since a character is at least one byte (UTF-8 or Latin-1; a NUL byte, as UTF-16 has,
#   sends the part to the exact scan);
# - the workbook's text is at most its bytes less three per tag;
# - the depth is at most the depth where a cell starts plus the tags in the cell, and the depth
#   where the next one starts is known exactly from the counts of "<", "</" and "/>" once the
#   XML is well formed (expat, without handlers, checks that at C speed), has no "<!" (DOCTYPE,
#   comment, CDATA) nor "<?" past the declaration, and has as many ">" as "<" (so that no ">"
#   stands in text or in an attribute and every "/>" closes an empty element);
# - the extent is the largest row and column of the cells' references, when every cell is
#   written `<c r="A1"` (as Excel, WPS and openpyxl write them): the number of such references
#   must equal the number of "<c " and no other spelling of a cell may occur.
#
# When any of this does not hold, or a bound passes a limit, the exact scan runs and gives the
# refusal with its place, exactly as before: the quick look never refuses a file itself.

_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"')
_CELL_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})[0-9]{1,7}"')
_TEXT_ELEMENT = re.compile(rb"<(?:[^\s/>]+:)?[tv][\s/>]")
_BOM = b"\xef\xbb\xbf"
# Marks of a part's records and the spellings of the same element the quick look does not read.
_CELL_MARK = b"<c "
_CELL_OTHER = (
    *(prefix + b"c" + end for prefix in (b"<", b":") for end in (b">", b"/", b"\t", b"\n", b"\r")),
    b":c ",
)
_STRING_MARK = b"<si>"
_STRING_OTHER = (
    *(prefix + b"si" + end for prefix in (b"<", b":") for end in (b" ", b"/", b"\t", b"\n", b"\r")),
    b":si>",
)
_LT, _END, _EMPTY = (methodcaller("count", mark) for mark in (b"<", b"</", b"/>"))
_TWICE = itertools.repeat(2)
_ONE = itertools.repeat(1)


class _Glance:
    """What the quick look has found in one part so far."""

    def __init__(self) -> None:
        self.unpacked = 0
        self.text = 0
        self.depth = 0  # where the next record starts
        self.last_row = 0
        self.columns: set[bytes] = set()


def _plainly_within_limits(
    archive: zipfile.ZipFile, names: set[str], worksheets: dict[str, str], limits: _Limits
) -> bool:
    """Whether byte counts alone show every part within every limit the exact scan checks."""
    parts: list[tuple[str, str | None]] = []
    if "xl/sharedStrings.xml" in names:
        parts.append(("xl/sharedStrings.xml", None))
    parts.extend(sorted(worksheets.items()))
    unpacked = text = 0
    for name, sheet_name in parts:
        glance = _glance(archive, name, limits, cells=sheet_name is not None)
        if glance is None:
            return False
        unpacked += glance.unpacked
        text += glance.text
        if unpacked > MAX_UNZIPPED_BYTES or text > limits.max_total_chars:
            return False
        if sheet_name is not None:
            columns = max((_column_number(c.decode()) for c in glance.columns), default=0)
            try:
                limits.check(
                    max(glance.last_row, 1), min(max(columns, 1), EXCEL_MAX_COLUMNS), sheet_name
                )
            except SheetError:
                return False
    return True


def _glance(archive: zipfile.ZipFile, name: str, limits: _Limits, *, cells: bool) -> _Glance | None:
    """Bounds for one part (None when they cannot be had this way), streamed in chunks cut at a
    record's start tag, so that every record is seen whole."""
    mark = _CELL_MARK if cells else _STRING_MARK
    glance = _Glance()
    parser = expat.ParserCreate()
    # Stopped at a DTD's start, before expat would expand any entity it declares; the exact
    # scan then refuses the file as it always has.
    parser.StartDoctypeDeclHandler = _stop_at_doctype
    carry = b""
    first = True
    # A record longer than this is not one the quick look can pass anyway.
    longest_carry = 4 * _CHUNK + limits.max_cell_chars
    with archive.open(name) as part:
        while True:
            chunk = part.read(_CHUNK)
            glance.unpacked += len(chunk)
            if glance.unpacked > MAX_UNZIPPED_BYTES or b"\x00" in chunk:
                return None
            try:
                parser.Parse(chunk, not chunk)
            except (expat.ExpatError, _Doctype):
                return None
            block = carry + chunk
            if chunk:
                cut = block.rfind(mark)
                if cut <= 0:
                    carry = block
                    if len(carry) > longest_carry:
                        return None
                    continue
                block, carry = block[:cut], block[cut:]
            if not _glance_block(glance, block, mark, limits, cells=cells, first=first):
                return None
            first = False
            if not chunk:
                return glance


class _Doctype(Exception):
    """A DTD met by the quick look."""


def _stop_at_doctype(*args: Any) -> None:
    raise _Doctype


def _glance_block(
    glance: _Glance, block: bytes, mark: bytes, limits: _Limits, *, cells: bool, first: bool
) -> bool:
    start = 0
    if first:
        # The XML declaration (after a UTF-8 byte-order mark) is the one "<?" allowed.
        declaration = len(_BOM) if block.startswith(_BOM) else 0
        if block.startswith(b"<?xml", declaration):
            start = block.find(b"?>", declaration) + 2
    if b"<!" in block or block.find(b"<?", start) != -1:
        return False
    lts = block.count(b"<")
    if lts != block.count(b">"):
        return False
    # Each spelling is looked for only when a cheaper count says it may be there (one pass
    # over the block instead of eleven).
    stem = b"<c" if cells else b"<si"
    if block.count(stem) != block.count(mark) or b":" + stem[1:] in block:
        others = _CELL_OTHER if cells else _STRING_OTHER
        if any(other in block for other in others):
            return False
    if cells:
        rows = _CELL_ROW.findall(block)
        if len(rows) != block.count(mark):
            return False
        if rows:
            glance.last_row = max(glance.last_row, *map(int, set(rows)))
            glance.columns.update(_CELL_COLUMN.findall(block))
    glance.text += len(block) - 3 * lts
    pieces = block.split(mark)
    # The first piece is what precedes the first record: the part's opening, or nothing.
    head = pieces[0]
    records = pieces[1:]
    longest = max(map(len, pieces))
    if longest > limits.max_cell_chars:
        longest_run = max(64 * 1024, 10 * limits.max_cell_chars)
        for piece in pieces:
            if len(piece) > limits.max_cell_chars and (
                _TEXT_ELEMENT.search(piece) or max(map(len, piece.split(b"<"))) > longest_run
            ):
                return False
    head = head[start:]  # the declaration opens nothing
    depth = glance.depth + head.count(b"<") - 2 * head.count(b"</") - head.count(b"/>")
    if glance.depth + head.count(b"<") - head.count(b"</") > _MAX_DEPTH:
        return False
    if records:
        lt = list(map(_LT, records))
        ends = list(map(_END, records))
        # Each record: its own start tag, then its tags; the depth after it, exactly.
        # Elements written empty ("/>") are counted only where the block has any.
        empties = map(_EMPTY, records) if b"/>" in block else itertools.repeat(0)
        nets = map(
            operator.sub,
            map(operator.sub, map(operator.add, lt, _ONE), map(operator.mul, ends, _TWICE)),
            empties,
        )
        starts = list(itertools.accumulate(nets, initial=depth))
        # Within a record the depth is at most where it started plus its start tags.
        peak = max(map(operator.add, starts, map(operator.sub, lt, ends))) + 1
        if peak > _MAX_DEPTH:
            return False
        depth = starts[-1]
    glance.depth = depth
    return True


def _check_part_size(archive: zipfile.ZipFile, name: str) -> None:
    """The real unpacked size of a part (a declared size may lie), counted chunk by chunk."""
    total = 0
    with archive.open(name) as part:
        while chunk := part.read(_CHUNK):
            total += len(chunk)
            if total > _OTHER_PART_BYTES:
                raise _too_large_unpacked()


class _Budget:
    """What the whole workbook may hold: characters of text, unpacked bytes."""

    def __init__(self, limits: _Limits) -> None:
        self.limits = limits
        self.characters = 0
        self.unpacked = 0

    def add_characters(self, count: int) -> None:
        self.characters += count
        if self.characters > self.limits.max_total_chars:
            raise self.limits.too_much_text()


def _stream(archive: zipfile.ZipFile, name: str, scan: _XmlScan) -> None:
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    parser.CharacterDataHandler = scan.text
    parser.StartDoctypeDeclHandler = _refuse_doctype
    # Bytes since the last "<": one text node or one tag. expat holds a tag whole (attributes
    # included) until it ends, so a run longer than any real cell is refused within a chunk of
    # passing the limit; a real cell's text is at most max_cell_chars characters of up to 10
    # bytes each (a character reference such as &#x20000;).
    longest_run = max(64 * 1024, 10 * scan.limits.max_cell_chars)
    run = 0
    with archive.open(name) as part:
        while chunk := part.read(_CHUNK):
            scan.budget.unpacked += len(chunk)
            if scan.budget.unpacked > MAX_UNZIPPED_BYTES:
                raise _too_large_unpacked()
            try:
                parser.Parse(chunk, False)
            except expat.ExpatError:
                raise _damaged() from None
            # Checked after expat has seen the chunk, so that the cell (or shared string) the
            # run belongs to is known; expat then holds at most one chunk past the limit.
            first = chunk.find(b"<")
            if first == -1:
                run += len(chunk)
            else:
                run += first
                if run <= longest_run:
                    run = len(chunk) - chunk.rfind(b"<") - 1
            if run > longest_run:
                scan.long_run()
                return
        try:
            parser.Parse(b"", True)
        except expat.ExpatError:
            raise _damaged() from None


def _refuse_doctype(*args: Any) -> None:
    # Office never writes a DTD; one could only serve entity expansion ("billion laughs").
    raise _damaged()


class _XmlScan:
    """Counts what expat reports; subclasses say which elements hold a cell's text."""

    def __init__(self, limits: _Limits, budget: _Budget) -> None:
        self.limits = limits
        self.budget = budget
        self.depth = 0
        self.in_text = False
        self.cell_chars = 0

    def enter(self) -> None:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise _damaged()

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.enter()

    def end(self, name: str) -> None:
        self.depth -= 1

    def text(self, data: str) -> None:
        if self.in_text:
            count = len(data)
            self.cell_chars += count
            if self.cell_chars > self.limits.max_cell_chars:
                raise self.too_long_here()
            self.budget.add_characters(count)

    def too_long_here(self) -> SheetError:
        return self.limits.cell_too_long(None, 0, 0)

    def long_run(self) -> None:
        """A text or tag longer than any cell may be: refuse, or stop reading this part."""
        raise self.too_long_here()


def _local(name: str) -> str:
    return name.rpartition(":")[2]


class _SharedStringsScan(_XmlScan):
    """xl/sharedStrings.xml: each <si> is one cell text, possibly in several runs."""

    def __init__(self, limits: _Limits, budget: _Budget) -> None:
        super().__init__(limits, budget)
        self.index = -1
        self.long_strings: set[int] = set()

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.enter()
        local = _local(name)
        if local == "si":
            self.index += 1
            self.cell_chars = 0
        elif local == "t":
            self.in_text = True

    def end(self, name: str) -> None:
        self.depth -= 1
        if _local(name) == "t":
            self.in_text = False

    def text(self, data: str) -> None:
        if not self.in_text:
            return
        count = len(data)
        if self.cell_chars <= self.limits.max_cell_chars:
            # Past the cell limit a string is refused anyway: the rest is not counted, so that
            # the message names the cell rather than the total.
            self.budget.add_characters(count)
            self.cell_chars += count
            if self.cell_chars > self.limits.max_cell_chars:
                # Which cell shows it is known only from the worksheet: remember the index.
                self.long_strings.add(self.index)
                if len(self.long_strings) > 1000:
                    raise self.limits.cell_too_long(None, 0, 0)

    def long_run(self) -> None:
        # The string being read is too long; the cell that shows it names the place. The file
        # is refused either way, so the strings after it need not be read.
        self.long_strings.add(self.index)


class _WorksheetScan(_XmlScan):
    """A worksheet part: places every cell as calamine does (at its reference, or after the
    previous cell and row when it has none) and measures the text of each."""

    def __init__(
        self, limits: _Limits, budget: _Budget, sheet_name: str, long_strings: set[int]
    ) -> None:
        super().__init__(limits, budget)
        self.sheet_name = sheet_name
        self.long_strings = long_strings
        self.row = self.column = 0
        self.last_row = self.last_column = 0
        self.shared = False
        self.in_value = False
        self.value = ""

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.enter()
        local = _local(name)
        if local == "c":
            self._place_cell(attributes.get("r", ""))
            self.cell_chars = 0
            self.shared = attributes.get("t") == "s" and bool(self.long_strings)
        elif local == "row":
            number = attributes.get("r", "")
            if number.isascii() and number.isdigit() and len(number) <= 7:
                self.row = int(number)
            else:
                self.row += 1
            self.column = 0
        elif local in ("t", "v"):
            self.in_text = True
            if local == "v" and self.shared:
                self.in_value = True
                self.value = ""

    def _place_cell(self, reference: str) -> None:
        match = _CELL_REFERENCE.fullmatch(reference) if len(reference) <= 10 else None
        if match:
            self.column = _column_number(match[1])
            self.row = int(match[2])
        else:
            self.column += 1
        self.last_row = max(self.last_row, self.row, 1)
        self.last_column = max(self.last_column, self.column)
        if self.last_row > self.limits.max_rows:
            # Stop at the first row past the limit: nothing further can change the answer.
            self.limits.check(self.last_row, 1, self.sheet_name)

    def end(self, name: str) -> None:
        self.depth -= 1
        local = _local(name)
        if local in ("t", "v"):
            self.in_text = False
            if self.in_value:
                self.in_value = False
                if self.value.isdigit() and int(self.value) in self.long_strings:
                    raise self.too_long_here()

    def text(self, data: str) -> None:
        if self.in_value:
            if len(self.value) < 12:
                self.value += data
            return  # a shared-string index: its text was counted with the shared strings
        super().text(data)

    def too_long_here(self) -> SheetError:
        return self.limits.cell_too_long(self.sheet_name, self.row, self.column)

    def finish(self) -> None:
        columns = min(max(self.last_column, 1), EXCEL_MAX_COLUMNS)
        self.limits.check(max(self.last_row, 1), columns, self.sheet_name)


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
    characters = 0
    try:
        for row in reader:
            if len(rows) >= limits.max_rows:
                limits.check(len(rows) + 1, 1)
            characters += _check_row(row, len(rows) + 1, limits, None)
            if characters > limits.max_total_chars:
                raise limits.too_much_text()
            rows.append(row)
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            # The csv module's own cap (131,072 characters) is past ours anyway.
            raise limits.cell_too_long(None, 0, 0) from None
        raise _damaged() from None
    return Sheet(rows=rows, sheet_name=None)


def _check_row(row: list[Any], number: int, limits: _Limits, sheet_name: str | None) -> int:
    """The characters of one row read, after checking its width and each cell's length."""
    if len(row) > limits.max_columns:
        limits.check(number, len(row), sheet_name)
    characters = 0
    for index, cell in enumerate(row):
        if type(cell) is str:
            if len(cell) > limits.max_cell_chars:
                raise limits.cell_too_long(sheet_name, number, index + 1)
            characters += len(cell)
    return characters


def _check_cells(rows: list[list[Any]], limits: _Limits, sheet_name: str) -> None:
    characters = 0
    for number, row in enumerate(rows, start=1):
        characters += _check_row(row, number, limits, sheet_name)
    if characters > limits.max_total_chars:
        raise limits.too_much_text()


# --- trimming -------------------------------------------------------------------------------


def _blank(cell: Any) -> bool:
    return cell is None or cell == "" or (type(cell) is str and cell.isspace())


def _trim(rows: list[list[Any]]) -> None:
    for row in rows:
        while row and _blank(row[-1]):
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
