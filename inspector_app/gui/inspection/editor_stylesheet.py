"""Style sheet of the inspection editor (set once on the editor; item cards only carry properties)."""

from __future__ import annotations

EDITOR_QSS = """
#editorHeader { background: #f5f7f9; border-bottom: 1px solid #d5dbe1; }
#editorTitle { font-size: 12pt; color: #263238; }
#verdictPreview { font-weight: bold; color: #263238; padding-left: 8px; }
#verdictPreview[tone="ok"] { color: #2e7d32; }
#verdictPreview[tone="warn"] { color: #b26a00; }
#verdictPreview[tone="fail"] { color: #c62828; }
#statusBadge { border-radius: 8px; padding: 2px 10px; }
#statusBadge[tone="draft"] { background: #fff3e0; color: #b26a00; }
#statusBadge[tone="final"] { background: #e8f5e9; color: #2e7d32; font-weight: bold; }
#autosaveState[tone="warn"] { color: #b26a00; font-weight: bold; }
#editorError { background: #ffebee; color: #b71c1c; padding: 4px 8px; border-radius: 3px; }
#sectionNav { background: #eef1f4; border: none; border-right: 1px solid #d5dbe1; outline: none; }
#sectionNav::item { padding: 7px 8px; border-left: 3px solid transparent; }
#sectionNav::item:selected { background: #d6e4f0; color: black; border-left: 3px solid #1565c0; }
#sectionHeading { font-size: 12pt; font-weight: bold; color: #37474f; padding: 4px 2px; }
#pageBody { background: #fafbfc; }
QLabel[role="hint"] { color: #616161; }
QLabel[role="warn"] { color: #c62828; font-weight: bold; }
QLabel[role="thumb"] { border: 1px solid #cfd8dc; background: #eceff1; }
QLineEdit[required="true"], QPlainTextEdit[required="true"], QDateEdit[required="true"] {
    border: 1px solid #c62828; background: #fff5f5; }
QFrame#panelCard { background: white; border: 1px solid #d5d9e0; border-radius: 5px; }
#panelTitle { font-size: 12pt; font-weight: bold; color: #37474f; }
QPushButton#primary { background: #1565c0; color: white; border: 1px solid #0d47a1; border-radius: 3px;
                      padding: 6px 16px; font-weight: bold; }
QPushButton#primary:disabled { background: #90a4ae; border-color: #90a4ae; }
QPushButton#danger { background: #c62828; color: white; border: 1px solid #8e0000; border-radius: 3px;
                     padding: 6px 16px; font-weight: bold; }
"""
