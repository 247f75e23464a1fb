"""The one place where the UI changes data.

Quick writes run on the UI thread; slow work (imports, exports, reports,
backups) runs on a worker thread with its own database connection and a
progress dialog. Afterwards ``AppContext.data_changed`` is emitted once and
every tab refreshes. Domain errors become a message box, never a traceback.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from parkdesk.errors import ImportRejected, ParkDeskError

log = logging.getLogger("ui")


class _Signals(QObject):
    progress = Signal(str, float)
    finished = Signal(object)
    failed = Signal(object, str)


class _Job(QRunnable):
    """``fn`` on a worker thread with a connection of its own: a sibling of the open
    desk (``fn(desk, report)``, may write) or, with ``read``, a read-only one
    (``fn(desk)``, a tab loading what it shows)."""

    def __init__(self, fn: Callable, owner, *, read: bool = False):
        super().__init__()
        self.fn = fn
        self.owner = owner
        self.read = read
        self.signals = _Signals()

    def run(self) -> None:  # worker thread: no widgets here, only signals
        desk = None
        try:
            if self.owner is not None:
                desk = self.owner.reader() if self.read else self.owner.sibling()
            if self.read:
                result = self.fn(desk)
            else:
                report = lambda msg, frac: self.signals.progress.emit(str(msg), float(frac))  # noqa: E731
                result = self.fn(desk, report)
            self.signals.finished.emit(result)
        except BaseException as exc:  # noqa: BLE001 - handed to the UI thread
            self.signals.failed.emit(exc, traceback.format_exc())
        finally:
            if desk is not None:
                desk.close()


def show_error(parent: QWidget | None, exc: BaseException, details: str = "") -> None:
    """Tell the clerk what went wrong, in Chinese."""
    if isinstance(exc, ImportRejected):
        box = QMessageBox(QMessageBox.Icon.Warning, "导入未完成", exc.message, parent=parent)
        box.setDetailedText(exc.details(200))
        box.exec()
    elif isinstance(exc, ParkDeskError):
        QMessageBox.warning(parent, "园区工作台", exc.message)
    else:
        log.error("operation failed:\n%s", details or "".join(traceback.format_exception(exc)))
        QMessageBox.critical(parent, "园区工作台",
                             f"操作未完成：发生意外错误（{type(exc).__name__}）。\n数据未被修改。详细信息已记录到日志文件。")


class Ops(QObject):
    """Runs the UI's writes and long jobs, then announces that data changed."""

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.parent_widget = parent
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # one job at a time, like Anki's taskman
        self._jobs: set[_Job] = set()
        # Tabs read their data here, beside (not behind) a long export or import.
        self.read_pool = QThreadPool(self)
        self.read_pool.setMaxThreadCount(1)
        self._reads: set[_Job] = set()

    def write(self, fn: Callable[[Any], Any], *, parent: QWidget | None = None) -> tuple[bool, Any]:
        """Run a quick write on the UI thread; return (ok, result)."""
        try:
            result = fn(self.ctx.desk)
        except BaseException as exc:  # noqa: BLE001
            show_error(parent or self.parent_widget, exc)
            return False, None
        self.ctx.notify_changed()
        return True, result

    def run(self, label: str, fn: Callable[[Any, Callable[[str, float], None]], Any], *,
            on_done: Callable[[Any], None] | None = None,
            on_failed: Callable[[BaseException], None] | None = None,
            changes_data: bool = True, parent: QWidget | None = None, quiet: bool = False) -> None:
        """Run ``fn(desk, progress)`` on the worker thread with a progress dialog.

        ``desk`` is a separate connection to the same database. ``on_done``
        receives the result on the UI thread. ``quiet`` jobs (timer backups)
        show no dialog.
        """
        parent = parent or self.parent_widget
        dialog = None
        if not quiet:
            dialog = QProgressDialog(label, None, 0, 100, parent)
            dialog.setWindowTitle("请稍候")
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(300)
            dialog.setValue(0)
        job = _Job(fn, self.ctx.desk)
        self._jobs.add(job)

        @Slot(str, float)
        def progress(msg: str, frac: float) -> None:
            if dialog is not None:
                dialog.setLabelText(f"{label}\n{msg}" if msg else label)
                dialog.setValue(int(max(0.0, min(1.0, frac)) * 100))

        def finish() -> None:
            if dialog is not None:
                dialog.reset()
                dialog.deleteLater()
            self._jobs.discard(job)

        def done(result) -> None:
            finish()
            if changes_data:
                self.ctx.notify_changed()
            if on_done is not None:
                on_done(result)

        def failed(exc, details: str) -> None:
            finish()
            if on_failed is not None:
                on_failed(exc)
            else:
                show_error(parent, exc, details)

        job.signals.progress.connect(progress)
        job.signals.finished.connect(done)
        job.signals.failed.connect(failed)
        self.pool.start(job)

    def read(self, fn: Callable[[Any], Any], on_done: Callable[[Any], None],
             on_failed: Callable[[BaseException, str], None]) -> None:
        """Run ``fn(desk)`` on a worker thread over a read-only connection of its own;
        ``on_done(result)`` or ``on_failed(exc, details)`` follow on the UI thread.

        No dialog and no ``data_changed``: a tab loading what it shows. The caller
        decides whether the result is still wanted (see ``ui/loading.py``).
        """
        desk = self.ctx.desk
        if desk is None or desk.db is None:  # closed (the window is shutting down): nothing to read
            return
        job = _Job(fn, desk, read=True)
        self._reads.add(job)
        job.signals.finished.connect(lambda _r: self._reads.discard(job))
        job.signals.failed.connect(lambda _e, _d: self._reads.discard(job))
        # Bound methods of a QObject (a tab's Loader) are disconnected when it is deleted:
        # a reading that ends after its window closed is not delivered.
        job.signals.finished.connect(on_done)
        job.signals.failed.connect(on_failed)
        self.read_pool.start(job)

    def wait(self, msecs: int = 30000) -> bool:
        """Wait for the running job and reads (used at close and in tests)."""
        return self.pool.waitForDone(msecs) and self.read_pool.waitForDone(msecs)
