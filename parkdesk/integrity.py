"""Integrity of a database file: the quick check at every open and the full
check behind ``check --db D`` (SQLite's own checks plus the data checks)."""

from __future__ import annotations

import importlib
import logging
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DamagedDatabase, DatabaseError, ParkDeskError

log = logging.getLogger("parkdesk.integrity")


def _problems(conn: sqlite3.Connection, pragma: str, limit: int) -> list[str]:
    try:
        return _reported_problems(conn, pragma, limit)
    except sqlite3.DatabaseError as exc:
        return [str(exc)]


def _reported_problems(conn: sqlite3.Connection, pragma: str, limit: int) -> list[str]:
    """What the check pragma reports (raises when it cannot run at all)."""
    rows = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}({int(limit)})").fetchall()]
    if rows == ["ok"]:
        return []
    # One problem per line, without SQLite's "*** in database main ***" headings.
    lines = [line.strip() for row in rows for line in row.splitlines()]
    return [line for line in lines if line and not line.startswith("***")] or rows


def quick_check(conn: sqlite3.Connection, *, limit: int = 10) -> list[str]:
    """Problems found by ``PRAGMA quick_check`` (cheap; empty list: sound)."""
    return _problems(conn, "quick_check", limit)


def integrity_problems(conn: sqlite3.Connection, *, limit: int = 50) -> list[str]:
    """Problems found by the full ``PRAGMA integrity_check``."""
    problems = _problems(conn, "integrity_check", limit)
    if len(problems) == 1 and "malformed" in problems[0]:
        # integrity_check can stop at the first broken page; quick_check names the pages.
        problems = quick_check(conn, limit=limit) or problems
    return problems


def foreign_key_problems(conn: sqlite3.Connection, *, limit: int = 50) -> list[str]:
    """Rows pointing at records that do not exist (``PRAGMA foreign_key_check``)."""
    try:
        rows = conn.execute("PRAGMA foreign_key_check").fetchmany(limit)
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [f"表 {table} 的第 {rowid} 行引用了表 {parent} 中不存在的记录" for table, rowid, parent, _fk in rows]


def damaged_message(path: Path, problems: list[str]) -> str:
    """What the clerk is told about a damaged database file."""
    detail = f"（{problems[0][:120]}{' 等 %d 处' % len(problems) if len(problems) > 1 else ''}）" if problems else ""
    return (f"数据库“{Path(path).name}”已损坏，完整性检查未通过{detail}。"
            "为避免进一步损坏，未对它作任何修改。请从备份恢复（文件 ▸ 备份与恢复，"
            "或命令 restore），原文件会先另存一份。")


def raise_if_damaged(conn: sqlite3.Connection, path: Path) -> None:
    """The quick check run at every open.

    :raises DamagedDatabase: when SQLite finds damaged pages.
    """
    problems = quick_check(conn)
    if problems:
        raise DamagedDatabase(damaged_message(path, problems), problems)


class DeferredCheck:
    """The quick check of a database file started early, on a thread of its own.

    A large park's file takes a noticeable time to check (0.15 s for the 27 MB
    large demo on a fast disk, seconds for a big file on a slow one). The GUI
    starts this check as soon as it knows which file it will open, then imports
    Qt and builds the application meanwhile; ``Desk.open(path, precheck=...)``
    waits for the verdict before it reads anything, so nothing changes about what
    is checked, only when.
    """

    def __init__(self, path):
        self.path = Path(path).expanduser()
        self.problems: list[str] | None = None  # None while running; [] when sound
        self._done = threading.Event()
        self._stamp = _file_stamp(self.path)
        self._thread = threading.Thread(target=self._run, name="parkdesk-quick-check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        # Only what quick_check reports is a verdict. When it cannot run here (locked,
        # a hot journal a read-only connection cannot roll back, a file SQLite refuses
        # outright) the verdict stays None and Desk.open checks the usual way.
        try:
            conn = sqlite3.connect(self.path.resolve().as_uri() + "?mode=ro", uri=True, timeout=10)
            try:
                self.problems = _reported_problems(conn, "quick_check", 10)
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            if "malformed" in str(exc) and not isinstance(exc, sqlite3.OperationalError):
                self.problems = [str(exc)]  # what the check at open says of such a file too
            else:
                log.info("early quick check of %s did not run: %s", self.path, exc)
        except Exception as exc:  # noqa: BLE001 - the open checks again
            log.info("early quick check of %s did not run: %s", self.path, exc)
        finally:
            self._done.set()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def applies_to(self, path) -> bool:
        """True when this check was of ``path`` as it is now (same file, not replaced since)."""
        try:
            same = Path(path).expanduser().resolve() == self.path.resolve()
        except OSError:
            return False
        return same and self._stamp is not None and _file_stamp(self.path) == self._stamp

    def wait(self, timeout: float | None = None) -> list[str] | None:
        """The problems found (empty: sound); None when not done within ``timeout``
        or when the check could not run."""
        self._done.wait(timeout)
        return self.problems


def _file_stamp(path: Path) -> tuple[int, ...] | None:
    """Identity and state of a file (inode, device, creation or change time, modification
    time, size): a restore replaces it, a write changes it (Windows keeps the creation time)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_dev, getattr(st, "st_birthtime_ns", st.st_ctime_ns), st.st_mtime_ns, st.st_size)


# --- data checks ----------------------------------------------------------------------------------------
def _indicator_flags(desk) -> list[str]:
    """Flags of the indicators' checks (``parkdesk.checks``, when this version has it)."""
    try:
        checks = importlib.import_module("parkdesk.checks")
    except ModuleNotFoundError:
        return []
    period = desk.indicators.latest_period()
    if period is None:
        return []
    year, month = period
    runner = getattr(checks, "check_year", None)
    if runner is None:
        return []
    try:
        flags = runner(desk, year, month)
    except TypeError:
        flags = runner(desk, year)
    names = {i.id: i.name for i in desk.indicators.list(include_retired=True)}
    lines = []
    for flag in flags:
        label = getattr(flag, "label", "")
        message = getattr(flag, "message", str(flag))
        who = names.get(getattr(flag, "indicator_id", None), "")
        flag_year = getattr(flag, "year", year)
        # A year's figure (年度目标) belongs to the whole year, not to the month it is shown with.
        when = f"{flag_year}年全年" if getattr(flag, "field", "") == "target" else \
            f"{flag_year}年{getattr(flag, 'month', '')}月"
        lines.append(f"指标“{who}”{when}{('（' + label + '）') if label else ''}：{message}")
    return lines


def _record_rules(desk) -> list[str]:
    """Projects and plan items that break the rules their dialogs enforce."""
    from .plans import PlanItem, validate_item
    from .projects import validate_project
    from .errors import ValidationError

    lines = []
    for project in desk.projects.list():
        try:
            validate_project(project)
        except ValidationError as exc:
            lines.append(f"项目“{project.name}”：{exc.message}")
    for year in desk.plans.years():
        for section, item in desk.plans.year_items(year):
            try:
                validate_item(PlanItem(**{k: getattr(item, k) for k in PlanItem.__dataclass_fields__}))
            except ValidationError as exc:
                lines.append(f"{year}年工作计划“{item.title or section.title}”：{exc.message}")
    return lines


def data_check_messages(desk) -> tuple[list[str], list[str]]:
    """(findings, notes): findings of every data check available in this version;
    notes say which checks could not run (never fails the caller)."""
    findings: list[str] = []
    notes: list[str] = []
    for name, runner in (("指标检查", _indicator_flags), ("记录规则检查", _record_rules)):
        try:
            findings.extend(runner(desk))
        except Exception as exc:  # noqa: BLE001 - a check that breaks must not hide the others
            log.warning("data check %s failed", name, exc_info=True)
            notes.append(f"{name}未能完成（{type(exc).__name__}）")
    return findings, notes


# --- the full check ------------------------------------------------------------------------------------------
@dataclass
class CheckReport:
    """What ``check`` found: ``errors`` mean a damaged or unusable file."""

    path: Path
    errors: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sound_backup: object = None  # BackupInfo of the newest sound backup, when damaged

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        """The report as printed by ``check``."""
        out = [f"数据库：{self.path}"]
        if self.errors:
            out.append("结果：有严重问题")
            out.extend(f"  ✗ {e}" for e in self.errors)
            if self.sound_backup is not None:
                out.append(f"最近的完好备份：{self.sound_backup.path}（{self.sound_backup.describe()}）")
                out.append(f"恢复命令：restore \"{self.sound_backup.path}\" --db \"{self.path}\"")
            return out
        out.append("完整性检查：通过（integrity_check ok）")
        out.append("外键检查：通过（foreign_key_check ok）")
        if self.findings:
            out.append(f"数据检查：发现 {len(self.findings)} 处需要留意的数据")
            out.extend(f"  · {f}" for f in self.findings[:200])
            if len(self.findings) > 200:
                out.append(f"  ……另有 {len(self.findings) - 200} 处")
        else:
            out.append("数据检查：未发现问题")
        out.extend(f"说明：{n}" for n in self.notes)
        return out


def check_database(path) -> CheckReport:
    """The full check of a database file, opened read-only (no lock needed)."""
    from .backups import latest_sound_backup
    from .desk import Desk

    path = Path(path).expanduser()
    report = CheckReport(path)
    if not path.exists():
        report.errors.append("数据库文件不存在")
        return report
    try:
        desk = Desk.open(path, readonly=True)
    except DamagedDatabase as exc:
        problems = _full_problems(path)
        report.errors.append(damaged_message(path, problems or exc.problems))
        report.errors.extend(problems[1:20])
        report.sound_backup = latest_sound_backup(path)
        return report
    except ParkDeskError as exc:
        report.errors.append(exc.message)
        return report
    try:
        conn = desk.db.conn
        problems = integrity_problems(conn)
        if problems:
            report.errors.append(damaged_message(path, problems))
            report.errors.extend(problems[1:20])
            report.sound_backup = latest_sound_backup(path)
            return report
        fk = foreign_key_problems(conn)
        if fk:
            report.errors.append("外键检查未通过：有记录引用了不存在的记录")
            report.errors.extend(fk)
            return report
        report.findings, report.notes = data_check_messages(desk)
    except sqlite3.DatabaseError as exc:
        report.errors.append(damaged_message(path, [str(exc)]))
        report.sound_backup = latest_sound_backup(path)
    finally:
        desk.close()
    return report


def _full_problems(path: Path) -> list[str]:
    try:
        conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as exc:  # pragma: no cover
        return [str(exc)]
    try:
        return integrity_problems(conn)
    finally:
        conn.close()


__all__ = [
    "CheckReport", "DatabaseError", "DeferredCheck", "check_database", "data_check_messages", "foreign_key_problems",
    "integrity_problems", "quick_check", "raise_if_damaged",
]
