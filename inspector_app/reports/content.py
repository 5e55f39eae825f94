"""Build the printed record's content (:class:`ReportData`) from a finalized record — pure, no I/O, no reportlab.

Layout follows the 现场检查记录 described in ``regulations.md`` §0.2: header (title, 文书编号, 检查类别), the
inspected party, ≥ 2 inspectors with 执法证号, time and place, the 告知事项 with the recusal question, the items
by section, the counts, the verdict and handling, rectification orders (with 五落实 for equipment hazards),
photos, signatures and the verification hash / QR payload.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from inspector_app.core.checklist import AnswerType, Checklist, Family, Item
from inspector_app.core.clock import CHINA_TZ, local_display
from inspector_app.core.records import Attachment, Inspection, RectificationOrder, Signature, SignerRole
from inspector_app.core.records import content_hash as compute_hash
from inspector_app.core.verdicts import (
    Grade,
    GradeRules,
    Tally,
    VerdictRule,
    catering_grade,
    judge_answers,
    tally,
)
from inspector_app.reports.model import (
    FailedItem,
    GradeBlock,
    HazardBlock,
    InspectorLine,
    ItemRow,
    OrderBlock,
    PartyBlock,
    PhotoBlock,
    ReportData,
    SectionBlock,
    SignatureBlock,
)

QR_PREFIX = "inspector-record:v1"
SHORT_HASH = 12

TITLES = {
    Family.FOOD: "食品“三小”现场检查记录",
    Family.EQUIPMENT: "特种设备安全监督检查记录",
    Family.COSMETICS: "化妆品经营监督检查记录",
}

#: 告知事项 read to the party before the inspection (出示证件、少于两人可拒绝、三种回避情形).
NOTICE = (
    "执法人员已向你（单位）出示执法证件，表明身份，现依法进行监督检查，请予配合。",
    "执法人员少于两人或者所出示的执法证件与其身份不符的，你（单位）有权拒绝检查。",
    "执法人员有下列情形之一的，你（单位）有权申请其回避：（一）是当事人或者当事人的近亲属；"
    "（二）与检查事项有直接利害关系；（三）与当事人有其他关系，可能影响公正执法。",
)


def qr_payload(record_id: str, sha256: str) -> str:
    """The text in the QR code: ``inspector-record:v1;id=<uuid>;sha256=<hex>``."""
    return f"{QR_PREFIX};id={record_id};sha256={sha256}"


def _day(value: date) -> str:
    return value.isoformat()


def time_span(start: datetime, end: datetime | None) -> str:
    """``2026-11-28 09:30 至 10:45 (UTC+8)``; the full end time when it falls on another day."""
    if end is None:
        return local_display(start)
    begin, finish = start.astimezone(CHINA_TZ), end.astimezone(CHINA_TZ)
    if begin.date() == finish.date():
        return f"{begin:%Y-%m-%d %H:%M} 至 {finish:%H:%M} (UTC+8)"
    return f"{begin:%Y-%m-%d %H:%M} 至 {finish:%Y-%m-%d %H:%M} (UTC+8)"


def _attributes(record: Inspection) -> dict[str, str]:
    """Attributes that ``show_if`` conditions see: the party's kind and area plus the record's attributes."""
    attrs = {"kind": str(record.business.kind), "area": record.business.area}
    attrs.update(record.attributes)
    return attrs


def _answer_text(item: Item, value: str | None) -> str:
    if value in (None, "") or item.type is AnswerType.TRI:
        return ""
    if item.type is AnswerType.NUMBER and item.unit and value != "不适用":
        return f"{value} {item.unit}"
    return str(value)


def _result_text(item: Item, value: str | None) -> str:
    if value in (None, ""):
        return "未检查"
    result = item.judge(value)
    return "记录" if result is None else result.value


def _rows(
    checklist: Checklist, record: Inspection, attrs: Mapping[str, str], photo_no: Mapping[str, int]
) -> tuple[SectionBlock, ...]:
    values = record.values()
    sections = []
    for section in checklist.sections:
        rows = []
        for item in section.items:
            if not checklist.is_visible(item, values, attrs):
                continue
            answer = record.answers.get(item.code)
            value = answer.value if answer else None
            photos = tuple(photo_no[sha] for sha in (answer.photos if answer else []) if sha in photo_no)
            rows.append(
                ItemRow(
                    code=item.code,
                    text=item.text,
                    key=item.key,
                    result=_result_text(item, value),
                    answer=_answer_text(item, value),
                    note=answer.note if answer else "",
                    photo_numbers=photos,
                    local=item.key and item.key_local,
                )
            )
        if rows:
            sections.append(SectionBlock(section.title, tuple(rows)))
    return tuple(sections)


def _photos(
    checklist: Checklist, record: Inspection, attachments: Mapping[str, Attachment], attrs: Mapping[str, str]
) -> tuple[PhotoBlock, ...]:
    """Photos in checklist order (item photos first), then any other photo attachments by hash."""
    values = record.values()
    linked: list[tuple[str, str, str]] = []  # (sha, item code, item text)
    for item in checklist.visible_items(values, attrs):
        answer = record.answers.get(item.code)
        for sha in answer.photos if answer else []:
            linked.append((sha, item.code, item.text))
    seen = {sha for sha, _, _ in linked}
    extra = sorted(sha for sha, att in attachments.items() if att.kind == "photo" and sha not in seen)
    linked.extend((sha, "", "") for sha in extra)
    photos: list[PhotoBlock] = []
    numbered: set[str] = set()
    for sha, code, text in linked:
        if sha in numbered:
            continue
        numbered.add(sha)
        att = attachments.get(sha) or Attachment(sha256=sha, kind="photo")
        caption = f"{code} {text}".strip() if code else (att.caption or "现场照片")
        if code and att.caption:
            caption += f"（{att.caption}）"
        number = len(photos) + 1
        photos.append(PhotoBlock(number, sha, sha[:SHORT_HASH], caption, code, att.width, att.height))
    return tuple(photos)


def _counts(checklist: Checklist, record: Inspection, attrs: Mapping[str, str]) -> Tally:
    return tally(judge_answers(checklist, record.values(), attrs))


def counts_text(counts: Tally, key_label: str) -> str:
    """共检查X项，其中重点项X项、一般项X项；不符合X项（重点项X项：…；一般项X项：…）；不适用X项。"""
    text = f"共检查 {counts.checked} 项，其中{key_label} {counts.key_checked} 项、一般项 {counts.general_checked} 项；"
    if counts.failed:
        parts = []
        if counts.key_failed:
            parts.append(f"{key_label} {len(counts.key_failed)} 项：{'、'.join(counts.key_failed)}")
        if counts.general_failed:
            parts.append(f"一般项 {len(counts.general_failed)} 项：{'、'.join(counts.general_failed)}")
        text += f"不符合 {len(counts.failed)} 项（{'；'.join(parts)}）"
    else:
        text += "未发现不符合项"
    text += f"；不适用（合理缺项）{counts.not_applicable} 项"
    if counts.unanswered:
        text += f"；未检查 {counts.unanswered} 项"
    return text + "。"


def _failed_items(checklist: Checklist, record: Inspection, counts: Tally) -> tuple[FailedItem, ...]:
    failed = []
    for code in (*counts.key_failed, *counts.general_failed):
        item = checklist.item(code)
        answer = record.answers.get(code)
        basis = item.printed_basis if item.citations else ""
        note = answer.note if answer else ""
        failed.append(FailedItem(code, item.text, item.key, note, basis, item.key and item.key_local))
    return tuple(failed)


def _order(checklist: Checklist, order: RectificationOrder) -> OrderBlock:
    text = checklist.item(order.item_code).text if checklist.has_item(order.item_code) else ""
    hazard = None
    if order.hazard is not None:
        h = order.hazard
        hazard = HazardBlock(h.responsible, h.measures, _day(h.deadline), h.funds, h.emergency_plan)
    return OrderBlock(order.item_code, text, order.requirement, _day(order.deadline), hazard)


def _parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _unrated_reason(checklist: Checklist, record: Inspection, rules: GradeRules) -> str:
    """Why a visit was 不评级, recomputed with the rules as of the finalization day."""
    when = (record.finalized_at or record.started_at).astimezone(CHINA_TZ).date()
    judged = judge_answers(checklist, record.values(), _attributes(record))
    result = catering_grade(
        judged,
        rules,
        today=when,
        licensed_on=_parse_day(record.attributes.get("licensed_on", "")),
        last_incident_on=_parse_day(record.attributes.get("last_incident_on", "")),
    )
    return result.reason if result.grade is Grade.UNRATED else ""


def _grade(checklist: Checklist, record: Inspection, rules: GradeRules) -> GradeBlock | None:
    """The stored 动态等级 with its icon and score; for 不评级 the reason."""
    if not record.grade:
        return None
    try:
        grade: Grade | None = Grade(record.grade)
    except ValueError:
        grade = None
    details = []
    icon = ""
    if grade is Grade.UNRATED:
        reason = _unrated_reason(checklist, record, rules)
        details += [reason] if reason else []
    elif grade is not None:
        icon = grade.icon
        details.append(f"公示图标：{icon}")
    if record.score is not None:
        details.append(f"得分 {record.score:.1f}")
    text = f"动态等级：{record.grade}" + (f"（{'，'.join(details)}）" if details else "")
    return GradeBlock(record.grade, icon, record.score, text)


def _signatures(record: Inspection) -> tuple[SignatureBlock, ...]:
    """Inspectors first (a blank block for any inspector without a signature), then the party."""
    by_role: dict[SignerRole, list[Signature]] = {SignerRole.INSPECTOR: [], SignerRole.PARTY: []}
    for sig in record.signatures:
        by_role[SignerRole(sig.role)].append(sig)
    blocks = [_signature_block(sig, record) for sig in by_role[SignerRole.INSPECTOR]]
    signed = {sig.signer_name for sig in by_role[SignerRole.INSPECTOR]}
    for person in record.inspectors:
        if person.name not in signed:
            blocks.append(SignatureBlock("inspector", "执法人员", person.name, "", False, "", "", ""))
    party = [_signature_block(sig, record) for sig in by_role[SignerRole.PARTY]]
    if not party:
        party = [SignatureBlock("party", "被检查单位负责人", "", "", False, "", "", "")]
    return tuple(blocks + party)


def _signature_block(sig: Signature, record: Inspection) -> SignatureBlock:
    inspector = SignerRole(sig.role) is SignerRole.INSPECTOR
    label = "执法人员" if inspector else "被检查单位负责人"
    note = ""
    if sig.refused:
        names = "、".join(p.name for p in record.inspectors)
        note = f"被检查人拒绝签字。理由：{sig.refusal_reason or '未说明'}；见证人：{sig.witness_name or '无'}；由执法人员{names}现场注明。"
    when = local_display(sig.signed_at) if sig.signed_at else ""
    role = "inspector" if inspector else "party"
    return SignatureBlock(
        role, label, sig.signer_name, sig.image_sha256, sig.refused, note, sig.witness_name, when
    )


def _party(record: Inspection) -> PartyBlock:
    b = record.business
    return PartyBlock(b.name, b.uscc, b.licence_no, b.address, b.responsible, b.phone, str(b.kind))


def build_report(
    record: Inspection,
    checklist: Checklist,
    *,
    attachments: Mapping[str, Attachment] | None = None,
    grade_rules: GradeRules | None = None,
    app_version: str | None = None,
    rule: VerdictRule | None = None,
) -> ReportData:
    """The printed content of ``record`` judged against ``checklist`` (the form version it pins).

    ``attachments`` (sha → Attachment, e.g. from the attachment store) add to or override the record's own
    attachment metadata. Signatures come from the record itself. Verdict, handling and grade are printed as
    stored at finalization; ``grade_rules`` only explain an 不评级; ``rule`` is the verdict rule the record
    names (``record.verdict_rule``), printed with the verdict. ``app_version`` (default: the running app's) is
    printed beside the hash in the footer, so a printed record says which software printed it; it is not part
    of the record, so ``footer`` itself stays the record's own verification line.
    """
    if app_version is None:
        from inspector_app.version import app_version as running_version

        app_version = running_version()
    attrs = _attributes(record)
    atts: dict[str, Attachment] = {**record.attachments, **(attachments or {})}
    photos = _photos(checklist, record, atts, attrs)
    photo_no = {p.sha256: p.number for p in photos}
    counts = _counts(checklist, record, attrs)
    key_label = "严重事故隐患项" if checklist.family is Family.EQUIPMENT else "重点项"
    sha = record.content_hash or compute_hash(record)
    equipment = ""
    if record.equipment_code:
        kind = record.attributes.get("equipment_type", "")
        equipment = f"{kind} 设备代码 {record.equipment_code}".strip()
    correction = ""
    if record.version > 1:
        correction = f"本记录为第 {record.version} 版（更正版本），更正前记录：{record.previous_id or '—'}"
    return ReportData(
        record_id=record.id,
        title=TITLES[checklist.family],
        form_title=f"{checklist.title}（{checklist.id} 第 {checklist.version} 版）",
        document_no=record.document_no,
        inspection_type=str(record.inspection_type),
        status_label=record.status.label,
        version=record.version,
        previous_id=record.previous_id,
        correction_note=correction,
        party=_party(record),
        equipment=equipment,
        inspectors=tuple(InspectorLine(p.name, p.badge_no) for p in record.inspectors),
        time_text=time_span(record.started_at, record.finalized_at),
        place=record.place,
        notice=NOTICE,
        recusal_text=f"被检查单位是否申请回避：{'是' if record.recusal_requested else '否'}",
        accompanying=record.accompanying,
        sections=_rows(checklist, record, attrs, photo_no),
        key_label=key_label,
        key_short="严重隐患" if checklist.family is Family.EQUIPMENT else "重点项",
        counts=counts,
        counts_text=counts_text(counts, key_label),
        failed_items=_failed_items(checklist, record, counts),
        other_findings=record.other_findings,
        verdict=record.verdict,
        handling=record.handling,
        grade=_grade(checklist, record, grade_rules or GradeRules()),
        orders=tuple(_order(checklist, o) for o in record.orders),
        photos=photos,
        signatures=_signatures(record),
        content_hash=sha,
        qr_payload=qr_payload(record.id, sha),
        created_at=record.finalized_at or record.started_at,
        footer=f"记录 SHA-256：{sha}",
        app_version=app_version,
        rule_text=rule_text(record, rule),
        on_spot_fix=record.on_spot_fix,
    )


def rule_text(record: Inspection, rule: VerdictRule | None) -> str:
    """``食品生产/餐饮合格率判定：重点项不符合不超过1项…`` for the rule the record names; empty when it names none."""
    if not record.verdict_rule:
        return ""
    if rule is None or rule.id != record.verdict_rule:
        return f"判定规则编号 {record.verdict_rule}"
    return f"{rule.name}：{rule.describe()}"
