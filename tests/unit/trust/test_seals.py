"""Device keys and the seal chain: sign, verify, and every way a chain can be broken."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from inspector_app.trust import (
    GENESIS,
    DeviceKey,
    SealKind,
    SignedSeal,
    TrustError,
    key_fingerprint,
    next_seal,
    seal_bytes,
    sign_seal,
    verify_chain,
    verify_seal,
)
from inspector_app.trust.events import decision_digest
from inspector_app.trust.keys import KeyFormatError, load_public_key

T0 = datetime(2026, 3, 2, 1, 0, 30, 123456, tzinfo=UTC)
DEVICE = "3f2a0b7c-1111-4222-8333-444455556666"
DIGEST = "ab" * 32


def chain(key: DeviceKey, count: int) -> list[SignedSeal]:
    seals: list[SignedSeal] = []
    for n in range(count):
        previous = seals[-1] if seals else None
        kind = SealKind.RECORD if n % 2 == 0 else SealKind.REVIEW
        seal = next_seal(previous, DEVICE, kind, f"record-{n}", f"{n:064x}", T0 + timedelta(minutes=n))
        seals.append(sign_seal(seal, key))
    return seals


def test_private_key_survives_pem_round_trip_and_signs_verifiably():
    key = DeviceKey.generate()
    again = DeviceKey.from_pem(key.to_pem())
    assert again.public == key.public and key.public.startswith("ed25519:")
    assert len(key.fingerprint) == 64 and key.fingerprint == key_fingerprint(again.public)
    verify_seal(sign_seal(chain(key, 1)[0].seal, again), key.public)


def test_broken_key_texts_are_refused_in_chinese():
    with pytest.raises(KeyFormatError, match="PEM"):
        DeviceKey.from_pem(b"not a key")
    for text in ("rsa:AAAA", "ed25519:***", "ed25519:AAAA"):
        with pytest.raises(KeyFormatError):
            load_public_key(text)


def test_seal_bytes_are_canonical_json_with_whole_seconds():
    seal = chain(DeviceKey.generate(), 1)[0].seal
    assert seal.prev == GENESIS and seal.seq == 1
    text = seal_bytes(seal).decode()
    assert text.startswith('{"at":"2026-03-02T01:00:30Z","device":')
    assert " " not in text and '"format":"inspector-seal/1"' in text


def test_a_whole_chain_verifies_and_returns_the_last_hash():
    key = DeviceKey.generate()
    seals = chain(key, 5)
    assert verify_chain(seals, key.public) == seals[-1].hash
    assert verify_chain(seals[2:], key.public, prev=seals[1].hash, first_seq=3) == seals[-1].hash


def test_a_forged_or_altered_seal_fails():
    key, other = DeviceKey.generate(), DeviceKey.generate()
    signed = chain(key, 1)[0]
    with pytest.raises(TrustError, match="签名验证失败") as err:
        verify_seal(signed, other.public)
    assert err.value.code == "bad_signature"
    altered = SignedSeal(replace(signed.seal, digest=DIGEST), signed.signature)
    with pytest.raises(TrustError):
        verify_seal(altered, key.public)
    with pytest.raises(TrustError):
        verify_seal(SignedSeal(signed.seal, "%%%"), key.public)


@pytest.mark.parametrize("damage", ["drop", "swap", "replace"])
def test_removing_reordering_or_replacing_a_seal_breaks_the_chain(damage):
    key = DeviceKey.generate()
    seals = chain(key, 4)
    if damage == "drop":
        del seals[1]
    elif damage == "swap":
        seals[1], seals[2] = seals[2], seals[1]
    else:  # a validly signed seal with the right seq but another predecessor
        fake = next_seal(None, DEVICE, SealKind.RECORD, "x", DIGEST, T0)
        seals[2] = sign_seal(replace(fake, seq=3), key)
    with pytest.raises(TrustError) as err:
        verify_chain(seals, key.public)
    assert err.value.code == "chain_broken"


def test_round_trip_through_the_wire_form_and_malformed_seals():
    signed = chain(DeviceKey.generate(), 2)[1]
    assert SignedSeal.from_dict(signed.to_dict()) == signed
    for bad in (
        {**signed.to_dict(), "seq": 0},
        {**signed.to_dict(), "kind": "x"},
        {**signed.to_dict(), "prev": "AB"},
    ):
        with pytest.raises(TrustError) as err:
            SignedSeal.from_dict(bad)
        assert err.value.code == "malformed_seal"


def test_decision_digest_covers_every_field():
    decision = {
        "id": "d", "record_id": "r", "record_hash": DIGEST, "decision": "returned", "actor_id": "u",
        "actor_name": "王审核", "comment": "补拍照片", "decided_at": "2026-03-02T01:00:00Z",
    }  # fmt: skip
    base = decision_digest(decision)
    for name in decision:
        assert decision_digest({**decision, name: decision[name] + "x"}) != base
