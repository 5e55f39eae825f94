"""ReportService: PDFs of finalized records from the real store (drafts refused, files, batch with progress)."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from benches.specimen import make_photo
from inspector_app.core.errors import InspectorError, LifecycleError, NotFound
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.services.reports import file_name
from tests.review_support import (
    BOSS,
    LI,
    ZHANG,
    add_business,
    answer_all,
    crew,
    finalized_record,
    sign_all,
)


@pytest.fixture
def uscc(services) -> str:
    return add_business(services)


def text_of(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))


def failing_record(services, uscc) -> str:
    """A record with one failed key item, a photo on it and an order; finalized through the service."""
    inspections = services.inspections
    record = inspections.start(ZHANG, uscc, "food.small_catering", crew(ZHANG, LI), "日常检查", "店内")
    answer_all(services, ZHANG, record.id)
    checklist = inspections.checklist_of(record)
    item = next(i for i in checklist.items if i.key and i.photo_when_fail)
    inspections.answer(ZHANG, record.id, item.code, "不符合", "冷藏柜温度显示12℃")
    inspections.attach_photo(ZHANG, record.id, item.code, make_photo(3, (600, 800)))
    inspections.add_order(ZHANG, record.id, item.code, "立即整改并报送照片", date(2026, 3, 9))
    sign_all(services, ZHANG, record.id)
    return inspections.finalize(ZHANG, record.id, "依法调查处理").id


def test_render_prints_the_stored_record_with_its_hash(services, uscc):
    record_id = finalized_record(services, uscc)
    record = services.inspections.get(record_id)
    text = text_of(services.reports.render(record_id))
    assert "老王面馆" in text
    assert f"检查结论{record.verdict}" in text
    assert record.document_no in text
    assert record.content_hash in text


def test_render_is_deterministic(services, uscc):
    record_id = finalized_record(services, uscc)
    assert services.reports.render(record_id) == services.reports.render(record_id)


def test_review_decisions_do_not_change_the_printed_record(services, store, uscc):
    record_id = finalized_record(services, uscc)
    before = services.reports.render(record_id)
    services.review.approve(BOSS, record_id, "同意")
    assert services.inspections.get(record_id).status is RecordStatus.APPROVED
    assert services.reports.render(record_id) == before


def test_failed_item_photo_order_and_note_reach_the_pdf(services, uscc):
    record_id = failing_record(services, uscc)
    data = services.reports.data(record_id)
    assert data.verdict == "基本符合"  # one key failure: the catering pass-rate rule allows it
    [photo] = data.photos
    assert photo.width and photo.height  # metadata came from the attachment store
    [order] = data.orders
    text = text_of(services.reports.render(record_id))
    assert photo.short_hash in text
    assert "立即整改并报送照片" in text
    assert "冷藏柜温度显示12°C" in text
    assert data.grade is not None and f"动态等级：{data.grade.grade}" in text


def test_a_draft_cannot_be_printed(services, uscc):
    draft = services.inspections.start(
        ZHANG, uscc, "food.small_catering", crew(ZHANG, LI), "日常检查", "店内"
    )
    with pytest.raises(LifecycleError, match="草稿.*定稿"):
        services.reports.render(draft.id)


def test_unknown_record_is_not_found(services):
    with pytest.raises(NotFound):
        services.reports.render("no-such-id")


def test_a_record_that_no_longer_matches_its_hash_is_refused(services, store, uscc, monkeypatch):
    record_id = finalized_record(services, uscc)
    real_load = store.inspections.load

    def tampered(inspection_id):
        record = real_load(inspection_id)
        record.business = replace(record.business, name="别的店")
        return record

    monkeypatch.setattr(store.inspections, "load", tampered)
    with pytest.raises(InspectorError, match="未通过校验.*记录内容与定稿时不一致"):
        services.reports.render(record_id)


def test_write_and_export_put_the_pdf_on_disk(services, uscc, tmp_path):
    record_id = finalized_record(services, uscc)
    target = services.reports.write(record_id, tmp_path / "out" / "r.pdf")
    assert target.read_bytes().startswith(b"%PDF")
    exported = services.reports.export(record_id)
    document_no = services.inspections.get(record_id).document_no
    assert exported == services.home.reports_dir / file_name(document_no, record_id)
    assert exported.read_bytes() == target.read_bytes()
    assert not list(exported.parent.glob(".partial-*"))


def test_write_all_prints_every_finalized_record_with_progress(services, uscc, tmp_path):
    first = finalized_record(services, uscc)
    second = finalized_record(services, uscc, actor=LI, partner=ZHANG)
    draft = services.inspections.start(
        ZHANG, uscc, "food.small_catering", crew(ZHANG, LI), "日常检查", "店内"
    )
    calls = []
    paths = services.reports.write_all(
        tmp_path / "batch", progress=lambda done, total: calls.append((done, total))
    )
    numbers = {services.inspections.get(i).document_no for i in (first, second)}
    assert {p.name for p in paths} == {file_name(n, "") for n in numbers}
    assert all(p.read_bytes().startswith(b"%PDF") for p in paths)
    assert calls == [(1, 2), (2, 2)]
    assert draft.id not in {i for i, _ in services.reports.printable_ids()}


def test_file_names_are_safe():
    assert file_name("JMDB-2026-000001", "x") == "JMDB-2026-000001.pdf"
    assert file_name("a/b:c", "x") == "a_b_c.pdf"
    assert file_name("", "rec-id") == "rec-id.pdf"


def test_a_draft_started_on_version_1_is_finished_judged_and_printed_on_version_1(services, store, uscc):
    """A laptop updated while a visit was open: the draft keeps its checklist version and its rule."""
    from dataclasses import replace as copy_with

    inspections = services.inspections
    started = inspections.start(ZHANG, uscc, "food.small_catering", crew(ZHANG, LI), "日常检查", "店内")
    draft = copy_with(inspections.get(started.id), id=started.id + "-v1", form_version=1)
    store.inspections.create(draft, family="food")  # as the previous version of the app stored it
    answer_all(services, ZHANG, draft.id)
    inspections.answer(ZHANG, draft.id, "CY11", "不符合", "冷食工具混用")  # a key item in version 1 only
    inspections.attach_photo(ZHANG, draft.id, "CY11", make_photo(2, (400, 300)))
    sign_all(services, ZHANG, draft.id)
    sealed = inspections.finalize(ZHANG, draft.id, "限期整改")
    assert (sealed.form_version, sealed.verdict, sealed.verdict_rule) == (1, "不符合", "legacy_three_level")
    data = services.reports.data(sealed.id)
    assert data.form_title.endswith("（food.small_catering 第 1 版）")
    assert {r.code for r in data.rows} >= {"CY11"} and "SP17" not in {r.code for r in data.rows}
    assert (
        data.rule_text == "第1版检查表判定规则：重点项无不符合且一般项不符合不超过8项为基本符合，否则为不符合"
    )
    text = text_of(services.reports.render(sealed.id))
    assert "待核实" not in text and "参照" not in text
