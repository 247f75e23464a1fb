"""Stored report blocks: the paragraphs a clerk edited, added or removed.

A block is keyed by (year, through_month, key); ``key`` is the stable name of
a place in the drafted outline (e.g. ``indicators.overview``), so an edit finds
its paragraph again when the report is regenerated.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass


@dataclass
class StoredBlock:
    key: str
    kind: str
    level: int
    text: str
    base_draft: str
    edited: bool
    removed: bool
    custom: bool
    parent_key: str | None
    sort_order: int


class ReportManager:
    """Reads and writes the clerk's edits of a report."""

    def __init__(self, desk):
        self._desk = desk

    def blocks(self, year: int, through: int) -> dict[str, StoredBlock]:
        rows = self._desk.db.execute(
            "SELECT key, kind, level, text, base_draft, edited, removed, custom, parent_key, sort_order "
            "FROM report_blocks WHERE year = ? AND through_month = ? ORDER BY sort_order, id",
            [year, through],
        ).fetchall()
        return {
            r[0]: StoredBlock(r[0], r[1], r[2], r[3], r[4], bool(r[5]), bool(r[6]), bool(r[7]), r[8], r[9])
            for r in rows
        }

    def save_edit(self, year: int, through: int, key: str, text: str, base_draft: str, *,
                  kind: str = "paragraph", level: int = 0, custom: bool = False,
                  parent_key: str | None = None, sort_order: int = 0) -> None:
        """Keep the clerk's text for a block, with the draft it was edited from."""
        now = _dt.datetime.now().isoformat(timespec="seconds")
        with self._desk.atomic():
            self._desk.db.execute(
                """INSERT INTO report_blocks (year, through_month, key, kind, level, text, base_draft,
                       edited, removed, custom, parent_key, sort_order, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, 1, 0, ?, ?, ?, ?)
                   ON CONFLICT(year, through_month, key) DO UPDATE SET
                       text = excluded.text, base_draft = excluded.base_draft, edited = 1,
                       removed = 0, updated_at = excluded.updated_at""",
                [year, through, key, kind, level, text, base_draft, int(custom), parent_key, sort_order, now],
            )
