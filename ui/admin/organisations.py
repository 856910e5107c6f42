"""组织机构: the organisation directory cases are transferred and assigned to — list, find, add, change, retire.

The list shows every organisation in words (name, kind, region, superior, what it handles, in use
or retired since when); 查找 finds one by its name, an earlier name or pinyin initials. The form
on the right adds one or changes the selected one; 撤销机构 retires it after a question (its
cases keep its name; new routing no longer offers it) and 恢复使用 puts it back. The rules are
the service's (``desktop/services/organisations.py``); this screen shows its refusals next to the
field they name. On a desk that syncs, the directory is the server's: the administrator types
their own password (checked by the server with each request, never kept here) and reads and
edits the server's directory, which every device takes at its next sync.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.calendar import stamp_in_words
from desktop.domain.errors import ValidationError
from desktop.domain.routing import MAX_ORG_ADDRESS, MAX_ORG_NAME, MAX_ORG_PHONE, OrgKind
from ui.common.choice import Choice, ChoiceBox
from ui.common.widgets import (
    EnterMovesOn,
    FormGrid,
    MessageRoom,
    RefreshingPanel,
    ServerPasswordRow,
    ask,
    label,
    message_label,
    read_only_table,
    secondary_button,
    set_tone,
    stamp_words,
)
from ui.shell.context import WorkContext
from ui.shell.errors import user_message
from ui.shell.tasks import Executor

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    from desktop.domain.access import Actor
    from desktop.services.changes import Changes
    from desktop.services.context import Hall
    from desktop.services.organisations import DirectoryEntry, DirectoryListing, OrganisationForm

RETIRED = QColor("#8a8a8a")
HINT = ("转送、交办的接收单位从这里选择。单位撤销或合并时请“撤销机构”：已转交它的事项和已出具的文书保留原名称，"
        "新的转送、交办不再列出它。单位更名直接修改名称：原名称作为曾用名保留，仍可按原名称查找。")


@dataclass(frozen=True)
class _Lists:
    regions: list[Choice]
    topics: list[Choice]


def _lists(_hall: Hall) -> _Lists:
    from desktop.domain.identity import name_search_keys
    from desktop.services.reference import load_regions, topic_choices

    regions = load_regions()
    return _Lists([Choice(r.code, regions.full_name(r.code), tuple(name_search_keys(r.name))) for r in regions],
                  [Choice(t.code, t.name, t.keys) for t in topic_choices()])


@dataclass(frozen=True)
class _Way:
    """Who changes the directory, and where: here, or on the server with the administrator's password."""

    actor: Actor
    login: str
    password: str
    on_server: bool


def _change(hall: Hall, way: _Way, what: str, wanted: OrganisationForm | str, new: bool = False) -> DirectoryEntry:
    """One change (``wanted``: the form to save, or the code to retire or put back), here or on the server."""
    from desktop.services import organisations
    from desktop.services.organisations import OrganisationForm

    if way.on_server:
        from desktop.sync import directory

        if isinstance(wanted, OrganisationForm):
            return directory.save_server_organisation(hall, way.login, way.password, wanted, new=new)
        return directory.change_server_organisation(hall, way.login, way.password, wanted, what)
    if isinstance(wanted, OrganisationForm):
        return organisations.save_organisation(hall, way.actor, wanted, new=new)
    if what == "retire":
        return organisations.retire_organisation(hall, way.actor, wanted)
    return organisations.reinstate_organisation(hall, way.actor, wanted)


def _message(error: BaseException, doing: str) -> str:
    """The refusal in words: the server's refusal of a change is the service's words (not a sync's failure)."""
    import re

    from server.protocol import SyncProblem

    if not isinstance(error, SyncProblem):
        return user_message(error, doing)
    refused = re.fullmatch(r"服务器没有接受本机的数据：(.*)（代码 4\d\d）", error.message, re.DOTALL)
    return f"服务器没有保存：{refused.group(1)}" if refused and error.kind == "refused" else error.message


class OrganisationsPanel(RefreshingPanel):
    """组织机构 (see the module's docstring)."""

    COLUMNS = ("名称", "类型", "所在区划", "上级机构", "状态", "受理事项")  # the last, the longest, takes the room left
    refreshed = Signal()
    saved = Signal(object)  # the DirectoryEntry as stored

    def __init__(self, ctx: WorkContext) -> None:
        super().__init__()
        self.ctx, self.actor = ctx, ctx.actor
        self.tasks = ctx.group(self)
        self.on_server = bool(ctx.settings.server_url.strip())
        self.entries: list[DirectoryEntry] = []
        self.editable = False
        self.lists: _Lists | None = None
        self._editing = ""  # the code of the organisation in the form ("" : a new one)
        self._dirty = False
        self._loaded: OrganisationForm | None = None  # the form as last filled: what differs is unsaved
        self.question: QMessageBox | None = None

        self.source = label("正在读取……", "subtitle")
        self.notice = message_label()
        self.notice.setWordWrap(True)
        self.server_row = ServerPasswordRow("机构目录", self.refresh)
        self.password, self.load_button = self.server_row.password, self.server_row.load_button
        self.server_row.setVisible(self.on_server)

        self.finder = ChoiceBox("查找机构：输入名称、曾用名或拼音首字母")
        self.finder.picked.connect(self._found)
        self.add_button = secondary_button("新增机构")
        self.add_button.clicked.connect(self.start_new)
        find_row = QHBoxLayout()
        find_row.addWidget(self.finder, 1)
        find_row.addWidget(self.add_button)
        self.table = read_only_table(self.COLUMNS)
        self.table.itemSelectionChanged.connect(self._selected)
        viewport = self.table.viewport()
        assert viewport is not None
        viewport.installEventFilter(self)

        self.code = QLineEdit()
        self.code.setMaxLength(32)
        self.code.setPlaceholderText("如 330726-JTY（区划代码-简称字母），保存后不能修改")
        self.name = QLineEdit()
        self.name.setMaxLength(MAX_ORG_NAME + 20)  # longer is refused in words, not cut off unseen
        self.name.setPlaceholderText("全称，如 浦江县教育体育局")
        self.kind = QComboBox()
        self.kind.addItem("请选择", "")
        for kind in OrgKind:
            self.kind.addItem(kind.value, kind.value)
        self.region = ChoiceBox("输入区划名称或拼音首字母，如 浦江县、pjx")
        self.parent_unit = ChoiceBox("不填即无上级；输入名称或拼音首字母查找")
        self.topic = ChoiceBox("分类名称或关键词")
        self.add_topic = secondary_button("添加")
        self.add_topic.clicked.connect(self._add_topic)
        self.topic.committed.connect(self._add_topic)
        topic_row = QHBoxLayout()
        topic_row.setContentsMargins(0, 0, 0, 0)
        self.remove_topic = secondary_button("移除所选")
        self.remove_topic.clicked.connect(self._remove_topic)
        topic_row.addWidget(self.topic, 1)
        topic_row.addWidget(self.add_topic)
        topic_row.addWidget(self.remove_topic)
        topic_pick = QWidget()
        topic_pick.setLayout(topic_row)
        self.topics = QListWidget()
        self.topics.setFlow(QListWidget.Flow.LeftToRight)  # 教育  政法/治安 …: side by side, wrapping
        self.topics.setWrapping(True)
        self.topics.setSpacing(3)
        self.topics.setFixedHeight(50)
        self.topics.setToolTip("双击或选中后按 Delete 移除")
        remove = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.topics)
        remove.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove.activated.connect(self._remove_topic)
        self.topics.itemDoubleClicked.connect(lambda item: self.topics.takeItem(self.topics.row(item)))
        self.address = QLineEdit()
        self.address.setMaxLength(MAX_ORG_ADDRESS + 20)
        self.phone = QLineEdit()
        self.phone.setMaxLength(MAX_ORG_PHONE + 10)
        self.reception_place = QLineEdit()
        self.reception_place.setMaxLength(MAX_ORG_ADDRESS + 20)
        self.reception_place.setPlaceholderText("如 县人力社保局来访接待室（告知书上写明）")
        self.former = label("", "hint")
        self.former.setWordWrap(True)

        self.form_box = QGroupBox("新增机构")
        grid = FormGrid()
        grid.setVerticalSpacing(8)
        grid.add_row("机构代码", self.code)
        grid.add_row("名称", self.name)
        grid.add_row("机构类型", self.kind)
        grid.add_row("所在区划", self.region)
        grid.add_row("上级机构", self.parent_unit)
        grid.add_row("受理事项", topic_pick)
        grid.add_row("", self.topics)
        grid.add_row("地址", self.address)
        grid.add_row("电话", self.phone)
        grid.add_row("接待场所", self.reception_place)
        fields = QWidget()
        rows = QVBoxLayout(fields)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.addLayout(grid)
        rows.addStretch(1)  # a tall screen: the fields stay together at the top
        scroll = QScrollArea()  # on a low screen the fields scroll; the buttons below stay in sight
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(fields)
        self.save_button = QPushButton("保存")
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        self.retire_button = secondary_button("撤销机构")
        self.retire_button.clicked.connect(self.retire_or_reinstate)
        self.message = message_label()
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.retire_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        form = QVBoxLayout(self.form_box)
        form.addWidget(scroll, 1)
        form.addWidget(self.former)
        form.addLayout(buttons)
        form.addWidget(MessageRoom(self.message))  # 保存 stays where it is as a message comes and goes
        self.form_box.setMinimumWidth(470)
        self.form_box.setMaximumWidth(600)
        for box in (self.kind, self.region, self.parent_unit, self.topic):  # the form's width, not the longest entry's
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(8)
        self._fields: dict[str, QWidget] = {
            "code": self.code, "name": self.name, "kind": self.kind, "region_code": self.region,
            "parent_code": self.parent_unit, "topic_codes": self.topic, "address": self.address, "phone": self.phone,
            "reception_place": self.reception_place}

        left = QVBoxLayout()
        left.addLayout(find_row)
        left.addWidget(self.table, 1)
        both = QHBoxLayout()
        both.addLayout(left, 1)
        both.addWidget(self.form_box)
        hint = label(HINT, "hint")
        hint.setWordWrap(True)
        self.source.setWordWrap(False)
        top = QHBoxLayout()
        top.addWidget(self.source, 1)
        top.addWidget(self.server_row)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addLayout(both, 1)
        self.keys = EnterMovesOn(self, [self.code, self.name, self.kind, self.region, self.parent_unit, self.topic,
                                        self.address, self.phone, self.reception_place], self.save)
        self.tasks.busy_changed.connect(lambda _busy: self._enable())
        ctx.tasks.changed.connect(self._changed)
        self.new()
        self.refresh()

    # -- reading ---------------------------------------------------------------------------------

    @property
    def login(self) -> str:
        return self.actor.actor_id.removeprefix("staff:")

    def _changed(self, changes: Changes) -> None:
        if changes.reference:
            self.refresh_when_seen()

    def refresh(self) -> None:
        if self.tasks.busy:
            self._dirty = True
            return
        self._dirty = self._stale = False
        actor, login, password, on_server, lists = self.actor, self.login, self.password.text(), self.on_server, \
            self.lists

        def read(hall: Hall) -> tuple[DirectoryListing | None, _Lists]:
            from desktop.services import organisations

            wanted = lists or _lists(hall)
            if not on_server:
                return organisations.directory_listing(hall, actor), wanted
            if not password:
                return None, wanted
            from desktop.sync.directory import server_directory

            return server_directory(hall, login, password), wanted

        self.tasks.run(read, self._read, self._read_failed,
                       executor=Executor.DEVICES if on_server and password else Executor.DATABASE)

    def _read_failed(self, error: BaseException) -> None:
        set_tone(self.notice, "error", _message(error, "读取机构目录"))
        if self.on_server:
            self._show(None)
        self.refreshed.emit()

    def _read(self, read: tuple[DirectoryListing | None, _Lists]) -> None:
        listing, lists = read
        if self.lists is None:
            self.lists = lists
            self.region.set_choices(lists.regions)
            self.topic.set_choices(lists.topics)
        if listing is None:
            set_tone(self.notice, "notice", "本机与中心服务器同步：请输入本人登录密码，读取并修改服务器上的机构目录，"
                                            "各设备下次同步时更新")
        elif self.on_server:
            set_tone(self.notice, "notice", "以下是服务器上的机构目录，保存即改在服务器上，各设备下次同步时更新")
        elif not listing.editable:
            set_tone(self.notice, "notice", listing.why_not)
        else:
            set_tone(self.notice, "", "")
        self._show(listing)
        if self._dirty:
            self.refresh()
            return
        self.refreshed.emit()

    def _show(self, listing: DirectoryListing | None) -> None:
        self.entries = listing.entries if listing is not None else []
        self.editable = listing is not None and listing.editable
        in_use = sum(1 for e in self.entries if e.active)
        if listing is None:
            source = ""
        elif not self.on_server:
            source = listing.source
        elif listing.changed_at:
            source = f"服务器上的机构目录（{stamp_words(listing.changed_at)} 修改）"
        else:
            source = "服务器上的机构目录（随程序提供的示例）"
        self.source.setText(f"{source}：在用 {in_use} 个，已撤销 {len(self.entries) - in_use} 个" if source else "")
        self.finder.set_choices([Choice(e.code, e.name if e.active else f"{e.name}（已撤销）", e.keys)
                                 for e in self.entries])
        self.parent_unit.set_choices([Choice(e.code, e.name, e.keys) for e in self.entries
                                      if e.active or e.code == self._parent_kept()])
        chosen = self._editing
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.entries))
        for index, entry in enumerate(self.entries):
            values = (entry.name, entry.kind, entry.region_name, entry.parent_name or "—", entry.state,
                      "、".join(entry.topic_names) or "—")
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if not entry.active:
                    item.setForeground(RETIRED)
                if column == 0 and entry.former_names:
                    item.setToolTip("曾用名：" + "、".join(entry.former_names))
                elif column in (3, 5) and value != "—":  # cut short in a narrow list: the whole on pointing
                    item.setToolTip(value)
                self.table.setItem(index, column, item)
            if entry.code == chosen:
                self.table.selectRow(index)
        self.table.blockSignals(False)
        self._fit_columns()
        shown = self._entry(chosen) if chosen else None
        if shown is not None and not self.unsaved():  # what the administrator is typing stays
            self._fill(shown)
        self._enable()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():  # the list's own width: the
            self._fit_columns()  # panel's is set once, while its tab is hidden and the list still narrow
        return super().eventFilter(watched, event)

    def _fit_columns(self) -> None:
        """Every column as wide as what it holds while the list has the room (1920×1080); short of it (1366×768)
        名称, 所在区划 and 上级机构 are capped (the whole name is in the form and the tooltip). 受理事项 takes the
        room left, cut with …: sized to its longest list it pushed the list sideways, 名称 out of sight."""
        table, header = self.table, self.table.horizontalHeader()
        if not table.rowCount():
            return
        last = len(self.COLUMNS) - 1
        header.setStretchLastSection(False)  # (a stretched last column kept its old width: see fit_columns)
        table.resizeColumnsToContents()
        wanted = sum(table.columnWidth(c) for c in range(last)) + min(table.columnWidth(last), 200)
        if wanted > table.viewport().width():
            for column, widest in ((0, 220), (2, 120), (3, 170)):
                table.setColumnWidth(column, min(table.columnWidth(column), widest))
        table.setColumnWidth(last, 80)
        header.setStretchLastSection(True)

    def _parent_kept(self) -> str:
        entry = self._entry(self._editing)
        return entry.parent_code if entry is not None else ""

    def _entry(self, code: str) -> DirectoryEntry | None:
        return next((e for e in self.entries if e.code == code), None)

    def _found(self, code: str) -> None:
        if not code:
            return
        for index, entry in enumerate(self.entries):
            if entry.code == code:
                self.table.selectRow(index)
                self.table.scrollTo(self.table.model().index(index, 0))
                return

    def _selected(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.entries) or not self.table.selectionModel().hasSelection():
            return
        entry = self.entries[row]
        if entry.code != self._editing:
            self._leave(lambda: self.edit(entry), self._select_editing)

    def _select_editing(self) -> None:
        """The list's selection back on the organisation in the form (none for a new one)."""
        self.table.blockSignals(True)
        index = next((i for i, e in enumerate(self.entries) if e.code == self._editing), -1)
        if index >= 0:
            self.table.selectRow(index)
        else:
            self.table.clearSelection()
        self.table.blockSignals(False)

    def unsaved(self) -> bool:
        """The form holds something typed and not saved."""
        return self._loaded is not None and self.form() != self._loaded

    def _leave(self, go: Callable[[], None], back: Callable[[], None]) -> None:
        """Leave the form for another organisation (``go``), asking first when something typed would be lost."""
        if not self.unsaved():
            go()
            return
        self.question, _go = ask(self, "未保存的修改", "放弃表单中尚未保存的修改？", go="放弃修改", stay="继续修改",
                                 on_go=go, on_stay=back,
                                 detail="名称、区划等已改动但还没有保存；选“继续修改”回到表单，改好后点“保存”。")

    def start_new(self) -> None:
        """新增机构: an empty form, asking first when something typed would be lost."""
        self._leave(self.new, self._select_editing)

    # -- the form --------------------------------------------------------------------------------

    def edit(self, entry: DirectoryEntry) -> None:
        """Put ``entry`` in the form to change it."""
        self._editing = entry.code
        self.form_box.setTitle(f"修改“{entry.name}”")
        self._fill(entry)
        self._say("", "")
        self._enable()

    def _fill(self, entry: DirectoryEntry) -> None:
        self.code.setText(entry.code)
        self.name.setText(entry.name)
        self.kind.setCurrentIndex(max(self.kind.findData(entry.kind), 0))
        self.region.set_code(entry.region_code)
        self.parent_unit.set_code(entry.parent_code)
        self.topics.clear()
        for code, name in zip(entry.topic_codes, entry.topic_names, strict=True):
            self._list_topic(code, name)
        self.address.setText(entry.address)
        self.phone.setText(entry.phone)
        self.reception_place.setText(entry.reception_place)
        words = []
        if entry.former_names:
            words.append("曾用名：" + "、".join(entry.former_names))
        if not entry.active:
            words.append(f"已于{stamp_in_words(entry.retired)}撤销：新的转送、交办不再列出它，已转交的事项保留它的名称")
        self.former.setText("；".join(words))
        self.former.setVisible(bool(words))
        self._loaded = self.form()

    def new(self) -> None:
        """An empty form for a new organisation."""
        self._editing = ""
        self.table.clearSelection()
        self.form_box.setTitle("新增机构")
        for field in (self.code, self.name, self.address, self.phone, self.reception_place):
            field.clear()
        self.kind.setCurrentIndex(0)
        self.region.set_code("")
        self.parent_unit.set_code("")
        self.topic.set_code("")
        self.topics.clear()
        self.former.hide()
        self._loaded = self.form()
        self._say("", "")
        self._enable()
        self.code.setFocus()

    def _list_topic(self, code: str, name: str) -> None:
        if any(self.topics.item(i).data(Qt.ItemDataRole.UserRole) == code for i in range(self.topics.count())):
            return
        item = QListWidgetItem(name)
        item.setData(Qt.ItemDataRole.UserRole, code)
        self.topics.addItem(item)

    def _add_topic(self) -> None:
        code = self.topic.code()
        if not code:
            if self.topic.currentText().strip():
                self._say("请从列表中选择内容分类（可输入名称或关键词查找）", "error")
            return
        self._list_topic(code, self.topic.currentText())
        self.topic.set_code("")
        self._say("", "")

    def _remove_topic(self) -> None:
        for item in self.topics.selectedItems():
            self.topics.takeItem(self.topics.row(item))

    def form(self) -> OrganisationForm:
        from desktop.services.organisations import OrganisationForm

        return OrganisationForm(
            code=self.code.text(), name=self.name.text(), kind=str(self.kind.currentData() or ""),
            region_code=self.region.code(), parent_code=self.parent_unit.code(),
            topic_codes=tuple(str(self.topics.item(i).data(Qt.ItemDataRole.UserRole))
                              for i in range(self.topics.count())),
            address=self.address.text(), phone=self.phone.text(), reception_place=self.reception_place.text())

    def _enable(self) -> None:
        editable, idle = self.editable, not self.tasks.busy
        for widget in (self.name, self.kind, self.region, self.parent_unit, self.topic, self.add_topic, self.topics,
                       self.remove_topic, self.address, self.phone, self.reception_place, self.add_button):
            widget.setEnabled(editable)
        self.code.setEnabled(editable and not self._editing)  # a code is kept: cases and devices name it
        self.save_button.setEnabled(editable and idle)
        entry = self._entry(self._editing)
        self.retire_button.setVisible(entry is not None)
        self.retire_button.setEnabled(editable and idle)
        self.retire_button.setText("恢复使用" if entry is not None and not entry.active else "撤销机构")
        self.load_button.setEnabled(idle)

    def _say(self, text: str, tone: str) -> None:
        set_tone(self.message, tone, text)

    # -- changing --------------------------------------------------------------------------------

    def save(self) -> None:
        if self.tasks.busy or not self.editable:
            return
        for box, what in ((self.region, "所在区划"), (self.parent_unit, "上级机构")):
            if box.currentText().strip() and not box.code():
                self._say(f"请从列表中选择{what}（可输入名称或拼音首字母查找）", "error")
                box.setFocus()
                return
        way, wanted, new = self._way(), self.form(), not self._editing
        self._say("正在保存……", "notice")
        self.tasks.run(lambda hall: _change(hall, way, "save", wanted, new), self._saved, self._refused,
                       executor=self._executor())

    def _way(self) -> _Way:
        return _Way(self.actor, self.login, self.password.text(), self.on_server)

    def _executor(self) -> Executor:
        return Executor.DEVICES if self.on_server else Executor.DATABASE

    def _saved(self, entry: DirectoryEntry) -> None:
        was_new = not self._editing
        self._editing = entry.code
        self._loaded = None  # saved: the list's reading fills the form with what was kept
        self.form_box.setTitle(f"修改“{entry.name}”")
        self._say(f"已{'新增' if was_new else '保存'}“{entry.name}”（{entry.kind}，{entry.region_name}）"
                  + ("；各设备下次同步时更新" if self.on_server else "；转送、交办即按新的机构目录"), "ok")
        self.saved.emit(entry)
        self.refresh()

    def _refused(self, error: BaseException) -> None:
        self._say(_message(error, "保存机构"), "error")
        field = error.field if isinstance(error, ValidationError) else ""
        if field in self._fields and self._fields[field].isEnabled():
            self._fields[field].setFocus()

    def retire_or_reinstate(self) -> None:
        entry = self._entry(self._editing)
        if entry is None or self.tasks.busy or not self.editable:
            return
        if not entry.active:
            self._run_change("reinstate", entry, f"已恢复使用“{entry.name}”：转送、交办又可选择它")
            return
        self.question, _go = ask(
            self, "撤销机构", f"撤销“{entry.name}”？",
            detail="撤销后，新的转送、交办不再列出它；已转交它的事项、已出具的文书保留它的名称。"
                   "撤销的机构不会删除，可以“恢复使用”。",
            go="撤销机构", stay="不撤销",
            on_go=lambda: self._run_change("retire", entry, f"已撤销“{entry.name}”：新的转送、交办不再列出它"))

    def _run_change(self, what: str, entry: DirectoryEntry, done_words: str) -> None:
        code, way = entry.code, self._way()

        def done(changed: DirectoryEntry) -> None:
            self._say(done_words + ("；各设备下次同步时更新" if self.on_server else ""), "ok")
            self.saved.emit(changed)
            self.refresh()

        self.tasks.run(lambda hall: _change(hall, way, what, code), done, self._refused, executor=self._executor())
