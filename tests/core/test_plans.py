"""Plan sections and items: editing, ordering, notes, target sync with 年度目标, copying."""

from __future__ import annotations

import pytest

from parkdesk.errors import ValidationError
from parkdesk.plans import PlanExistsError, PlanItem, ProgressNote, shift_year


def _titles(desk, year):
    return [(s.title, i.title) for s, i in desk.plans.year_items(year)]


def _target(desk, name, year):
    ind = desk.indicators.by_name(name)
    fig = desk.indicators.year_figures(year).get(ind.id)
    return fig.target if fig else None


@pytest.fixture
def plan(desk):
    """A 2026 plan: two sections, three items."""
    a = desk.plans.add_section(2026, "（一）坚持锻长处、补短板")
    b = desk.plans.add_section(2026, "二、坚持强管理、促规范")
    for section, title in ((a, "加快项目建设"), (a, "强化招大引强"), (b, "强化目标导向")):
        desk.plans.save_item(PlanItem(section_id=section.id, title=title, deadline="2026-12-31"))
    return a, b


def test_sections_store_titles_without_numbering(desk, plan):
    """（一） and 一、 typed by the clerk are dropped; the report numbers sections."""
    assert [s.title for s in desk.plans.sections(2026)] == ["坚持锻长处、补短板", "坚持强管理、促规范"]
    renamed = desk.plans.rename_section(plan[1].id, "（三）坚持深化改革")
    assert renamed.title == "坚持深化改革"


def test_section_titles_are_checked(desk, plan):
    """Empty and duplicate section titles are refused with a message."""
    with pytest.raises(ValidationError, match="不能为空"):
        desk.plans.add_section(2026, "  ")
    with pytest.raises(ValidationError, match="已有部分"):
        desk.plans.add_section(2026, "1.坚持锻长处、补短板")
    desk.plans.add_section(2027, "坚持锻长处、补短板")  # another year may reuse it


def test_move_sections(desk, plan):
    """Sections move up and down; at the ends nothing happens."""
    a, b = plan
    assert not desk.plans.move_section(a.id, -1)
    assert desk.plans.move_section(b.id, -1)
    assert [s.id for s in desk.plans.sections(2026)] == [b.id, a.id]


def test_remove_section_with_items_is_refused_unless_confirmed(desk, plan):
    """Removing a section that holds items says so; with_items removes them too."""
    a, b = plan
    with pytest.raises(ValidationError, match="还有 2 个事项"):
        desk.plans.remove_section(a.id)
    assert len(desk.plans.year_items(2026)) == 3
    assert desk.plans.remove_section(a.id, with_items=True) == 2
    assert _titles(desk, 2026) == [("坚持强管理、促规范", "强化目标导向")]
    empty = desk.plans.add_section(2026, "空白部分")
    assert desk.plans.remove_section(empty.id) == 0


def test_items_move_up_and_down_across_sections(desk, plan):
    """Moving past a section's first or last item carries it into the neighbouring section."""
    a, b = plan
    items = {i.title: i for _s, i in desk.plans.year_items(2026)}
    assert desk.plans.move_item(items["强化招大引强"].id, -1)
    assert [t for _s, t in _titles(desk, 2026)] == ["强化招大引强", "加快项目建设", "强化目标导向"]
    assert desk.plans.move_item(items["加快项目建设"].id, 1)  # last of A → first of B
    assert _titles(desk, 2026) == [("坚持锻长处、补短板", "强化招大引强"), ("坚持强管理、促规范", "加快项目建设"),
                                   ("坚持强管理、促规范", "强化目标导向")]
    assert desk.plans.move_item(items["加快项目建设"].id, -1)  # first of B → last of A
    assert _titles(desk, 2026)[1] == ("坚持锻长处、补短板", "加快项目建设")
    assert not desk.plans.move_item(items["强化招大引强"].id, -1)  # first item of the plan
    assert not desk.plans.move_item(items["强化目标导向"].id, 1)  # last item of the plan


def test_move_item_to_a_position_and_not_across_years(desk, plan):
    """An item can be put at a position of another section of the same year only."""
    a, b = plan
    items = {i.title: i for _s, i in desk.plans.year_items(2026)}
    desk.plans.move_item_to(items["强化目标导向"].id, a.id, 1)
    assert [t for _s, t in _titles(desk, 2026)] == ["加快项目建设", "强化目标导向", "强化招大引强"]
    other = desk.plans.add_section(2027, "明年")
    with pytest.raises(ValidationError, match="同一年度"):
        desk.plans.move_item_to(items["强化目标导向"].id, other.id)


def test_item_validation(desk, plan):
    """Empty titles, unknown statuses, bad percentages and valueless ties are refused."""
    sid = plan[0].id
    for item, message in (
        (PlanItem(section_id=sid, title=" "), "事项名称不能为空"),
        (PlanItem(section_id=sid, title="x", status="完了"), "未知的状态"),
        (PlanItem(section_id=sid, title="x", progress_pct=120), "0—100"),
        (PlanItem(section_id=sid, title="x", target_kind="project_stat", target_stat="started"), "目标值"),
        (PlanItem(section_id=sid, title="x", target_kind="project_stat", target_stat="nope", target_value=1), "未知的项目统计"),
        (PlanItem(section_id=sid, title="x", deadline="明年"), "不是有效的日期"),
        (PlanItem(title="x"), "属于某个部分"),
        (PlanItem(section_id=sid, title="（1）加快项目建设"), "已有事项“加快项目建设”"),
    ):
        with pytest.raises(ValidationError, match=message):
            desk.plans.save_item(item)


def test_done_means_complete_and_title_numbering_dropped(desk, plan):
    """Marking 已完成 sets 100 %; an item title typed as "1.xxx" loses its number."""
    it = desk.plans.save_item(PlanItem(section_id=plan[0].id, title="1.提升产业品牌", status="推进中",
                                       progress_pct=40))
    assert it.title == "提升产业品牌"
    done = desk.plans.set_status(it.id, "已完成")
    assert (done.status, done.progress_pct) == ("已完成", 100.0)
    assert desk.plans.item(it.id).progress_pct == 100.0


def test_progress_notes_saved_with_the_item(desk, plan):
    """Dated notes are added, edited and removed together with the item, in date order."""
    it = desk.plans.year_items(2026)[0][1]
    desk.plans.save_item(it, notes=[ProgressNote(None, "2026-05-10", "召开推进会"),
                                    ProgressNote(None, "2026/3/1", "制定方案")])
    notes = desk.plans.progress_notes(it.id)
    assert [(n["noted_on"], n["text"]) for n in notes] == [("2026-03-01", "制定方案"), ("2026-05-10", "召开推进会")]
    kept = ProgressNote(notes[1]["id"], "2026-05-10", "召开推进会，明确分工")
    desk.plans.save_item(it, notes=[kept])
    assert [(n["noted_on"], n["text"]) for n in desk.plans.progress_notes(it.id)] == [("2026-05-10", "召开推进会，明确分工")]
    note = desk.plans.add_note(it.id, "2026-06-01", "完成签约")
    assert len(desk.plans.progress_notes(it.id)) == 2
    desk.plans.remove_note(note.id)
    with pytest.raises(ValidationError, match="内容不能为空"):
        desk.plans.add_note(it.id, "2026-06-01", " ")
    with pytest.raises(ValidationError, match="日期"):
        desk.plans.save_item(it, notes=[ProgressNote(None, "", "无日期")])
    assert len(desk.plans.progress_notes(it.id)) == 1  # the failed save changed nothing


def test_removing_an_item_removes_its_notes(desk, plan):
    """Deleting an item deletes its progress notes."""
    it = desk.plans.year_items(2026)[0][1]
    desk.plans.add_note(it.id, "2026-05-10", "召开推进会")
    desk.plans.remove_item(it.id)
    assert desk.db.execute("SELECT count(*) FROM plan_progress_notes").fetchone()[0] == 0
    with pytest.raises(ValidationError, match="不存在"):
        desk.plans.item(it.id)


# --- one source of truth for 年度目标 ------------------------------------------------------------
def _tie(desk, item, name, value):
    item.target_kind = "indicator"
    item.target_indicator_id = desk.indicators.by_name(name).id
    item.target_value = value
    return desk.plans.save_item(item)


def test_indicator_target_becomes_the_indicators_annual_target(desk, plan):
    """Saving a tied item writes indicator_years.target in step and generates the target text."""
    it = desk.plans.year_items(2026)[2][1]
    saved = _tie(desk, it, "技工贸总收入", 30)
    assert saved.target_text == "技工贸总收入≥30亿元"
    assert _target(desk, "技工贸总收入", 2026) == 30
    saved.target_value = 32.5
    desk.plans.save_item(saved)
    assert _target(desk, "技工贸总收入", 2026) == 32.5
    assert desk.plans.item(saved.id).target_text == "技工贸总收入≥32.5亿元"
    audit = desk.db.execute(
        "SELECT action, old_value, new_value FROM audit_log WHERE table_name = 'indicator_years' ORDER BY id"
    ).fetchall()
    assert audit[0][0] == "insert" and audit[-1] == ("update", 30, 32.5)  # audited like any change


def test_switching_or_removing_the_target_clears_the_indicator_target(desk, plan):
    """Another indicator or no tie: the old indicator's target is cleared (it was the plan's)."""
    it = _tie(desk, desk.plans.year_items(2026)[2][1], "技工贸总收入", 30)
    it.target_indicator_id = desk.indicators.by_name("税收收入").id
    it.target_value = 8000
    it = desk.plans.save_item(it)
    assert _target(desk, "技工贸总收入", 2026) is None
    assert _target(desk, "税收收入", 2026) == 8000
    it.target_kind = None
    it.target_text = "全年税收稳步增长"
    it = desk.plans.save_item(it)
    assert _target(desk, "税收收入", 2026) is None
    assert (it.target_indicator_id, it.target_value, it.target_text) == (None, None, "全年税收稳步增长")


def test_target_edited_in_the_grid_follows_into_the_plan_and_removal_clears_it(desk, plan):
    """Grid edits update the tied item (one source of truth); removing the item clears the target."""
    it = _tie(desk, desk.plans.year_items(2026)[2][1], "技工贸总收入", 30)
    ind = desk.indicators.by_name("技工贸总收入").id
    desk.indicators.set_year_figures(ind, 2026, target=31)  # edited in the indicators grid
    assert desk.plans.item(it.id).target_value == 31
    desk.plans.remove_item(it.id)
    assert _target(desk, "技工贸总收入", 2026) is None
    it2 = _tie(desk, desk.plans.year_items(2026)[0][1], "技工贸总收入", 31)
    desk.plans.remove_section(desk.plans.section(it2.section_id).id, with_items=True)
    assert _target(desk, "技工贸总收入", 2026) is None


def test_one_item_per_indicator_and_year(desk, plan):
    """A second item cannot set the same indicator's target in the same year."""
    items = [i for _s, i in desk.plans.year_items(2026)]
    _tie(desk, items[0], "技工贸总收入", 30)
    with pytest.raises(ValidationError, match="已设定了技工贸总收入的年度目标"):
        _tie(desk, items[1], "技工贸收入", 31)
    assert _target(desk, "技工贸总收入", 2026) == 30
    assert desk.plans.item(items[1].id).target_kind is None


def test_failed_save_leaves_indicator_target_alone(desk, plan):
    """An invalid value (negative money) is refused and nothing is written."""
    it = desk.plans.year_items(2026)[0][1]
    with pytest.raises(ValidationError):
        _tie(desk, it, "技工贸总收入", -5)
    assert _target(desk, "技工贸总收入", 2026) is None
    assert desk.plans.item(it.id).target_kind is None


def test_reverse_sync_from_the_indicator_grid(desk, plan):
    """indicator_target_changed (for the grid) updates the tied item's value and text."""
    it = _tie(desk, desk.plans.year_items(2026)[2][1], "技工贸总收入", 30)
    ind = desk.indicators.by_name("技工贸总收入").id
    desk.indicators.set_year_figures(ind, 2026, target=35)  # the grid's write path
    again = desk.plans.item(it.id)
    assert (again.target_value, again.target_text) == (35, "技工贸总收入≥35亿元")
    assert desk.plans.indicator_target_changed(ind, 2026, 35) == 0
    desk.indicators.set_year_figures(ind, 2026, target=None)  # cleared in the grid
    cleared = desk.plans.item(it.id)
    assert (cleared.target_kind, cleared.target_value, cleared.target_text) == (None, None, "")


# --- new year ----------------------------------------------------------------------------------------
def test_copy_year_copies_plan_without_progress(desk, plan):
    """Sections, titles, owners, targets copied; deadlines +1 year; no status, %, notes."""
    items = [i for _s, i in desk.plans.year_items(2026)]
    first = items[0]
    first.owner_department, first.leader, first.content = "招商一局", "王建国", "紧盯头部企业"
    first.target_kind, first.target_stat, first.target_value = "project_stat", "signed_over_100m", 6
    first.status, first.progress_pct, first.deadline = "已完成", 100, "2024-02-29"
    first = desk.plans.save_item(first, notes=[ProgressNote(None, "2026-05-01", "已签约3个")])
    _tie(desk, items[2], "技工贸总收入", 30)
    assert desk.plans.copy_year(2026) == (2, 3)
    assert _titles(desk, 2027) == _titles(desk, 2026)
    copied = [i for _s, i in desk.plans.year_items(2027)]
    c = copied[0]
    assert (c.owner_department, c.leader, c.content, c.target_stat, c.target_value, c.target_text) == (
        "招商一局", "王建国", "紧盯头部企业", "signed_over_100m", 6, "引进亿元以上项目数≥6个")
    assert (c.status, c.progress_pct, c.deadline) == ("未开始", None, "2025-02-28")
    assert copied[1].deadline == "2027-12-31"
    assert desk.plans.progress_notes(c.id) == []
    assert _target(desk, "技工贸总收入", 2027) == 30  # the copied target is next year's 年度目标 too
    assert [i.status for i in copied] == ["未开始"] * 3


def test_copy_year_refuses_or_replaces_an_existing_plan(desk, plan):
    """A year that already has a plan is kept unless replacing is confirmed."""
    other = desk.plans.add_section(2027, "已有的明年计划")
    desk.plans.save_item(PlanItem(section_id=other.id, title="已有事项"))
    with pytest.raises(PlanExistsError, match="2027年已有工作计划（1个部分、1个事项）"):
        desk.plans.copy_year(2026)
    assert _titles(desk, 2027) == [("已有的明年计划", "已有事项")]
    desk.plans.copy_year(2026, replace=True)
    assert _titles(desk, 2027) == _titles(desk, 2026)
    with pytest.raises(ValidationError, match="还没有工作计划"):
        desk.plans.copy_year(2030)


def test_copy_takes_an_existing_annual_target(desk, plan):
    """When next year's 年度目标 was already entered, the copied item takes it."""
    _tie(desk, desk.plans.year_items(2026)[2][1], "技工贸总收入", 30)
    desk.indicators.set_year_figures(desk.indicators.by_name("技工贸总收入").id, 2027, target=36)
    desk.plans.copy_year(2026)
    copied = desk.plans.year_items(2027)[2][1]
    assert (copied.target_value, copied.target_text) == (36, "技工贸总收入≥36亿元")
    assert _target(desk, "技工贸总收入", 2027) == 36


def test_shift_year():
    """Deadlines move by whole years; 29 February becomes 28 February."""
    assert shift_year("2026-06-30") == "2027-06-30"
    assert shift_year("2024-02-29") == "2025-02-28"
    assert shift_year(None) is None


def test_unchanged_save_writes_nothing(desk, plan):
    """Saving an item without changes adds nothing to the audit log."""
    it = desk.plans.year_items(2026)[0][1]
    before = desk.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    desk.plans.save_item(it)
    assert desk.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before


def test_demo_plan_targets_are_the_indicators_annual_targets(demo_desk):
    """In the demo, this and next year's indicator-tied targets equal indicator_years.target."""
    for year in (2026, 2027):
        figures = demo_desk.indicators.year_figures(year)
        tied = [i for _s, i in demo_desk.plans.year_items(year) if i.target_kind == "indicator"]
        assert len(tied) == 4
        for item in tied:
            assert figures[item.target_indicator_id].target == item.target_value, (year, item.title)
