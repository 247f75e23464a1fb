"""Command-line data safety: ``backup``, ``restore``, ``check``, ``audit``.

Registered in :data:`parkdesk.cli.EXTRA_COMMANDS`. ``backup`` prints the new
backup's path as its last line (for scripts); ``check`` exits 1 on a damaged
or foreign file; ``restore`` is refused while another ParkDesk holds the
database.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .cli import EXIT_ERROR, EXIT_OK, _date, _db_path, open_for_reading


def register(sub, db_parent) -> None:
    p = sub.add_parser("backup", parents=[db_parent], help="立即备份数据库，最后一行输出备份文件路径")
    p.add_argument("--list", action="store_true", help="列出已有的备份，不新建")
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", parents=[db_parent], help="从备份恢复数据库（恢复前先备份当前数据）")
    p.add_argument("backup", metavar="BACKUP", help="备份文件（路径，或备份文件夹中的文件名）")
    p.set_defaults(handler=cmd_restore)

    p = sub.add_parser("check", parents=[db_parent], help="完整性检查与数据检查；数据库损坏时返回非零")
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("audit", parents=[db_parent], help="查看或导出变更记录")
    p.add_argument("--table", help="数据表（如 indicator_values、projects）")
    p.add_argument("--record", type=int, help="记录编号")
    p.add_argument("--user", help="用户")
    p.add_argument("--since", type=_date, help="起始日期 YYYY-MM-DD")
    p.add_argument("--until", type=_date, help="截止日期 YYYY-MM-DD（含）")
    p.add_argument("--text", help="包含的文字（值、指标或项目名称）")
    p.add_argument("--limit", type=int, default=100, help="最多显示的条数（默认 100）")
    p.add_argument("--out", metavar="FILE.xlsx", help="导出到 Excel 文件")
    p.set_defaults(handler=cmd_audit)


def _existing_db(args) -> Path:
    from .errors import DatabaseError

    path = _db_path(args)
    if not path.exists():
        raise DatabaseError(f"数据库文件“{path}”不存在。")
    return path


def cmd_backup(args) -> int:
    from .backups import list_backups

    path = _existing_db(args)
    if args.list:
        backups = list_backups(path)
        if not backups:
            print(f"“{path.name}”还没有备份。")
        for info in backups:
            print(f"{info.created:%Y-%m-%d %H:%M:%S}  {info.reason_label}  {info.size:>10,d} 字节  {info.path}")
        return EXIT_OK
    with open_for_reading(args) as desk:
        backup = desk.backups.create("manual")
    print(f"已备份“{path.name}”（已通过完整性检查）：")
    print(backup)
    return EXIT_OK


def cmd_restore(args) -> int:
    from .backups import restore_database
    from .desk import Desk
    from .errors import DamagedDatabase

    path = _db_path(args)
    previous = None
    if path.exists() and path.stat().st_size > 0:
        try:
            desk = Desk.open(path, create=False)
        except DamagedDatabase as exc:
            print(f"提示：{exc.message}", file=sys.stderr)
            previous = restore_database(path, args.backup)
        else:
            with desk:
                previous = desk.backups.restore(args.backup)
    else:
        restore_database(path, args.backup)
    print(f"已从备份恢复：{path}")
    if previous is not None:
        print(f"恢复前的数据已另存为：{previous}")
    return EXIT_OK


def cmd_check(args) -> int:
    from .integrity import check_database

    report = check_database(_db_path(args))
    for line in report.lines():
        print(line)
    if not report.ok:
        print(f"错误：{report.errors[0]}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


def cmd_audit(args) -> int:
    from .audit import AuditFilter

    _existing_db(args)
    flt = AuditFilter(table=args.table, record_id=args.record, user=args.user, since=args.since,
                      until=args.until, text=args.text)
    with open_for_reading(args) as desk:
        if args.out:
            n = desk.audit.export_xlsx(args.out, flt)
            print(f"已导出 {n} 条变更记录：{args.out}")
            return EXIT_OK
        total = desk.audit.count(flt)
        for e in desk.audit.query(flt, limit=max(1, args.limit)):
            change = f"{e.old_text} → {e.new_text}" if e.action == "update" else (e.new_text or e.old_text)
            print(f"{e.when}  {e.user}  {e.action_label}  {e.table_label}  {e.record_label}  "
                  f"{e.field_label + '：' if e.field else ''}{change}")
        print(f"共 {total} 条{'（仅显示最近 ' + str(args.limit) + ' 条）' if total > args.limit else ''}")
    return EXIT_OK
