"""Password policy and login lockout for staff accounts."""

from __future__ import annotations

import itertools
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from desktop.domain.errors import ValidationError

MIN_LENGTH = 8
MAX_LENGTH = 128

#: Passwords that meet the class rule on paper but are the first ones anyone tries.
_COMMON = frozenset({
    "password1!", "passw0rd!", "p@ssw0rd", "p@ssw0rd1", "admin@123", "admin123!", "abc@1234",
    "qwer1234!", "qwe123!@#", "1qaz@wsx", "1qaz2wsx!", "aa123456!", "a1234567!", "abcd@1234",
    "huawei@123", "root@123", "test@123", "xinfang@123", "xinfang123!",
})


#: The rule in one line, said before a password is typed (the refusal names what is missing).
RULE_TEXT = f"至少{MIN_LENGTH}位，含大写字母、小写字母、数字、符号中的至少三类，不含登录名和姓名"


def password_problems(password: str, *, login: str = "", display_name: str = "") -> list[str]:
    """Everything wrong with a new password, in Chinese; empty when it is acceptable.

    At least 8 characters from at least three of: lower-case letters, upper-case
    letters, digits, symbols; not the login name or the person's name; not a
    well-known password; no control characters.
    """
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append(f"长度至少{MIN_LENGTH}位")
    if len(password) > MAX_LENGTH:
        problems.append(f"长度不能超过{MAX_LENGTH}位")
    if any(unicodedata.category(c).startswith("C") for c in password):
        problems.append("不能包含控制字符")
    classes = sum((
        any(c.islower() and c.isascii() for c in password),
        any(c.isupper() and c.isascii() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() or not c.isascii() for c in password),
    ))
    if classes < 3:
        problems.append("须包含大写字母、小写字母、数字、符号中的至少三类")
    lowered = password.lower()
    if login and len(login) >= 3 and login.lower() in lowered:
        problems.append("不能包含登录名")
    if display_name and len(display_name) >= 2 and display_name in password:
        problems.append("不能包含本人姓名")
    if lowered in _COMMON:
        problems.append("过于常见，容易被猜到")
    if len(set(password)) <= 2 and password:
        problems.append("不能由重复的字符组成")
    return problems


def check_password(password: str, *, login: str = "", display_name: str = "") -> None:
    problems = password_problems(password, login=login, display_name=display_name)
    if problems:
        raise ValidationError("weak_password", "密码不符合要求：" + "；".join(problems), "password")


@dataclass(frozen=True)
class LockoutPolicy:
    """After ``failures`` wrong passwords in a row an account locks for ``minutes``."""

    failures: int = 5
    minutes: int = 15

    def after_failure(self, failed_count: int, now: datetime) -> tuple[int, datetime | None]:
        """(new failure count, locked until or None) after one more wrong password."""
        count = failed_count + 1
        if count >= self.failures:
            return 0, now + timedelta(minutes=self.minutes)
        return count, None

    def remaining(self, failed_count: int) -> int:
        return max(self.failures - failed_count, 0)


def locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and now < locked_until


# -- the kiosk's exit PIN ---------------------------------------------------------------------------

PIN_MIN, PIN_MAX = 6, 12


def pin_problems(pin: str) -> list[str]:
    """Everything wrong with a new kiosk exit PIN: 6–12 digits, not one digit repeated, not a run."""
    problems: list[str] = []
    if not pin.isascii() or not pin.isdigit():
        problems.append("只能由数字组成")
    if not PIN_MIN <= len(pin) <= PIN_MAX:
        problems.append(f"长度须为{PIN_MIN}至{PIN_MAX}位")
    if pin and len(set(pin)) == 1:
        problems.append("不能由同一个数字重复组成")
    if pin.isascii() and pin.isdigit() and len(pin) > 1:
        steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(pin)}
        if steps in ({1}, {9}):
            problems.append("不能是连续的数字（如123456）")
    return problems


def hash_pin(pin: str) -> str:
    """The Argon2id hash of an acceptable PIN (kept in the setting ``kiosk_exit_pin``)."""
    from argon2 import PasswordHasher

    problems = pin_problems(pin)
    if problems:
        raise ValidationError("weak_pin", "退出密码不符合要求：" + "；".join(problems), "pin")
    return PasswordHasher().hash(pin)


def hash_new_pin(pin: str, again: str) -> str:
    """The Argon2id hash of a new PIN typed twice (``ValidationError`` in Chinese when they differ or it is weak)."""
    if pin != again:
        raise ValidationError("pin_mismatch", "两次输入的退出密码不一致", "again")
    return hash_pin(pin)


#: What an Argon2id hash of a PIN looks like (the setting ``kiosk_exit_pin`` accepts nothing else).
PIN_HASH_PATTERN = r"\$argon2id\$[A-Za-z0-9$=,+/]{20,200}"


def pin_matches(pin_hash: str, pin: str) -> bool:
    """Whether ``pin`` is the one hashed (an empty or damaged hash matches nothing)."""
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    if not pin_hash.startswith("$argon2id$") or not pin or len(pin) > PIN_MAX:
        return False
    try:
        return PasswordHasher().verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False
