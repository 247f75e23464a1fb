"""A CJK font is found on the system and registered with matplotlib."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from parkdesk import fonts

ROOT = Path(__file__).resolve().parents[2]


def test_a_cjk_font_is_found_and_registered():
    """The test machine has a CJK font (the test command installs one); matplotlib uses it."""
    found = fonts.find_cjk_fonts()
    assert found, fonts.missing_font_message()
    assert all(f.path.exists() for f in found)
    family = fonts.register_matplotlib()
    assert family
    from matplotlib import font_manager
    from matplotlib.figure import Figure

    prop = font_manager.FontProperties(family=["sans-serif"])
    path = font_manager.findfont(prop, fallback_to_default=False)
    assert Path(path).name.lower() in {f.path.name.lower() for f in found}
    import warnings

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = Figure(figsize=(2, 1))
    fig.text(0.1, 0.5, "技工贸总收入同比增长")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font" would fail here
        FigureCanvasAgg(fig).draw()


def test_no_font_is_reported_not_drawn_as_boxes():
    """Without any CJK font the core says so (and registers nothing)."""
    code = ("import os; os.environ['PARKDESK_NO_CJK_FONT']='1'\n"
            "from parkdesk import fonts\n"
            "assert fonts.find_cjk_fonts() == ()\n"
            "assert fonts.register_matplotlib() is None\n"
            "print(fonts.missing_font_message())\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "未找到中文字体" in result.stdout
