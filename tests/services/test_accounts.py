"""Staff accounts: sign-in, lockout and its expiry, password changes, administration, audit."""

from __future__ import annotations

import pytest

from desktop.domain.access import Actor, Permission
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.services import accounts
from desktop.services.audit import AuditQuery, list_audit, verify_audit
from desktop.services.context import Hall
from tests.conftest import FakeClock

PASSWORD = "Jiedai#2026"


@pytest.fixture
def wang(hall: Hall, system: Actor) -> accounts.AccountInfo:
    return accounts.create_account(hall, system, login="WangLi", display_name="王丽", role="clerk",
                                   initial_password=PASSWORD)


def _actions(hall: Hall) -> list[str]:
    return [e.action for e in reversed(list_audit(hall, Actor.system()))]


def test_initial_password_must_be_changed_then_works(hall: Hall, wang: accounts.AccountInfo) -> None:
    assert wang.login == "wangli" and wang.must_change_password
    signed = accounts.sign_in(hall, " WANGLI ", PASSWORD)
    assert signed.must_change_password and signed.actor.actor_id == "staff:wangli"
    assert signed.actor.may(Permission.REGISTER)
    with pytest.raises(ValidationError, match="至少三类"):
        accounts.change_password(hall, signed.actor, PASSWORD, "onlylowercase")
    with pytest.raises(ValidationError, match="不能与原密码相同"):
        accounts.change_password(hall, signed.actor, PASSWORD, PASSWORD)
    with pytest.raises(accounts.SignInRefused, match="原密码不正确"):
        accounts.change_password(hall, signed.actor, "Wrong#2026x", "Xinfang#2027")
    accounts.change_password(hall, signed.actor, PASSWORD, "Xinfang#2027")
    assert not accounts.sign_in(hall, "wangli", "Xinfang#2027").must_change_password
    with pytest.raises(accounts.SignInRefused):
        accounts.sign_in(hall, "wangli", PASSWORD)
    stored = accounts.list_accounts(hall, Actor.system())[0]
    assert stored.login == "wangli"
    assert "Xinfang" not in repr(stored)


def test_lockout_after_five_failures_and_its_expiry(hall: Hall, clock: FakeClock,
                                                    wang: accounts.AccountInfo) -> None:
    for _ in range(4):
        with pytest.raises(accounts.SignInRefused, match="连续输错5次"):
            accounts.sign_in(hall, "wangli", "Wrong#2026x")
    with pytest.raises(accounts.SignInRefused, match="锁定至09:45"):
        accounts.sign_in(hall, "wangli", "Wrong#2026x")
    with pytest.raises(accounts.SignInRefused, match="已锁定") as locked:
        accounts.sign_in(hall, "wangli", PASSWORD)  # even the right password, while locked
    assert locked.value.code == "locked"
    clock.advance(minutes=14)
    with pytest.raises(accounts.SignInRefused, match="已锁定"):
        accounts.sign_in(hall, "wangli", PASSWORD)
    clock.advance(minutes=1)
    assert accounts.sign_in(hall, "wangli", PASSWORD).actor.actor_id == "staff:wangli"
    actions = _actions(hall)
    assert actions.count("登录失败") == 7 and actions.count("账户锁定") == 1 and actions[-1] == "登录"


def test_lockout_follows_the_settings(engine: object, clock: FakeClock, system: Actor) -> None:
    from tests.conftest import make_hall

    hall = make_hall(engine, clock, lockout_failures=3, lockout_minutes=2)  # type: ignore[arg-type]
    accounts.create_account(hall, system, login="lihua", display_name="李华", role="clerk",
                            initial_password=PASSWORD)
    for _ in range(2):
        with pytest.raises(accounts.SignInRefused, match="连续输错3次"):
            accounts.sign_in(hall, "lihua", "bad")
    with pytest.raises(accounts.SignInRefused, match="锁定至09:32"):
        accounts.sign_in(hall, "lihua", "bad")


def test_unknown_account_gets_the_same_message(hall: Hall, wang: accounts.AccountInfo) -> None:
    with pytest.raises(accounts.SignInRefused) as unknown:
        accounts.sign_in(hall, "nobody", PASSWORD)
    with pytest.raises(accounts.SignInRefused) as wrong:
        accounts.sign_in(hall, "wangli", "Wrong#2026x")
    assert unknown.value.message == wrong.value.message


def test_admin_unlocks_resets_and_disables(hall: Hall, system: Actor, wang: accounts.AccountInfo) -> None:
    for _ in range(5):
        with pytest.raises(accounts.SignInRefused):
            accounts.sign_in(hall, "wangli", "bad")
    assert accounts.unlock(hall, system, "wangli").locked_until is None
    accounts.sign_in(hall, "wangli", PASSWORD)
    reset = accounts.reset_password(hall, system, "wangli", "Chongzhi#2026")
    assert reset.must_change_password
    assert accounts.sign_in(hall, "wangli", "Chongzhi#2026").must_change_password
    accounts.update_account(hall, system, "wangli", disabled=True)
    with pytest.raises(accounts.SignInRefused, match="停用"):
        accounts.sign_in(hall, "wangli", "Chongzhi#2026")


def test_only_administrators_manage_accounts(hall: Hall, clerk: Actor, wang: accounts.AccountInfo) -> None:
    with pytest.raises(RuleViolation, match="管理账户"):
        accounts.create_account(hall, clerk, login="x1", display_name="某", role="admin",
                                initial_password=PASSWORD)
    with pytest.raises(RuleViolation, match="管理账户"):
        accounts.reset_password(hall, clerk, "wangli", "Chongzhi#2026")
    assert _actions(hall)[-1] == "越权操作被拒绝"


def test_account_fields_are_validated(hall: Hall, system: Actor) -> None:
    for login in ("ab", "has space", "中文名", "-start", "x" * 40):
        with pytest.raises(ValidationError, match="登录名"):
            accounts.create_account(hall, system, login=login, display_name="某", role="clerk",
                                    initial_password=PASSWORD)
    with pytest.raises(ValidationError, match="未知的角色"):
        accounts.create_account(hall, system, login="abc", display_name="某", role="kiosk",
                                initial_password=PASSWORD)
    with pytest.raises(ValidationError, match="未知的权限"):
        accounts.create_account(hall, system, login="abc", display_name="某", role="clerk",
                                initial_password=PASSWORD, extra_permissions=["root"])
    accounts.create_account(hall, system, login="abc", display_name="某", role="clerk", initial_password=PASSWORD)
    with pytest.raises(RuleViolation, match="已被使用"):
        accounts.create_account(hall, system, login="ABC", display_name="某", role="clerk",
                                initial_password=PASSWORD)


def test_a_name_with_a_line_break_or_an_invisible_character_is_refused(hall: Hall, system: Actor) -> None:
    """A name is printed on documents and in the audit log: "王\u200b丽" looked like 王丽 and was another."""
    for name in ("王\n丽", "王\u200b丽", "王\x07丽", "\u202e王丽"):
        with pytest.raises(ValidationError, match="换行或看不见的字符"):
            accounts.create_account(hall, system, login="wangli2", display_name=name, role="clerk",
                                    initial_password=PASSWORD)
    accounts.create_account(hall, system, login="wangli2", display_name="  王丽 ", role="clerk",
                            initial_password=PASSWORD)
    with pytest.raises(ValidationError, match="换行或看不见的字符"):
        accounts.update_account(hall, system, "wangli2", display_name="王\t丽")
    assert [a.display_name for a in accounts.list_accounts(hall, system) if a.login == "wangli2"] == ["王丽"]


def test_extra_permissions_and_organisation_reach_the_actor(hall: Hall, system: Actor) -> None:
    accounts.create_account(hall, system, login="jiwei1", display_name="纪委干部", role="clerk",
                            initial_password=PASSWORD, org_code="330726-JW",
                            extra_permissions=[Permission.VIEW_ACCUSATION.value])
    actor = accounts.sign_in(hall, "jiwei1", PASSWORD).actor
    assert actor.org_code == "330726-JW" and actor.may(Permission.VIEW_ACCUSATION)
    (info,) = [a for a in accounts.list_accounts(hall, system) if a.login == "jiwei1"]
    assert info.org_name == "浦江县纪委监委"  # listed by the unit's name, not its code


def test_a_unit_code_not_in_the_directory_is_refused(hall: Hall, system: Actor) -> None:
    """A mistyped unit would leave its staff outside the protection of accusations against their unit."""
    with pytest.raises(ValidationError, match="机构目录中没有编码为“人社局”的单位"):
        accounts.create_account(hall, system, login="rsj1", display_name="人社局干部", role="clerk",
                                initial_password=PASSWORD, org_code="人社局")
    accounts.create_account(hall, system, login="rsj1", display_name="人社局干部", role="clerk",
                            initial_password=PASSWORD)
    with pytest.raises(ValidationError, match="请按名称从列表中选择"):
        accounts.update_account(hall, system, "rsj1", org_code="330726-XXX")
    assert accounts.update_account(hall, system, "rsj1", org_code="330726-RSJ").org_code == "330726-RSJ"


def test_first_admin_only_on_an_empty_installation(hall: Hall) -> None:
    assert not accounts.has_accounts(hall)
    accounts.create_first_admin(hall, login="admin1", display_name="管理员", password=PASSWORD)
    assert not accounts.sign_in(hall, "admin1", PASSWORD).must_change_password
    with pytest.raises(RuleViolation, match="已有账户"):
        accounts.create_first_admin(hall, login="admin2", display_name="管理员", password=PASSWORD)


def test_the_last_administrator_cannot_be_removed(hall: Hall) -> None:
    accounts.create_first_admin(hall, login="admin1", display_name="管理员", password=PASSWORD)
    admin = accounts.sign_in(hall, "admin1", PASSWORD).actor
    with pytest.raises(RuleViolation, match="自己"):
        accounts.update_account(hall, admin, "admin1", disabled=True)
    with pytest.raises(RuleViolation, match="唯一"):
        accounts.update_account(hall, admin, "admin1", role="clerk")
    accounts.create_account(hall, admin, login="admin2", display_name="副管理员", role="admin",
                            initial_password=PASSWORD)
    accounts.update_account(hall, admin, "admin2", role="supervisor")


def test_account_of_another_hall_cannot_sign_in_here(hall: Hall, system: Actor) -> None:
    accounts.create_account(hall, system, login="other", display_name="外地", role="clerk",
                            initial_password=PASSWORD, hall_code="330782-XFJ")
    with pytest.raises(accounts.SignInRefused, match="其他接待大厅"):
        accounts.sign_in(hall, "other", PASSWORD)


def test_screen_lock_and_unlock_are_audited_and_count_failures(hall: Hall, wang: accounts.AccountInfo) -> None:
    actor = accounts.sign_in(hall, "wangli", PASSWORD).actor
    accounts.lock_screen(hall, actor, idle=True)
    with pytest.raises(accounts.SignInRefused):
        accounts.unlock_screen(hall, actor, "bad")
    accounts.unlock_screen(hall, actor, PASSWORD)
    accounts.sign_out(hall, actor)
    assert _actions(hall)[-5:] == ["锁屏", "登录失败", "登录", "解除锁屏", "退出登录"]


def test_offline_sign_in_with_hashes_synced_from_the_server(hall: Hall, system: Actor) -> None:
    server_hash = hall.password_hasher.hash(PASSWORD)
    synced = accounts.SyncedAccount("zhaomin", "赵敏", "supervisor", "330726-XFJ", "", (), server_hash,
                                    False, False, "2026-09-01T08:00:00")
    assert accounts.apply_synced_accounts(hall, system, [synced]) == 1
    assert accounts.sign_in(hall, "zhaomin", PASSWORD).actor.role == "supervisor"
    with pytest.raises(ValidationError, match="Argon2id"):
        accounts.apply_synced_accounts(hall, system, [synced.__class__(**{**synced.__dict__,
                                                                          "password_hash": "md5$abc"})])


def test_everything_is_in_a_verifiable_audit_log(hall: Hall, wang: accounts.AccountInfo) -> None:
    accounts.sign_in(hall, "wangli", PASSWORD)
    with pytest.raises(accounts.SignInRefused):
        accounts.sign_in(hall, "wangli", "bad")
    report = verify_audit(hall, Actor.system())
    assert report.ok, report.problems
    assert report.checked == 3
    entries = list_audit(hall, Actor.system(), AuditQuery(action="登录失败"))
    assert [e.actor_id for e in entries] == ["staff:wangli"]
    everything = repr(list_audit(hall, Actor.system()))
    assert "'bad'" not in everything and PASSWORD not in everything


def test_an_unknown_login_is_audited_without_the_text_typed(hall: Hall, wang: accounts.AccountInfo) -> None:
    """A password typed into 登录名 by mistake must not reach the audit log, which every administrator reads."""
    for typed in ("Wrong#Pass6", "wrong#pass6", "someone-else"):
        with pytest.raises(accounts.SignInRefused):
            accounts.sign_in(hall, typed, PASSWORD)
    failed = [e for e in reversed(list_audit(hall, Actor.system())) if e.action == "登录失败"]
    assert len(failed) == 3
    for entry in failed:
        assert (entry.actor_id, entry.actor_name, entry.target) == ("unknown", "未知账户", "")
        assert entry.device == hall.settings.device_code and entry.at.startswith(hall.today().isoformat())
        written = repr(entry).lower()
        assert "pass6" not in written and "someone" not in written
    # what ties the attempts together gives no text back: how many tries that same text has made
    assert [e.detail for e in failed] == [{"reason": "no_account", "tries": n} for n in (1, 2, 1)]
    assert verify_audit(hall, Actor.system()).ok


def test_unlocking_an_account_that_is_not_locked_is_refused_and_writes_nothing(
        hall: Hall, clock: FakeClock, system: Actor, wang: accounts.AccountInfo) -> None:
    def written() -> int:
        return len(list_audit(hall, Actor.system(), AuditQuery(limit=10_000)))

    before = written()
    with pytest.raises(RuleViolation, match="该账户没有被锁定") as refused:
        accounts.unlock(hall, system, "wangli")
    assert refused.value.code == "not_locked" and written() == before
    for _ in range(5):
        with pytest.raises(accounts.SignInRefused):
            accounts.sign_in(hall, "wangli", "Wrong#2026x")
    clock.advance(minutes=15)  # the lock has run out: there is nothing to unlock
    before = written()
    with pytest.raises(RuleViolation, match="该账户没有被锁定"):
        accounts.unlock(hall, system, "wangli")
    assert written() == before
    for _ in range(5):
        with pytest.raises(accounts.SignInRefused):
            accounts.sign_in(hall, "wangli", "Wrong#2026x")
    assert accounts.is_locked(accounts.list_accounts(hall, system)[0], hall.now())
    assert accounts.unlock(hall, system, "wangli").locked_until is None
    assert _actions(hall)[-1] == "账户解锁"
