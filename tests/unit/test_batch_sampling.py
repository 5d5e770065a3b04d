"""Batched sampling with the fake backend and the pure parts of the llama.cpp batch decoder:
draw_candidates asks for its N candidates in one complete_many call, the per-sequence stream
cuts text at stop sequences as single completions do, and eval counts the tokens generated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from codexcli.backends.base import CompletionRequest, Message
from codexcli.backends.fake import FakeBackend
from codexcli.backends.llamacpp_batch import MAX_BATCH_CELLS, Stream, batch_cells, group_size
from codexcli.cli import app
from codexcli.tasks.eval.evaluate import TokenTally
from codexcli.tasks.select import SAMPLE_TEMPERATURE, draw_candidates

REQUEST = CompletionRequest(messages=(Message("user", "x"),), temperature=0.0, seed=7)


def test_draw_candidates_asks_for_all_candidates_in_one_batch():
    backend = FakeBackend(["a", "b c", "d", "e"])
    streamed: list[str] = []
    cands = draw_candidates(backend, REQUEST, lambda t: t, 4, on_token=streamed.append)
    assert len(backend.batches) == 1
    batch_request, n = backend.batches[0]
    assert n == 4 and batch_request.seed == 7
    assert batch_request.temperature == SAMPLE_TEMPERATURE and batch_request.logprobs
    assert [c.seed for c in cands] == [7, 8, 9, 10]
    assert [c.value for c in cands] == ["a", "b c", "d", "e"]
    assert [c.number for c in cands] == [1, 2, 3, 4]
    assert "".join(streamed) == "ab cde"  # every sequence's text reaches the progress callback


def test_greedy_first_is_sequence_zero_of_the_one_batch_with_the_old_seeds():
    backend = FakeBackend(["greedy", "s1", "s2"])
    cands = draw_candidates(backend, REQUEST, lambda t: t, 3, greedy_first=True)
    assert [(r.temperature, r.seed) for r in backend.requests] == [
        (0.0, 7),
        (SAMPLE_TEMPERATURE, 8),
        (SAMPLE_TEMPERATURE, 9),
    ]
    assert [(req.seed, n) for req, n in backend.batches] == [(7, 3)]  # one batch, greedy included
    assert [(c.number, c.seed, c.value) for c in cands] == [(1, 7, "greedy"), (2, 8, "s1"), (3, 9, "s2")]


def test_greedy_first_applies_only_to_a_greedy_request():
    backend = FakeBackend(["a", "b"])
    hot = CompletionRequest(messages=REQUEST.messages, temperature=0.7, seed=7)
    draw_candidates(backend, hot, lambda t: t, 2, greedy_first=True)
    assert [r.temperature for r in backend.requests] == [0.7, 0.7]


def test_greedy_first_with_one_sample_is_the_greedy_answer():
    backend = FakeBackend(["only"])
    cands = draw_candidates(backend, REQUEST, lambda t: t, 1, greedy_first=True)
    assert [r.temperature for r in backend.requests] == [0.0] and [c.value for c in cands] == ["only"]


def _feed(stream: Stream, pieces: list[bytes]) -> bool:
    for piece in pieces:
        if stream.push(piece, False, None):
            return True
    return False


def test_stream_cuts_at_a_stop_split_across_tokens_and_never_streams_it():
    shown: list[str] = []
    stream = Stream(("\n```",), 100, shown.append)
    assert _feed(stream, [b"return 1", b"\n`", b"``", b"more"])
    assert stream.text == "return 1" and stream.finish == "stop"
    assert "".join(shown) == "return 1"
    assert stream.count == 3  # tokens sampled up to the one completing the stop


def test_stream_ends_at_its_budget_and_flushes_a_partial_character():
    stream = Stream((), 2, None)
    assert _feed(stream, [b"ab", "é".encode()[:1]])
    assert stream.finish == "length" and stream.count == 2
    assert stream.text == "ab\ufffd"  # the cut character is reported, not silently dropped


def test_stream_eog_finishes_without_counting_a_token():
    shown: list[str] = []
    stream = Stream(("STOP",), 10, shown.append)
    assert not stream.push(b"abcdef", False, -0.5)
    assert "".join(shown) == "abc"  # the last len("STOP") - 1 characters wait: they may start a stop
    assert stream.push(b"", True, None)
    assert (stream.text, stream.finish, stream.count) == ("abcdef", "stop", 1)
    assert "".join(shown) == "abcdef" and [t.logprob for t in stream.logprobs] == [-0.5]


def test_batch_context_holds_the_prompt_once_and_every_answer():
    assert batch_cells(300, 10, 128) >= 300 + 10 * 129
    assert batch_cells(300, 10, 128) % 256 == 0
    assert group_size(300, 10, 128, 256) == 10
    assert group_size(300, 10, 128, 4) == 4  # llama.cpp's sequence limit
    big = group_size(1000, 100, 4096, 256)
    assert 1 <= big < 100 and 1000 + big * 4097 <= MAX_BATCH_CELLS


def test_token_tally_counts_single_and_batched_completions():
    tally = TokenTally(FakeBackend(["one two", "three", "four five six"]))
    tally.complete(REQUEST)
    tally.complete_many(REQUEST, 2)
    assert tally.completion_tokens == 2 + 1 + 3


def test_eval_json_reports_completion_tokens_and_rate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CODEX_BACKEND", "fake")
    monkeypatch.chdir(tmp_path)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"answers": [], "default": "nothing"}), encoding="utf-8")
    monkeypatch.setenv("CODEX_FAKE_ANSWERS", str(answers))
    problem = {
        "task_id": "Mine/one",
        "prompt": 'def one() -> int:\n    """Return 1."""\n',
        "entry_point": "one",
        "test": "def check(candidate):\n    assert candidate() == 1\n",
    }
    problems = tmp_path / "p.jsonl"
    problems.write_text(json.dumps(problem) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", str(problems), "--strategy", "sample", "--samples", "3", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["completion_tokens"] == 3  # three one-token answers
    assert report["generate_tokens_per_s"] > 0


def test_progress_counts_tokens_of_all_sequences_with_their_rate():
    from rich.console import Console

    from codexcli.cli.output import Progress

    progress = Progress(Console(), enabled=False)
    progress.set("HumanEval/0 (1/1), 10 sequences")
    assert progress.counted() == ""
    progress.began -= 4.0  # the step began four seconds ago
    for i in range(20):  # tokens of different sequences, as a batch streams them
        progress.token(f"piece {i % 10}")
    assert progress.counted() == "20 tokens, 5 tok/s"
    progress.set("next")
    assert progress.counted() == ""  # a new step starts counting afresh
