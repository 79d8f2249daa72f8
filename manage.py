#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    from django.core.management import execute_from_command_line
    from django.db import InterfaceError, OperationalError

    try:
        execute_from_command_line(sys.argv)
    except (OperationalError, InterfaceError) as error:
        from config.faults import database_unreachable

        if not database_unreachable(error):
            raise
        # A database that cannot be reached is an operating condition, not a bug: say so in one
        # line and exit non-zero, without a traceback. Every write is atomic: nothing half-done.
        from django.utils.translation import gettext as _

        message = _(
            "The database could not be used: %(error)s. Check that it is running and try again."
        )
        sys.stderr.write(message % {"error": str(error).strip().splitlines()[0]} + "\n")
        sys.exit(3)


if __name__ == "__main__":
    main()
