"""Sheets of the workforce app: regions, honour titles, unions, enterprises, workers, honours,
skill certificates, mentorships (docs/import-formats.md)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from base.models import Level, Region, RegionLevel
from sheets import aliases
from sheets.fields import (
    Boolean,
    Choice,
    CreditCode,
    Date,
    IdNumber,
    Integer,
    Phone,
    Reference,
    RegionName,
    SheetField,
    Text,
    Year,
)
from sheets.lookups import Context
from sheets.resources import SheetResource
from sheets.rows import Row, RowFailed
from workforce.models import (
    EmploymentForm,
    Enterprise,
    Honour,
    HonourKind,
    HonourTitle,
    IssuerKind,
    Mentorship,
    Ownership,
    ReformStatus,
    SkillCertificate,
    SkillLevel,
    UnionKind,
    UnionOrganisation,
    Worker,
)

REGION_LEVEL = {
    "省": RegionLevel.PROVINCE, "省级": RegionLevel.PROVINCE,
    "市": RegionLevel.CITY, "地级市": RegionLevel.CITY, "市级": RegionLevel.CITY, "设区市": RegionLevel.CITY,
    "县": RegionLevel.COUNTY, "县级": RegionLevel.COUNTY, "区": RegionLevel.COUNTY,
    "县级市": RegionLevel.COUNTY, "县(市、区)级": RegionLevel.COUNTY, "县市区": RegionLevel.COUNTY,
    "乡镇": RegionLevel.TOWN, "街道": RegionLevel.TOWN, "镇": RegionLevel.TOWN, "乡": RegionLevel.TOWN,
    "园区": RegionLevel.TOWN, "镇(街道)": RegionLevel.TOWN, "乡镇(街道)级": RegionLevel.TOWN,
    "乡镇街道": RegionLevel.TOWN,
}  # fmt: skip


class RegionResource(SheetResource):
    model = Region
    resource_name = "regions"
    sheet_title = _("Regions")
    key = ("code",)

    code = SheetField("code", "区划代码", Text(), required=True, aliases=("代码", "行政区划代码"))
    region_name = SheetField(
        "name", "名称", Text(), required=True, aliases=("区划名称", "地区名称")
    )
    level = SheetField(
        "level", "级别", Choice(RegionLevel.choices, aliases=REGION_LEVEL), required=True
    )
    parent = SheetField(
        "parent__code", "上级区划代码", Text(), required=True, aliases=("上级代码", "上级区划")
    )
    mountain_island = SheetField(
        "mountain_island", "是否山区海岛县", Boolean(), aliases=("山区海岛县",)
    )

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        parent = context.region(row.data["parent"], self.sheet_fields()["parent"].header)
        return {
            "code": row.data["code"],
            "name": row.data["region_name"],
            "level": row.data["level"],
            "parent": parent,
            "mountain_island": bool(row.data.get("mountain_island")),
        }

    def validate(
        self, instance: Any, old: dict[str, Any] | None, row: Row, context: Context
    ) -> None:
        if instance.level != RegionLevel.TOWN and not context.user.is_superuser:
            raise RowFailed(
                self.sheet_fields()["level"].header,
                str(_("Only towns and parks may be added or changed by import.")),
            )
        super().validate(instance, old, row, context)


class HonourTitleResource(SheetResource):
    model = HonourTitle
    resource_name = "honour-titles"
    sheet_title = _("Honour titles")
    key = ("name",)

    title_name = SheetField("name", "称号名称", Text(), required=True, aliases=("荣誉称号", "称号"))
    level = SheetField("level", "级别", Choice(Level.choices, aliases=aliases.LEVEL), required=True)
    kind = SheetField(
        "kind", "类别", Choice(HonourKind.choices, aliases={"劳动模范": "model_worker"})
    )
    awarded_by = SheetField("awarded_by", "授予机关", Text(), aliases=("授予单位", "评选单位"))

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        return {
            "name": row.data["title_name"],
            "level": row.data["level"],
            "kind": row.data.get("kind") or "",
            "awarded_by": row.data.get("awarded_by") or "",
        }


class UnionResource(SheetResource):
    model = UnionOrganisation
    resource_name = "unions"
    sheet_title = _("Union organisations")
    key = ("name", "region")

    union_name = SheetField("name", "工会名称", Text(), required=True, aliases=("工会组织名称",))
    kind = SheetField(
        "kind", "类型", Choice(UnionKind.choices, aliases={"基层": "grassroots", "联合": "joint"}),
        required=True, aliases=("工会类型",),
    )  # fmt: skip
    region = SheetField("region", "所属地区", RegionName(), required=True)
    enterprise = SheetField("enterprise__name", "所在单位", Reference(), aliases=("所属单位",))
    member_count = SheetField("member_count", "会员人数", Integer(), aliases=("会员数",))
    founded_on = SheetField("founded_on", "成立日期", Date(), aliases=("成立时间", "建会时间"))

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        region = self.region_of(row, context)
        enterprise = None
        if row.data.get("enterprise"):
            enterprise = context.enterprise(
                row.data["enterprise"], region=region, column="所在单位"
            )
        return {
            "name": row.data["union_name"],
            "kind": row.data["kind"],
            "region": region,
            "enterprise": enterprise,
            "member_count": row.data.get("member_count"),
            "founded_on": row.data.get("founded_on"),
        }


# 产改状态 as sheets write it: 是否开展产改 answered 是/否, or the pilot named by its level.
REFORM_STATUS = {
    "否": ReformStatus.NOT_STARTED, "未开展产改": ReformStatus.NOT_STARTED, "未启动": ReformStatus.NOT_STARTED,
    "×": ReformStatus.NOT_STARTED, "√": ReformStatus.STARTED,
    "是": ReformStatus.STARTED, "已开展产改": ReformStatus.STARTED, "开展": ReformStatus.STARTED,
    "已启动": ReformStatus.STARTED, "已实施": ReformStatus.STARTED,
    "试点企业": ReformStatus.PILOT, "产改试点": ReformStatus.PILOT, "省级试点": ReformStatus.PILOT,
    "市级试点": ReformStatus.PILOT, "县级试点": ReformStatus.PILOT,
}  # fmt: skip


class EnterpriseResource(SheetResource):
    model = Enterprise
    resource_name = "enterprises"
    sheet_title = _("Enterprises")
    key = ("credit_code",)

    enterprise_name = SheetField("name", "单位名称", Text(), required=True)
    credit_code = SheetField(
        "credit_code", "统一社会信用代码", CreditCode(), aliases=("信用代码", "社会信用代码")
    )
    region = SheetField("region", "所属地区", RegionName(), required=True)
    ownership = SheetField(
        "ownership", "所有制",
        Choice(Ownership.choices, aliases={"民营": "non_public", "私营": "non_public", "国企": "state"}),
        aliases=("所有制形式", "经济类型"),
    )  # fmt: skip
    industry = SheetField("industry", "所属行业", Text(), aliases=("行业",))
    above_scale = SheetField(
        "above_scale", "是否规上", Boolean(), aliases=("规上企业", "是否规上企业")
    )
    employee_count = SheetField(
        "employee_count", "职工人数", Integer(), aliases=("员工人数", "职工数")
    )
    has_union = SheetField("has_union", "是否建会", Boolean(), aliases=("已建会", "是否建立工会"))
    reform_status = SheetField(
        "reform_status", "产改状态",
        Choice(ReformStatus.choices, aliases=REFORM_STATUS),
        aliases=("是否开展产改", "产改开展情况", "开展产改", "产改情况"),
    )  # fmt: skip
    reform_started_on = SheetField(
        "reform_started_on", "开展日期", Date(),
        aliases=("产改开展日期", "开展时间", "产改开展时间", "启动日期"),
    )  # fmt: skip

    def key_fields(self, values: dict[str, Any]) -> tuple[str, ...]:
        return ("credit_code",) if values.get("credit_code") else ("name", "region")

    def existing_queryset(self, key: tuple[str, ...]) -> Any:
        queryset = super().existing_queryset(key)
        return queryset.filter(credit_code__isnull=True) if key == ("name", "region") else queryset

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        values: dict[str, Any] = {
            "name": row.data["enterprise_name"],
            "credit_code": row.data.get("credit_code") or None,
            "region": self.region_of(row, context),
            "industry": row.data.get("industry") or "",
        }
        for name in ("ownership", "above_scale", "employee_count", "has_union"):
            if row.data.get(name) is not None:
                values[name] = row.data[name]
        # A status given sets the start date with it (none for 未开展); a date alone is checked
        # against the status on record (Enterprise.clean): a sheet never guesses a status.
        if row.data.get("reform_status") is not None:
            values["reform_status"] = row.data["reform_status"]
            values["reform_started_on"] = row.data.get("reform_started_on")
        elif row.data.get("reform_started_on") is not None:
            values["reform_started_on"] = row.data["reform_started_on"]
        return values


EMPLOYMENT = Choice(EmploymentForm.choices, aliases=aliases.EMPLOYMENT_FORM)


class WorkerResource(SheetResource):
    model = Worker
    resource_name = "workers"
    sheet_title = _("Workers")
    key = ("id_number",)

    person = SheetField("name", "姓名", Text(), required=True)
    id_number = SheetField("id_number", "身份证号", IdNumber(), required=True, personal="id_number")
    phone = SheetField("phone", "手机号", Phone(), personal="phone")
    region = SheetField("region", "所属地区", RegionName(), required=True)
    enterprise = SheetField("enterprise__name", "工作单位", Reference())
    occupation = SheetField("occupation", "职业(工种)", Text(), aliases=("职业", "工种", "岗位"))
    employment_form = SheetField("employment_form", "就业形态", EMPLOYMENT, aliases=("用工形式",))
    union_member = SheetField(
        "union_member", "是否工会会员", Boolean(), aliases=("工会会员", "是否会员", "是否入会")
    )
    union_joined_on = SheetField("union_joined_on", "入会日期", Date(), aliases=("入会时间",))
    registered_on = SheetField(
        "registered_on", "登记日期", Date(), aliases=("登记时间", "入册日期")
    )
    left_on = SheetField("left_on", "离册日期", Date(), aliases=("离册时间",))

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        region = self.region_of(row, context)
        values: dict[str, Any] = {
            "name": row.data["person"],
            "id_number": row.data["id_number"],
            "region": region,
        }
        if row.data.get("enterprise"):
            values["enterprise"] = context.enterprise(
                row.data["enterprise"], region=region, column="工作单位"
            )
        for name in ("phone", "occupation", "registered_on", "left_on"):
            if row.data.get(name):
                values[name] = row.data[name]
        if row.data.get("employment_form"):
            values["employment_form"] = row.data["employment_form"]
        joined = row.data.get("union_joined_on")
        member = row.data.get("union_member")
        if member is not None or joined is not None:
            values["union_member"] = bool(member) or (member is None and joined is not None)
            values["union_joined_on"] = joined if values["union_member"] else None
        return values

    def prefetch(self, rows: list[Row], context: Context) -> None:
        # The sheet's own rows are the workers: find_existing loads them; only employers here.
        values = {row.data["enterprise"] for row in rows if row.data.get("enterprise")}
        if values:
            context.prefetch_enterprises(values)

    def validate(
        self, instance: Any, old: dict[str, Any] | None, row: Row, context: Context
    ) -> None:
        instance.derive_from_id_number()
        super().validate(instance, old, row, context)


class PersonSheet(SheetResource):
    """Sheets that name a person by name and ID number (the worker is created when new)."""

    person = SheetField("worker__name", "姓名", Text(), required=True)
    id_number = SheetField(
        "worker__id_number", "身份证号", IdNumber(), required=True, personal="id_number"
    )


class PersonAtWorkSheet(PersonSheet):
    region = SheetField("worker__region", "所属地区", RegionName())
    enterprise = SheetField("worker__enterprise__name", "工作单位", Reference())


class HonourResource(PersonAtWorkSheet):
    model = Honour
    resource_name = "honours"
    sheet_title = _("Model workers and craftsmen")
    key = ("worker", "title", "year")

    title = SheetField(
        "title__name", "荣誉称号", Reference(), required=True, aliases=("称号", "荣誉", "获得荣誉")
    )
    year = SheetField(
        "year", "授予年份", Year(), required=True, aliases=("获得年份", "年份", "授予时间")
    )

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        return {
            "worker": self.worker_of(row, context, name_field="person"),
            "title": context.by_name(HonourTitle, row.data["title"], "荣誉称号"),
            "year": row.data["year"],
        }


class CertificateResource(PersonAtWorkSheet):
    model = SkillCertificate
    resource_name = "certificates"
    sheet_title = _("Skill certificates")
    key = ("number",)

    occupation = SheetField(
        "occupation", "职业(工种)", Text(), required=True, aliases=("职业", "工种", "认定职业")
    )
    level = SheetField(
        "level", "技能等级", Choice(SkillLevel.choices, aliases=aliases.SKILL_LEVEL), required=True,
        aliases=("等级", "职业技能等级"),
    )  # fmt: skip
    certified_on = SheetField(
        "certified_on",
        "认定日期",
        Date(),
        required=True,
        aliases=("发证日期", "取证日期", "认定时间"),
    )
    issuer_kind = SheetField(
        "issuer_kind", "评价机构类型",
        Choice(IssuerKind.choices, aliases={"企业": "enterprise", "企业自主认定": "enterprise",
                                            "社会评价组织": "social", "鉴定机构": "centre"}),
    )  # fmt: skip
    issuer = SheetField("issuer", "评价机构", Text(), aliases=("发证机构", "认定机构"))
    number = SheetField("number", "证书编号", Text(), aliases=("证书号",))

    def key_fields(self, values: dict[str, Any]) -> tuple[str, ...]:
        return ("number",) if values.get("number") else ("worker", "occupation", "level")

    def existing_queryset(self, key: tuple[str, ...]) -> Any:
        queryset = super().existing_queryset(key)
        return queryset.filter(number__isnull=True) if key != ("number",) else queryset

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        return {
            "worker": self.worker_of(row, context, name_field="person"),
            "occupation": row.data["occupation"],
            "level": row.data["level"],
            "certified_on": row.data["certified_on"],
            "issuer_kind": row.data.get("issuer_kind") or "",
            "issuer": row.data.get("issuer") or "",
            "number": row.data.get("number") or None,
        }


class MentorshipResource(SheetResource):
    model = Mentorship
    resource_name = "mentorships"
    sheet_title = _("Mentorships")
    key = ("master", "apprentice", "started_on")

    master_name = SheetField("master__name", "师傅姓名", Text(), required=True, aliases=("师傅",))
    master_id = SheetField(
        "master__id_number", "师傅身份证号", IdNumber(), required=True, personal="id_number"
    )
    apprentice_name = SheetField(
        "apprentice__name", "徒弟姓名", Text(), required=True, aliases=("徒弟",)
    )
    apprentice_id = SheetField(
        "apprentice__id_number", "徒弟身份证号", IdNumber(), required=True, personal="id_number"
    )
    region = SheetField("apprentice__region", "所属地区", RegionName())
    started_on = SheetField(
        "started_on", "结对日期", Date(), required=True, aliases=("结对时间", "开始日期")
    )
    ended_on = SheetField("ended_on", "结束日期", Date(), aliases=("出师日期",))
    outcome = SheetField("outcome", "成效", Text(), aliases=("结对成效", "备注成效"))

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        return {
            "master": self.worker_of(
                row, context, id_field="master_id", name_field="master_name", enterprise_field=None
            ),
            "apprentice": self.worker_of(
                row,
                context,
                id_field="apprentice_id",
                name_field="apprentice_name",
                enterprise_field=None,
            ),
            "started_on": row.data["started_on"],
            "ended_on": row.data.get("ended_on"),
            "outcome": row.data.get("outcome") or "",
        }
