import datetime
import io
import struct
import zipfile
from decimal import Decimal

import openpyxl
import pytest
import xlwt
from django.utils.translation import override

from sheets import normalise, reader
from sheets.headers import column, find_header
from sheets.reader import Sheet, SheetError, read_sheet

HEADER = ["序号", "姓名", "身份证号", "所属地区", "入会日期", "经济效益（万元）"]


def workbook_bytes(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def roster_xlsx() -> bytes:
    """A roster as union staff make it: merged title, a note, header on row 4."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "名册"
    sheet["A1"] = "2024年瑞安市劳模工匠名册"
    sheet.merge_cells("A1:F1")
    sheet["A2"] = "注：身份证号码请设置为文本格式"
    sheet.merge_cells("A2:F2")
    sheet.append([])  # row 3 left blank
    for index, title in enumerate(HEADER, start=1):
        sheet.cell(row=4, column=index, value=title)
    sheet.append([1, "张三", "330327197407119711", "瑞安市", datetime.date(2018, 1, 5), 1.25])
    sheet.append([2, "李四", 330327196403223752, "瑞安市", datetime.date(2019, 2, 1), "2.5"])
    sheet.append([3, "王五", "33032719700105644x", "瑞安市", "2020年3月", ""])
    sheet["E5"].number_format = "yyyy-mm-dd"
    return workbook_bytes(workbook)


def rewrite_sheet_xml(data: bytes, change) -> bytes:
    """The workbook with xl/worksheets/sheet1.xml passed through `change` (what openpyxl
    cannot write: cached errors, stray far cells, cells without references)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                content = change(content.decode()).encode()
            target.writestr(name, content)
    return buffer.getvalue()


def small_xlsx(*rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    return workbook_bytes(workbook)


def legacy_xls() -> bytes:
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("名册")
    sheet.write_merge(0, 0, 0, 3, "2019年苍南县职工名册")
    for index, title in enumerate(["姓名", "身份证号", "所属地区", "入会日期"]):
        sheet.write(2, index, title)
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    sheet.write(3, 0, "贺静峰")
    sheet.write(3, 1, "330327197407119711")
    sheet.write(3, 2, "苍南县")
    sheet.write(3, 3, datetime.date(2018, 1, 5), date_style)
    sheet.write(4, 0, "付建一")
    sheet.write(4, 1, 330327196403223752)
    sheet.write(4, 2, 12)
    sheet.write(4, 3, 1.5)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_en(data: bytes, filename: str, **limits) -> Sheet:
    with override("en"):
        return read_sheet(data, filename, **limits)


def sheet_error(data: bytes, filename: str, **limits) -> str:
    with override("en"), pytest.raises(SheetError) as caught:
        read_sheet(data, filename, **limits)
    assert caught.value.message == str(caught.value)
    return caught.value.message


# --- .xlsx ----------------------------------------------------------------------------------


def test_roster_rows_keep_excel_row_numbers_above_and_below_the_header():
    sheet = read_en(roster_xlsx(), "名册.xlsx")
    assert sheet.sheet_name == "名册"
    assert sheet.rows[0] == ["2024年瑞安市劳模工匠名册"]
    assert sheet.rows[1] == ["注：身份证号码请设置为文本格式"]
    assert sheet.rows[2] == []
    assert sheet.rows[3] == HEADER
    assert sheet.rows[4][1] == "张三"
    assert len(sheet.rows) == 7


def test_roster_cells_come_back_as_typed_values():
    rows = read_en(roster_xlsx(), "名册.xlsx").rows
    assert rows[4] == [1.0, "张三", "330327197407119711", "瑞安市", datetime.date(2018, 1, 5), 1.25]
    assert rows[5][4] == datetime.date(2019, 2, 1)
    assert rows[6] == [3.0, "王五", "33032719700105644x", "瑞安市", "2020年3月"]


def test_an_id_typed_as_a_number_arrives_as_a_float_and_is_refused():
    rows = read_en(roster_xlsx(), "名册.xlsx").rows
    assert isinstance(rows[5][2], float)
    with pytest.raises(normalise.CellError):
        normalise.id_number(rows[5][2])
    assert normalise.id_number(rows[4][2]) == "330327197407119711"
    assert normalise.id_number(rows[6][2]) == "33032719700105644X"


def test_roster_reads_through_header_and_normalise_end_to_end():
    rows = read_en(roster_xlsx(), "名册.xlsx").rows
    columns = [
        column("name", "姓名", required=True),
        column("id_number", "身份证号", required=True),
        column("region", "所属地区", required=True),
        column("joined_on", "入会日期"),
        column("economic_benefit", "经济效益(元)", wan=True),
    ]
    match = find_header(rows, columns)
    assert match.row_index == 3
    assert match.unknown == ["序号"]
    assert match.wan == {"economic_benefit"}
    benefit = match.index_of("economic_benefit")
    assert normalise.decimal(rows[4][benefit], wan=True) == Decimal("12500.00")
    assert normalise.decimal(rows[5][benefit], wan=True) == Decimal("25000.00")
    assert normalise.date(rows[6][match.index_of("joined_on")]) == datetime.date(2020, 3, 1)


def test_calamine_cell_kinds_are_as_documented():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "文本",
            12,
            12.5,
            True,
            datetime.date(2023, 5, 8),
            datetime.datetime(2023, 5, 8, 10, 30),
            datetime.time(10, 30),
            datetime.timedelta(hours=30),
            "=1+1",
            None,
            "末列",
        ]
    )
    row = read_en(workbook_bytes(workbook), "kinds.xlsx").rows[0]
    assert row == [
        "文本",
        12.0,
        12.5,
        True,
        datetime.date(2023, 5, 8),
        datetime.datetime(2023, 5, 8, 10, 30),
        datetime.time(10, 30),
        datetime.timedelta(hours=30),
        "",  # openpyxl saves formulas without a cached value
        "",
        "末列",
    ]
    assert type(row[1]) is float


def test_error_cells_read_as_empty_cells():
    def add_errors(xml: str) -> str:
        return xml.replace(
            "</sheetData>",
            '<row r="2"><c r="A2" t="e"><f>NA()</f><v>#N/A</v></c>'
            '<c r="B2" t="e"><v>#DIV/0!</v></c><c r="C2" t="str"><f>A1</f><v>有值</v></c>'
            "</row></sheetData>",
        )

    data = rewrite_sheet_xml(small_xlsx(["姓名", "金额", "公式"]), add_errors)
    assert read_en(data, "errors.xlsx").rows == [["姓名", "金额", "公式"], ["", "", "有值"]]


def test_a_merged_cell_over_several_rows_is_copied_into_each_row():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["所属地区", "姓名"])
    sheet.append(["苍南县", "贺静峰"])
    sheet.append([None, "付建一"])
    sheet.append([None, "秦涵娟"])
    sheet.merge_cells("A2:A4")
    rows = read_en(workbook_bytes(workbook), "merged.xlsx").rows
    assert [row[0] for row in rows[1:]] == ["苍南县", "苍南县", "苍南县"]


def test_a_merged_title_across_columns_stays_in_its_first_cell():
    rows = read_en(roster_xlsx(), "名册.xlsx").rows
    assert rows[0] == ["2024年瑞安市劳模工匠名册"]


def test_blank_rows_in_the_middle_stay_and_trailing_blank_rows_and_cells_go():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "身份证号", None, "  "])
    sheet.append([])
    sheet.append(["张三", "330327197407119711"])
    sheet["D10"] = "   "  # a formatting leftover far below
    rows = read_en(workbook_bytes(workbook), "gaps.xlsx").rows
    assert rows == [["姓名", "身份证号"], [], ["张三", "330327197407119711"]]


def test_the_first_visible_sheet_with_data_is_read():
    workbook = openpyxl.Workbook()
    lists = workbook.active
    lists.title = "下拉选项"
    lists.append(["是", "否"])
    lists.sheet_state = "hidden"
    workbook.create_sheet("空白页")
    data_sheet = workbook.create_sheet("职工名册")
    data_sheet.append(["姓名", "身份证号"])
    sheet = read_en(workbook_bytes(workbook), "book.xlsx")
    assert sheet.sheet_name == "职工名册"
    assert sheet.rows == [["姓名", "身份证号"]]


def test_an_xlsm_workbook_is_read():
    assert read_en(small_xlsx(["姓名"]), "宏.XLSM").rows == [["姓名"]]


def test_a_wide_sheet_reads_columns_past_z():
    header = [f"列{n}" for n in range(40)]
    rows = read_en(small_xlsx(header, list(range(40))), "wide.xlsx").rows
    assert rows[0][-1] == "列39"
    assert rows[1][-1] == 39.0


# --- .xls -----------------------------------------------------------------------------------


def test_legacy_xls_is_read_with_its_title_dates_and_numbers():
    sheet = read_en(legacy_xls(), "旧模板.xls")
    assert sheet.sheet_name == "名册"
    assert sheet.rows[0] == ["2019年苍南县职工名册"]
    assert sheet.rows[1] == []
    assert sheet.rows[2] == ["姓名", "身份证号", "所属地区", "入会日期"]
    assert sheet.rows[3] == ["贺静峰", "330327197407119711", "苍南县", datetime.date(2018, 1, 5)]
    # .xls keeps integral numbers as int, and an 18-digit number loses digits there too.
    assert sheet.rows[4][2:] == [12, 1.5]
    assert type(sheet.rows[4][2]) is int
    assert isinstance(sheet.rows[4][1], float)


def test_an_xlsx_saved_with_an_xls_name_is_read_by_its_content():
    assert read_en(small_xlsx(["姓名"]), "renamed.xls").rows == [["姓名"]]


# --- .csv -----------------------------------------------------------------------------------

CSV_TEXT = '2024年职工名册,,\n姓名,身份证号,服务功能\n张三,330327197407119711,"饮水,热饭"\n'
CSV_ROWS = [
    ["2024年职工名册"],
    ["姓名", "身份证号", "服务功能"],
    ["张三", "330327197407119711", "饮水,热饭"],
]


@pytest.mark.parametrize(
    ("encoded", "label"),
    [
        (CSV_TEXT.encode("utf-8"), "utf-8"),
        (CSV_TEXT.encode("utf-8-sig"), "utf-8 with BOM"),
        (CSV_TEXT.encode("gbk"), "gbk"),
        (CSV_TEXT.encode("gb18030"), "gb18030"),
        (CSV_TEXT.encode("utf-16"), "utf-16 with BOM"),
        (CSV_TEXT.replace("\n", "\r\n").encode("gbk"), "gbk with Windows line ends"),
    ],
)
def test_csv_in_the_encodings_excel_and_wps_write(encoded, label):
    sheet = read_en(encoded, "名册.csv")
    assert sheet.rows == CSV_ROWS, label
    assert sheet.sheet_name is None


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_csv_delimiter_is_sniffed(delimiter):
    text = "姓名{d}身份证号{d}所属地区\n张三{d}330327197407119711{d}瑞安市\n李四{d}{d}瑞安市\n"
    rows = read_en(text.format(d=delimiter).encode(), "名册.csv").rows
    assert rows[0] == ["姓名", "身份证号", "所属地区"]
    assert rows[2] == ["李四", "", "瑞安市"]


def test_a_one_column_csv_falls_back_to_commas():
    assert read_en("姓名\n张三\n".encode(), "one.csv").rows == [["姓名"], ["张三"]]


def test_csv_blank_lines_in_the_middle_stay_and_trailing_ones_go():
    rows = read_en("姓名,身份证号\n,\n张三,1\n\n\n,,\n".encode(), "blank.csv").rows
    assert rows == [["姓名", "身份证号"], [], ["张三", "1"]]


def test_csv_in_an_unknown_binary_encoding_is_refused():
    message = sheet_error(b"\x80\x81\xff\xfe\x00\x00" * 10, "bad.csv")
    assert "not a spreadsheet" in message


# --- unreadable files -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["名册.pdf", "名册.numbers", "名册", "名册.xlsx.exe", "名册.ods"])
def test_an_unsupported_file_type_names_the_supported_ones(name):
    message = sheet_error(b"whatever", name)
    assert "is not a file type that can be imported" in message
    assert ".xlsx, .xlsm, .xls, .csv" in message


def test_a_truncated_xlsx_is_reported_as_damaged():
    data = roster_xlsx()
    for cut in (len(data) // 2, len(data) - 30):
        assert "damaged or incomplete" in sheet_error(data[:cut], "名册.xlsx")


def test_a_zip_member_with_broken_content_is_reported_as_damaged():
    data = roster_xlsx()
    broken = rewrite_sheet_xml(data, lambda xml: xml[: len(xml) // 2])
    assert "damaged or incomplete" in sheet_error(broken, "名册.xlsx")


def test_a_png_renamed_xlsx_is_not_a_spreadsheet():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)
    assert "not a spreadsheet" in sheet_error(png, "照片.xlsx")


def test_a_word_document_renamed_xlsx_is_named_as_such():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as document:
        document.writestr("[Content_Types].xml", "<Types/>")
        document.writestr("word/document.xml", "<w:document/>")
    assert "Word document, not a spreadsheet" in sheet_error(buffer.getvalue(), "通知.xlsx")


def test_an_ods_renamed_xlsx_gets_save_as_advice():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as document:
        document.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        document.writestr("content.xml", "<office:document-content/>")
    assert "OpenDocument" in sheet_error(buffer.getvalue(), "名册.xlsx")


def test_a_web_page_saved_as_xls_gets_save_as_advice():
    page = "<html><body><table><tr><td>姓名</td></tr></table></body></html>".encode()
    assert "web page or XML export" in sheet_error(page, "导出.xls")


def test_plain_text_named_xlsx_gets_advice():
    assert "plain text" in sheet_error("姓名,身份证号\n".encode(), "名册.xlsx")


def ole_with_stream(name: str) -> bytes:
    """An .xls whose Workbook stream is renamed, as an encrypted .xlsx (an OLE file with an
    EncryptionInfo stream) or a Word file looks from outside."""
    data = legacy_xls()
    old = "Workbook".encode("utf-16-le") + b"\x00\x00"
    new = name.encode("utf-16-le") + b"\x00\x00"
    start = data.index(old)
    return data[:start] + new.ljust(64, b"\x00") + struct.pack("<H", len(new)) + data[start + 66 :]


def test_a_password_protected_xlsx_is_reported_as_such():
    assert "protected with a password" in sheet_error(ole_with_stream("EncryptionInfo"), "a.xlsx")


def test_a_password_protected_xls_is_reported_as_such():
    data = legacy_xls()
    # Replace an early record of the workbook globals with a FILEPASS record of the same
    # length (RC4 encryption), as Excel writes it when a password is set.
    position = 512
    while True:
        length = struct.unpack("<H", data[position + 2 : position + 4])[0]
        if position > 512 and length >= 6:
            break
        position += 4 + length
    filepass = struct.pack("<HHHHH", 0x002F, length, 1, 1, 1).ljust(4 + length, b"\x00")
    encrypted = data[:position] + filepass + data[position + 4 + length :]
    assert "protected with a password" in sheet_error(encrypted, "a.xls")


def test_a_word_97_document_renamed_xls_is_named_as_such():
    assert "Word document" in sheet_error(ole_with_stream("WordDocument"), "旧通知.xls")


def test_an_ole_file_that_is_no_workbook_is_damaged():
    assert "damaged or incomplete" in sheet_error(ole_with_stream("Contents"), "a.xls")


@pytest.mark.parametrize(
    ("data", "name"), [(b"", "a.xlsx"), (b"  \r\n", "a.csv"), (b",,\n,,\n", "a.csv")]
)
def test_an_empty_file_has_no_data(data, name):
    assert sheet_error(data, name) == "The file contains no data."


def test_a_workbook_with_only_empty_sheets_has_no_data():
    workbook = openpyxl.Workbook()
    workbook.create_sheet("Sheet2")
    assert sheet_error(workbook_bytes(workbook), "empty.xlsx") == "The file contains no data."


def test_a_workbook_with_data_only_on_hidden_sheets_has_no_data():
    workbook = openpyxl.Workbook()
    workbook.active.append(["是", "否"])
    workbook.active.sheet_state = "hidden"
    workbook.create_sheet("填写")
    assert sheet_error(workbook_bytes(workbook), "template.xlsx") == "The file contains no data."


# --- limits ---------------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_before_reading():
    data = roster_xlsx() + bytes(1024 * 1024)
    message = sheet_error(data, "名册.xlsx", max_bytes=1024 * 1024)
    assert "The file is too large (1" in message
    assert "the limit is 1 MB" in message


def test_the_default_size_limit_is_20_mb():
    assert "limit is 20 MB" in sheet_error(b"," * (20 * 1024 * 1024 + 1), "big.csv")


def test_a_csv_over_the_row_limit_is_refused():
    data = "\n".join(f"张{n},1" for n in range(11)).encode()
    assert "more than 10 rows" in sheet_error(data, "many.csv", max_rows=10)
    assert len(read_en(data, "many.csv", max_rows=11).rows) == 11


def test_an_xlsx_over_the_row_limit_is_refused():
    data = small_xlsx(*[[n] for n in range(25)])
    assert "more than 20 rows" in sheet_error(data, "many.xlsx", max_rows=20)
    assert len(read_en(data, "many.xlsx", max_rows=25).rows) == 25


def test_an_xls_over_the_cell_limit_is_refused():
    assert "too large to import" in sheet_error(legacy_xls(), "old.xls", max_cells=10)


def test_a_sheet_over_the_cell_limit_is_refused_whatever_its_width():
    narrow = small_xlsx(*[[n, n] for n in range(40)])
    wide = small_xlsx(*[list(range(30)) for _ in range(40)])
    assert len(read_en(narrow, "narrow.xlsx", max_cells=1000).rows) == 40
    assert "reaches row 40 and column AD" in sheet_error(wide, "wide.xlsx", max_cells=1000)
    assert len(read_en(wide, "wide.xlsx", max_cells=1200).rows) == 40


def test_a_stray_value_in_the_last_cell_of_excel_is_refused_before_calamine_allocates():
    # calamine would allocate 16384 × 1048576 cells here and abort the whole process.
    def far_cell(xml: str) -> str:
        return xml.replace(
            "</sheetData>",
            '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
            "</sheetData>",
        )

    data = rewrite_sheet_xml(roster_xlsx(), far_cell)
    assert "more than 1000000 rows" in sheet_error(data, "far.xlsx")


def test_a_stray_value_far_to_the_right_is_refused():
    def far_cell(xml: str) -> str:
        return xml.replace(
            "</sheetData>", '<row r="5000"><c r="XFD5000"><v>1</v></c></row></sheetData>'
        )

    data = rewrite_sheet_xml(roster_xlsx(), far_cell)
    assert "reaches row 5000 and column XFD" in sheet_error(data, "far.xlsx")


def test_cells_without_references_are_placed_where_calamine_would_put_them():
    def unreferenced(xml: str) -> str:
        cells = "<c><v>1</v></c>" * 3000
        return xml.replace("</sheetData>", f'<row r="9000">{cells}</row></sheetData>')

    data = rewrite_sheet_xml(roster_xlsx(), unreferenced)
    assert "reaches row 9000 and column DKJ" in sheet_error(data, "noref.xlsx")


def test_formatting_only_cells_far_away_do_not_count():
    def styled(xml: str) -> str:
        return xml.replace(
            "</sheetData>", '<row r="1048576"><c r="XFD1048576" s="1"/></row></sheetData>'
        )

    data = rewrite_sheet_xml(roster_xlsx(), styled)
    # Refused all the same: a cheap scan cannot tell a styled cell from one with a value.
    assert "more than 1000000 rows" in sheet_error(data, "styled.xlsx")


def test_a_template_with_dropdowns_over_whole_columns_is_read():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "是否工会会员"])
    sheet.append(["张三", "是"])
    from openpyxl.worksheet.datavalidation import DataValidation

    validation = DataValidation(type="list", formula1='"是,否"')
    validation.add("B2:B1048576")
    sheet.add_data_validation(validation)
    sheet.merge_cells("C1:XFD1")  # a merge alone allocates nothing in calamine
    assert read_en(workbook_bytes(workbook), "template.xlsx").rows == [
        ["姓名", "是否工会会员"],
        ["张三", "是"],
    ]


def test_a_workbook_too_large_once_unpacked_is_refused(monkeypatch):
    monkeypatch.setattr(reader, "MAX_UNZIPPED_BYTES", 1000)
    assert "too large once unpacked" in sheet_error(roster_xlsx(), "big.xlsx")


def test_library_exceptions_never_escape(monkeypatch):
    class Exploding:
        @classmethod
        def from_filelike(cls, *args, **kwargs):
            raise RuntimeError("calamine internals")

    monkeypatch.setattr(reader.python_calamine, "CalamineWorkbook", Exploding)
    assert "damaged or incomplete" in sheet_error(roster_xlsx(), "名册.xlsx")
