"""Where ParkDesk keeps its files on this machine (no Qt: the CLI uses it too)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

_APP_DIR = "ParkDesk"


def user_data_dir() -> Path:
    """Return the per-user data folder, creating it if needed.

    ``PARKDESK_HOME`` overrides it (tests, portable installs).
    """
    override = os.environ.get("PARKDESK_HOME")
    if override:
        base = Path(override)
    elif sys.platform == "win32":
        root = os.environ.get("LOCALAPPDATA") or os.environ.get("APPDATA") or str(Path.home())
        base = Path(root) / _APP_DIR
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support" / _APP_DIR
    else:
        root = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        base = Path(root) / _APP_DIR
    base.mkdir(parents=True, exist_ok=True)
    return base


def default_database_path() -> Path:
    """The database opened when no ``--db`` is given."""
    return user_data_dir() / "park.db"


def demo_database_path() -> Path:
    """Where the GUI creates the demo park when the clerk asks for it."""
    return user_data_dir() / "demo.db"


def log_dir() -> Path:
    path = user_data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path
