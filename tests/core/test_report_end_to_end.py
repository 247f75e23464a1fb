"""`report` on the demo park with the clerk's stored edits: the Word document and the PDF read back."""

from __future__ import annotations

import re
import unicodedata
import zipfile

from lxml import etree

from parkdesk.desk import Desk
from parkdesk.report import editing
from parkdesk.report.draft import build_state
from parkdesk.summary import build_summary
from tests.conftest import run_main

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MINE = "1—10月，园区主要经济指标保持较快增长，技工贸总收入完成141.23亿元，同比增长13.8%。"
NARRATIVE = "坚持以商招商，围绕食品加工、电子信息产业链开展精准招商。"


def _edit_demo(path) -> None:
    with Desk.open(path) as desk:
        s = build_state(desk, 2026, 10)
        editing.save_texts(desk, s, "indicators.overview", {"text": MINE})
        editing.save_texts(desk, s, "work.investment.narrative", {"text": NARRATIVE})
        editing.set_removed(desk, s, "problems.suggest.issues", True)
        editing.add_block(desk, s, "problems.clerk", text="高新技术产业项目较少，要素保障压力较大。")


def test_report_command_prints_the_drafted_report_with_edits(demo_path, tmp_path):
    """The .docx: title, the four headings, the edits, two tables, four charts, footers with PAGE fields."""
    import docx

    _edit_demo(demo_path)
    out = tmp_path / "汇报.docx"
    result = run_main("report", "--db", demo_path, "--year", "2026", "--through", "10", "--out", out)
    assert result.returncode == 0, result.stderr
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs]
    assert texts[:2] == ["江南示范产业开发区", "2026年1—10月工作情况汇报"]
    for heading in ("一、主要指标完成情况", "二、主要工作及成效", "三、存在的问题", "四、下步工作打算"):
        assert heading in texts
    assert MINE in texts and NARRATIVE in texts
    assert "高新技术产业项目较少，要素保障压力较大。" in texts
    assert not any("项目建设中的困难和问题" in t for t in texts)  # removed by the clerk
    assert not any(t.startswith("（请在此") for t in texts)  # placeholders never print
    with Desk.open(demo_path, readonly=True) as desk:
        stats = build_summary(desk, 2026, 10)
    signed = stats["projects"]["signed_count"]
    assert any(t.startswith(f"（一）坚持招大引强，全力抓好招商引资。1—10月，园区引进招商项目{signed}个") for t in texts)
    assert "江南示范产业开发区管理委员会" in texts
    assert len(document.tables) == 2
    assert document.tables[0].rows[0].cells[0].text == "指标名称"
    assert document.tables[1].rows[1].cells[1].text == stats["key_projects"]["projects"][0]["name"]
    assert len(document.inline_shapes) == 4
    with zipfile.ZipFile(out) as z:
        footers = [etree.fromstring(z.read(n)) for n in z.namelist() if n.startswith("word/footer")]
    instructions = ["".join(t.text for t in f.iter(W + "instrText")).strip() for f in footers]
    assert instructions.count("PAGE") == 2


def test_report_command_pdf_of_the_demo(demo_path, tmp_path):
    """The PDF: several pages, the text extractable (NFKC folds Kangxi radicals), the edits in it."""
    import pypdf

    _edit_demo(demo_path)
    pdf = tmp_path / "汇报.pdf"
    result = run_main("report", "--db", demo_path, "--year", "2026", "--through", "10", "--pdf", pdf)
    assert result.returncode == 0, result.stderr
    reader = pypdf.PdfReader(str(pdf))
    assert len(reader.pages) > 5
    text = unicodedata.normalize("NFKC", "".join(page.extract_text() for page in reader.pages))
    compact = re.sub(r"\s+", "", text)
    with Desk.open(demo_path, readonly=True) as desk:
        first_key_project = build_summary(desk, 2026, 10)["key_projects"]["projects"][0]["name"]
    for expected in ("江南示范产业开发区", "一、主要指标完成情况", "三、存在的问题", "四、下步工作打算",
                     "附件1", "重点项目推进情况表", first_key_project):
        assert expected in compact
    assert unicodedata.normalize("NFKC", NARRATIVE) in compact
    assert "同比增长13.8%" in compact


def test_annual_report_of_the_demo(demo_path, tmp_path):
    """--through 12 drafts 年度工作总结 with next year's plan in 下步工作打算."""
    import docx

    out = tmp_path / "总结.docx"
    result = run_main("report", "--db", demo_path, "--year", "2026", "--through", "12", "--out", out)
    assert result.returncode == 0, result.stderr
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert texts[0] == "江南示范产业开发区2026年工作总结"
    assert any(t.startswith("2026年，在区委、区政府的坚强领导下") and t.endswith("现将2026年工作总结如下：")
               for t in texts)
    plan = texts[texts.index("四、下步工作打算") + 1]
    assert plan.startswith("（一）坚持锻长处、补短板，大力开展“六大行动”。一是加快项目建设")


def test_report_command_warns_about_edits_in_conflict(demo_path, tmp_path):
    """An edit whose draft changed since is still printed, with a stderr warning naming the block."""
    _edit_demo(demo_path)
    out = tmp_path / "汇报.docx"
    result = run_main("report", "--db", demo_path, "--year", "2026", "--through", "10", "--out", out)
    assert result.returncode == 0 and "不一致" not in result.stderr
    with Desk.open(demo_path) as desk:
        desk.indicators.set_month(desk.indicators.by_name("技工贸总收入").id, 2026, 10, value=150.0)
    result = run_main("report", "--db", demo_path, "--year", "2026", "--through", "10", "--out", out)
    assert result.returncode == 0, result.stderr
    assert "有 1 处您修改过的段落与按最新数据起草的文字不一致" in result.stderr
    assert MINE[:20] in result.stderr and "数据变化后草稿已更新" in result.stderr
    import docx

    assert MINE in [p.text for p in docx.Document(str(out)).paragraphs]
