"""What the server checks in every pushed event before it stores anything (the server is the authority).

Two stages, both before a push's transaction writes a row:

* :func:`check_shape` — the event alone: ids, author and clock text, and the payload
  schema of its type and version (every field known to that type, of its kind, within
  its limits, with no control characters; names without invisible format characters
  such as U+202E; person data through the same validators as the counter's form).
* :class:`Authority` — the event against the token and the server's data: ``device_id``
  is the token's device; the author is an existing, enabled account allowed at that kind
  of device (its organisation and hall the device's: :func:`staff_at`, which the 经办人 of
  a command on the hall's records passes too), or the kiosk itself; the author's
  role holds the permission the event needs on that case (recusal and art. 30 included);
  a reclassification of a case that has been an accusation needs the supervisor permission
  (``督办与统计``); a device never records on a case sealed against its organisation.

The case's state order is *not* enforced here: decisions made offline on two devices can
arrive out of order, and the fold keeps them and flags the case (as on every replica).
The access decisions use the case as sealed (:mod:`server.seals`), never a later event's
narrower view, so out-of-order or reclassifying events cannot widen who may see a case.

Every refusal is a :class:`~server.protocol.SyncProblem` (HTTP 400) whose Chinese message
names the event and the field.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import StaffAccountRow
from desktop.domain.access import check_may_reclassify, check_may_record, may_disclose_to, require
from desktop.domain.case import EARLIEST_YEAR, LATEST_YEAR, OUTCOMES, CaseView, DeadlinePolicy, project
from desktop.domain.classification import Channel, LegalRoute, Nature, Purpose
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.events import Event, EventType
from desktop.domain.files import is_sha256
from desktop.domain.groups import check_group
from desktop.domain.identity import DocumentType, validate_document, validate_phone
from desktop.domain.numbering import validate_case_number
from desktop.domain.repeats import VisitKind
from desktop.domain.roles import Actor, Permission, WindowRole, may_use_window
from desktop.domain.routing import OrganisationDirectory
from desktop.domain.texts import MAX_PETITION_TEXT
from desktop.services.accounts import actor_for
from desktop.services.attachments import MAX_ATTACHMENTS
from desktop.services.attachments import MAX_BYTES as MAX_ATTACHMENT_BYTES
from server.protocol import SyncProblem

MAX_TEXT: Final = 5000
MAX_LINE: Final = 200
MAX_CODE: Final = 40
MAX_ITEMS: Final = 50
MAX_NAME: Final = 50
_UUID_RE: Final = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
DEVICE_ID_RE: Final = re.compile(r"[A-Za-z0-9_]{1,32}")
_AUTHOR_RE: Final = re.compile(r"(staff|kiosk):([A-Za-z0-9_.-]{1,58})")
_HASH_RE: Final = re.compile(r"v1\$[0-9a-f]{2,64}\$[0-9a-f]{64}")
_REGION_RE: Final = re.compile(r"[0-9]{6}([0-9]{3}){0,2}")
_CONTROLS: Final = frozenset(chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))) - set("\t\n\r")


class Refused(Exception):
    """One field of one event is wrong: ``where`` names it, ``message`` says how."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


def refusal(index: int, event_id: str, problem: Refused) -> SyncProblem:
    shown = event_id if event_id.isprintable() and len(event_id) <= 36 else "…"
    return SyncProblem("refused", f"第 {index + 1} 条事件（{shown}）的字段 {problem.where}：{problem.message}。"
                                  "本批记录未保存")


# -- characters --------------------------------------------------------------------------------

def bad_character(text: str, *, name: bool = False, one_line: bool = False) -> str | None:
    """The first character not allowed in a stored text, as ``U+XXXX`` (the counter's form refuses the same).

    Never: NUL and other control characters (tab and line breaks only in texts), lone
    surrogates. In names and codes also no invisible format characters (direction
    overrides, zero-width spaces), except the zero-width joiner emoji sequences need.
    """
    for c in text:
        category = unicodedata.category(c)
        if (c in _CONTROLS or category == "Cs" or (one_line and c in "\t\n\r")
                or (name and category == "Cf" and c != "\u200d")):
            return f"U+{ord(c):04X}"
    return None


def _string(value: Any, where: str, limit: int, *, name: bool = False, one_line: bool = False) -> str:
    if not isinstance(value, str):
        raise Refused(where, f"应为文字，而不是{_kind_of(value)}")
    if len(value) > limit:
        raise Refused(where, f"过长（不超过 {limit} 字，现为 {len(value)} 字）")
    bad = bad_character(value, name=name, one_line=one_line)
    if bad is not None:
        raise Refused(where, f"含有不允许的不可见字符（{bad}）")
    return value


def _kind_of(value: Any) -> str:
    return {bool: "真假值", int: "整数", float: "小数", str: "文字", list: "列表", dict: "对象",
            type(None): "空值"}.get(type(value), type(value).__name__)


# -- payload field kinds -----------------------------------------------------------------------

Check = Callable[[Any, str], None]


def text(limit: int = MAX_TEXT) -> Check:
    def check(value: Any, where: str) -> None:
        _string(value, where, limit)
    return check


def line(limit: int = MAX_LINE) -> Check:
    def check(value: Any, where: str) -> None:
        _string(value, where, limit, one_line=True)
    return check


def code(limit: int = 32) -> Check:
    """A code or short label on one line, without invisible characters (the database column's width)."""
    def check(value: Any, where: str) -> None:
        _string(value, where, limit, name=True, one_line=True)
    return check


def codes(limit: int = 32) -> Check:
    item_check = code(limit)

    def check(value: Any, where: str) -> None:
        if not isinstance(value, list):
            raise Refused(where, f"应为列表，而不是{_kind_of(value)}")
        if len(value) > MAX_ITEMS:
            raise Refused(where, f"项目过多（不超过 {MAX_ITEMS} 项）")
        for n, item in enumerate(value):
            item_check(item, f"{where}[{n}]")
    return check


def case_number(value: Any, where: str) -> None:
    _string(value, where, 40, name=True, one_line=True)
    try:
        canonical = validate_case_number(value)
    except ValidationError as exc:
        raise Refused(where, exc.message) from None
    if canonical != value:
        raise Refused(where, f"未按规范书写（应为 {canonical}）")


def required_text(value: Any, where: str, limit: int = MAX_TEXT) -> None:
    if not _string(value, where, limit).strip():
        raise Refused(where, "不能为空")


def petition_text(*, required: bool = False) -> Check:
    """诉求, 事实 or 理由: as long as the registration service lets them be (the domain's one rule)."""
    def check(value: Any, where: str) -> None:
        if required:
            required_text(value, where, MAX_PETITION_TEXT)
        else:
            _string(value, where, MAX_PETITION_TEXT)
    return check


def day(value: Any, where: str) -> None:
    _string(value, where, 10, one_line=True)
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise Refused(where, "不是有效的日期（应为 年-月-日，如 2026-11-24）") from None
    if len(value) != 10 or not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        raise Refused(where, f"不在合理范围内（应为 {EARLIEST_YEAR}–{LATEST_YEAR} 年的 年-月-日）")


def moment(value: Any, where: str) -> None:
    _string(value, where, 32, one_line=True)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise Refused(where, "不是有效的时间（应为 年-月-日T时:分:秒）") from None
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        raise Refused(where, f"不在合理范围内（{EARLIEST_YEAR}–{LATEST_YEAR} 年）")


def integer(low: int, high: int) -> Check:
    def check(value: Any, where: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Refused(where, f"应为整数，而不是{_kind_of(value)}")
        if not low <= value <= high:
            raise Refused(where, f"应在 {low} 到 {high} 之间")
    return check


def boolean(value: Any, where: str) -> None:
    if not isinstance(value, bool):
        raise Refused(where, f"应为真假值（true/false），而不是{_kind_of(value)}")


def choice(values: Sequence[str], *, blank: bool = False) -> Check:
    allowed = tuple(values)

    def check(value: Any, where: str) -> None:
        _string(value, where, MAX_CODE, name=True, one_line=True)
        if value not in allowed and not (blank and value == ""):
            raise Refused(where, f"只能是 {'、'.join(allowed)}{'（或留空）' if blank else ''} 之一")
    return check


def region(value: Any, where: str) -> None:
    _string(value, where, 12, one_line=True)
    if not _REGION_RE.fullmatch(value):
        raise Refused(where, "须为6、9或12位行政区划代码")


def query_hash(value: Any, where: str) -> None:
    _string(value, where, MAX_LINE, one_line=True)
    if len(value) > 120 or not _HASH_RE.fullmatch(value):
        raise Refused(where, "不是有效的查询码散列（v1$盐$摘要）")


_PERSON_FIELDS: Final = frozenset({"name", "document_type", "id_number", "phone"})


def person(value: Any, where: str) -> None:
    """One person of a registration, through the validators of the counter's form."""
    if not isinstance(value, dict):
        raise Refused(where, f"应为对象（姓名、证件类型、证件号码、电话），而不是{_kind_of(value)}")
    unknown = sorted(str(k) for k in value if k not in _PERSON_FIELDS)
    if unknown:
        raise Refused(f"{where}.{unknown[0][:32]}", "不是人员信息的已知字段")
    name = _string(value.get("name"), f"{where}.name", MAX_NAME, name=True, one_line=True)
    if not any(unicodedata.category(c)[0] in "LNS" for c in name):
        raise Refused(f"{where}.name", "姓名不能为空")
    doc_type = _string(value.get("document_type", ""), f"{where}.document_type", MAX_CODE, name=True)
    number = _string(value.get("id_number", ""), f"{where}.id_number", MAX_CODE, name=True, one_line=True)
    phone = _string(value.get("phone", ""), f"{where}.phone", 24, name=True, one_line=True)
    if doc_type and doc_type not in {d.value for d in DocumentType}:
        raise Refused(f"{where}.document_type", f"不支持的证件类型“{doc_type}”")
    try:
        if number and validate_document(doc_type or DocumentType.NONE.value, number) != number:
            raise Refused(f"{where}.id_number", "证件号码未按规范书写（应去掉空格、使用半角大写）")
        if phone and validate_phone(phone) != phone:
            raise Refused(f"{where}.phone", "联系电话未按规范书写")
    except ValidationError as exc:
        raise Refused(f"{where}.{'phone' if exc.field == 'phone' else 'id_number'}", exc.message) from None


def optional_person(value: Any, where: str) -> None:
    if value is not None:
        person(value, where)


def persons(value: Any, where: str) -> None:
    if not isinstance(value, list):
        raise Refused(where, f"应为人员的列表，而不是{_kind_of(value)}")
    if len(value) > MAX_ITEMS:
        raise Refused(where, f"人数过多（不超过 {MAX_ITEMS} 人）")
    for n, item in enumerate(value):
        person(item, f"{where}[{n}]")


_MATERIAL_FIELDS: Final = frozenset({"sha256", "name", "size", "mime"})


def _sha256(value: Any, where: str) -> None:
    _string(value, where, 64, one_line=True)
    if not is_sha256(value):
        raise Refused(where, "不是有效的 SHA-256 校验值（64位小写十六进制）")


def material(value: Any, where: str) -> None:
    """One file a case names: its SHA-256, name, size and kind (the file itself comes up on its own)."""
    if not isinstance(value, dict):
        raise Refused(where, f"应为对象（校验值、文件名、大小、类型），而不是{_kind_of(value)}")
    unknown = sorted(str(k) for k in value if k not in _MATERIAL_FIELDS)
    if unknown:
        raise Refused(f"{where}.{unknown[0][:32]}", "不是材料的已知字段")
    _sha256(value.get("sha256"), f"{where}.sha256")
    _string(value.get("name", ""), f"{where}.name", 100, one_line=True)
    integer(0, MAX_ATTACHMENT_BYTES)(value.get("size", 0), f"{where}.size")
    _string(value.get("mime", ""), f"{where}.mime", 64, name=True, one_line=True)


def materials(value: Any, where: str) -> None:
    """The files an event names: references (a registration's), or bare SHA-256 values."""
    if not isinstance(value, list):
        raise Refused(where, f"应为材料的列表，而不是{_kind_of(value)}")
    if len(value) > MAX_ATTACHMENTS:
        raise Refused(where, f"材料过多（不超过 {MAX_ATTACHMENTS} 份）")
    for n, item in enumerate(value):
        (_sha256 if isinstance(item, str) else material)(item, f"{where}[{n}]")


# -- the schema of each type (payload version 1) -----------------------------------------------

@dataclass(frozen=True)
class PayloadSchema:
    fields: Mapping[str, Check]
    required: frozenset[str] = frozenset()


def _schema(required: Sequence[str] = (), /, **fields: Check) -> PayloadSchema:
    return PayloadSchema({**fields, "note": text()}, frozenset(required))


_ORG = code(32)
_ROUTE = {"route_kind": line(16), "organisation_code": _ORG, "due": day, "routed_on": day, "assigned_on": day,
          "leader": line(64), "reason": text(), "text": text()}
_ANSWER = {"outcome": choice(OUTCOMES), "answered_on": day, "text": text()}
_REQUEST = {"requested_on": day, "reason": text(), "text": text()}

#: Every field each type of event may carry, with its kind; fields outside these are refused.
#: Widths follow the columns the case projection stores them in.
SCHEMAS: Final[Mapping[EventType, PayloadSchema]] = {
    EventType.REGISTERED: _schema(
        ("case_number", "received_on", "petitioner", "request"),
        case_number=case_number, channel=choice([c.value for c in Channel]), received_on=day, received_at=moment,
        hall=line(64), window=line(16), queue_number=line(16), petitioner=person, representatives=persons,
        agent=optional_person, address=line(200), persons_count=integer(1, 10000), region_code=region,
        topic_code=code(16), purpose=choice([p.value for p in Purpose], blank=True),
        nature=choice([n.value for n in Nature], blank=True), request=petition_text(required=True),
        facts=petition_text(), reasons=petition_text(), public_ok=boolean,
        visit_kind=choice([v.value for v in VisitKind]), repeat_of=codes(36),
        skipped_level=boolean, query_code_hash=query_hash, flags=codes(64), attachments=materials),
    EventType.MATERIAL_ADDED: _schema(material=text(), text=text(), attachments=materials),
    EventType.CLASSIFIED: _schema(("nature",), nature=choice([n.value for n in Nature]), topic_code=code(16),
                                  legal_route=choice([r.value for r in LegalRoute], blank=True),
                                  region_code=region, accused_org_codes=codes(32)),
    EventType.NOTIFIED: _schema(text=text(), method=line(), notified_on=day),
    EventType.TRANSFERRED: _schema(**_ROUTE),
    EventType.ASSIGNED: _schema(("due",), **_ROUTE),
    EventType.GUIDED: _schema(**_ROUTE),
    EventType.OBJECTED: _schema(reason=text(), organisation_code=_ORG, objected_on=day),
    EventType.ACCEPTED: _schema(("accepted_on",), accepted_on=day, organisation_code=_ORG),
    EventType.NOT_ACCEPTED: _schema(reason=text(), text=text(), decided_on=day),
    EventType.EXTENDED: _schema(("days", "reason", "approved_by"), days=integer(1, 30), reason=text(),
                                approved_by=line(), extended_on=day),
    EventType.ANSWERED: _schema(("outcome", "answered_on"), **_ANSWER),
    EventType.DELIVERED: _schema(("delivered_on",), delivered_on=day, method=line()),
    EventType.RATED: _schema(("rating",), rating=line(8), target=line(), comment=text()),
    EventType.FOLLOWED_UP: _schema(text=text(), result=line(), followed_on=day),
    EventType.REVIEW_REQUESTED: _schema(("requested_on",), **_REQUEST),
    EventType.REVIEW_ANSWERED: _schema(("outcome", "answered_on"), **_ANSWER),
    EventType.REREVIEW_REQUESTED: _schema(("requested_on",), **_REQUEST),
    EventType.REREVIEW_ANSWERED: _schema(("outcome", "answered_on"), **_ANSWER),
    EventType.SETTLED: _schema(kind=choice(("调解", "和解")), text=text(), settled_on=day),
    EventType.LEADER_TAKEN: _schema(leader=line(64), unit=line(100), due=day, unit_codes=codes(32),
                                    reception_on=day),
    EventType.INSTRUCTED: _schema(text=text(), leader=line(64), decision=text(), reception_on=day),
    EventType.URGED: _schema(("text",), text=required_text, urged_on=day, leader=line(64)),
    EventType.RECUSED: _schema(("staff_id", "reason"), staff_id=line(96), reason=required_text),
    EventType.QUERY_CODE_RESET: _schema(("query_code_hash",), query_code_hash=query_hash),
}


def check_payload(event_type: EventType, payload: Mapping[str, Any]) -> None:
    """The payload against its type's schema; raises :class:`Refused` naming the field."""
    schema = SCHEMAS[event_type]
    for key in payload:
        if not isinstance(key, str) or key not in schema.fields:
            shown = str(key)[:32] if bad_character(str(key), name=True) is None else "?"
            raise Refused(f"payload.{shown}", f"不是“{event_type.value}”事件的已知字段")
    for key in sorted(schema.required):
        if key not in payload or payload[key] is None:
            raise Refused(f"payload.{key}", "缺失（该类型事件必须填写）")
    for key, value in payload.items():
        schema.fields[key](value, f"payload.{key}")
    if event_type is EventType.REGISTERED:
        reps = payload.get("representatives", [])
        try:
            check_group(payload.get("persons_count", 1), [(r.get("name", ""), r.get("id_number", ""))
                                                          for r in reps])
        except ValidationError as exc:
            raise Refused(f"payload.{exc.field or 'representatives'}", exc.message) from None


def check_shape(event: Event) -> None:
    """Everything about one event that needs nothing but the event; raises :class:`Refused`."""
    for where, value in (("event_id", event.event_id), ("case_id", event.case_id)):
        if not _UUID_RE.fullmatch(value):
            raise Refused(where, "应为小写的 UUID（如 0f8fad5b-d9cb-469f-a165-70867728950e）")
        uuid.UUID(value)
    if not DEVICE_ID_RE.fullmatch(event.device_id):
        raise Refused("device_id", "应为 1–32 位字母、数字或下划线")
    if not _AUTHOR_RE.fullmatch(event.author):
        raise Refused("author", "应为 staff:<账号> 或 kiosk:<终端编码>")
    if bad_character(event.hlc, name=True, one_line=True) is not None:
        raise Refused("hlc", "含有不允许的不可见字符")
    check_payload(event.type, event.payload)


# -- the event against the token and the server's data ------------------------------------------

#: The kind of window each device role is: which accounts may act there.
DEVICE_WINDOWS: Final = {"counter": WindowRole.COUNTER, "leader": WindowRole.LEADER}
#: Roles that pass on the events of other devices (a hall server pushing upstream).
RELAY_ROLES: Final = frozenset({"hall"})


@dataclass(frozen=True)
class Pusher:
    """The device a token proves, as far as the checks need it."""

    device_id: str
    role: str
    org_code: str = ""
    hall_code: str = ""
    device_code: str = ""


def staff_login(author: str) -> str | None:
    """The account an author such as ``staff:wangli`` names (``None``: not a staff account's id)."""
    found = _AUTHOR_RE.fullmatch(author)
    return found[2] if found is not None and found[1] == "staff" else None


def staff_at(device: Pusher, login: str, account: Callable[[str], StaffAccountRow | None], *,
             relay: bool = False) -> Actor:
    """The account ``login`` acting at ``device``, as the services know it; else :class:`Refused` (``author``).

    The account (``account`` looks it up) exists and is enabled, its role may work at that kind of
    device, its organisation is the device's and its hall, if it has one, the device's (a relaying hall
    server passes on its devices' events: it has no organisation or hall of its own to compare).
    Whatever a staff device writes on the server comes through here: its pushed events
    (:class:`Authority`) and its commands on the hall's shared records (:mod:`server.records`).
    """
    row = account(login)
    if row is None or row.disabled:
        raise Refused("author", f"账户“{login}”不存在或已停用")
    window = DEVICE_WINDOWS.get(device.role)
    if window is not None and not may_use_window(window, row.role):
        raise Refused("author", f"账户“{login}”的角色不能在{window.heading}设备上工作")
    if not relay and row.org_code != device.org_code:
        raise Refused("author", f"账户“{login}”所属单位与本设备登记的单位不同，不能在本设备上记录")
    if not relay and row.hall_code and device.hall_code and row.hall_code != device.hall_code:
        raise Refused("author", f"账户“{login}”限于在 {row.hall_code} 使用，不能在本设备所在的大厅记录")
    return actor_for(row)


class Authority:
    """The checks of one push against the token and the server's data, inside its transaction."""

    def __init__(self, session: Session, device: Pusher, policy: DeadlinePolicy,
                 directory: OrganisationDirectory, sealed: Callable[[str], frozenset[str]],
                 history: Callable[[str], list[Event]]) -> None:
        self.session = session
        self.device = device
        self.policy = policy
        self.directory = directory
        self.sealed = sealed
        self.history = history
        self._accounts: dict[str, StaffAccountRow | None] = {}
        self._batch: dict[str, list[Event]] = {}
        self.reclassified: list[tuple[Event, Actor, CaseView]] = []

    def load_accounts(self, logins: set[str]) -> None:
        wanted = sorted(logins - set(self._accounts))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            found = {r.login: r for r in self.session.scalars(
                select(StaffAccountRow).where(StaffAccountRow.login.in_(chunk)))}
            for login in chunk:
                self._accounts[login] = found.get(login)

    def actor(self, event: Event) -> Actor:
        """Who the event says acted, checked against the token's device."""
        device = self.device
        relay = device.role in RELAY_ROLES
        if not relay and event.device_id != device.device_id:
            raise Refused("device_id", f"“{event.device_id}”不是推送它的设备（令牌属于设备 {device.device_id}），"
                                       "设备只能上传本机产生的记录")
        kind, _, who = event.author.partition(":")
        if kind == "kiosk":
            if not relay and (device.role != "kiosk" or who != device.device_code):
                raise Refused("author", f"“{event.author}”不是本设备：只有编码为 {who} 的自助终端能以它的名义记录")
            return Actor.kiosk(who)
        if device.role in ("kiosk", "display"):
            raise Refused("author", "自助终端和大厅显示屏上没有工作人员登录，不能以工作人员名义记录")
        self.load_accounts({who})
        return staff_at(device, who, self._accounts.get, relay=relay)

    def check(self, event: Event) -> None:
        """Raise :class:`Refused` unless the token's device and the author may record ``event``."""
        actor = self.actor(event)
        earlier = self._batch.setdefault(event.case_id, [])
        known = self.history(event.case_id) + earlier
        sealed = self.sealed(event.case_id) | {c for e in earlier if e.type is EventType.CLASSIFIED
                                               for c in e.payload.get("accused_org_codes", ())}
        if self.device.org_code and self._sealed_against(self.device.org_code, sealed):
            raise Refused("case_id", "该事项依法不得向本设备所属单位提供，不能对它作任何记录（条例第三十条）")
        try:
            if event.type is EventType.REGISTERED:
                if known:
                    raise Refused("case_id", "该事项已经登记，不能以同一编号再登记")
                if not (actor.may(Permission.REGISTER) or actor.may(Permission.SELF_SERVICE)):
                    require(actor, Permission.REGISTER, "登记来访")
            else:
                if not any(e.type is EventType.REGISTERED for e in known):
                    raise Refused("case_id", "服务器上没有这件事项的登记记录")
                view = project(event.case_id, known, self.policy)
                guarded = self._as_sealed(view, sealed)
                check_may_record(actor, guarded, event.type, self.directory)
                if check_may_reclassify(actor, view, event.type, known, sealed):
                    self.reclassified.append((event, actor, view))
        except RuleViolation as exc:
            raise Refused("author", exc.message) from None
        earlier.append(event)

    def _sealed_against(self, org_code: str, sealed: frozenset[str] | set[str]) -> bool:
        if not sealed:
            return False
        view = CaseView(case_id="", nature=Nature.ACCUSATION.value, accused_org_codes=tuple(sorted(sealed)))
        return not may_disclose_to(view, org_code, self.directory)

    @staticmethod
    def _as_sealed(view: CaseView, sealed: frozenset[str] | set[str]) -> CaseView:
        """The view for access decisions: an accusation against every organisation it was ever one against."""
        if not sealed:
            return view
        return replace(view, nature=Nature.ACCUSATION.value,
                       accused_org_codes=tuple(sorted(set(view.accused_org_codes) | set(sealed))))
