"""Benchmark: one answer autosave through ``InspectionService.answer`` vs a bare SQLite commit of one row.

Both run in the same process, in the same folder (same file system), with WAL and ``synchronous=FULL``,
interleaved round by round so disk noise hits both alike. The autosave includes everything the service does:
role check, the pinned checklist, validating and judging the value, the upsert (with the immutability
trigger) and its commit. Every write changes its row (SQLite skips syncing a byte-identical rewrite).
Goal: mean autosave ≤ 2 × mean bare commit. Means are the headline because fsync cost on a journaling file
system is bimodal (a growing WAL file forces a metadata commit), which makes medians jump between modes;
medians are printed too.

Usage: ``python benches/autosave.py [--runs N] [--dir FOLDER]``. Last line:
``{"bench":"autosave","autosave_ms":..,"bare_commit_ms":..,"ratio":..}``.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from inspector_app.core.accounts import Role, User
from inspector_app.core.checklist import AnswerType
from inspector_app.core.records import Inspector
from inspector_app.core.registry import BusinessKind
from inspector_app.demo.fake_registry import generate_businesses
from inspector_app.paths import DataHome
from inspector_app.services.app import Services
from inspector_app.storage.store import Store

ACTOR = User("u-bench", "bench", "张伟", Role.INSPECTOR, "42080220230012")
CREW = [Inspector("张伟", "42080220230012", "u-bench"), Inspector("李娜", "42080220230027", "u-li")]


def open_draft(folder: Path) -> tuple[Services, Store, str, list[str]]:
    home = DataHome(folder / "home")
    store = Store(home)  # to read the connection's pragmas; the answers go through the service
    services = Services(home, store=store)
    business = next(b for b in generate_businesses(20) if b.kind is BusinessKind.SMALL_CATERING)
    services.registry.upsert(business)
    record = services.inspections.start(ACTOR, business.uscc, "food.small_catering", CREW, "日常检查", "")
    codes = [i.code for i in services.inspections.checklist_of(record).items if i.type is AnswerType.TRI]
    return services, store, record.id, codes


def open_bare(folder: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(folder / "bare.sqlite3"), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID")
    return conn


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1200)
    parser.add_argument("--dir", help="folder to run in (default: a temporary folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as temp:
        folder = Path(temp)
        services, store, record_id, codes = open_draft(folder)
        bare = open_bare(folder)
        sync = store.db.conn.execute("PRAGMA synchronous").fetchone()[0]
        assert sync == bare.execute("PRAGMA synchronous").fetchone()[0] == 2, "both must run synchronous=FULL"
        answer, commit = services.inspections.answer, bare.execute
        autosave_ms: list[float] = []
        bare_ms: list[float] = []
        for n in range(args.runs + 10):
            # Every write must change the row: SQLite skips writing (and syncing) a byte-identical row.
            code = codes[n % len(codes)]
            value = "不符合" if (n // len(codes)) % 2 == 0 else "符合"
            started = time.perf_counter()
            answer(ACTOR, record_id, code, value)
            middle = time.perf_counter()
            commit(
                "INSERT INTO t (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
                (code, value),
            )
            ended = time.perf_counter()
            if n >= 10:  # warm-up rounds are not counted
                autosave_ms.append((middle - started) * 1000)
                bare_ms.append((ended - middle) * 1000)
        bare.close()
        services.close()
        store.close()
    auto, plain = statistics.fmean(autosave_ms), statistics.fmean(bare_ms)
    auto_median, plain_median = statistics.median(autosave_ms), statistics.median(bare_ms)
    print(f"runs: {args.runs} (interleaved), synchronous=FULL, WAL, both files in {folder.parent}")
    for label, values in (
        ("autosave (InspectionService.answer)", autosave_ms),
        ("bare one-row commit", bare_ms),
    ):
        print(
            f"{label:36s} mean {statistics.fmean(values):.3f} ms, median {statistics.median(values):.3f} ms, "
            f"p95 {percentile(values, 0.95):.3f} ms"
        )
    print(f"ratio of means: {auto / plain:.2f}, of medians: {auto_median / plain_median:.2f}  (goal ≤ 2)")
    result = {
        "bench": "autosave",
        "autosave_ms": round(auto, 3),
        "bare_commit_ms": round(plain, 3),
        "ratio": round(auto / plain, 2),
        "autosave_median_ms": round(auto_median, 3),
        "bare_commit_median_ms": round(plain_median, 3),
        "median_ratio": round(auto_median / plain_median, 2),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
