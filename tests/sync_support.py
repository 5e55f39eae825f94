"""Test support for sync and HQ: a fake laptop (device id, Ed25519 key, seal chain, blobs) that builds
finalized records with the shared builders and seals them like the real laptop will."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from inspector_app.core.checklist import Result
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.records import Answer, Attachment, Inspection, Signature, SignerRole, content_hash
from inspector_app.core.reviews import Decision, ReviewEvent
from inspector_app.sync.protocol import (
    DecisionPayload,
    RecordPayload,
    decision_payload,
    record_payload,
    seal_record,
)
from inspector_app.trust.keys import DeviceKey
from inspector_app.trust.seals import SignedSeal
from tests.builders import T0, make_draft, make_jpeg, make_party, make_signature_png


@dataclass
class FakeLaptop:
    """What a laptop holds for sync: its id, key, the last seal of its chain, and its attachment bytes."""

    device_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    key: DeviceKey = field(default_factory=DeviceKey.generate)
    last_seal: SignedSeal | None = None
    blobs: dict[str, bytes] = field(default_factory=dict)
    made: int = 0

    def finalized(self, *, photos: int = 2, area: str = "东宝区", **overrides: object) -> Inspection:
        """A finalized record with ``photos`` distinct JPEGs on one answer and a signature image."""
        self.made += 1
        seed = self.made
        shas: list[str] = []
        attachments: dict[str, Attachment] = {}
        for n in range(photos):
            data = make_jpeg(32 + (seed * 7 + n) % 90, 24 + n, color=("red", "green", "blue")[n % 3])
            data += seed.to_bytes(4, "big") + self.device_id.encode()  # distinct bytes per record and laptop
            sha = self._keep(data)
            shas.append(sha)
            attachments[sha] = Attachment(sha, "photo", "image/jpeg", len(data), 64, 48)
        png = make_signature_png(seed)
        sign_sha = self._keep(png + self.device_id.encode())
        attachments[sign_sha] = Attachment(
            sign_sha, "signature", "image/png", len(self.blobs[sign_sha]), 300, 120
        )
        record = make_draft(business=make_party(area=area), attributes={"kind": "小餐饮", "area": area})
        record.answers = {
            "K1": Answer("K1", "符合", Result.COMPLIANT, photos=shas, answered_at=T0),
            "K2": Answer("K2", "符合", Result.COMPLIANT, answered_at=T0),
        }
        record.signatures = [Signature(SignerRole.INSPECTOR, "李明", sign_sha, signed_at=T0)]
        record.attachments = attachments
        record.status = RecordStatus.FINALIZED
        record.verdict = "符合"
        record.finalized_at = T0 + timedelta(hours=1, seconds=seed)
        record.device_id = self.device_id
        record.document_no = f"JM-{self.device_id[:4].upper()}-2026-{seed:05d}"
        for name, value in overrides.items():
            setattr(record, name, value)
        record.content_hash = content_hash(record)
        return record

    def _keep(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        self.blobs[sha] = data
        return sha

    def seal(self, record: Inspection) -> RecordPayload:
        """Seal the record as the next act in this laptop's chain and return its payload."""
        self.last_seal = seal_record(record, self.last_seal, self.key, record.finalized_at or T0)
        return record_payload(record, self.last_seal)

    def record(self, **overrides: object) -> RecordPayload:
        return self.seal(self.finalized(**overrides))

    def decide(
        self, record: RecordPayload, decision: Decision = Decision.RETURNED, comment: str = "请补拍后厨照片",
        actor_id: str = "u-boss",
    ) -> DecisionPayload:  # fmt: skip
        event = ReviewEvent(
            str(uuid.uuid4()), record.id, decision, actor_id, "王审核", comment, T0 + timedelta(days=1)
        )
        payload = decision_payload(
            event, record.hash, self.device_id, self.last_seal, self.key, event.decided_at
        )
        self.last_seal = payload.seal
        return payload
