"""Printer settings as text: ``system:<queue>``, ``escpos:<connection>``, ``pdf:<folder>``, ``sim:``.

Parsed here without touching any device, so that ``doctor`` and the settings screen
can check a value before anything is printed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from desktop.documents.model import DocumentKind, Media

if TYPE_CHECKING:
    from desktop.config import Settings

Backend = Literal["system", "escpos", "pdf", "sim"]
BACKENDS: tuple[Backend, ...] = ("system", "escpos", "pdf", "sim")

SPEC_HELP = ("应为以下之一：system:（系统默认打印机）、system:队列名、escpos:usb:0x0416:0x5011、"
             "escpos:tcp:192.168.1.50:9100、escpos:serial:/dev/ttyUSB0、pdf:文件夹（保存为PDF）")


#: Kinds printed on the 80 mm roll when the caller does not say (receipts and tickets).
ROLL_KINDS = frozenset({DocumentKind.REGISTRATION_RECEIPT, DocumentKind.QUEUE_TICKET, DocumentKind.RATING_RECEIPT})


def spec_for(kind: DocumentKind, settings: Settings, media: Media | None = None) -> tuple[str, str]:
    """(setting name, spec text) that decides the printer for ``kind``."""
    by_kind: Mapping[str, str] = settings.printer_by_kind
    for key in (kind.value, kind.name):
        if key in by_kind:
            return f"printer_by_kind[{key}]", by_kind[key]
    if media is None:
        media = Media.ROLL_80 if kind in ROLL_KINDS else Media.A4
    if media is Media.ROLL_80:
        return "printer_receipts", settings.printer_receipts
    return "printer_notices", settings.printer_notices


class PrinterSpecError(ValueError):
    """A printer setting that cannot be understood; the message says what is expected."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PrinterSpec:
    backend: Backend
    target: str  # queue name (empty: default queue), ESC/POS connection, folder (empty: default), sim name

    def __str__(self) -> str:
        return f"{self.backend}:{self.target}"


def parse_spec(text: str) -> PrinterSpec:
    """``system:`` when empty; anything else must name one of the backends."""
    value = text.strip()
    if not value:
        return PrinterSpec("system", "")
    backend, colon, target = value.partition(":")
    backend = backend.strip().lower()
    if not colon or backend not in BACKENDS:
        raise PrinterSpecError(f"打印机设置“{value}”无法识别，{SPEC_HELP}")
    spec = PrinterSpec(backend, target.strip())
    if spec.backend == "escpos":
        parse_connection(spec.target)
    return spec


@dataclass(frozen=True)
class EscPosConnection:
    """How an ESC/POS printer is reached: USB ids, a TCP address, or a serial port."""

    kind: Literal["usb", "tcp", "serial"]
    vendor_id: int = 0
    product_id: int = 0
    in_ep: int = 0x82
    out_ep: int = 0x01
    host: str = ""
    port: int = 9100
    device: str = ""
    baudrate: int = 9600

    def describe(self) -> str:
        if self.kind == "usb":
            return f"USB {self.vendor_id:04x}:{self.product_id:04x}"
        if self.kind == "tcp":
            return f"网络 {self.host}:{self.port}"
        return f"串口 {self.device}（{self.baudrate}波特）"


def parse_connection(text: str) -> EscPosConnection:
    """``usb:VID:PID[:IN_EP:OUT_EP]`` (hex), ``tcp:HOST[:PORT]``, ``serial:DEVICE[:BAUD]``."""
    kind, _colon, rest = text.strip().partition(":")
    kind = kind.lower()
    problem = f"热敏小票机连接“{text}”无法识别，{SPEC_HELP}"
    try:
        if kind == "usb":
            numbers = [int(part, 16) for part in rest.split(":")]
            if len(numbers) not in (2, 4) or not all(0 < n <= 0xFFFF for n in numbers):
                raise PrinterSpecError(problem)
            endpoints = numbers[2:] or [0x82, 0x01]
            return EscPosConnection("usb", vendor_id=numbers[0], product_id=numbers[1],
                                    in_ep=endpoints[0], out_ep=endpoints[1])
        if kind == "tcp":
            host, port = rest, 9100
            head, colon, tail = rest.rpartition(":")
            if colon and tail.isdigit():
                host, port = head, int(tail)
            if not host or not 0 < port < 65536:
                raise PrinterSpecError(problem)
            return EscPosConnection("tcp", host=host, port=port)
        if kind == "serial":
            device, baudrate = rest, 9600
            head, colon, tail = rest.rpartition(":")
            if colon and tail.isdigit():
                device, baudrate = head, int(tail)
            if not device:
                raise PrinterSpecError(problem)
            return EscPosConnection("serial", device=device, baudrate=baudrate)
    except ValueError as exc:
        if isinstance(exc, PrinterSpecError):
            raise
        raise PrinterSpecError(problem) from exc
    raise PrinterSpecError(problem)
