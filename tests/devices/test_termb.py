"""The vendor-SDK backend against a real shared library built here from C.

The library implements the CVR / termb functions the way the vendors' libraries behave
(return codes, GBK text through ``char*`` + ``int*`` length, the photo as a BMP) and
adds ``fake_*`` functions through which the test plugs the reader in, puts a card on
it and sees what the backend did. It is compiled with the system's C compiler; without
one these tests are skipped.
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from desktop.devices.factory import reader_from_text
from desktop.devices.idcard import LONG_TERM, IdCardReader, ReaderError, ReaderProblem
from desktop.devices.simulated import tiny_bmp
from desktop.devices.spec import SdkTarget
from desktop.devices.termb import POLL_INTERVAL, TEXT_GETTERS, TermbReader, library_candidates
from tests.helpers import valid_id

ID_NUMBER = valid_id("330726", date(1985, 7, 9), 402)  # 17th digit 2: female
PHOTO = tiny_bmp(3, 2, (200, 150, 100))
#: What the card holds, as the SDK returns it (names padded with spaces, as some SDKs do).
FIELDS = {
    "GetPeopleName": "王䶮   ",  # 䶮 is in GB 18030, not in GBK
    "GetPeopleSex": "女",
    "GetPeopleNation": "汉",
    "GetPeopleBirthday": "19850709",
    "GetPeopleAddress": "浙江省浦江县浦阳街道和平路18号",
    "GetPeopleIDCode": ID_NUMBER,
    "GetDepartment": "浦江县公安局",
    "GetStartDate": "20150301",
    "GetEndDate": "长期",
}
#: Fields the card gives in minimal mode (the rest fail, as on a library missing them).
MINIMAL = ("GetPeopleName", "GetPeopleIDCode")


def _c_bytes(data: bytes) -> str:
    return "".join(f"\\x{b:02x}" for b in data)


def _source() -> str:
    getters = "\n".join(
        f'int {name}(char *text, int *length) {{ return give("{_c_bytes(value.encode("gb18030"))}", '
        f'{len(value.encode("gb18030"))}, {int(name in MINIMAL)}, text, length); }}'
        for name, value in FIELDS.items())
    photo = ", ".join(str(b) for b in PHOTO)
    return f"""
#include <string.h>

static int reader_port = 1001;  /* where the reader answers; 0: unplugged */
static int card = 1;            /* 1 a card, 0 none, 3 a card that cannot be selected, 9 a refusal */
static int read_code = 1;       /* what CVR_Read_Content returns */
static int minimal = 0;         /* only name and ID number */
static int open_port = 0, closes = 0, inits = 0, authentications = 0, last_active = -1;
static const unsigned char photo[] = {{{photo}}};

void fake_set(int port, int card_state, int read, int only_minimal) {{
    reader_port = port; card = card_state; read_code = read; minimal = only_minimal;
    open_port = 0; closes = 0; inits = 0; authentications = 0; last_active = -1;
}}
void fake_place_card(void) {{ card = 1; }}
int fake_closes(void) {{ return closes; }}
int fake_inits(void) {{ return inits; }}
int fake_authentications(void) {{ return authentications; }}
int fake_open_port(void) {{ return open_port; }}
int fake_last_active(void) {{ return last_active; }}

int CVR_InitComm(int port) {{
    inits++;
    if (reader_port != 0 && port == reader_port) {{ open_port = port; return 1; }}
    return 2;
}}
int CVR_Authenticate(void) {{
    authentications++;
    if (open_port == 0) return 4;
    if (card == 1) return 1;
    if (card == 0) return 2;
    if (card == 3) return 3;
    return 0;
}}
int CVR_Read_Content(int active) {{
    last_active = active;
    if (open_port == 0) return 4;
    return read_code;
}}
int CVR_CloseComm(void) {{ closes++; open_port = 0; return 1; }}

static int give(const char *value, int size, int essential, char *text, int *length) {{
    if (minimal && !essential) return 0;
    if (*length < size) return 0;
    memcpy(text, value, size);
    *length = size;
    return 1;
}}
{getters}

int GetBMPData(unsigned char *data, int *length) {{
    if (minimal) return 0;
    if (*length < (int)sizeof(photo)) return 0;
    memcpy(data, photo, sizeof(photo));
    *length = sizeof(photo);
    return 1;
}}
"""


def _compile(source: str, target: Path) -> Path:
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("没有 C 编译器（cc/gcc），无法构建测试用的 termb 库")
    c_file = target.with_suffix(".c")
    c_file.write_text(source, encoding="utf-8")
    subprocess.run([compiler, "-shared", "-fPIC", "-O0", "-o", str(target), str(c_file)], check=True,
                   capture_output=True, timeout=60)
    return target


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _compile(_source(), tmp_path_factory.mktemp("termb") / "libtermb.so")


@pytest.fixture
def fake(library: Path) -> Iterator[ctypes.CDLL]:
    """The library's state (the backend loads the same library, so it shares it), reset per test."""
    handle = ctypes.CDLL(str(library))
    handle.fake_set(1001, 1, 1, 0)
    yield handle
    handle.fake_set(1001, 1, 1, 0)


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
    other = _compile("int something(void) { return 1; }\n", tmp_path / "libother.so")
    with pytest.raises(ReaderError) as refused:
        TermbReader(SdkTarget(str(other))).read(timeout=0)
    assert refused.value.problem is ReaderProblem.LIBRARY_MISSING
    assert "不是身份证阅读器的 termb 驱动库" in refused.value.message and "CVR_InitComm" in refused.value.message


def test_the_field_getters_cover_every_text_field_of_a_card() -> None:
    assert [key for key, _name in TEXT_GETTERS] == ["name", "sex", "ethnicity", "birth_date", "address", "id_number",
                                                    "issuer", "valid_from", "valid_to"]
    assert [name for _key, name in TEXT_GETTERS] == list(FIELDS)
