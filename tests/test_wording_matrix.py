"""Generated: every admin page (list, searched list, each filter applied, add form, a record's
change, history and delete pages) as each role of one county, in Chinese only — no English
word and no raw stored code (`ride_hailing`) in what it shows or reads aloud (tests/wording.py).
A model registered later is walked the same way."""

from __future__ import annotations

import re

import pytest

from base.roles import Role
from tests import factories, matrix, wording

pytestmark = pytest.mark.django_db

FACTORY_VALUE = re.compile(r"\b[a-z_]+-\d+\b")


@pytest.fixture(autouse=True)
def fresh_records():
    matrix.forget_records()
    yield
    matrix.forget_records()


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_every_admin_page_speaks_chinese(role, login):
    user = factories.staff(f"{role}_user", role, matrix.OWN_COUNTY)
    client = login(user)
    failures, walked = [], set()
    for what, url in wording.pages(user):
        response = client.get(url)
        if response.status_code in (302, 403) or response.status_code >= 500:
            continue  # refused (the authorisation matrix checks which); 404 pages are read
        walked.add(what.split(" ")[0])
        # The factories' own test values ("name-3") are data, not wording.
        content = FACTORY_VALUE.sub("", response.content.decode())
        failures += [
            f"{what} {url}: {found}"
            for found in wording.english_in(content, also_allowed=wording.usernames())
        ]
    assert walked, "no admin page was walked"
    assert not failures, "\n".join(failures)


def test_the_check_finds_english_and_codes_wherever_a_reader_meets_them():
    page = (
        '<html><body><script>var x = "ignored";</script><h1>职工名册</h1>'
        '<table><thead><th aria-label="Model name">表</th></thead>'
        "<tr><td>就业形态: ride_hailing → 快递员</td></tr></table>"
        '<input type="submit" value="Save"><input type="hidden" value="secret">'
        '<img alt="光FU行" src="x.svg"></body></html>'
    )
    found = " | ".join(wording.english_in(page))
    assert "Model, name" in found
    assert "ride_hailing" in found
    assert "Save" in found
    assert "ignored" not in found and "secret" not in found and "FU" not in found
