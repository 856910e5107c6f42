"""The indicator definitions over counts."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain.indicators import (
    IndicatorCounts,
    answered_on_time,
    decided_on_time,
    format_rate,
    is_group_visit,
    is_satisfied,
    on_time_answer_rate,
    participation_rate,
    rate,
    repeat_visit_rate,
    satisfaction_rate,
    timely_acceptance_rate,
)

RATES = (repeat_visit_rate, timely_acceptance_rate, on_time_answer_rate, participation_rate, satisfaction_rate)


@st.composite
def part_of(draw: st.DrawFn) -> tuple[int, int]:
    whole = draw(st.integers(0, 10**7))
    return draw(st.integers(0, whole)), whole


@given(part_of())
def test_rates_lie_in_zero_one_and_are_none_exactly_without_denominator(counts: tuple[int, int]) -> None:
    numerator, denominator = counts
    for figure in RATES:
        value = figure(numerator, denominator)
        assert (value is None) == (denominator == 0)
        if value is not None:
            assert 0.0 <= value <= 1.0


def test_zero_denominator_is_no_figure_not_zero_or_hundred() -> None:
    assert rate(0, 0) is None
    assert format_rate(None) == "—"
    assert format_rate(rate(0, 5)) == "0.0%"
    assert format_rate(rate(5, 5)) == "100.0%"
    assert format_rate(rate(187, 200)) == "93.5%"


@pytest.mark.parametrize(("numerator", "denominator", "message"), [
    (-1, 3, "^counts cannot be negative$"), (0, -1, "^counts cannot be negative$"),
    (4, 3, "^numerator 4 exceeds denominator 3$")])
def test_impossible_counts_are_refused(numerator: int, denominator: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rate(numerator, denominator)


def test_limits_include_their_last_day() -> None:
    due = date(2026, 10, 8)
    assert decided_on_time(due, due) and not decided_on_time(due + timedelta(days=1), due)
    assert not decided_on_time(None, due) and not decided_on_time(due, None)
    assert answered_on_time(due - timedelta(days=30), due) and not answered_on_time(due + timedelta(days=1), due)
    assert not answered_on_time(None, due)


def test_group_visits_and_satisfied_ratings() -> None:
    assert not is_group_visit(4) and is_group_visit(5) and is_group_visit(60)
    assert is_satisfied("满意") and is_satisfied("基本满意")
    assert not is_satisfied("不满意") and not is_satisfied("")


counts_strategy = st.builds(IndicatorCounts, **{f.name: st.integers(0, 10**6) for f in fields(IndicatorCounts)})


@given(st.lists(counts_strategy, max_size=12))
def test_totals_add_field_by_field(months: list[IndicatorCounts]) -> None:
    total = sum(months, IndicatorCounts())
    for f in fields(IndicatorCounts):
        assert getattr(total, f.name) == sum(getattr(m, f.name) for m in months)


def test_counts_give_their_rates() -> None:
    march = IndicatorCounts(batches=4, persons=9, first_visits=3, repeat_visits=1, accepted=3,
                            decisions_due=4, decided_on_time=3, answered=2, answered_on_time=1,
                            rated=2, satisfied=1)
    assert march.repeat_visit_rate == 0.25
    assert march.timely_acceptance_rate == 0.75
    assert march.on_time_answer_rate == 0.5
    assert march.participation_rate == 1.0
    assert march.satisfaction_rate == 0.5
    quiet = IndicatorCounts()
    assert [quiet.repeat_visit_rate, quiet.timely_acceptance_rate, quiet.on_time_answer_rate,
            quiet.participation_rate, quiet.satisfaction_rate] == [None] * 5
