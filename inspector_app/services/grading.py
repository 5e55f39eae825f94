"""餐饮服务食品安全量化分级 over time: the annual grade (年度等级 A/B/C) of a catering business.

Each finalized visit on a graded checklist stored its dynamic score; the annual grade combines the visits of
the past 12 months by the rule in ``forms/rules.yaml`` (see :mod:`inspector_app.core.catering_annual`).
Corrected records count once, by their latest version.
"""

from __future__ import annotations

from datetime import date

from inspector_app.core.catering_annual import CateringAnnualGrade, GradedVisit, catering_annual_grade
from inspector_app.core.clock import CHINA_TZ, Clock, local_today
from inspector_app.core.errors import NotFound
from inspector_app.core.identifiers import normalize_code
from inspector_app.core.summaries import InspectionQuery, InspectionSummary
from inspector_app.forms.library import FormLibrary
from inspector_app.storage.store import Store


class GradingService:
    """量化分级 results computed from the stored visit history."""

    def __init__(self, store: Store, forms: FormLibrary, clock: Clock) -> None:
        self._store = store
        self.forms = forms
        self.clock = clock

    def _graded(self, summary: InspectionSummary) -> bool:
        try:
            return self.forms.get(summary.form_id, summary.form_version).grading == "catering"
        except NotFound:
            return False

    def graded_visits(self, uscc: str) -> list[GradedVisit]:
        """The business's finalized visits on graded checklists (latest version of each record)."""
        summaries = self._store.inspections.list(InspectionQuery(uscc=normalize_code(uscc)))
        superseded = {s.previous_id for s in summaries if s.previous_id}
        visits = []
        for summary in summaries:
            if (
                summary.status.editable or summary.id in superseded or not self._graded(summary)
            ):  # a draft is no visit
                continue
            record = self._store.inspections.load(summary.id)
            when = record.finalized_at or record.started_at
            visits.append(
                GradedVisit(when.astimezone(CHINA_TZ).date(), record.score, record.grade, record.document_no)
            )
        return sorted(visits, key=lambda v: v.day)

    def catering_annual_grade(self, uscc: str, today: date | None = None) -> CateringAnnualGrade:
        """The annual grade of ``uscc`` on ``today`` (default: the clock's local date)."""
        day = today or local_today(self.clock)
        return catering_annual_grade(self.graded_visits(uscc), self.forms.annual_grade_rules, today=day)
