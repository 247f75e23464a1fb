"""The audit log: every manager's changes land in it in the same transaction, and the
query API finds them with Chinese labels; export to Excel is formula-safe."""

from __future__ import annotations

import datetime as _dt
import json
import zipfile

import pytest

from parkdesk.audit import FIELD_LABELS, TABLE_LABELS, AuditFilter
from parkdesk.desk import Desk
from parkdesk.activities import Activity
from parkdesk.dispatch import DispatchRecord, Node, Problem
from parkdesk.indicators import Cell
from parkdesk.plans import PlanItem
from parkdesk.projects import Project

SKIP = {"id", "updated_at", "created_at", "recorded_at"}


def _changes(desk) -> list[tuple]:
    return desk.db.execute(
        "SELECT table_name, action, field, old_value, new_value FROM audit_log ORDER BY id"
    ).fetchall()


def _section(desk):
    return desk.plans.add_section(2026, "（一）坚持锻长处、补短板")


# Every write method of the managers, as (name, setup, change, expected (table, action, field, old, new)).
def _manager_changes():
    def ind(desk):
        return desk.indicators.by_name("税收收入").id

    def project(desk):
        return desk.projects.save(Project(name="电子产业园", total_investment=5000.0, stage="在谈",
                                          stage_changed_on="2026-01-05"))

    def item(desk):
        return desk.plans.save_item(PlanItem(section_id=_section(desk).id, title="引进亿元以上项目"))

    return [
        ("park.update", lambda d: None, lambda d, s: d.park.update(name="示范园区"),
         ("park_profile", "update", "name", "", "示范园区")),
        ("settings.set", lambda d: None, lambda d, s: d.settings.set("projects.stalled_days", 90),
         ("settings", "insert", None, None, "90")),
        ("indicators.set_month insert", lambda d: None,
         lambda d, s: d.indicators.set_month(ind(d), 2026, 3, value=12.5),
         ("indicator_values", "insert", None, None, "12.5")),
        ("indicators.set_month update", lambda d: d.indicators.set_month(ind(d), 2026, 3, value=12.5),
         lambda d, s: d.indicators.set_month(ind(d), 2026, 3, value=13.0),
         ("indicator_values", "update", "value", 12.5, 13.0)),
        ("indicators.set_year_figures", lambda d: d.indicators.set_year_figures(ind(d), 2026, target=30.0),
         lambda d, s: d.indicators.set_year_figures(ind(d), 2026, target=32.0),
         ("indicator_years", "update", "target", 30.0, 32.0)),
        ("projects.save insert", lambda d: None, lambda d, s: project(d),
         ("projects", "insert", None, None, "电子产业园")),
        ("projects.save update", project,
         lambda d, p: d.projects.save(Project(**{**p.__dict__, "total_investment": 8000.0})),
         ("projects", "update", "total_investment", 5000.0, 8000.0)),
        ("projects.change_stage", project,
         lambda d, p: d.projects.change_stage(p.id, "已签约", "2026-03-01"),
         ("projects", "update", "stage", "在谈", "已签约")),
        ("plans.add_section", lambda d: None, lambda d, s: _section(d),
         ("plan_sections", "insert", None, None, "补短板")),
        ("plans.save_item update", item,
         lambda d, it: d.plans.save_item(PlanItem(**{**it.__dict__, "status": "推进中"})),
         ("plan_items", "update", "status", "未开始", "推进中")),
        ("indicators.write_cells", lambda d: d.indicators.set_month(ind(d), 2026, 3, value=12.5),
         lambda d, s: d.indicators.write_cells({Cell(ind(d), 2026, "value", 3): 99.0}),
         ("indicator_values", "update", "value", 12.5, 99.0)),
        ("indicators.retire", lambda d: None, lambda d, s: d.indicators.retire(ind(d)),
         ("indicators", "update", "retired", 0, 1)),
        ("plans.set_status", item, lambda d, it: d.plans.set_status(it.id, "滞后"),
         ("plan_items", "update", "status", "未开始", "滞后")),
        ("plans.remove_item", item, lambda d, it: d.plans.remove_item(it.id),
         ("plan_items", "delete", None, "引进亿元以上项目", None)),
        ("projects.save_dispatch", project,
         lambda d, p: d.projects.save_dispatch(DispatchRecord(project_id=p.id, year=2026, month=3,
                                                              invested_month=300.0, progress="主体封顶")),
         ("dispatch_records", "insert", None, None, "主体封顶")),
        ("projects.save_node", project,
         lambda d, p: d.projects.save_node(Node(project_id=p.id, name="厂房主体完工", planned_on="2026-06-30")),
         ("project_nodes", "insert", None, None, "厂房主体完工")),
        ("projects.resolve_problem",
         lambda d: d.projects.save_problem(Problem(project_id=project(d).id, description="用地指标未落实",
                                                   raised_on="2026-02-01")),
         lambda d, pr: d.projects.resolve_problem(pr.id, "2026-03-01"),
         ("project_problems", "update", "resolved", 0, 1)),
        ("projects.save_activity", lambda d: None,
         lambda d, s: d.projects.save_activity(Activity(held_on="2026-04-10", title="赴深圳招商", companies_visited=5)),
         ("activities", "insert", None, None, "赴深圳招商")),
        ("projects.delete", project, lambda d, p: d.projects.delete(p.id),
         ("projects", "delete", None, "电子产业园", None)),
        ("reports.save_edit", lambda d: None,
         lambda d, s: d.reports.save_edit(2026, 10, "indicators.overview", "改后的段落", "原稿"),
         ("report_blocks", "insert", None, None, "改后的段落")),
    ]


@pytest.mark.parametrize("name, setup, change, expected", _manager_changes(), ids=lambda v: v if isinstance(v, str) else "")
def test_each_manager_change_is_logged_in_the_same_transaction(tmp_path, name, setup, change, expected):
    """The change and its log line commit together; rolled back, neither is there."""
    path = tmp_path / "park.db"
    with Desk.open(path, user="李四@办公室") as desk:
        state = setup(desk)
        start = desk.db.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]

        # rolled back: no log line
        with pytest.raises(RuntimeError):
            with desk.atomic():
                change(desk, state)
                inside = desk.db.execute("SELECT count(*) FROM audit_log WHERE id > ?", [start]).fetchone()[0]
                assert inside > 0, "the log line is written inside the change's transaction"
                raise RuntimeError("rollback")
        assert desk.db.execute("SELECT count(*) FROM audit_log WHERE id > ?", [start]).fetchone()[0] == 0

        change(desk, state)
        rows = desk.db.execute(
            "SELECT table_name, action, field, old_value, new_value, user FROM audit_log WHERE id > ?", [start]
        ).fetchall()
    table, action, field, old, new = expected
    matching = [r for r in rows if r[0] == table and r[1] == action and r[2] == field]
    assert matching, rows
    row = matching[0]
    assert row[5] == "李四@办公室"
    if action == "update":
        assert (row[3], row[4]) == (old, new)
    elif action == "delete":
        assert old in json.dumps(json.loads(row[3]), ensure_ascii=False) and row[4] is None
    else:
        assert new in json.dumps(json.loads(row[4]), ensure_ascii=False)


def test_every_table_has_audit_triggers_and_chinese_labels(desk):
    """Every data table is audited (insert/update/delete triggers) and every logged
    column has a Chinese label, so the 变更记录 view never shows raw names."""
    tables = [r[0] for r in desk.db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT IN ('audit_log', '_sqlite_migrations')"
    )]
    triggers = {r[0] for r in desk.db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    for table in tables:
        for action in ("insert", "update", "delete"):
            assert f"audit_{table}_{action}" in triggers, (table, action)
        assert table in TABLE_LABELS, table
        columns = [r[1] for r in desk.db.execute(f'PRAGMA table_info("{table}")')]
        from parkdesk.audit import field_label

        unlabelled = [c for c in columns if c not in SKIP and field_label(table, c) == c]
        assert not unlabelled, (table, unlabelled)


@pytest.fixture
def logged(tmp_path):
    """A park with changes by two users on two days."""
    path = tmp_path / "park.db"
    with Desk.open(path, user="张三@PC1") as desk:
        tax = desk.indicators.by_name("税收收入")
        desk.indicators.set_month(tax.id, 2026, 3, value=1200.0)
        desk.indicators.set_month(tax.id, 2026, 3, value=1250.0, note="更正")
        p = desk.projects.save(Project(name="新能源电池项目", total_investment=120000.0, stage_changed_on="2026-01-05"))
        # pretend these happened yesterday
        desk.db.execute("UPDATE audit_log SET at = '2026-11-20T09:00:00.000'")
        desk.db.conn.commit()
    with Desk.open(path, user="李四@PC2") as desk:
        desk.projects.change_stage(p.id, "已签约", "2026-11-21")
        gdp = desk.indicators.by_name("规模工业增加值")
        desk.indicators.set_month(gdp.id, 2026, 3, value=3.2)
        with desk.atomic():
            desk.db.execute("DELETE FROM indicator_values WHERE indicator_id = ?", [gdp.id])
    return path


def test_query_labels_tables_fields_and_records(logged):
    """indicator_values.value reads 指标数值, the record reads "税收收入 2026年3月"."""
    with Desk.open(logged, readonly=True) as desk:
        [update] = [e for e in desk.audit.query(table="indicator_values", action="update") if e.field == "value"]
        assert update.table_label == "指标数值" and update.field_label == "指标数值"
        assert update.record_label == "税收收入 2026年3月"
        assert (update.old_text, update.new_text) == ("1200", "1250")
        assert update.action_label == "修改" and update.when.startswith("2026-11-20 09:00")
        deleted = desk.audit.query(table="indicator_values", action="delete")[0]
        assert deleted.record_label == "规模工业增加值 2026年3月"
        assert "指标数值：3.2" in deleted.old_text
        stage = [e for e in desk.audit.query(table="projects") if e.field == "stage"][0]
        assert stage.record_label == "新能源电池项目" and stage.field_label == "当前阶段"
        assert (stage.old_text, stage.new_text) == ("线索", "已签约")


def test_query_filters(logged):
    """Filters by table, record, user, date range and text (names, labels, values)."""
    with Desk.open(logged, readonly=True) as desk:
        audit = desk.audit
        assert set(audit.users()) == {"张三@PC1", "李四@PC2"}
        assert {e.user for e in audit.query(user="李四@PC2")} == {"李四@PC2"}
        day = _dt.date(2026, 11, 20)
        old = audit.query(since=day, until=day)
        assert old and all(e.at.startswith("2026-11-20") for e in old)
        assert audit.count(until=day) == len(old)
        assert all(not e.at.startswith("2026-11-20") for e in audit.query(since=day + _dt.timedelta(days=1)))
        project_id = desk.projects.find("新能源电池项目").id
        assert {e.record_id for e in audit.query(table="projects", record_id=project_id)} == {project_id}
        by_name = audit.query(text="税收")
        assert by_name and all("税收收入" in e.record_label for e in by_name)
        found = audit.query(text="新能源")
        assert {e.table for e in found} == {"projects", "project_stage_history"}  # the project's own history too
        assert all(e.record_label.startswith("新能源电池项目") for e in found)
        assert any(e.new_text == "更正" for e in audit.query(text="更正"))
        assert all(e.table == "projects" or "项目" in e.table_label for e in audit.query(text="项目"))
        assert audit.query(text="%") == [] and audit.query(text="不存在的文字") == []
        assert audit.count(AuditFilter(table="projects")) == len(audit.query(table="projects", limit=None))


def test_history_of_a_record_and_paging(logged):
    """history() lists one record's changes; limit/offset page through the log."""
    with Desk.open(logged, readonly=True) as desk:
        project_id = desk.projects.find("新能源电池项目").id
        history = desk.audit.history("projects", project_id)
        assert [e.action for e in history][-1] == "insert"
        everything = desk.audit.query(limit=None)
        assert desk.audit.query(limit=2, offset=1) == everything[1:3]


def test_export_xlsx_is_formula_safe(tmp_path):
    """The exported 变更记录 sheet holds the filtered lines; text that looks like a formula
    stays text (no <f> element anywhere in the file)."""
    from openpyxl import load_workbook

    path = tmp_path / "park.db"
    hostile = ['=HYPERLINK("http://example.com","点我")', "+86 138", "-5号楼", "@SUM(A1)", "=cmd|' /C calc'!A0"]
    with Desk.open(path) as desk:
        for name in hostile:
            desk.projects.save(Project(name=name))
        out = tmp_path / "变更记录.xlsx"
        n = desk.audit.export_xlsx(out, AuditFilter(table="projects"))
    assert n == len(hostile)
    wb = load_workbook(out)
    ws = wb["变更记录"]
    assert [c.value for c in ws[1]] == ["时间", "用户", "数据表", "记录", "操作", "字段", "原值", "新值", "记录编号"]
    labels = {ws.cell(row=r, column=4).value for r in range(2, ws.max_row + 1)}
    assert labels == set(hostile)
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.value
    with zipfile.ZipFile(out) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet
