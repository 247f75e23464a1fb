"""The demo park: deterministic, realistic and consistent."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from parkdesk import catalog
from parkdesk.demo import create_demo
from parkdesk.errors import ValidationError
from tests.conftest import DEMO_AS_OF


def _dump(desk):
    tables = ("indicator_values", "indicator_years", "projects", "dispatch_records", "project_nodes",
              "project_problems", "activities", "plan_items", "park_profile")
    out = {}
    for t in tables:
        cols = [r[1] for r in desk.db.execute(f"PRAGMA table_info({t})") if r[1] not in ("created_at", "updated_at")]
        out[t] = desk.db.execute(f"SELECT {', '.join(cols)} FROM {t} ORDER BY id").fetchall()
    return out


def test_demo_is_deterministic(tmp_path, demo_desk):
    """The same reference date always gives the same database."""
    other = create_demo(tmp_path / "again.db", as_of=DEMO_AS_OF)
    try:
        assert _dump(other) == _dump(demo_desk)
    finally:
        other.close()


def test_demo_refuses_a_database_with_data(demo_path):
    """The demo never writes into a database that already holds data."""
    with pytest.raises(ValidationError, match="已有数据"):
        create_demo(demo_path, as_of=DEMO_AS_OF)


def test_demo_park_profile(demo_desk):
    """The park has a name, superiors and three leading industries."""
    p = demo_desk.park.profile()
    assert p.name.endswith("开发区")
    assert p.superiors
    assert len(p.leading_industries) == 3


def test_demo_indicator_history_and_cumulative_growth(demo_desk):
    """Three full past years plus this year to date; cumulative values never fall within a year."""
    db = demo_desk.db
    years = [y for (y,) in db.execute("SELECT DISTINCT year FROM indicator_values ORDER BY year")]
    assert years[-1] == 2026 and len(years) >= 4
    for y in years[:-1]:
        assert db.execute("SELECT count(*) FROM indicator_values WHERE year = ? AND month = 12", [y]).fetchone()[0] > 30
    assert db.execute("SELECT max(month) FROM indicator_values WHERE year = 2026").fetchone()[0] == 10
    inds = {i.id: i for i in demo_desk.indicators.list()}
    series = defaultdict(list)
    for ind_id, year, month, value in db.execute(
        "SELECT indicator_id, year, month, value FROM indicator_values WHERE value IS NOT NULL ORDER BY year, month"
    ):
        series[(ind_id, year)].append(value)
    checked = 0
    for (ind_id, _year), values in series.items():
        if inds[ind_id].kind == catalog.CUMULATIVE:
            assert values == sorted(values), inds[ind_id].name
            checked += 1
    assert checked > 60
    # growth of the main indicator is plausible year on year
    main = demo_desk.indicators.by_name("技工贸总收入").id
    totals = [v for (v,) in db.execute(
        "SELECT value FROM indicator_values WHERE indicator_id = ? AND month = 12 ORDER BY year", [main])]
    for a, b in zip(totals, totals[1:]):
        assert -0.2 < b / a - 1 < 0.35


def test_demo_projects_cover_every_stage_with_consistent_dates(demo_desk):
    """60+ projects across every stage; stages reached in order; production after start."""
    db = demo_desk.db
    projects = demo_desk.projects.list()
    assert len(projects) >= 60
    assert {p.stage for p in projects} == set(catalog.ALL_STAGES)
    for p in projects:
        dates = [d for d in (p.lead_on, p.negotiating_on, p.signed_on, p.started_on, p.trial_on, p.production_on) if d]
        assert dates == sorted(dates), p.name
        if p.production_on:
            assert p.started_on and p.started_on < p.production_on
        if p.stage == catalog.STAGE_TERMINATED:
            assert p.termination_reason
        assert p.stage_changed_on <= DEMO_AS_OF.isoformat()
        history = demo_desk.projects.stage_history(p.id)
        assert history[-1]["stage"] == p.stage
    assert db.execute("SELECT count(*) FROM dispatch_records").fetchone()[0] > 200
    assert db.execute("SELECT count(*) FROM project_nodes").fetchone()[0] > 100
    assert db.execute("SELECT count(*) FROM project_problems WHERE resolved = 0").fetchone()[0] > 0
    assert db.execute("SELECT count(*) FROM project_problems WHERE resolved = 1").fetchone()[0] > 0
    # this year's period has projects signed, started and put into production
    for col in ("signed_on", "started_on", "production_on"):
        assert db.execute(f"SELECT count(*) FROM projects WHERE {col} LIKE '2026-%'").fetchone()[0] >= 3


def test_demo_dispatch_investment_adds_up(demo_desk):
    """Monthly dispatch investment sums to the figure to date, never above the total."""
    db = demo_desk.db
    for p in demo_desk.projects.list():
        recs = demo_desk.projects.dispatch_records(p.id)
        acc = 0.0
        for r in recs:
            acc += r["invested_month"]
            assert r["invested_to_date"] == pytest.approx(acc, abs=0.5)
            assert dt.date(r["year"], r["month"], 1) <= DEMO_AS_OF
        if recs:
            assert recs[-1]["invested_to_date"] <= p.total_investment * 1.001
            assert p.started_on[:7] == f"{recs[0]['year']}-{recs[0]['month']:02d}"


def test_demo_activities_and_plans(demo_desk):
    """Promotion activities of every type; this year's and next year's plans."""
    types = {a["activity_type"] for a in demo_desk.projects.activities(2026)}
    assert types == set(catalog.ACTIVITY_TYPES)
    assert demo_desk.plans.year_items(2026) and demo_desk.plans.year_items(2027)
    statuses = {i.status for _s, i in demo_desk.plans.year_items(2026)}
    assert {"已完成", "推进中", "滞后"} <= statuses
    targeted = [i for _s, i in demo_desk.plans.year_items(2026) if i.target_kind]
    assert {i.target_kind for i in targeted} == {"indicator", "project_stat"}
    assert demo_desk.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0


def test_demo_indicators_agree_with_the_ledger_and_plans(demo_desk):
    """合同引资额, 亿元以上项目 and 固定资产投资 fit the ledger; plan texts state their own targets."""
    from parkdesk.project_stats import project_stat
    from parkdesk.projects import is_stalled

    def value(name):
        return demo_desk.db.execute(
            "SELECT v.value FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id "
            "WHERE i.name = ? AND v.year = 2026 AND v.month = 10", [name]).fetchone()[0]

    assert value("合同引资额") == pytest.approx(project_stat(demo_desk, "contract_investment", 2026, 10), abs=0.01)
    assert value("引进亿元以上项目数") == project_stat(demo_desk, "signed_over_100m", 2026, 10)
    invested = demo_desk.db.execute(
        "SELECT sum(invested_month) FROM dispatch_records WHERE year = 2026 AND month <= 10").fetchone()[0]
    assert invested / 10000 < value("固定资产投资") < invested / 10000 * 1.5
    for _section, item in demo_desk.plans.year_items(2026) + demo_desk.plans.year_items(2027):
        if item.target_stat:
            assert f"{item.target_value:g}个以上" in item.content, item.content
    active = [p for p in demo_desk.projects.list() if p.stage not in ("已投产", "已终止")]
    stalled = [p for p in active if is_stalled(p.stage, p.stage_changed_on, 180, DEMO_AS_OF)]
    assert 0 < len(stalled) <= len(active) // 4


def test_demo_construction_is_gradual_and_nodes_follow_the_stage(demo_desk):
    """Projects still building never report most of their investment in one month, and
    projects that have not started have no construction node done."""
    db = demo_desk.db
    heavy = db.execute(
        "SELECT p.name FROM dispatch_records d JOIN projects p ON p.id = d.project_id "
        "WHERE p.stage = '已开工' AND d.invested_month > 0.3 * p.total_investment").fetchall()
    assert heavy == []
    early = db.execute(
        "SELECT p.name, n.name FROM project_nodes n JOIN projects p ON p.id = n.project_id "
        "WHERE p.started_on IS NULL AND n.actual_on IS NOT NULL "
        "AND n.name NOT IN ('完成土地摘牌', '取得施工许可')").fetchall()
    assert early == []
    assert db.execute("SELECT count(*) FROM project_nodes n JOIN projects p ON p.id = n.project_id "
                      "WHERE p.started_on IS NOT NULL AND n.actual_on IS NOT NULL").fetchone()[0] > 0
