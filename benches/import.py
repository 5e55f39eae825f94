"""Import a 300,000-row GBK CSV registry through the registry service: seconds and peak memory.

Usage: ``python benches/import.py [--rows N] [--tracemalloc]``. The data home is a temporary folder.
Prints figures, then one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

from inspector_app.demo.fake_registry import generate_businesses
from inspector_app.paths import DataHome
from inspector_app.services.app import Services

HEADER = [
    "企业名称",
    "统一社会信用代码",
    "业态",
    "经营地址",
    "负责人",
    "联系电话",
    "许可证号",
    "辖区",
    "风险等级",
    "信用分",
]


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="gbk", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        for b in generate_businesses(rows):
            score = "" if b.credit_score is None else b.credit_score
            writer.writerow(
                [
                    b.name,
                    b.uscc,
                    b.kind.value,
                    b.address,
                    b.responsible,
                    b.phone,
                    b.licence_no,
                    b.area,
                    b.risk_grade,
                    score,
                ]
            )


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also measure the Python heap peak (slower)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "名录.csv"
        started = time.perf_counter()
        write_csv(path, args.rows)
        print(
            f"wrote {args.rows} rows ({path.stat().st_size / 2**20:.1f} MiB GBK) in {time.perf_counter() - started:.1f} s"
        )
        services = Services(DataHome(Path(tmp) / "home"))
        rss_before = rss_mib()
        if args.tracemalloc:
            tracemalloc.start()
        started = time.perf_counter()
        report = services.registry.import_file(path)
        seconds = time.perf_counter() - started
        heap_peak = tracemalloc.get_traced_memory()[1] / 2**20 if args.tracemalloc else None
        tracemalloc.stop()
        rss_after = rss_mib()
        started = time.perf_counter()
        again = services.registry.import_file(path)
        reimport = time.perf_counter() - started
        db_size = services.home.db_path.stat().st_size / 2**20
        services.close()
    result = {
        "bench": "import",
        "rows": args.rows,
        "seconds": round(seconds, 2),
        "rows_per_second": round(args.rows / seconds),
        "reimport_unchanged_seconds": round(reimport, 2),
        "peak_rss_mib": round(rss_after, 1),
        "rss_before_import_mib": round(rss_before, 1),
        "python_heap_peak_mib": None if heap_peak is None else round(heap_peak, 1),
        "db_mib": round(db_size, 1),
        "imported": report.imported,
        "rejected": len(report.rejected),
        "duplicates": len(report.duplicates),
        "reimport_unchanged": again.unchanged,
    }
    print(f"import: {seconds:.1f} s ({result['rows_per_second']} rows/s), re-import {reimport:.1f} s")
    print(f"peak RSS {rss_after:.0f} MiB (before import {rss_before:.0f} MiB), database {db_size:.0f} MiB")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
