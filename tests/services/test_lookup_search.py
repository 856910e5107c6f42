"""Search results for the counter screen: counts, case numbers by their last part, mistyped
numbers explained, phrases across punctuation, and accusations neither listed nor counted."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import Engine, select, text

from db.migrate import current_revision, downgrade, head_revision, upgrade
from db.models import CaseRow
from desktop.domain.access import Role
from desktop.domain.case import project
from desktop.domain.folding import DROPPED, WIDE, fold_text
from desktop.services import cases
from desktop.services.context import Actor, Hall
from desktop.services.lookup import PUNCTUATION_ONLY, MatchKind, SearchResult, find_cases, search_cases
from desktop.services.projections import rebuild_and_compare
from desktop.services.registration import register_visit
from desktop.services.store import case_events, folded_index, write_projections
from tests.conftest import FakeClock
from tests.helpers import form, valid_id


def _register(hall: Hall, clerk: Actor, seq: int, **kwargs: object) -> str:
    return register_visit(hall, clerk, form(id_number=valid_id(seq=seq), **kwargs)).case_number  # type: ignore[arg-type]


def _numbers(result: SearchResult) -> list[str]:
    return [c.case_number for c in result.cases]


# -- counts -------------------------------------------------------------------------------------

def test_names_are_counted_beyond_the_cases_shown(hall: Hall, clerk: Actor, clock: FakeClock) -> None:
    numbers = []
    for seq in range(5):
        numbers.append(_register(hall, clerk, 10 + seq, name="王芳"))
        clock.advance(days=1)
    result = search_cases(hall, clerk, "王芳", limit=2)
    assert _numbers(result) == numbers[:2:-1]
    assert (result.total, result.more, result.kind) == (5, True, MatchKind.NAME)
    assert result.headline == "显示最新 2 件，共 5 件"
    everything = search_cases(hall, clerk, "王芳")
    assert (everything.total, everything.more, everything.headline) == (5, False, "共 5 件")
    assert find_cases(hall, clerk, "王芳", limit=2) == result.cases
    for query in ("wf", "13857912345", valid_id(seq=12)):
        counted = search_cases(hall, clerk, query, limit=1)
        assert counted.total == (1 if query == valid_id(seq=12) else 5)
        assert counted.more is (counted.total > 1)


def test_phrases_say_more_without_counting(hall: Hall, clerk: Actor) -> None:
    for seq in range(3):
        _register(hall, clerk, 20 + seq, request=f"反映工地拖欠工资第{seq}次")
    result = search_cases(hall, clerk, "拖欠工资", limit=2)
    assert (len(result.cases), result.total, result.more, result.kind) == (2, None, True, MatchKind.PHRASE)
    assert result.headline == "显示最新 2 件，共 2+ 件"
    assert search_cases(hall, clerk, "拖欠工资").total == 3  # all shown: the count is known


def test_an_empty_result(hall: Hall, clerk: Actor) -> None:
    result = search_cases(hall, clerk, "不存在的内容")
    assert (result.cases, result.total, result.more, result.note) == ([], 0, False, "")
    assert result.headline == "未找到相符的事项"
    assert search_cases(hall, clerk, "  ") == SearchResult([], 0, False)


# -- case numbers by their last part ------------------------------------------------------------

def test_case_number_by_serial_or_last_characters(hall: Hall, clerk: Actor) -> None:
    first = _register(hall, clerk, 30)
    _register(hall, clerk, 31)
    twelfth = ""
    for seq in range(10):
        twelfth = _register(hall, clerk, 32 + seq)
    assert twelfth.split("-")[3] == "00012"
    check = twelfth[-1]
    for query in ("00012", "012", f"12-{check}", f"012-{check}", f"0012-{check}", f"00012-{check}",
                  f"00012－{check}", f"c01-00012-{check.lower()}", "C01-12", twelfth.replace("-", "").lower(),
                  twelfth[3:]):
        result = search_cases(hall, clerk, query)
        assert _numbers(result) == [twelfth], query
        assert (result.total, result.kind) == (1, MatchKind.CASE_NUMBER), query
    assert _numbers(search_cases(hall, clerk, "00001")) == [first]
    wrong = "0" if check != "0" else "1"
    assert search_cases(hall, clerk, f"0012-{wrong}").cases == []


def test_a_serial_matching_several_cases_lists_the_newest_first(hall: Hall, clerk: Actor, clock: FakeClock) -> None:
    earlier = _register(hall, clerk, 40)
    clock.current = datetime(2027, 1, 5, 9, 0)  # serials restart with the year
    later = _register(hall, clerk, 41)
    assert earlier.split("-")[3] == later.split("-")[3] == "00001"
    result = search_cases(hall, clerk, "00001")
    assert _numbers(result) == [later, earlier]
    assert (result.total, result.more) == (2, False)
    assert _numbers(search_cases(hall, clerk, "00001", limit=1)) == [later]
    assert search_cases(hall, clerk, "00001", limit=1).more


def test_a_number_with_a_wrong_check_character_is_explained(hall: Hall, clerk: Actor) -> None:
    number = _register(hall, clerk, 50)
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    for typed in (wrong, wrong.replace("-", "").lower(), wrong[3:]):
        result = search_cases(hall, clerk, typed)
        assert result.cases == [] and result.total == 0
        assert result.note.startswith("案件编号校验不符，可能有一位输错或两位颠倒，请核对："), typed
        assert typed in result.note
    assert search_cases(hall, clerk, number[:-7] + "9" + number[-6:]).note  # a changed serial digit
    swapped = number[:-3] + number[-1] + "-" + number[-3]  # the last two characters swapped
    assert search_cases(hall, clerk, swapped).cases == [] and search_cases(hall, clerk, swapped).note
    bad_date = search_cases(hall, clerk, "XF-20261324-C01-00001-0")
    assert bad_date.cases == [] and bad_date.note


def test_short_digits_and_phones_are_not_case_numbers(hall: Hall, clerk: Actor) -> None:
    _register(hall, clerk, 60, request="反映拖欠工资3000元")
    assert search_cases(hall, clerk, "12").kind is MatchKind.PHRASE
    assert search_cases(hall, clerk, "13857912345").kind is MatchKind.PHONE
    found = search_cases(hall, clerk, "3000")  # no case has serial 3000: found as words
    assert found.kind is MatchKind.PHRASE and len(found.cases) == 1


# -- phrases across punctuation ----------------------------------------------------------------

def test_phrases_are_found_across_punctuation_and_widths(hall: Hall, clerk: Actor) -> None:
    with_comma = _register(hall, clerk, 70, request="拖欠工资，要求支付")
    without = _register(hall, clerk, 71, request="拖欠工资要求支付")
    wide = _register(hall, clerk, 72, request="借款３万元（ＡＢ公司）未还")
    for query in ("工资要求", "工资,要求", "工资，要求", "工资 要求", "欠工资。要求支"):
        assert set(_numbers(search_cases(hall, clerk, query))) == {with_comma, without}, query
    assert _numbers(search_cases(hall, clerk, "工资，要求", limit=1)) == [without]
    for query in ("3万元", "３万元", "3万元AB", "ab公司", "借款3万元(AB公司)"):
        assert _numbers(search_cases(hall, clerk, query)) == [wide], query


def test_two_characters_and_punctuation_only(hall: Hall, clerk: Actor) -> None:
    number = _register(hall, clerk, 80, request="反映夜间施工噪声扰民，影响休息")
    assert _numbers(search_cases(hall, clerk, "噪声")) == [number]
    assert _numbers(search_cases(hall, clerk, "民，影")) == [number]  # 2 characters once folded: as typed
    for query in ("，。", "、", "...", "“”"):
        result = search_cases(hall, clerk, query)
        assert (result.cases, result.note) == ([], PUNCTUATION_ONLY), query


def _folded_index(hall: Hall) -> list[tuple[object, ...]]:
    with hall.sessions() as session:
        return folded_index(session)


def _folded_cases(hall: Hall) -> list[tuple[object, ...]]:
    """What the folded index must hold: fold_text of every case's texts, with its number."""
    with hall.sessions() as session:
        rows = session.execute(select(CaseRow.case_id, CaseRow.request, CaseRow.facts, CaseRow.reasons,
                                      CaseRow.case_number)).all()
    return sorted((r.case_id, fold_text("\x1f".join((r.request, r.facts, r.reasons))), r.case_number)
                  for r in rows)


def test_the_folded_index_holds_fold_text_of_every_case(hall: Hall, clerk: Actor, supervisor: Actor) -> None:
    """Registered, updated, rebuilt, its text written again: always fold_text of the case's texts.

    On PostgreSQL this compares the indexed ``translate`` expression with fold_text.
    """
    sample = DROPPED + WIDE + "拖欠工资①₂ｶﾞ〔〕#%"
    number = _register(hall, clerk, 110, request=sample, facts="事实：３万元", reasons="理由（ＡＢ）")
    _register(hall, clerk, 111, request="拖欠工资，要求支付")
    with hall.sessions() as session:
        case_id = session.scalar(select(CaseRow.case_id).where(CaseRow.case_number == number))
    assert (case_id, fold_text(sample) + "\x1f事实3万元\x1f理由AB", number) in _folded_index(hall)
    assert _folded_index(hall) == _folded_cases(hall)
    cases.classify(hall, supervisor, number, nature="申诉求决类", topic_code="1202")  # an update: same text
    assert _folded_index(hall) == _folded_cases(hall)

    before = _folded_index(hall)
    report, same = rebuild_and_compare(hall, Actor.system(), compare=True)
    assert same and report.cases == 2
    assert _folded_index(hall) == before == _folded_cases(hall)
    assert len(_numbers(search_cases(hall, clerk, "欠工资，要求"))) == 1

    with hall.sessions() as session, session.begin():  # a registration again for a case row already there
        view = replace(project(case_id, case_events(session, case_id), hall.policy), request="要求：退还押金３千元")
        write_projections(session, [view], existing={case_id}, registered={case_id})
    assert (case_id, "要求退还押金3千元\x1f事实3万元\x1f理由AB", number) in _folded_index(hall)
    assert _folded_index(hall) == _folded_cases(hall)
    assert _numbers(search_cases(hall, clerk, "押金3千")) == [number]
    assert search_cases(hall, clerk, "拖欠工资①").cases == []


# -- art. 30 ------------------------------------------------------------------------------------

@pytest.fixture
def accusations(hall: Hall, clerk: Actor, supervisor: Actor) -> list[str]:
    """Two accusations against 330726-ZJJ and one ordinary case, same petitioner name and serial range."""
    numbers = []
    for seq in range(3):
        number = _register(hall, clerk, 90 + seq, name="欧阳建华", request=f"举报县住建局某科长索要好处费{seq}")
        if seq < 2:
            cases.classify(hall, supervisor, number, nature="检举控告类", topic_code="1202",
                           accused_org_codes=["330726-ZJJ"])
        numbers.append(number)
    return numbers


def test_hidden_accusations_are_neither_listed_nor_counted(hall: Hall, accusations: list[str]) -> None:
    accused = Actor("staff:zjj", "住建局干部", Role.SUPERVISOR, org_code="330726-ZJJ")
    for query in ("欧阳建华", "oyjh", valid_id(seq=90), valid_id(seq=92), "13857912345", "00001", "00003"):
        result = search_cases(hall, accused, query, limit=1)
        expected = [accusations[2]] if query not in ("00001", valid_id(seq=90)) else []
        assert _numbers(result) == expected, query
        assert (result.total, result.more) == (len(expected), False), query
    phrase = search_cases(hall, accused, "索要好处费", limit=1)
    assert (_numbers(phrase), phrase.total, phrase.more) == ([accusations[2]], 1, False)
    assert search_cases(hall, accused, accusations[0]).total == 0


def test_withheld_accusations_are_counted_by_name_but_not_found_by_their_words(
        hall: Hall, clerk: Actor, accusations: list[str]) -> None:
    by_name = search_cases(hall, clerk, "欧阳建华", limit=1)
    assert (by_name.total, by_name.more) == (3, True)
    by_words = search_cases(hall, clerk, "索要好处费")
    assert (_numbers(by_words), by_words.total, by_words.more) == ([accusations[2]], 1, False)


# -- migration 0013 -----------------------------------------------------------------------------

def test_folded_index_is_filled_by_0013_and_removed_by_its_downgrade(engine: Engine, clerk: Actor) -> None:
    from tests.conftest import make_hall

    hall = make_hall(engine)
    number = _register(hall, clerk, 100, request="拖欠工资，要求支付")
    downgrade(engine, "0012")
    with engine.connect() as connection:
        names = {r[0] for r in connection.execute(text(
            "SELECT name FROM sqlite_master" if engine.dialect.name == "sqlite" else
            "SELECT indexname FROM pg_indexes WHERE tablename = 'cases'"))}
    assert not {"case_fts_folded", "ix_cases_folded_trgm", "ix_cases_number_trgm"} & names
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert _numbers(search_cases(hall, clerk, "工资要求")) == [number]  # backfilled
    assert _numbers(search_cases(hall, clerk, "00001")) == [number]
    assert _folded_index(hall) == _folded_cases(hall)
    later = _register(hall, clerk, 101, request="工资，要求")  # kept in step after the upgrade
    assert _numbers(search_cases(hall, clerk, "工资要求")) == [later, number]


def _id_ending(ending: str) -> str:
    """A valid ID number of a person born in 1968 ending in ``ending`` (3 digits and the check character)."""
    for day in range(365):
        number = valid_id(birth=date(1968, 1, 1) + timedelta(days=day), seq=int(ending[:3]))
        if number.endswith(ending):
            return number
    raise AssertionError(ending)


def test_the_end_of_an_id_number_that_reads_as_a_serial_finds_both(hall: Hall, clerk: Actor) -> None:
    """4 characters are a case's serial first, and the end of an ID number too: both are listed, case
    numbers first, counted together, and the note says the rest are the person's."""
    numbers = [_register(hall, clerk, 80 + seq) for seq in range(12)]
    assert numbers[-1].split("-")[3] == "00012"
    owner = register_visit(hall, clerk, form(id_number=_id_ending("0012"), phone="13900000001")).case_number
    result = search_cases(hall, clerk, "0012")
    assert result.kind is MatchKind.CASE_NUMBER
    assert _numbers(result) == [numbers[-1], owner]
    assert [c.match for c in result.cases] == [MatchKind.CASE_NUMBER, MatchKind.ID_NUMBER]
    assert (result.total, result.more) == (2, False)
    assert "也可能是身份证号后几位" in result.note and "其中 1 件是证件号码或电话的后4位相符" in result.note
    assert "也可能是身份证号后几位" in result.status
    limited = search_cases(hall, clerk, "0012", limit=1)  # no room for both: the case number
    assert _numbers(limited) == [numbers[-1]] and limited.total == 2 and limited.more
    # A serial no ID number or phone ends in says nothing more.
    plain = search_cases(hall, clerk, "0011")
    assert _numbers(plain) == [numbers[-2]] and plain.note == "" and plain.total == 1
