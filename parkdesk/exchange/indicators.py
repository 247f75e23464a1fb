"""Indicators in Excel: template, import (all or nothing) and export (DESIGN.md 5).

Import sheets (the contract):

- 指标数据: 指标名称 | 计量单位 | 年份 | 月份 | 累计值 | 上年同期 | 同比增长(%) | 备注
- 年度目标与预计 (optional): 指标名称 | 年份 | 年度目标 | 预计全年 | 预计增长(%)

Names resolve through the catalog's aliases; amounts convert into the
indicator's unit (17100 万元 → 1.71 亿元); an empty 计量单位 means the
catalog's unit; a given 同比增长(%) is stored as the official rate; empty
cells never clear stored figures. Any bad row rejects the whole file.

The export's first two sheets are these import sheets (the file can be
imported again unchanged); the others are for reading and printing.
"""

from __future__ import annotations

import datetime as _dt
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..catalog import BUILTIN_INDICATORS, GROWTH_ONLY, KIND_LABELS
from ..errors import ImportRejected, RowError, ValidationError
from ..indicators import Indicator, normalize_name, to_indicator_unit, validate_growth
from ..numbers import fmt, parse_quantity
from . import ImportPreview
from .workbook import (
    cell_number,
    cell_text,
    format_sheet,
    instructions_sheet,
    open_workbook,
    read_table,
    save_workbook,
    write_row,
)

DATA_SHEET = "指标数据"
YEAR_SHEET = "年度目标与预计"
DATA_HEADERS = ["指标名称", "计量单位", "年份", "月份", "累计值", "上年同期", "同比增长(%)", "备注"]
YEAR_HEADERS = ["指标名称", "年份", "年度目标", "预计全年", "预计增长(%)"]
# An optional 计量单位 column is also understood on the targets sheet.
YEAR_READ_HEADERS = YEAR_HEADERS + ["计量单位"]
# Other headers seen in statistics sheets, read as the template's.
ALIASES = {
    "指标": "指标名称", "指标名": "指标名称", "项目": "指标名称",
    "单位": "计量单位",
    "年度": "年份",
    "月": "月份", "截至月份": "月份",
    "累计": "累计值", "本年累计": "累计值", "累计完成": "累计值", "本期累计": "累计值", "本年累计值": "累计值",
    "去年同期": "上年同期", "上年同期值": "上年同期", "上年同期累计": "上年同期",
    "同比增长": "同比增长(%)", "同比增长%": "同比增长(%)", "同比(%)": "同比增长(%)", "同比": "同比增长(%)",
    "同比增减(%)": "同比增长(%)", "增幅(%)": "同比增长(%)", "增速(%)": "同比增长(%)", "同比增速(%)": "同比增长(%)",
    "目标": "年度目标", "全年目标": "年度目标", "年度目标值": "年度目标", "目标任务": "年度目标",
    "预计": "预计全年", "全年预计": "预计全年", "预计完成": "预计全年",
    "预计增长": "预计增长(%)", "预计增速(%)": "预计增长(%)", "预计增幅(%)": "预计增长(%)",
}
PREVIEW_HEADERS = ["工作表", "行", "指标", "单位", "期间", "累计值", "上年同期", "同比增长(%)",
                   "年度目标", "预计全年", "预计增长(%)", "备注", "处理"]
MIN_YEAR = 1949
_MONTH_RE = re.compile(r"^(?:1\s*[—\-~至到]\s*)?(\d{1,2})\s*月?(?:份)?(?:累计)?$")


@dataclass
class _Payload:
    months: list[dict[str, Any]] = field(default_factory=list)
    years: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


# --- template ------------------------------------------------------------------------------
def write_template(path: Path) -> None:
    """The blank import template: the two import sheets, instructions and the built-in catalog."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    write_row(ws, 1, DATA_HEADERS, bold=True)
    format_sheet(ws, [22, 10, 8, 8, 14, 14, 13, 30], title=DATA_SHEET)
    ws2 = wb.create_sheet(YEAR_SHEET)
    write_row(ws2, 1, YEAR_HEADERS, bold=True)
    format_sheet(ws2, [22, 8, 14, 14, 13], title=YEAR_SHEET)
    instructions_sheet(wb, "指标数据导入说明", INSTRUCTIONS)
    _catalog_sheet(wb, [(d.name, d.unit, d.category, d.kind, d.aliases) for d in BUILTIN_INDICATORS])
    save_workbook(wb, Path(path))


INSTRUCTIONS = [
    "一、“指标数据”工作表：每行填写一个指标一个月份的数据，表头（第一行）不要改动。",
    "1. 指标名称：与“指标目录”中的名称或别名一致即可（如“税收”“实缴税金”都会识别为“税收收入”）。",
    "2. 计量单位：可不填，不填即按指标目录中的单位；填写时可用元、万元、亿元，万美元、亿美元，家、户等，"
    "导入时自动换算（例如 17100 万元导入“亿元”指标为 1.71 亿元）。",
    "3. 年份：四位数字，如 2026。月份：1—12 的数字，月份 N 表示 1—N月累计（期末值类指标为 N 月末的数值）；"
    "也可写成“8月”或“1—8月”。",
    "4. 累计值：数字，可带千分位分隔符（如 12,345.6）或全角数字。只公布增速的指标（如地区生产总值）不填累计值，只填同比增长。",
    "5. 上年同期：可不填。没有上年数据时（首年使用）填写，用于计算同比。",
    "6. 同比增长(%)：可不填。填写的视为统计部门公布的官方增速，优先于按数值计算的增速；"
    "比率类指标（单位为 %）填写的是增减的个百分点。",
    "7. 备注：可不填。",
    "二、“年度目标与预计”工作表（可不填）：每行一个指标一个年份的年度目标、预计全年数和预计增长(%)，单位同指标目录。",
    "三、导入规则：整个文件全部正确才会导入，任何一行有错都不导入任何数据，并列出每个错误所在的工作表和行号。"
    "空白单元格不会清除已有数据；同一指标同一年月只能出现一行。",
    "四、导入前会显示预览：哪些数据是新增、哪些会更新已有数据。",
]


def _catalog_sheet(wb, rows) -> None:
    ws = wb.create_sheet("指标目录")
    write_row(ws, 1, ["指标名称", "计量单位", "类别", "类型", "别名（导入时也可使用）"], bold=True)
    for r, (name, unit, category, kind, aliases) in enumerate(rows, start=2):
        write_row(ws, r, [name, unit, category, KIND_LABELS.get(kind, kind), "、".join(aliases)])
    format_sheet(ws, [22, 12, 12, 10, 60], landscape=False, title="指标目录")


# --- reading -----------------------------------------------------------------------------------
class _Catalog:
    """Name and alias lookup over the whole catalog, built once per file."""

    def __init__(self, desk):
        self.indicators = desk.indicators.list(include_retired=True)
        self.by_key: dict[str, Indicator] = {}
        for ind in self.indicators:
            for alias in ind.aliases:
                self.by_key.setdefault(normalize_name(alias), ind)
        for ind in self.indicators:
            self.by_key[normalize_name(ind.name)] = ind  # a catalog name wins over an alias

    def resolve(self, name: str) -> Indicator:
        ind = self.by_key.get(normalize_name(name))
        if ind is None:
            raise ValidationError(f"未知的指标“{name}”（请使用指标目录中的名称或别名）")
        if ind.retired:
            raise ValidationError(f"指标“{ind.name}”已停用，请先在指标目录中恢复")
        return ind


def _year(value: Any, hi: int) -> int:
    if isinstance(value, str):
        value = unicodedata.normalize("NFKC", value).strip().removesuffix("年")
    if value is None or value == "":
        raise ValidationError("年份不能为空")
    number = cell_number(value, label="年份")
    if number is None or not float(number).is_integer():
        raise ValidationError(f"年份“{value}”应为四位整数")
    year = int(number)
    if not MIN_YEAR <= year <= hi:
        raise ValidationError(f"年份“{year}”不合理（应在 {MIN_YEAR}—{hi} 之间）")
    return year


def _month(value: Any) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError("月份不能为空")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not float(value).is_integer():
            raise ValidationError(f"月份“{value:g}”应为整数")
        month = int(value)
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().replace("–", "-")
        m = _MONTH_RE.match(text)
        if not m:
            raise ValidationError(f"月份“{str(value)[:20]}”无效（应为 1—12）")
        month = int(m.group(1))
    if not 1 <= month <= 12:
        raise ValidationError(f"月份“{month}”超出 1—12")
    return month


def _amount(value: Any, ind: Indicator, unit: str, label: str) -> tuple[float | None, str]:
    """A figure in the indicator's unit, and a note when it was converted."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    if isinstance(value, (_dt.date, _dt.datetime)):
        raise ValidationError(f"{label}是日期，不是数字")
    try:
        number, inline_unit = parse_quantity(value)
    except ValidationError as exc:
        raise ValidationError(f"{label}：{exc.message}") from None
    given = inline_unit or unit
    converted = to_indicator_unit(ind, number, given)
    note = ""
    if given and converted != number:
        note = f"{label}{fmt(number, 6).rstrip('0').rstrip('.')}{given}换算为{fmt(converted, ind.decimals)}{ind.unit}"
    return converted, note


def preview(desk, path: Path) -> ImportPreview:
    """Read and check an indicator workbook without writing anything."""
    path = Path(path)
    result = ImportPreview(kind="indicators", path=path, headers=list(PREVIEW_HEADERS))
    wb = open_workbook(path)
    try:
        # With neither sheet, 指标数据 is looked for under another name (or reported missing).
        only_targets = YEAR_SHEET in wb.sheetnames
        data_rows, errs1 = read_table(wb, DATA_SHEET, DATA_HEADERS, ["指标名称", "年份", "月份", "累计值"],
                                      optional_sheet=only_targets, aliases=ALIASES)
        year_rows, errs2 = read_table(wb, YEAR_SHEET, YEAR_READ_HEADERS, ["指标名称", "年份"], optional_sheet=True,
                                      aliases=ALIASES)
    finally:
        wb.close()
    result.errors.extend(errs1 + errs2)
    catalog = _Catalog(desk)
    payload = _Payload(counts={"新增": 0, "更新": 0, "不变": 0, "目标新增": 0, "目标更新": 0, "目标不变": 0,
                               "空行": 0})
    this_year = _dt.date.today().year
    _read_data_rows(desk, data_rows, catalog, this_year + 1, payload, result)
    _read_year_rows(desk, year_rows, catalog, this_year + 10, payload, result)
    if not result.errors and not result.rows:
        result.errors.append(RowError(DATA_SHEET, None, "文件中没有可导入的数据"))
    result.payload = payload
    result.summary = _summary(payload, result.errors)
    return result


class _RowReader:
    """Reads the cells of one sheet row, collecting an error per bad cell."""

    def __init__(self, sheet: str, row, desk, catalog: _Catalog):
        self.sheet, self.row, self.desk, self.catalog = sheet, row, desk, catalog
        self.errors: list[RowError] = []
        self.notes: list[str] = []  # unit conversions, shown in the preview

    def error(self, column: str | None, message: str) -> None:
        self.errors.append(RowError(self.sheet, self.row.number, message, column))

    def read(self, column: str, convert):
        try:
            return convert(self.row.get(column))
        except ValidationError as exc:
            self.error(column, exc.message)
            return None

    def indicator(self) -> Indicator | None:
        def resolve(value):
            name = cell_text(value, max_len=60, label="指标名称")
            if not name:
                raise ValidationError("指标名称为空")
            return self.catalog.resolve(name)
        return self.read("指标名称", resolve)

    def amounts(self, ind: Indicator, unit: str, columns) -> dict[str, float | None]:
        """Figures in the indicator's unit, checked against its limits."""
        figures: dict[str, float | None] = {}
        for column, key in columns:
            def amount(value, column=column):
                number, converted = _amount(value, ind, unit, column)
                if converted:
                    self.notes.append(converted)
                if number is not None:
                    if ind.kind == GROWTH_ONLY:
                        raise ValidationError(f"“{ind.name}”只录入增速，{column}应为空")
                    self.desk.indicators.validate_value(ind, number)
                return number
            figures[key] = self.read(column, amount)
        return figures

    def growth(self, ind: Indicator, column: str) -> float | None:
        def growth(value):
            number = cell_number(value, label=column)
            validate_growth(ind, number)
            return number
        return self.read(column, growth)


def _action(old: dict[str, Any] | None, given: dict[str, Any]) -> str:
    """新增 / 更新 / 不变 for a row against what is stored."""
    if old is None:
        return "新增"
    return "不变" if all(_same(old.get(k), v) for k, v in given.items()) else "更新"


def _read_data_rows(desk, rows, catalog: _Catalog, max_year: int, payload: _Payload, result: ImportPreview) -> None:
    seen: dict[tuple[int, int, int], int] = {}
    parsed = []
    for row in rows:
        r = _RowReader(DATA_SHEET, row, desk, catalog)
        ind = r.indicator()
        unit = r.read("计量单位", lambda v: cell_text(v, max_len=20, label="计量单位")) or ""
        year = r.read("年份", lambda v: _year(v, max_year))
        month = r.read("月份", _month)
        figures: dict[str, float | None] = {}
        if ind is not None:
            figures = r.amounts(ind, unit, (("累计值", "value"), ("上年同期", "prior_value")))
            figures["official_yoy"] = r.growth(ind, "同比增长(%)")
        note = r.read("备注", lambda v: cell_text(v, max_len=500, label="备注")) or None
        if not r.errors and ind is not None and year is not None and month is not None:
            key = (ind.id, year, month)
            if key in seen:
                r.error(None, f"与第{seen[key]}行重复（同一指标“{ind.name}”、{year}年{month}月只能有一行）")
            seen.setdefault(key, row.number)
        if r.errors:
            result.errors.extend(r.errors)
        elif all(v is None for v in figures.values()) and note is None:
            payload.counts["空行"] += 1
        else:
            parsed.append((row.number, ind, year, month, figures, note, r.notes))
    existing = _existing_months(desk, {p[2] for p in parsed})
    for number, ind, year, month, figures, note, notes in parsed:
        given = {k: v for k, v in figures.items() if v is not None}
        if note is not None:
            given["note"] = note
        action = _action(existing.get((ind.id, year, month)), given)
        payload.counts[action] += 1
        if action != "不变":
            payload.months.append({"i": ind.id, "y": year, "m": month, "v": figures.get("value"),
                                   "p": figures.get("prior_value"), "o": figures.get("official_yoy"), "n": note})
        result.rows.append([
            DATA_SHEET, number, ind.name, ind.unit, f"{year}年{month}月", _show(figures.get("value"), ind.decimals),
            _show(figures.get("prior_value"), ind.decimals), _show(figures.get("official_yoy"), ind.growth_decimals),
            "", "", "", note or "", "；".join([action, *notes]),
        ])


def _read_year_rows(desk, rows, catalog: _Catalog, max_year: int, payload: _Payload, result: ImportPreview) -> None:
    seen: dict[tuple[int, int], int] = {}
    parsed = []
    for row in rows:
        r = _RowReader(YEAR_SHEET, row, desk, catalog)
        ind = r.indicator()
        year = r.read("年份", lambda v: _year(v, max_year))
        unit = r.read("计量单位", lambda v: cell_text(v, max_len=20, label="计量单位")) or ""
        figures: dict[str, float | None] = {}
        if ind is not None:
            figures = r.amounts(ind, unit, (("年度目标", "target"), ("预计全年", "forecast")))
            figures["forecast_yoy"] = r.growth(ind, "预计增长(%)")
        if not r.errors and ind is not None and year is not None:
            if (ind.id, year) in seen:
                r.error(None, f"与第{seen[(ind.id, year)]}行重复（同一指标“{ind.name}”、{year}年只能有一行）")
            seen.setdefault((ind.id, year), row.number)
        if r.errors:
            result.errors.extend(r.errors)
        elif all(v is None for v in figures.values()):
            payload.counts["空行"] += 1
        else:
            parsed.append((row.number, ind, year, figures, r.notes))
    existing = _existing_years(desk, {p[2] for p in parsed})
    for number, ind, year, figures, notes in parsed:
        action = _action(existing.get((ind.id, year)), {k: v for k, v in figures.items() if v is not None})
        payload.counts["目标" + action] += 1
        if action != "不变":
            payload.years.append({"i": ind.id, "y": year, "t": figures.get("target"), "f": figures.get("forecast"),
                                  "g": figures.get("forecast_yoy")})
        result.rows.append([
            YEAR_SHEET, number, ind.name, ind.unit, f"{year}年", "", "", "",
            _show(figures.get("target"), ind.decimals), _show(figures.get("forecast"), ind.decimals),
            _show(figures.get("forecast_yoy"), ind.growth_decimals), "", "；".join([action, *notes]),
        ])


def _existing_months(desk, years) -> dict[tuple[int, int, int], dict[str, Any]]:
    out = {}
    for year in years:
        for i, y, m, v, p, o, n in desk.db.execute(
            "SELECT indicator_id, year, month, value, prior_value, official_yoy, note FROM indicator_values "
            "WHERE year = ?", [year]
        ):
            out[(i, y, m)] = {"value": v, "prior_value": p, "official_yoy": o, "note": n}
    return out


def _existing_years(desk, years) -> dict[tuple[int, int], dict[str, Any]]:
    out = {}
    for year in years:
        for i, y, t, f, g in desk.db.execute(
            "SELECT indicator_id, year, target, forecast, forecast_yoy FROM indicator_years WHERE year = ?", [year]
        ):
            out[(i, y)] = {"target": t, "forecast": f, "forecast_yoy": g}
    return out


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, float) and isinstance(new, float):
        return abs(old - new) <= 1e-9 * max(1.0, abs(old))
    return old == new


def _show(value: float | None, decimals: int) -> str:
    return "" if value is None else fmt(value, decimals, dash="")


def _summary(payload: _Payload, errors: list[RowError]) -> str:
    c = payload.counts
    parts = []
    n_data = c["新增"] + c["更新"] + c["不变"]
    if n_data:
        parts.append(f"{DATA_SHEET} {n_data} 行：新增 {c['新增']} 行，更新 {c['更新']} 行，与现有数据相同 {c['不变']} 行")
    n_year = c["目标新增"] + c["目标更新"] + c["目标不变"]
    if n_year:
        parts.append(f"{YEAR_SHEET} {n_year} 行：新增 {c['目标新增']} 行，更新 {c['目标更新']} 行，"
                     f"与现有数据相同 {c['目标不变']} 行")
    if c["空行"]:
        parts.append(f"没有数据的 {c['空行']} 行已跳过")
    periods = sorted({(r["y"], r["m"]) for r in payload.months})
    if periods:
        years = sorted({y for y, _m in periods})
        spans = []
        for y in years:
            months = [m for yy, m in periods if yy == y]
            spans.append(f"{y}年{months[0]}—{months[-1]}月" if len(months) > 1 else f"{y}年{months[0]}月")
        parts.append(f"涉及 {'、'.join(spans)}，{len({r['i'] for r in payload.months})} 个指标")
    text = "；".join(parts) + ("。" if parts else "")
    if errors:
        text += f"\n发现 {len(errors)} 处错误，整个文件不能导入（数据库未作任何修改）。"
    elif not payload.months and not payload.years and parts:
        text += "\n文件中的数据与数据库中已有的完全相同，无需导入。"
    return text


# --- writing ---------------------------------------------------------------------------------------
def apply(desk, preview: ImportPreview) -> str:
    """Write a checked preview in one transaction; return what was done."""
    if preview.errors:
        raise ImportRejected(preview.errors)
    payload: _Payload = preview.payload
    now = _dt.datetime.now().isoformat(timespec="seconds")
    try:
        with desk.atomic():
            desk.db.conn.executemany(
                "INSERT INTO indicator_values (indicator_id, year, month, value, prior_value, official_yoy, note, "
                "updated_at) VALUES (:i, :y, :m, :v, :p, :o, coalesce(:n, ''), :t) "
                "ON CONFLICT(indicator_id, year, month) DO UPDATE SET value = coalesce(:v, value), "
                "prior_value = coalesce(:p, prior_value), official_yoy = coalesce(:o, official_yoy), "
                "note = coalesce(:n, note), updated_at = :t",
                [dict(r, t=now) for r in payload.months],
            )
            desk.db.conn.executemany(
                "INSERT INTO indicator_years (indicator_id, year, target, forecast, forecast_yoy, updated_at) "
                "VALUES (:i, :y, :t, :f, :g, :now) ON CONFLICT(indicator_id, year) DO UPDATE SET "
                "target = coalesce(:t, target), forecast = coalesce(:f, forecast), "
                "forecast_yoy = coalesce(:g, forecast_yoy), updated_at = :now",
                [dict(r, now=now) for r in payload.years],
            )
            for r in payload.years:
                if r["t"] is not None:
                    desk.indicators.sync_plan_targets(r["i"], r["y"], r["t"])
    except sqlite3.IntegrityError as exc:
        raise ImportRejected([RowError(preview.path.name, None, f"数据库在预览之后发生了变化（{exc}）")],
                             message="导入未完成：数据库在预览之后发生了变化，请重新导入。数据库未作任何修改。") from None
    c = payload.counts
    parts = []
    if c["新增"] or c["更新"]:
        parts.append(f"指标数据新增 {c['新增']} 行、更新 {c['更新']} 行")
    if c["目标新增"] or c["目标更新"]:
        parts.append(f"年度目标与预计新增 {c['目标新增']} 行、更新 {c['目标更新']} 行")
    if not parts:
        return "文件中的数据与数据库中已有的完全相同，未作修改。"
    return "已导入：" + "；".join(parts) + "。"


# --- export ----------------------------------------------------------------------------------------
def export(desk, year: int, path: Path, through: int | None = None) -> None:
    """The year's data in the import layout, plus printable 完成情况 and 月度数据 sheets.

    ``through`` (month N of the 完成情况 sheet) defaults to the year's latest month with data.
    :raises ValidationError: when the year holds no indicator data.
    """
    from .indicators_export import write_export

    write_export(desk, year, Path(path), through)
