"""What a first-time citizen met at the kiosk's 查询进度·评价, tried by hand, through the real widgets."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.models import PrintJobRow
from desktop.domain.errors import ValidationError
from desktop.services.context import Actor, Hall
from desktop.services.registration import register_visit
from desktop.services.self_service import MAX_REASON, rate_case
from tests.helpers import form
from tests.ui.test_kiosk_citizen import Themed, themed
from tests.ui.test_kiosk_names import _rating_page
from tests.ui.test_kiosk_scan_burst import JITTER_MS, Keys, _payload
from ui.kiosk.progress import ProgressFlow
from ui.kiosk.shell import KioskShell

__all__ = ["themed"]  # the fixture, used here by its name


def test_a_receipt_scanned_over_a_mistyped_code_is_looked_up_without_a_question(
        qtbot: QtBot, shell: KioskShell, sqlite_hall: Hall, clerk: Actor) -> None:
    """The page says 把回执上的二维码对准扫描口，或在下面输入: a citizen who first typed a wrong code and then
    scanned was asked 要放弃已填写的内容，查看回执上的事项吗？ about the very codes the scan replaces."""
    result = register_visit(sqlite_hall, clerk, form())
    flow = shell.open_flow("progress")
    assert isinstance(flow, ProgressFlow)
    flow.number.setText("xf 2026")
    flow.code.setText("1234")
    flow.code.setFocus()
    qtbot.waitUntil(flow.code.hasFocus)
    Keys(shell).type(_payload(sqlite_hall, result), JITTER_MS)
    assert not shell.leave_question.isVisible()
    assert shell.flow is flow
    qtbot.waitUntil(lambda: flow.current_page is flow.result_page)
    assert result.case_number in flow.heading.text()


def test_a_scan_over_a_written_opinion_still_asks_before_it_goes(
        qtbot: QtBot, shell: KioskShell, sqlite_hall: Hall, clerk: Actor) -> None:
    flow = _rating_page(qtbot, shell, sqlite_hall, clerk)
    flow.reason.setPlainText("办理太慢")
    other = register_visit(sqlite_hall, clerk, form(name="李梅"))
    flow.reason.setFocus()
    qtbot.waitUntil(flow.reason.hasFocus)
    Keys(shell).type(_payload(sqlite_hall, other), JITTER_MS)
    assert shell.leave_question.isVisible()
    assert flow.reason.toPlainText() == "办理太慢"


def test_the_opinion_counts_against_its_limit_as_it_is_written(qtbot: QtBot, shell: KioskShell, sqlite_hall: Hall,
                                                               clerk: Actor) -> None:
    """The limit was said only by the placeholder, gone with the first character; 提交评价 refused after."""
    flow = _rating_page(qtbot, shell, sqlite_hall, clerk)
    counter = flow.reason_count  # at the caption's right, as 人民建议's and 诉求's
    assert counter.isVisibleTo(flow)
    flow.reason.setPlainText("等" * 12)
    assert counter.text() == f"已写12字，最多{MAX_REASON}字"
    flow.reason.setPlainText("等" * (MAX_REASON + 3))
    assert "请删去3字" in counter.text() and counter.property("over")
    qtbot.mouseClick(flow.choice_buttons["不满意"], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(flow.tasks.settled):
        qtbot.mouseClick(flow.send_rating, Qt.MouseButton.LeftButton)
    assert f"意见最多{MAX_REASON}字" in flow.rating_error.text() and "请删去" in flow.rating_error.text()


def test_with_the_keyboard_up_lying_down_the_count_shows_only_past_the_limit(
        qtbot: QtBot, shell: KioskShell, sqlite_hall: Hall, clerk: Actor) -> None:
    """Over the box its row took the box's third line (test_kiosk_citizen's rating with the keyboard up); past the
    limit 请删去N字 is said all the same, in the caption's place over 清空重写."""
    flow = _rating_page(qtbot, shell, sqlite_hall, clerk)
    counter = flow.reason_count
    flow._compact(True)
    flow.reason.setPlainText("等" * 20)
    assert not counter.isVisibleTo(flow) and not flow.reason_over.isVisibleTo(flow)
    assert flow.reason_caption.isVisibleTo(flow)
    flow.reason.setPlainText("等" * (MAX_REASON + 1))
    assert flow.reason_over.isVisibleTo(flow) and flow.reason_over.text() == "请删去1字"
    assert not flow.reason_caption.isVisibleTo(flow)
    flow.reason.setPlainText("等")
    flow._compact(False)
    assert counter.isVisibleTo(flow) and flow.reason_caption.isVisibleTo(flow)
    assert not flow.reason_over.isVisibleTo(flow)


def test_a_refused_opinion_is_called_by_the_screens_word(sqlite_hall: Hall, clerk: Actor) -> None:
    """The screen asks for 意见; its refusal spoke of a 理由 the citizen never saw."""
    result = register_visit(sqlite_hall, clerk, form())
    try:
        rate_case(sqlite_hall, Actor.kiosk("K01"), result.case_number, result.query_code, "不满意", "太慢\x07")
    except ValidationError as refusal:
        assert refusal.message.startswith("意见中有")
    else:
        raise AssertionError("a control character was taken")


def test_a_clause_ending_the_text_without_a_full_stop_keeps_its_last_two_characters(qtbot: QtBot) -> None:
    """The progress's 申请复查的期限（…）已于2026年11月27日届满 ended a line with 届 and put 满 alone under it (大字,
    lying down): the service's sentence has no full stop."""
    from PySide6.QtWidgets import QApplication

    from tests.ui.line_breaks import label_lines
    from tests.ui.test_words import shown_in_clauses
    from ui.common.widgets import plain

    sentence = "已出具处理意见：不予支持；申请复查的期限（收到处理意见之日起30日）已于2026年11月27日届满"
    widget = shown_in_clauses(qtbot, sentence, 36)
    for width in range(400, 1400, 10):
        widget.resize(width, 600)
        QApplication.processEvents()
        lines = [plain(line) for line, _natural in label_lines(widget)]
        assert "".join(lines) == sentence
        assert not any(line == "满" for line in lines), (width, lines)


def test_home_from_the_rating_does_not_ask_about_the_codes_already_looked_up(
        qtbot: QtBot, shell: KioskShell, sqlite_hall: Hall, clerk: Actor) -> None:
    """Scanned (or typed) on the first screen, the codes then counted as something typed: 返回首页 from the rating,
    nothing chosen nor written, asked 要放弃已填写的内容，返回首页吗？"""
    flow = _rating_page(qtbot, shell, sqlite_hall, clerk)  # the codes typed into the fields
    shell.ask_home()
    assert not shell.leave_question.isVisible() and shell.flow is None
    flow = _rating_page(qtbot, shell, sqlite_hall, clerk)
    flow.reason.setPlainText("办理太慢")  # written: asked
    shell.ask_home()
    assert shell.leave_question.isVisible() and shell.flow is flow
    shell.stay()
    flow.reason.setPlainText("")
    flow.rating_back.click()
    flow.again_button.click()  # another case: what is typed now is the citizen's again
    flow.number.setText("XF-2026")
    shell.ask_home()
    assert shell.leave_question.isVisible()


def test_lying_down_with_large_text_and_the_keyboard_up_the_suggestion_has_no_line_cut_over_it(
        qtbot: QtBot, sqlite_hall: Hall, themed: Themed) -> None:
    """现在没有征集中的主题，请直接写下您的建议 stood half cut over the box, the screen's scroll bar beside it."""
    from PySide6.QtWidgets import QApplication

    from tests.ui.test_kiosk_booking_view import _bars, _in_window
    from tests.ui.test_kiosk_citizen import LARGEST, _keyboard_up, _kiosk_window
    from ui.kiosk.suggest import SuggestionFlow

    themed(QApplication.instance())
    window, shell = _kiosk_window(qtbot, sqlite_hall, (1920, 1080))
    shell.large_button.setChecked(True)
    flow = shell.open_flow("suggest")
    assert isinstance(flow, SuggestionFlow)
    qtbot.waitUntil(lambda: not flow.tasks.busy and flow.content.isVisible())
    flow.content.setPlainText("建议😀")
    flow.content.setFocus()
    qtbot.waitUntil(flow.content.hasFocus)
    _keyboard_up(shell, LARGEST)
    qtbot.waitUntil(lambda: _in_window(window, shell, flow.content, LARGEST)
                    and _in_window(window, shell, flow.to_who, LARGEST))
    assert flow.chosen.isHidden() or _in_window(window, shell, flow.chosen, LARGEST)
    assert not _bars(shell)


def test_a_ticket_put_first_by_the_cards_age_says_why(qtbot: QtBot, work_context: Any, sqlite_hall: Hall) -> None:
    """综合接待（优先办理） for one who had not tapped 优先: the screen now says it is the card's age."""
    from datetime import date
    from types import SimpleNamespace

    from desktop.services.queue import issue_ticket, window_types
    from tests.helpers import valid_id
    from ui.kiosk.body import kiosk_body, ticket_flow
    from ui.kiosk.ticket import TicketFlow

    shell = kiosk_body(work_context(Actor.kiosk("K01"), "kiosk", hall=sqlite_hall),
                       ticket=ticket_flow(window_types, issue_ticket))
    qtbot.addWidget(shell)
    shell.show()
    flow = shell.open_flow("ticket")
    assert isinstance(flow, TicketFlow)
    qtbot.waitUntil(lambda: bool(flow.type_buttons))
    flow.card = SimpleNamespace(id_number=valid_id(birth=date(1950, 5, 1)), name="王秀英")
    with qtbot.waitSignal(flow.issued, timeout=10_000):
        qtbot.mouseClick(flow.type_buttons[0], Qt.MouseButton.LeftButton)
    assert flow.business.text().endswith("（优先办理）")
    assert flow.ahead.text().startswith("您已年满70岁，为您优先办理。\n")
    # and the slip says why under 优先办理, for the clerk and the people he goes before
    qtbot.waitUntil(lambda: not flow.devices.busy, timeout=20_000)
    with sqlite_hall.sessions() as session:
        slip = session.scalars(select(PrintJobRow).where(PrintJobRow.kind == "排队号票")
                               .order_by(PrintJobRow.id.desc())).first()
    assert slip is not None and json.loads(slip.data)["priority_reason"] == "70岁以上老人"
    # with the toggle on nothing more is said (test_kiosk.py's test_a_ticket_in_three_taps: 前面没有人在等候…)


def test_the_guide_names_the_number_as_the_receipt_and_the_progress_screen_do(qtbot: QtBot, shell: KioskShell) -> None:
    """您的权利 said 凭事项编号和查询码; the receipt and the progress screen ask for its 案件编号."""
    from desktop.documents.templates import TEXTS
    from ui.kiosk.guide import GuideFlow

    flow = shell.open_flow("guide")
    assert isinstance(flow, GuideFlow)
    flow.show_topic(0)
    assert "案件编号和查询码" in flow.text.text() and "事项编号" not in flow.text.text()
    assert "凭案件编号和查询码" in TEXTS["receipt.rights"]
