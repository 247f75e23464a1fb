"""Reading the audit log: who changed what, when, from which value to which.

The log itself is written by triggers (``storage/audit_triggers.py``) in the
same transaction as every change. This module answers questions about it
(filters by table, record, user, dates and text) with Chinese labels for
tables, fields and records (``indicator_values.value`` → 指标数值, record →
"税收收入 2026年3月"), and exports the answer to Excel.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

from .projects import FIELD_LABELS as PROJECT_FIELD_LABELS

TABLE_LABELS = {
    "park_profile": "园区信息",
    "settings": "设置",
    "indicators": "指标目录",
    "indicator_aliases": "指标别名",
    "indicator_values": "指标数值",
    "indicator_years": "年度目标与预计",
    "projects": "项目",
    "project_stage_history": "项目阶段记录",
    "dispatch_records": "月调度记录",
    "project_problems": "项目问题",
    "project_nodes": "节点计划",
    "activities": "招商活动",
    "activity_projects": "活动关联项目",
    "plan_sections": "工作计划部分",
    "plan_items": "工作计划事项",
    "plan_progress_notes": "事项进展",
    "report_blocks": "报告段落",
}
ACTION_LABELS = {"insert": "新增", "update": "修改", "delete": "删除"}

_COMMON = {"id": "编号", "note": "备注", "notes": "备注", "sort_order": "排序", "year": "年份", "month": "月份",
           "project_id": "项目", "indicator_id": "指标", "updated_at": "更新时间", "created_at": "创建时间"}
FIELD_LABELS: dict[str, dict[str, str]] = {
    "park_profile": {"name": "园区名称", "short_name": "简称", "organization": "落款单位", "superiors": "上级机关",
                     "leading_industries": "主导产业", "zones": "片区", "author": "撰稿人", "first_year": "启用年份"},
    "settings": {"key": "设置项", "value": "设置值"},
    "indicators": {"name": "指标名称", "unit": "计量单位", "category": "类别", "kind": "指标类型",
                   "decimals": "小数位数", "growth_decimals": "增速小数位数", "direction": "方向",
                   "nominal_growth": "按名义值计算增速", "min_value": "最小值", "max_value": "最大值",
                   "description": "说明", "builtin": "内置指标", "retired": "已停用", "in_report": "写入报告"},
    "indicator_aliases": {"alias": "别名"},
    "indicator_values": {"value": "指标数值", "prior_value": "上年同期", "official_yoy": "同比增长(%)"},
    "indicator_years": {"target": "年度目标", "forecast": "预计全年", "forecast_yoy": "预计增长(%)"},
    "projects": dict(PROJECT_FIELD_LABELS),
    "project_stage_history": {"stage": "阶段", "changed_on": "变更日期", "note": "说明", "recorded_at": "记录时间"},
    "dispatch_records": {"invested_month": "本月完成投资", "invested_to_date": "累计完成投资", "progress": "形象进度",
                         "approval_project": "立项", "approval_eia": "环评", "approval_land": "用地",
                         "approval_planning": "规划", "approval_construction": "施工许可",
                         "in_statistics": "入库纳统", "next_steps": "下步工作"},
    "project_problems": {"dispatch_id": "调度记录", "raised_on": "提出日期", "description": "存在问题",
                         "responsible_unit": "责任单位", "deadline": "完成时限", "resolved": "已解决",
                         "resolved_on": "解决日期"},
    "project_nodes": {"name": "节点名称", "planned_on": "计划日期", "actual_on": "实际日期"},
    "activities": {"held_on": "日期", "activity_type": "活动类型", "title": "名称", "place": "地点",
                   "leader": "带队领导", "days": "天数", "companies_visited": "拜访企业数",
                   "delegations_received": "接待客商批次", "leads_collected": "收集线索数", "companies": "企业"},
    "activity_projects": {"activity_id": "招商活动"},
    "plan_sections": {"title": "部分标题"},
    "plan_items": {"section_id": "所属部分", "title": "事项", "content": "内容", "target_text": "量化目标",
                   "target_kind": "目标类型", "target_indicator_id": "目标指标", "target_stat": "目标统计项",
                   "target_value": "目标值", "owner_department": "责任单位", "leader": "责任领导",
                   "deadline": "完成时限", "status": "状态", "progress_pct": "完成百分比"},
    "plan_progress_notes": {"item_id": "事项", "noted_on": "日期", "text": "进展情况"},
    "report_blocks": {"through_month": "截至月份", "key": "段落", "kind": "类型", "level": "层级", "text": "文字",
                      "base_draft": "原稿", "edited": "已修改", "removed": "已删除", "custom": "自定义段落",
                      "parent_key": "上级段落"},
}
_BOOLEAN_FIELDS = {"builtin", "retired", "in_report", "nominal_growth", "resolved", "in_statistics", "edited",
                   "removed", "custom"}
_LIST_FIELDS = {"leading_industries", "zones"}


def table_label(table: str) -> str:
    """Chinese name of a table (the table name itself when unknown)."""
    return TABLE_LABELS.get(table, table)


def field_label(table: str, field: str | None) -> str:
    """Chinese name of a field: ``indicator_values.value`` → 指标数值."""
    if not field:
        return ""
    return FIELD_LABELS.get(table, {}).get(field) or _COMMON.get(field) or field


def _number_text(value: float) -> str:
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return ("%.6f" % value).rstrip("0").rstrip(".")


@dataclass(frozen=True)
class AuditEntry:
    """One line of the log, with labels for people."""

    id: int
    at: str
    user: str
    table: str
    record_id: int | None
    action: str
    field: str | None
    old_value: Any
    new_value: Any
    record_label: str = ""
    old_text: str = ""
    new_text: str = ""

    @property
    def when(self) -> str:
        """"2026-11-22 09:30:15"."""
        return self.at.replace("T", " ")[:19]

    @property
    def table_label(self) -> str:
        return table_label(self.table)

    @property
    def field_label(self) -> str:
        return field_label(self.table, self.field)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


@dataclass(frozen=True)
class AuditFilter:
    """Which log lines to show; every criterion is optional."""

    table: str | None = None
    record_id: int | None = None
    user: str | None = None
    since: _dt.date | None = None
    until: _dt.date | None = None  # inclusive
    text: str | None = None
    action: str | None = None


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


_BY_INDICATOR = ("indicator_values", "indicator_years", "indicator_aliases")
_BY_PROJECT = ("project_stage_history", "dispatch_records", "project_problems", "project_nodes",
               "activity_projects")


def _where(f: AuditFilter, tables: set[str]) -> tuple[str, list]:
    clauses: list[str] = []
    args: list = []
    if f.table:
        clauses.append("table_name = ?")
        args.append(f.table)
    if f.record_id is not None:
        clauses.append("record_id = ?")
        args.append(int(f.record_id))
    if f.user:
        clauses.append("user = ?")
        args.append(f.user)
    if f.action:
        clauses.append("action = ?")
        args.append(f.action)
    if f.since:
        clauses.append("at >= ?")
        args.append(f.since.isoformat())
    if f.until:
        clauses.append("at < ?")
        args.append((f.until + _dt.timedelta(days=1)).isoformat())
    text = (f.text or "").strip()
    if text:
        like = _like(text)
        ors = ["old_value LIKE ? ESCAPE '\\'", "new_value LIKE ? ESCAPE '\\'", "user LIKE ? ESCAPE '\\'"]
        ors_args: list = [like, like, like]
        fields = sorted({(t, c) for t, cols in FIELD_LABELS.items() for c, label in cols.items() if text in label})
        for t, c in fields:
            ors.append("(table_name = ? AND field = ?)")
            ors_args += [t, c]
        for t, label in TABLE_LABELS.items():
            if text in label:
                ors.append("table_name = ?")
                ors_args.append(t)
        # The names people search for live in other tables: match records by them.
        named = "(SELECT id FROM indicators WHERE name LIKE ? ESCAPE '\\')"
        ors.append(f"(table_name = 'indicators' AND record_id IN {named})")
        ors_args.append(like)
        for t in _BY_INDICATOR:
            if t in tables:
                ors.append(f"(table_name = '{t}' AND record_id IN (SELECT id FROM {t} WHERE indicator_id IN {named}))")
                ors_args.append(like)
        projects = "(SELECT id FROM projects WHERE name LIKE ? ESCAPE '\\')"
        ors.append(f"(table_name = 'projects' AND record_id IN {projects})")
        ors_args.append(like)
        for t in _BY_PROJECT:
            if t in tables:
                ors.append(f"(table_name = '{t}' AND record_id IN (SELECT id FROM {t} WHERE project_id IN {projects}))")
                ors_args.append(like)
        ors.append("(table_name = 'plan_items' AND record_id IN "
                   "(SELECT id FROM plan_items WHERE title LIKE ? ESCAPE '\\'))")
        ors_args.append(like)
        clauses.append("(" + " OR ".join(ors) + ")")
        args += ors_args
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", args


class AuditLog:
    """Queries over the audit log: ``desk.audit``."""

    def __init__(self, desk):
        self._desk = desk

    @property
    def _db(self):
        return self._desk.db

    def _tables(self) -> set[str]:
        return set(self._db.table_names())

    def query(self, flt: AuditFilter | None = None, *, limit: int | None = 500, offset: int = 0,
              **criteria) -> list[AuditEntry]:
        """Log lines matching the filter, newest first, with labels.

        Criteria may be given as an :class:`AuditFilter` or as keywords
        (``table``, ``record_id``, ``user``, ``since``, ``until``, ``text``, ``action``).
        """
        flt = replace(flt or AuditFilter(), **criteria)
        where, args = _where(flt, self._tables())
        sql = ("SELECT id, at, user, table_name, record_id, action, field, old_value, new_value FROM audit_log"
               f"{where} ORDER BY id DESC")
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args = [*args, int(limit), int(offset)]
        rows = self._db.execute(sql, args).fetchall()
        return self._labelled([AuditEntry(*r) for r in rows])

    def count(self, flt: AuditFilter | None = None, **criteria) -> int:
        """How many log lines match."""
        flt = replace(flt or AuditFilter(), **criteria)
        where, args = _where(flt, self._tables())
        return self._db.execute(f"SELECT count(*) FROM audit_log{where}", args).fetchone()[0]

    def users(self) -> list[str]:
        """Everyone who appears in the log."""
        return [u for (u,) in self._db.execute("SELECT DISTINCT user FROM audit_log ORDER BY user")]

    def history(self, table: str, record_id: int) -> list[AuditEntry]:
        """Every change of one record, newest first."""
        return self.query(table=table, record_id=record_id, limit=None)

    # --- labels --------------------------------------------------------------------------------------
    def _labelled(self, entries: list[AuditEntry]) -> list[AuditEntry]:
        labeller = _Labeller(self._db)
        return [
            replace(e, record_label=labeller.record(e),
                    old_text=labeller.value_text(e.table, e.field, e.old_value),
                    new_text=labeller.value_text(e.table, e.field, e.new_value))
            for e in entries
        ]

    # --- export ----------------------------------------------------------------------------------------
    def export_xlsx(self, path, flt: AuditFilter | None = None, *,
                    progress: Callable[[str, float], None] | None = None) -> int:
        """Write the matching lines to an .xlsx file (sheet 变更记录); return how many.

        Cells are written as text where they are text, so nothing becomes a formula.
        """
        from openpyxl import Workbook

        from .exchange.workbook import format_sheet, save_workbook, write_row

        flt = flt or AuditFilter()
        if progress:
            progress("正在读取变更记录", 0.1)
        entries = self.query(flt, limit=None)
        wb = Workbook()
        ws = wb.active
        ws.title = "变更记录"
        write_row(ws, 1, EXPORT_HEADERS, bold=True)
        for row, e in enumerate(entries, start=2):
            write_row(ws, row, [e.when, e.user, e.table_label, e.record_label, e.action_label,
                                e.field_label, e.old_text, e.new_text, e.record_id])
            if progress and row % 2000 == 0:
                progress("正在写入变更记录", 0.1 + 0.8 * row / max(len(entries), 1))
        format_sheet(ws, [20, 22, 14, 30, 8, 16, 40, 40, 10], title="变更记录")
        save_workbook(wb, Path(path))
        return len(entries)


EXPORT_HEADERS = ["时间", "用户", "数据表", "记录", "操作", "字段", "原值", "新值", "记录编号"]


class _Labeller:
    """Names records and values for one batch of log lines (with small caches)."""

    def __init__(self, db):
        self.db = db
        self._rows: dict[tuple[str, int], dict | None] = {}
        self._names: dict[tuple[str, int], str] = {}

    def _row(self, table: str, record_id: int | None) -> dict | None:
        if record_id is None:
            return None
        key = (table, record_id)
        if key not in self._rows:
            row = None
            try:
                cur = self.db.execute(f'SELECT * FROM "{table}" WHERE id = ?', [record_id])
                found = cur.fetchone()
                if found is not None:
                    row = dict(zip([d[0] for d in cur.description], found))
            except Exception:  # noqa: BLE001 - a table that no longer exists
                row = None
            if row is None:  # deleted since: its last snapshot in the log
                snap = self.db.execute(
                    "SELECT coalesce(old_value, new_value) FROM audit_log WHERE table_name = ? AND record_id = ? "
                    "AND action IN ('insert', 'delete') ORDER BY id DESC LIMIT 1", [table, record_id]
                ).fetchone()
                row = _json_dict(snap[0]) if snap else None
            self._rows[key] = row
        return self._rows[key]

    def _name(self, table: str, record_id, column: str = "name") -> str:
        if record_id is None:
            return ""
        key = (table, record_id)
        if key not in self._names:
            row = self._row(table, record_id)
            self._names[key] = str(row.get(column) or "") if row else f"（已删除的记录 {record_id}）"
        return self._names[key]

    def describe(self, table: str, row: dict | None) -> str:
        if not row:
            return ""
        g = row.get
        ind = lambda: self._name("indicators", g("indicator_id"))  # noqa: E731
        proj = lambda: self._name("projects", g("project_id"))  # noqa: E731
        if table == "indicator_values":
            return f"{ind()} {g('year')}年{g('month')}月"
        if table == "indicator_years":
            return f"{ind()} {g('year')}年"
        if table == "indicator_aliases":
            return f"{ind()}（别名：{g('alias')}）"
        if table in ("indicators", "projects"):
            return str(g("name") or "")
        if table == "project_stage_history":
            return f"{proj()} · {g('stage')}"
        if table == "dispatch_records":
            return f"{proj()} · {g('year')}年{g('month')}月调度"
        if table == "project_problems":
            return f"{proj()} · {str(g('description') or '')[:24]}"
        if table == "project_nodes":
            return f"{proj()} · {g('name')}"
        if table == "activities":
            return f"{g('held_on')} {g('title') or g('activity_type') or ''}".strip()
        if table == "activity_projects":
            return f"{self.describe('activities', self._row('activities', g('activity_id')))} · {proj()}"
        if table == "plan_sections":
            return f"{g('year')}年 · {g('title')}"
        if table == "plan_items":
            return str(g("title") or "")
        if table == "plan_progress_notes":
            return f"{self._name('plan_items', g('item_id'), 'title')} · {g('noted_on')}"
        if table == "report_blocks":
            from .numbers import month_range

            try:
                period = month_range(int(g("through_month")))
            except (TypeError, ValueError):
                period = ""
            return f"{g('year')}年{period}报告 · {g('key')}"
        if table == "settings":
            return str(g("key") or "")
        if table == "park_profile":
            return "园区信息"
        return ""

    def record(self, e: AuditEntry) -> str:
        if e.action in ("insert", "delete"):
            snapshot = _json_dict(e.new_value if e.action == "insert" else e.old_value)
            if snapshot:
                return self.describe(e.table, snapshot)
        return self.describe(e.table, self._row(e.table, e.record_id))

    def value_text(self, table: str, field: str | None, value: Any) -> str:
        if field is None:  # a whole row (insert / delete): "字段：值；……"
            row = _json_dict(value)
            if row is None:
                return "" if value is None else str(value)
            parts = []
            for col, v in row.items():
                if v is None or v == "" or col in ("sort_order",):
                    continue
                parts.append(f"{field_label(table, col)}：{self.value_text(table, col, v)}")
            return "；".join(parts)
        if value is None:
            return "（空）"
        if field in ("indicator_id", "target_indicator_id"):
            return self._name("indicators", value)
        if field == "project_id":
            return self._name("projects", value)
        if field == "section_id":
            return self._name("plan_sections", value, "title")
        if field == "item_id":
            return self._name("plan_items", value, "title")
        if field in _BOOLEAN_FIELDS and value in (0, 1):
            return "是" if value else "否"
        if field in _LIST_FIELDS and isinstance(value, str):
            try:
                items = json.loads(value)
                if isinstance(items, list):
                    return "、".join(str(i) for i in items)
            except ValueError:
                pass
        if isinstance(value, float):
            return _number_text(value)
        return str(value)


def _json_dict(text) -> dict | None:
    if not isinstance(text, str):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


__all__ = ["AuditEntry", "AuditFilter", "AuditLog", "EXPORT_HEADERS", "TABLE_LABELS", "FIELD_LABELS",
           "field_label", "table_label"]
