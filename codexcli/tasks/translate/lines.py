"""`codex translate` to Java, line by line: a function assembled from statements that were each
run on the original's own states.

Asked for a whole colorsys function, SmolLM2-135M wrote bodies that compiled and computed
something else (``rgbToYiq`` returning its arguments, ``yiqToRgb`` calling itself). Asked for one
statement at a time it copies most lines right, some of the time: among 8 samples of
``m2 = l * (1.0+s)`` four were ``m2 = l * (1.0 + s);`` and the others wrong. So when no whole
answer verifies, codex:

1. lays out the method itself: the signature (tasks/translate/sig.py), one declaration per local
   (typed from the values the locals held), the braces of ``if``/``elif``/``else``;
2. traces the original on its input cases (tasks/translate/line_trace.py): the locals before each
   statement, and what came next (the assigned value, the returned value, the branch taken);
3. asks the model for each statement (prompts/translate_line.toml, several samples, greedy first)
   and adds the repaired variants of each answer (Python's ``max``/``min``/``abs`` written with
   ``Math.``, a returned tuple as an array, an integer cast the Python line does not have
   removed, an assignment the model ran on past its end cut at a top-level ``+``/``-``, Python's
   floor ``%`` where Java's truncates);
4. runs every candidate on the states its statement saw, in one generated Java method per
   function, and keeps per statement the first candidate that matched on all of them; the
   statements no candidate matched are asked again (new seeds), a few rounds.

The assembled method then goes through the same compile check and whole-function behaviour check
as any answer. It is reported as such (``origin`` "lines", a note saying how many statements
matched). Only
straight-line code with ``if``/``elif``/``else``, assignments to names and ``return`` is laid out
(no loops yet); anything else is left to the whole-answer path.
"""

from __future__ import annotations

import ast
import json
import re
import time
from dataclasses import dataclass, replace
from typing import Any, Callable, Sequence

from codexcli.backends.base import Backend, TokenCallback
from codexcli.config import Settings
from codexcli.prompts import PromptTemplate
from codexcli.tasks.common import Attempt, fit_request, task_request
from codexcli.tasks.select import sampling_temperature
from codexcli.tasks.translate.line_text import Step, candidates
from codexcli.tasks.translate.line_trace import Event
from codexcli.tasks.translate.sig import merge_kinds, value_kind
from codexcli.verify.cases.inputs import InputCase
from codexcli.verify.compare.behaviour import Behaviour, Observation
from codexcli.verify.compare.harness import compare

LINE_TOKENS = 80
LINE_ROUNDS = 4  # rounds of answers for statements no answer matched yet
MAX_STATES = 6  # per statement: enough to tell candidates apart, few enough for one Java run
CHECK_METHOD = "codexLineCheck"
# Cases per harness run: the harness holds its cases as literals in one static initializer, which
# the JVM caps at 64 KiB of bytecode.
CHECK_CHUNK = 300
LINES_NOTE = "assembled line by line"  # how an assembled function's note starts
# Each local's type: its initial value in the method (Java) and in the check for a state where
# it is not bound yet (Python).
_DEFAULTS: dict[str, tuple[str, Any]] = {
    "double": ("0.0", 0.0),
    "long": ("0", 0),
    "boolean": ("false", False),
    "String": ('""', ""),
}


@dataclass(frozen=True)
class LineResult:
    """The method assembled line by line (None when it could not be), the requests it took, and
    the note saying how it was made (or why not)."""

    method: str | None
    attempts: tuple[Attempt, ...]
    note: str


# The plan ---------------------------------------------------------------------------------------


def _numeric_mod(node: ast.AST) -> bool:
    """Whether ``node`` uses ``%`` other than on a string (formatting)."""
    return any(
        isinstance(n, ast.BinOp)
        and isinstance(n.op, ast.Mod)
        and not (isinstance(n.left, ast.Constant) and isinstance(n.left.value, str))
        and not isinstance(n.left, ast.JoinedStr)
        for n in ast.walk(node)
    )


def plan(fn: ast.FunctionDef | ast.AsyncFunctionDef, names: dict[str, str], source: str) -> list[Step] | None:
    """The method's lines for ``fn``'s body, names in the target's spelling (``names``: Python
    name -> target name); None when the body has a statement codex does not lay out. Each
    statement is shown as ``source`` spells it (SmolLM2 copied ``v*(1.0 - s)`` more often than
    its unparsed ``v * (1.0 - s)``), without comments, on one line."""

    def shown(node: ast.AST) -> str:
        segment = ast.get_source_segment(source, node) or ""
        for name, new in names.items():
            segment = re.sub(rf"(?<![\w.]){re.escape(name)}\b", new, segment)
        return " ".join(segment.split())

    out: list[Step] = []

    def walk(stmts: Sequence[ast.stmt], depth: int) -> bool:
        for s in stmts:
            if isinstance(s, ast.Pass) or (
                isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant) and isinstance(s.value.value, str)
            ):
                continue
            target = s.targets[0] if isinstance(s, ast.Assign) and len(s.targets) == 1 else None
            target = s.target if isinstance(s, ast.AugAssign) else target
            if isinstance(target, ast.Name):
                out.append(Step("assign", shown(s), s.lineno, depth, target.id, mod=_numeric_mod(s)))
            elif isinstance(s, ast.Return) and s.value is not None:
                out.append(Step("return", shown(s), s.lineno, depth, mod=_numeric_mod(s)))
            elif isinstance(s, ast.If):
                node, kind = s, "if"
                while True:
                    body = (node.body[0].lineno, node.body[-1].end_lineno or node.body[-1].lineno)
                    test = f"if {shown(node.test)}:"
                    out.append(Step(kind, test, node.lineno, depth, branch=body, mod=_numeric_mod(node.test)))
                    if not walk(node.body, depth + 1):
                        return False
                    if len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If):
                        node, kind = node.orelse[0], "elif"
                        continue
                    if node.orelse:
                        out.append(Step("else", depth=depth))
                        if not walk(node.orelse, depth + 1):
                            return False
                    break
                out.append(Step("end", depth=depth))
            else:
                return False
        return True

    if not walk(fn.body, 0) or not any(s.kind == "return" for s in out):
        return None
    if out[-1].kind != "return":
        out.append(Step("fallthrough"))  # Python returns None at the end; Java needs a statement
    return out


def local_types(
    steps: Sequence[Step], params: Sequence[str], calls: Sequence[Sequence[Event]], floating: bool
) -> dict[str, str] | None:
    """A Java type for every local the method assigns (not its parameters), from the values it
    held in the trace (ints -> long, floats or both -> double, bool, str); in a method returning
    floats, an int local or one never seen is a double. None when one holds anything else."""
    types: dict[str, str] = {}
    for name in dict.fromkeys(s.target for s in steps if s.kind == "assign" and s.target not in params):
        seen = [e.names[name] for events in calls for e in events if e.names and name in e.names]
        kind = merge_kinds([value_kind(v) for v in seen]) if seen else ("double" if floating else None)
        if kind is None:
            return None
        if floating and kind == "long":
            kind = "double"  # as for parameters (sig.py): Python mixes ints into float math
        types[name] = kind
    return types


def states(step: Step, calls: Sequence[Sequence[Event]], limit: int = MAX_STATES) -> list[tuple[dict[str, Any], Any]]:
    """The (locals before, expected) pairs of ``step`` in the trace: the assigned value, the
    returned value, or whether the test held (the next line was in its branch)."""
    found: dict[str, tuple[dict[str, Any], Any]] = {}
    for events in calls:
        for k, event in enumerate(events[:-1]):
            after = events[k + 1]
            if event.kind != "line" or event.line != step.line or event.names is None:
                continue
            if step.kind == "assign" and after.kind in ("line", "return") and step.target in (after.names or {}):
                expected = (after.names or {})[step.target]
            elif step.kind == "return" and after.kind == "return":
                expected = after.value
            elif step.kind in ("if", "elif") and after.kind == "line":
                expected = step.branch[0] <= after.line <= step.branch[1]
            else:
                continue
            found.setdefault(json.dumps([event.names, expected], sort_keys=True), (event.names, expected))
            if len(found) >= limit:
                return list(found.values())
    return list(found.values())


# The check: every candidate on its statement's states, in one Java method -------------------------


def check_method(columns: Sequence[tuple[str, str]], cases: Sequence[tuple[int, Step, str]]) -> str:
    """A static method taking which candidate to run and every parameter and local
    (``columns``: type, name): ``case k`` runs candidate k and returns what it computed; each
    case carries a ``// codex-line k`` marker, so a compile error names its candidate."""
    params = ", ".join(["long codexWhich", *(f"{t} {n}" for t, n in columns)])
    lines = [f"public static Object {CHECK_METHOD}({params}) {{", "    switch ((int) codexWhich) {"]
    for k, step, text in cases:
        if step.kind == "assign":
            body = f"{text} return {step.target};"
        elif step.kind == "return":
            body = text
        else:
            body = f"return {text};"
        lines.append(f"        case {k}: {{ {body} }} // codex-line {k}")
    lines += ["        default: return null;", "    }", "}"]
    return "\n".join(lines)


def dropped_by(detail: str, text: str, filename: str) -> set[int]:
    """The candidates whose lines javac's errors name (by their markers)."""
    rows = text.splitlines()
    bad = set()
    for number in re.findall(rf"{re.escape(filename)}:(\d+):", detail):
        row = rows[int(number) - 1] if 0 < int(number) <= len(rows) else ""
        if m := re.search(r"// codex-line (\d+)$", row):
            bad.add(int(m.group(1)))
    return bad


def _literal_row(values: Sequence[Any]) -> str | None:
    if any(isinstance(v, (dict, list)) for v in values):
        return None  # not a plain number, bool or string (an inf, a container): not passed
    return repr(tuple(values))


@dataclass(frozen=True)
class Chosen:
    """A statement's chosen candidate, and on how many of its states it matched the original
    (``total`` 0: no case reached the statement, so nothing could be checked)."""

    text: str
    passed: int
    total: int

    @property
    def matched(self) -> bool:
        return self.total > 0 and self.passed == self.total


def choose(
    steps: Sequence[Step],
    options: dict[int, list[str]],
    step_states: dict[int, list[tuple[dict[str, Any], Any]]],
    columns: Sequence[tuple[str, str]],
    compile_file: Callable[[str], tuple[str, str | None]],
    run_check: Callable[[str, list[InputCase]], tuple[list[dict[str, Any] | None], str | None]],
    filename: str,
) -> dict[int, Chosen | None] | None:
    """Per step, the candidate that matched the original on the most of its states (the first of
    equals: answers come greedy first), or None when none of its candidates compiles; None
    overall when the check itself could not be compiled or run. ``compile_file(method)`` gives
    the whole file's text and javac's errors (None when it compiled); ``run_check(text, cases)``
    runs the check method."""
    numbered = [(k, i, text) for k, (i, text) in enumerate((i, t) for i in options for t in options[i])]
    alive = {k for k, _, _ in numbered}
    text = ""
    for _ in range(20):  # javac names a few errors per run (verify/compare/toolchains.py keeps the first)
        method = check_method(columns, [(k, steps[i], t) for k, i, t in numbered if k in alive])
        text, errors = compile_file(method)
        if errors is None:
            break
        bad = dropped_by(errors, text, filename) & alive
        if not bad:
            return None
        alive -= bad
    else:
        return None
    cases: list[InputCase] = []
    observations: list[Observation] = []
    owners: list[int] = []
    for k, i, _ in numbered:
        if k not in alive:
            continue
        for names, expected in step_states.get(i, []):
            row = _literal_row([k, *(names.get(n, _DEFAULTS.get(t, ("", 0))[1]) for t, n in columns)])
            if row is None:
                continue
            case = InputCase(row)
            cases.append(case)
            observations.append(Observation(case, "value", value=expected))
            owners.append(k)
    passed: dict[int, int] = {}
    if cases:
        records: list[dict[str, Any] | None] = []
        for start in range(0, len(cases), CHECK_CHUNK):
            chunk, error = run_check(text, cases[start : start + CHECK_CHUNK])
            if error is not None:
                return None
            records += chunk
        report = compare(Behaviour(tuple(observations), None), records)
        for owner, result in zip(owners, report.results):
            passed[owner] = passed.get(owner, 0) + (1 if result.passed else 0)
    chosen: dict[int, Chosen | None] = {}
    for i in options:
        mine = [(k, t) for k, j, t in numbered if j == i and k in alive]
        if not mine:
            chosen[i] = None
            continue
        total = owners.count(mine[0][0])
        best = max(mine, key=lambda kt: passed.get(kt[0], 0))  # max keeps the first of equals
        chosen[i] = Chosen(best[1], passed.get(best[0], 0), total)
    return chosen


# Assembly ---------------------------------------------------------------------------------------


def method_text(signature: str, steps: Sequence[Step], chosen: dict[int, Chosen], types: dict[str, str]) -> str:
    """The Java method: codex's signature, one initialized declaration per local, the chosen
    statements inside codex's braces."""
    lines = [signature + " {"]
    lines += [f"    {t} {n} = {_DEFAULTS[t][0]};" for n, t in types.items()]
    for i, step in enumerate(steps):
        pad = "    " * (step.depth + 1)
        if step.kind == "else":
            lines.append(pad + "} else {")
        elif step.kind == "end":
            lines.append(pad + "}")
        elif step.kind == "fallthrough":
            primitive = signature.split()[2] in ("double", "long", "int", "boolean")
            lines.append(pad + ('throw new IllegalStateException("no value");' if primitive else "return null;"))
        elif step.kind == "if":
            lines.append(f"{pad}if {chosen[i].text} {{")
        elif step.kind == "elif":
            lines.append(f"{pad}}} else if {chosen[i].text} {{")
        else:
            lines.append(pad + chosen[i].text)
    lines.append("}")
    return "\n".join(lines)


def ask_lines(
    backend: Backend,
    prompt: PromptTemplate,
    settings: Settings,
    target: str,
    steps: Sequence[Step],
    which: Sequence[int],
    samples: int,
    round_: int = 0,
    on_token: TokenCallback | None = None,
) -> tuple[dict[int, list[str]], tuple[Attempt, ...]]:
    """Answers for the statements ``which``: ``samples`` each in one batch, at the sampling
    temperature (tasks/select.py), the first greedy in round 0; later rounds draw new seeds."""
    answers: dict[int, list[str]] = {}
    attempts: list[Attempt] = []
    for i in which:
        messages, prefill = prompt.render(target=target, line=steps[i].python)
        request = task_request(messages, prefill, prompt, settings)
        seed = (settings.seed or 0) + round_ * samples
        request = replace(
            request, max_tokens=LINE_TOKENS, temperature=sampling_temperature(settings.temperature), seed=seed
        )
        started = time.monotonic()
        many = backend.complete_many(fit_request(backend, request), samples, greedy_first=round_ == 0)
        seconds = time.monotonic() - started
        answers[i] = [c.text for c in many]
        attempts += [Attempt(c.text, None, c.completion_tokens, seconds / max(1, len(many))) for c in many]
        if on_token is not None:
            on_token(".")
    return answers, tuple(attempts)


def _settled(chosen: Chosen | None) -> bool:
    """A statement needs no more answers: its choice matched every state, or no case reaches it."""
    return chosen is not None and (chosen.matched or chosen.total == 0)


def signature_columns(signature: str) -> list[tuple[str, str]] | None:
    """The (type, name) pairs of a ``public static RET name(T a, ...)`` signature."""
    m = re.search(r"\((.*)\)\s*$", signature)
    if m is None:
        return None
    pairs = [p.strip().rsplit(" ", 1) for p in m.group(1).split(",") if p.strip()]
    return [(t.strip(), n) for t, n in pairs] if all(len(p) == 2 for p in pairs) else None


def assemble_lines(
    backend: Backend,
    prompt: PromptTemplate,
    settings: Settings,
    source: str,
    fn_name: str,
    names: dict[str, str],
    signature: str,
    cases: Sequence[InputCase],
    samples: int,
    compile_file: Callable[[str], tuple[str, str | None]],
    run_check: Callable[[str, list[InputCase]], tuple[list[dict[str, Any] | None], str | None]],
    filename: str,
    *,
    target: str = "Java",
    per_case_timeout_s: float = 2.0,
    on_token: TokenCallback | None = None,
) -> LineResult:
    """Function ``fn_name`` of ``source`` translated line by line (see the module's text), as the
    text of one method, or why not."""
    from codexcli.tasks.translate.line_trace import trace_lines
    from codexcli.verify.static.lookup import find_function

    fn = find_function(ast.parse(source), fn_name)
    steps = plan(fn, names, source) if fn is not None else None
    columns = signature_columns(signature)
    if steps is None or columns is None:
        return LineResult(
            None, (), "not laid out line by line: it has statements other than assignments, if and return"
        )
    calls = trace_lines(source, fn_name, cases, per_case_timeout_s=per_case_timeout_s)
    if not calls:
        return LineResult(None, (), "not laid out line by line: the original could not be traced")
    returns = signature.split()[2]
    types = local_types(steps, [n for _, n in columns], calls, returns.startswith("double"))
    if types is None:
        return LineResult(None, (), "not laid out line by line: a local holds values Java has no simple type for")
    columns = [*columns, *((t, n) for n, t in types.items())]
    statements = [i for i, s in enumerate(steps) if s.kind in ("assign", "return", "if", "elif")]
    step_states = {i: states(steps[i], calls) for i in statements}
    answers: dict[int, list[str]] = {i: [] for i in statements}
    attempts: tuple[Attempt, ...] = ()
    chosen: dict[int, Chosen | None] = {}
    for round_ in range(LINE_ROUNDS):
        # Round 0 asks for every statement; later rounds only for those no answer matched yet.
        need = [i for i in statements if round_ == 0 or not _settled(chosen.get(i))]
        if not need:
            break
        new, more = ask_lines(backend, prompt, settings, target, steps, need, samples, round_, on_token)
        attempts += more
        for i in need:
            answers[i] += new[i]
        options = {i: candidates(steps[i], answers[i], returns) for i in statements}
        found = choose(steps, options, step_states, columns, compile_file, run_check, filename)
        if found is None:
            return LineResult(None, attempts, "line by line: the statements could not be checked")
        chosen = found
    missing = [steps[i].python for i in statements if chosen.get(i) is None]
    if missing:
        return LineResult(None, attempts, f"line by line: no answer for `{missing[0]}` compiled")
    final = {i: c for i, c in chosen.items() if c is not None}
    matched = sum(1 for c in final.values() if c.matched)
    unreached = sum(1 for c in final.values() if c.total == 0)
    note = (
        f"{LINES_NOTE}: codex laid out the method, the model wrote its {len(final)} statements "
        f"({matched} matched the original on every state they were run on"
        + (f", {unreached} not reached by any case" if unreached else "")
        + ")"
    )
    return LineResult(method_text(signature, steps, final, types), attempts, note)
