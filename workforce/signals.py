"""Signals the workforce app sends for other apps to keep their own records of what happened."""

from __future__ import annotations

from django.dispatch import Signal

# Sent for every record a merge of worker records moves onto the kept worker, after it is saved
# there: `record`, `user`, `keep`, `duplicate`. An app whose records keep a timeline of their own
# (a hardship case) writes its line here; workforce cannot import those apps (they import it).
record_moved_by_merge = Signal()
