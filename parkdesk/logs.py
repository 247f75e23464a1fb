"""A rotating log file in the user data folder (details of unexpected errors)."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from .paths import log_dir

_configured: Path | None = None


def setup_file_logging(level: int = logging.INFO) -> Path:
    """Send the ``parkdesk`` and ``ui`` loggers to ``logs/parkdesk.log`` (once)."""
    global _configured
    if _configured is not None:
        return _configured
    path = log_dir() / "parkdesk.log"
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in ("parkdesk", "ui"):
        logger = logging.getLogger(name)
        logger.setLevel(level)
        logger.addHandler(handler)
    _configured = path
    return path


def log_path() -> Path:
    return log_dir() / "parkdesk.log"
