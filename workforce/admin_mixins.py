"""The admin's side of region scope: one mixin every ModelAdmin of a scoped model uses."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from workforce import scope


class ScopedAdminMixin(admin.ModelAdmin[Any]):
    """Lists, object pages, foreign-key choices and saves limited to the user's region scope.

    An object outside the scope is treated as if it did not exist: its change, delete and history
    URLs answer 404.
    """

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return scope.filter_for_user(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and scope.is_scoped(db_field.related_model):  # type: ignore[arg-type]
            field.queryset = scope.filter_for_user(field.queryset, request.user)  # type: ignore[arg-type]
        return field

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField | None:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and scope.is_scoped(db_field.related_model):  # type: ignore[arg-type]
            field.queryset = scope.filter_for_user(field.queryset, request.user)  # type: ignore[arg-type]
        return field

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The form's choices already exclude other regions; this guards any path around them.
        if not scope.object_in_scope(request.user, obj):
            raise PermissionDenied(_("This record would fall outside your region."))
        super().save_model(request, obj, form, change)

    def _get_obj_does_not_exist_redirect(
        self, request: HttpRequest, opts: Any, object_id: str
    ) -> HttpResponse:
        # Django redirects to the index with "does not exist"; an out-of-scope object must look
        # exactly like a missing one, and a plain 404 does that for change, delete and history.
        raise Http404
