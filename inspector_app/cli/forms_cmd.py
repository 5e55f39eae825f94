"""``inspector forms list|show|validate|citations`` — the shipped checklists and their legal citations."""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from inspector_app.cli.common import emit_json, emit_table, friendly, json_option
from inspector_app.core.checklist import Checklist, Item
from inspector_app.forms.library import count_checklists, load_library, validate_paths


def checklist_summary(checklist: Checklist) -> dict[str, Any]:
    return {
        "id": checklist.id,
        "version": checklist.version,
        "family": checklist.family.value,
        "title": checklist.title,
        "items": len(checklist.items),
    }


def item_dict(item: Item) -> dict[str, Any]:
    data = asdict(item)
    data["type"] = item.type.value
    data["show_if"] = [{k: v for k, v in asdict(c).items() if v is not None} for c in item.show_if]
    return data


def checklist_dict(checklist: Checklist) -> dict[str, Any]:
    return {
        **checklist_summary(checklist),
        "description": checklist.description,
        "grading": checklist.grading,
        "applies_to": {
            "business_kinds": list(checklist.business_kinds),
            "equipment_types": list(checklist.equipment_types),
        },
        "sections": [
            {"title": s.title, "items": [item_dict(i) for i in s.items]} for s in checklist.sections
        ],
    }


@click.group()
def forms() -> None:
    """检查表（检查要点表）：列出、查看、校验。"""


@forms.command("list")
@json_option
@friendly
def list_forms(as_json: bool) -> None:
    """列出全部检查表（每个编号的最新版本）。"""
    rows = [checklist_summary(c) for c in load_library().all()]
    if as_json:
        emit_json(rows)
    else:
        emit_table(
            rows,
            [("id", "编号"), ("version", "版本"), ("family", "类别"), ("items", "项数"), ("title", "名称")],
        )


@forms.command("show")
@click.argument("form_id")
@click.option("--version", type=int, default=None, help="指定版本（默认最新版本）")
@json_option
@friendly
def show_form(form_id: str, version: int | None, as_json: bool) -> None:
    """显示一张检查表的全部检查项。"""
    checklist = load_library().get(form_id, version)
    if as_json:
        emit_json(checklist_dict(checklist))
        return
    click.echo(f"{checklist.title}（{checklist.id} 第{checklist.version}版，{checklist.family.label}）")
    for section in checklist.sections:
        click.echo(f"\n{section.title}")
        for item in section.items:
            star = item.key_mark.ljust(2, " ") if item.key else "  "
            click.echo(f"  {star}{item.code} {item.text}\n      依据：{item.printed_basis}")
            if item.reference_note:
                click.echo(f"      参照（非依据）：{item.reference_note}")


@forms.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate_forms(paths: tuple[Path, ...]) -> None:
    """校验检查表文件（默认校验全部随附的检查表）；有错误时逐条列出并以 1 退出。"""
    from inspector_app.paths import FORMS_DIR

    targets = list(paths) or [FORMS_DIR]
    problems = validate_paths(targets)
    if not problems and count_checklists(targets) == 0:
        click.echo(
            "没有找到任何检查表文件，未做任何检查。检查表应放在目录下按类别分的子目录中"
            "（如 food/xxx.yaml），请检查路径。",
            err=True,
        )
        sys.exit(1)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"共 {len(problems)} 处错误。", err=True)
        sys.exit(1)
    click.echo("全部检查表有效。", err=True)


@forms.command("citations")
@click.option(
    "--status", "status", type=click.Choice(["已核对原文", "已核实", "待核实"]), help="只列出该状态的引用"
)
@click.option("--form", "form_id", default=None, help="只列出一张检查表（编号）")
@json_option
@friendly
def list_citations(status: str | None, form_id: str | None, as_json: bool) -> None:
    """列出每个检查项引用的法律条款及核实状态（供法制人员复核）；原文已收录而核对不符的，以 1 退出。"""
    from inspector_app.forms.citations import citation_report

    library = load_library()
    checklists = [library.get(form_id)] if form_id else None
    report = citation_report(library, checklists)
    rows: list[dict[str, Any]] = [
        {**row.as_dict(), "forms": list(forms)}
        for row, forms in report.distinct()
        if status is None or row.status.value == status
    ]
    counts = report.counts()
    if as_json:
        emit_json({"counts": counts, "citations": rows})
    else:
        for row in rows:
            where = "、".join(row["forms"])
            problem = f"　✗ {row['problem']}" if row["problem"] else ""
            click.echo(
                f"{row['item']}\t{row['role']}\t{row['title']}{row['locator']}\t{row['status']}\t{where}{problem}"
            )
        click.echo(
            f"共 {counts['citations']} 条引用（{counts['items']} 个检查项）：已核对原文 {counts['checked']} 条，"
            f"原文未收录 {counts['not_held']} 条（已核实 {counts['verified']}、待核实 {counts['unverified']}）；"
            f"核对不符 {counts['failed']} 条。",
            err=True,
        )
    if counts["failed"]:
        sys.exit(1)


commands = [forms]
