"""A device's link to the authority of the hall's records: reception days, appointments, dossier notes, suggestions,
the kiosks' unprinted receipts.

:class:`RecordsClient` is what :func:`desktop.services.hallrecords.attach_remote` hangs on a
hall. It shares the queue's machinery (:class:`desktop.sync.authority.AuthorityLink`): a
server-sent-events stream (``/records/events``) mirrored into the local tables, commands whose
answers carry the changes since the mirror's cursor, reconnection with back-off. Without the
authority, bookings, the schedule, notes and answers are refused in plain words (capacity is a
rule of one place); suggestions are kept here and merged when it is back (idempotent by id).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from desktop.domain.errors import RuleViolation
from desktop.services import hallrecords
from desktop.services.changes import Topic
from desktop.services.context import Hall
from desktop.sync.authority import AuthorityLink, Unreachable

log = logging.getLogger(__name__)

FEED: TypeAdapter[hallrecords.RecordsFeed] = TypeAdapter(hallrecords.RecordsFeed)


class RecordsClient(AuthorityLink):
    """The records' authority at ``base_url``; ``erase``: a kiosk keeps no copy of suggestions the authority has."""

    events_path = "/records/events"
    name = "records"
    topics = (Topic.RECEPTION, Topic.SUGGESTIONS)
    refused_code = "records_refused"

    def __init__(self, hall: Hall, base_url: str, token: str, *, erase: bool = False, timeout: float = 5.0,
                 min_backoff: float = 0.2, max_backoff: float = 10.0) -> None:
        super().__init__(hall, base_url, token, timeout=timeout, min_backoff=min_backoff, max_backoff=max_backoff)
        self.erase = erase

    def attach(self, attached: bool) -> None:
        hallrecords.attach_remote(self.hall, self if attached else None)

    def cursor(self) -> int:
        return hallrecords.mirror_cursor(self.hall)

    def apply(self, data: str) -> None:
        hallrecords.apply_feed(self.hall, FEED.validate_json(data))

    def start(self) -> RecordsClient:
        super().start()
        return self

    def command(self, path: str, body: dict[str, Any]) -> Any:
        """POST a command; its answer's changes are mirrored before its result is returned."""
        try:
            answer = self.post(path, body | {"since": self.cursor()})
        except Unreachable as exc:
            raise hallrecords.Unreachable(str(exc)) from None
        if answer.get("feed") is not None:
            hallrecords.apply_feed(self.hall, FEED.validate_python(answer["feed"]))
        return answer.get("result")

    def merge_pending(self) -> int:
        from desktop.services import kiosk_prints, peripherals
        from desktop.services.suggestions import send_pending

        sent = 0
        with self._merge_lock:
            for send, what in ((send_pending, "人民建议"), (kiosk_prints.send_pending, "未打印的回执"),
                               (peripherals.send_pending, "外设状态")):
                try:
                    sent += send(self.hall, erase=self.erase)
                except hallrecords.Unreachable as exc:
                    raise Unreachable(exc.detail) from None
                except RuleViolation as refusal:  # kept here, pending: the stream goes on, the next link sends them
                    log.warning("大厅服务器未接收本机的%s：%s", what, refusal.message)
        return sent


def start_records_link(hall: Hall, db_path: Path, *, kiosk: bool = False) -> RecordsClient | None:
    """This device's link to the records' authority (``server_url``), or None when it has none.

    Without a server, or before the device is enrolled, the local database is the authority.
    """
    from desktop.sync.credentials import load_token

    url = hall.settings.server_url.strip()
    token = load_token(hall.settings, db_path) if url else None
    if not url or not token:
        return None
    return RecordsClient(hall, url, token, erase=kiosk and hall.settings.kiosk_erase_after_sync).start()
