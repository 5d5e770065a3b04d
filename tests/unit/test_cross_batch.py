"""Samples across problems (issue 30): complete_many_each's fallback and dispatch, the
continuous batch's admission and sizing, and `codex eval --strategy sample` through the new
path with the fake backend."""

from __future__ import annotations

import json

from codexcli.backends.base import Completion, CompletionRequest, Message, complete_many_each
from codexcli.backends.fake import FakeBackend
from codexcli.backends.llamacpp_batch import CELL_STEP, MAX_BATCH_CELLS
from codexcli.backends.llamacpp_multi import Job, admit, context_cells
from codexcli.config import Settings
from codexcli.data.problems import Problem
from codexcli.prompts import load_prompt
from codexcli.tasks.eval.evaluate import TokenTally, evaluate

ADD = Problem(
    "Mine/add",
    'def add(a: int, b: int) -> int:\n    """Return a + b.\n    >>> add(2, 3)\n    5\n    """\n',
    "add",
    "def check(candidate):\n    assert candidate(2, 3) == 5\n",
)
MUL = Problem(
    "Mine/mul",
    'def mul(a: int, b: int) -> int:\n    """Return a times b."""\n',
    "mul",
    "def check(c):\n    assert c(3, 4) == 12\n",
)
NO_STUB = Problem("Mine/none", 'def other(a):\n    """Doc."""\n', "absent", "def check(c):\n    pass\n")
RIGHT_ADD = "def add(a: int, b: int) -> int:\n    return a + b\n```"
WRONG_ADD = "def add(a: int, b: int) -> int:\n    return a - b\n```"
RIGHT_MUL = "def mul(a: int, b: int) -> int:\n    return a * b\n```"
UNPARSED = "def mul(a: int, b: int) -> int:\n    return (\n```"


def request(text: str, seed: int) -> CompletionRequest:
    return CompletionRequest(messages=(Message("user", text),), seed=seed)


def test_admit_takes_jobs_in_order_while_they_fit_and_never_lets_one_overtake():
    assert admit([(10, 100), (10, 100), (10, 100)], 25, 1000) == 2  # slots run out at the third
    assert admit([(10, 100), (10, 950), (10, 100)], 40, 1000) == 1  # cells: the second waits, so does the third
    assert admit([(10, 100)], 9, 1000) == 0
    assert admit([(10, 100)], 10, 100) == 1  # exactly full fits
    assert admit([], 40, 1000) == 0


def test_job_cells_and_context_cells_hold_the_jobs_the_slots_can_run_together():
    job = Job([1] * 300, [1] * 10, [0.5] * 10, 127, (), False, [None] * 10)
    assert job.cells == 300 + 10 * 128
    cells = context_cells([job, job], 40)  # 40 slots hold four 10-answer jobs at once
    assert cells % CELL_STEP == 0 and 4 * job.cells <= cells < 4 * job.cells + CELL_STEP
    huge = Job([1] * 300, [1] * 10, [0.5] * 10, 4000, (), False, [None] * 10)
    assert context_cells([huge], 40) >= huge.cells  # one job always fits
    assert context_cells([huge], 40) < max(MAX_BATCH_CELLS, huge.cells) + CELL_STEP


def test_fallback_decodes_request_after_request_and_streams_with_the_request_index():
    fake = FakeBackend(["a1", "a2", "b1", "b2", "c1", "c2"])
    done: list[tuple[int, list[str]]] = []
    streamed: list[tuple[int, str]] = []
    requests = [request("one", 5), request("two", 7), request("three", 9)]
    complete_many_each(
        fake, requests, 2, lambda i, out: done.append((i, [c.text for c in out])), lambda i, t: streamed.append((i, t))
    )
    assert done == [(0, ["a1", "a2"]), (1, ["b1", "b2"]), (2, ["c1", "c2"])]
    assert fake.batches == [(r, 2) for r in requests]  # one complete_many each, in order
    assert [r.seed for r in fake.requests] == [5, 6, 7, 8, 9, 10]
    assert [i for i, _ in streamed] == [0, 0, 1, 1, 2, 2]


class Batcher(FakeBackend):
    """A backend with the capability: records the call and answers in reverse order."""

    def complete_many_each(self, requests, n, on_done, on_token=None) -> None:
        self.called = (list(requests), n)
        for i in reversed(range(len(requests))):
            on_done(i, [Completion(f"r{i}s{k}", completion_tokens=3) for k in range(n)])


def test_a_backend_with_the_capability_decodes_all_requests_itself_and_the_tally_counts_them():
    backend = Batcher()
    tally = TokenTally(backend)
    got: dict[int, list[str]] = {}
    requests = [request("one", 1), request("two", 2)]
    complete_many_each(tally, requests, 3, lambda i, out: got.__setitem__(i, [c.text for c in out]))
    assert backend.called == (requests, 3)
    assert backend.batches == []  # not one complete_many per request
    assert got == {0: ["r0s0", "r0s1", "r0s2"], 1: ["r1s0", "r1s1", "r1s2"]}
    assert tally.completion_tokens == 2 * 3 * 3


def test_verbose_log_records_every_request_of_the_many_path(tmp_path):
    from codexcli.backends.logged import LoggedBackend

    log = tmp_path / "log.jsonl"
    requests = [request("one", 1), request("two", 2)]
    got: list[int] = []
    complete_many_each(LoggedBackend(FakeBackend(["a", "b", "c", "d"]), log), requests, 2, lambda i, out: got.append(i))
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert got == [0, 1]
    assert [[a["text"] for a in line["answers"]] for line in lines] == [["a", "b"], ["c", "d"]]
    assert [line["request"]["seed"] for line in lines] == [1, 2]


def run_eval(backend, cross: bool, on_problem=None):
    return evaluate(
        backend,
        load_prompt("fill", None),
        [ADD, NO_STUB, MUL],
        Settings(),
        strategy="sample",
        n=2,
        ks=(1, 2),
        workers=2,
        cross=cross,
        on_problem=on_problem,
    )


def test_eval_sample_across_problems_gives_the_samples_and_notes_of_one_problem_at_a_time():
    answers = [RIGHT_ADD, WRONG_ADD, UNPARSED, RIGHT_MUL]
    before, after = FakeBackend(answers), FakeBackend(answers)
    seen: list[str] = []
    one_at_a_time = run_eval(before, cross=False)
    together = run_eval(after, cross=True, on_problem=lambda i, total, p: seen.append(f"{i}/{total} {p.task_id}"))
    assert together.samples == one_at_a_time.samples
    assert [(s.task_id, s.passed) for s in together.samples] == [
        ("Mine/add", True),
        ("Mine/add", False),
        ("Mine/none", False),
        ("Mine/none", False),
        ("Mine/mul", False),
        ("Mine/mul", True),
    ]
    notes = [s.note for s in together.samples]
    assert notes[2] == notes[3] == "no stub function absent in the prompt"
    assert notes[4].startswith("did not parse")
    seed = Settings().seed  # every problem's samples: the configured seed, +1, ...
    assert notes[0] == f"seed {seed}" and notes[1] == f"seed {seed + 1}" and notes[5] == f"seed {seed + 1}"
    assert together.pass_at_k == one_at_a_time.pass_at_k
    assert together.completion_tokens == one_at_a_time.completion_tokens > 0
    assert [r for r, _ in after.batches] == [r for r, _ in before.batches]  # the same requests
    assert seen == ["1/3 Mine/none", "2/3 Mine/add", "3/3 Mine/mul"]  # reported as each problem is done
