"""People's suggestions: their own numbered records, themes that close, answer, adoption and award."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.roles import PermissionDenied
from desktop.services.context import Actor, Hall
from desktop.services.suggestions import (
    FREE_THEME,
    answer_suggestion,
    award_suggestion,
    list_suggestions,
    open_themes,
    publish_theme,
    submit_suggestion,
)
from tests.conftest import FakeClock

KIOSK = Actor.kiosk("K01")


def test_a_suggestion_on_a_theme_and_a_free_one_get_numbers_of_their_own(
        hall: Hall, clerk: Actor, supervisor: Actor, clock: FakeClock) -> None:
    theme = publish_theme(hall, supervisor, title="老旧小区加装电梯", description="欢迎提出意见建议",
                          closes_on=date(2026, 9, 30))
    assert [t.title for t in open_themes(hall, KIOSK)] == ["老旧小区加装电梯"]
    first = submit_suggestion(hall, KIOSK, content="建议按楼栋征求意见，费用分摊公开透明", theme_code=theme.code,
                              name="王芳", phone="13857912345")
    second = submit_suggestion(hall, KIOSK, content="建议在大厅增加老年人休息座椅", anonymous=True,
                               name="不该留下", phone="13800000000")
    assert first.number == "JY-20260916-C01-0001" and second.number == "JY-20260916-C01-0002"
    assert first.theme == "老旧小区加装电梯" and second.theme == FREE_THEME
    listed = {s.number: s for s in list_suggestions(hall, clerk)}
    assert listed[first.number].name == "王*" and listed[first.number].phone == "138****2345"
    assert listed[second.number].anonymous and listed[second.number].name == "" and listed[second.number].phone == ""
    clock.advance(days=15)  # 1 October: the theme has closed
    assert open_themes(hall, KIOSK) == []
    with pytest.raises(RuleViolation, match="截止"):
        submit_suggestion(hall, KIOSK, content="再提一条关于电梯的建议内容", theme_code=theme.code, anonymous=True)


def test_bad_input_is_refused_in_words(hall: Hall) -> None:
    for kwargs, words in (({"content": ""}, "请填写"), ({"content": "太短"}, "太短"),
                          ({"content": "好" * 3001}, "最多3000字，现在3001字，请删去1字"),
                          ({"content": "建议内容足够长了吧这里"}, "姓名"),
                          ({"content": "建议内容足够长了吧这里", "name": "王芳", "phone": "12"}, "号"),
                          ({"content": "建议内容\x07足够长了吧这里", "anonymous": True}, "无法显示"),
                          # a chat's QR code scanned into the name field
                          ({"content": "建议内容足够长了吧这里", "name": "https://u.wechat.com/EKx3"}, "网址")):
        with pytest.raises(ValidationError, match=words):
            submit_suggestion(hall, KIOSK, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(RuleViolation, match="没有这个征集主题"):
        submit_suggestion(hall, KIOSK, content="建议内容足够长了吧这里", theme_code="nope", anonymous=True)


def test_answer_adoption_and_award(hall: Hall, clerk: Actor, supervisor: Actor) -> None:
    named = submit_suggestion(hall, KIOSK, content="建议延长周六上午的接待时间", name="李军")
    anonymous = submit_suggestion(hall, KIOSK, content="建议大厅提供老花镜和放大镜", anonymous=True)
    with pytest.raises(RuleViolation, match="被采纳"):
        award_suggestion(hall, supervisor, named.number, award="荣誉证书")
    with pytest.raises(ValidationError, match="采纳情况"):
        answer_suggestion(hall, clerk, named.number, answer="感谢", adoption="很好")
    answered = answer_suggestion(hall, clerk, named.number, answer="已研究，自下月起试行", adoption="采纳")
    assert answered.adoption == "采纳" and answered.answered_on == date(2026, 9, 16)
    with pytest.raises(PermissionDenied):
        award_suggestion(hall, clerk, named.number, award="荣誉证书")
    assert award_suggestion(hall, supervisor, named.number, award="荣誉证书").award == "荣誉证书"
    answer_suggestion(hall, clerk, anonymous.number, answer="已配备", adoption="采纳")
    with pytest.raises(RuleViolation, match="匿名"):
        award_suggestion(hall, supervisor, anonymous.number, award="荣誉证书")
    with pytest.raises(PermissionDenied):
        list_suggestions(hall, KIOSK)
    with pytest.raises(RuleViolation, match="没有编号"):
        answer_suggestion(hall, clerk, "JY-20260916-C01-9999", answer="感谢")


def test_the_keyboards_full_width_period_is_kept_as_a_chinese_full_stop(hall: Hall, clerk: Actor) -> None:
    """The on-screen keyboard's full-stop key writes "．": the suggestion keeps "。" where a sentence ends, a number
    keeps its point."""
    done = submit_suggestion(hall, KIOSK, content="建议大厅增设老花镜．费用约0．5万元．", anonymous=True)
    (listed,) = [s for s in list_suggestions(hall, clerk) if s.number == done.number]
    assert listed.content == "建议大厅增设老花镜。费用约0.5万元。"
