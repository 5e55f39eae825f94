"""PDF records (现场检查记录) of finalized inspections: build the content, render, write files.

Drafts are refused (a draft is not a record yet). The record is verified before printing (its content
against its SHA-256, every photo and signature file against its hash, its status against its review
decisions — :class:`~inspector_app.services.verify.VerifyService`), so the hash on every page is the hash
of what is printed and no swapped photo is ever printed.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

from inspector_app.core.clock import Clock
from inspector_app.core.errors import LifecycleError
from inspector_app.core.followups import recheck_scope
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.records import Attachment, Inspection
from inspector_app.core.summaries import InspectionQuery
from inspector_app.forms.library import FormLibrary
from inspector_app.reports.content import build_report
from inspector_app.reports.model import ReportData
from inspector_app.services.followups import related_lines
from inspector_app.services.verify import VerifyService
from inspector_app.storage.store import Store

#: Statuses that have a printable record (everything after finalization).
PRINTABLE = (RecordStatus.FINALIZED, RecordStatus.SYNCED, RecordStatus.APPROVED, RecordStatus.RETURNED)

Progress = Callable[[int, int], None]


def record_report(
    record: Inspection, forms: FormLibrary, attachments: Mapping[str, Attachment] | None = None
) -> ReportData:
    """The printed content of a finalized record: the one place that picks its checklist version and rules
    (a 回头看 re-check: only the items it re-checked).

    The laptop and HQ both print through here, so HQ's PDF of a record has the laptop's bytes.
    """
    return build_report(
        record,
        recheck_scope(forms.get(record.form_id, record.form_version), record.attributes),
        attachments=attachments,
        grade_rules=forms.grade_rules,
        rule=forms.rules.rule_by_id(record.verdict_rule),
    )


class ReportService:
    """Turns finalized records into PDF bytes or files; never changes a record."""

    def __init__(self, store: Store, forms: FormLibrary, clock: Clock) -> None:
        self._store = store
        self.forms = forms
        self.clock = clock

    def _record(self, record_id: str) -> Inspection:
        record = self._store.inspections.load(record_id)
        if record.status not in PRINTABLE:
            raise LifecycleError(f"记录 {record_id} 还是草稿，不能生成 PDF；请先完成检查并定稿")
        VerifyService(self._store).require_intact(record, "生成 PDF")
        return record

    def data(self, record_id: str) -> ReportData:
        """The printed content of a finalized record (what :meth:`render` lays out)."""
        record = self._record(record_id)
        data = record_report(record, self.forms, self._store.attachments.get_many(sorted(record.attachments)))
        return replace(data, related=related_lines(self._store, record))

    def render(self, record_id: str) -> bytes:
        """PDF bytes of a finalized (or synced, approved, returned) record."""
        from inspector_app.reports.pdf import render_pdf  # reportlab is loaded only when printing

        return render_pdf(self.data(record_id), self._store.attachments.get_bytes)

    def write(self, record_id: str, path: str | os.PathLike[str]) -> Path:
        """Render to ``path`` atomically (a half-written PDF never appears under the final name)."""
        target = Path(path)
        _write_atomically(target, self.render(record_id))
        return target

    def default_path(self, record_id: str) -> Path:
        """Where the GUI puts a record's PDF: ``<home>/reports/<文书编号>.pdf``."""
        summary = self._store.inspections.summary(record_id)
        return self._store.home.reports_dir / file_name(summary.document_no, record_id)

    def export(self, record_id: str) -> Path:
        """Write the record's PDF to :meth:`default_path` (for "生成/打印 PDF") and return the path."""
        return self.write(record_id, self.default_path(record_id))

    def printable_ids(self) -> list[tuple[str, str]]:
        """(id, 文书编号) of every record that can be printed, oldest first."""
        found = []
        for status in PRINTABLE:
            found += self._store.inspections.list(InspectionQuery(status=status))
        found.sort(key=lambda s: (s.started_at, s.id))
        return [(s.id, s.document_no) for s in found]

    def write_all(self, out_dir: str | os.PathLike[str], progress: Progress | None = None) -> list[Path]:
        """One PDF per printable record in ``out_dir`` (named by 文书编号); ``progress(done, total)``."""
        folder = Path(out_dir)
        folder.mkdir(parents=True, exist_ok=True)
        records = self.printable_ids()
        written: list[Path] = []
        for done, (record_id, document_no) in enumerate(records, 1):
            written.append(self.write(record_id, folder / file_name(document_no, record_id)))
            if progress is not None:
                progress(done, len(records))
        return written


def file_name(document_no: str, record_id: str) -> str:
    """A safe file name: the 文书编号 (or the record id) with anything odd replaced by ``_``."""
    base = re.sub(r"[^\w.\-]+", "_", document_no).strip("._") if document_no else ""
    return f"{base or record_id}.pdf"


def _write_atomically(target: Path, data: bytes) -> None:
    """Temporary file in the same folder (normal permissions, unlike mkstemp's 0600), fsync, rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".partial-{uuid.uuid4().hex}.pdf")
    try:
        with open(temp, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
