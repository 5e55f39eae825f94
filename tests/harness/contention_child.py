"""Child process of the contention harness (``test_contention.py``): one writer or reader role for a while.

Usage: ``python -m tests.harness.contention_child ROLE HOME SECONDS [RECORD_ID]``. Roles:

- ``import``: imports registry files of 300 businesses (its own USCCs, names changing each round);
- ``answers``: answers items of the draft RECORD_ID, as the editor's autosave does;
- ``reader``: opens the data home afresh now and then, searches the registry, lists and loads records.

Prints ``OK …`` per confirmed write, ``BUSY`` per write refused because the database was busy (a clean,
retryable refusal), ``ERROR …`` for anything else, and ``DONE reads writes`` at the end.
"""

from __future__ import annotations

import sys
import time
import traceback
from pathlib import Path

from inspector_app.paths import DataHome
from inspector_app.services.app import Services
from inspector_app.services.errors import DatabaseBusy
from tests.harness.kill_child import uscc_of
from tests.review_support import ZHANG

VALUES = ("符合", "不符合", "不适用")


def say(line: str) -> None:
    print(line, flush=True)


def main(role: str, home_arg: str, seconds: str, record_id: str = "") -> None:
    home = DataHome(Path(home_arg))
    services = Services(home)
    end = time.monotonic() + float(seconds)
    reads = writes = step = 0
    codes: list[str] = []
    if role == "answers":
        record = services.inspections.get(record_id)
        codes = [
            i.code for i in services.inspections.checklist_of(record).items if i.allowed_values() == VALUES
        ]
    while time.monotonic() < end:
        step += 1
        try:
            if role == "import":
                path = home.root / f"contention-{step % 3}.csv"
                rows = [f"{uscc_of(9000, i)},竞争测试店{i}-{step},小餐饮" for i in range(300)]
                path.write_text("统一社会信用代码,主体名称,主体类型\n" + "\n".join(rows), encoding="utf-8")
                services.registry.import_file(path)
                writes += 1
                say(f"OK {step}")
            elif role == "answers":
                code, value = codes[step % len(codes)], VALUES[step % 3]
                services.inspections.answer(ZHANG, record_id, code, value)
                writes += 1
                say(f"OK {code} {value}")
            else:
                if step % 20 == 0:  # opening while others write must work
                    services.close()
                    services = Services(home)
                services.registry.search("竞争", 20)
                for summary in services.inspections.list()[:5]:
                    services.inspections.get(summary.id)
                services.registry.count()
                reads += 1
        except DatabaseBusy:
            say("BUSY")
        except Exception as exc:  # every other failure is counted by the parent
            say(f"ERROR {type(exc).__name__}: {exc} {traceback.format_exc().splitlines()[-3:]}")
    services.close()
    say(f"DONE {reads} {writes}")


if __name__ == "__main__":
    main(*sys.argv[1:5])
