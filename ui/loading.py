"""Loading a tab's data off the UI thread: the page shows at once with a
"正在载入……" line, the data is read on a worker (``Ops.read``, its own
read-only connection) and shown when it arrives.

Every request gets a generation number; a reading done in the UI thread, a
newer request, a data change or a period change bumps it, and a result of an
older generation is dropped — so a slow reading never overwrites what a later
edit put on screen.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any, Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

log = logging.getLogger("ui")

LOADING_TEXT = "正在载入……"


class LoadingOverlay(QLabel):
    """A "正在载入……" label laid over ``target`` (it follows its place and size).

    It is a child of the target's parent, not of the target: a QSplitter would take a
    child widget for one more pane.
    """

    def __init__(self, target: QWidget, text: str = LOADING_TEXT):
        super().__init__(text, target.parentWidget())
        self.target = target
        self.setObjectName("loadingOverlay")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setStyleSheet("QLabel#loadingOverlay { background: rgba(255, 255, 255, 225); color: #555;"
                           " font-size: 15px; }")
        target.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if watched is self.target and event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self.setGeometry(watched.geometry())
        return False

    def set_shown(self, on: bool) -> None:
        if on:
            self.setGeometry(self.target.geometry())
            self.raise_()
        self.setVisible(on)


class Loader(QObject):
    """The newest reading of one tab's data wins; older ones are dropped.

    ``start(read, apply)`` runs ``read(desk)`` on the worker and ``apply(result)``
    on the UI thread if no newer reading (``start`` or ``invalidate``) came since.
    """

    loading_changed = Signal(bool)
    loaded = Signal()

    def __init__(self, ops, parent: QWidget):
        super().__init__(parent)
        self.ops = ops
        self.generation = 0
        self._pending: int | None = None  # generation of the reading in flight
        self._apply: Callable[[Any], None] | None = None
        self.failure: str | None = None

    @property
    def loading(self) -> bool:
        """True while the reading the tab waits for is in flight."""
        return self._pending is not None

    def start(self, read: Callable[[Any], Any], apply: Callable[[Any], None]) -> int:
        self.generation += 1
        gen = self.generation
        was = self.loading
        self._pending = gen
        self._apply = apply
        self.failure = None

        def job(desk):  # worker thread: a failure is handed back with its generation
            try:
                return gen, read(desk), None, ""
            except Exception as exc:  # noqa: BLE001 - shown in the tab
                return gen, None, exc, traceback.format_exc()

        if not was:
            self.loading_changed.emit(True)
        # Started once the events now waiting (the page's first layout and paint) are done:
        # a worker running Python beside them takes turns with them for the GIL, and both
        # would be slower (measured: the 项目 page's first paint 50 → 100 ms on the demo).
        QTimer.singleShot(0, self, lambda: self._submit(gen, job))
        return gen

    def _submit(self, gen: int, job) -> None:
        if gen == self.generation:
            self.ops.read(job, self._finished, self._failed)

    def invalidate(self) -> None:
        """Drop any reading in flight (the caller has just read the data itself)."""
        self.generation += 1
        if self._pending is not None:
            self._pending = None
            self.loading_changed.emit(False)

    def _finished(self, payload) -> None:
        gen, result, exc, details = payload
        if gen != self.generation:
            log.debug("dropped a stale reading (%d, now %d)", gen, self.generation)
            return
        if exc is not None:
            self._failed(exc, details)
            return
        try:
            self._apply(result)
        finally:
            if gen == self.generation:  # ``apply`` may itself have started a newer reading
                self._pending = None
                self.loading_changed.emit(False)
                self.loaded.emit()

    def _failed(self, exc: BaseException, details: str) -> None:
        # Also called by Ops.read when no connection could be opened: that holds for
        # the newest reading too.
        if self._pending is None:
            return
        self._pending = None
        from parkdesk.errors import ParkDeskError

        self.failure = exc.message if isinstance(exc, ParkDeskError) else "读取数据时出错，详细信息已记入日志"
        log.error("loading a tab failed:\n%s", details)
        self.loading_changed.emit(False)
        self.loaded.emit()


class ReloadsWhenShown:
    """Mixin (before ``QWidget``) of a tab that reads its data with a :class:`Loader`:
    after a change it reads again at once when on screen, else when next shown.

    The tab provides ``loader``, ``_load()`` (read on the worker) and ``refresh()``
    (read now, on the UI thread); ``_stale`` says its data predates a change.
    """

    _stale = True

    def _reload_after_change(self) -> None:
        self._stale = True
        if not self.isVisible():
            self.loader.invalidate()  # read when next shown
        elif self.loader.loading:
            self._load()  # the reading in flight may predate the change
        else:
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._stale and not self.loader.loading:
            self._load()


def wait_until_loaded(widget, timeout_ms: int = 60000) -> bool:
    """Process events until ``widget`` (a tab) has shown its data; True when it has.

    A tab tells through ``is_loaded()``; widgets without it count as loaded.
    """
    import time

    from PySide6.QtCore import QCoreApplication, QEventLoop

    is_loaded = getattr(widget, "is_loaded", None)
    if is_loaded is None:
        return True
    loader = getattr(widget, "loader", None)

    def check() -> bool:  # a reading that failed is what the tab shows: nothing more will come
        return is_loaded() or (loader is not None and not loader.loading and bool(loader.failure))

    deadline = time.monotonic() + timeout_ms / 1000
    while not check():
        if time.monotonic() > deadline:
            return False
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        if not check():
            time.sleep(0.002)  # the worker's result arrives as a posted event
    return True
