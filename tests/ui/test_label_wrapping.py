"""The shared label wraps a sentence between words, never inside a date, a weekday or a number and its unit."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QFontMetrics, QTextLayout, QTextOption
from pytestqt.qtbot import QtBot

from ui.common.widgets import WORD_JOINER, label, message_label, set_tone, unbroken

SENTENCE = ("现在不是大厅开放时间。大厅将于明天（12月7日，星期一）8:30开放，请到时再来取号；"
            "受理后60日内办结，已超期3个工作日。我们将在2026年12月21日前告诉您由哪个部门办理。")
KEPT = ("12月7日", "星期一", "60日", "3个工作日", "2026年12月21日", "办理。")


def _lines(widget_text: str, font: object, width: int) -> list[str]:
    """The lines Qt breaks ``widget_text`` into at ``width`` pixels, as a word-wrapped label does."""
    layout = QTextLayout(widget_text, font)  # type: ignore[call-overload]
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    layout.beginLayout()
    lines = []
    while (line := layout.createLine()).isValid():
        line.setLineWidth(width)
        lines.append(widget_text[line.textStart():line.textStart() + line.textLength()].replace(WORD_JOINER, ""))
    layout.endLayout()
    return lines


def test_no_width_breaks_a_date_a_weekday_or_a_number_from_its_unit(qtbot: QtBot) -> None:
    widget = label(SENTENCE)
    qtbot.addWidget(widget)
    font = widget.font()
    font.setPixelSize(40)
    shown = widget.property("text")  # what Qt lays out
    broken_plain = set()
    for width in range(160, 900, 8):
        lines = _lines(shown, font, width)
        assert "".join(lines) == SENTENCE
        for kept in KEPT:
            assert kept in "".join(lines) and any(kept in line for line in lines), (width, kept, lines)
        plain = _lines(SENTENCE, font, width)
        broken_plain |= {kept for kept in KEPT if not any(kept in line for line in plain)}
    assert broken_plain == set(KEPT)  # Qt alone breaks each of them at some width


def test_the_label_gives_back_its_text_as_set(qtbot: QtBot) -> None:
    widget = message_label()
    qtbot.addWidget(widget)
    set_tone(widget, "error", SENTENCE)
    assert widget.text() == SENTENCE and WORD_JOINER in widget.property("text")
    widget.setText("")
    assert widget.text() == ""


@pytest.mark.parametrize("text", [
    "2026年12月7日（星期一）", "征集至2027年1月5日", "超期3天", "15日内", "<b>12月7日</b>", "8:30–12:00",
    "XF-20261010-K02-00011-E", "第1次", "", "由哪个部门办理。", "𬭎𬭎。",
])
def test_joined_text_reads_the_same(text: str) -> None:
    joined = unbroken(text)
    assert joined.replace(WORD_JOINER, "") == text
    for run in re.findall(r"\d{1,2}月\d{1,2}日", text):
        assert WORD_JOINER.join(run) in joined
    for tag in re.findall(r"</?\w+>", text):  # markup untouched
        assert tag in joined


def test_the_people_ahead_and_the_wait_stay_with_their_numbers() -> None:
    """The ticket's 前面还有12人，预计等候约30分钟 read at arm's length: never 12 at a line's end and 人 on the next."""
    joined = unbroken("前面还有12人，预计等候约30分钟。")
    assert WORD_JOINER.join("12人") in joined and WORD_JOINER.join("30分钟") in joined


def test_an_article_of_the_regulations_is_never_broken(qtbot: QtBot) -> None:
    """办事指南 read 第二十一 / 条 and 第 / 三十五条: an article's number stays with 第 and 条 at every width."""
    text = ("3. 凭案件编号和查询码查询信访事项的办理进度和结果，并对办理情况作出评价（第二十一条）。"
            "6. 对处理意见不服的，可以请求复查（第三十五条、第三十六条），另见第8条。")
    articles = ("第二十一条", "第三十五条", "第三十六条", "第8条")
    widget = label(text)
    qtbot.addWidget(widget)
    font = widget.font()
    font.setPixelSize(36)
    shown = widget.property("text")
    broken_plain = set()
    for width in range(200, 1000, 6):
        lines = _lines(shown, font, width)
        assert "".join(lines) == text
        for article in articles:
            assert any(article in line for line in lines), (width, article, lines)
        broken_plain |= {a for a in articles if not any(a in line for line in _lines(text, font, width))}
    assert broken_plain  # Qt alone breaks some of them at some width


@pytest.mark.parametrize("words", [
    "案件编号的格式不对，请对照回执逐字核对（例如 XF-20261124-K01-00012-9）",
    "请拨打0579-84123456咨询，接访时段9:00–10:30",
])
def test_no_width_breaks_a_code_at_its_hyphens(qtbot: QtBot, words: str) -> None:
    """A case number said in a message broke after a hyphen (XF-20261124- / K01-00012-9), whether the message was
    laid out by clauses or as it came. One wider than the line, in clauses laid out for it, breaks rather than being
    cut at the label's edge."""
    from ui.common.widgets import Phrases

    codes = re.findall(r"[A-Za-z0-9]+(?:[-–:][A-Za-z0-9]+)+", words)
    assert codes
    for text in (words, Phrases.clauses(words)):
        widget = message_label()
        qtbot.addWidget(widget)
        font = widget.font()
        font.setPixelSize(32)
        for width in range(420, 1100, 12):
            widget.setFont(font)
            widget.resize(width, 400)
            widget.setText(text)
            widget.fit_phrases()
            room = widget.contentsRect().width() - 2 * widget.margin()  # the line the label lays its text out in
            lines = _lines(widget.property("text"), font, room)
            assert "".join(lines).replace("\u200b", "") == words
            metrics = QFontMetrics(font)
            for code in codes:  # on one line where it fits one; never run past the label's edge where it does not
                if not isinstance(text, Phrases) or metrics.horizontalAdvance(code) <= room:
                    assert any(code in line for line in lines), (width, code, lines)
                else:
                    assert all(metrics.horizontalAdvance(line.rstrip()) <= room for line in lines), (width, lines)
