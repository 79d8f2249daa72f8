"""Where a dashboard number leads: the admin list filtered to exactly the records it counts.

Only indicators whose 口径 the admin list filters can express exactly get a link; the others
(distinct or highest-level counts) are shown without one rather than with an approximate list.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

# key → (admin changelist, filters beyond the region and year)
LINKS: dict[str, tuple[str, dict[str, str]]] = {
    "workers": ("admin:workforce_worker_changelist", {}),
    "union_members": ("admin:workforce_worker_changelist", {"union_member__exact": "1"}),
    "certificates_issued": (
        "admin:workforce_skillcertificate_changelist",
        {"year": "certified_on"},
    ),
    "mentorships_new": ("admin:workforce_mentorship_changelist", {"year": "started_on"}),
    "achievements": ("admin:programs_achievement_changelist", {"year": "year"}),
    "patents": ("admin:programs_achievement_changelist", {"year": "year", "kind__exact": "patent"}),
    "operation_methods": (
        "admin:programs_achievement_changelist",
        {"year": "year", "kind__exact": "operation_method"},
    ),
    "service_visits": ("admin:programs_servicevisit_changelist", {"year": "date"}),
    "training_sessions": ("admin:training_trainingsession_changelist", {"year": "start_date"}),
    "competitions": ("admin:training_competition_changelist", {"year": "held_on"}),
    "education_subsidies": ("admin:training_educationsubsidy_changelist", {"year": "year"}),
    "stations_upgraded": ("admin:welfare_servicestation_changelist", {"upgraded_year": "="}),
    "hardship_new": ("admin:welfare_hardshipcase_changelist", {"year": "filed_on"}),
}


def link_for(key: str, region_code: str, year: int) -> str | None:
    if key not in LINKS:
        return None
    name, filters = LINKS[key]
    params = {"region": region_code}
    for param, value in filters.items():
        if param == "year":
            params[f"{value}_year"] = str(year)
        elif value == "=":
            params[f"{param}__exact"] = str(year)
        else:
            params[param] = value
    return f"{reverse(name)}?{urlencode(params)}"
