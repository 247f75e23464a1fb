"""Data checks on indicator values, like DHIS2's validation rules (DESIGN.md 2.2).

A check never blocks saving a valid number: it raises a :class:`Flag` that
the grid colours and lists, the summary reports and the report can turn
into a suggestion. The rules:

- ``decrease``: a cumulative 1—N月 value below the last earlier month that has one;
- ``outlier``: a month far outside the indicator's history — for cumulative
  indicators the month's own amount (当月) against the same month of earlier
  years, for stock and rate indicators the value against the previous one —
  by more than the factor ``checks.outlier_factor`` (0 turns the rule off);
- ``missing``: a month up to the selected month N (or before a later month
  that has a value) without a value, for an indicator with data that year;
- ``official_gap``: an official growth rate more than ``checks.official_gap_pts``
  points away from the one computed from the values;
- ``prior_mismatch``: an entered 上年同期 that disagrees with last year's stored value;
- ``target_implausible``: a cumulative or stock indicator's 年度目标 below 1/10 or above
  10× last year's full-year figure (December) — most likely a unit slip. The flag
  belongs to the year (field ``target``); it carries month N so it shows with
  the period's other flags.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .catalog import CUMULATIVE, GROWTH_ONLY, RATE, STOCK
from .indicator_figures import PeriodData, Thresholds, _growth_pct, _monthly, implausible_target, load_period
from .indicators import Indicator, MonthValue
from .numbers import fmt

HISTORY_YEARS = 5  # years of history the outlier rule looks at
CHECK_LABELS = {
    "decrease": "累计值回落",
    "outlier": "疑似异常",
    "missing": "缺报",
    "official_gap": "官方增速差异大",
    "prior_mismatch": "上年同期不一致",
    "target_implausible": "年度目标存疑",
}


@dataclass(frozen=True)
class Flag:
    """One suspicious figure: which cell, which rule, and why (in Chinese)."""

    indicator_id: int
    year: int
    month: int
    code: str
    message: str
    field: str = "value"  # the flagged figure: value, official_yoy, prior_value or target

    @property
    def label(self) -> str:
        return CHECK_LABELS.get(self.code, self.code)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "label": self.label, "month": self.month, "field": self.field,
                "message": self.message}


def check_period(data: PeriodData, year: int, through: int = 12) -> list[Flag]:
    """Flags of every indicator in ``data`` for ``year``; ``missing`` looks at months before ``through``."""
    flags: list[Flag] = []
    for ind in data.indicators:
        history = {y: data.months(y, ind.id) for y in range(year - HISTORY_YEARS, year + 1)}
        yf = data.year_figures.get(year, {}).get(ind.id)
        flags.extend(check_indicator(ind, year, through, history, data.thresholds,
                                     target=yf.target if yf is not None else None))
    return flags


def check_year(desk, year: int, through: int = 12) -> list[Flag]:
    """Flags of the year's values (reads the catalog and the history it needs)."""
    return check_period(load_period(desk, year, history=HISTORY_YEARS), year, through)


def check_indicator(ind: Indicator, year: int, through: int, history: dict[int, dict[int, MonthValue]],
                    th: Thresholds, *, target: float | None = None) -> list[Flag]:
    """The flags of one indicator; ``history`` maps year → month → stored figures, ``target`` is 年度目标."""
    months = history.get(year, {})
    last_year = history.get(year - 1, {})
    flags: list[Flag] = []
    if ind.kind == GROWTH_ONLY:
        return flags  # published irregularly and never derived: nothing to compare

    def flag(month: int, code: str, message: str, field: str = "value") -> None:
        flags.append(Flag(ind.id, year, month, code, message, field))

    present = sorted(m for m, mv in months.items() if mv.value is not None)
    # missing months
    if present:
        limit = max(through, present[-1] - 1)
        for m in range(1, limit + 1):
            if m not in present:
                flag(m, "missing", f"缺少{m}月数据")
    for n, m in enumerate(present):
        value = months[m].value
        # cumulative below the last earlier month with a value (a missing month in between is no excuse)
        if ind.kind == CUMULATIVE and n > 0:
            prev = present[n - 1]
            before = months[prev].value
            if value < before - 1e-9 * max(1.0, abs(value)):
                flag(m, "decrease", f"1—{m}月累计{_num(ind, value)}低于1—{prev}月的{_num(ind, before)}")
        outlier = _outlier(ind, year, m, history, th.outlier_factor)
        if outlier:
            flag(m, "outlier", outlier)
    for m, mv in months.items():
        base = last_year.get(m)
        stored = base.value if base is not None else None
        # official rate against the computed one
        if mv.official_yoy is not None and ind.nominal_growth and mv.value is not None:
            reference = stored if stored is not None else mv.prior_value
            if ind.kind == RATE:
                computed = None if reference is None else mv.value - reference
                unit = "个百分点"
            else:
                computed = _growth_pct(mv.value, reference)
                unit = "%"
            if computed is not None and abs(mv.official_yoy - computed) > th.official_gap_pts:
                flag(m, "official_gap",
                     f"官方同比{fmt(mv.official_yoy, ind.growth_decimals)}{unit}与按数值计算的"
                     f"{fmt(computed, ind.growth_decimals)}{unit}相差"
                     f"{fmt(abs(mv.official_yoy - computed), 1)}个百分点", "official_yoy")
        # entered 上年同期 against last year's stored figure
        if mv.prior_value is not None and stored is not None:
            tolerance = max(abs(stored) * 0.005, 0.5 * 10 ** -ind.decimals)
            if abs(mv.prior_value - stored) > tolerance:
                flag(m, "prior_mismatch",
                     f"录入的上年同期{_num(ind, mv.prior_value)}与{year - 1}年{m}月的数据{_num(ind, stored)}不一致"
                     "（计算同比以上年数据为准）", "prior_value")
    target_message = _target_check(ind, year, target, last_year.get(12))
    if target_message:
        flag(min(max(through, 1), 12), "target_implausible", target_message, "target")
    flags.sort(key=lambda f: (f.month, f.code))
    return flags


def _target_check(ind: Indicator, year: int, target: float | None, december: MonthValue | None) -> str | None:
    """A message when the year's target is implausibly far from last year's full-year figure."""
    last = december.value if december is not None else None
    ratio = implausible_target(ind.kind, ind.direction, ind.decimals, target, last)
    if ratio is None:
        return None
    what = f"{year - 1}年{'末' if ind.kind == STOCK else '全年'}{_num(ind, last)}"
    if ratio > 1:
        how = f"约为{what}的{fmt(ratio, 1)}倍"
    else:
        share = ratio * 100
        how = f"不到{what}的0.01%" if share < 0.01 else f"仅为{what}的{fmt(share, 2 if share < 1 else 1)}%"
    return f"年度目标{_num(ind, target)}{how}，请核对单位或位数（改正前状态灯显示为“关注”）"


def _median(values: list[float]) -> float:
    """statistics.median, without importing statistics (with fractions and decimal) at start-up."""
    ordered = sorted(values)
    half = len(ordered) // 2
    return ordered[half] if len(ordered) % 2 else (ordered[half - 1] + ordered[half]) / 2


def _outlier(ind: Indicator, year: int, month: int, history: dict[int, dict[int, MonthValue]],
             factor: float) -> str | None:
    """A message when the month is more than ``factor`` times off its reference, else None."""
    if factor <= 1:
        return None
    months = history.get(year, {})
    if ind.kind == CUMULATIVE:
        x = _monthly(ind, months, month)
        same_month = [v for y in range(year - HISTORY_YEARS, year)
                      if (v := _monthly(ind, history.get(y, {}), month)) is not None]
        if len(same_month) >= 2:
            ref = _median(same_month)
            what = f"往年{month}月当月的中位数"
        else:
            others = [v for y in (year - 1, year) for m in range(1, 13)
                      if (y, m) != (year, month) and (v := _monthly(ind, history.get(y, {}), m)) is not None]
            if len(others) < 3:
                return None
            ref = _median(others)
            what = "近两年各月当月的中位数"
        subject = f"{month}月当月"
    else:
        x = months[month].value
        earlier = [m for m in range(month - 1, 0, -1) if months.get(m) and months[m].value is not None]
        if earlier:
            ref, what = months[earlier[0]].value, f"{earlier[0]}月的"
        else:
            dec = history.get(year - 1, {}).get(12)
            if dec is None or dec.value is None:
                return None
            ref, what = dec.value, "上年12月的"
        subject = f"{month}月"
    if x is None or x < 0 or ref is None or ref <= 0:
        return None
    slack = factor if ind.decimals == 0 else (1.0 if ind.kind == RATE else 0.0)
    if abs(x - ref) <= slack:
        return None  # small counts and rates move by a few units without meaning anything
    if ref / factor <= x <= ref * factor:
        return None
    # Worded only for a month that is flagged (most are not).
    subject, what = f"{subject}{_num(ind, x)}", f"{what}{_num(ind, ref)}"
    if x > ref * factor:
        return f"{subject}，约为{what}的{fmt(x / ref, 1)}倍，请核对（单位或位数是否有误）"
    if x < ref / factor:
        share = fmt(x / ref * 100, 1)
        return f"{subject}，仅为{what}的{share}%，请核对"
    return None


def _num(ind: Indicator, value: float | None) -> str:
    return f"{fmt(value, ind.decimals)}{ind.unit}"


__all__ = ["CHECK_LABELS", "Flag", "HISTORY_YEARS", "check_indicator", "check_period", "check_year"]
