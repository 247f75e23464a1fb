"""Work plans: per year, sections holding items (DESIGN.md 2.4)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass, fields

from .catalog import PLAN_STATUSES
from .errors import ValidationError
from .numbers import parse_date


@dataclass
class PlanSection:
    id: int | None
    year: int
    title: str
    sort_order: int = 0


@dataclass
class PlanItem:
    """One 事项 of a plan section."""

    id: int | None = None
    section_id: int | None = None
    title: str = ""
    content: str = ""
    target_text: str = ""
    target_kind: str | None = None  # 'indicator' | 'project_stat' | None
    target_indicator_id: int | None = None
    target_stat: str | None = None
    target_value: float | None = None
    owner_department: str = ""
    leader: str = ""
    deadline: str | None = None
    status: str = "未开始"
    progress_pct: float | None = None
    sort_order: int = 0


ITEM_COLUMNS = tuple(f.name for f in fields(PlanItem))


def validate_item(item: PlanItem) -> None:
    """:raises ValidationError: for an empty title, unknown status or bad percentage."""
    if not item.title or not item.title.strip():
        raise ValidationError("事项名称不能为空")
    if item.status not in PLAN_STATUSES:
        raise ValidationError(f"未知的状态“{item.status}”（应为 {'、'.join(PLAN_STATUSES)}）")
    if item.progress_pct is not None and not 0 <= item.progress_pct <= 100:
        raise ValidationError("完成百分比应在 0—100 之间")
    if item.target_kind not in (None, "indicator", "project_stat"):
        raise ValidationError(f"未知的目标类型“{item.target_kind}”")


class PlanManager:
    """Sections and items of the yearly work plans."""

    def __init__(self, desk):
        self._desk = desk

    @property
    def _db(self):
        return self._desk.db

    def years(self) -> list[int]:
        return [y for (y,) in self._db.execute("SELECT DISTINCT year FROM plan_sections ORDER BY year")]

    def sections(self, year: int) -> list[PlanSection]:
        rows = self._db.execute(
            "SELECT id, year, title, sort_order FROM plan_sections WHERE year = ? ORDER BY sort_order, id",
            [year],
        ).fetchall()
        return [PlanSection(*r) for r in rows]

    def items(self, section_id: int) -> list[PlanItem]:
        rows = self._db.execute(
            f"SELECT {', '.join(ITEM_COLUMNS)} FROM plan_items WHERE section_id = ? ORDER BY sort_order, id",
            [section_id],
        ).fetchall()
        return [PlanItem(*r) for r in rows]

    def year_items(self, year: int) -> list[tuple[PlanSection, PlanItem]]:
        """Every item of a year's plan with its section, in plan order."""
        return [(s, i) for s in self.sections(year) for i in self.items(s.id)]

    def add_section(self, year: int, title: str) -> PlanSection:
        title = (title or "").strip()
        if not title:
            raise ValidationError("部分标题不能为空")
        with self._desk.atomic():
            order = self._db.execute(
                "SELECT coalesce(max(sort_order), 0) + 10 FROM plan_sections WHERE year = ?", [year]
            ).fetchone()[0]
            cur = self._db.execute(
                "INSERT INTO plan_sections (year, title, sort_order) VALUES (?, ?, ?)", [year, title, order]
            )
        return PlanSection(cur.lastrowid, year, title, order)

    def save_item(self, item: PlanItem) -> PlanItem:
        """Insert or update an item. :raises ValidationError: when invalid."""
        it = PlanItem(**asdict(item))
        it.title = it.title.strip()
        d = parse_date(it.deadline)
        it.deadline = d.isoformat() if d else None
        validate_item(it)
        if it.section_id is None:
            raise ValidationError("事项必须属于某个部分")
        values = {c: getattr(it, c) for c in ITEM_COLUMNS if c != "id"}
        values["updated_at"] = _dt.datetime.now().isoformat(timespec="seconds")
        with self._desk.atomic():
            if it.id is None:
                if not it.sort_order:
                    values["sort_order"] = self._db.execute(
                        "SELECT coalesce(max(sort_order), 0) + 10 FROM plan_items WHERE section_id = ?",
                        [it.section_id],
                    ).fetchone()[0]
                    it.sort_order = values["sort_order"]
                cur = self._db.execute(
                    f"INSERT INTO plan_items ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
                    list(values.values()),
                )
                it.id = cur.lastrowid
            else:
                sets = ", ".join(f"{c} = ?" for c in values)
                self._db.execute(f"UPDATE plan_items SET {sets} WHERE id = ?", [*values.values(), it.id])
        return it

    def progress_notes(self, item_id: int) -> list[dict]:
        rows = self._db.execute(
            "SELECT noted_on, text FROM plan_progress_notes WHERE item_id = ? ORDER BY noted_on, id", [item_id]
        ).fetchall()
        return [{"noted_on": d, "text": t} for d, t in rows]
