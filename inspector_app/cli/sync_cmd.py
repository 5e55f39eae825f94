"""``inspector sync enroll|push|pull|status|export|import`` — thin wrappers over ``services.sync``.

Runs that leave something not synced (an item refused or deferred, HQ unreachable, an item from HQ refused)
print why and exit 1, so a script or a scheduled task never mistakes a partial sync for a complete one.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from inspector_app.cli.common import (
    CliContext,
    ProgressBar,
    emit_json,
    emit_table,
    friendly,
    json_option,
    pass_ctx,
)
from inspector_app.core.clock import local_display, utc_iso
from inspector_app.core.outbox import OutboxItem, PullReport, PushReport, SyncStatus

_QUEUE_COLUMNS = [
    ("kind_label", "类别"),
    ("document_no", "文书编号"),
    ("business_name", "被检查单位"),
    ("state_label", "状态"),
    ("attempts", "尝试次数"),
    ("last_attempt", "上次尝试"),
    ("last_error", "最后错误"),
]


def _when(moment: Any) -> str | None:
    return utc_iso(moment) if moment else None


def item_row(item: OutboxItem) -> dict[str, Any]:
    """The JSON shape of one outbox item in ``sync status --json``."""
    return {
        "id": item.item_id,
        "kind": item.kind.value,
        "kind_label": item.kind.label,
        "record_id": item.record_id,
        "document_no": item.document_no,
        "business_name": item.business_name,
        "state": item.state.value,
        "state_label": item.state.label,
        "attempts": item.attempts,
        "last_error": item.last_error,
        "last_attempt_at": _when(item.last_attempt_at),
        "last_attempt": local_display(item.last_attempt_at) if item.last_attempt_at else "",
        "next_attempt_at": _when(item.next_attempt_at),
        "synced_at": _when(item.synced_at),
        "exported_at": _when(item.exported_at),
        "exported_to": item.exported_to,
    }


def status_dict(status: SyncStatus) -> dict[str, Any]:
    data = dict(status.__dict__)
    for key in ("last_success_at", "last_attempt_at", "last_error_at"):
        data[key] = _when(data[key])
    return {**data, "waiting": status.waiting}


@click.group("sync")
def sync() -> None:
    """与总部同步：登记本机、上传记录与审核决定、拉取审核结果与名录更新、U 盘同步包。"""


@sync.command("enroll")
@click.option("--to", "url", required=True, help="总部地址，如 https://hq.jingmen.example:8750")
@click.option("--code", required=True, help="总部管理员用 inspector-hq enroll 生成的一次性登记码")
@click.option(
    "--ca-cert", default="", type=click.Path(dir_okay=False), help="总部使用自建证书时，其 CA 证书文件"
)
@json_option
@pass_ctx
@friendly
def enroll(ctx: CliContext, url: str, code: str, ca_cert: str, as_json: bool) -> None:
    """用一次性登记码把本机登记到总部（登记后才能同步）。"""
    enrolment = ctx.services.sync.enroll(url, code, ca_file=ca_cert)
    if as_json:
        data = enrolment.to_dict()
        data.pop("token")  # secret: stays in the data home
        emit_json({**data, "hq_url": url})
        return
    area = f"，辖区 {enrolment.area}" if enrolment.area else ""
    click.echo(
        f"已登记到 {enrolment.hq.name}（{url}）：本机名称“{enrolment.device_name}”，"
        f"角色 {enrolment.role}{area}。现在可以运行 inspector sync push / pull。"
    )


def _report(report: PushReport | PullReport, as_json: bool) -> None:
    """Print a run's outcome (summary, then one line per warning or problem); exit 1 unless all went through."""
    if as_json:
        emit_json(report.to_dict())
    else:
        click.echo(report.summary())
        for line in [*getattr(report, "warnings", []), *report.errors]:
            click.echo(f"  {line}")
    if not report.ok:
        sys.exit(1)


@sync.command("push")
@click.option("--retry-failed", is_flag=True, help="先把被总部拒收的项目重新排队（冲突项除外），再上传")
@json_option
@pass_ctx
@friendly
def push(ctx: CliContext, retry_failed: bool, as_json: bool) -> None:
    """把待上传的检查记录和审核决定按签章顺序上传到总部（仅在收到总部回执后标记为已同步）。"""
    if retry_failed:
        ctx.services.sync.retry_failed()
    bar = ProgressBar("上传中", enabled=not as_json)
    try:
        report = ctx.services.sync.push(progress=bar)
    finally:
        bar.close()
    _report(report, as_json)


@sync.command("pull")
@json_option
@pass_ctx
@friendly
def pull(ctx: CliContext, as_json: bool) -> None:
    """从总部拉取审核决定、主体名录更新（审核人设备还会收到本辖区其他设备的记录）。"""
    _report(ctx.services.sync.pull(), as_json)


@sync.command("status")
@click.option("--all", "show_all", is_flag=True, help="也列出已同步的项目")
@json_option
@pass_ctx
@friendly
def status(ctx: CliContext, show_all: bool, as_json: bool) -> None:
    """同步状态：待上传数量、上次成功与最后错误，以及每个待上传项目的状态和最后错误。"""
    service = ctx.services.sync
    state = service.status()
    items = [item_row(i) for i in service.items(include_synced=show_all)]
    problems = [
        {"id": p.item_id, "kind": p.kind, "record_id": p.record_id, "error": p.error,
         "received_at": utc_iso(p.received_at)}
        for p in service.problems()
    ]  # fmt: skip
    if as_json:
        emit_json({**status_dict(state), "items": items, "received_problems": problems})
        return
    if state.enrolled:
        click.echo(
            f"总部：{state.hq_name}（{state.hq_url}），本机名称“{state.device_name}”，角色 {state.role}"
        )
    else:
        click.echo("本机尚未登记到总部（inspector sync enroll --to 地址 --code 登记码）。")
    last = local_display(state.last_success_at) if state.last_success_at else "从未"
    click.echo(
        f"上次成功同步：{last}；待上传 {state.pending} 项，被拒收 {state.failed} 项，冲突 {state.conflict} 项，"
        f"已同步 {state.synced} 项。"
    )
    if state.last_error:
        when = local_display(state.last_error_at) if state.last_error_at else ""
        click.echo(f"最后错误（{when}）：{state.last_error}")
    if items:
        emit_table(items, _QUEUE_COLUMNS)
    for problem in problems:
        click.echo(f"  收到但未采用的{problem['kind']} {problem['id']}：{problem['error']}")


@sync.command("export")
@click.option("--bundle", "path", required=True, type=click.Path(dir_okay=False), help="写出的同步包文件")
@json_option
@pass_ctx
@friendly
def export(ctx: CliContext, path: str, as_json: bool) -> None:
    """把所有待上传的记录、审核决定和附件写入一个签名的同步包（无网络时用 U 盘带到总部导入）。"""
    report = ctx.services.sync.export_bundle(path)
    if as_json:
        emit_json(report.to_dict())
    else:
        click.echo(report.summary())


@sync.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@json_option
@pass_ctx
@friendly
def import_(ctx: CliContext, path: str, as_json: bool) -> None:
    """导入总部为本机导出的同步包（审核决定、名录更新、辖区记录）；损坏或被改动的包整体拒收。"""
    _report(ctx.services.sync.import_bundle(path), as_json)


commands = [sync]
