"""Benchmark: loading the shipped checklists (validated on load) and checking every citation.

Figures, median CPU milliseconds of warm runs in one process (CPU time: the machine is shared):

* ``load_ms`` — :func:`load_library`, what the app does on the first checklist it opens: every current file
  read and validated (citations and their printed texts included); archived versions only indexed;
* ``scan_ms`` — :func:`scan`, what ``inspector forms validate`` and the tests do: the archive read too;
* ``archived_ms`` — reading one archived version when a record pins it;
* ``citations_ms`` — :func:`citation_report`: every citation checked against the held law texts (cold:
  the law texts parsed once, then cached).

No goal is asserted; the figures go in docs/BENCHMARKS.md. Last line: ``{"bench":"forms_load",...}``.
"""

from __future__ import annotations

import json
import statistics
import time

from inspector_app.forms import citations
from inspector_app.forms.library import load_library, scan

RUNS = 15


def cpu_ms(action, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        action()
        times.append((time.process_time() - start) * 1000)
    return round(statistics.median(times), 1)


def main() -> None:
    load_library()  # imports and first-use caches out of the way
    load = cpu_ms(load_library)
    full = cpu_ms(lambda: scan())

    def read_archived() -> None:
        library = load_library()
        start = time.process_time()
        library.get("food.small_catering", 1)
        timings.append((time.process_time() - start) * 1000)

    timings: list[float] = []
    for _ in range(RUNS):
        read_archived()
    library = load_library()
    start = time.process_time()
    report = citations.citation_report(library)
    cold = (time.process_time() - start) * 1000
    warm = cpu_ms(lambda: citations.citation_report(library), 5)
    counts = report.counts()
    result = {
        "bench": "forms_load",
        "load_ms": load,
        "scan_ms": full,
        "archived_ms": round(statistics.median(timings), 1),
        "citations_cold_ms": round(cold, 1),
        "citations_warm_ms": warm,
        "citations": counts["citations"],
        "items": counts["items"],
    }
    print(
        f"load_library {load} ms; scan (archive too) {full} ms; one archived version {result['archived_ms']} ms"
    )
    print(
        f"citation report: {counts['citations']} citations of {counts['items']} items, cold {cold:.0f} ms, warm {warm} ms"
    )
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
