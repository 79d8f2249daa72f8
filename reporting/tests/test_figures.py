"""Generated over the whole indicator catalogue, on the demo ledger: what a report freezes is
what the dashboard computes from the records at that moment, a parent's figure is its approved
children's plus 本级, and a count's frozen records are as many as its value."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone, translation

from base.models import Region
from base.roles import COUNSELLOR_ONLY_MODELS, Role
from dashboards import selectors as dashboard_selectors
from dashboards.catalogue import BY_KEY, INDICATORS, SOURCES, CountMeasure, Period
from reporting import records, selectors, services
from reporting.models import Round, Status, Submission
from tests import factories
from workforce.models import Worker

PROVINCE, CITY = "330000", "330300"  # 浙江省, 温州市
ALL_KEYS = [indicator.key for indicator in INDICATORS]
ADDITIVE = [indicator.key for indicator in INDICATORS if indicator.additive]
COUNTS = [indicator.key for indicator in INDICATORS if isinstance(indicator.measure, CountMeasure)]


@pytest.fixture(scope="module")
def reported(django_db_setup, django_db_blocker):
    """The demo ledger and a province round asking every indicator, in which every county of
    温州市 has been approved by the city and the city has submitted, with a worker kept at the
    city's own level (本级) — rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        with translation.override("en"):
            call_command("seed_demo", workers=3000, stdout=io.StringIO())
        city = Region.objects.get(code=CITY)
        province = factories.named_staff("zj_admin", Role.ADMIN, PROVINCE, "郑宏")
        reviewer = factories.named_staff("wz_reviewer", Role.ADMIN, CITY, "周建国")
        round_ = services.round_open(
            by=province,
            region=city.parent,
            name="全口径年报",
            year=timezone.localdate().year,
            kind="annual",
            part=1,
            indicators=ALL_KEYS,
            due_on=timezone.localdate() + datetime.timedelta(days=5),
        )
        factories.build(Worker, city)
        counties = Submission.objects.filter(round=round_, region__parent=city)
        for child in counties.select_related("region", "round"):
            admin = factories.named_staff(
                f"admin_{child.region_id}", Role.ADMIN, child.region_id, "林晓东"
            )
            child = services.submission_submit(
                by=admin, submission=child, version=child.version, head="李明"
            )
            services.submission_approve(by=reviewer, submission=child, version=child.version)
        parent = Submission.objects.select_related("round", "region").get(round=round_, region=city)
        parent = services.submission_submit(
            by=reviewer, submission=parent, version=parent.version, head="王建"
        )
        yield round_, parent
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def county_reports(round_: Round) -> list[Submission]:
    return list(
        Submission.objects.filter(round=round_, region__parent=CITY).select_related(
            "region", "round"
        )
    )


@pytest.mark.parametrize("key", ALL_KEYS)
def test_a_frozen_figure_is_what_the_dashboard_computed_then(reported, key):
    round_, _parent = reported
    period = Period(round_.year)
    for report in county_reports(round_):
        direct = dashboard_selectors.finish(
            dashboard_selectors.period_raw(report.region, period, ALL_KEYS), ALL_KEYS
        )
        assert report.status == Status.APPROVED
        assert selectors.frozen_values(report)[key] == direct[key], report.region.name


def test_the_demo_ledger_gives_most_figures_a_value(reported):
    round_, _parent = reported
    totals = {key: 0 for key in ALL_KEYS}
    for report in county_reports(round_):
        for key, value in selectors.frozen_values(report).items():
            totals[key] += value or 0
    empty = [key for key, total in totals.items() if not total]
    # The checks above would hold trivially for figures that are all 0.
    assert len(empty) <= len(ALL_KEYS) // 4, empty


@pytest.mark.parametrize("key", COUNTS)
def test_a_counts_frozen_records_are_as_many_as_its_value(reported, key):
    round_, _parent = reported
    for report in county_reports(round_):
        figure = report.figures.get(key=key)
        assert figure.records_count == figure.value == len(records.decode(figure.records))


@pytest.mark.parametrize("key", ADDITIVE)
def test_a_parents_figure_is_its_approved_children_plus_its_own_level(reported, key):
    round_, parent = reported
    children = sum(selectors.frozen_values(report)[key] for report in county_reports(round_))
    own = Period(round_.year)
    own_level = dashboard_selectors.finish(
        dashboard_selectors.period_raw(parent.region, own, [key], own_only=True), [key]
    )[key]
    assert selectors.frozen_values(parent)[key] == children + own_level
    figure = parent.figures.get(key=key)
    assert set(figure.parts) == {report.region_id for report in county_reports(round_)} | {""}


@pytest.mark.parametrize("key", ALL_KEYS)
def test_with_every_child_approved_a_parent_reports_what_its_dashboard_shows(reported, key):
    round_, parent = reported
    direct = dashboard_selectors.indicators_for(parent.region, round_.year)
    assert selectors.frozen_values(parent)[key] == direct[key]


@pytest.mark.parametrize("key", ALL_KEYS)
def test_records_written_after_submission_never_move_a_frozen_figure(reported, key):
    round_, parent = reported
    before = {r.pk: selectors.frozen_values(r)[key] for r in [*county_reports(round_), parent]}
    county = Region.objects.get(code="330381")
    for source in {indicator.source for indicator in INDICATORS if indicator.source}:
        factories.build(SOURCES[source].model_class(), county)
    after = {r.pk: selectors.frozen_values(r)[key] for r in [*county_reports(round_), parent]}
    assert after == before


@pytest.mark.parametrize("key", [i.key for i in INDICATORS if i.source and not i.ratio])
def test_a_frozen_figures_records_open_as_exactly_its_list(reported, key, client):
    round_, _parent = reported
    report = Submission.objects.get(round=round_, region="330381")
    figure = report.figures.get(key=key)
    # The bookings of 台工心港 open to the counsellor role alone.
    model = SOURCES[str(BY_KEY[key].source)].model_class()
    role = Role.COUNSELLOR if model._meta.label_lower in COUNSELLOR_ONLY_MODELS else Role.ADMIN
    admin = factories.named_staff("ra_lister", role, "330381", "陈志明")
    client.force_login(admin)
    link = selectors.records_link(figure, admin)
    assert link is not None
    listed = client.get(link).context["cl"]
    assert listed.result_count == figure.records_count
    shown = {row.pk for row in listed.result_list}
    assert shown <= set(records.decode(figure.records))
