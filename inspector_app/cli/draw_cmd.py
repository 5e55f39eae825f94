"""``inspector draw`` — 双随机 draws: draw (same inputs → same bytes), verify, save, list, show, export, snapshot,
conflicts of interest. Thin wrappers over :class:`~inspector_app.services.draws.DrawService`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from inspector_app.cli.common import CliContext, emit_json, emit_table, fail, friendly, json_option, pass_ctx
from inspector_app.core.accounts import SYSTEM_USER
from inspector_app.core.clock import local_display
from inspector_app.core.draw_params import GRADES
from inspector_app.core.errors import ValidationError
from inspector_app.core.planning import VisitState
from inspector_app.services.draws import DrawPreview, DrawRequest


def parse_weights(text: str | None) -> dict[str, int] | None:
    """``A=1,B=2,C=4,D=8`` → {"A": 1, …}."""
    if not text:
        return None
    weights: dict[str, int] = {}
    for part in text.replace("，", ",").split(","):
        grade, _, value = part.partition("=")
        grade = grade.strip().upper()
        if grade not in GRADES or not value.strip().isdigit():
            raise ValidationError(f"--weights 的“{part}”格式不正确，应为 A=1,B=2,C=4,D=8")
        weights[grade] = int(value)
    return weights


def _write_or_echo(data: bytes, out: str | None) -> None:
    if out:
        Path(out).write_bytes(data + b"\n")
        click.echo(f"已写入 {out}", err=True)
    else:
        click.echo(data.decode("utf-8"))


def _print_preview(ctx: CliContext, preview: DrawPreview) -> None:
    result = preview.result
    names = ctx.services.draws.inspector_names([i for t in result.targets for i in t.inspectors])
    teams = {t.uscc: t.inspectors for t in result.targets}
    click.echo(f"随机种子：{result.seed}")
    click.echo(f"名录快照 SHA-256：{result.registry_hash}")
    click.echo(f"抽取结果 SHA-256：{result.sha256}")
    click.echo(f"从 {result.population} 户中抽取 {result.size} 户，抽中 {len(result.targets)} 户")
    rows = [
        {
            "position": t.position,
            "uscc": t.uscc,
            "name": t.business_name,
            "area": t.area,
            "grade": t.risk_grade,
            "team": "、".join(names[i] for i in teams[t.uscc]),
        }
        for t in preview.targets
    ]
    columns = [("position", "序号"), ("uscc", "统一社会信用代码"), ("name", "主体名称"), ("area", "辖区"),
               ("grade", "风险等级"), ("team", "检查人员")]  # fmt: skip
    emit_table(rows, columns)


@click.group("draw", invoke_without_command=True)
@click.option("--seed", help="公开的随机种子（文字，如摇号结果）；同样的种子、名录与参数总是得到同样的结果")
@click.option("--size", type=int, help="抽取户数")
@click.option("--ratio", help="抽取比例，如 0.05（与 --size 同时给出时取较少者）")
@click.option("--kind", "kinds", multiple=True, help="主体类型（可多次给出），如 小餐饮")
@click.option("--area", "areas", multiple=True, help="辖区（可多次给出），如 东宝区")
@click.option("--grade", "grades", multiple=True, help="只抽这些风险等级（可多次给出），如 C")
@click.option("--not-inspected-since", help="只抽该日期（YYYY-MM-DD）以来未检查过的主体")
@click.option("--from", "window_from", help="检查期限起始日 YYYY-MM-DD")
@click.option("--to", "window_to", help="检查期限截止日 YYYY-MM-DD（分配任务的到期日）")
@click.option("--title", default="", help="抽查名称，如 2026年3月东宝区小餐饮抽查")
@click.option("--weights", help="风险等级抽取权重，如 A=1,B=2,C=4,D=8（默认取 forms/risk.yaml）")
@click.option("--team-size", type=int, help="每户检查人员数（默认 2）")
@click.option("--keep-last", is_flag=True, default=None, help="不回避上次检查该主体的人员")
@click.option("--max-per-inspector", type=int, help="每名检查人员最多分配户数（0 为不限）")
@click.option("--save", is_flag=True, help="确认并保存：生成抽查文书和检查人员的任务")
@click.option("-o", "--out", type=click.Path(dir_okay=False), help="把 JSON 写入文件而不是屏幕")
@json_option
@click.pass_context
@friendly
def draw(click_ctx: click.Context, **options: Any) -> None:
    """双随机抽取：按风险等级加权抽取检查对象，并为每户随机匹配辖区内的检查人员。

    --json 输出抽取结果（规范 JSON）：相同的种子、名录与参数总是输出完全相同的字节，可用 inspector draw verify 复核。
    """
    if click_ctx.invoked_subcommand is not None:
        return
    if not options["seed"]:
        fail(
            "请用 --seed 给出公开的随机种子，并用 --size 或 --ratio 给出抽取数量（inspector draw --help）", 2
        )
    ctx: CliContext = click_ctx.find_object(CliContext)  # type: ignore[assignment]
    request = DrawRequest(
        seed=options["seed"],
        size=options["size"],
        ratio=options["ratio"],
        areas=options["areas"],
        kinds=options["kinds"],
        grades=options["grades"],
        not_inspected_since=options["not_inspected_since"],
        window_from=options["window_from"],
        window_to=options["window_to"],
        title=options["title"],
        weights=parse_weights(options["weights"]),
        team_size=options["team_size"],
        exclude_last_inspectors=False if options["keep_last"] else None,
        max_per_inspector=options["max_per_inspector"],
    )
    draws = ctx.services.draws
    preview = draws.preview(SYSTEM_USER, request)
    for warning in preview.warnings:
        click.echo(f"注意：{warning}", err=True)
    data = preview.result.canonical_bytes()
    if options["save"]:
        saved = draws.confirm(SYSTEM_USER, preview)
        data = draws.document(saved.id).canonical_bytes()
        click.echo(f"已保存抽查 {saved.id}（{saved.targets} 户），检查人员可在首页看到任务", err=True)
    if options["as_json"] or options["out"]:
        _write_or_echo(data, options["out"])
    else:
        _print_preview(ctx, preview)


@draw.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--snapshot", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="抽查时的名录快照文件"
)
@json_option
@pass_ctx
@friendly
def verify(ctx: CliContext, file: Path, snapshot: Path | None, as_json: bool) -> None:
    """复核抽查结果：重新计算并逐字节比对；一致时以 0 退出，否则以 1 退出并说明差异。"""
    check = ctx.services.draws.verify(file.read_bytes(), snapshot.read_bytes() if snapshot else None)
    if as_json:
        emit_json({"matches": check.matches, "problems": list(check.problems), "snapshot": check.snapshot_source,
                   "result_sha256": check.result.sha256})  # fmt: skip
    elif check.matches:
        sources = {"file": "所给快照文件", "saved": "本机保存的快照", "registry": "当前名录"}
        click.echo(f"一致：按{sources[check.snapshot_source]}重新抽取，结果与 {file.name} 完全相同。")
    else:
        click.echo(f"不一致：{file.name} 与重新抽取的结果不同：", err=True)
        for problem in check.problems:
            click.echo(f"  - {problem}", err=True)
    if not check.matches:
        sys.exit(1)


@draw.command("list")
@json_option
@pass_ctx
@friendly
def list_draws(ctx: CliContext, as_json: bool) -> None:
    """已保存的抽查。"""
    rows = [
        {"id": d.id, "title": d.title, "created_at": local_display(d.created_at), "targets": d.targets,
         "window_to": d.window_to.isoformat() if d.window_to else "", "seed": d.seed, "origin": d.origin}
        for d in ctx.services.draws.list()
    ]  # fmt: skip
    if as_json:
        emit_json(rows)
    else:
        emit_table(rows, [("id", "抽查编号"), ("title", "名称"), ("created_at", "抽取时间"), ("targets", "户数"),
                          ("window_to", "截止日"), ("seed", "随机种子")])  # fmt: skip


@draw.command("show")
@click.argument("draw_id")
@json_option
@pass_ctx
@friendly
def show(ctx: CliContext, draw_id: str, as_json: bool) -> None:
    """一次抽查：--json 输出可携带的抽查文书（HQ 发布、笔记本拉取）；否则列出抽查对象与检查进度。"""
    draws = ctx.services.draws
    if as_json:
        click.echo(draws.document(draw_id).canonical_bytes().decode("utf-8"))
        return
    stored = draws.get(draw_id)
    teams = draws.teams(draw_id)
    names = draws.inspector_names([i for team in teams.values() for i in team])
    visits = draws.visits(draw_id)
    progress = draws.progress(draw_id)
    click.echo(f"{stored.title or '（未命名抽查）'}  {stored.id}")
    click.echo(f"已检查 {progress.done} / {progress.total}，检查中 {progress.in_progress}")
    rows = []
    for t in draws.targets(draw_id):
        visit = visits.get(t.uscc)
        state = VisitState.PENDING if visit is None else visit.state
        rows.append({"position": t.position, "uscc": t.uscc, "name": t.business_name, "area": t.area,
                     "team": "、".join(names[i] for i in teams.get(t.uscc, ())), "state": state.label,
                     "verdict": visit.verdict if visit else ""})  # fmt: skip
    emit_table(rows, [("position", "序号"), ("uscc", "统一社会信用代码"), ("name", "主体名称"), ("area", "辖区"),
                      ("team", "检查人员"), ("state", "状态"), ("verdict", "结果")])  # fmt: skip


@draw.command("export")
@click.argument("draw_id")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "pdf"]), default="pdf", show_default=True)
@click.option("-o", "--out", required=True, type=click.Path(dir_okay=False), help="输出文件")
@click.option("--results", is_flag=True, help="同时公示检查结果（检查日期、结论、处理措施、文书编号）")
@pass_ctx
@friendly
def export(ctx: CliContext, draw_id: str, fmt: str, out: str, results: bool) -> None:
    """公开：导出抽查对象名单（或检查结果），不含检查人员等个人信息。"""
    count = ctx.services.draws.export(SYSTEM_USER, draw_id, fmt, Path(out), with_results=results)
    click.echo(f"已导出 {count} 户到 {out}")


@draw.command("snapshot")
@click.argument("draw_id", required=False)
@click.option("-o", "--out", required=True, type=click.Path(dir_okay=False), help="输出文件")
@pass_ctx
@friendly
def snapshot(ctx: CliContext, draw_id: str | None, out: str) -> None:
    """导出名录快照（规范 JSON，其 SHA-256 即抽查结果中的 registry_hash）；不给编号时导出当前名录。"""
    draws = ctx.services.draws
    data = draws.snapshot_bytes(draw_id) if draw_id else draws.snapshot().canonical_bytes
    Path(out).write_bytes(data)
    import hashlib

    click.echo(f"已导出名录快照到 {out}（SHA-256 {hashlib.sha256(data).hexdigest()}）")


@draw.group("conflicts")
def conflicts() -> None:
    """回避声明：检查人员与主体有利害关系时，不会被抽中检查该主体。"""


@conflicts.command("list")
@click.option("--all", "include_withdrawn", is_flag=True, help="包括已撤回的声明")
@json_option
@pass_ctx
@friendly
def list_conflicts(ctx: CliContext, include_withdrawn: bool, as_json: bool) -> None:
    """列出回避声明。"""
    draws = ctx.services.draws
    found = draws.conflicts(SYSTEM_USER, include_withdrawn=include_withdrawn)
    names = draws.inspector_names([c.inspector_id for c in found])
    rows = [
        {"id": c.id, "inspector_id": c.inspector_id, "inspector": names[c.inspector_id], "uscc": c.uscc,
         "reason": c.reason, "declared_at": local_display(c.declared_at), "active": c.active}
        for c in found
    ]  # fmt: skip
    if as_json:
        emit_json(rows)
    else:
        emit_table(rows, [("id", "编号"), ("inspector", "检查人员"), ("uscc", "统一社会信用代码"), ("reason", "理由"),
                          ("declared_at", "申报时间")])  # fmt: skip


@conflicts.command("add")
@click.argument("inspector")
@click.argument("uscc")
@click.option("--reason", required=True, help="回避理由，如 近亲属经营")
@pass_ctx
@friendly
def add_conflict(ctx: CliContext, inspector: str, uscc: str, reason: str) -> None:
    """登记回避声明：INSPECTOR 为检查员的用户名或编号。"""
    draws = ctx.services.draws
    declaration = draws.declare_conflict(SYSTEM_USER, draws.find_inspector(inspector), uscc, reason)
    click.echo(f"已登记回避声明 {declaration.id}")


@conflicts.command("withdraw")
@click.argument("conflict_id")
@pass_ctx
@friendly
def withdraw_conflict(ctx: CliContext, conflict_id: str) -> None:
    """撤回一项回避声明（记录保留）。"""
    ctx.services.draws.withdraw_conflict(SYSTEM_USER, conflict_id)
    click.echo(f"已撤回回避声明 {conflict_id}")
