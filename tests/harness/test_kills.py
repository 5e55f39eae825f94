"""SIGKILL at random moments during autosave, finalize, photo attach and registry import; nothing confirmed
is ever lost and the data home always reopens intact (issue 12, the harness).

A child process (``kill_child.py``) works through the real services on a real data home and prints a line
after each step is stored; the parent kills it (SIGKILL: no cleanup) after a random delay, reads every line
it printed, reopens the home and checks: every confirmed step is there; the one in flight is all there or
not at all; SQLite's integrity check and ``inspector verify``'s checks pass; leftovers of the killed write
are removable once the writer is dead. Each cycle continues on the home the last one left.

Default run: 3 kills per scenario. ``-m slow``: 60 per scenario (240 kills). ``HARNESS_SEED`` changes the
random moments (the seed is in the figures).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from inspector_app.paths import DataHome
from inspector_app.services.app import Services
from inspector_app.storage.leftovers import clean_leftovers
from tests.harness.figures import note, record

REPO = Path(__file__).resolve().parents[2]
SEED = int(os.environ.get("HARNESS_SEED", "1212"))
SCENARIOS = ("autosave", "finalize", "photo", "import")
#: Longest random wait after READY before the kill (seconds); import and finalize steps take longer.
MAX_DELAY = {"autosave": 0.4, "finalize": 1.5, "photo": 0.6, "import": 1.2}


@dataclass
class Outcome:
    lines: list[list[str]] = field(default_factory=list)
    stderr: str = ""


def run_and_kill(scenario: str, home: Path, seed: int, delay: float) -> Outcome:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.harness.kill_child", scenario, str(home), str(seed)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    if first.strip() != "READY":
        proc.kill()
        raise AssertionError(f"child of {scenario} did not start: {first}{proc.stderr.read()}")
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    rest = proc.stdout.read()  # what it printed before dying is still in the pipe: all confirmed
    proc.wait(timeout=30)
    stderr = proc.stderr.read()
    assert proc.returncode == -signal.SIGKILL, f"{scenario} child ended by itself: {stderr}"
    return Outcome([line.split() for line in rest.splitlines() if line.strip()], stderr)


def in_flight(lines: list[list[str]]) -> list[str] | None:
    """The TRY line after the last confirmation (the step the kill interrupted), if any."""
    return lines[-1] if lines and lines[-1][0] == "TRY" else None


class Checker:
    """Keeps what the children confirmed over all cycles of one scenario and checks it after each kill."""

    def __init__(self, scenario: str, home: DataHome) -> None:
        self.scenario = scenario
        self.home = home
        self.answers: dict[str, str] = {}
        self.finals: dict[str, str] = {}
        self.photos: dict[str, set[str]] = {}
        self.imported: set[int] = set()
        self.lost: list[str] = []

    def check(self, outcome: Outcome) -> int:
        """Check the reopened home; returns how many steps this cycle confirmed."""
        services = Services(self.home)  # reopening must work after any kill
        try:
            confirmed = getattr(self, f"_{self.scenario.replace('-', '_')}")(services, outcome.lines)
            report = services.verify.verify()
            assert report.ok, [str(p) for p in report.problems]
        finally:
            services.close()
        return confirmed

    def _autosave(self, services: Services, lines: list[list[str]]) -> int:
        for kind, code, value in (line for line in lines if len(line) == 3):
            if kind == "OK":
                self.answers[code] = value
        [draft] = [s for s in services.inspections.list() if s.status.value == "draft"]
        stored = {c: a.value for c, a in services.inspections.get(draft.id).answers.items()}
        flying = in_flight(lines)
        for code, value in self.answers.items():
            allowed = {value} | ({flying[2]} if flying and flying[1] == code else set())
            if stored.get(code) not in allowed:
                self.lost.append(f"answer {code}: confirmed {value}, stored {stored.get(code)}")
        if flying and flying[1] in stored:
            self.answers[flying[1]] = str(stored[flying[1]])  # it made it: later cycles expect it
        return sum(1 for line in lines if line[0] == "OK")

    def _finalize(self, services: Services, lines: list[list[str]]) -> int:
        for _, record_id, content_hash in (line for line in lines if line[0] == "FINAL"):
            self.finals[record_id] = content_hash
        for record_id, content_hash in self.finals.items():
            stored = services.inspections.get(record_id)
            if stored.status.value != "finalized" or stored.content_hash != content_hash:
                self.lost.append(f"record {record_id}: confirmed finalized, stored {stored.status.value}")
        return sum(1 for line in lines if line[0] == "FINAL")

    def _photo(self, services: Services, lines: list[list[str]]) -> int:
        for _, code, sha in (line for line in lines if line[0] == "PHOTO"):
            self.photos.setdefault(code, set()).add(sha)
        [draft] = [s for s in services.inspections.list() if s.status.value == "draft"]
        answers = services.inspections.get(draft.id).answers
        for code, shas in self.photos.items():
            for sha in shas - set(answers[code].photos if code in answers else ()):
                self.lost.append(f"photo {sha[:12]} of {code}")
            for sha in shas:
                services.inspections.attachment_bytes(sha)  # present and matching its hash, else raises
        removed = clean_leftovers(self.home, min_age_s=0)  # the killed writer holds no lock any more
        record("partial files left by kills and removed", len(removed))
        assert not [p for p in self.home.attachments_dir.rglob("*") if p.name.startswith(".partial-")]
        return sum(1 for line in lines if line[0] == "PHOTO")

    def _import(self, services: Services, lines: list[list[str]]) -> int:
        from tests.harness.kill_child import IMPORT_ROWS, uscc_of

        self.imported |= {int(line[1]) for line in lines if line[0] == "IMPORTED"}
        for k in self.imported:
            found = len(services.registry.get_many([uscc_of(k, i) for i in range(IMPORT_ROWS)]))
            if found != IMPORT_ROWS:
                self.lost.append(f"import {k}: {found} of {IMPORT_ROWS} businesses")
        flying = in_flight(lines)
        if flying:
            k = int(flying[1])
            found = len(services.registry.get_many([uscc_of(k, i) for i in range(IMPORT_ROWS)]))
            assert found in (0, IMPORT_ROWS), f"import {k} half done: {found} rows"
            if found:
                self.imported.add(k)
        assert services.registry.count() == len(self.imported) * IMPORT_ROWS
        return sum(1 for line in lines if line[0] == "IMPORTED")


def soak(tmp_path: Path, scenario: str, kills: int) -> None:
    home = DataHome(tmp_path / scenario)
    Services(home).close()
    checker = Checker(scenario, home)
    rng = random.Random(f"{SEED}-{scenario}")
    for cycle in range(kills):
        outcome = run_and_kill(scenario, home.root, SEED + cycle, rng.uniform(0.02, MAX_DELAY[scenario]))
        confirmed = checker.check(outcome)
        record("kills")
        record(f"kills during {scenario}")
        record("saves confirmed", confirmed)
    record("lost", len(checker.lost))
    note("kill seed", SEED)
    assert checker.lost == [], checker.lost[:10]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_sigkill_during_work_loses_nothing_confirmed(tmp_path, scenario):
    soak(tmp_path, scenario, kills=3)


@pytest.mark.slow
@pytest.mark.timeout(3600)
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_soak_sigkill_during_work_loses_nothing_confirmed(tmp_path, scenario):
    soak(tmp_path, scenario, kills=60)
