"""UI fixtures: isolated QSettings, the main window over a demo database."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_qsettings(qapp, tmp_path):
    """QSettings write into tmp_path, never into the developer's real settings."""
    from PySide6.QtCore import QSettings

    qapp.setOrganizationName("ParkDeskTest")
    qapp.setApplicationName("ParkDeskTest")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    yield


@pytest.fixture
def main_window(qtbot, demo_desk):
    """The main window over a private copy of the demo park (period 2026, 1—10月)."""
    from ui.main_window import MainWindow

    window = MainWindow(demo_desk)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.shutdown()
