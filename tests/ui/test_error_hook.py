"""Unexpected errors in the GUI: a Chinese dialog saying what to do, the details in the
rotating log file of the user data folder, and no half-written data."""

from __future__ import annotations

import sqlite3
import sys

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox

import ui.errors as errors_module
from parkdesk.errors import ValidationError
from ui.errors import install_excepthook


class _Emitter(QObject):
    fire = Signal()


@pytest.fixture
def shown(monkeypatch):
    """Message boxes are recorded instead of blocking."""
    seen: list[dict] = []

    def fake_exec(box):
        seen.append({"kind": "box", "title": box.windowTitle(), "text": box.text(),
                     "info": box.informativeText(), "details": box.detailedText()})
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda parent, title, text, *a: seen.append(
                            {"kind": "warning", "title": title, "text": text})))
    return seen


@pytest.fixture
def hook(monkeypatch):
    """Our excepthook installed for the test, the previous one restored afterwards."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    import threading

    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    install_excepthook()
    from parkdesk.logs import log_path

    return log_path()


def _raise_in_slot(qtbot, exc: BaseException, desk=None):
    emitter = _Emitter()

    def slot():
        if desk is not None:
            with desk.atomic():
                desk.park.update(name="写了一半")
                raise exc
        raise exc

    emitter.fire.connect(slot)
    emitter.fire.emit()
    qtbot.wait(10)


@pytest.mark.qt_no_exception_capture
def test_exception_in_slot_shows_chinese_dialog_and_logs_details(qtbot, shown, hook, desk):
    """A bug raising inside a slot: the dialog says what happened and what to do, the
    traceback is in the log file, and the half-done change was rolled back."""
    desk.park.update(name="原来的名字")
    _raise_in_slot(qtbot, RuntimeError("测试用的意外错误"), desk)
    assert len(shown) == 1
    dialog = shown[0]
    assert "意外错误" in dialog["text"] and "建议" in dialog["text"] and "数据" in dialog["text"]
    assert str(hook) in dialog["info"]
    assert "RuntimeError: 测试用的意外错误" in dialog["details"]
    assert hook.exists()
    logged = hook.read_text(encoding="utf-8")
    assert "unhandled exception" in logged and "测试用的意外错误" in logged and "Traceback" in logged
    assert desk.park.profile().name == "原来的名字"


@pytest.mark.qt_no_exception_capture
def test_known_low_level_errors_are_explained(qtbot, shown, hook):
    """A full disk (from SQLite) is explained in plain words, not as a bug."""
    _raise_in_slot(qtbot, sqlite3.OperationalError("database or disk is full"))
    assert "磁盘空间不足" in shown[0]["text"]


@pytest.mark.qt_no_exception_capture
def test_domain_errors_reaching_the_hook_show_their_message(qtbot, shown, hook):
    """A ParkDeskError that escaped a slot is shown as its own message (a warning)."""
    _raise_in_slot(qtbot, ValidationError("年份“abc”无效"))
    assert shown == [{"kind": "warning", "title": "园区工作台", "text": "年份“abc”无效"}]


@pytest.mark.qt_no_exception_capture
def test_errors_in_other_threads_are_logged(qtbot, hook):
    """An exception on a plain thread goes to the log file instead of vanishing."""
    import threading

    t = threading.Thread(target=lambda: (_ for _ in ()).throw(ValueError("线程里的错误")), name="worker-x")
    t.start()
    t.join()
    text = hook.read_text(encoding="utf-8")
    assert "worker-x" in text and "线程里的错误" in text


def test_hook_does_not_nest_dialogs(monkeypatch, shown, hook):
    """An error raised while the error dialog is open is logged, not shown again."""
    monkeypatch.setattr(errors_module, "_showing", True)
    errors_module._hook(RuntimeError, RuntimeError("第二个"), None)
    assert shown == []
    assert "第二个" in hook.read_text(encoding="utf-8")
