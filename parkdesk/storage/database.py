"""The connection wrapper every manager writes through.

ParkDesk uses the handful of sqlite-utils ``Database`` methods that matter for
its hand-written SQL — ``execute`` (a write outside a transaction commits at
once, a failed one leaves no transaction behind), ``atomic`` (nested blocks
become savepoints), ``rollback`` and ``table_names`` — with the same
semantics, but without importing sqlite-utils, which pulls in click, pluggy and
dateutil (~0.1 s) on every start. Opening an existing, up-to-date database
therefore imports only :mod:`sqlite3`. :meth:`Database.sqlite_utils` gives the
real sqlite-utils object on the same connection where its table API is wanted
(the schema migrations); ``tests/core/test_database.py`` runs the same checks
against both classes.
"""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
from typing import Any, Iterator, Sequence

# Statements that open or close transactions themselves: never auto-committed.
_TRANSACTION_CONTROL = frozenset({"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"})
_savepoint_ids = itertools.count(1)


def first_keyword(sql: str) -> str:
    """The statement's first keyword, upper-cased, after blanks, ``;`` and comments."""
    i, n = 0, len(sql)
    while i < n:
        if sql[i].isspace() or sql[i] in (";", "\ufeff"):
            i += 1
        elif sql.startswith("--", i):
            newline = sql.find("\n", i)
            if newline == -1:
                return ""
            i = newline + 1
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            if end == -1:
                return ""
            i = end + 2
        else:
            break
    j = i
    while j < n and (sql[j].isalpha() or sql[j] == "_"):
        j += 1
    return sql[i:j].upper()


class Database:
    """An open ``sqlite3`` connection with sqlite-utils' transaction semantics."""

    def __init__(self, conn: sqlite3.Connection, *, recursive_triggers: bool = True):
        self.conn = conn
        if recursive_triggers:
            self.execute("PRAGMA recursive_triggers=on;")

    def execute(self, sql: str, parameters: Sequence | dict[str, Any] | None = None) -> sqlite3.Cursor:
        """Run one statement; a write outside a transaction is committed at once."""
        was_in_transaction = self.conn.in_transaction
        try:
            if parameters is not None:
                cursor = self.conn.execute(sql, parameters)
            else:
                cursor = self.conn.execute(sql)
        except Exception:
            if not was_in_transaction and self.conn.in_transaction:
                # The failed statement opened an implicit transaction: nothing
                # would ever commit it, and it would swallow later writes.
                self.conn.execute("ROLLBACK")
            raise
        if (not was_in_transaction and self.conn.in_transaction and cursor.description is None
                and first_keyword(sql) not in _TRANSACTION_CONTROL):
            self.conn.execute("COMMIT")
        return cursor

    @contextlib.contextmanager
    def atomic(self) -> Iterator["Database"]:
        """One transaction; a nested block is a savepoint inside it."""
        if self.conn.in_transaction:
            savepoint = f"parkdesk_sp_{next(_savepoint_ids)}"
            self.conn.execute(f"SAVEPOINT {savepoint}")
            try:
                yield self
            except BaseException:
                # A RAISE(ROLLBACK) trigger can end the whole transaction,
                # savepoints included: then there is nothing to roll back to.
                if self.conn.in_transaction:
                    self.conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    self.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
                raise
            else:
                self.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
        else:
            self.conn.execute("BEGIN")
            try:
                yield self
            except BaseException:
                self.rollback()
                raise
            else:
                try:
                    self.conn.execute("COMMIT")
                except BaseException:
                    self.rollback()
                    raise

    def rollback(self) -> None:
        """Roll back the open transaction, if any."""
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def table_names(self) -> list[str]:
        """Names of the tables in the main schema."""
        return [r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]

    def sqlite_utils(self):
        """sqlite-utils' own ``Database`` on this connection (imports sqlite-utils)."""
        from .. import _import_sqlite_utils

        _import_sqlite_utils()
        import sqlite_utils

        return sqlite_utils.Database(self.conn, execute_plugins=False, recursive_triggers=False)


__all__ = ["Database", "first_keyword"]
