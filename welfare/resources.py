"""Sheets of the welfare app: stations, hardship cases, grants, recuperation trips, care
pairings, craftsman benefits, the 六必访 occasions and visits, and 台工心港's assessment tallies
and lectures (docs/import-formats.md). The counselling bookings have no sheet: who booked a
consultation is typed in by the counsellor and leaves the system in no file."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from base.steps import (
    Step,
    step_check,
    step_date,
    step_require,
)
from sheets.fields import (
    Boolean,
    Choice,
    ChoiceList,
    Date,
    IdNumber,
    Integer,
    Money,
    Number,
    RegionName,
    SheetField,
    Text,
    Year,
)
from sheets.lookups import Context
from sheets.resources import SheetResource, WriteChanges
from sheets.rows import Row, RowFailed, chunks, validation_to_row_failure
from welfare.models import (
    CASE_WORKFLOW,
    DISPATCH_DAYS_TO_ANSWER,
    AssessmentScale,
    AssistanceGrant,
    BenefitKind,
    BenefitTaken,
    CareOccasion,
    CareOccasionKind,
    CareOccasionSource,
    CarePairing,
    CareVisit,
    CaseEvent,
    CaseEventKind,
    CaseSource,
    CaseStatus,
    CounsellingAssessment,
    CounsellingLecture,
    Dispatch,
    Facility,
    Funding,
    GrantKind,
    HardshipCase,
    HardshipCause,
    HardshipLevel,
    LectureKind,
    RecuperationTrip,
    ServiceStation,
    StationHost,
    StationStatus,
)
from welfare.services import (
    OPEN_STATUSES,
    case_events_write,
    hardship_case_check_entry,
    hardship_cases_mark_aided,
)
from workforce.resources import PersonSheet

FACILITIES = {"热饭": Facility.HOT_MEAL, "加热": Facility.HOT_MEAL, "微波炉": Facility.HOT_MEAL, "休息": Facility.REST,
              "休憩": Facility.REST, "手机充电": Facility.CHARGING, "如厕": Facility.TOILET, "厕所": Facility.TOILET,
              "医药箱": Facility.MEDICINE, "应急药箱": Facility.MEDICINE, "避暑": Facility.AIR_CONDITIONING,
              "纳凉": Facility.AIR_CONDITIONING, "取暖": Facility.AIR_CONDITIONING, "图书": Facility.READING,
              "法律咨询": Facility.LEGAL_ADVICE, "维权": Facility.LEGAL_ADVICE, "喝水": Facility.WATER, "热水": Facility.WATER}  # fmt: skip
HOSTS = {
    "总工会": StationHost.UNION,
    "工会组织": StationHost.UNION,
    "村社": StationHost.COMMUNITY,
    "社区(村)": StationHost.COMMUNITY,
    "商家": StationHost.MERCHANT,
}


class StationResource(SheetResource):
    model = ServiceStation
    resource_name = "stations"
    sheet_title = gettext_lazy("Service stations")
    key = ("name", "region")

    station_name = SheetField(
        "name", "站点名称", Text(), required=True, aliases=("驿站名称", "名称")
    )
    region = SheetField("region", "所属地区", RegionName(), required=True)
    address = SheetField("address", "地址", Text(), required=True, aliases=("站点地址", "详细地址"))
    longitude = SheetField("longitude", "经度", Number(), aliases=("东经",))
    latitude = SheetField("latitude", "纬度", Number(), aliases=("北纬",))
    host = SheetField(
        "host",
        "建设主体",
        Choice(StationHost.choices, aliases=HOSTS),
        aliases=("主办单位", "依托单位"),
    )
    open_24h = SheetField(
        "open_24h", "是否24小时", Boolean(), aliases=("24小时开放", "是否24小时开放")
    )
    facilities = SheetField(
        "facilities",
        "服务功能",
        ChoiceList(Facility.choices, aliases=FACILITIES),
        aliases=("功能", "服务项目"),
    )
    opened_on = SheetField("opened_on", "建成日期", Date(), aliases=("建成时间", "启用日期"))
    upgraded_year = SheetField(
        "upgraded_year", "改造提升年份", Year(), aliases=("改造年份", "提升年份")
    )
    status = SheetField(
        "status",
        "状态",
        Choice(
            StationStatus.choices,
            aliases={"正常": "in_service", "运行": "in_service", "关闭": "closed"},
        ),
    )

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        return {
            "name": row.data["station_name"],
            "region": self.region_of(row, context),
            "address": row.data["address"],
            "longitude": row.data.get("longitude"),
            "latitude": row.data.get("latitude"),
            "host": row.data.get("host") or StationHost.UNION,
            "open_24h": bool(row.data.get("open_24h")),
            "facilities": row.data.get("facilities") or [],
            "opened_on": row.data.get("opened_on"),
            "upgraded_year": row.data.get("upgraded_year"),
            "status": row.data.get("status") or StationStatus.IN_SERVICE,
        }


CASE_STATUS = {"待核实": CaseStatus.REPORTED, "已上报": CaseStatus.REPORTED, "已核实": CaseStatus.VERIFIED,
               "已建档": CaseStatus.FILED, "建档": CaseStatus.FILED, "在档": CaseStatus.FILED,
               "已帮扶": CaseStatus.AIDED, "已解困": CaseStatus.CLOSED, "解困脱困": CaseStatus.CLOSED,
               "已脱困": CaseStatus.CLOSED, "不予建档": CaseStatus.REJECTED, "不符合": CaseStatus.REJECTED}  # fmt: skip
CAUSES = {"病": HardshipCause.ILLNESS, "大病": HardshipCause.ILLNESS, "残": HardshipCause.DISABILITY,
          "学": HardshipCause.EDUCATION, "子女上学": HardshipCause.EDUCATION, "灾": HardshipCause.DISASTER,
          "意外事故": HardshipCause.ACCIDENT, "下岗": HardshipCause.UNEMPLOYMENT}  # fmt: skip
LEVELS = {
    "深度": HardshipLevel.DEEP,
    "相对": HardshipLevel.RELATIVE,
    "意外": HardshipLevel.ACCIDENT,
    "临界": HardshipLevel.MARGINAL,
}
SOURCES = {
    "摸排": CaseSource.GRASSROOTS,
    "越温暖": CaseSource.DISPATCH,
    "派单": CaseSource.DISPATCH,
    "申请": CaseSource.APPLICATION,
    "自主申请": CaseSource.APPLICATION,
}


# The key of a row that is the worker's open case, whatever its filing date.
OPEN_CASE_KEY = ("worker",)


class HardshipCaseResource(PersonSheet):
    model = HardshipCase
    resource_name = "hardship-cases"
    sheet_title = gettext_lazy("Hardship cases")
    key = ("worker", "filed_on")

    region = SheetField("worker__region", "所属地区", RegionName(), required=True)
    enterprise = SheetField("worker__enterprise__name", "工作单位", Text())
    level = SheetField(
        "level",
        "困难类型",
        Choice(HardshipLevel.choices, aliases=LEVELS),
        required=True,
        aliases=("困难类别", "困难程度"),
    )
    causes = SheetField(
        "causes",
        "致困原因",
        ChoiceList(HardshipCause.choices, aliases=CAUSES),
        required=True,
        aliases=("困难原因",),
    )
    family_size = SheetField(
        "family_size", "家庭人口", Integer(), aliases=("家庭人口数", "家庭成员数")
    )
    income = SheetField(
        "monthly_income_per_head",
        "家庭月人均收入(元)",
        Money(),
        aliases=("月人均收入", "家庭人均月收入"),
    )
    source = SheetField(
        "source", "来源", Choice(CaseSource.choices, aliases=SOURCES), aliases=("信息来源",)
    )
    status = SheetField(
        "status",
        "状态",
        Choice(CaseStatus.choices, aliases=CASE_STATUS),
        required=True,
        aliases=("档案状态",),
    )
    filed_on = SheetField("filed_on", "建档日期", Date(), aliases=("建档时间",))
    closed_on = SheetField("closed_on", "解困日期", Date(), aliases=("脱困日期", "解困时间"))
    reason = SheetField("reason", "解困原因", Text(), aliases=("脱困原因", "原因"))
    verification_note = SheetField(
        "verification_note", "核实情况", Text(), aliases=("核实意见", "核实结果")
    )
    rejected_on = SheetField("rejected_on", "不予建档日期", Date(), aliases=("不予建档时间",))

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        return {
            "worker": self.worker_of(row, context, name_field="person"),
            "level": row.data["level"],
            "causes": row.data["causes"],
            "family_size": row.data.get("family_size"),
            "monthly_income_per_head": row.data.get("income"),
            "source": row.data.get("source") or CaseSource.GRASSROOTS,
            "status": row.data["status"],
            "filed_on": row.data.get("filed_on"),
            "closed_on": row.data.get("closed_on"),
            "reason": row.data.get("reason") or "",
            "verification_note": row.data.get("verification_note") or "",
            "rejected_on": row.data.get("rejected_on"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._moves: dict[int, str] = {}
        # Per worker on record: the filing dates of their cases, and their open case's (a
        # worker has one open case at a time; None while it is not yet filed).
        self._filed: dict[int, set[datetime.date | None]] = {}
        self._open: dict[int, datetime.date | None] = {}

    def prefetch(self, rows: list[Row], context: Context) -> None:
        super().prefetch(rows, context)
        workers = {context.worker_on_record(row.data.get("id_number") or "") for row in rows}
        pks = sorted(worker.pk for worker in workers if worker is not None)
        for chunk in chunks(pks):
            cases = context.referable(HardshipCase.objects.filter(worker_id__in=chunk)).values_list(
                "worker_id", "filed_on", "status"
            )
            for worker_id, filed_on, status in cases:
                self._filed.setdefault(worker_id, set()).add(filed_on)
                if status in OPEN_STATUSES:
                    self._open[worker_id] = filed_on

    def key_fields(self, values: dict[str, Any]) -> tuple[str, ...]:
        """Which stored case a row is: the worker's case filed on the row's 建档日期 when there
        is one; else the worker's open case when the row's date does not contradict it (the
        row has none, or the case is not yet filed: the row files it); else a new case."""
        worker_id = getattr(values.get("worker"), "pk", None)
        filed_on = values.get("filed_on")
        if worker_id is None or (
            filed_on is not None and filed_on in self._filed.get(worker_id, ())
        ):
            return self.key
        if worker_id in self._open and None in (filed_on, self._open[worker_id]):
            return OPEN_CASE_KEY
        return self.key

    def existing_queryset(self, key: tuple[str, ...]) -> Any:
        queryset = super().existing_queryset(key)
        return queryset.filter(status__in=OPEN_STATUSES) if key == OPEN_CASE_KEY else queryset

    def validate(
        self, instance: Any, old: dict[str, Any] | None, row: Row, context: Context
    ) -> None:
        # A new row enters a case as it stands (a late state only with the data that state
        # needs); a row that changes a case's status is one step of the table, taken by the
        # importing user, with the data the step needs in the row: welfare.services'
        # hardship_case_check_entry, as the admin form and hardship_case_record ask it.
        # (The engine has checked the row's scope: the record is not passed again.)
        previous = old.get("status") if old is not None else None
        data = {field.name: getattr(instance, field.attname) for field in HardshipCase._meta.fields}
        try:
            hardship_case_check_entry(
                user=context.user,
                previous_status=previous,
                data=data,
                open_cases=self._open,
            )
        except PermissionDenied as error:
            raise RowFailed(self.header_for("status"), str(error)) from None
        except ValidationError as error:
            raise validation_to_row_failure(error, self) from None
        super().validate(instance, old, row, context)
        if old is None or previous != instance.status:
            # Written to the case's timeline once the import is (after_write).
            self._moves[id(instance)] = previous or ""

    def after_write(
        self, created: list[Any], updated: list[Any], context: Context
    ) -> WriteChanges | None:
        """Each case the sheet entered or moved gets its line on the timeline, dated by the
        step's own date when the row holds one, by the importing user (in one insert, not one
        query a row); undoing the import removes the lines."""
        events = []
        for case in [*created, *updated]:
            if id(case) not in self._moves:
                continue
            previous = self._moves[id(case)]
            on = (
                case.closed_on or case.rejected_on or case.filed_on
                if previous == ""
                else step_date(CASE_WORKFLOW, previous, case)
            )
            events.append(
                CaseEvent(
                    case=case,
                    kind=CaseEventKind.RECORDED if previous == "" else CaseEventKind.TRANSITION,
                    from_status=previous,
                    to_status=case.status,
                    on=on or timezone.localdate(),
                    user=context.user if getattr(context.user, "pk", None) else None,
                    note=_("Imported from a sheet."),
                )
            )
        written = case_events_write(events=events, user=context.user)
        if not written:
            return None
        return {"created": {CaseEvent._meta.label: [event.pk for event in written]}}


class DispatchResource(SheetResource):
    """The city's 越温暖 sensing list as the county receives it: one person a row, assigned to
    the town union of their region."""

    model = Dispatch
    resource_name = "dispatches"
    sheet_title = gettext_lazy("越温暖 dispatches")
    key = ("id_number", "received_on")

    person = SheetField("name", "姓名", Text(), required=True)
    id_number = SheetField("id_number", "身份证号", IdNumber(), required=True, personal="id_number")
    region = SheetField(
        "region", "所属镇街", RegionName(), required=True, aliases=("所属地区", "属地工会", "镇街")
    )
    reference = SheetField("reference", "派单编号", Text(), aliases=("工单号", "编号"))
    causes = SheetField(
        "causes",
        "致困原因",
        ChoiceList(HardshipCause.choices, aliases=CAUSES),
        aliases=("困难原因", "感知原因"),
    )
    received_on = SheetField(
        "received_on", "派单日期", Date(), required=True, aliases=("接收日期", "下发日期")
    )
    due_on = SheetField("due_on", "反馈期限", Date(), aliases=("办理期限", "截止日期"))

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        received_on = row.data["received_on"]
        return {
            "name": row.data["person"],
            "id_number": row.data["id_number"],
            "worker": context.worker_on_record(row.data["id_number"]),
            "region": self.region_of(row, context),
            "reference": row.data.get("reference") or "",
            "causes": row.data.get("causes") or [],
            "received_on": received_on,
            "due_on": row.data.get("due_on")
            or received_on + datetime.timedelta(days=DISPATCH_DAYS_TO_ANSWER),
        }

    def validate(
        self, instance: Any, old: dict[str, Any] | None, row: Row, context: Context
    ) -> None:
        # The sheet is the county's receipt of the list (it has no status column): a new row is
        # the receive step, a corrected row the receiver's too.
        try:
            step_require(user=context.user, step=Step.DISPATCH_RECEIVE)
        except PermissionDenied as error:
            raise RowFailed("所属镇街", str(error)) from None
        super().validate(instance, old, row, context)


GRANT_KINDS = {"生活": GrantKind.LIVING, "医疗": GrantKind.MEDICAL, "助学": GrantKind.EDUCATION, "金秋": GrantKind.EDUCATION,
               "慰问": GrantKind.FESTIVAL, "送温暖": GrantKind.FESTIVAL, "物资": GrantKind.IN_KIND, "光伏": GrantKind.SOLAR}  # fmt: skip


class GrantResource(PersonSheet):
    model = AssistanceGrant
    resource_name = "grants"
    sheet_title = gettext_lazy("Assistance grants")
    key = ("case", "kind", "granted_on")

    # A grant names its person through its case (the person columns of PersonSheet, here read
    # and exported from the case's worker).
    person = SheetField("case__worker__name", "姓名", Text(), required=True)
    id_number = SheetField(
        "case__worker__id_number", "身份证号", IdNumber(), required=True, personal="id_number"
    )
    kind = SheetField(
        "kind",
        "帮扶类型",
        Choice(GrantKind.choices, aliases=GRANT_KINDS),
        required=True,
        aliases=("帮扶类别", "类型"),
    )
    amount = SheetField(
        "amount", "金额(元)", Money(), required=True, wan=True, aliases=("帮扶金额",)
    )
    granted_on = SheetField(
        "granted_on", "发放日期", Date(), required=True, aliases=("帮扶日期", "发放时间")
    )
    fund_source = SheetField("fund_source", "资金来源", Text(), aliases=("经费来源",))

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        worker = context.worker_on_record(row.data["id_number"])
        if worker is None:
            raise RowFailed("身份证号", _("No worker with this ID number has a hardship case."))
        if row.data.get("person") and worker.name != row.data["person"]:
            raise RowFailed(
                "姓名",
                _("ID number %(id)s belongs to %(existing)s, not %(name)s.")
                % {
                    "id": worker.masked_id_number,
                    "existing": worker.name,
                    "name": row.data["person"],
                },
            )
        day = row.data["granted_on"]
        # The worker's case open on that day: filed on or before it, not closed before it (the
        # latest filed first), among the cases prefetched for the whole sheet.
        case = next(
            (
                case
                for case in self._cases.get(worker.pk, ())
                if case.filed_on <= day and (case.closed_on is None or case.closed_on >= day)
            ),
            None,
        )
        if case is None:
            raise RowFailed(
                "发放日期", _("This worker has no hardship case open on %(date)s.") % {"date": day}
            )
        return {
            "case": case,
            "kind": row.data["kind"],
            "amount": row.data["amount"],
            "granted_on": day,
            "fund_source": row.data.get("fund_source") or "",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The filed (or later) cases of the sheet's workers, the latest filed first.
        self._cases: dict[int, list[HardshipCase]] = {}

    def prefetch(self, rows: list[Row], context: Context) -> None:
        super().prefetch(rows, context)
        workers = {context.worker_on_record(row.data.get("id_number") or "") for row in rows}
        pks = sorted(worker.pk for worker in workers if worker is not None)
        for chunk in chunks(pks):
            cases = (
                context.referable(HardshipCase.objects.filter(worker_id__in=chunk))
                .filter(filed_on__isnull=False)
                .exclude(status=CaseStatus.REJECTED)
                .select_related("worker")  # (a grant's scope is its case's worker's region)
                .order_by("worker_id", "-filed_on")
            )
            for case in cases:
                self._cases.setdefault(case.worker_id, []).append(case)

    def validate(
        self, instance: Any, old: dict[str, Any] | None, row: Row, context: Context
    ) -> None:
        # Granting aid is the county's step; a grant on a filed case makes it aided, which is
        # that step from "filed" (a grant paid before a case closed may still be entered).
        try:
            step_require(user=context.user, step=Step.CASE_AID)
            if instance.case.status == CaseStatus.FILED:
                step_check(
                    step=Step.CASE_AID,
                    user=context.user,
                    current=instance.case.status,
                    data={"filed_on": instance.case.filed_on},
                )
        except PermissionDenied as error:
            raise RowFailed("身份证号", str(error)) from None
        except ValidationError as error:
            raise validation_to_row_failure(error, self) from None
        super().validate(instance, old, row, context)

    def after_write(
        self, created: list[Any], updated: list[Any], context: Context
    ) -> WriteChanges | None:
        # A grant on a filed case makes it aided, as assistance_grant_create does: the cases
        # move and get their timeline lines, all at once, by the importing user.
        moved, events = hardship_cases_mark_aided(
            cases=[grant.case for grant in created], user=context.user
        )
        if not moved:
            return None
        return {
            "created": {CaseEvent._meta.label: [event.pk for event in events]},
            "updated": {
                HardshipCase._meta.label: {
                    str(case.pk): {"status": CaseStatus.FILED} for case in moved
                }
            },
        }


FUNDING = {
    "工会": Funding.UNION,
    "工会全额": Funding.UNION,
    "企业": Funding.ENTERPRISE,
    "企业承担": Funding.ENTERPRISE,
    "混合": Funding.MIXED,
    "共担": Funding.MIXED,
}


class TripResource(SheetResource):
    model = RecuperationTrip
    resource_name = "recuperation-trips"
    sheet_title = gettext_lazy("Recuperation trips")
    key = ("title", "start_date", "region")

    title = SheetField("title", "名称", Text(), required=True, aliases=("疗休养名称", "活动名称"))
    destination = SheetField(
        "destination", "目的地", Text(), required=True, aliases=("疗休养地点", "地点")
    )
    start_date = SheetField(
        "start_date", "出发日期", Date(), required=True, aliases=("开始日期", "出发时间")
    )
    days = SheetField("days", "天数", Integer(), aliases=("疗休养天数",))
    region = SheetField("region", "组织地区", RegionName(), required=True, aliases=("所属地区",))
    headcount = SheetField("declared_headcount", "参加人数", Integer(), aliases=("人数",))
    cost = SheetField("cost_per_person", "人均费用(元)", Money(), aliases=("人均费用",))
    funding = SheetField(
        "funding", "经费来源", Choice(Funding.choices, aliases=FUNDING), aliases=("资金来源",)
    )

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        return {
            "title": row.data["title"],
            "destination": row.data["destination"],
            "start_date": row.data["start_date"],
            "days": row.data.get("days"),
            "region": self.region_of(row, context),
            "declared_headcount": row.data.get("headcount"),
            "cost_per_person": row.data.get("cost"),
            "funding": row.data.get("funding") or "",
        }


class CarePairingResource(SheetResource):
    model = CarePairing
    resource_name = "care-pairings"
    sheet_title = gettext_lazy("Care pairings")
    key = ("senior", "carer")

    senior_name = SheetField(
        "senior__name", "老劳模姓名", Text(), required=True, aliases=("老劳模",)
    )
    senior_id = SheetField(
        "senior__id_number", "老劳模身份证号", IdNumber(), required=True, personal="id_number"
    )
    carer_name = SheetField("carer__name", "结对人姓名", Text(), required=True, aliases=("结对人",))
    carer_id = SheetField(
        "carer__id_number", "结对人身份证号", IdNumber(), required=True, personal="id_number"
    )
    started_on = SheetField("started_on", "结对日期", Date(), required=True, aliases=("结对时间",))

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        return {
            "senior": self.worker_of(
                row,
                context,
                id_field="senior_id",
                name_field="senior_name",
                region_field=None,
                enterprise_field=None,
            ),
            "carer": self.worker_of(
                row,
                context,
                id_field="carer_id",
                name_field="carer_name",
                region_field=None,
                enterprise_field=None,
            ),
            "started_on": row.data["started_on"],
        }


BENEFIT_KINDS = {
    "疗休养": BenefitKind.RECUPERATION,
    "休养": BenefitKind.RECUPERATION,
    "职工疗休养": BenefitKind.RECUPERATION,
    "体检": BenefitKind.HEALTH_CHECK,
    "健康体检": BenefitKind.HEALTH_CHECK,
    "体检套餐": BenefitKind.HEALTH_CHECK,
    "健身卡": BenefitKind.FITNESS_CARD,
    "健身年卡": BenefitKind.FITNESS_CARD,
    "免费健身年卡": BenefitKind.FITNESS_CARD,
}


class CraftsmanBenefitResource(PersonSheet):
    """礼遇工匠: the benefits honoured craftsmen took; the people are on record (the sheet names
    no region: a benefit is kept by the county of the worker's region)."""

    model = BenefitTaken
    resource_name = "craftsman-benefits"
    sheet_title = gettext_lazy("Craftsman benefits")
    key = ("worker", "kind", "taken_on")

    kind = SheetField(
        "kind",
        "礼遇项目",
        Choice(BenefitKind.choices, aliases=BENEFIT_KINDS),
        required=True,
        aliases=("项目", "礼遇内容", "享受项目"),
    )
    taken_on = SheetField(
        "taken_on", "享受日期", Date(), required=True, aliases=("日期", "享受时间", "办理日期")
    )
    place = SheetField("place", "地点", Text(), aliases=("服务机构", "体检机构", "疗休养地点"))
    cost = SheetField("cost", "费用(元)", Money(), aliases=("费用", "金额", "金额(元)"))
    note = SheetField("note", "备注", Text(), aliases=("说明",))

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        return {
            "worker": self.worker_of(
                row, context, name_field="person", region_field=None, enterprise_field=None
            ),
            "kind": row.data["kind"],
            "taken_on": row.data["taken_on"],
            "place": row.data.get("place") or "",
            "cost": row.data.get("cost"),
            "note": row.data.get("note") or "",
        }


# 六必访: the six occasions as sheets spell them.
CARE_OCCASIONS = {
    "生病住院": CareOccasionKind.HOSPITALISED,
    "住院": CareOccasionKind.HOSPITALISED,
    "职工住院": CareOccasionKind.HOSPITALISED,
    "生病": CareOccasionKind.HOSPITALISED,
    "家庭受灾": CareOccasionKind.HOME_DISASTER,
    "受灾": CareOccasionKind.HOME_DISASTER,
    "家属重病": CareOccasionKind.FAMILY_ILLNESS,
    "家人重病": CareOccasionKind.FAMILY_ILLNESS,
    "亲属去世": CareOccasionKind.BEREAVEMENT,
    "直系亲属去世": CareOccasionKind.BEREAVEMENT,
    "丧事": CareOccasionKind.BEREAVEMENT,
    "家庭纠纷": CareOccasionKind.FAMILY_DISPUTE,
    "家庭矛盾": CareOccasionKind.FAMILY_DISPUTE,
    "家遇急事": CareOccasionKind.EMERGENCY,
    "急事": CareOccasionKind.EMERGENCY,
    "突发急事": CareOccasionKind.EMERGENCY,
}
CARE_SOURCES = {
    "工会": CareOccasionSource.UNION,
    "工会主席": CareOccasionSource.UNION,
    "工会干部": CareOccasionSource.UNION,
    "同事": CareOccasionSource.COLLEAGUE,
    "班组长": CareOccasionSource.COLLEAGUE,
    "本人": CareOccasionSource.SELF,
    "家属": CareOccasionSource.SELF,
    "本人或家属": CareOccasionSource.SELF,
    "企业": CareOccasionSource.ENTERPRISE,
    "单位": CareOccasionSource.ENTERPRISE,
    "其他": CareOccasionSource.OTHER,
}
# A visit row answers the worker's latest occasion of its kind recorded in this many days up to
# the visit (docs/import-formats.md, care-visits).
CARE_VISIT_LINK_DAYS = 60


class CareOccasionResource(PersonSheet):
    """六必访: the occasions recorded for workers on record (the sheet names no region: an
    occasion is kept by the county of the worker's region)."""

    model = CareOccasion
    resource_name = "care-occasions"
    sheet_title = gettext_lazy("Care occasions (六必访)")
    key = ("worker", "kind", "happened_on")

    kind = SheetField(
        "kind",
        "走访事由",
        Choice(CareOccasionKind.choices, aliases=CARE_OCCASIONS),
        required=True,
        aliases=("情形", "事由", "六必访情形", "慰问事由"),
    )
    happened_on = SheetField(
        "happened_on", "发生日期", Date(), required=True, aliases=("发生时间", "日期")
    )
    source = SheetField(
        "source",
        "信息来源",
        Choice(CareOccasionSource.choices, aliases=CARE_SOURCES),
        aliases=("来源", "获知途径"),
    )
    reported_by = SheetField("reported_by", "报告人", Text(), aliases=("反映人", "报告人员"))
    note = SheetField("note", "备注", Text(), aliases=("说明", "情况说明"))

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        return {
            "worker": self.worker_of(
                row, context, name_field="person", region_field=None, enterprise_field=None
            ),
            "kind": row.data["kind"],
            "happened_on": row.data["happened_on"],
            "source": row.data.get("source") or CareOccasionSource.UNION,
            "reported_by": row.data.get("reported_by") or "",
            "note": row.data.get("note") or "",
        }


class CareVisitResource(PersonSheet):
    """六必访: the visits made to workers on record, each linked to the worker's latest
    occasion of its kind recorded in the 60 days up to the visit and to the worker's open
    hardship case, as welfare.services links a visit entered in the form."""

    model = CareVisit
    resource_name = "care-visits"
    sheet_title = gettext_lazy("Care visits (六必访)")
    key = ("worker", "kind", "visited_on")

    kind = SheetField(
        "kind",
        "走访事由",
        Choice(CareOccasionKind.choices, aliases=CARE_OCCASIONS),
        required=True,
        aliases=("情形", "事由", "六必访情形", "慰问事由"),
    )
    visited_on = SheetField(
        "visited_on", "走访日期", Date(), required=True, aliases=("慰问日期", "走访时间", "日期")
    )
    visitors = SheetField(
        "visitors",
        "走访人员",
        Text(),
        required=True,
        aliases=("慰问人员", "走访人", "参加人员"),
    )
    aid = SheetField(
        "aid", "慰问金额(元)", Money(), aliases=("慰问金", "慰问金额", "金额", "慰问金(元)")
    )
    note = SheetField("note", "备注", Text(), aliases=("说明", "帮扶情况"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Per worker on record: their occasions, and their open hardship case.
        self._occasions: dict[int, list[CareOccasion]] = {}
        self._open_case: dict[int, HardshipCase] = {}

    def prefetch(self, rows: list[Row], context: Context) -> None:
        super().prefetch(rows, context)
        workers = {context.worker_on_record(row.data.get("id_number") or "") for row in rows}
        pks = sorted(worker.pk for worker in workers if worker is not None)
        for chunk in chunks(pks):
            occasions = context.referable(CareOccasion.objects.filter(worker_id__in=chunk)).only(
                "worker_id", "kind", "happened_on"
            )
            for occasion in occasions:
                self._occasions.setdefault(occasion.worker_id, []).append(occasion)
            cases = (
                context.referable(
                    HardshipCase.objects.filter(worker_id__in=chunk, status__in=OPEN_STATUSES)
                )
                .order_by("filed_on", "pk")
                .only("worker_id")
            )
            self._open_case.update({case.worker_id: case for case in cases})

    def occasion_for(
        self, worker_id: int | None, kind: str, on: datetime.date
    ) -> CareOccasion | None:
        """The worker's latest occasion of `kind` in the CARE_VISIT_LINK_DAYS up to `on`."""
        since = on - datetime.timedelta(days=CARE_VISIT_LINK_DAYS)
        found = [
            occasion
            for occasion in self._occasions.get(worker_id or 0, ())
            if occasion.kind == kind and since <= occasion.happened_on <= on
        ]
        return max(found, key=lambda occasion: (occasion.happened_on, occasion.pk), default=None)

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        worker = self.worker_of(
            row, context, name_field="person", region_field=None, enterprise_field=None
        )
        worker_id = getattr(worker, "pk", None)
        return {
            "worker": worker,
            "kind": row.data["kind"],
            "visited_on": row.data["visited_on"],
            "visitors": row.data["visitors"],
            "aid": row.data.get("aid") or Decimal("0"),
            "occasion": self.occasion_for(worker_id, row.data["kind"], row.data["visited_on"]),
            "case": self._open_case.get(worker_id or 0),
            "note": row.data.get("note") or "",
        }


# --- 台工心港 ---------------------------------------------------------------------------------

SCALES = {
    "SCL90": AssessmentScale.SCL90,
    "SCL-90": AssessmentScale.SCL90,
    "症状自评量表": AssessmentScale.SCL90,
    "PHQ9": AssessmentScale.PHQ9,
    "PHQ-9": AssessmentScale.PHQ9,
    "抑郁自评": AssessmentScale.PHQ9,
    "GAD7": AssessmentScale.GAD7,
    "GAD-7": AssessmentScale.GAD7,
    "焦虑自评": AssessmentScale.GAD7,
    "PSS": AssessmentScale.PSS,
    "压力测评": AssessmentScale.PSS,
    "职业倦怠": AssessmentScale.BURNOUT,
    "MBI": AssessmentScale.BURNOUT,
}
LECTURE_KINDS = {
    "讲座": LectureKind.LECTURE,
    "心理讲座": LectureKind.LECTURE,
    "沙龙": LectureKind.SALON,
    "心理沙龙": LectureKind.SALON,
    "团体辅导": LectureKind.GROUP,
    "团辅": LectureKind.GROUP,
}


class CounsellingAssessmentResource(SheetResource):
    """台工心港's monthly tally of self-assessments by scale: numbers only, no person."""

    model = CounsellingAssessment
    resource_name = "counselling-assessments"
    sheet_title = gettext_lazy("Counselling assessment tallies")
    key = ("region", "year", "month", "scale")

    region = SheetField("region", "所属地区", RegionName(), required=True, aliases=("地区",))
    year = SheetField("year", "年份", Year(), required=True, aliases=("年度",))
    month = SheetField("month", "月份", Integer(), required=True, aliases=("月",))
    scale = SheetField(
        "scale",
        "量表",
        Choice(AssessmentScale.choices, aliases=SCALES),
        required=True,
        aliases=("测评量表", "量表名称"),
    )
    taken = SheetField(
        "taken", "测评人次", Integer(), required=True, aliases=("测评人数", "参与测评人次")
    )
    referred = SheetField(
        "referred", "后续预约人次", Integer(), aliases=("预约咨询人次", "转介人次")
    )

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        return {
            "region": self.region_of(row, context),
            "year": row.data["year"],
            "month": row.data["month"],
            "scale": row.data["scale"],
            "taken": row.data["taken"],
            "referred": row.data.get("referred") or 0,
        }


class CounsellingLectureResource(SheetResource):
    """台工心港's lectures, salons and group activities, with their audience."""

    model = CounsellingLecture
    resource_name = "counselling-lectures"
    sheet_title = gettext_lazy("Counselling lectures")
    key = ("region", "held_on", "topic")

    region = SheetField("region", "所属地区", RegionName(), required=True, aliases=("地区",))
    held_on = SheetField(
        "held_on", "举办日期", Date(), required=True, aliases=("日期", "讲座日期", "活动日期")
    )
    topic = SheetField("topic", "主题", Text(), required=True, aliases=("讲座主题", "活动主题"))
    kind = SheetField(
        "kind",
        "形式",
        Choice(LectureKind.choices, aliases=LECTURE_KINDS),
        aliases=("活动形式", "类型"),
    )
    host = SheetField("host", "预约单位", Text(), aliases=("举办单位", "单位"))
    audience = SheetField(
        "audience", "参加人数", Integer(), required=True, aliases=("听众人数", "人数")
    )

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        return {
            "region": self.region_of(row, context),
            "held_on": row.data["held_on"],
            "topic": row.data["topic"],
            "kind": row.data.get("kind") or LectureKind.LECTURE,
            "host": row.data.get("host") or "",
            "audience": row.data["audience"],
        }
