"""Turning loaded YAML data into core checklist records, collecting every problem with its key path."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from inspector_app.core.checklist import AnswerType, Checklist, Choice, Condition, Family, Item, Section
from inspector_app.core.citations import PLACEHOLDERS, Citation, CitationRole, LawText, printed_articles
from inspector_app.core.registry import BusinessKind, EquipmentType
from inspector_app.forms.errors import FormProblem
from inspector_app.forms.laws import parse_citation

ID_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
CODE_RE = re.compile(r"^[A-Z]{1,4}[0-9]{1,3}(-[0-9]+)?$")
CHECKLIST_KEYS = {
    "id",
    "version",
    "title",
    "family",
    "description",
    "grading",
    "applies_to",
    "include",
    "sections",
    "verdict_rule",
}
PART_KEYS = {"part", "version", "sections"}
SECTION_KEYS = {"title", "items"}
ITEM_KEYS = {
    "code",
    "text",
    "guidance",
    "basis",
    "key",
    "type",
    "unit",
    "min",
    "max",
    "choices",
    "allow_na",
    "note_when_fail",
    "photo_when_fail",
    "inferred",
    "show_if",
    "points",
    "citations",
    "reference",
}
KEY_VALUES = {"official": (True, False), "local": (True, True)}
NUMBER_ONLY = ("unit", "min", "max")
GRADINGS = {"catering"}


class Checker:
    """Collects problems for one file; helpers return ``None`` after recording a problem."""

    def __init__(self, file: str, laws: Mapping[str, LawText] | None = None) -> None:
        self.file = file
        self.laws: Mapping[str, LawText] = laws or {}
        self.problems: list[FormProblem] = []
        self.codes_seen: set[str] = set()  # codes of items that failed to parse (no cascade of errors)

    def report(self, path: str, message: str) -> None:
        self.problems.append(FormProblem(self.file, path, message))

    def mapping(self, value: Any, path: str, allowed: set[str]) -> Mapping[str, Any] | None:
        if not isinstance(value, dict):
            self.report(path, f"应为键值映射，实际为{_kind(value)}")
            return None
        for key in value:
            if key not in allowed:
                self.report(_join(path, str(key)), f"未知的键 '{key}'（可用：{', '.join(sorted(allowed))}）")
        return value

    def text(self, data: Mapping[str, Any], key: str, path: str, *, required: bool) -> str:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.report(_join(path, key), "不能为空")
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.report(_join(path, key), f"应为文字，实际为{_kind(value)}")
            return ""
        return str(value).strip()

    def flag(self, data: Mapping[str, Any], key: str, path: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.report(_join(path, key), f"应为 true 或 false，实际为 {value!r}")
            return default
        return value

    def number(self, data: Mapping[str, Any], key: str, path: str) -> float | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.report(_join(path, key), f"应为数字，实际为 {value!r}")
            return None
        return float(value)

    def string_list(self, value: Any, path: str) -> list[str]:
        if value is None:
            return []
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return [str(value)]
        if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
            self.report(path, "应为文字列表")
            return []
        return [str(v) for v in value]


def _kind(value: Any) -> str:
    return {dict: "映射", list: "列表", str: "文字", int: "整数", float: "数字", bool: "布尔值"}.get(
        type(value), "空值" if value is None else type(value).__name__
    )


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def parse_condition(ck: Checker, raw: Any, path: str) -> Condition | None:
    data = ck.mapping(raw, path, {"item", "attribute", "equals", "not_equals"})
    if data is None:
        return None
    item, attribute = data.get("item"), data.get("attribute")
    if (item is None) == (attribute is None):
        ck.report(path, "条件须且只能指定 item 或 attribute 之一")
        return None
    if ("equals" in data) == ("not_equals" in data):
        ck.report(path, "条件须且只能指定 equals 或 not_equals 之一")
        return None
    negate = "not_equals" in data
    name = "not_equals" if negate else "equals"
    equals = ck.string_list(data.get(name), _join(path, name))
    if not equals:
        ck.report(_join(path, name), "条件须给出至少一个取值")
        return None
    return Condition(
        equals=tuple(equals),
        item=str(item) if item else None,
        attribute=str(attribute) if attribute else None,
        negate=negate,
    )


def _key(ck: Checker, data: Mapping[str, Any], path: str) -> tuple[bool, bool]:
    """``key``: false, true / official (★, starred by an official table) or local (★☆, a local proposal)."""
    value = data.get("key", False)
    if isinstance(value, bool):
        return value, False
    if value in KEY_VALUES:
        return KEY_VALUES[value]
    ck.report(_join(path, "key"), f"应为 false、official（★）或 local（★☆），实际为 {value!r}")
    return False, False


def parse_citations(ck: Checker, data: Mapping[str, Any], path: str) -> tuple[Citation, ...]:
    raw = data.get("citations")
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        ck.report(_join(path, "citations"), "应为引用列表（至少一条）")
        return ()
    parsed = [parse_citation(ck, c, f"{_join(path, 'citations')}[{i}]", ck.laws) for i, c in enumerate(raw)]
    return tuple(c for c in parsed if c is not None)


def check_printed(
    ck: Checker, path: str, basis: str, reference: str, citations: tuple[Citation, ...]
) -> None:
    """The printed 依据 and 参照 texts say exactly what the structured citations say.

    Each cited text's title is printed in the right place, with the articles of its checked or verified
    citations; a 待核实 citation is printed without a number; no placeholder and no 参照 text in the 依据.
    """
    for key, text in (("basis", basis), ("reference", reference)):
        for placeholder in PLACEHOLDERS:
            if placeholder in text:
                ck.report(
                    _join(path, key),
                    f"不得出现“{placeholder}”：未核实的条款只写法规名称，核实状态写在 citations 中",
                )
                break
    if "参照" in basis:
        ck.report(_join(path, "basis"), "依据中不得出现“参照”内容：参照的规定写在 reference 中")
    titles = {key: law.title for key, law in ck.laws.items()}
    for role, field_name, text in (
        (CitationRole.BASIS, "basis", basis),
        (CitationRole.REFERENCE, "reference", reference),
    ):
        printed = printed_articles(text, titles)
        expected: dict[str, set[int]] = {}
        for c in citations:
            if c.role is role:
                numbers = expected.setdefault(c.law, set())
                if c.article and not c.unverified:
                    numbers.add(c.article)
        for law_key in sorted(set(printed) | set(expected)):
            title = titles.get(law_key, law_key)
            if law_key not in expected:
                ck.report(
                    _join(path, field_name), f"印出了{title}，但 citations 中没有相应的{role.value}引用"
                )
            elif law_key not in printed:
                ck.report(
                    _join(path, field_name), f"citations 引用了{title}（{role.value}），印出的文字中没有"
                )
            elif printed[law_key] != expected[law_key]:
                shown = "、".join(str(n) for n in sorted(printed[law_key])) or "无"
                cited = "、".join(str(n) for n in sorted(expected[law_key])) or "无（待核实的条号不印出）"
                ck.report(
                    _join(path, field_name), f"{title}印出的条号（{shown}）与 citations（{cited}）不一致"
                )


def parse_choices(ck: Checker, raw: Any, path: str) -> tuple[Choice, ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        ck.report(path, "choice 类型至少需要两个选项")
        return ()
    choices: list[Choice] = []
    for i, entry in enumerate(raw):
        cpath = f"{path}[{i}]"
        data = ck.mapping(entry, cpath, {"value", "fail"})
        if data is None:
            continue
        value = ck.text(data, "value", cpath, required=True)
        if value and value in {c.value for c in choices}:
            ck.report(_join(cpath, "value"), f"重复的选项 '{value}'")
        elif value:
            choices.append(Choice(value, ck.flag(data, "fail", cpath, False)))
    return tuple(choices)


def _answer_type(ck: Checker, data: Mapping[str, Any], path: str) -> AnswerType | None:
    raw = data.get("type", "tri")
    try:
        return AnswerType(raw)
    except ValueError:
        allowed = ", ".join(t.value for t in AnswerType)
        ck.report(_join(path, "type"), f"未知的答案类型 '{raw}'（可用：{allowed}）")
        return None


def parse_item(ck: Checker, raw: Any, path: str) -> Item | None:
    data = ck.mapping(raw, path, ITEM_KEYS)
    if data is None:
        return None
    code = ck.text(data, "code", path, required=True)
    ck.codes_seen.add(code)
    if code and not CODE_RE.match(code):
        ck.report(_join(path, "code"), f"编号 '{code}' 格式不对（应如 SP01、CY12）")
    text = ck.text(data, "text", path, required=True)
    basis = ck.text(data, "basis", path, required=True)
    reference = ck.text(data, "reference", path, required=False)
    citations = parse_citations(ck, data, path)
    if citations or reference:
        check_printed(ck, path, basis, reference, citations)
    is_key, key_local = _key(ck, data, path)
    answer_type = _answer_type(ck, data, path)
    if answer_type is not AnswerType.NUMBER:
        for key in NUMBER_ONLY:
            if key in data:
                ck.report(_join(path, key), f"'{key}' 只适用于 number 类型")
    if answer_type is not AnswerType.CHOICE and "choices" in data:
        ck.report(_join(path, "choices"), "'choices' 只适用于 choice 类型")
    low, high = ck.number(data, "min", path), ck.number(data, "max", path)
    if low is not None and high is not None and low > high:
        ck.report(_join(path, "min"), f"最小值 {low} 大于最大值 {high}")
    choices = (
        parse_choices(ck, data.get("choices"), _join(path, "choices"))
        if answer_type is AnswerType.CHOICE
        else ()
    )
    raw_conditions = data.get("show_if") or []
    if not isinstance(raw_conditions, list):
        ck.report(_join(path, "show_if"), "应为条件列表")
        raw_conditions = []
    conditions = [
        parse_condition(ck, c, f"{_join(path, 'show_if')}[{i}]") for i, c in enumerate(raw_conditions)
    ]
    if not (code and text and basis and answer_type) or None in conditions:
        return None
    return Item(
        code=code,
        text=text,
        basis=basis,
        guidance=ck.text(data, "guidance", path, required=False),
        key=is_key,
        key_local=key_local,
        citations=citations,
        reference=reference,
        type=answer_type,
        unit=ck.text(data, "unit", path, required=False),
        min=low,
        max=high,
        choices=choices,
        allow_na=ck.flag(data, "allow_na", path, True),
        note_when_fail=ck.flag(data, "note_when_fail", path, True),
        photo_when_fail=ck.flag(data, "photo_when_fail", path, False),
        inferred=ck.flag(data, "inferred", path, False),
        show_if=tuple(c for c in conditions if c is not None),
        points=ck.number(data, "points", path),
    )


def parse_sections(ck: Checker, raw: Any, path: str) -> list[Section]:
    if not isinstance(raw, list):
        ck.report(path, "应为分节列表")
        return []
    sections: list[Section] = []
    for i, entry in enumerate(raw):
        spath = f"{path}[{i}]"
        data = ck.mapping(entry, spath, SECTION_KEYS)
        if data is None:
            continue
        title = ck.text(data, "title", spath, required=True)
        items_raw = data.get("items")
        if not isinstance(items_raw, list) or not items_raw:
            ck.report(_join(spath, "items"), "每一节至少要有一个检查项")
            continue
        items = [parse_item(ck, it, f"{spath}.items[{j}]") for j, it in enumerate(items_raw)]
        sections.append(Section(title, tuple(it for it in items if it is not None)))
    return sections


def parse_part(ck: Checker, raw: Any) -> tuple[str, list[Section]] | None:
    data = ck.mapping(raw, "", PART_KEYS)
    if data is None:
        return None
    name = ck.text(data, "part", "", required=True)
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        ck.report("version", f"版本应为正整数，实际为 {version!r}")
    sections = parse_sections(ck, data.get("sections"), "sections")
    check_codes(
        ck,
        [(f"sections[{i}].items[{j}]", it) for i, s in enumerate(sections) for j, it in enumerate(s.items)],
    )
    return (name, sections) if name else None


def check_codes(ck: Checker, located: list[tuple[str, Item]]) -> None:
    """Duplicate codes, and conditions that point at a missing item (or at the item itself)."""
    seen: dict[str, str] = {}
    for path, item in located:
        if item.code in seen:
            ck.report(_join(path, "code"), f"编号 '{item.code}' 重复（已用于 {seen[item.code]}）")
        seen.setdefault(item.code, path)
    codes = {item.code: item for _, item in located}
    for path, item in located:
        for i, cond in enumerate(item.show_if):
            cpath = f"{path}.show_if[{i}].item"
            if cond.item is None:
                continue
            target = codes.get(cond.item)
            if target is None and cond.item in ck.codes_seen and cond.item != item.code:
                continue  # the target item has its own error already
            if target is None or cond.item == item.code:
                ck.report(cpath, f"条件指向不存在的检查项 '{cond.item}'")
                continue
            allowed = target.allowed_values()
            bad = [v for v in cond.equals if allowed is not None and v not in allowed]
            if bad:
                ck.report(
                    cpath, f"取值 {', '.join(bad)} 不是 {cond.item} 的有效答案（{'/'.join(allowed or ())}）"
                )


def _applies_to(ck: Checker, raw: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if raw is None:
        return (), ()
    data = ck.mapping(raw, "applies_to", {"business_kinds", "equipment_types"})
    if data is None:
        return (), ()
    kinds = ck.string_list(data.get("business_kinds"), "applies_to.business_kinds")
    types = ck.string_list(data.get("equipment_types"), "applies_to.equipment_types")
    for i, kind in enumerate(kinds):
        if kind not in BusinessKind._value2member_map_:
            ck.report(f"applies_to.business_kinds[{i}]", f"未知的主体类型 '{kind}'")
    for i, etype in enumerate(types):
        if etype not in EquipmentType._value2member_map_:
            ck.report(f"applies_to.equipment_types[{i}]", f"未知的设备类别 '{etype}'")
    return tuple(kinds), tuple(types)


def _header(ck: Checker, data: Mapping[str, Any]) -> tuple[str, int, str, Family | None]:
    form_id = ck.text(data, "id", "", required=True)
    if form_id and not ID_RE.match(form_id):
        ck.report("id", f"编号 '{form_id}' 只能含小写字母、数字、下划线和点")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        ck.report("version", f"版本应为正整数，实际为 {version!r}")
        version = 0
    try:
        family: Family | None = Family(str(data.get("family")))
    except ValueError:
        ck.report("family", f"未知的类别 '{data.get('family')}'（可用：food, equipment, cosmetics）")
        family = None
    if data.get("grading") is not None and data.get("grading") not in GRADINGS:
        ck.report("grading", f"未知的评级方式 '{data.get('grading')}'（可用：catering）")
    return form_id, version, ck.text(data, "title", "", required=True), family


def parse_checklist(
    ck: Checker, raw: Any, parts: Mapping[str, list[Section]], source: str
) -> Checklist | None:
    """Validate a checklist file's data (with its included parts) and build the record."""
    data = ck.mapping(raw, "", CHECKLIST_KEYS)
    if data is None:
        return None
    form_id, version, title, family = _header(ck, data)
    kinds, types = _applies_to(ck, data.get("applies_to"))
    included: list[Section] = []
    for i, name in enumerate(ck.string_list(data.get("include"), "include")):
        if name not in parts:
            ck.report(f"include[{i}]", f"找不到共用部分 '{name}'（forms/parts/{name}.yaml 不存在或有错误）")
        included.extend(parts.get(name, []))
    own = parse_sections(ck, data.get("sections", []), "sections")
    located = [(f"include.{s.title}", it) for s in included for it in s.items]
    located += [(f"sections[{i}].items[{j}]", it) for i, s in enumerate(own) for j, it in enumerate(s.items)]
    if not located:
        ck.report("sections", "检查表至少要有一个检查项")
    check_codes(ck, located)
    if ck.problems or family is None:
        return None
    return Checklist(
        id=form_id,
        version=version,
        title=title,
        family=family,
        sections=tuple(included + own),
        business_kinds=kinds,
        equipment_types=types,
        description=ck.text(data, "description", "", required=False),
        source=source,
        grading=str(data.get("grading") or ""),
        verdict_rule=ck.text(data, "verdict_rule", "", required=False),
    )
