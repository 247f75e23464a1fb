"""Excel exchange of the project ledger (sheet 项目台账).

Import: one row per project; a project whose name exists is updated (a
changed stage is added to its history). All or nothing: any error rejects the
whole file, listed by sheet and row, and the database is left unchanged. The
rules are the dialog's (:func:`parkdesk.projects.validate_project`), plus: the
date of the stage a project is in (签约/开工/投产日期) must be given.
A column missing from the sheet leaves that field as it is; an empty cell in a
present column clears it. The optional sheet 项目补充信息 carries the fields
that 项目台账 has no column for (so an export imports back without loss).

Export of year Y: the projects relevant to Y — not put into production or
terminated before 1 January Y, reached by 31 December Y, or dispatched in Y —
with their supplementary fields, the year's dispatch records, problems, node
plans and promotion activities, each on its own sheet, laid out for A4 printing.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import replace
from pathlib import Path
from typing import Any

from .. import catalog
from ..errors import ImportRejected, RowError, ValidationError
from ..numbers import convert, parse_quantity
from ..projects import (
    STAGE_DATE_COLUMN,
    Project,
    normalize_level,
    normalize_origin,
    normalize_type,
    stage_label,
    validate_project,
)
from . import ImportPreview
from .workbook import (
    SHEET_UNIT,
    cell_date,
    cell_number,
    cell_text,
    format_sheet,
    instructions_sheet,
    open_workbook,
    read_table,
    save_workbook,
    write_row,
)

SHEET = "项目台账"
EXTRA_SHEET = "项目补充信息"
# The contract: these columns, in this order.
HEADERS = [
    "项目名称", "投资方", "来源地", "所属产业链", "项目类型", "项目级别", "总投资(万元)", "合同引资额(万元)",
    "到位资金(万元)", "用地(亩)", "当前阶段", "签约日期", "开工日期", "投产日期", "包保领导", "责任单位", "备注",
]
EXTRA_HEADERS = [
    "项目名称", "利用外资(万美元)", "建筑面积(平方米)", "达产产值(万元)", "达产税收(万元)", "联系人", "所在片区",
    "获取线索日期", "开始洽谈日期", "试生产日期", "终止日期", "终止原因",
]
# Header -> (field, kind, unit). kind: text / quantity / date.
FIELDS: dict[str, tuple[str, str, str | None]] = {
    "项目名称": ("name", "text", None),
    "投资方": ("investor", "text", None),
    "来源地": ("origin", "origin", None),
    "所属产业链": ("chain", "text", None),
    "项目类型": ("project_type", "type", None),
    "项目级别": ("level", "level", None),
    "总投资(万元)": ("total_investment", "quantity", "万元"),
    "合同引资额(万元)": ("contract_investment", "quantity", "万元"),
    "到位资金(万元)": ("funds_arrived", "quantity", "万元"),
    "用地(亩)": ("land_mu", "quantity", "亩"),
    "当前阶段": ("stage", "stage", None),
    "签约日期": ("signed_on", "date", None),
    "开工日期": ("started_on", "date", None),
    "投产日期": ("production_on", "date", None),
    "包保领导": ("leader", "text", None),
    "责任单位": ("responsible_unit", "text", None),
    "备注": ("notes", "text", None),
    "利用外资(万美元)": ("foreign_capital", "quantity", "万美元"),
    "建筑面积(平方米)": ("building_area", "quantity", "平方米"),
    "达产产值(万元)": ("expected_output", "quantity", "万元"),
    "达产税收(万元)": ("expected_tax", "quantity", "万元"),
    "联系人": ("contact", "text", None),
    "所在片区": ("zone", "text", None),
    "获取线索日期": ("lead_on", "date", None),
    "开始洽谈日期": ("negotiating_on", "date", None),
    "试生产日期": ("trial_on", "date", None),
    "终止日期": ("terminated_on", "date", None),
    "终止原因": ("termination_reason", "text", None),
}
# Other headers seen in parks' own ledgers, read as the template's (with the unit of
# their figures when it is not the template's).
ALIASES: dict[str, str | tuple[str, str]] = {
    "项目": "项目名称", "项目名": "项目名称",
    "投资主体": "投资方", "投资企业": "投资方", "投资单位": "投资方", "投资商": "投资方", "签约企业": "投资方",
    "来源": "来源地", "项目来源地": "来源地", "客商来源地": "来源地",
    "产业链": "所属产业链", "所属产业": "所属产业链", "产业类别": "所属产业链",
    "类型": "项目类型", "级别": "项目级别",
    **{f"{word}{unit}": (f"{target}(万元)", unit_name)
       for target, words in (("总投资", ("总投资", "总投资额", "计划总投资", "项目总投资")),
                             ("合同引资额", ("合同引资额", "合同引资", "签约引资额", "合同金额")),
                             ("到位资金", ("到位资金", "实际到位资金", "累计到位资金", "到位资金额")))
       for word in words
       for unit, unit_name in (("", None), ("(万元)", "万元"), ("(亿元)", "亿元"))
       if f"{word}{unit}" != f"{target}(万元)"},
    "用地": "用地(亩)", "用地面积(亩)": "用地(亩)", "占地(亩)": "用地(亩)", "占地面积(亩)": "用地(亩)",
    "用地面积": "用地(亩)",
    "阶段": "当前阶段", "项目阶段": "当前阶段", "所处阶段": "当前阶段", "项目状态": "当前阶段", "进展阶段": "当前阶段",
    "签约时间": "签约日期", "开工时间": "开工日期", "投产时间": "投产日期",
    "包联领导": "包保领导", "包抓领导": "包保领导", "联系领导": "包保领导", "责任领导": "包保领导",
    "责任部门": "责任单位", "牵头单位": "责任单位",
}
# Stages whose date has a column in 项目台账 and must be filled for a project in that stage.
REQUIRED_STAGE_DATE = {catalog.STAGE_SIGNED: "签约日期", catalog.STAGE_STARTED: "开工日期",
                       catalog.STAGE_PRODUCTION: "投产日期"}
PREVIEW_HEADERS = ["行号", "操作", "项目名称", "投资方", "当前阶段", "总投资(万元)", "合同引资额(万元)",
                   "到位资金(万元)", "签约日期", "开工日期", "投产日期", "包保领导", "变更内容"]
UNCHANGED = "不变"
_LIST_LIMIT = 5  # projects named in a summary line (the counts are complete)
_EXCEL_EPOCH = _dt.date(1899, 12, 30)


# --- reading cells ----------------------------------------------------------------------------
def _date(value: Any, label: str) -> str | None:
    """A date cell; a bare number in the range of Excel serial dates is one too."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 <= value <= 80000:
        return (_EXCEL_EPOCH + _dt.timedelta(days=int(value))).isoformat()
    return cell_date(value, label=label)


def _quantity(value: Any, unit: str, label: str, column_unit: str | None = None) -> float | None:
    """A number in ``unit``; text with its own unit (1.2亿元, 30公顷) is converted, and so
    is a plain number in a column whose header names another unit (总投资(亿元))."""
    given = None
    if isinstance(value, str) and value.strip():
        try:
            number, given = parse_quantity(value)
        except ValidationError as exc:
            raise ValidationError(f"{label}：{exc.message}") from None
    else:
        number = cell_number(value, label=label)
    given = given or column_unit
    if given and number is not None:
        try:
            number = convert(number, given, unit)
        except ValidationError as exc:
            raise ValidationError(f"{label}：{exc.message}") from None
    return number


def _cell(header: str, value: Any, column_unit: str | None = None) -> Any:
    field, kind, unit = FIELDS[header]
    if kind == "text":
        return cell_text(value, max_len=200 if field != "notes" else 2000, label=header)
    if kind == "quantity":
        return _quantity(value, unit, header, column_unit)
    if kind == "date":
        return _date(value, header)
    text = cell_text(value, max_len=50, label=header)
    if kind == "stage":
        if not text:
            raise ValidationError("请填写当前阶段")
        stage = catalog.normalize_stage(text)
        if stage is None:
            raise ValidationError(f"无法识别的阶段“{text}”（可填：{'、'.join(catalog.ALL_STAGES)}，"
                                  "或洽谈、签约、在建、安装调试、投产等）")
        return stage
    if kind == "origin":
        origin = normalize_origin(text)
        if origin is None:
            raise ValidationError(f"无法识别的来源地“{text}”（可填：{'、'.join(catalog.ORIGINS)}）")
        return origin
    if not text:
        return None  # type / level: keep the current (or default) value
    norm = normalize_type if kind == "type" else normalize_level
    value = norm(text)
    if value is None:
        choices = catalog.PROJECT_TYPES if kind == "type" else catalog.PROJECT_LEVELS
        raise ValidationError(f"无法识别的{header}“{text}”（可填：{'、'.join(choices)}）")
    return value


def _read_row(row, headers: list[str], sheet: str) -> tuple[dict[str, Any], list[RowError]]:
    values, errors = {}, []
    for header in headers:
        try:
            column_unit = row.units.get(header)
            if column_unit is None and FIELDS[header][2] == "万元":
                # A money column whose header names no unit, under "单位：亿元": in that unit.
                column_unit = row.units.get(SHEET_UNIT)
            values[FIELDS[header][0]] = _cell(header, row.get(header), column_unit)
        except ValidationError as exc:
            # The column is named by the RowError; drop a repeated "列名：" prefix.
            message = exc.message.removeprefix(f"{header}：")
            errors.append(RowError(sheet, row.number, message, header))
    return values, errors


def _present(rows) -> list[str]:
    seen: list[str] = []
    for row in rows:
        for header in row.values:
            if header not in seen:
                seen.append(header)
    return seen


# --- preview / apply --------------------------------------------------------------------------
def preview(desk, path: Path) -> ImportPreview:
    """Read and check 项目台账 (and 项目补充信息); write nothing."""
    result = ImportPreview(kind="projects", path=Path(path), headers=list(PREVIEW_HEADERS))
    try:
        wb = open_workbook(path)
    except ImportRejected as exc:
        result.errors = exc.errors
        result.summary = exc.message
        return result
    try:
        known = HEADERS + [h for h in EXTRA_HEADERS if h not in HEADERS]
        rows, errors = read_table(wb, SHEET, known, ["项目名称", "当前阶段"], aliases=ALIASES)
        extra_rows, extra_errors = read_table(wb, EXTRA_SHEET, EXTRA_HEADERS, ["项目名称"], optional_sheet=True)
        other_sheets = [s for s in wb.sheetnames if s not in (SHEET, EXTRA_SHEET, "填写说明")]
    finally:
        wb.close()
    result.errors = errors + extra_errors
    if result.errors:
        result.summary = "文件格式不对，未导入任何数据。"
        return result
    main_headers = [h for h in _present(rows) if h in FIELDS]
    extra_headers = [h for h in _present(extra_rows) if h in FIELDS and h != "项目名称"]
    extras: dict[str, tuple[int, dict[str, Any]]] = {}
    for row in extra_rows:
        name = cell_text(row.get("项目名称"), max_len=200)
        if not name:
            continue
        values, errs = _read_row(row, extra_headers, EXTRA_SHEET)
        result.errors += errs
        if name in extras:
            result.errors.append(RowError(EXTRA_SHEET, row.number, f"项目“{name}”重复出现", "项目名称"))
        extras[name] = (row.number, values)

    payload: list[dict] = []
    first_row: dict[str, int] = {}
    today = _dt.date.today().isoformat()
    stored = _by_name(desk)
    for row in rows:
        values, errs = _read_row(row, main_headers, SHEET)
        name = values.get("name") or ""
        if not errs and not name:
            errs.append(RowError(SHEET, row.number, "项目名称不能为空", "项目名称"))
        if name in first_row:
            errs.append(RowError(SHEET, row.number, f"与第{first_row[name]}行的项目名称重复", "项目名称"))
        elif name:
            first_row[name] = row.number
        fields_given = set(values)
        if name in extras:
            extra_number, extra_values = extras.pop(name)
            values.update({k: v for k, v in extra_values.items() if k != "name"})
            fields_given |= set(extra_values)
        if errs:
            result.errors += errs
            continue
        try:
            project, action, existing = _build(stored.get(name.strip()), values, fields_given, today)
            validate_project(project)
        except ValidationError as exc:
            result.errors.append(RowError(SHEET, row.number, exc.message))
            continue
        changed, cleared = diff_project(existing, project) if existing else ([], [])
        if existing is not None and not changed:
            action = UNCHANGED
        payload.append({"row": row.number, "project": project, "action": action, "changed": changed,
                        "cleared": cleared})
        result.rows.append([
            row.number, action, project.name, project.investor, stage_label(project.stage),
            project.total_investment, project.contract_investment, project.funds_arrived,
            project.signed_on, project.started_on, project.production_on, project.leader,
            _change_text(changed, cleared),
        ])
    for name, (number, _values) in extras.items():
        result.errors.append(RowError(EXTRA_SHEET, number, f"项目“{name}”不在“{SHEET}”中", "项目名称"))
    if not rows:
        result.errors.append(RowError(SHEET, None, "没有项目数据（表头下方没有任何行）"))
    result.payload = payload
    if result.errors:
        result.summary = f"发现 {len(result.errors)} 处错误，未导入任何数据。请改正后重新导入。"
    else:
        note = f"（工作表“{'”“'.join(other_sheets)}”仅供查看，不导入）" if other_sheets else ""
        sheet_unit = rows[0].units.get(SHEET_UNIT) if rows else None
        if sheet_unit and sheet_unit != "万元":
            result.note = f"（金额按表头上方注明的“单位：{sheet_unit}”换算为万元）"
            note += result.note
        result.summary = f"共 {len(payload)} 个项目：{_counts_text(payload, future=True)}{note}"
    return result


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    return (a or None) == (b or None)  # "" and None are both empty


def diff_project(old: Project, new: Project) -> tuple[list[str], list[str]]:
    """(fields that change, of which those emptied) between the stored and the imported
    project, as the labels the clerk knows (投资方, 到位资金(万元) …)."""
    from ..projects import FIELD_LABELS

    changed, cleared = [], []
    for field, label in FIELD_LABELS.items():
        if field == "stage_changed_on":
            continue
        before, after = getattr(old, field), getattr(new, field)
        if _same(before, after):
            continue
        changed.append(label)
        if after is None or after == "":
            cleared.append(label)
    return changed, cleared


def _change_text(changed: list[str], cleared: list[str]) -> str:
    kept = [c for c in changed if c not in cleared]
    parts = ["、".join(kept)] if kept else []
    if cleared:
        parts.append(f"清空：{'、'.join(cleared)}")
    return "；".join(parts)


def _counts_text(items: list[dict], *, future: bool) -> str:
    """新增 / 更新 (阶段变更) / 不变 counts and the fields emptied, for the preview and the result."""
    added = sum(1 for p in items if p["action"] == "新增")
    same = sum(1 for p in items if p["action"] == UNCHANGED)
    moved = sum(1 for p in items if p["action"] == "更新（阶段变更）")
    updated = len(items) - added - same
    noun = "个" if future else "个项目"
    text = f"新增 {added} {noun}，更新 {updated} 个（其中 {moved} 个阶段变更），无变化 {same} 个。"
    emptied = [p for p in items if p["cleared"]]
    if emptied:
        n = sum(len(p["cleared"]) for p in emptied)
        names = "；".join(f"{p['project'].name}：{'、'.join(p['cleared'])}" for p in emptied[:_LIST_LIMIT])
        more = f"等 {len(emptied)} 个项目" if len(emptied) > _LIST_LIMIT else ""
        verb = "将清空" if future else "已清空"
        hint = "（表格中这些单元格为空；如不想清空，请填写或删去整列）" if future else ""
        text += f"{verb} {n} 项已有内容（{names}{more}）{hint}。"
    return text


def _by_name(desk) -> dict[str, Project]:
    """Every stored project by name: one query instead of one per row of a large sheet."""
    return {p.name: p for p in desk.projects.list()}


def _build(existing: Project | None, values: dict[str, Any], given: set[str], today: str
           ) -> tuple[Project, str, Project | None]:
    """The project a row describes, starting from ``existing`` (the stored one of that name),
    its action (新增 / 更新 / 更新（阶段变更）) and the stored project."""
    p = replace(existing) if existing else Project()
    for field, value in values.items():
        if field in ("project_type", "level") and value is None:
            continue
        setattr(p, field, "" if value is None and isinstance(getattr(Project(), field), str) else value)
    stage = p.stage
    if stage in catalog.STAGES:
        # Dates of stages not reached: cleared when the file does not show them.
        for later in catalog.STAGES[catalog.STAGES.index(stage) + 1:]:
            col = STAGE_DATE_COLUMN[later]
            if col not in given:
                setattr(p, col, None)
        if "terminated_on" not in given:
            p.terminated_on = None
    header = REQUIRED_STAGE_DATE.get(stage)
    if header and not getattr(p, STAGE_DATE_COLUMN[stage]):
        raise ValidationError(f"当前阶段为“{stage}”，请填写{header}")
    if stage == catalog.STAGE_TERMINATED:
        p.termination_reason = p.termination_reason or p.notes
    else:
        p.termination_reason = ""
    own_date = getattr(p, STAGE_DATE_COLUMN[stage])
    if existing is None or existing.stage != stage:
        # Entering the stage: on its date, or (not known) on the day of the import.
        p.stage_changed_on = own_date or today
        if not own_date:
            setattr(p, STAGE_DATE_COLUMN[stage], p.stage_changed_on)
    if existing is None:
        return p, "新增", None
    return p, "更新（阶段变更）" if existing.stage != stage else "更新", existing


def apply(desk, preview: ImportPreview) -> str:
    """Write every changed project of a clean preview in one transaction; projects the
    file leaves as they are are not written. Returns the counts and the fields emptied.

    :raises ImportRejected: when a row fails on writing (nothing is kept).
    """
    done: list[dict] = []
    with desk.atomic():
        stored = _by_name(desk)
        new_items = []
        for item in preview.payload:
            p: Project = item["project"]
            existing = stored.get(p.name.strip())
            p.id = existing.id if existing else None
            changed, cleared = diff_project(existing, p) if existing else ([], [])
            action = "新增" if existing is None else UNCHANGED if not changed else (
                "更新（阶段变更）" if existing.stage != p.stage else "更新")
            done.append({"project": p, "action": action, "cleared": cleared})
            if action == UNCHANGED:
                continue
            if existing is None:
                new_items.append(item)  # inserted together below
                continue
            try:
                desk.projects.save(p, stage_note="Excel导入")
            except ValidationError as exc:
                raise ImportRejected([RowError(SHEET, item["row"], exc.message)]) from exc
        try:
            desk.projects.insert_many([item["project"] for item in new_items], stage_note="Excel导入")
        except ValidationError as exc:
            row = new_items[exc.index]["row"] if getattr(exc, "index", None) is not None else None
            raise ImportRejected([RowError(SHEET, row, exc.message)]) from exc
    return f"已导入项目台账：{_counts_text(done, future=False)}{preview.note}"


# --- template -----------------------------------------------------------------------------
_WIDTHS = [30, 26, 8, 12, 10, 10, 12, 14, 12, 9, 12, 12, 12, 12, 10, 14, 24]
_EXTRA_WIDTHS = [30, 14, 14, 14, 14, 18, 12, 13, 13, 12, 12, 24]
_DATE_FORMAT = "yyyy-mm-dd"
_MONEY_FORMAT = "#,##0.00"


def _add_choice(ws, column: str, values, last_row: int = 5000) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    # The error box stays off: synonyms (洽谈, 在建, 投产 ...) are accepted on import.
    dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                        showErrorMessage=False)
    ws.add_data_validation(dv)
    dv.add(f"{column}2:{column}{last_row}")


def _ledger_sheet(wb, title: str | None = None):
    ws = wb.active
    ws.title = SHEET
    write_row(ws, 1, HEADERS, bold=True)
    format_sheet(ws, _WIDTHS, title=title or SHEET)
    for col, values in (("C", catalog.ORIGINS), ("E", catalog.PROJECT_TYPES), ("F", catalog.PROJECT_LEVELS),
                        ("K", catalog.ALL_STAGES)):
        _add_choice(ws, col, values)
    return ws


def write_template(path: Path) -> None:
    """A blank 项目台账 with drop-downs, the optional 项目补充信息 and instructions."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = _ledger_sheet(wb)
    for col in "LMN":
        for r in range(2, 502):
            ws[f"{col}{r}"].number_format = _DATE_FORMAT
    extra = wb.create_sheet(EXTRA_SHEET)
    write_row(extra, 1, EXTRA_HEADERS, bold=True)
    format_sheet(extra, _EXTRA_WIDTHS, title=EXTRA_SHEET)
    instructions_sheet(wb, "项目台账导入说明", [
        "1. 在“项目台账”工作表中每行填写一个项目，表头（第一行）不要改动。“项目名称”和“当前阶段”必填。",
        "2. 项目名称已存在的，导入时更新该项目；阶段有变化的，记入阶段变更记录。名称不存在的，新增项目。",
        f"3. 当前阶段可填：{'、'.join(catalog.ALL_STAGES)}；也可写洽谈（=在谈）、签约（=已签约）、在建或开工（=已开工）、"
        "安装调试（=试生产）、投产（=已投产）。",
        "4. 处于已签约、已开工、已投产阶段的项目，须填写相应的签约日期、开工日期、投产日期；日期顺序应为签约≤开工≤投产，"
        "且不能填写尚未到达阶段的日期。已终止的项目须在“项目补充信息”的“终止原因”列（或备注）中写明原因。",
        f"5. 来源地填 {'、'.join(catalog.ORIGINS)}；项目类型填 {'、'.join(catalog.PROJECT_TYPES)}（空白为工业）；"
        f"项目级别填 {'、'.join(catalog.PROJECT_LEVELS)}（空白为一般）。",
        "6. 金额单位为万元，可带千位分隔符或全角数字；也可写“1.2亿元”“8000万元”，导入时自动换算为万元。金额不能为负数。",
        "7. 日期可填 Excel 日期，或文字 2026-03-05、2026/3/5、2026年3月5日。",
        "8. 某一列整列不存在时，该项内容保持不变；列存在而单元格为空时，该项内容被清空（导入前的预览会逐项列出将被清空的内容）。",
        "9. “项目补充信息”工作表可选，按项目名称补充利用外资、建筑面积、达产产值和税收、联系人、片区、试生产和终止日期、终止原因。",
        "10. 导入“全部成功或全部不导入”：任何一行有错，整个文件都不导入，并按工作表和行号列出所有错误。",
    ])
    save_workbook(wb, Path(path))


# --- export -------------------------------------------------------------------------------------
def _relevant_projects(desk, year: int) -> list[Project]:
    from ..projects import PROJECT_COLUMNS

    start, end = f"{year}-01-01", f"{year}-12-31"
    dates = ", ".join(f"coalesce({c}, '9999')" for c in (*STAGE_DATE_COLUMN.values(), "stage_changed_on"))
    order = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(catalog.ALL_STAGES))
    rows = desk.db.execute(
        f"SELECT {', '.join(PROJECT_COLUMNS)} FROM projects WHERE "
        f"(NOT (stage = ? AND coalesce(terminated_on, '') < ?) AND (production_on IS NULL OR production_on >= ?) "
        f" AND min({dates}) <= ?) "
        f"OR id IN (SELECT project_id FROM dispatch_records WHERE year = ?) "
        f"ORDER BY CASE stage {order} END, total_investment IS NULL, total_investment DESC, name",
        [catalog.STAGE_TERMINATED, start, start, end, year]).fetchall()
    return [Project(*r) for r in rows]


def _day(text: str | None):
    return _dt.date.fromisoformat(text[:10]) if text else None


def _cell_styles(wb) -> None:
    """Named styles for data cells: assigning a style by name is far cheaper than
    giving every cell its own border and alignment objects (openpyxl hashes each)."""
    from openpyxl.styles import Alignment, Border, NamedStyle, Side

    if "pd_text" in wb.named_styles:
        return
    thin = Side(style="thin", color="999999")
    for name, number_format, wrap in (("pd_text", "General", False), ("pd_wrap", "General", True),
                                      ("pd_money", _MONEY_FORMAT, False), ("pd_date", _DATE_FORMAT, False)):
        style = NamedStyle(name=name, number_format=number_format)
        style.border = Border(top=thin, bottom=thin, left=thin, right=thin)
        style.alignment = Alignment(wrap_text=wrap, vertical="top")
        wb.add_named_style(style)


def _finish(ws, widths: list[int], title: str, *, header_row: int = 1, money_cols=(), date_cols=(),
            wrap_cols=(), bold_last: bool = False) -> None:
    """Header style, print set-up, borders, number formats and wrapping for a data sheet."""
    from openpyxl.styles import Font

    format_sheet(ws, widths, header_row=header_row, title=title)
    _cell_styles(ws.parent)
    names = {}
    for col in range(1, ws.max_column + 1):
        names[col] = ("pd_money" if col in money_cols else "pd_date" if col in date_cols
                      else "pd_wrap" if col in wrap_cols else "pd_text")
    for row in ws.iter_rows(min_row=header_row + 1, max_row=ws.max_row):
        for cell in row:
            quoted = cell.quotePrefix  # set by write_row for text like "=..."; the style would drop it
            cell.style = names[cell.column]
            if quoted:
                cell.quotePrefix = True
    if bold_last and ws.max_row > header_row:
        bold = Font(bold=True)
        for cell in ws[ws.max_row]:
            cell.font = bold


def export(desk, year: int, path: Path) -> None:
    """Write the ledger relevant to ``year`` and that year's records (see the module docstring)."""
    from openpyxl import Workbook

    projects = _relevant_projects(desk, year)
    park = desk.park.profile().display_name
    wb = Workbook()
    ws = _ledger_sheet(wb, title=f"{park}{year}年项目台账")
    for r, p in enumerate(projects, start=2):
        write_row(ws, r, [
            p.name, p.investor, p.origin, p.chain, p.project_type, p.level, p.total_investment,
            p.contract_investment, p.funds_arrived, p.land_mu, p.stage, _day(p.signed_on), _day(p.started_on),
            _day(p.production_on), p.leader, p.responsible_unit, p.notes,
        ])
    _finish(ws, _WIDTHS, f"{park}{year}年项目台账", money_cols=(7, 8, 9, 10), date_cols=(12, 13, 14),
            wrap_cols=(1, 2, 17))

    extra = wb.create_sheet(EXTRA_SHEET)
    write_row(extra, 1, EXTRA_HEADERS, bold=True)
    for r, p in enumerate(projects, start=2):
        write_row(extra, r, [
            p.name, p.foreign_capital, p.building_area, p.expected_output, p.expected_tax, p.contact, p.zone,
            _day(p.lead_on), _day(p.negotiating_on), _day(p.trial_on), _day(p.terminated_on), p.termination_reason,
        ])
    _finish(extra, _EXTRA_WIDTHS, f"{park}{year}年项目补充信息", money_cols=(2, 3, 4, 5),
            date_cols=(8, 9, 10, 11), wrap_cols=(1, 12))

    _dispatch_sheet(wb, desk, year, park)
    _problem_sheet(wb, desk, year, park)
    _node_sheet(wb, desk, [p.id for p in projects], year, park)
    _activity_sheet(wb, desk, year, park)
    save_workbook(wb, Path(path))


def _dispatch_sheet(wb, desk, year: int, park: str) -> None:
    from ..dispatch import APPROVAL_FIELDS

    ws = wb.create_sheet("月调度")
    headers = ["项目名称", "月份", "本月完成投资(万元)", "累计完成投资(万元)", "形象进度",
               *APPROVAL_FIELDS.values(), "入库纳统", "下步工作", "备注"]
    write_row(ws, 1, headers, bold=True)
    rows = desk.db.execute(
        "SELECT p.name, d.month, d.invested_month, d.invested_to_date, d.progress, d.approval_project, "
        "d.approval_eia, d.approval_land, d.approval_planning, d.approval_construction, d.in_statistics, "
        "d.next_steps, d.note FROM dispatch_records d JOIN projects p ON p.id = d.project_id "
        "WHERE d.year = ? ORDER BY p.name, d.month", [year]).fetchall()
    for r, row in enumerate(rows, start=2):
        values = list(row)
        values[1] = f"{row[1]}月"
        values[10] = "已入库" if row[10] else "未入库"
        write_row(ws, r, values)
    _finish(ws, [28, 7, 12, 12, 24, 8, 8, 8, 8, 9, 9, 22, 16], f"{park}{year}年项目月调度",
            money_cols=(3, 4), wrap_cols=(1, 5, 12, 13))


def _problem_sheet(wb, desk, year: int, park: str) -> None:
    ws = wb.create_sheet("存在问题")
    write_row(ws, 1, ["项目名称", "提出日期", "存在问题", "责任单位", "办结时限", "是否解决", "解决日期"], bold=True)
    start, end = f"{year}-01-01", f"{year}-12-31"
    rows = desk.db.execute(
        "SELECT p.name, q.raised_on, q.description, q.responsible_unit, q.deadline, q.resolved, q.resolved_on "
        "FROM project_problems q JOIN projects p ON p.id = q.project_id "
        "WHERE coalesce(q.raised_on, '') <= ? AND (q.resolved = 0 OR q.resolved_on >= ?) "
        "ORDER BY q.resolved, q.raised_on, p.name", [end, start]).fetchall()
    for r, (name, raised, text, unit, deadline, resolved, resolved_on) in enumerate(rows, start=2):
        write_row(ws, r, [name, _day(raised), text, unit, _day(deadline), "已解决" if resolved else "未解决",
                          _day(resolved_on)])
    _finish(ws, [28, 12, 40, 16, 12, 9, 12], f"{park}{year}年项目存在问题", date_cols=(2, 5, 7),
            wrap_cols=(1, 3))


def _node_sheet(wb, desk, project_ids: list[int], year: int, park: str) -> None:
    from ..dispatch import NODE_STATUS_LABELS, node_status

    ws = wb.create_sheet("节点计划")
    write_row(ws, 1, ["项目名称", "节点", "计划完成日期", "实际完成日期", "状态"], bold=True)
    as_of = min(_dt.date.today(), _dt.date(year, 12, 31))
    ids = set(project_ids)
    rows = [row for row in desk.db.execute(
        "SELECT n.project_id, p.name, n.name, n.planned_on, n.actual_on FROM project_nodes n "
        "JOIN projects p ON p.id = n.project_id ORDER BY p.name, n.sort_order, n.planned_on, n.id")
        if row[0] in ids]
    for r, (_pid, project, node, planned, actual) in enumerate(rows, start=2):
        write_row(ws, r, [project, node, _day(planned), _day(actual),
                          NODE_STATUS_LABELS[node_status(planned, actual, as_of)]])
    _finish(ws, [30, 20, 13, 13, 10], f"{park}{year}年项目节点计划", date_cols=(3, 4), wrap_cols=(1, 2))


def _activity_sheet(wb, desk, year: int, park: str) -> None:
    ws = wb.create_sheet("招商活动")
    write_row(ws, 1, ["日期", "类型", "活动名称", "地点", "带队领导", "天数", "拜访企业(家)", "接待客商(批)",
                      "收集线索(条)", "企业名称", "关联项目", "备注"], bold=True)
    items = sorted(desk.projects.activity_list(f"{year}-01-01", f"{year}-12-31"), key=lambda a: (a.held_on, a.id))
    for r, a in enumerate(items, start=2):
        write_row(ws, r, [_day(a.held_on), a.activity_type, a.title, a.place, a.leader, a.days, a.companies_visited,
                          a.delegations_received, a.leads_collected, a.companies, "、".join(a.project_names), a.notes])
    if items:
        # Totals as values: exported cells never hold formulas.
        write_row(ws, len(items) + 2, ["合计", f"{len(items)}次", "", "", "", sum(a.days for a in items),
                                       sum(a.companies_visited for a in items),
                                       sum(a.delegations_received for a in items),
                                       sum(a.leads_collected for a in items), "", "", ""])
    _finish(ws, [12, 10, 26, 10, 10, 6, 11, 11, 11, 24, 26, 16], f"{park}{year}年招商活动", date_cols=(1,),
            wrap_cols=(3, 10, 11, 12), bold_last=bool(items))
