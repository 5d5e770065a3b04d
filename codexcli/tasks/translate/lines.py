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

Loops (``for`` over ``range`` or a list, ``while``, ``break``/``continue``), ``assert``, ``raise``,
``a[i] = v`` and tuple unpacking are laid out too (tasks/translate/line_plan.py); a statement
inside a loop is checked on the state of every iteration the trace holds. Where a statement is
deterministic to translate once the kinds are known (``x //= 2``, ``return a[i]``), codex's
rule (tasks/translate/line_rules.py) writes a candidate first, checked like any other, and the
model is asked only for the statements no rule matched. Each target spells its layout, types
and check through its ``LineSyntax`` (tasks/translate/line_syntax.py: Java, C++, TypeScript;
sig_rust.py: Rust).

The assembled method then goes through the same compile check and whole-function behaviour check
as any answer. It is reported as such (``origin`` "lines", a note saying who wrote how many
statements and how many matched).
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
from codexcli.tasks.translate.line_cells import cells, literal_row
from codexcli.tasks.translate.line_plan import assigned, constant_kinds, lay_out_wrapped, local_kinds, plan
from codexcli.tasks.translate.line_syntax import JAVA_LINES, LineSyntax
from codexcli.tasks.translate.line_text import CONDITIONS, Step, candidates
from codexcli.tasks.translate.line_trace import Event
from codexcli.tasks.translate.mutation import VOID, changed_list, passed
from codexcli.tasks.translate.tuples import tuple_parts
from codexcli.verify.cases.inputs import InputCase
from codexcli.verify.compare.behaviour import Behaviour, Observation
from codexcli.verify.compare.harness import compare
from codexcli.verify.compare.rust_args import split_top

LINE_TOKENS = 80
LINE_ROUNDS = 4  # rounds of answers for statements no answer matched yet
MAX_STATES = 6  # per statement: enough to tell candidates apart, few enough for one Java run
# Cases per harness run: the harness holds its cases as literals in one static initializer, which
# the JVM caps at 64 KiB of bytecode.
CHECK_CHUNK = 300
LINES_NOTE = "assembled line by line"  # how an assembled function's note starts
# Each kind's value in the check for a state where a local is not bound yet.
_ZEROS: dict[str, Any] = {"float": 0.0, "int": 0, "bool": False, "str": ""}


@dataclass(frozen=True)
class LineResult:
    """The method assembled line by line (None when it could not be), the requests it took, and
    the note saying how it was made (or why not)."""

    method: str | None
    attempts: tuple[Attempt, ...]
    note: str


def states(step: Step, calls: Sequence[Sequence[Event]], limit: int = MAX_STATES) -> list[tuple[dict[str, Any], Any]]:
    """The (locals before, expected) pairs of ``step`` in the trace: the assigned value (the
    container, for ``a[i] = v``), the returned value, whether the test held (the next line was
    in its branch; for ``assert``, no exception followed). In a loop, each iteration is a state."""
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
            elif step.kind == "store" and after.kind in ("line", "return") and step.target in (after.names or {}):
                expected = (after.names or {})[step.target]
            elif step.kind in ("if", "elif", "while") and after.kind == "line":
                expected = step.branch[0] <= after.line <= step.branch[1]
            elif step.kind == "assert":
                expected = after.kind != "exception"
            else:
                continue
            found.setdefault(json.dumps([event.names, expected], sort_keys=True), (event.names, expected))
            if len(found) >= limit:
                return list(found.values())
    return list(found.values())


# The check: every candidate on its statement's states, in one Java method -------------------------


def dropped_by(detail: str, text: str, filename: str, syntax: LineSyntax = JAVA_LINES) -> set[int]:
    """The candidates whose lines the compiler's errors name (by their markers)."""
    rows = text.splitlines()
    bad = set()
    for number in re.findall(syntax.error_line.format(file=re.escape(filename)), detail):
        row = rows[int(number) - 1] if 0 < int(number) <= len(rows) else ""
        if m := re.search(r"// codex-line (\d+)$", row):
            bad.add(int(m.group(1)))
    return bad


def _unbound(syntax: LineSyntax, type_: str) -> Any:
    """What the check passes for a local not bound yet in a state (its kind's zero)."""
    kind = syntax.kind_of(type_) or ""
    return [] if kind.endswith("[]") else {"__dict__": []} if kind.startswith("dict[") else _ZEROS.get(kind, 0)


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
    syntax: LineSyntax = JAVA_LINES,
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
        method = syntax.check(columns, [(k, steps[i].kind, t, steps[i].target) for k, i, t in numbered if k in alive])
        text, errors = compile_file(method)
        if errors is None:
            break
        bad = dropped_by(errors, text, filename, syntax) & alive
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
            row = literal_row([k, *(names.get(n, _unbound(syntax, t)) for t, n in columns)])
            if row is None:
                continue
            case = InputCase(row)
            cases.append(case)
            wanted = syntax.cells_of(expected) if syntax.cells_of else cells(expected) if syntax.cells else expected
            observations.append(Observation(case, "value", value=wanted))
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


def return_type(signature: str) -> str:
    """The return type of a signature codex wrote (``public static long[] f(...)`` -> ``long[]``,
    ``long long f(...)`` -> ``long long``, ``function f(...): number`` -> ``number``, ``fn f(...) -> i64``
    -> ``i64``)."""
    if m := re.search(r"\)\s*(?::|->)\s*(.+?)\s*$", signature):
        return m.group(1)
    head = signature.split("(", 1)[0].split()
    return " ".join(w for w in head[:-1] if w not in ("public", "static", "private", "inline"))


def method_text(
    signature: str,
    steps: Sequence[Step],
    chosen: dict[int, Chosen],
    types: dict[str, str],
    syntax: LineSyntax = JAVA_LINES,
) -> str:
    """The method: codex's signature, one initialized declaration per local (``types``: name ->
    kind), the chosen statements inside codex's braces, codex's own lines (loops, throws)."""
    lines = [signature + " {"]
    if syntax.rebind:  # Rust: parameters are immutable; those the Python function assigns are rebound
        mutated = assigned(steps)
        lines += ["    " + syntax.rebind.format(name=n) for _, n in signature_columns(signature) or [] if n in mutated]
    lines += [
        "    " + syntax.declare.format(type=syntax.type_of(k), name=n, value=syntax.default(k))
        for n, k in types.items()
    ]
    for i, step in enumerate(steps):
        pad = "    " * (step.depth + 1)
        if step.kind == "else":
            lines.append(pad + "} else {")
        elif step.kind == "end":
            lines.append(pad + "}")
        elif step.kind == "fallthrough":
            primitive = syntax.kind_of(return_type(signature)) in ("int", "float", "bool")
            lines.append(pad + (syntax.fallthrough_primitive if primitive else syntax.fallthrough_value))
        elif step.kind in ("if", "while"):
            lines.append(f"{pad}{step.kind} {chosen[i].text} {{")
        elif step.kind == "elif":
            lines.append(f"{pad}}} else if {chosen[i].text} {{")
        elif step.kind == "assert":
            lines.append(pad + syntax.assert_line.format(cond=chosen[i].text, throw=step.text))
        elif step.text:
            lines.append(pad + step.text)
        else:
            lines.append(pad + chosen[i].text)
    if syntax.fallthrough_always and steps and steps[-1].kind == "end":
        # Rust cannot tell that a ``while true`` or an ``if`` returning in every branch ends the function
        lines.append("    " + syntax.fallthrough_primitive)
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
    """The (type, name) pairs of a ``public static RET name(T a, ...)`` signature (or of a
    TypeScript ``function name(a: T, ...): RET``)."""
    m = re.search(r"\((.*?)\)(?:\s*(?::|->)\s*(?:[^()]*|\(\)))?\s*$", signature)  # Rust's ``-> ()`` too
    if m is None:
        return None
    parts = [p.strip() for p in split_top(m.group(1)) if p.strip()]  # Map<String, Long> is one type
    if all(re.match(r"\w+\s*:(?!:)", p) for p in parts):  # name: type (not C++'s std::string name)
        return [(t.strip(), n.strip()) for n, t in (p.split(":", 1) for p in parts)]
    pairs = [p.rsplit(" ", 1) for p in parts]
    return [(t.strip(), n) for t, n in pairs] if all(len(p) == 2 for p in pairs) else None


def line_signature(signature: str, syntax: LineSyntax) -> tuple[str, dict[str, str], str] | None:
    """The signature with every parameter in the type of its kind (a Java ``int`` is a ``long``:
    Python's ints are not 32-bit), each parameter's kind, and the return kind; None when a type
    has no kind."""
    columns = signature_columns(signature)
    returns = syntax.kind_of(return_type(signature))
    if columns is None or returns is None:
        return None
    kinds = {n: syntax.kind_of(changed_list(t, syntax) or t) for t, n in columns}
    if any(k is None for k in kinds.values()):
        return None
    params = ", ".join(syntax.param.format(type=passed(t, kinds[n] or "", syntax), name=n) for t, n in columns)
    head, tail = signature[: signature.index("(")], re.findall(r"\)(\s*(?:(?::|->)\s*(?:[^()]*|\(\)))?)$", signature)[0]
    return f"{head}({params}){tail}", {n: k for n, k in kinds.items() if k}, returns


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
    syntax: LineSyntax = JAVA_LINES,
    calls: dict[str, str] | None = None,
    per_case_timeout_s: float = 2.0,
    on_token: TokenCallback | None = None,
) -> LineResult:
    """Function ``fn_name`` of ``source`` translated line by line (see the module's text), as the
    text of one method, or why not. ``calls``: the return kinds of the module's functions it
    may call (codex's rules write those calls).

    Long: lay out, trace, then rounds of candidates (codex's rules first, then the model's)."""
    from codexcli.tasks.translate.line_trace import trace_lines
    from codexcli.verify.static.lookup import find_function

    fn = find_function(ast.parse(source), fn_name)
    typed = line_signature(signature, syntax)
    steps = plan(fn, names, source, void=typed[2] == VOID) if fn is not None and typed is not None else None
    if steps is None or typed is None:
        return LineResult(None, (), "not laid out line by line: it has statements codex does not lay out")
    signature, param_kinds, returns = typed
    traced = trace_lines(source, fn_name, cases, per_case_timeout_s=per_case_timeout_s)
    if not traced:
        return LineResult(None, (), "not laid out line by line: the original could not be traced")
    types = local_kinds(steps, list(param_kinds), traced, returns.startswith("float"))
    if types is None or (not syntax.tuple_type and any(tuple_parts(k) for k in types.values())):
        return LineResult(None, (), f"not laid out line by line: a local holds values {target} has no simple type for")
    types = {n: syntax.widen(k) for n, k in types.items()}
    kinds = {n: syntax.widen(k) for n, k in {**constant_kinds(source), **param_kinds, **types}.items()}
    returned_kinds = {n: syntax.widen(k) for n, k in (calls or {}).items()}
    laid = lay_out_wrapped(steps, kinds, returns, syntax, names, returned_kinds)
    if laid is None:
        return LineResult(None, (), "not laid out line by line: codex has no rule for a loop, raise or unpacking")
    steps = laid
    columns = [(syntax.type_of(k), n) for n, k in {**param_kinds, **types}.items()]
    statements = [i for i, s in enumerate(steps) if s.kind in ("assign", "store", "return", *CONDITIONS)]
    step_states = {i: states(steps[i], traced) for i in statements}
    answers: dict[int, list[str]] = {i: [] for i in statements}
    attempts: tuple[Attempt, ...] = ()
    chosen: dict[int, Chosen | None] = {}
    returned = syntax.type_of(returns)

    def options(which: Sequence[int]) -> dict[int, list[str]]:
        return {i: candidates(steps[i], answers[i], returned, syntax.declared, syntax.repairs) for i in which}

    ruled = [i for i in statements if steps[i].rule]
    if ruled:  # codex's own statements first: the model is asked only for the others
        found = choose(steps, options(ruled), step_states, columns, compile_file, run_check, filename, syntax)
        chosen = dict(found or {})
    for round_ in range(LINE_ROUNDS):
        need = [i for i in statements if not _settled(chosen.get(i))]
        if not need:
            break
        new, more = ask_lines(backend, prompt, settings, target, steps, need, samples, round_, on_token)
        attempts += more
        for i in need:
            answers[i] += new[i]
        found = choose(steps, options(statements), step_states, columns, compile_file, run_check, filename, syntax)
        if found is None:
            return LineResult(None, attempts, "line by line: the statements could not be checked")
        chosen = found
    missing = [steps[i].python for i in statements if chosen.get(i) is None]
    if missing:
        return LineResult(None, attempts, f"line by line: no answer for `{missing[0]}` compiled")
    final = {i: c for i, c in chosen.items() if c is not None}
    return LineResult(method_text(signature, steps, final, types, syntax), attempts, _note(steps, final))


def _note(steps: Sequence[Step], final: dict[int, Chosen]) -> str:
    """How the method was made: who wrote its statements, how many matched, how many no case reached."""
    matched = sum(1 for c in final.values() if c.matched)
    unreached = sum(1 for c in final.values() if c.total == 0)
    own = sum(1 for i, c in final.items() if c.text in (steps[i].rule, steps[i].wrapped))
    written = sum(1 for s in steps if s.kind in ("for", "raise", "unpack", "break", "continue", "call"))
    who = f"codex wrote {own} of its {len(final)} statements, the model {len(final) - own}"
    return (
        f"{LINES_NOTE}: codex laid out the method ({written} loop, raise and unpacking lines its own), "
        f"{who} ({matched} matched the original on every state they were run on"
        + (f", {unreached} not reached by any case" if unreached else "")
        + ")"
    )
