"""Built-in vocabulary: indicator catalog, units, categories, project stages.

The catalog is seeded into a new database by the first migration; after that
the database is the source of truth (clerks add, edit and retire indicators).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# --- indicator kinds -------------------------------------------------------
CUMULATIVE = "cumulative"  # monthly figures are 1—N月累计
STOCK = "stock"  # a value at the period end
RATE = "rate"  # a percentage; change is said in 个百分点
GROWTH_ONLY = "growth_only"  # the bureau publishes only the growth rate
KINDS = (CUMULATIVE, STOCK, RATE, GROWTH_ONLY)
KIND_LABELS = {
    CUMULATIVE: "累计值",
    STOCK: "期末值",
    RATE: "比率",
    GROWTH_ONLY: "仅增速",
}

CATEGORIES = (
    "发展水平",
    "建设投入",
    "招商引资",
    "开放型经济",
    "企业培育",
    "科技创新",
    "节约集约",
    "节能环保",
)

# --- project stages ----------------------------------------------------------
STAGE_LEAD = "线索"
STAGE_NEGOTIATING = "在谈"
STAGE_SIGNED = "已签约"
STAGE_STARTED = "已开工"
STAGE_TRIAL = "试生产"
STAGE_PRODUCTION = "已投产"
STAGE_TERMINATED = "已终止"
STAGES = (
    STAGE_LEAD,
    STAGE_NEGOTIATING,
    STAGE_SIGNED,
    STAGE_STARTED,
    STAGE_TRIAL,
    STAGE_PRODUCTION,
)
ALL_STAGES = STAGES + (STAGE_TERMINATED,)
STAGE_LABELS = {
    STAGE_STARTED: "已开工（在建）",
    STAGE_TRIAL: "试生产/安装调试",
}


def stage_label(stage: str) -> str:
    """How a stage is shown to the clerk (已开工（在建）, 试生产/安装调试)."""
    return STAGE_LABELS.get(stage, stage)
# Words clerks use for the same stage (imports and search accept them).
STAGE_SYNONYMS = {
    "线索": STAGE_LEAD,
    "项目线索": STAGE_LEAD,
    "在谈": STAGE_NEGOTIATING,
    "洽谈": STAGE_NEGOTIATING,
    "在洽谈": STAGE_NEGOTIATING,
    "跟踪在谈": STAGE_NEGOTIATING,
    "已签约": STAGE_SIGNED,
    "签约": STAGE_SIGNED,
    "已开工": STAGE_STARTED,
    "开工": STAGE_STARTED,
    "在建": STAGE_STARTED,
    "已开工（在建）": STAGE_STARTED,
    "新开工": STAGE_STARTED,
    "续建": STAGE_STARTED,
    "试生产": STAGE_TRIAL,
    "安装调试": STAGE_TRIAL,
    "试生产/安装调试": STAGE_TRIAL,
    "试产": STAGE_TRIAL,
    "已投产": STAGE_PRODUCTION,
    "投产": STAGE_PRODUCTION,
    "建成投产": STAGE_PRODUCTION,
    "已终止": STAGE_TERMINATED,
    "终止": STAGE_TERMINATED,
    # More words seen in parks' ledgers (normalize_stage also drops 已, 阶段, brackets).
    "储备": STAGE_LEAD, "谋划": STAGE_LEAD, "跟踪": STAGE_LEAD, "信息": STAGE_LEAD, "线索收集": STAGE_LEAD,
    "洽谈中": STAGE_NEGOTIATING, "正在洽谈": STAGE_NEGOTIATING, "意向": STAGE_NEGOTIATING,
    "达成意向": STAGE_NEGOTIATING, "对接": STAGE_NEGOTIATING, "对接中": STAGE_NEGOTIATING,
    "接洽": STAGE_NEGOTIATING, "接洽中": STAGE_NEGOTIATING, "在谈中": STAGE_NEGOTIATING,
    "考察": STAGE_NEGOTIATING, "考察对接": STAGE_NEGOTIATING, "磋商": STAGE_NEGOTIATING,
    "签约未开工": STAGE_SIGNED, "签约待建": STAGE_SIGNED, "签约待开工": STAGE_SIGNED, "待开工": STAGE_SIGNED,
    "拟开工": STAGE_SIGNED, "签订协议": STAGE_SIGNED, "签协议": STAGE_SIGNED, "签合同": STAGE_SIGNED,
    "签订合同": STAGE_SIGNED, "签约落地": STAGE_SIGNED, "落地": STAGE_SIGNED,
    "建设中": STAGE_STARTED, "在建设": STAGE_STARTED, "正在建设": STAGE_STARTED, "开工建设": STAGE_STARTED,
    "新建": STAGE_STARTED, "施工": STAGE_STARTED, "施工中": STAGE_STARTED, "建设": STAGE_STARTED,
    "动工": STAGE_STARTED, "开建": STAGE_STARTED, "在建续建": STAGE_STARTED,
    "试运行": STAGE_TRIAL, "试运营": STAGE_TRIAL, "试投产": STAGE_TRIAL, "设备安装": STAGE_TRIAL,
    "设备调试": STAGE_TRIAL, "设备安装调试": STAGE_TRIAL, "调试": STAGE_TRIAL, "安装": STAGE_TRIAL,
    "竣工投产": STAGE_PRODUCTION, "正式投产": STAGE_PRODUCTION, "全面投产": STAGE_PRODUCTION,
    "投产运营": STAGE_PRODUCTION, "达产": STAGE_PRODUCTION, "竣工": STAGE_PRODUCTION, "建成": STAGE_PRODUCTION,
    "运营": STAGE_PRODUCTION, "投入运营": STAGE_PRODUCTION, "投用": STAGE_PRODUCTION, "投入使用": STAGE_PRODUCTION,
    "生产": STAGE_PRODUCTION, "正式生产": STAGE_PRODUCTION, "竣工验收": STAGE_PRODUCTION,
    "停建": STAGE_TERMINATED, "取消": STAGE_TERMINATED, "中止": STAGE_TERMINATED, "放弃": STAGE_TERMINATED,
    "退出": STAGE_TERMINATED, "解约": STAGE_TERMINATED, "撤资": STAGE_TERMINATED, "流失": STAGE_TERMINATED,
    "终止合作": STAGE_TERMINATED, "终止洽谈": STAGE_TERMINATED, "不再跟踪": STAGE_TERMINATED,
}

ORIGINS = ("本地", "省内", "省外", "境外")
PROJECT_TYPES = ("工业", "基础设施", "服务业")
PROJECT_LEVELS = ("省重点", "市重点", "县区重点", "一般")
ACTIVITY_TYPES = ("外出招商", "接待客商", "拜访企业", "推介会")
PLAN_STATUSES = ("未开始", "推进中", "已完成", "滞后")
APPROVALS = ("立项", "环评", "用地", "规划", "施工许可")


def _stage_key(text) -> str:
    key = unicodedata.normalize("NFKC", str(text or ""))
    return "".join(key.split()).replace("【", "[").replace("】", "]").strip("。.；;，,")


_STAGE_LOOKUP = {_stage_key(k): v for k, v in STAGE_SYNONYMS.items()}
_BRACKETS = re.compile(r"[(\[](.*?)[)\]]")
_STAGE_NOISE_SUFFIXES = ("阶段", "项目", "状态")


def _stage_word(key: str) -> str | None:
    """A single word: as is, without 阶段 / 项目 / 状态, with 已 dropped or added, without 正在."""
    for suffix in _STAGE_NOISE_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            key = key[: -len(suffix)]
    candidates = [key, key[1:] if key.startswith("已") else "已" + key]
    if key.startswith("正在"):
        candidates.append(key[2:])
    for candidate in candidates:
        if candidate in _STAGE_LOOKUP:
            return _STAGE_LOOKUP[candidate]
    return None


def normalize_stage(text: str) -> str | None:
    """Return the canonical stage for a clerk's word, or None if unknown.

    The one place stage words are read (dialog, board, imports). Besides
    :data:`STAGE_SYNONYMS`, it accepts full- and half-width forms and spaces,
    a bracketed qualifier ("已开工(在建)", "已投产（部分）" — the word outside the
    brackets, else the one inside), a leading 已 added or dropped, a trailing
    阶段/项目, and "A/B" when both parts name the same stage.
    """
    key = _stage_key(text)
    if not key:
        return None
    if key in _STAGE_LOOKUP:
        return _STAGE_LOOKUP[key]
    inner = _BRACKETS.findall(key)
    outer = _BRACKETS.sub("", key)
    for candidate in ([outer] if inner else []) + inner + ([] if inner else [key]):
        parts = [p for p in re.split(r"[/、|]|或", candidate) if p]
        stages = {_stage_word(p) for p in parts}
        if len(stages) == 1 and None not in stages:
            return stages.pop()
    return None


# --- units --------------------------------------------------------------------
@dataclass(frozen=True)
class Unit:
    """A unit and how it relates to the base unit of its dimension."""

    name: str
    dimension: str
    factor: float  # multiply a value in this unit by factor to get the base unit


UNITS: dict[str, Unit] = {
    u.name: u
    for u in (
        Unit("元", "cny", 1.0),
        Unit("万元", "cny", 1e4),
        Unit("亿元", "cny", 1e8),
        Unit("美元", "usd", 1.0),
        Unit("万美元", "usd", 1e4),
        Unit("亿美元", "usd", 1e8),
        Unit("个", "count", 1.0),
        Unit("家", "enterprise", 1.0),
        Unit("户", "enterprise", 1.0),
        Unit("起", "incident", 1.0),
        Unit("平方米", "area", 1.0),
        Unit("万平方米", "area", 1e4),
        Unit("亩", "land", 1.0),
        Unit("公顷", "land", 15.0),
        Unit("万元/亩", "cny_per_mu", 1.0),
        Unit("%", "percent", 1.0),
        Unit("吨标准煤/万元", "energy_intensity", 1.0),
    )
}
# Spellings seen in statistics sheets.
UNIT_SYNONYMS = {
    "万": "万元",
    "亿": "亿元",
    "人民币元": "元",
    "万元人民币": "万元",
    "亿元人民币": "亿元",
    "万美金": "万美元",
    "亿美金": "亿美元",
    "m2": "平方米",
    "m²": "平方米",
    "㎡": "平方米",
    "万m2": "万平方米",
    "万㎡": "万平方米",
    "万m²": "万平方米",
    "百分比": "%",
    "％": "%",
    "吨标煤/万元": "吨标准煤/万元",
    "平米": "平方米",
    "万平米": "万平方米",
    "万元每亩": "万元/亩",
    "个数": "个",
    "项": "个",
}


def canonical_unit(text: str | None) -> str | None:
    """Return the catalog spelling of a unit, or None when it is unknown."""
    if text is None:
        return None
    key = "".join(str(text).split())
    if key in UNITS:
        return key
    return UNIT_SYNONYMS.get(key)


# --- built-in indicators -------------------------------------------------------
@dataclass(frozen=True)
class IndicatorDef:
    """A built-in indicator definition (seeded into every new database)."""

    name: str
    unit: str
    category: str
    kind: str = CUMULATIVE
    decimals: int = 2
    direction: int = 1  # 1: higher is better, -1: lower is better
    aliases: tuple[str, ...] = ()
    # False where the official growth is at comparable prices and must not be
    # replaced by the ratio of nominal values (规模工业增加值).
    nominal_growth: bool = True
    min_value: float | None = 0.0
    max_value: float | None = None
    description: str = ""
    extra: dict = field(default_factory=dict)


BUILTIN_INDICATORS: tuple[IndicatorDef, ...] = (
    # 发展水平
    IndicatorDef("技工贸总收入", "亿元", "发展水平", aliases=("技工贸收入",)),
    IndicatorDef("工业总产值", "亿元", "发展水平", aliases=("园区工业总产值",)),
    IndicatorDef(
        "规上工业总产值", "亿元", "发展水平",
        aliases=("规模以上工业总产值", "规模工业总产值"),
    ),
    IndicatorDef(
        "规模工业增加值", "亿元", "发展水平",
        aliases=("规上工业增加值", "工业增加值", "规模以上工业增加值"),
        nominal_growth=False,
        description="增速按可比价计算，以统计部门公布的增速为准",
    ),
    IndicatorDef(
        "税收收入", "万元", "发展水平",
        aliases=("税收", "实缴税收", "实缴税金", "年缴税收", "税收总额"),
    ),
    IndicatorDef(
        "一般公共预算收入", "万元", "发展水平",
        aliases=("地方一般公共预算收入", "财政一般预算收入"),
    ),
    IndicatorDef(
        "地区生产总值", "亿元", "发展水平", kind=GROWTH_ONLY, decimals=1,
        aliases=("GDP", "生产总值"), min_value=None,
    ),
    IndicatorDef(
        "规上工业营业收入", "亿元", "发展水平",
        aliases=("主营业务收入", "规模以上工业营业收入"),
    ),
    IndicatorDef(
        "主导产业产值占比", "%", "发展水平", kind=RATE, decimals=1,
        aliases=("主导产业工业总产值占园区工业总产值比重", "主导产业产值比重"),
        max_value=100.0,
    ),
    IndicatorDef(
        "战略性新兴产业产值", "亿元", "发展水平",
        aliases=("战新产业产值", "战略性新兴产业工业总产值"),
    ),
    # 建设投入
    IndicatorDef(
        "固定资产投资", "亿元", "建设投入",
        aliases=("固投", "固定资产投资总量", "全社会固定资产投资"),
    ),
    IndicatorDef("工业投资", "亿元", "建设投入", aliases=("工业固定资产投资", "工业性投资")),
    IndicatorDef("技改投资", "亿元", "建设投入", aliases=("技术改造投资", "工业技改投资")),
    IndicatorDef("基础设施投资", "亿元", "建设投入", aliases=("基础设施建设投资", "基础设施项目投资")),
    # 招商引资
    IndicatorDef(
        "合同引资额", "亿元", "招商引资",
        aliases=("合同引资", "招商引资总额", "签约引资额", "合同引资总额"),
    ),
    IndicatorDef("实际到位内资", "亿元", "招商引资", aliases=("到位内资", "实际到位省外资金")),
    IndicatorDef(
        "实际利用外资", "万美元", "招商引资",
        aliases=("利用外资", "实际到位外资", "实际到位利用外资", "实际使用外资"),
    ),
    IndicatorDef(
        "引进亿元以上项目数", "个", "招商引资", decimals=0,
        aliases=("引进亿元以上项目", "亿元以上项目数", "新签约亿元以上项目", "引进大项目"),
    ),
    IndicatorDef("省外到位资金", "亿元", "招商引资", aliases=("省外境内到位资金", "省外资金到位")),
    # 开放型经济
    IndicatorDef("进出口总额", "万美元", "开放型经济", aliases=("进出口额", "外贸进出口总额")),
    IndicatorDef("出口总额", "万美元", "开放型经济", aliases=("出口额", "外贸出口")),
    # 企业培育
    IndicatorDef(
        "规上企业数", "家", "企业培育", kind=STOCK, decimals=0,
        aliases=("规模以上工业企业数", "规上企业", "规模以上企业数", "规上工业企业数"),
    ),
    IndicatorDef(
        "新增规上企业", "家", "企业培育", decimals=0,
        aliases=("新增规模以上工业企业", "年度新增规模以上工业企业", "新增规上工业企业"),
    ),
    IndicatorDef(
        "高新技术企业", "家", "企业培育", kind=STOCK, decimals=0,
        aliases=("高新技术企业数", "国家级高新技术企业"),
    ),
    IndicatorDef(
        "专精特新企业", "家", "企业培育", kind=STOCK, decimals=0,
        aliases=("“专精特新”企业", "专精特新中小企业", "专精特新企业数"),
    ),
    IndicatorDef(
        "入园企业数", "家", "企业培育", kind=STOCK, decimals=0,
        aliases=("入驻企业数", "园区企业数"),
    ),
    # 科技创新
    IndicatorDef(
        "研发经费支出", "万元", "科技创新",
        aliases=("研发费用", "规模工业研发经费支出", "R&D经费支出", "研发投入"),
    ),
    IndicatorDef(
        "高新技术产业增加值", "亿元", "科技创新",
        aliases=("高新技术增加值", "高新技术产业增加值总量"),
    ),
    IndicatorDef("高新技术产业产值", "亿元", "科技创新", aliases=("高新技术产值",)),
    IndicatorDef(
        "创新平台数", "个", "科技创新", kind=STOCK, decimals=0,
        aliases=("创新平台", "科技创新平台"),
    ),
    # 节约集约
    IndicatorDef(
        "亩均税收", "万元/亩", "节约集约", kind=STOCK,
        aliases=("规上企业亩均税收", "亩均税收收入"),
    ),
    IndicatorDef(
        "投资强度", "万元/亩", "节约集约", kind=STOCK,
        aliases=("工业用地投资强度", "工业用地面积投资强度"),
    ),
    IndicatorDef(
        "标准厂房面积", "万平方米", "节约集约", kind=STOCK,
        aliases=("标准厂房总面积", "标准化厂房面积"),
    ),
    IndicatorDef(
        "新建标准厂房面积", "万平方米", "节约集约",
        aliases=("标准厂房建设面积", "新建多层厂房面积", "新建标准厂房"),
    ),
    IndicatorDef("盘活土地", "亩", "节约集约", aliases=("盘活闲置土地", "盘活低效土地")),
    IndicatorDef("出让建设用地", "亩", "节约集约", aliases=("出让各类建设用地", "供地面积")),
    # 节能环保
    IndicatorDef(
        "万元工业增加值能耗降低率", "%", "节能环保", kind=RATE, decimals=1,
        aliases=("万元规模工业增加值能耗降低率", "单位工业增加值能耗降低率", "能耗降低率"),
        min_value=None, max_value=100.0,
    ),
    IndicatorDef(
        "万元工业增加值能耗", "吨标准煤/万元", "节能环保", kind=STOCK, decimals=3,
        direction=-1, aliases=("单位工业增加值能耗", "万元规模工业增加值能耗"),
    ),
    IndicatorDef(
        "环境污染事故", "起", "节能环保", decimals=0, direction=-1,
        aliases=("环境污染事故发生数", "环境污染事故发生"),
    ),
    IndicatorDef(
        "污水处理厂", "个", "节能环保", kind=STOCK, decimals=0,
        aliases=("园区污水处理厂数", "建成污水处理厂"),
    ),
)

# --- project statistics a plan item can target (DESIGN.md 2.4) -------------------
# key -> (label, unit). Computed for the plan's year by the projects manager.
PROJECT_STATS = {
    "signed": ("新签约项目数", "个"),
    "signed_over_100m": ("引进亿元以上项目数", "个"),
    "started": ("新开工项目数", "个"),
    "put_into_production": ("新投产项目数", "个"),
    "contract_investment": ("合同引资额", "亿元"),
    "funds_arrived": ("到位资金", "亿元"),
    "outbound_trips": ("外出招商次数", "次"),
    "companies_visited": ("拜访企业数", "家"),
    "delegations_received": ("接待客商批次", "批"),
    "leads_collected": ("收集线索数", "条"),
}
