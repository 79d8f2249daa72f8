"""A worker's 成长档案 (growth record): everything of their growth on the record, in time order —
certificates, honours, training and its hours, competitions, mentorships (as master and as
apprentice), the studios they lead, education subsidies, 礼遇工匠 benefits and transfers.

One selector, `growth_record`, returns plain data; the page, its print view and the workbook
(adminsite/growth.py) all render it. It makes a fixed number of queries whatever the worker's
record holds: one per kind of record, each loading what its lines name.

What the user may not read stays out: a kind of record the role may not view, records outside
the user's scope (a mentorship whose apprentice lives in another county), the name of a partner
outside the scope, and numbers the user sees masked (base/identity.py). Hardship files and the
other restricted records (base.roles.RESTRICTED_MODELS) are never part of a growth record.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from base import identity, scope
from programs.models import InnovationStudio
from training.models import CompetitionResult, EducationSubsidy, Enrolment
from welfare.models import BenefitTaken
from workforce.models import (
    Honour,
    Mentorship,
    SkillCertificate,
    SkillLevel,
    Transfer,
    TransferStatus,
    Worker,
)


class EntryKind(models.TextChoices):
    """The kinds of line, in the order lines of the same day are shown."""

    TRANSFER = "transfer", gettext_lazy("transfer")
    CERTIFICATE = "certificate", gettext_lazy("skill certificate")
    HONOUR = "honour", gettext_lazy("honour")
    TRAINING = "training", gettext_lazy("training")
    COMPETITION = "competition", gettext_lazy("competition")
    APPRENTICE = "apprentice", gettext_lazy("apprenticeship (as apprentice)")
    MENTOR = "mentor", gettext_lazy("apprenticeship (as master)")
    STUDIO = "studio", gettext_lazy("innovation studio")
    SUBSIDY = "subsidy", gettext_lazy("education subsidy")
    BENEFIT = "benefit", gettext_lazy("craftsman benefit")


KIND_ORDER = {kind.value: index for index, kind in enumerate(EntryKind)}


@dataclass(frozen=True)
class Entry:
    """One line of the record. `on` is the day where the record has one; records kept by the
    year (honours, subsidies, studios) have `on` None and stand after that year's dated lines."""

    year: int
    on: datetime.date | None
    kind: str
    title: str
    detail: str = ""
    hours: Decimal | None = None  # training hours counted in the total (sessions attended)

    @property
    def kind_label(self) -> str:
        return str(EntryKind(self.kind).label)

    @property
    def when(self) -> str:
        """The date as the page and the workbook's text show it."""
        return self.on.isoformat() if self.on else _("%(year)s (year)") % {"year": self.year}

    def sort_key(self) -> tuple[Any, ...]:
        return (
            self.year,
            self.on is None,
            self.on or datetime.date(self.year, 12, 31),
            KIND_ORDER[self.kind],
            self.title,
        )


@dataclass(frozen=True)
class Person:
    """Who the record is of, with personal data masked as the user sees it."""

    pk: int
    name: str
    id_number: str
    phone: str
    gender: str
    birth_date: str
    region: str
    enterprise: str
    occupation: str
    union_member: bool
    full_numbers: bool  # some number is shown in full: a display to log


@dataclass(frozen=True)
class Headline:
    certificates: int
    highest_skill_level: str  # "" when no certificate
    honours: int
    highest_honour: str
    sessions_attended: int
    training_hours: Decimal
    competitions: int
    awards: int
    apprentices: int  # as master
    masters: int  # as apprentice
    studios: int
    subsidies: int
    subsidy_amount: Decimal
    benefits: int
    transfers: int  # accepted moves between counties


@dataclass(frozen=True)
class GrowthRecord:
    person: Person
    headline: Headline
    entries: list[Entry]
    # The kinds of record the user may not read, left out (named on the page).
    left_out: list[str] = field(default_factory=list)


def worker_for_growth(*, user: Any, pk: Any) -> Worker | None:
    """The worker whose record the user may open: in the user's scope, else None (a 404, as
    the worker's own page answers)."""
    if not user.has_perm("workforce.view_worker"):
        return None
    queryset = scope.filter_for_user(Worker.objects.select_related("region", "enterprise"), user)
    try:
        return queryset.filter(pk=pk).first()
    except (ValueError, TypeError):
        return None


def _may(user: Any, model: type[models.Model]) -> bool:
    opts = model._meta
    return bool(user.has_perm(f"{opts.app_label}.view_{opts.model_name}"))


def _scoped(queryset: models.QuerySet[Any], user: Any) -> models.QuerySet[Any]:
    return scope.filter_for_user(queryset, user)


def _partner(user: Any, partner: Worker) -> str:
    """A master or apprentice by name; someone outside the user's scope is not named."""
    return identity.person_name_shown(user, partner) or _("someone outside your region")


def _person(user: Any, worker: Worker) -> Person:
    masks = identity.masked_fields(user, Worker)

    def shown(name: str, value: Any) -> str:
        if not value:
            return ""
        return str(masks[name](value)) if name in masks else str(value)

    birth = worker.birth_date
    return Person(
        pk=worker.pk,
        name=worker.name,
        id_number=shown("id_number", worker.id_number),
        phone=shown("phone", worker.phone),
        gender=worker.get_gender_display() if worker.gender else "",
        birth_date=shown("birth_date", birth) if "birth_date" in masks else _iso(birth),
        region=worker.region.name,
        enterprise=worker.enterprise.name if worker.enterprise else "",
        occupation=worker.occupation,
        union_member=worker.union_member,
        full_numbers=len(masks) < len(identity.personal_fields(Worker)),
    )


def _iso(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


def _money(amount: Decimal | None) -> str:
    return _("%(amount)s yuan") % {"amount": f"{amount:,.2f}"} if amount is not None else ""


def _joined(*parts: str) -> str:
    return "；".join(part for part in parts if part)


@dataclass
class _Tally:
    """The headline numbers, counted while the lines are read."""

    skill_level: int | None = None
    honour_level: int | None = None
    honour_level_label: str = ""
    sessions_attended: int = 0
    training_hours: Decimal = Decimal(0)
    awards: int = 0
    subsidy_amount: Decimal = Decimal(0)
    transfers: int = 0


# Each kind: the model it reads and how it reads the worker's lines (one query each).
Reader = Callable[[Any, Worker, _Tally], Iterable[Entry]]


def _certificates(user: Any, worker: Worker, tally: _Tally) -> Iterable[Entry]:
    rows = _scoped(SkillCertificate.objects.filter(worker=worker), user)
    for cert in rows.order_by("certified_on", "pk"):
        issuer = cert.issuer or cert.get_issuer_kind_display()
        tally.skill_level = max(cert.level, tally.skill_level or 0)
        yield Entry(
            year=cert.certified_on.year,
            on=cert.certified_on,
            kind=EntryKind.CERTIFICATE,
            title=f"{cert.occupation} · {cert.get_level_display()}",
            detail=_joined(
                issuer, _("No. %(number)s") % {"number": cert.number} if cert.number else ""
            ),
        )


def _honours(user: Any, worker: Worker, tally: _Tally) -> Iterable[Entry]:
    rows = _scoped(Honour.objects.filter(worker=worker), user).select_related("title")
    for honour in rows.order_by("year", "pk"):
        if tally.honour_level is None or honour.title.level > tally.honour_level:
            tally.honour_level = honour.title.level
            tally.honour_level_label = honour.title.get_level_display()
        yield Entry(
            year=honour.year,
            on=None,
            kind=EntryKind.HONOUR,
            title=honour.title.name,
            detail=_joined(honour.title.get_level_display(), honour.title.awarded_by),
        )


def _training(user: Any, worker: Worker, tally: _Tally) -> Iterable[Entry]:
    rows = _scoped(Enrolment.objects.filter(worker=worker), user).select_related(
        "session", "session__provider"
    )
    for enrolment in rows.order_by("session__start_date", "pk"):
        session = enrolment.session
        outcome = (
            pgettext("training outcome", "certificate obtained")
            if enrolment.certified
            else pgettext("training outcome", "completed")
            if enrolment.passed
            else pgettext("training outcome", "attended")
            if enrolment.attended
            else pgettext("training outcome", "enrolled, did not attend")
        )
        # Hours count for the sessions attended; a session recorded without hours adds none.
        hours = session.hours if enrolment.attended else None
        if enrolment.attended:
            tally.sessions_attended += 1
            tally.training_hours += session.hours or Decimal(0)
        yield Entry(
            year=session.start_date.year,
            on=session.start_date,
            kind=EntryKind.TRAINING,
            title=session.title,
            detail=_joined(
                session.get_category_display(),
                session.provider.name if session.provider else "",
                outcome,
            ),
            hours=hours,
        )


def _competitions(user: Any, worker: Worker, tally: _Tally) -> Iterable[Entry]:
    rows = _scoped(CompetitionResult.objects.filter(worker=worker), user).select_related(
        "competition"
    )
    for result in rows.order_by("competition__held_on", "pk"):
        competition = result.competition
        tally.awards += bool(result.award)
        yield Entry(
            year=competition.held_on.year,
            on=competition.held_on,
            kind=EntryKind.COMPETITION,
            title=competition.name,
            detail=_joined(
                competition.get_level_display(),
                result.get_award_display() if result.award else "",
                _("rank %(rank)s") % {"rank": result.rank} if result.rank else "",
                result.title_granted,
            ),
        )


def _mentorship_detail(mentorship: Mentorship) -> str:
    ended = (
        _("ended %(day)s") % {"day": mentorship.ended_on.isoformat()}
        if mentorship.ended_on
        else pgettext("mentorship", "ongoing")
    )
    return _joined(ended, mentorship.outcome)


def _as_master(user: Any, worker: Worker, tally: _Tally) -> Iterable[Entry]:
    rows = _scoped(Mentorship.objects.filter(master=worker), user).select_related("apprentice")
    for mentorship in rows.order_by("started_on", "pk"):
        yield Entry(
            year=mentorship.started_on.year,
            on=mentorship.started_on,
            kind=EntryKind.MENTOR,
            title=_("took %(name)s as apprentice")
            % {"name": _partner(user, mentorship.apprentice)},
            detail=_mentorship_detail(mentorship),
        )


def _as_apprentice(user: Any, worker: Worker, tally: _Tally) -> Iterable[Entry]:
    rows = _scoped(Mentorship.objects.filter(apprentice=worker), user).select_related("master")
    for mentorship in rows.order_by("started_on", "pk"):
        yield Entry(
            year=mentorship.started_on.year,
            on=mentorship.started_on,
            kind=EntryKind.APPRENTICE,
            title=_("apprenticed to %(name)s") % {"name": _partner(user, mentorship.master)},
            detail=_mentorship_detail(mentorship),
        )


def _studios(user: Any, worker: Worker, tally: _Tally) -> Iterable[Entry]:
    # A studio records its leader by name and its other members only as a count: the leader is
    # the one member a worker's record can show.
    rows = _scoped(InnovationStudio.objects.filter(leader=worker), user)
    for studio in rows.order_by("named_year", "pk"):
        revoked = (
            _("revoked in %(year)s") % {"year": studio.revoked_year} if studio.revoked_year else ""
        )
        yield Entry(
            year=studio.named_year,
            on=None,
            kind=EntryKind.STUDIO,
            title=_("leads %(studio)s") % {"studio": studio.name},
            detail=_joined(studio.get_kind_display(), studio.get_level_display(), revoked),
        )


def _subsidies(user: Any, worker: Worker, tally: _Tally) -> Iterable[Entry]:
    rows = _scoped(EducationSubsidy.objects.filter(worker=worker), user)
    for subsidy in rows.order_by("year", "pk"):
        tally.subsidy_amount += subsidy.amount or Decimal(0)
        yield Entry(
            year=subsidy.year,
            on=None,
            kind=EntryKind.SUBSIDY,
            title=_joined(subsidy.school, subsidy.major),
            detail=_joined(
                subsidy.get_level_display() if subsidy.level else "",
                _money(subsidy.amount),
                subsidy.status,
            ),
        )


def _benefits(user: Any, worker: Worker, tally: _Tally) -> Iterable[Entry]:
    rows = _scoped(BenefitTaken.objects.filter(worker=worker), user).select_related("trip")
    for benefit in rows.order_by("taken_on", "pk"):
        yield Entry(
            year=benefit.taken_on.year,
            on=benefit.taken_on,
            kind=EntryKind.BENEFIT,
            title=benefit.get_kind_display(),
            detail=_joined(benefit.trip.title if benefit.trip else "", benefit.place),
        )


def _transfers(user: Any, worker: Worker, tally: _Tally) -> Iterable[Entry]:
    rows = _scoped(Transfer.objects.filter(worker=worker), user).select_related(
        "from_region", "to_region"
    )
    for transfer in rows.order_by("started_on", "pk"):
        day = transfer.accepted_on or transfer.started_on
        tally.transfers += transfer.status == TransferStatus.ACCEPTED
        yield Entry(
            year=day.year,
            on=day,
            kind=EntryKind.TRANSFER,
            title=_("%(from)s → %(to)s")
            % {
                "from": transfer.from_region.name,
                "to": transfer.to_region.name,
            },
            detail=transfer.get_status_display(),
        )


READERS: tuple[tuple[type[models.Model], Reader], ...] = (
    (SkillCertificate, _certificates),
    (Honour, _honours),
    (Enrolment, _training),
    (CompetitionResult, _competitions),
    (Mentorship, _as_master),
    (Mentorship, _as_apprentice),
    (InnovationStudio, _studios),
    (EducationSubsidy, _subsidies),
    (BenefitTaken, _benefits),
    (Transfer, _transfers),
)


def growth_record(*, user: Any, worker: Worker) -> GrowthRecord:
    """The worker's growth record as `user` may read it (the worker is one the user may open:
    `worker_for_growth`)."""
    entries: list[Entry] = []
    left_out: list[str] = []
    tally = _Tally()
    for model, read in READERS:
        if not _may(user, model):
            name = str(model._meta.verbose_name_plural)
            if name not in left_out:
                left_out.append(name)
            continue
        entries.extend(read(user, worker, tally))
    entries.sort(key=Entry.sort_key)

    def count(kind: str) -> int:
        return sum(1 for entry in entries if entry.kind == kind)

    headline = Headline(
        certificates=count(EntryKind.CERTIFICATE),
        highest_skill_level=(
            str(SkillLevel(tally.skill_level).label) if tally.skill_level is not None else ""
        ),
        honours=count(EntryKind.HONOUR),
        highest_honour=tally.honour_level_label,
        sessions_attended=tally.sessions_attended,
        training_hours=tally.training_hours,
        competitions=count(EntryKind.COMPETITION),
        awards=tally.awards,
        apprentices=count(EntryKind.MENTOR),
        masters=count(EntryKind.APPRENTICE),
        studios=count(EntryKind.STUDIO),
        subsidies=count(EntryKind.SUBSIDY),
        subsidy_amount=tally.subsidy_amount,
        benefits=count(EntryKind.BENEFIT),
        transfers=tally.transfers,
    )
    return GrowthRecord(
        person=_person(user, worker), headline=headline, entries=entries, left_out=left_out
    )
