"""Opening, creating, upgrading and refusing database files."""

from __future__ import annotations

import sqlite3

import pytest

from parkdesk.desk import Desk
from parkdesk.errors import DatabaseError, NewerDatabase, NotAParkDeskDatabase, ReadOnlyDatabase
from parkdesk.storage.migrations import APPLICATION_ID, KNOWN_MIGRATIONS

EXPECTED_TABLES = {
    "park_profile", "settings", "indicators", "indicator_aliases", "indicator_values", "indicator_years",
    "projects", "project_stage_history", "dispatch_records", "project_problems", "project_nodes",
    "activities", "activity_projects", "plan_sections", "plan_items", "plan_progress_notes",
    "report_blocks", "audit_log",
}


def test_new_database_gets_full_schema_and_pragmas(tmp_path):
    """A new file gets every domain's tables, WAL, synchronous=FULL and foreign keys."""
    with Desk.open(tmp_path / "new.db") as desk:
        assert desk.created
        assert EXPECTED_TABLES <= set(desk.db.table_names())
        assert desk.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert desk.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert desk.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert desk.db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert desk.schema_version() == list(KNOWN_MIGRATIONS)


def test_reopen_is_a_no_op_and_keeps_data(tmp_path):
    """Opening an up-to-date file applies nothing and keeps what was written."""
    path = tmp_path / "park.db"
    with Desk.open(path) as desk:
        desk.park.update(name="测试园区")
        applied = desk.db.execute("SELECT name, applied_at FROM _sqlite_migrations").fetchall()
    with Desk.open(path) as desk:
        assert not desk.created
        assert desk.park.profile().name == "测试园区"
        assert desk.db.execute("SELECT name, applied_at FROM _sqlite_migrations").fetchall() == applied


def test_newer_database_is_refused(tmp_path):
    """A file carrying a migration this version does not know is refused untouched."""
    path = tmp_path / "newer.db"
    Desk.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('parkdesk', 'm999_future', 'x')"
    )
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerDatabase, match="更新版本"):
        Desk.open(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("content", [b"hello, not a database", bytes(range(256)) * 40, b"PK\x03\x04junk"])
def test_non_sqlite_file_is_refused(tmp_path, content):
    """Random bytes or text are refused with a clear message and left untouched."""
    path = tmp_path / "foreign.db"
    path.write_bytes(content)
    with pytest.raises(NotAParkDeskDatabase, match="不是"):
        Desk.open(path)
    assert path.read_bytes() == content


def test_foreign_sqlite_database_is_refused(tmp_path):
    """Another program's SQLite file is refused and not modified."""
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO customers (name) VALUES ('x')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NotAParkDeskDatabase, match="不是园区工作台的数据库"):
        Desk.open(path)
    assert path.read_bytes() == before


def test_missing_file_without_create_and_bad_locations(tmp_path):
    """Missing files, folders and missing parent folders give clear errors."""
    with pytest.raises(DatabaseError, match="不存在"):
        Desk.open(tmp_path / "missing.db", create=False)
    with pytest.raises(DatabaseError, match="文件夹"):
        Desk.open(tmp_path)
    with pytest.raises(DatabaseError, match="不存在"):
        Desk.open(tmp_path / "no" / "such" / "dir" / "x.db")


def test_an_empty_file_is_named_as_such_not_as_missing(tmp_path):
    """A 0-byte file (an interrupted copy) is reported as empty when it cannot be made a new park."""
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    for kwargs in ({"create": False}, {"readonly": True}):
        with pytest.raises(DatabaseError, match="空文件") as caught:
            Desk.open(empty, **kwargs)
        assert "不存在" not in caught.value.message
    assert empty.read_bytes() == b""
    from parkdesk.integrity import check_database

    assert any("空文件" in e for e in check_database(empty).errors)


def test_readonly_open_refuses_writes(tmp_path):
    """A read-only desk reads data but refuses to write."""
    path = tmp_path / "park.db"
    with Desk.open(path) as desk:
        desk.park.update(name="只读园区")
    with Desk.open(path, readonly=True) as desk:
        assert desk.park.profile().name == "只读园区"
        with pytest.raises(ReadOnlyDatabase):
            desk.park.update(name="改名")


def test_foreign_keys_are_enforced(desk):
    """A dispatch record for a project that does not exist is rejected by SQLite."""
    with pytest.raises(sqlite3.IntegrityError):
        with desk.atomic():
            desk.db.execute("INSERT INTO dispatch_records (project_id, year, month) VALUES (999, 2026, 1)")


def test_failed_transaction_leaves_nothing(desk):
    """An error inside atomic() rolls back every statement of the block."""
    ind = desk.indicators.by_name("技工贸总收入")
    with pytest.raises(RuntimeError):
        with desk.atomic():
            desk.indicators.set_month(ind.id, 2026, 1, value=5.0)
            raise RuntimeError("boom")
    assert desk.indicators.month_values(2026) == {}


def test_an_older_file_is_upgraded_by_the_pending_migration(tmp_path):
    """A file from before m090 (its record and indexes as they were) gets m090 applied at open,
    recorded in sqlite-utils' table as before, with a backup first; the data stays."""
    from parkdesk.backups import list_backups

    path = tmp_path / "old.db"
    with Desk.open(path) as desk:
        desk.park.update(name="老园区")
    conn = sqlite3.connect(path)
    conn.executescript("""
        DELETE FROM _sqlite_migrations WHERE name = 'm090_speed_indexes';
        DROP INDEX idx_dispatch_period_invested;
        CREATE INDEX idx_dispatch_period ON dispatch_records(year, month);
    """)
    conn.close()
    with Desk.open(path) as desk:
        assert desk.schema_version() == list(KNOWN_MIGRATIONS)
        indexes = {r[0] for r in desk.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert "idx_dispatch_period_invested" in indexes and "idx_dispatch_period" not in indexes
        assert desk.park.profile().name == "老园区"
        row = desk.db.execute("SELECT migration_set, applied_at FROM _sqlite_migrations "
                              "WHERE name = 'm090_speed_indexes'").fetchone()
        assert row[0] == "parkdesk" and row[1]
    assert [b.reason for b in list_backups(path)] == ["before-migration"]


def test_a_failing_migration_leaves_nothing_of_itself(tmp_path):
    """Each migration runs in one transaction with its record: one that fails is undone and stays pending."""
    from parkdesk.storage.database import Database
    from parkdesk.storage.migrations import MigrationSet

    steps = MigrationSet("test")

    @steps()
    def m001_table(db):
        db.execute("CREATE TABLE t (x INTEGER)")

    @steps()
    def m002_broken(db):
        db.execute("INSERT INTO t VALUES (1)")
        raise RuntimeError("half way")

    db = Database(sqlite3.connect(tmp_path / "m.db"))
    with pytest.raises(RuntimeError):
        steps.apply(db)
    assert [m.name for m in steps.applied(db)] == ["m001_table"]
    assert [m.name for m in steps.pending(db)] == ["m002_broken"]
    assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 0
