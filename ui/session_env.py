"""Adjusting the Qt environment to the Linux desktop session before Qt starts.

The pip build of Qt (and so the installed ParkDesk) ships only the ``ibus`` and
``compose`` input-method plugins: there is no fcitx plugin, and Qt 6 has no XIM.
UOS and Kylin desktops run fcitx (``QT_IM_MODULE=fcitx``); fcitx5 also serves
the ibus D-Bus protocol through its ibus frontend, so pointing Qt at its ibus
plugin is what makes Chinese typing work there. Likewise the bundle carries
the ``xcb`` display plugin but not ``wayland``: a session that asks only for
Wayland is given X11 (XWayland) as the fallback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable, Mapping

# Input-method plugins the bundled Qt has (see packaging/parkdesk.spec).
AVAILABLE_IM_MODULES = frozenset({"ibus", "compose"})
FCITX_NAMES = frozenset({"fcitx", "fcitx5"})
# Display plugins the bundle keeps; the first one is the desktop fallback.
AVAILABLE_PLATFORMS = ("xcb", "offscreen", "minimal")


def _im_hint(env: Mapping[str, str]) -> str:
    """The input method the session names in XMODIFIERS or GTK_IM_MODULE ('' if none)."""
    xmod = env.get("XMODIFIERS", "")
    if "@im=" in xmod:
        name = xmod.split("@im=", 1)[1].split("@", 1)[0].strip().lower()
        if name:
            return name
    return env.get("GTK_IM_MODULE", "").strip().lower()


def qt_environment_overrides(
    env: Mapping[str, str],
    *,
    platform: str = sys.platform,
    fcitx5_running: Callable[[], bool] | None = None,
) -> dict[str, str]:
    """The environment variables to set before Qt starts (empty when nothing needs changing).

    ``fcitx5_running`` is asked only when the environment names no input method.
    """
    if not platform.startswith("linux"):
        return {}
    changes: dict[str, str] = {}

    requested = env.get("QT_IM_MODULE", "").strip().lower()
    modules = [m.strip() for m in env.get("QT_IM_MODULES", "").split(";") if m.strip()]
    named = {m.lower() for m in modules} | {_im_hint(env)}
    if requested in FCITX_NAMES:
        changes["QT_IM_MODULE"] = "ibus"
    elif requested and requested not in AVAILABLE_IM_MODULES:
        # e.g. "xim" (gone in Qt 6): follow the session's input method when it is one we serve.
        if _im_hint(env) in FCITX_NAMES | {"ibus"}:
            changes["QT_IM_MODULE"] = "ibus"
    elif not requested:
        if named & (FCITX_NAMES | {"ibus"}) or (fcitx5_running is not None and fcitx5_running()):
            changes["QT_IM_MODULE"] = "ibus"

    # Newer Qt also reads a list in QT_IM_MODULES; give it the ibus fallback too.
    if modules and not any(m.lower() in AVAILABLE_IM_MODULES for m in modules):
        if any(m.lower() in FCITX_NAMES for m in modules):
            changes["QT_IM_MODULES"] = ";".join(modules + ["ibus"])

    # A session that asks only for display plugins the bundle lacks (wayland, dxcb ...)
    # still has an X server (XWayland): let Qt fall back to xcb instead of aborting.
    qpa = env.get("QT_QPA_PLATFORM", "").strip()
    if qpa and env.get("DISPLAY"):
        names = [p.split(":", 1)[0].strip().lower() for p in qpa.split(";") if p.strip()]
        if names and not any(n in AVAILABLE_PLATFORMS for n in names):
            changes["QT_QPA_PLATFORM"] = f"{qpa};{AVAILABLE_PLATFORMS[0]}"
    return changes


def fcitx5_running(proc: Path = Path("/proc")) -> bool:
    """Whether a process named fcitx5 runs on this machine (cheap scan of /proc: raw
    reads of each process's ``comm``, ~10 µs each, as it runs at every start)."""
    try:
        entries = os.scandir(proc)
    except OSError:
        return False
    with entries:
        for entry in entries:
            if not entry.name.isdigit():
                continue
            try:
                fd = os.open(os.path.join(entry.path, "comm"), os.O_RDONLY)
            except OSError:
                continue
            try:
                name = os.read(fd, 64)
            except OSError:
                continue
            finally:
                os.close(fd)
            if name.strip() == b"fcitx5":
                return True
    return False


def apply_session_overrides() -> dict[str, str]:
    """Set the overrides in ``os.environ``; returns what was changed (for the log)."""
    changes = qt_environment_overrides(os.environ, fcitx5_running=fcitx5_running)
    os.environ.update(changes)
    return changes
