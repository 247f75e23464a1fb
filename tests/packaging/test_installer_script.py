"""The Windows installer script compiles with Debian's makensis (fast; runs in the default suite)."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

import parkdesk

ROOT = Path(__file__).resolve().parents[2]
NSI = ROOT / "packaging" / "windows" / "parkdesk.nsi"


def _makensis() -> str:
    """makensis, or a skip off Debian-like Linux / a clear failure where it should be."""
    if not sys.platform.startswith("linux") or not shutil.which("dpkg"):
        pytest.skip("the installer script is checked with Debian's makensis (Debian/UOS/Kylin hosts)")
    path = shutil.which("makensis")
    if path is None:
        pytest.fail("makensis not found: apt-get install nsis "
                    "(python3 scripts/dev.py test installs it when run as root)")
    return path


def _stand_in_bundle(folder: Path) -> Path:
    """A few files laid out like the PyInstaller onedir build (parkdesk.exe + _internal)."""
    src = folder / "parkdesk"
    (src / "_internal" / "resources" / "icons").mkdir(parents=True)
    (src / "parkdesk.exe").write_bytes(b"MZ stand-in")
    (src / "_internal" / "base_library.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    shutil.copy(ROOT / "resources" / "icons" / "parkdesk.ico", src / "_internal" / "resources" / "icons")
    return src


def compile_installer(src: Path, out: Path, version: str, *extra: str) -> subprocess.CompletedProcess:
    """Run makensis on the real script with the build's -D defines (warnings are errors)."""
    return subprocess.run(
        [_makensis(), "-WX", "-V2", f"-DVERSION={version}", f"-DSRCDIR={src}", f"-DOUTFILE={out}", *extra,
         str(NSI)],
        capture_output=True, text=True, timeout=600,
    )


def fixed_file_version(exe: bytes) -> tuple[int, int, int, int]:
    """The file version in the PE's VS_FIXEDFILEINFO (set by VIProductVersion / VIFileVersion)."""
    at = exe.find(struct.pack("<I", 0xFEEF04BD))
    assert at > 0, "no version resource"
    ms, ls = struct.unpack_from("<II", exe, at + 8)
    return ms >> 16, ms & 0xFFFF, ls >> 16, ls & 0xFFFF


def test_installer_compiles_with_version_information(tmp_path):
    """makensis builds a setup .exe carrying the app name and the version from parkdesk/__init__.py."""
    version = parkdesk.__version__
    out = tmp_path / f"ParkDesk-{version}-win64-setup.exe"
    result = compile_installer(_stand_in_bundle(tmp_path), out, version)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    data = out.read_bytes()
    assert data[:2] == b"MZ"
    assert parkdesk.APP_NAME.encode("utf-16-le") in data  # ProductName in the version resource
    assert version.encode("utf-16-le") in data
    numbers = [int(n) for n in re.findall(r"\d+", version)[:3]]
    assert fixed_file_version(data)[:3] == tuple(numbers + [0, 0, 0])[:3]


def test_version_numbers_reach_the_version_resource(tmp_path):
    """-DVERSION=2.10.7 becomes file version 2.10.7.0; a version with letters takes -DVIVERSION."""
    src = _stand_in_bundle(tmp_path)
    out = tmp_path / "a-setup.exe"
    result = compile_installer(src, out, "2.10.7")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert fixed_file_version(out.read_bytes()) == (2, 10, 7, 0)
    out = tmp_path / "b-setup.exe"
    result = compile_installer(src, out, "3.0.0rc1", "-DVIVERSION=3.0.0.1")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert fixed_file_version(out.read_bytes()) == (3, 0, 0, 1)


def test_missing_version_or_bundle_stops_the_build(tmp_path):
    """Without -DVERSION, or with a missing build folder, makensis fails instead of making an empty installer."""
    makensis = _makensis()
    result = subprocess.run([makensis, "-V2", f"-DSRCDIR={tmp_path}", f"-DOUTFILE={tmp_path / 'x.exe'}", str(NSI)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0 and "VERSION" in result.stdout + result.stderr
    result = compile_installer(tmp_path / "missing", tmp_path / "y.exe", "1.0.0")
    assert result.returncode != 0
    assert not (tmp_path / "y.exe").exists()


def test_uninstaller_keeps_user_data():
    """The uninstaller removes only what it installed: never LOCALAPPDATA, never the whole folder."""
    script = NSI.read_text(encoding="utf-8")
    uninstall = script[script.index('Section "Uninstall"'):]
    removals = [line.strip() for line in uninstall.splitlines() if line.strip().startswith(("RMDir", "Delete "))]
    assert removals, "the uninstall section removes nothing"
    for line in removals:
        assert "LOCALAPPDATA" not in line.upper() and "APPDATA" not in line.upper(), line
        assert line != 'RMDir /r "$INSTDIR"', line
    assert 'MUI_LANGUAGE "SimpChinese"' in script and "MultiUser.nsh" in script


def test_finish_page_starts_the_program_unelevated():
    """The finish page's 运行 goes through Explorer (the signed-in user), not the elevated installer."""
    script = NSI.read_text(encoding="utf-8")
    assert "!define MUI_FINISHPAGE_RUN_FUNCTION RunAsSignedInUser" in script
    assert not re.search(r'!define MUI_FINISHPAGE_RUN\s+"', script), "MUI would Exec the program elevated"
    function = script[script.index("Function RunAsSignedInUser"):]
    function = function[:function.index("FunctionEnd")]
    assert '"$WINDIR\\explorer.exe" "$INSTDIR\\${APP_EXE}"' in function
