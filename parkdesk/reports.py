"""Stored report blocks: the paragraphs a clerk edited, added or removed, and the
report's options — per period (year, through month N).

A block is keyed by (year, through_month, key); ``key`` is the stable name of
a place in the drafted outline (e.g. ``indicators.overview``), so an edit finds
its paragraph again when the report is regenerated. One row per key:

- an edit: ``edited`` = 1, ``text`` the clerk's text, ``base_draft`` the draft
  it was edited from (a later draft that differs from it is a conflict the
  clerk resolves, see :mod:`parkdesk.report.state`). The run-in lead of a
  paragraph is a row of its own, ``<key>#lead`` (kind ``lead``);
- a removal: ``removed`` = 1 (restorable; the edit, if any, is kept);
- a block the clerk added: ``custom`` = 1, ``kind`` paragraph or heading with its
  ``level``, placed after the block ``parent_key``; among blocks added after the
  same block, a later ``sort_order`` sits closer to it (it was inserted right
  after it);
- the options (attachments, signature date, …): the row with key ``options`` and
  kind ``options``, JSON in ``text``.

Every write is one transaction; the audit triggers log it.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import asdict, dataclass, field

from .errors import ValidationError

OPTIONS_KEY = "options"
LEAD_SUFFIX = "#lead"
ATTACHMENT_KEYS = ("indicators", "projects", "charts")


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


@dataclass
class ReportOptions:
    """What a report of one period includes, chosen by the clerk."""

    attachments: list[str] = field(default_factory=lambda: list(ATTACHMENT_KEYS))
    signature_date: str | None = None  # ISO date; None: the day the report is drafted
    placeholders: bool = True  # draft notes asking for the clerk's words (never printed untouched)
    suggestions: bool = True  # draft suggestions in 存在的问题

    @classmethod
    def from_json(cls, text: str | None) -> "ReportOptions":
        """Options from their stored JSON; unknown or broken values fall back to the defaults."""
        try:
            raw = json.loads(text or "{}")
        except ValueError:
            raw = {}
        options = cls()
        if not isinstance(raw, dict):
            return options
        if isinstance(raw.get("attachments"), list):
            options.attachments = [a for a in raw["attachments"] if a in ATTACHMENT_KEYS]
        date = raw.get("signature_date")
        if isinstance(date, str):
            try:
                options.signature_date = _dt.date.fromisoformat(date[:10]).isoformat()
            except ValueError:
                pass
        for name in ("placeholders", "suggestions"):
            if isinstance(raw.get(name), bool):
                setattr(options, name, raw[name])
        return options

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    def signature_day(self, today: _dt.date) -> _dt.date:
        """The date printed under the signature."""
        return _dt.date.fromisoformat(self.signature_date) if self.signature_date else today


def _now() -> str:
    return _dt.datetime.now().isoformat(timespec="seconds")


class ReportManager:
    """Reads and writes the clerk's edits and the options of a report."""

    def __init__(self, desk):
        self._desk = desk

    @property
    def _db(self):
        return self._desk.db

    # --- reading -------------------------------------------------------------------------
    def blocks(self, year: int, through: int) -> dict[str, StoredBlock]:
        """The stored blocks of a period by key (the options row excluded)."""
        rows = self._db.execute(
            "SELECT key, kind, level, text, base_draft, edited, removed, custom, parent_key, sort_order "
            "FROM report_blocks WHERE year = ? AND through_month = ? AND kind != 'options' ORDER BY sort_order, id",
            [year, through],
        ).fetchall()
        return {
            r[0]: StoredBlock(r[0], r[1], r[2], r[3], r[4], bool(r[5]), bool(r[6]), bool(r[7]), r[8], r[9])
            for r in rows
        }

    def options(self, year: int, through: int) -> ReportOptions:
        """The options of a period's report (defaults when none were chosen)."""
        row = self._db.execute(
            "SELECT text FROM report_blocks WHERE year = ? AND through_month = ? AND key = ?",
            [year, through, OPTIONS_KEY]).fetchone()
        return ReportOptions.from_json(row[0] if row else None)

    def has_changes(self, year: int, through: int) -> bool:
        """True when the clerk edited, added or removed anything in the period's report."""
        return self._db.execute(
            "SELECT 1 FROM report_blocks WHERE year = ? AND through_month = ? AND kind != 'options' LIMIT 1",
            [year, through]).fetchone() is not None

    # --- writing -------------------------------------------------------------------------
    def save_edit(self, year: int, through: int, key: str, text: str, base_draft: str, *,
                  kind: str = "paragraph", level: int = 0, custom: bool = False,
                  parent_key: str | None = None, sort_order: int = 0) -> None:
        """Keep the clerk's text for a block, with the draft it was edited from."""
        _check_key(key)
        with self._desk.atomic():
            self._db.execute(
                """INSERT INTO report_blocks (year, through_month, key, kind, level, text, base_draft,
                       edited, removed, custom, parent_key, sort_order, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, 1, 0, ?, ?, ?, ?)
                   ON CONFLICT(year, through_month, key) DO UPDATE SET
                       text = excluded.text, base_draft = excluded.base_draft, edited = 1,
                       removed = 0, updated_at = excluded.updated_at""",
                [year, through, key, kind, level, text, base_draft, int(custom), parent_key, sort_order, _now()],
            )

    def save_fields(self, year: int, through: int, changes: list[tuple[str, str | None, str, str, int]]) -> None:
        """Save several fields of one block in one transaction.

        Each change is (key, text, base_draft, kind, level); text None discards
        the edit of that key (the draft is used again).
        """
        with self._desk.atomic():
            for key, text, base, kind, level in changes:
                if text is None:
                    self.discard_edit(year, through, key)
                else:
                    self.save_edit(year, through, key, text, base, kind=kind, level=level)

    def keep_edit(self, year: int, through: int, key: str, new_draft: str) -> None:
        """Resolve a conflict by keeping the clerk's text: it now answers ``new_draft``."""
        with self._desk.atomic():
            self._db.execute(
                "UPDATE report_blocks SET base_draft = ?, updated_at = ? WHERE year = ? AND through_month = ? "
                "AND key = ? AND edited = 1", [new_draft, _now(), year, through, key])

    def discard_edit(self, year: int, through: int, key: str) -> None:
        """Drop the clerk's text of a drafted block: the draft is used again (a removal stays)."""
        with self._desk.atomic():
            self._db.execute(
                "DELETE FROM report_blocks WHERE year = ? AND through_month = ? AND key = ? "
                "AND removed = 0 AND custom = 0", [year, through, key])
            self._db.execute(
                "UPDATE report_blocks SET edited = 0, text = '', base_draft = '', updated_at = ? "
                "WHERE year = ? AND through_month = ? AND key = ? AND custom = 0 AND edited = 1",
                [_now(), year, through, key])

    def set_removed(self, year: int, through: int, key: str, removed: bool, *,
                    kind: str = "paragraph", level: int = 0) -> None:
        """Remove a block from the report, or restore it."""
        _check_key(key)
        with self._desk.atomic():
            if removed:
                self._db.execute(
                    """INSERT INTO report_blocks (year, through_month, key, kind, level, removed, updated_at)
                       VALUES (?, ?, ?, ?, ?, 1, ?)
                       ON CONFLICT(year, through_month, key) DO UPDATE SET removed = 1,
                           updated_at = excluded.updated_at""",
                    [year, through, key, kind, level, _now()])
            else:
                self._db.execute(
                    "UPDATE report_blocks SET removed = 0, updated_at = ? WHERE year = ? AND through_month = ? "
                    "AND key = ?", [_now(), year, through, key])
                self._db.execute(
                    "DELETE FROM report_blocks WHERE year = ? AND through_month = ? AND key = ? AND edited = 0 "
                    "AND custom = 0 AND removed = 0", [year, through, key])

    def add_custom(self, year: int, through: int, *, kind: str, text: str, after_key: str | None,
                   level: int = 0) -> str:
        """Add the clerk's own paragraph or heading right after the block ``after_key``; returns its key."""
        if kind not in ("paragraph", "heading"):
            raise ValidationError(f"不能新增这种内容：{kind}")
        if kind == "heading" and level not in (1, 2, 3, 4):
            raise ValidationError("标题级别应为 1—4")
        with self._desk.atomic():
            keys = [k for (k,) in self._db.execute(
                "SELECT key FROM report_blocks WHERE year = ? AND through_month = ? AND key LIKE 'custom.%'",
                [year, through])]
            numbers = [int(k.split(".", 1)[1]) for k in keys if k.split(".", 1)[1].isdigit()]
            key = f"custom.{max(numbers, default=0) + 1}"
            order = self._db.execute(
                "SELECT coalesce(max(sort_order), 0) + 1 FROM report_blocks WHERE year = ? AND through_month = ?",
                [year, through]).fetchone()[0]
            self._db.execute(
                """INSERT INTO report_blocks (year, through_month, key, kind, level, text, base_draft, edited,
                       removed, custom, parent_key, sort_order, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, '', 1, 0, 1, ?, ?, ?)""",
                [year, through, key, kind, level if kind == "heading" else 0, text, after_key, order, _now()])
        return key

    def keep_as_custom(self, year: int, through: int, key: str, after_key: str | None) -> None:
        """Keep an edit whose drafted paragraph no longer exists, as the clerk's own paragraph."""
        with self._desk.atomic():
            order = self._db.execute(
                "SELECT coalesce(max(sort_order), 0) + 1 FROM report_blocks WHERE year = ? AND through_month = ?",
                [year, through]).fetchone()[0]
            self._db.execute(
                "UPDATE report_blocks SET custom = 1, base_draft = '', parent_key = ?, sort_order = ?, "
                "updated_at = ? WHERE year = ? AND through_month = ? AND key = ?",
                [after_key, order, _now(), year, through, key])

    def delete_custom(self, year: int, through: int, key: str) -> None:
        """Delete a block the clerk added (for good)."""
        with self._desk.atomic():
            row = self._db.execute("SELECT parent_key, sort_order FROM report_blocks WHERE year = ? "
                                   "AND through_month = ? AND key = ? AND custom = 1", [year, through, key]).fetchone()
            if row is None:
                return
            # Blocks added after this one take its place (its anchor and its order).
            self._db.execute("UPDATE report_blocks SET parent_key = ?, sort_order = ? WHERE year = ? "
                             "AND through_month = ? AND parent_key = ?", [row[0], row[1], year, through, key])
            self._db.execute("DELETE FROM report_blocks WHERE year = ? AND through_month = ? AND key = ?",
                             [year, through, key])

    def save_options(self, year: int, through: int, options: ReportOptions) -> None:
        """Store the options of a period's report."""
        with self._desk.atomic():
            self._db.execute(
                """INSERT INTO report_blocks (year, through_month, key, kind, text, updated_at)
                   VALUES (?, ?, ?, 'options', ?, ?)
                   ON CONFLICT(year, through_month, key) DO UPDATE SET text = excluded.text,
                       updated_at = excluded.updated_at""",
                [year, through, OPTIONS_KEY, options.to_json(), _now()])

    def clear(self, year: int, through: int) -> int:
        """Discard every edit, removal and added block of a period (options kept); returns how many."""
        with self._desk.atomic():
            cur = self._db.execute(
                "DELETE FROM report_blocks WHERE year = ? AND through_month = ? AND kind != 'options'",
                [year, through])
        return cur.rowcount


def _check_key(key: str) -> None:
    if not key or key == OPTIONS_KEY:
        raise ValidationError(f"无效的段落标识：{key!r}")


__all__ = ["ATTACHMENT_KEYS", "LEAD_SUFFIX", "OPTIONS_KEY", "ReportManager", "ReportOptions", "StoredBlock"]
