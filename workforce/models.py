from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from base import identity
from base.models import FollowsRegion, Level, Region, TimestampedModel, TracksRegion, county_of
from base.validators import (
    not_negative,
    ordered,
    validate_date_order,
    year_in_range,
    year_validators,
)


class Ownership(models.TextChoices):
    NON_PUBLIC = "non_public", _("non-public")
    STATE = "state", _("state-owned")
    COLLECTIVE = "collective", _("collective")
    FOREIGN = "foreign", _("foreign-invested")
    OTHER = "other", _("other")


class ReformStatus(models.TextChoices):
    """How far an enterprise has come with the industrial-workforce reform (产改状态)."""

    NOT_STARTED = "not_started", _("reform not started")
    STARTED = "started", _("reform started")
    # The enterprise's own word that it is a pilot; a pilot named by a programme is also kept as
    # a programs.PilotUnit of type enterprise (docs/indicators.md, 产改覆盖).
    PILOT = "pilot", _("reform pilot")


class Enterprise(TracksRegion, TimestampedModel):
    name = models.CharField(_("enterprise name"), max_length=200)
    # NULL, not "", when unknown: the unique constraint must ignore enterprises without a code.
    credit_code = models.CharField(  # noqa: DJ001
        _("unified social credit code"),
        max_length=18,
        null=True,
        blank=True,
        validators=[identity.validate_credit_code],
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    ownership = models.CharField(
        _("ownership"), max_length=16, choices=Ownership.choices, default=Ownership.NON_PUBLIC
    )
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    above_scale = models.BooleanField(_("above designated size"), default=False)
    employee_count = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    has_union = models.BooleanField(_("has a union"), default=False)
    reform_status = models.CharField(
        _("reform status"),
        max_length=16,
        choices=ReformStatus.choices,
        default=ReformStatus.NOT_STARTED,
    )
    # The day the reform started here: the coverage indicators count an enterprise from the
    # year it falls in, so it is required once the reform has started and refused before.
    reform_started_on = models.DateField(_("reform started on"), null=True, blank=True)

    history = HistoricalRecords()
    scope_path: ClassVar[str] = "region__code"

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        constraints = (
            models.UniqueConstraint(
                fields=("credit_code",),
                condition=Q(credit_code__isnull=False),
                name="enterprise_unique_credit_code",
                violation_error_message=_("An enterprise with this credit code already exists."),
            ),
            # Import key when the code is blank: the name within its region.
            models.UniqueConstraint(
                fields=("name", "region"),
                condition=Q(credit_code__isnull=True),
                name="enterprise_unique_name_without_code",
                violation_error_message=_(
                    "An enterprise with this name and no credit code already exists here."
                ),
            ),
            models.CheckConstraint(
                condition=not_negative("employee_count"), name="enterprise_employees_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(reform_status=ReformStatus.NOT_STARTED, reform_started_on__isnull=True)
                | (~Q(reform_status=ReformStatus.NOT_STARTED) & Q(reform_started_on__isnull=False)),
                name="enterprise_reform_start_date_with_status",
                violation_error_message=_(
                    "An enterprise that has started the reform needs the date it started; one "
                    "that has not started has no such date."
                ),
            ),
        )
        indexes = (
            # Admin search and import look-up by name (prefix LIKE on PostgreSQL).
            models.Index(
                fields=("name",), name="enterprise_name_idx", opclasses=("varchar_pattern_ops",)
            ),
        )

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.credit_code == "":
            self.credit_code = None
        if self.reform_status == ReformStatus.NOT_STARTED:
            if self.reform_started_on is not None:
                raise ValidationError(
                    {
                        "reform_started_on": _(
                            "An enterprise that has not started the reform has no start date."
                        )
                    }
                )
        elif self.reform_started_on is None:
            raise ValidationError(
                {"reform_started_on": _("Give the date the enterprise started the reform.")}
            )


class UnionKind(models.TextChoices):
    FEDERATION = "federation", _("federation of trade unions")
    GRASSROOTS = "grassroots", _("grassroots union")
    JOINT = "joint", _("joint union")
    INDUSTRY = "industry", _("industry union")


class UnionOrganisation(TimestampedModel):
    name = models.CharField(_("union name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=UnionKind.choices)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="unions",
    )
    member_count = models.PositiveIntegerField(_("member count"), null=True, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)

    history = HistoricalRecords()
    scope_path: ClassVar[str] = "region__code"

    class Meta:
        verbose_name = _("union organisation")
        verbose_name_plural = _("union organisations")
        constraints = (
            models.UniqueConstraint(
                fields=("name", "region"),
                name="union_unique_name_region",
                violation_error_message=_("A union with this name already exists in this region."),
            ),
        )

    def __str__(self) -> str:
        return self.name


class EmploymentForm(models.TextChoices):
    STANDARD = "standard", _("standard employment")
    COURIER = "courier", _("courier")
    FOOD_DELIVERY = "food_delivery", _("food delivery rider")
    RIDE_HAILING = "ride_hailing", _("ride-hailing driver")
    TRUCK_DRIVER = "truck_driver", _("truck driver")
    DOMESTIC = "domestic", _("domestic worker")
    OTHER_PLATFORM = "other_platform", _("other platform work")


class Gender(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class Worker(TracksRegion, TimestampedModel):
    name = models.CharField(_("full name"), max_length=50)
    id_number = models.CharField(
        _("ID number"), max_length=18, unique=True, validators=[identity.validate_id_number]
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, editable=False)
    birth_date = models.DateField(_("birth date"), null=True, editable=False)
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, validators=[identity.validate_phone]
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="workers",
    )
    occupation = models.CharField(_("occupation"), max_length=100, blank=True)
    employment_form = models.CharField(
        _("employment form"),
        max_length=16,
        choices=EmploymentForm.choices,
        default=EmploymentForm.STANDARD,
    )
    union_member = models.BooleanField(_("union member"), default=False)
    union_joined_on = models.DateField(_("joined the union on"), null=True, blank=True)
    # The register as it stood at the end of a year (在册职工, docs/indicators.md): a worker is on
    # it from registration (none: always was) until leaving it (none: still on it).
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    left_on = models.DateField(_("left the register on"), null=True, blank=True)
    # The last four characters of the ID and phone numbers, the part a masked number shows: the
    # one box that finds a person searches by them (an index on `endswith` would not be used).
    # Derived like the gender; kept by save(), by the import's bulk writes (derived_fields) and
    # backfilled by the migration that added them.
    id_last4 = models.CharField(
        _("last four of the ID number"), max_length=4, blank=True, default="", editable=False
    )
    phone_last4 = models.CharField(
        _("last four of the phone number"), max_length=4, blank=True, default="", editable=False
    )

    history = HistoricalRecords(excluded_fields=("gender", "birth_date", "id_last4", "phone_last4"))
    scope_path: ClassVar[str] = "region__code"
    # The indexed last four of a personal field: a search by them asks these (adminsite/mixins.py).
    tail_columns: ClassVar[dict[str, str]] = {"id_number": "id_last4", "phone": "phone_last4"}
    # Columns computed from another: a bulk write of the source writes them too (sheets/bulk.py).
    derived_fields: ClassVar[dict[str, tuple[str, ...]]] = {
        "id_number": ("gender", "birth_date", "id_last4"),
        "phone": ("phone_last4",),
    }

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        permissions = (
            ("view_full_id_number", _("Can see full ID numbers")),
            ("view_full_phone", _("Can see full phone numbers")),
        )
        constraints = (
            models.CheckConstraint(
                condition=ordered("registered_on", "left_on"),
                name="worker_register_dates_ordered",
                violation_error_message=_(
                    "A worker cannot leave the register before being registered."
                ),
            ),
        )
        indexes = (
            # Admin search by name prefix within a scope (LIKE '张%' on PostgreSQL).
            models.Index(
                fields=("name",), name="worker_name_idx", opclasses=("varchar_pattern_ops",)
            ),
            # A county's worker list, newest first: each of its regions' newest rows by a short
            # backward scan (adminsite.mixins.newest_first_in_region).
            models.Index(
                fields=("region", "id"),
                name="worker_region_newest_idx",
                opclasses=("varchar_pattern_ops", "int8_ops"),
            ),
            # Dashboard (在册职工, 工会会员, 新就业形态劳动者 at the end of Y): the region prefix
            # (region_id LIKE '330381%') and the two register dates the query compares, in one
            # index, so a region's register at a year end is found from one index range.
            models.Index(
                fields=("region", "registered_on", "left_on"),
                name="worker_region_register_idx",
                opclasses=("varchar_pattern_ops", "date_ops", "date_ops"),
            ),
            # serves: the one box finding a person by the last four of an ID number
            # (workforce.selectors.find_people: WHERE id_last4 = '1234' AND region_id LIKE …).
            models.Index(fields=("id_last4",), name="worker_id_last4_idx"),
            # serves: the same box by the last four of a phone number (phone_last4 = '5678').
            models.Index(fields=("phone_last4",), name="worker_phone_last4_idx"),
        )

    def __str__(self) -> str:
        # The masked number tells namesakes apart without revealing it.
        return f"{self.name}（{identity.mask_id_number(self.id_number)}）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.derive_from_id_number()
        super().save(*args, **kwargs)

    def derive_from_id_number(self) -> None:
        """Gender and birth date are written in the ID number; never typed separately. The
        search keys (the last four characters) are taken here too, on every write path."""
        self.id_number = identity.normalise_id_number(self.id_number or "")
        self.id_last4 = identity.visible_tail(self.id_number)
        self.phone_last4 = identity.visible_tail(self.phone or "")
        try:
            self.birth_date = identity.id_number_birth_date(self.id_number)
            self.gender = identity.id_number_gender(self.id_number)
        except (ValueError, IndexError):
            self.birth_date, self.gender = None, ""

    def clean(self) -> None:
        super().clean()
        self.id_number = identity.normalise_id_number(self.id_number or "")
        if self.union_joined_on and not self.union_member:
            raise ValidationError(
                {"union_member": _("A worker with a union joining date is a union member.")}
            )
        validate_date_order(
            self.registered_on,
            self.left_on,
            end_field="left_on",
            message=_("A worker cannot leave the register before being registered."),
        )

    @property
    def masked_id_number(self) -> str:
        return identity.mask_id_number(self.id_number)


class HonourKind(models.TextChoices):
    MODEL_WORKER = "model_worker", _("model worker")
    CRAFTSMAN = "craftsman", _("craftsman")
    SKILL = "skill", _("skill")
    MEDAL = "medal", _("medal")


class HonourTitle(models.Model):
    """Reference table of honour titles (全国劳动模范, 浙江工匠, 嘉兴良匠 …)."""

    name = models.CharField(_("title"), max_length=100, unique=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=HonourKind.choices, blank=True)
    awarded_by = models.CharField(_("awarded by"), max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("honour title")
        verbose_name_plural = _("honour titles")
        ordering = ("-level", "name")

    def __str__(self) -> str:
        return self.name


class Honour(FollowsRegion, TimestampedModel):
    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="honours"
    )
    title = models.ForeignKey(
        HonourTitle,
        verbose_name=_("honour title"),
        on_delete=models.PROTECT,
        related_name="honours",
    )
    year = models.PositiveSmallIntegerField(_("year awarded"), validators=year_validators)

    history = HistoricalRecords(excluded_fields=("region",))
    region_follows: ClassVar[str] = "worker"

    class Meta:
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        indexes = (
            # Scoped lists (region_id LIKE '330381%' ORDER BY id DESC LIMIT 50) and
            # the dashboards' counts by region prefix: one index range, no join.
            models.Index(
                fields=("region", "id"),
                name="honour_region_idx",
                opclasses=("varchar_pattern_ops", "int8_ops"),
            ),
        )
        constraints = (
            models.UniqueConstraint(
                fields=("worker", "title", "year"),
                name="honour_unique_worker_title_year",
                violation_error_message=_("This worker already has this honour for this year."),
            ),
            models.CheckConstraint(condition=year_in_range("year"), name="honour_year_range"),
        )

    def __str__(self) -> str:
        return f"{self.worker} · {self.title} ({self.year})"


class SkillLevel(models.IntegerChoices):
    """The "new eight levels"; 初级工 and above are skilled, 高级工 and above highly skilled."""

    APPRENTICE = 0, _("apprentice")
    JUNIOR = 1, _("junior worker (level 5)")
    INTERMEDIATE = 2, _("intermediate worker (level 4)")
    SENIOR = 3, _("senior worker (level 3)")
    TECHNICIAN = 4, _("technician (level 2)")
    SENIOR_TECHNICIAN = 5, _("senior technician (level 1)")
    SPECIAL_TECHNICIAN = 6, _("special-grade technician")
    CHIEF_TECHNICIAN = 7, _("chief technician")


SKILLED_FROM = SkillLevel.JUNIOR
HIGH_SKILLED_FROM = SkillLevel.SENIOR


class IssuerKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("enterprise self-assessment")
    SOCIAL = "social", _("social training and assessment organisation")
    CENTRE = "centre", _("skill appraisal centre")


class SkillCertificate(FollowsRegion, TimestampedModel):
    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="certificates"
    )
    level = models.PositiveSmallIntegerField(_("skill level"), choices=SkillLevel.choices)
    occupation = models.CharField(_("occupation"), max_length=100)
    certified_on = models.DateField(_("certified on"))
    issuer_kind = models.CharField(
        _("issuer kind"), max_length=16, choices=IssuerKind.choices, blank=True
    )
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    issuing_enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("issuing enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_certificates",
    )
    # NULL when the sheet has none, so that only real numbers are unique.
    number = models.CharField(  # noqa: DJ001
        _("certificate number"), max_length=64, null=True, blank=True
    )

    history = HistoricalRecords(excluded_fields=("region",))
    region_follows: ClassVar[str] = "worker"

    class Meta:
        verbose_name = _("skill certificate")
        verbose_name_plural = _("skill certificates")
        constraints = (
            models.UniqueConstraint(
                fields=("number",),
                condition=Q(number__isnull=False),
                name="certificate_unique_number",
                violation_error_message=_("A certificate with this number already exists."),
            ),
            models.UniqueConstraint(
                fields=("worker", "occupation", "level"),
                condition=Q(number__isnull=True),
                name="certificate_unique_without_number",
                violation_error_message=_(
                    "This worker already has an unnumbered certificate of this occupation and "
                    "level."
                ),
            ),
        )
        indexes = (
            # Scoped lists (region_id LIKE '330381%' ORDER BY id DESC LIMIT 50) and
            # the dashboards' counts by region prefix: one index range, no join.
            models.Index(
                fields=("region", "id"),
                name="skill_certificate_region_idx",
                opclasses=("varchar_pattern_ops", "int8_ops"),
            ),
            # Dashboard: distinct skilled workers by level and certification date.
            models.Index(fields=("level", "certified_on"), name="certificate_level_date_idx"),
        )

    def __str__(self) -> str:
        return f"{self.worker} · {self.occupation} {self.get_level_display()}"

    def clean(self) -> None:
        super().clean()
        if self.number == "":
            self.number = None


class Mentorship(FollowsRegion, TimestampedModel):
    master = models.ForeignKey(
        Worker,
        verbose_name=_("master"),
        on_delete=models.PROTECT,
        related_name="apprenticeships_led",
    )
    apprentice = models.ForeignKey(
        Worker, verbose_name=_("apprentice"), on_delete=models.PROTECT, related_name="mentorships"
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=("region",))
    region_follows: ClassVar[str] = "apprentice"

    class Meta:
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")
        indexes = (
            # Scoped lists (region_id LIKE '330381%' ORDER BY id DESC LIMIT 50) and
            # the dashboards' counts by region prefix: one index range, no join.
            models.Index(
                fields=("region", "id"),
                name="mentorship_region_idx",
                opclasses=("varchar_pattern_ops", "int8_ops"),
            ),
        )
        constraints = (
            models.UniqueConstraint(
                fields=("master", "apprentice", "started_on"),
                name="mentorship_unique_pair_start",
                violation_error_message=_("This pair already started a mentorship on that day."),
            ),
            models.CheckConstraint(
                condition=~Q(master=models.F("apprentice")), name="mentorship_not_self"
            ),
            models.CheckConstraint(
                condition=ordered("started_on", "ended_on"), name="mentorship_dates_ordered"
            ),
        )

    def __str__(self) -> str:
        return f"{self.master} → {self.apprentice}"

    def clean(self) -> None:
        super().clean()
        if self.master_id is not None and self.master_id == self.apprentice_id:
            raise ValidationError({"apprentice": _("A master cannot be their own apprentice.")})
        validate_date_order(self.started_on, self.ended_on, end_field="ended_on")


class TransferStatus(models.TextChoices):
    STARTED = "started", _("awaiting the receiving county")
    ACCEPTED = "accepted", _("accepted")
    CANCELLED = "cancelled", _("cancelled")


class Transfer(TimestampedModel):
    """A worker moving to another county (调动): the sending county starts it, the receiving
    county accepts it. Both counties keep seeing it, so the record keeps both sides."""

    worker = models.ForeignKey(
        Worker, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="transfers"
    )
    from_region = models.ForeignKey(
        Region, verbose_name=_("from region"), on_delete=models.PROTECT, related_name="+"
    )
    to_region = models.ForeignKey(
        Region, verbose_name=_("to region"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=TransferStatus.choices, default=TransferStatus.STARTED
    )
    started_on = models.DateField(_("started on"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()
    scope_path: ClassVar[str] = "from_region__code"
    # The receiving county sees the transfer too (scope.filter_for_user).
    shared_scope_paths: ClassVar[tuple[str, ...]] = ("to_region__code",)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = (
            models.UniqueConstraint(
                fields=("worker",),
                condition=Q(status="started"),
                name="transfer_one_pending_per_worker",
                violation_error_message=_(
                    "This worker already has a transfer awaiting acceptance."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(accepted_on__isnull=False),
                name="transfer_accepted_has_date",
                violation_error_message=_("An accepted transfer needs its acceptance date."),
            ),
            models.CheckConstraint(
                condition=ordered("started_on", "accepted_on"), name="transfer_dates_ordered"
            ),
        )
        indexes = (
            # The receiving county's side of the scope filter (to_region_id LIKE '330381%').
            models.Index(
                fields=("to_region",),
                name="transfer_to_region_like_idx",
                opclasses=("varchar_pattern_ops",),
            ),
        )

    def __str__(self) -> str:
        return f"{self.worker}: {self.from_region} → {self.to_region}"

    def clean(self) -> None:
        super().clean()
        from_code, to_code = self.from_region_id or "", self.to_region_id or ""
        if from_code and to_code and county_of(from_code) == county_of(to_code):
            raise ValidationError(
                {"to_region": _("A transfer goes to another county; within one, edit the worker.")}
            )
        validate_date_order(self.started_on, self.accepted_on, end_field="accepted_on")
