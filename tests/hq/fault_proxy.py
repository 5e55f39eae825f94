"""A loopback TCP proxy that cuts each connection after a random number of bytes (both directions counted).

``budget()`` decides each new connection's allowance; the cut is abrupt (shutdown, then close with SO_LINGER 0), like a
mobile link dropping mid-request or mid-response.
"""

from __future__ import annotations

import contextlib
import random
import socket
import struct
import threading
from collections.abc import Callable


class CuttingProxy:
    def __init__(self, upstream_port: int, budget: Callable[[], int | None]) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.budget = budget
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.cuts = 0
        self.connections = 0
        self._stop = False
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self._stop:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.upstream, timeout=10)
        except OSError:
            client.close()
            return
        for sock in (client, upstream):  # no Nagle: small request/response pieces go out at once
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        state = {"left": self.budget(), "closed": False}
        lock = threading.Lock()

        def cut() -> None:
            with lock:
                if state["closed"]:
                    return
                state["closed"] = True
            for sock in (client, upstream):
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                with contextlib.suppress(OSError):  # wakes the other pump's recv(); close() alone does not
                    sock.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    sock.close()

        def pump(src: socket.socket, dst: socket.socket) -> None:
            try:
                while True:
                    data = src.recv(65536)
                    if not data:
                        break
                    with lock:
                        left = state["left"]
                        if left is not None:
                            if len(data) >= left:
                                data = data[:left]
                                state["left"] = 0
                            else:
                                state["left"] = left - len(data)
                    if data:
                        dst.sendall(data)
                    if state["left"] == 0:
                        with self._lock:
                            self.cuts += 1
                        break
            except OSError:
                pass
            cut()

        threading.Thread(target=pump, args=(upstream, client), daemon=True).start()
        pump(client, upstream)

    def close(self) -> None:
        self._stop = True
        self.listener.close()


def random_budget(rng: random.Random, limit: int, clean_share: float = 0.25) -> Callable[[], int | None]:
    """Cut after 0..limit bytes, except for ``clean_share`` of connections that run uncut."""

    def budget() -> int | None:
        return None if rng.random() < clean_share else rng.randint(0, limit)

    return budget
