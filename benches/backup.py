"""Benchmark: backup, verify and restore of a data home the size of a county bureau's laptop.

The home: the demo registry with ``--businesses`` businesses (default 50,000) plus finalized records with
photos (``--records``, each with ``--photos`` 1600×1200 JPEG photos of its own). Measured: ``inspector
verify`` (every record, every attachment hashed), ``backup`` (VACUUM INTO + ZIP with hashes), ``restore``
into a fresh home (extract, check every member, verify the copy, swap); the backup's size; peak RSS of this
process. Also the editor's autosave through ``Services.autosaving`` (the short-timeout connection) against
the ordinary service path, to show the second connection costs nothing per answer.

Usage: ``python benches/backup.py [--businesses N] [--records N] [--photos N] [--dir FOLDER]``. Last line:
``{"bench":"backup",...}``.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

from PIL import Image

from inspector_app.core.accounts import Role, User
from inspector_app.core.records import Inspector, SignerRole
from inspector_app.core.registry import BusinessKind
from inspector_app.demo.fake_registry import generate_businesses
from inspector_app.paths import DataHome
from inspector_app.services.app import Services
from inspector_app.services.backup import restore_home

ACTOR = User("u-bench", "bench", "张伟", Role.INSPECTOR, "42080220230012")
CREW = [Inspector("张伟", "42080220230012", "u-bench"), Inspector("李娜", "42080220230027", "u-li")]
FORM = "food.small_catering"


def _photo(rng: random.Random) -> bytes:
    image = Image.effect_noise((400, 300), rng.randint(20, 80)).convert("RGB").resize((1600, 1200))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _signature() -> bytes:
    image = Image.new("RGBA", (300, 100), (255, 255, 255, 0))
    for x in range(20, 280):
        image.putpixel((x, 50 + (x % 17)), (0, 0, 0, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def fill(home: DataHome, businesses: int, records: int, photos: int) -> Services:
    services = Services(home)
    shops = [b for b in generate_businesses(businesses) if b.kind is BusinessKind.SMALL_CATERING]
    services.registry.upsert_many(generate_businesses(businesses))
    rng = random.Random(12)
    signature = _signature()
    for n in range(records):
        svc = services.inspections
        record = svc.start(ACTOR, shops[n % len(shops)].uscc, FORM, CREW, "日常检查", "店内")
        checklist = svc.checklist_of(record)
        for _ in range(3):  # conditional items appear after the answers they depend on
            current = svc.get(record.id)
            for item in checklist.visible_items(current.values(), current.attributes):
                if item.code not in current.answers:
                    allowed = item.allowed_values() or ("符合",)
                    good = [v for v in allowed if item.judge(v).value == "符合"] or list(allowed)
                    svc.answer(ACTOR, record.id, item.code, good[0])
        for _ in range(photos):
            svc.attach_photo(ACTOR, record.id, checklist.items[0].code, _photo(rng))
        for inspector in CREW:
            svc.sign(ACTOR, record.id, SignerRole.INSPECTOR, inspector.name, signature)
        svc.sign(
            ACTOR, record.id, SignerRole.PARTY, record.business.responsible or record.business.name, signature
        )
        svc.finalize(ACTOR, record.id)
    return services


def autosave_ms(services: Services, rounds: int = 300) -> dict[str, float]:
    """One answer and its read-back as the editor does them: written and read on the main connection (before
    issue 12) vs written through ``autosaving`` and read back on the main one (now); rounds interleaved.
    Means and medians in ms (fsync makes the distribution bimodal)."""
    uscc = services.inspections.list()[0].uscc  # a business the checklist applies to
    record = services.inspections.start(ACTOR, uscc, FORM, CREW, "日常检查", "店内")
    code = next(
        i.code for i in services.inspections.checklist_of(record).items if "不符合" in i.allowed_values()
    )
    times: dict[str, list[float]] = {"one_connection": [], "autosave_connection": []}
    flip = 0
    for _ in range(rounds):
        for name, writer in (("one_connection", services), ("autosave_connection", services.autosaving)):
            flip += 1
            value = ("符合", "不适用")[flip % 2]  # every write changes the row
            start = time.perf_counter()
            writer.inspections.answer(ACTOR, record.id, code, value)
            services.inspections.answer_of(record.id, code)
            times[name].append((time.perf_counter() - start) * 1000)
    figures = {}
    for name, values in times.items():
        figures[f"{name}_mean_ms"] = round(statistics.mean(values), 3)
        figures[f"{name}_median_ms"] = round(statistics.median(values), 3)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--businesses", type=int, default=50_000)
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--photos", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        services = fill(DataHome(folder / "home"), args.businesses, args.records, args.photos)
        filled_s = time.perf_counter() - start
        start = time.perf_counter()
        report = services.verify.verify()
        verify_s = time.perf_counter() - start
        assert report.ok, report.problems[:3]
        start = time.perf_counter()
        summary = services.backup.backup(folder / "backup.zip")
        backup_s = time.perf_counter() - start
        autosave = autosave_ms(services)
        services.close()
        start = time.perf_counter()
        restore_home(DataHome(folder / "fresh"), folder / "backup.zip")
        restore_s = time.perf_counter() - start
    figures = {
        "bench": "backup",
        "businesses": args.businesses,
        "records": args.records,
        "attachments": summary.attachments,
        "fill_s": round(filled_s, 1),
        "verify_s": round(verify_s, 2),
        "backup_s": round(backup_s, 2),
        "backup_mb": round(summary.size / 1e6, 1),
        "restore_s": round(restore_s, 2),
        **{f"autosave_{k}": v for k, v in autosave.items()},
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(
        f"verify {verify_s:.2f} s, backup {backup_s:.2f} s ({summary.size / 1e6:.1f} MB), restore {restore_s:.2f} s"
    )
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
