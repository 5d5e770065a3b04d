"""The shape of a language entry of codexcli/languages.py (``Language``) and the kinds of fact it
holds besides names: how to compile, build and run it (``Toolchain``), how `codex translate`
writes it (``TranslateRules``) and how `codex index` reads its definitions (``TreeSitter``). Pure
data; ``Toolchain.missing`` only looks executables up.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

# The JVM reserves far more address space than it uses; these keep javac/java inside the
# sandbox's RLIMIT_AS (measured: plain javac fails under a 1 GiB limit, these flags pass).
JAVAC_FLAGS = (
    "-J-Xmx256m",
    "-J-XX:ReservedCodeCacheSize=64m",
    "-J-XX:-UseCompressedClassPointers",
    "-J-XX:+UseSerialGC",
)
JAVA_FLAGS = (
    "-Xmx256m",
    "-XX:ReservedCodeCacheSize=32m",
    "-XX:-UseCompressedClassPointers",
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    "-Xss8m",
)

# A Java, C# or C++ function definition in an answer: a return type, the name, the parameter list,
# then a body (TranslateRules.definitions; tasks/repair.py drops control words and keywords).
TYPED_DEFINITIONS = r"(?P<type>[\w>\]&*?:]+)\s+[*&]?(?P<name>\w+)\s*(?:<[^>]*>)?\s*\((?:[^;{}()]|\([^)]*\))*\)[^;{}]*\{"


def resolve_tool(exe: str) -> str | None:
    """Full path of a toolchain executable: ``CODEX_<EXE>`` in the environment (e.g. CODEX_TSC),
    then PATH, then node_modules/.bin of the current folder or codex's own checkout (where
    ``make setup`` installs TypeScript)."""
    override = os.environ.get(f"CODEX_{exe.upper().replace('-', '_')}")
    if override:
        return override if Path(override).is_file() else None
    if exe == "python":
        return sys.executable
    found = shutil.which(exe)
    if found:
        return found
    for folder in local_tool_dirs():
        local = folder / ".bin" / exe
        if local.is_file():
            return str(local)
    return None


def local_tool_dirs() -> list[Path]:
    """The node_modules folders :func:`resolve_tool` looks in (the current folder's, then codex's
    own checkout's), those that exist. The sandbox shows them too: a tool found there must run
    inside it, also when the checkout sits under a folder the sandbox hides (a CI clone in /tmp)."""
    bases = (Path.cwd(), Path(__file__).resolve().parents[1])
    return [folder for base in bases if (folder := base / "node_modules").is_dir()]


@dataclass(frozen=True)
class Toolchain:
    """How to check, build and run one language (verify/compare/toolchains.py runs it in the sandbox).
    Argument templates use ``{src}`` (the main source file), ``{srcs}`` (every source file, split
    into separate arguments), ``{main}`` (the harness entry: a class or file name), ``{exe}`` (a
    built program) and ``{sandbox}`` (the sandbox folder). ``fallback`` is used instead when this
    toolchain's executables are missing and the fallback's are not."""

    check: tuple[str, ...]
    build: tuple[tuple[str, ...], ...] = ()
    run: tuple[str, ...] = ()
    needs: tuple[str, ...] = field(default=())
    label: str = ""  # how reports name the check, e.g. "javac"
    fallback: Toolchain | None = None

    def missing(self) -> list[str]:
        """Executables this toolchain needs that are not available."""
        return [exe for exe in self.needs if resolve_tool(exe) is None]


@dataclass(frozen=True)
class TranslateRules:
    """How `codex translate` writes one language (tasks/translate/lang.py reads these).

    Naming: ``naming`` is the case of function names (camel, pascal, snake; "" keeps the
    source's), ``file_naming`` the case of the output file's stem (class: PascalCase that does
    not shadow a runtime class; snake; "" keeps it). Pieces: ``imports`` matches an import line
    (split off and merged at the top), ``drop`` a line assembly writes itself (package clause,
    exports), ``main`` the start of a ``main`` the model added; ``import_block`` reads Go's
    ``import ( ... )``; ``strip_export`` removes ``export`` in front of definitions. ``defines``
    matches a function definition, ``{name}`` standing for the (escaped) name. Assembly:
    ``wrapper`` is the class declaration the pieces go inside (named after the file), ``package``
    writes a Go package clause, ``exports`` the statement exporting ``{names}``, ``gap`` goes
    between pieces. Prompts: what the model is told to write for a function, a class and the
    module's constants (``{name}``; ``{owner}`` is the wrapping class)."""

    naming: str
    imports: str
    defines: str
    function_prompt: str
    file_naming: str = ""
    drop: str = ""
    main: str = ""
    import_block: bool = False
    strip_export: bool = False
    wrapper: str = ""
    package: bool = False
    exports: str = ""
    gap: str = "\n\n"
    class_prompt: str = "a class named `{name}`"
    constants_prompt: str = "module-level constants"
    # Whether the model is told to put its imports first (Java: no; SmolLM2 then loops on
    # ``import java.util...`` lines, and codex adds the java.util imports a body uses itself).
    import_hint: bool = True
    # What codex writes itself when translating Python to this language: the name of a
    # tasks/translate/sig.Writer (the method signature, literal constants, library imports,
    # functions assembled line by line), one of that module or "module:name", resolved by
    # tasks/translate/sig.writer; "" where the model writes everything.
    writes: str = ""
    definitions: str = TYPED_DEFINITIONS


@dataclass(frozen=True)
class TreeSitter:
    """How `codex index` reads one language's definitions through a tree-sitter grammar wheel
    (index/treesitter.py walks every language's tree the same way, reading these).

    ``module`` is the wheel's module and ``function`` the one of it returning the language.
    Node types: ``functions`` define a function (a method inside a class), ``classes`` a class
    (its name prefixes the definitions inside), ``scopes`` only name a scope (a Rust impl, a C++
    namespace), ``wrappers`` carry the comments above a definition (export, template),
    ``receivers`` are methods declared outside their type, named ``Type.method`` (Go). ``extra``
    are more suffixes the index reads as this language, beyond the entry's own (headers, .jsx),
    each with the grammar function reading it ("" for ``function``; TSX is ``language_tsx``)."""

    module: str
    function: str
    functions: frozenset[str]
    classes: frozenset[str]
    scopes: frozenset[str] = frozenset()
    wrappers: frozenset[str] = frozenset()
    receivers: frozenset[str] = frozenset()
    extra: tuple[tuple[str, str], ...] = ()

    def function_for(self, suffix: str) -> str:
        """The grammar function reading files with ``suffix`` (lower case)."""
        return next((f for s, f in self.extra if s == suffix and f), self.function)


@dataclass(frozen=True)
class TestRules:
    """How `codex testgen` tests one language other than Python (tasks/testgen/native/), and how
    codex runs calls of its functions (tasks/native/, `codex comment`'s observed examples too).

    ``runner`` names the runner (the test framework's writer and launcher) the way
    verify/compare/harness.py names ``harness``: a name of tasks/testgen/native/runners.py, whose
    harness that only runs calls has the same name in tasks/native/observers.py; or
    ``"module:Name"``, one class for both (built as ``Name(language, module, source,
    timeout_s)``, given ``test_path=`` as a runner). Coverage comes from probes codex puts,
    in the sandbox's copy only, before each statement: ``blocks`` are the tree-sitter node types
    whose children are statements, ``unprobed`` the children that take no probe (labels,
    comments, a constructor's ``this(...)``), ``probe`` the statement recording line ``{line}``.
    ``needs`` are the executables the runner needs; ``install`` is the one line saying how to get
    what is missing."""

    __test__ = False

    runner: str
    blocks: frozenset[str]
    unprobed: frozenset[str]
    probe: str
    needs: tuple[str, ...]
    install: str


@dataclass(frozen=True)
class DocComment:
    """How `codex comment` writes one language's doc comments (tasks/comment/doctargets.py and
    doccomment.py): ``name`` is what reports and prompts call them ("JSDoc"); ``returns_tag`` the
    tag of the returned value ("@returns", Javadoc's "@return"); ``typed_throws`` whether a thrown
    type goes in braces; the tree-sitter node types of a
    ``throw`` statement, of a ``return`` statement, of a declared ``throws`` clause (Java) and of
    definitions whose bodies are not the enclosing function's (nested functions, classes);
    (the comment goes in front of the definition's tree-sitter ``wrappers``: ``export function``,
    ``const f = () => ...``); ``example`` is the worked example's function
    in this language, with ``example_answer`` its doc comment's lines (without ``/**``/``*/``)."""

    name: str
    example: str
    example_answer: tuple[str, ...]
    returns_tag: str = "@returns"
    typed_throws: bool = False  # JSDoc's `@throws {TypeError} when ...`, not Javadoc's `@throws TypeError when ...`
    throws: frozenset[str] = frozenset({"throw_statement"})
    returns: frozenset[str] = frozenset({"return_statement"})
    declared: str = ""
    nested: frozenset[str] = frozenset()
    # A comment of observed examples (tasks/comment/docexamples.py): ``code`` wraps a name as
    # code in its summary line ("{}" is the name); the example calls go between the lines of
    # ``examples`` (one a call, ``call // => value``); a call or value holding one of ``unsafe``
    # is not shown (it would end the comment; Java reads ``\u`` escapes inside comments too).
    code: str = "`{}`"
    examples: tuple[str, str] = ("@example", "")
    unsafe: tuple[str, ...] = ("*/",)


@dataclass(frozen=True)
class Language:
    """Everything codex knows about one language.

    ``name`` is canonical (what every other module passes around); ``aliases`` are the other
    names and code-fence tags people and models use for it; ``fence`` is the tag codex writes.
    ``suffixes`` are the file suffixes that mean this language, the first being the one codex
    writes. ``syntax`` is the argv (the file is appended) of a syntax-only check, empty where
    codex has none; Python is parsed in-process instead (parsing runs nothing). ``harness`` names
    the function building the behaviour harness (verify/compare/harness.py resolves it: one of its own, or
    ``"module:function"``), None where there is none. ``tree_sitter`` is how `codex index` reads
    its definitions (None: the index reads no such files, except Python's, parsed with ast).
    ``tests`` is how `codex testgen` tests it (Python's pytest path is its own)."""

    name: str
    display: str
    fence: str
    aliases: tuple[str, ...]
    suffixes: tuple[str, ...]
    comment: str
    syntax: tuple[str, ...] = ()
    toolchain: Toolchain | None = None
    harness: str | None = None
    translate: TranslateRules | None = None  # how `codex translate` writes it (with a toolchain)
    tree_sitter: TreeSitter | None = None
    tests: TestRules | None = None  # how `codex testgen` writes and runs its tests (not Python's)
    doc_comment: DocComment | None = None  # how `codex comment` documents it (None: Python's docstrings, or none)

    @property
    def suffix(self) -> str:
        """The suffix of files codex writes in this language."""
        return self.suffixes[0]

    @property
    def tags(self) -> tuple[str, ...]:
        """Every lower-case name that means this language: its name, fence tag and aliases."""
        return tuple(dict.fromkeys((self.name, self.fence, *self.aliases)))

    @property
    def translatable(self) -> bool:
        """``codex translate`` reads and writes the languages it can compile."""
        return self.toolchain is not None


# `codex comment`'s doc comments (tasks/comment/doctargets.py): JSDoc for JavaScript and
# TypeScript, Javadoc for Java. Nested definitions' statements are not the enclosing function's.
JSDOC = DocComment(
    "JSDoc",
    "function area(width, height) {\n  return width * height;\n}",
    (
        "Computes the area of a rectangle from its width and height.",
        "",
        "@param width the width of the rectangle",
        "@param height the height of the rectangle",
        "@returns the width multiplied by the height",
    ),
    typed_throws=True,
    nested=frozenset(
        {"function_declaration", "generator_function_declaration", "function_expression", "function"}
        | {"arrow_function", "generator_function", "method_definition", "class_declaration", "class"}
    ),
)
JAVADOC = DocComment(
    "Javadoc",
    "static int area(int width, int height) {\n    return width * height;\n}",
    (
        "Computes the area of a rectangle from its width and height.",
        "",
        "@param width the width of the rectangle",
        "@param height the height of the rectangle",
        "@return the width multiplied by the height",
    ),
    returns_tag="@return",
    declared="throws",
    code="{{@code {}}}",
    examples=("<pre>{@code", "}</pre>"),
    unsafe=("*/", "\\u", "@"),
    nested=frozenset({"lambda_expression", "class_body", "class_declaration"}),
)


# `codex testgen`'s runners and coverage probes for the languages other than Python
# (tasks/testgen/native/, over tasks/native/). A probe goes before each statement of the blocks; TypeScript's starts
# with `;`: after a line without one, `(globalThis as any)` would call the line's last expression.
_JS_BLOCKS = frozenset({"statement_block", "switch_case", "switch_default"}), frozenset({"comment", "empty_statement"})
_JS_PROBE = "globalThis.__codexHits?.add({line});"
JS_TESTS = TestRules("node_test", *_JS_BLOCKS, _JS_PROBE, ("node",), "Node.js 20+: apt-get install nodejs")
TS_TESTS = TestRules("node_test", *_JS_BLOCKS, ";(globalThis as any)" + _JS_PROBE[10:], ("node", "tsc"), "make tools")
JUNIT_TESTS = TestRules(
    "junit",
    frozenset({"block", "switch_block_statement_group"}),
    frozenset({"line_comment", "block_comment", "switch_label", "explicit_constructor_invocation"}),
    "codexprobe.CodexProbe.hit({line});",
    ("javac", "java"),
    "a JDK (javac, java) and JUnit 5: apt-get install default-jdk junit5",
)
