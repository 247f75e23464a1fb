"""Domain errors: each carries a message a clerk can read (in Chinese)."""

from __future__ import annotations

from dataclasses import dataclass


class ParkDeskError(Exception):
    """Base class for errors whose message can be shown to the user as is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class DatabaseError(ParkDeskError):
    """The database file cannot be used (missing, damaged, foreign, newer)."""


class NotAParkDeskDatabase(DatabaseError):
    """The file exists but is not a ParkDesk database."""


class NewerDatabase(DatabaseError):
    """The file was written by a newer ParkDesk version."""


class DamagedDatabase(DatabaseError):
    """The file is an SQLite database whose pages are damaged (integrity check failed)."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = list(problems or [])


class DatabaseLocked(DatabaseError):
    """Another ParkDesk holds the write lock on this database.

    ``holder`` describes who (a :class:`parkdesk.locking.LockInfo`, or None when
    the lock file cannot be read); ``other_machine`` is True when the holder runs
    on another computer (such a lock is never taken over automatically).
    """

    def __init__(self, message: str, holder=None, *, other_machine: bool = False):
        super().__init__(message)
        self.holder = holder
        self.other_machine = other_machine


class BackupError(ParkDeskError):
    """A backup could not be made, verified or restored."""


class ReadOnlyDatabase(DatabaseError):
    """A write was attempted on a database opened read-only."""


class ValidationError(ParkDeskError):
    """Input that cannot be accepted (not a number, dates out of order...)."""


class UnitError(ValidationError):
    """A unit that cannot be converted to the indicator's unit."""


@dataclass(frozen=True)
class RowError:
    """One problem found in an imported file, located by sheet and row."""

    sheet: str
    row: int | None
    message: str
    column: str | None = None

    def __str__(self) -> str:
        # Problems with the file as a whole carry the file's name in place of a sheet.
        is_file = self.row is None and self.sheet.lower().endswith((".xlsx", ".xlsm", ".xls", ".csv", ".et"))
        where = f"文件“{self.sheet}”" if is_file else f"工作表“{self.sheet}”"
        if self.row is not None:
            where += f"第{self.row}行"
        if self.column:
            where += f"“{self.column}”列"
        return f"{where}：{self.message}"


class ImportRejected(ParkDeskError):
    """An import found errors; nothing was written."""

    def __init__(self, errors: list[RowError], message: str | None = None):
        self.errors = list(errors)
        head = message or f"导入被拒绝：发现 {len(self.errors)} 处错误，数据库未作任何修改。"
        super().__init__(head)

    def details(self, limit: int = 50) -> str:
        lines = [str(e) for e in self.errors[:limit]]
        if len(self.errors) > limit:
            lines.append(f"……另有 {len(self.errors) - limit} 处错误")
        return "\n".join(lines)


def explain_unexpected(exc: BaseException) -> str | None:
    """A clerk's explanation of a low-level failure whose cause is known (disk full,
    file read-only, removable disk gone...), or None."""
    import sqlite3

    text = str(exc).lower()
    if isinstance(exc, MemoryError):
        return "电脑内存不足，刚才的操作没有完成。请关闭其他程序后重试。"
    if isinstance(exc, (sqlite3.Error, OSError)):
        if "full" in text or getattr(exc, "errno", None) == 28:
            return "磁盘空间不足，刚才的修改没有保存。请清理磁盘空间后重试。"
        if "readonly" in text or "read-only" in text:
            return "数据库文件或所在文件夹是只读的，刚才的修改没有保存。请检查文件权限，或把数据库复制到可写的位置。"
        if "locked" in text or "busy" in text:
            return "数据库正忙（另一个程序正在写入），刚才的修改没有保存。请稍后重试。"
        if "i/o" in text or "disk image is malformed" in text:
            return ("读写数据库文件时出错（U 盘或网络盘可能已拔出，或文件已损坏），刚才的修改没有保存。"
                    "请重新打开园区工作台；如提示数据库损坏，可从备份恢复。")
    return None
