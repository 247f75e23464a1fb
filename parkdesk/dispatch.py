"""Monthly dispatch (月调度), problems (存在问题) and node plans (节点计划).

The methods of :class:`DispatchMixin` belong to ``desk.projects`` (the
project manager mixes them in). Every write is one transaction and is
validated first; money is in 万元.
"""

from __future__ import annotations

import calendar
import datetime as _dt
from dataclasses import asdict, dataclass, field, fields

from . import catalog
from .errors import ValidationError
from .numbers import parse_date

NODE_WARNING_DAYS = 15  # default of the setting projects.node_warning_days
# Values offered for each approval (立项, 环评, 用地, 规划, 施工许可); free text is kept too.
APPROVAL_STATES = ("未办理", "办理中", "已办结", "不涉及")
APPROVAL_FIELDS = {
    "approval_project": "立项",
    "approval_eia": "环评",
    "approval_land": "用地",
    "approval_planning": "规划",
    "approval_construction": "施工许可",
}
assert tuple(APPROVAL_FIELDS.values()) == catalog.APPROVALS

# Node status: done, overdue (red), due within the warning days (yellow), later, no planned date.
NODE_DONE, NODE_OVERDUE, NODE_DUE_SOON, NODE_PENDING, NODE_UNPLANNED = (
    "done", "overdue", "due_soon", "pending", "unplanned")
NODE_STATUS_LABELS = {
    NODE_DONE: "已完成", NODE_OVERDUE: "已逾期", NODE_DUE_SOON: "即将到期", NODE_PENDING: "未到期",
    NODE_UNPLANNED: "未定计划",
}


def dicts(cursor) -> list[dict]:
    """Rows of a cursor as dicts keyed by column name."""
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _iso(value, label: str) -> str | None:
    try:
        d = parse_date(value)
    except ValidationError as exc:
        raise ValidationError(f"{label}：{exc.message}") from None
    return d.isoformat() if d else None


def month_end(year: int, month: int) -> _dt.date:
    """The last day of a month."""
    return _dt.date(year, month, calendar.monthrange(year, month)[1])


# --- records ---------------------------------------------------------------------------
@dataclass
class DispatchRecord:
    """One project's dispatch record for one month (investment in 万元)."""

    id: int | None = None
    project_id: int | None = None
    year: int = 0
    month: int = 0
    invested_month: float | None = None  # 本月完成投资
    invested_to_date: float | None = None  # 累计完成投资
    progress: str = ""  # 形象进度
    approval_project: str = ""
    approval_eia: str = ""
    approval_land: str = ""
    approval_planning: str = ""
    approval_construction: str = ""
    in_statistics: bool = False  # 入库纳统
    next_steps: str = ""
    note: str = ""


@dataclass
class Problem:
    """An open or solved problem of a project (存在问题)."""

    id: int | None = None
    project_id: int | None = None
    description: str = ""
    responsible_unit: str = ""
    deadline: str | None = None
    resolved: bool = False
    resolved_on: str | None = None
    raised_on: str | None = None
    dispatch_id: int | None = None
    note: str = ""


@dataclass
class Node:
    """A milestone of a project's node plan (倒排节点) with planned and actual dates."""

    id: int | None = None
    project_id: int | None = None
    name: str = ""
    planned_on: str | None = None
    actual_on: str | None = None
    sort_order: int = 0
    note: str = ""

    def status(self, today: _dt.date | None = None, warn_days: int = NODE_WARNING_DAYS) -> str:
        """done / overdue / due_soon / pending / unplanned as of ``today``."""
        return node_status(self.planned_on, self.actual_on, today, warn_days)


_DISPATCH_COLUMNS = tuple(f.name for f in fields(DispatchRecord))
_PROBLEM_COLUMNS = tuple(f.name for f in fields(Problem))
_NODE_COLUMNS = tuple(f.name for f in fields(Node))


def node_status(planned_on: str | None, actual_on: str | None, today: _dt.date | None = None,
                warn_days: int = NODE_WARNING_DAYS) -> str:
    """A node is overdue when its planned date has passed without an actual date,
    due soon when the planned date is within ``warn_days`` days."""
    if actual_on:
        return NODE_DONE
    if not planned_on:
        return NODE_UNPLANNED
    today = today or _dt.date.today()
    planned = _dt.date.fromisoformat(planned_on[:10])
    if planned < today:
        return NODE_OVERDUE
    if (planned - today).days <= warn_days:
        return NODE_DUE_SOON
    return NODE_PENDING


def validate_dispatch(r: DispatchRecord) -> None:
    """:raises ValidationError: for a bad month, negative money or to-date below the month."""
    if r.project_id is None:
        raise ValidationError("调度记录必须属于某个项目")
    if not isinstance(r.year, int) or not 1949 <= r.year <= 2200:
        raise ValidationError(f"年份无效：{r.year}")
    if not isinstance(r.month, int) or not 1 <= r.month <= 12:
        raise ValidationError(f"月份应为 1—12：{r.month}")
    for f, label in (("invested_month", "本月完成投资"), ("invested_to_date", "累计完成投资")):
        v = getattr(r, f)
        if v is not None and v < 0:
            raise ValidationError(f"{label}不能为负数")
    if r.invested_month is not None and r.invested_to_date is not None and r.invested_to_date < r.invested_month - 1e-6:
        raise ValidationError(
            f"累计完成投资（{r.invested_to_date:g}万元）不能少于本月完成投资（{r.invested_month:g}万元）")
    for f in ("progress", "next_steps", "note", *APPROVAL_FIELDS):
        if len(getattr(r, f) or "") > 2000:
            raise ValidationError("填写内容过长（最多 2000 字）")


def validate_problem(q: Problem) -> None:
    """:raises ValidationError: for an empty description or a solved date before it was raised."""
    if q.project_id is None:
        raise ValidationError("问题必须属于某个项目")
    if not (q.description or "").strip():
        raise ValidationError("请填写存在的问题")
    if len(q.description) > 2000:
        raise ValidationError("问题描述过长（最多 2000 字）")
    if q.resolved_on and q.raised_on and q.resolved_on < q.raised_on:
        raise ValidationError(f"解决日期（{q.resolved_on}）早于提出日期（{q.raised_on}）")
    if q.resolved_on and not q.resolved:
        raise ValidationError("未解决的问题不应有解决日期")


def validate_node(n: Node) -> None:
    """:raises ValidationError: for an empty node name."""
    if n.project_id is None:
        raise ValidationError("节点必须属于某个项目")
    if not (n.name or "").strip():
        raise ValidationError("请填写节点名称")
    if len(n.name) > 200:
        raise ValidationError("节点名称过长（最多 200 字）")


# --- the monthly dispatch sheet ------------------------------------------------------------
@dataclass
class DispatchSheetRow:
    """One line of the month's dispatch sheet: a project under construction."""

    project_id: int
    name: str
    level: str
    stage: str
    total_investment: float | None
    leader: str
    responsible_unit: str
    started_on: str | None
    construction: str  # 新建 (started this year) / 续建
    record: DispatchRecord | None
    problems: list[Problem] = field(default_factory=list)

    def problems_text(self) -> str:
        """The open problems as one cell: "1.施工用电未到位（供电公司，11月30日前）；2.……"."""
        parts = []
        for i, q in enumerate(self.problems, start=1):
            extra = "，".join(x for x in (q.responsible_unit, f"{q.deadline}前" if q.deadline else "") if x)
            parts.append(f"{i}.{q.description}" + (f"（{extra}）" if extra else ""))
        return "；".join(parts)


DISPATCH_SHEET_HEADERS = (
    "序号", "项目名称", "项目级别", "建设性质", "总投资(万元)", "本月完成投资(万元)", "累计完成投资(万元)",
    "形象进度", "立项", "环评", "用地", "规划", "施工许可", "入库纳统", "存在问题", "下步工作", "包保领导", "责任单位",
)
_LEVEL_ORDER = {lvl: i for i, lvl in enumerate(catalog.PROJECT_LEVELS)}


def dispatch_sheet_values(row: DispatchSheetRow, number: int) -> list:
    """The cells of one sheet line in :data:`DISPATCH_SHEET_HEADERS` order (shared by Excel and print)."""
    r = row.record or DispatchRecord()
    return [
        number, row.name, row.level, row.construction, row.total_investment, r.invested_month,
        r.invested_to_date, r.progress, r.approval_project, r.approval_eia, r.approval_land,
        r.approval_planning, r.approval_construction,
        ("已入库" if r.in_statistics else "未入库") if row.record else "", row.problems_text(),
        r.next_steps, row.leader, row.responsible_unit,
    ]


def approvals_text(r: DispatchRecord) -> str:
    """"已全部办结", or what is still open: "规划办理中，施工许可未填"."""
    states = [(label, getattr(r, f)) for f, label in APPROVAL_FIELDS.items()]
    if all(state in ("已办结", "不涉及") for _label, state in states):
        return "已全部办结"
    return "，".join(f"{label}{state or '未填'}" for label, state in states if state not in ("已办结", "不涉及"))


class DispatchMixin:
    """Dispatch records, problems and nodes (part of ``desk.projects``)."""

    _desk = None  # set by the manager

    @property
    def _db(self):  # pragma: no cover - overridden by the manager
        return self._desk.db

    def _check_project(self, project_id: int) -> str:
        row = self._db.execute("SELECT name FROM projects WHERE id = ?", [project_id]).fetchone()
        if row is None:
            raise ValidationError(f"项目（编号 {project_id}）不存在")
        return row[0]

    # --- dispatch records -------------------------------------------------------------------
    def get_dispatch(self, project_id: int, year: int, month: int) -> DispatchRecord | None:
        """The project's record for (year, month), or None."""
        row = self._db.execute(
            f"SELECT {', '.join(_DISPATCH_COLUMNS)} FROM dispatch_records "
            "WHERE project_id = ? AND year = ? AND month = ?", [project_id, year, month]).fetchone()
        return _dispatch(row) if row else None

    def project_dispatches(self, project_id: int) -> list[DispatchRecord]:
        """Every dispatch record of a project, newest month first."""
        rows = self._db.execute(
            f"SELECT {', '.join(_DISPATCH_COLUMNS)} FROM dispatch_records WHERE project_id = ? "
            "ORDER BY year DESC, month DESC", [project_id]).fetchall()
        return [_dispatch(r) for r in rows]

    def previous_to_date(self, project_id: int, year: int, month: int) -> float | None:
        """累计完成投资 of the latest record before (year, month), or None."""
        row = self._db.execute(
            "SELECT invested_to_date FROM dispatch_records WHERE project_id = ? AND "
            "(year < ? OR (year = ? AND month < ?)) ORDER BY year DESC, month DESC LIMIT 1",
            [project_id, year, year, month]).fetchone()
        return row[0] if row else None

    def save_dispatch(self, record: DispatchRecord, *, problems: list[Problem] = (),
                      delete_problems: list[int] = ()) -> DispatchRecord:
        """Insert or update the record of (project, year, month), with problems raised in it.

        One transaction. An empty 累计完成投资 is computed as the previous
        month's figure plus this month's. ``problems`` are saved (linked to the
        record), ``delete_problems`` removed.

        :raises ValidationError: when the record or a problem is invalid.
        """
        r = DispatchRecord(**asdict(record))
        for f in ("progress", "next_steps", "note", *APPROVAL_FIELDS):
            setattr(r, f, (getattr(r, f) or "").strip())
        r.in_statistics = bool(r.in_statistics)
        validate_dispatch(r)
        now = _dt.datetime.now().isoformat(timespec="seconds")
        with self._desk.atomic():
            self._check_project(r.project_id)
            if r.invested_to_date is None and r.invested_month is not None:
                prev = self.previous_to_date(r.project_id, r.year, r.month)
                r.invested_to_date = round((prev or 0) + r.invested_month, 4)
            existing = self._db.execute(
                "SELECT id FROM dispatch_records WHERE project_id = ? AND year = ? AND month = ?",
                [r.project_id, r.year, r.month]).fetchone()
            if existing and r.id is not None and existing[0] != r.id:
                raise ValidationError(f"{r.year}年{r.month}月已有该项目的调度记录")
            values = {c: getattr(r, c) for c in _DISPATCH_COLUMNS if c != "id"}
            values["in_statistics"] = int(r.in_statistics)
            values["updated_at"] = now
            # Same (project, month) updates that record; an edited record may move to a free month.
            target = existing[0] if existing else r.id
            updated = 0
            if target is not None:
                sets = ", ".join(f"{c} = ?" for c in values)
                updated = self._db.execute(
                    f"UPDATE dispatch_records SET {sets} WHERE id = ?", [*values.values(), target]).rowcount
                r.id = target
            if not updated:
                cur = self._db.execute(
                    f"INSERT INTO dispatch_records ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
                    list(values.values()))
                r.id = cur.lastrowid
            for pid in delete_problems:
                self.delete_problem(pid)
            raised = month_end(r.year, r.month).isoformat()
            for q in problems:
                q = Problem(**asdict(q))
                q.project_id = r.project_id
                q.dispatch_id = r.id
                q.raised_on = q.raised_on or raised
                self.save_problem(q)
        return r

    def delete_dispatch(self, record_id: int) -> None:
        """Delete a dispatch record (its problems stay with the project)."""
        with self._desk.atomic():
            self._db.execute("DELETE FROM dispatch_records WHERE id = ?", [record_id])

    # --- problems ----------------------------------------------------------------------------
    def project_problems(self, project_id: int, *, open_only: bool = False) -> list[Problem]:
        """Problems of a project, open ones first, then by the date raised."""
        sql = f"SELECT {', '.join(_PROBLEM_COLUMNS)} FROM project_problems WHERE project_id = ?"
        if open_only:
            sql += " AND resolved = 0"
        rows = self._db.execute(sql + " ORDER BY resolved, raised_on, id", [project_id]).fetchall()
        return [_problem(r) for r in rows]

    def dispatch_problems(self, dispatch_id: int) -> list[Problem]:
        """Problems raised in one dispatch record."""
        rows = self._db.execute(
            f"SELECT {', '.join(_PROBLEM_COLUMNS)} FROM project_problems WHERE dispatch_id = ? ORDER BY id",
            [dispatch_id]).fetchall()
        return [_problem(r) for r in rows]

    def save_problem(self, problem: Problem) -> Problem:
        """Insert or update a problem; marking it solved without a date uses today.

        :raises ValidationError: when it is invalid.
        """
        q = Problem(**asdict(problem))
        q.description = (q.description or "").strip()
        q.responsible_unit = (q.responsible_unit or "").strip()
        q.note = (q.note or "").strip()
        q.deadline = _iso(q.deadline, "办结时限")
        q.raised_on = _iso(q.raised_on, "提出日期") or _dt.date.today().isoformat()
        q.resolved = bool(q.resolved)
        q.resolved_on = _iso(q.resolved_on, "解决日期")
        if q.resolved and not q.resolved_on:
            q.resolved_on = max(_dt.date.today().isoformat(), q.raised_on)
        if not q.resolved:
            q.resolved_on = None
        validate_problem(q)
        values = {c: getattr(q, c) for c in _PROBLEM_COLUMNS if c != "id"}
        values["resolved"] = int(q.resolved)
        with self._desk.atomic():
            self._check_project(q.project_id)
            if q.id is None:
                cur = self._db.execute(
                    f"INSERT INTO project_problems ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
                    list(values.values()))
                q.id = cur.lastrowid
            else:
                sets = ", ".join(f"{c} = ?" for c in values)
                cur = self._db.execute(f"UPDATE project_problems SET {sets} WHERE id = ?", [*values.values(), q.id])
                if cur.rowcount == 0:
                    raise ValidationError("该问题已被删除")
        return q

    def resolve_problem(self, problem_id: int, on=None) -> Problem:
        """Mark a problem solved on ``on`` (default today)."""
        q = self._problem_by_id(problem_id)
        q.resolved = True
        q.resolved_on = on
        return self.save_problem(q)

    def delete_problem(self, problem_id: int) -> None:
        with self._desk.atomic():
            self._db.execute("DELETE FROM project_problems WHERE id = ?", [problem_id])

    def _problem_by_id(self, problem_id: int) -> Problem:
        row = self._db.execute(
            f"SELECT {', '.join(_PROBLEM_COLUMNS)} FROM project_problems WHERE id = ?", [problem_id]).fetchone()
        if row is None:
            raise ValidationError("该问题不存在或已被删除")
        return _problem(row)

    # --- nodes ------------------------------------------------------------------------------
    def project_nodes(self, project_id: int) -> list[Node]:
        """A project's node plan in plan order."""
        rows = self._db.execute(
            f"SELECT {', '.join(_NODE_COLUMNS)} FROM project_nodes WHERE project_id = ? "
            "ORDER BY sort_order, planned_on, id", [project_id]).fetchall()
        return [Node(*r) for r in rows]

    def save_node(self, node: Node) -> Node:
        """Insert or update a node (a new one goes to the end of the plan).

        :raises ValidationError: when it is invalid.
        """
        n = Node(**asdict(node))
        n.name = (n.name or "").strip()
        n.note = (n.note or "").strip()
        n.planned_on = _iso(n.planned_on, "计划完成日期")
        n.actual_on = _iso(n.actual_on, "实际完成日期")
        validate_node(n)
        with self._desk.atomic():
            self._check_project(n.project_id)
            if not n.sort_order:
                n.sort_order = self._db.execute(
                    "SELECT coalesce(max(sort_order), 0) + 10 FROM project_nodes WHERE project_id = ?",
                    [n.project_id]).fetchone()[0]
            values = {c: getattr(n, c) for c in _NODE_COLUMNS if c != "id"}
            if n.id is None:
                cur = self._db.execute(
                    f"INSERT INTO project_nodes ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
                    list(values.values()))
                n.id = cur.lastrowid
            else:
                sets = ", ".join(f"{c} = ?" for c in values)
                cur = self._db.execute(f"UPDATE project_nodes SET {sets} WHERE id = ?", [*values.values(), n.id])
                if cur.rowcount == 0:
                    raise ValidationError("该节点已被删除")
        return n

    def delete_node(self, node_id: int) -> None:
        with self._desk.atomic():
            self._db.execute("DELETE FROM project_nodes WHERE id = ?", [node_id])

    # --- across projects ---------------------------------------------------------------------------
    def overdue_nodes(self, today: _dt.date | None = None, warn_days: int | None = None) -> list[dict]:
        """Open nodes of active projects that are overdue or due within ``warn_days``.

        Each dict: project_id, project, leader, responsible_unit, node (a :class:`Node`),
        status (overdue / due_soon), days (overdue: days late; due_soon: days left).
        Overdue first, the longest late first.
        """
        today = today or _dt.date.today()
        if warn_days is None:
            warn_days = int(self._desk.settings.get("projects.node_warning_days", NODE_WARNING_DAYS))
        horizon = (today + _dt.timedelta(days=warn_days)).isoformat()
        cols = ", ".join(f"n.{c}" for c in _NODE_COLUMNS)
        rows = self._db.execute(
            f"SELECT {cols}, p.name, p.leader, p.responsible_unit FROM project_nodes n "
            "JOIN projects p ON p.id = n.project_id "
            "WHERE n.actual_on IS NULL AND n.planned_on IS NOT NULL AND n.planned_on <= ? AND p.stage != ? "
            "ORDER BY n.planned_on, p.name, n.sort_order",
            [horizon, catalog.STAGE_TERMINATED]).fetchall()
        out = []
        k = len(_NODE_COLUMNS)
        for row in rows:
            node = Node(*row[:k])
            planned = _dt.date.fromisoformat(node.planned_on[:10])
            status = node.status(today, warn_days)
            out.append({
                "project_id": node.project_id, "project": row[k], "leader": row[k + 1],
                "responsible_unit": row[k + 2], "node": node, "status": status,
                "days": (today - planned).days if status == NODE_OVERDUE else (planned - today).days,
            })
        return out

    def open_problems(self, today: _dt.date | None = None) -> list[dict]:
        """Unresolved problems of active projects: project_id, project, leader, problem, overdue (bool)."""
        today = (today or _dt.date.today()).isoformat()
        cols = ", ".join(f"q.{c}" for c in _PROBLEM_COLUMNS)
        rows = self._db.execute(
            f"SELECT {cols}, p.name, p.leader FROM project_problems q JOIN projects p ON p.id = q.project_id "
            "WHERE q.resolved = 0 AND p.stage != ? "
            "ORDER BY q.deadline IS NULL, q.deadline, q.raised_on, p.name",
            [catalog.STAGE_TERMINATED]).fetchall()
        k = len(_PROBLEM_COLUMNS)
        return [{
            "project_id": row[1], "project": row[k], "leader": row[k + 1], "problem": _problem(row[:k]),
            "overdue": bool(row[4] and row[4] < today),
        } for row in rows]

    def under_construction_ids(self, start: _dt.date, end: _dt.date) -> list[int]:
        """Projects under construction at some time between ``start`` and ``end``:
        started by ``end``, not put into production before ``start``, not
        terminated before ``start``."""
        rows = self._db.execute(
            "SELECT id FROM projects WHERE started_on IS NOT NULL AND started_on <= ? "
            "AND (production_on IS NULL OR production_on >= ?) "
            "AND NOT (stage = ? AND coalesce(terminated_on, '') < ?)",
            [end.isoformat(), start.isoformat(), catalog.STAGE_TERMINATED, start.isoformat()]).fetchall()
        return [r[0] for r in rows]

    def dispatch_sheet(self, year: int, month: int) -> list[DispatchSheetRow]:
        """The month's dispatch sheet: every project under construction in the month,
        or with a record for it, with that month's record and the problems open at
        the month's end. Ordered by level (省重点 first), then total investment."""
        if not 1 <= month <= 12:
            raise ValidationError(f"月份应为 1—12：{month}")
        first, last = _dt.date(year, month, 1), month_end(year, month)
        ids = set(self.under_construction_ids(first, last))
        ids.update(r[0] for r in self._db.execute(
            "SELECT project_id FROM dispatch_records WHERE year = ? AND month = ?", [year, month]))
        if not ids:
            return []
        id_list = sorted(ids)
        marks = ", ".join("?" for _ in id_list)
        projects = self._db.execute(
            f"SELECT id, name, level, stage, total_investment, leader, responsible_unit, started_on "
            f"FROM projects WHERE id IN ({marks})", id_list).fetchall()
        records = {row[1]: _dispatch(row) for row in self._db.execute(
            f"SELECT {', '.join(_DISPATCH_COLUMNS)} FROM dispatch_records WHERE year = ? AND month = ? "
            f"AND project_id IN ({marks})", [year, month, *id_list])}
        problems: dict[int, list[Problem]] = {}
        end = last.isoformat()
        for row in self._db.execute(
                f"SELECT {', '.join(_PROBLEM_COLUMNS)} FROM project_problems WHERE project_id IN ({marks}) "
                "AND coalesce(raised_on, '') <= ? AND (resolved = 0 OR resolved_on > ?) ORDER BY raised_on, id",
                [*id_list, end, end]):
            q = _problem(row)
            problems.setdefault(q.project_id, []).append(q)
        year_start = f"{year}-01-01"
        out = [DispatchSheetRow(
            project_id=pid, name=name, level=level, stage=stage, total_investment=total, leader=leader,
            responsible_unit=unit, started_on=started,
            construction="新建" if started and started >= year_start else "续建",
            record=records.get(pid), problems=problems.get(pid, []),
        ) for pid, name, level, stage, total, leader, unit, started in projects]
        out.sort(key=lambda r: (_LEVEL_ORDER.get(r.level, 9), -(r.total_investment or 0), r.name))
        return out


def _dispatch(row) -> DispatchRecord:
    r = DispatchRecord(*row)
    r.in_statistics = bool(r.in_statistics)
    return r


def _problem(row) -> Problem:
    q = Problem(*row)
    q.resolved = bool(q.resolved)
    return q
