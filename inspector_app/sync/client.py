"""The laptop's HTTP client for HQ (httpx): one method per endpoint, timeouts, retries with backoff and jitter.

Every request of the protocol is idempotent (blobs are named by their hash, records and decisions by their id),
so any request may be retried after a cut connection. Retried: connection errors, timeouts, 408/425/429 and
5xx (``Retry-After`` honoured). Not retried: other 4xx — HQ has refused the request for a reason that a
retry cannot change; :class:`HQRefused` carries HQ's machine ``code`` and Chinese message.
"""

from __future__ import annotations

import hashlib
import random
import ssl
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from inspector_app.core.errors import InspectorError
from inspector_app.sync.protocol import (
    API_PREFIX,
    MAX_MISSING_QUERY,
    PROTOCOL_VERSION,
    DecisionPayload,
    Enrolment,
    ErrorBody,
    ProtocolError,
    PullPage,
    Receipt,
    RecordPayload,
    check_sha256,
)

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
USER_AGENT = f"inspector-app-sync/{PROTOCOL_VERSION}"
#: 5 s to connect, 30 s for any read/write gap (a photo upload on a slow county link).
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)


class SyncError(InspectorError):
    """A sync request that did not succeed; ``str()`` is the Chinese message for the user."""

    def __init__(self, code: str, message: str, status: int | None = None, retryable: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.status = status
        self.retryable = retryable


class HQRefused(SyncError):
    """HQ answered 4xx: the request is wrong or not allowed, and retrying will not help."""


class HQUnreachable(SyncError):
    """No usable answer after every retry (network down, HQ restarting, 5xx): try again later."""


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter: wait ``uniform(0, min(cap, base * 2**attempt))``."""

    attempts: int = 6
    base: float = 0.5
    cap: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    random: Callable[[], float] = random.random

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        ceiling = min(self.cap, self.base * 2.0**attempt)
        wait = self.random() * ceiling
        if retry_after is not None:
            wait = max(wait, min(retry_after, self.cap))
        return wait


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return float(response.headers.get("Retry-After", ""))
    except ValueError:
        return None


class SyncClient:
    """Talks to one HQ. ``token`` is the device token from :meth:`enroll` (not needed for enrolment).

    ``verify`` is httpx's: True (system CAs), or an ``ssl.SSLContext`` trusting the bureau's own CA.
    """

    def __init__(
        self,
        base_url: str,
        token: str = "",
        *,
        hq_public_key: str = "",
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        verify: bool | ssl.SSLContext = True,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.hq_public_key = hq_public_key
        self.retry = retry or RetryPolicy()
        headers = {"User-Agent": USER_AGENT}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.Client(
            base_url=self.base_url + API_PREFIX,
            headers=headers,
            timeout=timeout,
            transport=transport,
            verify=verify,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transport ---------------------------------------------------------------------------------------------

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send with retries; return a 2xx response or raise :class:`HQRefused` / :class:`HQUnreachable`."""
        last = ""
        for attempt in range(self.retry.attempts):
            retry_after = None
            try:
                response = self._http.request(method, path, **kwargs)
                response.read()
            except httpx.TransportError as exc:
                last = f"{type(exc).__name__}: {exc}"[:200]
            else:
                if response.is_success:
                    return response
                if response.status_code not in RETRY_STATUSES:
                    raise self._refused(response)
                body = self._error_body(response)
                last = f"HTTP {response.status_code} {body.message if body else ''}".strip()
                retry_after = _retry_after(response)
            if attempt + 1 < self.retry.attempts:
                self.retry.sleep(self.retry.delay(attempt, retry_after))
        raise HQUnreachable(
            "unreachable",
            f"无法完成与总部（{self.base_url}）的同步：已尝试 {self.retry.attempts} 次，最后一次为 {last}。"
            "本机数据完好，请检查网络或稍后点“立即重试”。",
            retryable=True,
        )

    @staticmethod
    def _error_body(response: httpx.Response) -> ErrorBody | None:
        try:
            return ErrorBody.from_response(response.json())
        except ValueError:
            return None

    def _refused(self, response: httpx.Response) -> HQRefused:
        body = self._error_body(response)
        if body is None:
            return HQRefused(
                "http_error",
                f"总部拒绝了请求（HTTP {response.status_code}），且未说明原因",
                response.status_code,
            )
        error = HQRefused(body.code, f"总部拒绝：{body.message}", response.status_code)
        error.details = body.details  # type: ignore[attr-defined]
        return error

    def _json(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise HQUnreachable(
                "bad_response", "总部的应答不是有效的 JSON（连接可能中断），请重试", retryable=True
            ) from exc

    def _parse(self, parse: Callable[[Any], Any], data: Any) -> Any:
        try:
            return parse(data)
        except ProtocolError as exc:
            raise SyncError("bad_response", f"总部的应答不符合协议：{exc}") from exc

    # -- endpoints --------------------------------------------------------------------------------------------

    def hello(self) -> dict[str, Any]:
        """``GET /v1/hello``: who HQ thinks this device is (checks the token)."""
        return dict(self._json(self._request("GET", "/hello")))

    def enroll(self, code: str, device_id: str, public_key: str) -> Enrolment:
        """``POST /v1/enroll``: trade the one-time code and this device's public key for a device token."""
        body = {"protocol": PROTOCOL_VERSION, "code": code, "device_id": device_id, "public_key": public_key}
        enrolment: Enrolment = self._parse(
            Enrolment.from_dict, self._json(self._request("POST", "/enroll", json=body))
        )
        self.hq_public_key = enrolment.hq.public_key
        self._http.headers["Authorization"] = f"Bearer {enrolment.token}"
        return enrolment

    def missing_blobs(self, shas: Iterable[str]) -> list[str]:
        """``POST /v1/blobs/missing``: which of ``shas`` HQ does not hold yet (asked in chunks)."""
        wanted = sorted(set(shas))
        missing: list[str] = []
        for start in range(0, len(wanted), MAX_MISSING_QUERY):
            chunk = wanted[start : start + MAX_MISSING_QUERY]
            data = self._json(self._request("POST", "/blobs/missing", json={"sha256": chunk}))
            found = data.get("missing") if isinstance(data, Mapping) else None
            if not isinstance(found, list) or not set(found) <= set(chunk):
                raise SyncError("bad_response", "总部对“缺少哪些附件”的应答无效")
            missing += found
        return missing

    def upload_blob(self, sha: str, data: bytes) -> None:
        """``PUT /v1/blobs/{sha}``: upload one attachment (idempotent)."""
        check_sha256(sha)
        headers = {"Content-Type": "application/octet-stream"}
        self._request("PUT", f"/blobs/{sha}", content=data, headers=headers)

    def download_blob(self, sha: str) -> bytes:
        """``GET /v1/blobs/{sha}``: an attachment of a record this device may see, verified by its hash."""
        check_sha256(sha)
        for _ in range(self.retry.attempts):
            data = self._request("GET", f"/blobs/{sha}").content
            if hashlib.sha256(data).hexdigest() == sha:
                return data
        raise HQUnreachable(
            "blob_mismatch", f"从总部下载的附件 {sha[:12]}… 多次与其哈希不符，请稍后重试", retryable=True
        )

    def push_record(self, payload: RecordPayload, read_blob: Callable[[str], bytes]) -> Receipt:
        """Push one record: upload the blobs HQ lacks, then the record; returns HQ's receipt.

        ``read_blob(sha)`` returns an attachment's bytes from the laptop's store.
        """
        for sha in self.missing_blobs(payload.blobs()):
            self.upload_blob(sha, read_blob(sha))
        return self._receipt(
            self._request("POST", "/records", json=payload.to_dict()), payload.id, payload.hash
        )

    def push_decision(self, payload: DecisionPayload) -> Receipt:
        """``POST /v1/decisions``: a review decision made on this laptop."""
        response = self._request("POST", "/decisions", json=payload.to_dict())
        return self._receipt(response, payload.id, payload.digest)

    def pull(self, cursor: str = "0", limit: int = 200) -> PullPage:
        """``GET /v1/pull``: the next page of changes for this device after ``cursor``."""
        response = self._request("GET", "/pull", params={"cursor": cursor, "limit": limit})
        page: PullPage = self._parse(PullPage.from_dict, self._json(response))
        return page

    def _receipt(self, response: httpx.Response, item_id: str, digest: str) -> Receipt:
        receipt: Receipt = self._parse(Receipt.from_dict, self._json(response))
        if receipt.id != item_id or receipt.hash != digest:
            raise SyncError("bad_response", f"总部回执与所推送的内容不符（{item_id}）；未标记为已同步")
        if self.hq_public_key:
            self.verify_receipt(receipt)
        return receipt

    def verify_receipt(self, receipt: Receipt) -> None:
        """Check HQ's signature on a receipt with HQ's public key from the enrolment."""
        try:
            receipt.verify(self.hq_public_key)
        except ProtocolError as exc:
            raise SyncError(exc.code, str(exc)) from exc
