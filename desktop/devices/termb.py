"""Readers driven by the vendor SDK most desktop ID-card readers ship: the CVR / ``termb`` API.

The library (``termb.dll`` on Windows, ``libtermb.so`` on Linux, from the reader's
vendor) is loaded with ctypes the first time it is needed. A read opens the port
(``CVR_InitComm``: 1001–1016 USB, 1–16 serial; searched when the setting names none),
waits for a card (``CVR_Authenticate`` until the timeout), reads it
(``CVR_Read_Content``, or ``CVR_Read_FPContent`` when that is all the library has),
fetches the text fields (GBK / GB 18030) and the photo (``GetBMPData``), and closes
the port again (``CVR_CloseComm``), so that the reader is never held between reads.
Calls into the library are serialised: the SDK keeps global state.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from desktop.devices.idcard import IdCard, ReaderError, ReaderProblem, card_from_texts
from desktop.devices.spec import (
    FIELD_ADDRESS,
    FIELD_BIRTH_DATE,
    FIELD_ETHNICITY,
    FIELD_ID_NUMBER,
    FIELD_ISSUER,
    FIELD_NAME,
    FIELD_SEX,
    FIELD_VALID_FROM,
    FIELD_VALID_TO,
    SERIAL_PORTS,
    USB_PORTS,
    SdkTarget,
    describe_port,
)

# -- the SDK's functions --
FN_INIT_COMM: Final = "CVR_InitComm"  # int CVR_InitComm(int port)
FN_AUTHENTICATE: Final = "CVR_Authenticate"  # int CVR_Authenticate(void)
FN_READ_CONTENT: Final = "CVR_Read_Content"  # int CVR_Read_Content(int active)
FN_READ_FP_CONTENT: Final = "CVR_Read_FPContent"  # int CVR_Read_FPContent(void): with fingerprints
FN_CLOSE_COMM: Final = "CVR_CloseComm"  # int CVR_CloseComm(void)
FN_BMP_DATA: Final = "GetBMPData"  # int GetBMPData(unsigned char *data, int *length)
#: Text getters, ``int Get…(char *text, int *length)``, by the card field they give, in the card's order.
TEXT_GETTERS: Final[tuple[tuple[str, str], ...]] = (
    (FIELD_NAME, "GetPeopleName"),
    (FIELD_SEX, "GetPeopleSex"),
    (FIELD_ETHNICITY, "GetPeopleNation"),
    (FIELD_BIRTH_DATE, "GetPeopleBirthday"),
    (FIELD_ADDRESS, "GetPeopleAddress"),
    (FIELD_ID_NUMBER, "GetPeopleIDCode"),
    (FIELD_ISSUER, "GetDepartment"),
    (FIELD_VALID_FROM, "GetStartDate"),
    (FIELD_VALID_TO, "GetEndDate"),
)
#: Without these the library is not a termb library (the other getters and the photo may be missing).
REQUIRED_FUNCTIONS: Final[tuple[str, ...]] = (FN_INIT_COMM, FN_AUTHENTICATE, FN_CLOSE_COMM, "GetPeopleName",
                                              "GetPeopleIDCode")

# -- return codes --
SDK_OK: Final = 1
#: CVR_Authenticate: 2 no card found, 3 a card found but not selected, 4 no reader.
AUTH_NO_CARD: Final = 2
AUTH_NOT_SELECTED: Final = 3
AUTH_NO_READER: Final = 4
#: CVR_Read_Content's argument as the vendors' samples pass it (recent SDKs ignore it).
READ_CONTENT_ACTIVE: Final = 4
#: Seconds between two CVR_Authenticate calls while waiting for a card.
POLL_INTERVAL: Final = 0.2
TEXT_BUFFER: Final = 512
PHOTO_BUFFER: Final = 64 * 1024  # a card photo is a 102×126 24-bit BMP: 38 862 bytes
TEXT_ENCODING: Final = "gb18030"  # a superset of GBK: rare characters of names decode too

#: How the platform's loader spells a library: termb → termb.dll, libtermb.so, libtermb.dylib.
LIBRARY_PATTERNS: Final[dict[str, str]] = {"win32": "{}.dll", "darwin": "lib{}.dylib"}
SDK_LIBRARY: Final = "termb"

#: All SDK calls of the process, whatever the reader object: the library has global state.
_SDK_LOCK: Final = threading.Lock()


def platform_library_name(stem: str) -> str:
    return LIBRARY_PATTERNS.get(sys.platform, "lib{}.so").format(stem)


def default_library_name() -> str:
    return platform_library_name(SDK_LIBRARY)


def library_candidates(library: str) -> list[str]:
    """Where to look for the library named in the setting: a path, a folder, or a name for the loader."""
    name = library.strip() or default_library_name()
    path = Path(name).expanduser()
    if path.is_dir():
        return [str(path / default_library_name())]
    if os.sep in name or (os.altsep and os.altsep in name) or path.is_absolute():
        return [str(path)]
    candidates = [name]
    stem = name.removeprefix("lib").split(".")[0]
    if "." not in name:  # "termb": the platform's own spelling too
        candidates.append(platform_library_name(stem))
    found = ctypes.util.find_library(stem)
    if found and found not in candidates:
        candidates.append(found)
    return candidates


@dataclass(frozen=True)
class LoadedLibrary:
    path: str  # the candidate that loaded
    tried: tuple[str, ...]
    missing: tuple[str, ...]  # optional functions the library lacks


class TermbReader:
    """A reader behind the termb SDK: ``TermbReader(SdkTarget("libtermb.so", 1001))``."""

    def __init__(self, target: SdkTarget | None = None) -> None:
        self.target = target or SdkTarget()
        self._lib: Any = None
        self._loaded: LoadedLibrary | None = None
        self._loading = threading.Lock()
        self._last_port: int | None = None  # where the reader answered last, tried first next time

    def describe(self) -> str:
        library = self.target.library or default_library_name()
        port = describe_port(self.target.port) if self.target.port is not None else "自动查找端口"
        return f"身份证阅读器（厂商驱动 {library}，{port}）"

    # -- the library --
    def load(self) -> LoadedLibrary:
        """Load the library once; :class:`ReaderError` (``library_missing``) naming every path tried."""
        with self._loading:
            if self._loaded is None:
                self._loaded = self._load()
            return self._loaded

    def _load(self) -> LoadedLibrary:
        tried: list[str] = []
        errors: list[str] = []
        for candidate in library_candidates(self.target.library):
            tried.append(candidate)
            try:
                lib = _load(candidate)
            except OSError as exc:
                errors.append(str(exc))
                continue
            absent = [name for name in REQUIRED_FUNCTIONS if not hasattr(lib, name)]
            if not hasattr(lib, FN_READ_CONTENT) and not hasattr(lib, FN_READ_FP_CONTENT):
                absent.append(FN_READ_CONTENT)
            if absent:
                raise ReaderError(ReaderProblem.LIBRARY_MISSING,
                                  f"{candidate} 不是身份证阅读器的 termb 驱动库（缺少 {'、'.join(absent)}），"
                                  "请安装阅读器厂商提供的驱动，或在设置 id_reader 中写明正确的库文件")
            _declare(lib)
            optional = [name for _field, name in TEXT_GETTERS if not hasattr(lib, name)]
            optional += [name for name in (FN_READ_CONTENT, FN_BMP_DATA) if not hasattr(lib, name)]
            self._lib = lib
            return LoadedLibrary(candidate, tuple(tried), tuple(optional))
        raise ReaderError(ReaderProblem.LIBRARY_MISSING,
                          f"找不到身份证阅读器的驱动库（已尝试：{'、'.join(tried)}）。请安装阅读器厂商提供的驱动，"
                          f"或在设置 id_reader 中写明库文件路径，如 sdk:/opt/reader/{default_library_name()}"
                          + (f"（{errors[-1]}）" if errors else ""))

    # -- the port --
    def _ports(self) -> list[int]:
        if self.target.port is not None:
            return [self.target.port]
        ports = [*USB_PORTS, *SERIAL_PORTS]
        if self._last_port in ports:
            ports.remove(self._last_port)
            ports.insert(0, self._last_port)
        return ports

    def _open(self) -> int:
        for port in self._ports():
            if self._lib.CVR_InitComm(port) == SDK_OK:
                self._last_port = port
                return port
        if self.target.port is not None:
            raise ReaderError(ReaderProblem.NOT_CONNECTED,
                              f"身份证阅读器未连接，或{describe_port(self.target.port)}无法打开。"
                              "请检查阅读器的连接线和电源，以及设置 id_reader 中的端口")
        raise ReaderError(ReaderProblem.NOT_CONNECTED,
                          "没有找到身份证阅读器（USB 端口 1001–1016 和串口 1–16 都没有应答）。"
                          "请检查阅读器的连接线和电源；Linux 上还须有访问该设备的权限")

    def find_port(self) -> int:
        """Open and close the port at once: where the reader answers (for ``doctor``)."""
        self.load()
        with _SDK_LOCK:
            port = self._open()
            self._lib.CVR_CloseComm()
        return port

    # -- a read --
    def read(self, timeout: float) -> IdCard:
        self.load()
        with _SDK_LOCK:
            self._open()
            try:
                self._wait_for_card(timeout)
                self._read_content()
                texts = {key: self._text(name) for key, name in TEXT_GETTERS}
                photo = self._photo()
            finally:
                self._lib.CVR_CloseComm()
        return card_from_texts(texts, photo)

    def _wait_for_card(self, timeout: float) -> None:
        deadline = time.monotonic() + max(timeout, 0.0)
        while True:
            code = self._lib.CVR_Authenticate()
            if code == SDK_OK:
                return
            if code == AUTH_NO_READER:
                raise ReaderError(ReaderProblem.NOT_CONNECTED, "身份证阅读器未连接，请检查阅读器的连接线和电源")
            if code not in (AUTH_NO_CARD, AUTH_NOT_SELECTED):
                raise ReaderError(ReaderProblem.AUTH_FAILED, f"身份证认证失败（代码 {code}），请将身份证取下后重新放好")
            if time.monotonic() + POLL_INTERVAL > deadline:
                if code == AUTH_NOT_SELECTED:
                    raise ReaderError(ReaderProblem.AUTH_FAILED,
                                      "阅读器感应到了卡片，但认证没有成功：请将身份证取下后平放在阅读器中央；"
                                      "若不是身份证，请换用身份证")
                raise ReaderError(ReaderProblem.NO_CARD)
            time.sleep(POLL_INTERVAL)

    def _read_content(self) -> None:
        if hasattr(self._lib, FN_READ_CONTENT):
            code = self._lib.CVR_Read_Content(READ_CONTENT_ACTIVE)
        else:
            code = self._lib.CVR_Read_FPContent()
        if code == AUTH_NO_READER:
            raise ReaderError(ReaderProblem.NOT_CONNECTED, "读卡时阅读器断开了连接，请检查连接线后重新读卡")
        if code != SDK_OK:
            raise ReaderError(ReaderProblem.READ_FAILED, f"读取身份证失败（代码 {code}），请将身份证取下后重新放好再读")

    def _text(self, function: str) -> str:
        if not hasattr(self._lib, function):
            return ""
        buffer = ctypes.create_string_buffer(TEXT_BUFFER)
        length = ctypes.c_int(TEXT_BUFFER)
        if getattr(self._lib, function)(buffer, ctypes.byref(length)) != SDK_OK:
            return ""
        raw = buffer.raw[:length.value] if 0 < length.value <= TEXT_BUFFER else buffer.value
        return raw.split(b"\0", 1)[0].decode(TEXT_ENCODING, errors="replace").strip()

    def _photo(self) -> bytes | None:
        if not hasattr(self._lib, FN_BMP_DATA):
            return None
        buffer = (ctypes.c_ubyte * PHOTO_BUFFER)()
        length = ctypes.c_int(PHOTO_BUFFER)
        if self._lib.GetBMPData(buffer, ctypes.byref(length)) != SDK_OK or not 0 < length.value <= PHOTO_BUFFER:
            return None
        return bytes(buffer[:length.value])


def _load(candidate: str) -> Any:
    if sys.platform == "win32":
        folder = Path(candidate).parent
        if str(folder) not in ("", ".") and folder.is_dir():
            os.add_dll_directory(str(folder))  # the SDK's own DLLs (WltRS.dll, sdtapi.dll) beside it
        return ctypes.WinDLL(candidate)
    return ctypes.CDLL(candidate)


def _declare(lib: Any) -> None:
    """Argument and result types of every SDK function the library has."""
    text_pointer = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
    signatures: dict[str, list[Any]] = {
        FN_INIT_COMM: [ctypes.c_int], FN_AUTHENTICATE: [], FN_READ_CONTENT: [ctypes.c_int], FN_READ_FP_CONTENT: [],
        FN_CLOSE_COMM: [], FN_BMP_DATA: [ctypes.POINTER(ctypes.c_ubyte), ctypes.POINTER(ctypes.c_int)],
        **{name: text_pointer for _field, name in TEXT_GETTERS},
    }
    for name, arguments in signatures.items():
        if hasattr(lib, name):
            function = getattr(lib, name)
            function.argtypes = arguments
            function.restype = ctypes.c_int
