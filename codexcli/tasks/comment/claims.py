"""More of a docstring's claims held against the code (used by tasks/comment/facts.py).

* **sentence**: the summary is a sentence, not a comment line of the file (``# Parameters:``)
  or a stray symbol: it starts with a letter or a backticked name.
* **literals**: a quoted value in the docstring (``"strict"``, ``'-'``) is a claim of an exact
  value, so it must appear in the function's code; a made-up error message does not.
* **raises complete**: every exception the function's own ``raise`` statements raise (and it does
  not catch) is named, or a base class of it is: a docstring that leaves out what a caller must
  catch is only partly true. Asserts and builtin operations' exceptions are not required.
* **no loops**: the docstring does not say the same words three times in a row.
"""

from __future__ import annotations

import re

from codexcli.splice.docstring import DocTarget
from codexcli.tasks.comment.codefacts import exception_ancestors, function_node, own_raises

# A quoted value: the quote not inside a word (so "caller's" and "it's" are not quotes).
_QUOTED = re.compile(r"""(?<![\w'"])(?:"([^"\n]{1,80})"|'([^'\n]{1,80})')(?![\w'"])""")
_DOCTEST = re.compile(r"^\s*(>>>|\.\.\.)")


def check_sentence(summary: str) -> tuple[str | None, str]:
    """(why the summary is not a sentence, or None; the fact checked)."""
    first = summary.lstrip()[:1]
    if not (first.isalpha() or first == "`"):
        return f"the summary {summary[:40]!r} is not a sentence (it starts with {first!r})", ""
    return None, ""


def quoted_values(doc: str) -> list[str]:
    """The quoted values of ``doc``'s prose (doctest lines and their outputs aside)."""
    prose = []
    in_example = False
    for line in doc.split("\n"):
        if _DOCTEST.match(line):
            in_example = True
            continue
        if in_example and line.strip():
            continue  # a doctest's expected output
        in_example = False
        prose.append(line)
    return [a or b for a, b in _QUOTED.findall("\n".join(prose))]


def check_literals(doc: str, target: DocTarget) -> tuple[str | None, str]:
    """(why a quoted value is not the code's, or None; the fact checked)."""
    values = quoted_values(doc)
    missing = [v for v in values if v not in target.code]
    if missing:
        shown = ", ".join(repr(v) for v in missing[:3])
        return f"the docstring quotes {shown}, which is not in the code of `{target.name}`", ""
    return None, f"quoted values found in the code ({len(values)})" if values else ""


def check_raises_complete(named: list[str], target: DocTarget, source: str) -> tuple[str | None, str]:
    """(which exceptions ``target`` raises itself that the docstring's ``named`` ones leave out,
    or None; the fact checked)."""
    fn = function_node(target.code)
    if fn is None:
        return None, ""
    raised = own_raises(fn)
    left_out = sorted(r for r in raised if not any(n in exception_ancestors(r, source) for n in named))
    if left_out:
        return f"the docstring does not say that `{target.name}` raises {', '.join(left_out)}", ""
    return None, f"names every exception it raises ({', '.join(sorted(raised))})" if raised else ""


# A run of 2 to 8 words said three times in a row: a small model's loop ("the quotedata of the
# quotedata of the quotedata"). Runs of numbers ("0000 0000 ...") do not count. Checked on 967
# stdlib docstrings: none has one.
_LONGEST_LOOP = 8
_REPEATS = 3


def check_repetition(doc: str) -> tuple[str | None, str]:
    """(why ``doc`` repeats itself, or None; the fact checked)."""
    words = re.findall(r"\w+", doc.lower())
    for size in range(2, _LONGEST_LOOP + 1):
        for i in range(len(words) - _REPEATS * size + 1):
            run = words[i : i + size]
            if any(w.isalpha() for w in run) and all(
                words[i + k * size : i + (k + 1) * size] == run for k in range(1, _REPEATS)
            ):
                return f"the docstring repeats {' '.join(run)!r} {_REPEATS} times in a row", ""
    return None, ""
