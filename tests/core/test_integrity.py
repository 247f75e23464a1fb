"""Integrity: the quick check at every open, and ``check --db D``."""

from __future__ import annotations

import sqlite3
import sys
import types

import pytest

from parkdesk.desk import Desk
from parkdesk.errors import DamagedDatabase
from parkdesk.integrity import check_database, data_check_messages
from tests.conftest import run_main
from tests.safety_helpers import damage_pages, raw_connection


@pytest.mark.parametrize("readonly", [False, True])
def test_damaged_file_is_refused_at_open_untouched(demo_path, readonly):
    """Overwritten pages are caught by the quick check at open (also read-only); the
    file is not modified and no lock is left behind."""
    damage_pages(demo_path)
    before = demo_path.read_bytes()
    with pytest.raises(DamagedDatabase) as info:
        Desk.open(demo_path, readonly=readonly)
    assert "已损坏" in info.value.message and "备份" in info.value.message
    assert info.value.problems
    assert demo_path.read_bytes() == before
    assert not demo_path.with_name(demo_path.name + ".lock").exists()


def test_damaged_schema_page_is_reported_as_damaged(demo_path):
    """Damage to the first page's schema (the header survives) is "damaged", not "foreign"."""
    data = bytearray(demo_path.read_bytes())
    data[100:4096] = bytes(range(256)) * 15 + bytes(range(156))
    demo_path.write_bytes(bytes(data))
    with pytest.raises(DamagedDatabase):
        Desk.open(demo_path)


def test_check_passes_on_a_sound_database(demo_path):
    """`check` on a sound database: integrity and foreign keys pass, exit 0."""
    result = run_main("check", "--db", demo_path)
    assert result.returncode == 0, result.stderr
    assert "完整性检查：通过" in result.stdout and "外键检查：通过" in result.stdout


def test_check_on_damaged_file_exits_1_and_names_the_sound_backup(demo_path):
    """`check` on a damaged file exits 1 with a clear message and the restore command."""
    with Desk.open(demo_path) as desk:
        good = desk.backups.create()
    damage_pages(demo_path)
    result = run_main("check", "--db", demo_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "已损坏" in result.stderr
    assert str(good) in result.stdout and "restore" in result.stdout


@pytest.mark.parametrize("kind", ["text", "foreign", "missing", "newer"])
def test_check_refuses_foreign_or_unusable_files(tmp_path, kind):
    """`check` exits 1 with a message for files that are not usable ParkDesk databases."""
    path = tmp_path / "x.db"
    if kind == "text":
        path.write_text("hello")
    elif kind == "foreign":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
        conn.commit()
        conn.close()
    elif kind == "newer":
        Desk.open(path).close()
        conn = sqlite3.connect(path)
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('parkdesk', 'm999_future', 'x')")
        conn.commit()
        conn.close()
    result = run_main("check", "--db", path)
    assert result.returncode == 1
    assert "错误：" in result.stderr and "Traceback" not in result.stderr
    if kind == "missing":
        assert not path.exists(), "check must not create a database"


def test_check_reports_foreign_key_violations(tmp_path):
    """Rows pointing at missing records fail the check."""
    path = tmp_path / "park.db"
    Desk.open(path).close()
    conn = raw_connection(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("INSERT INTO project_nodes (project_id, name) VALUES (4242, '孤立节点')")
    conn.commit()
    conn.close()
    report = check_database(path)
    assert not report.ok
    assert any("project_nodes" in e for e in report.errors)


def test_check_lists_data_findings_without_failing(tmp_path):
    """Records breaking the rules (dates out of order) are listed; the exit code stays 0."""
    path = tmp_path / "park.db"
    Desk.open(path).close()
    conn = raw_connection(path)
    conn.execute("INSERT INTO projects (name, stage, signed_on, started_on) "
                 "VALUES ('倒序项目', '已开工', '2026-05-01', '2026-01-01')")
    conn.commit()
    conn.close()
    result = run_main("check", "--db", path)
    assert result.returncode == 0, result.stderr
    assert "倒序项目" in result.stdout and "日期顺序" in result.stdout


def test_data_checks_use_the_indicator_checks_when_present(demo_desk, monkeypatch):
    """The adapter calls parkdesk.checks.check_year when that module exists, and a
    broken check is reported as a note instead of failing the whole check."""
    ind = demo_desk.indicators.by_name("税收收入")
    flag = types.SimpleNamespace(indicator_id=ind.id, year=2026, month=3, label="累计值回落",
                                 message="3月累计值低于2月")
    fake = types.ModuleType("parkdesk.checks")
    fake.check_year = lambda desk, year, through=12: [flag]
    monkeypatch.setitem(sys.modules, "parkdesk.checks", fake)
    findings, notes = data_check_messages(demo_desk)
    assert any("税收收入" in f and "累计值回落" in f and "3月累计值低于2月" in f for f in findings)
    assert not notes

    def broken(desk, year, through=12):
        raise RuntimeError("boom")

    fake.check_year = broken
    findings, notes = data_check_messages(demo_desk)
    assert notes and "指标检查" in notes[0]


def test_a_doubtful_annual_target_is_dated_by_its_year(demo_desk):
    """`check` dates a flag on 年度目标 by the year ("2026年全年"), not by the month it shows with."""
    ind = demo_desk.indicators.by_name("税收收入")
    demo_desk.indicators.set_year_figures(ind.id, 2026, target=99_999_999.0)  # a slip of several digits
    findings, _notes = data_check_messages(demo_desk)
    line = next(f for f in findings if "税收收入" in f and "年度目标存疑" in f)
    assert "2026年全年" in line and "2026年10月" not in line
