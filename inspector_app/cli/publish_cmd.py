"""``inspector publish`` — export inspection results for 结果公示 (CSV or XLSX, without personal data)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from inspector_app.cli.common import CliContext, emit_json, friendly, json_option, pass_ctx
from inspector_app.core.accounts import SYSTEM_USER
from inspector_app.core.errors import ValidationError


def _parse_day(text: str | None, option: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            f"{option} 的日期“{text}”格式不正确，应为 YYYY-MM-DD，例如 2026-03-01"
        ) from None


@click.command("publish")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True,
    help="导出格式：csv（UTF-8 带 BOM，Excel 可直接打开）或 xlsx",
)  # fmt: skip
@click.option("-o", "--out", "out", required=True, type=click.Path(dir_okay=False), help="输出文件")
@click.option("--since", default=None, help="起始检查日期（含），格式 YYYY-MM-DD")
@click.option("--until", default=None, help="截止检查日期（含），格式 YYYY-MM-DD")
@click.option(
    "--approved-only", is_flag=True, help="只导出已审核通过的记录（默认含已定稿、已同步、已审核通过）"
)
@json_option
@pass_ctx
@friendly
def publish(
    ctx: CliContext,
    fmt: str,
    out: str,
    since: str | None,
    until: str | None,
    approved_only: bool,
    as_json: bool,
) -> None:
    """导出检查结果公示表（不含电话、身份证号、执法证号、负责人及检查人员姓名）。"""
    count = ctx.services.publish.export(
        SYSTEM_USER,
        fmt,
        Path(out),
        since=_parse_day(since, "--since"),
        until=_parse_day(until, "--until"),
        approved_only=approved_only,
    )
    if as_json:
        emit_json({"format": fmt, "out": str(Path(out).resolve()), "rows": count})
    else:
        click.echo(f"已导出 {count} 条检查结果到 {out}")


commands = [publish]
