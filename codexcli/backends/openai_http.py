"""The HTTP side of the OpenAI-compatible backend: a thin httpx client with codex's error rules.

Every failure a user can meet becomes one ``ServerError`` line (exit code 2) with a hint:
connection refused, timeout, a rejected key, an unknown model (with the server's model list),
a context overflow, a busy server (429/503, retried with backoff first) and malformed JSON.
httpx is imported here, and this module only by the openai backend, so `codex --help` never
pays for it. The API key lives in the client's headers only: never in a message, never logged.
"""

from __future__ import annotations

import json
import time
from typing import Any, Callable, Iterator

from codexcli.errors import PromptTooLongError, ServerError

RETRY_STATUSES = (429, 502, 503)
# Words servers use when a prompt does not fit (llama_cpp.server, llama-server, vLLM, OpenAI).
CONTEXT_WORDS = ("context window", "context length", "context_length", "exceed", "too long", "maximum context")


def _import_httpx() -> Any:
    try:
        import httpx
    except ImportError:  # pragma: no cover - depends on the install
        raise ServerError("the openai backend needs httpx", hint="pip install httpx") from None
    return httpx


def _server_message(body: bytes) -> str:
    """The human part of an error body: OpenAI's {"error": {"message"}}, FastAPI's {"detail"}."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return body.decode("utf-8", errors="replace").strip()[:200]
    if isinstance(data, dict):
        err = data.get("error", data.get("detail", data))
        if isinstance(err, dict):
            err = err.get("message", err)
        return str(err)[:300]
    return str(data)[:200]


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
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self._sleep = sleep
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.Client(
            headers=headers, timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)), follow_redirects=True
        )
        self._httpx = httpx

    def close(self) -> None:
        self._http.close()

    def url(self, path: str) -> str:
        """``path`` under the base URL (an absolute URL is taken as it is)."""
        if path.startswith(("http://", "https://")):
            return path
        return self.base_url + "/" + path.lstrip("/")

    # Requests -----------------------------------------------------------------------------------

    def get_json(self, path: str) -> Any:
        return self._json(self._send("GET", path, None), path)

    def post_json(self, path: str, body: dict[str, Any]) -> Any:
        return self._json(self._send("POST", path, body), path)

    def try_json(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any | None:
        """An optional endpoint (``/props``, tokenizers): its JSON, or None when the server lacks it."""
        try:
            response = self._http.request(method, self.url(path), json=body)
        except self._httpx.HTTPError:
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
            try:
                with self._http.stream("POST", self.url(path), json=body) as response:
                    if response.status_code in RETRY_STATUSES and attempt < self.retries:
                        self._wait(attempt, response)
                        continue
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
                            raise self._error_line(200, _server_message(data.encode()), path)
                        yield event
                    return
            except self._httpx.HTTPError as exc:
                raise self._transport(exc, path) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(self, method: str, path: str, body: dict[str, Any] | None) -> Any:
        for attempt in range(self.retries + 1):
            try:
                response = self._http.request(method, self.url(path), json=body)
            except self._httpx.HTTPError as exc:
                raise self._transport(exc, path) from None
            if response.status_code in RETRY_STATUSES and attempt < self.retries:
                self._wait(attempt, response)
                continue
            if response.status_code != 200:
                self._raise_for(response, path)
            return response
        raise AssertionError("unreachable")  # pragma: no cover

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

    def _transport(self, exc: Exception, path: str) -> ServerError:
        httpx = self._httpx
        if isinstance(exc, httpx.TimeoutException):
            return ServerError(
                f"{self.url(path)}: no answer within {self.timeout:g} s",
                hint="the server is overloaded or the model is still loading; raise CODEX_REQUEST_TIMEOUT or retry",
            )
        if isinstance(exc, httpx.ConnectError):
            return ServerError(
                f"cannot connect to {self.base_url} ({exc})",
                hint="is the server running? check --base-url / CODEX_BASE_URL",
            )
        return ServerError(f"{self.url(path)}: {type(exc).__name__}: {exc}", hint="check --base-url / CODEX_BASE_URL")

    def _malformed(self, path: str, text: str) -> ServerError:
        snippet = " ".join(text.split())[:80]
        return ServerError(
            f"{self.url(path)} returned malformed JSON: {snippet!r}",
            hint="is --base-url an OpenAI-compatible API (usually ending in /v1)?",
        )

    def _raise_for(self, response: Any, path: str) -> None:
        raise self._error_line(response.status_code, _server_message(response.content), path)

    def _error_line(self, status: int, message: str, path: str) -> Exception:
        where = self.url(path)
        if status in (401, 403):
            return ServerError(
                f"{where}: the server rejected the API key (HTTP {status}: {message})",
                hint="set CODEX_API_KEY (or OPENAI_API_KEY) to a key this server accepts",
            )
        if status == 404 and "model" in message.lower():
            return ServerError(f"{where}: unknown model (HTTP 404: {message})", hint="see `codex models`")
        if status == 404:
            return ServerError(
                f"{where}: not found (HTTP 404)", hint="--base-url should end in /v1 (e.g. http://localhost:8080/v1)"
            )
        if status in RETRY_STATUSES:
            return ServerError(
                f"{where}: the server stayed busy (HTTP {status}) after {self.retries} retries: {message}",
                hint="lower --concurrency or retry later",
            )
        if status in (400, 413, 422) and any(word in message.lower() for word in CONTEXT_WORDS):
            return PromptTooLongError(
                f"the server refused the prompt as too long: {message}",
                hint="use a smaller input, or a model/server with a longer context (num_ctx, --ctx-size, n_ctx)",
            )
        return ServerError(f"{where}: HTTP {status}: {message}", hint="the server's log says more")
