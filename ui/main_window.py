"""The main window: period selector, four tabs, menus, status bar."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSpinBox,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from parkdesk import APP_NAME, __version__
from parkdesk.numbers import month_range
from parkdesk.window_args import YEARS

from .context import AppContext
from .ops import Ops, show_error

TAB_KEYS = ("indicators", "projects", "plans", "report")
TAB_TITLES = {"indicators": "指标", "projects": "项目", "plans": "工作计划", "report": "报告"}


class LazyTab(QWidget):
    """A tab page whose real widget is built the first time it is shown."""

    def __init__(self, factory: Callable[[], QWidget], parent=None):
        super().__init__(parent)
        self._factory = factory
        self.widget: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def ensure(self) -> QWidget:
        if self.widget is None:
            self.widget = self._factory()
            self._layout.addWidget(self.widget)
        return self.widget


class MainWindow(QMainWindow):
    """ParkDesk's main window over an open :class:`parkdesk.desk.Desk`."""

    def __init__(self, desk, *, year: int | None = None, month: int | None = None, tab: str | None = None):
        super().__init__()
        self._initial_tab = tab  # shown first instead of the remembered one (--screenshot)
        self.ctx = AppContext(desk, year, month)
        self.ops = Ops(self.ctx, self)
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(760, 520)
        self._build_period_bar()
        self._build_tabs()
        self._build_menus()
        self._build_status_bar()
        self.ctx.period_changed.connect(lambda *_: self._update_status())
        self.ctx.desk_changed.connect(self._update_status)
        self._restore_geometry()
        self._update_status()
        from .safety.auto_backup import AutoBackup
        from .safety.open_flow import announce

        self.auto_backup = AutoBackup(self)
        announce(self, desk)

    # --- construction ---------------------------------------------------------------
    def _build_period_bar(self) -> None:
        bar = QToolBar("期间")
        bar.setObjectName("periodBar")
        bar.setMovable(False)
        bar.layout().setSpacing(6)
        bar.setContentsMargins(4, 4, 4, 4)
        bar.addWidget(QLabel(" 年份："))
        self.year_box = QSpinBox()
        self.year_box.setRange(*YEARS)  # every year the command line takes (--year)
        self.year_box.setSuffix(" 年")
        self.year_box.setValue(self.ctx.year)
        bar.addWidget(self.year_box)
        bar.addWidget(QLabel("  期间："))
        self.month_box = QComboBox()
        for n in range(1, 13):
            self.month_box.addItem(month_range(n), n)
        self.month_box.setCurrentIndex(self.ctx.month - 1)
        bar.addWidget(self.month_box)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.year_box.valueChanged.connect(self._period_edited)
        self.month_box.currentIndexChanged.connect(self._period_edited)
        self.ctx.period_changed.connect(self._show_period)

    def _period_edited(self, *_):
        self.ctx.set_period(self.year_box.value(), self.month_box.currentData())

    def _show_period(self, year: int, month: int) -> None:
        self.year_box.blockSignals(True)
        self.month_box.blockSignals(True)
        self.year_box.setValue(year)
        self.month_box.setCurrentIndex(month - 1)
        self.year_box.blockSignals(False)
        self.month_box.blockSignals(False)

    def _build_tabs(self) -> None:
        from .style import style_tabs

        self.tabs = style_tabs(QTabWidget())
        self.tabs.setDocumentMode(True)
        self.pages: dict[str, LazyTab] = {}
        for key in TAB_KEYS:
            page = LazyTab(lambda k=key: self._create_tab(k))
            self.pages[key] = page
            self.tabs.addTab(page, TAB_TITLES[key])
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.tabs)

    def _create_tab(self, key: str) -> QWidget:
        if key == "indicators":
            from .indicators.tab import IndicatorsTab as cls
        elif key == "projects":
            from .projects.tab import ProjectsTab as cls
        elif key == "plans":
            from .plans.tab import PlansTab as cls
        else:
            from .report.tab import ReportTab as cls
        return cls(self.ctx, self.ops)

    def _tab_changed(self, index: int) -> None:
        page = self.tabs.widget(index)
        if isinstance(page, LazyTab):
            page.ensure()

    def tab(self, key: str) -> QWidget:
        """The tab's widget (built if needed)."""
        return self.pages[key].ensure()

    def select_tab(self, key: str) -> QWidget:
        self.tabs.setCurrentWidget(self.pages[key])
        return self.tab(key)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("文件(&F)")
        self._action(file_menu, "新建数据库(&N)…", self.new_database, QKeySequence.StandardKey.New)
        self._action(file_menu, "打开数据库(&O)…", self.open_database, QKeySequence.StandardKey.Open)
        file_menu.addSeparator()
        self._action(file_menu, "园区信息(&P)…", self.edit_profile)
        file_menu.addSeparator()
        self._action(file_menu, "备份与恢复(&B)…", self.show_backups)
        self._action(file_menu, "变更记录(&L)…", self.show_audit_log)
        file_menu.addSeparator()
        self._action(file_menu, "退出(&X)", self.close, QKeySequence.StandardKey.Quit)

        data_menu = bar.addMenu("数据(&D)")
        from parkdesk.exchange import KINDS

        def dataio(name: str, kind: str) -> None:  # imported when first used, not at start-up
            from . import dataio as module

            getattr(module, name)(self, kind)

        imp = data_menu.addMenu("导入(&I)")
        exp = data_menu.addMenu("导出(&E)")
        tpl = data_menu.addMenu("导入模板(&T)")
        for kind, label in KINDS.items():
            self._action(imp, f"{label}…", lambda k=kind: dataio("import_dialog", k))
            self._action(exp, f"{label}…", lambda k=kind: dataio("export_dialog", k))
            self._action(tpl, f"{label}模板…", lambda k=kind: dataio("template_dialog", k))
        self.data_menu = data_menu

        self.report_menu = bar.addMenu("报告(&R)")
        self._action(self.report_menu, "打开报告页(&R)", lambda: self.select_tab("report"))
        self._action(self.report_menu, "重新生成(&G)", lambda: self.select_tab("report").regenerate())
        self.report_menu.addSeparator()
        self._action(self.report_menu, "打印预览(&V)…", lambda: self.tab("report").print_preview())
        self._action(self.report_menu, "打印(&P)…", lambda: self.tab("report").print_report(),
                     QKeySequence.StandardKey.Print)
        self.report_menu.addSeparator()
        self._action(self.report_menu, "导出 Word 文档(&W)…", lambda: self.tab("report").export_docx())
        self._action(self.report_menu, "导出 PDF(&D)…", lambda: self.tab("report").export_pdf())

        help_menu = bar.addMenu("帮助(&H)")
        self._action(help_menu, "关于园区工作台(&A)", self.about)

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(lambda _=False: slot())
        menu.addAction(action)
        return action

    def _build_status_bar(self) -> None:
        self.db_label = QLabel()
        self.period_label = QLabel()
        self.font_label = QLabel()
        for label in (self.db_label, self.period_label, self.font_label):
            label.setContentsMargins(8, 0, 8, 0)
        status = self.statusBar()
        status.addWidget(self.db_label, 1)
        status.addPermanentWidget(self.font_label)
        status.addPermanentWidget(self.period_label)
        from parkdesk.fonts import find_cjk_fonts, missing_font_message

        if not find_cjk_fonts():
            self.font_label.setText("⚠ 未找到中文字体")
            self.font_label.setToolTip(missing_font_message())

    def _update_status(self) -> None:
        desk = self.ctx.desk
        name = desk.park.profile().display_name
        self.db_label.setText(f"数据库：{desk.path}{'（只读）' if desk.readonly else ''}")
        self.period_label.setText(f"{name}　{self.ctx.year}年{month_range(self.ctx.month)}")
        self.setWindowTitle(f"{name} — {APP_NAME}")

    # --- database switching ---------------------------------------------------------------
    def new_database(self) -> None:
        from .startup import DB_FILTER

        name, _ = QFileDialog.getSaveFileName(self, "新建园区数据库", str(Path.home() / "园区数据.db"), DB_FILTER)
        if name:
            path = Path(name)
            if path.exists():
                QMessageBox.warning(self, APP_NAME, "该文件已存在，请用“打开数据库”打开它，或换一个文件名。")
                return
            self._switch_to(path)

    def open_database(self) -> None:
        from .startup import DB_FILTER

        name, _ = QFileDialog.getOpenFileName(self, "打开园区数据库", str(self.ctx.desk.path.parent), DB_FILTER)
        if name:
            self._switch_to(Path(name), create=False)

    def _switch_to(self, path: Path, *, create: bool = True) -> bool:
        from .safety.open_flow import announce, open_database
        from .startup import remember_database

        try:
            desk = open_database(self, path, create=create)
        except Exception as exc:  # noqa: BLE001 - shown to the clerk
            show_error(self, exc)
            return False
        if desk is None:
            return False
        self.ops.wait()
        old = self.ctx.desk
        self.ctx.set_desk(desk)
        old.close()
        remember_database(path)
        self._update_status()
        announce(self, desk)
        return True

    def show_backups(self) -> None:
        from .safety.backup_dialog import BackupDialog

        BackupDialog(self).exec()

    def show_audit_log(self) -> None:
        from .safety.audit_dialog import AuditDialog

        AuditDialog(self).exec()

    def edit_profile(self) -> None:
        from .profile_dialog import ProfileDialog

        dialog = ProfileDialog(self.ctx.desk.park.profile(), self)
        if dialog.exec():
            self.ops.write(lambda desk: desk.park.update(**dialog.changes()), parent=self)
            self._update_status()

    def about(self) -> None:
        QMessageBox.about(
            self, "关于园区工作台",
            f"<h3>{APP_NAME}</h3><p>版本 {__version__}</p>"
            "<p>园区经济指标、招商和建设项目台账、工作计划管理，"
            "自动起草符合 GB/T 9704 格式的年度工作总结。</p><p>离线运行，数据保存在本机。</p>",
        )

    # --- geometry and closing ------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = settings.value("window/state")
        if state is not None:
            self.restoreState(state)
        index = TAB_KEYS.index(self._initial_tab) if self._initial_tab in TAB_KEYS else settings.value("window/tab", 0)
        try:
            self.tabs.setCurrentIndex(int(index))
        except (TypeError, ValueError):
            pass
        self._tab_changed(self.tabs.currentIndex())

    def save_geometry(self) -> None:
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        settings.setValue("window/tab", self.tabs.currentIndex())

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.save_geometry()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Finish background work and close the database (called at exit; it backs
        up first when something changed)."""
        self.auto_backup.stop()
        self.ops.wait()
        if self.ctx.desk is not None and self.ctx.desk.db is not None:
            self.ctx.desk.close()
