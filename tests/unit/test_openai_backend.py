"""The openai backend against a local HTTP test server (pytest-httpserver): the request fields,
the auth header, n and its fan-out, streaming, the prefill rules and every error path."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from codexcli.backends.base import CompletionRequest, Message
from codexcli.backends.openai import OpenAIBackend
from codexcli.backends.openai_http import ServerClient
from codexcli.errors import PromptTooLongError, ServerError

TEMPLATE = (
    "{% for m in messages %}<|{{ m.role }}|>{{ m.content }}\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>{% endif %}"
)


def models(httpserver: HTTPServer, *ids: str, owner: str = "openai") -> None:
    data = [{"id": i, "object": "model", "owned_by": owner} for i in ids or ("coder",)]
    httpserver.expect_request("/v1/models").respond_with_json({"object": "list", "data": data})


def chat_answer(*texts: str, prompt_tokens: int = 10, logprobs: bool = False) -> dict[str, Any]:
    choices = []
    for i, text in enumerate(texts):
        choice: dict[str, Any] = {
            "index": i,
            "message": {"role": "assistant", "content": text},
            "finish_reason": "stop",
        }
        if logprobs:
            choice["logprobs"] = {"content": [{"token": t, "logprob": -0.5} for t in text.split(" ")]}
        choices.append(choice)
    return {"choices": choices, "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": 3}}


def backend(httpserver: HTTPServer, key: str | None = None, **kwargs: Any) -> OpenAIBackend:
    client = ServerClient(httpserver.url_for("/v1"), key, timeout=kwargs.pop("timeout", 5.0), backoff=0.0)
    return OpenAIBackend(client, kwargs.pop("model", None), **kwargs)


def request(**kwargs: Any) -> CompletionRequest:
    return CompletionRequest((Message("user", "write add(a, b)"),), **kwargs)


def bodies(httpserver: HTTPServer, path: str) -> list[dict[str, Any]]:
    return [json.loads(r.data) for r, _ in httpserver.log if r.path == path]


def test_chat_request_sends_every_sampling_field_and_the_key(httpserver: HTTPServer) -> None:
    models(httpserver, "coder", "other")
    httpserver.expect_request("/v1/chat/completions", headers={"Authorization": "Bearer s3cret"}).respond_with_json(
        chat_answer("def add(a, b): return a + b")
    )
    b = backend(httpserver, "s3cret")
    done = b.complete(request(max_tokens=77, temperature=0.3, stop=("```",), seed=9))
    assert done.text == "def add(a, b): return a + b"
    [body] = bodies(httpserver, "/v1/chat/completions")
    assert body["model"] == "coder"
    assert (body["max_tokens"], body["temperature"], body["top_p"], body["stop"], body["seed"]) == (
        77,
        0.3,
        0.95,
        ["```"],
        9,
    )
    # A server not of the llama.cpp family gets only standard OpenAI fields.
    assert "repeat_penalty" not in body and "top_k" not in body
    assert "s3cret" not in json.dumps(b.describe())


def test_llama_cpp_server_gets_codex_sampler(httpserver: HTTPServer) -> None:
    models(httpserver, "m.gguf", owner="me")
    httpserver.expect_request("/v1/chat/completions").respond_with_json(chat_answer("x"))
    backend(httpserver).complete(request(logprobs=True))
    [body] = bodies(httpserver, "/v1/chat/completions")
    assert (body["repeat_penalty"], body["top_k"], body["min_p"]) == (1.0, 40, 0.05)
    assert "logprobs" not in body  # llama-cpp-python's server (owned_by "me") pays 10x for them


def test_logprobs_are_read(httpserver: HTTPServer) -> None:
    models(httpserver)
    httpserver.expect_request("/v1/chat/completions").respond_with_json(chat_answer("a b c", logprobs=True))
    done = backend(httpserver).complete(request(logprobs=True))
    assert done.mean_logprob == pytest.approx(-0.5)
    assert bodies(httpserver, "/v1/chat/completions")[0]["logprobs"] is True


def test_server_n_used_when_honoured(httpserver: HTTPServer) -> None:
    models(httpserver)
    httpserver.expect_request("/v1/chat/completions").respond_with_json(chat_answer("a", "b", "c"))
    b = backend(httpserver)
    answers = b.complete_many(request(temperature=0.8, seed=5), 3)
    assert [a.text for a in answers] == ["a", "b", "c"]
    assert b.n_supported is True
    assert [x.get("n") for x in bodies(httpserver, "/v1/chat/completions")] == [3]


def test_greedy_first_is_a_temperature_zero_request_beside_the_batch(httpserver: HTTPServer) -> None:
    models(httpserver)

    def answer(req: Request) -> Response:
        body = json.loads(req.data)
        texts = ["greedy"] if body["temperature"] == 0 else [f"hot {i}" for i in range(body.get("n", 1))]
        return Response(json.dumps(chat_answer(*texts)), content_type="application/json")

    httpserver.expect_request("/v1/chat/completions").respond_with_handler(answer)
    answers = backend(httpserver).complete_many(request(temperature=0.8, seed=5), 3, greedy_first=True)
    assert [a.text for a in answers] == ["greedy", "hot 0", "hot 1"] and answers[0].seed == 5
    sent = sorted((b["temperature"], b.get("n", 1), b["seed"]) for b in bodies(httpserver, "/v1/chat/completions"))
    assert sent == [(0.0, 1, 5), (0.8, 2, 6)]


def test_n_refused_fans_out_with_seed_plus_i(httpserver: HTTPServer) -> None:
    models(httpserver)

    def one_choice(req: Request) -> Response:
        seed = json.loads(req.data)["seed"]
        return Response(json.dumps(chat_answer(f"seed {seed}")), content_type="application/json")

    httpserver.expect_request("/v1/chat/completions").respond_with_handler(one_choice)
    b = backend(httpserver)
    answers = b.complete_many(request(temperature=0.8, seed=5), 3)
    assert [(a.text, a.seed) for a in answers] == [("seed 5", 5), ("seed 6", 6), ("seed 7", 7)]
    assert b.n_supported is False
    sent = bodies(httpserver, "/v1/chat/completions")
    assert sent[0]["n"] == 3 and all("n" not in s for s in sent[1:])
    # Learnt once: the next call fans out from the start.
    b.complete_many(request(temperature=0.8, seed=20), 2)
    later = bodies(httpserver, "/v1/chat/completions")[3:]
    assert sorted(s["seed"] for s in later) == [20, 21] and all("n" not in s for s in later)


def test_n_rejected_with_400_fans_out(httpserver: HTTPServer) -> None:
    models(httpserver)

    def no_n(req: Request) -> Response:
        if "n" in json.loads(req.data):
            return Response(json.dumps({"error": {"message": "n must be 1"}}), status=400)
        return Response(json.dumps(chat_answer("x")), content_type="application/json")

    httpserver.expect_request("/v1/chat/completions").respond_with_handler(no_n)
    b = backend(httpserver)
    assert [a.seed for a in b.complete_many(request(temperature=0.8, seed=1), 2)] == [1, 2]
    assert b.n_supported is False


def test_fan_out_respects_concurrency() -> None:
    server = HTTPServer(threaded=True)
    server.start()
    try:
        models(server)
        state = {"now": 0, "peak": 0}
        lock = threading.Lock()

        def slow(req: Request) -> Response:
            with lock:
                state["now"] += 1
                state["peak"] = max(state["peak"], state["now"])
            time.sleep(0.15)
            with lock:
                state["now"] -= 1
            return Response(json.dumps(chat_answer("x")), content_type="application/json")

        server.expect_request("/v1/chat/completions").respond_with_handler(slow)
        b = backend(server, concurrency=2)
        b.n_supported = False
        assert len(b.complete_many(request(temperature=0.8), 6)) == 6
        assert state["peak"] == 2
    finally:
        server.clear()
        server.stop()


def sse(*events: Any) -> str:
    return "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"


def test_streaming_feeds_on_token(httpserver: HTTPServer) -> None:
    models(httpserver)
    chunks = [
        {"choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]} for piece in ("de", "f f")
    ]
    chunks.append({"choices": [{"index": 0, "delta": {}, "finish_reason": "length"}]})
    chunks.append({"choices": [], "usage": {"prompt_tokens": 12, "completion_tokens": 2}})
    httpserver.expect_request("/v1/chat/completions").respond_with_data(sse(*chunks), content_type="text/event-stream")
    seen: list[str] = []
    done = backend(httpserver).complete(request(), seen.append)
    assert seen == ["de", "f f"]
    assert (done.text, done.finish_reason, done.prompt_tokens) == ("def f", "length", 12)
    assert bodies(httpserver, "/v1/chat/completions")[0]["stream"] is True


def test_server_ignoring_stream_is_read_whole(httpserver: HTTPServer) -> None:
    models(httpserver)
    httpserver.expect_request("/v1/chat/completions").respond_with_json(chat_answer("whole answer"))
    seen: list[str] = []
    assert backend(httpserver).complete(request(), seen.append).text == "whole answer"
    assert seen == ["whole answer"]


@pytest.mark.parametrize(
    ("answer", "kept"),
    [("```python\nreturn 1", "return 1"), ("```py\nreturn 1", "return 1"), ("return 1", "return 1")],
)
def test_prefill_repeated_by_the_model_is_stripped(httpserver: HTTPServer, answer: str, kept: str) -> None:
    models(httpserver)
    httpserver.expect_request("/v1/chat/completions").respond_with_json(chat_answer(answer))
    assert backend(httpserver).complete(request(prefill="```python\n")).text == kept


def test_prefill_goes_into_the_instruction_without_a_template(httpserver: HTTPServer) -> None:
    models(httpserver)
    httpserver.expect_request("/v1/chat/completions").respond_with_json(chat_answer("```py\nreturn 1\n```"))
    done = backend(httpserver).complete(request(prefill="```python\n"))
    assert done.text == "return 1\n```"  # the caller puts the prefill back in front
    [body] = bodies(httpserver, "/v1/chat/completions")
    assert "```python" in body["messages"][-1]["content"]


def test_prefill_uses_completions_with_a_known_template(httpserver: HTTPServer) -> None:
    models(httpserver, "m")
    httpserver.expect_request("/props").respond_with_json(
        {"chat_template": TEMPLATE, "default_generation_settings": {"n_ctx": 1234}}
    )
    httpserver.expect_request("/tokenize").respond_with_json({"tokens": list(range(20))})
    httpserver.expect_request("/v1/completions").respond_with_json(
        {"choices": [{"index": 0, "text": "return 1", "finish_reason": "stop"}], "usage": {"prompt_tokens": 20}}
    )
    b = backend(httpserver)
    done = b.complete(request(prefill="```python\n"))
    assert done.text == "return 1"
    [body] = bodies(httpserver, "/v1/completions")
    assert body["prompt"] == "<|user|>write add(a, b)\n<|assistant|>```python\n"
    assert b.context_length() == 1234 and b.count_prompt_tokens(request()) == 20


def test_truncation_of_an_exactly_counted_prompt_is_refused(httpserver: HTTPServer) -> None:
    models(httpserver, "m")
    httpserver.expect_request("/props").respond_with_json({"chat_template": TEMPLATE})
    httpserver.expect_request("/tokenize").respond_with_json({"tokens": list(range(20))})
    httpserver.expect_request("/v1/completions").respond_with_json(
        {"choices": [{"index": 0, "text": "x", "finish_reason": "stop"}], "usage": {"prompt_tokens": 12}}
    )
    with pytest.raises(PromptTooLongError, match="read only 12 of the prompt's 20 tokens"):
        backend(httpserver).complete(request(prefill="```python\n"))


def test_error_object_with_status_200(httpserver: HTTPServer) -> None:
    models(httpserver)
    httpserver.expect_request("/v1/chat/completions").respond_with_json({"error": "model is loading"})
    with pytest.raises(ServerError, match="model is loading"):
        backend(httpserver).complete(request())


def test_truncated_prompt_is_refused(httpserver: HTTPServer) -> None:
    models(httpserver)
    httpserver.expect_request("/v1/chat/completions").respond_with_json(chat_answer("x", prompt_tokens=100))
    long = CompletionRequest((Message("user", "word " * 3000),))
    with pytest.raises(PromptTooLongError, match="read only 100"):
        backend(httpserver).complete(long)


@pytest.mark.parametrize(
    ("status", "body", "error", "words"),
    [
        (401, {"error": {"message": "Incorrect API key"}}, ServerError, "rejected the API key"),
        (403, {"detail": "forbidden"}, ServerError, "rejected the API key"),
        (400, {"error": {"message": "Requested tokens (5000) exceed context window of 2048"}}, PromptTooLongError, ""),
        (500, {"error": {"message": "boom"}}, ServerError, "HTTP 500: boom"),
    ],
)
def test_http_errors_become_one_line(httpserver: HTTPServer, status: int, body: Any, error: type, words: str) -> None:
    models(httpserver)
    httpserver.expect_request("/v1/chat/completions").respond_with_json(body, status=status)
    with pytest.raises(error) as caught:
        backend(httpserver, "k-123").complete(request())
    assert words in caught.value.message and "\n" not in caught.value.message
    assert "k-123" not in caught.value.message and caught.value.exit_code == 2 and caught.value.hint


def test_unknown_model_lists_the_servers_models(httpserver: HTTPServer) -> None:
    models(httpserver, "qwen:7b", "llama:8b")
    with pytest.raises(ServerError, match="it serves: qwen:7b, llama:8b"):
        backend(httpserver, model="gpt").complete(request())
    # Ollama's implicit :latest tag is accepted.
    httpserver.clear()
    models(httpserver, "qwen:latest")
    assert backend(httpserver, model="qwen").info().model == "qwen:latest"


def test_404_model_at_request_time_lists_models(httpserver: HTTPServer) -> None:
    models(httpserver, "a", "b")
    httpserver.expect_request("/v1/chat/completions").respond_with_json(
        {"error": {"message": "model 'a' not found"}}, status=404
    )
    with pytest.raises(ServerError, match="unknown model") as caught:
        backend(httpserver).complete(request())
    assert caught.value.hint == "this server serves: a, b"


def test_busy_server_is_retried_then_answers(httpserver: HTTPServer) -> None:
    models(httpserver)
    replies = [(429, {"error": "busy"}), (503, {"error": "busy"}), (200, chat_answer("ok"))]
    httpserver.expect_request("/v1/chat/completions").respond_with_handler(
        lambda req: Response(json.dumps(replies[0][1]), status=replies.pop(0)[0], content_type="application/json")
    )
    assert backend(httpserver).complete(request()).text == "ok"
    assert len(bodies(httpserver, "/v1/chat/completions")) == 3


def test_busy_server_is_reported_after_retries(httpserver: HTTPServer) -> None:
    models(httpserver)
    httpserver.expect_request("/v1/chat/completions").respond_with_json({"error": "busy"}, status=503)
    waits: list[float] = []
    client = ServerClient(httpserver.url_for("/v1"), retries=3, backoff=0.5, sleep=waits.append)
    with pytest.raises(ServerError, match="stayed busy"):
        OpenAIBackend(client).complete(request())
    assert waits == [0.5, 1.0, 2.0]  # exponential backoff, then the error


def test_malformed_json(httpserver: HTTPServer) -> None:
    models(httpserver)
    httpserver.expect_request("/v1/chat/completions").respond_with_data("<html>proxy error</html>")
    with pytest.raises(ServerError, match="malformed JSON"):
        backend(httpserver).complete(request())


def test_timeout(httpserver: HTTPServer) -> None:
    models(httpserver)
    httpserver.expect_request("/v1/chat/completions").respond_with_handler(
        lambda req: (time.sleep(0.6), Response("{}"))[1]
    )
    with pytest.raises(ServerError, match="no complete answer within 0.2 s"):
        backend(httpserver, timeout=0.2).complete(request())


def test_a_retry_wait_is_not_counted_against_the_request(httpserver: HTTPServer) -> None:
    models(httpserver)
    replies = [Response("{}", status=503, headers={"Retry-After": "0.6"}), Response(sse(chat_answer("ok")))]
    httpserver.expect_request("/v1/chat/completions").respond_with_handler(lambda req: replies.pop(0))
    # Streamed (on_token), waiting 0.6 s between attempts of at most 0.5 s each: each has its own deadline.
    assert backend(httpserver, timeout=0.5).complete(request(), lambda _text: None).text == "ok"


def test_connection_refused() -> None:
    client = ServerClient("http://127.0.0.1:9/v1", retries=0)
    with pytest.raises(ServerError, match="cannot connect to http://127.0.0.1:9/v1") as caught:
        OpenAIBackend(client).complete(request())
    assert "is the server running?" in str(caught.value.hint)
