"""Drafting a report from the data.

PLACEHOLDER — the format layer (issue 6, points 1, 4, 5) ships only this
minimal ``draft_report`` so that the ``report`` command and the renderers can
be used and tested end to end: the title, the four level-1 headings of
DESIGN.md section 3 with a one-line placeholder paragraph each, and the
signature. The drafting engineer replaces the body of :func:`draft_report`
(keep its signature and :func:`report_title`); see README.md in this folder.
"""

from __future__ import annotations

import datetime as _dt

from ..numbers import month_range
from .model import Heading, Paragraph, ReportDocument

# The outline of DESIGN.md section 3: (key, level-1 heading).
OUTLINE = (
    ("indicators", "主要指标完成情况"),
    ("work", "主要工作及成效"),
    ("problems", "存在的问题"),
    ("plans", "下步工作打算"),
)


def report_title(park_name: str, year: int, through: int) -> str:
    """"XX产业开发区2026年工作总结" for N = 12, "…2026年1—8月工作情况汇报" otherwise."""
    if through == 12:
        return f"{park_name}{year}年工作总结"
    return f"{park_name}{year}年{month_range(through)}工作情况汇报"


def draft_report(desk, year: int, through: int, *, today: _dt.date | None = None) -> ReportDocument:
    """The report for ``year``, months 1—``through`` (placeholder body, see the module doc)."""
    profile = desk.park.profile()
    blocks = [Paragraph(f"（{year}年{month_range(through)}工作情况的开篇段落待起草。）", key="opening")]
    for key, heading in OUTLINE:
        blocks.append(Heading(1, heading, key=key))
        blocks.append(Paragraph(f"（“{heading}”部分待根据数据起草。）", key=f"{key}.text"))
    document = ReportDocument(title=report_title(profile.name, year, through), blocks=blocks)
    document.set_signature(profile.signature, today or _dt.date.today())
    document.page.level3_bold = bool(desk.settings.get("report.level3_bold"))
    return document
