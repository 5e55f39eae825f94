"""The set of checklists shipped in ``forms/`` (or any folder laid out the same way).

Layout: ``parts/*.yaml`` (shared sections), ``rules.yaml`` (thresholds), ``<family>/*.yaml`` (checklists).
Loading validates everything and raises :class:`FormError` listing every problem; nothing half-valid is used.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from inspector_app.core.checklist import Checklist, Family, Section
from inspector_app.core.errors import NotFound
from inspector_app.core.verdicts import GradeRules, VerdictRules
from inspector_app.forms.errors import FormError, FormProblem
from inspector_app.forms.parse import Checker, parse_checklist, parse_part
from inspector_app.forms.rules import Rules, parse_rules
from inspector_app.forms.yamlio import read_yaml
from inspector_app.paths import FORMS_DIR

SUFFIXES = (".yaml", ".yml")


@dataclass
class FormLibrary:
    """All versions of all checklists, plus the rules. ``all()`` gives the latest version of each id."""

    checklists: dict[tuple[str, int], Checklist] = field(default_factory=dict)
    rules: Rules = field(default_factory=Rules)

    def all(self) -> list[Checklist]:
        latest: dict[str, Checklist] = {}
        for (form_id, version), checklist in sorted(self.checklists.items()):
            if form_id not in latest or version > latest[form_id].version:
                latest[form_id] = checklist
        return sorted(latest.values(), key=lambda c: (list(Family).index(c.family), c.id))

    def get(self, form_id: str, version: int | None = None) -> Checklist:
        """A checklist by id (latest version unless ``version`` is given; records pin their version)."""
        if version is not None:
            found = self.checklists.get((form_id, version))
        else:
            found = next((c for c in self.all() if c.id == form_id), None)
        if found is None:
            suffix = f" 第{version}版" if version is not None else ""
            raise NotFound(f"找不到检查表 {form_id}{suffix}")
        return found

    def for_kind(self, kind: str, equipment_type: str | None = None) -> list[Checklist]:
        """Checklists that apply to a business kind (and, for equipment units, an equipment type)."""
        found = [c for c in self.all() if kind in c.business_kinds]
        if equipment_type is not None:
            found = [c for c in found if equipment_type in c.equipment_types]
        return found

    def verdict_rules(self, family: Family) -> VerdictRules:
        return self.rules.verdict_rules(family)

    @property
    def grade_rules(self) -> GradeRules:
        return self.rules.catering_grade


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _yaml_files(folder: Path) -> list[Path]:
    return (
        sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in SUFFIXES) if folder.is_dir() else []
    )


def _load_parts(root: Path, problems: list[FormProblem]) -> dict[str, list[Section]]:
    parts: dict[str, list[Section]] = {}
    for path in _yaml_files(root / "parts"):
        display = _display(path, root)
        data, read_problems = read_yaml(path, display)
        ck = Checker(display)
        parsed = parse_part(ck, data) if not read_problems else None
        problems.extend(read_problems + ck.problems)
        if parsed is not None and not ck.problems:
            parts[parsed[0]] = parsed[1]
    return parts


def _load_rules(root: Path, problems: list[FormProblem]) -> Rules:
    path = root / "rules.yaml"
    if not path.exists():
        return Rules()
    data, read_problems = read_yaml(path, _display(path, root))
    ck = Checker(_display(path, root))
    rules = parse_rules(ck, data) if not read_problems else Rules()
    problems.extend(read_problems + ck.problems)
    return rules


def _checklist_files(root: Path) -> list[Path]:
    return [
        p for sub in sorted(root.iterdir()) if sub.is_dir() and sub.name != "parts" for p in _yaml_files(sub)
    ]


def check_file(
    path: Path, parts: dict[str, list[Section]], display: str
) -> tuple[Checklist | None, list[FormProblem]]:
    """Validate one checklist file against the given parts."""
    data, read_problems = read_yaml(path, display)
    if read_problems:
        return None, read_problems
    ck = Checker(display)
    if isinstance(data, dict) and "part" in data:
        parse_part(ck, data)
        return None, ck.problems
    checklist = parse_checklist(ck, data, parts, display)
    return checklist, ck.problems


def scan(root: Path = FORMS_DIR) -> tuple[FormLibrary, list[FormProblem]]:
    """Load a forms folder, returning the library of valid checklists and every problem found."""
    problems: list[FormProblem] = []
    if not root.is_dir():
        return FormLibrary(), [FormProblem(str(root), "", "检查表目录不存在")]
    parts = _load_parts(root, problems)
    library = FormLibrary(rules=_load_rules(root, problems))
    origins: dict[tuple[str, int], str] = {}
    for path in _checklist_files(root):
        display = _display(path, root)
        checklist, file_problems = check_file(path, parts, display)
        problems.extend(file_problems)
        if checklist is None:
            continue
        key = (checklist.id, checklist.version)
        if key in origins:
            problems.append(
                FormProblem(display, "id", f"检查表 {key[0]} 第{key[1]}版 与 {origins[key]} 重复")
            )
            continue
        origins[key] = display
        library.checklists[key] = checklist
    return library, problems


def load_library(root: Path = FORMS_DIR) -> FormLibrary:
    """Load and validate; raise :class:`FormError` if any file has a problem."""
    library, problems = scan(root)
    if problems:
        raise FormError(problems)
    return library


def validate_paths(paths: Iterable[Path], default_root: Path = FORMS_DIR) -> list[FormProblem]:
    """Problems in the given files or folders (folders are checked as whole forms roots)."""
    problems: list[FormProblem] = []
    shared_parts: dict[str, list[Section]] | None = None
    for path in paths:
        if path.is_dir():
            problems.extend(scan(path)[1])
            continue
        if not path.exists():
            problems.append(FormProblem(str(path), "", "文件不存在"))
            continue
        root = path.parent.parent if (path.parent.parent / "parts").is_dir() else default_root
        if shared_parts is None or root != default_root:
            shared_parts = _load_parts(root, [])
        problems.extend(check_file(path, shared_parts, path.name)[1])
    return problems


def count_checklists(paths: Iterable[Path]) -> int:
    """How many checklist files :func:`validate_paths` would check in ``paths`` (0: nothing to check)."""
    count = 0
    for path in paths:
        if path.is_dir():
            count += len(_checklist_files(path))
        elif path.exists():
            count += 1
    return count
