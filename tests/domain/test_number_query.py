"""What a clerk may type to find a case by its number, and the text folding of phrase search."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.folding import fold_text
from desktop.domain.number_query import NumberQuery, SerialReading, read_number_query
from desktop.domain.numbering import check_character, make_case_number

NUMBER = make_case_number(date(2026, 11, 24), "K01", 12)
CHECK = NUMBER[-1]


@pytest.mark.parametrize("typed", [NUMBER, NUMBER.lower(), NUMBER.replace("-", ""), NUMBER.replace("-", " "),
                                   NUMBER[3:], "ＸＦ" + NUMBER[2:]])
def test_whole_numbers(typed: str) -> None:
    found = read_number_query(typed)
    assert found is not None and found.numbers[0] == NUMBER and not found.serials  # typed without hyphens,
    assert set(found.numbers) <= {NUMBER, "XF-20261124-K0-100012-" + CHECK}  # "K0"+"100012" is a reading too


@pytest.mark.parametrize(("typed", "reading"), [
    ("00012", SerialReading(12)),
    ("012", SerialReading(12)),
    ("123456", SerialReading(123456)),
    (f"12-{CHECK}", SerialReading(12, CHECK)),
    (f"0012-{CHECK}", SerialReading(12, CHECK)),
    (f"00012—{CHECK.lower()}", SerialReading(12, CHECK)),
    ("0012K", SerialReading(12, "K")),
    (f"k01-00012-{CHECK}", SerialReading(12, CHECK, "K01")),
    ("K01 12", SerialReading(12, None, "K01")),
])
def test_last_parts(typed: str, reading: SerialReading) -> None:
    assert read_number_query(typed) == NumberQuery(serials=(reading,))


def test_readings_describe_the_canonical_number() -> None:
    assert SerialReading(12, "7").tail == "-00012-7" and SerialReading(12, None, "K01").tail == "-K01-00012-"
    assert SerialReading(123456, "7").pattern == "XF-%-%-123456-7"


@pytest.mark.parametrize("typed", ["12", "1234567", "12-345", "王芳", "zjg", "XF-2026", "12-号", "1-2-3-4-5"])
def test_not_case_numbers(typed: str) -> None:
    assert read_number_query(typed) is None


def test_a_whole_number_that_fails_its_check_says_why() -> None:
    wrong = NUMBER[:-1] + ("0" if CHECK != "0" else "1")
    problem = f"案件编号校验不符，可能有一位输错或两位颠倒，请核对：{wrong}"
    assert read_number_query(wrong) == NumberQuery(problem=problem)
    no_such_day = f"XF-20261324-K01-00012-{check_character('XF20261324K0100012')}"
    assert read_number_query(no_such_day) == NumberQuery(
        problem=f"案件编号中的日期20261324不存在，请核对：{no_such_day}")


def test_folding() -> None:
    assert fold_text("拖欠工资，要求支付") == fold_text("拖欠工资要求支付") == "拖欠工资要求支付"
    assert fold_text("工资, 要求\n（３万元，ＡＢ公司）") == "工资要求3万元AB公司"
    assert fold_text("①〔2026〕#%") == "①〔2026〕#%"  # not in the list: kept as typed
