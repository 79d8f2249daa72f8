"""The indicator catalogue (../shared/INDICATORS.md): every dashboard number's key, label, unit
and group. Targets, dashboards, JSON and exports all take their keys from here."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Indicator:
    key: str
    label: Promise
    unit: Promise
    group: str


GROUPS: dict[str, Promise] = {
    "workforce": _("Workforce"),
    "programmes": _("Reform programmes"),
    "training": _("Training and competitions"),
    "welfare": _("Care and welfare"),
}

PEOPLE = _("people")
PERSON_TIMES = _("person-times")
ITEMS = _("items")
UNITS = _("units")
YUAN = _("yuan")
PERCENT = _("%")

INDICATORS: tuple[Indicator, ...] = (
    Indicator("workers", _("Registered workers"), PEOPLE, "workforce"),
    Indicator("union_members", _("Union members"), PEOPLE, "workforce"),
    Indicator("new_form_workers", _("New-form workers"), PEOPLE, "workforce"),
    Indicator("skilled_workers", _("Skilled workers"), PEOPLE, "workforce"),
    Indicator("high_skilled_workers", _("Highly skilled workers"), PEOPLE, "workforce"),
    Indicator("high_skilled_share", _("Share of highly skilled workers"), PERCENT, "workforce"),
    Indicator(
        "certificates_issued", _("Skill certificates issued in the year"), ITEMS, "workforce"
    ),
    Indicator("craftsmen", _("Model workers and craftsmen"), PEOPLE, "workforce"),
    Indicator("craftsmen_national", _("National model workers and craftsmen"), PEOPLE, "workforce"),
    Indicator(
        "craftsmen_provincial", _("Provincial model workers and craftsmen"), PEOPLE, "workforce"
    ),
    Indicator("craftsmen_city", _("City model workers and craftsmen"), PEOPLE, "workforce"),
    Indicator("craftsmen_county", _("County model workers and craftsmen"), PEOPLE, "workforce"),
    Indicator("craftsmen_town", _("Town model workers and craftsmen"), PEOPLE, "workforce"),
    Indicator(
        "craftsmen_enterprise", _("Enterprise model workers and craftsmen"), PEOPLE, "workforce"
    ),
    Indicator("mentorships_new", _("New mentorships"), ITEMS, "workforce"),
    Indicator("pilot_units", _("Pilot and demonstration units"), UNITS, "programmes"),
    Indicator("pilot_counties", _("Pilot counties"), UNITS, "programmes"),
    Indicator("pilot_towns", _("Pilot towns and parks"), UNITS, "programmes"),
    Indicator("pilot_enterprises", _("Pilot enterprises"), UNITS, "programmes"),
    Indicator("pilot_teams", _("Pilot teams"), UNITS, "programmes"),
    Indicator("studios", _("Innovation studios"), UNITS, "programmes"),
    Indicator("studios_national", _("National innovation studios"), UNITS, "programmes"),
    Indicator("studios_provincial", _("Provincial innovation studios"), UNITS, "programmes"),
    Indicator("studios_city", _("City innovation studios"), UNITS, "programmes"),
    Indicator("studios_county", _("County innovation studios"), UNITS, "programmes"),
    Indicator("studio_members", _("Innovation team members"), PEOPLE, "programmes"),
    Indicator("achievements", _("Innovation achievements"), ITEMS, "programmes"),
    Indicator("patents", _("Patents"), ITEMS, "programmes"),
    Indicator("operation_methods", _("Advanced operation methods"), ITEMS, "programmes"),
    Indicator("achievement_benefit", _("Economic benefit of achievements"), YUAN, "programmes"),
    Indicator("service_visits", _("Service visits to enterprises"), ITEMS, "programmes"),
    Indicator("service_craftsmen", _("Craftsmen taking part"), PERSON_TIMES, "programmes"),
    Indicator("service_enterprises", _("Enterprises served"), ITEMS, "programmes"),
    Indicator("service_problems", _("Problems collected"), ITEMS, "programmes"),
    Indicator("service_problems_solved", _("Problems solved"), ITEMS, "programmes"),
    Indicator(
        "service_workers_trained", _("Technical workers trained"), PERSON_TIMES, "programmes"
    ),
    Indicator("service_benefit", _("Economic benefit of service visits"), YUAN, "programmes"),
    Indicator("training_sessions", _("Training sessions"), ITEMS, "training"),
    Indicator("training_participants", _("Training participants"), PERSON_TIMES, "training"),
    Indicator("training_certified", _("Certificates obtained in training"), PEOPLE, "training"),
    Indicator("competitions", _("Skill competitions"), ITEMS, "training"),
    Indicator("competition_participants", _("Competition participants"), PERSON_TIMES, "training"),
    Indicator("education_subsidies", _("Education subsidies"), PEOPLE, "training"),
    Indicator("education_subsidy_amount", _("Education subsidy amount"), YUAN, "training"),
    Indicator("stations", _("Outdoor-worker service stations"), UNITS, "welfare"),
    Indicator("stations_24h", _("Stations open 24 hours"), UNITS, "welfare"),
    Indicator("stations_upgraded", _("Stations upgraded in the year"), UNITS, "welfare"),
    Indicator("hardship_open", _("Hardship cases on file"), PEOPLE, "welfare"),
    Indicator("hardship_new", _("Hardship cases filed in the year"), PEOPLE, "welfare"),
    Indicator("hardship_closed", _("Hardship cases closed in the year"), PEOPLE, "welfare"),
    Indicator("assistance_amount", _("Assistance granted"), YUAN, "welfare"),
    Indicator("assistance_recipients", _("Assistance recipients"), PEOPLE, "welfare"),
    Indicator("recuperation_participants", _("Recuperation participants"), PERSON_TIMES, "welfare"),
)

BY_KEY: dict[str, Indicator] = {indicator.key: indicator for indicator in INDICATORS}


def indicator_choices() -> list[tuple[str, Promise]]:
    return [(indicator.key, indicator.label) for indicator in INDICATORS]
