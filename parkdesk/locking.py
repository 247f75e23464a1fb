"""One writer at a time: a lock file next to the database naming who holds it.

``park.db.lock`` is created atomically (``O_CREAT | O_EXCL``) when a Desk opens
the database for writing and removed when it closes. It holds JSON: user,
machine, process id, the process's start time (and boot id), since when.

A lock left by a crash is recognised and taken over: same machine, and the
process is gone, or its id now belongs to another program (the start time
differs), or the machine has rebooted since. A lock from another machine is
never taken over automatically (that machine may still be writing over the
network); the clerk can open read-only, or confirm that the other side has
closed ParkDesk and break the lock (:func:`break_lock`).

Connections of the same process share one lock (reference counted), so a
worker thread's second connection never needs one of its own.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as _dt
import getpass
import json
import logging
import os
import re
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import DatabaseError, DatabaseLocked

log = logging.getLogger("parkdesk.locking")

LOCK_SUFFIX = ".lock"
# A lock file that cannot be parsed is being written right now, unless it is older than this.
UNREADABLE_GRACE_SECONDS = 10.0
# A take-over marker older than this was left by a process that died while taking over.
TAKEOVER_GRACE_SECONDS = 30.0

HELD, STALE, OTHER_MACHINE, OURS = "held", "stale", "other-machine", "ours"


@dataclass
class LockInfo:
    """Who holds the write lock of a database."""

    user: str
    machine: str
    pid: int
    since: str
    machine_id: str = ""
    process_started: str | None = None
    boot_id: str | None = None
    app: str = ""
    token: str = ""

    def since_text(self) -> str:
        """``since`` as the clerk reads it: 2026-11-22 09:30."""
        try:
            return _dt.datetime.fromisoformat(self.since).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return self.since

    def describe(self) -> str:
        """"张三（电脑 OFFICE-PC，进程 1234），自 2026-11-22 09:30 起"."""
        return f"{self.user}（电脑 {self.machine}，进程 {self.pid}），自 {self.since_text()} 起"

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> "LockInfo | None":
        try:
            data = json.loads(text)
            return cls(
                user=str(data["user"]), machine=str(data["machine"]), pid=int(data["pid"]),
                since=str(data["since"]), machine_id=str(data.get("machine_id") or ""),
                process_started=data.get("process_started"), boot_id=data.get("boot_id"),
                app=str(data.get("app") or ""), token=str(data.get("token") or ""),
            )
        except (ValueError, KeyError, TypeError):
            return None



def host_name() -> str:
    """This machine's name, as ``socket.gethostname()`` gives it (written in lock files
    and the audit log). Read from ``os.uname()`` where there is one: importing socket
    is ~4 ms of each start-up."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket  # Windows

    return socket.gethostname()

def lock_path_for(db_path) -> Path:
    """The lock file of a database: ``park.db`` → ``park.db.lock`` beside it."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + LOCK_SUFFIX)


# --- this machine and its processes ------------------------------------------------------
def _read_text(path: str) -> str | None:
    try:
        with open(path, encoding="ascii", errors="replace") as fh:
            return fh.read().strip() or None
    except OSError:
        return None


_machine_id_cache: str | None = None


def machine_id() -> str:
    """A stable id of this computer (hostnames can repeat on a network)."""
    global _machine_id_cache
    if _machine_id_cache is None:
        ident = None
        if sys.platform == "win32":  # pragma: no cover - Windows only
            with contextlib.suppress(Exception):
                import winreg

                key = winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\Microsoft\Cryptography", 0,
                                     winreg.KEY_READ | getattr(winreg, "KEY_WOW64_64KEY", 0))
                ident = str(winreg.QueryValueEx(key, "MachineGuid")[0])
        else:
            ident = _read_text("/etc/machine-id") or _read_text("/var/lib/dbus/machine-id")
        _machine_id_cache = ident or f"host:{host_name().lower()}"
    return _machine_id_cache


def boot_id() -> str | None:
    """Changes at every reboot (Linux); None where unknown."""
    if sys.platform.startswith("linux"):
        return _read_text("/proc/sys/kernel/random/boot_id")
    return None


def _linux_stat(pid: int) -> list[str] | None:
    raw = _read_text(f"/proc/{pid}/stat")
    if raw is None or ")" not in raw:
        return None
    # Fields after the command name, which may itself contain spaces and brackets.
    return raw[raw.rindex(")") + 2:].split()


if sys.platform == "win32":  # pragma: no cover - Windows only
    import ctypes
    from ctypes import wintypes

    _kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    _PROCESS_QUERY_LIMITED_INFORMATION = 0x1000
    _STILL_ACTIVE = 259
    _ERROR_ACCESS_DENIED = 5

    def _win_open(pid: int):
        handle = _kernel32.OpenProcess(_PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
        return handle, ctypes.get_last_error()

    def _win_alive(pid: int) -> bool:
        handle, err = _win_open(pid)
        if not handle:
            return err == _ERROR_ACCESS_DENIED  # exists, but belongs to someone else
        try:
            code = wintypes.DWORD()
            if not _kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == _STILL_ACTIVE
        finally:
            _kernel32.CloseHandle(handle)

    def _win_started(pid: int) -> str | None:
        handle, _err = _win_open(pid)
        if not handle:
            return None
        try:
            times = [wintypes.FILETIME() for _ in range(4)]
            if not _kernel32.GetProcessTimes(handle, *[ctypes.byref(t) for t in times]):
                return None
            created = times[0]
            return str((created.dwHighDateTime << 32) | created.dwLowDateTime)
        finally:
            _kernel32.CloseHandle(handle)


def pid_alive(pid: int) -> bool:
    """True when a process with this id is running (zombies count as gone)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - Windows only
        return _win_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    except OSError:
        return False
    if sys.platform.startswith("linux"):
        fields = _linux_stat(pid)
        if fields and fields[0] in ("Z", "X"):
            return False
    return True


def process_started(pid: int) -> str | None:
    """When the process started (an opaque token), to tell a reused pid apart."""
    if sys.platform == "win32":  # pragma: no cover - Windows only
        return _win_started(pid)
    if sys.platform.startswith("linux"):
        fields = _linux_stat(pid)
        if fields and len(fields) > 19:
            return fields[19]  # field 22 of /proc/PID/stat: start time in clock ticks since boot
    return None


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no login name (services)
        return "unknown"


def _this_process() -> LockInfo:
    from . import __version__

    pid = os.getpid()
    return LockInfo(
        user=_login_name(), machine=host_name(), pid=pid,
        since=_dt.datetime.now().isoformat(timespec="seconds"), machine_id=machine_id(),
        process_started=process_started(pid), boot_id=boot_id(), app=f"ParkDesk {__version__}",
        token=os.urandom(16).hex(),  # random, like uuid4().hex (uuid imports platform: slow start)
    )


def judge(holder: LockInfo) -> str:
    """Whether a lock is ``held`` by a live process here, ``stale``, ``ours`` (this
    very process) or from ``other-machine``."""
    if holder.machine_id and holder.machine_id != machine_id():
        return OTHER_MACHINE
    if not holder.machine_id and holder.machine.lower() != host_name().lower():
        return OTHER_MACHINE
    here = boot_id()
    if holder.boot_id and here and holder.boot_id != here:
        return STALE  # the machine rebooted since: every process of that time is gone
    if not pid_alive(holder.pid):
        return STALE
    started = process_started(holder.pid)
    if started is not None and holder.process_started is not None and started != holder.process_started:
        return STALE  # the pid now belongs to another program
    if holder.pid == os.getpid():
        return OURS
    return HELD


def locked_message(db_path: Path, holder: LockInfo | None, *, other_machine: bool = False) -> str:
    """The clerk's explanation of why the database cannot be opened for writing."""
    name = Path(db_path).name
    if holder is None:
        return f"数据库“{name}”正在被另一个园区工作台程序打开，请稍候片刻再试，或以只读方式打开。"
    text = (f"数据库“{name}”正在被 {holder.describe()} 使用。"
            "为避免两处同时修改造成数据混乱，现在不能以可写方式打开；可以以只读方式打开查看，"
            "或请对方关闭园区工作台后再试。")
    if other_machine:
        text += ("\n锁定来自另一台电脑，不会自动解除。如果确认那台电脑上的园区工作台已经关闭"
                 "（例如那台电脑曾断电），可以选择“解除锁定”后再打开。")
    return text


# --- the lock file ---------------------------------------------------------------------------
def _read_raw(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        return None
    except OSError:
        return b""


def read_lock(db_path) -> LockInfo | None:
    """Who holds the lock of ``db_path`` now (None: nobody, or unreadable)."""
    raw = _read_raw(lock_path_for(db_path))
    return LockInfo.from_json(raw.decode("utf-8", "replace")) if raw else None


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0


def _create_exclusive(path: Path, info: LockInfo) -> None:
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o644)
    try:
        # No fsync: other processes read the page cache, and a lock file that a power
        # cut left empty or half-written is stale by then (unreadable past the grace
        # period, or from an earlier boot); an fsync here was ~2 ms of every open on a
        # local disk and a round trip on a network share.
        os.write(fd, info.to_json().encode("utf-8"))
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    os.close(fd)


def _remove_if_unchanged(lock: Path, raw: bytes, db_path: Path) -> None:
    """Remove a stale lock file, unless someone replaced it meanwhile.

    A ``.takeover`` marker (itself created atomically) makes sure only one
    process removes a given stale lock; the others re-read and find the new one.
    """
    marker = lock.with_name(lock.name + ".takeover")
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        if _age(marker) > TAKEOVER_GRACE_SECONDS:
            with contextlib.suppress(OSError):
                marker.unlink()
            return
        raise DatabaseLocked(locked_message(db_path, None)) from None
    os.close(fd)
    try:
        if _read_raw(lock) == raw:
            with contextlib.suppress(FileNotFoundError):
                lock.unlink()
    finally:
        with contextlib.suppress(OSError):
            marker.unlink()


class LockHandle:
    """The write lock of one database, held by this process."""

    def __init__(self, db_path: Path, lock_path: Path, info: LockInfo):
        self.db_path = db_path
        self.lock_path = lock_path
        self.info = info
        self.took_over: LockInfo | None = None  # the stale holder replaced, if any

    def still_ours(self) -> bool:
        current = read_lock(self.db_path)
        return current is not None and current.token == self.info.token

    def _remove(self) -> None:
        if self.still_ours():
            with contextlib.suppress(OSError):
                self.lock_path.unlink()


def _acquire_file(db_path: Path) -> LockHandle:
    lock = lock_path_for(db_path)
    took_over: LockInfo | None = None
    for _attempt in range(6):
        info = _this_process()
        try:
            _create_exclusive(lock, info)
            handle = LockHandle(db_path, lock, info)
            handle.took_over = took_over
            return handle
        except FileExistsError:
            pass
        except OSError as exc:
            raise DatabaseError(
                f"无法在“{lock.parent}”中创建锁文件（{exc.strerror or exc}）。"
                "数据库所在的文件夹可能是只读的；可以以只读方式打开。"
            ) from exc
        raw = _read_raw(lock)
        if raw is None:
            continue  # removed in between: try again
        holder = LockInfo.from_json(raw.decode("utf-8", "replace")) if raw else None
        if holder is None:
            if _age(lock) < UNREADABLE_GRACE_SECONDS:
                raise DatabaseLocked(locked_message(db_path, None))
            verdict = STALE  # junk left by a crash while the file was being written
        else:
            verdict = judge(holder)
        if verdict == HELD:
            raise DatabaseLocked(locked_message(db_path, holder), holder)
        if verdict == OTHER_MACHINE:
            raise DatabaseLocked(locked_message(db_path, holder, other_machine=True), holder, other_machine=True)
        # STALE, or OURS without a registry entry (a Desk of this process that was never closed)
        log.warning("taking over the stale lock of %s held by %s", db_path, holder)
        _remove_if_unchanged(lock, raw, db_path)
        took_over = holder
    raise DatabaseLocked(locked_message(db_path, None))


# --- reference counting within this process ------------------------------------------------------
_registry_lock = threading.Lock()
_held: dict[str, list] = {}  # key -> [LockHandle, count]


def _key(db_path: Path) -> str:
    return os.path.normcase(os.path.abspath(str(Path(db_path).expanduser().resolve())))


def acquire(db_path) -> LockHandle:
    """Take the write lock of ``db_path`` (shared within this process).

    :raises DatabaseLocked: naming who holds it, when another process does.
    :raises DatabaseError: when the lock file cannot be created at all.
    """
    db_path = Path(db_path)
    key = _key(db_path)
    with _registry_lock:
        entry = _held.get(key)
        if entry is not None and entry[0].still_ours():
            entry[1] += 1
            return entry[0]
        handle = _acquire_file(db_path)
        _held[key] = [handle, 1]
        return handle


def release(handle: LockHandle) -> None:
    """Give back one use of the lock; the file goes when the last use ends."""
    key = _key(handle.db_path)
    with _registry_lock:
        entry = _held.get(key)
        if entry is None or entry[0] is not handle:
            handle._remove()
            return
        entry[1] -= 1
        if entry[1] <= 0:
            del _held[key]
            handle._remove()


def held_here(db_path) -> bool:
    """True when this process holds the write lock of ``db_path``."""
    with _registry_lock:
        return _key(Path(db_path)) in _held


def break_lock(db_path, expected: LockInfo | None) -> None:
    """Remove another machine's lock after the clerk confirmed it is abandoned.

    Only removes the lock described by ``expected`` (read when the clerk was
    asked): if someone else took the lock meanwhile, nothing is removed.
    """
    db_path = Path(db_path)
    lock = lock_path_for(db_path)
    raw = _read_raw(lock)
    if raw is None:
        return
    current = LockInfo.from_json(raw.decode("utf-8", "replace")) if raw else None
    if expected is not None and (current is None or current.token != expected.token):
        raise DatabaseLocked(locked_message(db_path, current), current)
    log.warning("lock of %s broken by the user (was %s)", db_path, current)
    _remove_if_unchanged(lock, raw, db_path)


@atexit.register
def _release_all() -> None:  # pragma: no cover - runs at interpreter exit
    with _registry_lock:
        for handle, _count in list(_held.values()):
            handle._remove()
        _held.clear()


# --- network shares ------------------------------------------------------------------------------
NETWORK_FILESYSTEMS = {
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "smb", "ncpfs", "afs", "ceph", "glusterfs", "9p",
    "lustre", "gpfs", "beegfs", "davfs", "vboxsf", "fuse.sshfs", "sshfs", "fuse.glusterfs",
    "fuse.davfs2", "fuse.gvfsd-fuse", "fuse.rclone", "fuse.s3fs", "fuse.cephfs", "fuse.smbnetfs",
    "fuse.vmhgfs-fuse",
}
DRIVE_REMOTE = 4


def _unescape_mount(field: str) -> str:
    # /proc/mounts writes space, tab, newline and backslash as octal escapes (\040).
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def linux_filesystem_of(path: Path, mounts_text: str | None = None) -> str | None:
    """The filesystem type of the mount holding ``path`` (longest mount point wins)."""
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    target = str(path)
    best, best_len = None, -1
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = _unescape_mount(parts[1])
        prefix = point.rstrip("/") + "/"
        if (target == point or target.startswith(prefix) or point == "/") and len(point) > best_len:
            best, best_len = parts[2], len(point)
    return best


def windows_remote(path_text: str, drive_type=None) -> bool:
    """True for a UNC path (\\\\server\\share) or a mapped network drive."""
    p = path_text.replace("/", "\\")
    if p.upper().startswith("\\\\?\\UNC\\"):
        return True
    if p.startswith("\\\\?\\") or p.startswith("\\\\.\\"):
        p = p[4:]
    elif p.startswith("\\\\"):
        return True
    if len(p) >= 2 and p[1] == ":":
        if drive_type is None:  # pragma: no cover - Windows only
            import ctypes

            drive_type = ctypes.windll.kernel32.GetDriveTypeW
        return drive_type(p[:2] + "\\") == DRIVE_REMOTE
    return False


def network_share_warning(db_path, *, platform: str | None = None, mounts_text: str | None = None,
                          drive_type=None) -> str | None:
    """A warning when the database lies on a network share (None when local).

    SQLite's file locks and its WAL journal are unreliable over SMB/NFS: two
    computers writing may corrupt the file.
    """
    platform = platform or sys.platform
    path = Path(db_path).expanduser()
    where = None
    try:
        if platform == "win32":
            text = str(db_path)
            if not (text.startswith(("\\\\", "//")) or re.match(r"^[A-Za-z]:", text)):
                text = str(path.absolute())
            if windows_remote(text, drive_type):
                where = "网络共享文件夹"
        elif platform.startswith("linux"):
            folder = path.parent.resolve() if not path.exists() else path.resolve()
            fs = linux_filesystem_of(folder, mounts_text)
            if fs and (fs.lower() in NETWORK_FILESYSTEMS or fs.lower().startswith("nfs")):
                where = f"网络共享文件夹（{fs}）"
    except (OSError, ValueError):  # pragma: no cover - a path we cannot inspect: say nothing
        return None
    if where is None:
        return None
    return (f"数据库“{path.name}”位于{where}上。SQLite 数据库的文件锁和日志在网络文件夹中并不可靠，"
            "两台电脑同时使用可能损坏数据。建议把数据库放在本机硬盘上，需要交换数据时使用“备份”或导出。")
