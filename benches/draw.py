"""A 双随机 draw over 300,000 generated businesses (goal: < 1 s).

Measured, each the median of several runs:

* ``draw_only`` — ``run_draw`` from a snapshot already built and hashed: SHA-256 counter-mode keys for the whole
  population, weighted order, area-bound teams;
* ``core`` — what defines the draw from scratch: build the canonical registry snapshot from 300,000 rows (sort,
  checks, canonical JSON, SHA-256) and run the draw, for a fixed size and for a 5 % ratio (15,000 targets);
* ``preview`` — the whole service call a supervisor's screen makes: read the registry from SQLite, grade every
  business by the risk rules, read last inspections, build the snapshot and draw;
* ``confirm`` — save the draw (gzip the snapshot once, targets, assignments) and ``verify`` it again from the
  saved snapshot.

The registry comes from the demo generator (``generate_businesses``), five areas with four inspectors each.
Wall times are medians; ``cpu_s`` gives this process's CPU time too, since the machine is shared (the load
average before and after is printed).
Usage: ``python benches/draw.py [--rows N] [--size N] [--runs N]``. The last line is a JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from inspector_app.core.accounts import SYSTEM_USER, Role, User
from inspector_app.core.clock import utc_iso
from inspector_app.core.draw_params import RosterEntry, make_params
from inspector_app.core.draws import RegistrySnapshot, run_draw
from inspector_app.core.registry import JINGMEN_AREAS
from inspector_app.demo.fake_registry import generate_businesses
from inspector_app.paths import DataHome
from inspector_app.services.app import Services
from inspector_app.services.draws import DrawRequest
from inspector_app.storage.store import Store

CPU: dict[str, float] = {}


def timed(func: Callable[[], Any], runs: int, label: str = "") -> tuple[float, Any]:
    """Median wall time of ``runs`` calls (and, under ``label``, the median CPU time of this process)."""
    times, cpu, value = [], [], None
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        value = func()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    if label:
        CPU[label] = round(statistics.median(cpu), 3)
    return statistics.median(times), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--size", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    started = time.perf_counter()
    # Rows only: holding 300,000 Business objects as well would make every garbage collection walk them and
    # slow the timings below by a third (the app never holds the registry as objects).
    rows = [(b.uscc, b.kind.value, b.area, b.risk_grade, "", "") for b in generate_businesses(args.rows)]
    roster = [RosterEntry(f"u-{a}-{k}", area) for a, area in enumerate(JINGMEN_AREAS) for k in range(4)]
    print(f"generated {len(rows):,} businesses in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    def core(size: int | None, ratio: str | None) -> Callable[[], Any]:
        def run() -> Any:
            snapshot = RegistrySnapshot(rows)
            return run_draw("bench-seed", snapshot, make_params(size=size, ratio=ratio, roster=roster))

        return run

    load_before = os.getloadavg()[0]
    snapshot_s, snapshot = timed(lambda: RegistrySnapshot(rows).sha256, args.runs, "snapshot_hash")
    hashed = RegistrySnapshot(rows)
    hashed.sha256  # noqa: B018 (computed once here: the draw proper below starts from a hashed snapshot)
    params = make_params(size=args.size, roster=roster)
    draw_only_s, _ = timed(lambda: run_draw("bench-seed", hashed, params), args.runs, "draw_only")
    core_s, result = timed(core(args.size, None), args.runs, "core_draw")
    ratio_s, ratio_result = timed(core(None, "0.05"), args.runs, "core_draw_5pct")
    print(f"core: snapshot+hash {snapshot_s:.3f} s; draw alone {draw_only_s:.3f} s; with snapshot: {core_s:.3f} s; "
          f"draw 5 % ({len(ratio_result.targets):,}): {ratio_s:.3f} s", file=sys.stderr)  # fmt: skip

    with tempfile.TemporaryDirectory() as folder:
        home = DataHome(Path(folder))
        store = Store(home)
        services = Services(home, store=store)
        load_start = time.perf_counter()
        store.businesses.upsert_many(
            ((b, "") for b in generate_businesses(args.rows)), utc_iso(services.clock.now())
        )
        for a, area in enumerate(JINGMEN_AREAS):
            for k in range(4):
                user = User(
                    f"u-{a}-{k}", f"i{a}{k}", f"检查员{a}{k}", Role.INSPECTOR, f"4208{a}{k:06d}", area
                )
                store.accounts.add(user, "x", "2026-01-01T00:00:00Z")
        print(f"loaded the data home in {time.perf_counter() - load_start:.1f} s", file=sys.stderr)
        request = DrawRequest(seed="bench-seed", size=args.size)
        preview_s, preview = timed(
            lambda: services.draws.preview(SYSTEM_USER, request), max(3, args.runs // 2), "service_preview"
        )
        confirm_start = time.perf_counter()
        saved = services.draws.confirm(SYSTEM_USER, preview)
        confirm_s = time.perf_counter() - confirm_start
        document = services.draws.document(saved.id).canonical_bytes()
        verify_s, check = timed(lambda: services.draws.verify(document), 2, "verify")
        assert check.matches, check.problems
        store.close()
    print(
        f"service: preview {preview_s:.3f} s, confirm {confirm_s:.3f} s, verify {verify_s:.3f} s",
        file=sys.stderr,
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "rows": len(rows),
                "size": args.size,
                "snapshot_hash_s": round(snapshot_s, 3),
                "draw_only_s": round(draw_only_s, 3),
                "core_draw_s": round(core_s, 3),
                "core_draw_5pct_s": round(ratio_s, 3),
                "targets_5pct": len(ratio_result.targets),
                "service_preview_s": round(preview_s, 3),
                "confirm_s": round(confirm_s, 3),
                "verify_s": round(verify_s, 3),
                "cpu_s": CPU,
                "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
                "peak_rss_mib": round(peak),
                "goal_s": 1.0,
                "registry_hash": result.registry_hash,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
