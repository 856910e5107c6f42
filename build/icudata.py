"""A smaller ICU data library for the Linux bundle: Chinese and English only (31 MB → about 5 MB).

Qt links ICU for collation (Chinese sorted by pinyin with ``QCollator``), legacy text codecs and
time-zone names. The wheel's ``libicudata.so.73`` carries the data of every locale; this keeps
the root, ``zh*`` and ``en*`` locales (collation and time-zone names), the Unicode property tables
and the GB18030/GBK codecs (and what any kept item depends on) — no transliteration, no character
names, no break iterators, no currency, language, region or unit names and no number spelling,
which Qt does not take from ICU (its text boundaries and locale data are its own) — and links the result into a library with the same name and symbol (``icudtNN_dat``). Needs
``icupkg`` (Debian: icu-devtools) and a C compiler; without them the original is kept and the
build says so. ``self-test`` checks the result (pinyin collation).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

#: Trees Qt never reads from ICU (its locale data, currencies, language, region and unit names and
#: number spelling are its own, from CLDR): dropped whole (0.9 MB).
DROPPED_TREES = ("curr/", "lang/", "region/", "unit/", "rbnf/")
LOCALE_TREES = ("", "coll/", "curr/", "lang/", "region/", "unit/", "zone/", "rbnf/", "brkitr/")
#: Files of a locale tree that belong to no locale (the tree's index, string pool, shared data).
_SHARED = re.compile(r"^(res_index|pool|root|supplementalData|metadata|likelySubtags|numberingSystems|"
                     r"timezoneTypes|zoneinfo64|metaZones|windowsZones|keyTypeData|genderList|grammaticalFeatures|"
                     r"dayPeriods|pluralRanges|plurals|icuver|icustd|tzdbNames|currencyNumericCodes|langInfo|"
                     r"units|supplementalMetadata|personNames)\.res$")
_KEPT_LOCALE = re.compile(r"^(zh|en)(_[A-Za-z0-9]+)*\.res$")
_KEPT_CODECS = re.compile(r"^(gb18030|ibm-1386_P100-2001|windows-936-2000)\.cnv$")


def keep_item(item: str) -> bool:
    """Whether an item of the ICU data package (``coll/zh.res``, ``uprops.icu``, …) stays."""
    if item.startswith(("translit/", "brkitr/", *DROPPED_TREES)) or item == "unames.icu":
        return False
    if item.endswith(".cnv"):
        return bool(_KEPT_CODECS.match(item))
    folder, _, name = item.rpartition("/")
    folder = folder + "/" if folder else ""
    if folder in LOCALE_TREES and name.endswith(".res"):
        return bool(_SHARED.match(name) or _KEPT_LOCALE.match(name))
    return True


def _symbol(library: Path) -> tuple[str, int, int]:
    """(name, file offset, size) of the data symbol ``icudtNN_dat``."""
    nm = subprocess.run(["nm", "-D", "-S", str(library)], capture_output=True, text=True, check=True).stdout
    match = re.search(r"^([0-9a-f]+) ([0-9a-f]+) R (icudt\d+_dat)$", nm, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"{library}: no icudtNN_dat symbol")
    address, size, name = int(match.group(1), 16), int(match.group(2), 16), match.group(3)
    sections = subprocess.run(["readelf", "-S", "-W", str(library)], capture_output=True, text=True,
                              check=True).stdout
    for line in sections.splitlines():
        fields = line.replace("[ ", "[").split()
        if len(fields) > 5 and fields[1] == ".rodata":
            section_address, section_offset = int(fields[3], 16), int(fields[4], 16)
            return name, address - section_address + section_offset, size
    raise RuntimeError(f"{library}: no .rodata section")


def build_filtered(library: Path, work: Path) -> Path | None:
    """A filtered copy of ``library`` in ``work``, or None when the tools are missing (then keep it)."""
    tools = {tool: shutil.which(tool) for tool in ("icupkg", "cc", "nm", "readelf")}
    if not all(tools.values()):
        missing = "、".join(tool for tool, path in tools.items() if path is None)
        print(f"icudata: {missing} missing, keeping the full ICU data ({library.stat().st_size // 2**20} MB)",
              file=sys.stderr)
        return None
    work.mkdir(parents=True, exist_ok=True)
    name, offset, size = _symbol(library)
    with library.open("rb") as source:
        source.seek(offset)
        data = source.read(size)
    full = work / f"{name.removesuffix('_dat')}l.dat"
    full.write_bytes(data)
    listing = subprocess.run(["icupkg", "-l", str(full)], capture_output=True, text=True, check=True).stdout
    prefix = full.stem + "/"
    items = [line.strip().removeprefix(prefix) for line in listing.splitlines() if line.strip()]
    removed = {item for item in items if not keep_item(item)}
    (work / "small").mkdir(exist_ok=True)
    small = work / "small" / full.name  # the package's items are named after its file: keep the name
    while True:  # an item that a kept one depends on comes back (the CJK word dictionary, …)
        (work / "removed.txt").write_text("\n".join(sorted(removed)) + "\n", encoding="utf-8")
        small.unlink(missing_ok=True)
        done = subprocess.run(["icupkg", "-r", str(work / "removed.txt"), str(full), str(small)],
                              capture_output=True, text=True, check=False)
        needed = set(re.findall(r"depends on missing item (\S+)", done.stdout + done.stderr)) & removed
        if done.returncode == 0 or not needed:
            break
        removed -= needed
    if done.returncode != 0:
        raise RuntimeError(f"icupkg failed: {done.stderr[-2000:]}")
    assembly = work / "icudata.S"
    assembly.write_text(
        f'.section .rodata\n.globl {name}\n.type {name},@object\n.balign 16\n{name}:\n'
        f'.incbin "{small}"\n.size {name}, .-{name}\n.section .note.GNU-stack,"",@progbits\n', encoding="utf-8")
    out = work / library.name
    subprocess.run(["cc", "-shared", "-nostdlib", f"-Wl,-soname,{library.name}", "-o", str(out), str(assembly)],
                   check=True)
    print(f"icudata: {len(items) - len(removed)} of {len(items)} items kept, "
          f"{library.stat().st_size / 2**20:.1f} MB → {out.stat().st_size / 2**20:.1f} MB", file=sys.stderr)
    return out


def replace_in(binaries: list[tuple[str, str, str]], work: Path | str) -> list[tuple[str, str, str]]:
    """The binaries TOC with ``libicudata.so.NN`` swapped for its filtered copy (Linux only)."""
    if not sys.platform.startswith("linux"):
        return binaries
    out, made = [], {}
    for dest, src, kind in binaries:
        if re.match(r"libicudata\.so\.\d+$", Path(dest).name):
            if src not in made:
                made[src] = build_filtered(Path(src), Path(work))
            src = str(made[src] or src)
        out.append((dest, src, kind))
    return out
