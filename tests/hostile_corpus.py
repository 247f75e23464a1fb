"""A generated corpus of malformed and hostile import files.

File-level cases (not a workbook at all, zip bombs, XML bombs, wrong sheet or
headers) are the same for every kind; row-level cases put one hostile value
into a column of the kind's sheet (sheet names and headers are the contracts
of DESIGN.md and issues 3–5) next to otherwise valid values, so that the
importer must reject that very row.

``build_corpus(folder, kind)`` writes every case and returns ``HostileFile``
entries saying where the error must be found.
"""

from __future__ import annotations

import io
import os
import random
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Written by post-processing as numeric cells <v>NaN</v> (openpyxl cannot even parse it) and
# <v>1E999</v> (read as float infinity).
NAN, INF = "__NAN__", "__INF__"
CONTROL = "__CTRL__"  # written as the character reference &#7; (openpyxl refuses to write it itself)
FORMULA = "__FORMULA__:"  # a real formula cell, without a cached value


@dataclass(frozen=True)
class KindSpec:
    """A kind's import sheet: its name, headers, a valid row and column types."""

    kind: str
    sheet: str
    headers: tuple[str, ...]
    good: dict[str, Any]
    name_column: str  # the column that identifies a row (required text)
    number_column: str  # a required-ish numeric column
    types: dict[str, str]  # header -> text | number | int | date (for the generic reader)


SPECS = {
    "indicators": KindSpec(
        "indicators", "指标数据",
        ("指标名称", "计量单位", "年份", "月份", "累计值", "上年同期", "同比增长(%)", "备注"),
        {"指标名称": "税收收入", "计量单位": "万元", "年份": 2026, "月份": 3, "累计值": 1234.5,
         "上年同期": None, "同比增长(%)": 5.2, "备注": "腐蚀测试"},
        "指标名称", "累计值",
        {"指标名称": "text", "计量单位": "text", "年份": "int:1949:2200", "月份": "int:1:12", "累计值": "number",
         "上年同期": "number", "同比增长(%)": "number", "备注": "text"},
    ),
    "projects": KindSpec(
        "projects", "项目台账",
        ("项目名称", "投资方", "来源地", "所属产业链", "项目类型", "项目级别", "总投资(万元)", "合同引资额(万元)",
         "到位资金(万元)", "用地(亩)", "当前阶段", "签约日期", "开工日期", "投产日期", "包保领导", "责任单位", "备注"),
        {"项目名称": "腐蚀测试项目", "投资方": "某某科技有限公司", "来源地": "省内", "所属产业链": "电子信息",
         "项目类型": "工业", "项目级别": "一般", "总投资(万元)": 12000, "合同引资额(万元)": 10000,
         "到位资金(万元)": 3000, "用地(亩)": 50, "当前阶段": "已签约", "签约日期": "2026-03-01",
         "开工日期": None, "投产日期": None, "包保领导": "张主任", "责任单位": "招商局", "备注": ""},
        "项目名称", "总投资(万元)",
        {"项目名称": "text", "投资方": "text", "来源地": "text", "所属产业链": "text", "项目类型": "text",
         "项目级别": "text", "总投资(万元)": "number", "合同引资额(万元)": "number", "到位资金(万元)": "number",
         "用地(亩)": "number", "当前阶段": "text", "签约日期": "date", "开工日期": "date", "投产日期": "date",
         "包保领导": "text", "责任单位": "text", "备注": "text"},
    ),
    "plans": KindSpec(
        "plans", "工作计划",
        ("年份", "部分", "事项", "内容", "量化目标", "责任单位", "责任领导", "完成时限", "状态"),
        {"年份": 2026, "部分": "（一）腐蚀测试", "事项": "引进亿元以上项目", "内容": "全年引进项目",
         "量化目标": "6个", "责任单位": "招商局", "责任领导": "张主任", "完成时限": "2026-12-31", "状态": "推进中"},
        "事项", "年份",
        {"年份": "int:1949:2200", "部分": "text", "事项": "text", "内容": "text", "量化目标": "text", "责任单位": "text",
         "责任领导": "text", "完成时限": "date", "状态": "text"},
    ),
}


@dataclass(frozen=True)
class HostileFile:
    """One file of the corpus and what rejecting it must say."""

    case: str
    path: Path
    sheet: str | None = None  # the sheet an error must name (None: file-level)
    row: int | None = None  # the Excel row an error must name
    column: str | None = None  # the column holding the hostile value (row-level cases)


# Row-level cases: case -> {kind: (column, value)}; a kind without an entry skips the case.
def _row_cases() -> dict[str, dict[str, tuple[str, Any]]]:
    long_text = "园区" * 50_000
    return {
        "text_in_number": {"indicators": ("累计值", "约十二亿"), "projects": ("总投资(万元)", "很多"),
                           "plans": ("年份", "明年")},
        "nan": {"indicators": ("累计值", NAN), "projects": ("总投资(万元)", NAN), "plans": ("年份", NAN)},
        "nan_text": {"indicators": ("累计值", "NaN"), "projects": ("总投资(万元)", "nan"), "plans": ("年份", "NaN")},
        "inf": {"indicators": ("累计值", INF), "projects": ("总投资(万元)", INF), "plans": ("年份", INF)},
        "huge_number": {"indicators": ("累计值", 1e300), "projects": ("总投资(万元)", 1e300),
                        "plans": ("年份", 1e300)},
        "huge_text_number": {"indicators": ("累计值", "9" * 400), "projects": ("到位资金(万元)", "9" * 400),
                             "plans": ("年份", "9" * 400)},
        "negative_money": {"indicators": ("累计值", -1234.5), "projects": ("总投资(万元)", -500)},
        "boolean_number": {"indicators": ("累计值", True), "projects": ("用地(亩)", True), "plans": ("年份", True)},
        "formula_name": {k: (SPECS[k].name_column, FORMULA + "1+1") for k in SPECS},
        "dde_formula": {k: (SPECS[k].name_column, FORMULA + "cmd|' /C calc'!A0") for k in SPECS},
        "long_string": {k: (SPECS[k].name_column, long_text) for k in SPECS},
        "control_chars": {k: (SPECS[k].name_column, "测试\x85名称\u202e") for k in SPECS},
        "xml_control_char": {k: (SPECS[k].name_column, f"测试{CONTROL}名称") for k in SPECS},
        "garbage_date": {"indicators": ("月份", "十三月"), "projects": ("签约日期", "2026-02-30"),
                         "plans": ("完成时限", "2026-13-45")},
        "month_out_of_range": {"indicators": ("月份", 13)},
        "impossible_year": {"indicators": ("年份", 1800), "plans": ("年份", 1800)},
        "unknown_name": {"indicators": ("指标名称", "不存在的指标XYZ"), "projects": ("当前阶段", "飞天"),
                         "plans": ("状态", "差不多")},
        "bad_unit": {"indicators": ("计量单位", "斤")},
        "missing_name": {k: (SPECS[k].name_column, None) for k in SPECS},
    }


ROW_CASES = tuple(_row_cases())
# Cases only the kind's own rules can catch (the generic cell readers accept the value).
DOMAIN_CASES = ("negative_money", "unknown_name", "bad_unit")
FILE_CASES = ("empty_file", "random_bytes", "zip_not_workbook", "old_xls", "encrypted_workbook", "zip_bomb",
              "truncated_workbook", "csv_text", "html_disguised", "xml_entity_bomb", "wrong_sheet",
              "wrong_headers", "empty_rows_100k", "header_only")
SLOW_CASES = ("zip_bomb", "empty_rows_100k", "empty_rows_then_bad")


def _workbook(sheet: str, rows: list[list[Any]], *, extra_sheet: bool = True) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c)
            if isinstance(value, str) and value.startswith(FORMULA):
                cell.value = "=" + value[len(FORMULA):]
            else:
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"
    if extra_sheet:
        wb.create_sheet("说明").cell(row=1, column=1, value="腐蚀测试文件")
    buf = io.BytesIO()
    wb.save(buf)
    return _post_process(buf.getvalue())


def _post_process(data: bytes) -> bytes:
    """Turn the placeholders into what openpyxl will not write itself."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename.startswith("xl/") and info.filename.endswith(".xml"):
                text = content.decode("utf-8")
                text = re.sub(r'<c r="([A-Z]+\d+)" t="(?:s|inlineStr)"><is><t>__NAN__</t></is></c>',
                              r'<c r="\1" t="n"><v>NaN</v></c>', text)
                text = re.sub(r'<c r="([A-Z]+\d+)" t="(?:s|inlineStr)"><is><t>__INF__</t></is></c>',
                              r'<c r="\1" t="n"><v>1E999</v></c>', text)
                text = text.replace(CONTROL, "&#7;")
                content = text.encode("utf-8")
            dst.writestr(info, content)
    return out.getvalue()


def _good_row(spec: KindSpec) -> list[Any]:
    return [spec.good.get(h) for h in spec.headers]


def _variant(spec: KindSpec, n: int) -> list[Any]:
    """The valid row made distinct (another project, month or item), so that rows never
    clash with each other and only the hostile value can be wrong."""
    row = _good_row(spec)
    if spec.kind == "projects":
        row[0] = f"腐蚀测试项目{n}"
    elif spec.kind == "indicators":
        row[spec.headers.index("月份")] = 3 + n
    else:
        row[spec.headers.index("事项")] = f"{row[spec.headers.index('事项')]}{n}"
    return row


def _row_file(spec: KindSpec, column: str, value: Any) -> bytes:
    bad = _variant(spec, 1)
    bad[spec.headers.index(column)] = value
    # Valid rows before and after the bad one: the whole file must still be refused.
    return _workbook(spec.sheet, [list(spec.headers), _good_row(spec), bad, _variant(spec, 2)])


def _zip(members: dict[str, bytes], level: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", level) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return buf.getvalue()


def _zip_bomb() -> bytes:
    """A valid-looking .xlsx whose sheet inflates to more than 300 MB."""
    from parkdesk.exchange.workbook import MAX_UNCOMPRESSED

    base = zipfile.ZipFile(io.BytesIO(_workbook("Sheet", [["a"]], extra_sheet=False)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for info in base.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                zf.writestr(info.filename, base.read(info.filename))
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            chunk = b" " * (4 * 1024 * 1024)
            for _ in range(MAX_UNCOMPRESSED // len(chunk) + 4):
                fh.write(chunk)
    return buf.getvalue()


def _entity_bomb(spec: KindSpec) -> bytes:
    """A workbook whose sheet XML is a "billion laughs" entity expansion."""
    base = zipfile.ZipFile(io.BytesIO(_workbook(spec.sheet, [list(spec.headers)], extra_sheet=False)))
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)]
    bomb = ('<?xml version="1.0"?><!DOCTYPE worksheet [' + "".join(entities) + ']>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
    return _zip({info.filename: (bomb.encode() if info.filename == "xl/worksheets/sheet1.xml"
                                 else base.read(info.filename)) for info in base.infolist()})


def _empty_rows(spec: KindSpec, then_bad: bool) -> bytes:
    """A header, 100,000 rows holding only blanks and, optionally, one bad row after them."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(spec.sheet)
    ws.append(list(spec.headers))
    for _ in range(100_000):
        ws.append([" "])
    if then_bad:
        row = _good_row(spec)
        row[spec.headers.index(spec.number_column)] = "不是数字"
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def build_corpus(folder: Path, kind: str, *, include_slow: bool = True) -> list[HostileFile]:
    """Write every hostile file for ``kind`` into ``folder``."""
    spec = SPECS[kind]
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20261122)
    files: list[HostileFile] = []

    def put(case: str, data: bytes, sheet: str | None = None, row: int | None = None,
            suffix: str = ".xlsx") -> None:
        path = folder / f"{kind}-{case}{suffix}"
        path.write_bytes(data)
        files.append(HostileFile(case, path, sheet, row))

    put("empty_file", b"")
    put("random_bytes", bytes(rng.randrange(256) for _ in range(50_000)))
    put("zip_not_workbook", _zip({"readme.txt": "这不是工作簿".encode(), "data/values.csv": b"a,b\n1,2\n"}))
    put("old_xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(rng.randrange(256) for _ in range(4096)),
        suffix=".xls")
    put("encrypted_workbook", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le"))
    good_book = _workbook(spec.sheet, [list(spec.headers), _good_row(spec)])
    put("truncated_workbook", good_book[: len(good_book) // 2])
    put("csv_text", ",".join(spec.headers).encode("utf-8") + b"\n1,2,3\n")
    put("html_disguised", "<html><body><table><tr><td>指标</td></tr></table></body></html>".encode("utf-8"),
        suffix=".xls")
    put("xml_entity_bomb", _entity_bomb(spec))
    # The data is on another sheet whose header is not this kind's (a sheet with the
    # right header under another name is read: see test_import_robustness).
    put("wrong_sheet", _workbook("Sheet1", [["名称", "数值", "日期"], ["税收收入", 12, "2026-03-01"]],
                                 extra_sheet=False), sheet=spec.sheet)
    put("wrong_headers", _workbook(spec.sheet, [["名称", "数值", "日期"], ["税收收入", 12, "2026-03-01"]]),
        sheet=spec.sheet)
    put("header_only", _workbook(spec.sheet, [list(spec.headers)]), sheet=spec.sheet)
    for case, per_kind in _row_cases().items():
        if kind in per_kind:
            column, value = per_kind[kind]
            path = folder / f"{kind}-{case}.xlsx"
            path.write_bytes(_row_file(spec, column, value))
            # A unit that cannot be converted may be reported on the amount it spoils.
            files.append(HostileFile(case, path, spec.sheet, 3, None if case == "bad_unit" else column))
    if include_slow:
        put("zip_bomb", _zip_bomb())
        put("empty_rows_100k", _empty_rows(spec, then_bad=False), sheet=spec.sheet)
        put("empty_rows_then_bad", _empty_rows(spec, then_bad=True), sheet=spec.sheet, row=100_002)
    folder_case = folder / f"{kind}-directory.xlsx"
    folder_case.mkdir(exist_ok=True)
    files.append(HostileFile("directory", folder_case))
    files.append(HostileFile("missing_file", folder / f"{kind}-does-not-exist.xlsx"))
    return files


def write_good_file(folder: Path, kind: str) -> Path:
    """A small valid file of ``kind`` (to check the corpus is not rejected for other reasons)."""
    spec = SPECS[kind]
    path = folder / f"{kind}-good.xlsx"
    path.write_bytes(_workbook(spec.sheet, [list(spec.headers), _good_row(spec)]))
    return path


if __name__ == "__main__":  # pragma: no cover - write the corpus for manual inspection
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    for k in SPECS:
        for f in build_corpus(target, k):
            print(f.case, f.path, os.path.getsize(f.path) if f.path.is_file() else "-")
