"""Digests of sealed events other than records: today the supervisor's review decision.

A decision's canonical form is UTF-8 JSON (sorted keys, no whitespace) of the fields below with the format tag
``inspector-review/1``; its digest is the SHA-256 of those bytes and goes into a ``review`` seal.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

REVIEW_FORMAT = "inspector-review/1"
#: Fields of a decision that are covered by its digest (all of them).
REVIEW_FIELDS = (
    "id",
    "record_id",
    "record_hash",
    "decision",
    "actor_id",
    "actor_name",
    "comment",
    "decided_at",
)


def decision_canonical(decision: Mapping[str, Any]) -> dict[str, Any]:
    """The hashed form: exactly :data:`REVIEW_FIELDS` plus the format tag."""
    data = {name: decision[name] for name in REVIEW_FIELDS}
    data["format"] = REVIEW_FORMAT
    return data


def decision_digest(decision: Mapping[str, Any]) -> str:
    """SHA-256 hex of the canonical decision bytes."""
    raw = json.dumps(decision_canonical(decision), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()
