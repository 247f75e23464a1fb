"""Key projects of a period (``summary["key_projects"]``): the report's 重点项目推进情况表.

A key project is 省重点 or 市重点, or has a total investment of at least
1亿元 (10000万元); it is listed when it was under construction at some time in
the period (started by the period end, not in production before the period
start) or was put into production in it. Projects terminated on or before the
period end are left out, as everywhere in the period statistics. Each record
carries the latest dispatch figures up to the period end: 累计完成投资 and
形象进度 (the latest non-empty entry of each, with the month it was reported).
"""

from __future__ import annotations

import json
from typing import Any

from . import catalog
from .project_stats import period_bounds
from .projects import OVER_100M_WAN

KEY_LEVELS = ("省重点", "市重点")
_LEVEL_ORDER = {level: i for i, level in enumerate(catalog.PROJECT_LEVELS)}


def _latest(db, ids: list[int], year: int, through: int, column: str, present: str) -> dict[int, tuple]:
    """project id -> (value, year, month) of the latest dispatch record with ``column`` filled in."""
    if not ids:
        return {}
    # One backward walk of the (project_id, year, month) index per project: no sort
    # of every dispatch record, whatever the size of the ledger.
    rows = db.execute(
        f"SELECT d.project_id, d.{column}, d.year, d.month FROM json_each(?) AS k "
        f"JOIN dispatch_records AS d ON d.id = (SELECT r.id FROM dispatch_records AS r "
        f"WHERE r.project_id = k.value AND {present} AND (r.year < ? OR (r.year = ? AND r.month <= ?)) "
        f"ORDER BY r.year DESC, r.month DESC LIMIT 1)",
        [json.dumps(ids), year, year, through]).fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def key_projects_section(desk, year: int, through: int) -> dict[str, Any]:
    """The key projects of (year, 1—N月), JSON-ready (see the module docstring)."""
    db = desk.db
    start, end = period_bounds(year, through)
    s, e = start.isoformat(), end.isoformat()
    rows = db.execute(
        "SELECT id, name, level, chain, project_type, total_investment, started_on, trial_on, production_on "
        "FROM projects WHERE started_on IS NOT NULL AND started_on <= ? "
        "AND (production_on IS NULL OR production_on >= ?) "
        "AND NOT (stage = ? AND coalesce(terminated_on, '') <= ?) "
        f"AND (level IN ({', '.join('?' for _ in KEY_LEVELS)}) OR total_investment >= ?)",
        [e, s, catalog.STAGE_TERMINATED, e, *KEY_LEVELS, OVER_100M_WAN]).fetchall()
    ids = [r[0] for r in rows]
    to_date = _latest(db, ids, year, through, "invested_to_date", "invested_to_date IS NOT NULL")
    progress = _latest(db, ids, year, through, "progress", "trim(progress) != ''")
    in_period: dict[int, float] = {}
    if ids:
        in_period = {pid: total for pid, total in db.execute(
            "SELECT d.project_id, sum(d.invested_month) FROM json_each(?) AS k JOIN dispatch_records AS d "
            "ON d.project_id = k.value AND d.year = ? AND d.month <= ? GROUP BY d.project_id",
            [json.dumps(ids), year, through]) if total is not None}
    projects = []
    for pid, name, level, chain, ptype, total, started, trial, production in rows:
        if production and production <= e:
            status = catalog.STAGE_PRODUCTION
        elif trial and trial <= e:
            status = catalog.STAGE_TRIAL
        else:
            status = "在建"
        latest_money = to_date.get(pid)
        latest_progress = progress.get(pid)
        projects.append({
            "name": name,
            "level": level,
            "chain": chain,
            "project_type": ptype,
            "total_investment_wan": total,
            "invested_to_date_wan": latest_money[0] if latest_money else None,
            "invested_to_date_month": f"{latest_money[1]}-{latest_money[2]:02d}" if latest_money else None,
            "invested_in_period_wan": round(in_period[pid], 2) if pid in in_period else None,
            "progress": latest_progress[0].strip() if latest_progress else "",
            "progress_month": f"{latest_progress[1]}-{latest_progress[2]:02d}" if latest_progress else None,
            "started_on": started,
            "production_on": production,
            "construction": "新建" if started >= s else "续建",
            "status": status,
        })
    projects.sort(key=lambda p: (_LEVEL_ORDER.get(p["level"], 9), -(p["total_investment_wan"] or 0), p["name"]))
    return {
        "criteria": f"{'、'.join(KEY_LEVELS)}项目及总投资1亿元以上项目（在建或期内投产）",
        "count": len(projects),
        "projects": projects,
    }


__all__ = ["KEY_LEVELS", "key_projects_section"]
