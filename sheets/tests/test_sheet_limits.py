"""Bounded work for every upload: cell length, total characters, rows, columns and nesting are
checked while the file streams, before calamine, a regular expression or a second parse sees it.

The memory-ceiling tests build each hostile file here (a 195 KB upload once took 23 GB), read it
in a child process exactly as an upload and `import_sheet` are read (`sheets.reader.read_sheet`
with the settings' limits) and assert the refusal, in Chinese and naming the place, and that the
child's peak memory stayed under 500 MB.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils.translation import override

from sheets.reader import SheetError, read_sheet

CEILING_MB = 500
# The child may not grow past this even when the guard is broken: a failing test, not a dead
# machine (the 190 MB cell took 23 GB before the guard).
CHILD_ADDRESS_SPACE = 4 * 1024**3

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="名册" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"
STRINGS_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)

Parts = Callable[[], Iterator[bytes]]


def workbook(path: Path, sheet: Parts, strings: Parts | None = None) -> Path:
    """An .xlsx whose worksheet and shared strings are written chunk by chunk (a 190 MB part
    never exists whole in the test's memory either)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        for name, chunks in (
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/sharedStrings.xml", strings),
        ):
            if chunks is None:
                continue
            with archive.open(name, "w", force_zip64=True) as part:
                for chunk in chunks():
                    part.write(chunk)
    return path


def cells(*rows: str) -> Parts:
    def chunks() -> Iterator[bytes]:
        yield SHEET_HEAD + "".join(rows).encode() + SHEET_TAIL

    return chunks


def repeated(head: bytes, piece: bytes, times: int, tail: bytes) -> Parts:
    def chunks() -> Iterator[bytes]:
        yield head
        batch = max(1, (1 << 20) // len(piece))
        for start in range(0, times, batch):
            yield piece * min(batch, times - start)
        yield tail

    return chunks


HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>'
ONE_SHARED_CELL = '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'


def one_huge_shared_string(path: Path) -> Path:
    """The attack: one text cell of 190 MB in the shared strings; 195 KB once compressed."""
    return workbook(
        path,
        cells(HEADER_ROW, ONE_SHARED_CELL),
        repeated(STRINGS_HEAD + b"<si><t>", b"A" * 1000, 190_000, b"</t></si></sst>"),
    )


def one_huge_inline_cell(path: Path) -> Path:
    return workbook(
        path,
        repeated(
            SHEET_HEAD + HEADER_ROW.encode() + b'<row r="2"><c r="B2" t="inlineStr"><is><t>',
            "职".encode() * 1000,
            60_000,
            b"</t></is></c></row>" + SHEET_TAIL,
        ),
    )


def a_long_text_in_many_runs(path: Path) -> Path:
    """190 MB in one shared string, cut into rich-text runs of 1,900 characters each."""
    return workbook(
        path,
        cells(HEADER_ROW, ONE_SHARED_CELL),
        repeated(
            STRINGS_HEAD + b"<si>", b"<r><t>" + b"x" * 1900 + b"</t></r>", 100_000, b"</si></sst>"
        ),
    )


def a_million_and_one_rows(path: Path) -> Path:
    def chunks() -> Iterator[bytes]:
        yield SHEET_HEAD + HEADER_ROW.encode()
        for start in range(2, 1_000_003, 50_000):
            yield b"".join(
                b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n)
                for n in range(start, min(start + 50_000, 1_000_003))
            )
        yield SHEET_TAIL

    return workbook(path, chunks)


def a_row_across_every_column(path: Path) -> Path:
    return workbook(
        path,
        repeated(SHEET_HEAD + b'<row r="1">', b"<c><v>1</v></c>", 16_384, b"</row>" + SHEET_TAIL),
    )


def deeply_nested_xml(path: Path) -> Path:
    return workbook(
        path,
        repeated(
            SHEET_HEAD + b'<row r="1"><c r="A1">', b"<x>", 500_000, b"</c></row>" + SHEET_TAIL
        ),
    )


def entity_expansion(path: Path) -> Path:
    doctype = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
            for n in range(1, 10)
        )
        + b"]>"
    )
    body = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    body += b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>' + SHEET_TAIL
    return workbook(path, lambda: iter([doctype + body]))


def a_csv_with_a_huge_cell(path: Path) -> Path:
    path.write_bytes("姓名,备注\r\n张三,".encode() + b"x" * 20_000_000 + b"\r\n")
    return path


# name → (builder, file name, what the refusal says)
HOSTILE = {
    "190 MB in one shared string": (
        one_huge_shared_string,
        "名册.xlsx",
        "工作表“名册”第 2 行 A 列的单元格超过 2000 个字符",
    ),
    "60 MB in one inline cell": (
        one_huge_inline_cell,
        "名册.xlsx",
        "工作表“名册”第 2 行 B 列的单元格超过 2000 个字符",
    ),
    "190 MB in rich-text runs": (
        a_long_text_in_many_runs,
        "名册.xlsx",
        "工作表“名册”第 2 行 A 列的单元格超过 2000 个字符",
    ),
    "1,000,001 data rows": (a_million_and_one_rows, "名册.xlsx", "工作表“名册”超过 1000000 行"),
    "16,384 columns": (
        a_row_across_every_column,
        "名册.xlsx",
        "工作表“名册”超过 500 列（已到 XFD 列）",
    ),
    "500,000 nested elements": (deeply_nested_xml, "名册.xlsx", "文件已损坏或不完整"),
    "entity expansion": (entity_expansion, "名册.xlsx", "文件已损坏或不完整"),
    "20 MB in one CSV cell": (a_csv_with_a_huge_cell, "名册.csv", "超过 2000 个字符"),
}

CHILD = """
import json, sys
import django
django.setup()
from django.utils import translation
translation.activate("zh-hans")
from sheets.reader import SheetError, read_sheet
from django.conf import settings
with open(sys.argv[1], "rb") as handle:
    data = handle.read()
try:
    read_sheet(data, sys.argv[2], max_bytes=settings.SHEETS_MAX_UPLOAD_BYTES)
    message = None
except SheetError as error:
    message = error.message
# The high-water mark of this process's own memory. Not getrusage's ru_maxrss: Linux carries
# that over from the parent at fork and exec, so a large test run would be measured, not the read.
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) // 1024
print(json.dumps({"message": message, "peak_mb": peak}, ensure_ascii=False))
"""


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_ADDRESS_SPACE, CHILD_ADDRESS_SPACE))


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_file_is_refused_within_the_memory_ceiling(case: str, tmp_path: Path) -> None:
    build, file_name, said = HOSTILE[case]
    path = build(tmp_path / file_name)
    # Small uploads carry these: the attack is the size once unpacked, not the upload.
    assert path.stat().st_size < 30 * 1024 * 1024
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    env.pop("DATABASE_URL", None)  # the child reads a file; it needs no database
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), file_name],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        preexec_fn=_cap_memory,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["message"] is not None, f"{case}: read without complaint"
    assert said in result["message"], result["message"]
    assert result["peak_mb"] < CEILING_MB, f"{case}: {result['peak_mb']} MB"


# --- the limits themselves, in process ---------------------------------------------------


def read_bytes(path: Path) -> tuple[bytes, str]:
    return path.read_bytes(), path.name


def refusal(data: bytes, file_name: str) -> str:
    with override("zh-hans"), pytest.raises(SheetError) as caught:
        read_sheet(data, file_name)
    return caught.value.message


@override_settings(SHEETS_MAX_CELL_CHARS=10)
def test_the_cell_limit_comes_from_the_settings_and_names_the_cell(tmp_path: Path) -> None:
    ok = workbook(
        tmp_path / "ok.xlsx",
        cells(
            HEADER_ROW, '<row r="2"><c r="C2" t="inlineStr"><is><t>0123456789</t></is></c></row>'
        ),
    )
    assert read_sheet(*read_bytes(ok)).rows[1] == ["", "", "0123456789"]
    long = workbook(
        tmp_path / "long.xlsx",
        cells(
            HEADER_ROW, '<row r="2"><c r="C2" t="inlineStr"><is><t>0123456789A</t></is></c></row>'
        ),
    )
    assert refusal(*read_bytes(long)) == (
        "工作表“名册”第 2 行 C 列的单元格超过 10 个字符（每个单元格最多 10 个字符），请缩短后重试。"
    )


@override_settings(SHEETS_MAX_CELL_CHARS=10)
def test_a_long_shared_string_no_cell_shows_is_refused_too(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "hidden.xlsx",
        cells(HEADER_ROW),
        repeated(STRINGS_HEAD + b"<si><t>", b"x", 11, b"</t></si></sst>"),
    )
    assert "文件中有一段文字超过 10 个字符" in refusal(*read_bytes(path))


@override_settings(SHEETS_MAX_TOTAL_CHARS=100)
def test_the_total_of_characters_is_limited(tmp_path: Path) -> None:
    rows = [
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>0123456789</t></is></c></row>'
        for n in range(1, 12)
    ]
    assert "文件中的文字总计超过 100 个字符" in refusal(
        *read_bytes(workbook(tmp_path / "t.xlsx", cells(*rows)))
    )
    csv_path = tmp_path / "t.csv"
    csv_path.write_text("\n".join("0123456789" for _ in range(11)), encoding="utf-8")
    assert "文件中的文字总计超过 100 个字符" in refusal(*read_bytes(csv_path))


@override_settings(SHEETS_MAX_COLUMNS=3)
def test_the_column_limit_names_the_sheet_and_the_column(tmp_path: Path) -> None:
    path = workbook(tmp_path / "wide.xlsx", cells('<row r="1"><c r="D1"><v>1</v></c></row>'))
    assert (
        refusal(*read_bytes(path)) == "工作表“名册”超过 3 列（已到 D 列），请删除不用的列后重试。"
    )
    csv_path = tmp_path / "wide.csv"
    csv_path.write_text("a,b,c,d\n", encoding="utf-8")
    assert "超过 3 列（已到 D 列）" in refusal(*read_bytes(csv_path))


@override_settings(SHEETS_MAX_CELL_CHARS=5)
def test_a_csv_cell_over_the_limit_names_its_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("姓名,备注\n张三,123456\n", encoding="utf-8")
    assert refusal(*read_bytes(path)) == (
        "第 2 行 B 列的单元格超过 5 个字符（每个单元格最多 5 个字符），请缩短后重试。"
    )


def test_an_ordinary_workbook_with_shared_strings_still_reads(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "ok.xlsx",
        cells(HEADER_ROW, ONE_SHARED_CELL),
        repeated(STRINGS_HEAD + b"<si><t>", "张三".encode(), 1, b"</t></si></sst>"),
    )
    assert read_sheet(*read_bytes(path)).rows == [["姓名"], ["张三"]]


# --- the quick look (byte counts) and the exact scan give the same answer ----------------------


def _nested(depth: int) -> str:
    return "<x>" * depth + "</x>" * depth


QUICK_LOOK_CASES = {
    "plain cells": [
        HEADER_ROW,
        '<row r="2"><c r="A2" t="inlineStr"><is><t>张三</t></is></c></row>',
    ],
    "empty styled cells": [HEADER_ROW, '<row r="2"><c r="A2" s="1"/><c r="B2"><v>2</v></c></row>'],
    "nesting of 70 in one small cell": [
        HEADER_ROW,
        f'<row r="2"><c r="A2">{_nested(70)}</c></row>',
    ],
    "nesting of 50 in one small cell": [
        HEADER_ROW,
        f'<row r="2"><c r="A2" t="inlineStr"><is><t>a</t></is>{_nested(50)}</c></row>',
    ],
    "nesting built up over many cells": [
        HEADER_ROW,
        '<row r="2">'
        + "".join(f'<c r="A2"><v>1</v></c><y{n}>' for n in range(70))
        + "".join(f"</y{n}>" for n in reversed(range(70)))
        + "</row>",
    ],
    "a comment holding a far cell": [HEADER_ROW, '<!-- <c r="XFD1048576"> -->'],
    "cells without a reference": [HEADER_ROW, '<row r="2"><c><v>1</v></c><c><v>2</v></c></row>'],
    "a prefixed cell": [
        HEADER_ROW,
        '<row r="2"><x:c xmlns:x="urn:x" r="B2"><x:v>7</x:v></x:c></row>',
    ],
    "a lower-case reference": [HEADER_ROW, '<row r="2"><c r="c2"><v>3</v></c></row>'],
    "rows out of order": [
        '<row r="9"><c r="A9"><v>9</v></c></row>',
        HEADER_ROW,
    ],
    "a cell of 2,001 characters": [
        HEADER_ROW,
        '<row r="2"><c r="A2" t="inlineStr"><is><t>' + "x" * 2001 + "</t></is></c></row>",
    ],
    "a cell of 2,000 characters": [
        HEADER_ROW,
        '<row r="2"><c r="A2" t="inlineStr"><is><t>' + "x" * 2000 + "</t></is></c></row>",
    ],
    "a far column": [HEADER_ROW, '<row r="2"><c r="SG2"><v>1</v></c></row>'],
    "a far row": [HEADER_ROW, '<row r="1000001"><c r="A1000001"><v>1</v></c></row>'],
    "a closing angle in text": [
        HEADER_ROW,
        '<row r="2"><c r="A2" t="inlineStr"><is><t>a/&gt;b/></t></is></c></row>',
    ],
}


def _outcome(data: bytes, name: str) -> object:
    try:
        return read_sheet(data, name).rows
    except SheetError as error:
        return error.message


@pytest.mark.parametrize("case", list(QUICK_LOOK_CASES))
def test_the_quick_look_answers_as_the_exact_scan_does(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workbook plainly within the limits is passed by byte counts alone; anything else goes
    to the exact scan. Either way the user sees what the exact scan alone would give."""
    from sheets import reader

    data = read_bytes(workbook(tmp_path / "名册.xlsx", cells(*QUICK_LOOK_CASES[case])))[0]
    with override("zh-hans"):
        quick = _outcome(data, "名册.xlsx")
        monkeypatch.setattr(reader, "_plainly_within_limits", lambda *args: False)
        exact = _outcome(data, "名册.xlsx")
    assert quick == exact


def test_a_cell_nested_past_the_depth_limit_is_refused_though_small(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "名册.xlsx",
        cells(HEADER_ROW, f'<row r="2"><c r="A2">{_nested(70)}</c></row>'),
    )
    assert "文件已损坏或不完整" in refusal(*read_bytes(path))


def test_the_quick_look_passes_an_ordinary_workbook(tmp_path: Path) -> None:
    """The import's own speed depends on it (docs/benchmarks.md, issue #16)."""
    import io

    from sheets import reader

    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>张三{n}</t></is></c>'
        f'<c r="B{n}" s="1"/><c r="C{n}"><v>{n}</v></c></row>'
        for n in range(1, 3000)
    )
    data = read_bytes(workbook(tmp_path / "名册.xlsx", cells(rows)))[0]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        limits = reader._Limits(
            max_rows=1_000_000, max_cells=reader.MAX_CELLS, max_columns=500, max_cell_chars=2000
        )
        worksheets = reader._worksheet_parts(archive, names)
        assert reader._plainly_within_limits(archive, names, worksheets, limits)


def test_the_quick_look_stops_at_a_dtd_before_expanding_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entity-expansion file never reaches expat's entity handling in the quick look."""
    import io

    from sheets import reader

    data = entity_expansion(tmp_path / "名册.xlsx").read_bytes()
    expanded: list[str] = []
    original = reader._stop_at_doctype

    def noted(*args: object) -> None:
        expanded.append("doctype")
        original(*args)

    monkeypatch.setattr(reader, "_stop_at_doctype", noted)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        limits = reader._Limits(max_rows=1_000_000, max_cells=reader.MAX_CELLS)
        assert reader._glance(archive, "xl/worksheets/sheet1.xml", limits, cells=True) is None
    assert expanded == ["doctype"]
    assert "文件已损坏或不完整" in refusal(data, "名册.xlsx")
