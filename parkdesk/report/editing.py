"""The clerk's edits of a report, as operations on a :class:`ReportState`.

Qt-free so that the 报告 tab and the tests share one behaviour. Each function
is one transaction (through :class:`parkdesk.reports.ReportManager`).
"""

from __future__ import annotations

from ..errors import ValidationError
from .model import Heading
from .state import TITLE_KEY, BlockState, ReportState, stored_key


def _kind(block: BlockState, field_name: str) -> tuple[str, int]:
    if field_name == "lead":
        return "lead", block.level or 0
    if isinstance(block.block, Heading):
        return "heading", block.block.level
    return "paragraph", 0


def save_texts(desk, state: ReportState, key: str, texts: dict[str, str]) -> bool:
    """Store the clerk's texts of a block's fields ("text", "lead"; "title" for the title).

    A text equal to today's draft drops the edit (the block follows the data
    again); an empty heading or lead goes back to its draft. Returns True when
    anything was written.
    """
    year, through = state.year, state.through
    if key == TITLE_KEY:
        text = (texts.get("title") or "").strip()
        if not text or text == state.title.draft:
            if state.title.edited:
                desk.reports.discard_edit(year, through, TITLE_KEY)
                return True
            return False
        if text == state.title.text:
            return False
        desk.reports.save_edit(year, through, TITLE_KEY, text, state.title.draft, kind="title")
        return True
    block = state.find(key)
    if block is None or not block.editable:
        raise ValidationError("找不到要修改的段落，请重新生成后再试。")
    changes = []
    for name, text in texts.items():
        fld = block.fields.get(name)
        if fld is None:
            continue
        text = text.strip() if name == "lead" or isinstance(block.block, Heading) else text.strip("\n")
        if text == fld.text and not (fld.conflict and text == fld.draft):
            continue
        kind, level = _kind(block, name)
        skey = stored_key(key, name)
        if block.custom:
            changes.append((skey, text, "", kind, level))
        elif text == fld.draft or (not text and (name == "lead" or kind == "heading" or block.placeholder)):
            changes.append((skey, None, "", kind, level))
        else:
            changes.append((skey, text, fld.draft, kind, level))
    if changes:
        desk.reports.save_fields(year, through, changes)
    return bool(changes)


def keep_mine(desk, state: ReportState, key: str) -> None:
    """Resolve a conflict by keeping the clerk's text (an orphan becomes the clerk's own paragraph)."""
    year, through = state.year, state.through
    block = state.find(key)
    if block is None:
        return
    if block.orphan:
        index = state.blocks.index(block)
        before = next((s.key for s in reversed(state.blocks[:index]) if not s.orphan), None)
        desk.reports.keep_as_custom(year, through, key, before)
        return
    for name, fld in block.fields.items():
        if fld.conflict:
            desk.reports.keep_edit(year, through, stored_key(key, name), fld.draft)


def take_draft(desk, state: ReportState, key: str) -> None:
    """Resolve a conflict (or undo an edit) by going back to today's draft."""
    year, through = state.year, state.through
    block = state.find(key)
    if block is None:
        return
    if block.orphan:
        desk.reports.discard_edit(year, through, key)
        return
    for name, fld in block.fields.items():
        if fld.edited and (fld.conflict or not any(f.conflict for f in block.fields.values())):
            desk.reports.discard_edit(year, through, stored_key(key, name))


def merge(desk, state: ReportState, key: str, name: str, text: str) -> None:
    """Resolve a conflict with a merged text that answers today's draft."""
    block = state.find(key)
    if block is None or name not in block.fields:
        return
    kind, level = _kind(block, name)
    fld = block.fields[name]
    if block.orphan:
        desk.reports.save_edit(state.year, state.through, key, text, "", kind=kind, level=level)
        keep_mine(desk, state, key)
        return
    desk.reports.save_edit(state.year, state.through, stored_key(key, name), text, fld.draft,
                           kind=kind, level=level)


def set_removed(desk, state: ReportState, key: str, removed: bool) -> None:
    """Remove a block from the report, or restore it."""
    block = state.find(key)
    if block is None:
        return
    kind, level = _kind(block, "text") if block.editable else (block.kind, 0)
    desk.reports.set_removed(state.year, state.through, key, removed, kind=kind, level=level)


def add_block(desk, state: ReportState, after_key: str | None, *, level: int = 0, text: str = "") -> str:
    """Add the clerk's own paragraph (``level`` 0) or heading after a block; returns its key."""
    kind = "heading" if level else "paragraph"
    if kind == "heading" and not text.strip():
        text = "新小节"
    return desk.reports.add_custom(state.year, state.through, kind=kind, level=level, text=text,
                                   after_key=after_key)


__all__ = ["add_block", "keep_mine", "merge", "save_texts", "set_removed", "take_draft"]
