"""工作计划 in Excel: template, import (all or nothing), export.

Sheet 工作计划, columns in this order:
年份 | 部分 | 事项 | 内容 | 量化目标 | 责任单位 | 责任领导 | 完成时限 | 状态

Import rule for a year that already has a plan: after the import that year's
plan is exactly the sheet's — sections and items in the sheet's order; items
not in the sheet are deleted. Items already in the database are recognised by
(部分, 事项) — or by 事项 alone when that title is unique in the year — and
updated in place, so their progress notes and completion % are kept. The
preview says per year how many items are added, updated and deleted.
An empty 年份 or 部分 cell repeats the row above (merged cells read that way).
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import RowError, ValidationError
from ..plan_progress import target_progress
from ..plan_targets import ParsedTarget, parse_target, plain_number, strip_numbering
from ..plans import MAX_TEXT, MAX_TITLE, STATUS_LATE, STATUS_NOT_STARTED, PlanItem
from ..numbers import heading_number, parse_date
from . import ImportPreview
from .workbook import (
    cell_int, cell_text, format_sheet, instructions_sheet, open_workbook, read_table, save_workbook, write_row,
)

SHEET = "工作计划"
HEADERS = ["年份", "部分", "事项", "内容", "量化目标", "责任单位", "责任领导", "完成时限", "状态"]
REQUIRED = ["年份", "部分", "事项"]
WIDTHS = [8, 30, 24, 48, 24, 14, 10, 12, 8]
# Other headers seen in parks' own plan sheets, read as the template's.
ALIASES = {
    "年度": "年份",
    "分类": "部分", "类别": "部分", "板块": "部分",
    "工作事项": "事项", "重点工作": "事项", "工作任务": "事项", "任务": "事项", "重点任务": "事项",
    "工作内容": "内容", "具体内容": "内容", "主要内容": "内容", "工作措施": "内容", "具体措施": "内容",
    "目标": "量化目标", "目标任务": "量化目标", "工作目标": "量化目标",
    "牵头单位": "责任单位", "责任部门": "责任单位", "责任科室": "责任单位",
    "分管领导": "责任领导", "牵头领导": "责任领导", "包保领导": "责任领导",
    "完成时间": "完成时限", "时限": "完成时限", "时间节点": "完成时限", "时限要求": "完成时限",
    "进展状态": "状态", "完成状态": "状态",
}
PROGRESS_SHEET = "进展情况"
PREVIEW_HEADERS = ["行", "处理", "年份", "部分", "事项", "量化目标", "识别为", "责任单位", "责任领导", "完成时限", "状态"]

STATUS_WORDS = {
    "未开始": "未开始", "未启动": "未开始", "待启动": "未开始", "尚未开始": "未开始",
    "推进中": "推进中", "进行中": "推进中", "正在推进": "推进中", "实施中": "推进中", "在推进": "推进中",
    "已完成": "已完成", "完成": "已完成", "已办结": "已完成", "办结": "已完成", "已完成任务": "已完成",
    "滞后": "滞后", "推进滞后": "滞后", "延期": "滞后", "逾期": "滞后", "进度滞后": "滞后",
}
_NO_DEADLINE = ("长期", "长期坚持", "持续推进", "持续", "常态化", "常态化推进", "无", "—", "-", "/")
_QUARTERS = {"一": 3, "二": 6, "三": 9, "四": 12, "1": 3, "2": 6, "3": 9, "4": 12}


def _month_end(year: int, month: int) -> _dt.date:
    return _dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_deadline(value, year: int) -> str | None:
    """A 完成时限 as clerks write it: a date, "2026年6月底", "6月", "年底", "上半年",
    "三季度", "长期" (no deadline). Returns an ISO date or None.

    :raises ValidationError: when the text is none of these.
    """
    if value is None or isinstance(value, (_dt.date, _dt.datetime)):
        day = parse_date(value)
        return day.isoformat() if day else None
    text = re.sub(r"\s", "", str(value)).translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if not text or text in _NO_DEADLINE:
        return None
    try:
        day = parse_date(text)
        return day.isoformat() if day else None
    except ValidationError:
        pass
    m = re.fullmatch(r"(?:(\d{4})年?)?(年底|年末|年内|全年|底)?", text)
    if m and (m.group(1) or m.group(2)):
        return _dt.date(int(m.group(1) or year), 12, 31).isoformat()
    m = re.fullmatch(r"(?:(\d{4})[年.\-/])?(\d{1,2})月?(?:底|末|份|中旬|上旬|下旬)?(?:前|以前|之前)?", text)
    if m and 1 <= int(m.group(2)) <= 12 and (m.group(1) or "月" in text):
        return _month_end(int(m.group(1) or year), int(m.group(2))).isoformat()
    m = re.fullmatch(r"(?:(\d{4})年)?(?:第)?([一二三四1-4])季度(?:末|底)?", text)
    if m:
        return _month_end(int(m.group(1) or year), _QUARTERS[m.group(2)]).isoformat()
    m = re.fullmatch(r"(?:(\d{4})年)?([上下])半年", text)
    if m:
        return _month_end(int(m.group(1) or year), 6 if m.group(2) == "上" else 12).isoformat()
    raise ValidationError(f"完成时限“{str(value)[:30]}”无法识别（例如 2026-06-30、2026年6月底、年底）")


@dataclass
class PlanRow:
    """One checked row of the sheet."""

    number: int
    year: int
    section: str
    title: str
    content: str
    target_text: str
    target: ParsedTarget | None
    owner: str
    leader: str
    deadline: str | None
    status: str | None  # None: keep the existing item's status (new items: 未开始)


# --- template -----------------------------------------------------------------------------------
INSTRUCTIONS = [
    "1. 在“工作计划”工作表中每行填写一个事项，列的顺序为：年份 | 部分 | 事项 | 内容 | 量化目标 | 责任单位 | 责任领导 | 完成时限 | 状态。",
    "2. 年份、部分、事项必填。“部分”是计划的大项（如“坚持锻长处、补短板，大力开展‘六大行动’”），按首次出现的顺序排列，"
    "同一部分的事项按行的顺序排列。部分标题前的编号（如“（一）”“一、”“1.”）会自动去掉，报告中自动编号。",
    "3. 年份或部分留空时沿用上一行（合并单元格也按此读取）。",
    "4. 量化目标可写成“技工贸总收入≥30亿元”“引进亿元以上项目≥6个”“新开工项目不少于10个”：能识别的指标或项目统计会自动关联，"
    "进度随数据自动计算，指标目标同时作为该指标的年度目标；不能识别的按文字目标保存。",
    "5. 完成时限可写日期（2026-06-30）或“2026年6月底”“6月”“年底”“上半年”“三季度”；“长期”“持续推进”表示无时限。",
    "6. 状态为：未开始、推进中、已完成、滞后（也可写“进行中”“完成”等）。留空时，新事项为“未开始”，已有事项保持原状态。"
    "超过完成时限仍未完成的事项在软件中自动显示为“滞后”。",
    "7. 导入某一年份时，该年的工作计划将与表格完全一致：表格中没有的事项和部分会被删除；已有事项按“部分+事项”"
    "（或唯一的事项名称）对应并更新，其进展记录和完成百分比保留。导入前的预览会列出新增、更新和删除的事项数。",
    "8. 全部检查通过才会导入；任何一行有错，整个文件都不导入，并按行列出错误。",
    "示例：2026 | 坚持锻长处、补短板，大力开展“六大行动” | 强化招大引强 | 紧盯头部企业，引进亿元以上项目6个以上。 | "
    "引进亿元以上项目≥6个 | 招商一局 | 王建国 | 2026-12-31 | 推进中",
]


def write_template(path: Path) -> None:
    """The blank 工作计划 sheet with its instructions."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    write_row(ws, 1, HEADERS, bold=True)
    format_sheet(ws, WIDTHS, title="工作计划导入模板")
    dv = DataValidation(type="list", formula1='"未开始,推进中,已完成,滞后"', allow_blank=True)
    dv.error = "状态应为：未开始、推进中、已完成、滞后"
    ws.add_data_validation(dv)
    dv.add("I2:I2000")
    instructions_sheet(wb, "工作计划导入说明", INSTRUCTIONS)
    save_workbook(wb, path)


# --- import ----------------------------------------------------------------------------------------
def preview(desk, path: Path) -> ImportPreview:
    """Read and check the sheet; write nothing."""
    result = ImportPreview("plans", path, headers=list(PREVIEW_HEADERS))
    wb = open_workbook(path)
    try:
        raw_rows, errors = read_table(wb, SHEET, HEADERS, REQUIRED, aliases=ALIASES)
    finally:
        wb.close()
    result.errors.extend(errors)
    rows: list[PlanRow] = []
    year = section = None
    for raw in raw_rows:
        row, year, section = _check_row(desk, raw, year, section, result.errors)
        if row is not None:
            rows.append(row)
    _check_whole(rows, result.errors)
    if not rows and not result.errors:
        result.errors.append(RowError(SHEET, None, "表格中没有事项"))
    plan = _group(rows)
    actions: dict[int, str] = {}
    by_number = {r.number: r for r in rows}
    for y, sections in plan.items():
        titles = _section_titles(desk, y)
        for number, old in _match(desk, y, sections)[0].items():
            actions[number] = UNCHANGED if _unchanged(by_number[number], old, titles) else "更新"
    for r in rows:
        result.rows.append([r.number, actions.get(r.number, "新增"), r.year, r.section, r.title,
                            r.target_text, _tie_text(r.target), r.owner, r.leader, r.deadline or "", r.status or ""])
    result.payload = plan
    result.summary = _summary(desk, plan) if not result.errors else (
        f"发现 {len(result.errors)} 处错误，未导入任何数据。")
    return result


def _check_row(desk, raw, year, section, errors):
    """Check one sheet row; returns (row or None, year, section) carrying 年份/部分 forward."""
    n = raw.number
    bad = False

    def fail(column, message):
        nonlocal bad
        bad = True
        errors.append(RowError(SHEET, n, message, column))

    try:
        value = raw.get("年份")
        if isinstance(value, str) and value.strip().endswith("年"):  # "2027年"
            value = value.strip()[:-1]
        y = cell_int(value, label="年份", lo=1949, hi=2200)
        if y is None:
            if year is None:
                fail("年份", "年份不能为空")
            y = year
        elif y != year:
            section = None  # a new year starts without a section
        year = y
    except ValidationError as exc:
        fail("年份", exc.message)
        y = None
    try:
        s = strip_numbering(cell_text(raw.get("部分"), max_len=MAX_TITLE, label="部分"))
        if not s:
            if section is None:
                fail("部分", "部分不能为空")
            s = section
        section = s
    except ValidationError as exc:
        fail("部分", exc.message)
        s = None
    values = {}
    for column, max_len in (("事项", MAX_TITLE), ("内容", MAX_TEXT), ("量化目标", MAX_TITLE),
                            ("责任单位", MAX_TITLE), ("责任领导", MAX_TITLE)):
        try:
            values[column] = cell_text(raw.get(column), max_len=max_len, label=column, required=column == "事项")
        except ValidationError as exc:
            fail(column, exc.message)
    if values.get("事项") is not None:
        values["事项"] = strip_numbering(values["事项"])
    status = None
    try:
        status_text = cell_text(raw.get("状态"), max_len=20, label="状态")
    except ValidationError as exc:
        fail("状态", exc.message)
        status_text = ""
    if status_text:
        status = STATUS_WORDS.get(status_text.replace(" ", "").replace("　", ""))
        if status is None:
            fail("状态", f"未知的状态“{status_text}”（应为 未开始、推进中、已完成、滞后）")
    deadline = None
    try:
        deadline = parse_deadline(raw.get("完成时限"), y or _dt.date.today().year)
    except ValidationError as exc:
        fail("完成时限", exc.message)
    if bad:
        return None, year, section
    target_text = values["量化目标"]
    target = parse_target(desk, target_text) if target_text else None
    if target is not None and target.kind == "indicator":
        try:
            desk.indicators.validate_value(desk.indicators.get(target.indicator_id), target.value)
        except ValidationError as exc:
            errors.append(RowError(SHEET, n, exc.message, "量化目标"))
            return None, year, section
    row = PlanRow(n, y, s, values["事项"], values["内容"], target_text, target, values["责任单位"],
                  values["责任领导"], deadline, status)
    return row, year, section


def _check_whole(rows: list[PlanRow], errors: list[RowError]) -> None:
    """Duplicates within the file: one (年份, 部分, 事项) and one target per indicator and year."""
    seen: dict[tuple, int] = {}
    tied: dict[tuple, int] = {}
    for r in rows:
        key = (r.year, r.section, r.title)
        if key in seen:
            errors.append(RowError(SHEET, r.number, f"与第{seen[key]}行重复（同一年份、部分中的事项“{r.title}”）", "事项"))
        seen.setdefault(key, r.number)
        if r.target is not None and r.target.kind == "indicator":
            tkey = (r.year, r.target.indicator_id)
            if tkey in tied:
                errors.append(RowError(
                    SHEET, r.number, f"{r.target.name}的{r.year}年目标已在第{tied[tkey]}行设定，同一指标只能由一个事项设定目标",
                    "量化目标"))
            tied.setdefault(tkey, r.number)


def _group(rows: list[PlanRow]) -> dict[int, list[tuple[str, list[PlanRow]]]]:
    """Per year, sections in order of first appearance holding their rows in row order."""
    plan: dict[int, dict[str, list[PlanRow]]] = {}
    for r in rows:
        plan.setdefault(r.year, {}).setdefault(r.section, []).append(r)
    return {y: list(sections.items()) for y, sections in plan.items()}


def _match(desk, year: int, sections: list[tuple[str, list[PlanRow]]]):
    """Existing items the rows update: ({row number: item}, [items to delete])."""
    existing = desk.plans.year_items(year)
    by_pair = {(s.title, i.title): i for s, i in existing}
    by_title: dict[str, list[PlanItem]] = defaultdict(list)
    for _s, i in existing:
        by_title[i.title].append(i)
    file_titles = defaultdict(int)
    for _title, rows in sections:
        for r in rows:
            file_titles[r.title] += 1
    matched: dict[int, PlanItem] = {}
    used: set[int] = set()
    for title, rows in sections:
        for r in rows:
            it = by_pair.get((title, r.title))
            if it is not None and it.id not in used:
                matched[r.number] = it
                used.add(it.id)
    for _title, rows in sections:
        for r in rows:
            cands = by_title.get(r.title, [])
            if r.number not in matched and len(cands) == 1 and file_titles[r.title] == 1 and cands[0].id not in used:
                matched[r.number] = cands[0]
                used.add(cands[0].id)
    removed = [i for _s, i in existing if i.id not in used]
    return matched, removed


def _tie_text(t: ParsedTarget | None) -> str:
    if t is None:
        return ""
    what = "指标" if t.kind == "indicator" else "项目统计"
    return f"{what}：{t.name} {plain_number(t.value)}{t.unit}"


def _summary(desk, plan) -> str:
    parts = []
    for year, sections in sorted(plan.items()):
        n_items = sum(len(rows) for _t, rows in sections)
        matched, removed = _match(desk, year, sections)
        if not desk.plans.has_plan(year):
            parts.append(f"{year}年：新建工作计划，{len(sections)}个部分、{n_items}个事项。")
            continue
        titles = _section_titles(desk, year)
        rows_by_number = {r.number: r for _t, rows in sections for r in rows}
        same = sum(1 for n, old in matched.items() if _unchanged(rows_by_number[n], old, titles))
        text = (f"{year}年：已有工作计划将按表格更新为{len(sections)}个部分、{n_items}个事项"
                f"（新增{n_items - len(matched)}项，更新{len(matched) - same}项，"
                + (f"{UNCHANGED}{same}项，" if same else "") + f"删除{len(removed)}项")
        if removed:
            text += f"：{_removed_text(desk, removed)}"
        parts.append(text + "）。")
        gone = _removed_sections(desk, year, sections)
        if removed or gone:
            parts.append(f"注意：表格中没有的{len(removed)}个事项（连同其进展记录{_note_count(desk, removed)}条）"
                         + (f"和{len(gone)}个部分（{'、'.join(f'“{t}”' for t in gone[:5])}）" if gone else "")
                         + "将被删除。")
    tied = sum(1 for sections in plan.values() for _t, rows in sections for r in rows if r.target)
    if tied:
        parts.append(f"其中{tied}个量化目标已关联指标或项目统计，进度将自动计算；指标目标同时作为该指标的年度目标。")
    parts.append("已有事项的进展记录和完成百分比保留。")
    return "\n".join(parts)


def _note_count(desk, items: list[PlanItem]) -> int:
    """Progress notes of ``items`` (deleted with them)."""
    ids = [i.id for i in items]
    if not ids:
        return 0
    marks = ",".join("?" for _ in ids)
    return desk.db.execute(f"SELECT count(*) FROM plan_progress_notes WHERE item_id IN ({marks})", ids).fetchone()[0]


def _removed_text(desk, removed: list[PlanItem]) -> str:
    names = "、".join(f"“{i.title}”" for i in removed[:5]) + ("等" if len(removed) > 5 else "")
    notes = _note_count(desk, removed)
    return names + (f"，连同其进展记录{notes}条" if notes else "")


UNCHANGED = "不变"  # as in the project import's preview


def _section_titles(desk, year: int) -> dict[int, str]:
    return {s.id: s.title for s in desk.plans.sections(year)}


def _unchanged(r: PlanRow, old: PlanItem, titles: dict[int, str]) -> bool:
    """True when importing row ``r`` over the matched item ``old`` would change nothing of it."""
    new = _item_from_row(r, old.section_id, old)
    if new.target_kind is not None:
        # A tied target's text is generated from the tie when saved ("新开工项目数≥12个"), so
        # the sheet's wording of the same tie ("新开工项目不少于12个") changes nothing.
        new = replace(new, target_text=old.target_text)
    return titles.get(old.section_id) == r.section and new == old


def _removed_sections(desk, year: int, sections) -> list[str]:
    """Titles of the year's sections the sheet no longer has (removed by the import)."""
    titles = {title for title, _rows in sections}
    return [s.title for s in desk.plans.sections(year) if s.title not in titles]


def apply(desk, preview: ImportPreview) -> str:
    """Write every year of the sheet in one transaction; returns a summary line."""
    plan = preview.payload or {}
    added = updated = same = deleted = notes = sections_gone = 0
    plans = desk.plans
    with desk.atomic():
        for year, sections in sorted(plan.items()):
            matched, removed = _match(desk, year, sections)
            notes += _note_count(desk, removed)
            sections_gone += len(_removed_sections(desk, year, sections))
            for it in removed:
                plans.remove_item(it.id)
                deleted += 1
            existing_sections = {s.title: s for s in plans.sections(year)}
            section_ids = []
            for title, rows in sections:
                section = existing_sections.get(title) or plans.add_section(year, title)
                section_ids.append(section.id)
                item_ids = []
                titles = _section_titles(desk, year)
                for r in rows:
                    old = matched.get(r.number)
                    if old is not None and _unchanged(r, old, titles):
                        item_ids.append(old.id)  # nothing to write (and nothing in the change log)
                        same += 1
                        continue
                    item = _item_from_row(r, section.id, old)
                    item_ids.append(plans.save_item(item, check_unique=False).id)
                    if old is None:
                        added += 1
                    else:
                        updated += 1
                plans.reorder_items(section.id, item_ids)
            for s in plans.sections(year):
                if s.id not in section_ids:
                    plans.remove_section(s.id)
            plans.reorder_sections(year, section_ids)
    years = "、".join(f"{y}年" for y in sorted(plan))
    extra = []
    if deleted:
        extra.append(f"连同其进展记录{notes}条")
    if sections_gone:
        extra.append(f"删除表格中没有的部分{sections_gone}个")
    tail = f"（{'，'.join(extra)}）" if extra else ""
    unchanged = f"{UNCHANGED}{same}项，" if same else ""
    return f"已导入{years}工作计划：新增{added}项，更新{updated}项，{unchanged}删除{deleted}项{tail}。"


def _item_from_row(r: PlanRow, section_id: int, old: PlanItem | None) -> PlanItem:
    t = r.target
    target = dict(target_text=r.target_text, target_kind=None, target_indicator_id=None, target_stat=None,
                  target_value=None)
    if t is not None:
        target.update(target_kind=t.kind, target_indicator_id=t.indicator_id, target_stat=t.stat, target_value=t.value)
    elif old is not None and old.target_kind and old.target_text == r.target_text:
        target.update(target_kind=old.target_kind, target_indicator_id=old.target_indicator_id,
                      target_stat=old.target_stat, target_value=old.target_value)
    fields = dict(section_id=section_id, title=r.title, content=r.content, owner_department=r.owner,
                  leader=r.leader, deadline=r.deadline, **target)
    if old is None:
        return PlanItem(status=r.status or STATUS_NOT_STARTED, **fields)
    return replace(old, status=r.status or old.status, **fields)


# --- export ------------------------------------------------------------------------------------------
def export(desk, year: int, path: Path) -> None:
    """The year's plan on the 工作计划 sheet (importable again; overdue items in red)
    and a 进展情况 sheet for printing: target progress, completion, latest notes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    from ..plan_progress import plan_view

    today = _dt.date.today()
    view = plan_view(desk, year, as_of=today)
    if not view.sections:
        raise ValidationError(f"{year}年还没有工作计划，无可导出的内容。")
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    write_row(ws, 1, HEADERS, bold=True)
    thin = Side(style="thin", color="999999")
    border = Border(top=thin, bottom=thin, left=thin, right=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    row = 2
    for n, (section, views) in enumerate(view.sections, start=1):
        for v in views:
            it = v.item
            write_row(ws, row, [year, f"{heading_number(2, n)}{section.title}", it.title, it.content, it.target_text,
                                it.owner_department, it.leader, it.deadline or "", it.status])
            for cell in ws[row]:
                cell.alignment = wrap
                cell.border = border
                if v.overdue:
                    cell.font = Font(color="C00000")
            row += 1
    format_sheet(ws, WIDTHS, title=f"{year}年工作计划（红色为逾期未完成事项）")

    ps = wb.create_sheet(PROGRESS_SHEET)
    headers = ["部分", "事项", "量化目标", "目标完成情况", "完成%", "状态", "最新进展"]
    write_row(ps, 1, headers, bold=True)
    row = 2
    for n, (section, views) in enumerate(view.sections, start=1):
        for v in views:
            tp = target_progress(desk, v.item, year, as_of=today)
            note = f"{v.latest_note['noted_on']} {v.latest_note['text']}" if v.latest_note else ""
            write_row(ps, row, [f"{heading_number(2, n)}{section.title}", v.item.title, v.item.target_text,
                                _progress_text(tp), "" if v.item.progress_pct is None else v.item.progress_pct,
                                v.status, note])
            for cell in ps[row]:
                cell.alignment = wrap
                cell.border = border
                if v.status == STATUS_LATE:
                    cell.font = Font(color="C00000")
            row += 1
    format_sheet(ps, [30, 24, 24, 22, 8, 8, 48], title=f"{year}年工作计划进展情况（截至{today.isoformat()}）")
    save_workbook(wb, path)


def _progress_text(tp) -> str:
    if tp is None:
        return ""
    if tp.actual is None:
        return "暂无数据"
    when = f"（截至{tp.month}月）" if tp.month else ""
    return f"{plain_number(round(tp.actual, 2))}/{plain_number(tp.target)}{tp.unit}，{'' if tp.pct is None else f'{tp.pct:.1f}%'}{when}"
