"""The Word writer: a real .docx read back with python-docx and as XML, checked against DESIGN 3.1."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import pytest
from lxml import etree

from parkdesk.fileio import ExportError
from parkdesk.fonts import ReportFont, report_fonts
from parkdesk.report.docx_writer import signature_indents, write_docx
from parkdesk.report.model import (
    Heading,
    PageBreak,
    Paragraph,
    ReportDocument,
    Table,
    png_size,
    sample_document,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
NS = {"w": W[1:-1], "wp": WP[1:-1], "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
EMU_PER_MM = 36000
# The machine the tests run on has none of the Windows families: the fallbacks apply.
NO_WINDOWS_FONTS = report_fonts(families=())

# Child order from ECMA-376 Part 1 wml.xsd (CT_RPr / CT_PPrBase+CT_PPr / CT_SectPr / CT_TblPrBase / CT_TcPrBase).
SCHEMA_ORDER = {
    "rPr": ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
            "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
            "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
            "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"],
    "pPr": ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
            "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
            "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
            "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
            "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
            "sectPr", "pPrChange"],
    "sectPr": ["headerReference|footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
               "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
               "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange"],
    "tblPr": ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
              "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar",
              "tblLook", "tblCaption", "tblDescription", "tblPrChange"],
    "tcPr": ["cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
             "textDirection", "tcFitText", "vAlign", "hideMark", "headers"],
}


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory):
    """The sample report written once for the module."""
    path = tmp_path_factory.mktemp("docx") / "sample.docx"
    write_docx(sample_document(), path, fonts=NO_WINDOWS_FONTS)
    return path


def _parts(path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as z:
        return {name: etree.fromstring(z.read(name)) for name in z.namelist()
                if name.startswith("word/") and name.endswith(".xml")}


def _val(el, attr="val"):
    return None if el is None else el.get(W + attr)


def _style(styles, style_id):
    return styles.find(f"w:style[@w:styleId='{style_id}']", NS)


def _paragraph(doc, text_start):
    for p in doc.iter(W + "p"):
        if "".join(p.itertext()).startswith(text_start):
            return p
    raise AssertionError(f"no paragraph starts with {text_start!r}")


def test_page_size_margins_and_grid(sample_docx):
    """A4 in twips, margins 37/35/28/26 mm, a line grid of pitch 579 twips."""
    sect = _parts(sample_docx)["word/document.xml"].find(".//w:body/w:sectPr", NS)
    size = sect.find("w:pgSz", NS)
    assert (_val(size, "w"), _val(size, "h")) == ("11906", "16838")
    mar = sect.find("w:pgMar", NS)
    assert {k: _val(mar, k) for k in ("top", "bottom", "left", "right")} == {
        "top": "2098", "bottom": "1984", "left": "1587", "right": "1474"}
    grid = sect.find("w:docGrid", NS)
    assert _val(grid, "type") == "lines" and _val(grid, "linePitch") == "579"


def test_read_back_with_python_docx(sample_docx):
    """python-docx opens the file: A4 section, the title, numbered headings and the signature."""
    import docx
    from docx.shared import Mm

    d = docx.Document(str(sample_docx))
    section = d.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1) and abs(section.page_height - Mm(297)) < Mm(0.1)
    assert abs(section.top_margin - Mm(37)) < Mm(0.1) and abs(section.left_margin - Mm(28)) < Mm(0.1)
    texts = [p.text for p in d.paragraphs]
    assert texts[0] == "江南示范产业开发区2026年1—10月工作情况汇报"
    assert "一、主要指标完成情况" in texts and "四、下步工作打算" in texts
    assert "1.项目建设" in texts and "（1）要素保障" in texts and "（三）坚持深化改革，激发园区发展活力" in texts
    assert any(t.startswith("（一）坚持产业定力，科学构建发展格局。按照") for t in texts)
    assert "2026年11月20日" in texts and "附件1" in texts
    styles = {p.text: p.style.name for p in d.paragraphs if p.text}
    assert styles["一、主要指标完成情况"] == "Heading 1" and styles["1.项目建设"] == "Heading 3"
    assert d.settings.odd_and_even_pages_header_footer
    assert d.core_properties.title == texts[0] and d.core_properties.author != "python-docx"


def test_body_text_format(sample_docx):
    """Body: 3号 仿宋 with East Asian font, exact 28.95 pt, justified, two-character indent, no widow control."""
    styles = _parts(sample_docx)["word/styles.xml"]
    normal = _style(styles, "Normal")
    spacing = normal.find("w:pPr/w:spacing", NS)
    assert (_val(spacing, "line"), _val(spacing, "lineRule")) == ("579", "exact")
    ind = normal.find("w:pPr/w:ind", NS)
    assert _val(ind, "firstLineChars") == "200" and _val(ind, "firstLine") == "640"
    assert _val(normal.find("w:pPr/w:jc", NS)) == "both"
    assert _val(normal.find("w:pPr/w:widowControl", NS)) == "0"
    assert _val(normal.find("w:rPr/w:sz", NS)) == "32"
    fonts = normal.find("w:rPr/w:rFonts", NS)
    assert _val(fonts, "eastAsia") == "仿宋" and _val(fonts, "ascii") == "Times New Roman"
    assert _val(normal.find("w:rPr/w:spacing", NS)) == "-5"  # −0.25 pt: 28 characters a line
    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert _val(defaults.find("w:lang", NS), "eastAsia") == "zh-CN"
    assert _val(defaults.find("w:rFonts", NS), "eastAsia") == "仿宋"


def test_no_theme_fonts_and_east_asian_font_on_every_run(sample_docx):
    """Theme font attributes are gone from styles and defaults; every run names its East Asian font."""
    parts = _parts(sample_docx)
    theme_attrs = [W + a for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")]
    for name, root in parts.items():
        for rfonts in root.iter(W + "rFonts"):
            assert not any(a in rfonts.attrib for a in theme_attrs), name
    for name in ("word/document.xml", "word/footer1.xml", "word/footer2.xml"):
        runs = list(parts[name].iter(W + "r"))
        assert runs
        for r in runs:
            fonts = r.find("w:rPr/w:rFonts", NS)
            assert fonts is not None and _val(fonts, "eastAsia"), name
    settings = parts["word/settings.xml"]
    assert _val(settings.find("w:themeFontLang", NS), "eastAsia") == "zh-CN"
    assert not any(n.endswith("stylesWithEffects.xml") for n in parts)


def test_title_and_headings(sample_docx):
    """Title 2号 with its East Asian font, centred; headings 黑体/楷体/仿宋, kept with the next paragraph."""
    parts = _parts(sample_docx)
    doc, styles = parts["word/document.xml"], parts["word/styles.xml"]
    title = _paragraph(doc, "江南示范产业开发区2026年")
    run = title.find("w:r/w:rPr", NS)
    assert _val(run.find("w:sz", NS)) == "44"
    assert _val(run.find("w:rFonts", NS), "eastAsia") == "宋体"  # no 小标宋 / 华文中宋 here
    assert _val(run.find("w:b", NS)) == "1"  # plain 宋体 imitates 小标宋 with bold
    assert _val(_style(styles, "Title").find("w:pPr/w:jc", NS)) == "center"
    east_asia = {1: "黑体", 2: "楷体", 3: "仿宋", 4: "仿宋"}
    for level in (1, 2, 3, 4):
        style = _style(styles, f"Heading{level}")
        assert style.find("w:pPr/w:keepNext", NS) is not None
        assert _val(style.find("w:rPr/w:rFonts", NS), "eastAsia") == east_asia[level]
        assert _val(style.find("w:rPr/w:sz", NS)) == "32"
        assert _val(style.find("w:rPr/w:b", NS)) == "0"  # level-3 bold is off by default
    assert _val(_style(styles, "Heading1").find("w:pPr/w:ind", NS), "firstLineChars") == "0"
    assert _val(_style(styles, "Heading2").find("w:pPr/w:ind", NS), "firstLineChars") == "200"
    heading = _paragraph(doc, "一、主要指标完成情况")
    assert _val(heading.find("w:pPr/w:pStyle", NS)) == "Heading1"
    assert _val(heading.find("w:r/w:rPr/w:rFonts", NS), "eastAsia") == "黑体"


def test_run_in_lead_uses_the_heading_font(sample_docx):
    """"（一）坚持产业定力……。" is 楷体 (level 2), the text after it 仿宋, in one justified paragraph."""
    p = _paragraph(_parts(sample_docx)["word/document.xml"], "（一）坚持产业定力")
    runs = p.findall("w:r", NS)
    assert "".join(runs[0].itertext()) == "（一）坚持产业定力，科学构建发展格局。"
    assert _val(runs[0].find("w:rPr/w:rFonts", NS), "eastAsia") == "楷体"
    assert "".join(runs[1].itertext()).startswith("按照")
    assert _val(runs[1].find("w:rPr/w:rFonts", NS), "eastAsia") == "仿宋"
    assert p.find("w:pPr/w:pStyle", NS) is None  # Normal: justified, indented two characters


def test_page_numbers_in_odd_and_even_footers(sample_docx):
    """"— N —" in 4号 宋体: odd pages right, even pages left, one character in, each with a PAGE field."""
    parts = _parts(sample_docx)
    sect = parts["word/document.xml"].find(".//w:body/w:sectPr", NS)
    refs = {_val(r, "type"): r.get("{%s}id" % NS["r"]) for r in sect.findall("w:footerReference", NS)}
    assert set(refs) == {"default", "even"}
    assert parts["word/settings.xml"].find("w:evenAndOddHeaders", NS) is not None
    rels = etree.fromstring(zipfile.ZipFile(sample_docx).read("word/_rels/document.xml.rels"))
    target = {r.get("Id"): "word/" + r.get("Target") for r in rels}
    for kind, side in (("default", "right"), ("even", "left")):
        footer = parts[target[refs[kind]]]
        p = footer.find("w:p", NS)
        assert _val(p.find("w:pPr/w:jc", NS)) == side
        ind = p.find("w:pPr/w:ind", NS)
        assert _val(ind, f"{side}Chars") == "100" and _val(ind, side) == "280"
        instr = "".join(t.text for t in footer.iter(W + "instrText"))
        assert instr.strip() == "PAGE"
        assert [_val(f, "fldCharType") for f in footer.iter(W + "fldChar")] == ["begin", "separate", "end"]
        text = "".join(t.text or "" for t in footer.iter(W + "t"))
        assert text.startswith("— ") and text.endswith(" —")
        for r in footer.iter(W + "r"):
            assert _val(r.find("w:rPr/w:sz", NS)) == "28"
            assert _val(r.find("w:rPr/w:rFonts", NS), "eastAsia") == "宋体"


def test_table_rows_repeat_the_header_and_do_not_split(sample_docx):
    """Header row bold and repeated (tblHeader), no row split (cantSplit), 4号 cells, width = text area."""
    doc = _parts(sample_docx)["word/document.xml"]
    tbl = doc.find(".//w:tbl", NS)
    rows = tbl.findall("w:tr", NS)
    assert len(rows) == 24
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows)
    assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
    header_run = rows[0].find(".//w:r/w:rPr", NS)
    assert _val(header_run.find("w:b", NS)) == "1" and _val(header_run.find("w:sz", NS)) == "28"
    body_run = rows[1].find(".//w:r/w:rPr", NS)
    assert _val(body_run.find("w:b", NS)) == "0"
    assert _val(body_run.find("w:rFonts", NS), "eastAsia") == "仿宋"
    grid = [int(_val(c, "w")) for c in tbl.findall("w:tblGrid/w:gridCol", NS)]
    assert sum(grid) == 8844  # 156 mm
    assert int(_val(tbl.find("w:tblPr/w:tblW", NS), "w")) <= 8844
    borders = tbl.find("w:tblPr/w:tblBorders", NS)
    assert {_local(b) for b in borders} == {"top", "left", "bottom", "right", "insideH", "insideV"}
    texts = ["".join(r.itertext()) for r in rows]
    assert texts[0].startswith("序号指标名称") and "技工贸总收入" in texts[1]
    unit = tbl.getprevious()
    assert "".join(unit.itertext()) == "单位：亿元、万元、%"


def _local(el) -> str:
    return el.tag.rsplit("}", 1)[-1]


def test_figure_width_and_resolution(sample_docx):
    """Figures are at most 156 mm wide, their PNG prints at ≥ 200 dpi, single-spaced and centred."""
    doc = _parts(sample_docx)["word/document.xml"]
    extents = doc.findall(".//wp:inline/wp:extent", NS)
    assert len(extents) == 2
    with zipfile.ZipFile(sample_docx) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        png = z.read(media[0])
    width_px, _h = png_size(png)
    for extent in extents:
        width_mm = int(extent.get("cx")) / EMU_PER_MM
        assert width_mm <= 156.01
        assert width_px / (width_mm / 25.4) >= 200
    figure_p = extents[0].getparent().getparent().getparent().getparent()
    assert _val(figure_p.find("w:pPr/w:pStyle", NS)) == "PDFigure"
    styles = _parts(sample_docx)["word/styles.xml"]
    style = _style(styles, "PDFigure")
    assert _val(style.find("w:pPr/w:spacing", NS), "lineRule") == "auto"
    assert _val(style.find("w:pPr/w:jc", NS)) == "center"


def test_signature_attachments_and_page_breaks(sample_docx):
    """Signature right-aligned with an Arabic-numeral date; attachments and page breaks start new pages."""
    parts = _parts(sample_docx)
    doc, styles = parts["word/document.xml"], parts["word/styles.xml"]
    date = _paragraph(doc, "2026年11月20日")
    assert _val(date.find("w:pPr/w:pStyle", NS)) == "PDSignature"
    assert _val(_style(styles, "PDSignature").find("w:pPr/w:jc", NS)) == "right"
    org = _paragraph(doc, "江南示范产业开发区管理委员会")
    org_right = int(_val(org.find("w:pPr/w:ind", NS), "right"))
    date_right = int(_val(date.find("w:pPr/w:ind", NS), "right"))
    assert date_right > org_right  # the date is centred under the longer name
    label_style = _style(styles, "PDAttachmentLabel")
    assert label_style.find("w:pPr/w:pageBreakBefore", NS) is not None
    assert _val(label_style.find("w:rPr/w:rFonts", NS), "eastAsia") == "黑体"
    labels = [p for p in doc.iter(W + "p") if "".join(p.itertext()) in ("附件1", "附件2")]
    assert len(labels) == 2
    assert all(_val(p.find("w:pPr/w:pStyle", NS)) == "PDAttachmentLabel" for p in labels)
    # a PageBreak block followed by an attachment makes one page break, not an empty page
    breaks = [p for p in doc.iter(W + "p") if p.find("w:pPr/w:pageBreakBefore", NS) is not None]
    assert breaks == []


def test_signature_indents_centre_the_name_over_the_date():
    """GB/T 9704: date four characters in, the name centred over it (or two in when too long)."""
    assert signature_indents("开发区管委会", "2026年12月20日") == (4.5, 4.0)
    org, date = signature_indents("江南示范产业开发区管理委员会", "2026年12月20日")
    assert org == 2.0 and date == 5.5


def test_page_break_block_starts_a_new_page(tmp_path):
    """A PageBreak puts pageBreakBefore on the next paragraph (and on a table via an empty line)."""
    doc = ReportDocument("标题", [Paragraph("一"), PageBreak(), Paragraph("二"), PageBreak(),
                                 Table("", ["a"], [["1"]])])
    path = write_docx(doc, tmp_path / "b.docx", fonts=NO_WINDOWS_FONTS)
    body = _parts(path)["word/document.xml"]
    second = _paragraph(body, "二")
    assert second.find("w:pPr/w:pageBreakBefore", NS) is not None
    tbl = body.find(".//w:tbl", NS)
    assert tbl.getprevious().find("w:pPr/w:pageBreakBefore", NS) is not None


def test_xml_children_follow_the_schema_order(sample_docx):
    """rPr, pPr, sectPr, tblPr and tcPr children appear in wml.xsd order (Word refuses other orders)."""
    checked = 0
    for name, root in _parts(sample_docx).items():
        for parent_tag, order in SCHEMA_ORDER.items():
            rank = {}
            for i, entry in enumerate(order):
                for tag in entry.split("|"):
                    rank[tag] = i
            for el in root.iter(W + parent_tag):
                tags = [_local(c) for c in el if c.tag.startswith(W)]
                unknown = [t for t in tags if t not in rank]
                assert not unknown, (name, parent_tag, unknown)
                positions = [rank[t] for t in tags]
                assert positions == sorted(positions), (name, parent_tag, tags)
                assert len(set(tags)) == len(tags) or parent_tag == "sectPr", (name, parent_tag, tags)
                checked += 1
    assert checked > 100


def test_installed_fonts_are_named_and_level3_bold_is_a_setting(tmp_path):
    """With the Founder/GB2312 fonts installed their names are written; level-3 bold follows the setting."""
    fonts = report_fonts(families={"方正小标宋简体", "FangSong_GB2312", "KaiTi", "SimHei"})
    assert fonts["title"] == ReportFont("title", "方正小标宋简体", True, True)
    assert fonts["fangsong"].name == "仿宋_GB2312" and fonts["kai"].name == "楷体"
    doc = ReportDocument("标题", [Heading(3, "项目建设"), Paragraph("正文", lead="要点。", lead_level=3)])
    doc.page.level3_bold = True
    path = write_docx(doc, tmp_path / "f.docx", fonts=fonts)
    parts = _parts(path)
    title_run = _paragraph(parts["word/document.xml"], "标题").find("w:r/w:rPr", NS)
    assert _val(title_run.find("w:rFonts", NS), "eastAsia") == "方正小标宋简体"
    assert _val(title_run.find("w:b", NS)) == "0"  # 小标宋 is heavy enough
    heading3 = _style(parts["word/styles.xml"], "Heading3")
    assert _val(heading3.find("w:rPr/w:b", NS)) == "1"
    lead = _paragraph(parts["word/document.xml"], "2.要点。").find("w:r/w:rPr", NS)
    assert _val(lead.find("w:b", NS)) == "1"
    assert _val(lead.find("w:rFonts", NS), "eastAsia") == "仿宋_GB2312"
    assert report_fonts(families={"STZhongsong"})["title"].name == "华文中宋"
    assert report_fonts(families=())["title"].name == "宋体"


def test_write_errors_are_clear(tmp_path, monkeypatch):
    """A missing folder, a folder as target or a file locked by Word: ExportError, old file untouched."""
    doc = ReportDocument("标题", [Paragraph("正文")])
    with pytest.raises(ExportError, match="不存在"):
        write_docx(doc, tmp_path / "nope" / "a.docx", fonts=NO_WINDOWS_FONTS)
    (tmp_path / "dir.docx").mkdir()
    with pytest.raises(ExportError, match="文件夹"):
        write_docx(doc, tmp_path / "dir.docx", fonts=NO_WINDOWS_FONTS)
    target = tmp_path / "locked.docx"
    target.write_bytes(b"old")

    def locked(*_args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("parkdesk.fileio.os.replace", locked)
    with pytest.raises(ExportError, match="其他程序"):
        write_docx(doc, target, fonts=NO_WINDOWS_FONTS)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".locked")] == []


def test_control_characters_and_tabs_are_written_safely(tmp_path):
    """Pasted control characters are dropped; a tab becomes a Word tab, not invalid XML."""
    import docx

    doc = ReportDocument("标\x0b题", [Paragraph("甲\x00乙\t丙"), Table("表", ["列\x07"], [["值\x1f"]])])
    path = write_docx(doc, tmp_path / "c.docx", fonts=NO_WINDOWS_FONTS)
    d = docx.Document(str(path))
    assert d.paragraphs[0].text == "标题"
    assert any(p.text == "甲乙\t丙" for p in d.paragraphs)
    assert d.tables[0].cell(1, 0).text == "值"


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed; the CI test command does not install it")
def test_libreoffice_renders_22_lines_of_28_characters(sample_docx, tmp_path):
    """LibreOffice opens the .docx: A4 pages, 22 lines a page, 28 characters a full line, page numbers."""
    import pypdf

    shutil.copy(sample_docx, tmp_path / "lo.docx")
    result = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                             str(tmp_path / "lo.docx")], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    reader = pypdf.PdfReader(str(tmp_path / "lo.pdf"))
    assert len(reader.pages) >= 5
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.28) < 1 and abs(float(box.height) - 841.89) < 1
    lines = [line for line in reader.pages[1].extract_text().splitlines() if line.strip()]
    assert lines[-1].strip() == "— 2 —"
    body = lines[:-1]
    assert len(body) == 22
    cjk_only = [line for line in body if all(ord(c) > 0x2000 for c in line)]
    assert max(len(line) for line in cjk_only) == 28
    assert sum(len(line) == 28 for line in cjk_only) >= 5
    text = "".join(p.extract_text() for p in reader.pages)
    assert "主要指标完成情况" in text and "— 7 —" in text.replace("\n", "")


def test_installed_families_are_listed():
    """The installed families include the CJK fonts found on this machine (fontconfig or files)."""
    from parkdesk.fonts import find_cjk_fonts, installed_families

    names = {n.casefold() for n in installed_families()}
    found = find_cjk_fonts()
    if shutil.which("fc-list") and found:
        assert found[0].family.casefold() in names
    chosen = report_fonts()
    assert set(chosen) == {"title", "fangsong", "kai", "hei", "song"}
    assert all(f.name for f in chosen.values())


def test_subtitle_and_paragraph_options(tmp_path):
    """A subtitle line in 楷体 under the title; a paragraph can be centred without indent."""
    doc = ReportDocument("标题", [Paragraph("居中一行", align="center", indent=False), Paragraph("正文")],
                         subtitle="——在全区经济工作会议上的汇报")
    parts = _parts(write_docx(doc, tmp_path / "s.docx", fonts=NO_WINDOWS_FONTS))
    body = parts["word/document.xml"]
    sub = _paragraph(body, "——在全区")
    assert _val(sub.find("w:pPr/w:pStyle", NS)) == "Subtitle"
    assert _val(sub.find("w:r/w:rPr/w:rFonts", NS), "eastAsia") == "楷体"
    assert _val(_style(parts["word/styles.xml"], "Subtitle").find("w:pPr/w:jc", NS)) == "center"
    centred = _paragraph(body, "居中一行")
    assert _val(centred.find("w:pPr/w:jc", NS)) == "center"
    assert _val(centred.find("w:pPr/w:ind", NS), "firstLineChars") == "0"


def test_title_lines_chosen_by_a_newline(tmp_path):
    """A newline in the title makes two centred title lines; the file's title property has none."""
    import docx

    doc = ReportDocument("江南示范产业开发区\n2026年1—10月工作情况汇报", [Paragraph("正文")])
    d = docx.Document(str(write_docx(doc, tmp_path / "t.docx", fonts=NO_WINDOWS_FONTS)))
    assert [p.text for p in d.paragraphs[:2]] == ["江南示范产业开发区", "2026年1—10月工作情况汇报"]
    assert all(p.style.name == "Title" for p in d.paragraphs[:2])
    assert d.core_properties.title == "江南示范产业开发区2026年1—10月工作情况汇报"


def test_a_tables_last_row_keeps_with_its_note(tmp_path):
    """A note never starts a page alone: the paragraphs of the last row keep with the next (the
    note, itself kept in one piece); without a note no row keeps with what follows."""
    rows = [[f"指标{i}", f"{i}.0"] for i in range(1, 6)]
    out = tmp_path / "t.docx"
    write_docx(ReportDocument("标题", [Table("表", ["名称", "数值"], rows, note="注：这是表格的注释。"),
                                      Table("表二", ["名称", "数值"], rows)]), out)
    doc = _parts(out)["word/document.xml"]
    with_note, without = doc.findall(".//w:tbl", NS)

    def keeps(row) -> list[bool]:
        return [p.find("w:pPr/w:keepNext", NS) is not None for p in row.findall(".//w:p", NS)]

    rows_ = with_note.findall("w:tr", NS)
    assert all(keeps(rows_[-1])) and not any(any(keeps(r)) for r in rows_[1:-1])
    assert all(keeps(rows_[0]))  # the header keeps with the first row, as before
    note = with_note.getnext()
    assert "".join(note.itertext()) == "注：这是表格的注释。"
    assert not any(any(keeps(r)) for r in without.findall("w:tr", NS)[1:])
