"""Excel exchange: import templates, imports (all or nothing) and exports.

Each kind (``indicators``, ``projects``, ``plans``) is a module in this package
with four functions::

    write_template(path) -> None
    preview(desk, path) -> ImportPreview      # reads and checks, writes nothing
    apply(desk, preview) -> str               # writes in one transaction, returns a summary
    export(desk, year, path) -> None          # via fileio.atomic_output

The GUI shows ``preview`` (rows and errors) before anything is written; the
command line calls :func:`import_file`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ImportRejected, RowError, ValidationError

KINDS = {
    "indicators": "指标数据",
    "projects": "项目台账",
    "plans": "工作计划",
}


@dataclass
class ImportPreview:
    """What an import would write, and every problem found in the file."""

    kind: str
    path: Path
    headers: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)  # shown in the preview table
    errors: list[RowError] = field(default_factory=list)
    summary: str = ""
    payload: Any = None  # parsed records, consumed by apply()
    note: str = ""  # how the file was read that the result must repeat ("金额按……换算为万元")

    @property
    def ok(self) -> bool:
        return not self.errors


def _module(kind: str):
    if kind not in KINDS:
        raise ValidationError(f"未知的数据类型“{kind}”（可选：{'、'.join(KINDS)}）")
    try:
        return importlib.import_module(f"{__name__}.{kind}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{kind}":
            raise
        raise ValidationError(f"此版本尚不支持“{KINDS[kind]}”的导入导出") from None


def write_template(kind: str, path) -> None:
    """Write the blank import template of ``kind`` to ``path``."""
    _module(kind).write_template(Path(path))


def preview_import(desk, kind: str, path) -> ImportPreview:
    """Read and check a file without writing anything."""
    return _module(kind).preview(desk, Path(path))


def apply_import(desk, preview: ImportPreview) -> str:
    """Write a checked preview in one transaction.

    :raises ImportRejected: when the preview holds errors.
    """
    if preview.errors:
        raise ImportRejected(preview.errors)
    module = _module(preview.kind)
    # One transaction around the whole import: a crash or an error half-way
    # leaves nothing (the kind's own transactions become savepoints).
    with desk.atomic():
        return module.apply(desk, preview)


def import_file(desk, kind: str, path) -> str:
    """Check and import a file: all of it or, on any error, nothing.

    :raises ImportRejected: listing every error by sheet and row.
    """
    return apply_import(desk, preview_import(desk, kind, path))


def export(desk, kind: str, year: int, path) -> None:
    """Export one year of ``kind`` to an .xlsx file."""
    _module(kind).export(desk, year, Path(path))
