"""The report's attachments (附件), each chosen in the report options:

- ``indicators``: 主要经济指标完成情况表 — every reported indicator with a
  figure: value, 同比, 年度目标, 完成目标 %, and the gap to 时序进度;
- ``projects``: 重点项目推进情况表 — ``summary["key_projects"]``;
- ``charts``: 主要指标趋势图 — this year against last year for the main
  indicators. The PNGs are drawn only when the report is printed or exported
  (:func:`render_charts`); until then each figure holds a blank stand-in.
"""

from __future__ import annotations

import struct
import zlib
from typing import Any, Callable

from ..catalog import CUMULATIVE, GROWTH_ONLY, RATE
from ..numbers import fmt, month_range
from .draft_indicators import MAIN_INDICATORS, reported, stated_month
from .model import Attachment, Figure, Table
from .phrases import DraftBlock, DraftContext

ATTACHMENTS = {
    "indicators": "主要经济指标完成情况表",
    "projects": "重点项目推进情况表",
    "charts": "主要指标趋势图",
}
CHART_KEY = "year_vs_last_year"
CHART_WIDTH_MM = 150.0
CHART_DPI = 240
MAX_CHARTS = 4


def _blank_png() -> bytes:
    """A 1×1 white PNG: the stand-in of a chart not drawn yet."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff"))
            + chunk(b"IEND", b""))


BLANK_PNG = _blank_png()


def _signed(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "—"
    text = fmt(value, decimals)
    return "+" + text if not text.startswith("-") and float(text) != 0 else text


def _title(ctx: DraftContext, what: str) -> str:
    return f"{ctx.year}年{'' if ctx.annual else month_range(ctx.through)}{what}"


def indicator_table(ctx: DraftContext) -> list[DraftBlock]:
    """附件: 主要经济指标完成情况表 (empty when no indicator has a figure)."""
    rows = []
    comparable = []
    # The figures of month N, or of the latest month with figures when N has none
    # yet (an annual summary drafted before December's statistics).
    month = ctx.data_month
    for r in reported(ctx.data.get("indicators") or []):
        has_value = r.get("value") is not None and r["kind"] != GROWTH_ONLY
        change = r.get("yoy_points") if r["kind"] == RATE else r.get("yoy_pct")
        if not has_value and change is None:
            continue
        gd = 1 if r.get("growth_decimals") is None else r["growth_decimals"]
        growth = _signed(change, gd)  # rates: in points (the note says so)
        if change is not None and (r.get("yoy_is_official") and not r.get("nominal_growth", True)
                                   or r["kind"] == GROWTH_ONLY):
            comparable.append(r["name"])
        stated = stated_month(r, ctx)
        name = r["name"] if stated == month else f"{r['name']}（{month_range(stated)}）"
        row = [name, r["unit"], fmt(r["value"], r["decimals"]) if has_value else "—", growth,
               fmt(r.get("target"), r["decimals"]), fmt(r.get("target_pct"), 1)]
        if month < 12:
            row.append(_signed(r.get("time_progress_gap_pts")) if r["kind"] == CUMULATIVE else "—")
        rows.append(row)
    if not rows:
        return []
    # Two-line headers broken where they read well ("完成目标" / "（%）"), never
    # wrapped by the renderer into three ragged lines.
    headers = ["指标名称", "单位", "全年" if month == 12 else month_range(month), "同比\n（%）", "年度目标",
               "完成目标\n（%）"]
    # Weights in characters of the 12 pt cells (36.8 to the 156 mm line), padding included.
    widths = [10.4, 4.8, 5.0, 3.6, 5.0, 4.8]
    notes = []
    if month < ctx.through:
        notes.append(f"{ctx.through}月数据暂缺，表中为{month_range(month)}数据")
    if month < 12:
        headers.append("较时序\n进度")
        widths[:] = [9.6, 4.6, 5.0, 3.8, 4.8, 4.6, 3.6]
        notes.append(f"时序进度为{fmt(month / 12 * 100, 1)}%；“较时序进度”为完成目标百分比与时序进度之差"
                     "（个百分点），负数为低于时序进度")
    if comparable:
        notes.append(f"{'、'.join(comparable[:4])}{'等' if len(comparable) > 4 else ''}增速为统计部门公布的可比价增速")
    notes.append("比率类指标的同比为增减的百分点")
    table = Table("", headers, rows, key="attachments.indicators.table", widths=widths,
                  aligns=["left", "center"] + ["right"] * (len(headers) - 2),
                  note="注：" + "；".join(notes) + "。", font_pt=12.0, flexible=0)
    return [DraftBlock(Attachment("", _title(ctx, ATTACHMENTS["indicators"]), key="attachments.indicators")),
            DraftBlock(table)]


def project_table(ctx: DraftContext) -> list[DraftBlock]:
    """附件: 重点项目推进情况表 (empty without key projects)."""
    projects = (ctx.data.get("key_projects") or {}).get("projects") or []
    if not projects:
        return []

    def yi(wan: float | None) -> str:
        return fmt(wan / 10000, 2) if wan is not None else "—"

    # A printed table stays a few pages long: the first rows by level, then investment
    # (the order of summary["key_projects"]); the note says how many there are in all.
    limit = max(1, ctx.key_project_rows)
    shown = projects[:limit]
    rows = [[str(n), p["name"], p.get("level") or "", yi(p.get("total_investment_wan")),
             yi(p.get("invested_to_date_wan")), p.get("progress") or "—",
             p["construction"] if p.get("status") == "在建" else p.get("status") or ""]
            for n, p in enumerate(shown, start=1)]
    more = (f"共{len(projects)}个，按项目级别和总投资列出前{len(shown)}个，其余见项目台账；"
            if len(projects) > len(shown) else "")
    # "累计完成" / "投资" on two lines, as the other two-line headers: on one line it kept
    # a column of short figures six characters wide and squeezed the project names.
    table = Table("", ["序号", "项目名称", "级别", "总投资", "累计完成\n投资", "形象进度", "状态"], rows,
                  key="attachments.projects.table", widths=[2.2, 10.8, 5.0, 3.6, 3.8, 7.6, 3.8],
                  aligns=["center", "left", "center", "right", "right", "left", "center"],
                  unit="单位：亿元", font_pt=12.0, flexible=1,
                  note=f"注：列入省重点、市重点项目及总投资1亿元以上、期内在建或投产的项目；{more}"
                       "累计完成投资和形象进度取截至期末的最近一次月调度。")
    return [DraftBlock(Attachment("", _title(ctx, ATTACHMENTS["projects"]), key="attachments.projects")),
            DraftBlock(table)]


def chart_figures(ctx: DraftContext) -> list[DraftBlock]:
    """附件: 主要指标趋势图 — stand-ins; :func:`render_charts` draws them."""
    records = {r["name"]: r for r in reported(ctx.data.get("indicators") or [])}

    def has_last_year(rec) -> bool:
        return rec.get("last_year_value") is not None or rec.get("last_year_full") is not None

    # A chart needs two points at least: this year's months, or last year's line beside them.
    chosen = [records[n] for n in MAIN_INDICATORS
              if n in records and records[n]["kind"] != GROWTH_ONLY and records[n].get("value") is not None
              and (stated_month(records[n], ctx) >= 2 or has_last_year(records[n]))]
    if not chosen:
        return []
    blocks = [DraftBlock(Attachment("", _title(ctx, ATTACHMENTS["charts"]), key="attachments.charts"))]
    for n, rec in enumerate(chosen[:MAX_CHARTS], start=1):
        what = "累计完成情况" if rec["kind"] == CUMULATIVE else "月末值"
        years = f"{ctx.year - 1}—{ctx.year}年" if has_last_year(rec) else f"{ctx.year}年"
        caption = f"图{n}　{rec['name']}{what}（{years}）"
        blocks.append(DraftBlock(Figure(caption, BLANK_PNG, width_mm=CHART_WIDTH_MM,
                                        key=f"attachments.charts.{rec['name']}"),
                                 chart=(rec["indicator_id"], CHART_KEY)))
    return blocks


BUILDERS: dict[str, Callable[[DraftContext], list[DraftBlock]]] = {
    "indicators": indicator_table,
    "projects": project_table,
    "charts": chart_figures,
}


def draft_attachments(ctx: DraftContext, chosen: list[str]) -> list[DraftBlock]:
    """The chosen attachments in their fixed order, labelled 附件1, 附件2 … (empty ones left out)."""
    blocks: list[DraftBlock] = []
    number = 0
    for key in ATTACHMENTS:
        if key not in chosen:
            continue
        part = BUILDERS[key](ctx)
        if part:
            number += 1
            part[0].block.label = f"附件{number}"
            blocks += part
    return blocks


def render_charts(desk, year: int, through: int, figures: list[tuple[Figure, tuple[int, str]]],
                  progress: Callable[[str, float], None] | None = None) -> None:
    """Draw each stand-in figure's chart (PNG at 240 dpi) into it, in place."""
    from .. import charts

    for n, (figure, (indicator_id, key)) in enumerate(figures):
        if progress:
            progress(f"正在绘制趋势图（{n + 1}/{len(figures)}）", n / max(len(figures), 1))
        fig = charts.build_chart(desk, key, indicator_id, year, through)
        fig.set_size_inches(CHART_WIDTH_MM / 25.4, fig.get_figheight())
        figure.image = charts.png_bytes(fig, dpi=CHART_DPI)


__all__ = ["ATTACHMENTS", "BLANK_PNG", "draft_attachments", "render_charts"]
