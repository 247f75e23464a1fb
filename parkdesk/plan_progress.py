"""Where a plan stands: live target progress, overdue items, counts by status,
and the ``plans`` key of the period summary.

The effective status of an item is computed, not stored: 滞后 when its
deadline lies before the reference date and it is not 已完成, otherwise the
status the clerk set. The GUI judges against today; the summary (and so the
report) against the last day of the period.
"""

from __future__ import annotations

import calendar
import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from . import catalog
from .catalog import GROWTH_ONLY, PLAN_STATUSES
from .plan_targets import KIND_INDICATOR, KIND_PROJECT_STAT, stat_label, stat_unit
from .plans import STATUS_ACTIVE, STATUS_DONE, STATUS_LATE, STATUS_NOT_STARTED, PlanItem, PlanSection


@dataclass
class TargetProgress:
    """How far a tied target is: the actual figure (None when no data) against the target."""

    name: str
    unit: str
    target: float
    actual: float | None = None
    month: int | None = None  # data through this month (indicator: month of the figure used)
    pct: float | None = None  # actual ÷ target × 100 (target ÷ actual where lower is better)
    direction: int = 1  # -1: the target is a ceiling (lower is better)


@dataclass
class ItemView:
    """An item as shown and reported: effective status, target progress, latest note."""

    section: PlanSection
    item: PlanItem
    status: str
    overdue: bool
    target: TargetProgress | None = None
    latest_note: dict | None = None
    note_count: int = 0


@dataclass
class PlanView:
    """A year's plan as of a date: sections with their item views and counts by status."""

    year: int
    as_of: _dt.date
    through: int | None
    sections: list[tuple[PlanSection, list[ItemView]]] = field(default_factory=list)

    @property
    def items(self) -> list[ItemView]:
        return [v for _s, views in self.sections for v in views]

    def status_counts(self) -> dict[str, int]:
        counts = {s: 0 for s in PLAN_STATUSES}
        for v in self.items:
            counts[v.status] += 1
        return counts


def period_end(year: int, through: int) -> _dt.date:
    """The last day of month ``through`` of ``year``."""
    return _dt.date(year, through, calendar.monthrange(year, through)[1])


def is_overdue(item: PlanItem, as_of: _dt.date) -> bool:
    """True when the deadline lies before ``as_of`` and the item is not 已完成."""
    return bool(item.deadline) and item.status != STATUS_DONE and item.deadline[:10] < as_of.isoformat()


def effective_status(item: PlanItem, as_of: _dt.date) -> str:
    """滞后 for an overdue item, else the status the clerk set."""
    return STATUS_LATE if is_overdue(item, as_of) else item.status


def target_progress(desk, item: PlanItem, year: int, through: int | None = None,
                    *, as_of: _dt.date | None = None) -> TargetProgress | None:
    """Progress of a tied target from the data of the plan's year.

    Indicator: its latest figure of ``year`` up to month ``through`` (the latest
    month with data when None) ÷ the target. Project statistic: its value for
    months 1 to ``through`` (12 when None) ÷ the target. ``actual`` and ``pct``
    are None when there is no data yet (a year that has not begun, no figure
    entered) — never 0. Returns None for free-text targets.
    """
    if item.target_kind is None or item.target_value is None:
        return None
    not_begun = as_of is not None and _dt.date(year, 1, 1) > as_of
    if item.target_kind == KIND_INDICATOR:
        ind = desk.indicators.get(item.target_indicator_id)
        tp = TargetProgress(ind.name, ind.unit, item.target_value, direction=-1 if ind.direction < 0 else 1)
        if ind.kind == GROWTH_ONLY or not_begun:
            return tp
        row = desk.db.execute(
            "SELECT month, value FROM indicator_values WHERE indicator_id = ? AND year = ? AND month <= ? "
            "AND value IS NOT NULL ORDER BY month DESC LIMIT 1",
            [ind.id, year, through or 12],
        ).fetchone()
        if row is None:
            return tp
        tp.month, tp.actual = row
        tp.pct = _ratio(tp.actual, tp.target, lower_is_better=ind.direction < 0)
        return tp
    if item.target_kind == KIND_PROJECT_STAT and item.target_stat in catalog.PROJECT_STATS:
        from .project_stats import project_stat

        tp = TargetProgress(stat_label(item.target_stat), stat_unit(item.target_stat), item.target_value)
        if not_begun:
            return tp
        tp.actual = project_stat(desk, item.target_stat, year, through or 12)
        tp.month = through
        tp.pct = _ratio(tp.actual, tp.target)
        return tp
    return None


def _ratio(actual: float | None, target: float, *, lower_is_better: bool = False) -> float | None:
    if actual is None:
        return None
    if lower_is_better:
        return round(target / actual * 100, 1) if actual > 0 else None
    return round(actual / target * 100, 1) if target > 0 else None


def plan_view(desk, year: int, *, as_of: _dt.date, through: int | None = None,
              notes_until: _dt.date | None = None) -> PlanView:
    """A year's plan with effective statuses (as of ``as_of``), target progress
    (data through month ``through``) and each item's latest note (up to ``notes_until``)."""
    view = PlanView(year, as_of, through)
    latest: dict[int, dict] = {}
    counts: dict[int, int] = {}
    sql = ("SELECT n.item_id, n.noted_on, n.text FROM plan_progress_notes n "
           "JOIN plan_items i ON i.id = n.item_id JOIN plan_sections s ON s.id = i.section_id WHERE s.year = ?")
    args: list[Any] = [year]
    if notes_until is not None:
        sql += " AND n.noted_on <= ?"
        args.append(notes_until.isoformat())
    for item_id, noted_on, text in desk.db.execute(sql + " ORDER BY n.noted_on, n.id", args):
        latest[item_id] = {"noted_on": noted_on, "text": text}
        counts[item_id] = counts.get(item_id, 0) + 1
    by_section: dict[int, list[ItemView]] = {s.id: [] for s in desk.plans.sections(year)}
    sections = {s.id: s for s in desk.plans.sections(year)}
    for section, item in desk.plans.year_items(year):
        by_section[section.id].append(ItemView(
            section, item, effective_status(item, as_of), is_overdue(item, as_of),
            target_progress(desk, item, year, through, as_of=as_of), latest.get(item.id), counts.get(item.id, 0),
        ))
    view.sections = [(sections[sid], views) for sid, views in by_section.items()]
    return view


def status_line(counts: dict[str, int]) -> str:
    """"共11项：已完成3项，推进中5项，滞后2项，未开始1项"."""
    total = sum(counts.values())
    parts = [f"{s}{counts[s]}项" for s in (STATUS_DONE, STATUS_ACTIVE, STATUS_LATE, STATUS_NOT_STARTED)
             if counts.get(s)]
    return f"共{total}项" + (f"：{'，'.join(parts)}" if parts else "")


# --- the summary's "plans" key -------------------------------------------------------------------
def _completion(v: ItemView) -> tuple[float | None, str | None]:
    """The item's completion %: the clerk's figure when entered, else 100 for a done item,
    else the live progress of its target (capped at 100)."""
    it, tp = v.item, v.target
    if it.progress_pct is not None:
        return it.progress_pct, "entered"
    if v.status == STATUS_DONE:
        return 100.0, "status"
    if tp is not None and tp.pct is not None:
        return round(min(100.0, max(0.0, tp.pct)), 1), "target"
    return None, None


def _item_json(v: ItemView, index: int) -> dict[str, Any]:
    it, tp = v.item, v.target
    pct, source = _completion(v)
    return {
        "section": v.section.title,
        "section_index": index,
        "title": it.title,
        "content": it.content,
        "target": it.target_text,
        "owner": it.owner_department,
        "leader": it.leader,
        "deadline": it.deadline,
        "status": v.status,
        "stored_status": it.status,
        "overdue": v.overdue,
        "progress_pct": pct,
        "progress_source": source,
        "target_kind": it.target_kind,
        "target_indicator": tp.name if tp and it.target_kind == KIND_INDICATOR else None,
        "target_stat": it.target_stat,
        "target_value": it.target_value,
        "target_unit": tp.unit if tp else None,
        "target_actual": tp.actual if tp else None,
        "target_actual_month": tp.month if tp else None,
        "target_progress_pct": tp.pct if tp else None,
        "target_direction": tp.direction if tp else None,
        "notes": v.latest_note["text"] if v.latest_note else None,
        "notes_on": v.latest_note["noted_on"] if v.latest_note else None,
    }


def _year_json(view: PlanView) -> tuple[list[str], list[dict]]:
    order = [s.title for s, _views in view.sections]
    items = [_item_json(v, i) for i, (_s, views) in enumerate(view.sections, start=1) for v in views]
    return order, items


def plans_summary(desk, year: int, through: int) -> dict[str, Any]:
    """This year's plan (effective status at the end of month ``through``, target
    progress from the data of months 1 to ``through``) and next year's plan,
    which feeds the report's 下步工作打算. Sections keep their order."""
    end = period_end(year, through)
    this = plan_view(desk, year, as_of=end, through=through, notes_until=end)
    nxt = plan_view(desk, year + 1, as_of=end, through=None, notes_until=end)
    this_order, this_items = _year_json(this)
    next_order, next_items = _year_json(nxt)
    counts = this.status_counts()
    return {
        "year": year,
        "next_year": year + 1,
        "as_of": end.isoformat(),
        "section_order": this_order,
        "next_year_section_order": next_order,
        "this_year_items": this_items,
        "next_year_items": next_items,
        "status_counts": counts,
        "total_items": sum(counts.values()),
        "overdue_items": [i["title"] for i in this_items if i["overdue"]],
        "status_line": status_line(counts),
    }
