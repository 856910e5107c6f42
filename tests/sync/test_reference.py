"""Reference data down the feed, end to end over a socket on PostgreSQL and SQLite.

Staff accounts reach staff devices only (Argon2id hashes; never kiosks or displays), and
only those who may act there; a 2027 holiday schedule imported once at the centre reaches
every device; a device that already has the version is told so and nothing is written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from db.models import AuditRow, ReferenceDocumentRow, ReferenceStateRow, StaffAccountRow
from desktop.config import SettingsError, load_settings
from desktop.domain.deadlines import DayCounting
from desktop.domain.errors import ValidationError
from desktop.services.accounts import sign_in
from desktop.services.context import Actor, Hall
from desktop.services.holidays import import_schedule
from desktop.services.reference import ORGANISATIONS_FILE, load_directory, reference_dir, use_directory
from desktop.services.reference_feed import (
    KINDS,
    ReferenceKind,
    apply_documents,
    import_directory,
    register,
    share_settings,
    stored_document,
    use_stored_directory,
)
from desktop.sync.client import sync_with_server
from desktop.sync.reference import applied_version, apply_reference, pull_reference
from server.protocol import ReferencePart, ReferenceResponse, SyncProblem
from server.store import enrol_device
from tests.conftest import FakeClock, make_hall
from tests.sync.conftest import DeviceFactory, add_staff, serving, with_staff

PASSWORD = "Xinfang#2026a"
SCHEDULE_2027 = "日期,类型,名称\n2027-01-01,休,元旦\n2027-02-06,休,春节\n2027-02-07,班,春节调休\n"


@pytest.fixture
def centre(engine: Engine, clock: FakeClock) -> Hall:
    hall = with_staff(make_hall(engine, clock, device_id="server", device_code="S01"))
    add_staff(hall, "zjjclerk", "clerk", "住建局窗口", org_code="330726-ZJJ", password=PASSWORD)
    add_staff(hall, "liqing", "clerk", "李青", password=PASSWORD)
    return hall


@pytest.fixture
def url(centre: Hall) -> Iterator[str]:
    with serving(centre) as base:
        yield base


def _logins(hall: Hall) -> set[str]:
    with hall.sessions() as session:
        return set(session.scalars(select(StaffAccountRow.login)))


def test_accounts_reach_staff_devices_only_and_sign_in_works_offline(
        centre: Hall, url: str, device_hall: DeviceFactory) -> None:
    counter, unit, kiosk, display = device_hall("c"), device_hall("u"), device_hall("k", "K01"), device_hall("d")
    tokens = [(counter, enrol_device(centre, "devc", "counter")),
              (unit, enrol_device(centre, "devu", "counter", "330726-ZJJ")),
              (kiosk, enrol_device(centre, "devk", "kiosk", device_code="K01")),
              (display, enrol_device(centre, "devd", "display"))]
    for hall, token in tokens:
        sync_with_server(hall, url, token)
    assert {"liqing", "wangli", "lingdao1"} <= _logins(counter) and "zjjclerk" not in _logins(counter)
    assert _logins(unit) == {"zjjclerk"}
    assert _logins(kiosk) == _logins(display) == set()
    with counter.sessions() as session:
        hashes = set(session.scalars(select(StaffAccountRow.password_hash)))
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert sign_in(counter, "liqing", PASSWORD).actor.actor_id == "staff:liqing"  # against the synced hash


def test_a_schedule_imported_once_at_the_centre_reaches_every_device(
        centre: Hall, url: str, device_hall: DeviceFactory) -> None:
    devices = [(device_hall("c"), enrol_device(centre, "devc", "counter")),
               (device_hall("k", "K01"), enrol_device(centre, "devk", "kiosk", device_code="K01"))]
    for hall, _token in devices:
        assert 2027 not in hall.policy.calendar.known_years()
    import_schedule(centre, Actor.system("test"), SCHEDULE_2027, "国务院办公厅通知（2027）")
    for hall, token in devices:
        sync_with_server(hall, url, token)
        assert 2027 in hall.policy.calendar.known_years()
        version = applied_version(hall)
        again = pull_reference(hall, url, token)
        assert not again.changed and again.version == version  # nothing sent, nothing written


@pytest.fixture
def shipped_directory_after() -> Iterator[None]:
    """The directory shared down the feed replaces the shipped one for the process: put it back after."""
    yield
    use_directory(None)


def test_a_directory_imported_once_at_the_centre_reaches_every_device(
        centre: Hall, url: str, device_hall: DeviceFactory, tmp_path: Path, shipped_directory_after: None) -> None:
    shipped = (reference_dir() / ORGANISATIONS_FILE).read_text(encoding="utf-8")
    new_unit = "330726-WLJ,浦江县文旅局,GOVERNMENT_DEPT,COUNTY,330726,330726-ZF,,示例地址,0579-1,示例\n"
    file = tmp_path / "机构目录.csv"
    file.write_text(shipped + new_unit, encoding="utf-8")
    assert import_directory(centre, Actor.system("test"), file) == len(shipped.strip().splitlines())
    devices = [(device_hall("c"), enrol_device(centre, "devc", "counter")),
               (device_hall("k", "K01"), enrol_device(centre, "devk", "kiosk", device_code="K01"))]
    for hall, token in devices:
        report = pull_reference(hall, url, token)
        assert "organisations" in report.kinds
        use_directory(None)  # as at the device's next start: the directory it holds replaces the shipped one
        assert "330726-WLJ" not in load_directory()
        assert use_stored_directory(hall) and load_directory().get("330726-WLJ").name == "浦江县文旅局"
        assert not pull_reference(hall, url, token).changed


def test_a_bad_directory_is_refused_at_the_centre(centre: Hall, tmp_path: Path) -> None:
    file = tmp_path / "坏目录.csv"
    file.write_text("code,name,kind,level,region_code\nX1,某单位,NO_SUCH_KIND,COUNTY,330726\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="第2行：机构类型“NO_SUCH_KIND”无效"):
        import_directory(centre, Actor.system("test"), file)
    assert stored_document(centre, "organisations") is None


def test_shared_settings_reach_the_devices_of_their_hall(
        centre: Hall, url: str, device_hall: DeviceFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    admin = Actor.system("test")
    share_settings(centre, admin, {"issuing_organisation": "浦江县信访局", "day_counting": "working"})
    share_settings(centre, admin, {"hall_phone": "0579-84100000"}, hall_code="PJ")
    with pytest.raises(SettingsError, match="printer_receipts"):
        share_settings(centre, admin, {"printer_receipts": "system:"})  # each PC's own
    with pytest.raises(SettingsError, match="day_counting"):
        share_settings(centre, admin, {"day_counting": "weekly"})
    for name, hall_code, phone in (("p", "PJ", "0579-84100000"), ("y", "YW", "")):
        monkeypatch.setenv("PH_CONFIG_DIR", str(tmp_path / name))
        hall = device_hall(name)
        assert hall.policy.counting is DayCounting.CALENDAR
        pull_reference(hall, url, enrol_device(centre, f"dev{name}", "counter", hall_code=hall_code))
        settings = load_settings(write_first_start=False)  # what the PC reads at its next start
        assert (settings.issuing_organisation, settings.day_counting, settings.hall_phone) == \
            ("浦江县信访局", "working", phone)
        # … and what it works with already: documents, and deadlines counted in working days
        assert (hall.settings.issuing_organisation, hall.settings.day_counting, hall.settings.hall_phone) == \
            ("浦江县信访局", "working", phone)
        assert hall.policy.counting is DayCounting.WORKING
        with hall.sessions() as session:
            assert session.scalar(select(AuditRow.detail).where(AuditRow.target == "settings"))


def test_an_environment_variable_still_overrides_a_shared_setting_in_force(
        centre: Hall, url: str, device_hall: DeviceFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    share_settings(centre, Actor.system("test"), {"day_counting": "working", "hall_name": "浦江县人民来访接待中心"})
    monkeypatch.setenv("PH_CONFIG_DIR", str(tmp_path / "e"))
    monkeypatch.setenv("PH_DAY_COUNTING", "calendar")  # this PC's own choice
    hall = device_hall("e")
    pull_reference(hall, url, enrol_device(centre, "deve", "counter"))
    assert (hall.settings.day_counting, hall.settings.hall_name) == ("calendar", "浦江县人民来访接待中心")
    assert hall.policy.counting is DayCounting.CALENDAR


def test_a_new_kind_plugs_in_with_one_registration(
        centre: Hall, url: str, device_hall: DeviceFactory) -> None:
    received: list[object] = []
    register(ReferenceKind("window_types", lambda _hall, audience: {"for": audience.role, "types": ["综合窗口"]},
                           lambda _hall, content: received.append(content)))
    try:
        kiosk = device_hall("k", "K01")
        token = enrol_device(centre, "devk", "kiosk", device_code="K01")
        report = pull_reference(kiosk, url, token)
        assert "window_types" in report.kinds and "accounts" not in report.kinds  # a kiosk holds no accounts
        assert received == [{"for": "kiosk", "types": ["综合窗口"]}]
        assert not pull_reference(kiosk, url, token).changed and len(received) == 1
    finally:
        KINDS.pop("window_types")
    assert apply_documents(kiosk, {"leader_schedules": []}) == []  # a kind this program does not know: skipped


def test_reference_data_a_device_cannot_take_is_refused_in_words(device_hall: DeviceFactory) -> None:
    counter = device_hall("c")
    answer = ReferenceResponse(version="v2", unchanged=False, parts={
        "holidays": ReferencePart(version="h", content=[{"year": 2027, "csv_text": SCHEDULE_2027, "source": "中心"}]),
        "organisations": ReferencePart(version="o", content=[{"code": "X1", "name": "某单位", "kind": "NO_SUCH_KIND",
                                                              "level": "COUNTY", "region_code": "330726"}])})
    with pytest.raises(SyncProblem, match=r"参考数据“organisations”无法采用.*机构类型"):
        apply_reference(counter, answer)
    assert 2027 in counter.policy.calendar.known_years()  # what came before it is kept
    assert applied_version(counter) == ""  # and the whole answer is asked for again next time
    assert stored_document(counter, "organisations") is None and "X1" not in load_directory()


def test_a_stored_directory_this_program_no_longer_accepts_is_asked_for_again(
        device_hall: DeviceFactory) -> None:
    counter = device_hall("c")
    bad = [{"code": "X1", "name": "某单位", "kind": "NO_SUCH_KIND", "level": "COUNTY", "region_code": "330726"}]
    with counter.transaction() as session:  # as kept by an older program with other rules
        session.add(ReferenceDocumentRow(kind="organisations", scope="", content=json.dumps(bad), updated_at=""))
        session.add(ReferenceStateRow(name="upstream", version="v1", applied_at=""))
        session.add(ReferenceStateRow(name="kind:organisations", version="o1", applied_at=""))
    assert not use_stored_directory(counter)  # the start goes on with the shipped directory
    assert "X1" not in load_directory() and applied_version(counter) == ""
    with counter.sessions() as session:
        assert session.get(ReferenceStateRow, "kind:organisations") is None
