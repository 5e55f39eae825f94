"""What ``inspector verify`` finds: problems, each naming what is bad and why, and the report of a run.

Pure data shared by the verification service, the CLI (``--json``) and the GUI. A problem's ``check`` is a
stable machine name (``database``, ``content``, ``attachment``, ``status``; later checks add their own,
e.g. ``chain``, ``signature``); ``message`` is Chinese, for users.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing that does not hold: which check, about what (record or file), and what is wrong."""

    check: str
    subject: str  # a document number / record id, an attachment hash, "数据库"
    message: str
    record_id: str = ""

    def __str__(self) -> str:
        return f"{self.subject}：{self.message}"


@dataclass
class VerifyReport:
    """The outcome of verifying a data home: ``ok`` only when no problem was found."""

    problems: list[Problem] = field(default_factory=list)
    records_checked: int = 0
    attachments_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def bad_records(self) -> list[str]:
        """Ids of the records with at least one problem, in the order found."""
        return list(dict.fromkeys(p.record_id for p in self.problems if p.record_id))

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "records_checked": self.records_checked,
            "attachments_checked": self.attachments_checked,
            "problems": [asdict(p) for p in self.problems],
        }
