"""The 项目 tab: ledger, stage board, monthly dispatch, overdue nodes and problems, activities.

The pages share one reading of the ledger; after a change (``ctx.data_changed``)
only the page on screen is refreshed at once, the others when they are shown.
"""

from __future__ import annotations

import datetime as _dt

from PySide6.QtWidgets import QMessageBox, QTabWidget, QVBoxLayout, QWidget

from parkdesk.dispatch import NODE_WARNING_DAYS, DispatchRecord

from .activities_page import ActivitiesPage
from .attention_page import AttentionPage
from .board import StageBoard
from .dispatch_page import DispatchSheetPage
from .ledger_page import LedgerPage
from .project_dialog import ProjectDialog
from .record_dialogs import DispatchDialog, StageChangeDialog

PAGE_KEYS = ("ledger", "board", "dispatch", "attention", "activities")


class ProjectsTab(QWidget):
    """Everything about projects and promotion, one page each."""

    def __init__(self, ctx, ops, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.ops = ops
        self._rows = None
        self.ledger = LedgerPage(self)
        self.board = StageBoard(self)
        self.dispatch = DispatchSheetPage(self)
        self.attention = AttentionPage(self)
        self.activities = ActivitiesPage(self)
        self.pages = QTabWidget()
        self.pages.setObjectName("projectPages")
        for page, title in ((self.ledger, "项目台账"), (self.board, "阶段看板"), (self.dispatch, "月度调度"),
                            (self.attention, "逾期节点与问题"), (self.activities, "招商活动")):
            self.pages.addTab(page, title)
        self._dirty = set(PAGE_KEYS)
        self.pages.currentChanged.connect(lambda _i: self._refresh_current())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.pages)
        ctx.data_changed.connect(self.refresh)
        ctx.period_changed.connect(self._period_changed)
        self._refresh_current()

    # --- what the pages share ------------------------------------------------------------------
    def today(self) -> _dt.date:
        """The day time in stage and overdue nodes are measured to (tests fix it)."""
        return _dt.date.today()

    def stalled_days(self) -> int:
        return int(self.ctx.desk.settings.get("projects.stalled_days", 180))

    def warning_days(self) -> int:
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
    # (refreshes are otherwise put off until the tab is shown).
    @property
    def model(self):
        self._refresh_page("ledger")
        return self.ledger.model

    @property
    def totals(self):
        self._refresh_page("ledger")
        return self.ledger.totals

    # --- refreshing -------------------------------------------------------------------------------
    def page_key(self, widget=None) -> str:
        widget = widget or self.pages.currentWidget()
        return PAGE_KEYS[self.pages.indexOf(widget)]

    def refresh(self) -> None:
        """Data changed: read again; refresh the page on screen now, the others when shown."""
        self._rows = None
        self._dirty = set(PAGE_KEYS)
        if self.isVisible():
            self._refresh_current()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        # Changes made while another main tab was shown are read when this one comes back.
        super().showEvent(event)
        self._refresh_current()

    def _period_changed(self, *_args) -> None:
        self.dispatch.follow_period()
        self._dirty |= {"dispatch", "activities"}
        if self.isVisible():
            self._refresh_current()

    def _refresh_current(self) -> None:
        self._refresh_page(self.page_key())

    def _refresh_page(self, key: str) -> None:
        if key not in self._dirty:
            return
        self._dirty.discard(key)
        if key == "ledger":
            self.ledger.load(self.ledger_rows(), self.today(), self.stalled_days())
        else:
            getattr(self, key).refresh()

    def show_page(self, key: str) -> QWidget:
        page = getattr(self, key)
        self.pages.setCurrentWidget(page)
        self._refresh_current()
        return page

    # --- actions shared by the pages -------------------------------------------------------------------
    def open_project(self, project_id: int | None, page: str | None = None) -> ProjectDialog | None:
        """Open the project dialog (a new project when ``project_id`` is None)."""
        if project_id is None and page is not None:
            return None
        dialog = ProjectDialog(self, project_id, page)
        self.last_dialog = dialog  # for tests
        dialog.exec()
        return dialog

    def change_stage(self, project_id: int | None, stage: str | None = None) -> bool:
        """Ask for the new stage (preset to ``stage``) and its date; write it. True when changed."""
        if project_id is None:
            return False
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
