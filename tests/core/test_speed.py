"""What the speed work (issue 9) relies on: indexes, page cache, light imports, capped tables, fast reading."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from parkdesk.demo import SIZES
from parkdesk.report.attachments import project_table
from parkdesk.report.phrases import DraftContext

ROOT = Path(__file__).resolve().parents[2]


def _indexes(desk) -> set[str]:
    return {r[0] for r in desk.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}


def test_speed_indexes_exist_after_migration(desk):
    """m090 adds the covering period index, stalled-project and problem indexes, and drops the ones they cover."""
    names = _indexes(desk)
    assert {"idx_dispatch_period_invested", "idx_projects_stage_changed", "idx_problems_dispatch"} <= names
    assert "idx_dispatch_period" not in names and "idx_projects_stage" not in names
    assert "m090_speed_indexes" in desk.schema_version()


def test_period_investment_reads_only_the_covering_index(desk):
    """The period's invested total is summed from the index alone, never from the table rows."""
    plan = " ".join(str(r[-1]) for r in desk.db.execute(
        "EXPLAIN QUERY PLAN SELECT sum(invested_month) FROM dispatch_records WHERE year = ? AND month <= ?",
        [2026, 10]))
    assert "COVERING INDEX idx_dispatch_period_invested" in plan


def test_stalled_projects_use_the_stage_index(desk):
    """Stalled projects are found through the (stage, stage_changed_on) index."""
    plan = " ".join(str(r[-1]) for r in desk.db.execute(
        "EXPLAIN QUERY PLAN SELECT name FROM projects WHERE stage IN ('在谈', '已签约') AND stage_changed_on < ?",
        ["2026-01-01"]))
    assert "idx_projects_stage_changed" in plan


def test_connection_has_a_large_page_cache(desk):
    """Each connection keeps 32 MB of pages, so a large park's summary does not reread the file."""
    assert desk.db.execute("PRAGMA cache_size").fetchone()[0] == -32768
    sibling = desk.sibling()
    try:
        assert sibling.db.execute("PRAGMA cache_size").fetchone()[0] == -32768
    finally:
        sibling.close()


def test_core_import_loads_no_numpy_or_heavy_libraries():
    """Opening a database (as at start-up) loads neither numpy, matplotlib, python-docx nor openpyxl."""
    code = (
        "import sys, tempfile, os\n"
        "from parkdesk.desk import Desk\n"
        "d = Desk.open(os.path.join(tempfile.mkdtemp(), 'x.db'))\n"
        "d.projects.ledger(); d.close()\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'matplotlib', 'docx', 'openpyxl'})\n"
        "print(heavy); sys.exit(1 if heavy else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(ROOT))
    assert result.returncode == 0, result.stdout + result.stderr


def test_opening_a_database_loads_no_heavy_libraries(tmp_path):
    """Opening an existing, up-to-date database (every start) imports neither sqlite-utils (click,
    pluggy, dateutil) nor numpy; creating one does use sqlite-utils for the migrations, without numpy."""
    path = tmp_path / "x.db"
    heavy = "{'sqlite_utils', 'click', 'pluggy', 'dateutil', 'numpy', 'matplotlib', 'docx', 'openpyxl'}"
    create = ("import sys\nfrom parkdesk.desk import Desk\n"
              f"Desk.open({str(path)!r}).close()\n"
              f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {heavy}))\n")
    reopen = create.replace(".close()", ".indicators.list()")
    made = subprocess.run([sys.executable, "-c", create], capture_output=True, text=True, cwd=str(ROOT))
    assert made.returncode == 0, made.stderr
    assert "sqlite_utils" in made.stdout and "numpy" not in made.stdout
    opened = subprocess.run([sys.executable, "-c", reopen], capture_output=True, text=True, cwd=str(ROOT))
    assert opened.returncode == 0, opened.stderr
    assert opened.stdout.strip() == "[]"


def test_numpy_still_works_after_migrations_ran():
    """Keeping numpy away from sqlite-utils does not stop matplotlib (and numpy) loading later."""
    code = ("import sys, tempfile, os\nfrom parkdesk.desk import Desk\n"
            "Desk.open(os.path.join(tempfile.mkdtemp(), 'x.db')).close()\n"
            "import sqlite_utils.db\n"
            "assert sqlite_utils.db.np is None and 'numpy' not in sys.modules\n"
            "import numpy, matplotlib.figure\n"
            "print(numpy.arange(3).sum())\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(ROOT))
    assert result.returncode == 0 and result.stdout.strip() == "3", result.stderr


def _key_projects(n: int) -> dict:
    return {"key_projects": {"count": n, "projects": [
        {"name": f"项目{i:04d}", "level": "市重点", "total_investment_wan": 20000.0 - i, "invested_to_date_wan": None,
         "progress": "主体施工", "status": "在建", "construction": "续建"} for i in range(n)]}}


def test_key_project_table_is_capped_and_says_so():
    """A park with thousands of key projects prints the first N (a setting) and the note gives the total."""
    ctx = DraftContext(data=_key_projects(250), year=2026, through=10, key_project_rows=60)
    table = project_table(ctx)[1].block
    assert len(table.rows) == 60
    assert [r[1] for r in table.rows[:2]] == ["项目0000", "项目0001"]
    assert "共250个" in table.note and "前60个" in table.note


def test_key_project_table_lists_all_when_within_the_limit():
    """Up to the limit every key project is listed and the note has no count."""
    ctx = DraftContext(data=_key_projects(19), year=2026, through=10, key_project_rows=60)
    table = project_table(ctx)[1].block
    assert len(table.rows) == 19 and "共" not in table.note


def test_key_project_rows_setting_reaches_the_report(demo_desk):
    """report.key_project_rows set in the database limits the drafted table."""
    from parkdesk.report.draft import draft_report

    demo_desk.settings.set("report.key_project_rows", 5)
    document = draft_report(demo_desk, 2026, 10, figures=False)
    tables = [b for b in document.blocks if getattr(b, "key", "") == "attachments.projects.table"]
    assert tables and len(tables[0].rows) == 5 and "前5个" in tables[0].note


def test_large_demo_size_is_declared():
    """The large scale asks for 10,000+ projects over 30 years of history."""
    large = SIZES["large"]
    assert large.projects >= 10_000 and large.history_years + 1 >= 30 and large.activities_per_year * 27 >= 4_800


_SHEET = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>项目名称</t></is></c><c r="B1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c>
<c r="D1" t="s"><v>2</v></c><c r="E1" t="inlineStr"><is><t xml:space="preserve">  前后空格  </t></is></c>
<c r="F1" t="inlineStr"><is><r><rPr><b/></rPr><t>粗体</t></r><r><t>常规</t></r></is></c></row>
</sheetData></worksheet>"""
_STRINGS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">
<si><t>普通文字</t></si>
<si><r><t>富</t></r><r><rPr><i/></rPr><t>文本</t></r></si>
<si><t>东京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>
</sst>"""


def _workbook(path: Path) -> Path:
    from openpyxl import Workbook

    Workbook().save(path)
    src = zipfile.ZipFile(path)
    out = path.with_name("rich.xlsx")
    with zipfile.ZipFile(out, "w") as zf:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = _SHEET.encode()
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType='
                                    b'"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org'
                                    b'/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                                    b"</Relationships>")
            zf.writestr(item, data)
        zf.writestr("xl/sharedStrings.xml", _STRINGS)
    return out


def test_fast_string_reading_matches_openpyxl(tmp_path):
    """Shared and inline strings (plain, rich runs, phonetic guides, spaces) read exactly as openpyxl reads them."""
    from openpyxl import load_workbook
    from openpyxl.cell.text import Text
    from openpyxl.reader import strings
    from openpyxl.worksheet import _reader

    from parkdesk.exchange.workbook import open_workbook

    path = _workbook(tmp_path / "plain.xlsx")
    saved = (_reader.Text, strings.Text)
    _reader.Text, strings.Text = Text, Text  # openpyxl's own reading, for reference
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
        expected = [list(r) for r in wb.active.iter_rows(values_only=True)]
        wb.close()
    finally:
        _reader.Text, strings.Text = saved
    wb = open_workbook(path)
    got = [list(r) for r in wb.active.iter_rows(values_only=True)]
    wb.close()
    assert got == expected
    assert got[0] == ["项目名称", "普通文字", "富文本", "东京", "  前后空格  ", "粗体常规"]


def test_large_demo_counts(tmp_path):
    """`main.py demo --db D --scale large` (about 8 s; its time is benchmarked): 10,000+ projects,
    100,000+ dispatch records, 30 years of every indicator, 5,000+ activities, plans."""
    from parkdesk.desk import Desk
    from tests.conftest import run_main

    path = tmp_path / "large.db"
    result = run_main("demo", "--db", path, "--as-of", "2026-11-22", "--scale", "large", timeout=300)
    assert result.returncode == 0, result.stderr[-1000:]
    desk = Desk.open(path, create=False)
    try:
        one = lambda sql: desk.db.execute(sql).fetchone()  # noqa: E731
        assert one("SELECT count(*) FROM projects")[0] >= 10_000
        assert one("SELECT count(*) FROM dispatch_records")[0] >= 100_000
        assert one("SELECT count(*) FROM activities")[0] >= 5_000
        assert one("SELECT max(year) - min(year) + 1 FROM indicator_values")[0] >= 30
        # every monthly indicator has every month of the 29 full years and 1—10月 of 2026
        short = desk.db.execute(
            "SELECT i.name FROM indicators i JOIN indicator_values v ON v.indicator_id = i.id "
            "WHERE i.kind != 'growth_only' GROUP BY i.id HAVING count(*) < 29 * 12 + 10").fetchall()
        assert short == []
        assert one("SELECT count(*) FROM indicators WHERE id NOT IN (SELECT indicator_id FROM indicator_values)")[0] == 0
        years = {r[0] for r in desk.db.execute("SELECT DISTINCT year FROM plan_sections")}
        assert years == {2026, 2027}
        assert one("SELECT count(*) FROM plan_items")[0] >= 20
    finally:
        desk.close()
