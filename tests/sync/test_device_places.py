"""The administrator's device list in words: each device's kind, the place it was given, its hall's name."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models import AuditRow
from desktop.domain.errors import RuleViolation
from desktop.domain.roles import device_kind
from desktop.services.context import Actor, Hall
from desktop.services.reference_feed import share_settings
from server import enrolment
from server.store import enrol_device

ADMIN = Actor("staff:guanli1", "孙涛", "admin")


def test_a_device_reads_as_its_kind_never_its_id() -> None:
    assert device_kind("kiosk", "K02") == "自助终端 K02" and device_kind("kiosk") == "自助终端"
    assert device_kind("counter", "K02") == "接待窗口" and device_kind("hall") == "大厅服务器"
    assert device_kind("robot") == "其他设备"


def test_devices_are_listed_with_their_place_and_hall_name(sqlite_hall: Hall) -> None:
    share_settings(sqlite_hall, Actor.system("test"), {"hall_name": "义乌市人民来访接待中心"}, hall_code="YW")
    enrol_device(sqlite_hall, "c9", "counter", "330726-ZJJ", hall_code="YW")
    enrol_device(sqlite_hall, "a1", "admin")
    enrol_device(sqlite_hall, "k2", "kiosk", hall_code="PJ", device_code="K02")
    named = enrolment.name_device(sqlite_hall, ADMIN, "c9", "  3号窗口 ")
    assert (named.place, named.hall_name) == ("3号窗口", "义乌市人民来访接待中心")
    listed = enrolment.list_devices(sqlite_hall, ADMIN)
    assert [(d.device_id, d.place, d.hall_name) for d in listed] == [
        ("c9", "3号窗口", "义乌市人民来访接待中心"), ("k2", "", ""), ("a1", "", sqlite_hall.settings.hall_name)]
    with sqlite_hall.sessions() as session:
        assert session.scalar(select(AuditRow.actor_id).where(AuditRow.target == "reference:device_places")) == \
            "staff:guanli1"
    assert enrolment.name_device(sqlite_hall, ADMIN, "c9", "").place == ""  # cleared
    with pytest.raises(enrolment.EnrolmentRefused, match="最多24个字"):
        enrolment.name_device(sqlite_hall, ADMIN, "k2", "大" * 25)
    with pytest.raises(enrolment.EnrolmentRefused, match="没有编号为 nope 的设备"):
        enrolment.name_device(sqlite_hall, ADMIN, "nope", "大厅")
    with pytest.raises(RuleViolation, match="设置设备位置"):
        enrolment.name_device(sqlite_hall, Actor("staff:wangli", "王丽", "clerk"), "k2", "大厅")
