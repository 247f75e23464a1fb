"""Numbered schema migrations (sqlite-utils ``Migrations``).

Rules: never edit a migration that has shipped; add a new numbered one. Each
runs in one transaction together with the record of it having been applied.

:class:`MigrationSet` keeps the list and answers "what is applied / pending" with
plain SQL on sqlite-utils' ``_sqlite_migrations`` table, so that opening an
up-to-date database does not import sqlite-utils; applying pending migrations
hands them to sqlite-utils' ``Migrations``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable

from .. import catalog
from .audit_triggers import install_audit_triggers
from .database import Database

MIGRATION_SET = "parkdesk"


@dataclass(frozen=True)
class Migration:
    name: str
    fn: Callable[[Database], None]


@dataclass(frozen=True)
class AppliedMigration:
    name: str
    applied_at: str


class MigrationSet:
    """The numbered migrations, in order (a decorator registers one)."""

    migrations_table = "_sqlite_migrations"  # sqlite-utils' table, kept for existing files

    def __init__(self, name: str):
        self.name = name
        self._migrations: list[Migration] = []

    def __call__(self) -> Callable[[Callable[[Database], None]], Callable[[Database], None]]:
        def register(fn: Callable[[Database], None]) -> Callable[[Database], None]:
            if any(m.name == fn.__name__ for m in self._migrations):
                raise ValueError(f"migration {fn.__name__} registered twice")
            self._migrations.append(Migration(fn.__name__, fn))
            return fn

        return register

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(m.name for m in self._migrations)

    def applied(self, db: Database) -> list[AppliedMigration]:
        """The migrations recorded in the file, oldest first (reads only)."""
        if self.migrations_table not in db.table_names():
            return []
        rows = db.execute(
            f"SELECT name, applied_at FROM {self.migrations_table} WHERE migration_set = ? ORDER BY rowid",
            [self.name],
        ).fetchall()
        return [AppliedMigration(name, applied_at) for name, applied_at in rows]

    def pending(self, db: Database) -> list[Migration]:
        done = {m.name for m in self.applied(db)}
        return [m for m in self._migrations if m.name not in done]

    def apply(self, db: Database) -> None:
        """Apply the pending migrations, each in one transaction with its record."""
        from .. import _import_sqlite_utils

        _import_sqlite_utils()
        from sqlite_utils.migrations import Migrations

        runner = Migrations(self.name)
        for migration in self._migrations:
            # sqlite-utils hands its own Database to the function; ParkDesk's runs on the same connection.
            runner(name=migration.name)(lambda _su_db, fn=migration.fn: fn(db))
        runner.apply(db.sqlite_utils())


migrations = MigrationSet(MIGRATION_SET)

# application_id marks a file as a ParkDesk database ("PRKD").
APPLICATION_ID = 0x50524B44


def _run(db: Database, statements: str) -> None:
    # executescript() would COMMIT the migration's transaction; run one by one.
    for stmt in statements.split(";\n"):
        if stmt.strip():
            db.execute(stmt)


SCHEMA_001 = """
CREATE TABLE park_profile (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL DEFAULT '',
    short_name TEXT NOT NULL DEFAULT '',
    organization TEXT NOT NULL DEFAULT '',
    superiors TEXT NOT NULL DEFAULT '区委、区政府',
    leading_industries TEXT NOT NULL DEFAULT '[]',
    zones TEXT NOT NULL DEFAULT '[]',
    author TEXT NOT NULL DEFAULT '',
    first_year INTEGER,
    updated_at TEXT
);
CREATE TABLE settings (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    value TEXT NOT NULL
);
CREATE TABLE indicators (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    unit TEXT NOT NULL,
    category TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('cumulative', 'stock', 'rate', 'growth_only')),
    decimals INTEGER NOT NULL DEFAULT 2 CHECK (decimals BETWEEN 0 AND 6),
    growth_decimals INTEGER NOT NULL DEFAULT 1 CHECK (growth_decimals BETWEEN 0 AND 4),
    direction INTEGER NOT NULL DEFAULT 1 CHECK (direction IN (1, -1)),
    nominal_growth INTEGER NOT NULL DEFAULT 1,
    min_value REAL,
    max_value REAL,
    description TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0,
    builtin INTEGER NOT NULL DEFAULT 0,
    retired INTEGER NOT NULL DEFAULT 0,
    in_report INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE indicator_aliases (
    id INTEGER PRIMARY KEY,
    indicator_id INTEGER NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
    alias TEXT NOT NULL UNIQUE
);
CREATE INDEX idx_indicator_aliases_indicator ON indicator_aliases(indicator_id);
CREATE TABLE indicator_values (
    id INTEGER PRIMARY KEY,
    indicator_id INTEGER NOT NULL REFERENCES indicators(id),
    year INTEGER NOT NULL CHECK (year BETWEEN 1949 AND 2200),
    month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    value REAL,
    prior_value REAL,
    official_yoy REAL,
    note TEXT NOT NULL DEFAULT '',
    updated_at TEXT,
    UNIQUE (indicator_id, year, month)
);
CREATE INDEX idx_indicator_values_period ON indicator_values(year, month);
CREATE TABLE indicator_years (
    id INTEGER PRIMARY KEY,
    indicator_id INTEGER NOT NULL REFERENCES indicators(id),
    year INTEGER NOT NULL CHECK (year BETWEEN 1949 AND 2200),
    target REAL,
    forecast REAL,
    forecast_yoy REAL,
    note TEXT NOT NULL DEFAULT '',
    updated_at TEXT,
    UNIQUE (indicator_id, year)
);
CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    investor TEXT NOT NULL DEFAULT '',
    origin TEXT NOT NULL DEFAULT '',
    chain TEXT NOT NULL DEFAULT '',
    project_type TEXT NOT NULL DEFAULT '工业',
    level TEXT NOT NULL DEFAULT '一般',
    total_investment REAL CHECK (total_investment IS NULL OR total_investment >= 0),
    contract_investment REAL CHECK (contract_investment IS NULL OR contract_investment >= 0),
    funds_arrived REAL CHECK (funds_arrived IS NULL OR funds_arrived >= 0),
    foreign_capital REAL CHECK (foreign_capital IS NULL OR foreign_capital >= 0),
    land_mu REAL CHECK (land_mu IS NULL OR land_mu >= 0),
    building_area REAL CHECK (building_area IS NULL OR building_area >= 0),
    expected_output REAL,
    expected_tax REAL,
    leader TEXT NOT NULL DEFAULT '',
    responsible_unit TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    zone TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    stage TEXT NOT NULL DEFAULT '线索',
    stage_changed_on TEXT,
    lead_on TEXT,
    negotiating_on TEXT,
    signed_on TEXT,
    started_on TEXT,
    trial_on TEXT,
    production_on TEXT,
    terminated_on TEXT,
    termination_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT,
    updated_at TEXT
);
CREATE INDEX idx_projects_stage ON projects(stage);
CREATE INDEX idx_projects_signed_on ON projects(signed_on);
CREATE INDEX idx_projects_started_on ON projects(started_on);
CREATE INDEX idx_projects_production_on ON projects(production_on);
CREATE TABLE project_stage_history (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    stage TEXT NOT NULL,
    changed_on TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    recorded_at TEXT
);
CREATE INDEX idx_stage_history_project ON project_stage_history(project_id, changed_on);
CREATE TABLE dispatch_records (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    invested_month REAL,
    invested_to_date REAL,
    progress TEXT NOT NULL DEFAULT '',
    approval_project TEXT NOT NULL DEFAULT '',
    approval_eia TEXT NOT NULL DEFAULT '',
    approval_land TEXT NOT NULL DEFAULT '',
    approval_planning TEXT NOT NULL DEFAULT '',
    approval_construction TEXT NOT NULL DEFAULT '',
    in_statistics INTEGER NOT NULL DEFAULT 0,
    next_steps TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    updated_at TEXT,
    UNIQUE (project_id, year, month)
);
CREATE INDEX idx_dispatch_period ON dispatch_records(year, month);
CREATE TABLE project_problems (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    dispatch_id INTEGER REFERENCES dispatch_records(id) ON DELETE SET NULL,
    raised_on TEXT,
    description TEXT NOT NULL,
    responsible_unit TEXT NOT NULL DEFAULT '',
    deadline TEXT,
    resolved INTEGER NOT NULL DEFAULT 0,
    resolved_on TEXT,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX idx_problems_project ON project_problems(project_id);
CREATE INDEX idx_problems_open ON project_problems(resolved, deadline);
CREATE TABLE project_nodes (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    planned_on TEXT,
    actual_on TEXT,
    sort_order INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX idx_nodes_project ON project_nodes(project_id);
CREATE INDEX idx_nodes_planned ON project_nodes(actual_on, planned_on);
CREATE TABLE activities (
    id INTEGER PRIMARY KEY,
    held_on TEXT NOT NULL,
    activity_type TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    leader TEXT NOT NULL DEFAULT '',
    days INTEGER NOT NULL DEFAULT 1 CHECK (days >= 0),
    companies_visited INTEGER NOT NULL DEFAULT 0 CHECK (companies_visited >= 0),
    delegations_received INTEGER NOT NULL DEFAULT 0 CHECK (delegations_received >= 0),
    leads_collected INTEGER NOT NULL DEFAULT 0 CHECK (leads_collected >= 0),
    companies TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX idx_activities_held_on ON activities(held_on);
CREATE TABLE activity_projects (
    id INTEGER PRIMARY KEY,
    activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    UNIQUE (activity_id, project_id)
);
CREATE INDEX idx_activity_projects_project ON activity_projects(project_id);
CREATE TABLE plan_sections (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX idx_plan_sections_year ON plan_sections(year, sort_order);
CREATE TABLE plan_items (
    id INTEGER PRIMARY KEY,
    section_id INTEGER NOT NULL REFERENCES plan_sections(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    content TEXT NOT NULL DEFAULT '',
    target_text TEXT NOT NULL DEFAULT '',
    target_kind TEXT CHECK (target_kind IS NULL OR target_kind IN ('indicator', 'project_stat')),
    target_indicator_id INTEGER REFERENCES indicators(id),
    target_stat TEXT,
    target_value REAL,
    owner_department TEXT NOT NULL DEFAULT '',
    leader TEXT NOT NULL DEFAULT '',
    deadline TEXT,
    status TEXT NOT NULL DEFAULT '未开始' CHECK (status IN ('未开始', '推进中', '已完成', '滞后')),
    progress_pct REAL CHECK (progress_pct IS NULL OR (progress_pct >= 0 AND progress_pct <= 100)),
    sort_order INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT
);
CREATE INDEX idx_plan_items_section ON plan_items(section_id, sort_order);
CREATE INDEX idx_plan_items_indicator ON plan_items(target_indicator_id);
CREATE TABLE plan_progress_notes (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES plan_items(id) ON DELETE CASCADE,
    noted_on TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX idx_plan_notes_item ON plan_progress_notes(item_id, noted_on);
CREATE TABLE report_blocks (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    through_month INTEGER NOT NULL CHECK (through_month BETWEEN 1 AND 12),
    key TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'paragraph',
    level INTEGER NOT NULL DEFAULT 0,
    text TEXT NOT NULL DEFAULT '',
    base_draft TEXT NOT NULL DEFAULT '',
    edited INTEGER NOT NULL DEFAULT 0,
    removed INTEGER NOT NULL DEFAULT 0,
    custom INTEGER NOT NULL DEFAULT 0,
    parent_key TEXT,
    sort_order INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT,
    UNIQUE (year, through_month, key)
);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user TEXT NOT NULL DEFAULT '',
    table_name TEXT NOT NULL,
    record_id INTEGER,
    action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    field TEXT,
    old_value,
    new_value
);
CREATE INDEX idx_audit_at ON audit_log(at);
CREATE INDEX idx_audit_record ON audit_log(table_name, record_id)
"""

AUDITED_TABLES = (
    "park_profile",
    "settings",
    "indicators",
    "indicator_aliases",
    "indicator_values",
    "indicator_years",
    "projects",
    "project_stage_history",
    "dispatch_records",
    "project_problems",
    "project_nodes",
    "activities",
    "activity_projects",
    "plan_sections",
    "plan_items",
    "plan_progress_notes",
    "report_blocks",
)


@migrations()
def m001_initial_schema(db: Database) -> None:
    """Every domain of the design: park, indicators, projects, plans, report, audit."""
    _run(db, SCHEMA_001)
    db.execute("INSERT INTO park_profile (id) VALUES (1)")
    for order, ind in enumerate(catalog.BUILTIN_INDICATORS, start=1):
        cur = db.execute(
            """INSERT INTO indicators (name, unit, category, kind, decimals, direction,
                   nominal_growth, min_value, max_value, description, sort_order, builtin)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)""",
            [
                ind.name, ind.unit, ind.category, ind.kind, ind.decimals, ind.direction,
                int(ind.nominal_growth), ind.min_value, ind.max_value, ind.description,
                order * 10,
            ],
        )
        for alias in ind.aliases:
            db.execute(
                "INSERT INTO indicator_aliases (indicator_id, alias) VALUES (?, ?)",
                [cur.lastrowid, alias],
            )
    db.execute(
        "INSERT INTO settings (key, value) VALUES ('schema_note', ?)",
        [json.dumps("created by ParkDesk", ensure_ascii=False)],
    )
    for table in AUDITED_TABLES:
        install_audit_triggers(db, table)


@migrations()
def m090_speed_indexes(db: Database) -> None:
    """Indexes for a large park: the period's investment (covering), stalled projects, problems by dispatch."""
    _run(db, """
CREATE INDEX IF NOT EXISTS idx_dispatch_period_invested ON dispatch_records(year, month, invested_month);
DROP INDEX IF EXISTS idx_dispatch_period;
CREATE INDEX IF NOT EXISTS idx_projects_stage_changed ON projects(stage, stage_changed_on);
DROP INDEX IF EXISTS idx_projects_stage;
CREATE INDEX IF NOT EXISTS idx_problems_dispatch ON project_problems(dispatch_id)
""")


KNOWN_MIGRATIONS = migrations.names
