"""Imports say what they change: unchanged rows, emptied fields, removed plan items and their notes."""

from __future__ import annotations

from openpyxl import Workbook

from parkdesk import exchange
from parkdesk.exchange.projects import HEADERS
from tests.conftest import run_main


def ledger(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.title = "项目台账"
    ws.append(HEADERS)
    for values in rows:
        ws.append([values.get(h.split("(")[0]) for h in HEADERS])
    wb.save(path)
    return path


ROWS = [
    {"项目名称": "甲", "投资方": "甲公司", "当前阶段": "已签约", "签约日期": "2026-03-01", "总投资": 12000,
     "备注": "重点"},
    {"项目名称": "乙", "投资方": "乙公司", "当前阶段": "在谈", "总投资": "1.2亿元"},
    {"项目名称": "丙", "投资方": "丙公司", "当前阶段": "已开工", "开工日期": "2025-05-01", "到位资金": 3000},
]


def test_reimporting_the_same_ledger_changes_nothing_and_says_so(desk, tmp_path):
    """A second import of the same file reports every project unchanged and writes nothing."""
    path = ledger(tmp_path / "a.xlsx", ROWS)
    exchange.import_file(desk, "projects", path)
    before = desk.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    preview = exchange.preview_import(desk, "projects", path)
    assert "更新 0 个（其中 0 个阶段变更），无变化 3 个" in preview.summary
    assert [r[1] for r in preview.rows] == ["不变", "不变", "不变"]
    message = exchange.apply_import(desk, preview)
    assert "无变化 3 个" in message and "更新 0 个" in message
    assert desk.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before


def test_empty_cells_that_clear_fields_are_listed_before_and_after(desk, tmp_path):
    """Emptied 投资方 / 备注 are counted and named in the preview, its row, and the result line."""
    exchange.import_file(desk, "projects", ledger(tmp_path / "a.xlsx", ROWS))
    rows = [dict(r) for r in ROWS]
    rows[0].pop("投资方")
    rows[0].pop("备注")
    rows[2]["到位资金"] = 3500
    preview = exchange.preview_import(desk, "projects", ledger(tmp_path / "b.xlsx", rows))
    assert "更新 2 个（其中 0 个阶段变更），无变化 1 个" in preview.summary
    assert "将清空 2 项已有内容（甲：投资方、备注）" in preview.summary
    by_name = {r[2]: r for r in preview.rows}
    assert by_name["甲"][-1] == "清空：投资方、备注"
    assert by_name["丙"][-1] == "到位资金(万元)"
    assert by_name["乙"][1] == "不变"
    message = exchange.apply_import(desk, preview)
    assert "已清空 2 项已有内容（甲：投资方、备注）" in message
    assert desk.projects.find("甲").investor == ""  # the documented contract: an empty cell clears


def test_cli_import_prints_unchanged_and_cleared_counts(tmp_path):
    """`import projects` prints how many projects changed, stayed the same, and what was emptied."""
    db = tmp_path / "park.db"
    first = run_main("import", "projects", ledger(tmp_path / "a.xlsx", ROWS), "--db", db)
    assert first.returncode == 0, first.stderr
    rows = [dict(r) for r in ROWS]
    rows[1].pop("投资方")
    result = run_main("import", "projects", ledger(tmp_path / "b.xlsx", rows), "--db", db)
    assert result.returncode == 0, result.stderr
    assert "更新 1 个" in result.stdout and "无变化 2 个" in result.stdout
    assert "已清空 1 项已有内容（乙：投资方）" in result.stdout


def plan_sheet(path, rows):
    from parkdesk.exchange.plans import HEADERS as PLAN_HEADERS

    wb = Workbook()
    ws = wb.active
    ws.title = "工作计划"
    ws.append(PLAN_HEADERS)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


PLAN = [
    [2027, "招大引强", "强化招商", "", "", "招商局", "王", "年底", "推进中"],
    [2027, "招大引强", "走访企业", "", "", "招商局", "王", "年底", "推进中"],
    [2027, "优化服务", "审批提速", "", "", "政务办", "李", "年底", "推进中"],
]


def test_plan_import_says_how_many_items_and_notes_it_removes(tmp_path):
    """Items missing from the sheet are counted with their progress notes in the preview and on the CLI."""
    from parkdesk.desk import Desk

    db = tmp_path / "park.db"
    assert run_main("import", "plans", plan_sheet(tmp_path / "a.xlsx", PLAN), "--db", db).returncode == 0
    with Desk.open(db) as desk:
        items = {i.title: i for _s, i in desk.plans.year_items(2027)}
        desk.plans.add_note(items["走访企业"].id, "2027-02-01", "走访20家")
        desk.plans.add_note(items["走访企业"].id, "2027-03-01", "走访35家")
        desk.plans.add_note(items["审批提速"].id, "2027-03-01", "办结")
        preview = exchange.preview_import(desk, "plans", plan_sheet(tmp_path / "b.xlsx", PLAN[:1]))
    assert "删除2项：“走访企业”、“审批提速”，连同其进展记录3条" in preview.summary
    assert "表格中没有的2个事项（连同其进展记录3条）和1个部分（“优化服务”）将被删除" in preview.summary
    result = run_main("import", "plans", tmp_path / "b.xlsx", "--db", db)
    assert result.returncode == 0, result.stderr
    assert "删除2项（连同其进展记录3条，删除表格中没有的部分1个）" in result.stdout
    with Desk.open(db) as desk:
        assert [i.title for _s, i in desk.plans.year_items(2027)] == ["强化招商"]
        assert desk.db.execute("SELECT count(*) FROM plan_progress_notes").fetchone()[0] == 0
