"""The kiosks' exit PIN set at the centre: checked, kept and shared as its Argon2id hash only, audited."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from db.models import AuditRow, ReferenceDocumentRow
from desktop.config import load_settings, settings_file, store_setting
from desktop.domain.errors import RuleViolation, ValidationError
from desktop.domain.passwords import hash_pin, pin_matches
from desktop.services import kiosk_pin
from desktop.services.context import Actor, Hall
from desktop.services.reference_feed import Audience, apply_documents, documents_for
from tests.conftest import FakeClock, make_hall

ADMIN = Actor("staff:guanli1", "孙涛", "admin")
CLERK = Actor("staff:wangli", "王丽", "clerk")


def _everything_stored(hall: Hall) -> str:
    """Every text of the documents and the audit log (where a PIN must never be)."""
    with hall.sessions() as session:
        documents = [r.content for r in session.scalars(select(ReferenceDocumentRow))]
        audits = [f"{r.target} {r.detail}" for r in session.scalars(select(AuditRow))]
    return "\n".join(documents + audits)


def test_the_pin_is_shared_as_its_hash_and_audited(hall: Hall, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    done = kiosk_pin.share_pin(hall, ADMIN, " 720415", "720415 ")
    assert done.hall_code == "" and done.changed_at.startswith(hall.now().date().isoformat())
    kiosk = documents_for(hall, Audience("kiosk", hall_code="PJ"))["kiosk_pin"]
    assert pin_matches(kiosk["hash"], "720415") and not pin_matches(kiosk["hash"], "720416")
    assert documents_for(hall, Audience("hall"))["kiosk_pin"] == kiosk  # a hall server passes it on
    for role in ("counter", "leader", "admin", "display"):  # nobody else gets even the hash
        assert "kiosk_pin" not in documents_for(hall, Audience(role))
    stored = _everything_stored(hall)
    assert "720415" not in stored and "720415" not in caplog.text
    with hall.sessions() as session:
        entry = session.scalars(select(AuditRow).where(AuditRow.target == "reference:kiosk_pin")).one()
    assert (entry.actor_id, entry.action) == ("staff:guanli1", "修改设置")
    assert kiosk_pin.shared_pins(hall, ADMIN) == [done]


def test_a_halls_own_pin_goes_to_its_kiosks_only(hall: Hall) -> None:
    kiosk_pin.share_pin(hall, ADMIN, "720415", "720415")
    kiosk_pin.share_pin(hall, ADMIN, "583920", "583920", hall_code="YW")
    yiwu = documents_for(hall, Audience("kiosk", hall_code="YW"))["kiosk_pin"]["hash"]
    pujiang = documents_for(hall, Audience("kiosk", hall_code="PJ"))["kiosk_pin"]["hash"]
    assert pin_matches(yiwu, "583920") and pin_matches(pujiang, "720415")
    assert [p.hall_code for p in kiosk_pin.shared_pins(hall, ADMIN)] == ["", "YW"]
    kiosk_pin.share_pin(hall, ADMIN, "390572", "390572")  # changed: the new one replaces the old
    assert pin_matches(documents_for(hall, Audience("kiosk", hall_code="PJ"))["kiosk_pin"]["hash"], "390572")


@pytest.mark.parametrize(("pin", "again", "words"), [
    ("720415", "720416", "两次输入的退出密码不一致"),
    ("12345", "12345", "长度须为6至12位"),
    ("123456", "123456", "不能是连续的数字"),
    ("888888", "888888", "不能由同一个数字重复组成"),
    ("72O415", "72O415", "只能由数字组成"),
    ("7204159999999", "7204159999999", "长度须为6至12位"),
])
def test_bad_pins_are_refused_in_chinese_and_nothing_is_kept(sqlite_hall: Hall, pin: str, again: str,
                                                              words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        kiosk_pin.share_pin(sqlite_hall, ADMIN, pin, again)
    assert kiosk_pin.shared_pins(sqlite_hall, ADMIN) == []


def test_only_an_administrator_sets_it_and_only_a_hash_is_taken(sqlite_hall: Hall) -> None:
    with pytest.raises(RuleViolation, match="设置自助终端退出密码"):
        kiosk_pin.share_pin(sqlite_hall, CLERK, "720415", "720415")
    with pytest.raises(ValidationError, match="Argon2id"):
        kiosk_pin.share_pin_hash(sqlite_hall, ADMIN, "720415")  # a PIN where its hash belongs
    with pytest.raises(ValidationError, match="大厅编码"):
        kiosk_pin.share_pin(sqlite_hall, ADMIN, "720415", "720415", hall_code="浦江")
    assert kiosk_pin.shared_pins(sqlite_hall, ADMIN) == []


def _kiosk(engine: Engine, clock: FakeClock) -> Hall:
    return make_hall(engine, clock, device_id="kiosk1", device_code="K01")


def test_a_kiosk_puts_the_shared_pin_in_force_at_once(hall: Hall, sqlite_engine: Engine, clock: FakeClock) -> None:
    store_setting("kiosk_exit_pin", hash_pin("583920"))  # set before on the PC with set-kiosk-pin
    kiosk = _kiosk(sqlite_engine, clock)
    kiosk.use_settings(load_settings())
    kiosk_pin.share_pin(hall, ADMIN, "720415", "720415")
    assert apply_documents(kiosk, documents_for(hall, Audience("kiosk"))) == ["holidays", "kiosk_pin"]
    assert pin_matches(kiosk.settings.kiosk_exit_pin, "720415")  # in force now
    assert pin_matches(load_settings().kiosk_exit_pin, "720415")  # and at the next start
    assert "720415" not in settings_file().read_text(encoding="utf-8")
    store_setting("kiosk_exit_pin", hash_pin("583920"))  # set-kiosk-pin on the PC afterwards wins …
    assert apply_documents(kiosk, documents_for(hall, Audience("kiosk"))) == []
    assert pin_matches(load_settings().kiosk_exit_pin, "583920")
    kiosk_pin.share_pin(hall, ADMIN, "390572", "390572")  # … until the centre changes the PIN again
    assert apply_documents(kiosk, documents_for(hall, Audience("kiosk"))) == ["kiosk_pin"]
    assert pin_matches(kiosk.settings.kiosk_exit_pin, "390572")


def test_the_pcs_environment_variable_still_decides(hall: Hall, sqlite_engine: Engine, clock: FakeClock,
                                                    monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    own = hash_pin("583920")
    monkeypatch.setenv("PH_KIOSK_EXIT_PIN", own)
    kiosk = _kiosk(sqlite_engine, clock)
    kiosk.use_settings(load_settings())
    kiosk_pin.share_pin(hall, ADMIN, "720415", "720415")
    apply_documents(kiosk, documents_for(hall, Audience("kiosk")))
    assert kiosk.settings.kiosk_exit_pin == own and load_settings().kiosk_exit_pin == own


def test_a_hall_server_passes_its_halls_pin_on_to_its_kiosks(hall: Hall, sqlite_engine: Engine,
                                                             clock: FakeClock) -> None:
    kiosk_pin.share_pin(hall, ADMIN, "720415", "720415")
    kiosk_pin.share_pin(hall, ADMIN, "583920", "583920", hall_code="PJ")
    hall_server = make_hall(sqlite_engine, clock, device_id="hallpj", device_code="H01")
    assert "kiosk_pin" in apply_documents(hall_server, documents_for(hall, Audience("hall", hall_code="PJ")))
    passed_on = documents_for(hall_server, Audience("kiosk"))["kiosk_pin"]["hash"]
    assert pin_matches(passed_on, "583920")  # the hall's own PIN, not the one for every hall
