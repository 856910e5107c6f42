"""What every document renderer produces and every printer consumes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Media(StrEnum):
    ROLL_80 = "80mm"  # thermal receipt roll: 80 mm wide (72 mm printable), length follows the content
    A4 = "A4"


class DocumentKind(StrEnum):
    """One template per kind; the value is the document's Chinese name."""

    REGISTRATION_RECEIPT = "登记回执"
    QUEUE_TICKET = "排队号票"
    RATING_RECEIPT = "评价回执"
    SUGGESTION_RECEIPT = "人民建议回执"
    ACCEPTANCE_NOTICE = "受理告知书"
    NON_ACCEPTANCE_NOTICE = "不予受理告知书"
    TRANSFER_FORM = "转送单"
    ASSIGNMENT_FORM = "交办单"
    EXTENSION_NOTICE = "延期告知书"
    OPINION = "处理意见书"
    REVIEW_RECEIPT = "复查申请回执"
    REREVIEW_RECEIPT = "复核申请回执"
    LEADER_ASSIGNMENT_FORM = "领导接访交办单"
    RIGHTS_NOTICE = "信访人权利义务告知书"
    APPOINTMENT_SLIP = "领导接访预约回执"
    RECEPTION_LIST = "领导接访预约名单"
    RECEPTION_BRIEF = "领导接访情况简报"


@dataclass(frozen=True)
class RenderedDocument:
    """A finished document: the PDF bytes plus what printers and the print log need.

    ``copy_label`` is empty for the original and e.g. ``补打（第1次）`` for a reprint; it is
    printed on the paper. ``data`` is what the document was rendered from (JSON-serialisable):
    the print log keeps it without ``desktop.documents.templates.SECRET_KEYS`` and renders a
    reprint from it with ``desktop.documents.render.render``.
    """

    kind: DocumentKind
    media: Media
    document_number: str
    case_number: str
    title: str
    pdf: bytes
    page_width_mm: float
    page_height_mm: float
    pages: int = 1
    copy_label: str = ""
    data: Mapping[str, Any] = field(default_factory=dict, hash=False, repr=False)
