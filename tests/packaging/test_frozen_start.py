"""What main.py does for the frozen app before anything else: the Windows console and a UTF-8 locale."""

from __future__ import annotations

import sys

import pytest

import main


@pytest.mark.parametrize(("argv", "console"), [
    ([], False),
    (["--db", "D:/园区/park.db"], False),
    (["--db=park.db", "--year", "2026", "--month", "10", "--tab", "report"], False),
    (["--version"], True),
    (["-h"], True),
    (["demo", "--db", "d.db"], True),
    (["--db", "d.db", "summary", "--year", "2026", "--through", "10"], True),
    (["--db", "d.db", "--screenshot", "shot.png"], True),
    (["--bogus"], True),  # argparse's error message must be seen
    (["--year", "2026", "--db"], True),  # --db without its value: an error to show
    (["--db", "demo"], False),  # a database file named like a command is still only a window option
    (["--year", "abc"], True),  # refused by argparse: its message must be seen
])
def test_console_is_wanted_for_commands_not_for_opening_the_window(argv, console):
    """Commands, --version/--help, --screenshot and errors print; a plain (or --db/--year) start does not."""
    assert main.wants_console(argv) is console


def test_attach_console_is_a_no_op_off_windows_and_unfrozen(monkeypatch):
    """Off Windows, or running from source, the streams are left alone."""
    stdout, stderr = sys.stdout, sys.stderr
    assert main.attach_parent_console() is False
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert main.attach_parent_console() is False  # frozen, but not Windows
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.delattr(sys, "frozen")
    assert main.attach_parent_console() is False  # Windows, but from source: python.exe has a console
    assert sys.stdout is stdout and sys.stderr is stderr


def test_main_attaches_the_console_for_commands_only(monkeypatch, tmp_path, capsys):
    """main() asks for the parent console before --version or a command, never for a plain GUI start."""
    calls = []
    monkeypatch.setattr(main, "attach_parent_console", lambda: calls.append("attach") or False)
    with pytest.raises(SystemExit):
        main.main(["--version"])
    assert calls == ["attach"] and "ParkDesk" in capsys.readouterr().out
    assert main.main(["demo", "--db", str(tmp_path / "d.db"), "--as-of", "2026-11-22"]) == 0
    assert calls == ["attach", "attach"]

    import ui.app

    monkeypatch.setattr(ui.app, "run_gui", lambda args: 0)
    assert main.main(["--db", str(tmp_path / "d.db")]) == 0
    assert calls == ["attach", "attach"]


@pytest.mark.parametrize(("env", "expected"), [
    ({}, {"LC_CTYPE": "C.UTF-8"}),
    ({"LANG": "C"}, {"LANG": "C", "LC_CTYPE": "C.UTF-8"}),
    ({"LC_ALL": "POSIX"}, {"LC_ALL": "C.UTF-8"}),
    ({"LANG": "zh_CN.UTF-8"}, {"LANG": "zh_CN.UTF-8"}),
    ({"LC_ALL": "zh_CN.GB18030"}, {"LC_ALL": "zh_CN.GB18030"}),  # a chosen locale is left alone
    ({"LC_CTYPE": "C.UTF-8", "LANG": "C"}, {"LC_CTYPE": "C.UTF-8", "LANG": "C"}),
])
def test_c_locale_becomes_c_utf8_on_linux(env, expected):
    """Under the C locale (env -i) Qt gets C.UTF-8 and no 'Detected locale C' warning; set locales stay."""
    main.use_utf8_locale(env, platform="linux")
    assert env == expected


def test_locale_is_left_alone_on_windows():
    """Windows has no C locale to fix."""
    env = {}
    main.use_utf8_locale(env, platform="win32")
    assert env == {}


class _Kernel32:
    """A stand-in for kernel32 recording AttachConsole calls."""

    def __init__(self, attached: bool):
        self.attached = attached
        self.calls = []

        class _Function:
            argtypes = None

            def __call__(inner, pid):
                self.calls.append(pid)
                return int(self.attached)

        self.AttachConsole = _Function()


@pytest.mark.parametrize("attached", [True, False])
def test_frozen_windows_run_writes_to_the_parent_console(monkeypatch, tmp_path, attached):
    """Frozen on Windows: AttachConsole(ATTACH_PARENT_PROCESS), then missing streams go to CONOUT$, kept ones stay."""
    import ctypes

    kernel32 = _Kernel32(attached)
    monkeypatch.setattr(ctypes, "WinDLL", lambda name, **kw: kernel32, raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.chdir(tmp_path)  # on Linux "CONOUT$" is an ordinary file name
    kept = open(tmp_path / "redirected.txt", "w", encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", None)  # a windowed exe has no stdout ...
    monkeypatch.setattr(sys, "stderr", kept)  # ... unless the caller redirected it
    try:
        assert main.attach_parent_console() is attached
        assert kernel32.calls == [0xFFFFFFFF]
        assert sys.stderr is kept
        if attached:
            print("已创建演示数据库")
            sys.stdout.close()
            assert (tmp_path / "CONOUT$").read_text(encoding="utf-8") == "已创建演示数据库\n"
        else:
            assert sys.stdout is None
    finally:
        kept.close()
