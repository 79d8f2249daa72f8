from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from base.models import Region
from base.roles import Role
from base.services import staff_user_upsert


class Command(BaseCommand):
    help = "Create or update an active staff user with a role and a region scope."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--region", required=True, help="division code, e.g. 330381")
        parser.add_argument(
            "--role", required=True, help="one of: " + ", ".join(role.value for role in Role)
        )
        parser.add_argument("--password", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        role_code = options["role"].strip().lower()
        if role_code not in Role.values:
            raise CommandError(
                _("Unknown role %(role)s. Roles: %(roles)s.")
                % {
                    "role": options["role"],
                    "roles": ", ".join(f"{role.value} ({role.label})" for role in Role),
                }
            )
        code = options["region"].strip()
        region = Region.objects.filter(code=code).first()
        if region is None:
            candidates = Region.objects.filter(name__contains=code).values_list("code", "name")[:5]
            hint = "、".join(f"{c} {n}" for c, n in candidates)
            message = _("Unknown region code %(code)s.") % {"code": code}
            if hint:
                message += " " + _("Did you mean: %(candidates)s?") % {"candidates": hint}
            raise CommandError(message)
        # The same password rules as the admin's forms: the command line is no way around them.
        user_model = get_user_model()
        existing = user_model.objects.filter(username=options["username"]).first()
        try:
            validate_password(
                options["password"], user=existing or user_model(username=options["username"])
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        user, created = staff_user_upsert(
            username=options["username"],
            role=Role(role_code),
            region=region,
            password=options["password"],
        )
        template = (
            _("Created staff user %(username)s: %(role)s of %(region)s (%(code)s).")
            if created
            else _("Updated staff user %(username)s: %(role)s of %(region)s (%(code)s).")
        )
        self.stdout.write(
            template
            % {
                "username": user.get_username(),
                "role": Role(role_code).label,
                "region": region.name,
                "code": region.code,
            }
        )
