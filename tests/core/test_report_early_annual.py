"""An annual summary drafted before December's figures exist (and indicators lagging a month).

The seeds' annual summaries are written in November and December on "1-8月……；
预计全年……": the report states the latest month with figures, forecasts the full
year, words the ledger's facts "今年以来", labels the table's month and tells
the clerk which month was used.
"""

from __future__ import annotations

import datetime as dt

from parkdesk.report.draft import build_state, draft_report
from parkdesk.report.model import Table
from parkdesk.summary import build_summary
from tests.conftest import DEMO_AS_OF, run_main

IN_NOVEMBER = DEMO_AS_OF  # 2026-11-22: the demo has figures through October
NEXT_YEAR = dt.date(2027, 1, 20)


def doc(desk, through=12, year=2026, today=IN_NOVEMBER):
    return draft_report(desk, year, through, today=today, figures=False)


def text(desk, key, **kw) -> str:
    block = doc(desk, **kw).find(key)
    assert block is not None, key
    return (block.lead or "") + block.text


def test_summary_states_the_latest_month_when_december_is_missing(demo_desk):
    """summary --through 12 gives each indicator as of October (as_of_month 10), with the same keys."""
    october = {r["name"]: r for r in build_summary(demo_desk, 2026, 10)["indicators"]}
    annual = {r["name"]: r for r in build_summary(demo_desk, 2026, 12)["indicators"]}
    assert set(annual) == set(october)
    for name, rec in annual.items():
        assert set(rec) == set(october[name])  # additions only, never a renamed key
    tech = annual["技工贸总收入"]
    assert tech["month"] == 12 and tech["as_of_month"] == 10
    assert tech["value"] == october["技工贸总收入"]["value"]
    assert tech["yoy_pct"] == october["技工贸总收入"]["yoy_pct"]
    assert tech["time_progress_gap_pts"] == october["技工贸总收入"]["time_progress_gap_pts"]
    assert tech["full_year"] is not None
    assert any(f["month"] == 12 and f["code"] == "missing" for f in tech["flags"])


def test_early_annual_summary_states_ten_months_and_forecasts_the_year(demo_desk):
    """一、 says "1—10月，园区完成……" with targets against 时序进度, then "预计全年……"."""
    overview = text(demo_desk, "indicators.overview")
    assert overview.startswith("1—10月，园区完成技工贸总收入141.23亿元，同比增长13.8%，完成年度目标的80.5%，")
    assert "预计全年完成技工贸总收入180.76亿元" in overview
    assert not overview.startswith("全年")
    categories = [b for b in doc(demo_desk).blocks if b.key.startswith("indicators.cat.")]
    assert len(categories) >= 6  # every category, not just the growth-only GDP
    assert all(b.text.startswith("1—10月，") for b in categories)


def test_early_annual_summary_words_the_ledger_to_date(demo_desk):
    """二、 counts the ledger to today: "今年以来", never "全年" before the year is over."""
    investment = text(demo_desk, "work.investment")
    projects = text(demo_desk, "work.projects")
    assert "今年以来，园区引进招商项目" in investment and "全年，" not in investment
    assert "今年以来，园区在建项目" in projects
    after = text(demo_desk, "work.investment", today=NEXT_YEAR)
    assert "全年，园区引进招商项目" in after


def test_early_annual_table_shows_october_with_a_note(demo_desk):
    """附件1 is labelled 1—10月, keeps the 较时序进度 column and says December is missing."""
    table = next(b for b in doc(demo_desk).blocks if isinstance(b, Table) and b.key == "attachments.indicators.table")
    assert table.headers[2] == "1—10月" and table.headers[-1] == "较时序\n进度"
    tech = next(r for r in table.rows if r[0] == "技工贸总收入")
    assert tech[2] == "141.23"
    assert "12月数据暂缺，表中为1—10月数据" in table.note


def test_notice_tells_which_month_was_used(demo_desk):
    """The report state carries a notice for the tab and the CLI; none when month N has figures."""
    notices = build_state(demo_desk, 2026, 12, today=IN_NOVEMBER).notices
    assert len(notices) == 1
    assert "2026年12月尚无指标数据" in notices[0] and "1—10月" in notices[0] and "预计全年" in notices[0]
    assert build_state(demo_desk, 2026, 10, today=IN_NOVEMBER).notices == []


def test_full_annual_summary_is_unchanged(demo_desk):
    """With December's figures (2025) the summary states the year: "全年", no forecast, no notice."""
    overview = text(demo_desk, "indicators.overview", year=2025, today=NEXT_YEAR)
    assert overview.startswith("全年，园区完成技工贸总收入") and "预计全年" not in overview
    table = next(b for b in doc(demo_desk, year=2025, today=NEXT_YEAR).blocks
                 if isinstance(b, Table) and b.key == "attachments.indicators.table")
    assert table.headers[2] == "全年" and "较时序\n进度" not in table.headers
    assert build_state(demo_desk, 2025, 12, today=NEXT_YEAR).notices == []


def test_an_indicator_lagging_a_month_is_stated_for_its_month(demo_desk):
    """One indicator without October: its own "1—9月" sentence, a marked table row and a notice."""
    ind = demo_desk.indicators.by_name("研发经费支出")
    demo_desk.indicators.set_month(ind.id, 2026, 10, value=None)
    science = text(demo_desk, "indicators.cat.科技创新", through=10)
    assert science.startswith("科技创新情况。1—10月，") and "。1—9月，研发经费支出3.58亿元" in science
    table = next(b for b in doc(demo_desk, through=10).blocks
                 if isinstance(b, Table) and b.key == "attachments.indicators.table")
    assert any(r[0] == "研发经费支出（1—9月）" for r in table.rows)
    notices = build_state(demo_desk, 2026, 10, today=IN_NOVEMBER).notices
    assert notices and "研发经费支出（1—9月）" in notices[0]


def test_report_command_warns_on_stderr(demo_path, tmp_path):
    """main.py report --through 12 in November warns that December has no figures yet."""
    out = tmp_path / "总结.docx"
    result = run_main("report", "--db", demo_path, "--year", "2026", "--through", "12", "--out", out)
    assert result.returncode == 0, result.stderr
    assert "12月尚无指标数据" in result.stderr and "1—10月" in result.stderr
    assert "12月尚无指标数据" not in result.stdout
    quiet = run_main("report", "--db", demo_path, "--year", "2026", "--through", "10", "--out", tmp_path / "a.docx")
    assert quiet.returncode == 0 and "尚无指标数据" not in quiet.stderr


def test_summary_text_marks_figures_of_an_earlier_month(demo_desk):
    """The terminal summary of 1—12月 shows October's figures marked "（1—10月）"."""
    from parkdesk.summary import summary_text

    line = next(l for l in summary_text(build_summary(demo_desk, 2026, 12)).splitlines() if "技工贸总收入" in l)
    assert "141.23（1—10月）" in line
    line = next(l for l in summary_text(build_summary(demo_desk, 2026, 10)).splitlines() if "技工贸总收入" in l)
    assert "141.23" in line and "（1—10月）" not in line
