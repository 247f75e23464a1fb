"""Backups of a ParkDesk database, taken with SQLite's online backup API.

Backups are timestamped files in the user data folder (one folder per
database). Like Anki's, automatic ones are skipped when nothing changed since
the newest backup, and old ones are thinned: all of today and yesterday, then
the newest per day, per ISO week and per month up to the limits in settings.
Every backup is checked (``PRAGMA integrity_check``) before it is kept, and a
backup is taken before every schema migration and before every restore.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import logging
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .storage.database import Database

from .errors import BackupError, ReadOnlyDatabase
from .paths import user_data_dir

log = logging.getLogger("parkdesk.backups")

REASON_LABELS = {
    "manual": "手动备份",
    "open": "打开时自动备份",
    "timer": "定时自动备份",
    "close": "关闭时自动备份",
    "before-migration": "升级数据结构前",
    "before-restore": "恢复备份前",
    "damaged": "损坏的原文件（未校验）",
}
# Safety copies kept at least PROTECT_DAYS days whatever the thinning limits say.
PROTECTED_REASONS = {"before-migration", "before-restore", "damaged"}
PROTECT_DAYS = 31
_NAME_RE = re.compile(r"-(\d{8}-\d{6}-\d{6})-([a-z][a-z-]*)\.db$")


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: when, why, how big."""

    path: Path
    created: _dt.datetime
    reason: str
    size: int

    @property
    def reason_label(self) -> str:
        return REASON_LABELS.get(self.reason, self.reason)

    @property
    def protected(self) -> bool:
        return self.reason in PROTECTED_REASONS

    def describe(self) -> str:
        """"2026-11-22 09:30:15（手动备份，1.2 MB）"."""
        return f"{self.created:%Y-%m-%d %H:%M:%S}（{self.reason_label}，{size_text(self.size)}）"


def size_text(size: int) -> str:
    """File size as the clerk reads it: 640 KB, 1.2 MB."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB"


# --- where and how backups are named -------------------------------------------------------------
def backup_dir_for(db_path: Path) -> Path:
    """The folder holding the backups of one database file.

    Kept in the user data folder (not beside the database, which may sit on a
    USB stick), named after the file and a hash of its full path.
    """
    resolved = str(Path(db_path).resolve())
    import hashlib  # here: the window opens without it

    digest = hashlib.sha1(resolved.encode("utf-8")).hexdigest()[:8]
    folder = user_data_dir() / "backups" / f"{Path(db_path).stem}-{digest}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def backup_file_name(db_path: Path, reason: str, when: _dt.datetime | None = None) -> str:
    when = when or _dt.datetime.now()
    return f"{Path(db_path).stem}-{when:%Y%m%d-%H%M%S-%f}-{reason}.db"


def parse_backup_name(name: str) -> tuple[_dt.datetime, str] | None:
    """(time, reason) from a backup file name, None for other files."""
    m = _NAME_RE.search(name)
    if not m:
        return None
    stamp = m.group(1)  # YYYYMMDD-HHMMSS-ffffff; read by hand: strptime's first call costs ~5 ms
    try:
        when = _dt.datetime(int(stamp[0:4]), int(stamp[4:6]), int(stamp[6:8]), int(stamp[9:11]),
                            int(stamp[11:13]), int(stamp[13:15]), int(stamp[16:22]))
        return when, m.group(2)
    except ValueError:
        return None


def list_backups(db_path) -> list[BackupInfo]:
    """The backups of a database, newest first."""
    result = []
    for entry in backup_dir_for(Path(db_path)).iterdir():
        parsed = parse_backup_name(entry.name)
        if parsed is None or not entry.is_file():
            continue
        with contextlib.suppress(OSError):
            result.append(BackupInfo(entry, parsed[0], parsed[1], entry.stat().st_size))
    result.sort(key=lambda b: b.created, reverse=True)
    return result


# --- checking a file -----------------------------------------------------------------------------------
def _open_readonly(path: Path) -> sqlite3.Connection:
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    return sqlite3.connect(uri, uri=True)


def database_problems(path, *, full: bool = True) -> list[str]:
    """Why ``path`` is not a sound ParkDesk database (empty list: it is).

    Checks the SQLite header, ``PRAGMA integrity_check`` (or ``quick_check``),
    ParkDesk's application id and that no migration is newer than this version.
    """
    from .storage.connection import looks_like_sqlite
    from .storage.migrations import APPLICATION_ID, KNOWN_MIGRATIONS, migrations

    path = Path(path)
    if not path.is_file():
        return ["文件不存在"]
    if path.stat().st_size == 0:
        return ["文件是空的"]
    try:
        if not looks_like_sqlite(path):
            return ["不是 SQLite 数据库文件"]
        conn = _open_readonly(path)
    except (OSError, sqlite3.Error) as exc:
        return [f"无法打开（{exc}）"]
    try:
        pragma = "integrity_check" if full else "quick_check"
        rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}(20)").fetchall()]
        if rows != ["ok"]:
            return [f"完整性检查未通过：{r}" for r in rows]
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            return ["不是园区工作台的数据库"]
        try:
            applied = [r[0] for r in conn.execute(
                f"SELECT name FROM {migrations.migrations_table} WHERE migration_set = ?", [migrations.name]
            )]
        except sqlite3.Error:
            return ["不是园区工作台的数据库（缺少结构版本记录）"]
        unknown = [n for n in applied if n not in KNOWN_MIGRATIONS]
        if unknown:
            return [f"由更新版本的园区工作台创建（{', '.join(unknown)}），本版本不能使用"]
        if not applied:
            return ["不是园区工作台的数据库（没有结构版本记录）"]
        return []
    except sqlite3.DatabaseError as exc:
        return [f"文件已损坏（{exc}）"]
    finally:
        conn.close()


def verify_backup(path) -> None:
    """Refuse a file that is not a sound ParkDesk database.

    :raises BackupError: naming what is wrong with it.
    """
    problems = database_problems(path)
    if problems:
        raise BackupError(f"“{Path(path).name}”不是完好的园区工作台备份，不能用于恢复：{problems[0]}")


def content_marker(conn: sqlite3.Connection) -> str:
    """A fingerprint of the data: equal fingerprints mean nothing changed.

    Built from the audit log's last entry and each table's row count and
    largest rowid, so it does not change when SQLite merely moves pages
    between the WAL and the main file (a checkpoint), and a backup has the
    same fingerprint as the database it was copied from. Tables whose every
    insert, update and delete the audit triggers log (and the audit log itself)
    are not counted: the log's last entry already tells a change, and counting a
    large park's 100,000 dispatch records at every close costs time.
    """
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    )]
    audited = {r[0] for r in conn.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' "
                                          "AND name = 'audit_' || tbl_name || '_delete'")}
    if "audit_log" in tables:
        audited.add("audit_log")
    data: dict[str, object] = {}
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        what = "max(rowid)" if table in audited else "count(*), max(rowid)"
        data[table] = list(conn.execute(f"SELECT {what} FROM {quoted}").fetchone())
    if "audit_log" in tables:
        data["audit_last"] = list(conn.execute(
            "SELECT id, at, table_name, record_id FROM audit_log ORDER BY id DESC LIMIT 1"
        ).fetchone() or [])
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


# --- copying -----------------------------------------------------------------------------------------------
def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _explain(exc: BaseException) -> str:
    text = str(exc)
    if "full" in text.lower() or getattr(exc, "errno", None) == 28:
        return "磁盘空间不足"
    if isinstance(exc, PermissionError):
        return "没有写入权限"
    return text


def copy_database(source: sqlite3.Connection, target: Path, *, verify: bool = True) -> Path:
    """Copy a live database into ``target`` (a temporary name renamed into place).

    :param verify: run ``PRAGMA integrity_check`` on the copy first; a copy that
        fails it is deleted and :class:`BackupError` raised.
    """
    target = Path(target)
    tmp = target.with_name(target.name + ".part")
    try:
        if tmp.exists():
            tmp.unlink()
        dest = sqlite3.connect(str(tmp))
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
            dest.commit()
            if verify:
                rows = [r[0] for r in dest.execute("PRAGMA integrity_check(5)").fetchall()]
                if rows != ["ok"]:
                    raise BackupError(f"备份未通过完整性检查（{rows[0]}），原数据库可能已损坏。")
        finally:
            dest.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except BackupError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise BackupError(f"无法创建备份“{target.name}”：{_explain(exc)}") from exc
    return target


def _new_backup_path(db_path: Path, reason: str) -> Path:
    folder = backup_dir_for(db_path)
    when = _dt.datetime.now()
    target = folder / backup_file_name(db_path, reason, when)
    while target.exists():  # two backups within a microsecond
        when += _dt.timedelta(microseconds=1)
        target = folder / backup_file_name(db_path, reason, when)
    return target


def backup_before_migration(db: Database, db_path: Path) -> Path:
    """Take a backup before the schema is changed (called by Desk.open)."""
    return copy_database(db.conn, _new_backup_path(db_path, "before-migration"), verify=True)


# --- thinning --------------------------------------------------------------------------------------------
def select_obsolete(backups: Iterable[BackupInfo], now: _dt.datetime, *, keep_daily: int, keep_weekly: int,
                    keep_monthly: int) -> list[BackupInfo]:
    """The backups to delete (Anki's scheme).

    Newest first: every backup of today and yesterday is kept; then the newest
    of each day for ``keep_daily`` days, of each ISO week for ``keep_weekly``
    weeks, of each month for ``keep_monthly`` months; the rest goes. The
    newest backup, and pre-migration / pre-restore copies younger than
    :data:`PROTECT_DAYS` days, are never deleted.
    """
    ordered = sorted(backups, key=lambda b: b.created, reverse=True)
    yesterday = now.date() - _dt.timedelta(days=1)
    limits = {"daily": max(0, int(keep_daily)), "weekly": max(0, int(keep_weekly)),
              "monthly": max(0, int(keep_monthly))}
    last_day = last_week = last_month = None
    obsolete = []

    def keys(b: BackupInfo):
        day = b.created.date()
        iso = day.isocalendar()
        return day, (iso[0], iso[1]), (day.year, day.month)

    for index, backup in enumerate(ordered):
        day, week, month = keys(backup)
        if index == 0 or day >= yesterday:
            keep = True
            stage = None
        elif limits["daily"] > 0:
            stage, keep = "daily", last_day is None or day < last_day
        elif limits["weekly"] > 0:
            stage, keep = "weekly", last_week is None or week < last_week
        elif limits["monthly"] > 0:
            stage, keep = "monthly", last_month is None or month < last_month
        else:
            stage, keep = None, False
        if keep:
            last_day, last_week, last_month = day, week, month
            if stage is not None:
                limits[stage] -= 1
        elif backup.protected and now - backup.created < _dt.timedelta(days=PROTECT_DAYS):
            continue
        else:
            obsolete.append(backup)
    return obsolete


def thin_backups(db_path, *, keep_daily: int, keep_weekly: int, keep_monthly: int,
                 now: _dt.datetime | None = None) -> list[Path]:
    """Delete the obsolete backups of a database; return what was deleted."""
    removed = []
    for backup in select_obsolete(list_backups(db_path), now or _dt.datetime.now(), keep_daily=keep_daily,
                                  keep_weekly=keep_weekly, keep_monthly=keep_monthly):
        try:
            backup.path.unlink()
            removed.append(backup.path)
            with contextlib.suppress(OSError):
                backup.path.with_name(backup.path.name + "-wal-copy").unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:  # pragma: no cover - e.g. a file open in another program
            log.warning("could not remove old backup %s: %s", backup.path, exc)
    return removed


# --- restoring ----------------------------------------------------------------------------------------------
def _sidecars(db_path: Path) -> list[Path]:
    return [db_path.with_name(db_path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _raw_copy(db_path: Path, reason: str) -> Path:
    """A byte-for-byte copy of a database that cannot be copied through SQLite."""
    target = _new_backup_path(db_path, reason)
    try:
        shutil.copyfile(db_path, target)
        for side in _sidecars(db_path)[:1]:  # the WAL may hold the newest pages
            if side.exists() and side.stat().st_size:
                shutil.copyfile(side, target.with_name(target.name + "-wal-copy"))
    except OSError as exc:
        raise BackupError(f"无法保存原数据库的副本：{_explain(exc)}") from exc
    return target


def save_current_state(db_path: Path, conn: sqlite3.Connection | None = None) -> Path | None:
    """Back up the database before it is replaced: a verified copy when it is
    sound, else a raw copy marked ``damaged`` (never lose what is there)."""
    db_path = Path(db_path)
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    try:
        if conn is not None:
            return copy_database(conn, _new_backup_path(db_path, "before-restore"))
        source = _open_readonly(db_path)
        try:
            return copy_database(source, _new_backup_path(db_path, "before-restore"))
        finally:
            source.close()
    except (BackupError, sqlite3.Error) as exc:
        log.warning("current state of %s is not sound, keeping a raw copy: %s", db_path, exc)
        return _raw_copy(db_path, "damaged")


def swap_in(db_path: Path, backup: Path) -> None:
    """Replace the database file by a copy of ``backup`` (caller holds the lock
    and has closed its connections): temp file beside the target, fsync,
    stale journal files removed, atomic rename."""
    db_path = Path(db_path)
    tmp = db_path.with_name(f".{db_path.name}.restore-{os.getpid()}.tmp")
    try:
        source = _open_readonly(Path(backup))
        try:
            dest = sqlite3.connect(str(tmp))
            try:
                source.backup(dest)
                dest.execute("PRAGMA journal_mode = DELETE")
                dest.commit()
            finally:
                dest.close()
        finally:
            source.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        # Journal files of the old content must not be replayed onto the new one.
        for side in _sidecars(db_path):
            if side.exists():
                side.unlink()
        os.replace(tmp, db_path)
        _fsync_dir(db_path.parent)
    except PermissionError as exc:
        raise BackupError(f"无法替换“{db_path.name}”：文件正被其他程序使用，请关闭后再试。") from exc
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"恢复失败，原数据库未被替换：{_explain(exc)}") from exc
    finally:
        with contextlib.suppress(OSError):
            if tmp.exists():
                tmp.unlink()


def _resolve_backup(db_path: Path, backup) -> Path:
    path = Path(backup).expanduser()
    if not path.exists() and not path.is_absolute():
        candidate = backup_dir_for(db_path) / path.name
        if candidate.exists():
            return candidate
    if not path.exists():
        raise BackupError(f"备份文件“{backup}”不存在。")
    return path


def restore_database(db_path, backup) -> Path | None:
    """Restore ``backup`` over a database that is not open (e.g. a damaged one).

    Takes the write lock, keeps a copy of the current file, then swaps the
    backup in. Returns the copy of the previous state (None if there was none).
    :raises BackupError: when the backup is not sound or the swap fails.
    :raises DatabaseLocked: when another ParkDesk has the database open.
    """
    from . import locking

    db_path = Path(db_path).expanduser()
    backup = _resolve_backup(db_path, backup)
    verify_backup(backup)
    if db_path.exists() and backup.resolve() == db_path.resolve():
        raise BackupError("不能用数据库文件自身恢复。")
    handle = locking.acquire(db_path)
    try:
        previous = save_current_state(db_path)
        swap_in(db_path, backup)
    finally:
        locking.release(handle)
    log.info("restored %s from %s (previous state kept in %s)", db_path, backup, previous)
    return previous


def latest_sound_backup(db_path, *, limit: int = 20) -> BackupInfo | None:
    """The newest backup that passes the full check (looks at ``limit`` at most)."""
    for info in list_backups(db_path)[:limit]:
        if info.reason != "damaged" and not database_problems(info.path):
            return info
    return None


# --- the manager ----------------------------------------------------------------------------------------------
class BackupManager:
    """Backups of the desk's database: ``desk.backups``."""

    def __init__(self, desk):
        self._desk = desk
        self._marker_cache: dict[tuple[str, float], str] = {}
        # Set by the applications (GUI, CLI writes): take a backup when the desk closes.
        self.auto_on_close = False

    @property
    def folder(self) -> Path:
        return backup_dir_for(self._desk.path)

    def list(self) -> list[BackupInfo]:
        """Every backup of this database, newest first."""
        return list_backups(self._desk.path)

    def newest(self, *, sound_reasons_only: bool = True) -> BackupInfo | None:
        for info in self.list():
            if not sound_reasons_only or info.reason != "damaged":
                return info
        return None

    def _backup_marker(self, info: BackupInfo) -> str | None:
        key = (str(info.path), info.path.stat().st_mtime)
        if key not in self._marker_cache:
            try:
                conn = _open_readonly(info.path)
                try:
                    self._marker_cache[key] = content_marker(conn)
                finally:
                    conn.close()
            except sqlite3.Error:
                return None
        return self._marker_cache[key]

    def changed_since_last(self) -> bool:
        """True when the data differs from the newest backup (or there is none)."""
        newest = self.newest()
        if newest is None:
            return True
        try:
            previous = self._backup_marker(newest)
        except OSError:
            return True
        with self._desk.lock:
            return previous != content_marker(self._desk.db.conn)

    def create(self, reason: str = "manual") -> Path:
        """Make a verified backup now and thin the old ones; return its path.

        :raises BackupError: when it cannot be written or fails the check.
        """
        target = _new_backup_path(self._desk.path, reason)
        with self._desk.lock:
            path = copy_database(self._desk.db.conn, target, verify=True)
        log.info("backup of %s (%s): %s", self._desk.path, reason, path)
        self.thin()
        return path

    def auto(self, reason: str) -> Path | None:
        """An automatic backup (open, timer, close): only when something changed.

        At close, a session that wrote nothing leaves the backups as they are
        without comparing — its data is what it opened with — once the backup on
        open has run (it covers a file changed elsewhere; the GUI makes it a moment
        after the window shows, on a sibling desk, so a window closed sooner compares).
        """
        desk = self._desk
        if desk.readonly or (reason == "close" and desk.wrote_nothing() and desk.open_backup_checked):
            return None
        if not self.changed_since_last():
            made = None
        else:
            made = self.create(reason)
        if reason == "open":
            (desk._owner or desk).open_backup_checked = True
        return made

    def thin(self, now: _dt.datetime | None = None) -> list[Path]:
        """Delete backups beyond the limits in settings (``backups.keep_*``)."""
        settings = self._desk.settings
        return thin_backups(
            self._desk.path, now=now,
            keep_daily=int(settings.get("backups.keep_daily")),
            keep_weekly=int(settings.get("backups.keep_weekly")),
            keep_monthly=int(settings.get("backups.keep_monthly")),
        )

    def restore(self, backup) -> Path | None:
        """Replace the database by ``backup`` and reopen it in place.

        The current state is backed up first (returned). The desk keeps its
        write lock throughout, so no one else can open the file in between.
        :raises BackupError: when the backup is not a sound ParkDesk database
            (nothing is changed then).
        """
        desk = self._desk
        if desk.readonly:
            raise ReadOnlyDatabase("数据库以只读方式打开，不能恢复备份。")
        backup = _resolve_backup(desk.path, backup)
        verify_backup(backup)
        if backup.resolve() == desk.path.resolve():
            raise BackupError("不能用数据库文件自身恢复。")
        with desk.lock:
            previous = save_current_state(desk.path, desk.db.conn)
            desk._disconnect()
            try:
                swap_in(desk.path, backup)
            finally:
                desk._reconnect()
        log.info("restored %s from %s (previous state kept in %s)", desk.path, backup, previous)
        return previous
