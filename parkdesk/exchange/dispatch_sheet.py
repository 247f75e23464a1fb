"""The month's dispatch sheet (重点项目调度表) as an .xlsx laid out for printing.

The form handed out at the monthly dispatch meeting: every project under
construction with that month's record and its open problems. Landscape A4,
fitted to the page width, header repeated on every page, no formulas.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from ..dispatch import DISPATCH_SHEET_HEADERS, dispatch_sheet_values
from .workbook import format_sheet, save_workbook, write_row

_WIDTHS = [5, 24, 8, 7, 10, 10, 10, 22, 7, 7, 7, 7, 8, 7, 30, 22, 8, 12]
_MONEY_COLUMNS = (5, 6, 7)
_WRAP_COLUMNS = (2, 8, 15, 16, 18)


def sheet_title(park: str, year: int, month: int) -> str:
    """"XX开发区2026年10月重点项目调度表"."""
    return f"{park}{year}年{month}月重点项目调度表"


def write_dispatch_sheet(desk, year: int, month: int, path) -> int:
    """Write the dispatch sheet of (year, month) to ``path``; return the number of projects."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    rows = desk.projects.dispatch_sheet(year, month)
    park = desk.park.profile().display_name
    title = sheet_title(park, year, month)
    wb = Workbook()
    ws = wb.active
    ws.title = f"{month}月调度"
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=16)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(DISPATCH_SHEET_HEADERS))
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    write_row(ws, 2, [f"在建项目 {len(rows)} 个　金额单位：万元　制表日期：{_dt.date.today().isoformat()}"])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(DISPATCH_SHEET_HEADERS))
    write_row(ws, 3, list(DISPATCH_SHEET_HEADERS), bold=True)
    for i, row in enumerate(rows, start=1):
        write_row(ws, 3 + i, dispatch_sheet_values(row, i))
    total_row = 4 + len(rows)
    month_sum = sum((r.record.invested_month or 0) for r in rows if r.record)
    to_date_sum = sum((r.record.invested_to_date or 0) for r in rows if r.record)
    totals = ["合计", f"{len(rows)}个", "", "", sum(r.total_investment or 0 for r in rows), month_sum, to_date_sum]
    write_row(ws, total_row, totals + [""] * (len(DISPATCH_SHEET_HEADERS) - len(totals)), bold=True)
    format_sheet(ws, _WIDTHS, header_row=3, title=title)
    ws.print_title_rows = "3:3"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    thin = Side(style="thin", color="666666")
    border = Border(top=thin, bottom=thin, left=thin, right=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row_cells in ws.iter_rows(min_row=4, max_row=total_row):
        for cell in row_cells:
            cell.border = border
            if cell.column in _MONEY_COLUMNS:
                cell.number_format = "#,##0.0"
                cell.alignment = Alignment(vertical="center")
            elif cell.column in _WRAP_COLUMNS:
                cell.alignment = wrap
            else:
                cell.alignment = centre
    save_workbook(wb, Path(path))
    return len(rows)
