"""A rotating log file in the user data folder (details of unexpected errors)."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from .paths import log_dir

_configured: Path | None = None
_handler: logging.Handler | None = None


def setup_file_logging(level: int = logging.INFO) -> Path:
    """Send the ``parkdesk`` and ``ui`` loggers to ``logs/parkdesk.log``.

    Called again after the user data folder changed (``PARKDESK_HOME``), it
    moves the log there.
    """
    global _configured, _handler
    path = log_dir() / "parkdesk.log"
    if _configured == path:
        return path
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8",
                                                   delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in ("parkdesk", "ui"):
        logger = logging.getLogger(name)
        logger.setLevel(level)
        if _handler is not None:
            logger.removeHandler(_handler)
        logger.addHandler(handler)
    if _handler is not None:
        _handler.close()
    _handler = handler
    _configured = path
    return path


def log_path() -> Path:
    return log_dir() / "parkdesk.log"
