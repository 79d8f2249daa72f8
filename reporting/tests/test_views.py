"""The reporting pages as their users meet them: opening a round, a report's page live and
frozen, the actions and their refusals in Chinese, the JSON, the completeness table."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from base.models import Region
from base.roles import Role
from reporting import services
from reporting.models import Round, Status, Submission
from reporting.tests.test_services import CITY, COUNTY, OTHER_COUNTY, open_round
from tests import factories
from workforce.models import Worker


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def page(client, sub):
    return client.get(reverse("reporting:submission", args=[sub.pk]))


def act(client, sub, action, **data):
    sub.refresh_from_db()
    return client.post(
        reverse("reporting:submission_act", args=[sub.pk]),
        {"action": action, "version": sub.version, **data},
        follow=True,
    )


def test_a_city_admin_opens_a_round_from_the_form(people, login):
    client = login(people["city"])
    due = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(
        reverse("reporting:round_new"),
        {
            "name": "2026年度产改统计",
            "year": 2026,
            "kind": "annual",
            "part": 1,
            "due_on": due.isoformat(),
            "indicators": ["workers", "high_skilled_share"],
        },
        follow=True,
    )
    round_ = Round.objects.get(name="2026年度产改统计")
    assert response.redirect_chain[-1][0] == reverse("reporting:round", args=[round_.pk])
    assert "已发起" in messages_of(response)[0]
    assert round_.submissions.count() == Region.objects.filter(parent=CITY).count()


def test_a_past_due_date_is_refused_on_the_form_in_chinese(people, login):
    response = login(people["city"]).post(
        reverse("reporting:round_new"),
        {"name": "迟到", "year": 2026, "kind": "annual", "part": 1, "due_on": "2020-01-01",
         "indicators": ["workers"]},
    )  # fmt: skip
    assert response.status_code == 200
    assert "截止日期 2020-01-01 已过" in response.content.decode()
    assert not Round.objects.filter(name="迟到").exists()


def test_a_county_admin_cannot_open_a_round(people, login):
    assert login(people["county"]).get(reverse("reporting:round_new")).status_code == 403


def test_the_report_page_shows_live_then_frozen_figures_and_their_difference(people, login):
    county = Region.objects.get(code=COUNTY)
    for _ in range(2):
        factories.build(Worker, county)
    round_ = open_round(people)
    sub = Submission.objects.get(round=round_, region=COUNTY)
    client = login(people["county"])
    response = page(client, sub)
    assert response.context["is_open"] and response.context["may_submit"]
    row = next(r for g in response.context["groups"] for r in g["rows"] if r["key"] == "workers")
    assert row["live"] == "2人"

    response = act(client, sub, "submit", head="李明")
    assert "已提交" in messages_of(response)[0]
    factories.build(Worker, county)
    response = page(client, sub)
    row = next(r for g in response.context["groups"] for r in g["rows"] if r["key"] == "workers")
    assert (row["submitted"], row["live"], row["difference"]) == ("2人", "3人", "+1人")
    assert "林晓东" in response.content.decode() and "李明" in response.content.decode()


def test_a_refused_action_comes_back_as_a_chinese_message(people, login):
    round_ = open_round(people)
    sub = Submission.objects.get(round=round_, region=COUNTY)
    response = act(login(people["county"]), sub, "submit", head="")
    assert messages_of(response) == ["请填写对报送负责的单位负责人。"]
    assert Submission.objects.get(pk=sub.pk).status == Status.DRAFT


def test_the_second_of_two_reviewers_is_told_who_acted_first(people, login):
    round_ = open_round(people)
    sub = Submission.objects.get(round=round_, region=COUNTY)
    sub = services.submission_submit(
        by=people["county"], submission=sub, version=sub.version, head="李明"
    )
    seen = sub.version
    first, second = login(people["city"]), login(people["city2"])
    url = reverse("reporting:submission_act", args=[sub.pk])
    first.post(url, {"action": "approve", "version": seen})
    response = second.post(
        url, {"action": "return", "comment": "退回", "version": seen}, follow=True
    )
    assert "周建国" in messages_of(response)[0] and "请刷新页面" in messages_of(response)[0]
    assert Submission.objects.get(pk=sub.pk).status == Status.APPROVED


def test_a_clerk_saves_notes_but_sees_no_submit_form(people, login):
    round_ = open_round(people)
    sub = Submission.objects.get(round=round_, region=COUNTY)
    client = login(people["clerk"])
    response = page(client, sub)
    assert response.context["may_note"] and not response.context["may_submit"]
    act(client, sub, "note", **{"note-workers": "含园区新入职"})
    assert sub.figures.get(key="workers").note == "含园区新入职"


def test_the_city_sees_who_has_reported_and_who_is_late(people, login):
    round_ = open_round(people)
    reported = Submission.objects.get(round=round_, region=COUNTY)
    services.submission_submit(
        by=people["county"], submission=reported, version=reported.version, head="李明"
    )
    Round.objects.filter(pk=round_.pk).update(due_on=timezone.localdate() - datetime.timedelta(3))
    response = login(people["city"]).get(reverse("reporting:round", args=[round_.pk]))
    rows = {row["submission"].region_id: row for row in response.context["rows"]}
    assert rows[COUNTY]["status"] == "submitted"
    assert rows[OTHER_COUNTY]["status"] == "overdue" and rows[OTHER_COUNTY]["days_overdue"] == 3
    counts = response.context["counts"]
    assert (counts["reported"], counts["overdue"]) == (1, counts["total"] - 1)
    workbench = login(people["city"]).get(reverse("admin:index"))
    chased = workbench.context["reports"]
    # The first rows, oldest due first; the to-do page behind its link has them all.
    assert len(chased["overdue"]) == 8 and chased["more"]
    assert COUNTY not in {row["submission"].region_id for row in chased["overdue"]}
    todo = login(people["city"]).get(reverse("todo"))
    assert OTHER_COUNTY in {r["submission"].region_id for r in todo.context["overdue_reports"]}


def test_the_json_of_a_submitted_report_carries_its_records_and_signature(people, login):
    county = Region.objects.get(code=COUNTY)
    workers = [factories.build(Worker, county) for _ in range(2)]
    round_ = open_round(people)
    sub = Submission.objects.get(round=round_, region=COUNTY)
    services.submission_submit(
        by=people["county"], submission=sub, version=sub.version, head="李明"
    )
    data = login(people["viewer"]).get(reverse("reporting:submission_json", args=[sub.pk])).json()
    figure = next(f for f in data["figures"] if f["key"] == "workers")
    assert (data["status"], data["filled_in_by"], data["head_of_unit"]) == (
        "submitted",
        "林晓东",
        "李明",
    )
    assert figure["value"] == 2 and figure["records"] == sorted(w.pk for w in workers)
    assert figure["definition"]


def test_another_countys_report_does_not_exist_for_a_county(people, login):
    round_ = open_round(people)
    other = Submission.objects.get(round=round_, region=OTHER_COUNTY)
    assert page(login(people["county"]), other).status_code == 404


def test_a_user_of_another_city_does_not_see_the_round(people, login):
    round_ = open_round(people)
    stranger = factories.named_staff("nb_admin", Role.ADMIN, "330200", "钱伟")
    assert login(stranger).get(reverse("reporting:round", args=[round_.pk])).status_code == 404


def test_the_rounds_page_counts_each_rounds_reports_in_one_query(people, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(people["city"])
    client.get(reverse("reporting:index"))
    first = open_round(people, name="一")
    sub = Submission.objects.get(round=first, region=COUNTY)
    services.submission_submit(by=people["county"], submission=sub, version=sub.version, head="李")
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("reporting:index"))
    for name in ("二", "三", "四"):
        open_round(people, name=name)
    with CaptureQueriesContext(connection) as four:
        response = client.get(reverse("reporting:index"))
    assert len(four) == len(one)
    by_name = {row["round"].name: row["counts"] for row in response.context["rows"]}
    assert by_name["一"]["reported"] == 1 and by_name["二"]["reported"] == 0
    assert by_name["一"]["total"] == Region.objects.filter(parent=CITY).count()


def test_a_submitted_figure_opens_the_records_it_froze_not_those_added_since(people, login):
    county = Region.objects.get(code=COUNTY)
    frozen = {factories.build(Worker, county).pk for _ in range(3)}
    round_ = open_round(people)
    sub = Submission.objects.get(round=round_, region=COUNTY)
    services.submission_submit(
        by=people["county"], submission=sub, version=sub.version, head="李明"
    )
    added = factories.build(Worker, county)
    client = login(people["viewer"])
    row = next(
        r for g in page(client, sub).context["groups"] for r in g["rows"] if r["key"] == "workers"
    )
    listed = client.get(row["records_link"])
    shown = {worker.pk for worker in listed.context["cl"].result_list}
    assert shown == frozen and added.pk not in shown


def test_another_countys_figure_opens_an_empty_list(people, login):
    round_ = open_round(people)
    other = Submission.objects.get(round=round_, region=OTHER_COUNTY)
    factories.build(Worker, Region.objects.get(code=COUNTY))
    factories.build(Worker, Region.objects.get(code=OTHER_COUNTY))
    services.submission_submit(
        by=people["other"], submission=other, version=other.version, head="吴"
    )
    figure = other.figures.get(key="workers")
    url = reverse("admin:workforce_worker_changelist")
    response = login(people["county"]).get(f"{url}?figure={figure.pk}")
    assert list(response.context["cl"].result_list) == []
    # A figure of another table lists nothing either, even where the keys exist.
    response = login(people["other"]).get(
        f"{reverse('admin:workforce_honour_changelist')}?figure={figure.pk}"
    )
    assert list(response.context["cl"].result_list) == []


def test_the_city_admin_extends_a_late_round_and_the_late_counties_are_no_longer_overdue(
    people, login
):
    round_ = open_round(people)
    Round.objects.filter(pk=round_.pk).update(due_on=timezone.localdate() - datetime.timedelta(3))
    client = login(people["city"])
    page_ = client.get(reverse("reporting:round", args=[round_.pk]))
    assert "调整截止日期" in page_.content.decode()
    later = timezone.localdate() + datetime.timedelta(days=7)
    url = reverse("reporting:round_act", args=[round_.pk])
    response = client.post(
        url, {"action": "due", "due_on": later.isoformat(), "reason": "汛期延报"}, follow=True
    )
    assert f"截止日期已调整为{later.isoformat()}" in "".join(messages_of(response))
    assert response.context["counts"]["overdue"] == 0
    stale = client.post(url, {"action": "due", "due_on": "2026-13-40", "reason": "x"}, follow=True)
    assert "YYYY-MM-DD" in "".join(messages_of(stale))


def test_a_county_admin_sees_no_round_controls_and_cannot_post_them(people, login):
    round_ = open_round(people)
    client = login(people["county"])
    assert (
        "调整截止日期"
        not in client.get(reverse("reporting:round", args=[round_.pk])).content.decode()
    )
    url = reverse("reporting:round_act", args=[round_.pk])
    response = client.post(
        url, {"action": "withdraw", "reason": "x", "confirm": "yes"}, follow=True
    )
    assert Round.objects.filter(pk=round_.pk).exists()
    assert "温州市" in "".join(messages_of(response))


def test_withdrawing_needs_the_box_ticked_and_returns_to_the_rounds_list(people, login):
    round_ = open_round(people)
    client = login(people["city"])
    url = reverse("reporting:round_act", args=[round_.pk])
    unticked = client.post(url, {"action": "withdraw", "reason": "下发错误"}, follow=True)
    assert Round.objects.filter(pk=round_.pk).exists()
    assert "勾选" in "".join(messages_of(unticked))
    done = client.post(
        url, {"action": "withdraw", "reason": "下发错误", "confirm": "yes"}, follow=True
    )
    assert not Round.objects.filter(pk=round_.pk).exists()
    assert done.request["PATH_INFO"] == reverse("reporting:index")
    assert "已撤销" in "".join(messages_of(done))


def test_two_clerks_notes_the_stale_one_is_refused_the_others_saved(people, login):
    sub = Submission.objects.get(round=open_round(people), region=COUNTY)
    clerk, admin = login(people["clerk"]), login(people["county"])
    shown = page(admin, sub)  # the admin's page, before the clerk writes
    assert 'name="seen-workers" value=""' in shown.content.decode()
    act(clerk, sub, "note", **{"note-workers": "含园区", "seen-workers": ""})
    response = act(
        admin,
        sub,
        "note",
        **{
            "note-workers": "不含园区",
            "seen-workers": "",
            "note-union_members": "入会日期缺失者按在册计",
            "seen-union_members": "",
        },
    )
    assert any("王丽" in m and "在册职工" in m for m in messages_of(response))
    notes = dict(sub.figures.values_list("key", "note"))
    assert notes["workers"] == "含园区" and notes["union_members"] == "入会日期缺失者按在册计"
