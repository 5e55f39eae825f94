"""The plan's way of working on the command line: ``inspector draw`` (see draw_cmd), ``inspector risk``,
``inspector complaints`` and ``inspector followups`` — thin wrappers over the services."""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from inspector_app.cli.common import CliContext, emit_json, emit_table, friendly, json_option, pass_ctx
from inspector_app.cli.draw_cmd import draw
from inspector_app.core.accounts import SYSTEM_USER
from inspector_app.core.clock import local_today
from inspector_app.core.errors import ValidationError
from inspector_app.core.planning import OrderTask
from inspector_app.core.risk import COMPLAINT_LABELS


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{option} 的日期“{text}”格式不正确，应为 YYYY-MM-DD") from None


@click.group("risk")
def risk() -> None:
    """风险等级（A–D）：按检查历史、整改、投诉等计算，决定双随机抽取的机会。"""


@risk.command("show")
@click.argument("uscc")
@json_option
@pass_ctx
@friendly
def risk_show(ctx: CliContext, uscc: str, as_json: bool) -> None:
    """一户主体的风险等级及每一项理由。"""
    service = ctx.services.risk
    result = service.assess(uscc)
    if as_json:
        emit_json({"uscc": uscc, "grade": result.grade, "points": result.points, "since": result.since.isoformat(),
                   "reasons": [{"text": r.text, "points": r.points} for r in result.reasons]})  # fmt: skip
        return
    click.echo(result.explanation(service.rules))
    for reason in result.reasons:
        click.echo(f"  {reason.points:+d}  {reason.text}")


@risk.command("summary")
@click.option("--area", default="", help="只统计该辖区")
@json_option
@pass_ctx
@friendly
def risk_summary(ctx: CliContext, area: str, as_json: bool) -> None:
    """各风险等级的主体户数。"""
    counts = ctx.services.risk.distribution(area)
    if as_json:
        emit_json(counts)
    else:
        emit_table(
            [{"grade": g, "count": n} for g, n in counts.items()], [("grade", "风险等级"), ("count", "户数")]
        )


@click.group("complaints")
def complaints() -> None:
    """投诉举报：登记并记录核查结果（计入风险等级；摘要不公开）。"""


@complaints.command("add")
@click.argument("uscc")
@click.option("--date", "received", required=True, help="受理日期 YYYY-MM-DD")
@click.option("--channel", default="12315", show_default=True, help="受理渠道")
@click.option("--summary", required=True, help="摘要（不要写入投诉人的个人信息）")
@click.option(
    "--status",
    default="pending",
    show_default=True,
    help="pending 待核查 / substantiated 属实 / unfounded 不属实",
)
@pass_ctx
@friendly
def complaints_add(
    ctx: CliContext, uscc: str, received: str, channel: str, summary: str, status: str
) -> None:
    """登记一件投诉举报。"""
    complaint = ctx.services.complaints.record(
        SYSTEM_USER, uscc, _day(received, "--date"), channel, summary, status
    )
    click.echo(f"已登记投诉举报 {complaint.id}")


@complaints.command("resolve")
@click.argument("complaint_id")
@click.argument("status")
@pass_ctx
@friendly
def complaints_resolve(ctx: CliContext, complaint_id: str, status: str) -> None:
    """记录核查结果：substantiated（经查属实）或 unfounded（经查不属实）。"""
    complaint = ctx.services.complaints.set_status(SYSTEM_USER, complaint_id, status)
    click.echo(f"投诉举报 {complaint.id}：{COMPLAINT_LABELS[complaint.status]}")


@complaints.command("list")
@click.argument("uscc", required=False, default="")
@json_option
@pass_ctx
@friendly
def complaints_list(ctx: CliContext, uscc: str, as_json: bool) -> None:
    """列出投诉举报（可只看一户）。"""
    rows = [
        {"id": c.id, "uscc": c.uscc, "received_on": c.received_on.isoformat(), "channel": c.channel,
         "status": c.status, "status_label": COMPLAINT_LABELS[c.status], "summary": c.summary}
        for c in ctx.services.complaints.list(uscc)
    ]  # fmt: skip
    if as_json:
        emit_json(rows)
    else:
        emit_table(rows, [("id", "编号"), ("uscc", "统一社会信用代码"), ("received_on", "受理日期"),
                          ("channel", "渠道"), ("status_label", "核查结果"), ("summary", "摘要")])  # fmt: skip


def _task_row(task: OrderTask, today: date) -> dict[str, Any]:
    return {
        "followup_id": task.followup_id,
        "inspection_id": task.inspection_id,
        "document_no": task.document_no,
        "uscc": task.uscc,
        "business_name": task.business_name,
        "area": task.area,
        "item_code": task.item_code,
        "requirement": task.requirement,
        "due_date": task.due_date.isoformat(),
        "days_overdue": task.days_overdue(today),
        "status": task.status,
        "outcome": task.outcome.value if task.outcome else "",
        "outcome_label": task.outcome.label if task.outcome else "",
    }


@click.command("followups")
@click.option("--overdue", "which", flag_value="overdue", help="只列逾期未整改的")
@click.option("--due-soon", "which", flag_value="due_soon", help="只列 7 天内到期的")
@click.option("--escalated", "which", flag_value="escalated", help="只列回头看仍未整改、移交处理的")
@click.option("--area", default="", help="只看该辖区")
@json_option
@pass_ctx
@friendly
def followups(ctx: CliContext, which: str | None, area: str, as_json: bool) -> None:
    """回头看任务：每项整改要求在期限到期时需回头看（默认列出全部未回头看的）。"""
    service = ctx.services.followups
    today = local_today(ctx.services.clock)
    if which == "overdue":
        tasks = service.overdue(SYSTEM_USER, today, area)
    elif which == "due_soon":
        tasks = [t for t in service.due_soon(SYSTEM_USER, today) if not area or t.area == area]
    elif which == "escalated":
        tasks = service.escalated(SYSTEM_USER, area)
    else:
        tasks = service.open_tasks(SYSTEM_USER, area)
    rows = [_task_row(t, today) for t in tasks]
    if as_json:
        emit_json(rows)
    else:
        emit_table(rows, [("document_no", "文书编号"), ("business_name", "被检查单位"), ("item_code", "检查项"),
                          ("requirement", "整改要求"), ("due_date", "整改期限"), ("days_overdue", "逾期天数"),
                          ("outcome_label", "回头看结论")])  # fmt: skip


commands = [draw, risk, complaints, followups]
