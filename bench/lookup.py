"""Lookup latency on an existing database, by kind of query, against what a plain implementation does.

    .venv/bin/python -m bench.lookup --db /path/to/demo.db [--samples 200]

Query values are drawn from the database itself (real case numbers, ID numbers,
phones, names, phrases), so the numbers hold for whatever data it holds. Each kind is
compared with the query a straightforward implementation would send (newest 50 first, as
the search shows them):

* case number, ID number, phone: a plain ``=`` on the case's own column, which is unique
  (case number) or indexed (ID, phone) — the fair baseline for an exact key;
* names, pinyin initials, phrases: ``LIKE '%…%'`` on the column that holds the text.
  Pinyin initials have no such column: their scan runs over the names and finds nothing,
  which is what a plain implementation gets.

The deadline filter (已超期 / 临近期限) is measured alone (no query: every overdue or due-soon
case, most urgent first, counted) and with names, pinyin initials, ID numbers and common
phrases, each beside the same query without the filter (the plain search it should match).

Phrases come in three kinds: common ones (a piece of a real request, found in many cases,
where a newest-first scan stops early), rare ones (found in fewer cases than one page of
results, so every scan reads the whole table) and absent ones (found nowhere).
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
from desktop.domain.deadlines import DueFilter
from desktop.installation import open_hall
from desktop.services.context import Actor, Hall
from desktop.services.lookup import find_cases, search_cases

#: Kind of query → the column its baseline reads (``=`` for exact keys, ``LIKE '%…%'`` otherwise).
BASELINE_COLUMNS = {
    "案件编号": "case_number",
    "身份证号": "petitioner_id_number",
    "电话": "petitioner_phone",
    "两字姓名": "petitioner_name",
    "拼音首字母": "petitioner_name",
    "四字短语": "request",
    "罕见短语": "request",
    "不存在短语": "request",
}
EXACT_KINDS = ("案件编号", "身份证号", "电话")
PHRASE_KINDS = ("四字短语", "罕见短语", "不存在短语")
ENGLISH = {"案件编号": "case number", "身份证号": "ID number", "电话": "phone", "两字姓名": "2-char name",
           "拼音首字母": "pinyin initials", "四字短语": "4-char phrase, common",
           "罕见短语": "4-char phrase, rare", "不存在短语": "4-char phrase, absent"}
#: A rare phrase is found in fewer cases than the search shows on one page.
PAGE = 50
#: The deadline filter, alone ("") and with these kinds of query.
DUE_FILTERS = {"已超期": DueFilter.OVERDUE, "临近期限": DueFilter.DUE_SOON}
DUE_WITH = ("", "两字姓名", "拼音首字母", "身份证号", "四字短语")
DUE_ENGLISH = {"已超期": "overdue", "临近期限": "due soon", "": "alone"}
#: Times the filter alone is run (the same query each time: there is only one).
DUE_ALONE_RUNS = 30
#: Characters no demo request uses, for absent phrases (each phrase is checked to be absent).
_RARE_CHARACTERS = "龘靐齉爩鱻麤龖厵灥垚焱淼犇骉羴猋蟲嚞昍"


def baseline_sql(kind: str) -> str:
    column = BASELINE_COLUMNS[kind]
    if kind == "案件编号":
        return f"SELECT * FROM cases WHERE {column} = :q"
    if kind in EXACT_KINDS:
        return f"SELECT * FROM cases WHERE {column} = :q ORDER BY received_on DESC LIMIT {PAGE}"
    return f"SELECT case_id FROM cases WHERE {column} LIKE :q ORDER BY received_on DESC LIMIT {PAGE}"


def queries(hall: Hall, samples: int, rng: random.Random) -> tuple[int, dict[str, list[str]]]:
    """The number of cases and ``samples`` real query values of each kind."""
    from desktop.domain.pinyin import reading

    with hall.sessions() as session:
        total = session.scalar(select(func.count()).select_from(CaseRow)) or 0
        top = session.scalar(select(func.max(CaseRow.id))) or 0
        ids = [rng.randint(1, top) for _ in range(samples)]
        rows = session.execute(select(CaseRow.case_number, CaseRow.petitioner_id_number,
                                      CaseRow.petitioner_phone, CaseRow.petitioner_name,
                                      CaseRow.request).where(CaseRow.id.in_(ids))).all()
        names2 = [n for (n,) in session.execute(
            select(CasePersonRow.name).where(func.length(CasePersonRow.name) == 2).limit(2000))]
        rare = _rare_phrases(session.connection(), top, samples, rng)
        absent = _absent_phrases(session.connection(), samples, rng)
    return total, {
        "案件编号": [r.case_number for r in rows],
        "身份证号": [r.petitioner_id_number for r in rows],
        "电话": [r.petitioner_phone for r in rows if r.petitioner_phone],
        "两字姓名": rng.sample(names2, min(len(names2), samples)),
        "拼音首字母": ["".join((reading(ch) or ch)[0] for ch in r.petitioner_name) for r in rows],
        "四字短语": [r.request[(k := rng.randint(2, max(2, len(r.request) - 6))):k + 4] for r in rows],
        "罕见短语": rare,
        "不存在短语": absent,
    }


def _matches(connection: Connection, phrase: str, cap: int = PAGE) -> int:
    """In how many cases ``phrase`` occurs, counted up to ``cap`` (the text index of the desktop)."""
    match = '"' + phrase.replace('"', '""') + '"'
    return int(connection.execute(text(
        "SELECT count(*) FROM (SELECT rowid FROM case_fts WHERE case_fts MATCH :m LIMIT :cap)"),
        {"m": match, "cap": cap}).scalar() or 0)


def _rare_phrases(connection: Connection, top: int, samples: int, rng: random.Random) -> list[str]:
    """Up to ``samples`` four-character pieces of real requests, facts or reasons found in fewer than a page of cases.

    Pieces are tried from random cases, at most 20 per phrase wanted; on data where every
    piece is common, fewer (or none) are found and the row says so.
    """
    found: list[str] = []
    tries = 0
    while len(found) < samples and tries < samples * 20 and top:
        tries += 1
        row = connection.execute(text("SELECT request || facts || reasons FROM cases WHERE id = :i"),
                                 {"i": rng.randint(1, top)}).first()
        content = "".join(ch for ch in (row[0] if row else "") if ch.isalnum())
        if len(content) < 4:
            continue
        start = rng.randint(0, len(content) - 4)
        phrase = content[start:start + 4]
        if phrase not in found and 0 < _matches(connection, phrase) < PAGE:
            found.append(phrase)
    return found


def _absent_phrases(connection: Connection, samples: int, rng: random.Random) -> list[str]:
    """``samples`` four-character phrases that occur in no case."""
    found: list[str] = []
    while len(found) < samples:
        phrase = "".join(rng.choice(_RARE_CHARACTERS) for _ in range(4))
        if phrase not in found and _matches(connection, phrase, 1) == 0:
            found.append(phrase)
    return found


def _baseline(connection: Connection, sql: TextClause, kind: str, value: str) -> None:
    connection.execute(sql, {"q": value if kind in EXACT_KINDS else f"%{value}%"}).all()


def measure(hall: Hall, samples: int = 200, like_samples: int = 5, seed: int = 1) -> dict[str, Any]:
    """p50/p95 per kind of query and its baseline's p50 on the same values (milliseconds).

    An exact key's ``=`` baseline is cheap and runs on every value; a ``LIKE`` scan on the
    first ``like_samples`` values only. A kind the data yields no value for (rare phrases in
    data made of common ones) is left out, and ``missing`` names it.
    """
    actor = Actor("bench", "bench", "clerk")
    total, values_by_kind = queries(hall, samples, random.Random(seed))
    results: dict[str, Any] = {"cases": total, "samples": samples, "like_samples": like_samples, "kinds": {},
                               "missing": [kind for kind, values in values_by_kind.items() if not values]}
    for kind, values in values_by_kind.items():
        if not values:
            continue
        find_cases(hall, actor, values[0])  # warm the cache
        times = [timed_ms(functools.partial(find_cases, hall, actor, v)) for v in values]
        sql = text(baseline_sql(kind))
        exact = kind in EXACT_KINDS
        base = []
        with hall.engine.connect() as connection:
            _baseline(connection, sql, kind, values[0])
            for value in values if exact else values[:like_samples]:
                base.append(timed_ms(functools.partial(_baseline, connection, sql, kind, value)))
        p50, p95, base50 = statistics.median(times), percentile(times, 95), statistics.median(base)
        results["kinds"][kind] = {"n": len(times), "p50_ms": p50, "p95_ms": p95, "max_ms": max(times),
                                  "baseline": "=" if exact else "LIKE", "baseline_sql": baseline_sql(kind),
                                  "baseline_p50_ms": base50, "baseline_ms": base,
                                  "speedup": base50 / p50 if p50 else None}
    results["due"] = measure_due(hall, actor, values_by_kind)
    return results


def measure_due(hall: Hall, actor: Actor, values_by_kind: dict[str, list[str]]) -> dict[str, Any]:
    """p50/p95 of the search narrowed by deadline, alone and with each kind of :data:`DUE_WITH`, and the
    p50 of the same queries without the filter (milliseconds). Keys: "已超期·两字姓名", "临近期限·" (alone)."""
    out: dict[str, Any] = {}
    for label, due in DUE_FILTERS.items():
        for kind in DUE_WITH:
            values = [""] * DUE_ALONE_RUNS if not kind else values_by_kind.get(kind, [])
            if not values:
                continue
            search_cases(hall, actor, values[0], due=due)  # warm the cache
            times = [timed_ms(functools.partial(search_cases, hall, actor, v, due=due)) for v in values]
            found = search_cases(hall, actor, values[0], due=due)
            row: dict[str, Any] = {"n": len(times), "p50_ms": statistics.median(times),
                                   "p95_ms": percentile(times, 95), "max_ms": max(times),
                                   "first_total": found.total}
            if kind:
                plain = [timed_ms(functools.partial(search_cases, hall, actor, v)) for v in values]
                row["plain_p50_ms"] = statistics.median(plain)
            out[f"{label}·{kind}"] = row
    return out


def due_label(key: str) -> str:
    """"已超期·两字姓名" as a table says it, in both languages."""
    label, kind = key.split("·")
    return (f"{label}+{kind} {DUE_ENGLISH[label]} + {ENGLISH[kind]}" if kind
            else f"{label}（无查询） {DUE_ENGLISH[label]}, no query")


def print_results(results: dict[str, Any], db: str) -> None:
    print(f"数据库 {db}：{results['cases']:,} 件事项；每类 {results['samples']} 次查询（毫秒）")
    print(f"{'查询方式':<8} {'p50':>8} {'p95':>8} {'基线':>6} {'基线p50':>10} {'倍数':>8}")
    for kind, r in results["kinds"].items():
        print(f"{kind:<8} {r['p50_ms']:8.2f} {r['p95_ms']:8.2f} {r['baseline']:>6} {r['baseline_p50_ms']:10.2f} "
              f"{r['speedup']:7.1f}×")
    for kind in results["missing"]:
        print(f"{kind:<8} 数据中没有这类查询值")
    print("按期限筛选（毫秒；不筛选：同一查询不按期限）")
    for key, r in results.get("due", {}).items():
        plain = f"{r['plain_p50_ms']:8.2f}" if "plain_p50_ms" in r else "       —"
        print(f"{key:<12} p50 {r['p50_ms']:8.2f} p95 {r['p95_ms']:8.2f} 不筛选p50 {plain}  "
              f"首个查询共 {r['first_total']} 件")


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
        Path(args.json).write_text(json.dumps({**results["kinds"], "due": results["due"]}, ensure_ascii=False,
                                              indent=2))


if __name__ == "__main__":
    main()
