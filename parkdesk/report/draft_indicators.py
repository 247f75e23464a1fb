"""一、主要指标完成情况: the indicators of the period in the seeds' idiom.

An overview paragraph states the main indicators (技工贸总收入, 工业总产值,
规模工业增加值, 固定资产投资, 税收收入) with their targets and the full-year
forecast; then one paragraph per category with a run-in lead ("1.发展水平及
产业集聚情况。") states the others. An indicator is left out when it has no
figure for the period; a figure without growth is stated without it; a
growth-only figure is stated as growth. Nothing is ever "0亿元" for data that
was never entered, and growth is never "增长-2.1%".
"""

from __future__ import annotations

from typing import Any

from ..catalog import CATEGORIES, CUMULATIVE, GROWTH_ONLY, RATE, STOCK
from ..numbers import (amount_text, count_change_text, fmt, growth_text, is_count_unit, month_range, points_text,
                       progress_gap_text, round_half_up)
from .model import Heading, Paragraph
from .phrases import DraftBlock, DraftContext, comma, placeholder, sentence

# The overview paragraph states these first, as the seeds do.
MAIN_INDICATORS = ("技工贸总收入", "工业总产值", "规模工业增加值", "固定资产投资", "税收收入")

# How each built-in indicator is said; "{v}" is the figure with its unit.
# Indicators a clerk adds are said by kind (see _default_phrase).
PHRASES = {
    "技工贸总收入": "完成技工贸总收入{v}",
    "工业总产值": "完成工业总产值{v}",
    "规上工业总产值": "完成规上工业总产值{v}",
    "规模工业增加值": "完成规模工业增加值{v}",
    "税收收入": "实现税收收入{v}",
    "一般公共预算收入": "完成一般公共预算收入{v}",
    "规上工业营业收入": "实现规上工业营业收入{v}",
    "主导产业产值占比": "主导产业产值占园区工业总产值比重达{v}",
    "战略性新兴产业产值": "实现战略性新兴产业产值{v}",
    "固定资产投资": "完成固定资产投资{v}",
    "工业投资": "完成工业投资{v}",
    "技改投资": "完成技改投资{v}",
    "基础设施投资": "完成基础设施投资{v}",
    "合同引资额": "实现合同引资额{v}",
    "实际到位内资": "实际到位内资{v}",
    "实际利用外资": "实际利用外资{v}",
    "引进亿元以上项目数": "引进亿元以上项目{v}",
    "省外到位资金": "省外到位资金{v}",
    "进出口总额": "完成进出口总额{v}",
    "出口总额": "完成出口总额{v}",
    "规上企业数": "规上企业达到{v}",
    "新增规上企业": "新增规上企业{v}",
    "高新技术企业": "高新技术企业达到{v}",
    "专精特新企业": "“专精特新”企业达到{v}",
    "入园企业数": "入园企业达到{v}",
    "研发经费支出": "研发经费支出{v}",
    "高新技术产业增加值": "实现高新技术产业增加值{v}",
    "高新技术产业产值": "实现高新技术产业产值{v}",
    "创新平台数": "创新平台达到{v}",
    "亩均税收": "规上企业亩均税收达{v}",
    "投资强度": "工业用地投资强度达{v}",
    "标准厂房面积": "标准厂房总面积达{v}",
    "新建标准厂房面积": "新建标准厂房{v}",
    "盘活土地": "盘活土地{v}",
    "出让建设用地": "出让建设用地{v}",
    "万元工业增加值能耗降低率": "万元工业增加值能耗降低{v}",
    "万元工业增加值能耗": "万元工业增加值能耗为{v}",
    "环境污染事故": "发生环境污染事故{v}",
    "污水处理厂": "建成污水处理厂{v}",
}
# A figure of zero said as a clerk says it.
ZERO_PHRASES = {
    "环境污染事故": "未发生环境污染事故",
    "引进亿元以上项目数": "尚未引进亿元以上项目",
    "新增规上企业": "暂无新增规上企业",
}

# Run-in leads of the category paragraphs (seed 003: "1、发展水平及产业集聚情况。").
CATEGORY_LEADS = {
    "发展水平": "发展水平及产业集聚情况。",
    "建设投入": "建设投入情况。",
    "招商引资": "招商引资情况。",
    "开放型经济": "开放型经济情况。",
    "企业培育": "企业培育情况。",
    "科技创新": "科技创新情况。",
    "节约集约": "节约集约用地情况。",
    "节能环保": "节能与环保情况。",
}


def reported(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The indicators a report states: marked for the report, not retired."""
    return [r for r in records if r.get("in_report", True) and not r.get("retired")]


def _default_phrase(rec: dict[str, Any]) -> str:
    if rec["kind"] == CUMULATIVE:
        return rec["name"] + "{v}"
    if rec["kind"] == RATE:
        return rec["name"] + "为{v}"
    return rec["name"] + "达到{v}"


def value_phrase(rec: dict[str, Any], value: float | None, *, trim: bool = False) -> str:
    """"完成技工贸总收入141.23亿元" — the indicator with a figure in its unit."""
    if value is None:
        return ""
    if value == 0 and rec["kind"] != RATE:
        return ZERO_PHRASES.get(rec["name"], f"{rec['name']}为0")
    template = PHRASES.get(rec["name"]) or _default_phrase(rec)
    return template.format(v=amount_text(value, rec["unit"], rec["decimals"], trim=trim))


def counted(rec: dict[str, Any]) -> bool:
    """An indicator of things counted one by one (引进亿元以上项目数 个, 新增规上企业 家)."""
    return rec["kind"] in (CUMULATIVE, STOCK) and (rec.get("decimals") or 0) == 0 and is_count_unit(rec.get("unit"))


def change_phrase(rec: dict[str, Any], pct: float | None, points: float | None, decimals: int, *,
                  counts: tuple[float | None, float | None] | None = None) -> str:
    """"同比增长13.8%" / "同比下降5.7%" / "同比提高0.8个百分点" / "与上年同期持平" ("" unknown).

    ``counts`` (this figure, last year's): a counted indicator's change is said
    in its unit — "同比减少2个", as the seeds do — rather than in %.
    """
    if counts is not None and counted(rec) and None not in counts:
        now, before = (float(round_half_up(v, 0)) for v in counts)
        if now == before == 0:
            return ""  # "未发生环境污染事故", nothing to compare
        return count_change_text(now - before, rec["unit"])
    if rec["kind"] == RATE:
        if points is None:
            return ""
        text = points_text(points, decimals, prefix="同比")
        return growth_text(0.0) if text.endswith("持平") else text
    return growth_text(pct, decimals)


def target_phrase(rec: dict[str, Any], annual: bool, *, behind: bool = True) -> str:
    """"完成年度目标的80.5%，低于时序进度2.9个百分点" ("" without a target).

    ``behind`` False leaves out a gap below 时序进度 (said once, in 存在的问题).
    """
    pct = rec.get("target_pct")
    if rec.get("target") is None:
        return ""
    if rec["kind"] != CUMULATIVE:
        if rec.get("target_met"):
            return "已达到年度目标"
        return f"完成年度目标的{fmt(pct, 1)}%" if pct is not None else ""
    if pct is None:
        return ""
    done = f"完成年度目标的{fmt(pct, 1)}%"
    if annual:
        return done + ("，超额完成全年任务" if pct > 100.05 else "")
    if pct >= 100:
        return done + "，提前完成全年任务"
    gap = rec.get("time_progress_gap_pts")
    if gap is not None and not behind and round(gap, 1) < 0:
        return done
    return comma(done, progress_gap_text(gap))


def indicator_clause(rec: dict[str, Any], ctx: DraftContext, decimals: int, *, targets: bool = True,
                     behind: bool = True) -> str:
    """The indicator's fact for the period, or "" when it has none."""
    if rec["kind"] == GROWTH_ONLY or rec.get("value") is None:
        change = change_phrase(rec, rec.get("yoy_pct"), rec.get("yoy_points"), decimals)
        if not change:
            return ""  # no figure for the period: the indicator is left out
        return f"{rec['name']}{change}"
    parts = [value_phrase(rec, rec["value"]), change_phrase(rec, rec.get("yoy_pct"), rec.get("yoy_points"), decimals,
                                                            counts=(rec["value"], rec.get("last_year_value")))]
    if targets:
        parts.append(target_phrase(rec, stated_month(rec, ctx) == 12, behind=behind))
    return comma(*parts)


def stated_month(rec: dict[str, Any], ctx: DraftContext) -> int:
    """The month an indicator's figures are for: N, or the latest earlier month with figures."""
    return rec.get("as_of_month") or ctx.through


def forecast_clause(rec: dict[str, Any], decimals: int, *, estimates: bool = True) -> str:
    """"完成工业总产值155.00亿元，同比增长26.0%" for 预计全年 ("" when nothing is known).

    The clerk's 预计全年 when entered, else (``estimates``) the estimate from
    last year's seasonal share.
    """
    if not estimates and rec.get("full_year_source") != "forecast" and not rec.get("forecast_yoy_is_entered"):
        return ""
    if rec["kind"] == GROWTH_ONLY:
        change = change_phrase(rec, rec.get("forecast_yoy_pct"), rec.get("forecast_yoy_points"), decimals)
        return f"{rec['name']}{change}" if change else ""
    if rec.get("full_year_source") not in ("forecast", "estimate"):
        return ""
    return comma(value_phrase(rec, rec.get("full_year")),
                 change_phrase(rec, rec.get("forecast_yoy_pct"), rec.get("forecast_yoy_points"), decimals,
                               counts=(rec.get("full_year"), rec.get("last_year_full"))))


def _paragraph_text(recs: list[dict[str, Any]], ctx: DraftContext, *, subject: str = "", main: bool = False) -> str:
    """"1—10月，园区完成……；……。预计全年……。" for the indicators ``recs``.

    ``main`` (the overview): every gap to 时序进度 and the estimated full year
    where no forecast was entered. In the category paragraphs a gap below
    时序进度 is left to 存在的问题, and only the forecasts the clerk entered
    are stated — an estimate there would repeat the growth just given.
    """
    decimals = max((1 if r.get("growth_decimals") is None else r["growth_decimals"] for r in recs), default=1)
    # A growth rate published for an earlier month (quarterly GDP) gets a sentence of its own.
    # So is a figure stated for an earlier month because month N has none yet (an annual
    # summary drafted before December's statistics: "1—10月，……。预计全年……。").
    by_month: dict[int, list[str]] = {}
    for r in recs:
        clause = indicator_clause(r, ctx, decimals, behind=main)
        if clause:
            by_month.setdefault(stated_month(r, ctx), []).append(clause)
    if not by_month:
        return ""
    text = ""
    for month in sorted(by_month, key=lambda m: (m != ctx.through, -m)):
        when = ctx.period if month == ctx.through else month_range(month)
        text += f"{when}，{subject if not text else ''}{sentence(by_month[month])}"
    # The full year is forecast for every figure that is not already the full year's.
    forecasts = sentence([forecast_clause(r, decimals, estimates=main) for r in recs if stated_month(r, ctx) < 12])
    if forecasts:
        text += "预计全年" + forecasts
    return text


def draft_indicators(ctx: DraftContext) -> list[DraftBlock]:
    """The blocks of 一、主要指标完成情况."""
    records = reported(ctx.data.get("indicators") or [])
    blocks = [DraftBlock(Heading(1, "主要指标完成情况", key="indicators"))]
    by_name = {r["name"]: r for r in records}
    main = [by_name[name] for name in MAIN_INDICATORS if name in by_name]
    overview = _paragraph_text(main, ctx, subject=ctx.subject, main=True)
    if overview:
        blocks.append(DraftBlock(Paragraph(overview, key="indicators.overview")))
    stated = {r["name"] for r in main} if overview else set()
    categories = list(CATEGORIES) + sorted({r["category"] for r in records} - set(CATEGORIES))
    for category in categories:
        recs = [r for r in records if r["category"] == category and r["name"] not in stated]
        text = _paragraph_text(recs, ctx)
        if text:
            lead = CATEGORY_LEADS.get(category, f"{category}情况。")
            blocks.append(DraftBlock(Paragraph(text, key=f"indicators.cat.{category}", lead=lead, lead_level=3)))
    if len(blocks) == 1 and ctx.placeholders:
        blocks.append(DraftBlock(Paragraph(
            placeholder("补充主要指标完成情况；在“指标”页录入本期数据后，点击“重新生成”即可自动起草"),
            key="indicators.narrative"), placeholder=True))
    return blocks


def main_trend(ctx: DraftContext) -> str:
    """How the economy went, judged by the main indicators' growth (for the opening)."""
    records = {r["name"]: r for r in reported(ctx.data.get("indicators") or [])}
    changes = [records[n].get("yoy_pct") for n in MAIN_INDICATORS if n in records]
    changes = [c for c in changes if c is not None]
    if not changes:
        return ""
    up = sum(1 for c in changes if c > 0)
    if up == len(changes):
        return f"{ctx.subject}经济保持稳中有进、进中向好的发展态势"
    if up * 2 >= len(changes):
        return f"{ctx.subject}经济运行总体平稳"
    return f"{ctx.subject}经济运行面临较大压力，各项工作有序推进"


__all__ = [
    "CATEGORY_LEADS", "MAIN_INDICATORS", "PHRASES", "change_phrase", "counted", "draft_indicators", "forecast_clause",
    "indicator_clause", "main_trend", "reported", "stated_month", "target_phrase", "value_phrase",
]
