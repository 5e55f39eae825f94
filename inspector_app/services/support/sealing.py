"""Sealing this laptop's acts: every finalized record and every review decision made here becomes the next
seal in the device's chain (``docs/sync-protocol.md`` §2.3) and an outbox item for HQ.

The finalize and review use cases call :meth:`Sealer.seal_record` / :meth:`Sealer.seal_decision` inside the
transaction that stores the act, so an act is never stored without its seal (nor sealed without being stored).
The device key is created on first use; at that moment every earlier unsealed act (records finalized before
this version, or in a restored older database) is sealed first, in the order the acts happened.
"""

from __future__ import annotations

from pathlib import Path

from inspector_app.core.clock import Clock, utc_iso
from inspector_app.core.errors import NotFound
from inspector_app.core.outbox import OutboxKind
from inspector_app.core.records import Inspection
from inspector_app.core.reviews import ReviewEvent
from inspector_app.services.support.device import Device, load_device
from inspector_app.services.support.device_key import DeviceKeyError, create_device_key, load_device_key
from inspector_app.storage.store import Store
from inspector_app.sync.protocol import decision_payload, seal_record
from inspector_app.trust.keys import DeviceKey
from inspector_app.trust.seals import SignedSeal

PUBLIC_KEY_SETTING = "device_public_key"


class Sealer:
    """Seals acts into the device chain and queues them in the outbox (see the module docstring)."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._repo = store.sync
        self.clock = clock
        self._device: Device | None = None
        self._key: DeviceKey | None = None

    @property
    def device(self) -> Device:
        if self._device is None:
            self._device = load_device(Path(self._store.home.device_file))
        return self._device

    @property
    def key_path(self) -> Path:
        return Path(self._store.home.device_key_file)

    def public_key(self) -> str:
        """The device's public key text (creating the key if this laptop has none yet)."""
        return self.key().public

    def key(self) -> DeviceKey:
        """The device key; created (and every earlier act sealed) the first time it is needed."""
        if self._key is not None:
            return self._key
        with self._store.transaction():
            known = self._repo.setting(PUBLIC_KEY_SETTING)
            key = load_device_key(self.key_path)
            if key is None:
                if known:
                    raise DeviceKeyError(
                        f"设备私钥文件 {self.key_path} 缺失，而本机已有用它签章的记录。请从备份恢复该文件后再试；"
                        "不要重新生成：新密钥无法延续本机的签章链。"
                    )
                key = create_device_key(self.key_path)
            if not known:
                self._repo.set_settings({PUBLIC_KEY_SETTING: key.public}, self._now())
            elif known != key.public:
                raise DeviceKeyError(
                    f"设备私钥文件 {self.key_path} 不是本机签章所用的密钥（可能被替换）。请从备份恢复原文件。"
                )
            self._key = key  # before sealing: the seals below ask for the key again
            try:
                self.seal_unsealed()
            except BaseException:
                self._key = None  # rolled back: check again next time
                raise
        return key

    def _now(self) -> str:
        return utc_iso(self.clock.now())

    # -- sealing ---------------------------------------------------------------------------------------

    def seal_record(self, record: Inspection) -> SignedSeal:
        """Seal a record just finalized on this laptop (inside the finalizing transaction)."""
        with self._store.transaction():
            key = self.key()  # on first use this already sealed the record with the earlier ones
            found = self._repo.seal_of(record.id)
            if found is not None:
                return found
            signed = seal_record(record, self._repo.last_seal(), key, self.clock.now())
            self._repo.add_seal(signed, record.id, OutboxKind.RECORD, self._now())
            return signed

    def seal_decision(self, event: ReviewEvent, record_hash: str) -> SignedSeal:
        """Seal a review decision made on this laptop (inside the transaction that stores it)."""
        with self._store.transaction():
            key = self.key()
            found = self._repo.seal_of(event.id)
            if found is not None:
                return found
            payload = decision_payload(
                event, record_hash, self.device.id, self._repo.last_seal(), key, self.clock.now()
            )
            self._repo.add_seal(payload.seal, event.id, OutboxKind.DECISION, self._now())
            return payload.seal

    def seal_unsealed(self) -> int:
        """Seal this device's acts that have no seal yet, oldest first; returns how many were sealed."""
        sealed = 0
        with self._store.transaction():
            for kind, item_id, record_id in self._repo.unsealed_acts(self.device.id):
                if kind == "record":
                    self.seal_record(self._store.inspections.load(record_id))
                else:
                    _canonical, digest = self._repo.sealed_record(record_id)
                    self.seal_decision(self._event(record_id, item_id), digest)
                sealed += 1
        return sealed

    def _event(self, record_id: str, event_id: str) -> ReviewEvent:
        for event in self._store.reviews.events_for(record_id):
            if event.id == event_id:
                return event
        raise NotFound(f"找不到审核决定 {event_id}")
