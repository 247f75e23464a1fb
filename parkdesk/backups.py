"""Backups of a ParkDesk database, taken with SQLite's online backup API."""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from .paths import user_data_dir


def backup_dir_for(db_path: Path) -> Path:
    """The folder holding the backups of one database file.

    Kept in the user data folder (not beside the database, which may sit on a
    USB stick), named after the file and a hash of its full path.
    """
    resolved = str(Path(db_path).resolve())
    digest = hashlib.sha1(resolved.encode("utf-8")).hexdigest()[:8]
    folder = user_data_dir() / "backups" / f"{Path(db_path).stem}-{digest}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def copy_database(source: sqlite3.Connection, target: Path) -> Path:
    """Copy a live database into ``target`` (a temporary name renamed into place)."""
    target = Path(target)
    tmp = target.with_name(target.name + ".part")
    if tmp.exists():
        tmp.unlink()
    dest = sqlite3.connect(str(tmp))
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
        dest.commit()
    finally:
        dest.close()
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    return target


def backup_file_name(db_path: Path, reason: str, when: _dt.datetime | None = None) -> str:
    when = when or _dt.datetime.now()
    return f"{Path(db_path).stem}-{when:%Y%m%d-%H%M%S-%f}-{reason}.db"


def backup_before_migration(db: Database, db_path: Path) -> Path:
    """Take a backup before the schema is changed (called by Desk.open)."""
    target = backup_dir_for(db_path) / backup_file_name(db_path, "before-migration")
    return copy_database(db.conn, target)
