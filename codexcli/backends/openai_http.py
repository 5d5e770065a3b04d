"""The HTTP side of the OpenAI-compatible backend: a thin httpx client with codex's error rules.

Every failure a user can meet becomes one ``ServerError`` line (exit code 2) with a hint:
connection refused, timeout, a rejected key, an unknown model (with the server's model list),
a context overflow, a busy server (429/503, retried with backoff first) and malformed JSON.
httpx is imported here, and this module only by the openai backend, so `codex --help` never
pays for it. The API key lives in the client's headers only; every message is made through
``ServerClient.fail``, which redacts the key and the URL's password (backends/redact.py), also
where the server echoes them.

The request timeout is a deadline on the whole exchange: connecting, sending, waiting, reading
the body, streaming. httpx's own timeouts bound each read, so a server trickling a byte a
second never trips them; ``_Deadline`` shuts the request's socket down when time is up, which
ends whatever read is in progress, and the request fails with the timeout's one line.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from typing import Any, Callable, Iterator

from codexcli.backends.redact import redact, secrets_of
from codexcli.errors import CodexError, PromptTooLongError, ServerError

RETRY_STATUSES = (429, 502, 503)
CONNECT_TIMEOUT_S = 10.0  # at most; a shorter request timeout bounds connecting too
# Words servers use when a prompt does not fit (llama_cpp.server, llama-server, vLLM, OpenAI).
CONTEXT_WORDS = ("context window", "context length", "context_length", "exceed", "too long", "maximum context")


def _import_httpx() -> Any:
    try:
        import httpx
    except ImportError:  # pragma: no cover - depends on the install
        raise ServerError("the openai backend needs httpx", hint="pip install httpx") from None
    return httpx


def _server_message(body: bytes, clean: Callable[[str], str] = str) -> str:
    """The human part of an error body: OpenAI's {"error": {"message"}}, FastAPI's {"detail"}.
    ``clean`` (the redaction) runs before the cut, so no secret is left half-masked at the edge."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return clean(body.decode("utf-8", errors="replace")).strip()[:200]
    if isinstance(data, dict):
        err = data.get("error", data.get("detail", data))
        if isinstance(err, dict):
            err = err.get("message", err)
        return clean(str(err))[:300]
    return clean(str(data))[:200]


def _shutdown(sock: Any) -> None:
    """End every read and write on ``sock`` now. The plain socket's shutdown, also for a TLS
    socket: ``SSLSocket.shutdown`` would unwrap it under the thread reading it."""
    if sock is None:
        return
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except (OSError, TypeError):  # already closed, or not a socket (a test double)
        pass


class _Deadline:
    """One request's wall-clock limit. httpcore's ``trace`` extension names the socket each new
    connection gets (TCP, then TLS); a timer shuts it down when the time is up."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._sock: Any = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def trace(self, event: str, info: dict[str, Any]) -> None:
        if event.endswith(("connect_tcp.complete", "start_tls.complete")):
            self.watch(info.get("return_value"))

    def watch(self, stream: Any) -> None:
        """Follow ``stream``'s socket (httpcore's network stream; None is ignored)."""
        sock = stream.get_extra_info("socket") if stream is not None else None
        if sock is None:
            return
        with self._lock:
            self._sock, expired = sock, self.expired
        if expired:
            _shutdown(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired, sock = True, self._sock
        _shutdown(sock)

    def __enter__(self) -> "_Deadline":
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()


class ServerClient:
    """Requests to one OpenAI-compatible server (``base_url`` ends in ``/v1``)."""

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        *,
        timeout: float = 600.0,
        retries: int = 4,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        httpx = _import_httpx()
        self.base_url = base_url.rstrip("/")
        self.secrets = secrets_of(api_key, self.base_url)
        # The base URL as codex shows it (messages, `codex models`, doctor, describe()).
        self.shown_url = redact(self.base_url, self.secrets)
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self._sleep = sleep
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        # No kept-alive connections: every request opens its own, so the deadline's trace sees
        # its socket before the first byte (a reused connection's shows only after the headers).
        self._http = httpx.Client(
            headers=headers,
            timeout=httpx.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT_S)),
            limits=httpx.Limits(max_keepalive_connections=0),
            follow_redirects=True,
        )
        self._httpx = httpx

    def close(self) -> None:
        self._http.close()

    def url(self, path: str) -> str:
        """``path`` under the base URL (an absolute URL is taken as it is)."""
        if path.startswith(("http://", "https://")):
            return path
        return self.base_url + "/" + path.lstrip("/")

    def redact(self, text: str) -> str:
        """``text`` without this server's secrets (the key, the URL's user:password)."""
        return redact(text, self.secrets)

    def fail(self, message: str, hint: str | None = None, error: type[CodexError] = ServerError) -> CodexError:
        """The error to raise about this server: every message about it is made here, redacted."""
        return error(self.redact(message), hint=self.redact(hint) if hint else None)

    # Requests -----------------------------------------------------------------------------------

    def get_json(self, path: str) -> Any:
        return self._json(self._send("GET", path, None), path)

    def post_json(self, path: str, body: dict[str, Any]) -> Any:
        return self._json(self._send("POST", path, body), path)

    def try_json(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any | None:
        """An optional endpoint (``/props``, tokenizers): its JSON, or None when the server lacks it."""
        try:
            with self._exchange(method, path, body) as response:
                pass
        except CodexError:
            return None
        if response.status_code != 200:
            return None
        try:
            return response.json()
        except ValueError:
            return None

    def stream_events(self, path: str, body: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """The JSON events of a server-sent-event stream, until ``[DONE]``."""
        for attempt in range(self.retries + 1):
            with self._exchange("POST", path, body, stream=True) as response:
                if not (response.status_code in RETRY_STATUSES and attempt < self.retries):
                    yield from self._events(response, path)
                    return
            self._wait(attempt, response)  # outside the exchange: the wait is not the request's time
        raise AssertionError("unreachable")  # pragma: no cover

    def _events(self, response: Any, path: str) -> Iterator[dict[str, Any]]:
        if response.status_code != 200:
            response.read()
            self._raise_for(response, path)
        if "json" in response.headers.get("content-type", ""):
            response.read()  # a server that ignores "stream": its whole answer is one event
            yield self._json(response, path)
            return
        for line in response.iter_lines():
            if not line.startswith("data:"):
                continue  # comments, "event:" lines, keep-alives
            data = line[5:].strip()
            if data == "[DONE]":
                return
            try:
                event = json.loads(data)
            except ValueError:
                raise self._malformed(path, data) from None
            if isinstance(event, dict) and "error" in event:
                raise self._error_line(200, _server_message(data.encode(), self.redact), path)
            yield event

    def _send(self, method: str, path: str, body: dict[str, Any] | None) -> Any:
        for attempt in range(self.retries + 1):
            with self._exchange(method, path, body) as response:
                pass
            if response.status_code in RETRY_STATUSES and attempt < self.retries:
                self._wait(attempt, response)
                continue
            if response.status_code != 200:
                self._raise_for(response, path)
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    @contextlib.contextmanager
    def _exchange(self, method: str, path: str, body: dict[str, Any] | None, *, stream: bool = False) -> Iterator[Any]:
        """One request under one deadline: the response (its body read unless ``stream``), closed
        on exit. Whatever goes wrong in the block, reading included, after the deadline passed
        is the timeout; transport errors become their one line."""
        httpx = self._httpx
        with _Deadline(self.timeout) as deadline:
            try:
                request = self._http.build_request(
                    method, self.url(path), json=body, extensions={"trace": deadline.trace}
                )
                response = self._http.send(request, stream=True)
                try:
                    deadline.watch(response.extensions.get("network_stream"))
                    if not stream:
                        response.read()
                    yield response
                finally:
                    response.close()
            except Exception as exc:
                if deadline.expired:
                    raise self._late(path) from None
                if isinstance(exc, (httpx.HTTPError, httpx.InvalidURL)):
                    raise self._transport(exc, path) from None
                raise
            if deadline.expired:  # a body that ends at the shutdown (no length given) is cut, not whole
                raise self._late(path)

    def _json(self, response: Any, path: str) -> Any:
        try:
            data = response.json()
        except ValueError:
            raise self._malformed(path, response.text) from None
        if not isinstance(data, dict):
            raise self._malformed(path, response.text)
        return data

    def _wait(self, attempt: int, response: Any) -> None:
        """Back off before retrying a busy server: its Retry-After (capped), else exponential."""
        delay = self.backoff * (2**attempt)
        after = response.headers.get("retry-after")
        if after:
            try:
                delay = min(float(after), 30.0)
            except ValueError:
                pass
        self._sleep(delay)

    # Errors -------------------------------------------------------------------------------------

    def _late(self, path: str) -> CodexError:
        return self.fail(
            f"{self.url(path)}: no complete answer within {self.timeout:g} s",
            hint="the server is overloaded or the model is still loading; raise CODEX_REQUEST_TIMEOUT or retry",
        )

    def _transport(self, exc: Exception, path: str) -> CodexError:
        httpx = self._httpx
        if isinstance(exc, httpx.ConnectTimeout):
            return self.fail(
                f"cannot connect to {self.base_url} (no answer within {min(self.timeout, CONNECT_TIMEOUT_S):g} s)",
                hint="is the server running and reachable? check --base-url / CODEX_BASE_URL",
            )
        if isinstance(exc, httpx.TimeoutException):
            return self._late(path)
        if isinstance(exc, httpx.ConnectError):
            return self.fail(
                f"cannot connect to {self.base_url} ({exc})",
                hint="is the server running? check --base-url / CODEX_BASE_URL",
            )
        return self.fail(f"{self.url(path)}: {type(exc).__name__}: {exc}", hint="check --base-url / CODEX_BASE_URL")

    def _malformed(self, path: str, text: str) -> CodexError:
        snippet = " ".join(self.redact(text).split())[:80]
        return self.fail(
            f"{self.url(path)} returned malformed JSON: {snippet!r}",
            hint="is --base-url an OpenAI-compatible API (usually ending in /v1)?",
        )

    def _raise_for(self, response: Any, path: str) -> None:
        raise self._error_line(response.status_code, _server_message(response.content, self.redact), path)

    def _error_line(self, status: int, message: str, path: str) -> Exception:
        where = self.url(path)
        if status in (401, 403):
            return self.fail(
                f"{where}: the server rejected the API key (HTTP {status}: {message})",
                hint="set CODEX_API_KEY (or OPENAI_API_KEY) to a key this server accepts",
            )
        if status == 404 and "model" in message.lower():
            return self.fail(f"{where}: unknown model (HTTP 404: {message})", hint="see `codex models`")
        if status == 404:
            return self.fail(
                f"{where}: not found (HTTP 404)", hint="--base-url should end in /v1 (e.g. http://localhost:8080/v1)"
            )
        if status in RETRY_STATUSES:
            return self.fail(
                f"{where}: the server stayed busy (HTTP {status}) after {self.retries} retries: {message}",
                hint="lower --concurrency or retry later",
            )
        if status in (400, 413, 422) and any(word in message.lower() for word in CONTEXT_WORDS):
            return self.fail(
                f"the server refused the prompt as too long: {message}",
                "use a smaller input, or a model/server with a longer context (num_ctx, --ctx-size, n_ctx)",
                PromptTooLongError,
            )
        return self.fail(f"{where}: HTTP {status}: {message}", hint="the server's log says more")
