"""The published draw (双随机、一公开) as plain data — pure, no reportlab, no I/O.

What is public: the drawn businesses (name with phone-like and ID-like digit runs masked, USCC, area, kind), how
they were drawn (seed, registry and result hashes, filters, sample size, weights, how teams were formed) and,
once inspected, each visit's date, verdict, handling and document number. Never published: inspectors' names,
ids or badge numbers, risk grades and their reasons, conflict-of-interest declarations, complaints.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from inspector_app.core.clock import CHINA_TZ, local_display
from inspector_app.core.draw_document import DrawDocument
from inspector_app.core.draws import SKIP_REASONS
from inspector_app.core.planning import DrawnVisit, DrawTargetInfo

PUBLISHED_STATES = ("finalized", "synced", "approved")
DRAW_COLUMNS = ("序号", "统一社会信用代码", "主体名称", "辖区", "主体类型")
RESULT_COLUMNS = ("检查状态", "检查日期", "检查结果", "处理措施", "文书编号")


@dataclass(frozen=True)
class DrawSheet:
    """A published draw: title, how it was drawn (label/value lines), the table, notes and the footer."""

    title: str
    meta: tuple[tuple[str, str], ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...]
    footer: str
    created_at: datetime


def _scope(document: DrawDocument) -> str:
    params = document.result.params
    parts = []
    if params.areas:
        parts.append(f"辖区：{'、'.join(params.areas)}")
    if params.kinds:
        parts.append(f"主体类型：{'、'.join(params.kinds)}")
    if params.grades:
        parts.append(f"风险等级：{'、'.join(params.grades)}")
    if params.not_inspected_since:
        parts.append(f"{params.not_inspected_since} 以来未检查的主体")
    return "；".join(parts) or "名录内全部主体"


def _teams(document: DrawDocument) -> str:
    params = document.result.params
    avoid = ["申报回避的利害关系人"]
    if params.exclude_last_inspectors:
        avoid.append("上次检查该主体的人员")
    text = f"每户从所在辖区的执法人员中随机匹配 {params.team_size} 名，回避{'和'.join(avoid)}"
    if params.max_per_inspector:
        text += f"，每人最多 {params.max_per_inspector} 户"
    return text + "（检查人员名单不公开）"


def _result_cells(visit: DrawnVisit | None) -> tuple[str, ...]:
    if visit is None:
        return ("未检查", "", "", "", "")
    if visit.status not in PUBLISHED_STATES:
        return ("检查中", "", "", "", "")
    day = visit.started_at.astimezone(CHINA_TZ).date().isoformat()
    return ("已检查", day, visit.verdict, visit.handling, visit.document_no)


def build_draw_sheet(
    document: DrawDocument,
    targets: Sequence[DrawTargetInfo],
    visits: Mapping[str, DrawnVisit] | None = None,
) -> DrawSheet:
    """The publishable content of a confirmed draw; with ``visits`` also each target's published result.

    Business names are printed as given: the caller masks personal numbers in them first
    (:func:`inspector_app.services.publish.mask_personal_numbers`)."""
    result = document.result
    params = result.params
    window = (
        f"{params.window_from or '—'} 至 {params.window_to or '—'}"
        if params.window_to or params.window_from
        else "—"
    )
    sample = f"从符合条件的 {result.population} 户中抽取 {result.size} 户"
    if params.ratio:
        sample += f"（抽查比例 {params.ratio}）"
    weights = " : ".join(f"{grade} 级 {weight}" for grade, weight in params.weights.items())
    meta = (
        ("抽查名称", params.title or "—"),
        ("抽查编号", document.id),
        ("抽取时间", local_display(document.created_at)),
        ("检查期限", window),
        ("抽取范围", _scope(document)),
        ("抽取数量", sample),
        ("抽取权重", f"按风险等级加权（{weights}）：风险越高，被抽中的机会越大"),
        ("检查人员", _teams(document)),
        ("随机种子", result.seed),
        ("名录快照 SHA-256", result.registry_hash),
        ("抽取结果 SHA-256", result.sha256),
    )
    with_results = visits is not None
    rows = []
    for target in targets:
        cells: tuple[str, ...] = (
            str(target.position),
            target.uscc,
            target.business_name,
            target.area,
            target.kind,
        )
        if with_results:
            cells += _result_cells((visits or {}).get(target.uscc))
        rows.append(cells)
    notes = [
        "复核方法：按 docs/DRAWS.md 所述算法，用上述随机种子、名录快照（与其 SHA-256 一致）和抽取参数重新计算，"
        "结果应与本名单完全一致；可使用 inspector draw verify 抽查文书 --snapshot 名录快照。"
    ]
    skipped = Counter(s.reason for s in result.skipped)
    for reason, count in sorted(skipped.items()):
        notes.append(
            f"按抽取顺序有 {count} 户因“{SKIP_REASONS[reason]}”未能匹配检查人员，依次由后续主体递补。"
        )
    if len(result.targets) < result.size:
        notes.append(f"可抽取的主体不足，实际抽取 {len(result.targets)} 户。")
    title = "“双随机、一公开”抽查结果公示" if with_results else "“双随机、一公开”抽查对象名单"
    return DrawSheet(
        title=title,
        meta=meta,
        columns=DRAW_COLUMNS + (RESULT_COLUMNS if with_results else ()),
        rows=tuple(rows),
        notes=tuple(notes),
        footer=f"抽查编号 {document.id}　抽取结果 SHA-256 {result.sha256}",
        created_at=document.created_at,
    )
