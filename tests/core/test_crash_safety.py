"""Crash-proof writes: a process killed with SIGKILL at any moment of a large write
leaves a sound database holding all of it or none of it; exports never leave a
half-written file; every import runs in one transaction."""

from __future__ import annotations

import importlib.util
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from parkdesk.desk import Desk
from parkdesk.fileio import ExportError, atomic_output
from tests.safety_helpers import ROOT

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")

N_PROJECTS = 2000
N_YEARS = 6

WRITER = """
import sys
sys.path.insert(0, {root!r})
from parkdesk.desk import Desk
from parkdesk.projects import Project
path, batch = sys.argv[1], sys.argv[2]
desk = Desk.open(path)
print("open", flush=True)
cumulative = [i.id for i in desk.indicators.list() if i.kind == "cumulative"]
base_year = 1990 + int(batch[1:]) * {years}
with desk.atomic():  # one user action: the whole batch or nothing
    for i in range({n}):
        desk.projects.save(Project(name=f"{{batch}}-{{i:05d}}", investor="投资方" * 10,
                                   total_investment=float(i), stage="在谈", stage_changed_on="2026-01-01"))
    for year in range(base_year, base_year + {years}):
        for month in range(1, 13):
            for ind in cumulative:
                desk.indicators.set_month(ind, year, month, value=float(month), note=batch)
desk.close()
print("done", flush=True)
"""


def _run_and_kill(path, batch: str, delay: float, *, script: str | None = None, args=(), marker="open") -> bool:
    """Start a writer, SIGKILL it ``delay`` seconds after it printed ``marker``; True if it finished first."""
    script = script or WRITER.format(root=str(ROOT), n=N_PROJECTS, years=N_YEARS)
    proc = subprocess.Popen([sys.executable, "-c", script, str(path), batch, *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ))
    line = proc.stdout.readline().strip()
    assert line == marker, (line, proc.stderr.read())
    deadline = time.monotonic() + delay
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    finished = proc.poll() is not None
    if not finished:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    return finished and proc.returncode == 0


def _batch_state(path, batch: str, indicators: int) -> str:
    """'all' or 'none' for one batch; fails on anything in between or on damage."""
    with Desk.open(path) as desk:  # takes over the killed writer's stale lock; quick check at open
        conn = desk.db.conn
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        projects = conn.execute("SELECT count(*) FROM projects WHERE name LIKE ?", [batch + "-%"]).fetchone()[0]
        history = conn.execute(
            "SELECT count(*) FROM project_stage_history h JOIN projects p ON p.id = h.project_id "
            "WHERE p.name LIKE ?", [batch + "-%"]).fetchone()[0]
        values = conn.execute("SELECT count(*) FROM indicator_values WHERE note = ?", [batch]).fetchone()[0]
        logged = conn.execute(
            "SELECT count(*) FROM audit_log WHERE table_name = 'projects' AND action = 'insert' "
            "AND json_extract(new_value, '$.name') LIKE ?", [batch + "-%"]).fetchone()[0]
    counts = (projects, history, values, logged)
    if counts == (0, 0, 0, 0):
        return "none"
    assert counts == (N_PROJECTS, N_PROJECTS, indicators * N_YEARS * 12, N_PROJECTS), counts
    return "all"


def _write_duration(path) -> float:
    start = time.monotonic()
    assert _run_and_kill(path, "B0", 60)
    return time.monotonic() - start


def _kill_loop(tmp_path, iterations: int, seed: int) -> list[str]:
    path = tmp_path / "park.db"
    Desk.open(path).close()
    with Desk.open(path) as desk:
        indicators = len([i for i in desk.indicators.list() if i.kind == "cumulative"])
    duration = _write_duration(path)  # batch B0 completes: calibrates the kill window
    assert _batch_state(path, "B0", indicators) == "all"
    rng = random.Random(seed)
    outcomes = []
    for i in range(1, iterations + 1):
        batch = f"B{i}"
        finished = _run_and_kill(path, batch, rng.uniform(0.0, duration * 1.15))
        state = _batch_state(path, batch, indicators)
        if finished:
            assert state == "all"
        outcomes.append(state)
    return outcomes


def test_kill_during_large_write_quick(tmp_path):
    """Three SIGKILLs during a large one-transaction write: sound file, all or nothing."""
    outcomes = _kill_loop(tmp_path, 3, seed=1)
    assert set(outcomes) <= {"all", "none"}


@pytest.mark.slow
def test_kill_during_large_write_many_times(tmp_path):
    """20 SIGKILLs at random moments (before, during and after the commit): every time the
    database passes integrity_check and holds each batch entirely or not at all."""
    outcomes = _kill_loop(tmp_path, 20, seed=20261122)
    assert "none" in outcomes, "no kill landed inside the transaction: the window is miscalibrated"


# --- a real import, killed while it writes ---------------------------------------------------------------
IMPORTER = """
import sys
sys.path.insert(0, {root!r})
from parkdesk.desk import Desk
from parkdesk.exchange import apply_import, preview_import
path, batch, source = sys.argv[1], sys.argv[2], sys.argv[3]
desk = Desk.open(path)
preview = preview_import(desk, "indicators", source)
assert not preview.errors, preview.errors[:3]
print("applying", flush=True)  # reading is done: the kill window is the write
apply_import(desk, preview)
desk.close()
print("done", flush=True)
"""
IMPORT_YEARS = (2010, 2018)  # every batch rewrites the same cells with its own note


def _indicator_file(folder, batch: int, indicators) -> tuple:
    """A large 指标数据 sheet (every cumulative indicator, 8 years × 12 months) for one batch."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("指标数据")
    ws.append(["指标名称", "计量单位", "年份", "月份", "累计值", "上年同期", "同比增长(%)", "备注"])
    for ind in indicators:
        for year in range(*IMPORT_YEARS):
            for month in range(1, 13):
                ws.append([ind.name, ind.unit, year, month, 10.0 * month + batch, None, None, f"B{batch}"])
    path = folder / f"batch{batch}.xlsx"
    wb.save(path)
    return path, len(indicators) * (IMPORT_YEARS[1] - IMPORT_YEARS[0]) * 12


def _import_state(path, batch: str, rows: int) -> str:
    """'all' or 'none' for one batch; the cells never mix two batches."""
    with Desk.open(path) as desk:
        conn = desk.db.conn
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        notes = conn.execute(
            "SELECT note, count(*) FROM indicator_values WHERE year >= ? AND year < ? GROUP BY note",
            list(IMPORT_YEARS)).fetchall()
        logged = conn.execute(
            "SELECT count(*) FROM audit_log WHERE table_name = 'indicator_values' AND CASE "
            "WHEN action = 'insert' THEN json_extract(new_value, '$.note') = ? "
            "WHEN action = 'update' AND field = 'note' THEN new_value = ? ELSE 0 END", [batch, batch]).fetchone()[0]
    assert len(notes) == 1 and notes[0][1] == rows, notes  # one whole batch, never a mixture
    if notes[0][0] == batch:
        assert logged == rows
        return "all"
    assert logged == 0
    return "none"


def _import_kill_loop(tmp_path, iterations: int, seed: int) -> list[str]:
    path = tmp_path / "park.db"
    with Desk.open(path) as desk:
        indicators = [i for i in desk.indicators.list() if i.kind == "cumulative"]
    script = IMPORTER.format(root=str(ROOT))
    source, rows = _indicator_file(tmp_path, 0, indicators)
    start = time.monotonic()
    assert _run_and_kill(path, "B0", 60, script=script, args=[source], marker="applying")
    duration = time.monotonic() - start
    assert _import_state(path, "B0", rows) == "all"
    rng = random.Random(seed)
    outcomes = []
    for i in range(1, iterations + 1):
        source, rows = _indicator_file(tmp_path, i, indicators)
        finished = _run_and_kill(path, f"B{i}", rng.uniform(0.0, duration), script=script, args=[source],
                                 marker="applying")
        state = _import_state(path, f"B{i}", rows)
        if finished:
            assert state == "all"
        outcomes.append(state)
    return outcomes


def test_kill_during_indicator_import_quick(tmp_path):
    """Three SIGKILLs while a large indicator import writes: sound file, all rows or none."""
    assert set(_import_kill_loop(tmp_path, 3, seed=3)) <= {"all", "none"}


@pytest.mark.slow
def test_kill_during_indicator_import_many_times(tmp_path):
    """20 SIGKILLs at random moments of a large indicator import's write: every time the
    database is sound and holds the whole import or nothing of it."""
    outcomes = _import_kill_loop(tmp_path, 20, seed=7)
    assert "none" in outcomes and "all" in outcomes, outcomes


# --- exports --------------------------------------------------------------------------------------------------
def test_atomic_output_keeps_old_file_when_writing_fails(tmp_path):
    """An error half-way through an export leaves the previous file intact and no temp file."""
    target = tmp_path / "指标.xlsx"
    target.write_bytes(b"old content")
    with pytest.raises(RuntimeError):
        with atomic_output(target) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("crash while writing")
    assert target.read_bytes() == b"old content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["指标.xlsx"]


def test_target_open_in_another_program_gives_clear_message(tmp_path, monkeypatch):
    """A target locked by Excel/WPS (rename refused) says so; the old file stays."""
    target = tmp_path / "项目台账.xlsx"
    target.write_bytes(b"old")

    def refused(src, dst):
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(os, "replace", refused)
    with pytest.raises(ExportError, match="正在被其他程序"):
        with atomic_output(target) as tmp:
            tmp.write_bytes(b"new")
    assert target.read_bytes() == b"old"
    assert len(list(tmp_path.iterdir())) == 1


def test_read_only_folder_gives_clear_message(tmp_path, monkeypatch):
    """An export into a folder that cannot be written says so in Chinese (a read-only
    folder; as root, where permissions do not apply, the refusal is simulated)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        import tempfile

        def refuse(*_a, **_k):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(tempfile, "mkstemp", refuse)
    try:
        with pytest.raises(ExportError, match="无法在"):
            with atomic_output(folder / "x.xlsx") as tmp:
                tmp.write_bytes(b"x")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_export_errors_reach_the_cli_as_messages(tmp_path, monkeypatch, capsys):
    """`audit --out` into a missing folder exits 1 with a message, no traceback."""
    import main

    db = tmp_path / "p.db"
    Desk.open(db).close()
    code = main.main(["audit", "--db", str(db), "--out", str(tmp_path / "missing" / "x.xlsx")])
    err = capsys.readouterr().err
    assert code == 1 and "不存在" in err and "Traceback" not in err


# --- imports are one transaction ------------------------------------------------------------------------------
def test_apply_import_runs_in_one_transaction(desk, monkeypatch):
    """An importer that fails half-way through apply() leaves nothing, even when it
    writes through several manager calls (each its own atomic block)."""
    import types

    from parkdesk import exchange

    fake = types.ModuleType("parkdesk.exchange.projects")

    def apply(d, preview):
        from parkdesk.projects import Project

        d.projects.save(Project(name="第一个"))
        d.projects.save(Project(name="第二个"))
        raise sqlite3.OperationalError("disk I/O error")

    fake.apply = apply
    monkeypatch.setitem(sys.modules, "parkdesk.exchange.projects", fake)
    preview = exchange.ImportPreview(kind="projects", path=desk.path)
    with pytest.raises(sqlite3.OperationalError):
        exchange.apply_import(desk, preview)
    assert desk.projects.count() == 0
    assert desk.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0


def _exporters():
    """Every export of this version: (name, function(desk, target))."""
    found = [("audit", lambda desk, target: desk.audit.export_xlsx(target))]
    from parkdesk.exchange import KINDS, export

    for kind in KINDS:
        if importlib.util.find_spec(f"parkdesk.exchange.{kind}") is not None:
            found.append((kind, lambda desk, target, k=kind: export(desk, k, 2026, target)))
    if importlib.util.find_spec("parkdesk.exchange.dispatch_sheet") is not None:
        def dispatch(desk, target):
            from parkdesk.exchange.dispatch_sheet import write_dispatch_sheet

            write_dispatch_sheet(desk, 2026, 10, target)

        found.append(("dispatch-sheet", dispatch))
    if importlib.util.find_spec("parkdesk.report.docx_writer") is not None:
        def docx(desk, target):
            from parkdesk.report.docx_writer import write_docx
            from parkdesk.report.sample import build_sample

            write_docx(build_sample(), target)

        found.append(("report-docx", docx))
    return found


@pytest.mark.parametrize("name, exporter", _exporters(), ids=[n for n, _ in _exporters()])
def test_every_export_keeps_the_old_file_when_the_target_is_locked(demo_desk, tmp_path, monkeypatch, name, exporter):
    """Each export (xlsx of every kind, the change log, the .docx report) writes through a
    temporary file: a target held by another program gives a clear message, the old file
    is intact and no temporary file is left behind."""
    suffix = ".docx" if name.endswith("docx") else ".xlsx"
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / f"导出{suffix}"
    exporter(demo_desk, target)  # works normally
    assert target.stat().st_size > 0
    target.write_bytes(b"the version open in Excel")

    def refused(src, dst):
        raise PermissionError(13, "The process cannot access the file because it is being used")

    monkeypatch.setattr(os, "replace", refused)
    with pytest.raises(ExportError, match="正在被其他程序"):
        exporter(demo_desk, target)
    assert target.read_bytes() == b"the version open in Excel"
    assert sorted(p.name for p in folder.iterdir()) == [target.name]
