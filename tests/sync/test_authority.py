"""The server as the authority: each attack of issue 22 refused, over a real socket, on PostgreSQL and SQLite.

A device's token binds its device id, role, hall and organisation; an event that claims
another device or author, fails its type's schema, or would narrow art. 30 away is refused
with a 4xx in Chinese naming the field, and nothing of its batch is stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select

from db.models import AuditRow, CaseRow, CaseSealRow
from desktop.domain.events import Event, EventType
from desktop.services import cases
from desktop.services.context import Actor, Hall
from desktop.services.registration import register_visit
from server.protocol import SyncProblem, WireEvent
from server.store import SyncServer, enrol_device
from tests.conftest import FakeClock, make_hall
from tests.helpers import form, valid_id
from tests.sync.conftest import (
    DeviceFactory,
    add_staff,
    count_events,
    device_of,
    events_of,
    local_client,
    register_cases,
    serving,
    with_staff,
)

ACCUSED = "330726-ZF"  # 浦江县人民政府: everything under it (县住建局 among them) is accused with it
UNDER = "330726-ZJJ"


@pytest.fixture
def authority(engine: Engine, clock: FakeClock) -> Hall:
    """The server's hall on either database, with the staff accounts of the centre."""
    hall = with_staff(make_hall(engine, clock, device_id="server", device_code="S01"))
    add_staff(hall, "zjjclerk", "clerk", "住建局窗口", org_code=UNDER)
    add_staff(hall, "gone", "clerk", "已停用", disabled=True)
    return hall


@pytest.fixture
def api(authority: Hall) -> Iterator[httpx.Client]:
    with serving(authority) as url, httpx.Client(base_url=url) as client:
        yield client


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _wire(event: Event, **changes: Any) -> dict[str, Any]:
    data = WireEvent.of(event).model_dump()
    data.update(changes)
    return data


def _refused(response: httpx.Response, field: str) -> str:
    assert 400 <= response.status_code < 500, response.text
    detail = response.json()["detail"]
    assert field in detail and any("\u4e00" <= c <= "\u9fff" for c in detail), detail
    return str(detail)


def _new_event(hall: Hall, case_id: str, kind: EventType, payload: dict[str, Any], author: str,
               device_id: str | None = None) -> Event:
    return Event(str(uuid.uuid4()), case_id, device_id or hall.settings.device_id, author,
                 str(hall.clock.tick(hall.wall_ms())), kind, payload)


# -- device and author bound to the token ---------------------------------------------------------

def test_an_event_naming_another_device_or_author_is_refused(api: httpx.Client, authority: Hall,
                                                             device_hall: DeviceFactory, clerk: Actor) -> None:
    a = device_hall("a")
    register_cases(a, clerk, 1)
    (event,) = events_of(a)
    token = enrol_device(authority, "deva", "counter")
    attempts = {
        "device_id": _wire(event, device_id="devb"),
        "author": _wire(event, author="staff:nobody"),
    }
    for field, wire in attempts.items():
        _refused(api.post("/sync/push", headers=_auth(token), json={"events": [wire]}), field)
    for author in ("staff:gone", "staff:zjjclerk", "kiosk:K01", "system:cli", "staff:lingdao1"):
        _refused(api.post("/sync/push", headers=_auth(token), json={"events": [_wire(event, author=author)]}),
                 "author")
    assert count_events(authority) == 0
    assert api.post("/sync/push", headers=_auth(token), json={"events": [_wire(event)]}).status_code == 200


def test_a_kiosk_records_only_as_itself(api: httpx.Client, authority: Hall, device_hall: DeviceFactory) -> None:
    k = device_hall("k", code="K01")
    register_visit(k, Actor.kiosk("K01"), form(name="李秀英", id_number=valid_id(seq=71)))
    (event,) = events_of(k)
    token = enrol_device(authority, k.settings.device_id, "kiosk", device_code="K01")
    for author in ("kiosk:K02", "staff:wangli"):
        _refused(api.post("/sync/push", headers=_auth(token), json={"events": [_wire(event, author=author)]}),
                 "author")
    assert api.post("/sync/push", headers=_auth(token), json={"events": [_wire(event)]}).status_code == 200
    with pytest.raises(ValueError, match="device_code"):
        enrol_device(authority, "devk2", "kiosk")


# -- payloads ---------------------------------------------------------------------------------------

def _registration(device_hall: DeviceFactory, clerk: Actor) -> Event:
    a = device_hall("a")
    register_cases(a, clerk, 1)
    (event,) = events_of(a)
    assert isinstance(event, Event)
    return event


@pytest.mark.parametrize(("change", "field"), [
    ({"payload": {}}, "payload.case_number"),
    ({"event_id": "00000000-0000-4000-8000-00000000000\x00"}, "event_id"),
    ({"author": "staff:wang\x00li"}, "author"),
    ({"case_id": "not-a-uuid"}, "case_id"),
    ({"payload": "request"}, "payload"),
])
def test_malformed_events_are_refused_naming_the_field(api: httpx.Client, authority: Hall,
                                                       device_hall: DeviceFactory, clerk: Actor,
                                                       change: dict[str, Any], field: str) -> None:
    event = _registration(device_hall, clerk)
    token = enrol_device(authority, "deva", "counter")
    _refused(api.post("/sync/push", headers=_auth(token), json={"events": [_wire(event, **change)]}), field)
    assert count_events(authority) == 0


@pytest.mark.parametrize(("path", "value", "field"), [
    (("request",), ["要求维修"], "payload.request"),
    (("request",), "要求\x00维修", "payload.request"),
    (("petitioner", "name"), "张\u202e三", "payload.petitioner.name"),
    (("petitioner", "name"), "张\x00三", "payload.petitioner.name"),
    (("petitioner", "id_number"), "330726196803121230", "payload.petitioner.id_number"),
    (("petitioner", "phone"), 13857912345, "payload.petitioner.phone"),
    (("persons_count",), "3", "payload.persons_count"),
    (("received_on",), "2026-13-01", "payload.received_on"),
    (("case_number",), "X" * 41, "payload.case_number"),
    (("window",), "窗" * 17, "payload.window"),
    (("unknown_field",), "x", "payload.unknown_field"),
])
def test_a_bad_registration_payload_is_refused_naming_the_field(
        api: httpx.Client, authority: Hall, device_hall: DeviceFactory, clerk: Actor,
        path: tuple[str, ...], value: Any, field: str) -> None:
    event = _registration(device_hall, clerk)
    payload = dict(event.payload)
    target = payload
    for key in path[:-1]:
        target[key] = dict(target[key])
        target = target[key]
    target[path[-1]] = value
    token = enrol_device(authority, "deva", "counter")
    _refused(api.post("/sync/push", headers=_auth(token), json={"events": [_wire(event, payload=payload)]}), field)
    assert count_events(authority) == 0


def test_a_decision_on_a_case_the_server_never_registered_is_refused(sync_server: SyncServer,
                                                                     device_hall: DeviceFactory,
                                                                     clerk: Actor) -> None:
    a = device_hall("a")
    orphan = _new_event(a, str(uuid.uuid4()), EventType.ACCEPTED, {"accepted_on": "2026-09-17"}, clerk.actor_id)
    with pytest.raises(SyncProblem, match=r"case_id.*没有这件事项的登记"):
        sync_server.push(device_of(a), [WireEvent.of(orphan)])


# -- art. 30 ------------------------------------------------------------------------------------------

def _accusation(server: SyncServer, a: Hall, clerk: Actor, supervisor: Actor) -> str:
    """A case classified as an accusation against the county government, synced to the server; its id."""
    (number,) = register_cases(a, clerk, 1)
    view = cases.classify(a, supervisor, number, nature="检举控告类", topic_code="1202",
                          accused_org_codes=[ACCUSED])
    local_client(server, a).sync_once()
    return view.case_id


def _pulled_case_ids(server: SyncServer, hall: Hall, org_code: str) -> set[str]:
    page = server.pull(device_of(hall, "counter", org_code), 0, 5000)
    return {e.case_id for e in page.events}


def test_a_reclassification_from_the_accused_side_is_refused_and_never_unseals(
        sync_server: SyncServer, device_hall: DeviceFactory, clerk: Actor, supervisor: Actor) -> None:
    a, z = device_hall("a"), device_hall("z")
    add_staff(sync_server.hall, "zjjclerk", "clerk", "住建局窗口", org_code=UNDER)
    case_id = _accusation(sync_server, a, clerk, supervisor)
    narrowing = {"nature": "申诉求决类", "topic_code": "0101", "legal_route": "", "accused_org_codes": []}
    attack = _new_event(z, case_id, EventType.CLASSIFIED, narrowing, "staff:zjjclerk")
    with pytest.raises(SyncProblem, match=r"case_id|author"):
        sync_server.push(device_of(z, "counter", UNDER), [WireEvent.of(attack)])
    # a clerk of the hall may not reclassify an accusation either: that is the supervisor's decision
    by_clerk = _new_event(a, case_id, EventType.CLASSIFIED, narrowing, clerk.actor_id)
    with pytest.raises(SyncProblem, match="督办与统计"):
        sync_server.push(device_of(a), [WireEvent.of(by_clerk)])
    # the supervisor may; it is audited on the server, and the seal stays
    by_supervisor = _new_event(a, case_id, EventType.CLASSIFIED, narrowing, supervisor.actor_id)
    assert sync_server.push(device_of(a), [WireEvent.of(by_supervisor)]).stored == 1
    with sync_server.hall.sessions() as session:
        seals = set(session.scalars(select(CaseSealRow.org_code).where(CaseSealRow.case_id == case_id)))
        audited = [r.detail for r in session.scalars(select(AuditRow))]
    assert seals == {ACCUSED}
    assert any("reclassified_accusation" in d and by_supervisor.event_id in d for d in audited)
    assert case_id not in _pulled_case_ids(sync_server, z, UNDER)
    assert case_id not in _pulled_case_ids(sync_server, z, ACCUSED)
    assert case_id in _pulled_case_ids(sync_server, z, "330726-JW")


#: A valid payload of every type a device could push after the registration.
SAMPLES: dict[EventType, dict[str, Any]] = {
    EventType.MATERIAL_ADDED: {"material": "补充的照片说明"},
    EventType.CLASSIFIED: {"nature": "申诉求决类", "topic_code": "0101", "legal_route": "", "accused_org_codes": []},
    EventType.NOTIFIED: {"text": "已书面告知"},
    EventType.TRANSFERRED: {"route_kind": "转送", "organisation_code": "330726-JW"},
    EventType.ASSIGNED: {"route_kind": "交办", "organisation_code": "330726-JW", "due": "2026-10-16"},
    EventType.GUIDED: {"route_kind": "导入法定途径", "organisation_code": ""},
    EventType.OBJECTED: {"reason": "不属本单位职责"},
    EventType.ACCEPTED: {"accepted_on": "2026-09-17", "organisation_code": UNDER},
    EventType.NOT_ACCEPTED: {"reason": "已在法定期限内办理中"},
    EventType.EXTENDED: {"days": 30, "reason": "案情复杂", "approved_by": "局长"},
    EventType.ANSWERED: {"outcome": "不予支持", "answered_on": "2026-09-20"},
    EventType.DELIVERED: {"delivered_on": "2026-09-21"},
    EventType.RATED: {"rating": "满意", "target": "信访部门"},
    EventType.FOLLOWED_UP: {"note": "已电话回访"},
    EventType.REVIEW_REQUESTED: {"requested_on": "2026-09-22"},
    EventType.REVIEW_ANSWERED: {"outcome": "不予支持", "answered_on": "2026-09-25"},
    EventType.REREVIEW_REQUESTED: {"requested_on": "2026-09-26"},
    EventType.REREVIEW_ANSWERED: {"outcome": "不予支持", "answered_on": "2026-09-28"},
    EventType.SETTLED: {"kind": "调解"},
    EventType.LEADER_TAKEN: {"leader": "县长 周建华", "unit": "县信访联席办"},
    EventType.INSTRUCTED: {"text": "请依法办理"},
    EventType.URGED: {"text": "请于本周内报告进展"},
    EventType.RECUSED: {"staff_id": "staff:chenjie", "reason": "系信访人亲属"},
    EventType.QUERY_CODE_RESET: {"query_code_hash": "v1$" + "ab" * 16 + "$" + "cd" * 32},
}
#: Who may record each type at the hall (the leader at the leader's desk).
_AUTHORS = {EventType.CLASSIFIED: "staff:zhaomin", EventType.LEADER_TAKEN: "staff:lingdao1",
            EventType.INSTRUCTED: "staff:lingdao1", EventType.URGED: "staff:zhaomin"}


def test_the_samples_cover_every_event_type() -> None:
    assert set(SAMPLES) | {EventType.REGISTERED} == set(EventType)


@pytest.mark.parametrize("kind", list(SAMPLES), ids=lambda k: k.name)
def test_no_event_type_hands_a_sealed_case_to_the_accused_or_lets_them_record(
        sync_server: SyncServer, device_hall: DeviceFactory, clerk: Actor, supervisor: Actor,
        kind: EventType) -> None:
    a, lead, z = device_hall("a"), device_hall("l"), device_hall("z")
    add_staff(sync_server.hall, "zjjclerk", "clerk", "住建局窗口", org_code=UNDER)
    case_id = _accusation(sync_server, a, clerk, supervisor)
    author = _AUTHORS.get(kind, clerk.actor_id)
    desk = lead if author == "staff:lingdao1" else a
    event = _new_event(desk, case_id, kind, dict(SAMPLES[kind]), author)
    role = "leader" if desk is lead else "counter"
    assert sync_server.push(device_of(desk, role), [WireEvent.of(event)]).stored == 1  # kept, even out of order
    assert case_id not in _pulled_case_ids(sync_server, z, UNDER)
    assert case_id not in _pulled_case_ids(sync_server, z, ACCUSED)
    attack = _new_event(z, case_id, kind, dict(SAMPLES[kind]), "staff:zjjclerk")
    with pytest.raises(SyncProblem, match="条例第三十条"):
        sync_server.push(device_of(z, "counter", UNDER), [WireEvent.of(attack)])


# -- what kiosks and displays receive ----------------------------------------------------------------

def test_a_kiosk_pulls_masked_progress_only_and_a_display_nothing(api: httpx.Client, authority: Hall,
                                                                  device_hall: DeviceFactory, clerk: Actor,
                                                                  supervisor: Actor) -> None:
    a = device_hall("a")
    number_id = valid_id(seq=321)
    result = register_visit(a, clerk, form(name="欧阳建国", id_number=number_id, phone="13857912345",
                                           request="反映小区电梯停运，要求维修", facts="三个月无人维修"))
    cases.classify(a, supervisor, result.case_number, nature="检举控告类", topic_code="1202",
                   accused_org_codes=[ACCUSED])
    counter = enrol_device(authority, "deva", "counter")
    kiosk = enrol_device(authority, "devk", "kiosk", device_code="K01")
    display = enrol_device(authority, "devd", "display")
    pushed = api.post("/sync/push", headers=_auth(counter),
                      json={"events": [WireEvent.of(e).model_dump() for e in events_of(a)]})
    assert pushed.status_code == 200, pushed.text
    body = api.get("/sync/pull", headers=_auth(kiosk)).text
    for secret in (number_id, "13857912345", "欧阳建国", "电梯", "三个月", ACCUSED):
        assert secret not in body
    assert result.case_number in body and "欧阳**" in body
    shown = api.get("/sync/pull", headers=_auth(display)).json()
    assert shown["events"] == [] and shown["next_cursor"] == 2


# -- art. 34 -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dated", [True, False], ids=["with its day", "older device, by its clock"])
def test_an_extension_pushed_after_the_handling_limit_is_kept_flagged_and_the_case_stays_overdue(
        sync_server: SyncServer, device_hall: DeviceFactory, clerk: Actor, clock: FakeClock, dated: bool) -> None:
    """The server folds a pushed extension as every replica does: decided after the limit, it extends nothing
    and the case goes to a supervisor, still overdue."""
    a = device_hall("a")
    (number,) = register_cases(a, clerk, 1)
    cases.classify(a, clerk, number, nature="申诉求决类", topic_code="0101")
    view = cases.accept(a, clerk, number, accepted_on=a.today())
    due = view.handling_due
    assert due is not None
    local_client(sync_server, a).sync_once()
    clock.advance(days=(due - a.today()).days + 19)
    payload: dict[str, Any] = {"days": 30, "reason": "案情复杂", "approved_by": "局长"}
    if dated:
        payload["extended_on"] = a.today().isoformat()
    late = _new_event(a, view.case_id, EventType.EXTENDED, payload, clerk.actor_id)
    assert sync_server.push(device_of(a), [WireEvent.of(late)]).stored == 1  # kept, never lost
    with sync_server.hall.sessions() as session:
        row = session.execute(select(CaseRow.handling_due, CaseRow.next_due, CaseRow.anomalies)
                              .where(CaseRow.case_id == view.case_id)).one()
    assert (row.handling_due, row.next_due) == (due, due)
    assert "已超过办理期限" in row.anomalies


def test_a_pushed_extension_names_its_day_as_a_date() -> None:
    from server.validation import Refused, check_payload

    check_payload(EventType.EXTENDED, {**SAMPLES[EventType.EXTENDED], "extended_on": "2026-11-17"})
    with pytest.raises(Refused) as refused:
        check_payload(EventType.EXTENDED, {**SAMPLES[EventType.EXTENDED], "extended_on": "11月17日"})
    assert refused.value.where == "payload.extended_on"
