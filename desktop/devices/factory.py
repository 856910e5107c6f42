"""The configured ID-card reader, from the setting ``id_reader``.

Building a reader never touches the device or loads a library: that happens on the
first read (on a worker thread), so a missing driver costs the start-up nothing.
"""

from __future__ import annotations

from desktop.config import Settings
from desktop.devices.idcard import IdCardReader
from desktop.devices.keyboard import KeyboardReader
from desktop.devices.simulated import SimulatedReader
from desktop.devices.spec import (
    ReaderSpec,
    ReaderSpecError,
    parse_field_order,
    parse_reader_spec,
    parse_sdk_target,
    parse_sim_options,
)
from desktop.devices.termb import TermbReader

SETTING = "id_reader"


def reader_from_settings(settings: Settings) -> IdCardReader | None:
    """The configured reader, or None for ``none`` (no reader: the clerk types the card)."""
    return reader_from_text(settings.id_reader)


def reader_from_text(text: str) -> IdCardReader | None:
    """A reader from a setting's text; a bad one raises :class:`ReaderSpecError` naming the setting."""
    try:
        spec = parse_reader_spec(text)
    except ReaderSpecError as exc:
        raise ReaderSpecError(f"设置项 {SETTING}：{exc.message}") from exc
    return build_reader(spec)


def build_reader(spec: ReaderSpec) -> IdCardReader | None:
    if spec.backend == "sim":
        return SimulatedReader.from_options(parse_sim_options(spec.target))
    if spec.backend == "sdk":
        return TermbReader(parse_sdk_target(spec.target))
    if spec.backend == "keyboard":
        return KeyboardReader(parse_field_order(spec.target))
    return None
