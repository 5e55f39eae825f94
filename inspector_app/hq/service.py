"""HQ's rules: verify before storing, store each record and decision once, forward decisions and records.

``HQ`` is what the HTTP API, the bundle import and the CLI call. Every refusal is a :class:`ProtocolError`
(machine code, Chinese message, HTTP status) and leaves nothing stored.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError

from inspector_app.core.clock import Clock, SystemClock, parse_utc, utc_iso
from inspector_app.core.registry import Business
from inspector_app.hq import store
from inspector_app.hq.blobs import BlobStore
from inspector_app.hq.devices import Devices
from inspector_app.hq.store import DeviceRow
from inspector_app.sync.protocol import (
    MAX_BLOB_BYTES,
    MAX_PULL_LIMIT,
    DecisionPayload,
    HQIdentity,
    ItemType,
    ProtocolError,
    PullItem,
    PullPage,
    Receipt,
    RecordPayload,
    business_to_dict,
    canonical_json,
    check_sha256,
    parse_cursor,
)
from inspector_app.trust.keys import DeviceKey
from inspector_app.trust.seals import SignedSeal

DEFAULT_NAME = "荆门市市场监督管理局 · 总部"
SYNCED = "synced"


def _family(form_id: str) -> str:
    return form_id.split(".", 1)[0] or "other"


class HQ:
    """One HQ database plus its blob folder."""

    def __init__(self, engine: Engine, blob_root: Path, clock: Clock | None = None) -> None:
        self.engine = engine
        self.blobs = BlobStore(blob_root)
        self.clock = clock or SystemClock()
        self.key, self.identity = self._identity()
        self.devices = Devices(engine, self.clock, self.identity)

    def _now(self) -> str:
        return utc_iso(self.clock.now())

    def _identity(self) -> tuple[DeviceKey, HQIdentity]:
        with self.engine.begin() as conn:
            row = store.identity(conn)
            if row is None:
                key = DeviceKey.generate()
                row = {"id": str(uuid.uuid4()), "name": DEFAULT_NAME, "private_key": key.to_pem().decode(),
                       "public_key": key.public, "created_at": self._now()}  # fmt: skip
                store.add_identity(conn, row)
        key = DeviceKey.from_pem(str(row["private_key"]).encode())
        return key, HQIdentity(str(row["id"]), str(row["name"]), key.public)

    # -- blobs ---------------------------------------------------------------------------------------------

    def missing_blobs(self, shas: Sequence[str]) -> list[str]:
        wanted = sorted({check_sha256(s) for s in shas})
        with self.engine.connect() as conn:
            present = store.present_blobs(conn, wanted)
        return [s for s in wanted if s not in present or not self.blobs.path_for(s).exists()]

    def put_blob(self, sha: str, chunks: Iterable[bytes]) -> bool:
        """Store one blob (streamed, verified); False when HQ already had it (the body is then discarded)."""
        check_sha256(sha)
        if not self.missing_blobs([sha]) and self.blobs.verified(sha):
            for _ in chunks:  # drain the body so the connection stays usable
                pass
            return False
        size = self.blobs.write(sha, chunks, MAX_BLOB_BYTES)
        try:
            with self.engine.begin() as conn:
                store.add_blob(conn, sha, size, self._now())
        except IntegrityError:
            pass  # stored by a concurrent upload of the same bytes
        return True

    def read_blob(self, device: DeviceRow, sha: str) -> bytes:
        check_sha256(sha)
        with self.engine.connect() as conn:
            if not store.blob_visible(conn, sha, device):
                raise ProtocolError("not_found", f"没有本设备可以下载的附件 {sha[:12]}…", 404)
        return self.blobs.read(sha)

    # -- records ----------------------------------------------------------------------------------------------

    def _receipt(self, kind: str, item_id: str, digest: str, time: str, duplicate: bool) -> Receipt:
        unsigned = Receipt(kind, item_id, digest, parse_utc(time), duplicate)
        signature = base64.b64encode(self.key.sign(unsigned.signed_bytes())).decode("ascii")
        return Receipt(kind, item_id, digest, unsigned.time, duplicate, signature)

    def _check_sender(self, device: DeviceRow, payload_device: str, what: str) -> str:
        if payload_device != device.device_id:
            raise ProtocolError(
                "device_mismatch",
                f"{what}由另一台设备（{payload_device}）签章，不能用本设备“{device.name}”的令牌提交",
                403,
            )
        assert device.public_key is not None
        return device.public_key

    def _check_chain(self, conn: Connection, signed: SignedSeal) -> bool:
        """True when the seal is already stored; 409 when it forks or breaks the device's chain."""
        seal = signed.seal
        same = store.seal_row(conn, seal.device, seal.seq)
        if same is not None:
            if same["hash"] != signed.hash:
                raise ProtocolError(
                    "chain_fork", f"设备签章链第 {seal.seq} 号已是另一份内容（签章链分叉），拒收", 409
                )
            return True
        before = store.seal_row(conn, seal.device, seal.seq - 1)
        after = store.seal_row(conn, seal.device, seal.seq + 1)
        if (before is not None and before["hash"] != seal.prev) or (
            after is not None and after["prev"] != signed.hash
        ):
            raise ProtocolError(
                "chain_broken", f"签章第 {seal.seq} 号与相邻签章不衔接（签章链被删改），拒收", 409
            )
        return False

    def accept_record(self, device: DeviceRow, payload: RecordPayload) -> Receipt:
        """Verify and store a record once; the same id and hash again gives the same receipt."""
        record = payload.verify(self._check_sender(device, payload.device, f"记录 {payload.id} "))
        shas = payload.blobs()
        missing = self.missing_blobs(shas)
        if missing:
            raise ProtocolError(
                "missing_blobs", f"记录 {payload.id} 的 {len(missing)} 个附件尚未上传，请先上传附件", 422,
                {"missing": missing},
            )  # fmt: skip
        existing = self._existing_record(payload)
        if existing is not None:
            return existing
        now = self._now()
        row = {
            "id": record.id, "hash": payload.hash, "device_id": payload.device, "document_no": record.document_no,
            "status": SYNCED, "area": record.business.area, "family": _family(record.form_id),
            "form_id": record.form_id, "form_version": record.form_version, "business_name": record.business.name,
            "uscc": record.business.uscc, "started_at": utc_iso(record.started_at),
            "finalized_at": utc_iso(record.finalized_at) if record.finalized_at else now, "received_at": now,
            "seal_seq": payload.seal.seal.seq, "content": json.dumps(payload.content, ensure_ascii=False),
        }  # fmt: skip
        try:
            with self.engine.begin() as conn:
                sealed = self._check_chain(conn, payload.seal)
                store.add_record(conn, row, shas)
                if not sealed:
                    store.add_seal(conn, payload.seal)
                store.add_feed(conn, ItemType.RECORD, record.id, payload.device, record.business.area, now)
        except IntegrityError:
            existing = self._existing_record(payload)  # a concurrent push of the same record won
            if existing is None:
                raise ProtocolError(
                    "chain_fork", f"记录 {payload.id} 的签章序号已被另一份内容占用，拒收", 409
                ) from None
            return existing
        return self._receipt("record", record.id, payload.hash, now, False)

    def _existing_record(self, payload: RecordPayload) -> Receipt | None:
        with self.engine.connect() as conn:
            row = store.record_row(conn, payload.id)
        if row is None:
            return None
        if row["hash"] != payload.hash:
            raise ProtocolError(
                "hash_conflict",
                f"总部已有记录 {payload.id}（文书编号 {row['document_no']}），但内容不同（哈希 {row['hash'][:12]}…）："
                "定稿记录不能修改，更正请创建新版本",
                409,
                {"stored_hash": row["hash"]},
            )
        return self._receipt("record", payload.id, payload.hash, row["received_at"], True)

    def receipts_for(self, device: DeviceRow) -> list[Receipt]:
        """HQ's receipts for everything it holds from ``device`` (the same receipts a push is answered with);
        an export bundle carries them so a laptop without a network learns what reached HQ."""
        with self.engine.connect() as conn:
            rows = store.device_receipts(conn, device.device_id or "")
        return [self._receipt(kind, item_id, digest, at, True) for kind, item_id, digest, at in rows]

    # -- decisions --------------------------------------------------------------------------------------------

    def accept_decision(self, device: DeviceRow, payload: DecisionPayload) -> Receipt:
        """Verify and store a review decision, move the record's status, and forward it to the inspector."""
        payload.verify(self._check_sender(device, payload.device, f"审核决定 {payload.id} "))
        for attempt in range(2):
            with self.engine.connect() as conn:
                same = store.decision_row(conn, id=payload.id)
                record = store.record_row(conn, payload.record_id)
            if same is not None:
                if same["digest"] != payload.digest:
                    raise ProtocolError("hash_conflict", f"总部已有审核决定 {payload.id}，但内容不同", 409)
                return self._receipt("decision", payload.id, payload.digest, same["received_at"], True)
            self._check_decidable(device, payload, record)
            assert record is not None
            now = self._now()
            try:
                with self.engine.begin() as conn:
                    sealed = self._check_chain(conn, payload.seal)
                    store.add_decision(conn, self._decision_row(payload, now))
                    store.set_record_status(conn, payload.record_id, payload.decision.status.value)
                    if not sealed:
                        store.add_seal(conn, payload.seal)
                    store.add_feed(
                        conn, ItemType.DECISION, payload.id, record["device_id"], record["area"], now
                    )
            except IntegrityError:
                if attempt:
                    raise
                continue  # a concurrent push of the same (or a competing) decision: look again
            return self._receipt("decision", payload.id, payload.digest, now, False)
        raise AssertionError("unreachable")

    @staticmethod
    def _decision_row(payload: DecisionPayload, now: str) -> dict[str, Any]:
        return {
            "id": payload.id, "record_id": payload.record_id, "decision": payload.decision.value,
            "digest": payload.digest, "device_id": payload.device, "actor_name": payload.actor_name,
            "comment": payload.comment, "decided_at": utc_iso(payload.decided_at), "received_at": now,
            "payload": json.dumps(payload.to_dict(), ensure_ascii=False),
        }  # fmt: skip

    def _check_decidable(
        self, device: DeviceRow, payload: DecisionPayload, record: Mapping[str, Any] | None
    ) -> None:
        if record is None:
            raise ProtocolError(
                "record_unknown",
                f"总部还没有记录 {payload.record_id}：请先推送该记录，再推送对它的审核决定",
                422,
            )
        if record["hash"] != payload.record_hash:
            raise ProtocolError("decision_stale", "审核决定针对的记录内容与总部所存的不同，拒收", 409)
        if record["status"] != SYNCED:
            with self.engine.connect() as conn:
                other = store.decision_row(conn, record_id=payload.record_id)
            who = f"（{other['actor_name']} 于 {other['decided_at']}）" if other else ""
            raise ProtocolError(
                "already_decided", f"记录 {record['document_no']} 已有审核决定{who}，不能重复审核", 409,
                {"existing": other["id"] if other else ""},
            )  # fmt: skip
        content = store.content_of(record)
        inspectors = {i.get("user_id") for i in content.get("inspectors", []) if i.get("user_id")}
        if payload.actor_id and (
            payload.actor_id in inspectors or payload.actor_id == content.get("created_by")
        ):
            raise ProtocolError("self_review", "审核人参与了该次检查，不能审核本人的记录", 403)
        if device.role != "supervisor" and record["device_id"] != device.device_id:
            raise ProtocolError(
                "forbidden", f"设备“{device.name}”不是审核人设备，不能审核其他设备的记录", 403
            )

    # -- pull ---------------------------------------------------------------------------------------------------

    def pull(self, device: DeviceRow, cursor: str, limit: int = 200) -> PullPage:
        """The next changes for ``device`` after ``cursor`` (see ``store.feed_page`` for who sees what)."""
        after = int(parse_cursor(cursor))
        limit = max(1, min(limit, MAX_PULL_LIMIT))
        with self.engine.connect() as conn:
            rows = store.feed_page(conn, device, after, limit + 1)
            items = [self._item(conn, seq, kind, ref) for seq, kind, ref in rows[:limit]]
        last = items[-1].seq if items else after
        return PullPage(items, str(last), len(rows) > limit)

    def _item(self, conn: Connection, seq: int, kind: str, ref: str) -> PullItem:
        if kind == ItemType.DECISION:
            row = store.decision_row(conn, id=ref)
            assert row is not None
            return PullItem(seq, kind, {**json.loads(row["payload"]), **self._signer(conn, row["device_id"])})
        if kind == ItemType.REGISTRY:
            data = store.registry_data(conn, ref)
            assert data is not None
            return PullItem(seq, kind, json.loads(data))
        record = store.record_row(conn, ref)
        assert record is not None
        seal = store.seal_of(conn, record["device_id"], record["seal_seq"])
        payload = RecordPayload(record["id"], record["hash"], store.content_of(record), seal)
        return PullItem(seq, kind, {**payload.to_dict(), **self._signer(conn, record["device_id"])})

    @staticmethod
    def _signer(conn: Connection, device_id: str) -> dict[str, str]:
        """Who sealed a forwarded item, so the receiving laptop can verify the seal itself."""
        device = store.device_by(conn, device_id=device_id)
        return {
            "device_name": device.name if device else "",
            "device_key": (device and device.public_key) or "",
        }

    # -- registry -----------------------------------------------------------------------------------------------

    def import_registry(self, businesses: Iterable[Business]) -> tuple[int, int]:
        """Store changed businesses and queue them for every device; returns (changed, unchanged)."""
        changed = unchanged = 0
        now = self._now()
        with self.engine.begin() as conn:
            for business in businesses:
                data = canonical_json(business_to_dict(business)).decode()
                old = store.registry_data(conn, business.uscc)
                if old == data:
                    unchanged += 1
                    continue
                store.put_registry(conn, business.uscc, business.area, data, now, exists=old is not None)
                store.add_feed(conn, ItemType.REGISTRY, business.uscc, "", business.area, now)
                changed += 1
        return changed, unchanged

    # -- refusals and listings ----------------------------------------------------------------------------------

    def note_refusal(self, device: str, endpoint: str, error: ProtocolError) -> None:
        """Keep the last refusals for the status page (best effort: never hides the original error)."""
        try:
            with self.engine.begin() as conn:
                store.add_refusal(
                    conn, {"at": self._now(), "device": device[:100], "endpoint": endpoint[:100],
                           "status": error.status, "code": error.code[:50], "message": error.message[:2000]},
                )  # fmt: skip
        except Exception:
            pass

    def records(self, *, since: str = "", area: str = "") -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return store.list_records(conn, since=since, area=area)
