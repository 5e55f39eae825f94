"""The ``/v1`` HTTP API (Starlette). Handlers read and bound the body, then call :class:`HQ` in a worker thread.

Every refusal answers ``{"error": {"code", "message", "details"}}`` with a 4xx status and is kept for the
status page; an unexpected error answers 500 with a Chinese message and the service keeps serving.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from inspector_app.core.clock import utc_iso
from inspector_app.hq.service import HQ
from inspector_app.hq.store import DeviceRow
from inspector_app.sync.protocol import (
    MAX_BLOB_BYTES,
    MAX_JSON_BYTES,
    MAX_MISSING_QUERY,
    PROTOCOL_VERSION,
    DecisionPayload,
    ProtocolError,
    RecordPayload,
    check_sha256,
)

log = logging.getLogger("inspector_app.hq")
INTERNAL = ProtocolError("internal", "总部服务内部错误，请稍后重试；如持续出现请联系总部管理员", 500)
Handler = Callable[[Request], Awaitable[Response]]


def error_response(error: ProtocolError) -> JSONResponse:
    return JSONResponse(error.to_dict(), status_code=error.status)


async def read_body(request: Request, limit: int) -> bytes:
    """The body, refused with 413 as soon as it passes ``limit`` (by header or while streaming)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ProtocolError("too_large", f"请求体过大（上限 {limit // 1024} KB）", 413, {"limit": limit})
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ProtocolError("too_large", f"请求体过大（上限 {limit // 1024} KB）", 413, {"limit": limit})
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request: Request) -> Any:
    body = await read_body(request, MAX_JSON_BYTES)
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ProtocolError("bad_json", f"请求体不是有效的 JSON：{str(exc)[:100]}", 400) from exc


def _token(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


class Api:
    """Route handlers bound to one :class:`HQ`."""

    def __init__(self, hq: HQ) -> None:
        self.hq = hq

    def guarded(self, handler: Handler) -> Handler:
        async def wrapper(request: Request) -> Response:
            try:
                return await handler(request)
            except ProtocolError as error:
                who = request.scope.get("hq_device", "") or (request.client.host if request.client else "")
                await run_in_threadpool(self.hq.note_refusal, str(who), request.url.path, error)
                return error_response(error)
            except Exception:
                log.exception("unexpected error on %s", request.url.path)
                return error_response(INTERNAL)

        return wrapper

    async def device(self, request: Request) -> DeviceRow:
        device = await run_in_threadpool(self.hq.devices.authenticate, _token(request))
        request.scope["hq_device"] = device.name
        return device

    async def hello(self, request: Request) -> Response:
        device = await self.device(request)
        return JSONResponse(
            {
                "protocol": PROTOCOL_VERSION,
                "hq": self.hq.identity.to_dict(),
                "device": {
                    "name": device.name,
                    "device_id": device.device_id,
                    "role": device.role,
                    "area": device.area,
                },
                "time": utc_iso(self.hq.clock.now()),
            }  # fmt: skip
        )

    async def enroll(self, request: Request) -> Response:
        data = await read_json(request)
        if not isinstance(data, dict) or data.get("protocol") != PROTOCOL_VERSION:
            raise ProtocolError(
                "unsupported_protocol", f"登记请求应为 JSON 对象且 protocol = {PROTOCOL_VERSION}", 400
            )
        fields = [data.get(k) for k in ("code", "device_id", "public_key")]
        if not all(isinstance(f, str) and 0 < len(f) <= 200 for f in fields):
            raise ProtocolError(
                "invalid_payload", "登记请求需要 code、device_id、public_key 三个文本字段", 400
            )
        code, device_id, public_key = (str(f) for f in fields)
        enrolment = await run_in_threadpool(self.hq.devices.enroll, code, device_id, public_key)
        return JSONResponse(enrolment.to_dict(), status_code=201)

    async def missing(self, request: Request) -> Response:
        await self.device(request)
        data = await read_json(request)
        shas = data.get("sha256") if isinstance(data, dict) else None
        if not isinstance(shas, list) or len(shas) > MAX_MISSING_QUERY:
            raise ProtocolError(
                "invalid_payload", f"sha256 应为最多 {MAX_MISSING_QUERY} 个 SHA-256 的列表", 400
            )
        return JSONResponse({"missing": await run_in_threadpool(self.hq.missing_blobs, shas)})

    async def put_blob(self, request: Request) -> Response:
        await self.device(request)
        sha = check_sha256(request.path_params["sha"], "附件名")
        body = await read_body(request, MAX_BLOB_BYTES)
        created = await run_in_threadpool(self.hq.put_blob, sha, [body])
        return JSONResponse(
            {"sha256": sha, "size": len(body), "stored": created}, status_code=201 if created else 200
        )

    async def get_blob(self, request: Request) -> Response:
        device = await self.device(request)
        sha = check_sha256(request.path_params["sha"], "附件名")
        data = await run_in_threadpool(self.hq.read_blob, device, sha)
        return Response(data, media_type="application/octet-stream", headers={"ETag": f'"{sha}"'})

    async def push_record(self, request: Request) -> Response:
        device = await self.device(request)
        payload = RecordPayload.from_dict(await read_json(request))
        receipt = await run_in_threadpool(self.hq.accept_record, device, payload)
        return JSONResponse(receipt.to_dict(), status_code=200 if receipt.duplicate else 201)

    async def push_decision(self, request: Request) -> Response:
        device = await self.device(request)
        payload = DecisionPayload.from_dict(await read_json(request))
        receipt = await run_in_threadpool(self.hq.accept_decision, device, payload)
        return JSONResponse(receipt.to_dict(), status_code=200 if receipt.duplicate else 201)

    async def pull(self, request: Request) -> Response:
        device = await self.device(request)
        limit_text = request.query_params.get("limit", "200")
        if not limit_text.isdigit():
            raise ProtocolError("invalid_payload", "limit 应为正整数", 400)
        cursor = request.query_params.get("cursor", "0")
        page = await run_in_threadpool(self.hq.pull, device, cursor, int(limit_text))
        return JSONResponse(page.to_dict())

    def routes(self) -> list[Route]:
        table: list[tuple[str, Handler, str]] = [
            ("/v1/hello", self.hello, "GET"),
            ("/v1/enroll", self.enroll, "POST"),
            ("/v1/blobs/missing", self.missing, "POST"),
            ("/v1/blobs/{sha}", self.put_blob, "PUT"),
            ("/v1/blobs/{sha}", self.get_blob, "GET"),
            ("/v1/records", self.push_record, "POST"),
            ("/v1/decisions", self.push_decision, "POST"),
            ("/v1/pull", self.pull, "GET"),
        ]
        return [Route(path, self.guarded(handler), methods=[method]) for path, handler, method in table]
