"""``forms/rules.yaml``: verdict rules (one named by each checklist) and the 量化分级 rules, as data with sources.

A verdict rule's id is stored on every record it judges, so a rule is never changed in place: a new
threshold is a new id. Version-1 checklists name no rule and are judged by the version-1 rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from inspector_app.core.catering_annual import AnnualGradeRules
from inspector_app.core.checklist import Checklist, Family
from inspector_app.core.verdicts import (
    EQUIPMENT_HAZARD,
    LEGACY_THREE_LEVEL,
    GradeRules,
    RuleKind,
    VerdictRule,
)
from inspector_app.forms.parse import Checker

_RULE_KEYS = {"kind", "name", "source", "status", "max_general_failures", "max_key_failures", "min_pass_rate"}
_GRADE_KEYS = {
    "excellent",
    "good",
    "fair",
    "max_key_failures",
    "new_licence_months",
    "after_incident_months",
    "best_grade_by_verdict",
    "key_weight",
    "general_weight",
    "source",
}
_ANNUAL_KEYS = {"window_months", "a", "b", "c", "source"}
_VERDICTS = ("符合", "基本符合", "不符合")
_GRADES = ("优秀", "良好", "一般", "不评级")
_STATUSES = ("已核实", "待核实", "本项目约定")


@dataclass(frozen=True)
class Rules:
    """Verdict rules by id, the version-1 (legacy) rule, and the 量化分级 rules."""

    verdict_rules: dict[str, VerdictRule] = field(default_factory=dict)
    legacy: VerdictRule = LEGACY_THREE_LEVEL
    catering_grade: GradeRules = GradeRules()
    catering_annual: AnnualGradeRules = AnnualGradeRules()

    def rule_for(self, checklist: Checklist) -> VerdictRule:
        """The checklist's own rule; version-1 checklists (no ``verdict_rule``) get the rule they had."""
        if checklist.verdict_rule:
            return self.verdict_rules[checklist.verdict_rule]
        return EQUIPMENT_HAZARD if checklist.family is Family.EQUIPMENT else self.legacy

    def rule_by_id(self, rule_id: str) -> VerdictRule | None:
        """A rule by the id stored on a record (``None`` for records judged before rules had ids)."""
        if rule_id == self.legacy.id:
            return self.legacy
        return self.verdict_rules.get(rule_id)


def _int(ck: Checker, value: Any, path: str, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        ck.report(path, f"应为非负整数，实际为 {value!r}")
        return default
    return value


def _number(ck: Checker, value: Any, path: str, default: float) -> float:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        ck.report(path, f"应为数字，实际为 {value!r}")
        return default
    return float(value)


def _verdict_rule(ck: Checker, rule_id: str, raw: Any) -> VerdictRule | None:
    path = f"verdict_rules.{rule_id}"
    data = ck.mapping(raw, path, _RULE_KEYS)
    if data is None:
        return None
    try:
        kind = RuleKind(str(data.get("kind")))
    except ValueError:
        ck.report(
            f"{path}.kind",
            f"未知的规则类别 {data.get('kind')!r}（可用：{', '.join(k.value for k in RuleKind)}）",
        )
        return None
    status = ck.text(data, "status", path, required=True)
    if status and status not in _STATUSES:
        ck.report(f"{path}.status", f"应为 {'、'.join(_STATUSES)} 之一，实际为 '{status}'")
    rate = _number(ck, data.get("min_pass_rate"), f"{path}.min_pass_rate", 0.7)
    if not 0 <= rate <= 1:
        ck.report(f"{path}.min_pass_rate", f"合格率应在 0 到 1 之间，实际为 {rate}")
    return VerdictRule(
        id=rule_id,
        kind=kind,
        name=ck.text(data, "name", path, required=True),
        source=ck.text(data, "source", path, required=True),
        status=status,
        max_general_failures=_int(ck, data.get("max_general_failures"), f"{path}.max_general_failures", 8),
        max_key_failures=_int(ck, data.get("max_key_failures"), f"{path}.max_key_failures", 0),
        min_pass_rate=rate,
    )


def _grade_rules(ck: Checker, raw: Any) -> GradeRules:
    grade = ck.mapping(raw or {}, "catering_grade", _GRADE_KEYS) or {}
    defaults = GradeRules()
    numbers = {
        key: _number(ck, grade.get(key), f"catering_grade.{key}", getattr(defaults, key))
        for key in ("excellent", "good", "fair", "key_weight", "general_weight")
    }
    if not numbers["excellent"] >= numbers["good"] >= numbers["fair"]:
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
    return GradeRules(
        excellent=numbers["excellent"],
        good=numbers["good"],
        fair=numbers["fair"],
        key_weight=numbers["key_weight"],
        general_weight=numbers["general_weight"],
        max_key_failures=counts["max_key_failures"],
        new_licence_months=counts["new_licence_months"],
        after_incident_months=counts["after_incident_months"],
        best_grade_by_verdict=best,
        source=ck.text(grade, "source", "catering_grade", required=False),
    )


def _annual_rules(ck: Checker, raw: Any) -> AnnualGradeRules:
    data = ck.mapping(raw or {}, "catering_annual_grade", _ANNUAL_KEYS) or {}
    defaults = AnnualGradeRules()
    cutoffs = {
        key: _number(ck, data.get(key), f"catering_annual_grade.{key}", getattr(defaults, key))
        for key in ("a", "b", "c")
    }
    if not cutoffs["a"] >= cutoffs["b"] >= cutoffs["c"]:
        ck.report("catering_annual_grade", "分数线应满足 a ≥ b ≥ c")
    window = _int(ck, data.get("window_months"), "catering_annual_grade.window_months", 12)
    return AnnualGradeRules(
        window_months=window or 12,
        **cutoffs,
        source=ck.text(data, "source", "catering_annual_grade", required=False),
    )


def parse_rules(ck: Checker, raw: Any) -> Rules:
    data = ck.mapping(
        raw, "", {"verdict_rules", "legacy_verdict_rule", "catering_grade", "catering_annual_grade"}
    )
    if data is None:
        return Rules()
    rules: dict[str, VerdictRule] = {}
    entries = data.get("verdict_rules") or {}
    if not isinstance(entries, dict):
        ck.report("verdict_rules", "应为以规则编号为键的映射")
        entries = {}
    for rule_id, entry in entries.items():
        rule = _verdict_rule(ck, str(rule_id), entry)
        if rule is not None:
            rules[rule.id] = rule
    legacy = LEGACY_THREE_LEVEL
    if data.get("legacy_verdict_rule") is not None:
        parsed = _verdict_rule(ck, LEGACY_THREE_LEVEL.id, data.get("legacy_verdict_rule"))
        legacy = parsed or legacy
    if legacy.id in rules:
        ck.report(f"verdict_rules.{legacy.id}", "该编号保留给第1版检查表的判定规则（legacy_verdict_rule）")
    return Rules(
        verdict_rules=rules,
        legacy=legacy,
        catering_grade=_grade_rules(ck, data.get("catering_grade")),
        catering_annual=_annual_rules(ck, data.get("catering_annual_grade")),
    )
