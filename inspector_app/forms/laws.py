"""``forms/laws.yaml``: the catalogue of texts that checklist items cite, and parsing of one citation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from inspector_app.core.citations import Citation, CitationRole, CitationStatus, LawText, Scope

if TYPE_CHECKING:  # parse imports this module; the checker is only needed as a type here
    from inspector_app.forms.parse import Checker

LAW_KEYS = {"title", "kind", "scope", "file", "reference_only", "note"}
CITATION_KEYS = {"law", "article", "paragraph", "item", "clause", "words", "role", "status", "note"}
_DECLARED = (CitationStatus.VERIFIED.value, CitationStatus.UNVERIFIED.value)


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def parse_catalogue(ck: Checker, raw: Any) -> dict[str, LawText]:
    """``laws: {KEY: {title, kind, scope, file?, reference_only?, note?}}``."""
    data = ck.mapping(raw, "", {"laws"})
    if data is None:
        return {}
    entries = data.get("laws")
    if not isinstance(entries, dict):
        ck.report("laws", "应为以法规简称为键的映射")
        return {}
    catalogue: dict[str, LawText] = {}
    for key, entry in entries.items():
        path = f"laws.{key}"
        fields = ck.mapping(entry, path, LAW_KEYS)
        if fields is None:
            continue
        title = ck.text(fields, "title", path, required=True)
        kind = ck.text(fields, "kind", path, required=True)
        scope_text = ck.text(fields, "scope", path, required=True)
        try:
            scope = Scope(scope_text)
        except ValueError:
            ck.report(
                join(path, "scope"), f"未知的适用范围 '{scope_text}'（可用：national, hubei, other_province）"
            )
            continue
        if title and kind:
            catalogue[str(key)] = LawText(
                key=str(key),
                title=title,
                kind=kind,
                scope=scope,
                file=ck.text(fields, "file", path, required=False),
                reference_only=ck.flag(fields, "reference_only", path, False),
                note=ck.text(fields, "note", path, required=False),
            )
    return catalogue


def _positive(ck: Checker, data: Mapping[str, Any], key: str, path: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        ck.report(join(path, key), f"应为正整数，实际为 {value!r}")
        return None
    return value


def _role(ck: Checker, data: Mapping[str, Any], path: str) -> CitationRole | None:
    raw = data.get("role", CitationRole.BASIS.value)
    try:
        return CitationRole(raw)
    except ValueError:
        ck.report(join(path, "role"), f"未知的引用类别 '{raw}'（可用：依据、参照）")
        return None


def parse_citation(ck: Checker, raw: Any, path: str, catalogue: Mapping[str, LawText]) -> Citation | None:
    """One citation; the rules that keep a Hubei record's 依据 honest are checked here."""
    data = ck.mapping(raw, path, CITATION_KEYS)
    if data is None:
        return None
    key = ck.text(data, "law", path, required=True)
    law = catalogue.get(key)
    if key and law is None:
        ck.report(join(path, "law"), f"法规目录（forms/laws.yaml）中没有 '{key}'")
    role = _role(ck, data, path)
    article = _positive(ck, data, "article", path)
    words = ck.string_list(data.get("words"), join(path, "words"))
    status_text = ck.text(data, "status", path, required=False)
    if law is None or role is None:
        return None
    if role is CitationRole.BASIS and not law.may_be_basis:
        where = "外省规定" if law.scope is Scope.OTHER_PROVINCE else "仅可参照的文件"
        ck.report(join(path, "role"), f"{law.title}是{where}，只能作为“参照”，不能作为湖北检查记录的依据")
    if law.held:
        if article is None:
            ck.report(path, f"{law.title}的原文已收录，须写明条号（article）以便核对")
        if status_text:
            ck.report(join(path, "status"), "原文已收录的法规由测试对照原文核对，不填写 status")
        if not words:
            ck.report(join(path, "words"), "须列出该条中检查项所依据的几个词，用于对照原文核对")
    elif status_text not in _DECLARED:
        ck.report(join(path, "status"), f"{law.title}的原文未收录，须注明核实状态（{'或'.join(_DECLARED)}）")
    return Citation(
        law=key,
        article=article,
        paragraph=_positive(ck, data, "paragraph", path),
        item=_positive(ck, data, "item", path),
        clause=ck.text(data, "clause", path, required=False),
        words=tuple(words),
        role=role,
        status=CitationStatus(status_text) if status_text in _DECLARED else None,
        note=ck.text(data, "note", path, required=False),
    )
