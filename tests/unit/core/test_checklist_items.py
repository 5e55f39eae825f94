"""Answer types: which values are valid and how each is judged."""

from __future__ import annotations

import pytest

from inspector_app.core.checklist import (
    AnswerType,
    Checklist,
    Choice,
    Condition,
    Family,
    Item,
    Result,
    Section,
)


def item(**kw):
    return Item(code="T1", text="t", basis="b", **kw)


@pytest.mark.parametrize(
    ("kw", "value", "expected"),
    [
        ({}, "符合", Result.COMPLIANT),
        ({}, "不符合", Result.NONCOMPLIANT),
        ({}, "不适用", Result.NOT_APPLICABLE),
        ({"type": AnswerType.YESNO}, "是", Result.COMPLIANT),
        ({"type": AnswerType.YESNO}, "否", Result.NONCOMPLIANT),
        ({"type": AnswerType.NUMBER, "max": 15}, "16", Result.NONCOMPLIANT),
        ({"type": AnswerType.NUMBER, "max": 15}, "15", Result.COMPLIANT),
        ({"type": AnswerType.NUMBER, "min": 1}, "0.5", Result.NONCOMPLIANT),
        (
            {"type": AnswerType.CHOICE, "choices": (Choice("有"), Choice("无", True))},
            "无",
            Result.NONCOMPLIANT,
        ),
        ({"type": AnswerType.TEXT}, "随便写", None),
        ({}, None, None),
    ],
)
def test_judge(kw, value, expected):
    assert item(**kw).judge(value) == expected


@pytest.mark.parametrize(
    ("kw", "value", "ok"),
    [
        ({}, "也许", False),
        ({"type": AnswerType.NUMBER}, "abc", False),
        ({"type": AnswerType.NUMBER}, "3.5", True),
        ({"type": AnswerType.DATE}, "2026-13-01", False),
        ({"type": AnswerType.DATE}, "2026-12-01", True),
        ({"type": AnswerType.YESNO, "allow_na": False}, "不适用", False),
    ],
)
def test_check_value(kw, value, ok):
    assert (item(**kw).check_value(value) is None) is ok


def test_conditions_on_answers_and_attributes_hide_and_show_items():
    a = Item(code="A1", text="冷食?", basis="b", type=AnswerType.YESNO)
    b = Item(code="A2", text="专间", basis="b", show_if=(Condition(("是",), item="A1"),))
    c = Item(code="A3", text="美容", basis="b", show_if=(Condition(("美容美发",), attribute="kind"),))
    checklist = Checklist("x", 1, "t", Family.FOOD, (Section("s", (a, b, c)),))
    assert [i.code for i in checklist.visible_items({}, {})] == ["A1"]
    assert [i.code for i in checklist.visible_items({"A1": "是"}, {"kind": "美容美发"})] == ["A1", "A2", "A3"]
