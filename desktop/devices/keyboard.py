"""Readers that type the card as keystrokes (键盘输出式阅读器; ``keyboard:`` in the setting ``id_reader``).

Such a reader behaves like a keyboard: swiping a card types its fields into whatever
input field has the focus, ending with Enter. The screen hands that line over, either
to :meth:`KeyboardReader.parse` (a card at once) or to :meth:`KeyboardReader.feed`, for a
worker blocked in :meth:`KeyboardReader.read` like with any other reader.
"""

from __future__ import annotations

import queue
from collections.abc import Sequence

from desktop.devices.idcard import IdCard, ReaderError, ReaderProblem, parse_keyboard_line
from desktop.devices.spec import DEFAULT_KEYBOARD_ORDER, FIELD_LABELS


class KeyboardReader:
    """Lines typed by the reader, read in the configured column order."""

    def __init__(self, order: Sequence[str] = DEFAULT_KEYBOARD_ORDER) -> None:
        self.order = tuple(order)
        self._lines: queue.Queue[str] = queue.Queue()

    def describe(self) -> str:
        return "键盘输入式身份证阅读器（字段顺序：" + "、".join(FIELD_LABELS[key] for key in self.order) + "）"

    def parse(self, text: str) -> IdCard:
        """The card in one typed line; :class:`ReaderError` if it holds none."""
        return parse_keyboard_line(text, self.order)

    def feed(self, text: str) -> None:
        """A line typed by the reader, for the next :meth:`read` (any thread)."""
        self._lines.put(text)

    def read(self, timeout: float) -> IdCard:
        try:
            line = self._lines.get(timeout=max(timeout, 0.0)) if timeout > 0 else self._lines.get_nowait()
        except queue.Empty:
            raise ReaderError(ReaderProblem.NO_CARD) from None
        return self.parse(line)
