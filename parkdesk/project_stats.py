"""Project statistics of a period (catalog.PROJECT_STATS), for plan targets.

Minimal version written on the plans branch; the projects branch owns this
module (its version wins when the two are merged).
"""

from __future__ import annotations

import calendar

from . import catalog
from .errors import ValidationError

_STAGE_DATE = {"signed": "signed_on", "started": "started_on", "put_into_production": "production_on"}
_ACTIVITY_SUMS = ("companies_visited", "delegations_received", "leads_collected")


def _period(year: int, through: int) -> tuple[str, str]:
    if not 1 <= int(through) <= 12:
        raise ValidationError(f"月份“{through}”无效（应为 1—12）")
    last = calendar.monthrange(year, through)[1]
    return f"{year:04d}-01-01", f"{year:04d}-{through:02d}-{last:02d}"


def project_stat(desk, key: str, year: int, through: int = 12) -> float:
    """The value of a project statistic for ``year``, months 1 to ``through``.

    Counts of projects signed / started / put into production in the period
    (亿元以上: total investment ≥ 10000万元), contract investment and funds
    arrived of the projects signed in the period (亿元), and totals of the
    promotion activities held in the period.

    :raises ValidationError: for an unknown statistic or month.
    """
    if key not in catalog.PROJECT_STATS:
        raise ValidationError(f"未知的项目统计“{key}”")
    start, end = _period(year, through)
    db = desk.db
    if key in _STAGE_DATE:
        col = _STAGE_DATE[key]
        sql = f"SELECT count(*) FROM projects WHERE {col} BETWEEN ? AND ?"
    elif key == "signed_over_100m":
        sql = "SELECT count(*) FROM projects WHERE signed_on BETWEEN ? AND ? AND total_investment >= 10000"
    elif key in ("contract_investment", "funds_arrived"):
        sql = f"SELECT coalesce(sum({key}), 0) / 10000.0 FROM projects WHERE signed_on BETWEEN ? AND ?"
    elif key == "outbound_trips":
        sql = "SELECT count(*) FROM activities WHERE activity_type = '外出招商' AND held_on BETWEEN ? AND ?"
    elif key in _ACTIVITY_SUMS:
        sql = f"SELECT coalesce(sum({key}), 0) FROM activities WHERE held_on BETWEEN ? AND ?"
    else:  # pragma: no cover - every catalog key is handled above
        raise ValidationError(f"未知的项目统计“{key}”")
    return float(db.execute(sql, [start, end]).fetchone()[0])
