"""Backups: made now or automatically when something changed, verified, thinned
daily/weekly/monthly, restored safely (after backing up the current state)."""

from __future__ import annotations

import datetime as _dt
import os
import sqlite3

import pytest

from parkdesk import backups as bk
from parkdesk.backups import BackupInfo, select_obsolete
from parkdesk.desk import Desk
from parkdesk.errors import BackupError, DatabaseLocked
from tests.safety_helpers import damage_pages, dump_tables, start_holder


def _tax(desk):
    return desk.indicators.by_name("税收收入")


def test_create_lists_and_verifies(desk):
    """create() writes a timestamped, verified copy; list() shows it with date, reason, size."""
    desk.park.update(name="备份园区")
    path = desk.backups.create()
    assert path.exists() and path.parent == bk.backup_dir_for(desk.path)
    assert bk.database_problems(path) == []
    [info] = desk.backups.list()
    assert info.path == path and info.reason == "manual" and info.reason_label == "手动备份"
    assert info.size == path.stat().st_size and abs((_dt.datetime.now() - info.created).total_seconds()) < 60
    with Desk.open(path, readonly=True) as copy:
        assert copy.park.profile().name == "备份园区"
    assert not list(path.parent.glob("*.part"))


def test_auto_backup_only_when_changed(desk):
    """Automatic backups are skipped when nothing changed since the newest backup."""
    assert desk.backups.auto("open") is not None  # no backup yet
    assert desk.backups.auto("timer") is None
    desk.indicators.set_month(_tax(desk).id, 2026, 1, value=10.0)
    assert desk.backups.changed_since_last()
    assert desk.backups.auto("timer") is not None
    assert desk.backups.auto("close") is None
    # a checkpoint moves pages but changes no data
    desk.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert not desk.backups.changed_since_last()
    assert [b.reason for b in desk.backups.list()] == ["timer", "open"]


def test_backup_on_close_and_reopen_skips_unchanged(tmp_path):
    """With auto_on_close (GUI, CLI writes) closing backs up changed data; reopening
    an unchanged file makes no new backup."""
    path = tmp_path / "park.db"
    desk = Desk.open(path)
    desk.backups.auto_on_close = True
    desk.park.update(name="关闭时备份")
    desk.close()
    assert [b.reason for b in bk.list_backups(path)] == ["close"]
    with Desk.open(path) as again:
        assert again.backups.auto("open") is None


def test_restored_data_is_not_mistaken_for_unchanged(tmp_path):
    """After restoring an older backup and making as many new changes, the content marker
    still differs from the newest backup (it is not just a counter)."""
    path = tmp_path / "park.db"
    with Desk.open(path) as desk:
        ind = _tax(desk)
        desk.indicators.set_month(ind.id, 2026, 1, value=1.0)
        old = desk.backups.create()
        desk.indicators.set_month(ind.id, 2026, 2, value=2.0)
        desk.backups.restore(old)  # newest backup is now the pre-restore copy (2 rows)
        desk.indicators.set_month(ind.id, 2026, 3, value=3.0)  # again 2 rows, different ones
        assert desk.backups.changed_since_last()


def test_a_damaged_source_gives_no_backup(tmp_path, demo_path):
    """A copy that fails the integrity check is deleted and BackupError raised."""
    damage_pages(demo_path)
    conn = sqlite3.connect(str(demo_path))
    target = tmp_path / "out.db"
    with pytest.raises(BackupError):
        bk.copy_database(conn, target)
    conn.close()
    assert not target.exists() and not (tmp_path / "out.db.part").exists()


def test_backup_failure_names_the_problem(desk, monkeypatch):
    """A full disk while writing the copy gives a Chinese message, no half file."""
    def full(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(bk.os, "replace", full)
    with pytest.raises(BackupError, match="磁盘空间不足"):
        desk.backups.create()
    assert desk.backups.list() == []
    assert not list(bk.backup_dir_for(desk.path).glob("*.part"))


# --- thinning ----------------------------------------------------------------------------------------------
NOW = _dt.datetime(2026, 11, 22, 15, 0)


def _info(when: _dt.datetime, reason: str = "timer") -> BackupInfo:
    return BackupInfo(bk.Path(f"/b/park-{when:%Y%m%d-%H%M%S-%f}-{reason}.db"), when, reason, 1000)


def test_thinning_keeps_today_yesterday_then_daily_weekly_monthly():
    """Newest first: all of today and yesterday, then one per day, per ISO week, per month."""
    d = lambda *a: _dt.datetime(*a)  # noqa: E731
    backups = {
        # today and yesterday: all kept
        d(2026, 11, 22, 14): False, d(2026, 11, 22, 9): False, d(2026, 11, 21, 18): False,
        d(2026, 11, 21, 8): False,
        # daily (3): the newest of each day
        d(2026, 11, 20, 18): False, d(2026, 11, 20, 6): True, d(2026, 11, 18, 12): False,
        d(2026, 11, 17, 12): False,
        # weekly (2): newest of each ISO week after the last kept day
        d(2026, 11, 16, 12): True,  # Monday of the week already kept (17th)
        d(2026, 11, 15, 12): False,  # Sunday: week 46
        d(2026, 11, 10, 12): True,  # week 46 again
        d(2026, 11, 3, 12): False,  # week 45
        # monthly (2)
        d(2026, 11, 1, 12): True,  # November already kept
        d(2026, 10, 20, 12): False, d(2026, 10, 2, 12): True, d(2026, 9, 30, 12): False,
        # beyond every limit
        d(2026, 8, 1, 12): True, d(2025, 1, 1, 12): True,
    }
    infos = [_info(when) for when in backups]
    gone = select_obsolete(infos, NOW, keep_daily=3, keep_weekly=2, keep_monthly=2)
    assert sorted(b.created for b in gone) == sorted(w for w, deleted in backups.items() if deleted)


def test_thinning_never_deletes_newest_or_young_safety_copies():
    """The newest backup survives limits of 0; pre-migration/pre-restore copies younger
    than a month survive, older ones are thinned like any other."""
    d = lambda *a: _dt.datetime(*a)  # noqa: E731
    infos = [
        _info(d(2026, 9, 1)),  # the newest, although old
        _info(d(2026, 8, 30), "before-restore"),
        _info(d(2026, 8, 29)),
    ]
    gone = select_obsolete(infos, NOW, keep_daily=0, keep_weekly=0, keep_monthly=0)
    assert [b.created for b in gone] == [d(2026, 8, 30), d(2026, 8, 29)]
    young = [
        _info(d(2026, 11, 10)),
        _info(d(2026, 11, 5), "before-migration"),
        _info(d(2026, 11, 4), "before-restore"),
        _info(d(2026, 11, 3), "damaged"),
        _info(d(2026, 11, 2)),
    ]
    gone = select_obsolete(young, NOW, keep_daily=0, keep_weekly=0, keep_monthly=0)
    assert [b.created for b in gone] == [d(2026, 11, 2)]


def test_thinning_on_disk_uses_settings(desk):
    """thin() reads the keep_* settings and deletes obsolete files only."""
    folder = bk.backup_dir_for(desk.path)
    made = []
    for days in range(0, 60):
        when = NOW - _dt.timedelta(days=days)
        p = folder / bk.backup_file_name(desk.path, "timer", when)
        p.write_bytes(b"x")
        made.append(p)
    (folder / "notes.txt").write_text("not a backup")
    desk.settings.set("backups.keep_daily", 5)
    desk.settings.set("backups.keep_weekly", 2)
    desk.settings.set("backups.keep_monthly", 1)
    removed = desk.backups.thin(now=NOW)
    left = {b.created.date() for b in desk.backups.list()}
    # today + yesterday, 5 days, 2 weeks, 1 month
    assert len(left) == 2 + 5 + 2 + 1
    assert len(removed) == 60 - len(left)
    assert (folder / "notes.txt").exists()
    assert made[0].exists()


# --- restore ---------------------------------------------------------------------------------------------------
def test_restore_brings_data_back_and_backs_up_current_state_first(tmp_path):
    """restore(): the current state is saved first, the backup's data is back, the desk
    is reopened in place (managers work), stale -wal/-shm are gone, the lock is kept."""
    path = tmp_path / "park.db"
    desk = Desk.open(path)
    ind = _tax(desk)
    desk.indicators.set_month(ind.id, 2026, 1, value=100.0)
    good = desk.backups.create()
    desk.indicators.set_month(ind.id, 2026, 1, value=999.0)
    desk.projects.save(__import__("parkdesk.projects", fromlist=["Project"]).Project(name="恢复后应消失"))
    lock_before = desk.lock_handle
    previous = desk.backups.restore(good)
    assert desk.indicators.month_values(2026)[(ind.id, 1)].value == 100.0
    assert desk.projects.find("恢复后应消失") is None
    assert previous is not None and previous.name.endswith("-before-restore.db")
    with Desk.open(previous, readonly=True) as saved:
        assert saved.indicators.month_values(2026)[(ind.id, 1)].value == 999.0
        assert saved.projects.find("恢复后应消失") is not None
    assert desk.lock_handle is lock_before and lock_before.still_ours()
    desk.indicators.set_month(ind.id, 2026, 2, value=5.0)  # the reopened desk writes
    assert desk.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    desk.close()
    assert dump_tables(path)["indicator_values"]


@pytest.mark.parametrize("kind", ["random", "foreign", "damaged", "newer", "empty"])
def test_restore_refuses_unsound_backups_and_changes_nothing(tmp_path, demo_path, kind):
    """A file that is not a sound ParkDesk database of this version is refused; the live
    database stays as it was and no pre-restore copy is needed."""
    bad = tmp_path / f"bad-{kind}.db"
    if kind == "random":
        bad.write_bytes(os.urandom(20000))
    elif kind == "empty":
        bad.write_bytes(b"")
    elif kind == "foreign":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.close()
    elif kind == "damaged":
        from tests.safety_helpers import checkpointed_copy

        checkpointed_copy(demo_path, bad)
        damage_pages(bad)
    else:
        from tests.safety_helpers import checkpointed_copy

        checkpointed_copy(demo_path, bad)
        conn = sqlite3.connect(bad)
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('parkdesk', 'm999_future', 'x')")
        conn.commit()
        conn.close()
    live = tmp_path / "live.db"
    with Desk.open(live) as desk:
        desk.park.update(name="不应被覆盖")
        before = dump_tables(live)
        with pytest.raises(BackupError, match="不是完好的园区工作台备份"):
            desk.backups.restore(bad)
        assert desk.park.profile().name == "不应被覆盖"
        assert desk.backups.list() == []
    assert dump_tables(live) == before


def test_restore_database_replaces_a_damaged_file_keeping_a_copy(tmp_path, demo_path):
    """restore_database() works on a file that cannot be opened: the damaged file is kept
    as a raw copy, the backup swapped in, and the result opens cleanly."""
    with Desk.open(demo_path) as desk:
        good = desk.backups.create()
        projects = desk.projects.count()
    damage_pages(demo_path)
    damaged_bytes = demo_path.read_bytes()
    previous = bk.restore_database(demo_path, good)
    assert previous.name.endswith("-damaged.db") and previous.read_bytes() == damaged_bytes
    with Desk.open(demo_path) as desk:
        assert desk.projects.count() == projects
    assert bk.latest_sound_backup(demo_path).path == good


def test_restore_database_is_refused_while_another_process_holds_the_file(tmp_path):
    """A restore cannot replace a file another ParkDesk has open."""
    path = tmp_path / "park.db"
    with Desk.open(path) as desk:
        good = desk.backups.create()
    holder = start_holder(path)
    try:
        before = path.read_bytes()
        with pytest.raises(DatabaseLocked):
            bk.restore_database(path, good)
        assert path.read_bytes() == before
    finally:
        holder.terminate()
        holder.wait(10)


def test_restore_removes_stale_journal_files(tmp_path):
    """Journal files of the old content are not replayed onto the restored file."""
    path = tmp_path / "park.db"
    with Desk.open(path) as desk:
        desk.park.update(name="旧")
        good = desk.backups.create()
    # A leftover rollback journal and WAL from some crash: must not touch the restored data.
    (tmp_path / "park.db-journal").write_bytes(os.urandom(1024))
    (tmp_path / "park.db-wal").write_bytes(os.urandom(4096))
    bk.restore_database(path, good)
    assert not (tmp_path / "park.db-journal").exists()
    with Desk.open(path) as desk:
        assert desk.park.profile().name == "旧"


def test_latest_sound_backup_skips_damaged_ones(tmp_path):
    """The newest backup that passes the full check is offered, not a broken newer one."""
    path = tmp_path / "park.db"
    with Desk.open(path) as desk:
        desk.park.update(name="一")
        first = desk.backups.create()
        desk.park.update(name="二")
        second = desk.backups.create()
    # make the newest one unusable
    damage_pages(second, pages=(0.5,))
    second.write_bytes(second.read_bytes()[:100] + b"\0" * 5000)
    assert bk.latest_sound_backup(path).path == first


def test_backup_names_round_trip():
    """Backup file names carry time and reason; other files are ignored."""
    when = _dt.datetime(2026, 3, 5, 9, 30, 15, 123456)
    name = bk.backup_file_name(bk.Path("园区-2026.db"), "before-migration", when)
    assert bk.parse_backup_name(name) == (when, "before-migration")
    assert bk.parse_backup_name("园区.db") is None
    assert bk.parse_backup_name("x-20261301-000000-000000-timer.db") is None


def test_backup_before_every_migration(tmp_path, monkeypatch):
    """Opening a file that needs a schema upgrade backs it up (verified) before migrating."""
    from parkdesk.storage import migrations as mig

    path = tmp_path / "park.db"
    with Desk.open(path) as desk:
        desk.park.update(name="升级前")
    applied = []
    with monkeypatch.context() as m:
        m.setattr(mig.migrations, "pending", lambda db: ["m999_pretend"])
        m.setattr(mig.migrations, "apply", lambda db: applied.append(1))
        Desk.open(path).close()
    assert applied
    [backup] = bk.list_backups(path)
    assert backup.reason == "before-migration" and backup.reason_label == "升级数据结构前"
    assert bk.database_problems(backup.path) == []
    with Desk.open(backup.path, readonly=True) as copy:
        assert copy.park.profile().name == "升级前"


def test_every_kind_of_change_is_seen_without_counting_audited_tables(desk):
    """The fingerprint skips counting the audited tables (their audit log entries tell a
    change): an insert, an update and a delete of any table are still each seen."""
    from parkdesk.backups import content_marker

    desk.backups.create()
    conn = desk.db.conn
    steps = [
        "INSERT INTO activities (title, held_on, activity_type) VALUES ('招商推介会', '2026-03-01', '外出招商')",
        "UPDATE activities SET title = '招商推介会（上海）'",
        "DELETE FROM activities",
        "UPDATE park_profile SET name = '新园区'",
        "DELETE FROM indicator_aliases WHERE id = (SELECT max(id) FROM indicator_aliases)",
    ]
    for sql in steps:
        before = content_marker(conn)
        with desk.atomic():
            desk.db.execute(sql)
        assert content_marker(conn) != before, sql
        assert desk.backups.changed_since_last(), sql
        desk.backups.create()
        assert not desk.backups.changed_since_last()
    import json

    marker = json.loads(content_marker(conn))
    assert len(marker["dispatch_records"]) == 1 and len(marker["settings"]) == 1  # max(rowid) only
    assert len(marker["_sqlite_migrations"]) == 2  # not audited: count and max(rowid)


def test_close_without_writes_does_not_compare_or_back_up(tmp_path, monkeypatch):
    """A session that wrote nothing, after its backup on open ran, closes without reading the
    backups; one closed before that backup (a window shut at once) or that wrote (or restored)
    compares as before — a database with no backup gets one."""
    path = tmp_path / "park.db"
    with Desk.open(path) as first:
        first.park.update(name="首次")
    compared = []
    original = bk.BackupManager.changed_since_last
    monkeypatch.setattr(bk.BackupManager, "changed_since_last",
                        lambda self: compared.append(1) or original(self))
    desk = Desk.open(path)
    assert desk.wrote_nothing()
    desk.park.profile()  # reading is not writing
    assert desk.wrote_nothing()
    desk.backups.auto_on_close = True
    desk.close()  # closed before any backup on open: compared, and the first backup made
    assert compared == [1] and [b.reason for b in bk.list_backups(path)] == ["close"]

    desk = Desk.open(path)
    with desk.sibling() as worker:  # the GUI's backup on open runs on a worker's sibling desk
        assert worker.backups.auto("open") is None  # nothing changed since the close backup
    assert desk.open_backup_checked and desk.wrote_nothing()
    desk.backups.auto_on_close = True
    desk.close()
    assert compared == [1, 1]  # compared on open, not again at close

    desk = Desk.open(path)
    desk.backups.auto_on_close = True
    desk.park.update(name="改名")
    assert not desk.wrote_nothing()
    desk.close()
    assert len(compared) == 3 and [b.reason for b in bk.list_backups(path)].count("close") == 2

    desk = Desk.open(path)
    with desk.sibling() as worker:  # a job that only reads and backs up (the GUI's backup on open)
        worker.park.profile()
        worker.backups.create("manual")
    assert desk.wrote_nothing()
    with desk.sibling() as worker:  # the GUI writes through a sibling on its worker thread
        worker.park.update(name="后台写入")
    assert not desk.wrote_nothing()
    desk.backups.auto_on_close = True
    desk.close()
    assert len(compared) == 4 and [b.reason for b in bk.list_backups(path)].count("close") == 3

    desk = Desk.open(path)
    old = bk.list_backups(path)[0].path
    desk.open_backup_checked = True
    desk.backups.restore(old)
    assert not desk.wrote_nothing()  # a restore reconnects: compared at close
    desk.backups.auto_on_close = True
    desk.close()
    assert len(compared) == 5
