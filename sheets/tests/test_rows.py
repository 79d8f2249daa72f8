"""Rows, errors and their places: grouping repeated messages, model errors on their columns."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from sheets.rows import RowError, compact, group_errors, validation_to_row_failure


class Columns:
    HEADERS = {"hours": "学时", "name": "姓名", "id_number": "身份证号"}

    def header_for(self, model_field: str) -> str:
        return self.HEADERS.get(model_field, "—")


def test_runs_of_rows_are_written_compactly():
    assert compact([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15]) == "3–12、15"
    assert compact([2]) == "2" and compact([]) == ""
    assert compact([3, 4, 9], prefix="G") == "G3–G4、G9"


def test_a_repeated_message_is_one_group_with_its_rows_and_cells():
    errors = [RowError(n, "学时", "小数不超过 1 位", cell=f"G{n}") for n in (*range(3, 13), 15)]
    errors.append(RowError(4, "姓名", "必须填写", cell="B4"))
    groups = group_errors(errors)
    assert [(g.column, g.rows, g.cells, g.count) for g in groups] == [
        ("学时", "3–12、15", "G3–G12、G15", 11),
        ("姓名", "4", "B4", 1),
    ]


def test_each_field_error_goes_to_its_own_column():
    failure = validation_to_row_failure(
        ValidationError({"hours": ["太长"], "name": ["必须填写"]}), Columns()
    )
    assert failure.failures() == [("学时", "太长"), ("姓名", "必须填写")]


def test_a_non_field_error_naming_fields_goes_to_those_columns():
    error = ValidationError(
        {
            NON_FIELD_ERRORS: [
                ValidationError("重复", params={"unique_check": ("name", "id_number")})
            ]
        }
    )
    assert validation_to_row_failure(error, Columns()).failures() == [("姓名、身份证号", "重复")]


def test_an_error_naming_no_field_is_the_whole_rows():
    failure = validation_to_row_failure(ValidationError("这条记录自相矛盾"), Columns())
    assert failure.failures() == [("—", "这条记录自相矛盾")]
