"""tasks/ is one package per task over what they share: a task package imports no other task
package, and the modules at tasks/ (what several tasks share) import none of them.

What several tasks share is a module at tasks/, or a package at tasks/ named in SHARED: it counts
as modules at tasks/ (it imports no task package). The one edge between task packages: ``eval``
-> ``generate`` (`codex eval` measures the --fill path, so it calls generate's own functions).
Anything else a second task needs belongs at tasks/ (or lower), not in the package of the task
that had it first.
"""

from __future__ import annotations

from tests.unit.test_import_cycles import import_graph

ALLOWED = {("eval", "generate")}
# Packages at tasks/ that are no task: calls of a JavaScript/TypeScript/Java module run in the
# sandbox (tasks/native/: testgen's tests and comment's observed examples).
SHARED = {"native"}


def task_package(module: str) -> str | None:
    """``codexcli.tasks.translate.lines`` -> ``translate``; a module at tasks/, or in a package
    of SHARED -> None."""
    parts = module.split(".")
    if len(parts) > 3 and parts[:2] == ["codexcli", "tasks"] and parts[2] not in SHARED:
        return parts[2]
    return None


def crossings(graph: dict[str, set[str]]) -> list[str]:
    """``importer -> imported`` for each import of a task package from outside it, by another
    task package (not ALLOWED) or by a module at tasks/."""
    out = []
    for module, imported in sorted(graph.items()):
        if not module.startswith("codexcli.tasks"):
            continue
        src = task_package(module)
        for target in sorted(imported):
            dst = task_package(target)
            if dst is not None and dst != src and (src, dst) not in ALLOWED:
                out.append(f"{module} -> {target}")
    return out


def test_task_packages_import_no_other_task_package():
    assert crossings(import_graph()) == []


def test_the_task_packages_are_seen():
    packages = {task_package(m) for m in import_graph()} - {None}
    assert {"generate", "comment", "testgen", "translate", "optimize", "eval"} <= packages


def test_crossings_are_found():
    graph = {
        "codexcli.tasks.comment.run": {"codexcli.tasks.translate.lang", "codexcli.tasks.pipeline"},
        "codexcli.tasks.comment.docexamples": {"codexcli.tasks.native.runner", "codexcli.tasks.testgen.native.node"},
        "codexcli.tasks.native.runner": {"codexcli.tasks.testgen.types", "codexcli.tasks.native.probes"},
        "codexcli.tasks.samples": {"codexcli.tasks.testgen.more"},
        "codexcli.tasks.eval.evaluate": {"codexcli.tasks.generate.fill"},
        "codexcli.cli.comment": {"codexcli.tasks.comment.run"},
    }
    assert crossings(graph) == [
        "codexcli.tasks.comment.docexamples -> codexcli.tasks.testgen.native.node",
        "codexcli.tasks.comment.run -> codexcli.tasks.translate.lang",
        "codexcli.tasks.native.runner -> codexcli.tasks.testgen.types",
        "codexcli.tasks.samples -> codexcli.tasks.testgen.more",
    ]
