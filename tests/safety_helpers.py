"""Helpers of the data-safety tests: damaged files, table dumps, child processes."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = 4096


def damage_pages(path: Path, *, pages: tuple[float, ...] = (0.33, 0.5, 0.51), seed: int = 7) -> None:
    """Overwrite whole pages of a real database file with random bytes.

    ``pages`` are positions as fractions of the file (page 1, holding the
    header, is left alone so the file still looks like SQLite).
    """
    path = Path(path)
    count = path.stat().st_size // PAGE
    rng = random.Random(seed)
    with open(path, "r+b") as fh:
        for frac in pages:
            number = max(1, min(count - 1, int(count * frac)))
            fh.seek(number * PAGE)
            fh.write(bytes(rng.randrange(256) for _ in range(PAGE)))


def checkpointed_copy(source: Path, target: Path) -> Path:
    """A self-contained copy (no -wal) of a database file."""
    src = sqlite3.connect(str(source))
    dst = sqlite3.connect(str(target))
    src.backup(dst)
    dst.close()
    src.close()
    return target


def dump_tables(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table (audit log included), for before/after comparisons."""
    conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {n: conn.execute(f'SELECT * FROM "{n}" ORDER BY rowid').fetchall() for n in names}
    finally:
        conn.close()


HOLDER_SCRIPT = """
import sys, time
sys.path.insert(0, {root!r})
from parkdesk.desk import Desk
desk = Desk.open(sys.argv[1])
print("ready", flush=True)
time.sleep(120)
"""


def start_holder(db_path: Path) -> subprocess.Popen:
    """A second process that opens ``db_path`` for writing and keeps it open."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER_SCRIPT.format(root=str(ROOT)), str(db_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ),
    )
    line = proc.stdout.readline().strip()
    if line != "ready":
        proc.kill()
        raise RuntimeError(f"holder did not start: {line} {proc.stderr.read()}")
    return proc


def raw_connection(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection that can write past the audit triggers (as a foreign
    program or a bug would): the triggers' functions are registered, audit off."""
    conn = sqlite3.connect(str(path))
    conn.create_function("pd_audit_on", 0, lambda: 0)
    conn.create_function("pd_user", 0, lambda: "raw")
    return conn
