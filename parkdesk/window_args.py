"""The command line that only opens the window, read without argparse.

``main.py --db 园区.db --year 2025`` — how the GUI is started, from a shortcut or a
menu entry — needs none of the subcommands; building the full parser (argparse,
gettext, shutil and every subcommand) is ~12 ms of each start-up. A line made of
nothing but the window's options, each with a value, is read here into the same
fields the full parser gives it; anything else — a command, --help, --version, an
abbreviation, a value the options refuse — returns None and gets the full parser
(``parkdesk.cli.build_parser``), with its messages.
"""

from __future__ import annotations

from types import SimpleNamespace

TABS = ("indicators", "projects", "plans", "report")
DEFAULTS = {"db": None, "screenshot": None, "tab": "indicators", "year": None, "month": None}
# The options of main.py itself that take a value, by the field they fill.
WINDOW_OPTIONS = {f"--{name}": name for name in DEFAULTS}


def _whole_number(text: str, low: int, high: int, not_a_number: str, out_of_range: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{not_a_number}：{text!r}") from None
    if not low <= value <= high:
        raise ValueError(f"{out_of_range}：{value}")
    return value


YEARS = (1949, 2200)  # the years the command line and the window's year box take


def year_value(text: str) -> int:
    """A year given on the command line; ValueError with the message otherwise."""
    return _whole_number(text, *YEARS, "年份应为数字", "年份超出范围")


def month_value(text: str) -> int:
    """A month (1—12) given on the command line; ValueError with the message otherwise."""
    return _whole_number(text, 1, 12, "月份应为 1—12 的数字", "月份应为 1—12")


def read_window_args(argv: list[str]) -> SimpleNamespace | None:
    """The fields of a window-only command line, or None for any other line."""
    readers = {"tab": lambda text: text if text in TABS else None, "year": year_value, "month": month_value}
    values = dict(DEFAULTS)
    i = 0
    while i < len(argv):
        option, has_value, value = argv[i].partition("=")
        name = WINDOW_OPTIONS.get(option)
        if name is None:
            return None
        if not has_value:
            if i + 1 == len(argv) or argv[i + 1].startswith("-"):
                return None  # a value missing, or one argparse would take for an option
            value = argv[i + 1]
        i += 1 if has_value else 2
        if name == "db" and not value.strip():
            return None  # --db= (or a blank name) names no file: the full parser says so
        # Each value is read as it comes, as argparse does (a bad one refuses the line
        # even when the option is given again); given twice, the last one counts.
        try:
            value = readers[name](value) if name in readers else value
        except ValueError:
            return None
        if value is None:
            return None
        values[name] = value
    return SimpleNamespace(**values, command=None)
