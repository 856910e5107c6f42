"""Lookup latency on an existing database, by kind of query, against a LIKE scan.

    .venv/bin/python -m bench.lookup --db /path/to/demo.db [--samples 200]

Query values are drawn from the database itself (real case numbers, ID numbers,
phones, names, phrases), so the numbers hold for whatever data it holds.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select, text

from db.models import CasePersonRow, CaseRow
from desktop.config import load_settings
from desktop.installation import open_hall
from desktop.services.context import Actor
from desktop.services.lookup import find_cases


def _timed(fn: Callable[[], object], repeat: int = 1) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - start) * 1000 / repeat


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--like-samples", type=int, default=5, help="LIKE scans per kind (slow)")
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()
    hall = open_hall(load_settings(), Path(args.db))
    actor = Actor("bench", "bench", "clerk")
    rng = random.Random(1)
    with hall.sessions() as session:
        total = session.scalar(select(func.count()).select_from(CaseRow)) or 0
        ids = [rng.randint(1, total) for _ in range(args.samples)]
        rows = session.execute(select(CaseRow.case_number, CaseRow.petitioner_id_number,
                                      CaseRow.petitioner_phone, CaseRow.petitioner_name,
                                      CaseRow.request).where(CaseRow.id.in_(ids))).all()
        names2 = [n for (n,) in session.execute(
            select(CasePersonRow.name).where(func.length(CasePersonRow.name) == 2).limit(2000))]
    from pypinyin import Style, lazy_pinyin

    queries: dict[str, list[str]] = {
        "案件编号": [r.case_number for r in rows],
        "身份证号": [r.petitioner_id_number for r in rows],
        "电话": [r.petitioner_phone for r in rows if r.petitioner_phone],
        "两字姓名": rng.sample(names2, min(len(names2), args.samples)),
        "拼音首字母": ["".join(lazy_pinyin(r.petitioner_name, style=Style.FIRST_LETTER))
                      for r in rows],
        "四字短语": [r.request[(k := rng.randint(2, max(2, len(r.request) - 6))):k + 4]
                     for r in rows],
    }
    results = {}
    print(f"数据库 {args.db}：{total:,} 件事项；每类 {args.samples} 次查询（毫秒）")
    print(f"{'查询方式':<8} {'p50':>8} {'p95':>8} {'LIKE扫描p50':>12} {'倍数':>8}")
    for kind, values in queries.items():
        find_cases(hall, actor, values[0])  # warm the cache
        times = [_timed(lambda v=v: find_cases(hall, actor, v)) for v in values]
        like = []
        for value in values[:args.like_samples]:
            column = "request" if kind == "四字短语" else "petitioner_name"
            with hall.engine.connect() as connection:
                like.append(_timed(lambda v=value, c=column: connection.execute(text(
                    f"SELECT case_id FROM cases WHERE {c} LIKE :q ORDER BY received_on DESC LIMIT 50"),
                    {"q": f"%{v}%"}).all()))
        p50, p95, like50 = statistics.median(times), _pct(times, 0.95), statistics.median(like)
        results[kind] = {"p50_ms": p50, "p95_ms": p95, "like_p50_ms": like50,
                         "speedup": like50 / p50 if p50 else None}
        print(f"{kind:<8} {p50:8.2f} {p95:8.2f} {like50:12.2f} {like50 / p50:7.1f}×")
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
