"""Password policy and lockout."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain.errors import ValidationError
from desktop.domain.passwords import LockoutPolicy, check_password, locked, password_problems


@pytest.mark.parametrize("password", ["Xinfang#2026", "huang.Li-77", "接待大厅Ab12", "Qz9!Qz9!"])
def test_good_passwords(password: str) -> None:
    assert password_problems(password, login="wangli", display_name="王丽") == []


@pytest.mark.parametrize(("password", "problem"), [
    ("Ab1!", "长度至少8位"),
    ("abcdefgh1", "至少三类"),
    ("ABCDEFGH", "至少三类"),
    ("12345678", "至少三类"),
    ("Wangli#2026", "登录名"),
    ("王丽Abc12345", "本人姓名"),
    ("Admin@123", "过于常见"),
    ("Abc12345\x00", "控制字符"),
    ("A1!" * 50, "不能超过128位"),
])
def test_weak_passwords_are_explained(password: str, problem: str) -> None:
    problems = password_problems(password, login="wangli", display_name="王丽")
    assert any(problem in p for p in problems), problems
    with pytest.raises(ValidationError, match="密码不符合要求"):
        check_password(password, login="wangli", display_name="王丽")


@given(st.text(max_size=300))
def test_policy_never_raises_on_any_text(password: str) -> None:
    assert isinstance(password_problems(password, login="ab", display_name="x"), list)


def test_lockout_after_the_configured_failures_and_expiry() -> None:
    policy = LockoutPolicy(failures=5, minutes=15)
    now = datetime(2026, 11, 24, 9, 0)
    count, until = 0, None
    for _ in range(4):
        count, until = policy.after_failure(count, now)
        assert until is None
    assert policy.remaining(count) == 1
    count, until = policy.after_failure(count, now)
    assert count == 0 and until == now + timedelta(minutes=15)
    assert locked(until, now + timedelta(minutes=14, seconds=59))
    assert not locked(until, now + timedelta(minutes=15))
    assert not locked(None, now)
