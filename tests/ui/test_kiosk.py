"""The self-service kiosk through its real widgets: home, flows, the idle wipe, the scanner, the lock."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from desktop.domain.events import EventType
from desktop.domain.qrpayload import make_payload
from desktop.domain.queue import IssuedTicket, Ticket, TicketSource, TicketState, WindowType
from desktop.services import cases
from desktop.services.context import Actor, Hall
from desktop.services.registration import RegistrationResult, register_visit
from tests.helpers import form
from ui.kiosk.body import kiosk_body
from ui.kiosk.guide import GuideFlow
from ui.kiosk.progress import ProgressFlow
from ui.kiosk.register import RegistrationFlow
from ui.kiosk.shell import KioskShell, closing_key, widget_texts
from ui.kiosk.style import LARGE_FACTOR, kiosk_style, text_px
from ui.shell.context import WorkContext

Context = Callable[..., WorkContext]
KIOSK = Actor.kiosk("K01")


def _click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _answered(hall: Hall, clerk: Actor) -> RegistrationResult:
    result = register_visit(hall, clerk, form())
    ref = result.case_number
    cases.classify(hall, clerk, ref, nature="申诉求决类", topic_code="0101")
    cases.record(hall, clerk, ref, EventType.TRANSFERRED, {"route_kind": "转送", "organisation_code": "330726-ZJJ"})
    cases.accept(hall, clerk, ref, accepted_on=date(2026, 9, 16))
    cases.answer(hall, clerk, ref, outcome="不予支持", answered_on=date(2026, 9, 16))
    cases.deliver(hall, clerk, ref, delivered_on=date(2026, 9, 16))
    return result


def _query(qtbot: QtBot, flow: ProgressFlow, number: str, code: str) -> None:
    flow.number.setText(number)
    flow.code.setText(code)
    with qtbot.waitSignal(flow.tasks.settled):
        _click(qtbot, flow.submit)


def test_home_shows_a_tile_per_flow_it_has_and_hides_the_others(shell: KioskShell) -> None:
    assert set(shell.tile_buttons) == {"register", "progress", "suggest", "guide"}  # no 取号 or booking handed in
    for button in shell.tile_buttons.values():
        assert button.height() >= 180 and button.width() >= 400
    for button in (shell.large_button, shell.contrast_button):
        assert button.height() >= 90 and button.width() >= 90


def test_home_tiles_for_handed_in_flows(qtbot: QtBot, work_context: Context) -> None:
    opened: list[str] = []

    def ticket(ctx: WorkContext, parent: QWidget) -> QWidget:
        opened.append(ctx.actor.actor_id)
        return QWidget(parent)

    body = kiosk_body(work_context(KIOSK, "kiosk"), ticket=ticket)
    qtbot.addWidget(body)
    assert list(body.tile_buttons) == ["ticket", "register", "progress", "suggest", "guide"]
    _click(qtbot, body.tile_buttons["ticket"])
    assert opened == [KIOSK.actor_id] and body.flow_key == "ticket"


def test_progress_and_rating_end_to_end(qtbot: QtBot, shell: KioskShell, sqlite_hall: Hall, clerk: Actor,
                                        supervisor: Actor) -> None:
    from desktop.services.self_service import dissatisfied_cases

    result = _answered(sqlite_hall, clerk)
    _click(qtbot, shell.tile_buttons["progress"])
    flow = shell.flow
    assert isinstance(flow, ProgressFlow)
    _query(qtbot, flow, result.case_number, "1234 5678")
    assert "查询码不正确" in flow.error.text() and flow.current_page is flow.entry_page
    _query(qtbot, flow, result.case_number.lower().replace("-", ""), result.query_code)
    assert flow.current_page is flow.result_page
    assert flow.state.text() == "已答复" and "张**" in flow.heading.text() and "张建国" not in flow.heading.text()
    assert "已转送" in flow.timeline.text() and "已作出处理意见" in flow.timeline.text()
    assert "申请复查" in flow.can_do.text() and flow.rate_button.isVisibleTo(flow)
    _click(qtbot, flow.rate_button)
    _click(qtbot, flow.send_rating)
    assert "请先点选" in flow.rating_error.text()
    _click(qtbot, flow.choice_buttons["不满意"])
    flow.reason.setPlainText("处理意见没有回应我的主要诉求")
    with qtbot.waitSignal(flow.tasks.settled):
        _click(qtbot, flow.send_rating)
    assert flow.current_page is flow.thanks_page
    thanks = flow.thanks_text.text().replace("\u200b", "")
    assert "督查人员会核实这件事项的办理情况" in thanks and "复查办理" not in thanks
    assert "可以在 2026年10月16日 前向上一级机关申请复查" in thanks  # the right, with its last day
    (listed,) = dissatisfied_cases(sqlite_hall, supervisor)
    assert listed.case_number == result.case_number and listed.reason == "处理意见没有回应我的主要诉求"
    _click(qtbot, flow.thanks_done)
    assert shell.flow is None and shell.pages.currentWidget() is shell.home


@pytest.mark.parametrize("text", ["", "😀😀😀", "x" * 5000, "XF-2026", "https://shop.example.com/item/123",
                                  "XF-20261124-K01-00012-"])
def test_bad_input_gets_a_friendly_message(qtbot: QtBot, shell: KioskShell, text: str) -> None:
    flow = shell.open_flow("progress")
    assert isinstance(flow, ProgressFlow)
    _query(qtbot, flow, text, "1234")
    message = flow.error.text()
    assert message and "Error" not in message and "Traceback" not in message
    assert any(word in message for word in ("请输入", "案件编号", "查询码", "太长"))


def test_a_wrong_code_message_goes_as_the_citizen_corrects_the_code(qtbot: QtBot, shell: KioskShell,
                                                                  sqlite_hall: Hall, clerk: Actor) -> None:
    """查询码不正确 stayed in red while the citizen typed the code again, as if the new one were wrong too."""
    result = register_visit(sqlite_hall, clerk, form())
    flow = shell.open_flow("progress")
    assert isinstance(flow, ProgressFlow)
    _query(qtbot, flow, result.case_number, "12345678")
    assert "查询码不正确" in flow.error.text()
    flow.code.setFocus()
    qtbot.keyClick(flow.code, Qt.Key.Key_Backspace)
    assert flow.error.text() == ""


def test_a_foreign_qr_code_scanned_into_a_field_is_named_as_such(qtbot: QtBot, shell: KioskShell) -> None:
    """A shop's or a chat's QR code scanned into 案件编号 (or 查询码) stays there as a web address; the citizen was
    told 案件编号的格式不对 of a number never typed."""
    flow = shell.open_flow("progress")
    assert isinstance(flow, ProgressFlow)
    _query(qtbot, flow, "https://u.wechat.com/EKx3abcDEF?scene=1", "12345678")
    assert flow.error.text().startswith("这不是本系统回执上的二维码") and flow.current_page is flow.entry_page
    _query(qtbot, flow, "XF-20261124-K01-00012-7", "http://weixin.qq.com/r/abc")
    assert flow.error.text().startswith("这不是本系统回执上的二维码")


def test_the_receipts_qr_code_typed_by_a_scanner_opens_the_progress_from_home(
        qtbot: QtBot, shell: KioskShell, sqlite_hall: Hall, clerk: Actor) -> None:
    result = register_visit(sqlite_hall, clerk, form())
    payload = make_payload(sqlite_hall.settings.public_lookup_url, result.case_number, result.query_code)
    shell.setFocus()
    qtbot.keyClicks(shell, payload)
    qtbot.keyClick(shell, Qt.Key.Key_Return)
    flow = shell.flow
    assert isinstance(flow, ProgressFlow)
    assert shell.heading.text() == "查询进度 · 评价"  # as on the tile the citizen would have tapped
    qtbot.waitUntil(lambda: flow.current_page is flow.result_page)
    assert flow.state.text() == "已登记"
    assert flow.due.text() == "信访部门应在2026年10月8日前转送、交办或告知您是否受理"  # who, by when, in words
    assert flow.next_step.text() == "正在审查"  # said once: it had said 将在期限内转送、交办或告知受理情况 above it
    assert "2026年9月16日登记" in flow.heading.text() and flow.timeline.text().startswith("2026年9月16日\n")


def test_a_scan_into_any_focused_field_is_read_as_the_receipt(qtbot: QtBot, shell: KioskShell, sqlite_hall: Hall,
                                                              clerk: Actor) -> None:
    result = register_visit(sqlite_hall, clerk, form())
    payload = make_payload(sqlite_hall.settings.public_lookup_url, result.case_number, result.query_code)
    first = shell.open_flow("progress")
    assert isinstance(first, ProgressFlow)
    first.code.setFocus()
    qtbot.keyClicks(first.code, payload)
    qtbot.keyClick(first.code, Qt.Key.Key_Return)
    flow = shell.flow
    assert isinstance(flow, ProgressFlow) and flow is first  # looked up on the progress's own first screen
    qtbot.waitUntil(lambda: flow.current_page is flow.result_page)
    assert result.case_number in flow.heading.text()


def test_a_scan_in_a_half_done_registration_asks_before_the_form_goes(qtbot: QtBot, shell: KioskShell,
                                                                       sqlite_hall: Hall, clerk: Actor) -> None:
    """A receipt scanned while a registration holds what the citizen typed: asked first, as 返回首页 asks (the form
    was thrown away without a word). The code's letters leave the field; 继续填写 keeps the form as it was."""
    result = register_visit(sqlite_hall, clerk, form())
    payload = make_payload(sqlite_hall.settings.public_lookup_url, result.case_number, result.query_code)
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    flow.name.setText("王秀英")
    flow.name.setFocus()
    qtbot.keyClicks(flow.name, payload)
    qtbot.keyClick(flow.name, Qt.Key.Key_Return)
    question = shell.leave_question
    assert question.isVisible() and shell.flow is flow
    assert question.heading.text() == "要放弃已填写的内容，查看回执上的事项吗？"
    assert question.drop.text() == "放弃并查看回执"
    assert flow.name.text() == "王秀英"  # the scan's letters gone from the name
    qtbot.keyClick(flow.name, Qt.Key.Key_Return)  # Enter on a keyboard: the default, 继续填写
    assert not question.isVisible() and shell.flow is flow and flow.name.text() == "王秀英"
    shell.ask_home()  # 返回首页 asks in its own words again
    assert question.heading.text() == "要放弃已填写的内容，返回首页吗？" and question.drop.text() == "放弃并返回首页"
    question.keep.click()
    flow.name.setFocus()
    qtbot.keyClicks(flow.name, payload)
    qtbot.keyClick(flow.name, Qt.Key.Key_Return)
    question.drop.click()
    progress = shell.flow
    assert isinstance(progress, ProgressFlow)
    qtbot.waitUntil(lambda: progress.current_page is progress.result_page)
    assert result.case_number in progress.heading.text()


def test_a_foreign_qr_code_on_a_flows_screen_is_refused_there(qtbot: QtBot, shell: KioskShell) -> None:
    """Scanned with no field focused on a flow's screen: said on that screen, as at home (nothing was said)."""
    flow = shell.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    shell.setFocus()
    qtbot.waitUntil(shell.hasFocus)
    qtbot.keyClicks(shell, "https://shop.example.com/item/123")
    qtbot.keyClick(shell, Qt.Key.Key_Return)
    assert shell.flow is flow and "不是本系统回执上的二维码" in flow.message.text() and flow.message.isVisibleTo(flow)


def test_a_foreign_qr_code_at_home_is_refused_in_words(qtbot: QtBot, shell: KioskShell) -> None:
    shell.setFocus()
    qtbot.keyClicks(shell, "https://shop.example.com/item/123")
    qtbot.keyClick(shell, Qt.Key.Key_Return)
    assert shell.flow is None and "不是本系统回执上的二维码" in shell.home_message.text()


def test_wrong_codes_are_limited_per_case(qtbot: QtBot, shell: KioskShell, sqlite_hall: Hall,
                                          clerk: Actor) -> None:
    result = register_visit(sqlite_hall, clerk, form())
    flow = shell.open_flow("progress")
    assert isinstance(flow, ProgressFlow)
    for attempt in range(5):
        _query(qtbot, flow, result.case_number, f"{attempt:08d}")
    _query(qtbot, flow, result.case_number, result.query_code)  # even the right code, while the limit holds
    assert "以后再试" in flow.error.text() and "接待窗口" in flow.error.text()


def test_while_the_kiosk_slows_typed_codes_a_scanned_receipt_still_opens(
        qtbot: QtBot, shell: KioskShell, sqlite_hall: Hall, clerk: Actor) -> None:
    from desktop.services.self_service import KIOSK_FAILURES

    mine = register_visit(sqlite_hall, clerk, form())
    flow = shell.open_flow("progress")
    assert isinstance(flow, ProgressFlow)
    for _ in range(KIOSK_FAILURES):  # many cases, one wrong code each: only the kiosk's own limit
        other = register_visit(sqlite_hall, clerk, form())
        _query(qtbot, flow, other.case_number, "00000000" if other.query_code != "00000000" else "11111111")
    _query(qtbot, flow, mine.case_number, mine.query_code)
    assert "以后再试" in flow.error.text() and flow.current_page is flow.entry_page
    payload = make_payload(sqlite_hall.settings.public_lookup_url, mine.case_number, mine.query_code)
    shell.go_home()
    shell.setFocus()
    qtbot.keyClicks(shell, payload)
    qtbot.keyClick(shell, Qt.Key.Key_Return)
    scanned = shell.flow
    assert isinstance(scanned, ProgressFlow)
    qtbot.waitUntil(lambda: scanned.current_page is scanned.result_page)


def _type_everywhere(qtbot: QtBot, root: QWidget, secret: str) -> None:
    for edit in root.findChildren(QLineEdit):
        if edit.isVisibleTo(root):
            edit.setFocus()
            edit.insert(secret)  # through the undo history, as typing does
    for text in root.findChildren(QPlainTextEdit):
        text.insertPlainText(secret)


def test_idle_timeout_counts_down_then_wipes_every_trace(qtbot: QtBot, work_context: Context, sqlite_hall: Hall,
                                                         clerk: Actor) -> None:
    result = _answered(sqlite_hall, clerk)
    body = KioskShell(work_context(KIOSK, "kiosk"), kiosk_body(work_context(KIOSK, "kiosk")).tiles, idle_ms=50)
    qtbot.addWidget(body)
    body.resize(1080, 1920)
    body.show()
    qtbot.waitExposed(body)
    flow = body.open_flow("progress")
    assert isinstance(flow, ProgressFlow)
    _query(qtbot, flow, result.case_number, result.query_code)
    _click(qtbot, flow.rate_button)
    _type_everywhere(qtbot, flow, "王秘密")
    flow.reason.setPlainText("王秘密的意见")
    QApplication.clipboard().setText(result.query_code)
    _click(qtbot, body.large_button)
    assert body.large
    ref = weakref.ref(flow)
    del flow
    body.countdown_timer.setInterval(5)
    qtbot.waitUntil(lambda: body.overlay.isVisible(), timeout=3000)  # idle: the countdown shows
    assert "秒" in body.overlay.seconds.text()
    with qtbot.waitSignal(body.wiped, timeout=3000):
        pass
    assert body.pages.currentWidget() is body.home and body.flow is None and not body.large
    QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    assert ref() is None  # the flow's Python object is gone with its widgets
    texts = widget_texts(body)
    for secret in ("王秘密", result.query_code, result.case_number, "张**", "已答复"):
        assert not any(secret in t for t in texts), secret
    for edit in body.findChildren(QLineEdit):
        assert not edit.isUndoAvailable()
    assert QApplication.clipboard().text() == ""


def test_continue_keeps_the_citizens_work(qtbot: QtBot, work_context: Context) -> None:
    body = KioskShell(work_context(KIOSK, "kiosk"), kiosk_body(work_context(KIOSK, "kiosk")).tiles, idle_ms=30)
    qtbot.addWidget(body)
    body.show()
    flow = body.open_flow("progress")
    assert isinstance(flow, ProgressFlow)
    flow.number.setText("XF-20260916-C01-00001")
    qtbot.waitUntil(lambda: body.overlay.isVisible(), timeout=3000)
    _click(qtbot, body.overlay.keep)
    assert not body.overlay.isVisible() and body.flow is flow and flow.number.text() == "XF-20260916-C01-00001"


def test_wiping_a_line_edit_drops_its_undo_history(qtbot: QtBot) -> None:
    from ui.kiosk.shell import wipe_widgets

    root = QWidget()
    qtbot.addWidget(root)
    edit = QLineEdit(root)
    edit.insert("王秘密")
    edit.clear()
    assert edit.isUndoAvailable()  # what clear() alone leaves behind
    edit.insert("李秘密")
    wipe_widgets(root)
    edit.undo()
    assert edit.text() == "" and not edit.isUndoAvailable()


def test_large_text_and_high_contrast_are_one_tap_away(qtbot: QtBot, shell: KioskShell) -> None:
    shell.open_flow("guide")
    assert isinstance(shell.flow, GuideFlow)
    assert shell.large_button.isVisible() and shell.contrast_button.isVisible()
    _click(qtbot, shell.large_button)
    _click(qtbot, shell.contrast_button)
    assert shell.styleSheet() == kiosk_style(large=True, contrast=True)
    assert text_px(True) >= 1.5 * text_px(False) >= 1.5 * 20
    assert f"font-size: {text_px(True)}px" in shell.styleSheet()


def test_the_on_screen_keyboards_candidates_follow_large_text(qtbot: QtBot, shell: KioskShell) -> None:
    """The 大字 button makes the keyboard's pinyin candidates large too (their size: test_kiosk_keyboard.py),
    and the wipe for the next citizen makes them normal again with the page."""
    assert not shell.keyboard_text.large and shell.keyboard_text.factor == LARGE_FACTOR
    assert shell.keyboard_text.least == text_px(False) and shell.keyboard_text.least_large == text_px(True)
    _click(qtbot, shell.large_button)
    assert shell.keyboard_text.large
    _click(qtbot, shell.large_button)
    assert not shell.keyboard_text.large
    _click(qtbot, shell.large_button)
    shell.wipe()
    assert not shell.large and not shell.keyboard_text.large


def test_portrait_has_its_own_layout(qtbot: QtBot, shell: KioskShell) -> None:
    shell.resize(1080, 1920)
    qtbot.waitUntil(lambda: shell.portrait)
    positions = {shell.grid.getItemPosition(shell.grid.indexOf(b))[:2] for b in shell.tile_buttons.values()}
    assert positions == {(row, 0) for row in range(len(shell.tile_buttons))}  # one column of wide tiles
    qtbot.waitUntil(lambda: all(b.width() >= 900 for b in shell.tile_buttons.values()))
    guide = shell.open_flow("guide")
    assert isinstance(guide, GuideFlow) and guide.box.direction().name == "TopToBottom"


def _key(key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> QKeyEvent:
    return QKeyEvent(QEvent.Type.KeyPress, key, modifiers)


def test_the_keys_that_leave_a_window_are_recognised(qapp: QApplication) -> None:
    """(A key's standard meanings come from the platform's theme: the application must exist, even when this
    test runs first.)"""
    alt, ctrl = Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier
    for event in (_key(Qt.Key.Key_F4, alt), _key(Qt.Key.Key_Q, ctrl), _key(Qt.Key.Key_W, ctrl),
                  _key(Qt.Key.Key_Escape), _key(Qt.Key.Key_Tab, alt), _key(Qt.Key.Key_F11)):
        assert closing_key(event)
    for event in (_key(Qt.Key.Key_A), _key(Qt.Key.Key_Q), _key(Qt.Key.Key_Return), _key(Qt.Key.Key_4)):
        assert not closing_key(event)


class _WindowSystemClose(QCloseEvent):
    """A close asked by the window system (Alt+F4 through the window manager): a spontaneous event."""

    def spontaneous(self) -> bool:
        return True


def test_locked_kiosk_refuses_to_close_until_the_pin(qtbot: QtBot, work_context: Context,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.domain.passwords import hash_pin
    from tests.conftest import make_settings
    from ui.shell.device import DeviceWindow

    hashed = hash_pin("720415")
    ctx = work_context(KIOSK, "kiosk")
    monkeypatch.setattr(type(ctx), "settings", property(lambda _self: make_settings(kiosk_exit_pin=hashed)))
    window = DeviceWindow(ctx, kiosk_body)
    qtbot.addWidget(window)
    body = window.body
    assert isinstance(body, KioskShell)
    body.lock()
    qtbot.waitExposed(window)
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    handle = window.windowHandle()  # the flags reached the window the window system made
    assert handle is not None and handle.flags() & Qt.WindowType.WindowStaysOnTopHint
    from_the_window_manager = _WindowSystemClose()
    assert body.eventFilter(window, from_the_window_manager) and not from_the_window_manager.isAccepted()
    assert window.isVisible()  # Alt+F4 and the window manager's close are refused
    swallowed = _key(Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    assert body.eventFilter(window, swallowed)
    for _ in range(5):
        _click(qtbot, body.corner)
    assert body.pages.currentWidget() is body.pin_page
    page = body.pin_page
    page.field.setText("111111")
    with qtbot.waitSignal(page.tasks.settled):
        _click(qtbot, page.confirm)
    assert "密码不正确" in page.message.text() and window.isVisible()
    for digit in "720415":
        _click(qtbot, next(b for b in page.findChildren(type(page.confirm)) if b.text() == digit))
    with qtbot.waitSignal(body.unlocked):
        _click(qtbot, page.confirm)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_without_a_pin_the_keypad_says_how_to_set_one(qtbot: QtBot, shell: KioskShell) -> None:
    for _ in range(5):
        _click(qtbot, shell.corner)
    shell.pin_page.field.setText("720415")
    _click(qtbot, shell.pin_page.confirm)
    assert "set-kiosk-pin" in shell.pin_page.message.text()
    _click(qtbot, shell.pin_page.back)
    assert shell.pages.currentWidget() is shell.home and shell.pin_page.field.text() == ""


def test_every_text_of_the_guide_is_plain_and_complete(qtbot: QtBot, shell: KioskShell) -> None:
    guide = shell.open_flow("guide")
    assert isinstance(guide, GuideFlow)
    seen: list[str] = []
    for button in guide.buttons:
        _click(qtbot, button)
        seen.append(guide.text.text())
    assert "携带危险物品" in seen[2] and seen[2].count("\n\n") >= 5  # the six prohibited behaviours
    assert "60日" in seen[3] and "30日" in seen[3]


def test_a_dissatisfied_rating_at_the_kiosk_lands_in_the_supervisors_list(
        qtbot: QtBot, shell: KioskShell, sqlite_hall: Hall, clerk: Actor, supervisor: Actor,
        work_context: Context) -> None:
    from desktop.app import work_for
    from desktop.domain.roles import WindowRole
    from ui.cases.search import CaseSearchPanel
    from ui.counter.work import CounterWork
    from ui.desk.cases import WorkTabs

    result = _answered(sqlite_hall, clerk)
    counter = work_for(WindowRole.COUNTER, work_context(supervisor))
    qtbot.addWidget(counter)
    assert isinstance(counter, CounterWork) and isinstance(counter.desk, WorkTabs)
    tabs = counter.desk
    assert tabs.tabText(tabs.indexOf(tabs.dissatisfied)) == "不满意评价"
    panel = tabs.dissatisfied
    qtbot.waitUntil(lambda: "没有" in panel.summary.text())
    flow = shell.open_flow("progress")
    assert isinstance(flow, ProgressFlow)
    _query(qtbot, flow, result.case_number, result.query_code)
    _click(qtbot, flow.rate_button)
    _click(qtbot, flow.choice_buttons["不满意"])
    flow.reason.setPlainText("没有上门核实")
    with qtbot.waitSignal(flow.tasks.settled):
        _click(qtbot, flow.send_rating)
    # another window's task manager: the supervisor's list hears of it through a change of its own hall
    panel.refresh()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1)
    assert panel.table.item(0, 1).text() == result.case_number and panel.table.item(0, 5).text() == "没有上门核实"
    assert panel.table.item(0, 2).text() == "张**"
    search = tabs.findChild(CaseSearchPanel)
    assert search is not None
    with qtbot.waitSignal(search.case_changed, timeout=5000):
        panel.case_chosen.emit(result.case_number)
    assert tabs.currentIndex() == 0


def _walk_registration(qtbot: QtBot, flow: RegistrationFlow, *, id_number: str) -> None:
    flow.name.setText("赵春花")
    flow.id_number.setText("33072619680312123")  # half-typed
    _click(qtbot, flow.next_button)
    assert flow.step == 0 and "身份证号码应为18位" in flow.message.text()
    flow.id_number.setText(id_number)
    flow.phone.setText("138-5791-2345")
    flow.address.setText("浦江县黄宅镇  前店村 18号")  # asked beside the name: written notices go there
    _click(qtbot, flow.next_button)
    assert flow.step == 1
    _click(qtbot, flow.next_button)
    assert flow.step == 1 and "请轻触选择" in flow.message.text()
    qtbot.waitUntil(lambda: "黄宅镇" in [b.text() for b in flow.where_buttons.values()])
    town = next(b for b in flow.where_buttons.values() if b.text() == "黄宅镇")
    qtbot.waitUntil(lambda: town.isVisible() and town.width() > 0 and town.height() > 0)  # laid out
    _click(qtbot, town)
    assert town.isChecked()
    _click(qtbot, flow.next_button)
    assert flow.step == 2
    _click(qtbot, flow.next_button)
    assert flow.step == 2 and "请写下" in flow.message.text()
    from desktop.domain.texts import MAX_PETITION_TEXT

    flow.request.setPlainText("😀" * (MAX_PETITION_TEXT + 3))  # an emoji paste: refused with its length, nothing lost
    _click(qtbot, flow.next_button)
    assert flow.step == 2 and f"诉求最多{MAX_PETITION_TEXT}字" in flow.message.text()
    assert "请删去3字" in flow.message.text()
    flow.request.setPlainText("村口道路塌陷半年无人修．请求尽快修复．")  # the on-screen keyboard's full stop: "．"
    _click(qtbot, flow.next_button)
    flow.facts.setPlainText("今年三月大雨后塌陷，向村委会反映过两次")
    _click(qtbot, flow.next_button)
    assert flow.step == 4 and any("扫描仪" in t for t in widget_texts(flow.pages.currentWidget()))
    _click(qtbot, flow.next_button)
    assert flow.step == 5 and "黄宅镇" in flow.review.text() and "赵春花" in flow.review.text()
    assert "诉求：村口道路塌陷半年无人修。请求尽快修复。" in flow.review.text()  # as the case keeps it
    assert "住址：浦江县黄宅镇 前店村 18号" in flow.review.text()
    assert id_number not in flow.review.text()  # masked on the screen too
    _click(qtbot, flow.next_button)
    assert flow.step == 6 and not flow.next_button.isEnabled() and "携带危险物品" in flow.rights.text()
    _click(qtbot, flow.agree)
    assert flow.next_button.isEnabled() and flow.next_button.text() == "提交登记"


def test_self_registration_end_to_end_prints_the_receipt(qtbot: QtBot, work_context: Context, sqlite_engine: Any,
                                                         clock: Any, tmp_path: Any) -> None:
    from desktop.services.self_service import kiosk_progress
    from tests.conftest import make_hall
    from tests.helpers import valid_id

    hall = make_hall(sqlite_engine, clock, printer_receipts=f"pdf:{tmp_path}")
    body = kiosk_body(work_context(KIOSK, "kiosk", hall=hall))
    qtbot.addWidget(body)
    body.resize(1920, 1080)
    body.show()
    flow = body.open_flow("register")
    assert isinstance(flow, RegistrationFlow)
    _walk_registration(qtbot, flow, id_number=valid_id(seq=321))
    with qtbot.waitSignal(flow.registered, timeout=10_000) as registered:
        _click(qtbot, flow.next_button)
    number = registered.args[0]
    qtbot.waitUntil(lambda: "回执已打印" in flow.done_text.text(), timeout=20_000)
    assert flow.done_number.text() == number and flow.result is not None
    assert list(tmp_path.glob("*.pdf"))  # the receipt, as the pdf: printer keeps it
    code = flow.result.query_code
    progress = kiosk_progress(hall, Actor.kiosk("K02"), number, code)
    assert progress.state == "已登记" and progress.petitioner == "赵**"
    from desktop.services import cases

    stored = cases.reveal_personal(hall, Actor.system("test"), number, "核对送达地址").view
    assert stored.address == "浦江县黄宅镇 前店村 18号"  # where the counter's registration keeps it
    # the receipt in hand, the query code leaves the screen by itself: the next in line does not read it there
    from ui.kiosk.done import SHOW_SECONDS

    assert flow.home_timer.isActive() and flow.home_timer.interval() == SHOW_SECONDS * 1000
    flow.home_timer.start(10)  # its half minute, shortened
    qtbot.waitUntil(lambda: body.flow is None)
    assert not any(code in t or number in t for t in widget_texts(body))


def test_a_failed_print_leaves_the_numbers_on_screen(qtbot: QtBot, work_context: Context, sqlite_engine: Any,
                                                     clock: Any) -> None:
    from tests.conftest import make_hall
    from tests.helpers import valid_id
    from tests.sync.conftest import free_port

    hall = make_hall(sqlite_engine, clock, printer_receipts=f"escpos:tcp:127.0.0.1:{free_port()}")  # nobody there
    flow = RegistrationFlow(work_context(KIOSK, "kiosk", hall=hall))
    qtbot.addWidget(flow)
    flow.resize(1920, 1080)
    flow.show()
    _walk_registration(qtbot, flow, id_number=valid_id(seq=654))
    _click(qtbot, flow.next_button)
    qtbot.waitUntil(lambda: "没有打印出来" in flow.done_text.text(), timeout=20_000)
    assert "记下" in flow.done_text.text() and flow.done_code.text().replace(" ", "").isdigit()
    assert not flow.home_timer.isActive()  # the numbers stay while the citizen notes them


def test_the_id_card_reader_fills_who(qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: Any) -> None:
    from tests.conftest import make_hall

    hall = make_hall(sqlite_engine, clock, id_reader="sim:seed=7")
    flow = RegistrationFlow(work_context(KIOSK, "kiosk", hall=hall))
    qtbot.addWidget(flow)
    flow.show()
    assert flow.read_button.isVisible()
    _click(qtbot, flow.read_button)
    qtbot.waitUntil(lambda: flow.id_number.text() != "", timeout=10_000)
    assert flow.name.text() and "已读取" in flow.card_state.text()
    _click(qtbot, flow.next_button)
    assert flow.step == 1


def test_a_suggestion_on_a_theme_anonymously(qtbot: QtBot, shell: KioskShell, sqlite_hall: Hall,
                                            supervisor: Actor, clerk: Actor) -> None:
    from desktop.services.suggestions import list_suggestions, publish_theme
    from ui.kiosk.suggest import SuggestionFlow

    publish_theme(sqlite_hall, supervisor, title="老旧小区加装电梯", description="")
    flow = shell.open_flow("suggest")
    assert isinstance(flow, SuggestionFlow)
    qtbot.waitUntil(lambda: any("加装电梯" in b.text() for b in flow.findChildren(QPushButton)))
    _click(qtbot, next(b for b in flow.findChildren(QPushButton) if "加装电梯" in b.text()))
    flow.content.setPlainText("太短")
    _click(qtbot, flow.to_who)
    assert flow.pages.currentIndex() == 1 and "至少10个字" in flow.message.text()
    flow.content.setPlainText("建议按楼栋征求意见，费用分摊办法公开")
    _click(qtbot, flow.to_who)
    flow.name.setText("王芳")
    flow.phone.setText("12")
    with qtbot.waitSignal(flow.tasks.settled):
        _click(qtbot, flow.send_named)
    assert flow.pages.currentIndex() == 2 and "内容都还在" in flow.message.text()
    with qtbot.waitSignal(flow.tasks.settled):
        _click(qtbot, flow.send_anonymous)
    assert flow.done_number.text() == "JY-20260916-C01-0001" and "加装电梯" in flow.done_text.text()
    (stored,) = list_suggestions(sqlite_hall, clerk)
    assert stored.anonymous and stored.name == "" and stored.theme == "老旧小区加装电梯"
    _click(qtbot, flow.done_button)
    assert shell.flow is None


def test_with_no_theme_open_the_suggestion_tile_goes_straight_to_writing(
        qtbot: QtBot, shell: KioskShell, sqlite_hall: Hall, clerk: Actor) -> None:
    from desktop.services.suggestions import list_suggestions, open_themes
    from ui.kiosk.suggest import SuggestionFlow

    assert open_themes(sqlite_hall, KIOSK) == []  # no theme published
    _click(qtbot, shell.tile_buttons["suggest"])  # tap 1, and the citizen is writing
    flow = shell.flow
    assert isinstance(flow, SuggestionFlow)
    qtbot.waitUntil(lambda: flow.pages.currentIndex() == 1 and flow.content.isVisible())
    assert "没有征集中的主题" in flow.chosen.text() and not flow.back_to_themes.isVisible()  # no page to go back to
    flow.content.setPlainText("建议在接待大厅增设老年人休息座椅和饮水机")
    _click(qtbot, flow.to_who)
    with qtbot.waitSignal(flow.tasks.settled):
        _click(qtbot, flow.send_anonymous)
    assert flow.pages.currentIndex() == 3 and "自由建议" in flow.done_text.text()
    (stored,) = list_suggestions(sqlite_hall, clerk)
    assert stored.theme == "自由建议"
    _click(qtbot, flow.done_button)
    assert shell.flow is None
    _click(qtbot, shell.tile_buttons["suggest"])
    flow = shell.flow
    assert isinstance(flow, SuggestionFlow)
    qtbot.waitUntil(lambda: flow.pages.currentIndex() == 1)
    _click(qtbot, shell.home_button)  # 返回首页 from the writing page
    assert shell.flow is None and shell.pages.currentWidget() is shell.home


def test_with_a_theme_open_the_suggestion_tile_asks_which_first(
        qtbot: QtBot, shell: KioskShell, sqlite_hall: Hall, supervisor: Actor) -> None:
    from desktop.services.suggestions import publish_theme
    from ui.kiosk.suggest import SuggestionFlow

    # 16 September 2026: one theme closing this year, one the next (its year said)
    publish_theme(sqlite_hall, supervisor, title="老旧小区加装电梯", description="", closes_on=date(2026, 10, 31))
    publish_theme(sqlite_hall, supervisor, title="公交线路优化", description="", closes_on=date(2027, 1, 5))
    _click(qtbot, shell.tile_buttons["suggest"])
    flow = shell.flow
    assert isinstance(flow, SuggestionFlow)
    qtbot.waitUntil(lambda: not flow.tasks.busy and flow.themes_box.count() == 2)
    assert sorted(b.text() for b in flow.findChildren(QPushButton) if "征集至" in b.text()) == [
        "公交线路优化（征集至2027年1月5日）", "老旧小区加装电梯（征集至10月31日）"]
    assert flow.pages.currentIndex() == 0 and flow.free_button.isVisible()  # the theme, or 自由建议
    _click(qtbot, flow.free_button)
    assert flow.pages.currentIndex() == 1 and flow.back_to_themes.isVisible()
    _click(qtbot, flow.back_to_themes)
    assert flow.pages.currentIndex() == 0


class _Queue:
    """The queue's two functions over a real hall (its counters), returning the contract's values."""

    TYPES = (WindowType("general", "综合接待", "A", (1, 2)), WindowType("law", "涉法涉诉", "B", (3,)),
             WindowType("closed", "暂停业务", "C", (4,), active=False))

    def __init__(self) -> None:
        self.calls: list[dict[str, object]] = []

    def window_types(self, hall: Hall) -> list[WindowType]:
        return list(self.TYPES)

    def issue_ticket(self, hall: Hall, *, type_code: str, source: TicketSource, priority: bool = False,
                     id_number: str | None = None, name: str | None = None) -> IssuedTicket:
        from desktop.services.store import next_counter

        self.calls.append({"type_code": type_code, "source": source, "priority": priority, "id_number": id_number})
        kind = next(t for t in self.TYPES if t.code == type_code)
        with hall.transaction() as session:
            serial = next_counter(session, f"test-queue:{type_code}")
        ticket = Ticket(f"t{serial}", f"{kind.prefix}{serial:03d}", type_code, TicketState.WAITING, hall.now(),
                        source, priority, person_linked=id_number is not None)
        return IssuedTicket(ticket, kind.name, serial - 1, None)


def test_a_ticket_in_three_taps(qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: Any,
                                tmp_path: Any) -> None:
    from tests.conftest import make_hall
    from ui.kiosk.body import ticket_flow
    from ui.kiosk.ticket import TicketFlow

    hall = make_hall(sqlite_engine, clock, printer_receipts=f"pdf:{tmp_path}")
    queue = _Queue()
    body = kiosk_body(work_context(KIOSK, "kiosk", hall=hall),
                      ticket=ticket_flow(queue.window_types, queue.issue_ticket))
    qtbot.addWidget(body)
    body.show()
    _click(qtbot, body.tile_buttons["ticket"])  # tap 1
    flow = body.flow
    assert isinstance(flow, TicketFlow) and not flow.card_button.isVisible()  # no reader here
    qtbot.waitUntil(lambda: len(flow.type_buttons) == 2)  # the closed business is not offered
    _click(qtbot, flow.priority)
    with qtbot.waitSignal(flow.issued, timeout=10_000):
        _click(qtbot, flow.type_buttons[1])  # tap 2
    assert flow.number.text() == "B001" and flow.business.text() == "涉法涉诉（优先办理）"  # the toggle was on
    assert flow.ahead.text().startswith("前面没有人在等候")
    assert queue.calls == [{"type_code": "law", "source": TicketSource.KIOSK, "priority": True, "id_number": None}]
    qtbot.waitUntil(lambda: flow.printing.text() == "请取走号票", timeout=20_000)
    _click(qtbot, flow.done_button)  # tap 3
    assert body.flow is None and body.pages.currentWidget() is body.home


@pytest.mark.parametrize("key", ["register", "progress", "suggest"])
def test_every_flow_is_forgotten_after_the_idle_timeout(qtbot: QtBot, work_context: Context, key: str) -> None:
    body = KioskShell(work_context(KIOSK, "kiosk"), kiosk_body(work_context(KIOSK, "kiosk")).tiles, idle_ms=40)
    qtbot.addWidget(body)
    body.resize(1920, 1080)
    body.show()
    flow = body.open_flow(key)
    assert flow is not None
    for edit in flow.findChildren(QLineEdit):
        edit.insert("王秘密13800001111")
    if isinstance(flow, RegistrationFlow):  # every field of the first screen, the address among them
        assert "王秘密" in flow.address.text() and "王秘密" in flow.phone.text()
    for text in flow.findChildren(QPlainTextEdit):
        text.insertPlainText("王秘密的诉求")
    assert any("王秘密" in t for t in widget_texts(body))
    ref = weakref.ref(flow)
    del flow
    body.countdown_timer.setInterval(5)
    with qtbot.waitSignal(body.wiped, timeout=5000):
        pass
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    assert ref() is None and not any("王秘密" in t or "13800001111" in t for t in widget_texts(body))
    assert not any(edit.isUndoAvailable() for edit in body.findChildren(QLineEdit))


def test_staff_answer_adopt_and_award_a_kiosk_suggestion(qtbot: QtBot, sqlite_hall: Hall, supervisor: Actor,
                                                         work_context: Context) -> None:
    from desktop.services.suggestions import submit_suggestion
    from ui.cases.suggestions import SuggestionsPanel

    receipt = submit_suggestion(sqlite_hall, KIOSK, content="建议延长周六上午的接待时间", name="李军",
                                phone="13857912345")
    panel = SuggestionsPanel(work_context(supervisor))
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1)
    assert panel.table.item(0, 2).text() == "李*" and panel.table.item(0, 4).text() == "待答复"
    panel.table.selectRow(0)
    assert "周六" in panel.content.text()
    panel.award.setText("荣誉证书")
    with qtbot.waitSignal(panel.tasks.settled):
        _click(qtbot, panel.save_award)
    assert "被采纳" in panel.message.text()
    panel.answer.setPlainText("已研究，自下月起试行")
    panel.adoption.setCurrentText("采纳")
    with qtbot.waitSignal(panel.saved):
        _click(qtbot, panel.save_answer)
    qtbot.waitUntil(lambda: panel.table.item(0, 5) is not None and panel.table.item(0, 5).text() == "采纳")
    panel.table.selectRow(0)
    panel.award.setText("荣誉证书")
    with qtbot.waitSignal(panel.saved):
        _click(qtbot, panel.save_award)
    qtbot.waitUntil(lambda: panel.table.item(0, 6).text() == "荣誉证书")
    assert receipt.number in panel.message.text()


def test_a_ticket_with_the_id_card(qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: Any,
                                   tmp_path: Any) -> None:
    from tests.conftest import make_hall
    from ui.kiosk.ticket import TicketFlow

    hall = make_hall(sqlite_engine, clock, id_reader="sim:seed=7", printer_receipts=f"pdf:{tmp_path}")
    queue = _Queue()
    flow = TicketFlow(work_context(KIOSK, "kiosk", hall=hall), window_types=queue.window_types,
                      issue_ticket=queue.issue_ticket)
    qtbot.addWidget(flow)
    flow.resize(1920, 1080)
    flow.show()
    qtbot.waitUntil(lambda: len(flow.type_buttons) == 2)
    assert flow.card_button.isVisible()
    _click(qtbot, flow.card_button)
    qtbot.waitUntil(lambda: "已读取" in flow.card_state.text(), timeout=10_000)
    with qtbot.waitSignal(flow.issued, timeout=10_000):
        _click(qtbot, flow.type_buttons[0])
    (call,) = queue.calls
    assert call["id_number"] and flow.number.text() == "A001" and flow.card is None  # the card is not kept


def _card_ticket_flow(qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: Any, tmp_path: Any) -> Any:
    """取号 on a kiosk with a simulated card reader, its slips printed to PDF files in ``tmp_path``."""
    from desktop.app import _issue_ticket, _window_types
    from tests.conftest import make_hall
    from ui.kiosk.ticket import TicketFlow

    hall = make_hall(sqlite_engine, clock, id_reader="sim:seed=7", printer_receipts=f"pdf:{tmp_path}")
    flow = TicketFlow(work_context(KIOSK, "kiosk", hall=hall), window_types=_window_types, issue_ticket=_issue_ticket)
    qtbot.addWidget(flow)
    flow.resize(1920, 1080)
    flow.show()
    return flow


def _first_business_with_the_card(qtbot: QtBot, flow: Any) -> None:
    """The ticket page from its start (完成), the card read from the reader, the first business tapped: issued."""
    flow.done_button.click()
    qtbot.waitUntil(lambda: len(flow.type_buttons) >= 2)
    _click(qtbot, flow.card_button)
    qtbot.waitUntil(lambda: "已读取" in flow.card_state.text(), timeout=10_000)
    with qtbot.waitSignal(flow.issued, timeout=10_000):
        _click(qtbot, flow.type_buttons[0])


def test_the_same_card_again_is_shown_its_waiting_ticket_and_no_second_is_printed(
        qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: Any, tmp_path: Any) -> None:
    flow = _card_ticket_flow(qtbot, work_context, sqlite_engine, clock, tmp_path)
    for number in ("A001", "A001"):
        _first_business_with_the_card(qtbot, flow)
        assert flow.number.text() == number
    said = flow.ahead.text().replace("\u200b", "")
    assert "您已取过A001号，前面没有人在等候" in said
    qtbot.waitUntil(lambda: len(list(tmp_path.glob("*.pdf"))) == 1)  # the first slip only
    assert "没有另发新号" in flow.printing.text().replace("\u200b", "")


def test_a_slow_printers_answer_is_not_said_over_the_next_tickets_page(
        qtbot: QtBot, work_context: Context, sqlite_engine: Any, clock: Any, tmp_path: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The first slip was still printing when the same card was shown again: its 请取走号票 came over the second
    page's 没有另发新号，请凭原来的号票等候叫号 — telling the person to take a slip that never came out."""
    import threading

    from desktop.services import printing

    release = threading.Event()
    real = printing.print_document

    def slow(*args: Any, **kwargs: Any) -> Any:
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(printing, "print_document", slow)
    flow = _card_ticket_flow(qtbot, work_context, sqlite_engine, clock, tmp_path)
    for _visit in range(2):
        _first_business_with_the_card(qtbot, flow)
    assert "没有另发新号" in flow.printing.text()
    with qtbot.waitSignal(flow.devices.settled, timeout=10_000):
        release.set()  # the first slip comes out now
    assert len(list(tmp_path.glob("*.pdf"))) == 1
    assert "没有另发新号" in flow.printing.text() and "请取走" not in flow.printing.text()


def test_the_kiosk_window_offers_the_leaders_reception_day_booking(qtbot: QtBot, sqlite_hall: Hall) -> None:
    from desktop.app import build_window
    from ui.kiosk.booking import BookingFlow

    window = build_window(sqlite_hall, "kiosk")
    qtbot.addWidget(window)
    body = window.body  # type: ignore[union-attr]
    assert isinstance(body, KioskShell) and "booking" in body.tile_buttons
    _click(qtbot, body.tile_buttons["booking"])
    flow = body.flow
    assert isinstance(flow, BookingFlow)
    qtbot.waitUntil(lambda: not flow.tasks.busy)
    _click(qtbot, body.home_button)
    assert body.flow is None and body.pages.currentWidget() is body.home


def test_the_first_frame_carries_the_home_screen_only(qtbot: QtBot, work_context: Context) -> None:
    """The PIN page and the idle countdown are built when first needed, once each."""
    body = kiosk_body(work_context(KIOSK, "kiosk"))
    qtbot.addWidget(body)
    assert body._pin_page is None and body._overlay is None
    assert body.pages.count() == 2  # the home screen and the flows' scroll area
    body.wipe()  # going home builds neither
    assert body._pin_page is None and body._overlay is None
    assert body.pin_page is body.pin_page and body.pages.indexOf(body.pin_page) == 2
    assert body.overlay is body.overlay and not body.overlay.isVisible()


@pytest.mark.parametrize("typed_into", ["the window, locked, nothing focused", "a focused tile"])
def test_a_scan_from_the_home_screen_is_read_once(qtbot: QtBot, work_context: Context, sqlite_hall: Hall,
                                                  clerk: Actor, typed_into: str) -> None:
    """Each of the scanner's keys is read once: with nothing focused they go to the window itself (which has
    a filter of its own as well); a focused button leaves them to its parents, level by level."""
    from ui.shell.device import DeviceWindow

    result = register_visit(sqlite_hall, clerk, form())
    payload = make_payload(sqlite_hall.settings.public_lookup_url, result.case_number, result.query_code)
    window = DeviceWindow(work_context(KIOSK, "kiosk"), kiosk_body)
    qtbot.addWidget(window)
    body = window.body
    assert isinstance(body, KioskShell)
    target: QWidget = window
    if typed_into == "a focused tile":
        window.show()
        target = body.tile_buttons["register"]
    else:
        body.lock()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: body.filtering)
    target.setFocus()
    qtbot.keyClicks(target, payload)
    qtbot.keyClick(target, Qt.Key.Key_Return)
    flow = body.flow
    assert isinstance(flow, ProgressFlow), body.home_message.text()
    qtbot.waitUntil(lambda: flow.current_page is flow.result_page)
    body._unlock()


def test_a_kiosk_locked_while_on_screen_is_frameless_on_top_and_shown(qtbot: QtBot, work_context: Context) -> None:
    from ui.shell.device import DeviceWindow

    window = DeviceWindow(work_context(KIOSK, "kiosk"), kiosk_body)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    body = window.body
    assert isinstance(body, KioskShell)
    body.lock()  # the window system is told (the window exists already)
    qtbot.waitExposed(window)
    handle = window.windowHandle()
    assert handle is not None
    assert handle.flags() & Qt.WindowType.FramelessWindowHint
    assert handle.flags() & Qt.WindowType.WindowStaysOnTopHint
    assert window.isVisible() and window.isFullScreen()


def test_the_guide_states_the_limits_as_the_hall_counts_them(qtbot: QtBot, sqlite_hall: Hall,
                                                            work_context: Context) -> None:
    from desktop.config import with_values

    sqlite_hall.use_settings(with_values(sqlite_hall.settings, {"day_counting": "working"}))
    body = kiosk_body(work_context(Actor.kiosk("K01"), "kiosk"))
    qtbot.addWidget(body)
    guide = body.open_flow("guide")
    assert isinstance(guide, GuideFlow)
    _click(qtbot, guide.buttons[3])
    assert guide.title.text() == "办理时限"
    assert "15个工作日内书面告知是否受理" in guide.text.text() and "15日" not in guide.text.text()
    # a transferred case waits on the receiving unit's own limit: the guide says so, counted as the hall counts
    assert "信访部门收到之日起15个工作日内转送、交办；接收的机关、单位收到之日起15个工作日内决定是否受理" \
        in guide.text.text()


def test_outside_the_hours_the_ticket_page_says_when_the_hall_opens(qtbot: QtBot, sqlite_engine: Any,
                                                                    clock: Any) -> None:
    """The composed kiosk (desktop/app.py) over the real queue: no button for a number that would be refused."""
    from datetime import datetime

    from desktop.app import build_window
    from desktop.domain.hours import DEFAULT_HOURS
    from tests.conftest import make_hall
    from ui.kiosk.ticket import TicketFlow

    hall = make_hall(sqlite_engine, clock, hall_hours=DEFAULT_HOURS)
    clock.current = datetime(2026, 9, 16, 3, 0)
    window = build_window(hall, "kiosk")
    qtbot.addWidget(window)
    body = window.body  # type: ignore[union-attr]
    assert isinstance(body, KioskShell)
    qtbot.waitUntil(lambda: "ticket" in body.tile_buttons and body.tile_buttons["ticket"].isEnabled())
    flow = body.open_flow("ticket")
    assert isinstance(flow, TicketFlow)
    qtbot.waitUntil(lambda: not flow.tasks.busy and "大厅" in flow.lead.text(), timeout=10_000)
    assert flow.lead.text().startswith("现在不是大厅开放时间。大厅将于今天8:30开放")
    assert flow.lead.text().endswith("请到时再来取号") and flow.type_buttons == []
    body.wipe()
    clock.current = datetime(2026, 9, 16, 9, 30)  # open, but no reception day today: no 领导接访 number
    flow = body.open_flow("ticket")
    assert isinstance(flow, TicketFlow)
    qtbot.waitUntil(lambda: len(flow.type_buttons) == 3, timeout=10_000)
    assert [b.accessibleName() for b in flow.type_buttons] == ["综合接待", "农民工欠薪绿色通道", "涉法涉诉"]
    body.wipe()
    from desktop.domain.queue import QueueAction, TicketSource
    from desktop.services import queue

    queue.issue_ticket(hall, type_code="general", source=TicketSource.COUNTER)
    served = queue.call_next(hall, window=1)
    assert served is not None
    queue.act(hall, served.ticket_id, QueueAction.START, window=1)
    clock.current = datetime(2026, 9, 16, 10, 0)  # half an hour a visitor today
    queue.act(hall, served.ticket_id, QueueAction.FINISH, window=1)
    queue.issue_ticket(hall, type_code="general", source=TicketSource.COUNTER)
    clock.current = datetime(2026, 9, 16, 17, 29)  # still open: a number, and that today may not reach it
    flow = body.open_flow("ticket")
    assert isinstance(flow, TicketFlow)
    qtbot.waitUntil(lambda: len(flow.type_buttons) == 3, timeout=10_000)
    with qtbot.waitSignal(flow.issued, timeout=10_000):
        _click(qtbot, flow.type_buttons[0])
    assert flow.number.text() == "A003" and "预计等候约30分钟" in flow.ahead.text()
    assert "大厅今天17:30停止办理，按预计等候时间今天可能轮不到您" in flow.ahead.text()


def test_the_rating_reason_is_cleared_in_one_tap_and_nothing_of_it_survives_the_wipe(
        qtbot: QtBot, shell: KioskShell, sqlite_hall: Hall, clerk: Actor) -> None:
    """The rating's reason takes 500 characters: it had no 清空重写 beside it, as the other long boxes have."""
    from ui.kiosk.screens import StartOver

    result = _answered(sqlite_hall, clerk)
    flow = shell.open_flow("progress")
    assert isinstance(flow, ProgressFlow)
    _query(qtbot, flow, result.case_number, result.query_code)
    _click(qtbot, flow.rate_button)
    button = next(b for b in flow.findChildren(StartOver) if b.box is flow.reason)
    qtbot.waitUntil(button.isVisible)
    assert not button.isEnabled()
    flow.reason.setPlainText("扫描枪输入的内容" * 60)
    _click(qtbot, button)
    assert flow.reason.toPlainText() == "" and button.text() == "恢复刚才写的"
    _click(qtbot, button)
    assert flow.reason.toPlainText().startswith("扫描枪") and button.text() == "清空重写"
    _click(qtbot, button)
    shell.wipe()
    assert flow.reason.document().isEmpty() and not flow.reason.document().isUndoAvailable()


def test_home_keeps_the_citizens_large_text_and_contrast_the_idle_wipe_does_not(qtbot: QtBot,
                                                                              shell: KioskShell) -> None:
    shell.large_button.setChecked(True)
    shell.contrast_button.setChecked(True)
    flow = shell.open_flow("guide")
    assert flow is not None
    shell.go_home()  # the flow's own 完成, or 返回首页
    assert shell.flow is None and shell.large_button.isChecked() and shell.contrast_button.isChecked()
    assert "font-size: 39px" in shell.styleSheet()  # the page in large text still (26 px × 1.5)
    shell.open_flow("guide")
    shell.wipe()  # walked away: the next citizen finds the kiosk as it starts
    assert not shell.large_button.isChecked() and not shell.contrast_button.isChecked()


def test_large_text_and_contrast_left_on_at_home_go_off_after_the_idle_time(qtbot: QtBot,
                                                                         work_context: Context) -> None:
    """A citizen turned on 大字 and 高对比, finished (完成 keeps them, for another service) and walked away: the
    next citizen found the kiosk in large yellow-on-black. At home the idle time runs while a mode is on, and its
    end turns them off, with no countdown (nothing of anyone's is on the home screen); with both off it does
    not run at all."""
    shell = KioskShell(work_context(KIOSK, "kiosk"), kiosk_body(work_context(KIOSK, "kiosk")).tiles, idle_ms=50)
    qtbot.addWidget(shell)
    shell.resize(1920, 1080)
    shell.show()
    assert not shell.idle.running  # the kiosk as it starts: nothing to wait for
    _click(qtbot, shell.large_button)
    _click(qtbot, shell.contrast_button)
    assert shell.flow is None and shell.idle.running
    qtbot.waitUntil(lambda: not shell.large_button.isChecked() and not shell.contrast_button.isChecked(),
                    timeout=3000)
    assert not shell.large and not shell.contrast and not shell.countdown_timer.isActive()
    assert not shell.idle.running and "font-size: 39px" not in shell.styleSheet()  # the normal text again
    shell.large_button.setChecked(True)
    shell.open_flow("guide")
    shell.go_home()  # 完成: the modes stay for the same citizen, and the idle time runs for the next
    assert shell.large_button.isChecked() and shell.idle.running
    _click(qtbot, shell.large_button)  # turned off by hand: nothing left to wait for
    assert not shell.idle.running


def test_after_the_idle_wipe_a_late_tap_for_continue_opens_nothing(qtbot: QtBot, work_context: Context,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Standing up, 继续使用 lies over a home tile: a tap meant for it that comes just after the wipe only takes
    away the card that says the screen was cleared; the next tap opens the service."""
    import ui.kiosk.shell as shell_module

    body = KioskShell(work_context(KIOSK, "kiosk"), kiosk_body(work_context(KIOSK, "kiosk")).tiles, idle_ms=30)
    qtbot.addWidget(body)
    body.resize(1080, 1920)
    body.show()
    qtbot.waitExposed(body)
    body.open_flow("register")
    body.countdown_timer.setInterval(5)
    with qtbot.waitSignal(body.wiped, timeout=3000):
        pass
    overlay = body.overlay
    assert overlay.isVisible() and "已回到首页" in overlay.heading.text() and "已全部清除" in overlay.text.text()
    assert overlay.keep.text() == "知道了" and not overlay.seconds.isVisible()
    # the tile under the card's button, where the late tap lands
    at = overlay.keep.mapTo(body, overlay.keep.rect().center())
    under = [key for key, tile in body.tile_buttons.items()
             if tile.isVisible() and tile.rect().contains(tile.mapFrom(body, at))]
    assert under, "a home tile lies under 继续使用 standing up"
    qtbot.mouseClick(overlay.keep, Qt.MouseButton.LeftButton)
    assert not overlay.isVisible() and body.flow is None and body.pages.currentWidget() is body.home
    qtbot.mouseClick(body.tile_buttons[under[0]], Qt.MouseButton.LeftButton)
    assert body.flow_key == under[0]
    # a new countdown asks again, with its seconds; after the wipe the card goes by itself
    monkeypatch.setattr(shell_module, "WIPED_NOTICE_MS", 20)
    qtbot.waitUntil(lambda: overlay.isVisible() and overlay.seconds.isVisible(), timeout=3000)
    assert "使用吗" in overlay.heading.text() and overlay.keep.text() == "继续使用"
    with qtbot.waitSignal(body.wiped, timeout=3000):
        pass
    qtbot.waitUntil(lambda: not overlay.isVisible(), timeout=3000)
    assert body.flow is None


@pytest.mark.unexpected_errors
def test_a_fault_at_the_kiosk_is_told_on_its_own_card_once(qtbot: QtBot, work_context: Context) -> None:
    """No small system box at a kiosk: the kiosk's card in a citizen's words, one however often it fails, the
    reference small; 知道了 takes it away, and the idle wipe does too."""
    from PySide6.QtWidgets import QMessageBox

    body = KioskShell(work_context(KIOSK, "kiosk"), kiosk_body(work_context(KIOSK, "kiosk")).tiles)
    qtbot.addWidget(body)
    body.resize(1080, 1920)
    body.show()
    qtbot.waitExposed(body)
    flow = body.open_flow("progress")
    assert flow is not None
    group = body.ctx.group(flow)

    def fault(_hall: object) -> None:
        raise KeyError("330726196803120123")

    for _ in range(2):
        with qtbot.waitSignal(group.settled):
            group.run(fault, lambda _v: None)
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    card = body._failure
    assert card is not None and card.isVisible()
    assert card.geometry() == body.rect() and body.rect().contains(card.card.geometry())
    assert "接待窗口" in card.text.text() and "还在" in card.text.text()
    assert card.reference.text().startswith("参考号 E-")
    assert not any("330726196803120123" in t or "KeyError" in t for t in widget_texts(body))
    assert len([w for w in body.findChildren(QWidget) if type(w).__name__ == "FailureCard"]) == 1
    _click(qtbot, card.ok)
    assert not card.isVisible() and body.flow is flow  # the flow as it was
    with qtbot.waitSignal(group.settled):
        group.run(fault, lambda _v: None)
    assert card.isVisible()
    body.wipe()
    assert not card.isVisible()
