"""PDF export of a report drawn by Qt, usable without a window (command line, worker thread).

``install()`` registers :func:`render_pdf` with the core
(``parkdesk.report.set_pdf_renderer``) so that ``main.py report --pdf`` and
core code can export PDF without importing Qt themselves.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QSizeF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter

from parkdesk.fileio import ExportError, atomic_output
from parkdesk.report.model import ReportDocument

PDF_RESOLUTION = 1200  # device units per inch of the layout; fonts stay vector
_app = None  # the offscreen application created for headless use, kept alive

# Qt writes each embedded font's ToUnicode map from the *first* code point that
# uses a glyph; fonts such as Noto CJK draw a radical and its ideograph with the
# same glyph, so text copied from the PDF came out as "同比增⻓" (U+2ED3) instead
# of "同比增长". The map is rewritten to the ideographs: Kangxi radicals by their
# Unicode compatibility mapping, the radicals supplement by this table (the
# equivalent unified ideographs, as in Unicode's EquivalentUnifiedIdeograph.txt).
_SUPPLEMENT = dict(zip(
    "⺂⺃⺅⺉⺎⺏⺐⺒⺓⺔⺕⺖⺘⺙⺛⺞⺟⺠⺡⺣⺤⺦⺨⺫⺭⺯⺰⺱⺲⺹⺺⺾⻁⻂⻃⻅⻆⻈⻉⻋⻌⻐⻑⻒⻓⻔⻖⻘⻙⻚⻛⻜⻝⻟⻠⻢⻣⻤⻥⻦⻧⻨⻩⻪⻫⻬⻮⻯⻰⻱⻲⻳",
    "乛乚亻刂兀尣尢巳幺彑彐忄扌攵旡歺母民氵灬爫丬犭罒礻糹纟罓罒耂肀艹虎衤覀见角讠贝车辶钅長镸长门阝青韦页风飞食飠饣马骨鬼鱼鸟卤麦黄黾斉齐齿竜龙龜亀龟",
))


def _radical_map() -> dict[int, int]:
    import unicodedata

    table = {ord(k): ord(v) for k, v in _SUPPLEMENT.items()}
    for code in range(0x2F00, 0x2FD6):  # Kangxi radicals
        target = unicodedata.normalize("NFKC", chr(code))
        if len(target) == 1 and target != chr(code):
            table[code] = ord(target)
    return table


_RADICALS = _radical_map()
_CMAP_RE = re.compile(rb"begincmap.*?endcmap", re.S)
_DST_RE = re.compile(rb"<([0-9A-Fa-f]{4})>")


def fix_radicals(pdf: bytes) -> bytes:
    """Map radicals in the PDF's ToUnicode maps to the ideographs they stand for.

    Only 4-hex-digit destination codes change, each to another 4-digit code, so
    every stream keeps its length and the file's cross-reference offsets hold.
    """
    def fix_dst(m: re.Match) -> bytes:
        code = int(m.group(1), 16)
        new = _RADICALS.get(code)
        return b"<%04X>" % new if new else m.group(0)

    def fix_line(line: bytes) -> bytes:
        tokens = line.split(b"[", 1)
        if len(tokens) == 2:  # <lo> <hi> [<dst> <dst> ...]
            return tokens[0] + b"[" + _DST_RE.sub(fix_dst, tokens[1])
        parts = _DST_RE.findall(line)
        if len(parts) == 2 and line.strip().startswith(b"<"):  # bfchar: <src> <dst>
            head, _sep, tail = line.rpartition(b"<")
            return head + _DST_RE.sub(fix_dst, b"<" + tail)
        if len(parts) == 3 and parts[0] == parts[1]:  # bfrange of one glyph: <lo> <lo> <dst>
            head, _sep, tail = line.rpartition(b"<")
            return head + _DST_RE.sub(fix_dst, b"<" + tail)
        return line

    def fix_cmap(m: re.Match) -> bytes:
        out, section = [], None
        for line in m.group(0).split(b"\n"):
            word = line.strip().rsplit(b" ", 1)[-1]
            if word in (b"beginbfchar", b"beginbfrange"):
                section = word
            elif word in (b"endbfchar", b"endbfrange"):
                section = None
            elif section is not None:
                line = fix_line(line)
            out.append(line)
        return b"\n".join(out)

    return _CMAP_RE.sub(fix_cmap, pdf)


def ensure_gui_application():
    """The running QGuiApplication, or a new offscreen one (main thread only)."""
    global _app
    app = QGuiApplication.instance()
    if app is not None:
        return app
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("render_pdf needs a QGuiApplication; create it on the main thread first")
    if sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM"):
        # No window is ever shown: never depend on a display being reachable.
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _app = QGuiApplication([sys.argv[0] if sys.argv and sys.argv[0] else "parkdesk"])
    return _app


def page_size(document: ReportDocument) -> QPageSize:
    """The paper of a report: A4 by name when it is A4."""
    pg = document.page
    if abs(pg.page_width_mm - 210) < 0.5 and abs(pg.page_height_mm - 297) < 0.5:
        return QPageSize(QPageSize.PageSizeId.A4)
    return QPageSize(QSizeF(pg.page_width_mm, pg.page_height_mm), QPageSize.Unit.Millimeter, "ParkDesk")


def pdf_bytes(document: ReportDocument, progress: Callable[[str, float], None] | None = None) -> bytes:
    """The report as PDF bytes (the whole file, built in memory)."""
    from .render import render_to_device

    ensure_gui_application()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_RESOLUTION)
    writer.setPageLayout(QPageLayout(page_size(document), QPageLayout.Orientation.Portrait,
                                     QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter))
    writer.setTitle(document.title.replace("\n", ""))
    writer.setCreator("园区工作台 ParkDesk")
    try:
        render_to_device(document, writer, progress=progress)
    except RuntimeError as exc:
        raise ExportError(f"无法生成 PDF：{exc}") from exc
    finally:
        buffer.close()
    return fix_radicals(bytes(data.data()))


def render_pdf(document: ReportDocument, path, progress: Callable[[str, float], None] | None = None) -> Path:
    """Write a report as a PDF file (temp file renamed into place).

    Callable from a worker thread when a QGuiApplication exists; without one it
    creates an offscreen application (main thread only).

    :raises parkdesk.fileio.ExportError: when the folder is missing or the
        target is open in another program.
    """
    target = Path(path)
    data = pdf_bytes(document, progress)
    with atomic_output(target) as tmp:
        tmp.write_bytes(data)
    return target


def install() -> None:
    """Register :func:`render_pdf` as the core's PDF renderer."""
    from parkdesk.report import set_pdf_renderer

    set_pdf_renderer(render_pdf)
