"""USB bundles at HQ: import a laptop's bundle (records, decisions, blobs) and export one for a laptop.

An import verifies the whole bundle first (``sync.bundle.open_bundle``: size, hashes, manifest signature by
an enrolled, unrevoked device), then goes through exactly the same acceptance as HTTP. Importing the same
bundle twice stores nothing new. An export carries every change the device would pull, signed by HQ.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from inspector_app.hq.service import HQ
from inspector_app.hq.store import DeviceRow
from inspector_app.sync.bundle import (
    BundleContent,
    BundleError,
    Party,
    blob_loaders,
    open_bundle,
    write_bundle,
)
from inspector_app.sync.protocol import ItemType, ProtocolError, PullPage, Receipt, RecordPayload


@dataclass
class ImportReport:
    """What an import did: counts, and one Chinese line per refused item (the rest were stored)."""

    device: str = ""
    records_stored: int = 0
    records_duplicate: int = 0
    decisions_stored: int = 0
    decisions_duplicate: int = 0
    blobs_stored: int = 0
    refused: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def _sender_key(hq: HQ) -> tuple[list[DeviceRow], Callable[[Party], str]]:
    found: list[DeviceRow] = []

    def key_for(sender: Party) -> str:
        device = hq.devices.by_device_id(sender.id) if sender.kind == "device" else None
        if device is None or not device.public_key:
            raise BundleError("unknown_device", f"同步包来自未在总部登记的设备（{sender.id}），拒绝导入")
        if device.revoked_at:
            raise BundleError("device_revoked", f"同步包来自已吊销的设备“{device.name}”，拒绝导入")
        found.append(device)
        return device.public_key

    return found, key_for


def _accept(
    hq: HQ, report: ImportReport, where: str, what: str, accept: Callable[[], Receipt]
) -> Receipt | None:
    """One item through HQ's normal acceptance; a refusal is reported and does not stop the others."""
    try:
        return accept()
    except ProtocolError as exc:
        report.refused.append(f"{what}：{exc}")
        hq.note_refusal(report.device, where, exc)
        return None


def import_bundle(hq: HQ, path: str | os.PathLike[str]) -> ImportReport:
    found, key_for = _sender_key(hq)
    with open_bundle(path, key_for) as bundle:
        if bundle.recipient != Party("hq", hq.identity.id):
            raise BundleError("wrong_recipient", "这个同步包不是发给本总部的（接收方标识不符），拒绝导入")
        device = found[0]
        report = ImportReport(device=device.name)
        for sha in hq.missing_blobs(bundle.blob_shas):
            hq.put_blob(sha, [bundle.blob(sha)])
            report.blobs_stored += 1
        where = f"import {Path(path).name}"
        for record in bundle.records:
            receipt = _accept(
                hq, report, where, f"记录 {record.id}", partial(hq.accept_record, device, record)
            )
            if receipt is not None:
                report.records_duplicate += receipt.duplicate
                report.records_stored += not receipt.duplicate
        for decision in bundle.decisions:
            receipt = _accept(
                hq, report, where, f"审核决定 {decision.id}", partial(hq.accept_decision, device, decision)
            )
            if receipt is not None:
                report.decisions_duplicate += receipt.duplicate
                report.decisions_stored += not receipt.duplicate
    return report


def export_bundle(hq: HQ, device_name: str, path: str | os.PathLike[str], after: str = "0") -> Path:
    """Every change ``device_name`` would pull after ``after`` (with the blobs of forwarded records), and HQ's
    receipts for everything it holds from that device."""
    device = hq.devices.by_name(device_name)
    if device is None or not device.device_id:
        raise BundleError("unknown_device", f"设备“{device_name}”不存在或尚未登记，无法导出同步包")
    items, cursor = [], after
    while True:
        page = hq.pull(device, cursor, 500)
        items += page.items
        cursor = page.cursor
        if not page.more:
            break
    shas: set[str] = set()
    for item in items:
        if item.type == ItemType.RECORD:
            shas.update(RecordPayload.from_dict(item.data).blobs())
    content = BundleContent(
        blobs=blob_loaders(sorted(shas), hq.blobs.read),
        page=PullPage(items, cursor, False),
        receipts=hq.receipts_for(device),
    )
    return write_bundle(
        path, content, Party("hq", hq.identity.id), Party("device", device.device_id), hq.key, hq.clock.now()
    )
