"""Raw HTTP upload baseline for the sync benchmark: the same bytes PUT to a bare endpoint on loopback.

``benches/sync.py`` (the laptop push benchmark, phase 2) compares its records/s and MB/s against
:func:`raw_upload_baseline` run on the same payloads in the same process: one PUT per payload through httpx
(one kept-alive connection, like the sync client) to a Starlette app on uvicorn that reads the body and throws
it away — no hashing, no database, no fsync. That is the ceiling for "bytes over HTTP on this machine".

Usage alone: ``python benches/raw_upload.py [--count 2000] [--size 200000]``. The last line is a JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

# The repository root, for the test suite's helpers (PostgreSQL cluster, loopback server, fake laptop);
# inspector_app itself comes from the installed package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.live_server import ServerThread


async def _swallow(request: Request) -> Response:
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
    return Response(str(size), status_code=201)


def raw_upload_baseline(payloads: Sequence[bytes]) -> dict[str, float]:
    """Upload every payload once; returns ``{"seconds", "items_per_s", "mb_per_s", "bytes"}``."""
    server = ServerThread(Starlette(routes=[Route("/raw/{n}", _swallow, methods=["PUT"])]))
    total = sum(len(p) for p in payloads)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{server.port}", timeout=60) as client:
            began = time.perf_counter()
            for n, data in enumerate(payloads):
                response = client.put(f"/raw/{n}", content=data)
                if response.status_code != 201 or int(response.text) != len(data):
                    raise RuntimeError(f"raw upload {n} failed: {response.status_code}")
            seconds = time.perf_counter() - began
    finally:
        server.stop()
    return {
        "seconds": round(seconds, 3),
        "items_per_s": round(len(payloads) / seconds, 1),
        "mb_per_s": round(total / seconds / 1e6, 1),
        "bytes": total,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--size", type=int, default=200_000)
    args = parser.parse_args()
    payloads = [os.urandom(args.size) for _ in range(args.count)]
    print(json.dumps({"bench": "raw_upload", "count": args.count, **raw_upload_baseline(payloads)}))


if __name__ == "__main__":
    main()
