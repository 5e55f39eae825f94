"""Benchmark: open a 60-item checklist in the inspection editor (offscreen), half of it already answered.

The checklist is 60 real items taken from the shipped food checklists, regrouped into 4 sections of 15 (the
editor builds a section's cards when the section is first shown). "Open" is: load the record through the
service, build the editor, show it and process events until it is laid out and painted. A worst case with
all 60 items in one section is reported too.

Goal: median < 150 ms. Last line: ``{"bench":"checklist_open","median_ms":..,"p95_ms":..}``.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication
from specimen import long_checklist

from inspector_app.core.accounts import Role, User
from inspector_app.core.checklist import Checklist, Family, Section
from inspector_app.core.clock import FixedClock
from inspector_app.core.identifiers import make_uscc
from inspector_app.core.records import Inspector
from inspector_app.core.registry import Business, BusinessKind
from inspector_app.forms.library import FormLibrary, load_library
from inspector_app.paths import DataHome
from inspector_app.services.app import Services

ITEMS = 60
RUNS = 30
WARMUP = 3
USCC = make_uscc("92420802MA4F00002")
ACTOR = User("u-bench", "bench", "张伟", Role.INSPECTOR, "42080220230012")
CREW = [Inspector("张伟", "42080220230012", "u-bench"), Inspector("李娜", "42080220230027", "u-li")]


def regrouped(source: Checklist, per_section: int, form_id: str) -> Checklist:
    items = source.items
    sections = tuple(
        Section(f"第{n // per_section + 1}部分", tuple(items[n : n + per_section]))
        for n in range(0, len(items), per_section)
    )
    return replace(source, id=form_id, sections=sections, _index={})


def make_services(root: Path) -> tuple[Services, dict[str, str]]:
    shipped = load_library()
    base = long_checklist([c for c in shipped.all() if c.family is Family.FOOD], ITEMS, "bench.long")
    base = replace(base, business_kinds=(BusinessKind.SMALL_CATERING.value,), _index={})
    forms = {
        "sections_of_15": regrouped(base, 15, "bench.four_sections"),
        "one_section": regrouped(base, ITEMS, "bench.one_section"),
    }
    library = FormLibrary({(c.id, c.version): c for c in forms.values()}, shipped.rules)
    services = Services(
        DataHome(root).ensure(),
        clock=FixedClock(__import__("datetime").datetime(2026, 3, 2, 1, tzinfo=__import__("datetime").UTC)),
        forms=library,
    )
    services.registry.upsert(
        Business(USCC, "荆门市东宝区红山小吃店", BusinessKind.SMALL_CATERING, address="湖北省荆门市东宝区象山大道1号",
                 area="东宝区", responsible="王红山", phone="13800000000", licence_no="JY14208020000001")
    )  # fmt: skip
    ids = {}
    for name, checklist in forms.items():
        record = services.inspections.start(ACTOR, USCC, checklist.id, CREW, "日常检查", "经营场所")
        for n, item in enumerate(checklist.items[: ITEMS // 2]):
            allowed = item.allowed_values()
            value = (
                allowed[n % 2]
                if allowed
                else (
                    "12"
                    if item.type.value == "number"
                    else "2026-03-01"
                    if item.type.value == "date"
                    else "已查看"
                )
            )
            services.inspections.answer(
                ACTOR, record.id, item.code, value, note="现场发现问题" if n % 2 else None
            )
        ids[name] = record.id
    return services, ids


def open_once(app: QApplication, services: Services, record_id: str) -> float:
    from inspector_app.gui.inspection.editor import InspectionEditor

    start = time.perf_counter()
    editor = InspectionEditor(services, ACTOR, record_id)
    editor.resize(1190, 690)
    editor.show()
    app.processEvents()
    editor.grab()  # force a full paint
    elapsed = (time.perf_counter() - start) * 1000
    editor.close()
    editor.deleteLater()
    app.processEvents()
    return elapsed


def measure(app: QApplication, services: Services, record_id: str) -> list[float]:
    for _ in range(WARMUP):
        open_once(app, services, record_id)
    return [open_once(app, services, record_id) for _ in range(RUNS)]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    app = QApplication.instance() or QApplication([])
    from inspector_app.gui.theme import apply_style

    apply_style(app)  # the app's font and style sheet, as in the real window
    with tempfile.TemporaryDirectory() as tmp:
        services, ids = make_services(Path(tmp) / "home")
        results = {name: measure(app, services, rid) for name, rid in ids.items()}
        services.close()
    for name, times in results.items():
        print(f"{name}: median {statistics.median(times):.1f} ms, p95 {p95(times):.1f} ms, runs {len(times)}")
    main_times = results["sections_of_15"]
    worst = results["one_section"]
    print(json.dumps({
        "bench": "checklist_open",
        "median_ms": round(statistics.median(main_times), 1),
        "p95_ms": round(p95(main_times), 1),
        "one_section_median_ms": round(statistics.median(worst), 1),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
