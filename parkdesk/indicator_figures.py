"""Derived figures of an indicator for a period (year, 1—N月) (DESIGN.md 2.2).

当月 from cumulative differences, 同比 (% for amounts, 个百分点 for rates; the
official rate when one was entered), 完成年度目标, 时序进度 and the gap to it,
an estimated full year and a status light. Every figure that cannot be
computed (no history, division by zero, a comparable-price growth that must
not be derived from nominal values) is ``None`` — shown as "—", never 0 or inf.

The computation is a pure function (:func:`compute_figures`); the loaders
read a period with a handful of aggregate queries.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from .catalog import CUMULATIVE, GROWTH_ONLY, RATE, STOCK
from .indicators import Indicator, MonthValue, YearFigures
from .numbers import fmt, growth_text, points_text, progress_gap_text, round_half_up

GREEN, YELLOW, RED = "green", "yellow", "red"
# An annual target below 1/10 or above 10× last year's full-year figure is most
# likely a unit slip (15 typed for 15亿 in a 万元 indicator), not an ambition.
TARGET_PLAUSIBLE_FACTOR = 10.0
STATUS_LABELS = {GREEN: "正常", YELLOW: "关注", RED: "滞后", None: "—"}


@dataclass(frozen=True)
class Thresholds:
    """The settings that judge figures (status light and checks)."""

    yellow_gap_pts: float = 10.0
    red_gap_pts: float = 30.0
    outlier_factor: float = 3.0
    official_gap_pts: float = 5.0

    @classmethod
    def from_settings(cls, settings) -> "Thresholds":
        """Read the four thresholds from ``desk.settings`` (defaults when unset or unreadable)."""
        values = {}
        for name, key in (("yellow_gap_pts", "status.yellow_gap_pts"), ("red_gap_pts", "status.red_gap_pts"),
                          ("outlier_factor", "checks.outlier_factor"),
                          ("official_gap_pts", "checks.official_gap_pts")):
            try:
                number = float(settings.get(key))
            except (TypeError, ValueError):
                continue
            if math.isfinite(number) and number >= 0:
                values[name] = number
        return cls(**values)


@dataclass
class IndicatorFigures:
    """Everything computed for one indicator at (year, month N)."""

    indicator_id: int
    name: str
    unit: str
    category: str
    kind: str
    decimals: int
    growth_decimals: int
    direction: int
    nominal_growth: bool
    in_report: bool
    retired: bool
    year: int
    month: int
    # The month the figures refer to: N, except for a growth-only indicator whose
    # latest published rate is older (quarterly figures: 1—6月 when N is 8).
    as_of_month: int = 0
    value: float | None = None  # 1—N月累计, or the value at month N
    monthly_value: float | None = None  # 当月
    last_year_value: float | None = None  # 上年同期
    last_year_source: str | None = None  # "history" (last year's stored value) | "entered" (上年同期)
    last_year_monthly_value: float | None = None
    monthly_yoy_pct: float | None = None
    yoy_pct: float | None = None  # growth in %; None for rate indicators (see yoy_points)
    yoy_points: float | None = None  # change in 个百分点 of a rate indicator
    yoy_is_official: bool = False
    computed_yoy: float | None = None  # the computed % (or points), even when an official rate exists
    official_yoy: float | None = None
    target: float | None = None
    target_pct: float | None = None  # 完成年度目标 % (share of the ceiling used when lower is better)
    target_met: bool | None = None  # stock and rate indicators: the level has reached the target
    time_progress_pct: float = 0.0  # N/12 in %
    time_progress_gap_pts: float | None = None  # target_pct − time_progress_pct (cumulative only)
    forecast: float | None = None  # entered 预计全年
    forecast_yoy_pct: float | None = None
    forecast_yoy_points: float | None = None
    forecast_yoy_is_entered: bool = False
    estimated_full_year: float | None = None  # cumulative ÷ last year's share at month N
    full_year: float | None = None  # forecast, else the estimate, else (N = 12) the value
    full_year_source: str | None = None  # "forecast" | "estimate" | "actual"
    last_year_full: float | None = None  # last year's full-year value (December)
    status: str | None = None  # "green" | "yellow" | "red" | None (nothing to judge by)
    status_reason: str = ""
    flags: list = field(default_factory=list)  # checks.Flag of months 1..N

    @property
    def has_data(self) -> bool:
        return self.value is not None or self.official_yoy is not None

    @property
    def change(self) -> float | None:
        """同比 in the indicator's own terms: points for rates, % otherwise."""
        return self.yoy_points if self.kind == RATE else self.yoy_pct

    def change_text(self, *, prefix: str = "同比") -> str:
        """"同比增长8.6%" / "同比下降2.1%" / "同比提高0.8个百分点" ("" when unknown)."""
        if self.kind == RATE:
            return points_text(self.yoy_points, self.growth_decimals, prefix=prefix) if self.yoy_points is not None else ""
        return growth_text(self.yoy_pct, self.growth_decimals, prefix=prefix)

    def progress_text(self) -> str:
        """"超时序进度1.5个百分点" / "低于时序进度3.0个百分点" ("" when unknown)."""
        return progress_gap_text(self.time_progress_gap_pts)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-ready dict (the ``summary --json`` record of this indicator).

        Floats are rounded to 6 decimals so differences print as 18.58, not 18.579999999999984.
        """
        data = {k: (round(v, 6) if isinstance(v, float) else v) for k, v in asdict(self).items()}
        data["flags"] = [f.to_json() for f in self.flags]
        data["id"] = data["indicator_id"]
        data["status_label"] = STATUS_LABELS.get(self.status, "—")
        data["yoy_text"] = self.change_text()
        data["progress_text"] = self.progress_text()
        return data


def _ratio_pct(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator in %, or None when it has no meaning (missing, zero, negative base)."""
    if numerator is None or denominator is None or denominator <= 0:
        return None
    result = numerator / denominator * 100
    return result if math.isfinite(result) else None


def _growth_pct(current: float | None, base: float | None) -> float | None:
    """(current / base − 1) in %; None without a positive base."""
    ratio = _ratio_pct(current, base)
    return None if ratio is None else ratio - 100


def implausible_target(kind: str, direction: int, decimals: int, target: float | None,
                       last_year_full: float | None) -> float | None:
    """target ÷ last year's full-year figure when it is implausibly far off, else None.

    Only cumulative and stock indicators with a positive last-year figure are judged;
    a zero ceiling of a "lower is better" indicator is a real goal, and small counts
    (decimals 0) may move by a few units without meaning a slip.
    """
    if kind not in (CUMULATIVE, STOCK) or target is None or last_year_full is None or last_year_full <= 0:
        return None
    if direction < 0 and target <= 0:
        return None
    factor = TARGET_PLAUSIBLE_FACTOR
    if decimals == 0 and abs(target - last_year_full) <= factor:
        return None
    ratio = target / last_year_full
    return ratio if ratio < 1 / factor or ratio > factor else None


def _value(values: dict[int, MonthValue], month: int) -> float | None:
    mv = values.get(month)
    return mv.value if mv is not None else None


def _monthly(ind: Indicator, values: dict[int, MonthValue], month: int) -> float | None:
    """当月: the cumulative difference, or the value itself for stock and rate indicators."""
    current = _value(values, month)
    if ind.kind != CUMULATIVE or current is None:
        return current if ind.kind != GROWTH_ONLY else None
    if month == 1:
        return current
    previous = _value(values, month - 1)
    return None if previous is None else current - previous


def compute_figures(ind: Indicator, year: int, month: int, this_year: dict[int, MonthValue],
                    last_year: dict[int, MonthValue], year_figures: YearFigures | None,
                    thresholds: Thresholds | None = None) -> IndicatorFigures:
    """The derived figures of one indicator at (year, month).

    ``this_year`` / ``last_year`` map month → stored figures of that year.
    """
    th = thresholds or Thresholds()
    f = IndicatorFigures(
        indicator_id=ind.id, name=ind.name, unit=ind.unit, category=ind.category, kind=ind.kind,
        decimals=ind.decimals, growth_decimals=ind.growth_decimals, direction=ind.direction,
        nominal_growth=ind.nominal_growth, in_report=ind.in_report, retired=ind.retired, year=year, month=month,
        time_progress_pct=month / 12 * 100, as_of_month=month,
    )
    now = this_year.get(month)
    f.official_yoy = now.official_yoy if now is not None else None
    if ind.kind == GROWTH_ONLY and f.official_yoy is None:
        published = [m for m in range(month - 1, 0, -1) if this_year.get(m) and this_year[m].official_yoy is not None]
        if published:
            f.as_of_month = published[0]
            f.official_yoy = this_year[published[0]].official_yoy
    if ind.kind != GROWTH_ONLY:
        f.value = _value(this_year, month)
        f.monthly_value = _monthly(ind, this_year, month)
        stored = _value(last_year, month)
        if stored is not None:
            f.last_year_value, f.last_year_source = stored, "history"
        elif now is not None and now.prior_value is not None:
            f.last_year_value, f.last_year_source = now.prior_value, "entered"
        f.last_year_full = _value(last_year, 12)
        if ind.kind == CUMULATIVE:
            f.last_year_monthly_value = _monthly(ind, last_year, month)
    may_compute = ind.kind != GROWTH_ONLY and ind.nominal_growth
    if may_compute:
        if ind.kind == RATE:
            if f.value is not None and f.last_year_value is not None:
                f.computed_yoy = f.value - f.last_year_value
        else:
            f.computed_yoy = _growth_pct(f.value, f.last_year_value)
            if ind.kind == CUMULATIVE:
                f.monthly_yoy_pct = _growth_pct(f.monthly_value, f.last_year_monthly_value)
    change = f.official_yoy if f.official_yoy is not None else f.computed_yoy
    f.yoy_is_official = f.official_yoy is not None
    if ind.kind == RATE:
        f.yoy_points = change
    else:
        f.yoy_pct = change

    _target_and_forecast(f, ind, year_figures)
    _status(f, th)
    return f


def _target_and_forecast(f: IndicatorFigures, ind: Indicator, yf: YearFigures | None) -> None:
    if yf is not None:
        f.target = yf.target
        f.forecast = yf.forecast
    if ind.kind == CUMULATIVE or (ind.kind != GROWTH_ONLY and ind.direction > 0):
        f.target_pct = _ratio_pct(f.value, f.target)
    if ind.kind not in (CUMULATIVE, GROWTH_ONLY) and f.value is not None and f.target is not None:
        f.target_met = f.value * ind.direction >= f.target * ind.direction
    if ind.kind == CUMULATIVE and f.target_pct is not None:
        f.time_progress_gap_pts = f.target_pct - f.time_progress_pct
    # Full year: the entered forecast, else (cumulative) an estimate from last
    # year's seasonal share at month N, else at month 12 the year's own value.
    if f.forecast is not None:
        f.full_year, f.full_year_source = f.forecast, "forecast"
    elif f.month == 12 and f.value is not None:
        f.full_year, f.full_year_source = f.value, "actual"
    elif ind.kind == CUMULATIVE:
        share = _ratio_pct(f.last_year_value, f.last_year_full)
        if share is not None and share > 0 and f.value is not None:
            f.estimated_full_year = f.value / share * 100
            f.full_year, f.full_year_source = f.estimated_full_year, "estimate"
    if yf is not None and yf.forecast_yoy is not None:
        f.forecast_yoy_is_entered = True
        if ind.kind == RATE:
            f.forecast_yoy_points = yf.forecast_yoy
        else:
            f.forecast_yoy_pct = yf.forecast_yoy
    elif ind.kind != GROWTH_ONLY and ind.nominal_growth and f.full_year is not None:
        if ind.kind == RATE:
            if f.last_year_full is not None:
                f.forecast_yoy_points = f.full_year - f.last_year_full
        else:
            f.forecast_yoy_pct = _growth_pct(f.full_year, f.last_year_full)


def _status(f: IndicatorFigures, th: Thresholds) -> None:
    """Green / yellow (behind 时序进度 by yellow–red points, getting worse, or an implausible target) / red."""
    reasons: list[str] = []
    status: str | None = None
    if implausible_target(f.kind, f.direction, f.decimals, f.target, f.last_year_full) is not None:
        # Completion of a target that is probably mistyped says nothing: ask for a look instead.
        status = YELLOW
        reasons.append("年度目标与上年全年数相差悬殊，请核对单位或位数")
    elif f.direction < 0 and f.target is not None and f.value is not None and f.kind == CUMULATIVE \
            and f.value > f.target:
        status = RED
        reasons.append("已超过年度控制目标")
    elif f.time_progress_gap_pts is not None:
        # For "lower is better" indicators using the allowance faster than time is behind.
        behind = -float(round_half_up(f.time_progress_gap_pts * f.direction, 1))
        if behind > th.red_gap_pts:
            status = RED
        elif behind >= th.yellow_gap_pts:
            status = YELLOW
        else:
            status = GREEN
        if status != GREEN:
            reasons.append(progress_gap_text(f.time_progress_gap_pts) if f.direction > 0
                           else f"使用年度控制目标{fmt(f.target_pct, 1)}%，快于时序进度")
    change = f.change
    worse = None
    if change is not None:
        worse = float(round_half_up(change * f.direction, f.growth_decimals)) < 0
    elif f.nominal_growth and f.value is not None and f.last_year_value is not None:
        worse = (f.value - f.last_year_value) * f.direction < 0  # no % from a zero base, but a direction
    if worse is not None:
        if status is None:
            status = GREEN
        if worse:
            if status == GREEN:
                status = YELLOW
            text = f.change_text() or ("比上年同期增加" if f.direction < 0 else "比上年同期减少")
            reasons.append(text + ("（官方）" if f.yoy_is_official else ""))
    if status is None and f.has_data:
        reasons.append("无年度目标，也无法与上年同期比较")
    f.status = status
    f.status_reason = "；".join(r for r in reasons if r)


# --- loading ------------------------------------------------------------------------------
@dataclass
class PeriodData:
    """The stored figures needed around one year, read in a few queries."""

    indicators: list[Indicator]
    values: dict[int, dict[int, dict[int, MonthValue]]]  # year -> indicator id -> month -> figures
    year_figures: dict[int, dict[int, YearFigures]]  # year -> indicator id -> figures
    thresholds: Thresholds

    def months(self, year: int, indicator_id: int) -> dict[int, MonthValue]:
        return self.values.get(year, {}).get(indicator_id, {})


def load_period(desk, year: int, *, history: int = 1, include_retired: bool = False,
                indicator_id: int | None = None) -> PeriodData:
    """Read the catalog, the values of ``year`` and ``history`` years before it, and targets.

    ``indicator_id`` restricts the read to one indicator (a chart).
    """
    if indicator_id is None:
        indicators = desk.indicators.list(include_retired=include_retired)
        only, params = "", [year - history, year]
    else:
        indicators = [desk.indicators.get(indicator_id)]
        only, params = " AND indicator_id = ?", [year - history, year, indicator_id]
    values: dict[int, dict[int, dict[int, MonthValue]]] = {}
    for row in desk.db.execute(
        "SELECT indicator_id, year, month, value, prior_value, official_yoy, note FROM indicator_values "
        f"WHERE year BETWEEN ? AND ?{only}", params
    ):
        values.setdefault(row[1], {}).setdefault(row[0], {})[row[2]] = MonthValue(*row)
    year_figures: dict[int, dict[int, YearFigures]] = {}
    for row in desk.db.execute(
        "SELECT indicator_id, year, target, forecast, forecast_yoy, note FROM indicator_years "
        f"WHERE year BETWEEN ? AND ?{only}", params
    ):
        year_figures.setdefault(row[1], {})[row[0]] = YearFigures(*row)
    return PeriodData(indicators, values, year_figures, Thresholds.from_settings(desk.settings))


def figures_from(data: PeriodData, year: int, month: int) -> list[IndicatorFigures]:
    """Derived figures of every indicator in ``data`` at (year, month), in catalog order."""
    return [
        compute_figures(ind, year, month, data.months(year, ind.id), data.months(year - 1, ind.id),
                        data.year_figures.get(year, {}).get(ind.id), data.thresholds)
        for ind in data.indicators
    ]


def period_figures(desk, year: int, month: int, *, with_flags: bool = True,
                   include_retired: bool = False) -> list[IndicatorFigures]:
    """Derived figures (and check flags of months 1..N) of every indicator at (year, month)."""
    from .checks import HISTORY_YEARS, check_period

    data = load_period(desk, year, history=HISTORY_YEARS if with_flags else 1, include_retired=include_retired)
    figures = figures_from(data, year, month)
    if with_flags:
        attach_flags(figures, check_period(data, year, month))
    return figures


def attach_flags(figures: list[IndicatorFigures], flags: list) -> None:
    """Give each indicator's figures its flags of months 1..N."""
    by_indicator: dict[int, list] = {}
    for flag in flags:
        by_indicator.setdefault(flag.indicator_id, []).append(flag)
    for f in figures:
        f.flags = [flag for flag in by_indicator.get(f.indicator_id, []) if flag.month <= f.month]


def indicator_series(desk, indicator_id: int, year: int, *, years: int = 1) -> dict[int, list[IndicatorFigures]]:
    """Figures of one indicator for months 1—12 of ``year`` and ``years`` years before it.

    Returns year → twelve :class:`IndicatorFigures` (the charts read growth by month from them).
    """
    data = load_period(desk, year, history=years + 1, indicator_id=indicator_id)
    ind = data.indicators[0]
    out: dict[int, list[IndicatorFigures]] = {}
    for y in range(year - years, year + 1):
        out[y] = [
            compute_figures(ind, y, m, data.months(y, ind.id), data.months(y - 1, ind.id),
                            data.year_figures.get(y, {}).get(ind.id), data.thresholds)
            for m in range(1, 13)
        ]
    return out


def indicators_section(desk, year: int, through: int) -> list[dict[str, Any]]:
    """``summary --json`` key ``indicators``: one record per indicator with data in 1—N月.

    An indicator with no figure at all for month N (December's statistics are
    not out when the annual summary is drafted in November) is given as of the
    latest month M < N that has one: ``as_of_month`` is M, ``month`` stays N,
    and its figures (value, 同比, 完成目标, 时序进度, the full-year estimate) are
    those of 1—M月; its flags stay those of months 1..N.
    """
    from .checks import HISTORY_YEARS, check_period

    data = load_period(desk, year, history=HISTORY_YEARS, include_retired=True)
    figures = figures_from(data, year, through)
    attach_flags(figures, check_period(data, year, through))
    having, latest_value = set(), {}
    for ind_id, month in desk.db.execute(
        "SELECT indicator_id, max(CASE WHEN value IS NOT NULL THEN month END) FROM indicator_values "
        "WHERE year = ? AND month <= ? AND (value IS NOT NULL OR official_yoy IS NOT NULL) GROUP BY indicator_id",
        [year, through]
    ):
        having.add(ind_id)
        if month is not None:
            latest_value[ind_id] = month
    indicators = {ind.id: ind for ind in data.indicators}
    out = []
    for f in figures:
        if f.indicator_id not in having:
            continue
        earlier = latest_value.get(f.indicator_id)
        if f.kind != GROWTH_ONLY and not f.has_data and earlier is not None and earlier < through:
            ind = indicators[f.indicator_id]
            g = compute_figures(ind, year, earlier, data.months(year, ind.id), data.months(year - 1, ind.id),
                                data.year_figures.get(year, {}).get(ind.id), data.thresholds)
            g.month, g.flags = through, f.flags
            f = g
        out.append(f.to_json())
    return out

__all__ = [
    "GREEN", "YELLOW", "RED", "STATUS_LABELS", "TARGET_PLAUSIBLE_FACTOR", "IndicatorFigures", "PeriodData",
    "Thresholds", "attach_flags", "implausible_target", "compute_figures", "figures_from", "indicator_series", "indicators_section", "load_period", "period_figures",
]
