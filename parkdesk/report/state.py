"""A drafted report with the clerk's stored edits applied: what the 报告 tab
shows and what is printed.

Rules (see also :mod:`parkdesk.reports`):

- A drafted block whose key has an edit shows and prints the clerk's text. When
  today's draft still equals the draft the edit was made from, that is all;
  when it differs, the block is in CONFLICT: it keeps printing the clerk's
  text until the clerk resolves it (保留我的修改 / 采用新草稿 / 合并编辑).
- An edit whose drafted block no longer exists (its figures are gone) is an
  orphan: shown where its section is, printed, and also a conflict.
- A removed block is left out, and so is everything under a removed heading
  or run-in lead (until the next one of the same or a higher level); it stays
  in the tab, greyed, to be restored.
- The clerk's own blocks are inserted right after the block they were added
  after (or at the end of its section when that block is gone).
- Placeholders print only once the clerk replaced their text.
- A heading or lead-only paragraph with nothing printable under it is not
  printed, so a section without content does not leave a bare heading.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from ..reports import LEAD_SUFFIX, ReportOptions, StoredBlock
from .model import (
    Attachment,
    Block,
    Figure,
    Heading,
    PageBreak,
    PageSettings,
    Paragraph,
    ReportDocument,
    Signature,
    Table,
    number_blocks,
    strip_heading_number,
)
from .phrases import DraftBlock

TITLE_KEY = "title"
KIND_NAMES = {Heading: "heading", Paragraph: "paragraph", Table: "table", Figure: "figure",
              PageBreak: "page_break", Attachment: "attachment", Signature: "signature"}


@dataclass
class FieldState:
    """One editable text of a block: a heading's or paragraph's text, or a run-in lead."""

    name: str  # "text" | "lead" | "title"
    draft: str  # what the data drafts now
    text: str  # what is shown and printed
    base_draft: str = ""  # the draft the stored edit was made from
    edited: bool = False
    checked: bool = True  # False for placeholders and the clerk's own blocks: no conflicts

    @property
    def conflict(self) -> bool:
        return self.edited and self.checked and self.base_draft != self.draft


@dataclass
class BlockState:
    """A block of the report as the tab shows it."""

    key: str
    block: Block
    fields: dict[str, FieldState] = field(default_factory=dict)
    placeholder: bool = False
    suggestion: bool = False
    custom: bool = False
    orphan: bool = False
    removed: bool = False
    hidden_by: str | None = None  # key of the removed heading this block sits under
    chart: tuple[int, str] | None = None

    @property
    def kind(self) -> str:
        return KIND_NAMES[type(self.block)]

    @property
    def level(self) -> int | None:
        """The heading level of a heading or of a paragraph's run-in lead."""
        if isinstance(self.block, Heading):
            return self.block.level
        if isinstance(self.block, Paragraph) and self.block.lead:
            return self.block.lead_level
        return None

    @property
    def editable(self) -> bool:
        return bool(self.fields)

    @property
    def edited(self) -> bool:
        return any(f.edited for f in self.fields.values())

    @property
    def conflict(self) -> bool:
        return self.orphan or any(f.conflict for f in self.fields.values())

    @property
    def untouched_placeholder(self) -> bool:
        return self.placeholder and not self.edited

    @property
    def prints(self) -> bool:
        return not self.removed and self.hidden_by is None and not self.untouched_placeholder


def stored_key(key: str, field_name: str) -> str:
    """The ``report_blocks.key`` of a field: the block's key, or ``<key>#lead``."""
    return key + LEAD_SUFFIX if field_name == "lead" else key


def _field(name: str, draft: str, row: StoredBlock | None, *, checked: bool = True) -> FieldState:
    if row is not None and row.edited:
        return FieldState(name, draft, row.text, row.base_draft, True, checked)
    return FieldState(name, draft, draft, checked=checked)


def _with_fields(block: Block, fields: dict[str, FieldState]) -> Block:
    """A copy of ``block`` showing the fields' current texts."""
    if isinstance(block, Heading):
        return dataclasses.replace(block, text=strip_heading_number(fields["text"].text) or block.text)
    if isinstance(block, Paragraph):
        lead = block.lead
        if "lead" in fields:
            lead = strip_heading_number(fields["lead"].text) or None
        return dataclasses.replace(block, text=fields["text"].text, lead=lead,
                                   lead_level=block.lead_level if lead else None)
    return block


def _from_draft(d: DraftBlock, stored: dict[str, StoredBlock]) -> BlockState:
    block, key = d.block, d.block.key
    fields: dict[str, FieldState] = {}
    checked = not d.placeholder
    if isinstance(block, Heading):
        fields["text"] = _field("text", block.text, stored.get(key), checked=checked)
    elif isinstance(block, Paragraph):
        if block.lead:
            fields["lead"] = _field("lead", block.lead, stored.get(key + LEAD_SUFFIX), checked=checked)
        fields["text"] = _field("text", block.text, stored.get(key), checked=checked)
    row = stored.get(key)
    state = BlockState(key, block, fields, placeholder=d.placeholder, suggestion=d.suggestion,
                       removed=bool(row and row.removed), chart=d.chart)
    state.block = _with_fields(block, fields)
    return state


def _from_row(row: StoredBlock, *, orphan: bool) -> BlockState:
    if row.kind == "heading":
        block: Block = Heading(min(max(row.level or 1, 1), 4), row.text or "（标题）", key=row.key)
    else:
        block = Paragraph(row.text, key=row.key)
    draft = "" if orphan else row.text
    fields = {"text": FieldState("text", draft, row.text, row.base_draft, True, checked=False)}
    return BlockState(row.key, _with_fields(block, fields), fields, custom=row.custom, orphan=orphan,
                      removed=row.removed)


def _section_end(states: list[BlockState], key: str) -> int | None:
    """Where a block keyed under ``key``'s section goes when its own place is gone."""
    parts = key.split(".")
    for n in range(len(parts) - 1, 0, -1):
        prefix = ".".join(parts[:n])
        hits = [i for i, s in enumerate(states)
                if not s.custom and (s.key == prefix or s.key.startswith(prefix + "."))]
        if hits:
            return hits[-1] + 1
    return None


def _body_end(states: list[BlockState]) -> int:
    return next((i for i, s in enumerate(states) if isinstance(s.block, (Signature, Attachment))), len(states))


def assemble(drafted: list[DraftBlock], stored: dict[str, StoredBlock]) -> list[BlockState]:
    """The drafted blocks with the stored edits, removals and added blocks applied."""
    states = [_from_draft(d, stored) for d in drafted]
    known = {s.key for s in states} | {TITLE_KEY}
    orphans = [r for r in stored.values() if r.edited and not r.custom and r.key not in known
               and not r.key.endswith(LEAD_SUFFIX) and r.kind in ("paragraph", "heading")]
    for row in orphans:
        at = _section_end(states, row.key)
        states.insert(_body_end(states) if at is None else at, _from_row(row, orphan=True))
    customs = sorted((r for r in stored.values() if r.custom), key=lambda r: r.sort_order)
    for row in customs:
        index = next((i for i, s in enumerate(states) if s.key == row.parent_key), None)
        at = index + 1 if index is not None else _section_end(states, row.parent_key or "")
        states.insert(_body_end(states) if at is None else at, _from_row(row, orphan=False))
    _mark_hidden(states)
    return states


def _starter_level(block: Block) -> int | None:
    if isinstance(block, Heading):
        return block.level
    if isinstance(block, Paragraph) and block.lead:
        return block.lead_level
    return None


def _mark_hidden(states: list[BlockState]) -> None:
    """Blocks under a removed heading, lead or attachment are hidden with it."""
    for i, s in enumerate(states):
        if not s.removed or s.hidden_by is not None:
            continue
        if isinstance(s.block, Attachment):
            for t in states[i + 1:]:
                if isinstance(t.block, (Attachment, Signature)):
                    break
                t.hidden_by = t.hidden_by or s.key
            continue
        level = _starter_level(s.block)
        if level is None:
            continue
        for t in states[i + 1:]:
            other = _starter_level(t.block)
            if isinstance(t.block, (Attachment, Signature)) or (other is not None and other <= level):
                break
            t.hidden_by = t.hidden_by or s.key


def _is_content(block: Block) -> bool:
    if isinstance(block, Paragraph):
        return bool(block.text.strip())
    return isinstance(block, (Table, Figure))


def prune_empty_sections(blocks: list[Block]) -> list[Block]:
    """Drop headings (and lead-only paragraphs) with nothing printable under them."""
    blocks = list(blocks)
    changed = True
    while changed:
        changed = False
        for i, block in enumerate(blocks):
            level = _starter_level(block)
            if level is None or _is_content(block):
                continue
            has_content = False
            for other in blocks[i + 1:]:
                other_level = _starter_level(other)
                if isinstance(other, (Attachment, Signature)) or (other_level is not None and other_level <= level):
                    break
                if _is_content(other):
                    has_content = True
                    break
            if not has_content:
                del blocks[i]
                changed = True
                break
    return blocks


@dataclass
class ReportState:
    """A period's report: title, blocks with their edit state, options."""

    year: int
    through: int
    title: FieldState
    blocks: list[BlockState]
    options: ReportOptions
    page: PageSettings = field(default_factory=PageSettings)
    notices: list[str] = field(default_factory=list)  # what the clerk should know about the data (Chinese)

    def find(self, key: str) -> BlockState | None:
        return next((s for s in self.blocks if s.key == key), None)

    def conflicts(self) -> list[BlockState]:
        """Blocks whose edit answers an older draft (or whose draft is gone)."""
        return [s for s in self.blocks if s.conflict]

    def conflict_labels(self, width: int = 30) -> list[str]:
        """One line per block in conflict: "（一）坚持招大引强……（数据变化后草稿已更新）"."""
        numbers = self.numbers()
        lines = []
        for s in self.conflicts():
            block = s.block
            if isinstance(block, Paragraph):
                label = (numbers.get(s.key, "") + (block.lead or "")) + block.text
            elif isinstance(block, Heading):
                label = numbers.get(s.key, "") + block.text
            else:
                label = s.key
            flat = " ".join(label.split()) or s.key
            flat = flat if len(flat) <= width else flat[:width] + "……"
            lines.append(f"{flat}（{'草稿中已无此段' if s.orphan else '数据变化后草稿已更新'}）")
        return lines

    @property
    def title_text(self) -> str:
        return self.title.text

    def numbers(self) -> dict[str, str]:
        """The printed number of each printed heading and lead ("一、", "（二）" …) by key."""
        printed = self.printed_blocks()
        return {b.key: n for b, n in zip(printed, number_blocks(printed)) if n}

    def printed_blocks(self) -> list[Block]:
        """The blocks that print, in order."""
        return prune_empty_sections([s.block for s in self.blocks if s.prints])

    def document(self) -> ReportDocument:
        """The report as printed and exported."""
        return ReportDocument(title=self.title.text, blocks=self.printed_blocks(),
                              page=dataclasses.replace(self.page))

    def charts_to_draw(self) -> list[tuple[Figure, tuple[int, str]]]:
        """The stand-in figures that print, with the chart each one shows."""
        return [(s.block, s.chart) for s in self.blocks if s.chart and s.prints and isinstance(s.block, Figure)]


__all__ = ["BlockState", "FieldState", "ReportState", "TITLE_KEY", "assemble", "prune_empty_sections", "stored_key"]
