"""The one object that opens a ParkDesk database and owns the domain managers.

The GUI, the command line and the tests all go through ``Desk``::

    with Desk.open("park.db") as desk:
        desk.indicators.resolve("税收")
"""

from __future__ import annotations

import contextlib
import functools
import getpass
import logging
import sqlite3
import threading
from pathlib import Path
from typing import Iterator

from .storage.database import Database

from .errors import DamagedDatabase, DatabaseError, NewerDatabase, NotAParkDeskDatabase, ReadOnlyDatabase
from .settings import Settings
from .storage.connection import AuditSwitch, connect, enable_wal
from .storage.migrations import APPLICATION_ID, KNOWN_MIGRATIONS, MIGRATION_SET, migrations

log = logging.getLogger("parkdesk.desk")


def current_user() -> str:
    """"user@machine", as written in the audit log and the lock file."""
    try:
        user = getpass.getuser()
    except Exception:  # pragma: no cover - no login name (services)
        user = "unknown"
    from .locking import host_name

    return f"{user}@{host_name()}"


class Desk:
    """An open ParkDesk database and its managers.

    Use :meth:`open`; close with :meth:`close` or a ``with`` block.
    """

    def __init__(self, path: Path, db: Database, audit: AuditSwitch, *, readonly: bool, created: bool):
        self.path = path
        self.db = db
        self.readonly = readonly
        self.created = created
        self._audit = audit
        # One transaction at a time on this connection (UI thread and worker).
        self.lock = threading.RLock()
        # The write lock file (None for read-only desks and siblings), see locking.py.
        self.lock_handle = None
        # A warning about where the file lies (network share), or None.
        self.location_warning: str | None = None
        self.settings = Settings(self)
        # wrote_nothing(): the connection opened with (a restore reconnects), and whether
        # a sibling desk (another connection, on the GUI's worker thread) wrote.
        self._opened_db = db
        self._owner: Desk | None = None  # the desk a sibling was made from
        self._siblings_wrote = False
        self.open_backup_checked = False  # the backup on open ran this session (BackupManager.auto)
        # The managers (park, indicators, projects, plans, reports, backups, audit) are
        # made on first use: opening a desk imports only what the first screen needs.

    # Managers, imported and created on first use (cached per desk).
    @functools.cached_property
    def park(self):
        from .park import ParkManager

        return ParkManager(self)

    @functools.cached_property
    def indicators(self):
        from .indicators import IndicatorManager

        return IndicatorManager(self)

    @functools.cached_property
    def projects(self):
        from .projects import ProjectManager

        return ProjectManager(self)

    @functools.cached_property
    def plans(self):
        from .plans import PlanManager

        return PlanManager(self)

    @functools.cached_property
    def reports(self):
        from .reports import ReportManager

        return ReportManager(self)

    @functools.cached_property
    def backups(self):
        from .backups import BackupManager

        return BackupManager(self)

    @functools.cached_property
    def audit(self):
        from .audit import AuditLog

        return AuditLog(self)

    # --- opening -------------------------------------------------------------
    @classmethod
    def open(cls, path, *, create: bool = True, readonly: bool = False, user: str | None = None,
             precheck=None) -> "Desk":
        """Open (and if needed create or upgrade) the database at ``path``.

        Opening for writing takes the database's write lock (one writer at a
        time); every open runs SQLite's quick check.

        :param create: create a new, empty park database when ``path`` does not exist.
        :param readonly: open without writing anything (no lock, no migrations, no WAL change).
        :param precheck: a :class:`parkdesk.integrity.DeferredCheck` of this file started
            earlier (the GUI starts one before importing Qt): its verdict is used instead
            of checking again, once it is in (a check that could not run, or of a file
            replaced since, is ignored).
        :raises DatabaseError: (or a subclass) with a message for the clerk when the
            file is missing, foreign, damaged (:class:`DamagedDatabase`), locked by
            another ParkDesk (:class:`DatabaseLocked`) or made by a newer ParkDesk.
        """
        return cls._open(path, create=create, readonly=readonly, user=user, sibling=False, precheck=precheck)

    @classmethod
    def _open(cls, path, *, create: bool, readonly: bool, user: str | None, sibling: bool,
              precheck=None) -> "Desk":
        from . import locking

        path = Path(path).expanduser()
        existed = path.exists() and path.stat().st_size > 0
        if path.is_dir():
            raise DatabaseError(f"“{path}”是一个文件夹，不是数据库文件。")
        if not existed:
            if readonly or not create:
                if path.is_file():
                    raise DatabaseError(f"数据库文件“{path}”是空文件（0 字节），里面没有数据，不是可用的园区数据库。")
                raise DatabaseError(f"数据库文件“{path}”不存在。")
            if not path.parent.exists():
                raise DatabaseError(f"文件夹“{path.parent}”不存在，无法在此创建数据库。")
        # Siblings live under their parent's lock; read-only desks need none.
        handle = None if (readonly or sibling) else locking.acquire(path)
        try:
            audit = AuditSwitch(user or current_user())
            db, created = cls._connect(path, audit, readonly=readonly, check=existed and not sibling,
                                       precheck=precheck)
            desk = cls(path, db, audit, readonly=readonly, created=created)
        except BaseException:
            if handle is not None:
                locking.release(handle)
            raise
        desk.lock_handle = handle
        if not sibling:
            desk.location_warning = locking.network_share_warning(path)
        return desk

    @classmethod
    def _connect(cls, path: Path, audit: AuditSwitch, *, readonly: bool, check: bool,
                 precheck=None) -> tuple[Database, bool]:
        """A connection that passed the quick check, with the schema up to date."""
        from .integrity import damaged_message, raise_if_damaged

        if check and precheck is not None:
            problems = precheck.wait()
            # Ignored when it could not run, or was of another file or of this one before a change.
            if problems is not None and precheck.applies_to(path):
                if problems:
                    raise DamagedDatabase(damaged_message(path, problems), problems)
                check = False
        db = connect(path, readonly=readonly, audit=audit)
        try:
            if check:
                raise_if_damaged(db.conn, path)
            created = cls._prepare_schema(db, path, readonly=readonly)
        except sqlite3.DatabaseError as exc:
            db.conn.close()
            if "malformed" in str(exc):
                raise DamagedDatabase(damaged_message(path, [str(exc)]), [str(exc)]) from exc
            raise DatabaseError(f"无法打开数据库“{path.name}”：{exc}") from exc
        except BaseException:
            db.conn.close()
            raise
        return db, created

    @staticmethod
    def _prepare_schema(db: Database, path: Path, *, readonly: bool) -> bool:
        """Check the file is ours and apply pending migrations; True if it was new."""
        try:
            tables = set(db.table_names())
            app_id = db.execute("PRAGMA application_id").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            if "malformed" in str(exc):
                raise
            raise NotAParkDeskDatabase(f"“{path.name}”已损坏或不是数据库文件：{exc}") from exc
        is_new = not tables
        if not is_new:
            if app_id != APPLICATION_ID or migrations.migrations_table not in tables:
                raise NotAParkDeskDatabase(
                    f"“{path.name}”是一个 SQLite 数据库，但不是园区工作台的数据库，未作任何修改。"
                )
            applied = [m.name for m in migrations.applied(db)]
            if not applied:
                raise NotAParkDeskDatabase(f"“{path.name}”不是园区工作台的数据库，未作任何修改。")
            unknown = [name for name in applied if name not in KNOWN_MIGRATIONS]
            if unknown:
                raise NewerDatabase(
                    f"“{path.name}”由更新版本的园区工作台创建（包含本版本未知的结构更新：{', '.join(unknown)}），"
                    "为避免损坏数据，本版本拒绝打开。请安装最新版本后再打开。"
                )
        if not readonly:
            enable_wal(db)
        pending = migrations.pending(db)
        if pending:
            if readonly:
                raise ReadOnlyDatabase(f"“{path.name}”需要升级数据结构，不能以只读方式打开。")
            if not is_new:
                from .backups import backup_before_migration

                backup_before_migration(db, path)
            migrations.apply(db)
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        return is_new

    # --- transactions -----------------------------------------------------------
    @contextlib.contextmanager
    def atomic(self, *, audit: bool = True) -> Iterator[Database]:
        """One transaction (nested calls become savepoints).

        :param audit: False for bulk writes (the demo) that need no per-row history.
        """
        if self.readonly:
            raise ReadOnlyDatabase("数据库以只读方式打开，不能修改。")
        with self.lock:
            previous = self._audit.enabled
            self._audit.enabled = previous and audit
            try:
                with self.db.atomic():
                    yield self.db
            finally:
                self._audit.enabled = previous

    def sibling(self) -> "Desk":
        """Another connection to the same file, for work on a background thread.

        It shares this desk's write lock (takes none) and skips the quick check.
        """
        desk = Desk._open(self.path, create=False, readonly=self.readonly, user=self.user, sibling=True)
        desk._owner = self
        return desk

    def reader(self) -> "Desk":
        """A read-only connection to the same file, for reading on a background thread
        (no lock, no quick check: this desk's open did those; nothing written at close)."""
        return Desk._open(self.path, create=False, readonly=True, user=self.user, sibling=True)

    @property
    def user(self) -> str:
        return self._audit.user

    def schema_version(self) -> list[str]:
        """Names of the applied migrations, oldest first."""
        return [m.name for m in migrations.applied(self.db)]

    # --- closing --------------------------------------------------------------------
    def close(self) -> None:
        """Back up if asked to (``backups.auto_on_close``), checkpoint the WAL into
        the main file, close the connection and release the write lock."""
        if self.db is None:
            return
        if self._owner is not None and (self.db.conn.total_changes or self._siblings_wrote):
            self._owner._siblings_wrote = True  # its wrote_nothing() must know
        try:
            # A desk whose backups were never used has nothing to back up at close.
            if "backups" in self.__dict__ and self.backups.auto_on_close and not self.readonly:
                try:
                    self.backups.auto("close")
                except Exception:  # noqa: BLE001 - closing must go on; the failure is logged
                    log.exception("backup at close failed for %s", self.path)
            self._disconnect()
        finally:
            if self.lock_handle is not None:
                from . import locking

                locking.release(self.lock_handle)
                self.lock_handle = None

    def _disconnect(self) -> None:
        """Checkpoint and close the connection, keeping the write lock (restore)."""
        if self.db is None:
            return
        try:
            if not self.readonly:
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass
        self.db.conn.close()
        self.db = None  # type: ignore[assignment]

    def wrote_nothing(self) -> bool:
        """Whether the data is still what this desk opened with: no row inserted, updated
        or deleted through its own connection or through a :meth:`sibling` (the GUI's
        imports and other long jobs write through one on its worker thread), no restore."""
        return (self.db is not None and self.db is self._opened_db and not self.db.conn.total_changes
                and not self._siblings_wrote)

    def _reconnect(self) -> None:
        """Open the file again after :meth:`_disconnect` (the managers follow ``self.db``)."""
        self.db, _created = self._connect(self.path, self._audit, readonly=self.readonly, check=True)

    def __enter__(self) -> "Desk":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Desk {self.path}{' (只读)' if self.readonly else ''}>"


__all__ = ["Desk", "current_user", "MIGRATION_SET"]
