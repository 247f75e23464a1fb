"""One writer at a time: the lock file, contention between processes, stale
locks, locks from other machines, network shares."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from parkdesk import locking
from parkdesk.desk import Desk
from parkdesk.errors import DatabaseError, DatabaseLocked
from tests.conftest import run_main
from tests.safety_helpers import start_holder


def _write_lock(db_path, **fields) -> dict:
    info = {
        "user": "zhangsan", "machine": socket.gethostname(), "pid": os.getpid(), "since": "2026-11-20T08:30:00",
        "machine_id": locking.machine_id(), "process_started": locking.process_started(os.getpid()),
        "boot_id": locking.boot_id(), "app": "ParkDesk test", "token": "t-" + str(time.time()),
    }
    info.update(fields)
    locking.lock_path_for(db_path).write_text(json.dumps(info), encoding="utf-8")
    return info


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_writable_open_creates_lock_naming_holder_and_close_removes_it(tmp_path):
    """Opening for writing writes park.db.lock (user, machine, pid, since); closing removes it."""
    path = tmp_path / "park.db"
    desk = Desk.open(path)
    lock = tmp_path / "park.db.lock"
    data = json.loads(lock.read_text(encoding="utf-8"))
    assert data["pid"] == os.getpid()
    assert data["machine"] == socket.gethostname()
    assert data["user"] and data["since"][:4].isdigit()
    if sys.platform.startswith("linux"):
        assert data["process_started"] and data["boot_id"]
    desk.close()
    assert not lock.exists()


def test_readonly_and_sibling_take_no_lock(tmp_path):
    """Read-only opens and worker-thread siblings neither need nor take the lock."""
    path = tmp_path / "park.db"
    Desk.open(path).close()
    with Desk.open(path, readonly=True) as ro:
        assert ro.lock_handle is None
        assert not locking.lock_path_for(path).exists()
    desk = Desk.open(path)
    sibling = desk.sibling()
    assert sibling.lock_handle is None
    sibling.close()
    assert locking.lock_path_for(path).exists(), "closing a sibling must not release the parent's lock"
    desk.close()
    assert not locking.lock_path_for(path).exists()


def test_same_process_shares_the_lock(tmp_path):
    """Two writable desks of one process share the lock; it goes when the last closes."""
    path = tmp_path / "park.db"
    first = Desk.open(path)
    second = Desk.open(path)
    first.close()
    assert locking.lock_path_for(path).exists()
    second.close()
    assert not locking.lock_path_for(path).exists()


def test_second_process_write_is_refused_while_reads_work(tmp_path):
    """While this process holds the database, CLI writes in another process are refused
    with a message naming who holds it; read commands still work."""
    path = tmp_path / "park.db"
    desk = Desk.open(path)
    try:
        desk.park.update(name="锁定测试园区")
        refused = run_main("demo", "--db", path)
        assert refused.returncode == 1
        assert "Traceback" not in refused.stderr
        assert "正在被" in refused.stderr and socket.gethostname() in refused.stderr
        since = json.loads(locking.lock_path_for(path).read_text(encoding="utf-8"))["since"]
        assert since[:10] in refused.stderr and since[11:16] in refused.stderr
        assert run_main("restore", path, "--db", path).returncode == 1
        template = tmp_path / "指标模板.xlsx"
        assert run_main("template", "indicators", "--out", template).returncode == 0
        imported = run_main("import", "indicators", template, "--db", path)
        assert imported.returncode == 1 and "正在被" in imported.stderr
        summary = run_main("summary", "--db", path, "--year", "2026", "--through", "3", "--json")
        assert summary.returncode == 0, summary.stderr
        assert json.loads(summary.stdout)["park"]["name"] == "锁定测试园区"
        assert run_main("check", "--db", path).returncode == 0
        backup = run_main("backup", "--db", path)
        assert backup.returncode == 0, backup.stderr
    finally:
        desk.close()
    assert run_main("summary", "--db", path, "--year", "2026", "--through", "3").returncode == 0


def test_lock_held_by_another_live_process_is_refused(tmp_path):
    """A database held by a running second process (a second window) cannot be opened
    for writing here; read-only opening works; after it exits normally the lock is gone."""
    path = tmp_path / "park.db"
    Desk.open(path).close()
    holder = start_holder(path)
    try:
        with pytest.raises(DatabaseLocked) as info:
            Desk.open(path)
        assert info.value.holder.pid == holder.pid
        assert not info.value.other_machine
        assert "只读" in info.value.message
        with Desk.open(path, readonly=True) as ro:
            assert ro.park.profile() is not None
    finally:
        holder.terminate()
        holder.wait(10)


def test_stale_lock_of_killed_process_is_taken_over(tmp_path):
    """kill -9 of the holder leaves its lock file; the next open detects it is stale and takes over."""
    path = tmp_path / "park.db"
    Desk.open(path).close()
    holder = start_holder(path)
    holder_pid = holder.pid
    os.kill(holder_pid, signal.SIGKILL)
    holder.wait(10)
    left = json.loads(locking.lock_path_for(path).read_text(encoding="utf-8"))
    assert left["pid"] == holder_pid
    with Desk.open(path) as desk:
        assert desk.lock_handle.took_over is not None and desk.lock_handle.took_over.pid == holder_pid
        now = json.loads(locking.lock_path_for(path).read_text(encoding="utf-8"))
        assert now["pid"] == os.getpid()


def test_stale_lock_from_killed_process_is_taken_over_by_the_cli(tmp_path):
    """A CLI write after a crash is not blocked by the dead process's lock."""
    path = tmp_path / "park.db"
    Desk.open(path).close()
    holder = start_holder(path)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(10)
    result = run_main("demo", "--db", path, "--as-of", "2026-11-22")
    assert result.returncode == 0, result.stderr
    assert not locking.lock_path_for(path).exists()


def test_dead_pid_reused_pid_and_reboot_are_stale(tmp_path):
    """A lock whose pid is gone, whose pid now belongs to another program (start time
    differs) or that predates a reboot is stale and taken over."""
    path = tmp_path / "park.db"
    Desk.open(path).close()
    cases = [{"pid": _dead_pid()}]
    if locking.process_started(os.getppid()) is not None:
        cases.append({"pid": os.getppid(), "process_started": "1"})  # a live pid, but not the one that locked
    if locking.boot_id():
        cases.append({"pid": os.getppid(), "boot_id": "another-boot"})
    for fields in cases:
        _write_lock(path, **fields)
        with Desk.open(path) as desk:
            assert desk.lock_handle.took_over is not None, fields
        assert not locking.lock_path_for(path).exists()


def test_live_lock_of_another_local_process_is_respected(tmp_path):
    """A lock whose pid and start time match a running process is not taken over."""
    path = tmp_path / "park.db"
    Desk.open(path).close()
    parent = os.getppid()
    info = _write_lock(path, pid=parent, process_started=locking.process_started(parent))
    before = locking.lock_path_for(path).read_bytes()
    with pytest.raises(DatabaseLocked, match="zhangsan"):
        Desk.open(path)
    assert locking.lock_path_for(path).read_bytes() == before
    assert info["since"][:10] == "2026-11-20"


def test_lock_from_another_machine_is_never_taken_over(tmp_path):
    """A lock written on another computer is refused (not taken over) with a message saying
    so; after the clerk confirms, break_lock removes exactly that lock."""
    path = tmp_path / "park.db"
    Desk.open(path).close()
    _write_lock(path, machine="OFFICE-PC-2", machine_id="another-machine", pid=_dead_pid())
    before = locking.lock_path_for(path).read_bytes()
    with pytest.raises(DatabaseLocked) as info:
        Desk.open(path)
    assert info.value.other_machine
    assert "OFFICE-PC-2" in info.value.message and "另一台电脑" in info.value.message
    assert "2026-11-20 08:30" in info.value.message
    assert locking.lock_path_for(path).read_bytes() == before
    with Desk.open(path, readonly=True):
        pass
    locking.break_lock(path, info.value.holder)
    with Desk.open(path) as desk:
        assert desk.lock_handle.took_over is None


def test_break_lock_refuses_when_the_lock_changed_meanwhile(tmp_path):
    """Breaking a lock that someone else re-took since the clerk was asked removes nothing."""
    path = tmp_path / "park.db"
    Desk.open(path).close()
    _write_lock(path, machine="PC-A", machine_id="a", token="old")
    old = locking.read_lock(path)
    _write_lock(path, machine="PC-B", machine_id="b", token="new")
    with pytest.raises(DatabaseLocked):
        locking.break_lock(path, old)
    assert locking.read_lock(path).token == "new"


def test_unreadable_lock_file_fresh_is_respected_old_is_junk(tmp_path):
    """An empty lock file is being written right now (refused); one older than the grace
    period is junk from a crash (taken over)."""
    path = tmp_path / "park.db"
    Desk.open(path).close()
    lock = locking.lock_path_for(path)
    lock.write_bytes(b"")
    with pytest.raises(DatabaseLocked):
        Desk.open(path)
    old = time.time() - 3600
    os.utime(lock, (old, old))
    with Desk.open(path):
        pass
    assert not lock.exists()


def test_lock_file_that_cannot_be_created_gives_clear_message(tmp_path, monkeypatch):
    """A folder where the lock cannot be written is reported in Chinese; read-only works."""
    path = tmp_path / "park.db"
    Desk.open(path).close()
    real_open = os.open

    def refuse(name, flags, *args):
        if str(name).endswith(".lock"):
            raise PermissionError(13, "Permission denied")
        return real_open(name, flags, *args)

    monkeypatch.setattr(locking.os, "open", refuse)
    with pytest.raises(DatabaseError, match="只读"):
        Desk.open(path)
    with Desk.open(path, readonly=True):
        pass


def test_open_that_fails_releases_the_lock(tmp_path):
    """A file refused at open (foreign) leaves no lock behind."""
    path = tmp_path / "foreign.db"
    path.write_bytes(b"not a database at all")
    with pytest.raises(DatabaseError):
        Desk.open(path)
    assert not locking.lock_path_for(path).exists()


# --- network shares -------------------------------------------------------------------------
MOUNTS = """\
sysfs /sys sysfs rw 0 0
/dev/sda1 / ext4 rw,relatime 0 0
//nas/财务 /mnt/share cifs rw 0 0
server:/export /srv/nfs\\040data nfs4 rw 0 0
user@host:/home /media/ssh fuse.sshfs rw 0 0
/dev/sdb1 /mnt/share/local ext4 rw 0 0
"""


@pytest.mark.parametrize("folder, expected", [
    ("/home/clerk", None),
    ("/mnt/share", "cifs"),
    ("/mnt/share/sub", "cifs"),
    ("/srv/nfs data/x", "nfs4"),
    ("/media/ssh/docs", "fuse.sshfs"),
    ("/mnt/share/local/x", None),
    ("/mnt/shared", None),
])
def test_linux_network_mounts_are_recognised(folder, expected):
    """The mount holding the file (longest mount point) decides; cifs/nfs/sshfs warn."""
    from pathlib import PurePosixPath

    fs = locking.linux_filesystem_of(PurePosixPath(folder), MOUNTS)
    is_network = fs in locking.NETWORK_FILESYSTEMS or (fs or "").startswith("nfs")
    assert (fs if is_network else None) == expected


def test_network_share_warning_linux_and_windows(tmp_path):
    """The warning names the share type; UNC paths and mapped network drives warn on Windows."""
    db = tmp_path / "park.db"
    mounts = f"/dev/sda1 / ext4 rw 0 0\nnas:/x {tmp_path} nfs rw 0 0\n"
    warning = locking.network_share_warning(db, platform="linux", mounts_text=mounts)
    assert warning and "网络共享" in warning and "nfs" in warning
    assert locking.network_share_warning(db, platform="linux", mounts_text="/dev/sda1 / ext4 rw 0 0") is None
    assert locking.network_share_warning(r"\\server\share\park.db", platform="win32")
    assert locking.network_share_warning("//server/share/park.db", platform="win32")
    assert locking.network_share_warning(r"\\?\UNC\server\share\park.db", platform="win32")
    remote = lambda root: 4 if root.upper() == "Z:\\" else 3  # noqa: E731
    assert locking.network_share_warning(r"Z:\园区\park.db", platform="win32", drive_type=remote)
    assert locking.network_share_warning(r"C:\园区\park.db", platform="win32", drive_type=remote) is None


def test_cli_prints_network_warning_to_stderr(tmp_path, monkeypatch, capsys):
    """A command on a database on a share prints the warning to stderr and still works."""
    import main

    monkeypatch.setattr(locking, "network_share_warning", lambda path: "数据库位于网络共享文件夹（cifs）上。")
    code = main.main(["summary", "--db", str(tmp_path / "p.db"), "--year", "2026", "--through", "3"])
    assert code == 0
    assert "警告：数据库位于网络共享文件夹" in capsys.readouterr().err


def test_host_name_is_what_socket_says():
    """Lock files written before (socket.gethostname) and now (os.uname) name the machine alike."""
    assert locking.host_name() == socket.gethostname()


def test_stale_lock_warning_reaches_the_log_at_exit(tmp_path):
    """What a command logs just before it exits is in the log file (main.exit_now keeps the
    exit handlers that flush it)."""
    path = tmp_path / "park.db"
    Desk.open(path).close()
    holder = start_holder(path)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(10)
    home = tmp_path / "home"
    result = run_main("demo", "--db", path, "--as-of", "2026-11-22", env={"PARKDESK_HOME": str(home)})
    assert result.returncode == 0, result.stderr
    log = (home / "logs" / "parkdesk.log").read_text(encoding="utf-8")
    assert "taking over the stale lock" in log and str(holder.pid) in log
