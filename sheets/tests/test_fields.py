"""Every column of every sheet keeps the limits of the model field behind it (generated over the
registry: a new column is checked the day it is declared), and no value is rounded or cut."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import models
from django.utils.translation import override

from programs.models import ServiceVisit
from sheets.fields import (
    Boolean,
    Choice,
    ChoiceList,
    CreditCode,
    Date,
    IdNumber,
    Integer,
    Number,
    Phone,
    Reference,
    RegionName,
    SheetField,
    Text,
    Year,
    model_field_at,
)
from sheets.normalise import CellError
from sheets.resources import SheetResource, all_resources
from tests.sheetfiles import SAMPLES, import_rows, import_sheet
from training.models import TrainingSession
from welfare.models import ServiceStation

pytestmark = pytest.mark.django_db

COLUMNS = [
    pytest.param(resource, name, id=f"{resource.resource_name}.{name}")
    for resource in all_resources().values()
    for name in resource.sheet_fields()
]
# The widgets that read each kind of model field; a column whose widget reads another kind
# (an amount widget for hours, a text widget for a date) is the mistake this guards against.
WIDGETS_FOR: list[tuple[type[models.Field[Any, Any]], tuple[type[Any], ...]]] = [
    (models.BooleanField, (Boolean,)),
    (models.DateField, (Date,)),
    (models.DecimalField, (Number,)),
    (models.IntegerField, (Integer, Year)),
    (models.JSONField, (ChoiceList,)),
    (models.CharField, (Text, Reference, IdNumber, Phone, CreditCode)),
    (models.TextField, (Text,)),
]


def refused(field: SheetField, value: Any) -> str:
    with override("zh-hans"), pytest.raises(CellError) as caught:
        field.widget.clean(value)
    return caught.value.message


def test_every_column_names_a_field_of_its_model():
    for resource in all_resources().values():
        for name, field in resource.sheet_fields().items():
            assert field.model_field is model_field_at(resource.model, field.attribute), name


@pytest.mark.parametrize(("resource", "name"), COLUMNS)
def test_every_column_reads_its_model_fields_kind_of_value(
    resource: type[SheetResource], name: str
) -> None:
    field = resource.sheet_fields()[name]
    model_field = field.model_field
    assert model_field is not None
    if model_field.is_relation:
        assert isinstance(field.widget, RegionName | Reference | Text)
        return
    if model_field.choices or isinstance(field.widget, Choice):
        assert isinstance(field.widget, Choice), f"{name}: a choice field needs a choice column"
        return
    for kind, widgets in WIDGETS_FOR:
        if isinstance(model_field, kind):
            assert isinstance(field.widget, widgets), (
                f"{resource.resource_name}.{name}: {type(model_field).__name__} read by "
                f"{type(field.widget).__name__}"
            )
            return
    pytest.fail(f"{resource.resource_name}.{name}: no widget reads {type(model_field).__name__}")


@pytest.mark.parametrize(("resource", "name"), COLUMNS)
def test_every_column_keeps_exactly_what_its_model_field_can_hold(
    resource: type[SheetResource], name: str
) -> None:
    field = resource.sheet_fields()[name]
    model_field = field.model_field
    widget = field.widget
    assert model_field is not None
    if isinstance(widget, Text | Reference) and not isinstance(widget, RegionName):
        limit = model_field.max_length
        if limit is None:
            assert isinstance(model_field, models.TextField)
            return
        assert widget.clean("工" * limit) == "工" * limit
        assert f"最多 {limit} 个字" in refused(field, "工" * (limit + 1))
    elif isinstance(widget, Number):
        assert isinstance(model_field, models.DecimalField)
        places, digits = model_field.decimal_places, model_field.max_digits
        step = Decimal(1).scaleb(-places)
        largest = Decimal(10) ** (digits - places) - step
        low, high = field.limits.min_value, field.limits.max_value
        if high is not None:
            largest = min(largest, Decimal(high).quantize(step))
        assert widget.clean(str(largest)) == largest
        assert widget.clean(largest) == largest
        finer = largest - step / 10
        assert f"最多 {places} 位小数" in refused(field, str(finer))
        if high is None:
            assert f"整数部分最多 {digits - places} 位" in refused(field, str(largest + step))
        else:
            refused(field, str(Decimal(high) + step))
        if low is not None:
            refused(field, str(Decimal(low) - step))
            assert widget.clean(str(Decimal(low).quantize(step))) == Decimal(low)
    elif isinstance(widget, Integer | Year):
        low, high = field.limits.min_value, field.limits.max_value
        assert low is not None and high is not None  # every integer field has a range
        assert widget.clean(high) == high
        assert widget.clean(low) == low
        refused(field, high + 1)
        refused(field, low - 1)


def test_a_training_session_of_24_hours_imports_and_a_quarter_hour_is_refused():
    header = ["班次名称", "组织地区", "培训类别", "开班日期", "学时"]
    report = import_rows(
        "training-sessions", [header, ["焊工班", "瑞安市", "技能", "2024-05-08", 24]]
    )
    assert report.errors == [] and report.created == 1
    assert TrainingSession.objects.get().hours == Decimal("24.0")
    report = import_rows(
        "training-sessions", [header, ["钳工班", "瑞安市", "技能", "2024-05-09", "24.25"]]
    )
    [error] = report.errors
    assert (error.column, "最多 1 位小数" in error.message) == ("学时", True)


def test_station_coordinates_are_stored_to_the_sixth_decimal_as_written():
    data = (SAMPLES / "stations_qingtian.xlsx").read_bytes()
    report = import_sheet("stations", data)
    assert report.errors == []
    second = ServiceStation.objects.get(name="青田县侨乡先锋驿站2号")
    assert second.longitude == Decimal("120.291")
    assert str(second.longitude) == "120.291000"


@pytest.mark.parametrize(
    ("cell", "rule"),
    [("120.2915001", "最多 6 位小数"), ("150.5", "不在中国境内")],
)
def test_a_coordinate_the_field_cannot_hold_is_refused_naming_the_rule(cell, rule):
    header = ["站点名称", "所属地区", "地址", "经度"]
    report = import_rows("stations", [header, ["驿站", "青田县", "某路1号", cell]])
    [error] = report.errors
    assert error.column == "经度" and rule in error.message
    assert not ServiceStation.objects.exists()


def test_a_benefit_in_wan_with_a_fraction_of_a_fen_is_refused_not_rounded():
    header = [
        "活动名称",
        "服务日期",
        "所属地区",
        "参与劳模工匠人数",
        "服务企业数",
        "经济效益(万元)",
    ]
    report = import_rows(
        "service-visits", [header, ["送技", datetime.date(2024, 5, 8), "淳安县", 3, 2, "1.0000001"]]
    )
    [error] = report.errors
    assert error.column == "经济效益(万元)" and "最多 2 位小数" in error.message
    assert not ServiceVisit.objects.exists()
