"""The hall's shared records on the server: reception days, appointments, dossier notes, suggestions.

The authority for them, as ``server/queue.py`` is for the queue (the same push channel,
``server/push.py``):

* ``GET /records/events?since=N`` (or ``Last-Event-ID``): server-sent ``records`` events, each
  the rows written after the previous one's id (``RecordsFeed``); ``GET /records/snapshot``
  the same once.
* ``POST /records/…``: commands, each answered with its ``result`` and the changes after the
  ``since`` the device sent, so its mirror is current at once.

Who may do what, by the device's role: kiosks book and send suggestions, and receive the
schedule with its free places only (nobody's booking, no suggestion); displays receive the
reception days; staff devices (counter, leader, admin) everything their staff may do. A staff
device's command names its 经办人 in ``by`` (``staff:<账号>``): the server takes that account
through the checks a pushed event's author passes (:func:`server.validation.staff_at`: it exists,
is enabled, may work at that kind of device, is of the device's organisation and hall) and acts
as it, so the services' own permission guards hold here as on the device, and the name written
into the records (``received_by_name``, a note's author) is the account's. A command without
``by`` from a staff device is refused; a device names nobody else. The suggestions a device took
go with its link (``/records/suggestions/merge``), each naming who took it. On the central server
(field keys given) names, ID numbers and phones are kept sealed with the field cipher.
"""

# No ``from __future__ import annotations``: FastAPI reads the routes' annotations.
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Final

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from db.models import StaffAccountRow
from desktop.domain.errors import RuleViolation
from desktop.domain.roles import Actor
from desktop.services import hallrecords, kiosk_prints, leaderday, peripherals, reception, suggestions
from desktop.services.changes import Topic
from desktop.services.context import Hall
from server.personal import FieldKeys
from server.protocol import SyncProblem
from server.push import Notifier, event_stream
from server.store import Device
from server.validation import Pusher, Refused, staff_at, staff_login

STAFF_ROLES: Final = frozenset({"counter", "leader", "admin"})
NOT_HERE: Final = "此设备不能办理接访预约、接访日安排或人民建议的答复"
AUDIENCES: Final = {"kiosk": hallrecords.Audience.KIOSK, "display": hallrecords.Audience.DISPLAY}
FEED = TypeAdapter(hallrecords.RecordsFeed)

ID = r"^[A-Za-z0-9_-]+$"
TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"  # line breaks and tabs, never other control characters
LINE = r"^[^\x00-\x1f\x7f]*$"
ACTOR = r"^[a-z]+:[^\x00-\x1f\x7f]{1,90}$"

#: The fields of these requests in words (a refused request names them).
FIELD_WORDS: Final = {
    "since": "同步序号", "by": "经办人", "day_id": "接访日", "day": "日期",
    "first_month": "起始月份", "months": "月数", "leaders": "接访领导", "place": "地点", "topics": "接访主题",
    "units": "参加单位", "slots": "时段", "appointment_id": "预约", "name": "姓名", "id_number": "身份证号码",
    "phone": "联系电话", "persons_count": "人数", "summary": "诉求", "slot": "时段", "source": "预约来源",
    "case_number": "事项编号", "text": "批注", "decision": "批示", "taken_on": "包案", "code": "主题编号",
    "title": "主题", "description": "主题说明", "opens_on": "开始日期", "closes_on": "截止日期",
    "suggestions": "建议", "suggestion_id": "建议编号", "number": "建议编号", "content": "建议内容",
    "answer": "答复", "adoption": "采纳情况", "award": "奖励", "submitted_at": "提交时间", "theme_code": "主题",
    "theme_title": "主题", "anonymous": "匿名", "device_id": "设备编号", "submitted_by": "提交人",
    "prints": "未打印的回执", "print_id": "回执编号", "kind": "文书种类", "document_number": "文号",
    "failed_at": "时间", "error": "原因", "data": "回执内容", "peripherals": "外设状态", "peripheral": "外设",
    "problem": "故障",
}


class Command(BaseModel):
    since: int | None = Field(default=None, ge=0, le=2**62)  # the caller's mirror cursor: the answer says what changed
    by: str = Field(default="", max_length=96, pattern=rf"^$|{ACTOR}")  # a staff device's 经办人: staff:<账号>


Names = Annotated[list[Annotated[str, Field(min_length=1, max_length=32, pattern=LINE)]], Field(max_length=5)]
Units = Annotated[list[Annotated[str, Field(min_length=1, max_length=64, pattern=ID)]], Field(max_length=50)]


class GenerateDays(Command):
    first_month: date
    months: int = Field(ge=1, le=24)
    leaders: Names = Field(default_factory=list)
    place: str = Field(default="", max_length=100, pattern=LINE)
    topics: str = Field(default="", max_length=500, pattern=TEXT)
    units: Units = Field(default_factory=list)
    slots: str = Field(default="", max_length=500, pattern=LINE)


class AddDay(Command):
    day: date
    leaders: Names
    place: str = Field(default="", max_length=100, pattern=LINE)
    topics: str = Field(default="", max_length=500, pattern=TEXT)
    units: Units = Field(default_factory=list)
    slots: str = Field(default="", max_length=500, pattern=LINE)


class DayCommand(Command):
    day_id: str = Field(min_length=1, max_length=36, pattern=ID)


class UpdateDay(Command):
    day_id: str = Field(min_length=1, max_length=36, pattern=ID)
    leaders: Names
    place: str = Field(default="", max_length=100, pattern=LINE)
    topics: str = Field(default="", max_length=500, pattern=TEXT)
    units: Units = Field(default_factory=list)


class Book(Command):
    day_id: str = Field(min_length=1, max_length=36, pattern=ID)
    name: str = Field(min_length=1, max_length=50, pattern=LINE)
    id_number: str = Field(min_length=15, max_length=18, pattern=r"^[0-9]{14,17}[0-9Xx]$")
    phone: str = Field(default="", max_length=20, pattern=r"^[0-9+ -]*$")
    persons_count: int = Field(default=1, ge=1, le=5)
    summary: str = Field(default="", max_length=500, pattern=TEXT)
    slot: int | None = Field(default=None, ge=0, le=50)
    source: str = Field(default="窗口", max_length=8, pattern=LINE)
    case_number: str = Field(default="", max_length=40, pattern=r"^[A-Za-z0-9_-]*$")
    walk_in: bool = False  # a walk-in joins today's reception day (staff devices; ``day_id`` is not used)
    case_chosen: bool = False  # ``case_number`` a clerk chose (kept), not the one the rule found (staff devices)


class AppointmentCommand(Command):
    appointment_id: str = Field(min_length=1, max_length=36, pattern=ID)


class LinkCase(AppointmentCommand):
    case_number: str = Field(max_length=40, pattern=r"^[A-Za-z0-9_-]*$")  # "": the clerk's 不关联
    case_chosen: bool = False  # a clerk's choice (kept), or the matter registered on the day (replaceable)


class Note(AppointmentCommand):
    text: str = Field(min_length=1, max_length=1000, pattern=TEXT)


class Received(AppointmentCommand):
    decision: str = Field(min_length=1, max_length=2000, pattern=TEXT)
    taken_on: bool = False


class PublishTheme(Command):
    code: str = Field(min_length=1, max_length=36, pattern=ID)
    title: str = Field(min_length=1, max_length=100, pattern=LINE)
    description: str = Field(default="", max_length=2000, pattern=TEXT)
    opens_on: date | None = None
    closes_on: date | None = None


class SuggestionIn(BaseModel):
    """A suggestion a device took (offline, or just now): idempotent by ``suggestion_id``."""

    model_config = ConfigDict(extra="ignore")

    suggestion_id: str = Field(min_length=1, max_length=36, pattern=ID)
    number: str = Field(min_length=1, max_length=40, pattern=r"^JY-[0-9]{8}-[A-Za-z0-9_-]{1,16}-[0-9]{4,6}$")
    theme_code: str = Field(default="", max_length=36, pattern=r"^[A-Za-z0-9_-]*$")
    theme_title: str = Field(min_length=1, max_length=100, pattern=LINE)
    content: str = Field(min_length=1, max_length=suggestions.MAX_CONTENT, pattern=TEXT)
    anonymous: bool
    name: str = Field(default="", max_length=50, pattern=LINE)
    phone: str = Field(default="", max_length=20, pattern=r"^[0-9+ -]*$")
    submitted_at: str = Field(min_length=10, max_length=32, pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:.+-]*$")
    submitted_by: str = Field(max_length=96, pattern=LINE)
    device_id: str = Field(max_length=32, pattern=r"^[A-Za-z0-9_-]*$")


class MergeSuggestions(Command):
    suggestions: list[SuggestionIn] = Field(max_length=500)


class KioskPrintIn(BaseModel):
    """A receipt a kiosk could not print (idempotent by ``print_id``); the kiosk is the token's."""

    model_config = ConfigDict(extra="ignore")

    print_id: str = Field(min_length=1, max_length=36, pattern=ID)
    kind: str = Field(min_length=1, max_length=32, pattern=LINE)
    title: str = Field(default="", max_length=100, pattern=LINE)
    document_number: str = Field(default="", max_length=64, pattern=LINE)
    case_number: str = Field(default="", max_length=40, pattern=r"^[A-Za-z0-9_-]*$")
    failed_at: str = Field(min_length=10, max_length=32, pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:.+-]*$")
    error: str = Field(default="", max_length=500, pattern=TEXT)
    data: str = Field(min_length=2, max_length=20000, pattern=TEXT)


class MergeKioskPrints(Command):
    prints: list[KioskPrintIn] = Field(max_length=500)


class TakeKioskPrint(Command):
    print_id: str = Field(min_length=1, max_length=36, pattern=ID)


class PeripheralIn(BaseModel):
    peripheral: str = Field(min_length=1, max_length=16, pattern=r"^[a-z]+$")
    problem: str = Field(min_length=1, max_length=200, pattern=LINE)
    since: str = Field(min_length=10, max_length=32, pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:.+-]*$")


class PeripheralReport(Command):
    peripherals: list[PeripheralIn] = Field(max_length=10)


class Answer(Command):
    number: str = Field(min_length=1, max_length=40, pattern=ID)
    answer: str = Field(min_length=1, max_length=suggestions.MAX_CONTENT, pattern=TEXT)
    adoption: str = Field(default="", max_length=8, pattern=LINE)


class Award(Command):
    number: str = Field(min_length=1, max_length=40, pattern=ID)
    award: str = Field(min_length=1, max_length=200, pattern=LINE)


class CipherSeal:
    """Personal fields sealed with the server's field cipher, bound to the record and the field."""

    def __init__(self, keys: FieldKeys) -> None:
        self.keys = keys

    def seal(self, table: str, field: str, record_id: str, value: str) -> str:
        return self.keys.cipher.encrypt(value, field=f"{table}.{field}", record_id=record_id)

    def open(self, table: str, field: str, record_id: str, value: str) -> str:
        return self.keys.cipher.decrypt(value, field=f"{table}.{field}", record_id=record_id)


def add_records_routes(app: FastAPI, hall: Hall, current_device: Callable[..., Device],
                       keys: FieldKeys | None = None) -> Notifier:
    """The records' routes on ``app``; returns the notifier (closed when the server stops)."""
    notifier = Notifier(hall, lambda changes: changes.reception or changes.print_jobs
                        or Topic.SUGGESTIONS in changes.topics)
    Who = Annotated[Device, Depends(current_device)]
    if keys is not None:
        hallrecords.attach_seal(hall, CipherSeal(keys))

    def audience(device: Device) -> hallrecords.Audience:
        return AUDIENCES.get(device.role, hallrecords.Audience.STAFF)

    def allowed(device: Device) -> None:
        if device.role not in STAFF_ROLES and device.role not in AUDIENCES:
            raise SyncProblem("refused", "此设备不接收接访日和人民建议")

    def feed_for(device: Device, since: int) -> hallrecords.RecordsFeed:
        allowed(device)
        return hallrecords.feed_since(hall, since, audience(device))

    def actor(device: Device, command: Command, *, kiosk: bool = False) -> Actor:
        if device.role in STAFF_ROLES:
            return staff(device, command.by)
        if kiosk and device.role == "kiosk":
            return Actor.kiosk(device.device_code or device.device_id)
        raise SyncProblem("refused", NOT_HERE)

    def staff(device: Device, by: str) -> Actor:
        """The 经办人 a staff device names, as the accounts here know them (a pushed event's author alike)."""
        login = staff_login(by)
        if login is None:
            raise SyncProblem("refused", f"经办人“{by}”无效：应为 staff:<账号>" if by else
                                         "未写明经办人：工作人员设备上的每项办理须写明由哪个账户办理（by）")
        at = Pusher(device.device_id, device.role, device.org_code, device.hall_code, device.device_code)
        try:
            with hall.sessions() as session:
                return staff_at(at, login, lambda name: session.get(StaffAccountRow, name))
        except Refused as refused:
            raise SyncProblem("refused", f"经办人{refused.message}") from None

    def answer(result: Any, device: Device, since: int | None) -> dict[str, Any]:
        feed = FEED.dump_python(feed_for(device, since), mode="json") if since is not None else None
        return {"result": result, "feed": feed}

    def run(step: Callable[[], Any]) -> Any:
        try:
            return step()
        except RuleViolation as refusal:  # validation errors too: their message names the field
            raise SyncProblem("refused", refusal.message) from None

    @app.get("/records/snapshot")
    def snapshot(who: Who, since: Annotated[int, Query(ge=0, le=2**62)] = 0) -> dict[str, Any]:
        """The records' changes after ``since`` (0: all of them) that this device may hold."""
        return FEED.dump_python(feed_for(who, since), mode="json")  # type: ignore[no-any-return]

    # Not in the OpenAPI description: a stream of server-sent events, not a JSON answer.
    @app.get("/records/events", include_in_schema=False)
    def events(request: Request, who: Who,
               since: Annotated[int, Query(ge=0, le=2**62)] = 0) -> StreamingResponse:
        """Server-sent events: every change of the records this device may hold, resumable from the last id."""
        allowed(who)  # refused before the stream starts
        return event_stream(request, notifier, since, "records", lambda cursor: feed_for(who, cursor),
                            lambda feed: not feed.empty, FEED.dump_json)

    @app.post("/records/book")
    def book(body: Book, who: Who) -> dict[str, Any]:
        """预约领导接访 (kiosks and staff): the authority places it in a slot or on the waiting list."""
        by = actor(who, body, kiosk=True)
        source = "自助终端" if who.role == "kiosk" else body.source
        visitor = reception.Visitor(body.name, body.id_number, body.phone, body.persons_count, body.summary)
        case_number = (body.case_number or None) if who.role in STAFF_ROLES else None
        chosen = body.case_chosen and case_number is not None
        if body.walk_in:
            if who.role not in STAFF_ROLES:
                raise SyncProblem("refused", "加入今日接访须在窗口办理")
            booking = run(lambda: reception.book_today(hall, by, visitor, case_number=case_number,
                                                       chosen=chosen))
        else:
            booking = run(lambda: reception.book(hall, by, body.day_id, visitor, slot=body.slot, source=source,
                                                 case_number=case_number, chosen=chosen))
        return answer(reception.BOOKING.dump_python(booking, mode="json"), who, body.since)

    @app.post("/records/cancel")
    def cancel(body: AppointmentCommand, who: Who) -> dict[str, Any]:
        """取消预约: the first on the waiting list takes the freed slot (its id is the result)."""
        promoted = run(lambda: reception.cancel(hall, actor(who, body), body.appointment_id))
        return answer(promoted.appointment_id if promoted is not None else None, who, body.since)

    @app.post("/records/days/generate")
    def generate(body: GenerateDays, who: Who) -> dict[str, Any]:
        """生成领导接访日 by the schedule rule (a date already scheduled is kept)."""
        days = run(lambda: reception.generate_schedule(hall, actor(who, body), body.first_month, body.months,
                                                       leaders=body.leaders, place=body.place, topics=body.topics,
                                                       units=body.units, slots=body.slots))
        return answer([d.day_id for d in days], who, body.since)

    @app.post("/records/days/add")
    def add_day(body: AddDay, who: Who) -> dict[str, Any]:
        """添加领导接访日 outside the rule (the new day's id is the result)."""
        day = run(lambda: reception.add_day(hall, actor(who, body), body.day, leaders=body.leaders, place=body.place,
                                            topics=body.topics, units=body.units, slots=body.slots))
        return answer(day.day_id, who, body.since)

    @app.post("/records/days/update")
    def update_day(body: UpdateDay, who: Who) -> dict[str, Any]:
        """修改领导接访日: leaders, place, topics, units."""
        day = run(lambda: reception.update_day(hall, actor(who, body), body.day_id, leaders=body.leaders,
                                               place=body.place, topics=body.topics, units=body.units))
        return answer(day.day_id, who, body.since)

    @app.post("/records/days/remove")
    def remove_day(body: DayCommand, who: Who) -> dict[str, Any]:
        """删除领导接访日 nobody is booked on (refused in words, with how many are, otherwise)."""
        day = run(lambda: reception.remove_day(hall, actor(who, body), body.day_id))
        return answer(day.day_id, who, body.since)

    @app.post("/records/link-case")
    def link_case(body: LinkCase, who: Who) -> dict[str, Any]:
        """关联接访事项 (a staff device checked the case exists)."""
        run(lambda: reception.set_case_number(hall, actor(who, body), body.appointment_id, body.case_number,
                                              chosen=body.case_chosen))
        return answer(None, who, body.since)

    @app.post("/records/notes")
    def note(body: Note, who: Who) -> dict[str, Any]:
        """批注接访预案."""
        run(lambda: leaderday.annotate(hall, actor(who, body), body.appointment_id, body.text))
        return answer(None, who, body.since)

    @app.post("/records/received")
    def received(body: Received, who: Who) -> dict[str, Any]:
        """The visitor received, with the leader's decision (the case's events go by the sync feed)."""
        run(lambda: leaderday.mark_received(hall, actor(who, body), body.appointment_id, body.decision,
                                            body.taken_on))
        return answer(None, who, body.since)

    @app.post("/records/themes")
    def theme(body: PublishTheme, who: Who) -> dict[str, Any]:
        """发布建议征集主题."""
        run(lambda: suggestions.publish_theme(hall, actor(who, body), title=body.title, description=body.description,
                                              closes_on=body.closes_on, opens_on=body.opens_on, code=body.code))
        return answer(body.code, who, body.since)

    @app.post("/records/suggestions/merge")
    def merge(body: MergeSuggestions, who: Who) -> dict[str, Any]:
        """Suggestions a kiosk or counter took (idempotent by id): the count newly kept is the result.

        Sent by the device's link with no 经办人: each suggestion names who took it, and that is
        checked as a command's 经办人 is — the kiosk itself on a kiosk, on a staff device an account
        that may act there. A device merges only the suggestions it took.
        """
        if who.role not in STAFF_ROLES and who.role != "kiosk":
            raise SyncProblem("refused", NOT_HERE)
        kiosk_id = Actor.kiosk(who.device_code or who.device_id).actor_id if who.role == "kiosk" else ""
        for s in body.suggestions:
            if s.device_id != who.device_id:
                raise SyncProblem("refused", f"建议 {s.number} 的设备编号与本设备的令牌不符")
            if kiosk_id and s.submitted_by != kiosk_id:
                raise SyncProblem("refused", f"建议 {s.number} 的经办人“{s.submitted_by}”不是本自助终端")
            if not kiosk_id:
                try:
                    staff(who, s.submitted_by)
                except SyncProblem as refused:
                    raise SyncProblem("refused", f"建议 {s.number}：{refused.message}") from None
            try:
                suggestions.check_content(s.content)
            except RuleViolation as refusal:
                raise SyncProblem("refused", f"建议 {s.number}：{refusal.message}") from None
        unanswered = {"answer": "", "answered_on": None, "answered_by": "", "adoption": "", "adopted_on": None,
                      "award": "", "awarded_on": None}  # answers are the staff's, recorded at the authority
        added = run(lambda: hallrecords.merge_suggestions(hall, [s.model_dump() | unanswered
                                                                 for s in body.suggestions]))
        return answer(added, who, body.since)

    @app.post("/records/prints/merge")
    def merge_prints(body: MergeKioskPrints, who: Who) -> dict[str, Any]:
        """Receipts a kiosk could not print, for the hall's counters (idempotent by id): the count newly kept."""
        if who.role != "kiosk":
            raise SyncProblem("refused", "只有自助终端报送未打印的回执")
        from server.enrolment import device_places

        kiosk = kiosk_prints.kiosk_words(who.device_code or who.device_id, device_places(hall).get(who.device_id, ""))
        added = run(lambda: kiosk_prints.merge(hall, kiosk, [p.model_dump() for p in body.prints]))
        return answer(added, who, body.since)

    @app.post("/records/prints/take")
    def take_print(body: TakeKioskPrint, who: Who) -> dict[str, Any]:
        """A counter prints a kiosk's receipt: the first clerk takes it, a second is told who did and when."""
        if who.role not in STAFF_ROLES:
            raise SyncProblem("refused", NOT_HERE)
        from server.audit_copy import device_words
        from server.enrolment import device_places

        clerk = staff(who, body.by)
        where = device_words(who.role, who.device_code, device_places(hall).get(who.device_id, ""))
        taken = run(lambda: kiosk_prints.mark_taken(hall, clerk, body.print_id, where))
        return answer(taken.print_id, who, body.since)

    @app.post("/devices/peripherals")
    def report_peripherals(body: PeripheralReport, who: Who) -> dict[str, Any]:
        """The device's peripherals that do not work (none named: all work), for the administrator's 设备管理."""
        allowed(who)
        run(lambda: peripherals.store_report(hall, who.device_id, [p.model_dump() for p in body.peripherals]))
        return answer(None, who, body.since)

    @app.post("/records/suggestions/answer")
    def answer_suggestion(body: Answer, who: Who) -> dict[str, Any]:
        """答复人民建议 and record whether it was adopted."""
        run(lambda: suggestions.answer_suggestion(hall, actor(who, body), body.number, answer=body.answer,
                                                  adoption=body.adoption))
        return answer(None, who, body.since)

    @app.post("/records/suggestions/award")
    def award(body: Award, who: Who) -> dict[str, Any]:
        """奖励人民建议."""
        run(lambda: suggestions.award_suggestion(hall, actor(who, body), body.number, award=body.award))
        return answer(None, who, body.since)

    return notifier
