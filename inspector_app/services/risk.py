"""Risk grades of businesses: one business with its reasons (the business page), or the whole registry at once
(the draw's snapshot, the dashboard's distribution).

Grades are computed when asked, from the history as it stands (nothing is cached in the database, so a grade
can never be stale). Computing all 300,000 is cheap because most businesses have no history: their grade depends
only on the imported grade and whether the credit score is low, and is computed once per such combination.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from functools import cached_property

from inspector_app.core.clock import Clock, local_today
from inspector_app.core.errors import NotFound
from inspector_app.core.identifiers import normalize_code
from inspector_app.core.risk import RISK_GRADES, RiskAssessment, RiskFacts, RiskRules, assess, months_before
from inspector_app.forms.risk import RiskConfig, load_risk_config
from inspector_app.storage.history import HistoryRepository
from inspector_app.storage.store import Store

#: A registry row with its risk grade: (uscc, kind, area, grade). Plain tuples: a registry has 300,000 rows.
GradedBusiness = tuple[str, str, str, str]


class RiskService:
    """Computes risk grades by the rules of ``forms/risk.yaml``."""

    def __init__(self, store: Store, clock: Clock, config: RiskConfig | None = None) -> None:
        self._store = store
        self.clock = clock
        self._history = HistoryRepository(store.db)
        if config is not None:
            self.__dict__["config"] = config

    @cached_property
    def config(self) -> RiskConfig:
        return load_risk_config()

    @property
    def rules(self) -> RiskRules:
        return self.config.rules

    def _today(self, today: date | None) -> date:
        return today or local_today(self.clock)

    def assess(self, uscc: str, today: date | None = None) -> RiskAssessment:
        """The risk grade of one business with every reason (for the business page)."""
        code = normalize_code(uscc)
        rows = list(self._history.registry_rows(code))
        if not rows:
            raise NotFound(f"主体名录中没有统一社会信用代码为 {code} 的主体")
        day = self._today(today)
        since = months_before(day, self.rules.lookback_months)
        _, _, _, imported, credit = rows[0]
        facts = RiskFacts(
            registry_grade=imported,
            credit_score=credit,
            visits=tuple(self._history.visits(since, code).get(code, [])),
            overdue_orders=self._history.overdue_orders(day, code).get(code, 0),
            escalated_orders=tuple(self._history.escalations(code).get(code, [])),
            complaints=tuple(self._history.complaints(since, code).get(code, [])),
        )
        return assess(facts, self.rules, day)

    def graded_registry(self, today: date | None = None) -> list[GradedBusiness]:
        """Every business with its grade today, in table order, computed in bulk.

        Businesses with history are assessed one by one; for the rest the grade depends only on the imported
        grade and whether the credit score is low, so those ten combinations are assessed once.
        """
        day = self._today(today)
        rules = self.rules
        since = months_before(day, rules.lookback_months)
        visits = self._history.visits(since)
        overdue = self._history.overdue_orders(day)
        escalated = self._history.escalations()
        complaints = self._history.complaints(since)
        special = {}
        for uscc, _, _, imported, credit in self._history.registry_rows_of(
            set(visits) | set(overdue) | set(escalated) | set(complaints)
        ):
            facts = RiskFacts(
                imported, credit, tuple(visits.get(uscc, ())), overdue.get(uscc, 0),
                tuple(escalated.get(uscc, ())), tuple(complaints.get(uscc, ())),
            )  # fmt: skip
            special[uscc] = assess(facts, rules, day).grade
        below = rules.low_credit_below
        plain = {
            (imported, low): assess(RiskFacts(imported, below - 1 if low else None), rules, day).grade
            for imported in ("", *RISK_GRADES)
            for low in (False, True)
        }
        return [
            (uscc, kind, area, special.get(uscc) or plain[imported, credit is not None and credit < below])
            for uscc, kind, area, imported, credit in self._history.registry_rows()
        ]

    def distribution(self, area: str = "", today: date | None = None) -> dict[str, int]:
        """How many businesses (of one area, or all) hold each grade A–D."""
        counts = Counter(
            grade for _, _, where, grade in self.graded_registry(today) if not area or where == area
        )
        return {grade: counts.get(grade, 0) for grade in RISK_GRADES}
