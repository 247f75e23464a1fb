"""Shared fixtures: an isolated user data folder, real SQLite files in tmp_path."""

from __future__ import annotations

import datetime as _dt
import os
import shutil
import sys
from pathlib import Path

import pytest

# Qt without a screen; set before any Qt import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The demo's reference date: fixed, so figures in tests never drift with the calendar.
DEMO_AS_OF = _dt.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def parkdesk_home(tmp_path_factory, monkeypatch) -> Path:
    """Every test gets its own user data folder (backups, logs, default database)."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("PARKDESK_HOME", str(home))
    return home


@pytest.fixture
def desk(tmp_path):
    """A new, empty park database in tmp_path."""
    from parkdesk.desk import Desk

    d = Desk.open(tmp_path / "park.db")
    yield d
    if d.db is not None:
        d.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo park, created once per test session (copied for each test)."""
    from parkdesk.demo import create_demo

    folder = tmp_path_factory.mktemp("demo")
    old = os.environ.get("PARKDESK_HOME")
    os.environ["PARKDESK_HOME"] = str(folder)
    try:
        d = create_demo(folder / "demo.db", as_of=DEMO_AS_OF)
        d.close()
    finally:
        if old is None:
            os.environ.pop("PARKDESK_HOME", None)
        else:
            os.environ["PARKDESK_HOME"] = old
    return folder / "demo.db"


@pytest.fixture
def demo_path(demo_template, tmp_path) -> Path:
    """A private copy of the demo database file."""
    target = tmp_path / "demo.db"
    shutil.copy(demo_template, target)
    return target


@pytest.fixture
def demo_desk(demo_path):
    """The demo park, opened."""
    from parkdesk.desk import Desk

    d = Desk.open(demo_path)
    yield d
    if d.db is not None:
        d.close()


def run_main(*args, env=None, timeout=120):
    """Run ``python main.py ARGS`` in a subprocess; return the CompletedProcess."""
    import subprocess

    full_env = dict(os.environ)
    full_env.setdefault("QT_QPA_PLATFORM", "offscreen")
    if env:
        full_env.update(env)
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        capture_output=True, text=True, encoding="utf-8", env=full_env, timeout=timeout, cwd=str(ROOT),
    )
