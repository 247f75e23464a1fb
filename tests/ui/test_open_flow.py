"""Opening in the GUI: a locked database offers read-only, a damaged one leads to the
latest sound backup, a shared one is warned about."""

from __future__ import annotations

import json
import socket
from argparse import Namespace

import pytest
from PySide6.QtWidgets import QMessageBox

from parkdesk import locking
from parkdesk.desk import Desk
from tests.safety_helpers import damage_pages, start_holder
from ui.safety import open_flow
from ui.startup import choose_database


@pytest.fixture
def answers(monkeypatch):
    """Scripted answers to ask_choice; records every question asked."""
    asked: list[dict] = []
    script: list[str | None] = []

    def ask(parent, icon, title, text, options, informative=""):
        asked.append({"title": title, "text": text, "options": [k for k, _ in options]})
        return script.pop(0) if script else None

    monkeypatch.setattr(open_flow, "ask_choice", ask)
    infos: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda p, t, text, *a: infos.append(text)))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda p, t, text, *a: infos.append(text)))
    return asked, script, infos


def test_locked_database_offers_read_only(tmp_path, answers):
    """A database held by another process: the clerk is told who holds it and can open read-only."""
    asked, script, _ = answers
    path = tmp_path / "park.db"
    Desk.open(path).close()
    holder = start_holder(path)
    try:
        script.append("readonly")
        desk = open_flow.open_database(None, path)
        assert desk is not None and desk.readonly
        assert "正在被" in asked[0]["text"] and socket.gethostname() in asked[0]["text"]
        assert asked[0]["options"] == ["readonly", "cancel"]  # same machine: no breaking
        desk.close()
        script.append("cancel")
        assert open_flow.open_database(None, path) is None
    finally:
        holder.terminate()
        holder.wait(10)


def test_lock_of_another_machine_can_be_broken_after_confirmation(tmp_path, answers):
    """A lock from another computer: 解除锁定 asks again, then opens for writing."""
    asked, script, _ = answers
    path = tmp_path / "park.db"
    Desk.open(path).close()
    locking.lock_path_for(path).write_text(json.dumps({
        "user": "wang", "machine": "PC-2", "pid": 1, "since": "2026-11-01T08:00:00",
        "machine_id": "elsewhere", "token": "x"}), encoding="utf-8")
    script.extend(["break", "cancel"])
    assert open_flow.open_database(None, path) is None  # confirmation declined
    assert locking.lock_path_for(path).exists()
    script.extend(["break", "break"])
    desk = open_flow.open_database(None, path)
    assert desk is not None and not desk.readonly
    assert "PC-2" in asked[0]["text"] and "break" in asked[0]["options"]
    desk.close()


def test_screenshot_mode_opens_a_locked_database_read_only(tmp_path):
    """Non-interactive starts never wait on a question: locked means read-only."""
    path = tmp_path / "park.db"
    Desk.open(path).close()
    holder = start_holder(path)
    try:
        desk = choose_database(Namespace(db=str(path)), interactive=False)
        assert desk.readonly
        desk.close()
    finally:
        holder.terminate()
        holder.wait(10)


def test_damaged_database_restores_latest_sound_backup(demo_path, answers):
    """At start a damaged file leads to the newest backup that passes the check (a broken
    newer one is skipped); after restoring, the data opens."""
    asked, script, infos = answers
    with Desk.open(demo_path) as desk:
        desk.backups.create()
        count = desk.projects.count()
        broken = desk.backups.create("timer")
    broken.write_bytes(broken.read_bytes()[:2048])
    damage_pages(demo_path)
    script.append("restore")
    from parkdesk.integrity import DeferredCheck

    early = DeferredCheck(demo_path)  # as run_gui starts it: its verdict leads to the same questions
    desk = choose_database(Namespace(db=str(demo_path)), interactive=True, precheck=early)
    assert early.wait(30)  # it found the damage
    assert desk is not None and desk.projects.count() == count
    assert len(asked) == 1 and "已损坏" in asked[0]["text"] and "最近一次完好的备份" in asked[0]["text"]
    assert asked[0]["options"][0] == "restore"
    assert any("损坏的原文件已另存为" in text for text in infos)
    desk.close()


def test_damaged_database_without_backup_can_open_another(tmp_path, demo_path, answers, monkeypatch):
    """Without a sound backup the clerk may open another database instead, or quit."""
    asked, script, _ = answers
    damage_pages(demo_path)
    other = tmp_path / "other.db"
    Desk.open(other).close()
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(other), "")))
    script.append("other")
    desk = open_flow.open_database(None, demo_path)
    assert desk is not None and desk.path == other
    assert asked[0]["options"] == ["file", "other", "quit"]
    desk.close()
    script.append("quit")
    assert open_flow.open_database(None, demo_path) is None


def test_network_share_is_warned_about(tmp_path, answers, monkeypatch):
    """A database on a share opens with a warning dialog."""
    _, _, infos = answers
    monkeypatch.setattr(locking, "network_share_warning", lambda p: "数据库位于网络共享文件夹（cifs）上。")
    desk = open_flow.open_database(None, tmp_path / "p.db")
    assert infos == ["数据库位于网络共享文件夹（cifs）上。"]
    desk.close()


def test_the_gui_starts_the_quick_check_before_building_anything(tmp_path, demo_path):
    """run_gui starts the quick check of the database it will open (--db, or the last one
    used) on a thread of its own; choose_database passes it to Desk.open."""
    from PySide6.QtCore import QCoreApplication, QSettings

    from ui.app import LAST_DB_KEY, _early_check

    names = QCoreApplication.organizationName(), QCoreApplication.applicationName()
    request_names = lambda org, app: (QCoreApplication.setOrganizationName(org),  # noqa: E731
                                      QCoreApplication.setApplicationName(app))
    request_names("ParkDesk", "ParkDesk")  # as create_application names it
    check = _early_check(Namespace(db=str(demo_path)))
    assert check is not None and check.path == demo_path and check.wait(30) == []
    assert _early_check(Namespace(db=str(tmp_path / "missing.db"))) is None
    QSettings().setValue(LAST_DB_KEY, str(demo_path))
    remembered = _early_check(Namespace(db=None))
    assert remembered is not None and remembered.path == demo_path
    remembered.wait(30)
    desk = choose_database(Namespace(db=None), interactive=False, precheck=remembered)
    assert desk.path.resolve() == demo_path.resolve()
    desk.close()
    request_names(*names)


def test_screenshot_of_a_damaged_database_fails_with_the_message(demo_path):
    """The check started early finds the damage: no window, exit code 1, the reason in Chinese."""
    from tests.conftest import run_main

    damage_pages(demo_path)
    before = demo_path.read_bytes()
    result = run_main("--db", demo_path, "--screenshot", demo_path.parent / "shot.png")
    assert result.returncode == 1 and "已损坏" in result.stderr
    assert not (demo_path.parent / "shot.png").exists() and demo_path.read_bytes() == before
