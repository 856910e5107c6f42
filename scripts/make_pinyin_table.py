"""Regenerates ``resources/pinyin/readings.bin`` from pypinyin (MIT, a development dependency).

Every character pypinyin knows gets its default toneless reading, as the program used to ask
pypinyin for it: ``"".join(lazy_pinyin(ch)).lower()`` without the phrase tables (which change
no single character's reading). The output depends only on pypinyin's version: the same
version writes the same bytes.

    .venv/bin/python scripts/make_pinyin_table.py [--out resources/pinyin/readings.bin]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop.domain.pinyin import PinyinTable, table_path


def pypinyin_readings() -> dict[int, str]:
    """Code point → pypinyin's default toneless reading, for every character it knows."""
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")
    from pypinyin import lazy_pinyin
    from pypinyin.pinyin_dict import pinyin_dict

    readings = {cp: "".join(lazy_pinyin(chr(cp))).lower() for cp in pinyin_dict}
    unread = {cp: r for cp, r in readings.items() if not (r.isascii() and r.isalpha())}
    if unread:  # pypinyin gives the character back when it has no reading: nothing to store
        raise SystemExit(f"pypinyin gives no syllable for {len(unread)} characters, e.g. {next(iter(unread.items()))}")
    return readings


def table_bytes() -> bytes:
    return PinyinTable.build(pypinyin_readings()).to_bytes()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=table_path())
    args = parser.parse_args(argv)
    data = table_bytes()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    import pypinyin

    print(f"{args.out}: {len(data):,} bytes, {len(PinyinTable.from_bytes(data)):,} characters "
          f"(pypinyin {pypinyin.__version__})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
