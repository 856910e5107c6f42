"""A drop-down to pick one entry of a long list by typing part of its name or its pinyin initials.

Regions, topics and organisations are picked this way: never typed as codes. The
list shows names; typing filters on the name and on the search keys given with each
entry (pinyin initials, full pinyin, the code), anywhere in them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter

from desktop.domain.routing import abbreviates

_CODE = Qt.ItemDataRole.UserRole
_KEYS = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Choice:
    code: str
    text: str  # what the user reads
    keys: tuple[str, ...] = ()  # what else a search matches (pinyin, code)


class _Matcher(QSortFilterProxyModel):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)  # owned by the box: the completer using it must never outlive it
        self.needle = ""

    def set_needle(self, text: str) -> None:
        self.beginFilterChange()  # invalidateFilter() is deprecated in Qt 6.10
        self.needle = text.strip().lower()
        self.endFilterChange()

    def filterAcceptsRow(self, row: int, parent: object) -> bool:
        if not self.needle:
            return True
        model = self.sourceModel()
        index = model.index(row, 0)
        text = str(model.data(index, Qt.ItemDataRole.DisplayRole) or "").lower()
        keys = model.data(index, _KEYS) or ()
        return (self.needle in text or any(self.needle in str(k).lower() for k in keys)
                or abbreviates(self.needle, text))  # a short name: 县人力社保局, 人社局


class ChoiceBox(QComboBox):
    """An editable combo box over :class:`Choice` entries; ``code()`` is the picked entry's code or ""."""

    picked = Signal(str)  # code

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
        self._matcher.setSourceModel(self._model)
        completer = QCompleter(self._matcher, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)
        edit.textEdited.connect(self._filter)
        completer.activated[str].connect(self._chosen)  # type: ignore[index]  # the text overload
        self.currentIndexChanged.connect(lambda _i: self.picked.emit(self.code()))

    def set_choices(self, choices: Sequence[Choice]) -> None:
        keep = self.code()
        self.blockSignals(True)
        self._model.clear()
        for choice in choices:
            item = QStandardItem(choice.text)
            item.setData(choice.code, _CODE)
            item.setData((*choice.keys, choice.code), _KEYS)
            self._model.appendRow(item)
        self.setCurrentIndex(-1)
        self.blockSignals(False)
        if keep:
            self.set_code(keep)

    def _filter(self, text: str) -> None:
        self._matcher.set_needle(text)
        completer = self.completer()
        if text and completer is not None:
            completer.complete()

    def _chosen(self, text: object) -> None:
        index = self.findText(str(text), Qt.MatchFlag.MatchExactly)
        if index >= 0:
            self.setCurrentIndex(index)

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
