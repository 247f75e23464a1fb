"""The 报告 tab (the report editor comes with the report issue)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class ReportTab(QWidget):
    def __init__(self, ctx, ops, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        label = QLabel("年度工作总结的起草、编辑、打印和导出功能即将推出。")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
