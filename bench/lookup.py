"""Lookup latency on an existing database, by kind of query, against a LIKE scan.

    .venv/bin/python -m bench.lookup --db /path/to/demo.db [--samples 200]

Query values are drawn from the database itself (real case numbers, ID numbers,
phones, names, phrases), so the numbers hold for whatever data it holds. Each kind is
compared with ``LIKE '%…%'`` on the column a plain implementation would scan for it
(newest 50 first, as the search shows them). Pinyin initials have no such column: their
LIKE scan runs over the names and finds nothing, which is what a plain implementation gets.
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import statistics
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, TextClause, func, select, text

from bench.common import percentile, timed_ms
from db.models import CasePersonRow, CaseRow
from desktop.config import load_settings
from desktop.installation import open_hall
from desktop.services.context import Actor, Hall
from desktop.services.lookup import find_cases

#: Kind of query → the column its LIKE baseline scans.
LIKE_COLUMNS = {
    "案件编号": "case_number",
    "身份证号": "petitioner_id_number",
    "电话": "petitioner_phone",
    "两字姓名": "petitioner_name",
    "拼音首字母": "petitioner_name",
    "四字短语": "request",
}
EXACT_KINDS = ("案件编号", "身份证号", "电话")
ENGLISH = {"案件编号": "case number", "身份证号": "ID number", "电话": "phone", "两字姓名": "2-char name",
           "拼音首字母": "pinyin initials", "四字短语": "4-char phrase"}


def queries(hall: Hall, samples: int, rng: random.Random) -> tuple[int, dict[str, list[str]]]:
    """The number of cases and ``samples`` real query values of each kind."""
    from pypinyin import Style, lazy_pinyin

    with hall.sessions() as session:
        total = session.scalar(select(func.count()).select_from(CaseRow)) or 0
        top = session.scalar(select(func.max(CaseRow.id))) or 0
        ids = [rng.randint(1, top) for _ in range(samples)]
        rows = session.execute(select(CaseRow.case_number, CaseRow.petitioner_id_number,
                                      CaseRow.petitioner_phone, CaseRow.petitioner_name,
                                      CaseRow.request).where(CaseRow.id.in_(ids))).all()
        names2 = [n for (n,) in session.execute(
            select(CasePersonRow.name).where(func.length(CasePersonRow.name) == 2).limit(2000))]
    return total, {
        "案件编号": [r.case_number for r in rows],
        "身份证号": [r.petitioner_id_number for r in rows],
        "电话": [r.petitioner_phone for r in rows if r.petitioner_phone],
        "两字姓名": rng.sample(names2, min(len(names2), samples)),
        "拼音首字母": ["".join(lazy_pinyin(r.petitioner_name, style=Style.FIRST_LETTER)) for r in rows],
        "四字短语": [r.request[(k := rng.randint(2, max(2, len(r.request) - 6))):k + 4] for r in rows],
    }


def _scan(connection: Connection, sql: TextClause, value: str) -> None:
    connection.execute(sql, {"q": f"%{value}%"}).all()


def measure(hall: Hall, samples: int = 200, like_samples: int = 5, seed: int = 1) -> dict[str, Any]:
    """p50/p95 per kind of query and the LIKE scan's p50 on the same values (milliseconds)."""
    actor = Actor("bench", "bench", "clerk")
    total, values_by_kind = queries(hall, samples, random.Random(seed))
    results: dict[str, Any] = {"cases": total, "samples": samples, "like_samples": like_samples, "kinds": {}}
    for kind, values in values_by_kind.items():
        find_cases(hall, actor, values[0])  # warm the cache
        times = [timed_ms(functools.partial(find_cases, hall, actor, v)) for v in values]
        column = LIKE_COLUMNS[kind]
        sql = text(f"SELECT case_id FROM cases WHERE {column} LIKE :q ORDER BY received_on DESC LIMIT 50")
        like = []
        with hall.engine.connect() as connection:
            for value in values[:like_samples]:
                like.append(timed_ms(functools.partial(_scan, connection, sql, value)))
        p50, p95, like50 = statistics.median(times), percentile(times, 95), statistics.median(like)
        results["kinds"][kind] = {"n": len(times), "p50_ms": p50, "p95_ms": p95, "max_ms": max(times),
                                  "like_column": column, "like_p50_ms": like50, "like_ms": like,
                                  "speedup": like50 / p50 if p50 else None}
    return results


def print_results(results: dict[str, Any], db: str) -> None:
    print(f"数据库 {db}：{results['cases']:,} 件事项；每类 {results['samples']} 次查询（毫秒）")
    print(f"{'查询方式':<8} {'p50':>8} {'p95':>8} {'LIKE扫描p50':>12} {'倍数':>8}")
    for kind, r in results["kinds"].items():
        print(f"{kind:<8} {r['p50_ms']:8.2f} {r['p95_ms']:8.2f} {r['like_p50_ms']:12.2f} {r['speedup']:7.1f}×")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--like-samples", type=int, default=5, help="LIKE scans per kind (slow)")
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()
    hall = open_hall(load_settings(), Path(args.db))
    try:
        results = measure(hall, args.samples, args.like_samples)
    finally:
        hall.engine.dispose()
    print_results(results, args.db)
    if args.json:
        Path(args.json).write_text(json.dumps(results["kinds"], ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
