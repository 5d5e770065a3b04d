"""`codex translate`, line by line: the plan of a Python function's body (one ``Step`` per line
of the method codex lays out) and the kinds of its locals, from the values they held.

Laid out: assignments to names (augmented too), ``a[i] = v``, ``return``, ``if``/``elif``/
``else``, ``while`` and ``for`` (over ``range`` or a list) with ``break``/``continue``,
``assert``, ``raise`` and tuple unpacking (``q, r = divmod(a, b)``, ``a, b = b, a + b``).
The statements the model is asked for are the assignments, returns and tests; codex writes
the loops' headers, the throws and the unpacking itself (tasks/translate/line_rules.py), and a
function with one it cannot write is not laid out.
"""

from __future__ import annotations

import ast
import re
from typing import Callable, Sequence

from codexcli.tasks.translate.kinds import observed_kind, value_kind
from codexcli.tasks.translate.line_inplace import call_statement, called, slot, slot_target
from codexcli.tasks.translate.line_lists import list_statement, mutated, popped
from codexcli.tasks.translate.line_nested import (
    dict_loop,
    dict_store,
    items_loop,
    loop_names,
    new_container,
    store_root,
)
from codexcli.tasks.translate.line_none import as_is, is_none, none_return, some, truth
from codexcli.tasks.translate.line_rules import as_float, expression, message, owned, repeated
from codexcli.tasks.translate.line_str import condition, iterable
from codexcli.tasks.translate.line_str import truth as str_truth
from codexcli.tasks.translate.line_str_args import partition_items
from codexcli.tasks.translate.line_syntax import LineSyntax
from codexcli.tasks.translate.line_text import Step
from codexcli.tasks.translate.line_trace import Event
from codexcli.tasks.translate.line_tuples import tuple_return, unpack
from codexcli.tasks.translate.mutation import VOID
from codexcli.tasks.translate.rendered import Rendered

_Function = ast.FunctionDef | ast.AsyncFunctionDef


def _numeric_mod(node: ast.AST) -> bool:
    """Whether ``node`` uses ``%`` other than on a string (formatting)."""
    return any(
        isinstance(n, ast.BinOp)
        and isinstance(n.op, ast.Mod)
        and not (isinstance(n.left, ast.Constant) and isinstance(n.left.value, str))
        and not isinstance(n.left, ast.JoinedStr)
        for n in ast.walk(node)
    )


def _body_lines(body: Sequence[ast.stmt]) -> tuple[int, int]:
    return body[0].lineno, body[-1].end_lineno or body[-1].lineno


def plan(fn: _Function, names: dict[str, str], source: str, void: bool = False) -> list[Step] | None:
    """The method's lines for ``fn``'s body, names as ``names``, statements as ``source`` spells them (SmolLM2
    copied ``v*(1.0 - s)`` more than ``v * (1.0 - s)``); None for a statement codex does not lay out."""

    def shown(node: ast.AST) -> str:
        segment = ast.get_source_segment(source, node) or ""
        for name, new in names.items():
            segment = re.sub(rf"(?<![\w.]){re.escape(name)}\b", new, segment)
        return " ".join(segment.split())

    out: list[Step] = []

    def walk(stmts: Sequence[ast.stmt], depth: int, loop: bool) -> bool:
        for s in stmts:
            if isinstance(s, ast.Pass) or (
                isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant) and isinstance(s.value.value, str)
            ):
                continue
            target = s.targets[0] if isinstance(s, ast.Assign) and len(s.targets) == 1 else None
            target = s.target if isinstance(s, ast.AugAssign) else target
            if isinstance(target, ast.Name):
                out.append(Step("assign", shown(s), s.lineno, depth, target.id, mod=_numeric_mod(s), node=s))
            elif isinstance(target, ast.Subscript) and (root := store_root(target)):  # a[i] = v, m[i][j] = v
                out.append(Step("store", shown(s), s.lineno, depth, root, mod=_numeric_mod(s), node=s))
            elif isinstance(target, ast.Tuple) and all(slot_target(e) for e in target.elts):
                out.append(Step("unpack", shown(s), s.lineno, depth, node=s))
            elif grown := mutated(s):  # xs.append(v), insert, pop (line_lists.py)
                out.append(Step("store", shown(s), s.lineno, depth, grown, node=s))
            elif isinstance(s, ast.Expr) and called(s.value, names):  # f(xs, i) for what it changes
                out.append(Step("call", shown(s), s.lineno, depth, node=s))
            elif isinstance(s, ast.Return):  # a bare return and return None: "none" (line_none.py)
                kind = "none" if is_none(s.value) else "return"
                out.append(Step(kind, shown(s), s.lineno, depth, mod=_numeric_mod(s), node=s))
            elif isinstance(s, ast.If):
                node, kind = s, "if"
                while True:
                    test = f"if {shown(node.test)}:"
                    branch = _body_lines(node.body)
                    out.append(
                        Step(kind, test, node.lineno, depth, branch=branch, mod=_numeric_mod(node.test), node=node)
                    )
                    if not walk(node.body, depth + 1, loop):
                        return False
                    if len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If):
                        node, kind = node.orelse[0], "elif"
                        continue
                    if node.orelse:
                        out.append(Step("else", depth=depth))
                        if not walk(node.orelse, depth + 1, loop):
                            return False
                    break
                out.append(Step("end", depth=depth))
            elif isinstance(s, ast.While) and not s.orelse:
                test = f"while {shown(s.test)}:"
                out.append(
                    Step("while", test, s.lineno, depth, branch=_body_lines(s.body), mod=_numeric_mod(s.test), node=s)
                )
                if not walk(s.body, depth + 1, True):
                    return False
                out.append(Step("end", depth=depth))
            elif isinstance(s, ast.For) and not s.orelse and (isinstance(s.target, ast.Name) or items_loop(s)):
                out.append(Step("for", shown(s.iter), s.lineno, depth, loop_names(s)[0], node=s))
                if not walk(s.body, depth + 1, True):
                    return False
                out.append(Step("end", depth=depth))
            elif isinstance(s, (ast.Break, ast.Continue)) and loop:
                out.append(Step("break" if isinstance(s, ast.Break) else "continue", line=s.lineno, depth=depth))
            elif isinstance(s, ast.Assert):
                out.append(Step("assert", f"if {shown(s.test)}:", s.lineno, depth, mod=_numeric_mod(s.test), node=s))
            elif isinstance(s, ast.Raise) and s.exc is not None:
                out.append(Step("raise", shown(s), s.lineno, depth, node=s))
            else:
                return False
        return True

    if not walk(fn.body, 0, False) or not (void or any(s.kind == "return" for s in out)):
        return None
    if not _terminates(fn.body):
        out.append(Step("fallthrough"))  # Python returns None at the end; the target needs a statement
    return out


def _terminates(stmts: Sequence[ast.stmt]) -> bool:
    """Whether a block always ends in a ``return`` or ``raise`` (Java rejects a statement after
    it as unreachable; otherwise the method needs codex's closing one)."""
    last = stmts[-1] if stmts else None
    if isinstance(last, (ast.Return, ast.Raise)):
        return True
    if isinstance(last, ast.If):
        return bool(last.orelse) and _terminates(last.body) and _terminates(last.orelse)
    if isinstance(last, ast.While) and isinstance(last.test, ast.Constant) and last.test.value is True:
        return not any(isinstance(n, ast.Break) for n in ast.walk(last))  # while True: exits only by return
    return False


def assigned(steps: Sequence[Step]) -> set[str]:
    """The names the steps assign, store into or unpack to (Rust rebinds such parameters ``mut``)."""
    found = {s.target for s in steps if s.target}
    for s in steps:
        if s.kind == "unpack" and s.node is not None:
            found |= {t.id for t in ast.walk(s.node) if isinstance(t, ast.Name) and isinstance(t.ctx, ast.Store)}
    return found


def constant_kinds(source: str) -> dict[str, str]:
    """The kinds of the module's constants codex can evaluate (tasks/translate/sig.py writes
    them, under their own names): ``DAYS = [31, 28]`` -> ``int[]``."""
    from codexcli.tasks.translate.sig import evaluated_constants

    constants = ast.Module([n for n in ast.parse(source).body if isinstance(n, (ast.Assign, ast.AnnAssign))], [])
    found = evaluated_constants(ast.unparse(constants)) or []
    return {name: kind for name, value in found if (kind := value_kind(value)) is not None}


def local_kinds(
    steps: Sequence[Step], params: Sequence[str], calls: Sequence[Sequence[Event]], floating: bool
) -> dict[str, str] | None:
    """A kind for every local the method assigns (not its parameters), from the values it held
    in the trace; in a function returning floats, an int local or one never seen is a float
    (Python mixes ints into float math). None when one holds anything else."""
    assigned = [s.target for s in steps if s.kind in ("assign", "for") and s.target]
    for s in steps:
        if s.kind == "unpack" and isinstance(s.node, ast.Assign) and isinstance(s.node.targets[0], ast.Tuple):
            assigned += [e.id for e in s.node.targets[0].elts if isinstance(e, ast.Name)]
        if s.kind == "for" and isinstance(s.node, ast.For):
            assigned += loop_names(s.node)  # for k, v in d.items() (line_nested.py)
    kinds: dict[str, str] = {}
    for name in dict.fromkeys(n for n in assigned if n not in params):
        seen = [e.names[name] for events in calls for e in events if e.names and name in e.names]
        kind = observed_kind(seen) if seen else ("float" if floating else None)
        if kind is None:
            return None
        if floating and kind.startswith("int"):
            kind = "float" + kind[3:]
        kinds[name] = kind
    return kinds


def lay_out(
    steps: Sequence[Step],
    kinds: dict[str, str],
    returns: str,
    syntax: LineSyntax,
    names: dict[str, str],
    calls: dict[str, str],
) -> list[Step] | None:
    """``steps`` with codex's text for what it writes (loop headers, throws, unpacking) and its
    own candidate (``rule``) for each statement a rule covers; None when a step codex must write
    has no rule. ``kinds``: every parameter's, local's and constant's kind; ``returns``: the
    return kind."""
    from dataclasses import replace

    def render_full(node: ast.expr) -> Rendered | None:
        return expression(node, kinds, syntax, names, calls)

    def render_owned(node: ast.expr) -> Rendered | None:  # an item stored whole: a copy where the target needs one
        found = render_full(node)
        return None if found is None else replace(found, text=owned(found, syntax))

    def render(node: ast.expr) -> str | None:
        found = render_full(node)
        return found.text if found is not None else None

    def test(node: ast.expr) -> str | None:  # a str, number or list as a test: its truth (line_str.py)
        if (present := truth(node, kinds, syntax, names, lambda v: str_truth(v, syntax))) is not None:
            return present  # if x: x nullable (line_none.py)
        return condition(node, _strict(kinds, syntax, names, calls), syntax)

    if any(k.endswith("?") and k[:-1] not in syntax.nullable for k in kinds.values()):
        return None  # a nullable the target has no type for
    out: list[Step] = []
    for k, step in enumerate(steps):
        node, rule, text = step.node, "", ""
        if step.kind in ("if", "elif", "while") and isinstance(node, (ast.If, ast.While)):
            rule = _paren(test(node.test))
        elif step.kind == "assert" and isinstance(node, ast.Assert):
            rule = _paren(test(node.test))
            text = syntax.assert_throw.format(msg=message(node.msg))
        elif step.kind == "raise" and isinstance(node, ast.Raise):
            text = syntax.throw.format(msg=message(node.exc))
        elif step.kind in ("break", "continue"):
            text = f"{step.kind};"
        elif step.kind == "none" or (step.kind == "fallthrough" and (returns == VOID or none_return(returns, syntax))):
            step = replace(step, kind="none")  # return None, or the end reached (line_none.py)
            text = "return;" if returns == VOID else none_return(returns, syntax)
            if not text:
                return None
        elif step.kind == "return" and isinstance(node, ast.Return) and node.value is not None:
            rule = _return(node.value, kinds, returns, syntax, names, calls)
        elif step.kind in ("assign", "store") and isinstance(node, (ast.Assign, ast.AugAssign)):
            rule = _assign(node, kinds, syntax, names, calls)
        elif step.kind == "store" and isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            rule = list_statement(node.value, step.target, kinds, syntax, names, render_owned)
        elif step.kind == "unpack" and isinstance(node, ast.Assign):
            text = _unpack(node, kinds, syntax, names, calls, k) or ""
            if not text:
                return None
        elif step.kind == "call" and isinstance(node, ast.Expr):
            if not (text := call_statement(node.value, kinds, syntax, names, calls)):
                return None
        elif step.kind == "for" and isinstance(node, ast.For):
            text = _for(node, kinds, syntax, names, calls, k) or ""
            if not text:
                return None
        out.append(replace(step, rule=rule or "", text=text))
    return out


def lay_out_wrapped(
    steps: Sequence[Step], kinds: dict[str, str], returns: str, syntax: LineSyntax, *names_calls: dict[str, str]
) -> list[Step] | None:
    """``lay_out``, each rule that indexes a list with a second candidate (``wrapped``) where
    a negative index counts from the end, as Python's does (``heap[-1]``); checked after the
    plain one on the statement's states, so it is chosen only where the plain one fails.
    ``names_calls``: lay_out's ``names`` and ``calls``."""
    from dataclasses import replace

    laid = lay_out(steps, kinds, returns, syntax, *names_calls)
    if laid is None or not syntax.index_wrapped:
        return laid
    other = lay_out(steps, kinds, returns, replace(syntax, index=syntax.index_wrapped), *names_calls) or laid
    return [replace(s, wrapped=o.rule) if o.rule != s.rule else s for s, o in zip(laid, other)]


def _strict(
    kinds: dict[str, str], syntax: LineSyntax, names: dict[str, str], calls: dict[str, str]
) -> Callable[[ast.expr], Rendered]:
    """A renderer that raises where ``expression`` has no rule (line_str.condition's ``go``)."""

    def go(node: ast.expr) -> Rendered:
        found = expression(node, kinds, syntax, names, calls)
        if found is None:
            raise KeyError("no rule")
        return found

    return go


def _paren(text: str | None) -> str:
    if text is None:
        return ""
    return text if text.startswith("(") and text.endswith(")") and _closes_at_end(text) else f"({text})"


def _closes_at_end(text: str) -> bool:
    depth = 0
    for i, ch in enumerate(text):
        depth += 1 if ch == "(" else -1 if ch == ")" else 0
        if depth == 0 and i < len(text) - 1:
            return False
    return True


def _return(
    value: ast.expr,
    kinds: dict[str, str],
    returns: str,
    syntax: LineSyntax,
    names: dict[str, str],
    calls: dict[str, str],
) -> str:
    mixed = tuple_return(value, returns, syntax, lambda n: expression(n, kinds, syntax, names, calls))
    if mixed is not None:
        return mixed  # return a, b of mixed kinds (line_tuples.py)
    if isinstance(value, ast.Tuple) and returns.endswith("[]"):
        items = [expression(e, kinds, syntax, names, calls) for e in value.elts]
        if any(i is None for i in items):
            return ""
        floats = returns == "float[]"
        joined = ", ".join((as_float(i, syntax) if floats else i).text for i in items if i is not None)
        return f"return {syntax.tuple_return.format(type=syntax.type_of(returns), items=joined)};"
    if same := as_is(value, returns, kinds, syntax, names):  # return x, x nullable (line_none.py)
        return f"return {same};"
    found = expression(value, kinds, syntax, names, calls)
    kind = returns.removesuffix("?")  # a nullable's value (line_none.py)
    if found is None or (found.kind != kind and not (found.kind == "int" and kind == "float")):
        return ""
    return f"return {some(_value(found, kind, value, syntax), returns, syntax)};"


def _value(found: Rendered, kind: str, node: ast.expr, syntax: LineSyntax) -> str:
    """A value assigned or returned as ``kind``: an int made a float where the target does not
    convert it (Rust), a list or str named whole copied where the target moves it (Rust)."""
    if kind == "float":
        return as_float(found, syntax).text
    return owned(found, syntax) if isinstance(node, ast.Name) else found.text


def _assign(
    node: ast.Assign | ast.AugAssign,
    kinds: dict[str, str],
    syntax: LineSyntax,
    names: dict[str, str],
    calls: dict[str, str],
) -> str:
    if put := dict_store(node, kinds, syntax, lambda n: expression(n, kinds, syntax, names, calls)):
        return put  # d[k] = v (line_nested.py)
    target = node.targets[0] if isinstance(node, ast.Assign) else node.target
    value = node.value if isinstance(node, ast.Assign) else ast.BinOp(target, node.op, node.value)
    left = expression(target, kinds, syntax, names, calls) if isinstance(target, (ast.Name, ast.Subscript)) else None
    right = expression(value, kinds, syntax, names, calls)
    name = target.id if isinstance(target, ast.Name) and kinds.get(target.id, "").endswith("?") else ""
    if name and is_none(value) and syntax.none:
        return f"{names.get(name, name)} = {syntax.none};"  # x = None (line_none.py)
    if name and (same := as_is(value, kinds[name], kinds, syntax, names)):
        return f"{names.get(name, name)} = {same};"
    if name and left is not None and right is not None:  # a nullable is assigned its value wrapped, not unwrapped
        if not (right.kind == left.kind or (left.kind, right.kind) == ("float", "int")):
            return ""
        return f"{names.get(name, name)} = {some(_value(right, left.kind, value, syntax), kinds[name], syntax)};"
    if left is not None and right is None and (pop := popped(value, left.kind, kinds, syntax, names)):
        return pop.replace("{x}", left.text)  # x = xs.pop() (line_lists.py)
    if left is not None and right is None and (left.kind.endswith("[][]") or left.kind.startswith("dict[")):
        render = lambda n: expression(n, kinds, syntax, names, calls)  # noqa: E731
        return new_container(value, left.kind, left.text, syntax, render, node.lineno)  # line_nested.py
    if left is not None and right is None and left.kind.endswith("[]"):
        new = repeated(value, left.kind, kinds, syntax, names)
        return f"{left.text} = {new};" if new else ""
    if left is None or right is None or not (right.kind == left.kind or (left.kind, right.kind) == ("float", "int")):
        return ""
    return f"{left.text} = {_value(right, left.kind, value, syntax)};"


def _unpack(
    node: ast.Assign, kinds: dict[str, str], syntax: LineSyntax, names: dict[str, str], calls: dict[str, str], k: int
) -> str | None:
    """``a, b = x, y`` through temporaries (both values before either is assigned); ``q, r =
    divmod(a, b)`` as floor division and modulo."""
    targets = node.targets[0].elts if isinstance(node.targets[0], ast.Tuple) else []
    value = node.value
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id == "divmod"
        and len(value.args) == 2
    ):
        values: list[ast.expr] = [ast.BinOp(value.args[0], op, value.args[1]) for op in (ast.FloorDiv(), ast.Mod())]
    elif isinstance(value, ast.Tuple):
        values = list(value.elts)
    elif (items := partition_items(value, len(targets))) is not None:  # a, sep, b = s.partition(x)
        values = items
    else:  # a, b = f(x) returning a tuple of mixed kinds (line_tuples.py)
        render = lambda n: expression(n, kinds, syntax, names, calls)  # noqa: E731
        return unpack(targets, value, syntax, render, lambda t: slot(t, kinds, syntax, names, calls), k)
    if len(values) != len(targets):
        return None
    parts = []
    for j, (t, v) in enumerate(zip(targets, values)):
        found = expression(v, kinds, syntax, names, calls)
        place = slot(t, kinds, syntax, names, calls)
        if place is None or found is None:
            return None
        text = _value(found, place[0], v, syntax)
        parts.append((f"codex_t{k}_{j}", syntax.type_of(place[0]), place[1], text))
    temps = " ".join(syntax.declare.format(type=type_, name=tmp, value=text) for tmp, type_, _, text in parts)
    return temps + " " + " ".join(f"{name} = {tmp};" for tmp, _, name, _ in parts)


def _for(
    node: ast.For, kinds: dict[str, str], syntax: LineSyntax, names: dict[str, str], calls: dict[str, str], k: int
) -> str | None:
    """The loop's header and the assignment of its variable (from a hidden counter, so the
    variable keeps its last value after the loop, as in Python)."""
    header = dict_loop(node, kinds, syntax, names, lambda n: expression(n, kinds, syntax, names, calls), k)
    if header is not None:  # for k in d, for k, v in d.items() (line_nested.py)
        return header or None
    var = node.target.id if isinstance(node.target, ast.Name) else ""
    if var not in kinds:
        return None
    hidden, it = f"codex_i{k}", node.iter
    assign = f" {names.get(var, var)} = {hidden};"
    if isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range" and 1 <= len(it.args) <= 3:
        args = [expression(a, kinds, syntax, names, calls) for a in it.args]
        if any(a is None or not syntax.integral(a.kind) for a in args) or not syntax.integral(kinds[var]):
            return None
        texts = [a.text for a in args if a is not None]
        start, stop, step = (
            ("0", texts[0], "1") if len(texts) == 1 else (texts[0], texts[1], texts[2] if len(texts) == 3 else "1")
        )
        step_node = it.args[2] if len(it.args) == 3 else None
        negative = isinstance(step_node, ast.UnaryOp) and isinstance(step_node.op, ast.USub)
        if step_node is not None and not negative and not isinstance(step_node, ast.Constant):
            return None  # a step whose sign is known only when it runs
        op = ">" if negative else "<"
        template = syntax.for_range_down if negative and syntax.for_range_down else syntax.for_range
        return template.format(hidden=hidden, start=start, stop=stop, step=step, op=op) + assign
    seq = expression(it, kinds, syntax, names, calls)
    if seq is not None and seq.kind == "str":  # for ch in s (line_str.py)
        seq = Rendered(*chars) if (chars := iterable(seq, syntax)) else None
    if seq is None or not seq.kind.endswith("[]") or kinds[var] != seq.kind[:-2]:
        return None
    return syntax.for_each.format(type=syntax.type_of(kinds[var]), hidden=hidden, seq=seq.text) + assign
