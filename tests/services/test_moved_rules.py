"""Rules that screens used to hold, pinned where the services now compute them."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.access import Actor, Permission, PermissionDenied
from desktop.domain.calendar import HolidayCalendar
from desktop.domain.deadlines import next_leader_reception_day
from desktop.domain.passwords import password_problems
from desktop.domain.roles import WindowRole, may_use_window
from desktop.services import accounts, cases
from desktop.services.audit import AuditQuery, list_audit
from desktop.services.context import Hall
from desktop.services.database import installation_status
from desktop.services.registration import register_visit
from tests.helpers import form

PASSWORD = "Jiedai#2026"


def _ready(hall: Hall, login: str, name: str, role: str) -> None:
    accounts.create_account(hall, Actor.system(), login=login, display_name=name, role=role,
                            initial_password=PASSWORD)


@pytest.mark.parametrize(("role", "allowed"), [
    ("clerk", {WindowRole.COUNTER}),
    ("supervisor", {WindowRole.COUNTER, WindowRole.ADMIN}),
    ("leader", {WindowRole.LEADER}),
    ("admin", {WindowRole.ADMIN}),
])
def test_each_account_role_signs_in_only_at_its_windows(hall: Hall, role: str, allowed: set[WindowRole]) -> None:
    _ready(hall, "someone", "某人", role)
    for window in WindowRole:
        assert may_use_window(window, role) == (window in allowed)
        if window.is_device:
            assert window not in allowed  # nobody signs in at a kiosk or the display
            continue
        if window in allowed:
            assert accounts.sign_in(hall, "someone", PASSWORD, window).actor.role == role
        else:
            with pytest.raises(accounts.SignInRefused) as refused:
                accounts.sign_in(hall, "someone", PASSWORD, window)
            assert refused.value.code == "wrong_window" and f"不能使用“{window.heading}”" in refused.value.message
            # and where this account does sign in, by the programs' names
            assert all(f"“{w.heading}”" in refused.value.message.split("；")[1] for w in allowed)
            (entry,) = list_audit(hall, Actor.system(), AuditQuery(limit=1))
            assert entry.action == "登录失败" and entry.detail == {"reason": "wrong_window", "role": role}


def test_a_wrong_password_at_the_wrong_window_says_only_that_the_password_is_wrong(hall: Hall) -> None:
    """The window is judged after the password: a guesser learns nothing of the account's role."""
    _ready(hall, "lingdao", "领导", "leader")
    with pytest.raises(accounts.SignInRefused) as refused:
        accounts.sign_in(hall, "lingdao", "Wrong#2026x", WindowRole.COUNTER)
    assert refused.value.code == "bad_credentials"


def test_generated_initial_passwords_meet_the_policy_and_differ() -> None:
    made = {accounts.generate_initial_password() for _ in range(200)}
    assert len(made) == 200
    for password in made:
        assert len(password) == 12 and not password_problems(password)
        assert not set(password) & set("0O1lIo")  # nothing that reads two ways aloud
    assert len(accounts.generate_initial_password(4)) == 8  # never shorter than the policy


def test_the_status_page_never_shows_a_secret_setting(hall: Hall, clerk: Actor) -> None:
    register_visit(hall, clerk, form())
    status = installation_status(hall, Actor.system())
    values = {name: shown for name, shown, _text in status.settings}
    assert values["query_code_pepper"] == "（保密，已设置）"
    assert hall.settings.query_code_pepper not in repr(status)
    assert values["device_code"] == "C01" and (status.cases, status.events) == (1, 1)
    assert status.day_counting == "自然日" and status.holiday_years[0] <= 2026 <= status.holiday_years[1]
    with pytest.raises(PermissionDenied, match="修改设置"):
        installation_status(hall, clerk)


def test_next_reception_day_moves_on_once_this_months_has_passed() -> None:
    calendar = HolidayCalendar.builtin()
    assert next_leader_reception_day(date(2026, 9, 15), calendar) == date(2026, 9, 15)  # the day itself
    assert next_leader_reception_day(date(2026, 9, 16), calendar) == date(2026, 10, 15)
    assert next_leader_reception_day(date(2026, 12, 16), calendar) == date(2027, 1, 15)
    # 2026-08-15 is a Saturday: the day moves to Monday the 17th, which is still ahead on the 16th
    assert next_leader_reception_day(date(2026, 8, 16), calendar) == date(2026, 8, 17)


def test_events_are_shown_by_who_wrote_them(hall: Hall, clerk: Actor, kiosk: Actor) -> None:
    _ready(hall, "wangli", "王丽", "clerk")
    result = register_visit(hall, kiosk, form())
    cases.classify(hall, clerk, result.case_number, nature="申诉求决类", topic_code="0101")
    detail = cases.load_case(hall, clerk, result.case_number)
    assert detail.authors == {"kiosk:K01": "K01号自助终端", "staff:wangli": "王丽（接待窗口工作人员）"}
    assert detail.first_responsible == ""  # registered at a kiosk: no clerk received the visitor


def test_a_permission_decides_whether_a_notice_names_the_petitioner(hall: Hall, clerk: Actor) -> None:
    from desktop.documents.model import DocumentKind
    from desktop.services import documents

    result = register_visit(hall, clerk, form())
    reader = Actor("staff:trainee", "实习人员", "", extra_permissions=frozenset(
        {Permission.SEARCH, Permission.VIEW_CASE, Permission.PRINT}))
    full = documents.notice(hall, clerk, DocumentKind.RIGHTS_NOTICE, result.case_number, {})
    masked = documents.notice(hall, reader, DocumentKind.RIGHTS_NOTICE, result.case_number, {})
    assert full.data["petitioner_name"] == "张建国" and masked.data["petitioner_name"] == "张**"
    views = list_audit(hall, Actor.system(), AuditQuery(action="查看完整个人信息"))
    assert [e.actor_id for e in views] == [clerk.actor_id]  # the full name was audited, the masked one not


def test_the_clerk_who_first_received_a_first_visit_stays_responsible(hall: Hall, clerk: Actor) -> None:
    """首问负责制: shown with the case until it ends; a repeat visit names nobody new."""
    _ready(hall, "wangli", "王丽", "clerk")
    first = register_visit(hall, clerk, form())
    assert cases.load_case(hall, clerk, first.case_number).first_responsible == "王丽（接待窗口工作人员）"
    repeat = register_visit(hall, clerk, form())
    assert repeat.visit.kind.value == "重复访"
    assert cases.load_case(hall, clerk, repeat.case_number).first_responsible == ""
