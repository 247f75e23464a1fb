"""The benchmark harness (bench/): each measured task runs and reports its numbers, and the
table's rows come from them as bench/README.md says. Timings themselves are not asserted."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys

from tests.conftest import ROOT


def _task(tmp_path, *args) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PARKDESK_HOME=str(tmp_path / "home"),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    result = subprocess.run([sys.executable, str(ROOT / "bench" / "tasks.py"), *map(str, args)], cwd=ROOT, env=env,
                            capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _run_module():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gui_task_measures_the_real_window(demo_path, tmp_path):
    r = _task(tmp_path, "gui", demo_path, 2026, 10)
    assert r["ok"] is True
    assert set(r["tab_first_ms"]) == set(r["tab_data_ms"]) == {"projects", "plans", "report"}
    assert len(r["chart_redraw_ms"]) == 15 and all(v > 0 for v in r["chart_redraw_ms"])
    assert r["chart_redraw_max_ms"] == max(r["chart_redraw_ms"])
    assert r["ledger_rows"] > 0 and r["search_median_ms"] > 0 and r["peak_mb"] > 0


def test_report_and_import_tasks(demo_path, tmp_path):
    out = tmp_path / "r.docx"
    r = _task(tmp_path, "report", demo_path, 2026, 10, "docx", out)
    assert r["ok"] and out.stat().st_size > 10_000
    sheet = tmp_path / "projects.xlsx"
    assert _task(tmp_path, "make-projects-sheet", sheet, 30)["rows"] == 30
    r = _task(tmp_path, "import", demo_path, "projects", sheet)
    assert r["ok"] and r["rows"] == 30 and r["seconds"] >= r["preview_seconds"]


def test_window_rows_show_the_median_run_and_every_runs_maximum(tmp_path):
    """Three runs per database: each row the median of the runs; the verdict on the median run's
    maximum; every run's maximum listed; the JSON keeps the runs."""
    run = _run_module()
    bench = run.Bench(tmp_path, runs=1, gui_runs=3)
    bench.demo, bench.large = tmp_path / "demo.db", tmp_path / "large.db"
    maxima = iter([80, 70, 130, 60, 140, 150])  # demo, large, demo, large, demo, large

    def fake_task(*args):
        m = next(maxima)
        return {"tab_first_ms": {"projects": 10, "plans": 20, "report": m}, "tab_first_max_ms": m,
                "tab_data_ms": {"projects": 1, "plans": 2, "report": 3}, "tab_switch_median_ms": 20,
                "tab_switch_max_ms": 30, "ledger_rows": 11000, "search_median_ms": 30, "search_max_ms": 60,
                "chart_redraw_ms": [m], "chart_redraw_median_ms": m - 10, "chart_redraw_max_ms": m,
                "charts_open_ms": 800, "peak_mb": m * 2, "ok": True}

    bench.task = fake_task
    bench.gui()
    rows = {name: (value, verdict) for name, value, _target, verdict in bench.rows}
    assert rows["重绘图表 (demo, median / max)"] == ("120 / 130 ms (runs: 80, 130, 140)", "MISSED")
    assert rows["重绘图表 (large, median / max)"] == ("60 / 70 ms (runs: 70, 60, 150)", "OK")
    assert rows["首次打开页签 (demo: 项目/计划/报告)"] == ("10 / 20 / 130 ms (runs: 80, 130, 140)", "MISSED")
    assert rows["界面峰值内存 (large: window, all tabs, charts)"][0] == "300 MB"  # the largest, not the median
    assert bench.data["gui_demo"]["chart_redraw_max_ms"] == 130 and bench.data["gui_demo"]["runs"] == 3
    assert [r["chart_redraw_ms"] for r in bench.data["gui_large_runs"]] == [[70], [60], [150]]
    assert "chart_redraw_ms" not in bench.data["gui_demo"]  # samples stay with the runs
