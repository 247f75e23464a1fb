"""Bold in the Qt-drawn PDF: real bold faces where the family has one, else regular text stroked heavier.

Qt synthesizes bold for a family without a bold face (宋体 on Windows,
WenQuanYi Micro Hei on a fresh Linux machine) and its PDF engine writes such
text twice; readers that ignore /ActualText extracted the title doubled.
"""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import pypdf
import pytest

from parkdesk.report.model import Paragraph, ReportDocument, Table

# CJK families without a bold face: what scripts/dev.py setup installs, and Windows' 宋体
NO_BOLD_FAMILIES = ("WenQuanYi Micro Hei", "SimSun", "宋体")
TITLE = "园区工作情况汇报"


def _document(title: str = TITLE) -> ReportDocument:
    table = Table("表1　测试表", ["指标名称", "计量单位"], [["产值", "亿元"]])
    return ReportDocument(title, [Paragraph("正文。"), table])


def _pdf_texts(data: bytes) -> tuple[str, list[bytes]]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    return text, [page.get_contents().get_data() for page in reader.pages]


@pytest.fixture
def no_bold_fonts(qapp, monkeypatch):
    """Every role, digits and letters too, in one CJK family that has no bold face; the title asks for bold."""
    from PySide6.QtGui import QFontDatabase

    from ui.report import render
    from ui.report.fonts import resolve_fonts

    known = set(QFontDatabase.families())
    family = next((f for f in NO_BOLD_FAMILIES if f in known and not render.has_bold_face(f)), None)
    if family is None:
        pytest.skip("no CJK font without a bold face (fonts-wqy-microhei: python3 scripts/dev.py setup)")
    base = resolve_fonts()
    fonts = dataclasses.replace(base, families={role: family for role in base.families}, latin=family,
                                title_bold=True)
    monkeypatch.setattr(render, "resolve_fonts", lambda: fonts)
    return fonts


def test_bold_without_a_bold_face_is_extracted_once(no_bold_fonts):
    """The bold title and table header are written once: no synthetic second copy to extract."""
    from ui.report.pdf import pdf_bytes

    text, streams = _pdf_texts(pdf_bytes(_document()))
    assert text.count(TITLE) == 1, text
    assert text.count("指标名称") == 1 and text.count("计量单位") == 1, text
    assert TITLE + TITLE[:2] not in text and "指指" not in text
    # Qt marks the copy it adds for synthetic bold with an empty /ActualText span
    assert not [s for s in streams if b"/ActualText" in s]


def test_bold_without_a_bold_face_is_stroked_over_regular_text(no_bold_fonts):
    """The runs are laid out in regular weight; their glyph outlines are stroked where the text is."""
    from PySide6.QtGui import QFont

    from ui.report.render import FAUX_BOLD, ReportLayout

    layout = ReportLayout(_document())
    title = layout.doc.begin()
    fmt = title.begin().fragment().charFormat()
    assert fmt.fontWeight() == QFont.Weight.Normal.value
    assert fmt.property(FAUX_BOLD) == pytest.approx(layout.pt(layout.page.title_pt) / 24)

    strokes = layout._faux_bold_strokes()
    assert list(strokes) == [0]
    paths = [path for path, _pen in strokes[0]]
    assert len(paths) == 3  # the title and the two header cells; body and data cells stay regular
    em = layout.pt(layout.page.title_pt)
    box = layout.doc.documentLayout().blockBoundingRect(title).adjusted(-em, -em, em, em)
    assert box.contains(paths[0].boundingRect())
    table = layout._tables[0][0]
    for c, path in enumerate(paths[1:]):
        cell = layout.doc.documentLayout().blockBoundingRect(table.cellAt(0, c).firstCursorPosition().block())
        assert cell.adjusted(-2, -2, 2, 2).contains(path.boundingRect()), c


def _title_ink(layout) -> float:
    """Darkness of the top of page 1 painted at 100 dpi (the title's lines)."""
    from PySide6.QtGui import QColor, QImage, QPainter

    dpm = round(100 / 0.0254)
    image = QImage(827, 1169, QImage.Format.Format_Grayscale8)
    image.setDotsPerMeterX(dpm)
    image.setDotsPerMeterY(dpm)
    image.fill(QColor("white"))
    painter = QPainter(image)
    layout.page.page_numbers = False
    layout.paint(painter, image)
    painter.end()
    top = image.copy(0, 0, 827, 220)  # 37 mm of margin, then the title's line
    bits = top.constBits().tobytes()
    return sum(255 - b for b in bits) / 255


def test_bold_title_without_a_bold_face_is_still_heavier(no_bold_fonts):
    """Stroked outlines put clearly more ink on the page than the same title in regular weight."""
    from ui.report.render import ReportLayout

    doc = ReportDocument(TITLE, [Paragraph("正文。")])
    bold = _title_ink(ReportLayout(doc, fonts=no_bold_fonts))
    regular = _title_ink(ReportLayout(doc, fonts=dataclasses.replace(no_bold_fonts, title_bold=False)))
    assert regular > 0
    assert bold > 1.2 * regular, (bold, regular)


def test_a_real_bold_face_is_used(qapp, no_bold_fonts, monkeypatch):
    """Letters in a family with a bold face (DejaVu Sans, shipped with matplotlib) are set in that face."""
    import matplotlib
    from PySide6.QtGui import QFontDatabase

    fonts_dir = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    ids = [QFontDatabase.addApplicationFont(str(fonts_dir / name))
           for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")]
    try:
        assert min(ids) >= 0, ids
        _check_real_bold(no_bold_fonts, monkeypatch)
    finally:
        for font_id in ids:
            QFontDatabase.removeApplicationFont(font_id)


def _check_real_bold(no_bold_fonts, monkeypatch) -> None:
    from PySide6.QtGui import QFont

    from ui.report import render
    from ui.report.pdf import pdf_bytes
    from ui.report.render import FAUX_BOLD, ReportLayout, has_bold_face

    assert has_bold_face("DejaVu Sans")
    fonts = dataclasses.replace(no_bold_fonts, latin="DejaVu Sans")
    monkeypatch.setattr(render, "resolve_fonts", lambda: fonts)

    title = "Annual Report 2026"
    layout = ReportLayout(_document(title))  # kept alive while its document is read
    fmt = layout.doc.begin().begin().fragment().charFormat()
    assert fmt.fontWeight() == QFont.Weight.Bold.value and not fmt.hasProperty(FAUX_BOLD)
    data = pdf_bytes(_document(title))
    text, streams = _pdf_texts(data)
    assert text.count(title.replace(" ", "")) == 1, text
    assert not [s for s in streams if b"/ActualText" in s]
    assert re.search(rb"/BaseFont\s*/[A-Z]*\+?DejaVuSans-Bold\b", data), "the bold face is embedded"


def test_a_header_repeated_on_the_next_page_is_bold_there_too(no_bold_fonts):
    """Qt repeats a long table's header row on each page it continues on: that copy is
    stroked too, just above the page's first row, where the row itself is drawn."""
    from ui.report.render import ReportLayout

    rows = [[f"指标{n}", "亿元"] for n in range(80)]
    doc = ReportDocument(TITLE, [Table("表1　长表", ["指标名称", "计量单位"], rows)])
    layout = ReportLayout(doc)
    assert layout.page_count >= 2
    strokes = layout._faux_bold_strokes()
    table = layout._tables[0][0]
    doc_layout = layout.doc.documentLayout()
    first = [path.boundingRect() for path, _pen in strokes[0]][-2:]  # the two header cells
    page_h = layout.doc.pageSize().height()
    for page in range(1, layout.page_count):
        repeated = [path.boundingRect() for path, _pen in strokes.get(page, [])]
        assert len(repeated) == 2, page
        top_row = min((doc_layout.blockBoundingRect(table.cellAt(r, 0).firstCursorPosition().block()).top()
                       for r in range(1, table.rows())
                       if layout._page_of(doc_layout.blockBoundingRect(
                           table.cellAt(r, 0).firstCursorPosition().block()).top()) == page))
        for original, copy in zip(first, repeated):
            assert copy.left() == pytest.approx(original.left()) and copy.width() == pytest.approx(original.width())
            assert page * page_h <= copy.top() < copy.bottom() <= top_row  # on that page, above its first row
