"""The leader opens a visitor's materials from 今日接访, exactly as from the case screen.

Each material of the visitor's earlier cases is a link in the dossier: a tap (or Tab to it and
Enter) shows it in the program's viewer — read on this PC, or fetched from the server and kept —
and a file the server does not hold yet is said in the case screen's words.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QTextBrowser
from pytestqt.qtbot import QtBot
from sqlalchemy import delete

from db.models import AttachmentRow
from desktop.services import attachments, cases, reception
from desktop.services.attachments import AttachmentRef
from desktop.services.context import Actor, Hall
from desktop.services.registration import register_visit
from tests.helpers import form, valid_id
from tests.ui.test_material_open import Server, _png
from ui.cases.search import CaseSearchPanel
from ui.common.material import MaterialViewer
from ui.reception.day import LeaderDayScreen
from ui.shell.context import WorkContext

Context = Callable[..., WorkContext]
LEADER = Actor("staff:lingdao1", "周建华", "leader")
LETTER = "尊敬的领导：我家楼下的电梯已停运三个月，物业一直推诿，恳请督促维修。\n此致\n敬礼\n".encode()


def _visitor_with_materials(hall: Hall, clerk: Actor, seq: int) -> tuple[str, AttachmentRef, AttachmentRef]:
    """A case with two materials — a photo kept on this PC, a letter that came with the events only — booked today."""
    photo = attachments.store_bytes(hall, clerk, "电梯停运现场照片.png", _png())
    letter = attachments.store_bytes(hall, clerk, "张建国来信.txt", LETTER)
    number = register_visit(hall, clerk, form(id_number=valid_id(seq=seq), attachments=(
        photo.as_payload(), letter.as_payload()))).case_number
    with hall.transaction() as session:  # registered at another counter: its scan is not on this PC
        session.execute(delete(AttachmentRow).where(AttachmentRow.sha256 == letter.sha256))
    day = reception.add_day(hall, clerk, date(2026, 9, 16), leaders=["县长 周建华"])
    reception.book(hall, clerk, day.day_id, reception.Visitor("张建国", valid_id(seq=seq)))
    return number, photo, letter


def _screen(qtbot: QtBot, work_context: Context, server: Server, reader: Actor = LEADER) -> LeaderDayScreen:
    screen = LeaderDayScreen(work_context(reader, "leader"), material_source=lambda _hall: server)
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    screen.show()
    qtbot.waitUntil(lambda: screen.table.rowCount() == 1, timeout=10_000)
    with qtbot.waitSignal(screen.opened, timeout=10_000):
        screen.table.selectRow(0)
    return screen


def _link(view: QTextBrowser, text: str) -> tuple[QPoint, str]:
    """Where the link reading ``text`` stands in the view (scrolled into sight), and the address it holds."""
    cursor = view.document().find(text, 0, QTextDocument.FindFlag.FindCaseSensitively)
    assert not cursor.isNull(), f"{text} is not in the dossier"
    cursor.setPosition(cursor.selectionStart() + 1)
    view.setTextCursor(cursor)
    view.ensureCursorVisible()
    point = view.cursorRect(cursor).center()
    return point, view.anchorAt(point)


def test_both_materials_are_links_and_each_opens_in_the_viewer(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                                              work_context: Context) -> None:
    _number, photo, letter = _visitor_with_materials(sqlite_hall, clerk, 81)
    server = Server({letter.sha256: LETTER})
    screen = _screen(qtbot, work_context, server)
    text = screen.view.toPlainText()
    lines = text.splitlines()
    assert len(LETTER) < 512 and len(_png()) < 1024  # a few hundred bytes each: 1 KB, never 0 KB
    materials = lines[lines.index("材料：") + 1:][:2]  # one a line
    assert materials == ["电梯停运现场照片.png（1 KB）", "张建国来信.txt（1 KB）"]
    _photo_at, photo_link = _link(screen.view, "电梯停运现场照片.png")
    letter_at, letter_link = _link(screen.view, "张建国来信.txt")
    assert photo_link and letter_link and photo_link != letter_link  # each its own link
    # a tap on the letter: not on this PC, so fetched from the server, kept, and shown
    with qtbot.waitSignal(screen.materials.shown, timeout=10_000):
        qtbot.mouseClick(screen.view.viewport(), Qt.MouseButton.LeftButton, pos=letter_at)
    viewer = screen.materials.viewer
    assert isinstance(viewer, MaterialViewer) and viewer.isVisible()
    assert viewer.windowTitle() == "材料：张建国来信.txt" and viewer.data == LETTER and server.asked == [letter.sha256]
    assert "电梯已停运三个月" in viewer.view.toPlainText()  # type: ignore[attr-defined]
    assert attachments.attachment_data(sqlite_hall, LEADER, letter.sha256) == LETTER
    assert not screen.material_note.isVisible()  # 正在打开材料… is gone once it is shown
    viewer.close()
    # by keyboard: Tab from the dossier's text reaches the first link, Enter opens it (here, no server asked)
    screen.view.setFocus(Qt.FocusReason.OtherFocusReason)
    screen.view.moveCursor(screen.view.textCursor().MoveOperation.Start)
    qtbot.keyClick(screen.view, Qt.Key.Key_Tab)
    assert screen.view.textCursor().selectedText() == "电梯停运现场照片.png"
    with qtbot.waitSignal(screen.materials.shown, timeout=10_000) as shown:
        qtbot.keyClick(screen.view, Qt.Key.Key_Return)
    assert shown.args == [photo]
    viewer = screen.materials.viewer
    assert isinstance(viewer, MaterialViewer) and viewer.data == _png() and server.asked == [letter.sha256]
    viewer.close()


def test_a_material_the_server_lacks_yet_is_said_as_on_the_case_screen(qtbot: QtBot, sqlite_hall: Hall,
                                                                       clerk: Actor, work_context: Context) -> None:
    number, _photo, _letter = _visitor_with_materials(sqlite_hall, clerk, 82)
    nothing = Server({})
    screen = _screen(qtbot, work_context, nothing)
    point, _address = _link(screen.view, "张建国来信.txt")
    qtbot.mouseClick(screen.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: "尚未上传到服务器" in screen.material_note.text(), timeout=10_000)
    assert screen.materials.viewer is None and screen.material_note.isVisible()
    # the case screen, the same file
    panel = CaseSearchPanel(work_context(LEADER), material_source=lambda _hall: nothing)
    qtbot.addWidget(panel)
    panel.resize(1366, 768)
    panel.show()
    with qtbot.waitSignal(panel.detail_shown, timeout=10_000):
        panel.open_number(number)
    point, _address = _link(panel.detail, "张建国来信.txt")
    qtbot.mouseClick(panel.detail.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: "尚未上传到服务器" in panel.reveal_note.text(), timeout=10_000)
    assert screen.material_note.text() == panel.reveal_note.text()
    assert "Traceback" not in screen.material_note.text()


def test_an_accused_units_leader_gets_no_link_to_the_accusations_materials(
        qtbot: QtBot, sqlite_hall: Hall, clerk: Actor, work_context: Context) -> None:
    """Where the case screen withholds an accusation (条例第三十条), the dossier lists none of its materials."""
    _number, photo, _letter = _visitor_with_materials(sqlite_hall, clerk, 83)
    secret = attachments.store_bytes(sqlite_hall, clerk, "举报材料.pdf", b"%PDF-1.4 secret")
    accusation = register_visit(sqlite_hall, clerk, form(
        id_number=valid_id(seq=83), request="举报县住建局某科长索要好处费",
        attachments=(secret.as_payload(),))).case_number
    cases.classify(sqlite_hall, clerk, accusation, nature="检举控告类", topic_code="1202",
                   accused_org_codes=["330726-ZJJ"])
    accused = Actor("staff:zjjld", "住建局局长", "leader", org_code="330726-ZJJ")
    screen = _screen(qtbot, work_context, Server({}), accused)
    text = screen.view.toPlainText()
    assert accusation in text and "举报材料.pdf" not in text and "电梯停运现场照片.png" in text
    point, _address = _link(screen.view, "电梯停运现场照片.png")  # the one link there is opens its own file
    with qtbot.waitSignal(screen.materials.shown, timeout=10_000) as shown:
        qtbot.mouseClick(screen.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert shown.args == [photo]
    assert screen.materials.viewer is not None
    screen.materials.viewer.close()
