"""ESC/POS thermal receipt printers (USB, network, serial) through python-escpos.

The receipt's PDF is rasterised at the printer's 203 dpi, 576 dots wide (72 mm),
and sent as one raster image (``GS v 0``), then the paper is cut (``GS V``): the
printer needs no Chinese font and prints exactly what the preview showed.

Before printing, the printer is asked for its real-time status (``DLE EOT``):
offline, cover open and paper end are reported in plain words. Printers that do
not answer (some cheap models, one-way connections) are printed to anyway.
"""

from __future__ import annotations

import contextlib
import copy
import errno
import socket
from collections.abc import Callable
from typing import Any

from desktop.documents.model import Media, RenderedDocument
from desktop.printing.base import PrinterError, PrintResult, Problem
from desktop.printing.raster import RECEIPT_DPI, RECEIPT_WIDTH_PX, receipt_image
from desktop.printing.spec import EscPosConnection, parse_connection

DLE_EOT = b"\x10\x04"
STATUS_PRINTER, STATUS_OFFLINE_CAUSE, STATUS_PAPER = 1, 2, 4
#: Tallest raster block sent in one ``GS v 0`` command (printers buffer a limited height).
FRAGMENT_HEIGHT = 960

DeviceFactory = Callable[[EscPosConnection], Any]


class EscPosPrinter:
    """A thermal receipt printer; ``connection`` as in the settings (``usb:0x0416:0x5011``…).

    ``device_factory`` builds the python-escpos printer object; tests hand in
    ``escpos.printer.Dummy``.
    """

    def __init__(self, connection: str | EscPosConnection, *, timeout: float = 10.0,
                 status_timeout: float = 1.0, device_factory: DeviceFactory | None = None) -> None:
        self.connection = parse_connection(connection) if isinstance(connection, str) else connection
        self.timeout = timeout
        self.status_timeout = status_timeout
        self._device_factory = device_factory or self._open_device

    @property
    def name(self) -> str:
        c = self.connection
        if c.kind == "usb":
            return f"escpos:usb:{c.vendor_id:#06x}:{c.product_id:#06x}"
        if c.kind == "tcp":
            return f"escpos:tcp:{c.host}:{c.port}"
        return f"escpos:serial:{c.device}"

    def describe(self) -> str:
        return f"热敏小票机（{self.connection.describe()}）"

    def print_document(self, doc: RenderedDocument) -> PrintResult:
        if doc.media is not Media.ROLL_80:
            raise PrinterError(Problem.UNSUPPORTED, f"热敏小票机只能打印80毫米回执，{doc.title or doc.kind.value}"
                                                    "请选择A4打印机")
        image = receipt_image(doc.pdf)
        device = self._connect()
        try:
            self._check_status(device)
            _use_receipt_profile(device)
            device.image(image, impl="bitImageRaster", fragment_height=FRAGMENT_HEIGHT)
            device.cut()
        except PrinterError:
            raise
        except Exception as exc:  # USB, socket and serial errors differ by library and platform
            raise self._mapped(exc, during_print=True) from exc
        finally:
            with contextlib.suppress(Exception):  # closing a connection that already failed
                device.close()
        return PrintResult(self.name, doc.pages, f"已在{self.describe()}打印并切纸")

    def check(self) -> None:
        """Ask the printer as a print asks it first (its connection, its real-time status), printing nothing;
        raises :class:`PrinterError` when a receipt would not print now."""
        device = self._connect()
        try:
            self._check_status(device)
        finally:
            with contextlib.suppress(Exception):
                device.close()

    # -- connection ---------------------------------------------------------------------------

    def _connect(self) -> Any:
        try:
            device = self._device_factory(self.connection)
            device.open()
        except PrinterError:
            raise
        except Exception as exc:
            raise self._mapped(exc, during_print=False) from exc
        return device

    def _open_device(self, c: EscPosConnection) -> Any:
        if c.kind == "usb":
            from escpos.printer import Usb

            return Usb(c.vendor_id, c.product_id, timeout=int(self.timeout * 1000), in_ep=c.in_ep, out_ep=c.out_ep)
        if c.kind == "tcp":
            return _network_printer(c.host, c.port, self.timeout)
        from escpos.printer import Serial

        return Serial(c.device, baudrate=c.baudrate, timeout=self.status_timeout)

    def _mapped(self, exc: BaseException, *, during_print: bool) -> PrinterError:
        """The library's error in plain words; python-escpos wraps the cause in ``__context__``."""
        where = self.describe()
        causes = [exc]
        while causes[-1].__context__ is not None and len(causes) < 5:
            causes.append(causes[-1].__context__)
        names = {type(c).__name__ for c in causes}
        text = " ".join(str(c) for c in causes).lower()
        codes = {getattr(c, "errno", None) for c in causes} | {getattr(c, "backend_error_code", None) for c in causes}
        if "NoBackendError" in names:
            return PrinterError(Problem.FAILED, "本机未安装 libusb，无法连接USB小票机（apt-get install libusb-1.0-0）")
        if codes & {errno.EACCES, errno.EPERM, -3} or "access denied" in text or "permission denied" in text:
            return PrinterError(Problem.NO_ACCESS,
                                f"没有权限使用{where}，请由管理员为本机账户授权（udev 规则或 lp/dialout 组）")
        if any(isinstance(c, socket.gaierror) for c in causes):
            return PrinterError(Problem.MISSING, f"找不到{where}：网络地址无法解析，请检查设置中的地址")
        if during_print:
            return PrinterError(Problem.OFFLINE, f"{where}在打印过程中断开，请检查电源、纸张和连线")
        if self.connection.kind == "serial" and (codes & {errno.ENOENT} or "no such file" in text):
            return PrinterError(Problem.MISSING, f"找不到{where}，请检查设置中的串口名称")
        return PrinterError(Problem.OFFLINE, f"{where}未连接或未开机，请检查电源和连线")

    # -- status -------------------------------------------------------------------------------

    def _check_status(self, device: Any) -> None:
        printer = self._status(device, STATUS_PRINTER)
        if printer is None:
            return  # no answer: this printer or connection does not report status
        paper = self._status(device, STATUS_PAPER)
        if paper is not None and paper & 0x60:
            raise PrinterError(Problem.OUT_OF_PAPER, f"{self.describe()}缺纸，请装入热敏纸卷")
        if printer & 0x08:
            cause = self._status(device, STATUS_OFFLINE_CAUSE) or 0
            if cause & 0x04:
                raise PrinterError(Problem.COVER_OPEN, f"{self.describe()}的纸仓盖未合上")
            if cause & 0x20:
                raise PrinterError(Problem.OUT_OF_PAPER, f"{self.describe()}缺纸，请装入热敏纸卷")
            raise PrinterError(Problem.OFFLINE, f"{self.describe()}处于离线状态（可能缺纸、开盖或故障），请检查后重试")

    def _status(self, device: Any, which: int) -> int | None:
        """One real-time status byte, or ``None`` when the printer does not answer in time."""
        sock = getattr(device, "device", None) if self.connection.kind == "tcp" else None
        previous = sock.gettimeout() if isinstance(sock, socket.socket) else None
        try:
            if isinstance(sock, socket.socket):
                sock.settimeout(self.status_timeout)
            device._raw(DLE_EOT + bytes((which,)))
            answer = bytes(device._read())
        except Exception:  # timeouts and "not implemented" alike: the status is unknown
            return None
        finally:
            if isinstance(sock, socket.socket):
                sock.settimeout(previous)
        if not answer:
            return None
        status = answer[-1]
        # Every status byte has bits 1 and 4 set and bits 0 and 7 clear; anything else is not a status.
        return status if status & 0x93 == 0x12 else None


def _network_printer(host: str, port: int, timeout: float) -> Any:
    from escpos.printer import Network

    class ClosingNetwork(Network):  # type: ignore[misc]
        """python-escpos 3.1 leaves the socket open when the connection fails."""

        def open(self, raise_not_found: bool = True) -> None:
            if self._device:
                self.close()
            self.device = socket.create_connection((self.host, self.port), timeout=self.timeout)

    return ClosingNetwork(host, port, timeout=timeout)


def _use_receipt_profile(device: Any) -> None:
    """python-escpos's default profile knows no paper width; ours is 72 mm at 203 dpi."""
    data = copy.deepcopy(device.profile.profile_data)
    data["media"] = {"dpi": RECEIPT_DPI, "width": {"mm": 72, "pixels": RECEIPT_WIDTH_PX}}
    device.profile.profile_data = data
