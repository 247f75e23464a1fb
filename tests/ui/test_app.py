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
