"""The read-only HQ status page (server-rendered Chinese HTML) and the record pages with their PDF.

Pages show personal data, so they are served only to loopback clients unless ``inspector-hq serve`` is
started with ``--public-pages`` (behind the bureau's own access control).
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from inspector_app.core.clock import local_display, parse_utc
from inspector_app.core.errors import InspectorError
from inspector_app.core.lifecycle import RecordStatus
from inspector_app.core.reviews import Decision
from inspector_app.hq import store
from inspector_app.hq.render import record_of, render_record, shipped_forms
from inspector_app.hq.service import HQ

_env = Environment(loader=PackageLoader("inspector_app.hq", "templates"), autoescape=select_autoescape())
FAMILY_LABELS = {"food": "食品“三小”", "equipment": "特种设备", "cosmetics": "化妆品经营"}
QUEUE_PAGE = 50
ROLE_LABELS = {"inspector": "检查员", "supervisor": "审核人"}


def _local(text: str | None) -> str:
    return local_display(parse_utc(text)) if text else ""


def _status_label(status: str) -> str:
    try:
        return RecordStatus(status).label
    except ValueError:
        return status


def _item_texts(form_id: str, version: int) -> dict[str, str]:
    """Item code → text from the shipped checklist ({} when HQ does not ship that version)."""
    try:
        return {item.code: item.text for item in shipped_forms().get(form_id, version).items}
    except InspectorError:
        return {}


class Pages:
    def __init__(self, hq: HQ, public: bool = False) -> None:
        self.hq, self.public = hq, public

    def _allowed(self, request: Request) -> bool:
        if self.public:
            return True
        host = request.client.host if request.client else ""
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return host in ("testclient", "localhost")

    def _page(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = _env.get_template(name).render(
            hq_name=self.hq.identity.name, now=local_display(self.hq.clock.now()), **context
        )
        return HTMLResponse(html, status_code=status)

    def _message(self, status: int, text: str) -> HTMLResponse:
        html = (
            f"<!doctype html><html lang='zh-CN'><meta charset='utf-8'><title>总部</title><p>{text}</p></html>"
        )
        return HTMLResponse(html, status_code=status)

    def _status_context(self) -> dict[str, Any]:
        with self.hq.engine.connect() as conn:
            devices = store.all_devices(conn)
            pending = store.pending_by_device(conn)
            gaps: dict[str, int] = {
                d.device_id: store.chain_gaps(conn, d.device_id) for d in devices if d.device_id
            }
            by_day = store.received_by_day(conn)
            grouped = store.received_by_area_family(conn)
            recent = store.list_records(conn, limit=None)[-20:][::-1]
            refusals = store.recent_refusals(conn)
        areas: dict[tuple[str, str], dict[str, Any]] = defaultdict(
            lambda: {"synced": 0, "approved": 0, "returned": 0, "total": 0}
        )
        for area, family, status, count in grouped:
            row = areas[(area, family)]
            row.update(area=area, family=FAMILY_LABELS.get(family, family))
            row[status] = row.get(status, 0) + count
            row["total"] += count
        return {
            "devices": [
                {
                    "name": d.name,
                    "role": ROLE_LABELS.get(d.role, d.role),
                    "area": d.area,
                    "revoked": d.revoked_at,
                    "enrolled": d.enrolled_at,
                    "last_seen": _local(d.last_seen_at),
                    "pending": pending.get(d.device_id or "", 0),
                    "gaps": gaps.get(d.device_id or "", 0),
                }
                for d in devices
            ],  # fmt: skip
            "by_day": by_day,
            "by_area": list(areas.values()),
            "recent": [
                {**r, "status_label": _status_label(r["status"]), "received_at": _local(r["received_at"])}
                for r in recent
            ],  # fmt: skip
            "refusals": [{**r, "at": _local(r["at"])} for r in refusals],
        }

    async def status(self, request: Request) -> Response:
        if not self._allowed(request):
            return self._message(
                403, "状态页只对本机开放；如需在内网查看，请以 --public-pages 启动并做好访问控制。"
            )
        return self._page("status.html", **(await run_in_threadpool(self._status_context)))

    def _record_context(self, record_id: str) -> dict[str, Any] | None:
        with self.hq.engine.connect() as conn:
            row = store.record_row(conn, record_id)
            if row is None:
                return None
            decision = store.decision_for(conn, record_id)
            device = store.device_by(conn, device_id=row["device_id"])
        record = record_of(row)
        context: dict[str, Any] = {
            "row": row, "record": record, "status_label": _status_label(row["status"]),
            "answers": [record.answers[c] for c in sorted(record.answers)],
            "item_texts": _item_texts(record.form_id, record.form_version),
            "started": local_display(record.started_at), "finalized": _local(row["finalized_at"]),
            "received": _local(row["received_at"]), "device": device.name if device else row["device_id"],
            "decision": None,
        }  # fmt: skip
        if decision:
            context["decision"] = {**decision, "decision_label": Decision(decision["decision"]).label,
                                   "decided_at": _local(decision["decided_at"])}  # fmt: skip
        return context

    async def record(self, request: Request) -> Response:
        if not self._allowed(request):
            return self._message(403, "记录页只对本机开放。")
        context = await run_in_threadpool(self._record_context, request.path_params["id"])
        if context is None:
            return self._message(404, "没有这条记录。")
        return self._page("record.html", **context)

    def _pdf(self, record_id: str) -> bytes | None:
        with self.hq.engine.connect() as conn:
            row = store.record_row(conn, record_id)
        return None if row is None else render_record(row, self.hq.blobs)

    async def pdf(self, request: Request) -> Response:
        if not self._allowed(request):
            return self._message(403, "记录页只对本机开放。")
        try:
            data = await run_in_threadpool(self._pdf, request.path_params["id"])
        except InspectorError as exc:
            return self._message(409, str(exc))
        if data is None:
            return self._message(404, "没有这条记录。")
        return Response(data, media_type="application/pdf")

    def _queue_context(self, area: str, page: int) -> dict[str, Any]:
        with self.hq.engine.connect() as conn:
            rows = store.queue(conn, area, QUEUE_PAGE, (page - 1) * QUEUE_PAGE)
        for row in rows:
            row.update(finalized_at=_local(row["finalized_at"]), received_at=_local(row["received_at"]),
                       family=FAMILY_LABELS.get(row["family"], row["family"]))  # fmt: skip
        return {"rows": rows, "area": area, "page": page, "size": QUEUE_PAGE}

    async def queue(self, request: Request) -> Response:
        """A supervisor's view of one area's records awaiting review (the page the HQ scale bench times)."""
        if not self._allowed(request):
            return self._message(403, "审核队列页只对本机开放。")
        area = request.query_params.get("area", "").strip()
        page_text = request.query_params.get("page", "1")
        if not area or not page_text.isdigit() or int(page_text) < 1:
            return self._message(400, "请指定辖区（?area=东宝区）和页码（&page=1）。")
        context = await run_in_threadpool(self._queue_context, area, int(page_text))
        return self._page("queue.html", **context)

    def routes(self) -> list[Route]:
        return [
            Route("/", self.status, methods=["GET"]),
            Route("/queue", self.queue, methods=["GET"]),
            Route("/records/{id}.pdf", self.pdf, methods=["GET"]),
            Route("/records/{id}", self.record, methods=["GET"]),
        ]
