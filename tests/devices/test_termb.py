"""The vendor-SDK backend against a real shared library built here from C (tests/devices/fake_termb.py).

It is compiled with the system's C compiler; without one these tests are skipped.
"""

from __future__ import annotations

import ctypes
import threading
from datetime import date
from pathlib import Path

import pytest

from desktop.devices.factory import reader_from_text
from desktop.devices.idcard import LONG_TERM, IdCardReader, ReaderError, ReaderProblem
from desktop.devices.spec import SdkTarget
from desktop.devices.termb import POLL_INTERVAL, TEXT_GETTERS, TermbReader, library_candidates
from tests.devices.fake_termb import FIELDS, ID_NUMBER, PHOTO, compile_c


def test_a_card_is_read_decoded_and_the_port_closed(library: Path, fake: ctypes.CDLL) -> None:
    reader = reader_from_text(f"sdk:{library}:1001")
    assert isinstance(reader, TermbReader) and isinstance(reader, IdCardReader)
    card = reader.read(timeout=1)
    assert (card.name, card.sex, card.ethnicity, card.birth_date) == ("王䶮", "女", "汉", date(1985, 7, 9))
    assert (card.address, card.id_number, card.issuer) == (FIELDS["GetPeopleAddress"], ID_NUMBER, "浦江县公安局")
    assert (card.valid_from, card.valid_to) == (date(2015, 3, 1), LONG_TERM)
    assert card.photo == PHOTO and card.photo_format == "bmp"
    assert fake.fake_closes() == 1 and fake.fake_open_port() == 0 and fake.fake_last_active() == 4
    assert reader.load().path == str(library) and reader.load().missing == ()


def test_the_port_is_searched_when_the_setting_names_none(library: Path, fake: ctypes.CDLL) -> None:
    fake.fake_set(3, 1, 1, 0)  # a serial reader on COM3
    reader = TermbReader(SdkTarget(str(library)))
    assert reader.find_port() == 3 and fake.fake_inits() == 16 + 3
    assert reader.read(timeout=0).id_number == ID_NUMBER
    assert fake.fake_inits() == 16 + 3 + 1  # the port that answered is tried first


def test_a_wrong_port_or_an_unplugged_reader(library: Path, fake: ctypes.CDLL) -> None:
    with pytest.raises(ReaderError) as wrong_port:
        TermbReader(SdkTarget(str(library), 1002)).read(timeout=0)
    assert wrong_port.value.problem is ReaderProblem.NOT_CONNECTED and "USB 端口 1002" in wrong_port.value.message
    fake.fake_set(0, 1, 1, 0)
    with pytest.raises(ReaderError) as nowhere:
        TermbReader(SdkTarget(str(library))).read(timeout=0)
    assert nowhere.value.problem is ReaderProblem.NOT_CONNECTED and "1001–1016" in nowhere.value.message
    assert fake.fake_inits() == 32 and fake.fake_closes() == 0


def test_no_card_waits_for_the_timeout_then_says_so(library: Path, fake: ctypes.CDLL) -> None:
    fake.fake_set(1001, 0, 1, 0)
    reader = TermbReader(SdkTarget(str(library), 1001))
    with pytest.raises(ReaderError) as empty:
        reader.read(timeout=3 * POLL_INTERVAL)
    assert empty.value.problem is ReaderProblem.NO_CARD and empty.value.message == "请将身份证放在阅读器上"
    assert fake.fake_authentications() >= 2 and fake.fake_closes() == 1


def test_a_card_placed_while_waiting_is_read(library: Path, fake: ctypes.CDLL) -> None:
    fake.fake_set(1001, 0, 1, 0)
    threading.Timer(POLL_INTERVAL, fake.fake_place_card).start()
    assert TermbReader(SdkTarget(str(library), 1001)).read(timeout=10).name == "王䶮"


@pytest.mark.parametrize(("card", "read", "problem", "said"), [
    (3, 1, ReaderProblem.AUTH_FAILED, "认证没有成功"),
    (9, 1, ReaderProblem.AUTH_FAILED, "代码 0"),
    (1, 0, ReaderProblem.READ_FAILED, "读取身份证失败（代码 0）"),
    (1, 4, ReaderProblem.NOT_CONNECTED, "断开了连接"),
])
def test_failed_authentication_and_reads(library: Path, fake: ctypes.CDLL, card: int, read: int,
                                         problem: ReaderProblem, said: str) -> None:
    fake.fake_set(1001, card, read, 0)
    with pytest.raises(ReaderError) as failed:
        TermbReader(SdkTarget(str(library), 1001)).read(timeout=0)
    assert failed.value.problem is problem and said in failed.value.message
    assert fake.fake_closes() == 1


def test_birth_date_and_sex_from_the_id_number_when_the_reader_gives_only_name_and_number(
        library: Path, fake: ctypes.CDLL) -> None:
    fake.fake_set(1001, 1, 1, 1)
    card = TermbReader(SdkTarget(str(library), 1001)).read(timeout=0)
    assert (card.birth_date, card.sex, card.address, card.valid_to, card.photo) == (date(1985, 7, 9), "女", "", None,
                                                                                   None)


def test_a_missing_library_names_every_path_tried(tmp_path: Path) -> None:
    reader = TermbReader(SdkTarget(str(tmp_path / "nope" / "libtermb.so")))
    with pytest.raises(ReaderError) as missing:
        reader.read(timeout=0)
    assert missing.value.problem is ReaderProblem.LIBRARY_MISSING
    assert str(tmp_path / "nope" / "libtermb.so") in missing.value.message
    assert library_candidates(str(tmp_path)) == [str(tmp_path / "libtermb.so")]  # a folder: the library in it
    assert library_candidates("termb")[:2] == ["termb", "libtermb.so"]
    with pytest.raises(ReaderError, match=r"已尝试：no-such-reader-lib、libno-such-reader-lib\.so"):
        TermbReader(SdkTarget("no-such-reader-lib")).load()


def test_a_library_that_is_not_termb_is_refused(tmp_path: Path) -> None:
    other = compile_c("int something(void) { return 1; }\n", tmp_path / "libother.so")
    with pytest.raises(ReaderError) as refused:
        TermbReader(SdkTarget(str(other))).read(timeout=0)
    assert refused.value.problem is ReaderProblem.LIBRARY_MISSING
    assert "不是身份证阅读器的 termb 驱动库" in refused.value.message and "CVR_InitComm" in refused.value.message


def test_the_field_getters_cover_every_text_field_of_a_card() -> None:
    assert [key for key, _name in TEXT_GETTERS] == ["name", "sex", "ethnicity", "birth_date", "address", "id_number",
                                                    "issuer", "valid_from", "valid_to"]
    assert [name for _key, name in TEXT_GETTERS] == list(FIELDS)
