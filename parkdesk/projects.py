"""Project ledger: projects and their stage history (DESIGN.md 2.3).

Money is in 万元, foreign capital in 万美元, land in 亩. Dispatch records,
nodes and problems live in :mod:`parkdesk.dispatch`, promotion activities in
:mod:`parkdesk.activities`; their methods are mixed into :class:`ProjectManager`
so that everything is reached through ``desk.projects``. Statistics for a
period are in :mod:`parkdesk.project_stats`.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, fields, replace

from . import catalog
from .activities import ActivityMixin
from .dispatch import DispatchMixin, dicts
from .errors import ValidationError
from .numbers import parse_date

# Date column recording when a project first reached each stage.
STAGE_DATE_COLUMN = {
    catalog.STAGE_LEAD: "lead_on",
    catalog.STAGE_NEGOTIATING: "negotiating_on",
    catalog.STAGE_SIGNED: "signed_on",
    catalog.STAGE_STARTED: "started_on",
    catalog.STAGE_TRIAL: "trial_on",
    catalog.STAGE_PRODUCTION: "production_on",
    catalog.STAGE_TERMINATED: "terminated_on",
}
MONEY_FIELDS = (
    "total_investment", "contract_investment", "funds_arrived", "foreign_capital",
    "land_mu", "building_area", "expected_output", "expected_tax",
)
DATE_FIELDS = tuple(STAGE_DATE_COLUMN.values()) + ("stage_changed_on",)
# Stages in which a project can stall (the last two are final).
ACTIVE_STAGES = catalog.STAGES[:-1]
OVER_100M_WAN = 10000  # 亿元以上项目: total investment of at least 1亿元

# Words clerks use for origin, type and level (imports and the dialog accept them).
ORIGIN_SYNONYMS = {
    "本地": "本地", "当地": "本地", "本区": "本地", "本县": "本地", "区内": "本地", "县内": "本地",
    "省内": "省内", "省内市外": "省内", "市外省内": "省内",
    "省外": "省外", "外省": "省外", "省外境内": "省外", "国内省外": "省外",
    "境外": "境外", "国外": "境外", "海外": "境外", "外资": "境外", "港澳台": "境外",
}
TYPE_SYNONYMS = {
    "工业": "工业", "工业项目": "工业", "制造业": "工业",
    "基础设施": "基础设施", "基础设施项目": "基础设施", "基建": "基础设施", "基础设施建设": "基础设施",
    "服务业": "服务业", "服务业项目": "服务业", "现代服务业": "服务业", "商贸服务": "服务业",
}
LEVEL_SYNONYMS = {
    "省重点": "省重点", "省级重点": "省重点", "省重点项目": "省重点",
    "市重点": "市重点", "市级重点": "市重点", "市重点项目": "市重点",
    "县区重点": "县区重点", "县重点": "县区重点", "区重点": "县区重点", "县级重点": "县区重点",
    "区级重点": "县区重点", "县（区）重点": "县区重点", "县(区)重点": "县区重点", "县区重点项目": "县区重点",
    "一般": "一般", "一般项目": "一般", "普通": "一般",
}


def _choice(text, synonyms: dict[str, str]) -> str | None:
    key = "".join(str(text or "").split())
    return synonyms.get(key)


def normalize_origin(text) -> str | None:
    """The catalog's origin (本地/省内/省外/境外) for a clerk's word; "" stays ""; None if unknown."""
    if not str(text or "").strip():
        return ""
    return _choice(text, ORIGIN_SYNONYMS)


def normalize_type(text) -> str | None:
    """The catalog's project type for a clerk's word, or None if unknown."""
    return _choice(text, TYPE_SYNONYMS)


def normalize_level(text) -> str | None:
    """The catalog's project level for a clerk's word, or None if unknown."""
    return _choice(text, LEVEL_SYNONYMS)


def next_stage(stage: str) -> str | None:
    """The stage after ``stage`` in the pipeline (None after 已投产 and for 已终止)."""
    if stage not in catalog.STAGES or stage == catalog.STAGES[-1]:
        return None
    return catalog.STAGES[catalog.STAGES.index(stage) + 1]


stage_label = catalog.stage_label  # kept here too: the project code's callers import it from here


@dataclass
class Project:
    """One row of the ledger (money in 万元, foreign capital in 万美元, land in 亩)."""

    id: int | None = None
    name: str = ""
    investor: str = ""
    origin: str = ""
    chain: str = ""
    project_type: str = "工业"
    level: str = "一般"
    total_investment: float | None = None
    contract_investment: float | None = None
    funds_arrived: float | None = None
    foreign_capital: float | None = None
    land_mu: float | None = None
    building_area: float | None = None
    expected_output: float | None = None
    expected_tax: float | None = None
    leader: str = ""
    responsible_unit: str = ""
    contact: str = ""
    zone: str = ""
    notes: str = ""
    stage: str = catalog.STAGE_LEAD
    stage_changed_on: str | None = None
    lead_on: str | None = None
    negotiating_on: str | None = None
    signed_on: str | None = None
    started_on: str | None = None
    trial_on: str | None = None
    production_on: str | None = None
    terminated_on: str | None = None
    termination_reason: str = ""

    @property
    def over_100m(self) -> bool:
        """亿元以上项目: total investment of at least 1亿元 (10000万元)."""
        return (self.total_investment or 0) >= OVER_100M_WAN

    def days_in_stage(self, today: _dt.date | None = None) -> int | None:
        """Whole days since the project entered its current stage (None when unknown)."""
        return days_in_stage(self.stage_changed_on, today)

    def is_stalled(self, stalled_days: int, today: _dt.date | None = None) -> bool:
        """True when an active project has stayed in its stage longer than ``stalled_days``."""
        return is_stalled(self.stage, self.stage_changed_on, stalled_days, today)


PROJECT_COLUMNS = tuple(f.name for f in fields(Project))


def days_in_stage(stage_changed_on: str | None, today: _dt.date | None = None) -> int | None:
    """Days between the stage date and ``today`` (0 for a date in the future)."""
    if not stage_changed_on:
        return None
    today = today or _dt.date.today()
    try:
        since = _dt.date.fromisoformat(stage_changed_on[:10])
    except ValueError:
        return None
    return max(0, (today - since).days)


def is_stalled(stage: str, stage_changed_on: str | None, stalled_days: int,
               today: _dt.date | None = None) -> bool:
    """Stalled: in an active stage (not 已投产/已终止) for more than ``stalled_days`` days."""
    if stage not in ACTIVE_STAGES:
        return False
    days = days_in_stage(stage_changed_on, today)
    return days is not None and days > stalled_days


# Stage dates in pipeline order (validation checks they never go backwards).
_DATE_CHAIN = tuple(STAGE_DATE_COLUMN[s] for s in catalog.STAGES)


def validate_project(p: Project) -> None:
    """Check one project before it is written (the dialog and the import share it).

    Rules: a name; money and areas ≥ 0; a known stage, origin, type and level;
    stage dates in pipeline order (签约 ≤ 开工 ≤ 试生产 ≤ 投产, 终止 last); no date
    of a stage the project has not reached; 已终止 needs a reason.

    :raises ValidationError: with the first problem found, in Chinese.
    """
    if not p.name or not p.name.strip():
        raise ValidationError("项目名称不能为空")
    if len(p.name) > 200:
        raise ValidationError("项目名称过长（最多 200 字）")
    for f in MONEY_FIELDS:
        v = getattr(p, f)
        if v is not None and v < 0:
            raise ValidationError(f"“{p.name}”的{FIELD_LABELS[f]}不能为负数")
    if p.stage not in catalog.ALL_STAGES:
        raise ValidationError(f"未知的项目阶段“{p.stage}”")
    if p.origin and p.origin not in catalog.ORIGINS:
        raise ValidationError(f"“{p.name}”的来源地“{p.origin}”无效（应为{'、'.join(catalog.ORIGINS)}）")
    if p.project_type not in catalog.PROJECT_TYPES:
        raise ValidationError(
            f"“{p.name}”的项目类型“{p.project_type}”无效（应为{'、'.join(catalog.PROJECT_TYPES)}）")
    if p.level not in catalog.PROJECT_LEVELS:
        raise ValidationError(f"“{p.name}”的项目级别“{p.level}”无效（应为{'、'.join(catalog.PROJECT_LEVELS)}）")
    if p.stage in catalog.STAGES:
        reached = catalog.STAGES.index(p.stage)
        for later in catalog.STAGES[reached + 1:]:
            col = STAGE_DATE_COLUMN[later]
            if getattr(p, col):
                raise ValidationError(
                    f"“{p.name}”当前阶段为“{p.stage}”，却填写了{FIELD_LABELS[col]}（{getattr(p, col)}）："
                    f"请先把阶段变更为“{later}”，或清空该日期"
                )
        if p.terminated_on:
            raise ValidationError(f"“{p.name}”未终止，却填写了终止日期")
    present = [(f, getattr(p, f)) for f in _DATE_CHAIN if getattr(p, f)]
    for (f1, d1), (f2, d2) in zip(present, present[1:]):
        if d1 > d2:
            raise ValidationError(
                f"“{p.name}”的日期顺序不对：{FIELD_LABELS[f1]}（{d1}）晚于{FIELD_LABELS[f2]}（{d2}）"
            )
    if p.terminated_on and present and present[-1][1] > p.terminated_on:
        f, d = present[-1]
        raise ValidationError(f"“{p.name}”的终止日期（{p.terminated_on}）早于{FIELD_LABELS[f]}（{d}）")
    if p.stage == catalog.STAGE_TERMINATED and not p.termination_reason.strip():
        raise ValidationError(f"“{p.name}”已终止，请填写终止原因")


FIELD_LABELS = {
    "name": "项目名称",
    "investor": "投资方",
    "origin": "来源地",
    "chain": "所属产业链",
    "project_type": "项目类型",
    "level": "项目级别",
    "total_investment": "总投资(万元)",
    "contract_investment": "合同引资额(万元)",
    "funds_arrived": "到位资金(万元)",
    "foreign_capital": "利用外资(万美元)",
    "land_mu": "用地(亩)",
    "building_area": "建筑面积(平方米)",
    "expected_output": "达产产值(万元)",
    "expected_tax": "达产税收(万元)",
    "leader": "包保领导",
    "responsible_unit": "责任单位",
    "contact": "联系人",
    "zone": "所在片区",
    "notes": "备注",
    "stage": "当前阶段",
    "stage_changed_on": "进入当前阶段日期",
    "lead_on": "获取线索日期",
    "negotiating_on": "开始洽谈日期",
    "signed_on": "签约日期",
    "started_on": "开工日期",
    "trial_on": "试生产日期",
    "production_on": "投产日期",
    "terminated_on": "终止日期",
    "termination_reason": "终止原因",
}


def _iso(value) -> str | None:
    d = parse_date(value)
    return d.isoformat() if d else None


def _today() -> str:
    return _dt.date.today().isoformat()


def check_stage_change(p: Project, stage: str, on, reason: str = "") -> tuple[str, str, bool]:
    """Check moving ``p`` to ``stage`` on date ``on``; return (stage, ISO date, moving forward).

    :raises ValidationError: for an unknown or unchanged stage, a missing date,
        a forward move dated before the current stage began, 已终止 without a reason.
    """
    canonical = catalog.normalize_stage(stage) if stage else None
    if canonical is None:
        raise ValidationError(f"未知的项目阶段“{stage}”")
    day = _iso(on)
    if not day:
        raise ValidationError("请填写阶段变更日期")
    if canonical == p.stage:
        raise ValidationError(f"“{p.name}”已处于“{canonical}”阶段")
    forward = canonical == catalog.STAGE_TERMINATED or (
        p.stage != catalog.STAGE_TERMINATED and catalog.STAGES.index(canonical) > catalog.STAGES.index(p.stage))
    if forward and p.stage_changed_on and day < p.stage_changed_on:
        raise ValidationError(f"变更日期（{day}）早于进入当前阶段“{p.stage}”的日期（{p.stage_changed_on}）")
    if canonical == catalog.STAGE_TERMINATED and not (reason or "").strip():
        raise ValidationError(f"“{p.name}”已终止，请填写终止原因")
    return canonical, day, forward


@dataclass
class LedgerRow:
    """A project with what the ledger shows next to it (counts as of one day)."""

    project: Project
    open_problems: int = 0
    overdue_nodes: int = 0
    invested_to_date: float | None = None  # latest dispatch record (万元)
    progress: str = ""  # latest 形象进度


class ProjectManager(DispatchMixin, ActivityMixin):
    """Ledger queries and writes (``desk.projects``)."""

    def __init__(self, desk):
        self._desk = desk

    @property
    def _db(self):
        return self._desk.db

    # --- projects ---------------------------------------------------------------
    def list(self, *, stage: str | None = None) -> list[Project]:
        """Every project (or those in ``stage``), in the order they were entered."""
        sql = f"SELECT {', '.join(PROJECT_COLUMNS)} FROM projects"
        args: list = []
        if stage:
            sql += " WHERE stage = ?"
            args.append(stage)
        sql += " ORDER BY id"
        return [Project(*row) for row in self._db.execute(sql, args)]

    def get(self, project_id: int) -> Project:
        """One project. :raises ValidationError: when it does not exist."""
        row = self._db.execute(
            f"SELECT {', '.join(PROJECT_COLUMNS)} FROM projects WHERE id = ?", [project_id]
        ).fetchone()
        if row is None:
            raise ValidationError(f"项目（编号 {project_id}）不存在")
        return Project(*row)

    def find(self, name: str) -> Project | None:
        """The project called ``name`` (surrounding spaces ignored), or None."""
        row = self._db.execute(
            f"SELECT {', '.join(PROJECT_COLUMNS)} FROM projects WHERE name = ?", [name.strip()]
        ).fetchone()
        return Project(*row) if row else None

    def count(self) -> int:
        return self._db.execute("SELECT count(*) FROM projects").fetchone()[0]

    def names(self) -> list[tuple[int, str]]:
        """(id, name) of every project, by name (for pickers)."""
        return self._db.execute("SELECT id, name FROM projects ORDER BY name").fetchall()

    def ledger(self, today: _dt.date | None = None) -> list[LedgerRow]:
        """Every project with its open problems, overdue nodes and latest dispatch figures.

        One query with grouped sub-selects (no per-project queries): fast for
        10,000 projects and 100,000 dispatch records.
        """
        day = (today or _dt.date.today()).isoformat()
        cols = ", ".join(f"p.{c}" for c in PROJECT_COLUMNS)
        sql = f"""
            WITH op AS (SELECT project_id, count(*) AS n FROM project_problems
                        WHERE resolved = 0 GROUP BY project_id),
                 ov AS (SELECT project_id, count(*) AS n FROM project_nodes
                        WHERE actual_on IS NULL AND planned_on < ? GROUP BY project_id),
                 ld AS (SELECT project_id, max(year * 100 + month) AS ym, invested_to_date, progress
                        FROM dispatch_records GROUP BY project_id)
            SELECT {cols},
                   CASE WHEN p.stage = ? THEN 0 ELSE coalesce(op.n, 0) END,
                   CASE WHEN p.stage = ? THEN 0 ELSE coalesce(ov.n, 0) END,
                   ld.invested_to_date, coalesce(ld.progress, '')
            FROM projects p
            LEFT JOIN op ON op.project_id = p.id
            LEFT JOIN ov ON ov.project_id = p.id
            LEFT JOIN ld ON ld.project_id = p.id
            ORDER BY p.id
        """
        n = len(PROJECT_COLUMNS)
        # Terminated projects have nothing left to chase: no open problems or overdue nodes counted.
        args = [day, catalog.STAGE_TERMINATED, catalog.STAGE_TERMINATED]
        return [LedgerRow(Project(*row[:n]), *row[n:]) for row in self._db.execute(sql, args)]

    def save(self, project: Project, *, stage_note: str = "") -> Project:
        """Insert or update a project; a stage change is added to its history.

        The date of the current stage and ``stage_changed_on`` are kept in step:
        a missing one is filled from the other (or today). Correcting a stage's
        date also corrects that stage's entry in the history.

        :raises ValidationError: when a field is invalid or the name is taken.
        """
        p = self._normalized(project)
        now = _dt.datetime.now().isoformat(timespec="seconds")
        with self._desk.atomic():
            old = self.get(p.id) if p.id is not None else None
            self._align_stage_date(p, old)
            validate_project(p)
            clash = self._db.execute(
                "SELECT id FROM projects WHERE name = ? AND id IS NOT ?", [p.name, p.id]
            ).fetchone()
            if clash:
                raise ValidationError(f"已有同名项目“{p.name}”")
            values = {c: getattr(p, c) for c in PROJECT_COLUMNS if c != "id"}
            if old is None:
                values["created_at"] = values["updated_at"] = now
                cols = ", ".join(values)
                cur = self._db.execute(
                    f"INSERT INTO projects ({cols}) VALUES ({', '.join('?' for _ in values)})",
                    list(values.values()),
                )
                p.id = cur.lastrowid
                self._record_earlier_stages(p, stage_note, moved=True)
                self._record_stage(p.id, p.stage, p.stage_changed_on, stage_note)
            else:
                values["updated_at"] = now
                sets = ", ".join(f"{c} = ?" for c in values)
                self._db.execute(f"UPDATE projects SET {sets} WHERE id = ?", [*values.values(), p.id])
                self._sync_history_dates(p, old)
                self._record_earlier_stages(p, stage_note, moved=old.stage != p.stage)
                if old.stage != p.stage:
                    self._record_stage(p.id, p.stage, p.stage_changed_on, stage_note)
        return p

    @staticmethod
    def _normalized(project: Project) -> Project:
        """A copy of ``project`` with names trimmed, dates in ISO form and choices normalised.

        :raises ValidationError: on an unknown stage, origin, type or level.
        """
        p = replace(project)  # every field is a plain value: a shallow copy is a full one
        p.name = (p.name or "").strip()
        for f in DATE_FIELDS:
            setattr(p, f, _iso(getattr(p, f)))
        for f in ("investor", "chain", "leader", "responsible_unit", "contact", "zone", "notes",
                  "termination_reason"):
            setattr(p, f, (getattr(p, f) or "").strip())
        stage = catalog.normalize_stage(p.stage) if p.stage else None
        if stage is None:
            raise ValidationError(f"未知的项目阶段“{p.stage}”")
        p.stage = stage
        for f, norm, label in (("origin", normalize_origin, "来源地"), ("project_type", normalize_type, "项目类型"),
                               ("level", normalize_level, "项目级别")):
            value = norm(getattr(p, f))
            if value is None:
                raise ValidationError(f"“{p.name}”的{label}“{getattr(p, f)}”无效")
            setattr(p, f, value)
        if p.stage != catalog.STAGE_TERMINATED:
            p.termination_reason = ""
        return p

    def insert_many(self, projects: list[Project], *, stage_note: str = "") -> list[Project]:
        """Insert new projects in bulk (an import of thousands): the same checks, stage
        history and audit log as :meth:`save` of each, with a few statements in all.

        :raises ValidationError: for the first invalid project; its position in
            ``projects`` is ``exc.index``. Nothing is written then.
        """
        prepared: list[Project] = []
        with self._desk.atomic():
            taken = {row[0] for row in self._db.execute("SELECT name FROM projects")}
            for index, project in enumerate(projects):
                try:
                    p = self._normalized(project)
                    p.id = None
                    self._align_stage_date(p, None)
                    validate_project(p)
                    if p.name in taken:
                        raise ValidationError(f"已有同名项目“{p.name}”")
                except ValidationError as exc:
                    exc.index = index
                    raise
                taken.add(p.name)
                prepared.append(p)
            if not prepared:
                return []
            now = _dt.datetime.now().isoformat(timespec="seconds")
            cols = [c for c in PROJECT_COLUMNS if c != "id"]
            conn = self._db.conn
            conn.executemany(
                f"INSERT INTO projects ({', '.join(cols)}, created_at, updated_at) "
                f"VALUES ({', '.join('?' for _ in cols)}, ?, ?)",
                ([*(getattr(p, c) for c in cols), now, now] for p in prepared),
            )
            ids = dict(conn.execute(
                "SELECT name, id FROM projects WHERE name IN (SELECT value FROM json_each(?))",
                [json.dumps([p.name for p in prepared], ensure_ascii=False)],
            ).fetchall())
            history = []
            for p in prepared:
                p.id = ids[p.name]
                history.extend((p.id, stage, day, note) for stage, day, note in self._earlier_stages(p, stage_note, set(), moved=True))
                history.append((p.id, p.stage, p.stage_changed_on or _today(), stage_note))
            conn.executemany(
                "INSERT INTO project_stage_history (project_id, stage, changed_on, note, recorded_at) "
                "VALUES (?, ?, ?, ?, ?)", ([*h, now] for h in history))
        return prepared

    def _record_earlier_stages(self, p: Project, note: str, *, moved: bool) -> None:
        """History rows for the stages before the current one whose dates are known
        but not in the history yet (a project entered or imported at 已开工 with its
        签约 and 开工 dates was also 已签约 from its signing day).

        Written before the current stage's own row, so on a shared day the current
        stage stays the latest entry; without a move only earlier days are added.
        """
        recorded = {row[0] for row in self._db.execute(
            "SELECT DISTINCT stage FROM project_stage_history WHERE project_id = ?", [p.id])}
        for stage, day, text in self._earlier_stages(p, note, recorded, moved=moved):
            self._record_stage(p.id, stage, day, text)

    @staticmethod
    def _earlier_stages(p: Project, note: str, recorded: set[str], *, moved: bool):
        """(stage, day, note) of the history rows :meth:`_record_earlier_stages` adds."""
        upto = catalog.STAGES.index(p.stage) if p.stage in catalog.STAGES else len(catalog.STAGES)
        limit = p.stage_changed_on
        for stage in catalog.STAGES[:upto]:
            col = STAGE_DATE_COLUMN[stage]
            day = getattr(p, col)
            if not day or stage in recorded or (limit and (day > limit or (not moved and day == limit))):
                continue
            text = f"据{FIELD_LABELS[col]}补记"
            yield stage, day, f"{note}（{text}）" if note else text

    @staticmethod
    def _align_stage_date(p: Project, old: Project | None) -> None:
        """Keep the current stage's date column and ``stage_changed_on`` consistent."""
        col = STAGE_DATE_COLUMN[p.stage]
        own = getattr(p, col)
        moved = old is None or old.stage != p.stage
        caller_set = p.stage_changed_on and (old is None or p.stage_changed_on != old.stage_changed_on)
        if moved:
            if caller_set:
                day = p.stage_changed_on
            else:
                day = own or _today()
        elif own and (old is None or own != getattr(old, col)):
            day = own  # the stage's date was corrected
        else:
            day = p.stage_changed_on or own or _today()
        p.stage_changed_on = day
        if not own:
            setattr(p, col, day)

    def _sync_history_dates(self, p: Project, old: Project) -> None:
        for stage, col in STAGE_DATE_COLUMN.items():
            before, after = getattr(old, col), getattr(p, col)
            if before and after and before != after:
                self._db.execute(
                    "UPDATE project_stage_history SET changed_on = ? WHERE id = ("
                    "SELECT id FROM project_stage_history WHERE project_id = ? AND stage = ? AND changed_on = ? "
                    "ORDER BY id DESC LIMIT 1)",
                    [after, p.id, stage, before],
                )

    def change_stage(self, project_id: int, stage: str, on, *, note: str = "", reason: str = "") -> Project:
        """Move a project to ``stage`` on date ``on`` and record it in the history.

        Moving forward sets the new stage's date. Moving back (a correction, or a
        terminated project taken up again) clears the dates of the stages after
        the new one.

        :raises ValidationError: for an unknown stage, a date before the previous
            stage's date, or 已终止 without a reason.
        """
        with self._desk.atomic():
            p = self.get(project_id)
            canonical, day, forward = check_stage_change(p, stage, on, reason)
            if forward:
                setattr(p, STAGE_DATE_COLUMN[canonical], day)
            else:
                target = catalog.STAGES.index(canonical)
                for later in catalog.STAGES[target + 1:]:
                    setattr(p, STAGE_DATE_COLUMN[later], None)
                p.terminated_on = None
                if not getattr(p, STAGE_DATE_COLUMN[canonical]):
                    setattr(p, STAGE_DATE_COLUMN[canonical], day)
            p.stage = canonical
            p.stage_changed_on = day
            if canonical == catalog.STAGE_TERMINATED:
                p.termination_reason = (reason or p.termination_reason or "").strip()
            return self.save(p, stage_note=note or (reason if canonical == catalog.STAGE_TERMINATED else ""))

    def delete(self, project_id: int) -> None:
        """Delete a project with its history, dispatch records, nodes and problems."""
        with self._desk.atomic():
            self.get(project_id)
            self._db.execute("DELETE FROM projects WHERE id = ?", [project_id])

    def _record_stage(self, project_id: int, stage: str, on: str | None, note: str) -> None:
        self._db.execute(
            "INSERT INTO project_stage_history (project_id, stage, changed_on, note, recorded_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [project_id, stage, on or _today(), note,
             _dt.datetime.now().isoformat(timespec="seconds")],
        )

    def stage_history(self, project_id: int) -> list[dict]:
        """The stage changes of a project, oldest first: {stage, changed_on, note}."""
        rows = self._db.execute(
            "SELECT stage, changed_on, note FROM project_stage_history WHERE project_id = ? "
            "ORDER BY changed_on, id",
            [project_id],
        ).fetchall()
        return [{"stage": s, "changed_on": d, "note": n} for s, d, n in rows]

    # --- plain rows for reports and exports ------------------------------------------
    def dispatch_records(self, project_id: int) -> list[dict]:
        return dicts(self._db.execute(
            "SELECT * FROM dispatch_records WHERE project_id = ? ORDER BY year, month", [project_id]
        ))

    def nodes(self, project_id: int) -> list[dict]:
        return dicts(self._db.execute(
            "SELECT * FROM project_nodes WHERE project_id = ? ORDER BY sort_order, planned_on, id", [project_id]
        ))

    def problems(self, project_id: int) -> list[dict]:
        return dicts(self._db.execute(
            "SELECT * FROM project_problems WHERE project_id = ? ORDER BY raised_on, id", [project_id]
        ))

    def activities(self, year: int | None = None) -> list[dict]:
        sql = "SELECT * FROM activities"
        args: list = []
        if year is not None:
            sql += " WHERE held_on >= ? AND held_on < ?"
            args = [f"{year}-01-01", f"{year + 1}-01-01"]
        return dicts(self._db.execute(sql + " ORDER BY held_on, id", args))


_dicts = dicts  # kept for code written against the foundation
