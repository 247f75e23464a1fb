"""The project ledger: validation, saving, stage changes with history, time in stage."""

from __future__ import annotations

import datetime as dt

import pytest

from parkdesk.dispatch import Node, Problem
from parkdesk.errors import ValidationError
from parkdesk.projects import Project, is_stalled, next_stage, validate_project


def test_validation_refuses_negative_money_with_the_field_named(desk):
    """Money and areas must not be negative; the message names the field in Chinese."""
    for field, label in (("total_investment", "总投资"), ("funds_arrived", "到位资金"), ("land_mu", "用地")):
        with pytest.raises(ValidationError, match=label):
            desk.projects.save(Project(name="负数", **{field: -1}))
    desk.projects.save(Project(name="零", total_investment=0, funds_arrived=0))
    assert desk.projects.count() == 1


def test_validation_requires_dates_in_order(desk):
    """签约 ≤ 开工 ≤ 试生产 ≤ 投产; equal dates are fine; 终止 is not before the last stage."""
    with pytest.raises(ValidationError, match="日期顺序"):
        desk.projects.save(Project(name="倒序", stage="已开工", signed_on="2026-05-02", started_on="2026-05-01"))
    with pytest.raises(ValidationError, match="日期顺序"):
        desk.projects.save(Project(name="倒序2", stage="已投产", started_on="2026-05-01", production_on="2026-04-30"))
    with pytest.raises(ValidationError, match="日期顺序"):
        desk.projects.save(Project(name="倒序3", stage="已投产", trial_on="2026-06-01", production_on="2026-05-30"))
    with pytest.raises(ValidationError, match="终止日期"):
        desk.projects.save(Project(name="倒序4", stage="已终止", signed_on="2026-06-01", terminated_on="2026-05-30",
                                   termination_reason="撤资"))
    desk.projects.save(Project(name="同日", stage="已投产", signed_on="2026-05-01", started_on="2026-05-01",
                               production_on="2026-05-01"))


def test_validation_refuses_dates_of_stages_not_reached(desk):
    """A project still 已签约 cannot carry a 开工日期 (the stage must be changed first)."""
    with pytest.raises(ValidationError, match="当前阶段为“已签约”.*开工日期"):
        desk.projects.save(Project(name="矛盾", stage="已签约", signed_on="2026-01-01", started_on="2026-02-01"))
    with pytest.raises(ValidationError, match="未终止"):
        desk.projects.save(Project(name="矛盾2", stage="在谈", terminated_on="2026-02-01"))


def test_terminated_needs_a_reason(desk):
    """已终止 without a reason is refused; with one it is kept."""
    with pytest.raises(ValidationError, match="终止原因"):
        desk.projects.save(Project(name="终止", stage="已终止"))
    p = desk.projects.save(Project(name="终止", stage="终止", termination_reason=" 环评未通过 "))
    assert p.stage == "已终止" and p.termination_reason == "环评未通过" and p.terminated_on


def test_origin_type_and_level_accept_synonyms_and_refuse_unknown(desk):
    """外省 → 省外, 基建 → 基础设施, 区重点 → 县区重点; an unknown origin is refused."""
    p = desk.projects.save(Project(name="同义词", origin="外省", project_type="基建", level="区重点"))
    assert (p.origin, p.project_type, p.level) == ("省外", "基础设施", "县区重点")
    with pytest.raises(ValidationError, match="来源地"):
        desk.projects.save(Project(name="未知来源", origin="火星"))
    with pytest.raises(ValidationError):
        validate_project(Project(name="x", level="特级"))


def test_name_is_required_and_unique(desk):
    """An empty name and a duplicate name are refused."""
    with pytest.raises(ValidationError, match="名称不能为空"):
        desk.projects.save(Project(name="  "))
    desk.projects.save(Project(name="唯一"))
    with pytest.raises(ValidationError, match="同名"):
        desk.projects.save(Project(name=" 唯一 "))


def test_new_project_records_its_stage_with_the_stage_date(desk):
    """A new project enters the history on the date of its stage."""
    p = desk.projects.save(Project(name="新", stage="已开工", started_on="2026-03-05"))
    assert p.stage_changed_on == "2026-03-05"
    assert desk.projects.stage_history(p.id) == [{"stage": "已开工", "changed_on": "2026-03-05", "note": ""}]


def test_change_stage_forward_records_date_and_history(desk):
    """Moving to the next stage sets the stage date and adds a dated history line."""
    p = desk.projects.save(Project(name="推进", stage="在谈", negotiating_on="2026-01-10"))
    p = desk.projects.change_stage(p.id, "签约", "2026年3月1日", note="签约仪式")
    assert (p.stage, p.signed_on, p.stage_changed_on) == ("已签约", "2026-03-01", "2026-03-01")
    p = desk.projects.change_stage(p.id, "已开工", dt.date(2026, 4, 1))
    history = desk.projects.stage_history(p.id)
    assert [(h["stage"], h["changed_on"]) for h in history] == [
        ("在谈", "2026-01-10"), ("已签约", "2026-03-01"), ("已开工", "2026-04-01")]
    assert history[1]["note"] == "签约仪式"


def test_change_stage_refuses_dates_before_the_current_stage(desk):
    """A forward move dated before the current stage began is refused; nothing changes."""
    p = desk.projects.save(Project(name="早", stage="已签约", signed_on="2026-03-01"))
    with pytest.raises(ValidationError, match="早于"):
        desk.projects.change_stage(p.id, "已开工", "2026-02-28")
    with pytest.raises(ValidationError, match="日期"):
        desk.projects.change_stage(p.id, "已开工", "")
    with pytest.raises(ValidationError, match="终止原因"):
        desk.projects.change_stage(p.id, "已终止", "2026-04-01")
    assert desk.projects.get(p.id).stage == "已签约"
    assert len(desk.projects.stage_history(p.id)) == 1


def test_change_stage_back_clears_later_dates(desk):
    """Moving back (a correction, or a terminated project resumed) clears the later stages' dates."""
    p = desk.projects.save(Project(name="回退", stage="已开工", signed_on="2026-01-01", started_on="2026-02-01"))
    p = desk.projects.change_stage(p.id, "已签约", "2026-02-10", note="开工日期录错")
    assert (p.stage, p.signed_on, p.started_on, p.stage_changed_on) == ("已签约", "2026-01-01", None, "2026-02-10")
    p = desk.projects.change_stage(p.id, "已终止", "2026-03-01", reason="企业战略调整")
    assert p.termination_reason == "企业战略调整"
    p = desk.projects.change_stage(p.id, "在谈", "2026-06-01")
    assert (p.stage, p.terminated_on, p.termination_reason, p.signed_on) == ("在谈", None, "", None)
    # The first entry is the signing implied by the 签约日期 of the project entered at 已开工.
    assert [h["stage"] for h in desk.projects.stage_history(p.id)] == ["已签约", "已开工", "已签约", "已终止", "在谈"]


def test_correcting_a_stage_date_corrects_the_history(desk):
    """Editing the 开工日期 of a started project moves its history entry and the stage clock."""
    p = desk.projects.save(Project(name="改日期", stage="已开工", started_on="2026-03-05"))
    p.started_on = "2026-03-08"
    p = desk.projects.save(p)
    assert p.stage_changed_on == "2026-03-08"
    assert desk.projects.stage_history(p.id)[0]["changed_on"] == "2026-03-08"


def test_days_in_stage_and_stalled_boundary(desk):
    """Stalled means MORE than the setting's days in an active stage; 已投产/已终止 never stall."""
    p = desk.projects.save(Project(name="时长", stage="已签约", signed_on="2026-01-01"))
    assert p.days_in_stage(dt.date(2026, 6, 30)) == 180
    assert not p.is_stalled(180, dt.date(2026, 6, 30))
    assert p.is_stalled(180, dt.date(2026, 7, 1))
    assert p.days_in_stage(dt.date(2025, 12, 1)) == 0  # a date in the future is not negative
    assert not is_stalled("已投产", "2020-01-01", 180, dt.date(2026, 1, 1))
    assert not is_stalled("已终止", "2020-01-01", 180, dt.date(2026, 1, 1))
    assert is_stalled("线索", "2020-01-01", 180, dt.date(2026, 1, 1))


def test_next_stage_follows_the_pipeline():
    """线索 → 在谈 → 已签约 → 已开工 → 试生产 → 已投产; nothing after 已投产 or 已终止."""
    assert [next_stage(s) for s in ("线索", "在谈", "已签约", "已开工", "试生产")] == [
        "在谈", "已签约", "已开工", "试生产", "已投产"]
    assert next_stage("已投产") is None and next_stage("已终止") is None


def test_ledger_rows_carry_open_problems_overdue_nodes_and_latest_dispatch(desk):
    """ledger() gives each project its open problems, overdue nodes and latest 累计完成投资."""
    from parkdesk.dispatch import DispatchRecord

    p = desk.projects.save(Project(name="台账", stage="已开工", started_on="2026-01-05"))
    q = desk.projects.save(Project(name="空白"))
    desk.projects.save_problem(Problem(project_id=p.id, description="缺电"))
    desk.projects.save_problem(Problem(project_id=p.id, description="已解决", resolved=True))
    desk.projects.save_node(Node(project_id=p.id, name="封顶", planned_on="2026-05-01"))
    desk.projects.save_node(Node(project_id=p.id, name="验收", planned_on="2026-12-01"))
    desk.projects.save_dispatch(DispatchRecord(project_id=p.id, year=2026, month=2, invested_month=100))
    desk.projects.save_dispatch(DispatchRecord(project_id=p.id, year=2026, month=3, invested_month=50,
                                               progress="主体施工"))
    rows = {r.project.name: r for r in desk.projects.ledger(dt.date(2026, 6, 1))}
    assert (rows["台账"].open_problems, rows["台账"].overdue_nodes) == (1, 1)
    assert (rows["台账"].invested_to_date, rows["台账"].progress) == (150, "主体施工")
    assert (rows["空白"].open_problems, rows["空白"].overdue_nodes, rows["空白"].invested_to_date) == (0, 0, None)
    assert q.id


def test_delete_removes_project_and_its_records(desk):
    """Deleting a project removes its history, nodes and problems too."""
    p = desk.projects.save(Project(name="删除"))
    desk.projects.save_node(Node(project_id=p.id, name="节点"))
    desk.projects.delete(p.id)
    assert desk.projects.count() == 0
    assert desk.db.execute("SELECT count(*) FROM project_nodes").fetchone()[0] == 0
    assert desk.db.execute("SELECT count(*) FROM project_stage_history").fetchone()[0] == 0
    with pytest.raises(ValidationError):
        desk.projects.delete(p.id)
