from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from base import identity
from base.fields import ChoiceListField, MoneyField
from base.models import FollowsRegion, Level, Region, TimestampedModel, TracksRegion
from base.steps import WORKFLOW
from base.validators import (
    LATITUDE_RANGE,
    LONGITUDE_RANGE,
    latitude_validators,
    longitude_validators,
    money_validators,
    not_negative,
    ordered,
    validate_date_order,
    year_in_range,
    year_validators,
)
from workforce.models import HonourKind, Worker


class StationHost(models.TextChoices):
    UNION = "union", _("trade union")
    COMMUNITY = "community", _("community")
    ENTERPRISE = "enterprise", _("enterprise")
    BANK = "bank", _("bank")
    MERCHANT = "merchant", _("merchant")
    OTHER = "other", _("other")


class Facility(models.TextChoices):
    WATER = "water", _("drinking water")
    HOT_MEAL = "hot_meal", _("meal heating")
    REST = "rest", _("rest")
    CHARGING = "charging", _("charging")
    TOILET = "toilet", _("toilet")
    MEDICINE = "medicine", _("first-aid kit")
    AIR_CONDITIONING = "air_conditioning", _("air conditioning")
    READING = "reading", _("reading")
    LEGAL_ADVICE = "legal_advice", _("rights advice")


class StationStatus(models.TextChoices):
    IN_SERVICE = "in_service", _("in service")
    CLOSED = "closed", _("closed")


class ServiceStation(TimestampedModel):
    """An outdoor-worker service station (爱心驿站, 小哥驿站)."""

    name = models.CharField(_("station name"), max_length=200)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    address = models.CharField(_("address"), max_length=300)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=latitude_validators,
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=longitude_validators,
    )
    host = models.CharField(
        _("host"), max_length=16, choices=StationHost.choices, default=StationHost.UNION
    )
    open_24h = models.BooleanField(_("open 24 hours"), default=False)
    facilities = ChoiceListField(_("facilities"), item_choices=Facility.choices)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    upgraded_year = models.PositiveSmallIntegerField(
        _("upgraded in"), null=True, blank=True, validators=year_validators
    )
    status = models.CharField(
        _("status"), max_length=16, choices=StationStatus.choices, default=StationStatus.IN_SERVICE
    )

    history = HistoricalRecords()
    scope_path: ClassVar[str] = "region__code"

    class Meta:
        verbose_name = _("service station")
        verbose_name_plural = _("service stations")
        constraints = (
            models.UniqueConstraint(
                fields=("name", "region"),
                name="station_unique_name_region",
                violation_error_message=_(
                    "A station with this name already exists in this region."
                ),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True)
                | Q(latitude__gte=LATITUDE_RANGE[0], latitude__lte=LATITUDE_RANGE[1]),
                name="station_latitude_in_china",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True)
                | Q(longitude__gte=LONGITUDE_RANGE[0], longitude__lte=LONGITUDE_RANGE[1]),
                name="station_longitude_in_china",
            ),
            models.CheckConstraint(
                condition=year_in_range("upgraded_year"), name="station_year_range"
            ),
        )

    def __str__(self) -> str:
        return self.name


class HardshipLevel(models.TextChoices):
    DEEP = "deep", _("deep hardship")
    RELATIVE = "relative", _("relative hardship")
    ACCIDENT = "accident", _("hardship from an accident")
    MARGINAL = "marginal", _("marginal hardship")


class HardshipCause(models.TextChoices):
    ILLNESS = "illness", _("illness")
    DISABILITY = "disability", _("disability")
    EDUCATION = "education", _("education costs")
    DISASTER = "disaster", _("disaster")
    ACCIDENT = "accident", _("accident")
    UNEMPLOYMENT = "unemployment", _("unemployment")
    OTHER = "other", _("other")


class CaseSource(models.TextChoices):
    GRASSROOTS = "grassroots", _("grassroots survey")
    DISPATCH = "dispatch", _("越温暖 dispatch")
    APPLICATION = "application", _("own application")
    OTHER = "other", _("other")


class CaseStatus(models.TextChoices):
    REPORTED = "reported", _("reported")
    VERIFIED = "verified", _("verified")
    FILED = "filed", _("filed")
    AIDED = "aided", _("aided")
    CLOSED = "closed", _("out of hardship")
    REJECTED = "rejected", _("not filed")


# How a case moves between these statuses is the step table's (base.steps); the graph is derived
# from it.
CASE_WORKFLOW = WORKFLOW["hardship_case"]
FILED_STATUSES = (CaseStatus.FILED, CaseStatus.AIDED, CaseStatus.CLOSED)


class HardshipCase(FollowsRegion, TracksRegion, TimestampedModel):
    """A hardship file (困难职工档案). Restricted to the welfare and admin roles."""

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="hardship_cases"
    )
    level = models.CharField(_("hardship level"), max_length=16, choices=HardshipLevel.choices)
    causes = ChoiceListField(_("causes"), item_choices=HardshipCause.choices, blank=False)
    family_size = models.PositiveSmallIntegerField(_("family size"), null=True, blank=True)
    monthly_income_per_head = MoneyField(_("monthly income per head (yuan)"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=16, choices=CaseSource.choices, default=CaseSource.GRASSROOTS
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.REPORTED
    )
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    reason = models.CharField(
        _("reason"),
        max_length=300,
        blank=True,
        help_text=_("Why the case was closed or not filed."),
    )
    verification_note = models.TextField(
        _("verification note"),
        blank=True,
        help_text=_("What the county found when it verified the case."),
    )
    rejected_on = models.DateField(_("rejected on"), null=True, blank=True)
    last_reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=("region",))
    region_follows: ClassVar[str] = "worker"

    class Meta:
        verbose_name = _("hardship case")
        verbose_name_plural = _("hardship cases")
        constraints = (
            models.UniqueConstraint(
                fields=("worker", "filed_on"),
                name="case_unique_worker_filed_on",
                violation_error_message=_("This worker already has a case filed on that day."),
            ),
            models.UniqueConstraint(
                fields=("worker",),
                condition=Q(filed_on__isnull=True),
                name="case_one_unfiled_per_worker",
                violation_error_message=_("This worker already has a case that is not yet filed."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=FILED_STATUSES) | Q(filed_on__isnull=False),
                name="case_filed_status_has_filed_on",
                violation_error_message=_("A filed case needs its filing date."),
            ),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.CLOSED) | Q(closed_on__isnull=False),
                name="case_closed_status_has_closed_on",
                violation_error_message=_("A closed case needs its closing date."),
            ),
            models.CheckConstraint(
                condition=ordered("filed_on", "closed_on"), name="case_dates_ordered"
            ),
            models.CheckConstraint(
                condition=not_negative("monthly_income_per_head"), name="case_income_not_negative"
            ),
        )
        indexes = (
            # Scoped lists (region_id LIKE '330381%' ORDER BY id DESC LIMIT 50) and
            # the dashboards' counts by region prefix: one index range, no join.
            models.Index(
                fields=("region", "id"),
                name="hardship_case_region_idx",
                opclasses=("varchar_pattern_ops", "int8_ops"),
            ),
            # Dashboard: cases filed, closed and open by date.
            models.Index(fields=("status", "filed_on"), name="case_status_filed_idx"),
            # To-do page: filed cases whose last annual review is a year old.
            models.Index(fields=("status", "last_reviewed_on"), name="case_status_reviewed_idx"),
        )

    def __str__(self) -> str:
        return f"{self.worker} · {self.get_level_display()}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.status in FILED_STATUSES and not self.filed_on:
            errors["filed_on"] = _("A filed case needs its filing date.")
        if self.status == CaseStatus.CLOSED and not self.closed_on:
            errors["closed_on"] = _("A closed case needs its closing date.")
        if self.closed_on and self.status != CaseStatus.CLOSED:
            errors["closed_on"] = _("Only a closed case has a closing date.")
        if self.rejected_on and self.status != CaseStatus.REJECTED:
            errors["rejected_on"] = _("Only a rejected case has a rejection date.")
        if errors:
            raise ValidationError(errors)
        validate_date_order(
            self.filed_on,
            self.closed_on,
            end_field="closed_on",
            message=_("A case cannot close before it was filed."),
        )


# A filed case is reviewed once a year (年度复核); after this many days it is due again.
REVIEW_INTERVAL_DAYS = 365
REVIEWED_STATUSES = (CaseStatus.FILED, CaseStatus.AIDED)


class CaseEventKind(models.TextChoices):
    RECORDED = "recorded", _("recorded")
    TRANSITION = "transition", _("status change")
    REVIEW = "review", _("annual review")
    DISPATCH = "dispatch", _("opened from a dispatch")
    MERGED = "merged", _("moved by a merge of worker records")


class CaseEvent(FollowsRegion):
    """One line of a case's timeline: who did what, when, from which status to which. Written
    only by the services in welfare.services; never edited."""

    case = models.ForeignKey(
        HardshipCase,
        verbose_name=_("hardship case"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(_("event"), max_length=16, choices=CaseEventKind.choices)
    from_status = models.CharField(
        _("from status"), max_length=16, choices=CaseStatus.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=16, choices=CaseStatus.choices)
    on = models.DateField(_("effective on"))
    at = models.DateTimeField(_("recorded at"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(excluded_fields=("region",))
    region_follows: ClassVar[str] = "case"

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        indexes = (
            # Scoped lists (region_id LIKE '330381%' ORDER BY id DESC LIMIT 50) and
            # the dashboards' counts by region prefix: one index range, no join.
            models.Index(
                fields=("region", "id"),
                name="case_event_region_idx",
                opclasses=("varchar_pattern_ops", "int8_ops"),
            ),
            # The case page: its timeline in order.
            models.Index(fields=("case", "at"), name="case_event_case_at_idx"),
        )

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_kind_display()} {self.on}"


class DispatchStatus(models.TextChoices):
    RECEIVED = "received", _("awaiting verification")
    CONFIRMED = "confirmed", _("confirmed")
    NOT_ELIGIBLE = "not_eligible", _("not eligible")


# Days a town union has to verify a dispatch and answer, when the dispatch names no due date.
DISPATCH_DAYS_TO_ANSWER = 15


class Dispatch(TimestampedModel):
    """A person the city's 越温暖 sensing system flagged, passed by the county to the town union
    of the person's region to verify and answer (seed 004)."""

    name = models.CharField(_("full name"), max_length=50)
    id_number = models.CharField(
        _("ID number"), max_length=18, validators=[identity.validate_id_number]
    )
    worker = models.ForeignKey(
        Worker,
        verbose_name=_("matched worker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dispatches",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        help_text=_("The town union (or region) that verifies this person."),
    )
    reference = models.CharField(_("dispatch number"), max_length=50, blank=True)
    causes = ChoiceListField(_("flagged causes"), item_choices=HardshipCause.choices)
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(
        _("answer due on"),
        blank=True,
        help_text=_("Leave empty for 15 days after receipt."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DispatchStatus.choices,
        default=DispatchStatus.RECEIVED,
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    reason = models.CharField(
        _("feedback"),
        max_length=300,
        blank=True,
        help_text=_("Why the person is not eligible, or what the town found."),
    )
    case = models.ForeignKey(
        HardshipCase,
        verbose_name=_("hardship case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dispatches",
    )

    history = HistoricalRecords()
    scope_path: ClassVar[str] = "region__code"

    class Meta:
        verbose_name = _("越温暖 dispatch")
        verbose_name_plural = _("越温暖 dispatches")
        constraints = (
            models.UniqueConstraint(
                fields=("id_number", "received_on"),
                name="dispatch_unique_person_day",
                violation_error_message=_("This person was already dispatched on that day."),
            ),
            models.CheckConstraint(
                condition=ordered("received_on", "due_on"), name="dispatch_due_after_received"
            ),
            models.CheckConstraint(
                condition=Q(status=DispatchStatus.RECEIVED) | Q(answered_on__isnull=False),
                name="dispatch_answer_has_date",
                violation_error_message=_("An answered dispatch needs its answer date."),
            ),
            models.CheckConstraint(
                condition=~Q(status=DispatchStatus.NOT_ELIGIBLE) | ~Q(reason=""),
                name="dispatch_not_eligible_has_reason",
                violation_error_message=_("Say why the person is not eligible."),
            ),
        )
        indexes = (
            # To-do page and dashboard: open dispatches past their due date.
            models.Index(fields=("status", "due_on"), name="dispatch_status_due_idx"),
            # Dashboard: dispatches received in a year.
            models.Index(fields=("received_on",), name="dispatch_received_idx"),
        )

    def __str__(self) -> str:
        return f"{self.name}（{identity.mask_id_number(self.id_number)}） {self.received_on}"

    def clean(self) -> None:
        super().clean()
        self.id_number = identity.normalise_id_number(self.id_number or "")
        if self.received_on and not self.due_on:
            self.due_on = self.received_on + datetime.timedelta(days=DISPATCH_DAYS_TO_ANSWER)
        validate_date_order(
            self.received_on,
            self.due_on,
            end_field="due_on",
            message=_("A dispatch cannot be due before it was received."),
        )
        if self.status != DispatchStatus.RECEIVED and not self.answered_on:
            raise ValidationError({"answered_on": _("An answered dispatch needs its answer date.")})
        if self.status == DispatchStatus.NOT_ELIGIBLE and not self.reason.strip():
            raise ValidationError({"reason": _("Say why the person is not eligible.")})


class GrantKind(models.TextChoices):
    LIVING = "living", _("living assistance")
    MEDICAL = "medical", _("medical assistance")
    EDUCATION = "education", _("Golden Autumn education aid")
    FESTIVAL = "festival", _("festival visit")
    IN_KIND = "in_kind", _("in kind")
    SOLAR = "solar", _("solar assistance")
    OTHER = "other", _("other")


class AssistanceGrant(FollowsRegion, TimestampedModel):
    case = models.ForeignKey(
        HardshipCase,
        verbose_name=_("hardship case"),
        on_delete=models.PROTECT,
        related_name="grants",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=GrantKind.choices)
    amount = MoneyField(_("amount (yuan)"))
    granted_on = models.DateField(_("granted on"))
    fund_source = models.CharField(_("fund source"), max_length=100, blank=True)

    history = HistoricalRecords(excluded_fields=("region",))
    region_follows: ClassVar[str] = "case"

    class Meta:
        verbose_name = _("assistance grant")
        verbose_name_plural = _("assistance grants")
        constraints = (
            models.UniqueConstraint(
                fields=("case", "kind", "granted_on"),
                name="grant_unique_case_kind_date",
                violation_error_message=_("This grant is already recorded."),
            ),
            models.CheckConstraint(
                condition=not_negative("amount"), name="grant_amount_not_negative"
            ),
        )
        indexes = (
            # Scoped lists (region_id LIKE '330381%' ORDER BY id DESC LIMIT 50) and
            # the dashboards' counts by region prefix: one index range, no join.
            models.Index(
                fields=("region", "id"),
                name="assistance_grant_region_idx",
                opclasses=("varchar_pattern_ops", "int8_ops"),
            ),
            # Dashboard: grants of a year.
            models.Index(fields=("granted_on",), name="grant_granted_on_idx"),
        )

    def __str__(self) -> str:
        return f"{self.case.worker} · {self.get_kind_display()} {self.amount}"

    def clean(self) -> None:
        super().clean()
        case = self.case if self.case_id else None
        if case is not None and case.status in (
            CaseStatus.REPORTED,
            CaseStatus.VERIFIED,
            CaseStatus.REJECTED,
        ):
            raise ValidationError({"case": _("Aid can only be granted on a filed case.")})
        if (
            case is not None
            and case.filed_on
            and self.granted_on
            and self.granted_on < case.filed_on
        ):
            raise ValidationError(
                {"granted_on": _("A grant cannot predate the filing of its case.")}
            )


class Funding(models.TextChoices):
    UNION = "union", _("paid by the union")
    ENTERPRISE = "enterprise", _("paid by the enterprise")
    MIXED = "mixed", _("shared")


class RecuperationTrip(TimestampedModel):
    title = models.CharField(_("trip title"), max_length=200)
    destination = models.CharField(_("destination"), max_length=100)
    start_date = models.DateField(_("departure date"))
    days = models.PositiveSmallIntegerField(_("days"), null=True, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("organiser region"), on_delete=models.PROTECT)
    participants = models.ManyToManyField(
        Worker, verbose_name=_("participants"), blank=True, related_name="recuperation_trips"
    )
    declared_headcount = models.PositiveIntegerField(
        _("declared headcount"),
        null=True,
        blank=True,
        help_text=_("For trips kept without names; linked participants are counted instead."),
    )
    cost_per_person = MoneyField(_("cost per person (yuan)"), null=True, blank=True)
    funding = models.CharField(_("funding"), max_length=16, choices=Funding.choices, blank=True)

    history = HistoricalRecords(m2m_fields=[participants])
    scope_path: ClassVar[str] = "region__code"

    class Meta:
        verbose_name = _("recuperation trip")
        verbose_name_plural = _("recuperation trips")
        constraints = (
            models.UniqueConstraint(
                fields=("title", "start_date", "region"),
                name="trip_unique_title_start_region",
                violation_error_message=_("This trip is already recorded."),
            ),
            models.CheckConstraint(
                condition=not_negative("cost_per_person"), name="trip_cost_not_negative"
            ),
        )

    def __str__(self) -> str:
        return f"{self.title} ({self.start_date})"


class CarePairing(FollowsRegion, TimestampedModel):
    """A younger craftsman paired with a senior (80+) model worker."""

    senior = models.ForeignKey(
        Worker,
        verbose_name=_("senior model worker"),
        on_delete=models.PROTECT,
        related_name="carers",
    )
    carer = models.ForeignKey(
        Worker,
        verbose_name=_("paired craftsman"),
        on_delete=models.PROTECT,
        related_name="seniors_cared_for",
    )
    started_on = models.DateField(_("paired on"))

    history = HistoricalRecords(excluded_fields=("region",))
    region_follows: ClassVar[str] = "senior"

    class Meta:
        verbose_name = _("care pairing")
        verbose_name_plural = _("care pairings")
        indexes = (
            # Scoped lists (region_id LIKE '330381%' ORDER BY id DESC LIMIT 50) and
            # the dashboards' counts by region prefix: one index range, no join.
            models.Index(
                fields=("region", "id"),
                name="care_pairing_region_idx",
                opclasses=("varchar_pattern_ops", "int8_ops"),
            ),
        )
        constraints = (
            models.UniqueConstraint(
                fields=("senior", "carer"),
                name="pairing_unique_senior_carer",
                violation_error_message=_("These two are already paired."),
            ),
            models.CheckConstraint(condition=~Q(senior=F("carer")), name="pairing_not_self"),
        )

    def __str__(self) -> str:
        return f"{self.senior} ← {self.carer}"

    def clean(self) -> None:
        super().clean()
        if self.senior_id is not None and self.senior_id == self.carer_id:
            raise ValidationError({"carer": _("A worker cannot be paired with themselves.")})


class SolarStage(models.TextChoices):
    APPLIED = "applied", _("applied")
    SURVEYED = "surveyed", _("jointly surveyed")
    AGREED = "agreed", _("tripartite agreement signed")
    INSTALLED = "installed", _("installed")
    CONNECTED = "connected", _("grid-connected")


# The stages in order, each with the date field that records reaching it: the dated field of
# the step into it, in the step table's order (base.steps).
SOLAR_STAGE_DATES: dict[str, str] = {
    rule.into: need.field
    for rule in WORKFLOW["solar_project"].rules
    if rule.into is not None
    for need in rule.needs
    if need.dated
}
SOLAR_STAGES: tuple[str, ...] = tuple(SOLAR_STAGE_DATES)


class SolarDocument(models.TextChoices):
    HARDSHIP_PROOF = "hardship_proof", _("hardship certificate (困难证明)")
    HOUSEHOLD_REGISTER = "household_register", _("household register (户口簿)")
    PROPERTY_PROOF = "property_proof", _("proof of house ownership (房屋权属证明)")


def _solar_stage_has_its_dates() -> Q:
    # Every stage reached has its date, and so has every stage before it.
    condition = Q()
    for position, stage in enumerate(SOLAR_STAGES):
        reached = Q(
            **{f"{SOLAR_STAGE_DATES[s]}__isnull": False for s in SOLAR_STAGES[: position + 1]}
        )
        condition |= Q(stage=stage) & reached
    return condition


class SolarProject(FollowsRegion, TracksRegion, TimestampedModel):
    """A 光FU行 rooftop solar installation for a household in hardship (新昌, seed 002): the union
    and the power company survey the roof together, the household signs the tripartite agreement,
    volunteers install, and the surplus power sold to the grid is the household's income."""

    worker = models.ForeignKey(
        Worker,
        verbose_name=_("household (worker)"),
        on_delete=models.PROTECT,
        related_name="solar_projects",
    )
    case = models.ForeignKey(
        HardshipCase,
        verbose_name=_("hardship case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="solar_projects",
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=SolarStage.choices, default=SolarStage.APPLIED
    )
    documents = ChoiceListField(_("documents collected"), item_choices=SolarDocument.choices)
    applied_on = models.DateField(_("applied on"))
    surveyed_on = models.DateField(_("surveyed on"), null=True, blank=True)
    agreed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    connected_on = models.DateField(_("grid-connected on"), null=True, blank=True)
    capacity_kw = models.DecimalField(
        _("capacity (kW)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=money_validators,
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(excluded_fields=("region",))
    region_follows: ClassVar[str] = "worker"

    class Meta:
        verbose_name = _("solar assistance project")
        verbose_name_plural = _("solar assistance projects")
        constraints = (
            models.UniqueConstraint(
                fields=("worker",),
                name="solar_one_project_per_household",
                violation_error_message=_("This household already has a solar project."),
            ),
            models.CheckConstraint(
                condition=_solar_stage_has_its_dates(),
                name="solar_stage_has_its_dates",
                violation_error_message=_("Each stage reached needs its date."),
            ),
            models.CheckConstraint(
                condition=not_negative("capacity_kw"), name="solar_capacity_not_negative"
            ),
        )
        indexes = (
            # Scoped lists (region_id LIKE '330381%' ORDER BY id DESC LIMIT 50) and
            # the dashboards' counts by region prefix: one index range, no join.
            models.Index(
                fields=("region", "id"),
                name="solar_project_region_idx",
                opclasses=("varchar_pattern_ops", "int8_ops"),
            ),
            # The project list by stage.
            models.Index(fields=("stage", "applied_on"), name="solar_stage_applied_idx"),
        )

    def __str__(self) -> str:
        return f"{self.worker} · {self.get_stage_display()}"

    @property
    def missing_documents(self) -> list[str]:
        return [str(label) for value, label in SolarDocument.choices if value not in self.documents]

    def clean(self) -> None:
        super().clean()
        reached = SOLAR_STAGES.index(self.stage) if self.stage in SOLAR_STAGES else 0
        errors: dict[str, Any] = {}
        for position, stage in enumerate(SOLAR_STAGES):
            field = SOLAR_STAGE_DATES[stage]
            value = getattr(self, field)
            if position <= reached and value is None:
                errors[field] = _("Each stage reached needs its date.")
            if position > reached and value is not None:
                errors[field] = _("This stage has not been reached yet.")
        if errors:
            raise ValidationError(errors)
        dates = [getattr(self, SOLAR_STAGE_DATES[s]) for s in SOLAR_STAGES[: reached + 1]]
        for earlier, later, stage in zip(dates, dates[1:], SOLAR_STAGES[1:], strict=False):
            validate_date_order(
                earlier,
                later,
                end_field=SOLAR_STAGE_DATES[stage],
                message=_("A stage cannot be reached before the one it follows."),
            )


class SolarIncome(FollowsRegion, TimestampedModel):
    """A year's income of a connected installation (surplus power sold to the grid)."""

    project = models.ForeignKey(
        SolarProject,
        verbose_name=_("solar assistance project"),
        on_delete=models.CASCADE,
        related_name="incomes",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators)
    income = MoneyField(_("income (yuan)"))

    history = HistoricalRecords(excluded_fields=("region",))
    region_follows: ClassVar[str] = "project"

    class Meta:
        verbose_name = _("solar income")
        verbose_name_plural = _("solar incomes")
        indexes = (
            # Scoped lists (region_id LIKE '330381%' ORDER BY id DESC LIMIT 50) and
            # the dashboards' counts by region prefix: one index range, no join.
            models.Index(
                fields=("region", "id"),
                name="solar_income_region_idx",
                opclasses=("varchar_pattern_ops", "int8_ops"),
            ),
        )
        constraints = (
            models.UniqueConstraint(
                fields=("project", "year"),
                name="solar_income_unique_year",
                violation_error_message=_("This year's income is already recorded."),
            ),
            models.CheckConstraint(condition=year_in_range("year"), name="solar_income_year_range"),
            models.CheckConstraint(
                condition=not_negative("income"), name="solar_income_not_negative"
            ),
        )

    def __str__(self) -> str:
        return f"{self.project.worker} {self.year}: {self.income}"

    def clean(self) -> None:
        super().clean()
        project = self.project if self.project_id else None
        if project is None:
            return
        if project.connected_on is None:
            raise ValidationError(
                {"project": _("Income is recorded once the installation is grid-connected.")}
            )
        if self.year and self.year < project.connected_on.year:
            raise ValidationError(
                {"year": _("The installation was not connected to the grid yet in that year.")}
            )


class BenefitKind(models.TextChoices):
    """The 礼遇工匠 benefits (seed 000: 三年一次的疗休养，两年一次的健康体检，免费健身年卡)."""

    RECUPERATION = "recuperation", _("recuperation (疗休养)")
    HEALTH_CHECK = "health_check", _("health check (体检)")
    FITNESS_CARD = "fitness_card", _("fitness card (健身卡)")


class BenefitRule(TimestampedModel):
    """A benefit honoured craftsmen are due by rule (礼遇工匠): holders of an honour of the given
    kind at the given level or above are due the benefit every `every_years` years, from the
    year the rule took effect or the year of their honour, whichever is later. The province
    keeps this table (welfare.services.may_keep_benefit_rules)."""

    name = models.CharField(_("rule name"), max_length=100)
    title_kind = models.CharField(
        _("honour kind"),
        max_length=16,
        choices=HonourKind.choices,
        blank=True,
        help_text=_("Leave empty for honours of any kind."),
    )
    min_level = models.PositiveSmallIntegerField(
        _("from honour level"),
        choices=Level.choices,
        help_text=_("Holders of an honour at this level or above are entitled."),
    )
    benefit = models.CharField(_("benefit"), max_length=16, choices=BenefitKind.choices)
    every_years = models.PositiveSmallIntegerField(
        _("every (years)"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    since_year = models.PositiveSmallIntegerField(
        _("in force from"),
        validators=year_validators,
        help_text=_("The year the rule took effect: nobody is due before it."),
    )
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("benefit rule")
        verbose_name_plural = _("benefit rules")
        ordering = ("benefit", "-min_level")
        constraints = (
            models.UniqueConstraint(
                fields=("benefit", "title_kind", "min_level"),
                name="benefit_rule_unique_benefit_holders",
                violation_error_message=_(
                    "A rule already grants this benefit to these honour holders."
                ),
            ),
            models.CheckConstraint(
                condition=Q(every_years__gte=1, every_years__lte=10),
                name="benefit_rule_every_1_to_10_years",
                violation_error_message=_("A benefit falls due every 1 to 10 years."),
            ),
            models.CheckConstraint(
                condition=year_in_range("since_year"), name="benefit_rule_year_range"
            ),
        )

    def __str__(self) -> str:
        return self.name

    def applies_to(self) -> Q:
        """The honours (workforce.Honour rows) that entitle their holder under this rule."""
        condition = Q(title__level__gte=self.min_level)
        if self.title_kind:
            condition &= Q(title__kind=self.title_kind)
        return condition


class BenefitTaken(FollowsRegion, TimestampedModel):
    """A benefit an honoured craftsman took (a recuperation trip, a health check, a fitness
    card), kept by the county of the worker's region."""

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="benefits_taken"
    )
    kind = models.CharField(_("benefit"), max_length=16, choices=BenefitKind.choices)
    taken_on = models.DateField(_("taken on"))
    place = models.CharField(
        _("provider or place"), max_length=200, blank=True, help_text=_("Hospital, club, resort …")
    )
    cost = MoneyField(_("cost (yuan)"), null=True, blank=True)
    trip = models.ForeignKey(
        RecuperationTrip,
        verbose_name=_("recuperation trip"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="benefits_taken",
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(excluded_fields=("region",))
    region_follows: ClassVar[str] = "worker"

    class Meta:
        verbose_name = _("craftsman benefit taken")
        verbose_name_plural = _("craftsman benefits taken")
        constraints = (
            models.UniqueConstraint(
                fields=("worker", "kind", "taken_on"),
                name="benefit_taken_unique_worker_kind_day",
                violation_error_message=_("This benefit is already recorded for that day."),
            ),
            models.CheckConstraint(
                condition=not_negative("cost"), name="benefit_taken_cost_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(trip__isnull=True) | Q(kind=BenefitKind.RECUPERATION),
                name="benefit_taken_trip_is_recuperation",
                violation_error_message=_("Only a recuperation benefit is taken on a trip."),
            ),
        )
        indexes = (
            # Scoped lists (region_id LIKE '330381%' ORDER BY id DESC LIMIT 50) and
            # the dashboards' counts by region prefix: one index range, no join.
            models.Index(
                fields=("region", "id"),
                name="benefit_taken_region_idx",
                opclasses=("varchar_pattern_ops", "int8_ops"),
            ),
            # The due list: each worker's latest benefit of each kind.
            models.Index(fields=("worker", "kind", "taken_on"), name="benefit_worker_kind_idx"),
            # Dashboard: benefits taken in a year.
            models.Index(fields=("taken_on",), name="benefit_taken_on_idx"),
        )

    def __str__(self) -> str:
        return f"{self.worker} · {self.get_kind_display()} {self.taken_on}"

    def clean(self) -> None:
        super().clean()
        trip = self.trip if self.trip_id else None
        if trip is None:
            return
        if self.kind != BenefitKind.RECUPERATION:
            raise ValidationError({"trip": _("Only a recuperation benefit is taken on a trip.")})
        if self.taken_on and self.taken_on < trip.start_date:
            raise ValidationError(
                {"taken_on": _("A benefit taken on a trip cannot predate its departure.")}
            )


class CareOccasionKind(models.TextChoices):
    """The six occasions of the 「六必访」 (seed 001): a union chairman visits a worker when any
    of them befalls the worker."""

    HOSPITALISED = "hospitalised", _("hospitalised (生病住院)")
    HOME_DISASTER = "home_disaster", _("home struck by disaster (家庭受灾)")
    FAMILY_ILLNESS = "family_illness", _("family member seriously ill (家属重病)")
    BEREAVEMENT = "bereavement", _("bereavement (亲属去世)")
    FAMILY_DISPUTE = "family_dispute", _("family dispute (家庭纠纷)")
    EMERGENCY = "emergency", _("emergency at home (家遇急事)")


class CareOccasionSource(models.TextChoices):
    UNION = "union", _("union chairman or officer")
    COLLEAGUE = "colleague", _("colleague or team leader")
    SELF = "self", _("the worker or family")
    ENTERPRISE = "enterprise", _("enterprise management")
    OTHER = "other", _("other")


class CareOccasion(FollowsRegion, TimestampedModel):
    """One of the six occasions (六必访) recorded for a worker: it calls for a visit
    (welfare.selectors, the visit rule). Restricted like the hardship files: it tells of
    illness, bereavement and family disputes."""

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="care_occasions"
    )
    kind = models.CharField(_("occasion"), max_length=16, choices=CareOccasionKind.choices)
    happened_on = models.DateField(_("happened on"))
    source = models.CharField(
        _("learnt from"),
        max_length=16,
        choices=CareOccasionSource.choices,
        default=CareOccasionSource.UNION,
    )
    reported_by = models.CharField(
        _("reported by"), max_length=100, blank=True, help_text=_("Who told the union.")
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(excluded_fields=("region",))
    region_follows: ClassVar[str] = "worker"

    class Meta:
        verbose_name = _("care occasion (六必访)")
        verbose_name_plural = _("care occasions (六必访)")
        constraints = (
            models.UniqueConstraint(
                fields=("worker", "kind", "happened_on"),
                name="care_occasion_unique_worker_kind_day",
                violation_error_message=_("This occasion is already recorded for that day."),
            ),
        )
        indexes = (
            # Scoped lists (region_id LIKE '330381%' ORDER BY id DESC LIMIT 50) and
            # the dashboards' counts by region prefix: one index range, no join.
            models.Index(
                fields=("region", "id"),
                name="care_occasion_region_idx",
                opclasses=("varchar_pattern_ops", "int8_ops"),
            ),
            # The to-do list (oldest first) and the dashboard's occasions of a year.
            models.Index(fields=("happened_on",), name="care_occasion_happened_idx"),
        )

    def __str__(self) -> str:
        return f"{self.worker} · {self.get_kind_display()} {self.happened_on}"


class CareVisit(FollowsRegion, TimestampedModel):
    """A visit (六必访) the union chairman and others made to a worker on one of the six
    occasions, with the aid given; linked to the occasion record it answers and to the
    worker's hardship case where one exists. Restricted like the hardship files."""

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="care_visits"
    )
    kind = models.CharField(_("occasion"), max_length=16, choices=CareOccasionKind.choices)
    visited_on = models.DateField(_("visited on"))
    visitors = models.CharField(
        _("visitors"),
        max_length=300,
        help_text=_("The union chairman and whoever went along, e.g. 许明术、单位领导."),
    )
    aid = MoneyField(_("aid given (yuan)"), default=Decimal("0"))
    occasion = models.ForeignKey(
        CareOccasion,
        verbose_name=_("occasion record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        help_text=_("The recorded occasion this visit answers, if any."),
    )
    case = models.ForeignKey(
        HardshipCase,
        verbose_name=_("hardship case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="care_visits",
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(excluded_fields=("region",))
    region_follows: ClassVar[str] = "worker"

    class Meta:
        verbose_name = _("care visit (六必访)")
        verbose_name_plural = _("care visits (六必访)")
        constraints = (
            models.UniqueConstraint(
                fields=("worker", "kind", "visited_on"),
                name="care_visit_unique_worker_kind_day",
                violation_error_message=_("This visit is already recorded for that day."),
            ),
            models.CheckConstraint(
                condition=not_negative("aid"), name="care_visit_aid_not_negative"
            ),
        )
        indexes = (
            # Scoped lists (region_id LIKE '330381%' ORDER BY id DESC LIMIT 50) and
            # the dashboards' counts by region prefix: one index range, no join.
            models.Index(
                fields=("region", "id"),
                name="care_visit_region_idx",
                opclasses=("varchar_pattern_ops", "int8_ops"),
            ),
            # Dashboard: visits made in a year.
            models.Index(fields=("visited_on",), name="care_visit_on_idx"),
        )

    def __str__(self) -> str:
        return f"{self.worker} · {self.get_kind_display()} {self.visited_on}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        occasion = self.occasion if self.occasion_id else None
        case = self.case if self.case_id else None
        if occasion is not None:
            if self.worker_id and occasion.worker_id != self.worker_id:
                errors["occasion"] = _("The occasion is another worker's.")
            elif self.kind and occasion.kind != self.kind:
                errors["kind"] = _("The visit's occasion differs from the occasion record's.")
            elif self.visited_on and self.visited_on < occasion.happened_on:
                errors["visited_on"] = _("A visit cannot predate the occasion it answers.")
        if case is not None and self.worker_id and case.worker_id != self.worker_id:
            errors["case"] = _("The hardship case is another worker's.")
        if errors:
            raise ValidationError(errors)


# --- 台工心港: the union's psychological service (seed 001, 台州) ------------------------------
# Psychological data is the most sensitive personal data these records touch: the tallies and
# lectures hold only counts; a booking names the person, and only the counsellor role sees who
# (base/roles.py, docs/security.md). No record holds anything said in a session.


class AssessmentScale(models.TextChoices):
    SCL90 = "scl90", _("SCL-90 symptom checklist")
    PHQ9 = "phq9", _("PHQ-9 depression screening")
    GAD7 = "gad7", _("GAD-7 anxiety screening")
    PSS = "pss", _("perceived stress scale")
    BURNOUT = "burnout", _("job burnout inventory")


class CounsellingAssessment(TimestampedModel):
    """How many self-assessments were taken on one scale in a region in one month (the platform's
    own tally: no person, no score)."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators)
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    scale = models.CharField(_("scale"), max_length=16, choices=AssessmentScale.choices)
    taken = models.PositiveIntegerField(_("assessments taken"))
    referred = models.PositiveIntegerField(
        _("went on to book"),
        default=0,
        help_text=_("Of those taken, how many went on to book a consultation."),
    )

    history = HistoricalRecords()
    scope_path: ClassVar[str] = "region__code"

    class Meta:
        verbose_name = _("counselling assessment tally")
        verbose_name_plural = _("counselling assessment tallies")
        constraints = (
            models.UniqueConstraint(
                fields=("region", "year", "month", "scale"),
                name="assessment_unique_region_month_scale",
                violation_error_message=_(
                    "This region already has a tally of this scale for that month."
                ),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="assessment_month_range"
            ),
            models.CheckConstraint(condition=year_in_range("year"), name="assessment_year_range"),
            models.CheckConstraint(
                condition=Q(referred__lte=F("taken")),
                name="assessment_referred_within_taken",
                violation_error_message=_(
                    "More people cannot have booked than took the assessment."
                ),
            ),
        )
        indexes = (
            # Dashboard: assessments taken in a year, summed by region prefix.
            models.Index(fields=("year", "region"), name="assessment_year_region_idx"),
        )

    def __str__(self) -> str:
        return f"{self.region} {self.year}-{self.month:02d} {self.get_scale_display()}"

    def clean(self) -> None:
        super().clean()
        if self.taken is not None and self.referred is not None and self.referred > self.taken:
            raise ValidationError(
                {"referred": _("More people cannot have booked than took the assessment.")}
            )


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("booked")
    HELD = "held", _("consultation held")
    CANCELLED = "cancelled", _("cancelled")
    NO_SHOW = "no_show", _("did not come")


class CounsellingBooking(TimestampedModel):
    """A consultation booked through 台工心港: who, when, with whom and whether it took place.
    Nothing of what was said is kept."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    name = models.CharField(_("full name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, validators=[identity.validate_phone])
    id_number = models.CharField(
        _("ID number"),
        max_length=18,
        blank=True,
        validators=[identity.validate_id_number],
    )
    booked_for = models.DateField(_("consultation date"))
    status = models.CharField(
        _("status"), max_length=16, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    counsellor = models.CharField(_("counsellor"), max_length=50, blank=True)

    history = HistoricalRecords()
    scope_path: ClassVar[str] = "region__code"
    # The permission that shows who booked (name, phone, ID number), in place of the general
    # full-number permissions: held by the counsellor role alone (base/roles.py).
    personal_data_permission: ClassVar[str] = "welfare.view_booked_person"

    class Meta:
        verbose_name = _("counselling booking")
        verbose_name_plural = _("counselling bookings")
        permissions = (("view_booked_person", _("Can see who booked a consultation")),)
        constraints = (
            models.UniqueConstraint(
                fields=("phone", "booked_for"),
                name="booking_unique_phone_day",
                violation_error_message=_("This person already has a booking on that day."),
            ),
        )
        indexes = (
            # Dashboard: consultations held in a year (status and date, by region prefix).
            models.Index(fields=("booked_for", "status"), name="booking_date_status_idx"),
        )

    def __str__(self) -> str:
        # No name: the string of a record shows in logs and messages others may read.
        return str(
            _("booking %(number)s on %(date)s") % {"number": self.pk, "date": self.booked_for}
        )

    def clean(self) -> None:
        super().clean()
        self.id_number = identity.normalise_id_number(self.id_number or "")
        self.name = (self.name or "").strip()
        past = (BookingStatus.HELD, BookingStatus.NO_SHOW)
        if self.status in past and self.booked_for and self.booked_for > timezone.localdate():
            raise ValidationError(
                {"status": _("A consultation still to come cannot have been held or missed.")}
            )


class LectureKind(models.TextChoices):
    LECTURE = "lecture", _("lecture")
    SALON = "salon", _("salon")
    GROUP = "group", _("group activity")


class CounsellingLecture(TimestampedModel):
    """A lecture, salon or group activity a unit booked from 台工心港's themes."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    held_on = models.DateField(_("date held"))
    topic = models.CharField(_("topic"), max_length=200)
    kind = models.CharField(
        _("form"), max_length=16, choices=LectureKind.choices, default=LectureKind.LECTURE
    )
    host = models.CharField(_("host unit"), max_length=200, blank=True)
    audience = models.PositiveIntegerField(_("audience"))

    history = HistoricalRecords()
    scope_path: ClassVar[str] = "region__code"

    class Meta:
        verbose_name = _("counselling lecture")
        verbose_name_plural = _("counselling lectures")
        constraints = (
            models.UniqueConstraint(
                fields=("region", "held_on", "topic"),
                name="lecture_unique_region_day_topic",
                violation_error_message=_("This lecture is already recorded."),
            ),
        )
        indexes = (
            # Dashboard: lectures and their audience in a year.
            models.Index(fields=("held_on",), name="lecture_held_on_idx"),
        )

    def __str__(self) -> str:
        return f"{self.topic} ({self.held_on})"
