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
from dataclasses import dataclass
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
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on broken files
        raise _reject(path, f"无法读取工作簿，文件可能已损坏（{type(exc).__name__}）") from exc


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


@dataclass
class SheetRow:
    """One data row of a sheet: its row number in Excel and values by header."""

    number: int
    values: dict[str, Any]

    def get(self, header: str) -> Any:
        return self.values.get(header)


def read_table(wb, sheet: str, headers: list[str], required: Iterable[str], *,
               optional_sheet: bool = False) -> tuple[list[SheetRow], list[RowError]]:
    """Read a sheet whose first non-empty row holds ``headers`` (any order).

    Returns the data rows (empty rows skipped) and the errors found: a missing
    sheet, missing required headers, too many rows.
    """
    errors: list[RowError] = []
    if sheet not in wb.sheetnames:
        if optional_sheet:
            return [], []
        others = "、".join(wb.sheetnames[:5])
        return [], [RowError(sheet, None, f"缺少工作表“{sheet}”（文件中的工作表：{others}）")]
    ws = wb[sheet]
    wanted = {normalize_header(h): h for h in headers}
    columns: dict[int, str] | None = None
    rows: list[SheetRow] = []
    number = 0
    try:
        for number, raw in enumerate(ws.iter_rows(values_only=True), start=1):
            if raw is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in raw):
                continue
            if columns is None:
                columns = {}
                for idx, value in enumerate(raw):
                    key = normalize_header(value)
                    if key in wanted and wanted[key] not in columns.values():
                        columns[idx] = wanted[key]
                missing = [h for h in required if h not in columns.values()]
                if missing:
                    errors.append(RowError(sheet, number, f"表头缺少列：{'、'.join(missing)}"))
                    return [], errors
                continue
            if len(rows) >= MAX_ROWS:
                errors.append(RowError(sheet, number, f"行数超过 {MAX_ROWS} 行，请分批导入"))
                break
            values = {columns[i]: raw[i] for i in columns if i < len(raw)}
            rows.append(SheetRow(number, values))
    except Exception as exc:  # malformed XML or an unreadable cell (e.g. <v>NaN</v>) in a zip that looked fine
        errors.append(RowError(sheet, number + 1, f"无法读取这一行：单元格内容无效或文件已损坏（{type(exc).__name__}）"))
        return [], errors
    if columns is None:
        errors.append(RowError(sheet, None, "工作表是空的（没有表头）"))
    return rows, errors


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
