"""What the openai backend sends and reads: request bodies, choices, the prefill rules. Pure
functions over JSON, so every rule is testable without a server.

Sampling parameters are always sent explicitly, because servers' defaults differ
(llama_cpp.server: max_tokens 16, temperature 0.8, repeat_penalty 1.1). llama.cpp-family
servers also get codex's local sampler (top_k 40, min_p 0.05, no repeat penalty), so a greedy
answer equals the local backend's; other servers get only the standard OpenAI fields (hosted
APIs reject unknown ones).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from codexcli.backends.base import CompletionRequest, Message, TokenLogprob

TOP_P = 0.95
LLAMA_EXTRAS = {"top_k": 40, "min_p": 0.05, "repeat_penalty": 1.0}


@dataclass(frozen=True)
class Choice:
    """One answer as the server sent it."""

    index: int
    text: str
    finish_reason: str
    tokens: tuple[TokenLogprob, ...]


def sampling_body(request: CompletionRequest, model: str, *, seed: int | None, llama: bool) -> dict[str, Any]:
    """The fields every request carries."""
    body: dict[str, Any] = {
        "model": model,
        "max_tokens": request.max_tokens,
        "temperature": request.temperature,
        "top_p": TOP_P,
    }
    if request.stop:
        body["stop"] = list(request.stop)
    if seed is not None:
        body["seed"] = seed
    if llama:
        body.update(LLAMA_EXTRAS)
    return body


def chat_messages(request: CompletionRequest) -> list[dict[str, str]]:
    """The conversation for /chat/completions; a prefill the server cannot take as the answer's
    start becomes an instruction in the last user turn."""
    messages = list(request.messages)
    if request.prefill:
        last = max((i for i, m in enumerate(messages) if m.role == "user"), default=None)
        note = f"\n\nStart your answer with exactly this line:\n{request.prefill.rstrip()}"
        if last is None:
            messages.append(Message("user", note.strip()))
        else:
            messages[last] = Message("user", messages[last].content + note)
    return [{"role": m.role, "content": m.content} for m in messages]


def strip_prefill(text: str, prefill: str) -> str:
    """The model's answer without the prefill it was asked to start with (callers put the prefill
    in front themselves). An answer opening another code fence loses that fence line instead."""
    if not prefill:
        return text
    body = text.lstrip("\n")
    if body.startswith(prefill):
        return body[len(prefill) :]
    if body.startswith(prefill.rstrip("\n")):
        return body[len(prefill.rstrip("\n")) :].lstrip(" ").removeprefix("\n")
    if prefill.startswith("```") and body.startswith("```"):
        return body.split("\n", 1)[1] if "\n" in body else ""
    return text


def render_template(template: str, messages: tuple[Message, ...], bos: str = "", eos: str = "") -> str:
    """A chat template rendered as llama.cpp's Jinja2 formatter does (generation prompt added)."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    def raise_exception(message: str) -> None:
        raise ValueError(message)

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    return env.from_string(template).render(
        messages=[{"role": m.role, "content": m.content} for m in messages],
        bos_token=bos,
        eos_token=eos,
        add_generation_prompt=True,
        raise_exception=raise_exception,
    )


def _finish(reason: Any) -> str:
    return "length" if reason == "length" else "stop"


def _logprobs(block: Any) -> tuple[TokenLogprob, ...]:
    """Token log-probabilities in either shape: chat's ``content`` list, or the completions
    endpoint's parallel ``tokens`` / ``token_logprobs`` lists."""
    if not isinstance(block, dict):
        return ()
    if isinstance(block.get("content"), list):
        return tuple(
            TokenLogprob(str(t.get("token", "")), float(t["logprob"]))
            for t in block["content"]
            if isinstance(t, dict) and isinstance(t.get("logprob"), (int, float))
        )
    tokens, values = block.get("tokens"), block.get("token_logprobs")
    if isinstance(tokens, list) and isinstance(values, list):
        return tuple(TokenLogprob(str(t), float(v)) for t, v in zip(tokens, values) if isinstance(v, (int, float)))
    return ()


def choice_text(choice: dict[str, Any]) -> str:
    """The text of a choice or of a streamed chunk's choice (chat or completions shape)."""
    for key in ("message", "delta"):
        part = choice.get(key)
        if isinstance(part, dict):
            return str(part.get("content") or "")
    return str(choice.get("text") or "")


def parse_choices(data: dict[str, Any]) -> list[Choice]:
    """The choices of a whole (non-streamed) response, in index order; ValueError if it has none."""
    raw = data.get("choices")
    if not isinstance(raw, list) or not raw or not all(isinstance(c, dict) for c in raw):
        raise ValueError("no choices in the response")
    out = [
        Choice(int(c.get("index", i)), choice_text(c), _finish(c.get("finish_reason")), _logprobs(c.get("logprobs")))
        for i, c in enumerate(raw)
    ]
    return sorted(out, key=lambda c: c.index)


class StreamCollector:
    """Assembles the chunks of a streamed response into choices, passing new text on."""

    def __init__(self) -> None:
        self.texts: dict[int, list[str]] = {}
        self.tokens: dict[int, list[TokenLogprob]] = {}
        self.finish: dict[int, str] = {}
        self.usage: dict[str, Any] = {}
        self.first_at: float | None = None

    def add(self, event: dict[str, Any]) -> list[tuple[int, str]]:
        """Take one event; return the (choice index, new text) pieces it carried."""
        if isinstance(event.get("usage"), dict):
            self.usage = event["usage"]
        pieces = []
        for choice in event.get("choices") or ():
            if not isinstance(choice, dict):
                continue
            index = int(choice.get("index", 0))
            text = choice_text(choice)
            self.texts.setdefault(index, [])
            self.tokens.setdefault(index, []).extend(_logprobs(choice.get("logprobs")))
            if choice.get("finish_reason"):
                self.finish[index] = _finish(choice["finish_reason"])
            if text:
                self.texts[index].append(text)
                pieces.append((index, text))
        return pieces

    def choices(self) -> list[Choice]:
        return [
            Choice(i, "".join(self.texts[i]), self.finish.get(i, "stop"), tuple(self.tokens.get(i, ())))
            for i in sorted(self.texts)
        ]
