"""Effect of repository context on `generate --fill`, with the real embedded model; it prints the
figures.

    CODEX_THREADS=1 PYTHONPATH=. python benchmarks/bench_context.py [--package packaging] [-n 20]
        [--max-tokens 160] [--retries 1]

A copy of a real pure-Python package installed here (`packaging` by default) becomes a git
repository. Its functions and methods with docstring examples (``>>>``) and short bodies are
the samples (seeded choice): for each, the body is replaced by ``...`` in its file, the rest of
the repository stays as it is, and codex fills the stub twice with the same model, settings and
seed: with repository context (the index of the copy; nothing from the stub's own file) and
with --no-context. A fill counts as correct when the function's own docstring examples pass
(doctest, in a fresh interpreter). The original file is restored after each sample.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import doctest  # noqa: F401  (the check below runs doctest in a child interpreter)
import importlib.util
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from codexcli.backends import open_backend  # noqa: E402
from codexcli.config import load_settings  # noqa: E402
from codexcli.index.context import RepoContext  # noqa: E402
from codexcli.index.store import open_index  # noqa: E402
from codexcli.prompts import load_prompt  # noqa: E402
from codexcli.tasks.generate.fill import fill_stubs  # noqa: E402

CHECK = """
import doctest, importlib, sys
module = importlib.import_module(sys.argv[1])
obj = module
for part in sys.argv[2].split("."):
    obj = getattr(obj, part) if not isinstance(obj, dict) else obj[part]
    if isinstance(obj, property):
        obj = obj.fget
tests = doctest.DocTestFinder(recurse=False).find(obj, sys.argv[2], module=module, globs=vars(module).copy())
runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
for test in tests:
    runner.run(test, out=lambda s: None)
result = runner.summarize(verbose=False)
sys.exit(0 if result.attempted and not result.failed else 1)
"""


@dataclasses.dataclass(frozen=True)
class Sample:
    path: Path  # in the copy
    module: str
    qualname: str
    body_start: int  # first body line after the docstring (1-based)
    end: int
    indent: str


def samples_of(root: Path, package: str, max_lines: int) -> list[Sample]:
    out = []
    for file in sorted(root.rglob("*.py")):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        module = ".".join(file.relative_to(root.parent).with_suffix("").parts).removesuffix(".__init__")

        def visit(body: list[ast.stmt], prefix: str) -> None:
            for node in body:
                if isinstance(node, ast.ClassDef):
                    visit(node.body, f"{prefix}{node.name}.")
                elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    doc = ast.get_docstring(node) or ""
                    rest = node.body[1:]
                    if ">>>" in doc and rest and (node.end_lineno or 0) - node.lineno <= max_lines:
                        first = rest[0]
                        indent = " " * first.col_offset
                        out.append(
                            Sample(
                                file, module, prefix + node.name, first.lineno, node.end_lineno or first.lineno, indent
                            )
                        )

        visit(tree.body, "")
    return out


def stubbed(text: str, sample: Sample) -> str:
    lines = text.split("\n")
    return "\n".join(lines[: sample.body_start - 1] + [sample.indent + "..."] + lines[sample.end :])


def passes(copy_parent: Path, sample: Sample) -> bool:
    done = subprocess.run(
        [sys.executable, "-c", CHECK, sample.module, sample.qualname],
        cwd=copy_parent,
        capture_output=True,
        timeout=60,
    )
    return done.returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--package", default="packaging")
    parser.add_argument("-n", type=int, default=20)
    parser.add_argument("--max-lines", type=int, default=25)
    parser.add_argument("--max-tokens", type=int, default=160)
    parser.add_argument("--retries", type=int, default=1)
    args = parser.parse_args()
    spec = importlib.util.find_spec(args.package)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"package {args.package!r} is not installed here")
    source = Path(list(spec.submodule_search_locations)[0])
    settings = dataclasses.replace(load_settings(Path.cwd()), max_tokens=args.max_tokens, retries=args.retries)
    prompt = load_prompt("fill", settings.prompts_dir)
    with tempfile.TemporaryDirectory() as tmp:
        parent = Path(tmp)
        root = parent / args.package
        shutil.copytree(source, root, ignore=shutil.ignore_patterns("__pycache__"))
        subprocess.run(["git", "init", "-q", str(parent)], check=True)
        every = [s for s in samples_of(root, args.package, args.max_lines) if passes(parent, s)]
        random.Random(0).shuffle(every)
        chosen = every[: args.n]
        print(f"{args.package}: {len(every)} functions whose examples pass as written; {len(chosen)} chosen (seed 0)")
        index = open_index(parent)
        index.refresh()
        correct = {"context": 0, "no context": 0}
        filled = {"context": 0, "no context": 0}
        shown_total = 0
        seconds = {"context": 0.0, "no context": 0.0}
        with open_backend(settings) as backend:
            for sample in chosen:
                original = sample.path.read_text(encoding="utf-8")
                stub = stubbed(original, sample)
                row = []
                for label in ("no context", "context"):
                    sample.path.write_text(stub, encoding="utf-8")
                    repo = RepoContext(index, settings) if label == "context" else None
                    if repo is not None:
                        index.refresh()
                    start = time.perf_counter()
                    result = fill_stubs(
                        backend, prompt, stub, str(sample.path), settings, only=[sample.qualname], repo=repo
                    )
                    seconds[label] += time.perf_counter() - start
                    ok = False
                    if result.done:
                        filled[label] += 1
                        sample.path.write_text(result.after, encoding="utf-8")
                        ok = passes(parent, sample)
                    correct[label] += ok
                    if repo is not None:
                        shown_total += len(repo.shown.get((str(sample.path), sample.qualname), ()))
                    row.append(f"{label}: {'correct' if ok else ('filled, wrong' if result.done else 'skipped')}")
                sample.path.write_text(original, encoding="utf-8")
                print(f"  {sample.module}.{sample.qualname}: " + "; ".join(row), flush=True)
        index.close()
        n = len(chosen)
        print(f"correct fills: with context {correct['context']}/{n}, without {correct['no context']}/{n}")
        print(f"filled (verified by codex): with context {filled['context']}/{n}, without {filled['no context']}/{n}")
        print(f"definitions shown per sample with context: {shown_total / max(n, 1):.1f}")
        print(f"model seconds: with context {seconds['context']:.0f}, without {seconds['no context']:.0f}")


if __name__ == "__main__":
    main()
