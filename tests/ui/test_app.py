"""The application object: names, icon, Qt's own texts in Chinese."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from ui.app import create_application


def test_qt_standard_buttons_speak_chinese(qapp):
    """Qt's translations are installed, so standard buttons read 取消 / 是, not Cancel / Yes."""
    app = create_application()
    assert app is qapp
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Yes)
    texts = {b.text() for b in box.buttons()}
    assert "取消" in texts
    assert not app.windowIcon().isNull()


def test_the_look_is_set_without_an_application_style_sheet(qapp, qtbot):
    """10 pt text, light-blue selections with black text in views, pale headers, bold current
    tab — by font, per-class palettes and a style sheet on tab bars only: an application-wide
    style sheet would slow every widget's creation."""
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QHeaderView, QLineEdit, QTableView, QTabWidget

    from ui.style import HEADER_BUTTON, SELECTION_BG, style_tabs

    app = create_application()
    assert app.styleSheet() == ""
    assert app.font().pointSizeF() == 10
    view = QTableView()
    qtbot.addWidget(view)
    view.ensurePolished()  # a top-level widget takes its class palette when polished
    assert view.palette().color(QPalette.ColorRole.Highlight) == SELECTION_BG
    assert view.palette().color(QPalette.ColorRole.HighlightedText).name() == "#000000"
    header = QHeaderView(__import__("PySide6.QtCore", fromlist=["Qt"]).Qt.Orientation.Horizontal)
    qtbot.addWidget(header)
    header.ensurePolished()
    assert header.palette().color(QPalette.ColorRole.Button) == HEADER_BUTTON
    edit = QLineEdit()  # not a view: the platform's selection colour is left alone
    qtbot.addWidget(edit)
    edit.ensurePolished()
    assert edit.palette().color(QPalette.ColorRole.Highlight) != SELECTION_BG
    tabs = style_tabs(QTabWidget())
    qtbot.addWidget(tabs)
    assert "font-weight: bold" in tabs.tabBar().styleSheet()
