"""The 报告 tab: the report of the selected period, drafted from the data, with
the clerk's edits; print preview, printing, Word and PDF export.

The text is drafted on a worker thread when the tab is shown (``Ops.read``, a
read-only connection; "正在起草报告……" meanwhile, see ``ui/loading.py``); a change
made while the tab is on screen is drafted again at once, so the clerk sees it
(a few tens of milliseconds on the demo: it reads the period summary only).
Anything with charts — preview, printing, exports — is
drafted again on the worker thread (``Ops.run``, its own connection), where the
charts are drawn and the file is written.
"""

from __future__ import annotations

import datetime as _dt
import html
from pathlib import Path

from PySide6.QtCore import QDate, QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from parkdesk.numbers import month_range
from parkdesk.report import editing
from parkdesk.report.attachments import ATTACHMENTS
from parkdesk.report.model import Heading, Paragraph
from parkdesk.report.state import TITLE_KEY, ReportState

from ..loading import LoadingOverlay, Loader, ReloadsWhenShown
from .editor import BlockEditor
from .outline_model import ConflictModel, KeyRole, OutlineModel

SECTION_LEVELS = ((1, "一级标题（一、）"), (2, "二级标题（（一））"), (3, "三级标题（1.）"), (4, "四级标题（（1））"))


UNSAVED_NOTE = "输入的文字未能保存，报告暂未按最新数据更新；请先解决保存问题（文字仍在编辑框中）。"

class ReportTab(ReloadsWhenShown, QWidget):
    """Outline and paragraphs of the period's report; edit, regenerate, print, export."""

    def __init__(self, ctx, ops, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.ops = ops
        self.state: ReportState | None = None
        self.today = _dt.date.today  # replaced in tests to fix "now"
        self._stale = True
        self._loading = False
        self._saving = False
        self.last_export: Path | None = None

        self.caption = QLabel()
        font = self.caption.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.caption.setFont(font)
        self.banner = QLabel()
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.setWordWrap(True)
        head = QHBoxLayout()
        head.addWidget(self.caption)
        head.addSpacing(16)
        head.addWidget(self.banner, 1)

        self.buttons: dict[str, QPushButton] = {}
        edit_bar = QHBoxLayout()
        for key, text, tip, slot in (
            ("regenerate", "重新生成", "按最新数据重新起草；您修改过的段落会保留，数据变化的会提示核对", self.regenerate),
            ("add_paragraph", "新增段落", "在所选内容之后新增一个段落", self.add_paragraph),
            ("add_section", "新增小节", "在所选内容之后新增一个标题", None),
            ("remove", "删除", "从报告中删除所选内容（可恢复）", self.remove_selected),
            ("restore", "恢复", "恢复已删除的内容", self.restore_selected),
        ):
            button = QPushButton(text)
            button.setToolTip(tip)
            if slot is not None:
                button.clicked.connect(lambda _=False, s=slot: s())
            self.buttons[key] = button
            edit_bar.addWidget(button)
        section_menu = QMenu(self)
        for level, label in SECTION_LEVELS:
            section_menu.addAction(label, lambda lv=level: self.add_section(lv))
        self.buttons["add_section"].setMenu(section_menu)
        edit_bar.addStretch(1)

        self.attachment_button = QToolButton()
        self.attachment_button.setText("附件与选项")
        self.attachment_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        options_menu = QMenu(self.attachment_button)
        self.option_actions: dict[str, QAction] = {}
        for key, title in ATTACHMENTS.items():
            action = options_menu.addAction(f"附件：{title}")
            action.setCheckable(True)
            action.toggled.connect(lambda on, k=key: self.set_attachment(k, on))
            self.option_actions[key] = action
        options_menu.addSeparator()
        for key, title in (("placeholders", "显示待填写的提示段落"), ("suggestions", "生成“存在的问题”建议")):
            action = options_menu.addAction(title)
            action.setCheckable(True)
            action.toggled.connect(lambda on, k=key: self.set_option(k, on))
            self.option_actions[key] = action
        self.attachment_button.setMenu(options_menu)
        edit_bar.addWidget(self.attachment_button)
        edit_bar.addSpacing(12)
        edit_bar.addWidget(QLabel("落款日期："))
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy年M月d日")
        self.date_edit.setDate(QDate.currentDate())
        self.date_edit.dateChanged.connect(lambda _d: self._date_changed())
        self.today_box = QCheckBox("当天")
        self.today_box.setToolTip("勾选：落款日期为打印或导出的当天")
        self.today_box.toggled.connect(lambda _on: self._date_changed())
        edit_bar.addWidget(self.date_edit)
        edit_bar.addWidget(self.today_box)

        out_bar = QHBoxLayout()
        for key, text, tip, slot in (
            ("preview", "打印预览", "按公文格式预览打印效果", self.print_preview),
            ("print", "打印…", "选择打印机打印报告", self.print_report),
            ("docx", "导出 Word…", "导出可编辑的 Word 文档（.docx）", lambda: self.export_docx()),
            ("pdf", "导出 PDF…", "导出 PDF 文件", lambda: self.export_pdf()),
        ):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(lambda _=False, s=slot: s())
            self.buttons[key] = button
            out_bar.addWidget(button)
        self.message = QLabel()
        self.message.setStyleSheet("color: #2f6f3e;")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        out_bar.addSpacing(12)
        out_bar.addWidget(self.message, 1)

        self.model = OutlineModel(self)
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setUniformRowHeights(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.header().setStretchLastSection(False)
        self.view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.view.selectionModel().currentRowChanged.connect(lambda cur, prev: self._selection_changed(prev))

        self.conflicts = ConflictModel(self)
        self.conflict_view = QListView()
        self.conflict_view.setModel(self.conflicts)
        self.conflict_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.conflict_view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.conflict_view.setToolTip("这些段落您修改过，但数据变化后新草稿已不同；点击逐一核对")
        self.conflict_view.clicked.connect(lambda index: self.select(index.data(KeyRole)))

        self.editor = BlockEditor()
        self.editor.save_requested.connect(self._save_texts)
        self.editor.revert_requested.connect(self.take_draft)
        self.editor.keep_requested.connect(self.keep_mine)
        self.editor.take_requested.connect(self.take_draft)
        self.editor.merge_requested.connect(self.merge)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.conflict_view)
        left_layout.addWidget(self.view, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 6)
        splitter.setSizes([560, 680])

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(edit_bar)
        layout.addLayout(out_bar)
        layout.addWidget(splitter, 1)

        self.splitter = splitter
        self.loader = Loader(ops, self)
        self.loader.loading_changed.connect(self._loading_changed)
        self.overlay = LoadingOverlay(splitter, "正在起草报告……")
        self._show_caption()
        self._update_actions()
        ctx.data_changed.connect(self._data_changed)
        ctx.period_changed.connect(lambda *_: self._data_changed())
        ctx.desk_changed.connect(self._data_changed)
        # Nothing is drafted here: the first show drafts on the worker.

    # --- reading ------------------------------------------------------------------------------
    @property
    def desk(self):
        return self.ctx.desk

    @property
    def period(self) -> tuple[int, int]:
        return self.ctx.year, self.ctx.month

    def _data_changed(self) -> None:
        # Text typed but not saved is kept before the report is drafted again
        # (for the period it was typed in, even when the period just changed).
        self._keep_typed()
        self._reload_after_change()

    def _keep_typed(self) -> None:
        """Save what is typed in the editor and not saved yet (a save is a change: it
        starts a newer draft). A save that fails leaves the text in the editor."""
        if not self._saving and not self._loading and self.editor.is_dirty() and self.state is not None:
            self._saving = True
            try:
                self.editor.save()
            finally:
                self._saving = False

    def is_loaded(self) -> bool:
        """True when the report on screen is drafted from the current data (nothing being drafted)."""
        return self.state is not None and not self._stale and not self.loader.loading

    def _load(self) -> None:
        """Draft the report on the worker thread; show it unless something newer came meanwhile."""
        year, month = self.period
        today = self.today()
        self._show_caption()

        def read(desk):
            from parkdesk.report.draft import build_state

            return build_state(desk, year, month, today=today)

        def apply(state) -> None:
            if self.editor.is_dirty() and self.state is not None:
                # Typed while the draft was made: keep it first; saving is a change,
                # which starts a newer draft, and this one is dropped.
                generation = self.loader.generation
                self._keep_typed()
                if self.loader.generation != generation:
                    return
                if self.editor.is_dirty():
                    # It could not be saved (the clerk was told why): showing this draft
                    # would replace the typed text, drafting again would fail the same way.
                    self._stale = True
                    self.message.setText(UNSAVED_NOTE)
                    return
            self._show_state(state)

        self.loader.start(read, apply)

    def _loading_changed(self, on: bool) -> None:
        failure = None if on else self.loader.failure
        self.overlay.setText(f"报告未能起草：{failure}" if failure else "正在起草报告……")
        self.overlay.set_shown(on or bool(failure))
        if on and self.state is None:
            self.banner.setText("正在按数据起草报告……")
        elif failure and self.state is None:
            self.banner.setText("")  # the overlay says what happened
        self._update_actions()

    def _show_caption(self) -> None:
        year, month = self.period
        self.caption.setText(f"{year}年{'年度工作总结' if month == 12 else month_range(month) + '工作情况汇报'}")

    def refresh(self) -> None:
        """Draft the period's report again now, from the data and the stored edits."""
        if self._loading:
            return
        from parkdesk.report.draft import build_state

        self.loader.invalidate()  # a draft in flight is older than this one
        year, month = self.period
        self._show_state(build_state(self.desk, year, month, today=self.today()))

    def _show_state(self, state: ReportState) -> None:
        if self._loading:
            return
        self._loading = True
        try:
            key = self.selected_key()
            self.state = state
            self._stale = False
            self.model.load(self.state)
            self.view.expandAll()
            self.conflicts.load(self.state, self.model.numbers)
            self.conflict_view.setVisible(bool(self.conflicts.items))
            rows = min(len(self.conflicts.items), 4)
            if rows:
                self.conflict_view.setFixedHeight(self.conflict_view.sizeHintForRow(0) * rows
                                                  + 2 * self.conflict_view.frameWidth() + 4)
            self._show_options()
            self._show_banner()
            self._update_actions()
            if key is None or not self.model.index_of(key).isValid():
                key = TITLE_KEY
            self.select(key, force=True)
        finally:
            self._loading = False

    def regenerate(self) -> None:
        """Draft again from the latest data (the 重新生成 button)."""
        self.refresh()
        count = len(self.state.conflicts()) if self.state else 0
        self.message.setText("已按最新数据重新生成。" + (f"有 {count} 处修改与新草稿不一致，请核对。" if count else ""))

    def _show_banner(self) -> None:
        s = self.state
        self.caption.setText(f"{s.year}年{'年度工作总结' if s.through == 12 else month_range(s.through) + '工作情况汇报'}")
        edited = sum(1 for b in s.blocks if b.edited and not b.custom and not b.placeholder)
        filled = sum(1 for b in s.blocks if b.placeholder and b.edited)
        todo = sum(1 for b in s.blocks if b.untouched_placeholder and not b.removed)
        added = sum(1 for b in s.blocks if b.custom and not b.removed)
        removed = sum(1 for b in s.blocks if b.removed)
        conflicts = len(s.conflicts())
        parts = [f"<span style='color:#a35200'>⚠ {html.escape(n)}</span>" for n in s.notices]
        if conflicts:
            parts.append(f"<span style='color:#b00020'><b>{conflicts}</b> 处修改与新草稿不一致，请逐一核对</span>")
        parts += [f"已修改 <b>{edited}</b> 段" if edited else "", f"已填写 <b>{filled}</b> 段" if filled else "",
                  f"自行添加 <b>{added}</b> 处" if added else "", f"已删除 <b>{removed}</b> 处" if removed else "",
                  f"<span style='color:#777'>{todo} 处待填写（不填写不打印）</span>" if todo else ""]
        self.banner.setText("　".join(p for p in parts if p) or "报告由数据自动起草，可直接修改任一段落。")

    def _show_options(self) -> None:
        options = self.state.options
        for key, action in self.option_actions.items():
            action.blockSignals(True)
            action.setChecked(key in options.attachments if key in ATTACHMENTS else bool(getattr(options, key)))
            action.blockSignals(False)
        day = options.signature_day(self.today())
        for w in (self.date_edit, self.today_box):
            w.blockSignals(True)
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        self.today_box.setChecked(options.signature_date is None)
        self.date_edit.setEnabled(options.signature_date is not None and not self.desk.readonly)
        for w in (self.date_edit, self.today_box):
            w.blockSignals(False)

    def _update_actions(self) -> None:
        readonly = self.desk.readonly
        block = self.selected_block()
        for key in ("add_paragraph", "add_section"):
            self.buttons[key].setEnabled(not readonly and self.state is not None)
        self.buttons["remove"].setEnabled(not readonly and block is not None and not block.removed
                                          and block.key not in ("signature",))
        self.buttons["restore"].setEnabled(not readonly and block is not None and block.removed)
        drafted = self.state is not None  # the options are shown once the report is drafted
        self.attachment_button.setEnabled(not readonly and drafted)
        self.today_box.setEnabled(not readonly and drafted)
        if not drafted:
            self.date_edit.setEnabled(False)
        self.editor.readonly = readonly

    # --- selection ---------------------------------------------------------------------------
    def selected_key(self) -> str | None:
        return self.model.key_at(self.view.currentIndex())

    def selected_block(self):
        key = self.selected_key()
        return self.state.find(key) if self.state is not None and key else None

    def select(self, key: str | None, *, force: bool = False) -> None:
        """Select the block ``key`` in the outline and show it in the editor."""
        index = self.model.index_of(key) if key else None
        if index is None or not index.isValid():
            return
        if index == self.view.currentIndex() and force:
            self._show_selected()
        else:
            self.view.setCurrentIndex(index)
        self.view.scrollTo(index)

    def _selection_changed(self, previous) -> None:
        # Leaving a paragraph keeps what was typed in it.
        if not self._loading and self.editor.is_dirty() and self.editor.key is not None:
            key = self.editor.key
            texts = self.editor.current_texts()
            target = self.selected_key()
            self._save_texts(key, texts)
            if target is not None:
                self.select(target, force=True)
            return
        self._show_selected()

    def _show_selected(self) -> None:
        key = self.selected_key()
        self.editor.readonly = self.desk.readonly
        self.editor.show_block(self.state, key, self.model.numbers.get(key or "", ""))
        self._update_actions()

    # --- editing -----------------------------------------------------------------------------
    def _write(self, fn) -> bool:
        ok, _result = self.ops.write(fn, parent=self)
        if ok and self._stale:
            self.refresh()  # the write's data_changed marks us stale while hidden
        return ok

    def _save_texts(self, key: str, texts: dict) -> None:
        state = self.state
        if self._write(lambda desk: editing.save_texts(desk, state, key, texts)):
            self.message.setText("已保存修改。")

    def save_current(self) -> None:
        """Save what the editor shows for the selected block."""
        self.editor.save()

    def keep_mine(self, key: str | None = None) -> None:
        """Resolve the conflict of ``key`` (default: selected) by keeping the clerk's text."""
        key = key or self.selected_key()
        state = self.state
        if key and self._write(lambda desk: editing.keep_mine(desk, state, key)):
            self.message.setText("已保留您的修改。")

    def take_draft(self, key: str | None = None) -> None:
        """Use today's draft for ``key`` (resolves a conflict, or undoes an edit)."""
        key = key or self.selected_key()
        state = self.state
        if key == TITLE_KEY:
            self._write(lambda desk: desk.reports.discard_edit(state.year, state.through, TITLE_KEY))
        elif key and self._write(lambda desk: editing.take_draft(desk, state, key)):
            self.message.setText("已改用按数据起草的文字。")

    def merge(self, key: str, field: str, text: str) -> None:
        """Resolve a conflict with the merged text the clerk wrote."""
        state = self.state
        if self._write(lambda desk: editing.merge(desk, state, key, field, text)):
            self.message.setText("已保存合并后的文字。")

    def add_paragraph(self, text: str = "") -> str | None:
        """Add the clerk's own paragraph after the selected block and select it."""
        return self._add(0, text)

    def add_section(self, level: int, text: str = "") -> str | None:
        """Add the clerk's own heading of ``level`` after the selected block and select it."""
        return self._add(level, text)

    def _add(self, level: int, text: str) -> str | None:
        if self.state is None:  # still being drafted
            return None
        self.editor.save()
        after = self.selected_key()
        if after in (None, TITLE_KEY):
            after = "opening"
        state = self.state
        created: list[str] = []
        if self._write(lambda desk: created.append(editing.add_block(desk, state, after, level=level, text=text))):
            self.select(created[0], force=True)
            (self.editor.lead_edit if level else self.editor.text_edit).setFocus()
            return created[0]
        return None

    def remove_selected(self) -> None:
        """Remove the selected block from the report (restorable)."""
        self._set_removed(True)

    def restore_selected(self) -> None:
        """Restore the selected removed block."""
        self._set_removed(False)

    def _set_removed(self, removed: bool) -> None:
        key = self.selected_key()
        if key in (None, TITLE_KEY, "signature"):
            return
        state = self.state
        if self._write(lambda desk: editing.set_removed(desk, state, key, removed)):
            block = self.state.find(key)
            under = block is not None and isinstance(block.block, (Heading, Paragraph)) and block.level
            self.message.setText(("已删除" + ("（连同其下内容）" if under else "") + "，可点击“恢复”找回。")
                                 if removed else "已恢复。")

    # --- options -------------------------------------------------------------------------------
    def _save_options(self, change) -> None:
        year, month = self.period

        def write(desk):
            options = desk.reports.options(year, month)
            change(options)
            desk.reports.save_options(year, month, options)

        self._write(write)

    def set_attachment(self, key: str, on: bool) -> None:
        """Include or leave out one attachment."""
        def change(options):
            chosen = [k for k in options.attachments if k != key]
            if on:
                chosen.append(key)
            options.attachments = [k for k in ATTACHMENTS if k in chosen]
        self._save_options(change)

    def set_option(self, name: str, on: bool) -> None:
        """Turn the placeholders or the problem suggestions on or off."""
        self._save_options(lambda options: setattr(options, name, bool(on)))

    def set_signature_date(self, day: _dt.date | None) -> None:
        """The date under the signature (None: the day of printing or export)."""
        self._save_options(lambda options: setattr(options, "signature_date", day.isoformat() if day else None))

    def _date_changed(self) -> None:
        if self.today_box.isChecked():
            self.set_signature_date(None)
        else:
            self.set_signature_date(self.date_edit.date().toPython())

    # --- output -------------------------------------------------------------------------------
    def confirm_conflicts(self, what: str) -> bool:
        """Ask before printing or exporting while edits answer an older draft (True: go on)."""
        lines = self.state.conflict_labels() if self.state is not None else []
        if not lines:
            return True
        shown = "\n".join(f"· {line}" for line in lines[:5]) + ("\n……" if len(lines) > 5 else "")
        answer = QMessageBox.question(
            self, "报告", f"有 {len(lines)} 处您修改过的段落，数据变化后按最新数据起草的文字已不同：\n{shown}\n\n"
                        f"{what}的仍是您修改的文字。是否继续{what}？\n（选“否”可先在左侧列表中逐一核对）",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _go_ahead(self, what: str) -> bool:
        self.editor.save()
        if self.editor.is_dirty():
            # Not saved (the clerk was just told why): drafting now would replace the typed
            # text, and the file would not have it.
            self.message.setText(f"输入的文字未能保存，已取消{what}；请先解决保存问题（文字仍在编辑框中）。")
            return False
        if not self.is_loaded():
            # From the 报告 menu the tab may never have been shown (or be drafting): the
            # question about conflicts needs the draft of the current data.
            self.refresh()
        if self.confirm_conflicts(what):
            return True
        self.message.setText(f"已取消{what}，请先核对与新草稿不一致的段落。")
        return False

    def _job(self, label: str, make, on_done) -> None:
        """Draft with charts on the worker thread, then ``make(desk, document, progress)``."""
        self.editor.save()
        year, month = self.period
        today = self.today()

        def job(desk, progress):
            from parkdesk.report.draft import draft_report

            document = draft_report(desk, year, month, today=today,
                                    progress=lambda m, f: progress(m, f * 0.6))
            return make(document, lambda m, f: progress(m, 0.6 + 0.4 * f))

        self.ops.run(label, job, changes_data=False, on_done=on_done, parent=self)

    def print_preview(self) -> None:
        """Show the print preview of the report (drafted with its charts off the UI thread)."""
        from . import printing

        if self._go_ahead("预览"):
            self._job("正在准备打印预览……", lambda doc, _p: doc, lambda doc: printing.print_preview(doc, self))

    def print_report(self) -> None:
        """Choose a printer and print the report."""
        from . import printing

        if self._go_ahead("打印"):
            self._job("正在准备打印……", lambda doc, _p: doc, lambda doc: printing.print_document(doc, self))

    def _ask_path(self, title: str, suffix: str, kind: str) -> Path | None:
        settings = QSettings()
        folder = settings.value("report/export_folder", str(Path.home()))
        name = (self.state.title.text.replace("\n", "") if self.state else "报告") + suffix
        chosen, _ = QFileDialog.getSaveFileName(self, title, str(Path(folder) / name), f"{kind} (*{suffix})")
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        settings.setValue("report/export_folder", str(path.parent))
        return path

    def export_docx(self, path=None) -> None:
        """Export the report as a Word document (asks for the file when ``path`` is None)."""
        if not self._go_ahead("导出"):
            return
        path = Path(path) if path else self._ask_path("导出 Word 文档", ".docx", "Word 文档")
        if path is None:
            return
        from parkdesk.report.docx_writer import write_docx

        self._job("正在导出 Word 文档……", lambda doc, progress: write_docx(doc, path, progress=progress) or path,
                  lambda _r: self._exported(path, "Word 文档"))

    def export_pdf(self, path=None) -> None:
        """Export the report as PDF, drawn by Qt (asks for the file when ``path`` is None)."""
        if not self._go_ahead("导出"):
            return
        path = Path(path) if path else self._ask_path("导出 PDF", ".pdf", "PDF 文件")
        if path is None:
            return
        from .pdf import render_pdf

        self._job("正在导出 PDF……", lambda doc, progress: render_pdf(doc, path, progress) or path,
                  lambda _r: self._exported(path, "PDF"))

    def _exported(self, path: Path, what: str) -> None:
        self.last_export = path
        self.message.setText(f"已导出{what}：{path}")
