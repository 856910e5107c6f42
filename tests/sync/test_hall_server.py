"""The same server on SQLite: a hall server on the display PC, for halls without a central server."""

from __future__ import annotations

from desktop.services.context import Actor
from server.store import SyncServer
from tests.sync.conftest import DeviceFactory, local_client, projection_snapshot_of, register_cases, with_staff


def test_a_hall_server_on_sqlite_syncs_devices(device_hall: DeviceFactory, clerk: Actor) -> None:
    hall_server = SyncServer(with_staff(device_hall("hallserver", code="H01")))
    a, b = device_hall("a"), device_hall("b")
    register_cases(a, clerk, 3)
    register_cases(b, clerk, 2, start=400)
    for hall in (a, b, a):
        local_client(hall_server, hall).sync_once()
    assert projection_snapshot_of(a) == projection_snapshot_of(b) == projection_snapshot_of(hall_server.hall)
    assert local_client(hall_server, b).status().pending == 0
