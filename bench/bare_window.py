"""The yardstick for start-up: a bare PySide6 window with tabs and a small table.

It does what ``main.py --screenshot`` does — application, window, show, let it
draw, grab, save a PNG — with nothing of ParkDesk in it.
Usage: python bench/bare_window.py OUT.png
"""

import sys

from PySide6.QtCore import QCoreApplication, QEventLoop
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView, QTabWidget, QWidget


def main(out: str) -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    tabs = QTabWidget()
    model = QStandardItemModel(20, 6)
    for r in range(20):
        for c in range(6):
            model.setItem(r, c, QStandardItem(f"{r + 1}-{c + 1}"))
    table = QTableView()
    table.setModel(model)
    tabs.addTab(table, "指标")
    for title in ("项目", "工作计划", "报告"):
        tabs.addTab(QWidget(), title)
    window.setCentralWidget(tabs)
    window.menuBar().addMenu("文件")
    window.statusBar().showMessage("就绪")
    window.resize(1360, 860)
    window.show()
    QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    ok = window.grab().save(out)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
