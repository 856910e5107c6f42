"""Pillow's modules linked to the system's libxcb, libzstd and liblzma instead of the wheel's copies.

Pillow's wheel carries renamed copies (``pillow.libs/libxcb-<hash>.so…``) of libraries every Linux
desktop has: libxcb with its libXau (2.2 MB, mostly alignment padding), libzstd and liblzma (1 MB)
that its TIFF library names. Qt's own libraries already need the system's libxcb, libzstd and
libz (the .deb depends on them), so the bundle's copies of ``PIL/_imaging`` and ``libtiff`` name
the system's sonames instead — the same ABI — and the wheel's copies leave the bundle with nothing
naming them (``parts.prune``). The name is overwritten in place in the binary's string table (the
shorter soname, padded with NUL bytes): nothing in the file moves, so the later ``strip`` is safe
(``patchelf --replace-needed`` followed by ``strip`` leaves misaligned load segments). The receipt
rasteriser of ``self-test`` loads Pillow in the bundle.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

#: A vendored library of Pillow (its file-name stem) → the system's soname that replaces it.
SYSTEM_SONAMES = {"libxcb": "libxcb.so.1", "libzstd": "libzstd.so.1", "liblzma": "liblzma.so.5"}
_VENDORED = re.compile(r"^(lib[A-Za-z0-9_+]+)-[0-9a-f]{8}\.so[.0-9]*$")
#: The bundled binaries to relink: Pillow's core module and its TIFF library.
_TARGETS = re.compile(r"^(PIL/_imaging\.cpython-[^/]+\.so|pillow\.libs/libtiff-[0-9a-f]{8}\.so[.0-9]*)$")


def _needed(path: str) -> list[str]:
    out = subprocess.run(["readelf", "-d", "-W", path], capture_output=True, text=True, check=False).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def replacements(needed: list[str]) -> dict[str, str]:
    """Which of a binary's needed libraries become which system soname."""
    found = {}
    for name in needed:
        match = _VENDORED.match(name)
        if match is not None and match.group(1) in SYSTEM_SONAMES:
            found[name] = SYSTEM_SONAMES[match.group(1)]
    return found


def rename_needed(data: bytes, swap: dict[str, str]) -> bytes:
    """``data`` (an ELF file) with each needed library's name overwritten by its replacement, in place."""
    for old, new in swap.items():
        before, after = old.encode() + b"\0", new.encode() + b"\0"
        if len(after) > len(before) or data.count(before) != 1:
            raise RuntimeError(f"relink: {old} 不能原位改为 {new}")
        data = data.replace(before, after.ljust(len(before), b"\0"))
    return data


def replace_in(binaries: list, work: str) -> list:
    """The TOC with Pillow's binaries swapped for relinked copies made in ``work``."""
    if sys.platform != "linux":
        return binaries
    os.makedirs(work, exist_ok=True)
    result = []
    for dest, src, kind in binaries:
        swap = replacements(_needed(src)) if _TARGETS.match(dest.replace("\\", "/")) else {}
        if swap:
            copy = Path(work) / os.path.basename(dest)
            copy.write_bytes(rename_needed(Path(src).read_bytes(), swap))
            shutil.copymode(src, copy)
            if sorted(_needed(str(copy))) != sorted(swap.get(n, n) for n in _needed(src)):
                raise RuntimeError(f"relink: {dest} 改写后依赖的库不对")
            print(f"relink: {dest}: {', '.join(f'{o} → {n}' for o, n in swap.items())}")
            src = str(copy)
        result.append((dest, src, kind))
    return result
