"""What a citizen does alone at the kiosk with a receipt: read the progress, rate the outcome.

* :func:`kiosk_progress` — case number and query code in (typed, or from the receipt's QR
  code), the masked progress out: the timeline in plain words, the next deadline and what
  the citizen can do now (补充材料, 评价, 申请复查/复核 within its 30 days). A case this
  kiosk has never seen is asked of the server (masked progress only); with no network the
  answer says so and points to the counter.
* Wrong codes are limited per case number and per kiosk, so an 8-digit code cannot be found by
  trying, yet one person typing wrong cannot shut the kiosk for the next: per case
  :data:`CASE_FAILURES` in :data:`WINDOW` (while it holds even the right code is refused, so
  trying on gives nothing away; the citizen is told how many tries are left and from what
  time of day to try again); per kiosk :data:`KIOSK_FAILURES` free, then each further try
  typed by hand waits longer (:data:`KIOSK_FIRST_WAIT` doubling up to :data:`KIOSK_LONGEST_WAIT`).
  A code scanned from a receipt's QR code is read off the paper, not guessed: the kiosk's
  wait does not hold for it (the case's limit does). A case number neither this kiosk nor
  its server can check (no copy here, no server) is no guess and counts for nothing.
* :func:`rate_case` records the citizen's 评价 (满意 / 基本满意 / 不满意, an optional
  reason) for a concluded case, once; 不满意 puts the case on the supervisors' work list
  (:func:`dissatisfied_cases`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import select

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

from db.models import CaseRow, EventRow
from desktop.domain.access import Permission
from desktop.domain.calendar import HolidayCalendar, date_near
from desktop.domain.case import (
    OUTCOMES,
    TRANSITIONS,
    CaseState,
    CaseView,
    ReviewWindow,
    project,
    review_window,
    routed_day,
)
from desktop.domain.chinatime import china_day, china_today, time_of_day_words
from desktop.domain.deadlines import HANDLE, REREVIEW_ANSWER, REVIEW_ANSWER, ROUTE, UNIT_NOTIFY
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.events import Event, EventType
from desktop.domain.hlc import Hlc
from desktop.domain.identity import mask_name
from desktop.domain.indicators import RATINGS
from desktop.domain.numbering import case_number_candidates, normalise_query_code, verify_query_code
from desktop.domain.qrpayload import FOREIGN_MESSAGE
from desktop.domain.ratelimit import FailureLimiter, SlowingLimiter
from desktop.services.audit import guard
from desktop.services.context import Actor, Hall
from desktop.services.progress import next_step_words, refusal_words, state_words
from desktop.services.store import case_events, row_to_event

KIOSK_FAILURES: Final = 20
CASE_FAILURES: Final = 5
WINDOW: Final = timedelta(hours=1)
KIOSK_FIRST_WAIT: Final = timedelta(minutes=1)
KIOSK_LONGEST_WAIT: Final = timedelta(minutes=10)
#: From this many tries left on a case, a wrong code says how many remain.
WARN_FROM: Final = 3
MAX_REASON: Final = 500

NOT_FOUND: Final = "案件编号或查询码不正确，请核对回执后重新输入；如有疑问请到窗口咨询"


def case_locked(at: str) -> str:
    """The case's limit holds (whoever asks, the right code too): from when, and the counter."""
    return (f"这件事项的查询码输错次数较多（一小时内{CASE_FAILURES}次），为防止他人猜测，"
            f"请在{at}以后再试，或携带回执到接待窗口查询")


def kiosk_slowed(at: str) -> str:
    """The kiosk's wait holds for typed codes: whoever stands there now may not be the one who typed wrong."""
    return (f"这台自助终端刚才输错查询码的次数较多，为防止他人猜测，手工输入请在{at}以后再试。"
            "扫描回执上的二维码可以立即查询，也可以携带回执到接待窗口查询")


def tries_left(left: int) -> str:
    """Said after a wrong code when few tries remain on the case."""
    return f"；这件事项还可以再试{left}次" if 0 < left <= WARN_FROM else ""
OFFLINE: Final = ("本机没有这件事项的记录，需要向中心服务器查询，但现在网络未连接。"
                  "请稍后再试，或携带回执到接待窗口查询")
SERVER_FAILED: Final = "中心服务器暂时无法查询，请稍后再试，或携带回执到接待窗口查询"
BAD_NUMBER: Final = "案件编号的格式不对，请对照回执逐字核对（例如 XF-20261124-K01-00012-9）"
#: Check characters a reader takes for one another on a printed receipt.
_LOOKALIKE: Final = {"O": "0", "0": "O", "I": "1", "1": "I"}
NO_SERVER: Final = "本机没有这件事项的记录。请核对回执上的案件编号，或携带回执到接待窗口查询"


@dataclass(frozen=True)
class Step:
    """One line of the timeline: when, and what happened, in plain words."""

    on: date
    text: str


@dataclass(frozen=True)
class KioskProgress:
    """The masked progress of one case, for the citizen holding its receipt."""

    case_number: str
    petitioner: str  # masked
    received_on: date
    state: str
    next_step: str
    next_due: date | None
    steps: tuple[Step, ...] = ()
    #: What the citizen can do now, in plain words (may be empty).
    can_do: tuple[str, ...] = ()
    #: The case can be rated here now (concluded, not rated yet).
    can_rate: bool = False
    rating: str = ""
    #: From the central server: this kiosk holds no copy (no timeline, no rating here).
    from_server: bool = False
    #: Who must do what by ``next_due``, in plain words ("" where only the date is known).
    due_words: str = ""
    #: After an answer or a review opinion: the 复查/复核 window as of today (until which day, or passed).
    review: str = ""


#: (case number, query code) → the server's masked answer, as a mapping with the fields of
#: ``server.protocol.ProgressAnswer``; raises RuleViolation (not found, limited) or SyncProblem.
RemoteLookup = Callable[[str, str], dict[str, Any]]


def _limiters(hall: Hall) -> tuple[SlowingLimiter, FailureLimiter]:
    """This hall's limiters (per kiosk, per case), built once, kept with the hall."""
    key = "self_service_limiters"
    with hall._build_lock:
        if key not in hall.__dict__:
            hall.__dict__[key] = (SlowingLimiter(KIOSK_FAILURES, WINDOW, KIOSK_FIRST_WAIT, KIOSK_LONGEST_WAIT,
                                                 hall.now),
                                  FailureLimiter(CASE_FAILURES, WINDOW, hall.now))
        return hall.__dict__[key]  # type: ignore[no-any-return]


def read_receipt_codes(case_number: str, query_code: str) -> tuple[tuple[str, ...], str]:
    """The case numbers a typed text may be, and the 8-digit code; ValidationError in plain words."""
    number_text = case_number.strip()
    code_text = query_code.strip()
    if not number_text:
        raise ValidationError("case_number_missing", "请输入登记回执上的案件编号", "case_number")
    for text, field in ((number_text, "case_number"), (code_text, "query_code")):
        if "://" in text:  # another QR code (a shop's, a chat's) scanned into the field: said as what it is
            raise ValidationError("qr_foreign", FOREIGN_MESSAGE, field)
    if len(number_text) > 64:
        raise ValidationError("case_number_too_long", "输入的案件编号太长了，请核对回执上的案件编号后重新输入",
                              "case_number")
    if not code_text:
        raise ValidationError("query_code_missing", "请输入登记回执上的8位查询码", "query_code")
    if len(code_text) > 32:
        raise ValidationError("query_code_too_long", "查询码是8位数字，请核对回执后重新输入", "query_code")
    try:
        numbers = tuple(c.text for c in case_number_candidates(number_text))
    except ValidationError:
        # The receipt's last character O typed as 0, I as 1 (and back): only one of a pair closes the
        # check. Forgiven here alone, where the query code must match too, not wherever numbers are read.
        alike = _LOOKALIKE.get(number_text[-1:].upper())
        try:
            numbers = tuple(c.text for c in case_number_candidates(number_text[:-1] + alike)) if alike else ()
        except ValidationError:
            numbers = ()
        if not numbers:
            raise ValidationError("bad_case_number", BAD_NUMBER, "case_number") from None
    try:
        code = normalise_query_code(code_text)
    except ValidationError:
        raise ValidationError("bad_query_code", "查询码是回执上的8位数字，请核对后重新输入", "query_code") from None
    return numbers, code


def kiosk_progress(hall: Hall, actor: Actor, case_number: str, query_code: str, *,
                   remote: RemoteLookup | None = None, scanned: bool = False) -> KioskProgress:
    """The progress for whoever holds the case number and its query code; nothing else leaks.

    ``remote`` asks the central server for a case this kiosk has never seen
    (:func:`desktop.sync.lookup.server_lookup`; None when there is no server). ``scanned``:
    the two were read from a receipt's QR code, not typed (the kiosk's wait does not hold).
    """
    guard(hall, actor, Permission.SELF_SERVICE, "查询办理进度")
    numbers, code = read_receipt_codes(case_number, query_code)
    kiosks, cases = _limiters(hall)
    now = hall.now()
    locked = [at for n in numbers if (at := cases.retry_at(n)) is not None]
    if locked:
        raise RuleViolation("progress_limited", case_locked(time_of_day_words(max(locked), now)))
    if not scanned and (wait := kiosks.retry_at(actor.actor_id)) is not None:
        raise RuleViolation("progress_limited", kiosk_slowed(time_of_day_words(wait, now)))
    with hall.sessions() as session:
        rows = list(session.scalars(select(CaseRow).where(CaseRow.case_number.in_(numbers))))
        row = next((r for r in rows if verify_query_code(code, r.query_code_hash, hall.secrets.query_code_pepper)),
                   None)
        if row is not None:
            view = project(row.case_id, case_events(session, row.case_id), hall.policy)
            return _progress(hall, row, view)
    if rows:  # a case this kiosk knows, with a wrong code
        raise _failed(hall, kiosks, cases, actor, numbers, NOT_FOUND)
    ask = remote
    if ask is None:  # nothing here could check the code: nothing was guessed, nothing counts
        raise RuleViolation("progress_not_found", NO_SERVER)
    try:
        answer = ask(numbers[0], code)
    except RuleViolation as refusal:
        if refusal.code == "progress_not_found":
            raise _failed(hall, kiosks, cases, actor, numbers, refusal.message) from None
        raise
    except Exception as problem:
        if getattr(problem, "kind", "") in ("offline", "server_error"):
            raise RuleViolation("progress_offline", OFFLINE) from None
        raise RuleViolation("progress_offline", SERVER_FAILED) from None
    return _from_server(answer)


def _failed(hall: Hall, kiosks: SlowingLimiter, cases: FailureLimiter, actor: Actor, numbers: Sequence[str],
            message: str) -> RuleViolation:
    """Count a wrong code (per kiosk, per case) and say how many tries are left, or from when to try again."""
    kiosks.fail(actor.actor_id)
    for number in numbers:
        cases.fail(number)
    locked = [at for n in numbers if (at := cases.retry_at(n)) is not None]
    if locked:
        return RuleViolation("progress_not_found",
                             "案件编号或查询码不正确。" + case_locked(time_of_day_words(max(locked), hall.now())))
    return RuleViolation("progress_not_found", message + tries_left(min(cases.remaining(n) for n in numbers)))


def _from_server(answer: dict[str, Any]) -> KioskProgress:
    def day(text: object) -> date | None:
        return date.fromisoformat(str(text)) if text else None

    received = day(answer.get("received_on")) or china_today()
    return KioskProgress(str(answer["case_number"]), str(answer["petitioner"]), received, str(answer["state"]),
                         str(answer.get("next_step") or ""), day(answer.get("next_due")),
                         steps=(Step(received, "您的信访事项已登记"),), from_server=True,
                         can_do=("本机没有这件事项的详细记录；评价、补充材料请到接待窗口办理",))


# -- the timeline in plain words ------------------------------------------------------------------

def _step_text(event: Event, names: Callable[[str], str]) -> str:
    p = event.payload
    t = event.type
    org = names(str(p.get("organisation_code", ""))) if p.get("organisation_code") else "有关单位"
    texts: dict[EventType, str] = {
        EventType.REGISTERED: "您的信访事项已登记",
        EventType.MATERIAL_ADDED: "收到您补充的材料",
        EventType.TRANSFERRED: f"已转送{org}处理",
        EventType.ASSIGNED: f"已交办{org}办理",
        EventType.GUIDED: "已告知您通过法定途径（如诉讼、仲裁、行政复议）解决",
        EventType.ACCEPTED: "已受理，开始办理",
        EventType.NOT_ACCEPTED: "不予受理，已出具告知书说明理由",
        EventType.EXTENDED: f"办理期限延长{p.get('days', '')}日，已告知您延期理由",
        EventType.ANSWERED: "已作出处理意见" + _decision(p),
        EventType.DELIVERED: "处理意见书已送达",
        EventType.RATED: f"您已评价：{p.get('rating', '')}",
        EventType.FOLLOWED_UP: "工作人员已回访",
        EventType.REVIEW_REQUESTED: "已收到您的复查申请",
        EventType.REVIEW_ANSWERED: "已作出复查意见" + _decision(p),
        EventType.REREVIEW_REQUESTED: "已收到您的复核申请",
        EventType.REREVIEW_ANSWERED: "已作出复核意见" + _decision(p),
        EventType.SETTLED: "已调解（和解）结案",
        EventType.LEADER_TAKEN: "已由领导包案负责办理",
    }
    return texts.get(t, "")


def _decision(payload: Mapping[str, Any]) -> str:
    """An opinion's decision after its step (：予以支持), as the answer recorded it; nothing for another word."""
    outcome = str(payload.get("outcome") or "")
    return f"：{outcome}" if outcome in OUTCOMES else ""


#: The events whose own date (the day the clerk entered, which may be an earlier day) is the step's day.
_DATED: Final = {
    EventType.REGISTERED: "received_on", EventType.ACCEPTED: "accepted_on", EventType.ANSWERED: "answered_on",
    EventType.REVIEW_ANSWERED: "answered_on", EventType.REREVIEW_ANSWERED: "answered_on",
    EventType.DELIVERED: "delivered_on", EventType.REVIEW_REQUESTED: "requested_on",
    EventType.REREVIEW_REQUESTED: "requested_on",
}


def _day(event: Event) -> date:
    """The day the step happened: a transfer's or an answer's own date, else the day it was recorded (in China)."""
    if event.type in (EventType.TRANSFERRED, EventType.ASSIGNED):
        return routed_day(event)
    key = _DATED.get(event.type)
    if key and event.payload.get(key):
        try:
            return date.fromisoformat(str(event.payload[key]))
        except ValueError:
            pass
    return china_day(Hlc.parse(event.hlc).wall_ms)


def day_words(day: date) -> str:
    """2026年10月8日 (no leading zeros, as a citizen writes a date)."""
    return f"{day.year}年{day.month}月{day.day}日"


def _may_move(day: date, calendar: HolidayCalendar) -> str:
    """For a last day in a year whose holidays ``calendar`` does not hold yet: that it may still move."""
    return "" if calendar.knows_year(day.year) else f"（{day.year}年节假日安排公布后，遇节假日可能顺延）"


def _due_words(view: CaseView, unit: str, calendar: HolidayCalendar) -> str:
    """Who must do what by the next deadline, in words the citizen can hold them to."""
    if view.next_due is None:
        return ""
    by, moves = day_words(view.next_due), _may_move(view.next_due, calendar)
    words = {
        ROUTE.name: f"信访部门应在{by}前转送、交办或告知您是否受理",
        UNIT_NOTIFY.name: f"{unit}应在{by}前决定是否受理，并书面告知您",
        "交办期限": f"{unit}应在{by}前办结（交办期限）",
        HANDLE.name: f"应在{by}前办结并书面答复您",
        REVIEW_ANSWER.name: f"复查机关应在{by}前作出复查意见",
        REREVIEW_ANSWER.name: f"复核机关应在{by}前作出复核意见",
    }
    return words.get(view.next_due_rule, f"下一个办理期限：{by}") + moves


def _can_do(view: CaseView, today: date, calendar: HolidayCalendar, window: ReviewWindow | None,
            rated_on: date | None) -> tuple[str, ...]:
    can: list[str] = []
    if not view.is_final and view.state not in (CaseState.ANSWERED, CaseState.REVIEWED, CaseState.SETTLED):
        can.append("如有新的材料，可以到接待窗口补充")
    if _may_rate(view):
        can.append("可以在本机对办理结果作出评价（满意、基本满意、不满意）")
    elif view.rating:
        can.append(f"您已评价（{view.rating}" + (f"，{date_near(rated_on, today)}）" if rated_on else "）"))
    if window is not None and window.open:
        can.append(review_in_words(window, calendar))
    elif window is not None:
        can.append("如有疑问，可以到接待窗口咨询")
    return tuple(can)


def review_in_words(window: ReviewWindow | None, calendar: HolidayCalendar) -> str:
    """The 复查/复核 window in words, with the warning that a last day in an unscheduled year may still move."""
    if window is None:
        return ""
    moves = _may_move(window.last_day, calendar) if window.open and window.last_day else ""
    return window.words() + moves


def _may_rate(view: CaseView) -> bool:
    allowed, _ = TRANSITIONS[EventType.RATED]
    return view.state in allowed and not view.rating


def _progress(hall: Hall, row: CaseRow, view: CaseView) -> KioskProgress:
    from desktop.services.reference import load_directory

    directory = load_directory()

    def name(code: str) -> str:
        try:
            return directory.get(code).name
        except KeyError:
            return "有关单位"

    with hall.sessions() as session:
        events = case_events(session, row.case_id)
    steps = tuple(Step(_day(e), text) for e in events if (text := _step_text(e, name)))
    unit = name(view.organisation_code) if view.organisation_code else "有关单位"
    today = hall.today()
    window = review_window(view.state, view.delivered_on, view.review_request_due, view.rereview_request_due,
                           today)
    rated_on = next((_day(e) for e in reversed(events) if e.type is EventType.RATED), None)
    # the window, while open, is one of the things the citizen can do; once passed the status says so
    outcome = row.outcome or ""
    status = next_step_words(row.state, window, outcome) if window is not None and not window.open \
        else state_words(row.state, outcome)
    if view.state is CaseState.NOT_ACCEPTED:
        refusal = next((e.payload for e in reversed(events) if e.type is EventType.NOT_ACCEPTED), {})
        status = refusal_words(refusal) or status
    return KioskProgress(row.case_number, mask_name(row.petitioner_name), row.received_on, row.state,
                         status, row.next_due, steps,
                         _can_do(view, today, hall.policy.calendar, window, rated_on), _may_rate(view),
                         view.rating, due_words=_due_words(view, unit, hall.policy.calendar),
                         review=review_in_words(window, hall.policy.calendar))


# -- the citizen's rating -------------------------------------------------------------------------

def rate_case(hall: Hall, actor: Actor, case_number: str, query_code: str, rating: str,
              reason: str = "") -> KioskProgress:
    """Record the citizen's rating of a concluded case (once); 不满意 goes to the supervisors."""
    from desktop.services.cases import record

    if rating not in RATINGS:
        raise ValidationError("bad_rating", "请选择“满意”“基本满意”或“不满意”", "rating")
    text = reason.strip()
    if len(text) > MAX_REASON:
        raise ValidationError("reason_too_long", f"意见最多{MAX_REASON}字，现在{len(text)}字，"
                              f"请删去{len(text) - MAX_REASON}字", "reason")
    if any(ord(c) < 32 and c not in "\n\t" for c in text):
        raise ValidationError("reason_control", "意见中有无法显示的字符，请删除后再提交", "reason")
    progress = kiosk_progress(hall, actor, case_number, query_code, remote=_no_remote)
    if progress.rating:
        raise RuleViolation("already_rated", f"这件事项已经评价过（{progress.rating}），不能重复评价")
    if not progress.can_rate:
        raise RuleViolation("not_ratable", "事项办结答复后才能评价")
    payload = {"rating": rating, "target": "信访部门"}
    if text:
        payload["comment"] = text
    record(hall, actor, progress.case_number, EventType.RATED, payload)
    return kiosk_progress(hall, actor, progress.case_number, query_code, remote=_no_remote)


def _no_remote(_number: str, _code: str) -> dict[str, Any]:
    raise RuleViolation("progress_not_found", "这件事项不在本机，评价请到接待窗口办理")


@dataclass(frozen=True)
class Dissatisfied:
    """A case its petitioner rated 不满意: for the supervisors to look into (a 不满意 reopens review)."""

    case_number: str
    petitioner: str  # masked
    state: str
    rated_on: date
    reason: str
    organisation: str


def dissatisfied_cases(hall: Hall, actor: Actor, *, limit: int = 500) -> list[Dissatisfied]:
    """The supervisors' work list: cases rated 不满意, newest rating first."""
    from desktop.services.reference import load_directory

    guard(hall, actor, Permission.SUPERVISE, "查看不满意评价")
    directory = load_directory()
    with hall.sessions() as session:
        pairs = session.execute(
            select(CaseRow, EventRow).join(EventRow, EventRow.case_id == CaseRow.case_id)
            .where(CaseRow.rating == "不满意", EventRow.type == EventType.RATED.value)
            .order_by(EventRow.hlc.desc())).all()
    seen: set[str] = set()
    out: list[Dissatisfied] = []
    for case, event_row in pairs:
        if case.case_id in seen:
            continue
        seen.add(case.case_id)
        payload = row_to_event(event_row).payload
        try:
            organisation = directory.get(case.organisation_code).name if case.organisation_code else ""
        except KeyError:
            organisation = ""
        out.append(Dissatisfied(case.case_number, mask_name(case.petitioner_name), case.state,
                                china_day(Hlc.parse(event_row.hlc).wall_ms),
                                str(payload.get("comment", "")), organisation))
        if len(out) >= limit:
            break
    return out


# -- privacy: a kiosk keeps no personal data of the registrations the server holds ---------------

def erase_acknowledged_registrations(hall: Hall, actor: Actor) -> int:
    """Reduce this kiosk's own registrations the server has acknowledged to what a kiosk may hold.

    The registration's payload becomes the masked progress form the server sends kiosks
    (:func:`desktop.domain.masking.kiosk_payload`: no ID number, phone, address, request or
    facts; the name masked), and the case's rows, people and search keys are rebuilt from it;
    progress and rating still work here with the case number and query code. Does nothing
    unless the setting ``kiosk_erase_after_sync`` is on. Returns how many cases were erased.

    The files (materials) those registrations named go too, once the server holds them and no
    other case here names them; a file the server does not hold yet stays until a later sync
    has sent it up.
    """
    from sqlalchemy import update

    from desktop.domain.events import canonical_json
    from desktop.domain.masking import kiosk_payload
    from desktop.services.changes import note_cases
    from desktop.services.store import write_projections

    guard(hall, actor, Permission.SELF_SERVICE, "清除本机登记的个人信息")
    if not hall.settings.kiosk_erase_after_sync:
        return 0
    with hall.transaction() as session:
        _drop_uploaded_materials(session, hall.settings.device_id)
        rows = list(session.scalars(select(EventRow).where(
            EventRow.type == EventType.REGISTERED.value, EventRow.device_id == hall.settings.device_id,
            EventRow.server_seq.is_not(None))))
        erased: list[tuple[str, str]] = []
        for row in rows:
            payload = row_to_event(row).payload
            masked = kiosk_payload(EventType.REGISTERED.value, dict(payload))
            if dict(payload) != masked:
                erased.append((row.event_id, canonical_json(masked)))
        if not erased:
            return 0
        for event_id, text in erased:
            session.execute(update(EventRow).where(EventRow.event_id == event_id).values(payload=text))
        case_ids = list(dict.fromkeys(r.case_id for r in rows if r.event_id in dict(erased)))
        views = [project(case_id, case_events(session, case_id), hall.policy) for case_id in case_ids]
        write_projections(session, views, set(case_ids), set(case_ids))
        note_cases(session, case_ids)
    return len(erased)


def _drop_uploaded_materials(session: Session, device_id: str) -> int:
    """Delete the files only this kiosk's acknowledged registrations name, once the server holds them."""
    from sqlalchemy import delete

    from db.models import AttachmentCaseRow, AttachmentRow

    own = (select(EventRow.case_id).where(EventRow.type == EventType.REGISTERED.value, EventRow.device_id == device_id,
                                          EventRow.server_seq.is_not(None)).scalar_subquery())
    named_here = select(AttachmentCaseRow.sha256).where(AttachmentCaseRow.case_id.in_(own))
    named_elsewhere = select(AttachmentCaseRow.sha256).where(AttachmentCaseRow.case_id.not_in(own))
    drop = list(session.scalars(select(AttachmentRow.sha256).where(
        AttachmentRow.on_server.is_(True), AttachmentRow.sha256.in_(named_here),
        AttachmentRow.sha256.not_in(named_elsewhere))))
    for start in range(0, len(drop), 500):
        chunk = drop[start:start + 500]
        session.execute(delete(AttachmentRow).where(AttachmentRow.sha256.in_(chunk)))
        session.execute(delete(AttachmentCaseRow).where(AttachmentCaseRow.sha256.in_(chunk)))
    return len(drop)
