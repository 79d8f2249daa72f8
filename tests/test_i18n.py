"""The zh_Hans catalogue is complete and its compiled .mo matches the .po."""

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[1] / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_message_has_a_chinese_translation():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    assert not catalogue.untranslated_entries()
    assert not catalogue.fuzzy_entries()


def test_compiled_catalogue_is_up_to_date():
    source = {
        entry.msgid: entry.msgstr
        for entry in polib.pofile(str(LOCALE / "django.po")).translated_entries()
    }
    compiled = {
        entry.msgid: entry.msgstr
        for entry in polib.mofile(str(LOCALE / "django.mo"))
        if entry.msgid
    }
    assert compiled == source, "run `make messages` to recompile locale/zh_Hans"
