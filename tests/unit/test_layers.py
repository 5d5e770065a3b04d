"""codexcli's packages form layers: a package imports only packages of a lower rank.

The unit is a package directly under codexcli (``tasks``, ``verify``) or a top-level module
(``config``, ``errors``); ``codexcli`` itself is the package's ``__init__``. Imports are counted
at any depth, function-level ones included (a lazy import still couples the two), except under
``if TYPE_CHECKING:``. Packages of one rank are siblings and import none of each other, so the
package graph has no cycle. A new package gets a row in LAYERS; an import that breaks the order
means the code belongs lower (or the importer higher), not that the table needs an exception.
"""

from __future__ import annotations

from tests.unit.test_import_cycles import import_graph

# package -> rank. Read upwards: each rank uses only what is below it.
LAYERS: dict[str, int] = {
    # 0: no codexcli imports at all
    "codexcli": 0,  # __version__
    "errors": 0,
    "langspec": 0,
    "procs": 0,
    "safe_read": 0,
    "evidence": 0,  # how strongly a result is known right (levels, thresholds)
    # 1: settings and the language registry
    "config": 1,
    "languages": 1,
    # 2: pure helpers over those
    "answers": 2,  # code out of model text
    "model": 2,  # GGUF files, finding the model, adapters
    # 3: a Python module split into top-level segments (so big files cost what their edits cost)
    "pysegments": 3,
    # 4: file writes, and the engines' inputs and outputs
    "workspace": 4,
    "backends": 4,
    "data": 4,
    "splice": 4,
    # 5
    "gitio": 5,
    "cache": 5,
    "prompts": 5,
    # 6: what tasks are made of
    "index": 6,
    "journal": 6,  # what `codex undo` restores
    "verify": 6,
    # 7: tasks, and the doctor that checks their machinery
    "doctor": 7,
    "doctor_probe": 7,
    "tasks": 7,
    # 8: training on what the tasks ask
    "learn": 8,
    # 9: the language server (the same tasks, from an editor)
    "lsp": 9,
    # 10: the command line
    "cli": 10,
    "__main__": 11,
}


def package_of(module: str) -> str:
    """``codexcli.tasks.generate.fill`` -> ``tasks``; ``codexcli.config`` -> ``config``; ``codexcli`` -> itself."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def layer_violations(graph: dict[str, set[str]], layers: dict[str, int]) -> list[str]:
    """``importer -> imported`` for every module import that does not go to a lower rank."""
    out = []
    for module, imported in sorted(graph.items()):
        for target in sorted(imported):
            src, dst = package_of(module), package_of(target)
            if src != dst and layers[src] <= layers[dst]:
                out.append(f"{module} -> {target} ({src} {layers[src]} -> {dst} {layers[dst]})")
    return out


def test_every_package_has_a_layer():
    graph = import_graph()
    packages = {package_of(m) for m in graph}
    assert packages - set(LAYERS) == set(), "give these packages a rank in LAYERS"
    assert set(LAYERS) - packages == set(), "these rows name no package"


def test_no_package_imports_a_higher_or_sibling_one():
    violations = layer_violations(import_graph(), LAYERS)
    assert violations == [], "imports against the layer order:\n" + "\n".join(violations)


def test_layer_violations_names_upward_and_sibling_imports():
    graph = {
        "codexcli.tasks.generate.fill": {"codexcli.verify.static.names", "codexcli.tasks.common"},
        "codexcli.verify.static.names": {"codexcli.tasks.common", "codexcli.index.store"},
        "codexcli.index.store": set(),
    }
    layers = {"tasks": 2, "verify": 1, "index": 1}
    assert layer_violations(graph, layers) == [
        "codexcli.verify.static.names -> codexcli.index.store (verify 1 -> index 1)",
        "codexcli.verify.static.names -> codexcli.tasks.common (verify 1 -> tasks 2)",
    ]
