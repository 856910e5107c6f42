"""The hall queue's rules where they are computed: numbering, order, skips, transfers, waits, statistics."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from db.engine import make_engine, sqlite_url
from db.migrate import upgrade
from db.models import QueueTicketRow
from desktop.domain.access import Actor
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.queue import (
    QueueAction,
    TicketSource,
    TicketState,
    WindowType,
    format_windows,
    of_priority_age,
    parse_windows,
    percentile,
    windows_in_words,
)
from desktop.domain.roles import PermissionDenied
from desktop.services import queue, reception
from desktop.services.changes import Changes, Topic
from desktop.services.context import Hall
from tests.conftest import FakeClock, make_hall
from tests.helpers import valid_id

KIOSK = TicketSource.KIOSK


def issue(hall: Hall, type_code: str = "general", **kwargs: object) -> str:
    return queue.issue_ticket(hall, type_code=type_code, source=KIOSK, **kwargs).ticket.number  # type: ignore[arg-type]


def test_default_window_types_are_seeded(hall: Hall) -> None:
    types = queue.window_types(hall)
    assert [(t.name, t.prefix) for t in types] == [("综合接待", "A"), ("农民工欠薪绿色通道", "B"), ("涉法涉诉", "C"),
                                                   ("领导接访", "L")]
    assert not next(t for t in types if t.prefix == "L").priority_allowed


def test_numbers_count_per_prefix_and_start_again_each_day(hall: Hall, clock: FakeClock) -> None:
    assert [issue(hall), issue(hall), issue(hall, "wages"), issue(hall)] == ["A001", "A002", "B001", "A003"]
    clock.advance(days=1)
    assert [issue(hall), issue(hall, "wages")] == ["A001", "B001"]


def test_issued_ticket_says_who_is_ahead_and_estimates_from_todays_service(hall: Hall, clock: FakeClock) -> None:
    first = queue.issue_ticket(hall, type_code="general", source=KIOSK)
    assert (first.type_name, first.ahead, first.estimated_wait_minutes) == ("综合接待", 0, None)
    queue.issue_ticket(hall, type_code="general", source=KIOSK)
    called = queue.call_next(hall, window=1)
    assert called is not None and called.number == "A001"
    queue.act(hall, called.ticket_id, QueueAction.START, window=1)
    clock.advance(minutes=10)
    queue.act(hall, called.ticket_id, QueueAction.FINISH, window=1, case_id="C-1")
    third = queue.issue_ticket(hall, type_code="general", source=KIOSK)
    # one ahead (A002), ten minutes a visitor today, one window has served the type
    assert (third.ahead, third.estimated_wait_minutes) == (1, 10)


def _serve(hall: Hall, clock: FakeClock, window: int, minutes: float) -> None:
    ticket = queue.call_next(hall, window=window)
    assert ticket is not None
    queue.act(hall, ticket.ticket_id, QueueAction.START, window=window)
    clock.advance(minutes=minutes)
    queue.act(hall, ticket.ticket_id, QueueAction.FINISH, window=window)


def test_before_the_first_service_of_the_day_the_estimate_reads_the_weeks_before(hall: Hall, clock: FakeClock) -> None:
    for _ in range(3):
        issue(hall)
    _serve(hall, clock, 1, 6)   # two windows served the type that day: 6, 10 and 8 minutes
    _serve(hall, clock, 2, 10)
    _serve(hall, clock, 1, 8)
    clock.advance(days=3)  # no ticket of the type served since
    first = queue.issue_ticket(hall, type_code="general", source=KIOSK)
    issue(hall)
    third = queue.issue_ticket(hall, type_code="wages", source=KIOSK)
    assert third.estimated_wait_minutes is None  # that type was never served
    fourth = queue.issue_ticket(hall, type_code="general", source=KIOSK)
    # two ahead, 8 minutes a visitor, two windows a day: 8 minutes
    assert (first.ahead, first.estimated_wait_minutes) == (0, 0)
    assert (fourth.ahead, fourth.estimated_wait_minutes) == (2, 8)
    _serve(hall, clock, 3, 21)  # served today: today's service decides from now on (21 minutes, one window)
    fifth = queue.issue_ticket(hall, type_code="general", source=KIOSK)
    assert (fifth.ahead, fifth.estimated_wait_minutes) == (2, 42)


def test_service_older_than_four_weeks_gives_no_estimate(hall: Hall, clock: FakeClock) -> None:
    issue(hall)
    _serve(hall, clock, 1, 5)
    clock.advance(days=28)
    issue(hall)
    assert queue.issue_ticket(hall, type_code="general", source=KIOSK).estimated_wait_minutes == 5
    clock.advance(days=1)
    issue(hall)
    assert queue.issue_ticket(hall, type_code="general", source=KIOSK).estimated_wait_minutes is None


def test_a_visitor_of_seventy_or_more_by_the_card_goes_first_without_the_toggle(hall: Hall, clerk: Actor) -> None:
    """优先办理：70岁以上老人, as the kiosk's toggle says: the ID number read or typed tells the age (16 Sep 2026)."""
    reception.add_day(hall, clerk, hall.today(), leaders=["县长 周建华"])  # 领导接访 numbers on a reception day
    def card(birth: date, seq: int, type_code: str = "general") -> bool:
        return queue.issue_ticket(hall, type_code=type_code, source=KIOSK, id_number=valid_id(birth=birth, seq=seq),
                                  name="钱老汉").ticket.priority

    issue(hall)
    assert card(date(1936, 2, 29), 1)  # ninety, born on a leap day
    assert card(date(1956, 9, 16), 2)  # seventy today
    assert not card(date(1956, 9, 17), 3)  # seventy tomorrow
    assert not card(date(1936, 2, 29), 4, "leader")  # 领导接访 takes no priority
    called = []
    for _ in range(3):
        ticket = queue.call_next(hall, window=1)
        assert ticket is not None
        called.append(ticket.number)
        queue.act(hall, ticket.ticket_id, QueueAction.FINISH, window=1)
    assert called == ["A002", "A003", "A001"]
    assert not of_priority_age(date(1956, 2, 29), date(2026, 2, 28)) and of_priority_age(date(1956, 2, 29),
                                                                                          date(2026, 3, 1))
    # the ticket says why it goes first when the card says so (printed under 优先办理), and only then
    aged = valid_id(birth=date(1950, 1, 2), seq=5)
    assert queue.issue_ticket(hall, type_code="general", source=KIOSK, id_number=aged,
                              name="钱老汉").priority_reason == "70岁以上老人"
    again = queue.issue_ticket(hall, type_code="general", source=KIOSK, id_number=aged, name="钱老汉")
    assert again.already and again.priority_reason == "70岁以上老人"  # his own ticket given back says it too
    young = queue.issue_ticket(hall, type_code="general", source=KIOSK, priority=True,
                               id_number=valid_id(birth=date(1990, 1, 2), seq=6), name="李红")
    assert young.ticket.priority and young.priority_reason == ""  # 孕妇 or 残疾人: the person's word, not kept
    assert queue.issue_ticket(hall, type_code="general", source=KIOSK, priority=True).priority_reason == ""


def test_priority_goes_first_only_where_the_type_allows_it(hall: Hall, clerk: Actor) -> None:
    reception.add_day(hall, clerk, hall.today(), leaders=["县长 周建华"])  # 领导接访 numbers on a reception day
    issue(hall)
    issue(hall, priority=True)
    issue(hall, "leader")
    leader_priority = queue.issue_ticket(hall, type_code="leader", source=KIOSK, priority=True)
    assert not leader_priority.ticket.priority  # 领导接访 takes no priority
    called = []
    for _ in range(4):
        ticket = queue.call_next(hall, window=1)
        assert ticket is not None
        called.append(ticket.number)
        queue.act(hall, ticket.ticket_id, QueueAction.FINISH, window=1)
    assert called == ["A002", "A001", "L001", "L002"]
    assert queue.call_next(hall, window=1) is None


def test_a_window_calls_only_the_types_it_serves(hall: Hall, clock: FakeClock) -> None:
    admin = Actor("staff:guanli1", "管理员", "admin")
    queue.save_window_type(hall, admin, WindowType("wages", "农民工欠薪绿色通道", "B", (5,), True))
    issue(hall, "wages")
    issue(hall)
    ticket = queue.call_next(hall, window=1)
    assert ticket is not None and ticket.number == "A001"
    queue.act(hall, ticket.ticket_id, QueueAction.FINISH, window=1)
    assert queue.call_next(hall, window=1) is None
    at_five = queue.call_next(hall, window=5)
    assert at_five is not None and at_five.number == "B001"


def test_a_window_finishes_its_ticket_before_calling_the_next(hall: Hall) -> None:
    issue(hall)
    issue(hall)
    assert queue.call_next(hall, window=1) is not None
    with pytest.raises(RuleViolation, match="A001 号还没有办结"):
        queue.call_next(hall, window=1)


def test_a_skipped_ticket_returns_once_behind_those_waiting(hall: Hall) -> None:
    for _ in range(3):
        issue(hall)
    first = queue.call_next(hall, window=1)
    assert first is not None
    back = queue.act(hall, first.ticket_id, QueueAction.SKIP, window=1)
    assert (back.state, back.skipped, back.window) == (TicketState.WAITING, 1, None)
    order = []
    for _ in range(3):
        ticket = queue.call_next(hall, window=1)
        assert ticket is not None
        order.append(ticket.number)
        if ticket.number != "A001":
            queue.act(hall, ticket.ticket_id, QueueAction.FINISH, window=1)
    assert order == ["A002", "A003", "A001"]
    out = queue.act(hall, first.ticket_id, QueueAction.SKIP, window=1)
    assert out.state is TicketState.NO_SHOW
    assert queue.call_next(hall, window=1) is None


def test_recall_makes_a_new_call_and_other_windows_cannot_act(hall: Hall) -> None:
    issue(hall)
    ticket = queue.call_next(hall, window=2)
    assert ticket is not None
    called = queue.board(hall).current
    queue.act(hall, ticket.ticket_id, QueueAction.RECALL, window=2)
    shown = queue.board(hall)
    assert called is not None and shown.current is not None
    assert (shown.current.number, shown.current.window) == ("A001", 2) and shown.current.call_id != called.call_id
    assert shown.recent == ()  # the recall takes the place of the first call: the number is not listed twice
    with pytest.raises(RuleViolation, match="由 2 号窗口办理"):
        queue.act(hall, ticket.ticket_id, QueueAction.FINISH, window=3)
    with pytest.raises(RuleViolation, match="已叫号，不能叫号"):
        queue.act(hall, ticket.ticket_id, QueueAction.CALL, window=3)


def test_a_person_holding_a_waiting_ticket_of_a_type_is_shown_it_not_given_another(hall: Hall) -> None:
    """By the ID number read, at the kiosk and the counter; another type is allowed; ahead counts others only."""
    her, other = valid_id(seq=11), valid_id(seq=12)

    def take(type_code: str, id_number: str | None, source: TicketSource = KIOSK) -> queue.IssuedTicket:
        return queue.issue_ticket(hall, type_code=type_code, source=source, id_number=id_number,
                                  name="李梅" if id_number == her else "王芳" if id_number else None)

    assert take("general", other).ticket.number == "A001"
    first = take("general", her)
    assert (first.ticket.number, first.ahead, first.already) == ("A002", 1, False)
    issue(hall)  # A003, nobody's
    for again in (take("general", her), take("general", her, TicketSource.COUNTER)):
        assert (again.ticket.number, again.ahead, again.already) == ("A002", 1, True)
    wages = take("wages", her)
    assert (wages.ticket.number, wages.already) == ("B001", False)
    assert take("general", None).ticket.number == "A004"  # no card: a new number, as always
    called = queue.call_next(hall, window=1)
    assert called is not None and called.number == "A001"
    assert take("general", her).ahead == 0  # the one before her went to the window
    ticket = queue.call_next(hall, window=2)
    assert ticket is not None and ticket.number == "A002"
    queue.act(hall, ticket.ticket_id, QueueAction.FINISH, window=2)
    served = take("general", her)  # no ticket of hers waits any more: a new one
    assert (served.ticket.number, served.already) == ("A005", False)


def test_ahead_never_counts_the_persons_own_other_tickets(hall: Hall) -> None:
    her = valid_id(seq=21)
    queue.issue_ticket(hall, type_code="general", source=KIOSK, id_number=her, name="李梅")  # A001
    issue(hall, "legal")  # C001, someone else's
    ticket = queue.call_next(hall, window=1)
    assert ticket is not None and ticket.number == "A001"
    carried = queue.act(hall, ticket.ticket_id, QueueAction.TRANSFER, window=1, type_code="legal")  # C002, first
    assert carried.number == "C002"
    with hall.transaction() as session:  # a ticket of hers taken before the card was read on this type
        rows = {r.number: r for r in session.scalars(select(QueueTicketRow).where(QueueTicketRow.type_code == "legal"))}
        rows["C001"].person_id = her
    shown = queue.issue_ticket(hall, type_code="legal", source=KIOSK, id_number=her, name="李梅")
    assert (shown.ticket.number, shown.ahead, shown.already) == ("C002", 0, True)


def test_transfer_carries_the_person_on_at_the_same_place_in_the_new_queue(hall: Hall) -> None:
    queue.issue_ticket(hall, type_code="general", source=TicketSource.COUNTER, id_number="330726198001011233",
                       name="张建国")
    issue(hall, "legal")
    ticket = queue.call_next(hall, window=1)
    assert ticket is not None and ticket.person_linked
    with pytest.raises(ValidationError):
        queue.act(hall, ticket.ticket_id, QueueAction.TRANSFER, window=1, type_code="general")
    carried = queue.act(hall, ticket.ticket_id, QueueAction.TRANSFER, window=1, type_code="legal")
    assert (carried.number, carried.state, carried.person_linked) == ("C002", TicketState.WAITING, True)
    view = queue.window_view(hall, window=1)
    assert view.current is None
    called = queue.call_next(hall, window=1)
    assert called is not None and called.number == "C002"  # it kept its place: taken before C001
    view = queue.window_view(hall, window=1)
    assert (view.person_name, view.person_id) == ("张建国", "330726198001011233")


def test_a_carried_ticket_says_the_number_before_it_and_when_the_first_was_taken(hall: Hall,
                                                                                  clock: FakeClock) -> None:
    """Transferred twice (A → C → B), the window's view names the number the visitor held just before and the time
    the first number was taken, not the transfer's (取号 09:00 and 等候 0 分钟 said the visitor had just come)."""
    issue(hall)  # A001
    taken = clock()
    ticket = queue.call_next(hall, window=1)
    assert ticket is not None and queue.window_view(hall, window=1).transferred == ""  # taken as it is
    clock.advance(minutes=40)
    queue.act(hall, ticket.ticket_id, QueueAction.TRANSFER, window=1, type_code="legal")  # C001
    moved = clock()
    called = queue.call_next(hall, window=2)
    assert called is not None and called.number == "C001"
    assert queue.window_view(hall, window=2).transferred == f"由 A001 转来，{taken:%H:%M} 取号"
    clock.advance(minutes=25)
    queue.act(hall, called.ticket_id, QueueAction.TRANSFER, window=2, type_code="wages")  # B001
    again = queue.call_next(hall, window=3)
    assert again is not None and again.number == "B001"
    assert queue.window_view(hall, window=3).transferred == f"由 C001 转来，{taken:%H:%M} 取号"
    with hall.transaction() as session:  # A001 is not in this device's copy of the queue: C001 is the first known
        session.get(QueueTicketRow, called.ticket_id).transferred_from = "0" * 36  # type: ignore[union-attr]
    assert queue.window_view(hall, window=3).transferred == f"由 C001 转来，{moved:%H:%M} 取号"
    with hall.transaction() as session:  # nor C001
        session.get(QueueTicketRow, again.ticket_id).transferred_from = "0" * 36  # type: ignore[union-attr]
    assert queue.window_view(hall, window=3).transferred == "由其他窗口转来"


def test_the_board_holds_numbers_windows_and_waiting_counts(hall: Hall) -> None:
    for code in ("general", "general", "wages"):
        issue(hall, code)
    ticket = queue.call_next(hall, window=3)
    assert ticket is not None
    shown = queue.board(hall)
    assert shown.current is not None and (shown.current.number, shown.current.window) == ("A001", 3)
    assert shown.hall_name == hall.settings.hall_name and shown.connected
    assert [(w.prefix, w.waiting) for w in shown.waiting] == [("A", 1), ("B", 1), ("C", 0), ("L", 0)]
    assert shown.next_reception_day == reception.next_reception_day(hall) == date(2026, 10, 15)


def test_every_change_is_told_on_the_queue_topic(hall: Hall) -> None:
    told: list[Changes] = []
    hall.changes.subscribe(told.append)
    issue(hall)
    assert told and told[-1].queue


def test_statistics_average_and_90th_percentile_per_type_and_day(hall: Hall, clock: FakeClock, clerk: Actor,
                                                                 supervisor: Actor) -> None:
    for _ in range(10):
        issue(hall)
    for n in range(10):
        clock.advance(minutes=n + 1)  # waits 1, 3, 6, … minutes
        ticket = queue.call_next(hall, window=1)
        assert ticket is not None
        queue.act(hall, ticket.ticket_id, QueueAction.START, window=1)
        clock.advance(minutes=2)
        queue.act(hall, ticket.ticket_id, QueueAction.FINISH, window=1)
    with pytest.raises(PermissionDenied):
        queue.statistics(hall, clerk, date(2026, 9, 16), date(2026, 9, 16))
    [stats] = queue.statistics(hall, supervisor, date(2026, 9, 16), date(2026, 9, 16))
    waits = [sum(range(1, n + 2)) + 2 * n for n in range(10)]
    assert (stats.type_code, stats.issued, stats.called, stats.served) == ("general", 10, 10, 10)
    assert stats.wait_average == round(sum(waits) / 10, 1)
    assert stats.wait_p90 == sorted(waits)[8]
    assert (stats.service_average, stats.service_p90) == (2.0, 2.0)


def test_percentile_is_nearest_rank() -> None:
    assert percentile([], 0.9) == 0.0
    assert percentile([5.0], 0.9) == 5.0
    assert percentile([float(n) for n in range(1, 11)], 0.9) == 9.0
    assert percentile([float(n) for n in range(1, 12)], 0.9) == 10.0


def test_only_administrators_edit_window_types_and_prefixes_stay_unique(hall: Hall, clerk: Actor) -> None:
    admin = Actor("staff:guanli1", "管理员", "admin")
    with pytest.raises(PermissionDenied):
        queue.save_window_type(hall, clerk, WindowType("x", "信访代理", "D", ()))
    with pytest.raises(ValidationError, match="前缀 A 已用于“综合接待”"):
        queue.save_window_type(hall, admin, WindowType("x", "信访代理", "A", ()))
    added = queue.save_window_type(hall, admin, WindowType("agent", "信访代理", "d", (7, 8), False))
    assert added == WindowType("agent", "信访代理", "D", (7, 8), False, True)
    queue.save_window_type(hall, admin, WindowType("leader", "领导接访", "L", (), False, active=False))
    assert [t.code for t in queue.window_types(hall)] == ["general", "wages", "legal", "agent"]
    assert len(queue.all_window_types(hall)) == 5
    with pytest.raises(ValidationError, match="“领导接访”现在暂停取号，请选择其他业务"):
        issue(hall, "leader")  # the type stopped: said by its name, in words a visitor at the kiosk reads
    with pytest.raises(ValidationError, match="没有这项业务"):
        issue(hall, "nosuchtype")


def test_a_window_type_name_is_words_printed_and_spoken(hall: Hall) -> None:
    """Bad names are refused in words: empty, too long, a line break, an invisible character, an emoji."""
    admin = Actor("staff:guanli1", "管理员", "admin")
    for name, said in (("", "请填写"), ("　 ", "请填写"), ("信" * 5000, "不超过32字"), ("综合\n接待", "换行"),
                       ("综\u200b合接待", "看不见"), ("综合接待🙂", "表情符号")):
        with pytest.raises(ValidationError, match=said):
            queue.save_window_type(hall, admin, WindowType("", name, "D", (7,)))
    with pytest.raises(ValidationError, match="已有名为“综合接待”"):  # an invisible character no longer hides it
        queue.save_window_type(hall, admin, WindowType("", " 综合接待 ", "D", (7,)))
    assert len(queue.all_window_types(hall)) == 4  # nothing added
    added = queue.save_window_type(hall, admin, WindowType("", "涉法涉诉（律师值班）", "D", (7,)))
    assert added.name == "涉法涉诉（律师值班）"


def test_two_counters_calling_at_once_never_get_the_same_number(hall: Hall) -> None:
    for _ in range(40):
        issue(hall)
    called: dict[int, list[str]] = {1: [], 2: []}
    errors: list[BaseException] = []

    def counter(window: int) -> None:
        try:
            while (ticket := queue.call_next(hall, window=window)) is not None:
                called[window].append(ticket.number)
                queue.act(hall, ticket.ticket_id, QueueAction.FINISH, window=window)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=counter, args=(w,)) for w in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    every = called[1] + called[2]
    assert sorted(every) == [f"A{n:03d}" for n in range(1, 41)]


def test_offline_numbers_use_the_windows_own_prefix_and_call_only_those(hall: Hall) -> None:
    issue(hall)
    own = queue.issue_local(hall, type_code="general", source=TicketSource.COUNTER, offline_window=3)
    assert own.ticket.number == "W3001"
    ticket = queue.call_next_local(hall, window=3, offline=True)
    assert ticket is not None and ticket.number == "W3001"
    queue.act_local(hall, ticket.ticket_id, QueueAction.FINISH, window=3, offline=True)
    assert queue.call_next_local(hall, window=3, offline=True) is None  # A001 is the hall server's to call
    assert queue.window_view(hall, window=3).pending == 1
    assert next(t for t in queue.board(hall).waiting if t.prefix == "A").waiting == 1
    later = queue.issue_local(hall, type_code="general", source=TicketSource.COUNTER, offline_window=3)
    tickets, calls = queue.pending_changes(hall)
    assert [t.number for t in tickets] == ["W3001", "W3002"] and [c.number for c in calls] == ["W3001"]
    queue.mark_merged(hall, [t.ticket_id for t in tickets], [c.call_id for c in calls])
    # merged back, W3002 is the authority's to call now: cut off again, this counter leaves it alone
    assert later.ticket.number == "W3002" and queue.call_next_local(hall, window=3, offline=True) is None
    assert Topic.QUEUE in queue_topics()


def queue_topics() -> set[Topic]:
    from desktop.services.changes import TABLE_TOPICS

    return {TABLE_TOPICS[t] for t in ("queue_tickets", "queue_calls", "queue_window_types")}


def test_the_feed_resumes_and_carries_window_types_when_they_change(hall: Hall) -> None:
    admin = Actor("staff:guanli1", "管理员", "admin")
    issue(hall)
    first = queue.feed_since(hall, 0, personal=False)
    assert [t.number for t in first.tickets] == ["A001"] and len(first.types) == 4
    assert queue.feed_since(hall, first.cursor, personal=False) == queue.QueueFeed(first.cursor)
    queue.save_window_type(hall, admin, WindowType("general", "综合接待窗口", "A", (1, 2)))
    changed = queue.feed_since(hall, first.cursor, personal=False)
    assert changed.cursor > first.cursor and not changed.tickets
    assert next(t for t in changed.types if t.code == "general").windows == (1, 2)


@pytest.fixture
def mirror(tmp_path: Path, clock: FakeClock) -> Iterator[Hall]:
    """Another device's database, mirroring ``hall``'s queue."""
    engine = make_engine(sqlite_url(tmp_path / "mirror.db"))
    upgrade(engine)
    yield make_hall(engine, clock, device_id="mirror")
    engine.dispose()


def test_a_mirror_applies_the_feed_once_and_never_goes_back(hall: Hall, mirror: Hall) -> None:
    queue.issue_ticket(hall, type_code="general", source=KIOSK, id_number="330726198001011233", name="张建国")
    old = queue.feed_since(hall, 0, personal=False)
    ticket = queue.call_next(hall, window=2)
    assert ticket is not None
    new = queue.feed_since(hall, old.cursor, personal=False)
    queue.apply_feed(mirror, old)
    queue.apply_feed(mirror, new)
    queue.apply_feed(mirror, new)  # twice: nothing changes
    queue.apply_feed(mirror, old)  # an older copy arriving late does not win
    assert queue.mirror_cursor(mirror) == new.cursor
    view = queue.window_view(mirror, window=2)
    assert view.current is not None and view.current.number == "A001" and view.person_id is None
    shown = queue.board(mirror)
    assert shown.current is not None and shown.current.window == 2 and not shown.recent


# -- the administrator's window types ------------------------------------------------------------------

ADMIN = Actor("staff:guanli1", "管理员", "admin")


def test_windows_are_read_as_numbers_lists_and_ranges() -> None:
    assert parse_windows("1,2，5-7、9") == (1, 2, 5, 6, 7, 9)
    assert parse_windows("  ") == ()
    assert format_windows((1, 2, 5, 6, 7, 9)) == "1,2,5-7,9" and format_windows(()) == "所有窗口"
    # as people read them (the administrator's list, the audit log): not "2,9"
    assert windows_in_words((9, 2)) == "2号、9号窗口" and windows_in_words((3,)) == "3号窗口"
    assert windows_in_words((1, 2, 5, 6, 7, 9)) == "1号、2号、5–7号、9号窗口" and windows_in_words(()) == "所有窗口"
    with pytest.raises(ValidationError, match="服务窗口“三”不是窗口号") as refused:
        parse_windows("1,三")
    assert refused.value.field == "windows"
    with pytest.raises(ValidationError, match="1–99"):
        parse_windows("7-3")
    with pytest.raises(ValidationError, match="1–99"):
        parse_windows("100")


def test_a_new_type_gets_a_code_a_unique_name_and_prefix_and_never_the_offline_prefix(hall: Hall) -> None:
    added = queue.edit_window_type(hall, ADMIN, WindowType("", "信访代理", "d", (7,)))
    assert (added.code, added.prefix, added.windows) == ("type-d", "D", (7,))
    assert [t.name for t in queue.window_types(hall)][-1] == "信访代理"
    with pytest.raises(ValidationError, match="已有名为“综合接待”") as refused:
        queue.edit_window_type(hall, ADMIN, WindowType("", "综合接待", "E", ()))
    assert refused.value.field == "name"
    with pytest.raises(ValidationError, match="前缀 W 留给断网时") as refused:
        queue.edit_window_type(hall, ADMIN, WindowType("", "调解", "w", ()))
    assert refused.value.field == "prefix"
    with pytest.raises(ValidationError, match="1–2 个英文字母"):
        queue.edit_window_type(hall, ADMIN, WindowType("", "调解", "E1", ()))
    renamed = queue.edit_window_type(hall, ADMIN, replace(added, name="律师值班", windows=(7, 8)))
    assert renamed.code == "type-d" and [r.window_type for r in queue.window_type_rows(hall, ADMIN)][-1] == renamed


def test_types_move_in_the_hall_order_and_devices_take_the_new_order(hall: Hall, clerk: Actor) -> None:
    before = queue.feed_since(hall, 0, personal=False).cursor
    issue(hall)  # a change after which the types are sent again only when they change
    order = queue.move_window_type(hall, ADMIN, "leader", -1)
    assert [t.code for t in order] == ["general", "wages", "leader", "legal"]
    assert [t.code for t in queue.window_types(hall)] == ["general", "wages", "leader", "legal"]
    assert [t.code for t in queue.feed_since(hall, before + 1, personal=False).types][2] == "leader"
    assert queue.move_window_type(hall, ADMIN, "general", -1)[0].code == "general"  # stays first
    with pytest.raises(PermissionDenied):
        queue.move_window_type(hall, clerk, "general", 1)


def test_window_types_are_edited_where_the_queue_lives(hall: Hall) -> None:
    hall.settings = replace(hall.settings, server_url="https://hall.example:8443")
    assert queue.managed_elsewhere(hall) == "本机的排队叫号由大厅服务器管理，窗口类型保存在服务器上"
    with pytest.raises(RuleViolation, match="请在大厅服务器上修改"):
        queue.edit_window_type(hall, ADMIN, WindowType("", "信访代理", "D", ()))
    with pytest.raises(RuleViolation, match="请在大厅服务器上修改"):
        queue.move_window_type(hall, ADMIN, "leader", -1)
    assert queue.window_type_rows(hall, ADMIN)[0].window_type.code == "general"  # still listed


def test_a_type_stopped_while_tickets_wait_keeps_them_callable_and_on_the_board(hall: Hall) -> None:
    issue(hall, "wages")
    issue(hall, "wages")
    wages = next(t for t in queue.all_window_types(hall) if t.code == "wages")
    queue.edit_window_type(hall, ADMIN, replace(wages, active=False))
    with pytest.raises(ValidationError, match="“农民工欠薪绿色通道”现在暂停取号"):
        issue(hall, "wages")
    # the people holding its numbers still see their queue on the hall's display, until the last is served
    assert [(w.type_name, w.waiting) for w in queue.board(hall).waiting if w.prefix == "B"] == \
        [("农民工欠薪绿色通道（暂停取号）", 2)]
    assert [w.type_name for w in queue.window_view(hall, window=5).waiting if w.waiting] == \
        ["农民工欠薪绿色通道（已停用）"]
    assert [r.waiting for r in queue.window_type_rows(hall, ADMIN) if r.window_type.code == "wages"] == [2]
    called = queue.call_next(hall, window=5)
    assert called is not None and called.number == "B001"
    queue.act(hall, called.ticket_id, QueueAction.FINISH, window=5)
    second = queue.call_next(hall, window=5)
    assert second is not None and second.number == "B002"
    queue.act(hall, second.ticket_id, QueueAction.FINISH, window=5)
    assert "农民工欠薪绿色通道（已停用）" not in [w.type_name for w in queue.window_view(hall, window=5).waiting]
    assert "B" not in [w.prefix for w in queue.board(hall).waiting]


def test_the_board_lists_each_number_once_at_its_latest_call(hall: Hall, clock: FakeClock) -> None:
    for _ in range(6):
        issue(hall)
    called = []
    for window in (1, 2, 3, 4):
        clock.advance(seconds=30)
        ticket = queue.call_next(hall, window=window)
        assert ticket is not None
        called.append(ticket)
    for _ in range(3):  # 2 号窗口 calls its visitor again and again
        clock.advance(seconds=30)
        queue.act(hall, called[1].ticket_id, QueueAction.RECALL, window=2)
    shown = queue.board(hall)
    assert shown.current is not None and (shown.current.number, shown.current.window) == ("A002", 2)
    assert [(c.number, c.window) for c in shown.recent] == [("A004", 4), ("A003", 3), ("A001", 1)]
    assert [c.number for c in queue.board(hall, recent=2).recent] == ["A004", "A003"]
    clock.advance(seconds=30)
    queue.call_next(hall, window=5)
    assert [c.number for c in queue.board(hall).recent] == ["A002", "A004", "A003", "A001"]


def test_a_number_whose_visitor_was_served_is_no_longer_being_called(hall: Hall, clock: FakeClock) -> None:
    """The display kept 正在叫号 L001 请到1号窗口 minutes after the visitor's matter was done."""
    for _ in range(2):
        issue(hall)
    first = queue.call_next(hall, window=1)
    assert first is not None
    queue.act(hall, first.ticket_id, QueueAction.START, window=1)
    shown = queue.board(hall)
    assert shown.current is not None and shown.current.number == "A001"  # seated, served: still the one called
    queue.act(hall, first.ticket_id, QueueAction.FINISH, window=1)
    shown = queue.board(hall)
    assert shown.current is None and [c.number for c in shown.recent] == ["A001"]  # listed among the calls made
    clock.advance(seconds=30)
    second = queue.call_next(hall, window=1)
    assert second is not None
    shown = queue.board(hall)
    assert shown.current is not None and shown.current.number == "A002"
    assert [c.number for c in shown.recent] == ["A001"]


# -- a ticket with the visitor's ID, and walk-ins on a reception day ------------------------------------

def test_a_ticket_taken_with_an_id_number_needs_a_valid_one_and_a_name(hall: Hall) -> None:
    with pytest.raises(ValidationError) as refused:
        queue.issue_ticket(hall, type_code="general", source=TicketSource.COUNTER, id_number="330726196803121230",
                           name="张建国")
    assert refused.value.field == "id_number"
    with pytest.raises(ValidationError, match="请填写来访人姓名"):
        queue.issue_ticket(hall, type_code="general", source=TicketSource.COUNTER, id_number=valid_id())
    with pytest.raises(ValidationError, match="同时读取或填写证件号码"):
        queue.issue_ticket(hall, type_code="general", source=TicketSource.COUNTER, name="张建国")
    issued = queue.issue_ticket(hall, type_code="general", source=TicketSource.COUNTER,
                                id_number=valid_id().lower() + " ", name=" 张建国 ")
    assert issued.ticket.person_linked
    called = queue.call_next(hall, window=1)
    assert called is not None
    view = queue.window_view(hall, window=1)
    assert (view.person_name, view.person_id) == ("张建国", valid_id())


def _leader_ticket_at(hall: Hall, window: int, **person: str) -> str:
    queue.issue_ticket(hall, type_code="leader", source=TicketSource.KIOSK, **person)  # type: ignore[arg-type]
    called = queue.call_next(hall, window=window)
    assert called is not None and called.type_code == "leader"
    return called.number


def test_a_walk_in_joins_todays_reception_day_from_the_leader_ticket(hall: Hall, clerk: Actor) -> None:
    today = hall.today()
    # at 09:30 the 08:00 slot is over: a walk-in gets the one under way, else waits
    day = reception.add_day(hall, clerk, today, leaders=["县长 周建华"], slots="08:00-09:00/5,09:00-10:00/1")
    number = _leader_ticket_at(hall, 4, id_number=valid_id(seq=7), name="张建国")
    booking = queue.join_reception_day(hall, clerk, window=4, name="不用的名字", id_number="")
    assert (booking.appointment.name, booking.appointment.status, booking.waiting_position) == ("张**", "已预约", 0)
    assert booking.appointment.slot_label == "9:00–10:00"
    assert booking.appointment.summary == f"现场来访（排队号 {number}）"
    queue.act(hall, queue.window_view(hall, window=4).current.ticket_id,  # type: ignore[union-attr]
              QueueAction.FINISH, window=4)
    _leader_ticket_at(hall, 4)  # no card: the clerk types the visitor
    with pytest.raises(ValidationError, match="没有刷身份证"):
        queue.join_reception_day(hall, clerk, window=4)
    full = queue.join_reception_day(hall, clerk, window=4, name="李四", id_number=valid_id(seq=8))
    assert (full.appointment.status, full.waiting_position) == ("候补", 1)
    assert [a.status for a in reception.appointments(hall, clerk, day.day_id)] == ["已预约", "候补"]
    with pytest.raises(RuleViolation, match=r"已登记.*候补（第1位）.*无需重复预约"):
        queue.join_reception_day(hall, clerk, window=4, name="李四", id_number=valid_id(seq=8))


def test_a_walk_in_is_refused_without_a_reception_day_today_or_a_leader_ticket(hall: Hall, clerk: Actor) -> None:
    with pytest.raises(RuleViolation, match="不是“领导接访”号"):
        queue.join_reception_day(hall, clerk, window=4, name="李四", id_number=valid_id(seq=8))
    issue(hall)
    assert queue.call_next(hall, window=4) is not None  # 综合接待 at window 4
    with pytest.raises(RuleViolation, match="不是“领导接访”号"):
        queue.join_reception_day(hall, clerk, window=4, name="李四", id_number=valid_id(seq=8))
    with pytest.raises(RuleViolation, match="今天不是领导接访日"):  # no 领导接访 number (test_hall_day.py)
        _leader_ticket_at(hall, 6)


def test_the_revision_mark_moves_with_every_change_of_the_queue_and_only_then(hall: Hall) -> None:
    """What a screen compares to hear another program's change on a shared database."""
    marks = [queue.revision(hall)]
    queue.board(hall)
    queue.window_view(hall, window=1)
    assert queue.revision(hall) == marks[-1]  # reading changes nothing
    issued = queue.issue_ticket(hall, type_code="general", source=TicketSource.KIOSK)
    marks.append(queue.revision(hall))
    called = queue.call_next(hall, window=1)
    assert called is not None and called.ticket_id == issued.ticket.ticket_id
    marks.append(queue.revision(hall))
    for action in (QueueAction.RECALL, QueueAction.SKIP):
        queue.act(hall, called.ticket_id, action, window=1)
        marks.append(queue.revision(hall))
    assert len(set(marks)) == len(marks)


def test_every_change_of_the_window_types_is_audited_in_words(hall: Hall, clerk: Actor) -> None:
    from desktop.services.audit import AuditQuery, list_audit, verify_audit

    def said() -> list[tuple[str, str, str]]:
        entries = list_audit(hall, Actor.system(), AuditQuery(action="修改设置"))
        return [(e.actor_name, e.target, str(e.detail["message"])) for e in reversed(entries)]

    added = queue.edit_window_type(hall, ADMIN, WindowType("", "信访代理", "d", (9, 2)))
    queue.edit_window_type(hall, ADMIN, replace(added, name="律师值班", windows=(5, 6, 7), priority_allowed=False))
    queue.edit_window_type(hall, ADMIN, replace(added, name="律师值班", windows=(5, 6, 7), priority_allowed=False,
                                                active=False))
    queue.move_window_type(hall, ADMIN, "type-d", -2)
    assert said() == [
        ("管理员", "排队窗口类型",
         "新增窗口类型 信访代理（号码前缀 D，2号、9号窗口，老年人、残疾人、紧急事项优先，启用）"),
        ("管理员", "排队窗口类型", "修改窗口类型 信访代理：名称由“信访代理”改为“律师值班”；"
                                  "服务窗口由“2号、9号窗口”改为“5–7号窗口”；"
                                  "优先叫号由“老年人、残疾人、紧急事项优先”改为“不优先”"),
        ("管理员", "排队窗口类型", "停用窗口类型 律师值班"),
        ("管理员", "排队窗口类型",
         "调整窗口类型顺序：律师值班上移2位，现为 综合接待、农民工欠薪绿色通道、律师值班、涉法涉诉、领导接访"),
    ]
    # what changes nothing, or is refused, writes nothing
    queue.move_window_type(hall, ADMIN, "general", -1)
    with pytest.raises(ValidationError):
        queue.edit_window_type(hall, ADMIN, WindowType("", "综合接待", "E", ()))
    with pytest.raises(PermissionDenied):
        queue.edit_window_type(hall, clerk, WindowType("", "调解", "E", ()))
    assert len(said()) == 4
    assert verify_audit(hall, Actor.system()).ok
