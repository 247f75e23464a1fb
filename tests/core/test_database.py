"""ParkDesk's Database wrapper keeps sqlite-utils' transaction semantics (same checks run on both)."""

from __future__ import annotations

import sqlite3

import pytest

from parkdesk.storage.database import Database, first_keyword


def _sqlite_utils_database(conn):
    from parkdesk import _import_sqlite_utils

    _import_sqlite_utils()
    import sqlite_utils

    return sqlite_utils.Database(conn, execute_plugins=False)


@pytest.fixture(params=["parkdesk", "sqlite-utils"])
def pair(request, tmp_path):
    """A wrapper on a file, and a second connection to see what was committed."""
    path = tmp_path / "t.db"
    conn = sqlite3.connect(str(path))
    db = Database(conn) if request.param == "parkdesk" else _sqlite_utils_database(conn)
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
    other = sqlite3.connect(str(path))
    yield db, other
    other.close()
    conn.close()


def _values(other):
    return [r[0] for r in other.execute("SELECT v FROM t ORDER BY id")]


def test_a_write_outside_a_transaction_is_committed_at_once(pair):
    db, other = pair
    db.execute("INSERT INTO t (v) VALUES (?)", ["a"])
    assert not db.conn.in_transaction
    assert _values(other) == ["a"]
    assert db.execute("SELECT v FROM t").fetchall() == [("a",)]  # a read opens nothing either
    assert not db.conn.in_transaction


def test_a_failed_write_leaves_no_transaction_open(pair):
    db, other = pair
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO t (v) VALUES (NULL)")
    assert not db.conn.in_transaction
    db.execute("INSERT INTO t (v) VALUES ('b')")
    assert _values(other) == ["b"]


def test_atomic_commits_or_rolls_back_and_nests_as_savepoints(pair):
    db, other = pair
    with db.atomic():
        db.execute("INSERT INTO t (v) VALUES ('kept')")
        with pytest.raises(ValueError):
            with db.atomic():
                db.execute("INSERT INTO t (v) VALUES ('undone')")
                raise ValueError
        assert _values(other) == []  # nothing visible before the outer commit
    assert _values(other) == ["kept"]
    with pytest.raises(RuntimeError):
        with db.atomic():
            db.execute("INSERT INTO t (v) VALUES ('gone')")
            raise RuntimeError
    assert _values(other) == ["kept"] and not db.conn.in_transaction


def test_a_trigger_that_rolls_everything_back_surfaces_its_own_error(pair):
    db, other = pair
    db.execute("CREATE TRIGGER no_x BEFORE INSERT ON t WHEN NEW.v = 'x' BEGIN SELECT RAISE(ROLLBACK, 'no x'); END")
    with pytest.raises(sqlite3.IntegrityError, match="no x"):
        with db.atomic():
            db.execute("INSERT INTO t (v) VALUES ('a')")
            with db.atomic():
                db.execute("INSERT INTO t (v) VALUES ('x')")
    assert _values(other) == [] and not db.conn.in_transaction


def test_table_names_rollback_and_recursive_triggers(pair):
    db, _other = pair
    db.execute("CREATE TABLE u (id INTEGER PRIMARY KEY)")
    assert set(db.table_names()) == {"t", "u"}
    assert db.execute("PRAGMA recursive_triggers").fetchone()[0] == 1
    db.execute("BEGIN")
    db.execute("INSERT INTO u DEFAULT VALUES")
    db.rollback()
    assert not db.conn.in_transaction and db.execute("SELECT count(*) FROM u").fetchone()[0] == 0
    db.rollback()  # nothing open: no error


@pytest.mark.parametrize("sql, word", [
    ("  insert into t", "INSERT"), ("-- note\nBEGIN", "BEGIN"), ("/* x */ savepoint a", "SAVEPOINT"),
    (";\ufeff commit", "COMMIT"), ("", ""), ("-- only a comment", ""),
])
def test_first_keyword(sql, word):
    assert first_keyword(sql) == word


def test_sqlite_utils_view_shares_the_connection(tmp_path):
    db = Database(sqlite3.connect(str(tmp_path / "s.db")))
    su = db.sqlite_utils()
    su["x"].insert({"id": 1, "name": "甲"}, pk="id")
    assert db.execute("SELECT name FROM x").fetchall() == [("甲",)]
