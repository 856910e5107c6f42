"""First or repeat visit: the similarity threshold, the same-topic allowance, art. 36 finality."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain import repeats
from desktop.domain.errors import RuleViolation
from desktop.domain.repeats import (
    SAME_MATTER_SCORE,
    EarlierCase,
    VisitKind,
    assess_repeat,
    matter_similarity,
    refuse_if_final,
)

REQUEST = "反映浦阳街道某小区物业长期不履行电梯维修义务，要求尽快维修"


def _earlier(case_id: str = "c1", topic: str = "0101", request: str = REQUEST, *, final: bool = False,
             received: date = date(2026, 3, 1)) -> EarlierCase:
    return EarlierCase(case_id=case_id, case_number=f"XF-{case_id}", received_on=received, topic_code=topic,
                       request=request, state="已终结" if final else "已受理", concluded_by_rereview=final)


@pytest.fixture
def scored(monkeypatch: pytest.MonkeyPatch) -> dict[str, float]:
    """Similarity fixed per earlier request text, so each boundary is met exactly."""
    scores: dict[str, float] = {}
    monkeypatch.setattr(repeats, "matter_similarity", lambda new, old: scores[old])
    return scores


def test_the_default_threshold_is_72_and_a_setting_can_move_it() -> None:
    assert SAME_MATTER_SCORE == 72.0
    a, b = "反映小区物业不修电梯", "反映学校食堂卫生差"
    score = matter_similarity(a, b)
    assert assess_repeat(a, "", [_earlier(request=b)], threshold=score).kind is VisitKind.REPEAT
    assert assess_repeat(a, "", [_earlier(request=b)], threshold=score + 0.01).kind is VisitKind.FIRST


@pytest.mark.parametrize(("score", "same_topic", "kind"), [
    (72.0, False, VisitKind.REPEAT),  # exactly the threshold is the same matter
    (71.99, False, VisitKind.FIRST),
    (100.0, False, VisitKind.REPEAT),
    (71.99, True, VisitKind.REPEAT),  # the same topic lowers the bar by 15
    (57.0, True, VisitKind.REPEAT),  # exactly the lowered bar
    (56.99, True, VisitKind.FIRST),
    (57.0, False, VisitKind.FIRST),  # the allowance needs the same topic
])
def test_threshold_and_same_topic_allowance(scored: dict[str, float], score: float, same_topic: bool,
                                            kind: VisitKind) -> None:
    scored["earlier"] = score
    earlier = _earlier(topic="0101" if same_topic else "0305", request="earlier")
    result = assess_repeat("new", "0101", [earlier])
    assert result.kind is kind
    if kind is VisitKind.REPEAT:
        assert result.matches == ((earlier, score),) and result.linked_case_ids == ("c1",)
        assert result.message == "重复访：与此前事项XF-c1为同一事项" and not result.refused
    else:
        assert result.matches == () and result.message == "初访" and result.final_case is None


def test_a_new_matter_without_a_topic_gets_no_allowance(scored: dict[str, float]) -> None:
    scored["earlier"] = 60.0
    assert assess_repeat("new", "", [_earlier(topic="", request="earlier")]).kind is VisitKind.FIRST


def test_a_setting_moves_both_bars(scored: dict[str, float]) -> None:
    scored["a"], scored["b"] = 80.0, 64.99
    earlier = [_earlier("a", topic="0305", request="a"), _earlier("b", topic="0101", request="b")]
    assert assess_repeat("new", "0101", earlier, threshold=80.0).linked_case_ids == ("a",)
    assert assess_repeat("new", "0101", earlier, threshold=79.99).linked_case_ids == ("a", "b")


def test_matches_come_best_first_then_oldest(scored: dict[str, float]) -> None:
    scored.update({"x": 75.0, "y": 90.0, "z": 75.0, "v": 73.0, "w": 10.0})
    earlier = [_earlier("x", request="x", received=date(2026, 5, 1)),
               _earlier("y", request="y", received=date(2026, 6, 1)),
               _earlier("z", request="z", received=date(2026, 4, 1)),
               _earlier("v", request="v"),
               _earlier("w", request="w")]
    result = assess_repeat("new", "0101", earlier)
    assert result.linked_case_ids == ("y", "z", "x", "v")
    assert result.message == "重复访：与此前事项XF-y、XF-z、XF-x为同一事项"  # the best three are named


def test_a_matter_through_rereview_is_refused_naming_the_case(scored: dict[str, float]) -> None:
    scored.update({"open": 95.0, "done": 80.0})
    earlier = [_earlier("open", request="open"), _earlier("done", request="done", final=True)]
    result = assess_repeat("new", "0101", earlier)
    assert result.refused and result.final_case is earlier[1] and result.kind is VisitKind.REPEAT
    assert result.matches == ((earlier[0], 95.0), (earlier[1], 80.0))
    assert result.message == ("该信访人就同一事实和理由提出的请求已于事项XF-done中经复核终结，"
                              "依照《信访工作条例》第三十六条不再受理")
    with pytest.raises(RuleViolation, match="第三十六条") as refusal:
        refuse_if_final(result)
    assert refusal.value.code == "final_after_rereview"
    scored["done"] = 56.0  # a different matter of the same person is not barred
    assert not assess_repeat("new", "0101", earlier).refused


def test_refuse_if_final_lets_other_visits_through() -> None:
    refuse_if_final(assess_repeat(REQUEST, "0101", []))
    refuse_if_final(assess_repeat(REQUEST, "0101", [_earlier()]))


def test_similarity_ignores_punctuation_padding_and_word_order() -> None:
    assert matter_similarity(REQUEST, REQUEST) == 100.0
    assert matter_similarity(REQUEST, f"  {REQUEST}！！") == 100.0
    assert matter_similarity("电梯 维修 物业", "物业 电梯 维修") == 100.0
    assert matter_similarity("", REQUEST) == 0.0 and matter_similarity("，。！", REQUEST) == 0.0
    assert matter_similarity(REQUEST, "反映孩子就近入学申请未获批准") < 57.0
    # the better of two measures: characters in order, and the characters used in either
    assert matter_similarity("电梯维修", "电梯维护") == pytest.approx(600 / 7)  # the shared characters
    assert matter_similarity("漏水维修维修维修三楼", "电梯维修维修维修") == pytest.approx(200 / 3)  # their order
    assert matter_similarity(REQUEST, "再次" + REQUEST) >= SAME_MATTER_SCORE


def _case(case_id: str, topic: str, state: str) -> EarlierCase:
    return EarlierCase(case_id=case_id, case_number=f"XF-{case_id}", received_on=date(2026, 3, 1), topic_code=topic,
                       request=REQUEST, state=state, concluded_by_rereview=False)


@pytest.mark.parametrize("request_text", ["", "   ", "，。"])
def test_no_verdict_before_the_request_is_typed_only_what_is_known(request_text: str) -> None:
    earlier = [_case("c1", "0101", "已转送"), _case("c2", "0101", "已答复"), _case("c3", "0202", "办理中")]
    waiting = assess_repeat(request_text, "0101", earlier)
    assert not waiting.decided and waiting.matches == () and "初访" not in waiting.message
    assert waiting.message == "此人此前有 3 件事项，其中 2 件同类，1 件仍在办理中；填写诉求后判断是否同一事项"
    assert assess_repeat(request_text, "0101", earlier[:1]).message == (
        "此人此前有 1 件事项，其中 1 件同类且仍在办理中；填写诉求后判断是否同一事项")
    assert assess_repeat(request_text, "0101", earlier[1:2]).message.endswith(
        "其中 1 件同类，均已办结；填写诉求后判断是否同一事项")
    assert "没有同类事项" in assess_repeat(request_text, "0909", earlier).message
    no_topic = assess_repeat(request_text, "", earlier)
    assert no_topic.message == "此人此前有 3 件事项（2 件仍在办理中）；选择内容分类、填写诉求后判断是否同一事项"
    # nobody earlier: a first visit, whatever is typed
    nobody = assess_repeat(request_text, "0101", [])
    assert nobody.decided and nobody.kind is VisitKind.FIRST
    # once the request is typed, the verdict
    typed = assess_repeat(REQUEST, "0101", earlier)
    assert typed.decided and typed.kind is VisitKind.REPEAT
