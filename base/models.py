"""The ground floor's records: the regions every record belongs to, the staff who work in one,
and the fields every domain shares."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("province")
    CITY = "city", _("city")
    COUNTY = "county", _("county")
    TOWN = "town", _("town")


# GB/T 2260: a region's subtree is every code that starts with its significant digits.
PREFIX_LENGTH: dict[str, int] = {
    RegionLevel.PROVINCE: 2,
    RegionLevel.CITY: 4,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWN: 9,
}


def county_of(code: str) -> str:
    """The county-level code a region code falls under: a town's county, a county itself.

    (A city's or the province's own code is returned as it is: they have no county.)"""
    return code[: PREFIX_LENGTH[RegionLevel.COUNTY]]


# Region names drop these endings in everyday use (瑞安市 → 瑞安, 景宁畲族自治县 → 景宁); longer first.
NAME_SUFFIXES = ("畲族自治县", "自治县", "街道", "市", "县", "区", "镇", "乡")


def short_name(name: str) -> str:
    """A region's name as people shorten it (瑞安市 → 瑞安, 凤桥镇 → 凤桥); the name itself when no
    ending applies or nothing but one character would be left."""
    for suffix in NAME_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


PARENT_LEVEL: dict[str, str] = {
    RegionLevel.CITY: RegionLevel.PROVINCE,
    RegionLevel.COUNTY: RegionLevel.CITY,
    RegionLevel.TOWN: RegionLevel.COUNTY,
}


class RegionQuerySet(models.QuerySet["Region"]):
    def within(self, prefix: str) -> RegionQuerySet:
        """The regions of a subtree, given its code prefix (`Region.prefix`)."""
        return self.filter(code__startswith=prefix)


class Region(models.Model):
    """An administrative division. The code is the primary key, so every foreign key column
    holds the code itself and a subtree filter is `region_id LIKE '3303%'` with no join."""

    code = models.CharField(
        _("division code"),
        max_length=9,
        primary_key=True,
        validators=[
            RegexValidator(
                r"^\d{6}(\d{3})?$", _("A division code has 6 digits, or 9 for a town or park.")
            )
        ],
    )
    # Imports look regions up by name (瑞安市, 瑞安).
    name = models.CharField(_("name"), max_length=64, db_index=True)
    level = models.CharField(_("level"), max_length=8, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    mountain_island = models.BooleanField(
        _("mountain or island county"),
        default=False,
        help_text=_("One of the 26 mountain-area counties or an island county (山区海岛县)."),
    )

    objects = RegionQuerySet.as_manager()
    # The tables keep the names they had when regions lived in the workforce app (0.x).
    history = HistoricalRecords(table_name="workforce_historicalregion")

    # The scope module filters every model through this path to a Region code.
    scope_path: ClassVar[str] = "code"

    class Meta:
        db_table = "workforce_region"
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ("code",)
        constraints = (
            models.CheckConstraint(
                condition=(
                    Q(level=RegionLevel.PROVINCE, parent__isnull=True, code__endswith="0000")
                    | Q(level=RegionLevel.CITY, parent__isnull=False, code__endswith="00")
                    | (Q(level=RegionLevel.COUNTY, parent__isnull=False) & ~Q(code__endswith="00"))
                    | Q(level=RegionLevel.TOWN, parent__isnull=False)
                ),
                name="region_level_shape",
                violation_error_message=_(
                    "The code and parent do not fit the level (a province has no parent and ends "
                    "in 0000, a city ends in 00)."
                ),
            ),
        )

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        return self.code[: PREFIX_LENGTH[self.level]]

    def clean(self) -> None:
        super().clean()
        expected_length = 9 if self.level == RegionLevel.TOWN else 6
        if self.code and len(self.code) != expected_length:
            raise ValidationError(
                {
                    "code": _("A region of this level needs a %(n)d-digit code.")
                    % {"n": expected_length}
                }
            )
        if self.level == RegionLevel.PROVINCE:
            if self.parent_id is not None:
                raise ValidationError({"parent": _("A province has no parent region.")})
            return
        if self.parent is None:
            raise ValidationError({"parent": _("This region needs a parent region.")})
        if self.parent.level != PARENT_LEVEL.get(self.level):
            raise ValidationError(
                {"parent": _("The parent region is not one level above this region.")}
            )
        if self.code and not self.code.startswith(self.parent.prefix):
            raise ValidationError(
                {
                    "code": _("The code must start with %(prefix)s, the parent region's code.")
                    % {"prefix": self.parent.prefix}
                }
            )


class StaffProfile(models.Model):
    """Ties a staff account to the one region whose subtree it may see (its scope)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="staff_profile",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="staff"
    )

    scope_path: ClassVar[str] = "region"

    class Meta:
        db_table = "workforce_staffprofile"
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return f"{self.user} @ {self.region}"


class Level(models.IntegerChoices):
    """The six-level ladder (企业、镇级、区级、市级、省级、国家级); higher is more senior, so the
    highest honour of a worker is a plain MAX()."""

    ENTERPRISE = 1, _("enterprise level")
    TOWN = 2, _("town level")
    COUNTY = 3, _("county level")
    CITY = 4, _("city level")
    PROVINCIAL = 5, _("provincial level")
    NATIONAL = 6, _("national level")


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class TracksRegion(models.Model):
    """A record others follow the region of (a worker, a hardship case): remembers the region it
    was loaded with, so that a save that keeps it asks nothing of its followers
    (base/following.py)."""

    _stored_region_id: str | None

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Any:
        instance = super().from_db(db, field_names, values)
        instance._stored_region_id = instance.__dict__.get("region_id")
        return instance


# Primary keys per query or UPDATE … WHERE fk IN (…): well under SQLite's limit on parameters.
CHUNK = 5000


def fill_regions(objects: Sequence[models.Model]) -> None:
    """Give unsaved or bulk-written followers their followed record's region: from the record
    where it is loaded, else from one query per chunk of followed keys (base/following.py)."""
    if not objects or not isinstance(objects[0], FollowsRegion):
        return
    model: Any = type(objects[0])
    field = model._meta.get_field(model.region_follows)
    missing: dict[Any, list[FollowsRegion]] = defaultdict(list)
    for obj in objects:
        assert isinstance(obj, FollowsRegion)
        if field.is_cached(obj):
            obj.follow_region()
        elif (key := getattr(obj, field.attname)) is not None:
            missing[key].append(obj)
    keys = list(missing)
    for start in range(0, len(keys), CHUNK):
        regions = field.related_model._default_manager.filter(
            pk__in=keys[start : start + CHUNK]
        ).values_list("pk", "region_id")
        for key, code in regions:
            for obj in missing[key]:
                obj.region_id = code


class FollowingQuerySet(models.QuerySet[Any]):
    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        """Followers written in bulk without their region take it from their followed record
        first: Django's own bulk writers (a many-to-many `.add()` through a follower, such as a
        session's Teaching links) never call `save`, and the column is not null."""
        objs = list(objs)
        fill_regions([obj for obj in objs if obj.__dict__.get("region_id") is None])
        return super().bulk_create(objs, *args, **kwargs)


class FollowsRegion(models.Model):
    """A record that belongs to the region of the record it follows (a certificate to its
    worker's, a grant to its case's), stored on the record itself.

    Scope and dashboards filter on a column of the record's own table instead of a join through
    the worker: a county's newest certificates are then found from one index, not by walking the
    whole province's newest certificates back until 50 of the county's turn up. The column is
    never edited: every write path keeps it in step with the followed record (base/following.py),
    and `following.out_of_step()` is the check that it is.
    """

    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        blank=True,  # filled from the followed record on save, not asked of anyone
        db_index=False,  # each model declares its (region, id) index with the pattern opclass
    )

    region_follows: ClassVar[str]  # the foreign key whose record's region this one copies
    scope_path: ClassVar[str] = "region__code"

    objects = FollowingQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.follow_region()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and self.region_follows in update_fields:
            kwargs["update_fields"] = [*update_fields, "region"]
        super().save(*args, **kwargs)

    def clean_fields(self, exclude: Any = None) -> None:
        # Derived, not entered: checking that the region exists would cost a query per record
        # of an import, for a value taken from a record that exists.
        self.follow_region(load=False)
        super().clean_fields(exclude={*(exclude or ()), "region"})

    def follow_region(self, *, load: bool = True) -> None:
        """Copy the followed record's region. With `load=False` the followed record is read
        from the database only when this record has no region yet (a scope check over many
        loaded records must not cost a query each)."""
        field = self._meta.get_field(self.region_follows)
        assert isinstance(field, models.ForeignKey)
        followed: Any
        if field.is_cached(self):
            followed = field.get_cached_value(self)
        elif load or self.__dict__.get("region_id") is None:
            followed = getattr(self, self.region_follows, None)
        else:
            return
        if followed is not None:
            self.region_id = followed.region_id
