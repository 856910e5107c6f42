"""A termb library for the tests, in C: the CVR / termb functions as the vendors' libraries behave.

Return codes, GBK / GB 18030 text through ``char*`` + ``int*`` length, the photo as a BMP;
``fake_*`` functions let a test plug the reader in, put a card on it and see what the
backend did (the backend loads the same library, so they share its state).
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from desktop.devices.simulated import tiny_bmp
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


def c_bytes(data: bytes) -> str:
    return "".join(f"\\x{b:02x}" for b in data)


def source() -> str:
    getters = "\n".join(
        f'int {name}(char *text, int *length) {{ return give("{c_bytes(value.encode("gb18030"))}", '
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


def compile_c(code: str, target: Path) -> Path:
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("没有 C 编译器（cc/gcc），无法构建测试用的 termb 库")
    c_file = target.with_suffix(".c")
    c_file.write_text(code, encoding="utf-8")
    subprocess.run([compiler, "-shared", "-fPIC", "-O0", "-o", str(target), str(c_file)], check=True,
                   capture_output=True, timeout=60)
    return target


def build_library(target: Path) -> Path:
    """The fake termb library compiled to ``target``."""
    return compile_c(source(), target)
