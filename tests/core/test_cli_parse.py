"""main.py's command line: a line that only opens the window is read without argparse
into the same fields the full parser gives; every other line meets the full parser."""

from __future__ import annotations

import sys

import pytest

import main
from parkdesk.cli import build_parser
from parkdesk.window_args import read_window_args


@pytest.mark.parametrize("argv", [
    [],
    ["--db", "园区.db"],
    ["--db=园区.db", "--year", "2025", "--month", "6"],
    ["--screenshot", "out.png", "--tab", "projects", "--db", "d.db"],
    ["--tab=report", "--screenshot=x.png"],
    ["--year", " 2024 ", "--month=12"],  # int() takes the spaces, as argparse's type does
    ["--db", "a.db", "--db", "b.db"],  # the last one wins
    ["--year", "2024", "--year", "2025"],
])
def test_window_lines_read_as_the_full_parser_reads_them(argv):
    args = read_window_args(argv)
    assert args is not None
    assert vars(args) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", [
    ["summary", "--year", "2026", "--through", "3"],
    ["--db", "d.db", "report", "--year", "2026", "--through", "12"],
    ["--scr", "x.png"],  # an abbreviation argparse accepts
    ["--version"],
    ["-h"],
    ["--db"],  # value missing
    ["--year", "--db", "d.db"],
    ["--year", "1800"],
    ["--month", "十"],
    ["--tab", "charts"],
    ["--db="],
    ["--db", " "],  # a blank name, refused by the full parser as empty
    ["--db=\t"],
    ["--year", "abc", "--year", "2025"],  # argparse refuses a bad value even when given again
    ["--tab", "bogus", "--tab", "report"],
    ["--month", "13", "--month=3"],
    ["--"],
    ["stray"],
])
def test_other_lines_are_left_to_the_full_parser(argv):
    assert read_window_args(argv) is None


@pytest.mark.parametrize("argv, words", [
    (["--year", "1800"], "年份超出范围"),
    (["--month", "13"], "月份应为 1—12"),
    (["--tab", "charts"], "charts"),
    (["--db"], "--db"),
    (["--db="], "不能为空"),
    (["--db", " "], "不能为空"),
    (["summary", "--db=", "--year", "2026", "--through", "3"], "不能为空"),
    (["--year", "abc", "--year", "2025"], "年份应为数字"),
    (["nonsense"], "nonsense"),
])
def test_bad_lines_are_reported_by_the_full_parser(argv, words, capsys, monkeypatch):
    import ui.app

    def started(_args):  # a line let through would open the window (and wait for the clerk)
        raise AssertionError("the window was started")

    monkeypatch.setattr(ui.app, "run_gui", started)
    with pytest.raises(SystemExit) as exc:
        main.main(argv)
    assert exc.value.code == 2
    assert words in capsys.readouterr().err


def test_window_line_starts_the_gui_without_argparse(monkeypatch):
    import ui.app

    seen = []
    monkeypatch.setattr(ui.app, "run_gui", lambda args: seen.append(args) or 0)
    monkeypatch.delitem(sys.modules, "parkdesk.cli", raising=False)
    assert main.main(["--db", "d.db", "--year", "2025"]) == 0
    assert seen[0].db == "d.db" and seen[0].year == 2025 and seen[0].tab == "indicators"
    assert "parkdesk.cli" not in sys.modules


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit):
        main.main(["--help"])
    out = capsys.readouterr().out
    for command in ("demo", "import", "report", "summary"):
        assert command in out
