"""办事指南's time limits come from the deadline rules and follow the hall's day counting."""

from __future__ import annotations

from desktop.domain.deadlines import HANDLE, NOTIFY, OBJECT_TRANSFER, DayCounting
from desktop.domain.guide import limit_words, time_limits


def test_calendar_days_read_as_days() -> None:
    text = time_limits(DayCounting.CALENDAR)
    assert f"{NOTIFY.days}日内书面告知是否受理" in text and f"受理之日起{HANDLE.days}日内办结" in text
    assert "工作日计算" not in text and "按自然日计算" in text


def test_working_days_are_said_as_working_days_everywhere() -> None:
    text = time_limits(DayCounting.WORKING)
    assert "15个工作日内书面告知是否受理" in text and "受理之日起60个工作日内办结" in text
    assert "最多再延长30个工作日" in text and "复核机关30个工作日内答复" in text
    plain_days = [part for part in text.split("日") if part.endswith(("15", "30", "60"))]
    assert plain_days == []  # no “15日” left over anywhere
    assert "按工作日计算" in text


def test_a_rule_with_its_own_counting_keeps_it() -> None:
    assert limit_words(OBJECT_TRANSFER, DayCounting.CALENDAR) == "5个工作日"
