#!/usr/bin/env python3
"""Render the application icon from ``resources/icons/parkdesk.svg``.

Writes ``resources/icons/parkdesk-<size>.png`` for every size in ``SIZES`` and a
multi-size Windows icon ``parkdesk.ico`` (32-bit BMP entries below 256 px, PNG at
256 px: the layout Windows, NSIS and PyInstaller all read). The outputs
are committed, so a build never needs this script; run it after editing the SVG:

    QT_QPA_PLATFORM=offscreen python packaging/make_icons.py

Qt's QSvgRenderer draws the SVG (PySide6 is already a dependency); Pillow, which
matplotlib depends on, converts pixels for the ICO's BMP entries.
"""

from __future__ import annotations

import io
import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SVG = ICONS / "parkdesk.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def render_png(svg: Path, size: int) -> bytes:
    """The SVG drawn on a transparent ``size``×``size`` canvas, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)


def _bmp_entry(png: bytes) -> bytes:
    """One icon image as a 32-bit BMP (BITMAPINFOHEADER, bottom-up BGRA, empty AND mask)."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGBA")
    width, height = image.size
    header = struct.pack("<IiiHHIIiiII", 40, width, height * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    pixels = image.transpose(Image.Transpose.FLIP_TOP_BOTTOM).tobytes("raw", "BGRA")
    mask_row = ((width + 31) // 32) * 4  # 1 bit per pixel, rows padded to 4 bytes
    return header + pixels + bytes(mask_row * height)


def write_ico(pngs: dict[int, bytes], target: Path) -> None:
    """A multi-size .ico holding each rendered size exactly (no resampling).

    Sizes below 256 px are BMP entries (read by every consumer, NSIS included);
    256 px is stored as PNG, as Windows expects, to keep the file small.
    """
    sizes = sorted(pngs)
    blobs = [pngs[size] if size >= 256 else _bmp_entry(pngs[size]) for size in sizes]
    out = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    for size, blob in zip(sizes, blobs):
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        out += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
    target.write_bytes(out + b"".join(blobs))


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - QImage needs it
    pngs = {}
    for size in SIZES:
        pngs[size] = render_png(SVG, size)
        (ICONS / f"parkdesk-{size}.png").write_bytes(pngs[size])
    write_ico(pngs, ICONS / "parkdesk.ico")
    print(f"wrote {len(SIZES)} PNG sizes and parkdesk.ico to {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
