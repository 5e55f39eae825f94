"""forms/risk.yaml: the shipped file loads; broken values are reported with file and key path."""

from __future__ import annotations

import pytest

from inspector_app.core.draw_params import DrawDefaults
from inspector_app.core.risk import RiskRules
from inspector_app.forms.errors import FormError
from inspector_app.forms.library import scan
from inspector_app.forms.risk import FILE_NAME, check_risk_file, load_risk_config
from inspector_app.paths import FORMS_DIR


def test_the_shipped_file_matches_the_documented_defaults():
    config = load_risk_config()
    assert config.rules == RiskRules()
    assert config.draw == DrawDefaults()


def test_a_missing_file_means_the_defaults(tmp_path):
    assert load_risk_config(tmp_path).rules == RiskRules()


@pytest.mark.parametrize(
    "text, where",
    [
        ("risk_grade: {thresholds: {B: 30, C: 20, D: 40}}", "risk_grade.thresholds: 门槛应满足"),
        ("risk_grade: {last_verdict_points: {合格: 3}}", "risk_grade.last_verdict_points.合格: 未知的键"),
        ("risk_grade: {overdue_order: {points: 十}}", "risk_grade.overdue_order.points: 应为整数"),
        ("draw: {weights: {A: 1, B: 2, C: 4}}", "draw.weights: 缺少等级 D"),
        ("draw: {weights: {A: 0, B: 2, C: 4, D: 8}}", "draw.weights.A: 应为 1–100"),
        ("draw: {team_size: 1}", "draw.team_size: 应为 2–10"),
        ("draw: {exclude_last_inspectors: 是}", "draw.exclude_last_inspectors: 应为 true 或 false"),
        ("plan: {}", ": plan: 未知的键"),
    ],
)
def test_broken_values_name_the_key_path(tmp_path, text, where):
    path = tmp_path / FILE_NAME
    path.write_text(text, encoding="utf-8")
    _, problems = check_risk_file(path)
    assert any(where in str(p) for p in problems), [str(p) for p in problems]
    with pytest.raises(FormError):
        load_risk_config(tmp_path)


def test_forms_validate_reports_a_broken_risk_file(tmp_path):
    for part in ("parts", "food"):
        (tmp_path / part).mkdir()
    (tmp_path / FILE_NAME).write_text("draw: {team_size: 1}", encoding="utf-8")
    _, problems = scan(tmp_path)
    assert [str(p) for p in problems] == ["risk.yaml: draw.team_size: 应为 2–10 的整数，实际为 1"]
    assert scan(FORMS_DIR)[1] == []
