"""Turning a block copied from Excel / WPS into grid cells.

Two shapes are understood:

- a block of figures: it lands with its top-left corner on the active cell,
  row after row on the indicators below (category headings are skipped);
- a block whose first column holds indicator names (as a statistics bureau's
  sheet does): each row goes to the indicator of that name (aliases work),
  its figures from the active column on; a unit column right after the name
  (万元, 亿美元 …) converts the figures. A heading row of the sheet is ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QModelIndex

from parkdesk.catalog import GROWTH_ONLY, RATE, canonical_unit
from parkdesk.errors import ValidationError
from parkdesk.indicators import Cell
from parkdesk.numbers import parse_number

from .grid_model import COLUMN_COUNT, EntryGridModel

AMOUNT_FIELDS = ("value", "prior_value", "target", "forecast")


@dataclass
class PastePlan:
    """What a paste would write, and what it could not place."""

    changes: dict[Cell, float | None] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    skipped: int = 0  # figures that fell on cells taking no entry
    outside: int = 0  # figures beyond the grid's last row or column
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
        named = _rows_by_name(model, desk, block, plan)
        if named is not None:
            plan.by_name = True
            for r, (row, unit, values, offset) in named.items():
                for c, value in enumerate(values):
                    col = start.column() + c
                    if col >= COLUMN_COUNT:
                        plan.outside += 1 if value.strip() else 0
                        continue
                    placed.append((model.index(row, col), value, unit, r, c + offset))
        else:
            rows = [r for r in range(start.row(), model.rowCount()) if model.indicator_at(r) is not None]
            for r, values in enumerate(block):
                for c, value in enumerate(values):
                    col = start.column() + c
                    if r >= len(rows) or col >= COLUMN_COUNT:
                        plan.outside += 1 if value.strip() else 0
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
