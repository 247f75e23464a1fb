"""Exports are written to a temporary file and renamed into place."""

from __future__ import annotations

import os
import stat

import pytest

from parkdesk.fileio import ExportError, atomic_output


def test_written_file_replaces_target_with_normal_permissions(tmp_path):
    """The result appears only on success, readable by others as a normally written file."""
    target = tmp_path / "out.xlsx"
    target.write_text("old")
    old_umask = os.umask(0o022)
    try:
        with atomic_output(target) as tmp:
            tmp.write_text("new")
            assert target.read_text() == "old"
    finally:
        os.umask(old_umask)
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


def test_failure_keeps_the_old_file(tmp_path):
    """An error while writing leaves the old file untouched and no temporary file behind."""
    target = tmp_path / "out.docx"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_output(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("crash")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.docx"]


def test_missing_folder_and_locked_target_give_messages(tmp_path, monkeypatch):
    """A missing folder or a target held open by another program gives a Chinese message."""
    with pytest.raises(ExportError, match="不存在"):
        with atomic_output(tmp_path / "nope" / "x.xlsx"):
            pass

    def locked(*_a):
        raise PermissionError(13, "denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(ExportError, match="正在被其他程序"):
        with atomic_output(tmp_path / "x.xlsx") as tmp:
            tmp.write_text("data")
