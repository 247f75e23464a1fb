"""The report model: blocks, numbering from position, validation, the sample document."""

from __future__ import annotations

import datetime as _dt

import pytest

from parkdesk.report.model import (
    Attachment,
    Figure,
    Heading,
    PageBreak,
    PageSettings,
    Paragraph,
    ReportDocument,
    Signature,
    Table,
    clean_text,
    number_blocks,
    png_size,
    sample_document,
    split_paragraphs,
    strip_heading_number,
)


def _outline_doc() -> ReportDocument:
    return ReportDocument("标题", [
        Paragraph("开篇。", key="opening"),
        Heading(1, "主要指标完成情况", key="h1"),
        Paragraph("正文。", key="p1"),
        Heading(1, "主要工作及成效", key="h2"),
        Paragraph("按照……", key="lead1", lead="坚持产业定力，科学构建发展格局。", lead_level=2),
        Paragraph("坚持……", key="lead2", lead="坚持招大引强，突出产业链招商。", lead_level=2),
        Heading(3, "项目建设", key="h3"),
        Heading(4, "要素保障", key="h4"),
        Heading(4, "人才服务", key="h4b"),
        Heading(2, "坚持深化改革", key="h2b"),
        Heading(3, "体制机制", key="h3b"),
        Heading(1, "下步工作打算", key="h5"),
    ])


def _numbers(doc: ReportDocument) -> dict[str, str]:
    return {block.key: number for block, number in doc.numbered() if number}


def test_numbering_follows_the_four_levels():
    """Headings and run-in leads share counters: 一、 / （一） / 1. / （1）, deeper levels restart."""
    assert _numbers(_outline_doc()) == {
        "h1": "一、", "h2": "二、", "lead1": "（一）", "lead2": "（二）", "h3": "1.", "h4": "（1）",
        "h4b": "（2）", "h2b": "（三）", "h3b": "1.", "h5": "三、",
    }


def test_numbering_follows_insertion_and_removal():
    """Adding or removing a section renumbers everything after it; nothing is stored."""
    doc = _outline_doc()
    doc.insert_after("p1", Heading(1, "新增部分", key="new"), Paragraph("新段落。", key="new.p",
                                                                     lead="新要点。", lead_level=2))
    numbers = _numbers(doc)
    assert numbers["new"] == "二、" and numbers["new.p"] == "（一）"
    assert numbers["h2"] == "三、" and numbers["h5"] == "四、"
    doc.remove("lead1")
    numbers = _numbers(doc)
    assert numbers["lead2"] == "（一）" and numbers["h2b"] == "（二）"
    doc.remove("h1")
    doc.remove("new")
    assert _numbers(doc)["h2"] == "一、"
    assert doc.outline()[0] == ("new.p", 2, "（一）新要点。")


def test_unnumbered_headings_and_attachments():
    """An unnumbered heading gets no number but restarts deeper levels; attachments restart all."""
    blocks = [Heading(1, "一"), Heading(2, "甲"), Heading(2, "乙"), Heading(1, "说明", numbered=False),
              Heading(2, "丙"), Attachment("附件1", "表"), Heading(1, "附件内"), Heading(2, "丁")]
    assert number_blocks(blocks) == ["一、", "（一）", "（二）", "", "（一）", "", "一、", "（一）"]
    assert number_blocks([Paragraph("x", lead="不编号。", lead_level=2, numbered=False),
                          Paragraph("y", lead="编号。", lead_level=2)]) == ["", "（一）"]


def test_plain_text_reads_like_the_seeds():
    """plain_text() writes the numbered lead and its text on one line, as the seed reports do."""
    text = _outline_doc().plain_text().splitlines()
    assert text[0] == "标题"
    assert "（一）坚持产业定力，科学构建发展格局。按照……" in text
    assert "一、主要指标完成情况" in text and "（2）人才服务" in text


def test_block_validation():
    """Bad levels, ragged tables and non-PNG or too-wide figures are refused."""
    with pytest.raises(ValueError):
        Heading(5, "x")
    with pytest.raises(ValueError):
        Paragraph("x", lead="y", lead_level=0)
    with pytest.raises(ValueError):
        Paragraph("x", align="middle")
    with pytest.raises(ValueError):
        Table("t", ["a", "b"], [["1", "2", "3"]])
    with pytest.raises(ValueError):
        Table("t", ["a", "b"], [], widths=[1])
    with pytest.raises(ValueError):
        Table("t", [], [])
    png = sample_document().find("work.chart").image
    with pytest.raises(ValueError):
        Figure("图", b"GIF89a....", 100)
    with pytest.raises(ValueError):
        Figure("图", png, 157)
    assert Paragraph("x", lead="要点。").lead_level == 2  # a lead defaults to level 2
    assert Table("t", ["a", "b"], [["1"]]).rows == [["1", ""]]  # short rows are padded


def test_text_is_cleaned_of_control_characters():
    """Control characters pasted from other programs never reach a renderer."""
    assert clean_text("a\x0bb\x00c\r\nd") == "abc\nd"
    assert split_paragraphs(" 第一段 \n\n 第二段\r\n") == ["第一段", "第二段"]
    assert Heading(1, "标\x07题").text == "标题"
    assert strip_heading_number("（二）坚持招大引强") == "坚持招大引强"
    assert strip_heading_number("一、主要指标") == "主要指标"
    assert strip_heading_number("3.项目建设") == "项目建设"
    assert strip_heading_number("1.5亿元项目") == "1.5亿元项目"  # a number, not a heading number


def test_signature_and_keys():
    """set_signature places the signature before the attachments; dates print in Arabic numerals."""
    doc = ReportDocument("t", [Paragraph("正文", key="a"), Attachment("附件1", "表", key="att")])
    sig = doc.set_signature("示范产业开发区管委会", "2026-12-20")
    assert doc.blocks[1] is sig and doc.signature is sig
    assert sig.date_text == "2026年12月20日"
    doc.set_signature("另一机关", _dt.date(2027, 1, 5))
    assert len([b for b in doc.blocks if isinstance(b, Signature)]) == 1
    assert doc.signature.date_text == "2027年1月5日"
    assert Signature("机关", "二〇二六年").date_text == "二〇二六年"
    doc.blocks.append(Paragraph("x", key="a"))
    assert doc.duplicate_keys() == ["a"]
    with pytest.raises(KeyError):
        doc.index_of("missing")
    with pytest.raises(TypeError):
        ReportDocument("t", ["not a block"])


def test_page_settings_are_gbt9704():
    """Defaults: A4, text area 156 × 225 mm, 22 lines of 28.95 pt, 28 characters a line."""
    page = PageSettings()
    assert (page.page_width_mm, page.page_height_mm) == (210, 297)
    assert page.text_width_mm == 156 and page.text_height_mm == 225
    assert page.lines_per_page == 22
    assert page.chars_per_line == 28


def test_sample_document_uses_every_block_type():
    """The sample has every block type, a table spanning pages and a sharp figure."""
    doc = sample_document()
    kinds = {type(b) for b in doc.blocks}
    assert kinds == {Heading, Paragraph, Table, Figure, PageBreak, Attachment, Signature}
    assert {b.level for b in doc.blocks if isinstance(b, Heading)} == {1, 3, 4, 2}
    assert any(isinstance(b, Paragraph) and b.lead for b in doc.blocks)
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert len(table.rows) >= 20
    figure = next(b for b in doc.blocks if isinstance(b, Figure))
    assert figure.width_mm <= 156 and figure.dpi >= 200
    assert png_size(figure.image) == figure.pixel_size
    assert not doc.duplicate_keys()
    assert all(b.key for b in doc.blocks if not isinstance(b, PageBreak))


def test_png_from_figure_prints_at_size_and_resolution():
    """png_from_figure sizes the chart to its printed width at ≥ 200 dpi, and refuses less."""
    from parkdesk.report.figures import new_figure, png_from_figure

    fig = new_figure(120, 60)
    fig.add_subplot().plot([1, 2, 3], [2, 1, 3])
    png = png_from_figure(fig, 120, dpi=220)
    width, height = png_size(png)
    assert abs(width - 120 / 25.4 * 220) <= 2 and abs(height - 60 / 25.4 * 220) <= 2
    assert Figure("图", png, 120).dpi >= 200
    with pytest.raises(ValueError):
        png_from_figure(fig, 120, dpi=150)
    with pytest.raises(ValueError):
        png_from_figure(fig, 200)


def test_table_column_alignment_is_guessed_from_the_cells():
    """Counters centred, figures right, wrapping text left, short text centred; given aligns win."""
    table = Table("表", ["序号", "项目名称", "总投资（万元）", "形象进度"],
                  [[str(i), f"项目{i}", f"{i * 1234.5:.1f}", "主体工程已完工，正在安装生产设备，预计年底试生产"]
                   for i in range(1, 30)], widths=[1, 3, 2, 4])
    assert table.column_aligns() == ["center", "center", "right", "left"]
    assert Table("t", ["a"], [["1"]], aligns=["left"]).column_aligns() == ["left"]
    assert Table("t", ["a", "b"], [["—", "x"], ["+8.6%", "y"]]).column_aligns()[0] == "right"


def test_figures_and_header_lines_never_break_their_columns():
    """With a flexible (name) column, the other columns fit their figures and header lines
    (a large park's 182757.60 in a column weighed for 5 characters), shrink to short contents
    (单位), keep their weight for long text (it wraps), and the table keeps its total width."""
    from parkdesk.report.model import CELL_PADDING_EM, _print_width

    rows = [["一般公共预算收入", "万元", "182757.60", "+7.0", "形象进度：主体封顶，正在进行设备安装调试"],
            ["税收收入", "亿元", "18.28", "-12.5", "在建"]]
    weights = [9.6, 4.6, 5.0, 3.6, 6.0]
    table = Table("", ["指标名称", "单位", "1—10月", "同比\n（%）", "说明"], rows, widths=weights, flexible=0)
    w = table.widths
    assert sum(w) == pytest.approx(sum(weights))
    assert w[2] >= _print_width("182757.60") + CELL_PADDING_EM > weights[2]  # widened for the figure
    assert w[3] >= _print_width("（%）") + CELL_PADDING_EM  # a header line fits
    assert w[1] < weights[1]  # 单位 needs less than it was given
    assert w[4] == weights[4]  # long text keeps its weight and wraps
    assert w[0] >= weights[0] / 2
    again = Table("", table.headers, table.rows, widths=w, flexible=0)  # a stored draft read back
    assert again.widths == pytest.approx(w)
    assert Table("", table.headers, rows, widths=weights).widths == weights  # without flexible: as given


@pytest.mark.parametrize("flexible, widths", [(5, [3.0, 2.0]), (-1, [3.0, 2.0]), (0, None)])
def test_a_flexible_column_must_be_one_of_the_table_with_widths(flexible, widths):
    with pytest.raises(ValueError, match="flexible"):
        Table("", ["名称", "数值"], [["产值", "1"]], widths=widths, flexible=flexible)


def test_key_projects_table_keeps_room_for_the_project_names(demo_desk):
    """附件2's header "累计完成投资" is set on two lines, so its column of short figures no
    longer takes the room of the project names."""
    from parkdesk.report.draft import draft_report

    report = draft_report(demo_desk, 2026, 10, today=_dt.date(2026, 11, 22))
    table = next(b for b in report.blocks if isinstance(b, Table) and b.key == "attachments.projects.table")
    assert table.headers[4] == "累计完成\n投资"
    names, invested = table.column_fractions()[1], table.column_fractions()[4]
    assert names > 2 * invested  # on one line the header made it 8.5 : 6.7


def test_a_name_never_wraps_with_one_character_alone_on_its_last_line():
    """A cell of Chinese characters that would wrap leaving one character alone ("一般公共预算收" /
    "入") is broken a character earlier; other cells — shorter, wrapping well, or with digits,
    Latin letters or punctuation (wrapped by the renderer's own rules) — are left as they are."""
    headers = ["指标名称", "单位", "1—10月", "同比\n（%）", "年度目标", "完成目标\n（%）", "较时序\n进度"]
    widths = [9.6, 4.6, 5.0, 3.8, 4.8, 4.6, 3.6]
    figures = ["吨标准煤/万元", "41610.56", "+8.5", "52708.00", "76.4", "-7.0"]
    probe = Table("", headers, [["名称", *figures]], widths=widths, font_pt=12.0, flexible=0)
    c = probe.line_chars(0)
    assert 5 <= c <= 9  # the 12 pt table of 附件1 with a large park's figures: a name column of 7—8 characters
    han = "一般公共预算收入规上工业营业战略性新兴产业产值引进亿元以上项目数"
    names = [han[:c + 1], han[:c], han[:c + 2], han[:2 * c + 1], "PM2.5年均浓度达", "规上工业（企业数",
             han[:c - 1] + "A"]
    table = Table("", headers, [[n, *figures] for n in names], widths=widths, font_pt=12.0, flexible=0)
    got = [r[0] for r in table.rows]
    assert got == [han[:c - 1] + "\n" + han[c - 1:c + 1], han[:c], han[:c + 2],
                   han[:c] + "\n" + han[c:2 * c - 1] + "\n" + han[2 * c - 1:2 * c + 1], *names[4:]]
    assert all(r[1:] == figures for r in table.rows)  # no other column touched
    again = Table("", table.headers, table.rows, widths=table.widths, font_pt=12.0, flexible=0)
    assert [r[0] for r in again.rows] == got  # a stored draft read back is not broken again


def test_plain_text_reads_a_table_cell_without_its_line_breaks():
    """A table row in the plain text is one line of tab-separated cells: "一般公共预算收入", not
    "一般公共预算" and "收入" on two lines; headers set on two lines likewise."""
    table = Table("", ["指标名称", "同比\n（%）"], [["一般公共预算\n收入", "+7.0"]])
    text = ReportDocument("标题", [table]).plain_text()
    assert "指标名称\t同比（%）" in text.splitlines()
    assert "一般公共预算收入\t+7.0" in text.splitlines()


def test_line_capacity_is_the_columns_width_less_its_margins_and_border():
    """156 mm at 12 pt is 36.85 characters; a column's share, less 2 × 2.85 pt margins and the 0.5 pt border."""
    table = Table("", ["名称", "说明"], [["甲", "乙"]], widths=[1.0, 3.0], font_pt=12.0)
    assert table.line_capacity(0) == pytest.approx(((156 * 72 / 25.4 - 1) / 4 - 6.2) / 12)
    assert int(table.line_capacity(0)) == 8 and int(table.line_capacity(1)) == 27
