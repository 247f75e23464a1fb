"""The side panel with two trend charts of the selected indicator.

Built the first time it is shown — importing this module imports matplotlib,
which must not happen at start-up. The figures come from ``parkdesk.charts``
(the same builders the report uses).
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from parkdesk import charts
from parkdesk.fonts import missing_font_message, register_matplotlib
from parkdesk.numbers import month_range

PNG_FILTER = "PNG 图片 (*.png)"


class ChartCanvas(FigureCanvasQTAgg):
    """The Qt canvas of a screen chart: drawn with ``charts.screen_renderer`` (texts remembered,
    placed on whole pixels); saved or copied with matplotlib's own renderer, as the report's charts."""

    def get_renderer(self):
        renderer = super().get_renderer()
        wanted = RendererAgg if self.is_saving() else charts.screen_renderer_class()
        if type(renderer) is not wanted:
            renderer = self.renderer = wanted(renderer.width, renderer.height, renderer.dpi)
        return renderer


class ChartBox(QWidget):
    """One chart: a chooser, save / copy buttons and a matplotlib canvas."""

    def __init__(self, panel: "ChartsPanel", default: str, parent=None):
        super().__init__(parent)
        self.panel = panel
        self.chooser = QComboBox()
        for key, (label, _builder) in charts.INDICATOR_CHARTS.items():
            self.chooser.addItem(label, key)
        self.chooser.setCurrentIndex(list(charts.INDICATOR_CHARTS).index(default))
        # No layout engine on screen: fixed margins redraw in half the time (saving lays out properly).
        self.figure = charts.new_figure(layout=None)
        self._print_height: float | None = None
        self.shown: tuple | None = None  # what the canvas shows: chart, indicator, period, state of the data
        self.canvas = ChartCanvas(self.figure)
        self.canvas.mpl_connect("resize_event", lambda _event: charts.fit_margins(self.figure))
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.canvas.setMinimumSize(300, 200)
        self.save_button = QPushButton("保存图片…")
        self.save_button.setToolTip("保存为 PNG 图片（200 dpi，可插入报告）")
        self.copy_button = QPushButton("复制")
        self.copy_button.setToolTip("复制图片，可直接粘贴到 Word、WPS")
        row = QHBoxLayout()
        row.addWidget(self.chooser, 1)
        row.addWidget(self.save_button)
        row.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.canvas, 1)
        self.chooser.currentIndexChanged.connect(lambda _i: self.redraw())
        self.save_button.clicked.connect(lambda: self.save_png())
        self.copy_button.clicked.connect(self.copy_to_clipboard)

    @property
    def chart_key(self) -> str:
        return self.chooser.currentData()

    def redraw(self) -> None:
        """Draw the chosen chart of the panel's indicator — unless it shows exactly that already."""
        p = self.panel
        if p.desk is None or p.indicator_id is None:
            return
        shown = (self.chart_key, p.indicator_id, p.year, p.month, *_data_state(p.desk))
        if shown == self.shown and shown[4] is not None:
            return  # nothing it shows can have changed (showing the tab again, another indicator edited)
        self.shown = None
        size = self.figure.get_size_inches().copy()  # the canvas's
        charts.build_chart(p.desk, self.chart_key, p.indicator_id, p.year, p.month, fig=self.figure)
        self.shown = shown
        # A builder may make its figure taller (many indicators): so it is saved; on screen it fits the canvas.
        built = self.figure.get_figheight()
        self._print_height = built if built != size[1] else None
        self.figure.set_size_inches(size, forward=False)
        charts.fit_margins(self.figure)
        self.canvas.draw_idle()

    def save_png(self, path: str | None = None) -> Path | None:
        """Save the chart as a 200-dpi PNG (asks for the file name when none is given)."""
        if path is None:
            folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation) or str(Path.home())
            name = f"{self.panel.indicator_name}_{self.chooser.currentText()}.png"
            path, _ = QFileDialog.getSaveFileName(self, "保存图表", str(Path(folder) / name), PNG_FILTER)
            if not path:
                return None
        if not path.lower().endswith(".png"):
            path += ".png"
        from ..ops import show_error

        try:
            with self._printing():
                return charts.save_png(self.figure, path, dpi=200)
        except Exception as exc:  # noqa: BLE001 - shown to the clerk
            show_error(self, exc)
            return None

    def copy_to_clipboard(self) -> bool:
        """Put the chart on the clipboard as an image (paste into Word, WPS or WeChat)."""
        from ..ops import show_error

        try:
            with self._printing():
                data = charts.png_bytes(self.figure, dpi=150)
        except Exception as exc:  # noqa: BLE001 - shown to the clerk, as saving does
            show_error(self, exc)
            return False
        QGuiApplication.clipboard().setImage(QImage.fromData(data, "PNG"))
        return True

    @contextmanager
    def _printing(self):
        """While the chart is saved: the figure at the height its builder asked for (a taller category
        chart); afterwards the canvas's size and picture again (saving drew at another size)."""
        fig = self.figure
        size = fig.get_size_inches().copy()
        if self._print_height is not None:
            fig.set_size_inches(size[0], self._print_height, forward=False)
        try:
            yield
        finally:
            fig.set_size_inches(size, forward=False)
            charts.fit_margins(fig)
            self.canvas.draw_idle()


def _data_state(desk) -> tuple:
    """Something that changes whenever the database may have: (connection, its writes, others' writes).

    ``total_changes`` counts the rows this connection wrote; ``PRAGMA data_version``
    changes when another connection (another ParkDesk) commits. The connection itself
    is part of it, so that a database opened again (a restored backup) never matches.
    """
    db = getattr(desk, "db", None)
    conn = getattr(db, "conn", None)
    if conn is None:
        return (None, None, None)
    try:
        version = conn.execute("PRAGMA data_version").fetchone()[0]
    except Exception:  # noqa: BLE001 - a closed connection: never taken as unchanged
        return (None, None, None)
    return (conn, conn.total_changes, version)


def _freeze_long_lived_objects() -> None:
    """Leave the objects made so far out of Python's full garbage collections.

    Every chart redraw throws away a few thousand matplotlib objects in reference
    cycles, so every few redraws Python walks all its objects (some 100,000 once
    matplotlib is imported: 50—60 ms on an office PC) in the middle of a redraw.
    What exists when the charts are first shown — modules, fonts, the window — lives
    as long as the program; frozen (after collecting what is already garbage), it is
    no longer walked and those collections take a few milliseconds. Done once.
    """
    global _frozen
    if _frozen:
        return
    import gc

    gc.collect()
    gc.freeze()
    _frozen = True


_frozen = False


class ChartsPanel(QWidget):
    """Two charts of the selected indicator, each with its own choice of chart."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.desk = None
        self.indicator_id: int | None = None
        self.indicator_name = ""
        self.year = 0
        self.month = 12
        font = register_matplotlib()
        self.title = QLabel("请在左侧表格中选择一个指标")
        self.title.setStyleSheet("font-weight: bold;")
        self.notice = QLabel("" if font else "⚠ " + missing_font_message())
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #a04000;")
        self.notice.setVisible(not font)
        self.boxes = [ChartBox(self, "year_vs_last_year"), ChartBox(self, "growth_by_month")]
        split = QSplitter(Qt.Orientation.Vertical)
        for box in self.boxes:
            split.addWidget(box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.notice)
        layout.addWidget(split, 1)
        _freeze_long_lived_objects()

    def show_indicator(self, desk, indicator_id: int | None, name: str, year: int, month: int) -> None:
        """Draw the charts of an indicator for (year, 1—N月)."""
        self.desk, self.indicator_id, self.indicator_name = desk, indicator_id, name
        self.year, self.month = year, month
        self.title.setText(f"{name}　{year}年{month_range(month)}" if name else "请在左侧表格中选择一个指标")
        self.redraw()

    def redraw(self) -> None:
        if not self.isVisible():
            return
        for box in self.boxes:
            box.redraw()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.redraw()
