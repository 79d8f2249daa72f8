from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from base.fields import MoneyField
from base.models import (
    FollowsRegion,
    Level,
    Region,
    RegionLevel,
    TimestampedModel,
    TracksRegion,
)
from base.validators import (
    not_negative,
    ordered,
    validate_date_order,
    year_in_range,
    year_validators,
)
from programs import indicators
from workforce.models import Enterprise, SkillLevel, UnionOrganisation, Worker


class Programme(models.Model):
    """Reference table of reform programmes (产改试点, 职工成长型社会建设 …)."""

    name = models.CharField(_("programme name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reform programme")
        verbose_name_plural = _("reform programmes")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class UnitType(models.TextChoices):
    COUNTY = "county", _("county")
    TOWN = "town", _("town or park")
    ENTERPRISE = "enterprise", _("enterprise")
    TEAM = "team", _("team")


class PilotStatus(models.TextChoices):
    DECLARED = "declared", _("declared")
    NAMED = "named", _("named")
    ACCEPTED = "accepted", _("accepted")
    REVOKED = "revoked", _("revoked")


PILOT_LEVELS = [
    (level.value, level.label) for level in (Level.PROVINCIAL, Level.CITY, Level.COUNTY)
]


class PilotUnit(TimestampedModel):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="pilot_units"
    )
    unit_type = models.CharField(_("unit type"), max_length=16, choices=UnitType.choices)
    name = models.CharField(_("unit name"), max_length=200)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pilot_units",
    )
    team_name = models.CharField(_("team name"), max_length=100, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=PILOT_LEVELS)
    batch_year = models.PositiveSmallIntegerField(_("batch year"), validators=year_validators)
    status = models.CharField(
        _("status"), max_length=16, choices=PilotStatus.choices, default=PilotStatus.NAMED
    )

    history = HistoricalRecords()
    scope_path: ClassVar[str] = "region__code"

    class Meta:
        verbose_name = _("pilot unit")
        verbose_name_plural = _("pilot units")
        constraints = (
            models.UniqueConstraint(
                fields=("programme", "unit_type", "name", "region", "team_name"),
                name="pilot_unit_unique",
                violation_error_message=_("This pilot unit is already recorded."),
            ),
            models.CheckConstraint(condition=year_in_range("batch_year"), name="pilot_year_range"),
            models.CheckConstraint(
                condition=~Q(unit_type=UnitType.TEAM) | ~Q(team_name=""),
                name="pilot_team_has_team_name",
                violation_error_message=_("A team pilot unit needs its team name."),
            ),
        )

    def __str__(self) -> str:
        return f"{self.name} {self.team_name}".strip()

    def clean(self) -> None:
        super().clean()
        if self.unit_type == UnitType.TEAM and not self.team_name:
            raise ValidationError({"team_name": _("A team pilot unit needs its team name.")})


class Target(TimestampedModel):
    """A yearly target for one indicator in one region (分解下达 at any level)."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    # A key of the indicator catalogue, checked against it (programs.indicators) rather than
    # kept as `choices`, so that a new indicator needs no migration.
    indicator = models.CharField(
        _("indicator"), max_length=40, validators=[indicators.validate_indicator]
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators)
    value = MoneyField(_("target value"))

    history = HistoricalRecords()
    scope_path: ClassVar[str] = "region__code"

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = (
            models.UniqueConstraint(
                fields=("region", "indicator", "year"),
                name="target_unique_region_indicator_year",
                violation_error_message=_(
                    "This region already has a target for this indicator and year."
                ),
            ),
            models.CheckConstraint(
                condition=not_negative("value"), name="target_value_not_negative"
            ),
            models.CheckConstraint(condition=year_in_range("year"), name="target_year_range"),
        )

    def __str__(self) -> str:
        return f"{self.region} {self.year} {self.indicator_label}"

    @property
    def indicator_label(self) -> str:
        return indicators.label(self.indicator)


class StudioKind(models.TextChoices):
    MODEL_WORKER = "model_worker", _("model worker innovation studio")
    CRAFTSMAN = "craftsman", _("craftsman innovation studio")
    HIGH_SKILL = "high_skill", _("highly skilled talent innovation studio")
    SKILL_MASTER = "skill_master", _("skill master studio")
    EMPLOYEE = "employee", _("employee innovation studio")


STUDIO_LEVELS = [
    (level.value, level.label)
    for level in (Level.NATIONAL, Level.PROVINCIAL, Level.CITY, Level.COUNTY)
]


class InnovationStudio(TimestampedModel):
    name = models.CharField(_("studio name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=StudioKind.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=STUDIO_LEVELS)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("host enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="studios",
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    leader = models.ForeignKey(
        Worker,
        verbose_name=_("leader"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="studios_led",
    )
    member_count = models.PositiveIntegerField(_("members"), default=0)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    named_year = models.PositiveSmallIntegerField(_("named in"), validators=year_validators)
    revoked_year = models.PositiveSmallIntegerField(
        _("revoked in"), null=True, blank=True, validators=year_validators
    )

    history = HistoricalRecords()
    scope_path: ClassVar[str] = "region__code"

    class Meta:
        verbose_name = _("innovation studio")
        verbose_name_plural = _("innovation studios")
        constraints = (
            models.UniqueConstraint(
                fields=("name", "region"),
                name="studio_unique_name_region",
                violation_error_message=_("A studio with this name already exists in this region."),
            ),
            models.CheckConstraint(
                condition=ordered("named_year", "revoked_year"), name="studio_revoked_after_named"
            ),
            models.CheckConstraint(condition=year_in_range("named_year"), name="studio_year_range"),
        )

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        validate_date_order(
            self.named_year,
            self.revoked_year,
            end_field="revoked_year",
            message=_("A studio cannot be revoked before it was named."),
        )


class AchievementKind(models.TextChoices):
    EXCELLENT = "excellent", _("excellent innovation achievement")
    OPERATION_METHOD = "operation_method", _("advanced operation method")
    PATENT = "patent", _("patent")
    SUGGESTION = "suggestion", _("rationalisation proposal")
    BREAKTHROUGH = "breakthrough", _("technical breakthrough")


class Achievement(TimestampedModel):
    studio = models.ForeignKey(
        InnovationStudio,
        verbose_name=_("studio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="achievements",
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    title = models.CharField(_("achievement title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=AchievementKind.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators)
    patent_number = models.CharField(_("patent number"), max_length=64, blank=True)
    economic_benefit = MoneyField(_("economic benefit (yuan)"), null=True, blank=True)

    history = HistoricalRecords()
    scope_path: ClassVar[str] = "region__code"

    class Meta:
        verbose_name = _("innovation achievement")
        verbose_name_plural = _("innovation achievements")
        constraints = (
            models.UniqueConstraint(
                fields=("title", "year", "region"),
                name="achievement_unique_title_year_region",
                violation_error_message=_("This achievement is already recorded for this year."),
            ),
            models.CheckConstraint(
                condition=not_negative("economic_benefit"), name="achievement_benefit_not_negative"
            ),
            models.CheckConstraint(condition=year_in_range("year"), name="achievement_year_range"),
        )

    def __str__(self) -> str:
        return self.title


class ServiceVisit(TracksRegion, TimestampedModel):
    """A 劳模工匠助企行 visit: craftsmen serving enterprises on one day."""

    title = models.CharField(_("activity title"), max_length=200)
    date = models.DateField(_("service date"))
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    craftsmen = models.ManyToManyField(
        Worker, verbose_name=_("craftsmen taking part"), blank=True, related_name="service_visits"
    )
    craftsmen_count = models.PositiveIntegerField(
        _("craftsmen (declared count)"),
        default=0,
        help_text=_("For visits recorded without names; linked craftsmen are counted instead."),
    )
    enterprises_served = models.PositiveIntegerField(_("enterprises served"), default=0)
    problems_collected = models.PositiveIntegerField(_("problems collected"), default=0)
    problems_solved = models.PositiveIntegerField(_("problems solved"), default=0)
    workers_trained = models.PositiveIntegerField(_("workers trained (person-times)"), default=0)
    economic_benefit = MoneyField(_("economic benefit (yuan)"), null=True, blank=True)

    # Problems solved may exceed those collected on the day: sheets count earlier problems a
    # visit solved, so no check ties the two.
    history = HistoricalRecords(m2m_fields=[craftsmen])
    scope_path: ClassVar[str] = "region__code"

    class Meta:
        verbose_name = _("service visit")
        verbose_name_plural = _("service visits")
        constraints = (
            models.UniqueConstraint(
                fields=("title", "date", "region"),
                name="visit_unique_title_date_region",
                violation_error_message=_("This visit is already recorded."),
            ),
            models.CheckConstraint(
                condition=not_negative("economic_benefit"), name="visit_benefit_not_negative"
            ),
        )

    def __str__(self) -> str:
        return f"{self.title} ({self.date})"


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    SOLVED = "solved", _("solved")


class ServiceProblem(FollowsRegion, TimestampedModel):
    """One problem of a visit's "难题—专家—进度" lists."""

    visit = models.ForeignKey(
        ServiceVisit,
        verbose_name=_("service visit"),
        on_delete=models.CASCADE,
        related_name="problems",
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, null=True, blank=True
    )
    description = models.CharField(_("problem"), max_length=500)
    expert = models.ForeignKey(
        Worker,
        verbose_name=_("expert"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problems_assigned",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProblemStatus.choices, default=ProblemStatus.OPEN
    )
    reported_on = models.DateField(
        _("collected on"),
        null=True,
        blank=True,
        help_text=_("The visit's date when left empty."),
    )
    solved_on = models.DateField(_("solved on"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=("region",))
    region_follows: ClassVar[str] = "visit"

    class Meta:
        verbose_name = _("service problem")
        verbose_name_plural = _("service problems")
        constraints = (
            models.UniqueConstraint(
                fields=("visit", "description"),
                name="problem_unique_visit_description",
                violation_error_message=_("This problem is already listed for this visit."),
            ),
            models.CheckConstraint(
                condition=ordered("reported_on", "solved_on"), name="problem_dates_ordered"
            ),
        )
        indexes = (
            # Scoped lists (region_id LIKE '330381%' ORDER BY id DESC LIMIT 50) and
            # the dashboards' counts by region prefix: one index range, no join.
            models.Index(
                fields=("region", "id"),
                name="service_problem_region_idx",
                opclasses=("varchar_pattern_ops", "int8_ops"),
            ),
            # Open problems by age (the to-do page and the problem list).
            models.Index(fields=("status", "reported_on"), name="problem_status_reported_idx"),
        )

    def __str__(self) -> str:
        return self.description[:50]

    def clean(self) -> None:
        super().clean()
        if self.reported_on is None and self.visit_id is not None:
            self.reported_on = self.visit.date
        if self.solved_on and self.status != ProblemStatus.SOLVED:
            raise ValidationError({"solved_on": _("Only a solved problem has a solving date.")})
        validate_date_order(
            self.reported_on,
            self.solved_on,
            end_field="solved_on",
            message=_("A problem cannot be solved before it was collected."),
        )


class AllianceKind(models.TextChoices):
    CHAIN = "chain", _("industrial-chain alliance")
    AREA = "area", _("area alliance")
    INDUSTRY = "industry", _("industry alliance")


class ReformAlliance(FollowsRegion, TracksRegion, TimestampedModel):
    """A 产改联盟: enterprises along a supply chain, in an area or an industry that take the
    reform forward together under a lead enterprise (天台's first, led by 浙江银轮机械). The
    alliance is kept and counted in its lead's region; its members may be anywhere."""

    name = models.CharField(_("alliance name"), max_length=200)
    lead = models.ForeignKey(
        Enterprise,
        verbose_name=_("lead enterprise"),
        on_delete=models.PROTECT,
        related_name="alliances_led",
    )
    kind = models.CharField(_("alliance kind"), max_length=16, choices=AllianceKind.choices)
    founded_on = models.DateField(_("founded on"))
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords(excluded_fields=("region",))
    region_follows: ClassVar[str] = "lead"

    class Meta:
        verbose_name = _("reform alliance")
        verbose_name_plural = _("reform alliances")
        constraints = (
            # Names carry their county (天台县汽车零部件产业链产改联盟): one name, one alliance,
            # which is what the members' sheet looks an alliance up by.
            models.UniqueConstraint(
                fields=("name",),
                name="alliance_unique_name",
                violation_error_message=_("An alliance with this name already exists."),
            ),
            models.CheckConstraint(
                condition=ordered("founded_on", "dissolved_on"),
                name="alliance_dissolved_after_founded",
                violation_error_message=_("An alliance cannot be dissolved before it was founded."),
            ),
        )
        indexes = (
            # Scoped lists (region_id LIKE '331023%' ORDER BY id DESC LIMIT 50) and
            # the dashboards' counts by region prefix: one index range, no join.
            models.Index(
                fields=("region", "id"),
                name="alliance_region_idx",
                opclasses=("varchar_pattern_ops", "int8_ops"),
            ),
        )

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        validate_date_order(
            self.founded_on,
            self.dissolved_on,
            end_field="dissolved_on",
            message=_("An alliance cannot be dissolved before it was founded."),
        )


class AllianceMember(FollowsRegion, TimestampedModel):
    """An enterprise's membership of an alliance. The row belongs to the alliance's region (it
    is the alliance's record), not to the member's: a member in another county is seen there
    by nobody but as a name on the alliance (programs.selectors.member_shown_in_full)."""

    alliance = models.ForeignKey(
        ReformAlliance,
        verbose_name=_("reform alliance"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("member enterprise"),
        on_delete=models.PROTECT,
        related_name="alliance_memberships",
    )
    joined_on = models.DateField(
        _("joined on"), blank=True, help_text=_("The alliance's founding date when left empty.")
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=("region",))
    region_follows: ClassVar[str] = "alliance"

    class Meta:
        verbose_name = _("alliance member")
        verbose_name_plural = _("alliance members")
        constraints = (
            models.UniqueConstraint(
                fields=("alliance", "enterprise"),
                name="alliance_member_unique",
                violation_error_message=_("This enterprise is already a member of this alliance."),
            ),
            models.CheckConstraint(
                condition=ordered("joined_on", "left_on"),
                name="alliance_member_left_after_joined",
                violation_error_message=_("A member cannot leave before it joined."),
            ),
        )
        indexes = (
            # Scoped lists and the dashboards' counts by region prefix (see ReformAlliance).
            models.Index(
                fields=("region", "id"),
                name="alliance_member_region_idx",
                opclasses=("varchar_pattern_ops", "int8_ops"),
            ),
        )

    def __str__(self) -> str:
        return f"{self.alliance} · {self.enterprise}"

    def clean(self) -> None:
        super().clean()
        alliance = self.alliance if self.alliance_id else None
        if self.joined_on is None and alliance is not None:
            self.joined_on = alliance.founded_on
        if self.joined_on is None:
            raise ValidationError({"joined_on": _("Give the date the member joined.")})
        if alliance is not None and self.joined_on < alliance.founded_on:
            raise ValidationError(
                {"joined_on": _("A member cannot join before the alliance was founded.")}
            )
        validate_date_order(
            self.joined_on,
            self.left_on,
            end_field="left_on",
            message=_("A member cannot leave before it joined."),
        )


class AllianceActivityKind(models.TextChoices):
    """The 五联 an alliance works through."""

    ORGANISATION = "organisation", _("joint organisation building")  # 组织联建
    AFFAIRS = "affairs", _("joint consultation on affairs")  # 事务联商
    RESOURCES = "resources", _("resource sharing")  # 资源共享
    EVENTS = "events", _("joint activities")  # 活动联办
    BRAND = "brand", _("joint brand building")  # 品牌联创


class AllianceActivity(FollowsRegion, TimestampedModel):
    """One of the 五联 activities an alliance held (a joint training, a shared canteen …)."""

    alliance = models.ForeignKey(
        ReformAlliance,
        verbose_name=_("reform alliance"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    kind = models.CharField(_("activity kind"), max_length=16, choices=AllianceActivityKind.choices)
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("activity title"), max_length=200)
    enterprises_count = models.PositiveIntegerField(_("participating enterprises"), default=0)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(excluded_fields=("region",))
    region_follows: ClassVar[str] = "alliance"

    class Meta:
        verbose_name = _("alliance activity")
        verbose_name_plural = _("alliance activities")
        constraints = (
            models.UniqueConstraint(
                fields=("alliance", "title", "held_on"),
                name="alliance_activity_unique",
                violation_error_message=_("This activity is already recorded for this alliance."),
            ),
        )
        indexes = (
            # Scoped lists and the dashboards' counts by region prefix (see ReformAlliance).
            models.Index(
                fields=("region", "id"),
                name="alliance_activity_region_idx",
                opclasses=("varchar_pattern_ops", "int8_ops"),
            ),
        )

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on})"

    def clean(self) -> None:
        super().clean()
        alliance = self.alliance if self.alliance_id else None
        if alliance is None or self.held_on is None:
            return
        if self.held_on < alliance.founded_on or (
            alliance.dissolved_on is not None and self.held_on > alliance.dissolved_on
        ):
            raise ValidationError({"held_on": _("An activity is held while its alliance exists.")})


class CoordinationGroup(TimestampedModel):
    """A town's or park's coordination group for the reform (产改协调小组): set up on a day, in
    place until it is dissolved. A town has at most one group in place at a time; a group set up
    again after one was dissolved is a new record, so the history of each stays as it was."""

    region = models.ForeignKey(
        Region,
        verbose_name=_("town or park"),
        on_delete=models.PROTECT,
        limit_choices_to={"level": RegionLevel.TOWN},
    )
    established_on = models.DateField(_("established on"))
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    leader_name = models.CharField(_("group leader"), max_length=50, blank=True)
    leader_post = models.CharField(_("leader's post"), max_length=100, blank=True)
    member_units = models.PositiveIntegerField(_("member units"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    history = HistoricalRecords()
    scope_path: ClassVar[str] = "region__code"

    class Meta:
        verbose_name = _("reform coordination group")
        verbose_name_plural = _("reform coordination groups")
        constraints = (
            models.UniqueConstraint(
                fields=("region",),
                condition=Q(dissolved_on__isnull=True),
                name="coordination_group_one_current_per_town",
                violation_error_message=_(
                    "This town already has a coordination group in place; enter the day the old "
                    "one was dissolved first."
                ),
            ),
            # The import key: a town's group by the day it was set up.
            models.UniqueConstraint(
                fields=("region", "established_on"),
                name="coordination_group_unique_town_established",
                violation_error_message=_(
                    "A coordination group of this town set up on this day is already recorded."
                ),
            ),
            models.CheckConstraint(
                condition=ordered("established_on", "dissolved_on"),
                name="coordination_group_dissolved_after_established",
                violation_error_message=_(
                    "A coordination group cannot be dissolved before it was set up."
                ),
            ),
            # Town and park codes have nine digits (base.models.Region.clean).
            models.CheckConstraint(
                condition=Exact(Length("region"), 9),
                name="coordination_group_in_a_town",
                violation_error_message=_("A coordination group belongs to a town or park."),
            ),
        )
        indexes = (
            # Scoped lists and the dashboards' count by region prefix (region_id LIKE '330381%').
            models.Index(
                fields=("region", "established_on"),
                name="coordination_group_region_idx",
                opclasses=("varchar_pattern_ops", "date_ops"),
            ),
        )

    def __str__(self) -> str:
        return str(self.region)

    def clean(self) -> None:
        super().clean()
        if self.region_id is not None and self.region.level != RegionLevel.TOWN:
            raise ValidationError({"region": _("A coordination group belongs to a town or park.")})
        validate_date_order(
            self.established_on,
            self.dissolved_on,
            end_field="dissolved_on",
            message=_("A coordination group cannot be dissolved before it was set up."),
        )
        if self.region_id is None or self.established_on is None:
            return
        # Two groups of one town may not be in place on the same day.
        others = CoordinationGroup._default_manager.filter(region_id=self.region_id).exclude(
            pk=self.pk
        )
        if self.dissolved_on is not None:
            others = others.filter(established_on__lte=self.dissolved_on)
        overlapping = others.filter(
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=self.established_on)
        )
        if overlapping.exists():
            raise ValidationError(
                _("Another coordination group of this town is in place during these dates.")
            )


class WageAgreementKind(models.TextChoices):
    INDUSTRY = "industry", _("industry-wide agreement")
    ENTERPRISE = "enterprise", _("enterprise agreement")


class WageAgreement(TracksRegion, TimestampedModel):
    """A 能级工资集体协商 agreement: wages that rise with skill levels (以技提薪), signed by the
    union side with an enterprise (企业) or with an industry's employers (行业性)."""

    kind = models.CharField(_("agreement kind"), max_length=16, choices=WageAgreementKind.choices)
    title = models.CharField(_("agreement title"), max_length=200)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wage_agreements",
        help_text=_("An enterprise agreement's enterprise; the agreement counts in its region."),
    )
    industry = models.CharField(
        _("industry"),
        max_length=100,
        blank=True,
        help_text=_("An industry-wide agreement's industry (鞋革, 汽摩配, 电气 …)."),
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        blank=True,
        help_text=_("An enterprise agreement takes its enterprise's region on save."),
    )
    signed_on = models.DateField(_("signed on"))
    valid_until = models.DateField(_("valid until"))
    terminated_on = models.DateField(
        _("terminated on"),
        null=True,
        blank=True,
        help_text=_("Only for an agreement ended before its term; it is no longer in force."),
    )
    covered_enterprises = models.ManyToManyField(
        Enterprise,
        verbose_name=_("enterprises covered"),
        blank=True,
        related_name="wage_agreements_covering",
        help_text=_(
            "An industry-wide agreement's enterprises by name; linked enterprises are counted "
            "instead of the declared number."
        ),
    )
    enterprises_declared = models.PositiveIntegerField(
        _("enterprises covered (declared count)"), null=True, blank=True
    )
    workers_covered = models.PositiveIntegerField(_("workers covered"), default=0)
    union_side = models.CharField(_("union side"), max_length=200)
    employer_side = models.CharField(
        _("employer side"),
        max_length=200,
        help_text=_("The enterprise, or the industry association that signed for the employers."),
    )

    history = HistoricalRecords(m2m_fields=[covered_enterprises])
    scope_path: ClassVar[str] = "region__code"

    class Meta:
        verbose_name = _("skill-level wage agreement")
        verbose_name_plural = _("skill-level wage agreements")
        constraints = (
            models.UniqueConstraint(
                fields=("title", "signed_on", "region"),
                name="wage_agreement_unique_title_signed_region",
                violation_error_message=_("This agreement is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gt=F("signed_on")),
                name="wage_agreement_valid_after_signed",
                violation_error_message=_("An agreement must be valid until a day after signing."),
            ),
            models.CheckConstraint(
                condition=ordered("signed_on", "terminated_on"),
                name="wage_agreement_terminated_after_signed",
                violation_error_message=_("An agreement cannot end before it was signed."),
            ),
            models.CheckConstraint(
                condition=Q(kind=WageAgreementKind.ENTERPRISE, enterprise__isnull=False)
                | Q(kind=WageAgreementKind.INDUSTRY, enterprise__isnull=True),
                name="wage_agreement_enterprise_by_kind",
                violation_error_message=_(
                    "An enterprise agreement names its enterprise; an industry-wide one names none."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind=WageAgreementKind.INDUSTRY) | ~Q(industry=""),
                name="wage_agreement_industry_named",
                violation_error_message=_("An industry-wide agreement names its industry."),
            ),
        )
        indexes = (
            # The dashboards' agreements in force at the end of Y in a region subtree
            # (region_id LIKE '3303%' AND signed_on <= end AND valid_until >= end).
            models.Index(
                fields=("region", "valid_until", "signed_on"),
                name="wage_agreement_in_force_idx",
                opclasses=("varchar_pattern_ops", "date_ops", "date_ops"),
            ),
        )

    def __str__(self) -> str:
        return self.title

    def has_enterprise(self) -> bool:
        """Names an enterprise, saved or not yet (a sheet's new enterprise is saved with it)."""
        if self.enterprise_id is not None:
            return True
        field = self._meta.get_field("enterprise")
        assert isinstance(field, models.ForeignKey)
        return field.is_cached(self) and field.get_cached_value(self) is not None

    def follow_enterprise(self) -> None:
        """An enterprise agreement belongs to its enterprise's region."""
        if self.kind == WageAgreementKind.ENTERPRISE and self.has_enterprise():
            self.region_id = self.enterprise.region_id  # type: ignore[union-attr]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.follow_enterprise()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "enterprise" in update_fields:
            kwargs["update_fields"] = [*update_fields, "region"]
        super().save(*args, **kwargs)

    def clean_fields(self, exclude: Any = None) -> None:
        self.follow_enterprise()
        super().clean_fields(exclude)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.kind == WageAgreementKind.ENTERPRISE:
            if not self.has_enterprise():
                errors["enterprise"] = _("An enterprise agreement names its enterprise.")
        elif self.kind == WageAgreementKind.INDUSTRY:
            if self.has_enterprise():
                errors["enterprise"] = _(
                    "An industry-wide agreement names no single enterprise; list the enterprises "
                    "it covers instead."
                )
            if not self.industry:
                errors["industry"] = _("An industry-wide agreement names its industry.")
            if self.region_id is None:
                errors["region"] = _("An industry-wide agreement names its region.")
        if self.signed_on and self.valid_until and self.valid_until <= self.signed_on:
            errors["valid_until"] = _("An agreement must be valid until a day after signing.")
        if errors:
            raise ValidationError(errors)
        validate_date_order(
            self.signed_on,
            self.terminated_on,
            end_field="terminated_on",
            message=_("An agreement cannot end before it was signed."),
        )

    def in_force_on(self, day: datetime.date) -> bool:
        return self.signed_on <= day <= self.valid_until and (
            self.terminated_on is None or self.terminated_on > day
        )


class WageLevel(FollowsRegion, TimestampedModel):
    """One rung of an agreement's skill-level ladder: the wage a skill level earns at least."""

    agreement = models.ForeignKey(
        WageAgreement,
        verbose_name=_("wage agreement"),
        on_delete=models.CASCADE,
        related_name="levels",
    )
    skill_level = models.PositiveSmallIntegerField(_("skill level"), choices=SkillLevel.choices)
    minimum_wage = MoneyField(_("minimum monthly wage (yuan)"))
    differential = MoneyField(
        _("differential over the level below (yuan)"),
        null=True,
        blank=True,
        help_text=_("The 级差 the agreement states; left empty when it states none."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords(excluded_fields=("region",))
    region_follows: ClassVar[str] = "agreement"

    class Meta:
        verbose_name = _("wage level")
        verbose_name_plural = _("wage levels")
        ordering = ("agreement", "order", "skill_level")
        constraints = (
            models.UniqueConstraint(
                fields=("agreement", "skill_level"),
                name="wage_level_unique_agreement_level",
                violation_error_message=_("This agreement already states a wage for this level."),
            ),
            models.CheckConstraint(
                condition=not_negative("minimum_wage"), name="wage_level_wage_not_negative"
            ),
            models.CheckConstraint(
                condition=not_negative("differential"), name="wage_level_differential_not_negative"
            ),
        )
        indexes = (
            # Scoped lists (region_id LIKE '330381%' ORDER BY id DESC LIMIT 50): one index range.
            models.Index(
                fields=("region", "id"),
                name="wage_level_region_idx",
                opclasses=("varchar_pattern_ops", "int8_ops"),
            ),
        )

    def __str__(self) -> str:
        return f"{self.agreement} {self.get_skill_level_display()}"


# --- 春风行动 -----------------------------------------------------------------------------------


class JobFair(TracksRegion, TimestampedModel):
    """A job fair (招聘会) of the 春风行动: held by a union on a day, at a venue or online, with
    enterprises offering positions and job seekers attending. A fair is kept in the region of
    the union that holds it; the enterprises taking part are its own rows (JobFairEnterprise)."""

    name = models.CharField(_("job fair name"), max_length=200)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    held_on = models.DateField(_("held on"))
    organiser_union = models.ForeignKey(
        UnionOrganisation,
        verbose_name=_("organising union"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="job_fairs",
    )
    organiser = models.CharField(
        _("organiser"),
        max_length=200,
        blank=True,
        help_text=_("Who held the fair, when it is not a union on record (人社局 and 总工会 …)."),
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    seekers_count = models.PositiveIntegerField(_("job seekers attending"), default=0)

    history = HistoricalRecords()
    scope_path: ClassVar[str] = "region__code"

    class Meta:
        verbose_name = _("job fair")
        verbose_name_plural = _("job fairs")
        constraints = (
            # The job-fair-enterprises sheet names a fair by its name and day.
            models.UniqueConstraint(
                fields=("name", "held_on"),
                name="job_fair_unique_name_date",
                violation_error_message=_("This job fair is already recorded for that day."),
            ),
            models.CheckConstraint(
                condition=Q(organiser_union__isnull=False) | ~Q(organiser=""),
                name="job_fair_has_organiser",
                violation_error_message=_("Name the union or the organiser that held the fair."),
            ),
        )
        indexes = (
            # Scoped lists (region_id LIKE '330782%' ORDER BY id DESC LIMIT 50) and the
            # dashboards' counts by region prefix: one index range, no join.
            models.Index(
                fields=("region", "id"),
                name="job_fair_region_idx",
                opclasses=("varchar_pattern_ops", "int8_ops"),
            ),
        )

    def __str__(self) -> str:
        return f"{self.name} ({self.held_on})"

    def clean(self) -> None:
        super().clean()
        if self.organiser_union_id is None and not self.organiser:
            raise ValidationError(
                {"organiser": _("Name the union or the organiser that held the fair.")}
            )
        union = self.organiser_union if self.organiser_union_id else None
        if union is not None:
            if self.region_id is None:
                self.region_id = union.region_id
            elif union.region_id != self.region_id:
                raise ValidationError(
                    {
                        "region": _(
                            "A fair is kept in the region of the union that holds it (%(region)s)."
                        )
                        % {"region": union.region}
                    }
                )


class JobFairEnterprise(FollowsRegion, TimestampedModel):
    """An enterprise taking part in a fair: the positions it offered and the job seekers it
    agreed to hire (达成就业意向). The row is the fair's record (its region). The enterprise
    lies within the fair's region, so whoever sees the fair sees every enterprise at it: a
    county's fair lists the county's enterprises, a city's the city's (docs/design.md)."""

    fair = models.ForeignKey(
        JobFair,
        verbose_name=_("job fair"),
        on_delete=models.CASCADE,
        related_name="enterprises",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="job_fairs",
    )
    positions_count = models.PositiveIntegerField(_("positions offered"), default=0)
    hires_count = models.PositiveIntegerField(_("hires agreed"), default=0)

    history = HistoricalRecords(excluded_fields=("region",))
    region_follows: ClassVar[str] = "fair"

    class Meta:
        verbose_name = _("enterprise at a job fair")
        verbose_name_plural = _("enterprises at job fairs")
        constraints = (
            models.UniqueConstraint(
                fields=("fair", "enterprise"),
                name="job_fair_enterprise_unique",
                violation_error_message=_("This enterprise is already listed at this fair."),
            ),
        )
        indexes = (
            # Scoped lists and the dashboards' counts by region prefix (see JobFair).
            models.Index(
                fields=("region", "id"),
                name="job_fair_enterprise_region_idx",
                opclasses=("varchar_pattern_ops", "int8_ops"),
            ),
        )

    def __str__(self) -> str:
        return f"{self.fair} · {self.enterprise}"

    def clean(self) -> None:
        super().clean()
        if not (self.fair_id and self.enterprise_id):
            return
        fair_region = self.fair.region
        if not self.enterprise.region_id.startswith(fair_region.prefix):
            raise ValidationError(
                {
                    "enterprise": _(
                        "An enterprise at a fair lies within the fair's region (%(region)s)."
                    )
                    % {"region": fair_region}
                }
            )


# --- 「人大+工会」 suggestions ------------------------------------------------------------------

# 办结时限: a suggestion is closed within this many days of its acceptance (受理). The seeds
# give no limit; 30 days is the rule the indicator "closed within the time limit" counts by
# (docs/indicators.md). The one place it is stated.
SUGGESTION_CLOSING_DAYS = 30


class SuggestionTopic(models.TextChoices):
    WAGES = "wages", _("wages and pay")
    SAFETY = "safety", _("work safety")
    SKILLS = "skills", _("skills and training")
    HOURS = "hours", _("working hours and leave")
    WELFARE = "welfare", _("welfare and benefits")
    COMMUTE = "commute", _("commuting")
    RIGHTS = "rights", _("labour rights")
    OTHER = "other", _("other")


class SuggestionStatus(models.TextChoices):
    ACCEPTED = "accepted", pgettext_lazy("suggestion", "accepted")
    ASSIGNED = "assigned", pgettext_lazy("suggestion", "assigned")
    ANSWERED = "answered", pgettext_lazy("suggestion", "answered")
    CLOSED = "closed", pgettext_lazy("suggestion", "closed")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    BASICALLY = "basically", _("basically satisfied")
    DISSATISFIED = "dissatisfied", _("dissatisfied")


SATISFIED_RATINGS = (Satisfaction.SATISFIED, Satisfaction.BASICALLY)


class Suggestion(TracksRegion, TimestampedModel):
    """A front-line worker's or a grassroots union's suggestion through the 「人大+工会」 channel
    (丹西: the 人大代表联络点 at an enterprise), handled 受理 → 交办 → 答复 → 办结 by the steps of
    the step table (base.steps). It counts in its worker's or union's region, taken on save."""

    worker = models.ForeignKey(
        Worker,
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
    )
    union = models.ForeignKey(
        "workforce.UnionOrganisation",
        verbose_name=_("grassroots union"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        editable=False,
        blank=True,
        help_text=_("The worker's or the union's region, taken on save."),
    )
    topic = models.CharField(
        pgettext_lazy("suggestion", "topic"), max_length=16, choices=SuggestionTopic.choices
    )
    text = models.TextField(_("suggestion"))
    received_on = models.DateField(pgettext_lazy("suggestion", "received on"))
    addressed_to = models.CharField(
        _("deputy or committee"),
        max_length=200,
        help_text=_("The people's congress deputy or committee the suggestion goes to."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.ACCEPTED,
    )
    accepted_on = models.DateField(
        pgettext_lazy("suggestion", "accepted on"), null=True, blank=True
    )
    assigned_to = models.CharField(
        pgettext_lazy("suggestion", "assigned to"),
        max_length=200,
        blank=True,
        help_text=_("The department, enterprise or person the suggestion is assigned to."),
    )
    assigned_on = models.DateField(
        pgettext_lazy("suggestion", "assigned on"), null=True, blank=True
    )
    answer = models.TextField(pgettext_lazy("suggestion", "answer"), blank=True)
    answered_on = models.DateField(
        pgettext_lazy("suggestion", "answered on"), null=True, blank=True
    )
    closed_on = models.DateField(pgettext_lazy("suggestion", "closed on"), null=True, blank=True)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=16, choices=Satisfaction.choices, blank=True
    )

    history = HistoricalRecords()
    scope_path: ClassVar[str] = "region__code"

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        constraints = (
            models.CheckConstraint(
                condition=Q(worker__isnull=False, union__isnull=True)
                | Q(worker__isnull=True, union__isnull=False),
                name="suggestion_worker_or_union",
                violation_error_message=_(
                    "A suggestion comes from a worker or from a grassroots union, not both."
                ),
            ),
            models.CheckConstraint(
                condition=ordered("received_on", "accepted_on"),
                name="suggestion_accepted_after_received",
                violation_error_message=_(
                    "A suggestion cannot be accepted before it was received."
                ),
            ),
            models.CheckConstraint(
                condition=ordered("accepted_on", "assigned_on"),
                name="suggestion_assigned_after_accepted",
                violation_error_message=_(
                    "A suggestion cannot be assigned before it was accepted."
                ),
            ),
            models.CheckConstraint(
                condition=ordered("assigned_on", "answered_on"),
                name="suggestion_answered_after_assigned",
                violation_error_message=_(
                    "A suggestion cannot be answered before it was assigned."
                ),
            ),
            models.CheckConstraint(
                condition=ordered("answered_on", "closed_on"),
                name="suggestion_closed_after_answered",
                violation_error_message=_("A suggestion cannot be closed before it was answered."),
            ),
            models.CheckConstraint(
                condition=Q(status=SuggestionStatus.CLOSED) | Q(closed_on__isnull=True),
                name="suggestion_closed_on_when_closed",
                violation_error_message=_("Only a closed suggestion has a closing date."),
            ),
        )
        indexes = (
            # Scoped lists (region_id LIKE '330381%' ORDER BY id DESC LIMIT 50): one index range.
            models.Index(
                fields=("region", "id"),
                name="suggestion_region_idx",
                opclasses=("varchar_pattern_ops", "int8_ops"),
            ),
            # The dashboards' suggestions received in Y in a region subtree
            # (region_id LIKE '3302%' AND received_on BETWEEN …).
            models.Index(
                fields=("region", "received_on"),
                name="suggestion_received_idx",
                opclasses=("varchar_pattern_ops", "date_ops"),
            ),
            # … and those closed in Y (closed, within the limit, satisfaction).
            models.Index(
                fields=("region", "closed_on"),
                name="suggestion_closed_idx",
                opclasses=("varchar_pattern_ops", "date_ops"),
            ),
        )

    def __str__(self) -> str:
        return f"{self.get_topic_display()} · {self.text[:30]} ({self.received_on})"

    # The records whose region a suggestion takes on save: the first one set.
    region_sources: ClassVar[tuple[str, ...]] = ("worker", "union")

    def _source(self) -> Any:
        for name in self.region_sources:
            field = self._meta.get_field(name)
            assert isinstance(field, models.ForeignKey)
            if field.is_cached(self):
                cached = field.get_cached_value(self)
                if cached is not None:
                    return cached
            elif getattr(self, f"{name}_id") is not None:
                return getattr(self, name)
        return None

    def follow_source(self) -> None:
        """The suggestion belongs to its worker's or union's region."""
        source = self._source()
        if source is not None and source.region_id:
            self.region_id = source.region_id

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.follow_source()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"worker", "union"} & set(update_fields):
            kwargs["update_fields"] = [*update_fields, "region"]
        super().save(*args, **kwargs)

    def clean_fields(self, exclude: Any = None) -> None:
        self.follow_source()
        super().clean_fields(exclude={*(exclude or ()), "region"})

    def clean(self) -> None:
        super().clean()
        self.source_check()
        if self.closed_on and self.status != SuggestionStatus.CLOSED:
            raise ValidationError({"closed_on": _("Only a closed suggestion has a closing date.")})
        if self.satisfaction and self.status != SuggestionStatus.CLOSED:
            raise ValidationError(
                {"satisfaction": _("Satisfaction is rated when the suggestion is closed.")}
            )
        steps = (
            ("received_on", "accepted_on", _("A suggestion cannot be accepted before it was received.")),
            ("accepted_on", "assigned_on", _("A suggestion cannot be assigned before it was accepted.")),
            ("assigned_on", "answered_on", _("A suggestion cannot be answered before it was assigned.")),
            ("answered_on", "closed_on", _("A suggestion cannot be closed before it was answered.")),
        )  # fmt: skip
        for start, end, message in steps:
            validate_date_order(
                getattr(self, start), getattr(self, end), end_field=end, message=message
            )

    def source_check(self) -> None:
        """From a worker or a grassroots union: exactly one of the two."""
        if self._has("worker") == self._has("union"):
            raise ValidationError(
                _("A suggestion comes from a worker or from a grassroots union, not both.")
            )

    def _has(self, name: str) -> bool:
        if getattr(self, f"{name}_id") is not None:
            return True
        field = self._meta.get_field(name)
        assert isinstance(field, models.ForeignKey)
        return field.is_cached(self) and field.get_cached_value(self) is not None

    def closed_in_time(self) -> bool:
        """办结 within SUGGESTION_CLOSING_DAYS of 受理."""
        return (
            self.closed_on is not None
            and self.accepted_on is not None
            and (self.closed_on - self.accepted_on).days <= SUGGESTION_CLOSING_DAYS
        )
