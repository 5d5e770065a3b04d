"""`codex translate` to Java, line by line: a function assembled from statements that were each
run on the original's own states.

Asked for a whole colorsys function, SmolLM2-135M wrote bodies that compiled and computed
something else (``rgbToYiq`` returning its arguments, ``yiqToRgb`` calling itself). Asked for one
statement at a time it copies most lines right, some of the time: among 8 samples of
``m2 = l * (1.0+s)`` four were ``m2 = l * (1.0 + s);`` and the others wrong. So when no whole
answer verifies, codex:

1. lays out the method itself: the signature (tasks/translate_sig.py), one declaration per local
   (typed from the values the locals held), the braces of ``if``/``elif``/``else``;
2. traces the original on its input cases (verify/line_trace.py): the locals before each
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
from codexcli.tasks.repair import closing_bracket, top_level_parts, tuple_return_as_array
from codexcli.tasks.select import sampling_temperature
from codexcli.tasks.translate_sig import merge_kinds, value_kind
from codexcli.verify.behaviour import Behaviour, Observation
from codexcli.verify.harness import compare
from codexcli.verify.inputs import InputCase
from codexcli.verify.line_trace import Event

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
class Step:
    """One line of the method: a statement the model translates (``assign``, ``return``, the
    test of an ``if``/``elif``), or layout codex writes (``else``, ``end``, and ``fallthrough``
    where the Python function ends without a ``return``). ``python`` is what the model is
    shown; ``line`` the source line the trace knows it by; ``branch`` the lines of an ``if``'s
    body (the test held when the next line ran was one of them); ``mod`` whether it uses ``%``
    on numbers."""

    kind: str
    python: str = ""
    line: int = 0
    depth: int = 0
    target: str = ""
    branch: tuple[int, int] = (0, 0)
    mod: bool = False


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
            kind = "double"  # as for parameters (translate_sig.py): Python mixes ints into float math
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


# Candidates: an answer, and its repaired variants ------------------------------------------------

_DECLARED = re.compile(r"^(?:final\s+)?(?:int|long|double|float|boolean|String|var|char|short)\s+(?=\w+\s*[-+*/%]?=)")
_INT_CAST = re.compile(r"\((?:int|long)\)\s*")
_BUILTIN = re.compile(r"(?<![\w.])(max|min|abs)\s*\(")
_MATH_MAX_MIN = re.compile(r"Math\.(max|min)\(")


def math_builtins(line: str) -> str:
    """Python's ``max``/``min``/``abs`` as Java's ``Math.`` methods, ``max(a, b, c)`` nested
    (``Math.max(a, Math.max(b, c))``: Java's take two)."""
    line = _BUILTIN.sub(lambda m: f"Math.{m.group(1)}(", line)
    out, i = "", 0
    while (m := _MATH_MAX_MIN.search(line, i)) is not None:
        end = closing_bracket(line, m.end() - 1)
        if end < 0:
            break
        parts = [math_builtins(p) for p in top_level_parts(line[m.end() : end])]
        nested = parts[-1]
        for part in reversed(parts[:-1]):
            nested = f"Math.{m.group(1)}({part}, {nested})"
        out += line[i : m.start()] + nested
        i = end + 1
    return out + line[i:]


_TOKEN = re.compile(r"\d+\.?\d*(?:[eE][-+]?\d+)?[dDfFlL]?|\w+(?:\.\w+)*|&&|\|\||[=!<>]=|\S")
_KEYWORDS = {"return", "new", "if", "while", "case", "else"}
# Tokens a unary sign can follow (so ``-`` after one is a sign, not a subtraction).
_LOW = set("+ - = ( [ , ? : < > <= >= == != && || return += -= *= /= %=".split())


def floor_mod(line: str) -> str:
    """Every ``a % b`` in a Java line written ``((a % b + b) % b)``: Python's ``%`` takes the sign
    of the divisor (``-0.5 % 1.0 == 0.5``), Java's that of the dividend (``-0.5``)."""
    tokens = _TOKEN.findall(line)
    k = 0
    while k < len(tokens):
        if tokens[k] != "%":
            k += 1
            continue
        left = _operand_before(tokens, k)
        right = _operand_after(tokens, k + 1)
        if left < 0 or right < 0:
            return line
        a, b = " ".join(tokens[left:k]), " ".join(tokens[k + 1 : right])
        rewritten = ["(", "(", a, "%%", b, "+", b, ")", "%%", b, ")"]
        tokens[left:right] = rewritten
        k = left + len(rewritten)
    return _join(tokens).replace("%%", "%")


def _group_start(tokens: list[str], end: int) -> int:
    """The index of the bracket opening the one closed at ``end``."""
    depth = 0
    for i in range(end, -1, -1):
        depth += 1 if tokens[i] in ")]" else -1 if tokens[i] in "([" else 0
        if depth == 0:
            return i
    return -1


def _operand_before(tokens: list[str], k: int) -> int:
    """Where the left operand of the ``%`` at ``k`` starts: a chain of ``*``, ``/``, ``%`` over
    postfix expressions, with a leading unary sign (Java binds ``-a % b`` as ``(-a) % b``)."""
    i = k - 1
    while True:
        start = _postfix_start(tokens, i)
        if start < 0:
            return -1
        if start > 1 and tokens[start - 1] in ("*", "/", "%"):
            i = start - 2
            continue
        if start > 0 and tokens[start - 1] in ("-", "+", "!") and (start == 1 or tokens[start - 2] in _LOW):
            start -= 1
        return start


def _postfix_start(tokens: list[str], i: int) -> int:
    """Where the postfix expression (a name, literal or bracket group, with its calls and
    indexes) that ends at ``i`` starts."""
    if i < 0:
        return -1
    if tokens[i] in (")", "]"):
        j = _group_start(tokens, i)
        if j < 0:
            return -1
        before = tokens[j - 1] if j > 0 else ""
        if before in (")", "]") or (re.fullmatch(r"[\w.]+", before) and before not in _KEYWORDS):
            return _postfix_start(tokens, j - 1)
        return j
    return i if re.fullmatch(r"[\w.]+", tokens[i]) else -1


def _operand_after(tokens: list[str], k: int) -> int:
    """Where the right operand of a ``%`` that starts at ``k`` ends (exclusive)."""
    i = k
    while i < len(tokens) and tokens[i] in ("-", "+", "!"):
        i += 1
    if i >= len(tokens):
        return -1
    if tokens[i] == "(":
        depth = 0
        for j in range(i, len(tokens)):
            depth += 1 if tokens[j] in "([" else -1 if tokens[j] in ")]" else 0
            if depth == 0:
                return j + 1
        return -1
    if re.fullmatch(r"[\w.]+", tokens[i]):
        if i + 1 < len(tokens) and tokens[i + 1] in ("(", "["):
            return _operand_after(tokens, i + 1)
        return i + 1
    return -1


def _join(tokens: list[str]) -> str:
    text = " ".join(tokens)
    text = re.sub(r"\( ", "(", text)
    text = re.sub(r" \)", ")", text)
    text = re.sub(r"\b(\w+) \(", lambda m: m.group(0) if m.group(1) in _KEYWORDS else f"{m.group(1)}(", text)
    text = re.sub(r"([\w)\]]) \[", r"\1[", text)
    text = re.sub(r" ([,;\]])", r"\1", text)
    return re.sub(r"\[ ", "[", text)


def _balanced(text: str) -> bool:
    """Brackets closed in order and no string literal left open."""
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
    if text.count('"') % 2:
        return False
    depth: list[str] = []
    for ch in text:
        if ch in "([{":
            depth.append(")]}"["([{".index(ch)])
        elif ch in ")]}" and (not depth or depth.pop() != ch):
            return False
    return not depth


def _additive_prefixes(statement: str) -> list[str]:
    """An assignment cut before each top-level binary ``+``/``-`` of its value: SmolLM2 often
    writes the statement right and runs on (``p = v * (1.0 - s) - s;``)."""
    m = re.match(r"\s*[\w.\[\]]+\s*=(?!=)", statement)
    if m is None:
        return []
    value = statement[m.end() :].rstrip().removesuffix(";")
    cuts, depth, previous = [], 0, ""
    for i, ch in enumerate(value):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif (
            ch in "+-"
            and depth == 0
            and (previous.isalnum() or previous in ")]._")
            and not re.search(r"(?<![\w.])\d[\d.]*[eE]$", value[:i])  # 1e-5: an exponent
        ):
            if value[:i].strip():
                cuts.append(f"{statement[: m.end()]}{value[:i].rstrip()};")
        if not ch.isspace():
            previous = ch
    return cuts


def condition(text: str) -> str | None:
    """The condition of an ``if`` line as a parenthesized Java expression: ``} else if (x > 0) {``
    and ``if x > 0:`` both give ``(x > 0)``."""
    text = re.sub(r"^\}?\s*(else\s+)?(el)?if\b\s*", "", text.strip())
    if text.startswith("("):
        end = closing_bracket(text, 0)
        return text[: end + 1] if end > 0 else None
    text = re.sub(r"\s*[:{]\s*$", "", text)
    return f"({text})" if text else None


def candidates(step: Step, answers: Sequence[str], returns: str) -> list[str]:
    """The statement (or the test, parenthesized) of each answer, and its repaired variants, in
    answer order, without repeats."""
    out: list[str] = []
    for answer in answers:
        line = answer.strip().strip("`").strip().split("\n", 1)[0].strip()
        if not line:
            continue
        if step.kind in ("if", "elif"):
            base = condition(line)
        else:
            base = _DECLARED.sub("", line).rstrip(";").rstrip() + ";"
            if step.kind == "return" and not base.startswith("return"):
                continue
            if step.kind == "assign" and not re.match(rf"{re.escape(step.target)}\s*[-+*/%]?=", base):
                continue
        if base is None or not _balanced(base):
            continue  # a cut-off answer: javac's errors after it would name the next candidates
        variants = [base]
        if step.kind == "return" and returns.endswith("[]"):
            fixed = tuple_return_as_array(base, returns)
            variants = [fixed.text.strip() if fixed else base]
        if (math := math_builtins(variants[0])) != variants[0]:
            variants.append(math)
        if step.kind == "assign":
            variants += [cut for v in variants for cut in _additive_prefixes(v)]
        if "int(" not in step.python:
            # An integer cast where Python converts nothing: the model's habit, not the code's.
            variants += [v2 for v in variants if (v2 := _INT_CAST.sub("", v)) != v]
        if step.mod:
            variants += [floor_mod(v) for v in variants if "%" in v]
        out += variants
    return list(dict.fromkeys(out))


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
    for _ in range(20):  # javac names a few errors per run (verify/toolchains.py keeps the first)
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
    from codexcli.verify.line_trace import trace_lines
    from codexcli.verify.lookup import find_function

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
