"""Misbehaving Cognito endpoints for the fault tests (docs/security.md X1-X4).

- :class:`ErrorServer` answers every API call with one error (throttling, 5xx) and counts them;
- :func:`silent_server` accepts connections and never answers;
- :func:`closed_port` is a port nobody listens on;
- :class:`ApplyingProxy` forwards to the embedded Cognito but drops the answer to chosen
  operations, so Cognito applies a call whose caller times out;
- :class:`QuietHandler` and :func:`serve` / :func:`shut` are what these and the test JWKS
  server (tests/jwks_server.py) are built from.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import urlsplit


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _operation(handler: BaseHTTPRequestHandler) -> str:
    return str(handler.headers.get("X-Amz-Target", "")).rsplit(".", 1)[-1]


class QuietHandler(BaseHTTPRequestHandler):
    """A test server's handler: no access log on stderr; ``reply`` sends one whole body."""

    def reply(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def serve(handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    """Serve ``handler`` on a free local port from a daemon thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def shut(server: ThreadingHTTPServer | None) -> None:
    if server is not None:
        server.shutdown()
        server.server_close()


class _Server:
    def __init__(self) -> None:
        self.requests: Counter[str] = Counter()
        self._server: ThreadingHTTPServer | None = None
        self.url = ""

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        raise NotImplementedError

    def start(self) -> _Server:
        self._server = serve(self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        return self

    def stop(self) -> None:
        shut(self._server)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class ErrorServer(_Server):
    """Every call answered with ``{"__type": error}`` and HTTP ``status``."""

    def __init__(self, error: str, status: int) -> None:
        super().__init__()
        self.error, self.status = error, status

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        owner = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
                owner.requests[_operation(self)] += 1
                body = json.dumps({"__type": owner.error, "message": "injected"}).encode()
                self.reply(owner.status, body, "application/x-amz-json-1.1")

        return Handler


class ApplyingProxy(_Server):
    """Forwards to ``upstream``; the answer to the next ``drop[op]`` calls of ``op`` is held
    for ``hold`` seconds and then dropped (the caller has timed out; Cognito did the work)."""

    def __init__(self, upstream: str, hold: float = 3.0) -> None:
        super().__init__()
        self.upstream = urlsplit(upstream)
        self.hold = hold
        self.drop: Counter[str] = Counter()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        owner = self

        class Handler(QuietHandler):
            def _relay(self, method: str) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
                operation = _operation(self)
                owner.requests[operation] += 1
                upstream = http.client.HTTPConnection(
                    owner.upstream.hostname or "127.0.0.1", owner.upstream.port, timeout=10
                )
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                upstream.request(method, self.path, body=body, headers=headers)
                answer = upstream.getresponse()
                payload = answer.read()
                if owner.drop[operation] > 0:
                    owner.drop[operation] -= 1
                    time.sleep(owner.hold)
                    self.close_connection = True
                    return
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_POST(self) -> None:
                self._relay("POST")

            def do_GET(self) -> None:
                self._relay("GET")

        return Handler


@contextmanager
def silent_server() -> Iterator[str]:
    """A server that accepts connections and never answers; yields its URL."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
                held.append(connection)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        listener.close()
