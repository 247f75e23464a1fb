"""The Qt renderer: PDF export, page layout like the Word document, print preview, threads."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading

import pypdf
import pytest

from parkdesk.report.model import Heading, Paragraph, ReportDocument, Table, sample_document
from tests.conftest import ROOT

A4 = (595.28, 841.89)


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory, qapp):
    """The sample report rendered once to PDF by Qt."""
    from ui.report.pdf import render_pdf

    path = tmp_path_factory.mktemp("pdf") / "sample.pdf"
    steps = []
    render_pdf(sample_document(), path, progress=lambda msg, frac: steps.append(frac))
    assert steps and steps[-1] == pytest.approx(1.0)
    return path


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_pdf_pages_size_and_text(sample_pdf):
    """Several A4 pages; the title, the numbered headings and the page numbers can be extracted."""
    reader = pypdf.PdfReader(str(sample_pdf))
    assert len(reader.pages) > 1
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - A4[0]) < 1 and abs(float(page.mediabox.height) - A4[1]) < 1
    texts = [page.extract_text() for page in reader.pages]
    everything = _compact("".join(texts))
    assert "江南示范产业开发区2026年1—10月工作情况汇报" in everything
    for heading in ("一、主要指标完成情况", "二、主要工作及成效", "（一）坚持产业定力，科学构建发展格局。",
                    "1.项目建设", "（1）要素保障", "附件1", "同比增长8.6%", "2026年11月20日"):
        assert heading in everything, heading
    assert "— 2 —" in re.sub(r"\s+", " ", texts[1])
    # radicals that share a glyph with an ideograph are mapped back: "增长", not "增⻓"
    assert not [c for c in everything if 0x2E80 <= ord(c) < 0x2FE0]
    assert reader.metadata.title == "江南示范产业开发区2026年1—10月工作情况汇报"


def _page_number_x(reader, index: int) -> float:
    xs = []

    def visit(text, cm, tm, _font, _size):
        if re.fullmatch(r"—\s*\d+\s*—", text.strip()):
            xs.append(tm[4] * cm[0] + tm[5] * cm[2] + cm[4])  # text space → page space

    reader.pages[index].extract_text(visitor_text=visit)
    assert xs, f"no page number on page {index + 1}"
    return xs[-1]


def test_page_numbers_odd_right_even_left(sample_pdf):
    """Odd page numbers sit at the right of the text area, even ones at the left."""
    reader = pypdf.PdfReader(str(sample_pdf))
    width = float(reader.pages[0].mediabox.width)
    assert _page_number_x(reader, 0) > width * 0.7
    assert _page_number_x(reader, 1) < width * 0.3
    assert _page_number_x(reader, 2) > width * 0.7


def _page_lines(layout) -> dict[int, list[tuple]]:
    """(page → [(block number, line index)]) for the lines of the root frame."""
    pages: dict[int, list] = {}
    block = layout.doc.begin()
    while block.isValid():
        spans = layout._line_spans(block)
        if block.layout().lineCount():
            for i, span in enumerate(spans):
                pages.setdefault(layout._line_page(span), []).append((block.blockNumber(), i))
        block = block.next()
    return pages


def test_22_lines_of_28_characters(qapp):
    """A page holds 22 lines of 28.95 pt; a full line of 3号 text holds 28 characters."""
    from ui.report.render import ReportLayout

    doc = ReportDocument("标题", [Paragraph("测" * 1200)])
    layout = ReportLayout(doc)
    pages = _page_lines(layout)
    assert len(pages[0]) == 22 and len(pages[1]) == 22
    para = layout.doc.findBlockByNumber(2).layout()
    assert para.lineAt(0).textLength() == 26  # two characters of first-line indent
    assert {para.lineAt(i).textLength() for i in range(1, 10)} == {28}
    pitch = layout.pt(28.95)
    tops = [top for top, _b in layout._line_spans(layout.doc.findBlockByNumber(2))[:5]]
    assert all(abs((b - a) - pitch) < 0.01 for a, b in zip(tops, tops[1:]))


def test_heading_never_ends_a_page(qapp):
    """A heading that would fall on the last line of a page moves to the next one (keep with next)."""
    from ui.report.render import ReportLayout

    # title + blank line + 19 lines of text = 21 lines: the heading would be line 22
    doc = ReportDocument("标题", [Paragraph("测" * (26 + 28 * 18)), Heading(1, "下一部分", key="h"),
                                 Paragraph("正文" * 30)])
    layout = ReportLayout(doc)
    pages = _page_lines(layout)
    assert len(pages[0]) == 21
    heading = layout.doc.findBlockByNumber(pages[1][0][0])
    assert heading.text() == "一、下一部分"


def _long_table(rows: int = 45) -> Table:
    return Table("表1　重点项目推进情况表", ["序号", "项目名称", "形象进度"],
                 [[str(i), f"项目{i}", "主体工程已完工，正在安装生产设备，预计年底试生产" * (1 + i % 3)]
                  for i in range(1, rows + 1)], widths=[1, 3, 8])


def test_table_rows_do_not_straddle_pages_and_the_header_repeats(qapp, tmp_path):
    """Multi-line rows move whole to the next page, where the header row is repeated."""
    from ui.report.pdf import render_pdf
    from ui.report.render import ReportLayout

    doc = ReportDocument("标题", [Paragraph("正文。" * 40), _long_table()])
    layout = ReportLayout(doc)
    assert layout.page_count >= 3
    for table, index, rows in layout._tables:
        assert layout._table_fix(table, index, rows) is None
        for r in range(table.rows()):
            cells = [table.cellAt(r, c) for c in range(table.columns())]
            tops = {layout._page_of(layout._line_spans(c.firstCursorPosition().block())[0][0]) for c in cells}
            bottoms = {layout._page_of(layout._line_spans(c.lastCursorPosition().block())[-1][1] - 0.5)
                       for c in cells}
            assert len(tops | bottoms) == 1, f"row {r} straddles a page"
    path = render_pdf(doc, tmp_path / "t.pdf")
    reader = pypdf.PdfReader(str(path))
    table_pages = [p.extract_text() for p in reader.pages if "主体工程" in p.extract_text()]
    assert len(table_pages) >= 2
    assert all("形象进度" in _compact(text) for text in table_pages)
    assert "项目45" in _compact(table_pages[-1])


def _body_lines(page) -> list[tuple[float, str]]:
    """(baseline y in pt from the page top, text) of each text run on a page, page number left out."""
    height = float(page.mediabox.height)
    runs = []

    def visit(text, cm, tm, _font, _size):
        if text.strip() and not re.fullmatch(r"—\s*\d+\s*—", text.strip()):
            runs.append((height - (tm[4] * cm[1] + tm[5] * cm[3] + cm[5]), text.strip()))

    page.extract_text(visitor_text=visit)
    return sorted(runs)


def test_no_line_is_printed_on_two_pages(sample_pdf, qapp, tmp_path):
    """No text sits above the top margin, and no page repeats the previous page's last line."""
    from ui.report.pdf import render_pdf

    table_pdf = render_pdf(ReportDocument("标题", [Paragraph("正文。" * 40), _long_table()]), tmp_path / "t.pdf")
    for path in (sample_pdf, table_pdf):
        reader = pypdf.PdfReader(str(path))
        pages = [_body_lines(page) for page in reader.pages]
        top_margin_pt = 37 / 25.4 * 72
        for number, runs in enumerate(pages, start=1):
            above = [text for y, text in runs if y < top_margin_pt]
            assert not above, f"page {number} prints {above} above its top margin"
        for number, (this, following) in enumerate(zip(pages, pages[1:]), start=1):
            last = [text for y, text in this if y == this[-1][0]]
            first = [text for y, text in following if y == following[0][0]]
            assert set(last).isdisjoint(first), f"pages {number} and {number + 1} both print {last}"


def test_render_pdf_on_a_worker_thread(qapp, tmp_path):
    """render_pdf runs off the GUI thread (as the GUI's export job does) and gives the same pages."""
    from ui.report.pdf import render_pdf

    doc = sample_document()
    result = {}

    def work():
        try:
            result["path"] = render_pdf(doc, tmp_path / "thread.pdf")
        except BaseException as exc:  # noqa: BLE001 - reported below
            result["error"] = exc

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(120)
    assert "error" not in result, result.get("error")
    main = render_pdf(doc, tmp_path / "main.pdf")
    assert len(pypdf.PdfReader(str(result["path"])).pages) == len(pypdf.PdfReader(str(main)).pages)


def test_render_pdf_headless_without_an_application(tmp_path):
    """From a plain script (no QApplication, no display) an offscreen application is created."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    code = ("import sys; sys.path.insert(0, %r)\n"
            "from parkdesk.report.model import sample_document\n"
            "from ui.report.pdf import render_pdf\n"
            "render_pdf(sample_document(), %r)\n" % (str(ROOT), str(tmp_path / "h.pdf")))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert len(pypdf.PdfReader(str(tmp_path / "h.pdf")).pages) > 1


def test_pdf_write_errors_are_clear(qapp, tmp_path):
    """A missing folder is an ExportError with a message, not a Qt failure."""
    from parkdesk.fileio import ExportError
    from ui.report.pdf import render_pdf

    with pytest.raises(ExportError, match="不存在"):
        render_pdf(ReportDocument("标题", [Paragraph("正文")]), tmp_path / "nope" / "a.pdf")


def test_install_registers_the_renderer_with_the_core():
    """ui.report.pdf.install() makes render_pdf the core's PDF renderer."""
    from parkdesk import report
    from ui.report.pdf import install, render_pdf

    saved = report.get_pdf_renderer()
    try:
        report.set_pdf_renderer(None)
        install()
        assert report.get_pdf_renderer() is render_pdf
    finally:
        report.set_pdf_renderer(saved)


def test_print_preview_and_printing(qtbot, tmp_path):
    """The preview dialog shows every page; printing draws the same pages on a QPrinter."""
    import shiboken6
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget

    from ui.report.printing import make_printer, preview_dialog
    from ui.report.render import ReportLayout, render_to_device

    doc = sample_document()
    pages = ReportLayout(doc).page_count
    printer = make_printer(doc)
    dialog = preview_dialog(doc, printer)
    qtbot.addWidget(dialog)
    dialog.show()
    widget = dialog.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: widget.pageCount() == pages, timeout=10000)
    dialog.close()
    shiboken6.delete(dialog)

    printer = make_printer(doc)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert render_to_device(doc, printer) == pages
    reader = pypdf.PdfReader(str(tmp_path / "printed.pdf"))
    assert len(reader.pages) == pages
    assert abs(float(reader.pages[0].mediabox.width) - A4[0]) < 1


def test_fix_radicals_keeps_lengths():
    """ToUnicode entries naming radicals are mapped to ideographs without changing any length."""
    from ui.report.pdf import fix_radicals

    cmap = (b"stream\nbegincmap\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
            b"2 beginbfrange\n<0001> <0003> [<2ED3> <0041> <2F00>]\n<0004> <0004> <2F49>\nendbfrange\n"
            b"1 beginbfchar\n<0005> <2EA8>\nendbfchar\nendcmap\nendstream")
    fixed = fix_radicals(cmap)
    assert len(fixed) == len(cmap)
    assert b"[<957F> <0041> <4E00>]" in fixed  # 长 A 一
    assert b"<0004> <0004> <6708>" in fixed  # 月
    assert b"<0005> <72AD>" in fixed  # 犭
    assert b"<0000> <FFFF>" in fixed
    assert fix_radicals(b"no cmap here") == b"no cmap here"


def test_many_qt_calls_do_not_abort_the_interpreter():
    """The installed PySide6 keeps None's reference count (6.12.0 did not: pyproject excludes it)."""
    code = ("import sys\n"
            "from PySide6.QtGui import QTextBlockFormat\n"
            "fmt = QTextBlockFormat()\n"
            "before = sys.getrefcount(None)\n"
            "for i in range(60000):\n"
            "    fmt.setTopMargin(1.0)\n"
            "print(sys.getrefcount(None) - before)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-500:]
    assert abs(int(result.stdout.strip())) < 100


def test_indicator_table_headers_take_at_most_two_lines(qapp, demo_desk):
    """附件1's header cells ("完成目标（%）", "较时序进度" …) fit in two lines, for 1—10月 and the year."""
    from parkdesk.report.draft import draft_report
    from ui.report.render import ReportLayout

    for through in (10, 12):
        doc = draft_report(demo_desk, 2026, through, figures=False)
        layout = ReportLayout(doc)
        table = next(t for t, index, _rows in layout._tables if doc.blocks[index].key == "attachments.indicators.table")
        for c in range(table.columns()):
            cell = table.cellAt(0, c)
            block, lines = cell.firstCursorPosition().block(), 0
            while block.isValid() and block.position() <= cell.lastCursorPosition().position():
                lines += block.layout().lineCount()
                block = block.next()
            assert lines <= 2, f"header {c} takes {lines} lines ({through})"


def test_a_large_parks_figures_print_whole_in_their_cells(qapp, tmp_path):
    """The 主要经济指标 table's weights with a large park's figures: every figure comes out of the
    PDF on one line (before, 41610.56 printed as "41610.5" over "6")."""
    from ui.report.pdf import render_pdf

    figures = ["182757.60", "41610.56", "2705811.25"]
    rows = [[f"一般公共预算收入{i}", "万元", f, "+7.0", f, "78.9", "-4.4"] for i, f in enumerate(figures)]
    table = Table("", ["指标名称", "单位", "1—10月", "同比\n（%）", "年度目标", "完成目标\n（%）", "较时序\n进度"],
                  rows, widths=[9.6, 4.6, 5.0, 3.8, 4.8, 4.6, 3.6], font_pt=12.0, flexible=0)
    path = render_pdf(ReportDocument("标题", [table]), tmp_path / "t.pdf")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)
    for figure in figures:
        assert text.count(figure) == 2, (figure, text)


def test_table_cells_wrap_where_the_table_counts(qapp, demo_desk):
    """Cells of Chinese characters in 附件1 and 附件2 (names, 形象进度) are broken by the table model so
    that no character stands alone on a line: Qt's layout wraps each line after exactly as many
    characters as Table.line_capacity counts for its column, so the model's breaks are the real
    ones — a name that fits stays on one line, none ends with a lone character."""
    from parkdesk.report.draft import draft_report
    from ui.report.render import ReportLayout

    doc = draft_report(demo_desk, 2026, 10, figures=False)
    keys = ("attachments.indicators.table", "attachments.projects.table")
    layout = ReportLayout(doc)
    broken = checked = 0
    for table, index, rows in layout._tables:
        block = doc.blocks[index]
        if block.key not in keys:
            continue
        for c in range(block.column_count):
            capacity = block.line_chars(c)
            for k, r in enumerate(rows):
                text = block.rows[r][c]
                if not re.fullmatch("[\u4e00-\u9fff\n]+", text):
                    continue
                cell = table.cellAt(k + 1, c)  # row 0 is the header
                part, lines = cell.firstCursorPosition().block(), []
                while part.isValid() and part.position() <= cell.lastCursorPosition().position():
                    t, text_layout = part.text(), part.layout()
                    for n in range(text_layout.lineCount()):
                        line = text_layout.lineAt(n)
                        lines.append(t[line.textStart():line.textStart() + line.textLength()])
                    part = part.next()
                # the room Qt gives a line of this cell, in characters of the table's font
                room = cell.firstCursorPosition().block().layout().lineAt(0).width() / layout.pt(block.font_pt)
                assert block.line_capacity(c) == pytest.approx(room, abs=0.02), (block.key, c, room)
                expected = [p[n:n + capacity] for p in text.split("\n") for n in range(0, len(p), capacity)]
                assert lines == expected, (block.key, c, text, lines)
                assert all(len(line) >= 2 for line in lines) or len(text) == 1, lines
                broken += "\n" in text
                checked += 1
    assert checked >= 60 and broken >= 3


def test_a_table_note_is_never_broken_over_two_pages(qapp):
    """Whatever stands above a table, its note is printed on one page, under the table's last row
    (the row goes with it to the next page, with the header repeated) — as the .docx keeps them."""
    from parkdesk.report.model import Paragraph
    from ui.report.render import ReportLayout

    note = "注：" + "这是一条较长的表格注释，说明表中数据的口径和来源；" * 4 + "完。"
    rows = [[f"指标{i}", "亿元", f"{i * 11.5:.2f}"] for i in range(1, 9)]
    moved = 0
    for filler in range(0, 26):
        blocks = [Paragraph("正文内容" * 6) for _ in range(filler)]
        blocks.append(Table("", ["指标名称", "单位", "数值"], rows, note=note))
        layout = ReportLayout(ReportDocument("标题", blocks))
        (num, (index, count)), = layout._notes.items()
        spans = layout._line_spans(layout.doc.findBlockByNumber(num))
        assert len(spans) >= 3
        page = layout._line_page(spans[0])
        assert layout._line_page(spans[-1]) == page, filler
        table, _index, part_rows = layout._tables[-1]
        assert part_rows[-1] == count - 1
        cell = table.cellAt(table.rows() - 1, 0)
        assert layout._line_page(layout._line_spans(cell.lastCursorPosition().block())[-1]) == page, filler
        moved += bool(layout._table_breaks.get(index))
    assert moved >= 1  # some filler put the note at a page foot
