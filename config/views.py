"""Error pages that must work when the database does not."""

from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.template.loader import render_to_string
from django.views.defaults import server_error

from config.faults import database_unreachable

# Seconds a client should wait before trying again while the database is away.
RETRY_AFTER = 30


def handler500(request: HttpRequest) -> HttpResponse:
    """Django calls this inside the `except` that caught the error: a database that cannot be
    reached answers 503 "try again shortly", rendered without touching the database (no
    session, no user, no context processors)."""
    if not database_unreachable(sys.exc_info()[1]):
        return server_error(request)
    if request.path.endswith(".json"):
        response: HttpResponse = JsonResponse(
            {"error": "database_unavailable", "retry_after": RETRY_AFTER}, status=503
        )
    else:
        response = HttpResponseServerError(
            render_to_string("503.html", {"retry_after": RETRY_AFTER}), status=503
        )
    response.status_code = 503
    response["Retry-After"] = str(RETRY_AFTER)
    return response
