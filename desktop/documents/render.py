"""``render``: a document's kind and data in, a finished PDF out.

Pure and deterministic: the same kind, data and copy label give the same bytes
(reportlab's invariant mode fixes the creation date and file id), so the print
log can keep the data and render a reprint that matches the original but for its
copy label. ``data`` is JSON-serialisable: strings, numbers, booleans, ISO dates
(``2026-10-08``) and times (``2026-09-16T09:30:00``); every date key also gives
``<key>_cn`` (2026年10月8日), ``<key>_zh`` (二〇二六年十月八日) and ``<key>_week`` (星期四) to the templates.

The data keys a document uses (all strings unless said):

* every document: ``hall_name``; A4 also ``issuing_organisation``, ``document_number``,
  ``issued_on`` (date), ``seal_text``, ``header_red`` (bool); optional ``texts``
  (key → wording, overriding :data:`~desktop.documents.templates.TEXTS`).
* 登记回执: ``case_number``, ``query_code`` (secret), ``lookup_url``, ``petitioner_name``,
  ``id_number`` (both printed masked, whatever is passed), ``received_at`` (time),
  ``route_due`` (date), ``route_due_unverified`` (bool), ``window``, ``hall_address``,
  ``hall_phone``.
* 排队号票: ``ticket_number``, ``window_type``, ``people_ahead`` (int), ``issued_at`` (time).
* 评价回执: ``case_number``, ``petitioner_name``, ``rating``, ``rated_at`` (time).
* A4 notices: ``case_number``, ``petitioner_name``, ``received_on`` and the keys their
  templates name (``accepted_on``, ``handling_due``, ``reason``, ``channel``,
  ``recipient_name``, ``request``, ``due``, ``stage``, ``outcome``, ``opinion``…).
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Final

from reportlab.lib.colors import Color

from desktop.documents.fonts import register_font, string_width
from desktop.documents.layout import (
    A4,
    BLACK,
    MM,
    RED,
    ROLL,
    Cell,
    FieldLine,
    Gap,
    Item,
    RowItem,
    Rule,
    SignatureItem,
    SignHereItem,
    StampItem,
    TextLine,
    fitted_line,
    paint_a4,
    paint_roll,
    paragraph,
    qr_item,
    wrap,
)
from desktop.documents.model import DocumentKind, Media, RenderedDocument
from desktop.documents.templates import SECRET_KEYS, TEMPLATES, TEXTS, Block, BlockType, Template
from desktop.documents.text import chinese_date, plain_date, plain_datetime, weekday
from desktop.domain.errors import ValidationError
from desktop.domain.identity import mask_id_number, mask_name
from desktop.domain.numbering import format_query_code
from desktop.domain.qrpayload import make_payload

__all__ = ["SECRET_KEYS", "render"]

_PLACEHOLDER: Final = re.compile(r"\{([A-Za-z0-9_.]+)\}")
_ISO_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_TIME: Final = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?")
_ITEM_NUMBER: Final = re.compile(r"^[（(][一二三四五六七八九十]+[）)]|^\d+[.、．]")
_CN_ORDINALS: Final = "一二三四五六七八九十"

#: Names of data keys for the message when one is missing.
FIELD_LABELS: Final[Mapping[str, str]] = {
    "case_number": "案件编号", "petitioner_name": "信访人姓名", "received_on": "登记日期",
    "accepted_on": "受理日期", "handling_due": "办结期限", "reason": "理由", "channel": "处理途径",
    "recipient_name": "接收单位", "request": "信访诉求", "due": "办理期限", "opinion": "处理意见",
    "facts_found": "查明的事实", "outcome": "处理结果", "stage": "意见书类别", "review_organisation": "复查机关",
    "requested_on": "申请日期", "answer_due": "答复期限", "leader": "接访领导", "instruction": "领导意见",
    "reception_on": "接访日期", "extended_days": "延长天数", "issuing_organisation": "发文机关",
    "ticket_number": "排队号", "window_type": "办理业务", "people_ahead": "等候人数", "issued_at": "取号时间",
    "rating": "评价结果", "rated_at": "评价时间", "received_at": "登记时间", "route_due": "告知期限",
    "hall_name": "接待大厅名称", "document_number": "文号", "issued_on": "成文日期",
}

_lock = threading.Lock()


class _Context:
    """The data as templates see it: strings, with derived date forms; a missing key is an error."""

    def __init__(self, data: Mapping[str, Any], title: str) -> None:
        self.title = title
        self.values: dict[str, str] = {}
        self.truth: dict[str, bool] = {}
        for key, value in data.items():
            if key == "texts":
                continue
            self.truth[key] = bool(value)
            self.values[key] = _as_text(value)
            if isinstance(value, str):
                self._derive_dates(key, value)
        raw_texts = data.get("texts") or {}
        if not isinstance(raw_texts, Mapping):
            raise ValidationError("document_texts_invalid", "文书文字覆盖（texts）应为“键 → 文字”的对照表")
        self.texts = {str(k): str(v) for k, v in raw_texts.items()}

    def _derive_dates(self, key: str, value: str) -> None:
        try:
            if _ISO_TIME.fullmatch(value):
                moment = datetime.fromisoformat(value)
                self.values[f"{key}_cn"] = plain_datetime(moment)
                self.values[f"{key}_zh"] = chinese_date(moment.date())
                self.values[f"{key}_week"] = weekday(moment.date())
            elif _ISO_DATE.fullmatch(value):
                day = date.fromisoformat(value)
                self.values[f"{key}_cn"] = plain_date(day)
                self.values[f"{key}_zh"] = chinese_date(day)
                self.values[f"{key}_week"] = weekday(day)
        except ValueError:
            raise ValidationError("document_bad_date",
                                  f"{self.title}的“{_label(key)}”不是有效的日期：{value}") from None

    def set(self, key: str, value: str) -> None:
        self.values[key] = value
        self.truth[key] = bool(value)

    def true(self, key: str) -> bool:
        """Whether the data's ``key`` is true (``a&b``: each of them)."""
        return all(self.truth.get(part, False) for part in key.split("&"))

    def fill(self, template: str) -> str:
        """``template`` with ``@key`` resolved to its wording and every ``{placeholder}`` filled."""
        if template.startswith("@"):
            key = self._substitute(template[1:])
            wording = self.texts.get(key, TEXTS.get(key))
            if wording is None:
                raise ValidationError("document_text_unknown", f"{self.title}引用了不存在的文书文字“{key}”")
            template = wording
        return self._substitute(template)

    def _substitute(self, template: str) -> str:
        def value(match: re.Match[str]) -> str:
            key = match.group(1)
            if key not in self.values:
                raise ValidationError("document_data_missing",
                                      f"{self.title}缺少“{_label(key)}”（{key}），无法生成")
            return self.values[key]

        return _PLACEHOLDER.sub(value, template)


def _label(key: str) -> str:
    base = key.removesuffix("_cn").removesuffix("_zh").removesuffix("_week")
    return FIELD_LABELS.get(base, base)


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | str):
        return str(value)
    raise ValidationError("document_data_type",
                          f"文书数据只能是文字、数字、日期文字或真假值，不能是{type(value).__name__}")


def render(kind: DocumentKind, data: Mapping[str, Any], *, copy_label: str = "") -> RenderedDocument:
    """Render one document; raises :class:`ValidationError` naming a missing or malformed field."""
    template = TEMPLATES[DocumentKind(kind)]
    context = _Context(data, template.title.replace("{stage}", str(data.get("stage", ""))))
    title = context.fill(template.title)
    context.title = title
    register_font()
    with _lock:  # reportlab keeps per-document font state in shared objects
        if template.media is Media.ROLL_80:
            _receipt_values(context, data)
            items = _roll_items(template, context, copy_label.strip())
            pdf, height = paint_roll(items, title)
            width, pages = ROLL.page_width, 1
        else:
            items = _a4_items(template, context)
            pdf, pages = paint_a4(items, title, copy_label.strip())
            width, height = A4.page_width, A4.page_height
    return RenderedDocument(
        kind=template.kind, media=template.media, document_number=str(data.get("document_number", "")),
        case_number=str(data.get("case_number", "")), title=title, pdf=pdf,
        page_width_mm=round(width / MM, 2), page_height_mm=round(height / MM, 2), pages=pages,
        copy_label=copy_label.strip(), data=dict(data))


def _receipt_values(context: _Context, data: Mapping[str, Any]) -> None:
    """Receipts carry masked personal data only, whatever they are given; the code and QR from the secret."""
    for key, mask in (("petitioner_name", mask_name), ("id_number", mask_id_number)):
        if context.true(key):
            context.set(key, mask(context.values[key]))
    code = str(data.get("query_code") or "")
    if code:
        context.set("query_code_display", format_query_code(code))
        lookup = str(data.get("lookup_url") or "")
        if lookup and data.get("case_number"):
            context.set("qr_payload", make_payload(lookup, str(data["case_number"]), code))


def _shown(block: Block, context: _Context) -> bool:
    if block.when and not context.true(block.when):
        return False
    return not (block.unless and context.true(block.unless))


# -- 80 mm roll --------------------------------------------------------------------------------

_R_BODY, _R_LEAD = 10.0, 14.5
_R_NOTE, _R_NOTE_LEAD = 8.5, 12.0


def _roll_items(template: Template, context: _Context, copy_label: str) -> list[Item]:
    width = ROLL.width
    items: list[Item] = []
    if copy_label:
        items.append(StampItem(30, text=copy_label))
        items.append(Gap(4))
    for block in template.blocks:
        if not _shown(block, context):
            continue
        t = block.type
        if t is BlockType.HALL:
            items += paragraph(context.fill(block.text), 10.5, 15, width, align="center")
        elif t is BlockType.TITLE:
            items += paragraph(context.fill(block.text), 14.5, 22, width, align="center", bold=True)
        elif t is BlockType.RULE:
            items.append(Rule(10, thickness=0.7, dashed=True))
        elif t is BlockType.BIG:
            items.append(Gap(4))
            items += paragraph(block.label, _R_NOTE, 13, width, align="center")
            items.append(fitted_line(context.fill(block.text), block.size or 18, width, leading_factor=1.25))
            items.append(Gap(2))
        elif t is BlockType.QR:
            code = qr_item(context.values["qr_payload"])
            quiet = 4 * code.module  # the quiet zone the standard asks for
            items += [Gap(quiet), code, Gap(quiet * 0.6)]
            items += paragraph(context.fill(block.text), _R_NOTE, 13, width, align="center")
        elif t is BlockType.FIELD:
            items += _field(block.label, context.fill(block.text), width)
        elif t is BlockType.PARA:
            for text in _paragraphs(context.fill(block.text)):
                items += paragraph(text, _R_BODY, _R_LEAD, width)
        elif t is BlockType.NOTE:
            items.append(Gap(2))
            for text in _paragraphs(context.fill(block.text)):
                items += paragraph(text, _R_NOTE, _R_NOTE_LEAD, width)
        elif t is BlockType.SPACE:
            items.append(Gap(_R_LEAD * (block.size or 1)))
        else:
            raise ValidationError("document_block", f"80毫米回执不支持“{t.value}”版块")
    return items


def _field(label: str, value: str, width: float) -> list[Item]:
    """“label：value”, the labels spread over four characters so that the values line up."""
    label_width = max(5.0, len(label) + 1.0) * _R_BODY
    lines = wrap(value or "—", _R_BODY, width - label_width)
    return [FieldLine(_R_LEAD, label=label if i == 0 else "", text=line.text, size=_R_BODY,
                      label_width=label_width, natural=line.width, last=line.last)
            for i, line in enumerate(lines)]


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n") if p.strip()]


# -- A4 ----------------------------------------------------------------------------------------

_BODY = A4.width / 28  # 28 characters a line (GB/T 9704), ≈ 15.8 pt
_LEAD = (A4.page_height - A4.top - A4.bottom) / 22  # 22 lines a page, ≈ 29 pt
_COMPACT, _COMPACT_LEAD = 14.0, 24.0
_ROW, _ROW_LEAD = 12.5, 20.0
_ROW_CHUNK = 8  # a row's value longer than this many lines is cut into parts…
_ROW_PART = 3  # …of this many lines, so that a page can break inside it


def _a4_items(template: Template, context: _Context) -> list[Item]:
    width = A4.width
    size, lead = (_COMPACT, _COMPACT_LEAD) if template.compact else (_BODY, _LEAD)
    items = _form_heading(template, context) if template.form else _letterhead(template, context)
    for block in template.blocks:
        if not _shown(block, context):
            continue
        t = block.type
        if t is BlockType.ADDRESSEE:
            lines = paragraph(context.fill(block.text), size, lead, width, align="left")
            for line in lines:
                line.keep_with_next = True
            items += lines
        elif t is BlockType.PARA:
            for text in _paragraphs(context.fill(block.text)):
                items += _keep_first_two(paragraph(text, size, lead, width, indent_chars=2))
        elif t is BlockType.HEADING:
            for line in paragraph(context.fill(block.text), size, lead, width, indent_chars=2, bold=True):
                line.keep_with_next = True
                items.append(line)
        elif t is BlockType.ITEMS:
            for i, text in enumerate(_paragraphs(context.fill(block.text))):
                numbered = text if _ITEM_NUMBER.match(text) else f"（{_ordinal(i + 1)}）{text}"
                items += _keep_first_two(paragraph(numbered, size, lead, width, indent_chars=2))
        elif t is BlockType.ROW:
            second = context.fill(block.text2) if block.label2 else ""
            items += _row(block.label, context.fill(block.text), width, block.label2 if second else "", second)
        elif t is BlockType.NOTE:
            for text in _paragraphs(context.fill(block.text)):
                items += paragraph(text, 12, 20, width, indent_chars=2)
        elif t is BlockType.SPACE:
            items.append(Gap(lead * (block.size or 1)))
        elif t is BlockType.SIGNATURE:
            for previous in items[-2:]:
                if isinstance(previous, TextLine | RowItem):
                    previous.keep_with_next = True
            space = 1.0 if template.form else 2.0
            items.append(SignatureItem(SignatureItem.height_for(lead, space),
                                       organisation=context.fill("{issuing_organisation}"),
                                       date_text=context.fill("{issued_on_zh}"),
                                       seal_text=context.values.get("seal_text", ""), size=size, leading=lead,
                                       space_lines=space))
        elif t is BlockType.SIGN_HERE:
            items[-1].keep_with_next = True
            items.append(SignHereItem(lead * 3.4, text=context.fill(block.text), size=size))
        elif t is BlockType.TITLE:
            items += paragraph(context.fill(block.text), 22, 34, width, align="center", bold=True)
        elif t is BlockType.RULE:
            items.append(Rule(lead / 2, thickness=0.6))
        else:
            raise ValidationError("document_block", f"A4文书不支持“{t.value}”版块")
    return items


def _header_colour(context: _Context) -> Color:
    return RED if context.values.get("header_red", "是") == "是" else BLACK


def _letterhead(template: Template, context: _Context) -> list[Item]:
    """红头: the organisation's name large, the document number, a rule; then the title."""
    width = A4.width
    colour = _header_colour(context)
    org = context.fill("{issuing_organisation}")
    size = min(34.0, width / max(len(org), 1) / 1.25)
    items: list[Item] = [TextLine(size * 1.3, text=org, size=size, natural=string_width(org, size), align="center",
                                  bold=True, color=colour, tracking=size * 0.18)]
    if template.number_word:
        number = context.fill("{document_number}")
        items.append(Gap(_LEAD * 0.4))
        items.append(TextLine(_LEAD, text=number, size=_BODY, natural=string_width(number, _BODY), align="center"))
    items.append(Rule(4 * MM + 3, thickness=1.6, color=colour))
    items.append(Gap(_LEAD * 0.6))
    items += paragraph(context.fill(template.title), 22, 34, width * 0.85, align="center", bold=True)
    items.append(Gap(_LEAD * 0.5))
    return items


def _form_heading(template: Template, context: _Context) -> list[Item]:
    """A form's heading: the organisation's name, the title, the number at the right over a rule."""
    width = A4.width
    colour = _header_colour(context)
    org = context.fill("{issuing_organisation}")
    size = min(24.0, width / max(len(org), 1) / 1.25)
    items: list[Item] = [TextLine(size * 1.35, text=org, size=size, natural=string_width(org, size),
                                  align="center", bold=True, color=colour, tracking=size * 0.15)]
    items += paragraph(context.fill(template.title), 20, 32, width, align="center", bold=True)
    number = context.fill("{document_number}")
    items.append(TextLine(22, text=number, size=13, natural=string_width(number, 13), align="right"))
    items.append(Rule(8, thickness=1.2, color=colour))
    items.append(Gap(_LEAD * 0.3))
    return items


def _keep_first_two(lines: list[Item]) -> list[Item]:
    """Neither the first line of a paragraph alone at the foot of a page, nor its last at the top."""
    if len(lines) > 1:
        lines[0].keep_with_next = True
        lines[-2].keep_with_next = True
    return lines


def _ordinal(n: int) -> str:
    if n <= 10:
        return _CN_ORDINALS[n - 1]
    tens, ones = divmod(n, 10)
    return f"{_CN_ORDINALS[tens - 1] if tens > 1 else ''}十{_CN_ORDINALS[ones - 1] if ones else ''}"


def _row(label: str, value: str, width: float, label2: str = "", value2: str = "") -> list[Item]:
    """A table row; a long single value continues in further rows (“（续）”) so pages can break."""
    label_width = 26 * MM
    pad = 4.0
    if label2:
        first = (width - 2 * label_width) * 0.58  # room for a case number on one line
        second = width - 2 * label_width - first
        cells = [_cell(label, value, label_width, first, pad), _cell(label2, value2, label_width, second, pad)]
        lines = max(max(len(c.label), len(c.lines)) for c in cells)
        return [RowItem(lines * _ROW_LEAD + pad * 2, cells=cells, size=_ROW, leading=_ROW_LEAD, pad=pad)]
    cell = _cell(label, value, label_width, width - label_width, pad)
    if len(cell.lines) <= _ROW_CHUNK:
        height = max(len(cell.lines), len(cell.label)) * _ROW_LEAD + pad * 2
        return [RowItem(height, cells=[cell], size=_ROW, leading=_ROW_LEAD, pad=pad)]
    # A long value: parts of a few lines each, so that the page breaks inside it, not before it.
    parts = [cell.lines[i:i + _ROW_PART] for i in range(0, len(cell.lines), _ROW_PART)]
    rows: list[Item] = []
    for n, chunk in enumerate(parts):
        first, last = n == 0, n == len(parts) - 1
        height = len(chunk) * _ROW_LEAD + (pad if first else 0) + (pad if last else 0)
        rows.append(RowItem(height, cells=[Cell(cell.label if first else (), chunk, label_width,
                                                width - label_width)],
                            size=_ROW, leading=_ROW_LEAD, pad=pad, continued=not first, continues=not last))
    return rows


def _cell(label: str, value: str, label_width: float, value_width: float, pad: float) -> Cell:
    per_line = math.ceil(len(label) / math.ceil(len(label) / 4)) if label else 1  # 事实和/理由, not 事实和理/由
    label_lines = tuple(label[i:i + per_line] for i in range(0, len(label), per_line)) or ("",)
    room = value_width - pad * 3
    lines = tuple(line for text in (_paragraphs(value) or ["—"]) for line in wrap(text, _ROW, room))
    return Cell(label_lines, lines, label_width, value_width)
