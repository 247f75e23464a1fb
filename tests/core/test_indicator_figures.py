"""Derived figures of an indicator: 当月, 同比, targets, 时序进度, estimates, status light."""

from __future__ import annotations

import json

import pytest

from parkdesk.indicator_figures import Thresholds, compute_figures, period_figures
from parkdesk.indicators import Cell, Indicator, MonthValue, YearFigures
from parkdesk.numbers import growth_text


def ind(kind="cumulative", **kw) -> Indicator:
    base = dict(id=1, name="技工贸总收入", unit="亿元", category="发展水平", kind=kind)
    base.update(kw)
    return Indicator(**base)


def months(values: dict[int, float | None], *, year=2026, prior=None, official=None) -> dict[int, MonthValue]:
    prior = prior or {}
    official = official or {}
    keys = set(values) | set(prior) | set(official)
    return {m: MonthValue(1, year, m, values.get(m), prior.get(m), official.get(m)) for m in keys}


def target(t=None, forecast=None, forecast_yoy=None) -> YearFigures:
    return YearFigures(1, 2026, t, forecast, forecast_yoy)


def test_growth_and_monthly_value_from_cumulative_differences():
    """同比 = this year's 1—N月 over last year's; 当月 = N minus N−1."""
    f = compute_figures(ind(), 2026, 3, months({1: 10, 2: 18, 3: 33}), months({1: 9, 2: 17, 3: 30}, year=2025), None)
    assert f.value == 33
    assert f.monthly_value == pytest.approx(15)
    assert f.last_year_value == 30 and f.last_year_source == "history"
    assert f.yoy_pct == pytest.approx(10.0)
    assert f.monthly_yoy_pct == pytest.approx((15 / 13 - 1) * 100)
    assert f.change_text() == "同比增长10.0%"
    assert not f.yoy_is_official


def test_decline_is_worded_as_decline():
    """A fall gives a negative growth that numbers.growth_text says as 同比下降, never 增长-2.1%."""
    f = compute_figures(ind(), 2026, 1, months({1: 97.9}), months({1: 100}, year=2025), None)
    assert f.yoy_pct == pytest.approx(-2.1)
    assert growth_text(f.yoy_pct) == "同比下降2.1%"
    assert f.change_text() == "同比下降2.1%"
    assert "-" not in f.change_text()


def test_missing_history_gives_none_not_zero():
    """Without last year's figure or an entered 上年同期 the growth is None (shown as —)."""
    f = compute_figures(ind(), 2026, 2, months({1: 5, 2: 9}), {}, None)
    assert f.yoy_pct is None and f.last_year_value is None and f.last_year_source is None
    assert f.change_text() == ""
    assert f.monthly_value == pytest.approx(4)
    # a missing previous month: no 当月 either
    g = compute_figures(ind(), 2026, 3, months({1: 5, 3: 12}), {}, None)
    assert g.monthly_value is None


def test_first_year_uses_entered_prior_value():
    """In the first year of use the entered 上年同期 is the base of the growth."""
    f = compute_figures(ind(), 2026, 4, months({4: 44}, prior={4: 40}), {}, None)
    assert f.last_year_value == 40 and f.last_year_source == "entered"
    assert f.yoy_pct == pytest.approx(10.0)


def test_last_years_stored_value_wins_over_entered_prior():
    """When last year is stored, it is the base; the entered 上年同期 is ignored."""
    f = compute_figures(ind(), 2026, 4, months({4: 44}, prior={4: 40}), months({4: 50}, year=2025), None)
    assert f.last_year_source == "history"
    assert f.yoy_pct == pytest.approx(-12.0)


def test_rates_change_in_percentage_points():
    """A rate indicator's change is value − last year's value in 个百分点, never a %."""
    rate = ind("rate", unit="%", name="主导产业产值占比")
    f = compute_figures(rate, 2026, 6, months({6: 62.5}), months({6: 61.7}, year=2025), None)
    assert f.yoy_pct is None
    assert f.yoy_points == pytest.approx(0.8)
    assert f.change_text() == "同比提高0.8个百分点"
    fall = compute_figures(rate, 2026, 6, months({6: 60.0}), months({6: 61.7}, year=2025), None)
    assert fall.change_text() == "同比下降1.7个百分点"


def test_official_rate_overrides_computed_and_is_marked():
    """An entered official rate is the 同比; the computed one stays available."""
    f = compute_figures(ind(), 2026, 3, months({3: 33}, official={3: 8.6}), months({3: 30}, year=2025), None)
    assert f.yoy_pct == 8.6 and f.yoy_is_official
    assert f.computed_yoy == pytest.approx(10.0)
    assert f.to_json()["yoy_is_official"] is True


def test_growth_only_indicator_never_computes_growth():
    """growth_only indicators have no value; their 同比 is only the official rate."""
    gdp = ind("growth_only", name="地区生产总值", min_value=None)
    none = compute_figures(gdp, 2026, 9, months({9: None}), months({9: None}, year=2025), None)
    assert none.yoy_pct is None and none.value is None and none.status is None
    f = compute_figures(gdp, 2026, 9, months({9: None}, official={9: 6.2}), {}, None)
    assert f.yoy_pct == 6.2 and f.yoy_is_official
    assert f.estimated_full_year is None and f.target_pct is None


def test_comparable_price_indicator_uses_official_growth_only():
    """nominal_growth = 0 (规模工业增加值): no growth from nominal values, even with both years stored."""
    va = ind(name="规模工业增加值", nominal_growth=False)
    f = compute_figures(va, 2026, 8, months({8: 16.8}), months({8: 14.0}, year=2025), None)
    assert f.value == 16.8 and f.last_year_value == 14.0
    assert f.yoy_pct is None and f.computed_yoy is None
    official = compute_figures(va, 2026, 8, months({8: 16.8}, official={8: 7.1}), months({8: 14.0}, year=2025),
                               target(forecast=26.0))
    assert official.yoy_pct == 7.1 and official.yoy_is_official
    assert official.forecast_yoy_pct is None  # not derived from nominal values either


def test_division_by_zero_gives_none():
    """A zero base or a zero target gives None, never inf or 0."""
    f = compute_figures(ind(), 2026, 2, months({1: 0, 2: 5}), months({2: 0.0, 12: 0.0}, year=2025), target(0.0))
    assert f.yoy_pct is None
    assert f.target_pct is None and f.time_progress_gap_pts is None
    assert f.estimated_full_year is None
    data = json.dumps(f.to_json())
    assert "Infinity" not in data and "NaN" not in data


def test_target_completion_and_time_progress_gap():
    """完成年度目标 % and the gap to 时序进度 N/12, worded by progress_text."""
    f = compute_figures(ind(), 2026, 6, months({6: 60}), {}, target(100))
    assert f.target_pct == pytest.approx(60.0)
    assert f.time_progress_pct == pytest.approx(50.0)
    assert f.time_progress_gap_pts == pytest.approx(10.0)
    assert f.progress_text() == "超时序进度10.0个百分点"
    behind = compute_figures(ind(), 2026, 9, months({9: 60}), {}, target(100))
    assert behind.progress_text() == "低于时序进度15.0个百分点"


def test_estimated_full_year_from_last_years_share():
    """Without a forecast, full year = cumulative ÷ last year's share of its full year at month N."""
    last = months({6: 40, 12: 100}, year=2025)
    f = compute_figures(ind(), 2026, 6, months({6: 44}), last, None)
    assert f.estimated_full_year == pytest.approx(110.0)
    assert f.full_year_source == "estimate"
    assert f.forecast_yoy_pct == pytest.approx(10.0)
    entered = compute_figures(ind(), 2026, 6, months({6: 44}), last, target(forecast=120, forecast_yoy=19.5))
    assert entered.estimated_full_year is None
    assert entered.full_year == 120 and entered.full_year_source == "forecast"
    assert entered.forecast_yoy_pct == 19.5 and entered.forecast_yoy_is_entered
    computed = compute_figures(ind(), 2026, 6, months({6: 44}), last, target(forecast=120))
    assert computed.forecast_yoy_pct == pytest.approx(20.0)
    no_december = compute_figures(ind(), 2026, 6, months({6: 44}), months({6: 40}, year=2025), None)
    assert no_december.estimated_full_year is None and no_december.full_year is None
    december = compute_figures(ind(), 2026, 12, months({12: 130}), last, None)
    assert december.full_year == 130 and december.full_year_source == "actual"


def test_stock_indicator_monthly_value_is_the_value():
    """Stock indicators: 当月 is the value itself; no estimate; target met is a level check."""
    stock = ind("stock", name="规上企业数", unit="家", decimals=0)
    f = compute_figures(stock, 2026, 5, months({4: 150, 5: 152}), months({5: 140}, year=2025), target(160))
    assert f.monthly_value == 152
    assert f.yoy_pct == pytest.approx(152 / 140 * 100 - 100)
    assert f.estimated_full_year is None and f.time_progress_gap_pts is None
    assert f.target_met is False
    assert f.target_pct == pytest.approx(95.0)


@pytest.mark.parametrize("gap_value, expected", [
    (45.0, "green"),   # 45% at month 6 of 12: 5 points behind
    (40.0, "yellow"),  # exactly 10 points behind
    (21.0, "yellow"),  # 29 points behind
    (19.0, "red"),     # 31 points behind
])
def test_status_thresholds_default(gap_value, expected):
    """Behind 时序进度 by 10–30 points is yellow, by more than 30 red (defaults)."""
    f = compute_figures(ind(), 2026, 6, months({6: gap_value}), {}, target(100))
    assert f.status == expected


def test_status_thresholds_come_from_settings(desk):
    """status.yellow_gap_pts / status.red_gap_pts change the light."""
    tax = desk.indicators.by_name("税收收入")
    desk.indicators.write_cells({Cell(tax.id, 2026, "value", 6): 42.0, Cell(tax.id, 2026, "target"): 100.0})
    assert next(f for f in period_figures(desk, 2026, 6) if f.name == "税收收入").status == "green"
    desk.settings.set("status.yellow_gap_pts", 5)
    assert next(f for f in period_figures(desk, 2026, 6) if f.name == "税收收入").status == "yellow"
    desk.settings.set("status.red_gap_pts", 7)
    assert next(f for f in period_figures(desk, 2026, 6) if f.name == "税收收入").status == "red"
    assert Thresholds.from_settings(desk.settings).red_gap_pts == 7


def test_falling_is_yellow_even_ahead_of_time():
    """A fall against last year makes the light yellow even when ahead of 时序进度."""
    f = compute_figures(ind(), 2026, 6, months({6: 60}), months({6: 70}, year=2025), target(100))
    assert f.time_progress_gap_pts > 0
    assert f.status == "yellow"
    assert "同比下降" in f.status_reason


def test_lower_is_better_indicators():
    """direction −1: a rise is the worsening one, and exceeding the ceiling is red."""
    energy = ind("stock", name="万元工业增加值能耗", unit="吨标准煤/万元", direction=-1, decimals=3)
    better = compute_figures(energy, 2026, 6, months({6: 0.40}), months({6: 0.45}, year=2025), target(0.42))
    assert better.yoy_pct < 0 and better.status == "green" and better.target_met is True
    assert better.target_pct is None  # a share of a ceiling is not "completion"
    worse = compute_figures(energy, 2026, 6, months({6: 0.47}), months({6: 0.45}, year=2025), target(0.42))
    assert worse.status == "yellow" and worse.target_met is False
    accidents = ind(name="环境污染事故", unit="起", decimals=0, direction=-1)
    over = compute_figures(accidents, 2026, 6, months({6: 1}), months({6: 0}, year=2025), target(0))
    assert over.status == "red" and over.target_pct is None
    calm = compute_figures(accidents, 2026, 6, months({6: 0}), months({6: 0}, year=2025), target(0))
    assert calm.status == "green"


def test_period_figures_reads_the_demo(demo_desk):
    """Every demo indicator gets figures for 2026, 1—10月 in a few queries."""
    figures = {f.name: f for f in period_figures(demo_desk, 2026, 10)}
    assert len(figures) >= 40
    tech = figures["技工贸总收入"]
    assert tech.value and tech.yoy_pct is not None and tech.target_pct is not None
    assert figures["规模工业增加值"].yoy_is_official
    assert figures["地区生产总值"].value is None and figures["地区生产总值"].yoy_is_official


def test_growth_only_falls_back_to_latest_published_month():
    """A quarterly growth-only figure at month 8 is the 1—6月 rate, with as_of_month saying so."""
    gdp = ind("growth_only", name="地区生产总值", min_value=None)
    f = compute_figures(gdp, 2026, 8, months({}, official={3: 5.5, 6: 6.1}), {}, None)
    assert f.yoy_pct == 6.1 and f.as_of_month == 6 and f.month == 8
    g = compute_figures(ind(), 2026, 8, months({6: 60}), {}, None)
    assert g.value is None and g.as_of_month == 8  # values never fall back to an older month
