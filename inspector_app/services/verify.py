"""Verification of a data home (``inspector verify``) and the refusal of records that fail it.

:meth:`VerifyService.verify` runs the home checks (database integrity, every attachment file) and every
record check on every finalized record (content against its hash, its photos and signatures, its status
against its review decisions) — see :mod:`inspector_app.services.support.integrity_checks` for the checks
and how to add one. :meth:`VerifyService.require_intact` runs the record checks on one record and raises
:class:`RecordNotIntact` naming each problem: approving, returning, printing and publishing call it first,
so nothing that fails verification leaves the laptop or gets a supervisor's decision.
"""

from __future__ import annotations

from collections.abc import Callable

from inspector_app.core.errors import InspectorError
from inspector_app.core.integrity import Problem, VerifyReport
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.records import Inspection
from inspector_app.core.summaries import InspectionQuery
from inspector_app.services.support import integrity_checks as checks
from inspector_app.storage.store import Store

Progress = Callable[[int, int], None]


class RecordNotIntact(InspectorError):
    """A finalized record failed verification; ``problems`` says how. The message is Chinese."""

    def __init__(self, record: Inspection, action: str, problems: list[Problem]) -> None:
        listed = "；".join(p.message for p in problems)
        super().__init__(
            f"{checks.subject_of(record)} 未通过校验，不能{action}：{listed}。"
            "请运行 inspector verify 查看详情，并从备份恢复该记录。"
        )
        self.record_id = record.id
        self.problems = problems


class VerifyService:
    """Checks what the laptop holds; never changes anything."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def verify(self, progress: Progress | None = None) -> VerifyReport:
        """Every home check, then every record check on every finalized record (``progress(done, total)``)."""
        ctx = checks.CheckContext(self._store)
        report = VerifyReport()
        for name, home_check in checks.HOME_CHECKS:
            try:
                report.problems.extend(home_check(ctx))
            except InspectorError as exc:
                report.problems.append(Problem(name, "数据目录", f"无法检查：{exc}"))
        ids = self._finalized_ids()
        for done, record_id in enumerate(ids, 1):
            report.problems.extend(self._check_record(record_id, ctx))
            if progress is not None:
                progress(done, len(ids))
        report.records_checked = len(ids)
        report.attachments_checked = ctx.files_checked
        return report

    def problems_of(self, record: Inspection) -> list[Problem]:
        """The record checks' findings on one record (empty when it is intact or still a draft)."""
        if record.status is RecordStatus.DRAFT:
            return []
        return checks.run_record_checks(record, checks.CheckContext(self._store))

    def require_intact(self, record: Inspection, action: str) -> None:
        """Raise :class:`RecordNotIntact` if ``record`` fails any record check; ``action`` is e.g. "审核"."""
        problems = self.problems_of(record)
        if problems:
            raise RecordNotIntact(record, action, problems)

    def _check_record(self, record_id: str, ctx: checks.CheckContext) -> list[Problem]:
        try:
            record = self._store.inspections.load(record_id)
        except (InspectorError, ValueError, KeyError, TypeError) as exc:  # rows too damaged to read
            return [Problem("content", f"记录 {record_id}", f"无法读取：{exc}", record_id)]
        return checks.run_record_checks(record, ctx)

    def _finalized_ids(self) -> list[str]:
        summaries = self._store.inspections.list(InspectionQuery())
        done = [s for s in summaries if s.status is not RecordStatus.DRAFT]
        done.sort(key=lambda s: (s.finalized_at or s.started_at, s.id))
        return [s.id for s in done]
