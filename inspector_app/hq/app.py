"""The HQ web application: the ``/v1`` API and the status pages on one Starlette app.

Unknown paths and wrong methods answer in the protocol's error shape, so a client always gets a reason.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from inspector_app.hq.api import Api, error_response
from inspector_app.hq.pages import Pages
from inspector_app.hq.service import HQ
from inspector_app.sync.protocol import ProtocolError


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status == 404:
        return error_response(ProtocolError("not_found", f"没有这个地址：{request.url.path[:200]}", 404))
    if status == 405:
        return error_response(ProtocolError("method_not_allowed", f"{request.method} 不适用于该地址", 405))
    return error_response(ProtocolError("http_error", f"请求无法处理（HTTP {status}）", status))


def create_app(hq: HQ, *, public_pages: bool = False) -> Starlette:
    routes = Api(hq).routes() + Pages(hq, public_pages).routes()
    app = Starlette(routes=routes, exception_handlers={HTTPException: _http_error})
    app.router.redirect_slashes = False  # a redirect is no answer for a sync client: 404 with a reason
    app.state.hq = hq
    return app
