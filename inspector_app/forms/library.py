"""The set of checklists shipped in ``forms/`` (or any folder laid out the same way).

Layout: ``parts/*.yaml`` (shared sections), ``rules.yaml`` (thresholds), ``<family>/*.yaml`` (checklists),
``archive/*.yaml`` (superseded versions, parts expanded — see :mod:`inspector_app.forms.archive`).
Loading validates everything and raises :class:`FormError` listing every problem; nothing half-valid is used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from inspector_app.core.catering_annual import AnnualGradeRules
from inspector_app.core.checklist import Checklist, Family, Section
from inspector_app.core.citations import LawText
from inspector_app.core.errors import NotFound
from inspector_app.core.verdicts import GradeRules, VerdictRule
from inspector_app.forms.archive import ARCHIVE_DIR_NAME
from inspector_app.forms.errors import FormError, FormProblem
from inspector_app.forms.laws import parse_catalogue
from inspector_app.forms.parse import Checker, parse_checklist, parse_part
from inspector_app.forms.risk import FILE_NAME as RISK_FILE
from inspector_app.forms.risk import check_risk_file
from inspector_app.forms.rules import Rules, parse_rules
from inspector_app.forms.yamlio import read_yaml
from inspector_app.paths import FORMS_DIR

SUFFIXES = (".yaml", ".yml")
ARCHIVE_NAME = re.compile(r"^(?P<id>[a-z][a-z0-9_.]*)\.v(?P<version>[0-9]+)\.ya?ml$")


@dataclass
class FormLibrary:
    """All versions of all checklists, plus the rules. ``all()`` gives the latest version of each id."""

    checklists: dict[tuple[str, int], Checklist] = field(default_factory=dict)
    rules: Rules = field(default_factory=Rules)
    laws: dict[str, LawText] = field(default_factory=dict)
    #: superseded versions not read yet (``load_library`` reads an archived version when a record asks for it)
    archived: dict[tuple[str, int], Path] = field(default_factory=dict)

    def all(self) -> list[Checklist]:
        latest: dict[str, Checklist] = {}
        for (form_id, version), checklist in sorted(self.checklists.items()):
            if form_id not in latest or version > latest[form_id].version:
                latest[form_id] = checklist
        return sorted(latest.values(), key=lambda c: (list(Family).index(c.family), c.id))

    def get(self, form_id: str, version: int | None = None) -> Checklist:
        """A checklist by id (latest version unless ``version`` is given; records pin their version)."""
        if version is not None:
            found = self.checklists.get((form_id, version)) or self._load_archived(form_id, version)
        else:
            found = next((c for c in self.all() if c.id == form_id), None)
        if found is None:
            suffix = f" 第{version}版" if version is not None else ""
            raise NotFound(f"找不到检查表 {form_id}{suffix}")
        return found

    def _load_archived(self, form_id: str, version: int) -> Checklist | None:
        path = self.archived.get((form_id, version))
        if path is None:
            return None
        display = f"{ARCHIVE_DIR_NAME}/{path.name}"
        checklist, problems = check_file(path, {}, display, self.laws)
        if problems or checklist is None or (checklist.id, checklist.version) != (form_id, version):
            problems = problems or [FormProblem(display, "id", f"文件内容不是 {form_id} 第{version}版")]
            raise FormError(problems)
        self.checklists[(form_id, version)] = checklist
        return checklist

    def for_kind(self, kind: str, equipment_type: str | None = None) -> list[Checklist]:
        """Checklists that apply to a business kind (and, for equipment units, an equipment type)."""
        found = [c for c in self.all() if kind in c.business_kinds]
        if equipment_type is not None:
            found = [c for c in found if equipment_type in c.equipment_types]
        return found

    def verdict_rule(self, checklist: Checklist) -> VerdictRule:
        """The rule that judges records on ``checklist`` (its ``verdict_rule``, or the version-1 rule)."""
        return self.rules.rule_for(checklist)

    @property
    def grade_rules(self) -> GradeRules:
        return self.rules.catering_grade

    @property
    def annual_grade_rules(self) -> AnnualGradeRules:
        return self.rules.catering_annual


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _yaml_files(folder: Path) -> list[Path]:
    return (
        sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in SUFFIXES) if folder.is_dir() else []
    )


def _load_laws(root: Path, problems: list[FormProblem]) -> dict[str, LawText]:
    """The catalogue of cited texts (``laws.yaml``); empty when the folder has none."""
    path = root / "laws.yaml"
    if not path.exists():
        return {}
    data, read_problems = read_yaml(path, _display(path, root))
    ck = Checker(_display(path, root))
    laws = parse_catalogue(ck, data) if not read_problems else {}
    problems.extend(read_problems + ck.problems)
    return laws


def _load_parts(
    root: Path, problems: list[FormProblem], laws: dict[str, LawText]
) -> dict[str, list[Section]]:
    parts: dict[str, list[Section]] = {}
    for path in _yaml_files(root / "parts"):
        display = _display(path, root)
        data, read_problems = read_yaml(path, display)
        ck = Checker(display, laws)
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


def _checklist_files(root: Path, archive: bool = True) -> list[Path]:
    skip = {"parts"} if archive else {"parts", ARCHIVE_DIR_NAME}
    return [
        p for sub in sorted(root.iterdir()) if sub.is_dir() and sub.name not in skip for p in _yaml_files(sub)
    ]


def _archive_index(root: Path, library: FormLibrary) -> list[FormProblem]:
    """Index ``archive/<id>.v<N>.yaml`` by name without reading the files (``load_library`` reads one when a
    record pins it); the same naming and superseded-version rules as a full scan."""
    problems = []
    for path in _yaml_files(root / ARCHIVE_DIR_NAME):
        display = f"{ARCHIVE_DIR_NAME}/{path.name}"
        match = ARCHIVE_NAME.match(path.name)
        if match is None:
            problems.append(FormProblem(display, "", "存档文件名应为 <检查表编号>.v<版本>.yaml"))
            continue
        key = (match["id"], int(match["version"]))
        live = next((c for c in library.all() if c.id == key[0]), None)
        if live is None or live.version <= key[1]:
            problems.append(
                FormProblem(
                    display,
                    "version",
                    f"存档的 {key[0]} 第{key[1]}版 没有更新的版本；存档只能保存被取代的版本",
                )
            )
            continue
        library.archived[key] = path
    return problems


def check_file(
    path: Path, parts: dict[str, list[Section]], display: str, laws: dict[str, LawText] | None = None
) -> tuple[Checklist | None, list[FormProblem]]:
    """Validate one checklist file against the given parts (and catalogue of cited texts)."""
    data, read_problems = read_yaml(path, display)
    if read_problems:
        return None, read_problems
    ck = Checker(display, laws)
    if isinstance(data, dict) and "part" in data:
        parse_part(ck, data)
        return None, ck.problems
    checklist = parse_checklist(ck, data, parts, display)
    return checklist, ck.problems


def scan(root: Path = FORMS_DIR, *, lazy_archive: bool = False) -> tuple[FormLibrary, list[FormProblem]]:
    """Load a forms folder, returning the library of valid checklists and every problem found.

    With ``lazy_archive`` the superseded versions in ``archive/`` are only indexed by name (the app's start);
    without it (validation, tests) every archived file is read and checked too."""
    problems: list[FormProblem] = []
    if not root.is_dir():
        return FormLibrary(), [FormProblem(str(root), "", "检查表目录不存在")]
    laws = _load_laws(root, problems)
    parts = _load_parts(root, problems, laws)
    library = FormLibrary(rules=_load_rules(root, problems), laws=laws)
    problems.extend(
        check_risk_file(root / RISK_FILE, _display(root / RISK_FILE, root))[1]
    )  # risk grades, draws
    origins: dict[tuple[str, int], str] = {}
    for path in _checklist_files(root, archive=not lazy_archive):
        display = _display(path, root)
        checklist, file_problems = check_file(path, parts, display, laws)
        problems.extend(file_problems)
        if checklist is None:
            continue
        key = (checklist.id, checklist.version)
        if key in origins:
            problems.append(
                FormProblem(display, "id", f"检查表 {key[0]} 第{key[1]}版 与 {origins[key]} 重复")
            )
            continue
        rule_problem = _rule_problem(library, checklist)
        if rule_problem is not None:
            problems.append(FormProblem(display, "verdict_rule", rule_problem))
            continue
        origins[key] = display
        library.checklists[key] = checklist
    problems += _archive_index(root, library) if lazy_archive else _archive_problems(library, origins)
    return library, problems


def _rule_problem(library: FormLibrary, checklist: Checklist) -> str | None:
    """The checklist's verdict rule must exist in rules.yaml and fit its family."""
    if not checklist.verdict_rule:
        return None
    rule = library.rules.verdict_rules.get(checklist.verdict_rule)
    if rule is None:
        known = "、".join(sorted(library.rules.verdict_rules)) or "无"
        return f"rules.yaml 中没有判定规则 '{checklist.verdict_rule}'（已有：{known}）"
    if checklist.family.value not in rule.families:
        return (
            f"判定规则 '{rule.id}' 不适用于{checklist.family.label}检查表（适用：{'、'.join(rule.families)}）"
        )
    return None


def _archive_problems(library: FormLibrary, origins: dict[tuple[str, int], str]) -> list[FormProblem]:
    """An archived version must have a newer live version: the archive is never offered for new visits."""
    latest = {c.id: c.version for c in library.all()}
    return [
        FormProblem(
            display, "version", f"存档的 {form_id} 第{version}版 没有更新的版本；存档只能保存被取代的版本"
        )
        for (form_id, version), display in origins.items()
        if display.startswith(f"{ARCHIVE_DIR_NAME}/") and latest[form_id] <= version
    ]


def load_library(root: Path = FORMS_DIR) -> FormLibrary:
    """Load and validate the current versions (archived ones on demand); raise :class:`FormError` if any file
    has a problem."""
    library, problems = scan(root, lazy_archive=True)
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
        laws = _load_laws(root, [])
        if shared_parts is None or root != default_root:
            shared_parts = _load_parts(root, [], laws)
        problems.extend(check_file(path, shared_parts, path.name, laws)[1])
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
