"""The bundle rules (what the spec keeps) and the .deb metadata, checked without building anything."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest

import parkdesk

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))

from bundle_rules import dangling_symlink, keep_binary, keep_data, reachable, strip_wanted  # noqa: E402
import make_deb  # noqa: E402


@pytest.mark.parametrize(("dest", "src", "kept"), [
    ("PySide6/Qt/plugins/platforms/libqxcb.so", "", True),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", "", True),
    ("PySide6/Qt/plugins/platforms/libqwayland.so", "", False),
    ("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so", "", True),
    ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", "", False),
    ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", "", True),
    ("PySide6/Qt/plugins/imageformats/libqpdf.so", "", False),
    ("PySide6/Qt/plugins/tls/libqopensslbackend.so", "", False),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "", False),
    ("PySide6/Qt/lib/libQt6PrintSupport.so.6", "", True),
    ("PySide6/Qt/lib/libQt6Qml.so.6", "", False),
    ("PySide6/Qt/lib/libQt6Network.so.6", "", False),
    ("PySide6/plugins/platforms/qwindows.dll", "", True),
    ("PySide6/plugins/styles/qmodernwindowsstyle.dll", "", True),
    ("PySide6/Qt6Widgets.dll", "", True),
    ("PySide6/Qt6Quick.dll", "", False),
    ("PySide6/opengl32sw.dll", "", False),
    ("libxcb-icccm.so.4", "/usr/lib/x86_64-linux-gnu/libxcb-icccm.so.4", False),
    ("libfontconfig.so.1", "/usr/lib/x86_64-linux-gnu/libfontconfig.so.1", False),
    ("libxcb-9065bb12.so.1.1.0", "/venv/lib/python3.11/site-packages/pillow.libs/libxcb-9065bb12.so.1.1.0", True),
    ("libssl.so.3", "/usr/lib/x86_64-linux-gnu/libssl.so.3", True),  # Python's own: versions differ per distro
    ("libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", True),
])
def test_keep_binary(dest, src, kept):
    """Qt plugins and libraries are kept by a positive list; desktop system libraries are left to the system."""
    assert keep_binary(dest, src) is kept


SITE = "/venv/lib/python3.11/site-packages"


@pytest.mark.parametrize(("dest", "src", "typecode", "stripped"), [
    ("libpython3.11.so.1.0", "/root/.pyenv/versions/3.11.7/lib/libpython3.11.so.1.0", "BINARY", True),
    ("python3.11/lib-dynload/_decimal.cpython-311-x86_64-linux-gnu.so",
     "/root/.pyenv/versions/3.11.7/lib/python3.11/lib-dynload/_decimal.cpython-311-x86_64-linux-gnu.so",
     "EXTENSION", True),
    ("libsqlite3.so.0", "/usr/lib/x86_64-linux-gnu/libsqlite3.so.0", "BINARY", True),
    # auditwheel-vendored and patchelf-rewritten: strip breaks them (numpy's OpenBLAS did).
    ("numpy.libs/libscipy_openblas64_-32a4b2a6.so", f"{SITE}/numpy.libs/libscipy_openblas64_-32a4b2a6.so",
     "BINARY", False),
    ("pillow.libs/libjpeg-8a13c6e0.so.62.4.0", f"{SITE}/pillow.libs/libjpeg-8a13c6e0.so.62.4.0", "BINARY", False),
    ("numpy/_core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so",
     f"{SITE}/numpy/_core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so", "EXTENSION", False),
    ("PySide6/Qt/lib/libQt6Core.so.6", f"{SITE}/PySide6/Qt/lib/libQt6Core.so.6", "BINARY", False),
    ("python311.dll", "C:/Python311/python311.dll", "BINARY", False),
    ("libpython3.11.so", "libpython3.11.so.1.0", "SYMLINK", False),
])
def test_only_the_interpreters_own_binaries_are_stripped(dest, src, typecode, stripped):
    """strip touches libpython, lib-dynload and system libraries, never a wheel's (auditwheel-patched) binaries."""
    assert strip_wanted(dest, src, typecode) is stripped


def test_spec_strips_selectively_and_keeps_docx_parts_on_disk():
    """The spec never strips the whole bundle and puts docx/parts on disk (python-docx opens parts/../templates)."""
    spec = (ROOT / "packaging" / "parkdesk.spec").read_text(encoding="utf-8")
    assert "strip=not WINDOWS" not in spec and "strip=True" not in spec
    assert "strip_wanted(" in spec
    assert 'module_collection_mode={"docx.parts": "pyz+py"}' in spec


def test_keep_data_filters_translations_and_qml():
    """Only the Simplified Chinese Qt translations stay; QML and matplotlib sample data go."""
    assert keep_data("PySide6/Qt/translations/qtbase_zh_CN.qm")
    assert keep_data("PySide6/Qt/translations/qt_zh_CN.qm")
    assert not keep_data("PySide6/Qt/translations/qtbase_de.qm")
    assert not keep_data("PySide6/Qt/translations/assistant_zh_CN.qm")
    assert not keep_data("PySide6/Qt/qml/QtQuick/Controls/qmldir")
    assert not keep_data("matplotlib/mpl-data/sample_data/goog.npz")
    assert keep_data("matplotlib/mpl-data/fonts/ttf/DejaVuSans.ttf")
    assert keep_data("docx/templates/default.docx") and keep_data("resources/icons/parkdesk-16.png")


def test_reachability_drops_orphans_only():
    """A library no extension module or plugin needs any more is dropped; shared dependencies stay."""
    entries = [
        ("PySide6/QtGui.abi3.so", "gui", "EXTENSION"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "xcb", "BINARY"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", "qtgui", "BINARY"),
        ("PySide6/Qt/lib/libQt6XcbQpa.so.6", "qpa", "BINARY"),
        ("libexpat.so.1", "expat", "BINARY"),  # needed only by a left-out libfontconfig
    ]
    graph = {"gui": ["libQt6Gui.so.6"], "xcb": ["libQt6XcbQpa.so.6", "libQt6Gui.so.6", "libxcb.so.1"],
             "qtgui": ["libfontconfig.so.1"], "qpa": [], "expat": []}
    kept = reachable(entries, imports=lambda src: graph[src])
    assert kept == {e[0] for e in entries[:4]}


def test_dangling_symlinks_are_found():
    """A top-level symlink into a dropped Qt library is dangling; one to a kept library is not."""
    kept = {"PySide6/Qt/lib/libQt6Core.so.6"}
    assert not dangling_symlink(("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"), kept)
    assert dangling_symlink(("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK"), kept)
    assert not dangling_symlink(("x.so", "y", "BINARY"), kept)


def test_depends_are_derived_from_the_libraries_a_plugin_needs(tmp_path):
    """readelf on the real xcb plugin yields the xcb/xkbcommon packages and a glibc floor; bundled libs are skipped."""
    if not shutil.which("readelf") or not sys.platform.startswith("linux"):
        pytest.skip("needs readelf (binutils) on Linux")
    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt"
    (tmp_path / "plugins").mkdir()
    shutil.copy(qt / "plugins" / "platforms" / "libqxcb.so", tmp_path / "plugins")
    for lib in (qt / "lib").glob("libQt6*.so.6"):  # carried by the bundle, so never a dependency
        (tmp_path / lib.name).symlink_to(lib)
    depends, mapping = make_deb.derive_depends(tmp_path)
    for package in ("libxcb-cursor0", "libxcb-icccm4", "libxkbcommon-x11-0", "libx11-xcb1"):
        assert package in depends
    assert re.fullmatch(r"libc6 \(>= 2\.[0-9.]+\)", depends[0])
    assert depends[-1] == make_deb.CJK_FONTS
    assert not any(name.startswith("libQt6") for name in mapping)


def test_desktop_entry_and_uos_info_carry_the_identity():
    """The desktop entry and UOS info use the appid, name and version from parkdesk/__init__.py."""
    entry = make_deb.desktop_entry(parkdesk.APP_ID)
    assert f"Icon={parkdesk.APP_ID}" in entry and "Name[zh_CN]=园区工作台" in entry
    info = json.loads(json.dumps(make_deb.uos_info(parkdesk.APP_ID, "9.8.7", "amd64")))
    assert info["appid"] == parkdesk.APP_ID and info["version"] == "9.8.7" and info["support-arch"] == ["amd64"]
    control = make_deb.control_file(parkdesk.APP_ID, "9.8.7", "amd64", ["libc6 (>= 2.28)", "libxcb1"], 1234)
    assert f"Package: {parkdesk.APP_ID}\n" in control and "Depends: libc6 (>= 2.28), libxcb1\n" in control
    assert re.fullmatch(r"[a-z0-9]+(\.[a-z0-9-]+){2,}", parkdesk.APP_ID)  # UOS: reverse domain, lowercase
