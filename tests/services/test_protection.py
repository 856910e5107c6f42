"""Controls inside the services: permissions, recusal, accusation secrecy, masking, audit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, select, update

from db.models import AuditRow
from desktop.domain.access import WITHHELD, Actor, ContentAccess, PermissionDenied, Role
from desktop.domain.errors import RuleViolation
from desktop.domain.events import EventType
from desktop.services import cases, leaderday, reception
from desktop.services.audit import AuditQuery, list_audit, verify_audit
from desktop.services.context import Hall
from desktop.services.lookup import find_cases
from desktop.services.progress import citizen_progress
from desktop.services.registration import register_visit
from desktop.services.supervision import backlog, upcoming_deadlines
from tests.helpers import form, valid_id

ACCUSATION = "举报县住建局某科长在审批中索要好处费"
ID = valid_id(seq=77)


@pytest.fixture
def accusation(hall: Hall, clerk: Actor, supervisor: Actor) -> str:
    number = register_visit(hall, clerk, form(name="欧阳建华", id_number=ID, request=ACCUSATION)).case_number
    cases.classify(hall, supervisor, number, nature="检举控告类", topic_code="1202",
                   accused_org_codes=["330726-ZJJ"])
    return number


def _audit_actions(hall: Hall) -> list[str]:
    return [e.action for e in reversed(list_audit(hall, Actor.system()))]


def test_kiosk_and_display_cannot_read_cases(hall: Hall, clerk: Actor) -> None:
    number = register_visit(hall, clerk, form()).case_number
    for device in (Actor.kiosk("K01"), Actor.display_screen("D1")):
        with pytest.raises(PermissionDenied):
            find_cases(hall, device, number)
        with pytest.raises(PermissionDenied):
            cases.load_case(hall, device, number)
        with pytest.raises(PermissionDenied):
            upcoming_deadlines(hall, device)
    with pytest.raises(PermissionDenied):
        citizen_progress(hall, Actor.display_screen("D1"), number, "00000000")
    with pytest.raises(PermissionDenied):
        cases.accept(hall, Actor.kiosk("K01"), number, accepted_on=date(2026, 9, 16))
    assert _audit_actions(hall).count("越权操作被拒绝") == 8


def test_administrator_sees_no_petitioner_data(hall: Hall, clerk: Actor) -> None:
    number = register_visit(hall, clerk, form()).case_number
    admin = Actor("staff:guanli", "孙涛", Role.ADMIN)
    for call in (lambda: find_cases(hall, admin, number), lambda: cases.load_case(hall, admin, number),
                 lambda: cases.reveal_personal(hall, admin, number), lambda: backlog(hall, admin)):
        with pytest.raises(PermissionDenied):
            call()


def test_case_detail_is_masked_and_revealing_it_is_audited(hall: Hall, clerk: Actor) -> None:
    number = register_visit(hall, clerk, form(name="欧阳建华", id_number=ID, phone="13857900002",
                                              address="浙江省金华市浦江县浦阳街道和平路12号")).case_number
    detail = cases.load_case(hall, clerk, number)
    shown = repr(detail.view) + repr(detail.events)
    for secret in (ID, "13857900002", "欧阳建华", "和平路12号"):
        assert secret not in shown
    assert not detail.revealed and detail.view.petitioner.name == "欧阳**"
    full = cases.reveal_personal(hall, clerk, number, reason="核对身份")
    assert full.revealed and full.view.petitioner.id_number == ID
    assert full.events[0].payload["petitioner"]["phone"] == "13857900002"
    (entry,) = list_audit(hall, Actor.system(), AuditQuery(action="查看完整个人信息"))
    assert entry.actor_id == clerk.actor_id and entry.target == number and entry.detail == {"reason": "核对身份"}


def test_accusation_is_withheld_from_staff_without_the_permission(hall: Hall, clerk: Actor,
                                                                  accusation: str) -> None:
    detail = cases.load_case(hall, clerk, accusation)
    assert detail.content is ContentAccess.REDACTED and detail.view.request == WITHHELD
    assert ACCUSATION not in repr(detail.events) and "330726-ZJJ" not in repr(detail.events)
    (found,) = find_cases(hall, clerk, ID)
    assert found.request == WITHHELD
    assert find_cases(hall, clerk, "索要好处费") == []  # not found by the words it withholds
    assert find_cases(hall, Actor("staff:s", "赵敏", Role.SUPERVISOR), "索要好处费")[0].request == ACCUSATION


def test_accusation_is_kept_from_the_accused_organisation(hall: Hall, accusation: str) -> None:
    accused = Actor("staff:zjj", "住建局干部", Role.SUPERVISOR, org_code="330726-ZJJ")
    assert find_cases(hall, accused, ID) == []
    assert find_cases(hall, accused, "索要好处费") == []
    with pytest.raises(PermissionDenied, match="第三十条"):
        cases.load_case(hall, accused, accusation)
    with pytest.raises(PermissionDenied, match="第三十条"):
        cases.reveal_personal(hall, accused, accusation)
    with pytest.raises(PermissionDenied, match="第三十条"):
        cases.record(hall, accused, accusation, EventType.MATERIAL_ADDED, {"material": "x"})
    with pytest.raises(PermissionDenied, match="第三十条"):
        cases.propose(hall, accused, accusation)
    with pytest.raises(RuleViolation, match="第三十条"):
        cases.record(hall, Actor.system(), accusation, EventType.TRANSFERRED,
                     {"organisation_code": "330726-ZJJ"})
    discipline = Actor("staff:jw", "纪委干部", Role.CLERK, org_code="330726-JW")
    assert cases.load_case(hall, discipline, accusation).content is ContentAccess.REDACTED
    cases.record(hall, Actor.system(), accusation, EventType.TRANSFERRED, {"organisation_code": "330726-JW"})
    assert cases.load_case(hall, discipline, accusation).view.request == ACCUSATION


def test_recused_clerk_is_refused(hall: Hall, clerk: Actor, supervisor: Actor) -> None:
    number = register_visit(hall, clerk, form()).case_number
    with pytest.raises(RuleViolation, match="回避事由"):
        cases.record(hall, supervisor, number, EventType.RECUSED, {"staff_id": clerk.actor_id, "reason": ""})
    cases.record(hall, supervisor, number, EventType.RECUSED,
                 {"staff_id": clerk.actor_id, "reason": "信访人系其近亲属"})
    with pytest.raises(PermissionDenied, match="回避"):
        cases.classify(hall, clerk, number, nature="申诉求决类", topic_code="0101")
    with pytest.raises(PermissionDenied, match="回避"):
        cases.reveal_personal(hall, clerk, number)
    other = Actor("staff:zq", "张强", Role.CLERK)
    assert cases.classify(hall, other, number, nature="申诉求决类", topic_code="0101").nature == "申诉求决类"
    assert cases.load_case(hall, other, number).view.recused == (clerk.actor_id,)


def test_every_decision_is_audited_and_the_chain_verifies(hall: Hall, clerk: Actor) -> None:
    number = register_visit(hall, clerk, form()).case_number
    cases.classify(hall, clerk, number, nature="申诉求决类", topic_code="0101")
    cases.accept(hall, clerk, number, accepted_on=date(2026, 9, 16))
    assert _audit_actions(hall) == ["登记来访", "办理决定", "办理决定"]
    decision = list_audit(hall, Actor.system(), AuditQuery(action="办理决定"))[0]
    assert decision.detail["event"] == "受理" and decision.target == number
    assert verify_audit(hall, Actor.system()).ok


def _filled_log(hall: Hall, clerk: Actor) -> None:
    number = register_visit(hall, clerk, form()).case_number
    for _ in range(5):
        cases.reveal_personal(hall, clerk, number)


def test_tampered_audit_row_is_detected(hall: Hall, clerk: Actor) -> None:
    _filled_log(hall, clerk)
    with hall.transaction() as session:
        session.execute(update(AuditRow).where(AuditRow.seq == 3).values(actor_id="staff:someone-else"))
    report = verify_audit(hall, Actor.system())
    assert not report.ok and any("第3条" in p and "修改" in p for p in report.problems)


def test_deleted_audit_row_is_detected(hall: Hall, clerk: Actor) -> None:
    _filled_log(hall, clerk)
    with hall.transaction() as session:
        session.execute(delete(AuditRow).where(AuditRow.seq == 2))
    report = verify_audit(hall, Actor.system())
    assert not report.ok and any("缺少第2条" in p for p in report.problems)


def test_deleting_the_newest_audit_rows_is_detected(sqlite_hall: Hall, clerk: Actor) -> None:
    _filled_log(sqlite_hall, clerk)
    with sqlite_hall.transaction() as session:
        last = session.scalar(select(AuditRow.seq).order_by(AuditRow.seq.desc()).limit(1))
        session.execute(delete(AuditRow).where(AuditRow.seq >= (last or 0) - 1))
    report = verify_audit(sqlite_hall, Actor.system())
    assert not report.ok and any("末尾" in p for p in report.problems)
    assert "发现" in report.summary()


def test_only_auditors_verify(hall: Hall, clerk: Actor) -> None:
    with pytest.raises(PermissionDenied):
        verify_audit(hall, clerk)
    assert verify_audit(hall, Actor("staff:s", "赵敏", Role.SUPERVISOR)).ok


def test_an_accusation_is_kept_from_every_unit_under_the_accused_but_not_from_above(
        hall: Hall, clerk: Actor, supervisor: Actor) -> None:
    """Accused: the county government. Its bureaus and their units are inside; the city is above."""
    number = register_visit(hall, clerk, form(name="欧阳建华", id_number=ID, request=ACCUSATION)).case_number
    cases.classify(hall, supervisor, number, nature="检举控告类", topic_code="1202",
                   accused_org_codes=["330726-ZF"])
    for org in ("330726-ZF", "330726-ZJJ", "330726-LDZC"):  # itself, a bureau, a unit under a bureau
        inside = Actor(f"staff:{org}", "干部", Role.SUPERVISOR, org_code=org)
        assert find_cases(hall, inside, ID) == []
        with pytest.raises(PermissionDenied, match="第三十条"):
            cases.load_case(hall, inside, number)
        with pytest.raises(RuleViolation, match="第三十条"):
            cases.record(hall, Actor.system(), number, EventType.TRANSFERRED, {"organisation_code": org})
    above = Actor("staff:city", "市政府干部", Role.SUPERVISOR, org_code="330700-ZF")
    assert [c.case_number for c in find_cases(hall, above, ID)] == [number]
    assert cases.load_case(hall, above, number).view.request == ACCUSATION
    view = cases.record(hall, Actor.system(), number, EventType.TRANSFERRED, {"organisation_code": "330700-ZF"})
    assert view.organisation_code == "330700-ZF"


def test_a_leader_takes_an_accusation_on_with_any_unit_but_the_accused(hall: Hall, clerk: Actor,
                                                                        accusation: str) -> None:
    """包案 hands the case to its responsible units: never to the accused one (条例第三十条)."""
    day = reception.add_day(hall, clerk, date(2026, 9, 16), leaders=["县长 周建华"])
    booking = reception.book(hall, clerk, day.day_id, reception.Visitor("欧阳建华", ID))
    assert booking.appointment.case_number == accusation
    leader = Actor("staff:lingdao1", "周建华", Role.LEADER)
    with pytest.raises(RuleViolation, match="第三十条"):
        leaderday.record_decision(hall, leader, booking.appointment.appointment_id, instruction="限期查实",
                                  take_on=True, unit_codes=["330726-ZJJ"])
    events = [e.type for e in cases.load_case(hall, leader, accusation).events]
    assert EventType.LEADER_TAKEN not in events and EventType.INSTRUCTED not in events  # nothing recorded
    decided = leaderday.record_decision(hall, leader, booking.appointment.appointment_id, instruction="限期查实",
                                        take_on=True, unit_codes=["330726-JW"])
    assert decided.unit_names == ("浦江县纪委监委",)
