"""园区信息: the park's name, superiors, leading industries, zones, author."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit


class ProfileDialog(QDialog):
    FIELDS = (
        ("name", "园区名称"),
        ("organization", "落款单位"),
        ("superiors", "上级机关（报告中称谓）"),
        ("leading_industries", "主导产业（用顿号分隔）"),
        ("zones", "片区（用顿号分隔）"),
        ("author", "材料起草人/科室"),
    )

    def __init__(self, profile, parent=None):
        super().__init__(parent)
        self.setWindowTitle("园区信息")
        self.setMinimumWidth(480)
        form = QFormLayout(self)
        self.edits: dict[str, QLineEdit] = {}
        for key, label in self.FIELDS:
            value = getattr(profile, key)
            edit = QLineEdit("、".join(value) if isinstance(value, list) else str(value or ""))
            self.edits[key] = edit
            form.addRow(label, edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def changes(self) -> dict:
        return {key: edit.text() for key, edit in self.edits.items()}
