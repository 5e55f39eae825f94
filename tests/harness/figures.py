"""Figures of the soak harness (issue 12), collected by the harness tests and printed by its conftest.

``record("kills", 3)`` adds; ``note("kill seed", 1212)`` sets. The terminal summary prints them as one JSON
object, and ``HARNESS_FIGURES=path`` also writes them there.
"""

from __future__ import annotations

from collections import Counter

FIGURES: Counter[str] = Counter()


def record(name: str, amount: int = 1) -> None:
    """Add ``amount`` to the figure ``name``."""
    FIGURES[name] += amount


def note(name: str, value: int) -> None:
    """Set the figure ``name`` (e.g. the random seed used)."""
    FIGURES[name] = value
