"""`--screenshot` renders the real main window to a PNG and exits 0."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage

from tests.conftest import run_main


def _distinct_colours(image: QImage) -> int:
    colours = set()
    for x in range(0, image.width(), max(1, image.width() // 60)):
        for y in range(0, image.height(), max(1, image.height() // 40)):
            colours.add(image.pixel(x, y))
    return len(colours)


@pytest.mark.parametrize("tab", ["indicators", "projects", "plans", "report"])
def test_screenshot_of_each_tab(demo_path, tmp_path, tab):
    """A picture of the window is saved for each tab; it is not blank."""
    out = tmp_path / f"{tab}.png"
    result = run_main("--db", demo_path, "--screenshot", out, "--tab", tab)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    image = QImage(str(out))
    assert not image.isNull()
    assert image.width() >= 900 and image.height() >= 600
    assert _distinct_colours(image) > 5


def test_screenshot_of_a_missing_database_and_bad_target(demo_path, tmp_path):
    """A missing --db is refused with a message (no empty park is left behind, as a mistyped
    name would); an impossible target path fails cleanly."""
    out = tmp_path / "empty.png"
    result = run_main("--db", tmp_path / "fresh.db", "--screenshot", out)
    assert result.returncode == 1
    assert "不存在" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists() and not list(tmp_path.glob("fresh.db*"))
    empty = tmp_path / "zero.db"
    empty.write_bytes(b"")
    result = run_main("--db", empty, "--screenshot", out)
    assert result.returncode == 1 and "Traceback" not in result.stderr and result.stderr.strip()
    assert empty.stat().st_size == 0 and not out.exists()  # not made into a park
    result = run_main("--db", demo_path, "--screenshot", tmp_path / "no" / "dir" / "x.png")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr


def test_screenshot_of_foreign_file_fails_cleanly(tmp_path):
    """A file that is not a ParkDesk database gives a message and exit code 1."""
    bad = tmp_path / "bad.db"
    bad.write_text("nope")
    result = run_main("--db", bad, "--screenshot", tmp_path / "x.png")
    assert result.returncode == 1
    assert "不是" in result.stderr and "Traceback" not in result.stderr


def test_a_screenshot_leaves_the_remembered_database_alone(demo_path, tmp_path):
    """Taking a picture of a park is not opening it: the next start still opens what it opened before."""
    config = tmp_path / "config"
    env = {"XDG_CONFIG_HOME": str(config), "PARKDESK_HOME": str(tmp_path / "home")}
    result = run_main("--db", demo_path, "--screenshot", tmp_path / "shot.png", env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "shot.png").exists()
    remembered = [p for p in config.rglob("*") if p.is_file() and demo_path.name in p.read_text(errors="replace")]
    assert remembered == []
