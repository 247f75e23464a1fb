"""Opening the SQLite file: header check, pragmas, ParkDesk's SQL functions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .database import Database

from ..errors import DamagedDatabase, DatabaseError, NotAParkDeskDatabase

SQLITE_HEADER = b"SQLite format 3\x00"


def looks_like_sqlite(path: Path) -> bool:
    """True when the file is empty or starts with the SQLite header."""
    with open(path, "rb") as fh:
        head = fh.read(16)
    return head == b"" or head == SQLITE_HEADER


class AuditSwitch:
    """Per-connection state read by the audit triggers (see audit_triggers)."""

    def __init__(self, user: str):
        self.user = user
        self.enabled = True


def connect(path: Path, *, readonly: bool, audit: AuditSwitch, timeout: float = 10.0) -> Database:
    """Open ``path`` with ParkDesk's pragmas and SQL functions registered.

    :raises NotAParkDeskDatabase: when the file is not an SQLite database.
    :raises DatabaseError: when the file cannot be opened at all.
    """
    if path.exists() and not looks_like_sqlite(path):
        raise NotAParkDeskDatabase(f"“{path.name}”不是园区工作台的数据库文件（也不是 SQLite 数据库）。")
    try:
        if readonly:
            uri = path.resolve().as_uri() + "?mode=ro"
            conn = sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False)
        else:
            conn = sqlite3.connect(str(path), timeout=timeout, check_same_thread=False)
    except sqlite3.Error as exc:
        raise DatabaseError(f"无法打开数据库“{path}”：{exc}") from exc
    conn.create_function("pd_user", 0, lambda: audit.user)
    conn.create_function("pd_audit_on", 0, lambda: 1 if audit.enabled else 0)
    try:
        db = Database(conn)
        db.execute("PRAGMA busy_timeout = %d" % int(timeout * 1000))
        db.execute("PRAGMA foreign_keys = ON")
        # A 32 MB page cache (the default is 2 MB): the summary and the ledger read the
        # project tables several times over; a large park's file then stays in memory.
        db.execute("PRAGMA cache_size = -32768")
        # Touch the schema: a foreign or damaged file fails here, not later.
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        conn.close()
        if "malformed" in str(exc):
            from ..integrity import damaged_message

            raise DamagedDatabase(damaged_message(path, [str(exc)]), [str(exc)]) from exc
        raise NotAParkDeskDatabase(f"“{path.name}”不是可用的园区工作台数据库：{exc}") from exc
    return db


def enable_wal(db: Database) -> None:
    """WAL journal and synchronous=FULL (called once the file is known to be ours:
    switching the journal mode rewrites the file header)."""
    mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":  # pragma: no cover - e.g. some network filesystems
        raise DatabaseError("无法启用 WAL 日志模式，数据库所在位置可能不支持（例如网络共享）。")
    db.execute("PRAGMA synchronous = FULL")
