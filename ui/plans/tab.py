"""The 工作计划 tab: the selected year's plan as sections holding items."""

from __future__ import annotations

import datetime as _dt
from html import escape

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from parkdesk.numbers import month_range
from parkdesk.plan_progress import plan_view
from parkdesk.plans import STATUS_DONE, STATUS_LATE, PlanItem, ProgressNote

from ..loading import LoadingOverlay, Loader, ReloadsWhenShown
from .model import COL_TITLE, WIDTHS, KeyRole, PlanTreeModel, progress_tip


class PlansTab(ReloadsWhenShown, QWidget):
    """Sections and items of the year's plan; add, edit, reorder, remove, copy."""

    def __init__(self, ctx, ops, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.ops = ops
        self.today = _dt.date.today  # replaced in tests to fix "now"
        self.model = PlanTreeModel(self)
        self.model.move_requested.connect(self.drop_move)

        self.caption = QLabel()
        font = self.caption.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.caption.setFont(font)
        self.status_label = QLabel()
        self.status_label.setTextFormat(Qt.TextFormat.RichText)
        head = QHBoxLayout()
        head.addWidget(self.caption)
        head.addSpacing(16)
        head.addWidget(self.status_label, 1)

        # Each command is an action (context menu, keyboard) shown as a button too.
        self.actions_by_key: dict[str, QAction] = {}
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for key, text, tip, slot, keys in (
            ("add_section", "新增部分", "在计划末尾新增一个部分（大项）", self.add_section, None),
            ("add_item", "新增事项", "在所选部分中新增事项（Insert）", self.add_item, "Ins"),
            ("edit", "编辑", "编辑所选事项，或修改所选部分的标题（也可双击，F2）", self.edit_selected, "F2"),
            ("up", "上移", "把所选事项或部分上移一位，事项可移入上一部分（Ctrl+↑）",
             lambda: self.move_selected(-1), "Ctrl+Up"),
            ("down", "下移", "把所选事项或部分下移一位，事项可移入下一部分（Ctrl+↓）",
             lambda: self.move_selected(1), "Ctrl+Down"),
            ("remove", "删除", "删除所选事项或部分（Delete）", self.remove_selected, "Del"),
            ("done", "标记完成", "把所选事项标记为已完成（完成100%）", self.mark_done, None),
            ("copy", "复制到下一年", "把本年计划复制为下一年计划的初稿（不含进展和状态）", self.copy_to_next_year, None),
        ):
            action = QAction(text, self)
            action.setToolTip(tip)
            if keys:
                action.setShortcut(QKeySequence(keys))
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _=False, s=slot: s())
            button = QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(action.trigger)
            self.actions_by_key[key] = action
            self.buttons[key] = button
            bar.addWidget(button)
            if key in ("add_item", "remove", "done"):
                bar.addSpacing(12)
        bar.addStretch(1)

        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setUniformRowHeights(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setExpandsOnDoubleClick(False)
        self.view.setStyleSheet("QTreeView::item { padding: 4px 2px; }")
        self.view.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.header().setStretchLastSection(True)
        for col, width in enumerate(WIDTHS):
            self.view.setColumnWidth(col, width)
        self.view.doubleClicked.connect(lambda _i: self.edit_selected())
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for key, action in self.actions_by_key.items():
            self.view.addAction(action)
            if key in ("edit", "remove", "done"):
                separator = QAction(self)
                separator.setSeparator(True)
                self.view.addAction(separator)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())

        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        self.detail.document().setDefaultStyleSheet("p { margin: 2px 0; } ul { margin: 2px 0 2px -20px; }")
        self.empty_hint = QLabel()
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setStyleSheet("color: #555;")
        self.copy_previous_button = QPushButton()
        self.copy_previous_button.clicked.connect(lambda: self.copy_previous_year())
        self.empty_panel = QWidget()
        empty_layout = QVBoxLayout(self.empty_panel)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_hint)
        empty_layout.addWidget(self.copy_previous_button, 0, Qt.AlignmentFlag.AlignCenter)
        empty_layout.addStretch(2)
        self.note = QLabel()
        self.note.setStyleSheet("color: #666;")
        self.note.setWordWrap(True)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([600, 110])
        self.splitter = splitter

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(bar)
        layout.addWidget(self.empty_panel, 1)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.note)

        self.loader = Loader(ops, self)
        self.loader.loading_changed.connect(self._loading_changed)
        self.overlay = LoadingOverlay(self.splitter, "正在载入工作计划……")
        self._stale = True  # read on the worker when first shown
        self._select_after_load = None
        self.empty_panel.setVisible(False)
        self.note.setVisible(False)
        self.caption.setText(f"{ctx.year}年工作计划")
        ctx.data_changed.connect(self._reload_after_change)
        ctx.period_changed.connect(lambda *_: self._reload_after_change())
        ctx.desk_changed.connect(self.loader.invalidate)
        self._selection_changed()  # commands that need a plan or a selection are off until it is read

    # --- reading ------------------------------------------------------------------------------
    @property
    def desk(self):
        return self.ctx.desk

    def is_loaded(self) -> bool:
        """True when the plan on screen is the current one (nothing being read)."""
        return not self._stale and not self.loader.loading

    def _load(self) -> None:
        """Read the year's plan on the worker thread; show it unless something newer came."""
        year, month, today = self.ctx.year, self.ctx.month, self.today()
        self.caption.setText(f"{year}年工作计划")

        def read(desk):
            return plan_view(desk, year, as_of=today, through=month), desk.plans.has_plan(year - 1)

        def apply(result) -> None:
            view, has_previous = result
            self._show(view, year, month, today, has_previous)

        self.loader.start(read, apply)

    def _loading_changed(self, on: bool) -> None:
        failure = None if on else self.loader.failure
        self.overlay.setText(f"工作计划未能载入：{failure}" if failure else "正在载入工作计划……")
        if on or failure:
            self.splitter.setVisible(True)
            self.empty_panel.setVisible(False)
        self.overlay.set_shown(on or bool(failure))
        if on and self._stale:
            self.status_label.setText("正在载入……")
        elif failure:
            self.status_label.setText("")  # the overlay says what happened

    def refresh(self) -> None:
        """Reload the plan of the selected year now, keeping the selection."""
        year, month = self.ctx.year, self.ctx.month
        today = self.today()
        self.loader.invalidate()  # a reading in flight is older than this one
        view = plan_view(self.desk, year, as_of=today, through=month)
        self._show(view, year, month, today, None)

    def _show(self, view, year: int, month: int, today: _dt.date, has_previous: bool | None) -> None:
        key = self._select_after_load or self.selected_key()
        self._select_after_load = None
        self._stale = False
        self.model.load(view)
        self.view.expandAll()
        for row in range(self.model.rowCount()):
            self.view.setFirstColumnSpanned(row, QModelIndex(), True)
        self.caption.setText(f"{year}年工作计划")
        counts = view.status_counts()
        total = sum(counts.values())
        parts = [f"已完成 <b>{counts[STATUS_DONE]}</b>", f"推进中 <b>{counts['推进中']}</b>",
                 f"<span style='color:#b00020'>滞后 <b>{counts[STATUS_LATE]}</b></span>",
                 f"未开始 <b>{counts['未开始']}</b>"]
        self.status_label.setText(
            f"{len(view.sections)}个部分、{total}个事项：" + "　".join(parts) if view.sections else "")
        self.note.setText(
            f"目标进度按{year}年{month_range(month)}的指标数据和项目台账计算（时序进度{month / 12 * 100:.1f}%，"
            "悬停可看实际完成数）；"
            f"超过完成时限仍未完成的事项显示为红色“滞后”（以今天 {today.isoformat()} 为准）。"
            "可用“上移/下移”或拖动调整事项顺序。")
        self._show_empty_hint(year, has_previous)
        if key is not None:
            self.select(key)
        self._selection_changed()

    def _show_empty_hint(self, year: int, has_previous: bool | None = None) -> None:
        empty = not self.model.sections
        self.empty_panel.setVisible(empty)
        self.splitter.setVisible(not empty)
        self.note.setVisible(not empty)
        if empty:
            prev = self.desk.plans.has_plan(year - 1) if has_previous is None else has_previous
            self.empty_hint.setText(
                f"{year}年还没有工作计划。\n\n点击上方“新增部分”开始编写"
                + (f"，或把{year - 1}年的计划复制过来修改" if prev else "")
                + "；也可以从“数据 ▸ 导入 ▸ 工作计划”导入 Excel 表格。\n")
            self.copy_previous_button.setText(f"从{year - 1}年计划复制")
            self.copy_previous_button.setVisible(prev and not self.desk.readonly)

    def selected_index(self):
        indexes = self.view.selectionModel().selectedRows(COL_TITLE)
        return indexes[0] if indexes else None

    def selected_key(self):
        index = self.selected_index()
        return index.data(KeyRole) if index is not None else None

    def select(self, key) -> bool:
        index = self.model.find(key)
        if not index.isValid():
            if self.loader.loading:  # e.g. a section added while the plan is being read
                self._select_after_load = key
            return False
        self.view.selectionModel().select(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        return True

    def _selection_changed(self) -> None:
        index = self.selected_index()
        writable = not self.desk.readonly
        is_item = index is not None and not self.model.is_section(index)
        has_sections = bool(self.model.sections)
        enabled = {
            "add_section": writable,
            "add_item": writable and has_sections,
            "edit": writable and index is not None,
            "up": writable and index is not None,
            "down": writable and index is not None,
            "remove": writable and index is not None,
            "done": writable and is_item,
            "copy": writable and has_sections,
        }
        for key, on in enabled.items():
            self.actions_by_key[key].setEnabled(on)
            self.buttons[key].setEnabled(on)
        self._show_detail(index)

    def _show_detail(self, index) -> None:
        if index is None:
            self.detail.setHtml("<p style='color:#666'>选择一个事项，可在此查看内容、目标进度和进展记录。</p>")
            return
        if self.model.is_section(index):
            section = self.model.section_at(index)
            self.detail.setHtml(f"<p><b>{escape(section.title)}</b></p><p style='color:#666'>"
                                "双击或点“编辑”修改部分标题；点“新增事项”在此部分中添加事项。</p>")
            return
        v = self.model.item_view_at(index)
        it = v.item
        html = [f"<p><b>{escape(it.title)}</b>"]
        if v.overdue:
            html.append(f"　<span style='color:#b00020'>已超过完成时限（{it.deadline}），显示为滞后</span>")
        html.append("</p>")
        if it.content:
            html.append(f"<p>{escape(it.content)}</p>")
        if v.target is not None:
            html.append(f"<p>{escape(progress_tip(v)).replace(chr(10), '；')}</p>")
        notes = self.desk.plans.progress_notes(it.id)
        if notes:
            html.append("<p><b>进展记录</b></p><ul>")
            html += [f"<li>{n['noted_on']}　{escape(n['text'])}</li>" for n in reversed(notes)]
            html.append("</ul>")
        self.detail.setHtml("".join(html))

    # --- writing ------------------------------------------------------------------------------------
    def add_section(self, title: str | None = None) -> None:
        if title is None:
            title, ok = QInputDialog.getText(self, "新增部分", f"{self.ctx.year}年计划新增部分的标题\n"
                                             "（如：坚持锻长处、补短板，大力开展“六大行动”；编号由报告自动添加）：")
            if not ok:
                return
        ok, section = self.ops.write(lambda desk: desk.plans.add_section(self.ctx.year, title), parent=self)
        if ok:
            self.select(("section", section.id))

    def add_item(self) -> None:
        sections = self.desk.plans.sections(self.ctx.year)
        if not sections:
            QMessageBox.information(self, "新增事项", "请先新增一个部分，事项要放在某个部分中。")
            return
        current = self.model.section_at(self.selected_index()) if self.selected_index() is not None else None
        section_id = current.id if current is not None else sections[-1].id
        self._open_dialog(PlanItem(section_id=section_id, deadline=f"{self.ctx.year}-12-31"), [])

    def edit_selected(self) -> None:
        index = self.selected_index()
        if index is None:
            return
        if self.model.is_section(index):
            self.rename_section(self.model.section_at(index))
            return
        it = self.desk.plans.item(self.model.item_view_at(index).item.id)
        notes = [ProgressNote(n["id"], n["noted_on"], n["text"]) for n in self.desk.plans.progress_notes(it.id)]
        self._open_dialog(it, notes)

    def _open_dialog(self, item: PlanItem, notes: list[ProgressNote]) -> None:
        saved = {}

        def save(new_item, new_notes) -> bool:
            ok, result = self.ops.write(lambda desk: desk.plans.save_item(new_item, notes=new_notes), parent=dialog)
            if ok:
                saved["item"] = result
            return ok

        from .item_dialog import ItemDialog

        dialog = ItemDialog(self.desk, self.ctx.year, self.desk.plans.sections(self.ctx.year), item, notes, save,
                            today=self.today(), parent=self)
        self.last_dialog = dialog  # for tests
        dialog.exec()
        if "item" in saved:
            self.select(("item", saved["item"].id))

    def rename_section(self, section) -> None:
        title, ok = QInputDialog.getText(self, "修改部分标题", "部分标题：", text=section.title)
        if ok and title.strip() != section.title:
            self.ops.write(lambda desk: desk.plans.rename_section(section.id, title), parent=self)

    def move_selected(self, delta: int) -> None:
        key = self.selected_key()
        if key is None:
            return
        kind, ident = key
        if kind == "section":
            self.ops.write(lambda desk: desk.plans.move_section(ident, delta), parent=self)
        else:
            self.ops.write(lambda desk: desk.plans.move_item(ident, delta), parent=self)
        self.select(key)

    def drop_move(self, item_id: int, section_id: int, pos: int) -> None:
        """An item dropped at position ``pos`` of a section (-1: at its end)."""
        current = self.desk.plans.item(item_id)
        if current.section_id == section_id and pos >= 0:
            ids = [i.id for i in self.desk.plans.items(section_id)]
            if ids.index(item_id) < pos:
                pos -= 1  # the dropped position counted the item itself
        self.ops.write(lambda desk: desk.plans.move_item_to(item_id, section_id, None if pos < 0 else pos),
                       parent=self)
        self.select(("item", item_id))

    def remove_selected(self) -> None:
        index = self.selected_index()
        if index is None:
            return
        if self.model.is_section(index):
            section = self.model.section_at(index)
            n = len(self.model.sections[index.row()][1])
            question = (f"删除部分“{section.title}”？" if n == 0 else
                        f"部分“{section.title}”下还有 {n} 个事项（连同其进展记录）。\n确定连同这些事项一起删除吗？")
            if self._confirm("删除部分", question):
                self.ops.write(lambda desk: desk.plans.remove_section(section.id, with_items=True), parent=self)
            return
        v = self.model.item_view_at(index)
        extra = f"\n它的 {v.note_count} 条进展记录也将删除。" if v.note_count else ""
        if v.item.target_kind == "indicator":
            extra += f"\n该事项设定的“{v.target.name}”年度目标也将清除。" if v.target else ""
        if self._confirm("删除事项", f"删除事项“{v.item.title}”？{extra}"):
            self.ops.write(lambda desk: desk.plans.remove_item(v.item.id), parent=self)

    def mark_done(self) -> None:
        index = self.selected_index()
        if index is None or self.model.is_section(index):
            return
        item_id = self.model.item_view_at(index).item.id
        self.ops.write(lambda desk: desk.plans.set_status(item_id, STATUS_DONE), parent=self)

    def copy_to_next_year(self) -> None:
        self._copy(self.ctx.year, self.ctx.year + 1)

    def copy_previous_year(self) -> None:
        """Start an empty year from the previous year's plan."""
        self._copy(self.ctx.year - 1, self.ctx.year)

    def _copy(self, source: int, target: int) -> None:
        replace = False
        if self.desk.plans.has_plan(target):
            n_sec, n_items = self.desk.plans.plan_size(target)
            if not self._confirm("复制到下一年",
                                 f"{target}年已有工作计划（{n_sec}个部分、{n_items}个事项）。\n"
                                 f"用{source}年的计划替换它吗？{target}年现有的事项和进展记录将被删除。"):
                return
            replace = True
        ok, result = self.ops.write(lambda desk: desk.plans.copy_year(source, target, replace=replace), parent=self)
        if ok:
            n_sec, n_items = result
            hint = (f"\n请在上方把年份改为{target}年，修改目标和内容。" if target != self.ctx.year
                    else "\n请修改目标和内容。")
            QMessageBox.information(
                self, "复制计划",
                f"已把{source}年工作计划复制为{target}年计划（{n_sec}个部分、{n_items}个事项），"
                f"完成时限顺延一年，状态均为“未开始”。{hint}")

    def _confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

