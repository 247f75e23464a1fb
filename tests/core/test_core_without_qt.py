"""The core never imports Qt: checked in a fresh interpreter."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import parkdesk

ROOT = Path(__file__).resolve().parents[2]


def test_importing_every_core_module_loads_no_qt():
    """Import every module under parkdesk/ and fail if PySide6 or ui got loaded."""
    names = [m.name for m in pkgutil.walk_packages(parkdesk.__path__, "parkdesk.")]
    assert len(names) > 10
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'ui'))\n"
        "print(','.join(bad))\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, f"Qt loaded by the core: {result.stdout} {result.stderr}"


def test_core_modules_do_not_mention_qt_imports():
    """No source file of the core imports PySide6 or ui (even lazily, inside a function)."""
    offenders = []
    for path in Path(parkdesk.__path__[0]).rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            s = line.strip()
            if s.startswith(("import PySide6", "from PySide6", "import shiboken6", "from ui", "import ui")):
                offenders.append(f"{path.name}: {s}")
    assert not offenders
