"""``inspector inspections list|show`` — thin wrappers over services."""

from __future__ import annotations

from typing import Any

import click

from inspector_app.cli.common import CliContext, emit_json, emit_table, fail, friendly, json_option, pass_ctx
from inspector_app.core.clock import local_display, utc_iso
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.records import Inspection, content_hash
from inspector_app.core.summaries import InspectionQuery, InspectionSummary

_LIST_COLUMNS = [
    ("id", "记录编号"),
    ("document_no", "文书编号"),
    ("business_name", "被检查单位"),
    ("form_id", "检查表"),
    ("status_label", "状态"),
    ("verdict", "结果"),
    ("started_at", "检查时间"),
]


def summary_row(s: InspectionSummary) -> dict[str, Any]:
    """The JSON shape of one record in ``inspections list``."""
    return {
        "id": s.id,
        "uscc": s.uscc,
        "form_id": s.form_id,
        "form_version": s.form_version,
        "status": s.status.value,
        "verdict": s.verdict,
        "hash": s.content_hash,
        "business_name": s.business_name,
        "version": s.version,
        "document_no": s.document_no,
        "started_at": utc_iso(s.started_at),
    }


def record_dict(record: Inspection, item_order: list[str] | None = None) -> dict[str, Any]:
    """The JSON shape of ``inspections show``: the whole record, results printed as 符合/不符合/不适用."""
    order = {code: n for n, code in enumerate(item_order or [])}
    codes = sorted(record.answers, key=lambda c: (order.get(c, len(order)), c))
    return {
        "id": record.id,
        "version": record.version,
        "previous_id": record.previous_id,
        "status": record.status.value,
        "status_label": record.status.label,
        "document_no": record.document_no,
        "form_id": record.form_id,
        "form_version": record.form_version,
        "inspection_type": record.inspection_type.value,
        "business": vars(record.business).copy(),
        "inspectors": [{"name": i.name, "badge_no": i.badge_no} for i in record.inspectors],
        "started_at": utc_iso(record.started_at),
        "place": record.place,
        "equipment_code": record.equipment_code,
        "attributes": record.attributes,
        "answers": [_answer_dict(record, code) for code in codes],
        "orders": [_order_dict(o) for o in record.orders],
        "signatures": [_signature_dict(s) for s in record.signatures],
        "other_findings": record.other_findings,
        "verdict": record.verdict,
        "verdict_rule": record.verdict_rule,
        "handling": record.handling,
        "on_spot_fix": record.on_spot_fix,
        "grade": record.grade,
        "score": record.score,
        "finalized_at": utc_iso(record.finalized_at) if record.finalized_at else None,
        "hash": record.content_hash,
        "hash_verified": bool(record.content_hash) and record.content_hash == content_hash(record),
    }


def _answer_dict(record: Inspection, code: str) -> dict[str, Any]:
    answer = record.answers[code]
    return {
        "code": code,
        "value": answer.value,
        "result": answer.result.value if answer.result else None,
        "note": answer.note,
        "photos": list(answer.photos),
    }


def _order_dict(order: Any) -> dict[str, Any]:
    hazard = None
    if order.hazard is not None:
        hazard = vars(order.hazard) | {"deadline": order.hazard.deadline.isoformat()}
    return {
        "id": order.id,
        "item_code": order.item_code,
        "requirement": order.requirement,
        "deadline": order.deadline.isoformat(),
        "hazard": hazard,
    }


def _signature_dict(signature: Any) -> dict[str, Any]:
    return {
        "role": signature.role.value,
        "signer_name": signature.signer_name,
        "image_sha256": signature.image_sha256,
        "refused": signature.refused,
        "refusal_reason": signature.refusal_reason,
        "witness_name": signature.witness_name,
        "signed_at": utc_iso(signature.signed_at) if signature.signed_at else None,
    }


def _parse_status(text: str | None) -> RecordStatus | None:
    if not text:
        return None
    for status in RecordStatus:
        if text in (status.value, status.label):
            return status
    options = "、".join(f"{s.value}（{s.label}）" for s in RecordStatus)
    fail(f"未知的记录状态“{text}”，可用：{options}")


@click.group("inspections")
def inspections() -> None:
    """检查记录（列出、查看）。"""


@inspections.command("list")
@click.option(
    "--status", help="按状态筛选：draft/finalized/synced/approved/returned（或中文：草稿、已定稿…）"
)
@click.option("--uscc", default="", help="按统一社会信用代码筛选")
@click.option("--limit", type=click.IntRange(1, 1_000_000), help="最多显示条数")
@json_option
@pass_ctx
@friendly
def list_records(ctx: CliContext, status: str | None, uscc: str, limit: int | None, as_json: bool) -> None:
    """列出检查记录（最新的在前）。"""
    query = InspectionQuery(status=_parse_status(status), uscc=uscc.strip().upper(), limit=limit)
    summaries = ctx.services.inspections.list(query)
    rows = [summary_row(s) for s in summaries]
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("没有符合条件的检查记录。")
        return
    for row, summary in zip(rows, summaries, strict=True):
        row["status_label"] = summary.status.label
        row["started_at"] = local_display(summary.started_at)
    emit_table(rows, _LIST_COLUMNS)


@inspections.command("show")
@click.argument("record_id")
@json_option
@pass_ctx
@friendly
def show(ctx: CliContext, record_id: str, as_json: bool) -> None:
    """查看一份检查记录（含检查项结果、整改要求、签名和内容哈希）。"""
    service = ctx.services.inspections
    record = service.get(record_id.strip())
    items = [item.code for item in service.checklist_of(record).items]
    data = record_dict(record, items)
    if as_json:
        emit_json(data)
        return
    _print_record(data, record)


def _print_record(data: dict[str, Any], record: Inspection) -> None:
    party = record.business
    click.echo(f"检查记录 {data['id']}（第{data['version']}版，{data['status_label']}）")
    click.echo(f"文书编号：{data['document_no'] or '（定稿后生成）'}")
    click.echo(f"被检查单位：{party.name}（{party.uscc}）  地址：{party.address}")
    click.echo(
        f"检查类型：{data['inspection_type']}  检查时间：{local_display(record.started_at)}  地点：{record.place}"
    )
    click.echo("执法人员：" + "、".join(f"{i['name']}（{i['badge_no']}）" for i in data["inspectors"]))
    click.echo(f"检查表：{data['form_id']} 第{data['form_version']}版")
    for answer in data["answers"]:
        note = f"  说明：{answer['note']}" if answer["note"] else ""
        click.echo(f"  {answer['code']}\t{answer['result'] or answer['value'] or '未作答'}{note}")
    for order in data["orders"]:
        click.echo(f"整改要求：{order['item_code']} {order['requirement']}（期限 {order['deadline']}）")
    if data["verdict"]:
        grade = f"  动态等级：{data['grade']}（{data['score']}分）" if data["grade"] else ""
        click.echo(f"检查结果：{data['verdict']}  处理措施：{data['handling']}{grade}")
        if data["on_spot_fix"]:
            click.echo(f"当场整改情况：{data['on_spot_fix']}")
    if data["hash"]:
        state = "一致" if data["hash_verified"] else "不一致（记录可能被篡改）"
        click.echo(f"内容哈希：{data['hash']}（校验{state}）")


commands = [inspections]
