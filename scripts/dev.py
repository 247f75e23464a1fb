#!/usr/bin/env python3
"""Set everything up, then start ParkDesk on the demo park or run the tests.

    python3 scripts/dev.py demo     # set up, create the demo database, start the GUI
    python3 scripts/dev.py test     # set up, run the whole test suite
    python3 scripts/dev.py setup    # set up only

"Set up" means, on a fresh machine:
  * on Debian-based Linux as root: apt-get the system libraries Qt needs, a CJK
    font, nsis (makensis, for the installer test) and python3-venv when they are
    missing (nothing is installed otherwise);
  * a virtual environment in .venv with ParkDesk and its test tools (pip).
Works on Windows too (py scripts\\dev.py demo); there apt is skipped.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
MIN_PYTHON = (3, 11)

# Shared libraries the pip build of Qt 6 loads (offscreen for tests, xcb for the GUI).
QT_PACKAGES = (
    "libegl1 libgl1 libgbm1 libdrm2 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3 "
    "libxkbcommon0 libxkbcommon-x11-0 libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-glx0 "
    "libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render0 libxcb-render-util0 "
    "libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libzstd1"
).split()
# A small CJK font so charts, screenshots and PDFs show Chinese, not boxes.
FONT_PACKAGES = ["fonts-wqy-microhei"]
# makensis: a test compiles the Windows installer script (packaging/windows/parkdesk.nsi).
TOOL_PACKAGES = ["nsis"]


def say(msg: str) -> None:
    print(f"[parkdesk] {msg}", flush=True)


def run(cmd: list[str], **kw) -> None:
    subprocess.run(cmd, check=True, **kw)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


# --- system packages -----------------------------------------------------------------
def _missing_debs(packages: list[str]) -> list[str]:
    missing = []
    for pkg in packages:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg], capture_output=True, text=True)
        if "install ok installed" not in out.stdout:
            missing.append(pkg)
    return missing


def _venv_works() -> bool:
    probe = subprocess.run([sys.executable, "-c", "import venv, ensurepip"], capture_output=True)
    return probe.returncode == 0


def ensure_system_packages() -> None:
    """apt-get what is missing (Debian/UOS/Kylin, as root only)."""
    if not sys.platform.startswith("linux") or not shutil.which("dpkg-query") or not shutil.which("apt-get"):
        return
    wanted = QT_PACKAGES + FONT_PACKAGES + TOOL_PACKAGES
    if not _venv_works():
        ver = f"{sys.version_info.major}.{sys.version_info.minor}"
        wanted = wanted + ["python3-venv", f"python{ver}-venv"]
    missing = _missing_debs(wanted)
    if not missing:
        return
    if os.geteuid() != 0:
        say("缺少系统软件包 (missing system packages): " + " ".join(missing))
        say("请以 root 运行或执行: sudo apt-get install -y " + " ".join(missing))
        return
    say("apt-get install " + " ".join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "update", "-q"], env=env)
    # Package names differ between releases: install what exists, skip the rest.
    available = [p for p in missing
                 if subprocess.run(["apt-cache", "show", p], capture_output=True).returncode == 0]
    if available:
        run(["apt-get", "install", "-y", "-q", "--no-install-recommends", *available], env=env)


# --- Python environment ------------------------------------------------------------------
def ensure_venv(extras: str = "test") -> Path:
    """Create .venv and install ParkDesk (editable) with ``extras``; skip when up to date."""
    if sys.version_info < MIN_PYTHON:
        sys.exit(f"ParkDesk needs Python {'.'.join(map(str, MIN_PYTHON))} or newer; this is {sys.version.split()[0]}.")
    python = venv_python()
    if not python.exists():
        say(f"creating virtual environment {VENV}")
        if VENV.exists():
            shutil.rmtree(VENV)
        run([sys.executable, "-m", "venv", str(VENV)])
    stamp = VENV / ".parkdesk-installed"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    if stamp.exists() and stamp.read_text().strip() == digest:
        return python
    say("installing Python packages (pip)")
    run([str(python), "-m", "pip", "install", "-q", "--upgrade", "pip"])
    run([str(python), "-m", "pip", "install", "-q", "-e", f"{ROOT}[{extras}]"])
    stamp.write_text(digest)
    return python


def setup(extras: str = "test") -> Path:
    ensure_system_packages()
    return ensure_venv(extras)


# --- commands ----------------------------------------------------------------------------------
def cmd_test(args: list[str]) -> int:
    python = setup()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    say("running tests")
    return subprocess.run([str(python), "-m", "pytest", *args], cwd=ROOT, env=env).returncode


def cmd_demo(args: list[str]) -> int:
    python = setup()
    home = os.environ.get("PARKDESK_HOME")
    data = Path(home) if home else None
    code = "from parkdesk.paths import demo_database_path; print(demo_database_path())"
    demo_db = Path(subprocess.run([str(python), "-c", code], cwd=ROOT, capture_output=True, text=True,
                                  check=True).stdout.strip()) if data is None else data / "demo.db"
    if not demo_db.exists():
        say(f"creating the demo park: {demo_db}")
        run([str(python), str(ROOT / "main.py"), "demo", "--db", str(demo_db)], cwd=ROOT)
    say("starting ParkDesk")
    return subprocess.run([str(python), str(ROOT / "main.py"), "--db", str(demo_db), *args], cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("demo", "test", "setup"):
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "setup":
        setup()
        return 0
    return cmd_test(rest) if command == "test" else cmd_demo(rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
