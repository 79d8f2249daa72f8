"""Reporting rounds (报送任务): a round asks the regions below the one that opened it for chosen
indicators over a period; each region's submission is filled, submitted and reviewed, and
freezes at submission every figure, the 口径 in force and the records behind it
(docs/reporting.md)."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from base.models import Region


class PeriodKind(models.TextChoices):
    ANNUAL = "annual", _("annual")
    HALF = "half", _("half-year")
    QUARTER = "quarter", _("quarter")


# The last month each kind of period counts through, by part (1–6月 for the first half).
THROUGH: dict[str, dict[int, int]] = {
    PeriodKind.ANNUAL: {1: 12},
    PeriodKind.HALF: {1: 6, 2: 12},
    PeriodKind.QUARTER: {1: 3, 2: 6, 3: 9, 4: 12},
}


class Round(models.Model):
    """报送任务: opened by a province or city admin for every region below down to the counties."""

    region = models.ForeignKey(
        Region, verbose_name=_("opened by region"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    part = models.PositiveSmallIntegerField(_("part of the year"), default=1)
    indicators = models.JSONField(_("indicators"), default=list)  # catalogue keys, in order
    due_on = models.DateField(_("due on"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    # Who moved the due date or withdrew the round, and why (the change reason).
    history = HistoricalRecords(excluded_fields=("indicators",))
    scope_path: ClassVar[str] = "region__code"

    class Meta:
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        ordering = ("-due_on", "-id")
        constraints = [
            # The parts each kind has: one year, two halves, four quarters.
            models.CheckConstraint(
                condition=Q(kind=PeriodKind.ANNUAL, part=1)
                | Q(kind=PeriodKind.HALF, part__in=(1, 2))
                | Q(kind=PeriodKind.QUARTER, part__in=(1, 2, 3, 4)),
                name="round_part_of_kind",
                violation_error_message=_(
                    "A half-year round is the first or second half; a quarter round one of four."
                ),
            ),
            models.UniqueConstraint(
                fields=("region", "year", "kind", "part", "name"),
                name="round_unique_name",
                violation_error_message=_(
                    "This region has a round of this name for this period already."
                ),
            ),
        ]
        indexes = [
            # The rounds a region reports in: those opened by its ancestors, newest due first.
            models.Index(fields=("region", "-due_on"), name="round_region_due_idx"),
            # The annual round whose approved figures a past year's dashboard shows.
            models.Index(fields=("year", "kind"), name="round_year_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def through(self) -> int:
        return THROUGH[self.kind][self.part]

    def overdue(self, today: datetime.date) -> bool:
        return today > self.due_on


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    RETURNED = "returned", _("returned")  # a draft again, with the reviewer's comment
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")


OPEN_STATUSES = (Status.DRAFT, Status.RETURNED)
REPORTED_STATUSES = (Status.SUBMITTED, Status.APPROVED)


class Submission(models.Model):
    """One region's report in a round. Its figures are live while it is open (草稿, 退回) and
    frozen from the moment it is submitted."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="submissions"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Moves with every action: a form posts the version it was opened at, and an action on a
    # submission that moved since is refused with who acted first.
    version = models.PositiveIntegerField(_("version"), default=0)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    signer = models.CharField(_("filled in by"), max_length=50, blank=True)
    head = models.CharField(_("head of unit"), max_length=50, blank=True)
    missing_reason = models.TextField(_("reason for children not approved"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    scope_path: ClassVar[str] = "region__code"

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(fields=("round", "region"), name="submission_once"),
            # A submitted or approved submission says who submitted it and when.
            models.CheckConstraint(
                condition=~Q(status__in=REPORTED_STATUSES)
                | Q(submitted_by__isnull=False, submitted_at__isnull=False),
                name="submission_signed",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.APPROVED)
                | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                name="submission_reviewed",
            ),
        ]
        indexes = [
            # A region's submissions, newest round first (the 工作台, the to-do page).
            models.Index(fields=("region", "round"), name="submission_region_round_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.region.name}"


class Figure(models.Model):
    """One indicator of a submission: the county's 说明 while open; from submission the value,
    its 口径, unit and label as they read then, and the records behind it."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="figures"
    )
    key = models.CharField(_("indicator"), max_length=60)
    note = models.TextField(_("explanation"), blank=True)
    # Who wrote the 说明 last and when: a stale form is refused naming them.
    note_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("explanation by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note_at = models.DateTimeField(_("explanation written at"), null=True, blank=True)
    value = models.DecimalField(
        _("submitted value"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    label = models.CharField(_("label"), max_length=100, blank=True)
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    definition = models.TextField(_("definition"), blank=True)
    # A parent's figure: each approved child's value and 本级's, by region code.
    parts = models.JSONField(_("parts"), default=dict, blank=True)
    records_model = models.CharField(_("records of"), max_length=60, blank=True)
    records_count = models.PositiveIntegerField(_("records"), null=True, blank=True)
    # The primary keys of the records behind the value, delta-encoded and compressed
    # (reporting/records.py): a county's workers are hundreds of thousands of keys.
    records = models.BinaryField(_("record keys"), null=True, blank=True)

    class Meta:
        verbose_name = _("submitted figure")
        verbose_name_plural = _("submitted figures")
        constraints = [models.UniqueConstraint(fields=("submission", "key"), name="figure_once")]

    def __str__(self) -> str:
        return self.key


class Action(models.TextChoices):
    SUBMITTED = "submitted", _("submit")
    RETURNED = "returned", _("return")
    APPROVED = "approved", _("approve")
    REOPENED = "reopened", _("re-open")


class Event(models.Model):
    """Who did what to a submission, when and why; a submission's figures as they were at each
    submission stay here after a return."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("submission"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    by_name = models.CharField(_("name"), max_length=50, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)
    values = models.JSONField(_("values"), default=dict, blank=True)

    class Meta:
        verbose_name = _("submission event")
        verbose_name_plural = _("submission events")
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.submission} · {self.get_action_display()}"
