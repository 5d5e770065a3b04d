"""Calibrate `codex comment`'s grounding rule (tasks/comment/grounding.py) on real docstrings.

For every function, method and module of some stdlib modules (development modules only; the
held-out ones are never read), the true summary line is checked against its own code, and the
summary of another definition of the same module (a false docstring a model could have written)
against the same code. Prints both pass rates, and the true summaries that fail.

    .venv/bin/python -m benchmarks.bench_grounding [--show N]
"""

from __future__ import annotations

import argparse
import sysconfig
from pathlib import Path

from codexcli.splice.docstring import find_targets
from codexcli.tasks.comment.docstyle import DEFAULT_STYLE, detect_style
from codexcli.tasks.comment.facts import check_grounded, check_meaning, summary_grounding

# Development modules: the rule is tuned on these. Never datetime, calendar, bisect, string,
# textwrap, shlex, statistics, posixpath (held out for the test set).
DEV_MODULES = (
    "heapq",
    "fnmatch",
    "colorsys",
    "html/__init__",
    "quopri",
    "base64",
    "ipaddress",
    "graphlib",
    "difflib",
    "urllib/parse",
    "reprlib",
    "glob",
    "json/decoder",
    "json/encoder",
    "fractions",
    "pprint",
    "netrc",
    "mimetypes",
    "gettext",
)
HELD_OUT = {"datetime", "calendar", "bisect", "string", "textwrap", "shlex", "statistics", "posixpath"}


def _pairs(path: Path) -> list[tuple[object, str, str]]:
    """(target, its true summary, another target's summary) for each documented target."""
    source = path.read_text(encoding="utf-8")
    targets = [t for t in find_targets(source) if t.docstring and t.docstring.strip()]
    out = []
    for i, t in enumerate(targets):
        summary = t.docstring.strip().split("\n", 1)[0].strip()  # type: ignore[union-attr]
        others = [o for o in targets[i + 1 :] + targets[:i] if o.kind == t.kind and o.name != t.name]
        other = others[0].docstring.strip().split("\n", 1)[0].strip() if others else ""  # type: ignore[union-attr]
        out.append((t, summary, other))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--show", type=int, default=15, help="how many failing true summaries to print")
    args = parser.parse_args(argv)
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    true_pass = true_all = false_pass = false_all = far_pass = far_all = whole_pass = 0
    true_anchored = false_anchored = 0  # through check_grounded: grounded and naming the target
    previous: list[str] = []  # summaries of the module before: another module's words
    failing: list[str] = []
    for name in DEV_MODULES:
        assert name.split("/")[0] not in HELD_OUT
        path = stdlib / f"{name}.py"
        if not path.exists():
            continue
        source = path.read_text(encoding="utf-8")
        pairs = _pairs(path)
        for number, (target, summary, other) in enumerate(pairs):
            if previous:
                far_all += 1
                far_pass += summary_grounding(previous[number % len(previous)], target, source).ok  # type: ignore[arg-type]
            ok = summary_grounding(summary, target, source).ok  # type: ignore[arg-type]
            style = detect_style([target.docstring]) or DEFAULT_STYLE  # type: ignore[attr-defined]
            whole_pass += check_meaning(target.docstring, target, source, style).ok  # type: ignore[arg-type, attr-defined]
            true_all += 1
            true_pass += ok
            true_anchored += check_grounded(summary, target, source, str(path))[0] is None  # type: ignore[arg-type]
            if not ok:
                g = summary_grounding(summary, target, source)  # type: ignore[arg-type]
                failing.append(f"{name}:{target.qualname}: {summary!r} unfound {list(g.unfound)}")  # type: ignore[attr-defined]
            if other:
                false_all += 1
                false_pass += summary_grounding(other, target, source).ok  # type: ignore[arg-type]
                false_anchored += check_grounded(other, target, source, str(path))[0] is None  # type: ignore[arg-type]
        previous = [summary for _, summary, _ in pairs] or previous
    print(f"modules: {len(DEV_MODULES)} ({', '.join(DEV_MODULES)})")
    print(f"true summaries grounded: {true_pass}/{true_all} = {true_pass / max(true_all, 1):.1%}")
    print(f"true docstrings through every meaning check: {whole_pass}/{true_all} = {whole_pass / max(true_all, 1):.1%}")
    print(f"another target's summary grounded: {false_pass}/{false_all} = {false_pass / max(false_all, 1):.1%}")
    print(f"true summaries grounded and anchored: {true_anchored}/{true_all} = {true_anchored / max(true_all, 1):.1%}")
    print(
        f"another target's summary grounded and anchored: {false_anchored}/{false_all} = {false_anchored / max(false_all, 1):.1%}"
    )
    print(f"another module's summary grounded: {far_pass}/{far_all} = {far_pass / max(far_all, 1):.1%}")
    for line in failing[: args.show]:
        print("  fails:", line)


if __name__ == "__main__":
    main()
