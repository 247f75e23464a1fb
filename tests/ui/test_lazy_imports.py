"""Start-up stays light: no heavy library is imported until the clerk needs it (issue 9)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

HEAVY = ("numpy", "matplotlib", "docx", "openpyxl", "PIL", "lxml")


def _run_python(code: str) -> subprocess.CompletedProcess:
    """Run ``python -c CODE`` from the repository (a fresh interpreter: nothing imported yet)."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(ROOT),
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.mark.parametrize("tab", ["indicators", "projects", "plans", "report"])
def test_window_with_any_tab_imports_no_heavy_library(demo_path, tmp_path, tab):
    """Drawing the main window on any tab loads neither numpy, matplotlib, python-docx nor openpyxl."""
    code = (
        "import sys, main\n"
        f"rc = main.main(['--db', {str(demo_path)!r}, '--screenshot', {str(tmp_path / 'w.png')!r}, '--tab', {tab!r}])\n"
        f"heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))\n"
        "print('heavy:', heavy)\n"
        "sys.exit(rc or (3 if heavy else 0))\n"
    )
    _run_python(code)
    assert (tmp_path / "w.png").stat().st_size > 0


def test_screenshot_shows_the_asked_tab_without_building_the_remembered_one(qtbot, demo_desk):
    """A window opened for one tab (--screenshot --tab) builds only that tab, not the one remembered from last time."""
    from PySide6.QtCore import QSettings

    from ui.main_window import TAB_KEYS, MainWindow

    QSettings().setValue("window/tab", TAB_KEYS.index("projects"))
    window = MainWindow(demo_desk, tab="plans")
    qtbot.addWidget(window)
    try:
        assert window.tabs.currentWidget() is window.pages["plans"]
        assert window.pages["plans"].widget is not None
        assert window.pages["projects"].widget is None
    finally:
        window.shutdown()


def test_garbage_collector_is_off_while_the_window_is_built(demo_path, tmp_path):
    """run_gui turns the cyclic garbage collector off for start-up and on again once the window is up."""
    code = (
        "import gc, sys, main, ui.main_window as mw\n"
        "seen = []\n"
        "init = mw.MainWindow.__init__\n"
        "def recording(self, *a, **k):\n"
        "    seen.append(gc.isenabled())\n"
        "    init(self, *a, **k)\n"
        "mw.MainWindow.__init__ = recording\n"
        f"rc = main.main(['--db', {str(demo_path)!r}, '--screenshot', {str(tmp_path / 'w.png')!r}])\n"
        "print('during:', seen, 'after:', gc.isenabled())\n"
        "sys.exit(rc)\n"
    )
    assert "during: [False] after: True" in _run_python(code).stdout


def test_garbage_collector_is_back_on_soon_after_the_window_opens(demo_path):
    """Started for the clerk (no --screenshot), the window turns the collector back on GC_RESUME_MS
    after it is shown, not only when it closes."""
    code = (
        "import gc, os, sys\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "import main, ui.app as app\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "seen = []\n"
        "shown = app.show_settled\n"
        "def close_later(window):\n"
        "    shown(window)\n"
        "    seen.append(gc.isenabled())\n"
        "    def look():\n"
        "        seen.append(gc.isenabled())\n"
        "        window.close()\n"
        "    QTimer.singleShot(app.GC_RESUME_MS + 300, look)\n"
        "app.show_settled = close_later\n"
        f"rc = main.main(['--db', {str(demo_path)!r}])\n"
        "print('seen:', seen)\n"
        "sys.exit(rc)\n"
    )
    assert "seen: [False, True]" in _run_python(code).stdout
