"""Files of the ``resources`` folder: the application's icons."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_dir() -> Path:
    """``resources/`` beside the sources, or inside a PyInstaller bundle."""
    base = getattr(sys, "_MEIPASS", None)
    if base:
        return Path(base) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def app_icon():
    from PySide6.QtGui import QIcon

    folder = resource_dir() / "icons"
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        png = folder / f"parkdesk-{size}.png"
        if png.exists():
            icon.addFile(str(png))
    svg = folder / "parkdesk.svg"
    if icon.isNull() and svg.exists():
        icon.addFile(str(svg))
    return None if icon.isNull() else icon
