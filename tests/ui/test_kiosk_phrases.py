"""The kiosk's headings, tile captions and short instructions break their lines between phrases, never inside a
word (轻触即 / 可取号), at the widths they get standing up and lying down, in normal and large text."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QTextLayout, QTextOption
from PySide6.QtWidgets import QApplication, QLabel, QStackedWidget, QWidget
from pytestqt.qtbot import QtBot

from desktop.services.context import Hall
from tests.ui.line_breaks import broken_words, label_lines
from ui.common.widgets import BREAK, WORD_JOINER, Phrases, label, plain
from ui.kiosk.shell import KioskShell

LEAD = "请选择|您要办理的业务，|轻触即可取号"
#: the four ways the kiosk is seen: its screen lying down and standing up, normal and large text (大字)
CONFIGURATIONS = [((1920, 1080), False), ((1080, 1920), False), ((1920, 1080), True), ((1080, 1920), True)]


def _qt_lines(text: str, label_: QLabel, width: int) -> list[str]:
    layout = QTextLayout(text, label_.font())
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    lines = []
    layout.beginLayout()
    while (line := layout.createLine()).isValid():
        line.setLineWidth(width)
        lines.append(plain(text[line.textStart():line.textStart() + line.textLength()]))
    layout.endLayout()
    return lines


def _inside_a_phrase(lines: list[str], phrases: tuple[str, ...]) -> bool:
    """Whether a line ends inside one of ``phrases`` (the text being their concatenation)."""
    ends, at = set(), 0
    for phrase in phrases:
        at += len(phrase)
        ends.add(at)
    at = 0
    for line in lines[:-1]:
        at += len(line)
        if at not in ends and not line.endswith(("，", "；", "。", " ")):
            return True
    return False


def test_a_phrased_text_reads_as_written_and_breaks_only_between_its_phrases(qtbot: QtBot) -> None:
    text = Phrases(LEAD)
    assert text == "请选择您要办理的业务，轻触即可取号" and isinstance(text, str)
    widget = label(text, "title")
    qtbot.addWidget(widget)
    font = widget.font()
    font.setPixelSize(44)
    widget.setFont(font)
    assert widget.text() == text and widget.accessibleName() == text  # read out without the layout's marks
    shown = QLabel.text(widget)
    assert BREAK in shown and WORD_JOINER in shown and plain(shown) == text
    longest = max(widget.fontMetrics().horizontalAdvance(part) for part in text.phrases)
    qt_alone: list[list[str]] = []
    for width in range(longest, 1200, 4):
        lines = _qt_lines(shown, widget, width)
        assert "".join(lines) == text
        assert not _inside_a_phrase(lines, text.phrases), (width, lines)
        if _inside_a_phrase(plain_lines := _qt_lines(str(text), widget, width), text.phrases):
            qt_alone.append(plain_lines)
    assert ["请选择您要办理的业务，轻触即", "可取号"] in qt_alone  # what Qt alone did on the 取号 screen


def test_a_phrase_wider_than_the_label_breaks_rather_than_runs_past_its_edge(qtbot: QtBot) -> None:
    widget = label(Phrases("自助|登记"), "title", centred=True)
    qtbot.addWidget(widget)
    font = widget.font()
    font.setPixelSize(72)
    widget.setFont(font)
    widget.resize(110, 400)  # narrower than 自助 at 72 px
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: WORD_JOINER not in QLabel.text(widget))  # laid out again once the event loop is back
    assert all(natural <= widget.contentsRect().width() for _line, natural in label_lines(widget))
    widget.resize(600, 400)  # wide again: the phrases kept whole
    qtbot.waitUntil(lambda: WORD_JOINER in QLabel.text(widget))
    font.setPixelSize(400)  # larger text: the label looks again
    widget.setFont(font)
    qtbot.waitUntil(lambda: WORD_JOINER not in QLabel.text(widget))


def test_a_clause_wider_than_the_label_keeps_its_date_and_its_last_two_characters(qtbot: QtBot) -> None:
    sentence = "我们将在2026年12月21日前告诉您由哪个部门办理。\n回执已打印，请取走回执。"
    widget = label(Phrases.clauses(sentence), "subtitle", centred=True)
    qtbot.addWidget(widget)
    font = widget.font()
    font.setPixelSize(42)
    widget.setFont(font)
    widget.show()
    qtbot.waitExposed(widget)
    seen: set[int] = set()
    for width in range(420, 1300, 12):
        widget.resize(width, 600)
        QApplication.processEvents()  # the phrases laid out for the new width
        lines = [plain(line) for line, _natural in label_lines(widget)]
        assert "".join(lines) == sentence
        assert any("2026年12月21日" in line for line in lines) and not any(line.startswith("理") for line in lines)
        assert all(natural <= widget.contentsRect().width() for _line, natural in label_lines(widget))
        seen.add(len(lines))
    assert len(seen) > 2  # the first clause broke at some widths, whole at others


def test_plain_text_keeps_its_bars_and_loses_the_phrases_name(qtbot: QtBot) -> None:
    widget = label(Phrases("取号|排队"))
    qtbot.addWidget(widget)
    assert widget.accessibleName() == "取号排队"
    widget.setText("A|B 王芳")  # what a citizen typed is shown as typed
    assert widget.text() == "A|B 王芳" and BREAK not in QLabel.text(widget) and widget.accessibleName() == ""
    named = label(Phrases("人民|建议"))
    qtbot.addWidget(named)
    named.setAccessibleName("人民建议入口")  # a name given on purpose stays
    named.setText(Phrases("办事|指南"))
    assert named.accessibleName() == "人民建议入口"
    named.clear()  # as the kiosk's wipe empties a flow's labels
    named.resize(300, 100)
    named.show()
    qtbot.waitExposed(named)
    assert named.text() == ""


def test_a_phrased_title_names_its_tile_and_the_bar_without_marks(qtbot: QtBot, shell: KioskShell) -> None:
    button = shell.tile_buttons["register"]
    assert button.accessibleName() == "自助登记"
    shell.open_flow("register")
    assert shell.heading.text() == "自助登记"


Themed = Callable[[QApplication | QCoreApplication | None], None]


@pytest.fixture
def themed() -> Iterator[None]:
    """The kiosk's look (its CJK font and sizes) as ``python -m desktop run --role kiosk`` sets it, undone after."""
    from desktop.app import apply_role_theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    font, sheet = app.font(), app.styleSheet()
    apply_role_theme(app, "kiosk")
    yield
    app.setStyleSheet(sheet)
    app.setFont(font)


def _laid_out() -> None:
    for _level in range(6):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QApplication.processEvents()


def _breaks(window: QWidget, where: str) -> list[str]:
    """What ``window`` shows broken inside a word; a refusal or a confirmation (worded by a service) breaks as
    Qt breaks it."""
    _laid_out()
    return [f"{where}: {found}" for found in broken_words(window, skip=("message",))]


@pytest.mark.usefixtures("themed")
@pytest.mark.parametrize(("size", "large"), CONFIGURATIONS)
def test_no_kiosk_screen_breaks_a_line_inside_a_phrase(qtbot: QtBot, sqlite_hall: Hall, size: tuple[int, int],
                                                      large: bool) -> None:
    from desktop.app import build_window

    window = build_window(sqlite_hall, "kiosk")
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    shell = window.body  # type: ignore[union-attr]
    assert isinstance(shell, KioskShell)
    found: list[str] = []

    def look(where: str) -> None:
        shell.large_button.setChecked(large)
        found.extend(_breaks(window, where))

    look("home")
    shell.start_countdown()
    look("countdown")
    shell.keep_going()
    for key in [tile.key for tile in shell.tiles]:
        flow = shell.open_flow(key)
        assert flow is not None
        screens = getattr(flow, "pages", None)
        for index in range(screens.count() if isinstance(screens, QStackedWidget) else 1):
            if isinstance(screens, QStackedWidget):
                screens.setCurrentIndex(index)
            look(f"{key} {index + 1}")
        question = shell.leave_question
        question.place()
        question.show()
        look(f"{key}: leave")
        question.hide()
        shell.go_home()
    assert len(shell.tiles) == 6
    assert not found, "\n".join(found)


@pytest.mark.parametrize(("name", "parts"), [
    ("县人民来访接待中心领导接访室", ("县人民来访接待中心", "领导接访室")),
    ("浦江县人民来访接待中心领导接访室", ("浦江县", "人民来访接待中心", "领导接访室")),
    ("杭州市西湖区人民政府信访接待大厅", ("杭州市", "西湖区", "人民政府信访接待大厅")),
    ("金华市中级人民法院第一接待室", ("金华市", "中级人民法院", "第一接待室")),
    ("浦江县市场监督管理局三楼会议室", ("浦江县", "市场监督管理局", "三楼会议室")),  # 市场: one word
    ("浦江县委信访办", ("浦江县委信访办",)),  # 县委: one word
    ("行政服务中心3楼301室", ("行政服务中心", "3楼301室")),
    ("接待中心（一楼）", ("接待中心（一楼）",)),
    ("县信访局", ("县信访局",)),
    ("", ()),
])
def test_a_place_typed_by_staff_breaks_between_its_parts(name: str, parts: tuple[str, ...]) -> None:
    place = Phrases.place(name)
    assert place == name and place.phrases == parts


@pytest.mark.usefixtures("themed")
@pytest.mark.parametrize(("size", "large"), CONFIGURATIONS)
def test_the_booked_place_breaks_between_its_parts_in_large_type(qtbot: QtBot, sqlite_hall: Hall,
                                                                size: tuple[int, int], large: bool) -> None:
    """预约成功 shows the place staff typed in large bold type: 县人民来访接待中心领导接 / 访室 broke a word."""
    from datetime import date

    from desktop.services import reception
    from tests.helpers import valid_id
    from tests.ui.test_kiosk_booking_view import SUPERVISOR, _click, _open_booking

    place = "浦江县人民来访接待中心领导接访室"
    reception.add_day(sqlite_hall, SUPERVISOR, date(2026, 9, 17), leaders=["县长 周建华"], place=place)
    _window, _shell, flow = _open_booking(qtbot, sqlite_hall, size, large)
    _click(qtbot, flow.day_buttons.itemAt(0).widget())  # type: ignore[arg-type]
    hint = flow.slot_hint
    _click(qtbot, flow.slot_buttons.itemAt(0).widget())  # type: ignore[arg-type]
    flow.name.setText("欧阳建华")
    flow.id_number.setText(valid_id(seq=21))
    with qtbot.waitSignal(flow.booked, timeout=10_000):
        _click(qtbot, flow.confirm)
    shown = flow.fact_rows[1][1]
    assert shown.text() == place and hint.text().endswith(place)
    _laid_out()
    lines = [plain(line) for line, _width in label_lines(shown)]
    assert "".join(lines).replace("\n", "") == place
    assert not _inside_a_phrase(lines, Phrases.place(place).phrases), lines
    if size[0] < size[1] and large:  # 72 px bold standing up: the name does not fit one line
        assert len(lines) > 1
    qtbot.waitUntil(lambda: not flow.tasks.busy, timeout=10_000)


def test_a_label_laid_out_again_is_gone_with_its_widget(qtbot: QtBot) -> None:
    """A label lays its phrases out again after each resize: once its widget is gone its Python object is gone
    too, a fit still to come or not (with ``QTimer.singleShot`` and a method of the label, a label gone before
    its fit stayed: a kiosk's flows piled up 64 KB a registration)."""
    import gc
    import weakref

    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication, QWidget

    from ui.common.widgets import Label, Phrases

    refs = []
    for _ in range(3):
        holder = QWidget()
        widget = Label(Phrases("请选择|您要办理的|事项"), holder)
        widget.setWordWrap(True)
        holder.resize(300, 200)
        holder.show()
        qtbot.waitExposed(holder)
        for width in (120, 200):  # laid out again once the event loop is back
            widget.resize(width, 80)
            QApplication.processEvents()
            assert widget.text() == "请选择您要办理的事项"
        widget.resize(160, 80)  # and gone before that (a flow thrown away as its page is laid out)
        refs.append(weakref.ref(widget))
        del widget
        holder.deleteLater()
        del holder
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()
    gc.collect()
    assert [ref() for ref in refs] == [None, None, None]
