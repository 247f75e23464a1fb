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
