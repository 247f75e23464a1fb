"""ParkDesk (园区工作台): parse the arguments, then start the GUI or run a command."""

import os
import sys


def wants_console(argv) -> bool:
    """Whether a command line asks for printed output: anything but a plain window start
    (a command, --version, --help, --screenshot, or a line argparse will refuse)."""
    from parkdesk.window_args import read_window_args

    args = read_window_args(list(argv))
    return args is None or args.screenshot is not None


def attach_parent_console() -> bool:
    """Frozen on Windows (a windowed exe): print to the console the program was started from.

    parkdesk.exe has no console of its own, so without this ``--version`` and the
    commands print nothing in cmd.exe or PowerShell. Streams the caller redirected to a
    file or pipe stay as they are. No effect elsewhere or when started from Explorer.
    """
    if sys.platform != "win32" or not getattr(sys, "frozen", False):
        return False
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.AttachConsole.argtypes = [wintypes.DWORD]
    if not kernel32.AttachConsole(0xFFFFFFFF):  # ATTACH_PARENT_PROCESS; fails without a parent console
        return False
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        try:
            usable = stream is not None and stream.fileno() >= 0
        except (OSError, ValueError, AttributeError):
            usable = False
        if not usable:
            # CONOUT$ opens as a console stream (WriteConsoleW): Chinese shows in any code page.
            setattr(sys, name, open("CONOUT$", "w", encoding="utf-8", errors="replace", buffering=1))
    return True


def use_utf8_locale(environ=os.environ, platform: str = sys.platform) -> None:
    """Under the C/POSIX locale (e.g. ``env -i``) ask for C.UTF-8: Qt needs UTF-8 and warns otherwise."""
    if not platform.startswith("linux"):
        return
    if environ.get("LC_ALL"):
        if environ["LC_ALL"] in ("C", "POSIX"):
            environ["LC_ALL"] = "C.UTF-8"
    elif (environ.get("LC_CTYPE") or environ.get("LANG") or "C") in ("C", "POSIX"):
        environ["LC_CTYPE"] = "C.UTF-8"


def main(argv=None) -> int:
    from parkdesk.window_args import read_window_args

    argv = sys.argv[1:] if argv is None else list(argv)
    if wants_console(argv):
        attach_parent_console()
    use_utf8_locale()
    # Opening the window needs no argparse (parkdesk/window_args.py); all else gets the full parser.
    args = read_window_args(argv)
    if args is None:
        from parkdesk.cli import build_parser

        args = build_parser().parse_args(argv)
    if args.command is None:
        from ui.app import run_gui

        return run_gui(args)
    if args.command == "report" and getattr(args, "pdf", None):
        from ui.report.pdf import install  # the core draws PDF through the Qt renderer

        install()
    from parkdesk.cli import run_command

    return run_command(args)


def exit_now(code: int):
    """Leave without the interpreter's final garbage-collection walks over every object
    loaded (~20 ms after the window, more after a report): what is left is released with
    the process. The database, its lock and files are closed before this; the exit
    handlers (the log's flush, Qt's clean-up) still run."""
    import gc

    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    exit_now(main())
