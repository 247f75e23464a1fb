"""Settings kept in the database (thresholds, limits), with their defaults."""

from __future__ import annotations

import json
from typing import Any

from .storage.database import Database

# Every setting the core reads, with its default. A setting not stored in the
# database has its default value.
DEFAULTS: dict[str, Any] = {
    # status light: behind 时序进度 by more than these many points
    "status.yellow_gap_pts": 10.0,
    "status.red_gap_pts": 30.0,
    # checks
    "checks.outlier_factor": 3.0,
    "checks.official_gap_pts": 5.0,
    # projects stalled longer than this in one stage are flagged
    "projects.stalled_days": 180,
    # open nodes planned within this many days are shown yellow (overdue: red)
    "projects.node_warning_days": 15,
    # backups
    "backups.keep_daily": 7,
    "backups.keep_weekly": 4,
    "backups.keep_monthly": 12,
    "backups.timer_minutes": 30,
    # report
    "report.level3_bold": False,
    # at most this many key projects in the report's 重点项目推进情况表 (by level, then investment)
    "report.key_project_rows": 60,
}


class Settings:
    """Typed access to the ``settings`` table."""

    def __init__(self, desk):
        self._desk = desk

    @property
    def _db(self) -> Database:
        return self._desk.db

    def get(self, key: str, default: Any = None) -> Any:
        row = self._db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        if row is None:
            return DEFAULTS.get(key, default)
        try:
            return json.loads(row[0])
        except ValueError:
            return DEFAULTS.get(key, default)

    def set(self, key: str, value: Any) -> None:
        """Store a setting (audited like any change)."""
        text = json.dumps(value, ensure_ascii=False)
        with self._desk.atomic():
            self._db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, text],
            )

    def all(self) -> dict[str, Any]:
        values = dict(DEFAULTS)
        for key, text in self._db.execute("SELECT key, value FROM settings").fetchall():
            try:
                values[key] = json.loads(text)
            except ValueError:
                pass
        return values
