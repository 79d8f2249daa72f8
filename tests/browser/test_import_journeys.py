"""A clerk's imports, driven in the browser: template, check, confirm, background progress."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import openpyxl
from playwright.sync_api import expect

from base.models import Region
from base.roles import Role
from tests import factories, sheetfiles
from tests.browser.conftest import log_in, screenshot, serious_accessibility_violations
from workforce.models import Worker

# tests/samples/workers_cangnan.xlsx as union staff sent it: a title row, a note, 序号,
# aliases (公民身份号码, 县(市、区), 工作单位), and yes/no written as 是/否/√/1.
CANGNAN = sheetfiles.SAMPLES / "workers_cangnan.xlsx"
CANGNAN_ROWS = 40
CANGNAN_COUNTY = "330327"


def with_a_bad_row(path: Path) -> Path:
    """The sample with the ID number of its seventh worker (Excel row 11) mistyped."""
    workbook = openpyxl.load_workbook(CANGNAN)
    sheet = workbook.active
    assert sheet["C11"].value == "33032719760914099X"
    sheet["C11"].value = "330327197609140991"  # wrong check character
    bad = path / "苍南县新就业形态劳动者入会名册(有误).xlsx"
    workbook.save(bad)
    return bad


def open_import_page(page, live) -> None:
    page.goto(f"{live.url}/admin/")
    page.get_by_role("link", name="职工名册").first.click()
    page.get_by_role("link", name="导入表格").click()
    expect(page.locator("h1")).to_contain_text("导入")


def test_a_county_clerk_checks_a_messy_sheet_sees_the_bad_row_and_imports_the_good_one(
    page, live, tmp_path
):
    factories.staff("cn_clerk", Role.CLERK, CANGNAN_COUNTY)
    log_in(page, live, "cn_clerk")
    open_import_page(page, live)

    with page.expect_download() as download:
        page.locator("#content-main").get_by_role("link", name="下载模板").click()
    template = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    headers = [cell.value for cell in template.active[1]]
    assert "姓名*" in headers and "身份证号*" in headers
    assert download.value.suggested_filename.endswith(".xlsx")

    page.get_by_label("表格文件").set_input_files(with_a_bad_row(tmp_path))
    page.get_by_role("button", name="校验表格").click()
    expect(page.locator("h2")).to_contain_text("校验结果")
    errors = page.locator("#sheet-errors tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first).to_contain_text("11")
    expect(errors.first).to_contain_text("身份证")
    expect(page.locator(".errornote")).to_contain_text("未写入")
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    screenshot(page, "journey1-check-with-bad-row")
    assert not Worker.objects.exists()

    # The clerk fixes nothing in the messy original: it goes through as it is.
    open_import_page(page, live)
    original = tmp_path / "苍南县新就业形态劳动者入会名册.xlsx"
    shutil.copy(CANGNAN, original)
    page.get_by_label("表格文件").set_input_files(original)
    page.get_by_role("button", name="校验表格").click()
    counts = page.locator(".sheet-counts")
    expect(counts).to_contain_text(f"新增: {CANGNAN_ROWS}")
    expect(page.locator("#sheet-preview")).to_contain_text("贺静峰")
    # A table with the sheet's own headers, choices by their labels, not codes.
    expect(page.locator("#sheet-preview thead")).to_contain_text("就业形态")
    expect(page.locator("#sheet-preview tbody")).to_contain_text("快递员")
    assert not Worker.objects.exists()
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator("h2")).to_contain_text("导入结果")
    assert Worker.objects.filter(region__code__startswith=CANGNAN_COUNTY).count() == CANGNAN_ROWS

    page.get_by_role("link", name="返回列表").click()
    page.locator("#searchbar").fill("贺静峰")
    page.locator("#searchbar").press("Enter")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list")).to_contain_text("贺静峰")
    expect(page.locator("#result_list")).to_contain_text("快递员")
    screenshot(page, "journey1-records-in-the-list")


def large_workers_sheet(path: Path, rows: int) -> Path:
    region = factories.town("330381101", "塘下镇")
    data = [["姓名", "身份证号", "所属地区", "工作单位", "就业形态", "是否工会会员"]]
    for serial in range(rows):
        birth = f"19{70 + serial % 30}0{1 + serial % 9}1{serial % 9}"
        number = factories.valid_id_number(region.code, serial, birth=birth)
        data.append([f"职工{serial:05d}", number, "瑞安市塘下镇", "", "快递员", "是"])
    large = path / "瑞安市职工名册(全量).xlsx"
    large.write_bytes(sheetfiles.xlsx(data, title="瑞安市职工名册", text_columns=(2,)))
    return large


def test_a_large_import_shows_a_progress_bar_that_moves_and_survives_a_reload(
    page, live, tmp_path, background_worker
):
    factories.staff("ra_clerk", Role.CLERK, "330381")
    sheet = large_workers_sheet(tmp_path, 3000)
    assert sheet.stat().st_size > 20_000  # goes to the background queue
    log_in(page, live, "ra_clerk")
    open_import_page(page, live)
    page.get_by_label("表格文件").set_input_files(sheet)
    page.get_by_role("button", name="校验表格").click()

    bar = page.locator("progress#job-progress")
    expect(bar).to_be_visible()
    expect(page.get_by_text("可以离开或刷新本页")).to_be_visible()

    background_worker.wait_for_progress()  # paused after 1 000 of 3 000 rows
    expect(bar).to_have_attribute("value", "33")
    expect(page.locator("#job-progress-text")).to_have_text("1000 / 3000")
    screenshot(page, "journey2-progress-one-third")

    page.reload()
    expect(bar).to_have_attribute("value", "33")

    background_worker.step()
    background_worker.wait_for_progress()
    expect(bar).to_have_attribute("value", "66")
    expect(page.locator("#job-progress-text")).to_have_text("2000 / 3000")

    background_worker.finish()
    # The page reloads itself once the job is done and shows the result.
    expect(page.locator("h2")).to_contain_text("校验结果", timeout=20_000)
    expect(page.locator(".sheet-counts")).to_contain_text("新增: 3000")
    expect(bar).to_have_count(0)
    screenshot(page, "journey2-check-finished")
    assert re.search(r"/admin/sheets/importjob/\d+/change/", page.url)
    assert not serious_accessibility_violations(page)


def test_a_masked_clerk_exports_edits_in_the_workbook_and_imports_it_back(page, live, tmp_path):
    """Export → fix in Excel → re-import, the most common job a clerk has: the ID numbers come
    out masked for the clerk's role, and go back in untouched."""
    county = Region.objects.get(code=CANGNAN_COUNTY)
    for name, number in (("贺静峰", "330327197407119711"), ("付建一", "330327196403223752")):
        factories.build(Worker, county, name=name, id_number=number, phone="13857712345")
    factories.staff("cn_clerk", Role.CLERK, CANGNAN_COUNTY)
    log_in(page, live, "cn_clerk")
    page.goto(f"{live.url}/admin/")
    page.get_by_role("link", name="职工名册").first.click()
    with page.expect_download() as download:
        page.locator("#content-main").get_by_role("link", name="导出 Excel").click()
    workbook = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = workbook.active
    headers = [cell.value for cell in sheet[1]]
    assert headers[-1] == "记录编号"
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    id_column = headers.index("身份证号")
    assert rows["付建一"][id_column].value == "330327********3752"  # masked for the clerk
    rows["付建一"][headers.index("手机号")].value = "13900001234"  # the clerk's correction
    rows["付建一"][0].value = "付建二"
    edited = tmp_path / "职工名册(已修改).xlsx"
    workbook.save(edited)

    open_import_page(page, live)
    page.get_by_label("表格文件").set_input_files(edited)
    page.get_by_role("button", name="校验表格").click()
    expect(page.locator("h2")).to_contain_text("校验结果")
    expect(page.locator(".sheet-counts")).to_contain_text("更新: 1")
    expect(page.locator("#sheet-errors")).to_have_count(0)
    screenshot(page, "journey3-masked-export-checked")
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator("h2")).to_contain_text("导入结果")
    worker = Worker.objects.get(id_number="330327196403223752")
    assert (worker.name, worker.phone) == ("付建二", "13900001234")
    assert Worker.objects.get(id_number="330327197407119711").name == "贺静峰"
    assert Worker.objects.count() == 2
