"""Writing bundles: atomic (no partial file under the final name), and a round trip keeps every byte."""

from __future__ import annotations

import pytest

from inspector_app.sync.bundle import (
    BundleContent,
    BundleError,
    Party,
    blob_loaders,
    open_bundle,
    write_bundle,
)
from tests.builders import T0
from tests.sync_support import FakeLaptop


def test_round_trip_keeps_records_decisions_and_blobs(tmp_path):
    laptop = FakeLaptop()
    payloads = [laptop.record(), laptop.record()]
    decision = laptop.decide(payloads[0])
    shas = sorted({s for p in payloads for s in p.blobs()})
    content = BundleContent(payloads, [decision], blob_loaders(shas, laptop.blobs.__getitem__))
    path = write_bundle(tmp_path / "a.inspbundle", content, Party("device", laptop.device_id), Party("hq", "h"),
                        laptop.key, T0)  # fmt: skip
    with open_bundle(path, lambda sender: laptop.key.public) as bundle:
        assert sorted(p.id for p in bundle.records) == sorted(p.id for p in payloads)
        assert bundle.records[0].verify(laptop.key.public)
        assert [d.id for d in bundle.decisions] == [decision.id]
        bundle.decisions[0].verify(laptop.key.public)
        assert {s: bundle.blob(s) for s in bundle.blob_shas} == {s: laptop.blobs[s] for s in shas}
    assert [p.name for p in tmp_path.iterdir()] == ["a.inspbundle"]


def test_a_failed_write_leaves_neither_a_bundle_nor_a_temporary_file(tmp_path):
    laptop = FakeLaptop()
    payload = laptop.record()
    sha = payload.blobs()[0]
    content = BundleContent([payload], [], {sha: lambda: b"not the photo"})
    with pytest.raises(BundleError, match="不符"):
        write_bundle(
            tmp_path / "b.inspbundle", content, Party("device", "d"), Party("hq", "h"), laptop.key, T0
        )
    assert list(tmp_path.iterdir()) == []


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(BundleError, match="找不到同步包"):
        open_bundle(tmp_path / "nope.inspbundle", lambda sender: "")
