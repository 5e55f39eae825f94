"""双随机 draws as use cases: set up, preview, confirm, verify, list, assignments, drawn visits, conflicts.

The draw itself is the pure :func:`inspector_app.core.draws.run_draw`; this service gathers its inputs from the
data home — the registry with each business's risk grade and last inspection (the snapshot), the active
inspector accounts with their areas (the roster), the declared conflicts of interest and the defaults of
``forms/risk.yaml`` — and stores confirmed draws as portable documents. Later the same service runs at HQ, and
laptops call :meth:`DrawService.import_document` with what they pull.
"""

from __future__ import annotations

import builtins
import uuid
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from pathlib import Path

from inspector_app.core.accounts import Role, User, require_role
from inspector_app.core.clock import Clock, local_today
from inspector_app.core.draw_document import DrawDocument, read_draw_file
from inspector_app.core.draw_params import Conflict, DrawParams, RosterEntry, make_params
from inspector_app.core.draws import (
    SKIP_REASONS,
    DrawResult,
    RegistrySnapshot,
    differences,
    population_of,
    run_draw,
    team_field,
)
from inspector_app.core.errors import NotFound, PermissionDenied, ValidationError
from inspector_app.core.identifiers import normalize_code
from inspector_app.core.planning import (
    Assignment,
    ConflictDeclaration,
    DrawnVisit,
    DrawTargetInfo,
    StoredDraw,
    VisitState,
)
from inspector_app.core.records import Inspection, InspectionType, Inspector
from inspector_app.core.registry import parse_kind
from inspector_app.services.inspections import InspectionService
from inspector_app.services.risk import RiskService
from inspector_app.storage.draws import DrawRepository
from inspector_app.storage.history import HistoryRepository
from inspector_app.storage.store import Store

DRAW_ID_ATTRIBUTE = "draw_id"
MANAGERS = (Role.SUPERVISOR, Role.ADMIN)


@dataclass(frozen=True)
class DrawRequest:
    """What a supervisor asks for; ``None`` means the default from ``forms/risk.yaml``."""

    seed: str
    size: int | None = None
    ratio: str | None = None
    areas: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()
    not_inspected_since: str | None = None
    window_from: str | None = None
    window_to: str | None = None
    title: str = ""
    weights: Mapping[str, int] | None = None
    team_size: int | None = None
    exclude_last_inspectors: bool | None = None
    max_per_inspector: int | None = None


@dataclass(frozen=True)
class DrawPreview:
    """A computed, not yet confirmed draw: the result, the snapshot it used, the targets with names, warnings."""

    result: DrawResult
    snapshot: RegistrySnapshot
    targets: tuple[DrawTargetInfo, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Verification:
    """Outcome of re-running a published draw: ``matches`` only when every byte agrees."""

    matches: bool
    problems: tuple[str, ...]
    snapshot_source: str  # "file" | "saved" | "registry" | ""
    result: DrawResult


@dataclass(frozen=True)
class DrawProgress:
    """How far the visits of a draw got (for the dashboard): counts overall and per area."""

    total: int
    done: int
    in_progress: int
    by_area: dict[str, tuple[int, int]] = field(default_factory=dict)  # area → (done, total)

    @property
    def pending(self) -> int:
        return self.total - self.done - self.in_progress


def _team(inspectors: list[dict[str, str]], by_badge: Mapping[str, str]) -> str:
    """User ids of a record's inspectors as a snapshot field (records without ids: matched by 执法证号)."""
    ids = {p.get("user_id") or by_badge.get(p.get("badge_no", ""), "") for p in inspectors}
    return team_field(i for i in ids if i)


class DrawService:
    """Use cases around draws. Making and confirming draws is for supervisors and administrators."""

    def __init__(self, store: Store, clock: Clock, risk: RiskService, inspections: InspectionService) -> None:
        self._store = store
        self.clock = clock
        self._risk = risk
        self._inspections = inspections
        self._repo = DrawRepository(store.db)
        self._history = HistoryRepository(store.db)

    # -- inputs --------------------------------------------------------------------------------------------

    def roster(self) -> builtins.list[RosterEntry]:
        """Active inspector accounts that have an area (an inspector without one cannot be drawn)."""
        users = self._store.accounts.list(Role.INSPECTOR, active_only=True)
        return [RosterEntry(u.id, u.area) for u in users if u.area]

    def snapshot(self, today: date | None = None) -> RegistrySnapshot:
        """The registry as a draw sees it now: every business with its risk grade and last inspection."""
        by_badge = {u.badge_no: u.id for u in self._store.accounts.list() if u.badge_no}
        last = {
            uscc: (day.isoformat(), _team(inspectors, by_badge))
            for uscc, (day, inspectors) in self._history.last_visits().items()
        }
        never = ("", "")
        return RegistrySnapshot([row + last.get(row[0], never) for row in self._risk.graded_registry(today)])

    def params(self, request: DrawRequest) -> DrawParams:
        """Validated parameters: the request, the defaults, the roster and the active conflicts."""
        defaults = self._risk.config.draw
        kinds = []
        for text in request.kinds:
            kind = parse_kind(text)
            if kind is None:
                raise ValidationError(
                    f"主体类型“{text}”无法识别；可用：小餐饮、食品销售、特种设备使用单位、化妆品经营等"
                )
            kinds.append(kind.value)
        conflicts = [Conflict(c.inspector_id, c.uscc) for c in self._repo.conflicts()]
        return make_params(
            size=request.size,
            ratio=request.ratio,
            areas=request.areas,
            kinds=kinds,
            grades=[g.upper() for g in request.grades],
            not_inspected_since=request.not_inspected_since,
            weights=request.weights if request.weights is not None else defaults.weights,
            team_size=request.team_size if request.team_size is not None else defaults.team_size,
            exclude_last_inspectors=(
                request.exclude_last_inspectors
                if request.exclude_last_inspectors is not None
                else defaults.exclude_last_inspectors
            ),
            max_per_inspector=(
                request.max_per_inspector
                if request.max_per_inspector is not None
                else defaults.max_per_inspector
            ),
            window_from=request.window_from,
            window_to=request.window_to,
            title=request.title,
            roster=self.roster(),
            conflicts=conflicts,
        )

    # -- drawing -------------------------------------------------------------------------------------------

    def preview(self, actor: User | None, request: DrawRequest, today: date | None = None) -> DrawPreview:
        """Compute a draw without saving it (the supervisor looks before confirming)."""
        require_role(actor, *MANAGERS)
        params = self.params(request)
        snapshot = self.snapshot(today)
        result = run_draw(request.seed, snapshot, params)
        return DrawPreview(
            result, snapshot, self._target_infos(result, snapshot), self._warnings(result, snapshot)
        )

    def _target_infos(self, result: DrawResult, snapshot: RegistrySnapshot) -> tuple[DrawTargetInfo, ...]:
        draw_id = DrawDocument.confirm(result, self.clock.now(), "").id
        usccs = [t.uscc for t in result.targets]
        names = {b.uscc: b.name for b in self._store.businesses.get_many(usccs)}
        infos = []
        for n, uscc in enumerate(usccs, 1):
            row = snapshot.row(uscc)
            infos.append(DrawTargetInfo(draw_id, n, uscc, names.get(uscc, ""), row[2], row[1], row[3]))
        return tuple(infos)

    def _warnings(self, result: DrawResult, snapshot: RegistrySnapshot) -> tuple[str, ...]:
        params = result.params
        warnings = []
        if result.population == 0:
            warnings.append("按所选条件，名录中没有可抽取的主体；请检查辖区、主体类型和风险等级筛选")
        staffed = Counter(r.area for r in params.roster)
        areas = sorted(set(map(itemgetter(2), population_of(snapshot, params))))
        thin = [a or "（未填辖区）" for a in areas if staffed.get(a, 0) < params.team_size]
        if thin:
            warnings.append(
                f"以下辖区的检查人员少于每户所需的 {params.team_size} 名，其中的主体不会被抽中：{'、'.join(thin)}；"
                "请在账号中补充检查人员的辖区，或用辖区筛选排除"
            )
        reasons = Counter(s.reason for s in result.skipped)
        for reason, count in sorted(reasons.items()):
            warnings.append(f"{count} 户因“{SKIP_REASONS[reason]}”被跳过，依次抽取了后续主体")
        if len(result.targets) < result.size:
            warnings.append(f"只抽到 {len(result.targets)} 户（要求 {result.size} 户）：可抽取的主体不足")
        return tuple(warnings)

    def confirm(self, actor: User | None, preview: DrawPreview) -> StoredDraw:
        """Save a previewed draw with its assignments and snapshot; confirming the same draw again is a no-op."""
        user = require_role(actor, *MANAGERS)
        document = DrawDocument.confirm(preview.result, self.clock.now().replace(microsecond=0), user.id)
        if not self._repo.exists(document.id):
            self._repo.save(
                document,
                preview.targets,
                preview.snapshot.canonical_bytes,
                snapshot_rows=len(preview.snapshot),
            )
        return self._repo.get(document.id)

    def import_document(self, actor: User | None, data: bytes, snapshot: bytes | None = None) -> StoredDraw:
        """Store a draw document made elsewhere (HQ), checking that its id and hash belong to its result."""
        require_role(actor, *MANAGERS)
        result, document = read_draw_file(data)
        if document is None:
            raise ValidationError("导入需要抽查文书（inspector-draw-document/1），不是单独的抽查结果")
        if self._repo.exists(document.id):
            return self._repo.get(document.id)
        saved = None
        if snapshot is not None:
            parsed = RegistrySnapshot.from_bytes(snapshot)
            if parsed.sha256 != result.registry_hash:
                raise ValidationError("随附的名录快照与抽查文书的 registry_hash 不一致")
            saved = parsed
        names = {b.uscc: b for b in self._store.businesses.get_many([t.uscc for t in result.targets])}
        rows = {row[0]: row for row in saved.rows} if saved is not None else {}
        targets = []
        for n, target in enumerate(result.targets, 1):
            business = names.get(target.uscc)
            row = rows.get(target.uscc)
            targets.append(
                DrawTargetInfo(
                    document.id,
                    n,
                    target.uscc,
                    business.name if business else "",
                    row[2] if row else (business.area if business else ""),
                    row[1] if row else (business.kind.value if business else ""),
                    row[3] if row else "",
                )
            )
        self._repo.save(
            document,
            targets,
            saved.canonical_bytes if saved else None,
            snapshot_rows=len(saved) if saved else 0,
            origin="imported",
        )
        return self._repo.get(document.id)

    # -- verifying -----------------------------------------------------------------------------------------

    def verify(self, data: bytes, snapshot: bytes | None = None) -> Verification:
        """Re-run a published draw (result or document) and compare; anyone may verify (no login needed)."""
        result, _ = read_draw_file(data)
        source, found = self._snapshot_for(result.registry_hash, snapshot)
        if found is None:
            return Verification(False, (source,), "", result)
        expected = run_draw(result.seed, found, result.params)
        problems = tuple(differences(expected, result))
        return Verification(not problems, problems, source, result)

    def _snapshot_for(self, registry_hash: str, given: bytes | None) -> tuple[str, RegistrySnapshot | None]:
        """The snapshot with that hash and where it came from; else (why not, None)."""
        if given is not None:
            snapshot = RegistrySnapshot.from_bytes(given)
            if snapshot.sha256 != registry_hash:
                return (
                    f"名录快照文件的 SHA-256 为 {snapshot.sha256}，与抽查结果的 registry_hash {registry_hash} 不一致",
                    None,
                )
            return "file", snapshot
        saved = self._repo.snapshot(registry_hash)
        if saved is not None:
            return "saved", RegistrySnapshot.from_bytes(saved)
        current = self.snapshot()
        if current.sha256 == registry_hash:
            return "registry", current
        return (
            f"本机没有 SHA-256 为 {registry_hash} 的名录快照，当前名录的哈希为 {current.sha256}（名录已变化）；"
            "请用 --snapshot 提供抽查时的名录快照文件（inspector draw snapshot 导出）",
            None,
        )

    # -- reading -------------------------------------------------------------------------------------------

    def list(self) -> builtins.list[StoredDraw]:
        return self._repo.list()

    def get(self, draw_id: str) -> StoredDraw:
        return self._repo.get(draw_id)

    def document(self, draw_id: str) -> DrawDocument:
        """The portable document of a saved draw (what HQ publishes and laptops pull)."""
        stored = self._repo.get(draw_id)
        result, _ = read_draw_file(self._repo.result_json(draw_id).encode("utf-8"))
        return DrawDocument(stored.id, stored.created_at, stored.created_by, result)

    def targets(self, draw_id: str) -> builtins.list[DrawTargetInfo]:
        self._repo.get(draw_id)
        return self._repo.targets(draw_id)

    def teams(self, draw_id: str) -> dict[str, tuple[str, ...]]:
        return self._repo.teams(draw_id)

    def visits(self, draw_id: str) -> dict[str, DrawnVisit]:
        """The newest inspection per drawn business (finalized first, else a draft)."""
        return {uscc: visit for (_, uscc), visit in self._repo.visits([draw_id]).items()}

    def snapshot_bytes(self, draw_id: str) -> bytes:
        """The registry snapshot a saved draw was made from (to publish with it for verification)."""
        stored = self._repo.get(draw_id)
        data = self._repo.snapshot(stored.registry_hash)
        if data is None:
            raise NotFound(f"本机没有抽查 {draw_id} 的名录快照（导入时未随附）")
        return data

    def progress(self, draw_id: str) -> DrawProgress:
        targets = self.targets(draw_id)
        visits = self.visits(draw_id)
        done = in_progress = 0
        by_area: dict[str, list[int]] = {}
        for target in targets:
            visit = visits.get(target.uscc)
            state = VisitState.PENDING if visit is None else visit.state
            area = by_area.setdefault(target.area, [0, 0])
            area[1] += 1
            if state is VisitState.DONE:
                done += 1
                area[0] += 1
            elif state is VisitState.IN_PROGRESS:
                in_progress += 1
        return DrawProgress(
            len(targets), done, in_progress, {a: (d, t) for a, (d, t) in sorted(by_area.items())}
        )

    def assignments(self, actor: User | None, inspector_id: str = "") -> builtins.list[Assignment]:
        """An inspector's drawn visits (own, or anyone's for a supervisor/administrator), due first."""
        user = require_role(actor, Role.INSPECTOR, *MANAGERS)
        wanted = inspector_id or user.id
        if user.role is Role.INSPECTOR and wanted != user.id:
            raise PermissionDenied("检查员只能查看自己的抽查任务")
        return self._repo.assignments(wanted)

    def overdue_assignments(self, actor: User | None, today: date | None = None) -> builtins.list[Assignment]:
        day = today or local_today(self.clock)
        return [a for a in self.assignments(actor) if a.overdue(day)]

    def export(
        self, actor: User | None, draw_id: str, fmt: str, out: Path, *, with_results: bool = False
    ) -> int:
        """公开: the draw (and with ``with_results`` its results) as csv, xlsx or pdf, without personal data."""
        from inspector_app.services.draw_exports import export_draw  # openpyxl/reportlab only when exporting

        return export_draw(self, actor, draw_id, fmt, out, with_results)

    # -- visits --------------------------------------------------------------------------------------------

    def start_visit(
        self, actor: User, draw_id: str, uscc: str, form_id: str, place: str = "", equipment_code: str = ""
    ) -> Inspection:
        """Open the draft of a drawn visit: type 双随机抽查, the drawn team as inspectors, the draw id attached."""
        code = normalize_code(uscc)
        team = self._repo.teams(draw_id).get(code)
        if team is None:
            raise NotFound(f"抽查 {draw_id} 中没有统一社会信用代码为 {code} 的抽查对象")
        if actor.id not in team:
            raise PermissionDenied("该抽查对象未分配给你；双随机抽查须由随机匹配的检查人员实施")
        existing = self.visits(draw_id).get(code)
        if existing is not None:
            raise ValidationError(
                f"该抽查对象已有检查记录（{existing.document_no or existing.inspection_id}，"
                f"{existing.state.label}），请在检查记录中继续"
            )
        inspectors = []
        for member in team:
            user = self._store.accounts.get(member)
            if user is None:
                raise NotFound(f"抽中的检查人员账号 {member} 不在本机；请先同步账号")
            inspectors.append(Inspector(user.display_name, user.badge_no, user.id))
        return self._inspections.start(
            actor, code, form_id, inspectors, InspectionType.RANDOM, place, equipment_code,
            attributes={DRAW_ID_ATTRIBUTE: draw_id},
        )  # fmt: skip

    # -- conflicts of interest -----------------------------------------------------------------------------

    def declare_conflict(
        self, actor: User | None, inspector_id: str, uscc: str, reason: str
    ) -> ConflictDeclaration:
        """An inspector declares a conflict (own), or a supervisor/administrator records one for anyone."""
        user = require_role(actor, Role.INSPECTOR, *MANAGERS)
        if user.role is Role.INSPECTOR and inspector_id != user.id:
            raise PermissionDenied("检查员只能为自己申报回避")
        person = self._store.accounts.get(inspector_id)
        if person is None or person.role is not Role.INSPECTOR:
            raise NotFound(f"没有编号为 {inspector_id} 的检查员账号")
        code = normalize_code(uscc)
        if self._store.businesses.get(code) is None:
            raise NotFound(f"主体名录中没有统一社会信用代码为 {code} 的主体")
        if not reason.strip():
            raise ValidationError("请写明回避理由（如：近亲属经营、曾在该单位任职等）")
        declaration = ConflictDeclaration(
            str(uuid.uuid4()),
            inspector_id,
            code,
            reason.strip(),
            user.id,
            self.clock.now().replace(microsecond=0),
        )
        self._repo.declare_conflict(declaration)
        return declaration

    def withdraw_conflict(self, actor: User | None, conflict_id: str) -> None:
        user = require_role(actor, *MANAGERS)
        self._repo.withdraw_conflict(conflict_id, user.id, self.clock.now())

    def conflicts(
        self, actor: User | None, *, include_withdrawn: bool = False
    ) -> builtins.list[ConflictDeclaration]:
        user = require_role(actor, Role.INSPECTOR, *MANAGERS)
        mine = user.id if user.role is Role.INSPECTOR else ""
        return self._repo.conflicts(active_only=not include_withdrawn, inspector_id=mine)

    def find_inspector(self, name_or_id: str) -> str:
        """The user id of an inspector account given its user name or id."""
        for user in self._store.accounts.list(Role.INSPECTOR):
            if name_or_id in (user.id, user.username):
                return user.id
        raise NotFound(f"没有用户名或编号为“{name_or_id}”的检查员账号（inspector users list 查看）")

    def inspector_names(self, ids: builtins.list[str]) -> dict[str, str]:
        """Display names of user ids (for screens; never exported)."""
        found = {}
        for user_id in set(ids):
            user = self._store.accounts.get(user_id)
            found[user_id] = user.display_name if user else user_id
        return found
