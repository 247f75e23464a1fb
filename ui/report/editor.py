"""The right-hand pane of the 报告 tab: edit the selected paragraph or heading,
and resolve a conflict with the clerk's text and the new draft side by side."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from parkdesk.report.model import Attachment, Figure, Heading, Paragraph, Signature, Table
from parkdesk.report.state import TITLE_KEY, BlockState, ReportState

HINTS = {
    "placeholder": "这是给您填写的提示，原样不会打印。请把它替换为本园区的实际工作内容，然后点击“保存修改”。",
    "suggestion": "这是根据指标预警、项目台账和工作计划生成的问题建议：可以保留、修改，或点击“删除”不写入报告。",
    "custom": "这是您自行添加的内容。",
    "draft": "此段由数据自动起草。修改后点击“保存修改”，重新生成时您的修改会保留；数据变化时会提示您核对。",
}


class BlockEditor(QWidget):
    """Fields of one block (lead or heading on a line, body text below) and the conflict panel."""

    save_requested = Signal(str, dict)  # key, {field: text}
    revert_requested = Signal(str)
    keep_requested = Signal(str)
    take_requested = Signal(str)
    merge_requested = Signal(str, str, str)  # key, field, text

    def __init__(self, parent=None):
        super().__init__(parent)
        self.key: str | None = None
        self._shown: dict[str, str] = {}
        self._conflict_field: str | None = None
        self.heading = QLabel()
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")

        self.conflict_box = QGroupBox("数据已变化：新草稿与您的修改不一致，请选择")
        self.conflict_box.setStyleSheet("QGroupBox { color: #b00020; font-weight: bold; }")
        self.mine = QPlainTextEdit()
        self.mine.setToolTip("您的修改（在新的选择之前，打印和导出都使用这段文字）；可在此合并两边的内容")
        self.theirs = QPlainTextEdit()
        self.theirs.setReadOnly(True)
        self.theirs.setToolTip("按最新数据起草的文字（只读，可复制）")
        self.mine_label = QLabel("我的修改（当前使用）")
        self.theirs_label = QLabel("新草稿")
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(self.mine_label)
        left.addWidget(self.mine)
        right.addWidget(self.theirs_label)
        right.addWidget(self.theirs)
        sides = QHBoxLayout()
        sides.addLayout(left)
        sides.addLayout(right)
        self.keep_button = QPushButton("保留我的修改")
        self.take_button = QPushButton("采用新草稿")
        self.merge_button = QPushButton("合并编辑（保存左侧文字）")
        self.keep_button.clicked.connect(lambda: self.key and self.keep_requested.emit(self.key))
        self.take_button.clicked.connect(lambda: self.key and self.take_requested.emit(self.key))
        self.merge_button.clicked.connect(self._merge)
        buttons = QHBoxLayout()
        for b in (self.keep_button, self.take_button, self.merge_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        box = QVBoxLayout(self.conflict_box)
        box.addLayout(sides, 1)
        box.addLayout(buttons)

        self.lead_label = QLabel("标题")
        self.lead_edit = QLineEdit()
        self.text_label = QLabel("正文")
        self.text_edit = QPlainTextEdit()
        body_font = QFont(self.text_edit.font())
        body_font.setPointSizeF(body_font.pointSizeF() * 1.15)
        self.text_edit.setFont(body_font)
        self.mine.setFont(body_font)
        self.theirs.setFont(body_font)
        self.save_button = QPushButton("保存修改")
        self.save_button.setToolTip("保存对本段的修改（Ctrl+S）")
        self.save_button.setShortcut("Ctrl+S")
        self.revert_button = QPushButton("恢复草稿")
        self.revert_button.setToolTip("放弃对本段的修改，改用按数据起草的文字")
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(lambda: self.key and self.revert_requested.emit(self.key))
        self.lead_edit.textChanged.connect(self._update_buttons)
        self.text_edit.textChanged.connect(self._update_buttons)
        actions = QHBoxLayout()
        actions.addWidget(self.save_button)
        actions.addWidget(self.revert_button)
        actions.addStretch(1)
        self.info = QLabel()
        self.info.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addWidget(self.conflict_box, 3)
        layout.addWidget(self.lead_label)
        layout.addWidget(self.lead_edit)
        layout.addWidget(self.text_label)
        layout.addWidget(self.text_edit, 3)
        layout.addLayout(actions)
        layout.addWidget(self.info)
        layout.addStretch(0)
        self.readonly = False
        self.show_block(None, None)

    # --- showing --------------------------------------------------------------------------
    def show_block(self, state: ReportState | None, key: str | None, number: str = "") -> None:
        """Show the block ``key`` of ``state`` (nothing for None)."""
        self.key = key
        self._shown = {}
        self._conflict_field = None
        block = state.find(key) if state is not None and key not in (None, TITLE_KEY) else None
        for w in (self.lead_label, self.lead_edit, self.text_label, self.text_edit, self.save_button,
                  self.revert_button, self.conflict_box):
            w.setVisible(False)
        self.info.setText("")
        self.hint.setText("")
        if state is None or key is None:
            self.heading.setText("请在左侧选择要查看或修改的段落。")
            return
        if key == TITLE_KEY:
            self.heading.setText("报告标题")
            self.hint.setText("标题可以修改；长标题可用换行指定回行位置。")
            self._show_fields({"title": state.title.text}, "title")
            self.revert_button.setVisible(state.title.edited)
            self._update_buttons()
            return
        if block is None:
            self.heading.setText("（该段落已不存在，请重新生成）")
            return
        self.heading.setText(self._describe(block, number))
        if block.removed or block.hidden_by:
            self.info.setText("此部分已删除，不会打印。点击“恢复”可恢复。" if block.removed
                              else "所在的上级部分已删除，不会打印。恢复上级部分即可恢复。")
        if not block.editable:
            self.info.setText(self.info.text() or self._not_editable(block))
            return
        self.hint.setText(HINTS["placeholder"] if block.placeholder and not block.edited
                          else HINTS["suggestion"] if block.suggestion and not block.edited
                          else HINTS["custom"] if block.custom else HINTS["draft"])
        texts = {name: f.text for name, f in block.fields.items()}
        self._show_fields(texts, "heading" if isinstance(block.block, Heading) else "paragraph")
        self.revert_button.setVisible(block.edited and not block.custom and not block.orphan)
        conflict = next((name for name, f in block.fields.items() if f.conflict), None)
        if block.orphan:
            conflict = "text"
        if conflict:
            fld = block.fields[conflict]
            self._conflict_field = conflict
            self.conflict_box.setVisible(True)
            self.mine.setPlainText(fld.text)
            self.theirs.setPlainText(fld.draft if not block.orphan else
                                     "（按最新数据起草的报告中已没有这一段：相关数据已不存在。"
                                     "“保留我的修改”把它作为自行添加的段落保留，“采用新草稿”则删除它。）")
            self.mine_label.setText("我的修改（当前使用）" if conflict == "text" else "我的小标题（当前使用）")
            self.theirs_label.setText("新草稿" if conflict == "text" else "新草稿的小标题")
            self.merge_button.setVisible(not block.orphan)
            # The left pane is the editor until the conflict is resolved.
            for w in (self.lead_label, self.lead_edit, self.text_label, self.text_edit, self.save_button,
                      self.revert_button):
                w.setVisible(False)
            self._shown = {}
        self._update_buttons()

    def _show_fields(self, texts: dict[str, str], mode: str) -> None:
        """Fill the editor: ``mode`` title (multi-line), heading (one line) or paragraph."""
        self._shown = dict(texts)
        self._mode = mode
        for w in (self.lead_edit, self.text_edit):
            w.blockSignals(True)
        if mode == "heading" or (mode == "paragraph" and "lead" in texts):
            self.lead_label.setText("标题" if mode == "heading" else "小标题（引领句）")
            self.lead_label.setVisible(True)
            self.lead_edit.setVisible(True)
            self.lead_edit.setText(texts["text"] if mode == "heading" else texts["lead"])
        if mode != "heading":
            self.text_label.setText("标题" if mode == "title" else "正文")
            self.text_label.setVisible(True)
            self.text_edit.setVisible(True)
            self.text_edit.setPlainText(texts["title"] if mode == "title" else texts.get("text", ""))
        for w in (self.lead_edit, self.text_edit):
            w.blockSignals(False)
            w.setReadOnly(self.readonly)
        self.save_button.setVisible(True)

    def _describe(self, block: BlockState, number: str) -> str:
        b = block.block
        if isinstance(b, Heading):
            return f"{['', '一级', '二级', '三级', '四级'][b.level]}标题　{number}{b.text}"
        if isinstance(b, Paragraph):
            return f"段落　{number}{b.lead or ''}".rstrip()
        if isinstance(b, Table):
            return "表格"
        if isinstance(b, Figure):
            return f"图　{b.caption}"
        if isinstance(b, Attachment):
            return f"{b.label}　{b.title}"
        if isinstance(b, Signature):
            return "落款"
        return block.kind

    @staticmethod
    def _not_editable(block: BlockState) -> str:
        if isinstance(block.block, Table):
            return "表格按数据生成，不能直接修改；可以删除，或在“附件”中取消这一附件。"
        if isinstance(block.block, Figure):
            return "趋势图在打印和导出时按数据绘制；可以删除，或在“附件”中取消这一附件。"
        if isinstance(block.block, Signature):
            return "落款单位取自“文件 ▸ 园区信息”；落款日期在上方设置。"
        if isinstance(block.block, Attachment):
            return "附件按数据生成；可在上方“附件”中选择要附上的内容。"
        return ""

    # --- editing ------------------------------------------------------------------------------
    def current_texts(self) -> dict[str, str]:
        """What the fields show now, by field name."""
        mode = getattr(self, "_mode", "")
        if mode == "title":
            return {"title": self.text_edit.toPlainText()}
        if mode == "heading":
            return {"text": self.lead_edit.text()}
        out = {"text": self.text_edit.toPlainText()} if "text" in self._shown else {}
        if "lead" in self._shown:
            out["lead"] = self.lead_edit.text()
        return out

    def is_dirty(self) -> bool:
        """True when the fields differ from what was shown."""
        return bool(self._shown) and self.current_texts() != self._shown

    def save(self) -> None:
        if self.key is not None and self.is_dirty():
            self.save_requested.emit(self.key, self.current_texts())

    def _merge(self) -> None:
        if self.key is not None and self._conflict_field:
            self.merge_requested.emit(self.key, self._conflict_field, self.mine.toPlainText())

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self.is_dirty() and not self.readonly)
        for b in (self.revert_button, self.keep_button, self.take_button, self.merge_button):
            b.setEnabled(not self.readonly)
