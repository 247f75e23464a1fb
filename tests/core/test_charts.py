"""Trend charts: Figures built without pyplot, Chinese text in a CJK font, PNG output."""

from __future__ import annotations

import struct
import warnings

import pytest

from parkdesk import charts
from parkdesk.fonts import find_cjk_fonts

pytestmark = pytest.mark.skipif(not find_cjk_fonts(), reason="no CJK font installed")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("key", list(charts.INDICATOR_CHARTS))
@pytest.mark.parametrize("name", ["技工贸总收入", "规模工业增加值", "地区生产总值", "主导产业产值占比", "规上企业数"])
def test_every_chart_renders_without_missing_glyphs(demo_desk, tmp_path, key, name):
    """Each chart of each kind of indicator gives a Figure and a PNG, with no missing-glyph warning."""
    from matplotlib.figure import Figure

    ind = demo_desk.indicators.by_name(name)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = charts.build_chart(demo_desk, key, ind.id, 2026, 10)
        assert isinstance(fig, Figure)
        path = charts.save_png(fig, tmp_path / f"{key}.png", dpi=120)
    glyphs = [str(w.message) for w in caught if "missing from" in str(w.message) or "Glyph" in str(w.message)]
    assert not glyphs
    width, height = png_size(path.read_bytes())
    assert width == pytest.approx(charts.DEFAULT_SIZE[0] * 120, abs=2)
    assert height >= 200
    assert fig.axes and fig.axes[0].get_title()


def test_charts_use_no_pyplot(demo_desk):
    """Building charts never imports matplotlib.pyplot (no global figure state)."""
    import subprocess
    import sys

    code = (
        "import sys; from parkdesk.desk import Desk; from parkdesk import charts\n"
        f"d = Desk.open({str(demo_desk.path)!r}, readonly=True)\n"
        "i = d.indicators.by_name('税收收入').id\n"
        "for k in charts.INDICATOR_CHARTS: charts.build_chart(d, k, i, 2026, 10)\n"
        "charts.png_bytes(charts.build_chart(d, 'growth_by_year', i, 2026, 10))\n"
        "sys.exit(1 if 'matplotlib.pyplot' in sys.modules else 0)\n"
    )
    demo_desk.close()
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=str(charts.__file__).rsplit("/parkdesk/", 1)[0])
    assert result.returncode == 0, result.stderr


def test_chart_content_matches_the_data(demo_desk):
    """The cumulative chart plots this year's values through N and last year's twelve months."""
    ind = demo_desk.indicators.by_name("技工贸总收入")
    fig = charts.year_vs_last_year(demo_desk, ind.id, 2026, 10)
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    this_year = lines["2026年"].get_ydata()
    assert len(this_year) == 10 and len(lines["2025年"].get_ydata()) == 12
    values = demo_desk.indicators.month_values(2026)
    assert this_year[-1] == values[(ind.id, 10)].value
    progress = charts.category_progress(demo_desk, "建设投入", 2026, 10)
    labels = [t.get_text() for t in progress.axes[0].get_yticklabels()]
    assert "固定资产投资" in labels


def test_empty_data_gives_a_message_not_an_error(desk):
    """An indicator without data draws a titled figure saying so."""
    ind = desk.indicators.by_name("税收收入")
    for key in charts.INDICATOR_CHARTS:
        fig = charts.build_chart(desk, key, ind.id, 2026, 3)
        texts = [t.get_text() for t in fig.axes[0].texts]
        assert texts and any("暂无" in t or "尚未" in t or "缺少" in t or "没有" in t for t in texts)


def test_drawing_into_an_existing_figure_replaces_it(demo_desk):
    """Passing fig= clears and reuses the figure (the UI's canvas)."""
    ind = demo_desk.indicators.by_name("税收收入")
    fig = charts.new_figure()
    charts.build_chart(demo_desk, "growth_by_month", ind.id, 2026, 10, fig=fig)
    charts.build_chart(demo_desk, "annual_totals", ind.id, 2026, 10, fig=fig)
    assert len(fig.axes) == 1 and "历年" in fig.axes[0].get_title()


def test_unknown_chart_is_a_clear_error(demo_desk):
    """An unknown chart key is a ValidationError."""
    from parkdesk.errors import ValidationError

    with pytest.raises(ValidationError):
        charts.build_chart(demo_desk, "pie", 1, 2026, 10)


def test_first_year_chart_names_only_its_year_and_starts_at_zero(desk):
    """Without last year's figures the title names this year only, and the value axis starts at 0."""
    ind = desk.indicators.by_name("技工贸总收入")
    for month, value in ((1, 50.0), (2, 61.0), (3, 70.0)):
        desk.indicators.set_month(ind.id, 2026, month, value=value)
    fig = charts.year_vs_last_year(desk, ind.id, 2026, 3)
    ax = fig.axes[0]
    assert ax.get_title() == "技工贸总收入累计值：2026年"
    assert [line.get_label() for line in ax.get_lines()] == ["2026年"]
    assert ax.get_ylim()[0] == 0
    desk.indicators.set_month(ind.id, 2025, 3, value=40.0)
    assert charts.year_vs_last_year(desk, ind.id, 2026, 3).axes[0].get_title() == "技工贸总收入累计值：2026年与2025年"


@pytest.mark.parametrize("key", list(charts.INDICATOR_CHARTS))
def test_screen_figure_keeps_labels_inside_and_saves_laid_out(demo_desk, tmp_path, key):
    """A screen figure (fixed margins) keeps every label inside; saving it lays it out, then restores it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    ind = demo_desk.indicators.by_name("技工贸总收入")
    fig = charts.new_figure(layout=None)
    canvas = FigureCanvasAgg(fig)
    for size in ((6.1, 3.3), (4.0, 2.6), (9.0, 4.0)):
        fig.set_size_inches(*size)
        charts.build_chart(demo_desk, key, ind.id, 2026, 10, fig=fig)
        charts.fit_margins(fig)
        canvas.draw()
        renderer = canvas.get_renderer()
        box = fig.axes[0].get_tightbbox(renderer)
        width, height = fig.get_size_inches() * fig.dpi
        # Only tick labels, axis labels and the title count (annotations may touch the edge).
        assert box.x0 >= -1 and box.y0 >= -1 and box.y1 <= height + 1, (size, box)
    before = fig.axes[0].get_position().bounds
    data = charts.png_bytes(fig, dpi=100)
    assert png_size(data)[0] == pytest.approx(9.0 * 100, abs=2)
    assert fig.get_layout_engine() is None
    assert fig.axes[0].get_position().bounds == pytest.approx(before)


@pytest.mark.parametrize("screen", [False, True])
def test_screen_figure_redrawn_in_place_looks_like_a_new_one(demo_desk, screen):
    """Redrawing one screen figure through every chart kind gives the same pixels as a new figure
    each time — with matplotlib's renderer, and with the screen's (remembered texts, quick axes)."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if screen:
        FigureCanvasAgg = _screen_canvas  # noqa: N806 - the same calls, the panel's drawing

    names = ["技工贸总收入", "规模工业增加值", "主导产业产值占比", "规上企业数"]
    sequence = [(key, name) for name in names for key in charts.INDICATOR_CHARTS]
    sequence += list(reversed(sequence))
    reused = charts.new_figure(layout=None)
    reused_canvas = FigureCanvasAgg(reused)
    axes = None
    for key, name in sequence:
        ind = demo_desk.indicators.by_name(name)
        reused.set_size_inches(*charts.DEFAULT_SIZE)  # category_progress may make a figure taller
        charts.build_chart(demo_desk, key, ind.id, 2026, 10, fig=reused)
        charts.fit_margins(reused)
        reused_canvas.draw()
        assert len(reused.axes) == 1
        axes = axes or reused.axes[0]
        assert reused.axes[0] is axes  # drawn in place
        fresh = charts.new_figure(layout=None)
        fresh_canvas = FigureCanvasAgg(fresh)
        charts.build_chart(demo_desk, key, ind.id, 2026, 10, fig=fresh)
        charts.fit_margins(fresh)
        fresh_canvas.draw()
        a, b = np.asarray(reused_canvas.buffer_rgba()), np.asarray(fresh_canvas.buffer_rgba())
        assert a.shape == b.shape and (a == b).all(), (key, name)


def _screen_canvas(fig):
    """An Agg canvas drawing with the screen renderer (as the charts panel's canvas does)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from matplotlib.backends.backend_agg import RendererAgg

    class ScreenCanvas(FigureCanvasAgg):  # as ui/indicators/charts_panel.ChartCanvas: saved by RendererAgg
        def get_renderer(self):
            renderer = super().get_renderer()
            wanted = RendererAgg if self.is_saving() else charts.screen_renderer_class()
            if type(renderer) is not wanted:
                renderer = self.renderer = wanted(renderer.width, renderer.height, renderer.dpi)
            return renderer

    return ScreenCanvas(fig)


def _screen_chart(desk, key, name, canvas_of=None):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = charts.new_figure(layout=None)
    fig.set_size_inches(4.6, 3.4)
    canvas = (canvas_of or FigureCanvasAgg)(fig)
    charts.build_chart(desk, key, desk.indicators.by_name(name).id, 2026, 10, fig=fig)
    charts.fit_margins(fig)
    canvas.draw()
    return fig, canvas


def test_screen_renderer_measures_like_agg_and_draws_the_same_twice(demo_desk):
    """Text sizes are matplotlib's own; a chart drawn again from the remembered texts has the same pixels."""
    import numpy as np
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    plain, screen = RendererAgg(400, 300, 100), charts.screen_renderer(400, 300, 100)
    for text in ("技工贸总收入累计值：2026年与2025年", "12月", "-18.4*", "亿元"):
        for size in (7, 8, 11):
            prop = FontProperties(size=size)
            assert screen.get_text_width_height_descent(text, prop, False) == \
                plain.get_text_width_height_descent(text, prop, False)
    charts.screen_renderer_class()._glyphs.clear()  # a cold start
    for key in ("growth_by_month", "category_progress"):
        fig, first = _screen_chart(demo_desk, key, "规模工业增加值", _screen_canvas)
        once = np.asarray(first.buffer_rgba()).copy()
        fig.stale = True
        first.draw()  # every text now comes from what was remembered
        assert (np.asarray(first.buffer_rgba()) == once).all(), key
        # Next to matplotlib's own renderer, texts may sit differently by a pixel at most: every
        # pixel finds one of nearly the same shade within a pixel's distance in the other image.
        _fig, plain_canvas = _screen_chart(demo_desk, key, "规模工业增加值")
        a = once[..., :3].astype(int).sum(axis=2)
        b = np.asarray(plain_canvas.buffer_rgba())[..., :3].astype(int).sum(axis=2)
        padded = np.pad(b, 1, mode="edge")
        nearest = np.min([np.abs(a - padded[1 + dy:1 + dy + a.shape[0], 1 + dx:1 + dx + a.shape[1]])
                          for dy in (-1, 0, 1) for dx in (-1, 0, 1)], axis=0)
        assert (nearest <= 3 * 128).all() and (nearest > 3 * 32).mean() < 0.01, key


def test_screen_legend_gets_a_fixed_place_clear_of_the_data(demo_desk):
    """On screen a legend is not placed "best" at every draw but once, where it covers no point, bar or label."""
    from matplotlib.patches import Rectangle
    from matplotlib.text import Annotation

    checked = 0
    for name in ("技工贸总收入", "规模工业增加值", "地区生产总值", "实际利用外资", "税收收入"):
        for key in ("year_vs_last_year", "growth_by_month"):
            fig, canvas = _screen_chart(demo_desk, key, name)
            ax = fig.axes[0]
            legend = ax.get_legend()
            if legend is None:
                continue
            assert legend._loc != 0, (key, name)  # 0 is "best"
            renderer = canvas.get_renderer()
            box = legend.get_window_extent(renderer)
            for line in ax.get_lines():
                points = line.get_transform().transform(line.get_xydata())
                assert not box.count_contains(points), (key, name, line.get_label())
            bars = [p.get_window_extent(renderer) for p in ax.patches if isinstance(p, Rectangle)]
            notes = [t.get_window_extent(renderer) for t in ax.texts if isinstance(t, Annotation)]
            assert not box.count_overlaps(bars + notes), (key, name)
            checked += 1
    assert checked >= 8


@pytest.mark.parametrize("key", list(charts.INDICATOR_CHARTS))
def test_saving_a_screen_chart_gives_the_reports_look(demo_desk, tmp_path, key):
    """A screen chart saved is laid out as the report's: constrained layout, legend "best",
    matplotlib's renderer — the same PNG as a chart built for the report, for every kind."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    for name in ("规模工业增加值", "税收收入", "进出口总额", "技工贸总收入", "主导产业产值占比"):
        fig, _canvas = _screen_chart(demo_desk, key, name, _screen_canvas)
        legend = fig.axes[0].get_legend()
        placed = legend._loc if legend is not None else None
        saved = charts.png_bytes(fig, dpi=100)
        if legend is not None:
            assert fig.axes[0].get_legend()._loc == placed  # the screen's place again afterwards
        # The same chart built on a figure with constrained layout from the start (as the report's).
        reference = charts.new_figure(size=tuple(fig.get_size_inches()))
        FigureCanvasAgg(reference)
        charts.build_chart(demo_desk, key, demo_desk.indicators.by_name(name).id, 2026, 10, fig=reference)
        assert saved == charts.png_bytes(reference, dpi=100), (key, name)


def test_bars_set_the_same_limits_as_matplotlib(demo_desk):
    """Bars added with one update of the data limits give the limits (and pixels) of ``ax.bar``."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from parkdesk.charts import _bars

    images = []
    for ours in (True, False):
        fig = charts.new_figure()
        canvas = FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        heights = [3.5, -1.25, 0, 7.0, 0.5]  # a bar of no height still counts (it has a width)
        if ours:
            _bars(ax, [1, 2, 3, 4, 5], heights, width=0.6)
            _bars(ax, [0, 1], [2.0, 4.0], horizontal=True, height=0.3)
        else:
            ax.bar([1, 2, 3, 4, 5], heights, width=0.6)
            ax.barh([0, 1], [2.0, 4.0], height=0.3)
        canvas.draw()
        images.append((ax.dataLim.get_points().copy(), ax.get_xlim(), ax.get_ylim(),
                       np.asarray(canvas.buffer_rgba()).copy()))
    (lim_a, x_a, y_a, img_a), (lim_b, x_b, y_b, img_b) = images
    assert (lim_a == lim_b).all() and x_a == x_b and y_a == y_b
    assert (img_a == img_b).all()


def test_screen_renderer_falls_back_to_matplotlibs_own_drawing(demo_desk, monkeypatch, caplog):
    """Should a matplotlib release change the internals the remembered texts rely on, the chart
    is still drawn (by matplotlib's own text drawing) and the failure is logged, not raised."""
    import numpy as np

    cls = charts.screen_renderer_class()
    if not hasattr(cls, "_draw_text_remembered"):
        pytest.skip("this matplotlib draws texts in one piece: no remembered path")

    def broken(self, *args, **kwargs):
        raise AttributeError("FT2Font has no attribute _layout")

    monkeypatch.setattr(cls, "_draw_text_remembered", broken)
    monkeypatch.setattr(cls, "_fallback", False)
    cls._glyphs.clear()
    fig, canvas = _screen_chart(demo_desk, "growth_by_month", "规模工业增加值", _screen_canvas)
    image = np.asarray(canvas.buffer_rgba())
    assert cls._fallback and "remembered texts turned off" in caplog.text
    _fig, plain = _screen_chart(demo_desk, "growth_by_month", "规模工业增加值")  # matplotlib's own Agg
    assert (image == np.asarray(plain.buffer_rgba())).all()  # texts included: drawn as matplotlib draws them


def test_a_screen_renderer_that_cannot_be_made_leaves_matplotlibs_own(demo_desk, monkeypatch, caplog):
    """Should the renderer class itself fail to build with some matplotlib, charts are drawn
    by matplotlib's own renderer (logged), never not at all."""
    import numpy as np
    from matplotlib.backends.backend_agg import RendererAgg

    import parkdesk.chart_screen as chart_screen

    def broken():
        raise ImportError("cannot import name 'RenderMode' from 'matplotlib.ft2font'")

    monkeypatch.setattr(chart_screen, "_make_screen_renderer_class", broken)
    chart_screen.screen_renderer_class.cache_clear()
    try:
        assert charts.screen_renderer_class() is RendererAgg
        _fig, canvas = _screen_chart(demo_desk, "year_vs_last_year", "税收收入", _screen_canvas)
        _fig, plain = _screen_chart(demo_desk, "year_vs_last_year", "税收收入")
        assert (np.asarray(canvas.buffer_rgba()) == np.asarray(plain.buffer_rgba())).all()
        assert "screen chart renderer unavailable" in caplog.text
    finally:
        chart_screen.screen_renderer_class.cache_clear()


def test_title_makes_room_for_the_offset_this_chart_shows():
    """fit_margins decides the title's place from the y-axis offset ("+1.2e6") of the chart
    being drawn, not from what the offset text held at the last draw."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = charts.new_figure(layout=None)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.plot([1, 2, 3], [1_200_001, 1_200_005, 1_200_009])
    ax.set_title("标题")
    charts.fit_margins(fig)
    assert ax._autotitlepos is None  # an offset is shown: matplotlib places the title above it
    canvas.draw()
    ax.cla()
    ax.plot([1, 2, 3], [1, 5, 9])
    ax.set_title("标题")
    charts.fit_margins(fig)
    assert ax._autotitlepos is False  # no offset any more: the title's fixed place


def _without_quick_axes(fig, canvas):
    """The figure drawn again with matplotlib's own Axis.draw and Legend.draw (the quick ones
    taken off its axes and legend); with how many were taken off."""
    import numpy as np

    ax = fig.axes[0]
    taken = 0
    for artist in (ax.xaxis, ax.yaxis, ax.get_legend()):
        if artist is not None and "draw" in vars(artist):
            del artist.draw
            taken += 1
    fig.stale = True
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy(), taken


@pytest.mark.parametrize("key", list(charts.INDICATOR_CHARTS))
def test_quick_axis_drawing_gives_matplotlibs_pixels(demo_desk, key, monkeypatch):
    """On screen an axis's grid lines and tick marks are drawn as one line each and its labels
    measured once, a legend's boxes measured once: the picture is exactly the one matplotlib's
    own Axis.draw and Legend.draw give."""
    import numpy as np

    from parkdesk import chart_screen

    quick_draws = []
    real_draw = chart_screen._QuickAxisDraw._draw
    monkeypatch.setattr(chart_screen._QuickAxisDraw, "_draw",
                        lambda self, axis, renderer: quick_draws.append(axis) or real_draw(self, axis, renderer))
    compared = legends = 0
    for name in ("技工贸总收入", "规模工业增加值", "主导产业产值占比", "规上企业数", "实际利用外资"):
        quick_draws.clear()
        fig, canvas = _screen_chart(demo_desk, key, name, _screen_canvas)
        ax = fig.axes[0]
        if not ax.axison:
            continue  # an empty chart's message: no axis drawn
        assert quick_draws == [ax.xaxis, ax.yaxis] or quick_draws == [ax.yaxis, ax.xaxis], (key, name)
        quick = np.asarray(canvas.buffer_rgba()).copy()
        legend = ax.get_legend() is not None
        own, taken = _without_quick_axes(fig, canvas)
        assert taken == 2 + legend, (key, name)  # both axes (and the legend) were set up quickly
        assert (quick == own).all(), (key, name)
        compared += 1
        legends += legend
    assert compared >= 3
    if key in ("year_vs_last_year", "growth_by_month"):
        assert legends >= 3


def test_quick_axis_drawing_places_offset_and_axis_labels_as_matplotlib(monkeypatch):
    """An axis with an offset ("1e6"), labels on both axes and dashed grid lines (drawn one by one)."""
    import numpy as np

    fig = charts.new_figure(layout=None)
    canvas = _screen_canvas(fig)
    ax = fig.add_subplot()
    ax.plot([1, 2, 3], [1_200_001, 1_200_005, 1_200_009])
    ax.set_title("标题")
    ax.set_xlabel("月份")
    ax.set_ylabel("万元")
    charts.fit_margins(fig)
    canvas.draw()
    assert ax.yaxis.offsetText.get_text()  # the case this test is about
    quick = np.asarray(canvas.buffer_rgba()).copy()
    own, taken = _without_quick_axes(fig, canvas)
    assert taken == 2 and (quick == own).all()

    ax.grid(True, linestyle="--")  # dashed: each grid line drawn by itself, as matplotlib does
    charts.fit_margins(fig)
    fig.stale = True
    canvas.draw()
    quick = np.asarray(canvas.buffer_rgba()).copy()
    own, taken = _without_quick_axes(fig, canvas)
    assert taken == 2 and (quick == own).all()

    ax.grid(True, linestyle="-")
    ax.yaxis.get_major_ticks()[1].gridline.set_color("red")  # one tick styled by itself
    ax.xaxis.get_major_ticks()[0].tick1line.set_markersize(9)
    ax.yaxis.get_major_ticks()[2].set_visible(False)  # one tick hidden: none of its parts drawn
    charts.fit_margins(fig)
    fig.stale = True
    canvas.draw()
    quick = np.asarray(canvas.buffer_rgba()).copy()
    assert ((quick[..., 0] > 200) & (quick[..., 1] < 60)).any()  # the red grid line is there
    own, taken = _without_quick_axes(fig, canvas)
    assert taken == 2 and (quick == own).all()


def test_quick_axis_drawing_falls_back_to_matplotlibs_own(demo_desk, monkeypatch, caplog):
    """Should the quick drawing fail with some matplotlib, the axis is drawn by matplotlib (logged)
    and keeps being drawn so."""
    import numpy as np

    from parkdesk import chart_screen

    def broken(self, *args):
        raise AttributeError("Tick has no attribute gridline")

    monkeypatch.setattr(chart_screen._QuickAxisDraw, "_draw_lines", broken)
    monkeypatch.setattr(chart_screen._QuickAxisDraw, "broken", False)
    fig, canvas = _screen_chart(demo_desk, "year_vs_last_year", "税收收入", _screen_canvas)
    image = np.asarray(canvas.buffer_rgba()).copy()
    ax = fig.axes[0]
    assert "quick axis drawing failed" in caplog.text
    charts.fit_margins(fig)  # laid out again (the next indicator): not set up again
    assert "draw" not in vars(ax.xaxis) and "draw" not in vars(ax.yaxis)
    own, taken = _without_quick_axes(fig, canvas)
    assert taken == 1 and (image == own).all()  # the legend's quick drawing was still in place


def test_quick_legend_drawing_falls_back_to_matplotlibs_own(demo_desk, monkeypatch, caplog):
    import numpy as np

    from parkdesk import chart_screen

    real = chart_screen._once_per_draw
    wrapped = []

    def broken(method, renderer):  # fails part-way through the legend's boxes
        wrapped.append(method)
        if len(wrapped) > 3:
            raise AttributeError("VPacker has no attribute get_bbox")
        return real(method, renderer)

    monkeypatch.setattr(chart_screen, "_once_per_draw", broken)
    monkeypatch.setattr(chart_screen._QuickLegendDraw, "broken", False)
    fig, canvas = _screen_chart(demo_desk, "year_vs_last_year", "税收收入", _screen_canvas)
    image = np.asarray(canvas.buffer_rgba()).copy()
    legend = fig.axes[0].get_legend()
    charts.fit_margins(fig)
    assert "quick legend drawing failed" in caplog.text and "draw" not in vars(legend)
    assert len(wrapped) == 4  # three boxes' methods were wrapped before the failure
    boxes, stack = [], [legend._legend_box]
    while stack:
        box = stack.pop()
        boxes.append(box)
        stack.extend(c for c in box.get_children() if hasattr(c, "_get_bbox_and_child_offsets"))
    left = [name for box in boxes for name in ("get_bbox", "_get_bbox_and_child_offsets") if name in vars(box)]
    assert left == []  # nothing left behind on the boxes
    own, taken = _without_quick_axes(fig, canvas)
    assert taken == 2 and (image == own).all()


@pytest.mark.parametrize("size", [(4.6, 3.4), (6.1, 3.3), (3.0, 2.2), (9.0, 5.5)])
def test_fit_margins_measures_again_only_when_the_ticks_change(demo_desk, size, monkeypatch):
    """fit_margins measures the labels a second time (at the axes' new size) only when the ticks
    change with the size: the margins are always those of measuring twice."""
    from parkdesk import chart_screen

    def twice(fig):  # the layout as measured twice, always
        import matplotlib as mpl

        width, height = fig.get_size_inches() * fig.dpi
        fig.subplots_adjust(**{k: mpl.rcParams[f"figure.subplot.{k}"] for k in ("left", "right", "bottom", "top")})
        for _pass in range(2):
            left, right, bottom, top = chart_screen._margins(fig)
            fig.subplots_adjust(left=min(0.45, left / width), right=1 - min(0.2, right / width),
                                bottom=min(0.45, bottom / height), top=1 - min(0.3, top / height))
        p = fig.subplotpars
        return p.left, p.right, p.bottom, p.top

    measured = []
    real_measure = chart_screen._measure
    monkeypatch.setattr(chart_screen, "_measure", lambda fig: measured.append(1) or real_measure(fig))
    once = 0
    for name in ("技工贸总收入", "规模工业增加值", "主导产业产值占比", "规上企业数", "实际利用外资", "税收收入"):
        for key in charts.INDICATOR_CHARTS:
            fig = charts.new_figure(size=size, layout=None)
            charts.build_chart(demo_desk, key, demo_desk.indicators.by_name(name).id, 2026, 10, fig=fig)
            measured.clear()
            charts.fit_margins(fig)
            p = fig.subplotpars
            got = (p.left, p.right, p.bottom, p.top)
            once += len(measured) == 1
            assert got == twice(fig), (key, name)
    assert once >= 10  # the shortcut is taken for most charts
