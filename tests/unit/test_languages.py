"""The language registry: every entry is complete, names and files resolve to one entry each,
and the commands' language lists come from it."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from codexcli import languages
from codexcli.errors import UsageError
from codexcli.languages import LANGUAGES, TreeSitter
from codexcli.tasks.translate.sig import Writer, writer
from codexcli.verify.compare.harness import builder


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda language: language.name)
def test_every_language_is_complete(language: languages.Language):
    assert re.fullmatch(r"[a-z][a-z0-9]*", language.name)
    assert language.display.strip() and language.fence.strip() and language.comment.strip()
    assert language.suffixes and all(re.fullmatch(r"\.[a-z0-9]+", s) for s in language.suffixes)
    assert all(tag == tag.lower() and tag.strip() == tag and tag for tag in language.tags)
    if language.syntax:
        assert all(arg.strip() for arg in language.syntax)
    chain = language.toolchain
    while chain is not None:
        assert "{src}" in chain.check and chain.needs and chain.label
        assert chain.check[0] in chain.needs  # the check's own executable is one it checks for
        chain = chain.fallback
    if language.harness is not None:
        assert callable(builder(language.harness))  # the reference resolves
        assert language.toolchain is not None and language.toolchain.run  # a harness is run
    spec = language.tree_sitter
    if spec is not None:
        assert isinstance(spec, TreeSitter) and spec.module.startswith("tree_sitter_") and spec.function
        assert spec.functions and spec.classes and spec.receivers <= spec.functions
        assert all(re.fullmatch(r"\.[a-z0-9]+", s) and s not in language.suffixes for s, _ in spec.extra)
    rules = language.translate
    assert (rules is not None) == language.translatable  # translate writes what it can compile
    if rules is not None:
        assert rules.naming in ("camel", "pascal", "snake", "")
        assert rules.file_naming in ("class", "snake", "")
        assert "{name}" in rules.defines and "{name}" in rules.function_prompt
        for pattern in (rules.imports, rules.drop, rules.main, rules.defines.replace("{name}", "f")):
            re.compile(pattern)
        assert not rules.exports or "{names}" in rules.exports
        assert "name" in re.compile(rules.definitions).groupindex
        assert not rules.writes or isinstance(writer(rules.writes), Writer)


@pytest.fixture
def register(monkeypatch):
    """``register(entry)`` adds a language to the registry for one test; monkeypatch restores it.
    Every lookup and derived table (languages.derived) follows LANGUAGES."""

    def add(*entries: languages.Language) -> None:
        monkeypatch.setattr(languages, "LANGUAGES", (*languages.LANGUAGES, *entries))

    return add


def test_a_made_up_language_is_one_entry_for_index_translate_and_harness(register, tmp_path: Path):
    """ "toylang" reuses JavaScript's grammar, rules and harness under a new name and suffix; the
    index, translate, repair and the harness find it through this one entry and no other table."""
    from codexcli.index.extract import definitions_of
    from codexcli.index.files import indexed_languages, language_of
    from codexcli.index.store import open_index
    from codexcli.tasks.repair import defined_functions
    from codexcli.tasks.translate import lang as tl
    from codexcli.verify.compare.harness import harness_program, node_program

    js = languages.get("javascript")
    toy = languages.Language(
        "toylang",
        "Toylang",
        "toy",
        ("tl",),
        (".toy",),
        "//",
        toolchain=js.toolchain,
        harness=f"{node_program.__module__}:node_program",  # a builder named by "module:function"
        translate=js.translate,
        tree_sitter=replace(js.tree_sitter, extra=((".toyx", ""),)),
    )
    register(toy)
    code = "// Is n even?\nfunction isEven(n) { return n % 2 === 0; }\nconst half = (n) => n / 2;\n"

    # index: the suffixes, the definitions, the search --lang list, a refresh of a folder
    assert language_of("lib/a.toy") == "toylang" and language_of("b.TOYX") == "toylang"
    assert toy in indexed_languages() and languages.resolve("tl", indexed_languages()) is toy
    found = {d.qualname: d for d in definitions_of("a.toy", code, "toylang")}
    assert set(found) == {"isEven", "half"} and found["isEven"].language == "toylang"
    assert found["isEven"].docstring == "Is n even?"
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.toy").write_text(code, encoding="utf-8")
    with open_index(tmp_path / "src", db=tmp_path / "ix.sqlite3", use_git=False) as index:
        assert index.refresh(workers=1).definitions == 2
        assert [h.definition.qualname for h in index.search("even", 5, language="toylang")] == ["isEven"]

    # translate: the target's name, file, conventions and assembly; repair's definition pattern
    assert tl.resolve_target("TL") == "toylang" and tl.detect_source(Path("x.toy"), None) == "toylang"
    assert tl.output_path(Path("num_utils.py"), "toylang", None) == Path("num_utils.toy")
    assert tl.function_name("is_even", "toylang") == "isEven"
    text = tl.assemble("toylang", Path("num_utils.toy"), [tl.Piece((), code)], ["isEven"])
    assert text.rstrip().endswith("module.exports = { isEven };")
    assert defined_functions(code, "toylang") == ["isEven", "half"]

    # harness: the builder the entry names, with the entry's toolchain
    program = harness_program("toylang", "num_utils.toy", code, "isEven", [(1,), (2,)])
    assert program.files["num_utils.toy"] == code and "isEven" in program.files["__codex_harness__.js"]
    assert program.run[-1] == "__codex_harness__.js"


def test_adding_a_language_is_one_entry(register):
    """translate's conventions come from the entry alone: a new one needs no other table."""
    from codexcli.tasks.translate import lang as tl
    from codexcli.tasks.translate.units import Unit, instructions

    kotlin = languages.Language(
        "kotlin",
        "Kotlin",
        "kotlin",
        ("kt",),
        (".kt",),
        "//",
        translate=languages.TranslateRules(
            "camel",
            r"^import\s+[\w.]+\s*$",
            r"\bfun\s+{name}\s*\(",
            "a Kotlin function named `{name}`",
            file_naming="class",
            drop=r"^package\s+[\w.]+\s*$",
            main=r"^fun\s+main\s*\(",
            wrapper="object",
        ),
    )
    register(kotlin)
    assert tl.function_name("is_even", "kotlin") == "isEven"
    assert tl.output_path(Path("num_utils.py"), "kotlin", None) == Path("NumUtils.kt")
    piece = "package demo\nimport kotlin.math.abs\nfun isEven(n: Long): Boolean = abs(n) % 2 == 0L\nfun main() { println(1) }"
    imports, body = tl.split_imports(piece, "kotlin")
    assert imports == ["import kotlin.math.abs"] and "package" not in body
    body = tl.drop_main(body, "kotlin")
    assert tl.defines(body, "isEven", "kotlin", "function") and "main" not in body
    text = tl.assemble("kotlin", Path("NumUtils.kt"), [tl.Piece(tuple(imports), body)], ["isEven"])
    assert text.startswith("import kotlin.math.abs\n\nobject NumUtils {\n    fun isEven(")
    unit = Unit("is_even", "function", "def is_even(n): ...", 1, "isEven")
    assert "a Kotlin function named `isEven`" in instructions(unit, "kotlin", Path("NumUtils.kt"), {})


def test_no_name_alias_or_suffix_means_two_languages():
    tags = [tag for language in LANGUAGES for tag in language.tags]
    suffixes = [s for language in LANGUAGES for s in language.suffixes]
    read = [s for language in LANGUAGES if language.tree_sitter for s, _ in language.tree_sitter.extra]
    assert len(tags) == len(set(tags))
    assert len(suffixes) == len(set(suffixes)) and not set(read) & set(suffixes)
    assert len({language.name for language in LANGUAGES}) == len(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda language: language.name)
def test_every_name_alias_fence_and_suffix_resolves_to_its_entry(language: languages.Language):
    assert languages.get(language.name) is language
    for tag in (language.name, language.fence, *language.aliases):
        assert languages.lookup(tag) is language
        assert languages.lookup(f" {tag.upper()} ") is language  # case and spaces do not matter
    for suffix in language.suffixes:
        assert languages.by_suffix(suffix) is language and languages.by_suffix(suffix.upper()) is language
    assert language.suffix == language.suffixes[0]


def test_unknown_names_and_suffixes_resolve_to_nothing():
    assert languages.lookup("klingon") is None and languages.by_suffix(".txt") is None
    assert languages.by_suffix("") is None
    with pytest.raises(KeyError):
        languages.get("py")  # get takes canonical names only


def test_known_aliases():
    assert languages.lookup("PY").name == "python" and languages.lookup("c++").name == "cpp"
    assert languages.lookup("C#").name == "csharp" and languages.lookup("golang").name == "go"
    assert languages.by_suffix(".hpp").name == "cpp" and languages.by_suffix(".mjs").name == "javascript"


def test_resolve_lists_what_is_supported_and_rejects_the_rest():
    targets = languages.translatable()
    assert languages.resolve("TS", targets).name == "typescript"
    with pytest.raises(UsageError) as err:
        languages.resolve("c", targets)  # known, but not translatable
    names = [language.name for language in targets]
    assert err.value.message == f"unknown language 'c'; supported: {', '.join(names)}"
    with pytest.raises(UsageError, match="supported: b, a$"):
        languages.resolve("klingon", listed=["b", "a"])


def test_translate_targets_are_the_languages_with_a_toolchain():
    targets = languages.translatable()
    assert targets == tuple(language for language in LANGUAGES if language.toolchain is not None)
    assert [t.name for t in targets][:1] == ["python"]  # translate goes to and from Python


def test_commands_read_the_registry():
    from codexcli.tasks.generate.run import resolve_language
    from codexcli.tasks.translate.lang import detect_source, resolve_target

    every = sorted(language.name for language in LANGUAGES)
    with pytest.raises(UsageError) as err:
        resolve_language("cobol")
    assert err.value.message.endswith("supported: " + ", ".join(every))
    assert resolve_target("rs") == "rust"
    for language in languages.translatable():
        for suffix in language.suffixes:
            assert detect_source(Path(f"x{suffix}"), None) == language.name
    untranslatable = [s for language in LANGUAGES if not language.translatable for s in language.suffixes]
    for suffix in untranslatable:
        with pytest.raises(UsageError, match="--from"):
            detect_source(Path(f"x{suffix}"), None)
