"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from db.migrate import current_revision, downgrade, head_revision, include_name, upgrade
from db.models import Base
from desktop.domain.deadlines import HANDLE
from desktop.domain.events import EventType


def test_migrated_schema_matches_models(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": include_name})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_downgrade_and_upgrade_again(sqlite_engine: Engine) -> None:
    downgrade(sqlite_engine, "0001")
    assert current_revision(sqlite_engine) == "0001"
    upgrade(sqlite_engine)
    assert current_revision(sqlite_engine) == head_revision()


def test_search_keys_keep_their_cases_through_0010(engine: Engine) -> None:
    """Keys written before 0010 come through with their dates; a key without one takes its case's."""
    from sqlalchemy import text

    from desktop.services.context import Actor
    from desktop.services.lookup import find_cases
    from desktop.services.registration import register_visit
    from tests.conftest import make_hall
    from tests.helpers import form, valid_id

    hall = make_hall(engine)
    clerk = Actor("staff:wangli", "王丽", "clerk")
    first = register_visit(hall, clerk, form(name="欧阳明", id_number=valid_id(seq=3)))
    register_visit(hall, clerk, form(name="欧阳丽", id_number=valid_id(seq=4)))
    with engine.connect() as connection:
        before = sorted(connection.execute(text("SELECT key, case_id, received_on FROM search_keys")).all())
    downgrade(engine, "0009")
    with engine.begin() as connection:
        connection.execute(text("UPDATE search_keys SET received_on = NULL WHERE case_id = :c"),
                           {"c": first.case_id})
        connection.execute(text("INSERT INTO search_keys (key, case_id, received_on) VALUES ('zz', 'gone', NULL)"))
    upgrade(engine)
    with engine.connect() as connection:
        after = sorted(connection.execute(text("SELECT key, case_id, received_on FROM search_keys")).all())
    assert after == before  # dates filled from the cases, the key of no case dropped
    found = find_cases(hall, clerk, "欧阳")
    assert {c.case_number for c in found} >= {first.case_number}
    assert len(found) == 2


def test_0021_gives_stored_cases_a_key_for_each_part_of_a_name(engine: Engine) -> None:
    """After the upgrade the search keys are those a rebuild of the projections gives, and 买买提 finds the case."""
    from sqlalchemy import text

    from desktop.services.context import Actor
    from desktop.services.lookup import find_cases
    from desktop.services.registration import register_visit
    from tests.conftest import make_hall
    from tests.helpers import form, valid_id

    hall = make_hall(engine)
    clerk = Actor("staff:wangli", "王丽", "clerk")
    dotted = register_visit(hall, clerk, form(name="阿依古丽·买买提", id_number=valid_id(seq=5)))
    register_visit(hall, clerk, form(name="欧阳明", id_number=valid_id(seq=6)))
    with engine.connect() as connection:
        rebuilt = sorted(connection.execute(text("SELECT key, case_id, received_on FROM search_keys")).all())
    downgrade(engine, "0020")
    with engine.begin() as connection:  # the keys as the program before 0021 wrote them
        connection.execute(text("DELETE FROM search_keys WHERE key IN ('买买提', '阿依古丽')"))
    with engine.connect() as connection:  # (the case rows of 0020 lack later columns: the keys are read as they are)
        assert not connection.scalar(text("SELECT count(*) FROM search_keys WHERE key = '买买提'"))
    upgrade(engine)
    with engine.connect() as connection:
        after = sorted(connection.execute(text("SELECT key, case_id, received_on FROM search_keys")).all())
    assert after == rebuilt
    assert [c.case_number for c in find_cases(hall, clerk, "买买提")] == [dotted.case_number]


def test_0022_marks_the_stored_deadlines_in_a_year_without_a_holiday_schedule(engine: Engine) -> None:
    """Before 0022 every case row said its deadline was verified; after it, the rows equal a rebuild."""
    from datetime import datetime

    from sqlalchemy import text

    from desktop.services.context import Actor
    from desktop.services.registration import register_visit
    from tests.conftest import FakeClock, make_hall
    from tests.helpers import form, valid_id

    clock = FakeClock(datetime(2026, 11, 2, 10, 0))
    hall = make_hall(engine, clock)
    clerk = Actor("staff:wangli", "王丽", "clerk")
    register_visit(hall, clerk, form(name="欧阳明", id_number=valid_id(seq=7)))  # due in November: verified
    clock.current = datetime(2026, 12, 28, 10, 0)
    register_visit(hall, clerk, form(name="欧阳丽", id_number=valid_id(seq=8)))  # due in 2027: no schedule yet
    query = text("SELECT next_due, deadlines_verified FROM cases ORDER BY next_due")
    with engine.connect() as connection:
        rebuilt = [(str(d), bool(v)) for d, v in connection.execute(query)]
    assert [v for _d, v in rebuilt] == [True, False]
    downgrade(engine, "0021")
    with engine.connect() as connection:  # as the program before 0022 left them
        assert all(bool(v) for _d, v in connection.execute(query))
    upgrade(engine)
    with engine.connect() as connection:
        assert [(str(d), bool(v)) for d, v in connection.execute(query)] == rebuilt


def test_0023_gives_stored_transfers_their_day_and_the_units_limit(engine: Engine) -> None:
    """After 0023 the stored cases equal a rebuild under the installation's day counting (working days here),
    a transfer recorded without its day (as before 0023) dated by its clock."""
    from datetime import date, datetime

    from sqlalchemy import text

    from desktop.domain.case import decision_limit
    from desktop.domain.deadlines import UNIT_NOTIFY
    from desktop.services import cases
    from desktop.services.context import Actor
    from desktop.services.registration import register_visit
    from desktop.services.store import projection_snapshot, rebuild_projections
    from tests.conftest import FakeClock, make_hall
    from tests.helpers import form, valid_id

    clock = FakeClock(datetime(2026, 9, 1, 10, 0))
    hall = make_hall(engine, clock, day_counting="working")
    clerk = Actor("staff:wangli", "王丽", "clerk")
    refs = [register_visit(hall, clerk, form(name=name, id_number=valid_id(seq=20 + n))).case_number
            for n, name in enumerate(("欧阳明", "欧阳丽", "欧阳强", "欧阳芳", "欧阳军"))]
    for ref in refs:
        cases.classify(hall, clerk, ref, nature="申诉求决类", topic_code="0101")
    clock.current = datetime(2026, 9, 10, 10, 0)
    for ref in (refs[0], refs[3]):
        cases.record(hall, clerk, ref, EventType.TRANSFERRED, {"route_kind": "转送", "organisation_code": "330726-ZJJ"})
    cases.accept(hall, clerk, refs[3], accepted_on=date(2026, 9, 20))  # by the unit, in its time
    clock.current = datetime(2026, 9, 25, 10, 0)  # after the bureau's limit (working days: 09-22)
    cases.record(hall, clerk, refs[1], EventType.ASSIGNED, {"route_kind": "交办", "organisation_code": "330726-ZJJ",
                                                            "due": "2026-11-30"})
    cases.record(hall, clerk, refs[4], EventType.TRANSFERRED, {"route_kind": "转送", "organisation_code": "330726-ZJJ"})
    cases.record(hall, clerk, refs[4], EventType.OBJECTED, {"reason": "不属于本单位职权范围"})  # handed back
    downgrade(engine, "0022")
    with engine.begin() as connection:  # the transfer as the program before 0023 recorded it: no day in it
        connection.execute(text("UPDATE events SET payload = :p WHERE type = '转送'"),
                           {"p": '{"organisation_code":"330726-ZJJ","route_kind":"转送"}'})
        assert connection.scalar(text("SELECT next_due_rule FROM cases WHERE state = '已转送'")) == "转送、交办期限"
        assert connection.scalar(text("SELECT count(*) FROM events WHERE type = '转送'")) == 3
    upgrade(engine, day_counting="working")
    with hall.sessions() as session:
        migrated = projection_snapshot(session)
    with engine.begin() as connection:
        rebuild_projections(connection, hall.policy)
    with hall.sessions() as session:
        assert projection_snapshot(session) == migrated
    transferred = cases.load_case(hall, clerk, refs[0]).view
    unit_due = hall.policy.due(UNIT_NOTIFY, date(2026, 9, 10)).due
    assert (transferred.routed_on, transferred.next_due, transferred.next_due_rule) == (
        date(2026, 9, 10), unit_due, UNIT_NOTIFY.name)
    assigned = cases.load_case(hall, clerk, refs[1]).view
    assert assigned.routed_on == date(2026, 9, 25) and assigned.decision_due == assigned.route_due
    accepted = cases.load_case(hall, clerk, refs[3]).view
    assert (accepted.routed_on, accepted.decision_due) == (date(2026, 9, 10), unit_due)
    assert cases.load_case(hall, clerk, refs[4]).view.routed_on is None
    kept = cases.load_case(hall, clerk, refs[2]).view
    assert kept.routed_on is None and kept.decision_due == decision_limit(kept.route_due, None, None)


def test_0026_keeps_the_audit_copies_append_only_and_drops_relayed_ones_going_back(engine: Engine) -> None:
    """Copies stored before 0026 come through as devices' own chains; the table still refuses changes."""
    import json

    import pytest
    from sqlalchemy import select, text
    from sqlalchemy.exc import DatabaseError

    from db.models import AuditRow
    from desktop.domain.audit import AuditAction
    from desktop.services.audit import record_audit
    from desktop.services.context import Actor
    from server.audit_copy import device_chain, relay_audit, store_audit
    from server.protocol import AuditUpEntry, RelayedDevice
    from server.store import Device
    from tests.conftest import make_hall

    hall = make_hall(engine)
    for copy in range(2):
        record_audit(hall, Actor.kiosk("K01"), AuditAction.PRINT, "来访登记回执", {"copy": copy})
    with hall.sessions() as session:
        rows = list(session.scalars(select(AuditRow).order_by(AuditRow.seq)))
    entries = [AuditUpEntry(seq=r.seq, at=r.at, device=r.device, actor_id=r.actor_id, actor_name=r.actor_name,
                            action=r.action, target=r.target, detail=json.loads(r.detail), prev_hash=r.prev_hash,
                            entry_hash=r.entry_hash) for r in rows]
    store_audit(hall, Device("deva", "counter"), entries)
    relay_audit(hall, Device("hall1", "hall"), RelayedDevice(device_id="deva", role="kiosk", device_code="K01"),
                entries)
    mine = device_chain(hall, "deva")
    downgrade(engine, "0024")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM device_audit")).scalar() == len(entries)
    upgrade(engine)
    assert device_chain(hall, "deva") == mine and device_chain(hall, "deva", relayed_by="hall1") == []
    for statement in ("UPDATE device_audit SET target = '改'", "DELETE FROM device_audit"):
        with pytest.raises(DatabaseError, match="只能追加"), engine.begin() as connection:
            connection.execute(text(statement))
    assert device_chain(hall, "deva") == mine


def test_0027_says_which_case_names_which_file_for_the_events_already_stored(engine: Engine) -> None:
    """Registrations stored before 0027 name their files in ``attachment_cases``; no file is taken as uploaded."""
    from sqlalchemy import select

    from db.models import AttachmentCaseRow, AttachmentRow
    from desktop.services import attachments
    from desktop.services.context import Actor
    from desktop.services.registration import register_visit
    from tests.conftest import make_hall
    from tests.helpers import form, valid_id

    hall = make_hall(engine)
    clerk = Actor("staff:wangli", "王丽", "clerk")
    photo = attachments.store_bytes(hall, clerk, "照片.png", b"\x89PNG\r\n\x1a\n" + bytes(100))
    letter = attachments.store_bytes(hall, clerk, "来信.txt", "来信内容".encode())
    first = register_visit(hall, clerk, form(attachments=(photo.as_payload(), letter.as_payload())))
    second = register_visit(hall, clerk, form(name="李梅", id_number=valid_id(seq=5),
                                              attachments=(photo.as_payload(),)))
    register_visit(hall, clerk, form(name="王芳", id_number=valid_id(seq=6)))  # names none
    downgrade(engine, "0026")
    upgrade(engine)
    with hall.sessions() as session:
        named = {(s, c) for s, c in session.execute(select(AttachmentCaseRow.sha256, AttachmentCaseRow.case_id))}
        held = {(s, u) for s, u in session.execute(select(AttachmentRow.sha256, AttachmentRow.on_server))}
    assert named == {(photo.sha256, first.case_id), (letter.sha256, first.case_id), (photo.sha256, second.case_id)}
    assert held == {(photo.sha256, False), (letter.sha256, False)}


def test_0028_folds_again_the_cases_with_an_extension_decided_after_their_limit(engine: Engine) -> None:
    """An extension stored before 0028 without its day, recorded after the limit, no longer extends the case;
    one recorded in time still does; the result equals a rebuild of the projections."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import text

    from desktop.domain.hlc import Hlc
    from desktop.services import cases
    from desktop.services.context import Actor
    from desktop.services.registration import register_visit
    from desktop.services.store import projection_snapshot, rebuild_projections
    from tests.conftest import FakeClock, make_hall
    from tests.helpers import form, valid_id

    clock = FakeClock(datetime(2026, 9, 16, 10, 0))
    hall = make_hall(engine, clock)
    clerk = Actor("staff:wangli", "王丽", "clerk")
    refs = [register_visit(hall, clerk, form(name=name, id_number=valid_id(seq=40 + n))).case_number
            for n, name in enumerate(("欧阳明", "欧阳丽"))]
    for ref in refs:
        cases.classify(hall, clerk, ref, nature="申诉求决类", topic_code="0101")
        cases.accept(hall, clerk, ref, accepted_on=hall.today())
    views = [cases.extend(hall, clerk, ref, days=30, reason="需现场勘验", approved_by="局长") for ref in refs]
    due = hall.policy.due(HANDLE, hall.today()).due
    late = datetime(due.year, due.month, due.day, 2, 0, tzinfo=UTC) + timedelta(days=19)  # 10:00 in China
    downgrade(engine, "0027")
    with engine.begin() as connection:  # both as the program before 0028 stored them: no day in the event
        connection.execute(text("UPDATE events SET payload = :p WHERE type = '延期'"),
                           {"p": '{"approved_by":"局长","days":30,"reason":"需现场勘验"}'})
        recorded = {"hlc": str(Hlc(int(late.timestamp() * 1000), 0, "dev1")), "case": views[1].case_id}
        connection.execute(text("UPDATE events SET hlc = :hlc WHERE type = '延期' AND case_id = :case"), recorded)
        connection.execute(text("UPDATE cases SET last_hlc = :hlc WHERE case_id = :case"), recorded)
    upgrade(engine)
    with hall.sessions() as session:
        migrated = projection_snapshot(session)
    with engine.begin() as connection:
        rebuild_projections(connection, hall.policy)
    with hall.sessions() as session:
        assert projection_snapshot(session) == migrated
    in_time, after = (cases.load_case(hall, clerk, ref).view for ref in refs)
    assert in_time.extended_days == 30 and in_time.handling_due == views[0].handling_due and not in_time.anomalies
    assert (after.extended_days, after.handling_due, after.next_due) == (0, due, due)
    assert after.needs_supervisor and "已超过办理期限" in after.anomalies[0]
