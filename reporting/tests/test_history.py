"""A past year's time-point figures (时点数) come from that year's approved annual report where
there is one, and the dashboard says which; numbers worked by hand.

瑞安市 (a county of 温州市) reported 5 workers for last year, 4 of them skilled and 2 of those
highly skilled (a share of 50.0%), and 4 certificates issued in the year. After the city
approved it, two of the five turned out to have left the register in March (3 on the register
at the end of the year) and a third worker's senior certificate, dated July, was entered (3 of
4 highly skilled: 75.0% counted; 5 certificates issued)."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from base.models import Region
from dashboards import dashboard
from dashboards.catalogue import BY_KEY
from reporting import history, services
from reporting.models import Figure, Status, Submission
from tests import clock, factories
from workforce.models import HIGH_SKILLED_FROM, SKILLED_FROM, SkillCertificate, Worker

CITY, COUNTY, OTHER_COUNTY = "330300", "330381", "330382"  # 温州市, 瑞安市, 乐清市
THIS_YEAR = clock.A_WORKING_DAY.year
LAST_YEAR = THIS_YEAR - 1
ROUND = f"{LAST_YEAR}年度产改统计"
KEYS = ["workers", "high_skilled_share", "certificates_issued"]
FROM_REPORT = f"取自已审核的《{ROUND}》"


@pytest.fixture(autouse=True)
def _a_fixed_today(monkeypatch):
    clock.freeze(monkeypatch, clock.A_WORKING_DAY)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def certificate(worker: Worker, level: int, on: datetime.date) -> SkillCertificate:
    return factories.build(
        SkillCertificate, worker.region, worker=worker, level=level, certified_on=on
    )


def open_round(people, *, year=LAST_YEAR, name=ROUND, keys=KEYS):
    return services.round_open(
        by=people["city"],
        region=region(CITY),
        name=name,
        year=year,
        kind="annual",
        part=1,
        indicators=keys,
        due_on=clock.A_WORKING_DAY.date() + datetime.timedelta(days=10),
    )


def submission(round_, code: str) -> Submission:
    return Submission.objects.select_related("round", "region").get(round=round_, region=code)


def submit(people, round_, code: str = COUNTY, who: str = "county") -> Submission:
    sub = submission(round_, code)
    return services.submission_submit(
        by=people[who], submission=sub, version=sub.version, head="李明"
    )


def approve(people, sub: Submission) -> Submission:
    return services.submission_approve(by=people["city"], submission=sub, version=sub.version)


@pytest.fixture
def reported(people):
    """The county's approved report for last year, and the records changed after it."""
    county = region(COUNTY)
    workers = [factories.build(Worker, county) for _ in range(5)]
    january = datetime.date(LAST_YEAR, 1, 15)
    for worker, level in zip(
        workers[:4], [HIGH_SKILLED_FROM, HIGH_SKILLED_FROM, SKILLED_FROM, SKILLED_FROM], strict=True
    ):
        certificate(worker, level, january)
    round_ = open_round(people)
    sub = approve(people, submit(people, round_))
    assert sub.status == Status.APPROVED
    frozen = dict(sub.figures.values_list("key", "value"))
    assert frozen["workers"] == 5 and frozen["high_skilled_share"] == Decimal("50.0")
    # Found after approval: two left in March; a senior certificate dated July.
    for worker in workers[3:]:
        worker.left_on = datetime.date(LAST_YEAR, 3, 1)
        worker.save()
    certificate(workers[2], HIGH_SKILLED_FROM, datetime.date(LAST_YEAR, 7, 1))
    return sub


def test_the_read_gives_the_latest_approved_annual_figures_of_the_year(reported):
    found = history.approved_figures([COUNTY, OTHER_COUNTY], LAST_YEAR)
    assert set(found) == {COUNTY}  # 乐清市 has no approved report
    figures = found[COUNTY]
    assert figures.values["workers"] == 5 and isinstance(figures.values["workers"], int)
    assert figures.values["skilled_workers"] == 4
    assert figures.values["high_skilled_workers"] == 2
    # Period figures and shares are not taken: the one stays live, the other is recomputed.
    assert "certificates_issued" not in figures.values
    assert "high_skilled_share" not in figures.values
    report = figures.reports["workers"]
    assert (report.round, report.approved_on) == (ROUND, clock.A_WORKING_DAY.date())
    assert report.figure == reported.figures.get(key="workers").pk
    assert report.records_model == "workforce.worker"
    assert history.approved_figures([COUNTY], THIS_YEAR) == {}


def test_a_past_year_shows_the_approved_point_figures_and_counts_the_rest(reported):
    data = dashboard.build(region(COUNTY), LAST_YEAR)
    values = data["indicators"]
    assert values["workers"] == 5  # reported; 3 counted
    assert values["skilled_workers"] == 4 and values["high_skilled_workers"] == 2
    # The share from the reported parts, 2 / 4: not the 75.0 counted now (3 / 4).
    assert values["high_skilled_share"] == Decimal("50.0")
    assert values["certificates_issued"] == 5  # a 时期数: counted, not the reported 4
    taken = data["reported"]["indicators"]
    assert (taken["workers"]["round"], taken["workers"]["approved_on"]) == (
        ROUND,
        clock.A_WORKING_DAY.date(),
    )
    assert "high_skilled_share" in taken and "certificates_issued" not in taken


def test_a_share_is_recomputed_from_its_reported_parts_not_read(reported):
    Figure.objects.filter(submission=reported, key="high_skilled_share").update(value=99)
    data = dashboard.build(region(COUNTY), LAST_YEAR)
    assert data["indicators"]["high_skilled_share"] == Decimal("50.0")


def test_the_current_year_is_counted_even_with_an_approved_report(people, reported):
    this_year = approve(people, submit(people, open_round(people, year=THIS_YEAR, name="本年")))
    assert this_year.figures.get(key="workers").value == 3
    factories.build(Worker, region(COUNTY))
    data = dashboard.build(region(COUNTY), THIS_YEAR)
    assert data["indicators"]["workers"] == 4  # counted; the report said 3
    assert data["reported"]["indicators"] == {}
    # 同比: last year as its approved report gave it.
    assert data["previous"]["indicators"]["workers"] == 5
    assert data["change"]["workers"] == 4 - 5
    assert data["previous"]["indicators"]["high_skilled_share"] == Decimal("50.0")
    assert data["reported"]["previous"]["workers"]["round"] == ROUND


def test_the_parents_row_of_the_child_shows_the_childs_approved_figures(people, reported):
    for _ in range(2):
        factories.build(Worker, region(OTHER_COUNTY))
    # 乐清市 submitted 2 but it is not approved; a third worker is entered after.
    submit(people, open_round(people, name="另一轮", keys=["workers"]), OTHER_COUNTY, "other")
    factories.build(Worker, region(OTHER_COUNTY))
    data = dashboard.build(region(CITY), LAST_YEAR)
    rows = {child["code"]: child for child in data["children"]}
    assert rows[COUNTY]["indicators"]["workers"] == 5
    assert rows[COUNTY]["indicators"]["high_skilled_share"] == Decimal("50.0")
    assert rows[OTHER_COUNTY]["indicators"]["workers"] == 3  # counted: not approved
    # The city itself has no approved report of its own: counted, 3 + 3.
    assert data["indicators"]["workers"] == 6
    assert set(data["reported"]["children"]) == {COUNTY}
    assert data["reported"]["children"][COUNTY]["workers"]["round"] == ROUND
    assert data["reported"]["indicators"] == {}


def test_the_latest_approval_wins(people, reported, monkeypatch):
    factories.build(Worker, region(COUNTY))  # 4 on the register at the end of last year
    later = clock.freeze(monkeypatch, clock.A_WORKING_DAY + datetime.timedelta(days=1))
    approve(people, submit(people, open_round(people, name="补报", keys=["workers"])))
    data = dashboard.build(region(COUNTY), LAST_YEAR)
    assert data["indicators"]["workers"] == 4
    assert data["reported"]["indicators"]["workers"]["round"] == "补报"
    # The first report still gives what the second did not ask for.
    assert data["indicators"]["skilled_workers"] == 4
    assert data["reported"]["indicators"]["skilled_workers"]["round"] == ROUND
    assert data["reported"]["indicators"]["workers"]["approved_on"] == later.date()


@pytest.mark.usefixtures("local_cache")
def test_approving_and_reopening_recount_the_cached_dashboards(
    people, django_capture_on_commit_callbacks
):
    county, city = region(COUNTY), region(CITY)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            factories.build(Worker, county)
        sub = submit(people, open_round(people, keys=["workers"]))
        workers = list(Worker.objects.filter(region=county)[:2])
        for worker in workers:
            worker.left_on = datetime.date(LAST_YEAR, 3, 1)
            worker.save()

    def shown() -> tuple[int, int]:
        rows = {row["code"]: row for row in dashboard.build(city, LAST_YEAR)["children"]}
        own = dashboard.build(county, LAST_YEAR)["indicators"]["workers"]
        return own, rows[COUNTY]["indicators"]["workers"]

    assert shown() == (3, 3)  # submitted, not yet approved: counted (and now cached)
    with django_capture_on_commit_callbacks(execute=True):
        sub = approve(people, sub)
    assert shown() == (5, 5)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_reopen(
            by=people["city"], submission=sub, version=sub.version, reason="两人三月已离册"
        )
    assert shown() == (3, 3)  # the live values are back


def test_the_json_page_and_workbook_say_which_figures_were_reported(reported, login, people):
    client = login(people["county"])
    response = client.get(reverse("dashboards:data", args=[COUNTY]), {"year": LAST_YEAR})
    payload = json.loads(response.content)
    assert payload["indicators"]["workers"] == 5
    assert payload["reported"]["indicators"]["workers"] == {
        "round": ROUND,
        "approved_on": clock.A_WORKING_DAY.date().isoformat(),
    }
    assert payload["reported"]["children"] == {} and payload["reported"]["previous"] == {}

    page = client.get(reverse("dashboards:region", args=[COUNTY]), {"year": LAST_YEAR})
    text = page.content.decode()
    assert FROM_REPORT in text
    assert "取自已审核的年度报送" in text  # the note at the top
    this_year = client.get(reverse("dashboards:region", args=[COUNTY]), {"year": THIS_YEAR})
    assert "取自已审核的年度报送" not in this_year.content.decode().split("kpi-group")[0]

    xlsx = client.get(reverse("dashboards:export", args=[COUNTY]), {"year": LAST_YEAR})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content))["指标"]
    assert "取自已审核的年度报送" in sheet["A4"].value
    rows = {row[2]: row for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)}
    workers = rows["在册职工"]
    assert workers[4] == 5 and FROM_REPORT in workers[7]
    assert FROM_REPORT not in rows[str(BY_KEY["certificates_issued"].label)][7]


def test_the_citys_page_and_workbook_mark_the_childs_reported_row(reported, login, people):
    client = login(people["city"])
    page = client.get(reverse("dashboards:region", args=[CITY]), {"year": LAST_YEAR})
    text = page.content.decode()
    # The county's cell holds the reported 5, marked on hover; the note stands at the top.
    assert f'data-value="5" class="reported" title="{FROM_REPORT}' in text
    assert "取自已审核的年度报送" in text
    xlsx = client.get(reverse("dashboards:export", args=[CITY]), {"year": LAST_YEAR})
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    lines = [row[0] for row in book["下级地区"].iter_rows(values_only=True) if row[0]]
    assert f"以下下级地区的时点数为其已审核年度报送的数字：瑞安市《{ROUND}》" in lines
    # The city's own figures were counted: no reported figure in the 指标 sheet.
    rows = [row for row in book["指标"].iter_rows(values_only=True) if isinstance(row[0], int)]
    assert not [row for row in rows if FROM_REPORT in str(row[7])]


def test_a_reported_cards_link_lists_the_records_the_report_froze_not_todays(
    reported, login, people
):
    client = login(people["county"])
    page = client.get(reverse("dashboards:region", args=[COUNTY]), {"year": LAST_YEAR})
    cards = {
        card["indicator"].key: card for group in page.context["groups"] for card in group["cards"]
    }
    frozen = reported.figures.get(key="workers")
    assert cards["workers"]["link"].endswith(f"?figure={frozen.pk}")
    listed = client.get(cards["workers"]["link"])
    # The five on the register when the report was approved, the two who left since included.
    assert listed.context["cl"].result_count == 5
    # A share lists the records of its numerator as the report froze them, as it does live.
    numerator = reported.figures.get(key="high_skilled_workers")
    assert cards["high_skilled_share"]["link"].endswith(f"?figure={numerator.pk}")
    # A period figure is counted, not reported: its link lists the records counted now.
    assert "figure=" not in (cards["certificates_issued"]["link"] or "")
