"""Registry use cases: look up, search, write and import 市场主体 (businesses) and their equipment.

USCCs are normalised (trim, full-width → half-width, upper-case) and validated before anything is written;
pinyin initials are computed here once per write, never per search keystroke.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspector_app.core.clock import Clock, utc_iso
from inspector_app.core.errors import NotFound, ValidationError
from inspector_app.core.identifiers import equipment_code_problem, normalize_code, uscc_problem
from inspector_app.core.registry import Business, Equipment
from inspector_app.services.support.importer import open_registry_file
from inspector_app.services.support.initials import initials
from inspector_app.services.support.registry_validation import check_business
from inspector_app.storage.db import DatabaseBusy, StorageError
from inspector_app.storage.store import Store

if TYPE_CHECKING:
    from inspector_app.storage.businesses import BusinessRepository

Progress = Callable[[int, int], None]
_PROGRESS_EVERY = 2000


@dataclass
class ImportReport:
    """Outcome of one file import (rows are numbered as Excel shows them, the header being row 1)."""

    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)  # {"row", "reason"}
    duplicates: list[dict[str, Any]] = field(default_factory=list)  # {"row", "uscc"}

    def to_dict(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "duplicates": self.duplicates,
        }


class RegistryService:
    """The registry of businesses for one data home."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self.clock = clock

    @property
    def _repo(self) -> BusinessRepository:
        return self._store.businesses

    # -- reads -------------------------------------------------------------------------------------------

    def get(self, uscc: str) -> Business:
        """The business with this USCC (normalised first); :class:`NotFound` if unknown."""
        code = normalize_code(uscc)
        business = self._repo.get(code)
        if business is None:
            problem = uscc_problem(code)
            hint = f"（该代码本身有误：{problem}）" if problem else ""
            raise NotFound(
                f"登记库中没有统一社会信用代码为 {code} 的市场主体{hint}。请核对代码，或先导入主体名录。"
            )
        return business

    def find(self, uscc: str) -> Business | None:
        return self._repo.get(normalize_code(uscc))

    def get_many(self, usccs: builtins.list[str]) -> builtins.list[Business]:
        return self._repo.get_many([normalize_code(u) for u in usccs])

    def search(self, query: str, limit: int = 50) -> builtins.list[Business]:
        """Best matches by name substring, USCC prefix or pinyin initials (exact > prefix > substring)."""
        return self._repo.search(query, limit)

    def search_ids(self, query: str, limit: int = 50) -> builtins.list[str]:
        """USCCs of the best matches, best first (for id-only list models)."""
        return self._repo.search_usccs(query, limit)

    def count(self) -> int:
        return self._repo.count()

    def list(self, limit: int = 100, offset: int = 0) -> builtins.list[Business]:
        return self._repo.list(limit, offset)

    def equipment_of(self, uscc: str) -> builtins.list[Equipment]:
        return self._repo.equipment_of(normalize_code(uscc))

    # -- writes ------------------------------------------------------------------------------------------

    def validated(self, business: Business) -> Business:
        """A normalised copy of ``business``; :class:`ValidationError` naming every problem otherwise."""
        parsed = check_business(business)
        if parsed.business is None:
            raise ValidationError(f"市场主体「{business.name}」信息有误：{parsed.reason}。请改正后再保存。")
        return replace(parsed.business, id=business.id, attributes=dict(business.attributes))

    def upsert(self, business: Business) -> str:
        """Insert or update one business by USCC; returns ``imported``, ``updated`` or ``unchanged``."""
        clean = self.validated(business)
        outcome = self._repo.upsert(clean, initials(clean.name), utc_iso(self.clock.now()))
        return str(outcome)

    def upsert_many(self, businesses: builtins.list[Business]) -> builtins.list[str]:
        """Validate then write many businesses in one transaction (all or nothing)."""
        rows = [(clean, initials(clean.name)) for clean in map(self.validated, businesses)]
        return [str(o) for o in self._repo.upsert_many(rows, utc_iso(self.clock.now()))]

    def upsert_equipment(self, items: builtins.list[Equipment]) -> int:
        """Write equipment of registered units (codes checked; the owner must exist)."""
        clean: builtins.list[Equipment] = []
        for item in items:
            code = normalize_code(item.code)
            if problem := equipment_code_problem(code):
                raise ValidationError(f"设备代码「{item.code}」不正确：{problem}")
            owner = self.get(item.owner_uscc).uscc
            clean.append(replace(item, code=code, owner_uscc=owner))
        return self._repo.upsert_equipment(clean)

    # -- import ------------------------------------------------------------------------------------------

    def import_file(self, path: str | Path, progress: Progress | None = None) -> ImportReport:
        """Import a CSV/XLSX registry in one transaction (see :mod:`inspector_app.services.support.importer`).

        Invalid rows are reported and skipped; a USCC repeated in the file is imported once (first row) and
        reported; existing businesses are updated by USCC (only the columns the file has).
        """
        report = ImportReport()
        name = Path(path).name
        with self._store.writing(f"名录导入 {name}"), open_registry_file(path) as source:
            rows = self._accepted_rows(source.rows(), source.total_rows, report, progress)
            try:
                outcomes = self._repo.upsert_many(rows, utc_iso(self.clock.now()), fields=source.fields)
            except DatabaseBusy as exc:
                raise DatabaseBusy(f"{name} 未导入（整个文件未写入任何一行）：{exc}", exc.writers) from exc
            except StorageError as exc:
                raise type(exc)(f"{name} 未导入（整个文件未写入任何一行）：{exc}") from exc
        for outcome in outcomes:
            setattr(report, str(outcome), getattr(report, str(outcome)) + 1)
        return report

    def _accepted_rows(
        self, rows: Iterator[Any], total: int, report: ImportReport, progress: Progress | None
    ) -> Iterator[tuple[Business, str]]:
        seen: set[str] = set()
        done = 0
        for row in rows:
            done += 1
            if progress and done % _PROGRESS_EVERY == 0:
                progress(done, max(total, done))
            if row.business is None:
                report.rejected.append({"row": row.number, "reason": row.reason})
            elif row.uscc in seen:
                report.duplicates.append({"row": row.number, "uscc": row.uscc})
            else:
                seen.add(row.uscc)
                yield row.business, initials(row.business.name)
        if progress:
            progress(done, done)
