"""Registry search over 300,000 generated businesses: p50/p95 per query kind vs a plain ``LIKE`` scan.

Query kinds (~200 each, drawn from the generated names/codes): 2-character and 4-character name substrings,
USCC prefixes (6–12 characters) and pinyin initials (3–5 letters). Each query runs through
``RegistryService.search(q, 50)`` (ranked, rows loaded). The scan baseline is ``SELECT rid FROM businesses
WHERE name LIKE '%q%'`` (``uscc LIKE 'q%'``, ``initials LIKE '%q%'``) over the same data: without LIMIT
(what ranking needs) and with LIMIT 50 (the best case for a scan). The data home is a temporary folder.

Usage: ``python benches/search.py [--rows N] [--queries N]``. The last line is a JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from inspector_app.core.clock import utc_iso
from inspector_app.core.registry import Business
from inspector_app.demo.fake_registry import generate_businesses
from inspector_app.paths import DataHome
from inspector_app.services.app import Services
from inspector_app.services.support.initials import initials
from inspector_app.storage.store import Store

SCANS = {
    "name_2char": ("name", "%{q}%"),
    "name_4char": ("name", "%{q}%"),
    "uscc_prefix": ("uscc", "{q}%"),
    "initials": ("initials", "%{q}%"),
}


def load(store: Store, rows: int) -> tuple[list[str], list[str], list[str]]:
    names: list[str] = []
    codes: list[str] = []
    letters: list[str] = []

    def stream() -> Iterator[tuple[Business, str]]:
        for business in generate_businesses(rows):
            names.append(business.name)
            codes.append(business.uscc)
            ini = initials(business.name)
            letters.append(ini)
            yield business, ini

    store.businesses.upsert_many(stream(), utc_iso(datetime.now(UTC)))
    return names, codes, letters


def make_queries(names: list[str], codes: list[str], letters: list[str], n: int) -> dict[str, list[str]]:
    rng = random.Random(20251128)

    def substring(text: str, size: int) -> str:
        start = rng.randrange(len(text) - size + 1)
        return text[start : start + size]

    long_names = [x for x in names if len(x) >= 4]
    long_initials = [x for x in letters if len(x) >= 5]
    return {
        "name_2char": [substring(rng.choice(names), 2) for _ in range(n)],
        "name_4char": [substring(rng.choice(long_names), 4) for _ in range(n)],
        "uscc_prefix": [rng.choice(codes)[: rng.randint(6, 12)] for _ in range(n)],
        "initials": [substring(rng.choice(long_initials), rng.randint(3, 5)) for _ in range(n)],
    }


def timings(run: Callable[[str], object], queries: list[str]) -> list[float]:
    result = []
    for query in queries:
        started = time.perf_counter()
        run(query)
        result.append((time.perf_counter() - started) * 1000)
    return result


def searcher(services: Services, counts: list[int]) -> Callable[[str], None]:
    def run(query: str) -> None:
        counts.append(len(services.registry.search(query, 50)))

    return run


def scanner(conn: Any, sql: str, pattern: str) -> Callable[[str], None]:
    def run(query: str) -> None:
        conn.execute(sql, [pattern.format(q=query)]).fetchall()

    return run


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def all_indexed(store: Store, queries: dict[str, list[str]]) -> bool:
    for group in queries.values():
        for query in group[:20]:
            for _, plan in store.businesses.query_plans(query):
                if any(d.startswith("SCAN") and "VIRTUAL TABLE" not in d for d in plan):
                    return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--scan-queries", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = DataHome(Path(tmp) / "home")
        store = Store(
            home
        )  # the bench writes and inspects the repository directly, the search goes through services
        services = Services(home, store=store)
        started = time.perf_counter()
        names, codes, letters = load(store, args.rows)
        print(f"loaded {args.rows} businesses in {time.perf_counter() - started:.1f} s")
        queries = make_queries(names, codes, letters, args.queries)
        conn = store.db.conn
        timings(
            lambda q: services.registry.search(q, 50), [group[0] for group in queries.values()]
        )  # warm-up
        p50: dict[str, float] = {}
        p95: dict[str, float] = {}
        scan_p50: dict[str, float] = {}
        scan_limit_p50: dict[str, float] = {}
        speedup: dict[str, float] = {}
        hits: dict[str, list[int]] = {}
        for kind, group in queries.items():
            counts = hits.setdefault(kind, [])
            search_ms = timings(searcher(services, counts), group)
            column, pattern = SCANS[kind]
            sample = group[: args.scan_queries]
            full = f"SELECT rid FROM businesses WHERE {column} LIKE ?"
            scan_ms = timings(scanner(conn, full, pattern), sample)
            limit_ms = timings(scanner(conn, full + " LIMIT 50", pattern), sample)
            p50[kind], p95[kind] = percentile(search_ms, 0.5), percentile(search_ms, 0.95)
            scan_p50[kind], scan_limit_p50[kind] = statistics.median(scan_ms), statistics.median(limit_ms)
            speedup[kind] = scan_p50[kind] / p50[kind]
            print(
                f"{kind:12s} p50 {p50[kind]:6.2f} ms  p95 {p95[kind]:6.2f} ms  max {max(search_ms):6.2f} ms | "
                f"scan p50 {scan_p50[kind]:7.2f} ms (LIMIT 50: {scan_limit_p50[kind]:6.2f} ms) | "
                f"{speedup[kind]:6.1f}x | mean hits {statistics.mean(hits[kind]):.1f}"
            )
        indexed = all_indexed(store, queries)
        services.close()
        store.close()
    rounded = lambda d: {k: round(v, 3) for k, v in d.items()}  # noqa: E731
    result = {
        "bench": "search",
        "rows": args.rows,
        "queries_per_kind": args.queries,
        "p50_ms": rounded(p50),
        "p95_ms": rounded(p95),
        "scan_p50_ms": rounded(scan_p50),
        "scan_limit50_p50_ms": rounded(scan_limit_p50),
        "speedup_vs_scan": {k: round(v, 1) for k, v in speedup.items()},
        "all_search_statements_indexed": indexed,
        "goal_p95_under_30ms": all(v < 30 for v in p95.values()),
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
