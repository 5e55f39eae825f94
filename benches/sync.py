"""Laptop → HQ push throughput on loopback, against a raw HTTP upload of the same bytes in the same run.

The laptop is a real data home: each record is started, answered (the shipped 小餐饮 checklist), given one
field photo (a 1600×1200 JPEG, downscaled and re-encoded by the app like a camera photo, ~250–320 KB), signed
and finalized through the services, so it is sealed and queued like any other. The home is built once and
copied for each run. For each engine, ``inspector-hq serve`` runs in its own process on loopback, as deployed
(PostgreSQL: a throwaway cluster with durable commits), and one ``services.sync.push()`` sends the whole
outbox, with 1 and with 4 items in flight: per record it asks which blobs HQ lacks, PUTs them, POSTs the record, checks HQ's signed
receipt and marks the item synced. Then the same bytes — every record's JSON body and every blob, one PUT
each — go through ``benches/raw_upload.raw_upload_baseline`` (no hashing, no database, no fsync).

Usage: ``python benches/sync.py [--records 2000] [--engines sqlite,postgresql]``. Goal: sync MB/s ≥ 0.5 × raw.
The last line is a JSON object.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# The repository root, for the test suite's helpers (PostgreSQL cluster, loopback server, laptop builders);
# inspector_app itself comes from the installed package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw

from benches.raw_upload import raw_upload_baseline
from inspector_app.core.outbox import OutboxState
from inspector_app.hq.cli import open_hq
from inspector_app.paths import DataHome
from inspector_app.services.app import Services
from inspector_app.sync.protocol import RecordPayload, canonical_json
from tests.hq.test_faults import _serve as serve_hq
from tests.laptop_support import FAST_RETRY, laptop_uscc, make_laptop
from tests.live_server import free_port
from tests.pg_cluster import Cluster
from tests.review_support import FORM, LI, ZHANG, answer_all, crew, sign_all


def field_photo(seed: int) -> bytes:
    """A camera-like JPEG: texture (noise), a gradient and a coloured shape, different for every seed."""
    noise = Image.effect_noise((1600, 1200), 12 + seed % 9).convert("RGB")
    gradient = Image.linear_gradient("L").resize((1600, 1200)).convert("RGB")
    image = Image.blend(noise, gradient, 0.6)
    ImageDraw.Draw(image).rectangle(
        [100 + seed % 700, 100, 600 + seed % 700, 500], fill=(200, 80 + seed % 150, 40)
    )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def build_laptop(root: Path, records: int) -> float:
    """Finalize ``records`` records through the services; returns the seconds it took."""
    services = make_laptop(root)
    began = time.perf_counter()
    inspections = services.inspections
    uscc = laptop_uscc(services)
    for n in range(records):
        record = inspections.start(ZHANG, uscc, FORM, crew(ZHANG, LI), "日常检查", "店内")
        answer_all(services, ZHANG, record.id)
        first = sorted(inspections.get(record.id).answers)[0]
        inspections.attach_photo(ZHANG, record.id, first, field_photo(n))
        sign_all(services, ZHANG, record.id)
        inspections.finalize(ZHANG, record.id)
        if (n + 1) % 200 == 0:
            print(f"  {n + 1}/{records} records finalized", file=sys.stderr)
    services.close()
    return time.perf_counter() - began


def wire_payloads(services: Services) -> list[bytes]:
    """What the push sends: each record's JSON body and each of its blobs (shared blobs once)."""
    payloads: list[bytes] = []
    seen: set[str] = set()
    for item in services.sync.items():
        record = services.sync.payload_of(item)
        assert isinstance(record, RecordPayload)
        for sha in record.blobs():
            if sha not in seen:
                seen.add(sha)
                payloads.append(services.inspections.attachment_bytes(sha))
        payloads.append(canonical_json(record.to_dict()))
    return payloads


@contextlib.contextmanager
def hq_process(db_url: str, blobs: Path) -> Iterator[tuple[Any, str]]:
    """``inspector-hq serve`` in its own process (as deployed), and an in-process handle for enrolment codes."""
    hq = open_hq(db_url, str(blobs))
    port = free_port(18800, 18899)  # this branch's port range
    process = serve_hq(db_url, blobs, port)  # the HQ fault tests' launcher: starts it and waits for /v1/hello
    try:
        yield hq, f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(20)
        hq.engine.dispose()


def push_to(engine_name: str, db_url: str, template: Path, work: Path, parallel: int) -> dict[str, Any]:
    home = work / f"laptop-{engine_name}"
    shutil.copytree(template, home)
    services = Services(DataHome(home))
    services.sync.retry = FAST_RETRY
    services.sync.parallel = parallel
    try:
        with hq_process(db_url, work / f"blobs-{engine_name}") as (hq, url):
            services.sync.enroll(url, hq.devices.issue_code(f"bench-{engine_name}").code)
            payloads = wire_payloads(services)
            total = sum(len(p) for p in payloads)
            records = len(services.sync.items())
            began = time.perf_counter()
            report = services.sync.push()
            seconds = time.perf_counter() - began
            if not report.ok or report.synced != records:
                raise RuntimeError(f"push incomplete: {report.summary()}")
            if services.sync.status().synced != records or len(hq.records()) != records:
                raise RuntimeError("HQ does not hold every record")
            assert all(i.state is OutboxState.SYNCED for i in services.sync.items(include_synced=True))
    finally:
        services.close()
    raw = raw_upload_baseline(payloads)
    sync_mb = total / seconds / 1e6
    return {
        "engine": engine_name,
        "parallel": parallel,
        "records": records,
        "bytes": total,
        "seconds": round(seconds, 2),
        "records_per_s": round(records / seconds, 1),
        "mb_per_s": round(sync_mb, 1),
        "raw_seconds": raw["seconds"],
        "raw_records_per_s": round(records / raw["seconds"], 1),
        "raw_mb_per_s": raw["mb_per_s"],
        "ratio_to_raw": round(sync_mb / (total / raw["seconds"] / 1e6), 2),
    }


def run_engine(name: str, template: Path, work: Path, parallel: int) -> dict[str, Any]:
    if name == "sqlite":
        work.mkdir(parents=True)
        return push_to(name, str(work / "hq.sqlite3"), template, work, parallel)
    cluster = Cluster(fast=False)
    try:
        return push_to(name, cluster.url(cluster.create_database()), template, work, parallel)
    finally:
        cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--parallel", default="1,4", help="items in flight during the push, one run each")
    args = parser.parse_args()
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="sync-bench-") as tmp:
        work = Path(tmp)
        template = work / "laptop"
        built = build_laptop(template, args.records)
        print(f"built {args.records} finalized records in {built:.0f} s", file=sys.stderr)
        for name in args.engines.split(","):
            for parallel in map(int, args.parallel.split(",")):
                results.append(run_engine(name, template, work / f"{name}-{parallel}", parallel))
                print(json.dumps(results[-1], ensure_ascii=False), file=sys.stderr)
    for r in results:
        print(
            f"{r['engine']:<10} ×{r['parallel']} {r['records']} records, {r['bytes'] / 1e6:.0f} MB: sync {r['records_per_s']} rec/s "
            f"{r['mb_per_s']} MB/s; raw {r['raw_records_per_s']} rec/s {r['raw_mb_per_s']} MB/s; "
            f"ratio {r['ratio_to_raw']}"
        )
    print(json.dumps({"bench": "sync", "records": args.records, "results": results}, ensure_ascii=False))


if __name__ == "__main__":
    main()
