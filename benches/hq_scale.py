"""HQ on PostgreSQL at scale: a supervisor's queue page for one area and one record page, at 10k → 1M records.

A throwaway PostgreSQL cluster is started (``tests/pg_cluster.py``, fsync off: loading speed is not what is
measured), HQ's schema is created by its Alembic migrations, and records are loaded with COPY in steps. Each
record is a real canonical record (built with the test builders) whose id, document number, area, status and
times vary; its hash is the SHA-256 of its content. 5 % of records await review, spread over the five areas of
Jingmen. After each step (and ANALYZE) HQ serves over HTTP on loopback and we time, through httpx:

* ``GET /queue?area=东宝区&page=N`` — 50 oldest records awaiting review in one area (N random in 1–5);
* ``GET /records/{id}`` — one record's page (the record rebuilt from its content and rendered as HTML);
* the pull query (``store.feed_page``, one feed row per record) for a supervisor's and an inspector's laptop,
  from the start of the feed and from near its end.

Usage: ``python benches/hq_scale.py [--sizes 10000,100000,1000000] [--queries 300]``. Goal: p95 < 50 ms at 1M.
The last line is a JSON object.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

# The repository root, for the test suite's helpers (PostgreSQL cluster, loopback server, fake laptop);
# inspector_app itself comes from the installed package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from inspector_app.core.clock import utc_iso
from inspector_app.hq.app import create_app
from inspector_app.hq.db import open_engine
from inspector_app.hq.service import HQ
from inspector_app.sync.protocol import canonical_json
from tests.builders import T0
from tests.live_server import ServerThread
from tests.pg_cluster import Cluster
from tests.sync_support import FakeLaptop

AREAS = ("东宝区", "掇刀区", "京山市", "钟祥市", "沙洋县")
COLUMNS = (
    "id", "hash", "device_id", "document_no", "status", "area", "family", "form_id", "form_version",
    "business_name", "uscc", "started_at", "finalized_at", "received_at", "seal_seq", "content",
)  # fmt: skip


def template() -> tuple[dict[str, Any], str]:
    content = FakeLaptop().record(photos=2).content
    return content, content["id"]


def rows(start: int, stop: int, rng: random.Random, devices: list[str]) -> Any:
    content, old_id = template()
    text = canonical_json(content).decode()
    for n in range(start, stop):
        record_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        area = AREAS[n % len(AREAS)]
        body = text.replace(old_id, record_id).replace('"area":"东宝区"', f'"area":"{area}"')
        finalized = T0 + timedelta(minutes=n)
        status = (
            "synced" if rng.random() < 0.05 else rng.choice(("approved", "approved", "approved", "returned"))
        )
        yield (
            record_id, hashlib.sha256(body.encode()).hexdigest(), devices[n % len(devices)],
            f"JM-BENCH-2026-{n:07d}", status, area, "food", "food.test_catering", 1, f"荆门市测试小吃店{n}",
            "91420800MA4F00001X", utc_iso(finalized - timedelta(hours=1)), utc_iso(finalized),
            utc_iso(finalized + timedelta(minutes=5)), n + 1, body,
        )  # fmt: skip


def load(
    engine: Any, start: int, stop: int, rng: random.Random, devices: list[str], sample: list[str]
) -> float:
    began = time.perf_counter()
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        feed: list[tuple[str, str, str, str, str]] = []
        with cursor.copy(f"COPY records ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in rows(start, stop, rng, devices):
                copy.write_row(row)
                feed.append(("record", row[0], row[2], row[5], row[13]))
                if rng.random() < 0.001:
                    sample.append(row[0])
        with cursor.copy("COPY feed (kind, ref, origin_device, area, created_at) FROM STDIN") as copy:
            for entry in feed:
                copy.write_row(entry)
        cursor.execute("ANALYZE records")
        cursor.execute("ANALYZE feed")
        raw.commit()
    finally:
        raw.close()
    return time.perf_counter() - began


def timed(client: httpx.Client, paths: list[str]) -> dict[str, float]:
    for path in paths[:20]:  # warm up connections and caches
        client.get(path).raise_for_status()
    spent = []
    for path in paths:
        began = time.perf_counter()
        response = client.get(path)
        spent.append((time.perf_counter() - began) * 1000)
        response.raise_for_status()
    spent.sort()
    return {
        "p50_ms": round(statistics.median(spent), 2),
        "p95_ms": round(spent[int(len(spent) * 0.95) - 1], 2),
        "max_ms": round(spent[-1], 2),
    }


def feed_costs(engine: Any, devices: list[str], total: int, repeat: int = 30) -> dict[str, float]:
    """Median ms of the pull query (``store.feed_page``, 200 items) for a supervisor and for an inspector
    device, from the start of the feed and from near its end (the usual case: a device pulls what is new)."""
    from inspector_app.hq.store import DeviceRow, feed_page

    boss = DeviceRow(
        0, "bench-boss", str(uuid.uuid4()), None, "supervisor", "东宝区", None, "", "", None, None
    )
    inspector = DeviceRow(0, "bench-inspector", devices[0], None, "inspector", "", None, "", "", None, None)
    out = {}
    for label, device in (("supervisor", boss), ("inspector", inspector)):
        for where, after in (("from_start", 0), ("near_end", max(0, total - 1000))):
            spent = []
            with engine.connect() as conn:
                for _ in range(repeat):
                    began = time.perf_counter()
                    feed_page(conn, device, after, 201)
                    spent.append((time.perf_counter() - began) * 1000)
            out[f"{label}_{where}_ms"] = round(statistics.median(spent), 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rng = random.Random(2026)
    devices = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(50)]
    cluster = Cluster(fast=True)
    results: dict[str, Any] = {}
    try:
        engine = open_engine(cluster.url())
        hq = HQ(engine, Path(tempfile.mkdtemp(prefix="hq-bench-blobs-")))
        server = ServerThread(create_app(hq))
        sample: list[str] = []
        loaded = 0
        with httpx.Client(base_url=f"http://127.0.0.1:{server.port}", timeout=60) as client:
            for size in sizes:
                seconds = load(engine, loaded, size, rng, devices, sample)
                print(f"loaded {size - loaded} records in {seconds:.1f} s (total {size})", file=sys.stderr)
                loaded = size
                queue_paths = [f"/queue?area=东宝区&page={rng.randint(1, 5)}" for _ in range(args.queries)]
                record_paths = [f"/records/{rng.choice(sample)}" for _ in range(args.queries)]
                results[str(size)] = {
                    "load_s": round(seconds, 1),
                    "queue_page": timed(client, queue_paths),
                    "record_page": timed(client, record_paths),
                    "pull_query": feed_costs(engine, devices, size),
                }
                print(f"{size}: {json.dumps(results[str(size)], ensure_ascii=False)}", file=sys.stderr)
        server.stop()
        engine.dispose()
    finally:
        cluster.stop()
    top = results[str(sizes[-1])]
    worst = max(top["queue_page"]["p95_ms"], top["record_page"]["p95_ms"])
    print(json.dumps({"bench": "hq_scale", "engine": "postgresql", "sizes": results, "goal_p95_ms": 50,
                      "goal_met": worst < 50}, ensure_ascii=False))  # fmt: skip


if __name__ == "__main__":
    main()
