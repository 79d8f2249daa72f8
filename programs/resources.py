"""Sheets of the programs app: programmes, pilot units, targets, studios, achievements,
service visits and their problem lists, reform alliances with their members and activities,
wage agreements and their skill-level ladders, 「人大+工会」 suggestions
(docs/import-formats.md)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from base.models import county_of
from dashboards.catalogue import INDICATORS
from programs.models import (
    PILOT_LEVELS,
    STUDIO_LEVELS,
    Achievement,
    AchievementKind,
    AllianceActivity,
    AllianceActivityKind,
    AllianceKind,
    AllianceMember,
    CoordinationGroup,
    InnovationStudio,
    JobFair,
    JobFairEnterprise,
    PilotStatus,
    PilotUnit,
    ProblemStatus,
    Programme,
    ReformAlliance,
    Satisfaction,
    ServiceProblem,
    ServiceVisit,
    StudioKind,
    Suggestion,
    SuggestionStatus,
    SuggestionTopic,
    Target,
    UnitType,
    WageAgreement,
    WageAgreementKind,
    WageLevel,
)
from programs.selectors import honoured_experts, member_shown_in_full
from programs.services import (
    service_problem_check,
    service_visits_sync_problem_counts,
    suggestion_check,
)
from sheets import aliases, normalise
from sheets.fields import (
    Boolean,
    Choice,
    CreditCode,
    Date,
    IdNumber,
    Integer,
    Money,
    Reference,
    RegionName,
    SheetField,
    Text,
    Year,
)
from sheets.lookups import Context
from sheets.resources import SheetResource, WriteChanges
from sheets.rows import Row, RowFailed, ident, validation_to_row_failure
from workforce.models import Enterprise, SkillLevel, UnionOrganisation


class ProgrammeResource(SheetResource):
    model = Programme
    resource_name = "programmes"
    sheet_title = gettext_lazy("Reform programmes")
    key = ("name",)

    programme_name = SheetField("name", "项目名称", Text(), required=True, aliases=("改革项目",))
    short_name = SheetField("short_name", "简称", Text())
    description = SheetField("description", "说明", Text(), aliases=("项目说明", "备注说明"))

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        return {
            "name": row.data["programme_name"],
            "short_name": row.data.get("short_name") or "",
            "description": row.data.get("description") or "",
        }


UNIT_TYPES = {
    "县(市、区)": UnitType.COUNTY, "县": UnitType.COUNTY, "县市区": UnitType.COUNTY, "县级": UnitType.COUNTY,
    "街镇(园区)": UnitType.TOWN, "街镇": UnitType.TOWN, "乡镇(街道)": UnitType.TOWN, "园区": UnitType.TOWN,
    "乡镇": UnitType.TOWN, "街道": UnitType.TOWN, "企业": UnitType.ENTERPRISE, "班组": UnitType.TEAM,
}  # fmt: skip
PILOT_STATUS = {
    "已申报": PilotStatus.DECLARED, "已命名": PilotStatus.NAMED, "通过验收": PilotStatus.ACCEPTED,
    "已验收": PilotStatus.ACCEPTED, "已撤销": PilotStatus.REVOKED, "取消": PilotStatus.REVOKED,
}  # fmt: skip


class PilotUnitResource(SheetResource):
    model = PilotUnit
    resource_name = "pilot-units"
    sheet_title = gettext_lazy("Pilot units")
    key = ("programme", "unit_type", "name", "region", "team_name")

    programme = SheetField(
        "programme__name", "项目", Reference(), required=True, aliases=("试点项目", "项目名称")
    )
    unit_type = SheetField(
        "unit_type", "单位类型", Choice(UnitType.choices, aliases=UNIT_TYPES), required=True
    )
    unit_name = SheetField("name", "单位名称", Text(), required=True, aliases=("试点单位",))
    region = SheetField("region", "所属地区", RegionName(), required=True)
    credit_code = SheetField("enterprise__credit_code", "统一社会信用代码", CreditCode())
    team_name = SheetField("team_name", "班组名称", Text(), aliases=("班组",))
    level = SheetField("level", "级别", Choice(PILOT_LEVELS, aliases=aliases.LEVEL), required=True)
    batch_year = SheetField(
        "batch_year", "批次年份", Year(), required=True, aliases=("批次", "年份")
    )
    status = SheetField("status", "状态", Choice(PilotStatus.choices, aliases=PILOT_STATUS))

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        region = self.region_of(row, context)
        enterprise = None
        code = row.data.get("credit_code")
        if code:
            enterprise = context.enterprise(code, region=region, column="统一社会信用代码")
        elif row.data["unit_type"] in (UnitType.ENTERPRISE, UnitType.TEAM) and region is not None:
            # Link the enterprise when its name is on record; a pilot unit does not create one.
            enterprise = (
                context.referable(Enterprise.objects.all())
                .filter(name=row.data["unit_name"], region__code__startswith=county_of(region.code))
                .order_by("pk")
                .first()
            )
        return {
            "programme": context.by_name(Programme, row.data["programme"], "项目"),
            "unit_type": row.data["unit_type"],
            "name": row.data["unit_name"],
            "region": region,
            "enterprise": enterprise,
            "team_name": row.data.get("team_name") or "",
            "level": row.data["level"],
            "batch_year": row.data["batch_year"],
            "status": row.data.get("status") or PilotStatus.NAMED,
        }


INDICATOR_NAMES = {indicator.key: indicator.key for indicator in INDICATORS}


class IndicatorChoice(Choice):
    """An indicator by key or 中文 name, also with its unit as officials write some names
    (培训班(期), 帮扶金额(元)): the page writes the unit beside the number, not in the name."""

    @cached_property
    def parser(self) -> normalise.Choices:
        accepted: dict[str, Any] = {label: value for value, label in self.labels.items()}
        with translation.override("zh-hans"):
            for indicator in INDICATORS:
                accepted.setdefault(f"{indicator.label}({indicator.unit})", indicator.key)
        accepted.update(self._aliases)
        return normalise.Choices(accepted)


class TargetResource(SheetResource):
    model = Target
    resource_name = "targets"
    sheet_title = gettext_lazy("Targets")
    key = ("region", "indicator", "year")

    region = SheetField("region", "所属地区", RegionName(), required=True)
    indicator = SheetField(
        "indicator", "指标", IndicatorChoice([(i.key, i.label) for i in INDICATORS], aliases=INDICATOR_NAMES),
        required=True, aliases=("指标名称", "指标代码"),
    )  # fmt: skip
    year = SheetField("year", "年份", Year(), required=True, aliases=("年度",))
    value = SheetField("value", "目标值", Money(), required=True, aliases=("目标", "目标任务"))

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        return {
            "region": self.region_of(row, context),
            "indicator": row.data["indicator"],
            "year": row.data["year"],
            "value": row.data["value"],
        }


STUDIO_KINDS = {
    "劳模工作室": StudioKind.MODEL_WORKER, "工匠工作室": StudioKind.CRAFTSMAN,
    "高技能人才(劳模)创新工作室": StudioKind.HIGH_SKILL, "技能大师": StudioKind.SKILL_MASTER,
    "职工工作室": StudioKind.EMPLOYEE,
}  # fmt: skip


class StudioResource(SheetResource):
    model = InnovationStudio
    resource_name = "studios"
    sheet_title = gettext_lazy("Innovation studios")
    key = ("name", "region")

    studio_name = SheetField("name", "工作室名称", Text(), required=True, aliases=("名称",))
    kind = SheetField(
        "kind",
        "类型",
        Choice(StudioKind.choices, aliases=STUDIO_KINDS),
        required=True,
        aliases=("工作室类型",),
    )
    level = SheetField("level", "级别", Choice(STUDIO_LEVELS, aliases=aliases.LEVEL), required=True)
    enterprise = SheetField(
        "enterprise__name", "依托单位", Reference(), aliases=("所在单位", "依托企业")
    )
    region = SheetField("region", "所属地区", RegionName(), required=True)
    leader = SheetField("leader__name", "领衔人", Text(), aliases=("领衔人姓名", "负责人"))
    leader_id = SheetField("leader__id_number", "领衔人身份证号", IdNumber(), personal="id_number")
    member_count = SheetField(
        "member_count", "成员人数", Integer(), aliases=("团队成员数", "成员数")
    )
    industry = SheetField("industry", "所属行业", Text(), aliases=("行业",))
    named_year = SheetField(
        "named_year", "命名年份", Year(), required=True, aliases=("命名时间", "创建年份")
    )
    revoked_year = SheetField("revoked_year", "撤销年份", Year(), aliases=("撤销时间",))

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        region = self.region_of(row, context)
        values: dict[str, Any] = {
            "name": row.data["studio_name"],
            "kind": row.data["kind"],
            "level": row.data["level"],
            "region": region,
            "industry": row.data.get("industry") or "",
            "named_year": row.data["named_year"],
            "revoked_year": row.data.get("revoked_year"),
            "member_count": row.data.get("member_count") or 0,
        }
        if row.data.get("enterprise"):
            values["enterprise"] = context.enterprise(
                row.data["enterprise"], region=region, column="依托单位"
            )
        if row.data.get("leader_id"):
            values["leader"] = self.worker_of(
                row, context, id_field="leader_id", name_field="leader", enterprise_field=None
            )
        elif row.data.get("leader"):
            raise RowFailed("领衔人身份证号", _("Give the leader's ID number with the name."))
        return values


class CoordinationGroupResource(SheetResource):
    model = CoordinationGroup
    resource_name = "coordination-groups"
    sheet_title = gettext_lazy("Reform coordination groups")
    key = ("region", "established_on")

    # A town by name (瑞安市塘下镇, 塘下镇) or by its 9-digit code, as in every sheet.
    region = SheetField(
        "region", "乡镇（街道）", RegionName(), required=True,
        aliases=("乡镇街道", "乡镇", "街道", "镇街", "所属乡镇", "园区"),
    )  # fmt: skip
    established_on = SheetField(
        "established_on", "成立日期", Date(), required=True,
        aliases=("成立时间", "组建日期", "组建时间"),
    )  # fmt: skip
    dissolved_on = SheetField("dissolved_on", "撤销日期", Date(), aliases=("撤销时间", "解散日期"))
    leader_name = SheetField("leader_name", "组长", Text(), aliases=("组长姓名", "小组组长"))
    leader_post = SheetField("leader_post", "职务", Text(), aliases=("组长职务", "现任职务"))
    member_units = SheetField(
        "member_units", "成员单位数", Integer(), aliases=("成员单位", "成员单位数量")
    )
    note = SheetField("note", "备注", Text(), aliases=("说明",))

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        return {
            "region": self.region_of(row, context),
            "established_on": row.data["established_on"],
            "dissolved_on": row.data.get("dissolved_on"),
            "leader_name": row.data.get("leader_name") or "",
            "leader_post": row.data.get("leader_post") or "",
            "member_units": row.data.get("member_units"),
            "note": row.data.get("note") or "",
        }


ACHIEVEMENT_KINDS = {
    "优秀成果": AchievementKind.EXCELLENT,
    "操作法": AchievementKind.OPERATION_METHOD,
    "发明专利": AchievementKind.PATENT,
    "实用新型专利": AchievementKind.PATENT,
}


class AchievementResource(SheetResource):
    model = Achievement
    resource_name = "achievements"
    sheet_title = gettext_lazy("Innovation achievements")
    key = ("title", "year", "region")

    title = SheetField("title", "成果名称", Text(), required=True, aliases=("名称", "项目名称"))
    kind = SheetField(
        "kind",
        "成果类型",
        Choice(AchievementKind.choices, aliases=ACHIEVEMENT_KINDS),
        required=True,
        aliases=("类型",),
    )
    year = SheetField("year", "年份", Year(), required=True, aliases=("年度",))
    region = SheetField("region", "所属地区", RegionName(), required=True)
    studio = SheetField("studio__name", "所属工作室", Reference(), aliases=("工作室",))
    patent_number = SheetField("patent_number", "专利号", Text())
    benefit = SheetField("economic_benefit", "经济效益(元)", Money(), wan=True)

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        region = self.region_of(row, context)
        studio = None
        if row.data.get("studio") and region is not None:
            county = county_of(region.code)
            studio = context.lookup(
                ("studio", row.data["studio"], county),
                lambda: (
                    context.referable(InnovationStudio.objects.all())
                    .filter(name=row.data["studio"], region__code__startswith=county)
                    .first()
                ),
            )
            if studio is None:
                raise RowFailed(
                    "所属工作室",
                    _("Unknown studio “%(name)s” in this county.") % {"name": row.data["studio"]},
                )
        return {
            "title": row.data["title"],
            "kind": row.data["kind"],
            "year": row.data["year"],
            "region": region,
            "studio": studio,
            "patent_number": row.data.get("patent_number") or "",
            "economic_benefit": row.data.get("benefit"),
        }


class ServiceVisitResource(SheetResource):
    model = ServiceVisit
    resource_name = "service-visits"
    sheet_title = gettext_lazy("Service visits")
    key = ("title", "date", "region")

    title = SheetField("title", "活动名称", Text(), required=True, aliases=("活动", "服务活动名称"))
    date = SheetField(
        "date", "服务日期", Date(), required=True, aliases=("活动日期", "日期", "服务时间")
    )
    region = SheetField("region", "所属地区", RegionName(), required=True)
    craftsmen = SheetField(
        "craftsmen_count",
        "参与劳模工匠人数",
        Integer(),
        required=True,
        aliases=("参与劳模工匠", "劳模工匠人数"),
    )
    enterprises = SheetField(
        "enterprises_served",
        "服务企业数",
        Integer(),
        required=True,
        aliases=("服务企业", "服务企业(家)"),
    )
    collected = SheetField("problems_collected", "收集问题数", Integer(), aliases=("收集问题",))
    solved = SheetField("problems_solved", "解决问题数", Integer(), aliases=("解决问题",))
    trained = SheetField(
        "workers_trained", "培训技术工人人次", Integer(), aliases=("培训技术工人", "培训人次")
    )
    benefit = SheetField("economic_benefit", "经济效益(元)", Money(), wan=True)

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        return {
            "title": row.data["title"],
            "date": row.data["date"],
            "region": self.region_of(row, context),
            "craftsmen_count": row.data["craftsmen"],
            "enterprises_served": row.data["enterprises"],
            "problems_collected": row.data.get("collected") or 0,
            "problems_solved": row.data.get("solved") or 0,
            "workers_trained": row.data.get("trained") or 0,
            "economic_benefit": row.data.get("benefit"),
        }


PROBLEM_STATUS = {
    "未解决": ProblemStatus.OPEN,
    "待办": ProblemStatus.OPEN,
    "推进中": ProblemStatus.IN_PROGRESS,
    "办结": ProblemStatus.SOLVED,
}


class ServiceProblemResource(SheetResource):
    model = ServiceProblem
    resource_name = "service-problems"
    sheet_title = gettext_lazy("Service problems")
    key = ("visit", "description")
    scope_columns = ("region",)

    visit_title = SheetField("visit__title", "活动名称", Text(), required=True)
    visit_date = SheetField("visit__date", "服务日期", Date(), required=True)
    region = SheetField("visit__region", "所属地区", RegionName(), required=True)
    enterprise = SheetField(
        "enterprise__name", "企业", Reference(), aliases=("企业名称", "服务企业")
    )
    description = SheetField(
        "description", "难题描述", Text(), required=True, aliases=("难题", "问题描述", "问题")
    )
    expert = SheetField("expert__name", "专家姓名", Text(), aliases=("专家",))
    expert_id = SheetField("expert__id_number", "专家身份证号", IdNumber(), personal="id_number")
    status = SheetField(
        "status",
        "状态",
        Choice(ProblemStatus.choices, aliases=PROBLEM_STATUS),
        required=True,
        aliases=("进度",),
    )
    solved_on = SheetField("solved_on", "解决日期", Date(), aliases=("解决时间",))

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        region = self.region_of(row, context)
        title, date = row.data["visit_title"], row.data["visit_date"]
        visit = context.lookup(
            ("visit", title, date, region.code if region else None),
            lambda: (
                context.referable(ServiceVisit.objects.all())
                .filter(title=title, date=date, region=region)
                .first()
            ),
        )
        if visit is None:
            raise RowFailed(
                "活动名称",
                _(
                    "No service visit “%(title)s” on %(date)s in this region; import the visit first."
                )
                % {"title": title, "date": date},
            )
        values: dict[str, Any] = {
            "visit": visit,
            "description": row.data["description"],
            "status": row.data["status"],
            "solved_on": row.data.get("solved_on"),
            "enterprise": None,
            "expert": None,
        }
        if row.data.get("enterprise"):
            values["enterprise"] = context.enterprise(
                row.data["enterprise"], region=region, column="企业"
            )
        if row.data.get("expert_id"):
            values["expert"] = self.worker_of(
                row, context, id_field="expert_id", name_field="expert", enterprise_field=None
            )
        return values

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._honoured: set[int] = set()

    def prefetch(self, rows: list[Row], context: Context) -> None:
        super().prefetch(rows, context)
        # The experts' honours, for every row at once (an expert not on record holds none).
        experts = (context.worker_on_record(row.data.get("expert_id") or "") for row in rows)
        self._honoured = honoured_experts(
            worker_ids={worker.pk for worker in experts if worker is not None}
        )

    def validate(
        self, instance: Any, old: dict[str, Any] | None, row: Row, context: Context
    ) -> None:
        # The tracker's own rules, as the service and the admin form ask them: a new row enters
        # a problem as it stands (solved only with its date); a row that changes a problem's
        # status is one step of the table, taken by the importing user; a newly named expert
        # holds a model-worker or craftsman honour. (The engine checks the row's scope.)
        previous = old.get("status") if old is not None else None
        data = {
            field.name: getattr(instance, field.attname) for field in ServiceProblem._meta.fields
        }
        data["expert"] = instance.expert
        stored_expert = old.get("expert") if old is not None else None
        try:
            service_problem_check(
                problem=instance,
                user=context.user,
                previous_status=previous,
                expert_changed=ident(instance.expert) != stored_expert,
                data=data,
                undated_today=False,
                honoured=self._honoured,
            )
        except PermissionDenied as error:
            raise RowFailed(self.header_for("status"), str(error)) from None
        except ValidationError as error:
            raise validation_to_row_failure(error, self) from None
        super().validate(instance, old, row, context)

    def after_write(
        self, created: list[Any], updated: list[Any], context: Context
    ) -> WriteChanges | None:
        # A visit's problem counts follow the problems tracked on it (one recount for all).
        visits = {problem.visit_id: problem.visit for problem in [*created, *updated]}
        before = service_visits_sync_problem_counts(visits=visits.values(), user=context.user)
        return {"updated": {ServiceVisit._meta.label: before}} if before else None


# --- 产改联盟 -----------------------------------------------------------------------------------

ALLIANCE_KINDS = {
    "产业链": AllianceKind.CHAIN, "链式": AllianceKind.CHAIN, "产业链产改联盟": AllianceKind.CHAIN,
    "区域": AllianceKind.AREA, "区域联盟": AllianceKind.AREA, "区域产改联盟": AllianceKind.AREA,
    "行业": AllianceKind.INDUSTRY, "行业联盟": AllianceKind.INDUSTRY,
    "行业产改联盟": AllianceKind.INDUSTRY,
}  # fmt: skip
ALLIANCE_ACTIVITY_KINDS = {
    "组织联建": AllianceActivityKind.ORGANISATION, "联建": AllianceActivityKind.ORGANISATION,
    "事务联商": AllianceActivityKind.AFFAIRS, "联商": AllianceActivityKind.AFFAIRS,
    "资源共享": AllianceActivityKind.RESOURCES, "共享": AllianceActivityKind.RESOURCES,
    "活动联办": AllianceActivityKind.EVENTS, "联办": AllianceActivityKind.EVENTS,
    "品牌联创": AllianceActivityKind.BRAND, "联创": AllianceActivityKind.BRAND,
}  # fmt: skip


def alliance_named(row: Row, context: Context, column: str) -> ReformAlliance:
    """The alliance a row names, among those the importing user may refer to."""
    name = row.data["alliance"]
    alliance = context.lookup(
        ("alliance", name),
        lambda: context.referable(ReformAlliance.objects.all()).filter(name=name).first(),
    )
    if alliance is None:
        raise RowFailed(
            column,
            _("No reform alliance “%(name)s” in your region; import the alliance first.")
            % {"name": name},
        )
    return alliance  # type: ignore[no-any-return]


class ReformAllianceResource(SheetResource):
    """An alliance is kept in its lead enterprise's region: the lead is named by credit code
    or name and must be on record (the enterprises sheet adds enterprises)."""

    model = ReformAlliance
    resource_name = "alliances"
    sheet_title = gettext_lazy("Reform alliances")
    key = ("name",)

    alliance_name = SheetField(
        "name", "联盟名称", Text(), required=True, aliases=("名称", "产改联盟名称", "联盟")
    )
    kind = SheetField(
        "kind",
        "联盟类型",
        Choice(AllianceKind.choices, aliases=ALLIANCE_KINDS),
        required=True,
        aliases=("类型",),
    )
    lead = SheetField(
        "lead__name", "牵头企业", Reference(), required=True, aliases=("牵头单位", "牵头企业名称")
    )
    lead_code = SheetField(
        "lead__credit_code",
        "统一社会信用代码",
        CreditCode(),
        aliases=("牵头企业统一社会信用代码", "信用代码"),
    )
    founded_on = SheetField(
        "founded_on", "成立日期", Date(), required=True, aliases=("成立时间", "组建日期")
    )
    dissolved_on = SheetField("dissolved_on", "解散日期", Date(), aliases=("解散时间",))
    description = SheetField("description", "联盟简介", Text(), aliases=("简介", "说明", "备注"))

    def scope_header(self) -> str:
        return self.header_for("lead")

    def prefetch(self, rows: list[Row], context: Context) -> None:
        super().prefetch(rows, context)
        context.prefetch_enterprises(
            value
            for row in rows
            for value in (row.data.get("lead_code"), row.data.get("lead"))
            if value
        )

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        code = row.data.get("lead_code")
        column = "统一社会信用代码" if code else "牵头企业"
        # region=None: a lead not on record is refused, not added (it would have no region).
        lead = context.enterprise(code or row.data["lead"], region=None, column=column)
        if code and lead.name != row.data["lead"]:
            raise RowFailed(
                "牵头企业",
                _("The credit code belongs to “%(name)s”, not to the enterprise named here.")
                % {"name": lead.name},
            )
        return {
            "name": row.data["alliance_name"],
            "kind": row.data["kind"],
            "lead": lead,
            "founded_on": row.data["founded_on"],
            "dissolved_on": row.data.get("dissolved_on"),
            "description": row.data.get("description") or "",
        }


class AllianceMemberResource(SheetResource):
    """Members of alliances on record. A member in a region outside the importer's scope is
    not found (every reference is looked up in the scope), and an export shows such a member
    by its name alone (programs.selectors.member_shown_in_full)."""

    model = AllianceMember
    resource_name = "alliance-members"
    sheet_title = gettext_lazy("Reform alliance members")
    key = ("alliance", "enterprise")

    alliance = SheetField(
        "alliance__name", "联盟名称", Reference(), required=True, aliases=("产改联盟名称", "联盟")
    )
    enterprise = SheetField(
        "enterprise__name",
        "成员企业",
        Reference(),
        required=True,
        aliases=("成员单位", "企业名称", "成员企业名称"),
    )
    credit_code = SheetField(
        "enterprise__credit_code", "统一社会信用代码", CreditCode(), aliases=("信用代码",)
    )
    joined_on = SheetField("joined_on", "加入日期", Date(), aliases=("加入时间", "入盟日期"))
    left_on = SheetField("left_on", "退出日期", Date(), aliases=("退出时间",))

    def scope_header(self) -> str:
        return "联盟名称"

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        code = row.data.get("credit_code")
        column = "统一社会信用代码" if code else "成员企业"
        enterprise = context.enterprise(code or row.data["enterprise"], region=None, column=column)
        if code and enterprise.name != row.data["enterprise"]:
            raise RowFailed(
                "成员企业",
                _("The credit code belongs to “%(name)s”, not to the enterprise named here.")
                % {"name": enterprise.name},
            )
        values: dict[str, Any] = {
            "alliance": alliance_named(row, context, "联盟名称"),
            "enterprise": enterprise,
            "left_on": row.data.get("left_on"),
        }
        if row.data.get("joined_on"):
            values["joined_on"] = row.data["joined_on"]
        return values

    def export_rows(
        self, queryset: models.QuerySet[Any], *, reveal: set[str], user: Any = None
    ) -> Iterable[list[Any]]:
        # Of a member outside the user's scope the name alone: its enterprise's other columns
        # (the credit code) are left empty.
        fields = list(self.sheet_fields().values())
        detail = [
            position
            for position, field in enumerate(fields)
            if field.attribute.startswith("enterprise__") and field.attribute != "enterprise__name"
        ]
        for member in queryset.select_related("enterprise").iterator(chunk_size=2000):
            row = [field.export_value(member, reveal=reveal) for field in fields]
            if user is not None and not member_shown_in_full(user=user, member=member):
                for position in detail:
                    row[position] = None
            yield row


class AllianceActivityResource(SheetResource):
    model = AllianceActivity
    resource_name = "alliance-activities"
    sheet_title = gettext_lazy("Reform alliance activities")
    key = ("alliance", "title", "held_on")

    alliance = SheetField(
        "alliance__name", "联盟名称", Reference(), required=True, aliases=("产改联盟名称", "联盟")
    )
    kind = SheetField(
        "kind",
        "活动类型",
        Choice(AllianceActivityKind.choices, aliases=ALLIANCE_ACTIVITY_KINDS),
        required=True,
        aliases=("五联类型", "类型"),
    )
    held_on = SheetField(
        "held_on", "活动日期", Date(), required=True, aliases=("日期", "活动时间", "举办日期")
    )
    title = SheetField("title", "活动名称", Text(), required=True, aliases=("活动", "名称"))
    enterprises_count = SheetField(
        "enterprises_count", "参与企业数", Integer(), aliases=("参与企业", "参与企业(家)")
    )
    note = SheetField("note", "备注", Text(), aliases=("说明",))

    def scope_header(self) -> str:
        return "联盟名称"

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        return {
            "alliance": alliance_named(row, context, "联盟名称"),
            "kind": row.data["kind"],
            "held_on": row.data["held_on"],
            "title": row.data["title"],
            "enterprises_count": row.data.get("enterprises_count") or 0,
            "note": row.data.get("note") or "",
        }


WAGE_AGREEMENT_KINDS = {
    "行业性": WageAgreementKind.INDUSTRY, "行业": WageAgreementKind.INDUSTRY,
    "行业性工资集体协商": WageAgreementKind.INDUSTRY, "行业协议": WageAgreementKind.INDUSTRY,
    "区域性": WageAgreementKind.INDUSTRY,
    "企业": WageAgreementKind.ENTERPRISE, "企业级": WageAgreementKind.ENTERPRISE,
    "单个企业": WageAgreementKind.ENTERPRISE, "企业协议": WageAgreementKind.ENTERPRISE,
}  # fmt: skip


class WageAgreementResource(SheetResource):
    model = WageAgreement
    resource_name = "wage-agreements"
    sheet_title = gettext_lazy("Skill-level wage agreements")
    key = ("title", "signed_on", "region")

    title = SheetField(
        "title", "协议名称", Text(), required=True, aliases=("协议", "集体合同名称", "名称")
    )
    kind = SheetField(
        "kind",
        "协议类型",
        Choice(WageAgreementKind.choices, aliases=WAGE_AGREEMENT_KINDS),
        required=True,
        aliases=("类型", "协商类型"),
    )
    enterprise = SheetField(
        "enterprise__name", "企业名称", Reference(), aliases=("企业", "签约企业")
    )
    credit_code = SheetField("enterprise__credit_code", "统一社会信用代码", CreditCode())
    industry = SheetField("industry", "行业", Text(), aliases=("所属行业", "行业名称"))
    region = SheetField("region", "所属地区", RegionName(), required=True)
    signed_on = SheetField(
        "signed_on", "签订日期", Date(), required=True, aliases=("签订时间", "签约日期")
    )
    valid_until = SheetField(
        "valid_until", "有效期至", Date(), required=True, aliases=("有效期", "到期日期", "截止日期")
    )
    terminated_on = SheetField("terminated_on", "终止日期", Date(), aliases=("提前终止日期",))
    enterprises = SheetField(
        "enterprises_declared", "覆盖企业数", Integer(), aliases=("覆盖企业", "覆盖企业(家)")
    )
    workers = SheetField(
        "workers_covered",
        "覆盖职工数",
        Integer(),
        required=True,
        aliases=("覆盖职工", "覆盖职工(人)", "惠及职工数"),
    )
    union_side = SheetField(
        "union_side", "工会方", Text(), required=True, aliases=("工会方代表", "工会方单位")
    )
    employer_side = SheetField(
        "employer_side",
        "企业方",
        Text(),
        required=True,
        aliases=("行业协会方", "企业方/行业协会方", "企业方代表"),
    )

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        region = self.region_of(row, context)
        kind = row.data["kind"]
        named = row.data.get("credit_code") or row.data.get("enterprise")
        enterprise = None
        if kind == WageAgreementKind.ENTERPRISE:
            if not named:
                raise RowFailed("企业名称", _("An enterprise agreement names its enterprise."))
            column = "统一社会信用代码" if row.data.get("credit_code") else "企业名称"
            enterprise = context.enterprise(named, region=region, column=column)
            if region is not None and not str(enterprise.region_id).startswith(region.code):
                raise RowFailed(
                    "所属地区",
                    _("The enterprise “%(name)s” is not in %(region)s.")
                    % {"name": enterprise.name, "region": region.name},
                )
            # The agreement belongs to its enterprise's region (a town under the county written).
            region = enterprise.region
        elif named:
            raise RowFailed(
                "企业名称",
                _(
                    "An industry-wide agreement names no single enterprise; list the enterprises "
                    "it covers instead."
                ),
            )
        return {
            "title": row.data["title"],
            "kind": kind,
            "enterprise": enterprise,
            "industry": row.data.get("industry") or "",
            "region": region,
            "signed_on": row.data["signed_on"],
            "valid_until": row.data["valid_until"],
            "terminated_on": row.data.get("terminated_on"),
            "enterprises_declared": row.data.get("enterprises"),
            "workers_covered": row.data["workers"],
            "union_side": row.data["union_side"],
            "employer_side": row.data["employer_side"],
        }


class WageLevelResource(SheetResource):
    model = WageLevel
    resource_name = "wage-levels"
    sheet_title = gettext_lazy("Wage levels")
    key = ("agreement", "skill_level")
    scope_columns = ("region",)

    agreement_title = SheetField("agreement__title", "协议名称", Text(), required=True)
    signed_on = SheetField("agreement__signed_on", "签订日期", Date(), required=True)
    region = SheetField("agreement__region", "所属地区", RegionName(), required=True)
    skill_level = SheetField(
        "skill_level",
        "技能等级",
        Choice(SkillLevel.choices, aliases=aliases.SKILL_LEVEL),
        required=True,
        aliases=("等级", "岗位技能等级"),
    )
    minimum_wage = SheetField(
        "minimum_wage",
        "最低工资(元)",
        Money(),
        required=True,
        aliases=("最低工资", "工资标准", "月工资标准(元)"),
    )
    differential = SheetField(
        "differential", "级差(元)", Money(), aliases=("级差", "工资级差", "级差(元/月)")
    )
    order = SheetField("order", "排序", Integer(), aliases=("序号",))

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        region = self.region_of(row, context)
        title, signed_on = row.data["agreement_title"], row.data["signed_on"]
        agreement = context.lookup(
            ("wage agreement", title, signed_on, region.code if region else None),
            lambda: (
                context.referable(WageAgreement.objects.all())
                .filter(title=title, signed_on=signed_on, region=region)
                .first()
            ),
        )
        if agreement is None:
            raise RowFailed(
                "协议名称",
                _(
                    "No wage agreement “%(title)s” signed on %(date)s in this region; import "
                    "the agreement first."
                )
                % {"title": title, "date": signed_on},
            )
        return {
            "agreement": agreement,
            "skill_level": row.data["skill_level"],
            "minimum_wage": row.data["minimum_wage"],
            "differential": row.data.get("differential"),
            "order": row.data.get("order") or 0,
        }


# --- 春风行动 -----------------------------------------------------------------------------------

ONLINE = {
    "线上": True,
    "网络": True,
    "直播带岗": True,
    "云招聘": True,
    "线下": False,
    "现场": False,
}


class OnlineOrNot(Boolean):
    """是/否, or the way a fair's list says it: 线上 (直播带岗, 云招聘) or 线下 (现场)."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool | None:
        if isinstance(value, str) and value.strip() in ONLINE:
            return ONLINE[value.strip()]
        return super().clean(value, row, **kwargs)


class JobFairResource(SheetResource):
    """A 春风行动 fair, kept in the region of the union that holds it: the union on record (主办
    工会), or, for a fair held with others or by an organiser not on record, its name (主办单位)."""

    model = JobFair
    resource_name = "job-fairs"
    sheet_title = gettext_lazy("Job fairs")
    key = ("name", "held_on")

    fair_name = SheetField(
        "name", "招聘会名称", Text(), required=True, aliases=("活动名称", "名称", "招聘会")
    )
    held_on = SheetField(
        "held_on", "举办日期", Date(), required=True, aliases=("日期", "举办时间", "活动日期")
    )
    region = SheetField("region", "所属地区", RegionName(), required=True, aliases=("地区",))
    organiser_union = SheetField(
        "organiser_union__name", "主办工会", Reference(), aliases=("举办工会", "工会")
    )
    organiser = SheetField(
        "organiser", "主办单位", Text(), aliases=("承办单位", "主办方", "联办单位")
    )
    venue = SheetField("venue", "举办地点", Text(), aliases=("地点", "场地", "会场"))
    online = SheetField(
        "online", "线上招聘", OnlineOrNot(), aliases=("是否线上", "形式", "招聘形式")
    )
    seekers = SheetField(
        "seekers_count",
        "求职人数",
        Integer(),
        aliases=("进场求职人数", "求职者人次", "求职人次", "参会求职者"),
    )

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        union = None
        if row.data.get("organiser_union"):
            union = context.by_name(
                UnionOrganisation,
                row.data["organiser_union"],
                self.sheet_fields()["organiser_union"].header,
            )
        return {
            "name": row.data["fair_name"],
            "held_on": row.data["held_on"],
            "region": self.region_of(row, context),
            "organiser_union": union,
            "organiser": row.data.get("organiser") or "",
            "venue": row.data.get("venue") or "",
            "online": bool(row.data.get("online")),
            "seekers_count": row.data.get("seekers") or 0,
        }


class JobFairEnterpriseResource(SheetResource):
    """The enterprises at fairs on record, a row per enterprise per fair: the fair by its name
    and day, the enterprise by credit code or name (on record, within the fair's region)."""

    model = JobFairEnterprise
    resource_name = "job-fair-enterprises"
    sheet_title = gettext_lazy("Enterprises at job fairs")
    key = ("fair", "enterprise")

    fair = SheetField(
        "fair__name", "招聘会名称", Reference(), required=True, aliases=("活动名称", "招聘会")
    )
    fair_date = SheetField(
        "fair__held_on", "举办日期", Date(), required=True, aliases=("日期", "举办时间")
    )
    enterprise = SheetField(
        "enterprise__name",
        "参会企业",
        Reference(),
        required=True,
        aliases=("企业名称", "招聘企业", "用人单位"),
    )
    credit_code = SheetField(
        "enterprise__credit_code", "统一社会信用代码", CreditCode(), aliases=("信用代码",)
    )
    positions = SheetField(
        "positions_count",
        "提供岗位数",
        Integer(),
        aliases=("岗位数", "提供岗位", "招聘岗位数", "需求人数", "岗位需求人数"),
    )
    hires = SheetField(
        "hires_count",
        "达成就业意向人数",
        Integer(),
        aliases=("达成意向人数", "达成求职意向", "意向人数", "达成就业意向"),
    )

    def scope_header(self) -> str:
        return "招聘会名称"

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        name, day = row.data["fair"], row.data["fair_date"]
        fair = context.lookup(
            ("job fair", name, day),
            lambda: (
                context.referable(JobFair.objects.select_related("region"))
                .filter(name=name, held_on=day)
                .first()
            ),
        )
        if fair is None:
            raise RowFailed(
                "招聘会名称",
                _("No job fair “%(name)s” on %(day)s in your region; import the fair first.")
                % {"name": name, "day": day},
            )
        code = row.data.get("credit_code")
        column = "统一社会信用代码" if code else "参会企业"
        # region=None: an enterprise not on record is refused, not added.
        enterprise = context.enterprise(code or row.data["enterprise"], region=None, column=column)
        if code and enterprise.name != row.data["enterprise"]:
            raise RowFailed(
                "参会企业",
                _("The credit code belongs to “%(name)s”, not to the enterprise named here.")
                % {"name": enterprise.name},
            )
        return {
            "fair": fair,
            "enterprise": enterprise,
            "positions_count": row.data.get("positions") or 0,
            "hires_count": row.data.get("hires") or 0,
        }


# --- 「人大+工会」 suggestions -------------------------------------------------------------------

SUGGESTION_TOPICS = {
    "工资": SuggestionTopic.WAGES, "工资收入": SuggestionTopic.WAGES, "薪酬": SuggestionTopic.WAGES,
    "安全": SuggestionTopic.SAFETY, "安全生产": SuggestionTopic.SAFETY,
    "劳动安全": SuggestionTopic.SAFETY,
    "技能": SuggestionTopic.SKILLS, "技能培训": SuggestionTopic.SKILLS,
    "技能提升": SuggestionTopic.SKILLS, "培训": SuggestionTopic.SKILLS,
    "工时": SuggestionTopic.HOURS, "工作时间": SuggestionTopic.HOURS,
    "休息休假": SuggestionTopic.HOURS, "工时休假": SuggestionTopic.HOURS,
    "福利": SuggestionTopic.WELFARE, "福利待遇": SuggestionTopic.WELFARE,
    "通勤": SuggestionTopic.COMMUTE, "出行": SuggestionTopic.COMMUTE,
    "上下班出行": SuggestionTopic.COMMUTE, "交通出行": SuggestionTopic.COMMUTE,
    "权益": SuggestionTopic.RIGHTS, "劳动权益": SuggestionTopic.RIGHTS,
    "权益维护": SuggestionTopic.RIGHTS,
    "其他": SuggestionTopic.OTHER,
}  # fmt: skip
SUGGESTION_STATUS = {
    "受理": SuggestionStatus.ACCEPTED, "已受理": SuggestionStatus.ACCEPTED,
    "交办": SuggestionStatus.ASSIGNED, "已交办": SuggestionStatus.ASSIGNED,
    "办理中": SuggestionStatus.ASSIGNED,
    "答复": SuggestionStatus.ANSWERED, "已答复": SuggestionStatus.ANSWERED,
    "办结": SuggestionStatus.CLOSED, "已办结": SuggestionStatus.CLOSED,
    "已解决": SuggestionStatus.CLOSED,
}  # fmt: skip
SATISFACTION = {
    "满意": Satisfaction.SATISFIED, "非常满意": Satisfaction.SATISFIED,
    "基本满意": Satisfaction.BASICALLY, "比较满意": Satisfaction.BASICALLY,
    "不满意": Satisfaction.DISSATISFIED,
}  # fmt: skip


class SuggestionResource(SheetResource):
    """「人大+工会」 suggestions: a row names the worker (name and ID number) or the grassroots
    union (by name, in the row's region), and stands in its status with every step's data up to
    it (a step's date, to whom it was assigned, the answer, the satisfaction)."""

    model = Suggestion
    resource_name = "suggestions"
    sheet_title = gettext_lazy("「人大+工会」 suggestions")
    # A row is its proposer's suggestion received on a day with this text (key_fields: the
    # worker's or the union's).
    key = ("worker", "union", "received_on", "text")
    scope_columns = ("region",)

    person = SheetField("worker__name", "职工姓名", Text(), aliases=("建议人", "姓名", "提出人"))
    id_number = SheetField(
        "worker__id_number", "身份证号", IdNumber(), personal="id_number", aliases=("身份证号码",)
    )
    union = SheetField("union__name", "基层工会", Text(), aliases=("工会", "提出工会", "工会名称"))
    region = SheetField("region", "所属地区", RegionName(), required=True)
    topic = SheetField(
        "topic", "建议类别", Choice(SuggestionTopic.choices, aliases=SUGGESTION_TOPICS),
        required=True, aliases=("类别", "建议类型", "问题类别"),
    )  # fmt: skip
    text = SheetField(
        "text", "建议内容", Text(), required=True, aliases=("建议", "意见建议", "问题内容")
    )
    received_on = SheetField(
        "received_on", "收到日期", Date(), required=True, aliases=("提出日期", "收集日期")
    )
    addressed_to = SheetField(
        "addressed_to", "人大代表或委员会", Text(), required=True,
        aliases=("人大代表", "接收代表", "转交代表", "提交对象"),
    )  # fmt: skip
    status = SheetField(
        "status", "办理状态", Choice(SuggestionStatus.choices, aliases=SUGGESTION_STATUS),
        required=True, aliases=("状态", "进度"),
    )  # fmt: skip
    accepted_on = SheetField("accepted_on", "受理日期", Date(), aliases=("受理时间",))
    assigned_to = SheetField(
        "assigned_to", "交办对象", Text(), aliases=("承办单位", "交办单位", "承办人")
    )
    assigned_on = SheetField("assigned_on", "交办日期", Date(), aliases=("交办时间",))
    answer = SheetField("answer", "答复内容", Text(), aliases=("答复意见", "办理结果"))
    answered_on = SheetField("answered_on", "答复日期", Date(), aliases=("答复时间",))
    closed_on = SheetField("closed_on", "办结日期", Date(), aliases=("办结时间",))
    satisfaction = SheetField(
        "satisfaction", "满意度", Choice(Satisfaction.choices, aliases=SATISFACTION),
        aliases=("评价", "满意度评价"),
    )  # fmt: skip

    def key_fields(self, values: dict[str, Any]) -> tuple[str, ...]:
        source = "worker" if values.get("worker") is not None else "union"
        return (source, "received_on", "text")

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        region = self.region_of(row, context)
        worker, union = None, None
        if row.data.get("id_number"):
            worker = self.worker_of(row, context, name_field="person", enterprise_field=None)
        if row.data.get("union"):
            name = row.data["union"]
            union = context.lookup(
                ("union", name, region.code if region else None),
                lambda: (
                    context.referable(UnionOrganisation.objects.all())
                    .filter(name=name, region=region)
                    .order_by("pk")
                    .first()
                ),
            )
            if union is None:
                raise RowFailed(
                    self.header_for("union"),
                    _("No grassroots union “%(name)s” in this region; import it first.")
                    % {"name": name},
                )
        return {
            "worker": worker,
            "union": union,
            "region": worker.region if worker is not None else (union.region if union else region),
            "topic": row.data["topic"],
            "text": row.data["text"],
            "received_on": row.data["received_on"],
            "addressed_to": row.data["addressed_to"],
            "status": row.data["status"],
            "accepted_on": row.data.get("accepted_on"),
            "assigned_to": row.data.get("assigned_to") or "",
            "assigned_on": row.data.get("assigned_on"),
            "answer": row.data.get("answer") or "",
            "answered_on": row.data.get("answered_on"),
            "closed_on": row.data.get("closed_on"),
            "satisfaction": row.data.get("satisfaction") or "",
        }

    def validate(
        self, instance: Any, old: dict[str, Any] | None, row: Row, context: Context
    ) -> None:
        # The step table, as the service and the admin form ask it: a new row enters a
        # suggestion as it stands, holding every step's data up to its status; a row that
        # changes a suggestion's status is one step, taken by the importing user.
        previous = old.get("status") if old is not None else None
        data = {field.name: getattr(instance, field.attname) for field in Suggestion._meta.fields}
        try:
            suggestion_check(
                suggestion=instance,
                user=context.user,
                previous_status=previous,
                data=data,
                undated_today=False,
            )
        except PermissionDenied as error:
            raise RowFailed(self.header_for("status"), str(error)) from None
        except ValidationError as error:
            raise validation_to_row_failure(error, self) from None
        super().validate(instance, old, row, context)
