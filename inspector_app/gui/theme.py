"""Look of the app: a CJK-capable font, a small stylesheet and the few colours pages share.

Fonts: the first installed family of :data:`CJK_FAMILIES`; when none is installed, a CJK TrueType font shipped
in ``resources/fonts`` is registered (so Chinese never shows as boxes).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "PingFang SC",
)
BASE_POINT_SIZE = 10

#: Colours shared by pages (text colours chosen for contrast on white).
DANGER = QColor("#c62828")
WARNING = QColor("#b26a00")
OK = QColor("#2e7d32")
MUTED = QColor("#616161")
ACCENT = "#1565c0"

STYLESHEET = f"""
QWidget {{ font-size: {BASE_POINT_SIZE}pt; }}
#navList {{ background: #263238; color: #eceff1; border: none; outline: none; font-size: 11pt; }}
#navList::item {{ padding: 10px 14px; border-left: 4px solid transparent; }}
#navList::item:selected {{ background: #37474f; border-left: 4px solid #4fc3f7; color: white; }}
#navList::item:hover:!selected {{ background: #2f3d44; }}
#appTitle {{ background: #263238; color: white; font-size: 12pt; font-weight: bold; padding: 12px 14px; }}
#pageTitle {{ font-size: 15pt; font-weight: bold; color: #263238; }}
#sectionTitle {{ font-size: 11pt; font-weight: bold; color: #37474f; margin-top: 6px; }}
#hint {{ color: #616161; }}
#errorText {{ color: #c62828; }}
#emptyText {{ color: #757575; padding: 18px; }}
#searchBox {{ font-size: 12pt; padding: 6px 8px; }}
QPushButton#primary {{ background: {ACCENT}; color: white; border: 1px solid #0d47a1; border-radius: 3px;
                      padding: 6px 16px; font-weight: bold; }}
QPushButton#primary:hover {{ background: #1976d2; }}
QPushButton#primary:disabled {{ background: #90a4ae; border-color: #90a4ae; }}
QTableView {{ gridline-color: #e0e0e0; selection-background-color: #bbdefb; selection-color: black;
             alternate-background-color: #f7f9fa; }}
QHeaderView::section {{ background: #eceff1; padding: 4px 6px; border: none;
                       border-right: 1px solid #cfd8dc; border-bottom: 1px solid #cfd8dc; }}
QFrame#card {{ background: white; border: 1px solid #dfe3e6; border-radius: 4px; }}
QLabel#countBadge {{ background: #eceff1; border-radius: 8px; padding: 1px 8px; color: #37474f; }}
QLabel#dangerBadge {{ background: #ffebee; border-radius: 8px; padding: 1px 8px; color: #c62828; }}
"""


def cjk_family() -> str:
    """The first installed CJK family (registering the shipped font if needed); '' if none at all."""
    installed = set(QFontDatabase.families())
    for family in CJK_FAMILIES:
        if family in installed:
            return family
    from inspector_app.paths import FONTS_DIR

    for path in sorted(FONTS_DIR.glob("*.[ot]t[fc]")):
        font_id = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if families:
            return families[0]
    return ""


def apply_style(app: QApplication) -> str:
    """Set the app font and stylesheet; returns the CJK family in use."""
    family = cjk_family()
    font = QFont(app.font())
    if family:
        font.setFamilies([family, *[f for f in CJK_FAMILIES if f != family]])
    font.setPointSize(BASE_POINT_SIZE)
    app.setFont(font)
    app.setStyleSheet(STYLESHEET)
    return family
