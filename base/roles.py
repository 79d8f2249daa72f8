"""The five staff roles (docs/design.md §3) and the permissions each one holds.

Roles are Django groups named by their code. The model sets below and `_role_allows` are the
single statement of what a role may do; `sync_role_permissions` applies them after every
`migrate`, so a model added to a domain app later gets the right permissions without touching
this file.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from base import scope


class Role(models.TextChoices):
    ADMIN = "admin", _("administrator")
    CLERK = "clerk", _("data clerk")
    WELFARE = "welfare", _("welfare officer")
    VIEWER = "viewer", _("viewer")
    COUNSELLOR = "counsellor", _("counselling officer")


DOMAIN_APPS = ("base", "workforce", "programs", "training", "welfare", "sheets", "audit")
# Hardship files: only the welfare and admin roles. The 六必访 occasions and visits are among
# them: they tell of a worker's illness, bereavement and family disputes (docs/security.md).
RESTRICTED_MODELS = frozenset(
    {
        "welfare.hardshipcase",
        "welfare.careoccasion",
        "welfare.carevisit",
        "welfare.assistancegrant",
        "welfare.caseevent",
        "welfare.dispatch",
        "welfare.solarproject",
        "welfare.solarincome",
    }
)
# Reference tables the admin role keeps and everyone else reads (some only the province's
# administrators: PROVINCE_KEPT_MODELS).
REFERENCE_MODELS = frozenset(
    {"base.region", "workforce.honourtitle", "programs.programme", "welfare.benefitrule"}
)
# Reference tables of the province's own: only an administrator whose scope is the whole
# province adds, changes or deletes their rows (`keeps_province_table`); every role reads them.
PROVINCE_KEPT_MODELS = frozenset({"welfare.benefitrule"})
# Staff accounts: only the admin role manages them (in its scope).
ACCOUNT_MODELS = frozenset({"base.staffprofile"})
ACCOUNT_PERMISSIONS = frozenset({"auth.add_user", "auth.change_user", "auth.view_user"})
# Logs every role reads in its scope and nobody edits: they are written by the application.
LOG_MODELS = frozenset({"sheets.importjob", "welfare.caseevent"})
# Records of something that happened, kept by both sides: cancelled, never deleted.
KEPT_MODELS = frozenset({"workforce.transfer"})
# Who saw personal data: the admins of the scope read it; nobody edits it.
AUDIT_MODELS = frozenset({"audit.accesslogentry"})

# 台工心港: the counsellor role keeps these three tables and nothing else; every other role reads
# the tallies and lectures (counts, no person) and never opens the bookings.
COUNSELLING_MODELS = frozenset(
    {
        "welfare.counsellingassessment",
        "welfare.counsellingbooking",
        "welfare.counsellinglecture",
    }
)
# Who booked a consultation: the counsellor role alone, administrators included out.
COUNSELLOR_ONLY_MODELS = frozenset({"welfare.counsellingbooking"})

RECORD_ACTIONS = ("view", "add", "change", "delete")


def _role_allows(role: Role, model_key: str, codename: str) -> bool:
    action, _sep, _rest = codename.partition("_")
    is_default_action = action in RECORD_ACTIONS and codename.endswith(model_key.split(".")[1])
    if model_key in RESTRICTED_MODELS and role not in (Role.ADMIN, Role.WELFARE):
        return False
    if model_key in COUNSELLOR_ONLY_MODELS:
        # Every permission on the bookings, seeing who booked among them.
        return role == Role.COUNSELLOR
    if role == Role.COUNSELLOR:
        # The three counselling tables; the regions to file them under and the log of its own
        # imports into them, read only.
        if model_key in COUNSELLING_MODELS:
            return is_default_action
        return model_key in ("base.region", "sheets.importjob") and action == "view"
    if model_key in COUNSELLING_MODELS:
        return action == "view"
    if model_key in LOG_MODELS:
        return action == "view"
    if model_key in AUDIT_MODELS:
        return role == Role.ADMIN and action == "view"
    if model_key in KEPT_MODELS and action == "delete":
        return False
    if role == Role.ADMIN:
        return True
    if model_key in ACCOUNT_MODELS or not is_default_action:
        # Custom permissions (such as seeing full ID numbers) are the admin role's alone.
        return False
    if model_key in REFERENCE_MODELS:
        return action == "view"
    if model_key in RESTRICTED_MODELS:
        return role == Role.WELFARE
    if role == Role.VIEWER:
        return action == "view"
    return True


def role_permissions(role: Role) -> list[Permission]:
    """Every permission the role should hold, as the database has them now."""
    candidates = Permission.objects.filter(
        Q(content_type__app_label__in=DOMAIN_APPS)
        | Q(
            content_type__app_label="auth",
            codename__in=[p.split(".")[1] for p in ACCOUNT_PERMISSIONS],
        )
    ).select_related("content_type")
    granted = []
    for permission in candidates:
        if permission.content_type.model.startswith("historical"):
            # django-simple-history's audit tables: read through their record's history page.
            continue
        app_label = permission.content_type.app_label
        if app_label == "auth":
            if role == Role.ADMIN:
                granted.append(permission)
            continue
        model_key = f"{app_label}.{permission.content_type.model}"
        if _role_allows(role, model_key, permission.codename):
            granted.append(permission)
    return granted


def sync_role_permissions(**kwargs: Any) -> None:
    """post_migrate receiver: make each role group hold exactly the permissions `_role_allows`
    grants it."""
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        group.permissions.set(role_permissions(role))


def role_of(user: Any) -> Role | None:
    """The role of a staff user (the one role group they belong to), or None.

    Remembered on the user object, as Django remembers its permissions (`_perm_cache`): an
    import asks the step table for every row, which must not cost a query a row.
    base.services.staff_assign forgets it when it changes the role."""
    if ROLE_CACHE in user.__dict__:
        return user.__dict__[ROLE_CACHE]  # type: ignore[no-any-return]
    names = set(user.groups.values_list("name", flat=True))
    found = next((role for role in Role if role.value in names), None)
    if getattr(user, "pk", None) is not None:
        user.__dict__[ROLE_CACHE] = found
    return found


ROLE_CACHE = "_role_cache"


def keeps_province_table(user: Any, model_key: str) -> bool:
    """Whether the user may write the rows of a reference table: the permission to change it,
    and for a table of PROVINCE_KEPT_MODELS a scope that is the whole province."""
    app_label, model_name = model_key.split(".")
    if not user.has_perm(f"{app_label}.change_{model_name}"):
        return False
    return model_key not in PROVINCE_KEPT_MODELS or scope.covers_province(user)
