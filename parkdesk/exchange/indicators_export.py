"""The indicator export: the import sheets first, then sheets for reading and printing.

指标数据 and 年度目标与预计 are written exactly as the import expects (only entered
figures: 上年同期 and 同比增长(%) are what the clerk entered, so a re-import changes
nothing); 完成情况 holds the derived figures of the year's latest month and
月度数据 the months side by side, both laid out for A4 with a repeated header.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..catalog import GROWTH_ONLY, RATE
from ..errors import ValidationError
from ..numbers import fmt, month_range
from .indicators import DATA_HEADERS, DATA_SHEET, YEAR_HEADERS, YEAR_SHEET
from .workbook import format_sheet, instructions_sheet, save_workbook, write_row


def write_export(desk, year: int, path: Path, through: int | None = None) -> None:
    """Write the export workbook (see :func:`parkdesk.exchange.indicators.export`)."""
    from openpyxl import Workbook

    from ..indicator_figures import STATUS_LABELS, period_figures

    row = desk.db.execute(
        "SELECT max(month) FROM indicator_values WHERE year = ? AND (value IS NOT NULL OR official_yoy IS NOT NULL)",
        [year],
    ).fetchone()
    if row[0] is None and not desk.db.execute("SELECT 1 FROM indicator_years WHERE year = ? LIMIT 1", [year]).fetchone():
        raise ValidationError(f"{year}年没有指标数据，无法导出。")
    through = through or row[0] or 12
    indicators = desk.indicators.list(include_retired=True)
    values = desk.indicators.month_values(year)
    year_figs = desk.indicators.year_figures(year)
    park = desk.park.profile().display_name

    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    write_row(ws, 1, DATA_HEADERS, bold=True)
    r = 2
    for ind in indicators:
        for month in range(1, 13):
            mv = values.get((ind.id, month))
            if mv is None:
                continue
            write_row(ws, r, [ind.name, ind.unit, year, month, mv.value, mv.prior_value, mv.official_yoy,
                              mv.note or None])
            _number_formats(ws, r, {5: ind.decimals, 6: ind.decimals, 7: ind.growth_decimals})
            r += 1
    format_sheet(ws, [22, 10, 8, 8, 14, 14, 13, 30], title=f"{park} {year}年指标数据")

    ws = wb.create_sheet(YEAR_SHEET)
    write_row(ws, 1, YEAR_HEADERS, bold=True)
    r = 2
    for ind in indicators:
        yf = year_figs.get(ind.id)
        if yf is None:
            continue
        write_row(ws, r, [ind.name, year, yf.target, yf.forecast, yf.forecast_yoy])
        _number_formats(ws, r, {3: ind.decimals, 4: ind.decimals, 5: ind.growth_decimals})
        r += 1
    format_sheet(ws, [22, 8, 14, 14, 13], title=f"{park} {year}年年度目标与预计")

    figures = [f for f in period_figures(desk, year, through, include_retired=True)
               if f.has_data or f.target is not None]
    _progress_sheet(wb, park, year, through, figures, STATUS_LABELS)
    _months_sheet(wb, park, year, [i for i in indicators if not i.retired or
                                   any((i.id, m) in values for m in range(1, 13))], values)
    instructions_sheet(wb, "说明", [
        f"本文件由园区工作台导出：{park} {year}年指标数据。",
        f"“{DATA_SHEET}”和“{YEAR_SHEET}”两个工作表与导入模板格式相同，修改后可直接通过“数据 ▸ 导入 ▸ 指标数据”导入"
        "（其中“上年同期”“同比增长(%)”只包含录入的数值，计算所得的增速不会被当作官方增速导入）。",
        f"“完成情况”是 {year}年{month_range(through)}的计算结果（同比、完成年度目标、时序进度、预计全年），"
        "“月度数据”是各月累计值一览，二者仅供阅读和打印，不能导入。",
        "“—”表示无法计算（缺少上年同期数据、没有年度目标、基数为零，或按可比价计算的增速只采用官方数据）。",
    ])
    save_workbook(wb, Path(path))


def _number_formats(ws, row: int, formats: dict[int, int]) -> None:
    for col, decimals in formats.items():
        cell = ws.cell(row=row, column=col)
        if isinstance(cell.value, (int, float)):
            cell.number_format = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def _rounded(value: float | None, decimals: int) -> float | str:
    if value is None:
        return "—"
    return float(fmt(value, decimals))


def _progress_sheet(wb, park: str, year: int, through: int, figures, status_labels) -> None:
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet("完成情况")
    period = month_range(through)
    title = f"{park}{year}年{period}主要经济指标完成情况"
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=14)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    headers = ["类别", "指标名称", "计量单位", f"{period}累计", "当月", "上年同期", "同比增长(%)",
               "年度目标", "完成目标(%)", "较时序进度(个百分点)", "预计全年", "预计增长(%)", "状态", "说明"]
    write_row(ws, 2, headers, bold=True)
    r = 3
    for f in figures:
        notes = []
        if f.yoy_is_official:
            notes.append("同比为统计部门公布数")
        if f.kind == RATE:
            notes.append("同比为增减个百分点")
        if not f.nominal_growth and not f.yoy_is_official and f.kind != GROWTH_ONLY:
            notes.append("按可比价计算的增速只采用官方数据")
        if f.full_year_source == "estimate":
            notes.append("预计全年为按上年进度估算")
        if f.status_reason:
            notes.append(f.status_reason)
        notes.extend(flag.message for flag in f.flags)
        d, g = f.decimals, f.growth_decimals
        write_row(ws, r, [
            f.category, f.name, f.unit, _rounded(f.value, d), _rounded(f.monthly_value, d),
            _rounded(f.last_year_value, d), _rounded(f.change, g), _rounded(f.target, d),
            _rounded(f.target_pct, 1), _rounded(f.time_progress_gap_pts, 1), _rounded(f.full_year, d),
            _rounded(f.forecast_yoy_points if f.kind == RATE else f.forecast_yoy_pct, g),
            status_labels.get(f.status, "—"), "；".join(notes),
        ])
        _number_formats(ws, r, {4: d, 5: d, 6: d, 7: g, 8: d, 9: 1, 10: 1, 11: d, 12: g})
        for col in range(4, 13):
            ws.cell(row=r, column=col).alignment = Alignment(horizontal="right")
        ws.cell(row=r, column=14).alignment = Alignment(wrap_text=True, vertical="top")
        r += 1
    format_sheet(ws, [10, 20, 9, 12, 10, 12, 10, 12, 10, 11, 12, 10, 6, 40], header_row=2,
                 title=title)


def _months_sheet(wb, park: str, year: int, indicators, values) -> None:
    ws = wb.create_sheet("月度数据")
    headers = ["类别", "指标名称", "计量单位", *[f"{m}月" for m in range(1, 13)]]
    write_row(ws, 1, headers, bold=True)
    for r, ind in enumerate(indicators, start=2):
        row: list[Any] = [ind.category, ind.name, ind.unit if ind.kind != GROWTH_ONLY else "增速(%)"]
        for m in range(1, 13):
            mv = values.get((ind.id, m))
            if mv is None:
                row.append(None)
            else:
                row.append(mv.official_yoy if ind.kind == GROWTH_ONLY else mv.value)
        write_row(ws, r, row)
        decimals = ind.growth_decimals if ind.kind == GROWTH_ONLY else ind.decimals
        _number_formats(ws, r, {c: decimals for c in range(4, 16)})
    format_sheet(ws, [10, 20, 9, *[10] * 12],
                 title=f"{park} {year}年各月数据（1—N月累计；期末值指标为月末数）")
