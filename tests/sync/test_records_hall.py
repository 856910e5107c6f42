"""One schedule, one set of bookings and suggestions for the whole hall, over a real hall server on a socket.

Two kiosks, a counter, the leader's PC and the display each mirror the authority's records;
bookings are decided by the authority (the last place goes to one of two kiosks, the other
waits), suggestions taken by a kiosk cut off from the server are kept and merged once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select, text

from db.models import AppointmentRow, DossierNoteRow, SuggestionRow
from desktop.domain.access import Actor
from desktop.domain.errors import RuleViolation
from desktop.printing.simulated import SimulatedPrinter
from desktop.services import leaderday, reception, suggestions
from desktop.services.context import Hall
from desktop.services.reception import Visitor
from desktop.sync.records_client import RecordsClient
from server.app import create_app
from server.app import serving as serve_in_thread
from server.store import SyncServer, enrol_device
from tests.helpers import valid_id
from tests.sync.conftest import DeviceFactory, enrolled, free_port, linked, with_staff
from ui.kiosk.booking import BookingFlow
from ui.reception.day import LeaderDayScreen

CLERK = Actor("staff:wangli", "王丽", "clerk")
SUPERVISOR = Actor("staff:zhaomin", "赵敏", "supervisor")
LEADER = Actor("staff:lingdao1", "陈志远", "leader")
DAY = date(2026, 9, 30)


@pytest.fixture
def hall_server(device_hall: DeviceFactory) -> SyncServer:
    return SyncServer(with_staff(device_hall("hallserver", code="H01")))


@contextmanager
def links(server: SyncServer, url: str, *devices: tuple[Hall, str]) -> Iterator[list[RecordsClient]]:
    with linked([RecordsClient(hall, url, enrolled(server, hall, role), erase=role == "kiosk", max_backoff=0.3)
                 for hall, role in devices]) as started:
        yield started


def eventually(hall: Hall, check: Callable[[], bool], timeout: float = 10) -> None:
    """Wait (on the hall's change notices, never sleeping blind) until ``check`` holds."""
    changed = threading.Event()
    unsubscribe = hall.changes.subscribe(lambda _changes: changed.set())
    try:
        waited = 0.0
        while not check():
            assert waited < timeout, "the change did not arrive in time"
            changed.wait(0.2)
            changed.clear()
            waited += 0.2
    finally:
        unsubscribe()


def _names(hall: Hall) -> list[str]:
    with hall.sessions() as session:
        return list(session.scalars(select(AppointmentRow.name)))


def test_a_kiosk_booking_shows_on_the_leaders_pc_and_the_schedule_is_the_same_everywhere(
        hall_server: SyncServer, device_hall: DeviceFactory) -> None:
    kiosk_one, kiosk_two, counter, leader, display = (device_hall(n) for n in ("ka", "kb", "counter", "leader",
                                                                               "display"))
    citizen = Actor.kiosk(kiosk_one.settings.device_code)
    with serve_in_thread(create_app(hall_server.hall, server=hall_server)) as url, \
            links(hall_server, url, (kiosk_one, "kiosk"), (kiosk_two, "kiosk"), (counter, "counter"),
                  (leader, "leader"), (display, "display")):
        # the schedule, generated at the counter, is the authority's and every PC's
        days = reception.generate_schedule(counter, SUPERVISOR, date(2026, 10, 1), 3, leaders=["县长 周建华"])
        extra = reception.add_day(counter, CLERK, DAY, leaders=["副县长 李明"], slots="09:00-10:00/1,10:00-11:00/1")
        wanted = [d.day for d in [extra, *days]]
        for hall, actor in ((kiosk_one, citizen), (kiosk_two, Actor.kiosk("KB01")), (leader, LEADER)):
            eventually(hall, lambda h=hall, a=actor: [d.day for d in reception.list_days(h, a)] == wanted)
        eventually(display, lambda: reception.next_reception_day(display) == DAY)

        booking = reception.book(kiosk_one, citizen, extra.day_id, Visitor("张建国", valid_id(seq=101)), slot=1,
                                 source="自助终端")
        assert booking.appointment.slot_label == "10:00–11:00" and booking.appointment.name == "张**"
        eventually(leader, lambda: [a.name for a in reception.appointments(leader, LEADER, extra.day_id)] == ["张**"])
        assert reception.office_notice(leader, LEADER, extra.day_id).appointments[0].name == "张建国"
        # the kiosks see the place taken, never who took it
        eventually(kiosk_two, lambda: reception.list_days(kiosk_two, Actor.kiosk("KB01"))[0].free == 1)
        assert _names(kiosk_one) == [""] and _names(kiosk_two) == [""]

        # the clerk's note and the leader's decision reach every staff PC through the authority
        appointment_id = booking.appointment.appointment_id
        leaderday.annotate(counter, CLERK, appointment_id, "来电称材料已备齐")
        eventually(leader, lambda: len(leaderday.dossier(leader, LEADER, appointment_id).notes) == 1)
        leaderday.mark_received(leader, LEADER, appointment_id, "请人社局十日内答复", False)
        eventually(counter, lambda: reception.appointments(counter, CLERK, extra.day_id)[0].status == "已接待")
        with pytest.raises(RuleViolation, match="已接待或已取消"):
            reception.cancel(counter, CLERK, appointment_id)
    with kiosk_one.sessions() as session, display.sessions() as shown:
        assert session.scalar(select(DossierNoteRow.text)) is None  # staff notes stay off the kiosk
        assert shown.scalar(select(AppointmentRow.appointment_id)) is None  # the display: days only


def test_two_kiosks_booking_the_last_place_at_once_one_is_booked_one_waits(
        hall_server: SyncServer, device_hall: DeviceFactory) -> None:
    kiosks = [device_hall("ka"), device_hall("kb")]
    counter = device_hall("counter")
    with serve_in_thread(create_app(hall_server.hall, server=hall_server)) as url, \
            links(hall_server, url, *((k, "kiosk") for k in kiosks), (counter, "counter")):
        day = reception.add_day(counter, CLERK, DAY, leaders=["县长 周建华"], slots="09:00-10:00/1")
        for k in kiosks:
            eventually(k, lambda k=k: len(reception.list_days(k, Actor.kiosk(k.settings.device_code))) == 1)
        start = threading.Barrier(len(kiosks))
        results: dict[int, reception.Booking] = {}
        failures: list[BaseException] = []

        def take(n: int) -> None:
            try:
                start.wait(5)
                results[n] = reception.book(kiosks[n], Actor.kiosk(kiosks[n].settings.device_code), day.day_id,
                                            Visitor(("张建国", "李梅")[n], valid_id(seq=300 + n), f"1385791230{n}"),
                                            source="自助终端")
            except BaseException as exc:
                failures.append(exc)

        threads = [threading.Thread(target=take, args=(n,)) for n in range(len(kiosks))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert not failures, failures
        assert sorted(b.waiting_position for b in results.values()) == [0, 1]
        eventually(counter, lambda: sorted(a.status for a in reception.appointments(counter, CLERK, day.day_id))
                   == ["候补", "已预约"])


def test_a_suggestion_taken_offline_is_merged_once_and_the_kiosk_keeps_no_copy(
        hall_server: SyncServer, device_hall: DeviceFactory) -> None:
    kiosk, counter = device_hall("ka"), device_hall("counter")
    citizen = Actor.kiosk(kiosk.settings.device_code)
    port = free_port()
    app = create_app(hall_server.hall, server=hall_server)
    url = f"http://127.0.0.1:{port}"
    cut_off = RecordsClient(kiosk, url, enrolled(hall_server, kiosk, "kiosk"), erase=True, max_backoff=0.3).start()
    try:
        assert cut_off.cut.wait(10)  # no server yet: the kiosk keeps the suggestion, pending
        receipt = suggestions.submit_suggestion(kiosk, citizen, content="建议在大厅增设老年人专用等候区和饮水点",
                                                name="张建国", phone="13857912345")
        with pytest.raises(RuleViolation, match="连接中断"):  # capacity is decided in one place only
            reception.book(kiosk, citizen, "day", Visitor("张建国", valid_id(seq=101)))
        with kiosk.sessions() as session:
            assert session.scalar(select(SuggestionRow.pending)) is True
        with serve_in_thread(app, port=port), links(hall_server, url, (counter, "counter")):
            assert cut_off.online.wait(10), cut_off.last_error
            eventually(counter, lambda: [s.number for s in suggestions.list_suggestions(counter, CLERK)]
                       == [receipt.number])
            with kiosk.sessions() as session:
                assert session.scalar(select(SuggestionRow.suggestion_id)) is None  # erased once acknowledged
            # the same merge again (a lost answer, a retry) keeps one copy
            with hall_server.hall.sessions() as session:
                row = session.scalars(select(SuggestionRow)).one()
                again = {c.key: getattr(row, c.key) for c in SuggestionRow.__mapper__.column_attrs}
            again = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in again.items()}
            token = enrolled(hall_server, kiosk, "kiosk")
            answered = httpx.post(f"{url}/records/suggestions/merge", json={"suggestions": [again]},
                                  headers={"Authorization": f"Bearer {token}"})
            assert answered.status_code == 200 and answered.json()["result"] == 0
            # staff answer it; the authority keeps the answer and the adoption
            shown = suggestions.answer_suggestion(counter, CLERK, receipt.number, answer="已转交管理部门研究落实",
                                                  adoption="采纳")
            assert shown.adoption == "采纳" and shown.name == "张**"
    finally:
        cut_off.stop()
    with hall_server.hall.sessions() as session:
        kept = session.scalars(select(SuggestionRow)).one()
    assert (kept.number, kept.name, kept.adoption, kept.answer) == (receipt.number, "张建国", "采纳",
                                                                    "已转交管理部门研究落实")


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_kiosks_and_displays_get_what_they_may_and_bad_input_is_named(hall_server: SyncServer) -> None:
    hall = hall_server.hall
    day = reception.add_day(hall, CLERK, DAY, leaders=["县长 周建华"])
    reception.book(hall, CLERK, day.day_id, Visitor("李梅", valid_id(seq=102), "13857912345"))
    suggestions.submit_suggestion(hall, CLERK, content="建议延长周末办事大厅开放时间", name="王强")
    kiosk = enrol_device(hall, "devk", "kiosk", device_code="K09")
    display = enrol_device(hall, "devd", "display")
    counter = enrol_device(hall, "devc", "counter")
    with serve_in_thread(create_app(hall, server=hall_server)) as url, httpx.Client(base_url=url) as api:
        seen_by_kiosk = api.get("/records/snapshot", headers=_auth(kiosk)).json()["rows"]
        seen_by_display = api.get("/records/snapshot", headers=_auth(display)).json()["rows"]
        seen_by_counter = api.get("/records/snapshot", headers=_auth(counter)).json()["rows"]
        refused = api.post("/records/suggestions/answer", headers=_auth(kiosk),
                           json={"number": "JY-20260916-X-0001", "answer": "好"})
        not_a_display = api.post("/records/book", headers=_auth(display), json={
            "day_id": day.day_id, "name": "张建国", "id_number": valid_id(seq=101)})
        bad = api.post("/records/book", headers=_auth(kiosk), json={"day_id": day.day_id, "name": "张建国",
                                                                    "id_number": "12"})
        unknown_day = api.post("/records/book", headers=_auth(kiosk), json={
            "day_id": "nope", "name": "张建国", "id_number": valid_id(seq=101)})
        assert api.get("/records/snapshot").status_code == 401
    assert set(seen_by_kiosk) == {"themes", "days", "appointments"}
    assert [a["name"] for a in seen_by_kiosk["appointments"]] == [""]
    assert "13857912345" not in str(seen_by_kiosk) and "李梅" not in str(seen_by_kiosk)
    assert set(seen_by_display) == {"days"}
    assert seen_by_counter["appointments"][0]["name"] == "李梅" and seen_by_counter["suggestions"][0]["name"] == "王强"
    assert refused.status_code == 400 and "不能" in refused.json()["detail"]
    assert not_a_display.status_code == 400
    assert bad.status_code == 422 and "身份证号码" in bad.json()["detail"]
    assert unknown_day.status_code == 400 and "没有这个领导接访日" in unknown_day.json()["detail"]


@pytest.mark.postgres
def test_the_central_server_keeps_names_numbers_and_phones_sealed(server_hall: Hall) -> None:
    reception.add_day(server_hall, CLERK, DAY, leaders=["县长 周建华"])
    kiosk = enrol_device(server_hall, "devk", "kiosk", device_code="K09")
    counter = enrol_device(server_hall, "devc", "counter")
    with serve_in_thread(create_app(server_hall)) as url, httpx.Client(base_url=url) as api:
        [day] = api.get("/records/snapshot", headers=_auth(counter)).json()["rows"]["days"]
        booked = api.post("/records/book", headers=_auth(kiosk), json={
            "day_id": day["day_id"], "name": "张建国", "id_number": valid_id(seq=101), "phone": "13857912345"})
        again = api.post("/records/book", headers=_auth(kiosk), json={
            "day_id": day["day_id"], "name": "张建国", "id_number": valid_id(seq=101)})
        seen = api.get("/records/snapshot", headers=_auth(counter)).json()["rows"]["appointments"]
    assert booked.status_code == 200 and booked.json()["result"]["appointment"]["name"] == "张**"
    assert again.status_code == 400 and "无需重复预约" in again.json()["detail"]
    assert (seen[0]["name"], seen[0]["id_number"], seen[0]["phone"]) == ("张建国", valid_id(seq=101), "13857912345")
    with server_hall.engine.connect() as connection:
        raw = str(connection.execute(text("SELECT * FROM reception_appointments")).all())
    assert "张建国" not in raw and valid_id(seq=101) not in raw and "13857912345" not in raw


def test_a_booking_at_one_kiosks_screens_shows_on_the_leaders_screen(
        qtbot: QtBot, hall_server: SyncServer, device_hall: DeviceFactory, work_context: Callable[..., Any]) -> None:
    kiosk, leader, counter = device_hall("ka"), device_hall("leader"), device_hall("counter")
    with serve_in_thread(create_app(hall_server.hall, server=hall_server)) as url, \
            links(hall_server, url, (kiosk, "kiosk"), (leader, "leader"), (counter, "counter")):
        reception.add_day(counter, CLERK, DAY, leaders=["县长 周建华"], slots="09:00-10:00/2")
        eventually(kiosk, lambda: len(reception.list_days(kiosk, Actor.kiosk(kiosk.settings.device_code))) == 1)
        screen = LeaderDayScreen(work_context(LEADER, "leader", hall=leader))
        qtbot.addWidget(screen)
        screen.show()
        qtbot.waitUntil(lambda: screen.day_box.count() == 1 and screen.table.rowCount() == 0, timeout=10_000)

        flow = BookingFlow(work_context(Actor.kiosk(kiosk.settings.device_code), "kiosk", hall=kiosk))
        qtbot.addWidget(flow)
        flow.printer = SimulatedPrinter
        flow.show()
        flow.load_days()
        qtbot.waitUntil(lambda: len(flow.days) == 1, timeout=10_000)
        qtbot.mouseClick(flow.day_buttons.itemAt(0).widget(), Qt.MouseButton.LeftButton)
        qtbot.mouseClick(flow.slot_buttons.itemAt(0).widget(), Qt.MouseButton.LeftButton)
        flow.name.setText("欧阳建华")
        flow.id_number.setText(valid_id(seq=11))
        with qtbot.waitSignal(flow.booked, timeout=10_000):
            qtbot.mouseClick(flow.confirm, Qt.MouseButton.LeftButton)
        assert flow.outcome.text() == "预约成功"
        qtbot.waitUntil(lambda: flow.print_note.text() == "请取走预约回执", timeout=10_000)
        # pushed by the hall server: the leader's list shows the visitor without anybody refreshing it
        qtbot.waitUntil(lambda: screen.table.rowCount() == 1, timeout=10_000)
        assert screen.table.item(0, 1).text() == "欧阳**"
        qtbot.waitUntil(lambda: not screen.tasks.busy and not flow.tasks.busy, timeout=10_000)


def test_a_walk_in_joins_todays_reception_day_through_the_authority(
        hall_server: SyncServer, device_hall: DeviceFactory) -> None:
    counter, leader = device_hall("counter"), device_hall("leader")
    with serve_in_thread(create_app(hall_server.hall, server=hall_server)) as url, \
            links(hall_server, url, (counter, "counter"), (leader, "leader")):
        with pytest.raises(RuleViolation, match=r"今天.*没有安排领导接访日"):
            reception.book_today(counter, CLERK, Visitor("张建国", valid_id(seq=101)))
        today = reception.add_day(counter, CLERK, counter.today(), leaders=["县长 周建华"], slots="16:00-17:00/1")
        joined = reception.book_today(counter, CLERK, Visitor("张建国", valid_id(seq=101)))
        assert joined.day.day_id == today.day_id and joined.appointment.source == "窗口"
        eventually(leader, lambda: [a.name for a in reception.appointments(leader, LEADER, today.day_id)] == ["张**"])


def test_the_rules_link_is_replaced_by_the_matter_registered_that_day_a_clerks_choice_kept_through_the_authority(
        hall_server: SyncServer, device_hall: DeviceFactory) -> None:
    from desktop.services.registration import register_visit
    from tests.helpers import form

    counter, leader = device_hall("counter"), device_hall("leader")
    with serve_in_thread(create_app(hall_server.hall, server=hall_server)) as url, \
            links(hall_server, url, (counter, "counter"), (leader, "leader")):
        today = reception.add_day(counter, CLERK, counter.today(), leaders=["县长 周建华"], slots="16:00-17:00/4")
        earlier = register_visit(counter, CLERK, form(id_number=valid_id(seq=101))).case_number
        chosen = register_visit(counter, CLERK, form(name="李梅", id_number=valid_id(seq=102))).case_number
        found = reception.book_today(counter, CLERK, Visitor("张建国", valid_id(seq=101)))
        kept = reception.book_today(counter, CLERK, Visitor("李梅", valid_id(seq=102)), case_number=chosen)
        assert (found.appointment.case_number, kept.appointment.case_number) == (earlier, chosen)
        new = register_visit(counter, CLERK, form(id_number=valid_id(seq=101), request="反映小区电梯停运")).case_number
        again = register_visit(counter, CLERK, form(name="李梅", id_number=valid_id(seq=102))).case_number
        assert reception.name_registered_case(counter, CLERK, new) == 1
        with hall_server.hall.sessions() as session:
            stored = {r.appointment_id: (r.case_number, r.case_chosen) for r in session.scalars(select(AppointmentRow))}
        assert stored[found.appointment.appointment_id] == (new, False)
        assert stored[kept.appointment.appointment_id] == (chosen, True)
        eventually(counter, lambda: {a.appointment_id: a.case_number for a in reception.appointments(
            counter, CLERK, today.day_id)}[found.appointment.appointment_id] == new)
        assert reception.name_registered_case(counter, CLERK, again) == 0  # the clerk's choice stands


def test_a_clerk_links_another_of_the_visitors_cases_or_none_through_the_authority(
        hall_server: SyncServer, device_hall: DeviceFactory) -> None:
    from desktop.services.registration import register_visit
    from tests.helpers import form

    counter, leader = device_hall("counter"), device_hall("leader")
    with serve_in_thread(create_app(hall_server.hall, server=hall_server)) as url, \
            links(hall_server, url, (counter, "counter"), (leader, "leader")):
        today = reception.add_day(counter, CLERK, counter.today(), leaders=["县长 周建华"], slots="16:00-17:00/4")
        older = register_visit(counter, CLERK, form(id_number=valid_id(seq=101), request="反映村道损毁")).case_number
        newer = register_visit(counter, CLERK, form(id_number=valid_id(seq=101))).case_number
        booking = reception.book_today(counter, CLERK, Visitor("张建国", valid_id(seq=101))).appointment
        offered = reception.visitor_cases(counter, CLERK, booking.appointment_id)
        assert {c.case_number for c in offered.cases} == {older, newer}
        reception.link_case(counter, CLERK, booking.appointment_id, older)

        def stored() -> tuple[str, bool]:
            with hall_server.hall.sessions() as session:
                row = session.get(AppointmentRow, booking.appointment_id)
                assert row is not None
                return row.case_number, row.case_chosen

        assert stored() == (older, True)
        eventually(leader, lambda: reception.appointments(leader, LEADER, today.day_id)[0].case_number == older)
        reception.link_case(counter, CLERK, booking.appointment_id, "")  # 不关联
        assert stored() == ("", True)
        eventually(leader, lambda: reception.appointments(leader, LEADER, today.day_id)[0].case_number == "")


def test_a_day_removed_at_the_counter_leaves_every_pc_and_a_booked_one_stays(
        hall_server: SyncServer, device_hall: DeviceFactory) -> None:
    kiosk, counter, display = (device_hall(n) for n in ("ka", "counter", "display"))
    citizen = Actor.kiosk(kiosk.settings.device_code)
    with serve_in_thread(create_app(hall_server.hall, server=hall_server)) as url, \
            links(hall_server, url, (kiosk, "kiosk"), (counter, "counter"), (display, "display")):
        early = reception.add_day(counter, CLERK, date(2026, 9, 22), leaders=["副县长 李明"])
        booked = reception.add_day(counter, CLERK, DAY, leaders=["县长 周建华"])
        eventually(kiosk, lambda: len(reception.list_days(kiosk, citizen)) == 2)
        reception.book(kiosk, citizen, booked.day_id, Visitor("张建国", valid_id(seq=101)), source="自助终端")
        eventually(counter, lambda: sum(reception.list_days(counter, CLERK)[1].booked) == 1)
        with pytest.raises(RuleViolation, match="已有1人预约，不能删除"):
            reception.remove_day(counter, CLERK, booked.day_id)
        reception.remove_day(counter, CLERK, early.day_id)  # through the authority, which marks it removed
        assert [d.day for d in reception.list_days(hall_server.hall, CLERK)] == [DAY]
        for hall, actor in ((kiosk, citizen), (counter, CLERK)):
            eventually(hall, lambda h=hall, a=actor: [d.day for d in reception.list_days(h, a)] == [DAY])
        eventually(display, lambda: reception.next_reception_day(display) == DAY)
        # the date can be scheduled again: the same row comes back, everywhere
        again = reception.add_day(counter, CLERK, date(2026, 9, 22), leaders=["副县长 王芳"])
        assert again.day_id == early.day_id and again.leaders == ("副县长 王芳",)
        eventually(kiosk, lambda: len(reception.list_days(kiosk, citizen)) == 2)
