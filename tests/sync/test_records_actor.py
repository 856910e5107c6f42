"""The hall's records on the server act as the staff account a command names, over a real socket.

A staff device's command names its 经办人 (``by``: ``staff:<账号>``). The server takes that account
through the checks a pushed event's author passes (exists, enabled, may work at that kind of
device, the device's organisation and hall) and hands the services that account: their own
permission guards hold on the server, and the name recorded is the account's, never one the
device sends. Refused commands write nothing. On PostgreSQL and SQLite.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, func, select, update

from db.models import (
    AppointmentRow,
    AuditRow,
    DossierNoteRow,
    ReceptionDayRow,
    StaffAccountRow,
    SuggestionRow,
    SuggestionThemeRow,
)
from desktop.domain.audit import AuditAction
from desktop.domain.errors import RuleViolation
from desktop.services import leaderday, reception, suggestions
from desktop.services.context import Actor, Hall
from desktop.services.reception import Visitor
from desktop.sync.records_client import RecordsClient
from server.app import create_app
from server.app import serving as serve_in_thread
from server.store import SyncServer, enrol_device
from tests.conftest import FakeClock, make_hall
from tests.helpers import valid_id
from tests.sync.conftest import DeviceFactory, add_staff, api_client, bearer, enrolled, linked, with_staff

OTHER_ORG = "330726-ZJJ"  # 县住建局: an organisation of its own, not the hall's
DAY = date(2026, 9, 30)
CLERK = Actor("staff:wangli", "王丽", "clerk")
SUPERVISOR = Actor("staff:zhaomin", "赵敏", "supervisor")
LEADER = Actor("staff:lingdao1", "陈志远", "leader")


@pytest.fixture
def authority(engine: Engine, clock: FakeClock) -> Hall:
    """The records' authority on either database, with the centre's accounts and some that may not act here."""
    hall = with_staff(make_hall(engine, clock, device_id="server", device_code="S01"))
    add_staff(hall, "gone", "clerk", "已停用", disabled=True)
    add_staff(hall, "zjjclerk", "clerk", "住建局窗口", org_code=OTHER_ORG)
    add_staff(hall, "hall2clerk", "clerk", "二厅窗口", hall_code="H02")
    add_staff(hall, "hall1clerk", "clerk", "一厅窗口", hall_code="H01")
    add_staff(hall, "guanli1", "admin", "孙涛")
    return hall


@pytest.fixture
def api(authority: Hall) -> Iterator[httpx.Client]:
    with api_client(authority) as client:
        yield client


def _refused(response: httpx.Response, *words: str) -> str:
    assert response.status_code == 400, response.text
    detail = str(response.json()["detail"])
    assert all(w in detail for w in words), detail
    return detail


def _count(hall: Hall, table: type[Any]) -> int:
    with hall.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def _written(hall: Hall) -> tuple[int, ...]:
    """How many rows of the hall's records (and audit entries) the server holds."""
    return tuple(_count(hall, t) for t in (ReceptionDayRow, AppointmentRow, DossierNoteRow, SuggestionThemeRow,
                                           SuggestionRow, AuditRow))


def _new_day(by: str, **extra: Any) -> dict[str, Any]:
    return {"day": DAY.isoformat(), "leaders": ["县长 周建华"], "by": by, **extra}


@pytest.mark.parametrize(("by", "device", "words"), [
    ("staff:nobody", "counter", ("经办人账户“nobody”不存在或已停用",)),
    ("staff:gone", "counter", ("经办人账户“gone”不存在或已停用",)),
    ("staff:zjjclerk", "counter", ("经办人账户“zjjclerk”所属单位与本设备登记的单位不同",)),
    ("staff:hall2clerk", "counter", ("经办人账户“hall2clerk”限于在 H02 使用",)),
    ("staff:lingdao1", "counter", ("经办人账户“lingdao1”的角色不能在接待窗口设备上工作",)),
    ("staff:wangli", "leader", ("经办人账户“wangli”的角色不能在领导接访设备上工作",)),
], ids=["unknown", "disabled", "other-organisation", "other-hall", "leader-at-counter", "clerk-at-leader-pc"])
def test_a_staff_command_naming_an_account_that_may_not_act_at_the_device_is_refused_and_writes_nothing(
        api: httpx.Client, authority: Hall, by: str, device: str, words: tuple[str, ...]) -> None:
    token = enrol_device(authority, "devc", device, hall_code="H01")
    before = _written(authority)
    _refused(api.post("/records/days/add", headers=bearer(token), json=_new_day(by)), *words)
    assert _written(authority) == before
    # the same device with an account that may work there (one of all halls, one of this hall)
    allowed = ("staff:wangli", "staff:hall1clerk") if device == "counter" else ("staff:lingdao1",)
    for n, by_allowed in enumerate(allowed):
        added = api.post("/records/days/add", headers=bearer(token), json=_new_day(by_allowed, day=f"2026-10-0{n + 1}"))
        assert added.status_code == 200, added.text


def test_a_staff_command_that_names_no_staff_member_is_refused(api: httpx.Client, authority: Hall) -> None:
    counter = enrol_device(authority, "devc", "counter")
    display = enrol_device(authority, "devd", "display")
    before = _written(authority)
    _refused(api.post("/records/days/add", headers=bearer(counter), json=_new_day("")), "未写明经办人")
    body = _new_day("")
    del body["by"]
    _refused(api.post("/records/days/add", headers=bearer(counter), json=body), "未写明经办人")
    for somebody_else in ("kiosk:K01", "system:cli", "device:devc"):
        _refused(api.post("/records/days/add", headers=bearer(counter), json=_new_day(somebody_else)),
                 f"经办人“{somebody_else}”无效")
    not_even_a_pattern = api.post("/records/days/add", headers=bearer(counter), json=_new_day("王丽"))
    assert not_even_a_pattern.status_code == 422 and "经办人" in not_even_a_pattern.json()["detail"]
    # a display writes nothing, whoever it names
    _refused(api.post("/records/days/add", headers=bearer(display), json=_new_day("staff:wangli")), "此设备不能")
    assert _written(authority) == before


def test_the_services_own_permission_guards_hold_on_the_server(api: httpx.Client, authority: Hall) -> None:
    counter = enrol_device(authority, "devc", "counter")
    leader = enrol_device(authority, "devl", "leader")
    admin = enrol_device(authority, "deva", "admin")
    day = api.post("/records/days/add", headers=bearer(counter), json=_new_day("staff:wangli")).json()["result"]
    booked = api.post("/records/book", headers=bearer(counter), json={
        "day_id": day, "name": "张建国", "id_number": valid_id(seq=101), "by": "staff:wangli"})
    appointment = booked.json()["result"]["appointment"]["appointment_id"]
    suggestions.submit_suggestion(authority, CLERK, content="建议在大厅增设老年人专用等候区和饮水点", name="王强")
    [number] = [s.number for s in suggestions.list_suggestions(authority, CLERK)]
    theme = {"code": "T1", "title": "优化信访接待流程", "by": "staff:wangli"}
    before = _written(authority)

    # a clerk may neither publish a theme, nor award a suggestion, nor record a leader's decision
    _refused(api.post("/records/themes", headers=bearer(counter), json=theme),
             "王丽（接待窗口工作人员）没有“督办与统计”权限，不能发布建议征集主题")
    _refused(api.post("/records/suggestions/award", headers=bearer(counter),
                      json={"number": number, "award": "奖励500元", "by": "staff:wangli"}), "不能奖励人民建议")
    _refused(api.post("/records/received", headers=bearer(counter),
                      json={"appointment_id": appointment, "decision": "请人社局十日内答复", "by": "staff:wangli"}),
             "没有“包案与批示”权限")
    # an administrator sees no petitioner's business: no note, no link, no booking
    for path, body in (("/records/notes", {"appointment_id": appointment, "text": "材料已备齐"}),
                       ("/records/link-case", {"appointment_id": appointment, "case_number": "X1"}),
                       ("/records/cancel", {"appointment_id": appointment})):
        _refused(api.post(path, headers=bearer(admin), json=body | {"by": "staff:guanli1"}), "孙涛（系统管理员）没有")
    with authority.sessions() as session:
        assert session.scalar(select(SuggestionThemeRow.code)) is None
        row = session.scalars(select(AppointmentRow)).one()
        assert (row.status, row.case_number, row.received_by) == ("已预约", "", "")
        assert session.scalar(select(DossierNoteRow.text)) is None
        denied = session.scalars(select(AuditRow.actor_id).where(
            AuditRow.action == AuditAction.PERMISSION_DENIED.value).order_by(AuditRow.seq)).all()
    assert denied == ["staff:wangli"] * 3 + ["staff:guanli1"] * 3  # each refusal in the server's audit log
    assert _written(authority)[:-1] == before[:-1]

    # those whose role holds the permission
    assert api.post("/records/themes", headers=bearer(counter), json=theme | {"by": "staff:zhaomin"}).status_code == 200
    assert api.post("/records/received", headers=bearer(leader), json={
        "appointment_id": appointment, "decision": "请人社局十日内答复", "by": "staff:lingdao1"}).status_code == 200


def test_the_name_recorded_is_the_accounts_never_the_one_the_device_sends(api: httpx.Client, authority: Hall) -> None:
    counter = enrol_device(authority, "devc", "counter")
    leader = enrol_device(authority, "devl", "leader")
    claimed = {"by_name": "冒名顶替"}  # what an older or tampered device may still send: not read
    day = api.post("/records/days/add", headers=bearer(counter), json=_new_day("staff:wangli") | claimed)
    appointment = api.post("/records/book", headers=bearer(counter), json={
        "day_id": day.json()["result"], "name": "张建国", "id_number": valid_id(seq=101), "by": "staff:wangli",
        **claimed}).json()["result"]["appointment"]["appointment_id"]
    for path, token, body in (
            ("/records/notes", counter, {"appointment_id": appointment, "text": "来电称材料已备齐",
                                         "by": "staff:wangli"}),
            ("/records/received", leader, {"appointment_id": appointment, "decision": "请人社局十日内答复",
                                           "by": "staff:lingdao1"})):
        assert api.post(path, headers=bearer(token), json=body | claimed).status_code == 200
    with authority.sessions() as session:
        row = session.scalars(select(AppointmentRow)).one()
        note = session.scalars(select(DossierNoteRow)).one()
        created = session.scalar(select(ReceptionDayRow.created_by))
    assert (row.created_by, row.received_by, row.received_by_name) == ("staff:wangli", "staff:lingdao1", "陈志远")
    assert (note.author, note.author_name, created) == ("staff:wangli", "王丽", "staff:wangli")
    assert [s.leader for s in leaderday.leader_day_statistics(authority, SUPERVISOR)] == ["陈志远"]


# -- end to end: signed-in staff on their own PCs, through the hall server ---------------------------

@pytest.fixture
def hall_server(device_hall: DeviceFactory) -> SyncServer:
    return SyncServer(with_staff(device_hall("hallserver", code="H01")))


def test_signed_in_staff_book_cancel_note_answer_and_award_through_the_hall_server(
        hall_server: SyncServer, device_hall: DeviceFactory) -> None:
    counter, leader = device_hall("counter"), device_hall("leader")
    with serve_in_thread(create_app(hall_server.hall, server=hall_server)) as url, \
            linked([RecordsClient(hall, url, enrolled(hall_server, hall, role), max_backoff=0.3)
                    for hall, role in ((counter, "counter"), (leader, "leader"))]):
        day = reception.add_day(counter, CLERK, DAY, leaders=["县长 周建华"], slots="09:00-10:00/1")
        first = reception.book(counter, CLERK, day.day_id, Visitor("张建国", valid_id(seq=101)))
        second = reception.book(counter, CLERK, day.day_id, Visitor("李梅", valid_id(seq=102), "13857912345"))
        assert (first.waiting_position, second.waiting_position) == (0, 1)
        promoted = reception.cancel(counter, CLERK, first.appointment.appointment_id)
        assert promoted is not None and promoted.appointment_id == second.appointment.appointment_id
        leaderday.annotate(counter, CLERK, promoted.appointment_id, "来电称材料已备齐")
        leaderday.mark_received(leader, LEADER, promoted.appointment_id, "请人社局十日内答复", False)

        suggestions.publish_theme(counter, SUPERVISOR, title="优化信访接待流程", description="")
        receipt = suggestions.submit_suggestion(counter, CLERK, content="建议在大厅增设老年人专用等候区和饮水点",
                                                name="王强")
        suggestions.answer_suggestion(counter, CLERK, receipt.number, answer="已转交管理部门研究落实",
                                      adoption="采纳")
        awarded = suggestions.award_suggestion(counter, SUPERVISOR, receipt.number, award="奖励500元")
        assert awarded.award == "奖励500元"

        # an account disabled at the centre since the clerk signed in: the hall server says so, in words
        with hall_server.hall.transaction() as session:
            session.execute(update(StaffAccountRow).where(StaffAccountRow.login == "wangli").values(disabled=True))
        with pytest.raises(RuleViolation, match="经办人账户“wangli”不存在或已停用"):
            reception.book(counter, CLERK, day.day_id, Visitor("王强", valid_id(seq=103), "13857912347"))
    with hall_server.hall.sessions() as session:
        rows = {r.name: r for r in session.scalars(select(AppointmentRow))}
        note = session.scalars(select(DossierNoteRow)).one()
        kept = session.scalars(select(SuggestionRow)).one()
    assert sorted(rows) == ["张建国", "李梅"] and rows["张建国"].status == "已取消"
    assert (rows["李梅"].received_by_name, note.author_name) == ("陈志远", "王丽")
    assert (kept.answered_by, kept.adoption, kept.award) == ("staff:wangli", "采纳", "奖励500元")


def _suggestion(n: int, device_id: str, submitted_by: str) -> dict[str, Any]:
    return {"suggestion_id": f"s-{device_id}-{n}", "number": f"JY-20260930-K01-{n:04d}", "theme_title": "其他",
            "content": "建议在大厅增设老年人专用等候区", "anonymous": True, "submitted_at": "2026-09-30T09:00:00",
            "submitted_by": submitted_by, "device_id": device_id}


def test_merged_suggestions_name_the_device_that_took_them_and_a_taker_who_may_act_there(
        api: httpx.Client, authority: Hall) -> None:
    kiosk = enrol_device(authority, "devk", "kiosk", device_code="K01")
    counter = enrol_device(authority, "devc", "counter", hall_code="H01")
    before = _written(authority)

    def merge(token: str, *suggestion: dict[str, Any]) -> httpx.Response:
        return api.post("/records/suggestions/merge", headers=bearer(token), json={"suggestions": list(suggestion)})

    _refused(merge(kiosk, _suggestion(1, "devc", "kiosk:K01")),
             "建议 JY-20260930-K01-0001 的设备编号与本设备的令牌不符")
    _refused(merge(counter, _suggestion(2, "devk", "staff:wangli")), "的设备编号与本设备的令牌不符")
    _refused(merge(kiosk, _suggestion(3, "devk", "staff:wangli")), "经办人“staff:wangli”不是本自助终端")
    _refused(merge(counter, _suggestion(4, "devc", "kiosk:K01")), "建议 JY-20260930-K01-0004：经办人“kiosk:K01”无效")
    _refused(merge(counter, _suggestion(5, "devc", "staff:hall2clerk")), "经办人账户“hall2clerk”限于在 H02 使用")
    # one bad suggestion in a batch keeps the whole batch out
    _refused(merge(counter, _suggestion(6, "devc", "staff:wangli"), _suggestion(7, "devc", "staff:gone")),
             "经办人账户“gone”不存在或已停用")
    assert _written(authority) == before
    assert merge(kiosk, _suggestion(8, "devk", "kiosk:K01")).json()["result"] == 1
    assert merge(counter, _suggestion(9, "devc", "staff:hall1clerk")).json()["result"] == 1
    with authority.sessions() as session:
        assert sorted(session.scalars(select(SuggestionRow.submitted_by))) == ["kiosk:K01", "staff:hall1clerk"]
