"""Pictures for the report: matplotlib figures rendered at their printed size.

A :class:`~parkdesk.report.model.Figure` holds PNG bytes; this module makes
them from a ``matplotlib.figure.Figure`` (built without pyplot), sized to the
width it is printed at and rendered at ≥ 200 dpi with a CJK font, so the
chart is sharp on paper and its lettering matches the text size.
"""

from __future__ import annotations

import io

from .model import MAX_FIGURE_WIDTH_MM, MIN_FIGURE_DPI

DEFAULT_DPI = 240


def new_figure(width_mm: float = 150.0, height_mm: float = 80.0):
    """A blank matplotlib figure of the printed size, with the CJK font registered.

    Build the chart on it (``fig.add_subplot()``), then call :func:`png_from_figure`.
    """
    from matplotlib.figure import Figure

    from ..fonts import register_matplotlib

    if not 0 < width_mm <= MAX_FIGURE_WIDTH_MM:
        raise ValueError(f"width_mm must be in (0, {MAX_FIGURE_WIDTH_MM:g}]")
    register_matplotlib()
    return Figure(figsize=(width_mm / 25.4, height_mm / 25.4))


def png_from_figure(fig, width_mm: float | None = None, *, dpi: int = DEFAULT_DPI) -> bytes:
    """Render a matplotlib figure to PNG bytes.

    With ``width_mm`` the figure is resized to that width (keeping its aspect
    ratio) so that fonts print at the size they were given in points.

    :raises ValueError: for a width over 156 mm or a resolution under 200 dpi.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from ..fonts import register_matplotlib

    if dpi < MIN_FIGURE_DPI:
        raise ValueError(f"figures print at {MIN_FIGURE_DPI} dpi or more")
    register_matplotlib()
    if width_mm is not None:
        if not 0 < width_mm <= MAX_FIGURE_WIDTH_MM:
            raise ValueError(f"width_mm must be in (0, {MAX_FIGURE_WIDTH_MM:g}]")
        w_in, h_in = fig.get_size_inches()
        new_w = width_mm / 25.4
        fig.set_size_inches(new_w, h_in * new_w / w_in)
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return buf.getvalue()
