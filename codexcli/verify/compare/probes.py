"""Evidence about a candidate function without trusting it: the examples its docstring gives,
and what it returns on inputs codex makes up, observed in the sandbox.

* ``docstring_examples`` reads doctest examples (``>>> f(1)`` / ``2``) and the informal ones
  people write (``f(1) == 2``, ``f(1) ➞ 2``, ``f(1) => 2``, ``f(1) returns 2``).
* ``probe_inputs`` makes argument tuples from those examples' arguments and from values for the
  parameters' type hints (verify/cases/inputs.py, the one input generator).
* ``probe`` runs one module in the sandbox: each example's verdict and, for each input, the repr
  of the result (or the exception's type), with a per-call time limit.
"""

from __future__ import annotations

import ast
import doctest
import json
import re
from dataclasses import dataclass
from typing import Sequence

from codexcli.verify.cases.inputs import InputCase, generated_cases
from codexcli.verify.sandbox import channel
from codexcli.verify.sandbox.sandbox import Limits

# How many made-up inputs a function is probed with, at most.
MAX_INPUTS = 12

_ARROWS = re.compile(r"^\s*(?:#\s*)?(?:==>|=>|➞|->|==|=|returns?|should return|-->)\s*")


@dataclass(frozen=True)
class Example:
    """A call of the function and the value the docstring says it returns (both source text)."""

    call: str
    expected: str


def _is_expression(text: str) -> bool:
    try:
        ast.parse(text, mode="eval")
    except SyntaxError:
        return False
    return True


def _call_end(text: str, start: int) -> int | None:
    """Index just past the parenthesis that closes the one at ``start``."""
    depth, quote = 0, ""
    for i in range(start, len(text)):
        ch = text[i]
        if quote:
            if ch == quote and text[i - 1] != "\\":
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                return i + 1
    return None


def _informal(docstring: str, name: str) -> list[Example]:
    found = []
    call_start = re.compile(rf"(?<![\w.]){re.escape(name)}\(")
    for line in docstring.splitlines():
        for match in call_start.finditer(line):
            end = _call_end(line, match.end() - 1)
            if end is None:
                continue
            call, rest = line[match.start() : end], line[end:]
            arrow = _ARROWS.match(rest)
            if arrow is None or not _is_expression(call):
                continue
            expected = _expected_value(rest[arrow.end() :])
            if expected is not None:
                found.append(Example(call, expected))
    return found


def _expected_value(text: str) -> str | None:
    """The value an informal example states, read leniently: ``5``, ``5.`` (end of sentence),
    ``24 # 21 + 3``, ``'No' (the name is bad)``, ``19 - 5 - 6 = 8`` (a worked sum: its result)."""
    text = text.strip()
    attempts = []
    for base in (text.split("#")[0].strip(), text, text.split(" (")[0].strip()):
        # "1." ending a sentence is the int 1, not the float 1.0.
        attempts += [base[:-1].rstrip(), base] if base.endswith(".") else [base]
    before, eq, after = text.rpartition("=")
    if eq and before.strip() and not before.rstrip().endswith(("=", "!", "<", ">")) and _is_expression(before.strip()):
        attempts.append(after.strip().rstrip("."))
    return next((a for a in attempts if a and _is_expression(a)), None)


# "For lst = [1, 2] the output should be 3", "For s = "ab", c = "a", the result should be ('b', False)"
_FOR_SHOULD = re.compile(
    r"^\s*For\s+(?P<args>\w+\s*=.*?)[,;\s]+the\s+(?:output|result|answer|return value)\s+"
    r"(?:should\s+be|will\s+be|is)\s*:?\s*(?P<want>.+)$",
    re.IGNORECASE,
)
_INPUT = re.compile(r"^\s*Input\s*:\s*(?P<args>\S.*)$", re.IGNORECASE)
_OUTPUT = re.compile(r"^\s*Output\s*:\s*(?P<want>\S.*)$", re.IGNORECASE)
_ASSIGNED = re.compile(r"\s*(\w+)\s*=\s*")


def _named_args(text: str, params: Sequence[str]) -> tuple[str, ...] | None:
    """Positional argument texts, in ``params`` order, from ``a = 1, b = "x"`` (every parameter
    named once; trailing prose after the last value is ignored), or from a bare value when the
    function takes one parameter. None when the text does not say that."""
    text = text.strip().rstrip(".,;")
    if len(params) == 1 and _is_expression(text) and not _ASSIGNED.match(text):
        return (text,)
    values: dict[str, str] = {}
    pos = 0
    while pos < len(text):
        match = _ASSIGNED.match(text, pos)
        if match is None:
            break  # prose after the values
        if match.group(1) not in params or match.group(1) in values:
            return None  # names a variable the function does not take: not its example
        start = match.end()
        # The longest piece up to a comma (or the end) that is one expression is the value.
        cuts = [i for i, ch in enumerate(text) if ch == "," and i > start] + [len(text)]
        value_end = next(
            (
                c
                for c in reversed(cuts)
                if _is_expression(text[start:c].strip()) and not _ASSIGNED.search(text[start:c].strip())
            ),
            None,
        )
        if value_end is None:
            return None
        values[match.group(1)] = text[start:value_end].strip()
        pos = value_end + 1
    if set(values) != set(params):
        return None
    return tuple(values[p] for p in params)


def _stated(docstring: str, name: str, params: Sequence[str]) -> list[Example]:
    """Examples stated in words: ``For x = 1 the output should be 2`` lines and
    ``Input: ...`` / ``Output: ...`` pairs (the LeetCode style), turned into calls."""
    if not params:
        return []
    found: list[Example] = []
    pending: tuple[str, ...] | None = None
    for line in docstring.splitlines():
        match = _FOR_SHOULD.match(line)
        if match:
            args, want = _named_args(match.group("args"), params), _expected_value(match.group("want"))
            if args is not None and want is not None:
                found.append(Example(f"{name}({', '.join(args)})", want))
            continue
        match = _INPUT.match(line)
        if match:
            pending = _named_args(match.group("args"), params)
            continue
        match = _OUTPUT.match(line)
        if match and pending is not None:
            want = _expected_value(match.group("want"))
            if want is not None:
                found.append(Example(f"{name}({', '.join(pending)})", want))
            pending = None
    return [ex for ex in found if _is_expression(ex.call)]


def docstring_examples(docstring: str, name: str, params: Sequence[str] = ()) -> list[Example]:
    """Examples of calling ``name`` that ``docstring`` gives with their expected results: doctests,
    else informal calls (``f(1) == 2``), else (given the parameter names) examples stated in
    words (``For x = 1 the output should be 2``, ``Input: x = 1`` / ``Output: 2``)."""
    examples: list[Example] = []
    try:
        parsed = doctest.DocTestParser().get_examples(docstring)
    except ValueError:  # malformed doctest (bad indentation)
        parsed = []
    for ex in parsed:
        call, want = ex.source.strip(), ex.want.strip()
        if name + "(" in call and want and _is_expression(call) and "\n" not in call:
            examples.append(Example(call, want))
    if not examples:
        examples = _informal(docstring, name)
    if not examples:
        examples = _stated(docstring, name, params)
    unique: dict[tuple[str, str], Example] = {}
    for found in examples:
        unique.setdefault((found.call, found.expected), found)
    return list(unique.values())


def _header_function(header: str, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    """The definition of function ``name`` in ``header`` (a signature and docstring, with or
    without a body), or None when it does not parse or has no such function."""
    try:
        tree = ast.parse(header if header.rstrip().endswith(("pass", "...")) else header + "    pass\n")
    except SyntaxError:
        return None
    return next(
        (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == name), None
    )


def _positional_params(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.arg]:
    return [a for a in fn.args.posonlyargs + fn.args.args if a.arg not in ("self", "cls")]


def function_docstring(header: str, name: str) -> str:
    """The docstring of function ``name`` in ``header`` (source text), or ''."""
    fn = _header_function(header, name)
    return (ast.get_docstring(fn) or "") if fn is not None else ""


def function_params(header: str, name: str) -> tuple[str, ...]:
    """The positional parameter names of function ``name`` in ``header`` (self/cls left out)."""
    fn = _header_function(header, name)
    return tuple(a.arg for a in _positional_params(fn)) if fn is not None else ()


# Inputs ----------------------------------------------------------------------------------------


def _call_args(call: str) -> tuple[str, ...] | None:
    """The positional argument texts of a call expression, None when it has keywords or stars."""
    try:
        node = ast.parse(call, mode="eval").body
    except SyntaxError:
        return None
    if not isinstance(node, ast.Call) or node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
        return None
    return tuple(ast.unparse(a) for a in node.args)


def probe_inputs(header: str, name: str, examples: Sequence[Example] = ()) -> list[tuple[str, ...]]:
    """Argument tuples (source texts) to compare candidates on: the examples' arguments first,
    then values the shared input generator (verify/cases/inputs.py) makes from the type hints, or from
    the types of the examples' arguments where there are none. [] when none can be made."""
    inputs: list[tuple[str, ...]] = []
    for ex in examples:
        args = _call_args(ex.call)
        if args is not None and args not in inputs:
            inputs.append(args)
    from_examples = [InputCase("(" + ", ".join(args) + ",)", origin="doctest") for args in inputs]
    fn = _header_function(header, name)
    if fn is None or isinstance(fn, ast.AsyncFunctionDef):
        return inputs[:MAX_INPUTS]
    # The signature only: the header's docstring is no code, its text no literal to test with.
    signature = ast.FunctionDef(name=fn.name, args=fn.args, body=[ast.Pass()], decorator_list=[], returns=fn.returns)
    for case in generated_cases(signature, from_examples, MAX_INPUTS):
        values = case.values()
        args = tuple(repr(v) for v in values[0]) if values is not None else None
        if args is not None and args not in inputs and len(inputs) < MAX_INPUTS:
            inputs.append(args)
    return inputs[:MAX_INPUTS]


# Probing ---------------------------------------------------------------------------------------

# The checker side (verify/sandbox/channel.py): only the trusted context loads here (the user's module
# around the candidate, with the probed function's body replaced; nothing when the whole module
# is the candidate's), so none of the candidate's code runs in this process; the function itself
# is a proxy to the candidate's process, and every comparison happens here. The result goes out
# on the verdict descriptor, which the candidate's process never has.
_PROBE = (
    channel.CHECKER
    + """
import ast, copy, io, json, math
spec = json.loads(open("probe.json", encoding="utf-8").read())
os.remove("probe.json")
sys.stdout = sys.stderr = io.StringIO()
sys.stdin = io.StringIO()

def _same(got, want):
    # Floats compare with a tolerance; otherwise equal values of the same type (True is not 1).
    if isinstance(got, float) and isinstance(want, (int, float)) and not isinstance(want, bool):
        return math.isclose(got, want, rel_tol=1e-6, abs_tol=1e-9)
    return type(got) is type(want) and got == want

def _hollow(module, name):
    # The module without the candidate's body: top-level ``name`` raises if module code calls it.
    tree = ast.parse(module)
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            node.body = ast.parse("raise RuntimeError('codex: called while loading')").body
    return compile(tree, "candidate.py", "exec")

result = {"loaded": False, "examples": [], "outputs": []}
deadline = time.monotonic() + spec["timeout"]
state = {"cand": None, "slow": 0}

def call(*args, **kwargs):
    # After two calls that ran out of time, assume the rest would too.
    if state["slow"] >= 2:
        raise CandidateFailed("timed out")
    if state["cand"] is None:
        state["cand"] = Candidate("candidate.py", spec["name"], deadline, "__codex_candidate__", spec["call_timeout"])
    try:
        return state["cand"](*args, **kwargs)
    except CandidateRaised:
        raise
    except CandidateFailed as exc:
        state["cand"].kill()
        state["cand"] = None
        if str(exc) == "timed out":
            state["slow"] += 1
        raise

ns = {"__name__": "__codex_candidate__"}
try:
    if spec["context"] is not None:
        exec(_hollow(spec["context"], spec["name"]), ns)
    ns[spec["name"]] = call
    state["cand"] = Candidate("candidate.py", spec["name"], deadline, "__codex_candidate__", spec["call_timeout"])
    result["loaded"] = True
except CandidateFailed as exc:
    result["error"] = str(exc).split(":")[0]
except BaseException as exc:
    result["error"] = type(exc).__name__
if result["loaded"]:
    for example_call, want in spec["examples"]:
        try:
            got = eval(example_call, ns)
            try:
                ok = not isinstance(got, Opaque) and _same(got, eval(want, dict(ns)))
            except BaseException:
                ok = False
            result["examples"].append(bool(ok) or repr(got) == want)
        except BaseException:
            result["examples"].append(False)
    for args in spec["inputs"]:
        try:
            values = eval("(" + ", ".join(args) + ",)", {})
            got = call(*copy.deepcopy(values))
            result["outputs"].append("=" + repr(got)[:2000])
        except CandidateRaised as exc:
            result["outputs"].append("!" + exc.kind)
        except CandidateFailed as exc:
            result["outputs"].append("!timeout" if str(exc) == "timed out" else "!crash")
        except BaseException as exc:
            result["outputs"].append("!" + type(exc).__name__)
os.write(_vfd, json.dumps(result).encode())
"""
)


@dataclass(frozen=True)
class Probe:
    """What one candidate did: a verdict per example and an observation per input.

    An observation is ``=repr(result)``, ``!ExceptionType`` or ``!timeout``; all are ``!crash``
    when the module could not even be loaded or the process died."""

    examples: tuple[bool, ...]
    outputs: tuple[str, ...]
    error: str | None = None

    @property
    def examples_passed(self) -> int:
        return sum(self.examples)


def probe(
    module: str,
    name: str,
    examples: Sequence[Example],
    inputs: Sequence[tuple[str, ...]],
    *,
    limits: Limits = Limits(timeout_s=10.0, memory_mb=512),
    call_timeout: float = 0.5,
    context: str | None = None,
) -> Probe:
    """Run ``module`` in the sandbox and observe function ``name`` on the examples and inputs.

    ``context`` is the code the checker may run to evaluate the examples' calls and expected
    values (names such as a user's class): the user's file around the candidate, whose function
    ``name`` is hollowed out there. None when all of ``module`` is the candidate's: then the
    examples see only the function and the builtins."""
    spec = {
        "context": context,
        "name": name,
        "call_timeout": call_timeout,
        "timeout": max(0.5, limits.timeout_s - 0.5),
        "examples": [[e.call, e.expected] for e in examples],
        "inputs": [list(a) for a in inputs],
    }
    result = channel.run_checker(
        _PROBE, files={"probe.json": json.dumps(spec)}, candidate_files={"candidate.py": module}, limits=limits
    )
    why = result.describe() if not result.ok else "the process exited before reporting"
    crashed = Probe(tuple(False for _ in examples), tuple("!crash" for _ in inputs), why)
    try:
        data = json.loads(result.verdict or "")
    except json.JSONDecodeError:
        return crashed
    if not isinstance(data, dict):
        return crashed
    if not data.get("loaded"):
        return Probe(crashed.examples, crashed.outputs, f"the module does not load: {data.get('error')}")
    return Probe(tuple(bool(x) for x in data["examples"]), tuple(str(x) for x in data["outputs"]))
