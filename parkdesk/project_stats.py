"""Project and investment-promotion statistics of a period (``summary["projects"]``).

The period of (year, through month N) runs from 1 January to the last day of
month N, both included. Scope of each figure:

- ``by_stage`` / ``by_stage_investment_wan``: every project by the stage it is
  in NOW (all seven stages present, zero counts included);
  ``by_stage_at_period_end``: the same at the period end, from the stage history
  and the stage dates (see :func:`stages_at`).
- ``signed_in_period`` / ``started_in_period`` / ``put_into_production_in_period``:
  names of the projects whose 签约 / 开工 / 投产 date falls in the period, largest
  total investment first (then by date). A project terminated on or before the
  period end is left out of these lists and of every figure built on them.
- ``over_100m_count`` and the money totals ``total_investment_wan``,
  ``contract_investment_wan``, ``funds_arrived_wan`` (万元) are over the projects
  SIGNED IN THE PERIOD — the seeds' "引进招商项目12个，合同引资额35.6亿元，其中
  亿元以上项目6个". 亿元以上 means a total investment of at least 10000万元.
  到位资金 is each project's figure to date (the ledger keeps no history of it).
- ``conversion_rate_pct``: of the projects signed from 1 January to the period
  end (terminated ones included: they did not convert), the share that had
  started by the period end; null when none was signed.
- ``ledger`` / ``over_100m_active_count``: the whole ledger of projects not
  terminated (now), whatever their dates.
- ``under_construction_count``: projects under construction at some time in the
  period (started by its end, not in production before its start, not
  terminated before its start) = ``new_started_count`` (started in the period,
  新建) + ``continued_count`` (started before it, 续建).
- ``activities``: activities held in the period (see
  :meth:`parkdesk.activities.ActivityMixin.activity_totals`).
- ``attention``: stalled projects, overdue nodes and open problems as of the
  earlier of today and the period end.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from . import catalog
from .dispatch import month_end
from .errors import ValidationError
from .projects import ACTIVE_STAGES, OVER_100M_WAN, STAGE_DATE_COLUMN

_TERMINATED = catalog.STAGE_TERMINATED
# A project counts in a period unless it was terminated on or before the period end.
_NOT_TERMINATED_BY = "NOT (stage = ? AND coalesce(terminated_on, '') <= ?)"
_EVENT_COLUMNS = {"signed": "signed_on", "started": "started_on", "production": "production_on"}
ATTENTION_LIST_LIMIT = 20  # overdue nodes / open problems listed by name (the counts are complete)


def period_bounds(year: int, through: int) -> tuple[_dt.date, _dt.date]:
    """(1 January, last day of month ``through``) of ``year``."""
    if not 1 <= through <= 12:
        raise ValidationError(f"截至月份应为 1—12：{through}")
    return _dt.date(year, 1, 1), month_end(year, through)


def _round(value: float | None, digits: int = 2) -> float:
    return round(float(value or 0), digits)


def _event_where(event: str, start: _dt.date, end: _dt.date) -> tuple[str, list]:
    col = _EVENT_COLUMNS[event]
    return (f"{col} >= ? AND {col} <= ? AND {_NOT_TERMINATED_BY}",
            [start.isoformat(), end.isoformat(), _TERMINATED, end.isoformat()])


def event_names(db, event: str, start: _dt.date, end: _dt.date) -> list[str]:
    """Names of the projects signed / started / put into production between the dates,
    largest total investment first, then by date."""
    where, args = _event_where(event, start, end)
    col = _EVENT_COLUMNS[event]
    return [r[0] for r in db.execute(
        f"SELECT name FROM projects WHERE {where} "
        f"ORDER BY total_investment IS NULL, total_investment DESC, {col}, id", args)]


def signed_figures(db, start: _dt.date, end: _dt.date) -> dict[str, Any]:
    """Count, 亿元以上 count and money sums of the projects signed between the dates."""
    where, args = _event_where("signed", start, end)
    row = db.execute(
        f"SELECT count(*), coalesce(sum(total_investment >= ?), 0), coalesce(sum(total_investment >= ?), 0), "
        f"coalesce(sum(total_investment >= ?), 0), sum(total_investment), sum(contract_investment), "
        f"sum(funds_arrived) FROM projects WHERE {where}",
        [OVER_100M_WAN, 5 * OVER_100M_WAN, 10 * OVER_100M_WAN, *args]).fetchone()
    return {
        "count": row[0], "over_100m_count": row[1], "over_500m_count": row[2], "over_1b_count": row[3],
        "total_investment_wan": _round(row[4]), "contract_investment_wan": _round(row[5]),
        "funds_arrived_wan": _round(row[6]),
    }


def conversion(db, start: _dt.date, end: _dt.date) -> dict[str, Any]:
    """Signing cohort of the period (terminated included) and how many started by its end."""
    row = db.execute(
        "SELECT count(*), coalesce(sum(started_on IS NOT NULL AND started_on <= ?), 0) FROM projects "
        "WHERE signed_on >= ? AND signed_on <= ?", [end.isoformat(), start.isoformat(), end.isoformat()]).fetchone()
    signed, started = row
    return {"signed": signed, "started": started,
            "rate_pct": round(started / signed * 100, 1) if signed else None}


def stages_at(db, day: _dt.date) -> dict[str, int]:
    """Count of projects by the stage they were in on ``day`` (all seven stages present).

    The stage is the latest step known by then, from the stage history and from
    the stage dates (签约/开工/投产 … 终止日期) alike, so that projects whose history
    lacks the earlier steps (imported or entered at a later stage) count too. On
    one day a history entry wins over a stage date, a later stage over an earlier.
    """
    rank = {stage: i for i, stage in enumerate(catalog.ALL_STAGES)}
    day_text = day.isoformat()
    columns = list(STAGE_DATE_COLUMN.items())
    counts = {stage: 0 for stage in catalog.ALL_STAGES}
    # Each project's last history entry by then: one walk back along the
    # (project_id, changed_on) index per project, not a window over all history.
    rows = db.execute(
        "SELECT (SELECT h.stage || char(31) || h.changed_on || char(31) || h.id FROM project_stage_history AS h "
        "WHERE h.project_id = p.id AND h.changed_on <= :day ORDER BY h.changed_on DESC, h.id DESC LIMIT 1), "
        + ", ".join(f"p.{col}" for _stage, col in columns) + " FROM projects AS p", {"day": day_text})
    for hist, *dates in rows:
        best = None  # (day, from history, order, stage): a history entry wins on its day
        if hist:
            stage, changed_on, hid = hist.split("\x1f")
            best = (changed_on, 1, int(hid), stage)
        for (stage, _col), on in zip(columns, dates):
            if on and on <= day_text:
                step = (on, 0, rank[stage], stage)
                if best is None or step > best:
                    best = step
        if best is not None and best[3] in counts:
            counts[best[3]] += 1
    return counts


def _count_event(db, event: str, start: _dt.date, end: _dt.date) -> int:
    where, args = _event_where(event, start, end)
    return db.execute(f"SELECT count(*) FROM projects WHERE {where}", args).fetchone()[0]


def _year_before(day: _dt.date) -> _dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def same_period_last_year(db, start: _dt.date, end: _dt.date, today: _dt.date) -> dict[str, Any]:
    """Projects signed / started / put into production in the same period a year before.

    While the period is still running (an annual summary drafted in November)
    this year's ledger stops at today, so last year's period stops at the same
    day. The counts are None when the ledger does not reach back to the start
    of last year's period (a park in its first year of use has no history).
    """
    last_start, last_end = _year_before(start), _year_before(min(end, max(today, start)))
    earliest = db.execute(
        "SELECT min(day) FROM (SELECT signed_on AS day FROM projects UNION ALL SELECT started_on FROM projects "
        "UNION ALL SELECT production_on FROM projects)").fetchone()[0]
    covered = earliest is not None and earliest <= last_start.isoformat()
    counts = {event: _count_event(db, event, last_start, last_end) if covered else None
              for event in ("signed", "started", "production")}
    return {"start": last_start.isoformat(), "end": last_end.isoformat(), **counts}


def projects_section(desk, year: int, through: int, today: _dt.date | None = None) -> dict[str, Any]:
    """Every project and promotion figure of the period, JSON-ready (see the module docstring)."""
    db = desk.db
    start, end = period_bounds(year, through)
    s, e = start.isoformat(), end.isoformat()
    by_stage = {stage: 0 for stage in catalog.ALL_STAGES}
    by_stage_investment = {stage: 0.0 for stage in catalog.ALL_STAGES}
    for stage, n, money in db.execute("SELECT stage, count(*), sum(total_investment) FROM projects GROUP BY stage"):
        if stage in by_stage:
            by_stage[stage] = n
            by_stage_investment[stage] = _round(money)
    at_end = stages_at(db, end)
    signed = signed_figures(db, start, end)
    signed_list = event_names(db, "signed", start, end)
    started_list = event_names(db, "started", start, end)
    production_list = event_names(db, "production", start, end)
    conv = conversion(db, start, end)
    last_year = same_period_last_year(db, start, end, today or _dt.date.today())
    ledger = db.execute(
        "SELECT count(*), sum(total_investment), sum(contract_investment), sum(funds_arrived), "
        "coalesce(sum(total_investment >= ?), 0) FROM projects WHERE stage != ?",
        [OVER_100M_WAN, _TERMINATED]).fetchone()
    construction = db.execute(
        "SELECT count(*), coalesce(sum(started_on >= ?), 0), sum(total_investment) FROM projects "
        "WHERE started_on IS NOT NULL AND started_on <= ? AND (production_on IS NULL OR production_on >= ?) "
        "AND NOT (stage = ? AND coalesce(terminated_on, '') < ?)",
        [s, e, s, _TERMINATED, s]).fetchone()
    invested = db.execute(
        "SELECT sum(invested_month) FROM dispatch_records WHERE year = ? AND month <= ?", [year, through]).fetchone()[0]
    where, args = _event_where("signed", start, end)
    by_origin = {o: {"count": 0, "contract_investment_wan": 0.0, "funds_arrived_wan": 0.0} for o in catalog.ORIGINS}
    for origin, n, contract, funds in db.execute(
            f"SELECT origin, count(*), sum(contract_investment), sum(funds_arrived) FROM projects WHERE {where} "
            "GROUP BY origin", args):
        by_origin[origin or "未填写"] = {"count": n, "contract_investment_wan": _round(contract),
                                         "funds_arrived_wan": _round(funds)}
    by_chain = {chain or "未填写": n for chain, n in db.execute(
        f"SELECT chain, count(*) FROM projects WHERE {where} GROUP BY chain ORDER BY count(*) DESC, chain", args)}
    leading = set(desk.park.profile().leading_industries)
    in_leading = sum(n for chain, n in by_chain.items() if chain in leading)
    return {
        "period_start": s,
        "period_end": e,
        "by_stage": by_stage,
        "by_stage_investment_wan": by_stage_investment,
        "by_stage_at_period_end": at_end,
        "signed_in_period": signed_list,
        "started_in_period": started_list,
        "put_into_production_in_period": production_list,
        "signed_count": len(signed_list),
        "started_count": len(started_list),
        "put_into_production_count": len(production_list),
        # The same period a year before (to the same day while the period runs); null without history.
        "signed_count_last_year": last_year["signed"],
        "started_count_last_year": last_year["started"],
        "put_into_production_count_last_year": last_year["production"],
        "last_year_period_start": last_year["start"],
        "last_year_period_end": last_year["end"],
        "over_100m_count": signed["over_100m_count"],
        "over_500m_count": signed["over_500m_count"],
        "over_1b_count": signed["over_1b_count"],
        "total_investment_wan": signed["total_investment_wan"],
        "contract_investment_wan": signed["contract_investment_wan"],
        "funds_arrived_wan": signed["funds_arrived_wan"],
        "signed_by_origin": by_origin,
        "signed_by_chain": by_chain,
        "leading_chain_share_pct": round(in_leading / len(signed_list) * 100, 1) if signed_list and leading else None,
        "conversion_rate_pct": conv["rate_pct"],
        "conversion_cohort": {"signed": conv["signed"], "started": conv["started"]},
        "ledger": {
            "count": ledger[0], "total_investment_wan": _round(ledger[1]),
            "contract_investment_wan": _round(ledger[2]), "funds_arrived_wan": _round(ledger[3]),
            "over_100m_count": ledger[4],
        },
        "over_100m_active_count": ledger[4],
        "under_construction_count": construction[0],
        "new_started_count": construction[1],
        "continued_count": construction[0] - construction[1],
        "under_construction_investment_wan": _round(construction[2]),
        "invested_in_period_wan": _round(invested),
        "activities": desk.projects.activity_totals(start, end),
        "attention": attention(desk, min(today or _dt.date.today(), end)),
    }


def attention(desk, as_of: _dt.date) -> dict[str, Any]:
    """Stalled projects, overdue nodes and open problems as of a day (for 存在的问题)."""
    db = desk.db
    day = as_of.isoformat()
    stalled_days = int(desk.settings.get("projects.stalled_days", 180))
    threshold = (as_of - _dt.timedelta(days=stalled_days)).isoformat()
    marks = ", ".join("?" for _ in ACTIVE_STAGES)
    stalled = [r[0] for r in db.execute(
        f"SELECT name FROM projects WHERE stage IN ({marks}) AND stage_changed_on < ? "
        "ORDER BY stage_changed_on, name", [*ACTIVE_STAGES, threshold])]
    nodes = db.execute(
        "SELECT count(*) FROM project_nodes n JOIN projects p ON p.id = n.project_id "
        "WHERE n.planned_on < ? AND (n.actual_on IS NULL OR n.actual_on > ?) AND p.stage != ?",
        [day, day, _TERMINATED]).fetchone()[0]
    problems = db.execute(
        "SELECT count(*), coalesce(sum(q.deadline IS NOT NULL AND q.deadline < ?), 0) "
        "FROM project_problems q JOIN projects p ON p.id = q.project_id "
        "WHERE coalesce(q.raised_on, '') <= ? AND (q.resolved = 0 OR q.resolved_on > ?) AND p.stage != ?",
        [day, day, day, _TERMINATED]).fetchone()
    # The first few overdue nodes and open problems by name, for the report's 存在的问题.
    overdue_nodes = [{"project": r[0], "node": r[1], "planned_on": r[2]} for r in db.execute(
        "SELECT p.name, n.name, n.planned_on FROM project_nodes n JOIN projects p ON p.id = n.project_id "
        "WHERE n.planned_on < ? AND (n.actual_on IS NULL OR n.actual_on > ?) AND p.stage != ? "
        "ORDER BY n.planned_on, p.name LIMIT ?", [day, day, _TERMINATED, ATTENTION_LIST_LIMIT])]
    open_problems = [{"project": r[0], "description": r[1], "deadline": r[2],
                      "overdue": bool(r[2] and r[2] < day)} for r in db.execute(
        "SELECT p.name, q.description, q.deadline FROM project_problems q JOIN projects p ON p.id = q.project_id "
        "WHERE coalesce(q.raised_on, '') <= ? AND (q.resolved = 0 OR q.resolved_on > ?) AND p.stage != ? "
        "ORDER BY q.deadline IS NULL, q.deadline, p.name LIMIT ?", [day, day, _TERMINATED, ATTENTION_LIST_LIMIT])]
    return {
        "as_of": day, "stalled_days": stalled_days, "stalled_count": len(stalled), "stalled": stalled,
        "overdue_node_count": nodes, "open_problem_count": problems[0], "overdue_problem_count": problems[1],
        "overdue_nodes": overdue_nodes, "open_problems": open_problems,
    }


def project_stat(desk, key: str, year: int, through: int = 12) -> float:
    """One of ``catalog.PROJECT_STATS`` for (year, through month N), in the stat's unit.

    signed, signed_over_100m, started, put_into_production: numbers of projects
    (scope as in ``summary["projects"]``); contract_investment, funds_arrived: 亿元,
    over the projects signed in the period; outbound_trips, companies_visited,
    delegations_received, leads_collected: activity totals of the period.

    :raises ValidationError: for an unknown key or month.
    """
    if key not in catalog.PROJECT_STATS:
        raise ValidationError(f"未知的项目统计项“{key}”（可选：{'、'.join(catalog.PROJECT_STATS)}）")
    db = desk.db
    start, end = period_bounds(year, through)
    if key == "signed":
        return float(_count_event(db, "signed", start, end))
    if key == "started":
        return float(_count_event(db, "started", start, end))
    if key == "put_into_production":
        return float(_count_event(db, "production", start, end))
    if key in ("signed_over_100m", "contract_investment", "funds_arrived"):
        figures = signed_figures(db, start, end)
        if key == "signed_over_100m":
            return float(figures["over_100m_count"])
        return figures[f"{key}_wan"] / 10000
    return float(desk.projects.activity_totals(start, end)[key])


__all__ = ["projects_section", "project_stat", "period_bounds", "attention", "event_names"]
