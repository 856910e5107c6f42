"""Whether a login exists cannot be told from outside: not by the words, the lock, or the time taken.

Time is shown without timing anything: every attempt costs exactly one Argon2 verification
and no hashing, whatever the login and the password (the verification is what takes the
time: ~0.1 s at the production parameters, against microseconds for the rest).
"""

from __future__ import annotations

from typing import Any, Literal

import pytest
from argon2 import PasswordHasher

from desktop.domain.access import Actor
from desktop.domain.passwords import MAX_LENGTH
from desktop.services import accounts
from desktop.services.context import Hall
from tests.conftest import FakeClock

PASSWORD = "Jiedai#2026"
TOO_LONG = "x" * (MAX_LENGTH + 1)


class CountingHasher(PasswordHasher):
    """The cheap test parameters, counting what each attempt asks of Argon2."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.verified = 0
        self.hashed = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        self.verified += 1
        return super().verify(hash, password)

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        self.hashed += 1
        return super().hash(password, salt=salt)


@pytest.fixture
def hall(sqlite_hall: Hall) -> Hall:
    sqlite_hall.password_hasher = CountingHasher()
    system = Actor.system()
    accounts.create_account(sqlite_hall, system, login="wangli", display_name="王丽", role="clerk",
                            initial_password=PASSWORD)
    accounts.create_account(sqlite_hall, system, login="zhaomin", display_name="赵敏", role="clerk",
                            initial_password=PASSWORD)
    accounts.update_account(sqlite_hall, system, "zhaomin", disabled=True)
    accounts.create_account(sqlite_hall, system, login="waidi", display_name="外地", role="clerk",
                            initial_password=PASSWORD, hall_code="330782-XFJ")
    return sqlite_hall


def _answers(hall: Hall, clock: FakeClock, login: str, password: str, tries: int) -> list[tuple[str, str]]:
    """(code, words) of each of ``tries`` wrong attempts, then one more after the lock has run out."""
    seen: list[tuple[str, str]] = []
    for _ in range(tries):
        with pytest.raises(accounts.SignInRefused) as refused:
            accounts.sign_in(hall, login, password)
        seen.append((refused.value.code, refused.value.message))
    clock.advance(minutes=hall.settings.lockout_minutes + 1)
    with pytest.raises(accounts.SignInRefused) as later:
        accounts.sign_in(hall, login, password)
    seen.append((later.value.code, later.value.message))
    return seen


@pytest.mark.parametrize("password", ["wrong#Pass1", TOO_LONG], ids=["wrong", "over-long"])
@pytest.mark.parametrize("known", ["wangli", "zhaomin", "waidi"], ids=["active", "disabled", "other-hall"])
def test_an_unknown_login_answers_and_locks_exactly_like_a_known_one(
        hall: Hall, clock: FakeClock, password: str, known: str) -> None:
    start = clock.current
    real = _answers(hall, clock, known, password, 7)
    clock.current = start
    unknown = _answers(hall, clock, "nobody", password, 7)
    assert real == unknown
    codes = [code for code, _ in real]
    assert codes[4] == "locked" and "账户锁定至" in real[4][1]  # the fifth try locks, both
    assert codes[5:7] == ["locked", "locked"] and codes[7] != "locked"  # and both unlock on time


def test_only_the_right_password_learns_that_an_account_is_disabled_or_elsewhere(hall: Hall) -> None:
    with pytest.raises(accounts.SignInRefused, match="停用"):
        accounts.sign_in(hall, "zhaomin", PASSWORD)
    with pytest.raises(accounts.SignInRefused, match="其他接待大厅"):
        accounts.sign_in(hall, "waidi", PASSWORD)


def test_every_attempt_costs_one_verification_whatever_the_login(hall: Hall, clock: FakeClock) -> None:
    hasher = hall.password_hasher
    assert isinstance(hasher, CountingHasher)
    with pytest.raises(accounts.SignInRefused):
        accounts.sign_in(hall, "warm-up", "x")  # the first unknown login prepares the dummy hash once
    attempts: list[tuple[str, str]] = [
        ("nobody", "wrong#Pass1"), ("nobody", TOO_LONG), ("nobody", "x" * 100_000), ("", "x"),
        ("wangli", "wrong#Pass1"), ("wangli", TOO_LONG), ("wangli", "x" * 100_000),
        ("zhaomin", "wrong#Pass1"), ("zhaomin", PASSWORD), ("waidi", "wrong#Pass1"), ("waidi", PASSWORD),
    ]
    for login, password in attempts:
        before: Any = (hasher.verified, hasher.hashed)
        with pytest.raises(accounts.SignInRefused):
            accounts.sign_in(hall, login, password)
        assert (hasher.verified - before[0], hasher.hashed - before[1]) == (1, 0), (login, len(password))
    for _ in range(5):  # a locked account still costs its verification
        with pytest.raises(accounts.SignInRefused):
            accounts.sign_in(hall, "wangli", "wrong#Pass1")
    before = (hasher.verified, hasher.hashed)
    with pytest.raises(accounts.SignInRefused, match="已锁定"):
        accounts.sign_in(hall, "wangli", PASSWORD)
    assert (hasher.verified - before[0], hasher.hashed - before[1]) == (1, 0)
    clock.advance(minutes=hall.settings.lockout_minutes + 1)
    before = (hasher.verified, hasher.hashed)
    assert accounts.sign_in(hall, "wangli", PASSWORD).actor.actor_id == "staff:wangli"
    assert hasher.verified - before[0] == 1
