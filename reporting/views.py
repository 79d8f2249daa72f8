"""Pages of reporting rounds. Thin: who may do what is reporting/rules.py, the writes are
reporting/services.py, the reads reporting/selectors.py, the workbooks reporting/outputs.py."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from base import scope
from base.models import Region
from dashboards import dashboard
from dashboards.catalogue import BY_KEY, GROUPS, TIMINGS
from reporting import outputs, rules, selectors, services
from reporting.forms import ReviewForm, RoundForm, SubmitForm
from reporting.models import OPEN_STATUSES, Event, Round, Status, Submission
from sheets.workbooks import xlsx_response


def _round(request: HttpRequest, pk: int) -> Round:
    round_ = Round.objects.select_related("region").filter(pk=pk).first()
    if round_ is None or not rules.may_see_round(request.user, round_):
        raise Http404
    return round_


def _submission(request: HttpRequest, pk: int) -> Submission:
    submission = (
        Submission.objects.select_related(
            "round", "round__region", "region", "region__parent", "submitted_by", "reviewed_by"
        )
        .filter(pk=pk)
        .first()
    )
    if submission is None or not rules.may_see(request.user, submission):
        raise Http404
    return submission


def _errors(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, ValidationError):
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(error) or _("You may not do this."))


@staff_member_required
def index(request: HttpRequest) -> HttpResponse:
    """The rounds the user reports in or oversees, each with the user's own report's status
    and how many of the regions below have reported."""
    user = request.user
    today = timezone.localdate()
    here = rules.home(user)
    rounds = list(selectors.visible_rounds(user).order_by("-due_on", "-id")[:100])
    own = {
        s.round_id: s
        for s in Submission.objects.filter(round__in=rounds, region=here).select_related("round")
    } if here else {}  # fmt: skip
    below = selectors.counts_by_round(rounds, here, user, today) if here else {}
    rows = [
        {
            "round": round_,
            "own": own.get(round_.pk),
            "own_status": selectors.status_label(own[round_.pk], today) if round_.pk in own else "",
            "counts": below.get(round_.pk),
        }
        for round_ in rounds
    ]
    context = {
        **admin.site.each_context(request),
        "title": _("Reporting rounds"),
        "rows": rows,
        "may_open": here is not None and rules.may_open(user, here),
    }
    return TemplateResponse(request, "reporting/index.html", context)


@staff_member_required
def round_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    here = rules.home(user)
    if here is None or not rules.may_open(user, here):
        raise PermissionDenied(
            _("Only an administrator of a province or city may open a reporting round.")
        )
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.round_open(
                by=user,
                region=here,
                name=data["name"],
                year=data["year"],
                kind=data["kind"],
                part=data["part"],
                indicators=data["indicators"],
                due_on=data["due_on"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("The round %(name)s is open for %(count)d regions.")
                % {"name": round_.name, "count": round_.submissions.count()},
            )
            return redirect("reporting:round", pk=round_.pk)
    context = {
        **admin.site.each_context(request),
        "title": _("Open a reporting round"),
        "form": form,
        "region": here,
    }
    return TemplateResponse(request, "reporting/round_new.html", context)


def _parent_region(request: HttpRequest, round_: Round) -> Region:
    """The region whose children the round page lists: the user's own, or one in their scope."""
    code = request.GET.get("region")
    here = rules.home(request.user)
    if code:
        region = Region.objects.filter(code=code).first()
        if region is None or not scope.region_in_scope(request.user, region.code):
            raise Http404
        return region
    if here is not None:
        return here
    return round_.region


def _completeness(round_: Round, parent: Region, user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    children = list(selectors.children_in_scope(round_, parent, user).order_by("region_id"))
    return {
        "rows": [
            {
                "submission": child,
                "status": selectors.completeness_status(child, today),
                "label": selectors.status_label(child, today),
                "days_overdue": (today - round_.due_on).days
                if child.status in OPEN_STATUSES and round_.overdue(today)
                else None,
            }
            for child in children
        ],
        "counts": selectors.counts(children, today),
    }


@staff_member_required
def round_page(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    parent = _parent_region(request, round_)
    own = Submission.objects.filter(round=round_, region=parent).first()
    context = {
        **admin.site.each_context(request),
        "title": round_.name,
        "round": round_,
        "parent": parent,
        "own": own,
        "own_label": selectors.status_label(own, timezone.localdate()) if own else "",
        "indicators": [BY_KEY[key] for key in round_.indicators if key in BY_KEY],
        "period": selectors.period_label(round_),
        "may_manage": rules.may_manage(request.user, round_),
        "withdrawable": not Event.objects.filter(submission__round=round_).exists(),
        **_completeness(round_, parent, request.user),
    }
    return TemplateResponse(request, "reporting/round.html", context)


@staff_member_required
@require_POST
def round_act(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a round's due date (`action=due`) or withdraw it (`action=withdraw`)."""
    round_ = _round(request, pk)
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    try:
        if action == "due":
            try:
                due_on = datetime.date.fromisoformat(request.POST.get("due_on", ""))
            except ValueError:
                raise ValidationError(_("Enter the new due date as YYYY-MM-DD.")) from None
            services.round_move_due(by=request.user, round_=round_, due_on=due_on, reason=reason)
            messages.success(
                request, _("The due date is now %(date)s.") % {"date": due_on.isoformat()}
            )
        elif action == "withdraw":
            if request.POST.get("confirm") != "yes":
                raise ValidationError(_("Tick the box to confirm the withdrawal."))
            services.round_withdraw(by=request.user, round_=round_, reason=reason)
            messages.success(request, _("The round %(round)s is withdrawn.") % {"round": round_})
            return redirect("reporting:index")
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
    return redirect("reporting:round", pk=round_.pk)


@staff_member_required
def round_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    parent = _parent_region(request, round_)
    content = outputs.completeness_workbook(round_=round_, parent=parent, user=request.user)
    name = _("%(round)s %(region)s completeness.xlsx") % {
        "round": round_.name,
        "region": parent.name,
    }
    return xlsx_response(content, name)


@staff_member_required
def submission_page(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission(request, pk)
    user = request.user
    view = selectors.view_of(submission, user)
    round_ = submission.round
    groups = []
    for group, title in GROUPS.items():
        rows = [row for row in view["figures"] if row["indicator"].group == group]
        if rows:
            groups.append({"title": title, "rows": rows})
    is_open = submission.status in OPEN_STATUSES
    submit_form = SubmitForm(initial={"head": submission.head})
    # A report going without children must say why: the browser asks before sending, so a
    # refusal does not lose the head of unit already typed.
    submit_form.fields["missing_reason"].required = bool(view["missing"])
    context = {
        **admin.site.each_context(request),
        "title": str(submission),
        "submission": submission,
        "round": round_,
        "period": selectors.period_label(round_),
        "status_label": selectors.status_label(submission, timezone.localdate()),
        "is_open": is_open,
        "groups": groups,
        "children": view["children"],
        "child_columns": view["child_columns"],
        "events": list(submission.events.select_related("by").order_by("at", "id")),
        "may_note": is_open and rules.may_note(user, submission),
        "may_submit": is_open and rules.may_submit(user, submission),
        "may_review": submission.status == Status.SUBMITTED and rules.may_review(user, submission),
        "may_reopen": submission.status == Status.APPROVED and rules.may_review(user, submission),
        "missing": view["missing"],
        "submit_form": submit_form,
        "review_form": ReviewForm(),
        "timings": TIMINGS,
    }
    return TemplateResponse(request, "reporting/submission.html", context)


@staff_member_required
def submission_json(request: HttpRequest, pk: int) -> JsonResponse:
    submission = _submission(request, pk)
    return JsonResponse(
        dashboard.as_json(selectors.as_document(submission, request.user)),
        json_dumps_params={"ensure_ascii": False},
    )


@staff_member_required
def submission_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission(request, pk)
    content = outputs.submission_workbook(submission=submission, user=request.user)
    name = _("%(round)s %(region)s report.xlsx") % {
        "round": submission.round.name,
        "region": submission.region.name,
    }
    return xlsx_response(content, name)


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


@staff_member_required
@require_POST
def submission_act(request: HttpRequest, pk: int) -> HttpResponse:
    """One action on a report, named by the form's `action`: note, submit, approve, return,
    reopen. A refusal comes back as a message on the report's page."""
    submission = _submission(request, pk)
    user = request.user
    action = request.POST.get("action", "")
    version = _version(request)
    post = request.POST
    try:
        if action == "note":
            keys = [key for key in submission.round.indicators if f"note-{key}" in post]
            refused = 0
            for key in keys:
                try:
                    services.figure_note(
                        by=user,
                        submission=submission,
                        key=key,
                        note=post[f"note-{key}"],
                        seen=post.get(f"seen-{key}"),
                    )
                except services.Conflict as conflict:
                    # The others are saved: only the explanation changed meanwhile is refused.
                    _errors(request, conflict)
                    refused += 1
            if not refused:
                messages.success(request, _("The explanations are saved."))
        elif action == "submit":
            services.submission_submit(
                by=user,
                submission=submission,
                version=version,
                head=post.get("head", ""),
                missing_reason=post.get("missing_reason", ""),
            )
            messages.success(request, _("The report is submitted; its figures are frozen."))
        elif action == "approve":
            services.submission_approve(
                by=user, submission=submission, version=version, comment=post.get("comment", "")
            )
            messages.success(request, _("The report is approved."))
        elif action == "return":
            services.submission_return(
                by=user, submission=submission, version=version, comment=post.get("comment", "")
            )
            messages.success(request, _("The report is returned to its region."))
        elif action == "reopen":
            services.submission_reopen(
                by=user, submission=submission, version=version, reason=post.get("comment", "")
            )
            messages.success(request, _("The approved report is re-opened."))
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
    return redirect("reporting:submission", pk=submission.pk)
