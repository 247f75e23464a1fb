"""Checks on indicator values: flags that explain, never block."""

from __future__ import annotations

import pytest

from parkdesk.checks import check_indicator, check_year
from parkdesk.indicator_figures import Thresholds, period_figures
from parkdesk.indicators import Cell, Indicator, MonthValue


def ind(kind="cumulative", **kw) -> Indicator:
    base = dict(id=7, name="固定资产投资", unit="亿元", category="建设投入", kind=kind)
    base.update(kw)
    return Indicator(**base)


def year_of(year: int, values: dict[int, float], *, official=None, prior=None) -> dict[int, MonthValue]:
    official, prior = official or {}, prior or {}
    return {m: MonthValue(7, year, m, values.get(m), prior.get(m), official.get(m))
            for m in set(values) | set(official) | set(prior)}


def seasonal(year: int, total: float) -> dict[int, MonthValue]:
    acc, out = 0.0, {}
    for m in range(1, 13):
        acc += total / 12
        out[m] = round(acc, 2)
    return year_of(year, out)


def codes(flags, month=None):
    return sorted(f.code for f in flags if month is None or f.month == month)


def test_clean_history_raises_no_flag():
    """Smooth growth over five years is never flagged."""
    history = {y: seasonal(y, 100 + 5 * (y - 2021)) for y in range(2021, 2027)}
    assert check_indicator(ind(), 2026, 12, history, Thresholds()) == []


def test_cumulative_below_previous_month():
    """A 1—N月 value lower than 1—(N−1)月 is flagged on month N."""
    history = {2026: year_of(2026, {1: 10, 2: 20, 3: 18, 4: 30})}
    flags = check_indicator(ind(), 2026, 4, history, Thresholds())
    assert codes(flags, 3) == ["decrease"]
    assert "1—3月累计18.00亿元低于1—2月的20.00亿元" in flags[0].message


def test_outlier_against_same_month_of_earlier_years():
    """A month's own amount (当月) ten times its usual size is an outlier."""
    history = {y: seasonal(y, 120) for y in range(2022, 2026)}
    this = {m: 10.0 * m for m in range(1, 6)}
    this[5] = 40 + 100  # 当月 100 instead of about 10
    this.update({6: 135})
    history[2026] = year_of(2026, this)
    flags = check_indicator(ind(), 2026, 6, history, Thresholds())
    assert codes(flags, 5) == ["outlier"]
    assert "倍" in next(f for f in flags if f.month == 5).message
    assert "decrease" in codes(flags, 6)  # month 6 then falls below month 5


def test_outlier_factor_setting_and_off_switch():
    """checks.outlier_factor decides how far is too far; 0 turns the rule off."""
    history = {y: seasonal(y, 120) for y in range(2022, 2026)}
    history[2026] = year_of(2026, {1: 25})  # 当月 25 against about 10: 2.5×
    assert check_indicator(ind(), 2026, 1, history, Thresholds(outlier_factor=3)) == []
    assert codes(check_indicator(ind(), 2026, 1, history, Thresholds(outlier_factor=2))) == ["outlier"]
    assert check_indicator(ind(), 2026, 1, history, Thresholds(outlier_factor=0)) == []


def test_stock_outlier_against_previous_value_and_small_counts_tolerated():
    """A stock tripling from last month is flagged; counts moving by a few are not."""
    stock = ind("stock", name="标准厂房面积", unit="万平方米")
    history = {2026: year_of(2026, {1: 50, 2: 51, 3: 520})}
    assert codes(check_indicator(stock, 2026, 3, history, Thresholds()), 3) == ["outlier"]
    count = ind("stock", name="污水处理厂", unit="个", decimals=0)
    small = {2026: year_of(2026, {1: 1, 2: 3})}
    assert check_indicator(count, 2026, 2, small, Thresholds()) == []


def test_missing_months_before_n():
    """Months without a value up to month N (for an indicator with data that year) are flagged."""
    history = {2026: year_of(2026, {1: 10, 2: 20, 4: 40})}
    flags = check_indicator(ind(), 2026, 6, history, Thresholds())
    assert [f.month for f in flags if f.code == "missing"] == [3, 5, 6]
    # an indicator without any data that year is not "missing", it is simply not kept
    assert check_indicator(ind(), 2026, 6, {2026: {}}, Thresholds()) == []


def test_official_rate_far_from_computed():
    """An official growth more than checks.official_gap_pts from the computed one is flagged."""
    history = {2025: year_of(2025, {3: 30}), 2026: year_of(2026, {3: 33}, official={3: 2.0})}
    flags = check_indicator(ind(), 2026, 3, history, Thresholds())
    flag = next(f for f in flags if f.code == "official_gap")
    assert flag.field == "official_yoy" and "相差8.0个百分点" in flag.message
    assert not [f for f in check_indicator(ind(), 2026, 3, history, Thresholds(official_gap_pts=9))
                if f.code == "official_gap"]
    comparable = ind(nominal_growth=False)
    assert not [f for f in check_indicator(comparable, 2026, 3, history, Thresholds()) if f.code == "official_gap"]


def test_entered_prior_disagreeing_with_last_year():
    """An entered 上年同期 that differs from last year's stored value is pointed out."""
    history = {2025: year_of(2025, {3: 30}), 2026: year_of(2026, {3: 33}, prior={3: 31})}
    flags = check_indicator(ind(), 2026, 3, history, Thresholds())
    assert [f.code for f in flags if f.month == 3] == ["prior_mismatch"]
    assert next(f for f in flags if f.code == "prior_mismatch").field == "prior_value"


def test_flags_never_block_saving_a_valid_number(desk):
    """A suspicious value is saved and flagged; the figures carry the flag for months ≤ N."""
    tax = desk.indicators.by_name("税收收入")
    desk.indicators.write_cells({Cell(tax.id, 2026, "value", 1): 1000.0, Cell(tax.id, 2026, "value", 2): 900.0})
    assert desk.indicators.read_cells([Cell(tax.id, 2026, "value", 2)])[Cell(tax.id, 2026, "value", 2)] == 900.0
    assert [f.code for f in check_year(desk, 2026, 2)] == ["decrease"]
    figures = next(f for f in period_figures(desk, 2026, 2) if f.name == "税收收入")
    assert [f.code for f in figures.flags] == ["decrease"]
    assert next(f for f in period_figures(desk, 2026, 1) if f.name == "税收收入").flags == []


def test_demo_park_is_clean(demo_desk):
    """The demo's plausible figures raise no false alarms."""
    for year in (2024, 2025):
        assert check_year(demo_desk, year, 12) == []
    assert check_year(demo_desk, 2026, 10) == []


def test_a_quiet_month_of_a_small_count_is_not_an_outlier():
    """A count whose usual month is 3 may have a month of 0; a month of 30 is still flagged."""
    count = ind(name="引进亿元以上项目数", unit="个", decimals=0)
    history = {y: year_of(y, {m: 3.0 * m for m in range(1, 13)}) for y in range(2022, 2026)}
    history[2026] = year_of(2026, {1: 3, 2: 6, 3: 6})  # March: 当月 0
    assert check_indicator(count, 2026, 3, history, Thresholds()) == []
    history[2026] = year_of(2026, {1: 3, 2: 6, 3: 36})  # March: 当月 30
    assert codes(check_indicator(count, 2026, 3, history, Thresholds()), 3) == ["outlier"]


def test_decrease_across_a_missing_month():
    """With 5月 300, 6月 missing and 7月 45, 7月 is flagged against 5月 (and 6月 as missing)."""
    history = {2026: year_of(2026, {1: 60, 2: 120, 3: 180, 4: 240, 5: 300, 7: 45})}
    flags = check_indicator(ind(), 2026, 7, history, Thresholds(outlier_factor=0))
    assert codes(flags, 7) == ["decrease"] and codes(flags, 6) == ["missing"]
    assert "1—7月累计45.00亿元低于1—5月的300.00亿元" in next(f for f in flags if f.code == "decrease").message


def test_implausible_target_is_flagged_against_last_full_year():
    """A 年度目标 below 1/10 or above 10× last year's full year is flagged on the target (never blocks)."""
    tax = ind(name="税收收入", unit="万元")
    history = {2025: year_of(2025, {m: 15000.0 * m for m in range(1, 13)}),  # 180000万元 for the year
               2026: year_of(2026, {m: 16000.0 * m for m in range(1, 11)})}
    flags = check_indicator(tax, 2026, 10, history, Thresholds(), target=15)  # meant 15亿
    flag = next(f for f in flags if f.code == "target_implausible")
    assert flag.field == "target" and flag.month == 10 and flag.label == "年度目标存疑"
    assert "年度目标15.00万元不到2025年全年180000.00万元的0.01%" in flag.message
    high = check_indicator(tax, 2026, 10, history, Thresholds(), target=2_000_000)
    assert "约为2025年全年180000.00万元的11.1倍" in next(f.message for f in high if f.code == "target_implausible")
    for plausible in (200_000, 20_000, None):
        assert "target_implausible" not in codes(check_indicator(tax, 2026, 10, history, Thresholds(), target=plausible))
    # no last-year figure: nothing to judge by
    assert check_indicator(tax, 2026, 10, {2026: history[2026]}, Thresholds(), target=15) == []


def test_target_check_spares_rates_zero_ceilings_and_small_counts():
    """Rates are not judged; a zero ceiling of a lower-is-better count and small counts are plausible."""
    last = {m: float(m) for m in range(1, 13)}
    rate = ind("rate", name="研发投入强度", unit="%")
    assert check_indicator(rate, 2026, 1, {2025: year_of(2025, last)}, Thresholds(), target=0.5) == []
    accidents = ind(name="环境污染事故", unit="起", decimals=0, direction=-1)
    assert check_indicator(accidents, 2026, 1, {2025: year_of(2025, {12: 2})}, Thresholds(), target=0) == []
    projects = ind(name="引进亿元以上项目数", unit="个", decimals=0)
    assert check_indicator(projects, 2026, 1, {2025: year_of(2025, {12: 1})}, Thresholds(), target=8) == []
    assert codes(check_indicator(projects, 2026, 1, {2025: year_of(2025, {12: 2})}, Thresholds(), target=60)) \
        == ["target_implausible"]
    stock = ind("stock", name="标准厂房面积", unit="万平方米")
    flags = check_indicator(stock, 2026, 1, {2025: year_of(2025, {12: 120})}, Thresholds(), target=1300)
    assert "2025年末" in next(f.message for f in flags if f.code == "target_implausible")


def test_implausible_target_in_the_database_flags_and_is_saved(desk):
    """Through check_year and period_figures: the target is saved, flagged, and the light is not green."""
    tax = desk.indicators.by_name("税收收入")
    cells = {Cell(tax.id, 2025, "value", m): 15000.0 * m for m in range(1, 13)}
    cells.update({Cell(tax.id, 2026, "value", m): 16000.0 * m for m in range(1, 11)})
    cells[Cell(tax.id, 2026, "target")] = 15.0
    desk.indicators.write_cells(cells)
    assert [f.code for f in check_year(desk, 2026, 10)] == ["target_implausible"]
    figures = next(f for f in period_figures(desk, 2026, 10) if f.name == "税收收入")
    assert figures.target == 15 and [f.code for f in figures.flags] == ["target_implausible"]
    assert figures.status == "yellow" and "年度目标与上年全年数相差悬殊" in figures.status_reason
    desk.indicators.write_cells({Cell(tax.id, 2026, "target"): 200000.0})
    figures = next(f for f in period_figures(desk, 2026, 10) if f.name == "税收收入")
    assert figures.flags == [] and figures.status == "green"


@pytest.mark.parametrize("values", [[3.0], [5.0, 1.0], [4.0, 1.0, 9.0], [2.5, 7.0, 1.0, 4.0], [1.0, 1.0, 2.0, 8.0, 9.0, 10.0]])
def test_median_agrees_with_statistics(values):
    import statistics

    from parkdesk.checks import _median

    assert _median(values) == statistics.median(values)
