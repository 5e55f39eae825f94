"""Applying a pull page from HQ (over HTTP or from a USB bundle) to this laptop.

Each item is first checked and prepared outside the database transaction — payload parsed, seal verified
against the key HQ forwarded (``device_key``), a forwarded record's attachments fetched and stored (they are
content-addressed, so a page that fails later keeps them) — and then the whole page is applied in ONE
transaction together with the new cursor. Within it each item runs in its own savepoint: an item that cannot
be stored is recorded as refused with its reason and the others go on. Everything is idempotent by id, so a
page applied twice (a cut connection, the same bundle imported again) changes nothing the second time.

New kinds of items (issue 13's assignments drawn at HQ) are added as one more entry in
:attr:`PageApplier.preparers` — a function from the item to the step that stores it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from inspector_app.core.clock import Clock, utc_iso
from inspector_app.core.errors import InspectorError
from inspector_app.core.outbox import PullReport
from inspector_app.core.records import Attachment, Inspection
from inspector_app.services.registry import RegistryService
from inspector_app.storage.store import Store
from inspector_app.sync.protocol import (
    DecisionPayload,
    ItemType,
    PullItem,
    PullPage,
    RecordPayload,
    canonical_json,
)

FetchBlob = Callable[[str], bytes]
#: What a prepared item does inside the page's transaction.
Step = Callable[[PullReport], None]


class ItemRefused(InspectorError):
    """This item cannot be applied (the message says why); the rest of the page goes on."""


class PageApplier:
    """Applies :class:`PullPage` s for one laptop (``device_id``)."""

    def __init__(self, store: Store, registry: RegistryService, clock: Clock, device_id: str) -> None:
        self._store = store
        self._repo = store.sync
        self._registry = registry
        self.clock = clock
        self.device_id = device_id
        self.preparers: dict[str, Callable[[PullItem, FetchBlob], Step]] = {
            ItemType.RECORD: self._prepare_record,
            ItemType.DECISION: self._prepare_decision,
            ItemType.REGISTRY: self._prepare_registry,
        }

    def _now(self) -> str:
        return utc_iso(self.clock.now())

    def apply(self, page: PullPage, fetch_blob: FetchBlob, report: PullReport) -> None:
        """Apply every item of ``page`` and advance the cursor, in one transaction.

        ``fetch_blob`` may raise (e.g. ``HQUnreachable``): then nothing of the page is applied and the cursor
        stays, so the page is simply asked again.
        """
        steps = [(item, self._prepare(item, fetch_blob)) for item in page.items]
        with self._store.transaction():
            for item, step in steps:
                try:
                    with self._store.transaction():
                        step(report)
                except InspectorError as exc:
                    self._refuse(item, str(exc), report)
            self._apply_parked(report)
            self._repo.advance_cursor(page.cursor, self._now())
        report.pages += 1
        report.cursor = self._repo.setting("pull_cursor") or page.cursor

    def _prepare(self, item: PullItem, fetch_blob: FetchBlob) -> Step:
        preparer = self.preparers.get(item.type)
        try:
            if preparer is None:
                raise ItemRefused(f"本程序不认识总部发来的“{item.type}”类条目；请升级程序")
            return preparer(item, fetch_blob)
        except InspectorError as exc:  # ProtocolError (bad payload or seal), ItemRefused, storage problems
            message = str(exc)
            return lambda report: self._refuse(item, message, report)

    def _refuse(self, item: PullItem, message: str, report: PullReport) -> None:
        data = item.data
        item_id = str(data.get("id") or data.get("uscc") or "")
        record_id = (
            str(data.get("record_id") or data.get("id") or "") if item.type != ItemType.REGISTRY else ""
        )
        key = item_id if item.type in (ItemType.RECORD, ItemType.DECISION) and item_id else ""
        self._repo.add_received(
            key or f"{item.type}:{item_id}:{item.seq}", item.type, "refused", self._now(),
            record_id=record_id, error=message, feed_seq=item.seq,
        )  # fmt: skip
        report.refused += 1
        report.errors.append(f"拒收{_LABELS.get(item.type, item.type)} {item_id[:36]}：{message}")

    # -- records from other laptops (supervisor laptops) ---------------------------------------------------

    def _prepare_record(self, item: PullItem, fetch_blob: FetchBlob) -> Step:
        payload = item.record()
        key = str(item.data.get("device_key", ""))
        record = payload.verify(key)
        if record.device_id == self.device_id or self._store.inspections.exists(record.id):
            return lambda report: self._known_record(record, payload, report)
        self._store_blobs(record, payload, fetch_blob)
        seal = json.dumps(payload.seal.to_dict(), ensure_ascii=False, sort_keys=True)

        def step(report: PullReport) -> None:
            if self._store.inspections.exists(record.id):  # stored meanwhile by another sync
                self._known_record(record, payload, report)
                return
            self._store.inspections.insert_received(
                record, canonical_json(payload.content).decode(), payload.hash
            )
            self._repo.add_received(
                record.id, ItemType.RECORD, "applied", self._now(), record_id=record.id,
                device_id=record.device_id, device_name=str(item.data.get("device_name", "")), device_key=key,
                seal_json=seal, feed_seq=item.seq,
            )  # fmt: skip
            report.records += 1

        return step

    def _known_record(self, record: Inspection, payload: RecordPayload, report: PullReport) -> None:
        stored = self._store.inspections.summary(record.id).content_hash
        if stored != payload.hash:
            raise ItemRefused(
                f"本机已有记录 {record.document_no}，但内容与总部转来的不同（哈希 {stored[:12]}…）；未覆盖本机记录"
            )
        report.duplicates += 1

    def _store_blobs(self, record: Inspection, payload: RecordPayload, fetch_blob: FetchBlob) -> None:
        attachments = self._store.attachments
        for sha in payload.blobs():
            if attachments.get(sha) is None or not attachments.has_verified(sha):
                meta = record.attachments.get(sha) or Attachment(sha, "photo")
                attachments.put(fetch_blob(sha), meta.kind, meta.mime, meta.width, meta.height, meta.caption)

    # -- decisions ------------------------------------------------------------------------------------------

    def _prepare_decision(self, item: PullItem, _fetch: FetchBlob) -> Step:
        payload = item.decision()
        key = str(item.data.get("device_key", ""))
        payload.verify(key)
        return lambda report: self._apply_decision(payload, item, key, report)

    def _apply_decision(self, payload: DecisionPayload, item: PullItem, key: str, report: PullReport) -> None:
        fields: dict[str, Any] = {
            "record_id": payload.record_id, "device_id": payload.device, "device_key": key,
            "device_name": str(item.data.get("device_name", "")), "feed_seq": item.seq,
            "seal_json": json.dumps(payload.seal.to_dict(), ensure_ascii=False, sort_keys=True),
        }  # fmt: skip
        if not self._store.inspections.exists(payload.record_id):
            self._repo.add_received(
                payload.id, ItemType.DECISION, "parked", self._now(),
                payload_json=json.dumps(payload.to_dict(), ensure_ascii=False), **fields,
            )  # fmt: skip
            report.parked += 1
            return
        stored = self._store.inspections.summary(payload.record_id).content_hash
        if stored != payload.record_hash:
            raise ItemRefused(f"审核决定针对的记录版本与本机保存的不同（记录 {payload.record_id}），未采用")
        if self._store.reviews.add_received_event(payload.event()) == "duplicate":
            report.duplicates += 1
            return
        self._repo.add_received(payload.id, ItemType.DECISION, "applied", self._now(), **fields)
        report.decisions += 1

    def _apply_parked(self, report: PullReport) -> None:
        """Decisions that arrived before their record, whose record is here now."""
        for _item_id, payload_json, key in self._repo.parked_decisions():
            item = PullItem(0, ItemType.DECISION, json.loads(payload_json))
            try:
                with self._store.transaction():
                    self._apply_decision(item.decision(), item, key, report)
            except InspectorError as exc:
                self._refuse(item, str(exc), report)

    # -- registry -----------------------------------------------------------------------------------------

    def _prepare_registry(self, item: PullItem, _fetch: FetchBlob) -> Step:
        business = self._registry.validated(item.business())

        def step(report: PullReport) -> None:
            if self._registry.upsert(business) != "unchanged":
                report.registry += 1

        return step


_LABELS = {ItemType.RECORD: "记录", ItemType.DECISION: "审核决定", ItemType.REGISTRY: "主体名录条目"}
