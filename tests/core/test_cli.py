"""The command line: exit codes and messages, never a traceback."""

from __future__ import annotations

import os
import sqlite3
import sys

import pytest

from parkdesk import __version__
from tests.conftest import run_main


def test_version():
    """--version prints the version from parkdesk.__version__."""
    result = run_main("--version")
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_demo_command_creates_a_database(tmp_path):
    """`demo --db PATH` creates the demo park and says what it holds."""
    path = tmp_path / "d.db"
    result = run_main("demo", "--db", path, "--as-of", "2026-11-22")
    assert result.returncode == 0, result.stderr
    assert "项目" in result.stdout
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM projects").fetchone()[0] >= 60
    conn.close()
    again = run_main("--db", path, "demo")  # --db before the subcommand works too
    assert again.returncode == 1
    assert "已有数据" in again.stderr and "Traceback" not in again.stderr


def test_bad_arguments_exit_2_without_traceback(tmp_path):
    """Unknown commands and bad values give usage help and exit code 2."""
    for args in (["frobnicate"], ["summary", "--year", "abc", "--through", "3"],
                 ["summary", "--year", "2026", "--through", "13"], ["--tab", "nowhere"]):
        result = run_main(*args)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr


def test_unusable_database_exits_1_with_message(tmp_path):
    """A file that is not a ParkDesk database is refused with a message."""
    bad = tmp_path / "bad.db"
    bad.write_text("not a database")
    result = run_main("summary", "--db", bad, "--year", "2026", "--through", "3")
    assert result.returncode == 1
    assert "不是" in result.stderr and "Traceback" not in result.stderr
    missing_dir = tmp_path / "nope" / "x.db"
    result = run_main("summary", "--db", missing_dir, "--year", "2026", "--through", "3")
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_summary_names_park_and_period(demo_path):
    """`summary --json` prints the park and the period as JSON."""
    import json

    result = run_main("summary", "--db", demo_path, "--year", "2026", "--through", "8", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["period"]["label"] == "2026年1—8月"
    assert data["park"]["name"]


def test_summary_without_json_reads_as_tables(demo_path):
    """Plain `summary` prints an aligned indicator table and project/plan lines, not raw JSON."""
    import json

    as_json = json.loads(run_main("summary", "--db", demo_path, "--year", "2026", "--through", "8",
                                  "--json").stdout)
    result = run_main("summary", "--db", demo_path, "--year", "2026", "--through", "8")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(as_json["park"]["name"] + " 2026年1—8月")
    header = next(line for line in lines if line.startswith("类别"))
    assert "同比" in header and "完成目标" in header
    first = as_json["indicators"][0]
    row = next(line for line in lines if f"  {first['name']}  " in line)
    assert f"{first['value']:.{first['decimals']}f}" in row and first["yoy_text"].removeprefix("同比") in row
    projects = as_json["projects"]
    assert f"期内签约{len(projects['signed_in_period'])}个" in result.stdout
    assert as_json["plans"]["status_line"] in result.stdout
    assert '"indicator_id"' not in result.stdout


def test_console_script_entry_point_exists():
    """Every [project.scripts] entry in pyproject.toml names a callable that exists."""
    import importlib
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    scripts = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    assert scripts
    for target in scripts.values():
        module, _, attr = target.partition(":")
        assert callable(getattr(importlib.import_module(module), attr)), target


@pytest.mark.parametrize("args", [
    ("template", "plans", "--out", "{tmp}/x.docx"),
    ("export", "projects", "--year", "2026", "--out", "{tmp}/x.docx"),
    ("dispatch-sheet", "--year", "2026", "--month", "3", "--out", "{tmp}/x.csv"),
])
def test_excel_outputs_refuse_another_extension(tmp_path, args):
    """template / export / dispatch-sheet refuse an --out that is not .xlsx, writing nothing."""
    db = tmp_path / "park.db"
    result = run_main(*[a.format(tmp=tmp_path) for a in args], "--db", db)
    assert result.returncode != 0
    assert ".xlsx" in result.stderr and "Traceback" not in result.stderr
    assert not list(tmp_path.glob("x.*")) and not db.exists()


def test_import_of_a_missing_file_says_so_once_and_creates_no_database(tmp_path):
    """`import` with a missing file prints the error once and leaves no new --db file behind."""
    db = tmp_path / "new.db"
    result = run_main("import", "projects", tmp_path / "nope.xlsx", "--db", db)
    assert result.returncode != 0
    assert result.stderr.count("文件不存在") == 1, result.stderr
    assert not db.exists()


def test_a_rejected_import_into_a_new_database_leaves_no_database(tmp_path, demo_path):
    """A sheet refused as a whole ("数据库未作任何修改") into a --db that did not exist leaves
    neither the new file nor backups of it; an existing database is kept as it was."""
    from parkdesk.backups import list_backups

    sheet = tmp_path / "空模板.xlsx"
    assert run_main("template", "projects", "--out", sheet).returncode == 0
    db = tmp_path / "new.db"
    result = run_main("import", "projects", sheet, "--db", db)
    assert result.returncode == 1 and "未作任何修改" in result.stderr
    assert not list(tmp_path.glob("new.db*")) and list_backups(db) == []
    before = demo_path.stat().st_size
    result = run_main("import", "projects", sheet, "--db", demo_path)
    assert result.returncode == 1 and demo_path.exists() and demo_path.stat().st_size == before
    assert list_backups(demo_path)  # the command's backups are where this test looks


@pytest.mark.parametrize("tilde", [False, True])
def test_a_rejected_import_keeps_the_backups_of_an_earlier_file_at_that_path(tmp_path, tilde):
    """A park.db that went missing leaves its backups; a rejected import that creates a new
    park.db there and removes it again removes only the backups it made itself — also when the
    path is given as ``--db=~/park.db`` (no shell expands ~ after "=")."""
    from parkdesk.backups import list_backups

    db = tmp_path / "park.db"
    env = {"HOME": str(tmp_path)}
    named = ["--db=~/park.db"] if tilde else ["--db", db]
    assert run_main("demo", *named, "--as-of", "2026-11-22", env=env).returncode == 0
    assert run_main("backup", *named, env=env).returncode == 0
    earlier = [info.path for info in list_backups(db)]
    assert earlier
    db.rename(tmp_path / "moved.db")
    sheet = tmp_path / "空模板.xlsx"
    assert run_main("template", "projects", "--out", sheet).returncode == 0
    result = run_main("import", "projects", sheet, *named, env=env)
    assert result.returncode == 1 and "未作任何修改" in result.stderr
    assert not db.exists()
    assert [info.path for info in list_backups(db)] == earlier and all(p.exists() for p in earlier)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is a POSIX test")
def test_ctrl_c_during_the_large_demo_stops_cleanly(tmp_path):
    """Ctrl-C while the large demo is written: "已中断", exit 130 (not an internal error from inside
    SQLite), and the new database file is gone."""
    import signal
    import subprocess

    from tests.conftest import ROOT

    db = tmp_path / "large.db"
    env = dict(os.environ, PARKDESK_HOME=str(tmp_path / "home"))
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "demo", "--db", str(db), "--scale", "large"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            encoding="utf-8")
    lines = []
    for line in proc.stderr:  # the projects are being written: well inside the transaction
        lines.append(line)
        if "项目台账" in line:
            break
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, "".join(lines) + err
    assert "已中断" in err and "内部错误" not in err
    assert not list(tmp_path.glob("large.db*"))
