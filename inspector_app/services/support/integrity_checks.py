"""The checks ``inspector verify`` runs, one function each, and the registries later checks join.

A *record check* ``(record, context) -> problems`` looks at one finalized record; it runs for every record
during ``verify`` and for the one record that approve, report and publish are about to use
(:meth:`~inspector_app.services.verify.VerifyService.require_intact`). A *home check* ``(context) ->
problems`` looks at the data home as a whole. To add a check (the device hash chain and Ed25519 signatures
come next), write the function and append it to :data:`RECORD_CHECKS` or :data:`HOME_CHECKS` with its
name — nothing else changes: the CLI, the JSON output and the refusals pick it up.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from inspector_app.core.errors import InspectorError
from inspector_app.core.integrity import Problem
from inspector_app.core.records import Inspection, canonical_content
from inspector_app.storage.db import integrity_problems
from inspector_app.storage.store import Store


@dataclass
class CheckContext:
    """What checks may read: the store, and the attachment files already hashed in this run."""

    store: Store
    _files: dict[str, str | None] = field(default_factory=dict)  # sha → problem text (None: fine)

    def file_problem(self, sha256: str) -> str | None:
        """Why the attachment file ``sha256`` is not intact (missing, altered), or None; hashed once per run."""
        if sha256 not in self._files:
            self._files[sha256] = self._hash_file(sha256)
        return self._files[sha256]

    def _hash_file(self, sha256: str) -> str | None:
        path = self.store.attachments.path_for(sha256)
        try:
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
        except FileNotFoundError:
            return f"附件文件缺失：{path}"
        except OSError as exc:
            return f"附件文件无法读取（{exc.strerror or exc}）：{path}"
        if digest.hexdigest() != sha256:
            return f"附件文件内容与其哈希不符（文件被替换或损坏）：{path}"
        return None

    @property
    def files_checked(self) -> int:
        return len(self._files)


RecordCheck = Callable[[Inspection, CheckContext], Iterable[Problem]]
HomeCheck = Callable[[CheckContext], Iterable[Problem]]


def subject_of(record: Inspection) -> str:
    return f"记录 {record.document_no or record.id}"


# -- record checks ---------------------------------------------------------------------------------------

#: Columns copied out of the hashed party snapshot into ``inspections`` for lists and publishing.
_COPIES = (
    ("uscc", "uscc", "统一社会信用代码"),
    ("business_name", "name", "单位名称"),
    ("area", "area", "辖区"),
)


def check_content(record: Inspection, ctx: CheckContext) -> Iterator[Problem]:
    """The record as stored equals what was hashed at finalizing, and that hash is intact."""

    def problem(message: str) -> Problem:
        return Problem("content", subject_of(record), message, record.id)

    stored = ctx.store.inspections.canonical_json(record.id)
    if not record.content_hash or not stored:
        yield problem("已定稿记录缺少内容哈希或定稿内容")
        return
    if hashlib.sha256(stored.encode()).hexdigest() != record.content_hash:
        yield problem("定稿时保存的内容与内容哈希不符（哈希或定稿内容被改动）")
    changed = _changed_fields(stored, canonical_content(record))
    if changed:
        yield problem(f"记录内容与定稿时不一致，被改动的部分：{'、'.join(changed)}")
    summary = ctx.store.inspections.summary(record.id)
    for column, party_field, title in _COPIES:
        if getattr(summary, column) != getattr(record.business, party_field):
            yield problem(f"列表中的{title}与记录内容不一致（数据库被直接改动）")


def _changed_fields(stored: str, current: dict[str, Any]) -> list[str]:
    try:
        sealed = json.loads(stored)
    except ValueError:
        return ["（定稿内容无法解析）"]
    keys = sorted(set(sealed) | set(current))
    return [key for key in keys if sealed.get(key) != current.get(key)]


def _referenced(record: Inspection) -> Iterator[tuple[str, str]]:
    """(sha256, what) of every file the record refers to: item photos and signature images."""
    for code, answer in sorted(record.answers.items()):
        for sha in answer.photos:
            yield sha, f"检查项 {code} 的照片"
    for signature in record.signatures:
        if signature.image_sha256:
            yield signature.image_sha256, f"{signature.signer_name} 的签名"


def check_attachments(record: Inspection, ctx: CheckContext) -> Iterator[Problem]:
    """Every photo and signature of the record is recorded and its file present and unaltered."""
    for sha, what in _referenced(record):
        if sha not in record.attachments:
            yield Problem("attachment", subject_of(record), f"{what}（{sha[:12]}…）没有附件登记", record.id)
            continue
        trouble = ctx.file_problem(sha)
        if trouble:
            yield Problem("attachment", subject_of(record), f"{what}：{trouble}", record.id)


def check_status(record: Inspection, ctx: CheckContext) -> Iterator[Problem]:
    """A reviewed status has the review decision that made it, and a decision moved the status."""
    events = ctx.store.reviews.events_for(record.id)
    latest = events[-1] if events else None
    reviewed = record.status.value in ("approved", "returned")
    if reviewed and (latest is None or latest.decision.status is not record.status):
        yield Problem(
            "status", subject_of(record), f"状态为“{record.status.label}”，但没有对应的审核记录", record.id
        )
    elif latest is not None and not reviewed:
        yield Problem(
            "status",
            subject_of(record),
            f"有审核记录（{latest.decision.label}），但状态为“{record.status.label}”",
            record.id,
        )


# -- home checks -----------------------------------------------------------------------------------------


def check_database(ctx: CheckContext) -> Iterator[Problem]:
    """SQLite's own integrity check and the foreign keys."""
    for finding in integrity_problems(ctx.store.db):
        yield Problem("database", "数据库", f"完整性检查未通过：{finding}")


def check_attachment_files(ctx: CheckContext) -> Iterator[Problem]:
    """Every recorded attachment's file is present and matches its hash (also those no record uses)."""
    rows = ctx.store.db.execute("SELECT sha256 FROM attachments ORDER BY sha256").fetchall()
    for (sha,) in rows:
        trouble = ctx.file_problem(sha)
        if trouble:
            yield Problem("attachment", f"附件 {sha[:12]}…", trouble)


#: (name, check) run on each finalized record, in order.
RECORD_CHECKS: list[tuple[str, RecordCheck]] = [
    ("content", check_content),
    ("attachment", check_attachments),
    ("status", check_status),
]

#: (name, check) run once on the data home, before the records.
HOME_CHECKS: list[tuple[str, HomeCheck]] = [
    ("database", check_database),
    ("attachment", check_attachment_files),
]


def run_record_checks(record: Inspection, ctx: CheckContext) -> list[Problem]:
    """Every record check on ``record``; a check that cannot even run is itself a problem."""
    problems: list[Problem] = []
    for name, check in RECORD_CHECKS:
        try:
            problems.extend(check(record, ctx))
        except InspectorError as exc:
            problems.append(Problem(name, subject_of(record), f"无法检查：{exc}", record.id))
    return problems
