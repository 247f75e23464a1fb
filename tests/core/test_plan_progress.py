"""Live target progress, overdue detection and the summary's ``plans`` key."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from parkdesk.plan_progress import effective_status, is_overdue, plan_view, status_line, target_progress
from parkdesk.plans import PlanItem
from parkdesk.project_stats import project_stat
from parkdesk.projects import Project
from parkdesk.errors import ValidationError
from tests.conftest import run_main


def _ind(desk, name):
    return desk.indicators.by_name(name)


def _item(desk, **kw):
    section = desk.plans.sections(2026)[0] if desk.plans.has_plan(2026) else desk.plans.add_section(2026, "重点工作")
    return desk.plans.save_item(PlanItem(section_id=section.id, title=kw.pop("title", "事项"), **kw))


@pytest.fixture
def ledger(desk):
    """Projects and activities with known dates and amounts (money in 万元)."""
    rows = [  # name, signed, started, production, total, contract, arrived
        ("甲项目", "2026-02-10", "2026-03-01", "2026-09-15", 25000, 20000, 8000),
        ("乙项目", "2026-05-20", "2026-07-01", None, 12000, 10000, 3000),
        ("丙项目", "2026-09-05", None, None, 5000, 5000, 1000),
        ("丁项目", "2025-11-11", "2026-01-20", "2026-06-30", 30000, 30000, 20000),
        ("戊项目", "2026-12-01", None, None, 50000, 50000, None),
    ]
    for name, signed, started, production, total, contract, arrived in rows:
        stage = "已投产" if production else "已开工" if started else "已签约"
        desk.projects.save(Project(name=name, stage=stage, signed_on=signed, started_on=started,
                                   production_on=production, total_investment=total,
                                   contract_investment=contract, funds_arrived=arrived))
    with desk.atomic():
        for held_on, kind, visited, delegations, leads in (
            ("2026-03-05", "外出招商", 5, 0, 3), ("2026-04-10", "外出招商", 4, 0, 2),
            ("2026-06-01", "接待客商", 0, 2, 1), ("2026-11-20", "外出招商", 6, 0, 4),
            ("2025-12-01", "外出招商", 9, 9, 9),
        ):
            desk.db.execute(
                "INSERT INTO activities (held_on, activity_type, companies_visited, delegations_received, "
                "leads_collected) VALUES (?, ?, ?, ?, ?)", [held_on, kind, visited, delegations, leads])
    return desk


def test_project_stats_count_the_period(ledger):
    """Each statistic counts the plan year up to the end of month ``through``."""
    d = ledger
    assert project_stat(d, "signed", 2026) == 4
    assert project_stat(d, "signed", 2026, 8) == 2
    assert project_stat(d, "signed_over_100m", 2026, 10) == 2  # 甲 and 乙; 丙 is under 1亿
    assert project_stat(d, "started", 2026, 6) == 2  # 甲 in March, 丁 in January
    assert project_stat(d, "put_into_production", 2026, 8) == 1
    assert project_stat(d, "put_into_production", 2026, 9) == 2
    assert project_stat(d, "contract_investment", 2026, 10) == pytest.approx(3.5)  # 亿元
    assert project_stat(d, "funds_arrived", 2026, 10) == pytest.approx(1.2)
    assert project_stat(d, "outbound_trips", 2026, 10) == 2
    assert project_stat(d, "companies_visited", 2026) == 15
    assert project_stat(d, "delegations_received", 2026, 12) == 2
    assert project_stat(d, "leads_collected", 2026, 10) == 6
    assert project_stat(d, "signed", 2024) == 0
    with pytest.raises(ValidationError):
        project_stat(d, "nonsense", 2026)


def test_indicator_target_progress_uses_latest_month(desk):
    """Progress = latest cumulative figure of the plan year ÷ target; or at month N when given."""
    ind = _ind(desk, "技工贸总收入")
    for month, value in ((1, 2.0), (2, 4.5), (3, 7.5), (4, 10.2)):
        desk.indicators.set_month(ind.id, 2026, month, value=value)
    desk.indicators.set_month(ind.id, 2025, 12, value=28.0)
    it = _item(desk, target_kind="indicator", target_indicator_id=ind.id, target_value=30)
    tp = target_progress(desk, it, 2026)
    assert (tp.actual, tp.month, tp.pct, tp.unit) == (10.2, 4, 34.0, "亿元")
    tp = target_progress(desk, it, 2026, 2)
    assert (tp.actual, tp.month, tp.pct) == (4.5, 2, 15.0)
    tp = target_progress(desk, it, 2026, 12)  # months after April missing: the latest there is
    assert (tp.actual, tp.month) == (10.2, 4)


def test_missing_data_is_null_not_zero(desk):
    """No figure in the plan year (or a year not begun) gives None, never 0 %."""
    ind = _ind(desk, "税收收入")
    desk.indicators.set_month(ind.id, 2025, 12, value=9000)  # last year only
    it = _item(desk, target_kind="indicator", target_indicator_id=ind.id, target_value=10000)
    tp = target_progress(desk, it, 2026)
    assert tp is not None and tp.actual is None and tp.pct is None
    stat = _item(desk, title="招商", target_kind="project_stat", target_stat="signed", target_value=10)
    tp = target_progress(desk, stat, 2026, as_of=dt.date(2025, 12, 20))  # 2026 has not begun
    assert tp.actual is None and tp.pct is None
    assert target_progress(desk, _item(desk, title="文字", target_text="完成配套"), 2026) is None


def test_lower_is_better_and_growth_only_targets(desk):
    """能耗 ≤ target counts as progress target ÷ actual; a growth-only indicator takes no figure target."""
    energy = _ind(desk, "万元工业增加值能耗")
    desk.indicators.set_month(energy.id, 2026, 6, value=0.4)
    it = _item(desk, target_kind="indicator", target_indicator_id=energy.id, target_value=0.5)
    assert it.target_text == "万元工业增加值能耗≤0.5吨标准煤/万元"
    assert target_progress(desk, it, 2026).pct == 125.0
    gdp = _ind(desk, "地区生产总值")
    with pytest.raises(ValidationError, match="只录入增速"):
        _item(desk, title="GDP", target_kind="indicator", target_indicator_id=gdp.id, target_value=8)


def test_project_stat_target_progress(ledger):
    """A project-statistic target computes from the ledger through month N."""
    it = _item(ledger, target_kind="project_stat", target_stat="signed_over_100m", target_value=4)
    assert target_progress(ledger, it, 2026, 4).pct == 25.0
    tp = target_progress(ledger, it, 2026, 12)
    assert (tp.actual, tp.pct, tp.name, tp.unit) == (3, 75.0, "引进亿元以上项目数", "个")


@pytest.mark.parametrize("status, deadline, as_of, overdue, shown", [
    ("推进中", "2026-06-30", dt.date(2026, 6, 30), False, "推进中"),  # due today: not yet late
    ("推进中", "2026-06-30", dt.date(2026, 7, 1), True, "滞后"),
    ("未开始", "2026-06-30", dt.date(2026, 12, 31), True, "滞后"),
    ("已完成", "2026-06-30", dt.date(2026, 12, 31), False, "已完成"),
    ("推进中", None, dt.date(2030, 1, 1), False, "推进中"),  # no deadline: never late
    ("滞后", "2026-12-31", dt.date(2026, 3, 1), False, "滞后"),  # set by the clerk: kept
])
def test_overdue_detection(status, deadline, as_of, overdue, shown):
    """An item past its deadline and not 已完成 shows 滞后; the stored status is untouched."""
    it = PlanItem(title="x", status=status, deadline=deadline)
    assert is_overdue(it, as_of) is overdue
    assert effective_status(it, as_of) == shown
    assert it.status == status


def test_plan_view_counts_effective_statuses(desk):
    """The summary line counts items by effective status."""
    for title, status, deadline in (("甲", "推进中", "2026-03-31"), ("乙", "推进中", "2026-12-31"),
                                    ("丙", "已完成", "2026-03-31"), ("丁", "未开始", None)):
        _item(desk, title=title, status=status, deadline=deadline)
    view = plan_view(desk, 2026, as_of=dt.date(2026, 5, 1))
    counts = view.status_counts()
    assert counts == {"未开始": 1, "推进中": 1, "已完成": 1, "滞后": 1}
    assert status_line(counts) == "共4项：已完成1项，推进中1项，滞后1项，未开始1项"
    assert [v.item.title for v in view.items if v.overdue] == ["甲"]


def test_summary_json_has_plans(demo_path):
    """`summary --json` carries this and next year's items in section order, with effective statuses."""
    result = run_main("summary", "--db", demo_path, "--year", "2026", "--through", "10", "--json")
    assert result.returncode == 0, result.stderr
    plans = json.loads(result.stdout)["plans"]
    keys = {"section", "title", "content", "target", "owner", "leader", "deadline", "status", "progress_pct"}
    assert plans["this_year_items"] and plans["next_year_items"]
    for item in plans["this_year_items"] + plans["next_year_items"]:
        assert keys <= item.keys()
    assert [i["section"] for i in plans["this_year_items"]] == sorted(
        (i["section"] for i in plans["this_year_items"]), key=plans["section_order"].index)
    assert plans["next_year_section_order"][0] == plans["next_year_items"][0]["section"]
    assert set(plans["status_counts"]) == {"未开始", "推进中", "已完成", "滞后"}
    assert sum(plans["status_counts"].values()) == len(plans["this_year_items"])
    brand = next(i for i in plans["this_year_items"] if i["title"] == "提升产业品牌")
    assert brand["deadline"] == "2026-09-30" and brand["stored_status"] == "推进中"
    assert brand["status"] == "滞后" and brand["overdue"] is True  # past its deadline at the end of October
    revenue = next(i for i in plans["this_year_items"] if i["target_kind"] == "indicator")
    assert revenue["target_actual_month"] == 10 and 0 < revenue["target_progress_pct"] < 100
    assert all(i["target_progress_pct"] is None for i in plans["next_year_items"])  # next year has no data
    assert all(i["status"] == "未开始" for i in plans["next_year_items"])
    earlier = json.loads(run_main("summary", "--db", demo_path, "--year", "2026", "--through", "8",
                                  "--json").stdout)["plans"]
    brand = next(i for i in earlier["this_year_items"] if i["title"] == "提升产业品牌")
    assert brand["status"] == "推进中" and not brand["overdue"]  # not yet due at the end of August


def test_summary_notes_are_those_of_the_period(desk):
    """The latest progress note up to the end of the period is reported."""
    from parkdesk.summary import build_summary

    it = _item(desk, title="甲")
    desk.plans.add_note(it.id, "2026-03-10", "三月进展")
    desk.plans.add_note(it.id, "2026-09-10", "九月进展")
    data = build_summary(desk, 2026, 6)["plans"]
    assert data["this_year_items"][0]["notes"] == "三月进展"
    assert build_summary(desk, 2026, 12)["plans"]["this_year_items"][0]["notes"] == "九月进展"
    json.dumps(data, ensure_ascii=False)  # JSON-ready


def test_summary_progress_pct_falls_back_to_status_and_target(ledger):
    """progress_pct: the clerk's figure when entered, 100 for a done item, else the live target progress."""
    from parkdesk.summary import build_summary

    _item(ledger, title="录入", status="推进中", progress_pct=40.0, target_kind="project_stat",
          target_stat="started", target_value=4)
    _item(ledger, title="完成", status="已完成")
    _item(ledger, title="挂钩", status="推进中", target_kind="project_stat", target_stat="started", target_value=4)
    _item(ledger, title="超额", status="推进中", target_kind="project_stat", target_stat="started", target_value=1)
    _item(ledger, title="无目标", status="推进中")
    items = {i["title"]: i for i in build_summary(ledger, 2026, 10)["plans"]["this_year_items"]}
    started = project_stat(ledger, "started", 2026, 10)
    assert (items["录入"]["progress_pct"], items["录入"]["progress_source"]) == (40.0, "entered")
    assert items["完成"]["progress_pct"] == 100.0
    assert items["挂钩"]["progress_pct"] == pytest.approx(started / 4 * 100, abs=0.1)
    assert items["挂钩"]["progress_source"] == "target"
    assert items["超额"]["progress_pct"] == 100.0 and items["超额"]["target_progress_pct"] > 100
    assert items["无目标"]["progress_pct"] is None and items["无目标"]["progress_source"] is None
