"""What SQLCipher costs: the same demo database plain and encrypted, side by side.

    .venv/bin/python -m bench.encryption [--cases 5000] [--samples 200] [--dir /tmp/enc-bench]

Builds an encrypted demo database with the real generator (its key goes to a key store
inside ``--dir``, never the user's own), exports a plain and a passphrase-keyed copy of it,
and prints median times per operation with the encrypted/plain ratio.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any


def _median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _export(source: Path, key: bytes, target: Path, key_clause: str) -> None:
    """A copy of the encrypted database under another key (``KEY ''`` = plain)."""
    from db.engine import connect_sqlcipher

    with contextlib.closing(connect_sqlcipher(source, key)) as connection:
        connection.execute(f"ATTACH DATABASE ? AS copy {key_clause}", (str(target),))
        connection.execute("SELECT sqlcipher_export('copy')")
        connection.execute("DETACH DATABASE copy")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--dir", help="working folder (default: a new temporary one)")
    args = parser.parse_args()
    work = Path(args.dir or tempfile.mkdtemp(prefix="enc-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ["PH_CONFIG_DIR"] = str(work / "config")  # keys of this run stay in the folder
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # never the user's key store

    from sqlalchemy import create_engine, event
    from stdnum.cn import ric

    from db.engine import apply_sqlite_pragmas, connect_sqlcipher, sqlcipher_module, sqlite_url
    from desktop.config import Settings
    from desktop.installation import load_secrets
    from desktop.services.context import Actor, Hall
    from desktop.services.database import open_database
    from desktop.services.demo_runner import generate_demo_database
    from desktop.services.lookup import find_cases
    from desktop.services.registration import PersonInput, RegistrationForm, register_visit

    settings = Settings(device_id="bench1", device_code="B01")  # type: ignore[call-arg]
    encrypted, plain, passphrased = work / "encrypted.db", work / "plain.db", work / "passphrase.db"
    for path in (encrypted, plain, passphrased):
        for leftover in path.parent.glob(path.name + "*"):
            leftover.unlink()
    started = time.perf_counter()
    generate_demo_database(encrypted, settings, args.cases, seed=7, replace=True)
    build = time.perf_counter() - started
    secrets = load_secrets(settings, encrypted)
    key = secrets.database_key
    _export(encrypted, key, plain, "KEY ''")
    _export(encrypted, key, passphrased, "KEY 'correct horse battery staple'")
    print(f"{args.cases:,} 件演示事项：加密库生成 {build:.1f} 秒；"
          f"文件 {encrypted.stat().st_size / 1e6:.1f} MB（加密）/ {plain.stat().st_size / 1e6:.1f} MB（明文）")

    module = sqlcipher_module()

    def open_plain() -> None:
        with contextlib.closing(module.connect(str(plain))) as c:
            c.execute("SELECT count(*) FROM sqlite_schema").fetchone()

    def open_raw() -> None:
        with contextlib.closing(connect_sqlcipher(encrypted, key)) as c:
            c.execute("SELECT count(*) FROM sqlite_schema").fetchone()

    def open_passphrase() -> None:
        with contextlib.closing(module.connect(str(passphrased))) as c:
            c.execute("PRAGMA key = 'correct horse battery staple'")
            c.execute("SELECT count(*) FROM sqlite_schema").fetchone()

    rows: list[tuple[str, float, float]] = []
    connect_plain = _median_ms(open_plain, 30)
    rows.append(("打开连接（原始密钥 x'…'）", connect_plain, _median_ms(open_raw, 30)))
    rows.append(("打开连接（口令，PBKDF2 256000次）", connect_plain, _median_ms(open_passphrase, 10)))

    # The plain side runs on the same SQLite library (SQLCipher's, with no key), so the ratio is
    # the encryption alone. (Two SQLite libraries on one file in one process also break each
    # other's POSIX locks.)
    plain_engine = create_engine(sqlite_url(plain), module=module)
    event.listen(plain_engine, "connect", apply_sqlite_pragmas)
    halls = {"plain": Hall(engine=plain_engine, settings=settings, secrets=secrets),
             "encrypted": Hall(engine=open_database(encrypted, key=key), settings=settings, secrets=secrets)}
    actor = Actor("bench", "bench", "clerk")
    rng = random.Random(1)
    with contextlib.closing(module.connect(str(plain))) as c:
        sample = c.execute("SELECT case_number, request FROM cases ORDER BY random() LIMIT ?",
                           (args.samples,)).fetchall()
    numbers = [number for number, _request in sample]
    phrases = [request[(k := rng.randint(2, max(2, len(request) - 6))):k + 4] for _n, request in sample]

    def lookups(hall: Hall, values: list[str]) -> float:
        find_cases(hall, actor, values[0])  # warm the cache
        return statistics.median(_median_ms(functools.partial(find_cases, hall, actor, v), 1) for v in values)

    rows.append(("按案件编号查找", lookups(halls["plain"], numbers), lookups(halls["encrypted"], numbers)))
    rows.append(("四字短语检索（FTS5）", lookups(halls["plain"], phrases), lookups(halls["encrypted"], phrases)))

    def registrations(hall: Hall, offset: int) -> float:
        times = []
        for n in range(50):
            body = f"330726{date(1970, 1, 1 + n % 28):%Y%m%d}{(offset + n) % 1000:03d}"
            person = PersonInput(name="测试员" + "甲乙丙丁戊己庚辛壬癸"[n % 10],
                                 document_number=body + ric.calc_check_digit(body + "0"),  # (takes 18 chars)
                                 phone=f"139{offset + n:08d}")
            form = RegistrationForm(petitioner=person, request=f"基准测试登记第{offset + n}号，反映道路积水问题",
                                    region_code="330726001")
            start = time.perf_counter()
            register_visit(hall, actor, form)
            times.append((time.perf_counter() - start) * 1000)
        return statistics.median(times)

    rows.append(("登记一件并提交", registrations(halls["plain"], 0), registrations(halls["encrypted"], 1000)))
    for hall in halls.values():
        hall.engine.dispose()

    print(f"{'操作':<28} {'明文 ms':>10} {'加密 ms':>10} {'倍数':>7}")
    for name, plain_ms, encrypted_ms in rows:
        print(f"{name:<28} {plain_ms:10.3f} {encrypted_ms:10.3f} {encrypted_ms / plain_ms:6.1f}×")
    print(f"（{sys.platform}，SQLCipher {_cipher()}；工作目录 {work}）")


def _cipher() -> Any:
    from db.engine import cipher_version

    return cipher_version()


if __name__ == "__main__":
    main()
