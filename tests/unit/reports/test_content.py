"""build_report: everything a printed 现场检查记录 says, asserted exactly on plain data."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from inspector_app.core.checklist import Family
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.records import (
    Answer,
    Attachment,
    FiveImplementations,
    Inspection,
    RectificationOrder,
    Signature,
    SignerRole,
    content_hash,
)
from inspector_app.core.verdicts import Tally
from inspector_app.reports.content import NOTICE, build_report, qr_payload, time_span
from inspector_app.reports.model import (
    FailedItem,
    HazardBlock,
    InspectorLine,
    ItemRow,
    OrderBlock,
    PartyBlock,
    PhotoBlock,
    SignatureBlock,
)
from inspector_app.version import app_version
from tests.builders import make_checklist, make_draft, make_item

RID = "0b7f3a52-1c2d-4e5f-8a9b-0c1d2e3f4a5b"
STARTED = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 China time
FINAL = datetime(2026, 3, 2, 2, 15, tzinfo=UTC)  # 10:15
P1, P2, P3 = "a1" * 32, "b2" * 32, "c3" * 32
S1, S2 = "d4" * 32, "e5" * 32


def answers(**values: str) -> dict[str, Answer]:
    return {code: Answer(code, value) for code, value in values.items()}


def make_record(**overrides) -> Inspection:
    """A finalized food record on the builders' default checklist: K2, G2 and G3 fail, G1 不适用."""
    record = make_draft(
        id=RID, started_at=STARTED, accompanying="店长 王红山", document_no="JMDB-2026-000042"
    )
    record.business = replace(record.business, phone="13800000000", licence_no="JY14208020000001")
    record.answers = answers(
        K1="符合", K2="不符合", G1="不适用", G2="否", G3="12", G4="已公示", C1="符合", T1="已查看"
    )
    record.answers["K2"].note = "健康证已过期"
    record.answers["K2"].photos = [P1, P2]
    record.answers["G3"].note = "冷藏柜温度偏高"
    record.attachments = {
        P1: Attachment(P1, "photo", width=1200, height=1600),
        P2: Attachment(P2, "photo", width=1600, height=1200, caption="后厨"),
        P3: Attachment(P3, "photo", caption="门头照片"),
        S1: Attachment(S1, "signature", "image/png"),
        S2: Attachment(S2, "signature", "image/png"),
    }
    record.orders = [RectificationOrder("o1", "K2", "办理健康证明", date(2026, 3, 9))]
    record.signatures = [
        Signature(SignerRole.INSPECTOR, "李明", S1, signed_at=FINAL),
        Signature(SignerRole.INSPECTOR, "张华", S2, signed_at=FINAL),
        Signature(SignerRole.PARTY, "王红山", refused=True, refusal_reason="不认可结论", witness_name="赵六"),
    ]
    record.verdict, record.handling = "不符合", "限期整改"
    record.other_findings = "地面有积水"
    record.status, record.finalized_at = RecordStatus.FINALIZED, FINAL
    for key, value in overrides.items():
        setattr(record, key, value)
    record.content_hash = content_hash(record)
    return record


@pytest.fixture
def checklist():
    return make_checklist()


@pytest.fixture
def data(checklist):
    return build_report(make_record(), checklist)


def test_header_shows_title_document_number_type_form_and_status(data):
    assert data.title == "食品“三小”现场检查记录"
    assert data.document_no == "JMDB-2026-000042"
    assert data.inspection_type == "日常检查"
    assert data.form_title == "food.test_catering 检查要点表（food.test_catering 第 1 版）"
    assert data.status_label == "已定稿"
    assert (data.version, data.previous_id, data.correction_note) == (1, "", "")
    assert data.record_id == RID


def test_title_follows_the_checklist_family():
    equipment = make_checklist("equipment.x", family=Family.EQUIPMENT)
    cosmetics = make_checklist("cosmetics.x", family=Family.COSMETICS)
    assert build_report(make_record(), equipment).title == "特种设备安全监督检查记录"
    assert build_report(make_record(), cosmetics).title == "化妆品经营监督检查记录"


def test_party_is_printed_from_the_snapshot(data):
    assert data.party == PartyBlock(
        name="荆门市东宝区红山小吃店",
        uscc=make_draft().business.uscc,
        licence_no="JY14208020000001",
        address="湖北省荆门市东宝区象山大道1号",
        responsible="王红山",
        phone="13800000000",
        kind="小餐饮",
    )


def test_inspectors_time_place_and_accompanying_person(data):
    assert data.inspectors == (InspectorLine("李明", "42080001"), InspectorLine("张华", "42080002"))
    assert data.time_text == "2026-03-02 09:00 至 10:15 (UTC+8)"
    assert data.place == "经营场所"
    assert data.accompanying == "店长 王红山"


def test_time_span_shows_the_full_end_when_it_is_on_another_day():
    end = datetime(2026, 3, 2, 17, 5, tzinfo=UTC)  # 01:05 next day in China
    assert time_span(STARTED, end) == "2026-03-02 09:00 至 2026-03-03 01:05 (UTC+8)"
    assert time_span(STARTED, None) == "2026-03-02 09:00 (UTC+8)"


def test_notice_covers_credentials_refusal_and_the_three_recusal_grounds(data):
    assert data.notice == NOTICE
    text = "".join(data.notice)
    for phrase in ("出示执法证件", "少于两人", "有权拒绝检查", "近亲属", "直接利害关系", "可能影响公正执法"):
        assert phrase in text
    assert data.recusal_text == "被检查单位是否申请回避：否"
    asked = build_report(make_record(recusal_requested=True), make_checklist())
    assert asked.recusal_text == "被检查单位是否申请回避：是"


def test_rows_are_visible_items_by_section_with_result_answer_note_and_photo_numbers(data):
    assert [s.title for s in data.sections] == ["一、基本要求", "二、过程控制"]
    assert [r.code for r in data.rows] == ["K1", "K2", "G1", "G2", "G3", "G4", "T1"]  # C1 hidden (G2 = 否)
    rows = {r.code: r for r in data.rows}
    assert rows["K2"] == ItemRow("K2", "检查项 K2", True, "不符合", "", "健康证已过期", (1, 2))
    assert rows["G1"] == ItemRow("G1", "检查项 G1", False, "不适用", "", "", ())
    assert rows["G2"] == ItemRow("G2", "检查项 G2", False, "不符合", "否", "", ())
    assert rows["G3"] == ItemRow("G3", "检查项 G3", False, "不符合", "12 ℃", "冷藏柜温度偏高", ())
    assert rows["G4"].result == "符合" and rows["G4"].answer == "已公示"
    assert rows["T1"].result == "记录" and rows["T1"].answer == "已查看"
    assert rows["K1"].failed is False and rows["K2"].failed is True


def test_unanswered_visible_items_are_marked_and_counted(checklist):
    record = make_record()
    del record.answers["K1"]
    data = build_report(record, checklist)
    assert next(r for r in data.rows if r.code == "K1").result == "未检查"
    assert data.counts.unanswered == 1
    assert data.counts_text.endswith("；未检查 1 项。")


def test_counts_and_counts_text(data):
    assert data.counts == Tally(5, 2, 3, 1, 0, ("K2",), ("G2", "G3"))
    assert data.counts.failed == ("K2", "G2", "G3")
    assert data.counts_text == (
        "共检查 5 项，其中重点项 2 项、一般项 3 项；不符合 3 项（重点项 1 项：K2；一般项 2 项：G2、G3）；"
        "不适用（合理缺项）1 项。"
    )


def test_counts_text_without_failures():
    record = make_record(
        answers=answers(K1="符合", K2="符合", G1="符合", G2="是", G3="4", G4="已公示", C1="符合")
    )
    data = build_report(record, make_checklist())
    assert (
        data.counts_text
        == "共检查 7 项，其中重点项 2 项、一般项 5 项；未发现不符合项；不适用（合理缺项）0 项。"
    )
    assert data.failed_items == ()


def test_failed_items_are_listed_key_first_with_their_notes(data):
    assert data.failed_items == (
        FailedItem("K2", "检查项 K2", True, "健康证已过期"),
        FailedItem("G2", "检查项 G2", False, ""),
        FailedItem("G3", "检查项 G3", False, "冷藏柜温度偏高"),
    )
    assert (data.key_label, data.key_short) == ("重点项", "重点项")


def test_verdict_handling_other_findings_as_stored(data):
    assert (data.verdict, data.handling, data.other_findings) == ("不符合", "限期整改", "地面有积水")
    assert data.grade is None


def test_orders_with_item_text_and_deadline(data):
    assert data.orders == (OrderBlock("K2", "检查项 K2", "办理健康证明", "2026-03-09", None),)
    assert data.hazards == ()


def test_equipment_hazard_carries_the_five_implementations():
    checklist = make_checklist("equipment.x", family=Family.EQUIPMENT)
    hazard = FiveImplementations("周经理", "停用维修", date(2026, 3, 20), "维修基金2万元", "电梯困人应急预案")
    record = make_record(
        orders=[RectificationOrder("o1", "K2", "停用并维修", date(2026, 3, 20), hazard)],
        equipment_code="311042012201800021",
        attributes={"kind": "特种设备使用单位", "equipment_type": "电梯"},
    )
    data = build_report(record, checklist)
    [order] = data.hazards
    assert order.hazard == HazardBlock(
        "周经理", "停用维修", "2026-03-20", "维修基金2万元", "电梯困人应急预案"
    )
    assert data.equipment == "电梯 设备代码 311042012201800021"
    assert (data.key_label, data.key_short) == ("严重事故隐患项", "严重隐患")
    assert "其中严重事故隐患项 2 项" in data.counts_text


def test_photos_in_item_order_then_unlinked_with_captions_and_short_hashes(data):
    assert data.photos == (
        PhotoBlock(1, P1, P1[:12], "K2 检查项 K2", "K2", 1200, 1600),
        PhotoBlock(2, P2, P2[:12], "K2 检查项 K2（后厨）", "K2", 1600, 1200),
        PhotoBlock(3, P3, P3[:12], "门头照片", "", 0, 0),
    )


def test_attachment_metadata_from_the_store_overrides_the_record(checklist):
    extra = {P3: Attachment(P3, "photo", width=800, height=600, caption="店外")}
    data = build_report(make_record(), checklist, attachments=extra)
    assert data.photos[2].caption == "店外"
    assert (data.photos[2].width, data.photos[2].height) == (800, 600)


def test_photos_of_hidden_items_are_not_printed(checklist):
    record = make_record()
    record.answers["C1"].photos = [P3]  # C1 is hidden because G2 = 否
    record.attachments[P3] = Attachment(P3, "photo")
    record.content_hash = content_hash(record)
    data = build_report(record, checklist)
    assert all(p.item_code != "C1" for p in data.photos)


def test_signatures_inspector_images_and_party_refusal_with_witness(data):
    assert data.signatures == (
        SignatureBlock("inspector", "执法人员", "李明", S1, False, "", "", "2026-03-02 10:15 (UTC+8)"),
        SignatureBlock("inspector", "执法人员", "张华", S2, False, "", "", "2026-03-02 10:15 (UTC+8)"),
        SignatureBlock(
            "party",
            "被检查单位负责人",
            "王红山",
            "",
            True,
            "被检查人拒绝签字。理由：不认可结论；见证人：赵六；由执法人员李明、张华现场注明。",
            "赵六",
            "",
        ),
    )


def test_unsigned_people_get_blank_signature_blocks(checklist):
    record = make_record(signatures=[Signature(SignerRole.INSPECTOR, "李明", S1, signed_at=FINAL)])
    data = build_report(record, checklist)
    assert [(s.role, s.name, s.image_sha256) for s in data.signatures] == [
        ("inspector", "李明", S1),
        ("inspector", "张华", ""),
        ("party", "", ""),
    ]


def test_hash_footer_qr_payload_and_creation_date(data):
    sha = make_record().content_hash
    assert len(sha) == 64
    assert data.content_hash == sha
    assert data.footer == f"记录 SHA-256：{sha}"
    assert data.app_version == app_version()
    assert data.qr_payload == f"inspector-record:v1;id={RID};sha256={sha}" == qr_payload(RID, sha)
    assert data.created_at == FINAL


def test_the_report_carries_the_version_of_the_software_that_prints_it():
    data = build_report(make_record(), make_checklist(), app_version="2.3.0rc1")
    assert data.app_version == "2.3.0rc1"


def test_a_correction_names_its_version_and_predecessor(checklist):
    data = build_report(make_record(version=2, previous_id="prev-id"), checklist)
    assert (data.version, data.previous_id) == (2, "prev-id")
    assert data.correction_note == "本记录为第 2 版（更正版本），更正前记录：prev-id"


def test_catering_grade_with_icon_and_score(checklist):
    data = build_report(make_record(grade="良好", score=8.0), checklist)
    assert data.grade is not None
    assert (data.grade.grade, data.grade.icon, data.grade.score) == ("良好", "微笑", 8.0)
    assert data.grade.text == "动态等级：良好（公示图标：微笑，得分 8.0）"


def test_unrated_grade_explains_why():
    items = [make_item("K1", key=True), make_item("K2", key=True), make_item("G1")]
    checklist = make_checklist(items=items, grading="catering")
    record = make_record(answers=answers(K1="不符合", K2="不符合", G1="符合"), grade="不评级", score=2.0)
    data = build_report(record, checklist)
    assert data.grade is not None
    assert data.grade.icon == ""
    assert data.grade.text == "动态等级：不评级（2项关键项不符合，得分 2.0）"


def test_unrated_for_a_new_licence_uses_the_record_attributes():
    checklist = make_checklist(items=[make_item("G1")], grading="catering")
    record = make_record(
        answers=answers(G1="符合"),
        attributes={"kind": "小餐饮", "licensed_on": "2026-02-01"},
        grade="不评级",
        score=None,
    )
    data = build_report(record, checklist)
    assert data.grade is not None
    assert data.grade.text == "动态等级：不评级（新办证3个月内不评动态等级）"


def test_hash_is_computed_when_the_record_lacks_one(checklist):
    record = make_record()
    expected = record.content_hash
    record.content_hash = ""
    assert build_report(record, checklist).content_hash == expected
