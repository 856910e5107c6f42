"""A drop-down to pick one entry of a long list by typing part of its name or its pinyin initials.

Regions, topics and organisations are picked this way: never typed as codes. The
list shows names; typing lists the entries whose name, parent path (政法/涉法涉诉), their
pinyin or initials, or the search keys given with each entry (keywords, former names) hold
it, the best first: exact, then prefix, then word start, then anywhere
(:mod:`desktop.domain.picking` has the rule).

Keys in the pop-up: Enter or Tab picks the highlighted entry and ``committed`` tells the
form to move on (Tab moves on by itself). With nothing highlighted, Enter takes the only
entry left, or highlights the first of several for a second Enter.
Esc closes the pop-up and the box keeps the entry it held before.

A typed text that finds nothing is never taken for an entry: ↑ ↓ and Enter then pick nothing (not the list's
first entry) and the box says so beside itself (没有找到“…”，请换个叫法或从列表中选); ``unmatched`` tells the form.
↓ on a typed text whose list was closed opens that list again.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPoint, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QCompleter, QToolTip

from desktop.domain.picking import SearchEntry, ranked, search_entry

_CODE = Qt.ItemDataRole.UserRole


@functools.lru_cache(maxsize=20_000)
def _search_entry(text: str, keys: tuple[str, ...], code: str) -> SearchEntry:
    """Spellings once per process: the same units and topics are offered again at every dialog."""
    return search_entry(text, keys, code)


@dataclass(frozen=True)
class Choice:
    code: str
    text: str  # what the user reads
    keys: tuple[str, ...] = ()  # what else a search matches: keywords, former names, their pinyin


class _Matcher(QStringListModel):
    """The names a typed text finds, best first (the rule: :mod:`desktop.domain.picking`), for the completer.

    A plain list set anew at each keystroke: sorting a proxy model row by row through Python took ten times as
    long on a long list."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)  # owned by the box: the completer using it must never outlive it
        self.needle = ""
        self.texts: list[str] = []
        self.entries: list[SearchEntry] = []  # the texts' spellings, in the same order

    def set_entries(self, texts: list[str], entries: list[SearchEntry]) -> None:
        self.texts, self.entries = texts, entries
        self.set_needle(self.needle)

    def set_needle(self, text: str) -> None:
        self.needle = text.strip().lower()
        self.setStringList([self.texts[i] for i in ranked(self.needle, self.entries)])

    def found(self, text: str) -> bool:
        """Whether ``text`` finds any entry."""
        return bool(ranked(text.strip().lower(), self.entries))


class _PopupKeys(QObject):
    """Enter, Tab and Esc in the box's pop-ups (the completer's list and the drop-down), before Qt's own handling."""

    def __init__(self, box: ChoiceBox) -> None:
        super().__init__(box)
        self.box = box

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(event, QKeyEvent) or not isinstance(watched, QAbstractItemView):
            return False
        key = event.key()
        if event.type() == QEvent.Type.ShortcutOverride:  # the drop-down picks on this, before the key press
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and watched.currentIndex().isValid():
                self.box.by_key = "enter"
            return False
        if event.type() != QEvent.Type.KeyPress:
            return False
        if key == Qt.Key.Key_Escape:
            self.box.keep_pick()
            return False  # Qt closes the pop-up
        if key not in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab):
            return False
        if not watched.currentIndex().isValid():
            model = watched.model()
            rows = model.rowCount() if model is not None else 0
            if not rows or (rows > 1 and key == Qt.Key.Key_Tab):
                return False  # Qt closes the list: nothing is taken the clerk did not choose
            assert model is not None
            watched.setCurrentIndex(model.index(0, 0))  # the only one left is meant; of several, the first …
            if rows > 1:
                return True  # … is highlighted for the next Enter, once the clerk has seen it
        self.box.by_key = "tab" if key == Qt.Key.Key_Tab else "enter"
        return False  # Qt picks it and closes the pop-up; :meth:`ChoiceBox._moved_on` follows


class ChoiceBox(QComboBox):
    """An editable combo box over :class:`Choice` entries; ``code()`` is the picked entry's code or ""."""

    picked = Signal(str)  # code
    committed = Signal()  # an entry picked with Enter in a pop-up: the form moves on to its next field
    unmatched = Signal(str)  # what the clerk said on ↑ ↓ or Enter over a typed text that finds no entry

    def __init__(self, placeholder: str = "输入名称或拼音首字母查找") -> None:
        super().__init__()
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        edit = self.lineEdit()
        assert edit is not None  # editable
        edit.setPlaceholderText(placeholder)
        self._model = QStandardItemModel(self)
        self.setModel(self._model)
        self._matcher = _Matcher(self)
        completer = QCompleter(self._matcher, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)
        edit.textEdited.connect(self._filter)
        completer.activated[str].connect(self._chosen)  # type: ignore[index]  # the text overload
        self.currentIndexChanged.connect(lambda _i: self.picked.emit(self.code()))
        self.by_key = ""  # "enter" or "tab" while a key press in a pop-up is picking an entry
        self._keys = _PopupKeys(self)
        popup = completer.popup()  # made now, with the completer's own filter: this one, later, is asked first
        assert popup is not None
        popup.installEventFilter(self._keys)
        self.activated.connect(lambda _i: self._moved_on())
        self.notice = ""  # what the box last said about a text that finds nothing ("" once it finds again)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        """↑ ↓ (and page keys) and Enter over a typed text that finds nothing: no entry is taken, the box says so.
        Qt's own combo box would step to the list's first entry, one the clerk never saw or meant."""
        stepping = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown,
                    Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if e.key() in stepping and not e.modifiers() & Qt.KeyboardModifier.AltModifier and self._finds_nothing():
            self._say_unmatched()
            e.accept()
            return
        text = self.currentText().strip()
        if e.key() in stepping[:4] and text and not self.code():  # a typed text whose list was closed (a click
            self._filter(self.currentText())  # elsewhere): its list again, not the directory's first entry
            e.accept()
            return
        super().keyPressEvent(e)

    def _finds_nothing(self) -> bool:
        text = self.currentText().strip()
        return bool(text) and not self.code() and not self._matcher.found(text)

    def _say_unmatched(self) -> None:
        text = self.currentText().strip()
        shown = text if len(text) <= 12 else text[:11] + "…"
        self.notice = f"没有找到“{shown}”，请换个叫法或从列表中选"
        QToolTip.showText(self.mapToGlobal(QPoint(0, self.height())), self.notice, self)
        self.unmatched.emit(self.notice)

    def showPopup(self) -> None:
        """The whole list (F4, Alt+↓, the arrow): its keys as in the typed search's list."""
        self.by_key = ""
        super().showPopup()
        view = self.view()
        assert view is not None
        view.installEventFilter(self._keys)  # again: after the drop-down's own filter (made with it), asked first

    def set_choices(self, choices: Sequence[Choice]) -> None:
        keep = self.code()
        self.blockSignals(True)
        self._model.clear()
        for choice in choices:
            item = QStandardItem(choice.text)
            item.setData(choice.code, _CODE)
            self._model.appendRow(item)
        self._matcher.set_entries([c.text for c in choices], [_search_entry(c.text, c.keys, c.code) for c in choices])
        self.setCurrentIndex(-1)
        self.blockSignals(False)
        if keep:
            self.set_code(keep)

    def _filter(self, text: str) -> None:
        self.by_key = ""  # a key that picked nothing is forgotten once the clerk types on
        if self.notice:
            self.notice = ""
            QToolTip.hideText()
        self._matcher.set_needle(text)
        completer = self.completer()
        if text and completer is not None:
            completer.complete()

    def _chosen(self, text: object) -> None:
        index = self.findText(str(text), Qt.MatchFlag.MatchExactly)
        if index >= 0:
            self.setCurrentIndex(index)
        self._moved_on()

    def _moved_on(self) -> None:
        """After a pick by key: Tab goes on to the next field, Enter asks the form to (``committed``)."""
        key, self.by_key = self.by_key, ""
        self._matcher.set_needle("")  # the next pop-up lists every entry again
        if key == "tab":
            self.focusNextChild()
        elif key == "enter":
            self.committed.emit()

    def keep_pick(self) -> None:
        """Esc in a pop-up: the box shows the entry it held before the clerk started typing (or stays empty)."""
        self.by_key = ""
        index = self.currentIndex()
        self.setEditText(self.itemText(index) if index >= 0 else "")
        self._matcher.set_needle("")

    def code(self) -> str:
        """The picked entry's code; "" when the text is not exactly one entry's name."""
        index = self.currentIndex()
        if index < 0 or self.itemText(index) != self.currentText():
            index = self.findText(self.currentText(), Qt.MatchFlag.MatchExactly)
        return str(self.itemData(index, _CODE)) if index >= 0 else ""

    def set_code(self, code: str) -> None:
        index = self.findData(code, _CODE)
        self.setCurrentIndex(index)
        if index < 0:
            self.setEditText("")

    def count_choices(self) -> int:
        return self._model.rowCount()
