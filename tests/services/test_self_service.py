"""The kiosk's progress lookup and the citizen's rating, where production computes them."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.events import EventType
from desktop.domain.numbering import make_case_number
from desktop.domain.passwords import hash_pin, pin_matches, pin_problems
from desktop.domain.roles import PermissionDenied
from desktop.services import cases
from desktop.services.context import Actor, Hall
from desktop.services.registration import RegistrationResult, register_visit
from desktop.services.self_service import (
    CASE_FAILURES,
    KIOSK_FAILURES,
    KIOSK_FIRST_WAIT,
    KIOSK_LONGEST_WAIT,
    NO_SERVER,
    dissatisfied_cases,
    kiosk_progress,
    rate_case,
)
from tests.conftest import FakeClock
from tests.helpers import form, valid_id

KIOSK = Actor.kiosk("K01")


def _answered(hall: Hall, clerk: Actor, **kwargs: object) -> RegistrationResult:
    result = register_visit(hall, clerk, form(**kwargs))  # type: ignore[arg-type]
    ref = result.case_number
    cases.classify(hall, clerk, ref, nature="申诉求决类", topic_code="0101")
    cases.record(hall, clerk, ref, EventType.TRANSFERRED, {"route_kind": "转送", "organisation_code": "330726-ZJJ"})
    cases.accept(hall, clerk, ref, accepted_on=date(2026, 9, 16))
    cases.answer(hall, clerk, ref, outcome="不予支持", answered_on=date(2026, 9, 16))
    cases.deliver(hall, clerk, ref, delivered_on=date(2026, 9, 16))
    return result


def test_progress_reads_as_a_plain_timeline_with_what_to_do_now(hall: Hall, clerk: Actor) -> None:
    result = _answered(hall, clerk)
    progress = kiosk_progress(hall, KIOSK, result.case_number, result.query_code)
    assert progress.petitioner == "张**" and progress.state == "已答复"
    assert [s.text for s in progress.steps] == [
        "您的信访事项已登记", "已转送浦江县住房和城乡建设局处理", "已受理，开始办理",
        "已作出处理意见：不予支持", "处理意见书已送达"]
    assert progress.can_rate and any("2026年10月16日 前向上一级机关申请复查" in line for line in progress.can_do)
    fresh = register_visit(hall, clerk, form(name="李梅", id_number=valid_id(seq=456)))
    waiting = kiosk_progress(hall, KIOSK, fresh.case_number, fresh.query_code)
    assert not waiting.can_rate and waiting.next_due == date(2026, 10, 8)
    assert any("补充" in line for line in waiting.can_do)


def test_typed_numbers_are_read_leniently_and_bad_ones_refused_in_words(hall: Hall, clerk: Actor) -> None:
    result = register_visit(hall, clerk, form())
    spaced = f"{result.query_code[:4]} {result.query_code[4:]}"
    assert kiosk_progress(hall, KIOSK, result.case_number.lower().replace("-", " "), spaced).state == "已登记"
    for number, code, words in (("", "12345678", "请输入"), ("x" * 5000, "12345678", "太长"),
                                ("😀", "12345678", "格式不对"), (result.case_number, "１２３", "8位数字"),
                                (result.case_number, "", "请输入")):
        with pytest.raises(ValidationError, match=words):
            kiosk_progress(hall, KIOSK, number, code)


def test_a_receipts_last_character_o_typed_as_zero_still_finds_the_case(hall: Hall, clerk: Actor) -> None:
    """O and 0, I and 1 look alike on a receipt; only one of a pair closes the check, and the code must match."""
    alike = {"O": "0", "0": "O", "I": "1", "1": "I"}
    seen: set[str] = set()
    for seq in range(300, 500):
        result = register_visit(hall, clerk, form(id_number=valid_id(seq=seq)))
        last = result.case_number[-1]
        if last in alike and last not in seen:
            seen.add(last)
            typed = result.case_number[:-1] + alike[last]
            progress = kiosk_progress(hall, KIOSK, typed.lower().replace("-", ""), result.query_code)
            assert progress.case_number == result.case_number
            with pytest.raises(RuleViolation, match="查询码不正确"):  # the code still has to match
                kiosk_progress(hall, KIOSK, typed, f"{(int(result.query_code) + 1) % 10**8:08d}")
        if len(seen) == 2:
            break
    assert len(seen) == 2
    with pytest.raises(ValidationError, match="格式不对"):  # any other wrong last character is refused
        kiosk_progress(hall, KIOSK, result.case_number[:-1] + ("7" if last != "7" else "8"), result.query_code)


def test_the_receipt_promises_at_the_kiosk_only_what_the_kiosk_does(hall: Hall, clerk: Actor) -> None:
    from desktop.documents.templates import TEXTS

    result = register_visit(hall, clerk, form())
    progress = kiosk_progress(hall, KIOSK, result.case_number, result.query_code)
    assert any("补充" in line and "窗口" in line for line in progress.can_do)  # materials: at the counter
    at_the_kiosk = TEXTS["receipt.rights"].split("自助终端")[1].split("；")[0]
    assert "补充" not in at_the_kiosk and "评价" in at_the_kiosk and "补充材料请到接待窗口" in TEXTS["receipt.rights"]


def _clock(moment: datetime) -> str:
    up = moment.replace(second=0, microsecond=0) + (timedelta(minutes=1) if moment.second or moment.microsecond
                                                    else timedelta(0))
    return f"{up.hour}:{up.minute:02d}"


def test_wrong_codes_are_limited_per_case_with_tries_left_and_the_time_to_come_back(
        hall: Hall, clerk: Actor, clock: FakeClock) -> None:
    result = register_visit(hall, clerk, form())
    first = clock()
    said = []
    for n in range(CASE_FAILURES):
        with pytest.raises(RuleViolation, match="查询码不正确") as wrong:
            kiosk_progress(hall, KIOSK, result.case_number, f"{n:08d}")
        said.append(wrong.value.message)
        clock.advance(seconds=20)
    left = [CASE_FAILURES - n - 1 for n in range(CASE_FAILURES)]
    for message, remaining in zip(said[:-1], left[:-1], strict=True):
        assert (f"还可以再试{remaining}次" in message) == (remaining <= 3)
    back = _clock(first + timedelta(hours=1))
    assert f"请在{back}以后再试" in said[-1] and "接待窗口" in said[-1]
    with pytest.raises(RuleViolation, match=f"请在{back}以后再试"):  # even the right code, even scanned
        kiosk_progress(hall, KIOSK, result.case_number, result.query_code, scanned=True)
    other = Actor.kiosk("K02")
    with pytest.raises(RuleViolation, match=f"请在{back}以后再试"):  # per case: another kiosk does not help
        kiosk_progress(hall, other, result.case_number, result.query_code)
    clock.current = first + timedelta(hours=1, seconds=1)
    assert kiosk_progress(hall, KIOSK, result.case_number, result.query_code).state == "已登记"


def _guess_many(hall: Hall, clerk: Actor, kiosk: Actor, count: int) -> None:
    for _ in range(count):  # many cases, each tried once: no case's limit, only the kiosk's
        case = register_visit(hall, clerk, form())
        with pytest.raises(RuleViolation, match="查询码不正确"):
            kiosk_progress(hall, kiosk, case.case_number, "00000000" if case.query_code != "00000000" else "11111111")


def test_a_kiosk_with_many_wrong_codes_slows_typing_but_never_shuts_for_an_hour(
        hall: Hall, clerk: Actor, clock: FakeClock) -> None:
    mine = register_visit(hall, clerk, form())
    other = Actor.kiosk("K02")
    _guess_many(hall, clerk, other, KIOSK_FAILURES)
    with pytest.raises(RuleViolation) as slowed:  # the next citizen, typing the right code: told it is the kiosk
        kiosk_progress(hall, other, mine.case_number, mine.query_code)
    message = slowed.value.message
    assert f"请在{_clock(clock() + KIOSK_FIRST_WAIT)}以后再试" in message
    assert "失败" not in message and "二维码" in message and "接待窗口" in message
    # the receipt's QR code is read off the paper, not guessed: it opens at once
    assert kiosk_progress(hall, other, mine.case_number, mine.query_code, scanned=True).state == "已登记"
    assert kiosk_progress(hall, KIOSK, mine.case_number, mine.query_code).state == "已登记"  # another kiosk
    # each further wrong code waits longer, never longer than the longest wait
    waits: list[timedelta] = []
    for _ in range(6):
        clock.advance(seconds=(waits[-1] if waits else KIOSK_FIRST_WAIT).total_seconds() + 1)
        _guess_many(hall, clerk, other, 1)
        with pytest.raises(RuleViolation, match="以后再试") as again:
            kiosk_progress(hall, other, mine.case_number, mine.query_code)
        at = again.value.message.split("请在")[1].split("以后")[0]
        hour, minute = (int(x) for x in at.split(":"))
        waits.append(clock().replace(hour=hour, minute=minute, second=0) - clock().replace(second=0))
    assert waits == sorted(waits) and waits[0] > KIOSK_FIRST_WAIT
    # (said to the minute, rounded up)
    assert all(w <= KIOSK_LONGEST_WAIT + timedelta(minutes=1) for w in waits) and waits[-1] >= KIOSK_LONGEST_WAIT
    clock.advance(seconds=KIOSK_LONGEST_WAIT.total_seconds() + 1)
    assert kiosk_progress(hall, other, mine.case_number, mine.query_code).state == "已登记"


def test_numbers_nothing_here_can_check_count_for_nothing(hall: Hall, clerk: Actor) -> None:
    mine = register_visit(hall, clerk, form())
    for n in range(KIOSK_FAILURES + CASE_FAILURES):  # unknown here, no server: no code was checked
        number = make_case_number(date(2026, 9, 16), "C09", n % 3 + 1)
        with pytest.raises(RuleViolation, match="本机没有这件事项的记录"):
            kiosk_progress(hall, KIOSK, number, "00000000")
    assert kiosk_progress(hall, KIOSK, mine.case_number, mine.query_code).state == "已登记"


def test_an_unknown_case_without_a_server_is_sent_to_the_counter(hall: Hall, clerk: Actor) -> None:
    elsewhere = register_visit(hall, clerk, form())
    unseen = make_case_number(date(2026, 9, 16), "C09", 1)
    with pytest.raises(RuleViolation) as refused:
        kiosk_progress(hall, KIOSK, unseen, elsewhere.query_code)
    assert refused.value.message == NO_SERVER


def test_rating_once_after_the_answer_and_dissatisfied_ones_reach_the_supervisors(
        hall: Hall, clerk: Actor, supervisor: Actor) -> None:
    waiting = register_visit(hall, clerk, form(name="李梅", id_number=valid_id(seq=456)))
    with pytest.raises(RuleViolation, match="办结答复后才能评价"):
        rate_case(hall, KIOSK, waiting.case_number, waiting.query_code, "满意")
    happy = _answered(hall, clerk, name="王芳", id_number=valid_id(seq=789))
    unhappy = _answered(hall, clerk)
    with pytest.raises(ValidationError, match="请选择"):
        rate_case(hall, KIOSK, happy.case_number, happy.query_code, "非常满意")
    with pytest.raises(ValidationError, match=r"^意见最多500字，现在501字，请删去1字"):
        rate_case(hall, KIOSK, happy.case_number, happy.query_code, "满意", "好" * 501)
    assert rate_case(hall, KIOSK, happy.case_number, happy.query_code, "基本满意").rating == "基本满意"
    with pytest.raises(RuleViolation, match="已经评价过"):
        rate_case(hall, KIOSK, happy.case_number, happy.query_code, "不满意")
    rated = rate_case(hall, KIOSK, unhappy.case_number, unhappy.query_code, "不满意", "  没有回应诉求 ")
    assert rated.rating == "不满意" and not rated.can_rate and rated.steps[-1].text == "您已评价：不满意"
    (listed,) = dissatisfied_cases(hall, supervisor)
    assert (listed.case_number, listed.petitioner, listed.reason, listed.organisation) == (
        unhappy.case_number, "张**", "没有回应诉求", "浦江县住房和城乡建设局")
    with pytest.raises(PermissionDenied):
        dissatisfied_cases(hall, KIOSK)


def test_the_exit_pin_is_an_argon2id_hash_of_a_hard_enough_pin() -> None:
    assert pin_problems("123456") and pin_problems("654321") and pin_problems("111111")
    assert pin_problems("12a456") and pin_problems("12345") and not pin_problems("720415")
    hashed = hash_pin("720415")
    assert hashed.startswith("$argon2id$") and "720415" not in hashed
    assert pin_matches(hashed, "720415") and not pin_matches(hashed, "720416")
    assert not pin_matches("", "720415") and not pin_matches("$argon2id$broken", "720415")
    with pytest.raises(ValidationError, match="连续"):
        hash_pin("234567")


def test_nobody_born_after_today_is_registered(sqlite_hall: Hall, clerk: Actor) -> None:
    """The hall's own today (16 September 2026 here) bounds the birth date, at the kiosk and the counter alike."""
    from desktop.services.lookup import find_cases

    tomorrow = valid_id(birth=date(2026, 9, 17), seq=77)
    for actor in (KIOSK, clerk):
        with pytest.raises(ValidationError, match="出生日期2026年9月17日晚于今天"):
            register_visit(sqlite_hall, actor, form(name="钱未生", id_number=tomorrow))
    assert find_cases(sqlite_hall, clerk, "钱未生") == []
    today = valid_id(birth=date(2026, 9, 16), seq=78)  # today itself is not after today
    assert register_visit(sqlite_hall, KIOSK, form(name="钱今生", id_number=today)).case_number


def test_a_routed_case_says_who_must_answer_by_when_and_each_step_on_its_own_day(
        hall: Hall, clerk: Actor, clock: FakeClock) -> None:
    """A transfer entered late, an assignment with its 交办期限, the unit's answer and a review: the citizen reads
    who is to do what by which day, and each step on the day it happened, not the day a clerk typed it."""
    def registered(seq: int) -> RegistrationResult:
        result = register_visit(hall, clerk, form(name="赵孟𫖯", id_number=valid_id(seq=seq)))
        cases.classify(hall, clerk, result.case_number, nature="申诉求决类", topic_code="0101")
        return result

    transferred, assigned, answered = registered(601), registered(602), registered(603)
    clock.advance(days=30)  # the transfer made on 10月14日 is entered on 10月16日
    cases.record(hall, clerk, transferred.case_number, EventType.TRANSFERRED,
                 {"route_kind": "转送", "organisation_code": "330726-ZJJ", "routed_on": "2026-10-14"})
    progress = kiosk_progress(hall, KIOSK, transferred.case_number, transferred.query_code)
    assert progress.petitioner == "赵**" and progress.state == "已转送"
    assert progress.due_words == "浦江县住房和城乡建设局应在2026年10月29日前决定是否受理，并书面告知您"
    assert [(s.on, s.text) for s in progress.steps] == [
        (date(2026, 9, 16), "您的信访事项已登记"), (date(2026, 10, 14), "已转送浦江县住房和城乡建设局处理")]

    cases.record(hall, clerk, assigned.case_number, EventType.ASSIGNED,
                 {"route_kind": "交办", "organisation_code": "330726-ZJJ", "due": "2026-10-20"})
    progress = kiosk_progress(hall, KIOSK, assigned.case_number, assigned.query_code)
    assert progress.due_words == "浦江县住房和城乡建设局应在2026年10月20日前办结（交办期限）"

    cases.record(hall, clerk, answered.case_number, EventType.TRANSFERRED,
                 {"route_kind": "转送", "organisation_code": "330726-ZJJ"})
    cases.accept(hall, clerk, answered.case_number, accepted_on=date(2026, 10, 16))
    assert kiosk_progress(hall, KIOSK, answered.case_number, answered.query_code).due_words == \
        "应在2026年12月15日前办结并书面答复您"
    cases.answer(hall, clerk, answered.case_number, outcome="予以支持", answered_on=date(2026, 10, 18))
    cases.deliver(hall, clerk, answered.case_number, delivered_on=date(2026, 10, 18))
    concluded = kiosk_progress(hall, KIOSK, answered.case_number, answered.query_code)
    assert concluded.next_due is None and concluded.due_words == ""
    assert "如对处理意见不服，可以在 2026年11月17日 前向上一级机关申请复查" in concluded.can_do
    cases.request_review(hall, clerk, answered.case_number, requested_on=date(2026, 10, 19))
    review = kiosk_progress(hall, KIOSK, answered.case_number, answered.query_code)
    assert review.due_words == "复查机关应在2026年11月18日前作出复查意见"
    assert [s.on for s in review.steps][-3:] == [date(2026, 10, 18), date(2026, 10, 18), date(2026, 10, 19)]


def test_the_example_number_the_kiosk_shows_is_itself_a_valid_number() -> None:
    """A citizen who types the example (its placeholder, the message) was told the example's own format is wrong."""
    import re

    from desktop.domain.numbering import case_number_candidates
    from desktop.services.self_service import BAD_NUMBER

    (example,) = re.findall(r"XF-[\dA-Z-]+", BAD_NUMBER)
    assert [c.text for c in case_number_candidates(example)] == [example]


def test_a_web_address_is_no_name_at_registration(hall: Hall, clerk: Actor) -> None:
    with pytest.raises(ValidationError, match="信访人姓名栏里是一个网址"):
        register_visit(hall, clerk, form(name="https://u.wechat.com/EKx3abcDEF?scene=1"))
    assert register_visit(hall, clerk, form(name="赵孟𫖯")).case_number


def test_a_last_day_in_a_year_not_yet_scheduled_says_it_may_still_move(hall: Hall, clerk: Actor,
                                                                      clock: FakeClock) -> None:
    """Answered in December: the 30 days to ask for review end in 2027, whose 调休 is not published yet. The kiosk
    gave the day as certain; a holiday at its end moves it."""
    from datetime import datetime

    assert not hall.policy.calendar.knows_year(2027)
    clock.current = datetime(2026, 12, 10, 10, 0)
    result = register_visit(hall, clerk, form())
    ref = result.case_number
    cases.classify(hall, clerk, ref, nature="申诉求决类", topic_code="0101")
    cases.accept(hall, clerk, ref, accepted_on=date(2026, 12, 10))
    cases.answer(hall, clerk, ref, outcome="不予支持", answered_on=date(2026, 12, 10))
    cases.deliver(hall, clerk, ref, delivered_on=date(2026, 12, 10))
    progress = kiosk_progress(hall, KIOSK, ref, result.query_code)
    (line,) = [line for line in progress.can_do if "申请复查" in line]
    assert line.startswith("如对处理意见不服，可以在 2027年1月") and line.endswith("前向上一级机关申请复查"
                                                                   "（2027年节假日安排公布后，遇节假日可能顺延）")


@pytest.mark.parametrize(("today", "open_"), [(date(2026, 10, 15), True), (date(2026, 10, 16), True),
                                              (date(2026, 10, 17), False), (date(2028, 9, 22), False)])
def test_the_review_window_is_said_as_of_the_day_asked(hall: Hall, clerk: Actor, clock: FakeClock,
                                                       today: date, open_: bool) -> None:
    """Delivered on 16 September: 复查 may be asked for until 16 October (the last day included). Two years on the
    status still promised 30 days; now the kiosk and the public page say until which day, or that it has passed."""
    from datetime import datetime

    from desktop.services.progress import citizen_progress

    result = _answered(hall, clerk)
    clock.current = datetime.combine(today, datetime.min.time()).replace(hour=10)
    progress = kiosk_progress(hall, KIOSK, result.case_number, result.query_code)
    web = citizen_progress(hall, KIOSK, result.case_number, result.query_code)
    offer = "如对处理意见不服，可以在 2026年10月16日 前向上一级机关申请复查"
    passed = "申请复查的期限（收到处理意见之日起30日）已于2026年10月16日届满"
    if open_:
        assert offer in progress.can_do and progress.next_step == "已出具处理意见：不予支持"
        assert web.next_step == f"已出具处理意见：不予支持；{offer}" and progress.review == offer
    else:
        assert not any("申请复查" in line for line in progress.can_do)
        assert "如有疑问，可以到接待窗口咨询" in progress.can_do
        assert progress.next_step == web.next_step == f"已出具处理意见：不予支持；{passed}"
        assert progress.review == passed
    assert "30日内申请复查" not in progress.next_step + web.next_step


def test_after_a_review_opinion_the_rereview_window_follows_its_own_delivery(hall: Hall, clerk: Actor,
                                                                            clock: FakeClock) -> None:
    from datetime import datetime

    result = _answered(hall, clerk)
    ref = result.case_number
    cases.request_review(hall, clerk, ref, requested_on=date(2026, 10, 9))
    cases.answer(hall, clerk, ref, outcome="不予支持", answered_on=date(2026, 11, 2),
                 event_type=EventType.REVIEW_ANSWERED)
    undelivered = kiosk_progress(hall, KIOSK, ref, result.query_code)
    assert undelivered.review == "复查意见书送达后30日内，如不服可以向上一级机关申请复核"
    cases.deliver(hall, clerk, ref, delivered_on=date(2026, 11, 3))
    clock.current = datetime(2026, 12, 3, 9, 0)
    within = kiosk_progress(hall, KIOSK, ref, result.query_code)
    assert "如对复查意见不服，可以在 2026年12月3日 前向上一级机关申请复核" in within.can_do
    clock.current = datetime(2026, 12, 4, 9, 0)
    after = kiosk_progress(hall, KIOSK, ref, result.query_code)
    assert after.next_step == "已出具复查意见：不予支持；申请复核的期限（收到复查意见之日起30日）已于2026年12月3日届满"
    assert not any("申请复核" in line for line in after.can_do)


def test_a_rated_case_says_how_and_when_it_was_rated(hall: Hall, clerk: Actor, clock: FakeClock) -> None:
    from datetime import datetime

    result = _answered(hall, clerk)
    clock.current = datetime(2026, 9, 18, 15, 0)
    rate_case(hall, KIOSK, result.case_number, result.query_code, "满意")
    clock.current = datetime(2026, 9, 20, 9, 0)
    later = kiosk_progress(hall, KIOSK, result.case_number, result.query_code)
    assert not later.can_rate and "您已评价（满意，9月18日）" in later.can_do


@pytest.mark.parametrize("outcome", ["予以支持", "解释说明", "不予支持"])
def test_the_decision_is_said_after_the_answer_and_each_opinion(hall: Hall, clerk: Actor, outcome: str) -> None:
    """After 答复 the kiosk said only 已出具处理意见: the citizen with the receipt did not learn the decision."""
    from desktop.services.progress import citizen_progress
    from server.public import progress_json

    result = register_visit(hall, clerk, form())
    ref, code = result.case_number, result.query_code
    cases.classify(hall, clerk, ref, nature="申诉求决类", topic_code="0101")
    cases.accept(hall, clerk, ref, accepted_on=date(2026, 9, 16))
    waiting = kiosk_progress(hall, KIOSK, ref, code)
    assert "处理意见" not in waiting.next_step  # nothing decided yet
    cases.answer(hall, clerk, ref, outcome=outcome, answered_on=date(2026, 9, 16))
    answered = kiosk_progress(hall, KIOSK, ref, code)
    assert answered.next_step == f"已出具处理意见：{outcome}"
    assert f"已作出处理意见：{outcome}" in [s.text for s in answered.steps]
    # the public page and the server's answer to another hall's kiosk say it too
    web = progress_json(citizen_progress(hall, KIOSK, ref, code))["next_step"]
    assert web is not None and web.startswith(f"已出具处理意见：{outcome}；")
    cases.deliver(hall, clerk, ref, delivered_on=date(2026, 9, 16))
    cases.request_review(hall, clerk, ref, requested_on=date(2026, 9, 20))
    assert kiosk_progress(hall, KIOSK, ref, code).next_step == "正在复查"  # the first decision stands in the steps
    cases.answer(hall, clerk, ref, outcome="不予支持", answered_on=date(2026, 10, 9),
                 event_type=EventType.REVIEW_ANSWERED)
    reviewed = kiosk_progress(hall, KIOSK, ref, code)
    assert reviewed.next_step == "已出具复查意见：不予支持"
    assert [s.text for s in reviewed.steps][-4:] == [f"已作出处理意见：{outcome}", "处理意见书已送达",
                                                      "已收到您的复查申请", "已作出复查意见：不予支持"]


def test_a_refusal_says_its_reason_and_route_in_plain_words_masked(hall: Hall, clerk: Actor) -> None:
    from desktop.domain.masking import kiosk_payload

    result = register_visit(hall, clerk, form())
    refusal = {"reason": "该事项已由浦江县人民法院受理（联系人13857912345），属于诉讼程序。",
               "channel": "请向浦江县人民法院了解案件进展"}
    cases.record(hall, clerk, result.case_number, EventType.NOT_ACCEPTED, refusal)
    said = kiosk_progress(hall, KIOSK, result.case_number, result.query_code).next_step
    assert said.startswith("理由：该事项已由浦江县人民法院受理") and "属于诉讼程序。" in said
    assert "13857912345" not in said and "138****2345" in said  # a number written into the reason is masked
    assert "您可以向浦江县人民法院了解案件进展。" in said and "请查看告知书所述" not in said
    # the server sends a kiosk the same words, masked alike
    sent = kiosk_payload(EventType.NOT_ACCEPTED.value, {**refusal, "note": "内部意见"})
    assert sent["channel"] == refusal["channel"] and "138****2345" in sent["reason"] and "note" not in sent
    only_reason = register_visit(hall, clerk, form(name="李梅", id_number=valid_id(seq=31)))
    cases.record(hall, clerk, only_reason.case_number, EventType.NOT_ACCEPTED, {"reason": "已在法定期限内办理中"})
    said = kiosk_progress(hall, KIOSK, only_reason.case_number, only_reason.query_code).next_step
    assert said.startswith("理由：已在法定期限内办理中。") and "接待窗口" in said


def test_the_public_page_says_a_refusal_as_the_kiosk_does(hall: Hall, clerk: Actor) -> None:
    """The progress a citizen reads on the web (and the documents' check of the code) gives the same reason and
    route as the kiosk, masked alike; the route's own 你也可以/可依法 is not said twice."""
    from desktop.services.progress import citizen_progress

    result = register_visit(hall, clerk, form(name="周小平", id_number=valid_id(seq=47)))
    cases.record(hall, clerk, result.case_number, EventType.NOT_ACCEPTED,
                 {"reason": "已经过复核终结（联系电话13857912345）", "channel": "你也可以依法向人民法院提起行政诉讼"})
    web = citizen_progress(hall, KIOSK, result.case_number, result.query_code).next_step
    assert web == kiosk_progress(hall, KIOSK, result.case_number, result.query_code).next_step
    assert web.startswith("理由：已经过复核终结（联系电话138****2345）。")
    assert web.endswith("您可以依法向人民法院提起行政诉讼。") and "请查看告知书所述" not in web
