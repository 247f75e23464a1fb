"""Choosing the database at start."""

from __future__ import annotations

from argparse import Namespace

from PySide6.QtCore import QSettings

from ui.startup import FirstRunDialog, choose_database


def test_non_interactive_start_creates_default_database(parkdesk_home):
    """Without --db and without a last database, the default file in the data folder is used."""
    desk = choose_database(Namespace(db=None), interactive=False)
    try:
        assert desk.path == parkdesk_home / "park.db"
        assert desk.created
    finally:
        desk.close()


def test_first_run_offers_demo(parkdesk_home, monkeypatch):
    """On first start the clerk can choose the demo park, which is created once."""
    monkeypatch.setattr(FirstRunDialog, "exec", lambda self: (setattr(self, "choice", FirstRunDialog.DEMO), 1)[1])
    desk = choose_database(Namespace(db=None), interactive=True)
    try:
        assert desk.path == parkdesk_home / "demo.db"
        assert desk.projects.count() >= 60
        assert QSettings().value("database/last") == str(desk.path.resolve())
    finally:
        desk.close()
    # next start opens the last database without asking
    monkeypatch.setattr(FirstRunDialog, "exec", lambda self: (_ for _ in ()).throw(AssertionError("asked again")))
    again = choose_database(Namespace(db=None), interactive=True)
    assert again.path == parkdesk_home / "demo.db"
    again.close()


def test_first_run_cancel_returns_none(monkeypatch):
    """Cancelling the first-run dialog starts nothing."""
    monkeypatch.setattr(FirstRunDialog, "exec", lambda self: 0)
    assert choose_database(Namespace(db=None), interactive=True) is None
