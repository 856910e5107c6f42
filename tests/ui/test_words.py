"""A clause wider than its line breaks between its words (收到 / 处理意见), by ICU's dictionary where ICU is found."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QFontMetrics
from pytestqt.qtbot import QtBot

from tests.ui.line_breaks import label_lines
from ui.common import words
from ui.common.widgets import Label, Phrases, label, plain
from ui.common.words import word_spans

#: Clauses worded as the kiosk's (a service's answer, a right, a time limit), each longer than a large-text line.
SENTENCES = (
    "如对处理意见不服，可以自收到处理意见之日起30日内向上一级行政机关请求复查。",
    "您反映的事项已转送县住房和城乡建设局办理，承办单位应当在受理之日起60日内办结并书面答复您。",
    "请携带本人身份证和预约回执，提前十五分钟到一楼接待大厅向工作人员报到。",
    "如对处理意见不服，可以在 2027年1月7日 前向上一级机关申请复查（2027年节假日安排公布后，遇节假日可能顺延）",
)


def test_icu_finds_the_words_of_a_chinese_sentence_and_counts_in_characters() -> None:
    text = "如对处理意见不服，可以自收到处理意见之日起30日内请求复查"
    found = [text[start:end] for start, end in word_spans(text)]
    assert {"处理", "意见", "收到", "请求", "复查"} <= set(found)
    rare = "赵孟𫖯收到处理意见"  # a character beyond the BMP is two of ICU's units and one of Python's
    spans = word_spans(rare)
    assert all(0 <= start < end <= len(rare) for start, end in spans)
    assert "处理" in [rare[start:end] for start, end in spans] and "意见" in [rare[s:e] for s, e in spans]
    assert word_spans("") == [] and word_spans("。") == []
    # the hall's words the general dictionary splits (信 / 访人, 向上 / 一 / 级) are held whole beside its own
    text = "信访人可以向原办理行政机关的上一级行政机关请求复查"
    found = [text[start:end] for start, end in word_spans(text)]
    assert {"信访人", "上一级", "机关", "复查"} <= set(found)
    text = "请把回执和材料一起交给接待窗口工作人员"  # 工作 / 人员 to ICU: 接待窗口工作 / 人员 on the 材料 page
    assert "工作人员" in [text[start:end] for start, end in word_spans(text)]


def _broken_words(lines: list[str], text: str, fits: int, metrics: QFontMetrics) -> list[str]:
    """The words of ``text`` that fit a line and were broken across two of ``lines``."""
    ends = set()
    at = 0
    for line in lines[:-1]:
        at += len(line)
        ends.add(at)
    return [text[start:end] for start, end in word_spans(text)
            if metrics.horizontalAdvance(text[start:end]) <= fits and any(start < cut < end for cut in ends)]


def shown_in_clauses(qtbot: QtBot, sentence: str, pixels: int) -> Label:
    """``sentence`` in the shared label as a service's words are shown (by clauses), its text ``pixels`` high."""
    widget = label(Phrases.clauses(sentence), "subtitle")
    qtbot.addWidget(widget)
    font = widget.font()
    font.setPixelSize(pixels)
    widget.setFont(font)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.mark.parametrize("sentence", SENTENCES)
def test_a_clause_wider_than_the_line_breaks_between_its_words(qtbot: QtBot, sentence: str) -> None:
    widget = shown_in_clauses(qtbot, sentence, 60)  # 大字 on a portrait kiosk: some 16 characters a line
    metrics = QFontMetrics(widget.font())
    for width in range(300, 1200, 37):
        widget.resize(width, 900)
        widget.fit_phrases()
        room = widget.contentsRect().width() - 2 * widget.margin()
        lines = [plain(text) for text, _natural in label_lines(widget)]
        assert "".join(lines) == sentence
        assert all(natural <= room + 1 for _text, natural in label_lines(widget))  # nothing past the edge
        assert not _broken_words(lines, sentence, room, metrics), (width, lines)


def test_without_icu_a_clause_breaks_as_before(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where ICU is not found (no words known), the label still keeps dates and a sentence's last two characters
    and never runs past its edge."""
    monkeypatch.setattr(words, "_breaker", None)
    monkeypatch.setattr(words, "_tried", True)
    sentence = "我们将在2026年12月21日前告诉您由哪个部门办理。"
    widget = shown_in_clauses(qtbot, sentence, 60)
    widget.resize(700, 900)
    widget.fit_phrases()
    lines = [plain(text) for text, _natural in label_lines(widget)]
    assert "".join(lines) == sentence and any("2026年12月21日" in line for line in lines)
    assert lines[-1].endswith("办理。") and len(lines[-1]) >= 3


def test_without_icu_the_halls_own_words_are_still_held(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(words, "_breaker", None)
    monkeypatch.setattr(words, "_tried", True)
    text = "请把身份证放在阅读器上"
    assert [text[start:end] for start, end in word_spans(text)] == ["身份证", "阅读器"]


def test_a_paragraph_laid_out_again_asks_icu_nothing_more(monkeypatch: pytest.MonkeyPatch) -> None:
    """A paragraph is laid out again at each change of its label's width or font (大字): its clauses' words, found
    once, are not looked up again (the rights read before 提交登记 took some 10 ms each time, 3 ms now)."""
    breaker = words._the_breaker()
    if breaker is None:
        pytest.skip("ICU not found")
    asked: list[str] = []
    bounds = breaker.bounds

    def counted(text: str) -> Iterator[int]:
        asked.append(text)
        return bounds(text)

    monkeypatch.setattr(breaker, "bounds", counted)
    words._spans.cache_clear()  # as the program starts
    text = Phrases.paragraph("对复查意见不服的，可以自收到书面答复之日起30日内请求复核。仍不服的，不再受理。")
    for width in (200, 400, 300):
        text.laid_out(lambda phrase, w=width: len(phrase) * 40 <= w)
    assert sorted(asked) == sorted(text.phrases)  # each clause once
