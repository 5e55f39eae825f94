"""The concrete tables of the shell: businesses, inspection summaries, 回头看 tasks and accounts.

Each is an :class:`~inspector_app.gui.models.base.IdTableModel` with its columns; rows come from a fetcher
the page passes in (a service call), so no model touches the database.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtGui import QColor

from inspector_app.core.accounts import User
from inspector_app.core.clock import local_display
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.registry import Business
from inspector_app.core.summaries import FollowUp, InspectionSummary
from inspector_app.gui import theme
from inspector_app.gui.models.base import Column, IdTableModel

Fetch = Callable[[str], Any]


def _risk_color(b: Business) -> QColor | None:
    return theme.DANGER if b.risk_grade == "D" else theme.WARNING if b.risk_grade == "C" else None


BUSINESS_COLUMNS = (
    Column("主体名称", lambda b: b.name, tooltip=lambda b: f"{b.name}\n{b.address}"),
    Column("统一社会信用代码", lambda b: b.uscc),
    Column("类型", lambda b: str(b.kind)),
    Column("辖区", lambda b: b.area),
    Column("风险等级", lambda b: b.risk_grade or "—", color=_risk_color),
    Column("经营地址", lambda b: b.address),
)


_GOOD_VERDICTS = frozenset({"符合", "未发现问题"})
_BAD_VERDICTS = frozenset({"不符合", "立即停止使用"})


def _verdict_color(s: InspectionSummary) -> QColor | None:
    if s.verdict in _BAD_VERDICTS:
        return theme.DANGER
    if s.verdict in _GOOD_VERDICTS:
        return theme.OK
    return theme.WARNING if s.verdict else None


def _status_color(s: InspectionSummary) -> QColor | None:
    return (
        theme.DANGER
        if s.status is RecordStatus.RETURNED
        else theme.MUTED
        if s.status is RecordStatus.DRAFT
        else None
    )


INSPECTION_COLUMNS = (
    Column("检查时间", lambda s: local_display(s.started_at).removesuffix(" (UTC+8)")),
    Column("主体名称", lambda s: s.business_name),
    Column("辖区", lambda s: s.area),
    Column("检查类型", lambda s: s.inspection_type),
    Column(
        "状态",
        lambda s: s.status.label + (f"（第{s.version}版）" if s.version > 1 else ""),
        color=_status_color,
    ),
    Column("检查结果", lambda s: s.verdict or "—", color=_verdict_color),
    Column("文书编号", lambda s: s.document_no),
)


def followup_columns(today: Callable[[], date]) -> tuple[Column, ...]:
    """Columns of 回头看 tasks; overdue ones are red (``today`` is the local calendar day)."""

    def due_text(f: FollowUp) -> str:
        days = (f.due_date - today()).days
        when = "今天到期" if days == 0 else f"逾期 {-days} 天" if days < 0 else f"{days} 天后到期"
        return f"{f.due_date.isoformat()}（{when}）"

    def due_color(f: FollowUp) -> QColor | None:
        return theme.DANGER if f.overdue(today()) else None

    return (
        Column("整改期限", due_text, color=due_color),
        Column("主体名称", lambda f: f.business_name, color=due_color),
        Column("整改要求", lambda f: f.requirement, tooltip=lambda f: f"{f.item_code}：{f.requirement}"),
    )


USER_COLUMNS = (
    Column("用户名", lambda u: u.username),
    Column("姓名", lambda u: u.display_name),
    Column("角色", lambda u: u.role.label),
    Column("执法证号", lambda u: u.badge_no),
    Column("辖区", lambda u: u.area),
    Column(
        "状态", lambda u: "启用" if u.active else "停用", color=lambda u: None if u.active else theme.MUTED
    ),
)


class BusinessTableModel(IdTableModel):
    """Businesses by USCC (search results); ``fetch(uscc) -> Business``."""

    def __init__(self, fetch: Fetch, parent: Any = None) -> None:
        super().__init__(BUSINESS_COLUMNS, fetch, cache_size=1024, parent=parent)


class InspectionTableModel(IdTableModel):
    """Inspection records by id; ``fetch(id) -> InspectionSummary``."""

    def __init__(self, fetch: Fetch, parent: Any = None) -> None:
        super().__init__(INSPECTION_COLUMNS, fetch, cache_size=2048, parent=parent)


class FollowUpTableModel(IdTableModel):
    """回头看 tasks by id; ``fetch(id) -> FollowUp``."""

    def __init__(self, fetch: Fetch, today: Callable[[], date], parent: Any = None) -> None:
        super().__init__(followup_columns(today), fetch, parent=parent)


class UserTableModel(IdTableModel):
    """Accounts by id; ``fetch(id) -> User``."""

    def __init__(self, fetch: Callable[[str], User | None], parent: Any = None) -> None:
        super().__init__(USER_COLUMNS, fetch, parent=parent)
