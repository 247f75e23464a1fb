"""Screen charts: laid out without measuring text, drawn by a renderer that remembers texts.

The charts panel redraws a chart whenever the clerk picks another indicator, so a
screen figure (``charts.new_figure(layout=None)``) skips what makes matplotlib slow
at every draw — constrained layout, measuring every label to place titles, axis
labels and a "best" legend, shaping every text again — and gets the same look:

- :func:`fit_margins` sets margins in pixels from the labels' lengths and settles the
  title, axis labels, annotations and legend once per layout;
- :func:`screen_renderer` draws with font metrics and rendered texts remembered;
- an axis's grid lines and tick marks are drawn in one stroke each, a legend's boxes
  measured once a draw (:class:`_QuickAxisDraw`, :class:`_QuickLegendDraw`).

Saving a screen chart (``charts.save_png`` / ``charts.png_bytes``) lays it out and
renders it as the report's charts are. matplotlib is imported on first use only.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure


def fit_margins(fig: "Figure") -> None:
    """Fixed layout for a figure without a layout engine (a screen chart): margins, title, legend.

    Margins in pixels are estimated from the label texts and font sizes — no text is
    measured — so that a screen chart redraws quickly; wide labels (indicator names)
    widen the margin. Then what matplotlib would otherwise work out by measuring text
    at every draw is settled once (:func:`_settle_screen_layout`).
    """
    if fig.get_layout_engine() is not None or not fig.axes:
        return
    width, height = fig.get_size_inches() * fig.dpi
    if width < 50 or height < 50:
        return
    import matplotlib as mpl

    # The ticks (and so the labels) depend on the axes' size: start from the same place
    # every time, measure, and measure again once the axes have their size — unless the
    # ticks are the same at that size, when measuring again would find the same margins.
    fig.subplots_adjust(**{k: mpl.rcParams[f"figure.subplot.{k}"] for k in ("left", "right", "bottom", "top")})
    for _pass in range(2):
        (left, right, bottom, top), ticks = _measure(fig)
        fig.subplots_adjust(left=min(0.45, left / width), right=1 - min(0.2, right / width),
                            bottom=min(0.45, bottom / height), top=1 - min(0.3, top / height))
        if ticks == _tick_places(fig.axes[0]):
            break
    _settle_screen_layout(fig.axes[0])


def _settle_screen_layout(ax) -> None:
    """Decide once what a draw would find out by measuring text (the same look, a quicker draw).

    - The title stays at the top of the axes: matplotlib only moves it up to clear an
      offset text of the value axis ("1e6"), so it stays automatic when there is one.
    - An annotation on a point well inside the axes is drawn without testing that again.
    - An empty axis label is not placed (placing one measures every tick label).
    - A legend placed "best" gets the place "best" would choose, estimated from the
      data's pixels and the legend's text lengths (see :func:`_best_legend_loc`);
      saving the chart places it with matplotlib's own "best" again (``charts._print_png``).
    - Its axes and legend are drawn by :class:`_QuickAxisDraw` and :class:`_QuickLegendDraw`
      (the same pixels with less work; saving draws them as matplotlib does).
    """
    from matplotlib.text import Annotation

    # The offset ("1e6") this chart will show: offsetText itself still holds the last draw's.
    offset_text = ax.axison and ax.yaxis.get_visible() and ax.yaxis.major.formatter.get_offset()
    ax._autotitlepos = None if offset_text else False  # None: matplotlib's automatic position
    (x0, x1), (y0, y1) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
    dx, dy = (x1 - x0) * 1e-6, (y1 - y0) * 1e-6
    for text in ax.texts:
        if isinstance(text, Annotation) and text.xycoords == "data":
            x, y = text.xy
            inside = x0 + dx < x < x1 - dx and y0 + dy < y < y1 - dy
            text.set_annotation_clip(False if inside else None)
    # An axis label is placed clear of the tick labels by measuring them all at every draw:
    # an empty one (most charts have no x label) need not be placed.
    for axis, label in ((ax.xaxis, ax.get_xlabel()), (ax.yaxis, ax.get_ylabel())):
        axis._autolabelpos = bool(label)
        if "draw" not in vars(axis) and not _QuickAxisDraw.broken:
            axis.draw = _QuickAxisDraw(axis)
    legend = ax.get_legend()
    if legend is not None and "draw" not in vars(legend) and not _QuickLegendDraw.broken:
        legend.draw = _QuickLegendDraw(legend)
    if legend is not None and (getattr(legend, "_parkdesk_best", False) or getattr(legend, "_loc", None) == 0):
        legend._parkdesk_best = True  # placed "best" by its builder
        legend.set_loc(_best_legend_loc(ax, legend))


class _QuickAxisDraw:
    """``Axis.draw`` for a screen chart drawn by the screen renderer: the same pixels, less work.

    matplotlib draws every tick as five artists (grid line, two tick marks, two labels),
    each with its own transform and graphics context, and measures all tick labels twice
    when it places the axis label. Here the grid lines of an axis are drawn as one line
    broken between ticks, the tick marks as one set of markers, and the labels are
    measured once. Anything this does not cover — another renderer (saving), minor ticks,
    dashed grid lines, ticks styled one by one, axes sharing or aligning labels — is
    drawn by matplotlib's own ``Axis.draw``. Set on the axis by :func:`_settle_screen_layout`;
    should it ever fail (a matplotlib whose internals differ), matplotlib's own is used from then on.
    """

    broken = False

    def __init__(self, axis):
        import weakref

        self._axis = weakref.ref(axis)  # no reference cycle through the axis's own attribute
        self._proxies: dict = {}

    def __call__(self, renderer):
        axis = self._axis()
        if axis is None:  # pragma: no cover - the axis is gone; nothing to draw
            return None
        if not (isinstance(renderer, screen_renderer_class()) and not getattr(type(renderer), "_fallback", True)
                and self._covers(axis)):
            return type(axis).draw(axis, renderer)
        try:
            return self._draw(axis, renderer)
        except Exception:  # noqa: BLE001 - matplotlib internals differ: its own drawing serves
            import logging

            logging.getLogger("parkdesk.charts").exception("quick axis drawing failed: matplotlib's own is used")
            _QuickAxisDraw.broken = True
            del axis.draw
            return type(axis).draw(axis, renderer)

    @staticmethod
    def _covers(axis) -> bool:
        from matplotlib.ticker import NullLocator

        if not isinstance(axis.get_minor_locator(), NullLocator) or axis.get_rasterized():
            return False
        if axis.get_agg_filter() is not None or axis.get_path_effects():
            return False
        name = axis._get_axis_name()
        ax = axis.axes
        if len(ax._shared_axes[name].get_siblings(ax)) != 1:
            return False
        groups = ax.get_figure(root=False)._align_label_groups
        return name not in groups or len(groups[name].get_siblings(ax)) == 1

    def _draw(self, axis, renderer) -> None:
        if not axis.get_visible():
            return
        ticks = axis._update_ticks()
        shown = [tick for tick in ticks if tick.get_visible()]  # a hidden tick draws none of its parts
        for part in ("gridline", "tick1line", "tick2line"):
            self._draw_lines(part, [getattr(tick, part) for tick in shown], renderer)
        for tick in shown:
            tick.label1.draw(renderer)
            tick.label2.draw(renderer)
        for tick in ticks:
            tick.stale = False
        offset = axis.major.formatter.get_offset()
        needs_boxes = (axis._autolabelpos and axis.label.get_text()) or offset
        boxes = axis._get_ticklabel_bboxes(ticks, renderer) if needs_boxes else ([], [])
        if axis._autolabelpos:
            # The boxes just measured are those matplotlib would measure again (no siblings: _covers).
            axis._get_tick_boxes_siblings = lambda renderer: boxes
            try:
                axis._update_label_position(renderer)
            finally:
                del axis._get_tick_boxes_siblings
        axis.label.draw(renderer)
        if needs_boxes:
            axis._update_offset_text_position(*boxes)
        axis.offsetText.set_text(offset)
        axis.offsetText.draw(renderer)
        axis.stale = False

    def _draw_lines(self, part: str, lines: list, renderer) -> None:
        """The lines of one part of every tick, drawn as one — or one by one where they differ."""
        import numpy as np
        from matplotlib.lines import Line2D

        lines = [line for line in lines if line.get_visible()]
        if not lines:
            return
        first = lines[0]
        transform, look = first.get_transform(), _look(first)
        alike = all((line.get_transform() is transform or line.get_transform() == transform) and _look(line) == look
                    for line in lines[1:])
        if len(lines) == 1 or not alike or (first.get_linestyle() not in ("-", "None", "", " ")):
            for line in lines:
                line.draw(renderer)
            return
        proxy = self._proxies.get(part)
        if proxy is None:
            proxy = self._proxies[part] = Line2D([], [])
        proxy.update_from(first)
        proxy.set_antialiased(first.get_antialiased())
        proxy.set_snap(first.get_snap())
        proxy.set_figure(first.get_figure(root=False))
        # A tick's line may give one coordinate once for both ends (matplotlib broadcasts it).
        points = [np.broadcast_arrays(np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float))
                  for line in lines]
        if first.get_marker() in (None, "None", "", " "):
            # A line for each tick, kept apart by a gap (NaN) so that none joins the next.
            gap = np.array([np.nan])
            xs = np.concatenate([piece for x, _y in points for piece in (x, gap)][:-1])
            ys = np.concatenate([piece for _x, y in points for piece in (y, gap)][:-1])
        else:  # tick marks: markers only, one at each tick
            xs = np.concatenate([x for x, _y in points])
            ys = np.concatenate([y for _x, y in points])
        proxy.set_data(xs, ys)
        proxy.draw(renderer)
        for line in lines:
            line.stale = False


class _QuickLegendDraw:
    """``Legend.draw`` for a screen chart: each box of the legend measured once per draw.

    A legend is a tree of boxes (rows of a handle and a text); matplotlib asks every box
    for its size again for each box above it, measuring the texts a dozen times a draw.
    Here those answers are kept for the length of one draw (nothing changes the boxes'
    sizes meanwhile), so the legend is drawn as matplotlib draws it. Other renderers
    (saving) use matplotlib's own ``Legend.draw``; so does every legend once this has failed.
    """

    broken = False

    def __init__(self, legend):
        import weakref

        self._legend = weakref.ref(legend)

    def __call__(self, renderer):
        legend = self._legend()
        if legend is None:  # pragma: no cover - the legend is gone
            return None
        if not (isinstance(renderer, screen_renderer_class()) and not getattr(type(renderer), "_fallback", True)):
            return type(legend).draw(legend, renderer)
        boxes = []
        try:
            stack = [legend._legend_box]
            while stack:
                box = stack.pop()
                boxes.append(box)
                stack.extend(child for child in box.get_children() if hasattr(child, "_get_bbox_and_child_offsets"))
            for box in boxes:
                for name in ("_get_bbox_and_child_offsets", "get_bbox"):
                    setattr(box, name, _once_per_draw(getattr(box, name), renderer))
        except Exception:  # noqa: BLE001 - matplotlib internals differ: its own drawing serves
            import logging

            logging.getLogger("parkdesk.charts").exception("quick legend drawing failed: matplotlib's own is used")
            _QuickLegendDraw.broken = True
            _forget_kept(boxes)
            del legend.draw
            return type(legend).draw(legend, renderer)
        try:
            return type(legend).draw(legend, renderer)
        finally:
            _forget_kept(boxes)


def _once_per_draw(method, renderer):
    answers = []

    def kept(r):
        if r is not renderer:
            return method(r)
        if not answers:
            answers.append(method(r))
        return answers[0]

    kept._parkdesk_kept = True
    return kept


def _forget_kept(boxes) -> None:
    for box in boxes:
        for name in ("_get_bbox_and_child_offsets", "get_bbox"):
            if getattr(vars(box).get(name), "_parkdesk_kept", False):
                delattr(box, name)


def _look(line) -> tuple:
    """What a tick line is drawn with, but for where it is."""
    return (line.get_color(), line.get_linewidth(), line.get_linestyle(), line.get_marker(), line.get_markersize(),
            line.get_markeredgewidth(), line.get_markeredgecolor(), line.get_alpha(), line.get_antialiased(),
            line.get_snap(), id(line._clippath), id(line.clipbox), line.get_clip_on(), tuple(line.get_path_effects()),
            line.get_sketch_params())


# Legend location codes of matplotlib in the order "best" tries them, with their anchors.
_LEGEND_ANCHORS = ((1, "NE"), (2, "NW"), (3, "SW"), (4, "SE"), (5, "E"), (6, "W"), (7, "E"), (8, "S"), (9, "N"),
                   (10, "C"))


def _best_legend_loc(ax, legend) -> int:
    """The location code matplotlib's ``loc="best"`` would choose, estimated without measuring text.

    The same test as matplotlib's: for each place in turn, count the line vertices and
    crossings, bars and annotations the legend box would cover, and take the first place
    with the fewest; the box's size and the annotations' boxes are estimated from their
    texts and font sizes, and other artists (titles, axis lines) are not counted. So it is
    an approximation: on the demo park, at four canvas sizes, 6 of 948 legends took another
    place than matplotlib's (a saved chart always uses matplotlib's own "best").
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle
    from matplotlib.text import Annotation
    from matplotlib.transforms import Bbox

    px = ax.figure.dpi / 72
    labels = [t.get_text() for t in legend.texts]
    if not labels:
        return 1
    size = legend.texts[0].get_fontsize() * px
    width = (2 * legend.borderpad + legend.handlelength + legend.handletextpad) * size
    width += max(_text_width(label, size) for label in labels)
    height = len(labels) * size * 1.06 + (len(labels) - 1) * legend.labelspacing * size + 2 * legend.borderpad * size
    lines, boxes = [], []
    for artist in ax.get_children():
        if not artist.get_visible():
            continue
        if isinstance(artist, Line2D):
            lines.append(artist.get_transform().transform_path(artist.get_path()))
        elif isinstance(artist, Rectangle) and artist is not ax.patch:
            boxes.append(artist.get_bbox().transformed(artist.get_data_transform()))
        elif isinstance(artist, Annotation) and artist.xycoords == "data" and artist.anncoords == "offset points":
            x, y = ax.transData.transform(artist.xy)
            ox, oy = artist.xyann
            text_size = artist.get_fontsize() * px
            w = _text_width(artist.get_text(), text_size)
            left = x + ox * px - {"center": w / 2, "right": w}.get(artist.get_horizontalalignment(), 0)
            bottom = y + oy * px - 0.24 * text_size
            boxes.append(Bbox.from_bounds(left, bottom, w, text_size * 1.06))
    pad = legend.borderaxespad * size
    container = ax.bbox.padded(-pad, -pad)
    box = Bbox.from_bounds(0, 0, width, height)
    best = None
    for code, anchor in _LEGEND_ANCHORS:
        x0, y0 = box.anchored(anchor, container=container).p0
        place = Bbox.from_bounds(x0, y0, width, height)
        badness = (sum(place.count_contains(line.vertices) for line in lines) + place.count_overlaps(boxes)
                   + sum(line.intersects_bbox(place, filled=False) for line in lines))
        if best is None or badness < best[0]:
            best = (badness, code)
        if badness == 0:
            break
    return best[1]


def _margins(fig: "Figure") -> tuple[float, float, float, float]:
    """Left, right, bottom and top margins in pixels that the labels of the first axes need."""
    return _measure(fig)[0]


def _measure(fig: "Figure") -> tuple[tuple[float, float, float, float], tuple]:
    """:func:`_margins`, and the places of the ticks whose labels were measured (:func:`_tick_places`)."""
    ax = fig.axes[0]
    px = fig.dpi / 72  # pixels per point
    places = ()
    if not ax.axison:
        left = right = bottom = 8.0
    else:
        # The tick labels as they will be drawn: the places the axis's locator gives, the texts its
        # formatter gives for them (as Axis.draw finds them), the fonts of the ticks' labels.
        (xplaces, xlabels), (yplaces, ylabels) = _tick_labels(ax.xaxis), _tick_labels(ax.yaxis)
        places = (xplaces, yplaces)
        left = max((_text_width(text, size * px) for text, size in ylabels), default=0) + 3.5 * px + 8
        if ax.get_ylabel():
            left += ax.yaxis.label.get_fontsize() * px * 1.3 + 4
        right = 14.0
        bottom = max((size * px * 1.25 * (text.count("\n") + 1) for text, size in xlabels), default=0)
        bottom += 3.5 * px + 8
        if ax.get_xlabel():
            bottom += ax.xaxis.label.get_fontsize() * px * 1.3
    top = ax.title.get_fontsize() * px * 1.3 + ax.titleOffsetTrans._t[1] * fig.dpi + 6 if ax.get_title() else 10.0
    return (left, right, bottom, top), places


def _tick_places(ax) -> tuple:
    """Where the axes' major ticks go (what their labels follow from, the view limits staying the same)."""
    if not ax.axison:
        return ()
    return tuple(tuple(axis.get_majorticklocs()) for axis in (ax.xaxis, ax.yaxis))


def _tick_labels(axis) -> tuple[tuple, list[tuple[str, float]]]:
    """The major ticks' places and the (text, font size) of each label the axis will show."""
    places = axis.get_majorticklocs()
    texts = axis.major.formatter.format_ticks(places)
    labels = []
    for tick, text in zip(axis.get_major_ticks(len(places)), texts):  # makes the ticks the draw reuses
        if text:
            labels += [(text, label.get_fontsize()) for label in (tick.label1, tick.label2) if label.get_visible()]
    return tuple(places), labels


def _text_width(text: str, size_px: float) -> float:
    """Width of one line of text: CJK characters are square, others about 0.6 of the size."""
    lines = text.split("\n") or [""]
    return max(sum(size_px if ord(ch) > 0x2E7F else 0.62 * size_px for ch in line) for line in lines)


# --- drawing quickly -----------------------------------------------------------------------------
def screen_renderer(width: int, height: int, dpi: float):
    """An Agg renderer for a screen canvas that redraws often: the same look, much less text work.

    matplotlib looks up a font's height metrics every time it lays out a text (three
    times per tick label per draw), shapes every text twice per draw (to measure it and
    to draw it) and renders it glyph by glyph. This renderer remembers the metrics,
    shapes a text once for its size and its pixels, and keeps the rendered text for the
    next draw — for all screen canvases, keyed by the text, the font properties, the
    resolution and the angle. Texts are put down on whole pixels (up to half a pixel
    from where matplotlib's renderer puts them). A canvas uses it by returning it from
    ``get_renderer`` (see ``ui/indicators/charts_panel.py``).
    """
    return screen_renderer_class()(width, height, dpi)


_CACHE_LIMIT = 4096


@functools.lru_cache(maxsize=1)
def screen_renderer_class():
    """The class of :func:`screen_renderer` (a subclass of matplotlib's ``RendererAgg``), or
    ``RendererAgg`` itself when it cannot be made with this matplotlib (logged)."""
    try:
        return _make_screen_renderer_class()
    except Exception:  # noqa: BLE001 - matplotlib internals differ: its own drawing serves
        import logging

        from matplotlib.backends.backend_agg import RendererAgg

        logging.getLogger("parkdesk.charts").exception("screen chart renderer unavailable: matplotlib's own is used")
        return RendererAgg


def _make_screen_renderer_class():
    import math

    import matplotlib as mpl
    import numpy as np
    from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag
    from matplotlib.font_manager import fontManager, get_font
    from matplotlib.ft2font import RenderMode

    def font_key(prop) -> tuple:
        return (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(),
                prop.get_stretch(), prop.get_size_in_points(), prop.get_file(), prop.get_math_fontfamily())

    def remember(cache: dict, key, value):
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[key] = value
        return value

    # Text shaping per glyph (``FT2Font._layout``) came with matplotlib 3.11; older versions
    # draw a text in one piece and are left as they are.
    shaped = hasattr(RendererAgg, "_draw_text_glyphs_and_boxes") and hasattr(get_font(
        fontManager.findfont("DejaVu Sans")), "_layout")

    class WholeText(NamedTuple):
        image: np.ndarray  # alpha
        x: float  # offset of the image's left and bottom from the text's origin, y downwards
        y: float

    class ScreenRenderer(RendererAgg):
        _heights: dict = {}  # font properties, dpi -> line metrics
        _sizes: dict = {}  # text, font, ... -> width, height, descent
        _glyphs: dict = {}  # text, font, ... -> WholeText or its glyphs' bitmaps
        # Set when a remembered-text path fails (a matplotlib whose internals differ from
        # the versions tested): from then on matplotlib's own drawing is used.
        _fallback = False

        def _get_font_height_metrics(self, prop):
            # Asked for by ``Text._get_layout`` (None: it works them out itself).
            if ScreenRenderer._fallback:
                return (None, None, None)
            try:
                return self._font_height_metrics(prop)
            except Exception:  # noqa: BLE001 - see _fall_back
                _fall_back()
                return (None, None, None)

        def _font_height_metrics(self, prop):
            # The same sums as ``Text._get_layout``'s own fallback.
            key = (font_key(prop), self.dpi)
            found = self._heights.get(key)
            if found is not None:
                return found
            font = get_font(fontManager._find_fonts_by_props(prop))
            metrics = (None, None, None)
            for table_name, gap_key, ascent_key, descent_key in (
                    ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                    ("hhea", "lineGap", "ascent", "descent")):
                table = font.get_sfnt_table(table_name)
                if table is None:
                    continue
                scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * prop.get_size_in_points() * self.dpi / 72
                metrics = (table[ascent_key] * scale, -table[descent_key] * scale, table[gap_key] * scale)
                break
            return remember(self._heights, key, metrics)

        if shaped:
            def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
                if not ScreenRenderer._fallback:
                    try:
                        return self._draw_text_remembered(gc, x, y, s, prop, angle, ismath, mtext)
                    except Exception:  # noqa: BLE001 - see _fall_back
                        _fall_back()
                return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)

            def get_text_width_height_descent(self, s, prop, ismath):
                if not ScreenRenderer._fallback:
                    try:
                        return self._text_size_remembered(s, prop, ismath)
                    except Exception:  # noqa: BLE001 - see _fall_back
                        _fall_back()
                return super().get_text_width_height_descent(s, prop, ismath)

            def _draw_text_remembered(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
                # RendererAgg.draw_text, with the text placed on a whole pixel so that its
                # glyphs, once shaped and rendered, can be put down again as they are.
                features = mtext.get_fontfeatures() if mtext is not None else None
                language = mtext.get_language() if mtext is not None else None
                antialiased = bool(gc.get_antialiased())
                try:
                    key = (s, font_key(prop), self.dpi, get_hinting_flag(), features, language, angle, antialiased)
                    hash(key)
                except TypeError:
                    key = None
                if ismath or key is None:
                    return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
                glyphs = self._glyphs.get(key)
                if glyphs is None and not angle and features is None and language is None:
                    self.get_text_width_height_descent(s, prop, False)  # renders the text as a whole
                    glyphs = self._glyphs.get(key)
                if glyphs is None:
                    glyphs = remember(self._glyphs, key, self._render_text(s, prop, angle, antialiased, features,
                                                                           language))
                if isinstance(glyphs, WholeText):
                    # As matplotlib 3.10 placed a text drawn in one piece.
                    self._renderer.draw_text_image(glyphs.image, round(x + glyphs.x), round(y + glyphs.y) + 1, 0, gc)
                    return
                left, top = round(x), round(self.height - y)  # the text's origin, y upwards
                for buffer, dx, dy in glyphs:
                    self._renderer.draw_text_image(buffer, left + dx, int(self.height) - (top + dy) + buffer.shape[0],
                                                   0, gc)

            def _text_size_remembered(self, s, prop, ismath):
                # The text is shaped once for its size and for its pixels: the draw that
                # follows a measurement finds the text rendered.
                if ismath:
                    return super().get_text_width_height_descent(s, prop, ismath)
                flags = get_hinting_flag()
                antialiased = bool(mpl.rcParams["text.antialiased"])
                key = (s, font_key(prop), self.dpi, flags, None, None, 0, antialiased)
                found = self._sizes.get(key)
                if found is not None and key in self._glyphs:
                    return found
                font = self._prepare_font(prop)
                font.set_text(s, 0.0, flags=flags)
                width, height = font.get_width_height()
                descent = font.get_descent() / 64
                font.draw_glyphs_to_bitmap(antialiased=antialiased)
                xo, yo = font.get_bitmap_offset()
                remember(self._glyphs, key, WholeText(np.array(font.get_image(), copy=True), xo / 64,
                                                      yo / 64 + descent))
                return remember(self._sizes, key, (width / 64, height / 64, descent))

            def _render_text(self, s, prop, angle, antialiased, features, language):
                """Each glyph of ``s`` as (alpha bitmap, left, top) around an origin at (0, 0)."""
                font = self._prepare_font(prop)
                size = prop.get_size_in_points()
                cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
                matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]])).round().astype(int)
                flags = get_hinting_flag()
                glyphs = []
                for item in font._layout(s, flags=flags, features=features, language=language):
                    glyph_font = item.ft_object
                    glyph_font.set_size(size, self.dpi)
                    glyph_font._set_transform(matrix, [round(0x40 * (item.x * cos - item.y * sin)),
                                                       round(0x40 * (item.x * sin + item.y * cos))])
                    bitmap = glyph_font._render_glyph(item.glyph_index, flags,
                                                      RenderMode.NORMAL if antialiased else RenderMode.MONO)
                    buffer = np.array(bitmap.buffer, copy=True)
                    if not antialiased:
                        buffer *= 0xFF
                    glyphs.append((buffer, bitmap.left, bitmap.top))
                return tuple(glyphs)

    def _fall_back() -> None:
        import logging

        logging.getLogger("parkdesk.charts").exception(
            "screen chart renderer: remembered texts turned off (matplotlib %s)", mpl.__version__)
        ScreenRenderer._fallback = True
        ScreenRenderer._glyphs.clear()
        ScreenRenderer._sizes.clear()

    return ScreenRenderer


__all__ = ["fit_margins", "screen_renderer", "screen_renderer_class"]
