"""Indicators in Excel: the template, all-or-nothing imports, the printable export."""

from __future__ import annotations

import datetime as _dt
import hashlib

import pytest
from openpyxl import Workbook, load_workbook

from parkdesk import exchange
from parkdesk.errors import ImportRejected
from parkdesk.exchange.indicators import DATA_HEADERS, YEAR_HEADERS
from parkdesk.indicators import Cell
from parkdesk.plans import PlanItem
from tests.conftest import run_main

THIS_YEAR = _dt.date.today().year


def workbook(path, data_rows=(), year_rows=None, *, data_headers=DATA_HEADERS, year_headers=YEAR_HEADERS):
    wb = Workbook()
    ws = wb.active
    ws.title = "指标数据"
    ws.append(list(data_headers))
    for row in data_rows:
        ws.append(list(row))
    if year_rows is not None:
        ws2 = wb.create_sheet("年度目标与预计")
        ws2.append(list(year_headers))
        for row in year_rows:
            ws2.append(list(row))
    wb.save(path)
    return path


def dump(desk) -> list[str]:
    return [line for line in desk.db.conn.iterdump()]


def cell(desk, name, year, field, month=None):
    ind = desk.indicators.by_name(name)
    return desk.indicators.read_cells([Cell(ind.id, year, field, month)])[Cell(ind.id, year, field, month)]


def test_template_has_the_contract_headers(tmp_path):
    """`template indicators` writes 指标数据 and 年度目标与预计 with the exact headers, and instructions."""
    out = tmp_path / "t.xlsx"
    result = run_main("template", "indicators", "--out", out)
    assert result.returncode == 0, result.stderr
    wb = load_workbook(out)
    assert wb.sheetnames[:2] == ["指标数据", "年度目标与预计"]
    assert [c.value for c in wb["指标数据"][1]] == [
        "指标名称", "计量单位", "年份", "月份", "累计值", "上年同期", "同比增长(%)", "备注"]
    assert [c.value for c in wb["年度目标与预计"][1]] == ["指标名称", "年份", "年度目标", "预计全年", "预计增长(%)"]
    assert wb["指标数据"].max_row == 1  # no sample row that would be imported by mistake
    assert "填写说明" in wb.sheetnames and "指标目录" in wb.sheetnames
    assert any("税收" in str(c.value) for row in wb["指标目录"].iter_rows() for c in row)


def test_good_file_imports_with_aliases_units_and_official_rates(desk, tmp_path):
    """Aliases resolve, units convert (17100 万元 → 1.71 亿元, 户 = 家), 同比 is the official rate."""
    path = workbook(tmp_path / "good.xlsx", [
        ("技工贸收入", "万元", 2026, 3, 17100, "15,000", None, "统计局快报"),
        ("税收", None, "2026年", "1—3月", "１２３４．５", None, "5.2%", None),
        ("规上企业", "户", 2026, "3月", 121, 110, None, None),
        ("GDP", "", 2026, 3, None, None, 6.1, None),
        ("实际利用外资", "亿美元", 2026, 3, 0.25, None, None, None),
        ("规模工业增加值", "亿元", 2026, 3, "5.04", None, "7.2", None),
    ], [("固投", 2026, 80, 78.5, 8.0), ("GDP", 2026, None, None, 6.5)])
    preview = exchange.preview_import(desk, "indicators", path)
    assert preview.ok, preview.errors
    assert len(preview.rows) == 8 and "新增 6 行" in preview.summary and "新增 2 行" in preview.summary
    assert any("换算为1.71亿元" in str(row[-1]) for row in preview.rows)
    assert dump(desk) == dump(desk)  # nothing written by preview
    message = exchange.apply_import(desk, preview)
    assert "新增 6 行" in message
    assert cell(desk, "技工贸总收入", 2026, "value", 3) == pytest.approx(1.71)
    assert cell(desk, "技工贸总收入", 2026, "prior_value", 3) == pytest.approx(1.5)
    assert cell(desk, "税收收入", 2026, "value", 3) == 1234.5
    assert cell(desk, "税收收入", 2026, "official_yoy", 3) == 5.2
    assert cell(desk, "规上企业数", 2026, "value", 3) == 121
    assert cell(desk, "地区生产总值", 2026, "official_yoy", 3) == 6.1
    assert cell(desk, "实际利用外资", 2026, "value", 3) == pytest.approx(2500.0)
    assert cell(desk, "固定资产投资", 2026, "target") == 80
    assert cell(desk, "地区生产总值", 2026, "forecast_yoy") == 6.5
    note = desk.db.execute("SELECT note FROM indicator_values WHERE note != ''").fetchone()[0]
    assert note == "统计局快报"


def test_reimport_updates_without_clearing(desk, tmp_path):
    """A second file updates given figures, keeps the ones it leaves empty, and says what it did."""
    workbook(tmp_path / "a.xlsx", [("税收收入", "万元", 2026, 1, 100, 90, 3.0, "初报")])
    exchange.import_file(desk, "indicators", tmp_path / "a.xlsx")
    workbook(tmp_path / "b.xlsx", [("税收收入", "万元", 2026, 1, 120, None, None, None),
                                   ("税收收入", "万元", 2026, 2, 200, None, None, None)])
    preview = exchange.preview_import(desk, "indicators", tmp_path / "b.xlsx")
    assert "新增 1 行，更新 1 行" in preview.summary
    exchange.apply_import(desk, preview)
    assert cell(desk, "税收收入", 2026, "value", 1) == 120
    assert cell(desk, "税收收入", 2026, "prior_value", 1) == 90
    assert cell(desk, "税收收入", 2026, "official_yoy", 1) == 3.0
    same = exchange.preview_import(desk, "indicators", tmp_path / "b.xlsx")
    assert same.ok and "相同" in same.summary
    assert "未作修改" in exchange.apply_import(desk, same)


def test_import_target_updates_plan_item(desk, tmp_path):
    """A 年度目标 imported for an indicator also becomes the plan item's target that year."""
    inv = desk.indicators.by_name("固定资产投资")
    section = desk.plans.add_section(2026, "目标")
    item = desk.plans.save_item(PlanItem(section_id=section.id, title="固投", target_kind="indicator",
                                         target_indicator_id=inv.id, target_value=60.0))
    exchange.import_file(desk, "indicators", workbook(tmp_path / "t.xlsx", [], [("固定资产投资", 2026, 66, None, None)]))
    assert desk.db.execute("SELECT target_value FROM plan_items WHERE id = ?", [item.id]).fetchone()[0] == 66


BAD_ROWS = [
    (("不存在的指标", "亿元", 2026, 1, 1, None, None, None), "未知的指标“不存在的指标”", "指标名称"),
    (("技工贸总收入", "亿元", 2026, 1, "约十亿", None, None, None), "不是有效的数字", "累计值"),
    (("技工贸总收入", "亿元", 2026, 13, 1, None, None, None), "超出 1—12", "月份"),
    (("技工贸总收入", "亿元", 2026, 0, 1, None, None, None), "超出 1—12", "月份"),
    (("技工贸总收入", "亿元", 2026, "第三季度", 1, None, None, None), "月份", "月份"),
    (("技工贸总收入", "亿元", 1800, 1, 1, None, None, None), "年份“1800”不合理", "年份"),
    (("技工贸总收入", "亿元", THIS_YEAR + 5, 1, 1, None, None, None), "不合理", "年份"),
    (("技工贸总收入", "亿元", "二〇二六", 1, 1, None, None, None), "年份", "年份"),
    (("技工贸总收入", "亿元", 2026.5, 1, 1, None, None, None), "四位整数", "年份"),
    (("技工贸总收入", "家", 2026, 1, 1, None, None, None), "不能换算", "累计值"),
    (("技工贸总收入", "斤", 2026, 1, 1, None, None, None), "无法识别的计量单位", "累计值"),
    (("技工贸总收入", "亿元", 2026, 1, -3, None, None, None), "不能小于", "累计值"),
    (("技工贸总收入", "亿元", 2026, 1, 1, None, "大幅增长", None), "不是有效的数字", "同比增长(%)"),
    (("技工贸总收入", "亿元", 2026, 1, 1, None, -150, None), "降幅不能超过", "同比增长(%)"),
    (("地区生产总值", "亿元", 2026, 1, 100, None, 5, None), "只录入增速", "累计值"),
    ((None, "亿元", 2026, 1, 1, None, None, None), "指标名称为空", "指标名称"),
    (("技工贸总收入", "亿元", 2026, 1, _dt.datetime(2026, 1, 5), None, None, None), "日期", "累计值"),
    (("主导产业产值占比", "%", 2026, 1, 130, None, None, None), "不能大于", "累计值"),
    (("主导产业产值占比", "亿元", 2026, 1, 60, None, None, None), "不能换算", "累计值"),
]


@pytest.mark.parametrize("row, message, column", BAD_ROWS, ids=[m for _r, m, _c in BAD_ROWS])
def test_each_bad_row_is_an_error_naming_sheet_and_row(desk, tmp_path, row, message, column):
    """Every kind of bad row rejects the whole file with an error naming sheet, row and column."""
    good = ("税收收入", "万元", 2026, 1, 100, None, None, None)
    path = workbook(tmp_path / "bad.xlsx", [good, row, good[:3] + (2,) + good[4:]])
    before = dump(desk)
    preview = exchange.preview_import(desk, "indicators", path)
    assert not preview.ok
    errors = [e for e in preview.errors if e.row == 3]
    assert errors, preview.errors
    assert any(message in e.message for e in errors), [str(e) for e in errors]
    assert all(e.sheet == "指标数据" for e in preview.errors)
    assert any(e.column == column for e in errors)
    assert "工作表“指标数据”第3行" in str(errors[0])
    with pytest.raises(ImportRejected):
        exchange.import_file(desk, "indicators", path)
    assert dump(desk) == before


def test_duplicate_rows_and_every_error_listed(desk, tmp_path):
    """Duplicates (same indicator, year, month — even through an alias) are errors; all errors are listed."""
    path = workbook(tmp_path / "dup.xlsx", [
        ("税收收入", "万元", 2026, 1, 100, None, None, None),
        ("实缴税金", "万元", 2026, "1月", 101, None, None, None),
        ("不存在", None, 2026, 1, 1, None, None, None),
        ("固定资产投资", None, 2026, 14, 1, None, None, None),
    ], [("固投", 2026, 80, None, None), ("固定资产投资", 2026, 81, None, None), ("固投", 1900, 1, None, None)])
    preview = exchange.preview_import(desk, "indicators", path)
    rows = {(e.sheet, e.row) for e in preview.errors}
    assert rows == {("指标数据", 3), ("指标数据", 4), ("指标数据", 5), ("年度目标与预计", 3), ("年度目标与预计", 4)}
    dup = next(e for e in preview.errors if e.sheet == "指标数据" and e.row == 3)
    assert "与第2行重复" in dup.message
    assert "5 处错误" in preview.summary


def test_database_file_unchanged_on_rejection(demo_path, tmp_path):
    """The command line rejects a bad file with exit code 1 and the database file keeps its bytes."""
    path = workbook(tmp_path / "bad.xlsx", [("税收收入", "万元", 2026, 1, 100, None, None, None),
                                            ("税收收入", "万元", 2026, 99, 100, None, None, None)])
    digest = hashlib.sha256(demo_path.read_bytes()).hexdigest()
    result = run_main("import", "indicators", path, "--db", demo_path)
    assert result.returncode == 1
    assert "第3行" in result.stderr and "Traceback" not in result.stderr
    assert hashlib.sha256(demo_path.read_bytes()).hexdigest() == digest


@pytest.mark.parametrize("content, message", [
    (b"", "文件是空的"),
    (b"not a workbook at all", "不是 Excel"),
])
def test_unreadable_files_are_rejected_clearly(desk, tmp_path, content, message):
    """Empty and random files give a clear error, never a traceback."""
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    with pytest.raises(ImportRejected) as info:
        exchange.preview_import(desk, "indicators", path)
    assert message in info.value.message


def test_missing_headers_and_sheets(desk, tmp_path):
    """A sheet without the required headers, or without the sheets, is rejected naming what is missing."""
    no_value = workbook(tmp_path / "h.xlsx", [("税收", 1)], data_headers=["指标名称", "年份", "月份"])
    preview = exchange.preview_import(desk, "indicators", no_value)
    assert any("表头缺少列：累计值" in e.message for e in preview.errors)
    wb = Workbook()
    wb.active.title = "Sheet1"
    wb.save(tmp_path / "s.xlsx")
    preview = exchange.preview_import(desk, "indicators", tmp_path / "s.xlsx")
    assert any("缺少工作表“指标数据”" in e.message for e in preview.errors)
    empty = workbook(tmp_path / "e.xlsx", [])
    assert any("没有可导入的数据" in e.message for e in exchange.preview_import(desk, "indicators", empty).errors)


def test_retired_indicator_is_refused(desk, tmp_path):
    """Data for a retired indicator is an error (restore it first)."""
    desk.indicators.retire(desk.indicators.by_name("技改投资").id)
    preview = exchange.preview_import(desk, "indicators", workbook(tmp_path / "r.xlsx", [
        ("技改投资", None, 2026, 1, 1, None, None, None)]))
    assert "已停用" in preview.errors[0].message


def test_export_is_printable_formula_free_and_reimportable(demo_desk, tmp_path):
    """`export --year`: import sheets first, a printable 完成情况 with derived figures, no formula cells."""
    demo_desk.indicators.write_cells({Cell(demo_desk.indicators.by_name("技改投资").id, 2026, "value", 1): 1.28})
    path = tmp_path / "e.xlsx"
    exchange.export(demo_desk, "indicators", 2026, path)
    wb = load_workbook(path)
    assert wb.sheetnames[:2] == ["指标数据", "年度目标与预计"]
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate)
    progress = wb["完成情况"]
    assert progress.print_title_rows == "$2:$2"
    assert int(progress.page_setup.paperSize) == int(progress.PAPERSIZE_A4)
    assert progress.page_setup.orientation == "landscape"
    assert "1—10月" in progress["A1"].value
    header = [c.value for c in progress[2]]
    assert header[:4] == ["类别", "指标名称", "计量单位", "1—10月累计"] and "完成目标(%)" in header
    rows = {r[1]: r for r in progress.iter_rows(min_row=3, values_only=True)}
    tech = rows["技工贸总收入"]
    assert tech[2] == "亿元" and isinstance(tech[3], float) and isinstance(tech[6], float)
    assert rows["地区生产总值"][3] == "—"
    assert "统计部门公布" in rows["规模工业增加值"][13]
    data = wb["指标数据"]
    assert data.print_title_rows == "$1:$1"
    # importing the export changes nothing
    before = dump(demo_desk)
    preview = exchange.preview_import(demo_desk, "indicators", path)
    assert preview.ok and "新增 0 行，更新 0 行" in preview.summary
    exchange.apply_import(demo_desk, preview)
    assert dump(demo_desk) == before


def test_export_formula_like_text_stays_text(desk, tmp_path):
    """A note beginning with = is exported as text, never as a formula."""
    tax = desk.indicators.by_name("税收收入")
    desk.indicators.set_month(tax.id, 2026, 1, value=10.0, note="=SUM(A1:A9)")
    path = tmp_path / "f.xlsx"
    exchange.export(desk, "indicators", 2026, path)
    ws = load_workbook(path)["指标数据"]
    assert ws["H2"].value == "=SUM(A1:A9)" and ws["H2"].data_type == "s"


def test_export_of_an_empty_year_says_so(desk, tmp_path):
    """Exporting a year without data is a clear error (exit 1 on the command line)."""
    result = run_main("export", "indicators", "--year", "2020", "--out", tmp_path / "x.xlsx", "--db", desk.path)
    assert result.returncode == 1 and "没有指标数据" in result.stderr


def test_rate_rows_take_percent_values_and_point_changes(desk, tmp_path):
    """A 比率 indicator reads "62.5%" as 62.5; its 同比增长 column is the change in 个百分点."""
    exchange.import_file(desk, "indicators", workbook(tmp_path / "r.xlsx", [
        ("主导产业产值比重", "%", 2026, 3, "62.5%", 61.7, 0.8, None)]))
    assert cell(desk, "主导产业产值占比", 2026, "value", 3) == 62.5
    assert cell(desk, "主导产业产值占比", 2026, "prior_value", 3) == 61.7
    assert cell(desk, "主导产业产值占比", 2026, "official_yoy", 3) == 0.8
