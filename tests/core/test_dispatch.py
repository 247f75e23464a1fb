"""Dispatch records, problems, node plans, activities and the month's dispatch sheet."""

from __future__ import annotations

import datetime as dt

import pytest

from parkdesk.activities import Activity
from parkdesk.dispatch import DispatchRecord, Node, Problem, node_status
from parkdesk.errors import ValidationError
from parkdesk.projects import Project


@pytest.fixture
def site(desk):
    """A project under construction since 2025-06-01."""
    return desk.projects.save(Project(name="在建项目", stage="已开工", signed_on="2025-05-01", started_on="2025-06-01",
                                      total_investment=20000, level="市重点"))


def test_dispatch_record_is_one_per_month_and_to_date_is_computed(desk, site):
    """Saving the same month twice updates it; an empty 累计 is last month's plus this month's."""
    save = desk.projects.save_dispatch
    save(DispatchRecord(project_id=site.id, year=2026, month=1, invested_month=500, invested_to_date=8000))
    r = save(DispatchRecord(project_id=site.id, year=2026, month=2, invested_month=300, progress="主体施工"))
    assert r.invested_to_date == 8300
    again = save(DispatchRecord(project_id=site.id, year=2026, month=2, invested_month=400, invested_to_date=8400,
                                approval_eia="已办结", in_statistics=True))
    assert again.id == r.id
    stored = desk.projects.get_dispatch(site.id, 2026, 2)
    assert (stored.invested_month, stored.invested_to_date, stored.approval_eia, stored.in_statistics) == (
        400, 8400, "已办结", True)
    assert [(d.year, d.month) for d in desk.projects.project_dispatches(site.id)] == [(2026, 2), (2026, 1)]


def test_dispatch_validation(desk, site):
    """Month 1—12, money ≥ 0, 累计 not below this month; the project must exist."""
    save = desk.projects.save_dispatch
    for bad, match in ((dict(month=13), "月份"), (dict(month=0), "月份"), (dict(invested_month=-1), "负数"),
                       (dict(invested_month=100, invested_to_date=50), "累计"), (dict(project_id=999), "不存在")):
        args = {**dict(project_id=site.id, year=2026, month=3), **bad}
        with pytest.raises(ValidationError, match=match):
            save(DispatchRecord(**args))
    assert desk.projects.project_dispatches(site.id) == []


def test_problems_raised_in_a_dispatch_are_saved_with_it_or_not_at_all(desk, site):
    """A record and its problems are one transaction: a bad problem keeps both out."""
    save = desk.projects.save_dispatch
    with pytest.raises(ValidationError, match="问题"):
        save(DispatchRecord(project_id=site.id, year=2026, month=4, invested_month=10),
             problems=[Problem(description="缺电", responsible_unit="供电公司"), Problem(description="  ")])
    assert desk.projects.get_dispatch(site.id, 2026, 4) is None
    assert desk.projects.project_problems(site.id) == []
    r = save(DispatchRecord(project_id=site.id, year=2026, month=4, invested_month=10),
             problems=[Problem(description="缺电", responsible_unit="供电公司", deadline="2026-05-15")])
    (q,) = desk.projects.dispatch_problems(r.id)
    assert (q.raised_on, q.deadline, q.resolved) == ("2026-04-30", "2026-05-15", False)
    save(DispatchRecord(project_id=site.id, year=2026, month=4, invested_month=10), delete_problems=[q.id])
    assert desk.projects.project_problems(site.id) == []


def test_problem_resolution(desk, site):
    """Resolving sets the date; a solved date before the raised date is refused."""
    q = desk.projects.save_problem(Problem(project_id=site.id, description="用地报批", raised_on="2026-03-01"))
    with pytest.raises(ValidationError, match="早于"):
        desk.projects.resolve_problem(q.id, "2026-02-01")
    q = desk.projects.resolve_problem(q.id, "2026-03-20")
    assert (q.resolved, q.resolved_on) == (True, "2026-03-20")
    assert desk.projects.project_problems(site.id, open_only=True) == []
    q.resolved = False
    q = desk.projects.save_problem(q)
    assert q.resolved_on is None


def test_node_status_red_yellow_by_fixed_dates():
    """Planned date passed without an actual date: overdue; within 15 days: due soon."""
    today = dt.date(2026, 11, 1)
    assert node_status("2026-10-31", None, today) == "overdue"
    assert node_status("2026-11-01", None, today) == "due_soon"
    assert node_status("2026-11-16", None, today) == "due_soon"
    assert node_status("2026-11-17", None, today) == "pending"
    assert node_status("2026-10-01", "2026-10-20", today) == "done"
    assert node_status(None, None, today) == "unplanned"
    assert node_status("2026-11-20", None, today, warn_days=30) == "due_soon"


def test_nodes_are_kept_in_plan_order(desk, site):
    """New nodes go to the end of the plan; editing keeps their place; names are required."""
    n1 = desk.projects.save_node(Node(project_id=site.id, name="主体封顶", planned_on="2026-05-01"))
    desk.projects.save_node(Node(project_id=site.id, name="竣工验收", planned_on="2026-03-01"))
    n1.actual_on = "2026年5月3日"
    desk.projects.save_node(n1)
    nodes = desk.projects.project_nodes(site.id)
    assert [n.name for n in nodes] == ["主体封顶", "竣工验收"]
    assert nodes[0].actual_on == "2026-05-03"
    with pytest.raises(ValidationError, match="节点名称"):
        desk.projects.save_node(Node(project_id=site.id, name=""))
    with pytest.raises(ValidationError, match="日期"):
        desk.projects.save_node(Node(project_id=site.id, name="x", planned_on="明年"))
    desk.projects.delete_node(n1.id)
    assert len(desk.projects.project_nodes(site.id)) == 1


def test_cross_project_lists_of_overdue_nodes_and_open_problems(desk, site):
    """Overdue and due-soon nodes and open problems of active projects, most urgent first."""
    gone = desk.projects.save(Project(name="终止项目", stage="已终止", termination_reason="撤资"))
    other = desk.projects.save(Project(name="另一个", stage="已签约", signed_on="2026-01-01"))
    desk.projects.save_node(Node(project_id=site.id, name="封顶", planned_on="2026-10-01"))
    desk.projects.save_node(Node(project_id=other.id, name="摘牌", planned_on="2026-11-10"))
    desk.projects.save_node(Node(project_id=other.id, name="开工", planned_on="2026-12-30"))
    desk.projects.save_node(Node(project_id=site.id, name="已完成", planned_on="2026-01-01", actual_on="2026-01-02"))
    desk.projects.save_node(Node(project_id=gone.id, name="终止的不算", planned_on="2026-01-01"))
    items = desk.projects.overdue_nodes(dt.date(2026, 11, 1))
    assert [(i["project"], i["node"].name, i["status"], i["days"]) for i in items] == [
        ("在建项目", "封顶", "overdue", 31), ("另一个", "摘牌", "due_soon", 9)]
    desk.projects.save_problem(Problem(project_id=site.id, description="超期", deadline="2026-10-15"))
    desk.projects.save_problem(Problem(project_id=other.id, description="未到期", deadline="2026-12-15"))
    desk.projects.save_problem(Problem(project_id=gone.id, description="终止的不算"))
    problems = desk.projects.open_problems(dt.date(2026, 11, 1))
    assert [(p["project"], p["problem"].description, p["overdue"]) for p in problems] == [
        ("在建项目", "超期", True), ("另一个", "未到期", False)]


def test_dispatch_sheet_lists_projects_under_construction_in_the_month(desk, site):
    """The sheet holds projects building in the month with that month's record and problems open at month end."""
    desk.projects.save(Project(name="今年新开工", stage="已开工", started_on="2026-03-10", total_investment=50000,
                               level="省重点"))
    desk.projects.save(Project(name="上月投产", stage="已投产", started_on="2025-01-01", production_on="2026-02-20"))
    desk.projects.save(Project(name="本月投产", stage="已投产", started_on="2025-01-01", production_on="2026-03-20"))
    desk.projects.save(Project(name="下月开工", stage="已开工", started_on="2026-04-01"))
    desk.projects.save(Project(name="签约未开工", stage="已签约", signed_on="2026-01-01"))
    desk.projects.save_dispatch(DispatchRecord(project_id=site.id, year=2026, month=3, invested_month=600,
                                               invested_to_date=9000, progress="主体封顶", next_steps="设备进场"))
    desk.projects.save_problem(Problem(project_id=site.id, description="缺电", responsible_unit="供电公司",
                                       raised_on="2026-02-01", deadline="2026-04-15"))
    desk.projects.save_problem(Problem(project_id=site.id, description="四月才提", raised_on="2026-04-02"))
    desk.projects.save_problem(Problem(project_id=site.id, description="二月已解决", raised_on="2026-02-01",
                                       resolved=True, resolved_on="2026-02-20"))
    rows = desk.projects.dispatch_sheet(2026, 3)
    assert [r.name for r in rows] == ["今年新开工", "在建项目", "本月投产"]  # 省重点 first
    built = {r.name: r for r in rows}
    assert built["今年新开工"].construction == "新建" and built["在建项目"].construction == "续建"
    assert built["在建项目"].record.progress == "主体封顶"
    assert built["在建项目"].problems_text() == "1.缺电（供电公司，2026-04-15前）"
    assert built["今年新开工"].record is None
    with pytest.raises(ValidationError):
        desk.projects.dispatch_sheet(2026, 13)


def test_activity_with_linked_projects(desk, site):
    """An activity keeps its linked projects; editing replaces them; deleting removes the links."""
    other = desk.projects.save(Project(name="线索项目"))
    a = desk.projects.save_activity(Activity(held_on="2026/3/5", activity_type="外出招商", title="赴深圳招商",
                                             place="深圳", leader="王建国", days=3, companies_visited=6,
                                             leads_collected=2, project_ids=[site.id, other.id, site.id]))
    got = desk.projects.get_activity(a.id)
    assert got.held_on == "2026-03-05" and sorted(got.project_ids) == sorted([site.id, other.id])
    got.project_ids = [other.id]
    got.days = 4
    desk.projects.save_activity(got)
    (listed,) = desk.projects.activity_list("2026-01-01", "2026-12-31")
    assert (listed.days, listed.project_names) == (4, ["线索项目"])
    assert desk.projects.activity_list("2026-04-01", "2026-12-31") == []
    desk.projects.delete_activity(a.id)
    assert desk.db.execute("SELECT count(*) FROM activity_projects").fetchone()[0] == 0


def test_activity_validation(desk):
    """Type, date and counts are checked; a missing linked project is refused; nothing is written."""
    bad = [
        (Activity(held_on=None), "日期"), (Activity(held_on="2026-01-01", activity_type="旅游"), "类型"),
        (Activity(held_on="2026-01-01", companies_visited=-1), "负数"),
        (Activity(held_on="2026-01-01", days=1.5), "整数"),
        (Activity(held_on="2026-01-01", project_ids=[12345]), "不存在"),
        (Activity(held_on="不是日期"), "日期"),
    ]
    for activity, match in bad:
        with pytest.raises(ValidationError, match=match):
            desk.projects.save_activity(activity)
    assert desk.projects.activity_list() == []
