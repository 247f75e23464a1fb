"""The audit log is written by triggers, so every change is logged in the same
transaction as the change itself, whichever code path made it.

The triggers call two functions that ParkDesk registers on each connection:
``pd_user()`` (who is writing) and ``pd_audit_on()`` (0 while the demo or a
bulk job writes rows that need no per-row history).
"""

from __future__ import annotations

from .database import Database

# Bookkeeping columns whose changes are not worth a line in the log.
_SKIP_COLUMNS = {"id", "updated_at", "created_at", "recorded_at"}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def drop_audit_triggers(db: Database, table: str) -> None:
    for action in ("insert", "update", "delete"):
        db.execute(f"DROP TRIGGER IF EXISTS {_quote(f'audit_{table}_{action}')}")


def install_audit_triggers(db: Database, table: str) -> None:
    """(Re)create the insert/update/delete audit triggers of ``table``.

    Call again after a migration changes the table's columns.
    """
    drop_audit_triggers(db, table)
    columns = [row[1] for row in db.execute(f"PRAGMA table_info({_quote(table)})").fetchall()]
    logged = [c for c in columns if c not in _SKIP_COLUMNS]
    t = table.replace("'", "''")

    def as_json(prefix: str) -> str:
        pairs = ", ".join(f"'{c}', {prefix}.{_quote(c)}" for c in logged)
        return f"json_object({pairs})"

    head = "INSERT INTO audit_log (at, user, table_name, record_id, action, field, old_value, new_value)"
    now = "strftime('%Y-%m-%dT%H:%M:%f', 'now', 'localtime')"
    db.execute(
        f"""CREATE TRIGGER {_quote(f'audit_{table}_insert')} AFTER INSERT ON {_quote(table)}
        WHEN pd_audit_on() BEGIN
            {head} VALUES ({now}, pd_user(), '{t}', NEW.id, 'insert', NULL, NULL, {as_json('NEW')});
        END"""
    )
    updates = "\n".join(
        f"{head} SELECT {now}, pd_user(), '{t}', NEW.id, 'update', '{c}', OLD.{_quote(c)}, NEW.{_quote(c)} "
        f"WHERE OLD.{_quote(c)} IS NOT NEW.{_quote(c)};"
        for c in logged
    )
    db.execute(
        f"""CREATE TRIGGER {_quote(f'audit_{table}_update')} AFTER UPDATE ON {_quote(table)}
        WHEN pd_audit_on() BEGIN
            {updates}
        END"""
    )
    db.execute(
        f"""CREATE TRIGGER {_quote(f'audit_{table}_delete')} AFTER DELETE ON {_quote(table)}
        WHEN pd_audit_on() BEGIN
            {head} VALUES ({now}, pd_user(), '{t}', OLD.id, 'delete', NULL, {as_json('OLD')}, NULL);
        END"""
    )
