"""Build the held-out sets of issue 32 (JavaScript, TypeScript, Java) from their sources.

    PYTHONPATH=. .venv/bin/python benchmarks/make_lang_sets.py [--check] [--npm DIR] [--jdk ZIP]

Sources: small utility packages installed from npm at the versions pinned in NPM below
(``npm install --prefix DIR name@version ...``; the command is printed when one is missing; never
npm's own bundled packages) and the JDK 17 sources of Debian's ``openjdk-17-source``
(/usr/lib/jvm/openjdk-17/lib/src.zip).

A JavaScript or TypeScript file is copied verbatim, less the ``/** ... */`` doc comment in front
of each chosen function (what ``codex comment`` writes; other comments stay). A Java file is a
class of its own (default package) holding, verbatim and in source order, the fields and methods
named of one JDK class, less their doc comments and the JDK-internal ``@IntrinsicCandidate`` and
``@Native`` annotations (the rest compiles with plain javac). Every file starts with a header naming its
source, version and license.

Then ``benchmarks/sets/lang.toml`` lists set -> file -> functions. With ``--check`` nothing is
written: every file is rebuilt and compared with the one committed, each chosen function is found
by tree-sitter, and each file is checked by its toolchain (node --check, tsc --noEmit, javac).
docs/heldout.md says how the files and functions were chosen (before codex ran on them).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETS_DIR = ROOT / "benchmarks" / "sets" / "lang"
MANIFEST = ROOT / "benchmarks" / "sets" / "lang.toml"
JDK_ZIP = Path("/usr/lib/jvm/openjdk-17/lib/src.zip")
JDK = "OpenJDK 17 (Debian openjdk-17-source), GPL-2.0 with the Classpath Exception"
NPM = {
    "ms": ("2.1.3", "MIT"),
    "bytes": ("3.1.2", "MIT"),
    "escape-html": ("1.0.3", "MIT"),
    "decamelize": ("6.0.1", "MIT"),
    "leven": ("4.1.0", "MIT"),
    "vary": ("1.1.2", "MIT"),
    "camelcase": ("9.0.0", "MIT"),
    "ts-dedent": ("2.3.0", "MIT"),
    "rxjs": ("7.8.2", "Apache-2.0"),
    "arrify": ("3.0.0", "MIT"),
    "escape-string-regexp": ("5.0.0", "MIT"),
    "indent-string": ("5.0.0", "MIT"),
    "kind-of": ("6.0.3", "MIT"),
    "left-pad": ("1.3.0", "WTFPL"),
    "parse-ms": ("4.0.0", "MIT"),
    "tiny-invariant": ("1.3.3", "MIT"),
}
LANG_OF = {".js": "javascript", ".mjs": "javascript", ".ts": "typescript", ".java": "java"}


@dataclass(frozen=True)
class Piece:
    """One file of a set: ``source`` is ``npm:<package>/<path>`` or ``jdk:<path in src.zip>``;
    ``chosen`` the functions codex works on; ``members`` (Java) the fields and methods copied,
    methods named with their parameter types, e.g. ``floorMod(int,int)``."""

    name: str
    source: str
    chosen: tuple[str, ...]
    members: tuple[str, ...] = ()


DEV = (
    Piece("ms.js", "npm:ms/index.js", ("parse", "fmtShort", "fmtLong", "plural")),
    Piece("bytes.js", "npm:bytes/index.js", ("bytes", "format", "parse")),
    Piece("escape_html.js", "npm:escape-html/index.js", ("escapeHtml",)),
    Piece("decamelize.mjs", "npm:decamelize/index.js", ("handlePreserveConsecutiveUppercase", "decamelize")),
    Piece("dedent.ts", "npm:ts-dedent/src/index.ts", ("dedent",)),
    Piece("arrRemove.ts", "npm:rxjs/src/internal/util/arrRemove.ts", ("arrRemove",)),
    Piece(
        "argsArgArrayOrObject.ts",
        "npm:rxjs/src/internal/util/argsArgArrayOrObject.ts",
        ("argsArgArrayOrObject", "isPOJO"),
    ),
    Piece(
        "IntegerBits.java",
        "jdk:java.base/java/lang/Integer.java",
        (
            "highestOneBit",
            "lowestOneBit",
            "numberOfLeadingZeros",
            "numberOfTrailingZeros",
            "bitCount",
            "rotateLeft",
            "rotateRight",
            "reverse",
            "signum",
            "reverseBytes",
        ),
        (
            "MIN_VALUE",
            "highestOneBit(int)",
            "lowestOneBit(int)",
            "numberOfLeadingZeros(int)",
            "numberOfTrailingZeros(int)",
            "bitCount(int)",
            "rotateLeft(int,int)",
            "rotateRight(int,int)",
            "reverse(int)",
            "signum(int)",
            "reverseBytes(int)",
        ),
    ),
    Piece(
        "MathExact.java",
        "jdk:java.base/java/lang/Math.java",
        ("addExact", "subtractExact", "multiplyExact", "toIntExact", "floorDiv", "floorMod", "absExact"),
        (
            "addExact(int,int)",
            "subtractExact(int,int)",
            "multiplyExact(int,int)",
            "toIntExact(long)",
            "floorDiv(int,int)",
            "floorMod(int,int)",
            "abs(int)",
            "absExact(int)",
        ),
    ),
)

TEST = (
    Piece("leven.mjs", "npm:leven/index.js", ("leven", "closestMatch")),
    Piece("vary.js", "npm:vary/index.js", ("append", "parse", "vary")),
    Piece(
        "camelcase.mjs",
        "npm:camelcase/index.js",
        (
            "preserveCamelCase",
            "preserveConsecutiveUppercase",
            "processWithCasePreservation",
            "postProcess",
            "camelCase",
        ),
    ),
    Piece("createObject.ts", "npm:rxjs/src/internal/util/createObject.ts", ("createObject",)),
    Piece("not.ts", "npm:rxjs/src/internal/util/not.ts", ("not",)),
    Piece("argsOrArgArray.ts", "npm:rxjs/src/internal/util/argsOrArgArray.ts", ("argsOrArgArray",)),
    Piece("isDate.ts", "npm:rxjs/src/internal/util/isDate.ts", ("isValidDate",)),
    Piece(
        "LongBits.java",
        "jdk:java.base/java/lang/Long.java",
        (
            "highestOneBit",
            "lowestOneBit",
            "numberOfLeadingZeros",
            "numberOfTrailingZeros",
            "bitCount",
            "reverse",
            "reverseBytes",
            "signum",
        ),
        (
            "MIN_VALUE",
            "highestOneBit(long)",
            "lowestOneBit(long)",
            "numberOfLeadingZeros(long)",
            "numberOfTrailingZeros(long)",
            "bitCount(long)",
            "reverse(long)",
            "signum(long)",
            "reverseBytes(long)",
        ),
    ),
    Piece(
        "CharSurrogates.java",
        "jdk:java.base/java/lang/Character.java",
        ("isHighSurrogate", "isLowSurrogate", "isSurrogate", "isSurrogatePair", "charCount", "toCodePoint"),
        (
            "MIN_HIGH_SURROGATE",
            "MAX_HIGH_SURROGATE",
            "MIN_LOW_SURROGATE",
            "MAX_LOW_SURROGATE",
            "MIN_SURROGATE",
            "MAX_SURROGATE",
            "MIN_SUPPLEMENTARY_CODE_POINT",
            "isHighSurrogate(char)",
            "isLowSurrogate(char)",
            "isSurrogate(char)",
            "isSurrogatePair(char,char)",
            "charCount(int)",
            "toCodePoint(char,char)",
        ),
    ),
)

# test2 (issue 32's examples comments), chosen by a rule before codex ran on it (docs/heldout.md):
# npm: small utility packages, each one main file, not in dev/test, not bundled with npm, pinned
# above; every top-level function declaration of that file (`function f`, `const f = () =>`: what
# `codex comment` takes; not `module.exports = function ...`), in file order. JDK:
# java.lang.Short, Byte and Boolean: every public static method whose parameters are all
# primitive types, in source order. (is-number 7.0.0 was chosen too and left out before any run:
# its one function is `module.exports = function (num)`; so is kind-of's `kindOf`.)
_KIND_OF = (
    "ctorName", "isArray", "isError", "isDate", "isRegexp", "isGeneratorFn", "isGeneratorObj",
    "isArguments", "isBuffer",
)  # fmt: skip
_SHORT = ("hashCode", "compare", "compareUnsigned", "reverseBytes", "toUnsignedInt", "toUnsignedLong")
_BYTE = ("hashCode", "compare", "compareUnsigned", "toUnsignedInt", "toUnsignedLong")
_BOOLEAN = ("hashCode", "compare", "logicalAnd", "logicalOr", "logicalXor")
TEST2 = (
    Piece("arrify.mjs", "npm:arrify/index.js", ("arrify",)),
    Piece("escape_string_regexp.mjs", "npm:escape-string-regexp/index.js", ("escapeStringRegexp",)),
    Piece("indent_string.mjs", "npm:indent-string/index.js", ("indentString",)),
    Piece("kind_of.js", "npm:kind-of/index.js", _KIND_OF),
    Piece("left_pad.js", "npm:left-pad/index.js", ("leftPad",)),
    Piece("parse_ms.mjs", "npm:parse-ms/index.js", ("parseNumber", "parseBigint", "parseMilliseconds")),
    Piece("tiny_invariant.ts", "npm:tiny-invariant/src/tiny-invariant.ts", ("invariant",)),
    Piece(
        "ShortBits.java",
        "jdk:java.base/java/lang/Short.java",
        _SHORT,
        tuple(f"{n}({'short,short' if n.startswith('compare') else 'short'})" for n in _SHORT),
    ),
    Piece(
        "ByteBits.java",
        "jdk:java.base/java/lang/Byte.java",
        _BYTE,
        tuple(f"{n}({'byte,byte' if n.startswith('compare') else 'byte'})" for n in _BYTE),
    ),
    Piece(
        "BooleanLogic.java",
        "jdk:java.base/java/lang/Boolean.java",
        _BOOLEAN,
        (
            "hashCode(boolean)",
            "compare(boolean,boolean)",
            "logicalAnd(boolean,boolean)",
            "logicalOr(boolean,boolean)",
            "logicalXor(boolean,boolean)",
        ),
    ),  # fmt: skip
)

SETS = {"dev": DEV, "test": TEST, "test2": TEST2}


def _parser(language: str, suffix: str):  # type: ignore[no-untyped-def]
    from codexcli.index.treesitter import parser_for

    return parser_for(language, suffix)


def _header(piece: Piece, origin: str) -> str:
    lines = [
        "// Held-out benchmark input (issue 32), copied from " + origin + ".",
        "// Chosen functions: " + ", ".join(piece.chosen) + ".",
        "// Doc comments of the chosen functions removed; built by benchmarks/make_lang_sets.py; do not edit.",
    ]
    return "\n".join(lines) + "\n\n"


def _statement_of(node):  # type: ignore[no-untyped-def]
    """The top-level statement holding a function node (its export or declaration wrapper)."""
    while node.parent is not None and node.parent.type != "program":
        node = node.parent
    return node


def _js_function_nodes(tree, names: set[str]) -> dict[str, object]:  # type: ignore[no-untyped-def]
    found: dict[str, object] = {}
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        if node.type in {"function_declaration", "generator_function_declaration"}:
            name = node.child_by_field_name("name")
        elif node.type == "variable_declarator":
            value = node.child_by_field_name("value")
            if value is None or value.type not in {"arrow_function", "function_expression", "function"}:
                continue
            name = node.child_by_field_name("name")
        else:
            continue
        text = name.text.decode() if name is not None else ""
        if text in names and text not in found:
            found[text] = node
    return found


def build_js(piece: Piece, text: str, suffix: str) -> str:
    """The file less the doc comment in front of each chosen function."""
    language = LANG_OF[suffix]
    data = text.encode()
    tree = _parser(language, suffix).parse(data)
    found = _js_function_nodes(tree, set(piece.chosen))
    missing = set(piece.chosen) - set(found)
    if missing:
        raise SystemExit(f"{piece.name}: no function {sorted(missing)} in {piece.source}")
    cuts: list[tuple[int, int]] = []
    for node in found.values():
        statement = _statement_of(node)
        before = statement.prev_sibling
        if before is not None and before.type == "comment" and before.text.startswith(b"/**"):
            cuts.append((before.start_byte, statement.start_byte))
    for start, end in sorted(cuts, reverse=True):
        data = data[:start] + data[end:]
    return data.decode()


def _java_key(node) -> str:  # type: ignore[no-untyped-def]
    name = node.child_by_field_name("name").text.decode()
    params = node.child_by_field_name("parameters")
    types = []
    for param in params.named_children:
        if param.type == "formal_parameter":
            kind = param.child_by_field_name("type").text.decode()
            dims = param.child_by_field_name("dimensions")
            types.append(kind + (dims.text.decode() if dims is not None else ""))
    return f"{name}({','.join(types)})"


def build_java(piece: Piece, text: str) -> str:
    """A class of its own with the members named, verbatim and in source order."""
    data = text.encode()
    tree = _parser("java", ".java").parse(data)
    body = next(n for n in tree.root_node.named_children if n.type == "class_declaration").child_by_field_name("body")
    wanted = set(piece.members)
    kept: list[str] = []
    for member in body.named_children:
        if member.type == "method_declaration":
            key = _java_key(member)
        elif member.type == "field_declaration":
            declarator = member.child_by_field_name("declarator")
            key = declarator.child_by_field_name("name").text.decode()
        else:
            continue
        if key in wanted:
            wanted.discard(key)
            line_start = data.rfind(b"\n", 0, member.start_byte) + 1
            chunk = data[line_start : member.end_byte].decode()
            chunk = re.sub(r"^[ \t]*@IntrinsicCandidate[ \t]*\n|@Native ", "", chunk, flags=re.M)
            kept.append(chunk)
    if wanted:
        raise SystemExit(f"{piece.name}: no member {sorted(wanted)} in {piece.source}")
    name = Path(piece.name).stem
    return f"public final class {name} {{\n\n" + "\n\n".join(kept) + "\n}\n"


def read_source(piece: Piece, npm_dir: Path, jdk_zip: Path) -> tuple[str, str]:
    """(source text, origin line for the header)."""
    kind, _, rel = piece.source.partition(":")
    if kind == "npm":
        package = rel.split("/")[0]
        version, license_ = NPM[package]
        path = npm_dir / "node_modules" / rel
        if not path.is_file():
            pins = " ".join(f"{name}@{pin}" for name, (pin, _) in NPM.items())
            raise SystemExit(f"{path} is missing; run: npm install --prefix {npm_dir} --no-save {pins}")
        installed = json.loads((npm_dir / "node_modules" / package / "package.json").read_text())["version"]
        if installed != version:
            raise SystemExit(f"{package} {installed} is installed in {npm_dir}, the sets pin {version}")
        return path.read_text(encoding="utf-8"), f"npm {package}@{version}, {rel} ({license_})"
    if not jdk_zip.is_file():
        raise SystemExit(f"{jdk_zip} is missing; install Debian's openjdk-17-source")
    with zipfile.ZipFile(jdk_zip) as archive:
        return archive.read(rel).decode("utf-8"), f"{JDK}: {rel.split('/', 1)[1]}"


def build(piece: Piece, npm_dir: Path, jdk_zip: Path) -> str:
    text, origin = read_source(piece, npm_dir, jdk_zip)
    suffix = Path(piece.name).suffix
    body = build_java(piece, text) if suffix == ".java" else build_js(piece, text, suffix)
    return _header(piece, origin) + body


def manifest() -> str:
    lines = [
        "# The held-out sets of issue 32: set -> file (under benchmarks/sets/lang/<set>/) -> chosen functions.",
        "# Built by benchmarks/make_lang_sets.py; docs/heldout.md says how they were chosen.",
    ]
    for set_name, pieces in SETS.items():
        for piece in pieces:
            names = ", ".join(f'"{name}"' for name in piece.chosen)
            lines += ["", f'[{set_name}."{piece.name}"]', f'language = "{LANG_OF[Path(piece.name).suffix]}"']
            lines.append(f'source = "{piece.source}"')
            lines.append(f"functions = [{names}]")
    return "\n".join(lines) + "\n"


def toolchain_check(path: Path) -> str:
    """'' when the file passes its language's check, else the check's complaint."""
    from codexcli.langspec import resolve_tool

    suffix = path.suffix
    with tempfile.TemporaryDirectory() as tmp:
        if suffix in {".js", ".mjs"}:
            command = ["node", "--check", str(path)]
        elif suffix == ".ts":
            tsc = resolve_tool("tsc") or "tsc"
            command = [tsc, "--noEmit", "--target", "es2020", "--lib", "es2020,dom"]
            command += ["--module", "commonjs", str(path)]
        else:
            command = ["javac", "-d", tmp, str(path)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    out = (done.stdout + done.stderr).strip()
    # tsc errors that only say node's type declarations are not installed (@types/node) pass
    errors = [line for line in out.splitlines() if " error TS" in line and not re.search(r"error TS(2580|2591):", line)]
    if suffix == ".ts" and done.returncode != 0 and not errors:
        return ""
    return "" if done.returncode == 0 else out[:600]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="check the committed sets; write nothing")
    parser.add_argument("--npm", type=Path, default=Path("/tmp/npmsets"), help="npm --prefix holding the packages")
    parser.add_argument("--jdk", type=Path, default=JDK_ZIP, help="the JDK's src.zip")
    args = parser.parse_args(argv)
    problems: list[str] = []
    count = 0
    for set_name, pieces in SETS.items():
        for piece in pieces:
            target = SETS_DIR / set_name / piece.name
            text = build(piece, args.npm, args.jdk)
            count += len(piece.chosen)
            if args.check:
                if not target.is_file() or target.read_text(encoding="utf-8") != text:
                    problems.append(f"{target.relative_to(ROOT)} differs from its source")
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
            complaint = toolchain_check(target) if target.is_file() else ""
            if complaint:
                problems.append(f"{target.relative_to(ROOT)}: {complaint}")
    if args.check:
        if not MANIFEST.is_file() or MANIFEST.read_text(encoding="utf-8") != manifest():
            problems.append(f"{MANIFEST.relative_to(ROOT)} differs from the sets")
    else:
        MANIFEST.write_text(manifest(), encoding="utf-8")
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{sum(len(p) for p in SETS.values())} files, {count} functions: {'problems' if problems else 'ok'}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
