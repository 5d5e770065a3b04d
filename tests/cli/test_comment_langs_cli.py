"""`codex comment` on JavaScript, TypeScript and Java files through the CLI (fake backend): folders,
--staged, files it does not document, files that do not parse, a grammar that is missing."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from codexcli.cli import app

pytest.importorskip("tree_sitter_java")

JS = "function twice(count) {\n  return count * 2;\n}\n"
JAVA = "public class Box {\n    static int area(int width, int height) {\n        return width * height;\n    }\n}\n"
ANSWERS = {
    "answers": [
        {
            "match": "`twice`",
            "answer": " Doubles the `count`.\n * @param count how many\n * @returns twice the count\n */",
        },
        {
            "match": "`Box.area`",
            "answer": " Computes the area from `width` and `height`.\n * @param width the width\n"
            " * @param height the height\n * @return the width times the height\n */",
        },
    ]
}


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CODEXCLI_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CODEX_BACKEND", "fake")
    (tmp_path / "answers.json").write_text(json.dumps(ANSWERS))
    monkeypatch.setenv("CODEX_FAKE_ANSWERS", str(tmp_path / "answers.json"))
    src = tmp_path / "src"
    (src / "node_modules" / "dep").mkdir(parents=True)
    (src / "twice.js").write_text(JS)
    (src / "Box.java").write_text(JAVA)
    (src / "node_modules" / "dep" / "index.js").write_text(JS)
    return tmp_path


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def test_a_folder_documents_its_javascript_and_java_files(env: Path) -> None:
    result = invoke("comment", "src", "--json", "--evidence", "meaning")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert sorted(f["path"] for f in report["files"]) == ["src/Box.java", "src/twice.js"]  # not node_modules
    styles = {f["path"]: f["style"] for f in report["files"]}
    assert styles == {"src/Box.java": "Javadoc", "src/twice.js": "JSDoc"}
    js = (env / "src" / "twice.js").read_text()
    assert js == "/**\n * Doubles the `count`.\n *\n * @param count how many\n * @returns twice the count\n */\n" + JS
    java = (env / "src" / "Box.java").read_text()
    assert (
        "    /**\n     * Computes the area" in java
        and java.replace(java[java.index("    /**") : java.index("    static")], "") == JAVA
    )
    assert (env / "src" / "node_modules" / "dep" / "index.js").read_text() == JS


def test_an_unsupported_file_is_one_line_and_stays_as_it_was(env: Path) -> None:
    (env / "x.rb").write_text("puts 1\n")
    result = invoke("comment", "x.rb")
    assert result.exit_code == 2
    assert "x.rb: not a supported file (.rb); codex comment documents Python" in result.output
    assert (env / "x.rb").read_text() == "puts 1\n"


def test_a_file_that_does_not_parse_is_an_error_naming_its_line(env: Path) -> None:
    bad = "function f( {\n  return 1;\n"
    (env / "bad.js").write_text(bad)
    result = invoke("comment", "bad.js", "src/twice.js", "--evidence", "meaning")
    assert result.exit_code == 2
    assert "bad.js:" in result.output and "syntax error (JavaScript)" in result.output
    assert (env / "bad.js").read_text() == bad
    assert (env / "src" / "twice.js").read_text() != JS  # the other file goes on


def test_a_missing_grammar_skips_the_file_saying_what_to_install(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from codexcli.index.treesitter import GrammarMissing
    from codexcli.tasks.comment import doctargets

    def missing(language: str, suffix: str = ""):
        raise GrammarMissing(f"no tree-sitter grammar for {language} is installed (pip install 'codexcli[index]')")

    monkeypatch.setattr(doctargets, "parser_for", missing)
    result = invoke("comment", "src/twice.js")
    assert result.exit_code == 1
    assert "src/twice.js: skipped: no tree-sitter grammar for javascript" in result.output
    assert "pip install" in result.output and (env / "src" / "twice.js").read_text() == JS
    assert invoke("comment", "src/twice.js", "--allow-skipped").exit_code == 0


def test_staged_documents_only_the_touched_functions_of_staged_files(env: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=env, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "--allow-empty", "-m", "start")
    two = JS + "\nfunction other(a) {\n  return a;\n}\n"
    (env / "src" / "twice.js").write_text(two)
    git("add", "src/twice.js")
    git("-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "-m", "js")
    grown = two + "\nfunction twiceAgain(count) {\n  return twice(twice(count));\n}\n"
    (env / "src" / "twice.js").write_text(grown)
    git("add", "src/twice.js")
    again = {
        "match": "`twiceAgain`",
        "answer": " Doubles `count` twice.\n * @param count how many\n * @returns it\n */",
    }
    (env / "answers.json").write_text(json.dumps({"answers": [again, *ANSWERS["answers"]]}))
    result = invoke("comment", "--staged", "--json", "--allow-skipped", "--evidence", "meaning")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    names = [t["name"] for f in report["files"] for t in f["targets"]]
    assert names == ["twiceAgain"]  # only the staged change; not `twice` or `other`


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_an_exported_function_gets_observed_examples_by_default(env: Path) -> None:
    module = env / "src" / "twice.js"
    module.write_text(JS + "module.exports = { twice };\n")
    assert invoke("comment", str(module), "--no-examples").exit_code != 0  # the model's prose is held back
    assert module.read_text() == JS + "module.exports = { twice };\n"
    result = invoke("comment", str(module), "--json")
    assert result.exit_code == 0, result.output
    (outcome,) = json.loads(result.stdout)["files"][0]["targets"]
    assert outcome["status"] == "documented" and outcome["evidence"]["level"] == "examples"
    text = module.read_text()
    assert "Examples of calls to `twice`" in text and "twice(" in text.split("@example", 1)[1]
