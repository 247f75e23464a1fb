"""The quick check started early on a thread of its own (the GUI starts it before importing
Qt's widgets); Desk.open uses its verdict instead of checking again."""

from __future__ import annotations

import os
import shutil

import pytest

from parkdesk import integrity
from parkdesk.desk import Desk
from parkdesk.errors import DamagedDatabase
from parkdesk.integrity import DeferredCheck
from tests.safety_helpers import damage_pages


@pytest.fixture
def checks_on_open(monkeypatch):
    """Counts the quick checks Desk.open runs itself."""
    calls = []
    real = integrity.quick_check

    def counting(conn, **kw):
        calls.append(1)
        return real(conn, **kw)

    monkeypatch.setattr(integrity, "quick_check", counting)
    return calls


def test_a_sound_file_opens_on_the_early_verdict(demo_path, checks_on_open):
    check = DeferredCheck(demo_path)
    assert check.wait(30) == [] and check.done
    with Desk.open(demo_path, precheck=check) as desk:
        assert desk.projects.count() > 0
    assert checks_on_open == []  # not checked twice
    with Desk.open(demo_path) as desk:  # without one: checked at open as ever
        pass
    assert checks_on_open == [1]


def test_a_damaged_file_is_refused_on_the_early_verdict_and_left_untouched(demo_path, checks_on_open):
    damage_pages(demo_path)
    before = demo_path.read_bytes()
    check = DeferredCheck(demo_path)
    assert check.wait(30)  # problems found on the thread
    with pytest.raises(DamagedDatabase) as caught:
        Desk.open(demo_path, precheck=check)
    assert "已损坏" in caught.value.message and caught.value.problems
    assert demo_path.read_bytes() == before
    assert not os.path.exists(f"{demo_path}-wal") or os.path.getsize(f"{demo_path}-wal") == 0


def test_the_verdict_on_another_or_a_replaced_file_is_not_used(tmp_path, demo_path, checks_on_open):
    other = tmp_path / "other.db"
    shutil.copy(demo_path, other)
    check = DeferredCheck(other)
    check.wait(30)
    with Desk.open(demo_path, precheck=check):
        pass
    assert checks_on_open == [1]  # another file: checked at open
    damaged = tmp_path / "damaged.db"
    shutil.copy(demo_path, damaged)
    damage_pages(damaged)
    check = DeferredCheck(demo_path)
    assert check.wait(30) == []
    os.replace(damaged, demo_path)  # e.g. a restore from a (here: broken) copy meanwhile
    with pytest.raises(DamagedDatabase):
        Desk.open(demo_path, precheck=check)
    assert checks_on_open == [1, 1]


def test_a_check_that_cannot_run_leaves_the_open_to_check(tmp_path, checks_on_open, monkeypatch):
    """Locked, or a journal a read-only connection cannot roll back: no verdict, the open checks."""
    import sqlite3

    path = tmp_path / "park.db"
    Desk.open(path).close()

    def locked(*_a, **_k):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(integrity, "_reported_problems", locked)
    check = DeferredCheck(path)
    assert check.wait(30) is None and check.done
    monkeypatch.undo()
    checks_on_open.clear()
    monkeypatch.setattr(integrity, "quick_check", lambda conn, **kw: checks_on_open.append(1) or [])
    with Desk.open(path, precheck=check):
        pass
    assert checks_on_open == [1]


def test_a_foreign_file_gives_no_verdict(tmp_path):
    """SQLite refusing the file outright is not reported as damage by the early check:
    the open says what the file is, as before."""
    path = tmp_path / "notes.db"
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    check = DeferredCheck(path)
    assert check.wait(30) is None


def test_a_reader_reads_without_lock_or_check_and_cannot_write(demo_path, checks_on_open):
    """Desk.reader(): the worker threads' read-only connection beside an open desk."""
    from parkdesk.errors import ReadOnlyDatabase

    with Desk.open(demo_path) as desk:
        checks_on_open.clear()
        reader = desk.reader()
        try:
            assert reader.readonly and reader.lock_handle is None
            assert reader.projects.count() == desk.projects.count()
            with pytest.raises(ReadOnlyDatabase):
                with reader.atomic():
                    pass
        finally:
            reader.close()
        assert checks_on_open == []
        assert desk.projects.count() > 0  # the writer is untouched


def test_the_verdict_on_a_file_changed_in_place_since_is_not_used(demo_path, checks_on_open):
    """Written to in place after the early check (same file: no restore), the file is checked
    again at open (the stamp has its modification time and size, not only its identity)."""
    check = DeferredCheck(demo_path)
    assert check.wait(30) == []
    damage_pages(demo_path)
    assert not check.applies_to(demo_path)
    with pytest.raises(DamagedDatabase):
        Desk.open(demo_path, precheck=check)
    assert checks_on_open == [1]
