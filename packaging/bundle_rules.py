"""What goes into the PyInstaller bundle: the rules parkdesk.spec applies after analysis.

Everything is decided by a positive list (Qt plugin types and plugins, Qt
libraries, translations) or by reachability, so a new Qt or matplotlib release
cannot quietly add 100 MB, and a new ParkDesk module never needs this file.
Kept small and free of PyInstaller imports so tests can check the rules.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
from pathlib import PurePosixPath
from typing import Callable, Iterable

# Qt plugin types kept, and within each the plugins kept (None: all of them).
# Names are the file stem without "lib" and the extension (libqxcb.so -> qxcb).
QT_PLUGINS: dict[str, frozenset[str] | None] = {
    # offscreen: --screenshot and tests; minimal: a fallback without a display server.
    "platforms": frozenset({"qxcb", "qoffscreen", "qminimal", "qwindows"}),
    # ibus also serves fcitx5 (ui/session_env.py); compose handles dead keys.
    "platforminputcontexts": frozenset({"ibusplatforminputcontextplugin", "composeplatforminputcontextplugin"}),
    "xcbglintegrations": None,  # needed by the xcb plugin to bring up any GL context
    "imageformats": frozenset({"qsvg", "qico", "qjpeg", "qgif"}),
    "iconengines": frozenset({"qsvgicon"}),
    "printsupport": None,  # CUPS printers on Linux (Windows printing is built into QtPrintSupport)
    "styles": None,  # the Windows 11 / Vista styles
}

# Qt libraries kept: the modules ParkDesk uses plus what they load.
QT_LIBRARIES = frozenset({
    "Qt6Core", "Qt6Gui", "Qt6Widgets", "Qt6PrintSupport", "Qt6Svg",
    "Qt6DBus",  # QtGui's platform services and the ibus input context on Linux
    "Qt6XcbQpa",  # the X11 platform plugin's library
})

# Qt translations kept: Simplified Chinese for Qt's own dialogs (print, file).
QT_TRANSLATIONS = re.compile(r"^qt(base)?_zh_CN\.qm$")

# Libraries of the Linux desktop that come from the system, never from the build
# machine: the .deb depends on their packages (packaging/make_deb.py).
SYSTEM_LIBRARY = re.compile(
    r"^lib("
    r"X11|X11-xcb|Xau|Xdmcp|Xext|Xrender|Xi|Xfixes|Xcursor|xcb(-[a-z0-9-]+)?|xkbcommon(-x11)?"
    r"|fontconfig|freetype|png16|harfbuzz|brotli(common|dec|enc)|graphite2"
    r"|glib-2\.0|gthread-2\.0|gobject-2\.0|gio-2\.0|gmodule-2\.0|pcre2?(-8)?"
    r"|dbus-1|systemd|cups|gnutls|avahi-(common|client)|gssapi_krb5|krb5|k5crypto|krb5support|keyutils"
    r"|E?GL|GLX|GLdispatch|OpenGL|gbm|drm|wayland-[a-z]+"
    r")\.so(\.[0-9.]+)?$"
)

_PLUGIN_PATH = re.compile(r"(^|/)plugins/(?P<type>[^/]+)/(?P<file>[^/]+)$")
_QT_LIBRARY = re.compile(r"^(lib)?(?P<name>Qt6[A-Za-z0-9]+)(\.so(\.[0-9.]+)?|\.dll)$")


def _stem(file_name: str) -> str:
    stem = file_name.split(".", 1)[0]
    return stem[3:] if stem.startswith("lib") else stem


def keep_binary(dest: str, src: str = "") -> bool:
    """Whether a binary PyInstaller collected belongs in the bundle (by its destination name)."""
    dest = dest.replace("\\", "/")
    name = PurePosixPath(dest).name
    plugin = _PLUGIN_PATH.search(dest)
    if plugin and "PySide6" in dest:
        wanted = QT_PLUGINS.get(plugin["type"], frozenset())
        return wanted is None or _stem(plugin["file"]) in wanted
    if name.lower() == "opengl32sw.dll":  # software OpenGL for Qt Quick; widgets never use it
        return False
    qt_lib = _QT_LIBRARY.match(name)
    if qt_lib:
        return qt_lib["name"] in QT_LIBRARIES
    if SYSTEM_LIBRARY.match(name) and not _vendored(name, src):
        return False
    return True


_WHEEL_HASH = re.compile(r"-[0-9a-f]{8}\.so")


def _vendored(name: str, src: str) -> bool:
    """A library a wheel ships for itself (auditwheel's hashed name, or inside site-packages)."""
    parts = src.replace("\\", "/").split("/")
    return bool(_WHEEL_HASH.search(name)) or "site-packages" in parts or "dist-packages" in parts


def strip_wanted(dest: str, src: str, typecode: str) -> bool:
    """Whether a collected ELF binary may be stripped: only the interpreter's and the system's own.

    Wheels ship their binaries already stripped (or nearly), and auditwheel has rewritten their
    program headers with patchelf, which ``strip`` can break: numpy's vendored OpenBLAS
    (``numpy.libs/libscipy_openblas64_*.so``) then fails to load with "ELF load command
    address/offset not page-aligned", and matplotlib with it. libpython and lib-dynload
    carry debug symbols on many builds (about 25 MB) and are safe to strip.
    """
    if typecode not in ("BINARY", "EXTENSION"):
        return False
    dest = dest.replace("\\", "/")
    if dest.lower().endswith((".dll", ".pyd", ".exe")):
        return False
    if any(part.endswith(".libs") for part in dest.split("/")[:-1]):
        return False
    return not _vendored(PurePosixPath(dest).name, src)


def keep_data(dest: str) -> bool:
    """Whether a data file belongs in the bundle (Qt translations and QML are filtered)."""
    dest = dest.replace("\\", "/")
    parts = dest.split("/")
    if parts[0] == "PySide6":
        if "translations" in parts:
            return bool(QT_TRANSLATIONS.match(parts[-1]))
        if "qml" in parts or "metatypes" in parts or "typesystems" in parts or "include" in parts:
            return False
    if parts[0] == "matplotlib" and "sample_data" in parts:
        return False
    return True


def is_root(dest: str, typecode: str) -> bool:
    """Binaries loaded by Python or Qt directly: extension modules, plugins, libpython."""
    dest = dest.replace("\\", "/")
    name = PurePosixPath(dest).name
    if typecode == "EXTENSION" or name.endswith((".pyd", ".abi3.so")) or ".cpython-" in name:
        return True
    if _PLUGIN_PATH.search(dest):
        return True
    return name.startswith(("libpython", "python3"))


def needed_libraries(path: str) -> list[str]:
    """The DT_NEEDED sonames of an ELF file (``readelf -d``); [] where readelf is absent."""
    readelf = shutil.which("readelf")
    if not readelf or not os.path.isfile(path):
        return []
    out = subprocess.run([readelf, "-d", path], capture_output=True, text=True, env={"LC_ALL": "C"})
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out.stdout)


def reachable(entries: Iterable[tuple[str, str, str]],
              imports: Callable[[str], list[str]] = needed_libraries) -> set[str]:
    """Destination names of the binaries reachable from the roots through their imports."""
    entries = list(entries)
    by_name: dict[str, tuple[str, str, str]] = {}
    for entry in entries:
        by_name.setdefault(PurePosixPath(entry[0].replace("\\", "/")).name.lower(), entry)
    seen: set[str] = set()
    todo = [e for e in entries if is_root(e[0], e[2])]
    while todo:
        dest, src, _ = todo.pop()
        if dest in seen:
            continue
        seen.add(dest)
        for lib in imports(src):
            target = by_name.get(lib.lower())
            if target is not None and target[0] not in seen:
                todo.append(target)
    return seen


def dangling_symlink(entry: tuple[str, str, str], kept: set[str]) -> bool:
    """A SYMLINK entry whose target is no longer in the bundle (``kept``: destination names)."""
    dest, target, typecode = entry
    if typecode != "SYMLINK":
        return False
    dest = dest.replace("\\", "/")
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(dest), target.replace("\\", "/")))
    return resolved not in kept
