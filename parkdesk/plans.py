"""Work plans: per year, sections holding items (DESIGN.md 2.4).

Rules kept here:

- Section titles are stored without numbering (the report numbers them
  （一）（二）…); a typed "（一）" / "一、" / "1." is stripped.
- ``status`` is what the clerk set. The *effective* status shown and reported
  is 滞后 when the deadline has passed and the item is not 已完成 (see
  :mod:`parkdesk.plan_progress`); it is computed, never stored, so it follows
  the date and the clerk's own setting is never overwritten.
- A target tied to an indicator is that indicator's 年度目标 for the plan's
  year: saving the item upserts ``indicator_years.target`` in the same
  transaction; changing the value keeps them in step; removing the target or
  the item clears the indicator's target only while it still equals the
  plan's value (a target typed in the grid since then is left alone). One
  indicator is the target of at most one item per year.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import dataclasses
from dataclasses import asdict, dataclass, fields

from . import catalog
from .catalog import PLAN_STATUSES
from .errors import ValidationError
from .numbers import parse_date
from .plan_targets import KIND_INDICATOR, KIND_PROJECT_STAT, TARGET_KINDS, stat_label, stat_unit, strip_numbering
from .plan_targets import target_text as make_target_text

STATUS_NOT_STARTED, STATUS_ACTIVE, STATUS_DONE, STATUS_LATE = PLAN_STATUSES
MAX_TITLE = 200
MAX_TEXT = 4000


class PlanExistsError(ValidationError):
    """The target year of a copy already has a plan (the caller may ask to replace it)."""


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
    status: str = STATUS_NOT_STARTED
    progress_pct: float | None = None
    sort_order: int = 0


@dataclass
class ProgressNote:
    """A dated progress note (进展情况) of an item."""

    id: int | None
    noted_on: str
    text: str


ITEM_COLUMNS = tuple(f.name for f in fields(PlanItem))


def validate_item(item: PlanItem) -> None:
    """:raises ValidationError: for an empty title, unknown status or bad percentage."""
    if not item.title or not item.title.strip():
        raise ValidationError("事项名称不能为空")
    if len(item.title) > MAX_TITLE:
        raise ValidationError(f"事项名称过长（最多 {MAX_TITLE} 字）")
    if len(item.content or "") > MAX_TEXT:
        raise ValidationError(f"事项内容过长（最多 {MAX_TEXT} 字）")
    if item.status not in PLAN_STATUSES:
        raise ValidationError(f"未知的状态“{item.status}”（应为 {'、'.join(PLAN_STATUSES)}）")
    if item.progress_pct is not None and not 0 <= item.progress_pct <= 100:
        raise ValidationError("完成百分比应在 0—100 之间")
    if item.target_kind not in (None, *TARGET_KINDS):
        raise ValidationError(f"未知的目标类型“{item.target_kind}”")
    if item.target_kind and item.target_value is None:
        raise ValidationError("关联指标或项目统计的目标需要填写目标值")
    if item.target_kind == KIND_INDICATOR and not item.target_indicator_id:
        raise ValidationError("请选择目标关联的指标")
    if item.target_kind == KIND_PROJECT_STAT and item.target_stat not in catalog.PROJECT_STATS:
        raise ValidationError(f"未知的项目统计“{item.target_stat}”")
    if item.target_kind == KIND_PROJECT_STAT and item.target_value < 0:
        raise ValidationError("目标值不能为负数")


def shift_year(day: str | None, years: int = 1) -> str | None:
    """An ISO date moved by whole years (29 February becomes 28 February)."""
    if not day:
        return None
    d = _dt.date.fromisoformat(day[:10])
    year = d.year + years
    return d.replace(year=year, day=min(d.day, calendar.monthrange(year, d.month)[1])).isoformat()


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _now() -> str:
    return _dt.datetime.now().isoformat(timespec="seconds")


class PlanManager:
    """Sections and items of the yearly work plans."""

    def __init__(self, desk):
        self._desk = desk

    @property
    def _db(self):
        return self._desk.db

    # --- reading ---------------------------------------------------------------------------
    def years(self) -> list[int]:
        return [y for (y,) in self._db.execute("SELECT DISTINCT year FROM plan_sections ORDER BY year")]

    def sections(self, year: int) -> list[PlanSection]:
        rows = self._db.execute(
            "SELECT id, year, title, sort_order FROM plan_sections WHERE year = ? ORDER BY sort_order, id",
            [year],
        ).fetchall()
        return [PlanSection(*r) for r in rows]

    def section(self, section_id: int) -> PlanSection:
        row = self._db.execute(
            "SELECT id, year, title, sort_order FROM plan_sections WHERE id = ?", [section_id]
        ).fetchone()
        if row is None:
            raise ValidationError("该部分已不存在（可能已被删除）")
        return PlanSection(*row)

    def items(self, section_id: int) -> list[PlanItem]:
        rows = self._db.execute(
            f"SELECT {', '.join(ITEM_COLUMNS)} FROM plan_items WHERE section_id = ? ORDER BY sort_order, id",
            [section_id],
        ).fetchall()
        return [PlanItem(*r) for r in rows]

    def item(self, item_id: int) -> PlanItem:
        row = self._db.execute(
            f"SELECT {', '.join(ITEM_COLUMNS)} FROM plan_items WHERE id = ?", [item_id]
        ).fetchone()
        if row is None:
            raise ValidationError("该事项已不存在（可能已被删除）")
        return PlanItem(*row)

    def year_items(self, year: int) -> list[tuple[PlanSection, PlanItem]]:
        """Every item of a year's plan with its section, in plan order."""
        sections = {s.id: s for s in self.sections(year)}
        rows = self._db.execute(
            f"SELECT {', '.join('i.' + c for c in ITEM_COLUMNS)} FROM plan_items i "
            "JOIN plan_sections s ON s.id = i.section_id WHERE s.year = ? "
            "ORDER BY s.sort_order, s.id, i.sort_order, i.id",
            [year],
        ).fetchall()
        return [(sections[r[1]], PlanItem(*r)) for r in rows]

    def plan_size(self, year: int) -> tuple[int, int]:
        """(sections, items) of a year's plan."""
        row = self._db.execute(
            "SELECT count(DISTINCT s.id), count(i.id) FROM plan_sections s "
            "LEFT JOIN plan_items i ON i.section_id = s.id WHERE s.year = ?",
            [year],
        ).fetchone()
        return row[0], row[1]

    def has_plan(self, year: int) -> bool:
        return self._db.execute("SELECT 1 FROM plan_sections WHERE year = ? LIMIT 1", [year]).fetchone() is not None

    def item_year(self, item_id: int) -> int:
        row = self._db.execute(
            "SELECT s.year FROM plan_items i JOIN plan_sections s ON s.id = i.section_id WHERE i.id = ?", [item_id]
        ).fetchone()
        if row is None:
            raise ValidationError("该事项已不存在（可能已被删除）")
        return row[0]

    def known_values(self, column: str) -> list[str]:
        """Departments or leaders used before (for completion in the editor)."""
        if column not in ("owner_department", "leader"):
            raise ValueError(column)
        return [v for (v,) in self._db.execute(
            f"SELECT {column} FROM plan_items WHERE {column} != '' GROUP BY {column} ORDER BY count(*) DESC, {column}"
        )]

    # --- sections --------------------------------------------------------------------------
    def _clean_section_title(self, year: int, title: str, section_id: int | None = None) -> str:
        title = strip_numbering(title or "")
        if not title:
            raise ValidationError("部分标题不能为空")
        if len(title) > MAX_TITLE:
            raise ValidationError(f"部分标题过长（最多 {MAX_TITLE} 字）")
        clash = self._db.execute(
            "SELECT 1 FROM plan_sections WHERE year = ? AND title = ? AND id IS NOT ?", [year, title, section_id]
        ).fetchone()
        if clash:
            raise ValidationError(f"{year}年计划中已有部分“{title}”")
        return title

    def add_section(self, year: int, title: str) -> PlanSection:
        """Append a section to a year's plan (numbering typed in the title is dropped)."""
        if not isinstance(year, int) or not 1949 <= year <= 2200:
            raise ValidationError(f"年份“{year}”无效")
        with self._desk.atomic():
            title = self._clean_section_title(year, title)
            order = self._db.execute(
                "SELECT coalesce(max(sort_order), 0) + 10 FROM plan_sections WHERE year = ?", [year]
            ).fetchone()[0]
            cur = self._db.execute(
                "INSERT INTO plan_sections (year, title, sort_order) VALUES (?, ?, ?)", [year, title, order]
            )
        return PlanSection(cur.lastrowid, year, title, order)

    def rename_section(self, section_id: int, title: str) -> PlanSection:
        """Change a section's title."""
        with self._desk.atomic():
            s = self.section(section_id)
            s.title = self._clean_section_title(s.year, title, section_id)
            self._db.execute("UPDATE plan_sections SET title = ? WHERE id = ?", [s.title, section_id])
        return s

    def move_section(self, section_id: int, delta: int) -> bool:
        """Move a section up (-1) or down (+1) in its year; False when already at the end."""
        with self._desk.atomic():
            s = self.section(section_id)
            ids = [x.id for x in self.sections(s.year)]
            pos = ids.index(section_id)
            new = pos + delta
            if not 0 <= new < len(ids):
                return False
            ids.insert(new, ids.pop(pos))
            self._renumber("plan_sections", ids)
        return True

    def reorder_sections(self, year: int, ids: list[int]) -> None:
        """Put the year's sections in the order of ``ids`` (those not listed follow)."""
        with self._desk.atomic():
            own = [s.id for s in self.sections(year)]
            ids = [i for i in ids if i in own]
            self._renumber("plan_sections", [*ids, *(i for i in own if i not in ids)])

    def reorder_items(self, section_id: int, ids: list[int]) -> None:
        """Put the section's items in the order of ``ids`` (those not listed follow)."""
        with self._desk.atomic():
            own = [i.id for i in self.items(section_id)]
            ids = [i for i in ids if i in own]
            self._renumber("plan_items", [*ids, *(i for i in own if i not in ids)])

    def remove_section(self, section_id: int, *, with_items: bool = False) -> int:
        """Remove a section; returns how many items went with it.

        :raises ValidationError: when it still holds items and ``with_items`` is False.
        """
        with self._desk.atomic():
            s = self.section(section_id)
            items = self.items(section_id)
            if items and not with_items:
                raise ValidationError(
                    f"部分“{s.title}”下还有 {len(items)} 个事项。请先删除或移走这些事项，"
                    "或确认连同事项一起删除。"
                )
            for it in items:
                self._release_indicator_target(it, s.year)
            self._db.execute("DELETE FROM plan_sections WHERE id = ?", [section_id])
        return len(items)

    def _renumber(self, table: str, ids: list[int]) -> None:
        current = dict(self._db.execute(
            f"SELECT id, sort_order FROM {table} WHERE id IN ({', '.join('?' for _ in ids)})", ids
        ).fetchall()) if ids else {}
        for pos, row_id in enumerate(ids, start=1):
            if current.get(row_id) != pos * 10:  # only rows that moved (quiet audit log)
                self._db.execute(f"UPDATE {table} SET sort_order = ? WHERE id = ?", [pos * 10, row_id])

    # --- items -----------------------------------------------------------------------------
    def save_item(self, item: PlanItem, *, notes: list[ProgressNote] | None = None,
                  check_unique: bool = True) -> PlanItem:
        """Insert or update an item (and, when given, its complete list of progress notes).

        A tied target gets its text generated and, for an indicator, becomes the
        indicator's 年度目标 for the plan's year, in the same transaction.
        ``check_unique=False`` skips the one-item-per-indicator check, for an
        import that checked the whole year itself and saves items one by one.
        :raises ValidationError: when invalid.
        """
        with self._desk.atomic():
            saved = self._save(item, check_unique=check_unique)
            if notes is not None:
                self._replace_notes(saved.id, notes)
        return saved

    def _normalized(self, item: PlanItem) -> PlanItem:
        it = PlanItem(**asdict(item))
        it.title = strip_numbering((it.title or "").strip()) if it.title else ""
        for name in ("content", "target_text", "owner_department", "leader"):
            setattr(it, name, (getattr(it, name) or "").strip())
        d = parse_date(it.deadline)
        it.deadline = d.isoformat() if d else None
        if it.target_kind is None:
            it.target_indicator_id = it.target_stat = it.target_value = None
        elif it.target_kind == KIND_INDICATOR:
            it.target_stat = None
        elif it.target_kind == KIND_PROJECT_STAT:
            it.target_indicator_id = None
        if it.status == STATUS_DONE and it.progress_pct is None:
            it.progress_pct = 100.0
        validate_item(it)
        if it.target_kind == KIND_INDICATOR:
            ind = self._desk.indicators.get(it.target_indicator_id)
            self._desk.indicators.validate_value(ind, it.target_value)
            it.target_text = make_target_text(ind.name, it.target_value, ind.unit, lower_is_better=ind.direction < 0)
        elif it.target_kind == KIND_PROJECT_STAT:
            it.target_text = make_target_text(stat_label(it.target_stat), it.target_value, stat_unit(it.target_stat))
        if len(it.target_text) > MAX_TITLE:
            raise ValidationError(f"量化目标过长（最多 {MAX_TITLE} 字）")
        return it

    def _save(self, item: PlanItem, *, check_unique: bool) -> PlanItem:
        """Save inside an open transaction (see :meth:`save_item`)."""
        it = self._normalized(item)
        if it.section_id is None:
            raise ValidationError("事项必须属于某个部分")
        year = self.section(it.section_id).year
        old = self.item(it.id) if it.id is not None else None
        if check_unique and it.target_kind == KIND_INDICATOR:
            clash = self._db.execute(
                "SELECT i.title FROM plan_items i JOIN plan_sections s ON s.id = i.section_id "
                "WHERE s.year = ? AND i.target_kind = 'indicator' AND i.target_indicator_id = ? AND i.id IS NOT ?",
                [year, it.target_indicator_id, it.id],
            ).fetchone()
            if clash:
                name = self._desk.indicators.get(it.target_indicator_id).name
                raise ValidationError(
                    f"{year}年计划中的事项“{clash[0]}”已设定了{name}的年度目标；同一指标只能由一个事项设定目标。"
                )
        if self._db.execute("SELECT 1 FROM plan_items WHERE section_id = ? AND title = ? AND id IS NOT ?",
                            [it.section_id, it.title, it.id]).fetchone():
            raise ValidationError(f"这一部分中已有事项“{it.title}”，请换一个名称或放到其他部分。")
        values = {c: getattr(it, c) for c in ITEM_COLUMNS if c != "id"}
        if old is None:
            if not it.sort_order:
                it.sort_order = values["sort_order"] = self._next_item_order(it.section_id)
            values["updated_at"] = _now()
            cur = self._db.execute(
                f"INSERT INTO plan_items ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
                list(values.values()),
            )
            it.id = cur.lastrowid
        else:
            if old.section_id != it.section_id and item.sort_order == old.sort_order:
                it.sort_order = values["sort_order"] = self._next_item_order(it.section_id)
            if asdict(old) != asdict(it):  # nothing changed: no write, no audit noise
                values["updated_at"] = _now()
                sets = ", ".join(f"{c} = ?" for c in values)
                self._db.execute(f"UPDATE plan_items SET {sets} WHERE id = ?", [*values.values(), it.id])
            old_year = self.section(old.section_id).year
            if (old.target_kind, old.target_indicator_id, old_year) != (it.target_kind, it.target_indicator_id, year):
                self._release_indicator_target(old, old_year)
        self._claim_indicator_target(it, year)
        return it

    def _next_item_order(self, section_id: int) -> int:
        return self._db.execute(
            "SELECT coalesce(max(sort_order), 0) + 10 FROM plan_items WHERE section_id = ?", [section_id]
        ).fetchone()[0]

    def _indicator_target(self, indicator_id: int, year: int) -> float | None:
        row = self._db.execute(
            "SELECT target FROM indicator_years WHERE indicator_id = ? AND year = ?", [indicator_id, year]
        ).fetchone()
        return row[0] if row else None

    def _claim_indicator_target(self, it: PlanItem, year: int) -> None:
        if it.target_kind == KIND_INDICATOR and it.target_value is not None:
            if not _same(self._indicator_target(it.target_indicator_id, year), it.target_value):
                self._desk.indicators.set_year_figures(it.target_indicator_id, year, target=it.target_value)

    def _release_indicator_target(self, it: PlanItem, year: int) -> None:
        """Clear the indicator's 年度目标 if it is still the one this item set."""
        if it.target_kind != KIND_INDICATOR or it.target_value is None:
            return
        current = self._indicator_target(it.target_indicator_id, year)
        if current is not None and _same(current, it.target_value):
            self._desk.indicators.set_year_figures(it.target_indicator_id, year, target=None)

    def remove_item(self, item_id: int) -> None:
        """Delete an item with its progress notes."""
        with self._desk.atomic():
            it = self.item(item_id)
            self._release_indicator_target(it, self.item_year(item_id))
            self._db.execute("DELETE FROM plan_items WHERE id = ?", [item_id])

    def set_status(self, item_id: int, status: str, progress_pct: float | None = None) -> PlanItem:
        """Change an item's status (已完成 sets 100 % unless a percentage is given)."""
        with self._desk.atomic():
            it = self.item(item_id)
            it.status = status
            if progress_pct is not None:
                it.progress_pct = progress_pct
            elif status == STATUS_DONE:
                it.progress_pct = 100.0
            return self._save(it, check_unique=False)

    def move_item(self, item_id: int, delta: int) -> bool:
        """Move an item up (-1) or down (+1); past the first or last item of its
        section it goes to the end of the previous / start of the next section.
        Returns False when there is nowhere to go."""
        with self._desk.atomic():
            it = self.item(item_id)
            ids = [x.id for x in self.items(it.section_id)]
            pos = ids.index(item_id)
            new = pos + delta
            if 0 <= new < len(ids):
                ids.insert(new, ids.pop(pos))
                self._renumber("plan_items", ids)
                return True
            sections = [s.id for s in self.sections(self.section(it.section_id).year)]
            s_pos = sections.index(it.section_id) + (1 if delta > 0 else -1)
            if not 0 <= s_pos < len(sections):
                return False
            self.move_item_to(item_id, sections[s_pos], 0 if delta > 0 else None)
        return True

    def move_item_to(self, item_id: int, section_id: int, index: int | None = None) -> None:
        """Put an item into ``section_id`` (same year) at ``index`` (None: at the end)."""
        with self._desk.atomic():
            it = self.item(item_id)
            old_year = self.section(it.section_id).year
            target = self.section(section_id)
            if target.year != old_year:
                raise ValidationError("事项只能在同一年度的计划中移动")
            ids = [x.id for x in self.items(section_id) if x.id != item_id]
            ids.insert(len(ids) if index is None else max(0, min(index, len(ids))), item_id)
            if it.section_id != section_id:
                self._db.execute("UPDATE plan_items SET section_id = ?, updated_at = ? WHERE id = ?",
                                 [section_id, _now(), item_id])
            self._renumber("plan_items", ids)

    # --- progress notes ----------------------------------------------------------------------
    def progress_notes(self, item_id: int) -> list[dict]:
        """The item's dated notes, oldest first: dicts with ``id``, ``noted_on``, ``text``."""
        rows = self._db.execute(
            "SELECT id, noted_on, text FROM plan_progress_notes WHERE item_id = ? ORDER BY noted_on, id", [item_id]
        ).fetchall()
        return [{"id": i, "noted_on": d, "text": t} for i, d, t in rows]

    def add_note(self, item_id: int, noted_on, text: str) -> ProgressNote:
        """Add a dated progress note to an item."""
        note = self._clean_note(ProgressNote(None, noted_on, text))
        with self._desk.atomic():
            self.item(item_id)
            cur = self._db.execute("INSERT INTO plan_progress_notes (item_id, noted_on, text) VALUES (?, ?, ?)",
                                   [item_id, note.noted_on, note.text])
        note.id = cur.lastrowid
        return note

    def remove_note(self, note_id: int) -> None:
        with self._desk.atomic():
            self._db.execute("DELETE FROM plan_progress_notes WHERE id = ?", [note_id])

    @staticmethod
    def _clean_note(note: ProgressNote) -> ProgressNote:
        text = (note.text or "").strip()
        if not text:
            raise ValidationError("进展记录的内容不能为空")
        if len(text) > MAX_TEXT:
            raise ValidationError(f"进展记录过长（最多 {MAX_TEXT} 字）")
        day = parse_date(note.noted_on)
        if day is None:
            raise ValidationError("请填写进展记录的日期")
        return ProgressNote(note.id, day.isoformat(), text)

    def _replace_notes(self, item_id: int, notes: list[ProgressNote]) -> None:
        wanted = [self._clean_note(n) for n in notes]
        existing = {n["id"]: n for n in self.progress_notes(item_id)}
        keep = {n.id for n in wanted if n.id is not None}
        for note_id in existing.keys() - keep:
            self._db.execute("DELETE FROM plan_progress_notes WHERE id = ?", [note_id])
        for n in wanted:
            if n.id is None or n.id not in existing:
                self._db.execute("INSERT INTO plan_progress_notes (item_id, noted_on, text) VALUES (?, ?, ?)",
                                 [item_id, n.noted_on, n.text])
            elif (existing[n.id]["noted_on"], existing[n.id]["text"]) != (n.noted_on, n.text):
                self._db.execute("UPDATE plan_progress_notes SET noted_on = ?, text = ? WHERE id = ?",
                                 [n.noted_on, n.text, n.id])

    # --- whole plans --------------------------------------------------------------------------
    def clear_year(self, year: int) -> tuple[int, int]:
        """Delete a year's plan; returns the (sections, items) removed."""
        with self._desk.atomic():
            size = self.plan_size(year)
            for s in self.sections(year):
                self.remove_section(s.id, with_items=True)
        return size

    def copy_year(self, from_year: int, to_year: int | None = None, *, replace: bool = False) -> tuple[int, int]:
        """Copy a year's plan into ``to_year`` (default: the next year) to start it.

        Sections, titles, contents, owners, leaders and targets are copied and
        deadlines moved by the years between; progress, notes and status are
        not (items start 未开始). Where the indicator already has a 年度目标 for
        ``to_year`` the copied item takes that value. Returns (sections, items).

        :raises PlanExistsError: when ``to_year`` has a plan and ``replace`` is False.
        """
        to_year = from_year + 1 if to_year is None else to_year
        if to_year == from_year:
            raise ValidationError("不能把计划复制到同一年")
        if not 1949 <= to_year <= 2200:
            raise ValidationError(f"年份“{to_year}”无效")
        source = self.sections(from_year)
        if not source:
            raise ValidationError(f"{from_year}年还没有工作计划，无法复制。")
        with self._desk.atomic():
            if self.has_plan(to_year):
                if not replace:
                    n_sec, n_items = self.plan_size(to_year)
                    raise PlanExistsError(
                        f"{to_year}年已有工作计划（{n_sec}个部分、{n_items}个事项）。"
                        "如需用复制的计划替换它，请确认替换；否则请先删除该年的计划。"
                    )
                self.clear_year(to_year)
            count = 0
            for s in source:
                new_section = self.add_section(to_year, s.title)
                for it in self.items(s.id):
                    value = it.target_value
                    if it.target_kind == KIND_INDICATOR:
                        existing = self._indicator_target(it.target_indicator_id, to_year)
                        value = existing if existing is not None else value
                    copy = dataclasses.replace(it, id=None, section_id=new_section.id, target_value=value,
                                        deadline=shift_year(it.deadline, to_year - from_year),
                                        status=STATUS_NOT_STARTED, progress_pct=None, sort_order=it.sort_order)
                    self._save(copy, check_unique=True)
                    count += 1
        return len(source), count

    def indicator_target_changed(self, indicator_id: int, year: int, value: float | None) -> int:
        """Keep plan items in step after an indicator's 年度目标 was edited elsewhere
        (the indicator grid, an import): the item tied to it gets the new value and
        text; when the target is cleared the item no longer sets it (untied, no
        quantitative target left to contradict the grid). Returns the items changed."""
        changed = 0
        with self._desk.atomic():
            rows = self._db.execute(
                "SELECT i.id FROM plan_items i JOIN plan_sections s ON s.id = i.section_id "
                "WHERE s.year = ? AND i.target_kind = 'indicator' AND i.target_indicator_id = ?",
                [year, indicator_id],
            ).fetchall()
            for (item_id,) in rows:
                it = self.item(item_id)
                if value is None:
                    if it.target_value is None:
                        continue
                    it.target_kind, it.target_text = None, ""
                elif _same(it.target_value, value):
                    continue
                else:
                    it.target_value = value
                self._save(it, check_unique=False)
                changed += 1
        return changed


__all__ = [
    "PlanExistsError", "PlanItem", "PlanManager", "PlanSection", "ProgressNote", "shift_year", "validate_item",
    "STATUS_NOT_STARTED", "STATUS_ACTIVE", "STATUS_DONE", "STATUS_LATE",
]
