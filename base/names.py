"""Readable names for the link rows Django creates behind a many-to-many field.

A delete confirmation or a history page lists those rows too, and Django names them
「RecuperationTrip_participants object (48)」 of type "RecuperationTrip-worker relationship".
Every such row is named here after its field and the two records it links: 「参加人员：2024年劳模疗休养 — 张三」.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models


def name_link_rows() -> None:
    """Give every auto-created many-to-many link model the field's name and a readable row."""
    for model in apps.get_models():
        for field in model._meta.local_many_to_many:
            through: Any = field.remote_field.through
            if not through._meta.auto_created:
                continue
            through._meta.verbose_name = field.verbose_name
            through._meta.verbose_name_plural = field.verbose_name
            through.__str__ = _link_str(field.m2m_field_name(), field.m2m_reverse_field_name())


def _link_str(source: str, target: str) -> Any:
    def __str__(self: models.Model) -> str:
        return f"{getattr(self, source)} — {getattr(self, target)}"

    return __str__
