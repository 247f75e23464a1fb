"""三、存在的问题: the clerk's own text, then suggestions drafted from what the
data flags — indicators with a yellow or red light, stalled projects and a low
conversion rate, open problems and overdue nodes, work-plan items behind
schedule. Each suggestion is a numbered point ("1.部分指标完成进度滞后。……")
the clerk keeps, edits or removes; removing one renumbers the rest.
"""

from __future__ import annotations

from typing import Any

from ..numbers import fmt, progress_gap_text
from .draft_indicators import change_phrase, reported, stated_month
from .model import Heading, Paragraph
from .phrases import DraftBlock, DraftContext, comma, join_names, placeholder, sentence, strip_end

MAX_LISTED = 5  # indicators / items named in one suggestion
LOW_CONVERSION_PCT = 50.0  # below this the signing cohort's conversion is worth a word


def _falling(rec: dict[str, Any]) -> bool:
    change = rec.get("yoy_points") if rec["kind"] == "rate" else rec.get("yoy_pct")
    return change is not None and round(change * (rec.get("direction") or 1), rec.get("growth_decimals") or 1) < 0


def _behind(rec: dict[str, Any]) -> bool:
    """Behind 时序进度 far enough to turn the light yellow or red (the status says why)."""
    gap = rec.get("time_progress_gap_pts")
    return (gap is not None and round(gap, 1) < 0 and rec.get("status") in ("yellow", "red")
            and progress_gap_text(gap) in (rec.get("status_reason") or ""))


def indicators_suggestion(ctx: DraftContext) -> tuple[str, str] | None:
    """(lead, text) for the indicators with a yellow or red light, worst first."""
    flagged = [r for r in reported(ctx.data.get("indicators") or []) if r.get("status") in ("yellow", "red")
               and (_falling(r) or _behind(r))]
    if not flagged:
        return None
    # Red first, then the furthest behind 时序进度, then the steepest falls.
    flagged.sort(key=lambda r: (r["status"] != "red", not _behind(r),
                                (r.get("time_progress_gap_pts") or 0) if _behind(r) else 0,
                                (r.get("yoy_points") if r["kind"] == "rate" else r.get("yoy_pct") or 0)
                                * (r.get("direction") or 1)))
    clauses = []
    listed = flagged if len(flagged) <= MAX_LISTED + 1 else flagged[:MAX_LISTED]
    for rec in listed:
        change = change_phrase(rec, rec.get("yoy_pct"), rec.get("yoy_points"), rec.get("growth_decimals") or 1,
                               counts=(rec.get("value"), rec.get("last_year_value")))
        progress = ""
        if _behind(rec) and stated_month(rec, ctx) < 12:
            progress = comma(f"完成年度目标的{fmt(rec['target_pct'], 1)}%",
                             progress_gap_text(rec["time_progress_gap_pts"]))
        elif _behind(rec):
            progress = f"完成年度目标的{fmt(rec['target_pct'], 1)}%"
        clauses.append(rec["name"] + comma(change if _falling(rec) else "", progress))
    text = sentence(clauses)
    rest = [r["name"] for r in flagged[len(listed):]]
    if len(rest) > MAX_LISTED:
        text += f"此外，{'、'.join(rest[:MAX_LISTED])}等{len(rest)}项指标也需要关注。"
    elif rest:
        text += f"此外，{'、'.join(rest)}也需要关注。"
    behind, falling = any(_behind(r) for r in flagged), any(_falling(r) for r in flagged)
    late = "未完成年度目标" if ctx.full_year_figures else "完成进度滞后"
    lead = (f"部分指标同比下降、{late}。" if behind and falling
            else f"部分指标{late}。" if behind else "部分指标同比下降。")
    return lead, text


def projects_suggestion(ctx: DraftContext) -> tuple[str, str] | None:
    """(lead, text) for stalled projects and a low conversion of signed projects."""
    p = ctx.section("projects")
    att = p.get("attention") or {}
    clauses = []
    stalled = att.get("stalled_count") or 0
    if stalled:
        names = att.get("stalled") or []
        who = names[0] if stalled == 1 and names else (
            f"{'、'.join(names[:3])}等{stalled}个项目" if names else f"{stalled}个项目")
        clauses.append(f"{who}在同一推进阶段停留超过{att.get('stalled_days') or 180}天，进展缓慢")
    cohort = p.get("conversion_cohort") or {}
    rate = p.get("conversion_rate_pct")
    if rate is not None and rate < LOW_CONVERSION_PCT and (cohort.get("signed") or 0) >= 2:
        clauses.append(f"年内签约项目转化率仅为{fmt(rate, 1)}%，签约项目落地开工偏慢")
    if not clauses:
        return None
    return "项目推进有待加快。", sentence(clauses)


def issues_suggestion(ctx: DraftContext) -> tuple[str, str] | None:
    """(lead, text) for open problems and overdue nodes of the project ledger."""
    att = ctx.section("projects").get("attention") or {}
    clauses = []
    open_count = att.get("open_problem_count") or 0
    if open_count:
        overdue = att.get("overdue_problem_count") or 0
        kinds = []
        for problem in att.get("open_problems") or []:
            desc = strip_end(problem.get("description") or "")
            if desc and desc not in kinds:
                kinds.append(desc)
        clauses.append(comma(f"项目调度中提出的问题尚有{open_count}个未解决",
                             ("均已超过办结时限" if overdue == open_count else f"其中{overdue}个已超过办结时限")
                             if overdue else "",
                             f"主要是{'、'.join(kinds[:3])}{'等' if len(kinds) > 1 else ''}问题" if kinds else ""))
    nodes = att.get("overdue_node_count") or 0
    if nodes:
        clauses.append(f"{nodes}个项目建设节点未按计划完成")
    if not clauses:
        return None
    return "项目建设中的困难和问题有待协调解决。", sentence(clauses)


def plans_suggestion(ctx: DraftContext) -> tuple[str, str] | None:
    """(lead, text) for this year's plan items behind schedule."""
    items = ctx.section("plans").get("this_year_items") or []
    late = [i for i in items if i.get("status") == "滞后"]
    if not late:
        return None
    titles = [strip_end(i["title"]) for i in late]
    named = f"{'、'.join(titles[:MAX_LISTED])}等{len(late)}项工作" if len(late) > MAX_LISTED else (
        f"{join_names(titles)}{'' if titles[-1].endswith('工作') else '工作'}" if len(late) == 1
        else f"{join_names(titles)}{len(late)}项工作")
    overdue = sum(1 for i in late if i.get("overdue"))
    clauses = [f"年初确定的{named}推进滞后",
               (f"其中{overdue}项已超过完成时限" if overdue < len(late) else "均已超过完成时限") if overdue else ""]
    return "部分重点工作推进滞后。", sentence([comma(*clauses)])


SUGGESTIONS = (
    ("problems.suggest.indicators", indicators_suggestion),
    ("problems.suggest.projects", projects_suggestion),
    ("problems.suggest.issues", issues_suggestion),
    ("problems.suggest.plans", plans_suggestion),
)


def draft_problems(ctx: DraftContext) -> list[DraftBlock]:
    """The blocks of 三、存在的问题."""
    blocks = [DraftBlock(Heading(1, "存在的问题", key="problems"))]
    if ctx.placeholders:
        blocks.append(DraftBlock(Paragraph(placeholder(
            "填写工作中存在的困难和问题；下列各条是根据指标预警、项目台账和工作计划生成的建议，可保留、修改或删除"),
            key="problems.clerk"), placeholder=True))
    if ctx.suggestions:
        for key, build in SUGGESTIONS:
            found = build(ctx)
            if found:
                lead, text = found
                blocks.append(DraftBlock(Paragraph(text, key=key, lead=lead, lead_level=3), suggestion=True))
    return blocks


__all__ = ["SUGGESTIONS", "draft_problems", "indicators_suggestion", "issues_suggestion", "plans_suggestion",
           "projects_suggestion"]
