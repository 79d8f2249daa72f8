"""The authorisation matrix: every URL the project serves, classified, and what each of the four
roles of one county must get there — for a record of their own county and one of another.

`endpoints()` walks the URL configuration; `classify()` names the rule an endpoint falls under
(None when it cannot tell: the matrix test then fails, so a new URL is never left unchecked);
`check()` requests the endpoint as a user and returns what went wrong, in words. Expectations
come from the role's permissions (synced from the rule table of docs/design.md §3) and the scope rule,
never from the admin classes under test.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.generic import RedirectView
from openpyxl import load_workbook

from base import scope
from base.identity import PERSONAL_DATA_FIELDS, reveal_permission
from base.models import Region
from base.roles import DOMAIN_APPS, PROVINCE_KEPT_MODELS, Role, keeps_province_table
from sheets.admin_views import resource_for_model
from sheets.models import ImportJob, JobStatus
from sheets.resources import all_resources
from sheets.selectors import can_import
from tests import factories
from workforce.models import Worker

OWN_COUNTY, OTHER_COUNTY = "330381", "330382"  # 瑞安市, 乐清市 (both 温州市)
REFUSED = (403, 404)


@dataclass(frozen=True)
class Endpoint:
    route: str
    name: str | None
    callback: Callable[..., Any]
    urlconf: str | None = None

    def url(self, *args: Any, **kwargs: Any) -> str:
        if self.name:
            return reverse(
                self.name, args=args or None, kwargs=kwargs or None, urlconf=self.urlconf
            )
        return fill(self.route, **kwargs)

    @property
    def label(self) -> str:
        return self.name or self.route


def endpoints(urlconf: str | None = None) -> list[Endpoint]:
    def walk(resolver: URLResolver, prefix: str, namespace: str) -> Iterator[Endpoint]:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                yield from walk(pattern, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}{pattern.name}" if pattern.name else None
                yield Endpoint(prefix + str(pattern.pattern), name, pattern.callback, urlconf)

    return list(walk(get_resolver(urlconf), "/", ""))


# --- classification -------------------------------------------------------------------------

MODEL_LIST_VIEWS = ("changelist", "add", "import", "export", "template")
MODEL_OBJECT_VIEWS = ("change", "history", "delete", "simple_history", "password_change")
JOB_VIEWS = ("status", "errors", "confirm", "headers", "undo")
# A worker's 成长档案 (growth record): the page and its workbook.
GROWTH_VIEWS = ("growth", "growth_xlsx")
SITE_PAGES = {
    "index",
    "app_list",
    "jsi18n",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "autocomplete",
    "view_on_site",
    "tables",
}


@dataclass(frozen=True)
class Rule:
    kind: str  # model | job | site | dashboard | redirect | language
    view: str = ""
    model_admin: Any = None

    @property
    def model(self) -> type[models.Model]:
        return self.model_admin.model


def _model_admin_of(callback: Any) -> admin.ModelAdmin[Any] | None:
    owner = getattr(callback, "model_admin", None)
    if owner is None:
        owner = getattr(getattr(callback, "__wrapped__", None), "__self__", None)
    return owner if isinstance(owner, admin.ModelAdmin) else None


def classify(endpoint: Endpoint) -> Rule | None:
    name, callback = endpoint.name or "", endpoint.callback
    if getattr(callback, "view_class", None) is RedirectView:
        return Rule("redirect")
    if endpoint.route.endswith("(?P<url>.*)$"):
        return Rule("site", "catch_all")
    model_admin = _model_admin_of(callback)
    if model_admin is not None:
        opts = model_admin.model._meta
        prefix = f"{opts.app_label}_{opts.model_name}_"
        short = name.rpartition(":")[2]
        view = short[len(prefix) :] if short.startswith(prefix) else ""
        if opts.label_lower == "sheets.importjob" and view in JOB_VIEWS:
            return Rule("job", view, model_admin)
        if view in MODEL_LIST_VIEWS + MODEL_OBJECT_VIEWS:
            return Rule("model", view, model_admin)
        if opts.label_lower == "workforce.worker" and view in GROWTH_VIEWS:
            return Rule("growth", view, model_admin)
        return None
    short = name.rpartition(":")[2]
    if name.startswith(("admin:", "matrix_admin:")) and short in SITE_PAGES:
        return Rule("site", short)
    if name.startswith("dashboards:") and short in ("index", "region", "data", "export"):
        return Rule("dashboard", short)
    if name == "set_language":
        return Rule("language")
    if name == "todo":
        return Rule("todo")
    if name == "admin:find_person":
        return Rule("person_search")
    if name.startswith("reporting:"):
        return Rule("reporting", short)
    return None


# --- the records each check needs -----------------------------------------------------------


_records: dict[tuple[Any, str], models.Model] = {}


def forget_records() -> None:
    """Call when the database is rolled back (each test): the records built are gone."""
    _records.clear()


def record_in(model: type[models.Model], county: str) -> models.Model:
    """One record of `model` in `county`, built once per test."""
    return _once((model, county), lambda: _build_in(model, county))


def _once(key: tuple[Any, str], build: Callable[[], models.Model]) -> models.Model:
    if key not in _records:
        _records[key] = build()
    return _records[key]


def _build_in(model: type[models.Model], county: str) -> models.Model:
    if model is Region:
        return factories.town(f"{county}001")
    if model is get_user_model():
        return factories.staff(f"account_{county}", Role.CLERK, county)
    if model is ImportJob:
        # Someone else's import: a clerk of that county uploaded it.
        return job_in(county, "workers", owner=uploader(county))
    return factories.build(model, Region.objects.get(code=county))


def uploader(county: str) -> Any:
    return _once(
        (get_user_model(), f"uploader-{county}"),
        lambda: factories.staff(f"uploader_{county}", Role.CLERK, county),
    )


def job_in(county: str, resource: str, *, owner: Any = None, failed: bool = False) -> ImportJob:
    # A failed check has an error workbook to download; a done import has none.
    errors = [{"row": 2, "column": "身份证号", "message": "—"}] if failed else []
    return ImportJob.objects.create(
        user=owner,
        region=Region.objects.get(code=county),
        resource=resource,
        file_name=f"{county}.xlsx",
        sha256="0" * 64,
        data=b"",
        status=JobStatus.FAILED if failed else JobStatus.DONE,
        errors=len(errors),
        report={"resource": resource, "errors": errors, "preview": [], "notes": []},
    )


def is_scoped(model: type[models.Model]) -> bool:
    return model is get_user_model() or scope.is_scoped(model)


# --- expectations and checks ----------------------------------------------------------------


def may(user: Any, model: type[models.Model], action: str) -> bool:
    opts = model._meta
    if opts.label_lower in PROVINCE_KEPT_MODELS and action != "view":
        # The province's own reference tables: written only by a province-wide scope.
        return keeps_province_table(user, opts.label_lower)
    return bool(user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"))


def sees_personal_data(user: Any, model: type[models.Model]) -> bool:
    names = {field.name for field in model._meta.get_fields()}
    return all(
        user.has_perm(reveal_permission(model, name))
        for name in PERSONAL_DATA_FIELDS
        if name in names
    )


def fill(route: str, **values: Any) -> str:
    """The route with its parameters replaced by values (by parameter name)."""

    def replace(match: re.Match[str]) -> str:
        return str(values[match.group("name")])

    return re.sub(r"<(?:\w+:)?(?P<name>\w+)>", replace, route)


def check(rule: Rule, endpoint: Endpoint, role: Role, user: Any, client: Client) -> list[str]:
    checker = CHECKS[rule.kind]
    return checker(rule, endpoint, role, user, client)


def _status(response: Any, expected: tuple[int, ...] | int, what: str) -> list[str]:
    expected = (expected,) if isinstance(expected, int) else expected
    if response.status_code in expected:
        return []
    return [f"{what}: answered {response.status_code}, expected {' or '.join(map(str, expected))}"]


def _check_model(
    rule: Rule, endpoint: Endpoint, role: Role, user: Any, client: Client
) -> list[str]:
    model = rule.model
    own, other = record_in(model, OWN_COUNTY), record_in(model, OTHER_COUNTY)
    if model is ImportJob:
        # An import job is its owner's and their admins': the user's own job plays the own
        # county's record, and a colleague's job is one more record only an admin may see.
        colleagues = own
        # A job of a sheet type the user may read (the counsellor reads no workers).
        readable = "workers" if may(user, Worker, "view") else "counselling-lectures"
        own = _once((ImportJob, f"own-{user.pk}"), lambda: job_in(OWN_COUNTY, readable, owner=user))
        failures = _check_model_records(rule, endpoint, user, client, own, other)
        return failures + _colleagues_job(rule, endpoint, client, colleagues, role == Role.ADMIN)
    return _check_model_records(rule, endpoint, user, client, own, other)


def _colleagues_job(
    rule: Rule, endpoint: Endpoint, client: Client, job: Any, sees: bool
) -> list[str]:
    """A colleague's import: listed and open for an admin of the scope, for everyone else not
    listed and 404 on its pages."""
    if rule.view == "changelist":
        response = client.get(endpoint.url())
        if response.status_code != 200:
            return []  # the list itself is checked with the user's own job
        listed = job.pk in {o.pk for o in response.context["cl"].result_list}
        if listed != sees:
            return [f"{endpoint.url()} {'omits' if sees else 'lists'} a colleague's import job"]
        return []
    if rule.view in ("change", "history"):
        url = endpoint.url(object_id=job.pk)
        return _status(client.get(url), 200 if sees else 404, f"GET {url} (a colleague's import)")
    return []


def _check_model_records(
    rule: Rule, endpoint: Endpoint, user: Any, client: Client, own: Any, other: Any
) -> list[str]:
    model, view = rule.model, rule.view
    scoped = is_scoped(model)
    resource = resource_for_model(model)
    failures: list[str] = []
    if view in MODEL_LIST_VIEWS:
        url = endpoint.url()
        allowed = {
            "changelist": may(user, model, "view"),
            "add": may(user, model, "add"),
            "import": resource is not None and can_import(user, resource),
            "export": resource is not None and may(user, model, "view"),
            "template": resource is not None and may(user, model, "view"),
        }[view]
        response = client.get(url)
        failures += _status(response, 200 if allowed else 403, f"GET {url}")
        if allowed and view == "changelist":
            listed = {obj.pk for obj in response.context["cl"].result_list}
            if own.pk not in listed:
                failures.append(f"{url} does not list the own county's record")
            if scoped and other.pk in listed:
                failures.append(f"{url} lists a record of another county")
        if allowed and view == "export":
            sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
            rows = sum(1 for _row in sheet.iter_rows())
            expected_rows = (
                scope.filter_for_user(model._default_manager.all(), user).count()
                if scoped
                else model._default_manager.count()
            )
            if rows - 1 != expected_rows:
                failures.append(f"{url} exports {rows - 1} rows, the scope holds {expected_rows}")
        return failures

    action = {"delete": "delete", "password_change": "change"}.get(view, "view")
    allowed = may(user, model, action)
    if view == "simple_history":
        # A past version's form, read-only without the change right; it shows every old value
        # in full, so only to those who may see the personal data in it.
        allowed = allowed and sees_personal_data(user, model)
    for record, whose in ((own, "own"), (other, "other")):
        if view == "simple_history":
            version = record.history.latest().history_id
            url = endpoint.url(record.pk, version)
        elif model is get_user_model() and view == "password_change":
            url = endpoint.url(id=record.pk)
        else:
            url = endpoint.url(object_id=record.pk)
        if whose == "own" or not scoped:
            failures += _status(client.get(url), 200 if allowed else 403, f"GET {url} ({whose})")
        else:
            failures += _status(client.get(url), REFUSED, f"GET {url} (another county)")
    return failures


def _check_job(rule: Rule, endpoint: Endpoint, role: Role, user: Any, client: Client) -> list[str]:
    failures: list[str] = []
    # A job of a sheet type the role may not read is as closed to it as the records are; a job
    # belongs to its owner and the owner's admins; another county's job to neither.
    for resource_name in ("workers", "hardship-cases"):
        resource = all_resources()[resource_name]
        visible = may(user, resource.model, "view")
        failed = rule.view == "errors"
        jobs = (
            (job_in(OWN_COUNTY, resource_name, owner=user, failed=failed), "own", visible),
            (
                job_in(OWN_COUNTY, resource_name, owner=uploader(OWN_COUNTY), failed=failed),
                "a colleague's",
                visible and role == Role.ADMIN,
            ),
            (
                job_in(OTHER_COUNTY, resource_name, owner=uploader(OTHER_COUNTY), failed=failed),
                "other",
                False,
            ),
        )
        for job, whose, sees in jobs:
            url = endpoint.url(pk=job.pk)
            method = client.post if rule.view in ("confirm", "headers", "undo") else client.get
            response = method(url)
            if not sees:
                failures += _status(response, 404, f"{url} ({whose}, {resource_name})")
            elif rule.view in ("confirm", "headers", "undo"):
                # The owner confirms and maps headers; the owner or an admin undoes; a refusal
                # is 403.
                failures += _status(response, (200, 302, 403), f"{url} ({whose}, {resource_name})")
            else:
                failures += _status(response, 200, f"{url} ({whose}, {resource_name})")
    return failures


def _check_site(rule: Rule, endpoint: Endpoint, role: Role, user: Any, client: Client) -> list[str]:
    view = rule.view
    if view == "app_list":
        failures = []
        for app_label in DOMAIN_APPS:
            url = f"/admin/{app_label}/"
            has_any = user.has_module_perms(app_label)
            failures += _status(client.get(url), 200 if has_any else 404, f"GET {url}")
        return failures
    if view == "autocomplete":
        return _check_autocomplete(endpoint, user, client)
    if view == "view_on_site":
        # No record has a public page: the shortcut must not reveal anything for any record.
        other = record_in(get_user_model(), OTHER_COUNTY)
        url = endpoint.url(content_type_id=1, object_id=other.pk)
        return _status(client.get(url), REFUSED, f"GET {url}")
    if view == "catch_all":
        return _status(client.get("/admin/no-such-page/"), 404, "GET /admin/no-such-page/")
    if view == "logout":
        return _status(client.post(endpoint.route), 200, f"POST {endpoint.route}")
    expected = (302,) if view == "login" else (200,)
    return _status(client.get(endpoint.route), expected, f"GET {endpoint.route}")


def _check_autocomplete(endpoint: Endpoint, user: Any, client: Client) -> list[str]:
    """Every autocomplete field of every admin offers only records of the user's scope."""
    failures: list[str] = []
    for model, model_admin in admin.site._registry.items():
        for field_name in model_admin.autocomplete_fields:
            target: Any = model._meta.get_field(field_name).related_model
            own, other = record_in(target, OWN_COUNTY), record_in(target, OTHER_COUNTY)
            response = client.get(
                endpoint.route,
                {
                    "app_label": model._meta.app_label,
                    "model_name": str(model._meta.model_name),
                    "field_name": field_name,
                },
            )
            what = f"autocomplete {model._meta.label}.{field_name}"
            # Django asks for the right to view the offered records (the target), as it should.
            if not may(user, target, "view"):
                failures += _status(response, 403, what)
                continue
            failures += _status(response, 200, what)
            if response.status_code != 200:
                continue
            offered = {str(item["id"]) for item in response.json()["results"]}
            if str(own.pk) not in offered and response.json()["pagination"]["more"] is False:
                failures.append(f"{what} does not offer the own county's record")
            if is_scoped(target) and str(other.pk) in offered:
                failures.append(f"{what} offers a record of another county")
    return failures


def _check_dashboard(
    rule: Rule, endpoint: Endpoint, role: Role, user: Any, client: Client
) -> list[str]:
    if rule.view == "index":
        return _status(client.get(endpoint.route), 302, f"GET {endpoint.route}")
    failures: list[str] = []
    for code, expected in ((OWN_COUNTY, 200), (OTHER_COUNTY, 404), ("330000", 404)):
        url = endpoint.url(code=code)
        failures += _status(client.get(url), expected, f"GET {url}")
    return failures


def _check_redirect(
    rule: Rule, endpoint: Endpoint, role: Role, user: Any, client: Client
) -> list[str]:
    # A bare redirect (to the admin, or from /admin/<model>/<id>/ to its change page): the page
    # it leads to is checked on its own.
    url = endpoint.url() if endpoint.name else fill(endpoint.route, object_id=1)
    return _status(client.get(url), (301, 302), f"GET {url}")


def _check_language(
    rule: Rule, endpoint: Endpoint, role: Role, user: Any, client: Client
) -> list[str]:
    return _status(client.post(endpoint.route, {"language": "en"}), 302, f"POST {endpoint.route}")


def _check_todo(rule: Rule, endpoint: Endpoint, role: Role, user: Any, client: Client) -> list[str]:
    """The to-do page lists what waits in the user's scope — never another county's work — and
    only the lists the role may read."""
    import datetime

    from programs.models import ServiceProblem
    from welfare.models import CaseStatus, Dispatch, DispatchStatus, HardshipCase

    long_ago = datetime.date(2020, 1, 1)
    waiting: dict[str, tuple[type[models.Model], dict[str, Any]]] = {
        "dispatches": (
            Dispatch,
            {"status": DispatchStatus.RECEIVED, "received_on": long_ago, "due_on": long_ago},
        ),
        "reviews": (HardshipCase, {"status": CaseStatus.FILED, "filed_on": long_ago}),
        "problems": (ServiceProblem, {}),
    }

    def waiting_in(section: str, county: str) -> models.Model:
        model, values = waiting[section]
        region = Region.objects.get(code=county)
        return _once((f"todo-{section}", county), lambda: factories.build(model, region, **values))

    records = {
        section: {county: waiting_in(section, county) for county in (OWN_COUNTY, OTHER_COUNTY)}
        for section in waiting
    }
    craftsmen = {county: _craftsman_due_in(county) for county in (OWN_COUNTY, OTHER_COUNTY)}
    occasions = {county: _occasion_waiting_in(county) for county in (OWN_COUNTY, OTHER_COUNTY)}
    response = client.get(endpoint.url())
    failures = _status(response, 200, f"GET {endpoint.url()}")
    if failures:
        return failures
    for section, (model, _values) in waiting.items():
        shown = response.context[section]
        if not may(user, model, "view"):
            if shown is not None:
                failures.append(f"to-do page shows {section} to a role that may not read them")
            continue
        rows = shown["rows"] if isinstance(shown, dict) else shown
        pks = {getattr(row, "pk", None) or next(iter(row.values())).pk for row in rows}
        if records[section][OWN_COUNTY].pk not in pks:
            failures.append(f"to-do page misses the own county's {section}")
        if records[section][OTHER_COUNTY].pk in pks:
            failures.append(f"to-do page shows another county's {section}")
    return (
        failures
        + _check_benefits_due(role, user, response, craftsmen)
        + _check_visits_due(role, user, response, occasions)
    )


def _craftsman_due_in(county: str) -> Any:
    """A 浙江工匠 of 2023 who has taken no benefit: due every one of them (礼遇工匠)."""
    from workforce.models import Honour, HonourTitle

    def build() -> Any:
        person = factories.build(Worker, Region.objects.get(code=county))
        title = HonourTitle.objects.get(name="浙江工匠")
        factories.build(Honour, person.region, worker=person, title=title, year=2023)
        return person

    return _once(("todo-benefits", county), build)


def _check_benefits_due(
    role: Role, user: Any, response: Any, craftsmen: dict[str, Any]
) -> list[str]:
    """礼遇工匠: a craftsman of each county is due a benefit; the welfare officers and admins
    see their own county's, never another's, with the ID number masked whatever their rights
    (a list never shows a full number: the worker's page does, and logs it)."""
    from base.identity import mask_id_number

    own, other = craftsmen[OWN_COUNTY], craftsmen[OTHER_COUNTY]
    shown = response.context["benefits"]
    if role not in (Role.ADMIN, Role.WELFARE):
        return (
            [] if shown is None else ["to-do page shows the craftsmen due to a role not given it"]
        )
    failures: list[str] = []
    if shown is None:
        return ["to-do page omits the craftsmen due a benefit"]
    people = {row["due"].worker.pk: row["id_number"] for row in shown["rows"]}
    if own.pk not in people:
        failures.append("to-do page misses the own county's craftsman due a benefit")
    elif (
        people[own.pk] != mask_id_number(own.id_number)
        or own.id_number in response.content.decode()
    ):
        failures.append("to-do page shows a craftsman's ID number unmasked")
    if other.pk in people:
        failures.append("to-do page shows another county's craftsman due a benefit")
    return failures


def _occasion_waiting_in(county: str) -> Any:
    """A 六必访 occasion of 2020 no visit answers: it waits on the to-do page."""
    import datetime

    from welfare.models import CareOccasion

    region = Region.objects.get(code=county)
    return _once(
        ("todo-visits", county),
        lambda: factories.build(CareOccasion, region, happened_on=datetime.date(2020, 1, 1)),
    )


def _check_visits_due(role: Role, user: Any, response: Any, occasions: dict[str, Any]) -> list[str]:
    """六必访: an occasion of each county waits for a visit; the welfare officers and admins see
    their own county's, never another's (the occasions are restricted like the hardship files),
    with the ID number masked whatever their rights."""
    from base.identity import mask_id_number

    own, other = occasions[OWN_COUNTY], occasions[OTHER_COUNTY]
    shown = response.context["visits"]
    if role not in (Role.ADMIN, Role.WELFARE):
        return [] if shown is None else ["to-do page shows the visits due to a role not given it"]
    if shown is None:
        return ["to-do page omits the occasions waiting for a visit"]
    failures: list[str] = []
    waiting = {
        row["due"].occasion.pk: row["id_number"] for row in shown["rows"] if row["due"].occasion
    }
    if own.pk not in waiting:
        failures.append("to-do page misses the own county's occasion waiting for a visit")
    elif (
        waiting[own.pk] != mask_id_number(own.worker.id_number)
        or own.worker.id_number in response.content.decode()
    ):
        failures.append("to-do page shows a visited worker's ID number unmasked")
    if other.pk in waiting:
        failures.append("to-do page shows another county's occasion waiting for a visit")
    return failures


def _check_person_search(
    rule: Rule, endpoint: Endpoint, role: Role, user: Any, client: Client
) -> list[str]:
    """The one box finds the own county's person by every form a user may type — never another
    county's, whatever is typed (their whole ID number, its last four, their name)."""
    from base.identity import mask_id_number

    own: Any = record_in(Worker, OWN_COUNTY)
    other: Any = record_in(Worker, OTHER_COUNTY)
    failures: list[str] = []
    for person, expected in ((own, True), (other, False)):
        terms = [
            person.id_number,
            person.id_number[-4:],
            person.phone[-4:],
            person.phone,
            person.name,
            mask_id_number(person.id_number),
        ]
        for term in terms:
            url = endpoint.url()
            response = client.get(url, {"q": term})
            failures += _status(response, 200, f"GET {url}?q={term}")
            if response.status_code != 200:
                continue
            found = {row["person"].pk for row in response.context["results"]}
            if expected and person.pk not in found:
                failures.append(f"{url}?q={term} does not find the own county's worker")
            if not expected and person.pk in found:
                failures.append(f"{url}?q={term} finds another county's worker")
    return failures


def _check_growth(
    rule: Rule, endpoint: Endpoint, role: Role, user: Any, client: Client
) -> list[str]:
    """A worker's growth record opens for every role that may read the worker, with the ID and
    phone numbers as the role sees them (in full or masked); another county's worker is a 404,
    as the worker's own page answers."""
    from base.identity import mask_id_number, mask_phone

    own: Any = record_in(Worker, OWN_COUNTY)
    other: Any = record_in(Worker, OTHER_COUNTY)
    failures: list[str] = []
    allowed = may(user, Worker, "view")
    url = endpoint.url(object_id=own.pk)
    response = client.get(url)
    failures += _status(response, 200 if allowed else 403, f"GET {url} (own)")
    if allowed and response.status_code == 200:
        if rule.view == "growth_xlsx":
            book = load_workbook(io.BytesIO(response.content), read_only=True)
            text = "\t".join(
                str(value)
                for sheet in book.worksheets
                for row in sheet.iter_rows(values_only=True)
                for value in row
                if value is not None
            )
        else:
            text = response.content.decode()
        full = user.has_perm(PERSONAL_DATA_FIELDS["id_number"][0])
        expected_id = own.id_number if full else mask_id_number(own.id_number)
        if expected_id not in text:
            failures.append(f"{url} does not show the ID number {'in full' if full else 'masked'}")
        full_phone = user.has_perm(PERSONAL_DATA_FIELDS["phone"][0])
        expected_phone = own.phone if full_phone else mask_phone(own.phone)
        if expected_phone not in text:
            failures.append(
                f"{url} does not show the phone {'in full' if full_phone else 'masked'}"
            )
    url = endpoint.url(object_id=other.pk)
    # A role that reads no worker (the counsellor) is refused before any worker is looked up.
    failures += _status(client.get(url), 404 if allowed else 403, f"GET {url} (another county)")
    return failures


ROUND_VIEWS = ("round", "round_xlsx")
SUBMISSION_VIEWS = ("submission", "submission_json", "submission_xlsx")


def reporting_rounds(role: Role) -> dict[str, Any]:
    """A round of the own city asking every indicator (one per role: an action of one role must
    not change what the next one finds) and a round of another city the county never sees."""
    from dashboards.catalogue import INDICATORS
    from reporting import services
    from reporting.models import Submission

    def open_round(city: str, name: str) -> Any:
        opener = _once(
            (get_user_model(), f"opener-{city}"),
            lambda: factories.staff(f"opener_{city}", Role.ADMIN, city),
        )
        return services.round_open(
            by=opener,
            region=Region.objects.get(code=city),
            name=name,
            year=2026,
            kind="annual",
            part=1,
            indicators=[i.key for i in INDICATORS],
            due_on=datetime.date(2099, 12, 31),
        )

    own_round: Any = _once(("round", role), lambda: open_round("330300", f"年报-{role}"))
    foreign: Any = _once(("round", "foreign"), lambda: open_round("330200", "宁波年报"))
    return {
        "round": own_round,
        "foreign": foreign,
        "own": Submission.objects.get(round=own_round, region=OWN_COUNTY),
        "other": Submission.objects.get(round=own_round, region=OTHER_COUNTY),
        "foreign_submission": foreign.submissions.order_by("pk").first(),
    }


def _check_reporting(
    rule: Rule, endpoint: Endpoint, role: Role, user: Any, client: Client
) -> list[str]:
    """Reporting rounds: every role of the county sees its city's round and its own county's
    report, never another county's report nor another city's round; nobody of a county opens a
    round or reviews; admins submit, admins and clerks write the 说明 (reporting/rules.py)."""
    from reporting.models import Figure, Status, Submission

    made = reporting_rounds(role)
    view = rule.view
    failures: list[str] = []
    if view == "index":
        response = client.get(endpoint.url())
        failures += _status(response, 200, f"GET {endpoint.url()}")
        if response.status_code == 200:
            listed = {row["round"].pk for row in response.context["rows"]}
            if made["round"].pk not in listed:
                failures.append("the rounds page omits the own city's round")
            if made["foreign"].pk in listed:
                failures.append("the rounds page lists another city's round")
        return failures
    if view == "round_new":
        return _status(client.get(endpoint.url()), 403, f"GET {endpoint.url()}")
    if view in ROUND_VIEWS:
        cases = [
            (endpoint.url(pk=made["round"].pk), 200),
            (endpoint.url(pk=made["foreign"].pk), 404),
            (f"{endpoint.url(pk=made['round'].pk)}?region={OTHER_COUNTY}", 404),
            (f"{endpoint.url(pk=made['round'].pk)}?region=330300", 404),
        ]
        for url, expected in cases:
            failures += _status(client.get(url), expected, f"GET {url}")
        return failures
    if view == "round_act":
        # Only the opener's (the city's) admins move a due date or withdraw a round.
        round_, foreign = made["round"], made["foreign"]
        url = endpoint.url(pk=foreign.pk)
        failures += _status(client.post(url, {"action": "withdraw", "reason": "x"}), 404, url)
        url = endpoint.url(pk=round_.pk)
        due = round_.due_on
        later = (due - datetime.timedelta(days=1)).isoformat()
        client.post(url, {"action": "due", "due_on": later, "reason": "matrix"})
        client.post(url, {"action": "withdraw", "reason": "matrix", "confirm": "yes"})
        kept = type(round_).objects.filter(pk=round_.pk, due_on=due).exists()
        if not kept:
            failures.append(f"POST {url}: a county's {role} changed or withdrew the city's round")
        return failures
    if view in SUBMISSION_VIEWS:
        for record, expected in (
            (made["own"], 200),
            (made["other"], 404),
            (made["foreign_submission"], 404),
        ):
            url = endpoint.url(pk=record.pk)
            failures += _status(client.get(url), expected, f"GET {url}")
        return failures
    # The actions: refused for another county's report as if it did not exist; for the own
    # county's, done only by the roles the rules name.
    own, other = made["own"], made["other"]
    url = endpoint.url(pk=other.pk)
    failures += _status(client.post(url, {"action": "note", "note-workers": "x"}), 404, url)
    url = endpoint.url(pk=own.pk)
    client.post(url, {"action": "note", "note-workers": "matrix", "version": own.version})
    noted = Figure.objects.filter(submission=own, key="workers", note="matrix").exists()
    if noted != (role in (Role.ADMIN, Role.CLERK)):
        failures.append(f"POST {url} note: {'written' if noted else 'refused'} for {role}")
    user.last_name, user.first_name = "林", "晓东"  # a report is signed with a full name
    user.save()
    client.post(url, {"action": "submit", "head": "李明", "version": own.version})
    status = Submission.objects.get(pk=own.pk).status
    if (status == Status.SUBMITTED) != (role == Role.ADMIN):
        failures.append(f"POST {url} submit: the report is {status} after {role} submitted")
    for action in ("approve", "return", "reopen"):
        before = Submission.objects.get(pk=own.pk)
        client.post(url, {"action": action, "comment": "x", "version": before.version})
        if Submission.objects.get(pk=own.pk).status != before.status:
            failures.append(f"POST {url} {action}: a county's {role} reviewed its own report")
    return failures


CHECKS: dict[str, Callable[..., list[str]]] = {
    "reporting": _check_reporting,
    "person_search": _check_person_search,
    "growth": _check_growth,
    "todo": _check_todo,
    "model": _check_model,
    "job": _check_job,
    "site": _check_site,
    "dashboard": _check_dashboard,
    "redirect": _check_redirect,
    "language": _check_language,
}
