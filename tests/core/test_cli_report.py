"""`report --year Y --through N --out F.docx [--pdf F.pdf]`: files, exit codes, messages."""

from __future__ import annotations

import datetime as _dt
import re

import pytest

from parkdesk.report.draft import OUTLINE, draft_report, report_title
from parkdesk.report.model import Heading
from tests.conftest import run_main


def test_report_title_follows_the_period():
    """N = 12 is the annual summary; N < 12 a 1—N月 situation report."""
    assert report_title("示范产业开发区", 2026, 12) == "示范产业开发区2026年工作总结"
    assert report_title("示范产业开发区", 2026, 8) == "示范产业开发区2026年1—8月工作情况汇报"
    assert report_title("示范产业开发区", 2026, 1) == "示范产业开发区2026年1月工作情况汇报"


def test_draft_has_the_outline_and_signature(demo_desk):
    """The draft: title, the four level-1 headings of DESIGN 3 in order, the signature with its date."""
    doc = draft_report(demo_desk, 2026, 10, today=_dt.date(2026, 11, 20), figures=False)
    assert doc.title == "江南示范产业开发区\n2026年1—10月工作情况汇报"
    headings = [(b.key, b.text) for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
    assert headings == list(OUTLINE)
    numbers = dict(zip((b.key for b in doc.blocks), doc.numbers()))
    assert [numbers[key] for key, _h in OUTLINE] == ["一、", "二、", "三、", "四、"]
    assert doc.signature.organization == "江南示范产业开发区管理委员会"
    assert doc.signature.date_text == "2026年11月20日"
    assert not doc.duplicate_keys()


def test_report_command_writes_docx_and_pdf(demo_path, tmp_path):
    """The command writes the Word document and, with --pdf, the PDF drawn by Qt."""
    import docx
    import pypdf

    out, pdf = tmp_path / "报告.docx", tmp_path / "报告.pdf"
    result = run_main("report", "--db", demo_path, "--year", "2026", "--through", "10",
                      "--out", out, "--pdf", pdf)
    assert result.returncode == 0, result.stderr
    assert "已生成 Word 文档" in result.stdout and "已生成 PDF" in result.stdout
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert texts[:2] == ["江南示范产业开发区", "2026年1—10月工作情况汇报"]  # a long title breaks after the name
    assert "一、主要指标完成情况" in texts and "四、下步工作打算" in texts
    reader = pypdf.PdfReader(str(pdf))
    raw = "".join(page.extract_text() for page in reader.pages)
    compact = re.sub(r"\s+", "", raw)
    assert "江南示范产业开发区2026年1—10月工作情况汇报" in compact and "一、主要指标完成情况" in compact
    assert "— 1 —" in re.sub(r"\s+", " ", raw)


def test_annual_summary_without_pdf(demo_path, tmp_path):
    """--through 12 drafts the annual summary; without --pdf no Qt is needed."""
    import docx

    out = tmp_path / "总结.docx"
    result = run_main("report", "--db", demo_path, "--year", "2026", "--through", "12", "--out", out)
    assert result.returncode == 0, result.stderr
    assert docx.Document(str(out)).paragraphs[0].text == "江南示范产业开发区2026年工作总结"
    assert not (tmp_path / "总结.pdf").exists()


@pytest.mark.parametrize("args, code, message", [
    (["--year", "abc", "--through", "10"], 2, "年份"),
    (["--year", "2026", "--through", "13"], 2, "月份"),
    (["--year", "2026", "--through", "0"], 2, "月份"),
    (["--year", "2026", "--through", "10", "--out", "{tmp}/nope/a.docx"], 1, "不存在"),
    (["--year", "2026", "--through", "10", "--out", "{tmp}/a.txt"], 1, ".docx"),
    (["--year", "2026", "--through", "10", "--pdf", "{tmp}/nope/a.pdf"], 1, "不存在"),
    (["--year", "2026", "--through", "10", "--pdf", "{tmp}/a.docx"], 1, ".pdf"),
    (["--year", "2026", "--through", "10", "--out", "{tmp}"], 1, ".docx"),
    (["--year", "2026", "--through", "10", "--out", "{tmp}/dir.docx"], 1, "文件夹"),
    (["--year", "2026", "--through", "10"], 1, "--out"),
])
def test_bad_input_exits_non_zero_without_traceback(demo_path, tmp_path, args, code, message):
    """Bad years, months and output paths: a message and a non-zero exit, nothing written."""
    (tmp_path / "dir.docx").mkdir()
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = run_main("report", "--db", demo_path, *args)
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.glob("*.pdf")) and not (tmp_path / "a.txt").exists()


def test_locked_target_is_reported(demo_path, tmp_path, monkeypatch, capsys):
    """A .docx held open by Word (rename refused) exits 1 with a clear message; the old file stays."""
    from parkdesk.cli import build_parser, run_command

    target = tmp_path / "open.docx"
    target.write_bytes(b"old")

    def locked(*_args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("parkdesk.fileio.os.replace", locked)
    args = build_parser().parse_args(["report", "--db", str(demo_path), "--year", "2026", "--through", "10",
                                      "--out", str(target)])
    assert run_command(args) == 1
    err = capsys.readouterr().err
    assert "其他程序" in err and "Traceback" not in err
    assert target.read_bytes() == b"old"


def test_pdf_without_a_renderer_is_refused(demo_path, tmp_path, capsys):
    """In-process without the Qt renderer installed, --pdf is refused with a message."""
    from parkdesk import report
    from parkdesk.cli import build_parser, run_command

    saved = report.get_pdf_renderer()
    report.set_pdf_renderer(None)
    try:
        args = build_parser().parse_args(["report", "--db", str(demo_path), "--year", "2026", "--through", "10",
                                          "--pdf", str(tmp_path / "a.pdf")])
        assert run_command(args) == 1
    finally:
        report.set_pdf_renderer(saved)
    assert "PDF" in capsys.readouterr().err
