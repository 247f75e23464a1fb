"""Reading and writing .xlsx files defensively (shared by every kind).

Reading: a file that is empty, random bytes, a zip that is no workbook, an
old .xls, a zip bomb, a sheet with the wrong headers — each becomes a clear
:class:`~parkdesk.errors.RowError`, never a traceback.
Writing: no cell ever becomes a formula, and files are renamed into place.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..errors import ImportRejected, RowError, ValidationError
from ..fileio import atomic_output
from ..numbers import parse_date, parse_number

MAX_ROWS = 200_000
MAX_TEXT = 2000
MAX_UNCOMPRESSED = 300 * 1024 * 1024
_OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# C0 and C1 control characters and the bidirectional overrides that can disguise text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_HEADER_NOISE = re.compile(r"[\s　]")


def _reject(path: Path, message: str) -> ImportRejected:
    return ImportRejected([RowError(path.name, None, message)], message=f"无法导入“{path.name}”：{message}")


def open_workbook(path: Path):
    """Open an .xlsx for reading (values, not formulas).

    :raises ImportRejected: when the file is missing, empty or not a workbook.
    """
    path = Path(path)
    if not path.exists():
        raise _reject(path, "文件不存在")
    if path.is_dir():
        raise _reject(path, "这是一个文件夹，不是 Excel 文件")
    if path.stat().st_size == 0:
        raise _reject(path, "文件是空的")
    with open(path, "rb") as fh:
        head = fh.read(8)
        rest = fh.read(256 * 1024) if head == _OLE_HEADER else b""
    if head == _OLE_HEADER:
        # Excel and WPS keep a password-protected .xlsx in the same container as an old .xls.
        if "EncryptionInfo".encode("utf-16-le") in rest or "EncryptedPackage".encode("utf-16-le") in rest:
            raise _reject(path, "这是设置了打开密码的加密工作簿，请在 Excel 或 WPS 中取消密码、另存为 .xlsx 后再导入")
        raise _reject(path, "这是旧版 Excel（.xls）文件，请在 Excel 或 WPS 中“另存为”.xlsx 格式后再导入")
    if not zipfile.is_zipfile(path):
        raise _reject(path, "不是 Excel 工作簿（.xlsx）文件")
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            total = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _reject(path, f"文件已损坏（{exc}）") from exc
    if "xl/workbook.xml" not in names:
        raise _reject(path, "是压缩文件，但不是 Excel 工作簿（.xlsx）")
    if total > MAX_UNCOMPRESSED:
        raise _reject(path, "文件解压后过大，不像是正常的数据表")
    try:
        from openpyxl import load_workbook

        _plain_text_reader()
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on broken files
        raise _reject(path, f"无法读取工作簿，文件可能已损坏（{type(exc).__name__}）") from exc
    wb.parkdesk_path = path
    wb.parkdesk_uncached = _has_uncached_formulas(path)
    return wb


# A formula cell saved without its result (<c><f>…</f></c>, no <v>): scripts and WPS with
# manual recalculation write these; read as values they would look empty.
_UNCACHED_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/](?:[^<]*</(?:\w+:)?f>)?\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>")


def _has_uncached_formulas(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    data = zf.read(name)
                    if (b"<f" in data or b":f" in data) and _UNCACHED_FORMULA.search(data):
                        return True
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return False


def _formula_errors(wb, sheet: str, columns: dict[int, str], rows: list["SheetRow"]) -> list[RowError]:
    """Cells of ``rows`` that hold a formula without a saved result."""
    if not getattr(wb, "parkdesk_uncached", False) or not rows:
        return []
    from openpyxl import load_workbook

    by_number = {r.number: r for r in rows}
    errors = []
    formulas = load_workbook(wb.parkdesk_path, read_only=True, data_only=False)
    try:
        for number, raw in enumerate(formulas[sheet].iter_rows(values_only=True), start=1):
            row = by_number.get(number)
            if row is None:
                continue
            for i, header in columns.items():
                value = raw[i] if i < len(raw) else None
                if isinstance(value, str) and value.startswith("=") and row.values.get(header) is None:
                    errors.append(RowError(sheet, number, f"“{header}”是公式（{value[:30]}），但文件中没有保存计算结果；"
                                           "请在 Excel 或 WPS 中打开并保存，或把公式改为数值后再导入", header))
    finally:
        formulas.close()
    return errors


class _PlainText:
    """What openpyxl's readers need of a string cell (``Text.from_tree(el).content``),
    without building its full rich-text object tree for every cell: that tree
    was half the time of reading a 10,000-row sheet. Same result: the plain
    ``<t>`` first, then the ``<t>`` of each run; phonetic guides left out."""

    __slots__ = ("content",)

    @classmethod
    def from_tree(cls, node) -> "_PlainText":
        from openpyxl.xml.constants import SHEET_MAIN_NS

        t, r = f"{{{SHEET_MAIN_NS}}}t", f"{{{SHEET_MAIN_NS}}}r"
        parts = [el.text or "" for el in node.iterfind(t)]
        for run in node.iterfind(r):
            parts += [el.text or "" for el in run.iterfind(t)]
        text = cls()
        text.content = "".join(parts)
        return text


def _plain_text_reader() -> None:
    """Point openpyxl's cell and shared-string readers at :class:`_PlainText` (once)."""
    from openpyxl.reader import strings
    from openpyxl.worksheet import _reader

    _reader.Text = _PlainText
    strings.Text = _PlainText


def normalize_header(text: Any) -> str:
    """Header key: no spaces, full-width brackets and percent made half-width."""
    s = unicodedata.normalize("NFKC", str(text or ""))
    return _HEADER_NOISE.sub("", s)


HEADER_SCAN_ROWS = 10  # title, unit and note lines above the header that are skipped


@dataclass
class SheetRow:
    """One data row of a sheet: its row number in Excel and values by header.

    ``units`` holds the unit a column's header names when it differs from the
    template's (a column headed 总投资(亿元) read as 总投资(万元)), and under
    :data:`SHEET_UNIT` the money unit a line above the header gives for the whole
    table ("单位：亿元", "金额单位：万元").
    """

    number: int
    values: dict[str, Any]
    units: dict[str, str] = field(default_factory=dict)

    def get(self, header: str) -> Any:
        return self.values.get(header)


def _blank(raw) -> bool:
    return raw is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in raw)


def _match_header(raw, wanted: dict[str, str], aliases: dict[str, tuple[str, str | None]]
                  ) -> tuple[dict[int, str], dict[str, str]]:
    """Columns of a candidate header row: {index: header} and {header: unit of an alias}.

    An exact header wins over an alias for the same column; a header seen twice keeps its first column.
    """
    columns: dict[int, str] = {}
    units: dict[str, str] = {}
    keys = [normalize_header(v) if v is not None else "" for v in raw]
    for idx, key in enumerate(keys):
        if key in wanted and wanted[key] not in columns.values():
            columns[idx] = wanted[key]
            named = _HEADER_MONEY_UNIT.search(key)
            if named:  # 总投资(万元): the header names its unit, which a "单位：亿元" line does not change
                units[wanted[key]] = named.group(1)
    for idx, key in enumerate(keys):
        if idx in columns or key not in aliases:
            continue
        header, unit = aliases[key]
        if header not in columns.values():
            columns[idx] = header
            if unit:
                units[header] = unit
    return columns, units


def _find_header(rows, wanted, aliases, required):
    """(position in ``rows``, columns, units) of the first row holding every required
    header, or (position of the best candidate, its columns, units) with ok False."""
    best = None
    for pos, (_number, raw) in enumerate(rows):
        columns, units = _match_header(raw, wanted, aliases)
        if all(h in columns.values() for h in required):
            return pos, columns, units, True
        if columns and (best is None or len(columns) > len(best[1])):
            best = (pos, columns, units)
    if best is None:
        return 0, {}, {}, False
    return (*best, False)


def _head_rows(ws, limit: int = HEADER_SCAN_ROWS) -> list[tuple[int, tuple]]:
    """The first ``limit`` non-empty rows of a sheet with their Excel row numbers."""
    head: list[tuple[int, tuple]] = []
    for number, raw in enumerate(ws.iter_rows(values_only=True), start=1):
        if _blank(raw):
            continue
        head.append((number, raw))
        if len(head) >= limit:
            break
    return head


def _guess_sheet(wb, sheet: str, wanted, aliases, required) -> str | None:
    """The only other sheet whose header holds every required column (a file saved
    from WPS or another system with its data on "Sheet1"), else None."""
    found = []
    for name in wb.sheetnames:
        if name == sheet or name == "填写说明":
            continue
        try:
            head = _head_rows(wb[name])
        except Exception:  # noqa: BLE001 - an unreadable other sheet is just not a candidate
            continue
        if _find_header(head, wanted, aliases, required)[3]:
            found.append(name)
    return found[0] if len(found) == 1 else None


def read_table(wb, sheet: str, headers: list[str], required: Iterable[str], *,
               optional_sheet: bool = False, aliases: dict[str, str | tuple[str, str]] | None = None
               ) -> tuple[list[SheetRow], list[RowError]]:
    """Read a sheet whose header row holds ``headers`` (any order, extra columns ignored).

    The header is the first of the first :data:`HEADER_SCAN_ROWS` non-empty rows
    that holds every ``required`` header, so a title ("2026年1—4月主要经济指标"),
    a "单位：万元" line or notes above it are skipped. Headers match ignoring
    spaces, line breaks and full-width brackets; ``aliases`` maps other header
    texts to a header, optionally with the unit of that column's figures
    (``{"总投资(亿元)": ("总投资(万元)", "亿元")}``), recorded in ``SheetRow.units``.
    A missing sheet that is not optional is looked for among the other sheets
    (the only one with the required headers is read instead).

    Returns the data rows (empty rows skipped, with their Excel row numbers) and
    the errors found: a missing sheet, missing required headers, too many rows.
    """
    errors: list[RowError] = []
    required = list(required)
    wanted = {normalize_header(h): h for h in headers}
    alias_map: dict[str, tuple[str, str | None]] = {}
    for text, target in (aliases or {}).items():
        header, unit = (target, None) if isinstance(target, str) else target
        key = normalize_header(text)
        if key not in wanted:
            alias_map[key] = (header, unit)
    if sheet not in wb.sheetnames:
        if optional_sheet:
            return [], []
        other = _guess_sheet(wb, sheet, wanted, alias_map, required)
        if other is None:
            others = "、".join(wb.sheetnames[:5])
            return [], [RowError(sheet, None, f"缺少工作表“{sheet}”（文件中的工作表：{others}）")]
        sheet = other
    ws = wb[sheet]
    rows: list[SheetRow] = []
    number = 0
    try:
        it = enumerate(ws.iter_rows(values_only=True), start=1)
        head: list[tuple[int, tuple]] = []
        for number, raw in it:
            if _blank(raw):
                continue
            head.append((number, raw))
            if len(head) >= HEADER_SCAN_ROWS or _find_header(head[-1:], wanted, alias_map, required)[3]:
                break
        if not head:
            errors.append(RowError(sheet, None, "工作表是空的（没有表头）"))
            return [], errors
        pos, columns, units, ok = _find_header(head, wanted, alias_map, required)
        sheet_unit = _sheet_unit(raw for _n, raw in head[:pos])
        if sheet_unit:
            units = {**units, SHEET_UNIT: sheet_unit}
        if not ok:
            missing = [h for h in required if h not in columns.values()]
            if columns:
                message = f"表头缺少列：{'、'.join(missing)}"
            else:
                message = (f"前{len(head)}行中找不到表头（应含有“{'”“'.join(required)}”等列；"
                           f"第{head[0][0]}行是“{_preview_text(head[0][1])}”）")
            errors.append(RowError(sheet, head[pos][0], message))
            return [], errors

        def data(number: int, raw) -> bool:
            if len(rows) >= MAX_ROWS:
                errors.append(RowError(sheet, number, f"行数超过 {MAX_ROWS} 行，请分批导入"))
                return False
            values = {columns[i]: raw[i] for i in columns if i < len(raw)}
            rows.append(SheetRow(number, values, dict(units)))
            return True

        for number, raw in it:
            if _blank(raw) or _footer(raw):
                continue
            if not data(number, raw):
                break
    except Exception as exc:  # malformed XML or an unreadable cell (e.g. <v>NaN</v>) in a zip that looked fine
        errors.append(RowError(sheet, number + 1, f"无法读取这一行：单元格内容无效或文件已损坏（{type(exc).__name__}）"))
        return [], errors
    errors.extend(_formula_errors(wb, sheet, columns, rows))
    return rows, errors


SHEET_UNIT = "*"  # SheetRow.units key of the unit stated above the header
_HEADER_MONEY_UNIT = re.compile(r"\((亿元|万元|元)\)$")
# "单位：亿元", "（金额单位：万元）" — not "租金单位：元/平方米" (another quantity's unit, or a rate)
_SHEET_UNIT = re.compile(r"(?:(?<!\w)|(?<=金额)|(?<=计量)|(?<=货币))单位\s*[:：]\s*(亿元|万元|元)(?![\w/／])")


def _sheet_unit(rows) -> str | None:
    """The money unit a title or note line above the header states ("单位：亿元"), if any."""
    for raw in rows:
        for value in raw:
            if isinstance(value, str):
                found = _SHEET_UNIT.search(re.sub(r"\s+", "", value))
                if found:
                    return found.group(1)
    return None


# Lines under a table in real sheets: totals, who made it, notes. They are not data.
_FOOTER = re.compile(r"^(合计|总计|小计|累计合计|总合计|制表|填表|审核|审批|负责人|联系人|联系电话|填报|"
                     r"报送|打印|注[:：]|说明[:：]|备注[:：]|注\d|注一)")


def _footer(raw) -> bool:
    """A totals or signature line below the table: its first non-empty cell says so."""
    first = next((v for v in raw if v is not None and str(v).strip()), None)
    return isinstance(first, str) and bool(_FOOTER.match(re.sub(r"\s+", "", first)))


def _preview_text(raw) -> str:
    text = " ".join(str(v).strip() for v in raw if v is not None and str(v).strip())
    return text[:30] + ("…" if len(text) > 30 else "")


# --- cell converters: raise ValidationError with a short Chinese message ----------------
def cell_text(value: Any, *, max_len: int = MAX_TEXT, required: bool = False, label: str = "") -> str:
    """A text cell: stripped, no control characters, not too long."""
    if value is None:
        text = ""
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, (_dt.datetime, _dt.date)):
        text = value.isoformat()[:10]
    else:
        text = str(value).strip()
    if _CONTROL.search(text):
        raise ValidationError(f"{label or '内容'}含有不可见的控制字符")
    if len(text) > max_len:
        raise ValidationError(f"{label or '内容'}过长（{len(text)} 字，最多 {max_len} 字）")
    if required and not text:
        raise ValidationError(f"{label or '内容'}不能为空")
    return text


def cell_number(value: Any, *, label: str = "", required: bool = False) -> float | None:
    """A numeric cell (text with separators or full-width digits accepted)."""
    if isinstance(value, (_dt.datetime, _dt.date)):
        raise ValidationError(f"{label or '数值'}是日期，不是数字")
    try:
        number = parse_number(value)
    except ValidationError as exc:
        raise ValidationError(f"{label}{'：' if label else ''}{exc.message}") from None
    if required and number is None:
        raise ValidationError(f"{label or '数值'}不能为空")
    return number


def cell_int(value: Any, *, label: str = "", required: bool = False, lo: int | None = None,
             hi: int | None = None) -> int | None:
    number = cell_number(value, label=label, required=required)
    if number is None:
        return None
    if not float(number).is_integer():
        raise ValidationError(f"{label or '数值'}应为整数，而不是 {number:g}")
    result = int(number)
    if (lo is not None and result < lo) or (hi is not None and result > hi):
        raise ValidationError(f"{label or '数值'}“{result}”超出范围（{lo}—{hi}）")
    return result


def cell_date(value: Any, *, label: str = "") -> str | None:
    """A date cell (Excel date or text such as 2026-03-05 / 2026年3月5日) as ISO text."""
    try:
        day = parse_date(value)
    except ValidationError as exc:
        raise ValidationError(f"{label}{'：' if label else ''}{exc.message}") from None
    return day.isoformat() if day else None


# --- writing ------------------------------------------------------------------------------
def safe_value(value: Any) -> Any:
    """Cell value that Excel will not read as a formula (text is kept as text)."""
    if isinstance(value, str):
        return _CONTROL.sub("", value)
    return value


def write_row(ws, row: int, values: list[Any], *, bold: bool = False) -> None:
    """Write one row; text starting with = + - @ stays text, never a formula."""
    from openpyxl.styles import Font

    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col)
        value = safe_value(value)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"
            if value[:1] in ("=", "+", "-", "@"):
                cell.quotePrefix = True
        if bold:
            cell.font = Font(bold=True)


def format_sheet(ws, widths: list[int], *, header_row: int = 1, landscape: bool = True,
                 title: str | None = None) -> None:
    """Column widths, frozen and repeated header, A4 page set-up for printing."""
    from openpyxl.styles import Alignment, Border, PatternFill, Side
    from openpyxl.utils import get_column_letter

    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    thin = Side(style="thin", color="999999")
    fill = PatternFill("solid", fgColor="E8EEF7")
    for cell in ws[header_row]:
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title:
        ws.oddHeader.center.text = title


def save_workbook(wb, path: Path) -> None:
    """Save via a temporary file renamed into place (see fileio.atomic_output)."""
    with atomic_output(path, suffix=".xlsx") as tmp:
        wb.save(tmp)


def instructions_sheet(wb, title: str, lines: list[str]) -> None:
    """Add a 填写说明 sheet with one instruction per row."""
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet("填写说明")
    ws.column_dimensions["A"].width = 100
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    for i, line in enumerate(lines, start=3):
        cell = ws.cell(row=i, column=1)
        cell.value = safe_value(line)
        cell.data_type = "s"
        cell.alignment = Alignment(wrap_text=True, vertical="top")
