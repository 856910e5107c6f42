"""A case through the Regulations' whole order, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from db.models import CaseRow, EventRow
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.events import EventType
from desktop.services import case_actions, cases, supervision
from desktop.services.context import Actor, Hall
from desktop.services.progress import citizen_progress
from desktop.services.registration import PersonInput, register_visit
from tests.conftest import FakeClock
from tests.helpers import form, valid_id


def _count(hall: Hall, table: type) -> int:
    with hall.sessions() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def test_registration_numbers_case_and_sets_route_deadline(hall: Hall, clerk: Actor) -> None:
    first = register_visit(hall, clerk, form())
    second = register_visit(hall, clerk, form(name="李梅", id_number=valid_id(seq=456),
                                              request="反映村道损毁多年未修"))
    assert first.case_number != second.case_number
    assert first.case_number.startswith("XF-20260916-C01-")
    # received 2026-09-16: 15 days ends on National Day, moved to 2026-10-08
    assert first.route_deadline.due == date(2026, 10, 8)
    assert first.view is not None and first.view.route_due == date(2026, 10, 8)
    assert first.visit.kind.value == "初访"
    assert len(first.query_code) == 8 and first.query_code.isdigit()


def test_query_code_is_stored_only_as_hash_and_opens_progress(hall: Hall, clerk: Actor) -> None:
    result = register_visit(hall, clerk, form())
    with hall.sessions() as session:
        stored = session.scalar(select(CaseRow.query_code_hash))
        payloads = "".join(session.scalars(select(EventRow.payload)))
    assert stored and result.query_code not in stored and result.query_code not in payloads
    progress = citizen_progress(hall, Actor.kiosk("K01"), result.case_number, result.query_code)
    assert progress.state == "已登记" and progress.petitioner == "张**"
    wrong = f"{(int(result.query_code) + 1) % 10**8:08d}"
    with pytest.raises(RuleViolation, match="查询码不正确"):
        citizen_progress(hall, Actor.kiosk("K01"), result.case_number, wrong)


def test_full_order_through_rereview_then_repeat_refused(hall: Hall, clerk: Actor,
                                                         clock: object) -> None:
    result = register_visit(hall, clerk, form())
    ref = result.case_number
    cases.classify(hall, clerk, ref, nature="申诉求决类", topic_code="0101")
    view = cases.record(hall, clerk, ref, EventType.TRANSFERRED,
                        {"route_kind": "转送", "organisation_code": "330726-ZJJ"})
    assert view.state.value == "已转送"
    view = cases.accept(hall, clerk, ref, accepted_on=date(2026, 9, 20))
    assert view.handling_due == date(2026, 11, 19)
    view = cases.extend(hall, clerk, ref, days=30, reason="需现场勘验", approved_by="局长")
    assert view.handling_due == date(2026, 12, 21)  # 30 days from 11-19 end on Saturday 12-19
    view = cases.answer(hall, clerk, ref, outcome="不予支持", answered_on=date(2026, 12, 1))
    view = cases.deliver(hall, clerk, ref, delivered_on=date(2026, 12, 3))
    assert view.review_request_due == date(2027, 1, 4)  # 2027-01-02 is a Saturday
    cases.request_review(hall, clerk, ref, requested_on=date(2026, 12, 20))
    cases.answer(hall, clerk, ref, outcome="不予支持", answered_on=date(2027, 1, 5),
                 event_type=EventType.REVIEW_ANSWERED)
    cases.deliver(hall, clerk, ref, delivered_on=date(2027, 1, 6))
    cases.request_review(hall, clerk, ref, requested_on=date(2027, 1, 20), rereview=True)
    view = cases.answer(hall, clerk, ref, outcome="不予支持", answered_on=date(2027, 2, 1),
                        event_type=EventType.REREVIEW_ANSWERED)
    assert view.state.value == "已终结"

    with pytest.raises(RuleViolation, match="第三十六条") as refusal:
        register_visit(hall, clerk, form(request="反映浦阳街道某小区物业长期不履行电梯维修义务，"
                                                 "要求尽快维修！"))
    assert ref in refusal.value.message
    assert _count(hall, CaseRow) == 1
    # a different matter of the same person is accepted and linked to nothing
    other = register_visit(hall, clerk, form(request="反映孩子就近入学申请未获批准"))
    assert other.visit.kind.value == "初访"


def test_repeat_visit_is_linked(hall: Hall, clerk: Actor) -> None:
    first = register_visit(hall, clerk, form())
    again = register_visit(hall, clerk, form(request="再次反映浦阳街道某小区物业长期不履行"
                                                     "电梯维修义务，要求尽快维修"))
    assert again.visit.kind.value == "重复访"
    assert again.visit.linked_case_ids == (first.case_id,)


def test_a_second_extension_is_refused_and_keeps_the_first(hall: Hall, clerk: Actor) -> None:
    """Art. 34 allows one extension of at most 30 days; a second, however short, is refused."""
    ref = register_visit(hall, clerk, form()).case_number
    cases.classify(hall, clerk, ref, nature="申诉求决类", topic_code="0101")
    assert cases.accept(hall, clerk, ref, accepted_on=date(2026, 9, 20)).handling_due == date(2026, 11, 19)
    view = cases.extend(hall, clerk, ref, days=20, reason="需现场勘验", approved_by="局长")
    assert (view.extended_days, view.handling_due) == (20, date(2026, 12, 9))
    events = _count(hall, EventRow)
    for days in (10, 1, 30):
        with pytest.raises(RuleViolation, match="已经延期") as refusal:
            cases.extend(hall, clerk, ref, days=days, reason="仍需补充调查", approved_by="局长")
        assert refusal.value.code == "already_extended"
    assert _count(hall, EventRow) == events
    view = cases.load_case(hall, clerk, ref).view
    assert (view.extended_days, view.handling_due) == (20, date(2026, 12, 9))


def test_steps_out_of_order_are_refused_naming_what_is_missing(hall: Hall, clerk: Actor) -> None:
    ref = register_visit(hall, clerk, form()).case_number
    with pytest.raises(RuleViolation, match="缺少“受理”"):
        cases.answer(hall, clerk, ref, outcome="予以支持", answered_on=date(2026, 9, 30))
    with pytest.raises(RuleViolation, match="缺少“分类”"):
        cases.record(hall, clerk, ref, EventType.TRANSFERRED, {"route_kind": "转送"})
    cases.classify(hall, clerk, ref, nature="申诉求决类", topic_code="0101")
    cases.accept(hall, clerk, ref, accepted_on=date(2026, 9, 17))
    with pytest.raises(RuleViolation, match="30日"):
        cases.extend(hall, clerk, ref, days=31, reason="复杂", approved_by="局长")
    with pytest.raises(RuleViolation, match="负责人批准"):
        cases.extend(hall, clerk, ref, days=10, reason="", approved_by="")
    cases.answer(hall, clerk, ref, outcome="予以支持", answered_on=date(2026, 10, 9))
    with pytest.raises(RuleViolation, match="缺少“送达”"):
        cases.request_review(hall, clerk, ref, requested_on=date(2026, 10, 12))
    cases.deliver(hall, clerk, ref, delivered_on=date(2026, 10, 10))
    with pytest.raises(RuleViolation, match="已超过申请复查的期限"):
        cases.request_review(hall, clerk, ref, requested_on=date(2026, 12, 1))
    assert _count(hall, EventRow) == 5


def test_bad_input_stores_nothing(hall: Hall, clerk: Actor) -> None:
    good = valid_id()
    bad_checksum = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationError, match="身份证号码不对"):
        register_visit(hall, clerk, form(id_number=bad_checksum))
    reps = tuple(PersonInput(name=f"代表{'甲乙丙丁戊己'[i]}", document_number=valid_id(seq=200 + i))
                 for i in range(6))
    with pytest.raises(ValidationError, match="不得超过5人"):
        register_visit(hall, clerk, form(persons_count=30, representatives=reps))
    with pytest.raises(ValidationError, match="诉求"):
        register_visit(hall, clerk, form(request="   "))
    with pytest.raises(ValidationError, match="过长"):
        register_visit(hall, clerk, form(request="字" * 5001))
    assert _count(hall, EventRow) == 0 and _count(hall, CaseRow) == 0


def test_group_visit_with_five_representatives(hall: Hall, clerk: Actor) -> None:
    reps = tuple(PersonInput(name=f"代表{'甲乙丙丁戊'[i]}", document_number=valid_id(seq=300 + i))
                 for i in range(5))
    result = register_visit(hall, clerk, form(persons_count=40, representatives=reps))
    assert result.view is not None
    assert result.view.persons_count == 40
    assert [p.role for p in result.view.persons].count("代表") == 5
    assert "多人走访" in result.flags


def test_sync_conflict_is_kept_and_flagged(hall: Hall, clerk: Actor) -> None:
    """Two offline devices decide differently: both events stay, the case is flagged."""
    ref = register_visit(hall, clerk, form()).case_number
    cases.classify(hall, clerk, ref, nature="申诉求决类", topic_code="0101")
    detail = cases.load_case(hall, clerk, ref)
    base = detail.events[-1]
    from desktop.domain.events import Event

    def remote(n: int, kind: EventType, payload: dict[str, object], device: str) -> Event:
        hlc = f"{int(base.hlc[:13]) + n:013d}-00000-{device}"
        return Event(f"ffffffff-0000-4000-8000-00000000000{n}", base.case_id, device,
                     "staff:remote", hlc, kind, payload)

    accepted = remote(1, EventType.ACCEPTED, {"accepted_on": "2026-09-17"}, "devA")
    refused = remote(2, EventType.NOT_ACCEPTED, {"reason": "重复"}, "devB")
    (view,) = cases.ingest_events(hall, Actor.system("sync"), [refused, accepted])
    assert view.state.value == "办理中"
    assert view.needs_supervisor and "不予受理" in view.anomalies[0]
    # the same batch again changes nothing (idempotent)
    cases.ingest_events(hall, Actor.system("sync"), [accepted, refused])
    assert _count(hall, EventRow) == 4
    # an event whose predecessor has not arrived yet is kept, not dropped
    late = remote(5, EventType.DELIVERED, {"delivered_on": "2026-10-01"}, "devC")
    (view,) = cases.ingest_events(hall, Actor.system("sync"), [late])
    assert _count(hall, EventRow) == 5 and any("送达" in a for a in view.anomalies)


def test_deadline_in_unknown_year_is_marked(hall: Hall, clerk: Actor, clock: object) -> None:
    from tests.conftest import FakeClock

    assert isinstance(clock, FakeClock)
    clock.current = clock.current.replace(year=2026, month=12, day=28)
    result = register_visit(hall, clerk, form())
    assert not result.route_deadline.verified
    assert "未经核实" in result.route_deadline.explain()
    assert result.route_deadline.due - date(2026, 12, 28) >= timedelta(days=15)


def test_accusation_never_transferred_to_the_accused(hall: Hall, clerk: Actor) -> None:
    ref = register_visit(hall, clerk, form(request="举报县住建局某工作人员办事索要好处费")).case_number
    cases.classify(hall, clerk, ref, nature="检举控告类", topic_code="1202",
                   accused_org_codes=["330726-ZJJ"])
    proposal = cases.propose(hall, clerk, ref)
    assert proposal.organisation is not None and proposal.organisation.code == "330726-JW"
    assert "330726-ZJJ" not in {o.code for o in proposal.recipients}
    with pytest.raises(RuleViolation, match="第三十条"):
        cases.record(hall, clerk, ref, EventType.TRANSFERRED,
                     {"route_kind": "转送", "organisation_code": "330726-ZJJ"})
    assert _count(hall, EventRow) == 2
    view = cases.record(hall, clerk, ref, EventType.TRANSFERRED,
                        {"route_kind": "转送纪检监察机关", "organisation_code": "330726-JW"})
    assert view.organisation_code == "330726-JW"


def test_lost_receipt_gets_a_new_query_code_and_the_old_one_stops_working(hall: Hall, clerk: Actor) -> None:
    result = register_visit(hall, clerk, form())
    kiosk = Actor.kiosk("K01")
    new_code = cases.reset_query_code(hall, clerk, result.case_number)
    assert new_code != result.query_code and len(new_code) == 8
    assert citizen_progress(hall, kiosk, result.case_number, new_code).case_number == result.case_number
    with pytest.raises(RuleViolation):
        citizen_progress(hall, kiosk, result.case_number, result.query_code)
    with pytest.raises(RuleViolation):
        cases.reset_query_code(hall, kiosk, result.case_number)
    events = cases.reveal_personal(hall, clerk, result.case_number).events
    assert new_code not in repr(events) and events[-1].type is EventType.QUERY_CODE_RESET


def _accepted_case(hall: Hall, clerk: Actor, accepted_on: date) -> str:
    ref = register_visit(hall, clerk, form()).case_number
    cases.classify(hall, clerk, ref, nature="申诉求决类", topic_code="0101")
    cases.accept(hall, clerk, ref, accepted_on=accepted_on)
    return ref


def test_an_extension_is_refused_once_the_handling_limit_has_passed_and_the_case_stays_overdue(
        hall: Hall, clerk: Actor, supervisor: Actor, clock: FakeClock) -> None:
    """Art. 34: an extension lengthens a limit still running; after the last day the case is 超期 for supervision."""
    ref = _accepted_case(hall, clerk, date(2026, 9, 16))
    due = cases.load_case(hall, clerk, ref).view.handling_due
    assert due is not None and due > hall.today()
    clock.advance(days=(due - hall.today()).days + 19)  # 超期19天
    overdue_before = supervision.backlog(hall, supervisor).overdue
    events = _count(hall, EventRow)
    with pytest.raises(RuleViolation, match=f"已超过办理期限（{due.year}年{due.month}月{due.day}日") as refusal:
        cases.extend(hall, clerk, ref, days=30, reason="需现场勘验", approved_by="局长")
    assert refusal.value.code == "extension_after_due" and "纳入督办" in refusal.value.message
    with pytest.raises(RuleViolation, match="已超过办理期限"):  # the case desk's dialog goes the same way
        case_actions.perform(hall, clerk, ref, "extend", {"days": "30", "reason": "需现场勘验", "approved_by": "局长"})
    assert _count(hall, EventRow) == events
    detail = cases.load_case(hall, clerk, ref)
    assert (detail.view.extended_days, detail.view.handling_due, detail.due_level) == (0, due, "overdue")
    assert supervision.backlog(hall, supervisor).overdue == overdue_before
    assert case_actions.step_refusal(detail.view, "extend", hall.today()) == refusal.value.message


def test_an_extension_on_the_last_day_is_in_time_and_one_approved_then_may_be_recorded_later(
        hall: Hall, clerk: Actor, clock: FakeClock) -> None:
    ref = _accepted_case(hall, clerk, date(2026, 9, 16))
    due = cases.load_case(hall, clerk, ref).view.handling_due
    assert due is not None
    clock.advance(days=(due - hall.today()).days)
    assert case_actions.step_refusal(cases.load_case(hall, clerk, ref).view, "extend", hall.today()) == ""
    view = cases.extend(hall, clerk, ref, days=10, reason="需现场勘验", approved_by="局长")
    assert view.extended_days == 10 and view.handling_due is not None and view.handling_due > due
    # approved on paper on the last day, recorded three days later: the day of the approval is judged
    other = _accepted_case(hall, clerk, date(2026, 9, 16))
    clock.advance(days=3)
    with pytest.raises(RuleViolation, match="已超过办理期限"):
        cases.extend(hall, clerk, other, days=10, reason="需现场勘验", approved_by="局长")
    view = case_actions.perform(hall, clerk, other, "extend", {"days": "10", "reason": "需现场勘验",
                                                               "approved_by": "局长", "extended_on": due.isoformat()})
    assert view.extended_days == 10
    with pytest.raises(RuleViolation, match="不能晚于今天"):
        cases.extend(hall, clerk, _accepted_case(hall, clerk, hall.today()), days=10, reason="需现场勘验",
                     approved_by="局长", extended_on=hall.today() + timedelta(days=1))
