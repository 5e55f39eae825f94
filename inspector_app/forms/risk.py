"""``forms/risk.yaml``: the risk-grade rules and the draw defaults, validated into core records.

Every problem names the file and key path (``risk.yaml: risk_grade.thresholds.C: …``), like the checklists;
nothing half-valid is used. ``inspector forms validate`` checks this file along with the checklists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inspector_app.core.draw_params import GRADES, MAX_WEIGHT, MIN_TEAM, DrawDefaults
from inspector_app.core.risk import RiskRules
from inspector_app.core.verdicts import Grade, Verdict
from inspector_app.forms.errors import FormError, FormProblem
from inspector_app.forms.parse import Checker
from inspector_app.forms.yamlio import read_yaml
from inspector_app.paths import FORMS_DIR

FILE_NAME = "risk.yaml"
_RISK_KEYS = {
    "lookback_months",
    "registry_grade_points",
    "low_credit",
    "last_verdict_points",
    "repeat_failure",
    "overdue_order",
    "escalated_order",
    "catering_grade_points",
    "complaint_points",
    "complaint_cap",
    "thresholds",
}
_DRAW_KEYS = {"weights", "team_size", "exclude_last_inspectors", "max_per_inspector"}


@dataclass(frozen=True)
class RiskConfig:
    """The parsed file: grading rules and draw defaults."""

    rules: RiskRules = field(default_factory=RiskRules)
    draw: DrawDefaults = field(default_factory=DrawDefaults)


def _int(
    ck: Checker, value: Any, path: str, default: int, low: int | None = None, high: int | None = None
) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        ck.report(path, f"应为整数，实际为 {value!r}")
        return default
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"{low}–{high}" if high is not None else f"不小于 {low}"
        ck.report(path, f"应为 {bounds} 的整数，实际为 {value}")
        return default
    return value


def _points(ck: Checker, raw: Any, path: str, keys: set[str], default: dict[str, int]) -> dict[str, int]:
    """A mapping of known keys to integer points (negative allowed); missing keys keep their default."""
    if raw is None:
        return dict(default)
    data = ck.mapping(raw, path, keys)
    if data is None:
        return dict(default)
    out = dict(default)
    for key, value in data.items():
        if key in keys:
            out[str(key)] = _int(ck, value, f"{path}.{key}", default.get(str(key), 0))
    return out


def _counted(ck: Checker, raw: Any, path: str, points: int, cap: int) -> tuple[int, int]:
    if raw is None:
        return points, cap
    data = ck.mapping(raw, path, {"points", "cap"}) or {}
    return _int(ck, data.get("points"), f"{path}.points", points), _int(
        ck, data.get("cap"), f"{path}.cap", cap, low=0
    )


def _rules(ck: Checker, raw: Any) -> RiskRules:
    base = RiskRules()
    data = ck.mapping(raw, "risk_grade", _RISK_KEYS) if raw is not None else {}
    data = data or {}
    p = "risk_grade"
    registry = _points(
        ck, data.get("registry_grade_points"), f"{p}.registry_grade_points", {*GRADES, "unknown"},
        {("unknown" if k == "" else k): v for k, v in base.registry_grade_points.items()},
    )  # fmt: skip
    credit = ck.mapping(data.get("low_credit") or {}, f"{p}.low_credit", {"below", "points"}) or {}
    thresholds = _points(
        ck, data.get("thresholds"), f"{p}.thresholds", {"B", "C", "D"}, dict(base.thresholds)
    )
    if not thresholds["B"] <= thresholds["C"] <= thresholds["D"]:
        ck.report(f"{p}.thresholds", "门槛应满足 B ≤ C ≤ D")
    repeat = _counted(ck, data.get("repeat_failure"), f"{p}.repeat_failure", 8, 3)
    overdue = _counted(ck, data.get("overdue_order"), f"{p}.overdue_order", 12, 3)
    escalated = _counted(ck, data.get("escalated_order"), f"{p}.escalated_order", 15, 2)
    return RiskRules(
        lookback_months=_int(ck, data.get("lookback_months"), f"{p}.lookback_months", 24, low=1, high=120),
        registry_grade_points={("" if k == "unknown" else k): v for k, v in registry.items()},
        low_credit_below=_int(ck, credit.get("below"), f"{p}.low_credit.below", 60, low=0, high=1000),
        low_credit_points=_int(ck, credit.get("points"), f"{p}.low_credit.points", 10),
        last_verdict_points=_points(
            ck,
            data.get("last_verdict_points"),
            f"{p}.last_verdict_points",
            {v.value for v in Verdict},
            dict(base.last_verdict_points),
        ),  # fmt: skip
        repeat_failure_points=repeat[0],
        repeat_failure_cap=repeat[1],
        overdue_order_points=overdue[0],
        overdue_order_cap=overdue[1],
        escalated_order_points=escalated[0],
        escalated_order_cap=escalated[1],
        catering_grade_points=_points(
            ck,
            data.get("catering_grade_points"),
            f"{p}.catering_grade_points",
            {g.value for g in Grade},
            dict(base.catering_grade_points),
        ),  # fmt: skip
        complaint_points=_points(
            ck,
            data.get("complaint_points"),
            f"{p}.complaint_points",
            {"substantiated", "pending", "unfounded"},
            dict(base.complaint_points),
        ),  # fmt: skip
        complaint_cap=_int(ck, data.get("complaint_cap"), f"{p}.complaint_cap", 3, low=0),
        thresholds=thresholds,
    )


def _draw(ck: Checker, raw: Any) -> DrawDefaults:
    data = (ck.mapping(raw, "draw", _DRAW_KEYS) if raw is not None else {}) or {}
    weights = DrawDefaults().weights
    if data.get("weights") is not None:
        given = ck.mapping(data["weights"], "draw.weights", set(GRADES)) or {}
        missing = [g for g in GRADES if g not in given]
        if missing:
            ck.report("draw.weights", f"缺少等级 {'、'.join(missing)} 的权重（A、B、C、D 各需一个正整数）")
        weights = {
            g: _int(ck, given.get(g), f"draw.weights.{g}", weights[g], low=1, high=MAX_WEIGHT) for g in GRADES
        }
    return DrawDefaults(
        weights=weights,
        team_size=_int(ck, data.get("team_size"), "draw.team_size", MIN_TEAM, low=MIN_TEAM, high=10),
        exclude_last_inspectors=ck.flag(data, "exclude_last_inspectors", "draw", True),
        max_per_inspector=_int(ck, data.get("max_per_inspector"), "draw.max_per_inspector", 0, low=0),
    )


def check_risk_file(path: Path, display: str = FILE_NAME) -> tuple[RiskConfig, list[FormProblem]]:
    """Parse ``path``; the config (defaults where broken) and every problem found."""
    if not path.exists():
        return RiskConfig(), []
    data, problems = read_yaml(path, display)
    if problems:
        return RiskConfig(), problems
    ck = Checker(display)
    top = ck.mapping(data if data is not None else {}, "", {"risk_grade", "draw"}) or {}
    config = RiskConfig(_rules(ck, top.get("risk_grade")), _draw(ck, top.get("draw")))
    return config, ck.problems


def load_risk_config(root: Path = FORMS_DIR) -> RiskConfig:
    """The shipped (or given) ``risk.yaml``; raise :class:`FormError` listing every problem."""
    config, problems = check_risk_file(root / FILE_NAME)
    if problems:
        raise FormError(problems)
    return config
