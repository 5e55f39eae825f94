"""``inspector registry …`` — import, list, show and search the registry of 市场主体."""

from __future__ import annotations

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
from inspector_app.core.registry import Business, Equipment, business_fields

_COLUMNS = [
    ("uscc", "统一社会信用代码"),
    ("name", "主体名称"),
    ("kind", "主体类型"),
    ("area", "辖区"),
    ("responsible", "负责人"),
    ("phone", "联系电话"),
    ("risk_grade", "风险等级"),
]
_EQUIPMENT_COLUMNS = [
    ("code", "设备代码"),
    ("type", "设备种类"),
    ("registration_no", "使用登记证号"),
    ("next_inspection", "下次检验日期"),
    ("location", "安装位置"),
]
_limit_option = click.option(
    "--limit", default=50, show_default=True, type=click.IntRange(1, 100000), help="最多显示条数"
)


def business_row(business: Business) -> dict[str, Any]:
    """The JSON shape of a business in every registry command."""
    return business_fields(business)


def equipment_row(item: Equipment) -> dict[str, Any]:
    return {
        "code": item.code,
        "type": item.type.value,
        "registration_no": item.registration_no,
        "next_inspection": item.next_inspection.isoformat() if item.next_inspection else None,
        "location": item.location,
    }


def _print_businesses(businesses: list[Business], as_json: bool, empty: str) -> None:
    rows = [business_row(b) for b in businesses]
    if as_json:
        emit_json(rows)
    elif not rows:
        click.echo(empty)
    else:
        emit_table(rows, _COLUMNS)


@click.group("registry")
def registry() -> None:
    """市场主体登记库（导入名录、列出、查看、搜索）。"""


@registry.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@json_option
@pass_ctx
@friendly
def import_(ctx: CliContext, file: str, as_json: bool) -> None:
    """从 CSV（UTF-8 或 GBK）或 XLSX 文件导入市场主体名录 FILE（按统一社会信用代码更新，不会重复）。"""
    bar = ProgressBar("导入中", enabled=not as_json)
    try:
        report = ctx.services.registry.import_file(file, progress=bar)
    finally:
        bar.close()
    if as_json:
        emit_json(report.to_dict())
        return
    click.echo(
        f"导入完成：新增 {report.imported} 户，更新 {report.updated} 户，未变 {report.unchanged} 户，"
        f"拒绝 {len(report.rejected)} 行，文件内重复 {len(report.duplicates)} 行。"
    )
    for item in report.rejected:
        click.echo(f"  第{item['row']}行 未导入：{item['reason']}")
    for item in report.duplicates:
        click.echo(f"  第{item['row']}行 与前面的行统一社会信用代码重复（{item['uscc']}），已忽略")


@registry.command("list")
@json_option
@_limit_option
@click.option("--offset", default=0, type=click.IntRange(0), help="跳过前若干条（分页）")
@pass_ctx
@friendly
def list_(ctx: CliContext, as_json: bool, limit: int, offset: int) -> None:
    """按名称顺序列出登记库中的市场主体。"""
    _print_businesses(
        ctx.services.registry.list(limit, offset),
        as_json,
        "登记库为空。可用 inspector registry import 导入名录。",
    )


@registry.command("show")
@click.argument("uscc")
@json_option
@pass_ctx
@friendly
def show(ctx: CliContext, uscc: str, as_json: bool) -> None:
    """显示统一社会信用代码为 USCC 的市场主体（含特种设备）。"""
    business = ctx.services.registry.get(uscc)
    equipment = [equipment_row(e) for e in ctx.services.registry.equipment_of(business.uscc)]
    row = business_row(business)
    if as_json:
        emit_json({**row, "equipment": equipment})
        return
    titles = dict(_COLUMNS) | {"address": "经营地址", "licence_no": "许可证号", "credit_score": "信用分"}
    for key, value in row.items():
        if key in titles:
            click.echo(f"{titles[key]}：{'' if value is None else value}")
    if equipment:
        click.echo(f"特种设备（{len(equipment)} 台）：")
        emit_table(equipment, _EQUIPMENT_COLUMNS)


@registry.command("search")
@click.argument("query")
@json_option
@_limit_option
@pass_ctx
@friendly
def search(ctx: CliContext, query: str, as_json: bool, limit: int) -> None:
    """按名称（可只输一两个字）、统一社会信用代码前缀或拼音首字母（如 hsdj）搜索。"""
    _print_businesses(
        ctx.services.registry.search(query, limit), as_json, f"没有找到与「{query}」匹配的市场主体。"
    )


commands = [registry]
