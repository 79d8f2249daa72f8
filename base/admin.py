"""The ground floor's admin pages: regions and staff accounts (with their role and scope)."""

from __future__ import annotations

from typing import Any

from axes.utils import reset as axes_reset
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import (
    AdminUserCreationForm,
    ReadOnlyPasswordHashWidget,
    UserChangeForm,
)
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from adminsite.mixins import (
    RegionFilter,
    ScopedAdmin,
    ScopedAdminMixin,
)
from base import scope
from base.models import Region, RegionLevel
from base.roles import Role, role_of
from base.services import staff_assign

User = get_user_model()


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    list_display = ("code", "name", "level", "parent", "mountain_island")
    list_filter = ("level", "mountain_island", RegionFilter)
    search_fields = ("^code", "^name")
    list_select_related = ("parent",)
    ordering = ("code",)

    # Only a superuser shapes the province, cities and counties; an admin adds and edits the
    # towns and parks under their own scope.
    def _may_edit(self, request: HttpRequest, obj: Region | None) -> bool:
        return request.user.is_superuser or obj is None or obj.level == RegionLevel.TOWN

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The code is the primary key: editing it would silently create another region.
        return ("code", "level", "parent") if obj is not None else ()

    def formfield_for_choice_field(
        self, db_field: models.Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.TypedChoiceField | None:
        if db_field.name == "level" and not request.user.is_superuser:
            kwargs["choices"] = [(RegionLevel.TOWN.value, RegionLevel.TOWN.label)]
            kwargs["initial"] = RegionLevel.TOWN.value
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if (
            field is not None
            and field.queryset is not None
            and db_field.name == "parent"
            and not request.user.is_superuser
        ):
            field.queryset = field.queryset.filter(level=RegionLevel.COUNTY)
        return field


class RoleScopeFields(forms.Form):
    """The role and region a staff account gets; the region list is the editor's scope."""

    role = forms.ChoiceField(label=_("role"), choices=[("", "---------"), *Role.choices])
    region = forms.ModelChoiceField(label=_("region"), queryset=Region.objects.none())


class StaffUserCreationForm(AdminUserCreationForm):
    role = RoleScopeFields.base_fields["role"]
    region = RoleScopeFields.base_fields["region"]


class PasswordStateWidget(ReadOnlyPasswordHashWidget):
    """Says whether a password is set, not its hash algorithm, salt and hash (which mean
    nothing to an administrator and are no one's business)."""

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(name, value, attrs)
        usable = bool(value) and not str(value).startswith(UNUSABLE_PASSWORD_PREFIX)
        context["summary"] = [
            {"label": _("A password is set.") if usable else _("No password set.")}
        ]
        return context


class StaffUserChangeForm(UserChangeForm[Any]):
    role = RoleScopeFields.base_fields["role"]
    region = RoleScopeFields.base_fields["region"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        password = self.fields.get("password")
        if password is not None:
            password.widget = PasswordStateWidget(attrs=password.widget.attrs)


class RoleFilter(admin.SimpleListFilter):
    """By role, named as the role (the groups behind it are named by code)."""

    title = _("role")
    parameter_name = "role"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return list(Role.choices)

    def queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> Any:
        value = self.value()
        if value not in Role.values:
            return queryset
        return queryset.filter(groups__name=value)


admin.site.unregister(User)
# Roles are defined in code (base.roles) and re-applied after every migrate; editing the
# groups by hand would only be overwritten.
admin.site.unregister(Group)


@admin.register(User)
class StaffUserAdmin(ScopedAdminMixin, UserAdmin[Any]):
    """Staff accounts. An admin sees and manages only the accounts of their own scope and can
    hand out roles and regions only inside it; superuser accounts are invisible to them."""

    form = StaffUserChangeForm
    add_form = StaffUserCreationForm
    list_display = ("username", "last_name", "first_name", "role", "region", "is_active")
    list_filter = ("is_active", RoleFilter)
    list_select_related = ("staff_profile__region",)
    search_fields = ("username", "first_name", "last_name", "email")
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("last_name", "first_name", "email")}),
        (_("Role and scope"), {"fields": ("role", "region", "is_active")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "usable_password", "password1", "password2")}),
        (_("Role and scope"), {"fields": ("role", "region")}),
    )
    superuser_fieldset = (_("Superuser"), {"fields": ("is_superuser",)})
    actions = ("unlock_logins",)

    @admin.action(description=_("Unlock logins of the selected accounts"), permissions=["change"])
    def unlock_logins(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        """Ends a lockout after repeated failed logins (see base.accounts) before its
        cool-off time; the queryset is already limited to the admin's scope."""
        usernames = list(queryset.values_list("username", flat=True))
        for username in usernames:
            axes_reset(username=username)
        self.message_user(
            request,
            ngettext(
                "Logins of %(count)d account unlocked.",
                "Logins of %(count)d accounts unlocked.",
                len(usernames),
            )
            % {"count": len(usernames)},
        )

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        queryset = super().get_queryset(request)
        if not request.user.is_superuser:
            queryset = queryset.filter(is_superuser=False)
        return queryset.prefetch_related("groups")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and request.user.is_superuser:
            return (*fieldsets, self.superuser_fieldset)
        return fieldsets

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        base = super().get_form(request, obj, change=change, **kwargs)
        regions = scope.visible_regions(request.user)
        editor_is_superuser = request.user.is_superuser

        class ScopedForm(base):  # type: ignore[misc, valid-type]
            def __init__(self, *args: Any, **form_kwargs: Any) -> None:
                super().__init__(*args, **form_kwargs)
                self.fields["region"].queryset = regions
                # A superuser account needs no region; every other account does.
                self.fields["role"].required = not editor_is_superuser
                self.fields["region"].required = not editor_is_superuser
                if obj is not None:
                    role = role_of(obj)
                    self.initial.setdefault("role", role.value if role else "")
                    profile = getattr(obj, "staff_profile", None)
                    self.initial.setdefault("region", profile.region_id if profile else None)

        return ScopedForm

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.is_staff = True
        # The account has no region until staff_assign below, so the scope check runs there.
        admin.ModelAdmin.save_model(self, request, obj, form, change)
        role, region = form.cleaned_data.get("role"), form.cleaned_data.get("region")
        if role and region:
            staff_assign(user=obj, role=Role(role), region=region)

    @admin.display(description=_("role"))
    def role(self, obj: Any) -> str:
        role = next((r for r in Role if any(g.name == r.value for g in obj.groups.all())), None)
        return str(role.label) if role else "—"

    @admin.display(description=_("region"), ordering="staff_profile__region")
    def region(self, obj: Any) -> str:
        profile = getattr(obj, "staff_profile", None)
        return str(profile.region) if profile else "—"
