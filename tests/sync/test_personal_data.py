"""Personal data at rest on the central server (PostgreSQL): encrypted fields, a blind index, key rotation.

A raw dump of every server table finds no petitioner's name, ID number, phone or address;
devices still receive them in full (kiosks masked); the server finds a person's cases by
exact ID number or phone through the blind index; rotating the field key re-encrypts
every token while pulls keep working.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import inspect, text

from desktop.domain.fieldcrypt import BlindIndex, FieldCipher
from desktop.services import cases, reception
from desktop.services.context import Actor, Hall
from desktop.services.registration import register_visit
from server.personal import FieldKeys, Reencrypted, cases_of, reencrypt
from server.store import SyncServer, enrol_device
from tests.conftest import SECRETS
from tests.helpers import form, valid_id
from tests.sync.conftest import DeviceFactory, device_of, local_client, projection_snapshot_of, register_cases

pytestmark = pytest.mark.postgres

PEOPLE = (("欧阳建国", valid_id(seq=511), "13957923456", "浦阳街道幸福小区7幢301室"),
          ("司马秀英", valid_id(seq=512), "13857900011", "仙华街道和平路88号"))


#: Free texts naming people: the server keeps them only encrypted, too.
NAMED = ("邻居诸葛孔亮（身份证 {id}，电话 13612345678）也受影响", "王二麻子")


def _register(hall: Hall, clerk: Actor) -> list[str]:
    return [register_visit(hall, clerk, form(name=name, id_number=number, phone=phone, address=address,
                                             request=f"反映小区电梯停运，要求维修。{NAMED[0].format(id=valid_id(seq=513))}",
                                             facts=f"物业经理{NAMED[1]}拒不处理")).case_id
            for name, number, phone, address in PEOPLE]


def _dump(hall: Hall) -> str:
    """Every row of every table, as text (what a backup or a read-only SQL account shows)."""
    with hall.engine.connect() as connection:
        tables = inspect(connection).get_table_names()
        return "\n".join(str(row) for table in tables
                         for row in connection.execute(text(f'SELECT * FROM "{table}"')))


def test_a_raw_dump_of_the_server_finds_no_name_id_number_phone_or_address(
        sync_server: SyncServer, device_hall: DeviceFactory, clerk: Actor) -> None:
    a, b, k = device_hall("a"), device_hall("b"), device_hall("k", "K01")
    _register(a, clerk)
    local_client(sync_server, a).sync_once()
    numbers = register_cases(a, clerk, 1, start=520)
    cases.classify(a, clerk, numbers[0], nature="申诉求决类", topic_code="0101")
    cases.accept(a, clerk, numbers[0], accepted_on=date(2026, 9, 16))
    cases.answer(a, clerk, numbers[0], outcome="予以支持", answered_on=date(2026, 9, 17),
                 text="经查，业主欧阳建国反映属实（联系电话 13957923456）")
    local_client(sync_server, a).sync_once()
    dump = _dump(sync_server.hall)
    assert "欧阳**" in dump and "〔密文〕" in dump  # the masked forms are there, the values are not
    for value in (*(v for person in PEOPLE for v in person), "诸葛孔亮", valid_id(seq=513), "13612345678",
                  "王二麻子", "业主欧阳"):
        assert value not in dump
    local_client(sync_server, b).sync_once()  # devices receive them in full
    assert projection_snapshot_of(b) == projection_snapshot_of(a)
    kiosk = sync_server.pull(device_of(k, "kiosk"), 0, 100).model_dump_json()
    assert not any(value in kiosk for person in PEOPLE for value in person)
    assert "诸葛孔亮" not in kiosk and "〔密文〕" not in kiosk


def test_the_server_finds_a_persons_cases_through_the_blind_index(
        sync_server: SyncServer, device_hall: DeviceFactory, clerk: Actor) -> None:
    a = device_hall("a")
    ids = _register(a, clerk)
    local_client(sync_server, a).sync_once()
    keys = sync_server.keys
    assert keys is not None
    with sync_server.hall.sessions() as session:
        assert cases_of(session, keys, id_number=PEOPLE[0][1]) == {ids[0]}
        assert cases_of(session, keys, phone=PEOPLE[1][2]) == {ids[1]}
        assert cases_of(session, keys, id_number=valid_id(seq=999)) == set()


def test_rotating_the_field_key_reencrypts_every_token_and_pulls_keep_working(
        sync_server: SyncServer, device_hall: DeviceFactory, clerk: Actor) -> None:
    a, b = device_hall("a"), device_hall("b")
    _register(a, clerk)
    local_client(sync_server, a).sync_once()
    new_key = bytes(range(40, 72))
    ring = FieldKeys(FieldCipher({"k1": SECRETS.field_key, "k2": new_key}, "k2"), BlindIndex(SECRETS.index_key))
    done = reencrypt(sync_server.hall.sessions, ring, batch=3)
    assert done.tokens == 12  # 2 × (name, ID, phone, address, request, facts)
    assert reencrypt(sync_server.hall.sessions, ring) == Reencrypted()
    with sync_server.hall.sessions() as session:
        tokens = list(session.scalars(text("SELECT token FROM sealed_fields")))
    assert tokens and all(".k2." in t for t in tokens)
    rotated = SyncServer(sync_server.hall, keys=FieldKeys(FieldCipher({"k2": new_key}, "k2"),
                                                          BlindIndex(SECRETS.index_key)))
    local_client(rotated, b).sync_once()  # the old key is gone: everything reads under the new one
    assert projection_snapshot_of(b) == projection_snapshot_of(a)


def test_rotating_the_field_key_reencrypts_the_sealed_appointments_and_queue_tickets_too(server_hall: Hall) -> None:
    from datetime import timedelta

    import httpx

    from server.app import create_app, serving

    clerk = Actor("staff:wangli", "王丽", "clerk")
    day = server_hall.today() + timedelta(days=3)
    reception.add_day(server_hall, clerk, day, leaders=["县长 周建华"])
    kiosk = enrol_device(server_hall, "devk", "kiosk", device_code="K09")
    counter = enrol_device(server_hall, "devc", "counter")

    def auth(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    with serving(create_app(server_hall)) as url, httpx.Client(base_url=url) as api:  # sealed under the first key
        [listed] = api.get("/records/snapshot", headers=auth(counter)).json()["rows"]["days"]
        assert api.post("/records/book", headers=auth(kiosk), json={
            "day_id": listed["day_id"], "name": "张建国", "id_number": valid_id(seq=101),
            "phone": "13857912345"}).status_code == 200
        issued = api.post("/queue/issue", headers=auth(kiosk), json={
            "type_code": "general", "source": "kiosk", "id_number": valid_id(seq=102), "name": "李梅"})
        assert issued.status_code == 200
        # the same person again (her ID number stored sealed): her ticket, not another
        again = api.post("/queue/issue", headers=auth(counter), json={
            "type_code": "general", "source": "counter", "id_number": valid_id(seq=102), "name": "李梅"}).json()
        assert again["result"]["already"] and again["result"]["ticket"]["number"] == \
            issued.json()["result"]["ticket"]["number"]
    new_key = bytes(range(40, 72))
    ring = FieldKeys(FieldCipher({"k1": SECRETS.field_key, "k2": new_key}, "k2"), BlindIndex(SECRETS.index_key))

    assert reencrypt(server_hall.sessions, ring, batch=1).tokens == 5  # name, ID, phone; the ticket's name, ID

    with server_hall.engine.connect() as connection:
        raw = [*connection.execute(text("SELECT name, id_number, phone FROM reception_appointments")).one(),
               *connection.execute(text("SELECT person_name, person_id FROM queue_tickets")).one()]
    assert all(value.startswith("v1.aes256gcm.k2.") for value in raw)
    rotated = SyncServer(server_hall, keys=FieldKeys(FieldCipher({"k2": new_key}, "k2"), BlindIndex(SECRETS.index_key)))
    with serving(create_app(server_hall, server=rotated)) as url, httpx.Client(base_url=url) as api:
        [seen] = api.get("/records/snapshot", headers=auth(counter)).json()["rows"]["appointments"]
        [ticket] = api.get("/queue/snapshot", headers=auth(counter)).json()["tickets"]
    assert (seen["name"], seen["id_number"], seen["phone"]) == ("张建国", valid_id(seq=101), "13857912345")
    assert (ticket["person_name"], ticket["person_id"]) == ("李梅", valid_id(seq=102))
