"""Pushing the outbox to HQ: what is sent for an item, and the run that sends many at once.

Up to ``parallel`` items are in flight at the same time, each worker thread with its own HTTP connection, so
the round trips of a slow county link and HQ's disk writes overlap instead of adding up. Records go first,
in seal order, then decisions (a decision needs its record at HQ). Every database read and write happens
on the calling thread — payloads are built before an item is handed to a worker, outcomes are written when
it comes back — because the store's one connection must not see two threads' statements interleave.

Receipts are written in small batches (one transaction per batch): a receipt that is lost with a crash
only means the item is pushed again, and HQ answers a repeated push with the same receipt.
"""

from __future__ import annotations

import json
import random
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from datetime import timedelta

from inspector_app.core.clock import Clock, utc_iso
from inspector_app.core.errors import InspectorError
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.outbox import OutboxItem, OutboxKind, OutboxState, PushReport
from inspector_app.storage.store import Store
from inspector_app.sync.client import HQRefused, HQUnreachable, SyncClient, SyncError
from inspector_app.sync.protocol import DecisionPayload, ProtocolError, Receipt, RecordPayload, canonical_json

#: Refusals that concern the device, not the item: the run stops and the items stay as they are.
AUTH_CODES = frozenset({"no_token", "unknown_token", "device_revoked", "device_mismatch"})
#: Refusals that only mean "not yet" (the record of a decision, a blob uploaded meanwhile): stays pending.
NOT_YET_CODES = frozenset({"record_unknown", "missing_blobs"})
#: After this many items in a row could not reach HQ, the run ends (the network is down, not one item).
MAX_UNREACHABLE_IN_A_ROW = 3
#: Automatic retries of an item: wait uniform(0, min(cap, base·2ⁿ)) after its n-th failed attempt.
RETRY_BASE = timedelta(minutes=1)
RETRY_CAP = timedelta(hours=1)
#: Receipts written per transaction.
RECEIPT_BATCH = 32


class PushStopped(Exception):
    """The run cannot go on (HQ refused the device, or HQ is unreachable); ``str()`` is the Chinese reason."""


def record_payload_of(store: Store, item: OutboxItem) -> RecordPayload:
    """The record as finalized (its stored canonical JSON) with its seal."""
    canonical, digest = store.sync.sealed_record(item.record_id)
    seal = store.sync.seal_of(item.item_id)
    if seal is None:
        raise InspectorError(f"记录 {item.document_no} 没有设备签章，无法上传")
    return RecordPayload(item.record_id, digest, json.loads(canonical), seal)


def decision_payload_of(store: Store, item: OutboxItem) -> DecisionPayload:
    """The review decision as stored, with its seal; refused when it no longer matches the seal."""
    _canonical, record_hash = store.sync.sealed_record(item.record_id)
    seal = store.sync.seal_of(item.item_id)
    event = next((e for e in store.reviews.events_for(item.record_id) if e.id == item.item_id), None)
    if seal is None or event is None:
        raise InspectorError(f"审核决定 {item.item_id} 或其签章缺失，无法上传")
    payload = DecisionPayload(
        event.id, event.inspection_id, record_hash, event.decision, event.actor_id, event.actor_name,
        event.comment, event.decided_at.replace(microsecond=0), seal,
    )  # fmt: skip
    if payload.digest != seal.seal.digest:
        raise InspectorError(f"审核决定 {item.item_id} 的内容与其签章不符（数据被改动），未上传")
    return payload


def record_receipt(store: Store, item: OutboxItem, receipt: Receipt, now: str) -> None:
    """Mark ``item`` synced with HQ's ``receipt`` (inside the caller's transaction); a ``finalized`` record
    also becomes ``synced`` — an approved or returned one keeps its status."""
    store.sync.mark_synced(item.item_id, canonical_json(receipt.to_dict()).decode(), now)
    record = store.inspections.summary(item.record_id) if item.kind is OutboxKind.RECORD else None
    if record is not None and record.status is RecordStatus.FINALIZED:
        store.inspections.set_status(item.record_id, RecordStatus.SYNCED)


def describe(item: OutboxItem) -> str:
    if item.kind is OutboxKind.RECORD:
        return f"记录 {item.document_no or item.record_id}（{item.business_name}）"
    return f"审核决定（记录 {item.document_no or item.record_id}）"


class OutboxPusher:
    """One push run over ``items`` (see the module docstring); outcomes go into ``report``."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        make_client: Callable[[], SyncClient],
        parallel: int = 4,
        rng: random.Random | None = None,
    ) -> None:
        self._store = store
        self._repo = store.sync
        self.clock = clock
        self._make_client = make_client
        self.parallel = max(1, parallel)
        self._random = rng or random.Random()
        self._local = threading.local()
        self._clients: list[SyncClient] = []
        self._clients_lock = threading.Lock()
        self._receipts: list[tuple[OutboxItem, Receipt]] = []

    def _now(self) -> str:
        return utc_iso(self.clock.now())

    # -- workers ---------------------------------------------------------------------------------------

    def _client(self) -> SyncClient:
        client: SyncClient | None = getattr(self._local, "client", None)
        if client is None:
            client = self._local.client = self._make_client()
            with self._clients_lock:
                self._clients.append(client)
        return client

    def _read_blob(self, sha: str) -> bytes:
        return bytes(self._store.attachments.get_bytes(sha))  # a file read, no database access

    def _job(self, item: OutboxItem) -> Callable[[], Receipt]:
        """Build the payload here (database reads); the returned function only talks to HQ."""
        if item.kind is OutboxKind.RECORD:
            record = record_payload_of(self._store, item)
            return lambda: self._client().push_record(record, self._read_blob)
        decision = decision_payload_of(self._store, item)
        return lambda: self._client().push_decision(decision)

    # -- the run ---------------------------------------------------------------------------------------

    def run(
        self, items: list[OutboxItem], report: PushReport, progress: Callable[[int, int], None] | None
    ) -> None:
        done = [0]

        def step() -> None:
            done[0] += 1
            if progress:
                progress(done[0], len(items))

        try:
            for kind in (OutboxKind.RECORD, OutboxKind.DECISION):
                group = deque(i for i in items if i.kind is kind)
                try:
                    self._run_group(group, report, step)
                finally:
                    self._write_receipts()
                if report.stopped:
                    break
        finally:
            for client in self._clients:
                client.close()
        report.not_tried = report.total - (report.synced + report.conflict + report.failed + report.deferred)

    def _run_group(self, pending: deque[OutboxItem], report: PushReport, step: Callable[[], None]) -> None:
        running: dict[Future[Receipt], OutboxItem] = {}
        unreachable = 0
        with self._pool() as pool:
            while pending or running:
                while pending and len(running) < self.parallel and not report.stopped:
                    item = pending.popleft()
                    try:
                        job = self._job(item)
                    except InspectorError as exc:  # a local problem (attachment, seal): the admin must act
                        self._refused(item, OutboxState.FAILED, str(exc), report)
                        step()
                        continue
                    running[pool.submit(job)] = item
                if not running:
                    break
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    item = running.pop(future)
                    try:
                        unreachable = unreachable + 1 if self._settle(item, future, report) else 0
                    except PushStopped as stop:
                        report.stopped = report.stopped or str(stop)
                    step()
                if unreachable >= MAX_UNREACHABLE_IN_A_ROW and not report.stopped:
                    report.stopped = f"连续 {unreachable} 项无法送达总部，本次同步中止；其余项目下次再试"

    @contextmanager
    def _pool(self) -> Iterator[ThreadPoolExecutor]:
        pool = ThreadPoolExecutor(self.parallel, thread_name_prefix="sync-push")
        try:
            yield pool
        finally:
            pool.shutdown(wait=True)

    def _settle(self, item: OutboxItem, future: Future[Receipt], report: PushReport) -> bool:
        """Record one item's outcome; True when HQ could not be reached."""
        what = describe(item)
        try:
            receipt = future.result()
        except HQRefused as exc:
            if exc.code in AUTH_CODES:
                raise PushStopped(str(exc)) from exc
            if exc.code in NOT_YET_CODES:
                self._defer(item, str(exc), report, what)
            else:
                self._refused(
                    item, OutboxState.CONFLICT if exc.status == 409 else OutboxState.FAILED, str(exc), report
                )
            return False
        except HQUnreachable as exc:
            self._defer(item, str(exc), report, what)
            return True
        except (SyncError, ProtocolError) as exc:  # an answer that breaks the protocol: try again later
            self._defer(item, str(exc), report, what)
            return False
        except InspectorError as exc:  # a local problem while sending (an attachment file went missing)
            self._refused(item, OutboxState.FAILED, str(exc), report)
            return False
        self._receipts.append((item, receipt))
        report.synced += 1
        report.duplicate += receipt.duplicate
        if len(self._receipts) >= RECEIPT_BATCH:
            self._write_receipts()
        return False

    def _write_receipts(self) -> None:
        if not self._receipts:
            return
        now = self._now()
        with self._store.transaction():
            for item, receipt in self._receipts:
                record_receipt(self._store, item, receipt, now)
        self._receipts.clear()

    def _refused(self, item: OutboxItem, state: OutboxState, error: str, report: PushReport) -> None:
        self._repo.mark_refused(item.item_id, state, error, self._now())
        report.conflict += state is OutboxState.CONFLICT
        report.failed += state is OutboxState.FAILED
        report.errors.append(f"{describe(item)}：{error}")

    def _defer(self, item: OutboxItem, error: str, report: PushReport, what: str) -> None:
        ceiling = min(RETRY_CAP, RETRY_BASE * 2 ** min(item.attempts, 16))
        next_at = self.clock.now() + ceiling * self._random.random()
        self._repo.mark_retry(item.item_id, error, self._now(), utc_iso(next_at))
        report.deferred += 1
        report.errors.append(f"{what}：{error}")
