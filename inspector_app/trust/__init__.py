"""Device trust: Ed25519 device keys and the per-device hash chain of signed seals.

Pure functions only (no Qt, no SQL, no I/O besides what the caller passes in). The laptop signs with them,
HQ verifies with them, and ``inspector verify`` will check a chain with them; ``docs/sync-protocol.md``
§ Trust describes the exact bytes.
"""

from inspector_app.trust.keys import (
    DeviceKey,
    generate_key,
    key_fingerprint,
    load_private_key,
    load_public_key,
    private_key_bytes,
    public_key_text,
)
from inspector_app.trust.seals import (
    GENESIS,
    SEAL_FORMAT,
    Seal,
    SealKind,
    SignedSeal,
    TrustError,
    build_seal,
    next_seal,
    seal_bytes,
    seal_hash,
    sign_seal,
    verify_chain,
    verify_seal,
)

__all__ = [
    "GENESIS",
    "SEAL_FORMAT",
    "DeviceKey",
    "Seal",
    "SealKind",
    "SignedSeal",
    "TrustError",
    "build_seal",
    "generate_key",
    "key_fingerprint",
    "load_private_key",
    "load_public_key",
    "next_seal",
    "private_key_bytes",
    "public_key_text",
    "seal_bytes",
    "seal_hash",
    "sign_seal",
    "verify_chain",
    "verify_seal",
]
