"""Identifier formats: 统一社会信用代码 (GB 32100), 食品经营许可证 (JY), 特种设备 codes, phone numbers."""

from __future__ import annotations

import re
import unicodedata

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_JY_RE = re.compile(r"^JY\d{14}$")
_EQUIPMENT_CODE_RE = re.compile(r"^\d{4}[0-9A-Z]{5}\d{4}[0-9A-Z]{5}$")
_REGISTRATION_CODE_RE = re.compile(r"^\d{20}$")
_PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|\d{7,8})$")


def normalize_code(text: str) -> str:
    """Trim, convert full-width characters to half-width (NFKC) and upper-case; drop inner spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters (which must be in the alphabet)."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """Why ``code`` (already normalised) is not a valid 统一社会信用代码, in Chinese; ``None`` if valid."""
    if len(code) != 18:
        return f"统一社会信用代码应为18位，现为{len(code)}位"
    bad = sorted({ch for ch in code if ch not in USCC_ALPHABET})
    if bad:
        return f"统一社会信用代码含非法字符 {''.join(bad)}（不使用 I、O、S、V、Z）"
    if not _USCC_RE.match(code):
        return "统一社会信用代码第3–8位应为行政区划数字"
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误（应为 {expected}）"
    return None


def is_valid_uscc(code: str) -> bool:
    return uscc_problem(normalize_code(code)) is None


def make_uscc(first17: str) -> str:
    """Complete a 17-character stem with its check character (for demo data and tests)."""
    return first17 + uscc_check_char(first17)


def food_licence_problem(number: str) -> str | None:
    """食品经营许可证编号: ``JY`` + 14 digits (the check digit algorithm is unpublished: not checked)."""
    return None if _JY_RE.match(number) else "食品经营许可证编号应为 JY 加14位数字"


def equipment_code_problem(code: str) -> str | None:
    """设备代码 (18 chars) or 注册代码 (20 digits)."""
    if _EQUIPMENT_CODE_RE.match(code) or _REGISTRATION_CODE_RE.match(code):
        return None
    return "设备代码应为18位（品种4位+制造单位5位+年份4位+顺序号5位）或20位数字注册代码"


def phone_problem(phone: str) -> str | None:
    return None if _PHONE_RE.match(phone) else "联系电话格式不正确（手机11位或带区号的固定电话）"
