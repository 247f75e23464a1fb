"""Drafting the report from the data: wording of figures, missing data, projects, plans, titles."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from parkdesk.activities import Activity
from parkdesk.plans import PlanItem
from parkdesk.projects import Project
from parkdesk.report.draft import build_state, draft_report, printed_title
from parkdesk.report.model import Attachment, Figure, Heading, Paragraph, Table

TODAY = dt.date(2026, 9, 10)
# Text that must never reach a report drafted from data.
BAD = ("None", "null", "nan", "增长-", "下降-", "，，", "；；", "。。", "，。", "；。", "、。", "，；", "；，",
       "同比。", "同比；", "，同比，", ",", ";", "()")
ZERO_AMOUNT = re.compile(r"(?<![\d.])0(\.0+)?(亿|万)")  # "0亿元", "0.00万元"
LONE_DASH = re.compile(r"(?<!\d)—|—(?!\d)")  # a dash standing for a missing figure (1—8月 is fine)


def text_of(desk, through=8, year=2026, **kw) -> str:
    """The printed report (no charts) as plain text, one paragraph a line."""
    return draft_report(desk, year, through, today=TODAY, figures=False, **kw).plain_text()


def body_of(desk, through=8, year=2026) -> str:
    """The printed report's prose: the blocks up to the signature, without the title."""
    doc = draft_report(desk, year, through, today=TODAY, figures=False)
    cut = next((i for i, b in enumerate(doc.blocks) if b.key == "signature"), len(doc.blocks))
    doc.blocks = doc.blocks[:cut]
    doc.title = ""
    return doc.plain_text()


def paragraph(desk, key, through=8, year=2026) -> str:
    """The printed text of one drafted block (lead + text)."""
    doc = draft_report(desk, year, through, today=TODAY, figures=False)
    block = doc.find(key)
    assert block is not None, f"no block {key}"
    return (block.lead or "") + block.text


def put(desk, name, year, month, value=..., official=...):
    """Store a month's figure of the indicator ``name``."""
    ind = desk.indicators.by_name(name)
    desk.indicators.set_month(ind.id, year, month, value=value, official_yoy=official)


def assert_clean(text: str) -> None:
    """No placeholder values, no broken punctuation, every line closed."""
    for bad in BAD:
        assert bad not in text, f"{bad!r} in: {text}"
    assert not ZERO_AMOUNT.search(text), text
    assert not LONE_DASH.search(text), text
    for line in text.splitlines():
        if re.match(r"^[一二三四五六七八九十]+、|^（[一二三四五六七八九十]+）[^。]*$|^附件\d|^\d{4}年\d+月\d+日$", line):
            continue
        assert line[-1] in "。：", f"unclosed line: {line}"


@pytest.fixture
def park(desk):
    """An empty park with a name, superiors and leading industries."""
    desk.park.update(name="示范产业开发区", organization="示范产业开发区管委会", superiors="区委、区政府",
                     leading_industries=["食品加工", "电子信息"])
    return desk


# --- titles and opening -----------------------------------------------------------------------
def test_title_for_twelve_and_for_eight_months(park):
    """N = 12 is the 年度工作总结, N = 8 a 1—8月 情况汇报; a long title breaks after the park's name."""
    assert draft_report(park, 2026, 12, today=TODAY, figures=False).title == "示范产业开发区2026年工作总结"
    assert draft_report(park, 2026, 8, today=TODAY, figures=False).title == "示范产业开发区2026年1—8月工作情况汇报"
    assert printed_title("江南示范产业开发区", 2026, 10) == "江南示范产业开发区\n2026年1—10月工作情况汇报"


def test_opening_names_superiors_industries_and_ends_with_a_colon(park):
    """The opening in the seeds' idiom: leadership, leading industries, "现将……如下：" by period."""
    opening = paragraph(park, "opening", 8)
    assert opening.startswith("今年以来，在区委、区政府的坚强领导下，示范产业开发区紧紧围绕食品加工和电子信息两大主导产业")
    assert opening.endswith("现将有关情况汇报如下：")
    annual = paragraph(park, "opening", 12)
    assert annual.startswith("2026年，在区委、区政府的坚强领导下，") and annual.endswith("现将2026年工作总结如下：")


def test_empty_database_drafts_a_sensible_report(desk):
    """No data at all: a title, an opening, the signature — no None, 0亿元, dashes or empty headings."""
    for through in (1, 8, 12):
        text = body_of(desk, through)
        assert_clean(text)
        assert "主要指标完成情况" not in text  # a section without content is not printed
        assert text.startswith("今年以来") or text.startswith("2026年，")
    state = build_state(desk, 2026, 8, today=TODAY)
    assert any(b.placeholder for b in state.blocks)  # the tab still offers the places to write


# --- indicators ----------------------------------------------------------------------------------
def test_growth_and_decline_are_worded_never_negative_growth(park):
    """增长 for a rise, 下降 for a fall, one decimal; never "增长-2.1%"."""
    put(park, "技工贸总收入", 2025, 8, 100.0)
    put(park, "技工贸总收入", 2026, 8, 108.6)
    put(park, "工业总产值", 2025, 8, 100.0)
    put(park, "工业总产值", 2026, 8, 97.9)
    text = paragraph(park, "indicators.overview")
    assert text.startswith("1—8月，园区完成技工贸总收入108.60亿元，同比增长8.6%；")
    assert "完成工业总产值97.90亿元，同比下降2.1%。" in text
    assert_clean(body_of(park))


def test_official_comparable_price_growth_is_the_only_rate(park):
    """规模工业增加值: the official growth is stated even where the nominal values say otherwise."""
    put(park, "规模工业增加值", 2025, 8, 20.0)
    put(park, "规模工业增加值", 2026, 8, 19.5, official=3.2)
    assert "完成规模工业增加值19.50亿元，同比增长3.2%" in paragraph(park, "indicators.overview")


def test_rates_change_in_percentage_points(park):
    """A rate indicator's change is said in 个百分点."""
    put(park, "主导产业产值占比", 2025, 8, 60.0)
    put(park, "主导产业产值占比", 2026, 8, 60.8)
    text = paragraph(park, "indicators.cat.发展水平")
    assert "主导产业产值占园区工业总产值比重达60.8%，同比提高0.8个百分点" in text
    put(park, "主导产业产值占比", 2026, 8, 59.5)
    assert "同比下降0.5个百分点" in paragraph(park, "indicators.cat.发展水平")


def test_growth_only_indicator_is_stated_as_growth(park):
    """地区生产总值 (growth only): "地区生产总值同比增长5.4%"; a quarterly rate says its own months."""
    put(park, "地区生产总值", 2026, 8, official=5.4)
    put(park, "技工贸总收入", 2026, 8, 50.0)
    assert "地区生产总值同比增长5.4%" in paragraph(park, "indicators.cat.发展水平")
    put(park, "地区生产总值", 2026, 8, official=None)
    put(park, "地区生产总值", 2026, 6, official=5.1)
    block = draft_report(park, 2026, 8, today=TODAY, figures=False).find("indicators.cat.发展水平")
    assert block.text == "1—6月，地区生产总值同比增长5.1%。"
    assert_clean(body_of(park))


def test_indicator_missing_its_growth_is_stated_without_it(park):
    """No last year's figure: the value alone, no dangling "，同比"."""
    put(park, "固定资产投资", 2026, 8, 12.0)
    put(park, "技工贸总收入", 2025, 8, 40.0)
    put(park, "技工贸总收入", 2026, 8, 44.0)
    text = paragraph(park, "indicators.overview")
    assert "完成固定资产投资12.00亿元。" in text
    assert_clean(body_of(park))


def test_indicator_without_a_figure_for_the_period_is_stated_for_its_latest_month(park):
    """Data up to July only: a 1—8月 report says "1—7月，完成工业投资……"; nothing at all: left out;
    in_report off: never mentioned."""
    put(park, "工业投资", 2026, 7, 5.0)
    put(park, "技改投资", 2026, 8, 2.0)
    text = text_of(park)
    assert "1—8月，完成技改投资2.00亿元。1—7月，完成工业投资5.00亿元。" in text
    assert "基础设施投资" not in text
    park.db.execute("UPDATE indicators SET in_report = 0 WHERE name = '技改投资'")
    assert "技改投资" not in text_of(park)


def test_money_under_one_yi_is_said_in_wan(park):
    """税收 of 8560万元 stays in 万元; from 1亿 on it is said in 亿元."""
    put(park, "税收收入", 2026, 8, 8560.0)
    assert "实现税收收入8560万元" in paragraph(park, "indicators.overview")
    put(park, "税收收入", 2026, 8, 41610.56)
    assert "实现税收收入4.16亿元" in paragraph(park, "indicators.overview")


def test_target_completion_and_time_progress(park):
    """"完成年度目标的X%，超/低于时序进度Y个百分点" where a target exists."""
    ind = park.indicators.by_name("技工贸总收入")
    put(park, "技工贸总收入", 2026, 8, 108.6)
    park.indicators.set_year_figures(ind.id, 2026, target=200.0)
    assert "完成年度目标的54.3%，低于时序进度12.4个百分点" in paragraph(park, "indicators.overview")
    park.indicators.set_year_figures(ind.id, 2026, target=150.0)
    assert "完成年度目标的72.4%，超时序进度5.7个百分点" in paragraph(park, "indicators.overview")


def test_forecast_entered_or_estimated(park):
    """预计全年: the entered forecast with its growth; else an estimate from last year's share."""
    ind = park.indicators.by_name("工业总产值")
    for month, value in ((8, 80.0), (12, 120.0)):
        put(park, "工业总产值", 2025, month, value)
    put(park, "工业总产值", 2026, 8, 88.0)
    estimate = paragraph(park, "indicators.overview")
    assert "预计全年完成工业总产值132.00亿元，同比增长10.0%。" in estimate  # 88 ÷ (80/120)
    park.indicators.set_year_figures(ind.id, 2026, forecast=155.0, forecast_yoy=26.0)
    assert "预计全年完成工业总产值155.00亿元，同比增长26.0%。" in paragraph(park, "indicators.overview")


def test_annual_summary_has_no_forecast(park):
    """N = 12 states the year's figures; there is nothing left to forecast."""
    put(park, "工业总产值", 2025, 12, 120.0)
    put(park, "工业总产值", 2026, 12, 130.0)
    text = paragraph(park, "indicators.overview", 12)
    assert text == "全年，园区完成工业总产值130.00亿元，同比增长8.3%。"


def test_categories_have_run_in_leads_in_catalog_order(park):
    """Indicators other than the main ones go to category paragraphs "1.发展水平及产业集聚情况。…"."""
    put(park, "技工贸总收入", 2026, 8, 10.0)
    put(park, "工业投资", 2026, 8, 3.0)
    put(park, "规上企业数", 2026, 8, 86.0)
    put(park, "环境污染事故", 2026, 8, 0.0)
    doc = draft_report(park, 2026, 8, today=TODAY, figures=False)
    leads = [(n, b.lead) for b, n in doc.numbered() if isinstance(b, Paragraph) and b.lead
             and b.key.startswith("indicators.cat.")]
    assert leads == [("1.", "建设投入情况。"), ("2.", "企业培育情况。"), ("3.", "节能与环保情况。")]
    assert doc.find("indicators.cat.企业培育").text == "1—8月，规上企业达到86家。"
    assert doc.find("indicators.cat.节能环保").text == "1—8月，未发生环境污染事故。"
    assert "技工贸总收入" not in doc.find("indicators.cat.建设投入").text


# --- projects and activities ------------------------------------------------------------------------
def add_project(desk, name, stage, total=None, **fields):
    return desk.projects.save(Project(name=name, stage=stage, total_investment=total, **fields))


def test_investment_paragraph_counts_money_and_activities(park):
    """引进招商项目N个，合同引资额X，其中亿元以上项目M个; activities "外出招商3次5天，拜访企业…"."""
    add_project(park, "甲食品项目", "已签约", 60000, contract_investment=60000, signed_on="2026-03-01",
                origin="省外", chain="食品加工")
    add_project(park, "乙电子项目", "已签约", 12000, contract_investment=12000, signed_on="2026-05-01",
                origin="省内", chain="电子信息")
    add_project(park, "丙项目", "已签约", 3000, contract_investment=3000, signed_on="2026-06-01", origin="省外")
    a = park.projects.save_activity
    a(Activity(held_on="2026-03-01", activity_type="外出招商", days=3, companies_visited=5, leads_collected=4))
    a(Activity(held_on="2026-04-01", activity_type="外出招商", days=2, companies_visited=7, leads_collected=3))
    a(Activity(held_on="2026-04-02", activity_type="接待客商", delegations_received=4))
    text = paragraph(park, "work.investment")
    assert text.startswith("坚持招大引强，全力抓好招商引资。1—8月，园区引进招商项目3个，合同引资额7.50亿元，"
                           "其中亿元以上项目2个（5亿元以上项目1个）。")
    assert "签约项目为甲食品项目、乙电子项目和丙项目。" in text
    assert "外出招商2次5天，拜访企业12家，接待客商4批，收集线索7条。" in text
    assert_clean(body_of(park))


def test_project_lists_name_the_largest_and_count_the_rest(park):
    """"新开工A、B、C等5个项目"; a single project is named alone; conversion rate of the cohort."""
    for i, total in enumerate((90000, 80000, 70000, 60000, 50000), start=1):
        add_project(park, f"新开工{i}号项目", "已开工", total, signed_on="2026-01-10", started_on=f"2026-0{i + 1}-01")
    add_project(park, "唯一投产项目", "已投产", 20000, signed_on="2025-01-10", started_on="2025-03-01",
                production_on="2026-05-01")
    add_project(park, "未开工项目", "已签约", 10000, signed_on="2026-02-01")
    text = paragraph(park, "work.projects")
    assert "新开工新开工1号项目、新开工2号项目、新开工3号项目等5个项目；已建成投产唯一投产项目。" in text
    assert "年内签约的6个项目中已开工5个，签约项目转化率达83.3%。" in text
    assert "在建项目6个，其中新建5个、续建1个" in text


def test_project_counts_compared_with_the_same_period_last_year(park):
    """Seed 004: "新开工……等3个项目，同比增加1个；……，同比减少1个"; signed projects likewise."""
    add_project(park, "早年项目", "已投产", 9000, signed_on="2023-03-01", started_on="2023-06-01",
                production_on="2024-06-01")
    for i in (1, 2):
        add_project(park, f"去年{i}号项目", "已投产", 9000 + i, signed_on=f"2025-0{i}-10", started_on=f"2025-0{i + 2}-01",
                    production_on=f"2025-0{i + 4}-01")
    add_project(park, "去年九月项目", "已开工", 8000, signed_on="2025-09-10", started_on="2025-09-20")
    for i in (1, 2, 3):
        add_project(park, f"今年{i}号项目", "已开工", 7000 + i, signed_on=f"2026-0{i}-10", started_on=f"2026-0{i + 3}-01")
    add_project(park, "今年投产项目", "已投产", 6000, signed_on="2025-10-01", started_on="2025-11-01",
                production_on="2026-07-01")
    text = paragraph(park, "work.projects")
    assert "共3个项目，同比增加1个；已建成投产今年投产项目，同比减少1个。" in text
    assert "园区引进招商项目3个，同比增加1个。" in paragraph(park, "work.investment")
    assert_clean(body_of(park))


def test_two_projects_are_both_named(park):
    """Two projects: "已建成投产A、B共2个项目"."""
    add_project(park, "甲项目", "已投产", 5000, started_on="2025-03-01", production_on="2026-02-01")
    add_project(park, "乙项目", "已投产", 4000, started_on="2025-03-01", production_on="2026-03-01")
    assert "已建成投产甲项目、乙项目共2个项目" in paragraph(park, "work.projects")


# --- plans -----------------------------------------------------------------------------------------------
def plan(desk, year, sections):
    """Create a year's plan: {section title: [(title, content, status, target_stat, target_value)]}."""
    for title, items in sections.items():
        section = desk.plans.add_section(year, title)
        for item_title, content, status, stat, value in items:
            desk.plans.save_item(PlanItem(section_id=section.id, title=item_title, content=content, status=status,
                                          target_kind="project_stat" if stat else None, target_stat=stat,
                                          target_value=value, deadline=f"{year}-12-31"))


@pytest.fixture
def plans(park):
    plan(park, 2026, {
        "坚持锻长处、补短板，大力开展“六大行动”": [
            ("加快项目建设", "促进落地项目早开工。", "推进中", "started", 10),
            ("完善基础配套", "加快园区道路建设。", "已完成", None, None),
        ],
        "坚持查漏洞、破难题，稳步实施“两头攻坚”": [("开展清理攻坚", "依法解除合同。", "未开始", None, None)],
    })
    plan(park, 2027, {"坚持强管理、促规范，持续推进“四轮驱动”": [
        ("强化目标导向", "完成各项目标任务。", "未开始", "signed_over_100m", 7),
        ("优化发展布局", "整体开发“园中园”。", "未开始", None, None),
    ]})
    return park


def test_annual_plan_section_drafts_next_years_plan(plans):
    """N = 12: 四、下步工作打算 holds next year's sections as leads with 一是/二是 items and targets."""
    doc = draft_report(plans, 2026, 12, today=TODAY, figures=False)
    block = doc.find("plan.next.section.1")
    assert block.lead == "坚持强管理、促规范，持续推进“四轮驱动”。" and block.lead_level == 2
    assert block.text == ("一是强化目标导向，完成各项目标任务，力争引进亿元以上项目7个以上；"
                          "二是优化发展布局，整体开发“园中园”。")
    assert doc.find("plan.this.section.1") is None


def test_partial_year_plan_section_drafts_unfinished_items_then_next_year(plans):
    """N < 12: this year's unfinished items, then next year's plan, under level-2 headings."""
    doc = draft_report(plans, 2026, 8, today=TODAY, figures=False)
    headings = [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 2]
    assert headings == ["全力完成2026年目标任务", "谋划推进2027年重点工作"]
    first = doc.find("plan.this.section.1")
    assert first.lead_level == 3
    assert first.text == "加快项目建设，促进落地项目早开工，力争新开工项目10个以上。"  # 完善基础配套 is done
    assert doc.find("plan.this.section.2").text == "开展清理攻坚，依法解除合同。"
    assert doc.find("plan.next.section.1") is not None


def test_partial_year_without_next_plan_lists_unfinished_items_as_sections(park):
    """No plan for next year: this year's unfinished items are the sections themselves."""
    plan(park, 2026, {"抓项目": [("加快项目建设", "", "推进中", None, None)]})
    block = draft_report(park, 2026, 8, today=TODAY, figures=False).find("plan.this.section.1")
    assert block.lead == "抓项目。" and block.lead_level == 2 and block.text == "加快项目建设。"


def test_work_section_reports_done_items_by_section(plans):
    """二: how many of the plan's items are done, and which, under their section."""
    text = paragraph(plans, "work.plans", 8)
    assert "对照年初确定的2个方面3项重点工作，已完成1项，其余2项正在推进。" in text
    assert "在坚持锻长处、补短板方面，完善基础配套工作已完成，加快园区道路建设。" in text


def test_problems_suggest_from_lights_and_plans(plans):
    """三: suggestions from a falling indicator and from late plan items, as numbered points."""
    put(plans, "基础设施投资", 2025, 8, 10.0)
    put(plans, "基础设施投资", 2026, 8, 9.0)
    plans.db.execute("UPDATE plan_items SET status = '滞后' WHERE title = '开展清理攻坚'")
    doc = draft_report(plans, 2026, 8, today=TODAY, figures=False)
    block = doc.find("problems.suggest.indicators")
    assert block.lead == "部分指标同比下降。" and block.text == "基础设施投资同比下降10.0%。"
    assert doc.find("problems.suggest.plans").text == "年初确定的开展清理攻坚工作推进滞后。"
    assert doc.find("problems.clerk") is None  # the untouched placeholder is not printed


# --- the demo, read as a whole ----------------------------------------------------------------------------
@pytest.mark.parametrize("through", [10, 12])
def test_demo_report_reads_cleanly(demo_desk, through):
    """The demo's report: every section, no bad tokens, closed sentences, full-width punctuation."""
    text = body_of(demo_desk, through)
    assert_clean(text)
    for heading in ("一、主要指标完成情况", "二、主要工作及成效", "三、存在的问题", "四、下步工作打算"):
        assert heading in text
    assert "（请在此" not in text


def test_demo_attachments(demo_desk):
    """附件1 indicator table, 附件2 key projects, 附件3 charts — drawn at ≥ 200 dpi when printed."""
    doc = draft_report(demo_desk, 2026, 10, today=TODAY)
    labels = [(b.label, b.title) for b in doc.blocks if isinstance(b, Attachment)]
    assert labels == [("附件1", "2026年1—10月主要经济指标完成情况表"), ("附件2", "2026年1—10月重点项目推进情况表"),
                      ("附件3", "2026年1—10月主要指标趋势图")]
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert tables[0].headers[:4] == ["指标名称", "单位", "1—10月", "同比\n（%）"]
    assert ["技工贸总收入", "亿元", "141.23", "+13.8"] == tables[0].rows[0][:4]
    assert all(r[2] in ("省重点", "市重点") or float(r[3]) >= 1 for r in tables[1].rows)
    figures = [b for b in doc.blocks if isinstance(b, Figure)]
    assert len(figures) == 4 and all(f.dpi >= 200 and f.width_mm <= 156 for f in figures)


def test_drafting_the_demo_is_fast(demo_desk):
    """The text of the demo report drafts well under a second (the tab drafts on the UI thread)."""
    import time

    start = time.perf_counter()
    build_state(demo_desk, 2026, 10, today=TODAY)
    assert time.perf_counter() - start < 0.5


def test_plan_targets_tied_to_indicators_are_worded_by_direction(park):
    """"力争完成技工贸总收入193亿元以上"; a ceiling is "控制在……以内", a zero ceiling "杜绝……"."""
    section = park.plans.add_section(2027, "坚持目标导向")
    for title, name, value in (("强化目标导向", "技工贸总收入", 193.0), ("推进节能降耗", "万元工业增加值能耗", 0.4),
                               ("守牢环保底线", "环境污染事故", 0.0)):
        park.plans.save_item(PlanItem(section_id=section.id, title=title, target_kind="indicator",
                                      target_indicator_id=park.indicators.by_name(name).id, target_value=value))
    text = draft_report(park, 2026, 12, today=TODAY, figures=False).find("plan.next.section.1").text
    assert text == ("一是强化目标导向，力争完成技工贸总收入193亿元以上；二是推进节能降耗，"
                    "力争万元工业增加值能耗控制在0.4吨标准煤/万元以内；三是守牢环保底线，杜绝环境污染事故。")


def test_counted_indicators_change_by_a_number_not_a_percentage(park):
    """引进亿元以上项目 19 against 21: "同比减少2个" in 一、 and in 存在的问题; the table keeps the %."""
    put(park, "引进亿元以上项目数", 2025, 8, 21.0)
    put(park, "引进亿元以上项目数", 2026, 8, 19.0)
    put(park, "规上企业数", 2025, 8, 148.0)
    put(park, "规上企业数", 2026, 8, 157.0)
    put(park, "专精特新企业", 2025, 8, 11.0)
    put(park, "专精特新企业", 2026, 8, 11.0)
    put(park, "环境污染事故", 2025, 8, 0.0)
    put(park, "环境污染事故", 2026, 8, 0.0)
    text = body_of(park)
    assert "引进亿元以上项目19个，同比减少2个" in text
    assert "规上企业达到157家，同比增加9家" in text
    assert "“专精特新”企业达到11家，与上年同期持平" in text
    assert "未发生环境污染事故。" in text  # nothing against nothing: no comparison
    assert "%" not in text.split("引进亿元以上项目19个")[1].split("；")[0]
    assert "引进亿元以上项目数同比减少2个" in paragraph(park, "problems.suggest.indicators")
    table = next(b for b in draft_report(park, 2026, 8, today=TODAY, figures=False).blocks if isinstance(b, Table))
    assert next(r for r in table.rows if r[0] == "引进亿元以上项目数")[3] == "-9.5"
    assert_clean(text)


def test_problems_name_every_flagged_indicator(park):
    """Beyond the five listed, the other flagged indicators are named too, not just counted."""
    falling = ["技工贸总收入", "工业总产值", "合同引资额", "固定资产投资", "税收收入", "工业投资", "技改投资",
               "基础设施投资"]
    for i, name in enumerate(falling):
        put(park, name, 2025, 8, 100.0)
        put(park, name, 2026, 8, 90.0 - i)
    text = paragraph(park, "problems.suggest.indicators")
    assert "另有" not in text
    for name in falling:
        assert name in text, name
    assert text.endswith("此外，合同引资额、工业总产值、技工贸总收入也需要关注。")
    assert_clean(text)


def test_chart_captions_name_the_years_with_figures(park):
    """First year of use: "（2026年）", not "（2025—2026年）"; a single point makes no chart."""
    put(park, "技工贸总收入", 2026, 1, 50.0)
    figures = [b for b in draft_report(park, 2026, 1, today=TODAY, figures=False).blocks if isinstance(b, Figure)]
    assert figures == []
    put(park, "技工贸总收入", 2026, 2, 61.0)
    figures = [b for b in draft_report(park, 2026, 2, today=TODAY, figures=False).blocks if isinstance(b, Figure)]
    assert [f.caption for f in figures] == ["图1　技工贸总收入累计完成情况（2026年）"]
    put(park, "技工贸总收入", 2025, 2, 45.0)
    figures = [b for b in draft_report(park, 2026, 2, today=TODAY, figures=False).blocks if isinstance(b, Figure)]
    assert [f.caption for f in figures] == ["图1　技工贸总收入累计完成情况（2025—2026年）"]
