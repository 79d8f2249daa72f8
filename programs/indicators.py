"""The indicator keys a target may name, and what they are called.

The catalogue that defines the indicators (`dashboards.catalogue`) stands a floor above the
domain apps, because it reads their records. A target only needs to know which keys exist: the
catalogue registers them here when the dashboards app loads (`DashboardsConfig.ready`), so the
model checks a key without importing the floor above it, and a new indicator needs no migration.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_labels: dict[str, str | Promise] = {}


def register(labels: Mapping[str, str | Promise]) -> None:
    """Make these indicator keys (key → label, in catalogue order) known to targets."""
    _labels.update(labels)


def _known() -> dict[str, str | Promise]:
    if not _labels:
        raise ImproperlyConfigured(
            "No indicator catalogue is registered (is dashboards installed?)"
        )
    return _labels


def label(key: str) -> str:
    """The indicator's name, or the key itself for a key the catalogue no longer has."""
    return str(_known().get(key, key))


def choices() -> list[tuple[str, str | Promise]]:
    return list(_known().items())


def validate_indicator(value: str) -> None:
    if value not in _known():
        raise ValidationError(
            _("%(key)s is not an indicator of the catalogue."),
            code="unknown_indicator",
            params={"key": value},
        )
