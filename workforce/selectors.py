"""Reads of the workforce app: the one box that finds a person.

A person is found by name (its beginning), by a whole ID or phone number, or by the last four
characters of either — what a masked number shows, so a masked user finds what they can read and
nothing more (never a prefix of a hidden part: base/identity.py). Each form of the term has its
own index (docs/benchmarks.md): the name index, the unique ID number, and the `id_last4` and
`phone_last4` columns the worker keeps. Results stay inside the user's scope (base/scope.py), and
each person comes with the records that name them and that the user may read.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from base import identity, scope
from workforce.models import Worker

# A page of people: enough for namesakes in a county, few enough to read.
LIMIT = 20
# The records shown per kind under the people found; the list behind the kind has them all.
RECORDS_PER_KIND = 50

TAIL_PATTERN = re.compile(r"^[0-9]{3}[0-9X]$")
# A number as a masked page shows it: 330381********1234, 138****5678.
MASKED_ID_PATTERN = re.compile(r"^(\d{6})\*{8}([0-9]{3}[0-9X])$")
MASKED_MOBILE_PATTERN = re.compile(r"^(1\d{2})\*{4}(\d{4})$")
# A name has something other than digits (and no mask): a run of digits is a number's part.
NAME_PATTERN = re.compile(r"^[^*]*[^\d*][^*]*$")


class TermKind:
    """How a term was read (the page says it, so that the user knows what was searched)."""

    NAME = "name"
    ID_NUMBER = "id_number"
    PHONE = "phone"
    TAIL = "tail"
    MASKED = "masked"
    UNREADABLE = "unreadable"


@dataclass
class Appearance:
    """The records of one kind (honours, certificates …) that name a person."""

    app_label: str
    model_name: str
    kind: str
    relation: str  # the field naming the person (worker, apprentice, participants …)
    records: list[tuple[Any, str]] = field(default_factory=list)  # (pk, label)


@dataclass
class Person:
    pk: int
    name: str
    id_number: str  # masked unless the user sees it in full
    phone: str
    region: str
    enterprise: str
    appearances: list[Appearance] = field(default_factory=list)


@dataclass
class Found:
    term: str
    kind: str
    people: list[Person]
    more: bool  # more people match than LIMIT: the user should narrow the term
    whole_value: bool  # a whole ID or phone number was searched (the access log wants it)
    full_numbers: bool  # the results show full numbers to this user


def read_term(term: str) -> tuple[str, Q | None]:
    """What a term asks for: its kind and the condition on workers (None: nothing to search)."""
    term = "".join(term.split())
    upper = term.upper()
    if not term:
        return TermKind.UNREADABLE, None
    if identity.ID_PATTERN.match(upper):
        return TermKind.ID_NUMBER, Q(id_number=upper)
    if identity.MOBILE_PATTERN.match(term) or identity.LANDLINE_PATTERN.match(term):
        # The last four narrow by their index; the whole number then confirms.
        return TermKind.PHONE, Q(phone_last4=identity.visible_tail(term), phone=term)
    if TAIL_PATTERN.match(upper):
        return TermKind.TAIL, Q(id_last4=upper) | Q(phone_last4=upper)
    if match := MASKED_ID_PATTERN.match(upper):
        # The region code and the last four are what the mask shows; nothing hidden is probed.
        return TermKind.MASKED, Q(id_last4=match[2], id_number__startswith=match[1])
    if match := MASKED_MOBILE_PATTERN.match(term):
        return TermKind.MASKED, Q(phone_last4=match[2], phone__startswith=match[1])
    if NAME_PATTERN.match(term):
        return TermKind.NAME, Q(name__startswith=term)
    return TermKind.UNREADABLE, None


def find_people(*, user: Any, term: str) -> Found:
    """The people in the user's scope the term finds, with where each appears."""
    kind, condition = read_term(term)
    masks = identity.masked_fields(user, Worker)
    whole_value = kind in (TermKind.ID_NUMBER, TermKind.PHONE) and (
        ("id_number" if kind == TermKind.ID_NUMBER else "phone") in masks
    )
    if condition is None:
        return Found(term, kind, [], more=False, whole_value=False, full_numbers=False)
    queryset = (
        scope.filter_for_user(Worker.objects.filter(condition), user)
        .select_related("region", "enterprise")
        .order_by("name", "pk")
    )
    workers = list(queryset[: LIMIT + 1])
    more = len(workers) > LIMIT
    workers = workers[:LIMIT]
    people = [
        Person(
            pk=worker.pk,
            name=worker.name,
            id_number=_shown(worker, "id_number", masks),
            phone=_shown(worker, "phone", masks),
            region=worker.region.name,
            enterprise=worker.enterprise.name if worker.enterprise else "",
        )
        for worker in workers
    ]
    by_pk = {person.pk: person for person in people}
    for appearance_of in _appearances(user, list(by_pk)):
        for pk, appearance in appearance_of.items():
            by_pk[pk].appearances.append(appearance)
    full = bool(people) and len(masks) < len(identity.personal_fields(Worker))
    return Found(term, kind, people, more=more, whole_value=whole_value, full_numbers=full)


def _shown(worker: Worker, name: str, masks: dict[str, Any]) -> str:
    value = getattr(worker, name)
    return str(masks[name](value)) if name in masks else str(value or "")


def referring_relations(user: Any) -> list[Any]:
    """Every relation from another record to a worker that the user may read, in a fixed
    order: each kind of record that can name a person (found generically, so a kind added
    later is shown without touching this)."""
    relations = []
    for relation in Worker._meta.related_objects:
        model: Any = relation.related_model
        opts = model._meta
        if not scope.is_scoped(model):
            continue
        if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        relations.append(relation)
    return sorted(relations, key=lambda r: (r.related_model._meta.label, r.field.name))


def _appearances(user: Any, pks: list[int]) -> list[dict[int, Appearance]]:
    """Per relation, the records naming each of the people `pks`: one query for a foreign key,
    two for a many-to-many (the pairs, then the records), however many people."""
    if not pks:
        return []
    found = []
    wanted = set(pks)
    for relation in referring_relations(user):
        model: Any = relation.related_model
        name = relation.field.name
        opts = model._meta
        base = scope.filter_for_user(
            model._default_manager.filter(**{f"{name}__in": pks}), user
        ).order_by("-pk")
        # What a record's label reads (its worker, its title …), loaded with it: no query per row.
        loaded = [f.name for f in opts.concrete_fields if f.is_relation]
        if relation.many_to_many:
            pairs = [
                (worker, pk)
                for worker, pk in base.values_list(name, "pk")[: RECORDS_PER_KIND * len(pks)]
                if worker in wanted
            ]
            rows = model._default_manager.select_related(*loaded).in_bulk([pk for _w, pk in pairs])
            owned = [(worker, rows[pk]) for worker, pk in pairs if pk in rows]
        else:
            attname = relation.field.attname
            owned = [
                (getattr(obj, attname), obj)
                for obj in base.select_related(*loaded)[: RECORDS_PER_KIND * len(pks)]
            ]
        appearances: dict[int, Appearance] = {}
        kept: dict[int, int] = defaultdict(int)
        for worker, obj in owned:
            if kept[worker] >= RECORDS_PER_KIND:
                continue
            kept[worker] += 1
            appearance = appearances.setdefault(
                worker,
                Appearance(
                    str(opts.app_label),
                    str(opts.model_name),
                    str(opts.verbose_name_plural),
                    name,
                ),
            )
            appearance.records.append((obj.pk, str(obj)))
        found.append(appearances)
    return found
