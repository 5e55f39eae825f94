"""Child process of the SIGKILL harness (``test_kills.py``): does one kind of work in a loop through the real
services, printing a line only once each step is durably stored. The parent kills it at a random moment.

Usage: ``python -m tests.harness.kill_child SCENARIO HOME SEED``; prints ``READY`` once set up, then

- ``autosave``: ``TRY code value`` before and ``OK code value`` after each answer of the open draft;
- ``finalize``: ``FINAL record_id content_hash`` after each record is started, filled, signed and finalized;
- ``photo``: ``TRY code`` before and ``PHOTO code sha256`` after each photo attached to the open draft;
- ``import``: ``TRY k`` before and ``IMPORTED k`` after registry file k (200 businesses of its own) is in.
"""

from __future__ import annotations

import io
import random
import sys
from pathlib import Path

from PIL import Image

from inspector_app.core.identifiers import make_uscc
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.summaries import InspectionQuery
from inspector_app.paths import DataHome
from inspector_app.services.app import Services
from tests.review_support import FORM, LI, ZHANG, add_business, answer_all, crew, sign_all

IMPORT_ROWS = 200
VALUES = ("符合", "不符合", "不适用")


def say(line: str) -> None:
    print(line, flush=True)


def uscc_of(k: int, i: int) -> str:
    return make_uscc(f"91420802{k:04d}{i:05d}")


def open_draft(services: Services, uscc: str) -> str:
    drafts = services.inspections.list(InspectionQuery(status=RecordStatus.DRAFT))
    if drafts:
        return drafts[0].id
    return services.inspections.start(ZHANG, uscc, FORM, crew(ZHANG, LI), "日常检查", "店内").id


def autosave(services: Services, rng: random.Random) -> None:
    record_id = open_draft(services, add_business(services))
    record = services.inspections.get(record_id)
    codes = [i.code for i in services.inspections.checklist_of(record).items if i.allowed_values() == VALUES]
    say("READY")
    while True:
        code, value = rng.choice(codes), rng.choice(VALUES)
        say(f"TRY {code} {value}")
        services.inspections.answer(ZHANG, record_id, code, value)
        say(f"OK {code} {value}")


def finalize(services: Services, rng: random.Random) -> None:
    uscc = add_business(services)
    say("READY")
    while True:
        record = services.inspections.start(ZHANG, uscc, FORM, crew(ZHANG, LI), "日常检查", "店内")
        answer_all(services, ZHANG, record.id)
        sign_all(services, ZHANG, record.id)
        done = services.inspections.finalize(ZHANG, record.id)
        say(f"FINAL {done.id} {done.content_hash}")


def _photo(rng: random.Random) -> bytes:
    image = Image.new("RGB", (rng.randint(200, 900), rng.randint(200, 900)), tuple(rng.randbytes(3)))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=rng.randint(60, 95))
    return out.getvalue()


def photo(services: Services, rng: random.Random) -> None:
    record_id = open_draft(services, add_business(services))
    record = services.inspections.get(record_id)
    codes = [i.code for i in services.inspections.checklist_of(record).items][:6]
    say("READY")
    while True:
        code = rng.choice(codes)
        say(f"TRY {code}")
        attachment = services.inspections.attach_photo(ZHANG, record_id, code, _photo(rng))
        say(f"PHOTO {code} {attachment.sha256}")


def registry_import(services: Services, home: Path, rng: random.Random) -> None:
    k = services.registry.count() // IMPORT_ROWS  # files fully imported so far (each all or nothing)
    say("READY")
    while True:
        path = home / f"import-{k}.csv"
        rows = [
            f"{uscc_of(k, i)},荆门测试{k}号店{i},小餐饮,东宝区{rng.randint(1, 99)}号"
            for i in range(IMPORT_ROWS)
        ]
        path.write_text("统一社会信用代码,主体名称,主体类型,经营地址\n" + "\n".join(rows), encoding="utf-8")
        say(f"TRY {k}")
        services.registry.import_file(path)
        say(f"IMPORTED {k}")
        k += 1


def main(scenario: str, home: str, seed: str) -> None:
    rng = random.Random(int(seed))
    services = Services(DataHome(Path(home)))
    if scenario == "autosave":
        autosave(services, rng)
    elif scenario == "finalize":
        finalize(services, rng)
    elif scenario == "photo":
        photo(services, rng)
    elif scenario == "import":
        registry_import(services, Path(home), rng)
    else:
        raise SystemExit(f"unknown scenario {scenario}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
