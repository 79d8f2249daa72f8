"""Which database errors mean "the database cannot be reached" (answer 503, exit with one line)
rather than a bug (a traceback and a 500): the one place that tells them apart."""

from __future__ import annotations

from django.db import InterfaceError, OperationalError

# Words of the drivers' connection failures (psycopg, sqlite3).
_UNREACHABLE = (
    "connection",
    "could not connect",
    "server closed",
    "terminating",
    "timeout",
    "timed out",
    "unable to open database",
    "the database system is",
)


def database_unreachable(error: BaseException | None) -> bool:
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    text = str(error).lower()
    return any(words in text for words in _UNREACHABLE)
