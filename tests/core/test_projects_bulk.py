"""Bulk insertion of new projects (imports): the same rows, history and audit log as saving one by one."""

from __future__ import annotations

import pytest

from parkdesk.desk import Desk
from parkdesk.errors import ValidationError
from parkdesk.projects import Project


def _sample() -> list[Project]:
    return [
        Project(name=" 线索项目 ", stage="线索", investor="甲公司 ", total_investment=3000),
        Project(name="签约项目", stage="签约", signed_on="2025/3/4", origin="省外", level="市重点"),
        Project(name="开工项目", stage="已开工", signed_on="2024-01-05", started_on="2024-06-01",
                total_investment=12000, funds_arrived=5000),
        Project(name="投产项目", stage="已投产", signed_on="2022-01-05", started_on="2022-03-01",
                production_on="2023-09-30", stage_changed_on="2023-09-30"),
        Project(name="终止项目", stage="已终止", signed_on="2023-02-01", terminated_on="2024-02-01",
                termination_reason="资金不足"),
    ]


def _dump(desk) -> tuple[list, list, list]:
    db = desk.db
    cols = [r[1] for r in db.execute("PRAGMA table_info(projects)") if r[1] not in ("id", "created_at", "updated_at")]
    projects = db.execute(f"SELECT {', '.join(cols)} FROM projects ORDER BY name").fetchall()
    names = dict(db.execute("SELECT id, name FROM projects").fetchall())
    history = sorted((names[r[0]], *r[1:]) for r in db.execute(
        "SELECT project_id, stage, changed_on, note FROM project_stage_history"))
    audit = sorted((r[0], r[1], names.get(r[2]) if r[0] == "projects" else None, r[3], r[4], str(r[5]))
                   for r in db.execute("SELECT table_name, action, record_id, user, field, new_value FROM audit_log "
                                       "WHERE table_name IN ('projects', 'project_stage_history')"))
    # Ids and time stamps differ between the two databases; everything else is compared.
    audit = [a for a in audit if a[4] not in ("id", "created_at", "updated_at", "recorded_at", "project_id")]
    audit = [a[:5] + ((a[5] if a[4] not in ("record_id",) else None),) for a in audit]
    return projects, history, audit


def test_insert_many_matches_saving_one_by_one(tmp_path):
    """insert_many writes the same projects, stage history and audit entries as save() of each."""
    one = Desk.open(tmp_path / "one.db", create=True, user="王")
    many = Desk.open(tmp_path / "many.db", create=True, user="王")
    try:
        for p in _sample():
            one.projects.save(p, stage_note="Excel导入")
        done = many.projects.insert_many(_sample(), stage_note="Excel导入")
        assert [p.name for p in done] == ["线索项目", "签约项目", "开工项目", "投产项目", "终止项目"]
        assert all(p.id for p in done)
        assert many.projects.get(done[2].id).name == "开工项目"
        a, b = _dump(one), _dump(many)
        assert a[0] == b[0] and a[1] == b[1] and a[2] == b[2]
        assert len(b[1]) > 5  # earlier stages were back-filled from their dates
        assert b[2]  # the audit triggers saw the bulk insert
    finally:
        one.close()
        many.close()


def test_insert_many_refuses_a_clash_or_invalid_row_and_writes_nothing(desk):
    """A taken name (stored or twice in the batch) or an invalid project: ValidationError with its index, nothing kept."""
    desk.projects.save(Project(name="已有项目"))
    with pytest.raises(ValidationError, match="同名") as caught:
        desk.projects.insert_many([Project(name="新项目"), Project(name="已有项目")])
    assert caught.value.index == 1
    with pytest.raises(ValidationError, match="同名") as caught:
        desk.projects.insert_many([Project(name="甲"), Project(name="乙"), Project(name=" 甲")])
    assert caught.value.index == 2
    with pytest.raises(ValidationError, match="总投资") as caught:
        desk.projects.insert_many([Project(name="丙"), Project(name="丁", total_investment=-1)])
    assert caught.value.index == 1
    assert [p.name for p in desk.projects.list()] == ["已有项目"]
    assert desk.projects.insert_many([]) == []
