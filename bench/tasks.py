"""One measured task per process (so peak memory is that task's own).

``python bench/tasks.py TASK ...`` prints one JSON object on its last line.
``bench/run.py`` starts these; they can also be run by hand:

- ``gui DB YEAR MONTH`` — the main window offscreen: first visit of every tab
  (until shown and painted, and until its data is shown), tab switches, typing a search in the ledger, redrawing the charts.
- ``report DB YEAR THROUGH docx|pdf OUT`` — draft the report and write the file.
- ``make-projects-sheet OUT N`` / ``make-indicators-sheet OUT N`` — test sheets.
- ``import DB projects|indicators FILE`` — preview and apply an import.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def peak_mb() -> float:
    """Peak resident memory of this process (Linux reports KiB, macOS bytes)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def emit(result: dict) -> None:
    result["peak_mb"] = round(peak_mb(), 1)
    print(json.dumps(result, ensure_ascii=False))


# --- the window --------------------------------------------------------------------------
def task_gui(db: str, year: str, month: str) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QEventLoop

    from ui.app import create_application, teardown

    app = create_application()
    from parkdesk.desk import Desk
    from ui.main_window import MainWindow

    desk = Desk.open(db, create=False)
    window = MainWindow(desk, year=int(year), month=int(month))

    def settle() -> None:
        # Deliver posted events (deferred loads, draw_idle), then paint everything now.
        for _ in range(3):
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
        window.repaint()

    def timed(fn) -> float:
        t0 = time.perf_counter()
        fn()
        settle()
        return (time.perf_counter() - t0) * 1000

    out: dict = {}
    try:
        window.resize(1360, 860)
        window.select_tab("indicators")
        window.show()
        settle()
        from ui.loading import wait_until_loaded

        first, data = {}, {}
        for key in ("projects", "plans", "report"):
            # tab_first_ms: until the tab is shown and painted (its data may still be read on
            # the worker, "正在载入……"); tab_data_ms: until its data is shown and painted too.
            t0 = time.perf_counter()
            tab = window.select_tab(key)
            settle()
            first[key] = (time.perf_counter() - t0) * 1000
            if not wait_until_loaded(tab):
                raise SystemExit(f"tab {key} did not show its data")
            window.repaint()
            data[key] = (time.perf_counter() - t0) * 1000
        switches = []
        for _round in range(3):
            for key in ("indicators", "projects", "plans", "report"):
                switches.append(timed(lambda k=key: window.select_tab(k)))
        out["tab_first_ms"] = {k: round(v, 1) for k, v in first.items()}
        out["tab_first_max_ms"] = round(max(first.values()), 1)
        out["tab_data_ms"] = {k: round(v, 1) for k, v in data.items()}
        out["tab_switch_median_ms"] = round(statistics.median(switches), 1)
        out["tab_switch_max_ms"] = round(max(switches), 1)

        # Typing in the ledger's search box, one character per keystroke, then erasing it.
        tab = window.select_tab("projects")
        page = tab.show_page("ledger")
        settle()
        query = "鑫鹏 食品 王"
        keystrokes = []
        for n in range(1, len(query) + 1):
            keystrokes.append(timed(lambda t=query[:n]: page.search.setText(t)))
        for n in range(len(query) - 1, -1, -1):
            keystrokes.append(timed(lambda t=query[:n]: page.search.setText(t)))
        out["ledger_rows"] = len(page.model.rows)
        out["search_median_ms"] = round(statistics.median(keystrokes), 1)
        out["search_max_ms"] = round(max(keystrokes), 1)

        # Charts: show the panel, then move through indicators and chart kinds.
        ind_tab = window.select_tab("indicators")
        settle()
        def open_charts() -> None:
            # The first time, matplotlib loads on a worker thread (the window stays live):
            # measured until the charts are drawn.
            ind_tab.show_charts(True)
            while not ind_tab.charts_ready():
                QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
                time.sleep(0.002)

        out["charts_open_ms"] = round(timed(open_charts), 1)
        # Ten indicators other than the one shown: each selection redraws both charts
        # (choosing the indicator already shown draws nothing).
        ids = [i.id for i in ind_tab.model.indicators if i.id != ind_tab.current_indicator_id][:10]
        redraws = [timed(lambda i=i: ind_tab.select_indicator(i)) for i in ids]
        box = ind_tab.charts_panel.boxes[1]
        for n in range(box.chooser.count()):
            redraws.append(timed(lambda n=n: box.chooser.setCurrentIndex(n)))
        out["chart_redraw_ms"] = [round(v, 1) for v in redraws]
        out["chart_redraw_median_ms"] = round(statistics.median(redraws), 1)
        out["chart_redraw_max_ms"] = round(max(redraws), 1)
        out["ok"] = True
    finally:
        window.shutdown()
        teardown(app, window)
    emit(out)


# --- the report ----------------------------------------------------------------------------
def task_report(db: str, year: str, through: str, kind: str, out_path: str) -> None:
    t0 = time.perf_counter()
    from parkdesk.desk import Desk
    from parkdesk.report.draft import draft_report

    desk = Desk.open(db, create=False)
    try:
        document = draft_report(desk, int(year), int(through))
        t_draft = time.perf_counter()
        if kind == "docx":
            from parkdesk.report.docx_writer import write_docx

            write_docx(document, out_path)
        else:
            from ui.report.pdf import install, render_pdf

            install()
            render_pdf(document, out_path)
    finally:
        desk.close()
    t1 = time.perf_counter()
    emit({"seconds": round(t1 - t0, 3), "draft_seconds": round(t_draft - t0, 3), "ok": True})


# --- imports -----------------------------------------------------------------------------------
def task_make_projects_sheet(out: str, n: str) -> None:
    """N new projects in the import layout, over every stage, with the dates each stage needs."""
    import random

    from openpyxl import Workbook

    from parkdesk.exchange.projects import HEADERS, SHEET

    rng = random.Random(9)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEADERS)
    stages = ("线索", "在谈", "已签约", "已开工", "试生产", "已投产", "已终止")
    chains = ("食品加工", "电子信息", "装备制造", "其他")
    base = _dt.date(2015, 1, 1)
    for k in range(int(n)):
        stage = rng.choice(stages)
        signed = base + _dt.timedelta(days=rng.randint(0, 3500))
        started = signed + _dt.timedelta(days=rng.randint(30, 200))
        production = started + _dt.timedelta(days=rng.randint(200, 500))
        reached = stages.index(stage) if stage != "已终止" else 2
        total = rng.choice((3000, 8000, 12000, 30000, 50000, 120000))
        ws.append([
            f"导入测试项目{k + 1:05d}号", f"测试{rng.choice(chains)}有限公司", rng.choice(("本地", "省内", "省外", "境外")),
            rng.choice(chains), "工业", rng.choice(("省重点", "市重点", "县区重点", "一般")), total,
            total if reached >= 2 else None, round(total * 0.4) if reached >= 3 else None, rng.randint(20, 300),
            stage, signed if reached >= 2 else None, started if reached >= 3 else None,
            production if reached >= 5 else None, rng.choice(("王建国", "李明华", "张志强")),
            rng.choice(("招商一局", "招商二局", "项目建设局")), "已终止：资金不足" if stage == "已终止" else "",
        ])
    wb.save(out)
    emit({"rows": int(n)})


def task_make_indicators_sheet(out: str, n: str) -> None:
    """About N monthly rows: every non-growth-only catalog indicator, month by month, back from 2025."""
    from openpyxl import Workbook

    from parkdesk import catalog
    from parkdesk.exchange.indicators import DATA_HEADERS, DATA_SHEET

    inds = [i for i in catalog.BUILTIN_INDICATORS if i.kind != catalog.GROWTH_ONLY]
    years = max(1, -(-int(n) // (12 * len(inds))))
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    ws.append(DATA_HEADERS)
    rows = 0
    for ind in inds:
        for y in range(2025 - years + 1, 2026):
            level = 100.0 * (1.06 ** (y - 2000))
            for m in range(1, 13):
                if ind.kind == catalog.CUMULATIVE:
                    value = level * m / 12
                elif ind.kind == catalog.RATE:
                    value = min(90.0, 30 + (y - 2000) * 0.5)
                else:
                    value = level
                ws.append([ind.name, ind.unit, y, m, round(value, 2), None, None, ""])
                rows += 1
    wb.save(out)
    emit({"rows": rows})


def task_import(db: str, kind: str, path: str) -> None:
    from parkdesk.desk import Desk
    from parkdesk.exchange import apply_import, preview_import

    desk = Desk.open(db, create=False)
    try:
        t0 = time.perf_counter()
        preview = preview_import(desk, kind, path)
        t1 = time.perf_counter()
        if preview.errors:
            raise SystemExit(f"import rejected: {preview.errors[:3]}")
        summary = apply_import(desk, preview)
        t2 = time.perf_counter()
    finally:
        desk.close()
    emit({"seconds": round(t2 - t0, 3), "preview_seconds": round(t1 - t0, 3), "apply_seconds": round(t2 - t1, 3),
          "rows": len(preview.rows), "summary": summary, "ok": True})


TASKS = {
    "gui": task_gui,
    "report": task_report,
    "make-projects-sheet": task_make_projects_sheet,
    "make-indicators-sheet": task_make_indicators_sheet,
    "import": task_import,
}

if __name__ == "__main__":
    TASKS[sys.argv[1]](*sys.argv[2:])
