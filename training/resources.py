"""Sheets of the training app: providers, sessions, enrolments, competitions, results and
education subsidies (docs/import-formats.md)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sheets import aliases
from sheets.fields import (
    Boolean,
    Choice,
    Date,
    Integer,
    Money,
    Number,
    Reference,
    RegionName,
    SheetField,
    Text,
    Year,
)
from sheets.lookups import Context
from sheets.resources import SheetResource
from sheets.rows import Row, RowFailed
from training.models import (
    COMPETITION_LEVELS,
    Award,
    Competition,
    CompetitionResult,
    CompetitionTier,
    EducationLevel,
    EducationSubsidy,
    Enrolment,
    ProviderKind,
    SessionCategory,
    TrainingProvider,
    TrainingSession,
)
from workforce.resources import PersonSheet

PROVIDER_KINDS = {
    "学院": ProviderKind.ACADEMY,
    "工匠学院分院": ProviderKind.BRANCH,
    "基地": ProviderKind.BASE,
    "培训基地": ProviderKind.BASE,
}


class ProviderResource(SheetResource):
    model = TrainingProvider
    resource_name = "training-providers"
    sheet_title = gettext_lazy("Training providers")
    key = ("name", "region")

    provider_name = SheetField(
        "name", "机构名称", Text(), required=True, aliases=("培训机构", "名称")
    )
    kind = SheetField(
        "kind", "类型", Choice(ProviderKind.choices, aliases=PROVIDER_KINDS), aliases=("机构类型",)
    )
    region = SheetField("region", "所属地区", RegionName(), required=True)
    parent = SheetField("parent__name", "上级机构", Reference(), aliases=("所属学院",))

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        region = self.region_of(row, context)
        parent = None
        if row.data.get("parent"):
            name = row.data["parent"]
            parent = context.lookup(
                ("provider", name),
                lambda: (
                    context.referable(TrainingProvider.objects.all())
                    .filter(name=name)
                    .order_by("pk")
                    .first()
                ),
            )
            if parent is None:
                raise RowFailed(
                    "上级机构", _("Unknown provider “%(name)s”; import it first.") % {"name": name}
                )
        return {
            "name": row.data["provider_name"],
            "kind": row.data.get("kind") or ProviderKind.OTHER,
            "region": region,
            "parent": parent,
        }


CATEGORIES = {
    "技能": SessionCategory.SKILLS,
    "学历": SessionCategory.EDUCATION,
    "安全生产": SessionCategory.SAFETY,
    "职工素养": SessionCategory.LITERACY,
    "班组长培训": SessionCategory.TEAM_LEADER,
}


class SessionResource(SheetResource):
    model = TrainingSession
    resource_name = "training-sessions"
    sheet_title = gettext_lazy("Training sessions")
    key = ("title", "start_date", "region")

    title = SheetField(
        "title", "班次名称", Text(), required=True, aliases=("培训班名称", "培训名称", "班级名称")
    )
    provider = SheetField(
        "provider__name", "培训机构", Reference(), aliases=("承办机构", "培训单位")
    )
    region = SheetField("region", "组织地区", RegionName(), required=True, aliases=("所属地区",))
    category = SheetField(
        "category",
        "培训类别",
        Choice(SessionCategory.choices, aliases=CATEGORIES),
        required=True,
        aliases=("类别",),
    )
    start_date = SheetField(
        "start_date", "开班日期", Date(), required=True, aliases=("开始日期", "培训日期")
    )
    end_date = SheetField("end_date", "结业日期", Date(), aliases=("结束日期",))
    hours = SheetField("hours", "学时", Number(), aliases=("课时",))
    headcount = SheetField("declared_headcount", "参训人数", Integer(), aliases=("培训人数",))
    subsidy = SheetField("subsidy", "补贴金额(元)", Money(), wan=True)

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        region = self.region_of(row, context)
        provider = None
        name = row.data.get("provider")
        if name and region is not None:
            provider = context.lookup(
                ("provider", name, region.code),
                lambda: (
                    context.referable(TrainingProvider.objects.all())
                    .filter(name=name, region=region)
                    .first()
                ),
            )
            if provider is None:
                # An unknown provider is added with type "other", and the report says so.
                provider = TrainingProvider(name=name, region=region, kind=ProviderKind.OTHER)
                context.created_other[TrainingProvider].append(provider)
                context.memo[("provider", name, region.code)] = provider
        return {
            "title": row.data["title"],
            "provider": provider,
            "region": region,
            "category": row.data["category"],
            "start_date": row.data["start_date"],
            "end_date": row.data.get("end_date"),
            "hours": row.data.get("hours"),
            "declared_headcount": row.data.get("headcount"),
            "subsidy": row.data.get("subsidy"),
        }

    def notes(self, context: Context) -> Iterable[str]:
        providers = context.created_other.get(TrainingProvider, [])
        if providers:
            yield _(
                "%(count)d training providers not yet on record will be added with the type “other”: %(names)s."
            ) % {
                "count": len(providers),
                "names": "、".join(str(p) for p in providers[:10]),
            }


class EnrolmentResource(PersonSheet):
    model = Enrolment
    resource_name = "enrolments"
    sheet_title = gettext_lazy("Enrolments")
    key = ("session", "worker")
    scope_columns = ("region",)

    session_title = SheetField(
        "session__title", "班次名称", Text(), required=True, aliases=("培训班名称",)
    )
    start_date = SheetField("session__start_date", "开班日期", Date(), required=True)
    region = SheetField("session__region", "组织地区", RegionName(), required=True)
    passed = SheetField("passed", "是否结业", Boolean(), aliases=("结业",))
    certified = SheetField("certified", "是否取证", Boolean(), aliases=("取证",))

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        region = self.region_of(row, context)
        title, start = row.data["session_title"], row.data["start_date"]
        session = context.lookup(
            ("session", title, start, region.code if region else None),
            lambda: (
                context.referable(TrainingSession.objects.all())
                .filter(title=title, start_date=start, region=region)
                .first()
            ),
        )
        if session is None:
            raise RowFailed(
                "班次名称",
                _(
                    "No training session “%(title)s” starting %(date)s here; import the session first."
                )
                % {"title": title, "date": start},
            )
        return {
            "session": session,
            "worker": self.worker_of(row, context, name_field="person", enterprise_field=None),
            "passed": bool(row.data.get("passed")),
            "certified": bool(row.data.get("certified")),
        }


TIERS = {
    "重点": CompetitionTier.KEY,
    "示范": CompetitionTier.DEMONSTRATION,
    "常规": CompetitionTier.REGULAR,
}


class CompetitionResource(SheetResource):
    model = Competition
    resource_name = "competitions"
    sheet_title = gettext_lazy("Skill competitions")
    key = ("name", "held_on")

    competition_name = SheetField(
        "name", "竞赛名称", Text(), required=True, aliases=("赛事名称", "比赛名称")
    )
    level = SheetField(
        "level", "级别", Choice(COMPETITION_LEVELS, aliases=aliases.LEVEL), required=True
    )
    tier = SheetField(
        "tier", "赛事类型", Choice(CompetitionTier.choices, aliases=TIERS), aliases=("赛事类别",)
    )
    trade = SheetField("trade", "工种", Text(), aliases=("竞赛工种", "项目"))
    held_on = SheetField(
        "held_on", "举办日期", Date(), required=True, aliases=("比赛日期", "竞赛日期", "举办时间")
    )
    region = SheetField("region", "所属地区", RegionName(), required=True)
    participants = SheetField("participant_count", "参赛人数", Integer(), aliases=("参赛人次",))

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        return {
            "name": row.data["competition_name"],
            "level": row.data["level"],
            "tier": row.data.get("tier") or "",
            "trade": row.data.get("trade") or "",
            "held_on": row.data["held_on"],
            "region": self.region_of(row, context),
            "participant_count": row.data.get("participants"),
        }


AWARDS = {
    "一等": Award.FIRST,
    "二等": Award.SECOND,
    "三等": Award.THIRD,
    "优胜奖": Award.MERIT,
    "金奖": Award.FIRST,
    "银奖": Award.SECOND,
    "铜奖": Award.THIRD,
}


class CompetitionResultResource(PersonSheet):
    model = CompetitionResult
    resource_name = "competition-results"
    sheet_title = gettext_lazy("Competition results")
    key = ("competition", "worker")

    competition = SheetField("competition__name", "竞赛名称", Text(), required=True)
    held_on = SheetField("competition__held_on", "举办日期", Date(), required=True)
    rank = SheetField("rank", "名次", Integer(), aliases=("排名",))
    award = SheetField(
        "award", "奖项", Choice(Award.choices, aliases=AWARDS), aliases=("获奖等次", "获奖等级")
    )
    title_granted = SheetField("title_granted", "授予称号", Text(), aliases=("获得称号",))

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        name, held_on = row.data["competition"], row.data["held_on"]
        competition = context.lookup(
            ("competition", name, held_on),
            lambda: (
                context.referable(Competition.objects.select_related("region"))
                .filter(name=name, held_on=held_on)
                .first()
            ),
        )
        if competition is None:
            raise RowFailed(
                "竞赛名称",
                _("No competition “%(name)s” on %(date)s; import the competition first.")
                % {"name": name, "date": held_on},
            )
        fields = self.sheet_fields()
        worker = context.worker(
            id_number=row.data["id_number"],
            name=row.data.get("person") or "",
            row=row.number,
            region=competition.region if competition.region.level in ("county", "town") else None,
            id_column=fields["id_number"].header,
            name_column=fields["person"].header,
            region_column=fields["competition"].header,
        )
        return {
            "competition": competition,
            "worker": worker,
            "rank": row.data.get("rank"),
            "award": row.data.get("award") or "",
            "title_granted": row.data.get("title_granted") or "",
        }


class EducationSubsidyResource(PersonSheet):
    model = EducationSubsidy
    resource_name = "education-subsidies"
    sheet_title = gettext_lazy("Education subsidies")
    key = ("worker", "year")

    region = SheetField("worker__region", "所属地区", RegionName())
    school = SheetField("school", "学校", Text(), required=True, aliases=("就读学校", "院校"))
    major = SheetField("major", "专业", Text())
    level = SheetField(
        "level",
        "层次",
        Choice(
            EducationLevel.choices,
            aliases={"大专": "junior_college", "高职": "junior_college", "本科生": "bachelor"},
        ),
        aliases=("学历层次",),
    )
    year = SheetField("year", "年度", Year(), required=True, aliases=("年份", "资助年度"))
    amount = SheetField("amount", "资助金额(元)", Money(), required=True, wan=True)
    status = SheetField("status", "状态", Text(), aliases=("资助状态",))

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        return {
            "worker": self.worker_of(row, context, name_field="person", enterprise_field=None),
            "school": row.data["school"],
            "major": row.data.get("major") or "",
            "level": row.data.get("level") or "",
            "year": row.data["year"],
            "amount": row.data["amount"],
            "status": row.data.get("status") or "",
        }
