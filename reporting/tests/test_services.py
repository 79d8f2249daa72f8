"""Reporting rounds: opening, the freeze at submission, review and the rules every action asks."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from base.models import Region
from base.roles import Role
from dashboards.catalogue import BY_KEY
from reporting import records, selectors, services
from reporting.models import Action, Status, Submission
from tests import factories
from workforce.models import Worker

CITY, COUNTY, OTHER_COUNTY = "330300", "330381", "330382"  # 温州市, 瑞安市, 乐清市
KEYS = ["workers", "union_members", "high_skilled_share"]


def open_round(people, *, keys=KEYS, due=None, **extra):
    return services.round_open(
        by=people["city"],
        region=Region.objects.get(code=CITY),
        name=extra.get("name", "2026年度产改统计"),
        year=extra.get("year", timezone.localdate().year),
        kind=extra.get("kind", "annual"),
        part=extra.get("part", 1),
        indicators=keys,
        due_on=due or timezone.localdate() + datetime.timedelta(days=10),
    )


def submission(round_, code):
    return Submission.objects.select_related("round", "region").get(round=round_, region=code)


def submit(people, sub, who="county", **extra):
    return services.submission_submit(
        by=people[who], submission=sub, version=sub.version, head=extra.pop("head", "李明"), **extra
    )


def test_a_round_opens_a_report_for_every_county_of_the_city(people):
    round_ = open_round(people)
    counties = set(Region.objects.filter(parent=CITY).values_list("code", flat=True))
    assert set(round_.submissions.values_list("region", flat=True)) == counties
    assert all(s.status == Status.DRAFT for s in round_.submissions.all())


def test_a_share_asked_brings_the_two_figures_it_divides(people):
    round_ = open_round(people, keys=["high_skilled_share"])
    assert set(round_.indicators) == {"high_skilled_share", *BY_KEY["high_skilled_share"].ratio}


def test_a_round_due_in_the_past_is_refused(people):
    with pytest.raises(ValidationError, match="已过"):
        open_round(people, due=timezone.localdate() - datetime.timedelta(days=1))


@pytest.mark.parametrize("who", ["county", "clerk", "viewer"])
def test_only_a_province_or_city_admin_opens_a_round(people, who):
    with pytest.raises(PermissionDenied):
        services.round_open(
            by=people[who],
            region=Region.objects.get(code=COUNTY),
            name="x",
            year=2026,
            kind="annual",
            part=1,
            indicators=KEYS,
            due_on=timezone.localdate(),
        )


def test_submitting_freezes_figures_and_the_records_behind_them(people):
    county = Region.objects.get(code=COUNTY)
    workers = [factories.build(Worker, county) for _ in range(3)]
    round_ = open_round(people)
    sub = submit(people, submission(round_, COUNTY))
    assert sub.status == Status.SUBMITTED and sub.signer == "林晓东" and sub.head == "李明"
    figure = sub.figures.get(key="workers")
    assert figure.value == 3
    assert records.decode(figure.records) == sorted(w.pk for w in workers)
    assert figure.records_model == "workforce.worker"
    assert "在册" in figure.definition or figure.definition  # the 口径 as it read, in Chinese

    factories.build(Worker, county)  # an edit after submission
    assert selectors.frozen_values(sub)["workers"] == 3
    assert selectors.live(sub).values["workers"] == 4


def test_submitting_twice_is_refused_naming_who_submitted(people):
    round_ = open_round(people)
    sub = submission(round_, COUNTY)
    stale = sub.version
    submit(people, sub)
    with pytest.raises(services.Conflict, match="林晓东"):
        services.submission_submit(by=people["county"], submission=sub, version=stale, head="李明")
    fresh = submission(round_, COUNTY)
    with pytest.raises(ValidationError, match="林晓东"):
        services.submission_submit(
            by=people["county"], submission=fresh, version=fresh.version, head="李明"
        )


def test_a_second_reviewer_acting_on_a_stale_page_is_told_who_acted_first(people):
    round_ = open_round(people)
    sub = submit(people, submission(round_, COUNTY))
    seen = sub.version
    services.submission_approve(by=people["city"], submission=sub, version=seen)
    with pytest.raises(services.Conflict, match="周建国"):
        services.submission_return(by=people["city2"], submission=sub, version=seen, comment="x")
    assert submission(round_, COUNTY).status == Status.APPROVED
    assert submission(round_, COUNTY).events.filter(action=Action.RETURNED).count() == 0


@pytest.mark.parametrize("who", ["county", "other", "province", "clerk"])
def test_only_the_parents_admin_reviews(people, who):
    round_ = open_round(people)
    sub = submit(people, submission(round_, COUNTY))
    with pytest.raises(PermissionDenied):
        services.submission_approve(by=people[who], submission=sub, version=sub.version)


def test_a_reviewer_cannot_approve_their_own_submission(people):
    round_ = open_round(people)
    sub = submission(round_, COUNTY)
    sub.submitted_by = people["city"]
    sub.submitted_at = timezone.now()
    sub.status = Status.SUBMITTED
    sub.save()
    with pytest.raises(PermissionDenied, match="审核"):
        services.submission_approve(by=people["city"], submission=sub, version=sub.version)


def test_a_returned_report_takes_notes_again_and_is_resubmitted(people):
    round_ = open_round(people)
    sub = submit(people, submission(round_, COUNTY))
    with pytest.raises(ValidationError):
        services.submission_return(
            by=people["city"], submission=sub, version=sub.version, comment=""
        )
    sub = services.submission_return(
        by=people["city"], submission=sub, version=sub.version, comment="在册职工偏少，请核实"
    )
    assert sub.status == Status.RETURNED and sub.review_comment == "在册职工偏少，请核实"
    services.figure_note(
        by=people["clerk"], submission=sub, key="workers", note="外出务工人员已调出"
    )
    sub = submit(people, submission(round_, COUNTY))
    sub = services.submission_approve(by=people["city"], submission=sub, version=sub.version)
    assert sub.status == Status.APPROVED
    assert sub.figures.get(key="workers").note == "外出务工人员已调出"
    assert list(sub.events.values_list("action", flat=True)) == [
        Action.SUBMITTED,
        Action.RETURNED,
        Action.SUBMITTED,
        Action.APPROVED,
    ]


def test_a_frozen_figure_takes_no_note(people):
    round_ = open_round(people)
    sub = submit(people, submission(round_, COUNTY))
    with pytest.raises(ValidationError, match="冻结"):
        services.figure_note(by=people["county"], submission=sub, key="workers", note="改")


@pytest.mark.parametrize("who", ["viewer", "other", "city"])
def test_only_the_regions_clerks_and_admins_write_notes(people, who):
    round_ = open_round(people)
    with pytest.raises(PermissionDenied):
        services.figure_note(
            by=people[who], submission=submission(round_, COUNTY), key="workers", note="x"
        )


@pytest.mark.parametrize("who", ["clerk", "viewer", "city", "other"])
def test_only_the_regions_admin_submits(people, who):
    round_ = open_round(people)
    with pytest.raises(PermissionDenied):
        submit(people, submission(round_, COUNTY), who=who)


def test_a_submitter_without_a_full_name_is_asked_for_one(people):
    nameless = factories.staff("ra_nameless", Role.ADMIN, COUNTY)
    round_ = open_round(people)
    with pytest.raises(ValidationError, match="姓名"):
        services.submission_submit(
            by=nameless, submission=submission(round_, COUNTY), version=None, head="李明"
        )


def test_reopening_an_approved_report_needs_a_reason_and_is_logged(people):
    round_ = open_round(people)
    sub = submit(people, submission(round_, COUNTY))
    sub = services.submission_approve(by=people["city"], submission=sub, version=sub.version)
    with pytest.raises(ValidationError):
        services.submission_reopen(
            by=people["city"], submission=sub, version=sub.version, reason=" "
        )
    with pytest.raises(PermissionDenied):
        services.submission_reopen(
            by=people["county"], submission=sub, version=sub.version, reason="错报"
        )
    sub = services.submission_reopen(
        by=people["city2"], submission=sub, version=sub.version, reason="技能人才口径调整"
    )
    assert sub.status == Status.RETURNED
    event = sub.events.get(action=Action.REOPENED)
    assert (event.by_name, event.comment) == ("陈海燕", "技能人才口径调整")


def test_a_half_year_round_counts_the_register_at_30_june(people):
    county = Region.objects.get(code=COUNTY)
    year = timezone.localdate().year
    factories.build(Worker, county, registered_on=datetime.date(year, 3, 1))
    factories.build(Worker, county, registered_on=datetime.date(year, 6, 30))
    factories.build(Worker, county, registered_on=datetime.date(year, 7, 1))
    half = open_round(people, kind="half", part=1, name="上半年")
    annual = open_round(people, name="年报")
    assert selectors.live(submission(half, COUNTY)).values["workers"] == 2
    assert selectors.live(submission(annual, COUNTY)).values["workers"] == 3
    assert selectors.period_label(half) == f"{year}年上半年（1—6月累计）"


def test_a_quarter_round_of_a_fifth_quarter_is_refused_in_chinese(people):
    with pytest.raises(ValidationError, match="季报只有四个季度"):
        open_round(people, kind="quarter", part=5)


def test_a_second_round_of_the_same_name_and_period_is_refused(people):
    open_round(people)
    with pytest.raises(ValidationError, match="同名"):
        open_round(people)


def test_a_clerk_cannot_explain_a_hardship_figure_they_may_not_read(people):
    round_ = open_round(people, keys=["workers", "hardship_open"])
    with pytest.raises(PermissionDenied):
        services.figure_note(
            by=people["clerk"], submission=submission(round_, COUNTY), key="hardship_open", note="x"
        )
    services.figure_note(
        by=people["county"], submission=submission(round_, COUNTY), key="hardship_open", note="核"
    )


def test_the_openers_admin_moves_the_due_date_with_a_reason_kept_in_history(people):
    round_ = open_round(people, due=timezone.localdate() + datetime.timedelta(days=2))
    later = timezone.localdate() + datetime.timedelta(days=20)
    services.round_move_due(
        by=people["city"], round_=round_, due_on=later, reason="基层反映数据核对需时"
    )
    round_.refresh_from_db()
    assert round_.due_on == later
    moved = round_.history.order_by("-history_date").first()
    assert (
        moved.history_user == people["city"]
        and moved.history_change_reason == "基层反映数据核对需时"
    )


def test_moving_the_due_date_turns_overdue_reports_back_to_not_yet_due(people, settings):
    round_ = open_round(people, due=timezone.localdate() + datetime.timedelta(days=1))
    sub = submission(round_, COUNTY)
    after = timezone.localdate() + datetime.timedelta(days=3)
    assert selectors.completeness_status(sub, after) == "overdue"
    services.round_move_due(
        by=people["city"], round_=round_, due_on=after + datetime.timedelta(days=5), reason="延期"
    )
    sub = submission(round_, COUNTY)
    assert selectors.completeness_status(sub, after) != "overdue"


@pytest.mark.parametrize("who", ["county", "city_of_other", "province"])
def test_only_the_openers_admin_changes_a_round(people, who):
    round_ = open_round(people)
    if who == "city_of_other":
        user = factories.staff("nb_admin", Role.ADMIN, "330200")
    else:
        user = people[who]
    later = timezone.localdate() + datetime.timedelta(days=30)
    with pytest.raises(PermissionDenied, match="温州市"):
        services.round_move_due(by=user, round_=round_, due_on=later, reason="x")
    with pytest.raises(PermissionDenied):
        services.round_withdraw(by=user, round_=round_, reason="x")
    assert submission(round_, COUNTY).round.due_on != later


def test_a_due_date_in_the_past_or_without_a_reason_is_refused(people):
    round_ = open_round(people)
    with pytest.raises(ValidationError, match="已过"):
        services.round_move_due(
            by=people["city"],
            round_=round_,
            due_on=timezone.localdate() - datetime.timedelta(days=1),
            reason="补报",
        )
    with pytest.raises(ValidationError, match="原因"):
        services.round_move_due(
            by=people["city"],
            round_=round_,
            due_on=timezone.localdate() + datetime.timedelta(days=9),
            reason="  ",
        )


def test_a_round_opened_by_mistake_is_withdrawn_with_its_drafts_and_notes(people):
    round_ = open_round(people)
    sub = submission(round_, COUNTY)
    services.figure_note(by=people["clerk"], submission=sub, key="workers", note="含园区")
    services.round_withdraw(by=people["city"], round_=round_, reason="指标选错，重新下发")
    assert not Submission.objects.filter(pk=sub.pk).exists()
    gone = round_.history.order_by("-history_date").first()
    assert gone.history_type == "-" and gone.history_change_reason == "指标选错，重新下发"
    assert gone.history_user == people["city"]


def test_a_round_in_which_a_region_submitted_cannot_be_withdrawn(people):
    round_ = open_round(people)
    submit(people, submission(round_, COUNTY))
    with pytest.raises(ValidationError, match="不能撤销"):
        services.round_withdraw(by=people["city"], round_=round_, reason="重新下发")
    assert Submission.objects.filter(round=round_, status=Status.SUBMITTED).count() == 1


def test_a_note_changed_since_the_page_was_shown_is_refused_naming_who_changed_it(people):
    sub = submission(open_round(people), COUNTY)
    services.figure_note(by=people["clerk"], submission=sub, key="workers", note="含园区", seen="")
    with pytest.raises(services.Conflict, match=r"王丽.*在册职工"):
        services.figure_note(
            by=people["county"], submission=sub, key="workers", note="不含园区", seen=""
        )
    assert sub.figures.get(key="workers").note == "含园区"


def test_a_stale_form_that_leaves_a_note_untouched_does_not_overwrite_the_newer_one(people):
    sub = submission(open_round(people), COUNTY)
    services.figure_note(by=people["clerk"], submission=sub, key="workers", note="含园区", seen="")
    # The admin's page was shown before the clerk wrote; the admin changed nothing here.
    services.figure_note(by=people["county"], submission=sub, key="workers", note="", seen="")
    figure = sub.figures.get(key="workers")
    assert figure.note == "含园区" and figure.note_by == people["clerk"]


def test_a_note_written_on_the_current_page_is_saved_with_its_author(people):
    sub = submission(open_round(people), COUNTY)
    services.figure_note(by=people["clerk"], submission=sub, key="workers", note="含园区", seen="")
    services.figure_note(
        by=people["county"], submission=sub, key="workers", note="含园区\r\n及外包", seen="含园区"
    )
    figure = sub.figures.get(key="workers")
    assert figure.note == "含园区\n及外包" and figure.note_by == people["county"]
    assert figure.note_at is not None
