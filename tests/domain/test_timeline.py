"""A case's events in words (the case view and the leader's dossier read the same code)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from desktop.domain.calendar import date_in_words
from desktop.domain.case import CHINA_STANDARD_TIME
from desktop.domain.events import Event, EventType
from desktop.domain.hlc import Hlc
from desktop.domain.timeline import event_in_words

UNITS = {"330726-RSJ": "浦江县人力资源和社会保障局", "330726-ZJJ": "浦江县住房和城乡建设局"}
RECORDED = datetime(2026, 12, 6, 13, 40, tzinfo=CHINA_STANDARD_TIME)


def _event(kind: EventType, **payload: object) -> Event:
    hlc = str(Hlc(int(RECORDED.timestamp() * 1000), 0, "d1"))
    return Event("e1", "c1", "d1", "staff:lingdao1", hlc, kind, payload)


def _words(event: Event, recorded_by: str = "", **kwargs: object) -> str:
    return event_in_words(event, lambda code: UNITS.get(code, ""), lambda d: date_in_words(d, year=False),
                          full=True, recorded_by=recorded_by, **kwargs)  # type: ignore[arg-type]


def test_a_leaders_step_recorded_by_someone_else_names_the_leader() -> None:
    said = _event(EventType.INSTRUCTED, leader="陈志远", text="限期解决", decision="包案化解")
    assert _words(said, "陈志远（接访领导）") == "限期解决；决定：包案化解"
    assert _words(said, "王丽（接待窗口工作人员）") == "陈志远批示：限期解决；决定：包案化解"
    taken = _event(EventType.LEADER_TAKEN, leader="陈志远", unit="旧名", unit_codes=["330726-RSJ", "330726-ZJJ"],
                   due="2026-12-17", note="原单位逾期")
    assert _words(taken, "李明（接访领导）") == (
        "包案领导陈志远，责任单位浦江县人力资源和社会保障局、浦江县住房和城乡建设局，12月17日前办结，改派理由：原单位逾期")


def test_a_transfer_says_its_unit_its_paper_day_and_the_units_limit() -> None:
    same_day = _event(EventType.TRANSFERRED, organisation_code="330726-ZJJ", routed_on="2026-12-06")
    notify = _words(same_day, notify_due=lambda d: d + timedelta(days=15))
    assert notify == "浦江县住房和城乡建设局，12月21日前告知是否受理"
    on_paper = _event(EventType.ASSIGNED, organisation_code="330726-ZJJ", routed_on="2026-12-04", due="2027-01-08")
    assert _words(on_paper) == "浦江县住房和城乡建设局（12月4日交办），1月8日前办结并报送结果"
    unknown = _event(EventType.TRANSFERRED, organisation_code="999", routed_on="2026-12-06")
    assert _words(unknown) == "有关单位"  # never a code


def test_the_dossiers_short_line_is_unchanged() -> None:
    taken = _event(EventType.LEADER_TAKEN, leader="陈志远", unit="浦江县人力资源和社会保障局", due="2027-01-11")
    short = event_in_words(taken, lambda code: UNITS.get(code, ""), lambda d: f"{d.year}年{d.month}月{d.day}日")
    assert short == "浦江县人力资源和社会保障局（期限2027年1月11日）"
    assert date(2027, 1, 11).isoformat() not in short


def test_an_answer_says_its_decision_before_its_main_points() -> None:
    """The counter's line read "答复 王丽" alone: whether the request was supported was nowhere on it."""
    answered = _event(EventType.ANSWERED, outcome="不予支持", answered_on="2026-12-06")
    assert _words(answered, "王丽（接待窗口工作人员）") == "处理意见：不予支持"
    with_points = _event(EventType.ANSWERED, outcome="予以支持", answered_on="2026-12-06",
                         text="责成物业一周内修复电梯")
    assert _words(with_points) == "处理意见：予以支持；责成物业一周内修复电梯"
    review = _event(EventType.REVIEW_ANSWERED, outcome="解释说明", answered_on="2026-12-06")
    assert _words(review) == "复查意见：解释说明"
    rereview = _event(EventType.REREVIEW_ANSWERED, outcome="不予支持", answered_on="2026-12-06")
    short = event_in_words(rereview, lambda code: UNITS.get(code, ""), lambda d: f"{d.month}月{d.day}日")
    assert short == "复核意见：不予支持"
    assert _words(_event(EventType.ACCEPTED, accepted_on="2026-12-06")) == ""  # other steps as they were


def test_a_rating_says_its_level_before_the_citizens_words() -> None:
    """The counter's line read "评价 K01号自助终端 工资没有拿到": satisfied or not, nowhere on it."""
    for level in ("满意", "基本满意", "不满意"):
        with_words = _event(EventType.RATED, rating=level, target="信访部门", comment="工资没有拿到")
        assert _words(with_words, "K01号自助终端") == f"{level}：工资没有拿到"
        short = event_in_words(with_words, lambda code: "", lambda d: str(d))  # the leader's dossier
        assert short == f"{level}：工资没有拿到"
        assert _words(_event(EventType.RATED, rating=level, target="信访部门")) == level
