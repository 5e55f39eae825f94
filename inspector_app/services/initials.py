"""Pinyin initials of business names (``红山大酒店`` → ``hsdjd``), computed once when a business is written.

``pypinyin.lazy_pinyin`` costs ~0.1 ms per name, too slow for a 300,000-row import, so letters are cached
per character. A character whose readings start with different letters (行 xíng/háng, 长 cháng/zhǎng) is
resolved by pypinyin's phrase dictionary on a small window of the surrounding Han characters, cached too.
Latin letters and digits are kept (lower-cased); everything else is dropped.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin, pinyin

_WINDOW = 2  # Han characters of context on each side of an ambiguous character


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0002ebef"


@lru_cache(maxsize=65536)
def _char_letter(ch: str) -> tuple[str, bool]:
    """(default first letter, whether other readings start with another letter) for a Han character."""
    readings = {r[:1].lower() for r in pinyin(ch, style=Style.FIRST_LETTER, heteronym=True)[0] if r}
    default = lazy_pinyin(ch, style=Style.FIRST_LETTER)[0][:1].lower()
    if not default.isascii() or not default.isalpha():
        return "", False
    return default, len(readings) > 1


@lru_cache(maxsize=262144)
def _window_letters(window: str) -> tuple[str, ...]:
    letters = lazy_pinyin(window, style=Style.FIRST_LETTER)
    if len(letters) != len(window):
        return ()
    return tuple(letter[:1].lower() for letter in letters)


def _han_run(text: str, index: int) -> tuple[int, int]:
    start = index
    while start > 0 and _is_han(text[start - 1]):
        start -= 1
    end = index + 1
    while end < len(text) and _is_han(text[end]):
        end += 1
    return start, end


def initials(name: str) -> str:
    """Lower-case pinyin initials of ``name`` (Latin letters and digits kept, punctuation dropped)."""
    text = unicodedata.normalize("NFKC", name)
    out: list[str] = []
    for index, ch in enumerate(text):
        if _is_han(ch):
            letter, ambiguous = _char_letter(ch)
            if ambiguous:
                start, end = _han_run(text, index)
                lo, hi = max(start, index - _WINDOW), min(end, index + _WINDOW + 1)
                letters = _window_letters(text[lo:hi])
                if letters and letters[index - lo].isalpha():
                    letter = letters[index - lo]
            out.append(letter)
        elif ch.isascii() and ch.isalnum():
            out.append(ch.lower())
    return "".join(out)
