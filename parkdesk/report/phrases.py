"""What the drafting modules share: the drafted block, the drafting context, and
small helpers that put clauses together the way the seed reports do.

Figures are worded by :mod:`parkdesk.numbers` only; these helpers join the
worded clauses ("，" inside a fact, "；" between facts, "。" at the end) and
never produce an empty clause, a dangling "，" or a doubled punctuation mark.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from ..numbers import cn_number, month_range
from .model import Block

PLACEHOLDER_OPEN = "（请在此"  # every drafted placeholder starts so (and ends with "）")


@dataclass
class DraftBlock:
    """A drafted block and how the editor treats it.

    ``placeholder``: a note asking for the clerk's own words — shown in the
    report tab, never printed unless the clerk replaced it. ``suggestion``: a
    drafted point of 存在的问题 the clerk reviews (keeps, edits or removes).
    ``chart``: (indicator id, chart key) of a figure whose PNG is drawn only
    when the report is exported or printed.
    """

    block: Block
    placeholder: bool = False
    suggestion: bool = False
    chart: tuple[int, str] | None = None


@dataclass
class DraftContext:
    """The period's summary and the park's wording, passed to every section."""

    data: dict[str, Any]
    year: int
    through: int
    park_name: str = ""
    short_name: str = "园区"
    superiors: str = ""
    industries: list[str] = field(default_factory=list)
    placeholders: bool = True
    suggestions: bool = True
    key_project_rows: int = 60  # rows of the 重点项目推进情况表 (setting report.key_project_rows)
    today: _dt.date | None = None  # the day of drafting (None: the period is taken as over)

    @property
    def annual(self) -> bool:
        return self.through == 12

    @property
    def period(self) -> str:
        """"1—10月", or "全年" for the annual summary."""
        return "全年" if self.annual else month_range(self.through)

    @property
    def data_month(self) -> int:
        """The latest month the indicators have figures for (N, or earlier when month N has none yet)."""
        months = [r.get("as_of_month") or self.through for r in self.data.get("indicators") or []
                  if r.get("in_report", True) and not r.get("retired")
                  and (r.get("value") is not None or r.get("yoy_pct") is not None or r.get("yoy_points") is not None)]
        return min(max(months), self.through) if months else self.through

    @property
    def full_year_figures(self) -> bool:
        """The indicators are stated for the whole year (an annual summary with December's figures)."""
        return self.data_month == 12

    @property
    def period_over(self) -> bool:
        """The last day of month N has passed on the day of drafting."""
        if self.today is None:
            return True
        return self.today > month_end_date(self.year, self.through)

    @property
    def work_period(self) -> str:
        """When the ledger's facts happened: the period, or "今年以来" while it is still running
        (an annual summary drafted in November counts the projects to date, not the whole year)."""
        return self.period if self.period_over else "今年以来"

    @property
    def subject(self) -> str:
        """How the park is named inside sentences ("园区")."""
        return self.short_name or "园区"

    def section(self, key: str) -> Any:
        return self.data.get(key) or {}


def month_end_date(year: int, month: int) -> _dt.date:
    """The last day of a month."""
    return _dt.date(year + month // 12, month % 12 + 1, 1) - _dt.timedelta(days=1)


def strip_end(text: str) -> str:
    """A clause without its closing punctuation ("……腾笼换鸟”。" → "……腾笼换鸟”")."""
    text = (text or "").strip()
    while text and text[-1] in "。；，、;,.：:":
        text = text[:-1].rstrip()
    return text


def comma(*parts: str) -> str:
    """Join the non-empty parts of one fact with "，"."""
    return "，".join(strip_end(p) for p in parts if p and strip_end(p))


def sentence(clauses: list[str], sep: str = "；") -> str:
    """Clauses joined by ``sep`` and closed with "。" ("" when there are none)."""
    kept = [strip_end(c) for c in clauses if c and strip_end(c)]
    return sep.join(kept) + "。" if kept else ""


def ordinal_items(items: list[str]) -> str:
    """"一是……；二是……。" (items separated by "。" when one of them holds a full stop)."""
    kept = [strip_end(i) for i in items if i and strip_end(i)]
    if not kept:
        return ""
    if len(kept) == 1:
        return kept[0] + "。"
    sep = "。" if any("。" in k for k in kept) else "；"
    return sep.join(f"{cn_number(n)}是{k}" for n, k in enumerate(kept, start=1)) + "。"


def join_names(names: list[str]) -> str:
    """"食品加工、电子信息和装备制造" — names with 、 and 和 before the last."""
    names = [n for n in names if n]
    if len(names) <= 1:
        return "".join(names)
    return "、".join(names[:-1]) + "和" + names[-1]


def short_title(title: str) -> str:
    """The part of a plan section's title before its first comma ("坚持锻长处、补短板")."""
    head = strip_end(title).split("，", 1)[0]
    return head or strip_end(title)


def placeholder(text: str) -> str:
    """A placeholder note: "（请在此补充……）"."""
    body = strip_end(text)
    return f"{PLACEHOLDER_OPEN}{body}。）"


__all__ = [
    "DraftBlock", "DraftContext", "PLACEHOLDER_OPEN", "comma", "join_names", "month_end_date", "ordinal_items", "placeholder",
    "sentence", "short_title", "strip_end",
]
