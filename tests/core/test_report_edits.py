"""The clerk's edits of a report survive regeneration; changed drafts become conflicts, never overwrites."""

from __future__ import annotations

import datetime as dt

import pytest

from parkdesk.desk import Desk
from parkdesk.report import editing
from parkdesk.report.draft import build_state, draft_report
from parkdesk.report.model import Attachment, Heading
from parkdesk.reports import ReportOptions

TODAY = dt.date(2026, 9, 10)


def state(desk, through=8):
    return build_state(desk, 2026, through, today=TODAY)


def printed(desk, key, through=8):
    """The printed block ``key`` (None when it does not print)."""
    return draft_report(desk, 2026, through, today=TODAY, figures=False).find(key)


def keys(desk, through=8):
    return [b.key for b in draft_report(desk, 2026, through, today=TODAY, figures=False).blocks]


def put(desk, name, year, month, value):
    desk.indicators.set_month(desk.indicators.by_name(name).id, year, month, value=value)


@pytest.fixture
def park(desk):
    """A park with two main indicators and a construction figure for 1—8月."""
    desk.park.update(name="示范产业开发区", organization="示范产业开发区管委会")
    put(desk, "技工贸总收入", 2025, 8, 100.0)
    put(desk, "技工贸总收入", 2026, 8, 108.6)
    put(desk, "工业投资", 2026, 8, 3.0)
    return desk


MINE = "1—8月，园区技工贸总收入稳步增长，完成108.6亿元，同比增长8.6%。"


def test_edit_survives_regeneration(park):
    """An edited paragraph prints the clerk's text after regeneration, with no conflict."""
    editing.save_texts(park, state(park), "indicators.overview", {"text": MINE})
    again = state(park)
    block = again.find("indicators.overview")
    assert block.edited and not block.conflict and block.block.text == MINE
    assert printed(park, "indicators.overview").text == MINE
    row = park.reports.blocks(2026, 8)["indicators.overview"]
    assert row.base_draft == block.fields["text"].draft  # stored with the draft it was edited from


def test_changed_draft_is_a_conflict_and_the_edit_still_prints(park):
    """New data changes the draft: the block is in conflict, and the clerk's text is what prints."""
    editing.save_texts(park, state(park), "indicators.overview", {"text": MINE})
    put(park, "技工贸总收入", 2026, 8, 110.0)
    s = state(park)
    assert [b.key for b in s.conflicts()] == ["indicators.overview"]
    field = s.find("indicators.overview").fields["text"]
    assert field.text == MINE and "110.00亿元" in field.draft and field.base_draft != field.draft
    assert printed(park, "indicators.overview").text == MINE


def test_conflict_resolved_by_keeping_mine(park):
    """保留我的修改: the edit now answers the new draft; no conflict on the next regeneration."""
    editing.save_texts(park, state(park), "indicators.overview", {"text": MINE})
    put(park, "技工贸总收入", 2026, 8, 110.0)
    editing.keep_mine(park, state(park), "indicators.overview")
    s = state(park)
    assert not s.conflicts() and s.find("indicators.overview").block.text == MINE


def test_conflict_resolved_by_taking_the_new_draft(park):
    """采用新草稿: the edit is dropped, the block follows the data again."""
    editing.save_texts(park, state(park), "indicators.overview", {"text": MINE})
    put(park, "技工贸总收入", 2026, 8, 110.0)
    editing.take_draft(park, state(park), "indicators.overview")
    s = state(park)
    block = s.find("indicators.overview")
    assert not s.conflicts() and not block.edited and "110.00亿元" in block.block.text
    assert "indicators.overview" not in park.reports.blocks(2026, 8)


def test_conflict_resolved_by_merging(park):
    """合并编辑: the merged text is stored against the new draft."""
    editing.save_texts(park, state(park), "indicators.overview", {"text": MINE})
    put(park, "技工贸总收入", 2026, 8, 110.0)
    merged = "1—8月，园区技工贸总收入稳步增长，完成110亿元。"
    editing.merge(park, state(park), "indicators.overview", "text", merged)
    s = state(park)
    assert not s.conflicts() and s.find("indicators.overview").block.text == merged


def test_saving_the_draft_text_drops_the_edit(park):
    """Typing the draft back in is no edit: nothing stays stored, later drafts follow the data."""
    s = state(park)
    draft = s.find("indicators.overview").fields["text"].draft
    editing.save_texts(park, s, "indicators.overview", {"text": MINE})
    editing.save_texts(park, state(park), "indicators.overview", {"text": draft})
    assert not park.reports.has_changes(2026, 8)


def test_heading_and_lead_edits_keep_automatic_numbers(park):
    """A heading typed with its number keeps the automatic one; a lead edit is its own field."""
    editing.save_texts(park, state(park), "indicators", {"text": "三、主要经济指标完成情况"})
    doc = draft_report(park, 2026, 8, today=TODAY, figures=False)
    numbers = dict(zip((b.key for b in doc.blocks), doc.numbers()))
    assert doc.find("indicators").text == "主要经济指标完成情况" and numbers["indicators"] == "一、"
    editing.save_texts(park, state(park), "indicators.cat.建设投入", {"lead": "投资建设情况。"})
    block = printed(park, "indicators.cat.建设投入")
    assert block.lead == "投资建设情况。" and block.text.startswith("1—8月，完成工业投资")
    stored = park.reports.blocks(2026, 8)
    assert stored["indicators.cat.建设投入#lead"].kind == "lead"
    assert "indicators.cat.建设投入" not in stored  # the body was not edited


def test_placeholder_prints_only_when_filled_and_never_conflicts(park):
    """A narrative placeholder is dropped untouched, printed once written; it never turns into a conflict."""
    assert printed(park, "work.investment.narrative") is None
    editing.save_texts(park, state(park), "work.investment.narrative", {"text": "坚持以商招商。"})
    park.db.execute("UPDATE report_blocks SET base_draft = 'older wording' WHERE key = 'work.investment.narrative'")
    s = state(park)
    assert not s.conflicts()
    assert printed(park, "work.investment.narrative").text == "坚持以商招商。"


def test_remove_and_restore_a_section(park):
    """Removing a heading leaves out its whole section; restoring brings it back."""
    before = keys(park)
    assert "indicators.cat.建设投入" in before
    editing.set_removed(park, state(park), "indicators", True)
    after = keys(park)
    assert not any(k.startswith("indicators") for k in after)
    s = state(park)
    assert s.find("indicators").removed and s.find("indicators.cat.建设投入").hidden_by == "indicators"
    editing.set_removed(park, state(park), "indicators", False)
    assert keys(park) == before
    assert not park.reports.has_changes(2026, 8)


def test_removed_block_stays_removed_when_edited_too(park):
    """A removal keeps the clerk's text (restorable) and stays after regeneration."""
    editing.save_texts(park, state(park), "indicators.overview", {"text": MINE})
    editing.set_removed(park, state(park), "indicators.overview", True)
    put(park, "技工贸总收入", 2026, 8, 120.0)
    assert printed(park, "indicators.overview") is None
    editing.set_removed(park, state(park), "indicators.overview", False)
    assert printed(park, "indicators.overview").text == MINE


def test_custom_paragraphs_are_placed_where_the_clerk_put_them(park):
    """Right after the chosen block; a later one after the same block sits closer to it."""
    s = state(park)
    first = editing.add_block(park, s, "indicators.overview", text="第一段。")
    second = editing.add_block(park, state(park), "indicators.overview", text="第二段。")
    third = editing.add_block(park, state(park), first, text="第三段。")
    section = editing.add_block(park, state(park), "work", level=2, text="坚持服务至上")
    assert section not in keys(park)  # a heading with nothing under it does not print
    editing.add_block(park, state(park), section, text="深入开展企业服务活动。")
    order = keys(park)
    at = order.index("indicators.overview")
    assert order[at + 1:at + 4] == [second, first, third]
    assert order[order.index("work") + 1] == section
    doc = draft_report(park, 2026, 8, today=TODAY, figures=False)
    heading = doc.find(section)
    assert isinstance(heading, Heading) and heading.level == 2 and heading.text == "坚持服务至上"
    park.reports.delete_custom(2026, 8, first)
    order = keys(park)
    assert order[order.index(second) + 1] == third  # it takes the deleted block's place


def test_custom_paragraph_whose_anchor_is_gone_stays_in_its_section(park):
    """The block it followed disappears with its data: the paragraph goes to the end of that section."""
    key = editing.add_block(park, state(park), "indicators.cat.建设投入", text="补充说明。")
    park.db.execute("DELETE FROM indicator_values WHERE year = 2026 AND indicator_id = ?",
                    [park.indicators.by_name("工业投资").id])
    order = keys(park)
    assert key in order and order.index(key) == order.index("indicators.overview") + 1
    assert order.index(key) < order.index("signature")


def test_orphan_edit_is_a_conflict_until_resolved(park):
    """An edit whose paragraph the data no longer drafts is kept, printed and flagged."""
    editing.save_texts(park, state(park), "indicators.cat.建设投入", {"text": "工业投资情况由我来写。"})
    park.db.execute("DELETE FROM indicator_values WHERE year = 2026 AND indicator_id = ?",
                    [park.indicators.by_name("工业投资").id])
    s = state(park)
    orphan = s.find("indicators.cat.建设投入")
    assert orphan.orphan and orphan.conflict and [b.key for b in s.conflicts()] == ["indicators.cat.建设投入"]
    assert printed(park, "indicators.cat.建设投入").text == "工业投资情况由我来写。"
    editing.keep_mine(park, s, "indicators.cat.建设投入")
    s = state(park)
    assert not s.conflicts() and s.find("indicators.cat.建设投入").custom
    editing.add_block(park, s, "indicators.cat.建设投入", text="x")  # still a usable anchor


def test_orphan_edit_can_be_dropped(park):
    """采用新草稿 on an orphan deletes the clerk's paragraph."""
    editing.save_texts(park, state(park), "indicators.cat.建设投入", {"text": "工业投资情况由我来写。"})
    park.db.execute("DELETE FROM indicator_values WHERE year = 2026 AND indicator_id = ?",
                    [park.indicators.by_name("工业投资").id])
    editing.take_draft(park, state(park), "indicators.cat.建设投入")
    assert state(park).find("indicators.cat.建设投入") is None


def test_title_edit(park):
    """The title can be edited; typing the draft back restores it."""
    s = state(park)
    editing.save_texts(park, s, "title", {"title": "示范产业开发区2026年前三季度工作汇报"})
    assert draft_report(park, 2026, 8, today=TODAY, figures=False).title == "示范产业开发区2026年前三季度工作汇报"
    editing.save_texts(park, state(park), "title", {"title": s.title.draft})
    assert not park.reports.has_changes(2026, 8)


def test_edits_belong_to_their_period(park):
    """An edit of 1—8月 does not appear in the 1—9月 report."""
    editing.save_texts(park, state(park), "indicators.overview", {"text": MINE})
    put(park, "技工贸总收入", 2026, 9, 120.0)
    assert printed(park, "indicators.overview", 9).text != MINE


def test_options_choose_attachments_and_signature_date(park):
    """Attachments and the signature date are options of the period; the rest numbers itself."""
    assert [b.label for b in draft_report(park, 2026, 8, today=TODAY, figures=False).blocks
            if isinstance(b, Attachment)] == ["附件1", "附件2"]  # indicator table, charts (no key projects)
    park.reports.save_options(2026, 8, ReportOptions(attachments=["charts"], signature_date="2026-09-05"))
    doc = draft_report(park, 2026, 8, today=TODAY, figures=False)
    assert [(b.label, b.title) for b in doc.blocks if isinstance(b, Attachment)] == [
        ("附件1", "2026年1—8月主要指标趋势图")]
    assert doc.signature.date_text == "2026年9月5日"
    assert park.reports.options(2026, 9).signature_date is None  # other periods keep the default


def test_options_turn_placeholders_and_suggestions_off(park):
    """Without placeholders the tab shows none; without suggestions 存在的问题 is the clerk's alone."""
    put(park, "工业投资", 2025, 8, 4.0)
    assert printed(park, "problems.suggest.indicators") is not None
    park.reports.save_options(2026, 8, ReportOptions(placeholders=False, suggestions=False))
    s = state(park)
    assert not any(b.placeholder for b in s.blocks) and not any(b.suggestion for b in s.blocks)


def test_broken_options_fall_back_to_defaults():
    """Unreadable stored options never break a report."""
    assert ReportOptions.from_json("{not json") == ReportOptions()
    assert ReportOptions.from_json('{"attachments": ["charts", "bogus"], "signature_date": "x"}') == \
        ReportOptions(attachments=["charts"])


def test_every_write_is_audited(park):
    """Edits, removals, added blocks and options all land in the audit log."""
    s = state(park)
    editing.save_texts(park, s, "indicators.overview", {"text": MINE})
    editing.set_removed(park, state(park), "work", True)
    editing.add_block(park, state(park), "opening", text="新段落。")
    park.reports.save_options(2026, 8, ReportOptions(attachments=[]))
    count = park.db.execute("SELECT count(*) FROM audit_log WHERE table_name = 'report_blocks'").fetchone()[0]
    assert count >= 4


def test_readonly_database_drafts_with_edits(park, tmp_path):
    """A database opened read-only (the CLI) drafts the report with the stored edits."""
    editing.save_texts(park, state(park), "indicators.overview", {"text": MINE})
    path = park.path
    park.close()
    with Desk.open(path, readonly=True) as ro:
        assert draft_report(ro, 2026, 8, today=TODAY, figures=False).find("indicators.overview").text == MINE
