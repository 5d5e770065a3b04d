"""A doc comment of examples codex observed by running the function: true by construction.

The JavaScript, TypeScript and Java side of tasks/comment/examples.py. When no comment the model
writes reaches the threshold (at the default, "examples", none can: its comments reach "meaning"
at most), a function codex can call (one `codex testgen` takes: an exported top-level JavaScript
or TypeScript function, a public Java method; tasks/native/targets.py) is documented by what it
does: codex's own calls of it (tasks/native/calls.py), run in the sandbox by the language's
harness (node, javac/java: tasks/native/), each shown with the value it returned when the
harness wrote that value as a literal of the language. A call is kept only when a second run, in
a fresh process, returns the same literal (a value of the clock or of an unseeded random number
is not); calls that run other lines come first. Its summary line says what it is; its evidence
is ``examples``, never a claim about meaning.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from codexcli.langspec import DocComment
from codexcli.languages import Language
from codexcli.tasks.comment.doctargets import CommentTarget
from codexcli.tasks.native.calls import Call, codex_calls
from codexcli.tasks.native.runner import Observed, Observer, observer_for
from codexcli.tasks.native.targets import CallTarget, call_targets

MAX_EXAMPLES = 3
MAX_LINE = 110  # a call and its value longer than this is not shown
TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Example:
    """One call as the comment shows it (``line``: ``call // => value``)."""

    call: str
    value: str
    line: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "line", f"{self.call} // => {self.value}")


def callable_target(source: str, path: str, language: Language, target: CommentTarget) -> CallTarget | None:
    """The call target of ``target`` (the same function), or None when codex cannot call it."""
    if language.tests is None or not Path(path).is_file():  # the calls run in a copy of its project
        return None
    try:
        found = call_targets(language.name, source, Path(path))
    except Exception:  # a grammar missing, a file testgen cannot read: no examples
        return None
    return next(
        (c for c in found if c.name == target.name and target.start <= c.first_line <= target.end),
        None,
    )


def observed_examples(
    source: str, path: str, language: Language, target: CommentTarget, limit: int = MAX_EXAMPLES
) -> list[Example]:
    """Up to ``limit`` examples of ``target`` observed in the sandbox, and repeated by a second
    run; [] when codex cannot call it, its toolchain is missing, or nothing renders."""
    spec = language.doc_comment
    called = callable_target(source, path, language, target)
    if called is None or spec is None:
        return []
    module = Path(path)
    observer = observer_for(language.name, module, source, TIMEOUT_S)
    if observer.missing() is not None:
        return []
    calls = codex_calls(called, language.name)
    seen = observer.observe(called, calls)
    picked = _pick(observer, called, calls, seen, spec, limit)
    if not picked:
        return []
    again = observer.observe(called, [call for call, _ in picked])
    return [example for (_, example), second in zip(picked, again) if _shown(second) == example.value]


def _shown(seen: Observed) -> str | None:
    """The value a call returned, as a literal of the language, or None (it threw, returned a
    promise or nothing, or its value has no literal)."""
    if seen.kind != "value" or seen.awaited or not seen.literal or seen.type == "void":
        return None
    return seen.literal


def _pick(
    observer: Observer,
    target: CallTarget,
    calls: Sequence[Call],
    seen: Sequence[Observed],
    spec: DocComment,
    limit: int,
) -> list[tuple[Call, Example]]:
    """The calls to show: greedily the one that runs the most lines not run yet, each value once."""
    candidates: list[tuple[Call, Example, frozenset[int]]] = []
    for call, obs in zip(calls, seen):
        value = _shown(obs)
        if value is None:
            continue
        example = Example(observer.call_text(target, call), value)
        if _fits(example.line, spec):
            candidates.append((call, example, obs.lines))
    picked: list[tuple[Call, Example]] = []
    run: set[int] = set()
    values: set[str] = set()
    kinds: set[str] = set()
    while candidates and len(picked) < limit:
        fresh = [c for c in candidates if c[1].value not in values]
        if not fresh:
            break
        best = max(fresh, key=lambda c: (len(c[2] - run), _kind(c[1].value) not in kinds, -candidates.index(c)))
        candidates.remove(best)
        picked.append((best[0], best[1]))
        run |= best[2]
        values.add(best[1].value)
        kinds.add(_kind(best[1].value))
    return picked


def _kind(literal: str) -> str:
    """What kind of value a literal is, roughly (its first character's class): examples of
    different kinds show more of what a function does."""
    head = literal[:1]
    return "number" if head.isdigit() or head == "-" else head


def _fits(line: str, spec: DocComment) -> bool:
    """Whether ``line`` can stand in the comment as it is: short, one line, nothing that ends the
    comment or that the language's doc tool reads, braces balanced (Javadoc's ``{@code}``)."""
    return (
        len(line) <= MAX_LINE
        and "\n" not in line
        and "\r" not in line
        and not any(bad in line for bad in spec.unsafe)
        and line.count("{") == line.count("}")
    )


def examples_comment(name: str, examples: Sequence[Example], spec: DocComment) -> list[str]:
    """The comment's lines (without ``/**``/``*/``): a summary line saying what the examples are,
    then the calls between the language's example lines."""
    summary = f"Examples of calls to {spec.code.format(name)} and the values they return, observed by running it."
    opening, closing = spec.examples
    return [summary, "", opening, *(e.line for e in examples), *([closing] if closing else [])]


def facts(examples: Sequence[Example]) -> str:
    """The evidence's facts for a comment of examples."""
    return f"{len(examples)} example call(s) observed by running the function in the sandbox, the same twice"
