"""Imports read sheets laid out as parks keep them: title rows, unit lines, header variants, another sheet name."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from parkdesk import exchange
from parkdesk.errors import ImportRejected
from parkdesk.exchange.indicators import DATA_HEADERS
from parkdesk.exchange.plans import HEADERS as PLAN_HEADERS
from parkdesk.exchange.projects import HEADERS as PROJECT_HEADERS
from parkdesk.indicators import Cell


def titled_sheet(path, title, headers, rows, *, sheet, unit_line=True, blank_after_title=True):
    """A WPS/bureau-style sheet: merged title row, optional blank row and 单位 line, then header and rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.cell(row=1, column=1, value=title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    r = 2
    if blank_after_title:
        r += 1
    if unit_line:
        ws.cell(row=r, column=len(headers), value="单位：万元")
        r += 1
    for c, h in enumerate(headers, start=1):
        ws.cell(row=r, column=c, value=h)
    for row in rows:
        r += 1
        for c, v in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=v)
    wb.save(path)
    return path


def project_row(name, stage, **kw):
    values = {"项目名称": name, "当前阶段": stage, **kw}
    return [values.get(h.split("(")[0]) for h in PROJECT_HEADERS]


def test_projects_with_title_and_unit_rows_import(desk, tmp_path):
    """A 项目台账 with a merged title, a blank row and a 单位 line above the header is read."""
    headers = [h.replace("(万元)", "\n（万元）") if h.startswith("总投资") else h for h in PROJECT_HEADERS]
    headers[PROJECT_HEADERS.index("合同引资额(万元)")] = " 合同引资额（万元） "
    path = titled_sheet(tmp_path / "p.xlsx", "2026年重点项目台账", headers, [
        project_row("甲项目", "已签约", 签约日期="2026-03-01", 总投资=12000, 合同引资额=9000),
    ], sheet="项目台账")
    message = exchange.import_file(desk, "projects", path)
    assert "新增 1 个" in message
    p = desk.projects.find("甲项目")
    assert (p.total_investment, p.contract_investment, p.signed_on) == (12000, 9000, "2026-03-01")


def test_errors_keep_excel_row_numbers_below_a_title(desk, tmp_path):
    """With the header on row 4, a bad stage in the second data row is reported on row 6."""
    path = titled_sheet(tmp_path / "p.xlsx", "项目台账", PROJECT_HEADERS, [
        project_row("甲项目", "已签约", 签约日期="2026-03-01"),
        project_row("乙项目", "天晓得"),
    ], sheet="项目台账")
    with pytest.raises(ImportRejected) as info:
        exchange.import_file(desk, "projects", path)
    assert [e.row for e in info.value.errors] == [6]
    assert desk.projects.count() == 0


def test_indicators_with_title_row_import(desk, tmp_path):
    """A 指标数据 sheet under "2026年1—4月主要经济指标" and a 单位 line imports."""
    path = titled_sheet(tmp_path / "i.xlsx", "2026年1—4月主要经济指标", DATA_HEADERS, [
        ["税收收入", "亿元", 2026, 4, 1.71, None, None, None],
    ], sheet="指标数据")
    exchange.import_file(desk, "indicators", path)
    ind = desk.indicators.by_name("税收收入")
    cell = Cell(ind.id, 2026, "value", 4)
    assert desk.indicators.read_cells([cell])[cell] == pytest.approx(17100)


def test_plans_with_title_row_import(desk, tmp_path):
    """A 工作计划 sheet under a title row imports with its sections."""
    path = titled_sheet(tmp_path / "w.xlsx", "2027年工作计划", PLAN_HEADERS, [
        [2027, "一、招大引强", "强化招商", "紧盯头部企业", "引进亿元以上项目≥6个", "招商局", "王", "年底", "未开始"],
    ], sheet="工作计划", unit_line=False)
    exchange.import_file(desk, "plans", path)
    assert [s.title for s in desk.plans.sections(2027)] == ["招大引强"]


def test_header_variants_and_units_in_headers(desk, tmp_path):
    """Headers such as 总投资（亿元）, 项目阶段, 签约时间 are read; 亿元 figures become 万元."""
    headers = ["序号", "项目名称", "总投资（亿元）", "合同引资额", "项目阶段", "签约时间", "包联领导"]
    path = titled_sheet(tmp_path / "p.xlsx", "重点项目", headers, [
        [1, "乙项目", 1.5, 8000, "已签约", dt.datetime(2026, 5, 6), "张三"],
    ], sheet="项目台账", unit_line=False)
    exchange.import_file(desk, "projects", path)
    p = desk.projects.find("乙项目")
    assert (p.total_investment, p.contract_investment, p.stage, p.signed_on, p.leader) == (
        15000, 8000, "已签约", "2026-05-06", "张三")


def test_only_sheet_with_the_header_is_read_under_another_name(desk, tmp_path):
    """Data on "Sheet1" (the file's only sheet holding the header) is imported."""
    path = titled_sheet(tmp_path / "p.xlsx", "台账", PROJECT_HEADERS, [
        project_row("丙项目", "在谈"),
    ], sheet="Sheet1", unit_line=False)
    exchange.import_file(desk, "projects", path)
    assert desk.projects.find("丙项目").stage == "在谈"


def test_no_header_in_the_first_rows_is_a_clear_error(desk, tmp_path):
    """A sheet whose first ten rows hold no header is rejected, saying what was expected."""
    wb = Workbook()
    ws = wb.active
    ws.title = "项目台账"
    for i in range(12):
        ws.append([f"说明{i}", "随便写的"])
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(ImportRejected) as info:
        exchange.import_file(desk, "projects", tmp_path / "x.xlsx")
    text = info.value.details()
    assert "找不到表头" in text and "项目名称" in text and "当前阶段" in text


def test_stage_words_of_real_ledgers_import(desk, tmp_path):
    """A ledger written with 已开工(在建), 试生产（安装调试）, 竣工投产, 洽谈中, 签约未开工 ... imports whole."""
    path = titled_sheet(tmp_path / "p.xlsx", "台账", PROJECT_HEADERS, [
        project_row("A", "已开工(在建)", 签约日期="2025-01-01", 开工日期="2025-03-01"),
        project_row("B", "试生产（安装调试）", 开工日期="2025-03-01"),
        project_row("C", "竣工投产", 开工日期="2024-03-01", 投产日期="2025-06-01"),
        project_row("D", "洽谈中"),
        project_row("E", "已签约未开工", 签约日期="2025-09-01"),
        project_row("F", "建设中", 开工日期="2025-10-01"),
    ], sheet="项目台账", unit_line=False)
    exchange.import_file(desk, "projects", path)
    assert {p.name: p.stage for p in desk.projects.list()} == {
        "A": "已开工", "B": "试生产", "C": "已投产", "D": "在谈", "E": "已签约", "F": "已开工"}


def test_per_mu_indicator_given_in_wan_or_yuan_per_mu_imports(desk, tmp_path):
    """亩均税收 written with 计量单位 万元 (or 元/亩) is read as 万元/亩."""
    path = titled_sheet(tmp_path / "i.xlsx", "节约集约指标", DATA_HEADERS, [
        ["亩均税收", "万元", 2026, 3, 25, None, None, None],
        ["投资强度", "元/亩", 2026, 3, 3000000, None, None, None],
    ], sheet="指标数据", unit_line=False)
    exchange.import_file(desk, "indicators", path)
    for name, value in (("亩均税收", 25), ("投资强度", 300)):
        cell = Cell(desk.indicators.by_name(name).id, 2026, "value", 3)
        assert desk.indicators.read_cells([cell])[cell] == pytest.approx(value)


def test_totals_and_signature_lines_under_the_table_are_not_rows(desk, tmp_path):
    """合计, 制表人/审核 and 注： lines below a ledger are skipped; a bad real row is still refused."""
    total = project_row("合计", None, 总投资=20000)
    signer = ["制表人：张三", None, None, None, None, "审核：李四"] + [None] * (len(PROJECT_HEADERS) - 6)
    note = ["注：本表金额单位为万元。"] + [None] * (len(PROJECT_HEADERS) - 1)
    rows = [project_row("甲项目", "已签约", 签约日期="2026-03-01", 总投资=12000),
            project_row("乙项目", "在谈", 总投资=8000), total, signer, note]
    path = titled_sheet(tmp_path / "p.xlsx", "重点项目台账", PROJECT_HEADERS, rows, sheet="项目台账")
    assert "新增 2 个" in exchange.import_file(desk, "projects", path)
    assert desk.projects.find("合计") is None
    bad = titled_sheet(tmp_path / "bad.xlsx", "重点项目台账", PROJECT_HEADERS,
                       [project_row("丙项目", "不知道", 总投资=1000), total], sheet="项目台账")
    with pytest.raises(ImportRejected):
        exchange.import_file(desk, "projects", bad)


def test_formula_without_a_saved_result_is_refused_not_read_as_empty(desk, tmp_path):
    """A value cell holding =1+1 with no cached result (as scripts and WPS write) is an error by row."""
    wb = Workbook()
    ws = wb.active
    ws.title = "指标数据"
    ws.append(DATA_HEADERS)
    ws.append(["技工贸总收入", "亿元", 2026, 1, 10.5, None, None, None])
    ws.append(["技工贸总收入", "亿元", 2026, 2, "=A1+1", None, None, None])  # openpyxl saves no result
    path = tmp_path / "f.xlsx"
    wb.save(path)
    with pytest.raises(ImportRejected) as exc:
        exchange.import_file(desk, "indicators", path)
    assert any(e.row == 3 and "公式" in e.message for e in exc.value.errors)
    assert desk.db.execute("SELECT count(*) FROM indicator_values").fetchone()[0] == 0
    ws.cell(row=3, column=5, value=21.0)  # the same file with plain numbers imports
    wb.save(path)
    assert "新增 2 行" in exchange.import_file(desk, "indicators", path)
