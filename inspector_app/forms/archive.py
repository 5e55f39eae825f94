"""Superseded checklist versions, kept so that records keep rendering with the version they pinned.

A record pins ``form_id`` + ``form_version``. When a checklist changes, its version is bumped and the old
version is written, with its shared parts expanded in place, to ``forms/archive/<id>.v<N>.yaml``: a parts
file may change later without changing what an archived version says. The library loads archived versions
for pinned records only; new inspections always get the latest version.
"""

from __future__ import annotations

from typing import Any

import yaml

from inspector_app.core.checklist import AnswerType, Checklist, Condition, Item
from inspector_app.core.citations import Citation, CitationRole

ARCHIVE_DIR_NAME = "archive"

_HEADER = (
    "# 已被新版本取代的检查表（只读存档）。第{version}版定稿的记录仍按本文件显示和打印；请勿修改。\n"
    "# 由 scripts/archive_form.py 从 {source} 生成，共用部分已展开。\n"
)


def archive_name(form_id: str, version: int) -> str:
    return f"{form_id}.v{version}.yaml"


def _condition(cond: Condition) -> dict[str, Any]:
    data: dict[str, Any] = {"item": cond.item} if cond.item else {"attribute": cond.attribute}
    data["not_equals" if cond.negate else "equals"] = list(cond.equals)
    return data


def _citation(c: Citation) -> dict[str, Any]:
    data: dict[str, Any] = {"law": c.law}
    for name in ("article", "paragraph", "item", "clause"):
        if getattr(c, name):
            data[name] = getattr(c, name)
    if c.role is not CitationRole.BASIS:
        data["role"] = c.role.value
    if c.status is not None:
        data["status"] = c.status.value
    if c.words:
        data["words"] = list(c.words)
    if c.note:
        data["note"] = c.note
    return data


def _item(item: Item) -> dict[str, Any]:
    """The item as file data: only keys that differ from the loader's defaults."""
    defaults = Item(code=item.code, text=item.text, basis=item.basis)
    data: dict[str, Any] = {"code": item.code, "text": item.text}
    if item.guidance:
        data["guidance"] = item.guidance
    data["basis"] = item.basis
    if item.reference:
        data["reference"] = item.reference
    if item.citations:
        data["citations"] = [_citation(c) for c in item.citations]
    if item.key:
        data["key"] = "local" if item.key_local else True
    if item.type is not AnswerType.TRI:
        data["type"] = item.type.value
    for name in ("unit", "min", "max", "points"):
        value = getattr(item, name)
        if value not in (None, ""):
            data[name] = value
    if item.choices:
        data["choices"] = [{"value": c.value, **({"fail": True} if c.fail else {})} for c in item.choices]
    for name in ("allow_na", "note_when_fail", "photo_when_fail", "inferred"):
        if getattr(item, name) != getattr(defaults, name):
            data[name] = getattr(item, name)
    if item.show_if:
        data["show_if"] = [_condition(c) for c in item.show_if]
    return data


def checklist_data(checklist: Checklist) -> dict[str, Any]:
    """A self-contained checklist file (no ``include``) that loads back to an equal checklist."""
    data: dict[str, Any] = {
        "version": checklist.version,
        "id": checklist.id,
        "title": checklist.title,
        "family": checklist.family.value,
    }
    if checklist.description:
        data["description"] = checklist.description
    if checklist.grading:
        data["grading"] = checklist.grading
    if checklist.verdict_rule:
        data["verdict_rule"] = checklist.verdict_rule
    data["applies_to"] = {
        "business_kinds": list(checklist.business_kinds),
        "equipment_types": list(checklist.equipment_types),
    }
    data["sections"] = [
        {"title": s.title, "items": [_item(item) for item in s.items]} for s in checklist.sections
    ]
    return data


def archive_text(checklist: Checklist) -> str:
    """The archive file's text: a header comment, then the checklist as YAML."""
    body = yaml.safe_dump(checklist_data(checklist), allow_unicode=True, sort_keys=False, width=1000)
    return _HEADER.format(version=checklist.version, source=checklist.source or checklist.id) + body
