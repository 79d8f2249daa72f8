"""Writes of the access log: one function, called wherever personal data leaves the database
for a person (record pages, lists, history pages, exports, error workbooks)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db import models
from django.http import HttpRequest

from audit.models import AccessKind, AccessLogEntry
from base import scope
from base.identity import masked_fields, personal_fields, revealed_fields
from base.roles import RESTRICTED_MODELS


def full_numbers_shown(user: Any, model: type[models.Model]) -> bool:
    """Whether `user` sees any personal-data field of `model` unmasked."""
    return len(personal_fields(model)) > len(masked_fields(user, model))


def access_log_record(
    *,
    request: HttpRequest,
    kind: AccessKind,
    model: type[models.Model],
    rows: int,
    object_id: Any = "",
    full_numbers: bool,
) -> AccessLogEntry | None:
    """Add an entry; anonymous requests (which never reach personal data) are not logged."""
    user = request.user
    if not user.is_authenticated:
        return None
    entry = AccessLogEntry(
        user=user,
        region=scope.scope_region(user),
        kind=kind,
        record_type=str(model._meta.verbose_name_plural),
        object_id=str(object_id)[:64],
        rows=rows,
        full_numbers=full_numbers,
        path=request.get_full_path()[:500],
    )
    entry.full_clean(exclude=["user", "region"])
    entry.save()
    return entry


def access_log_display(
    *,
    request: HttpRequest,
    kind: AccessKind,
    model: type[models.Model],
    rows: int,
    object_id: Any = "",
) -> None:
    """A page showed records of `model`: logged when it showed full numbers."""
    if rows and full_numbers_shown(request.user, model):
        access_log_record(
            request=request,
            kind=kind,
            model=model,
            rows=rows,
            object_id=object_id,
            full_numbers=True,
        )


def access_log_export(
    *,
    request: HttpRequest,
    kind: AccessKind,
    model: type[models.Model],
    rows: int,
    carries: Collection[str],
    as_uploaded: bool = False,
) -> None:
    """A file of `model` records left the system: logged when it holds personal data.

    `carries` names the personal-data fields (keys of PERSONAL_DATA_FIELDS) among the file's
    columns, wherever they live: a certificate sheet carries its worker's ID number though the
    certificate has none. Exports mask what the user may not see; a file returned `as_uploaded`
    (an error workbook is the user's own upload) holds every number as it was typed.
    """
    carried = set(carries)
    if not carried and model._meta.label_lower not in RESTRICTED_MODELS:
        return
    full = bool(carried) and (as_uploaded or bool(carried & revealed_fields(request.user, model)))
    access_log_record(request=request, kind=kind, model=model, rows=rows, full_numbers=full)
