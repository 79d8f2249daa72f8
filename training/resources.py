"""Sheets of the training app: providers, academies' instructors, sessions, enrolments,
competitions, results, education subsidies and worker libraries (docs/import-formats.md)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sheets import aliases
from sheets.fields import (
    Boolean,
    Choice,
    CreditCode,
    Date,
    IdNumber,
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
    Instructor,
    InstructorKind,
    LibraryLevel,
    ProviderKind,
    SessionCategory,
    Teaching,
    TrainingProvider,
    TrainingSession,
    WorkerLibrary,
)
from workforce.models import UnionOrganisation
from workforce.resources import PersonSheet

PROVIDER_KINDS = {
    "学院": ProviderKind.ACADEMY,
    "劳模工匠产业人才学院": ProviderKind.ACADEMY,
    "分院": ProviderKind.BRANCH,
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
    # An academy's own columns (left empty for other kinds: TrainingProvider.clean says so).
    founded_on = SheetField(
        "founded_on", "成立日期", Date(), aliases=("揭牌日期", "成立时间", "授牌日期")
    )
    founding_union = SheetField(
        "founding_union__name", "发起工会", Reference(), aliases=("主办工会", "牵头工会")
    )
    partners = SheetField(
        "partners", "合作院校", Text(), aliases=("合作单位", "合作学校", "依托院校")
    )

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        region = self.region_of(row, context)
        union = None
        if row.data.get("founding_union"):
            union = context.by_name(
                UnionOrganisation,
                row.data["founding_union"],
                self.sheet_fields()["founding_union"].header,
            )
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
            "founded_on": row.data.get("founded_on"),
            "founding_union": union,
            "partners": row.data.get("partners") or "",
        }


INSTRUCTOR_KINDS = {
    "劳模工匠讲师": InstructorKind.CRAFTSMAN,
    "劳模讲师": InstructorKind.CRAFTSMAN,
    "工匠讲师": InstructorKind.CRAFTSMAN,
    "劳模工匠": InstructorKind.CRAFTSMAN,
    "企业内训师": InstructorKind.TRAINER,
    "内训师": InstructorKind.TRAINER,
    "企业讲师": InstructorKind.TRAINER,
}


class InstructorResource(SheetResource):
    """The instructors an academy engages: one row per academy and worker, the academy first."""

    model = Instructor
    resource_name = "instructors"
    sheet_title = gettext_lazy("Academy instructors")
    key = ("academy", "worker")

    academy = SheetField(
        "academy__name", "学院名称", Reference(), required=True, aliases=("工匠学院", "聘任学院")
    )
    academy_region = SheetField(
        "academy__region", "学院所在地区", RegionName(), aliases=("所属地区",)
    )
    person = SheetField("worker__name", "讲师姓名", Text(), required=True, aliases=("姓名",))
    id_number = SheetField(
        "worker__id_number", "身份证号", IdNumber(), required=True, personal="id_number"
    )
    kind = SheetField(
        "kind",
        "讲师类型",
        Choice(InstructorKind.choices, aliases=INSTRUCTOR_KINDS),
        required=True,
        aliases=("类型", "讲师类别"),
    )
    engaged_on = SheetField(
        "engaged_on", "聘任日期", Date(), required=True, aliases=("聘任时间", "受聘日期")
    )
    ended_on = SheetField("ended_on", "解聘日期", Date(), aliases=("聘期结束", "离任日期"))
    subjects = SheetField("subjects", "授课方向", Text(), aliases=("授课内容", "授课专业"))

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        fields = self.sheet_fields()
        name = row.data["academy"]
        region = self.region_of(row, context, "academy_region")
        code = region.code if region is not None else None

        def find() -> list[TrainingProvider]:
            academies = context.referable(TrainingProvider.objects.select_related("region"))
            academies = academies.filter(name=name)
            return list(academies.filter(region=region) if region is not None else academies[:2])

        found = context.lookup(("academy", name, code), find)
        if not found:
            raise RowFailed(
                fields["academy"].header,
                _("Unknown academy “%(name)s”; import it in the training providers first.")
                % {"name": name},
            )
        if len(found) > 1:
            raise RowFailed(
                fields["academy"].header,
                _("Several academies are called “%(name)s”; give the academy's region.")
                % {"name": name},
            )
        academy = found[0]
        # A worker not yet on record is added where the academy is, if that is a county or town.
        home = academy.region if academy.region.level in ("county", "town") else None
        worker = context.worker(
            id_number=row.data["id_number"],
            name=row.data.get("person") or "",
            row=row.number,
            region=home,
            id_column=fields["id_number"].header,
            name_column=fields["person"].header,
            region_column=fields["academy"].header,
        )
        return {
            "academy": academy,
            "worker": worker,
            "kind": row.data["kind"],
            "engaged_on": row.data["engaged_on"],
            "ended_on": row.data.get("ended_on"),
            "subjects": row.data.get("subjects") or "",
        }


class TeachingResource(SheetResource):
    """Who teaches which session (授课讲师): one row per session and instructor. The session and
    the academy's instructor must be on record (the instructors sheet engages them)."""

    model = Teaching
    resource_name = "session-instructors"
    sheet_title = gettext_lazy("Session instructors")
    key = ("session", "instructor")
    scope_columns = ("region",)

    session_title = SheetField(
        "session__title", "班次名称", Text(), required=True, aliases=("培训班名称",)
    )
    start_date = SheetField("session__start_date", "开班日期", Date(), required=True)
    region = SheetField("session__region", "组织地区", RegionName(), required=True)
    academy = SheetField(
        "instructor__academy__name", "学院名称", Reference(), required=True, aliases=("聘任学院",)
    )
    person = SheetField(
        "instructor__worker__name", "讲师姓名", Text(), required=True, aliases=("授课讲师", "姓名")
    )
    id_number = SheetField(
        "instructor__worker__id_number", "身份证号", IdNumber(), required=True, personal="id_number"
    )

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        fields = self.sheet_fields()
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
                fields["session_title"].header,
                _(
                    "No training session “%(title)s” starting %(date)s here; import the session first."
                )
                % {"title": title, "date": start},
            )
        academy, id_number = row.data["academy"], row.data["id_number"]
        instructor = context.lookup(
            ("instructor", academy, id_number),
            lambda: (
                context.referable(Instructor.objects.select_related("worker"))
                .filter(academy__name=academy, worker__id_number=id_number)
                .first()
            ),
        )
        if instructor is None:
            raise RowFailed(
                fields["id_number"].header,
                _(
                    "No instructor with this ID number at “%(academy)s”; import them in the "
                    "instructors sheet first."
                )
                % {"academy": academy},
            )
        name = row.data.get("person") or ""
        if name and name != instructor.worker.name:
            raise RowFailed(
                fields["person"].header,
                _("ID number %(id)s belongs to %(existing)s, not %(name)s.")
                % {
                    "id": instructor.worker.masked_id_number,
                    "existing": instructor.worker.name,
                    "name": name,
                },
            )
        return {"session": session, "instructor": instructor}


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


LIBRARY_LEVELS = {
    "全国示范": LibraryLevel.NATIONAL, "全国级": LibraryLevel.NATIONAL,
    "全国职工书屋示范点": LibraryLevel.NATIONAL, "国家级": LibraryLevel.NATIONAL,
    "全国": LibraryLevel.NATIONAL,
    "省级示范": LibraryLevel.PROVINCIAL, "省级": LibraryLevel.PROVINCIAL,
    "省示范": LibraryLevel.PROVINCIAL, "省级职工书屋示范点": LibraryLevel.PROVINCIAL,
    "市级示范": LibraryLevel.CITY, "市级": LibraryLevel.CITY, "市示范": LibraryLevel.CITY,
    "市级职工书屋示范点": LibraryLevel.CITY,
}  # fmt: skip


class WorkerLibraryResource(SheetResource):
    """A 职工书屋 and its host: an enterprise (by credit code or name; one not on record is
    added in the library's region) or a union on record, one of the two."""

    model = WorkerLibrary
    resource_name = "worker-libraries"
    sheet_title = gettext_lazy("Worker libraries")
    key = ("name", "region")

    library_name = SheetField(
        "name", "书屋名称", Text(), required=True, aliases=("职工书屋名称", "名称", "职工书屋")
    )
    region = SheetField("region", "所属地区", RegionName(), required=True, aliases=("地区",))
    host_enterprise = SheetField(
        "host_enterprise__name",
        "依托企业",
        Reference(),
        aliases=("所在企业", "建设单位", "企业名称"),
    )
    host_code = SheetField(
        "host_enterprise__credit_code", "统一社会信用代码", CreditCode(), aliases=("信用代码",)
    )
    host_union = SheetField(
        "host_union__name", "依托工会", Reference(), aliases=("所在工会", "工会名称")
    )
    level = SheetField(
        "level",
        "示范级别",
        Choice(LibraryLevel.choices, aliases=LIBRARY_LEVELS),
        aliases=("级别", "示范等级", "书屋级别"),
    )
    books = SheetField("books_count", "藏书册数", Integer(), aliases=("藏书量", "图书册数", "藏书"))
    opened_on = SheetField(
        "opened_on", "建成日期", Date(), required=True, aliases=("建成时间", "挂牌日期", "开放日期")
    )

    def prefetch(self, rows: list[Row], context: Context) -> None:
        super().prefetch(rows, context)
        context.prefetch_enterprises(
            value
            for row in rows
            for value in (row.data.get("host_code"), row.data.get("host_enterprise"))
            if value
        )

    def build(self, row: Row, context: Context) -> dict[str, Any]:
        region = self.region_of(row, context)
        enterprise = union = None
        code = row.data.get("host_code")
        if code or row.data.get("host_enterprise"):
            column = "统一社会信用代码" if code else "依托企业"
            enterprise = context.enterprise(
                code or row.data["host_enterprise"], region=region, column=column
            )
            if (
                code
                and row.data.get("host_enterprise")
                and enterprise.name != row.data["host_enterprise"]
            ):
                raise RowFailed(
                    "依托企业",
                    _("The credit code belongs to “%(name)s”, not to the enterprise named here.")
                    % {"name": enterprise.name},
                )
        if row.data.get("host_union"):
            union = context.by_name(
                UnionOrganisation, row.data["host_union"], self.sheet_fields()["host_union"].header
            )
        if (enterprise is None) == (union is None):
            raise RowFailed(
                "依托企业",
                _("A worker library is hosted by an enterprise or by a union, one of the two."),
            )
        return {
            "name": row.data["library_name"],
            "region": region,
            "host_enterprise": enterprise,
            "host_union": union,
            "level": row.data.get("level") or "",
            "books_count": row.data.get("books") or 0,
            "opened_on": row.data["opened_on"],
        }
