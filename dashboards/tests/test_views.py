"""The dashboard page, its JSON and its xlsx export: access by scope, one computed result."""

from __future__ import annotations

import io
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urlsplit

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from base.models import Region
from base.roles import Role
from dashboards.catalogue import INDICATORS
from programs.models import Target
from tests import clock, factories
from workforce.models import Worker

pytestmark = pytest.mark.django_db
# The pages default to the current year; the tests name it, so the clock stands still for them.
THIS_YEAR = clock.A_WORKING_DAY.year


@pytest.fixture(autouse=True)
def _a_fixed_today(monkeypatch):
    clock.freeze(monkeypatch, clock.A_WORKING_DAY)


@pytest.fixture
def ruian_workers():
    ruian = Region.objects.get(code="330381")
    town = factories.town("330381101", "塘下镇")
    for _ in range(3):
        factories.build(Worker, town)
    factories.build(Worker, ruian)
    factories.build(Worker, Region.objects.get(code="330382"))
    return ruian


def urls(code: str) -> list[str]:
    return [
        reverse("dashboards:region", args=[code]),
        reverse("dashboards:data", args=[code]),
        reverse("dashboards:export", args=[code]),
    ]


def test_anonymous_visitors_are_sent_to_the_login_page():
    response = Client().get(reverse("dashboards:data", args=["330381"]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_dashboards_home_sends_a_user_to_their_own_region(login):
    client = login(factories.staff("ra", Role.VIEWER, "330381"))
    response = client.get(reverse("dashboards:index"))
    assert response.status_code == 302 and response["Location"].endswith("/dashboards/330381/")


def test_a_user_without_a_region_has_no_dashboard(login):
    assert (
        login(factories.user_without_region()).get(reverse("dashboards:index")).status_code == 403
    )


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_every_role_sees_its_own_county_and_nothing_else(role, login, ruian_workers):
    client = login(factories.staff("u", role, "330381"))
    for url in urls("330381"):
        assert client.get(url).status_code == 200, url
    for code in ("330382", "330300", "330000"):
        for url in urls(code):
            assert client.get(url).status_code == 404, url


def test_a_city_user_goes_anywhere_below_the_city(login, ruian_workers):
    client = login(factories.staff("wz", Role.VIEWER, "330300"))
    for code in ("330300", "330381", "330381101"):
        assert client.get(reverse("dashboards:data", args=[code])).status_code == 200
    assert client.get(reverse("dashboards:data", args=["330100"])).status_code == 404


def test_json_has_the_contract_shape_and_the_current_year_by_default(login, ruian_workers):
    client = login(factories.staff("wz", Role.VIEWER, "330300"))
    data = client.get(reverse("dashboards:data", args=["330381"])).json()
    assert data["region"] == {"code": "330381", "name": "瑞安市", "level": "county"}
    assert data["year"] == THIS_YEAR
    # A viewer reads no hardship file, dispatch or 六必访 record, nor who booked a consultation:
    # their figures, and the shares made of them, are left out.
    closed = ("hardship_cases", "assistance_grants", "dispatches", "care_occasions", "care_visits")
    hidden = {i.key for i in INDICATORS if i.source in (*closed, "counselling_bookings")}
    hidden |= {i.key for i in INDICATORS if i.ratio and set(i.ratio) & hidden}
    assert {"hardship_open", "counselling_consultations", "care_visit_timeliness"} <= hidden
    assert set(data["indicators"]) == {i.key for i in INDICATORS} - hidden
    assert data["indicators"]["workers"] == 4
    # The towns, then 本级 last: the records kept at 瑞安市 itself, so the rows add up.
    assert [child["code"] for child in data["children"]] == ["330381101", "330381"]
    assert data["children"][-1]["name"] == "本级"
    assert [child["indicators"]["workers"] for child in data["children"]] == [3, 1]
    assert {"code", "name", "indicators", "targets"} <= set(data["children"][0])
    assert data["children"][0]["rank"] is None  # no target, no rank
    # 同比: last year's values and the change, with the units of the catalogue.
    assert data["previous"]["year"] == THIS_YEAR - 1
    assert set(data["previous"]["indicators"]) == set(data["indicators"])
    assert data["change"]["workers"] == 4 - data["previous"]["indicators"]["workers"]
    assert (data["units"]["workers"], data["timing"]["workers"]) == ("人", "point")
    assert (data["units"]["training_sessions"], data["timing"]["training_sessions"]) == (
        "期",
        "period",
    )


def test_a_region_shows_its_own_targets_and_its_childrens(login, ruian_workers):
    Target.objects.create(
        region_id="330300", indicator="workers", year=THIS_YEAR, value=Decimal("10")
    )
    Target.objects.create(
        region_id="330381", indicator="workers", year=THIS_YEAR, value=Decimal("8")
    )
    client = login(factories.staff("wz", Role.VIEWER, "330300"))
    data = client.get(reverse("dashboards:data", args=["330300"]), {"year": THIS_YEAR}).json()
    assert data["targets"]["workers"] == 10
    ruian = next(child for child in data["children"] if child["code"] == "330381")
    assert ruian["targets"]["workers"] == 8
    page = client.get(
        reverse("dashboards:region", args=["330381"]), {"year": THIS_YEAR}
    ).content.decode()
    assert "50.0%" in page  # 4 of 8


def test_an_import_shows_on_the_next_request(tmp_path, login, ruian_workers):
    from django.core.management import call_command

    from tests.sheetfiles import write, xlsx

    client = login(factories.staff("ra", Role.CLERK, "330381"))
    before = client.get(reverse("dashboards:data", args=["330381"])).json()["indicators"]["workers"]
    path = write(
        tmp_path,
        "w.xlsx",
        xlsx([["姓名", "身份证号", "所属地区"], ["陈建国", "330381199001011230", "瑞安市"]]),
    )
    call_command("import_sheet", "workers", str(path), "--user", "ra", stdout=io.StringIO())
    after = client.get(reverse("dashboards:data", args=["330381"])).json()["indicators"]["workers"]
    assert after == before + 1


def test_page_json_and_export_show_the_same_numbers(login, ruian_workers):
    client = login(factories.staff("ra", Role.VIEWER, "330381"))
    data = client.get(reverse("dashboards:data", args=["330381"])).json()
    page = client.get(reverse("dashboards:region", args=["330381"])).content.decode()
    assert "在册职工" in page and f"{data['indicators']['workers']}人" in page
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("dashboards:export", args=["330381"])).content)
    )
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert "瑞安市" in rows[0][0] and str(THIS_YEAR) in rows[0][0]
    assert "填报单位" in rows[1] and "填报人" in rows[2] and "填报日期" in rows[2]
    workers_row = next(row for row in rows if row[2] == "在册职工")
    assert workers_row[4] == data["indicators"]["workers"]
    assert workers_row[7]  # the 口径 travels with the number


class _ResourceURLs(HTMLParser):
    """The URLs a browser fetches while rendering the page: scripts, stylesheets, icons, images.

    Plain links (<a href>) are not fetched, so they may point anywhere."""

    FETCHED = {"script": "src", "img": "src", "link": "href", "iframe": "src", "source": "src"}

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = self.FETCHED.get(tag)
        self.urls += [value for name, value in attrs if name == wanted and value]


def resources_loaded_by(html: str) -> list[str]:
    parser = _ResourceURLs()
    parser.feed(html)
    parser.close()
    return parser.urls


def test_resources_loaded_by_sees_scripts_stylesheets_and_images_but_not_plain_links():
    html = (
        '<script src="https://cdn.example.com/echarts.js"></script>'
        '<link rel="stylesheet" href="//fonts.example.com/a.css">'
        '<img src="/static/logo.png"><a href="https://gov.cn/">外部链接</a>'
    )
    assert resources_loaded_by(html) == [
        "https://cdn.example.com/echarts.js",
        "//fonts.example.com/a.css",
        "/static/logo.png",
    ]


def test_the_page_is_chinese_with_definitions_on_hover_and_vendored_charts(login, ruian_workers):
    content = (
        login(factories.staff("ra", Role.VIEWER, "330381"))
        .get(reverse("dashboards:region", args=["330381"]))
        .content.decode()
    )
    assert "职工队伍" in content and "关爱服务" in content
    assert 'title="' in content
    loaded = resources_loaded_by(content)
    assert any(url.endswith("vendor/echarts/echarts.min.js") for url in loaded)
    assert [url for url in loaded if urlsplit(url).netloc] == []  # nothing from another host


def test_a_count_opens_exactly_the_records_behind_it(login):
    from programs.models import InnovationStudio

    ruian = Region.objects.get(code="330381")
    alive = factories.build(InnovationStudio, ruian, named_year=2020, revoked_year=None)
    factories.build(InnovationStudio, ruian, named_year=2020, revoked_year=2022)  # revoked
    factories.build(InnovationStudio, ruian, named_year=2024)  # not yet named in 2023
    client = login(factories.staff("ra", Role.VIEWER, "330381"))
    data = client.get(reverse("dashboards:data", args=["330381"]), {"year": 2023}).json()
    assert data["indicators"]["studios"] == 1
    page = client.get(
        reverse("dashboards:region", args=["330381"]), {"year": 2023}
    ).content.decode()
    link = "/admin/programs/innovationstudio/?region=330381&amp;indicator=studios&amp;indicator_year=2023"
    assert link in page
    listed = client.get(link.replace("&amp;", "&")).context["cl"].result_list
    assert [studio.pk for studio in listed] == [alive.pk]


def test_new_form_workers_link_lists_only_workers_not_in_standard_employment(login):
    ruian = Region.objects.get(code="330381")
    rider = factories.build(Worker, ruian, employment_form="food_delivery")
    factories.build(Worker, ruian, employment_form="standard")
    client = login(factories.staff("ra", Role.VIEWER, "330381"))
    response = client.get(
        "/admin/workforce/worker/",
        {"region": "330381", "indicator": "new_form_workers", "indicator_year": "2025"},
    )
    assert [w.pk for w in response.context["cl"].result_list] == [rider.pk]


def test_page_json_and_report_show_the_same_sub_region_rows_with_own_level_total_and_ranks(
    login, ruian_workers
):
    from programs.models import Achievement

    anyang = factories.town("330381001", "安阳街道")
    factories.build(Worker, anyang)
    for code, value in (("330381101", 4), ("330381001", 1)):
        Target.objects.create(region_id=code, indicator="workers", year=THIS_YEAR, value=value)
    Target.objects.create(region_id="330381", indicator="studios", year=THIS_YEAR, value=4)
    factories.build(Achievement, anyang, year=THIS_YEAR, economic_benefit=Decimal("3900"))
    factories.build(Achievement, ruian_workers, year=THIS_YEAR, economic_benefit=Decimal("29100"))
    client = login(factories.staff("ra", Role.VIEWER, "330381"))

    data = client.get(reverse("dashboards:data", args=["330381"])).json()
    rows = [
        (c["name"], c["indicators"]["workers"], c["completion"], c["rank"])
        for c in data["children"]
    ]
    assert rows == [("安阳街道", 1, 100, 1), ("塘下镇", 3, 75, 2), ("本级", 1, None, None)]
    assert data["indicators"]["workers"] == 5

    page = client.get(reverse("dashboards:region", args=["330381"])).content.decode()
    assert 'class="own-level"' in page and "本级" in page and "合计" in page
    assert "目标值 4个" in page  # a count's target in its own unit, not 4.00
    assert "创新成果经济效益（万元）" in page and "0.39万元" in page and "2.91万元" in page
    assert "3900.00元" not in page  # one column, one unit
    assert "时点数" in page and "时期数" in page and "同比" in page

    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("dashboards:export", args=["330381"])).content)
    )["下级地区"]
    # The sheet is printed in blocks of columns, each under its own header row.
    header = ()
    leading = {}
    columns = {}
    for row in sheet.iter_rows(values_only=True):
        if row[0] == "区划代码":
            header = row
            assert header[:4] == ("区划代码", "地区", "完成率(%)", "排名")
        elif header and row[1]:
            leading[row[1]] = row[1:4]
            for title, value in zip(header[4:], row[4:], strict=True):
                if title and len(columns.setdefault(title, [])) < len(leading):
                    columns[title].append(value)
    assert list(leading.values()) == [
        ("安阳街道", 100, 1),
        ("塘下镇", 75, 2),
        ("本级", None, None),
        ("合计", 0, None),  # the county's own completion: no studio of the 4 set
    ]
    assert columns["在册职工\n（人）"] == [1, 3, 1, 5]
    assert columns["创新成果经济效益\n（万元）"] == [0.39, 0, 2.91, 3.3]


def test_every_printed_sub_region_table_has_the_screens_rows_its_total_and_units(
    login, ruian_workers
):
    client = login(factories.staff("ra", Role.VIEWER, "330381"))
    page = client.get(reverse("dashboards:region", args=["330381"])).content.decode()
    tables = [part.split("</table>")[0] for part in page.split('<table class="print-table">')[1:]]
    assert len(tables) > 1  # narrow tables for paper, not one 57 columns wide
    for table in tables:
        assert "塘下镇" in table and "本级" in table and 'class="total"' in table, table
        assert "合计" in table
    assert any("在册职工（人）" in table for table in tables)


def test_every_breakdown_has_a_chart_title():
    from dashboards.catalogue import BREAKDOWN_TITLES, BREAKDOWNS

    assert list(BREAKDOWN_TITLES) == list(BREAKDOWNS)


def test_a_chart_is_drawn_only_for_a_breakdown_the_user_may_read(login):
    viewer = login(factories.staff("ra", Role.VIEWER, "330381"))
    page = viewer.get(reverse("dashboards:region", args=["330381"])).content.decode()
    assert 'data-breakdown="studios"' in page and "创新工作室级别构成" in page
    # The counsellor reads the counselling tables alone: no chart, not even its title.
    counsellor = login(factories.staff("tz", Role.COUNSELLOR, "330381"))
    page = counsellor.get(reverse("dashboards:region", args=["330381"])).content.decode()
    assert "data-breakdown" not in page
    assert "创新工作室级别构成" not in page and "工匠礼遇享受人次" not in page


def test_the_counsellor_s_dashboard_has_no_chart_of_figures_it_may_not_read(login):
    counsellor = login(factories.staff("tz", Role.COUNSELLOR, "330300"))
    response = counsellor.get(reverse("dashboards:region", args=["330300"]))
    page = response.content.decode()
    assert 'id="chart-trend"' not in page and 'id="chart-children"' not in page
    assert response.context["chart_data"]["compared"] == []
    viewer = login(factories.staff("wz", Role.VIEWER, "330300"))
    response = viewer.get(reverse("dashboards:region", args=["330300"]))
    assert 'id="chart-trend"' in response.content.decode()
    assert response.context["chart_data"]["compared"] == [
        "workers",
        "skilled_workers",
        "craftsmen",
        "studios",
    ]
