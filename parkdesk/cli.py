"""The command line: the same core as the GUI, for scripting and for tests.

Every subcommand takes ``--db PATH`` (a path that does not exist yet becomes a
new, empty park database), exits 0 on success and non-zero with a clear
message — never a traceback — on bad input.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import logging
import sys
from pathlib import Path
from typing import Callable

from . import __version__
from .errors import ImportRejected, ParkDeskError
from .window_args import TABS, month_value, year_value

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70

log = logging.getLogger("parkdesk")


class _Parser(argparse.ArgumentParser):
    """argparse that says what went wrong in one line and exits 2."""

    def error(self, message: str):  # pragma: no cover - exercised through main()
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: 参数错误 (bad arguments): {message}\n")


def _year(text: str) -> int:
    try:
        return year_value(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _month(text: str) -> int:
    try:
        return month_value(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _db_file(text: str) -> str:
    # "--db=" (an unset shell variable) must not quietly mean the default database.
    if not text.strip():
        raise argparse.ArgumentTypeError("应为数据库文件路径，不能为空")
    return text


def _date(text: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    """The parser for ``main.py``: GUI options and every subcommand."""
    db_parent = argparse.ArgumentParser(add_help=False)
    db_parent.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, type=_db_file,
                           help="数据库文件 (database file); 不存在时新建")
    parser = _Parser(
        prog="parkdesk",
        description="园区工作台 ParkDesk — 园区经济指标、项目台账、工作计划与年度工作总结",
    )
    parser.add_argument("--version", action="version", version=f"ParkDesk {__version__}")
    parser.add_argument("--db", metavar="PATH", default=None, type=_db_file, help="数据库文件 (database file)")
    parser.add_argument("--screenshot", metavar="FILE.png", help="打开主窗口，保存截图后退出")
    parser.add_argument("--tab", choices=TABS, default="indicators", help="截图时显示的页签")
    parser.add_argument("--year", type=_year, help="打开时选中的年份")
    parser.add_argument("--month", type=_month, help="打开时选中的月份（1—N月）")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("demo", parents=[db_parent], help="创建演示园区数据库 (create the demo park)")
    p.add_argument("--as-of", type=_date, default=None, help="演示数据的参考日期 (default: today)")
    p.add_argument("--scale", choices=("normal", "large"), default="normal", help="数据规模")
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("template", parents=[db_parent], help="生成空白导入模板 (blank import template)")
    p.add_argument("kind", choices=("indicators", "projects", "plans"))
    p.add_argument("--out", required=True, metavar="FILE.xlsx")
    p.set_defaults(handler=cmd_template)

    p = sub.add_parser("import", parents=[db_parent], help="导入 Excel 数据（全部成功或全部不导入）")
    p.add_argument("kind", choices=("indicators", "projects", "plans"))
    p.add_argument("file", metavar="FILE.xlsx")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("export", parents=[db_parent], help="导出某年数据到 Excel")
    p.add_argument("kind", choices=("indicators", "projects", "plans"))
    p.add_argument("--year", type=_year, required=True)
    p.add_argument("--out", required=True, metavar="FILE.xlsx")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("summary", parents=[db_parent], help="报告所用的全部计算结果")
    p.add_argument("--year", type=_year, required=True)
    p.add_argument("--through", type=_month, required=True, metavar="N", help="截至月份 (1—N月)")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(handler=cmd_summary)

    p = sub.add_parser("report", parents=[db_parent], help="生成工作总结 / 情况汇报（Word，可另存 PDF）")
    p.add_argument("--year", type=_year, required=True)
    p.add_argument("--through", type=_month, required=True, metavar="N", help="截至月份 (1—N月; 12 = 年度总结)")
    p.add_argument("--out", metavar="FILE.docx", help="Word 文件")
    p.add_argument("--pdf", metavar="FILE.pdf", help="另存为 PDF 文件")
    p.set_defaults(handler=cmd_report)

    for register in EXTRA_COMMANDS:
        register(sub, db_parent)
    return parser


# Later modules add subcommands here: a function (subparsers, db_parent) -> None.
EXTRA_COMMANDS: list[Callable] = []


def _register_dispatch_sheet(sub, db_parent) -> None:
    p = sub.add_parser("dispatch-sheet", parents=[db_parent], help="导出某月重点项目调度表 (monthly dispatch sheet)")
    p.add_argument("--year", type=_year, required=True)
    p.add_argument("--month", type=_month, required=True)
    p.add_argument("--out", required=True, metavar="FILE.xlsx")
    p.set_defaults(handler=cmd_dispatch_sheet)


EXTRA_COMMANDS.append(_register_dispatch_sheet)


# --- handlers --------------------------------------------------------------------------
def _db_path(args) -> Path:
    from .paths import default_database_path

    return Path(getattr(args, "db", None) or default_database_path()).expanduser()  # as Desk.open reads it


def open_desk(args, *, readonly: bool = False):
    """Open the database named by ``--db`` (created when missing, unless read-only).

    A writable desk is backed up now when it changed since its newest backup,
    and again when it closes; a warning about a network share goes to stderr.
    """
    from .desk import Desk

    desk = Desk.open(_db_path(args), create=not readonly, readonly=readonly)
    if desk.location_warning:
        print(f"警告：{desk.location_warning}", file=sys.stderr)
    if not readonly:
        from .errors import BackupError

        try:
            desk.backups.auto("open")
        except BackupError as exc:
            print(f"警告：{exc.message}", file=sys.stderr)
        desk.backups.auto_on_close = True
    return desk


def open_for_reading(args):
    """Open ``--db`` read-only (no write lock needed); a missing file becomes a
    new database, and a file that needs a schema upgrade is opened for writing."""
    from .errors import ReadOnlyDatabase

    if not _db_path(args).exists():
        return open_desk(args)
    try:
        return open_desk(args, readonly=True)
    except ReadOnlyDatabase:
        return open_desk(args)


def cmd_demo(args) -> int:
    import signal
    import threading

    from .demo import create_demo, describe

    # Ctrl-C is taken at the next step, not inside SQLite (where an interrupt in one of the
    # database's own functions comes out as an internal error): the demo's one transaction is
    # rolled back, and a database file this command made is removed.
    interrupted: list[int] = []

    def progress(step: str, frac: float) -> None:
        if interrupted:
            raise KeyboardInterrupt
        if args.scale == "large":
            print(f"[{frac:4.0%}] {step}", file=sys.stderr)

    path = _db_path(args)
    new = not path.exists()
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, lambda *_: interrupted.append(1)) if in_main else None
    try:
        desk = create_demo(path, as_of=args.as_of, scale=args.scale, progress=progress)
    except KeyboardInterrupt:
        if new:
            for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                file.unlink(missing_ok=True)
        raise
    finally:
        if in_main:
            signal.signal(signal.SIGINT, previous)
    try:
        print(describe(desk))
        print(f"已创建演示数据库：{desk.path}")
    finally:
        desk.close()
    return EXIT_OK


def cmd_template(args) -> int:
    from .exchange import write_template

    _check_output(args.out, ".xlsx", "--out")
    write_template(args.kind, args.out)
    print(f"已生成模板：{args.out}")
    return EXIT_OK


def cmd_import(args) -> int:
    from .exchange import import_file
    from .exchange.workbook import open_workbook

    # A missing, empty or foreign file is refused before the database is opened (or created).
    open_workbook(args.file).close()
    from .backups import list_backups

    # Backups already there (of an earlier file at this path, say) are never discarded below.
    kept = {info.path for info in list_backups(_db_path(args))}
    desk = open_desk(args)
    try:
        message = import_file(desk, args.kind, args.file)
    except BaseException:
        if desk.created:
            _discard_new_database(desk, kept)  # "nothing was changed" then means no new file either
        else:
            desk.close()
        raise
    desk.close()
    print(message)
    return EXIT_OK


def _discard_new_database(desk, kept: set[Path]) -> None:
    """Remove a database this command created, and the backups made of it meanwhile
    (not those in ``kept``, which were there before)."""
    import contextlib

    desk.backups.auto_on_close = False
    backups = [info.path for info in desk.backups.list() if info.path not in kept]
    path = desk.path
    desk.close()
    for file in [*backups, path, Path(f"{path}-wal"), Path(f"{path}-shm")]:
        with contextlib.suppress(OSError):
            file.unlink()


def cmd_export(args) -> int:
    from .exchange import export

    _check_output(args.out, ".xlsx", "--out")
    with open_for_reading(args) as desk:
        export(desk, args.kind, args.year, args.out)
    print(f"已导出：{args.out}")
    return EXIT_OK


def cmd_summary(args) -> int:
    from .summary import build_summary, summary_text

    with open_for_reading(args) as desk:
        data = build_summary(desk, args.year, args.through)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(summary_text(data))
    return EXIT_OK


def _check_output(path: str | None, suffix: str, option: str) -> Path | None:
    """Refuse an output path with the wrong extension or in a missing folder, before any work."""
    if not path:
        return None
    from .fileio import ExportError

    target = Path(path).expanduser()
    if target.suffix.lower() != suffix:
        raise ExportError(f"{option} 的文件名应以 {suffix} 结尾：{path}")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"保存位置“{folder}”不存在。")
    if target.is_dir():
        raise ExportError(f"“{target}”是一个文件夹，请给出文件名。")
    return target


def cmd_report(args) -> int:
    from .report import get_pdf_renderer

    docx_path = _check_output(args.out, ".docx", "--out")
    pdf_path = _check_output(args.pdf, ".pdf", "--pdf")
    if docx_path is None and pdf_path is None:
        raise ParkDeskError("请用 --out 指定 Word 文件（.docx），或用 --pdf 指定 PDF 文件。")
    render_pdf = get_pdf_renderer() if pdf_path else None
    if pdf_path and render_pdf is None:
        raise ParkDeskError("此环境无法导出 PDF（未安装 Qt 渲染器）。")
    from .report.draft import build_state

    with open_for_reading(args) as desk:
        state = build_state(desk, args.year, args.through, figures=True)
    for notice in state.notices:
        print(f"注意：{notice}", file=sys.stderr)
    conflicts = state.conflict_labels()
    if conflicts:
        print(f"注意：有 {len(conflicts)} 处您修改过的段落与按最新数据起草的文字不一致，报告中仍为您修改的文字"
              "（请在“报告”页核对）：", file=sys.stderr)
        for line in conflicts:
            print(f"  {line}", file=sys.stderr)
    document = state.document()
    if docx_path:
        from .report.docx_writer import write_docx

        write_docx(document, docx_path)
        print(f"已生成 Word 文档：{docx_path}")
    if pdf_path:
        render_pdf(document, pdf_path)
        print(f"已生成 PDF：{pdf_path}")
    return EXIT_OK


def cmd_dispatch_sheet(args) -> int:
    from .exchange.dispatch_sheet import write_dispatch_sheet

    _check_output(args.out, ".xlsx", "--out")
    with open_for_reading(args) as desk:
        count = write_dispatch_sheet(desk, args.year, args.month, args.out)
    print(f"已导出{args.year}年{args.month}月重点项目调度表（{count} 个项目）：{args.out}")
    return EXIT_OK


# --- entry point ---------------------------------------------------------------------------
def run_command(args) -> int:
    """Run a parsed subcommand; turn every failure into a message and an exit code."""
    try:
        from .logs import setup_file_logging

        setup_file_logging()  # warnings (a stale lock taken over, a raw copy kept) go to the log file
    except Exception:  # noqa: BLE001 - a read-only user folder must not stop the command
        pass
    try:
        return args.handler(args)
    except ImportRejected as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        if not all(e.message in exc.message for e in exc.errors):  # a file-level error is in the message already
            print(exc.details(), file=sys.stderr)
        return EXIT_ERROR
    except ParkDeskError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:  # pragma: no cover - output piped into head
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - last line of defence: never a traceback
        logfile = log_unexpected(exc)
        from .errors import explain_unexpected

        known = explain_unexpected(exc)
        if known:
            print(f"错误：{known}", file=sys.stderr)
        print(f"内部错误 (internal error)：{type(exc).__name__}: {exc}", file=sys.stderr)
        if logfile:
            print(f"详细信息已写入日志：{logfile}", file=sys.stderr)
        return EXIT_INTERNAL


def log_unexpected(exc: BaseException) -> Path | None:
    """Write the traceback of an unexpected error to the log file; return its path."""
    try:
        from .logs import setup_file_logging

        path = setup_file_logging()
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
        return path
    except Exception:  # pragma: no cover - logging must never fail the caller
        return None


# Data safety commands: backup, restore, check, audit.
from .cli_safety import register as _register_safety  # noqa: E402

EXTRA_COMMANDS.append(_register_safety)
