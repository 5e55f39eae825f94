"""The saved form of a draw: a self-describing, portable document around the reproducible result.

``inspector draw --json`` prints the bare result (same inputs → same bytes). Confirming a draw wraps it with an
id, the UTC time and who confirmed it. The id is derived from the result (UUID version 5 of its SHA-256), so the
same draw confirmed at HQ and on a laptop is one draw; laptops will pull these documents from HQ.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from inspector_app.core.clock import parse_utc, utc_iso
from inspector_app.core.draw_params import canonical_json
from inspector_app.core.draws import DrawResult, result_from_canonical
from inspector_app.core.errors import ValidationError

DOCUMENT_FORMAT = "inspector-draw-document/1"
#: Namespace of draw ids (a fixed random UUID; the name is the result's SHA-256 hex).
DRAW_NAMESPACE = uuid.UUID("6d1f7c1e-5b0a-4d43-9a43-2f6c0f8a5e11")


def draw_id(result_sha256: str) -> str:
    return str(uuid.uuid5(DRAW_NAMESPACE, result_sha256))


@dataclass(frozen=True)
class DrawDocument:
    """A confirmed draw: its id, when and by whom it was confirmed, and the result."""

    id: str
    created_at: datetime
    created_by: str
    result: DrawResult

    @classmethod
    def confirm(cls, result: DrawResult, created_at: datetime, created_by: str) -> DrawDocument:
        return cls(draw_id(result.sha256), created_at, created_by, result)

    def to_canonical(self) -> dict[str, Any]:
        return {
            "format": DOCUMENT_FORMAT,
            "id": self.id,
            "created_at": utc_iso(self.created_at),
            "created_by": self.created_by,
            "result": self.result.to_canonical(),
            "result_sha256": self.result.sha256,
        }

    def canonical_bytes(self) -> bytes:
        return canonical_json(self.to_canonical())


def read_draw_file(data: bytes) -> tuple[DrawResult, DrawDocument | None]:
    """A published result or a draw document (JSON, any whitespace): the result and, if given, the document.

    A document's id and ``result_sha256`` must belong to its result, so a hand-edited document is refused.
    """
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValidationError(f"文件不是 UTF-8 编码的 JSON：{exc}") from None
    if isinstance(obj, dict) and obj.get("format") == DOCUMENT_FORMAT:
        expected = {"format", "id", "created_at", "created_by", "result", "result_sha256"}
        if set(obj) != expected:
            raise ValidationError(f"抽查文书的字段应为 {', '.join(sorted(expected))}")
        result = result_from_canonical(obj["result"])
        if obj["result_sha256"] != result.sha256:
            raise ValidationError("抽查文书的 result_sha256 与其中的抽查结果不一致，文书可能被改动")
        if obj["id"] != draw_id(result.sha256):
            raise ValidationError("抽查文书的编号与其中的抽查结果不对应，文书可能被改动")
        try:
            created_at = parse_utc(str(obj["created_at"]))
        except ValueError:
            raise ValidationError(f"抽查文书的 created_at “{obj['created_at']}” 不是 UTC 时间") from None
        return result, DrawDocument(obj["id"], created_at, str(obj["created_by"]), result)
    return result_from_canonical(obj), None
