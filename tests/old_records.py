"""Records finalized on the version-1 checklists (before the legal-fidelity revision), built deterministically.

The golden files in ``tests/data/old_records/`` hold what these records printed when version 1 was current;
``tests/unit/reports/test_old_versions.py`` checks they still verify and print the same.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from inspector_app.core.checklist import Result
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.records import (
    Answer,
    FiveImplementations,
    Inspection,
    InspectionType,
    Inspector,
    PartySnapshot,
    RectificationOrder,
    Signature,
    SignerRole,
    content_hash,
)

STARTED = datetime(2026, 11, 20, 1, 30, tzinfo=UTC)
FINALIZED = datetime(2026, 11, 20, 2, 40, tzinfo=UTC)
INSPECTORS = [Inspector("李明", "42080001", "u-li"), Inspector("张华", "42080002", "u-zhang")]
SIG_A, SIG_B, SIG_P = "a1" * 32, "b2" * 32, "c3" * 32


def _answers(values: dict[str, str], notes: dict[str, str]) -> dict[str, Answer]:
    return {
        code: Answer(code, value, _judged(value), notes.get(code, ""), answered_at=STARTED)
        for code, value in values.items()
    }


def _signatures() -> list[Signature]:
    return [
        Signature(SignerRole.INSPECTOR, "李明", SIG_A, signed_at=FINALIZED),
        Signature(SignerRole.INSPECTOR, "张华", SIG_B, signed_at=FINALIZED),
        Signature(SignerRole.PARTY, "王红山", SIG_P, signed_at=FINALIZED),
    ]


CATERING_V1_CODES = [f"SP{n:02d}" for n in range(1, 17)] + [f"CY{n:02d}" for n in range(1, 16) if n != 9]


def catering_v1() -> Inspection:
    """小餐饮, checklist version 1: one key failure (CY05) and two general failures → 不符合, 限期整改."""
    values = dict.fromkeys(CATERING_V1_CODES, Result.COMPLIANT.value)
    values.update(CY09="是", CY05="不符合", SP11="不符合", CY13="不符合", CY14="不适用")
    notes = {"CY05": "冷藏柜温度12℃，未正常运转", "SP11": "后门无纱帘", "CY13": "添加剂无领用登记"}
    record = Inspection(
        id="6f1c3d2e-0000-4000-8000-000000000001",
        business=PartySnapshot(
            "92420802MA4F00002X",
            "荆门市东宝区红山小吃店",
            "小餐饮",
            "湖北省荆门市东宝区象山大道1号",
            "王红山",
            "13800000000",
            "JY24208020000001",
            "东宝区",
        ),  # fmt: skip
        form_id="food.small_catering",
        form_version=1,
        inspection_type=InspectionType.ROUTINE,
        inspectors=list(INSPECTORS),
        started_at=STARTED,
        place="湖北省荆门市东宝区象山大道1号",
        status=RecordStatus.FINALIZED,
        answers=_answers(values, notes),
        orders=[RectificationOrder("o-1", "CY05", "维修冷藏柜，温度控制在0–8℃", date(2026, 11, 27))],
        signatures=_signatures(),
        attributes={"kind": "小餐饮", "area": "东宝区", "risk_grade": "B", "licensed_on": "2024-03-01"},
        verdict="不符合",
        handling="限期整改",
        grade="一般",
        score=9.2,
        document_no="JM-DEV1-2026-000101",
        created_by="u-li",
        device_id="DEV1",
        finalized_at=FINALIZED,
    )
    record.content_hash = content_hash(record)
    return record


ELEVATOR_V1_CODES = [f"SB{n:02d}" for n in range(1, 17)] + [f"DT{n:02d}" for n in range(1, 7)]


def elevator_v1() -> Inspection:
    """电梯, checklist version 1: the registration item (key in version 1) fails → 立即停止使用."""
    values = dict.fromkeys(ELEVATOR_V1_CODES, Result.COMPLIANT.value)
    values.update(SB02="不符合", SB12="不符合", DT05="不适用", DT07="2027-06-30")
    notes = {"SB02": "1号梯未办理使用登记", "SB12": "缺10月周排查报告"}
    record = Inspection(
        id="6f1c3d2e-0000-4000-8000-000000000002",
        business=PartySnapshot(
            "91420800MA4F00001K",
            "荆门市象山物业服务有限公司",
            "特种设备使用单位",
            "湖北省荆门市东宝区象山大道8号",
            "刘建国",
            "13900000000",
            "",
            "东宝区",
        ),  # fmt: skip
        form_id="equipment.elevator",
        form_version=1,
        inspection_type=InspectionType.RANDOM,
        inspectors=list(INSPECTORS),
        started_at=STARTED,
        place="象山花园小区3栋",
        status=RecordStatus.FINALIZED,
        equipment_code="31104208002018000123",
        answers=_answers(values, notes),
        orders=[
            RectificationOrder(
                "o-2",
                "SB02",
                "办理使用登记后方可使用",
                date(2026, 12, 4),
                FiveImplementations(
                    "刘建国", "停梯并申请使用登记", date(2026, 12, 4), "2000元", "已有困人预案"
                ),
            )
        ],  # fmt: skip
        signatures=_signatures(),
        attributes={
            "kind": "特种设备使用单位",
            "area": "东宝区",
            "risk_grade": "A",
            "equipment_type": "电梯",
        },
        verdict="立即停止使用",
        handling="责令立即停止使用，依法查封扣押",
        document_no="JM-DEV1-2026-000102",
        created_by="u-li",
        device_id="DEV1",
        finalized_at=FINALIZED,
    )
    record.content_hash = content_hash(record)
    return record


def _judged(value: str | None) -> Result | None:
    return Result(value) if value in {r.value for r in Result} else None


OLD_RECORDS: dict[str, Callable[[], Inspection]] = {
    "catering_v1": catering_v1,
    "elevator_v1": elevator_v1,
}
