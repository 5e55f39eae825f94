"""An ASGI app served by uvicorn on a loopback socket in a thread (tests and benches)."""

from __future__ import annotations

import random
import socket
import threading
import time

import uvicorn


class ServerThread:
    """uvicorn serving an app on a loopback socket in a thread (stopped cleanly at teardown)."""

    def __init__(self, app, port: int = 0) -> None:
        # proto IPPROTO_TCP: asyncio sets TCP_NODELAY only on such sockets (else every response waits 40 ms
        # for a delayed ACK).
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.port = self.sock.getsockname()[1]
        self.server = uvicorn.Server(
            uvicorn.Config(app, log_level="error", lifespan="off", timeout_graceful_shutdown=1)
        )
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("HQ test server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)
        self.sock.close()


def free_port(low: int, high: int) -> int:
    """A free loopback port in ``low..high`` (each branch has its own range; see the team's port table)."""
    for port in random.sample(range(low, high + 1), high - low + 1):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise AssertionError(f"no free port in {low}–{high}")
