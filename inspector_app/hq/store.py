"""The only module that queries the HQ tables (SQLAlchemy Core; the same statements on SQLite and PostgreSQL).

Functions take an open ``Connection`` so the service decides where transactions begin and end.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, func, insert, literal, or_, select, union, update

from inspector_app.hq.schema import (
    blobs,
    decisions,
    devices,
    feed,
    hq_identity,
    record_blobs,
    records,
    refusals,
    registry,
    seals,
)
from inspector_app.trust.seals import SignedSeal

SUPERVISOR = "supervisor"


@dataclass(frozen=True)
class DeviceRow:
    pk: int
    name: str
    device_id: str | None
    public_key: str | None
    role: str
    area: str
    code_expires_at: str | None
    created_at: str
    enrolled_at: str | None
    revoked_at: str | None
    last_seen_at: str | None

    @property
    def is_supervisor(self) -> bool:
        return self.role == SUPERVISOR


_DEVICE_COLUMNS = [getattr(devices.c, name) for name in DeviceRow.__dataclass_fields__]


def _device(row: Any) -> DeviceRow | None:
    return None if row is None else DeviceRow(*row)


# -- identity and devices --------------------------------------------------------------------------------------


def identity(conn: Connection) -> Mapping[str, Any] | None:
    row = conn.execute(select(hq_identity)).mappings().first()
    return None if row is None else dict(row)


def add_identity(conn: Connection, values: Mapping[str, Any]) -> None:
    conn.execute(insert(hq_identity).values(**values))


def device_by(conn: Connection, **where: Any) -> DeviceRow | None:
    query = select(*_DEVICE_COLUMNS)
    for name, value in where.items():
        query = query.where(getattr(devices.c, name) == value)
    return _device(conn.execute(query).first())


def all_devices(conn: Connection) -> list[DeviceRow]:
    return [DeviceRow(*row) for row in conn.execute(select(*_DEVICE_COLUMNS).order_by(devices.c.name))]


def add_device(conn: Connection, values: Mapping[str, Any]) -> None:
    conn.execute(insert(devices).values(**values))


def update_device(conn: Connection, pk: int, **values: Any) -> None:
    conn.execute(update(devices).where(devices.c.pk == pk).values(**values))


# -- blobs -------------------------------------------------------------------------------------------------------


def present_blobs(conn: Connection, shas: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(shas), 500):
        chunk = list(shas[start : start + 500])
        found.update(conn.execute(select(blobs.c.sha256).where(blobs.c.sha256.in_(chunk))).scalars())
    return found


def add_blob(conn: Connection, sha: str, size: int, at: str) -> None:
    conn.execute(insert(blobs).values(sha256=sha, size=size, stored_at=at))


def blob_visible(conn: Connection, sha: str, device: DeviceRow) -> bool:
    """A device may download a blob of its own records, or (supervisor) of its area's records."""
    mine = records.c.device_id == device.device_id
    allowed = or_(mine, records.c.area == device.area) if device.is_supervisor else mine
    query = (
        select(literal(1))
        .select_from(record_blobs.join(records, records.c.id == record_blobs.c.record_id))
        .where(record_blobs.c.sha256 == sha, allowed)
        .limit(1)
    )
    return conn.execute(query).first() is not None


# -- records and seals ---------------------------------------------------------------------------------------


def record_row(conn: Connection, record_id: str) -> Mapping[str, Any] | None:
    row = conn.execute(select(records).where(records.c.id == record_id)).mappings().first()
    return None if row is None else dict(row)


def add_record(conn: Connection, values: Mapping[str, Any], shas: Sequence[str]) -> None:
    conn.execute(insert(records).values(**values))
    if shas:
        conn.execute(insert(record_blobs), [{"record_id": values["id"], "sha256": s} for s in shas])


def set_record_status(conn: Connection, record_id: str, status: str) -> None:
    conn.execute(update(records).where(records.c.id == record_id).values(status=status))


def seal_row(conn: Connection, device_id: str, seq: int) -> Mapping[str, Any] | None:
    row = (
        conn.execute(select(seals).where(seals.c.device_id == device_id, seals.c.seq == seq))
        .mappings()
        .first()
    )
    return None if row is None else dict(row)


def add_seal(conn: Connection, signed: SignedSeal) -> None:
    s = signed.seal
    conn.execute(
        insert(seals).values(
            device_id=s.device,
            seq=s.seq,
            hash=signed.hash,
            prev=s.prev,
            kind=s.kind.value,
            subject=s.subject,
            digest=s.digest,
            at=s.to_dict()["at"],
            signature=signed.signature,
        )  # fmt: skip
    )


def seal_of(conn: Connection, device_id: str, seq: int) -> SignedSeal:
    row = seal_row(conn, device_id, seq)
    assert row is not None, f"seal {device_id}#{seq} missing"
    data = {k: row[k] for k in ("device", "seq", "kind", "subject", "digest", "prev", "at", "signature")
            if k in row}  # fmt: skip
    data.update(device=row["device_id"], format="inspector-seal/1")
    return SignedSeal.from_dict(data)


def chain_gaps(conn: Connection, device_id: str) -> int:
    """How many seals of the device HQ has not received (between 1 and the highest it holds)."""
    count, top = conn.execute(
        select(func.count(), func.coalesce(func.max(seals.c.seq), 0)).where(seals.c.device_id == device_id)
    ).one()
    return int(top) - int(count)


def device_receipts(conn: Connection, device_id: str) -> list[tuple[str, str, str, str]]:
    """``(kind, id, hash, received_at)`` of every record and decision HQ holds from one device."""
    found = conn.execute(
        select(literal("record"), records.c.id, records.c.hash, records.c.received_at)
        .where(records.c.device_id == device_id)
        .union_all(
            select(literal("decision"), decisions.c.id, decisions.c.digest, decisions.c.received_at).where(
                decisions.c.device_id == device_id
            )
        )
    )
    return [(str(k), str(i), str(h), str(t)) for k, i, h, t in found]


# -- decisions ---------------------------------------------------------------------------------------------------


def decision_row(conn: Connection, **where: Any) -> Mapping[str, Any] | None:
    query = select(decisions)
    for name, value in where.items():
        query = query.where(getattr(decisions.c, name) == value)
    row = conn.execute(query).mappings().first()
    return None if row is None else dict(row)


def add_decision(conn: Connection, values: Mapping[str, Any]) -> None:
    conn.execute(insert(decisions).values(**values))


# -- registry ------------------------------------------------------------------------------------------------------


def registry_data(conn: Connection, uscc: str) -> str | None:
    value = conn.execute(select(registry.c.data).where(registry.c.uscc == uscc)).scalar()
    return None if value is None else str(value)


def put_registry(conn: Connection, uscc: str, area: str, data: str, at: str, *, exists: bool) -> None:
    if exists:
        conn.execute(
            update(registry).where(registry.c.uscc == uscc).values(area=area, data=data, changed_at=at)
        )
    else:
        conn.execute(insert(registry).values(uscc=uscc, area=area, data=data, changed_at=at))


# -- feed ------------------------------------------------------------------------------------------------------------


def add_feed(conn: Connection, kind: str, ref: str, origin: str, area: str, at: str) -> None:
    conn.execute(insert(feed).values(kind=kind, ref=ref, origin_device=origin, area=area, created_at=at))


def feed_page(conn: Connection, device: DeviceRow, after: int, limit: int) -> list[tuple[int, str, str]]:
    """(seq, kind, ref) of changes for ``device`` after ``after``: its records' decisions, the registry, and
    for a supervisor the area's records and decisions (never its own records back).

    One index-ordered branch per audience (``ix_feed_kind``, ``ix_feed_origin``, ``ix_feed_area``), each
    limited, then merged: a device with nothing new costs a few index probes, not a scan of the feed.
    """

    def branch(*where: Any) -> Any:
        inner = (
            select(feed.c.seq, feed.c.kind, feed.c.ref)
            .where(feed.c.seq > after, *where)
            .order_by(feed.c.seq)
            .limit(limit)
            .subquery()
        )
        return select(inner.c.seq, inner.c.kind, inner.c.ref)

    branches = [
        branch(feed.c.kind == "registry"),
        branch(feed.c.origin_device == device.device_id, feed.c.kind == "decision"),
    ]
    if device.is_supervisor:
        branches.append(
            branch(
                feed.c.area == device.area,
                or_(
                    feed.c.kind == "decision",
                    and_(feed.c.kind == "record", feed.c.origin_device != device.device_id),
                ),
            )
        )
    merged = union(*branches).subquery()  # UNION: a decision seen by two branches comes once
    query = select(merged.c.seq, merged.c.kind, merged.c.ref).order_by(merged.c.seq).limit(limit)
    return [(int(s), k, r) for s, k, r in conn.execute(query)]


# -- refusals and listings -------------------------------------------------------------------------------------------


def add_refusal(conn: Connection, values: Mapping[str, Any]) -> None:
    conn.execute(insert(refusals).values(**values))


def recent_refusals(conn: Connection, limit: int = 20) -> list[dict[str, Any]]:
    query = select(refusals).order_by(refusals.c.id.desc()).limit(limit)
    return [dict(r) for r in conn.execute(query).mappings()]


def list_records(
    conn: Connection, *, since: str = "", area: str = "", limit: int | None = None
) -> list[dict[str, Any]]:
    query = (
        select(
            records.c.id,
            records.c.hash,
            func.coalesce(devices.c.name, records.c.device_id).label("device"),
            records.c.document_no,
            records.c.status,
            records.c.received_at,
        )  # fmt: skip
        .select_from(records.outerjoin(devices, devices.c.device_id == records.c.device_id))
        .order_by(records.c.received_at, records.c.id)
    )
    if since:
        query = query.where(records.c.received_at >= since)
    if area:
        query = query.where(records.c.area == area)
    if limit:
        query = query.limit(limit)
    return [dict(r) for r in conn.execute(query).mappings()]


def queue(conn: Connection, area: str, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """A supervisor's review queue for one area: synced records oldest first (the ``ix_records_queue`` index)."""
    query = (
        select(
            records.c.id,
            records.c.document_no,
            records.c.business_name,
            records.c.uscc,
            records.c.family,
            records.c.form_id,
            records.c.finalized_at,
            records.c.received_at,
            records.c.device_id,
        )  # fmt: skip
        .where(records.c.area == area, records.c.status == "synced")
        .order_by(records.c.finalized_at, records.c.id)
        .limit(limit)
        .offset(offset)
    )
    return [dict(r) for r in conn.execute(query).mappings()]


def content_of(row: Mapping[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(row["content"])
    return data


# -- status page read model ------------------------------------------------------------------------------------------


def pending_by_device(conn: Connection) -> dict[str, int]:
    """Records awaiting review per device id."""
    query = (
        select(records.c.device_id, func.count())
        .where(records.c.status == "synced")
        .group_by(records.c.device_id)
    )
    return {str(d): int(n) for d, n in conn.execute(query)}


def received_by_day(conn: Connection, days: int = 14) -> list[tuple[str, int]]:
    day = func.substr(records.c.received_at, 1, 10)
    query = select(day, func.count()).group_by(day).order_by(day.desc()).limit(days)
    return [(str(d), int(n)) for d, n in conn.execute(query)]


def received_by_area_family(conn: Connection) -> list[tuple[str, str, str, int]]:
    """(area, family, status, count) over all records."""
    cols = (records.c.area, records.c.family, records.c.status)
    query = select(*cols, func.count()).group_by(*cols).order_by(*cols)
    return [(str(a), str(f), str(s), int(n)) for a, f, s, n in conn.execute(query)]


def decision_for(conn: Connection, record_id: str) -> Mapping[str, Any] | None:
    return decision_row(conn, record_id=record_id)
