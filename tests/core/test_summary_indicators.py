"""`summary --json`: the indicators key, one record per indicator with data in the period."""

from __future__ import annotations

import json

from parkdesk.indicators import Cell
from parkdesk.summary import build_summary
from tests.conftest import run_main

REQUIRED = {"name", "unit", "category", "value", "yoy_pct", "monthly_value", "target", "target_pct", "forecast",
            "forecast_yoy_pct", "time_progress_gap_pts", "status", "flags"}
EXTRA = {"kind", "decimals", "growth_decimals", "yoy_is_official", "yoy_points", "last_year_value",
         "estimated_full_year", "direction", "full_year", "full_year_source", "status_reason", "in_report"}


def test_summary_json_has_the_indicator_keys(demo_path):
    """Each record carries the contract keys (and the report's extras), with figures for 1—8月."""
    result = run_main("summary", "--db", demo_path, "--year", "2026", "--through", "8", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    records = {r["name"]: r for r in data["indicators"]}
    assert len(records) >= 38
    for record in records.values():
        assert REQUIRED <= set(record), REQUIRED - set(record)
        assert EXTRA <= set(record)
    tech = records["技工贸总收入"]
    assert tech["unit"] == "亿元" and tech["category"] == "发展水平"
    assert isinstance(tech["value"], float) and isinstance(tech["yoy_pct"], float)
    assert tech["status"] in ("green", "yellow", "red")
    assert isinstance(tech["flags"], list)
    assert records["规模工业增加值"]["yoy_is_official"] is True
    rate = records["主导产业产值占比"]
    assert rate["yoy_pct"] is None and rate["yoy_points"] is not None
    gdp = records["地区生产总值"]
    assert gdp["value"] is None and gdp["yoy_pct"] is not None and gdp["as_of_month"] == 6


def test_only_indicators_with_data_are_listed(desk):
    """Indicators without data in 1—N月 are left out; a flagged one carries its flags."""
    tax = desk.indicators.by_name("税收收入")
    inv = desk.indicators.by_name("固定资产投资")
    desk.indicators.write_cells({Cell(tax.id, 2026, "value", 1): 100.0, Cell(tax.id, 2026, "value", 2): 90.0,
                                 Cell(inv.id, 2026, "value", 5): 3.0, Cell(inv.id, 2026, "target"): 50.0})
    records = {r["name"]: r for r in build_summary(desk, 2026, 2)["indicators"]}
    assert set(records) == {"税收收入"}
    assert [f["code"] for f in records["税收收入"]["flags"]] == ["decrease"]
    assert records["税收收入"]["yoy_pct"] is None  # no history: null, not 0
    json.dumps(build_summary(desk, 2026, 6), allow_nan=False)


def test_summary_is_fast_on_the_demo(demo_desk):
    """The section is computed with aggregate reads (well under a second)."""
    import time

    start = time.perf_counter()
    build_summary(demo_desk, 2026, 10)
    assert time.perf_counter() - start < 1.0
