"""``forms/rules.yaml``: verdict thresholds per family and the 量化分级 cut-offs, as data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from inspector_app.core.checklist import Family
from inspector_app.core.verdicts import GradeRules, VerdictRules
from inspector_app.forms.parse import Checker

_GRADE_KEYS = {
    "excellent",
    "good",
    "fair",
    "max_key_failures",
    "new_licence_months",
    "after_incident_months",
    "best_grade_by_verdict",
}
_VERDICTS = ("符合", "基本符合", "不符合")
_GRADES = ("优秀", "良好", "一般", "不评级")


@dataclass(frozen=True)
class Rules:
    """Thresholds used by the verdict and grade functions of the core."""

    three_level: dict[Family, VerdictRules] = field(default_factory=dict)
    catering_grade: GradeRules = GradeRules()

    def verdict_rules(self, family: Family) -> VerdictRules:
        return self.three_level.get(family, VerdictRules())


def _int(ck: Checker, value: Any, path: str, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        ck.report(path, f"应为非负整数，实际为 {value!r}")
        return default
    return value


def parse_rules(ck: Checker, raw: Any) -> Rules:
    data = ck.mapping(raw, "", {"three_level", "catering_grade"})
    if data is None:
        return Rules()
    three: dict[Family, VerdictRules] = {}
    levels = ck.mapping(data.get("three_level") or {}, "three_level", {"food", "cosmetics"}) or {}
    for name, entry in levels.items():
        path = f"three_level.{name}"
        values = ck.mapping(entry, path, {"max_general_failures"})
        if values is not None and name in ("food", "cosmetics"):
            limit = _int(ck, values.get("max_general_failures"), f"{path}.max_general_failures", 8)
            three[Family(name)] = VerdictRules(max_general_failures=limit)
    grade = ck.mapping(data.get("catering_grade") or {}, "catering_grade", _GRADE_KEYS) or {}
    defaults = GradeRules()
    cutoffs = {}
    for key in ("excellent", "good", "fair"):
        value = grade.get(key, getattr(defaults, key))
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            ck.report(f"catering_grade.{key}", f"应为数字，实际为 {value!r}")
            value = getattr(defaults, key)
        cutoffs[key] = float(value)
    if not cutoffs["excellent"] >= cutoffs["good"] >= cutoffs["fair"]:
        ck.report("catering_grade", "分数线应满足 excellent ≥ good ≥ fair")
    counts = {
        key: _int(ck, grade.get(key), f"catering_grade.{key}", getattr(defaults, key))
        for key in ("max_key_failures", "new_licence_months", "after_incident_months")
    }
    caps = ck.mapping(
        grade.get("best_grade_by_verdict") or {}, "catering_grade.best_grade_by_verdict", set(_VERDICTS)
    )
    best: dict[str, str] = {}
    for verdict, value in (caps or {}).items():
        if value not in _GRADES:
            ck.report(
                f"catering_grade.best_grade_by_verdict.{verdict}",
                f"未知的等级 '{value}'（可用：{'、'.join(_GRADES)}）",
            )
        elif verdict in _VERDICTS:
            best[str(verdict)] = str(value)
    grade_rules = GradeRules(
        excellent=cutoffs["excellent"],
        good=cutoffs["good"],
        fair=cutoffs["fair"],
        max_key_failures=counts["max_key_failures"],
        new_licence_months=counts["new_licence_months"],
        after_incident_months=counts["after_incident_months"],
        best_grade_by_verdict=best,
    )
    return Rules(three_level=three, catering_grade=grade_rules)
