"""Compile every locale/*/LC_MESSAGES/*.po into its .mo with polib.

Django's `compilemessages` needs GNU gettext, which a fresh machine may lack; the compiled
catalogues are committed so `make run` needs nothing but Python. Run `make messages` after
changing user-facing strings; the test suite fails when a .mo is out of date.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    for po_path in sorted(ROOT.glob("locale/*/LC_MESSAGES/*.po")):
        catalogue = polib.pofile(str(po_path))
        missing = [entry.msgid for entry in catalogue.untranslated_entries()]
        fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
        for msgid in missing:
            print(f"{po_path}: untranslated: {msgid!r}", file=sys.stderr)
        for msgid in fuzzy:
            print(f"{po_path}: fuzzy: {msgid!r}", file=sys.stderr)
        catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
        print(
            f"compiled {po_path.relative_to(ROOT)} ({len(catalogue.translated_entries())} strings)"
        )
        if missing or fuzzy:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
