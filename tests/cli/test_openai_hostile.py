"""`codex --backend openai` against hostile servers (stdlib http.server on 127.0.0.1, one per test):
one that trickles its answer a byte at a time (the request timeout is a deadline on the whole
exchange), one that echoes the API key in its error, and URLs carrying user:password. Secrets
never reach stdout or stderr, with or without --json.

The trickle tests run codex as a child with a wall-clock bound, so a codex that waits forever
fails the test instead of stalling the suite.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

import pytest
from typer.testing import CliRunner

from codexcli.cli import app
from tests.conftest import run_codex, subprocess_env

runner = CliRunner()
KEY = "sk-hostile-0123456789abcdef"
TIMEOUT_S = 2
MODELS = json.dumps({"object": "list", "data": [{"id": "coder", "object": "model", "owned_by": "x"}]}).encode()


class Hostile(ThreadingHTTPServer):
    """A server whose misbehaviour is ``mode``; ``stop`` ends any trickle still running."""

    daemon_threads = True

    def __init__(self, mode: str) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.mode = mode
        self.stop = threading.Event()
        self.streamed: list[bool] = []  # "stream" of each chat request

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Hostile

    def log_message(self, *args: Any) -> None:
        pass

    def trickle(self, data: bytes) -> None:
        """Send ``data`` one byte every half second, until done, stopped, or the client leaves."""
        for byte in data:
            if self.server.stop.wait(0.5):
                return
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:
                return

    def answer(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        mode = self.server.mode
        if mode == "echo-401":
            message = f"invalid credentials: Authorization: {self.headers.get('Authorization')}"
            self.answer(401, json.dumps({"error": {"message": message}}).encode())
        elif mode == "echo-500-text":
            self.answer(500, f"proxy refused {self.headers.get('Authorization')}".encode(), "text/plain")
        elif mode == "trickle-body" and self.path == "/v1/models":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(MODELS)))
            self.end_headers()
            self.wfile.flush()
            self.trickle(MODELS)
        elif mode == "trickle-headers" and self.path == "/v1/models":
            head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(MODELS)}\r\n\r\n"
            self.trickle(head.encode() + MODELS)
            self.close_connection = True
        elif self.path == "/v1/models":
            self.answer(200, MODELS)
        else:
            self.answer(404, b'{"error": "not found"}')

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        if self.server.mode != "trickle-stream" or self.path != "/v1/chat/completions":
            self.do_GET()
            return
        self.server.streamed.append(bool(body.get("stream")))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")  # no length: the body ends when the server closes
        self.end_headers()
        event = {"choices": [{"index": 0, "delta": {"content": "def f():\n    return 1\n"}}]}
        self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
        self.wfile.flush()
        self.trickle(b": still thinking\n" * 200)
        self.close_connection = True


@pytest.fixture
def hostile(request: pytest.FixtureRequest) -> Iterator[Hostile]:
    server = Hostile(request.param)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# The request timeout: a deadline on the whole exchange ---------------------------------------


@pytest.mark.parametrize(
    ("hostile", "args"),
    [
        ("trickle-body", ("models",)),
        ("trickle-headers", ("models",)),
        ("trickle-stream", ("generate", "return one", "--retries", "0")),
    ],
    indirect=["hostile"],
)
def test_a_trickling_server_meets_the_request_timeout(hostile: Hostile, args: tuple[str, ...], tmp_path: Path) -> None:
    env = {**subprocess_env(), "CODEXCLI_HOME": str(tmp_path / "home"), "CODEX_REQUEST_TIMEOUT": str(TIMEOUT_S)}
    env.update(CODEX_BACKEND="openai", CODEX_BASE_URL=hostile.url, CODEX_API_KEY=KEY)
    start = time.monotonic()
    # A codex without the deadline is still reading at 20 s: subprocess.TimeoutExpired fails the test.
    proc = run_codex("--json", *args, cwd=tmp_path, env=env, backend_from_env=True, timeout=20)
    took = time.monotonic() - start
    errors = [line for line in proc.stderr.splitlines() if ": error:" in line]
    assert proc.returncode == 2, proc.stderr
    assert len(errors) == 1 and f"no complete answer within {TIMEOUT_S} s" in errors[0], proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1])["error"]["kind"] == "server"
    assert took < TIMEOUT_S + 6, f"took {took:.1f} s"
    if hostile.mode == "trickle-stream":
        assert hostile.streamed and all(hostile.streamed)  # the streaming path was the one bounded


# Secrets: the API key a server echoes, the URL's user:password --------------------------------


@pytest.mark.parametrize("hostile", ["echo-401", "echo-500-text"], indirect=True)
@pytest.mark.parametrize("as_json", [False, True])
def test_an_echoed_api_key_is_never_printed(hostile: Hostile, as_json: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEX_API_KEY", KEY)
    flags = ["--json"] if as_json else []
    result = runner.invoke(app, [*flags, "--backend", "openai", "--base-url", hostile.url, "models"])
    assert result.exit_code == 2, result.output
    assert KEY not in result.stdout and KEY not in result.stderr
    assert "Bearer ***" in result.stderr  # the server's words are kept, the key masked
    if as_json:
        assert json.loads(result.stdout)["error"]["kind"] == "server"


@pytest.mark.parametrize("hostile", ["models"], indirect=True)
def test_url_credentials_are_never_printed(hostile: Hostile) -> None:
    url = hostile.url.replace("http://", "http://u:secret@")
    results = {}
    for args in (("--json", "models"), ("models",), ("--json", "doctor", "--no-decode")):
        results[args] = result = runner.invoke(app, ["--backend", "openai", "--base-url", url, *args])
        assert "secret" not in result.stdout + result.stderr, args
    assert results["--json", "models"].exit_code == 0, results["--json", "models"].output
    masked = hostile.url.replace("http://", "http://***@")
    assert json.loads(results["--json", "models"].stdout)["server"]["base_url"] == masked
    assert f"server: {masked}" in results["models",].stdout
    checks = {c["name"]: c for c in json.loads(results["--json", "doctor", "--no-decode"].stdout)["checks"]}
    assert checks["server"]["status"] == "ok" and checks["server"]["data"]["base_url"] == masked


def test_url_credentials_are_not_in_a_connection_error() -> None:
    url = f"http://u:secret@127.0.0.1:{closed_port()}/v1"
    for flags in ([], ["--json"]):
        result = runner.invoke(app, [*flags, "--backend", "openai", "--base-url", url, "models"])
        assert result.exit_code == 2 and "cannot connect to http://***@127.0.0.1" in result.stderr, result.output
        assert "secret" not in result.stdout + result.stderr
