"""A long paragraph (办事指南's rights, duties and time limits; the rights read before 提交登记) fills its lines and
breaks them between its words: 上一级 / 机关, never 上一 / 级机关 as Qt breaks Chinese, between any two characters."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from desktop.services.context import Actor, Hall
from tests.ui.line_breaks import label_lines
from tests.ui.test_kiosk_citizen import Themed, _kiosk_window, themed
from ui.common import words
from ui.common.widgets import BREAK, WORD_JOINER, Label, Phrases, label, plain
from ui.common.words import word_spans

__all__ = ["themed"]  # the fixture, used here by its name


def cut_words(widget: QLabel) -> list[str]:
    """The words (ICU's and the hall's, :func:`word_spans`) that fit a line of ``widget`` and were broken across two
    of its lines as it lays them out now, each with the two lines' ends: "上一 / 级机关"."""
    lines = [plain(text) for text, _natural in label_lines(widget)]
    text = "".join(lines)
    room = widget.contentsRect().width() - 2 * widget.margin()
    metrics = QFontMetrics(widget.font())
    ends: dict[int, int] = {}
    at = 0
    for index, line in enumerate(lines[:-1]):
        at += len(line)
        ends[at] = index
    found = []
    for start, end in word_spans(text):
        word = text[start:end]
        for cut, index in ends.items():
            if start < cut < end and metrics.horizontalAdvance(word) <= room:
                found.append(f"{lines[index][-6:]} / {lines[index + 1][:6]} ({word} at {room} px)")
    return found


def past_the_edge(widget: QLabel) -> list[str]:
    room = widget.contentsRect().width() - 2 * widget.margin()
    return [plain(text) for text, natural in label_lines(widget) if natural > room + 1]


@pytest.mark.parametrize("large", [True, False])
def test_the_guide_standing_up_breaks_its_paragraphs_between_words(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, large: bool) -> None:
    """Standing up (1080 px wide, and a little narrower and wider) with and without 大字: no line of a topic ends
    inside a word (您的义务 showed 上一 / 级机关), nothing runs past the edge, and the text read is the topic's, without
    the marks that hold its words."""
    from ui.kiosk.guide import GuideFlow

    themed(QApplication.instance())
    window, shell = _kiosk_window(qtbot, sqlite_hall, (1080, 1920))
    shell.large_button.setChecked(large)
    flow = shell.open_flow("guide")
    assert isinstance(flow, GuideFlow)
    seen_cut_by_qt = set()
    for width in (1000, 1040, 1080, 1120):
        window.resize(width, 1920)
        qtbot.waitUntil(lambda w=width: window.width() == w and flow.text.width() < w)
        for index, (_title, text) in enumerate(flow.texts):
            flow.buttons[index].click()
            items = flow.text.items
            qtbot.waitUntil(lambda i=items: all(item.isVisible() and item.width() > 0 for item in i))
            for item in items:
                assert isinstance(item, Label)
                item.fit_phrases()  # as the label does once the event loop is back after its resize
                assert cut_words(item) == [], (width, large, item.text())
                assert past_the_edge(item) == []
                assert WORD_JOINER not in item.accessibleName() and BREAK not in item.accessibleName()
                assert item.accessibleName() == item.text()
                qt_alone = label(item.text(), item.objectName())  # the same words as Qt alone breaks them
                qtbot.addWidget(qt_alone)
                qt_alone.setFont(item.font())
                qt_alone.resize(item.size())
                seen_cut_by_qt |= set(cut_words(qt_alone))
            assert flow.text.text() == text  # what the screen reader and a copy are given: the topic, as written
    assert seen_cut_by_qt, "Qt alone breaks some word of the guide at these widths"


def test_large_text_turned_on_over_the_guide_lays_its_paragraphs_out_again(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed) -> None:
    """大字 tapped while 您的义务 is on screen, standing up: the paragraphs are laid out again in the larger text by
    themselves, each line still ending between words."""
    from ui.kiosk.guide import GuideFlow

    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall, (1080, 1920))
    flow = shell.open_flow("guide")
    assert isinstance(flow, GuideFlow)
    flow.buttons[1].click()
    items = flow.text.items
    qtbot.waitUntil(lambda: all(item.isVisible() and item.width() > 0 for item in items))
    small = items[0].font().pixelSize()
    qtbot.waitUntil(lambda: all(cut_words(item) == [] for item in items))
    lines = sum(len(label_lines(item)) for item in items)
    shell.large_button.setChecked(True)
    qtbot.waitUntil(lambda: items[0].font().pixelSize() > small)
    qtbot.waitUntil(lambda: all(cut_words(item) == [] and past_the_edge(item) == [] for item in items))
    assert sum(len(label_lines(item)) for item in items) > lines  # the larger text's, more of them


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)])
def test_the_rights_before_submitting_break_between_words(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed, size: tuple[int, int]) -> None:
    """自助登记's 告知 page (the rights, duties and 六个不得 read before 提交登记), with 大字: its lines break between
    words; its text, and what the screen reader says, are the notice as written."""
    from ui.kiosk.register import STEPS, RegistrationFlow

    themed(QApplication.instance())
    _window, shell = _kiosk_window(qtbot, sqlite_hall, size)
    shell.large_button.setChecked(True)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    flow.show_step(len(STEPS) - 2)
    rights = flow.rights
    assert isinstance(rights, Label)
    qtbot.waitUntil(lambda: rights.isVisible() and rights.width() > 0)
    rights.fit_phrases()
    assert len(label_lines(rights)) > 20
    assert cut_words(rights) == [] and past_the_edge(rights) == []
    assert rights.text().startswith("一、您的权利\n\n1. 通过信息网络") and WORD_JOINER not in rights.text()
    assert rights.accessibleName() == rights.text()


def test_without_a_camera_the_materials_page_breaks_between_words(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed) -> None:
    """自助登记's 材料 page on a kiosk without a scanner or camera (where to hand in the papers instead), standing up
    with 大字 at widths around 1080 px: its lines break between words."""
    from ui.kiosk.register import NO_DEVICE, RegistrationFlow

    themed(QApplication.instance())
    window, shell = _kiosk_window(qtbot, sqlite_hall, (1080, 1920))
    shell.large_button.setChecked(True)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow) and flow.photos is None
    flow.show_step(4)
    said = next(w for w in flow.pages.currentWidget().findChildren(Label) if w.text() == NO_DEVICE)
    for width in (1000, 1040, 1080, 1120):
        window.resize(width, 1920)
        qtbot.waitUntil(lambda w=width: window.width() == w and said.isVisible() and said.width() < w)
        said.fit_phrases()
        assert cut_words(said) == [] and past_the_edge(said) == [], width
    assert said.accessibleName() == NO_DEVICE  # read out as written, without the marks holding its words


def test_a_word_wider_than_the_line_still_breaks(qtbot: QtBot) -> None:
    """A paragraph in a label narrower than one of its words: the word breaks as Qt would break it, nothing runs
    past the edge and every character is shown."""
    text = "请携带本人身份证和信访事项告知书到窗口。"
    widget = label(Phrases.paragraph(text))
    qtbot.addWidget(widget)
    font = widget.font()
    font.setPixelSize(40)
    widget.setFont(font)
    widget.resize(widget.fontMetrics().horizontalAdvance("信访事") + 2, 900)  # 信访事项 is wider than the line
    widget.show()
    qtbot.waitExposed(widget)
    widget.fit_phrases()
    lines = [plain(shown) for shown, _natural in label_lines(widget)]
    assert "".join(lines) == text and past_the_edge(widget) == []
    assert any(line.endswith(("信访", "信访事", "信")) for line in lines), lines


def test_a_paragraph_looks_its_words_up_only_once_it_has_a_width(qtbot: QtBot,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """ICU's dictionary is read when a paragraph is laid out in its label's width, not when the screen is built
    (before a role's first frame); until then the label shows the text as any label does."""
    asked: list[str] = []

    def spans(text: str) -> list[tuple[int, int]]:
        asked.append(text)
        return word_spans(text)

    monkeypatch.setattr(words, "word_spans", spans)
    text = "对处理意见不服的，可以自收到书面答复之日起30日内请求上一级机关、单位复查。"
    widget = label(Phrases.paragraph(text))
    qtbot.addWidget(widget)
    assert asked == [] and widget.text() == text
    widget.resize(300, 600)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: bool(asked))  # the label lays its words out once it has its width
    assert widget.text() == text and WORD_JOINER in QLabel.text(widget)


def test_the_progress_timeline_breaks_between_words(
        qtbot: QtBot, sqlite_hall: Hall, clerk: Actor, themed: Themed) -> None:
    """查询进度's 办理经过 (each step's day and what was done), lying down with 大字 in the narrow column beside the
    summary, 1366 to 1920 px wide: its lines break between words (已转送浦江县住房 / 和城乡建设局处理, not 住房和城乡建
    / 设局), and its text is the steps as the service words them."""
    from tests.ui.test_kiosk_citizen import _concluded, _progress_shown

    window, _shell, flow = _progress_shown(qtbot, sqlite_hall, themed, _concluded(sqlite_hall, clerk), (1920, 1080),
                                           True)
    assert flow.current_page is flow.result_page and flow.progress is not None
    timeline = flow.timeline
    assert isinstance(timeline, Label)
    steps = "\n\n".join(step.text for step in flow.progress.steps)
    seen_cut_by_qt = set()
    for width in (1366, 1440, 1600, 1920):
        window.resize(width, 1080)
        qtbot.waitUntil(lambda w=width: window.width() == w and timeline.isVisible() and timeline.width() < w)
        timeline.fit_phrases()
        assert cut_words(timeline) == [] and past_the_edge(timeline) == [], width
        qt_alone = label(timeline.text())
        qtbot.addWidget(qt_alone)
        qt_alone.setFont(timeline.font())
        qt_alone.resize(timeline.size())
        seen_cut_by_qt |= set(cut_words(qt_alone))
    assert all(step.text in timeline.text() for step in flow.progress.steps), steps
    assert timeline.accessibleName() == timeline.text() and WORD_JOINER not in timeline.text()
    assert seen_cut_by_qt, "Qt alone breaks some word of the steps at these widths"


#: Why a receipt was not printed, as the printing service words it.
WHY = "打印机没有回应，可能是缺纸、卡纸或者没有打开电源，请工作人员检查打印机"


@pytest.mark.parametrize("key", ["progress", "suggest"])
def test_a_receipt_not_printed_is_said_between_words(qtbot: QtBot, sqlite_hall: Hall, themed: Themed,
                                                     key: str) -> None:
    """评价回执 and 建议回执 not printed, standing up with 大字 at widths around 1080 px: the words saying so (with the
    printer's reason) break between words, as the rest of the page's."""
    from types import SimpleNamespace

    from ui.kiosk.progress import ProgressFlow
    from ui.kiosk.suggest import SuggestionFlow

    themed(QApplication.instance())
    window, shell = _kiosk_window(qtbot, sqlite_hall, (1080, 1920))
    shell.large_button.setChecked(True)
    flow = shell.open_flow(key)
    if isinstance(flow, ProgressFlow):
        flow._go(flow.thanks_page)
        flow._receipt_printed((False, WHY))
        said = flow.thanks_receipt
    else:
        assert isinstance(flow, SuggestionFlow)
        qtbot.waitUntil(lambda: not flow.tasks.busy)
        flow.pages.setCurrentIndex(3)
        flow._show_printed(SimpleNamespace(theme="自由建议", number="JY-20260916-C01-0001"),  # type: ignore[arg-type]
                           (False, WHY))
        said = flow.done_text
    assert isinstance(said, Label) and WHY in said.text() and said.accessibleName() == said.text()
    seen_cut_by_qt = set()
    for width in (1000, 1040, 1080, 1120):
        window.resize(width, 1920)
        qtbot.waitUntil(lambda w=width: window.width() == w and said.isVisible() and said.width() < w)
        said.fit_phrases()
        assert cut_words(said) == [] and past_the_edge(said) == [], width
        qt_alone = label(said.text())
        qtbot.addWidget(qt_alone)
        qt_alone.setFont(said.font())
        qt_alone.resize(said.size())
        seen_cut_by_qt |= set(cut_words(qt_alone))
    assert seen_cut_by_qt, "Qt alone breaks some word of these words at these widths"


def test_no_role_reads_the_dictionary_before_its_first_frame() -> None:
    """ICU's words (some 3 MB of its pages) are read for a paragraph laid out, never for a role's first frame: every
    role's window, the kiosk's standing up too, is built and painted without :mod:`ui.common.words`."""
    import os
    import subprocess
    import sys
    import textwrap

    done = subprocess.run([sys.executable, "-c", textwrap.dedent("""
        import sys, threading
        from PySide6.QtWidgets import QApplication
        from desktop.app import build_window
        from desktop.config import Settings
        from ui.shell.startup import HallSource
        from ui.shell.theme import apply_theme

        app = QApplication([])
        never = threading.Event()
        settings = Settings(device_id="probe", device_code="K01")
        for role, size in (("counter", (1366, 768)), ("leader", (1366, 768)), ("admin", (1366, 768)),
                           ("kiosk", (1920, 1080)), ("kiosk", (1080, 1920)), ("display", (1920, 1080))):
            apply_theme(app, role)
            window = build_window(HallSource(settings, lambda: never.wait()), role)
            window.resize(*size)
            window.show()
            window.repaint()
            app.processEvents()
            window.close()
        print("WORDS", "ui.common.words" in sys.modules)
    """)], capture_output=True, text=True, timeout=120, check=False, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    assert "WORDS False" in done.stdout, done.stdout
