"""Complaints (投诉举报) recorded against businesses: they feed the risk grade.

Anyone signed in may record one (it usually arrives through 12315 or a hotline); a supervisor or administrator
records what checking found. The summary stays internal: it is never exported or published, and it should not
hold the complainant's personal data (the form says so).
"""

from __future__ import annotations

import uuid
from datetime import date

from inspector_app.core.accounts import Role, User, require_role
from inspector_app.core.clock import Clock, local_today
from inspector_app.core.draw_params import check_text
from inspector_app.core.errors import NotFound, ValidationError
from inspector_app.core.identifiers import normalize_code
from inspector_app.core.planning import Complaint
from inspector_app.core.risk import COMPLAINT_LABELS, COMPLAINT_STATUSES
from inspector_app.storage.complaints import ComplaintRepository
from inspector_app.storage.store import Store

CHANNELS = ("12315", "12345", "来信来访", "现场举报", "上级转办", "其他")


def parse_status(value: str) -> str:
    """``pending``/``substantiated``/``unfounded`` or their Chinese labels."""
    for status in COMPLAINT_STATUSES:
        if value in (status, COMPLAINT_LABELS[status]):
            return status
    options = "、".join(f"{s}（{COMPLAINT_LABELS[s]}）" for s in COMPLAINT_STATUSES)
    raise ValidationError(f"核查结果“{value}”无效，应为：{options}")


class ComplaintService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self.clock = clock
        self._repo = ComplaintRepository(store.db)

    def record(
        self,
        actor: User | None,
        uscc: str,
        received_on: date,
        channel: str,
        summary: str,
        status: str = "pending",
    ) -> Complaint:
        """Record a complaint about a registered business (checked: known business, date not in the future)."""
        user = require_role(actor, Role.INSPECTOR, Role.SUPERVISOR, Role.ADMIN)
        code = normalize_code(uscc)
        if self._store.businesses.get(code) is None:
            raise NotFound(f"主体名录中没有统一社会信用代码为 {code} 的主体；请先导入或登记该主体")
        if received_on > local_today(self.clock):
            raise ValidationError(f"受理日期 {received_on.isoformat()} 晚于今天，请检查")
        text = check_text(summary.strip(), "投诉举报摘要", required=True, limit=500)
        checked = parse_status(status)
        if checked != "pending":
            require_role(user, Role.SUPERVISOR, Role.ADMIN)
        complaint = Complaint(
            str(uuid.uuid4()), code, received_on, check_text(channel.strip(), "受理渠道", limit=40), text, checked,
            user.id, self.clock.now().replace(microsecond=0),
        )  # fmt: skip
        self._repo.add(complaint)
        return complaint

    def set_status(self, actor: User | None, complaint_id: str, status: str) -> Complaint:
        """Record what checking the complaint found (supervisors and administrators)."""
        require_role(actor, Role.SUPERVISOR, Role.ADMIN)
        self._repo.set_status(complaint_id, parse_status(status), self.clock.now())
        return self._repo.get(complaint_id)

    def list(self, uscc: str = "", status: str = "") -> list[Complaint]:
        return self._repo.list(normalize_code(uscc) if uscc else "", parse_status(status) if status else "")
