"""The personal-data access log. Entries are only ever added (services.access_log_record);
the admin shows them read-only, and on PostgreSQL a trigger refuses UPDATE and DELETE."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from base.models import Region


class AccessKind(models.TextChoices):
    RECORD = "record", _("opened a record with full numbers")
    LIST = "list", _("listed records with full numbers")
    HISTORY = "history", _("read a record's history with full numbers")
    EXPORT = "export", _("exported personal data")
    ERRORS = "errors", _("downloaded an error workbook")
    SEARCH = "search", _("searched by a whole ID or phone number")


class AccessLogEntry(models.Model):
    at = models.DateTimeField(_("when"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The user's scope when they looked: the admins of that scope read the entry.
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, null=True, blank=True
    )
    kind = models.CharField(_("access"), max_length=16, choices=AccessKind.choices)
    record_type = models.CharField(_("record type"), max_length=100)
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    rows = models.PositiveIntegerField(_("rows"))
    full_numbers = models.BooleanField(
        _("full ID/phone numbers"),
        help_text=_("Whether full (unmasked) ID or phone numbers were shown or exported."),
    )
    path = models.CharField(_("address"), max_length=500, blank=True)

    scope_path: ClassVar[str] = "region__code"

    class Meta:
        verbose_name = _("personal-data access")
        verbose_name_plural = _("personal-data access log")
        ordering = ("-at",)
        indexes = (
            # serves: the log of a scope, newest first (the admin list, filtered by region prefix)
            models.Index(fields=("region", "-at"), name="access_region_at"),
            # serves: what one user looked at
            models.Index(fields=("user", "-at"), name="access_user_at"),
        )
        constraints = (models.CheckConstraint(condition=models.Q(rows__gte=0), name="access_rows"),)

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display()} {self.record_type} ({self.rows})"
