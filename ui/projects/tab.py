"""The 项目 tab: ledger, stage board, monthly dispatch, overdue nodes and problems, activities.

The pages share one reading of the ledger; after a change (``ctx.data_changed``)
only the page on screen is refreshed at once, the others when they are shown.
The ledger is read on a worker thread when the tab is shown (see ``ui/loading.py``).
"""

from __future__ import annotations

import datetime as _dt

from PySide6.QtWidgets import QMessageBox, QTabWidget, QVBoxLayout, QWidget

from ..loading import Loader
from .ledger_model import LedgerModel
from .ledger_page import LedgerPage

PAGE_KEYS = ("ledger", "board", "dispatch", "attention", "activities")
PAGE_TITLES = ("项目台账", "阶段看板", "月度调度", "逾期节点与问题", "招商活动")


def _page_class(key: str):
    """The page's class, imported when the page is first shown (most visits see the ledger only)."""
    if key == "board":
        from .board import StageBoard as cls
    elif key == "dispatch":
        from .dispatch_page import DispatchSheetPage as cls
    elif key == "attention":
        from .attention_page import AttentionPage as cls
    else:
        from .activities_page import ActivitiesPage as cls
    return cls


class ProjectsTab(QWidget):
    """Everything about projects and promotion, one page each.

    The ledger is read on a worker thread the first time the tab is shown (and when
    it comes back after changes made elsewhere), with "正在载入……" meanwhile; a
    change made while this tab is on screen is read at once, so the clerk sees it.
    The other pages are built the first time they are shown.
    """

    def __init__(self, ctx, ops, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.ops = ops
        self._rows = None
        self.loader = Loader(ops, self)
        self.loader.loading_changed.connect(self._loading_changed)
        self.ledger = LedgerPage(self)
        self._built: dict[str, QWidget] = {"ledger": self.ledger}
        self._holders: list[QWidget] = []
        self.pages = QTabWidget()
        self.pages.setObjectName("projectPages")
        for key, title in zip(PAGE_KEYS, PAGE_TITLES):
            holder = QWidget()
            box = QVBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            if key == "ledger":
                box.addWidget(self.ledger)
            self._holders.append(holder)
            self.pages.addTab(holder, title)
        self._dirty = set(PAGE_KEYS)
        self.pages.currentChanged.connect(lambda _i: self._refresh_current())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.pages)
        ctx.data_changed.connect(self.refresh)
        ctx.period_changed.connect(self._period_changed)
        ctx.desk_changed.connect(self.loader.invalidate)
        # Nothing is read here: the first show reads the ledger on the worker.

    # --- the pages ---------------------------------------------------------------------------------
    def page(self, key: str) -> QWidget:
        """The page ``key``, built on first use."""
        page = self._built.get(key)
        if page is None:
            page = _page_class(key)(self)
            self._built[key] = page
            self._holders[PAGE_KEYS.index(key)].layout().addWidget(page)
        return page

    board = property(lambda self: self.page("board"))
    dispatch = property(lambda self: self.page("dispatch"))
    attention = property(lambda self: self.page("attention"))
    activities = property(lambda self: self.page("activities"))

    # --- what the pages share ------------------------------------------------------------------
    def today(self) -> _dt.date:
        """The day time in stage and overdue nodes are measured to (tests fix it)."""
        return _dt.date.today()

    def stalled_days(self) -> int:
        return int(self.ctx.desk.settings.get("projects.stalled_days", 180))

    def warning_days(self) -> int:
        from parkdesk.dispatch import NODE_WARNING_DAYS

        return int(self.ctx.desk.settings.get("projects.node_warning_days", NODE_WARNING_DAYS))

    def ledger_rows(self):
        """The ledger as read after the last change (read once, shared by the pages)."""
        if self._rows is None:
            self._rows = self.ctx.desk.projects.ledger(self.today())
        return self._rows

    def distinct(self, field: str) -> list[str]:
        """Distinct values of a project field, for completers."""
        return sorted({getattr(r.project, field) for r in self.ledger_rows() if getattr(r.project, field)})

    # The ledger's model and totals line, up to date even while the tab is hidden
    # or still loading (read here and now when they are not).
    @property
    def model(self):
        self._refresh_page("ledger")
        return self.ledger.model

    @property
    def totals(self):
        self._refresh_page("ledger")
        return self.ledger.totals

    # --- refreshing -------------------------------------------------------------------------------
    def page_key(self) -> str:
        return PAGE_KEYS[self.pages.currentIndex()]

    def is_loaded(self) -> bool:
        """True when the page on screen shows the current data (nothing being read)."""
        return not self.loader.loading and self.page_key() not in self._dirty

    def refresh(self) -> None:
        """Data changed: read again; refresh the page on screen now, the others when shown.

        While the first reading is still on the worker it is started again (the one in
        flight may predate the change and is dropped)."""
        self._rows = None
        self._dirty = set(PAGE_KEYS)
        reading = self.loader.loading
        self.loader.invalidate()  # what is in flight may predate the change
        if self.isVisible():
            self._refresh_current(background=reading)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        # First visit, or changes made while another main tab was shown: read on the worker.
        super().showEvent(event)
        self._refresh_current(background=True)

    def _period_changed(self, *_args) -> None:
        if "dispatch" in self._built:
            self.dispatch.follow_period()
        self._dirty |= {"dispatch", "activities"}
        if self.isVisible():
            self._refresh_current(background=self.loader.loading)

    def _refresh_current(self, *, background: bool = False) -> None:
        self._refresh_page(self.page_key(), background=background)

    def _refresh_page(self, key: str, *, background: bool = False) -> None:
        if key == "ledger" and background:
            if "ledger" in self._dirty and not self.loader.loading:
                self._load_ledger()
            return
        if key not in self._dirty:
            return
        self._dirty.discard(key)
        if key == "ledger":
            self.loader.invalidate()  # read here and now: a reading in flight is older
            self.ledger.load(self.ledger_rows(), self.today(), self.stalled_days())
        else:
            self.page(key).refresh()

    def _load_ledger(self) -> None:
        """Read the ledger on the worker; show it unless something newer came meanwhile."""
        today, stalled_days = self.today(), self.stalled_days()

        def read(desk):
            rows = desk.projects.ledger(today)
            return LedgerModel.prepare(rows, today, stalled_days)

        def apply(prepared) -> None:
            self._rows = prepared.rows
            self._dirty.discard("ledger")
            self.ledger.load_prepared(prepared)

        self.loader.start(read, apply)

    def _loading_changed(self, on: bool) -> None:
        self.ledger.set_loading(on, None if on else self.loader.failure)

    def show_page(self, key: str) -> QWidget:
        page = self.page(key)
        self.pages.setCurrentIndex(PAGE_KEYS.index(key))
        self._refresh_current()
        return page

    # --- actions shared by the pages -------------------------------------------------------------------
    def open_project(self, project_id: int | None, page: str | None = None):
        """Open the project dialog (a new project when ``project_id`` is None)."""
        if project_id is None and page is not None:
            return None
        from .project_dialog import ProjectDialog

        dialog = ProjectDialog(self, project_id, page)
        self.last_dialog = dialog  # for tests
        dialog.exec()
        return dialog

    def change_stage(self, project_id: int | None, stage: str | None = None) -> bool:
        """Ask for the new stage (preset to ``stage``) and its date; write it. True when changed."""
        if project_id is None:
            return False
        from .record_dialogs import StageChangeDialog

        project = self.ctx.desk.projects.get(project_id)
        dialog = StageChangeDialog(project, stage, self)
        self.last_dialog = dialog
        if not dialog.exec():
            return False
        new_stage, day, note, reason = dialog.values()
        ok, _ = self.ops.write(
            lambda desk: desk.projects.change_stage(project_id, new_stage, day, note=note, reason=reason), parent=self)
        return ok

    def open_dispatch(self, project_id: int, year: int, month: int) -> bool:
        """Fill in (or correct) one project's dispatch record of a month."""
        from parkdesk.dispatch import DispatchRecord

        from .record_dialogs import DispatchDialog

        desk = self.ctx.desk
        project = desk.projects.get(project_id)
        record = desk.projects.get_dispatch(project_id, year, month) or DispatchRecord(
            project_id=project_id, year=year, month=month)
        problems = desk.projects.dispatch_problems(record.id) if record.id else []
        dialog = DispatchDialog(project, record, problems, desk.projects.previous_to_date(project_id, year, month), self)
        self.last_dialog = dialog
        if not dialog.exec():
            return False
        r = dialog.result_record()
        ok, _ = self.ops.write(lambda d: d.projects.save_dispatch(r, problems=dialog.problems,
                                                                  delete_problems=dialog.deleted), parent=self)
        return ok

    def delete_project(self, project_id: int | None) -> bool:
        if project_id is None:
            return False
        project = self.ctx.desk.projects.get(project_id)
        answer = QMessageBox.question(
            self, "删除项目",
            f"确定删除项目“{project.name}”吗？\n其阶段记录、月调度、节点计划和存在问题将一并删除，且不能恢复。")
        if answer != QMessageBox.StandardButton.Yes:
            return False
        ok, _ = self.ops.write(lambda desk: desk.projects.delete(project_id), parent=self)
        return ok
