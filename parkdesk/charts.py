"""Trend charts of indicators as ``matplotlib.figure.Figure`` (no pyplot).

The UI puts a figure into a Qt canvas; the report saves it as a PNG
(:func:`save_png`, ≥ 200 dpi) for the Word document. Every builder takes the
open desk and the period and returns a Figure; pass ``fig`` to draw into an
existing one (it is cleared first). matplotlib is imported on first use only.
A screen figure (``layout=None``) is laid out and drawn quickly by
``parkdesk.chart_screen`` (its functions are also reachable from here).

    fig = charts.build_chart(desk, "year_vs_last_year", indicator_id, 2026, 10)
    charts.save_png(fig, "out.png", dpi=200)
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .catalog import CUMULATIVE, GROWTH_ONLY, RATE
from .chart_screen import fit_margins, screen_renderer, screen_renderer_class
from .fileio import atomic_output
from .numbers import fmt, month_range

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

# A width that fits the report's 156 mm text area; height for a readable plot.
DEFAULT_SIZE = (6.1, 3.3)
THIS_YEAR = "#1f5fa8"
LAST_YEAR = "#9aa5b4"
NEGATIVE = "#c0504d"
ACCENT = "#e07b00"
STATUS_COLORS = {"green": "#3c9a5f", "yellow": "#e0a800", "red": "#c0392b", None: "#9aa5b4"}


def new_figure(size: tuple[float, float] = DEFAULT_SIZE, layout: str | None = "constrained") -> "Figure":
    """An empty Figure with the CJK font registered (no pyplot state involved).

    ``layout=None`` is for a screen canvas that redraws often: constrained layout
    measures every label before each draw (half the drawing time); such a figure
    gets its layout from :func:`fit_margins` (``parkdesk.chart_screen``) and is laid
    out properly only when it is saved (:func:`save_png`, :func:`png_bytes`).
    """
    from matplotlib.figure import Figure

    from .fonts import register_matplotlib

    register_matplotlib()
    return Figure(figsize=size, layout=layout)


def _prepare(fig: "Figure | None"):
    if fig is None:
        fig = new_figure()
    else:
        from .fonts import register_matplotlib

        register_matplotlib()
        if fig.get_layout_engine() is None and len(fig.axes) == 1:
            # A screen figure redrawn again and again: emptying its axes keeps the tick
            # objects, which are costly to make (a third of a redraw).
            ax = fig.axes[0]
            _reset_axes(ax)
            _grid(ax, "y")
            return fig, ax
        fig.clear()
    ax = fig.add_subplot()
    _grid(ax, "y")
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig, ax


def _reset_axes(ax) -> None:
    """Return ``ax`` to the state of a new axes (as :func:`_prepare` sets it up) without remaking it."""
    import matplotlib as mpl
    from matplotlib.font_manager import FontProperties
    from matplotlib.ticker import AutoLocator, ScalarFormatter

    for group in (ax.lines, ax.patches, ax.texts, ax.collections, ax.images, ax.tables, ax.artists):
        for artist in list(group):
            artist.remove()
    ax.containers.clear()
    if ax.legend_ is not None:
        ax.legend_.remove()
    rc = mpl.rcParams
    title_color = rc["text.color"] if rc["axes.titlecolor"] == "auto" else rc["axes.titlecolor"]
    ax.set_title("", pad=rc["axes.titlepad"], fontsize=rc["axes.titlesize"], fontweight=rc["axes.titleweight"],
                 color=title_color)
    for label in (ax.set_xlabel, ax.set_ylabel):  # a builder may have set a small grey note as the label
        label("", loc="center", fontsize=rc["axes.labelsize"], fontweight=rc["axes.labelweight"],
              color=rc["axes.labelcolor"])
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(AutoLocator())
        axis.set_major_formatter(ScalarFormatter())
    # Builders set the size of some tick labels: back to the default on just those labels
    # (``tick_params`` would set every property of every tick again).
    size = mpl.rcParams["xtick.labelsize"]
    default = FontProperties(size=size).get_size_in_points()
    for axis in (ax.xaxis, ax.yaxis):
        for tick in axis.majorTicks:
            for label in (tick.label1, tick.label2):
                if label.get_fontsize() != default:
                    label.set_fontsize(size)
    ax.set_axis_on()
    ax.margins(x=mpl.rcParams["axes.xmargin"], y=mpl.rcParams["axes.ymargin"])
    ax.dataLim.set_points(mpl.transforms.Bbox.null().get_points())
    ax.ignore_existing_data_limits = True
    ax.set_autoscale_on(True)
    ax.set_xlim(0, 1, auto=True)
    ax.set_ylim(0, 1, auto=True)


def _grid(ax, axis: str) -> None:
    """Grid lines across the value axis (``"y"``, or ``"x"`` for horizontal bars) only.

    Remembered on the axes: a screen chart redrawn with the same grid is not set up
    again (that touches every tick).
    """
    if getattr(ax, "_parkdesk_grid", None) == axis:
        return
    ax.grid(False)
    ax.grid(axis=axis, color="#e3e7ee", linewidth=0.8)
    ax._parkdesk_grid = axis


def _empty(fig: "Figure | None", title: str, message: str) -> "Figure":
    fig, ax = _prepare(fig)
    ax.set_axis_off()
    ax.set_title(title, fontsize=11)
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=10, color="#666666", transform=ax.transAxes)
    return fig


def _change_label(kind: str) -> str:
    return "同比增减（个百分点）" if kind == RATE else "同比增长（%）"


def _series(desk, indicator_id: int, year: int, years: int):
    from .indicator_figures import indicator_series

    return indicator_series(desk, indicator_id, year, years=years)


# --- builders -------------------------------------------------------------------------------
def year_vs_last_year(desk, indicator_id: int, year: int, through: int = 12, *, fig=None) -> "Figure":
    """This year against last year by month: 1—N月累计 (or month-end values, or official growth)."""
    series = _series(desk, indicator_id, year, 1)
    now, before = series[year], series[year - 1]
    first = now[0]
    months = list(range(1, 13))
    if first.kind == GROWTH_ONLY:
        this = [f.yoy_pct for f in now[:through]]
        last = [f.yoy_pct for f in before]
        what, ylabel = "同比增长", "%"
    else:
        this = [f.value for f in now[:through]]
        last = [f.value for f in before]
        what = "累计值" if first.kind == CUMULATIVE else "月末值"
        ylabel = first.unit
    has_last = any(v is not None for v in last)
    # Only the years that have figures are named (a park's first year has no last year).
    title = f"{first.name}{what}：{year}年" + (f"与{year - 1}年" if has_last else "")
    if all(v is None for v in this + last):
        return _empty(fig, title, "暂无数据")
    fig, ax = _prepare(fig)
    _line(ax, months, last, f"{year - 1}年", LAST_YEAR, dashed=True)
    _line(ax, months[:through], this, f"{year}年", THIS_YEAR)
    _label_last(ax, months[:through], this, first.decimals if first.kind != GROWTH_ONLY else first.growth_decimals)
    ax.set_xticks(months, [f"{m}月" for m in months], fontsize=8)
    values = [v for v in this + last if v is not None]
    if first.kind != GROWTH_ONLY and min(values) >= 0:
        ax.set_ylim(bottom=0)  # amounts and counts are read against zero, not a cropped axis
    ax.set_ylabel(ylabel, fontsize=9)
    ax.set_title(title, fontsize=11)
    ax.legend(fontsize=8, frameon=False)
    return fig


def growth_by_month(desk, indicator_id: int, year: int, through: int = 12, *, fig=None) -> "Figure":
    """同比 of each month's 1—N月 figure this year (bars) and last year (line)."""
    series = _series(desk, indicator_id, year, 1)
    now, before = series[year][:through], series[year - 1]
    first = series[year][0]
    this = [f.change for f in now]
    last = [f.change for f in before]
    title = f"{first.name}各月同比：{year}年与{year - 1}年"
    if all(v is None for v in this + last):
        why = "按可比价计算的增速，仅采用统计部门公布的数据，目前尚无" if not first.nominal_growth else "缺少上年同期数据，无法计算同比"
        return _empty(fig, title, why)
    fig, ax = _prepare(fig)
    months = list(range(1, 13))
    bars = [v if v is not None else 0 for v in this]
    colors = [THIS_YEAR if (v or 0) >= 0 else NEGATIVE for v in this]
    from matplotlib.patches import Patch

    _bars(ax, months[:through], bars, color=colors, width=0.6)
    _line(ax, months, last, f"{year - 1}年", LAST_YEAR, dashed=True)
    for m, v, f in zip(months, this, now):
        if v is not None:
            ax.annotate(fmt(v, first.growth_decimals) + ("*" if f.yoy_is_official else ""), (m, v),
                        textcoords="offset points", xytext=(0, 3 if v >= 0 else -10), ha="center", fontsize=7)
    ax.axhline(0, color="#555555", linewidth=0.8)
    ax.set_xticks(months, [f"{m}月" for m in months], fontsize=8)
    ax.set_ylabel(_change_label(first.kind), fontsize=9)
    ax.set_title(title, fontsize=11)
    ax.margins(y=0.12)
    handles, _labels = ax.get_legend_handles_labels()
    ax.legend(handles=[Patch(color=THIS_YEAR, label=f"{year}年"), *handles], fontsize=8, frameon=False)
    if any(f.yoy_is_official for f in now):
        ax.set_xlabel("注：带 * 的为统计部门公布的增速", fontsize=7, color="#666666", loc="right")
    return fig


def growth_by_year(desk, indicator_id: int, year: int, through: int = 12, *, years: int = 5, fig=None) -> "Figure":
    """同比 over the years: the full year for past years, 1—N月 for ``year``."""
    series = _series(desk, indicator_id, year, years - 1)
    first = series[year][0]
    labels, values = [], []
    for y in sorted(series):
        month = through if y == year else 12
        f = series[y][month - 1]
        labels.append(f"{y}年" if month == 12 else f"{y}年\n{month_range(month)}")
        values.append(f.change)
    title = f"{first.name}历年同比"
    if all(v is None for v in values):
        return _empty(fig, title, "暂无可比较的数据")
    fig, ax = _prepare(fig)
    xs = list(range(len(labels)))
    _bars(ax, xs, [v if v is not None else 0 for v in values],
           color=[THIS_YEAR if (v or 0) >= 0 else NEGATIVE for v in values], width=0.55)
    for x, v in zip(xs, values):
        text = "—" if v is None else fmt(v, first.growth_decimals)
        ax.annotate(text, (x, v or 0), textcoords="offset points", xytext=(0, 3 if (v or 0) >= 0 else -10),
                    ha="center", fontsize=8)
    ax.axhline(0, color="#555555", linewidth=0.8)
    ax.margins(y=0.12)
    ax.set_xticks(xs, labels, fontsize=8)
    ax.set_ylabel(_change_label(first.kind), fontsize=9)
    ax.set_title(title, fontsize=11)
    return fig


def annual_totals(desk, indicator_id: int, year: int, through: int = 12, *, years: int = 5, fig=None) -> "Figure":
    """The full-year figure of each year; for ``year`` the value so far and the forecast or estimate."""
    series = _series(desk, indicator_id, year, years - 1)
    first = series[year][0]
    title = f"{first.name}历年{'总量' if first.kind == CUMULATIVE else '年末值'}（{first.unit}）"
    if first.kind == GROWTH_ONLY:
        return _empty(fig, title, "该指标只录入增速，没有总量")
    labels, done, full = [], [], []
    for y in sorted(series):
        month = through if y == year else 12
        f = series[y][month - 1]
        labels.append(f"{y}年" if month == 12 else f"{y}年\n{month_range(month)}")
        done.append(f.value)
        full.append(f.full_year if y == year and month < 12 else None)
    if all(v is None for v in done):
        return _empty(fig, title, "暂无数据")
    fig, ax = _prepare(fig)
    xs = list(range(len(labels)))
    current = series[year][through - 1]
    if any(v is not None for v in full):
        source = "预计全年" if current.full_year_source == "forecast" else "估算全年"
        _bars(ax, xs, [v or 0 for v in full], width=0.55, color="none", edgecolor=THIS_YEAR, hatch="///",
               linewidth=0.8, label=source)
    _bars(ax, xs, [v or 0 for v in done], width=0.55, color=THIS_YEAR, label="实际")
    for x, v, e in zip(xs, done, full):
        top = max(v or 0, e or 0)
        text = fmt(v, first.decimals) if e is None else f"{fmt(v, first.decimals)}／{fmt(e, first.decimals)}"
        ax.annotate(text, (x, top), textcoords="offset points", xytext=(0, 3), ha="center", fontsize=7)
    ax.set_xticks(xs, labels, fontsize=8)
    ax.set_ylabel(first.unit, fontsize=9)
    ax.set_title(title, fontsize=11)
    if any(v is not None for v in full):
        ax.legend(fontsize=8, frameon=False, loc="upper left")
    return fig


def category_progress(desk, category: str, year: int, through: int, *, fig=None) -> "Figure":
    """完成年度目标 % of every cumulative indicator of a category with a target, against 时序进度."""
    from .indicator_figures import period_figures

    figures = [f for f in period_figures(desk, year, through, with_flags=False)
               if f.category == category and f.target_pct is not None and f.kind == CUMULATIVE]
    title = f"{category}类指标完成年度目标情况（{year}年{month_range(through)}）"
    if not figures:
        return _empty(fig, title, "本类指标尚未设定年度目标或没有数据")
    fig, ax = _prepare(fig)
    _grid(ax, "x")
    figures = list(reversed(figures))  # first indicator on top
    ys = list(range(len(figures)))
    _bars(ax, ys, [f.target_pct for f in figures], color=[STATUS_COLORS[f.status] for f in figures], height=0.55,
          horizontal=True)
    progress = through / 12 * 100
    ax.axvline(progress, color=ACCENT, linestyle="--", linewidth=1.2)
    ax.annotate(f"时序进度{fmt(progress, 1)}%", (progress, 1.0), xycoords=("data", "axes fraction"),
                textcoords="offset points", xytext=(0, 2), ha="center", fontsize=8, color=ACCENT)
    for y, f in zip(ys, figures):
        ax.annotate(f"{fmt(f.target_pct, 1)}%", (f.target_pct, y), textcoords="offset points", xytext=(3, -3),
                    fontsize=8)
    ax.set_yticks(ys, [f.name for f in figures], fontsize=8)
    ax.set_xlabel("完成年度目标（%）", fontsize=9)
    ax.set_xlim(0, max(110.0, max(f.target_pct for f in figures) * 1.15))
    ax.set_title(title, fontsize=11, pad=14)
    if len(figures) > 6:
        fig.set_figheight(max(DEFAULT_SIZE[1], 0.35 * len(figures) + 1.0))
    return fig


def category_progress_of(desk, indicator_id: int, year: int, through: int = 12, *, fig=None) -> "Figure":
    """:func:`category_progress` for the category of ``indicator_id``."""
    return category_progress(desk, desk.indicators.get(indicator_id).category, year, through, fig=fig)


# key -> (label shown in the UI, builder(desk, indicator_id, year, through, fig=...))
INDICATOR_CHARTS: dict[str, tuple[str, Callable[..., "Figure"]]] = {
    "year_vs_last_year": ("本年与上年累计对比", year_vs_last_year),
    "growth_by_month": ("各月同比增速", growth_by_month),
    "growth_by_year": ("历年同比增速", growth_by_year),
    "category_progress": ("同类指标目标完成与时序进度", category_progress_of),
    "annual_totals": ("历年总量", annual_totals),
}


def build_chart(desk, key: str, indicator_id: int, year: int, through: int = 12, *, fig=None) -> "Figure":
    """The chart ``key`` of :data:`INDICATOR_CHARTS` for one indicator and period."""
    try:
        _label, builder = INDICATOR_CHARTS[key]
    except KeyError:
        from .errors import ValidationError

        raise ValidationError(f"未知的图表“{key}”") from None
    return builder(desk, indicator_id, year, through, fig=fig)


# --- output ----------------------------------------------------------------------------------
def png_bytes(fig: "Figure", dpi: int = 200) -> bytes:
    """The figure as PNG data (for the clipboard or embedding)."""
    buf = io.BytesIO()
    _print_png(fig, buf, dpi)
    return buf.getvalue()


def save_png(fig: "Figure", path, dpi: int = 200) -> Path:
    """Save the figure as a PNG at ``dpi`` (written to a temporary file, then renamed)."""
    path = Path(path)
    with atomic_output(path, suffix=".png") as tmp:
        with open(tmp, "wb") as fh:
            _print_png(fig, fh, dpi)
    return path


def _print_png(fig: "Figure", target, dpi: int) -> None:
    # savefig renders through Agg whether the figure sits in a Qt canvas or in none.
    if fig.get_layout_engine() is not None:
        fig.savefig(target, format="png", dpi=dpi, facecolor="white")
        return
    # A screen figure (fixed margins): saved with the report's constrained layout and
    # the legend placed by matplotlib's "best", as a new figure would be.
    for ax in fig.axes:
        ax._autotitlepos = None
        ax.xaxis._autolabelpos = ax.yaxis._autolabelpos = True
        for text in ax.texts:
            if hasattr(text, "set_annotation_clip"):
                text.set_annotation_clip(None)
        if getattr(ax.get_legend(), "_parkdesk_best", False):
            ax.get_legend().set_loc("best")
    # From the default margins, as a new figure starts: constrained layout starting from the
    # screen's fitted ones does not always settle where the report's chart does.
    import matplotlib as mpl

    fig.subplots_adjust(**{k: mpl.rcParams[f"figure.subplot.{k}"] for k in ("left", "right", "bottom", "top")})
    fig.set_layout_engine("constrained")
    try:
        fig.savefig(target, format="png", dpi=dpi, facecolor="white")
    finally:
        fig.set_layout_engine(None)
        fit_margins(fig)


# --- small drawing helpers ------------------------------------------------------------------------
def _bars(ax, xs, heights, *, horizontal: bool = False, **kwargs):
    """``ax.bar`` (or ``barh``) with the data limits updated once for all bars instead of bar by bar.

    The limits come out the same — matplotlib takes each bar's corners, as here — but
    its general test of every patch's transform costs more than the rest of a small chart.
    """
    ax._update_patch_limits = lambda _patch: None  # an instance attribute hiding the method
    try:
        bars = ax.barh(xs, heights, **kwargs) if horizontal else ax.bar(xs, heights, **kwargs)
    finally:
        del ax._update_patch_limits
    corners = []
    for bar in bars:
        x, y, w, h = bar.get_x(), bar.get_y(), bar.get_width(), bar.get_height()
        if w or h:  # matplotlib leaves out bars of no size at all
            corners += [(x, y), (x + w, y + h)]
    if corners:
        ax.update_datalim(corners)
    return bars


def _line(ax, xs, ys, label, color, *, dashed: bool = False) -> None:
    pts = [(x, y) for x, y in zip(xs, ys) if y is not None]
    if not pts:
        return
    ax.plot([p[0] for p in pts], [p[1] for p in pts], color=color, marker="o", markersize=3.5,
            linewidth=1.8 if not dashed else 1.4, linestyle="--" if dashed else "-", label=label)


def _label_last(ax, xs, ys, decimals: int) -> None:
    pts = [(x, y) for x, y in zip(xs, ys) if y is not None]
    if pts:
        x, y = pts[-1]
        ax.annotate(fmt(y, decimals), (x, y), textcoords="offset points", xytext=(4, 4), fontsize=8,
                    color=THIS_YEAR)


__all__ = [
    "INDICATOR_CHARTS", "annual_totals", "build_chart", "category_progress", "category_progress_of",
    "fit_margins", "growth_by_month", "growth_by_year", "new_figure", "png_bytes", "save_png", "screen_renderer",
    "screen_renderer_class", "year_vs_last_year",
]
