#!/usr/bin/env python3
"""Size and start-up time of the bundle next to running from source.

    python packaging/measure.py [--bundle dist/parkdesk] [--runs 3]

Prints a Markdown table (the one in packaging/README.md): the bundle's size on
disk, the .deb's size, and the wall time of ``--version`` and of ``--screenshot``
on the demo park (median of ``--runs``), each for the bundle and for
``python main.py`` with the interpreter running this script. Exits 1 when the
bundle is over the 250 MB budget.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import parkdesk  # noqa: E402

BUDGET_MB = 250


def tree_size(folder: Path) -> int:
    """Bytes of the regular files under ``folder`` (symlinks not followed)."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def timed(cmd: list[str], env: dict, runs: int) -> float:
    """Median wall time of ``cmd`` in seconds; raises if it fails."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT, timeout=300)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise SystemExit(f"failed: {' '.join(cmd)}\n{result.stderr}")
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "parkdesk")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    exe = args.bundle / ("parkdesk.exe" if os.name == "nt" else "parkdesk")
    if not exe.exists():
        raise SystemExit(f"no bundle at {args.bundle}: build it first (packaging/build_linux.sh)")

    with tempfile.TemporaryDirectory(prefix="parkdesk-measure-") as tmp:
        home = Path(tmp)
        env = {"HOME": str(home), "PARKDESK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
               "PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"}
        if os.name == "nt":
            env = dict(os.environ, **env)
        db = home / "demo.db"
        subprocess.run([str(exe), "demo", "--db", str(db), "--as-of", "2026-11-22"], env=env, check=True,
                       capture_output=True)
        source = [sys.executable, str(ROOT / "main.py")]
        shot = ["--db", str(db), "--screenshot", str(home / "shot.png")]
        # One untimed run each, so both sides start with warm file caches.
        timed([str(exe), *shot], env, 1)
        timed([*source, *shot], env, 1)
        rows = [
            ("`--version`", timed([str(exe), "--version"], env, args.runs),
             timed([*source, "--version"], env, args.runs)),
            ("`--screenshot` (demo park)", timed([str(exe), *shot], env, args.runs),
             timed([*source, *shot], env, args.runs)),
        ]

    size_mb = tree_size(args.bundle) / 1e6
    debs = sorted(args.bundle.parent.glob(f"parkdesk_{parkdesk.__version__}_*.deb"))
    print(f"ParkDesk {parkdesk.__version__}, {sys.platform}, median of {args.runs} runs\n")
    print("| | bundle | from source |")
    print("|---|---|---|")
    print(f"| size on disk | {size_mb:.0f} MB (budget {BUDGET_MB} MB) | — |")
    for deb in debs:
        print(f"| {deb.name} | {deb.stat().st_size / 1e6:.0f} MB | — |")
    for label, frozen, src in rows:
        print(f"| {label} | {frozen:.2f} s | {src:.2f} s |")
    if size_mb > BUDGET_MB:
        print(f"\nthe bundle is over budget: {size_mb:.0f} MB > {BUDGET_MB} MB", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
