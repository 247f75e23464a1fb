"""Choosing the database at start: ``--db``, the last one used, or the first-run dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from parkdesk.desk import Desk
from parkdesk.paths import demo_database_path

from .app import LAST_DB_KEY, intended_database
from .safety.open_flow import open_database

DB_FILTER = "园区工作台数据库 (*.db *.sqlite *.parkdesk);;所有文件 (*)"


def remember_database(path: Path) -> None:
    QSettings().setValue(LAST_DB_KEY, str(Path(path).resolve()))


def open_demo() -> Desk:
    """Open the demo park, creating it on first use."""
    path = demo_database_path()
    if path.exists() and path.stat().st_size > 0:
        return open_database(None, path)
    from parkdesk.demo import create_demo

    return create_demo(path)


class FirstRunDialog(QDialog):
    """Shown when there is no database yet: empty park, demo park, or a file."""

    NEW, DEMO, OPEN = 1, 2, 3

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("欢迎使用园区工作台")
        self.choice = 0
        layout = QVBoxLayout(self)
        text = QLabel(
            "<h3>欢迎使用园区工作台</h3>"
            "<p>园区工作台用于管理园区月度经济指标、招商和建设项目台账、工作计划，"
            "并自动生成符合公文格式的年度工作总结。</p><p>请选择如何开始：</p>"
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        for label, value in (
            ("新建空白园区", self.NEW),
            ("打开演示园区（含示例数据，便于熟悉功能）", self.DEMO),
            ("打开已有的数据库文件……", self.OPEN),
        ):
            button = QPushButton(label)
            button.setMinimumHeight(36)
            button.clicked.connect(lambda _=False, v=value: self._choose(v))
            layout.addWidget(button)
        quit_button = QPushButton("退出")
        quit_button.clicked.connect(self.reject)
        layout.addWidget(quit_button)

    def _choose(self, value: int) -> None:
        self.choice = value
        self.accept()


def choose_database(args, *, interactive: bool, precheck=None) -> Desk | None:
    """Open the database the clerk means; None when they cancel.

    A locked, damaged or shared database is handled by :func:`open_database`.
    ``precheck``: the quick check started early (``ui.app._early_check``).
    """
    path, how = intended_database(args)
    if how == "arg":
        if not path.exists():
            if not interactive:
                # A picture of the window (--screenshot) never makes a new park: a mistyped
                # --db would leave an empty database behind.
                from parkdesk.errors import DatabaseError

                raise DatabaseError(f"数据库文件“{path}”不存在（截图不会新建数据库）。")
            answer = QMessageBox.question(
                None, "园区工作台",
                f"数据库文件“{path}”不存在。\n是否在此位置新建一个空白园区数据库？",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None
        # A picture opens an existing park only (an empty file is refused, as a missing one).
        desk = open_database(None, path, create=interactive, interactive=interactive, precheck=precheck)
        if desk is not None and interactive:  # a screenshot does not change what opens next time
            remember_database(path)
        return desk
    if how == "last":
        return open_database(None, path, interactive=interactive, precheck=precheck)
    default = path
    if default.exists() or not interactive:
        desk = open_database(None, default, interactive=interactive, precheck=precheck)
        if desk is not None and interactive:
            remember_database(default)
        return desk
    dialog = FirstRunDialog()
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    if dialog.choice == FirstRunDialog.DEMO:
        desk = open_demo()
    elif dialog.choice == FirstRunDialog.OPEN:
        name, _ = QFileDialog.getOpenFileName(None, "打开数据库", str(Path.home()), DB_FILTER)
        if not name:
            return None
        desk = open_database(None, Path(name), create=False)
    else:
        desk = open_database(None, default)
    if desk is not None:
        remember_database(desk.path)
    return desk
