"""What a record on a version-2 checklist prints: the verdict rule, ★ and ★☆, the 依据 of each failed item
(never a 参照 text, never a placeholder) and the on-the-spot fix."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

from builders import make_draft, make_party
from pypdf import PdfReader

from inspector_app.core.checklist import Result
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.records import Answer, content_hash
from inspector_app.core.verdicts import Handling
from inspector_app.forms.library import load_library
from inspector_app.reports.content import build_report
from inspector_app.reports.pdf import render_pdf

LIBRARY = load_library()
FINAL = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)


def finalized(form_id: str, failing: dict[str, str], **fields):
    checklist = LIBRARY.get(form_id)
    record = make_draft(
        form_id=form_id,
        form_version=checklist.version,
        business=make_party(kind=fields.pop("kind", "小餐饮")),
    )
    for item in checklist.items:
        value = failing.get(item.code, Result.COMPLIANT.value)
        if item.choices:
            value = failing.get(item.code, item.choices[-1].value)
        elif item.type.value in ("number", "date"):
            value = failing.get(item.code, "2027-01-01" if item.type.value == "date" else "1")
        record.answers[item.code] = Answer(
            item.code, value, item.judge(value), "现场发现" if item.code in failing else ""
        )
    for key, value in fields.items():
        setattr(record, key, value)
    record.status, record.finalized_at = RecordStatus.FINALIZED, FINAL
    record.content_hash = content_hash(record)
    return record, checklist


def text_of(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))


def no_images(sha: str) -> bytes:
    raise FileNotFoundError(sha)


def test_an_equipment_stop_fixed_on_the_spot_prints_the_rule_the_fix_and_the_basis():
    record, checklist = finalized(
        "equipment.elevator",
        {"DT08": "不符合"},
        kind="特种设备使用单位",
        verdict="立即停止使用",
        verdict_rule="equipment_hazard",
        handling=Handling.STOP_USE_FIXED.value,
        on_spot_fix="维保人员当场更换光幕，复测有效",
    )
    rule = LIBRARY.rules.rule_by_id(record.verdict_rule)
    data = build_report(record, checklist, rule=rule)
    assert (
        data.rule_text
        == "特种设备两级处置：存在严重事故隐患或重大违法行为的立即停止使用；其他问题下达监察指令限期改正"
    )
    assert data.on_spot_fix == "维保人员当场更换光幕，复测有效"
    [failed] = data.failed_items
    assert (
        failed.basis
        == "《特种设备安全监督检查办法》第二十五条；GB 45067-2024《特种设备重大事故隐患判定准则》"
    )
    text = text_of(render_pdf(data, no_images))
    for printed in (
        "判定规则特种设备两级处置",
        "当场整改情况维保人员当场更换光幕",
        "依据：《特种设备安全监督检查办法》第二十五条",
    ):
        assert printed in text
    assert "当场整改完毕，依法不予查封、扣押" in text
    assert "待核实" not in text and "5.6.2" not in text  # an unverified clause is not printed


def test_a_local_key_item_prints_as_a_local_proposal_and_its_reference_is_not_the_basis():
    record, checklist = finalized(
        "food.small_catering",
        {"SP01": "不符合", "SP05": "不符合"},
        verdict="基本符合",
        verdict_rule="food_pass_rate",
        handling="书面限期整改",
    )
    data = build_report(record, checklist, rule=LIBRARY.rules.rule_by_id("food_pass_rate"))
    rows = {r.code: r for r in data.rows}
    assert (rows["SP01"].mark, rows["SP04"].mark, rows["SP05"].mark) == ("★☆", "★", "")
    sp01 = next(f for f in data.failed_items if f.code == "SP01")
    assert sp01.local and sp01.basis == "《食品安全法》第三十五条、第三十六条；《湖北省食品安全条例》"
    text = text_of(render_pdf(data, no_images))
    assert "★☆为本地建议的重点项" in text and "重点项★☆" in text
    assert "合格率不低于70%" in text
    assert "浙江" not in text and "参照" not in text and "待核实" not in text
