"""The command line's backup, restore and audit commands."""

from __future__ import annotations

from pathlib import Path

from parkdesk.backups import list_backups
from parkdesk.desk import Desk
from tests.conftest import run_main
from tests.safety_helpers import damage_pages, dump_tables


def test_backup_prints_its_path_as_last_line(demo_path):
    """`backup --db D` makes a verified backup and prints its path last."""
    result = run_main("backup", "--db", demo_path)
    assert result.returncode == 0, result.stderr
    last = Path(result.stdout.strip().splitlines()[-1])
    assert last.exists() and last.suffix == ".db"
    assert [b.path for b in list_backups(demo_path)] == [last]
    with Desk.open(last, readonly=True) as copy:
        assert copy.projects.count() >= 60
    listed = run_main("backup", "--list", "--db", demo_path)
    assert listed.returncode == 0 and str(last) in listed.stdout and "手动备份" in listed.stdout


def test_backup_of_missing_database_is_refused(tmp_path):
    """`backup` never creates an empty database just to back it up."""
    missing = tmp_path / "none.db"
    result = run_main("backup", "--db", missing)
    assert result.returncode == 1 and "不存在" in result.stderr
    assert not missing.exists()


def test_restore_command_brings_data_back(tmp_path):
    """`restore BACKUP --db D` restores the data and keeps the previous state;
    a bare file name is found in the database's backup folder."""
    path = tmp_path / "park.db"
    with Desk.open(path) as desk:
        desk.park.update(name="恢复前")
    backup = Path(run_main("backup", "--db", path).stdout.strip().splitlines()[-1])
    with Desk.open(path) as desk:
        desk.park.update(name="改坏了")
    result = run_main("restore", backup.name, "--db", path)
    assert result.returncode == 0, result.stderr
    assert "恢复前的数据已另存为" in result.stdout
    with Desk.open(path, readonly=True) as desk:
        assert desk.park.profile().name == "恢复前"
    saved = [b for b in list_backups(path) if b.reason == "before-restore"]
    assert saved
    with Desk.open(saved[0].path, readonly=True) as desk:
        assert desk.park.profile().name == "改坏了"


def test_restore_command_repairs_a_damaged_database(demo_path):
    """On a damaged file `restore` still works (the damaged file is kept aside)."""
    backup = Path(run_main("backup", "--db", demo_path).stdout.strip().splitlines()[-1])
    damage_pages(demo_path)
    assert run_main("check", "--db", demo_path).returncode == 1
    result = run_main("restore", backup, "--db", demo_path)
    assert result.returncode == 0, result.stderr
    assert "已损坏" in result.stderr  # said what it found
    assert run_main("check", "--db", demo_path).returncode == 0
    assert any(b.reason == "damaged" for b in list_backups(demo_path))


def test_restore_command_refuses_bad_backups(tmp_path):
    """A missing or unsound backup is refused with exit 1; the database is unchanged."""
    path = tmp_path / "park.db"
    with Desk.open(path) as desk:
        desk.park.update(name="原样")
    before = dump_tables(path)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00" * 5000)
    for backup in (junk, tmp_path / "missing.db"):
        result = run_main("restore", backup, "--db", path)
        assert result.returncode == 1, result.stdout
        assert "错误：" in result.stderr and "Traceback" not in result.stderr
    assert dump_tables(path) == before


def test_audit_command_lists_and_exports(tmp_path):
    """`audit` prints the newest changes with labels; --out writes an .xlsx file."""
    path = tmp_path / "park.db"
    with Desk.open(path, user="王五@PC") as desk:
        tax = desk.indicators.by_name("税收收入")
        desk.indicators.set_month(tax.id, 2026, 3, value=1200.0)
        desk.indicators.set_month(tax.id, 2026, 3, value=1300.0)
    result = run_main("audit", "--db", path, "--text", "税收")
    assert result.returncode == 0, result.stderr
    assert "税收收入 2026年3月" in result.stdout and "1200 → 1300" in result.stdout and "王五@PC" in result.stdout
    out = tmp_path / "log.xlsx"
    result = run_main("audit", "--db", path, "--out", out)
    assert result.returncode == 0 and out.exists()
