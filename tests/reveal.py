"""The "what it reveals" matrix: every URL of the authorisation matrix (tests/matrix.py) rendered
as each role of one county, and everything it answered — HTML, JSON, every cell of every xlsx,
the messages left for the next page — searched for what that role must not learn:

- a whole ID or phone number, or the name, of a person of another county (any role);
- for a role that sees personal data masked, a whole ID or phone number or a full birth date of
  its own county's records (the birth date is the hidden middle of the ID number);
- for a role that may not read hardship files, any hardship fact: the names of the restricted
  record types and the dashboard figures counted from them;
- for every role but the one a record type reveals its people to (a model's own
  `personal_data_permission`: the counsellor role for 台工心港 bookings), the name, phone or ID
  number of anyone in such a record, of any county: who booked a consultation.

Beyond the requests the authorisation matrix makes, it searches every list and autocomplete by
prefixes of known ID and phone numbers, filters every list by `__startswith` on each personal
field, and imports into every sheet type the other county's records as exported in full. The
secrets are read from the database after the requests (every record with personal data, by the
county its scope path names), never from the code under test.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.utils import translation
from openpyxl import Workbook, load_workbook

from base import scope
from base.identity import PERSONAL_DATA_FIELDS, reveal_permission
from base.models import Region
from base.roles import RESTRICTED_MODELS, Role
from dashboards.catalogue import INDICATORS, SOURCES
from sheets.admin_views import resource_for_model
from sheets.selectors import can_import
from tests import factories, matrix
from workforce.models import Worker

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SEARCHED = ("id_number", "phone")


class RecordingClient(Client):
    """A test client that keeps every response it was given (redirects followed included)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.responses: list[Any] = []

    def request(self, **request: Any) -> Any:
        response = super().request(**request)
        self.responses.append(response)
        return response


@dataclass
class Secrets:
    """What one user must not find, each with the reason it would be a leak."""

    words: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # matched as whole words

    def found_in(self, text: str) -> list[str]:
        found = [why for word, why in self.words.items() if word in text]
        for name, why in self.names.items():
            if re.search(rf"(?<![A-Za-z0-9-]){re.escape(name)}(?![A-Za-z0-9-])", text):
                found.append(why)
        return found


def may_read(user: Any, model: type[models.Model]) -> bool:
    return matrix.may(user, model, "view")


def sees_in_full(user: Any, name: str, model: type[models.Model] | None = None) -> bool:
    return bool(user.has_perm(reveal_permission(model, name)))


def own_permission_models() -> list[type[models.Model]]:
    """Record types that reveal their people by a permission of their own (who booked a
    consultation): to anyone without it, every person in them is a secret, of any county."""
    return [model for model in apps.get_models() if getattr(model, "personal_data_permission", "")]


def birth_date_spellings(born: datetime.date) -> list[str]:
    return [
        f"{born.year}年{born.month}月{born.day}日",
        born.isoformat(),
        born.strftime("%Y%m%d"),
        f"{born.year}/{born.month}/{born.day}",
    ]


def personal_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if scope.is_scoped(model)
        and any(name in {f.name for f in model._meta.get_fields()} for name in SEARCHED)
    ]


def secrets_for(user: Any) -> Secrets:
    """Read from the database as it is now: every record with personal data, by county."""
    secrets = Secrets()
    for model in personal_models():
        names = {f.name for f in model._meta.get_fields()}
        columns = [name for name in SEARCHED if name in names]
        path = scope.scope_path(model)
        rows = model._default_manager.values_list(path, *columns)
        label = model._meta.label
        for code, *values in rows:
            county = (code or "")[:6]
            for column, value in zip(columns, values, strict=True):
                if not value:
                    continue
                if county != matrix.OWN_COUNTY:
                    secrets.words[value] = f"another county's {label}.{column} {value}"
                elif not sees_in_full(user, column, model):
                    secrets.words[value] = f"the own county's {label}.{column} in full"
                    if column == "id_number":
                        born = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
                        for spelling in birth_date_spellings(born):
                            secrets.words[spelling] = f"the birth date in {label}.{column}"
    for name, code in Worker.objects.values_list("name", "region_id"):
        if code[:6] != matrix.OWN_COUNTY:
            secrets.names[name] = f"the name of another county's worker {name}"
    for model in own_permission_models():
        label = model._meta.label
        hidden = not user.has_perm(model.personal_data_permission)  # type: ignore[attr-defined]
        path = scope.scope_path(model)
        for code, name, *numbers in model._default_manager.values_list(path, "name", *SEARCHED):
            if not hidden and (code or "")[:6] == matrix.OWN_COUNTY:
                continue
            why = f"who is in a {label}: {name}" if hidden else f"another county's {label} {name}"
            secrets.names[name] = why
            for number in filter(None, numbers):
                secrets.words[number] = why
    with translation.override("zh-hans"):
        for key in sorted(RESTRICTED_MODELS):
            model = apps.get_model(key)
            if not may_read(user, model):
                for word in {str(model._meta.verbose_name), str(model._meta.verbose_name_plural)}:
                    secrets.words[word] = f"a hardship fact: the record type {word}"
    return secrets


def catalogue_labels() -> list[str]:
    """Indicator names are vocabulary (a clerk sets a target for 在档困难职工) except on a
    dashboard, where a name stands beside its figure."""
    with translation.override("zh-hans"):
        return sorted((str(i.label) for i in INDICATORS), key=len, reverse=True)


def dashboard_secrets(user: Any) -> dict[str, str]:
    """On a dashboard: the names of the figures counted from records the user may not read."""
    found = {}
    with translation.override("zh-hans"):
        for indicator in INDICATORS:
            source = SOURCES[indicator.source].model_class() if indicator.source else None
            if source is not None and not may_read(user, source):
                label = str(indicator.label)
                found[label] = f"a hardship fact: the dashboard figure {label}"
    return found


def texts(response: Any) -> Iterator[str]:
    """What a response shows: its text, or every cell of a workbook."""
    if getattr(response, "streaming", False):
        return
    content = response.content
    kind = response.get("Content-Type", "")
    if kind.startswith(XLSX) or content[:2] == b"PK":
        book = load_workbook(io.BytesIO(content), read_only=True)
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                yield "\t".join("" if value is None else str(value) for value in row)
        return
    text = content.decode("utf-8", errors="replace")
    if kind.startswith("application/json"):
        with contextlib.suppress(ValueError):
            text = json.dumps(json.loads(text), ensure_ascii=False)
    yield text
    yield response.get("Content-Disposition", "")


def scan(user: Any, responses: list[Any]) -> list[str]:
    secrets = secrets_for(user)
    on_dashboards = Secrets(words={**secrets.words, **dashboard_secrets(user)}, names=secrets.names)
    labels = catalogue_labels()
    failures = []
    for response in responses:
        path = response.request["PATH_INFO"]
        query = response.request.get("QUERY_STRING", "")
        where = f"{response.request.get('REQUEST_METHOD', 'GET')} {path}"
        where += f"?{query}" if query else ""
        # What the user typed comes back in the search box: it is no leak.
        typed = [value for _name, value in parse_qsl(query) if len(value) > 1]
        # A report shows figures by name as a dashboard does.
        dashboard = path.startswith(("/dashboards/", "/reporting/"))
        for text in texts(response):
            for value in typed:
                # Only where it stands alone: a whole number that starts with it is still seen.
                text = re.sub(rf"(?<!\d){re.escape(value)}(?![\dXx])", "", text)
            if not dashboard:
                for label in labels:
                    text = text.replace(label, "")
            found = (on_dashboards if dashboard else secrets).found_in(text)
            failures += [f"{where} shows {why}" for why in found]
    return sorted(set(failures))


# --- requests beyond the authorisation matrix's ----------------------------------------------


def value_at(obj: Any, path: str) -> Any:
    for part in path.split("__"):
        obj = getattr(obj, part, None)
    return obj


def personal_search_paths(model_admin: Any) -> list[tuple[str, str]]:
    """(path, personal field) of each search field of an admin that reaches ID or phone."""
    found = []
    for spec in model_admin.search_fields:
        path = spec.lstrip("^=@")
        last = path.split("__")[-1]
        if last in SEARCHED:
            found.append((path, last))
    return found


def prefixes(value: str) -> list[str]:
    return [value[:n] for n in (len(value) - 1, len(value) - 5, 8) if 4 < n < len(value)]


def probe_searches(rule: matrix.Rule, user: Any, client: Client) -> list[str]:
    """A masked user finds no record by a prefix of its ID or phone number, in a list's search
    box or in a query-string filter."""
    model, model_admin = rule.model, rule.model_admin
    if not may_read(user, model):
        return []
    own = matrix.record_in(model, matrix.OWN_COUNTY)
    url = rule_url(model)
    failures = []
    for path, personal in personal_search_paths(model_admin):
        value = value_at(own, path)
        if not value or sees_in_full(user, personal, model):
            continue
        for prefix in prefixes(str(value)):
            response = client.get(url, {"q": prefix})
            listed = (
                {o.pk for o in response.context["cl"].result_list} if response.context else set()
            )
            if own.pk in listed:
                failures.append(f"{url}?q={prefix} finds a record by a prefix of its {personal}")
    names = {f.name for f in model._meta.get_fields()}
    for personal in (name for name in SEARCHED if name in names):
        value = getattr(own, personal, "")
        if not value or sees_in_full(user, personal, model):
            continue
        try:
            response = client.get(url, {f"{personal}__startswith": str(value)[:5]})
        except DisallowedModelAdminLookup:
            continue  # refused: the client re-raises what Django answers with a 400
        if response.status_code == 200:
            failures.append(f"{url}?{personal}__startswith= is allowed to a masked user")
    return failures


def rule_url(model: type[models.Model]) -> str:
    from django.urls import reverse

    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def probe_autocomplete(endpoint: matrix.Endpoint, user: Any, client: Client) -> list[str]:
    """Every autocomplete field: a prefix of a known number offers nothing to a masked user."""
    failures = []
    for model, model_admin in admin.site._registry.items():
        for field_name in model_admin.autocomplete_fields:
            target: Any = model._meta.get_field(field_name).related_model
            target_admin = admin.site._registry.get(target)
            if target_admin is None or not may_read(user, target):
                continue
            own = matrix.record_in(target, matrix.OWN_COUNTY)
            for path, personal in personal_search_paths(target_admin):
                value = value_at(own, path)
                if not value or sees_in_full(user, personal, target):
                    continue
                for prefix in prefixes(str(value)):
                    response = client.get(
                        endpoint.route,
                        {
                            "app_label": model._meta.app_label,
                            "model_name": str(model._meta.model_name),
                            "field_name": field_name,
                            "term": prefix,
                        },
                    )
                    offered = {str(item["id"]) for item in response.json()["results"]}
                    if str(own.pk) in offered:
                        failures.append(
                            f"autocomplete {model._meta.label}.{field_name} offers a record "
                            f"for a prefix of its {personal}"
                        )
    return failures


def probe_import(rule: matrix.Rule, endpoint: matrix.Endpoint, user: Any, client: Client) -> None:
    """Import, as the user, the other county's record of this sheet type exactly as a full
    export writes it: whatever the check answers is scanned with the rest."""
    resource = resource_for_model(rule.model)
    if resource is None or not can_import(user, resource):
        return
    other = matrix.record_in(rule.model, matrix.OTHER_COUNTY)
    reveal = set(PERSONAL_DATA_FIELDS)
    book = Workbook()
    sheet = book.active
    sheet.append([field.header for field in resource.sheet_fields().values()])
    for row in resource().export_rows(
        rule.model._default_manager.filter(pk=other.pk), reveal=reveal
    ):
        sheet.append(row)
    # Once as exported; once claimed for the own county under another name ("that number is
    # someone else's" must not say whose, nor where).
    own_county = Region.objects.get(code=matrix.OWN_COUNTY).name
    for claimed in (False, True):
        if claimed:
            names = set(Worker.objects.values_list("name", flat=True))
            regions = Region.objects.filter(code__startswith=matrix.OTHER_COUNTY)
            places = {value for r in regions for value in (r.code, r.name, str(r))}
            for row in sheet.iter_rows(min_row=2):
                for cell in row:
                    if cell.value in names:
                        cell.value = "某某某"
                    elif cell.value in places:
                        cell.value = own_county
        data = io.BytesIO()
        book.save(data)
        upload = SimpleUploadedFile("other.xlsx", data.getvalue())
        client.post(endpoint.url(), {"file": upload}, follow=True)


def referred_to(model: type[models.Model]) -> None:
    """Give the own county's record one referring record of every kind that can refer to it
    (a hardship case, an honour, …), so that a delete page has every kind to name or hide."""
    own = matrix.record_in(model, matrix.OWN_COUNTY)
    region = Region.objects.get(code=matrix.OWN_COUNTY)
    for relation in model._meta.related_objects:
        referring: Any = relation.related_model
        # Sub-regions are places, not records about anyone.
        if not relation.one_to_many or not scope.is_scoped(referring) or referring is Region:
            continue
        key = (f"referring-{referring._meta.label}-{relation.field.name}", matrix.OWN_COUNTY)
        # A record built in a region refers to it already; anything else is given as the field.
        place, refs = (own, {}) if model is Region else (region, {relation.field.name: own})
        matrix._once(
            key,
            lambda referring=referring, place=place, refs=refs: factories.build(  # type: ignore[misc]
                referring, place, **refs
            ),
        )


def check(
    rule: matrix.Rule, endpoint: matrix.Endpoint, role: Role, user: Any, client: RecordingClient
) -> list[str]:
    """Make the authorisation matrix's requests and this matrix's probes as `user`; return
    what any answer revealed that the role must not learn."""
    if rule.kind == "model" and rule.view == "delete" and scope.is_scoped(rule.model):
        referred_to(rule.model)
    if rule.kind in ("person_search", "growth"):
        # The person found (or whose growth record is opened) is named by a record of every
        # kind (a hardship case among them): only the kinds the role may read are shown.
        referred_to(Worker)
    matrix.check(rule, endpoint, role, user, client)
    failures: list[str] = []
    if rule.kind == "model" and rule.view == "changelist":
        failures += probe_searches(rule, user, client)
    if rule.kind == "model" and rule.view == "import":
        probe_import(rule, endpoint, user, client)
    if rule.kind == "site" and rule.view == "autocomplete":
        failures += probe_autocomplete(endpoint, user, client)
    # Messages left by a refused or redirected request show on the next page.
    client.get("/admin/")
    return failures + scan(user, client.responses)
