"""Validating one registry row (from a file) or business (built in code) into a normalised :class:`Business`,
with Chinese reasons.

:func:`parse_row` is used by the importer for every spreadsheet row, :func:`check_business` by the registry
service for businesses written through it; both end in the same checks.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from inspector_app.core.identifiers import food_licence_problem, normalize_code, phone_problem, uscc_problem
from inspector_app.core.registry import RISK_GRADES, Business, BusinessKind, parse_kind

#: Field → the Chinese column title used in messages.
FIELD_TITLES = {
    "name": "主体名称",
    "uscc": "统一社会信用代码",
    "kind": "主体类型",
    "address": "经营地址",
    "responsible": "负责人",
    "phone": "联系电话",
    "licence_no": "许可证号",
    "area": "辖区",
    "risk_grade": "风险等级",
    "credit_score": "信用分",
    "licensed_on": "发证日期",
}
#: Kinds that hold a 食品经营许可证 (JY + 14 digits).
FOOD_LICENCE_KINDS = frozenset({BusinessKind.SMALL_CATERING, BusinessKind.FOOD_RETAIL})
_PHONE_SPLIT = re.compile(r"[/,，、;；]+")
_DATE_RE = re.compile(r"^(\d{4})\D{1,2}(\d{1,2})\D{1,2}(\d{1,2})\D?$|^(\d{4})(\d{2})(\d{2})$")


@dataclass
class ParsedRow:
    """One data row: a valid ``business`` or the Chinese ``reason`` it was rejected (row as Excel shows it)."""

    number: int
    business: Business | None
    reason: str = ""
    uscc: str = ""


def cell_text(value: Any) -> str:
    """A spreadsheet cell as trimmed text (whole floats lose their ``.0``; dates become ISO)."""
    if type(value) is str:  # the CSV case: skip the checks below
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


@lru_cache(maxsize=1024)
def _kind(text: str) -> tuple[BusinessKind | None, str]:
    if not text:
        return None, "主体类型为空"
    kind = parse_kind(unicodedata.normalize("NFKC", text))
    if kind is None:
        return None, f"主体类型「{text}」无法识别（可填：{'、'.join(k.value for k in BusinessKind)}）"
    return kind, ""


def _phone(text: str) -> tuple[str, str]:
    phone = "".join(unicodedata.normalize("NFKC", text).split())
    if not phone:
        return "", ""
    for part in _PHONE_SPLIT.split(phone):
        if part and phone_problem(part):
            return phone, f"联系电话「{text}」格式不正确（手机11位或带区号的固定电话）"
    return phone, ""


@lru_cache(maxsize=64)
def _risk(text: str) -> tuple[str, str]:
    grade = normalize_code(text).removesuffix("级")
    if grade and grade not in RISK_GRADES:
        return "", f"风险等级「{text}」应为 A、B、C、D 之一"
    return grade, ""


def _score(text: str) -> tuple[float | None, str]:
    if not text:
        return None, ""
    try:
        score = float(unicodedata.normalize("NFKC", text))
    except ValueError:
        return None, f"信用分「{text}」不是数字"
    return (score, "") if 0 <= score <= 1000 else (None, f"信用分「{text}」应在 0–1000 之间")


def _date(text: str) -> tuple[date | None, str]:
    if not text:
        return None, ""
    match = _DATE_RE.match(unicodedata.normalize("NFKC", text).strip())
    try:
        if match:
            y, m, d = (int(g) for g in match.groups() if g is not None)
            return date(y, m, d), ""
    except ValueError:
        pass
    return None, f"发证日期「{text}」无法识别（应如 2024-05-01）"


def _licence(text: str, kind: BusinessKind | None) -> tuple[str, str]:
    licence = normalize_code(text)
    if licence and (kind in FOOD_LICENCE_KINDS or licence.startswith("JY")) and food_licence_problem(licence):
        return licence, f"许可证号「{text}」不正确：{food_licence_problem(licence)}"
    return licence, ""


def parse_row(number: int, values: dict[str, Any]) -> ParsedRow:
    """Validate the cells of one row (field → raw value) into a business or a rejection reason."""
    text = {name: cell_text(value) for name, value in values.items()}
    kind, kind_problem = _kind(text.get("kind", ""))
    score, score_problem = _score(text.get("credit_score", ""))
    licensed, date_problem = _date(text.get("licensed_on", ""))
    return _checked(
        number,
        text,
        kind=kind,
        score=score,
        licensed=licensed,
        parse_problems=(kind_problem, score_problem, date_problem),
    )


def check_business(business: Business) -> ParsedRow:
    """The checks of :func:`parse_row` on a business built in code (kind, score and date already typed):
    normalised codes, phone and grade, or every problem in Chinese. ``id`` and ``attributes`` are not kept."""
    score = business.credit_score
    score_problem = "" if score is None or 0 <= score <= 1000 else f"信用分「{score}」应在 0–1000 之间"
    text = {
        "name": business.name.strip(),
        "uscc": business.uscc.strip(),
        "address": business.address.strip(),
        "area": business.area.strip(),
        "responsible": business.responsible.strip(),
        "phone": business.phone.strip(),
        "licence_no": business.licence_no.strip(),
        "risk_grade": business.risk_grade.strip(),
    }
    return _checked(
        0,
        text,
        kind=business.kind,
        score=score,
        licensed=business.licensed_on,
        parse_problems=("", score_problem, ""),
    )


def _checked(
    number: int,
    text: dict[str, str],
    *,
    kind: BusinessKind | None,
    score: float | None,
    licensed: date | None,
    parse_problems: tuple[str, str, str],
) -> ParsedRow:
    """Check and normalise the text fields; ``parse_problems`` are the kind, score and date problems."""
    problems: list[str] = []
    name = text.get("name", "")
    if not name:
        problems.append("主体名称为空")
    raw_uscc = text.get("uscc", "")
    uscc = normalize_code(raw_uscc)
    if not uscc:
        problems.append("统一社会信用代码为空")
    elif problem := uscc_problem(uscc):
        problems.append(f"{problem}（{raw_uscc}）")
    kind_problem, score_problem, date_problem = parse_problems
    licence, licence_problem = _licence(text.get("licence_no", ""), kind)
    phone, phone_issue = _phone(text.get("phone", ""))
    risk, risk_problem = _risk(text.get("risk_grade", ""))
    problems.extend(
        p
        for p in (kind_problem, licence_problem, phone_issue, risk_problem, score_problem, date_problem)
        if p
    )
    if problems or kind is None:
        return ParsedRow(number, None, "；".join(problems), uscc)
    business = Business(
        uscc=uscc,
        name=name,
        kind=kind,
        address=text.get("address", ""),
        area=text.get("area", ""),
        responsible=text.get("responsible", ""),
        phone=phone,
        licence_no=licence,
        risk_grade=risk,
        credit_score=score,
        licensed_on=licensed,
    )
    return ParsedRow(number, business, "", uscc)
