"""A hall server on SQLite with the central server (PostgreSQL, on a socket) as its upstream.

The hall's devices sync with the hall server; it syncs with the centre as a ``hall`` device
with the same protocol: the hall's events reach the centre and other halls, the centre's
reach the hall, accounts come down, and art. 30 holds in the hall too.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models import EventRow, StaffAccountRow
from desktop.services import cases
from desktop.services.context import Actor, Hall
from desktop.sync.client import sync_with_server
from server.store import SyncServer, enrol_device
from server.upstream import Upstream
from tests.sync.conftest import (
    DeviceFactory,
    event_ids,
    local_client,
    register_cases,
    serving,
)

pytestmark = pytest.mark.postgres


def test_a_hall_server_passes_its_devices_events_up_and_the_centres_down(
        server_hall: Hall, device_hall: DeviceFactory, clerk: Actor, supervisor: Actor) -> None:
    hall_server = device_hall("hallsrv", code="H01")
    in_hall, unit, elsewhere = device_hall("a"), device_hall("z"), device_hall("o")
    with serving(server_hall) as url:
        upstream = Upstream(hall_server, url, enrol_device(server_hall, hall_server.settings.device_id, "hall"))
        upstream.sync_once()  # the accounts come down first: the hall server checks its devices against them
        with hall_server.sessions() as session:
            assert "wangli" in set(session.scalars(select(StaffAccountRow.login)))
        local = SyncServer(hall_server)
        hall_cases = register_cases(in_hall, clerk, 2)
        cases.classify(in_hall, supervisor, hall_cases[0], nature="检举控告类", topic_code="1202",
                       accused_org_codes=["330726-ZF"])
        assert local_client(local, in_hall).sync_once().pushed == 3
        assert upstream.sync_once().pushed == 3
        other_token = enrol_device(server_hall, elsewhere.settings.device_id, "counter")
        register_cases(elsewhere, clerk, 1, start=700)
        sync_with_server(elsewhere, url, other_token)  # another hall's device, straight to the centre
        assert event_ids(in_hall) <= event_ids(elsewhere)
        upstream.sync_once()
        local_client(local, in_hall).sync_once()
        assert event_ids(elsewhere) <= event_ids(in_hall)
        assert event_ids(hall_server) == event_ids(server_hall)
        # the centre's supervisor reclassifies the accusation: the hall still never hands it to the unit
        narrowed = cases.classify(elsewhere, supervisor, hall_cases[0], nature="申诉求决类", topic_code="0101")
        sync_with_server(elsewhere, url, other_token)
        upstream.sync_once()
        local_client(local, unit, org_code="330726-ZJJ").sync_once()
        with unit.sessions() as session:
            seen = set(session.scalars(select(EventRow.case_id)))
        assert narrowed.case_id not in seen and len(seen) == 2  # the other hall case and the other hall's case

