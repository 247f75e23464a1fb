"""A sample report using every block type, with realistic content.

Used by the tests and the documentation only; drafting never calls it.
"""

from __future__ import annotations

import datetime as _dt
import functools

from .model import (
    Attachment,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    ReportDocument,
    Signature,
    Table,
)

PARK = "江南示范产业开发区"

# (name, unit, 1—10月, growth %, year target, completion %) — a plausible park.
_INDICATORS = [
    ("技工贸总收入", "亿元", "141.76", "8.6", "170", "83.4"),
    ("工业总产值", "亿元", "128.35", "9.2", "155", "82.8"),
    ("规模工业增加值", "亿元", "31.20", "-2.1", "40", "78.0"),
    ("税收收入", "万元", "52860", "6.3", "65000", "81.3"),
    ("固定资产投资", "亿元", "45.62", "12.4", "52", "87.7"),
    ("工业投资", "亿元", "33.18", "15.8", "38", "87.3"),
    ("技改投资", "亿元", "8.46", "21.0", "9", "94.0"),
    ("基础设施投资", "亿元", "6.35", "-8.7", "8", "79.4"),
    ("合同引资额", "亿元", "35.60", "18.2", "40", "89.0"),
    ("实际到位内资", "亿元", "21.47", "10.5", "26", "82.6"),
    ("实际利用外资", "万美元", "3260", "4.8", "4000", "81.5"),
    ("引进亿元以上项目数", "个", "6", "20.0", "8", "75.0"),
    ("进出口总额", "亿美元", "3.20", "-5.4", "4.2", "76.2"),
    ("规上企业数", "家", "86", "7.5", "90", "95.6"),
    ("新增规上企业", "家", "9", "12.5", "12", "75.0"),
    ("高新技术企业", "家", "31", "10.7", "35", "88.6"),
    ("专精特新企业", "家", "12", "33.3", "14", "85.7"),
    ("研发经费支出", "亿元", "2.86", "14.2", "3.5", "81.7"),
    ("高新技术产业增加值", "亿元", "11.92", "9.9", "15", "79.5"),
    ("亩均税收", "万元/亩", "18.65", "5.1", "20", "93.3"),
    ("投资强度", "万元/亩", "426.50", "3.2", "450", "94.8"),
    ("标准厂房面积", "万平方米", "12.60", "16.7", "15", "84.0"),
    ("万元工业增加值能耗降低率", "%", "3.10", "0.4", "3.0", "103.3"),
]


@functools.lru_cache(maxsize=1)
def sample_chart_png() -> bytes:
    """A trend chart (this year vs last year, 1—10月) as PNG bytes, 150 mm wide."""
    from .figures import new_figure, png_from_figure

    months = list(range(1, 11))
    last = [11.2, 22.9, 37.1, 49.6, 62.8, 76.4, 89.0, 102.7, 116.1, 130.5]
    this = [12.4, 24.8, 40.2, 53.1, 67.5, 82.0, 96.3, 111.2, 126.0, 141.76]
    fig = new_figure(150, 80)
    ax = fig.add_subplot()
    ax.bar([m - 0.2 for m in months], last, width=0.4, color="#9bb7d4", label="2025年")
    ax.bar([m + 0.2 for m in months], this, width=0.4, color="#c0504d", label="2026年")
    ax.set_xticks(months, [f"{m}月" for m in months])
    ax.set_ylabel("累计（亿元）")
    ax.set_title("技工贸总收入累计完成情况", fontsize=10.5)
    ax.legend(frameon=False)
    ax.grid(axis="y", alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return png_from_figure(fig, 150)


def _indicator_table() -> Table:
    rows = []
    for i, (name, unit, value, growth, target, done) in enumerate(_INDICATORS, 1):
        g = float(growth)
        change = f"{g:+.1f}" if unit != "%" else f"{g:+.1f}个百分点"
        rows.append([str(i), name, unit, value, change, target, done])
    return Table(
        caption="",
        headers=["序号", "指标名称", "单位", "1—10月", "同比（%）", "年度目标", "完成目标（%）"],
        rows=rows,
        key="attachments.indicators.table",
        widths=[1.9, 6.6, 2.6, 2.6, 2.6, 2.4, 2.6],
        aligns=["center", "left", "center", "right", "right", "right", "right"],
        unit="单位：亿元、万元、%",
        note="注：时序进度为83.3%；规模工业增加值增速按可比价计算。",
    )


def build_sample() -> ReportDocument:
    """The sample report (see :func:`parkdesk.report.model.sample_document`)."""
    blocks = [
        Paragraph(
            "今年以来，在区委、区政府的坚强领导下，开发区紧紧围绕“五好园区”创建目标，"
            "以招商引资、项目建设、企业服务为主要抓手，扎实开展精准招商、产业培育和项目建设工作，"
            "园区经济保持稳中有进、进中向好态势。现将有关情况汇报如下：",
            key="opening",
        ),
        Heading(1, "主要指标完成情况", key="indicators"),
        Paragraph(
            "1—10月，园区完成技工贸总收入约141.76亿元，同比增长8.6%，完成年度目标的83.4%，"
            "超时序进度0.1个百分点；完成工业总产值128.35亿元，同比增长9.2%；完成规模工业增加值"
            "31.20亿元，同比下降2.1%；实缴税收52860万元，同比增长6.3%；完成固定资产投资45.62亿元，"
            "同比增长12.4%，其中工业投资33.18亿元，同比增长15.8%。预计全年实现技工贸总收入170亿元，"
            "同比增长9%；实现工业总产值155亿元，同比增长10%。",
            key="indicators.overview",
        ),
        Paragraph(
            "万元工业增加值能耗降低率为3.1%，较上年同期提高0.4个百分点；规上企业亩均税收达18.65万元，"
            "工业用地投资强度达426.50万元/亩。",
            key="indicators.efficiency",
        ),
        Heading(1, "主要工作及成效", key="work"),
        Paragraph(
            "按照“一张蓝图绘到底”的发展思路，遵循“产业集群—产业集体—产业社区”发展方向，"
            "南片区按功能分片成块布局同类产业，北片区以西布局食品产业、以东布局电子信息产业，"
            "形成了产业特色鲜明、成片发展的良好态势。同时，严守发展底线，婉拒了达不到入园要求的"
            "3个锂电池项目、2个食品项目及不符合产业定位的4个项目。",
            key="work.industry",
            lead="坚持产业定力，科学构建发展格局。",
            lead_level=2,
        ),
        Paragraph(
            "坚持把招商引资作为“一号工程”，围绕食品加工、电子信息两大主导产业强链补链延链。"
            "1—10月，引进招商项目12个，合同引资额35.6亿元，其中亿元以上项目6个；"
            "外出招商26次，拜访企业118家，接待客商43批，收集线索57条。",
            key="work.investment",
            lead="坚持招大引强，突出产业链招商。",
            lead_level=2,
        ),
        Heading(3, "项目建设", key="work.investment.projects"),
        Paragraph(
            "牢固树立“落地比招商更重要”理念，对32个计划新建、续建项目实行班子成员领办、部门包保帮办，"
            "倒排节点、挂图作战。已建成投产鑫鹏电子、进利食品、广恒照明等8个项目，新开工国泰食品二期、"
            "大农米业精深加工等11个项目，签约项目转化率达68.8%。",
            key="work.investment.projects.text",
        ),
        Heading(4, "要素保障", key="work.investment.factors"),
        Paragraph(
            "加强金融服务，为9家企业争取贷款1.35亿元；联合人社部门组织大型招聘会3次，"
            "帮助企业招工1260人。",
            key="work.investment.factors.text",
        ),
        Heading(2, "坚持深化改革，激发园区发展活力", key="work.reform"),
        Paragraph(
            "强化目标激励，制定了招商引资、项目建设、企业履约等目标任务和计划，完善了绩效考核方案，"
            "采取细化量化考核方式，以实效定成绩，充分调动了干部职工的精气神。同时，积极推动园区市场化"
            "建设运营，探索与市场主体合作开发“园中园”项目和工业地产，逐步实现企业化管理、市场化运作、"
            "专业化服务。",
            key="work.reform.text",
        ),
        Figure("图1　技工贸总收入累计完成情况", sample_chart_png(), width_mm=150, key="work.chart"),
        Heading(1, "存在的问题", key="problems"),
        Paragraph(
            "一是规模工业增加值同比下降2.1%，部分食品企业订单不足，低于时序进度5.3个百分点；"
            "二是基础设施投资同比下降8.7%，在建道路项目资金到位偏慢；三是高新技术产业项目较少，"
            "项目征地拆迁难度大，资金瓶颈突出。",
            key="problems.text",
        ),
        Heading(1, "下步工作打算", key="plans"),
        Paragraph(
            "全年力争引进亿元以上项目8个，完成招商引资总额40亿元以上，紧盯国内食品加工和电子信息"
            "头部企业，清晰梳理“两库”“两图”，奋力招引集聚效应好、带动效应强的企业入园。",
            key="plans.investment",
            lead="坚持锻长处、补短板，大力开展“六大行动”。",
            lead_level=2,
        ),
        Paragraph(
            "实施“僵尸企业”清理攻坚，对闲置厂房、长期欠租的企业依法解除合同，实现“腾笼换鸟”；"
            "实施“五好园区”创建攻坚，加快赋权审批，实现园区事园区办。",
            key="plans.tough",
            lead="坚持查漏洞、破难题，稳步实施“两头攻坚”。",
            lead_level=2,
        ),
        Signature(f"{PARK}管理委员会", _dt.date(2026, 11, 20)),
        Attachment("附件1", "2026年1—10月主要经济指标完成情况表", key="attachments.indicators"),
        _indicator_table(),
        PageBreak(key="attachments.break"),
        Attachment("附件2", "主要指标趋势图", key="attachments.charts"),
        Figure("图2　技工贸总收入累计完成情况（2025—2026年）", sample_chart_png(), width_mm=156,
               key="attachments.charts.income"),
    ]
    return ReportDocument(title=f"{PARK}2026年1—10月工作情况汇报", blocks=blocks)
