"""The kiosk's ID-card reader as a citizen meets it: told what to do while it reads and after, in a citizen's
words when the reader does not work, the card's name and number kept as read, an expired card said plainly,
and the 取号 page whole on the screen after a read (through the real widgets)."""

from __future__ import annotations

from ui.common.widgets import Phrases


def test_a_ticket_not_printed_keeps_the_printers_phrases_whole() -> None:
    from ui.kiosk.ticket import _not_printed

    said = _not_printed("打印机暂时不能使用。号码已取得，仍然有效", "A001")
    assert isinstance(said, Phrases) and "号码已取得，" in said.phrases and "\n请记下" in said.phrases
    assert str(said) == ("号票没有打印出来：打印机暂时不能使用。号码已取得，仍然有效。"
                         "\n请记下您的号码 A001，记好后点“完成”")
