"""The shipped CJK TrueType font, registered with reportlab once per process (embedded as a subset).

WenQuanYi Micro Hei (Apache-2.0, ``resources/fonts/``) has a single weight, so the bold/italic variants of the
family map to the same face: ``<b>`` in markup never fails, headings use size and shading instead.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from inspector_app.core.errors import InspectorError
from inspector_app.paths import FONTS_DIR

FONT_FILE = "wqy-microhei.ttc"
SANS = "WQYMicroHei"
MONO = "WQYMicroHeiMono"


@dataclass(frozen=True)
class FontNames:
    """Registered reportlab font names: proportional CJK sans and its monospaced face (hashes, codes)."""

    sans: str = SANS
    mono: str = MONO


#: Characters whose glyph is empty in Micro Hei, printed as an equivalent that the font does draw.
FALLBACKS = str.maketrans({"℃": "°C", "℉": "°F"})


def printable(text: str) -> str:
    """``text`` with characters the font cannot draw replaced by equivalents (e.g. ℃ → °C)."""
    return text.translate(FALLBACKS)


_lock = threading.Lock()
_registered: FontNames | None = None


def font_path(folder: Path = FONTS_DIR) -> Path:
    return folder / FONT_FILE


def register_fonts(folder: Path = FONTS_DIR) -> FontNames:
    """Register the CJK faces (cached); raise a Chinese :class:`InspectorError` when the font is missing."""
    global _registered
    with _lock:
        if _registered is not None:
            return _registered
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        path = font_path(folder)
        if not path.is_file():
            raise InspectorError(
                f"找不到 PDF 中文字体文件 {path}；请重新安装程序（字体随程序发布于 resources/fonts）"
            )
        pdfmetrics.registerFont(TTFont(SANS, str(path), subfontIndex=0))
        pdfmetrics.registerFont(TTFont(MONO, str(path), subfontIndex=1))
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(SANS, bold, italic, SANS)
                addMapping(MONO, bold, italic, MONO)
        _registered = FontNames()
        return _registered
