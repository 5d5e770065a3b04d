"""The openai backend: any OpenAI-compatible server (llama-server, llama_cpp.server, vLLM,
Ollama, LM Studio, hosted APIs) behind the same Backend protocol as the local model.

Choices, and why:

* The server is asked about itself once, on first use: its models (``/models``; the one codex
  uses is ``--model`` or the first listed), llama.cpp's ``/props`` (chat template, context),
  and whether it tokenizes (``/extras/tokenize`` of llama_cpp.server, ``/tokenize`` of
  llama-server). A chat template is "known" when ``/props`` gives it or the model id is a GGUF
  file on this machine (llama_cpp.server names its model by path).
* Chat requests by default. A request with a prefill (the answer starts with a code fence) goes
  to ``/completions`` with the template rendered here when the template is known, exactly as
  the local backend renders it; otherwise the prefill becomes an instruction and is stripped
  from the answer.
* Prompt size: exact when the template and a tokenizer are known, else estimated (3 characters
  a token, on the safe side). After each answer ``usage.prompt_tokens`` is compared with it: a
  server that silently cut the prompt (Ollama, to its num_ctx) is reported, not trusted.
* ``complete_many`` asks for ``n`` answers in one request; a server that returns fewer
  (llama_cpp.server ignores ``n``) is remembered, and the missing answers are drawn as
  parallel requests with seeds seed+i, at most ``concurrency`` at a time.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from codexcli.backends import openai_wire as wire
from codexcli.backends.base import (
    Completion,
    CompletionRequest,
    ManyTokenCallback,
    Scored,
    TokenCallback,
    sample_seeds,
)
from codexcli.backends.openai_http import ServerClient
from codexcli.backends.redact import redact
from codexcli.config import Settings
from codexcli.errors import ConfigError, PromptTooLongError, ServerError

DEFAULT_CONTEXT = 4096  # when neither the server nor context_limit says
CHARS_PER_TOKEN = 3  # the estimate errs towards more tokens: refusing early beats a cut prompt


def api_key(env: dict[str, str] | None = None) -> str | None:
    """CODEX_API_KEY, else OPENAI_API_KEY. Read here only; never stored in Settings or printed."""
    env = dict(os.environ) if env is None else env
    return env.get("CODEX_API_KEY") or env.get("OPENAI_API_KEY") or None


def require_base_url(settings: Settings) -> str:
    if not settings.base_url:
        raise ConfigError(
            "the openai backend needs the server's URL",
            hint="pass --base-url http://localhost:8080/v1 or set CODEX_BASE_URL / base_url in [tool.codex]",
        )
    return settings.base_url.rstrip("/")


@dataclasses.dataclass(frozen=True)
class ServerInfo:
    """What the server told us about itself."""

    models: tuple[str, ...]
    model: str
    llama: bool  # a llama.cpp server: takes codex's sampler fields
    template: str | None
    bos: str
    eos: str
    context: int | None
    tokenizer: str | None  # path of the tokenize endpoint that worked
    # llama-cpp-python's server sorts the whole vocabulary in Python for every token it reports a
    # log-probability for: measured 10x slower answers (docs/openai.md), so it is not asked.
    logprobs: bool = True


class OpenAIBackend:
    """Completions from an OpenAI-compatible HTTP server."""

    name = "openai"

    def __init__(
        self,
        client: ServerClient,
        model: str | None = None,
        *,
        concurrency: int = 4,
        context_limit: int | None = None,
        seed: int = 1234,
    ) -> None:
        self.client = client
        self.requested_model = model
        self.concurrency = max(1, concurrency)
        self.context_limit = context_limit
        self.seed = seed
        self.n_supported: bool | None = None  # learnt from the first request with n > 1
        self._info: ServerInfo | None = None
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}  # prompt text -> tokens, as the server counted them

    @classmethod
    def from_settings(cls, settings: Settings) -> "OpenAIBackend":
        """The backend for ``settings`` (base_url, model, concurrency, timeout); nothing is sent yet."""
        client = ServerClient(require_base_url(settings), api_key(), timeout=settings.request_timeout)
        return cls(
            client,
            settings.model,
            concurrency=settings.concurrency,
            context_limit=settings.context_limit,
            seed=settings.seed,
        )

    # The server -------------------------------------------------------------------------------

    @property
    def root(self) -> str:
        """The server's root URL (``/v1`` removed), where llama.cpp's extra endpoints live."""
        base = self.client.base_url
        return base[: -len("/v1")] if base.endswith("/v1") else base

    def list_models(self) -> list[dict[str, Any]]:
        """The server's ``/models`` entries."""
        data = self.client.get_json("models").get("data")
        if not isinstance(data, list):
            raise self.client.fail(
                f"{self.client.url('models')}: no model list in the answer", "is this an OpenAI API?"
            )
        return [m for m in data if isinstance(m, dict) and "id" in m]

    def info(self) -> ServerInfo:
        """Ask the server about itself (once)."""
        with self._lock:
            if self._info is None:
                self._info = self._probe()
            return self._info

    def _probe(self) -> ServerInfo:
        entries = self.list_models()
        ids = tuple(str(m["id"]) for m in entries)
        model = self._choose(ids)
        entry = next((m for m in entries if m["id"] == model), {})
        owner = str(entry.get("owned_by", ""))
        props = self.client.try_json("GET", self.root + "/props") if self.root != self.client.base_url else None
        props = props if isinstance(props, dict) else {}
        llama = bool(props) or owner in ("me", "llamacpp")
        template = props.get("chat_template") or _local_template(model)
        settings = props.get("default_generation_settings")
        context = (
            (settings.get("n_ctx") if isinstance(settings, dict) else None)
            or entry.get("max_model_len")
            or (entry.get("meta") or {}).get("n_ctx_train")
        )
        tokenizer = self._find_tokenizer() if template else None
        return ServerInfo(
            ids,
            model,
            llama,
            str(template) if template else None,
            str(props.get("bos_token") or ""),
            str(props.get("eos_token") or ""),
            int(context) if isinstance(context, int) and context > 0 else None,
            tokenizer,
            logprobs=owner != "me",
        )

    def _choose(self, ids: tuple[str, ...]) -> str:
        wanted = self.requested_model
        if not ids:
            if wanted:
                return wanted
            raise self.client.fail(f"{self.client.base_url} serves no model", "load a model into the server")
        if not wanted:
            return ids[0]
        for candidate in (wanted, wanted + ":latest"):  # Ollama lists "name:latest"
            if candidate in ids:
                return candidate
        raise self.client.fail(
            f"model {wanted!r} is not served by {self.client.base_url}; it serves: {', '.join(ids[:20])}",
            "pass one of these as --model (or leave --model out to use the first)",
        )

    def _find_tokenizer(self) -> str | None:
        for path in ("/extras/tokenize", "/tokenize"):
            if self._tokenize(self.root + path, "a") is not None:
                return self.root + path
        return None

    def _tokenize(self, url: str, text: str) -> list[int] | None:
        data = self.client.try_json("POST", url, {"input": text, "content": text, "add_special": True})
        tokens = data.get("tokens") if isinstance(data, dict) else None
        return tokens if isinstance(tokens, list) else None

    # Prompt -----------------------------------------------------------------------------------

    def uses_completions(self, request: CompletionRequest) -> bool:
        """A prefill goes to /completions when the template is known (the answer truly starts with it)."""
        return bool(request.prefill) and self.info().template is not None

    def render(self, request: CompletionRequest) -> str | None:
        """The exact prompt text, when the template is known."""
        info = self.info()
        if info.template is None:
            return None
        return wire.render_template(info.template, request.messages, info.bos, info.eos) + request.prefill

    def _counted(self, request: CompletionRequest) -> tuple[int, bool]:
        """Prompt tokens and whether the count is exact."""
        info = self.info()
        text = self.render(request)
        if text is not None and info.tokenizer is not None:
            if text not in self._counts:  # fit_request and the request itself count the same prompt
                tokens = self._tokenize(info.tokenizer, text)
                if tokens is not None:
                    with self._lock:
                        if len(self._counts) >= 64:
                            self._counts.clear()
                        self._counts[text] = len(tokens)
            if text in self._counts:
                return self._counts[text], True
        if not self.uses_completions(request):
            text = "".join(m["content"] for m in wire.chat_messages(request))
        assert text is not None
        return len(text) // CHARS_PER_TOKEN + 8 * len(request.messages) + 8, False

    # Backend protocol -------------------------------------------------------------------------

    def context_length(self) -> int:
        if self.context_limit:
            return self.context_limit
        return self.info().context or DEFAULT_CONTEXT

    def count_prompt_tokens(self, request: CompletionRequest) -> int:
        return self._counted(request)[0]

    def complete(self, request: CompletionRequest, on_token: TokenCallback | None = None) -> Completion:
        seed = self.seed if request.seed is None else request.seed
        many = None if on_token is None else (lambda _i, text: on_token(text))
        return self._request(request, 1, seed, many)[0]

    def complete_many(
        self,
        request: CompletionRequest,
        n: int,
        on_token: ManyTokenCallback | None = None,
        greedy_first: bool = False,
    ) -> list[Completion]:
        if greedy_first and n > 0:
            # One request has one temperature: the greedy answer goes beside the batch of the rest.
            first = dataclasses.replace(request, temperature=0.0)
            callback = None if on_token is None else (lambda text: on_token(0, text))
            with ThreadPoolExecutor(max_workers=1) as pool:
                greedy = pool.submit(self.complete, first, callback)
                rest_seed = sample_seeds(request, 2)[1]
                shifted = None if on_token is None else (lambda i, text: on_token(i + 1, text))
                others = self.complete_many(dataclasses.replace(request, seed=rest_seed), n - 1, shifted)
                return [dataclasses.replace(greedy.result(), seed=sample_seeds(request, 1)[0])] + others
        seeds = sample_seeds(request, n)
        got: list[Completion] = []
        if n > 1 and self.n_supported is not False:
            try:
                got = self._request(request, n, seeds[0], on_token)
            except ServerError as exc:
                if not any(f"HTTP {code}" in exc.message for code in (400, 422)):
                    raise
                got = []  # a server that refuses n outright; any other problem recurs below
            self.n_supported = len(got) >= n
            if self.n_supported:
                return got[:n]
            got = got[:1]  # the first answer was drawn with seeds[0]; the rest fan out
        rest = list(enumerate(seeds))[len(got) :]

        def one(item: tuple[int, int]) -> Completion:
            index, seed = item
            callback = None if on_token is None else (lambda text: on_token(index, text))
            return self.complete(dataclasses.replace(request, seed=seed), callback)

        with ThreadPoolExecutor(max_workers=min(self.concurrency, max(1, len(rest)))) as pool:
            return got + list(pool.map(one, rest))

    def _request(
        self, request: CompletionRequest, n: int, seed: int, on_token: ManyTokenCallback | None
    ) -> list[Completion]:
        info = self.info()
        expected, exact = self._counted(request)
        body = wire.sampling_body(request, info.model, seed=seed, llama=info.llama)
        if n > 1:
            body["n"] = n
        if self.uses_completions(request):
            path = "completions"
            body["prompt"] = self.render(request)
            if request.logprobs and info.logprobs:
                body["logprobs"] = 1
        else:
            path = "chat/completions"
            body["messages"] = wire.chat_messages(request)
            if request.logprobs and info.logprobs:
                body["logprobs"], body["top_logprobs"] = True, 1
        start = time.perf_counter()
        first_at: float | None = None
        try:
            if on_token is None:
                data = self.client.post_json(path, body)
                if "error" in data and "choices" not in data:
                    raise self.client.fail(f"{self.client.url(path)}: {data['error']}", "the server's log says more")
                choices, usage = wire.parse_choices(data), data.get("usage")
            else:
                body["stream"], body["stream_options"] = True, {"include_usage": True}
                collector = wire.StreamCollector()
                for event in self.client.stream_events(path, body):
                    for index, text in collector.add(event):
                        first_at = first_at or time.perf_counter()
                        on_token(index, text)
                choices, usage = collector.choices(), collector.usage
                if not choices:
                    raise ValueError("the stream ended without an answer")
        except ValueError as exc:
            raise self.client.fail(
                f"{self.client.url(path)}: unusable answer ({exc})", "is this an OpenAI-compatible API?"
            ) from None
        except ServerError as exc:
            if "unknown model" in exc.message:
                raise self.client.fail(exc.message, f"this server serves: {', '.join(info.models[:20])}") from None
            raise
        end = time.perf_counter()
        usage = usage if isinstance(usage, dict) else {}
        prompt_tokens = usage.get("prompt_tokens")
        # Only a prompt codex rendered itself is known to the token; the server's own chat
        # rendering may differ a little, so there only a large shortfall counts as a cut.
        self._check_truncation(prompt_tokens, expected, exact and path == "completions")
        completion_tokens = usage.get("completion_tokens") if len(choices) == 1 else None
        prefill_in_instruction = bool(request.prefill) and path == "chat/completions"
        return [
            Completion(
                text=wire.strip_prefill(c.text, request.prefill) if prefill_in_instruction else c.text,
                finish_reason=c.finish_reason,
                prompt_tokens=prompt_tokens if isinstance(prompt_tokens, int) else expected,
                completion_tokens=completion_tokens if isinstance(completion_tokens, int) else len(c.tokens),
                seconds=end - start,
                tokens=c.tokens if request.logprobs else (),
                prompt_seconds=(first_at or end) - start,
                seed=seed if i == 0 else None,  # the server draws choices after the first its own way
            )
            for i, c in enumerate(choices[:n])
        ]

    def _check_truncation(self, reported: Any, expected: int, exact: bool) -> None:
        """Refuse an answer to a prompt the server read only part of."""
        if not isinstance(reported, int) or reported <= 0:
            return
        cut = reported < expected - 4 if exact else (expected >= 256 and reported < expected // 2)
        if cut:
            raise PromptTooLongError(
                f"the server read only {reported} of the prompt's {'' if exact else 'about '}{expected} tokens "
                "(it truncated the prompt)",
                hint="raise the server's context (Ollama: num_ctx; llama-server: --ctx-size) or use a smaller input",
            )

    def score(self, request: CompletionRequest, continuation: str) -> Scored | None:
        """Unsupported: always None. Scoring a given text needs the prompt's own log-probabilities
        (``/completions`` with ``echo`` and ``logprobs``), which vLLM gives but llama-server and
        llama_cpp.server (the servers codex is tested with) do not; callers treat None as "no
        score" and fall back to their other checks."""
        return None

    def describe(self) -> dict[str, object]:
        return {"backend": self.name, "base_url": self.client.shown_url, "model": self.info().model}

    def close(self) -> None:
        self.client.close()


def _local_template(model_id: str) -> str | None:
    """The chat template of a model id that is a GGUF file here (llama_cpp.server's default id)."""
    if not model_id.endswith(".gguf"):
        return None
    path = Path(model_id)
    try:
        if not path.is_file():
            return None
        from codexcli.model.gguf import read_gguf

        return read_gguf(path).chat_template
    except Exception:  # an unreadable file just means the template is unknown
        return None


def identity(settings: Settings) -> dict[str, object]:
    """The cache key's view of who answers: URL and model id (asked of the server when --model
    is not given; None when it cannot be reached, which then fails where it is reported)."""
    base = require_base_url(settings)
    model = settings.model
    if not model:
        try:
            backend = OpenAIBackend(ServerClient(base, api_key(), timeout=5.0, retries=0))
            try:
                model = backend.info().model
            finally:
                backend.close()
        except Exception:  # the command itself reports an unreachable server
            model = None
    # The URL's user:password does not decide answers: masked, not even its hash is in a cache key.
    return {"backend": "openai", "base_url": redact(base), "model": model}
