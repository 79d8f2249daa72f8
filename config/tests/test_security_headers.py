"""Security headers on every kind of page, and pages that need no inline script to work."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from base.models import Region
from base.roles import Role
from tests import factories
from workforce.models import Worker

pytestmark = pytest.mark.django_db


class ScriptAudit(HTMLParser):
    """Collects what a strict Content-Security-Policy would block in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts: list[str] = []
        self.event_handlers: list[str] = []
        self.javascript_urls: list[str] = []
        self.data_blocks = 0
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.event_handlers += [f"<{tag} {name}>" for name, _v in attrs if name.startswith("on")]
        self.javascript_urls += [
            f"<{tag} {name}>"
            for name, value in attrs
            if name in ("href", "src", "action")
            and (value or "").strip().lower().startswith("javascript:")
        ]
        if tag == "script" and "src" not in attributes:
            if attributes.get("type") == "application/json":
                self.data_blocks += 1  # data for the page's script: the browser never runs it
            else:
                self._in_inline_script = True
                self.inline_scripts.append("")

    def handle_data(self, data):
        if self._in_inline_script:
            self.inline_scripts[-1] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False


def audit(response) -> ScriptAudit:
    parser = ScriptAudit()
    parser.feed(response.content.decode())
    return parser


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.fixture
def pages(ruian_towns, login):
    """A logged-in admin's pages of every kind: admin index, list, add/change forms (with
    autocomplete and inline widgets), the import page, an import job, and the dashboard."""
    user = factories.staff("ra_admin", Role.ADMIN, "330381")
    worker = factories.build(Worker, Region.objects.get(code="330381"))
    client = login(user)
    urls = [
        reverse("admin:index"),
        reverse("admin:workforce_worker_changelist"),
        reverse("admin:workforce_worker_add"),
        reverse("admin:workforce_worker_change", args=[worker.pk]),
        reverse("admin:workforce_worker_history", args=[worker.pk]),
        reverse("admin:workforce_worker_import"),
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_password_change", args=[user.pk]),
        reverse("dashboards:region", args=["330381"]),
    ]
    return client, urls


def test_every_page_sends_a_policy_with_no_inline_or_eval_script(pages):
    client, urls = pages
    anonymous = [Client().get(reverse("admin:login"))]
    for response in anonymous + [client.get(url) for url in urls]:
        assert response.status_code == 200, response.request["PATH_INFO"]
        policy = directives(response)
        assert policy["script-src"] == ["'self'"]
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert "'unsafe-inline'" not in policy["style-src"]


def test_no_page_relies_on_inline_script_or_event_handlers(pages):
    client, urls = pages
    for url in [reverse("admin:login"), *urls]:
        response = client.get(url) if url != reverse("admin:login") else Client().get(url)
        found = audit(response)
        assert found.inline_scripts == [], url
        assert found.event_handlers == [], url
        assert found.javascript_urls == [], url


def test_the_dashboard_passes_its_chart_data_as_a_json_block_not_as_script(pages):
    client, _urls = pages
    found = audit(client.get(reverse("dashboards:region", args=["330381"])))
    assert found.data_blocks == 1
    assert found.inline_scripts == []


def test_pages_cannot_be_framed_and_do_not_leak_their_address(pages):
    client, urls = pages
    for response in [Client().get(reverse("admin:login")), *(client.get(url) for url in urls)]:
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_json_and_xlsx_responses_carry_the_headers_too(pages):
    client, _urls = pages
    for name in ("dashboards:data", "dashboards:export"):
        response = client.get(reverse(name, args=["330381"]))
        assert response.status_code == 200
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
