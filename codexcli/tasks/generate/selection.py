"""`codex generate --samples N`: the evidence verified selection judges candidates on, for a stub
(--fill, used by tasks/generate/fill.py) and for code from a description (select_generated): the
docstring's examples, tests found in the project, behaviour on generated inputs. The ranking
itself is tasks/select.py; ``selection_evidence`` turns the chosen candidate's evidence into an
evidence level (codexcli/evidence.py), and ``samples_for`` draws enough samples for consensus.
"""

from __future__ import annotations

import ast
import copy
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Callable

from codexcli.evidence import FORM_ONLY, Evidence, strength
from codexcli.splice.body import Spliced, StubTarget, replace_bodies
from codexcli.tasks.select import Candidate, Selection, rank
from codexcli.verify.compare.probes import (
    Example,
    docstring_examples,
    function_docstring,
    function_params,
    probe_inputs,
)
from codexcli.verify.sandbox.project import project_root
from codexcli.verify.sandbox.sandbox import Limits, run

# Consensus (the rule, docs/generate.md "Evidence"): the chosen candidate and at least
# CONSENSUS_MIN - 1 others, together more than half of all the samples drawn (unparsed ones
# count against it), give the same observation on every generated input, and on at least one of
# them that observation is a value, not a crash (a shared crash is no shared behaviour).
CONSENSUS_MIN = 3
# Samples drawn when the user gave no --samples and the write threshold is above form: one
# answer can never reach consensus. Five is the smallest number at which consensus (3 agreeing,
# a strict majority) survives two wrong or unparsed samples; with 3 or 4 it needs all or all but
# one. Drawn as one llama.cpp batch: about half the CPU time of the 10 candidates measured in
# docs/eval.md (5.99x one greedy answer), with the greedy answer as candidate 1.
CONSENSUS_SAMPLES = 5

_SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", "build", "dist", ".tox"}
MAX_TEST_FILES = 5


def find_tests(path: Path, name: str) -> list[Path]:
    """Test files (test_*.py, *_test.py) in ``path``'s project (the root `codex testgen` runs
    tests in: verify.sandbox.project.project_root) that import its module and mention ``name``:
    the tests codex can find for that function."""
    if not path.is_file():
        return []
    root = project_root(path)
    word = re.compile(rf"\b{re.escape(name)}\b")
    module = re.compile(rf"\b{re.escape(path.stem)}\b")
    found: list[Path] = []
    for candidate in sorted(root.rglob("*.py")):
        rel = candidate.relative_to(root)
        if any(part in _SKIP_DIRS or part.startswith(".") for part in rel.parts[:-1]):
            continue
        if not (candidate.name.startswith("test_") or candidate.name.endswith("_test.py")):
            continue
        if candidate.resolve() == path.resolve():
            continue
        try:
            text = candidate.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if word.search(text) and module.search(text):
            found.append(candidate)
        if len(found) >= MAX_TEST_FILES:
            break
    return found


def test_runner(path: Path, tests: list[Path], limits: Limits = Limits(timeout_s=60.0)) -> Callable[[str], bool]:
    """A check that runs ``tests`` with pytest in the sandbox, on a copy of the project in which
    ``path`` holds the given text. True when they pass."""
    root = project_root(path)
    rel = str(path.resolve().relative_to(root))
    args = [str(t.resolve().relative_to(root)) for t in tests]

    def passes(text: str) -> bool:
        result = run(
            [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *args],
            copy_from=root,
            files={rel: text},
            limits=limits,
        )
        return result.ok

    return passes


def splice_body(source: str, index: int, body: str) -> str:
    """``source`` with the function at ``index`` given ``body`` (one the fill parser accepted,
    so it splices); ``source`` itself if it somehow does not."""
    spliced = replace_bodies(source, {index: body})
    return spliced.text if isinstance(spliced, Spliced) else source


def stub_evidence(target: StubTarget) -> tuple[list[Example], list[tuple[str, ...]]]:
    """What a stub's candidates are judged on without tests: its docstring's examples, and the
    inputs (the examples' arguments, then made-up ones) their behaviour is compared on."""
    examples = docstring_examples(
        function_docstring(target.header, target.name), target.name, function_params(target.header, target.name)
    )
    return examples, probe_inputs(target.header, target.name, examples)


def _main_function(codes: list[str]) -> tuple[str, str] | None:
    """The function the candidates agree they are writing: the most common name among their
    last top-level function definitions, with the header (signature) of its first occurrence."""
    names: list[str] = []
    headers: dict[str, str] = {}
    for code in codes:
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        defs = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
        if not defs:
            continue
        fn = defs[-1]
        names.append(fn.name)
        if fn.name not in headers:
            stub = copy.copy(fn)
            stub.body, stub.decorator_list = [ast.Pass()], []
            headers[fn.name] = ast.unparse(stub) + "\n"
    if not names:
        return None
    name = Counter(names).most_common(1)[0][0]
    return name, headers[name]


def select_generated(
    candidates: list[Candidate[str]],
    description: str,
    language: str,
    *,
    strategy: str = "verified",
    workers: int | None = None,
) -> Selection[str]:
    """Rank candidate programs for a description. Python candidates are run on the examples the
    description gives (``f(2) == 4``) and compared on generated inputs; other languages are
    ranked by log-probability only (they are not run here)."""
    parsed = [c.value for c in candidates if c.value is not None]
    main = _main_function(parsed) if language == "python" and strategy == "verified" else None
    if main is None:
        return rank(candidates, module_of=lambda code: code, name="", strategy="logprob")
    name, header = main
    examples = docstring_examples(description, name, function_params(header, name))
    inputs = probe_inputs(header, name, examples)
    return rank(
        candidates,
        module_of=lambda code: code,
        name=name,
        examples=examples,
        inputs=inputs,
        strategy=strategy,
        workers=workers,
    )


def samples_for(asked: int | None, threshold: str) -> int:
    """The samples to draw: what the user asked for (--samples), else CONSENSUS_SAMPLES when the
    threshold is above ``form`` (one answer cannot reach it), else one."""
    if asked is not None:
        return asked
    return CONSENSUS_SAMPLES if strength(threshold) > strength("form") else 1


def _agreeing(selection: Selection[str]) -> int:
    """How many candidates behave exactly like the chosen one on every generated input (itself
    included); 0 when it has no observation that is a value."""
    chosen = selection.chosen
    if chosen is None or not any(not seen.startswith("!") for seen in chosen.outputs):
        return 0
    return sum(1 for r in selection.ranking if r.outputs == chosen.outputs)


# Docstring examples that must pass for "examples": on the development set a body that was wrong
# on 2 of 12 generated inputs passed the one example its docstring had (docs/heldout.md).
MIN_EXAMPLES = 2


def selection_evidence(selection: Selection[str], tests: int = 0) -> Evidence:
    """The evidence level of a selection's chosen candidate (``tests``: the test files found for
    it). Tests that pass, or every docstring example passing, are ``examples``; a failing test
    or example caps it at ``form`` (the body is known wrong somewhere); else ``consensus`` when
    the samples agree by the CONSENSUS_MIN rule; else ``form``, saying what was missing."""
    chosen = selection.chosen
    if chosen is None:
        return FORM_ONLY
    drawn = len(selection.ranking) + len(selection.dropped)
    if selection.strategy != "verified":
        return Evidence("form", f"chosen by log-probability among {drawn} samples; none was run")
    ran = f"{chosen.examples_passed}/{chosen.examples_total} docstring examples pass"
    if chosen.tests_passed is False or chosen.examples_passed < chosen.examples_total:
        failed = "it fails the tests found for it" if chosen.tests_passed is False else f"only {ran}"
        return Evidence("form", f"{failed}: known wrong somewhere")
    if chosen.tests_passed:
        extra = f"; {ran}" if chosen.examples_total else ""
        return Evidence("examples", f"the tests found for it pass ({tests} test file(s)){extra}")
    if chosen.examples_total >= MIN_EXAMPLES:
        return Evidence("examples", ran)
    agree, inputs = _agreeing(selection), selection.inputs
    said = f"{agree} of {drawn} samples behave the same on {inputs} generated inputs"
    # One example says too little alone (a wrong body passed one): it is named beside the rest.
    passed = f"{ran}; " if chosen.examples_total else ""
    if agree >= CONSENSUS_MIN and 2 * agree > drawn:
        return Evidence("consensus", passed + said)
    if not inputs:
        return Evidence("form", f"{passed}{drawn} sample(s), no inputs to compare them on")
    if agree < 2:
        said = f"no other of {drawn} samples behaves like the chosen one on {inputs} generated inputs"
        said = said if agree else f"the chosen sample of {drawn} gives no value on {inputs} generated inputs"
    return Evidence("form", f"{passed}no consensus: {said} (consensus needs {CONSENSUS_MIN} and more than half)")
