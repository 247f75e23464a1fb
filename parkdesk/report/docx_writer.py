"""Writing a ReportDocument as a Word document laid out to GB/T 9704 (DESIGN 3.1).

A4, margins 37/35/28/26 mm, 22 lines of 28.95 pt on the document grid, 3号
body text squeezed to 28 characters a line, 2号 title, headings 黑体 / 楷体 /
仿宋, page numbers "— 1 —" right on odd and left on even pages, tables with a
repeated bold header row, figures at most 156 mm wide.

python-docx sets only ``w:ascii``/``w:hAnsi`` for a font name and starts from
a US-Letter template whose styles use theme fonts, so most properties are
written as XML here. Elements are inserted in the order the schema
(ECMA-376 Part 1, wml.xsd) gives, which Word checks strictly.
"""

from __future__ import annotations

import datetime as _dt
import io
from pathlib import Path
from typing import Callable

from docx import Document as _new_docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from ..fileio import atomic_output
from ..fonts import LATIN_FONT, ReportFont, report_fonts
from .model import (
    CELL_MARGIN_PT,
    Attachment,
    Figure,
    Heading,
    PageBreak,
    PageSettings,
    Paragraph,
    ReportDocument,
    Signature,
    Table,
    _text_width,
    render_blocks,
    split_paragraphs,
)

Progress = Callable[[str, float], None]

# --- child order of the elements Word validates strictly (wml.xsd) --------------------------
RPR_ORDER = (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
    "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
    "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
    "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath",
)
PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
    "sectPr", "pPrChange",
)
SECTPR_ORDER = (
    ("headerReference", "footerReference"), "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
    "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
    "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange",
)
TBLPR_ORDER = (
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
    "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
    "tblCaption", "tblDescription", "tblPrChange",
)
TCPR_ORDER = (
    "cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
    "textDirection", "tcFitText", "vAlign", "hideMark", "headers",
)
_THEME_FONT_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
HEADING_ROLES = {1: "hei", 2: "kai", 3: "fangsong", 4: "fangsong"}
FOOTER_DISTANCE_MM = 25.5  # puts the 一字线 of "— 1 —" about 7 mm below the text area
HEADER_DISTANCE_MM = 15.0


def mm_to_twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


def pt_to_twips(pt: float) -> int:
    return round(pt * 20)


def _order_index(tag: str, order) -> int:
    for i, entry in enumerate(order):
        if tag == entry or (isinstance(entry, tuple) and tag in entry):
            return i
    return len(order)


def _local(el) -> str:
    return el.tag.rsplit("}", 1)[-1]


def _el(tag: str, **attrs) -> "OxmlElement":
    """A ``w:`` element with ``w:`` attributes (None values are left out)."""
    el = OxmlElement(f"w:{tag}")
    for name, value in attrs.items():
        if value is not None:
            el.set(qn(f"w:{name}"), str(value))
    return el


def put(parent, child, order) -> None:
    """Insert ``child`` (replacing one of the same tag) where the schema order wants it."""
    tag = _local(child)
    for old in parent.findall(qn(f"w:{tag}")):
        parent.remove(old)
    rank = _order_index(tag, order)
    for i, existing in enumerate(parent):
        if _order_index(_local(existing), order) > rank:
            parent.insert(i, child)
            return
    parent.append(child)


# --- run and paragraph properties ----------------------------------------------------------------
class _Fonts:
    """East Asian family per role (by what is installed) and the title's weight."""

    def __init__(self, chosen: dict[str, ReportFont]):
        self.names = {role: f.name for role, f in chosen.items()}
        # A plain 宋体 title imitates 小标宋 with bold; 小标宋 and 华文中宋 are heavy already.
        self.title_bold = self.names["title"] in ("宋体", "SimSun")


def _rfonts(east_asia: str, latin: str = LATIN_FONT):
    return _el("rFonts", ascii=latin, hAnsi=latin, eastAsia=east_asia, cs=latin, hint="eastAsia")


def rpr_elements(east_asia: str, size_pt: float, *, bold: bool = False, spacing_pt: float | None = None,
                 latin: str = LATIN_FONT) -> list:
    """Run properties in schema order: fonts, bold, character spacing, size."""
    els = [_rfonts(east_asia, latin)]
    els += [_el("b", val="1" if bold else "0"), _el("bCs", val="1" if bold else "0")]
    if spacing_pt:
        els.append(_el("spacing", val=pt_to_twips(spacing_pt)))
    half = round(size_pt * 2)
    els += [_el("sz", val=half), _el("szCs", val=half)]
    return els


def _set_rpr(rpr, elements) -> None:
    for child in list(rpr):
        if _local(child) in ("rFonts", "b", "bCs", "spacing", "sz", "szCs", "color", "kern", "i", "iCs"):
            rpr.remove(child)
    for el in elements:
        put(rpr, el, RPR_ORDER)


def _line(exact_pt: float | None):
    if exact_pt is None:  # single spacing
        return _el("spacing", before=0, after=0, line=240, lineRule="auto")
    return _el("spacing", before=0, after=0, line=pt_to_twips(exact_pt), lineRule="exact")


def _indent(*, first_chars: int | None = None, char_pt: float = 16.0, left_twips: int | None = None,
            right_twips: int | None = None, left_chars: int | None = None, right_chars: int | None = None):
    """``w:ind``; character units are given both as ``*Chars`` and as twips."""
    attrs: dict = {}
    if left_chars is not None:
        attrs.update(leftChars=left_chars, left=round(left_chars / 100 * char_pt * 20))
    elif left_twips is not None:
        attrs["left"] = left_twips
    if right_chars is not None:
        attrs.update(rightChars=right_chars, right=round(right_chars / 100 * char_pt * 20))
    elif right_twips is not None:
        attrs["right"] = right_twips
    if first_chars is not None:
        attrs.update(firstLineChars=first_chars, firstLine=round(first_chars / 100 * char_pt * 20))
    return _el("ind", **attrs)


# --- the writer -----------------------------------------------------------------------------------
class _Writer:
    def __init__(self, document: ReportDocument, fonts: _Fonts, progress: Progress | None):
        self.src = document
        self.page: PageSettings = document.page
        self.fonts = fonts
        self.progress = progress or (lambda _m, _f: None)
        self.doc = _new_docx()
        self.body = self.doc.element.body
        self.pending_break = False
        self.figure_count = 0

    # set-up ----------------------------------------------------------------------------------
    def build(self):
        self._drop_template_leftovers()
        self._page_setup()
        self._styles()
        self._settings()
        self._core_properties()
        self._content()
        if self.page.page_numbers:
            self._page_numbers()
        return self.doc

    def _drop_template_leftovers(self) -> None:
        # The template's Word-2010 style copy (full of theme fonts) and its thumbnail
        # of an empty US-Letter page would only confuse.
        part = self.doc.part
        for rid, rel in list(part.rels.items()):
            if rel.reltype.endswith("/stylesWithEffects"):
                part.drop_rel(rid)
        pkg_rels = part.package.rels
        for rid, rel in list(pkg_rels.items()):
            if rel.reltype == RT.THUMBNAIL:
                del pkg_rels[rid]
        for p in list(self.body.iterchildren(qn("w:p"))):
            self.body.remove(p)

    def _page_setup(self) -> None:
        pg = self.page
        section = self.doc.sections[0]
        sect = section._sectPr
        put(sect, _el("pgSz", w=mm_to_twips(pg.page_width_mm), h=mm_to_twips(pg.page_height_mm)), SECTPR_ORDER)
        put(sect, _el("pgMar", top=mm_to_twips(pg.margin_top_mm), right=mm_to_twips(pg.margin_right_mm),
                      bottom=mm_to_twips(pg.margin_bottom_mm), left=mm_to_twips(pg.margin_left_mm),
                      header=mm_to_twips(HEADER_DISTANCE_MM), footer=mm_to_twips(FOOTER_DISTANCE_MM),
                      gutter=0), SECTPR_ORDER)
        put(sect, _el("cols", space=425), SECTPR_ORDER)
        put(sect, _el("docGrid", type="lines", linePitch=pt_to_twips(pg.line_pitch_pt)), SECTPR_ORDER)

    def _styles(self) -> None:
        styles = self.doc.styles
        root = styles.element
        for rfonts in list(root.iter(qn("w:rFonts"))):
            for attr in _THEME_FONT_ATTRS:
                rfonts.attrib.pop(qn(f"w:{attr}"), None)
            if not rfonts.attrib:
                rfonts.getparent().remove(rfonts)
        pg, f = self.page, self.fonts.names
        # document defaults: fonts, 3号, Chinese language, no paragraph spacing
        defaults = root.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _set_rpr(rpr, rpr_elements(f["fangsong"], pg.body_pt))
        put(rpr, _el("lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"), RPR_ORDER)
        ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
        put(ppr, _el("spacing", before=0, after=0, line=240, lineRule="auto"), PPR_ORDER)

        exact = pg.line_pitch_pt
        body_font = (f["fangsong"], pg.body_pt)
        self.st_body = self._para_style(
            "Normal", None, font=body_font, spacing=pg.char_spacing_pt,
            ppr=[_el("widowControl", val="0"), _el("autoSpaceDE", val="0"), _el("autoSpaceDN", val="0"),
                 _line(exact), _indent(first_chars=200, char_pt=pg.body_pt), _el("jc", val="both")])
        def no_indent():  # a fresh element for each style: lxml moves an element it appends
            return _indent(first_chars=0, char_pt=pg.body_pt)

        self.st_title = self._para_style(
            "Title", "Normal", font=(f["title"], pg.title_pt), bold=self.fonts.title_bold,
            ppr=[_el("keepNext"), _el("keepLines"), _el("snapToGrid", val="0"), _line(exact), no_indent(),
                 _el("jc", val="center"), _el("outlineLvl", val=9)])
        self.st_subtitle = self._para_style(
            "Subtitle", "Normal", font=(f["kai"], pg.body_pt),
            ppr=[_el("keepNext"), _line(exact), no_indent(), _el("jc", val="center"), _el("outlineLvl", val=9)])
        self.st_heading = {}
        for level in (1, 2, 3, 4):
            indent = no_indent() if (level == 1 and not pg.level1_indent) else \
                _indent(first_chars=200, char_pt=pg.body_pt)
            self.st_heading[level] = self._para_style(
                f"Heading {level}", "Normal", font=(f[HEADING_ROLES[level]], pg.body_pt),
                bold=(level == 3 and pg.level3_bold), spacing=pg.char_spacing_pt,
                ppr=[_el("keepNext"), _el("keepLines"), _line(exact), indent, _el("jc", val="both"),
                     _el("outlineLvl", val=level - 1)])
        self.st_caption = self._para_style(
            "Caption", "Normal", font=(f["hei"], pg.body_pt),
            ppr=[_el("keepNext"), _el("keepLines"), _line(exact), no_indent(), _el("jc", val="center")])
        self.st_table = self._para_style(
            "表格文字", "Normal", style_id="PDTableText", font=(f["fangsong"], 14.0),
            ppr=[_el("snapToGrid", val="0"), _line(pg.table_line_pt), _indent(first_chars=0, char_pt=14.0),
                 _el("jc", val="center")])
        self.st_table_note = self._para_style(
            "表注", "Normal", style_id="PDTableNote", font=(f["fangsong"], 14.0),
            ppr=[_el("keepLines"), _el("snapToGrid", val="0"), _line(pg.table_line_pt), _indent(first_chars=0, char_pt=14.0),
                 _el("jc", val="left")])
        self.st_figure = self._para_style(
            "图片", "Normal", style_id="PDFigure", font=body_font,
            ppr=[_el("keepNext"), _line(None), no_indent(), _el("jc", val="center")])
        self.st_attachment = self._para_style(
            "附件标识", "Normal", style_id="PDAttachmentLabel", font=(f["hei"], pg.body_pt),
            ppr=[_el("keepNext"), _el("pageBreakBefore"), _line(exact), no_indent(), _el("jc", val="left")])
        self.st_signature = self._para_style(
            "落款", "Normal", style_id="PDSignature", font=body_font,
            ppr=[_el("keepNext"), _el("keepLines"), _line(exact), no_indent(), _el("jc", val="right")])
        self.st_footer = self._para_style(
            "Footer", "Normal", font=(f["song"], pg.page_number_pt), latin=f["song"],
            ppr=[_el("snapToGrid", val="0"), _line(None), _indent(first_chars=0, char_pt=pg.page_number_pt)])

    def _para_style(self, name: str, base: str | None, *, font, ppr, bold=False, spacing=None,
                    style_id: str | None = None, latin: str = LATIN_FONT):
        styles = self.doc.styles
        try:
            style = styles[name]
        except KeyError:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            if style_id:
                style.element.styleId = style_id
            style.quick_style = True
        if base:
            style.base_style = styles[base]
        el = style.element
        old_ppr = el.find(qn("w:pPr"))
        if old_ppr is not None:
            el.remove(old_ppr)
        new_ppr = el.get_or_add_pPr()
        for child in ppr:
            put(new_ppr, child, PPR_ORDER)
        rpr = el.get_or_add_rPr()
        for child in list(rpr):
            rpr.remove(child)
        for child in rpr_elements(font[0], font[1], bold=bold, spacing_pt=spacing, latin=latin):
            put(rpr, child, RPR_ORDER)
        put(rpr, _el("color", val="000000"), RPR_ORDER)
        put(rpr, _el("lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"), RPR_ORDER)
        return style

    def _settings(self) -> None:
        settings = self.doc.settings
        settings.odd_and_even_pages_header_footer = True
        lang = settings.element.find(qn("w:themeFontLang"))
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")

    def _core_properties(self) -> None:
        props = self.doc.core_properties
        # python-docx writes naive datetimes as UTC
        now = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0, tzinfo=None)
        props.title = self.src.title.replace("\n", "")
        props.author = self.src.signature.organization if self.src.signature else ""
        props.last_modified_by = ""
        props.comments = ""
        props.language = "zh-CN"
        props.created = now
        props.modified = now
        props.revision = 1

    # content ---------------------------------------------------------------------------------
    def _content(self) -> None:
        src = self.src
        for line in split_paragraphs(src.title) or [""]:
            self._text_para(self.st_title, [(line, "title", self.fonts.title_bold, self.page.title_pt, None)])
        if src.subtitle:
            self._text_para(self.st_subtitle, [(src.subtitle, "kai", False, self.page.body_pt, None)])
        self._blank()
        render_blocks(src, self, lambda i, total: self.progress("正在生成 Word 文档……", i / total))
        self.progress("正在生成 Word 文档……", 1.0)

    def page_break(self, _block: PageBreak, _number: str, _index: int) -> None:
        self.pending_break = True

    def _new_para(self, style):
        p = self.doc.add_paragraph(style=style)
        if self.pending_break:
            put(p._p.get_or_add_pPr(), _el("pageBreakBefore"), PPR_ORDER)
            self.pending_break = False
        return p

    def _run(self, p, text: str, role: str, bold: bool, size_pt: float, spacing: float | None,
             latin: str = LATIN_FONT):
        r = OxmlElement("w:r")
        rpr = OxmlElement("w:rPr")
        for child in rpr_elements(self.fonts.names[role], size_pt, bold=bold, spacing_pt=spacing, latin=latin):
            rpr.append(child)
        r.append(rpr)
        for k, piece in enumerate(text.split("\t")):
            if k:
                r.append(OxmlElement("w:tab"))
            if piece:
                t = OxmlElement("w:t")
                t.text = piece
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                r.append(t)
        p._p.append(r)
        return r

    def _text_para(self, style, runs, *, ppr=()):
        p = self._new_para(style)
        for child in ppr:
            put(p._p.get_or_add_pPr(), child, PPR_ORDER)
        for text, role, bold, size, spacing in runs:
            if text:
                self._run(p, text, role, bold, size, spacing)
        return p

    def _blank(self):
        return self._new_para(self.st_body)

    def heading(self, block: Heading, number: str, _index: int) -> None:
        pg = self.page
        bold = block.level == 3 and pg.level3_bold
        self._text_para(self.st_heading[block.level],
                        [(number + block.text, HEADING_ROLES[block.level], bold, pg.body_pt, pg.char_spacing_pt)])

    def paragraph(self, block: Paragraph, number: str, _index: int) -> None:
        pg = self.page
        pieces = split_paragraphs(block.text)
        if not pieces:
            if not block.lead:
                return
            pieces = [""]
        for k, text in enumerate(pieces):
            ppr = []  # fresh elements per paragraph: lxml moves an element it appends
            if block.align != "justify":
                ppr.append(_el("jc", val=block.align))
            if not block.indent:
                ppr.append(_indent(first_chars=0, char_pt=pg.body_pt))
            runs = []
            if k == 0 and block.lead:
                level = block.lead_level
                runs.append((number + block.lead, HEADING_ROLES[level], level == 3 and pg.level3_bold,
                             pg.body_pt, pg.char_spacing_pt))
            runs.append((text, "fangsong", False, pg.body_pt, pg.char_spacing_pt))
            p = self._text_para(self.st_body, runs, ppr=ppr)
            if k == 0 and block.lead and len(pieces) == 1 and not text:
                put(p._p.get_or_add_pPr(), _el("keepNext"), PPR_ORDER)

    def attachment(self, block: Attachment, _number: str, _index: int) -> None:
        pg = self.page
        self.pending_break = False  # the label starts a new page by its style
        self._text_para(self.st_attachment, [(block.label, "hei", False, pg.body_pt, None)])
        if block.title:
            for line in split_paragraphs(block.title):
                self._text_para(self.st_title, [(line, "title", self.fonts.title_bold, pg.title_pt, None)])
            self._text_para(self.st_caption, [])  # one blank line under the title, kept with what follows

    def signature(self, block: Signature, _number: str, _index: int) -> None:
        pg = self.page
        char_twips = pt_to_twips(pg.body_pt + pg.char_spacing_pt)
        org_right, date_right = signature_indents(block.organization, block.date_text)
        self._blank()
        # the date keeps with nothing: what follows may be an attachment
        for text, right, keep in ((block.organization, org_right, "1"), (block.date_text, date_right, "0")):
            if text:
                indent = _indent(first_chars=0, char_pt=pg.body_pt, right_twips=round(right * char_twips))
                self._text_para(self.st_signature, [(text, "fangsong", False, pg.body_pt, pg.char_spacing_pt)],
                                ppr=[_el("keepNext", val=keep), indent])

    # figures ---------------------------------------------------------------------------------
    def figure(self, block: Figure, _number: str, _index: int) -> None:
        pg = self.page
        # leave room for the caption line below the picture
        max_h = pg.text_height_mm - 2 * pg.line_pitch_pt / 72 * 25.4
        width_mm, _h = block.fitted_size_mm(max_h)
        p = self._new_para(self.st_figure)
        run = p.add_run()
        run.add_picture(io.BytesIO(block.image), width=Mm(width_mm))
        rpr = run._r.get_or_add_rPr()  # every run names its fonts, the picture's too
        for child in rpr_elements(self.fonts.names["fangsong"], pg.body_pt):
            put(rpr, child, RPR_ORDER)
        self.figure_count += 1
        doc_pr = run._r.find(".//" + qn("wp:docPr"))
        if doc_pr is not None:  # alternative text for screen readers and WPS
            doc_pr.set("descr", block.caption or f"图{self.figure_count}")
        if block.caption:
            self._text_para(self.st_caption, [(block.caption, "hei", False, pg.body_pt, None)],
                            ppr=[_el("keepNext", val="0")])
        else:
            put(p._p.get_or_add_pPr(), _el("keepNext", val="0"), PPR_ORDER)

    # tables ----------------------------------------------------------------------------------
    def table(self, block: Table, _number: str, _index: int) -> None:
        pg = self.page
        if block.caption:
            self._text_para(self.st_caption, [(block.caption, "hei", False, pg.body_pt, None)])
        if block.unit:
            self._text_para(self.st_table_note, [(block.unit, "fangsong", False, block.font_pt, None)],
                            ppr=[_el("keepNext"), _el("jc", val="right")])
        if self.pending_break:  # a page break cannot sit inside a table
            self._text_para(self.st_table_note, [])
        width = mm_to_twips(pg.text_width_mm)
        cols = [round(width * f) for f in block.column_fractions()]
        cols[-1] += width - sum(cols)
        aligns = block.column_aligns()

        tbl = OxmlElement("w:tbl")
        tbl_pr = OxmlElement("w:tblPr")
        for child in (
            _el("tblStyle", val="TableGrid"),
            _el("tblW", w=width, type="dxa"),
            _el("jc", val="center"),
            _el("tblInd", w=0, type="dxa"),
            self._borders(),
            _el("tblLayout", type="fixed"),
            self._cell_margins(),
            _el("tblLook", val="04A0", firstRow="1", lastRow="0", firstColumn="0", lastColumn="0",
                noHBand="1", noVBand="1"),
        ):
            put(tbl_pr, child, TBLPR_ORDER)
        tbl.append(tbl_pr)
        grid = OxmlElement("w:tblGrid")
        for w in cols:
            grid.append(_el("gridCol", w=w))
        tbl.append(grid)
        tbl.append(self._row(block.headers, cols, ["center"] * len(cols), block.font_pt, header=True))
        for n, row in enumerate(block.rows, start=1):
            # the last row keeps with the note: a note never starts a page alone
            tbl.append(self._row(row, cols, aligns, block.font_pt, header=False,
                                 keep_next=bool(block.note) and n == len(block.rows)))
        # python-docx keeps the section properties last; insert the table before them
        self.body.insert(len(self.body) - 1, tbl)
        if block.note:
            self._text_para(self.st_table_note, [(block.note, "fangsong", False, block.font_pt, None)])
        else:
            # Word needs a paragraph between two tables and after a table at the end.
            self._text_para(self.st_table_note, [])

    @staticmethod
    def _borders():
        borders = OxmlElement("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            borders.append(_el(side, val="single", sz=4, space=0, color="000000"))
        return borders

    @staticmethod
    def _cell_margins():
        mar = OxmlElement("w:tblCellMar")
        margin = pt_to_twips(CELL_MARGIN_PT)
        for side, w in (("top", 0), ("left", margin), ("bottom", 0), ("right", margin)):
            mar.append(_el(side, w=w, type="dxa"))
        return mar

    def _row(self, cells, cols, aligns, font_pt: float, *, header: bool, keep_next: bool = False):
        tr = OxmlElement("w:tr")
        tr_pr = OxmlElement("w:trPr")
        tr_pr.append(_el("cantSplit"))
        if header:
            tr_pr.append(_el("tblHeader"))
        tr.append(tr_pr)
        style_id = self.st_table.style_id
        for text, w, align in zip(cells, cols, aligns):
            tc = OxmlElement("w:tc")
            tc_pr = OxmlElement("w:tcPr")
            put(tc_pr, _el("tcW", w=w, type="dxa"), TCPR_ORDER)
            put(tc_pr, _el("vAlign", val="center"), TCPR_ORDER)
            tc.append(tc_pr)
            lines = split_paragraphs(text) or [""]
            for line in lines:
                p = OxmlElement("w:p")
                ppr = OxmlElement("w:pPr")
                put(ppr, _el("pStyle", val=style_id), PPR_ORDER)
                if header or keep_next:  # the header row never stays alone at the foot of a page
                    put(ppr, _el("keepNext"), PPR_ORDER)
                put(ppr, _el("jc", val={"justify": "both"}.get(align, align)), PPR_ORDER)
                p.append(ppr)
                if line:
                    holder = _ParaShim(p)
                    self._run(holder, line, "fangsong", header, font_pt, None)
                tc.append(p)
            tr.append(tc)
        return tr

    # page numbers ----------------------------------------------------------------------------
    def _page_numbers(self) -> None:
        section = self.doc.sections[0]
        pg = self.page
        odd = section.footer
        even = section.even_page_footer
        odd.is_linked_to_previous = False
        even.is_linked_to_previous = False
        self._footer(odd, right=True, size=pg.page_number_pt)
        self._footer(even, right=False, size=pg.page_number_pt)

    def _footer(self, footer, *, right: bool, size: float) -> None:
        root = footer._element
        for child in list(root):
            root.remove(child)
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        put(ppr, _el("pStyle", val=self.st_footer.style_id), PPR_ORDER)
        one_char = 100  # "one character in from the edge" of the text area
        put(ppr, _indent(first_chars=0, char_pt=size, **({"right_chars": one_char} if right else
                                                         {"left_chars": one_char})), PPR_ORDER)
        put(ppr, _el("jc", val="right" if right else "left"), PPR_ORDER)
        p.append(ppr)
        song = self.fonts.names["song"]
        shim = _ParaShim(p)

        def run(text=None, fld=None, instr=None):
            r = self._run(shim, text or "", "song", False, size, None, latin=song)
            if fld:
                r.append(_el("fldChar", fldCharType=fld))
            if instr:
                t = OxmlElement("w:instrText")
                t.text = instr
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                r.append(t)

        run("— ")
        run(fld="begin")
        run(instr=" PAGE ")
        run(fld="separate")
        run("1")
        run(fld="end")
        run(" —")
        root.append(p)


class _ParaShim:
    """Lets ``_Writer._run`` append to a bare ``w:p`` built as XML."""

    def __init__(self, p):
        self._p = p


def signature_indents(organization: str, date_text: str) -> tuple[float, float]:
    """Right indents (in characters) of the signing body and the date.

    GB/T 9704: the date stands four characters in from the right, the body is
    centred over the date; a body too long for that keeps two characters and
    the date moves left to stay centred under it.
    """
    org_w, date_w = _text_width(organization), _text_width(date_text)
    date_right = 4.0
    org_right = date_right + (date_w - org_w) / 2
    if org_right < 2.0:
        org_right = 2.0
        date_right = org_right + (org_w - date_w) / 2
    return org_right, date_right


def build_docx(document: ReportDocument, *, fonts: dict[str, ReportFont] | None = None,
               progress: Progress | None = None):
    """The python-docx Document for a report (not yet saved).

    ``fonts`` (role → :class:`~parkdesk.fonts.ReportFont`) defaults to what
    :func:`parkdesk.fonts.report_fonts` finds on this machine.
    """
    return _Writer(document, _Fonts(fonts or report_fonts()), progress).build()


def write_docx(document: ReportDocument, path, *, fonts: dict[str, ReportFont] | None = None,
               progress: Progress | None = None) -> Path:
    """Write a report as a .docx file, atomically (temp file renamed into place).

    :raises parkdesk.fileio.ExportError: when the folder is missing or the
        target is open in another program.
    """
    target = Path(path)
    doc = build_docx(document, fonts=fonts, progress=progress)
    with atomic_output(target) as tmp:
        doc.save(str(tmp))
    return target
