"""Hostile input: a generated corpus of malformed files is rejected with a clear error
naming sheet and row, the database stays unchanged, and nothing ever becomes a
traceback — through the generic workbook layer, the Python API and the CLI.
Exported cells never become formulas."""

from __future__ import annotations

import importlib.util
import time
import zipfile

import pytest

from parkdesk.errors import ImportRejected, RowError, ValidationError
from parkdesk.exchange import KINDS, import_file
from parkdesk.exchange.workbook import cell_date, cell_int, cell_number, cell_text, open_workbook, read_table
from tests.conftest import run_main
from tests.hostile_corpus import (
    DOMAIN_CASES, FILE_CASES, ROW_CASES, SLOW_CASES, SPECS, build_corpus, write_good_file,
)
from tests.safety_helpers import dump_tables

ALL_CASES = FILE_CASES + ROW_CASES + ("empty_rows_then_bad", "directory", "missing_file")


def _has_importer(kind: str) -> bool:
    return importlib.util.find_spec(f"parkdesk.exchange.{kind}") is not None


def _need_importer(kind: str) -> None:
    if not _has_importer(kind):
        pytest.skip(f"the {kind} importer is not in this branch yet")


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """The hostile files of every kind, generated once per session (lazily per kind)."""
    folder = tmp_path_factory.mktemp("hostile")
    cache: dict[str, dict[str, object]] = {}

    def get(kind: str):
        if kind not in cache:
            cache[kind] = {f.case: f for f in build_corpus(folder / kind, kind)}
        return cache[kind]

    return get


def _same_column(a: str, b: str) -> bool:
    """Column labels match whatever unit suffix one of them carries: 总投资(万元) ~ 总投资."""
    import re

    key = lambda t: re.sub(r"[（(].*?[)）]|\s", "", t)  # noqa: E731
    return key(a) == key(b)


def _assert_located(hostile, errors) -> None:
    """An error names the hostile file's sheet, row and (where it is a cell) column."""
    if hostile.sheet:
        assert any(e.sheet == hostile.sheet for e in errors), errors
    if hostile.row:
        at_row = [e for e in errors if e.row == hostile.row]
        assert at_row, errors
        if hostile.column:
            assert any(e.column is None or _same_column(e.column, hostile.column) for e in at_row), at_row


def _hostile(corpus, kind: str, case: str):
    files = corpus(kind)
    if case not in files:
        pytest.skip(f"case {case} does not apply to {kind}")
    return files[case]


# --- the generic layer (works without any importer) ------------------------------------------------------
def _convert(kind_type: str, value, label: str, required: bool):
    name, *bounds = kind_type.split(":")
    if name == "text":
        return cell_text(value, label=label, required=required)
    if name == "number":
        return cell_number(value, label=label, required=required)
    if name == "int":
        lo, hi = (int(b) for b in bounds) if bounds else (None, None)
        return cell_int(value, label=label, required=required, lo=lo, hi=hi)
    return cell_date(value, label=label)


def reference_read(kind: str, path) -> list[RowError]:
    """What an importer built only from parkdesk.exchange.workbook finds in a file."""
    spec = SPECS[kind]
    try:
        wb = open_workbook(path)
    except ImportRejected as exc:
        return exc.errors
    try:
        rows, errors = read_table(wb, spec.sheet, list(spec.headers), [spec.name_column])
        if not errors and not rows:
            errors.append(RowError(spec.sheet, None, "没有数据行"))
        for row in rows:
            for header, kind_type in spec.types.items():
                try:
                    _convert(kind_type, row.get(header), header, header == spec.name_column)
                except ValidationError as exc:
                    errors.append(RowError(spec.sheet, row.number, exc.message, header))
    finally:
        wb.close()
    return errors


@pytest.mark.parametrize("kind", list(SPECS))
@pytest.mark.parametrize("case", ALL_CASES)
def test_generic_layer_rejects_every_hostile_file(corpus, kind, case):
    """open_workbook/read_table/cell_* turn each hostile file into RowErrors that name
    the sheet and the row — never another exception, never a hang."""
    if case in DOMAIN_CASES:
        pytest.skip("only the kind's own rules can catch this case")
    hostile = _hostile(corpus, kind, case)
    start = time.monotonic()
    errors = reference_read(kind, hostile.path)
    assert errors, f"{case} was not rejected"
    assert all(isinstance(e, RowError) and str(e) for e in errors)
    _assert_located(hostile, errors)
    assert time.monotonic() - start < 60


@pytest.mark.parametrize("kind", list(SPECS))
def test_generic_layer_accepts_the_good_row(tmp_path, kind):
    """The corpus's valid row passes the generic readers (so rejections come from the hostile value)."""
    assert reference_read(kind, write_good_file(tmp_path, kind)) == []


def test_zip_bomb_is_refused_before_inflating(corpus):
    """The zip bomb's declared size is checked before anything is decompressed."""
    bomb = corpus("indicators")["zip_bomb"].path
    assert bomb.stat().st_size < 5_000_000
    with zipfile.ZipFile(bomb) as zf:
        assert sum(i.file_size for i in zf.infolist()) > 300 * 1024 * 1024
    start = time.monotonic()
    with pytest.raises(ImportRejected, match="过大"):
        open_workbook(bomb)
    assert time.monotonic() - start < 2


def test_file_level_messages_say_what_the_file_is(corpus):
    """A password-protected workbook is not called an old .xls, and file-level errors
    name the file, not a worksheet."""
    with pytest.raises(ImportRejected) as info:
        open_workbook(corpus("plans")["encrypted_workbook"].path)
    assert "密码" in info.value.message
    with pytest.raises(ImportRejected) as info:
        open_workbook(corpus("plans")["old_xls"].path)
    assert ".xls" in info.value.message and "密码" not in info.value.message
    assert str(info.value.errors[0]).startswith("文件“plans-old_xls.xls”")


# --- the importers, through the Python API and the command line ---------------------------------------------------
@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("case", ALL_CASES)
def test_import_rejects_hostile_file_and_leaves_database_unchanged(corpus, demo_path, kind, case):
    """import_file() raises ImportRejected naming sheet/row; every table (the audit log
    included) is exactly as before."""
    _need_importer(kind)
    from parkdesk.desk import Desk

    hostile = _hostile(corpus, kind, case)
    before = dump_tables(demo_path)
    with Desk.open(demo_path) as desk:
        with pytest.raises(ImportRejected) as info:
            import_file(desk, kind, hostile.path)
    assert dump_tables(demo_path) == before
    errors = info.value.errors
    assert errors and info.value.message
    assert all(str(e) and "Traceback" not in str(e) for e in errors)
    _assert_located(hostile, errors)


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("case", [c for c in ALL_CASES if c not in SLOW_CASES])
def test_cli_import_rejects_hostile_file(corpus, demo_path, capsys, kind, case):
    """`import KIND FILE --db D` exits 1 with a message (no traceback); D unchanged.
    (The slow cases — zip bomb, 100,000 rows — go through the same code via the API test.)"""
    _need_importer(kind)
    import main

    hostile = _hostile(corpus, kind, case)
    before = dump_tables(demo_path)
    code = main.main(["import", kind, str(hostile.path), "--db", str(demo_path)])
    out = capsys.readouterr()
    assert code == 1, out.out
    assert "错误：" in out.err and "Traceback" not in out.err + out.out
    assert dump_tables(demo_path) == before


@pytest.mark.parametrize("kind", list(KINDS))
def test_cli_import_in_a_real_process(corpus, demo_path, kind):
    """A real `python main.py import` on a few hostile files: exit 1, no traceback."""
    _need_importer(kind)
    before = dump_tables(demo_path)
    for case in ("random_bytes", "wrong_headers", "text_in_number", "formula_name"):
        result = run_main("import", kind, corpus(kind)[case].path, "--db", demo_path)
        assert result.returncode == 1, (case, result.stdout)
        assert "错误：" in result.stderr and "Traceback" not in result.stderr, case
    assert dump_tables(demo_path) == before


@pytest.mark.parametrize("kind", list(KINDS))
def test_corpus_good_row_is_accepted_by_the_importer(tmp_path, demo_path, kind):
    """The corpus's valid row imports (so each hostile file is refused for its hostile value)."""
    _need_importer(kind)
    from parkdesk.desk import Desk

    with Desk.open(demo_path) as desk:
        message = import_file(desk, kind, write_good_file(tmp_path, kind))
    assert message


# --- exports never hold formulas ---------------------------------------------------------------------------------------
FORMULA_LIKE = ['=HYPERLINK("http://example.com","点我")', "=cmd|' /C calc'!A0", "+86 138", "-5号楼", "@SUM(A1)"]


def _formula_cells(path) -> list[str]:
    from openpyxl import load_workbook

    found = []
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            found += [f"{ws.title}!{c.coordinate}" for c in row if c.data_type == "f"]
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and ("<f>" in zf.read(name).decode("utf-8", "replace")):
                found.append(name)
    return found


def _all_text(path) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value)


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_export_writes_formula_like_text_as_text(tmp_path, kind):
    """Names and notes starting with = + - @ are exported as text, never as formulas."""
    _need_importer(kind)
    from parkdesk.desk import Desk
    from parkdesk.exchange import export
    from parkdesk.plans import PlanItem
    from parkdesk.projects import Project

    with Desk.open(tmp_path / "p.db") as desk:
        if kind == "projects":
            for i, text in enumerate(FORMULA_LIKE):
                desk.projects.save(Project(name=text, investor=text, notes=text, stage="已签约",
                                           signed_on=f"2026-0{i + 1}-01", stage_changed_on=f"2026-0{i + 1}-01"))
        elif kind == "plans":
            section = desk.plans.add_section(2026, FORMULA_LIKE[0])
            for text in FORMULA_LIKE:
                desk.plans.save_item(PlanItem(section_id=section.id, title=text, content=text, leader=text))
        else:
            ind = desk.indicators.by_name("税收收入")
            for month, text in enumerate(FORMULA_LIKE, start=1):
                desk.indicators.set_month(ind.id, 2026, month, value=100.0 * month, note=text)
        out = tmp_path / f"{kind}.xlsx"
        export(desk, kind, 2026, out)
    assert _formula_cells(out) == []
    if kind != "indicators":  # indicator notes may not be part of the export layout
        text = _all_text(out)
        assert all(t in text for t in FORMULA_LIKE)


def test_dispatch_sheet_writes_formula_like_text_as_text(tmp_path):
    """The monthly dispatch sheet (调度表) exports names and progress text as text too."""
    if importlib.util.find_spec("parkdesk.exchange.dispatch_sheet") is None:
        pytest.skip("no dispatch sheet in this branch")
    from parkdesk.desk import Desk
    from parkdesk.dispatch import DispatchRecord
    from parkdesk.exchange.dispatch_sheet import write_dispatch_sheet
    from parkdesk.projects import Project

    with Desk.open(tmp_path / "p.db") as desk:
        for i, text in enumerate(FORMULA_LIKE):
            p = desk.projects.save(Project(name=text, stage="已开工", signed_on="2025-12-01",
                                           started_on="2026-01-10", stage_changed_on="2026-01-10"))
            desk.projects.save_dispatch(DispatchRecord(project_id=p.id, year=2026, month=3, progress=text,
                                                       next_steps=text, invested_month=10.0 + i))
        out = tmp_path / "调度表.xlsx"
        write_dispatch_sheet(desk, 2026, 3, out)
    assert _formula_cells(out) == []
    text = _all_text(out)
    assert all(t in text for t in FORMULA_LIKE)


@pytest.mark.parametrize("kind", list(KINDS))
def test_templates_hold_no_formulas(tmp_path, kind):
    """Blank import templates contain no formula cells either."""
    _need_importer(kind)
    from parkdesk.exchange import write_template

    out = tmp_path / f"{kind}-template.xlsx"
    write_template(kind, out)
    assert _formula_cells(out) == []
