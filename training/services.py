"""Writes of the training app's records that carry their own rules (the 职工书屋)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from base import scope
from base.models import Region
from base.services import record_save
from training.models import WorkerLibrary
from workforce.models import Enterprise, UnionOrganisation


def worker_library_create(
    *,
    user: Any,
    name: str,
    host_enterprise: Enterprise | None = None,
    host_union: UnionOrganisation | None = None,
    region: Region | None = None,
    level: str = "",
    books_count: int = 0,
    opened_on: datetime.date,
) -> WorkerLibrary:
    """Record a 职工书屋 hosted by an enterprise or a union (one of the two) the user may refer
    to, in the host's region unless a region holding it is given."""
    for host, model in ((host_enterprise, Enterprise), (host_union, UnionOrganisation)):
        if (
            host is not None
            and not scope.referable(model.objects.filter(pk=host.pk), user).exists()
        ):
            raise PermissionDenied(_("This host is outside your region."))
    host = host_enterprise or host_union
    library = WorkerLibrary(
        name=name,
        host_enterprise=host_enterprise,
        host_union=host_union,
        region=region if region is not None else getattr(host, "region", None),
        level=level,
        books_count=books_count,
        opened_on=opened_on,
    )
    record_save(record=library, user=user)
    return library
