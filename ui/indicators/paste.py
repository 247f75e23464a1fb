"""Turning a block copied from Excel / WPS into grid cells.

Two shapes are understood:

- a block of figures: it lands with its top-left corner on the active cell,
  row after row on the indicators below (category headings are skipped);
- a block whose first column holds indicator names (as a statistics bureau's
  sheet does): each row goes to the indicator of that name (aliases work),
  its figures from the active column on; a unit column right after the name
  (万元, 亿美元 …) converts the figures. A heading row of the sheet is ignored.

A block that starts in a month column stops at 12月: the side columns (上年同期,
官方同比, 年度目标 …) mean something else, so figures spilling into them are
counted and reported, never written. Only a block that starts in a side column
writes side columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QModelIndex

from parkdesk.catalog import GROWTH_ONLY, RATE, canonical_unit
from parkdesk.errors import ValidationError
from parkdesk.indicators import Cell
from parkdesk.numbers import parse_number

from .grid_model import COLUMN_COUNT, FIRST_MONTH, EntryGridModel

AMOUNT_FIELDS = ("value", "prior_value", "target", "forecast")


@dataclass
class PastePlan:
    """What a paste would write, and what it could not place."""

    changes: dict[Cell, float | None] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    skipped: int = 0  # figures that fell on cells taking no entry
    outside: int = 0  # figures beyond the grid's last row or column
    past_december: int = 0  # figures of a block started in a month column that ran past 12月
    below_last_row: int = 0  # figures of block rows beyond the grid's last indicator
    headings: list[str] = field(default_factory=list)  # category heading rows the block stepped over
    by_name: bool = False
    cells: list[QModelIndex] = field(default_factory=list)


def split_block(text: str) -> list[list[str]]:
    """Rows of tab-separated cells; trailing empty lines (Excel adds one) dropped."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return [line.split("\t") for line in lines]


def _is_figure(text: str) -> bool:
    """A number, or a blank / dash meaning "no figure"."""
    try:
        parse_number(text)
        return True
    except ValidationError:
        return False


def plan_paste(model: EntryGridModel, desk, block: list[list[str]], start: QModelIndex,
               selected: list[QModelIndex]) -> PastePlan:
    """Where each pasted figure goes and what it becomes (nothing is written here)."""
    plan = PastePlan()
    placed: list[tuple[QModelIndex, str, str, int, int]] = []  # index, text, unit, block row, block column
    if len(block) == 1 and len(block[0]) == 1 and len(selected) > 1:
        placed = [(i, block[0][0], "", 0, 0) for i in selected]  # one value fills the selection
    else:
        last_col = _last_column(start.column())
        named = _rows_by_name(model, desk, block, plan)
        if named is not None:
            plan.by_name = True
            for r, (row, unit, values, offset) in named.items():
                for c, value in enumerate(values):
                    col = start.column() + c
                    if col > last_col:
                        _count_outside(plan, value, col)
                        continue
                    placed.append((model.index(row, col), value, unit, r, c + offset))
        else:
            rows = [r for r in range(start.row(), model.rowCount()) if model.indicator_at(r) is not None]
            used = rows[:len(block)]
            if used:
                # Heading rows the block steps over (or starts on): the clerk is told where rows went.
                plan.headings = [model.rows[r].category for r in range(start.row(), used[-1])
                                 if model.indicator_at(r) is None]
            for r, values in enumerate(block):
                for c, value in enumerate(values):
                    col = start.column() + c
                    if r >= len(rows):
                        if value.strip():
                            plan.outside += 1
                            plan.below_last_row += 1
                        continue
                    if col > last_col:
                        _count_outside(plan, value, col)
                        continue
                    placed.append((model.index(rows[r], col), value, "", r, c))
    for index, value, unit, r, c in placed:
        cell = model.cell_at(index)
        if cell is None:
            plan.skipped += 1 if value.strip() else 0
            continue
        ind = model.indicator_at(index.row())
        text = value
        if unit and value.strip() and cell.field in AMOUNT_FIELDS and ind.kind not in (RATE, GROWTH_ONLY):
            text = value.strip() + unit
        try:
            plan.changes[cell] = desk.indicators.parse_input(ind, cell.field, text)
            plan.cells.append(index)
        except ValidationError as exc:
            where = model.column_title(index.column()).split()[0]
            plan.errors.append(f"第{r + 1}行第{c + 1}列（{ind.name} {where}）：{exc.message}")
    return plan


def _last_column(start_column: int) -> int:
    """The last column a block may reach: 12月 from a month column, else the grid's last."""
    if FIRST_MONTH <= start_column < FIRST_MONTH + 12:
        return FIRST_MONTH + 11
    return COLUMN_COUNT - 1


def _count_outside(plan: PastePlan, value: str, col: int) -> None:
    """A figure that fell right of where the block may write (blanks do not count)."""
    if not value.strip():
        return
    plan.outside += 1
    if col < COLUMN_COUNT:
        plan.past_december += 1


def outside_notes(plan: PastePlan) -> list[str]:
    """What the clerk is told about figures that were not placed, in Chinese."""
    notes = []
    if plan.past_december:
        notes.append(f"{plan.past_december} 个数据超出12月，未粘贴（从月份列开始的粘贴不会写入"
                     "上年同期、官方同比、年度目标等列，这些列请单独选中后粘贴）")
    if plan.below_last_row:
        notes.append(f"{plan.below_last_row} 个数据超出表格最后一行，未粘贴")
    rest = plan.outside - plan.past_december - plan.below_last_row
    if rest:
        notes.append(f"{rest} 个数据超出表格最后一列，未粘贴")
    return notes


def _rows_by_name(model: EntryGridModel, desk, block, plan: PastePlan):
    """{block row: (grid row, unit, figures, first figure column)} when the block starts with names."""
    firsts = [row[0].strip() for row in block]
    if any(len(row) < 2 for row in block) or any(not t or _is_figure(t) for t in firsts):
        return None
    result = {}
    seen: dict[int, int] = {}
    for r, row in enumerate(block):
        ind = desk.indicators.resolve(row[0])
        if ind is None:
            if not any(cell.strip() and _is_figure(cell) for cell in row[1:]):
                continue  # the sheet's own heading row
            plan.errors.append(f"第{r + 1}行：“{row[0].strip()[:20]}”不是已知的指标（可在“指标目录”中添加别名）")
            continue
        grid_row = model.row_of(ind.id)
        if grid_row < 0:
            plan.errors.append(f"第{r + 1}行：指标“{ind.name}”已停用")
            continue
        if grid_row in seen:
            plan.errors.append(f"第{r + 1}行：“{ind.name}”与第{seen[grid_row] + 1}行重复")
            continue
        seen[grid_row] = r
        unit, values, offset = "", row[1:], 1
        second = row[1].strip()
        if second and not _is_figure(second) and (canonical_unit(second) or second == ind.unit):
            unit, values, offset = second, row[2:], 2
        result[r] = (grid_row, unit, values, offset)
    return result if result or plan.errors else None
