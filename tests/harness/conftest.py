"""The soak harness of issue 12: prints the figures its tests collected (:mod:`tests.harness.figures`).

The default run (``bash scripts/test.sh``) runs every harness test in reduced form; ``-m slow`` runs the
full sizes (≥ 200 kills, thousands of fuzz cases). Figures: kills, saves confirmed, lost (must be 0), fuzz
cases per target, and so on.
"""

from __future__ import annotations

import json
import os

from tests.harness.figures import FIGURES


def pytest_terminal_summary(terminalreporter):
    if not FIGURES:
        return
    figures = dict(sorted(FIGURES.items()))
    terminalreporter.write_sep("-", "issue 12 harness figures")
    terminalreporter.write_line(json.dumps(figures, ensure_ascii=False))
    target = os.environ.get("HARNESS_FIGURES")
    if target:
        with open(target, "w", encoding="utf-8") as handle:
            json.dump(figures, handle, ensure_ascii=False, indent=1)
