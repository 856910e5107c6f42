"""Every service that keeps a person's name applies the name rule, and a written text counts its words.

On SQLite and PostgreSQL (the ``hall`` fixture): a refusal stores nothing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from db.models import AppointmentRow, CaseRow, QueueTicketRow, SuggestionRow
from desktop.domain.access import Actor
from desktop.domain.errors import ValidationError
from desktop.domain.identity import MAX_CHINESE_NAME, NAME_RULE, DocumentType
from desktop.domain.queue import TicketSource
from desktop.services import queue, reception
from desktop.services.context import Hall
from desktop.services.reception import Visitor
from desktop.services.registration import PersonInput, register_visit
from desktop.services.suggestions import submit_suggestion
from tests.helpers import form, valid_id

KIOSK = Actor.kiosk("K01")
PARAGRAPH = "2025年3月起，我家楼上住户长期在夜间发出噪音，多次与其协商无果，也向物业和社区反映过，均未解决。" * 10


def _rows(hall: Hall, table: type) -> int:
    with hall.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


@pytest.mark.parametrize("who", ["petitioner", "representative", "agent"])
@pytest.mark.parametrize(("name", "code"), [("李😀", "name_chars"), ("张三1", "name_chars"), ("张John", "name_mixed"),
                                            (PARAGRAPH, "name_too_long")])
def test_registration_refuses_a_name_that_is_no_name(hall: Hall, clerk: Actor, who: str, name: str,
                                                     code: str) -> None:
    person = PersonInput(name=name, document_number=valid_id(seq=401))
    changes = {"petitioner": {"petitioner": person},
               "representative": {"persons_count": 6, "representatives": (person,)},
               "agent": {"agent": person}}[who]
    with pytest.raises(ValidationError) as refused:
        register_visit(hall, clerk, replace(form(), **changes))  # type: ignore[arg-type]
    assert refused.value.code == code and refused.value.field == "name"
    whose = {"petitioner": "信访人", "representative": "代表", "agent": "代理人"}[who]
    assert refused.value.message.startswith(whose + "姓名")
    assert _rows(hall, CaseRow) == 0


def test_registration_keeps_a_minority_a_rare_and_a_foreign_name_normalised(hall: Hall, clerk: Actor) -> None:
    for seq, (typed, kept) in enumerate((("阿依古丽 • 买买提", "阿依古丽·买买提"), ("赵孟𫖯", "赵孟𫖯"),
                                         ("O’Brien Smith", "O'Brien Smith")), start=410):
        result = register_visit(hall, clerk, form(name=typed, id_number=valid_id(seq=seq)))
        assert result.view is not None
        assert result.view.petitioner.name == kept


def test_an_organisation_registers_under_its_name_but_not_with_a_persons_card(hall: Hall, clerk: Actor) -> None:
    organisation = PersonInput(name="浦江县第2建筑公司", document_type=DocumentType.OTHER.value,
                               document_number="91330726MA28DXXX5K")
    assert register_visit(hall, clerk, replace(form(), petitioner=organisation)).view is not None
    with pytest.raises(ValidationError, match="不能有“2”"):  # a resident's card: a person's name
        register_visit(hall, clerk, form(name="浦江县第2建筑公司", id_number=valid_id(seq=420)))
    with pytest.raises(ValidationError, match="不能有“😀”"):
        register_visit(hall, clerk, replace(form(), petitioner=replace(organisation, name="浦江县建筑公司😀")))
    assert _rows(hall, CaseRow) == 1


def test_a_request_of_emoji_or_dots_asks_for_the_request(hall: Hall, clerk: Actor) -> None:
    for request in ("😀😀😀", "。。。……", "！？"):
        with pytest.raises(ValidationError, match="只有标点或表情符号不算") as refused:
            register_visit(hall, clerk, form(request=request))
        assert refused.value.field == "诉求内容"
    assert _rows(hall, CaseRow) == 0


def test_a_signed_suggestion_needs_a_name_an_anonymous_one_none(hall: Hall) -> None:
    content = "建议在大厅增加老年人休息座椅"
    with pytest.raises(ValidationError) as refused:
        submit_suggestion(hall, KIOSK, content=content, name="李😀")
    assert refused.value.message.startswith(NAME_RULE) and "“😀”" in refused.value.message
    with pytest.raises(ValidationError, match=f"最多{MAX_CHINESE_NAME}个字"):
        submit_suggestion(hall, KIOSK, content=content, name=PARAGRAPH)
    assert _rows(hall, SuggestionRow) == 0
    submit_suggestion(hall, KIOSK, content=content, name="李 梅")
    submit_suggestion(hall, KIOSK, content=content, anonymous=True, name="李😀")  # anonymous: the name is not kept
    with hall.sessions() as session:
        assert sorted(session.scalars(select(SuggestionRow.name))) == ["", "李梅"]


def test_a_suggestion_counts_its_words_not_its_emoji(hall: Hall) -> None:
    for content in ("😀" * 10, "！" * 12, "好 。 " * 9, "1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣9️⃣🔟"):
        with pytest.raises(ValidationError, match="标点、空格和表情符号不算") as refused:
            submit_suggestion(hall, KIOSK, content=content, anonymous=True)
        assert refused.value.code == "text_too_short"
    assert _rows(hall, SuggestionRow) == 0
    submit_suggestion(hall, KIOSK, content="建议增加公交班次😀😀，方便群众！", anonymous=True)  # ten words with emoji
    assert _rows(hall, SuggestionRow) == 1


def test_a_booking_of_the_leaders_reception_takes_a_name_only(hall: Hall, clerk: Actor) -> None:
    day = reception.add_day(hall, clerk, date(2026, 9, 22), leaders=["县长 周建华"])
    for name in ("李😀", "张三1", PARAGRAPH):
        with pytest.raises(ValidationError) as refused:
            reception.book(hall, KIOSK, day.day_id, Visitor(name, valid_id(seq=430)))
        assert refused.value.field == "name" and refused.value.message.startswith("来访人")
    assert _rows(hall, AppointmentRow) == 0
    booked = reception.book(hall, clerk, day.day_id, Visitor("买买提 · 艾力", valid_id(seq=431)))
    assert booked.appointment.name == "买**·**"  # masked in lists, kept with its dot


def test_a_ticket_taken_with_a_card_takes_a_name_only(hall: Hall) -> None:
    with pytest.raises(ValidationError, match="不能有“😀”"):
        queue.issue_ticket(hall, type_code="general", source=TicketSource.COUNTER, id_number=valid_id(seq=440),
                           name="李😀")
    assert _rows(hall, QueueTicketRow) == 0
    issued = queue.issue_ticket(hall, type_code="general", source=TicketSource.COUNTER, id_number=valid_id(seq=441),
                                name="王 𬭎")
    assert issued.ticket.person_linked
