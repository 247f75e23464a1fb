"""The summary's key projects (重点项目推进情况表) and the named attention items."""

from __future__ import annotations

import datetime as dt

from parkdesk.dispatch import DispatchRecord, Node, Problem
from parkdesk.key_projects import key_projects_section
from parkdesk.project_stats import attention
from parkdesk.projects import Project


def add(desk, name, stage, total, level="一般", **dates):
    return desk.projects.save(Project(name=name, stage=stage, total_investment=total, level=level, **dates))


def test_key_projects_by_level_or_size_under_construction_or_produced(desk):
    """市重点 or ≥ 1亿元, building or put into production in the period; latest dispatch up to its end."""
    big = add(desk, "大项目", "已开工", 20000, started_on="2025-05-01")
    add(desk, "市重点小项目", "已开工", 3000, level="市重点", started_on="2026-03-01")
    add(desk, "一般小项目", "已开工", 3000, started_on="2026-03-01")  # neither key level nor 1亿
    add(desk, "去年投产项目", "已投产", 50000, started_on="2024-01-01", production_on="2025-06-01")
    add(desk, "今年投产项目", "已投产", 15000, level="省重点", started_on="2025-01-01", production_on="2026-04-01")
    add(desk, "未开工项目", "已签约", 90000, signed_on="2026-02-01")
    save = desk.projects.save_dispatch
    save(DispatchRecord(project_id=big.id, year=2026, month=7, invested_month=800, invested_to_date=9000,
                        progress="主体施工"))
    save(DispatchRecord(project_id=big.id, year=2026, month=8, invested_month=500, invested_to_date=9500))
    save(DispatchRecord(project_id=big.id, year=2026, month=9, invested_month=700, invested_to_date=10200,
                        progress="主体封顶"))
    section = key_projects_section(desk, 2026, 8)
    rows = {p["name"]: p for p in section["projects"]}
    assert list(rows) == ["今年投产项目", "市重点小项目", "大项目"]  # by level, then investment
    assert rows["大项目"]["invested_to_date_wan"] == 9500 and rows["大项目"]["progress"] == "主体施工"
    assert rows["大项目"]["invested_in_period_wan"] == 1300 and rows["大项目"]["construction"] == "续建"
    assert rows["市重点小项目"]["construction"] == "新建" and rows["市重点小项目"]["status"] == "在建"
    assert rows["今年投产项目"]["status"] == "已投产" and rows["今年投产项目"]["progress"] == ""


def test_attention_names_overdue_nodes_and_open_problems(desk):
    """The report's 存在的问题 reads the overdue nodes and open problems by name."""
    p = add(desk, "甲项目", "已开工", 5000, started_on="2026-01-01")
    desk.projects.save_node(Node(project_id=p.id, name="主体封顶", planned_on="2026-05-01"))
    desk.projects.save_problem(Problem(project_id=p.id, description="用地未批", raised_on="2026-03-01",
                                       deadline="2026-04-01"))
    att = attention(desk, dt.date(2026, 8, 31))
    assert att["overdue_nodes"] == [{"project": "甲项目", "node": "主体封顶", "planned_on": "2026-05-01"}]
    assert att["open_problems"] == [{"project": "甲项目", "description": "用地未批", "deadline": "2026-04-01",
                                     "overdue": True}]
