"""Login throttling (django-axes): what a locked-out user sees and which logins are counted.

Two locks, each with its own message, because they protect against different things:

- **the account** (django-axes, AXES_LOCKOUT_PARAMETERS = ["username"]): AXES_FAILURE_LIMIT
  failures in a row for one user name, from anywhere, lock that account — a guesser spreading
  attempts over many addresses is stopped;
- **the address** (here, `address_locked`): AXES_ADDRESS_FAILURE_LIMIT failures from one client
  address within the cool-off time, whatever the user names, refuse every login from it — one
  machine trying many names is stopped. The limit is higher than the account's, so a few
  colleagues behind one office address who mistype do not lock each other out, and a success
  clears that account's failures from the count.

Settings: AXES_* in config/settings/base.py. A lockout ends by itself after the cool-off time;
an admin ends it sooner with the "unlock logins" action on the staff list (their own scope) or
`manage.py axes_reset_username USERNAME` / `axes_reset_ip ADDRESS` on the server.
"""

from __future__ import annotations

import math
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' check, for logins that come with a request.

    Every login through the web passes its request; a call without one comes from code on the
    server (management commands, tests), which no outsider can drive, so there is nothing to
    throttle and axes' "request required" error would only break it.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        if address_locked(request):
            # Refused before the account is even looked at; axes' middleware then answers with
            # lockout_response, which says that the address (not the account) is locked.
            request.axes_locked_out = True  # type: ignore[attr-defined]
            request.login_lock = ADDRESS_LOCK  # type: ignore[attr-defined]
            raise AxesBackendPermissionDenied("too many failed logins from this address")
        super().authenticate(request, username, password, **kwargs)  # raises when locked out
        return None


ADDRESS_LOCK = "address"


def address_failures(address: str | None) -> int:
    """Failed logins from `address` within the cool-off time, over every user name."""
    if not address:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=address)
    if settings.AXES_COOLOFF_TIME:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def address_locked(request: HttpRequest) -> bool:
    return address_failures(client_address(request)) >= settings.AXES_ADDRESS_FAILURE_LIMIT


def client_address(request: HttpRequest) -> str | None:
    """The address failed logins are counted against.

    Behind the reverse proxy (BEHIND_TLS_PROXY) every request arrives from the proxy, so
    counting REMOTE_ADDR would lock everybody out after a few failures anywhere; the client's
    address is the last one in X-Forwarded-For, the one our proxy appended. Addresses before it
    are whatever the client sent and are ignored.
    """
    if settings.BEHIND_TLS_PROXY:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")[-1].strip()
        if forwarded:
            return forwarded
    address: str | None = request.META.get("REMOTE_ADDR")
    return address


def lockout_message(request: HttpRequest | None = None) -> str:
    cool_off = get_cool_off(request)
    if getattr(request, "login_lock", None) == ADDRESS_LOCK:
        return _(
            "Too many failed logins (%(count)d) came from your network address, so logins from "
            "it are paused for %(minutes)d minutes, whatever the account. Logins from other "
            "addresses are not affected. If many colleagues share this address, ask an "
            "administrator."
        ) % {
            "count": settings.AXES_ADDRESS_FAILURE_LIMIT,
            "minutes": math.ceil(cool_off.total_seconds() / 60) if cool_off else 0,
        }
    if cool_off:
        return _(
            "This account is locked after %(count)d failed logins. Try again in %(minutes)d "
            "minutes, or ask an administrator to unlock it."
        ) % {
            "count": settings.AXES_FAILURE_LIMIT,
            "minutes": math.ceil(cool_off.total_seconds() / 60),
        }
    return _(
        "This account is locked after %(count)d failed logins. Ask an administrator to unlock it."
    ) % {"count": settings.AXES_FAILURE_LIMIT}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """The admin's own login page layout with the lockout message, status 429."""
    context = {
        **admin.site.each_context(request),
        "title": _("Log in"),
        "lockout_message": lockout_message(request),
    }
    # Rendered here: axes calls this from its middleware, after template responses are done.
    return render(
        request,
        "admin/locked_out.html",
        context,
        status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429),
    )


# Django 5.2 changed this message's msgid (%(min_length)d became %d) and its Chinese catalogue
# still has only the old one; listing it here puts a translation into the project's catalogue.
PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "count",
)
