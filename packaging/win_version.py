"""The Windows version resource of parkdesk.exe, built from ``parkdesk.__version__``.

PyInstaller reads a version file as the Python expression ``VSVersionInfo(...)``
(the format ``pyi-grab_version`` prints); it is written as text here because
PyInstaller's version-info classes import only on Windows.
"""

from __future__ import annotations

import re
from pathlib import Path

import parkdesk


def version_tuple(version: str = parkdesk.__version__) -> tuple[int, int, int, int]:
    """'1.2.3' -> (1, 2, 3, 0): the four numbers Windows version resources hold."""
    numbers = []
    for part in version.split(".")[:4]:
        match = re.match(r"\d+", part)  # "3rc1" -> 3
        numbers.append(int(match.group()) if match else 0)
    return tuple((numbers + [0, 0, 0, 0])[:4])  # type: ignore[return-value]


def version_info_text() -> str:
    """The version file's text (Simplified Chinese, Unicode string table)."""
    nums = version_tuple()
    strings = {
        "CompanyName": "ParkDesk",
        "FileDescription": parkdesk.APP_NAME,
        "FileVersion": parkdesk.__version__,
        "InternalName": "parkdesk",
        "OriginalFilename": "parkdesk.exe",
        "ProductName": parkdesk.APP_NAME,
        "ProductVersion": parkdesk.__version__,
    }
    table = ",\n".join(f"          StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return f"""# UTF-8
VSVersionInfo(
  ffi=FixedFileInfo(filevers={nums}, prodvers={nums}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([
      StringTable('080404b0', [
{table}
      ])
    ]),
    VarFileInfo([VarStruct('Translation', [2052, 1200])])
  ]
)
"""


def write_version_file(path: Path) -> str:
    """Write the version file for parkdesk.exe; returns its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(version_info_text(), encoding="utf-8")
    return str(path)
