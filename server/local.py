"""A transport that calls the server store directly: tests, and the benchmark's floor without HTTP."""

from __future__ import annotations

from server import materials
from server.audit_copy import relay_audit, store_audit
from server.protocol import (
    AttachmentStatusResponse,
    AttachmentStored,
    AuditPushResponse,
    AuditUpEntry,
    PullResponse,
    PushResponse,
    RelayedDevice,
    WireEvent,
)
from server.store import Device, SyncServer


class LocalTransport:
    """The device ``device`` talking to ``server`` in the same process (same answers as over HTTP)."""

    def __init__(self, server: SyncServer, device: Device) -> None:
        self.server = server
        self.device = device

    def push(self, events: list[WireEvent]) -> PushResponse:
        return self.server.push(self.device, events)

    def pull(self, since: int, limit: int) -> PullResponse:
        return self.server.pull(self.device, since, limit)

    def push_audit(self, entries: list[AuditUpEntry]) -> AuditPushResponse:
        return store_audit(self.server.hall, self.device, entries)

    def relay_audit(self, device: RelayedDevice, entries: list[AuditUpEntry]) -> AuditPushResponse:
        return relay_audit(self.server.hall, self.device, device, entries)

    def attachment_status(self, shas: list[str]) -> AttachmentStatusResponse:
        return materials.status(self.server.hall, self.device, shas)

    def upload_attachment(self, sha256: str, data: bytes, mime: str) -> AttachmentStored:
        return materials.store(self.server.hall, self.device, sha256, data, mime, self.server.keys)

    def close(self) -> None:
        pass
