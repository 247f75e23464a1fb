"""The application icon: committed sizes, the multi-size .ico, regeneration, and the window icon."""

from __future__ import annotations

import io
import struct
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def _ico_sizes(data: bytes) -> list[int]:
    count = struct.unpack_from("<HHH", data)[2]
    return sorted((struct.unpack_from("<B", data, 6 + 16 * i)[0] or 256) for i in range(count))


def test_committed_icons_have_every_size():
    """parkdesk-<size>.png exist at their size and the .ico holds each size exactly."""
    from PIL import Image

    for size in SIZES:
        assert Image.open(ICONS / f"parkdesk-{size}.png").size == (size, size)
    ico = (ICONS / "parkdesk.ico").read_bytes()
    assert _ico_sizes(ico) == list(SIZES)
    image = Image.open(io.BytesIO(ico))
    image.size = (16, 16)
    image.load()
    assert image.convert("RGBA").tobytes() == Image.open(ICONS / "parkdesk-16.png").convert("RGBA").tobytes()


def test_make_icons_regenerates_from_the_svg(tmp_path, monkeypatch, qapp):
    """packaging/make_icons.py draws every PNG size and the .ico from the SVG, with visible content."""
    sys.path.insert(0, str(ROOT / "packaging"))
    import make_icons

    monkeypatch.setattr(make_icons, "ICONS", tmp_path)
    monkeypatch.setattr(make_icons, "SVG", ICONS / "parkdesk.svg")
    assert make_icons.main() == 0
    from PIL import Image

    for size in SIZES:
        image = Image.open(tmp_path / f"parkdesk-{size}.png").convert("RGBA")
        assert image.size == (size, size)
        alpha = image.getchannel("A")
        assert alpha.getpixel((size // 2, size // 2)) == 255 and alpha.getpixel((0, 0)) < 64  # rounded corner
    assert _ico_sizes((tmp_path / "parkdesk.ico").read_bytes()) == list(SIZES)


def test_window_icon_comes_from_the_resources(qapp):
    """ui.resources.app_icon offers the small and the large sizes to the window system."""
    from ui.resources import app_icon

    icon = app_icon()
    assert icon is not None
    sizes = {s.width() for s in icon.availableSizes()}
    assert {16, 32, 48, 256} <= sizes


@pytest.mark.parametrize("name", ["parkdesk.svg"])
def test_svg_is_valid(name, qapp):
    """The SVG source renders in Qt (what the scalable icon and make_icons use)."""
    from PySide6.QtSvg import QSvgRenderer

    assert QSvgRenderer(str(ICONS / name)).isValid()
