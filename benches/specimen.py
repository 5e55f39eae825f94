"""A realistic specimen record and its images, for the PDF benchmark, the checklist-open benchmark and the PDF
tests (benches import it as ``specimen``, tests as ``benches.specimen``).

Nothing here touches storage: images live in :class:`MemoryImages` (sha → bytes, usable as the renderer's
``image_loader``); the record is built with the core dataclasses and sealed with its real content hash.
"""

from __future__ import annotations

import hashlib
import io
import random
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from inspector_app.core.checklist import AnswerType, Checklist, Family, Item, Result, Section
from inspector_app.core.evaluation import evaluate
from inspector_app.core.identifiers import make_uscc
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.records import (
    Answer,
    Attachment,
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
from inspector_app.core.verdicts import LEGACY_THREE_LEVEL, GradeRules
from inspector_app.reports.fonts import font_path

STARTED = datetime(2026, 11, 28, 1, 32, tzinfo=UTC)  # 09:32 China time
FINALIZED = datetime(2026, 11, 28, 2, 47, tzinfo=UTC)
RECORD_ID = "5f0c2a9e-8d4b-4f5e-9a51-3b7c6d2e1f08"


class MemoryImages:
    """Attachment bytes kept in memory; calling it with a sha returns the bytes (an ``image_loader``)."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}
        self.meta: dict[str, Attachment] = {}

    def add(self, data: bytes, kind: str, mime: str, caption: str = "") -> Attachment:
        with Image.open(io.BytesIO(data)) as im:
            width, height = im.size
        sha = hashlib.sha256(data).hexdigest()
        att = Attachment(sha, kind, mime, len(data), width, height, caption)
        self.data[sha], self.meta[sha] = data, att
        return att

    def __call__(self, sha256: str) -> bytes:
        return self.data[sha256]


def make_photo(seed: int, size: tuple[int, int] = (3000, 4000), quality: int = 90) -> bytes:
    """A photo-like JPEG: gradients, shapes, fine lines and sensor-like grain (compresses like a photo:
    a 3000×4000 one is ~2 MB, ~350 KB after the app's photo preparation)."""
    rng = random.Random(seed)
    w, h = size
    small = (max(w // 8, 8), max(h // 8, 8))
    channels = [
        Image.linear_gradient("L").rotate(rng.choice((0, 90, 180, 270))).resize(small) for _ in range(3)
    ]
    base = Image.merge("RGB", channels)
    draw = ImageDraw.Draw(base)
    for _ in range(40):
        x, y, r = rng.randrange(small[0]), rng.randrange(small[1]), rng.randrange(4, max(small) // 4)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    for _ in range(300):
        x, y = rng.randrange(small[0]), rng.randrange(small[1])
        end = (x + rng.randrange(-60, 60), y + rng.randrange(-60, 60))
        draw.line((x, y, *end), fill=tuple(rng.randrange(256) for _ in range(3)), width=rng.randrange(1, 3))
    picture = base.filter(ImageFilter.GaussianBlur(1.2)).resize(size, Image.Resampling.BICUBIC)
    grain = Image.effect_noise((max(w // 3, 1), max(h // 3, 1)), 40).resize(size, Image.Resampling.BICUBIC)
    picture = Image.blend(picture, grain.convert("RGB"), 0.18)
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def make_signature(name: str, seed: int = 0) -> bytes:
    """A handwritten-looking signature PNG (the name slanted on a transparent canvas)."""
    font = ImageFont.truetype(str(font_path()), 96, index=0)
    canvas = Image.new("RGBA", (520, 180), (0, 0, 0, 0))
    draw = ImageDraw.Draw(canvas)
    draw.text((30, 30), name, font=font, fill=(20, 30, 90, 255))
    rng = random.Random(seed)
    draw.line([(30, 150), (200 + rng.randrange(120), 140), (470, 128)], fill=(20, 30, 90, 255), width=5)
    canvas = canvas.transform(canvas.size, Image.Transform.AFFINE, (1, 0.28, -25, 0, 1, 0))
    out = io.BytesIO()
    canvas.save(out, format="PNG")
    return out.getvalue()


def long_checklist(sources: Sequence[Checklist], count: int, form_id: str = "specimen.long") -> Checklist:
    """A checklist of ``count`` items taken in order from ``sources`` (show_if dropped); when the sources
    hold fewer distinct items, they are repeated with a ``-2``, ``-3``… code suffix."""
    pool: dict[str, tuple[str, Item]] = {}
    for source in sources:
        for section in source.sections:
            for item in section.items:
                pool.setdefault(item.code, (section.title, replace(item, show_if=())))
    chosen: list[tuple[str, Item]] = []
    round_no = 1
    while len(chosen) < count and pool:
        for title, item in pool.values():
            if len(chosen) == count:
                break
            code = item.code if round_no == 1 else f"{item.code}-{round_no}"
            chosen.append((title if round_no == 1 else f"{title}（续{round_no}）", replace(item, code=code)))
        round_no += 1
    sections: list[Section] = []
    for title, item in chosen:
        if sections and sections[-1].title == title:
            sections[-1] = Section(title, (*sections[-1].items, item))
        else:
            sections.append(Section(title, (item,)))
    first = sources[0]
    return Checklist(
        form_id, 1, f"{first.title}（扩展样表）", first.family, tuple(sections), first.business_kinds,
        first.equipment_types, grading=first.grading,
    )  # fmt: skip


def _value(item: Item, fail: bool) -> str:
    if item.type is AnswerType.TRI:
        return Result.NONCOMPLIANT.value if fail else Result.COMPLIANT.value
    if item.type is AnswerType.YESNO:
        return "否" if fail else "是"
    if item.type is AnswerType.CHOICE:
        bad = [c.value for c in item.choices if c.fail]
        good = [c.value for c in item.choices if not c.fail]
        return bad[0] if fail and bad else good[0]
    if item.type is AnswerType.NUMBER:
        low, high = item.min or 0.0, item.max if item.max is not None else 100.0
        return f"{high + 1:g}" if fail and item.max is not None else f"{(low + high) / 2:g}"
    if item.type is AnswerType.DATE:
        return "2027-03-15"
    return "已查看"


FAIL_NOTES = (
    "冷藏柜温度显示12℃，柜内生熟食品混放，未见温度记录。",
    "两名后厨人员健康证明已于2026年9月过期，现场未能提供新证明。",
    "砧板、刀具无生熟标识，生肉与凉菜共用一块砧板。",
    "餐厨废弃物桶无盖，放置于加工区入口处。",
    "进货票据仅保存至2026年10月，10月以后的蔬菜、肉类无进货记录。",
)


def party(family: Family) -> PartySnapshot:
    """A plausible inspected party for ``family`` (valid USCC check character)."""
    if family is Family.EQUIPMENT:
        return PartySnapshot(
            make_uscc("91420804MA49K7R2X"), "荆门市掇刀区兴隆物业服务有限公司", "特种设备使用单位",
            "荆门市掇刀区白庙街道兴隆大道188号兴隆花园小区", "周建国", "0724-2356789", "", "掇刀区",
        )  # fmt: skip
    return PartySnapshot(
        make_uscc("92420802MA4F3K7L0"), "东宝区老街坊热干面馆", "小餐饮",
        "荆门市东宝区龙泉街道象山大道36号附12号", "王秀兰", "13872961234", "JY24208020012345", "东宝区",
    )  # fmt: skip


def specimen_record(
    checklist: Checklist,
    images: MemoryImages,
    *,
    photos: Sequence[Attachment] = (),
    fail_every: int = 9,
    na_every: int = 13,
    party_refuses: bool = False,
    record_id: str = RECORD_ID,
) -> Inspection:
    """A finalized record of ``checklist``: some failures (with notes, photos, orders), signatures, hash."""
    snapshot = party(checklist.family)
    inspectors = [Inspector("李明", "42080021001", "u-li"), Inspector("张华", "42080021017", "u-zhang")]
    record = Inspection(
        id=record_id, business=snapshot, form_id=checklist.id, form_version=checklist.version,
        inspection_type=InspectionType.ROUTINE, inspectors=inspectors, started_at=STARTED,
        place=snapshot.address, accompanying="店长 王秀兰", document_no="JMDB-2026-000137",
        created_by="u-li", device_id="dev-01",
        attributes={"kind": snapshot.kind, "area": snapshot.area},
    )  # fmt: skip
    if checklist.family is Family.EQUIPMENT:
        kind = checklist.equipment_types[0] if checklist.equipment_types else "电梯"
        record.equipment_code, record.attributes["equipment_type"] = "311042012201800021", kind
        record.accompanying = "物业经理 周建国"
    failed: list[Item] = []
    for n, item in enumerate(checklist.items, 1):
        fail = n % fail_every == 2
        na = not fail and n % na_every == 0 and item.allow_na
        value = Result.NOT_APPLICABLE.value if na else _value(item, fail)
        answer = Answer(item.code, value, item.judge(value), answered_at=STARTED + timedelta(minutes=n))
        if item.judge(value) is Result.NONCOMPLIANT:
            answer.note = FAIL_NOTES[len(failed) % len(FAIL_NOTES)]
            failed.append(item)
        record.answers[item.code] = answer
    for k, photo in enumerate(photos):
        if failed:
            record.answers[failed[k % len(failed)].code].photos.append(photo.sha256)
        record.attachments[photo.sha256] = photo
    for k, item in enumerate(failed):
        hazard = None
        if checklist.family is Family.EQUIPMENT and item.key:
            hazard = FiveImplementations(
                "周建国（物业经理）", "停用该设备，委托有资质单位维修并报检；整改前设置警示标志。",
                date(2026, 12, 5), "物业公司维修基金，约2万元", "《电梯困人应急救援预案》（2026版）",
            )  # fmt: skip
        record.orders.append(
            RectificationOrder(
                f"order-{k + 1:02d}",
                item.code,
                f"立即整改：{item.text.rstrip('。')}。整改完成后拍照报送。",
                date(2026, 12, 5 + k % 3),
                hazard,
            )  # fmt: skip
        )
    _sign(record, images, party_refuses)
    _judge(record, checklist)
    record.status, record.finalized_at = RecordStatus.FINALIZED, FINALIZED
    record.content_hash = content_hash(record)
    return record


def _sign(record: Inspection, images: MemoryImages, party_refuses: bool) -> None:
    for k, person in enumerate(record.inspectors):
        att = images.add(make_signature(person.name, k), "signature", "image/png")
        record.attachments[att.sha256] = att
        record.signatures.append(
            Signature(SignerRole.INSPECTOR, person.name, att.sha256, signed_at=FINALIZED)
        )
    name = record.business.responsible
    if party_refuses:
        record.signatures.append(
            Signature(
                SignerRole.PARTY,
                name,
                refused=True,
                refusal_reason="对检查结论有异议",
                witness_name="刘洋（隔壁商户）",
                signed_at=FINALIZED,
            )  # fmt: skip
        )
        return
    att = images.add(make_signature(name, 9), "signature", "image/png")
    record.attachments[att.sha256] = att
    record.signatures.append(Signature(SignerRole.PARTY, name, att.sha256, signed_at=FINALIZED))


def _judge(record: Inspection, checklist: Checklist) -> None:
    result = evaluate(
        checklist,
        record.values(),
        record.attributes,
        rule=LEGACY_THREE_LEVEL,
        grade_rules=GradeRules(),
        today=FINALIZED.date(),
    )
    record.verdict, record.handling = result.verdict.value, result.handlings[0].value
    if result.grade is not None:
        record.grade, record.score = result.grade.grade.value, result.grade.score
    record.other_findings = "后厨地面有积水，已要求当场清理。"
