"""The PDF export (drawn by Qt) writes through a temporary file like every other export."""

from __future__ import annotations

import importlib.util
import os

import pytest

from parkdesk.fileio import ExportError


@pytest.mark.skipif(importlib.util.find_spec("ui.report.pdf") is None, reason="no PDF renderer in this branch")
def test_pdf_export_keeps_the_old_file_when_the_target_is_locked(qapp, tmp_path, monkeypatch):
    """A PDF held open by a viewer gives a clear message; the old file stays, no temp file is left."""
    from parkdesk.report.sample import build_sample
    from ui.report.pdf import render_pdf

    target = tmp_path / "工作总结.pdf"
    render_pdf(build_sample(), target)
    assert target.read_bytes()[:4] == b"%PDF"
    target.write_bytes(b"the version open in the viewer")

    def refused(src, dst):
        raise PermissionError(13, "The process cannot access the file because it is being used")

    monkeypatch.setattr(os, "replace", refused)
    with pytest.raises(ExportError, match="正在被其他程序"):
        render_pdf(build_sample(), target)
    assert target.read_bytes() == b"the version open in the viewer"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]
