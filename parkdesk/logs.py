"""A rotating log file in the user data folder (details of unexpected errors)."""

from __future__ import annotations

import logging
from pathlib import Path

from .paths import log_dir

_configured: Path | None = None
_handler: logging.Handler | None = None

MAX_BYTES = 1_000_000  # a log file is rotated at this size …
BACKUP_COUNT = 5  # … keeping this many older ones (parkdesk.log.1 … .5)


class _LogFile(logging.Handler):
    """``logging.handlers.RotatingFileHandler`` made on the first record.

    Most sessions log nothing, and importing ``logging.handlers`` (with socket,
    pickle and queue) is ~8 ms of every start-up; the file is not touched either
    until there is something to write.
    """

    def __init__(self, path: Path):
        super().__init__()
        self.path = path
        self._target: logging.Handler | None = None
        self._broken = False  # the file could not be written: records are dropped quietly

    def emit(self, record: logging.LogRecord) -> None:
        # Handler.handle holds self.lock here: the target is made once.
        if self._broken:
            return
        if self._target is None:
            import logging.handlers

            self._target = logging.handlers.RotatingFileHandler(
                self.path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True)
            self._target.setFormatter(self.formatter)
            self._target.handleError = self._give_up  # no "--- Logging error ---" on stderr per record
        self._target.handle(record)

    def _give_up(self, record) -> None:
        # An unwritable log (a read-only or full disk, a folder in its place) must not
        # disturb the clerk's work or print tracebacks: logging stops for this session.
        # Any other failure (a record that cannot be formatted) loses that record only.
        import sys

        if isinstance(sys.exc_info()[1], OSError):
            self._broken = True

    def flush(self) -> None:
        if self._target is not None:
            self._target.flush()

    def close(self) -> None:
        if self._target is not None:
            self._target.close()
        super().close()


def setup_file_logging(level: int = logging.INFO) -> Path:
    """Send the ``parkdesk`` and ``ui`` loggers to ``logs/parkdesk.log``.

    Called again after the user data folder changed (``PARKDESK_HOME``), it
    moves the log there.
    """
    global _configured, _handler
    path = log_dir() / "parkdesk.log"
    if _configured == path:
        return path
    handler = _LogFile(path)
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
