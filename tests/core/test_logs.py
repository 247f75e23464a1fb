"""The log file: written on the first record, rotated at its size limit."""

from __future__ import annotations

import logging
import sys

import pytest

import parkdesk.logs as logs


@pytest.fixture
def log_setup(parkdesk_home, monkeypatch):
    monkeypatch.setattr(logs, "_configured", None)
    monkeypatch.setattr(logs, "_handler", None)
    yield parkdesk_home
    for name in ("parkdesk", "ui"):
        logging.getLogger(name).removeHandler(logs._handler)
    if logs._handler is not None:
        logs._handler.close()


def test_nothing_logged_creates_no_file(log_setup):
    path = logs.setup_file_logging()
    assert path == log_setup / "logs" / "parkdesk.log"
    assert not path.exists()


def test_records_of_both_loggers_are_written(log_setup):
    path = logs.setup_file_logging()
    logging.getLogger("parkdesk.backups").info("备份完成 %s", "a.db")
    logging.getLogger("ui").warning("窗口提示")
    logging.getLogger("parkdesk").debug("not at INFO level")
    logs._handler.flush()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("INFO parkdesk.backups: 备份完成 a.db")
    assert lines[1].endswith("WARNING ui: 窗口提示")


def test_file_is_rotated_at_its_size_limit(log_setup, monkeypatch):
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    path = logs.setup_file_logging()
    log = logging.getLogger("parkdesk.test")
    for n in range(200):
        log.info("第%d条记录 %s", n, "x" * 40)
    logs._handler.flush()
    rotated = sorted(p.name for p in path.parent.glob("parkdesk.log.*"))
    assert rotated == [f"parkdesk.log.{n}" for n in range(1, logs.BACKUP_COUNT + 1)]
    assert path.stat().st_size <= 2_000
    assert "第199条记录" in path.read_text(encoding="utf-8")


def test_setup_again_after_the_home_moved(log_setup, tmp_path, monkeypatch):
    first = logs.setup_file_logging()
    monkeypatch.setenv("PARKDESK_HOME", str(tmp_path / "elsewhere"))
    second = logs.setup_file_logging()
    assert second != first and second.parent.is_dir()
    logging.getLogger("ui").error("移动后")
    logs._handler.flush()
    assert "移动后" in second.read_text(encoding="utf-8")
    assert not first.exists()


def test_handlers_module_imported_only_when_writing(log_setup, monkeypatch):
    monkeypatch.delitem(sys.modules, "logging.handlers", raising=False)
    logs.setup_file_logging()
    assert "logging.handlers" not in sys.modules
    logging.getLogger("parkdesk").warning("写入")
    assert "logging.handlers" in sys.modules


def test_an_unwritable_log_is_dropped_quietly(log_setup, capsys):
    """A log file that cannot be written (here a folder in its place) prints no traceback,
    neither for the first record nor for later ones, and the caller goes on."""
    path = logs.setup_file_logging()
    path.mkdir()
    log = logging.getLogger("parkdesk.test")
    log.warning("第一条")
    log.error("第二条")
    err = capsys.readouterr().err
    assert "Logging error" not in err and "Traceback" not in err


def test_a_record_that_cannot_be_formatted_loses_only_itself(log_setup, capsys):
    """A faulty log call (a format that does not fit its arguments) does not switch the log off:
    the records after it are written."""
    path = logs.setup_file_logging()
    log = logging.getLogger("parkdesk.test")
    # Straight to the file's handler (pytest's own capture handler raises on such a record).
    logs._handler.handle(log.makeRecord("parkdesk.test", logging.INFO, __file__, 1, "数量 %d", ("不是数字",), None))
    log.error("之后的记录")
    logs._handler.flush()
    assert "之后的记录" in path.read_text(encoding="utf-8")
    assert "Traceback" not in capsys.readouterr().err
