"""Case events: the immutable facts a case (信访事项) is folded from."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

#: Version of the payload layout written by this program. A device refuses to
#: fold events of a newer version instead of misreading them.
PAYLOAD_SCHEMA_VERSION = 1


class EventType(StrEnum):
    REGISTERED = "登记"
    MATERIAL_ADDED = "补充材料"
    CLASSIFIED = "分类"
    NOTIFIED = "告知"
    TRANSFERRED = "转送"
    ASSIGNED = "交办"
    GUIDED = "导入法定途径"
    OBJECTED = "转送异议"
    ACCEPTED = "受理"
    NOT_ACCEPTED = "不予受理"
    EXTENDED = "延期"
    ANSWERED = "答复"
    DELIVERED = "送达"
    RATED = "评价"
    FOLLOWED_UP = "回访"
    REVIEW_REQUESTED = "复查申请"
    REVIEW_ANSWERED = "复查意见"
    REREVIEW_REQUESTED = "复核申请"
    REREVIEW_ANSWERED = "复核意见"
    SETTLED = "调解和解"
    LEADER_TAKEN = "包案"
    INSTRUCTED = "批示"
    URGED = "督办"
    RECUSED = "回避"
    QUERY_CODE_RESET = "重置查询码"


@dataclass(frozen=True)
class Event:
    """One immutable fact about one case.

    ``hlc`` is the text form of a :class:`~desktop.domain.hlc.Hlc`; events of a
    case are folded in ``(hlc, event_id)`` order on every replica.
    """

    event_id: str
    case_id: str
    device_id: str
    author: str
    hlc: str
    type: EventType
    payload: Mapping[str, Any] = field(default_factory=dict)
    schema_version: int = PAYLOAD_SCHEMA_VERSION

    @property
    def sort_key(self) -> tuple[str, str]:
        return (self.hlc, self.event_id)


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces: the same bytes on every replica."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
