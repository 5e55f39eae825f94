"""Sync with headquarters, the laptop side: enrol, push the outbox, pull changes, USB bundles, status.

* **Enrol** registers the device's public key (the key already signs every finalized record and decision,
  see :mod:`.support.sealing`) with a one-time code and keeps the enrolment: device token (secret), HQ's
  address, id and public key.
* **Push** (:mod:`.support.outbox_push`) sends the outbox in seal order, records before decisions, a few
  items in flight at once: a record (its missing attachments first, then the record) or a decision; an item
  is marked synced only on HQ's signed receipt for exactly what was sent. HQ refusing an item marks it
  ``conflict`` (409: never retried automatically) or ``failed`` (shown, queued again by 立即重试); a network
  failure leaves it pending with its error and a next attempt after a randomised, growing delay. One item
  never blocks the others; three unreachable items in a row end the run.
* **Pull** asks for pages after the saved cursor and applies each (:mod:`.support.pull_apply`) with the new
  cursor in one transaction.
* **USB**: :meth:`SyncService.export_bundle` writes the outbox into a signed bundle for ``inspector-hq import``;
  :meth:`SyncService.import_bundle` applies HQ's bundle like a pull page, after verifying it whole.

Nothing fails silently: every run ends in a report (counts, one Chinese line per problem), and the last
success and the last error are kept for the status bar and ``inspector sync status``.
"""

from __future__ import annotations

import json
import random
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from inspector_app.core.clock import Clock, parse_utc, utc_iso
from inspector_app.core.errors import InspectorError, ValidationError
from inspector_app.core.outbox import (
    OutboxItem,
    OutboxKind,
    OutboxState,
    PullReport,
    PushReport,
    ReceivedProblem,
    SyncStatus,
)
from inspector_app.services.registry import RegistryService
from inspector_app.services.support.outbox_push import (
    OutboxPusher,
    PushStopped,
    decision_payload_of,
    record_payload_of,
    record_receipt,
)
from inspector_app.services.support.pull_apply import PageApplier
from inspector_app.services.support.sealing import PUBLIC_KEY_SETTING, Sealer
from inspector_app.storage.store import Store
from inspector_app.sync.bundle import (
    BundleContent,
    BundleError,
    Party,
    blob_loaders,
    open_bundle,
    write_bundle,
)
from inspector_app.sync.client import (
    DEFAULT_TIMEOUT,
    HQRefused,
    HQUnreachable,
    RetryPolicy,
    SyncClient,
    SyncError,
)
from inspector_app.sync.protocol import DecisionPayload, Enrolment, ProtocolError, Receipt, RecordPayload
from inspector_app.trust.keys import key_fingerprint

Progress = Callable[[int, int], None]

#: Items in flight at once during a push (each on its own connection).
PUSH_PARALLEL = 4
#: A laptop clock further off than this from HQ's is reported (seals and records carry the laptop's time).
CLOCK_TOLERANCE = timedelta(minutes=5)
PULL_PAGE = 200


@dataclass(frozen=True)
class ExportReport:
    path: Path
    records: int
    decisions: int
    blobs: int
    size: int

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "path": str(self.path)}

    def summary(self) -> str:
        return (
            f"已写出同步包 {self.path}（{self.size / 1e6:.1f} MB）：检查记录 {self.records} 份、"
            f"审核决定 {self.decisions} 项、附件 {self.blobs} 个。请在总部用 inspector-hq import 导入。"
        )


def _text(value: Any) -> str:
    return str(value) if value is not None else ""


class SyncService:
    """The laptop's sync use cases (see the module docstring).

    ``retry`` and ``timeout`` are the HTTP client's; ``page_size`` the number of items asked per pull page;
    ``parallel`` how many items a push keeps in flight.
    """

    def __init__(self, store: Store, registry: RegistryService, sealer: Sealer, clock: Clock) -> None:
        self._store = store
        self._repo = store.sync
        self._sealer = sealer
        self.clock = clock
        self.retry = RetryPolicy()
        self.timeout: Any = DEFAULT_TIMEOUT
        self.page_size = PULL_PAGE
        self.parallel = PUSH_PARALLEL
        self._applier = PageApplier(store, registry, clock, sealer.device.id)
        self._lock = threading.Lock()
        self._random = random.Random()

    def _now(self) -> str:
        return utc_iso(self.clock.now())

    @property
    def busy(self) -> bool:
        """A run (push, pull, sync, bundle import) is in progress in this process."""
        return self._lock.locked()

    @contextmanager
    def _running(self) -> Iterator[None]:
        if not self._lock.acquire(blocking=False):
            raise InspectorError("同步正在进行中，请等它结束后再试")
        try:
            yield
        finally:
            self._lock.release()

    # -- enrolment ---------------------------------------------------------------------------------------

    def enrolment(self) -> Enrolment | None:
        text = self._repo.setting("enrolment")
        return Enrolment.from_dict(json.loads(text)) if text else None

    def enroll(self, url: str, code: str, *, ca_file: str = "") -> Enrolment:
        """Register this laptop at HQ with the one-time code from ``inspector-hq enroll``."""
        url = url.strip().rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise ValidationError(
                "总部地址应以 http:// 或 https:// 开头，例如 https://hq.jingmen.example:8750"
            )
        if not code.strip():
            raise ValidationError("请填写总部管理员给出的登记码（如 7KQ2-M9XA-3HTP）")
        if ca_file and not Path(ca_file).is_file():
            raise ValidationError(f"找不到总部证书文件 {ca_file}")
        public_key = self._sealer.public_key()  # created now if this laptop has never sealed anything
        previous = self.enrolment()
        with self._running(), self._client(url, ca_file=ca_file) as client:
            enrolment = client.enroll(code.strip(), self._sealer.device.id, public_key)
        with self._store.transaction():
            self._repo.set_settings(
                {"enrolment": json.dumps(enrolment.to_dict(), ensure_ascii=False), "hq_url": url,
                 "hq_ca_file": ca_file, "enrolled_at": self._now(), "pull_cursor": "0"},
                self._now(),
            )  # fmt: skip
            if previous is not None and previous.hq.id != enrolment.hq.id:
                self._repo.requeue_all()  # another HQ holds none of it: receipts of the old one do not count
        return enrolment

    def change_hq_url(self, url: str) -> None:
        """HQ moved to another address (same HQ, same enrolment): use ``url`` from now on."""
        url = url.strip().rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise ValidationError("总部地址应以 http:// 或 https:// 开头")
        self._require_enrolment()
        self._repo.set_settings({"hq_url": url}, self._now())

    def _require_enrolment(self) -> Enrolment:
        enrolment = self.enrolment()
        if enrolment is None:
            raise InspectorError(
                "本机尚未在总部登记。请先向总部管理员索取登记码，再运行 inspector sync enroll --to 总部地址 --code 登记码"
                "（或在“同步”页点“登记本机”）。"
            )
        return enrolment

    def _client(self, url: str = "", token: str = "", hq_key: str = "", ca_file: str = "") -> SyncClient:
        settings = self._repo.settings()
        ca = ca_file or settings.get("hq_ca_file", "")
        verify: bool | ssl.SSLContext = ssl.create_default_context(cafile=ca) if ca else True
        return SyncClient(
            url or settings.get("hq_url", ""), token, hq_public_key=hq_key, retry=self.retry,
            timeout=self.timeout, verify=verify,
        )  # fmt: skip

    def _enrolled_client(self, enrolment: Enrolment) -> SyncClient:
        return self._client(token=enrolment.token, hq_key=enrolment.hq.public_key)

    # -- status ------------------------------------------------------------------------------------------

    def status(self) -> SyncStatus:
        settings = self._repo.settings()
        enrolment = self.enrolment()
        counts = self._repo.counts()
        public = settings.get(PUBLIC_KEY_SETTING, "")
        return SyncStatus(
            enrolled=enrolment is not None,
            hq_url=settings.get("hq_url", ""),
            hq_name=enrolment.hq.name if enrolment else "",
            device_name=enrolment.device_name if enrolment else "",
            role=enrolment.role if enrolment else "",
            area=enrolment.area if enrolment else "",
            device_id=self._sealer.device.id,
            key_fingerprint=key_fingerprint(public) if public else "",
            pending=counts[OutboxState.PENDING],
            failed=counts[OutboxState.FAILED],
            conflict=counts[OutboxState.CONFLICT],
            synced=counts[OutboxState.SYNCED],
            cursor=settings.get("pull_cursor", "0"),
            last_success_at=_time(settings.get("last_success_at")),
            last_attempt_at=_time(settings.get("last_attempt_at")),
            last_error=settings.get("last_error", ""),
            last_error_at=_time(settings.get("last_error_at")),
            received_problems=len(self._repo.problems()),
        )

    def items(self, *, include_synced: bool = False, limit: int | None = None) -> list[OutboxItem]:
        """The outbox queue, waiting items first (the 同步 page's table)."""
        return self._repo.items(include_synced=include_synced, limit=limit)

    def problems(self) -> list[ReceivedProblem]:
        """Items from HQ refused on arrival, and decisions still waiting for their record."""
        return self._repo.problems()

    def retry_failed(self, item_ids: list[str] | None = None) -> int:
        """Queue refused items again and make pending ones due now (立即重试); conflicts are never retried."""
        return self._repo.requeue(item_ids)

    def _finish(self, error: str) -> None:
        now = self._now()
        values = {"last_attempt_at": now}
        values.update(
            {"last_error": error, "last_error_at": now}
            if error
            else {"last_success_at": now, "last_error": ""}
        )
        self._repo.set_settings(values, now)

    # -- push ----------------------------------------------------------------------------------------------

    def push(self, *, due_only: bool = False, progress: Progress | None = None) -> PushReport:
        """Send the outbox to HQ (``due_only``: only items whose automatic retry time has come)."""
        with self._running():
            return self._push(due_only, progress)

    def _push(self, due_only: bool, progress: Progress | None) -> PushReport:
        enrolment = self._require_enrolment()
        self._sealer.seal_unsealed()
        items = self._repo.due(self._now() if due_only else None)
        report = PushReport(total=len(items))
        try:
            with self._enrolled_client(enrolment) as client:
                self._hello(client, report)
            pusher = OutboxPusher(
                self._store, self.clock, lambda: self._enrolled_client(enrolment), self.parallel, self._random
            )
            pusher.run(items, report, progress)
        except PushStopped as stop:
            report.stopped = str(stop)
            report.not_tried = report.total
        self._finish(report.stopped or (report.errors[-1] if report.deferred else ""))
        return report

    def _hello(self, client: SyncClient, report: PushReport) -> None:
        """Check the token (and the laptop's clock) before sending anything."""
        try:
            answer = client.hello()
        except (HQUnreachable, SyncError) as exc:
            raise PushStopped(str(exc)) from exc
        try:
            skew = abs(parse_utc(str(answer.get("time"))) - self.clock.now())
        except (TypeError, ValueError):
            return
        if skew > CLOCK_TOLERANCE:
            report.warnings.append(
                f"本机时钟与总部相差约 {int(skew.total_seconds() // 60)} 分钟；请校准本机时间（记录和签章使用本机时间）"
            )

    def payload_of(self, item: OutboxItem) -> RecordPayload | DecisionPayload:
        """What a push (or a bundle) sends for ``item``."""
        if item.kind is OutboxKind.RECORD:
            return record_payload_of(self._store, item)
        return decision_payload_of(self._store, item)

    def _read_blob(self, sha: str) -> bytes:
        return bytes(self._store.attachments.get_bytes(sha))

    # -- pull -------------------------------------------------------------------------------------------------

    def pull(self, *, progress: Progress | None = None) -> PullReport:
        """Fetch and apply every change HQ has for this laptop since the saved cursor."""
        with self._running():
            return self._pull(progress)

    def _pull(self, progress: Progress | None) -> PullReport:
        enrolment = self._require_enrolment()
        report = PullReport(cursor=self._repo.setting("pull_cursor") or "0")
        with self._enrolled_client(enrolment) as client:
            while True:
                try:
                    page = client.pull(report.cursor, limit=self.page_size)
                    self._applier.apply(page, client.download_blob, report)
                except (HQRefused, HQUnreachable, SyncError) as exc:
                    report.stopped = str(exc)
                    break
                if progress:
                    progress(report.pages, report.pages + int(page.more))
                if not page.more:
                    break
        self._finish(report.stopped)
        return report

    def sync(
        self, *, due_only: bool = False, progress: Progress | None = None
    ) -> tuple[PushReport, PullReport]:
        """Push, then pull (one run of the 同步 page or of the automatic sync)."""
        with self._running():
            pushed = self._push(due_only, progress)
            if pushed.stopped:  # HQ unreachable or the device refused: pulling now would fail the same way
                return pushed, PullReport(
                    cursor=self._repo.setting("pull_cursor") or "0", stopped=pushed.stopped
                )
            return pushed, self._pull(None)

    # -- USB bundles ------------------------------------------------------------------------------------------

    def export_bundle(self, path: str | Path) -> ExportReport:
        """Write every item waiting for HQ into one signed bundle file (for ``inspector-hq import``)."""
        enrolment = self._require_enrolment()
        key = self._sealer.key()
        self._sealer.seal_unsealed()
        items = self._repo.due()
        if not items:
            raise InspectorError("没有待上传的检查记录或审核决定，未生成同步包")
        records = [record_payload_of(self._store, i) for i in items if i.kind is OutboxKind.RECORD]
        decisions = [decision_payload_of(self._store, i) for i in items if i.kind is OutboxKind.DECISION]
        shas = sorted({sha for record in records for sha in record.blobs()})
        content = BundleContent(records, decisions, blob_loaders(shas, self._read_blob))
        device = Party("device", self._sealer.device.id)
        written = write_bundle(path, content, device, Party("hq", enrolment.hq.id), key, self.clock.now())
        self._repo.mark_exported([i.item_id for i in items], written.name, self._now())
        return ExportReport(written, len(records), len(decisions), len(shas), written.stat().st_size)

    def import_bundle(self, path: str | Path) -> PullReport:
        """Apply a bundle exported by HQ for this laptop (decisions, registry, records), verified whole first."""
        enrolment = self._require_enrolment()
        me = Party("device", self._sealer.device.id)

        def key_for(sender: Party) -> str:
            if sender != Party("hq", enrolment.hq.id):
                raise BundleError(
                    "wrong_sender", f"同步包不是本机登记的总部（{enrolment.hq.name}）签发的，拒绝导入"
                )
            return enrolment.hq.public_key

        report = PullReport(cursor=self._repo.setting("pull_cursor") or "0")
        with self._running(), open_bundle(path, key_for) as bundle:
            if bundle.recipient != me:
                raise BundleError(
                    "wrong_recipient", "这个同步包是发给另一台设备的，不能导入本机；请在总部为本机导出"
                )
            if bundle.page is None:
                raise BundleError(
                    "not_for_laptop", "同步包中没有给本机的内容（这是笔记本导出给总部的包？请在总部导入它）"
                )
            self._applier.apply(bundle.page, bundle.blob, report)
            self._apply_receipts(bundle.receipts, enrolment, report)
        self._finish("")
        return report

    def _apply_receipts(self, receipts: list[Receipt], enrolment: Enrolment, report: PullReport) -> None:
        """HQ's receipts from a bundle: items sent by USB (or pushed before a cut answer) become synced —
        each only when the receipt is for exactly what this laptop sealed and HQ signed it."""
        now = self._now()
        with self._store.transaction():
            for receipt in receipts:
                item = self._repo.item(receipt.id)
                if item is None or item.state is OutboxState.SYNCED:
                    continue
                seal = self._repo.seal_of(item.item_id)
                kind = "record" if item.kind is OutboxKind.RECORD else "decision"
                try:
                    if seal is None or receipt.kind != kind or receipt.hash != seal.seal.digest:
                        raise ProtocolError(
                            "bad_receipt", f"总部回执与本机的{item.kind.label}不符（{receipt.id}），未采用"
                        )
                    receipt.verify(enrolment.hq.public_key)
                except ProtocolError as exc:
                    report.refused += 1
                    report.errors.append(str(exc))
                    continue
                record_receipt(self._store, item, receipt, now)
                report.receipts += 1


def _time(text: str | None) -> datetime | None:
    return parse_utc(text) if text else None
