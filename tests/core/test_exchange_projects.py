"""Excel exchange of the project ledger: template, import (all or nothing), export, dispatch sheet."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook, load_workbook

from parkdesk import exchange
from parkdesk.errors import ImportRejected
from parkdesk.exchange.projects import EXTRA_HEADERS, HEADERS
from parkdesk.projects import Project
from tests.conftest import run_main

CONTRACT = ["项目名称", "投资方", "来源地", "所属产业链", "项目类型", "项目级别", "总投资(万元)", "合同引资额(万元)",
            "到位资金(万元)", "用地(亩)", "当前阶段", "签约日期", "开工日期", "投产日期", "包保领导", "责任单位", "备注"]


def workbook(path, rows, headers=CONTRACT, extra=None):
    """Write a 项目台账 sheet (and optionally 项目补充信息) with the given rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = "项目台账"
    ws.append(headers)
    for row in rows:
        ws.append(row)
    if extra is not None:
        ws2 = wb.create_sheet("项目补充信息")
        ws2.append(extra[0])
        for row in extra[1:]:
            ws2.append(row)
    wb.save(path)
    return path


def row(name, stage, **kw):
    """A 项目台账 row by header name without its unit (missing cells empty)."""
    values = {"项目名称": name, "当前阶段": stage, **kw}
    return [values.get(h.split("(")[0]) for h in CONTRACT]


def dump(desk):
    tables = ("projects", "project_stage_history", "dispatch_records", "project_problems", "project_nodes")
    return {t: desk.db.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in tables}


def test_template_has_the_contract_columns_dropdowns_and_instructions(tmp_path):
    """The template's 项目台账 has exactly the 17 columns in order, drop-downs and a 填写说明 sheet."""
    path = tmp_path / "t.xlsx"
    exchange.write_template("projects", path)
    assert HEADERS == CONTRACT
    wb = load_workbook(path)
    assert wb.sheetnames == ["项目台账", "项目补充信息", "填写说明"]
    ws = wb["项目台账"]
    assert [c.value for c in ws[1]] == CONTRACT
    assert [c.value for c in wb["项目补充信息"][1]] == EXTRA_HEADERS
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert "已签约" in lists["K2"] and "省外" in lists["C2"] and "县区重点" in lists["F2"] and "服务业" in lists["E2"]
    text = "\n".join(str(c.value) for c in wb["填写说明"]["A"] if c.value)
    assert "洽谈" in text and "全部成功或全部不导入" in text


def test_import_adds_and_updates_with_synonyms_separators_and_dates(desk, tmp_path):
    """New projects are added, existing ones updated; synonyms, full-width digits, units and dates are read."""
    old = desk.projects.save(Project(name="老项目", stage="已签约", signed_on="2026-01-10", total_investment=5000,
                                     contact="张经理"))
    path = workbook(tmp_path / "in.xlsx", [
        row("新项目甲", "洽谈", 投资方="深圳甲公司", 来源地="外省", 总投资="１２,３４５.５", 项目类型="", 项目级别="市级重点"),
        row("新项目乙", "在建", 签约日期=dt.datetime(2026, 2, 3), 开工日期="2026年3月5日", 总投资="1.2亿元",
            合同引资额="8000万", 用地=46022),
        row("老项目", "开工", 签约日期="2026-01-10", 开工日期="2026/4/1", 总投资=6000),
        row("投产项目", "投产", 开工日期=46000, 投产日期="20260601", 来源地="境外"),
        row("调试项目", "安装调试", 开工日期="2025-08-01"),
        row("签约项目", " 签 约 ", 签约日期="2026-09-30"),
    ])
    preview = exchange.preview_import(desk, "projects", path)
    assert preview.ok, [str(e) for e in preview.errors]
    assert "新增 5 个，更新 1 个（其中 1 个阶段变更）" in preview.summary
    assert [r[1] for r in preview.rows] == ["新增", "新增", "更新（阶段变更）", "新增", "新增", "新增"]
    message = exchange.apply_import(desk, preview)
    assert "新增 5 个项目" in message
    assert desk.projects.find("调试项目").stage == "试生产"
    assert (desk.projects.find("签约项目").stage, desk.projects.find("签约项目").signed_on) == ("已签约", "2026-09-30")
    a = desk.projects.find("新项目甲")
    assert (a.stage, a.origin, a.total_investment, a.project_type, a.level) == ("在谈", "省外", 12345.5, "工业", "市重点")
    b = desk.projects.find("新项目乙")
    assert (b.stage, b.signed_on, b.started_on, b.total_investment, b.contract_investment, b.land_mu) == (
        "已开工", "2026-02-03", "2026-03-05", 12000, 8000, 46022)
    c = desk.projects.find("老项目")
    assert (c.id, c.stage, c.started_on, c.total_investment, c.contact) == (old.id, "已开工", "2026-04-01", 6000, "张经理")
    assert [(h["stage"], h["changed_on"]) for h in desk.projects.stage_history(c.id)] == [
        ("已签约", "2026-01-10"), ("已开工", "2026-04-01")]
    d = desk.projects.find("投产项目")
    assert (d.started_on, d.production_on, d.origin) == ("2025-12-09", "2026-06-01", "境外")


def test_bad_rows_reject_the_whole_file_and_leave_the_database_unchanged(demo_desk, tmp_path):
    """Any bad row: nothing is written, and every error names its sheet, row and column."""
    before = dump(demo_desk)
    existing = demo_desk.projects.list()[0].name
    path = workbook(tmp_path / "bad.xlsx", [
        row("好的新项目", "在谈"),
        row(existing, "已签约", 签约日期="2026-01-01", 总投资=1),  # fine on its own
        row("负数", "在谈", 总投资="-5"),
        row("乱阶段", "快完了"),
        row("缺签约日期", "已签约"),
        row("日期倒序", "已开工", 签约日期="2026-05-01", 开工日期="2026-04-01"),
        row("未到阶段", "已签约", 签约日期="2026-05-01", 开工日期="2026-06-01"),
        row("好的新项目", "线索"),
        row("坏日期", "在谈", 签约日期="下个月"),
        row(None, "在谈", 投资方="无名"),
        row("坏来源", "在谈", 来源地="火星"),
        row("终止无因", "已终止"),
    ])
    with pytest.raises(ImportRejected) as info:
        exchange.import_file(demo_desk, "projects", path)
    errors = {(e.row, e.column): e.message for e in info.value.errors}
    text = info.value.details()
    assert all(e.sheet == "项目台账" for e in info.value.errors)
    assert (4, "总投资(万元)") not in errors  # negatives are caught by validate_project, for the row
    assert any(r == 4 and "负数" in m for (r, _c), m in errors.items())
    assert "快完了" in errors[(5, "当前阶段")]
    assert any(r == 6 and "签约日期" in m for (r, _c), m in errors.items())
    assert any(r == 7 and "日期顺序" in m for (r, _c), m in errors.items())
    assert any(r == 8 and "当前阶段为“已签约”" in m for (r, _c), m in errors.items())
    assert "第2行" in errors[(9, "项目名称")]
    assert (10, "签约日期") in errors
    assert any(r == 11 and "项目名称" in m for (r, _c), m in errors.items())
    assert "火星" in errors[(12, "来源地")]
    assert any(r == 13 and "终止原因" in m for (r, _c), m in errors.items())
    assert "工作表“项目台账”第4行" in text
    assert dump(demo_desk) == before


def test_import_refuses_files_that_are_not_ledgers(desk, tmp_path):
    """Random bytes, a missing sheet and missing headers are refused with a message; nothing written."""
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(ImportRejected):
        exchange.import_file(desk, "projects", junk)
    wb = Workbook()
    wb.active.title = "别的表"
    wb.save(tmp_path / "other.xlsx")
    with pytest.raises(ImportRejected) as info:
        exchange.import_file(desk, "projects", tmp_path / "other.xlsx")
    assert "缺少工作表“项目台账”" in info.value.details()
    path = workbook(tmp_path / "noheader.xlsx", [["x"]], headers=["项目名称", "投资方"])
    with pytest.raises(ImportRejected) as info:
        exchange.import_file(desk, "projects", path)
    assert "当前阶段" in info.value.details()
    assert desk.projects.count() == 0


def test_missing_column_keeps_value_empty_cell_clears_it(desk, tmp_path):
    """A column absent from the sheet leaves the field alone; an empty cell in a present column clears it."""
    desk.projects.save(Project(name="保留", investor="原投资方", leader="原领导", notes="原备注"))
    path = workbook(tmp_path / "part.xlsx", [["保留", "在谈", "", "新领导"]], headers=["项目名称", "当前阶段", "投资方", "包保领导"])
    exchange.import_file(desk, "projects", path)
    p = desk.projects.find("保留")
    assert (p.stage, p.investor, p.leader, p.notes) == ("在谈", "", "新领导", "原备注")


def test_supplementary_sheet_and_termination_reason(desk, tmp_path):
    """项目补充信息 fills the other fields; a terminated project takes its reason from it."""
    extra = [EXTRA_HEADERS, ["终止的", 120, "2.5万平方米", None, None, "李经理", "北片区", None, None, None,
                             "2026-03-01", "资金链断裂"]]
    path = workbook(tmp_path / "x.xlsx", [row("终止的", "已终止", 签约日期="2026-01-01")], extra=extra)
    exchange.import_file(desk, "projects", path)
    p = desk.projects.find("终止的")
    assert (p.stage, p.terminated_on, p.termination_reason, p.foreign_capital, p.building_area, p.zone) == (
        "已终止", "2026-03-01", "资金链断裂", 120, 25000, "北片区")
    path = workbook(tmp_path / "y.xlsx", [row("甲", "在谈")], extra=[EXTRA_HEADERS, ["不存在的项目"]])
    with pytest.raises(ImportRejected) as info:
        exchange.import_file(desk, "projects", path)
    assert "不在“项目台账”中" in info.value.details()


def test_export_reads_back_and_imports_without_change(demo_desk, tmp_path):
    """The export holds the year's ledger and records; importing it back changes nothing."""
    path = tmp_path / "out.xlsx"
    exchange.export(demo_desk, "projects", 2026, path)
    wb = load_workbook(path)
    assert wb.sheetnames[:2] == ["项目台账", "项目补充信息"]
    assert {"月调度", "存在问题", "节点计划", "招商活动"} <= set(wb.sheetnames)
    ws = wb["项目台账"]
    assert [c.value for c in ws[1]] == CONTRACT
    names = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    ledger = {p.name: p for p in demo_desk.projects.list()}
    # Relevant to 2026: nothing finished before 2026 unless dispatched in 2026.
    dispatched = {r[0] for r in demo_desk.db.execute(
        "SELECT p.name FROM dispatch_records d JOIN projects p ON p.id = d.project_id WHERE d.year = 2026")}
    for name in names:
        p = ledger[name]
        assert name in dispatched or not (p.production_on and p.production_on < "2026-01-01")
    finished = [p.name for p in ledger.values() if p.production_on and p.production_on < "2025-01-01"
                and p.name not in dispatched]
    assert not set(finished) & set(names)
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows
    acts = list(wb["招商活动"].iter_rows(min_row=2, values_only=True))
    assert acts[-1][0] == "合计" and acts[-1][6] == sum(r[6] for r in acts[:-1])
    for sheet in wb:
        for cells in sheet.iter_rows():
            assert all(c.data_type != "f" for c in cells)
    before = dump(demo_desk)
    preview = exchange.preview_import(demo_desk, "projects", path)
    assert preview.ok, [str(e) for e in preview.errors[:5]]
    assert "仅供查看" in preview.summary
    exchange.apply_import(demo_desk, preview)
    after = dump(demo_desk)
    strip = lambda rows: [r[:-2] for r in rows]  # noqa: E731 - created_at/updated_at
    assert strip(after["projects"]) == strip(before["projects"])
    assert after["project_stage_history"] == before["project_stage_history"]


def test_export_keeps_formula_like_text_as_text(desk, tmp_path):
    """Names and notes starting with = + - @ are exported as text, never as formulas."""
    desk.projects.save(Project(name="=HYPERLINK(\"x\")", notes="+1", investor="-2", leader="@me"))
    path = tmp_path / "f.xlsx"
    exchange.export(desk, "projects", dt.date.today().year, path)
    ws = load_workbook(path)["项目台账"]
    cells = {c.value: c for c in ws[2] if c.value}
    assert "=HYPERLINK(\"x\")" in cells and cells["=HYPERLINK(\"x\")"].data_type == "s"
    assert cells["+1"].data_type == "s" and cells["-2"].data_type == "s" and cells["@me"].data_type == "s"


def test_dispatch_sheet_xlsx_and_command(demo_path, tmp_path):
    """`dispatch-sheet` writes the month's form: title, header, one row per project, totals, print set-up."""
    out = tmp_path / "ds.xlsx"
    result = run_main("dispatch-sheet", "--db", demo_path, "--year", "2026", "--month", "10", "--out", out)
    assert result.returncode == 0, result.stderr
    ws = load_workbook(out).active
    assert ws["A1"].value.endswith("2026年10月重点项目调度表")
    assert ws["A3"].value == "序号" and ws["O3"].value == "存在问题"
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert rows[-1][0] == "合计"
    assert [r[0] for r in rows[:-1]] == list(range(1, len(rows)))
    assert rows[-1][5] == pytest.approx(sum(r[5] or 0 for r in rows[:-1]))
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$3:$3"
    bad = run_main("dispatch-sheet", "--db", demo_path, "--year", "2026", "--month", "13", "--out", out)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_import_and_export_commands(demo_path, tmp_path):
    """`export projects` then `import projects` round-trips through the command line."""
    out = tmp_path / "p.xlsx"
    result = run_main("export", "projects", "--db", demo_path, "--year", "2026", "--out", out)
    assert result.returncode == 0, result.stderr
    result = run_main("import", "projects", out, "--db", demo_path)
    assert result.returncode == 0, result.stderr
    assert "更新" in result.stdout
    bad = workbook(tmp_path / "bad.xlsx", [row("x", "不知道")])
    result = run_main("import", "projects", bad, "--db", demo_path)
    assert result.returncode == 1 and "第2行" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("line, factor", [("金额单位：亿元", 10_000), ("（单位：万元）", 1), ("单位: 元", 0.0001),
                                          ("责任单位：招商局", 1), ("租金单位：元/平方米", 1), ("单位：元／亩", 1),
                                          ("标准厂房租金单位：元", 1)])
def test_a_unit_line_above_the_header_applies_to_the_money_columns(desk, tmp_path, line, factor):
    """A ledger headed "2026年招商项目台账 / 金额单位：亿元" without units in its headers: the money
    columns are read in that unit (the land column keeps 亩); a 责任单位 note, another quantity's
    unit (租金单位) or a rate (元/平方米) is not a unit of the table."""
    path = tmp_path / "ledger.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "项目台账"
    ws.append(["2026年招商项目台账"])
    ws.append([None, line])
    ws.append(["项目名称", "当前阶段", "签约日期", "总投资", "合同引资额", "用地(亩)"])
    ws.append(["单位项目", "已签约", "2026-03-01", 1.5, 1.2, 80])
    wb.save(path)
    preview = exchange.preview_import(desk, "projects", path)
    assert preview.ok, [str(e) for e in preview.errors]
    assert ("换算为万元" in preview.summary) == (factor != 1)
    message = exchange.apply_import(desk, preview)  # what the command line prints says it too
    assert ("换算为万元" in message) == (factor != 1)
    project = desk.projects.find("单位项目")
    assert project.total_investment == pytest.approx(1.5 * factor)
    assert project.contract_investment == pytest.approx(1.2 * factor)
    assert project.land_mu == pytest.approx(80)


def test_a_header_naming_its_unit_wins_over_the_unit_line(desk, tmp_path):
    """总投资(万元) under "单位：亿元" stays in 万元; 合同引资(亿元) is converted from 亿元."""
    path = tmp_path / "ledger.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "项目台账"
    ws.append(["单位：亿元"])
    ws.append(["项目名称", "当前阶段", "签约日期", "总投资(万元)", "合同引资(亿元)", "到位资金"])
    ws.append(["标明单位项目", "已签约", "2026-03-01", 15000, 1.2, 0.3])
    wb.save(path)
    preview = exchange.preview_import(desk, "projects", path)
    assert preview.ok, [str(e) for e in preview.errors]
    exchange.apply_import(desk, preview)
    project = desk.projects.find("标明单位项目")
    assert project.total_investment == pytest.approx(15000)
    assert project.contract_investment == pytest.approx(12000)
    assert project.funds_arrived == pytest.approx(3000)
