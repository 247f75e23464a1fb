"""Project ledger: projects, stage history, dispatch records, nodes, problems,
promotion activities (DESIGN.md 2.3). Money is in 万元, foreign capital in 万美元.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass, fields

from . import catalog
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
        return (self.total_investment or 0) >= 10000


PROJECT_COLUMNS = tuple(f.name for f in fields(Project))


def validate_project(p: Project) -> None:
    """Check one project before it is written.

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
    dates = [(f, getattr(p, f)) for f in ("signed_on", "started_on", "production_on")]
    present = [(f, d) for f, d in dates if d]
    for (f1, d1), (f2, d2) in zip(present, present[1:]):
        if d1 > d2:
            raise ValidationError(
                f"“{p.name}”的日期顺序不对：{FIELD_LABELS[f1]}（{d1}）晚于{FIELD_LABELS[f2]}（{d2}）"
            )
    if p.trial_on and p.started_on and p.trial_on < p.started_on:
        raise ValidationError(f"“{p.name}”的试生产日期早于开工日期")
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


class ProjectManager:
    """Ledger queries and writes."""

    def __init__(self, desk):
        self._desk = desk

    @property
    def _db(self):
        return self._desk.db

    # --- projects ---------------------------------------------------------------
    def list(self, *, stage: str | None = None) -> list[Project]:
        sql = f"SELECT {', '.join(PROJECT_COLUMNS)} FROM projects"
        args: list = []
        if stage:
            sql += " WHERE stage = ?"
            args.append(stage)
        sql += " ORDER BY id"
        return [Project(*row) for row in self._db.execute(sql, args)]

    def get(self, project_id: int) -> Project:
        row = self._db.execute(
            f"SELECT {', '.join(PROJECT_COLUMNS)} FROM projects WHERE id = ?", [project_id]
        ).fetchone()
        if row is None:
            raise ValidationError(f"项目（编号 {project_id}）不存在")
        return Project(*row)

    def find(self, name: str) -> Project | None:
        row = self._db.execute(
            f"SELECT {', '.join(PROJECT_COLUMNS)} FROM projects WHERE name = ?", [name.strip()]
        ).fetchone()
        return Project(*row) if row else None

    def count(self) -> int:
        return self._db.execute("SELECT count(*) FROM projects").fetchone()[0]

    def save(self, project: Project, *, stage_note: str = "") -> Project:
        """Insert or update a project; a stage change is added to its history.

        :raises ValidationError: when a field is invalid or the name is taken.
        """
        p = Project(**asdict(project))
        p.name = p.name.strip()
        for f in DATE_FIELDS:
            setattr(p, f, _iso(getattr(p, f)))
        stage = catalog.normalize_stage(p.stage) if p.stage else None
        if stage is None:
            raise ValidationError(f"未知的项目阶段“{p.stage}”")
        p.stage = stage
        validate_project(p)
        date_col = STAGE_DATE_COLUMN[p.stage]
        if not getattr(p, date_col):
            setattr(p, date_col, p.stage_changed_on or _dt.date.today().isoformat())
        if not p.stage_changed_on:
            p.stage_changed_on = getattr(p, date_col)
        now = _dt.datetime.now().isoformat(timespec="seconds")
        values = {c: getattr(p, c) for c in PROJECT_COLUMNS if c != "id"}
        with self._desk.atomic():
            clash = self._db.execute(
                "SELECT id FROM projects WHERE name = ? AND id IS NOT ?", [p.name, p.id]
            ).fetchone()
            if clash:
                raise ValidationError(f"已有同名项目“{p.name}”")
            if p.id is None:
                values["created_at"] = values["updated_at"] = now
                cols = ", ".join(values)
                cur = self._db.execute(
                    f"INSERT INTO projects ({cols}) VALUES ({', '.join('?' for _ in values)})",
                    list(values.values()),
                )
                p.id = cur.lastrowid
                self._record_stage(p.id, p.stage, p.stage_changed_on, stage_note)
            else:
                old = self.get(p.id)
                values["updated_at"] = now
                sets = ", ".join(f"{c} = ?" for c in values)
                self._db.execute(f"UPDATE projects SET {sets} WHERE id = ?", [*values.values(), p.id])
                if old.stage != p.stage:
                    self._record_stage(p.id, p.stage, p.stage_changed_on, stage_note)
        return p

    def change_stage(self, project_id: int, stage: str, on, *, note: str = "", reason: str = "") -> Project:
        """Move a project to ``stage`` on date ``on`` and record it in the history.

        :raises ValidationError: for an unknown stage, a date before the previous
            stage's date, or 已终止 without a reason.
        """
        canonical = catalog.normalize_stage(stage)
        if canonical is None:
            raise ValidationError(f"未知的项目阶段“{stage}”")
        day = _iso(on)
        if not day:
            raise ValidationError("请填写阶段变更日期")
        p = self.get(project_id)
        if p.stage_changed_on and day < p.stage_changed_on and canonical != p.stage:
            raise ValidationError(f"变更日期（{day}）早于进入当前阶段的日期（{p.stage_changed_on}）")
        p.stage = canonical
        p.stage_changed_on = day
        setattr(p, STAGE_DATE_COLUMN[canonical], day)
        if canonical == catalog.STAGE_TERMINATED:
            p.termination_reason = reason or p.termination_reason
        return self.save(p, stage_note=note or reason)

    def _record_stage(self, project_id: int, stage: str, on: str | None, note: str) -> None:
        self._db.execute(
            "INSERT INTO project_stage_history (project_id, stage, changed_on, note, recorded_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [project_id, stage, on or _dt.date.today().isoformat(), note,
             _dt.datetime.now().isoformat(timespec="seconds")],
        )

    def stage_history(self, project_id: int) -> list[dict]:
        rows = self._db.execute(
            "SELECT stage, changed_on, note FROM project_stage_history WHERE project_id = ? "
            "ORDER BY changed_on, id",
            [project_id],
        ).fetchall()
        return [{"stage": s, "changed_on": d, "note": n} for s, d, n in rows]

    # --- related records (read side; editing grows with the projects tab) ---------
    def dispatch_records(self, project_id: int) -> list[dict]:
        return _dicts(self._db.execute(
            "SELECT * FROM dispatch_records WHERE project_id = ? ORDER BY year, month", [project_id]
        ))

    def nodes(self, project_id: int) -> list[dict]:
        return _dicts(self._db.execute(
            "SELECT * FROM project_nodes WHERE project_id = ? ORDER BY sort_order, planned_on, id", [project_id]
        ))

    def problems(self, project_id: int) -> list[dict]:
        return _dicts(self._db.execute(
            "SELECT * FROM project_problems WHERE project_id = ? ORDER BY raised_on, id", [project_id]
        ))

    def activities(self, year: int | None = None) -> list[dict]:
        sql = "SELECT * FROM activities"
        args: list = []
        if year is not None:
            sql += " WHERE held_on >= ? AND held_on < ?"
            args = [f"{year}-01-01", f"{year + 1}-01-01"]
        return _dicts(self._db.execute(sql + " ORDER BY held_on, id", args))


def _dicts(cursor) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]
