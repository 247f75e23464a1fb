"""Drafting a report from the data.

:func:`draft_report` is what the ``report`` command and the exports use: the
drafted report of (year, 1—N月) with the clerk's stored edits applied, as a
:class:`~parkdesk.report.model.ReportDocument`. :func:`build_state` gives the
same report with each block's edit state, for the 报告 tab.

The drafting reads only ``build_summary(desk, year, through)``, the park
profile and the stored report blocks and options; the sections are drafted by
``draft_indicators``, ``draft_work``, ``draft_problems``, ``draft_plans`` and
``attachments``. Every block has a stable key (``opening``,
``indicators.overview``, ``indicators.cat.发展水平``, ``work.investment``,
``work.investment.narrative``, ``problems.clerk``, ``problems.suggest.*``,
``plan.next.section.1`` …) under which the clerk's edits are stored.
"""

from __future__ import annotations

import datetime as _dt
from typing import Callable

from ..catalog import GROWTH_ONLY
from ..numbers import cn_number, month_range
from ..summary import build_summary
from .attachments import draft_attachments, render_charts
from .draft_indicators import draft_indicators, main_trend, reported, stated_month
from .draft_plans import draft_plans
from .draft_problems import draft_problems
from .draft_work import draft_work
from .model import Paragraph, ReportDocument, Signature
from .phrases import DraftBlock, DraftContext, join_names
from .state import TITLE_KEY, FieldState, ReportState, assemble

# The outline of DESIGN.md section 3: (key, level-1 heading).
OUTLINE = (
    ("indicators", "主要指标完成情况"),
    ("work", "主要工作及成效"),
    ("problems", "存在的问题"),
    ("plans", "下步工作打算"),
)

Progress = Callable[[str, float], None]


def report_title(park_name: str, year: int, through: int) -> str:
    """"XX产业开发区2026年工作总结" for N = 12, "…2026年1—8月工作情况汇报" otherwise."""
    if through == 12:
        return f"{park_name}{year}年工作总结"
    return f"{park_name}{year}年{month_range(through)}工作情况汇报"


TITLE_LINE_CHARS = 20  # a 2号 line in the 156 mm text area


def _width(text: str) -> float:
    return sum(0.5 if ord(ch) < 0x80 else 1.0 for ch in text)


def printed_title(park_name: str, year: int, through: int) -> str:
    """The title as printed: too long for one line, it breaks after the park's name
    (GB/T 9704 breaks a title at a pause in meaning, not in the middle of a word)."""
    title = report_title(park_name, year, through)
    rest = title[len(park_name):]
    if park_name and _width(title) > TITLE_LINE_CHARS and max(_width(park_name), _width(rest)) <= TITLE_LINE_CHARS:
        return f"{park_name}\n{rest}"
    return title


def opening_text(ctx: DraftContext) -> str:
    """"今年以来，在区委、区政府的坚强领导下，……现将有关情况汇报如下：" (N = 12: "2026年，……")."""
    when = f"{ctx.year}年" if ctx.annual else "今年以来"
    leadership = f"在{ctx.superiors}的坚强领导下，" if ctx.superiors else ""
    industries = [i for i in ctx.industries if i]
    if 1 < len(industries) < 10:
        count = "两" if len(industries) == 2 else cn_number(len(industries))
        focus = f"紧紧围绕{join_names(industries)}{count}大主导产业"
    elif industries[10:]:
        focus = f"紧紧围绕{'、'.join(industries[:3])}等主导产业"
    elif industries:
        focus = f"紧紧围绕{industries[0]}主导产业"
    else:
        focus = "紧紧围绕年度目标任务"
    trend = main_trend(ctx)
    body = f"{when}，{leadership}{ctx.park_name or ctx.subject}{focus}，扎实开展招商引资、项目建设和企业服务等各项工作"
    closing = f"现将{ctx.year}年工作总结如下：" if ctx.annual else "现将有关情况汇报如下："
    return body + (f"，{trend}" if trend else "") + "。" + closing


def data_notices(ctx: DraftContext) -> list[str]:
    """What the clerk should know before printing: month N has no indicator figures yet
    (the latest month is used, with the full-year forecast), or some indicators lag behind."""
    records = [r for r in reported(ctx.data.get("indicators") or []) if r.get("kind") != GROWTH_ONLY
               and r.get("value") is not None]
    month = ctx.data_month
    if month < ctx.through:
        tail = "并给出预计全年数" if month < 12 else ""
        return [f"{ctx.year}年{ctx.through}月尚无指标数据，报告中的指标按{month_range(month)}的数据起草"
                + (f"，{tail}" if tail else "") + "；录入后重新生成即可更新。"]
    behind = [r for r in records if stated_month(r, ctx) < ctx.through]
    if not behind:
        return []
    named = "、".join(f"{r['name']}（{month_range(stated_month(r, ctx))}）" for r in behind[:5])
    more = f"等{len(behind)}项指标" if len(behind) > 5 else ""
    return [f"{named}{more}{ctx.through}月尚无数据，报告中按括号内的月份起草。"]


def draft_blocks(ctx: DraftContext, *, organization: str, signed_on: _dt.date,
                 attachments: list[str]) -> list[DraftBlock]:
    """Every drafted block of the report, in reading order (no edits applied)."""
    blocks = [DraftBlock(Paragraph(opening_text(ctx), key="opening"))]
    blocks += draft_indicators(ctx)
    blocks += draft_work(ctx)
    blocks += draft_problems(ctx)
    blocks += draft_plans(ctx)
    blocks.append(DraftBlock(Signature(organization, signed_on)))
    blocks += draft_attachments(ctx, attachments)
    return blocks


def build_state(desk, year: int, through: int, *, today: _dt.date | None = None, figures: bool = False,
                progress: Progress | None = None) -> ReportState:
    """The period's report with the clerk's edits applied, block by block.

    ``figures``: draw the charts of the attachments (slow: matplotlib); without
    it they are blank stand-ins, enough for the editor.
    """
    if progress:
        progress("正在汇总数据", 0.05)
    data = build_summary(desk, year, through)
    profile = desk.park.profile()
    options = desk.reports.options(year, through)
    ctx = DraftContext(
        data=data, year=year, through=through, park_name=profile.name, short_name=profile.short_name or "园区",
        superiors=profile.superiors, industries=list(profile.leading_industries),
        placeholders=options.placeholders, suggestions=options.suggestions, today=today or _dt.date.today(),
        key_project_rows=int(desk.settings.get("report.key_project_rows")),
    )
    if progress:
        progress("正在起草报告", 0.15)
    drafted = draft_blocks(ctx, organization=profile.signature,
                           signed_on=options.signature_day(today or _dt.date.today()),
                           attachments=options.attachments)
    stored = desk.reports.blocks(year, through)
    title_draft = printed_title(profile.name, year, through)
    row = stored.get(TITLE_KEY)
    title = (FieldState("title", title_draft, row.text, row.base_draft, True) if row and row.edited
             else FieldState("title", title_draft, title_draft))
    state = ReportState(year, through, title, assemble(drafted, stored), options, notices=data_notices(ctx))
    state.page.level3_bold = bool(desk.settings.get("report.level3_bold"))
    if figures:
        charts = state.charts_to_draw()
        if charts:
            render_charts(desk, year, through, charts,
                          (lambda msg, f: progress(msg, 0.2 + 0.4 * f)) if progress else None)
    return state


def draft_report(desk, year: int, through: int, *, today: _dt.date | None = None, figures: bool = True,
                 progress: Progress | None = None) -> ReportDocument:
    """The report for ``year``, months 1—``through``, with the clerk's stored edits."""
    return build_state(desk, year, through, today=today, figures=figures, progress=progress).document()


__all__ = ["OUTLINE", "build_state", "data_notices", "draft_blocks", "draft_report", "opening_text", "printed_title", "report_title"]
