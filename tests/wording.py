"""What a page says to its reader, and the English (or raw stored codes such as `ride_hailing`)
in it.

`readable_text(html)` is what a user sees or a screen reader speaks: the text of the page (not
its scripts, styles or hidden inputs) and the attributes read aloud or shown (aria-label, title,
alt, placeholder, the value of a button). `english_in(html)` is every word of Latin letters in
it that is not on the short allow-list of things that stay as they are (units, file types,
programme names, key names); a raw choice code is such a word too, so it is caught the same way.
`pages(user)` names every admin page a role meets for a record of its own county.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from base.roles import DOMAIN_APPS
from tests import matrix
from workforce.models import Worker

# Latin-letter words that stay as they are in a Chinese office system.
ALLOWED = frozenset(
    {
        "FU",  # 光FU行, the programme's own name
        "kW",  # installed capacity
        "xlsx",  # file names
        "Excel",
        "WPS",
        "Ctrl",  # key names in the selection hint
        "Command",
        "Mac",
        "SHA",  # a file's SHA-256 fingerprint
        # Psychological scales go by their own names in Chinese practice too (台工心港)
        "SCL",
        "PHQ",
        "GAD",
        "PSS",
    }
)
SPOKEN_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")
# Everything else counts, hidden or not: a script shows it (the "select all" question, an empty
# inline row) or a screen reader reads it.
SKIPPED_ELEMENTS = {"script", "style"}
ADDRESS = re.compile(r"/[\w/.-]*")
WORD = re.compile(r"[A-Za-z][A-Za-z_]+")


class _Reader(HTMLParser):
    VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)

    @property
    def skipping(self) -> bool:
        return any(skipped for _tag, skipped in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        skipped = tag in SKIPPED_ELEMENTS
        if not self.skipping and not skipped:
            self.parts += [values[name] for name in SPOKEN_ATTRIBUTES if values.get(name)]
            kind = values.get("type", "")
            if tag == "input" and kind in ("submit", "button", "reset") and values.get("value"):
                self.parts.append(values["value"])
        if tag not in self.VOID:
            self.stack.append((tag, skipped))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        # Close up to the matching element (browsers forgive unclosed <p>, <li>, <option>).
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self.skipping and data.strip():
            self.parts.append(data.strip())


def readable_text(html: str) -> list[str]:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.parts


def english_in(html: str, *, also_allowed: frozenset[str] = frozenset()) -> list[str]:
    """Each piece of readable text with a word of English (or a raw code) in it."""
    found = []
    for part in readable_text(html):
        if ADDRESS.fullmatch(part):
            continue  # a page's address (the access log names the page it logged), a code
        words = [w for w in WORD.findall(part) if w not in ALLOWED | also_allowed]
        if words:
            found.append(f"{', '.join(sorted(set(words)))} in “{part[:80]}”")
    return found


def usernames() -> frozenset[str]:
    """Account names are the users' own (proper nouns): shown as they are."""
    names = get_user_model().objects.values_list("username", flat=True)
    return frozenset(word for name in names for word in WORD.findall(name))


PAGE_VIEWS = ("changelist", "add", "change", "history", "delete")


def pages(user: Any) -> Iterator[tuple[str, str]]:
    """(what, url) of every admin page of every registered model, for a record of the user's
    own county: the list (plain, searched, and with every filter's first choice applied), the
    add form, and a record's change, history and delete pages; then the home page, each
    section's page, the to-do page, and what a record of another county or none at all shows."""
    for endpoint in matrix.endpoints():
        rule = matrix.classify(endpoint)
        if rule is None or rule.kind != "model" or rule.view not in PAGE_VIEWS:
            continue
        model = rule.model
        if model._meta.app_label == "django_tasks_database":
            continue
        label = f"{model._meta.label} {rule.view}"
        if rule.view in ("changelist", "add"):
            url = endpoint.url()
            yield label, url
            if rule.view == "changelist":
                yield f"{label} searched", f"{url}?q=王"
                yield from _filtered(label, url, rule.model_admin, user)
            continue
        record = matrix.record_in(model, matrix.OWN_COUNTY)
        _link_something(record)
        yield f"{label} (own record)", endpoint.url(object_id=record.pk)
    yield "home page", reverse("admin:index")
    for app_label in DOMAIN_APPS:
        yield f"{app_label} app", reverse("admin:app_list", args=[app_label])
    yield "to-do page", reverse("todo")
    worker = matrix.record_in(Worker, matrix.OTHER_COUNTY)
    yield "another county's record", reverse("admin:workforce_worker_change", args=[worker.pk])
    yield "a missing record", reverse("admin:workforce_worker_history", args=[10**9])


def _link_something(record: Any) -> None:
    """Fill the record's many-to-many fields with one record each: their link rows show on the
    delete confirmation and in the history."""
    for field in record._meta.local_many_to_many:
        target = matrix.record_in(field.related_model, matrix.OWN_COUNTY)
        getattr(record, field.name).add(target)


def _filtered(label: str, url: str, model_admin: Any, user: Any) -> Iterator[tuple[str, str]]:
    """The list with each filter's first choice applied (the filter panel then shows the
    chosen value and the "clear" links)."""
    from django.test import RequestFactory

    request = RequestFactory().get(url)
    request.user = user
    if not model_admin.has_view_permission(request):
        return
    changelist = model_admin.get_changelist_instance(request)
    for spec in changelist.filter_specs:
        for choice in spec.choices(changelist):
            query = choice.get("query_string", "")
            if not choice.get("selected") and query and query != "?":
                yield f"{label} filtered {spec.title}", f"{url}{query}"
                break


def registered_models() -> set[Any]:
    return {
        model for model in admin.site._registry if model._meta.app_label != "django_tasks_database"
    }
