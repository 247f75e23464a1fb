"""Starting the GUI: application object, exception hook, database choice, window.

Only wiring lives here (as in Mu's app.py); the window and tabs do the work.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from pathlib import Path

log = logging.getLogger("ui")

# The names QSettings files are kept under (set by create_application, and by
# intended_database when it reads QSettings before the application exists).
SETTINGS_ORGANIZATION = SETTINGS_APPLICATION = "ParkDesk"
GC_RESUME_MS = 1000  # the garbage collector is off from start until this long after the window is shown


def _prepare_environment(screenshot: bool) -> None:
    # A screenshot needs no screen: render offscreen unless one is asked for.
    if screenshot and not os.environ.get("QT_QPA_PLATFORM"):
        if sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and not os.environ.get(
            "WAYLAND_DISPLAY"
        ):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # The pip Qt has no fcitx plugin (fcitx5 also serves the ibus protocol) and the
    # bundle has no wayland plugin: see ui/session_env.py.
    from .session_env import apply_session_overrides

    changes = apply_session_overrides()
    if changes:
        log.info("Qt environment adjusted for this session: %s", changes)


def import_qt() -> None:
    """Import Qt, telling PySide6 that the modules already loaded do not use it.

    After it is imported, PySide6 reads the source of every module named by an
    ``import`` statement that it has not seen (``inspect.getsource``, to support
    ``from __feature__ import …``, PYSIDE-2029): at start-up ~120 files, most of the
    standard library among them, ~15 ms. ParkDesk never selects a ``__feature__``;
    modules loaded before Qt (the standard library, ParkDesk's core) are recorded
    as PySide6 records a module without Qt in it (-1, "ignore in switching"), so
    their sources are not read. Anything unexpected in PySide6 leaves it to do
    its own reading.
    """
    import PySide6.QtCore  # noqa: F401 - loads PySide6's import hook

    feature = sys.modules.get("PySide6.support.feature")
    table = getattr(feature, "pyside_feature_dict", None)
    if not isinstance(table, dict):
        return
    for name in list(sys.modules):
        if name in table or name == "__main__" or name.split(".", 1)[0] in ("PySide6", "shiboken6", "ui"):
            continue  # ParkDesk's UI and Qt's own modules: PySide6 reads them as it does
        table[name] = -1


def create_application(argv: list[str] | None = None):
    """The QApplication with ParkDesk's names, translations, look (ui/style.py) and icon."""
    import_qt()
    from PySide6.QtWidgets import QApplication

    from parkdesk import APP_ID, APP_NAME, __version__

    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    app.setOrganizationName(SETTINGS_ORGANIZATION)
    app.setApplicationName(SETTINGS_APPLICATION)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    # Lets Linux docks match the window to cn.parkdesk.parkdesk.desktop (its icon and name).
    app.setDesktopFileName(APP_ID)
    _install_qt_translations(app)
    from .resources import app_icon
    from .style import apply_style

    apply_style(app)
    icon = app_icon()
    if icon is not None:
        app.setWindowIcon(icon)
    return app


def _install_qt_translations(app) -> None:
    """Qt's own dialogs (file chooser, print dialog, message-box buttons) in Chinese."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    app._translators = []  # keep references: a collected translator is uninstalled
    for name in ("qtbase", "qt"):
        translator = QTranslator(app)
        if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), name, "_", folder):
            app.installTranslator(translator)
            app._translators.append(translator)


LAST_DB_KEY = "database/last"  # QSettings key of the database opened last


def intended_database(args) -> tuple[Path, str]:
    """The file the GUI opens unless the clerk is asked: (path, how it was chosen) —
    ``--db`` ("arg"), else the last one used while it still exists ("last"), else the
    default place ("default"). Needs only QtCore (used before Qt's widgets are imported)."""
    if getattr(args, "db", None):
        return Path(args.db).expanduser(), "arg"
    from PySide6.QtCore import QCoreApplication, QSettings

    if not QCoreApplication.organizationName():
        # The names create_application sets: QSettings() then reads the same place.
        QCoreApplication.setOrganizationName(SETTINGS_ORGANIZATION)
        QCoreApplication.setApplicationName(SETTINGS_APPLICATION)
    last = QSettings().value(LAST_DB_KEY, "")
    if last and Path(str(last)).exists():
        return Path(str(last)), "last"
    from parkdesk.paths import default_database_path

    return default_database_path(), "default"


def _early_check(args):
    """Start the quick check of the database the GUI is about to open, on a thread of
    its own, before Qt's widgets are imported (``parkdesk.integrity.DeferredCheck``);
    ``Desk.open`` then uses its verdict. None when there is no such file yet."""
    try:
        path, _how = intended_database(args)
        if not path.is_file() or path.stat().st_size == 0:
            return None
        from parkdesk.integrity import DeferredCheck

        return DeferredCheck(path)
    except Exception:  # noqa: BLE001 - only a head start: the open checks anyway
        log.exception("early quick check not started")
        return None


def run_gui(args) -> int:
    """Start the GUI (or, with ``--screenshot``, render the window once and exit)."""
    screenshot = bool(getattr(args, "screenshot", None))
    # Start-up allocates a great deal and frees little (modules, classes, Qt enums):
    # the cyclic garbage collector would walk all of it a few times for nothing
    # (~10 ms). It is back on once the window is up.
    gc.disable()
    _prepare_environment(screenshot)
    precheck = _early_check(args)
    from parkdesk.errors import ParkDeskError

    # The core the window opens with, loaded before Qt: its sources are then not read by PySide6 (import_qt).
    import parkdesk.checks  # noqa: F401
    import parkdesk.desk  # noqa: F401
    import parkdesk.indicator_figures  # noqa: F401

    app = create_application()
    from .errors import install_excepthook

    install_excepthook()
    from .startup import choose_database

    window = None
    try:
        desk = choose_database(args, interactive=not screenshot, precheck=precheck)
        if desk is None:
            return 0
        from .main_window import MainWindow

        window = MainWindow(desk, year=args.year, month=args.month, tab=args.tab if screenshot else None)
        if screenshot:
            return _take_screenshot(app, window, Path(args.screenshot), args.tab)
        show_settled(window)
        from PySide6.QtCore import QTimer

        QTimer.singleShot(GC_RESUME_MS, gc.enable)
        return app.exec()
    except ParkDeskError as exc:
        if screenshot:
            print(f"错误：{exc.message}", file=sys.stderr)
        else:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(None, "园区工作台", exc.message)
        return 1
    finally:
        gc.enable()
        teardown(app, window)


SETTLE_ROUNDS = 8  # rounds of posted events delivered between show() and the first paint


def show_settled(window) -> None:
    """Show the window with its layout settled, so that it is painted once.

    Showing posts a cascade of events: polish, layout requests, and item views
    deciding their scroll bars through queued calls, each posting more. Left to the
    event loop, the first paint comes before the cascade ends, a view then gains its
    scroll bar, and the window is laid out and painted again (~15 ms on the demo
    park). Posted events are delivered in rounds — those posted during a round wait
    for the next — so a few rounds settle it before the window system asks for the
    first paint; a round with nothing to deliver costs nothing.
    """
    from PySide6.QtCore import QCoreApplication

    window.show()
    for _ in range(SETTLE_ROUNDS):
        QCoreApplication.sendPostedEvents()


def _take_screenshot(app, window, path: Path, tab: str) -> int:
    from PySide6.QtCore import QCoreApplication, QEventLoop

    window.resize(1360, 860)
    window.select_tab(tab)
    show_settled(window)
    # Let layouts, lazy tabs and deferred (0 ms timer) work run before grabbing;
    # nothing at start-up waits longer (the backup on open is not drawn).
    for _ in range(5):
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    gc.enable()  # the window is up (run_gui)
    # Tabs read their data on a worker thread: grab what the clerk sees once it is there,
    # never the "正在载入……" state.
    from .loading import wait_until_loaded

    if wait_until_loaded(window.tab(tab)):
        for _ in range(2):
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    else:
        print("警告：页签数据在 60 秒内未载入完毕，截图可能不完整", file=sys.stderr)
    if not path.parent.exists():
        print(f"错误：文件夹“{path.parent}”不存在", file=sys.stderr)
        return 1
    if not window.grab().save(str(path)):
        print(f"错误：无法保存截图到“{path}”", file=sys.stderr)
        return 1
    print(f"已保存截图：{path}")
    return 0


def teardown(app, window) -> None:
    """Destroy widgets explicitly: PySide6 can crash at interpreter exit when the
    garbage collector deletes them in the wrong order."""
    import shiboken6

    if window is not None:
        window.shutdown()
        if shiboken6.isValid(window):
            shiboken6.delete(window)
    if app is not None:
        app.processEvents()
        for widget in app.topLevelWidgets():
            if shiboken6.isValid(widget):
                widget.close()
                shiboken6.delete(widget)
        app.processEvents()
