"""The audit log records every change in the same transaction, with who made it."""

from __future__ import annotations

import json

from parkdesk.desk import Desk


def test_insert_update_delete_are_logged_with_user(tmp_path):
    """Inserts log the new row, updates each changed field, deletes the old row."""
    with Desk.open(tmp_path / "a.db", user="clerk@office-pc") as desk:
        ind = desk.indicators.by_name("税收收入")
        desk.indicators.set_month(ind.id, 2026, 3, value=1200.0)
        desk.indicators.set_month(ind.id, 2026, 3, value=1250.0, note="更正")
        with desk.atomic():
            desk.db.execute("DELETE FROM indicator_values WHERE indicator_id = ?", [ind.id])
        rows = desk.db.execute(
            "SELECT user, table_name, action, field, old_value, new_value FROM audit_log ORDER BY id"
        ).fetchall()
    assert [r[2] for r in rows] == ["insert", "update", "update", "delete"]
    assert all(r[0] == "clerk@office-pc" and r[1] == "indicator_values" for r in rows)
    assert json.loads(rows[0][5])["value"] == 1200.0
    assert rows[1][3:] == ("value", 1200.0, 1250.0)
    assert rows[2][3:] == ("note", "", "更正")
    assert json.loads(rows[3][4])["value"] == 1250.0


def test_rolled_back_change_leaves_no_audit_row(desk):
    """A change that is rolled back leaves no line in the log either."""
    ind = desk.indicators.by_name("税收收入")
    try:
        with desk.atomic():
            desk.indicators.set_month(ind.id, 2026, 1, value=1.0)
            raise ValueError
    except ValueError:
        pass
    assert desk.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0
