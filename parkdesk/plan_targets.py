"""Quantified targets of plan items, and the text clerks type for them.

A target may be free text ("完成园区道路配套工程") or tied to an indicator
(技工贸总收入 ≥ 30亿元) or to a project statistic (引进亿元以上项目 ≥ 6个);
a tied target's text is generated from its structure, and text typed or
imported as "新开工项目不少于10个" is read back into a structure when the
name is known. Section headings are stored without their numbering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import catalog
from .errors import UnitError, ValidationError
from .numbers import convert_units, parse_number

KIND_INDICATOR = "indicator"
KIND_PROJECT_STAT = "project_stat"
TARGET_KINDS = (KIND_INDICATOR, KIND_PROJECT_STAT)

# --- numbering -----------------------------------------------------------------------------
_CN_NUM = "一二三四五六七八九十百零〇两"
_NUMBERING = re.compile(
    r"^\s*(?:"
    rf"[（(]\s*[{_CN_NUM}0-9０-９]+\s*[）)]\s*[、.．,，]?"  # （一） (1) （1）、
    rf"|[{_CN_NUM}]+\s*[、.．,，]"  # 一、
    r"|[0-9０-９]+\s*(?:[、,，]|[.．](?![0-9０-９]))"  # 1. 1、 (not 1.5万)
    rf"|第[{_CN_NUM}0-9]+(?:部分|项|条)[、:：，,\s]?"  # 第一部分
    rf"|[{_CN_NUM}]是(?=\S)"  # 一是 (item idiom)
    r")\s*"
)


def strip_numbering(title: str) -> str:
    """A heading without a leading "（一）", "一、", "1.", "（1）" or "一是".

    The report numbers sections itself, so numbering typed or imported by a
    clerk would otherwise appear twice.
    """
    text = (title or "").strip()
    stripped = _NUMBERING.sub("", text, count=1).strip()
    return stripped or text


# --- project statistics -------------------------------------------------------------------------
# Words clerks use for the project statistics of catalog.PROJECT_STATS (besides their labels).
STAT_SYNONYMS: dict[str, tuple[str, ...]] = {
    "signed": ("新签约项目", "签约项目", "引进招商项目", "引进项目", "新引进项目", "招商项目", "新签约项目个数"),
    "signed_over_100m": ("引进亿元以上项目", "亿元以上项目", "引进亿元项目", "新签约亿元以上项目",
                         "签约亿元以上项目", "引进亿元以上工业项目", "亿元以上项目数"),
    "started": ("新开工项目", "开工项目", "新开工工业项目", "新开工建设项目", "开工建设项目"),
    "put_into_production": ("新投产项目", "投产项目", "建成投产项目", "新建成投产项目", "竣工投产项目"),
    "contract_investment": ("签约项目合同引资额",),
    "funds_arrived": ("到位资金", "项目到位资金", "招商项目到位资金"),
    "outbound_trips": ("外出招商", "外出招商次数", "外出招商活动"),
    "companies_visited": ("拜访企业", "拜访重点企业", "拜访企业数"),
    "delegations_received": ("接待客商", "接待客商考察", "接待客商批次", "接待客商考察批次"),
    "leads_collected": ("收集线索", "收集项目线索", "收集重点项目线索", "收集有效线索", "收集线索数"),
}
# Money statistics share their names with indicators (合同引资额): the indicator
# (the official figure, which also carries the 年度目标) wins for them.
MONEY_STATS = ("contract_investment", "funds_arrived")
# Count words accepted after the number of a count statistic.
COUNT_UNITS = ("个", "项", "家", "户", "次", "批", "条", "批次")

_NAME_NOISE = re.compile(r"[\s“”\"'‘’「」《》]")


def _key(text: str) -> str:
    return _NAME_NOISE.sub("", str(text)).replace("　", "")


def _stat_names() -> dict[str, str]:
    table: dict[str, str] = {}
    for key, (label, _unit) in catalog.PROJECT_STATS.items():
        for name in (label, *STAT_SYNONYMS.get(key, ())):
            table[_key(name)] = key
            if name.endswith("数"):
                table.setdefault(_key(name[:-1]), key)
    return table


STAT_NAMES = _stat_names()


def stat_label(key: str) -> str:
    """The Chinese label of a project statistic (新开工项目数)."""
    return catalog.PROJECT_STATS[key][0]


def stat_unit(key: str) -> str:
    return catalog.PROJECT_STATS[key][1]


# --- generated text -------------------------------------------------------------------------------
def plain_number(value: float) -> str:
    """30.0 → "30", 12.50 → "12.5": a target as a clerk writes it."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def target_text(name: str, value: float | None, unit: str, *, lower_is_better: bool = False) -> str:
    """"技工贸总收入≥30亿元" / "万元工业增加值能耗≤0.35吨标准煤/万元"."""
    if value is None:
        return name
    op = "≤" if lower_is_better else "≥"
    return f"{name}{op}{plain_number(value)}{unit}"


# --- parsing typed text -----------------------------------------------------------------------------
@dataclass
class ParsedTarget:
    """A target read from text: what it is tied to and its value in that unit."""

    kind: str  # KIND_INDICATOR | KIND_PROJECT_STAT
    value: float
    unit: str
    name: str  # indicator name or statistic label
    indicator_id: int | None = None
    stat: str | None = None


_OPS = ("≥", ">=", "≧", "＞＝", "＞=", ">", "＞", "不少于", "不低于", "不小于", "不下于", "达到", "达", "突破",
        "超过", "≤", "<=", "≦", "＜＝", "<", "＜", "不超过", "不高于", "不大于", "控制在", "低于", "=", "＝",
        "为", "：", ":")
_TARGET_RE = re.compile(
    r"^(?P<name>.+?)(?P<op>" + "|".join(re.escape(o) for o in sorted(_OPS, key=len, reverse=True)) + r")?"
    r"(?P<num>\d+(?:\.\d+)?)(?P<unit>[^\d.]{0,10}?)(?P<suffix>以上|以下|以内|左右)?[。；;，,]?$"
)
_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
# Words in front of the name that are not part of it.
_LEAD_WORDS = ("全年", "年内", "力争", "确保", "完成", "实现", "累计", "全面", "达成", "年度")


def _name_candidates(name: str):
    seen = set()
    current = name
    while current and current not in seen:
        seen.add(current)
        yield current
        for word in _LEAD_WORDS:
            if current.startswith(word) and len(current) > len(word):
                current = current[len(word):]
                break
        else:
            return


def parse_target(desk, text: str) -> ParsedTarget | None:
    """Read "引进亿元以上项目≥6个", "技工贸总收入 ≥ 30亿元", "新开工项目不少于10个".

    Returns None when the text is not of the form <name> <op> <number><unit>,
    the name is neither an indicator (with aliases) nor a project statistic,
    or the unit does not fit — the text then stays a free-text target.
    Project counts (新签约、亿元以上、新开工、新投产项目, activities) resolve to
    the project statistics, computed from the ledger; other names to indicators.
    """
    if not text:
        return None
    s = _key(str(text)).translate(_FULLWIDTH).replace(",", "").replace("，", "")
    m = _TARGET_RE.match(s)
    if not m:
        return None
    try:
        number = parse_number(m.group("num"))
    except ValidationError:
        return None
    if number is None:
        return None
    unit_text = m.group("unit") or ""
    for name in _name_candidates(m.group("name")):
        found = _resolve(desk, name, number, unit_text)
        if found is not None:
            return found
    return None


def _resolve(desk, name: str, number: float, unit_text: str) -> ParsedTarget | None:
    key = STAT_NAMES.get(_key(name))
    if key is not None and key not in MONEY_STATS:
        return _stat_target(key, number, unit_text)
    indicator = desk.indicators.resolve(name)
    if indicator is not None and indicator.kind == catalog.GROWTH_ONLY:
        return None  # only a growth rate is published: no figure to reach
    if indicator is not None:
        value = _in_unit(number, unit_text, indicator.unit)
        if value is None:
            return None
        return ParsedTarget(KIND_INDICATOR, value, indicator.unit, indicator.name, indicator_id=indicator.id)
    if key is not None:
        return _stat_target(key, number, unit_text)
    return None


def _stat_target(key: str, number: float, unit_text: str) -> ParsedTarget | None:
    unit = stat_unit(key)
    if catalog.canonical_unit(unit) in ("亿元",):
        value = _in_unit(number, unit_text, unit)
    else:
        value = number if (not unit_text or unit_text in COUNT_UNITS or unit_text == unit) else None
    if value is None:
        return None
    return ParsedTarget(KIND_PROJECT_STAT, value, unit, stat_label(key), stat=key)


def _in_unit(number: float, unit_text: str, unit: str) -> float | None:
    """``number`` typed with ``unit_text`` expressed in ``unit`` (None if it cannot be)."""
    if not unit_text or unit_text == unit:
        return number
    if unit in ("个", "家", "户") and unit_text in COUNT_UNITS:
        return number
    try:
        return convert_units(number, unit_text, unit)  # 亩均税收 "30万元" is 30 万元/亩
    except UnitError:
        return None
