"""`codex comment` on JavaScript, TypeScript and Java (doc comments), with the fake backend and,
where installed, the real toolchains checking the written files."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from codexcli import languages
from codexcli.answers import ParseError
from codexcli.backends.fake import FakeBackend
from codexcli.config import Settings
from codexcli.langspec import resolve_tool
from codexcli.prompts import load_prompt
from codexcli.splice.body import Spliced, SpliceFailed
from codexcli.splice.doccomment import insert_comments, render_comment, shape
from codexcli.tasks.comment.doccomment import Comment, check_comment, comment_lines, read_comment
from codexcli.tasks.comment.doctargets import find_comment_targets, parse_function
from codexcli.tasks.comment.doctask import comment_other_source

pytest.importorskip("tree_sitter_javascript")

SETTINGS = Settings(backend="fake", retries=1)
JS = languages.get("javascript")
TS = languages.get("typescript")
JAVA = languages.get("java")

CLAMP = """const util = require('util');

// a helper
function clamp(value, low, high) {
  if (low > high) {
    throw new RangeError('low > high');
  }
  return Math.min(Math.max(value, low), high);
}

export const twice = (x) => x * 2;

/** Already documented. */
function done() {}

class Counter {
  bump(step) {
    this.count += step;
  }
}
"""

BOX = """public class Box {
    static int area(int width, int height) throws java.io.IOException {
        if (width < 0) throw new IllegalArgumentException("negative width");
        Runnable r = () -> { throw new IllegalStateException(); };
        return width * height;
    }

    void reset() {
        return;
    }
}
"""

CLAMP_DOC = (
    " Clamps the value between low and high.\n *\n * @param value the value to clamp\n"
    " * @param {number} low the low bound\n * @param high the high bound\n * @returns the value clamped\n"
    " * @throws {RangeError} when low is above high\n */"
)


def run(source: str, language, suffix: str, answers: list, **kw):
    """The model's prose is written at ``meaning`` here; the default ("examples") is tested alone."""
    kw.setdefault("evidence", "meaning")
    fake = FakeBackend(answers)
    result = comment_other_source(
        source,
        "f" + suffix,
        language,
        suffix,
        settings=SETTINGS,
        prompt=load_prompt("comment_doc"),
        backend=lambda: fake,
        **kw,
    )
    return result, fake


def rule(name: str, answer: str) -> dict:
    return {"match": f"`{name}`", "answer": answer}


def outside_comments(before: str, after: str) -> bool:
    """``after`` is ``before`` with whole lines inserted, each of them part of a /** */ block."""
    kept = [line for line in after.splitlines(keepends=True) if not line.lstrip().startswith(("/**", "*"))]
    return "".join(kept) == "".join(
        l for l in before.splitlines(keepends=True) if not l.lstrip().startswith(("/**", "*"))
    )


def test_targets_and_their_facts_in_javascript() -> None:
    targets = {t.qualname: t for t in find_comment_targets(CLAMP, JS, ".js")}
    assert list(targets) == ["clamp", "twice", "done", "Counter.bump"]
    clamp, twice, done, bump = targets.values()
    assert clamp.params == ("value", "low", "high") and clamp.returns_value and clamp.thrown == ("RangeError",)
    assert clamp.row == 3 and clamp.indent == "" and clamp.docstring is None
    assert twice.params == ("x",) and twice.returns_value and twice.row == 10  # in front of `export`
    assert done.docstring is not None and not done.returns_value
    assert bump.kind == "method" and bump.indent == "  " and not bump.returns_value


def test_targets_and_their_facts_in_java() -> None:
    area, reset = find_comment_targets(BOX, JAVA, ".java")
    assert area.qualname == "Box.area" and area.params == ("width", "height") and area.returns_value
    # Thrown by the body and declared; not what the lambda inside throws.
    assert area.thrown == ("IllegalArgumentException", "IOException")
    assert reset.qualname == "Box.reset" and not reset.returns_value and reset.thrown == ()


def test_typescript_parameters_and_arrow_bodies() -> None:
    src = "export function pick<T>(items: T[], index = 0, ...rest: number[]): T {\n  return items[index];\n}\n"
    src += "const { isArray } = Array;\nexport const head = ({ a }: { a: number }, b?: string) => a;\n"
    pick, head = find_comment_targets(src, TS, ".ts")
    assert pick.params == ("items", "index", "rest") and pick.returns_value
    assert head.params == ("b",) and head.returns_value  # a destructured parameter has no name to document


def test_read_comment_jsdoc_and_javadoc() -> None:
    comment = read_comment(CLAMP_DOC)
    assert isinstance(comment, Comment)
    assert comment.prose == ("Clamps the value between low and high.",)
    assert [n for n, _ in comment.params] == ["value", "low", "high"] and comment.params[1][1] == "the low bound"
    assert comment.returns == "the value clamped" and comment.throws == (("RangeError", "when low is above high"),)
    javadoc = read_comment("/**\n * Adds.\n * @param a one\n *   more\n * @throws java.io.IOException if not\n */")
    assert isinstance(javadoc, Comment) and javadoc.params == (("a", "one more"),)
    assert javadoc.throws == (("IOException", "if not"),)
    assert isinstance(read_comment(" @param a x\n"), ParseError)  # no summary
    assert "@example" in read_comment(" Adds.\n * @example add(1)\n").reason  # type: ignore[union-attr]


def test_comment_lines_are_canonical_per_language() -> None:
    comment = read_comment(CLAMP_DOC)
    assert isinstance(comment, Comment)
    assert comment_lines(comment, JS.doc_comment)[-2:] == [  # type: ignore[arg-type]
        "@returns the value clamped",
        "@throws {RangeError} when low is above high",
    ]
    assert comment_lines(comment, JAVA.doc_comment)[-2:] == [  # type: ignore[arg-type]
        "@return the value clamped",
        "@throws RangeError when low is above high",
    ]


def test_meaning_checks_hold_the_comment_against_the_code() -> None:
    clamp = find_comment_targets(CLAMP, JS, ".js")[0]
    good = read_comment(CLAMP_DOC)
    assert isinstance(good, Comment) and check_comment(good, clamp).ok
    wrong = read_comment(CLAMP_DOC.replace("{RangeError}", "{TypeError}"))
    assert check_comment(wrong, clamp).failed == "raises"  # type: ignore[arg-type]
    silent = read_comment(CLAMP_DOC.replace(" * @throws {RangeError} when low is above high\n", ""))
    assert "does not say" in str(check_comment(silent, clamp).failure)  # type: ignore[arg-type]
    other = read_comment(CLAMP_DOC.replace("Clamps the value between low and high", "Parses a date string"))
    assert check_comment(other, clamp).failed == "grounded"  # type: ignore[arg-type]


def test_insert_keeps_every_other_byte_and_the_syntax_tree() -> None:
    parse = parse_function(JS, ".js")
    crlf = CLAMP.replace("\n", "\r\n")
    done = insert_comments(crlf, {3: render_comment(["Clamps it.", "", "@param value v"], "", "\r\n")}, parse)
    assert isinstance(done, Spliced)
    assert done.text.replace("/**\r\n * Clamps it.\r\n *\r\n * @param value v\r\n */\r\n", "", 1) == crlf
    assert shape(parse(done.text.encode())) == shape(parse(crlf.encode()))
    # A "comment" that closes itself early changes the code: refused.
    broken = insert_comments(CLAMP, {3: "/** x */ let y = 1;\n"}, parse)
    assert isinstance(broken, SpliceFailed) and "syntax tree" in broken.reason
    assert isinstance(insert_comments(CLAMP, {99: "/** x */\n"}, parse), SpliceFailed)


def test_documents_javascript_with_meaning_and_holds_back_a_wrong_comment() -> None:
    wrong_twice = " Returns `x` parsed as a date.\n * @param x the input\n * @returns the date\n */"
    result, fake = run(
        CLAMP,
        JS,
        ".js",
        [
            rule("clamp", CLAMP_DOC),
            rule("twice", wrong_twice),
            rule("Counter.bump", " Adds `step` to the count.\n * @param step how much\n */"),
        ],
    )
    status = {o.target.qualname: o.status for o in result.outcomes}
    assert status == {"clamp": "documented", "twice": "below threshold", "Counter.bump": "documented"}
    assert result.outcomes[0].evidence.level == "meaning"
    assert "/**\n * Clamps the value between low and high.\n *\n * @param value" in result.after
    assert "  /**\n   * Adds `step` to the count.\n   *\n   * @param step how much\n   */\n  bump(step)" in result.after
    assert "parsed as a date" not in result.after and outside_comments(CLAMP, result.after)
    twice = result.outcomes[1]
    assert len(twice.attempts) > 2  # asked again (retries=1), then piece by piece; nothing passed
    assert "parsed as a date" in twice.candidate and twice.evidence.level == "form"
    assert "@throws {RangeError} <when>" in fake.requests[0].messages[-1].content  # the template names it


def test_a_rejected_greedy_answer_is_asked_again_sampled_and_the_retry_kept() -> None:
    answers = [" @param value v\n */", CLAMP_DOC]
    result, fake = run(CLAMP, JS, ".js", answers, only=["clamp"])
    assert result.outcomes[0].status == "documented" and len(result.outcomes[0].attempts) == 2
    assert "no summary line" in result.outcomes[0].attempts[0].error
    first, again = fake.requests
    assert first.temperature == 0.0 and again.temperature > 0 and again.seed != first.seed


def test_java_file_gets_javadoc_and_still_compiles(tmp_path: Path) -> None:
    area = (
        " Computes the area from the width and height.\n *\n * @param width the width\n"
        " * @param height the height\n * @return the width times the height\n"
        " * @throws IllegalArgumentException if the width is negative\n * @throws IOException never here\n */"
    )
    reset = " Resets the box.\n */"
    result, _ = run(BOX, JAVA, ".java", [rule("Box.area", area), rule("Box.reset", reset)])
    assert [o.status for o in result.outcomes] == ["documented", "documented"]
    assert "    /**\n     * Computes the area" in result.after and "     * @return the width" in result.after
    if shutil.which("javac") is None:
        pytest.skip("javac is not installed")
    (tmp_path / "Box.java").write_text(result.after)
    done = subprocess.run(["javac", "-d", str(tmp_path), str(tmp_path / "Box.java")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_written_javascript_and_typescript_pass_their_checkers(tmp_path: Path) -> None:
    result, _ = run(CLAMP, JS, ".js", [rule("clamp", CLAMP_DOC)], only=["clamp"])
    assert result.changed
    ts_src = "export function add(a: number, b: number): number {\n  return a + b;\n}\n"
    ts, _ = run(
        ts_src,
        TS,
        ".ts",
        [rule("add", " Adds `a` and `b`.\n * @param a one\n * @param b two\n * @returns the sum\n */")],
    )
    assert ts.outcomes[0].status == "documented", ts.outcomes[0].reason
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    js_file = tmp_path / "clamp.mjs"
    js_file.write_text(result.after.replace("const util = require('util');\n", ""))
    assert subprocess.run(["node", "--check", str(js_file)], capture_output=True).returncode == 0
    tsc = resolve_tool("tsc")
    if tsc is None:
        pytest.skip("tsc is not installed")
    (tmp_path / "add.ts").write_text(ts.after)
    done = subprocess.run([tsc, "--noEmit", str(tmp_path / "add.ts")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout


def test_documented_functions_are_skipped_even_with_overwrite() -> None:
    result, fake = run(CLAMP, JS, ".js", [], only=["done"])
    assert result.outcomes == () and not fake.requests and not result.changed
    result, fake = run(CLAMP, JS, ".js", [], only=["done"], overwrite=True)
    assert [o.status for o in result.outcomes] == ["skipped"] and "Python docstrings only" in result.outcomes[0].reason
    assert not fake.requests and not result.changed


def test_when_no_whole_answer_passes_the_comment_is_assembled_from_parts() -> None:
    pieces = ["@param value v\n */", "@param value v\n */", " Clamps the value between low and high"]
    pieces += [
        " the value to clamp",
        " the low bound",
        " the high bound",
        " {number} the value clamped",
        " when low > high",
    ]
    result, fake = run(CLAMP, JS, ".js", pieces, only=["clamp"])
    (outcome,) = result.outcomes
    assert outcome.status == "documented" and outcome.note.startswith("assembled:"), outcome.reason
    assert outcome.evidence.level == "meaning"
    assert fake.requests[3].prefill == "/**\n * Clamps the value between low and high.\n *\n * @param value"
    assert fake.requests[-1].prefill.endswith(" * @returns The value clamped.\n * @throws {RangeError}")
    assert " * @throws {RangeError} When low > high.\n */\nfunction clamp(" in result.after


def test_by_default_model_prose_is_held_back_below_examples() -> None:
    source = "function clamp(value, low, high) {\n  return Math.min(Math.max(value, low), high);\n}\n"
    answer = " Clamps `value` between `low` and `high`.\n * @param value the value\n"
    answer += " * @param low the low bound\n * @param high the high bound\n * @returns the value clamped\n */"
    result, _ = run(source, JS, ".js", [answer], evidence=None)
    assert result.after == source
    [outcome] = result.outcomes
    assert outcome.status == "below threshold" and "threshold 'examples'" in outcome.reason
