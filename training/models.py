from __future__ import annotations

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from base.fields import MoneyField
from base.models import FollowsRegion, Level, Region, TimestampedModel
from base.validators import (
    money_validators,
    not_negative,
    ordered,
    validate_date_order,
    year_in_range,
    year_validators,
)
from workforce.models import Enterprise, UnionOrganisation, Worker


class ProviderKind(models.TextChoices):
    ACADEMY = "academy", _("craftsman academy")
    BRANCH = "branch", _("academy branch")
    BASE = "base", _("training base")
    SCHOOL = "school", _("workers' school")
    NIGHT_SCHOOL = "night_school", _("night school")
    OTHER = "other", _("other")


# The kinds that engage instructors and keep a founding union and partners.
ACADEMY_KINDS = (ProviderKind.ACADEMY, ProviderKind.BRANCH)


class TrainingProvider(TimestampedModel):
    name = models.CharField(_("provider name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=16, choices=ProviderKind.choices, default=ProviderKind.OTHER
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent provider"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="branches",
    )
    # When and by which union a provider was founded (a union founds its 职工学校 and 夜校 as it
    # founds an academy), and, an academy's or branch's only, the schools it works with
    # (技师学院, 职业学校).
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    founding_union = models.ForeignKey(
        UnionOrganisation,
        verbose_name=_("founding union"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="academies_founded",
    )
    partners = models.CharField(
        _("partner institutions"),
        max_length=500,
        blank=True,
        help_text=_("Schools and colleges the academy works with, separated by 、"),
    )

    history = HistoricalRecords()
    scope_path: ClassVar[str] = "region__code"

    class Meta:
        verbose_name = _("training provider")
        verbose_name_plural = _("training providers")
        constraints = (
            models.UniqueConstraint(
                fields=("name", "region"),
                name="provider_unique_name_region",
                violation_error_message=_(
                    "A provider with this name already exists in this region."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ACADEMY_KINDS) | Q(partners=""),
                name="provider_partners_on_academies",
                violation_error_message=_(
                    "Only a craftsman academy or an academy branch has partner institutions."
                ),
            ),
        )

    def __str__(self) -> str:
        return self.name

    @property
    def is_academy(self) -> bool:
        return self.kind in ACADEMY_KINDS

    def clean(self) -> None:
        super().clean()
        # Also a constraint; asked here so that a sheet row is refused with the column named.
        if self.partners and not self.is_academy:
            raise ValidationError(
                {
                    "partners": _(
                        "Only a craftsman academy or an academy branch has partner institutions."
                    )
                }
            )


class InstructorKind(models.TextChoices):
    CRAFTSMAN = "craftsman", _("model worker or craftsman instructor")
    TRAINER = "trainer", _("enterprise in-house trainer")


class Instructor(FollowsRegion, TimestampedModel):
    """A worker engaged by an academy to teach (讲师): a 劳模工匠讲师 or an 企业内训师. The
    engagement belongs to the academy's region, wherever the worker is registered."""

    academy = models.ForeignKey(
        TrainingProvider,
        verbose_name=_("academy"),
        on_delete=models.PROTECT,
        related_name="instructors",
    )
    worker = models.ForeignKey(
        Worker,
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        related_name="instructor_posts",
    )
    kind = models.CharField(_("instructor kind"), max_length=16, choices=InstructorKind.choices)
    engaged_on = models.DateField(_("engaged on"))
    ended_on = models.DateField(_("engagement ended on"), null=True, blank=True)
    subjects = models.CharField(_("subjects taught"), max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=("region",))
    region_follows: ClassVar[str] = "academy"

    class Meta:
        verbose_name = _("instructor")
        verbose_name_plural = _("academy instructors")
        indexes = (
            # Scoped lists (region_id LIKE '330381%' ORDER BY id DESC LIMIT 50) and
            # the dashboards' counts by region prefix: one index range, no join.
            models.Index(
                fields=("region", "id"),
                name="instructor_region_idx",
                opclasses=("varchar_pattern_ops", "int8_ops"),
            ),
        )
        constraints = (
            models.UniqueConstraint(
                fields=("academy", "worker"),
                name="instructor_unique_academy_worker",
                violation_error_message=_("This worker is already an instructor of this academy."),
            ),
            models.CheckConstraint(
                condition=ordered("engaged_on", "ended_on"), name="instructor_dates_ordered"
            ),
        )

    def __str__(self) -> str:
        return f"{self.worker} · {self.academy}"

    def clean(self) -> None:
        super().clean()
        validate_date_order(self.engaged_on, self.ended_on, end_field="ended_on")
        academy = self.academy if self.academy_id is not None else None
        if academy is not None and not academy.is_academy:
            raise ValidationError(
                {
                    "academy": _(
                        "Instructors are engaged by a craftsman academy or an academy branch, "
                        "not by “%(provider)s”."
                    )
                    % {"provider": academy.name}
                }
            )


class SessionCategory(models.TextChoices):
    SKILLS = "skills", _("skills upgrading")
    EDUCATION = "education", _("academic upgrading")
    SAFETY = "safety", _("work safety")
    LITERACY = "literacy", _("general literacy")
    TEAM_LEADER = "team_leader", _("team leaders")
    NEW_FORM = "new_form", _("new forms of employment")
    OTHER = "other", _("other")


class TrainingSession(TimestampedModel):
    title = models.CharField(_("session title"), max_length=200)
    provider = models.ForeignKey(
        TrainingProvider,
        verbose_name=_("training provider"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    region = models.ForeignKey(Region, verbose_name=_("organiser region"), on_delete=models.PROTECT)
    category = models.CharField(_("category"), max_length=16, choices=SessionCategory.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    hours = models.DecimalField(
        _("hours"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=money_validators,
    )
    declared_headcount = models.PositiveIntegerField(
        _("declared headcount"),
        null=True,
        blank=True,
        help_text=_("For sessions kept without a roster; enrolments are counted instead."),
    )
    subsidy = MoneyField(_("subsidy (yuan)"), null=True, blank=True)
    instructors: models.ManyToManyField[Instructor, Teaching] = models.ManyToManyField(
        Instructor,
        verbose_name=_("instructors"),
        through="Teaching",
        blank=True,
        related_name="sessions",
    )

    history = HistoricalRecords()
    scope_path: ClassVar[str] = "region__code"

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = (
            models.UniqueConstraint(
                fields=("title", "start_date", "region"),
                name="session_unique_title_start_region",
                violation_error_message=_("This session is already recorded."),
            ),
            models.CheckConstraint(
                condition=ordered("start_date", "end_date"), name="session_dates_ordered"
            ),
            models.CheckConstraint(
                condition=not_negative("subsidy"), name="session_subsidy_not_negative"
            ),
            models.CheckConstraint(
                condition=not_negative("hours"), name="session_hours_not_negative"
            ),
        )

    def __str__(self) -> str:
        return f"{self.title} ({self.start_date})"

    def clean(self) -> None:
        super().clean()
        validate_date_order(self.start_date, self.end_date, end_field="end_date")


class Teaching(FollowsRegion, TimestampedModel):
    """An instructor teaching a training session (授课): a record of its own, so that a sheet
    imports it and its history says who linked them."""

    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("training session"),
        on_delete=models.CASCADE,
        related_name="teachings",
    )
    instructor = models.ForeignKey(
        Instructor,
        verbose_name=_("instructor"),
        on_delete=models.PROTECT,
        related_name="teachings",
    )

    history = HistoricalRecords(excluded_fields=("region",))
    region_follows: ClassVar[str] = "session"

    class Meta:
        verbose_name = _("session instructor")
        verbose_name_plural = _("session instructors")
        indexes = (
            # Scoped lists (region_id LIKE '330381%' ORDER BY id DESC LIMIT 50).
            models.Index(
                fields=("region", "id"),
                name="teaching_region_idx",
                opclasses=("varchar_pattern_ops", "int8_ops"),
            ),
        )
        constraints = (
            models.UniqueConstraint(
                fields=("session", "instructor"),
                name="teaching_unique_session_instructor",
                violation_error_message=_("This instructor already teaches this session."),
            ),
        )

    def __str__(self) -> str:
        return f"{self.instructor} @ {self.session}"


class Enrolment(FollowsRegion, TimestampedModel):
    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("training session"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="enrolments"
    )
    attended = models.BooleanField(_("attended"), default=True)
    passed = models.BooleanField(_("completed"), default=False)
    certified = models.BooleanField(_("certificate obtained"), default=False)

    history = HistoricalRecords(excluded_fields=("region",))
    region_follows: ClassVar[str] = "worker"

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        indexes = (
            # Scoped lists (region_id LIKE '330381%' ORDER BY id DESC LIMIT 50) and
            # the dashboards' counts by region prefix: one index range, no join.
            models.Index(
                fields=("region", "id"),
                name="enrolment_region_idx",
                opclasses=("varchar_pattern_ops", "int8_ops"),
            ),
        )
        constraints = (
            models.UniqueConstraint(
                fields=("session", "worker"),
                name="enrolment_unique_session_worker",
                violation_error_message=_("This worker is already enrolled in this session."),
            ),
        )

    def __str__(self) -> str:
        return f"{self.worker} @ {self.session}"


COMPETITION_LEVELS = [
    (level.value, level.label)
    for level in (Level.NATIONAL, Level.PROVINCIAL, Level.CITY, Level.COUNTY, Level.TOWN)
]


class CompetitionTier(models.TextChoices):
    KEY = "key", _("key competition")
    DEMONSTRATION = "demonstration", _("demonstration competition")
    REGULAR = "regular", _("regular competition")


class Competition(TimestampedModel):
    name = models.CharField(_("competition name"), max_length=200)
    level = models.PositiveSmallIntegerField(_("level"), choices=COMPETITION_LEVELS)
    tier = models.CharField(_("tier"), max_length=16, choices=CompetitionTier.choices, blank=True)
    trade = models.CharField(_("trade"), max_length=100, blank=True)
    held_on = models.DateField(_("held on"))
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    participant_count = models.PositiveIntegerField(_("participant count"), null=True, blank=True)

    history = HistoricalRecords()
    scope_path: ClassVar[str] = "region__code"

    class Meta:
        verbose_name = _("skill competition")
        verbose_name_plural = _("skill competitions")
        constraints = (
            models.UniqueConstraint(
                fields=("name", "held_on"),
                name="competition_unique_name_date",
                violation_error_message=_("This competition is already recorded for that day."),
            ),
        )

    def __str__(self) -> str:
        return f"{self.name} ({self.held_on})"


class Award(models.TextChoices):
    FIRST = "first", _("first prize")
    SECOND = "second", _("second prize")
    THIRD = "third", _("third prize")
    MERIT = "merit", _("honourable mention")


class CompetitionResult(FollowsRegion, TimestampedModel):
    competition = models.ForeignKey(
        Competition, verbose_name=_("competition"), on_delete=models.PROTECT, related_name="results"
    )
    worker = models.ForeignKey(
        Worker,
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        related_name="competition_results",
    )
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    award = models.CharField(_("award"), max_length=16, choices=Award.choices, blank=True)
    title_granted = models.CharField(_("title granted"), max_length=100, blank=True)

    history = HistoricalRecords(excluded_fields=("region",))
    region_follows: ClassVar[str] = "worker"

    class Meta:
        verbose_name = _("competition result")
        verbose_name_plural = _("competition results")
        indexes = (
            # Scoped lists (region_id LIKE '330381%' ORDER BY id DESC LIMIT 50) and
            # the dashboards' counts by region prefix: one index range, no join.
            models.Index(
                fields=("region", "id"),
                name="competition_result_region_idx",
                opclasses=("varchar_pattern_ops", "int8_ops"),
            ),
        )
        constraints = (
            models.UniqueConstraint(
                fields=("competition", "worker"),
                name="result_unique_competition_worker",
                violation_error_message=_("This worker already has a result in this competition."),
            ),
        )

    def __str__(self) -> str:
        return f"{self.worker} · {self.competition}"


class EducationLevel(models.TextChoices):
    JUNIOR_COLLEGE = "junior_college", _("junior college")
    BACHELOR = "bachelor", _("bachelor")


class EducationSubsidy(FollowsRegion, TimestampedModel):
    worker = models.ForeignKey(
        Worker,
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        related_name="education_subsidies",
    )
    school = models.CharField(_("school"), max_length=200)
    major = models.CharField(_("major"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=EducationLevel.choices, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators)
    amount = MoneyField(_("amount (yuan)"))
    status = models.CharField(_("status"), max_length=50, blank=True)

    history = HistoricalRecords(excluded_fields=("region",))
    region_follows: ClassVar[str] = "worker"

    class Meta:
        verbose_name = _("education subsidy")
        verbose_name_plural = _("education subsidies")
        indexes = (
            # Scoped lists (region_id LIKE '330381%' ORDER BY id DESC LIMIT 50) and
            # the dashboards' counts by region prefix: one index range, no join.
            models.Index(
                fields=("region", "id"),
                name="education_subsidy_region_idx",
                opclasses=("varchar_pattern_ops", "int8_ops"),
            ),
        )
        constraints = (
            models.UniqueConstraint(
                fields=("worker", "year"),
                name="subsidy_unique_worker_year",
                violation_error_message=_("This worker already has a subsidy for this year."),
            ),
            models.CheckConstraint(
                condition=not_negative("amount"), name="subsidy_amount_not_negative"
            ),
            models.CheckConstraint(condition=year_in_range("year"), name="subsidy_year_range"),
        )

    def __str__(self) -> str:
        return f"{self.worker} · {self.school} ({self.year})"


# --- 职工书屋 -----------------------------------------------------------------------------------


class LibraryLevel(models.TextChoices):
    """The demonstration title a worker library holds; blank: none."""

    NATIONAL = "national", _("national demonstration library")  # 全国示范
    PROVINCIAL = "provincial", _("provincial demonstration library")  # 省级示范
    CITY = "city", _("city demonstration library")  # 市级示范


class WorkerLibrary(TimestampedModel):
    """A 职工书屋: a reading room hosted by an enterprise or a union organisation (one of the
    two), kept in its own region, which holds its host's."""

    name = models.CharField(_("library name"), max_length=200)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    host_enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("host enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="worker_libraries",
    )
    host_union = models.ForeignKey(
        UnionOrganisation,
        verbose_name=_("host union"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="worker_libraries",
    )
    level = models.CharField(
        _("demonstration level"), max_length=16, choices=LibraryLevel.choices, blank=True
    )
    books_count = models.PositiveIntegerField(_("books"), default=0)
    opened_on = models.DateField(_("opened on"))

    history = HistoricalRecords()
    scope_path: ClassVar[str] = "region__code"

    class Meta:
        verbose_name = _("worker library")
        verbose_name_plural = _("worker libraries")
        constraints = (
            models.UniqueConstraint(
                fields=("name", "region"),
                name="library_unique_name_region",
                violation_error_message=_(
                    "A worker library with this name already exists in this region."
                ),
            ),
            models.CheckConstraint(
                condition=Q(host_enterprise__isnull=False, host_union__isnull=True)
                | Q(host_enterprise__isnull=True, host_union__isnull=False),
                name="library_one_host",
                violation_error_message=_(
                    "A worker library is hosted by an enterprise or by a union, one of the two."
                ),
            ),
        )
        indexes = (
            # Scoped lists (region_id LIKE '330482%' ORDER BY id DESC LIMIT 50) and the
            # dashboards' counts by region prefix: one index range, no join.
            models.Index(
                fields=("region", "id"),
                name="library_region_idx",
                opclasses=("varchar_pattern_ops", "int8_ops"),
            ),
        )

    def __str__(self) -> str:
        return self.name

    @property
    def host(self) -> Enterprise | UnionOrganisation | None:
        return self.host_enterprise or self.host_union

    def clean(self) -> None:
        super().clean()
        # The objects, not their ids: a sheet names an enterprise it adds in the same import.
        has_enterprise = self.host_enterprise is not None
        has_union = self.host_union is not None
        if has_enterprise == has_union:
            raise ValidationError(
                {
                    "host_enterprise": _(
                        "A worker library is hosted by an enterprise or by a union, one of the two."
                    )
                }
            )
        host = self.host
        assert host is not None
        if self.region_id is None:
            self.region_id = host.region_id
        elif host.region_id and not host.region_id.startswith(self.region.prefix):
            raise ValidationError(
                {
                    "region": _("A worker library lies in the region of its host (%(region)s).")
                    % {"region": host.region}
                }
            )
