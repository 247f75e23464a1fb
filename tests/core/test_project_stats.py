"""Project statistics of a period: boundaries, scope, cohorts, activities, plan targets."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from parkdesk import catalog
from parkdesk.activities import Activity
from parkdesk.errors import ValidationError
from parkdesk.project_stats import period_bounds, project_stat, projects_section
from parkdesk.projects import Project
from tests.conftest import run_main


def add(desk, name, stage, total=None, **dates):
    """Save a project at ``stage`` with the given dates (ISO text)."""
    extra = {k: v for k, v in dates.items() if not k.endswith("_on")}
    dates = {k: v for k, v in dates.items() if k.endswith("_on")}
    if stage == "已终止":
        extra.setdefault("termination_reason", "投资方撤资")
    return desk.projects.save(Project(name=name, stage=stage, total_investment=total, **dates, **extra))


def test_period_is_january_first_to_last_day_of_month():
    """(2024, 2) runs from 1 January to 29 February; a bad month is refused."""
    assert period_bounds(2024, 2) == (dt.date(2024, 1, 1), dt.date(2024, 2, 29))
    assert period_bounds(2026, 12) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    with pytest.raises(ValidationError):
        period_bounds(2026, 13)


def test_signed_on_last_day_of_month_counts_first_day_of_next_does_not(desk):
    """A project signed on 31 August counts for 1—8月; one signed on 1 September does not."""
    add(desk, "八月末签约", "已签约", 5000, signed_on="2026-08-31")
    add(desk, "九月初签约", "已签约", 5000, signed_on="2026-09-01")
    add(desk, "元旦签约", "已签约", 5000, signed_on="2026-01-01")
    add(desk, "去年底签约", "已签约", 5000, signed_on="2025-12-31")
    s = projects_section(desk, 2026, 8)
    assert sorted(s["signed_in_period"]) == ["元旦签约", "八月末签约"]
    assert s["signed_count"] == 2
    s9 = projects_section(desk, 2026, 9)
    assert "九月初签约" in s9["signed_in_period"] and len(s9["signed_in_period"]) == 3
    assert project_stat(desk, "signed", 2026, 8) == 2.0
    assert project_stat(desk, "signed", 2026) == 3.0


def test_started_and_production_lists_follow_their_dates(desk):
    """开工 and 投产 lists use the 开工 and 投产 dates inside the period."""
    add(desk, "甲", "已投产", 30000, signed_on="2025-03-01", started_on="2025-06-01", production_on="2026-05-31")
    add(desk, "乙", "已开工", 8000, signed_on="2026-02-01", started_on="2026-06-30")
    add(desk, "丙", "已开工", 9000, signed_on="2026-02-01", started_on="2026-07-01")
    s = projects_section(desk, 2026, 6)
    assert s["put_into_production_in_period"] == ["甲"]
    assert s["started_in_period"] == ["乙"]
    assert project_stat(desk, "started", 2026, 6) == 1.0
    assert project_stat(desk, "put_into_production", 2026, 6) == 1.0
    assert project_stat(desk, "put_into_production", 2026, 4) == 0.0


def test_same_period_last_year_counts(desk):
    """Signed / started / put into production in 1—N月 of last year; to the same day while the period runs."""
    add(desk, "老项目", "已投产", 9000, signed_on="2023-05-01", started_on="2023-09-01", production_on="2024-12-01")
    add(desk, "去年上半年", "已投产", 8000, signed_on="2025-02-01", started_on="2025-04-01", production_on="2025-06-30")
    add(desk, "去年七月", "已开工", 7000, signed_on="2025-07-01", started_on="2025-07-15")
    add(desk, "去年十二月", "已签约", 6000, signed_on="2025-12-20")
    add(desk, "今年", "已开工", 5000, signed_on="2026-01-10", started_on="2026-03-01")
    s = projects_section(desk, 2026, 6, today=dt.date(2026, 11, 22))
    assert (s["signed_count_last_year"], s["started_count_last_year"], s["put_into_production_count_last_year"]) \
        == (1, 1, 1)
    assert (s["last_year_period_start"], s["last_year_period_end"]) == ("2025-01-01", "2025-06-30")
    annual = projects_section(desk, 2026, 12, today=dt.date(2026, 11, 22))
    assert annual["last_year_period_end"] == "2025-11-22"  # this year's ledger stops at today
    assert annual["signed_count_last_year"] == 2 and annual["started_count_last_year"] == 2
    done = projects_section(desk, 2025, 12, today=dt.date(2026, 11, 22))
    assert done["signed_count_last_year"] == 0 and done["put_into_production_count_last_year"] == 1
    first = projects_section(desk, 2023, 12, today=dt.date(2026, 11, 22))
    assert first["signed_count_last_year"] is None  # the ledger does not reach back to 2022


def test_lists_are_ordered_by_investment_then_date(desk):
    """Largest total investment first; equal investments by date; unknown investment last."""
    add(desk, "小项目", "已签约", 3000, signed_on="2026-01-05")
    add(desk, "未填投资", "已签约", None, signed_on="2026-01-01")
    add(desk, "大项目", "已签约", 90000, signed_on="2026-03-05")
    add(desk, "中项目晚", "已签约", 20000, signed_on="2026-02-20")
    add(desk, "中项目早", "已签约", 20000, signed_on="2026-02-10")
    assert projects_section(desk, 2026, 12)["signed_in_period"] == ["大项目", "中项目早", "中项目晚", "小项目", "未填投资"]


def test_over_100m_boundary_is_exactly_ten_thousand_wan(desk):
    """亿元以上 means total investment ≥ 10000万元: 10000 counts, 9999.99 does not."""
    add(desk, "正好一亿", "已签约", 10000, signed_on="2026-03-01")
    add(desk, "差一点", "已签约", 9999.99, signed_on="2026-03-01")
    add(desk, "十亿", "已签约", 100000, signed_on="2026-03-01")
    add(desk, "去年的大项目", "已签约", 50000, signed_on="2025-03-01")
    s = projects_section(desk, 2026, 12)
    assert s["over_100m_count"] == 2
    assert s["over_1b_count"] == 1
    assert s["over_100m_active_count"] == 3  # the whole ledger
    assert project_stat(desk, "signed_over_100m", 2026) == 2.0


def test_money_totals_cover_projects_signed_in_period(desk):
    """Totals add total, contract and arrived money of the projects signed in the period only."""
    add(desk, "A", "已签约", 20000, signed_on="2026-02-01", contract_investment=18000, funds_arrived=5000)
    add(desk, "B", "已开工", 6000, signed_on="2026-04-01", started_on="2026-05-01", contract_investment=6000,
        funds_arrived=1500.5)
    add(desk, "旧", "已开工", 50000, signed_on="2025-04-01", started_on="2025-05-01", contract_investment=50000,
        funds_arrived=30000)
    add(desk, "在谈", "在谈", 70000)
    s = projects_section(desk, 2026, 12)
    assert s["total_investment_wan"] == 26000
    assert s["contract_investment_wan"] == 24000
    assert s["funds_arrived_wan"] == 6500.5
    assert s["ledger"] == {"count": 4, "total_investment_wan": 146000, "contract_investment_wan": 74000,
                           "funds_arrived_wan": 36500.5, "over_100m_count": 3}
    assert project_stat(desk, "contract_investment", 2026) == pytest.approx(2.4)
    assert project_stat(desk, "funds_arrived", 2026) == pytest.approx(0.65005)


def test_terminated_projects_leave_the_period_lists_once_terminated(desk):
    """A project terminated by the period end is not counted; one terminated later still is."""
    add(desk, "早终止", "已终止", 20000, signed_on="2026-02-01", terminated_on="2026-05-01")
    add(desk, "晚终止", "已终止", 20000, signed_on="2026-02-01", terminated_on="2026-10-01")
    assert projects_section(desk, 2026, 6)["signed_in_period"] == ["晚终止"]
    assert projects_section(desk, 2026, 12)["signed_in_period"] == []
    assert projects_section(desk, 2026, 12)["total_investment_wan"] == 0


def test_conversion_rate_is_the_signing_cohort_started_by_period_end(desk):
    """Of the projects signed from 1 January to the period end, the share started by the period end."""
    add(desk, "签约开工", "已开工", 1000, signed_on="2026-01-10", started_on="2026-03-01")
    add(desk, "签约未开工", "已签约", 1000, signed_on="2026-02-10")
    add(desk, "期后开工", "已开工", 1000, signed_on="2026-03-10", started_on="2026-07-15")
    add(desk, "签约后终止", "已终止", 1000, signed_on="2026-04-10", terminated_on="2026-05-01")
    add(desk, "去年签约今年开工", "已开工", 1000, signed_on="2025-11-10", started_on="2026-02-01")
    add(desk, "期后签约", "已签约", 1000, signed_on="2026-08-10")
    s = projects_section(desk, 2026, 6)
    assert s["conversion_cohort"] == {"signed": 4, "started": 1}
    assert s["conversion_rate_pct"] == 25.0
    s = projects_section(desk, 2026, 12)
    assert s["conversion_cohort"] == {"signed": 5, "started": 2}
    assert s["conversion_rate_pct"] == 40.0


def test_conversion_rate_is_null_without_signings(desk):
    """No project signed in the year: the rate is null (not 0, not an error)."""
    add(desk, "线索", "线索", 1000)
    assert projects_section(desk, 2026, 12)["conversion_rate_pct"] is None


def test_by_stage_lists_every_stage_with_synonyms_resolved(desk):
    """by_stage has all seven stages (zeros included); synonyms count under the canonical stage."""
    add(desk, "在建的", "在建", 1000, started_on="2026-01-05")
    add(desk, "洽谈中", "洽谈", 1000)
    add(desk, "调试中", "安装调试", 1000, started_on="2025-05-05", trial_on="2026-01-05")
    add(desk, "投产了", "投产", 1000, production_on="2026-01-05")
    by_stage = projects_section(desk, 2026, 3)["by_stage"]
    assert list(by_stage) == list(catalog.ALL_STAGES)
    assert by_stage == {"线索": 0, "在谈": 1, "已签约": 0, "已开工": 1, "试生产": 1, "已投产": 1, "已终止": 0}


def test_by_stage_at_period_end_reads_the_history(desk):
    """The stage history gives the counts at the end of an earlier period."""
    p = add(desk, "推进中", "已签约", 1000, signed_on="2026-01-10")
    desk.projects.change_stage(p.id, "已开工", "2026-05-10")
    early = projects_section(desk, 2026, 3)
    assert early["by_stage"]["已开工"] == 1
    assert early["by_stage_at_period_end"]["已签约"] == 1 and early["by_stage_at_period_end"]["已开工"] == 0


def test_under_construction_splits_new_and_continued(desk):
    """在建 in the period = started this year (新建) + started before and still building (续建)."""
    add(desk, "新建", "已开工", 1000, started_on="2026-03-01")
    add(desk, "续建", "已开工", 2000, started_on="2025-03-01")
    add(desk, "续建已投产", "已投产", 3000, started_on="2025-03-01", production_on="2026-02-01")
    add(desk, "去年已投产", "已投产", 4000, started_on="2024-03-01", production_on="2025-02-01")
    add(desk, "期后开工", "已开工", 5000, started_on="2026-09-01")
    s = projects_section(desk, 2026, 6)
    assert (s["under_construction_count"], s["new_started_count"], s["continued_count"]) == (3, 1, 2)
    assert s["under_construction_investment_wan"] == 6000


def test_activity_totals_of_the_period(desk):
    """Trips, days, companies, delegations, leads and events are summed over the period only."""
    a = desk.projects.save_activity
    a(Activity(held_on="2026-03-01", activity_type="外出招商", days=3, companies_visited=5, leads_collected=2))
    a(Activity(held_on="2026-08-31", activity_type="外出招商", days=2, companies_visited=4, leads_collected=1))
    a(Activity(held_on="2026-04-01", activity_type="接待客商", delegations_received=2, leads_collected=1))
    a(Activity(held_on="2026-04-02", activity_type="接待客商"))  # no number: still one delegation
    a(Activity(held_on="2026-05-01", activity_type="拜访企业"))  # no number: still one company
    a(Activity(held_on="2026-06-01", activity_type="推介会", companies_visited=10, leads_collected=6))
    a(Activity(held_on="2026-09-01", activity_type="外出招商", days=4, companies_visited=9))
    acts = projects_section(desk, 2026, 8)["activities"]
    assert {k: acts[k] for k in ("outbound_trips", "outbound_days", "companies_visited", "delegations_received",
                                 "leads_collected", "promotion_events", "total")} == {
        "outbound_trips": 2, "outbound_days": 5, "companies_visited": 20, "delegations_received": 3,
        "leads_collected": 10, "promotion_events": 1, "total": 6}
    assert project_stat(desk, "outbound_trips", 2026, 8) == 2.0
    assert project_stat(desk, "companies_visited", 2026, 8) == 20.0
    assert project_stat(desk, "delegations_received", 2026, 8) == 3.0
    assert project_stat(desk, "leads_collected", 2026, 8) == 10.0
    assert project_stat(desk, "outbound_trips", 2026) == 3.0


def test_project_stat_covers_every_catalog_key_and_refuses_others(demo_desk):
    """Every PROJECT_STATS key gives a float that agrees with the summary; unknown keys are refused."""
    s = projects_section(demo_desk, 2026, 10)
    expected = {
        "signed": len(s["signed_in_period"]), "signed_over_100m": s["over_100m_count"],
        "started": len(s["started_in_period"]), "put_into_production": len(s["put_into_production_in_period"]),
        "contract_investment": s["contract_investment_wan"] / 10000, "funds_arrived": s["funds_arrived_wan"] / 10000,
        "outbound_trips": s["activities"]["outbound_trips"], "companies_visited": s["activities"]["companies_visited"],
        "delegations_received": s["activities"]["delegations_received"],
        "leads_collected": s["activities"]["leads_collected"],
    }
    assert set(expected) == set(catalog.PROJECT_STATS)
    for key, value in expected.items():
        got = project_stat(demo_desk, key, 2026, 10)
        assert isinstance(got, float)
        assert got == pytest.approx(value), key
    assert expected["signed"] > 0 and expected["outbound_trips"] > 0
    with pytest.raises(ValidationError, match="未知"):
        project_stat(demo_desk, "nonsense", 2026)


def test_attention_counts_stalled_overdue_and_open_as_of_a_day(desk):
    """Stalled projects, overdue nodes and open problems are counted as of the given day."""
    from parkdesk.dispatch import Node, Problem

    desk.settings.set("projects.stalled_days", 100)
    old = add(desk, "停滞", "已签约", 1000, signed_on="2026-01-01")
    add(desk, "刚签", "已签约", 1000, signed_on="2026-05-01")
    add(desk, "投产不算停滞", "已投产", 1000, production_on="2025-01-01")
    desk.projects.save_node(Node(project_id=old.id, name="开工", planned_on="2026-04-01"))
    desk.projects.save_node(Node(project_id=old.id, name="封顶", planned_on="2026-09-01"))
    desk.projects.save_problem(Problem(project_id=old.id, description="用地未批", raised_on="2026-03-01",
                                       deadline="2026-04-30"))
    att = projects_section(desk, 2026, 6, today=dt.date(2026, 11, 1))["attention"]
    assert att["as_of"] == "2026-06-30"
    assert att["stalled"] == ["停滞"]
    assert (att["overdue_node_count"], att["open_problem_count"], att["overdue_problem_count"]) == (1, 1, 1)


def test_summary_json_has_the_projects_contract_keys(demo_path):
    """`summary --json` carries every key the issue names under "projects"."""
    result = run_main("summary", "--db", demo_path, "--year", "2026", "--through", "10", "--json")
    assert result.returncode == 0, result.stderr
    p = json.loads(result.stdout)["projects"]
    for key in ("by_stage", "signed_in_period", "started_in_period", "put_into_production_in_period",
                "over_100m_count", "conversion_rate_pct", "total_investment_wan", "contract_investment_wan",
                "funds_arrived_wan", "activities"):
        assert key in p, key
    assert set(p["by_stage"]) == set(catalog.ALL_STAGES)
    assert sum(p["by_stage"].values()) == 72
    for key in ("outbound_trips", "outbound_days", "companies_visited", "delegations_received", "leads_collected",
                "promotion_events", "total"):
        assert isinstance(p["activities"][key], int), key
    assert all(isinstance(n, str) for n in p["signed_in_period"])
    assert p["signed_in_period"] and p["put_into_production_in_period"]
    assert 0 <= p["conversion_rate_pct"] <= 100


def test_imported_project_counts_at_period_end_by_its_stage_dates(desk, tmp_path):
    """A project imported at 试生产 (dated the import day) with 开工 2024-09-01 counts as 已开工 at 2025's end,
    and its history holds the 签约 and 开工 steps."""
    from openpyxl import Workbook

    from parkdesk import exchange
    from parkdesk.exchange.projects import HEADERS

    wb = Workbook()
    ws = wb.active
    ws.title = "项目台账"
    ws.append(HEADERS)
    values = {"项目名称": "调试项目", "当前阶段": "试生产", "签约日期": "2024-06-01", "开工日期": "2024-09-01"}
    ws.append([values.get(h) for h in HEADERS])
    wb.save(tmp_path / "p.xlsx")
    exchange.import_file(desk, "projects", tmp_path / "p.xlsx")
    today = dt.date.today().isoformat()
    p = desk.projects.find("调试项目")
    assert [(h["stage"], h["changed_on"]) for h in desk.projects.stage_history(p.id)] == [
        ("已签约", "2024-06-01"), ("已开工", "2024-09-01"), ("试生产", today)]
    at_end = projects_section(desk, 2025, 12)["by_stage_at_period_end"]
    assert at_end["已开工"] == 1 and sum(at_end.values()) == 1
    assert projects_section(desk, 2024, 7)["by_stage_at_period_end"]["已签约"] == 1


def test_new_project_saved_at_a_later_stage_has_its_earlier_steps(desk):
    """Saving a new 已投产 project with its dates records 签约, 开工 and 投产 in the history."""
    p = add(desk, "新录入", "已投产", 1000, signed_on="2025-01-05", started_on="2025-03-01",
            production_on="2026-02-01")
    assert [h["stage"] for h in desk.projects.stage_history(p.id)] == ["已签约", "已开工", "已投产"]
    assert projects_section(desk, 2025, 6)["by_stage_at_period_end"]["已开工"] == 1
    same_day = add(desk, "同日", "已开工", 1000, signed_on="2025-04-01", started_on="2025-04-01")
    assert projects_section(desk, 2025, 4)["by_stage_at_period_end"]["已开工"] == 2
    assert [h["stage"] for h in desk.projects.stage_history(same_day.id)] == ["已签约", "已开工"]


def test_period_end_stage_falls_back_on_stage_dates_for_old_history(desk):
    """A database whose history holds only the current stage still counts by the stage dates."""
    p = add(desk, "旧库项目", "已投产", 1000, signed_on="2024-01-05", started_on="2024-03-01",
            production_on="2026-02-01")
    desk.db.execute("DELETE FROM project_stage_history WHERE project_id = ? AND stage != '已投产'", [p.id])
    at_end = projects_section(desk, 2025, 12)["by_stage_at_period_end"]
    assert at_end["已开工"] == 1 and at_end["已投产"] == 0
    assert projects_section(desk, 2024, 2)["by_stage_at_period_end"]["已签约"] == 1
    assert projects_section(desk, 2023, 12)["by_stage_at_period_end"] == {s: 0 for s in catalog.ALL_STAGES}
