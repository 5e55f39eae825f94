"""Problems found in checklist files: each names the file and the key path."""

from __future__ import annotations

from dataclasses import dataclass

from inspector_app.core.errors import InspectorError


@dataclass(frozen=True)
class FormProblem:
    """One problem, printed as ``FILE: KEY.PATH: message``."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.message}" if self.path else f"{self.file}: {self.message}"


class FormError(InspectorError):
    """One or more checklist files are invalid; ``problems`` lists every one found."""

    def __init__(self, problems: list[FormProblem]) -> None:
        self.problems = problems
        lines = "\n".join(str(p) for p in problems)
        super().__init__(f"检查表文件有 {len(problems)} 处错误：\n{lines}")
