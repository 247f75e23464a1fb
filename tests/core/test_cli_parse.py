"""main.py's command line: the GUI's options parse as with the full parser, without
building the subcommands; everything else still meets the full parser."""

from __future__ import annotations

import pytest

from parkdesk import cli


@pytest.mark.parametrize("argv", [
    [],
    ["--db", "园区.db"],
    ["--db=园区.db", "--year", "2025", "--month", "6"],
    ["--screenshot", "out.png", "--tab", "projects", "--db", "d.db"],
    ["--tab=report", "--screenshot=x.png"],
])
def test_window_options_parse_as_with_the_full_parser(argv):
    assert cli._names_command(argv) is False
    assert vars(cli.parse_args(argv)) == vars(cli.build_parser().parse_args(argv))
    assert cli.parse_args(argv).command is None


@pytest.mark.parametrize("argv", [
    ["summary", "--year", "2026", "--through", "3"],
    ["--db", "d.db", "report", "--year", "2026", "--through", "12"],
    ["--scr", "x.png"],  # an abbreviation argparse accepts
    ["--version"],
    ["-h"],
    ["--db"],  # value missing
    ["--year", "--db", "d.db"],
    ["--"],
    ["stray"],
])
def test_other_lines_get_the_full_parser(argv):
    assert cli._names_command(argv) is True


def test_abbreviation_still_works():
    args = cli.parse_args(["--scr", "x.png"])
    assert args.screenshot == "x.png" and args.command is None


def test_commands_still_parse():
    args = cli.parse_args(["summary", "--db", "d.db", "--year", "2026", "--through", "3"])
    assert args.command == "summary" and args.through == 3 and args.handler is cli.cmd_summary


@pytest.mark.parametrize("argv, words", [
    (["--year", "1800"], "1800"),
    (["--tab", "charts"], "charts"),
    (["--db"], "--db"),
    (["nonsense"], "nonsense"),
])
def test_errors_are_reported_by_argparse(argv, words, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.parse_args(argv)
    assert exc.value.code == 2
    assert words in capsys.readouterr().err


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit):
        cli.parse_args(["--help"])
    out = capsys.readouterr().out
    for command in ("demo", "import", "report", "summary"):
        assert command in out
