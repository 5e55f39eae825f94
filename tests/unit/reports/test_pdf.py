"""render_pdf: embedded CJK font, extractable text, page numbering on every page, photos, QR, determinism."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from pypdf import PdfReader

from benches.specimen import MemoryImages, make_photo, specimen_record
from inspector_app.core.checklist import AnswerType, Section
from inspector_app.reports.content import build_report
from inspector_app.reports.fonts import FALLBACKS, SANS, font_path, register_fonts
from inspector_app.reports.pdf import render_pdf
from tests.builders import make_checklist, make_item

ROOT = Path(__file__).resolve().parents[3]
PHRASES = (
    "从业人员持有有效健康证明，患有有碍食品安全疾病的人员未在接触直接入口食品的岗位工作",
    "冷藏冷冻设施温度符合要求并有温度记录",
    "餐饮具清洗消毒后存放在专用保洁设施内",
    "采购食品及原料查验供货者许可证和合格证明，留存进货票据",
)


def long_checklist(count: int = 64):
    """``count`` items in 8 sections, some with long texts, one number item (℃)."""
    items = [
        make_item(
            f"L{n:02d}",
            text=f"{PHRASES[n % len(PHRASES)]}（第{n}项）"
            + ("，并核对相关记录、台账和现场实际情况是否一致" * (n % 3)),
            key=n % 5 == 0,
        )
        for n in range(1, count)
    ]
    items.append(make_item("T01", text="冷藏设备温度", type=AnswerType.NUMBER, unit="℃", min=0.0, max=8.0))
    per = len(items) // 8
    sections = tuple(Section(f"第{k + 1}部分", tuple(items[k * per : (k + 1) * per])) for k in range(8))
    base = make_checklist(items=items, grading="catering")
    return type(base)(
        base.id, 1, "小餐饮长表", base.family, sections, base.business_kinds, grading="catering"
    )


@pytest.fixture(scope="module")
def specimen():
    checklist = long_checklist()
    images = MemoryImages()
    photos = [images.add(make_photo(seed, (480, 640)), "photo", "image/jpeg") for seed in range(3)]
    record = specimen_record(checklist, images, photos=photos, fail_every=9)
    data = build_report(record, checklist)
    return data, images, render_pdf(data, images)


@pytest.fixture(scope="module")
def reader(specimen) -> PdfReader:
    return PdfReader(io.BytesIO(specimen[2]))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def page_texts(reader) -> list[str]:
    return [squeeze(page.extract_text()) for page in reader.pages]


def fonts_of(reader: PdfReader) -> dict[str, object]:
    found = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            found[str(font["/BaseFont"])] = font
    return found


def test_every_font_is_an_embedded_subset_of_the_shipped_cjk_font(reader):
    fonts = fonts_of(reader)
    assert fonts, "no fonts at all"
    for name, font in fonts.items():
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{name} is referenced, not embedded"
        assert re.match(r"^/[A-Z]{6}\+WenQuanYiMicroHei", name), name
    assert not any("Helvetica" in name or "STSong" in name for name in fonts)


def test_text_contains_party_items_verdict_and_counts(specimen, page_texts):
    data = specimen[0]
    text = "".join(page_texts)
    assert squeeze(data.party.name) in text
    assert squeeze(data.party.uscc) in text
    for row in data.rows[:5] + data.rows[-5:]:
        assert squeeze(row.text) in text, row.code
    assert f"检查结论{data.verdict}" in text
    assert squeeze(data.counts_text) in text
    assert data.verdict == "不符合"


def test_a_long_checklist_spans_several_pages_each_numbered_with_document_number_and_hash(
    specimen, page_texts
):
    data = specimen[0]
    total = len(page_texts)
    assert total >= 3
    for number, text in enumerate(page_texts, 1):
        assert f"第{number}页共{total}页" in text
        assert f"文书编号：{data.document_no}" in text
        assert data.content_hash in text
        assert f"软件版本：{data.app_version}" in text


def test_items_table_header_is_repeated_on_every_page_it_spans(page_texts):
    results_page = next(n for n, t in enumerate(page_texts) if "检查结果共检查" in t)
    item_pages = page_texts[:results_page]  # the items table fills every page before the results
    assert len(item_pages) >= 2
    for text in item_pages:
        assert "编号检查内容★结果备注/记录" in text


def test_the_degree_sign_is_printed_with_a_glyph_the_font_has(page_texts):
    text = "".join(page_texts)
    assert "°C" in text
    assert "℃" not in text


def test_photos_and_signatures_are_embedded_images(specimen, reader):
    data = specimen[0]
    images = set()
    for page in reader.pages:
        for name, obj in (page["/Resources"].get("/XObject") or {}).items():
            if obj.get_object()["/Subtype"] == "/Image":
                images.add(name)
    signatures = {s.image_sha256 for s in data.signatures if s.image_sha256}
    assert len(data.photos) == 3
    assert len(images) == len(data.photos) + len(signatures)
    text = "".join(squeeze(p.extract_text()) for p in reader.pages)
    for photo in data.photos:
        assert photo.short_hash in text


def test_qr_code_on_page_one_decodes_to_record_id_and_hash(specimen):
    data, _, pdf = specimen
    page = pdfium.PdfDocument(pdf)[0]
    image = page.render(scale=200 / 72).to_pil()
    decoded = [r.text for r in zxingcpp.read_barcodes(image)]
    assert decoded == [f"inspector-record:v1;id={data.record_id};sha256={data.content_hash}"]


def test_rendering_twice_gives_identical_bytes_with_the_finalization_date(specimen, reader):
    data, images, pdf = specimen
    assert render_pdf(data, images) == pdf
    created = reader.metadata.creation_date
    assert created is not None
    assert created == data.created_at


def test_metadata_names_the_record(specimen, reader):
    data = specimen[0]
    meta = reader.metadata
    assert meta.title == f"{data.title} {data.document_no}"
    assert meta.subject == data.party.name
    assert data.content_hash in (meta.get("/Keywords") or "")


def test_a_missing_photo_is_shown_not_fatal(specimen):
    data, images, _ = specimen
    missing = data.photos[0].sha256

    def loader(sha: str) -> bytes:
        if sha == missing:
            raise FileNotFoundError(sha)
        return images(sha)

    text = "".join(squeeze(p.extract_text()) for p in PdfReader(io.BytesIO(render_pdf(data, loader))).pages)
    assert "照片文件缺失或无法读取" in text


def test_party_refusal_is_printed_instead_of_a_signature():
    checklist = make_checklist()
    images = MemoryImages()
    record = specimen_record(checklist, images, party_refuses=True)
    pdf = render_pdf(build_report(record, checklist), images)
    text = "".join(squeeze(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "被检查人拒绝签字。理由：对检查结论有异议；见证人：刘洋（隔壁商户）" in text


def test_every_character_of_the_shipped_forms_has_a_glyph():
    """Forms are printed verbatim: each character must be drawn by the font (or have a fallback)."""
    register_fonts()
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(SANS).face
    assert font_path().is_file()
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "forms").rglob("*.yaml")))
    text += (ROOT / "inspector_app/reports/content.py").read_text(encoding="utf-8")
    blank = set()
    for ch in set(text) - set(" \n\t\r"):
        glyph = face.charToGlyph.get(ord(ch))
        if glyph is None or face.glyphPos[glyph + 1] == face.glyphPos[glyph]:
            blank.add(ch)
    assert blank <= {chr(c) for c in FALLBACKS}, sorted(blank)


def test_chinese_commas_never_start_a_wrapped_line():
    from reportlab.platypus import Paragraph

    from inspector_app.reports.layout import make_styles

    style = make_styles(register_fonts()).cell
    text = "落实日管控、周排查、月调度，每日安全检查记录，每周安全排查治理报告；每月安全调度会议纪要齐全连续，并有记录。"
    starts = []
    for width in range(100, 300, 2):
        paragraph = Paragraph(text, style)
        paragraph.wrap(width, 1000)
        starts += ["".join(line[1])[:1] for line in paragraph.blPara.lines[1:]]
    assert starts, "the text never wrapped"
    assert not [ch for ch in starts if ch in "，；：、。"]
