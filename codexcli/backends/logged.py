"""--verbose: every prompt and answer of a run, one JSON line each, in a log file.

``LoggedBackend`` wraps whichever backend the registry made (llama.cpp, openai, the fake) and
appends each request (messages, sampling settings) with its answers (text, tokens, seconds,
finish reason) to the log; everything else (scoring, token counts) goes to the backend as is.
The log lives under the cache folder (``logs/``), where `codex cache info` counts it and the
size cap removes the oldest.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any, Sequence

from codexcli.backends.base import (
    Backend,
    Completion,
    CompletionRequest,
    ManyDone,
    ManyTokenCallback,
    TokenCallback,
    complete_many_each,
)


class LoggedBackend:
    """A backend whose requests and answers are appended to ``log`` (JSON lines)."""

    def __init__(self, inner: Backend, log: Path) -> None:
        self.inner = inner
        self.log = log
        self.name = inner.name
        self._lock = threading.Lock()

    def __getattr__(self, attribute: str) -> Any:  # what is not logged goes straight through
        return getattr(self.inner, attribute)

    def complete(self, request: CompletionRequest, on_token: TokenCallback | None = None) -> Completion:
        answer = self.inner.complete(request, on_token)
        self._write(request, [answer])
        return answer

    def complete_many(
        self,
        request: CompletionRequest,
        n: int,
        on_token: ManyTokenCallback | None = None,
        greedy_first: bool = False,
    ) -> list[Completion]:
        answers = self.inner.complete_many(request, n, on_token, greedy_first)
        self._write(request, answers)
        return answers

    def complete_many_each(
        self,
        requests: Sequence[CompletionRequest],
        n: int,
        on_done: ManyDone,
        on_token: ManyTokenCallback | None = None,
    ) -> None:
        def logged(index: int, answers: list[Completion]) -> None:
            self._write(requests[index], answers)
            on_done(index, answers)

        complete_many_each(self.inner, requests, n, logged, on_token)

    def _write(self, request: CompletionRequest, answers: list[Completion]) -> None:
        record = {
            "time": time.time(),
            "backend": self.name,
            "request": {k: v for k, v in asdict(request).items()},
            "answers": [
                {
                    "text": a.text,
                    "finish_reason": a.finish_reason,
                    "prompt_tokens": a.prompt_tokens,
                    "completion_tokens": a.completion_tokens,
                    "seconds": round(a.seconds, 3),
                    "seed": a.seed,
                }
                for a in answers
            ],
        }
        with self._lock, self.log.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, default=str) + "\n")
