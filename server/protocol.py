"""The sync protocol's messages, shared by the server and the desktop client.

Only pydantic here (no database access, no web framework), so a desktop imports it
without pulling in the server. Limits are part of the protocol: a push carries at most
``MAX_PUSH_EVENTS`` events, a pull page at most ``MAX_PULL_LIMIT``; anything larger or
malformed is refused before anything is stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import IntegrityError

from desktop.domain.events import PAYLOAD_SCHEMA_VERSION, Event, EventType
from desktop.domain.hlc import Hlc

MAX_PUSH_EVENTS = 1000
MAX_PULL_LIMIT = 5000
DEFAULT_PULL_LIMIT = 1000
#: A request body larger than this is refused unread (1000 events of up to ~20 kB each).
MAX_BODY_BYTES = 24 * 1024 * 1024

ProblemKind = Literal["offline", "unauthorised", "refused", "incompatible", "server_error"]


class SyncProblem(Exception):
    """Why a sync step failed, in words for the operator (Chinese); ``kind`` says what to do.

    ``offline`` 网络未连接 — try again later; ``unauthorised`` 设备未注册 — enrol the device;
    ``refused`` 服务器拒绝 — the request was wrong; ``incompatible`` — the data is newer than
    this program (upgrade it); ``server_error`` — the server failed, try again later.
    """

    def __init__(self, kind: ProblemKind, message: str) -> None:
        super().__init__(message)
        self.kind: ProblemKind = kind
        self.message = message


@contextmanager
def conflicts_refused() -> Iterator[None]:
    """A unique key broken by incoming events (rolled back, nothing stored) as a refusal in plain words.

    Case numbers are unique without a network only while every device has its own
    ``device_code``; two devices sharing one can issue the same number twice. Any other
    broken key is named as what it is, not blamed on the device codes.
    """
    try:
        yield
    except IntegrityError as exc:
        words = str(exc.orig).lower()
        if "case_number" in words:
            raise SyncProblem("refused", "数据冲突，本批记录未保存：两件不同的事项使用了同一个事项编号，"
                                         "多半是两台电脑设置了相同的本机编码（device_code）。请管理员核对各设备的本机编码"
                              ) from None
        raise SyncProblem("refused", "数据冲突，本批记录未保存：其中的记录与已保存的数据重复（同一编号出现两次），"
                                     "请检查后重试") from None


class WireEvent(BaseModel):
    """One event as it travels. ``type`` stays text so that a newer kind can be refused by name."""

    model_config = ConfigDict(extra="forbid")

    event_id: str = Field(min_length=1, max_length=36)
    case_id: str = Field(min_length=1, max_length=36)
    device_id: str = Field(min_length=1, max_length=32)
    author: str = Field(max_length=64)
    hlc: str = Field(min_length=20, max_length=64)
    type: str = Field(min_length=1, max_length=16)
    payload: dict[str, Any]
    schema_version: int = Field(ge=1)

    @classmethod
    def of(cls, event: Event) -> WireEvent:
        return cls(event_id=event.event_id, case_id=event.case_id, device_id=event.device_id,
                   author=event.author, hlc=event.hlc, type=event.type.value, payload=dict(event.payload),
                   schema_version=event.schema_version)

    def to_event(self) -> Event:
        """The domain event; refuses (``SyncProblem``) what this program cannot read."""
        check_readable(self)
        return Event(event_id=self.event_id, case_id=self.case_id, device_id=self.device_id,
                     author=self.author, hlc=self.hlc, type=EventType(self.type), payload=self.payload,
                     schema_version=self.schema_version)


class PulledEvent(WireEvent):
    seq: int = Field(ge=1)


def check_readable(event: WireEvent) -> None:
    """A newer payload version or an unknown kind of event is refused, never guessed at."""
    if event.schema_version > PAYLOAD_SCHEMA_VERSION:
        raise SyncProblem("incompatible",
                          f"收到的事件（{event.event_id}）数据版本为 {event.schema_version}，本程序只能读取到版本 "
                          f"{PAYLOAD_SCHEMA_VERSION}：请先升级本程序，再同步。已收到的数据未作任何改动。")
    try:
        EventType(event.type)
    except ValueError:
        raise SyncProblem("incompatible",
                          f"收到未知类型的事件“{event.type}”（{event.event_id}）：请先升级本程序，再同步。"
                          "已收到的数据未作任何改动。") from None
    try:
        Hlc.parse(event.hlc)
    except ValueError:
        raise SyncProblem("refused", f"事件 {event.event_id} 的时间戳“{event.hlc}”格式不正确") from None


class PushRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    events: list[WireEvent] = Field(max_length=MAX_PUSH_EVENTS)


class Assigned(BaseModel):
    event_id: str
    seq: int


class PushResponse(BaseModel):
    """Every pushed event id with its server sequence, also for ids the server already had."""

    assigned: list[Assigned]
    stored: int  # how many of them were new to the server
    #: How far the pushed events' times ran ahead of the server's clock (0: not beyond the drift allowed);
    #: the events are stored all the same, and the device tells its user to correct the clock.
    clock_ahead_ms: int = 0


class PullResponse(BaseModel):
    """Events with seq > since, in seq order.

    ``next_cursor`` is the last sequence the server looked at, which can be past the last
    event returned when events this device may not see were left out; ``more`` says
    whether another page may follow.
    """

    events: list[PulledEvent]
    next_cursor: int
    more: bool


# -- audit entries (up the feed) ------------------------------------------------------------------

MAX_AUDIT_ENTRIES = 1000
_HASH = r"^[0-9a-f]{64}$"


class AuditUpEntry(BaseModel):
    """One entry of a device's audit log, exactly as the device wrote and hashed it."""

    model_config = ConfigDict(extra="forbid")

    seq: int = Field(ge=1, le=2**62)
    at: str = Field(max_length=32)
    device: str = Field(max_length=64)
    actor_id: str = Field(max_length=96)
    actor_name: str = Field(max_length=64)
    action: str = Field(max_length=32)
    target: str = Field(max_length=200)
    detail: dict[str, Any]
    prev_hash: str = Field(pattern=_HASH)
    entry_hash: str = Field(pattern=_HASH)


class AuditPushRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entries: list[AuditUpEntry] = Field(max_length=MAX_AUDIT_ENTRIES)


class RelayedDevice(BaseModel):
    """A device of a hall whose audit entries its hall server relays, as enrolled at the hall server."""

    model_config = ConfigDict(extra="forbid")

    device_id: str = Field(pattern=r"^[A-Za-z0-9_]{1,32}$")
    role: str = Field(default="", max_length=16)  # its sync role there ("" : no longer enrolled there)
    device_code: str = Field(default="", max_length=8)  # a kiosk's own number
    place: str = Field(default="", max_length=24)  # where it stands, as the hall's administrator named it


class AuditRelayRequest(BaseModel):
    """A hall server's batch of one of its devices' audit entries, in ``seq`` order."""

    model_config = ConfigDict(extra="forbid")

    device: RelayedDevice
    entries: list[AuditUpEntry] = Field(max_length=MAX_AUDIT_ENTRIES)


class AuditPushResponse(BaseModel):
    """How many entries were new to the server, and the newest seq of this device it holds (0: none)."""

    stored: int
    last_seq: int


class ErrorResponse(BaseModel):
    detail: str
    kind: ProblemKind


# -- materials (attachment files), content-addressed by SHA-256 ------------------------------------

#: Files asked about in one ``POST /sync/attachments/status``.
MAX_ATTACHMENT_ASK = 500
#: The header a file's upload and download carry its kind in (the body is the file's bytes).
ATTACHMENT_MIME_HEADER = "X-Attachment-Mime"
#: What a device is told when the case it may see names a file the server does not hold yet.
NOT_UPLOADED_YET = "这份材料还在登记它的电脑上，尚未上传到服务器：请等那台电脑联网同步后再打开"


class AttachmentStatusRequest(BaseModel):
    """The files a device holds that it does not know the server to hold."""

    model_config = ConfigDict(extra="forbid")

    sha256: list[Annotated[str, Field(pattern=_HASH)]] = Field(max_length=MAX_ATTACHMENT_ASK)


class AttachmentStatusResponse(BaseModel):
    """Of the files asked about: those the server holds, and those it lacks and this device should send.

    A file no case this device may hold names (yet) is in neither list: the device asks again later.
    """

    held: list[str]
    wanted: list[str]


class AttachmentStored(BaseModel):
    """An upload's answer: the file is held (``stored``: it was new to the server)."""

    sha256: str
    stored: bool


# -- enrolment and the administrator's device list ------------------------------------------------------

class EnrolRequest(BaseModel):
    """A device exchanging a one-time enrolment code for its token."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=64, description="管理员签发的一次性注册码")
    device_id: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_]+$", description="本机 device_id")
    device_code: str = Field(default="", max_length=8, description="自助终端的本机编码（如 K01）")


class EnrolResponse(BaseModel):
    token: str
    device_id: str
    role: str
    hall_code: str
    org_code: str


class IssueCodeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["counter", "kiosk", "display", "leader", "admin", "hall"]
    hall_code: str = Field(default="", max_length=32)
    org_code: str = Field(default="", max_length=32)
    valid_hours: int = Field(default=24, ge=1, le=24 * 14)


class IssuedCodeResponse(BaseModel):
    code: str
    role: str
    hall_code: str
    org_code: str
    expires_at: str


class PeripheralEntry(BaseModel):
    peripheral: str = Field(description="外设：reader 身份证阅读器 / printer 打印机 / camera 摄像头")
    problem: str = Field(description="故障，如“打印机缺纸”")
    since: str = Field(description="故障开始的时间（设备本地时间）")


class DeviceEntry(BaseModel):
    device_id: str
    role: str
    hall_code: str
    org_code: str
    device_code: str
    enrolled_at: str
    last_seen_at: str
    revoked_at: str
    place: str = Field(default="", description="设备位置（管理员填写，如“3号窗口”）")
    hall_name: str = Field(default="", description="所在大厅的名称（中心下发的 hall_name）")
    peripherals: list[PeripheralEntry] = Field(default_factory=list,
                                               description="设备报告的外设故障（读卡器、打印机等），空：未报告故障")


class DevicePlaceBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    place: str = Field(max_length=64, description="设备位置，如“3号窗口”“一楼大厅入口”；空：不命名")


class DeviceList(BaseModel):
    devices: list[DeviceEntry]


class KioskPinBody(BaseModel):
    """The kiosks' new exit PIN as its Argon2id hash (hashed on the admin desk; the PIN never travels)."""

    model_config = ConfigDict(extra="forbid")

    pin_hash: str = Field(min_length=30, max_length=240, pattern=r"^\$argon2id\$[A-Za-z0-9$=,+/]+$")
    hall_code: str = Field(default="", max_length=16, pattern=r"^[A-Za-z0-9_-]*$",
                           description="只用于这一大厅的自助终端；空：所有大厅")


class KioskPinEntry(BaseModel):
    hall_code: str
    changed_at: str


class KioskPinList(BaseModel):
    pins: list[KioskPinEntry]


class ProgressAnswer(BaseModel):
    """The public lookup's answer: masked progress and the next deadline, nothing else."""

    case_number: str
    petitioner: str  # masked
    received_on: str
    state: str
    next_step: str
    next_due: str | None


# -- reference data (down the feed, versioned) -------------------------------------------------------

class ReferencePart(BaseModel):
    """One kind of reference data (accounts, holidays, organisations, settings …) and its version."""

    version: str
    content: Any


class ReferenceResponse(BaseModel):
    """The reference data this device may hold, as of ``version`` (a digest of its parts' versions).

    ``unchanged`` when the device already has this version (then ``parts`` is empty). Kiosks
    and hall displays receive no accounts. A kind this program does not know is skipped.
    """

    version: str
    unchanged: bool
    parts: dict[str, ReferencePart]


# -- the administrator's window types of the hall queue (on the queue's authority) ------------------

class WindowTypeBody(BaseModel):
    """A window type as the administrator's device sends it (the service checks the rest, in words)."""

    code: str = Field(default="", max_length=32, pattern=r"^[A-Za-z0-9_-]*$")  # "": a new type
    name: str = Field(max_length=64, pattern=r"^[^\x00-\x1f\x7f]*$")
    prefix: str = Field(max_length=8, pattern=r"^[^\x00-\x1f\x7f]*$")
    windows: list[int] = Field(default_factory=list, max_length=99)
    priority_allowed: bool = True
    active: bool = True


class WindowTypeEntry(WindowTypeBody):
    waiting: int = 0  # tickets of the type waiting today


class WindowTypeList(BaseModel):
    types: list[WindowTypeEntry]


# -- the administrator's organisation directory (on the centre, shared down the reference feed) -------

class OrganisationBody(BaseModel):
    """An organisation as the administrator's desk sends it (the service checks the rest, in words)."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(max_length=64)
    name: str = Field(max_length=200)
    kind: str = Field(default="", max_length=32)
    region_code: str = Field(default="", max_length=16)
    parent_code: str = Field(default="", max_length=64)
    topic_codes: list[str] = Field(default_factory=list, max_length=200)
    address: str = Field(default="", max_length=400)
    phone: str = Field(default="", max_length=100)
    reception_place: str = Field(default="", max_length=400)
    new: bool = False  # add it (else change the one with this code)


class OrganisationEntry(BaseModel):
    """One organisation in words (``desktop.services.organisations.DirectoryEntry``)."""

    code: str
    name: str
    kind: str
    level: str
    region_code: str
    region_name: str
    parent_code: str
    parent_name: str
    topic_codes: list[str]
    topic_names: list[str]
    address: str
    phone: str
    reception_place: str
    retired: str
    former_names: list[str]
    keys: list[str]


class OrganisationList(BaseModel):
    source: str
    editable: bool
    why_not: str
    changed_at: str = ""
    entries: list[OrganisationEntry]


class AuditCopyEntry(BaseModel):
    """One device's audit copy on the server, in words (``device_id``/``relayed_by`` name the chain, never shown)."""

    device: str = Field(description="设备，如“自助终端 K01（一楼大厅入口）”")
    hall: str = Field(description="所在大厅；转来的副本：经哪台大厅服务器转来")
    relayed: bool
    entries: int
    first_seq: int
    last_seq: int
    last_at: str = Field(description="最新一条的时间（设备所记，YYYY-MM-DD HH:MM）")
    last_action: str = Field(description="最新一条的操作")
    received_at: str = Field(description="最新收到的时间（YYYY-MM-DD HH:MM）")
    device_id: str
    relayed_by: str


class AuditCopyList(BaseModel):
    copies: list[AuditCopyEntry]


class CopiedAuditEntry(AuditUpEntry):
    received_at: str = Field(description="服务器收到的时间（YYYY-MM-DD HH:MM）")


class AuditContinuity(BaseModel):
    """Whether the copy continues without a gap (seq and prev_hash; the keyed hashes only the device can check)."""

    ok: bool
    first_seq: int
    last_seq: int
    entries: int
    breaks: list[str]
    more_breaks: int
    summary: str


class AuditCopyPage(BaseModel):
    """A page of one device's copy, newest first."""

    page: int
    pages: int
    entries: list[CopiedAuditEntry]
    continuity: AuditContinuity
