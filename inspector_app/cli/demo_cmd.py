"""``inspector demo`` — fill the data home with the demo registry and demo inspections."""

from __future__ import annotations

import click

from inspector_app.cli.common import CliContext, emit_json, friendly, json_option, pass_ctx
from inspector_app.core.checklist import Family


@click.command("demo")
@click.option(
    "--businesses",
    default=2000,
    show_default=True,
    type=click.IntRange(20, 1_000_000),
    help="生成的市场主体数量",
)
@json_option
@pass_ctx
@friendly
def demo(ctx: CliContext, businesses: int, as_json: bool) -> None:
    """写入演示数据：荆门五个县市区的市场主体名录，以及三类检查表的演示检查记录。"""
    from inspector_app.demo.fill import fill_demo

    summary = fill_demo(ctx.services, businesses)
    if as_json:
        emit_json(summary.to_dict())
        return
    b = summary.businesses
    click.echo(
        f"市场主体：新增 {b.get('imported', 0)}，更新 {b.get('updated', 0)}，未变 {b.get('unchanged', 0)}；"
        f"特种设备 {summary.equipment} 台"
    )
    if summary.inspections_skipped:
        click.echo("已有检查记录，未重复生成演示检查。")
    else:
        click.echo(f"生成演示检查记录 {summary.inspections_created} 份")
    click.echo("按状态：" + "，".join(f"{k} {v}" for k, v in summary.by_status.items()))
    click.echo("按类别：" + "，".join(f"{Family(k).label} {v}" for k, v in summary.by_family.items()))
    click.echo("按结果：" + "，".join(f"{k} {v}" for k, v in summary.by_verdict.items()))
    click.echo(f"待回头看任务：{summary.open_followups} 项")


commands = [demo]
