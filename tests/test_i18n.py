"""The zh_Hans catalogue is complete and its compiled .mo matches the .po."""

from pathlib import Path

import polib
import pytest
from django.urls import reverse

LOCALE = Path(__file__).resolve().parents[1] / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_message_has_a_chinese_translation():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    assert not catalogue.untranslated_entries()
    assert not catalogue.fuzzy_entries()


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_compiled_catalogue_is_up_to_date(domain):
    source = {
        (entry.msgctxt, entry.msgid): entry.msgstr
        for entry in polib.pofile(str(LOCALE / f"{domain}.po")).translated_entries()
    }
    compiled = {
        (entry.msgctxt, entry.msgid): entry.msgstr
        for entry in polib.mofile(str(LOCALE / f"{domain}.mo"))
        if entry.msgid
    }
    assert compiled == source, "run `make messages` to recompile locale/zh_Hans"


@pytest.mark.django_db
def test_the_admin_calendar_names_weekdays_in_chinese(admin_client):
    catalogue = admin_client.get(reverse("admin:jsi18n")).content.decode()
    # The stock catalogue leaves the one-letter weekdays "S M T W T F S".
    assert '"one letter Monday\\u0004M": "\\u4e00"' in catalogue
