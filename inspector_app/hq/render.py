"""An HQ record as the laptop printed it: rebuilt from its canonical content and rendered by ``reports``.

The PDF is deterministic, so for the same record, status and program version HQ's bytes equal the laptop's.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from inspector_app.core.errors import InspectorError
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.record_content import inspection_from_content
from inspector_app.core.records import Inspection
from inspector_app.forms.library import FormLibrary, load_library
from inspector_app.hq.blobs import BlobStore
from inspector_app.hq.store import content_of


@cache
def shipped_forms() -> FormLibrary:
    return load_library()


def record_of(row: Mapping[str, Any]) -> Inspection:
    record = inspection_from_content(content_of(row), RecordStatus(row["status"]))
    record.content_hash = row["hash"]
    return record


def render_record(row: Mapping[str, Any], blobs: BlobStore, forms: FormLibrary | None = None) -> bytes:
    """PDF bytes of a stored record; a checklist version HQ does not ship raises a Chinese error."""
    from inspector_app.reports.pdf import render_pdf
    from inspector_app.services.reports import record_report

    library = forms or shipped_forms()
    record = record_of(row)
    try:
        library.get(record.form_id, record.form_version)
    except InspectorError as exc:
        raise InspectorError(
            f"总部没有检查表 {record.form_id} 第 {record.form_version} 版，无法生成 PDF；请升级 inspector-hq"
        ) from exc
    return render_pdf(record_report(record, library), blobs.read)
