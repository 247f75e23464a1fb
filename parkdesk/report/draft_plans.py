"""四、下步工作打算: drafted from the work plans, section by section.

- N = 12: next year's plan, each section a run-in lead ("（一）坚持锻长处、补短板，
  大力开展“六大行动”。一是……；二是……。").
- N < 12: this year's unfinished items (推进中 / 未开始 / 滞后); when next year's
  plan exists too, both under level-2 headings ("（一）全力完成2026年目标任务",
  "（二）谋划推进2027年重点工作") with the sections as level-3 leads.
- No plan: a placeholder for the clerk (never printed untouched).
"""

from __future__ import annotations

import re
from typing import Any

from ..numbers import amount_text
from .draft_work import target_figure
from .model import Heading, Paragraph
from .phrases import DraftBlock, DraftContext, comma, ordinal_items, placeholder, strip_end

_AT_LEAST = re.compile(r"\s*(≥|>=)\s*")
_AT_MOST = re.compile(r"\s*(≤|<=)\s*")


def _plain_target(text: str) -> str:
    """A free-text target in words: "≥" → "不少于", "≤" → "不超过"."""
    return _AT_MOST.sub("不超过", _AT_LEAST.sub("不少于", strip_end(text)))


def item_text(item: dict[str, Any]) -> str:
    """"加快项目建设，促进落地项目早开工……，力争新开工项目12个以上"."""
    title, content = strip_end(item.get("title") or ""), strip_end(item.get("content") or "")
    target = ""
    if item.get("target_kind") and item.get("target_value") is not None:
        figure = target_figure(item, item["target_value"])
        amount = amount_text(item["target_value"], item.get("target_unit") or "", 2, trim=True)
        if item.get("target_direction") == -1:  # a ceiling: 控制在……以内
            name = item.get("target_indicator") or ""
            target = f"杜绝{name}" if not item["target_value"] else f"力争{name}控制在{amount}以内"
            if amount in content:
                target = ""
        elif figure and amount not in content:  # the content may already state the target in its own words
            target = f"力争{figure}以上"
    elif item.get("target"):
        words = _plain_target(item["target"])
        if words and words not in content:
            target = words
    return comma(title, content, target)


def _sections(items: list[dict[str, Any]], order: list[str]) -> list[tuple[int, str, list[dict]]]:
    """(1-based index in the plan, title, items) of each section holding some of ``items``."""
    grouped: dict[str, list[dict]] = {}
    for item in items:
        grouped.setdefault(item.get("section") or "", []).append(item)
    out = []
    for index, title in enumerate(order, start=1):
        if title in grouped:
            out.append((index, title, grouped.pop(title)))
    for title, rest in grouped.items():  # items of a section missing from the order (defensive)
        out.append((len(order) + len(out) + 1, title, rest))
    return out


def _section_blocks(prefix: str, sections, level: int) -> list[DraftBlock]:
    blocks = []
    for index, title, items in sections:
        lead = strip_end(title) + "。" if title else None
        text = ordinal_items([item_text(i) for i in items])
        blocks.append(DraftBlock(Paragraph(text, key=f"{prefix}.section.{index}", lead=lead,
                                           lead_level=level if lead else None)))
    return blocks


def draft_plans(ctx: DraftContext) -> list[DraftBlock]:
    """The blocks of 四、下步工作打算."""
    plans = ctx.section("plans")
    blocks = [DraftBlock(Heading(1, "下步工作打算", key="plans"))]
    if ctx.placeholders:
        blocks.append(DraftBlock(Paragraph(placeholder("补充下一步工作的总体思路和目标"), key="plans.intro"),
                                 placeholder=True))
    next_items = plans.get("next_year_items") or []
    next_sections = _sections(next_items, plans.get("next_year_section_order") or [])
    open_items = [] if ctx.annual else [i for i in plans.get("this_year_items") or [] if i.get("status") != "已完成"]
    this_sections = _sections(open_items, plans.get("section_order") or [])
    next_year = plans.get("next_year") or ctx.year + 1
    if this_sections and next_sections:
        blocks.append(DraftBlock(Heading(2, f"全力完成{ctx.year}年目标任务", key="plan.this")))
        blocks += _section_blocks("plan.this", this_sections, 3)
        blocks.append(DraftBlock(Heading(2, f"谋划推进{next_year}年重点工作", key="plan.next")))
        blocks += _section_blocks("plan.next", next_sections, 3)
    elif this_sections:
        blocks += _section_blocks("plan.this", this_sections, 2)
    elif next_sections:
        blocks += _section_blocks("plan.next", next_sections, 2)
    elif ctx.placeholders:
        blocks.append(DraftBlock(Paragraph(placeholder(
            f"填写下步工作打算；在“工作计划”页编写{next_year}年计划后，点击“重新生成”即可自动起草"),
            key="plans.clerk"), placeholder=True))
    return blocks


__all__ = ["draft_plans", "item_text"]
