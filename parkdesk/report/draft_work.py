"""二、主要工作及成效: the facts of investment promotion, project construction
and the year's work plan, each under a run-in lead as in the seeds, each
followed by a placeholder for the clerk's own account of how it was done.
"""

from __future__ import annotations

from typing import Any

from ..numbers import amount_text, count_change_text, fmt, names_phrase
from .draft_indicators import PHRASES
from .model import Heading, Paragraph
from .phrases import DraftBlock, DraftContext, comma, join_names, placeholder, sentence, short_title, strip_end

# Run-in leads of the work sections (editable in the report tab).
LEADS = {
    "work.investment": "坚持招大引强，全力抓好招商引资。",
    "work.projects": "坚持顶格调度，加快推进项目建设。",
    "work.plans": "坚持目标导向，抓好重点工作落实。",
}
NARRATIVES = {
    "work.investment": "补充招商引资的主要做法和成效，如产业链招商、以商招商、招商机制创新等",
    "work.projects": "补充项目建设的主要做法，如包保帮办、调度推进、要素保障等",
    "work.plans": "补充重点工作推进中的做法和成效",
}

# How a project statistic (catalog.PROJECT_STATS) is said with its figure.
STAT_PHRASES = {
    "signed": "新签约项目{v}",
    "signed_over_100m": "引进亿元以上项目{v}",
    "started": "新开工项目{v}",
    "put_into_production": "新投产项目{v}",
    "contract_investment": "实现合同引资额{v}",
    "funds_arrived": "到位资金{v}",
    "outbound_trips": "外出招商{v}",
    "companies_visited": "拜访企业{v}",
    "delegations_received": "接待客商{v}",
    "leads_collected": "收集线索{v}",
}


def _wan(value: float | None) -> str:
    """An amount kept in 万元, said as reports do ("" when there is none)."""
    return amount_text(value, "万元") if value else ""


def _year_on_year(count: int, last_year: int | None) -> str:
    """"同比增加3个" after a count of projects (seed 004); "" without history or without projects."""
    if not count or last_year is None:
        return ""
    return count_change_text(count - last_year, "个")


def target_figure(item: dict[str, Any], value: float | None) -> str:
    """"引进亿元以上项目6个" / "完成技工贸总收入193亿元" for a plan item's tied target."""
    if value is None or not item.get("target_unit"):
        return ""
    figure = amount_text(value, item["target_unit"], 2, trim=True)
    if item.get("target_kind") == "project_stat":
        template = STAT_PHRASES.get(item.get("target_stat") or "", "{v}")
    else:
        name = item.get("target_indicator") or ""
        template = PHRASES.get(name, name + "{v}")
    return template.format(v=figure)


def investment_text(ctx: DraftContext) -> str:
    """Projects signed in the period, money, 亿元以上 projects, origins and chains, activities."""
    p = ctx.section("projects")
    sentences = []
    n = p.get("signed_count") or 0
    if n:
        over = p.get("over_100m_count") or 0
        big = p.get("over_500m_count") or 0
        if over and big == over:
            over_text = f"其中5亿元以上项目{big}个"
        elif over:
            over_text = f"其中亿元以上项目{over}个" + (f"（5亿元以上项目{big}个）" if big else "")
        else:
            over_text = ""
        head = comma(f"引进招商项目{n}个", _year_on_year(n, p.get("signed_count_last_year")),
                     f"合同引资额{_wan(p.get('contract_investment_wan'))}"
                     if p.get("contract_investment_wan") else "", over_text)
        funds = f"已到位资金{_wan(p.get('funds_arrived_wan'))}" if p.get("funds_arrived_wan") else ""
        sentences.append(f"{ctx.work_period}，{ctx.subject}" + sentence([head, funds]))
        names = p.get("signed_in_period") or []
        if n > 3 and names:
            sentences.append(f"签约项目主要有{'、'.join(names[:3])}等。")
        elif names:
            sentences.append(f"签约项目为{join_names(names[:n])}。")
        origins = [f"{o}{v['count']}个" for o, v in (p.get("signed_by_origin") or {}).items()
                   if v.get("count") and o != "未填写"]
        chains = [f"{c}{k}个" for c, k in (p.get("signed_by_chain") or {}).items() if k and c != "未填写"]
        share = p.get("leading_chain_share_pct")
        spread = []
        if len(origins) > 1:
            spread.append("从项目来源看，" + "、".join(origins))
        if n > 1 and (len(chains) > 1 or share is not None):
            share_text = ("均为主导产业项目" if share is not None and share >= 100
                          else "暂无主导产业项目" if share is not None and share <= 0
                          else f"主导产业项目占比{fmt(share, 1)}%" if share is not None else "")
            spread.append(comma("从产业分布看，" + "、".join(chains) if len(chains) > 1 else "", share_text))
        sentences.append(sentence(spread))
    a = p.get("activities") or {}
    trips = a.get("outbound_trips") or 0
    acts = [
        (f"外出招商{trips}次" + (f"{a['outbound_days']}天" if a.get("outbound_days") else "")) if trips else "",
        f"拜访企业{a['companies_visited']}家" if a.get("companies_visited") else "",
        f"接待客商{a['delegations_received']}批" if a.get("delegations_received") else "",
        f"收集线索{a['leads_collected']}条" if a.get("leads_collected") else "",
        f"举办推介会{a['promotion_events']}场" if a.get("promotion_events") else "",
    ]
    activity = sentence(["，".join(x for x in acts if x)])
    if activity:
        sentences.append(activity if n else f"{ctx.work_period}，{ctx.subject}{activity}")
    return "".join(s for s in sentences if s)


def projects_text(ctx: DraftContext) -> str:
    """Projects under construction, started and put into production, conversion rate."""
    p = ctx.section("projects")
    sentences = []
    building = p.get("under_construction_count") or 0
    new, cont = p.get("new_started_count") or 0, p.get("continued_count") or 0
    if building:
        split = (f"其中新建{new}个、续建{cont}个" if new and cont
                 else "均为新建项目" if new else "均为续建项目")
        sentences.append(f"{ctx.work_period}，{ctx.subject}" + sentence([comma(
            f"在建项目{building}个", split,
            f"总投资{_wan(p.get('under_construction_investment_wan'))}" if p.get("under_construction_investment_wan") else "",
            f"完成投资{_wan(p.get('invested_in_period_wan'))}" if p.get("invested_in_period_wan") else "")]))
    n_started, n_produced = p.get("started_count") or 0, p.get("put_into_production_count") or 0
    started = comma(names_phrase("新开工", p.get("started_in_period") or [], n_started),
                    _year_on_year(n_started, p.get("started_count_last_year")))
    produced = comma(names_phrase("已建成投产", p.get("put_into_production_in_period") or [], n_produced),
                     _year_on_year(n_produced, p.get("put_into_production_count_last_year")))
    events = sentence([started, produced])
    if events:
        sentences.append(events if building else f"{ctx.work_period}，{ctx.subject}{events}")
    cohort = p.get("conversion_cohort") or {}
    rate = p.get("conversion_rate_pct")
    signed, begun = cohort.get("signed") or 0, cohort.get("started") or 0
    if rate is not None and signed and begun:
        word = "达" if rate >= 50 else "为"
        sentences.append(f"年内签约的{signed}个项目中已开工{begun}个，签约项目转化率{word}{fmt(rate, 1)}%。")
    elif signed:
        sentences.append(f"年内签约的{signed}个项目{'尚未开工' if signed == 1 else '均未开工'}。")
    return "".join(sentences)


def plans_text(ctx: DraftContext) -> str:
    """This year's plan: how many items are done, which (by section), targets reached early."""
    plans = ctx.section("plans")
    items = plans.get("this_year_items") or []
    if not items:
        return ""
    done = [i for i in items if i.get("status") == "已完成"]
    sections = len({i.get("section") for i in items})
    scope = f"{sections}个方面{len(items)}项重点工作" if sections > 1 else f"{len(items)}项重点工作"
    rest = len(items) - len(done)
    if done and rest:
        state = f"已完成{len(done)}项，其余{rest}项正在推进"
    elif done:
        state = "已全部完成"
    else:
        state = "正在有序推进"
    text = f"对照年初确定的{scope}，{state}。"
    by_section: dict[str, list[dict]] = {}
    for item in done:
        by_section.setdefault(item.get("section") or "", []).append(item)
    parts = []
    for section, group in by_section.items():
        where = f"在{short_title(section)}方面，" if section else ""
        if len(group) == 1:
            title = strip_end(group[0]["title"])
            work = "" if title.endswith("工作") else "工作"
            parts.append(where + comma(f"{title}{work}已完成", group[0].get("content") or ""))
        else:
            parts.append(where + f"{join_names([strip_end(i['title']) for i in group])}等工作已完成")
    text += sentence(parts)
    early = [i for i in items if i.get("status") != "已完成" and (i.get("target_progress_pct") or 0) >= 100]
    if len(early) == 1:
        figure = target_figure(early[0], early[0].get("target_actual"))
        title = strip_end(early[0]["title"])
        work = "" if title.endswith("工作") else "工作"
        reached = "完成年度目标" if ctx.annual and ctx.period_over else "提前完成年度目标"
        text += sentence([comma(f"{title}{work}{reached}", f"已{figure}" if figure else "")])
    elif early:
        reached = "已完成年度量化目标" if ctx.annual and ctx.period_over else "已提前完成年度量化目标"
        text += f"{join_names([strip_end(i['title']) for i in early])}等工作{reached}。"
    return text


def draft_work(ctx: DraftContext) -> list[DraftBlock]:
    """The blocks of 二、主要工作及成效."""
    blocks = [DraftBlock(Heading(1, "主要工作及成效", key="work"))]
    for key, text in (("work.investment", investment_text(ctx)), ("work.projects", projects_text(ctx)),
                      ("work.plans", plans_text(ctx))):
        blocks.append(DraftBlock(Paragraph(text, key=key, lead=LEADS[key], lead_level=2)))
        if ctx.placeholders:
            blocks.append(DraftBlock(Paragraph(placeholder(NARRATIVES[key]), key=f"{key}.narrative"),
                                     placeholder=True))
    if ctx.placeholders:
        blocks.append(DraftBlock(Paragraph(placeholder(
            "补充其他方面的工作，如企业服务、营商环境、改革创新、党的建设等；每个方面可用“新增小节”单列"),
            key="work.other.narrative"), placeholder=True))
    return blocks


__all__ = ["LEADS", "STAT_PHRASES", "draft_work", "investment_text", "plans_text", "projects_text", "target_figure"]
