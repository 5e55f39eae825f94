"""Archive the current version of checklists before their version is bumped.

Usage: ``.venv/bin/python scripts/archive_form.py FORM_ID [FORM_ID ...]`` (or ``--all``). Writes
``forms/archive/<id>.v<N>.yaml`` with shared parts expanded, and refuses to overwrite an existing archive.
Run it *before* editing a checklist (or a part it includes), then bump the version in the checklist file.
"""

from __future__ import annotations

import sys

from inspector_app.forms.archive import ARCHIVE_DIR_NAME, archive_name, archive_text
from inspector_app.forms.library import load_library
from inspector_app.paths import FORMS_DIR


def main(argv: list[str]) -> int:
    library = load_library()
    ids = [c.id for c in library.all()] if argv == ["--all"] else argv
    if not ids:
        print(__doc__)
        return 2
    folder = FORMS_DIR / ARCHIVE_DIR_NAME
    folder.mkdir(exist_ok=True)
    for form_id in ids:
        checklist = library.get(form_id)
        target = folder / archive_name(checklist.id, checklist.version)
        if target.exists():
            print(f"已存在，未覆盖：{target}", file=sys.stderr)
            return 1
        target.write_text(archive_text(checklist), encoding="utf-8")
        print(f"已存档：{target.relative_to(FORMS_DIR.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
